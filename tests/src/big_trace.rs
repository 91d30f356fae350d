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
