//! The system calls pause makes, each behind a safe function. Signal sets are the kernel's own
//! 64-bit masks (bit n-1 for signal n), passed to the raw syscalls, so that every signal the
//! kernel knows — the C library's internal real-time ones included — can be blocked, waited
//! for and forwarded.

use std::ffi::{c_char, CStr};

use libc::c_int;

extern "C" {
    /// The process's environment, as the C library keeps it.
    static environ: *const *const c_char;
}

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

/// `fork()`, as the system call `clone(SIGCHLD)`: the C library's fork would bring its
/// thread and lock machinery (3.9 kB of the 27.8 it was on ppc64le) to a process that has no
/// threads.
pub fn fork() -> Result<Forked, i32> {
    // SAFETY: pause is single-threaded, so the child may run any code until it execs or exits;
    // the C library's cached thread id is the parent's, which nothing the child calls reads
    // (as for clone_with_pidfd); the parent-tid pointer is null, which the kernel does not
    // write without CLONE_PARENT_SETTID or CLONE_PIDFD.
    let pid = unsafe { raw_clone(libc::SIGCHLD, std::ptr::null_mut()) }?;
    Ok(if pid == 0 {
        Forked::Child
    } else {
        Forked::Parent(pid as libc::pid_t)
    })
}

/// The kernel's `struct clone_args` as of Linux 5.3 (`CLONE_ARGS_SIZE_VER0`).
#[repr(C)]
struct CloneArgs {
    flags: u64,
    pidfd: u64,
    child_tid: u64,
    parent_tid: u64,
    exit_signal: u64,
    stack: u64,
    stack_size: u64,
    tls: u64,
}

/// What `clone3` returned.
pub enum Cloned {
    /// In the child.
    Child,
    /// In the parent: the child's pid and a pidfd for it.
    Parent(libc::pid_t, c_int),
}

/// `clone3(CLONE_PIDFD)`, like `fork` otherwise: the child and a pidfd for it, which becomes
/// readable when it ends. (An exit signal other than SIGCHLD would not keep it from being
/// released while SIGCHLD is ignored: exec sets it back to SIGCHLD, fs/exec.c `de_thread`.)
pub fn clone_with_pidfd() -> Result<Cloned, i32> {
    let mut pidfd: c_int = -1;
    let args = CloneArgs {
        flags: libc::CLONE_PIDFD as u64,
        pidfd: &mut pidfd as *mut c_int as u64,
        child_tid: 0,
        parent_tid: 0,
        exit_signal: libc::SIGCHLD as u64,
        stack: 0,
        stack_size: 0,
        tls: 0,
    };
    // SAFETY: `args` is a live clone_args of the size passed, its pidfd field points at a live
    // c_int; with no stack the child runs on a copy of this one, as after fork. pause is
    // single-threaded, and the child makes only plain system calls before it execs (`exec`
    // searches PATH itself); the C library's cached thread id is the parent's, which none of
    // them reads (only musl's abort would, after a panic in the child, and the image's build
    // aborts a panic with a trap).
    let pid = unsafe {
        libc::syscall(
            libc::SYS_clone3,
            &args as *const CloneArgs,
            std::mem::size_of::<CloneArgs>(),
        )
    };
    let pid = match check(pid) {
        // docker's default seccomp profile answers clone3 with ENOSYS (older ones with EPERM),
        // so that the C library falls back to clone(2), which takes CLONE_PIDFD too (5.2).
        Err(errno) if errno != libc::EAGAIN && errno != libc::ENOMEM => {
            // SAFETY: single-threaded (as above); `pidfd` is a live c_int for the kernel.
            unsafe { raw_clone(libc::CLONE_PIDFD | libc::SIGCHLD, &mut pidfd) }?
        }
        other => other?,
    };
    match pid {
        0 => Ok(Cloned::Child),
        pid => Ok(Cloned::Parent(pid as libc::pid_t, pidfd)),
    }
}

/// `clone(flags)` with no new stack; with CLONE_PIDFD the pidfd is written where the parent's
/// tid would be. The argument order is the architecture's (`CLONE_BACKWARDS`,
/// `CLONE_BACKWARDS2`).
///
/// # Safety
/// As for `fork`: the process is single-threaded, and `parent_tid` is null or points at a live
/// c_int when `flags` asks the kernel to write one.
unsafe fn raw_clone(flags: c_int, parent_tid: *mut c_int) -> Result<libc::c_long, i32> {
    let flags = flags as libc::c_long;
    let none = 0 as libc::c_long;
    // SAFETY: no stack means a copy of this one, as after fork; the caller vouches for
    // `parent_tid`; the other pointers are null.
    let pid = unsafe {
        #[cfg(target_arch = "s390x")]
        {
            libc::syscall(libc::SYS_clone, none, flags, parent_tid, none, none)
        }
        // x86_64 (flags, stack, parent_tid, child_tid, tls) and the CLONE_BACKWARDS ones
        // (flags, stack, parent_tid, tls, child_tid) agree on the first three.
        #[cfg(not(target_arch = "s390x"))]
        {
            libc::syscall(libc::SYS_clone, flags, none, parent_tid, none, none)
        }
    };
    check(pid)
}

