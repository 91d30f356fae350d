//! Following a live node (`core::live`): the model plays as the node, two of its snapshots
//! are the two looks at /proc, and what the follower finds between them must give back the
//! second look exactly — or nothing at all.

use pauselab_core::live::{Between, FollowError, Follower};
use pauselab_core::{
    Disposition, Document, Event, ExitStatus, NsKind, NsKinds, Outcome, Pid, ProcState, Signal,
    Timeline, Trace, WaitTarget, World,
};
use proptest::prelude::*;
use proptest::sample::Index;

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
fn node() -> World {
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

/// A fork seen on a node gets the pids the kernel gave, past the ones threads took.
#[test]
fn k8_a_seen_fork_has_the_kernels_pids_and_namespaces() {
    let mut node = World::new();
    let start = node.to_snapshot();
    let mut follower = Follower::new(&start).unwrap();
    // A pod's first process: new pid, net, ipc, uts namespaces, host pid 4711.
    let mut look = start.clone();
    let mut child = look.processes[0].clone();
    child.nspid = vec![4711, 1];
    child.ppid = Pid(1);
    child.comm = "pause".into();
    let mut ns = child.ns;
    let ids = [4026532300u32, 4026532301, 4026532302, 4026532303];
    for (kind, id) in [NsKind::Pid, NsKind::Net, NsKind::Ipc, NsKind::Uts]
        .into_iter()
        .zip(ids)
    {
        ns = with_ns(ns, kind, id);
    }
    child.ns = ns;
    child.pid_for_children = None;
    look.processes.push(child);
    add_namespaces(&mut look, &ids);
    let change = follower.observe(&look, &Between::default()).unwrap();
    assert!(matches!(
        change.events.as_slice(),
        [Event::ForkSeen { pid: Pid(1), .. }, Event::Exec { .. }]
    ));
    let pause = follower.world().process(Pid(4711)).unwrap();
    assert_eq!(pause.nspid(), [4711, 1]);
    assert_eq!(pause.namespaces().get(NsKind::Net).0, 4026532301);
    assert!(pause.is_init());
    // The model forks the next one after it, as the kernel's cursor would.
    node = follower.world().clone();
    let outcomes = node
        .apply(Event::Fork {
            pid: Pid(1),
            new: NsKinds::EMPTY,
        })
        .unwrap();
    assert!(outcomes.iter().any(|o| matches!(
        o,
        Outcome::Forked {
            child: Pid(4712),
            ..
        }
    )));
}

fn with_ns(ns: pauselab_core::NsSet, kind: NsKind, id: u32) -> pauselab_core::NsSet {
    let mut map: std::collections::BTreeMap<NsKind, pauselab_core::NsId> =
        ns.iter().map(|r| (r.kind, r.id)).collect();
    map.insert(kind, pauselab_core::NsId(id));
    pauselab_core::NsSet::from_map(&map).unwrap()
}

fn add_namespaces(look: &mut pauselab_core::Snapshot, ids: &[u32; 4]) {
    let host_pid_ns = look
        .namespaces
        .iter()
        .find(|n| n.kind == NsKind::Pid)
        .unwrap()
        .id;
    for (kind, id) in [NsKind::Pid, NsKind::Net, NsKind::Ipc, NsKind::Uts]
        .into_iter()
        .zip(ids)
    {
        let mut record = look.namespaces[0].clone();
        record.id = pauselab_core::NsId(*id);
        record.kind = kind;
        record.initial = false;
        record.pins = Vec::new();
        record.last_pid = None;
        record.parent = (kind == NsKind::Pid).then_some(host_pid_ns);
        look.namespaces.push(record);
    }
}

/// What two looks cannot explain is not followed, and changes nothing: a living process with
/// another parent (a pid taken again between the looks), a zombie's unknown status.
#[test]
fn what_two_looks_cannot_tell_is_refused_and_changes_nothing() {
    let node = node();
    let start = node.to_snapshot();
    let mut follower = Follower::new(&start).unwrap();
    let app = node.processes().last().unwrap().host_pid();
    // A living process with another parent (a pid reused between the looks, say).
    let mut look = node.to_snapshot();
    let at = look
        .processes
        .iter()
        .position(|p| p.nspid[0] == app.0)
        .unwrap();
    let mut other = look.processes[at].clone();
    other.nspid = vec![app.0 + 1];
    other.ppid = Pid(1);
    look.processes[at].ppid = Pid(app.0 + 1);
    look.processes.push(other);
    let before = follower.world().to_snapshot();
    let error = follower.observe(&look, &Between::default()).unwrap_err();
    assert!(matches!(error, FollowError::Unexplained { pid, .. } if pid == app));
    assert_eq!(follower.world().to_snapshot(), before);

    // A process gone between looks whose end the connector did not report.
    let mut node = self::node();
    let mut follower = Follower::new(&node.to_snapshot()).unwrap();
    node.apply(Event::Exit { pid: app, code: 3 }).unwrap();
    node.apply(Event::Wait {
        pid: Pid(1),
        target: WaitTarget::Any,
        nohang: true,
    })
    .unwrap();
    // Polling /proc alone, it ended and was collected unseen: no status is made up for it.
    let mut polled = follower.clone();
    let change = polled
        .observe(&node.to_snapshot(), &Between::default())
        .unwrap();
    assert_eq!(change.events, [Event::EndedUnseen { pid: app }]);
    let outcomes = Timeline::new(follower.world().clone())
        .apply(Event::EndedUnseen { pid: app })
        .unwrap();
    assert_eq!(
        outcomes,
        [Outcome::EndedUnseen {
            pid: app,
            parent: Pid(1)
        }]
    );
    // With the connector's report it is an exit and a reaping.
    let change = follower
        .observe(
            &node.to_snapshot(),
            &Between::ends(&[(app, ExitStatus::Exited(3))]),
        )
        .unwrap();
    assert_eq!(
        change.events,
        [
            Event::Exit { pid: app, code: 3 },
            Event::Wait {
                pid: Pid(1),
                target: WaitTarget::Pid(app),
                nohang: true
            }
        ]
    );

    // A seen fork onto a pid that is taken is refused by the model itself.
    let mut world = World::new();
    let before = world.clone();
    let refused = world.apply(Event::ForkSeen {
        pid: Pid(1),
        nspid: vec![1].into(),
        ns: Box::new(*before.process(Pid(1)).unwrap().namespaces()),
    });
    assert!(refused.is_err());
    assert_eq!(world.to_snapshot(), before.to_snapshot());
}

/// A death by a signal is the kernel's report, with no sender: the parent gets its status.
#[test]
fn k12_a_signaled_end_makes_a_zombie_with_that_status() {
    let mut node = node();
    let app = node.processes().last().unwrap().host_pid();
    let outcomes = node
        .apply(Event::Signaled {
            pid: app,
            signal: Signal::SIGKILL,
        })
        .unwrap();
    assert!(outcomes.iter().any(|o| matches!(
        o,
        Outcome::Exited {
            status: ExitStatus::Signaled(Signal::SIGKILL),
            ..
        }
    )));
    assert_eq!(
        node.process(app).unwrap().state(),
        ProcState::Zombie(ExitStatus::Signaled(Signal::SIGKILL))
    );
    // The host's init cannot end, seen or not.
    assert!(node
        .apply(Event::Signaled {
            pid: Pid(1),
            signal: Signal::SIGKILL
        })
        .is_err());
}

/// runc's init unshares before it forks the container's first process: the namespaces a
/// running process made (with the kernel's identities) and joined are followed, the pid
/// namespace where its children go included, and its child is that namespace's init.
#[test]
fn k3_k4_k6_namespaces_a_running_process_made_or_joined_are_followed() {
    let mut node = node();
    let mut follower = Follower::new(&node.to_snapshot()).unwrap();
    let app = node.processes().last().unwrap().host_pid();
    let outcomes = node
        .apply(Event::Unshare {
            pid: app,
            new: NsKinds::of(&[NsKind::Net, NsKind::Pid]),
        })
        .unwrap();
    let before = follower.world().clone();
    let change = follower
        .observe(&node.to_snapshot(), &Between::default())
        .unwrap();
    assert!(
        matches!(&change.events[..], [Event::NamespacesSeen { pid, .. }] if *pid == app),
        "{:?}",
        change.events
    );
    let mut timeline = Timeline::new(before);
    let played = timeline.apply(change.events[0].clone()).unwrap();
    let created = |o: &[Outcome]| {
        o.iter()
            .filter(|o| matches!(o, Outcome::NamespaceCreated { .. }))
            .count()
    };
    assert_eq!(created(&played), created(&outcomes), "{played:?}");
    // As the node is (the model's own count of identities aside: the kernel's are used).
    let same = |a: pauselab_core::Snapshot, b: pauselab_core::Snapshot| {
        assert_eq!((a.namespaces, a.processes), (b.namespaces, b.processes));
    };
    same(follower.world().to_snapshot(), node.to_snapshot());
    // Its child is the new pid namespace's init; another process joins its network.
    node.apply(Event::Fork {
        pid: app,
        new: NsKinds::EMPTY,
    })
    .unwrap();
    let net = node.process(app).unwrap().namespaces().get(NsKind::Net);
    node.apply(Event::Setns {
        pid: Pid(1),
        ns: net,
    })
    .unwrap();
    follower
        .observe(&node.to_snapshot(), &Between::default())
        .unwrap();
    same(follower.world().to_snapshot(), node.to_snapshot());
    let init = follower
        .world()
        .processes()
        .into_iter()
        .find(|p| p.parent() == app)
        .unwrap();
    assert!(init.is_init() && init.nspid().last() == Some(&1));
}

/// runc's init names itself before it runs the container's program: seen with the connector's
/// reports of execs, that is a rename, which keeps the handlers an execve would reset; the
/// program it runs next is an execve even under the name it already had. Without them a new
/// name is taken for a new program, as before.
#[test]
fn a_rename_is_not_taken_for_an_execve_when_the_execs_are_known() {
    let mut node = node();
    let shell = node.processes().last().unwrap().host_pid();
    node.apply(Event::Sigaction {
        pid: shell,
        signal: Signal::SIGTERM,
        action: Disposition::Handler,
        nocldwait: false,
    })
    .unwrap();
    let mut follower = Follower::new(&node.to_snapshot()).unwrap();
    let shell_fork = |node: &mut World| {
        node.apply(Event::Fork {
            pid: shell,
            new: NsKinds::EMPTY,
        })
        .unwrap()
        .iter()
        .find_map(|o| match o {
            Outcome::Forked { child, .. } => Some(*child),
            _ => None,
        })
        .unwrap()
    };
    let init = shell_fork(&mut node);
    node.apply(Event::Renamed {
        pid: init,
        comm: "runc:[2:INIT]".into(),
    })
    .unwrap();
    let known = Between {
        execs: Some(Default::default()),
        ..Between::default()
    };
    let mut blind = follower.clone();
    let change = follower.observe(&node.to_snapshot(), &known).unwrap();
    // The handler it inherited stays: nothing else to play.
    assert!(
        matches!(
            &change.events[..],
            [Event::ForkSeen { .. }, Event::Renamed { pid, comm }]
                if *pid == init && comm == "runc:[2:INIT]"
        ),
        "{:?}",
        change.events
    );
    assert!(follower
        .world()
        .process(init)
        .unwrap()
        .handled()
        .contains(Signal::SIGTERM));
    // Not knowing the execs, the name is a program's, and the handler that execve would have
    // reset is set again to match /proc.
    let change = blind
        .observe(&node.to_snapshot(), &Between::default())
        .unwrap();
    assert!(
        matches!(
            &change.events[..],
            [Event::ForkSeen { .. }, Event::Exec { pid, .. }, Event::Sigaction { signal: Signal::SIGTERM, .. }]
                if *pid == init
        ),
        "{:?}",
        change.events
    );
    assert_eq!(blind.world().to_snapshot(), follower.world().to_snapshot());

    // The container's program, then a shell that runs a shell: execves both, the second under
    // the name it had.
    node.apply(Event::Exec {
        pid: init,
        comm: "sh".into(),
    })
    .unwrap();
    node.apply(Event::Exec {
        pid: shell,
        comm: "sh".into(),
    })
    .unwrap();
    let execs = Between {
        execs: Some([init, shell].into_iter().collect()),
        ..Between::default()
    };
    let change = follower.observe(&node.to_snapshot(), &execs).unwrap();
    let execed: Vec<Pid> = change
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Exec { pid, .. } => Some(*pid),
            _ => None,
        })
        .collect();
    assert_eq!(execed.len(), 2, "{:?}", change.events);
    assert!(execed.contains(&init) && execed.contains(&shell));
    assert!(!follower
        .world()
        .process(shell)
        .unwrap()
        .handled()
        .contains(Signal::SIGTERM));
    assert_eq!(follower.world().to_snapshot(), node.to_snapshot());
}

