//! Snapshot tests of what people read: the tree, `ps` from inside a pod, and `lsns`.

use pauselab_core::{Event, NsKind, Pid, World};

use crate::support::*;

/// A pod as containerd builds it: a shim (subreaper), pause in new namespaces, an app that
/// joined them, a zombie left by the app, and an exec'd shell.
fn pod() -> World {
    let mut world = World::new();
    let shim = spawn(&mut world, 1, "containerd-shim"); // 2
    ok(
        &mut world,
        Event::SetSubreaper {
            pid: Pid(shim),
            on: true,
        },
    );
    let pause = fork_with(
        &mut world,
        shim,
        &[NsKind::Pid, NsKind::Net, NsKind::Ipc, NsKind::Uts],
    ); // 3
    ok(
        &mut world,
        Event::Exec {
            pid: Pid(pause),
            comm: "pause".into(),
        },
    );
    for kind in [NsKind::Net, NsKind::Ipc, NsKind::Uts, NsKind::Pid] {
        let target = ns(&world, pause, kind);
        ok(
            &mut world,
            Event::Setns {
                pid: Pid(shim),
                ns: target,
            },
        );
    }
    let app = spawn(&mut world, shim, "nginx"); // 4
    let worker = spawn(&mut world, app, "worker"); // 5
    exit(&mut world, worker, 0);
    spawn(&mut world, shim, "sh"); // 6
    world
}

#[test]
fn tree_of_a_pod() {
    insta::assert_snapshot!(pod().to_string());
}

#[test]
fn ps_inside_the_pod_shows_ppid_0_for_parents_outside() {
    let world = pod();
    let pod_ns = ns(&world, 3, NsKind::Pid);
    let table: Vec<String> = world
        .ps(pod_ns)
        .unwrap()
        .iter()
        .map(|r| format!("{:>3} {:>4} {} {}", r.pid, r.ppid, r.state.letter(), r.comm))
        .collect();
    insta::assert_snapshot!(table.join("\n"));
}

#[test]
fn lsns_of_a_pod() {
    let rows: Vec<String> = pod()
        .lsns()
        .iter()
        .map(|r| {
            format!(
                "{} {:<6} {:>2} {:>3} {}",
                r.ns,
                r.kind.name(),
                r.nprocs,
                r.pid.map_or(0, |p| p.0),
                r.comm.as_deref().unwrap_or("-")
            )
        })
        .collect();
    insta::assert_snapshot!(rows.join("\n"));
}

#[test]
fn namespaces_of_a_kind_are_lsns_filtered_by_that_kind() {
    let world = pod();
    for kind in pauselab_core::NsKind::ALL {
        let from_lsns: Vec<_> = world
            .lsns()
            .into_iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.ns)
            .collect();
        assert_eq!(world.namespaces_of(kind), from_lsns, "{kind:?}");
    }
}

#[test]
fn the_initial_namespace_of_a_kind_is_the_one_lsns_marks_initial() {
    let world = pod();
    for kind in pauselab_core::NsKind::ALL {
        let from_lsns = world
            .lsns()
            .into_iter()
            .find(|r| r.kind == kind && r.initial)
            .map(|r| r.ns);
        assert!(from_lsns.is_some(), "{kind:?}: the host's namespace lives");
        assert_eq!(world.initial_ns(kind), from_lsns, "{kind:?}");
    }
}
