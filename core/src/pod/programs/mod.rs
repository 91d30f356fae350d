//! Programs and how they react: the part of a process's code the model needs. After each kernel
//! event the node runs the reactions it triggers (pause.c reaps on SIGCHLD and exits on SIGTERM;
//! shims reap their children) as further events. Programs named after real ones take their
//! behaviour from the measured table (`known`, K30).

mod known;
mod workers;

pub use known::{Measured, NotAsMeasured, MEASURED};

use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::error::{Internal, PodError};
use super::names::{Cgroup, ContainerRef};
use super::spec::PidMode;
use super::Node;
use crate::event::Event;
use crate::ns::NsKinds;
use crate::outcome::{Outcome, SignalEffect};
use crate::process::{Disposition, Pid, ProcState, WaitTarget};
use crate::signal::Signal;

/// What a process does when signals arrive: the part of its code the model needs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program {
    /// The command name.
    pub comm: String,
    /// Its SIGCHLD handler waits for every zombie child (pause.c, tini, shims).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reaps: bool,
    /// Signals whose handler makes it exit 0 (pause.c: SIGINT and SIGTERM).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exits_on: Vec<Signal>,
    /// Signals it takes and goes on (nginx's SIGHUP reloads; a shell's SIGINT), or forwards.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub catches: Vec<Signal>,
    /// Signals it sets to SIG_IGN (nginx: SIGPIPE, SIGSYS), SIGCHLD aside.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignores: Vec<Signal>,
    /// It sets SIGCHLD to SIG_IGN, so its children never become zombies (K15).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ignores_sigchld: bool,
    /// It marks itself a child subreaper (K13), as tini -s and runtime shims do.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub subreaper: bool,
    /// It forwards every signal it takes to its first child and exits with that child's status
    /// once it has reaped it (tini, dumb-init, catatonit).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forwards: bool,
    /// The children it starts right away, each running its own program.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forks: Vec<Program>,
}

impl Program {
    /// A program that only has a name: no handlers, never waits.
    pub fn named(comm: &str) -> Program {
        Program {
            comm: comm.to_owned(),
            ..Program::default()
        }
    }

    /// Kubernetes' pause (K20): exits 0 on SIGINT and SIGTERM, reaps on SIGCHLD.
    pub fn pause() -> Program {
        Program::known("pause")
    }

    /// A program of the measured table (K30), or a generic one of that name.
    pub fn known(comm: &str) -> Program {
        Measured::find(comm).map_or_else(|| Program::named(comm), Measured::program)
    }

    /// The signal the runtime stops it with: its image's STOPSIGNAL (nginx: SIGQUIT).
    pub fn stop_signal(&self) -> Signal {
        Measured::find(&self.comm).map_or(Signal::SIGTERM, |known| known.stop_signal)
    }

    /// A runtime process (containerd, dockerd, a shim): reaps its children.
    pub fn runtime(comm: &str) -> Program {
        Program {
            comm: comm.into(),
            reaps: true,
            ..Program::default()
        }
    }

    /// containerd's runtime shim: reaps its children and is their child subreaper (K24).
    pub fn shim() -> Program {
        Program {
            subreaper: true,
            ..Program::runtime("containerd-shim")
        }
    }
}

/// What a program does in response to an outcome.
#[derive(Clone, Debug)]
enum Reaction {
    /// Its SIGCHLD handler waits with WNOHANG until no zombie is left.
    Reap(Pid),
    /// Its SIGTERM/SIGINT handler exits 0.
    ExitZero(Pid),
    /// A wrapper passes a signal on to its child.
    Forward(Pid, Pid, Signal),
    /// A wrapper reaped its child: it exits with the child's status.
    ExitWith(Pid, u8),
    /// A master took a signal it exits on: it passes it to its workers first.
    Drain(Pid, Signal),
    /// A master reaped worker `dead`: it forks a new one, or exits if it is shutting down and
    /// none is left.
    WorkerReaped { master: Pid, dead: Pid },
    /// A master took SIGHUP: new workers, and the old ones told to finish.
    Reload(Pid),
    /// A shim reaped the first process of a container that does not own its pid namespace: it
    /// SIGKILLs every process left in the container's cgroup (K28).
    KillAll(Pid, Cgroup),
}

