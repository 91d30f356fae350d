//! The `pause` binary (the crate `native/pause`) as pid 1 of real pid namespaces: pause.c's
//! behaviour (K20), K17 for signals, reaping (K15), init mode checked the way tini checks
//! itself, signal and fork storms, a terminal, its size, and the arm64 build under qemu-user.

use std::io::{BufRead, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use pauselab_tests::pause::{
    have, needs_a_pid_namespace, stable_pause, static_pause, wait_for, Foreign, PidOne, FOREIGN,
};
use pauselab_tests::{proc, require};

mod builds;
mod storms;

const LIMIT: Duration = Duration::from_secs(20);

/// The helper that prints every signal it takes (`tests/src/bin/signal_catcher.rs`).
fn catcher() -> &'static str {
    env!("CARGO_BIN_EXE_signal-catcher")
}

/// Waits for `line` on `lines`, within `LIMIT`; the lines before it are returned.
fn expect_line(lines: &Receiver<String>, line: &str) -> Vec<String> {
    let deadline = Instant::now() + LIMIT;
    let mut before = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(got) if got == line => return before,
            Ok(got) => before.push(got),
            Err(_) => panic!("no line {line:?} within {LIMIT:?}; got {before:?}"),
        }
    }
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

/// Runs `program args` (not as pid 1) and returns its status within `LIMIT`, or fails: a
/// `--version` that hangs must fail the test, not hang it.
fn run_bounded(program: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut child = KillOnDrop(
        Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs"),
    );
    let status = wait_for(LIMIT, || child.0.try_wait().ok().flatten()).unwrap_or_else(|| {
        panic!(
            "{} {args:?} did not end within {LIMIT:?}",
            program.display()
        )
    });
    let read = |pipe: Option<&mut dyn std::io::Read>| {
        let mut text = String::new();
        if let Some(pipe) = pipe {
            let _ = pipe.read_to_string(&mut text);
        }
        text
    };
    let stdout = read(child.0.stdout.as_mut().map(|p| p as &mut dyn std::io::Read));
    let stderr = read(child.0.stderr.as_mut().map(|p| p as &mut dyn std::io::Read));
    (status.code(), stdout, stderr)
}

/// K20, and dockerd's `--init-path BIN --version` at start, which waits for the answer.
#[test]
fn k20_version_flags_answer_and_exit_0_in_every_build() {
    for pause in [static_pause(), stable_pause()] {
        for args in [&["-v"][..], &["-V"], &["x", "-v"], &["--version"]] {
            let (code, stdout, _) = run_bounded(pause, args);
            assert_eq!(code, Some(0), "{args:?}");
            assert!(
                stdout.starts_with("pause.c v3.10 (pauselab pause "),
                "{args:?}: {stdout}"
            );
        }
    }
}

