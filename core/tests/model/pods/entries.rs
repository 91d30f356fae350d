//! Entering a container that has exited: kubelet, containerd's ExecSync and its debug-target
//! check each refuse in their own words, and the refusal changes nothing.

use pauselab_core::pod::{ContainerRef, Entry, Node, PodError, Program, Refusal};
use pauselab_core::text::{Language, Say};

use super::pod;

/// A pod whose only container has been stopped (its first process is gone).
fn exited() -> (Node, ContainerRef) {
    let mut node = Node::new();
    node.create_pod(pod("web", &["app"])).unwrap();
    let app = ContainerRef::new("web", "app");
    node.stop_container(&app).unwrap();
    (node, app)
}

fn refusal(result: Result<(), PodError>, entry: Entry) -> PodError {
    let error = result.unwrap_err();
    assert_eq!(error.kind(), Refusal::NotRunning, "{error}");
    match &error {
        PodError::NotRunning { entry: found, .. } => assert_eq!(*found, entry),
        other => panic!("not a NotRunning refusal: {other}"),
    }
    error
}

#[test]
fn kubectl_exec_into_an_exited_container_gets_kubelets_container_not_found() {
    let (mut node, app) = exited();
    let before = format!("{:?}", node.world());
    let error = refusal(
        node.exec_into(&app, &Program::named("sh")).map(|_| ()),
        Entry::KubectlExec,
    );
    assert_eq!(
        error.say(Language::English),
        "error: unable to upgrade connection: container not found (\"app\")"
    );
    let korean = error.say(Language::Korean);
    assert!(korean.contains("kubelet"), "{korean}");
    assert!(korean.contains("container not found (\"app\")"), "{korean}");
    assert_eq!(
        format!("{:?}", node.world()),
        before,
        "a refusal changes nothing"
    );
}

#[test]
fn a_probe_into_an_exited_container_gets_containerds_exec_sync_answer() {
    let (mut node, app) = exited();
    let error = refusal(node.exec_probe(&app), Entry::ExecProbe);
    assert_eq!(
        error.say(Language::English),
        "container is in CONTAINER_EXITED state"
    );
}

#[test]
fn kubectl_debug_targeting_an_exited_container_gets_containerds_target_check() {
    let (mut node, app) = exited();
    let error = refusal(
        node.debug_container(&app, &Program::named("sh"))
            .map(|_| ()),
        Entry::DebugTarget,
    );
    assert_eq!(
        error.say(Language::English),
        "invalid target container: container \"app\" is not running - in state CONTAINER_EXITED"
    );
}
