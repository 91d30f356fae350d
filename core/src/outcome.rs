//! Outcomes: what the kernel did in response to an event, and which rule says so.

use serde::{Deserialize, Serialize};

use crate::ns::{NsId, NsKind};
use crate::process::{ExitStatus, Pid};
use crate::rule::Rule;
use crate::signal::Signal;

/// What a delivered signal did to its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalEffect {
    /// A handler runs.
    Caught,
    /// The disposition is `SIG_IGN`, or the default action is to ignore.
    Ignored,
    /// The target was stopped and the signal waits until it continues.
    Pending,
    /// The default action stopped the target.
    Stopped,
    /// SIGCONT resumed a stopped target.
    Continued,
    /// The target is already exiting or a zombie: nothing happens.
    NoEffect,
    /// The default action (or SIGKILL) killed the target; an `Exited` outcome follows.
    Killed,
}

/// One thing the kernel did. All pids here are host pids.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// A new process, with its pid at every level (K7, K8).
    Forked {
        /// The parent.
        parent: Pid,
        /// The child's host pid.
        child: Pid,
        /// The child's pids from the host namespace down to its own.
        nspid: Vec<u32>,
    },
    /// The child became pid 1 of a new pid namespace (K6).
    BecameInit {
        /// The new init.
        pid: Pid,
        /// Its namespace.
        ns: NsId,
    },
    /// fork failed: its pid namespace's init has died (K19). The pid cursors still moved, as
    /// the kernel's `alloc_pid` takes a pid at every level before it checks (K8).
    ForkFailed {
        /// The process that called fork.
        parent: Pid,
        /// The dead pid namespace.
        ns: NsId,
        /// ENOMEM.
        errno: crate::error::Errno,
    },
    /// A namespace was created (K3).
    NamespaceCreated {
        /// Its kind.
        kind: NsKind,
        /// Its identity.
        ns: NsId,
        /// The process that created it.
        by: Pid,
    },
    /// The process moved into a namespace (K3).
    Joined {
        /// The process.
        pid: Pid,
        /// Its kind.
        kind: NsKind,
        /// The namespace.
        ns: NsId,
    },
    /// Only the process's future children will go into this pid or time namespace (K4).
    ForChildren {
        /// The process.
        pid: Pid,
        /// Its kind.
        kind: NsKind,
        /// The namespace.
        ns: NsId,
    },
    /// The last reference went away and the namespace was freed (K5).
    NamespaceDestroyed {
        /// Its kind.
        kind: NsKind,
        /// Its identity.
        ns: NsId,
    },
    /// A pin was added.
    Pinned {
        /// The namespace.
        ns: NsId,
        /// The holder.
        holder: String,
    },
    /// A pin was removed.
    Unpinned {
        /// The namespace.
        ns: NsId,
        /// The holder.
        holder: String,
    },
    /// A new program.
    Execed {
        /// The process.
        pid: Pid,
        /// The new name.
        comm: String,
    },
    /// A disposition changed.
    SigactionSet {
        /// The process.
        pid: Pid,
        /// The signal.
        signal: Signal,
    },
    /// The subreaper flag changed (K13).
    SubreaperSet {
        /// The process.
        pid: Pid,
        /// The new value.
        on: bool,
    },
    /// The process began to exit.
    Exited {
        /// The process.
        pid: Pid,
        /// How.
        status: ExitStatus,
    },
    /// A child was handed to a new parent (K12) chosen by `rule` (K13).
    Reparented {
        /// The orphan.
        child: Pid,
        /// The parent that exited.
        from: Pid,
        /// The new parent.
        to: Pid,
        /// Whether a subreaper or the namespace's init took it.
        to_subreaper: bool,
    },
    /// The parent was sent SIGCHLD (K12).
    SigchldSent {
        /// The parent.
        parent: Pid,
        /// The child.
        child: Pid,
    },
    /// The process is a zombie until its parent waits (K11).
    BecameZombie {
        /// The zombie.
        pid: Pid,
        /// The parent that must wait for it.
        parent: Pid,
        /// Its exit status.
        status: ExitStatus,
    },
    /// A process of a live node ended and its parent collected it between two looks, unseen
    /// (`Event::EndedUnseen`): its status is not known.
    #[cfg(feature = "live")]
    EndedUnseen {
        /// The process, now gone.
        pid: Pid,
        /// The parent that collected it.
        parent: Pid,
    },
    /// A process of a live node changed its name, not its program (`Event::Renamed`).
    #[cfg(feature = "live")]
    Renamed {
        /// The process.
        pid: Pid,
        /// Its new name.
        comm: String,
    },
    /// A process of a live node appeared with its parent outside the view (`Event::AppearedSeen`).
    #[cfg(feature = "live")]
    Appeared {
        /// The process.
        pid: Pid,
    },
    /// A zombie of a live node was collected by its parent outside the view
    /// (`Event::CollectedOutside`).
    #[cfg(feature = "live")]
    CollectedOutside {
        /// The zombie, now gone.
        pid: Pid,
    },
    /// A live node drawn anew from a look at /proc (`Event::LookedAnew`).
    #[cfg(feature = "live")]
    LookedAnew {
        /// How many processes the look shows.
        processes: usize,
    },
    /// A wait collected a zombie (K16).
    Reaped {
        /// The zombie, now gone.
        pid: Pid,
        /// The parent that waited.
        by: Pid,
        /// The status the wait returned.
        status: ExitStatus,
        /// The child's pid as the waiter sees it (the wait's return value).
        seen_as: Pid,
    },
    /// The child never became a zombie, or an adopted zombie was released, because the parent
    /// ignores SIGCHLD or set SA_NOCLDWAIT (K15, or K14 for an adopted zombie).
    AutoReaped {
        /// The child, now gone.
        pid: Pid,
        /// The parent.
        parent: Pid,
        /// K14 or K15.
        rule: Rule,
    },
    /// `wait` blocks: there are children but no zombie among them (K16).
    WaitBlocked {
        /// The waiter.
        pid: Pid,
    },
    /// `wait` with WNOHANG returned 0 (K16).
    WaitNoZombie {
        /// The waiter.
        pid: Pid,
    },
    /// A blocked `wait` failed with ECHILD: the last child went without becoming a zombie (K15).
    WaitEchild {
        /// The waiter.
        pid: Pid,
    },
    /// A signal reached its target.
    SignalDelivered {
        /// The sender (0 for the kernel).
        from: Pid,
        /// The target.
        to: Pid,
        /// The signal.
        signal: Signal,
        /// What it did.
        effect: SignalEffect,
    },
    /// A signal to an init with no handler for it was dropped (K17).
    SignalDropped {
        /// The sender.
        from: Pid,
        /// The init.
        to: Pid,
        /// The signal.
        signal: Signal,
    },
    /// An init exited: its pid namespace accepts no new process (K19).
    PidNamespaceDying {
        /// The namespace.
        ns: NsId,
        /// Its init.
        init: Pid,
    },
    /// The kernel sent SIGKILL because the process's pid namespace init died (K19).
    KilledByInitDeath {
        /// The victim.
        pid: Pid,
        /// The namespace whose init died.
        ns: NsId,
    },
    /// The dying init must wait in `exit` until these zombies, whose parents are outside its
    /// namespace, are reaped (K19).
    InitWaitsForZombies {
        /// The init.
        init: Pid,
        /// How many are left.
        remaining: usize,
    },
}

