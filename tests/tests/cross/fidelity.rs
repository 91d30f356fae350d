//! The model against the kernel: the same scenario in `pauselab-core` and as real processes in
//! a fresh pid namespace (`fidelity-runner`); every answer and the final process table must be
//! equal — pids at every level below the host's, parents, zombies and their statuses.

use std::io::Write;
use std::process::{Command, Stdio};

use std::time::Duration;

use pauselab_tests::fidelity::{ModelRun, Op, Run};
use pauselab_tests::pause::wait_for;
use pauselab_tests::{is_root, require};
use proptest::prelude::*;

fn kernel(ops: &[Op]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fidelity-runner"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the runner starts");
    let input = serde_json::to_vec(ops).expect("ops serialize");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&input)
        .expect("scenario sent");
    // Bounded: a runner that hangs is killed, and the test fails with the scenario.
    let ended = wait_for(Duration::from_secs(60), || child.try_wait().ok().flatten());
    if ended.is_none() {
        let _ = child.kill();
        let _ = child.wait();
        panic!("fidelity-runner hung on {ops:?}");
    }
    let out = child.wait_with_output().expect("the runner ends");
    assert!(
        out.status.success(),
        "fidelity-runner failed on {ops:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the runner prints a run")
}

/// Runs both sides; returns the difference, if any, with the scenario that shows it.
fn disagreement(ops: &[Op]) -> Option<String> {
    let (kept, model) = ModelRun::run(ops);
    let real = kernel(&kept);
    (model != real).then(|| format!("scenario {kept:?}\n model:  {model:?}\n kernel: {real:?}"))
}

fn check(ops: &[Op]) {
    require(is_root(), "root (pid namespaces)");
    if let Some(difference) = disagreement(ops) {
        panic!("the model and the kernel disagree\n{difference}");
    }
}

use Op::*;

