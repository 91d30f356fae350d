//! The static `pause` as pid 1 of real pid namespaces (K14, K15, K17, K19, K20), and its init
//! mode. Root is needed; CI runs these as root.

use std::process::Command;
use std::time::Duration;

use pauselab_tests::pause::{have, static_pause, wait_for, PidOne};
use pauselab_tests::{is_root, proc, require};

/// pid 1 of a fresh pid namespace needs root and util-linux's unshare and nsenter.
fn needs_a_pid_namespace() {
    require(is_root(), "root");
    require(
        have("unshare") && have("nsenter"),
        "util-linux unshare and nsenter",
    );
}

const LIMIT: Duration = Duration::from_secs(20);

#[test]
fn k20_version_flag_in_any_position() {
    for args in [&["-v"][..], &["-V"], &["x", "-v"]] {
        let out = Command::new(static_pause())
            .args(args)
            .output()
            .expect("pause runs");
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stdout).starts_with("pause.c v3.10"),
            "{args:?}"
        );
    }
}

#[test]
fn k20_not_pid_1_warns_and_keeps_running_then_term_exits_0() {
    use std::io::{BufRead, Read};

    let mut child = KillOnDrop(
        Command::new(static_pause())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("runs"),
    );
    // The warning comes first; then pause must still be there, sleeping.
    let mut stderr = std::io::BufReader::new(child.0.stderr.take().expect("piped"));
    let mut warning = String::new();
    stderr
        .read_line(&mut warning)
        .expect("pause writes its warning");
    assert!(
        warning.contains("Warning: pause should be the first process"),
        "{warning}"
    );
    // It goes on to sleep in sigwait (the kernel's do_sigtimedwait).
    let pid = child.0.id();
    let in_sigwait = || {
        let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan")).ok()?;
        wchan.starts_with("do_sigtimedwait").then_some(())
    };
    assert!(
        wait_for(LIMIT, in_sigwait).is_some(),
        "pause did not go on to wait for SIGTERM"
    );
    assert!(
        child.0.try_wait().unwrap().is_none(),
        "a warning is not a reason to stop"
    );
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.0.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .expect("pause can be signalled");
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert!(
        rest.contains("Shutting down, got signal: Terminated"),
        "{rest}"
    );
    assert_eq!(child.0.wait().unwrap().code(), Some(0));
}