/// `pidfd_send_signal(pidfd, signal)`: to the process itself, never to one that took its pid.
pub fn pidfd_signal(pidfd: c_int, signal: c_int) -> Result<(), i32> {
    // SAFETY: integers, and a null siginfo (the kernel fills in a kill's).
    check(unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            pidfd,
            signal,
            std::ptr::null::<u8>(),
            0,
        )
    })
    .map(|_| ())
}

/// A signalfd that reads the (blocked) signals in `mask`, closed on exec.
pub fn signalfd(mask: Mask) -> Result<c_int, i32> {
    // SAFETY: the mask is a live u64 of the kernel's sigset size.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_signalfd4,
            -1 as c_int,
            &mask as *const Mask,
            std::mem::size_of::<Mask>(),
            libc::SFD_CLOEXEC,
        )
    };
    check(fd).map(|fd| fd as c_int)
}

/// Sleeps until `signals` or `pidfd` is readable; says which.
pub fn poll_two(signals: c_int, pidfd: c_int) -> Result<(bool, bool), i32> {
    let mut fds = [
        libc::pollfd {
            fd: signals,
            events: libc::POLLIN,
            revents: 0,
        },
        libc::pollfd {
            fd: pidfd,
            events: libc::POLLIN,
            revents: 0,
        },
    ];
    // SAFETY: `fds` is a live array of two pollfds; no timeout, no mask change.
    let ready = unsafe { libc::ppoll(fds.as_mut_ptr(), 2, std::ptr::null(), std::ptr::null()) };
    check(ready)?;
    Ok((fds[0].revents != 0, fds[1].revents != 0))
}

/// The next signal a signalfd has for us (one `signalfd_siginfo`, whose first field is the
/// signal's number).
pub fn read_signal(fd: c_int) -> Result<c_int, i32> {
    let mut info = [0u32; 32];
    // SAFETY: the buffer is live and 128 bytes long, the size of one signalfd_siginfo.
    check(unsafe { libc::read(fd, info.as_mut_ptr().cast(), 128) })?;
    Ok(info[0] as c_int)
}

/// The kernel's `struct pidfd_info` as first published (`PIDFD_INFO_SIZE_VER0`, Linux 6.13;
/// `exit_code` from 6.15).
#[repr(C)]
struct PidfdInfo {
    mask: u64,
    cgroupid: u64,
    ids: [u32; 11],
    exit_code: i32,
}

/// `PIDFD_INFO_EXIT`: ask for how the process ended (once it has been reaped).
const PIDFD_INFO_EXIT: u64 = 1 << 3;
/// `PIDFD_GET_INFO`: `_IOWR(0xFF, 11, struct pidfd_info)`, in the generic ioctl encoding
/// (x86, arm, arm64, s390x: read|write is 3 at bit 30); powerpc, mips and sparc put
/// read|write (6) at bit 29.
#[cfg(not(any(
    target_arch = "powerpc",
    target_arch = "powerpc64",
    target_arch = "mips",
    target_arch = "mips64",
    target_arch = "sparc64"
)))]
const PIDFD_GET_INFO: u64 = (3 << 30) | (64 << 16) | (0xFF << 8) | 11;
#[cfg(any(
    target_arch = "powerpc",
    target_arch = "powerpc64",
    target_arch = "mips",
    target_arch = "mips64",
    target_arch = "sparc64"
))]
const PIDFD_GET_INFO: u64 = (6 << 29) | (64 << 16) | (0xFF << 8) | 11;

/// `ioctl(pidfd, PIDFD_GET_INFO)` asking for the exit: the kernel's answer and its mask.
fn pidfd_info(pidfd: c_int) -> Result<PidfdInfo, i32> {
    let mut info = PidfdInfo {
        mask: PIDFD_INFO_EXIT,
        cgroupid: 0,
        ids: [0; 11],
        exit_code: 0,
    };
    // SAFETY: `info` is a live struct of the size the request encodes (64 bytes).
    check(unsafe { libc::ioctl(pidfd, PIDFD_GET_INFO as _, &mut info as *mut PidfdInfo) })?;
    Ok(info)
}

/// How the process `pidfd` names ended, as a shell's status (128+n for signal n), once the
/// kernel has released it and kept its exit (`PIDFD_INFO_EXIT`); `None` until then.
pub fn exit_info(pidfd: c_int) -> Result<Option<i32>, i32> {
    let info = pidfd_info(pidfd)?;
    if info.mask & PIDFD_INFO_EXIT == 0 {
        return Ok(None);
    }
    Ok(Some(shell_status(info.exit_code)))
}

