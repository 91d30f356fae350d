//! Signals and errors in words: tini's `-p` names, strsignal's and strerror's texts.

use std::ffi::CStr;

use libc::c_int;

/// Signals 1–31 by their names without `SIG`, in the kernel's order: one string, since a
/// table of string slices costs two words a line in the binary.
const SIGNAL_NAMES: &str = "HUP|INT|QUIT|ILL|TRAP|ABRT|BUS|FPE|KILL|USR1|SEGV|USR2|PIPE|ALRM|TERM|\
STKFLT|CHLD|CONT|STOP|TSTP|TTIN|TTOU|URG|XCPU|XFSZ|VTALRM|PROF|WINCH|IO|PWR|SYS";

/// The signal a `SIGNAME` names among tini's `-p` names (signals 1–31 but SIGSTKFLT, SIGIO and
/// SIGPWR, which tini's table lacks).
pub fn signal_by_name(name: &[u8]) -> Option<c_int> {
    let short = name.strip_prefix(b"SIG")?;
    let words = SIGNAL_NAMES.as_bytes().split(|&byte| byte == b'|');
    let found = (1..).zip(words).find(|(_, word)| *word == short)?.0;
    (!matches!(found, 16 | 29 | 30)).then_some(found)
}

/// What psignal(3) says for the signals pause ends on.
pub fn signal_words(signal: c_int) -> &'static str {
    match signal {
        libc::SIGINT => "Interrupt",
        libc::SIGTERM => "Terminated",
        _ => "Unknown signal",
    }
}

/// What strerror(3) says, for the errors pause can meet.
pub fn errno_words(errno: i32) -> Option<&'static str> {
    Some(match errno {
        libc::ENOENT => "No such file or directory",
        libc::EACCES => "Permission denied",
        libc::ENOEXEC => "Exec format error",
        libc::EPERM => "Operation not permitted",
        libc::EINVAL => "Invalid argument",
        libc::ENOMEM => "Out of memory",
        libc::EAGAIN => "Resource temporarily unavailable",
        libc::ESRCH => "No such process",
        libc::ENOTDIR => "Not a directory",
        libc::ELOOP => "Symbolic link loop",
        libc::ENAMETOOLONG => "Filename too long",
        libc::ETXTBSY => "Text file busy",
        libc::E2BIG => "Argument list too long",
        libc::EISDIR => "Is a directory",
        _ => return None,
    })
}

/// The C string a program name is, for messages. ASCII only: checking it is a short loop,
/// where UTF-8's full check would cost the binary half a kilobyte.
pub fn text(name: &CStr) -> &str {
    let bytes = name.to_bytes();
    if bytes.is_ascii() {
        // SAFETY: ASCII is UTF-8.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    } else {
        "(a name that is not ASCII)"
    }
}
