//! Processes: pids, states, exit statuses and signal dispositions (K7, K11, K13, K15).

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::children::Children;
use crate::ns::{NsId, NsProxy, NsSet};
use crate::signal::{Signal, SignalSet};

/// A process id. Which namespace it counts in depends on where it is used: events name their
/// actor by its pid in the host's (root) pid namespace, and name targets by their pid as seen
/// from the actor's pid namespace, as syscalls do (K7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pid(pub u32);

impl fmt::Display for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// How a process ended (K11).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitStatus {
    /// It called `exit(code)`.
    Exited(u8),
    /// A signal killed it.
    Signaled(Signal),
}

impl ExitStatus {
    /// The number a shell or an init program reports: the code, or 128 + the signal number.
    pub fn shell_code(self) -> u8 {
        match self {
            ExitStatus::Exited(code) => code,
            ExitStatus::Signaled(signal) => 128 + signal.number(),
        }
    }
}

/// What the process is doing, as `ps` would show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcState {
    /// Running or sleeping (`R`/`S`).
    Running,
    /// Stopped by a stop signal (`T`).
    Stopped,
    /// The init of a dying pid namespace, inside `exit`, waiting until every other process of
    /// its namespace has been reaped (kernel/pid_namespace.c `zap_pid_ns_processes`, K19).
    Exiting(ExitStatus),
    /// Exited, not yet waited for (`Z`, K11).
    Zombie(ExitStatus),
}

impl ProcState {
    /// Running or stopped: it has not begun to exit.
    pub fn is_alive(self) -> bool {
        matches!(self, ProcState::Running | ProcState::Stopped)
    }

    /// The one-letter code `ps` uses.
    pub fn letter(self) -> char {
        match self {
            ProcState::Running => 'S',
            ProcState::Stopped => 'T',
            ProcState::Exiting(_) => 'D',
            ProcState::Zombie(_) => 'Z',
        }
    }
}

/// A disposition given with `sigaction` [sigaction(2)].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// `SIG_DFL`: the signal's default action.
    Default,
    /// `SIG_IGN`.
    Ignore,
    /// A handler function. The model does not run handlers: what a handler does next is the
    /// next event.
    Handler,
}

/// Which children a `wait` is for (K16).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitTarget {
    /// `waitpid(-1, …)`: any child.
    Any,
    /// `waitpid(pid, …)`: that child, by its pid in the waiter's namespace.
    Pid(Pid),
}

impl WaitTarget {
    /// Whether a wait for this target collects `child` (a host pid).
    pub fn matches(self, child: Pid) -> bool {
        match self {
            WaitTarget::Any => true,
            WaitTarget::Pid(pid) => pid == child,
        }
    }
}

impl fmt::Display for WaitTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitTarget::Any => f.write_str("-1"),
            WaitTarget::Pid(pid) => pid.fmt(f),
        }
    }
}

/// A process in the model.
#[derive(Clone, Debug)]
pub struct Process {
    /// Shared: a fork copies its parent's name without allocating.
    pub(crate) comm: Arc<str>,
    /// Pids from the host's namespace down to its own (`NSpid:`, K7).
    pub(crate) nspid: Vec<u32>,
    /// The real parent's host pid; `Pid(0)` when the parent is outside the model (the host's
    /// init, whose parent is the kernel, or the root of a partial snapshot).
    pub(crate) parent: Pid,
    pub(crate) state: ProcState,
    /// The namespaces it is a member of. A process that has begun to exit holds only its pid
    /// namespace (the kernel drops the rest in `exit_task_namespaces`, before the process
    /// becomes a zombie); the ids stay here so that views can say where it was.
    pub(crate) ns: NsSet,
    pub(crate) pid_for_children: NsId,
    pub(crate) time_for_children: NsId,
    pub(crate) handled: SignalSet,
    pub(crate) ignored: SignalSet,
    /// `SA_NOCLDWAIT` on the SIGCHLD action (K15).
    pub(crate) nocldwait: bool,
    /// PR_SET_CHILD_SUBREAPER (K13).
    pub(crate) subreaper: bool,
    /// Blocked in a `wait` for these children (K15, K16); a `Pid` target is a host pid.
    pub(crate) waiting: Option<WaitTarget>,
    /// Signals that arrived while it was stopped, acted on when it continues.
    pub(crate) pending: SignalSet,
    /// Its place in its parent's children list: the kernel appends to that list on fork and on
    /// reparenting, and `wait(-1)` takes the first zombie in list order.
    pub(crate) sibling_seq: u64,
    /// Children in list order, by `sibling_seq`, and the zombies among them, so that `wait`
    /// needs no scan.
    pub(crate) children: Children,
}

