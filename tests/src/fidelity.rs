//! The model checked against the kernel: a small scenario language over the model's events,
//! run (a) in the model and (b) as real processes that follow it step by step inside a fresh
//! pid namespace (by the `fidelity-runner` binary), so that pids are exact (K8). Both sides
//! produce a [`Run`]; a test compares them.

use serde::{Deserialize, Serialize};

use pauselab_core::{
    Disposition, Event, ExitStatus, ModelError, NsKind, NsKinds, Outcome, Pid, ProcState, Signal,
    WaitTarget, World,
};

/// One step. Processes are numbered in creation order: 0 is the first process of the fresh pid
/// namespace (its init), each `Fork` makes the next number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// fork(), or `unshare(CLONE_NEWPID)` then fork() with `new_pid_ns`.
    Fork {
        /// The parent.
        actor: usize,
        /// The child gets a new pid namespace below the parent's.
        new_pid_ns: bool,
    },
    /// `_exit(code)`.
    Exit {
        /// Who.
        actor: usize,
        /// The code.
        code: u8,
    },
    /// `waitpid(target or -1, WNOHANG)`.
    Wait {
        /// The waiter.
        actor: usize,
        /// A process number, or any child.
        target: Option<usize>,
    },
    /// `signal(SIGCHLD, SIG_IGN)`.
    IgnoreSigchld {
        /// Who.
        actor: usize,
    },
    /// `prctl(PR_SET_CHILD_SUBREAPER, 1)`.
    Subreaper {
        /// Who.
        actor: usize,
    },
    /// A write to address 0: SIGSEGV raised by the CPU, a fault (K18).
    Fault {
        /// Who.
        actor: usize,
    },
    /// `kill(pid, signal)`, the pid as the actor sees it.
    Kill {
        /// The sender.
        actor: usize,
        /// The target pid in the sender's pid namespace.
        pid: u32,
        /// 1 (SIGHUP), 9 (SIGKILL) or 15 (SIGTERM).
        signal: u8,
    },
}

/// What one step returned to its caller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// Nothing to compare (exit, sigaction, prctl, or a kill that killed its own sender).
    Done,
    /// fork's return value in the parent.
    Forked(u32),
    /// waitpid returned this pid (as the waiter sees it) with this status.
    Reaped(u32, Status),
    /// waitpid with WNOHANG returned 0.
    NoZombie,
    /// The call failed with this errno (ECHILD = 10, ESRCH = 3).
    Errno(i32),
}

/// An exit status as waitpid reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// exit(code).
    Exited(u8),
    /// Killed by a signal.
    Signaled(u8),
}

/// A process at the end of the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// Its number.
    pub index: usize,
    /// Its pids below the host's namespace (`NSpid` without the first), exact by K8.
    pub nspid: Vec<u32>,
    /// Its parent's number; `None` for the runner itself (the parent of process 0).
    pub parent: Option<usize>,
    /// Zombie, with the status it will report; `None` while alive.
    pub zombie: Option<Status>,
}

/// What a scenario did: each step's answer, and the final process table (reaped processes absent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    /// One per step.
    pub answers: Vec<Answer>,
    /// Living and zombie processes, by number.
    pub table: Vec<Row>,
}

const ECHILD: i32 = 10;
const ESRCH: i32 = 3;

fn status(status: ExitStatus) -> Status {
    match status {
        ExitStatus::Exited(code) => Status::Exited(code),
        ExitStatus::Signaled(signal) => Status::Signaled(signal.number()),
    }
}

/// The model's side: the runner is a host process, process 0 its child in a new pid namespace.
#[derive(Clone, Debug)]
pub struct ModelRun {
    world: World,
    runner: Pid,
    /// Host pid of each process number.
    pub pids: Vec<Pid>,
}

impl Default for ModelRun {
    fn default() -> Self {
        ModelRun::new()
    }
}

impl ModelRun {
    /// The starting state: the runner (host pid 2) and process 0.
    pub fn new() -> ModelRun {
        let mut world = World::new();
        let fork = |world: &mut World, pid, new| match world
            .apply(Event::Fork { pid, new })
            .expect("boot fork")[..]
        {
            [Outcome::NamespaceCreated { .. }, Outcome::Forked { child, .. }, ..]
            | [Outcome::Forked { child, .. }, ..] => child,
            _ => unreachable!("a fork reports its child"),
        };
        let runner = fork(&mut world, Pid(1), NsKinds::EMPTY);
        let first = fork(&mut world, runner, NsKinds::of(&[NsKind::Pid]));
        ModelRun {
            world,
            runner,
            pids: vec![first],
        }
    }

    /// Whether process `index` can act: it exists and is running.
    pub fn can_act(&self, index: usize) -> bool {
        self.pids
            .get(index)
            .and_then(|pid| self.world.process(*pid))
            .is_some_and(|p| p.state() == ProcState::Running)
    }

    /// How many processes were created.
    pub fn count(&self) -> usize {
        self.pids.len()
    }

    /// The pid of `target` as `actor` sees it, if it can.
    pub fn seen_by(&self, actor: usize, target: usize) -> Option<u32> {
        let ns = self
            .world
            .process(self.pids[actor])?
            .namespaces()
            .get(NsKind::Pid);
        self.world.pid_in(ns, self.pids[target]).map(|pid| pid.0)
    }

