//! Following a live node: the kernel events that take the model from what it last saw of a
//! node to what /proc shows now, so that a node watched live (`pauselab serve --live`) is a
//! trace like any other — stepped back through, exported, opened anywhere.
//!
//! Two looks at /proc say who is new, who is gone and who changed, not in which order it
//! happened; what the kernel's proc connector saw end is given beside them. The events are
//! found parents first (a child cannot be born before its parent), then namespaces made and
//! joined, programs, renames and dispositions, then ends in the order they were seen (those
//! nothing reported in the likelier of two orders, or else the other), then reaping; and
//! they are kept only if playing them on the model gives back exactly what /proc shows.
//! Otherwise nothing is played and the caller starts again from the new look (a pid reused
//! between looks, a stop — what two looks cannot tell apart).

use std::collections::{BTreeMap, BTreeSet};

use crate::error::ModelError;
use crate::event::{Event, SeenNamespaces};
use crate::format::{FormatError, ProcessRecord, Snapshot};
use crate::process::{Disposition, ExitStatus, Pid, ProcState, WaitTarget};
use crate::signal::Signal;
use crate::world::World;

/// What one look adds to a followed node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Change {
    /// The events, in the order they are played; a process first seen carries the container
    /// it was seen in.
    pub events: Vec<Event>,
}

/// What was seen of the node between two looks, besides the looks themselves: the proc
/// connector's reports, or what the watcher told from its reads of /proc.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Between {
    /// The processes seen to end since the last look, in order, with their status.
    pub ends: Vec<(Pid, ExitStatus)>,
    /// The processes seen to start a program (`execve`) since the last look, if that was
    /// watched: a process not here that changed its name renamed itself (`prctl(PR_SET_NAME)`,
    /// as runc's init does), and one here that kept its name still started a program anew.
    /// `None`: not watched, and a changed name is taken for a new program (two looks alone
    /// cannot tell them apart).
    pub execs: Option<BTreeSet<Pid>>,
}

impl Between {
    /// Only the ends, with no knowledge of programs started.
    pub fn ends(ends: &[(Pid, ExitStatus)]) -> Between {
        Between {
            ends: ends.to_vec(),
            execs: None,
        }
    }
}

/// Why a look could not be followed from the last one: the caller starts again from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FollowError {
    /// A process whose change no event explains.
    Unexplained {
        /// Its host pid.
        pid: Pid,
        /// What does not fit.
        what: &'static str,
    },
    /// The model refused an event the looks call for.
    Refused {
        /// The event.
        event: Box<Event>,
        /// Why.
        error: ModelError,
    },
}

impl std::fmt::Display for FollowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FollowError::Unexplained { pid, what } => write!(f, "process {pid}: {what}"),
            FollowError::Refused { event, error } => write!(f, "{event}: {error}"),
        }
    }
}

impl std::error::Error for FollowError {}

/// A node followed look by look.
#[derive(Clone, Debug)]
pub struct Follower {
    world: World,
}

fn host(record: &ProcessRecord) -> Pid {
    Pid(record.nspid.first().copied().unwrap_or(0))
}

fn disposition(record: &ProcessRecord, signal: Signal) -> Disposition {
    if record.ignored.contains(signal) {
        Disposition::Ignore
    } else if record.handled.contains(signal) {
        Disposition::Handler
    } else {
        Disposition::Default
    }
}

impl Follower {
    /// Starts from a first look.
    pub fn new(start: &Snapshot) -> Result<Follower, FormatError> {
        World::from_snapshot(start).map(|world| Follower { world })
    }

    /// The model of the node as last seen.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Follows the node to a new look, with what was seen `between` it and the last one. On an
    /// error nothing changes.
    pub fn observe(&mut self, now: &Snapshot, between: &Between) -> Result<Change, FollowError> {
        let seen: BTreeMap<Pid, &ProcessRecord> =
            now.processes.iter().map(|p| (host(p), p)).collect();
        // Ends nothing reported are put in the likelier order first, then in the other: the
        // one that gives back what /proc shows is kept.
        let step = self
            .step(now, &seen, between, false)
            .or_else(|first| self.step(now, &seen, between, true).map_err(|_| first))?;
        self.world = step.world;
        Ok(step.change)
    }

