//! The snapshot and trace formats: round trips, replays, and clear refusals of bad files.

use pauselab_core::format::{FORMAT_VERSION, SNAPSHOT_FORMAT};
use pauselab_core::{Document, Event, FormatError, NsKind, NsKinds, Pid, Recorder, Signal, World};

use crate::support::*;

fn busy_world() -> World {
    let mut world = World::new();
    let shim = spawn(&mut world, 1, "shim");
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
    );
    ok(
        &mut world,
        Event::Exec {
            pid: Pid(pause),
            comm: "pause".into(),
        },
    );
    let net = ns(&world, pause, NsKind::Net);
    ok(
        &mut world,
        Event::Pin {
            ns: net,
            holder: "/var/run/netns/cni-1".into(),
        },
    );
    let app = fork(&mut world, pause);
    let zombie = fork(&mut world, app);
    exit(&mut world, zombie, 1);
    world
}

#[test]
fn a_snapshot_round_trips_through_json() {
    let world = busy_world();
    let json = Document::Snapshot(world.to_snapshot()).to_json();
    let Document::Snapshot(snapshot) = Document::from_json(&json).unwrap() else {
        panic!("not a snapshot")
    };
    assert_eq!(snapshot, world.to_snapshot());
    let reloaded = World::from_snapshot(&snapshot).unwrap();
    assert_eq!(reloaded.to_string(), world.to_string());
}

#[test]
fn a_recorded_trace_replays_to_the_same_state_and_keeps_refusals() {
    let mut recorder = Recorder::new(busy_world(), Some("test".into()));
    recorder
        .record(Event::Kill {
            pid: Pid(2),
            target: Pid(3),
            signal: Signal::SIGTERM,
        })
        .unwrap();
    recorder
        .record(Event::Wait {
            pid: Pid(9),
            target: pauselab_core::WaitTarget::Any,
            nohang: true,
        })
        .unwrap_err();
    recorder
        .record(Event::Kill {
            pid: Pid(2),
            target: Pid(3),
            signal: Signal::SIGKILL,
        })
        .unwrap();
    let end = recorder.world().to_snapshot();
    let json = Document::Trace(recorder.into_trace()).to_json();
    let Document::Trace(trace) = Document::from_json(&json).unwrap() else {
        panic!("not a trace")
    };
    assert_eq!(trace.steps.len(), 3);
    assert!(trace.steps[1].error.is_some());
    assert_eq!(trace.replay().unwrap().to_snapshot(), end);
}

