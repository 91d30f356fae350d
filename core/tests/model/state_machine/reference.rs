//! The reference state machine: the world itself, driving generation.

use pauselab_core::{Event, World};
use proptest::prelude::*;
use proptest_state_machine::ReferenceStateMachine;

use super::strategies;

pub struct WorldMachine;

impl ReferenceStateMachine for WorldMachine {
    type State = World;
    type Transition = Event;

    fn init_state() -> BoxedStrategy<World> {
        // Small pid_max now and then, so that wrapping (K8) is exercised.
        prop_oneof![4 => Just(World::new()), 1 => Just(World::with_pid_max(310))].boxed()
    }

    fn transitions(world: &World) -> BoxedStrategy<Event> {
        strategies::event(world)
    }

    fn apply(mut world: World, event: &Event) -> World {
        // Refused events are part of the test: they must leave the world unchanged.
        let _ = world.apply(event.clone());
        world
    }
}
