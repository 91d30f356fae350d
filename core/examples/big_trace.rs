//! Writes a trace over a world of N processes (default 1,000) for the browser benchmark: the
//! world is built in the trace's initial snapshot, then STEPS steps of orphaning and reaping
//! (fork, exit, reparent to init, reap) keep its size.
//!
//! `cargo run -p pauselab-core --example big_trace -- 1000 200 > big.json`

use pauselab_core::{Document, Event, NsKind, NsKinds, Pid, Recorder, WaitTarget, World};

fn main() {
    let mut args = std::env::args().skip(1);
    let processes: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let steps: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let mut world = World::new();
    // A runtime and a container whose app forks the rest, as in a busy pod.
    let fork = |world: &mut World, pid: u32, new: NsKinds| {
        world
            .apply(Event::Fork { pid: Pid(pid), new })
            .unwrap_or_else(|e| panic!("fork of {pid}: {e}"));
    };
    fork(&mut world, 1, NsKinds::EMPTY);
    fork(&mut world, 2, NsKinds::of(&[NsKind::Pid, NsKind::Net]));
    let mut parent = 3;
    while (world.len() as u32) < processes {
        fork(&mut world, parent, NsKinds::EMPTY);
        // A tree, not a chain: every tenth process is a parent of the next ones.
        if world.len() % 10 == 0 {
            parent = world.len() as u32;
        }
    }
    let mut recorder = Recorder::new(world, Some(format!("{processes} processes")));
    let last = |recorder: &Recorder| recorder.world().processes().last().map(|p| p.host_pid());
    for _ in 0..steps / 4 {
        let leaf = last(&recorder).unwrap_or(Pid(3));
        // The leaf forks a child, exits (the child goes to the container's init), and init reaps.
        let _ = recorder.record(Event::Fork {
            pid: leaf,
            new: NsKinds::EMPTY,
        });
        let _ = recorder.record(Event::Exit { pid: leaf, code: 0 });
        let _ = recorder.record(Event::Wait {
            pid: Pid(3),
            target: WaitTarget::Any,
            nohang: true,
        });
        let _ = recorder.record(Event::Wait {
            pid: Pid(3),
            target: WaitTarget::Any,
            nohang: true,
        });
    }
    println!("{}", Document::Trace(recorder.into_trace()).to_json());
}
