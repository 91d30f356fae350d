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
fn verbose_info(
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

    fn create_pod(&mut self, spec: &PodSpec) -> Result<(), RealError> {
        if spec.flavor != pauselab_core::pod::Flavor::Containerd {
            return Err(RealError::Unsupported(format!(
                "a {} pod runs on dockerd",
                spec.flavor.as_str()
            )));
        }
        if self.pods.contains_key(&spec.name) {
            return Err(RealError::Unsupported(format!("pod {} exists", spec.name)));
        }
        let fifos = self
            .containerd
            .dir()
            .join("puppets")
            .join(format!("{}-{}", self.tag, spec.name));
        fs::create_dir_all(&fifos).map_err(|e| RealError::Failed(e.to_string()))?;
        let mut pod = RealPod {
            spec: spec.clone(),
            sandbox: String::new(),
            config: PodSandboxConfig::default(),
            containers: Vec::new(),
            ip: None,
            pause: 0,
            attempt: 0,
            fifos,
        };
        self.start_sandbox(&mut pod)?;
        // Known before the containers start, so a failure half-way still cleans it up.
        self.pods.insert(spec.name.clone(), pod.clone());
        for index in 0..spec.containers.len() {
            let started = self.start_container(&pod, index, 0)?;
            pod.containers.push(started);
            self.pods.insert(spec.name.clone(), pod.clone());
        }
        Ok(())
    }

    fn start_sandbox(&self, pod: &mut RealPod) -> Result<(), RealError> {
        let spec = &pod.spec;
        let uid = format!("{}-{}-{}", self.tag, spec.name, pod.attempt);
        pod.config = PodSandboxConfig {
            metadata: Some(PodSandboxMetadata {
                name: spec.name.clone(),
                uid: uid.clone(),
                namespace: self.tag.clone(),
                attempt: pod.attempt,
            }),
            hostname: if spec.host_network {
                String::new()
            } else {
                spec.name.clone()
            },
            linux: Some(LinuxPodSandboxConfig {
                cgroup_parent: format!("/{}/pod{uid}", self.containerd.cgroup_parent),
                security_context: Some(LinuxSandboxSecurityContext {
                    namespace_options: Some(namespace_options(spec)?),
                    ..LinuxSandboxSecurityContext::default()
                }),
                ..LinuxPodSandboxConfig::default()
            }),
            ..PodSandboxConfig::default()
        };
        pod.sandbox = self.cri.run_pod_sandbox(&pod.config)?;
        let status = self.cri.pod_sandbox_status(&pod.sandbox)?;
        let (pid, netns) = verbose_info(&status.info);
        if let Some(path) = netns {
            self.containerd.remember_netns(path);
        }
        pod.pause = pid
            .ok_or_else(|| RealError::Failed("no pid for pause in the sandbox's status".into()))?;
        pod.ip = status
            .status
            .and_then(|s| s.network)
            .map(|n| n.ip)
            .filter(|ip| !ip.is_empty());
        Ok(())
    }

    fn start_container(
        &self,
        pod: &RealPod,
        index: usize,
        attempt: u32,
    ) -> Result<RealContainer, RealError> {
        let spec = &pod.spec.containers[index];
        let label = Label::Container(ContainerRef::new(&pod.spec.name, &spec.name));
        let fifo = fifo_name(&label);
        let config = ContainerConfig {
            metadata: Some(ContainerMetadata {
                name: spec.name.clone(),
                attempt,
            }),
            image: Some(ImageSpec {
                image: self.containerd.app_image.clone(),
                ..ImageSpec::default()
            }),
            command: puppet_command(&fifo, &spec.program)?,
            mounts: vec![Mount {
                container_path: format!("/{PUPPET_DIR}"),
                host_path: pod.fifos.display().to_string(),
                ..Mount::default()
            }],
            linux: Some(LinuxContainerConfig {
                security_context: Some(LinuxContainerSecurityContext {
                    // The model has no capabilities; `unshare -p -f` in a container (scenario
                    // 12) needs this one, which a pod asks for in its securityContext.
                    capabilities: Some(Capability {
                        add_capabilities: vec!["SYS_ADMIN".into()],
                        ..Capability::default()
                    }),
                    namespace_options: Some(namespace_options(&pod.spec)?),
                    ..LinuxContainerSecurityContext::default()
                }),
                ..LinuxContainerConfig::default()
            }),
            ..ContainerConfig::default()
        };
        let id = self
            .cri
            .create_and_start(&pod.sandbox, config, &pod.config)?;
        let path = pod.fifos.join(&fifo);
        let init = wait_for(SETTLE, || observe::fifo_holder(&path)).ok_or_else(|| {
            RealError::Failed(format!(
                "{label} never came up:\n{}",
                self.containerd.log_tail()
            ))
        })?;
        let pid_ns = observe::ns_inode(init, "pid")
            .ok_or_else(|| RealError::Failed(format!("{label} has no pid namespace")))?;
        Ok(RealContainer {
            name: spec.name.clone(),
            id,
            attempt,
            init,
            pid_ns,
        })
    }

    /// `kubectl debug --target`: an ephemeral container in the target's pid namespace (CRI's
    /// NamespaceMode TARGET) running the puppet as the named process.
    fn debug(&mut self, target: &ContainerRef, name: &str, comm: &str) -> Result<(), RealError> {
        let target_id = self.container(target)?.id;
        let pod = self.pod(&target.pod)?;
        let mut options = namespace_options(&pod.spec)?;
        options.pid = mode(NamespaceMode::Target);
        options.target_id = target_id;
        let config = ContainerConfig {
            metadata: Some(ContainerMetadata {
                name: format!("debugger-{}", target.container),
                attempt: 0,
            }),
            image: Some(ImageSpec {
                image: self.containerd.app_image.clone(),
                ..ImageSpec::default()
            }),
            command: puppet_command(name, &Program::named(comm))?,
            mounts: vec![Mount {
                container_path: format!("/{PUPPET_DIR}"),
                host_path: pod.fifos.display().to_string(),
                ..Mount::default()
            }],
            linux: Some(LinuxContainerConfig {
                security_context: Some(LinuxContainerSecurityContext {
                    namespace_options: Some(options),
                    ..LinuxContainerSecurityContext::default()
                }),
                ..LinuxContainerConfig::default()
            }),
            ..ContainerConfig::default()
        };
        let (sandbox, sandbox_config) = (pod.sandbox.clone(), pod.config.clone());
        self.cri
            .create_and_start(&sandbox, config, &sandbox_config)?;
        self.named.insert(name.to_owned(), target.pod.clone());
        let path = self.fifo_path(&Label::Named(name.to_owned()))?;
        wait_for(SETTLE, || observe::fifo_holder(&path)).ok_or_else(|| {
            RealError::Failed(format!(
                "the debug container {name} never came up:\n{}",
                self.containerd.log_tail()
            ))
        })?;
        Ok(())
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

    fn exec(&mut self, container: &ContainerRef, name: &str, comm: &str) -> Result<(), RealError> {
        let id = self.container(container)?.id;
        self.named.insert(name.to_owned(), container.pod.clone());
        let path = self.fifo_path(&Label::Named(name.to_owned()))?;
        // What kubectl exec runs is that program, as the model's exec_into runs it.
        let command = puppet_command(name, &Program::named(comm))?;
        let command: Vec<&str> = command.iter().map(String::as_str).collect();
        let session = self.cri.exec_start(&id, &command, 0);
        // Up, or refused (the answer comes at once), whichever is first.
        let up = wait_for(SETTLE, || {
            if observe::fifo_holder(&path).is_some() {
                Some(true)
            } else {
                session.is_finished().then_some(false)
            }
        });
        match up {
            Some(true) => {
                self.sessions.push(session);
                Ok(())
            }
            Some(false) => {
                self.named.remove(name);
                match session.finish(self.cri) {
                    Err(error) => Err(RealError::Refused(error)),
                    Ok(answer) => Err(RealError::Failed(format!(
                        "exec {name} exited {} at once: {}",
                        answer.exit_code,
                        String::from_utf8_lossy(&answer.stderr)
                    ))),
                }
            }
            None => Err(RealError::Failed(format!("exec {name} never came up"))),
        }
    }

    fn restart(&mut self, id: &ContainerRef) -> Result<(), RealError> {
        let old = self.container(id)?;
        self.cri.stop_container(&old.id, GRACE)?;
        let pod = self.pod(&id.pod)?.clone();
        let index = pod
            .containers
            .iter()
            .position(|c| c.name == id.container)
            .ok_or_else(|| RealError::Unsupported(format!("no real container {id}")))?;
        let started = self.start_container(&pod, index, old.attempt + 1)?;
        let exited = self.wait_containers_exited(std::iter::once(old.id.as_str()));
        self.cri
            .remove_container(&old.id)
            .map_err(|refused| self.removal_failure(exited, &id.to_string(), refused))?;
        if let Some(pod) = self.pods.get_mut(&id.pod) {
            pod.containers[index] = started;
        }
        Ok(())
    }

    /// pause is SIGKILLed from the host; kubelet sees the sandbox not ready, stops it (which
    /// kills its containers), and makes a new one with every container again.
    fn kill_pause(&mut self, name: &str) -> Result<(), RealError> {
        let old = self.pod(name)?.clone();
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(old.pause as i32),
            nix::sys::signal::Signal::SIGKILL,
        );
        wait_for(SETTLE, || {
            let status = self.cri.pod_sandbox_status(&old.sandbox).ok()?.status?;
            (status.state != k8s_cri::v1::PodSandboxState::SandboxReady as i32).then_some(())
        })
        .ok_or_else(|| RealError::Failed("the sandbox stayed ready after pause died".into()))?;
        self.stop_and_remove_sandbox(&old)?;
        let mut pod = RealPod {
            containers: Vec::new(),
            attempt: old.attempt + 1,
            ..old.clone()
        };
        self.start_sandbox(&mut pod)?;
        self.pods.insert(name.to_owned(), pod.clone());
        for (index, container) in old.containers.iter().enumerate() {
            let started = self.start_container(&pod, index, container.attempt + 1)?;
            pod.containers.push(started);
            self.pods.insert(name.to_owned(), pod.clone());
        }
        Ok(())
    }

    fn delete_pod(&mut self, name: &str) -> Result<(), RealError> {
        let pod = self.pod(name)?.clone();
        self.stop_and_remove_sandbox(&pod)?;
        self.pods.remove(name);
        Ok(())
    }

    /// StopPodSandbox, then RemovePodSandbox once containerd has seen every container exit.
    fn stop_and_remove_sandbox(&self, pod: &RealPod) -> Result<(), RealError> {
        self.cri.stop_pod_sandbox(&pod.sandbox)?;
        let exited = self.wait_containers_exited(pod.containers.iter().map(|c| c.id.as_str()));
        self.cri
            .remove_pod_sandbox(&pod.sandbox)
            .map_err(|refused| self.removal_failure(exited, &pod.spec.name, refused))
    }

    /// Waits (at most [`SETTLE`]) until containerd marks every one of these containers exited.
    ///
    /// containerd 1.6's StopContainer (and StopPodSandbox, which calls it) returns at once,
    /// without waiting, when its exit handler has already deleted a container's task but not yet
    /// marked the container exited (seen in CI: a pod whose shared pid namespace died with
    /// pause); a removal right after is refused with "container is still running". kubelet's
    /// garbage collector simply tries again later; we wait for the state instead.
    fn wait_containers_exited<'i>(&self, ids: impl Iterator<Item = &'i str> + Clone) -> bool {
        let running = k8s_cri::v1::ContainerState::ContainerRunning as i32;
        wait_for(SETTLE, || {
            ids.clone()
                .all(|id| {
                    // A container the runtime no longer knows is not running either.
                    self.cri
                        .container_status(id)
                        .map_or(true, |status| status.state != running)
                })
                .then_some(())
        })
        .is_some()
    }

    /// What a refused removal means: the runtime's word, or that the wait for the exit ran out.
    fn removal_failure(&self, exited: bool, what: &str, refused: CriError) -> RealError {
        if exited {
            RealError::Refused(refused)
        } else {
            RealError::Failed(format!(
                "{what} still ran {} s after it was stopped: {refused}",
                SETTLE.as_secs()
            ))
        }
    }

    /// Removes every pod (StopPodSandbox, RemovePodSandbox) and waits for every exec session.
    pub fn clear(&mut self) -> Result<(), RealError> {
        let names: Vec<String> = self.pods.keys().cloned().collect();
        // One pod that will not go does not keep the others: every pod is tried, the first
        // failure is told.
        let mut first_failure = None;
        for name in names {
            if let Err(failure) = self.delete_pod(&name) {
                first_failure.get_or_insert(failure);
            }
        }
        for session in self.sessions.drain(..) {
            // An exec session ends with its container; its answer does not matter here.
            let _ = session.finish(self.cri);
        }
        first_failure.map_or(Ok(()), Err)
    }
}

impl Drop for RealNode<'_> {
    /// A test that failed half-way still removes its pods.
    fn drop(&mut self) {
        let _ = self.clear();
    }
}
