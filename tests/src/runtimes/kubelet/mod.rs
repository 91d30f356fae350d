//! kubelet, for the tests: plays a scenario's actions on a real containerd through CRI, the
//! way kubelet would, so that the model's node and a real one can be compared after each.
//!
//! Every app process is a [`puppet`](../../puppet/src/main.rs) that behaves like the model's
//! program and forks, exits and kills when told through its FIFO, so each kernel event is made
//! by the process the scenario names. The FIFOs are in a host folder per pod, bind-mounted at
//! `/run/puppet` in each of its containers.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::time::Duration;

use k8s_cri::v1::{
    Capability, ContainerConfig, ContainerMetadata, ImageSpec, LinuxContainerConfig,
    LinuxContainerSecurityContext, LinuxPodSandboxConfig, LinuxSandboxSecurityContext, Mount,
    NamespaceMode, NamespaceOption, PodSandboxConfig, PodSandboxMetadata,
};
use pauselab_core::pod::{ContainerRef, Measured, PidMode, PodSpec, Program};
use pauselab_core::scenario::{Action, Label};

use super::containerd::Containerd;
use super::cri::{Cri, CriError, PendingExec};
use super::observe;
use crate::pause::wait_for;

mod lifecycle;
mod start;

/// Where the puppets' FIFOs are inside a container (a bind mount of the pod's folder).
pub const PUPPET_DIR: &str = "run/puppet";

/// How long a real change may take to show before the test says the node disagrees.
pub const SETTLE: Duration = Duration::from_secs(20);

/// The grace period of StopContainer, in seconds (kubelet's default is 30; the tests' apps
/// either exit on SIGTERM at once or ignore it).
pub const GRACE: i64 = 2;

/// Why an action did not happen on the real node.
#[derive(Debug)]
pub enum RealError {
    /// CRI cannot express it (dockershim pods, a program that forks at start, a label the
    /// real node has no process for).
    Unsupported(String),
    /// The runtime refused it: its own message.
    Refused(CriError),
    /// The node did not do it in time, or a step of the test itself failed.
    Failed(String),
}

impl std::fmt::Display for RealError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RealError::Unsupported(why) => write!(f, "not expressible through CRI: {why}"),
            RealError::Refused(error) => write!(f, "the runtime refused: {error}"),
            RealError::Failed(why) => f.write_str(why),
        }
    }
}

impl From<CriError> for RealError {
    fn from(error: CriError) -> Self {
        RealError::Refused(error)
    }
}

/// A container as the real node runs it.
#[derive(Clone, Debug)]
pub struct RealContainer {
    /// Its name in the pod.
    pub name: String,
    /// The runtime's id.
    pub id: String,
    /// kubelet's attempt number.
    pub attempt: u32,
    /// Its first process's host pid.
    pub init: u32,
    /// Its pid namespace (inode).
    pub pid_ns: u64,
}

/// A pod as the real node runs it.
#[derive(Clone, Debug)]
pub struct RealPod {
    /// Its spec.
    pub spec: PodSpec,
    /// The sandbox's id.
    pub sandbox: String,
    config: PodSandboxConfig,
    /// Its containers, in the spec's order.
    pub containers: Vec<RealContainer>,
    /// Its IP, none with hostNetwork.
    pub ip: Option<String>,
    /// pause's host pid.
    pub pause: u32,
    attempt: u32,
    fifos: PathBuf,
}

/// A real node driven through CRI.
#[derive(Debug)]
pub struct RealNode<'a> {
    cri: &'a Cri,
    containerd: &'a Containerd,
    tag: String,
    /// The pods, by name.
    pub pods: BTreeMap<String, RealPod>,
    /// Which pod's folder holds each named process's FIFO.
    named: BTreeMap<String, String>,
    sessions: Vec<PendingExec>,
}

fn mode(value: NamespaceMode) -> i32 {
    value as i32
}

fn namespace_options(spec: &PodSpec) -> Result<NamespaceOption, RealError> {
    let pid = match spec
        .pid_mode()
        .map_err(|e| RealError::Unsupported(e.to_string()))?
    {
        PidMode::Container => NamespaceMode::Container,
        PidMode::Pod => NamespaceMode::Pod,
        PidMode::Node => NamespaceMode::Node,
    };
    Ok(NamespaceOption {
        network: mode(if spec.host_network {
            NamespaceMode::Node
        } else {
            NamespaceMode::Pod
        }),
        pid: mode(pid),
        ipc: mode(if spec.host_ipc {
            NamespaceMode::Node
        } else {
            NamespaceMode::Pod
        }),
        ..NamespaceOption::default()
    })
}

