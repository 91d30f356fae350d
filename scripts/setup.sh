# Sourced by run.sh and test.sh: installs what pauselab needs on a Debian machine, skipping what
# is already there, so that repeated runs are fast. Needs root for apt-get.

set -euo pipefail

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Debian packages: a C linker for Rust, util-linux's unshare/nsenter and procps's kill for the
# namespace tests, runc, busybox-static and podman for the OCI runtime tests, nginx-light, dash,
# bash, tini, dumb-init and catatonit for the measured programs (K30), qemu-user-static
# for the foreign pause builds' smoke tests; docker.io (dockerd) and containerd (with its CRI plugin)
# for the real-runtime tests, iproute2 for their CNI script, protobuf-compiler for the CRI
# client's generated code. (The tests start private daemons of their own, beside any the system runs.)
APT_PACKAGES=(gcc libc6-dev util-linux bsdutils procps runc busybox-static nginx-light dash bash tini dumb-init catatonit podman tar ca-certificates qemu-user-static
    docker.io containerd iproute2 protobuf-compiler)

ensure_apt() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        log "apt-get install ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

ensure_rust() {
    if [ -f "$HOME/.cargo/env" ]; then
        # shellcheck disable=SC1091
        . "$HOME/.cargo/env"
    fi
    if ! command -v cargo >/dev/null 2>&1; then
        log "installing Rust with Debian's rustup"
        ensure_apt rustup
        rustup default stable
    fi
    local installed
    installed=$(rustup target list --installed)
    for target in wasm32-unknown-unknown x86_64-unknown-linux-musl aarch64-unknown-linux-musl; do
        grep -qx "$target" <<<"$installed" || { log "rustup target add $target"; rustup target add "$target"; }
    done
    for component in rustfmt clippy; do
        rustup component list --installed | grep -q "^$component" || rustup component add "$component"
    done
}

# The nightly the small builds are measured with (the static pause, bench/pause.py; the
# tutorial's wasm, bench/web.mjs): std rebuilt for size (-Z build-std) needs its rust-src, and
# panics that abort at once (-C panic=immediate-abort) are nightly-only. Moving it is a
# deliberate change. `setup_nightly TARGET…` installs it with those targets where missing.
NIGHTLY=nightly-2026-10-29

setup_nightly() {
    if [ -f "$HOME/.cargo/env" ]; then
        # shellcheck disable=SC1091
        . "$HOME/.cargo/env"
    fi
    if ! rustup toolchain list | grep -q "^$NIGHTLY"; then
        log "rustup toolchain install $NIGHTLY"
        rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src >&2
    fi
    rustup component list --toolchain "$NIGHTLY" --installed | grep -q '^rust-src' \
        || rustup component add --toolchain "$NIGHTLY" rust-src >&2
    local installed target
    installed=$(rustup target list --toolchain "$NIGHTLY" --installed)
    for target in "$@"; do
        # Targets whose C runtime comes from Debian (below): rustup has no std for them here.
        [ -n "$(debian_musl "$target")" ] && continue
        grep -qx "$target" <<<"$installed" || rustup target add --toolchain "$NIGHTLY" "$target" >&2
    done
}

# pause.c's other three architectures (arm, ppc64le, s390x): rustup serves no std for their
# musl targets on these machines (its downloads answer 404; s390x's is tier 3 everywhere), so
# the nightly's -Z build-std builds std, and musl's C runtime (crt1.o, crti.o, crtn.o, libc.a)
# is Debian's multiarch musl-dev. `debian_musl TARGET` prints the Debian architecture and the
# folder of its musl, or nothing for a target rustup serves.
debian_musl() {
    case "$1" in
        armv7-unknown-linux-musleabihf) echo "armhf /usr/lib/arm-linux-musleabihf" ;;
        powerpc64le-unknown-linux-musl) echo "ppc64el /usr/lib/powerpc64le-linux-musl" ;;
        s390x-unknown-linux-musl) echo "s390x /usr/lib/s390x-linux-musl" ;;
    esac
}

# `setup_debian_musl TARGET…`: Debian's musl-dev for each target that needs it.
setup_debian_musl() {
    local target arch packages=()
    for target in "$@"; do
        read -r arch _ <<<"$(debian_musl "$target")"
        [ -n "$arch" ] || continue
        dpkg --print-foreign-architectures | grep -qx "$arch" || dpkg --add-architecture "$arch"
        packages+=("musl-dev:$arch")
    done
    ((${#packages[@]})) || return 0
    ensure_apt "${packages[@]}"
}

# The browser tutorial's tools: Node.js and npm (for binaryen's wasm-opt and Playwright), and
# wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock, which the
# generated JavaScript must match.
setup_web() {
    setup
    setup_nightly wasm32-unknown-unknown
    command -v npm >/dev/null 2>&1 || ensure_apt nodejs npm
    # fonttools cuts the Korean web font (scripts/build-font.sh); no font is installed. zopfli
    # writes the .gz copies (smaller than gzip -9's, and any gzip reader reads them).
    ensure_apt fonttools python3-brotli zopfli
    if [ ! -x web/node_modules/.bin/wasm-opt ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
        log "npm ci (web/)"
        (cd web && npm ci --no-audit --no-fund)
    fi
    local want
    want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
    if [ "$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }')" != "$want" ]; then
        log "cargo install wasm-bindgen-cli $want"
        # --locked where its lock file resolves against the registry; some versions' do not.
        cargo install wasm-bindgen-cli --version "=$want" --locked \
            || cargo install wasm-bindgen-cli --version "=$want"
    fi
}

# Debian's Chromium and ChromeDriver, for the browser tests.
setup_browser() {
    ensure_apt chromium chromium-driver
}

setup() {
    ensure_apt "${APT_PACKAGES[@]}"
    ensure_rust
}
