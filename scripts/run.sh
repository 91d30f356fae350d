#!/usr/bin/env bash
# pauselab's main job: build everything, then show a guided scenario in the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
setup

log "cargo build --release"
cargo build --release --locked --workspace
log "static pause"
cargo build --locked -p pauselab-native --bin pause --profile pause --target x86_64-unknown-linux-musl
ls -l target/x86_64-unknown-linux-musl/pause/pause
exec target/release/pauselab demo "$@"
