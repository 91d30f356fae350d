//! Following a live node (`core::live`): the model plays as the node, two of its snapshots
//! are the two looks at /proc, and what the follower finds between them must give back the
//! second look exactly — or nothing at all.

use pauselab_core::live::{Between, Follower};
use pauselab_core::{
    Disposition, Document, Event, NsKind, NsKinds, Outcome, Pid, ProcState, Signal, Timeline,
    Trace, WaitTarget, World,
};
use proptest::prelude::*;
use proptest::sample::Index;

mod looks;
mod record;

/// What a node does between two looks that two looks can tell: forks and unshares (into new
/// namespaces), execs, renames (`prctl(PR_SET_NAME)`), exits, kills, non-blocking waits, dispositions.
#[derive(Clone, Debug)]
enum Deed {
    Fork(Index, NsKinds),
    Unshare(Index, NsKinds),
    Exec(Index, u8),
    Rename(Index, u8),
    Exit(Index, u8),
    Kill(Index, Signal),
    Reap(Index),
    Dispose(Index, Signal, Disposition),
}

fn deed() -> impl Strategy<Value = Deed> {
    let kinds = prop_oneof![
        6 => Just(NsKinds::EMPTY),
        2 => Just(NsKinds::of(&[NsKind::Pid])),
        1 => Just(NsKinds::of(&[NsKind::Pid, NsKind::Net, NsKind::Ipc, NsKind::Uts, NsKind::Mnt])),
        1 => Just(NsKinds::of(&[NsKind::Net])),
    ];
    let unshared = proptest::sample::select(vec![
        NsKinds::of(&[NsKind::Net]),
        NsKinds::of(&[NsKind::Mnt, NsKind::Uts]),
        NsKinds::of(&[NsKind::Ipc]),
        NsKinds::of(&[NsKind::User]),
        NsKinds::of(&[NsKind::Net, NsKind::Mnt, NsKind::Uts, NsKind::Ipc]),
    ]);
    let signal = proptest::sample::select(vec![Signal::SIGKILL, Signal::SIGTERM, Signal::SIGINT]);
    let caught = proptest::sample::select(vec![Signal::SIGCHLD, Signal::SIGTERM, Signal::SIGUSR1]);
    let action = proptest::sample::select(vec![
        Disposition::Default,
        Disposition::Ignore,
        Disposition::Handler,
    ]);
    prop_oneof![
        4 => (any::<Index>(), kinds).prop_map(|(i, k)| Deed::Fork(i, k)),
        // Not a pid namespace: its init's end, with other processes in it that are not its
        // children, leaves it exiting, which /proc shows as sleeping (see the README).
        1 => (any::<Index>(), unshared).prop_map(|(i, k)| Deed::Unshare(i, k)),
        2 => (any::<Index>(), 0u8..4).prop_map(|(i, n)| Deed::Exec(i, n)),
        1 => (any::<Index>(), 0u8..4).prop_map(|(i, n)| Deed::Rename(i, n)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, c)| Deed::Exit(i, c)),
        2 => (any::<Index>(), signal).prop_map(|(i, s)| Deed::Kill(i, s)),
        3 => any::<Index>().prop_map(Deed::Reap),
        1 => (any::<Index>(), caught, action).prop_map(|(i, s, a)| Deed::Dispose(i, s, a)),
    ]
}

/// The deed as an event of the node's, if it names someone it can be done by.
fn event(world: &World, deed: &Deed) -> Option<Event> {
    let living: Vec<Pid> = world
        .processes()
        .iter()
        .filter(|p| p.state() == ProcState::Running && p.waiting().is_none())
        .map(|p| p.host_pid())
        .collect();
    let pick = |index: &Index| (!living.is_empty()).then(|| living[index.index(living.len())]);
    Some(match deed {
        Deed::Fork(i, new) => Event::Fork {
            pid: pick(i)?,
            new: *new,
        },
        Deed::Unshare(i, new) => Event::Unshare {
            pid: pick(i)?,
            new: *new,
        },
        Deed::Exec(i, n) => Event::Exec {
            pid: pick(i)?,
            comm: ["sh", "nginx", "sleep", "app"][usize::from(*n)].into(),
        },
        // runc's names for its init's stages, and a name a program could have run as.
        Deed::Rename(i, n) => Event::Renamed {
            pid: pick(i)?,
            comm: ["runc:[1:CHILD]", "runc:[2:INIT]", "nginx", "worker"][usize::from(*n)].into(),
        },
        Deed::Exit(i, code) => Event::Exit {
            pid: pick(i)?,
            code: *code,
        },
        // From the host's init, which sees every process.
        Deed::Kill(i, signal) => Event::Kill {
            pid: Pid(1),
            target: pick(i)?,
            signal: *signal,
        },
        Deed::Reap(i) => Event::Wait {
            pid: pick(i)?,
            target: WaitTarget::Any,
            nohang: true,
        },
        Deed::Dispose(i, signal, action) => Event::Sigaction {
            pid: pick(i)?,
            signal: *signal,
            action: *action,
            nocldwait: false,
        },
    })
}

