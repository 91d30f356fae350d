#!/usr/bin/env bash
# Builds the browser tutorial into dist/: the wasm (cargo, then wasm-bindgen, then wasm-opt),
# the page and its style sheet. Static files only; any web server can serve them.
#
# Why wasm-bindgen-cli and not trunk: the page is one wasm module and two static files, which
# needs nothing trunk adds, and trunk takes ~13 minutes to install from crates and fetches its
# tools from the web unless their versions are pinned to match. wasm-bindgen-cli (~3 minutes)
# is installed at exactly the version of the wasm-bindgen crate in Cargo.lock, and wasm-opt
# comes from npm's binaryen (Debian's is too old to read wasm-bindgen's output).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
setup_web

out=dist
log "cargo +$NIGHTLY build pauselab-web (wasm32, profile web, std rebuilt for size)"
# The page is built as the small pause is (scripts/build-pause.sh): std rebuilt for size, with its
# smaller algorithms (optimize_for_size: its sorts are a few hundred bytes per type instead of a
# few kilobytes), panics that abort at once, no panic locations, and Debug formatting compiled to
# nothing (no reader ever sees Debug text; the page's code never formats with it). That takes
# 48 KB off the gzip size the stable toolchain makes. The tests build the same code with stable.
unset CARGO_TARGET_DIR CARGO_BUILD_TARGET CARGO_ENCODED_RUSTFLAGS
mkdir -p target/small
small_web() {
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
        cargo "+$NIGHTLY" build --locked -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size \
        -p pauselab-web --lib \
        --target wasm32-unknown-unknown --profile web --target-dir target/small "$@"
}
# The "this node" view (`pauselab serve --live`) is the same page with the `live` feature, in
# live/: fetched only by a reader who opens that view, so the tutorial's download stays as it is.
# Built first, and set aside: both builds write the same file name.
small_web --features live
mkdir -p target/small/live
cp target/small/wasm32-unknown-unknown/web/pauselab_web.wasm target/small/live/pauselab_web.wasm
small_web --message-format=json-render-diagnostics >target/small/web-build.json
# web/build.rs wrote each scenario's file (fetched by the page when it is opened) into its
# OUT_DIR, which cargo names in its build-script-executed message.
scenarios=$(python3 - target/small/web-build.json <<'PY'
import json, sys
dirs = set()
for line in open(sys.argv[1]):
    message = json.loads(line)
    if message.get("reason") == "build-script-executed" and message["package_id"].split("#")[0].endswith("/web"):
        dirs.add(message["out_dir"])
if len(dirs) != 1:
    sys.exit(f"expected one OUT_DIR of pauselab-web's build script, found {sorted(dirs)}")
print(dirs.pop() + "/scenarios")
PY
)
# The file reader keeps the stable toolchain's std, built for speed: it parses files of up to
# 64 MB, and with a std built for size a 64 MB snapshot took 3.2 s to open rather than 2.8 s
# (bench/web.mjs).
log "cargo build pauselab-web-loader (wasm32, profile web) and pauselab-web-terminal (profile web-fast)"
# The terminal, fetched when it is first opened, is built for speed (opt-level 3, wasm-opt -O3):
# each typed line runs on the node on screen, and with -Oz a line on 1,000 processes took
# 22 ms in the module alone (bench/web.mjs), more than a frame.
cargo build --locked -p pauselab-web-loader --lib --target wasm32-unknown-unknown --profile web
cargo build --locked -p pauselab-web-terminal --lib --target wasm32-unknown-unknown --profile web-fast
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
# What wasm-bindgen's output uses; every browser the page supports has them.
wasm_features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
    --enable-mutable-globals --enable-reference-types --enable-multivalue)
