//! K12–K16: reparenting, subreapers, SIGCHLD and automatic reaping, wait.

use pauselab_core::{
    Disposition, Errno, Event, ExitStatus, ModelError, NsKind, Outcome, Pid, Rule, Signal,
    WaitTarget, World,
};

use crate::support::*;

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
