//! The model against the independent oracle: events are generated from the oracle's state, the
//! model applies the same events, and after every step both must agree on every process — its
//! pids, parent, children in order, life, wait and reaper. A rule broken in the model (see the
//! `mutant-wrong-reaper` feature) makes this test fail.

use pauselab_core::{
    Disposition, Event, ModelError, NsKind, NsKinds, Pid, ProcState, Signal, WaitTarget, World,
};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config;
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest};

use super::oracle::{Ended, Life, Oracle, Refused};

pub struct OracleMachine;

impl ReferenceStateMachine for OracleMachine {
    type State = Oracle;
    type Transition = Event;

    fn init_state() -> BoxedStrategy<Oracle> {
        Just(Oracle::new()).boxed()
    }

    fn transitions(oracle: &Oracle) -> BoxedStrategy<Event> {
        events(oracle)
    }

    fn apply(mut oracle: Oracle, event: &Event) -> Oracle {
        // Refusals are part of the test: the model must refuse the same events.
        let _ = oracle.apply(event);
        oracle
    }
}

/// Events within the oracle's scope, mostly by running processes, small target pids so that
/// inits and early processes of nested namespaces are hit.
fn events(oracle: &Oracle) -> BoxedStrategy<Event> {
    let running: Vec<Pid> = oracle
        .procs
        .iter()
        .filter(|(_, p)| p.life == Life::Running)
        .map(|(&pid, _)| Pid(pid))
        .collect();
    let anyone: Vec<Pid> = oracle
        .procs
        .keys()
        .map(|&pid| Pid(pid))
        .chain([Pid(999)])
        .collect();
    let new = || prop_oneof![3 => Just(NsKinds::EMPTY), 1 => Just(NsKinds::of(&[NsKind::Pid]))];
    let local = || (1u32..10).prop_map(Pid);
    let actor = select(running);
    prop_oneof![
        10 => (actor.clone(), new()).prop_map(|(pid, new)| Event::Fork { pid, new }),
        5 => (actor.clone(), 0u8..3).prop_map(|(pid, code)| Event::Exit { pid, code }),
        6 => (actor.clone(), prop_oneof![Just(WaitTarget::Any), local().prop_map(WaitTarget::Pid)], any::<bool>())
            .prop_map(|(pid, target, nohang)| Event::Wait { pid, target, nohang }),
        5 => (actor.clone(), local(), select(vec![Signal::SIGKILL, Signal::SIGTERM, Signal::SIGHUP, Signal::SIGCHLD, Signal::SIGUSR1]))
            .prop_map(|(pid, target, signal)| Event::Kill { pid, target, signal }),
        3 => (actor.clone(), select(vec![Disposition::Default, Disposition::Ignore, Disposition::Handler]), any::<bool>())
            .prop_map(|(pid, action, nocldwait)| Event::Sigaction { pid, signal: Signal::SIGCHLD, action, nocldwait }),
        1 => (actor.clone(), select(vec![Signal::SIGTERM, Signal::SIGKILL]), select(vec![Disposition::Handler, Disposition::Ignore]))
            .prop_map(|(pid, signal, action)| Event::Sigaction { pid, signal, action, nocldwait: false }),
        4 => (actor.clone(), any::<bool>()).prop_map(|(pid, on)| Event::SetSubreaper { pid, on }),
        2 => actor.clone().prop_map(|pid| Event::Unshare { pid, new: NsKinds::of(&[NsKind::Pid]) }),
        1 => actor.clone().prop_map(|pid| Event::Exec { pid, comm: "app".into() }),
        1 => (actor, select(vec![Signal::SIGSEGV, Signal::SIGTERM])).prop_map(|(pid, signal)| Event::Fault { pid, signal }),
        1 => (select(anyone), 0u8..2).prop_map(|(pid, code)| Event::Exit { pid, code }),
    ]
    .boxed()
}

/// The model's refusal in the oracle's words.
fn refusal(error: &ModelError) -> Refused {
    match error {
        ModelError::NoSuchProcess { .. } => Refused::NoSuchProcess,
        ModelError::NotAlive { .. } => Refused::NotAlive,
        ModelError::Blocked { .. } => Refused::Blocked,
        ModelError::NoChildren { .. } => Refused::NoChildren,
        ModelError::NotAChild { .. } => Refused::NotAChild,
        ModelError::TargetNotVisible { .. } => Refused::NotVisible,
        ModelError::HostInitExit => Refused::HostInitExit,
        ModelError::Uncatchable { .. } => Refused::Uncatchable,
        ModelError::NotAFault { .. } => Refused::NotAFault,
        ModelError::TooDeep { .. } => Refused::TooDeep,
        ModelError::PidNamespaceAlreadyUnshared { .. } => Refused::AlreadyUnshared,
        other => panic!("the oracle never asks for what the model refused with: {other}"),
    }
}

/// One process as both sides describe it.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    pids: Vec<u32>,
    parent: u32,
    children: Vec<u32>,
    life: Life,
    waiting: Option<Option<u32>>,
    subreaper: bool,
    /// Its pid namespace's init, and whether the namespace still takes processes.
    init: Option<u32>,
    accepting: bool,
}

fn ended(status: pauselab_core::ExitStatus) -> Ended {
    match status {
        pauselab_core::ExitStatus::Exited(code) => Ended::Code(code),
        pauselab_core::ExitStatus::Signaled(signal) => Ended::Signal(signal),
    }
}

