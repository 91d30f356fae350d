//! `pauselab pod run`: a real pod built from namespaces the way a CRI runtime does it (K24):
//! pause in new net, ipc, uts and pid namespaces, then each container cloned into its own pid
//! namespace (or pause's, with `--share-pid`) and entering pause's net, ipc and uts namespaces
//! with setns. Everything is torn down when the containers end or on SIGINT/SIGTERM.

use std::ffi::CString;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use nix::sched::{clone, setns, CloneFlags};
use nix::sys::signal::{kill, SigSet, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::{execv, sethostname, Pid};

/// What to build.
#[derive(Clone, Debug)]
pub struct PodOptions {
    /// Containers share pause's pid namespace (shareProcessNamespace).
    pub share_pid: bool,
    /// Containers use the host's net and uts namespaces.
    pub host_network: bool,
    /// Containers use the host's ipc namespace.
    pub host_ipc: bool,
    /// One shell command per container.
    pub commands: Vec<String>,
    /// The pause binary.
    pub pause: PathBuf,
}

/// A step of building or running the pod that failed.
#[derive(Debug, thiserror::Error)]
pub enum PodRunError {
    /// Namespaces need root.
    #[error("pauselab pod run needs root (it creates namespaces)")]
    NotRoot,
    /// No pause binary where expected.
    #[error("no pause binary at {0} (build it, or give --pause PATH)")]
    NoPause(PathBuf),
    /// An argument with a NUL byte.
    #[error("argument \"{0}\" contains a NUL byte")]
    Nul(String),
    /// clone() of pause or a container.
    #[error("starting {what}")]
    Clone {
        /// Which process.
        what: String,
        /// The errno.
        #[source]
        source: nix::Error,
    },
    /// Opening pause's namespace files or entering its pid namespace.
    #[error("entering pause's {kind} namespace")]
    Setns {
        /// The kind.
        kind: &'static str,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Blocking or waiting for signals.
    #[error("waiting for the containers")]
    Wait(#[source] nix::Error),
}

/// A running pod's processes.
#[derive(Debug)]
pub struct RunningPod {
    /// pause's pid.
    pub pause: Pid,
    /// Each container's first process.
    pub containers: Vec<Pid>,
}

const STACK: usize = 256 * 1024;

/// Clones a child into new namespaces `flags`; in the child, `prepare` runs, then `argv` is
/// exec'd. Returns the child's pid once it has exec'd (or failed), so that its namespaces are
/// final: the child's end of a close-on-exec pipe closes at exec, and the parent reads EOF.
fn spawn(
    what: &str,
    flags: CloneFlags,
    argv: &[CString],
    prepare: &dyn Fn() -> Result<(), String>,
) -> Result<Pid, PodRunError> {
    let (exec_read, exec_write) =
        nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|source| PodRunError::Clone {
            what: what.to_owned(),
            source,
        })?;
    let mut stack = vec![0u8; STACK];
    let child = Box::new(|| {
        if let Err(message) = prepare() {
            eprintln!("pauselab: {message}");
            return 125;
        }
        let error = execv(&argv[0], argv).err().map(|e| e.desc()).unwrap_or("?");
        eprintln!(
            "pauselab: cannot run {}: {error}",
            argv[0].to_string_lossy()
        );
        127
    });
    // SAFETY: pauselab is single-threaded here; the child gets its own copy of memory (no
    // CLONE_VM) and a 256 KiB stack, and only prepares namespaces and execs.
    let pid = unsafe { clone(child, &mut stack, flags, Some(Signal::SIGCHLD as i32)) }.map_err(
        |source| PodRunError::Clone {
            what: what.to_owned(),
            source,
        },
    )?;
    drop(exec_write);
    let mut byte = [0u8; 1];
    let _ = std::io::Read::read(&mut File::from(exec_read), &mut byte);
    Ok(pid)
}

fn ns_file(pid: Pid, kind: &'static str) -> Result<File, PodRunError> {
    File::open(format!("/proc/{pid}/ns/{kind}"))
        .map_err(|source| PodRunError::Setns { kind, source })
}

/// Builds the pod: pause first, then the containers, in order.
pub fn start(options: &PodOptions) -> Result<RunningPod, PodRunError> {
    if !nix::unistd::geteuid().is_root() {
        return Err(PodRunError::NotRoot);
    }
    if !options.pause.is_file() {
        return Err(PodRunError::NoPause(options.pause.clone()));
    }
    let cstring = |s: &str| CString::new(s).map_err(|_| PodRunError::Nul(s.to_owned()));
    let pause_argv = [cstring(&options.pause.to_string_lossy())?];
    // hostNetwork keeps the host's net and uts namespaces, hostIPC its ipc namespace (K24).
    let mut sandbox = CloneFlags::CLONE_NEWPID;
    if !options.host_network {
        sandbox |= CloneFlags::CLONE_NEWNET | CloneFlags::CLONE_NEWUTS;
    }
    if !options.host_ipc {
        sandbox |= CloneFlags::CLONE_NEWIPC;
    }
    let own_uts = !options.host_network;
    let name_it = move || {
        if own_uts {
            sethostname("pauselab-pod").map_err(|e| format!("sethostname: {e}"))
        } else {
            Ok(())
        }
    };
    let pause = spawn("pause", sandbox, &pause_argv, &name_it)?;

    // Containers are born in pause's pid namespace when it is shared: pauselab points its
    // pid_for_children there (K4), so they are pause's siblings with ppid 0 inside (K10).
    if options.share_pid {
        setns(ns_file(pause, "pid")?, CloneFlags::CLONE_NEWPID).map_err(|e| {
            PodRunError::Setns {
                kind: "pid",
                source: e.into(),
            }
        })?;
    }
    let mut joins: Vec<(&'static str, CloneFlags)> = Vec::new();
    if !options.host_network {
        joins.extend([
            ("net", CloneFlags::CLONE_NEWNET),
            ("uts", CloneFlags::CLONE_NEWUTS),
        ]);
    }
    if !options.host_ipc {
        joins.push(("ipc", CloneFlags::CLONE_NEWIPC));
    }
    let files: Vec<(File, CloneFlags)> = joins
        .iter()
        .map(|(kind, flag)| Ok((ns_file(pause, kind)?, *flag)))
        .collect::<Result<_, PodRunError>>()?;
    let mut containers = Vec::new();
    for (index, command) in options.commands.iter().enumerate() {
        let argv = [cstring("/bin/sh")?, cstring("-c")?, cstring(command)?];
        let flags = if options.share_pid {
            CloneFlags::empty()
        } else {
            CloneFlags::CLONE_NEWPID
        };
        let enter = || {
            for (file, flag) in &files {
                setns(file, *flag).map_err(|e| format!("setns: {e}"))?;
            }
            Ok(())
        };
        containers.push(spawn(
            &format!("container {}", index + 1),
            flags,
            &argv,
            &enter,
        )?);
    }
    Ok(RunningPod { pause, containers })
}

/// The namespace table: per kind, each identity and which of the pod's processes hold it.
pub fn namespace_table(pod: &RunningPod) -> String {
    let names: Vec<(String, Pid)> = std::iter::once(("pause".to_owned(), pod.pause))
        .chain(
            pod.containers
                .iter()
                .enumerate()
                .map(|(i, pid)| (format!("c{}", i + 1), *pid)),
        )
        .collect();
    let mut table = String::new();
    for kind in ["net", "ipc", "uts", "pid", "mnt", "user", "cgroup", "time"] {
        let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
        for (name, pid) in &names {
            let id = std::fs::read_link(format!("/proc/{pid}/ns/{kind}"))
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| "?".into());
            match groups.iter_mut().find(|(seen, _)| *seen == id) {
                Some((_, holders)) => holders.push(name),
                None => groups.push((id, vec![name])),
            }
        }
        for (id, holders) in groups {
            table.push_str(&format!("{kind:<7} {id:<22} {}\n", holders.join(", ")));
        }
    }
    table
}

/// Waits until every container has ended or SIGINT/SIGTERM arrives, then kills what is left
/// (pause last) and reaps everything.
pub fn supervise(pod: &RunningPod, out: &mut impl Write) -> Result<(), PodRunError> {
    let mut signals = SigSet::empty();
    for signal in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGCHLD] {
        signals.add(signal);
    }
    signals.thread_block().map_err(PodRunError::Wait)?;
    let mut running = pod.containers.clone();
    while !running.is_empty() {
        let signal = signals.wait().map_err(PodRunError::Wait)?;
        if signal != Signal::SIGCHLD {
            let _ = writeln!(out, "got {signal}: tearing the pod down");
            break;
        }
        while let Ok(WaitStatus::Exited(pid, _) | WaitStatus::Signaled(pid, _, _)) =
            waitpid(None, Some(WaitPidFlag::WNOHANG))
        {
            running.retain(|p| *p != pid);
        }
    }
    // A container's first process is its pid namespace's init (or, shared, pause is): SIGKILL
    // from here, an ancestor namespace, always reaches it, and its namespace dies with it (K17, K19).
    for pid in running.iter().chain([&pod.pause]) {
        let _ = kill(*pid, Signal::SIGKILL);
    }
    while waitpid(None, None).is_ok() {}
    Ok(())
}

/// Where `pause` is by default: beside the running `pauselab`.
pub fn default_pause() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("pause")))
        .unwrap_or_else(|| Path::new("pause").to_path_buf())
}
