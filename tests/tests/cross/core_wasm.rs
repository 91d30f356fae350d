//! The core builds for wasm32 and imports nothing from its host: no clock, no randomness, no
//! I/O. (quinn-proto checks the same of its wasm build.)

use std::path::PathBuf;
use std::process::Command;

use pauselab_tests::{require, wasm};

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

fn wasm32_installed() -> bool {
    Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|out| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .any(|l| l == "wasm32-unknown-unknown")
        })
}

#[test]
#[cfg_attr(
    pauselab_missing_wasm32,
    ignore = "needs the wasm32-unknown-unknown target (rustup target add)"
)]
fn core_wasm_build_imports_nothing_from_the_host() {
    require(wasm32_installed(), "the wasm32-unknown-unknown target");
    let root = workspace_root();
    let status = Command::new(env!("CARGO"))
        .current_dir(&root)
        .args([
            "build",
            "--quiet",
            "--release",
            "-p",
            "pauselab-core",
            "--example",
            "wasm_probe",
        ])
        .args(["--target", "wasm32-unknown-unknown"])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building the core for wasm32 failed");
    let module = root.join("target/wasm32-unknown-unknown/release/examples/wasm_probe.wasm");
    let bytes = std::fs::read(&module).unwrap_or_else(|e| panic!("{}: {e}", module.display()));
    let imports = wasm::imports(&bytes).expect("a valid module");
    assert!(
        imports.is_empty(),
        "pauselab-core's wasm build imports {imports:?}"
    );
}