/// The puppet's command line for a program: a program named after a real one behaves as the
/// measured table says (K30), as in the model.
fn puppet_command(name: &str, program: &Program) -> Result<Vec<String>, RealError> {
    if !program.forks.is_empty() {
        return Err(RealError::Unsupported(format!(
            "{}'s program forks when it starts",
            program.comm
        )));
    }
    let program = program
        .resolved()
        .map_err(|e| RealError::Unsupported(e.to_string()))?;
    let mut command = vec![
        "/puppet".to_owned(),
        "--as".to_owned(),
        name.to_owned(),
        "--comm".to_owned(),
        program.comm.clone(),
    ];
    let flags = [
        (program.reaps, "--reaps"),
        (program.ignores_sigchld, "--ignores-sigchld"),
        (program.subreaper, "--subreaper"),
        (program.forwards, "--forwards"),
    ];
    command.extend(
        flags
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, flag)| (*flag).to_owned()),
    );
    // nginx's master forks its workers (the table's, K30).
    let workers = Measured::find(&program.comm).map_or(0, |known| known.workers);
    if workers > 0 {
        command.extend(["--workers".to_owned(), workers.to_string()]);
    }
    for (flag, list) in [
        ("--exits-on", &program.exits_on),
        ("--catches", &program.catches),
        ("--ignores", &program.ignores),
    ] {
        if !list.is_empty() {
            let numbers: Vec<String> = list.iter().map(|s| s.number().to_string()).collect();
            command.extend([flag.to_owned(), numbers.join(",")]);
        }
    }
    Ok(command)
}

/// A FIFO's name for a label: `web/app` → `web.app`.
fn fifo_name(label: &Label) -> String {
    label.to_string().replace('/', ".")
}

/// The `pid` in a CRI verbose `info` (sandbox or container), and the network namespace path.
pub fn verbose_info(
    info: &std::collections::HashMap<String, String>,
) -> (Option<u32>, Option<PathBuf>) {
    let Some(json) = info
        .get("info")
        .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
    else {
        return (None, None);
    };
    let pid = json["pid"].as_u64().and_then(|p| u32::try_from(p).ok());
    let netns = json["runtimeSpec"]["linux"]["namespaces"]
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|ns| ns["type"] == "network")
                .and_then(|ns| ns["path"].as_str())
                .filter(|p| !p.is_empty())
                .map(PathBuf::from)
        });
    (pid, netns)
}

