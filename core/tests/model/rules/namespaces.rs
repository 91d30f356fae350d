//! K1–K7: namespaces, their identities and lifetimes, pid namespaces and their levels.

use pauselab_core::{
    Errno, Event, ModelError, NsKind, NsRef, Outcome, Pid, Rule, World, MAX_NS_LEVEL,
};

use crate::support::*;

#[test]
fn k1_processes_share_a_namespace_exactly_when_identities_are_equal() {
    let mut world = World::new();
    let a = fork(&mut world, 1);
    let b = fork_with(&mut world, 1, &[NsKind::Net]);
    for kind in NsKind::ALL {
        assert_eq!(
            ns(&world, a, kind),
            ns(&world, 1, kind),
            "{kind} is shared by a plain fork"
        );
        assert_eq!(
            ns(&world, b, kind) == ns(&world, 1, kind),
            kind != NsKind::Net,
            "{kind}"
        );
    }
    let shown = NsRef {
        kind: NsKind::Net,
        id: ns(&world, 1, NsKind::Net),
    }
    .to_string();
    assert_eq!(shown, "net:[4026531840]");
}

#[test]
fn k2_each_kind_is_isolated_on_its_own() {
    // Unsharing net leaves ipc and uts shared: every kind is a separate namespace.
    let mut world = World::new();
    let p = fork(&mut world, 1);
    let outcomes = ok(
        &mut world,
        Event::Unshare {
            pid: Pid(p),
            new: pauselab_core::NsKinds::of(&[NsKind::Net]),
        },
    );
    assert_ne!(ns(&world, p, NsKind::Net), ns(&world, 1, NsKind::Net));
    assert_eq!(ns(&world, p, NsKind::Ipc), ns(&world, 1, NsKind::Ipc));
    assert_eq!(ns(&world, p, NsKind::Uts), ns(&world, 1, NsKind::Uts));
    let created: Vec<_> = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::NamespaceCreated { .. }))
        .collect();
    assert_eq!(created.len(), 1);
}

#[test]
fn k3_unshare_and_setns_move_the_caller_for_net_ipc_uts() {
    let mut world = World::new();
    let donor = fork_with(&mut world, 1, &[NsKind::Net, NsKind::Ipc, NsKind::Uts]);
    let joiner = fork(&mut world, 1);
    for kind in [NsKind::Net, NsKind::Ipc, NsKind::Uts] {
        let target = ns(&world, donor, kind);
        let outcomes = ok(
            &mut world,
            Event::Setns {
                pid: Pid(joiner),
                ns: target,
            },
        );
        assert!(has(
            &outcomes,
            |o| matches!(o, Outcome::Joined { kind: k, .. } if *k == kind)
        ));
        assert_eq!(
            ns(&world, joiner, kind),
            ns(&world, donor, kind),
            "setns moved the caller into {kind}"
        );
    }
    let before = ns(&world, joiner, NsKind::Uts);
    ok(
        &mut world,
        Event::Unshare {
            pid: Pid(joiner),
            new: pauselab_core::NsKinds::of(&[NsKind::Uts]),
        },
    );
    assert_ne!(
        ns(&world, joiner, NsKind::Uts),
        before,
        "unshare moved the caller"
    );
}

#[test]
fn k4_unshare_pid_moves_only_future_children() {
    let mut world = World::new();
    let p = fork(&mut world, 1);
    let outcomes = ok(
        &mut world,
        Event::Unshare {
            pid: Pid(p),
            new: pauselab_core::NsKinds::of(&[NsKind::Pid]),
        },
    );
    assert!(has(&outcomes, |o| matches!(
        o,
        Outcome::ForChildren {
            kind: NsKind::Pid,
            ..
        }
    )));
    let process = world.process(Pid(p)).unwrap();
    assert_eq!(
        process.namespaces().get(NsKind::Pid),
        world.root_pid_ns(),
        "the caller did not move"
    );
    assert_eq!(process.own_pid(), Pid(p));
    let target = process.pid_for_children();
    let child = fork(&mut world, p);
    assert_eq!(ns(&world, child, NsKind::Pid), target);
    assert_eq!(world.process(Pid(child)).unwrap().own_pid(), Pid(1));
}

#[test]
fn k4_a_second_unshare_pid_before_forking_is_refused() {
    let mut world = World::new();
    let p = fork(&mut world, 1);
    let new_pid = pauselab_core::NsKinds::of(&[NsKind::Pid]);
    ok(
        &mut world,
        Event::Unshare {
            pid: Pid(p),
            new: new_pid,
        },
    );
    let error = refused(
        &mut world,
        Event::Unshare {
            pid: Pid(p),
            new: new_pid,
        },
    );
    assert_eq!(
        error,
        ModelError::PidNamespaceAlreadyUnshared { pid: Pid(p) }
    );
    assert_eq!(error.errno(), Some(Errno::EINVAL));
}

