//! Small helpers that keep the rule tests about the rule.

use pauselab_core::{
    Disposition, Event, ExitStatus, ModelError, NsId, NsKind, NsKinds, Outcome, Pid, ProcState,
    Signal, WaitTarget, World,
};

/// Applies an event that must succeed.
pub fn ok(world: &mut World, event: Event) -> Vec<Outcome> {
    let shown = event.to_string();
    world
        .apply(event)
        .unwrap_or_else(|e| panic!("{shown} was refused: {e}"))
}

/// Applies an event that must be refused, and checks that it changed nothing.
pub fn refused(world: &mut World, event: Event) -> ModelError {
    let before = world.clone();
    let shown = event.to_string();
    let error = world
        .apply(event)
        .expect_err(&format!("{shown} should be refused"));
    // Debug shows every field, reference counts included: nothing may move.
    assert_eq!(
        format!("{world:?}"),
        format!("{before:?}"),
        "a refused event changed the world"
    );
    error
}

/// Forks `parent` with new namespaces of `kinds`; returns the child's host pid.
pub fn fork_with(world: &mut World, parent: u32, kinds: &[NsKind]) -> u32 {
    let outcomes = ok(
        world,
        Event::Fork {
            pid: Pid(parent),
            new: NsKinds::of(kinds),
        },
    );
    outcomes
        .iter()
        .find_map(|o| match o {
            Outcome::Forked { child, .. } => Some(child.0),
            _ => None,
        })
        .expect("a fork reports the child")
}

/// Forks `parent`; returns the child's host pid.
pub fn fork(world: &mut World, parent: u32) -> u32 {
    fork_with(world, parent, &[])
}

/// Forks `parent` and names the child.
pub fn spawn(world: &mut World, parent: u32, comm: &str) -> u32 {
    let child = fork(world, parent);
    ok(
        world,
        Event::Exec {
            pid: Pid(child),
            comm: comm.to_owned(),
        },
    );
    child
}

pub fn exit(world: &mut World, pid: u32, code: u8) -> Vec<Outcome> {
    ok(
        world,
        Event::Exit {
            pid: Pid(pid),
            code,
        },
    )
}

pub fn kill(world: &mut World, pid: u32, target: u32, signal: Signal) -> Vec<Outcome> {
    ok(
        world,
        Event::Kill {
            pid: Pid(pid),
            target: Pid(target),
            signal,
        },
    )
}

pub fn wait(
    world: &mut World,
    pid: u32,
    target: WaitTarget,
    nohang: bool,
) -> Result<Vec<Outcome>, ModelError> {
    world.apply(Event::Wait {
        pid: Pid(pid),
        target,
        nohang,
    })
}

pub fn sigaction(world: &mut World, pid: u32, signal: Signal, action: Disposition) -> Vec<Outcome> {
    ok(
        world,
        Event::Sigaction {
            pid: Pid(pid),
            signal,
            action,
            nocldwait: false,
        },
    )
}

pub fn state(world: &World, pid: u32) -> Option<ProcState> {
    world.process(Pid(pid)).map(|p| p.state())
}

pub fn is_zombie(world: &World, pid: u32) -> bool {
    matches!(state(world, pid), Some(ProcState::Zombie(_)))
}

pub fn parent(world: &World, pid: u32) -> u32 {
    world.process(Pid(pid)).expect("process exists").parent().0
}

pub fn ns(world: &World, pid: u32, kind: NsKind) -> NsId {
    world
        .process(Pid(pid))
        .expect("process exists")
        .namespaces()
        .get(kind)
}

pub fn exited(code: u8) -> ProcState {
    ProcState::Zombie(ExitStatus::Exited(code))
}

/// Whether the namespace is still alive.
pub fn alive(world: &World, id: NsId) -> bool {
    world.ns_kind(id).is_some()
}

pub fn has(outcomes: &[Outcome], wanted: impl Fn(&Outcome) -> bool) -> bool {
    outcomes.iter().any(wanted)
}
