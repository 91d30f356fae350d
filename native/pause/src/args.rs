//! The command line as the C runtime passed it: borrowed, never copied, so that init mode can
//! exec the command with the very `argv` pause got.

use std::ffi::{c_char, c_int, CStr};

/// The arguments after the program name.
#[derive(Debug)]
pub struct Args {
    /// `argv + 1`: `len` pointers, then a null pointer.
    words: *const *const c_char,
    len: usize,
}

impl Args {
    /// The arguments of `main(argc, argv)`.
    ///
    /// # Safety
    ///
    /// `argv` must hold `argc` pointers to NUL-terminated strings followed by a null pointer,
    /// as C's `main` receives them, and all of them must outlive the returned value.
    pub unsafe fn from_c(argc: c_int, argv: *const *const c_char) -> Args {
        let argc = usize::try_from(argc).unwrap_or(0);
        if argc == 0 || argv.is_null() {
            // No program name: point at the terminating null pointer instead.
            return Args {
                words: argv,
                len: 0,
            };
        }
        // SAFETY: argc ≥ 1, so argv + 1 is within the array (at worst at its null pointer).
        let words = unsafe { argv.add(1) };
        Args {
            words,
            len: argc - 1,
        }
    }

    /// How many arguments there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Argument `index` (from 0, after the program name).
    pub fn get(&self, index: usize) -> Option<&CStr> {
        if index >= self.len {
            return None;
        }
        // SAFETY: `from_c`'s contract: `index < len` pointers are valid C strings that live as
        // long as `self`.
        Some(unsafe { CStr::from_ptr(*self.words.add(index)) })
    }

    /// Every argument.
    pub fn iter(&self) -> impl Iterator<Item = &CStr> + Clone + '_ {
        (0..self.len).filter_map(|index| self.get(index))
    }

    /// The arguments from `index` on, as a null-terminated `argv` for `execvp`.
    pub fn tail(&self, index: usize) -> *const *const c_char {
        // SAFETY: index ≤ len, so the pointer stays within the array up to its null pointer.
        unsafe { self.words.add(index.min(self.len)) }
    }
}
