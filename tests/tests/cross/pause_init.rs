//! #20: init mode lets the kernel reap orphans (no CPU, no wakeup) and still passes CMD's
//! status on (its pidfd keeps how it ended, PIDFD_INFO_EXIT, Linux 6.15), and it takes tini
//! 0.19's flags: `-e` remaps an exit code, `-p` sets the parent-death signal, `-w` names each
//! reaped orphan (and so reaps them itself), `-v`/`TINI_VERBOSITY` say more,
//! `TINI_KILL_PROCESS_GROUP` is `-g`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use pauselab_tests::pause::{needs_a_pid_namespace, static_pause, wait_for, PidOne};
use pauselab_tests::proc;

const LIMIT: Duration = Duration::from_secs(20);

/// Processes a test started, killed when it ends, however it ends.
struct KillOnDrop(Vec<u32>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        for pid in &self.0 {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// Whether this kernel keeps a released child's exit on its pidfd (6.15 and later), which the
/// zero-cost path needs; elsewhere init mode reaps as tini does, and says so with --verbose.
fn pidfds_keep_exits() -> bool {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let mut numbers = release
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse::<u32>().ok());
    (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0)) >= (6, 15)
}

/// Waits until pid 1 sleeps with nothing to do (in ppoll on the fast path, sigtimedwait else).
fn wait_until_asleep(pause: &PidOne) {
    let pid = pause.pid;
    let asleep = wait_for(Duration::from_secs(10), || {
        let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan")).ok()?;
        let state = proc::state(pid)?;
        (state == 'S' && (wchan.contains("poll") || wchan.starts_with("do_sigtimedwait")))
            .then_some(())
    });
    assert!(asleep.is_some(), "pid 1 ({pid}) never went to sleep");
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn k15_init_mode_lets_the_kernel_reap_an_orphan_storm_at_no_cost_and_keeps_cmds_status() {
    needs_a_pid_namespace();
    let pause = PidOne::start(static_pause(), &["--", "sleep", "1000"]);
    wait_until_asleep(&pause);
    let (cpu, wakeups) = (
        proc::cpu_ticks(pause.pid).unwrap(),
        proc::voluntary_switches(pause.pid).unwrap(),
    );
    // Each `(true &)` leaves an orphan that pid 1 adopts; 2,000 of them, bounded.
    let out =
        pause.sh_inside("i=0; while [ $i -lt 2000 ]; do (true &); i=$((i+1)); done; echo done");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "done");
    let settled = wait_for(LIMIT, || {
        (proc::children(pause.pid).len() == 1 && pause.zombies_inside() == "0").then_some(())
    });
    assert!(
        settled.is_some(),
        "pause keeps children or zombies: {:?}",
        proc::children(pause.pid)
    );
    if pidfds_keep_exits() {
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
    // CMD's status still comes through: SIGTERM forwarded, sleep dies of it, 143.
    pause.signal_from_host("TERM");
    assert_eq!(pause.wait(LIMIT).0, Some(143));
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn cmds_status_is_right_when_it_exits_in_the_middle_of_its_orphans_storm() {
    needs_a_pid_namespace();
    // CMD makes 2,000 orphans that outlive it for a moment, then exits 7 while they end.
    let script = "i=0; while [ $i -lt 2000 ]; do (sleep 0.01 &); i=$((i+1)); done; exit 7";
    let out = PidOne::run(static_pause(), &["--", "sh", "-c", script]);
    assert_eq!(out.status.code(), Some(7), "{out:?}");
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn tinis_e_remaps_an_exit_code_to_0_and_refuses_what_is_not_one() {
    needs_a_pid_namespace();
    let run = |args: &[&str]| PidOne::run(static_pause(), args);
    assert_eq!(
        run(&["-e", "143", "--", "sh", "-c", "kill -TERM $$"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["-e3", "-e", "4", "--", "sh", "-c", "exit 4"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["-e", "3", "--", "sh", "-c", "exit 5"]).status.code(),
        Some(5)
    );
    let bad = run(&["-e", "256", "--", "true"]);
    assert_eq!(bad.status.code(), Some(1), "tini's status for a bad -e");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("Not a valid option for -e"));
    let bad = run(&["-p", "KILL", "--", "true"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("Not a valid option for -p"));
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn tinis_w_names_each_orphan_it_reaps_and_verbosity_0_silences_it() {
    needs_a_pid_namespace();
    // Two orphans, then a bounded wait until pid 1 has no child but this shell: both reaped.
    let script = "(true &); (true &); for t in $(seq 1000); do \
                  [ \"$(cat /proc/1/task/1/children)\" = \"$$ \" ] && exit 0; sleep 0.01; done; exit 1";
    let out = PidOne::run(static_pause(), &["-w", "--", "sh", "-c", script]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr
            .matches("[WARN  pause (1)] Reaped zombie process with pid=")
            .count(),
        2,
        "{stderr}"
    );
    let out = PidOne::run_with(
        static_pause(),
        &["-w", "--", "sh", "-c", script],
        |command| {
            command.env("TINI_VERBOSITY", "0");
        },
    );
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("Reaped"),
        "{out:?}"
    );
}

#[test]
fn tinis_p_sends_pause_its_signal_when_its_parent_dies() {
    // The parent: a shell that starts pause in the background, says its pid, and ends when its
    // stdin closes. pause, not pid 1 here, gets SIGKILL when it does.
    let mut parent = Command::new("sh")
        .args(["-c", "\"$P\" -p SIGKILL -- sleep 1000 & echo $!; read _"])
        .env("P", static_pause())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("sh runs");
    let mut started = KillOnDrop(vec![parent.id()]);
    let mut line = String::new();
    BufReader::new(parent.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the pid");
    let pause: u32 = line.trim().parse().expect("a pid");
    started.0.push(pause);
    let alive = |pid: u32| proc::state(pid).is_some_and(|s| s != 'Z');
    assert!(wait_for(LIMIT, || alive(pause).then_some(())).is_some());
    let cmd = wait_for(LIMIT, || proc::children(pause).first().copied()).expect("sleep runs");
    started.0.push(cmd);
    drop(parent.stdin.take().map(|mut stdin| stdin.write_all(b"\n")));
    let _ = parent.wait();
    let gone = wait_for(LIMIT, || (!alive(pause)).then_some(()));
    // Its command, orphaned, is not pause's to kill: it goes on, and the guard ends it.
    assert!(gone.is_some(), "pause {pause} outlived its parent");
}

#[test]
fn tinis_kill_process_group_variable_is_g() {
    // With the variable, SIGTERM reaches the whole group: the script's own child too.
    let script = "sleep 1000 & echo $!; wait";
    let mut pause = Command::new(static_pause())
        .args(["--", "sh", "-c", script])
        .env("TINI_KILL_PROCESS_GROUP", "1")
        .stdout(Stdio::piped())
        .spawn()
        .expect("pause runs");
    let mut started = KillOnDrop(vec![pause.id()]);
    let mut line = String::new();
    BufReader::new(pause.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the sleep's pid");
    let sleep: u32 = line.trim().parse().expect("a pid");
    started.0.push(sleep);
    let _ = Command::new("kill")
        .args(["-TERM", &pause.id().to_string()])
        .status();
    let gone = wait_for(LIMIT, || {
        proc::state(sleep).is_none_or(|s| s == 'Z').then_some(())
    });
    let _ = pause.wait();
    assert!(gone.is_some(), "the group's sleep got no SIGTERM");
}

/// pause looks a command up on PATH itself (musl's execvp brought string routines the size
/// budget had no room for), with musl's meaning: entries that do not exist or are not
/// directories are passed over, a file found without execute permission is remembered (126 if
/// nothing else runs) and the search goes on past it, an empty entry is the current directory,
/// PATH unset still finds `sh` (musl's default is `/usr/local/bin:/bin:/usr/bin`), a name with
/// a slash is not looked up, and a name over 255 bytes is refused.
#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn init_mode_finds_its_command_on_path_as_musls_execvp_does() {
    use std::os::unix::fs::PermissionsExt;
    needs_a_pid_namespace();
    struct Scratch(std::path::PathBuf);
    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    // Under target/, not /tmp, which may be mounted noexec.
    let scratch = Scratch(
        pauselab_tests::workspace_root()
            .join("target")
            .join(format!("pauselab-path-{}", std::process::id())),
    );
    let dir = &scratch.0;
    std::fs::create_dir_all(dir.join("later")).expect("scratch directories");
    let write = |name: &str, mode: u32| {
        let path = dir.join(name);
        std::fs::write(&path, "#!/bin/sh\nexit 9\n").expect("script written");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("mode");
    };
    write("pauselab-runs", 0o755);
    write("pauselab-not-executable", 0o644);
    // The same name, runnable, in a directory after the one where it is not.
    write("later/pauselab-not-executable", 0o755);
    let dir = dir.to_str().expect("a UTF-8 scratch dir");
    let pause = static_pause().to_str().expect("a UTF-8 path");
    // `env` as pid 1 sets PATH (or the directory) and execs pause, which stays pid 1.
    let status = |env: &[&str], command: &[&str]| {
        let mut args = env.to_vec();
        args.push(pause);
        args.push("--");
        args.extend_from_slice(command);
        let out = PidOne::run(std::path::Path::new("/usr/bin/env"), &args);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let missing = format!("PATH=/nonexistent:/etc/passwd:{dir}");
    // EACCES is remembered past entries that come after it, and the search goes on past it.
    let denied_first = format!("PATH={dir}:/nonexistent");
    let denied_then_runs = format!("PATH={dir}:{dir}/later");
    let long = "x".repeat(256);
    let cases: [(Vec<&str>, &[&str], i32); 11] = [
        (vec![missing.as_str()], &["pauselab-runs"], 9),
        (
            vec!["PATH=/nonexistent:/etc/passwd:/bin"],
            &["sh", "-c", "exit 7"],
            7,
        ),
        (vec!["-u", "PATH"], &["sh", "-c", "exit 7"], 7),
        (vec![missing.as_str()], &["pauselab-not-executable"], 126),
        (vec![missing.as_str()], &["pauselab-absent"], 127),
        (vec!["-C", dir, "PATH=:/nonexistent"], &["pauselab-runs"], 9),
        (
            vec!["-C", dir, "PATH=/nonexistent"],
            &["./pauselab-runs"],
            9,
        ),
        (vec![missing.as_str()], &[""], 127),
        (
            vec![denied_first.as_str()],
            &["pauselab-not-executable"],
            126,
        ),
        (
            vec![denied_then_runs.as_str()],
            &["pauselab-not-executable"],
            9,
        ),
        // A name longer than NAME_MAX is refused before any search (ENAMETOOLONG).
        (vec![missing.as_str()], &[long.as_str()], 126),
    ];
    for (env, command, expected) in cases {
        let (code, stderr) = status(&env, command);
        assert_eq!(
            code,
            Some(expected),
            "env {env:?} pause -- {command:?}: {stderr}"
        );
    }
    let (_, stderr) = status(&[missing.as_str()], &["pauselab-not-executable"]);
    assert!(
        stderr.contains("cannot run pauselab-not-executable: Permission denied"),
        "{stderr}"
    );
    let (_, stderr) = status(&[missing.as_str()], &["pauselab-absent"]);
    assert!(stderr.contains("No such file or directory"), "{stderr}");
}
