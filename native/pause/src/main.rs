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

/// In the image's build, the C library's memcpy and memset replaced by the smallest loops that
/// do their job: what pause copies and clears is a few kilobytes, once per start, and musl's
/// are written for speed (1.6 kB on ppc64le, where the binary was over its budget). Volatile stores, so that the compiler does not
/// turn the loops back into calls to themselves.
#[cfg(all(feature = "small-memory", target_env = "musl"))]
mod small_memory {
    use std::ffi::c_void;

    /// `memcpy(dest, src, n)`.
    ///
    /// # Safety
    /// C's: `dest` and `src` are valid for `n` bytes and do not overlap.
    #[no_mangle]
    unsafe extern "C" fn memcpy(dest: *mut c_void, src: *const c_void, n: usize) -> *mut c_void {
        let (to, from) = (dest.cast::<u8>(), src.cast::<u8>());
        for i in 0..n {
            // SAFETY: the caller vouches that both are valid for n bytes.
            unsafe { to.add(i).write_volatile(from.add(i).read()) };
        }
        dest
    }

    /// `memset(dest, byte, n)`.
    ///
    /// # Safety
    /// C's: `dest` is valid for `n` bytes.
    #[no_mangle]
    unsafe extern "C" fn memset(dest: *mut c_void, byte: i32, n: usize) -> *mut c_void {
        let to = dest.cast::<u8>();
        for i in 0..n {
            // SAFETY: the caller vouches that dest is valid for n bytes.
            unsafe { to.add(i).write_volatile(byte as u8) };
        }
        dest
    }
}
