//! One test (or a few) per rule of SPEC.md, named after it.

use pauselab_core::{
    Disposition, Errno, Event, ExitStatus, ModelError, NsKind, NsRef, Outcome, Pid, ProcState,
    Rule, Signal, SignalEffect, WaitTarget, World, MAX_NS_LEVEL,
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

#[test]
fn k8_pids_are_sequential_in_a_fresh_namespace_and_zombies_hold_theirs() {
    let mut world = World::new();
    let init = fork_with(&mut world, 1, &[NsKind::Pid]);
    let a = fork(&mut world, init);
    let b = fork(&mut world, init);
    let own = |w: &World, p: u32| w.process(Pid(p)).unwrap().own_pid().0;
    assert_eq!(
        (own(&world, init), own(&world, a), own(&world, b)),
        (1, 2, 3)
    );
    exit(&mut world, a, 0); // a zombie still holds pid 2
    let c = fork(&mut world, init);
    assert_eq!(own(&world, c), 4, "the cursor only moves forward");
}

#[test]
fn k8_pids_wrap_at_pid_max_to_above_the_reserved_range() {
    let mut world = World::with_pid_max(400);
    let parent = fork(&mut world, 1); // 2
                                      // Use up 3..=399, reaping as we go so that pids are free again.
    let mut last = 0;
    for _ in 3..400 {
        last = fork(&mut world, parent);
        exit(&mut world, last, 0);
        wait(&mut world, parent, WaitTarget::Any, true).unwrap();
    }
    assert_eq!(last, 399);
    assert_eq!(
        fork(&mut world, parent),
        300,
        "after the wrap, pids start again at RESERVED_PIDS"
    );
}

#[test]
fn k9_a_process_sees_only_its_own_namespace_and_below() {
    let mut world = World::new();
    let init = fork_with(&mut world, 1, &[NsKind::Pid]); // host 2, pid 1 inside
    let inside = fork(&mut world, init); // host 3, pid 2 inside
    let inner_ns = ns(&world, init, NsKind::Pid);
    let visible: Vec<u32> = world
        .ps(inner_ns)
        .unwrap()
        .iter()
        .map(|row| row.pid.0)
        .collect();
    assert_eq!(visible, [1, 2]);
    assert_eq!(
        world.ps(world.root_pid_ns()).unwrap().len(),
        3,
        "the host sees everything"
    );
    // Pid 3 does not exist inside; `kill 3` there fails with ESRCH.
    let error = refused(
        &mut world,
        Event::Kill {
            pid: Pid(inside),
            target: Pid(3),
            signal: Signal::SIGTERM,
        },
    );
    assert_eq!(error.errno(), Some(Errno::ESRCH));
    assert_eq!(error.rule(), Some(Rule::K9));
}

#[test]
fn k10_getppid_is_zero_for_a_parent_outside_the_namespace() {
    let mut world = World::new();
    let shim = spawn(&mut world, 1, "shim"); // 2
    let pause = fork_with(&mut world, shim, &[NsKind::Pid]); // 3
    let pod_ns = ns(&world, pause, NsKind::Pid);
    // The app container's first process: the shim enters the pod's pid namespace and forks.
    ok(
        &mut world,
        Event::Setns {
            pid: Pid(shim),
            ns: pod_ns,
        },
    );
    let app = fork(&mut world, shim); // 4, pid 2 inside
    let app_child = fork(&mut world, app); // 5, pid 3 inside
    let rows = world.ps(pod_ns).unwrap();
    let ppid = |pid: u32| rows.iter().find(|r| r.host_pid == Pid(pid)).unwrap().ppid.0;
    assert_eq!(ppid(pause), 0, "init's parent is outside");
    assert_eq!(ppid(app), 0, "the app is pause's sibling, not its child");
    assert_eq!(ppid(app_child), 2);
    assert_eq!(parent(&world, app), shim);
}

#[test]
fn k11_a_zombie_keeps_its_pid_and_status_until_waited_for() {
    let mut world = World::new();
    let parent_pid = fork(&mut world, 1);
    let child = fork(&mut world, parent_pid);
    let outcomes = exit(&mut world, child, 3);
    assert!(outcomes.contains(&Outcome::BecameZombie {
        pid: Pid(child),
        parent: Pid(parent_pid),
        status: ExitStatus::Exited(3)
    }));
    assert_eq!(state(&world, child), Some(exited(3)));
    assert_eq!(world.zombies(), [Pid(child)]);
    assert_eq!(
        world.resolve(world.root_pid_ns(), Pid(child)),
        Some(Pid(child)),
        "the pid is still taken"
    );
    let outcomes = wait(&mut world, parent_pid, WaitTarget::Any, false).unwrap();
    assert!(has(&outcomes, |o| matches!(
        o,
        Outcome::Reaped {
            status: ExitStatus::Exited(3),
            ..
        }
    )));
    assert!(world.zombies().is_empty());
}

#[test]
fn k11_a_killed_process_reports_128_plus_the_signal() {
    let mut world = World::new();
    let parent_pid = fork(&mut world, 1);
    let child = fork(&mut world, parent_pid);
    kill(&mut world, parent_pid, child, Signal::SIGKILL);
    let Some(ProcState::Zombie(status)) = state(&world, child) else {
        panic!("not a zombie")
    };
    assert_eq!(status, ExitStatus::Signaled(Signal::SIGKILL));
    assert_eq!(status.shell_code(), 137);
}

#[test]
fn k12_children_are_reparented_at_exit_and_the_parent_gets_sigchld() {
    let mut world = World::new();
    let grandparent = fork(&mut world, 1); // 2
    let middle = fork(&mut world, grandparent); // 3
    let child = fork(&mut world, middle); // 4
    let outcomes = exit(&mut world, middle, 0);
    // Reparented while `middle` is itself a zombie, not when it is reaped.
    assert!(is_zombie(&world, middle));
    assert_eq!(parent(&world, child), 1);
    assert!(outcomes.contains(&Outcome::Reparented {
        child: Pid(child),
        from: Pid(middle),
        to: Pid(1),
        to_subreaper: false
    }));
    assert!(outcomes.contains(&Outcome::SigchldSent {
        parent: Pid(grandparent),
        child: Pid(middle)
    }));
    let reparented = outcomes
        .iter()
        .position(|o| matches!(o, Outcome::Reparented { .. }))
        .unwrap();
    let zombie = outcomes
        .iter()
        .position(|o| matches!(o, Outcome::BecameZombie { .. }))
        .unwrap();
    assert!(
        reparented < zombie,
        "children are handed over before the parent is notified"
    );
}

#[test]
fn k13_orphans_go_to_the_nearest_living_subreaper() {
    let mut world = World::new();
    let far = fork(&mut world, 1); // 2
    ok(
        &mut world,
        Event::SetSubreaper {
            pid: Pid(far),
            on: true,
        },
    );
    let near = fork(&mut world, far); // 3
    ok(
        &mut world,
        Event::SetSubreaper {
            pid: Pid(near),
            on: true,
        },
    );
    let plain = fork(&mut world, near); // 4
    let dying = fork(&mut world, plain); // 5
    let orphan = fork(&mut world, dying); // 6
    let outcomes = exit(&mut world, dying, 0);
    assert_eq!(parent(&world, orphan), near);
    assert!(outcomes.contains(&Outcome::Reparented {
        child: Pid(orphan),
        from: Pid(dying),
        to: Pid(near),
        to_subreaper: true
    }));
    // Once `near` clears its flag, the next orphan skips to `far`.
    ok(
        &mut world,
        Event::SetSubreaper {
            pid: Pid(near),
            on: false,
        },
    );
    let dying = fork(&mut world, plain);
    let orphan = fork(&mut world, dying);
    exit(&mut world, dying, 0);
    assert_eq!(parent(&world, orphan), far);
}

#[test]
fn k13_the_subreaper_flag_is_not_inherited_but_survives_exec() {
    let mut world = World::new();
    let tini = fork(&mut world, 1);
    ok(
        &mut world,
        Event::SetSubreaper {
            pid: Pid(tini),
            on: true,
        },
    );
    let child = fork(&mut world, tini);
    assert!(!world.process(Pid(child)).unwrap().is_subreaper());
    ok(
        &mut world,
        Event::Exec {
            pid: Pid(tini),
            comm: "app".into(),
        },
    );
    assert!(world.process(Pid(tini)).unwrap().is_subreaper());
}

#[test]
fn k13_a_subreaper_outside_the_pid_namespace_does_not_adopt() {
    let mut world = World::new();
    let shim = fork(&mut world, 1); // 2
    ok(
        &mut world,
        Event::SetSubreaper {
            pid: Pid(shim),
            on: true,
        },
    );
    let init = fork_with(&mut world, shim, &[NsKind::Pid]); // 3
    let dying = fork(&mut world, init); // 4
    let orphan = fork(&mut world, dying); // 5
    exit(&mut world, dying, 0);
    assert_eq!(
        parent(&world, orphan),
        init,
        "the namespace's init, not the shim outside it"
    );
}

#[test]
fn k14_an_adopted_zombie_is_released_at_once_by_a_parent_that_ignores_sigchld() {
    let mut world = World::new();
    let reaper = fork(&mut world, 1); // 2
    ok(
        &mut world,
        Event::SetSubreaper {
            pid: Pid(reaper),
            on: true,
        },
    );
    sigaction(&mut world, reaper, Signal::SIGCHLD, Disposition::Ignore);
    let middle = fork(&mut world, reaper); // 3 (inherits SIG_IGN, so reset it)
    sigaction(&mut world, middle, Signal::SIGCHLD, Disposition::Default);
    let zombie = fork(&mut world, middle); // 4
    exit(&mut world, zombie, 9);
    assert!(is_zombie(&world, zombie));
    let outcomes = exit(&mut world, middle, 0);
    assert!(outcomes.contains(&Outcome::AutoReaped {
        pid: Pid(zombie),
        parent: Pid(reaper),
        rule: Rule::K14
    }));
    assert_eq!(state(&world, zombie), None);
}

#[test]
fn k14_an_adopted_zombie_notifies_a_parent_that_does_not_ignore_sigchld() {
    let mut world = World::new();
    let middle = fork(&mut world, 1); // 2
    let zombie = fork(&mut world, middle); // 3
    exit(&mut world, zombie, 0);
    let outcomes = exit(&mut world, middle, 0);
    assert!(outcomes.contains(&Outcome::SigchldSent {
        parent: Pid(1),
        child: Pid(zombie)
    }));
    assert!(
        is_zombie(&world, zombie),
        "still a zombie, now init's to reap"
    );
    assert_eq!(parent(&world, zombie), 1);
}

#[test]
fn k15_sig_ign_and_sa_nocldwait_prevent_zombies_but_sig_dfl_does_not() {
    for (action, nocldwait, zombie_expected) in [
        (Disposition::Default, false, true),
        (Disposition::Ignore, false, false),
        (Disposition::Handler, true, false),
        (Disposition::Default, true, false),
        (Disposition::Handler, false, true),
    ] {
        let mut world = World::new();
        let parent_pid = fork(&mut world, 1);
        ok(
            &mut world,
            Event::Sigaction {
                pid: Pid(parent_pid),
                signal: Signal::SIGCHLD,
                action,
                nocldwait,
            },
        );
        let child = fork(&mut world, parent_pid);
        let outcomes = exit(&mut world, child, 0);
        assert_eq!(
            is_zombie(&world, child),
            zombie_expected,
            "{action:?} nocldwait={nocldwait}"
        );
        if !zombie_expected {
            assert!(outcomes.contains(&Outcome::AutoReaped {
                pid: Pid(child),
                parent: Pid(parent_pid),
                rule: Rule::K15
            }));
        }
    }
}

#[test]
fn k15_a_blocked_wait_ends_with_echild_when_the_last_child_is_auto_reaped() {
    let mut world = World::new();
    let parent_pid = fork(&mut world, 1);
    sigaction(&mut world, parent_pid, Signal::SIGCHLD, Disposition::Ignore);
    let a = fork(&mut world, parent_pid);
    let b = fork(&mut world, parent_pid);
    let outcomes = wait(&mut world, parent_pid, WaitTarget::Any, false).unwrap();
    assert_eq!(
        outcomes,
        [Outcome::WaitBlocked {
            pid: Pid(parent_pid)
        }]
    );
    let outcomes = exit(&mut world, a, 0);
    assert!(
        !has(&outcomes, |o| matches!(o, Outcome::WaitEchild { .. })),
        "b is still there"
    );
    assert_eq!(
        world.process(Pid(parent_pid)).unwrap().waiting(),
        Some(WaitTarget::Any)
    );
    let outcomes = exit(&mut world, b, 0);
    assert!(outcomes.contains(&Outcome::WaitEchild {
        pid: Pid(parent_pid)
    }));
    assert_eq!(world.process(Pid(parent_pid)).unwrap().waiting(), None);
}

#[test]
fn k16_wait_any_takes_the_first_zombie_in_children_list_order() {
    let mut world = World::new();
    let parent_pid = fork(&mut world, 1); // 2
    let a = fork(&mut world, parent_pid); // 3
    let b = fork(&mut world, parent_pid); // 4
    exit(&mut world, b, 2);
    exit(&mut world, a, 1);
    let outcomes = wait(&mut world, parent_pid, WaitTarget::Any, false).unwrap();
    assert!(
        has(
            &outcomes,
            |o| matches!(o, Outcome::Reaped { pid, .. } if pid.0 == a)
        ),
        "a was forked first"
    );
}

#[test]
fn k16_waitpid_nohang_and_echild() {
    let mut world = World::new();
    let parent_pid = fork(&mut world, 1); // 2
    let a = fork(&mut world, parent_pid); // 3
    let b = fork(&mut world, parent_pid); // 4
    let stranger = fork(&mut world, 1); // 5
    exit(&mut world, b, 0);
    assert_eq!(
        wait(&mut world, parent_pid, WaitTarget::Pid(Pid(a)), true).unwrap(),
        [Outcome::WaitNoZombie {
            pid: Pid(parent_pid)
        }]
    );
    let outcomes = wait(&mut world, parent_pid, WaitTarget::Pid(Pid(b)), true).unwrap();
    assert!(has(
        &outcomes,
        |o| matches!(o, Outcome::Reaped { pid, .. } if pid.0 == b)
    ));
    let error = refused(
        &mut world,
        Event::Wait {
            pid: Pid(parent_pid),
            target: WaitTarget::Pid(Pid(stranger)),
            nohang: false,
        },
    );
    assert_eq!(
        error,
        ModelError::NotAChild {
            pid: Pid(parent_pid),
            target: Pid(stranger)
        }
    );
    let error = refused(
        &mut world,
        Event::Wait {
            pid: Pid(stranger),
            target: WaitTarget::Any,
            nohang: true,
        },
    );
    assert_eq!(error, ModelError::NoChildren { pid: Pid(stranger) });
    assert_eq!(error.errno(), Some(Errno::ECHILD));
}

#[test]
fn k16_a_blocked_wait_collects_the_child_when_it_exits() {
    let mut world = World::new();
    let parent_pid = fork(&mut world, 1);
    let child = fork(&mut world, parent_pid);
    wait(&mut world, parent_pid, WaitTarget::Any, false).unwrap();
    let error = refused(
        &mut world,
        Event::Fork {
            pid: Pid(parent_pid),
            new: Default::default(),
        },
    );
    assert_eq!(
        error,
        ModelError::Blocked {
            pid: Pid(parent_pid)
        }
    );
    let outcomes = exit(&mut world, child, 4);
    assert!(has(
        &outcomes,
        |o| matches!(o, Outcome::Reaped { by, status: ExitStatus::Exited(4), .. } if by.0 == parent_pid)
    ));
    assert_eq!(state(&world, child), None);
}

#[test]
fn k16_wait_returns_the_pid_as_the_waiter_sees_it() {
    let mut world = World::new();
    let init = fork_with(&mut world, 1, &[NsKind::Pid]); // host 2, pid 1
    let child = fork(&mut world, init); // host 3, pid 2
    exit(&mut world, child, 0);
    let outcomes = wait(&mut world, init, WaitTarget::Pid(Pid(2)), false).unwrap();
    assert!(has(&outcomes, |o| matches!(
        o,
        Outcome::Reaped {
            pid: Pid(3),
            seen_as: Pid(2),
            ..
        }
    )));
}

/// A container: a runtime on the host, an init in a new pid namespace, and a shell inside.
fn container(world: &mut World) -> (u32, u32, u32) {
    let runtime = spawn(world, 1, "runtime"); // 2
    let init = fork_with(world, runtime, &[NsKind::Pid]); // 3, pid 1 inside
    ok(
        world,
        Event::Exec {
            pid: Pid(init),
            comm: "app".into(),
        },
    );
    let shell = spawn(world, init, "sh"); // 4, pid 2 inside
    (runtime, init, shell)
}

#[test]
fn k17_kill_9_1_inside_the_container_is_dropped() {
    let mut world = World::new();
    let (_, init, shell) = container(&mut world);
    for signal in [
        Signal::SIGKILL,
        Signal::SIGTERM,
        Signal::SIGHUP,
        Signal::SIGSTOP,
    ] {
        let outcomes = kill(&mut world, shell, 1, signal);
        assert_eq!(
            outcomes,
            [Outcome::SignalDropped {
                from: Pid(shell),
                to: Pid(init),
                signal
            }]
        );
        assert_eq!(outcomes[0].rule(), Some(Rule::K17));
    }
    assert_eq!(state(&world, init), Some(ProcState::Running));
}

#[test]
fn k17_sigkill_from_the_host_is_delivered() {
    let mut world = World::new();
    let (runtime, init, _) = container(&mut world);
    let outcomes = kill(&mut world, runtime, init, Signal::SIGKILL);
    assert!(outcomes.contains(&Outcome::SignalDelivered {
        from: Pid(runtime),
        to: Pid(init),
        signal: Signal::SIGKILL,
        effect: SignalEffect::Killed
    }));
    assert!(is_zombie(&world, init));
}

#[test]
fn k17_sigterm_from_the_host_is_dropped_too_without_a_handler() {
    // Only SIGKILL and SIGSTOP are forced from an ancestor; `docker stop` needs its SIGKILL.
    let mut world = World::new();
    let (runtime, init, _) = container(&mut world);
    let outcomes = kill(&mut world, runtime, init, Signal::SIGTERM);
    assert!(matches!(outcomes[..], [Outcome::SignalDropped { .. }]));
    let outcomes = kill(&mut world, runtime, init, Signal::SIGSTOP);
    assert!(has(&outcomes, |o| matches!(
        o,
        Outcome::SignalDelivered {
            effect: SignalEffect::Stopped,
            ..
        }
    )));
    assert_eq!(state(&world, init), Some(ProcState::Stopped));
    let outcomes = kill(&mut world, runtime, init, Signal::SIGCONT);
    assert!(has(&outcomes, |o| matches!(
        o,
        Outcome::SignalDelivered {
            effect: SignalEffect::Continued,
            ..
        }
    )));
    assert_eq!(state(&world, init), Some(ProcState::Running));
}

#[test]
fn k17_an_init_with_a_handler_gets_the_signal() {
    let mut world = World::new();
    let (_, init, shell) = container(&mut world);
    sigaction(&mut world, init, Signal::SIGTERM, Disposition::Handler);
    let outcomes = kill(&mut world, shell, 1, Signal::SIGTERM);
    assert_eq!(
        outcomes,
        [Outcome::SignalDelivered {
            from: Pid(shell),
            to: Pid(init),
            signal: Signal::SIGTERM,
            effect: SignalEffect::Caught
        }]
    );
}

#[test]
fn k17_the_host_init_cannot_be_killed_from_the_host_either() {
    let mut world = World::new();
    let shell = fork(&mut world, 1);
    let outcomes = kill(&mut world, shell, 1, Signal::SIGKILL);
    assert!(matches!(outcomes[..], [Outcome::SignalDropped { .. }]));
}

#[test]
fn k18_a_fault_kills_even_an_init() {
    let mut world = World::new();
    let (_, init, shell) = container(&mut world);
    let outcomes = ok(
        &mut world,
        Event::Fault {
            pid: Pid(init),
            signal: Signal::SIGSEGV,
        },
    );
    assert!(has(&outcomes, |o| matches!(
        o,
        Outcome::Exited {
            status: ExitStatus::Signaled(Signal::SIGSEGV),
            ..
        }
    )));
    assert_eq!(
        state(&world, shell),
        None,
        "and its namespace dies with it (K19)"
    );
}

#[test]
fn k18_a_fault_with_a_handler_is_caught_and_an_ignored_fault_still_kills() {
    let mut world = World::new();
    let p = fork(&mut world, 1);
    sigaction(&mut world, p, Signal::SIGSEGV, Disposition::Handler);
    let outcomes = ok(
        &mut world,
        Event::Fault {
            pid: Pid(p),
            signal: Signal::SIGSEGV,
        },
    );
    assert!(matches!(
        outcomes[..],
        [Outcome::SignalDelivered {
            effect: SignalEffect::Caught,
            ..
        }]
    ));
    sigaction(&mut world, p, Signal::SIGBUS, Disposition::Ignore);
    ok(
        &mut world,
        Event::Fault {
            pid: Pid(p),
            signal: Signal::SIGBUS,
        },
    );
    assert!(is_zombie(&world, p));
    assert_eq!(
        refused(
            &mut world,
            Event::Fault {
                pid: Pid(1),
                signal: Signal::SIGTERM
            }
        ),
        ModelError::NotAFault {
            signal: Signal::SIGTERM
        }
    );
    assert_eq!(
        refused(
            &mut world,
            Event::Fault {
                pid: Pid(1),
                signal: Signal::SIGSEGV
            }
        ),
        ModelError::HostInitExit
    );
}

#[test]
fn k19_when_init_exits_every_other_process_of_the_namespace_is_killed() {
    let mut world = World::new();
    let (runtime, init, shell) = container(&mut world);
    let grandchild = fork(&mut world, shell); // 5
    let nested_init = fork_with(&mut world, shell, &[NsKind::Pid]); // 6, in a nested namespace
    let nested_child = fork(&mut world, nested_init); // 7
    let pod_ns = ns(&world, init, NsKind::Pid);
    let outcomes = exit(&mut world, init, 0);
    assert!(outcomes.contains(&Outcome::PidNamespaceDying {
        ns: pod_ns,
        init: Pid(init)
    }));
    for victim in [shell, grandchild, nested_init, nested_child] {
        assert!(
            has(
                &outcomes,
                |o| matches!(o, Outcome::KilledByInitDeath { pid, .. } if pid.0 == victim)
            ),
            "{victim}"
        );
        assert_eq!(
            state(&world, victim),
            None,
            "{victim} was killed and released"
        );
    }
    assert_eq!(
        state(&world, init),
        Some(exited(0)),
        "init is the runtime's zombie"
    );
    assert_eq!(parent(&world, init), runtime);
    assert_eq!(world.accepting(pod_ns), Some(false));
}

/// A container whose init has exited, its pid namespace kept by an open fd, and the runtime
/// pointed at it with setns: the runtime's next fork goes into a dead namespace.
fn runtime_in_a_dead_namespace(world: &mut World) -> (u32, pauselab_core::NsId) {
    let (runtime, init, _) = container(world); // host pids 2, 3, 4
    let pod_ns = ns(world, init, NsKind::Pid);
    ok(
        world,
        Event::Pin {
            ns: pod_ns,
            holder: "fd".into(),
        },
    );
    exit(world, init, 0);
    ok(
        world,
        Event::Setns {
            pid: Pid(runtime),
            ns: pod_ns,
        },
    );
    (runtime, pod_ns)
}

#[test]
fn k19_a_fork_into_the_dead_namespace_fails_with_enomem() {
    let mut world = World::new();
    let (runtime, pod_ns) = runtime_in_a_dead_namespace(&mut world);
    let outcomes = ok(
        &mut world,
        Event::Fork {
            pid: Pid(runtime),
            new: Default::default(),
        },
    );
    assert_eq!(
        outcomes,
        [Outcome::ForkFailed {
            parent: Pid(runtime),
            ns: pod_ns,
            errno: Errno::ENOMEM
        }]
    );
    assert_eq!(outcomes[0].rule(), Some(Rule::K19));
}

#[test]
fn k8_k19_a_failed_fork_into_a_dead_namespace_still_moves_the_pid_cursors() {
    // alloc_pid takes a pid at every level before it finds the namespace dead: the kernel's
    // next pid skips the one the failed fork took (the fidelity tests found this).
    let mut world = World::new();
    let (runtime, _) = runtime_in_a_dead_namespace(&mut world);
    ok(
        &mut world,
        Event::Fork {
            pid: Pid(runtime),
            new: Default::default(),
        },
    ); // takes 5, fails
    assert_eq!(fork(&mut world, 1), 6);
}

#[test]
fn k19_the_dying_init_reaps_its_existing_zombies() {
    let mut world = World::new();
    let (_, init, shell) = container(&mut world);
    exit(&mut world, shell, 5);
    let outcomes = exit(&mut world, init, 0);
    assert!(outcomes.contains(&Outcome::Reaped {
        pid: Pid(shell),
        by: Pid(init),
        status: ExitStatus::Exited(5),
        seen_as: Pid(2)
    }));
}

#[test]
fn k19_init_waits_in_exit_until_outside_parents_reap_their_zombies() {
    let mut world = World::new();
    let (runtime, init, _) = container(&mut world);
    let pod_ns = ns(&world, init, NsKind::Pid);
    // `kubectl exec`: the runtime enters the namespace and forks; its child's parent is outside.
    ok(
        &mut world,
        Event::Setns {
            pid: Pid(runtime),
            ns: pod_ns,
        },
    );
    let exec = fork(&mut world, runtime);
    let outcomes = exit(&mut world, init, 0);
    assert!(outcomes.contains(&Outcome::InitWaitsForZombies {
        init: Pid(init),
        remaining: 1
    }));
    assert!(
        is_zombie(&world, exec),
        "killed, and the runtime has not waited yet"
    );
    assert_eq!(
        state(&world, init),
        Some(ProcState::Exiting(ExitStatus::Exited(0)))
    );
    let outcomes = wait(&mut world, runtime, WaitTarget::Pid(Pid(exec)), false).unwrap();
    assert!(outcomes.contains(&Outcome::BecameZombie {
        pid: Pid(init),
        parent: Pid(runtime),
        status: ExitStatus::Exited(0)
    }));
}
