//! The invariants of the issue, checked through the public API only.

use std::collections::{BTreeSet, HashSet};

use pauselab_core::{NsId, NsKind, Pid, ProcState, World};

pub fn check(world: &World) {
    pids_are_unique_and_consistent_per_namespace(world);
    living_processes_have_living_parents(world);
    zombies_only_wait_for_their_parent(world);
    no_one_lives_in_a_namespace_whose_init_died(world);
    namespaces_live_exactly_while_referenced(world);
}

/// The chain of pid namespaces from the process's own up to the host's.
fn pid_namespaces_up(world: &World, own: NsId) -> Vec<NsId> {
    let mut chain = vec![own];
    while let Some(parent) = world.ns_parent(*chain.last().unwrap()) {
        chain.push(parent);
    }
    chain
}

fn pids_are_unique_and_consistent_per_namespace(world: &World) {
    for row in world.lsns().iter().filter(|row| row.kind == NsKind::Pid) {
        let ps = world
            .ps(row.ns)
            .expect("a listed pid namespace has a ps view");
        let unique: HashSet<Pid> = ps.iter().map(|r| r.pid).collect();
        assert_eq!(unique.len(), ps.len(), "duplicate pids in pid:[{}]", row.ns);
        for r in &ps {
            assert_eq!(world.resolve(row.ns, r.pid), Some(r.host_pid));
            assert_eq!(world.pid_in(row.ns, r.host_pid), Some(r.pid));
        }
    }
    for process in world.processes() {
        let chain = pid_namespaces_up(world, process.namespaces().get(NsKind::Pid));
        assert_eq!(
            chain.len(),
            process.nspid().len(),
            "{}: one pid per level (K7)",
            process.host_pid()
        );
        for (ns, &local) in chain.iter().zip(process.nspid().iter().rev()) {
            assert_eq!(world.resolve(*ns, Pid(local)), Some(process.host_pid()));
        }
        assert_eq!(*chain.last().unwrap(), world.root_pid_ns());
    }
}

fn living_processes_have_living_parents(world: &World) {
    for process in world
        .processes()
        .into_iter()
        .filter(|p| p.state().is_alive())
    {
        if process.parent() == Pid(0) {
            assert_eq!(process.nspid(), [1], "only the host's init has no parent");
            continue;
        }
        let parent = world
            .process(process.parent())
            .unwrap_or_else(|| panic!("{}'s parent is gone", process.host_pid()));
        assert!(
            parent.state().is_alive(),
            "{}'s parent {} is {:?}",
            process.host_pid(),
            parent.host_pid(),
            parent.state()
        );
        assert!(
            parent.level() <= process.level(),
            "a parent is never below its child"
        );
        assert!(
            parent.children().any(|c| c == process.host_pid()),
            "children lists match parent links"
        );
    }
}

fn zombies_only_wait_for_their_parent(world: &World) {
    for zombie in world
        .processes()
        .into_iter()
        .filter(|p| matches!(p.state(), ProcState::Zombie(_)))
    {
        let parent = world
            .process(zombie.parent())
            .expect("a zombie's parent exists");
        assert!(
            parent.state().is_alive(),
            "zombie {} has a parent that is not alive",
            zombie.host_pid()
        );
        if parent.state() == ProcState::Running {
            if let Some(target) = parent.waiting() {
                assert!(
                    !target.matches(zombie.host_pid()),
                    "{} waits for zombie {} yet did not reap it",
                    parent.host_pid(),
                    zombie.host_pid()
                );
            }
        }
    }
}

fn no_one_lives_in_a_namespace_whose_init_died(world: &World) {
    for process in world
        .processes()
        .into_iter()
        .filter(|p| p.state().is_alive())
    {
        let own = process.namespaces().get(NsKind::Pid);
        assert_eq!(
            world.accepting(own),
            Some(true),
            "{} lives in dead pid:[{own}] (K19)",
            process.host_pid()
        );
        let init = world
            .init_of(own)
            .expect("a pid namespace with a living member has an init");
        assert!(world.process(init).is_some_and(|p| p.state().is_alive()));
    }
}

fn namespaces_live_exactly_while_referenced(world: &World) {
    let mut referenced: BTreeSet<NsId> = BTreeSet::new();
    for process in world.processes() {
        let ns = process.namespaces();
        if process.state().is_alive() {
            referenced.extend(ns.iter().map(|r| r.id));
            referenced.insert(process.pid_for_children());
            referenced.insert(process.time_for_children());
        } else {
            referenced.insert(ns.get(NsKind::Pid));
        }
    }
    for row in world.lsns() {
        referenced.extend(row.parent);
        if !row.pins.is_empty() || row.initial {
            referenced.insert(row.ns);
        }
    }
    assert!(
        world.process(Pid(1)).is_some(),
        "the host's init is immortal"
    );
    let listed: BTreeSet<NsId> = world.lsns().iter().map(|row| row.ns).collect();
    assert_eq!(
        listed, referenced,
        "a namespace lives exactly while something holds it (K5)"
    );
}