#[test]
fn a_trace_whose_outcomes_were_edited_is_refused_at_that_step() {
    let mut recorder = Recorder::new(World::new(), None);
    recorder
        .record(Event::Fork {
            pid: Pid(1),
            new: NsKinds::EMPTY,
        })
        .unwrap();
    recorder
        .record(Event::Exit {
            pid: Pid(2),
            code: 0,
        })
        .unwrap();
    let mut trace = recorder.into_trace();
    trace.steps[1].event = Event::Exit {
        pid: Pid(2),
        code: 1,
    };
    let error = trace.replay().unwrap_err();
    assert!(
        matches!(error, FormatError::Diverged { step: 1, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("_exit(1)"), "{error}");
}

fn refusal(json: &str) -> String {
    Document::from_json(json)
        .expect_err("a bad file must be refused")
        .to_string()
}

#[test]
fn bad_files_get_clear_errors() {
    assert!(refusal("not json").starts_with("not JSON"));
    assert!(refusal(r#"{"format": "something-else", "version": 1}"#)
        .contains("unknown format \"something-else\""));
    assert!(refusal(r#"{"format": "pauselab-snapshot", "version": 99}"#)
        .contains("version 99 is not supported"));
    assert!(
        refusal(r#"{"format": "pauselab-snapshot", "version": 1, "namespaces": []}"#)
            .starts_with("not a pauselab file")
    );
}

/// Edits a valid snapshot's JSON and returns why it is refused.
fn refusal_after(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value = serde_json::to_value(busy_world().to_snapshot()).unwrap();
    edit(&mut value);
    refusal(&value.to_string())
}

#[test]
fn inconsistent_snapshots_say_what_is_wrong() {
    let duplicate = refusal_after(|v| {
        let first = v["processes"][1].clone();
        v["processes"].as_array_mut().unwrap().push(first);
    });
    assert!(
        duplicate.contains("host pid 2 is listed twice"),
        "{duplicate}"
    );

    let orphan = refusal_after(|v| v["processes"][1]["ppid"] = 777.into());
    assert!(
        orphan.contains("parent 777") && orphan.contains("not listed"),
        "{orphan}"
    );

    let levels = refusal_after(|v| v["processes"][2]["nspid"] = serde_json::json!([3]));
    assert!(levels.contains("nspid has 1 levels"), "{levels}");

    let unheld = refusal_after(|v| {
        v["namespaces"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"id": 4026531800u32, "kind": "net"}));
    });
    assert!(
        unheld.contains("no member, pin or child namespace"),
        "{unheld}"
    );

    let dangling = refusal_after(|v| v["processes"][0]["ns"]["net"] = 12345.into());
    assert!(
        dangling.contains("net namespace 12345 is not listed"),
        "{dangling}"
    );
}

#[test]
fn a_minimal_hand_written_snapshot_loads_with_defaults() {
    let json = format!(
        r#"{{"format": "{SNAPSHOT_FORMAT}", "version": {FORMAT_VERSION},
            "namespaces": [{{"id": 1, "kind": "pid"}}, {{"id": 2, "kind": "user"}}, {{"id": 3, "kind": "net", "initial": true}},
                           {{"id": 4, "kind": "mnt", "initial": true}}, {{"id": 5, "kind": "uts", "initial": true}},
                           {{"id": 6, "kind": "ipc", "initial": true}}, {{"id": 7, "kind": "cgroup", "initial": true}},
                           {{"id": 8, "kind": "time", "initial": true}}],
            "processes": [{{"nspid": [1], "ppid": 0, "comm": "systemd", "state": "running",
                            "ns": {{"pid": 1, "user": 2, "net": 3, "mnt": 4, "uts": 5, "ipc": 6, "cgroup": 7, "time": 8}}}},
                          {{"nspid": [40], "ppid": 1, "comm": "sh", "state": {{"zombie": {{"exited": 3}}}},
                            "ns": {{"pid": 1, "user": 2, "net": 3, "mnt": 4, "uts": 5, "ipc": 6, "cgroup": 7, "time": 8}}}}]}}"#
    );
    let Document::Snapshot(snapshot) = Document::from_json(&json).unwrap() else {
        panic!("not a snapshot")
    };
    let mut world = World::from_snapshot(&snapshot).unwrap();
    assert_eq!(world.zombies(), [Pid(40)]);
    // The pid cursor defaults to the highest pid in use (K8).
    assert_eq!(fork(&mut world, 1), 41);
}

/// A snapshot of a machine's processes, each `(nspid, ppid)`, all in the host's namespaces
/// (ids 1–8), with pid_max and the namespaces' ids given.
fn snapshot_of(processes: &[(&[u32], u32)], pid_max: u32, first_ns: u32) -> String {
    let kinds = ["pid", "user", "net", "mnt", "uts", "ipc", "cgroup", "time"];
    let namespaces: Vec<String> = kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            format!(
                r#"{{"id": {}, "kind": "{kind}", "initial": true}}"#,
                first_ns + i as u32
            )
        })
        .collect();
    let ns: Vec<String> = kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| format!(r#""{kind}": {}"#, first_ns + i as u32))
        .collect();
    let ns = ns.join(", ");
    let processes: Vec<String> = processes
        .iter()
        .map(|(nspid, ppid)| {
            format!(
                r#"{{"nspid": {nspid:?}, "ppid": {ppid}, "comm": "p", "state": "running", "ns": {{{ns}}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"format": "{SNAPSHOT_FORMAT}", "version": {FORMAT_VERSION}, "pid_max": {pid_max},
            "namespaces": [{}], "processes": [{}]}}"#,
        namespaces.join(", "),
        processes.join(", ")
    )
}

fn open(json: &str) -> World {
    let Document::Snapshot(snapshot) = Document::from_json(json).unwrap_or_else(|e| panic!("{e}"))
    else {
        panic!("not a snapshot")
    };
    World::from_snapshot(&snapshot).unwrap()
}

/// Real machines hide the host's init from containers: `ps --json` there starts at pid 2 with
/// ppid 0. Orphans then go to that init outside the model; nothing panics (K13).
#[test]
fn k13_without_a_visible_init_orphans_go_to_the_parent_outside() {
    let mut world = open(&snapshot_of(&[(&[2], 0), (&[3], 2)], 4_194_304, 1));
    exit(&mut world, 3, 0);
    let outcomes = exit(&mut world, 2, 0);
    assert!(
        has(&outcomes, |o| matches!(
            o,
            pauselab_core::Outcome::Reparented {
                child: Pid(3),
                to: Pid(0),
                ..
            }
        )),
        "{outcomes:?}"
    );
    // Both wait for a parent the model does not have.
    assert_eq!(world.zombies(), [Pid(2), Pid(3)]);
    assert!(world.to_string().contains("zombie"));
}