    /// The events from the last look to `now`; ends nothing reported in `parents_first` order.
    fn step(
        &self,
        now: &Snapshot,
        seen: &BTreeMap<Pid, &ProcessRecord>,
        between: &Between,
        parents_first: bool,
    ) -> Result<Step, FollowError> {
        let mut step = Step {
            world: self.world.clone(),
            change: Change::default(),
            execs: between.execs.clone(),
            parents_first,
        };
        let ends = between.ends.as_slice();
        step.births(seen)?;
        // After the births: a child born before its parent moved is in the namespaces the
        // parent had, and one born after gets the new ones as its own (the log then says the
        // child made them and the parent joined them, which gives the same node).
        step.namespaces(seen)?;
        // SIGCHLD ignored from now on reaps children that die after, not the zombies the look
        // shows (they died before, or they would be gone): that change waits until after the
        // ends. Any other change (SIGCHLD caught again, say) is made before them, for the same
        // reason the other way round.
        step.programs_and_dispositions(seen, false)?;
        // The zombies of the last look first, collected by the parents they had then; then
        // each end, and its reaping if it is gone, while its parent is still alive.
        step.reaping(seen)?;
        step.ends(seen, ends)?;
        step.reaping(seen)?;
        step.programs_and_dispositions(seen, true)?;
        step.pins(now)?;
        step.check(seen)?;
        Ok(step)
    }
}

/// The events found so far, played on a copy of the model.
struct Step {
    world: World,
    change: Change,
    /// The programs started that are not played yet, if that was watched.
    execs: Option<BTreeSet<Pid>>,
    /// Ends nothing reported go shallower pid namespaces first, not deeper ones.
    parents_first: bool,
}

impl Step {
    fn play(&mut self, event: Event) -> Result<(), FollowError> {
        match self.world.apply(event.clone()) {
            Ok(_) => {
                self.change.events.push(event);
                Ok(())
            }
            Err(error) => Err(FollowError::Refused {
                event: Box::new(event),
                error,
            }),
        }
    }

    /// New processes, each after its parent: the fork as the kernel made it, and its program.
    fn births(&mut self, seen: &BTreeMap<Pid, &ProcessRecord>) -> Result<(), FollowError> {
        let unborn: Vec<&ProcessRecord> = seen
            .iter()
            .filter(|(pid, _)| self.world.process(**pid).is_none())
            .map(|(_, record)| *record)
            .collect();
        // A parent outside the reader's pid namespace (/proc says 0): nothing of its start is
        // seen, only the process.
        let (outside, inside): (Vec<_>, Vec<_>) =
            unborn.into_iter().partition(|record| record.ppid == Pid(0));
        for record in outside {
            self.play(Event::AppearedSeen {
                record: Box::new(record.clone()),
            })?;
        }
        let mut unborn = inside;
        while !unborn.is_empty() {
            let (ready, waiting): (Vec<_>, Vec<_>) = unborn
                .into_iter()
                .partition(|record| self.world.is_alive(record.ppid));
            if ready.is_empty() {
                return Err(FollowError::Unexplained {
                    pid: host(waiting[0]),
                    what: "its parent is not a living process the model knows",
                });
            }
            for record in ready {
                let child = host(record);
                // A child with the name its parent has now, which the parent did not have
                // before: the parent changed it before the fork.
                if let Some(parent) = seen.get(&record.ppid) {
                    let had = self.world.process(record.ppid).map(|p| p.comm());
                    if parent.comm == record.comm && had != Some(record.comm.as_str()) {
                        self.program(record.ppid, &parent.comm)?;
                    }
                }
                self.play(Event::ForkSeen {
                    pid: record.ppid,
                    nspid: record.nspid.clone().into(),
                    ns: Box::new(record.ns),
                    container: record.container.clone().map(Box::new),
                })?;
                self.program(child, &record.comm)?;
            }
            unborn = waiting;
        }
        Ok(())
    }

    /// The living seen in other namespaces, or with their children's going elsewhere: what
    /// they made (`unshare`) and joined (`setns`).
    fn namespaces(&mut self, seen: &BTreeMap<Pid, &ProcessRecord>) -> Result<(), FollowError> {
        for (&pid, record) in seen {
            let Some(process) = self.world.process(pid).filter(|p| p.state().is_alive()) else {
                continue;
            };
            if !matches!(record.state, ProcState::Running | ProcState::Stopped) {
                continue;
            }
            // Where /proc does not say (unreadable), the model's stay.
            let wanted = SeenNamespaces {
                ns: record.ns,
                pid_for_children: record
                    .pid_for_children
                    .unwrap_or(process.pid_for_children()),
                time_for_children: record
                    .time_for_children
                    .unwrap_or(process.time_for_children()),
            };
            if wanted.ns == *process.namespaces()
                && wanted.pid_for_children == process.pid_for_children()
                && wanted.time_for_children == process.time_for_children()
            {
                continue;
            }
            self.play(Event::NamespacesSeen {
                pid,
                seen: Box::new(wanted),
            })?;
        }
        Ok(())
    }

