//! The system calls pause makes, each behind a safe function. Signal sets are the kernel's own
//! 64-bit masks (bit n-1 for signal n), passed to the raw syscalls, so that every signal the
//! kernel knows — the C library's internal real-time ones included — can be blocked, waited
//! for and forwarded.

use std::ffi::{c_char, CStr};

use libc::c_int;

/// A set of signals, as the kernel's `sigset_t`.
pub type Mask = u64;

/// The mask of one signal.
pub const fn bit(signal: c_int) -> Mask {
    1 << (signal - 1)
}

/// The highest signal number (`SIGRTMAX` as the kernel counts).
pub const LAST_SIGNAL: c_int = 64;

/// The errno of the last failed call. (Read directly: `std::io::Error` would bring its
/// message formatting into the binary.)
fn errno() -> i32 {
    // SAFETY: __errno_location returns the calling thread's errno slot, valid for its life.
    unsafe { *libc::__errno_location() }
}

/// `Ok(value)` unless the call returned -1.
fn check<T: PartialEq + From<i8>>(value: T) -> Result<T, i32> {
    if value == T::from(-1) {
        Err(errno())
    } else {
        Ok(value)
    }
}

/// Writes all of `bytes` to `fd`, retrying partial writes; errors are dropped (there is nowhere
/// left to report them).
pub fn write_all(fd: c_int, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        // SAFETY: `bytes` is a live slice; the kernel reads at most its length.
        let written = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        match usize::try_from(written) {
            Ok(0) => return,
            Ok(n) => bytes = &bytes[n.min(bytes.len())..],
            Err(_) if errno() == libc::EINTR => {}
            Err(_) => return,
        }
    }
}

/// `rt_sigprocmask(how, mask)`; returns the mask before.
fn sigprocmask(how: c_int, mask: Mask) -> Result<Mask, i32> {
    let mut old: Mask = 0;
    // SAFETY: both pointers are to live u64s, and 8 bytes is the kernel's sigset size.
    let done = unsafe {
        libc::syscall(
            libc::SYS_rt_sigprocmask,
            how,
            &mask as *const Mask,
            &mut old as *mut Mask,
            std::mem::size_of::<Mask>(),
        )
    };
    check(done).map(|_| old)
}

/// Blocks `mask`; returns the mask before.
pub fn block(mask: Mask) -> Result<Mask, i32> {
    sigprocmask(libc::SIG_BLOCK, mask)
}

/// Sets the blocked mask to exactly `mask`.
pub fn set_mask(mask: Mask) -> Result<(), i32> {
    sigprocmask(libc::SIG_SETMASK, mask).map(|_| ())
}

/// Sleeps until one of the (blocked) signals in `mask` is pending and takes it.
pub fn wait_signal(mask: Mask) -> Result<c_int, i32> {
    // SAFETY: the set is a live u64 of the kernel's sigset size; info and timeout may be null.
    let signal = unsafe {
        libc::syscall(
            libc::SYS_rt_sigtimedwait,
            &mask as *const Mask,
            std::ptr::null_mut::<libc::siginfo_t>(),
            std::ptr::null::<libc::timespec>(),
            std::mem::size_of::<Mask>(),
        )
    };
    check(signal).map(|s| s as c_int)
}

/// `kill(pid, signal)`; a negative pid names a process group.
pub fn kill(pid: libc::pid_t, signal: c_int) -> Result<(), i32> {
    // SAFETY: kill has no memory arguments.
    check(unsafe { libc::kill(pid, signal) }).map(|_| ())
}

/// Its own pid.
pub fn getpid() -> libc::pid_t {
    // SAFETY: getpid cannot fail and has no arguments.
    unsafe { libc::getpid() }
}

/// What `fork` returned.
pub enum Forked {
    /// In the child.
    Child,
    /// In the parent, with the child's pid.
    Parent(libc::pid_t),
}

/// `fork()`.
pub fn fork() -> Result<Forked, i32> {
    // SAFETY: pause is single-threaded, so the child may run any code until it execs or exits.
    let pid = check(unsafe { libc::fork() })?;
    Ok(if pid == 0 {
        Forked::Child
    } else {
        Forked::Parent(pid)
    })
}

