//! A trace you can step through: the kernel model as a [`Machine`] fed events, in a
//! [`History`], with the container labels of the file it came from.

use crate::sorted_map::SortedMap;
use std::sync::Arc;

use crate::error::ModelError;
use crate::event::Event;
use crate::format::{
    ContainerLabel, FormatError, Snapshot, Step, Trace, FORMAT_VERSION, TRACE_FORMAT,
};
use crate::history::{History, Machine};
use crate::outcome::Outcome;
use crate::process::Pid;
use crate::scenario::{Action, Label, UnknownLabel};
use crate::wire::{self, WireError};
use crate::world::World;

/// The kernel model steps by events; each step's record is the trace's step.
impl Machine for World {
    type Input = Event;
    type Record = Step;
    type Refusal = ModelError;

    fn replay(&mut self, event: &Event) -> Step {
        // Recorded refusals are part of a trace but change nothing.
        let (outcomes, error) = match self.apply(event.clone()) {
            Ok(outcomes) => (outcomes, None),
            Err(error) => (Vec::new(), Some(error)),
        };
        Step {
            event: event.clone(),
            outcomes,
            error,
        }
    }

    fn attempt(&mut self, event: &Event) -> Result<Step, ModelError> {
        Ok(Step {
            event: event.clone(),
            outcomes: self.apply(event.clone())?,
            error: None,
        })
    }
}

/// Why an action was not taken on a file's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActRefusal {
    /// An action of the pod layer: a file from a real machine has no pods to act on.
    NoPods,
    /// It names a process by anything but its host pid.
    Unknown(UnknownLabel),
    /// The kernel refused a call (and every call of the action was undone).
    Kernel(ModelError),
}

/// Only host pids name processes in a file (no step gave names).
fn host_pid(label: &Label) -> Result<Pid, UnknownLabel> {
    match label {
        Label::HostPid(pid) => Ok(*pid),
        Label::Host => Ok(Pid(1)),
        other => Err(UnknownLabel(other.clone())),
    }
}

/// A trace being watched or extended, positioned at some step.
#[derive(Clone, Debug)]
pub struct Timeline {
    history: History<World>,
    /// The containers of the opened file's processes (`pauselab ps --json` on a node).
    labels: Arc<SortedMap<Pid, ContainerLabel>>,
    /// Whether any process is labelled, at the start or by an event.
    containers: bool,
}

impl Timeline {
    /// A timeline that starts at `world`, with no steps.
    pub fn new(world: World) -> Timeline {
        Timeline {
            history: History::new(world),
            labels: Arc::default(),
            containers: false,
        }
    }

    /// A timeline over a recorded trace, positioned at its start. The trace must replay.
    pub fn from_trace(trace: &Trace) -> Result<Timeline, FormatError> {
        trace.replay()?;
        let initial = World::from_snapshot(&trace.initial)?;
        let events = trace.steps.iter().map(|step| step.event.clone()).collect();
        // The replay above showed that each step does what the trace says.
        let history = History::with_records(initial, events, trace.steps.clone());
        Ok(Timeline::labelled(history, &trace.initial))
    }

    /// Opens a file of either format (a snapshot starts a timeline with no steps), checking it
    /// all before anything is shown.
    pub fn open(json: &str) -> Result<Timeline, FormatError> {
        match crate::format::Document::from_json(json)? {
            crate::format::Document::Snapshot(snapshot) => {
                let world = World::from_snapshot(&snapshot)?;
                Ok(Timeline::labelled(History::new(world), &snapshot))
            }
            crate::format::Document::Trace(trace) => Timeline::from_trace(&trace),
        }
    }

    /// The whole timeline as compact bytes: its start, labelled, and every event
    /// ([`crate::wire`]). What the browser's file reader hands the page.
    pub fn to_wire(&self) -> Vec<u8> {
        wire::encode(&wire::Opened {
            initial: self.labelled_start(),
            events: self.events().to_vec(),
        })
    }

    /// The starting state, its processes labelled with their containers.
    fn labelled_start(&self) -> Snapshot {
        let mut start = self.history.initial().to_snapshot();
        for record in &mut start.processes {
            let pid = Pid(record.nspid.first().copied().unwrap_or(0));
            record.container = self.labels.get(&pid).cloned();
        }
        start
    }