    /// A living process's new program (`execve`) or new name (`prctl(PR_SET_NAME)`), if /proc
    /// shows `comm` or a program start was seen.
    fn program(&mut self, pid: Pid, comm: &str) -> Result<(), FollowError> {
        let Some(process) = self.world.process(pid).filter(|p| p.state().is_alive()) else {
            return Ok(());
        };
        let renamed = process.comm() != comm;
        let comm = comm.to_owned();
        let execed = match &mut self.execs {
            Some(execs) => execs.remove(&pid),
            // Not watched: a new name is taken for a new program.
            None => renamed,
        };
        let event = match (execed, renamed) {
            (true, _) => Event::Exec { pid, comm },
            (false, true) => Event::Renamed { pid, comm },
            (false, false) => return Ok(()),
        };
        self.play(event)
    }

    /// A new program (execve) and each signal's disposition, for the living: every change but
    /// SIGCHLD's to ignored, or (`ignoring`) only that one.
    fn programs_and_dispositions(
        &mut self,
        seen: &BTreeMap<Pid, &ProcessRecord>,
        ignoring: bool,
    ) -> Result<(), FollowError> {
        for (&pid, record) in seen {
            if !self.world.is_alive(pid) {
                continue;
            }
            self.program(pid, &record.comm)?;
            // A zombie's masks are its last ones; what it set before dying is not seen.
            if !matches!(record.state, ProcState::Running | ProcState::Stopped) {
                continue;
            }
            for signal in (1..=31).filter_map(Signal::new) {
                if matches!(signal, Signal::SIGKILL | Signal::SIGSTOP) {
                    continue;
                }
                let wanted = disposition(record, signal);
                if (signal == Signal::SIGCHLD && wanted == Disposition::Ignore) != ignoring {
                    continue;
                }
                let has = self.world.process(pid).map(|p| p.disposition(signal));
                if has != Some(wanted) {
                    self.play(Event::Sigaction {
                        pid,
                        signal,
                        action: wanted,
                        nocldwait: false,
                    })?;
                }
            }
        }
        Ok(())
    }

    /// The living that are now zombies or gone: the ends the connector saw, in their order,
    /// then the zombies /proc shows with their status.
    fn ends(
        &mut self,
        seen: &BTreeMap<Pid, &ProcessRecord>,
        ends: &[(Pid, ExitStatus)],
    ) -> Result<(), FollowError> {
        let ended = |pid: &Pid| {
            seen.get(pid).is_none_or(|record| {
                !matches!(record.state, ProcState::Running | ProcState::Stopped)
            })
        };
        let mut order: Vec<(Pid, Option<ExitStatus>)> = ends
            .iter()
            .filter(|(pid, _)| ended(pid))
            .map(|&(pid, status)| (pid, Some(status)))
            .collect();
        let mut unreported: Vec<&crate::Process> = self
            .world
            .processes()
            .into_iter()
            .filter(|process| {
                let pid = process.host_pid();
                process.state().is_alive() && ended(&pid) && !order.iter().any(|(p, _)| *p == pid)
            })
            .collect();
        // Deeper pid namespaces first, and each namespace's init after the rest of it: an
        // init's end kills what is left in its namespace, so when all of them are gone unseen,
        // the others ended first as far as the look can tell.
        // Or, tried next, the other way round: a namespace's init whose parent also ended,
        // after it.
        unreported.sort_by_key(|process| (std::cmp::Reverse(process.level()), process.is_init()));
        if self.parents_first {
            unreported.sort_by_key(|process| process.level());
        }
        order.extend(
            unreported
                .into_iter()
                .map(|process| (process.host_pid(), None)),
        );
        for (pid, status) in order {
            if !self.world.is_alive(pid) {
                continue;
            }
            // The connector's report first: /proc's field 52 may not be readable.
            let status = match (seen.get(&pid).map(|r| r.state), status) {
                (_, Some(status)) => status,
                (Some(ProcState::Zombie(status)), None) => status,
                // Gone, with nothing that saw it end (polling /proc only): it ended and was
                // collected between the looks, how is not known.
                (None, None) => {
                    self.play(Event::EndedUnseen { pid })?;
                    continue;
                }
                _ => {
                    return Err(FollowError::Unexplained {
                        pid,
                        what: "it ended, but neither /proc nor the proc connector says how",
                    })
                }
            };
            self.play(match status {
                ExitStatus::Exited(code) => Event::Exit { pid, code },
                ExitStatus::Signaled(signal) => Event::Signaled { pid, signal },
            })?;
            if !seen.contains_key(&pid) {
                self.reap(pid)?;
            }
        }
        Ok(())
    }

