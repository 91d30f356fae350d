//! Events: what a process asks of the kernel, in the kernel's vocabulary.

use std::fmt;

use serde::{Deserialize, Serialize};

#[cfg(feature = "live")]
use crate::ns::NsSet;
use crate::ns::{NsId, NsKinds};
use crate::process::{Disposition, Pid, WaitTarget};
use crate::signal::Signal;

/// One thing a process does. Every event names its actor by host pid (`pid`); a target process
/// is named by its pid as the actor sees it, as the syscall would (K7).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// `clone()`/`fork()`, creating new namespaces of the given kinds (`CLONE_NEW*`).
    Fork {
        /// The parent.
        pid: Pid,
        /// Namespaces the child gets new ones of.
        #[serde(default, skip_serializing_if = "NsKinds::is_empty")]
        new: NsKinds,
    },
    /// `execve()`: a new program name; handlers reset, ignored signals stay ignored.
    Exec {
        /// The process.
        pid: Pid,
        /// The new command name.
        comm: String,
    },
    /// `_exit(code)`.
    Exit {
        /// The process.
        pid: Pid,
        /// The exit code.
        code: u8,
    },
    /// A synchronous fault such as SIGSEGV, raised by the process's own instruction (K18).
    Fault {
        /// The faulting process.
        pid: Pid,
        /// The fault's signal.
        signal: Signal,
    },
    /// `waitpid(target, …, WNOHANG?)` (K16).
    Wait {
        /// The waiting process.
        pid: Pid,
        /// Which children.
        target: WaitTarget,
        /// `WNOHANG`: return at once instead of blocking.
        #[serde(default)]
        nohang: bool,
    },
    /// `kill(target, signal)`.
    Kill {
        /// The sender.
        pid: Pid,
        /// The target, by its pid in the sender's pid namespace.
        target: Pid,
        /// The signal.
        signal: Signal,
    },
    /// `sigaction(signal, …)`. `nocldwait` (`SA_NOCLDWAIT`) only means something for SIGCHLD.
    Sigaction {
        /// The process.
        pid: Pid,
        /// The signal.
        signal: Signal,
        /// The new disposition.
        action: Disposition,
        /// `SA_NOCLDWAIT`.
        #[serde(default)]
        nocldwait: bool,
    },
    /// `prctl(PR_SET_CHILD_SUBREAPER, on)` (K13).
    SetSubreaper {
        /// The process.
        pid: Pid,
        /// Set or clear.
        on: bool,
    },
    /// `unshare(CLONE_NEW*)` (K3, K4).
    Unshare {
        /// The process.
        pid: Pid,
        /// The kinds to unshare.
        new: NsKinds,
    },
    /// `setns(fd)` where `fd` is an open `/proc/X/ns/KIND` of the namespace `ns` (K3, K4).
    Setns {
        /// The process.
        pid: Pid,
        /// The namespace to enter.
        ns: NsId,
    },
    /// Keep a namespace alive with no member: a bind mount of its ns file, or an open fd (K5).
    Pin {
        /// The namespace.
        ns: NsId,
        /// What holds it, e.g. `/var/run/netns/cni-1234`.
        holder: String,
    },
    /// Remove a pin: unmount or close.
    Unpin {
        /// The namespace.
        ns: NsId,
        /// The holder given to [`Event::Pin`].
        holder: String,
    },
    #[cfg(feature = "live")]
    /// A fork seen on a live node (`pauselab serve --live`), with what the kernel gave the
    /// child: its pids, which the allocator handed out past pids the model does not see
    /// (threads take them too), and its namespaces, new ones with the kernel's identities and
    /// others joined (as runc's setns before its fork does).
    ForkSeen {
        /// The parent, as /proc shows it when the child is first seen.
        pid: Pid,
        /// The child's pids, host's first (/proc's `NSpid`).
        nspid: Box<[u32]>,
        /// The child's namespaces (boxed, as the pids are: events stay small).
        ns: Box<NsSet>,
        /// The container the child was first seen in, as its runtime records it (not kernel
        /// state: the model leaves it to the views, and a trace keeps it with the birth).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        container: Option<Box<crate::format::ContainerLabel>>,
    },
    #[cfg(feature = "live")]
    /// A process of a live node first seen with its parent outside the reader's pid namespace
    /// (/proc shows a parent of 0: started by, or orphaned to, something the node's view does
    /// not have), as /proc shows it.
    AppearedSeen {
        /// The process as /proc shows it.
        record: Box<crate::format::ProcessRecord>,
    },
    #[cfg(feature = "live")]
    /// A zombie of a live node whose parent is outside the reader's pid namespace is gone: that
    /// parent collected it.
    CollectedOutside {
        /// The zombie.
        pid: Pid,
    },
    #[cfg(feature = "live")]
    /// An end by a signal seen on a live node: the kernel reports the signal, not who sent it.
    Signaled {
        /// The process.
        pid: Pid,
        /// The signal it died of.
        signal: Signal,
    },
    #[cfg(feature = "live")]
    /// A process of a live node that ended and was collected between two looks at /proc, with
    /// no proc connector to report it: how it ended was not seen, and is not made up.
    EndedUnseen {
        /// The process.
        pid: Pid,
    },
    #[cfg(feature = "live")]
    /// A running process of a live node seen in other namespaces than before, with the
    /// kernel's identities: ones it made (`unshare`, as runc's init does before it forks the
    /// container's first process) and ones it joined (`setns`).
    NamespacesSeen {
        /// The process.
        pid: Pid,
        /// Its namespaces as /proc shows them now.
        seen: Box<SeenNamespaces>,
    },
    #[cfg(feature = "live")]
    /// `prctl(PR_SET_NAME)` (or a write to /proc/PID/comm), seen on a live node: the name ps
    /// shows changes and nothing else does, unlike an `execve` (runc's init names itself
    /// `runc:[2:INIT]` this way before it runs the container's program).
    Renamed {
        /// The process.
        pid: Pid,
        /// Its new name.
        comm: String,
    },
    #[cfg(feature = "live")]
    /// A look at a live node's /proc that the model could not reach from the last one by
    /// events (a pid reused between two looks, say), or a record picked up again after its
    /// server restarted: the node is drawn anew from what /proc shows, so that the record
    /// goes on, one step further, instead of starting over.
    LookedAnew {
        /// The node as /proc shows it, its processes labelled with their containers.
        look: Box<crate::format::Snapshot>,
    },
}

