//! What a reader can do to a process or a pod, as the page offers it (processes by host pid),
//! turned into the one vocabulary of core: a scenario action, which a lesson plays on its node
//! (so the node's programs react) and a file's timeline plays on its bare world.

use pauselab_core::pod::ContainerRef;

use super::Notice;
use pauselab_core::scenario::{Action, Label};
use pauselab_core::{Disposition, NsKind, NsKinds, Pid, Signal, World};

/// One thing the reader does. Processes are named by host pid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Act {
    /// fork, and exec `comm` unless empty; optionally into a new pid namespace.
    Fork {
        /// The parent.
        pid: Pid,
        /// The child's program; empty for a plain copy.
        comm: String,
        /// `CLONE_NEWPID`.
        new_pid_ns: bool,
    },
    /// `_exit(code)`.
    Exit {
        /// The process.
        pid: Pid,
        /// Its exit code.
        code: u8,
    },
    /// `kill(target, signal)` from `from`; the target is named as the sender sees it (K7).
    Kill {
        /// The sender.
        from: Pid,
        /// The target's host pid.
        target: Pid,
        /// The signal.
        signal: Signal,
    },
    /// `waitpid(-1, …)`.
    Wait {
        /// The process.
        pid: Pid,
        /// WNOHANG.
        nohang: bool,
    },
    /// SIGCHLD to SIG_IGN (K15).
    IgnoreSigchld {
        /// The process.
        pid: Pid,
    },
    /// PR_SET_CHILD_SUBREAPER (K13).
    SetSubreaper {
        /// The process.
        pid: Pid,
    },
    /// `kubectl exec` (K26).
    KubectlExec {
        /// The container.
        container: ContainerRef,
        /// The program.
        comm: String,
    },
    /// kubelet stops a container (K28).
    StopContainer {
        /// The container.
        container: ContainerRef,
    },
    /// kubelet restarts a container.
    RestartContainer {
        /// The container.
        container: ContainerRef,
    },
    /// SIGKILL to pause from the node (K27).
    KillPause {
        /// The pod.
        pod: String,
    },
}

fn label(pid: Pid) -> Label {
    Label::HostPid(pid)
}

/// The target's pid as the sender sees it, or core's K9 refusal.
fn target_seen_by(world: &World, from: Pid, target: Pid) -> Result<Pid, Notice> {
    world.pid_seen_by(from, target).map_err(Notice::Kernel)
}

impl Act {
    /// The act in the scenarios' vocabulary, which a lesson's player and a file's timeline
    /// both take; `fresh` is an unused label for a new process.
    pub fn to_action(&self, world: &World, fresh: String) -> Result<Action, Notice> {
        Ok(match self {
            Act::Fork {
                pid,
                comm,
                new_pid_ns,
            } => Action::Fork {
                process: label(*pid),
                name: fresh,
                comm: (!comm.trim().is_empty()).then(|| comm.trim().to_owned()),
                new: if *new_pid_ns {
                    NsKinds::of(&[NsKind::Pid])
                } else {
                    NsKinds::EMPTY
                },
            },
            Act::Exit { pid, code } => Action::Exit {
                process: label(*pid),
                code: *code,
            },
            Act::Kill {
                from,
                target,
                signal,
            } => Action::Kill {
                from: label(*from),
                target: target_seen_by(world, *from, *target)?.0,
                signal: *signal,
            },
            Act::Wait { pid, nohang } => Action::Wait {
                process: label(*pid),
                nohang: *nohang,
            },
            Act::IgnoreSigchld { pid } => Action::Sigaction {
                process: label(*pid),
                signal: Signal::SIGCHLD,
                action: Disposition::Ignore,
            },
            Act::SetSubreaper { pid } => Action::SetSubreaper {
                process: label(*pid),
            },
            Act::KubectlExec { container, comm } => Action::Exec {
                container: container.clone(),
                name: fresh,
                comm: if comm.trim().is_empty() {
                    "sh".into()
                } else {
                    comm.trim().to_owned()
                },
            },
            Act::StopContainer { container } => Action::StopContainer {
                container: container.clone(),
            },
            Act::RestartContainer { container } => Action::RestartContainer {
                container: container.clone(),
            },
            Act::KillPause { pod } => Action::KillPause { pod: pod.clone() },
        })
    }
}