fn model_table(world: &World) -> Vec<Seen> {
    world
        .processes()
        .into_iter()
        .map(|p| {
            let ns = p.namespaces().get(NsKind::Pid);
            Seen {
                pids: p.nspid().to_vec(),
                parent: p.parent().0,
                children: p.children().map(|c| c.0).collect(),
                life: match p.state() {
                    ProcState::Running => Life::Running,
                    ProcState::Stopped => panic!("the oracle's events never stop a process"),
                    ProcState::Exiting(s) => Life::Exiting(ended(s)),
                    ProcState::Zombie(s) => Life::Zombie(ended(s)),
                },
                waiting: p.waiting().map(|target| match target {
                    WaitTarget::Any => None,
                    WaitTarget::Pid(pid) => Some(pid.0),
                }),
                subreaper: p.is_subreaper(),
                init: world.init_of(ns).map(|pid| pid.0),
                accepting: world.accepting(ns).unwrap_or(false),
            }
        })
        .collect()
}

fn oracle_table(oracle: &Oracle) -> Vec<Seen> {
    oracle
        .procs
        .values()
        .map(|p| {
            let ns = &oracle.namespaces[p.ns];
            Seen {
                pids: p.pids.clone(),
                parent: p.parent,
                children: p.children.clone(),
                life: p.life,
                waiting: p.waiting,
                subreaper: p.subreaper,
                init: ns.init,
                accepting: ns.accepting,
            }
        })
        .collect()
}

/// The system under test: the model itself.
pub struct ModelAgainstOracle;

impl StateMachineTest for ModelAgainstOracle {
    type SystemUnderTest = World;
    type Reference = OracleMachine;

    fn init_test(_oracle: &Oracle) -> World {
        World::new()
    }

    fn apply(mut world: World, oracle: &Oracle, event: Event) -> World {
        let result = world.apply(event.clone());
        assert_eq!(
            result.as_ref().map(|_| ()).map_err(refusal),
            oracle.last,
            "{event}: the model answered {result:?}"
        );
        world
    }

    fn check_invariants(world: &World, oracle: &Oracle) {
        let (model, expected) = (model_table(world), oracle_table(oracle));
        if model != expected {
            let only = |a: &[Seen], b: &[Seen]| -> Vec<String> {
                a.iter()
                    .filter(|s| !b.contains(s))
                    .map(|s| format!("  {s:?}"))
                    .collect()
            };
            panic!(
                "the model and the oracle disagree\nthe model has:\n{}\nthe oracle has:\n{}",
                only(&model, &expected).join("\n"),
                only(&expected, &model).join("\n")
            );
        }
    }
}

/// `cases` runs; failures found are kept under `proptest-regressions/` and tried first next
/// time, unless `remember` is off (the mutant's failures are not regressions).
fn config(cases: u32, remember: bool) -> Config {
    use proptest::test_runner::FileFailurePersistence;

    Config {
        cases,
        max_shrink_iters: 4096,
        source_file: Some(file!()),
        failure_persistence: remember
            .then(|| Box::new(FileFailurePersistence::default()) as Box<_>),
        ..Config::default()
    }
}

/// Runs the comparison over `cases` generated runs; the failure, minimized, if any.
fn disagreement(cases: u32, remember: bool) -> Option<String> {
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::new(config(cases, remember));
    runner
        .run(
            &OracleMachine::sequential_strategy(1..80),
            |(initial, events, seen)| {
                ModelAgainstOracle::test_sequential(config(cases, false), initial, events, seen);
                Ok(())
            },
        )
        .err()
        .map(|error| error.to_string())
}

#[cfg(not(feature = "mutant-wrong-reaper"))]
#[test]
fn k6_to_k19_the_model_agrees_with_the_oracle_after_every_event() {
    if let Some(failure) = disagreement(256, true) {
        panic!("{failure}");
    }
}

/// The oracle can disagree: built with a deliberately broken K13 (orphans skip their
/// subreaper), the model fails the comparison. `cargo test -p pauselab-core --features
/// mutant-wrong-reaper --test model oracle` runs this, and scripts/test.sh does.
#[cfg(feature = "mutant-wrong-reaper")]
#[test]
fn k13_the_oracle_catches_a_model_that_reparents_to_the_wrong_reaper() {
    let failure = disagreement(1024, false).expect("the broken rule went unnoticed");
    assert!(failure.contains("disagree"), "{failure}");
}

/// The generator reaches what the rules are about, so agreement is not on trivia.
#[test]
fn generated_runs_reach_subreapers_zombies_and_init_deaths() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let (mut adopted_by_subreaper, mut zombies, mut inits_died) = (0, 0, 0);
    for _ in 0..64 {
        let tree = OracleMachine::sequential_strategy(60..61)
            .new_tree(&mut runner)
            .expect("a run");
        let (_, events, _) = tree.current();
        let mut world = World::new();
        for event in events {
            for outcome in world.apply(event).unwrap_or_default() {
                match outcome {
                    pauselab_core::Outcome::Reparented {
                        to_subreaper: true, ..
                    } => adopted_by_subreaper += 1,
                    pauselab_core::Outcome::BecameZombie { .. } => zombies += 1,
                    pauselab_core::Outcome::PidNamespaceDying { .. } => inits_died += 1,
                    _ => {}
                }
            }
        }
    }
    assert!(
        adopted_by_subreaper > 0 && zombies > 0 && inits_died > 0,
        "subreaper adoptions {adopted_by_subreaper}, zombies {zombies}, init deaths {inits_died}"
    );
}