fn fork(actor: usize) -> Op {
    Fork {
        actor,
        new_pid_ns: false,
    }
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k7_k8_nested_pid_namespaces_count_from_one() {
    check(&[
        fork(0),
        fork(0),
        Fork {
            actor: 2,
            new_pid_ns: true,
        },
        fork(3),
        Fork {
            actor: 4,
            new_pid_ns: true,
        },
        fork(5),
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k8_a_zombie_keeps_its_pid() {
    check(&[
        fork(0),
        Exit { actor: 1, code: 0 },
        fork(0),
        Wait {
            actor: 0,
            target: Some(1),
        },
        fork(0),
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k9_kill_outside_ones_namespace_is_esrch() {
    check(&[
        fork(0),
        Fork {
            actor: 1,
            new_pid_ns: true,
        },
        Kill {
            actor: 2,
            pid: 2,
            signal: 15,
        },
        Kill {
            actor: 2,
            pid: 5,
            signal: 15,
        },
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k10_k13_orphans_go_to_the_namespace_init() {
    check(&[
        fork(0),
        fork(1),
        fork(2),
        Exit { actor: 2, code: 4 },
        Exit { actor: 1, code: 5 },
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k13_orphans_go_to_the_nearest_subreaper() {
    check(&[
        fork(0),
        Subreaper { actor: 1 },
        fork(1),
        fork(2),
        fork(3),
        Exit { actor: 3, code: 0 },
        Exit { actor: 2, code: 0 },
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k13_a_subreaper_outside_the_namespace_does_not_adopt() {
    check(&[
        fork(0),
        Subreaper { actor: 1 },
        Fork {
            actor: 1,
            new_pid_ns: true,
        },
        fork(2),
        fork(3),
        Exit { actor: 3, code: 0 },
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k14_an_adopted_zombie_is_released_by_a_parent_that_ignores_sigchld() {
    check(&[
        IgnoreSigchld { actor: 0 },
        fork(0),
        Exit { actor: 1, code: 0 },
        fork(0),
        fork(2),
        Exit { actor: 3, code: 7 },
        Exit { actor: 2, code: 0 },
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k15_ignoring_sigchld_prevents_zombies_and_wait_fails() {
    check(&[
        fork(0),
        IgnoreSigchld { actor: 1 },
        fork(1),
        fork(1),
        Exit { actor: 2, code: 0 },
        Wait {
            actor: 1,
            target: None,
        },
        Exit { actor: 3, code: 0 },
        Wait {
            actor: 1,
            target: None,
        },
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k16_wait_takes_the_first_zombie_in_list_order() {
    check(&[
        fork(0),
        fork(0),
        fork(0),
        Exit { actor: 3, code: 3 },
        Exit { actor: 1, code: 1 },
        Exit { actor: 2, code: 2 },
        Wait {
            actor: 0,
            target: None,
        },
        Wait {
            actor: 0,
            target: Some(2),
        },
        Wait {
            actor: 0,
            target: None,
        },
        Wait {
            actor: 0,
            target: None,
        },
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k16_waiting_for_someone_elses_child_is_echild() {
    check(&[
        fork(0),
        fork(1),
        fork(0),
        Wait {
            actor: 3,
            target: Some(2),
        },
        Wait {
            actor: 3,
            target: None,
        },
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k17_init_ignores_signals_without_handlers() {
    check(&[
        fork(0),
        Kill {
            actor: 1,
            pid: 1,
            signal: 15,
        },
        Kill {
            actor: 1,
            pid: 1,
            signal: 9,
        },
        Kill {
            actor: 1,
            pid: 1,
            signal: 1,
        },
        Kill {
            actor: 0,
            pid: 2,
            signal: 15,
        },
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k11_zombies_keep_their_status_until_waited_for() {
    check(&[
        fork(0),
        fork(0),
        Exit { actor: 1, code: 7 },
        Kill {
            actor: 0,
            pid: 3,
            signal: 15,
        },
        Wait {
            actor: 0,
            target: Some(2),
        },
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k12_children_are_reparented_while_their_parent_is_a_zombie() {
    check(&[
        fork(0),
        fork(0),
        fork(1),
        fork(1),
        Exit { actor: 1, code: 0 },
        Exit { actor: 3, code: 1 },
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k18_a_fault_kills_even_an_init() {
    check(&[
        fork(0),
        Fork {
            actor: 1,
            new_pid_ns: true,
        },
        fork(2),
        Fault { actor: 2 },
        Fault { actor: 1 },
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k19_init_exit_kills_the_namespace() {
    check(&[
        fork(0),
        fork(1),
        Fork {
            actor: 2,
            new_pid_ns: true,
        },
        fork(3),
        Exit { actor: 0, code: 9 },
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k19_a_nested_init_exit_kills_only_its_namespace() {
    check(&[
        fork(0),
        Fork {
            actor: 1,
            new_pid_ns: true,
        },
        fork(2),
        fork(2),
        Exit { actor: 2, code: 0 },
        Wait {
            actor: 1,
            target: None,
        },
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k19_a_dying_init_waits_for_a_zombie_whose_parent_is_outside() {
    // Found by the random scenarios: 0 unshares, forks 1 (the init) and then 2 into 1's
    // namespace; 1 faults, 2 is killed and stays 0's zombie, so 1 sleeps exiting, never answering.
    check(&[
        Fork {
            actor: 0,
            new_pid_ns: true,
        },
        fork(0),
        Fault { actor: 1 },
    ]);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
fn k19_a_fork_into_a_dead_namespace_fails_yet_moves_the_pid_cursor() {
    // Found by the random scenarios: alloc_pid takes a pid at every level before it checks.
    check(&[
        fork(0),
        Fork {
            actor: 1,
            new_pid_ns: true,
        },
        Exit { actor: 2, code: 0 },
        fork(1),
        fork(0),
    ]);
}

/// A step chosen by proptest, turned into an op that makes sense in the current state.
#[derive(Clone, Debug)]
struct Choice {
    kind: u8,
    actor: usize,
    other: usize,
    flag: bool,
}

fn choices() -> impl Strategy<Value = Vec<Choice>> {
    prop::collection::vec(
        (0u8..10, 0usize..40, 0usize..40, any::<bool>()).prop_map(|(kind, actor, other, flag)| {
            Choice {
                kind,
                actor,
                other,
                flag,
            }
        }),
        1..24,
    )
}

/// Interprets choices against the model so that actors are living processes.
fn scenario(choices: &[Choice]) -> Vec<Op> {
    let mut model = ModelRun::new();
    let mut ops = Vec::new();
    for choice in choices {
        let living: Vec<usize> = (0..model.count()).filter(|i| model.can_act(*i)).collect();
        if living.is_empty() {
            break;
        }
        let actor = living[choice.actor % living.len()];
        let op = match choice.kind {
            0..=2 if model.count() < 30 => Fork {
                actor,
                new_pid_ns: choice.flag && choice.other % 3 == 0,
            },
            3 | 4 => Exit {
                actor,
                code: (choice.other % 4) as u8,
            },
            // Waits by the first process, the namespace's reaper, meet several zombies at once,
            // where the kernel's choice among them (K16) shows.
            5 if model.can_act(0) => Wait {
                actor: 0,
                target: None,
            },
            5 | 6 => Wait {
                actor,
                target: choice.flag.then_some(choice.other % model.count()),
            },
            7 => IgnoreSigchld { actor },
            8 if choice.flag && choice.other % 4 == 0 => Fault { actor },
            8 => Subreaper { actor },
            _ => Kill {
                actor,
                pid: 1 + (choice.other % 6) as u32,
                signal: [1, 9, 15][choice.other % 3],
            },
        };
        if model.step(&op).is_some() {
            ops.push(op);
        }
    }
    ops
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, max_shrink_iters: 200, .. ProptestConfig::default() })]

    /// 200 random scenarios per run; a disagreement fails with the minimized scenario.
    #[test]
    #[cfg_attr(pauselab_missing_root, ignore = "needs root (pid namespaces)")]
    fn random_scenarios_agree_with_the_kernel(choices in choices()) {
        require(is_root(), "root (pid namespaces)");
        let ops = scenario(&choices);
        if let Some(difference) = disagreement(&ops) {
            prop_assert!(false, "the model and the kernel disagree\n{}", difference);
        }
    }
}