    /// Applies one step; invalid steps (dead actors) answer `None` and are skipped by both sides.
    pub fn step(&mut self, op: &Op) -> Option<Answer> {
        let actor = match op {
            Op::Fork { actor, .. }
            | Op::Exit { actor, .. }
            | Op::Wait { actor, .. }
            | Op::IgnoreSigchld { actor }
            | Op::Subreaper { actor }
            | Op::Fault { actor }
            | Op::Kill { actor, .. } => *actor,
        };
        if !self.can_act(actor) {
            return None;
        }
        let pid = self.pids[actor];
        let answer = match op {
            Op::Fork { new_pid_ns, .. } => {
                if *new_pid_ns {
                    if let Err(error) = self.world.apply(Event::Unshare {
                        pid,
                        new: NsKinds::of(&[NsKind::Pid]),
                    }) {
                        return Some(errno(&error));
                    }
                }
                match self.world.apply(Event::Fork {
                    pid,
                    new: NsKinds::EMPTY,
                }) {
                    Ok(outcomes) if matches!(outcomes[..], [Outcome::ForkFailed { .. }]) => {
                        Answer::Errno(12)
                    }
                    Ok(outcomes) => {
                        let child = outcomes.iter().find_map(|o| match o {
                            Outcome::Forked { child, .. } => Some(*child),
                            _ => None,
                        })?;
                        self.pids.push(child);
                        Answer::Forked(self.seen_by(actor, self.pids.len() - 1).unwrap_or(0))
                    }
                    Err(error) => errno(&error),
                }
            }
            Op::Exit { code, .. } => {
                self.world.apply(Event::Exit { pid, code: *code }).ok()?;
                Answer::Done
            }
            Op::Wait { target, .. } => {
                let target = match target {
                    None => WaitTarget::Any,
                    Some(index) => WaitTarget::Pid(Pid(self.seen_by(actor, *index)?)),
                };
                match self.world.apply(Event::Wait {
                    pid,
                    target,
                    nohang: true,
                }) {
                    Ok(outcomes) => match outcomes.first() {
                        Some(Outcome::Reaped {
                            seen_as, status: s, ..
                        }) => Answer::Reaped(seen_as.0, status(*s)),
                        _ => Answer::NoZombie,
                    },
                    Err(error) => errno(&error),
                }
            }
            Op::IgnoreSigchld { .. } => {
                let event = Event::Sigaction {
                    pid,
                    signal: Signal::SIGCHLD,
                    action: Disposition::Ignore,
                    nocldwait: false,
                };
                self.world.apply(event).ok()?;
                Answer::Done
            }
            Op::Subreaper { .. } => {
                self.world
                    .apply(Event::SetSubreaper { pid, on: true })
                    .ok()?;
                Answer::Done
            }
            Op::Fault { .. } => {
                let fault = Event::Fault {
                    pid,
                    signal: Signal::SIGSEGV,
                };
                self.world.apply(fault).ok()?;
                Answer::Done
            }
            Op::Kill {
                pid: target,
                signal,
                ..
            } => {
                let signal = Signal::new(*signal)?;
                match self.world.apply(Event::Kill {
                    pid,
                    target: Pid(*target),
                    signal,
                }) {
                    Ok(_) => Answer::Done,
                    Err(error) => errno(&error),
                }
            }
        };
        Some(answer)
    }

    /// The final table.
    pub fn table(&self) -> Vec<Row> {
        let index_of = |pid: Pid| self.pids.iter().position(|p| *p == pid);
        self.pids
            .iter()
            .enumerate()
            .filter_map(|(index, pid)| {
                let process = self.world.process(*pid)?;
                let zombie = match process.state() {
                    ProcState::Zombie(s) => Some(status(s)),
                    _ => None,
                };
                let parent = if process.parent() == self.runner {
                    None
                } else {
                    index_of(process.parent())
                };
                Some(Row {
                    index,
                    nspid: process.nspid()[1..].to_vec(),
                    parent,
                    zombie,
                })
            })
            .collect()
    }

    /// Runs a whole scenario; returns the steps that applied (the others are dropped) and the run.
    pub fn run(ops: &[Op]) -> (Vec<Op>, Run) {
        let mut model = ModelRun::new();
        let mut kept = Vec::new();
        let mut answers = Vec::new();
        for op in ops {
            if let Some(answer) = model.step(op) {
                kept.push(op.clone());
                answers.push(answer);
            }
        }
        (
            kept,
            Run {
                answers,
                table: model.table(),
            },
        )
    }
}

fn errno(error: &ModelError) -> Answer {
    match error.errno() {
        Some(pauselab_core::Errno::ECHILD) => Answer::Errno(ECHILD),
        Some(pauselab_core::Errno::ESRCH) => Answer::Errno(ESRCH),
        Some(other) => Answer::Errno(match other {
            pauselab_core::Errno::EINVAL => 22,
            pauselab_core::Errno::ENOMEM => 12,
            pauselab_core::Errno::ENOSPC => 28,
            _ => -1,
        }),
        None => Answer::Errno(-1),
    }
}
