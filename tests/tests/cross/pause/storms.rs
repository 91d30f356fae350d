//! Storms: orphans, forks from four forkers under a pids limit, and 100,000 signals from the
//! host, with pause as pid 1 (K15).

use super::*;

/// Whether pause's namespace holds any zombie, looked at from inside.
#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn k15_an_orphan_storm_costs_pause_no_cpu_and_no_wakeup_and_leaves_no_zombie() {
    needs_a_pid_namespace();
    let pause = PidOne::start(static_pause(), &[]);
    pause.wait_until_waiting_for_signals();
    let (cpu, wakeups) = (
        proc::cpu_ticks(pause.pid).unwrap(),
        proc::voluntary_switches(pause.pid).unwrap(),
    );
    // Each `( true & )` is a subshell whose child outlives it: an orphan handed to pid 1.
    let out =
        pause.sh_inside("i=0; while [ $i -lt 2000 ]; do (true &); i=$((i+1)); done; echo done");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "done");
    let settled = wait_for(LIMIT, || proc::children(pause.pid).is_empty().then_some(()));
    assert!(
        settled.is_some(),
        "pause still has children: {:?}",
        proc::children(pause.pid)
    );
    assert_eq!(
        pause.zombies_inside(),
        "0",
        "no zombie left in the namespace"
    );
    assert_eq!(
        proc::cpu_ticks(pause.pid),
        Some(cpu),
        "the kernel reaped, not pause"
    );
    assert_eq!(
        proc::voluntary_switches(pause.pid),
        Some(wakeups),
        "pause never woke"
    );
}

/// A pids cgroup limiting the processes a storm may make, removed when dropped.
struct PidsLimit(std::path::PathBuf);

impl PidsLimit {
    /// A new cgroup of at most `max` processes (cgroup v1's pids controller, or v2's).
    fn new(max: u32) -> PidsLimit {
        let name = format!("pauselab-storm-{}", std::process::id());
        let v1 = std::path::Path::new("/sys/fs/cgroup/pids");
        let v2 = std::path::Path::new("/sys/fs/cgroup");
        let root = if v1.join("cgroup.procs").exists() {
            v1
        } else {
            let controllers =
                std::fs::read_to_string(v2.join("cgroup.controllers")).unwrap_or_default();
            assert!(
                controllers.split_whitespace().any(|c| c == "pids"),
                "no pids cgroup controller"
            );
            // The root may enable controllers for its children whatever it holds.
            let _ = std::fs::write(v2.join("cgroup.subtree_control"), "+pids");
            v2
        };
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).expect("a cgroup can be made");
        std::fs::write(dir.join("pids.max"), max.to_string()).expect("pids.max can be set");
        PidsLimit(dir)
    }
}

impl Drop for PidsLimit {
    fn drop(&mut self) {
        // Empty once the storm is over; bounded, then given up.
        let _ = wait_for(LIMIT, || std::fs::remove_dir(&self.0).ok());
    }
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn k15_a_fork_storm_from_four_forkers_leaves_no_zombie_and_costs_pause_nothing() {
    needs_a_pid_namespace();
    let pause = PidOne::start(static_pause(), &[]);
    pause.wait_until_waiting_for_signals();
    let (cpu, wakeups) = (
        proc::cpu_ticks(pause.pid).unwrap(),
        proc::voluntary_switches(pause.pid).unwrap(),
    );
    let limit = PidsLimit::new(256);
    // Four forkers in the namespace, 2,500 rounds each: every round a subshell and an orphan,
    // 20,000 short-lived processes in all, never more than 256 at once.
    let script = format!(
        "echo $$ > {procs}; for j in 1 2 3 4; do (i=0; while [ $i -lt 2500 ]; do (true &) 2>/dev/null; i=$((i+1)); done) & done; wait; echo done",
        procs = limit.0.join("cgroup.procs").display()
    );
    let out = pause.sh_inside(&script);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "done",
        "{out:?}"
    );
    let settled = wait_for(LIMIT, || proc::children(pause.pid).is_empty().then_some(()));
    assert!(settled.is_some(), "pause still has children");
    assert_eq!(pause.zombies_inside(), "0", "no zombie left");
    assert_eq!(proc::cpu_ticks(pause.pid), Some(cpu), "pause spent no CPU");
    assert_eq!(
        proc::voluntary_switches(pause.pid),
        Some(wakeups),
        "pause never woke"
    );
    drop(limit);
}

fn rss_kb(pid: u32) -> u64 {
    proc::status_field(pid, "VmRSS")
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("VmRSS")
}

/// The signals of a storm: the common ones, and real-time ones (systemd's SIGRTMIN+3 among
/// them), never SIGINT or SIGTERM (which end it) nor SIGKILL or SIGSTOP.
const STORM: [i32; 12] = [1, 10, 12, 17, 13, 14, 28, 18, 34, 37, 50, 64];

/// 100,000 signals from the host: pause as pid 1 survives them with its memory unchanged, and
/// SIGTERM then ends it as pause.c would; in init mode they reach the command, which lives on.
#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn a_signal_storm_of_100000_leaves_pause_as_it_was() {
    needs_a_pid_namespace();
    let sandbox = PidOne::start(static_pause(), &[]);
    sandbox.wait_until_waiting_for_signals();
    let before = rss_kb(sandbox.pid);
    for n in 0..100_000 {
        let _ = sandbox.signal(STORM[n % STORM.len()]);
    }
    sandbox.wait_until_waiting_for_signals();
    assert_eq!(rss_kb(sandbox.pid), before, "memory unchanged");
    sandbox.signal_from_host("TERM");
    let (code, stderr) = sandbox.wait(LIMIT);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("Shutting down, got signal: Terminated"));

    let mut init = PidOne::start(static_pause(), &["--", catcher(), "--exit-on-term"]);
    let lines = init.lines();
    expect_line(&lines, "ready");
    init.wait_until_waiting_for_signals();
    let before = rss_kb(init.pid);
    let mut sent = 0;
    for n in 0..100_000 {
        // Real-time signals queue; past the queue's limit the kernel says EAGAIN.
        sent += usize::from(init.signal(STORM[n % STORM.len()]));
    }
    assert!(sent > 0);
    assert_eq!(rss_kb(init.pid), before, "memory unchanged");
    init.signal_from_host("TERM");
    // Everything before SIGTERM was forwarded first; the command then ends with 0.
    let arrived = expect_line(&lines, "15");
    assert!(!arrived.is_empty(), "the storm reached the command");
    assert_eq!(init.wait(LIMIT).0, Some(0));
}