#[test]
fn k4_setns_to_a_pid_namespace_outside_ones_own_subtree_is_refused() {
    let mut world = World::new();
    let a = fork_with(&mut world, 1, &[NsKind::Pid]);
    let b = fork_with(&mut world, 1, &[NsKind::Pid]);
    // From inside a, b's namespace is a sibling, and the host's is an ancestor.
    for target in [ns(&world, b, NsKind::Pid), world.root_pid_ns()] {
        let error = refused(
            &mut world,
            Event::Setns {
                pid: Pid(a),
                ns: target,
            },
        );
        assert!(matches!(
            error,
            ModelError::PidNamespaceNotDescendant { .. }
        ));
        assert_eq!(error.rule(), Some(Rule::K4));
    }
    // From the host, a descendant is fine, and only future children go there.
    let target = ns(&world, a, NsKind::Pid);
    let outcomes = ok(
        &mut world,
        Event::Setns {
            pid: Pid(1),
            ns: target,
        },
    );
    assert!(has(&outcomes, |o| matches!(o, Outcome::ForChildren { .. })));
    assert_eq!(ns(&world, 1, NsKind::Pid), world.root_pid_ns());
}

#[test]
fn k5_a_net_namespace_dies_with_its_last_member_even_while_it_is_a_zombie() {
    let mut world = World::new();
    let p = fork_with(&mut world, 1, &[NsKind::Net]);
    let net = ns(&world, p, NsKind::Net);
    let outcomes = exit(&mut world, p, 0);
    assert!(is_zombie(&world, p));
    assert!(has(&outcomes, |o| *o
        == Outcome::NamespaceDestroyed {
            kind: NsKind::Net,
            ns: net
        }));
    assert!(!alive(&world, net));
}

#[test]
fn k5_a_pinned_namespace_outlives_its_members_until_unpinned() {
    let mut world = World::new();
    let p = fork_with(&mut world, 1, &[NsKind::Net]);
    let net = ns(&world, p, NsKind::Net);
    ok(
        &mut world,
        Event::Pin {
            ns: net,
            holder: "/var/run/netns/cni-1".into(),
        },
    );
    exit(&mut world, p, 0);
    assert!(alive(&world, net), "the bind mount keeps it");
    let row = world.lsns().into_iter().find(|row| row.ns == net).unwrap();
    assert_eq!(
        (row.nprocs, row.pins.as_slice()),
        (0, ["/var/run/netns/cni-1".to_owned()].as_slice())
    );
    let outcomes = ok(
        &mut world,
        Event::Unpin {
            ns: net,
            holder: "/var/run/netns/cni-1".into(),
        },
    );
    assert!(has(&outcomes, |o| matches!(
        o,
        Outcome::NamespaceDestroyed { .. }
    )));
    let error = refused(
        &mut world,
        Event::Pin {
            ns: net,
            holder: "again".into(),
        },
    );
    assert_eq!(error, ModelError::NoSuchNamespace { ns: net });
}

#[test]
fn k5_pid_for_children_and_child_namespaces_keep_a_pid_namespace_alive() {
    let mut world = World::new();
    let p = fork(&mut world, 1);
    ok(
        &mut world,
        Event::Unshare {
            pid: Pid(p),
            new: pauselab_core::NsKinds::of(&[NsKind::Pid]),
        },
    );
    let outer = world.process(Pid(p)).unwrap().pid_for_children();
    let init = fork(&mut world, p);
    let inner_init = fork_with(&mut world, init, &[NsKind::Pid]);
    let inner = ns(&world, inner_init, NsKind::Pid);
    assert_eq!(world.ns_parent(inner), Some(outer));
    // p's pid_for_children still points at `outer`; the nested namespace is its child.
    assert!(alive(&world, outer));
    exit(&mut world, p, 0); // drops pid_for_children; init and its child still hold it
    assert!(alive(&world, outer));
}

#[test]
fn k6_the_first_process_of_a_new_pid_namespace_is_its_init() {
    let mut world = World::new();
    let outcomes = ok(
        &mut world,
        Event::Fork {
            pid: Pid(1),
            new: pauselab_core::NsKinds::of(&[NsKind::Pid]),
        },
    );
    let ns_id = ns(&world, 2, NsKind::Pid);
    assert!(outcomes.contains(&Outcome::BecameInit {
        pid: Pid(2),
        ns: ns_id
    }));
    assert_eq!(world.init_of(ns_id), Some(Pid(2)));
    assert!(world.process(Pid(2)).unwrap().is_init());
}

#[test]
fn k7_one_pid_per_level() {
    let mut world = World::new();
    let runtime = fork(&mut world, 1); // 2
    let outer = fork_with(&mut world, runtime, &[NsKind::Pid]); // 3, pid 1 inside
    let inner = fork_with(&mut world, outer, &[NsKind::Pid]); // 4, pid 2 in outer, 1 in inner
    let leaf = fork(&mut world, inner); // 5, 3, 2
    assert_eq!(world.process(Pid(leaf)).unwrap().nspid(), [5, 3, 2]);
    assert_eq!(world.process(Pid(leaf)).unwrap().own_pid(), Pid(2));
    let outer_ns = ns(&world, outer, NsKind::Pid);
    assert_eq!(world.pid_in(outer_ns, Pid(leaf)), Some(Pid(3)));
    assert_eq!(world.resolve(outer_ns, Pid(3)), Some(Pid(leaf)));
}

#[test]
fn k7_pid_namespaces_nest_at_most_32_deep() {
    let mut world = World::new();
    let mut pid = 1;
    for _ in 0..MAX_NS_LEVEL {
        pid = fork_with(&mut world, pid, &[NsKind::Pid]);
    }
    assert_eq!(world.process(Pid(pid)).unwrap().level(), 32);
    let error = refused(
        &mut world,
        Event::Fork {
            pid: Pid(pid),
            new: pauselab_core::NsKinds::of(&[NsKind::Pid]),
        },
    );
    assert_eq!(error, ModelError::TooDeep { kind: NsKind::Pid });
}
