//! K17–K19: signals to a namespace's init, faults, and the end of a pid namespace.

use pauselab_core::{
    Disposition, Errno, Event, ExitStatus, ModelError, NsKind, Outcome, Pid, ProcState, Rule,
    Signal, SignalEffect, WaitTarget, World,
};

use crate::support::*;

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
