//! The static `pause` binary, built once per test run, and ways to run it as pid 1.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::{proc, workspace_root};

/// Builds a binary with cargo and returns where it is.
fn build(args: &[&str], artifact: &str) -> PathBuf {
    let root = workspace_root();
    let status = Command::new(env!("CARGO"))
        .current_dir(&root)
        .args(["build", "--quiet", "--locked"])
        .args(args)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo build {args:?} failed");
    root.join(artifact)
}

/// Builds the small static pause for `target` with `scripts/build-pause.sh` (a pinned nightly,
/// std rebuilt for size): the image's binary.
fn build_small(target: &str) -> PathBuf {
    // arm, ppc64le and s390x link Debian's multiarch musl, which scripts/setup.sh installs as
    // root (see scripts/build-pause.sh).
    let musl = match target {
        "armv7-unknown-linux-musleabihf" => Some("/usr/lib/arm-linux-musleabihf/libc.a"),
        "powerpc64le-unknown-linux-musl" => Some("/usr/lib/powerpc64le-linux-musl/libc.a"),
        "s390x-unknown-linux-musl" => Some("/usr/lib/s390x-linux-musl/libc.a"),
        _ => None,
    };
    if let Some(musl) = musl {
        crate::require(
            crate::is_root() || Path::new(musl).is_file(),
            &format!("{musl} (Debian's musl-dev for {target}; setup.sh installs it as root)"),
        );
    }
    // One at a time: the script installs a target's musl with apt-get, which refuses a second
    // caller while the first holds its lock (and the machine has room for one heavy build).
    static ONE_BUILD: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_BUILD
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let root = workspace_root();
    let out = Command::new("bash")
        .current_dir(&root)
        .args(["scripts/build-pause.sh", target])
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "scripts/build-pause.sh {target} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    root.join(format!("target/small/{target}/pause/pause"))
}

/// The static `pause` an image ships (x86-64, built once per test run).
pub fn static_pause() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| build_small("x86_64-unknown-linux-musl"))
}

/// The same program for arm64, to run under qemu-user.
pub fn arm64_pause() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| build_small("aarch64-unknown-linux-musl"))
}

/// pause.c's architectures besides amd64, as registry.k8s.io/pause ships them: the OCI
/// platform (architecture, variant), the Rust target, the qemu-user that runs it, and the ELF
/// machine number.
pub const FOREIGN: [Foreign; 4] = [
    Foreign {
        architecture: "arm64",
        variant: Some("v8"),
        target: "aarch64-unknown-linux-musl",
        qemu: "qemu-aarch64-static",
        machine: 183,
    },
    Foreign {
        architecture: "arm",
        variant: Some("v7"),
        target: "armv7-unknown-linux-musleabihf",
        qemu: "qemu-arm-static",
        machine: 40,
    },
    Foreign {
        architecture: "ppc64le",
        variant: None,
        target: "powerpc64le-unknown-linux-musl",
        qemu: "qemu-ppc64le-static",
        machine: 21,
    },
    Foreign {
        architecture: "s390x",
        variant: None,
        target: "s390x-unknown-linux-musl",
        qemu: "qemu-s390x-static",
        machine: 22,
    },
];

/// One of [`FOREIGN`].
#[derive(Clone, Copy, Debug)]
pub struct Foreign {
    /// The OCI platform's architecture.
    pub architecture: &'static str,
    /// Its variant, if any.
    pub variant: Option<&'static str>,
    /// The Rust target.
    pub target: &'static str,
    /// The qemu-user binary (Debian's qemu-user-static).
    pub qemu: &'static str,
    /// `e_machine` of its ELF files.
    pub machine: u16,
}

impl Foreign {
    /// The small static pause for this architecture, built once per test run.
    pub fn pause(&self) -> &'static Path {
        static BUILT: [OnceLock<PathBuf>; 4] = [const { OnceLock::new() }; 4];
        let index = FOREIGN
            .iter()
            .position(|f| f.target == self.target)
            .expect("one of FOREIGN");
        if index == 0 {
            return arm64_pause();
        }
        BUILT[index].get_or_init(|| build_small(self.target))
    }
}

/// The static `pause` from the stable toolchain (its size profile, no rebuilt std).
pub fn stable_pause() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        build(
            &[
                "-p",
                "pauselab-pause",
                "--profile",
                "pause",
                "--target",
                "x86_64-unknown-linux-musl",
            ],
            "target/x86_64-unknown-linux-musl/pause/pause",
        )
    })
}

/// The tests' static puppet (`tests/puppet`), which the real pods' apps run.
pub fn static_puppet() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        build(
            &[
                "-p",
                "pauselab-puppet",
                "--release",
                "--target",
                "x86_64-unknown-linux-musl",
            ],
            "target/x86_64-unknown-linux-musl/release/puppet",
        )
    })
}

/// Builds the `pauselab` command (once) and returns its path.
pub fn pauselab_cli() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        build(
            &["-p", "pauselab-native", "--bin", "pauselab"],
            "target/debug/pauselab",
        )
    })
}

