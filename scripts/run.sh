#!/usr/bin/env bash
# pauselab's main job: build everything (the pauselab command, the static pause, the browser
# tutorial), then serve the tutorial on 127.0.0.1 and print its URL.
# PORT=8080 by default; PORT=0 picks a free port.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
setup_web

log "cargo build --release"
cargo build --release --locked --workspace --exclude pauselab-web
log "static pause (pinned nightly, for size)"
bash scripts/build-pause.sh
bash scripts/build-web.sh
exec target/release/pauselab serve --dir dist --addr "127.0.0.1:${PORT:-8080}"
