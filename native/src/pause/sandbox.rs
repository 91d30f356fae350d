//! Sandbox mode: hold the namespaces, let the kernel reap, wake only to shut down.

use nix::errno::Errno;
use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::{getpid, Pid};

/// A step of sandbox mode that failed.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// sigprocmask.
    #[error("blocking SIGINT and SIGTERM")]
    BlockSignals(#[source] std::io::Error),
    /// sigaction(SIGCHLD, SIG_IGN).
    #[error("setting SIGCHLD to SIG_IGN")]
    IgnoreSigchld(#[source] std::io::Error),
    /// waitpid.
    #[error("reaping the zombies already present")]
    Reap(#[source] std::io::Error),
    /// sigwait.
    #[error("waiting for SIGINT or SIGTERM")]
    Wait(#[source] std::io::Error),
}

/// The signals that end sandbox mode.
fn shutdown_signals() -> SigSet {
    let mut set = SigSet::empty();
    set.add(Signal::SIGINT);
    set.add(Signal::SIGTERM);
    set
}

/// Runs sandbox mode until SIGINT or SIGTERM, which it returns.
pub fn run() -> Result<Signal, SandboxError> {
    if getpid() != Pid::from_raw(1) {
        // Not an error: pause.c says the same and goes on.
        eprintln!("Warning: pause should be the first process");
    }
    let shutdown = shutdown_signals();
    // Blocked before anything else, so a SIGTERM that arrives early waits for sigwait.
    shutdown
        .thread_block()
        .map_err(|errno| SandboxError::BlockSignals(errno.into()))?;
    let ignore = SigAction::new(SigHandler::SigIgn, SaFlags::empty(), SigSet::empty());
    // SAFETY: SIG_IGN installs no handler function, so no code runs in signal context.
    unsafe { sigaction(Signal::SIGCHLD, &ignore) }
        .map_err(|errno| SandboxError::IgnoreSigchld(errno.into()))?;
    reap_existing_zombies()?;
    loop {
        let signal = shutdown
            .wait()
            .map_err(|errno| SandboxError::Wait(errno.into()))?;
        if shutdown.contains(signal) {
            return Ok(signal);
        }
    }
}

/// SIG_IGN does not release zombies that existed before it was set (K15): collect those once.
fn reap_existing_zombies() -> Result<(), SandboxError> {
    loop {
        match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) | Err(Errno::ECHILD) => return Ok(()),
            Ok(_) => continue,
            Err(Errno::EINTR) => continue,
            Err(error) => return Err(SandboxError::Reap(error.into())),
        }
    }
}