#[test]
fn parent_cycles_are_refused_by_name() {
    let myself = refusal(&snapshot_of(&[(&[1], 0), (&[2], 2)], 4_194_304, 1));
    assert!(myself.contains("process 2 is its own ancestor"), "{myself}");
    let pair = refusal(&snapshot_of(
        &[(&[1], 0), (&[2], 3), (&[3], 2)],
        4_194_304,
        1,
    ));
    assert!(pair.contains("is its own ancestor"), "{pair}");
}

#[test]
fn extreme_numbers_are_refused_or_cost_memory_by_the_process() {
    let huge = refusal(&snapshot_of(
        &[(&[1], 0), (&[4_294_967_294], 1)],
        u32::MAX,
        1,
    ));
    assert!(
        huge.contains("pid_max 4294967295") && huge.contains("4194304"),
        "{huge}"
    );
    // One high pid under the kernel's own limit: the model keeps it sparse, and goes on.
    let mut world = open(&snapshot_of(&[(&[1], 0), (&[4_194_303], 1)], 4_194_304, 1));
    let child = fork(&mut world, 4_194_303);
    assert_eq!(child, 300, "K8: the cursor wraps past pid_max to 300");

    // The last namespace identity: the next namespace is refused, not given a taken id.
    let mut world = open(&snapshot_of(&[(&[1], 0)], 4_194_304, u32::MAX - 7));
    let error = refused(
        &mut world,
        Event::Fork {
            pid: Pid(1),
            new: NsKinds::of(&[NsKind::Net]),
        },
    );
    assert_eq!(error, pauselab_core::ModelError::NoFreeNamespaceId);
    // A plain fork still works, and the world written out reads back.
    fork(&mut world, 1);
    let json = Document::Snapshot(world.to_snapshot()).to_json();
    assert_eq!(open(&json).to_string(), world.to_string());
}

#[test]
fn a_deep_chain_prints_in_text_linear_in_its_length() {
    let mut world = World::new();
    let mut parent = 1;
    for _ in 0..5_000 {
        parent = fork(&mut world, parent);
    }
    let text = world.to_string();
    assert_eq!(text.lines().count(), 5_001);
    assert!(text.len() < 5_001 * 200, "{} bytes", text.len());
    assert!(text.contains("[depth 5000]"));
}

#[test]
fn k19_files_that_contradict_init_death_are_refused() {
    let value = |accepting: bool, state: &str| {
        format!(
            r#"{{"format": "{SNAPSHOT_FORMAT}", "version": {FORMAT_VERSION},
            "namespaces": [{{"id": 1, "kind": "pid"}}, {{"id": 2, "kind": "user"}}, {{"id": 3, "kind": "net", "initial": true}},
                           {{"id": 4, "kind": "mnt", "initial": true}}, {{"id": 5, "kind": "uts", "initial": true}},
                           {{"id": 6, "kind": "ipc", "initial": true}}, {{"id": 7, "kind": "cgroup", "initial": true}},
                           {{"id": 8, "kind": "time", "initial": true}}, {{"id": 9, "kind": "pid", "parent": 1, "accepting": {accepting}}}],
            "processes": [{{"nspid": [1], "ppid": 0, "comm": "init", "state": "running",
                            "ns": {{"pid": 1, "user": 2, "net": 3, "mnt": 4, "uts": 5, "ipc": 6, "cgroup": 7, "time": 8}}}},
                          {{"nspid": [5, 1], "ppid": 1, "comm": "app", "state": {state},
                            "ns": {{"pid": 9, "user": 2, "net": 3, "mnt": 4, "uts": 5, "ipc": 6, "cgroup": 7, "time": 8}}}},
                          {{"nspid": [6, 2], "ppid": 5, "comm": "worker", "state": "running",
                            "ns": {{"pid": 9, "user": 2, "net": 3, "mnt": 4, "uts": 5, "ipc": 6, "cgroup": 7, "time": 8}}}}]}}"#
        )
    };
    let alive = refusal(&value(false, r#""running""#));
    assert!(alive.contains("whose init has died"), "{alive}");
    let exiting = refusal(&value(true, r#"{"exiting": {"signaled": "SIGKILL"}}"#));
    assert!(exiting.contains("still accepts processes"), "{exiting}");
}