/// A live process's namespaces as /proc/PID/ns shows them (`Event::NamespacesSeen`).
#[cfg(feature = "live")]
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SeenNamespaces {
    /// The ones it is in (its own pid and time namespaces included).
    pub ns: NsSet,
    /// Where its children's pid namespace will be (`pid_for_children`).
    pub pid_for_children: NsId,
    /// Where its children's time namespace will be (`time_for_children`).
    pub time_for_children: NsId,
}

impl Event {
    /// Whether only a live node's record has it (`pauselab serve --live`): the page's model
    /// is built without these.
    pub fn is_seen_live(&self) -> bool {
        match self {
            Event::Fork { .. }
            | Event::Exec { .. }
            | Event::Exit { .. }
            | Event::Fault { .. }
            | Event::Wait { .. }
            | Event::Kill { .. }
            | Event::Sigaction { .. }
            | Event::SetSubreaper { .. }
            | Event::Unshare { .. }
            | Event::Setns { .. }
            | Event::Pin { .. }
            | Event::Unpin { .. } => false,
            #[cfg(feature = "live")]
            Event::ForkSeen { .. }
            | Event::AppearedSeen { .. }
            | Event::CollectedOutside { .. }
            | Event::Signaled { .. }
            | Event::EndedUnseen { .. }
            | Event::NamespacesSeen { .. }
            | Event::Renamed { .. }
            | Event::LookedAnew { .. } => true,
        }
    }

    /// The process the event is about, if any (pins are about a namespace).
    pub fn actor(&self) -> Option<Pid> {
        match self {
            Event::Fork { pid, .. }
            | Event::Exec { pid, .. }
            | Event::Exit { pid, .. }
            | Event::Fault { pid, .. }
            | Event::Wait { pid, .. }
            | Event::Kill { pid, .. }
            | Event::Sigaction { pid, .. }
            | Event::SetSubreaper { pid, .. }
            | Event::Unshare { pid, .. }
            | Event::Setns { pid, .. } => Some(*pid),
            #[cfg(feature = "live")]
            Event::AppearedSeen { record } => record.nspid.first().map(|&pid| Pid(pid)),
            #[cfg(feature = "live")]
            Event::ForkSeen { pid, .. }
            | Event::CollectedOutside { pid }
            | Event::Signaled { pid, .. }
            | Event::EndedUnseen { pid }
            | Event::NamespacesSeen { pid, .. }
            | Event::Renamed { pid, .. } => Some(*pid),
            #[cfg(feature = "live")]
            Event::LookedAnew { .. } => None,
            Event::Pin { .. } | Event::Unpin { .. } => None,
        }
    }
}

