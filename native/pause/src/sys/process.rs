//! Processes: fork and clone with a pidfd, pidfds' signals and exit status, signalfd and poll,
//! process groups and the terminal, reaping and the subreaper flag.

use libc::c_int;

use super::{check, errno, getpid, Mask};

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