/// Plays deeds on the node; what the proc connector would report: the ends, in order, and
/// the programs started.
fn live(node: &mut World, deeds: &[Deed]) -> Between {
    let mut between = Between {
        execs: Some(Default::default()),
        ..Between::default()
    };
    for deed in deeds {
        let Some(event) = event(node, deed) else {
            continue;
        };
        let exec = match &event {
            Event::Exec { pid, .. } => Some(*pid),
            _ => None,
        };
        if let Ok(outcomes) = node.apply(event) {
            between.execs.as_mut().unwrap().extend(exec);
            between
                .ends
                .extend(outcomes.iter().filter_map(|outcome| match outcome {
                    Outcome::Exited { pid, status } => Some((*pid, *status)),
                    _ => None,
                }));
        }
    }
    between
}

/// A node with its init and one shell.
pub(super) fn node() -> World {
    let mut node = World::new();
    for event in [
        Event::Fork {
            pid: Pid(1),
            new: NsKinds::EMPTY,
        },
        Event::Exec {
            pid: Pid(2),
            comm: "sh".into(),
        },
    ] {
        node.apply(event).unwrap();
    }
    node
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Every batch of what a node does is followed: the follower's model shows the second look,
    /// and the events it found, played from the first look as a trace, give the same model —
    /// with the proc connector's ends, or (`polling`) with /proc alone, where an end whose
    /// process is gone by the next look was not seen; and with the programs started known
    /// (`execs_seen`: the connector's, or polling's reads of each program's memory layout),
    /// or not. Known, a rename is never taken for an execve nor an execve for a rename.
    #[test]
    fn k5_k11_k16_a_followed_node_is_what_proc_shows(
        batches in proptest::collection::vec(proptest::collection::vec(deed(), 0..12), 1..6),
        polling in any::<bool>(),
        execs_seen in any::<bool>(),
    ) {
        let mut node = node();
        let start = node.to_snapshot();
        let mut follower = Follower::new(&start).unwrap();
        let mut events = Vec::new();
        for batch in &batches {
            let mut between = live(&mut node, batch);
            if polling {
                between.ends.clear();
            }
            let execs = between.execs.clone().unwrap_or_default();
            if !execs_seen {
                between.execs = None;
            }
            let look = node.to_snapshot();
            let change = follower.observe(&look, &between)
                .unwrap_or_else(|error| panic!("not followed: {error:?}\nbatch {batch:?}"));
            // Which processes, in which state; not in the children lists' order, which two
            // looks do not show.
            let pids = |s: &pauselab_core::Snapshot| -> Vec<(u32, String)> {
                let mut all: Vec<_> =
                    s.processes.iter().map(|p| (p.nspid[0], format!("{:?}", p.state))).collect();
                all.sort();
                all
            };
            prop_assert_eq!(
                pids(&follower.world().to_snapshot()),
                pids(&look),
                "events {:?}", change.events
            );
            for event in change.events.iter().filter(|_| execs_seen) {
                match event {
                    Event::Exec { pid, .. } => prop_assert!(execs.contains(pid), "{event}"),
                    Event::Renamed { pid, .. } => prop_assert!(!execs.contains(pid), "{event}"),
                    _ => {}
                }
            }
            events.extend(change.events);
        }
        let mut timeline = Timeline::new(World::from_snapshot(&start).unwrap());
        for event in events {
            prop_assert!(timeline.apply(event).is_ok());
        }
        prop_assert_eq!(timeline.world().to_snapshot(), follower.world().to_snapshot());
        // The trace a reader exports opens anywhere: as JSON, and through the page's bytes.
        let trace: Trace = timeline.to_trace(Some("live".into()));
        let json = Document::Trace(trace).to_json();
        let opened = Timeline::open(&json).unwrap();
        let mut back = Timeline::from_wire(&opened.to_wire()).unwrap();
        back.seek(usize::MAX);
        prop_assert_eq!(back.world().to_snapshot(), timeline.world().to_snapshot());
    }
}
