//! `pauselab trace -- CMD`: runs CMD in a fresh pid namespace under ptrace and records what the
//! kernel did, in the model's trace format.
//!
//! Why ptrace: every tracee stops at each fork, exec and exit and at the syscalls that matter
//! (wait4, kill, rt_sigaction, prctl, unshare), so the recorder sees everything the model needs.
//! The kernel's process-events connector reports forks and exits but no reaping, and being
//! CMD's subreaper shows only its own children. In a fresh pid namespace pids are exact (K8),
//! so the model's pids and the kernel's agree there.
//!
//! Tracees run at the same time, and their stops reach the recorder in no particular order; a
//! history in the wrong order is a false one. So the recorder puts the stops back in the
//! kernel's order where it matters: forks by the pid the kernel gave each child (it hands pids
//! out in order, K8), a new process only once its fork is recorded, a death by signal as the
//! kill that sent it. Whatever it cannot put in order (threads) stops the recording with an
//! error instead of writing it down wrong.
//!
//! Left out: process groups (kill with a pid ≤ 0 is reported, and marks the trace unfaithful),
//! setns (its target is a file descriptor), clone3's flags.

mod syscall;
mod tracer;

use std::ffi::CString;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sched::{unshare, CloneFlags};
use nix::sys::ptrace::{self, Options};
use nix::sys::signal::{raise, Signal as NixSignal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::{execvp, fork, ForkResult};
use pauselab_core::{Event, NsKind, NsKinds, Pid, Recorder, Trace, World};

use tracer::Tracer;

/// A step of tracing that failed.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    /// Tracing needs root (a new pid namespace).
    #[error("pauselab trace needs root (it runs the command in a new pid namespace)")]
    NotRoot,
    /// An argument with a NUL byte.
    #[error("argument \"{0}\" contains a NUL byte")]
    Nul(String),
    /// No command.
    #[error("no command to trace")]
    NoCommand,
    /// unshare, fork or the first ptrace steps.
    #[error("starting the command under ptrace")]
    Start(#[source] nix::Error),
    /// waitpid on the tracees failed.
    #[error("waiting for the traced processes")]
    Wait(#[source] nix::Error),
    /// The command started a thread, which the model has no place for: its pid would put every
    /// later pid out of step.
    #[error("process {0} started a thread: threads are not modelled, so the recording stops here rather than go on wrong")]
    Thread(i32),
    /// Forks could not be put in the kernel's order.
    #[error("the kernel gave pid {got} to a new process while the model's next pid is {expected}, and no fork of pid {expected} came: the recording stops here rather than go on wrong")]
    Unordered {
        /// The pid the model would give next.
        expected: u32,
        /// The lowest pid a fork reported.
        got: u32,
    },
}

/// A finished recording.
#[derive(Debug)]
pub struct Recording {
    /// The trace.
    pub trace: Trace,
    /// What the recorder could not follow; a trace with warnings may not be what the kernel
    /// did.
    pub warnings: Vec<String>,
    /// The command's exit status, as a shell reports it.
    pub exit_code: i32,
}

/// How long the recorder waits for the fork that got an earlier pid before it gives up.
const FORK_ORDER_WAIT: Duration = Duration::from_secs(5);

/// Runs `command` traced.
pub fn record(command: &[String]) -> Result<Recording, TraceError> {
    if !nix::unistd::geteuid().is_root() {
        return Err(TraceError::NotRoot);
    }
    let argv = command
        .iter()
        .map(|a| CString::new(a.as_str()).map_err(|_| TraceError::Nul(a.clone())))
        .collect::<Result<Vec<_>, _>>()?;
    if argv.is_empty() {
        return Err(TraceError::NoCommand);
    }
    let mut tracer = Tracer::new(model(command).ok_or(TraceError::Start(Errno::EINVAL))?)
        .ok_or(TraceError::Start(Errno::EINVAL))?;

    unshare(CloneFlags::CLONE_NEWPID).map_err(TraceError::Start)?;
    // SAFETY: pauselab is single-threaded; the child only asks to be traced, stops, and execs.
    let child = match unsafe { fork() }.map_err(TraceError::Start)? {
        ForkResult::Child => {
            let _ = ptrace::traceme();
            let _ = raise(NixSignal::SIGSTOP);
            let error = execvp(&argv[0], &argv)
                .err()
                .map(|e| e.desc())
                .unwrap_or("?");
            eprintln!("pauselab: cannot run {}: {error}", command[0]);
            std::process::exit(127);
        }
        ForkResult::Parent { child } => child,
    };
    waitpid(child, None).map_err(TraceError::Start)?;
    let options = Options::PTRACE_O_TRACEFORK
        | Options::PTRACE_O_TRACEVFORK
        | Options::PTRACE_O_TRACECLONE
        | Options::PTRACE_O_TRACEEXEC
        | Options::PTRACE_O_TRACEEXIT
        | Options::PTRACE_O_TRACESYSGOOD
        | Options::PTRACE_O_EXITKILL;
    ptrace::setoptions(child, options).map_err(TraceError::Start)?;
    tracer.started(child);
    ptrace::syscall(child, None).map_err(TraceError::Start)?;

    // Until no tracee is left. While forks wait to be put in order, poll: if the fork that got
    // the earlier pid never shows, stop instead of hanging (EXITKILL then ends the tracees).
    let mut waiting_since: Option<Instant> = None;
    loop {
        let flags = if tracer.has_pending_forks() {
            let since = *waiting_since.get_or_insert_with(Instant::now);
            if since.elapsed() > FORK_ORDER_WAIT {
                return Err(tracer.unordered());
            }
            WaitPidFlag::__WALL | WaitPidFlag::WNOHANG
        } else {
            waiting_since = None;
            WaitPidFlag::__WALL
        };
        let status = match waitpid(None, Some(flags)) {
            Ok(WaitStatus::StillAlive) => {
                std::thread::sleep(Duration::from_millis(1));
                continue;
            }
            Ok(status) => status,
            Err(Errno::ECHILD) => break,
            Err(Errno::EINTR) => continue,
            Err(error) => return Err(TraceError::Wait(error)),
        };
        if tracer.handle(status)? {
            waiting_since = None;
        }
    }
    Ok(tracer.finish())
}

/// The model: the host's init, the recorder (pid 2), and the command as pid 1 of a new pid
/// namespace, like the real one.
fn model(command: &[String]) -> Option<Recorder> {
    let mut world = World::new();
    world
        .apply(Event::Fork {
            pid: Pid(1),
            new: NsKinds::EMPTY,
        })
        .ok()?;
    let mut recorder = Recorder::new(
        world,
        Some(format!("pauselab trace -- {}", command.join(" "))),
    );
    recorder
        .record(Event::Fork {
            pid: Pid(2),
            new: NsKinds::of(&[NsKind::Pid]),
        })
        .ok()?;
    Some(recorder)
}
