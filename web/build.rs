//! Compiles the guided scenarios into the page: `core/scenarios/*.json`, read and checked here
//! with the core's own reader, written as `core::wire` bytes. The page decodes those, so it
//! carries no JSON reader (serde's code for the scenario format was a sixth of its wasm).

use std::path::Path;

use pauselab_core::scenario::Scenario;

fn main() {
    // Scenario::all reads the files the core embedded; a changed file rebuilds the core, and
    // with it this script.
    let scenarios = Scenario::all().unwrap_or_else(|error| {
        // The core's tests say the same, with the step that failed.
        panic!("a scenario file does not read: {error}")
    });
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("scenarios.wire");
    std::fs::write(out, pauselab_core::wire::encode_scenarios(&scenarios))
        .expect("OUT_DIR is writable");
}