/// A child that is killed if the test ends early, so that nothing outlives the test.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if self.0.try_wait().is_ok_and(|status| status.is_none()) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn k20_term_and_int_make_pid_1_exit_0_with_the_message() {
    needs_a_pid_namespace();
    for (signal, words) in [("TERM", "Terminated"), ("INT", "Interrupt")] {
        let pause = PidOne::start(static_pause(), &[]);
        std::thread::sleep(Duration::from_millis(100));
        pause.signal_from_host(signal);
        let (code, stderr) = pause.wait(LIMIT);
        assert_eq!(code, Some(0), "{signal}: {stderr}");
        assert!(
            stderr.contains(&format!("Shutting down, got signal: {words}")),
            "{stderr}"
        );
        assert!(!stderr.contains("Warning"), "pause was pid 1");
    }
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn k17_hup_usr1_and_kill_from_inside_change_nothing_while_kill_from_the_host_kills() {
    needs_a_pid_namespace();
    let pause = PidOne::start(static_pause(), &[]);
    let out = pause.sh_inside("kill -HUP 1; kill -USR1 1; kill -KILL 1; kill -STOP 1; echo sent");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "sent",
        "{out:?}"
    );
    std::thread::sleep(Duration::from_millis(200));
    assert!(pause.alive(), "pid 1 without handlers drops them (K17)");
    assert_eq!(proc::state(pause.pid), Some('S'), "not stopped either");
    pause.signal_from_host("KILL");
    let (code, _) = pause.wait(LIMIT);
    assert_ne!(
        code,
        Some(0),
        "SIGKILL from an ancestor namespace is delivered"
    );
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn k15_an_orphan_storm_costs_pause_no_cpu_and_no_wakeup_and_leaves_no_zombie() {
    needs_a_pid_namespace();
    let pause = PidOne::start(static_pause(), &[]);
    std::thread::sleep(Duration::from_millis(100));
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
    let zombies = pause.sh_inside("grep -l '^State:.Z' /proc/[0-9]*/status 2>/dev/null | wc -l");
    assert_eq!(
        String::from_utf8_lossy(&zombies.stdout).trim(),
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

fn init_mode(args: &[&str]) -> (Option<i32>, String) {
    let out = PidOne::run(static_pause(), args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn init_mode_passes_exit_codes_and_signal_deaths_through() {
    needs_a_pid_namespace();
    for code in [0, 1, 7, 255] {
        let script = format!("exit {code}");
        assert_eq!(init_mode(&["--", "sh", "-c", &script]).0, Some(code));
    }
    assert_eq!(
        init_mode(&["--", "sh", "-c", "kill -KILL $$"]).0,
        Some(137),
        "128 + SIGKILL"
    );
    assert_eq!(init_mode(&["--", "/nonexistent"]).0, Some(127));
    assert_eq!(init_mode(&["--", "/etc/passwd"]).0, Some(126));
    let out = Command::new(static_pause())
        .args(["--bogus", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown flag '--bogus'"));
}

/// A temporary marker file, removed when dropped.
struct Marker(std::path::PathBuf);

impl Marker {
    fn new(name: &str) -> Marker {
        let path = std::env::temp_dir().join(format!("pauselab-{name}-{}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        Marker(path)
    }

    fn wait(&self) -> bool {
        wait_for(LIMIT, || self.0.exists().then_some(())).is_some()
    }
}

impl Drop for Marker {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn init_mode_forwards_signals_to_the_child() {
    needs_a_pid_namespace();
    let ready = Marker::new("trap");
    let script = format!(
        "trap 'exit 42' TERM; touch {}; while :; do sleep 0.05; done",
        ready.0.display()
    );
    let init = PidOne::start(static_pause(), &["--", "sh", "-c", &script]);
    assert!(ready.wait(), "the child set its trap");
    init.signal_from_host("TERM");
    assert_eq!(init.wait(LIMIT).0, Some(42));
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn init_mode_with_g_forwards_to_the_whole_process_group() {
    needs_a_pid_namespace();
    let (ready, heard) = (Marker::new("group-ready"), Marker::new("group-heard"));
    // The grandchild only hears SIGTERM if it goes to the group; the child waits for it.
    let script = format!(
        "(trap 'touch {h}; exit 0' TERM; touch {r}; while :; do sleep 0.05; done) & trap 'wait; exit 5' TERM; wait; wait",
        h = heard.0.display(),
        r = ready.0.display()
    );
    let init = PidOne::start(static_pause(), &["-g", "--", "sh", "-c", &script]);
    assert!(ready.wait(), "the grandchild set its trap");
    // The child's own trap is set right after it starts the grandchild.
    std::thread::sleep(Duration::from_millis(200));
    init.signal_from_host("TERM");
    assert_eq!(init.wait(LIMIT).0, Some(5));
    assert!(heard.0.exists(), "the grandchild got SIGTERM");
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn init_mode_reaps_the_childs_orphans() {
    needs_a_pid_namespace();
    let script = "i=0; while [ $i -lt 50 ]; do (true &); i=$((i+1)); done; sleep 0.5; \
                  grep -l '^State:.Z' /proc/[0-9]*/status 2>/dev/null | wc -l";
    let (code, stdout) = init_mode(&["--", "sh", "-c", script]);
    assert_eq!(code, Some(0));
    assert_eq!(
        stdout.trim(),
        "0",
        "no zombie in the namespace while pause supervised"
    );
}

#[test]
fn k13_init_mode_becomes_a_subreaper_when_not_pid_1() {
    let script = "sh -c 'sleep 1 & echo $!' > \"$F\"; sleep 0.2; \
                  [ \"$(awk '/^PPid/{print $2}' /proc/$(cat \"$F\")/status)\" = \"$PPID\" ] && echo adopted";
    let file = std::env::temp_dir().join(format!("pauselab-subreaper-{}", std::process::id()));
    let out = Command::new(static_pause())
        .args(["--verbose", "--", "sh", "-c", script])
        .env("F", &file)
        .output()
        .expect("runs");
    let _ = std::fs::remove_file(&file);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "adopted",
        "{out:?}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("child subreaper"));
}
