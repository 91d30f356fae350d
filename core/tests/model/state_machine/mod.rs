//! Model-based tests in the style of proptest-state-machine: transitions are generated from the
//! current state, and after every step the invariants are checked.
//!
//! - `agreement`: the rules. The reference is an independent oracle (`oracle.rs`, plain maps
//!   and the SPEC's words, no `World`), and the model must agree with it after every event; a
//!   deliberately broken rule in a test-only build makes it fail.
//! - here: the formats. The reference is a world that only ever applies events; the system under
//!   test is a world written to JSON and read back before every event, so the two agree only if
//!   the snapshot format loses nothing that matters; a recorder beside it checks at the end that
//!   the trace replays to the same state. The invariants hold after every event.

mod agreement;
pub mod invariants;
mod oracle;
mod reference;
mod strategies;

use pauselab_core::{Event, Recorder, Snapshot, World};
use proptest::test_runner::Config;
use proptest_state_machine::{prop_state_machine, ReferenceStateMachine, StateMachineTest};

use reference::WorldMachine;

/// The system under test.
pub struct Reloaded {
    world: World,
    recorder: Recorder,
}

impl StateMachineTest for Reloaded {
    type SystemUnderTest = Reloaded;
    type Reference = WorldMachine;

    fn init_test(reference: &World) -> Reloaded {
        Reloaded {
            world: reference.clone(),
            recorder: Recorder::new(reference.clone(), Some("proptest".into())),
        }
    }

    fn apply(mut sut: Reloaded, reference: &World, event: Event) -> Reloaded {
        // Round trip through JSON first: the reloaded world must behave exactly as the original.
        let json = serde_json::to_string(&sut.world.to_snapshot()).expect("snapshots serialize");
        let snapshot: Snapshot = serde_json::from_str(&json).expect("snapshots deserialize");
        assert_eq!(
            snapshot,
            sut.world.to_snapshot(),
            "snapshot -> JSON -> snapshot is the identity"
        );
        sut.world =
            World::from_snapshot(&snapshot).unwrap_or_else(|e| panic!("own snapshot refused: {e}"));

        let before = sut.world.clone();
        let result = sut.world.apply(event.clone());
        if result.is_err() {
            // Debug shows every field, reference counts included: nothing may move.
            assert_eq!(
                format!("{:?}", sut.world),
                format!("{before:?}"),
                "{event} was refused ({result:?}) but changed the world"
            );
        }
        let recorded = sut.recorder.record(event.clone());
        assert_eq!(
            result, recorded,
            "{event}: a reloaded world answered differently"
        );
        assert_eq!(
            sut.world.to_snapshot(),
            reference.to_snapshot(),
            "{event}: reloaded world diverged"
        );
        sut
    }

    fn check_invariants(sut: &Reloaded, _reference: &World) {
        invariants::check(&sut.world);
    }

    fn teardown(sut: Reloaded, reference: World) {
        let trace = sut.recorder.into_trace();
        let json = serde_json::to_string(&trace).expect("traces serialize");
        let replayed = pauselab_core::Document::from_json(&json).expect("own trace loads");
        let pauselab_core::Document::Trace(trace) = replayed else {
            panic!("a trace loaded as a snapshot")
        };
        let world = trace.replay().expect("own trace replays");
        assert_eq!(
            world.to_snapshot(),
            reference.to_snapshot(),
            "the trace replays to the same state"
        );
    }
}

prop_state_machine! {
    #![proptest_config(Config {
        cases: 256,
        max_shrink_iters: 4096,
        .. Config::default()
    })]

    #[test]
    fn invariants_hold_after_every_event(sequential 1..80 => Reloaded);
}

/// The generator reaches the interesting states, so the invariants are not checked on trivia.
#[test]
fn generated_runs_reach_zombies_namespaces_and_init_deaths() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let (mut zombies, mut nested, mut deaths) = (0, 0, 0);
    for _ in 0..64 {
        let tree = WorldMachine::sequential_strategy(60..61)
            .new_tree(&mut runner)
            .expect("a run");
        let (mut world, events, _) = tree.current();
        for event in events {
            let outcomes = world.apply(event).unwrap_or_default();
            deaths += outcomes
                .iter()
                .filter(|o| matches!(o, pauselab_core::Outcome::PidNamespaceDying { .. }))
                .count();
            zombies += world.zombies().len();
            nested += world.processes().iter().filter(|p| p.level() > 0).count();
        }
    }
    assert!(
        zombies > 0 && nested > 0 && deaths > 0,
        "zombies {zombies}, nested {nested}, init deaths {deaths}"
    );
}