/// Whether a child's exit can be read from its pidfd after the kernel has released it: Linux
/// 6.15 or later (`uname`), pidfds given (`pidfd_open`, which a seccomp filter may refuse), and
/// `PIDFD_GET_INFO` answered.
pub fn exit_info_works() -> bool {
    // SAFETY: a zeroed utsname is valid for the kernel to fill.
    let mut name: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: `name` is live.
    if unsafe { libc::uname(&mut name) } != 0 {
        return false;
    }
    let release = name.release.iter().map(|&c| c as u8);
    let mut numbers = [0u32; 2];
    let mut at = 0;
    for byte in release {
        match byte {
            b'0'..=b'9' => numbers[at] = numbers[at] * 10 + u32::from(byte - b'0'),
            b'.' if at == 0 => at = 1,
            _ => break,
        }
    }
    if (numbers[0], numbers[1]) < (6, 15) {
        return false;
    }
    // SAFETY: pidfd_open takes integers; the fd it returns is closed below.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, getpid(), 0) };
    if fd < 0 {
        return false;
    }
    let answered = pidfd_info(fd as c_int).is_ok();
    // SAFETY: closing the fd just opened.
    unsafe { libc::close(fd as c_int) };
    answered
}

/// Gives the CPU to another task, while the kernel finishes releasing a child.
pub fn yield_now() {
    // SAFETY: sched_yield has no arguments.
    unsafe { libc::sched_yield() };
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

/// A wait status as a shell's `$?`: the exit code, or 128+n for signal n.
fn shell_status(status: c_int) -> i32 {
    if libc::WIFSIGNALED(status) {
        128 + libc::WTERMSIG(status)
    } else {
        libc::WEXITSTATUS(status)
    }
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
        pid => Ok(Reaped::Child(pid, shell_status(status))),
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

/// The kernel's `struct sigaction` as `rt_sigaction` reads and writes it on the five
/// architectures pause is built for: the handler first, then the flags, the restorer and the
/// mask, 64 signals as `unsigned long`s (on arm two 4-byte words at offset 12, so not a u64,
/// whose alignment would move it). The raw call, because the C library's sigaction brings its
/// locks: pause only ever sets SIG_IGN or puts back what it read.
#[repr(C)]
struct KernelAction {
    handler: libc::sighandler_t,
    flags: libc::c_ulong,
    restorer: usize,
    mask: [u32; 2],
}

// Three words and 8 bytes of mask, with no padding: the kernel's size on every target.
const _: () = assert!(std::mem::size_of::<KernelAction>() == 3 * std::mem::size_of::<usize>() + 8);

/// `rt_sigaction(signal, new, old)` with the kernel's sigset size.
fn rt_sigaction(
    signal: c_int,
    new: Option<&KernelAction>,
    old: Option<&mut KernelAction>,
) -> Result<(), i32> {
    let new = new.map_or(std::ptr::null(), |action| action as *const KernelAction);
    let old = old.map_or(std::ptr::null_mut(), |action| action as *mut KernelAction);
    // SAFETY: each pointer is null or a live KernelAction, at least as large as the kernel's
    // struct; a new action is SIG_IGN or one read from this process (see set_disposition).
    let done = unsafe {
        libc::syscall(
            libc::SYS_rt_sigaction,
            signal,
            new,
            old,
            std::mem::size_of::<Mask>(),
        )
    };
    check(done).map(|_| ())
}

/// The disposition of `signal` (SIG_DFL, SIG_IGN or a handler).
pub fn disposition(signal: c_int) -> Result<Disposition, i32> {
    let mut old = KernelAction {
        handler: libc::SIG_DFL,
        flags: 0,
        restorer: 0,
        mask: [0; 2],
    };
    rt_sigaction(signal, None, Some(&mut old))?;
    Ok(Disposition(old.handler))
}

/// Sets `signal` to `SIG_IGN`, or back to a disposition read before (pause installs no
/// handler, and exec leaves none, so what is put back is SIG_DFL or SIG_IGN).
pub fn set_disposition(signal: c_int, to: Option<Disposition>) -> Result<(), i32> {
    let action = KernelAction {
        handler: to.map_or(libc::SIG_IGN, |d| d.0),
        flags: 0,
        restorer: 0,
        mask: [0; 2],
    };
    rt_sigaction(signal, Some(&action), None)
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

/// `prctl(PR_SET_PDEATHSIG, signal)`: `signal` when pause's parent dies (tini's `-p`).
pub fn set_parent_death_signal(signal: c_int) -> Result<(), i32> {
    // SAFETY: this prctl takes integers only.
    check(unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, signal as libc::c_ulong, 0, 0, 0) })
        .map(|_| ())
}

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
