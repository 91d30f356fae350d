#!/usr/bin/env bash
# Builds the small static pause — the image's binary — with a pinned nightly toolchain:
# std rebuilt for size (-Z build-std) and panics that abort at once (-C panic=immediate-abort).
#
#   bash scripts/build-pause.sh [TARGET…]     (default: x86_64-unknown-linux-musl)
#
# Installs the toolchain, its rust-src and the targets when they are missing. Prints each
# binary's path and size; the binary is target/small/TARGET/pause/pause (PAUSE_TARGET_DIR moves
# it: with CARGO_PROFILE_PAUSE_STRIP=false, an unstripped copy for `nm --size-sort`). The stable build
# (`cargo build -p pauselab-pause --profile pause --target x86_64-unknown-linux-musl`) makes
# the same program, larger.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/setup.sh
targets=("$@")
((${#targets[@]})) || targets=(x86_64-unknown-linux-musl)
setup_nightly "${targets[@]}"
setup_debian_musl "${targets[@]}"

# Run from inside cargo (the tests build it), the outer cargo's settings must not leak in.
unset RUSTC RUSTDOC RUSTC_WRAPPER CARGO_TARGET_DIR CARGO_BUILD_TARGET CARGO_ENCODED_RUSTFLAGS
# Per target, because these replace .cargo/config.toml's flags: non-PIE, no page padding between
# code and data, and (nightly) panics that abort at once. aarch64 links with rust-lld, which
# takes the linker's own flags (no -Wl,).
small="-Zunstable-options -Cpanic=immediate-abort -Crelocation-model=static -Cforce-unwind-tables=no"
export CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="$small -Clink-arg=-Wl,-z,noseparate-code -Clink-arg=-Wl,-z,norelro"
# Inline atomics (ARMv8.0): the outline ones bring a CPU-feature probe run at start.
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="$small -Clink-arg=-znoseparate-code -Clink-arg=-znorelro -Ctarget-feature=-outline-atomics"
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER=rust-lld
# arm (v7), ppc64le and s390x: std built here, musl's C runtime from Debian (setup.sh), linked
# by rust-lld without the toolchain's own copy of it. The unwinder is never called (panics abort
# at once): an empty libunwind.a and libgcc_s.a stand for the ones the targets name, and the two
# symbols that ppc64's personality routine names resolve to nothing.
stubs=$PWD/target/small/stubs
mkdir -p "$stubs"
for stub in unwind gcc_s; do
    [ -f "$stubs/lib$stub.a" ] || ar rcs "$stubs/lib$stub.a"
done
for target in "${targets[@]}"; do
    read -r _ musl <<<"$(debian_musl "$target")"
    [ -n "$musl" ] || continue
    var=$(tr 'a-z-' 'A-Z_' <<<"$target")
    export "CARGO_TARGET_${var}_LINKER=rust-lld"
    export "CARGO_TARGET_${var}_RUSTFLAGS=$small -Ctarget-feature=+crt-static -Clink-self-contained=no \
-Clink-arg=-znoseparate-code -Clink-arg=-znorelro -L$musl -L$stubs \
-Zpre-link-arg=$musl/crt1.o -Zpre-link-arg=$musl/crti.o -Clink-arg=$musl/crtn.o \
-Clink-arg=--defsym=_Unwind_GetTextRelBase=0 -Clink-arg=--defsym=_Unwind_GetDataRelBase=0"
done
# The toolchain's own llvm-objcopy reads every target's ELF.
host=$(rustc "+$NIGHTLY" -vV | sed -n 's/^host: //p')
objcopy="$(rustc "+$NIGHTLY" --print sysroot)/lib/rustlib/$host/bin/rust-objcopy"
for target in "${targets[@]}"; do
    cargo "+$NIGHTLY" build --quiet --locked -Z build-std=std,panic_abort \
        --target "$target" --profile pause -p pauselab-pause --features small-memory --target-dir ${PAUSE_TARGET_DIR:-target/small} >&2
    binary=${PAUSE_TARGET_DIR:-target/small}/$target/pause/pause
    # The linkers' and compilers' names (.comment) are not needed to run it.
    "$objcopy" --remove-section=.comment "$binary"
    echo "$binary $(stat -c %s "$binary")"
done
