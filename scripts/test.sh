#!/usr/bin/env bash
# Every check and test of pauselab, after installing what they need. CI runs this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
setup_web
setup_browser

export CARGO_TERM_COLOR=never RUST_BACKTRACE=1
log "cargo fmt --check"
cargo fmt --all --check
log "clippy (host)"
cargo clippy --workspace --all-targets --locked -- -D warnings
log "clippy (pauselab-core, pauselab-web, its file reader and its terminal for wasm32)"
cargo clippy -p pauselab-core -p pauselab-web -p pauselab-web-loader -p pauselab-web-terminal --all-targets --target wasm32-unknown-unknown --locked -- -D warnings
log "pauselab and pause build for arm64 too (cargo check, aarch64-unknown-linux-musl)"
cargo check -p pauselab-native -p pauselab-pause --target aarch64-unknown-linux-musl --locked
log "cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked
# The end-to-end test opens the built tutorial.
bash scripts/build-web.sh
results=$(mktemp)
trap 'rm -f "$results"' EXIT
log "cargo test"
cargo test --workspace --locked 2>&1 | tee "$results"
log "fuzzing the file loader for 90 s (fuzz-open: hostile files, no panic, no input over 2 s or 1 GB)"
cargo run --release --locked -p pauselab-tests --bin fuzz-open -- --seconds 90
log "the state-machine oracle catches a deliberately broken rule (core built with mutant-wrong-reaper)"
cargo test -p pauselab-core --features mutant-wrong-reaper --test model --locked oracle 2>&1 | tee -a "$results"
log "the page's \"this node\" view, built with its feature (the workspace builds the page without it)"
cargo test -p pauselab-web --features live --lib --locked live 2>&1 | tee -a "$results"
log "component tests in headless Chromium (wasm-bindgen-test)"
CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test -p pauselab-web --target wasm32-unknown-unknown --test browser --locked 2>&1 | tee -a "$results"
# One closing line for the whole run, so that the last crate's empty doc-test summary is not it;
# every skipped test is listed with its reason (under CI=true nothing may skip).
grep -E '^test .* \.\.\. ignored' "$results" | sed 's/^test /skipped: /' || true
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i; if ($(i+1) ~ /^ignored/) s += $i } }
     END { printf "\npauselab: %d passed, %d failed, %d skipped\n", p, f, s; if (ENVIRON["CI"] == "true" && s > 0) exit 1 }' "$results"
