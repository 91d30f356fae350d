//! Real container engines for the tests: a private dockerd and a private containerd (with its
//! CRI plugin, driven the way kubelet drives it), each with its own root, state, socket and
//! cgroup parent under a scratch folder, no iptables and no bridge. Everything they start is
//! stopped and checked for at the end: containers, sandboxes, mounts, network namespaces,
//! cgroups, processes ([`Leftovers`]).

pub mod compare;
pub mod containerd;
pub mod cri;
pub mod dockerd;
pub mod images;
pub mod kubelet;
pub mod lockstep;
pub mod observe;
pub mod random;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use crate::pause::wait_for;

/// The longest any one runtime call may take before the test fails (a hung runtime never hangs
/// CI).
pub const CALL_LIMIT: Duration = Duration::from_secs(60);

/// A fresh scratch folder and cgroup name for one engine: `/tmp/pauselab-KIND-PID-N`.
pub fn scratch(kind: &str) -> (PathBuf, String) {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let name = format!("pauselab-{kind}-{}-{n}", std::process::id());
    let dir = std::env::temp_dir().join(&name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("make the scratch folder");
    (dir, name)
}

/// One engine for every test of the binary that needs it: started by the first to ask, stopped
/// by the last to let go ([`release`]), which checks what it left behind.
pub fn shared<T>(slot: &Mutex<Weak<T>>, start: impl FnOnce() -> T) -> Arc<T> {
    let mut slot = slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(engine) = slot.upgrade() {
        return engine;
    }
    let engine = Arc::new(start());
    *slot = Arc::downgrade(&engine);
    engine
}

/// Lets go of a shared engine; the last user gets it back to stop it.
pub fn release<T>(engine: Arc<T>, last: impl FnOnce(T)) {
    if let Some(engine) = Arc::into_inner(engine) {
        last(engine);
    }
}

/// A daemon the test started: stopped (SIGTERM, then SIGKILL) when dropped.
#[derive(Debug)]
pub struct Daemon {
    name: &'static str,
    child: Option<Child>,
    log: PathBuf,
}

impl Daemon {
    /// Starts `command` with its output in `log`.
    pub fn start(name: &'static str, mut command: Command, log: &Path) -> Result<Daemon, String> {
        let out = fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        Ok(Daemon {
            name,
            child: Some(child),
            log: log.to_path_buf(),
        })
    }

    /// Waits (at most `limit`) until `ready` says so; fails with the end of the daemon's log if
    /// it exits or is not ready in time.
    pub fn wait_ready(
        &mut self,
        limit: Duration,
        mut ready: impl FnMut() -> bool,
    ) -> Result<(), String> {
        let started = Instant::now();
        let done = wait_for(limit, || {
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                return Some(Err(format!("{} exited ({status})", self.name)));
            }
            ready().then_some(Ok(()))
        });
        match done {
            Some(Ok(())) => Ok(()),
            Some(Err(why)) => Err(format!("{why}:\n{}", self.log_tail())),
            None => Err(format!(
                "{} not ready after {:?}:\n{}",
                self.name,
                started.elapsed(),
                self.log_tail()
            )),
        }
    }

    /// The daemon's pid.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The last lines of its log.
    pub fn log_tail(&self) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// SIGTERM, up to 30 s to finish, then SIGKILL.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let pid = nix::unistd::Pid::from_raw(child.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        let exited = wait_for(Duration::from_secs(30), || child.try_wait().ok().flatten());
        if exited.is_none() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.stop();
    }
}

/// What an engine left behind after it was stopped. Empty, or the test fails.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Leftovers {
    /// Processes still running in the engine's cgroups or naming its scratch folder.
    pub processes: Vec<String>,
    /// Mount points under the scratch folder, or on a network namespace it made.
    pub mounts: Vec<String>,
    /// Network namespace files it made that still exist.
    pub netns: Vec<String>,
    /// Cgroup folders under its cgroup parent that could not be removed.
    pub cgroups: Vec<String>,
}

impl Leftovers {
    /// Whether nothing was left.
    pub fn is_empty(&self) -> bool {
        *self == Leftovers::default()
    }
}

