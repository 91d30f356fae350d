//! A trace over a big world, for the browser's benchmark and its end-to-end test: a container
//! whose app has forked a tree of N processes, then steps of orphaning and reaping (a leaf
//! forks, exits, and the container's init waits) that keep the world's size.

use pauselab_core::{Document, Event, NsKind, NsKinds, Pid, Recorder, WaitTarget, World};

/// The trace as JSON: `processes` processes in the initial snapshot, then `steps` steps.
pub fn big_trace(processes: usize, steps: usize) -> String {
    let mut world = World::new();
    let fork = |world: &mut World, pid: Pid, new: NsKinds| {
        world
            .apply(Event::Fork { pid, new })
            .unwrap_or_else(|e| panic!("fork of {pid}: {e}"));
    };
    // The host's init forks a runtime (2), which starts a container (3, pid 1 inside).
    fork(&mut world, Pid(1), NsKinds::EMPTY);
    fork(&mut world, Pid(2), NsKinds::of(&[NsKind::Pid, NsKind::Net]));
    let mut parent = Pid(3);
    while world.len() < processes {
        fork(&mut world, parent, NsKinds::EMPTY);
        // A tree, not a chain: every tenth process becomes the parent of the next ones.
        if world.len() % 10 == 0 {
            parent = Pid(u32::try_from(world.len()).expect("a test-sized world"));
        }
    }
    let mut recorder = Recorder::new(world, Some(format!("{processes} processes")));
    for _ in 0..steps.div_ceil(4) {
        let leaf = recorder
            .world()
            .processes()
            .last()
            .map_or(Pid(3), |p| p.host_pid());
        // Refusals are recorded as such; the sizes are what matters here.
        let _ = recorder.record(Event::Fork {
            pid: leaf,
            new: NsKinds::EMPTY,
        });
        let _ = recorder.record(Event::Exit { pid: leaf, code: 0 });
        for _ in 0..2 {
            let _ = recorder.record(Event::Wait {
                pid: Pid(3),
                target: WaitTarget::Any,
                nohang: true,
            });
        }
    }
    Document::Trace(recorder.into_trace()).to_json()
}

/// A playground link (the fragment, without `#`) whose one act, after the playground's own
/// step, makes a node of `processes` processes: a pod whose app starts the workers that it
/// takes, for the benchmark of a typed line on a big node (`bench/web.mjs`).
pub fn big_node_link(processes: usize) -> String {
    use pauselab_core::pod::{ContainerSpec, PodSpec, Program};
    use pauselab_core::scenario::Action;
    use pauselab_core::wire;
    let mut pod: PodSpec =
        serde_json::from_str(r#"{"name":"big","containers":[]}"#).expect("a pod's defaults");
    // The host's init and containerd, the playground's pod (shim, pause, app) and this one's
    // shim, pause and app are the other eight.
    let workers = processes.saturating_sub(8);
    pod.containers.push(ContainerSpec {
        name: "app".into(),
        program: Program {
            forks: vec![Program::named("worker"); workers],
            ..Program::named("app")
        },
    });
    let bytes = wire::encode_actions(&[Action::CreatePod { pod }]);
    // Step 1 is the playground's own pod; step 2, after this act.
    format!("s=play&step=2&acts={}", wire::to_base64url(&bytes))
}

#[cfg(test)]
mod tests {
    use pauselab_core::scenario::{Action, Player};
    use pauselab_core::wire;

    #[test]
    fn the_big_nodes_link_makes_a_node_of_that_many_processes() {
        let link = super::big_node_link(1_000);
        let acts = link.split("acts=").nth(1).unwrap();
        let actions = wire::decode_actions(&wire::from_base64url(acts).unwrap()).unwrap();
        let [action @ Action::CreatePod { .. }] = actions.as_slice() else {
            panic!("{actions:?}");
        };
        // Without the playground's pod (three processes of its own).
        let mut player = Player::new();
        assert_eq!(player.perform_action(action).unwrap(), None);
        assert_eq!(player.node().world().len(), 1_000 - 3);
    }
}
