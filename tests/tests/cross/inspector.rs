//! The inspector on a node, through Kubernetes' own CRI: `pauselab serve --live` from its
//! image (scripts/inspector-image.sh), as deploy/inspector.yaml runs it — a hostPID pod, every capability dropped but
//! SYS_PTRACE, a read-only root, the runtime's state mounted read-only, the token from the
//! environment — on the tests' containerd beside a two-container pod, which its snapshot must
//! label container by container. The same pod without SYS_PTRACE shows why that grant is
//! there: the other pods' processes cannot be read at all.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use k8s_cri::v1::{
    Capability, ContainerConfig, ContainerMetadata, ImageSpec, Int64Value, KeyValue,
    LinuxContainerConfig, LinuxContainerSecurityContext, LinuxPodSandboxConfig,
    LinuxSandboxSecurityContext, Mount, NamespaceMode, NamespaceOption, PodSandboxConfig,
    PodSandboxMetadata,
};
use pauselab_core::format::Engine as Runtime;
use pauselab_core::scenario::Action;
use pauselab_core::{Document, Snapshot};
use pauselab_tests::pause::wait_for;
use pauselab_tests::runtimes::kubelet::{verbose_info, RealNode};
use pauselab_tests::{require, workspace_root};

const TOKEN: &str = "inspector-test-token";
const IMAGE: &str = "localhost/pauselab-inspector:test";

/// `GET /live/snapshot` with the token, from inside the pod's network namespace (the tests'
/// CNI lets no packet leave a pod): on a thread of its own that joins it.
fn snapshot(netns: &Path) -> Option<Snapshot> {
    let netns = netns.to_owned();
    std::thread::spawn(move || {
        let file = std::fs::File::open(&netns).ok()?;
        nix::sched::setns(file, nix::sched::CloneFlags::CLONE_NEWNET).ok()?;
        get_snapshot()
    })
    .join()
    .ok()
    .flatten()
}

fn get_snapshot() -> Option<Snapshot> {
    let mut stream = TcpStream::connect(("127.0.0.1", 8080)).ok()?;
    stream
        .set_write_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET /live/snapshot HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let answer = String::from_utf8_lossy(&answer);
    let (head, body) = answer.split_once("\r\n\r\n")?;
    if !head.starts_with("HTTP/1.1 200") {
        return None;
    }
    match Document::from_json(body.trim()).ok()? {
        Document::Snapshot(snapshot) => Some(snapshot),
        Document::Trace(_) => None,
    }
}

