//! K8–K11: pid numbering, what a process sees, getppid, zombies and exit statuses.

use pauselab_core::{
    Errno, Event, ExitStatus, NsKind, Outcome, Pid, ProcState, Rule, Signal, WaitTarget, World,
};

use crate::support::*;

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
