//! A WebAssembly module that runs the model and exports one function, so that CI can check the
//! core's wasm build imports nothing from the host (no clock, no randomness, no I/O): the
//! `tests` crate builds it and reads its import section.

use pauselab_core::{Event, NsKind, NsKinds, Pid, Signal, World};

/// Runs a small container scenario and returns how many processes are left.
#[no_mangle]
pub extern "C" fn pauselab_probe() -> u32 {
    let mut world = World::new();
    let steps = [
        Event::Fork {
            pid: Pid(1),
            new: NsKinds::EMPTY,
        },
        Event::Fork {
            pid: Pid(2),
            new: NsKinds::of(&[NsKind::Pid, NsKind::Net]),
        },
        Event::Fork {
            pid: Pid(3),
            new: NsKinds::EMPTY,
        },
        Event::Kill {
            pid: Pid(4),
            target: Pid(1),
            signal: Signal::SIGKILL,
        },
        Event::Exit {
            pid: Pid(3),
            code: 0,
        },
    ];
    let mut refused = 0;
    for event in steps {
        refused += u32::from(world.apply(event).is_err());
    }
    // The browser reads and writes snapshots, so the probe exercises serialization too.
    let json = pauselab_core::Document::Snapshot(world.to_snapshot()).to_json();
    world.len() as u32 + refused + u32::from(json.is_empty())
}