# The page's module at the top; the "this node" view's build in live/; the file reader, fetched when
# a file is opened, in loader/;
# the terminal, fetched when it is opened, in terminal/.
for module in small/wasm32-unknown-unknown/web/pauselab_web:. small/live/pauselab_web:live \
    wasm32-unknown-unknown/web/pauselab_web_loader:loader \
    wasm32-unknown-unknown/web-fast/pauselab_web_terminal:terminal; do
    wasm=target/${module%%:*}.wasm
    name=$(basename "${module%%:*}")
    dir=$out.tmp/${module#*:}
    log "wasm-bindgen $name"
    # The name section is kept until wasm-opt has used it to order the functions (below).
    wasm-bindgen --target web --no-typescript --remove-producers-section \
        --out-dir "$dir" "$wasm"
    log "wasm-opt $name"
    # --low-memory-unused: the first kilobyte of memory is the far end of the stack (which starts
    # at 1 MB and grows down), so no valid address is below it, and constant offsets fold into
    # loads and stores (-3 KB gzip). --ignore-implicit-traps: Rust checks division by zero
    # itself and safe code never reads out of bounds, so a load whose value is unused can go.
    # --merge-similar-functions: copies of a generic that differ in a constant become one
    # (-0.4 KB gzip). Then the functions are put in the order of their names, which sets each
    # generic's copies side by side, close enough for gzip's 32 KB window to find what they
    # share (-2 KB gzip), and the names go.
    # The page only (the file reader is built for speed): a function with one caller is inlined
    # into it only when it is tiny (20 of binaryen's size units, not its default of any size).
    # Kept apart, the bodies sit in name order beside their likes, where gzip finds what they
    # share: 10.9 KB less gzip for 14 KB more raw (measured 0 to any size; 20 was the least).
    inline=()
    [ "$name" = pauselab_web ] && inline=(--one-caller-inline-max-function-size=20)
    level=-Oz
    [ "$name" = pauselab_web_terminal ] && level=-O3
    web/node_modules/.bin/wasm-opt -g --low-memory-unused --ignore-implicit-traps \
        --merge-similar-functions "${inline[@]}" "$level" --converge "${wasm_features[@]}" \
        "$dir/${name}_bg.wasm" -o "$dir/${name}_bg.wasm"
    web/node_modules/.bin/wasm-opt --reorder-functions-by-name --strip-debug --strip-producers \
        "${wasm_features[@]}" "$dir/${name}_bg.wasm" -o "$dir/${name}_bg.wasm"
    python3 scripts/minify-imports.py "$dir" "$name"
done
cp index.html web/style.css "$out.tmp/"
cp web/live.html "$out.tmp/live/index.html"
cp -r "$scenarios" "$out.tmp/scenarios"
log "Korean web font (a subset of NanumGothic)"
bash scripts/build-font.sh "$out.tmp"
log "precompressed copies (.br, .gz) beside each text and wasm file"
# `pauselab serve` sends the best one the browser accepts (Content-Encoding, Vary); any other
# static server can be told to (nginx gzip_static/brotli_static). Reproducible: no names, no
# times. Fonts are compressed already. The .gz files are zopfli's: gzip's format, 5% smaller
# than gzip -9 (for the page's wasm, 11 KB), at ~1.5 s of build for the wasm.
find "$out.tmp" -type f \( -name '*.html' -o -name '*.js' -o -name '*.wasm' -o -name '*.css' -o -name '*.txt' -o -name '*.wire' \) \
    -print0 | sort -z | while IFS= read -r -d '' file; do
    zopfli --gzip -c "$file" >"$file.gz"
done
# Debian's python3, which has python3-brotli (setup_web), whatever python3 comes first on PATH.
/usr/bin/python3 - "$out.tmp" <<'PY'
import brotli, os, sys
root = sys.argv[1]
paths = sorted(os.path.join(d, f) for d, _, files in os.walk(root) for f in files)
for path in paths:
    if not path.endswith((".html", ".js", ".wasm", ".css", ".txt", ".wire")):
        continue
    data = open(path, "rb").read()
    with open(path + ".br", "wb") as f:
        f.write(brotli.compress(data, quality=11))
PY
# Swap in one step, so that a server running on dist/ never sees half a build.
rm -rf "$out"
mv "$out.tmp" "$out"
ls -l "$out"
