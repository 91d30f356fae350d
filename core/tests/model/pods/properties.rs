//! Property tests over random pod specs and operations: pods share what their spec says, and
//! every operation keeps the kernel's invariants.

use pauselab_core::pod::{ContainerRef, ContainerSpec, Flavor, IpcMode, Node, PodSpec, Program};
use pauselab_core::{NsKind, Pid};
use proptest::prelude::*;

use super::ns;
use crate::state_machine::invariants;

fn spec_strategy() -> impl Strategy<Value = PodSpec> {
    (
        1usize..4,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop_oneof![Just(Flavor::Containerd), Just(Flavor::Dockershim)],
    )
        .prop_filter("K25 refuses both", |(_, share, _, host_pid, _, _)| {
            !(*share && *host_pid)
        })
        .prop_map(
            |(n, share, host_network, host_pid, host_ipc, flavor)| PodSpec {
                name: "p".into(),
                containers: (0..n)
                    .map(|i| ContainerSpec {
                        name: format!("c{i}"),
                        program: Program::named("app"),
                    })
                    .collect(),
                share_process_namespace: share,
                host_network,
                host_pid,
                host_ipc,
                flavor,
                pause_ipc: IpcMode::Shareable,
            },
        )
}

#[derive(Clone, Debug)]
enum Op {
    Probe(usize),
    Exec(usize),
    Stop(usize),
    Restart(usize),
    KillPause,
    Delete,
}

fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..3).prop_map(Op::Probe),
        (0usize..3).prop_map(Op::Exec),
        (0usize..3).prop_map(Op::Stop),
        (0usize..3).prop_map(Op::Restart),
        Just(Op::KillPause),
        Just(Op::Delete),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    /// Containers share exactly the kinds the spec says, with pause's identity or the host's,
    /// and no pod operation breaks the kernel model's invariants.
    #[test]
    fn pods_share_what_their_spec_says_and_ops_keep_the_invariants(spec in spec_strategy(), ops in prop::collection::vec(op_strategy(), 0..8)) {
        let mut node = Node::new();
        node.create_pod(spec.clone()).unwrap();
        invariants::check(node.world());
        let web = node.pod("p").unwrap().clone();
        let host = |kind| ns(&node, Pid(1), kind);
        for container in &web.containers {
            let shares = |kind| ns(&node, container.init, kind) == ns(&node, web.pause, kind);
            prop_assert!(shares(NsKind::Net));
            prop_assert_eq!(shares(NsKind::Ipc), true);
            prop_assert_eq!(shares(NsKind::Uts), spec.flavor == Flavor::Containerd || spec.host_network);
            prop_assert_eq!(shares(NsKind::Pid), spec.share_process_namespace || spec.host_pid);
            prop_assert_eq!(ns(&node, container.init, NsKind::Net) == host(NsKind::Net), spec.host_network);
            prop_assert_eq!(ns(&node, container.init, NsKind::Ipc) == host(NsKind::Ipc), spec.host_ipc);
            prop_assert_eq!(ns(&node, container.init, NsKind::Pid) == host(NsKind::Pid), spec.host_pid);
            prop_assert!(!shares(NsKind::Mnt), "every container has its own mounts");
        }
        for op in ops {
            let name = |i: usize| format!("c{}", i % spec.containers.len());
            let before = format!("{:?}", node.world());
            let result = match op {
                Op::Probe(i) => node.exec_probe(&ContainerRef::new("p", name(i))),
                Op::Exec(i) => node.exec_into(&ContainerRef::new("p", name(i)), &Program::named("sh")).map(|_| ()),
                Op::Stop(i) => node.stop_container(&ContainerRef::new("p", name(i))),
                Op::Restart(i) => node.restart_container(&ContainerRef::new("p", name(i))),
                Op::KillPause => node.kill_pause("p"),
                Op::Delete => node.delete_pod("p"),
            };
            if result.is_err() {
                prop_assert_eq!(format!("{:?}", node.world()), before, "a refused pod operation changed the node");
            }
            invariants::check(node.world());
            let zombies_of_runtime = node.world().zombies().into_iter().filter(|z| {
                node.world().process(*z).is_some_and(|p| p.parent() == node.runtime())
            }).count();
            prop_assert_eq!(zombies_of_runtime, 0, "the runtime reaps its own children");
        }
    }
}
