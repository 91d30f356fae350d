//! Checking a step's expectations against the node. A check that does not hold returns a
//! [`Mismatch`]: what was expected and what was [`Found`], as values that views word in the
//! reader's language (their English wording is their `Display`).

use super::schema::Expect;
use super::{Label, Player};
use crate::ns::{NsId, NsKind};
use crate::outcome::Outcome;
use crate::pod::{ContainerRef, NodeStep, PodError};
use crate::process::{ExitStatus, Pid, ProcState};
use crate::view::PsRow;

/// A check that does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// What should hold.
    pub expected: Box<Expect>,
    /// What holds instead.
    pub found: Found,
}

/// What a check found instead of what it expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// No step gave a process this label.
    UnknownLabel(Label),
    /// The process has been reaped.
    Gone(Label),
    /// The pod has no such container.
    NoContainer(ContainerRef),
    /// The container's pid namespace is gone (its processes all died).
    NoPidNamespace(ContainerRef),
    /// What pid 1 runs there; none: nothing is pid 1.
    Pid1(Option<String>),
    /// The process found, as `ps` there shows it; none: no such process.
    Row(Option<FoundRow>),
    /// The zombies, by host pid.
    Zombies(Vec<Pid>),
    /// How many processes `ps` shows.
    Visible(usize),
    /// The two processes' namespaces of the kind.
    Namespaces {
        /// The kind.
        kind: NsKind,
        /// The first process's.
        a: NsId,
        /// The second's.
        b: NsId,
    },
    /// The hostname the process sees; none: its uts namespace has none set.
    Hostname(Option<String>),
    /// No signal was dropped during the step.
    NoDroppedSignal,
    /// What the step was refused with; none: it was not refused.
    Refusal(Option<Box<PodError>>),
    /// The process's state.
    State(ProcState),
    /// How it ended, as a shell shows it; none: it has not ended.
    Status(Option<u8>),
    /// Its pids, host first.
    Nspid(Vec<u32>),
    /// The pod's IP; none: no such pod, or it has the node's.
    Ip(Option<String>),
    /// How often the container was restarted; none: no such container.
    Restarts(Option<u32>),
    /// The runtime did not say it.
    NotSaid,
}

/// A process as `ps` inside a container shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundRow {
    /// Its pid there.
    pub pid: Pid,
    /// Its parent's pid there (0: outside).
    pub ppid: Pid,
    /// Its command name.
    pub comm: String,
    /// Its state.
    pub state: ProcState,
}

impl From<&PsRow> for FoundRow {
    fn from(row: &PsRow) -> FoundRow {
        FoundRow {
            pid: row.pid,
            ppid: row.ppid,
            comm: row.comm.clone(),
            state: row.state,
        }
    }
}

impl Player {
    /// Checks one expectation.
    pub fn holds(&self, expect: &Expect) -> Result<(), Mismatch> {
        self.check(expect).map_err(|found| Mismatch {
            expected: Box::new(expect.clone()),
            found,
        })
    }