impl Outcome {
    /// The rule that explains this outcome, if one does.
    pub fn rule(&self) -> Option<Rule> {
        Some(match self {
            Outcome::Forked { .. } => Rule::K8,
            Outcome::BecameInit { .. } => Rule::K6,
            Outcome::NamespaceCreated { .. } | Outcome::Joined { .. } => Rule::K3,
            Outcome::ForChildren { .. } => Rule::K4,
            Outcome::NamespaceDestroyed { .. }
            | Outcome::Pinned { .. }
            | Outcome::Unpinned { .. } => Rule::K5,
            Outcome::SubreaperSet { .. } => Rule::K13,
            Outcome::Reparented { .. } => Rule::K13,
            Outcome::SigchldSent { .. } => Rule::K12,
            Outcome::BecameZombie { .. } => Rule::K11,
            Outcome::Reaped { .. } | Outcome::WaitBlocked { .. } | Outcome::WaitNoZombie { .. } => {
                Rule::K16
            }
            #[cfg(feature = "live")]
            Outcome::EndedUnseen { .. } => Rule::K11,
            Outcome::AutoReaped { rule, .. } => *rule,
            Outcome::WaitEchild { .. } => Rule::K15,
            Outcome::SignalDropped { .. } => Rule::K17,
            Outcome::PidNamespaceDying { .. }
            | Outcome::ForkFailed { .. }
            | Outcome::KilledByInitDeath { .. }
            | Outcome::InitWaitsForZombies { .. } => Rule::K19,
            #[cfg(feature = "live")]
            Outcome::Renamed { .. } | Outcome::Appeared { .. } | Outcome::LookedAnew { .. } => {
                return None
            }
            #[cfg(feature = "live")]
            Outcome::CollectedOutside { .. } => Rule::K16,
            Outcome::Execed { .. }
            | Outcome::SigactionSet { .. }
            | Outcome::Exited { .. }
            | Outcome::SignalDelivered { .. } => return None,
        })
    }
}