/// Runs the inspector pod with `capabilities` added to none; its network namespace and
/// sandbox id.
fn inspector(
    engine: &crate::engines::Engine,
    attempt: u32,
    capabilities: &[&str],
) -> (PathBuf, String) {
    let options = NamespaceOption {
        pid: NamespaceMode::Node as i32,
        ..NamespaceOption::default()
    };
    let uid = format!("inspector-{attempt}");
    let sandbox_config = PodSandboxConfig {
        metadata: Some(PodSandboxMetadata {
            name: "inspector".into(),
            uid: uid.clone(),
            namespace: "pauselab".into(),
            attempt,
        }),
        hostname: "inspector".into(),
        linux: Some(LinuxPodSandboxConfig {
            cgroup_parent: format!("/{}/pod{uid}", engine.containerd.cgroup_parent),
            security_context: Some(LinuxSandboxSecurityContext {
                namespace_options: Some(options.clone()),
                ..LinuxSandboxSecurityContext::default()
            }),
            ..LinuxPodSandboxConfig::default()
        }),
        ..PodSandboxConfig::default()
    };
    let sandbox = engine
        .cri
        .run_pod_sandbox(&sandbox_config)
        .expect("the sandbox runs");
    // Only the shims' bundles, where they are on the host (the manifest's one runtime mount).
    let state = engine
        .containerd
        .dir()
        .join("state/io.containerd.runtime.v2.task")
        .display()
        .to_string();
    let config = ContainerConfig {
        metadata: Some(ContainerMetadata {
            name: "inspector".into(),
            attempt: 0,
        }),
        image: Some(ImageSpec {
            image: IMAGE.into(),
            ..ImageSpec::default()
        }),
        envs: vec![KeyValue {
            key: "PAUSELAB_TOKEN".into(),
            value: TOKEN.into(),
        }],
        mounts: vec![Mount {
            container_path: state.clone(),
            host_path: state,
            readonly: true,
            ..Mount::default()
        }],
        linux: Some(LinuxContainerConfig {
            security_context: Some(LinuxContainerSecurityContext {
                capabilities: Some(Capability {
                    add_capabilities: capabilities.iter().map(|c| (*c).into()).collect(),
                    drop_capabilities: vec!["ALL".into()],
                    ..Capability::default()
                }),
                namespace_options: Some(options),
                readonly_rootfs: true,
                no_new_privs: true,
                run_as_user: Some(Int64Value { value: 0 }),
                ..LinuxContainerSecurityContext::default()
            }),
            ..LinuxContainerConfig::default()
        }),
        ..ContainerConfig::default()
    };
    engine
        .cri
        .create_and_start(&sandbox, config, &sandbox_config)
        .expect("the inspector starts");
    let status = engine.cri.pod_sandbox_status(&sandbox).expect("its status");
    let (_, netns) = verbose_info(&status.info);
    let netns = netns.expect("the sandbox has a network namespace");
    engine.containerd.remember_netns(netns.clone());
    (netns, sandbox)
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_containerd),
    ignore = "needs root and containerd"
)]
fn k24_the_inspector_as_a_hostpid_pod_labels_the_other_pods_containers() {
    let root = workspace_root();
    require(
        root.join("dist/live/index.html").is_file(),
        "the built tutorial (bash scripts/build-web.sh), which the image serves",
    );
    let engine = crate::engines::containerd();
    // The image as an operator builds it.
    let built = std::process::Command::new("bash")
        .arg("scripts/inspector-image.sh")
        .arg(IMAGE)
        .current_dir(&root)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("bash runs");
    assert!(built.success(), "scripts/inspector-image.sh failed");
    engine
        .containerd
        .import_archive(&root.join("target/inspector-image/pauselab-inspector.oci.tar"))
        .expect("the image imports");
    let mut real = RealNode::new(&engine.cri, &engine.containerd, "inspected");
    real.act(&Action::CreatePod {
        pod: crate::engines::two_container_pod(false),
    })
    .unwrap_or_else(|e| panic!("the pod did not start: {e}"));
    let app = real.pods["web"].containers[0].init;

    for (attempt, capabilities) in [(0, &["SYS_PTRACE"][..]), (1, &[][..])] {
        let (netns, sandbox) = inspector(&engine, attempt, capabilities);
        let look = wait_for(Duration::from_secs(20), || snapshot(&netns)).unwrap_or_else(|| {
            panic!(
                "the inspector in {} never answered:\n{}",
                netns.display(),
                engine.containerd.log_tail()
            )
        });
        let label_of = |pid: u32| {
            look.processes.iter().find(|p| p.nspid[0] == pid).map(|p| {
                p.container
                    .as_ref()
                    .map(|l| (l.engine, format!("{}/{}", l.pod, l.container)))
            })
        };
        if capabilities.is_empty() {
            assert_eq!(
                label_of(app),
                None,
                "without SYS_PTRACE the app's namespaces cannot be read"
            );
        } else {
            assert_eq!(
                label_of(app),
                Some(Some((Runtime::Containerd, "web/app".into()))),
                "the app is labelled"
            );
            let mut labels: Vec<String> = look
                .processes
                .iter()
                .filter_map(|p| p.container.as_ref())
                .map(|l| format!("{}/{}", l.pod, l.container))
                .collect();
            labels.sort();
            labels.dedup();
            for expected in [
                "web/POD",
                "web/app",
                "web/sidecar",
                "inspector/POD",
                "inspector/inspector",
            ] {
                assert!(
                    labels.iter().any(|l| l == expected),
                    "{expected} in {labels:?}"
                );
            }
        }
        engine
            .cri
            .stop_pod_sandbox(&sandbox)
            .expect("the inspector stops");
        engine
            .cri
            .remove_pod_sandbox(&sandbox)
            .expect("the inspector is removed");
    }
    real.clear()
        .unwrap_or_else(|e| panic!("the pod was not removed: {e}"));
    drop(real);
    crate::engines::release_containerd(engine);
}

/// The manifest asks for what the test above runs the inspector with, and for nothing more.
#[test]
fn the_manifest_grants_what_the_inspector_was_measured_to_need_and_nothing_more() {
    let manifest =
        std::fs::read_to_string(pauselab_tests::workspace_root().join("deploy/inspector.yaml"))
            .expect("deploy/inspector.yaml");
    let lines: Vec<&str> = manifest
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .collect();
    for wanted in [
        "hostPID: true",
        "drop: [\"ALL\"]",
        "add: [\"SYS_PTRACE\"]",
        "readOnlyRootFilesystem: true",
        "allowPrivilegeEscalation: false",
        "automountServiceAccountToken: false",
        "- name: PAUSELAB_TOKEN",
        "httpGet: { path: /healthz, port: http }",
    ] {
        assert!(lines.contains(&wanted), "the manifest says {wanted}");
    }
    for never in ["hostNetwork: true", "privileged: true", "hostIPC: true"] {
        assert!(!lines.contains(&never), "the manifest never says {never}");
    }
    let mounts: Vec<&&str> = lines.iter().filter(|l| l.contains("mountPath:")).collect();
    assert!(
        mounts.iter().all(|l| l.contains("readOnly: true")),
        "{mounts:?}"
    );
}
