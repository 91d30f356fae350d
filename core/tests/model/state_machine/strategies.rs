//! Events generated from the current world: mostly valid ones for living processes, with some
//! invalid ones (dead actors, unknown pids and namespaces) to exercise refusals.

use pauselab_core::{
    Disposition, Event, NsId, NsKind, NsKinds, Pid, ProcState, Signal, WaitTarget, World,
};
use proptest::prelude::*;
use proptest::sample::select;

fn kinds() -> impl Strategy<Value = NsKinds> {
    prop_oneof![
        6 => Just(NsKinds::EMPTY),
        3 => Just(NsKinds::of(&[NsKind::Pid])),
        1 => Just(NsKinds::of(&[NsKind::Net, NsKind::Ipc, NsKind::Uts])),
        1 => Just(NsKinds::of(&[NsKind::Pid, NsKind::Net])),
        1 => Just(NsKinds::of(&[NsKind::Time])),
        1 => Just(NsKinds::of(&[NsKind::User])),
    ]
}

fn signal() -> impl Strategy<Value = Signal> {
    select(vec![
        Signal::SIGKILL,
        Signal::SIGTERM,
        Signal::SIGHUP,
        Signal::SIGINT,
        Signal::SIGCHLD,
        Signal::SIGSTOP,
        Signal::SIGCONT,
        Signal::SIGQUIT,
        Signal::SIGUSR1,
    ])
}

pub fn event(world: &World) -> BoxedStrategy<Event> {
    let processes = world.processes();
    let living: Vec<Pid> = processes
        .iter()
        .filter(|p| p.state() == ProcState::Running)
        .map(|p| p.host_pid())
        .collect();
    let any_pid: Vec<Pid> = processes
        .iter()
        .map(|p| p.host_pid())
        .chain([Pid(9999)])
        .collect();
    let namespaces: Vec<NsId> = world
        .lsns()
        .iter()
        .map(|row| row.ns)
        .chain([NsId(7)])
        .collect();
    // Targets for kill and waitpid are small numbers: they name processes as the actor sees
    // them, so small pids hit inits and early processes of nested namespaces.
    let local = || (1u32..12).prop_map(Pid);

    let actor = select(living);
    let anyone = select(any_pid);
    let some_ns = select(namespaces);
    prop_oneof![
        8 => (actor.clone(), kinds()).prop_map(|(pid, new)| Event::Fork { pid, new }),
        5 => (actor.clone(), 0u8..3).prop_map(|(pid, code)| Event::Exit { pid, code }),
        5 => (actor.clone(), prop_oneof![Just(WaitTarget::Any), local().prop_map(WaitTarget::Pid)], any::<bool>())
            .prop_map(|(pid, target, nohang)| Event::Wait { pid, target, nohang }),
        5 => (actor.clone(), local(), signal()).prop_map(|(pid, target, signal)| Event::Kill { pid, target, signal }),
        3 => (actor.clone(), select(vec![Disposition::Default, Disposition::Ignore, Disposition::Handler]), any::<bool>())
            .prop_map(|(pid, action, nocldwait)| Event::Sigaction { pid, signal: Signal::SIGCHLD, action, nocldwait }),
        1 => (actor.clone(), select(vec![Signal::SIGTERM, Signal::SIGKILL]))
            .prop_map(|(pid, signal)| Event::Sigaction { pid, signal, action: Disposition::Handler, nocldwait: false }),
        2 => (actor.clone(), any::<bool>()).prop_map(|(pid, on)| Event::SetSubreaper { pid, on }),
        2 => (actor.clone(), kinds()).prop_map(|(pid, new)| Event::Unshare { pid, new }),
        2 => (actor.clone(), some_ns.clone()).prop_map(|(pid, ns)| Event::Setns { pid, ns }),
        1 => actor.clone().prop_map(|pid| Event::Exec { pid, comm: "app".into() }),
        1 => (actor.clone(), select(vec![Signal::SIGSEGV, Signal::SIGTERM])).prop_map(|(pid, signal)| Event::Fault { pid, signal }),
        // A live node's death with no sender (the oracle has no other way to it).
        1 => (actor, signal()).prop_map(|(pid, signal)| Event::Signaled { pid, signal }),
        1 => (some_ns.clone(), select(vec!["a", "b"])).prop_map(|(ns, h)| Event::Pin { ns, holder: h.into() }),
        1 => (some_ns, select(vec!["a", "b"])).prop_map(|(ns, h)| Event::Unpin { ns, holder: h.into() }),
        1 => (anyone, 0u8..2).prop_map(|(pid, code)| Event::Exit { pid, code }),
    ]
    .boxed()
}