/// Reactions run at most this many events per operation, so a loop in programs cannot hang.
const MAX_REACTIONS: usize = 100_000;

impl Node {
    /// One event, its bookkeeping, and the reactions it triggers.
    pub(super) fn apply(&mut self, event: Event) -> Result<Vec<Outcome>, PodError> {
        let mut all = self.apply_one(event)?;
        let mut queue: Vec<Reaction> = self.reactions(&all);
        let mut budget = MAX_REACTIONS;
        while let Some(reaction) = queue.pop() {
            budget = budget
                .checked_sub(1)
                .ok_or(PodError::Internal(Internal::ReactionsNeverEnd))?;
            match reaction {
                Reaction::KillAll(shim, cgroup) => {
                    // runc's kills ran their own reactions already.
                    all.extend(self.kill_all(shim, cgroup)?);
                    continue;
                }
                Reaction::Drain(master, signal) => {
                    let outcomes = self.drain(master, signal)?;
                    queue.extend(self.reactions(&outcomes));
                    all.extend(outcomes);
                    continue;
                }
                Reaction::WorkerReaped { master, dead } => {
                    let outcomes = self.worker_reaped(master, dead)?;
                    queue.extend(self.reactions(&outcomes));
                    all.extend(outcomes);
                    continue;
                }
                Reaction::Reload(master) => {
                    let outcomes = self.reload(master)?;
                    queue.extend(self.reactions(&outcomes));
                    all.extend(outcomes);
                    continue;
                }
                _ => {}
            }
            let event = match reaction {
                Reaction::Reap(pid) => Event::Wait {
                    pid,
                    target: WaitTarget::Any,
                    nohang: true,
                },
                Reaction::ExitZero(pid) => Event::Exit { pid, code: 0 },
                Reaction::ExitWith(pid, code) => Event::Exit { pid, code },
                Reaction::Forward(pid, child, signal) => {
                    // kill(2) takes the pid as the wrapper sees it.
                    let Ok(target) = self.world.pid_seen_by(pid, child) else {
                        continue;
                    };
                    Event::Kill {
                        pid,
                        target,
                        signal,
                    }
                }
                Reaction::KillAll(..)
                | Reaction::Drain(..)
                | Reaction::WorkerReaped { .. }
                | Reaction::Reload(..) => continue,
            };
            let ready = self
                .world
                .process(event.actor().unwrap_or(Pid(0)))
                .is_some_and(|p| {
                    p.state() == ProcState::Running
                        && p.waiting().is_none()
                        && (p.children().next().is_some()
                            || matches!(event, Event::Exit { .. } | Event::Kill { .. }))
                });
            let ready = ready
                && match event {
                    Event::Kill { pid, target, .. } => self
                        .world
                        .process(pid)
                        .and_then(|p| {
                            self.world
                                .resolve(p.namespaces().get(crate::ns::NsKind::Pid), target)
                        })
                        .is_some_and(|t| self.world.is_alive(t)),
                    _ => true,
                };
            if !ready {
                continue;
            }
            let outcomes = self.apply_one(event.clone())?;
            queue.extend(self.reactions(&outcomes));
            // A reaping handler loops until no zombie is left.
            if let (Event::Wait { pid, .. }, Some(Outcome::Reaped { .. })) =
                (&event, outcomes.first())
            {
                queue.push(Reaction::Reap(*pid));
            }
            all.extend(outcomes);
        }
        Ok(all)
    }

