#!/usr/bin/env bash
# Are the browser tests steady? Runs the component tests (wasm-bindgen-test in headless
# Chromium) and the end-to-end test RUNS times in a row while every CPU is kept busy, and prints
# how many runs passed. Not part of `scripts/test.sh`: it takes minutes and measures the tests,
# not the code. As root, after `bash scripts/build-web.sh`:
#
#   bash bench/steady.sh [RUNS]        (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
export CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner

# Build first, unloaded (the runs are not -q: wasm-bindgen-test-runner refuses --quiet), so that the runs measure the tests and not the compiler.
cargo test -q -p pauselab-web --target wasm32-unknown-unknown --test browser --no-run >/dev/null 2>&1
cargo test -q -p pauselab-tests --test cross --no-run >/dev/null 2>&1

# Load: one busy loop per CPU, stopped whatever happens.
load=()
for _ in $(seq "$(nproc)"); do
    (while :; do :; done) &
    load+=($!)
done
trap 'kill "${load[@]}" 2>/dev/null || true' EXIT

passed=0
for run in $(seq "$runs"); do
    log=$(mktemp)
    if cargo test -p pauselab-web --target wasm32-unknown-unknown --test browser >"$log" 2>&1 \
        && cargo test -p pauselab-tests --test cross web:: >>"$log" 2>&1; then
        passed=$((passed + 1))
        echo "run $run: passed"
    else
        echo "run $run: FAILED"
        grep -E "panicked|expectation failed|waited|^Error" "$log" | head -5 || true
    fi
    rm -f "$log"
done
echo "browser tests under load: $passed/$runs runs passed"
[ "$passed" -eq "$runs" ]
