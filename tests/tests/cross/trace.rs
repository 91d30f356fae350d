//! `pauselab trace`: a real command's forks, execs, exits, reparenting and reaping, recorded in
//! the model's trace format; the model accepts every step and ends with the kernel's table.

use std::process::Command;

use pauselab_core::{Document, Outcome, Pid};
use pauselab_tests::pause::pauselab_cli;
use pauselab_tests::{is_root, require};

#[test]
#[cfg_attr(
    pauselab_missing_root,
    ignore = "needs root (ptrace in a pid namespace)"
)]
fn trace_records_an_orphan_reparented_to_the_namespace_init_and_reaped() {
    require(is_root(), "root");
    let out_file = std::env::temp_dir().join(format!("pauselab-trace-{}.json", std::process::id()));
    // The subshell's sleep outlives it: an orphan handed to sh, pid 1 of the fresh namespace (K13).
    let out = Command::new(pauselab_cli())
        .arg("trace")
        .arg("--out")
        .arg(&out_file)
        .args(["--", "sh", "-c", "(sleep 0.05 &); sleep 0.3; exit 3"])
        .output()
        .expect("pauselab runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(3),
        "the command's status passes through: {stderr}"
    );
    assert!(
        !stderr.contains("refused") && !stderr.contains("the kernel gave"),
        "the model followed the kernel: {stderr}"
    );
    let text = std::fs::read_to_string(&out_file).expect("the trace was written");
    let _ = std::fs::remove_file(&out_file);
    let Document::Trace(trace) = Document::from_json(&text).expect("it replays") else {
        panic!("not a trace")
    };
    let outcomes: Vec<&Outcome> = trace.steps.iter().flat_map(|s| &s.outcomes).collect();
    assert!(trace.steps.iter().all(|s| s.error.is_none()));
    assert!(
        outcomes
            .iter()
            .any(|o| matches!(o, Outcome::Reparented { to: Pid(3), .. })),
        "the orphan went to sh"
    );
    let reaped = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Reaped { .. }))
        .count();
    assert!(
        reaped >= 3,
        "sh reaped its children and the orphan, the recorder reaped sh: {reaped}"
    );
    // Like the kernel's at the end: nothing is left of the command's namespace.
    let world = trace.replay().unwrap();
    assert_eq!(
        world.len(),
        2,
        "only the host's init and the recorder remain:\n{world}"
    );
}

/// Runs `pauselab trace` on a script and returns its trace and stderr; it must succeed.
fn traced(script: &str) -> (pauselab_core::Trace, String) {
    let out_file = std::env::temp_dir().join(format!(
        "pauselab-trace-{}-{}.json",
        std::process::id(),
        script.len()
    ));
    let out = Command::new(pauselab_cli())
        .arg("trace")
        .arg("--out")
        .arg(&out_file)
        .args(["--", "sh", "-c", script])
        .output()
        .expect("pauselab runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let text = std::fs::read_to_string(&out_file).unwrap_or_default();
    let _ = std::fs::remove_file(&out_file);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let Document::Trace(trace) = Document::from_json(&text).expect("it replays") else {
        panic!("not a trace")
    };
    (trace, stderr)
}

/// Forks racing in parallel tracees: 2,000 double forks (a child forks and both exit), and four
/// forkers at once. Every fork, exit and wait is recorded in the kernel's order: the model
/// refuses nothing, no warning is printed, and the replay ends where the kernel did (K8, K13).
#[test]
#[cfg_attr(
    pauselab_missing_root,
    ignore = "needs root (ptrace in a pid namespace)"
)]
fn k8_k13_racing_double_forks_are_recorded_in_the_kernels_order() {
    require(is_root(), "root");
    for (script, forks) in [
        (
            "i=0; while [ $i -lt 2000 ]; do ( (exit 0) & ); i=$((i+1)); done; wait",
            4_000,
        ),
        (
            "for j in 1 2 3 4; do (i=0; while [ $i -lt 250 ]; do ( (exit 0) & ); i=$((i+1)); done) & done; wait",
            2_000,
        ),
    ] {
        let (trace, stderr) = traced(script);
        assert!(
            !stderr.contains("pauselab trace:"),
            "no warning: {stderr}"
        );
        assert!(trace.steps.iter().all(|s| s.error.is_none()), "nothing refused");
        let count = |wanted: fn(&Outcome) -> bool| {
            trace
                .steps
                .iter()
                .flat_map(|s| &s.outcomes)
                .filter(|o| wanted(o))
                .count()
        };
        assert!(count(|o| matches!(o, Outcome::Forked { .. })) >= forks, "{script}");
        assert!(count(|o| matches!(o, Outcome::Reparented { .. })) >= forks / 2);
        // Every child is released: by a wait, or — one still running when the shell, the
        // namespace's init, exits (a loaded machine makes that likely) — killed and reaped at
        // once, the dying init ignoring SIGCHLD (K19).
        let released = |o: &Outcome| matches!(o, Outcome::Reaped { .. } | Outcome::AutoReaped { .. });
        assert!(count(released) >= forks);
        let world = trace.replay().unwrap();
        assert_eq!(world.len(), 2, "the namespace is empty, as the kernel's is");
    }
}

#[test]
#[cfg_attr(
    pauselab_missing_root,
    ignore = "needs root (ptrace in a pid namespace)"
)]
fn an_unwritable_out_file_is_refused_before_the_command_runs() {
    require(is_root(), "root");
    let marker = std::env::temp_dir().join(format!("pauselab-ran-{}", std::process::id()));
    let out = Command::new(pauselab_cli())
        .args([
            "trace",
            "--out",
            "/nonexistent/dir/trace.json",
            "--",
            "touch",
        ])
        .arg(&marker)
        .output()
        .expect("pauselab runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("cannot write the trace to /nonexistent/dir/trace.json"));
    assert!(!marker.exists(), "the command did not run");
}
