//! Real programs (Debian's packages) run as pid 1 of a fresh pid namespace or as a non-init
//! process of one, to be compared with the measured table and the model (K30).

use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, sigprocmask, SigSet, SigmaskHow, Signal as NixSignal};
use nix::unistd::Pid as NixPid;

use crate::proc;

/// How long a process may take to start, settle, or die.
pub const LIMIT: Duration = Duration::from_secs(10);

/// How a program ended up after a signal: still running, or the status a shell would print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// It is still running.
    Alive,
    /// It ended: `$?` (128 + n for a signal).
    Exited(u8),
}

/// `SigBlk`, `SigIgn`, `SigCgt` of /proc/PID/status, signals 1–31.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Masks {
    /// SigBlk.
    pub blocked: u32,
    /// SigIgn.
    pub ignored: u32,
    /// SigCgt.
    pub caught: u32,
}

fn mask(pid: u32, key: &str) -> Option<u32> {
    let hex = proc::status_field(pid, key)?;
    // Signals 32–64 are the real-time ones, which the model does not have.
    Some((u64::from_str_radix(&hex, 16).ok()? & 0x7fff_ffff) as u32)
}

/// A process's masks.
pub fn masks(pid: u32) -> Option<Masks> {
    Some(Masks {
        blocked: mask(pid, "SigBlk")?,
        ignored: mask(pid, "SigIgn")?,
        caught: mask(pid, "SigCgt")?,
    })
}

/// Every signal at its default action and none blocked, as a container's first process starts
/// (the test runner may have inherited SIGINT and SIGQUIT ignored from a background shell).
fn with_default_signals(command: &mut Command) -> &mut Command {
    // SAFETY: between fork and exec only async-signal-safe calls are made: signal(2) and
    // sigprocmask(2), with no allocation.
    unsafe {
        command.pre_exec(|| {
            for number in 1..=31 {
                if let Ok(signal) = NixSignal::try_from(number) {
                    if !matches!(signal, NixSignal::SIGKILL | NixSignal::SIGSTOP) {
                        let _ =
                            nix::sys::signal::signal(signal, nix::sys::signal::SigHandler::SigDfl);
                    }
                }
            }
            sigprocmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None)?;
            Ok(())
        })
    }
}