/// A process whose parent is outside the reader's pid namespace (/proc shows 0: one entered
/// from outside, as an exec into a container is, or orphaned to something outside): first
/// seen between two looks, it appears; once its zombie is gone, that parent collected it; the
/// record goes on, and replays as a trace.
#[test]
fn k16_a_process_whose_parent_is_outside_the_view_appears_and_is_collected_there() {
    let node = node();
    let start = node.to_snapshot();
    let mut follower = Follower::new(&start).unwrap();
    let mut look = start.clone();
    let mut outsider = look.processes[1].clone();
    outsider.nspid = vec![4242];
    outsider.ppid = Pid(0);
    outsider.comm = "containerd-shim".into();
    look.processes.push(outsider);
    let mut events = follower.observe(&look, &Between::default()).unwrap().events;
    assert!(
        matches!(&events[..], [Event::AppearedSeen { .. }]),
        "{events:?}"
    );
    assert_eq!(
        follower.world().process(Pid(4242)).unwrap().parent(),
        Pid(0)
    );
    // It ends, a zombie for its parent outside; then that parent collects it.
    let mut ended = look.clone();
    ended.processes.last_mut().unwrap().state = ProcState::Zombie(ExitStatus::Exited(0));
    events.extend(
        follower
            .observe(&ended, &Between::default())
            .unwrap()
            .events,
    );
    let change = follower.observe(&start, &Between::default()).unwrap();
    assert_eq!(change.events, [Event::CollectedOutside { pid: Pid(4242) }]);
    events.extend(change.events);
    let mut timeline = Timeline::new(World::from_snapshot(&start).unwrap());
    for event in events {
        let outcomes = timeline.apply(event).unwrap();
        assert!(!outcomes.is_empty());
    }
    assert_eq!(
        timeline.world().to_snapshot().processes,
        follower.world().to_snapshot().processes
    );
}
