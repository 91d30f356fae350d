//! Why an event was refused. A refused event leaves the model exactly as it was.

use serde::{Deserialize, Serialize};

use crate::ns::{NsId, NsKind};
use crate::process::{Pid, ProcState};
use crate::rule::Rule;
use crate::signal::Signal;

/// The errno a real syscall would fail with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[allow(clippy::upper_case_acronyms)] // errno names are the vocabulary
pub enum Errno {
    /// No such process.
    ESRCH,
    /// No child processes.
    ECHILD,
    /// Invalid argument.
    EINVAL,
    /// Out of memory: the kernel's answer to a fork into a dead pid namespace (an outcome,
    /// [`crate::Outcome::ForkFailed`], since the failed fork still moves the pid cursors).
    ENOMEM,
    /// No space left: too many nested namespaces.
    ENOSPC,
}

/// An event the model refuses, with the reason. Events a real kernel would fail carry the errno.
#[derive(Clone, Debug, PartialEq, Eq, Hash, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum ModelError {
    /// The actor does not exist.
    #[error("no process with host pid {pid}")]
    NoSuchProcess {
        /// The pid given.
        pid: Pid,
    },
    /// The actor has exited and cannot act.
    #[error("process {pid} cannot act: it is {state:?}")]
    NotAlive {
        /// The process.
        pid: Pid,
        /// Its state.
        state: ProcState,
    },
    /// The actor is stopped and cannot act until SIGCONT.
    #[error("process {pid} is stopped")]
    Stopped {
        /// The process.
        pid: Pid,
    },
    /// The actor is blocked in `wait` and can only exit or receive signals.
    #[error("process {pid} is blocked in wait")]
    Blocked {
        /// The process.
        pid: Pid,
    },
    /// No living namespace has this identity.
    #[error("no namespace {ns}")]
    NoSuchNamespace {
        /// The identity given.
        ns: NsId,
    },
    /// `kill` named a pid that the sender cannot see (K9).
    #[error("kill: no process {target} in the pid namespace of {sender} (ESRCH, K9)")]
    TargetNotVisible {
        /// The sender.
        sender: Pid,
        /// The target as given.
        target: Pid,
    },
    /// A process names another that is outside its pid namespace (K9): it has no pid to give.
    #[error("{target} is outside the pid namespace of {viewer}: {viewer} cannot see it (ESRCH)")]
    Invisible {
        /// The process that looks.
        viewer: Pid,
        /// The other process, by host pid.
        target: Pid,
    },
    /// `wait` with no children at all (K16).
    #[error("wait: {pid} has no children (ECHILD, K16)")]
    NoChildren {
        /// The waiter.
        pid: Pid,
    },
    /// `waitpid(pid)` for a process that is not the caller's child (K16).
    #[error("waitpid: {target} is not a child of {pid} (ECHILD, K16)")]
    NotAChild {
        /// The waiter.
        pid: Pid,
        /// The target as given.
        target: Pid,
    },
    /// `setns` to a pid namespace that is not the caller's own or below it (K4).
    #[error("setns: pid namespace {ns} is not {pid}'s own or a descendant of it (EINVAL, K4)")]
    PidNamespaceNotDescendant {
        /// The caller.
        pid: Pid,
        /// The target namespace.
        ns: NsId,
    },
    /// A second new pid namespace before the caller has forked into the first (K4).
    #[error(
        "{pid}'s pid_for_children is already a new pid namespace; fork into it first (EINVAL, K4)"
    )]
    PidNamespaceAlreadyUnshared {
        /// The caller.
        pid: Pid,
    },
    /// More than 32 nested pid (or user) namespaces (K7).
    #[error("{kind} namespaces nest at most 32 deep (ENOSPC, K7)")]
    TooDeep {
        /// The kind.
        kind: NsKind,
    },
    /// Joining the user namespace one is already in.
    #[error("setns: {pid} is already in user namespace {ns} (EINVAL)")]
    AlreadyInUserNamespace {
        /// The caller.
        pid: Pid,
        /// The namespace.
        ns: NsId,
    },
    /// SIGKILL and SIGSTOP cannot be caught or ignored.
    #[error("sigaction: {signal} cannot be caught or ignored (EINVAL)")]
    Uncatchable {
        /// The signal.
        signal: Signal,
    },
    /// A `Fault` event with a signal that is not a synchronous fault (K18).
    #[error("{signal} is not a fault signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS)")]
    NotAFault {
        /// The signal.
        signal: Signal,
    },
    /// The host's init cannot exit: the kernel panics ("Attempted to kill init!").
    #[error("the host's init cannot exit: the kernel would panic")]
    HostInitExit,
    /// Unpin with a holder that does not pin the namespace.
    #[error("namespace {ns} is not pinned by {holder:?}")]
    NotPinned {
        /// The namespace.
        ns: NsId,
        /// The holder given.
        holder: String,
    },
    /// Pin with a holder that already pins the namespace.
    #[error("namespace {ns} is already pinned by {holder:?}")]
    AlreadyPinned {
        /// The namespace.
        ns: NsId,
        /// The holder given.
        holder: String,
    },
    /// Every namespace identity has been handed out (a file can start the model there).
    #[error(
        "no namespace identity is left: the next one would be above {}",
        u32::MAX
    )]
    NoFreeNamespaceId,
    /// No free pid left in a pid namespace.
    #[error("no free pid in pid namespace {ns} (EAGAIN)")]
    NoFreePid {
        /// The namespace.
        ns: NsId,
    },
}

impl ModelError {
    /// The errno the real syscall fails with, for errors a kernel would return; `None` for
    /// events that could not happen at all (an unknown process, a dead actor).
    pub fn errno(&self) -> Option<Errno> {
        match self {
            ModelError::TargetNotVisible { .. } | ModelError::Invisible { .. } => {
                Some(Errno::ESRCH)
            }
            ModelError::NoChildren { .. } | ModelError::NotAChild { .. } => Some(Errno::ECHILD),
            ModelError::PidNamespaceNotDescendant { .. }
            | ModelError::PidNamespaceAlreadyUnshared { .. }
            | ModelError::AlreadyInUserNamespace { .. }
            | ModelError::Uncatchable { .. } => Some(Errno::EINVAL),
            ModelError::TooDeep { .. } => Some(Errno::ENOSPC),
            _ => None,
        }
    }

    /// The rule that explains the refusal, if one does.
    pub fn rule(&self) -> Option<Rule> {
        match self {
            ModelError::TargetNotVisible { .. } | ModelError::Invisible { .. } => Some(Rule::K9),
            ModelError::NoChildren { .. } | ModelError::NotAChild { .. } => Some(Rule::K16),
            ModelError::PidNamespaceNotDescendant { .. }
            | ModelError::PidNamespaceAlreadyUnshared { .. } => Some(Rule::K4),
            ModelError::TooDeep { .. } => Some(Rule::K7),
            _ => None,
        }
    }
}
