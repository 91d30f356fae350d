//! The browser tutorial end to end: `tests/e2e/tutorial.mjs` drives the built app (dist/,
//! from scripts/build-web.sh) in Debian's headless Chromium with Playwright, served by
//! `pauselab serve`. Screenshots land in tests/artifacts/e2e/.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pauselab_tests::pause::pauselab_cli;
use pauselab_tests::{require, require_browser, workspace_root, Reaped};

/// Longest the whole browser run may take before it is killed.
const LIMIT: Duration = Duration::from_secs(180);

#[test]
#[cfg_attr(
    any(
        pauselab_missing_browser,
        pauselab_missing_root,
        pauselab_missing_containerd
    ),
    ignore = "needs node, chromium, playwright-core, the built tutorial, root and containerd (bash scripts/test.sh sets them up)"
)]
fn the_tutorial_works_end_to_end_in_chromium() {
    let root = workspace_root();
    require(
        root.join("dist/index.html").is_file(),
        "the built tutorial (bash scripts/build-web.sh)",
    );
    require_browser();
    let mut server = Command::new(pauselab_cli())
        .args(["serve", "--dir", "dist", "--addr", "127.0.0.1:0"])
        .current_dir(&root)
        .stdout(Stdio::piped())
        .spawn()
        .expect("pauselab serve starts");
    let stdout = server.stdout.take().expect("piped");
    let server = Reaped(server);
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).unwrap();
    let url = first
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {first:?}"))
        .to_owned();

    let artifacts = root.join("tests/artifacts/e2e");
    std::fs::create_dir_all(&artifacts).unwrap();
    let big_trace = artifacts.join("big.trace.json");
    std::fs::write(&big_trace, pauselab_tests::big_trace::big_trace(400, 20)).unwrap();
    // A real containerd pod of two containers, as `pauselab ps --json` records it.
    let engine = crate::engines::containerd();
    let (pod_json, _) = crate::engines::two_container_pod_snapshot(&engine, "e2e");
    crate::engines::release_containerd(engine);
    let pod_snapshot = artifacts.join("pod.ps.json");
    std::fs::write(&pod_snapshot, pod_json).unwrap();
    let mut node = Reaped(
        Command::new("node")
            .arg(root.join("tests/e2e/tutorial.mjs"))
            .arg(&url)
            .arg(&artifacts)
            .arg(&big_trace)
            .arg(&pod_snapshot)
            .current_dir(&root)
            .spawn()
            .expect("node starts"),
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = node.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < LIMIT,
            "the browser run took over {LIMIT:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    drop(server);
    assert!(status.success(), "tests/e2e/tutorial.mjs failed: {status}");
    assert!(artifacts.join("02-pause-reaps.png").is_file());
}
