//! Running the command: `execvp` with musl's meaning, the environment, the exit.

use std::ffi::{c_char, CStr};

use libc::c_int;

use super::errno;

extern "C" {
    /// The process's environment, as the C library keeps it.
    static environ: *const *const c_char;
}

/// Where `exec` looks for a command without a slash when PATH is unset (musl's default).
const DEFAULT_PATH: &[u8] = b"/usr/local/bin:/bin:/usr/bin";

/// `execvp(argv[0], argv)` with musl's meaning, written here because musl's brings string
/// routines the binary has no other use for: a name with a slash is run as it is; otherwise
/// each PATH entry is tried in turn (an empty entry is the current directory), going on past
/// ENOENT, ENOTDIR and EACCES and stopping at any other error; EACCES is what is left if any
/// entry gave it. No fallback to `sh` for a file without a `#!` line (ENOEXEC), as in musl.
/// Returns only on failure, with the errno.
pub fn exec(argv: *const *const c_char) -> i32 {
    // SAFETY: `argv` is a null-terminated array of C strings (pause's own argv, borrowed), and
    // `environ` is the C library's live, null-terminated environment.
    let run = |path: *const c_char| unsafe {
        libc::execve(path, argv, environ);
        errno()
    };
    // SAFETY: argv[0] is a live NUL-terminated string (pause's own argument).
    let first = unsafe { *argv };
    // SAFETY: as above.
    let name = unsafe { CStr::from_ptr(first) }.to_bytes();
    if name.is_empty() {
        return libc::ENOENT;
    }
    if name.contains(&b'/') {
        return run(first);
    }
    if name.len() > 255 {
        return libc::ENAMETOOLONG;
    }
    let search = env_bytes(c"PATH").unwrap_or(DEFAULT_PATH);
    let mut candidate = [0u8; libc::PATH_MAX as usize];
    let mut denied = false;
    for directory in search.split(|&byte| byte == b':') {
        let slash = usize::from(!directory.is_empty());
        let length = directory.len() + slash + name.len();
        if length >= candidate.len() {
            // What execve would say of it; musl stops there too.
            return libc::ENAMETOOLONG;
        }
        candidate[..directory.len()].copy_from_slice(directory);
        candidate[directory.len()] = b'/';
        candidate[directory.len() + slash..length].copy_from_slice(name);
        candidate[length] = 0;
        match run(candidate.as_ptr().cast()) {
            libc::EACCES => denied = true,
            libc::ENOENT | libc::ENOTDIR => {}
            other => return other,
        }
    }
    if denied {
        libc::EACCES
    } else {
        libc::ENOENT
    }
}

/// Ends the process now, without running anything a forked copy should not.
pub fn exit_now(status: c_int) -> ! {
    // SAFETY: _exit has no preconditions.
    unsafe { libc::_exit(status) }
}

/// The environment variable `name`'s value, if it is set: read from `environ` here, since the
/// C library's getenv brings string routines nothing else needs.
fn env_bytes(name: &CStr) -> Option<&'static [u8]> {
    let name = name.to_bytes();
    // SAFETY: `environ` is the C library's null-terminated array of NUL-terminated strings (or
    // null), which pause never changes, so they live as long as the process.
    let mut entry = unsafe { environ };
    // As getenv: no name, or one with `=`, is never set.
    if entry.is_null() || name.is_empty() || name.contains(&b'=') {
        return None;
    }
    loop {
        // SAFETY: `entry` points into the array, at most at its null end.
        let text = unsafe { *entry };
        if text.is_null() {
            return None;
        }
        // SAFETY: as above.
        let text = unsafe { CStr::from_ptr(text) }.to_bytes();
        if let Some(value) = text
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(b"="))
        {
            return Some(value);
        }
        // SAFETY: not at the end yet, so the next slot is within the array.
        entry = unsafe { entry.add(1) };
    }
}

/// Whether the environment variable `name` is set (to anything), as tini reads its switches.
pub fn env_is_set(name: &CStr) -> bool {
    env_bytes(name).is_some()
}

/// The environment variable `name` as `atoi` reads it (tini's `TINI_VERBOSITY`).
pub fn env_number(name: &CStr) -> Option<u32> {
    let digits = env_bytes(name)?.iter().take_while(|b| b.is_ascii_digit());
    Some(digits.fold(0u32, |n, d| {
        n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
    }))
}