impl Process {
    /// A running process with default signal dispositions, in the namespaces `ns` (its
    /// children's pid and time namespaces are its own), `seq`-th in its parent's children list.
    pub(crate) fn new(
        comm: Arc<str>,
        nspid: Vec<u32>,
        parent: Pid,
        ns: NsSet,
        seq: u64,
    ) -> Process {
        Process {
            comm,
            nspid,
            parent,
            state: ProcState::Running,
            ns,
            pid_for_children: ns.get(crate::ns::NsKind::Pid),
            time_for_children: ns.get(crate::ns::NsKind::Time),
            handled: SignalSet::default(),
            ignored: SignalSet::default(),
            nocldwait: false,
            subreaper: false,
            waiting: None,
            pending: SignalSet::default(),
            sibling_seq: seq,
            children: Children::default(),
        }
    }

    /// The command name (`comm`).
    pub fn comm(&self) -> &str {
        &self.comm
    }

    pub(crate) fn proxy(&self) -> NsProxy {
        NsProxy {
            ns: self.ns,
            pid_for_children: self.pid_for_children,
            time_for_children: self.time_for_children,
        }
    }

    /// The host pid (pid in the root pid namespace).
    pub fn host_pid(&self) -> Pid {
        Pid(self.nspid[0])
    }

    /// Its pid in its own pid namespace: what `getpid()` returns (K7).
    pub fn own_pid(&self) -> Pid {
        Pid(*self.nspid.last().unwrap_or(&0))
    }

    /// Pids from the host's namespace down to its own, like `NSpid:` in /proc/PID/status (K7).
    pub fn nspid(&self) -> &[u32] {
        &self.nspid
    }

    /// Its real parent's host pid (`Pid(0)` when outside the model).
    pub fn parent(&self) -> Pid {
        self.parent
    }

    /// Its state.
    pub fn state(&self) -> ProcState {
        self.state
    }

    /// Its namespaces (see the field's note on zombies).
    pub fn namespaces(&self) -> &NsSet {
        &self.ns
    }

    /// Where its future children's pids come from (`/proc/PID/ns/pid_for_children`, K4).
    pub fn pid_for_children(&self) -> NsId {
        self.pid_for_children
    }

    /// Where its future children's clocks come from (`time_for_children`).
    pub fn time_for_children(&self) -> NsId {
        self.time_for_children
    }

    /// The disposition of `signal`.
    pub fn disposition(&self, signal: Signal) -> Disposition {
        if self.handled.contains(signal) {
            Disposition::Handler
        } else if self.ignored.contains(signal) {
            Disposition::Ignore
        } else {
            Disposition::Default
        }
    }

    /// Signals with a handler installed.
    pub fn handled(&self) -> SignalSet {
        self.handled
    }

    /// Whether `SA_NOCLDWAIT` is set on its SIGCHLD action.
    pub fn nocldwait(&self) -> bool {
        self.nocldwait
    }

    /// Whether its children are released at exit instead of becoming zombies (K15): SIGCHLD
    /// set to `SIG_IGN`, or `SA_NOCLDWAIT`. The default disposition does not do this.
    pub fn auto_reaps(&self) -> bool {
        self.nocldwait || self.ignored.contains(Signal::SIGCHLD)
    }

    /// Whether it is marked a child subreaper (K13).
    pub fn is_subreaper(&self) -> bool {
        self.subreaper
    }

    /// The wait it is blocked in, if any.
    pub fn waiting(&self) -> Option<WaitTarget> {
        self.waiting
    }

    /// Whether it is pid 1 of its own pid namespace (K6).
    pub fn is_init(&self) -> bool {
        self.own_pid() == Pid(1)
    }

    /// The depth of its pid namespace: 0 for the host's (K7).
    pub fn level(&self) -> usize {
        self.nspid.len() - 1
    }

    /// Its children's host pids, in the kernel's list order.
    pub fn children(&self) -> impl Iterator<Item = Pid> + '_ {
        self.children.iter()
    }
}
