//! Helpers for pauselab's cross-crate tests: when a test may skip, and small readers of the
//! artifacts other crates build.

pub mod big_trace;
pub mod fidelity;
pub mod fuzz;
pub mod pause;
pub mod proc;

/// What the end-to-end tests in Chromium need (node, Debian's chromium, playwright-core),
/// required as [`require`] does.
pub fn require_browser() {
    require(crate::pause::have("node"), "node");
    require(
        std::path::Path::new("/usr/bin/chromium").is_file(),
        "Debian's chromium",
    );
    require(
        workspace_root()
            .join("web/node_modules/playwright-core")
            .is_dir(),
        "playwright-core (npm ci in web/)",
    );
}

/// A child killed and waited for when dropped, so that nothing a test starts outlives it,
/// even when an assertion fails first.
#[derive(Debug)]
pub struct Reaped(pub std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
pub mod programs;
pub mod runtimes;
pub mod wasm;

/// Whether this run is CI's (`CI=true`), where a missing tool is a failure, never a skip.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true")
}

/// Checks, when a test starts, what its `#[cfg_attr(pauselab_missing_…, ignore = …)]` promised
/// at build time (see `build.rs`): a test that runs has what it needs, or it fails saying what
/// is missing. It never passes without having run.
pub fn require(available: bool, what: &str) {
    assert!(
        available,
        "{what} is missing{}",
        if in_ci() {
            ": CI=true, so this test must run"
        } else {
            " (it was there when the tests were built: rebuild them)"
        }
    );
}

/// Whether this process runs as root, which namespaces and runtimes need.
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// The workspace's root folder.
pub fn workspace_root() -> std::path::PathBuf {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}
