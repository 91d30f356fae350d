#!/usr/bin/env bash
# Makes the page's Korean web font: NanumGothic (SIL Open Font License 1.1, from Debian's
# fonts-nanum) cut down to the Hangul syllables pauselab's words use — the catalog
# (core/src/text/), the terminal's help (core/src/shell/, web/terminal/), the scenarios
# (core/scenarios/) and the page — as woff2.
#
#   bash scripts/build-font.sh OUT_DIR       (writes OUT_DIR/hangul.woff2 and OFL.txt)
#
# The browser downloads it only when no font before it in the page's stack has Hangul
# (web/style.css: @font-face with unicode-range). The source font is unpacked from the Debian
# package into target/, not installed: this machine's own fonts stay as they were, so the
# end-to-end test sees what a machine without Korean fonts sees.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: build-font.sh OUT_DIR}
src=target/fonts
font=$src/usr/share/fonts/truetype/nanum/NanumGothic.ttf
if [ ! -f "$font" ]; then
    mkdir -p "$src"
    (cd "$src" && apt-get download fonts-nanum >/dev/null 2>&1 && dpkg-deb -x fonts-nanum_*.deb .)
fi
# Every Hangul character the words use, from the files that hold them.
chars=$(mktemp)
trap 'rm -f "$chars"' EXIT
python3 - "$chars" core/src/text core/src/shell core/scenarios web/src web/terminal/src index.html <<'PY'
import os, sys
out, roots = sys.argv[1], sys.argv[2:]
found = set()
for root in roots:
    paths = [root] if os.path.isfile(root) else [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]
    for path in paths:
        if path.endswith((".rs", ".json", ".html")):
            with open(path, encoding="utf-8") as f:
                found.update(c for c in f.read() if 0xAC00 <= ord(c) <= 0xD7A3 or 0x3131 <= ord(c) <= 0x318E)
with open(out, "w", encoding="utf-8") as f:
    f.write("".join(sorted(found)))
print(f"{len(found)} Hangul characters", file=sys.stderr)
PY
mkdir -p "$out"
# (NanumGothic carries VTT hinting sources that a subset drops; that is the warning to hide.)
pyftsubset "$font" --text-file="$chars" --flavor=woff2 --output-file="$out/hangul.woff2" \
    --layout-features='*' --no-hinting --desubroutinize --name-IDs='*' --name-languages='*' \
    2> >(grep -v "NOT subset" >&2)
# The OFL asks that the license travel with the font.
zcat -f "$src/usr/share/doc/fonts-nanum/copyright" > "$out/OFL.txt" 2>/dev/null \
    || cp "$src/usr/share/doc/fonts-nanum/copyright" "$out/OFL.txt"
ls -l "$out/hangul.woff2"
