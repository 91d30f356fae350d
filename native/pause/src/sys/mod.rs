//! The system calls pause makes, each behind a safe function. Signal sets are the kernel's own
//! 64-bit masks (bit n-1 for signal n), passed to the raw syscalls, so that every signal the
//! kernel knows — the C library's internal real-time ones included — can be blocked, waited
//! for and forwarded.

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

/// `prctl(PR_SET_PDEATHSIG, signal)`: `signal` when pause's parent dies (tini's `-p`).
pub fn set_parent_death_signal(signal: c_int) -> Result<(), i32> {
    // SAFETY: this prctl takes integers only.
    check(unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, signal as libc::c_ulong, 0, 0, 0) })
        .map(|_| ())
}

mod exec;
mod process;
mod words;

pub use exec::{env_is_set, env_number, exec, exit_now};
pub use process::*;
pub use words::{errno_words, signal_by_name, signal_words, text};
