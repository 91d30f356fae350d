//! Single looks the follower is given: what it finds, and what it refuses.

use super::node;
use pauselab_core::live::{Between, FollowError, Follower};
use pauselab_core::{
    Disposition, Event, ExitStatus, NsKind, NsKinds, Outcome, Pid, ProcState, Signal, Timeline,
    WaitTarget, World,
};

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
        container: None,
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