    /// A timeline from [`Timeline::to_wire`]'s bytes, positioned at its start. The start is
    /// checked as a file's would be; the events were checked by whoever wrote the bytes, and
    /// are replayed as the reader steps.
    pub fn from_wire(bytes: &[u8]) -> Result<Timeline, WireError> {
        let opened = wire::decode(bytes)?;
        let initial = World::from_snapshot(&opened.initial)
            .map_err(|_| WireError::Invalid("starting state"))?;
        let history = History::with_inputs(initial, opened.events);
        Ok(Timeline::labelled(history, &opened.initial))
    }

    /// A timeline over `history`, its start's processes labelled as `start` labels them.
    fn labelled(history: History<World>, start: &Snapshot) -> Timeline {
        let labels = labels_of(start);
        let containers = !labels.is_empty() || history.inputs().iter().any(labels_a_container);
        Timeline {
            history,
            labels: Arc::new(labels),
            containers,
        }
    }

    /// The world at the cursor.
    pub fn world(&self) -> &World {
        self.history.current()
    }

    /// Every step's event, applied or not yet.
    pub fn events(&self) -> &[Event] {
        self.history.inputs()
    }

    /// The applied steps: each event and what it did.
    pub fn applied(&self) -> &[Step] {
        self.history.records()
    }

    /// How many steps there are.
    pub fn len(&self) -> usize {
        self.history.len()
    }

    /// Whether there are no steps.
    pub fn is_empty(&self) -> bool {
        self.history.is_empty()
    }

    /// How many steps are applied.
    pub fn position(&self) -> usize {
        self.history.position()
    }

    /// The last applied step, if any.
    pub fn last_step(&self) -> Option<&Step> {
        self.history.last_record()
    }

    /// Applies a new event at the cursor, dropping any steps after it. A refused event is not
    /// recorded and changes nothing.
    pub fn apply(&mut self, event: Event) -> Result<Vec<Outcome>, ModelError> {
        self.history
            .attempt(event)
            .map(|step| step.outcomes.clone())
    }

    /// A scenario action on this bare world (a file from a real machine has no pod layer),
    /// processes named by host pid (`#N`), a kill "from the host" sent by pid 1: its kernel
    /// calls, all applied or, when one is refused, none.
    pub fn act(&mut self, action: &Action) -> Result<(), ActRefusal> {
        let Some(call) = action.kernel_call(host_pid, Pid(1)) else {
            return Err(ActRefusal::NoPods);
        };
        let call = call.map_err(ActRefusal::Unknown)?;
        let mut next = self.clone();
        let outcomes = next.apply(call.event).map_err(ActRefusal::Kernel)?;
        if let Some(comm) = call.exec {
            // A fork that failed (K19) made no child to exec.
            let child = outcomes.iter().find_map(|outcome| match outcome {
                Outcome::Forked { child, .. } => Some(*child),
                _ => None,
            });
            if let Some(pid) = child {
                let exec = Event::Exec {
                    pid,
                    comm: comm.to_owned(),
                };
                next.apply(exec).map_err(ActRefusal::Kernel)?;
            }
        }
        *self = next;
        Ok(())
    }

    #[cfg(feature = "live")]
    /// A live node's next look ([`crate::live`]): its events after the last step. The cursor
    /// stays where the reader put it.
    pub fn extend(&mut self, change: crate::live::Change) {
        self.containers |= change.events.iter().any(labels_a_container);
        self.history.extend(change.events);
    }

    #[cfg(feature = "live")]
    /// Goes on with another record of the same node (its server started again): a step that
    /// draws the node anew from that record's start (`Event::LookedAnew`), then its steps. The
    /// cursor stays where the reader put it.
    pub fn extend_with(&mut self, next: &Timeline) {
        let look = Event::LookedAnew {
            look: Box::new(next.labelled_start()),
        };
        self.containers |= next.has_containers();
        self.history
            .extend(std::iter::once(look).chain(next.events().iter().cloned()));
    }

    /// Applies the next recorded step. Returns false at the end.
    pub fn forward(&mut self) -> bool {
        self.history.forward()
    }

    /// Goes back one step. Returns false at the start.
    pub fn back(&mut self) -> bool {
        self.history.back()
    }

    /// Moves the cursor to `position` (clamped to the number of steps).
    pub fn seek(&mut self, position: usize) {
        self.history.seek(position);
    }

    /// Back to the start, keeping the steps.
    pub fn reset(&mut self) {
        self.seek(0);
    }

    /// The applied steps as a trace, its processes still labelled with their containers.
    pub fn to_trace(&self, title: Option<String>) -> Trace {
        Trace {
            format: TRACE_FORMAT.to_owned(),
            version: FORMAT_VERSION,
            title,
            initial: self.labelled_start(),
            // Each applied step's record is what a recorder writes for its event.
            steps: self.applied().to_vec(),
        }
    }

