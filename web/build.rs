//! Compiles the guided scenarios for the page: `core/scenarios/*.json`, read and checked here
//! with the core's own reader, written as `core::wire` bytes. The page decodes those, so it
//! carries no JSON reader (serde's code for the scenario format was a sixth of its wasm).
//!
//! Into the page go the list of scenarios (`catalog.wire`: ids and titles) and the first
//! scenario, which the page opens before anything else. Every scenario is also written as
//! `scenarios/<id>.wire`, which `scripts/build-web.sh` copies beside the page: the page fetches
//! one when it is opened, so a visit does not download the steps of sixteen lessons.

use std::path::Path;

use pauselab_core::scenario::Scenario;
use pauselab_core::wire;

fn main() {
    // Scenario::all reads the files the core embedded; a changed file rebuilds the core, and
    // with it this script.
    let scenarios = Scenario::all().unwrap_or_else(|error| {
        // The core's tests say the same, with the step that failed.
        panic!("a scenario file does not read: {error}")
    });
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).to_path_buf();
    let write = |path: &Path, bytes: Vec<u8>| {
        std::fs::write(path, bytes)
            .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()))
    };
    write(&out.join("catalog.wire"), wire::encode_catalog(&scenarios));
    write(
        &out.join("first.wire"),
        wire::encode_scenarios(&scenarios[..scenarios.len().min(1)]),
    );
    let dir = out.join("scenarios");
    // Stale files of renamed scenarios must not ship.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("OUT_DIR is writable");
    for scenario in &scenarios {
        write(
            &dir.join(format!("{}.wire", scenario.id)),
            wire::encode_scenarios(std::slice::from_ref(scenario)),
        );
    }
}
