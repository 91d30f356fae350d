//! Init mode: run a command as its pid 1, forward signals, reap orphans, pass its status on.

use std::ffi::CStr;

use nix::errno::Errno;
use nix::sys::prctl;
use nix::sys::signal::{kill, killpg, SigSet, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::{execvp, fork, getpid, setpgid, ForkResult, Pid};

use super::cli::InitOptions;

/// A step of init mode that failed.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// prctl(PR_SET_CHILD_SUBREAPER).
    #[error("becoming a child subreaper")]
    Subreaper(#[source] std::io::Error),
    /// sigprocmask.
    #[error("blocking signals")]
    BlockSignals(#[source] std::io::Error),
    /// fork.
    #[error("starting the command")]
    Fork(#[source] std::io::Error),
    /// sigwait.
    #[error("waiting for signals")]
    Wait(#[source] std::io::Error),
    /// waitpid.
    #[error("reaping children")]
    Reap(#[source] std::io::Error),
}

/// Exit status when the command cannot be found (as shells report it).
pub const NOT_FOUND: i32 = 127;
/// Exit status when the command exists but cannot be run.
pub const NOT_EXECUTABLE: i32 = 126;

/// Signals a supervisor must not block or forward: the ones the CPU raises for its own faults.
const FAULTS: [Signal; 6] = [
    Signal::SIGSEGV,
    Signal::SIGBUS,
    Signal::SIGILL,
    Signal::SIGFPE,
    Signal::SIGTRAP,
    Signal::SIGSYS,
];

/// Every signal pause waits for: all catchable ones but the faults.
fn waited_signals() -> SigSet {
    let mut set = SigSet::all();
    for signal in FAULTS {
        set.remove(signal);
    }
    set
}

/// Runs the command and returns the exit status pause should end with.
pub fn run(options: &InitOptions<'_>) -> Result<i32, InitError> {
    let argv = &options.command;
    if getpid() != Pid::from_raw(1) {
        prctl::set_child_subreaper(true).map_err(|errno| InitError::Subreaper(errno.into()))?;
        if options.verbose {
            eprintln!(
                "pause: pid {} is not 1: now a child subreaper, so orphans still come here (K13)",
                getpid()
            );
        }
    }
    let waited = waited_signals();
    // Blocked before the fork so that no signal meant for the child is lost in between.
    let previous = waited
        .thread_swap_mask(nix::sys::signal::SigmaskHow::SIG_BLOCK)
        .map_err(|errno| InitError::BlockSignals(errno.into()))?;

    // SAFETY: pause is single-threaded, so the child may run any code until it execs.
    let child = match unsafe { fork() }.map_err(|errno| InitError::Fork(errno.into()))? {
        ForkResult::Child => exec_child(argv, &previous),
        ForkResult::Parent { child } => child,
    };
    // Also from the parent, so that a forwarded signal never races the child's own setpgid.
    // EACCES means the child has already exec'd after doing it itself.
    let _ = setpgid(child, child);
    if options.verbose {
        eprintln!(
            "pause: started {} as pid {child}",
            argv[0].to_string_lossy()
        );
    }
    supervise(child, options, &waited)
}

/// In the child: its own process group, the signal mask it would have had, then the command.
fn exec_child(argv: &[&CStr], mask: &SigSet) -> ! {
    let _ = setpgid(Pid::from_raw(0), Pid::from_raw(0));
    let _ = mask.thread_set_mask();
    let error = match execvp(argv[0], argv) {
        Err(error) => error,
        Ok(never) => match never {},
    };
    let name = argv[0].to_string_lossy();
    eprintln!("pause: cannot run {name}: {}", std::io::Error::from(error));
    std::process::exit(if error == Errno::ENOENT {
        NOT_FOUND
    } else {
        NOT_EXECUTABLE
    })
}

fn supervise(child: Pid, options: &InitOptions<'_>, waited: &SigSet) -> Result<i32, InitError> {
    loop {
        let signal = waited
            .wait()
            .map_err(|errno| InitError::Wait(errno.into()))?;
        if signal == Signal::SIGCHLD {
            if let Some(status) = reap(child)? {
                return Ok(status);
            }
            continue;
        }
        let sent = if options.group {
            killpg(child, signal)
        } else {
            kill(child, signal)
        };
        if options.verbose {
            let to = if options.group { "group of" } else { "pid" };
            match sent {
                Ok(()) => eprintln!("pause: forwarded {} to {to} {child}", signal.as_str()),
                Err(errno) => eprintln!(
                    "pause: forwarding {} to {to} {child}: {}",
                    signal.as_str(),
                    std::io::Error::from(errno)
                ),
            }
        }
    }
}

/// Collects every zombie child; returns the command's exit status once it is among them.
fn reap(child: Pid) -> Result<Option<i32>, InitError> {
    let mut status = None;
    loop {
        match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(pid, code)) if pid == child => status = Some(code),
            Ok(WaitStatus::Signaled(pid, signal, _)) if pid == child => {
                status = Some(128 + signal as i32)
            }
            Ok(WaitStatus::StillAlive) | Err(Errno::ECHILD) => return Ok(status),
            Ok(_) | Err(Errno::EINTR) => {}
            Err(error) => return Err(InitError::Reap(error.into())),
        }
    }
}