/// Every cgroup v1 hierarchy's (or the v2 tree's) folder for `parent`.
fn cgroup_dirs(parent: &str) -> Vec<PathBuf> {
    let root = Path::new("/sys/fs/cgroup");
    let mut dirs = vec![root.join(parent)];
    if let Ok(entries) = fs::read_dir(root) {
        for entry in entries.flatten() {
            let dir = entry.path().join(parent);
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
    }
    dirs.retain(|dir| dir.is_dir());
    dirs
}

/// Processes whose cgroup path contains `/parent/` or whose command line names `dir`.
fn processes_of(dir: &Path, parent: &str) -> Vec<(u32, String)> {
    let me = std::process::id();
    let needle = format!("/{parent}");
    let dir_text = dir.to_string_lossy().into_owned();
    let mut found = Vec::new();
    for pid in crate::proc::pids() {
        let proc_dir = Path::new("/proc").join(pid.to_string());
        if pid == me {
            continue;
        }
        let cgroup = fs::read_to_string(proc_dir.join("cgroup")).unwrap_or_default();
        let cmdline = fs::read(proc_dir.join("cmdline"))
            .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
            .unwrap_or_default();
        if cgroup.lines().any(|l| l.contains(&needle)) || cmdline.contains(&dir_text) {
            found.push((pid, cmdline.trim().to_owned()));
        }
    }
    found
}

/// Mount points (in this mount namespace) under `dir` or at one of `extra`.
fn mounts_of(dir: &Path, extra: &[PathBuf]) -> Vec<PathBuf> {
    let info = fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    info.lines()
        .filter_map(|line| line.split(' ').nth(4))
        .map(|point| PathBuf::from(point.replace("\\040", " ")))
        .filter(|point| point.starts_with(dir) || extra.contains(point))
        .collect()
}

/// Checks what an engine left behind, then removes it anyway: kills its processes, unmounts,
/// removes its cgroups, network namespace files and scratch folder. Returns what was left.
pub fn sweep(dir: &Path, cgroup_parent: &str, netns: &[PathBuf]) -> Leftovers {
    let mut left = Leftovers::default();
    let processes = processes_of(dir, cgroup_parent);
    for (pid, cmdline) in &processes {
        left.processes.push(format!("{pid} {cmdline}"));
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(*pid as i32),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
    if !processes.is_empty() {
        wait_for(Duration::from_secs(10), || {
            processes_of(dir, cgroup_parent).is_empty().then_some(())
        });
    }
    let mut mounts = mounts_of(dir, netns);
    // Deepest first.
    mounts.sort_by_key(|m| std::cmp::Reverse(m.components().count()));
    for point in &mounts {
        left.mounts.push(point.display().to_string());
        let _ = nix::mount::umount2(point, nix::mount::MntFlags::MNT_DETACH);
    }
    for file in netns {
        if file.exists() {
            left.netns.push(file.display().to_string());
            let _ = fs::remove_file(file);
        }
    }
    for top in cgroup_dirs(cgroup_parent) {
        let mut all: Vec<PathBuf> = walk_dirs(&top);
        all.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for dir in all {
            // The folder the engine itself made for its parent is expected; anything below
            // it with processes is not.
            if fs::remove_dir(&dir).is_err() {
                left.cgroups.push(dir.display().to_string());
            }
        }
    }
    // vfs and native snapshots can hold read-only folders.
    let _ = Command::new("chmod").arg("-R").arg("u+w").arg(dir).status();
    let _ = fs::remove_dir_all(dir);
    left
}

fn walk_dirs(top: &Path) -> Vec<PathBuf> {
    let mut out = vec![top.to_path_buf()];
    let mut index = 0;
    while index < out.len() && out.len() < 10_000 {
        if let Ok(entries) = fs::read_dir(&out[index]) {
            for entry in entries.flatten() {
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    out.push(entry.path());
                }
            }
        }
        index += 1;
    }
    out
}

/// Runs a command-line client (docker, ctr) with a time limit; its stdout, or its stderr as
/// the error.
pub fn run_client(command: Command, what: &str) -> Result<String, String> {
    let out = run_client_output(command, what)?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Runs a client as [`run_client`] does, bounded, and returns all it did: its status, stdout
/// and stderr.
pub fn run_client_output(mut command: Command, what: &str) -> Result<std::process::Output, String> {
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{what}: {e}"))?;
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(CALL_LIMIT) {
        Ok(Ok(out)) => Ok(out),
        Ok(Err(e)) => Err(format!("{what}: {e}")),
        Err(_) => {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid as i32),
                nix::sys::signal::Signal::SIGKILL,
            );
            Err(format!("{what}: no answer within {CALL_LIMIT:?}"))
        }
    }
}