#[test]
fn k20_not_pid_1_warns_and_keeps_running_then_term_exits_0() {
    let mut child = KillOnDrop(
        Command::new(static_pause())
            .stderr(Stdio::piped())
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
        nix::unistd::Pid::from_raw(pid as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .expect("pause can be signalled");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(
        rest.contains("Shutting down, got signal: Terminated"),
        "{rest}"
    );
    assert_eq!(child.0.wait().unwrap().code(), Some(0));
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn k20_term_and_int_make_pid_1_exit_0_with_the_message() {
    needs_a_pid_namespace();
    for pause_binary in [static_pause(), stable_pause()] {
        for (signal, words) in [("TERM", "Terminated"), ("INT", "Interrupt")] {
            let pause = PidOne::start(pause_binary, &[]);
            pause.wait_until_waiting_for_signals();
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
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn k17_hup_usr1_and_kill_from_inside_change_nothing_while_kill_from_the_host_kills() {
    needs_a_pid_namespace();
    let pause = PidOne::start(static_pause(), &[]);
    pause.wait_until_waiting_for_signals();
    let out = pause.sh_inside("kill -HUP 1; kill -USR1 1; kill -KILL 1; kill -STOP 1; echo sent");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "sent",
        "{out:?}"
    );
    // Dropped when sent (K17): pause still ends as SIGTERM ends it, not as they would have.
    pause.signal_from_host("TERM");
    let (code, stderr) = pause.wait(LIMIT);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("Terminated"), "{stderr}");

    let pause = PidOne::start(static_pause(), &[]);
    pause.wait_until_waiting_for_signals();
    pause.signal_from_host("KILL");
    let (code, _) = pause.wait(LIMIT);
    assert_ne!(
        code,
        Some(0),
        "SIGKILL from an ancestor namespace is delivered"
    );
}

fn init_mode(args: &[&str]) -> (Option<i32>, String) {
    let out = PidOne::run(static_pause(), args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Signals whose default action ends a process: what a command can die of.
fn deadly() -> Vec<i32> {
    let stops_or_ignored = [17, 18, 19, 20, 21, 22, 23, 28];
    (1..=64)
        .filter(|s| !stops_or_ignored.contains(s) && !(32..=33).contains(s))
        .collect()
}

/// tini's own checks: every exit code 0–255 passes through, and 128+n for every signal n that
/// can kill; 127 and 126 for a command that is missing or cannot be run; 2 for a bad flag.
#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn init_mode_passes_every_exit_code_and_signal_death_through() {
    needs_a_pid_namespace();
    for code in 0..=255 {
        let script = format!("exit {code}");
        let out = PidOne::run(static_pause(), &["--", "sh", "-c", &script]);
        // What pause or sh said: a wrong status once came with no clue (a loaded machine).
        assert_eq!(
            out.status.code(),
            Some(code),
            "stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for signal in deadly() {
        // No core files: the core-dumping signals are as deadly without them.
        let script = format!("ulimit -c 0; kill -{signal} $$");
        assert_eq!(
            init_mode(&["--", "sh", "-c", &script]).0,
            Some(128 + signal),
            "killed by signal {signal}"
        );
    }
    assert_eq!(init_mode(&["--", "/nonexistent"]).0, Some(127));
    assert_eq!(init_mode(&["--", "/etc/passwd"]).0, Some(126));
    let (code, _, stderr) = run_bounded(static_pause(), &["--bogus", "--", "true"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("unknown flag"), "{stderr}");
}

/// The command starts with the signal mask and dispositions pause was started with, not
/// pause's own (tini's check, through /proc/PID/status).
#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn init_mode_gives_the_command_the_signal_mask_and_dispositions_it_was_given() {
    use std::os::unix::process::CommandExt;
    needs_a_pid_namespace();
    const BLOCKED: u64 = (1 << (10 - 1)) | (1 << (37 - 1)); // SIGUSR1, SIGRTMIN+3 (glibc's 37)
    const IGNORED: [i32; 3] = [1, 13, 22]; // SIGHUP, SIGPIPE, SIGTTOU
                                           // The same settings given to pause, and (the control) to the command directly.
    let run = |program: &std::path::Path, args: &[&str]| {
        let out = PidOne::run_with(program, args, |command| {
            // SAFETY: between fork and exec only async-signal-safe calls (sigprocmask, signal).
            unsafe {
                command.pre_exec(|| {
                    let blocked = BLOCKED;
                    nix::libc::syscall(
                        nix::libc::SYS_rt_sigprocmask,
                        nix::libc::SIG_SETMASK,
                        &blocked as *const u64,
                        std::ptr::null_mut::<u64>(),
                        8usize,
                    );
                    for signal in IGNORED {
                        nix::libc::signal(signal, nix::libc::SIG_IGN);
                    }
                    Ok(())
                })
            };
        });
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let status = String::from_utf8_lossy(&out.stdout).into_owned();
        let field = |name: &str| {
            let value = status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .unwrap_or_else(|| panic!("no {name} line in {status}"));
            u64::from_str_radix(value.trim(), 16).expect("a hex mask")
        };
        (field("SigBlk:"), field("SigIgn:"))
    };
    let cat = std::path::Path::new("/bin/cat");
    let (control_blocked, control_ignored) = run(cat, &["/proc/self/status"]);
    let (blocked, ignored) = run(static_pause(), &["--", "cat", "/proc/self/status"]);
    assert_eq!(control_blocked, BLOCKED, "the control got the mask");
    for signal in IGNORED {
        assert!(
            control_ignored & 1 << (signal - 1) != 0,
            "the control ignores {signal}"
        );
    }
    assert_eq!(blocked, control_blocked, "the mask pause was given");
    assert_eq!(ignored, control_ignored, "the dispositions pause was given");
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
fn init_mode_with_g_forwards_to_the_whole_process_group() {
    needs_a_pid_namespace();
    let (ready, trapped, heard) = (
        Marker::new("group-ready"),
        Marker::new("group-trapped"),
        Marker::new("group-heard"),
    );
    // The grandchild only hears SIGTERM if it goes to the group; the child waits for it.
    let script = format!(
        "(trap 'touch {h}; exit 0' TERM; touch {r}; while :; do sleep 0.05; done) & trap 'wait; exit 5' TERM; touch {t}; wait; wait",
        h = heard.0.display(),
        r = ready.0.display(),
        t = trapped.0.display(),
    );
    let init = PidOne::start(static_pause(), &["-g", "--", "sh", "-c", &script]);
    assert!(ready.wait() && trapped.wait(), "both traps are set");
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
    // The orphans' zombies are pause's to collect; the command waits (bounded) until none is
    // left and says how many it saw last.
    let script = "i=0; while [ $i -lt 50 ]; do (true &); i=$((i+1)); done; \
                  for t in $(seq 200); do n=$(grep -l '^State:.Z' /proc/[0-9]*/status 2>/dev/null | wc -l); \
                  [ $n = 0 ] && break; sleep 0.05; done; echo $n";
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
    // The inner sh has exited (and its child been reparented, K12) before the outer reads $F.
    let script = "sh -c 'sleep 1 & echo $!' > \"$F\"; \
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

/// Every signal 1–64 that can be caught reaches the command in init mode (real-time ones
/// included), except the ones pause keeps (SIGCHLD, to reap) or never takes (faults,
/// SIGTTIN/SIGTTOU); in sandbox mode pause, as pid 1, ignores all but SIGINT and SIGTERM.
#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn init_mode_forwards_every_catchable_signal_and_sandbox_mode_survives_them() {
    needs_a_pid_namespace();
    let not_forwarded = [4, 5, 7, 8, 9, 11, 17, 19, 21, 22, 31];
    let mut init = PidOne::start(static_pause(), &["--", catcher()]);
    let lines = init.lines();
    expect_line(&lines, "ready");
    init.wait_until_waiting_for_signals();
    for signal in (1..=64).filter(|s| !not_forwarded.contains(s) && *s != 15) {
        assert!(init.signal(signal), "signal {signal} was sent");
        expect_line(&lines, &signal.to_string());
    }
    // The ones pause keeps or drops never arrive: a last SIGTERM comes right after them.
    for signal in [4, 5, 7, 8, 11, 21, 22, 31] {
        assert!(init.signal(signal));
    }
    assert!(init.signal(15));
    let skipped = expect_line(&lines, "15");
    assert!(
        skipped.is_empty(),
        "not forwarded, yet arrived: {skipped:?}"
    );
    assert!(init.alive(), "pause survived every one of them");

    let sandbox = PidOne::start(static_pause(), &[]);
    sandbox.wait_until_waiting_for_signals();
    for signal in (1..=64).filter(|s| ![2, 9, 15, 19].contains(s)) {
        assert!(sandbox.signal(signal));
    }
    sandbox.signal_from_host("TERM");
    let (code, stderr) = sandbox.wait(LIMIT);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("Shutting down, got signal: Terminated"),
        "{stderr}"
    );
}

/// Like tini, with a terminal on stdin: the command's group is the terminal's foreground, so
/// it can read it (no SIGTTIN stop) and Ctrl-C reaches it.
#[test]
#[cfg_attr(pauselab_missing_util_linux, ignore = "needs util-linux's script")]
fn init_mode_on_a_terminal_reads_it_and_gets_ctrl_c() {
    require(have("script"), "util-linux script");
    let pause = static_pause().display().to_string();
    let inner = "set -- $(cat /proc/$$/stat); echo fg:$5:$8; \
                 trap 'echo caught-int; exit 7' INT; read x; echo got:$x; \
                 while :; do sleep 0.05; done";
    // The script goes through the environment, so that script's own shell does not expand it.
    let command = format!("{pause} -- sh -c \"$PAUSELAB_INNER\"");
    let mut script = KillOnDrop(
        Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .env("PAUSELAB_INNER", inner)
            .env("SHELL", "/bin/sh")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("script runs"),
    );
    let stdout = script.0.stdout.take().expect("piped");
    let (send, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = send.send(line.trim_end_matches('\r').to_owned());
        }
    });
    let mut stdin = script.0.stdin.take().expect("piped");
    let deadline = Instant::now() + LIMIT;
    let next = |prefix: &str| loop {
        let line = lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("no line starting {prefix:?}"));
        if let Some(rest) = line.strip_prefix(prefix) {
            return rest.to_owned();
        }
    };
    let groups = next("fg:");
    let (pgrp, foreground) = groups.split_once(':').expect("pgrp:tpgid");
    assert_eq!(
        pgrp, foreground,
        "the command's group is the terminal's foreground"
    );
    stdin.write_all(b"hello\n").unwrap();
    assert_eq!(next("got:"), "hello", "it read the terminal");
    stdin.write_all(&[0x03]).unwrap();
    // The terminal echoes the Ctrl-C as ^C before what the command prints.
    let caught = loop {
        let line = lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the command caught SIGINT");
        if line.contains("caught-int") {
            break line;
        }
    };
    assert!(caught.ends_with("caught-int"), "{caught}");
    let status = wait_for(LIMIT, || script.0.try_wait().ok().flatten()).expect("script ends");
    assert_eq!(
        status.code(),
        Some(7),
        "pause passed the command's status on"
    );
}