/// `setpgid(pid, pgid)`.
pub fn setpgid(pid: libc::pid_t, pgid: libc::pid_t) -> Result<(), i32> {
    // SAFETY: setpgid has no memory arguments.
    check(unsafe { libc::setpgid(pid, pgid) }).map(|_| ())
}

/// Whether fd 0 is a terminal.
pub fn stdin_is_a_terminal() -> bool {
    // SAFETY: isatty has no memory arguments.
    unsafe { libc::isatty(0) == 1 }
}

/// Makes `pgrp` the foreground process group of the terminal on fd 0.
pub fn give_terminal_to(pgrp: libc::pid_t) -> Result<(), i32> {
    // SAFETY: tcsetpgrp has no memory arguments.
    check(unsafe { libc::tcsetpgrp(0, pgrp) }).map(|_| ())
}

/// How a child ended.
pub enum Reaped {
    /// This child exited or was killed; the shell's status (128+n for signal n).
    Child(libc::pid_t, i32),
    /// Children exist, none has ended.
    None,
    /// No child at all.
    NoChildren,
}

/// `waitpid(-1, WNOHANG)`.
pub fn reap_one() -> Result<Reaped, i32> {
    let mut status: c_int = 0;
    // SAFETY: `status` is a live c_int for the kernel to fill.
    let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
    match pid {
        0 => Ok(Reaped::None),
        -1 if errno() == libc::ECHILD => Ok(Reaped::NoChildren),
        -1 => Err(errno()),
        pid => {
            let code = if libc::WIFSIGNALED(status) {
                128 + libc::WTERMSIG(status)
            } else {
                libc::WEXITSTATUS(status)
            };
            Ok(Reaped::Child(pid, code))
        }
    }
}

/// `prctl(PR_SET_CHILD_SUBREAPER, 1)` (K13).
pub fn become_subreaper() -> Result<(), i32> {
    // SAFETY: this prctl takes integers only.
    check(unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1 as libc::c_ulong, 0, 0, 0) })
        .map(|_| ())
}

/// A signal's disposition, to restore later.
#[derive(Clone, Copy)]
pub struct Disposition(libc::sighandler_t);

/// The disposition of `signal` (SIG_DFL, SIG_IGN or a handler).
pub fn disposition(signal: c_int) -> Result<Disposition, i32> {
    // SAFETY: a zeroed sigaction is a valid value (SIG_DFL, no flags, empty mask); the kernel
    // writes the current action into it.
    let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: null asks for no change; `old` is live.
    check(unsafe { libc::sigaction(signal, std::ptr::null(), &mut old) })?;
    Ok(Disposition(old.sa_sigaction))
}

/// Sets `signal` to `SIG_IGN`, or back to a disposition read before (a handler address is
/// only ever restored in a process that has the same code).
pub fn set_disposition(signal: c_int, to: Option<Disposition>) -> Result<(), i32> {
    // SAFETY: as above, a zeroed sigaction is valid.
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    action.sa_sigaction = to.map_or(libc::SIG_IGN, |d| d.0);
    // SAFETY: `action` is live; SIG_IGN and SIG_DFL install no code, and a handler is only
    // restored to the process it was read from.
    check(unsafe { libc::sigaction(signal, &action, std::ptr::null_mut()) }).map(|_| ())
}

/// `execvp(argv[0], argv)`; returns only on failure, with the errno.
pub fn exec(argv: *const *const c_char) -> i32 {
    // SAFETY: `argv` is a null-terminated array of C strings (pause's own argv, borrowed).
    unsafe { libc::execvp(*argv, argv) };
    errno()
}

/// Ends the process now, without running anything a forked copy should not.
pub fn exit_now(status: c_int) -> ! {
    // SAFETY: _exit has no preconditions.
    unsafe { libc::_exit(status) }
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

/// The C string a program name is, for messages.
pub fn text(name: &CStr) -> &str {
    name.to_str().unwrap_or("(a name that is not UTF-8)")
}