fn flags(kinds: NsKinds) -> String {
    let names: Vec<_> = kinds.iter().map(|kind| kind.clone_flag()).collect();
    if names.is_empty() {
        "0".to_owned()
    } else {
        names.join("|")
    }
}

/// Shows the event as the syscall a C program would make, prefixed with the actor.
impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Fork { pid, new } if new.is_empty() => write!(f, "[{pid}] fork()"),
            Event::Fork { pid, new } => write!(f, "[{pid}] clone({})", flags(*new)),
            Event::Exec { pid, comm } => write!(f, "[{pid}] execve(\"{comm}\")"),
            Event::Exit { pid, code } => write!(f, "[{pid}] _exit({code})"),
            Event::Fault { pid, signal } => write!(f, "[{pid}] faults ({signal})"),
            Event::Wait {
                pid,
                target,
                nohang,
            } => {
                let options = if *nohang { "WNOHANG" } else { "0" };
                write!(f, "[{pid}] waitpid({target}, &status, {options})")
            }
            Event::Kill {
                pid,
                target,
                signal,
            } => write!(f, "[{pid}] kill({target}, {signal})"),
            Event::Sigaction {
                pid,
                signal,
                action,
                nocldwait,
            } => {
                let handler = match action {
                    Disposition::Default => "SIG_DFL",
                    Disposition::Ignore => "SIG_IGN",
                    Disposition::Handler => "handler",
                };
                let flags = if *nocldwait { ", SA_NOCLDWAIT" } else { "" };
                write!(f, "[{pid}] sigaction({signal}, {handler}{flags})")
            }
            Event::SetSubreaper { pid, on } => {
                write!(
                    f,
                    "[{pid}] prctl(PR_SET_CHILD_SUBREAPER, {})",
                    u8::from(*on)
                )
            }
            Event::Unshare { pid, new } => write!(f, "[{pid}] unshare({})", flags(*new)),
            Event::Setns { pid, ns } => write!(f, "[{pid}] setns(ns {ns})"),
            Event::Pin { ns, holder } => write!(f, "pin ns {ns} at {holder}"),
            Event::Unpin { ns, holder } => write!(f, "unpin ns {ns} at {holder}"),
            // The return value a tracer shows: the child's pid, as the kernel gave it.
            #[cfg(feature = "live")]
            Event::ForkSeen { pid, nspid, .. } => {
                write!(f, "[{pid}] clone() = {}", nspid.first().unwrap_or(&0))
            }
            #[cfg(feature = "live")]
            Event::AppearedSeen { record } => {
                let pid = record.nspid.first().unwrap_or(&0);
                write!(f, "[{pid}] seen, its parent outside this view")
            }
            #[cfg(feature = "live")]
            Event::CollectedOutside { pid } => write!(f, "[{pid}] collected outside this view"),
            // strace's words for it.
            #[cfg(feature = "live")]
            Event::Signaled { pid, signal } => write!(f, "[{pid}] +++ killed by {signal} +++"),
            #[cfg(feature = "live")]
            Event::EndedUnseen { pid } => write!(f, "[{pid}] +++ exited (status not seen) +++"),
            // What a tracer would show as unshare() or setns() calls, seen only by its effect.
            #[cfg(feature = "live")]
            Event::NamespacesSeen { pid, .. } => write!(f, "[{pid}] unshare()/setns() seen"),
            #[cfg(feature = "live")]
            Event::Renamed { pid, comm } => write!(f, "[{pid}] prctl(PR_SET_NAME, \"{comm}\")"),
            // The watcher's own call: how many processes it listed.
            #[cfg(feature = "live")]
            Event::LookedAnew { look } => {
                write!(f, "readdir(\"/proc\") = {}", look.processes.len())
            }
        }
    }
}