    fn apply_one(&mut self, event: Event) -> Result<Vec<Outcome>, PodError> {
        let outcomes = self.world.apply(event.clone())?;
        for outcome in &outcomes {
            match outcome {
                Outcome::Forked { parent, child, .. } => {
                    // fork copies the code and the cgroup.
                    if let Some(program) = self.programs.get(parent).cloned() {
                        // A wrapper's first child is the one it forwards to and exits with.
                        if program.forwards && self.wrapped.get(parent).is_none() {
                            self.wrapped.insert(*parent, *child);
                        }
                        self.programs.insert(*child, program);
                    }
                    if let Some(cgroup) = self.cgroups.get(parent).cloned() {
                        self.cgroups.insert(*child, cgroup);
                    }
                }
                Outcome::Execed { pid, comm } => {
                    self.programs.insert(*pid, Arc::new(Program::named(comm)));
                }
                Outcome::Exited { pid, status } => {
                    self.wrapped.remove(pid);
                    self.draining.remove(pid);
                    // The shim reports how a container's first process ended.
                    for pod in &mut self.pods {
                        for container in &mut pod.containers {
                            if container.init == *pid {
                                container.exit = Some(*status);
                            }
                        }
                    }
                    for container in &mut self.docker {
                        if container.init == Some(*pid) {
                            container.exit = Some(*status);
                        }
                    }
                }
                Outcome::Reaped { pid, .. } | Outcome::AutoReaped { pid, .. } => {
                    self.programs.remove(pid);
                    self.cgroups.remove(pid);
                }

                _ => {}
            }
        }
        self.steps.push(super::NodeStep::Kernel {
            event,
            outcomes: outcomes.clone(),
        });
        Ok(outcomes)
    }

    fn reactions(&self, outcomes: &[Outcome]) -> Vec<Reaction> {
        let mut reactions = Vec::new();
        for outcome in outcomes.iter().rev() {
            match outcome {
                Outcome::SigchldSent { parent, .. }
                    if self.programs.get(parent).is_some_and(|p| p.reaps) =>
                {
                    reactions.push(Reaction::Reap(*parent));
                }
                Outcome::SignalDelivered {
                    to,
                    signal,
                    effect: SignalEffect::Caught,
                    ..
                } if self
                    .programs
                    .get(to)
                    .is_some_and(|p| p.exits_on.contains(signal)) =>
                {
                    reactions.push(if self.live_workers(*to).is_empty() {
                        Reaction::ExitZero(*to)
                    } else {
                        Reaction::Drain(*to, *signal)
                    });
                }
                Outcome::SignalDelivered {
                    to,
                    signal: Signal::SIGHUP,
                    effect: SignalEffect::Caught,
                    ..
                } if !self.live_workers(*to).is_empty() => {
                    reactions.push(Reaction::Reload(*to));
                }
                Outcome::SignalDelivered {
                    to,
                    signal,
                    effect: SignalEffect::Caught,
                    ..
                } if *signal != Signal::SIGCHLD => {
                    if let Some(child) = self.wrapped.get(to) {
                        reactions.push(Reaction::Forward(*to, *child, *signal));
                    }
                }
                Outcome::Reaped { pid, by, .. } if self.workers.get(pid) == Some(by) => {
                    reactions.push(Reaction::WorkerReaped {
                        master: *by,
                        dead: *pid,
                    });
                }
                Outcome::Reaped {
                    pid, by, status, ..
                } if self.wrapped.get(by) == Some(pid) => {
                    reactions.push(Reaction::ExitWith(*by, status.shell_code()));
                }
                Outcome::Reaped { pid, by, .. } => {
                    if let Some(cgroup) = self.kill_all_on_exit(*pid, *by) {
                        reactions.push(Reaction::KillAll(*by, cgroup));
                    }
                }
                _ => {}
            }
        }
        reactions
    }

    /// The container whose first process `pid` was, if its shim `by` must kill what is left of
    /// it: the container does not own its pid namespace, so no init death will (K28).
    fn kill_all_on_exit(&self, pid: Pid, by: Pid) -> Option<Cgroup> {
        for pod in self.pods.iter().filter(|pod| pod.shim == by) {
            let shared = pod
                .spec
                .pid_mode()
                .is_ok_and(|mode| mode != PidMode::Container);
            if let Some(container) = pod.containers.iter().find(|c| c.init == pid) {
                return shared.then(|| {
                    Cgroup::Container(ContainerRef::new(&pod.spec.name, &container.name))
                });
            }
        }
        self.docker
            .iter()
            .find(|c| c.init == Some(pid) && !c.owns_pid_ns)
            .map(|c| Cgroup::Docker {
                name: c.name.clone(),
            })
    }

