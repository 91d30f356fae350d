//! `pause`: see the library, [`pauselab_pause`].
//!
//! `no_main`: C's `main` is the entry point, skipping Rust's runtime set-up (argument capture,
//! stack-overflow handler), which a process that only sleeps does not need and which costs the
//! static binary size it must not have.
#![no_main]

use std::ffi::{c_char, c_int};

/// The C entry point.
#[no_mangle]
extern "C" fn main(argc: c_int, argv: *const *const c_char) -> c_int {
    // SAFETY: the C runtime passes `argc` valid pointers to NUL-terminated strings in `argv`,
    // followed by a null pointer, all alive for the whole process.
    let args = unsafe { pauselab_pause::Args::from_c(argc, argv) };
    pauselab_pause::run(&args)
}