    /// Whether the file's processes carry container labels, at its start or at a birth.
    pub fn has_containers(&self) -> bool {
        self.containers
    }

    /// The container a process runs in, as the opened file labels it (see
    /// [`Timeline::containers`]).
    pub fn container_of(&self, pid: Pid) -> Option<&ContainerLabel> {
        self.containers().get(pid)
    }

    /// The container each process runs in at the cursor, by host pid, as the opened file labels
    /// them. A process born during the trace is in the one it was seen born in on a live node,
    /// or else in its parent's (fork keeps the cgroup); one drawn anew from a look at /proc, in
    /// the look's. One pass over the applied steps, so a pid used again is the new process's.
    pub fn containers(&self) -> Containers<'_> {
        let mut labels: SortedMap<Pid, &ContainerLabel> = SortedMap::default();
        if !self.containers {
            return Containers(labels);
        }
        labels.extend(self.labels.iter().map(|(pid, label)| (*pid, label)));
        for step in self.applied() {
            #[cfg(feature = "live")]
            match &step.event {
                Event::LookedAnew { look } => {
                    labels = SortedMap::default();
                    labels.extend(look.processes.iter().filter_map(|record| {
                        Some((Pid(*record.nspid.first()?), record.container.as_ref()?))
                    }));
                    continue;
                }
                Event::AppearedSeen { record } => {
                    let pid = Pid(record.nspid.first().copied().unwrap_or(0));
                    match &record.container {
                        Some(label) => labels.insert(pid, label),
                        None => labels.remove(&pid),
                    };
                    continue;
                }
                _ => {}
            }
            for outcome in &step.outcomes {
                let Outcome::Forked { parent, child, .. } = outcome else {
                    continue;
                };
                let label = match &step.event {
                    #[cfg(feature = "live")]
                    Event::ForkSeen { container, .. } => container.as_deref(),
                    _ => labels.get(parent).copied(),
                };
                match label {
                    Some(label) => labels.insert(*child, label),
                    None => labels.remove(child),
                };
            }
        }
        Containers(labels)
    }
}

/// Each process's container at a timeline's cursor ([`Timeline::containers`]).
#[derive(Debug)]
pub struct Containers<'a>(SortedMap<Pid, &'a ContainerLabel>);

impl<'a> Containers<'a> {
    /// The container the process with this host pid runs in, if any.
    pub fn get(&self, pid: Pid) -> Option<&'a ContainerLabel> {
        self.0.get(&pid).copied()
    }
}

/// Whether an event names a container (a birth seen in one, or a look with any).
fn labels_a_container(event: &Event) -> bool {
    match event {
        #[cfg(feature = "live")]
        Event::ForkSeen { container, .. } => container.is_some(),
        #[cfg(feature = "live")]
        Event::AppearedSeen { record } => record.container.is_some(),
        #[cfg(feature = "live")]
        Event::LookedAnew { look } => look.processes.iter().any(|p| p.container.is_some()),
        _ => false,
    }
}

