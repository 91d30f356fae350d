//! The real engines this binary's tests share: one containerd, started by the first test that
//! asks and stopped by the last, which checks that nothing was left behind.

use std::process::Command;
use std::sync::{Arc, Mutex, Weak};

use pauselab_core::pod::{ContainerSpec, PodSpec, Program};
use pauselab_core::scenario::Action;
use pauselab_tests::pause::{have, pauselab_cli, static_pause, static_puppet};
use pauselab_tests::runtimes::containerd::Containerd;
use pauselab_tests::runtimes::cri::Cri;
use pauselab_tests::runtimes::kubelet::RealNode;
use pauselab_tests::runtimes::{release, shared};
use pauselab_tests::{is_root, proc, require};

/// containerd and its CRI client.
pub struct Engine {
    pub containerd: Containerd,
    pub cri: Cri,
}

/// The shared containerd.
pub fn containerd() -> Arc<Engine> {
    static SHARED: Mutex<Weak<Engine>> = Mutex::new(Weak::new());
    shared(&SHARED, || {
        require(is_root(), "root");
        require(have("containerd"), "containerd (Debian package containerd)");
        require(have("ctr"), "ctr (Debian package containerd)");
        let (containerd, cri) = Containerd::start(static_pause(), static_puppet())
            .unwrap_or_else(|why| panic!("containerd did not start: {why}"));
        Engine { containerd, cri }
    })
}

/// Lets go of it; the last user stops it and checks what it left.
pub fn release_containerd(engine: Arc<Engine>) {
    release(engine, |Engine { containerd, cri }| {
        let sandboxes = cri.list_pod_sandboxes().unwrap_or_default();
        drop(cri);
        let left = containerd.shutdown();
        assert!(sandboxes.is_empty(), "sandboxes left: {sandboxes:?}");
        assert!(left.is_empty(), "containerd left things behind: {left:#?}");
    });
}

/// The pod `web` of two containers, `app` and `sidecar`, sharing pause's pid namespace or not
/// (`shareProcessNamespace`).
pub fn two_container_pod(share_pid: bool) -> PodSpec {
    let containers = ["app", "sidecar"]
        .iter()
        .map(|name| ContainerSpec {
            name: (*name).into(),
            program: Program::named(name),
        })
        .collect();
    PodSpec {
        name: "web".into(),
        containers,
        share_process_namespace: share_pid,
        host_network: false,
        host_pid: false,
        host_ipc: false,
        flavor: Default::default(),
        pause_ipc: pauselab_core::pod::IpcMode::Shareable,
    }
}

/// A real pod `web` with two containers, `app` and `sidecar`, as `pauselab ps --json --pid
/// <its shim>` writes it (labelled with pods and containers); the pod is removed after.
/// Returns the snapshot and the shim's parent's pid.
pub fn two_container_pod_snapshot(engine: &Engine, tag: &str) -> (String, u32) {
    let mut real = RealNode::new(&engine.cri, &engine.containerd, tag);
    real.act(&Action::CreatePod {
        pod: two_container_pod(false),
    })
    .unwrap_or_else(|e| panic!("the pod did not start: {e}"));
    let pause = real.pods["web"].pause;
    let shim: u32 = proc::status_field(pause, "PPid")
        .and_then(|p| p.parse().ok())
        .expect("pause has a parent");
    let shim_parent: u32 = proc::status_field(shim, "PPid")
        .and_then(|p| p.parse().ok())
        .expect("the shim has a parent");
    let out = Command::new(pauselab_cli())
        .args(["ps", "--json", "--pid", &shim.to_string()])
        .output()
        .expect("pauselab runs");
    assert!(
        out.status.success(),
        "pauselab ps --json: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    real.clear()
        .unwrap_or_else(|e| panic!("the pod was not removed: {e}"));
    (
        String::from_utf8(out.stdout).expect("JSON is UTF-8"),
        shim_parent,
    )
}