    /// Whether the expectation holds, or what was found instead.
    fn check(&self, expect: &Expect) -> Result<(), Found> {
        let world = self.node().world();
        let differs = |holds: bool, found: Found| if holds { Ok(()) } else { Err(found) };
        match expect {
            Expect::Pid1 { container, comm } => {
                let rows = self.ps_in(container)?;
                let pid1 = rows
                    .iter()
                    .find(|r| r.pid == Pid(1))
                    .map(|r| r.comm.clone());
                differs(pid1.as_ref() == Some(comm), Found::Pid1(pid1))
            }
            Expect::Zombie {
                container,
                pid,
                ppid,
            } => {
                let rows = self.ps_in(container)?;
                let row = rows.iter().find(|r| r.pid == Pid(*pid));
                let holds = row.is_some_and(|r| {
                    matches!(r.state, ProcState::Zombie(_)) && r.ppid == Pid(*ppid)
                });
                differs(holds, Found::Row(row.map(FoundRow::from)))
            }
            Expect::NoZombies { pod } => {
                let zombies: Vec<Pid> = world
                    .zombies()
                    .into_iter()
                    .filter(|zombie| {
                        pod.as_deref().is_none_or(|pod| {
                            self.node()
                                .cgroup(*zombie)
                                .is_some_and(|group| group.pod() == Some(pod))
                        })
                    })
                    .collect();
                differs(zombies.is_empty(), Found::Zombies(zombies))
            }
            Expect::Ppid {
                container,
                comm,
                ppid,
            } => {
                let rows = self.ps_in(container)?;
                let row = rows.iter().find(|r| r.comm == *comm && r.state.is_alive());
                let holds = row.is_some_and(|r| r.ppid == Pid(*ppid));
                differs(holds, Found::Row(row.map(FoundRow::from)))
            }
            Expect::Visible { container, count } => {
                let rows = self.ps_in(container)?;
                differs(rows.len() == *count, Found::Visible(rows.len()))
            }
            Expect::Shares { a, b, kind, same } => {
                let ns = |label: &Label| -> Result<NsId, Found> {
                    let pid = self.labelled(label)?;
                    let process = world
                        .process(pid)
                        .ok_or_else(|| Found::Gone(label.clone()))?;
                    Ok(process.namespaces().get(*kind))
                };
                let (x, y) = (ns(a)?, ns(b)?);
                differs(
                    (x == y) == *same,
                    Found::Namespaces {
                        kind: *kind,
                        a: x,
                        b: y,
                    },
                )
            }
            Expect::Hostname { process, value } => {
                let pid = self.labelled(process)?;
                let found = self.node().hostname(pid);
                differs(
                    found == Some(value.as_str()),
                    Found::Hostname(found.map(str::to_owned)),
                )
            }
            Expect::Dropped => {
                let dropped = self
                    .kernel_outcomes()
                    .any(|o| matches!(o, Outcome::SignalDropped { .. }));
                differs(dropped, Found::NoDroppedSignal)
            }
            Expect::Refused(kind) => differs(
                self.refused.as_ref().is_some_and(|e| e.kind() == *kind),
                Found::Refusal(self.refused.clone().map(Box::new)),
            ),
            Expect::Alive { process } => {
                let state = self.state_of(process)?;
                differs(state.is_alive(), Found::State(state))
            }
            Expect::Dead { process } => match self.state_of(process) {
                Ok(state) => differs(!state.is_alive(), Found::State(state)),
                Err(Found::Gone(_)) => Ok(()),
                Err(other) => Err(other),
            },
            Expect::Reaped { process } => match self.state_of(process) {
                Ok(state) => Err(Found::State(state)),
                Err(Found::Gone(_)) => Ok(()),
                Err(other) => Err(other),
            },
            Expect::ExitStatus { process, code } => {
                let pid = self.labelled(process)?;
                let status = self.exit_status(pid).map(ExitStatus::shell_code);
                differs(status == Some(*code), Found::Status(status))
            }
            Expect::Nspid { process, nspid } => {
                let pid = self.labelled(process)?;
                let found = world
                    .process(pid)
                    .ok_or_else(|| Found::Gone(process.clone()))?;
                differs(
                    found.nspid() == nspid.as_slice(),
                    Found::Nspid(found.nspid().to_vec()),
                )
            }
            Expect::PodIp { pod, ip } => {
                let found = self.node().pod(pod).and_then(|p| p.ip.clone());
                differs(found.as_ref() == Some(ip), Found::Ip(found))
            }
            Expect::Restarts { container, count } => {
                let found = self.node().container(container).map(|c| c.restarts);
                differs(found == Some(*count), Found::Restarts(found))
            }
            Expect::RuntimeSays(kind) => {
                let said = self
                    .last
                    .iter()
                    .any(|step| matches!(step, NodeStep::Runtime { note } if note.kind() == *kind));
                differs(said, Found::NotSaid)
            }
        }
    }

    fn kernel_outcomes(&self) -> impl DoubleEndedIterator<Item = &Outcome> + '_ {
        self.last.iter().flat_map(|step| match step {
            NodeStep::Kernel { outcomes, .. } => outcomes.as_slice(),
            NodeStep::Runtime { .. } | NodeStep::Typed { .. } => &[],
        })
    }

    /// `ps` from the pid namespace of a container's first process.
    /// `ps` in the container's pid namespace, which may outlive its first process (a shared
    /// one, K25).
    fn ps_in(&self, container: &ContainerRef) -> Result<Vec<PsRow>, Found> {
        let ns = self
            .node()
            .container(container)
            .map(|c| c.pid_ns)
            .ok_or_else(|| Found::NoContainer(container.clone()))?;
        self.node()
            .world()
            .ps(ns)
            .ok_or_else(|| Found::NoPidNamespace(container.clone()))
    }

    fn labelled(&self, label: &Label) -> Result<Pid, Found> {
        self.pid(label)
            .ok_or_else(|| Found::UnknownLabel(label.clone()))
    }

    /// The state of a labelled process that has not been reaped.
    fn state_of(&self, label: &Label) -> Result<ProcState, Found> {
        let pid = self.labelled(label)?;
        let process = self.node().world().process(pid);
        process
            .map(|p| p.state())
            .ok_or_else(|| Found::Gone(label.clone()))
    }

    /// How a process ended: its zombie's status, or the step that released it at once.
    fn exit_status(&self, pid: Pid) -> Option<ExitStatus> {
        if let Some(ProcState::Zombie(status)) = self.node().world().process(pid).map(|p| p.state())
        {
            return Some(status);
        }
        let seen = self
            .kernel_outcomes()
            .rev()
            .find_map(|outcome| match outcome {
                Outcome::Exited { pid: p, status } if *p == pid => Some(*status),
                _ => None,
            });
        // A container's first process that ended in an earlier step: the runtime keeps its
        // status (what `kubectl get pod` shows), long after it was reaped.
        seen.or_else(|| {
            self.node()
                .pods()
                .iter()
                .flat_map(|pod| &pod.containers)
                .find(|container| container.init == pid)
                .and_then(|container| container.exit)
        })
    }
}
