//! `pauselab pod run` builds a real pod whose namespace sharing and pids are those of the
//! model's pod for the same spec (K24, K25), up to identities.

use std::collections::BTreeSet;
use std::process::Command;

use pauselab_core::pod::{ContainerSpec, Node, PodSpec, Program};
use pauselab_core::NsKind;
use pauselab_tests::pause::{pauselab_cli, static_pause};
use pauselab_tests::{is_root, require};

/// The groups of holders per kind, from `pod run`'s namespace table (`kind identity holders`).
fn real_groups(stdout: &str, kind: &str) -> BTreeSet<String> {
    stdout
        .lines()
        .filter(|line| line.split_whitespace().next() == Some(kind))
        .map(|line| {
            line.split_whitespace()
                .skip(2)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The same groups from the model's pod: pause and containers c1, c2… grouped by identity.
fn model_groups(node: &Node, kind: NsKind) -> BTreeSet<String> {
    let pod = node.pod("p").expect("created");
    let mut holders: Vec<(String, pauselab_core::NsId)> = vec![(
        "pause".into(),
        node.world()
            .process(pod.pause)
            .unwrap()
            .namespaces()
            .get(kind),
    )];
    for (index, container) in pod.containers.iter().enumerate() {
        holders.push((
            format!("c{}", index + 1),
            node.world()
                .process(container.init)
                .unwrap()
                .namespaces()
                .get(kind),
        ));
    }
    let ids: BTreeSet<_> = holders.iter().map(|(_, id)| *id).collect();
    ids.into_iter()
        .map(|id| {
            holders
                .iter()
                .filter(|(_, h)| *h == id)
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect()
}

fn compare(share_pid: bool, host_network: bool) {
    let mut args = vec!["pod", "run", "--pause"];
    let pause = static_pause().to_string_lossy().into_owned();
    args.push(&pause);
    if share_pid {
        args.push("--share-pid");
    }
    if host_network {
        args.push("--host-network");
    }
    // exec: the containers start no process of their own, so the pids are the model's exactly.
    args.extend(["--", "exec sleep 1", "exec sleep 1"]);
    let out = Command::new(pauselab_cli())
        .args(&args)
        .output()
        .expect("pauselab runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{args:?}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("pod: torn down"));

    let mut node = Node::new();
    let containers = (1..=2)
        .map(|i| ContainerSpec {
            name: format!("c{i}"),
            program: Program::named("sh"),
        })
        .collect();
    let spec = PodSpec {
        name: "p".into(),
        containers,
        share_process_namespace: share_pid,
        host_network,
        host_pid: false,
        host_ipc: false,
        flavor: Default::default(),
        pause_ipc: pauselab_core::pod::IpcMode::shareable(),
    };
    node.create_pod(spec).unwrap();
    for kind in [NsKind::Net, NsKind::Ipc, NsKind::Uts, NsKind::Pid] {
        assert_eq!(
            real_groups(&stdout, kind.name()),
            model_groups(&node, kind),
            "{kind} (share_pid {share_pid}, host_network {host_network})\n{stdout}"
        );
    }
    // Pids inside the pod: the last NSpid of pause and of each container's first process, the
    // children of pauselab at the top of the tree.
    let inner: Vec<u32> = stdout
        .lines()
        .filter(|line| {
            line.contains("NSpid") && (line.starts_with("├─ ") || line.starts_with("└─ "))
        })
        .filter_map(|line| {
            line.split("NSpid")
                .nth(1)?
                .split_whitespace()
                .take_while(|w| w.parse::<u32>().is_ok())
                .last()?
                .parse()
                .ok()
        })
        .collect();
    let p = node.pod("p").unwrap();
    let model_inner: Vec<u32> = std::iter::once(p.pause)
        .chain(p.containers.iter().map(|c| c.init))
        .map(|pid| *node.world().process(pid).unwrap().nspid().last().unwrap())
        .collect();
    assert_eq!(inner, model_inner, "{stdout}");
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (namespaces)")]
fn k24_k25_pod_run_shares_like_the_models_pod() {
    require(is_root(), "root");
    compare(false, false);
    compare(true, false);
    compare(true, true);
}

#[test]
#[cfg_attr(pauselab_missing_root, ignore = "needs root (namespaces)")]
fn pod_run_without_a_pause_binary_says_so() {
    require(is_root(), "root");
    let out = Command::new(pauselab_cli())
        .args(["pod", "run", "--pause", "/nonexistent/pause", "--", "true"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no pause binary at /nonexistent/pause"));
}