/// Waits until `ready` gives a value, at most [`LIMIT`].
pub fn wait_for<T>(what: &str, mut ready: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = ready() {
            return value;
        }
        assert!(start.elapsed() < LIMIT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Whether a signal (1–31) is pending at the process or its thread group.
fn pending(pid: u32) -> bool {
    ["ShdPnd", "SigPnd"].into_iter().any(|key| {
        proc::status_field(pid, key)
            .is_some_and(|p| u64::from_str_radix(&p, 16).unwrap_or(0) & 0x7fff_ffff != 0)
    })
}

/// A program running in a pid namespace of its own; killed with it when dropped.
#[derive(Debug)]
pub struct Running {
    /// `unshare`, whose child is the namespace's pid 1.
    holder: Child,
    /// `nsenter`, when the program is not pid 1.
    entered: Option<Child>,
    /// The program's host pid.
    pub pid: u32,
    /// The namespace's pid 1 (the program itself when it is init).
    pub init: u32,
}

/// The first child of `parent`, once it has one.
fn first_child(parent: u32) -> u32 {
    wait_for("a child", || proc::children(parent).first().copied())
}

impl Running {
    /// Starts `argv` as pid 1 of a new pid namespace (`init`), or as a process that `nsenter`
    /// starts inside one whose pid 1 is `sleep` (not `init`).
    pub fn start(argv: &[String], init: bool) -> Running {
        let mut unshare = Command::new("unshare");
        unshare.args(["-p", "-f", "--mount-proc", "--kill-child", "--"]);
        if init {
            unshare.args(argv);
        } else {
            unshare.args(["sleep", "100000"]);
        }
        let holder = with_default_signals(&mut unshare)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("unshare runs");
        let namespace_init = first_child(holder.id());
        let mut running = Running {
            holder,
            entered: None,
            pid: namespace_init,
            init: namespace_init,
        };
        if !init {
            let target = namespace_init.to_string();
            let nsenter = with_default_signals(
                Command::new("nsenter")
                    .args(["-t", &target, "-p", "-m", "--"])
                    .args(argv),
            )
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nsenter runs");
            running.pid = first_child(nsenter.id());
            running.entered = Some(nsenter);
        }
        running
    }

    /// Its masks once it has settled: it and every child asleep (a child still between fork and
    /// exec is running: dumb-init's has not yet called setsid, so a signal forwarded to its
    /// group would be lost), with the same masks, children and commands twice in a row.
    pub fn settled_masks(&self, children: usize) -> Masks {
        let mut last = None;
        wait_for("the program to settle", || {
            let kids: Vec<(u32, Option<char>, Option<String>)> = proc::children(self.pid)
                .into_iter()
                .map(|child| (child, proc::state(child), proc::comm(child)))
                .collect();
            let now = (masks(self.pid)?, proc::state(self.pid)?, kids);
            let steady = last.as_ref() == Some(&now)
                && now.2.len() >= children
                && now.1 == 'S'
                && now.2.iter().all(|(_, state, _)| *state == Some('S'));
            last = Some(now.clone());
            if !steady {
                std::thread::sleep(Duration::from_millis(20));
            }
            steady.then_some(now.0)
        })
    }

    /// Sends a signal from the host.
    pub fn signal(&self, signal: NixSignal) {
        kill(NixPid::from_raw(self.pid as i32), signal).expect("kill from the host");
    }

    /// Whether it died (gone or a zombie) within [`LIMIT`] after a signal, else `None` once it
    /// has gone back to sleep with nothing pending: it took the signal and goes on.
    pub fn fate(&mut self, quiet_for: Duration) -> Fate {
        let start = Instant::now();
        let mut asleep_since: Option<Instant> = None;
        loop {
            let state = proc::state(self.pid);
            if matches!(state, None | Some('Z') | Some('X')) {
                return Fate::Exited(shell_code(self.exit_status()));
            }
            // A forwarded signal may still be pending at a child the scheduler has not run yet:
            // the program is quiet only when its children are too.
            let children = proc::children(self.pid);
            let children_quiet = children.iter().all(|&child| {
                matches!(proc::state(child), Some('S') | Some('Z')) && !pending(child)
            });
            if state == Some('S') && !pending(self.pid) && children_quiet {
                let since = *asleep_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= quiet_for {
                    return Fate::Alive;
                }
            } else {
                asleep_since = None;
            }
            assert!(
                start.elapsed() < LIMIT,
                "pid {} neither died nor slept",
                self.pid
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The program's exit status: `unshare` or `nsenter` end as their child did.
    fn exit_status(&mut self) -> ExitStatus {
        let child = self.entered.as_mut().unwrap_or(&mut self.holder);
        let deadline = Instant::now() + LIMIT;
        loop {
            if let Some(status) = child.try_wait().expect("wait for the runner") {
                return status;
            }
            assert!(Instant::now() < deadline, "the runner did not end");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Makes an orphan inside the namespace that exits at once: a shell started by `nsenter`
    /// puts `sleep 0` in the background and exits first, so the sleep is reparented to pid 1.
    /// Returns whether the namespace is left with a zombie after pid 1 had its chance.
    pub fn orphan_left_as_zombie(&self, quiet_for: Duration) -> bool {
        let target = self.init.to_string();
        let status = with_default_signals(Command::new("nsenter").args([
            "-t",
            &target,
            "-p",
            "-m",
            "--",
            "dash",
            "-c",
            "sleep 0 & exit 0",
        ]))
        .status()
        .expect("nsenter runs");
        assert!(status.success());
        // The orphan exits at once; then pid 1 either reaps it or leaves it. Watch the zombie
        // for `quiet_for` of pid 1 asleep with nothing pending.
        let start = Instant::now();
        let mut asleep_since: Option<Instant> = None;
        loop {
            let zombies = proc::children(self.init)
                .into_iter()
                .filter(|&pid| proc::state(pid) == Some('Z'))
                .count();
            let sleeping = proc::state(self.init) == Some('S');
            if zombies == 0 && sleeping && asleep_since.is_some_and(|t| t.elapsed() >= quiet_for) {
                return false;
            }
            if sleeping {
                let since = *asleep_since.get_or_insert_with(Instant::now);
                if zombies > 0 && since.elapsed() >= quiet_for {
                    return true;
                }
            } else {
                asleep_since = None;
            }
            assert!(start.elapsed() < LIMIT, "pid 1 never went back to sleep");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(entered) = &mut self.entered {
            let _ = entered.kill();
            let _ = entered.wait();
        }
        // --kill-child: the namespace's pid 1 dies with unshare, and every process with it.
        let _ = self.holder.kill();
        let _ = self.holder.wait();
    }
}

/// What a shell prints as `$?`.
pub fn shell_code(status: ExitStatus) -> u8 {
    match (status.code(), status.signal()) {
        (Some(code), _) => code as u8,
        (None, Some(signal)) => 128 + signal as u8,
        (None, None) => unreachable!("a process ends by exit or signal"),
    }
}

/// A configuration under which nginx runs in the foreground as the image runs it (master and
/// workers), writing nothing outside a temporary folder.
pub fn nginx_conf() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pauselab-nginx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let conf = dir.join("nginx.conf");
    let text = format!(
        "daemon off;\nmaster_process on;\nworker_processes 1;\npid {}/nginx.pid;\nerror_log stderr;\nevents {{}}\n",
        dir.display()
    );
    std::fs::write(&conf, text).expect("write nginx.conf");
    conf
}