    /// Zombies that are gone: their parent collected them.
    fn reaping(&mut self, seen: &BTreeMap<Pid, &ProcessRecord>) -> Result<(), FollowError> {
        let gone: Vec<Pid> = self
            .world
            .processes()
            .into_iter()
            .filter(|p| {
                matches!(p.state(), ProcState::Zombie(_)) && !seen.contains_key(&p.host_pid())
            })
            .map(|p| p.host_pid())
            .collect();
        gone.into_iter().try_for_each(|pid| self.reap(pid))
    }

    /// A zombie's parent collects it, unless it is gone already (a parent blocked in wait, or
    /// one that ignores SIGCHLD, took it as it died).
    fn reap(&mut self, pid: Pid) -> Result<(), FollowError> {
        {
            let Some(parent) = self
                .world
                .process(pid)
                .filter(|p| matches!(p.state(), ProcState::Zombie(_)))
                .map(|p| p.parent())
            else {
                return Ok(());
            };
            if parent == Pid(0) {
                return self.play(Event::CollectedOutside { pid });
            }
            let target =
                self.world
                    .pid_seen_by(parent, pid)
                    .map_err(|error| FollowError::Refused {
                        event: Box::new(Event::Wait {
                            pid: parent,
                            target: WaitTarget::Pid(pid),
                            nohang: true,
                        }),
                        error,
                    })?;
            self.play(Event::Wait {
                pid: parent,
                target: WaitTarget::Pid(target),
                nohang: true,
            })
        }
    }

    /// Bind mounts of namespace files (/run/netns) made and removed.
    fn pins(&mut self, now: &Snapshot) -> Result<(), FollowError> {
        let mut after: Vec<(crate::NsId, String)> = now
            .namespaces
            .iter()
            .flat_map(|ns| ns.pins.iter().map(move |holder| (ns.id, holder.clone())))
            .collect();
        after.sort();
        let before = self.world.pins();
        for (ns, holder) in before.iter().filter(|pin| !after.contains(pin)) {
            self.play(Event::Unpin {
                ns: *ns,
                holder: holder.clone(),
            })?;
        }
        for (ns, holder) in after.iter().filter(|pin| !before.contains(pin)) {
            // A pin of a namespace no process of the look is in, is of one the model never saw.
            if self.world.has_namespace(*ns) {
                self.play(Event::Pin {
                    ns: *ns,
                    holder: holder.clone(),
                })?;
            }
        }
        Ok(())
    }

    /// The model now shows each process as /proc does, or the look is not followed.
    fn check(&self, seen: &BTreeMap<Pid, &ProcessRecord>) -> Result<(), FollowError> {
        let model = self.world.to_snapshot();
        let unexplained = |pid, what| Err(FollowError::Unexplained { pid, what });
        if let Some(record) = model
            .processes
            .iter()
            .find(|p| !seen.contains_key(&host(p)))
        {
            return unexplained(host(record), "the model still has it");
        }
        if let Some(pid) = seen.keys().find(|pid| self.world.process(**pid).is_none()) {
            return unexplained(*pid, "the model does not have it");
        }
        for record in &model.processes {
            let pid = host(record);
            let real = seen[&pid];
            if record.nspid != real.nspid {
                return unexplained(pid, "its pids differ");
            }
            if record.ppid != real.ppid {
                return unexplained(pid, "its parent differs");
            }
            if record.state != real.state {
                return unexplained(pid, "its state differs");
            }
            if record.comm != real.comm {
                return unexplained(pid, "its program differs");
            }
            let living = matches!(real.state, ProcState::Running | ProcState::Stopped);
            if living && record.ns != real.ns {
                return unexplained(pid, "its namespaces differ");
            }
            // An unshare(CLONE_NEWPID) or setns into a pid namespace changes only this.
            let differs = |model: Option<crate::NsId>, real: Option<crate::NsId>| {
                real.is_some() && model != real
            };
            if living
                && (differs(record.pid_for_children, real.pid_for_children)
                    || differs(record.time_for_children, real.time_for_children))
            {
                return unexplained(pid, "the namespaces its children will get differ");
            }
            if living && (record.handled != real.handled || record.ignored != real.ignored) {
                return unexplained(pid, "its signal dispositions differ");
            }
        }
        Ok(())
    }
}