impl<'a> RealNode<'a> {
    /// A node on this containerd; `tag` keeps its pods apart from other tests'.
    pub fn new(cri: &'a Cri, containerd: &'a Containerd, tag: &str) -> RealNode<'a> {
        RealNode {
            cri,
            containerd,
            tag: tag.to_owned(),
            pods: BTreeMap::new(),
            named: BTreeMap::new(),
            sessions: Vec::new(),
        }
    }

    /// The CRI client.
    pub fn cri(&self) -> &Cri {
        self.cri
    }

    /// Plays one scenario action.
    pub fn act(&mut self, action: &Action) -> Result<(), RealError> {
        match action {
            Action::CreatePod { pod } => self.create_pod(pod),
            Action::Fork {
                process,
                name,
                comm,
                new,
            } => {
                let pid_only = new.iter().all(|k| k == pauselab_core::NsKind::Pid);
                if !pid_only {
                    return Err(RealError::Unsupported(format!("fork into new {new:?}")));
                }
                let new_pid = new.contains(pauselab_core::NsKind::Pid);
                // A fork with a program is a fork and an exec: the child's handlers reset.
                let exec = if comm.is_some() { " exec" } else { "" };
                let comm = comm.clone().unwrap_or_else(|| name.clone());
                let pod = self.pod_of(process)?;
                self.tell(
                    process,
                    &format!(
                        "fork {name} {comm}{}{exec}",
                        if new_pid { " pid" } else { "" }
                    ),
                )?;
                self.named.insert(name.clone(), pod);
                self.wait_puppet(name)
            }
            Action::Exit { process, code } => {
                let pid = self.host_pid(process)?;
                self.tell(process, &format!("exit {code}"))?;
                self.wait_exited(pid)
            }
            Action::Kill {
                from,
                target,
                signal,
            } => self.tell(from, &format!("kill {target} {signal}")),
            Action::KillFromHost { process, signal } => {
                let pid = self.host_pid(process)?;
                nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid as i32),
                    nix::sys::signal::Signal::try_from(signal.number() as i32)
                        .map_err(|e| RealError::Failed(e.to_string()))?,
                )
                .map_err(|e| RealError::Failed(format!("kill {pid}: {e}")))
            }
            Action::Exec {
                container,
                name,
                comm,
            } => self.exec(container, name, comm),
            Action::Debug {
                container,
                name,
                comm,
            } => self.debug(container, name, comm),
            Action::ExecProbe { container } => {
                let id = self.container(container)?.id;
                let answer = self.cri.exec_sync(&id, &["/puppet", "--probe"], 10)?;
                if answer.exit_code != 0 {
                    return Err(RealError::Failed(format!(
                        "the probe exited {}: {}",
                        answer.exit_code,
                        String::from_utf8_lossy(&answer.stderr)
                    )));
                }
                Ok(())
            }
            Action::StopContainer { container } => {
                let id = self.container(container)?.id;
                self.cri.stop_container(&id, GRACE)?;
                Ok(())
            }
            Action::RestartContainer { container } => self.restart(container),
            Action::KillPause { pod } => self.kill_pause(pod),
            Action::DeletePod { pod } => self.delete_pod(pod),
            Action::DockerRun { .. }
            | Action::DockerCreate { .. }
            | Action::DockerStart { .. }
            | Action::DockerRm { .. }
            | Action::DockerKill { .. }
            | Action::DockerStop { .. }
            | Action::DockerExec { .. } => Err(RealError::Unsupported(
                "docker's commands are dockerd's (cross/dockerd.rs)".into(),
            )),
            Action::Type { .. } => Err(RealError::Unsupported(
                "typed lines are checked against real shells in cross/terminal.rs".into(),
            )),
            Action::Wait { .. } | Action::Sigaction { .. } | Action::SetSubreaper { .. } => Err(
                RealError::Unsupported("a puppet does not take this command".into()),
            ),
        }
    }

    fn pod(&self, name: &str) -> Result<&RealPod, RealError> {
        self.pods
            .get(name)
            .ok_or_else(|| RealError::Unsupported(format!("no real pod {name}")))
    }

    fn container(&self, id: &ContainerRef) -> Result<RealContainer, RealError> {
        self.pod(&id.pod)?
            .containers
            .iter()
            .find(|c| c.name == id.container)
            .cloned()
            .ok_or_else(|| RealError::Unsupported(format!("no real container {id}")))
    }

    /// The pod whose FIFO folder serves a label's puppet.
    fn pod_of(&self, label: &Label) -> Result<String, RealError> {
        match label {
            Label::Container(id) => Ok(id.pod.clone()),
            Label::Named(name) => self
                .named
                .get(name)
                .cloned()
                .ok_or_else(|| RealError::Unsupported(format!("no real process {name}"))),
            other => Err(RealError::Unsupported(format!("{other} takes no commands"))),
        }
    }

    fn fifo_path(&self, label: &Label) -> Result<PathBuf, RealError> {
        let pod = self.pod_of(label)?;
        Ok(self.pod(&pod)?.fifos.join(fifo_name(label)))
    }

    /// A process's host pid.
    pub fn host_pid(&self, label: &Label) -> Result<u32, RealError> {
        match label {
            Label::Pause { pod } => Ok(self.pod(pod)?.pause),
            Label::Container(id) => Ok(self.container(id)?.init),
            Label::Named(_) => observe::fifo_holder(&self.fifo_path(label)?)
                .ok_or_else(|| RealError::Failed(format!("{label} is not running"))),
            other => Err(RealError::Unsupported(format!(
                "{other} has no real process"
            ))),
        }
    }

    /// Writes a command line to a puppet's FIFO.
    fn tell(&self, label: &Label, command: &str) -> Result<(), RealError> {
        let path = self.fifo_path(label)?;
        // Non-blocking: with no puppet holding it, the open fails at once (ENXIO).
        let mut fifo = fs::OpenOptions::new()
            .write(true)
            .custom_flags(nix::libc::O_NONBLOCK)
            .open(&path)
            .map_err(|e| RealError::Failed(format!("{label} takes no commands ({e})")))?;
        fifo.write_all(format!("{command}\n").as_bytes())
            .map_err(|e| RealError::Failed(format!("tell {label}: {e}")))
    }

    fn wait_puppet(&self, name: &str) -> Result<(), RealError> {
        let label = Label::Named(name.to_owned());
        let path = self.fifo_path(&label)?;
        wait_for(SETTLE, || observe::fifo_holder(&path))
            .map(|_| ())
            .ok_or_else(|| RealError::Failed(format!("{name} never came up")))
    }

    /// Waits until a process has exited (a zombie or gone), so the next action comes after.
    fn wait_exited(&self, pid: u32) -> Result<(), RealError> {
        wait_for(SETTLE, || {
            let state = crate::proc::state(pid);
            matches!(state, None | Some('Z') | Some('X')).then_some(())
        })
        .ok_or_else(|| RealError::Failed(format!("{pid} did not exit")))
    }
}

impl Drop for RealNode<'_> {
    /// A test that failed half-way still removes its pods.
    fn drop(&mut self) {
        let _ = self.clear();
    }
}