    /// `runc kill --all`: SIGKILL to every living process of the cgroup, sent by runc for the
    /// shim.
    fn kill_all(&mut self, shim: Pid, cgroup: Cgroup) -> Result<Vec<Outcome>, PodError> {
        let left: Vec<Pid> = self
            .cgroups
            .iter()
            .filter(|(pid, group)| **group == cgroup && self.world.is_alive(**pid))
            .map(|(pid, _)| *pid)
            .collect();
        if left.is_empty() {
            return Ok(Vec::new());
        }
        self.note(super::RuntimeNote::KillAll {
            cgroup,
            left: left.len(),
        });
        self.runc_kill(shim, &left, Signal::SIGKILL)
    }

    /// `runc kill`: a runc process, forked by the shim on the host, sends `signal` to each of
    /// `targets` that still lives, and exits (the shim reaps it).
    pub(super) fn runc_kill(
        &mut self,
        shim: Pid,
        targets: &[Pid],
        signal: Signal,
    ) -> Result<Vec<Outcome>, PodError> {
        let mut all = Vec::new();
        // A shim that is gone (a deleted pod's) leaves the runtime to send it.
        let runc = if self.world.is_alive(shim) {
            Some(self.spawn(shim, NsKinds::EMPTY, &Program::named("runc"))?)
        } else {
            None
        };
        let sender = runc.unwrap_or(self.runtime);
        for &target in targets {
            if self.world.is_alive(target) {
                all.extend(self.apply(Event::Kill {
                    pid: sender,
                    target,
                    signal,
                })?);
            }
        }
        if let Some(runc) = runc {
            all.extend(self.apply(Event::Exit { pid: runc, code: 0 })?);
        }
        Ok(all)
    }

    /// Forks `parent` into new namespaces of `new`, and makes the child run `program`.
    pub(super) fn spawn(
        &mut self,
        parent: Pid,
        new: NsKinds,
        program: &Program,
    ) -> Result<Pid, PodError> {
        let child = self.fork(parent, new)?;
        self.exec(child, program)?;
        Ok(child)
    }

    /// execve, then the program's own set-up: handlers, SIGCHLD policy, subreaper flag, and the
    /// children it starts.
    pub(super) fn exec(&mut self, pid: Pid, program: &Program) -> Result<(), PodError> {
        // A name the table knows gets the measured behaviour; a scenario file that gives one
        // other handlers is refused when it is read.
        let program = &program
            .resolved()
            .unwrap_or_else(|_| Program::known(&program.comm));
        self.apply(Event::Exec {
            pid,
            comm: program.comm.clone(),
        })?;
        let mut handled: Vec<Signal> = program.exits_on.clone();
        handled.extend(program.catches.iter().copied());
        if program.reaps && !program.ignores_sigchld {
            handled.push(Signal::SIGCHLD);
        }
        for signal in handled {
            self.apply(Event::Sigaction {
                pid,
                signal,
                action: Disposition::Handler,
                nocldwait: false,
            })?;
        }
        for &signal in &program.ignores {
            self.apply(Event::Sigaction {
                pid,
                signal,
                action: Disposition::Ignore,
                nocldwait: false,
            })?;
        }
        if program.ignores_sigchld {
            let ignore = Event::Sigaction {
                pid,
                signal: Signal::SIGCHLD,
                action: Disposition::Ignore,
                nocldwait: false,
            };
            self.apply(ignore)?;
        }
        if program.subreaper {
            self.apply(Event::SetSubreaper { pid, on: true })?;
        }
        self.programs.insert(pid, Arc::new(program.clone()));
        self.start_workers(pid, program)?;
        for child in &program.forks {
            self.spawn(pid, NsKinds::EMPTY, child)?;
        }
        Ok(())
    }
}