/// The labels a snapshot gives its processes, by host pid.
fn labels_of(snapshot: &Snapshot) -> SortedMap<Pid, ContainerLabel> {
    snapshot
        .processes
        .iter()
        .filter_map(|record| {
            let label = record.container.clone()?;
            Some((Pid(*record.nspid.first()?), label))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NsKinds, Pid};

    fn fork(pid: u32) -> Event {
        Event::Fork {
            pid: Pid(pid),
            new: NsKinds::EMPTY,
        }
    }

    #[test]
    fn stepping_back_and_forward_gives_the_same_worlds() {
        let mut timeline = Timeline::new(World::new());
        timeline.apply(fork(1)).unwrap();
        let after_one = timeline.world().clone();
        timeline.apply(fork(2)).unwrap();
        timeline
            .apply(Event::Exit {
                pid: Pid(3),
                code: 0,
            })
            .unwrap();
        let at_end = timeline.world().clone();
        assert!(timeline.back() && timeline.back());
        assert_eq!(*timeline.world(), after_one);
        timeline.seek(99);
        assert_eq!(*timeline.world(), at_end);
        timeline.reset();
        assert_eq!(timeline.world().len(), 1);
        assert!(!timeline.back());
    }

    #[test]
    fn open_reads_snapshots_and_traces_and_refuses_broken_files() {
        let world = World::new();
        let snapshot = crate::format::Document::Snapshot(world.to_snapshot()).to_json();
        assert_eq!(Timeline::open(&snapshot).unwrap().world(), &world);
        let mut timeline = Timeline::new(World::new());
        timeline.apply(fork(1)).unwrap();
        let trace = crate::format::Document::Trace(timeline.to_trace(None)).to_json();
        let opened = Timeline::open(&trace).unwrap();
        assert_eq!((opened.position(), opened.len()), (0, 1));
        assert!(Timeline::open("{").is_err());
        assert!(Timeline::open(&trace.replace("\"fork\"", "\"exit\"")).is_err());
    }

    #[test]
    fn an_action_on_a_file_is_its_kernel_calls_all_or_none() {
        use crate::scenario::Action;
        let mut timeline = Timeline::new(World::new());
        let fork = Action::Fork {
            process: Label::HostPid(Pid(1)),
            name: "worker".into(),
            comm: Some("sleep".into()),
            new: NsKinds::EMPTY,
        };
        timeline.act(&fork).unwrap();
        // The fork and the exec, as two steps of the trace.
        assert_eq!(timeline.len(), 2);
        assert_eq!(timeline.world().process(Pid(2)).unwrap().comm(), "sleep");
        let before = timeline.clone();
        let exit_of_nobody = Action::Exit {
            process: Label::HostPid(Pid(77)),
            code: 0,
        };
        assert!(matches!(
            timeline.act(&exit_of_nobody),
            Err(ActRefusal::Kernel(_))
        ));
        let stop = Action::KillPause { pod: "web".into() };
        assert_eq!(timeline.act(&stop), Err(ActRefusal::NoPods));
        let named = Action::Exit {
            process: Label::Named("worker".into()),
            code: 0,
        };
        assert!(matches!(timeline.act(&named), Err(ActRefusal::Unknown(_))));
        assert_eq!(
            (timeline.world(), timeline.len()),
            (before.world(), before.len())
        );
    }

    #[test]
    fn a_timeline_survives_the_wire_and_hostile_bytes_are_refused() {
        let mut recorder = crate::format::Recorder::new(World::new(), Some("wire".into()));
        recorder.record(fork(1)).unwrap();
        let nested = Event::Fork {
            pid: Pid(2),
            new: NsKinds::of(&[crate::NsKind::Pid, crate::NsKind::Net]),
        };
        recorder.record(nested).unwrap();
        // A refused call is part of a recorded trace too.
        let refused = Event::Exit {
            pid: Pid(77),
            code: 0,
        };
        assert!(recorder.record(refused).is_err());
        let mut trace = recorder.into_trace();
        trace.initial.processes[0].container = Some(ContainerLabel {
            engine: crate::format::Engine::Containerd,
            pod: "web".into(),
            container: "app".into(),
            id: "c0ffee".into(),
        });
        let opened = Timeline::from_trace(&trace).unwrap();
        let bytes = opened.to_wire();
        let mut back = Timeline::from_wire(&bytes).unwrap();
        assert_eq!((back.world(), back.len()), (opened.world(), opened.len()));
        assert_eq!(
            back.container_of(Pid(1)).map(|l| l.id.as_str()),
            Some("c0ffee")
        );
        let mut whole = opened.clone();
        back.seek(usize::MAX);
        whole.seek(usize::MAX);
        assert_eq!(back.world(), whole.world());
        assert_eq!(back.applied(), trace.steps.as_slice());
        // Every cut and every flipped byte is refused or decodes to something; none panics.
        for cut in 0..bytes.len() {
            assert!(Timeline::from_wire(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        for index in 0..bytes.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut bad = bytes.clone();
                bad[index] ^= flip;
                let _ = Timeline::from_wire(&bad);
            }
        }
        let mut other_version = bytes.clone();
        other_version[3] = 2;
        assert_eq!(
            Timeline::from_wire(&other_version).err(),
            Some(WireError::NotThisVersion)
        );
    }

    #[test]
    fn a_new_event_in_the_past_drops_the_future_and_a_refused_one_changes_nothing() {
        let mut timeline = Timeline::new(World::new());
        timeline.apply(fork(1)).unwrap();
        timeline.apply(fork(1)).unwrap();
        timeline.back();
        timeline
            .apply(Event::Exit {
                pid: Pid(2),
                code: 1,
            })
            .unwrap();
        assert_eq!(timeline.len(), 2);
        let before = timeline.world().clone();
        assert!(timeline
            .apply(Event::Exit {
                pid: Pid(77),
                code: 0
            })
            .is_err());
        assert_eq!((timeline.world(), timeline.len()), (&before, 2));
        let trace = timeline.to_trace(None);
        assert_eq!(trace.replay().unwrap(), *timeline.world());
    }
}
