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
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum ModelError {
    /// The actor does not exist.
    NoSuchProcess {
        /// The pid given.
        pid: Pid,
    },
    /// The actor has exited and cannot act.
    NotAlive {
        /// The process.
        pid: Pid,
        /// Its state.
        state: ProcState,
    },
    /// The actor is stopped and cannot act until SIGCONT.
    Stopped {
        /// The process.
        pid: Pid,
    },
    /// The actor is blocked in `wait` and can only exit or receive signals.
    Blocked {
        /// The process.
        pid: Pid,
    },
    /// No living namespace has this identity.
    NoSuchNamespace {
        /// The identity given.
        ns: NsId,
    },
    /// `kill` named a pid that the sender cannot see (K9).
    TargetNotVisible {
        /// The sender.
        sender: Pid,
        /// The target as given.
        target: Pid,
    },
    /// A process names another that is outside its pid namespace (K9): it has no pid to give.
    Invisible {
        /// The process that looks.
        viewer: Pid,
        /// The other process, by host pid.
        target: Pid,
    },
    /// `wait` with no children at all (K16).
    NoChildren {
        /// The waiter.
        pid: Pid,
    },
    /// `waitpid(pid)` for a process that is not the caller's child (K16).
    NotAChild {
        /// The waiter.
        pid: Pid,
        /// The target as given.
        target: Pid,
    },
    /// `setns` to a pid namespace that is not the caller's own or below it (K4).
    PidNamespaceNotDescendant {
        /// The caller.
        pid: Pid,
        /// The target namespace.
        ns: NsId,
    },
    /// A second new pid namespace before the caller has forked into the first (K4).
    PidNamespaceAlreadyUnshared {
        /// The caller.
        pid: Pid,
    },
    /// More than 32 nested pid (or user) namespaces (K7).
    TooDeep {
        /// The kind.
        kind: NsKind,
    },
    /// Joining the user namespace one is already in.
    AlreadyInUserNamespace {
        /// The caller.
        pid: Pid,
        /// The namespace.
        ns: NsId,
    },
    /// SIGKILL and SIGSTOP cannot be caught or ignored.
    Uncatchable {
        /// The signal.
        signal: Signal,
    },
    /// A `Fault` event with a signal that is not a synchronous fault (K18).
    NotAFault {
        /// The signal.
        signal: Signal,
    },
    /// The host's init cannot exit: the kernel panics ("Attempted to kill init!").
    HostInitExit,
    /// Unpin with a holder that does not pin the namespace.
    NotPinned {
        /// The namespace.
        ns: NsId,
        /// The holder given.
        holder: String,
    },
    /// Pin with a holder that already pins the namespace.
    AlreadyPinned {
        /// The namespace.
        ns: NsId,
        /// The holder given.
        holder: String,
    },
    /// Every namespace identity has been handed out (a file can start the model there).
    NoFreeNamespaceId,
    /// No free pid left in a pid namespace.
    NoFreePid {
        /// The namespace.
        ns: NsId,
    },
    #[cfg(feature = "live")]
    /// A fork seen on a live node that the model cannot make as it was seen: a pid taken, a
    /// pid for a level the child does not have, or an identity of another kind.
    NotAsSeen {
        /// The parent.
        pid: Pid,
    },
    #[cfg(feature = "live")]
    /// An unseen end of a pid namespace's init that still has other processes: its end kills
    /// them, and it is collected only after them, so it cannot have ended and gone unseen.
    InitEndUnseen {
        /// The init.
        pid: Pid,
    },
    #[cfg(feature = "live")]
    /// A look at a live node that no kernel could be in (a file's snapshot would be refused
    /// the same way): the node is not drawn anew from it.
    LookNotPossible,
}

impl std::error::Error for ModelError {}

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
