//! The actions only the kernel takes part in, as kernel calls: the one translation that the
//! scenario player (on a node) and a file's timeline (on a bare world) both use.

use super::player::UnknownLabel;
use super::schema::Action;
use super::Label;
use crate::event::Event;
use crate::process::{Pid, WaitTarget};

/// What an action asks of the kernel: one event, and for a fork the program the child then
/// execs (a second event, made once the child's pid is known).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct KernelCall<'a> {
    pub event: Event,
    pub exec: Option<&'a str>,
}

impl Action {
    /// The kernel call of an action that the kernel alone carries out (fork, exit, kill, wait,
    /// sigaction, subreaper), naming processes with `pid`; a kill "from the host" is sent by
    /// `host`. `None` for an action of the pod layer.
    pub(crate) fn kernel_call(
        &self,
        pid: impl Fn(&Label) -> Result<Pid, UnknownLabel>,
        host: Pid,
    ) -> Option<Result<KernelCall<'_>, UnknownLabel>> {
        let call = |event: Result<Event, UnknownLabel>| {
            Some(event.map(|event| KernelCall { event, exec: None }))
        };
        match self {
            Action::Fork {
                process, comm, new, ..
            } => Some(pid(process).map(|parent| KernelCall {
                event: Event::Fork {
                    pid: parent,
                    new: *new,
                },
                exec: comm.as_deref(),
            })),
            Action::Exit { process, code } => {
                call(pid(process).map(|pid| Event::Exit { pid, code: *code }))
            }
            Action::Kill {
                from,
                target,
                signal,
            } => call(pid(from).map(|pid| Event::Kill {
                pid,
                target: Pid(*target),
                signal: *signal,
            })),
            Action::KillFromHost { process, signal } => {
                call(pid(process).map(|target| Event::Kill {
                    pid: host,
                    target,
                    signal: *signal,
                }))
            }
            Action::Wait { process, nohang } => call(pid(process).map(|pid| Event::Wait {
                pid,
                target: WaitTarget::Any,
                nohang: *nohang,
            })),
            Action::Sigaction {
                process,
                signal,
                action,
            } => call(pid(process).map(|pid| Event::Sigaction {
                pid,
                signal: *signal,
                action: *action,
                nocldwait: false,
            })),
            Action::SetSubreaper { process } => {
                call(pid(process).map(|pid| Event::SetSubreaper { pid, on: true }))
            }
            Action::CreatePod { .. }
            | Action::DockerRun { .. }
            | Action::DockerCreate { .. }
            | Action::DockerStart { .. }
            | Action::DockerRm { .. }
            | Action::DockerKill { .. }
            | Action::DockerStop { .. }
            | Action::DockerExec { .. }
            | Action::Exec { .. }
            | Action::ExecProbe { .. }
            | Action::Debug { .. }
            | Action::StopContainer { .. }
            | Action::RestartContainer { .. }
            | Action::KillPause { .. }
            | Action::DeletePod { .. }
            | Action::Type { .. } => None,
        }
    }
}