/// Whether a program is on PATH.
pub fn have(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// A command run as pid 1 of a fresh pid namespace (`unshare --pid --fork --mount-proc`), killed
/// with everything in its namespace when dropped (K19).
#[derive(Debug)]
pub struct PidOne {
    unshare: Child,
    /// The host pid of the process that is pid 1 inside.
    pub pid: u32,
}

impl PidOne {
    /// Starts `program args` as pid 1 and waits until it has exec'd.
    pub fn start(program: &Path, args: &[&str]) -> PidOne {
        PidOne::start_with(program, args, |_| {})
    }

    /// Like [`PidOne::start`], with `configure` applied to the `unshare` command first (what
    /// pid 1 inherits: signal mask, dispositions, stdin).
    pub fn start_with(
        program: &Path,
        args: &[&str],
        configure: impl FnOnce(&mut Command),
    ) -> PidOne {
        let mut command = Command::new("unshare");
        command
            .args(["--pid", "--fork", "--mount-proc", "--"])
            .arg(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        configure(&mut command);
        let unshare = command.spawn().expect("unshare starts");
        let name = program
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let parent = unshare.id();
        let pid = wait_for(Duration::from_secs(10), || {
            proc::children(parent)
                .into_iter()
                .find(|&child| proc::comm(child).as_deref() == Some(name.as_str()))
        })
        .unwrap_or_else(|| panic!("{name} did not start under unshare"));
        PidOne { unshare, pid }
    }

    /// What pid 1 and its children print on stdout, line by line.
    pub fn lines(&mut self) -> std::sync::mpsc::Receiver<String> {
        let (send, receive) = std::sync::mpsc::channel();
        if let Some(stdout) = self.unshare.stdout.take() {
            std::thread::spawn(move || {
                use std::io::BufRead;
                for line in std::io::BufReader::new(stdout)
                    .lines()
                    .map_while(Result::ok)
                {
                    if send.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        receive
    }

    /// Sends signal number `signal` from the host; false if the kernel refused (EAGAIN when
    /// too many real-time signals are queued).
    pub fn signal(&self, signal: i32) -> bool {
        // SAFETY: kill has no memory arguments.
        unsafe { nix::libc::kill(self.pid as i32, signal) == 0 }
    }

    /// Waits until pid 1 sleeps waiting for signals (do_sigtimedwait, or ppoll in init mode).
    pub fn wait_until_waiting_for_signals(&self) {
        let pid = self.pid;
        let waiting = wait_for(Duration::from_secs(10), || {
            let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan")).ok()?;
            // sigtimedwait (sandbox mode, and init mode reaping itself), or ppoll on a
            // signalfd and CMD's pidfd (init mode leaving the reaping to the kernel).
            (wchan.starts_with("do_sigtimedwait") || wchan.contains("poll")).then_some(())
        });
        assert!(
            waiting.is_some(),
            "pid 1 ({pid}) never went to wait for signals"
        );
    }

    /// Runs `program args` as pid 1 to the end and returns what it printed and its status.
    pub fn run(program: &Path, args: &[&str]) -> std::process::Output {
        PidOne::run_with(program, args, |_| {})
    }

    /// Like [`PidOne::run`], with `configure` applied to the `unshare` command first.
    pub fn run_with(
        program: &Path,
        args: &[&str],
        configure: impl FnOnce(&mut Command),
    ) -> std::process::Output {
        let mut command = Command::new("unshare");
        command
            .args(["--pid", "--fork", "--mount-proc", "--"])
            .arg(program)
            .args(args)
            .stdin(Stdio::null());
        configure(&mut command);
        command.output().expect("unshare runs")
    }

    /// Sends a signal from the host (an ancestor namespace).
    pub fn signal_from_host(&self, signal: &str) {
        let status = Command::new("kill")
            .args(["-s", signal, &self.pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -s {signal} {} failed", self.pid);
    }

    /// Runs a shell command inside the namespace (`nsenter --pid`, which forks into it).
    pub fn sh_inside(&self, script: &str) -> std::process::Output {
        Command::new("nsenter")
            .args([
                "--target",
                &self.pid.to_string(),
                "--pid",
                "--mount",
                "--",
                "sh",
                "-c",
                script,
            ])
            .output()
            .expect("nsenter runs")
    }

    /// Waits for the namespace's init to end; returns unshare's exit code and pid 1's stderr.
    pub fn wait(mut self, limit: Duration) -> (Option<i32>, String) {
        let done = wait_for(limit, || self.unshare.try_wait().ok().flatten());
        let status =
            done.unwrap_or_else(|| panic!("pid 1 ({}) did not exit within {limit:?}", self.pid));
        let mut stderr = String::new();
        if let Some(mut pipe) = self.unshare.stderr.take() {
            use std::io::Read;
            let _ = pipe.read_to_string(&mut stderr);
        }
        (status.code(), stderr)
    }

    /// How many zombies its namespace holds, as `ps` inside would count them.
    pub fn zombies_inside(&self) -> String {
        let out = self.sh_inside("grep -l '^State:.Z' /proc/[0-9]*/status 2>/dev/null | wc -l");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Whether pid 1 is still there.
    pub fn alive(&self) -> bool {
        proc::state(self.pid).is_some_and(|state| state != 'Z')
    }
}

impl Drop for PidOne {
    fn drop(&mut self) {
        // SIGKILL from the host always reaches an init (K17); its namespace dies with it (K19).
        let _ = Command::new("kill")
            .args(["-s", "KILL", &self.pid.to_string()])
            .stderr(Stdio::null())
            .status();
        let _ = self.unshare.kill();
        let _ = self.unshare.wait();
    }
}

/// Polls `check` every 10 ms until it gives a value or `limit` passes.
pub fn wait_for<T>(limit: Duration, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(value) = check() {
            return Some(value);
        }
        if start.elapsed() > limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// pid 1 of a fresh pid namespace needs root and util-linux's unshare and nsenter.
pub fn needs_a_pid_namespace() {
    crate::require(crate::is_root(), "root");
    crate::require(
        have("unshare") && have("nsenter"),
        "util-linux unshare and nsenter",
    );
}
