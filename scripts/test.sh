#!/usr/bin/env bash
# Every check and test of pauselab, after installing what they need. CI runs this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
setup

export CARGO_TERM_COLOR=never RUST_BACKTRACE=1
log "cargo fmt --check"
cargo fmt --all --check
log "clippy (host)"
cargo clippy --workspace --all-targets --locked -- -D warnings
log "clippy (pauselab-core for wasm32)"
cargo clippy -p pauselab-core --all-targets --target wasm32-unknown-unknown --locked -- -D warnings
log "cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked
log "cargo test"
cargo test --workspace --locked
