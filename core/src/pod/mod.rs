//! The pod layer: pods, containers and container runtimes on top of the kernel model. It only
//! ever emits kernel events (`World::apply`), so everything K1–K19 says still holds; it adds
//! what runtimes and kubelet do (K20–K28).
//!
//! - [`spec`](PodSpec): what a pod is (K25's pid modes, validation);
//! - `programs`: what processes do when signals arrive ([`Program`]), run after each event;
//! - `runtime`: how each [`Flavor`] makes a sandbox and joins containers to it (K23, K24, K26);
//! - `kubelet`: the operations on pods (create, exec, probe, stop, restart, kill pause, delete);
//! - `docker`: `docker run` and its flags (K21, K22);
//! - `addresses`: pod IPs.
//!
//! Every operation is all-or-nothing: if any of its events is refused, the node is left as it
//! was, and the refusal is a [`PodError`].

mod addresses;
mod docker;
mod error;
mod kubelet;
mod names;
mod programs;
mod runtime;
mod spec;

use crate::sorted_map::SortedMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use docker::{
    container_id, DockerRun, DockerState, HostConfig, Inspect, InvalidFlag, IpcFlag, IpcMode,
    NetworkFlag, PidFlag,
};
pub use error::{
    DockerAsk, DockerError, DockerNs, Entry, Internal, Invalid, NotFound, PodError, Refusal,
};
pub use names::{Cgroup, ContainerRef};
pub use programs::{Measured, NotAsMeasured, Program, MEASURED};
pub use spec::{ContainerSpec, Flavor, PidMode, PodSpec};

use crate::event::Event;
use crate::ns::{NsId, NsKind, NsKinds};
use crate::outcome::Outcome;
use crate::process::{ExitStatus, Pid};
use crate::rule::Rule;
use crate::signal::Signal;
use crate::world::World;

/// One thing that happened on the node during an operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum NodeStep {
    /// A kernel event and what the kernel did.
    Kernel {
        /// The event.
        event: Event,
        /// Its outcomes.
        outcomes: Vec<Outcome>,
    },
    /// What the runtime or kubelet says.
    Runtime {
        /// What it says.
        note: RuntimeNote,
    },
    /// A line typed at a shell of the model and what it printed, or why it was not run
    /// (`crate::shell`). The kernel events it made follow as their own steps.
    Typed {
        /// The shell's host pid.
        shell: Pid,
        /// The line.
        line: String,
        /// What it printed and its status, or the terminal's refusal.
        said: Result<(String, u8), crate::shell::Refused>,
    },
}

/// What the runtime or kubelet reports during an operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum RuntimeNote {
    /// The grace period is over and processes of the container are still alive: they get
    /// SIGKILL (K28).
    GracePeriodOver {
        /// The container.
        cgroup: Cgroup,
        /// How many processes are left.
        left: usize,
    },
    /// A container that does not own its pid namespace lost its first process: the shim kills
    /// every process left in its cgroup (containerd's `ShouldKillAllOnExit` → `runc kill --all`),
    /// since no init death will (K28).
    KillAll {
        /// The container.
        cgroup: Cgroup,
        /// How many processes were left.
        left: usize,
    },
    /// pause died: the sandbox will be re-created (K27).
    SandboxChanged {
        /// The pod.
        pod: String,
    },
    /// The pod has a new sandbox (K27).
    NewSandbox {
        /// The pod.
        pod: String,
        /// Its new IP; none with hostNetwork (it has the node's).
        ip: Option<String>,
    },
}

enum_with_all! {
    /// Which note it is, without its facts: what a scenario expects the runtime to say.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[allow(missing_docs)] // each is the note of the same name
    pub enum NoteKind {
        GracePeriodOver,
        KillAll,
        SandboxChanged,
        NewSandbox,
    }
}

impl RuntimeNote {
    /// Which note it is.
    pub fn kind(&self) -> NoteKind {
        match self {
            RuntimeNote::GracePeriodOver { .. } => NoteKind::GracePeriodOver,
            RuntimeNote::KillAll { .. } => NoteKind::KillAll,
            RuntimeNote::SandboxChanged { .. } => NoteKind::SandboxChanged,
            RuntimeNote::NewSandbox { .. } => NoteKind::NewSandbox,
        }
    }

    /// The rule behind it.
    pub fn rule(&self) -> Rule {
        match self {
            RuntimeNote::GracePeriodOver { .. } | RuntimeNote::KillAll { .. } => Rule::K28,
            RuntimeNote::SandboxChanged { .. } | RuntimeNote::NewSandbox { .. } => Rule::K27,
        }
    }
}

/// A container of a pod, as the runtime tracks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Container {
    /// Its name.
    pub name: String,
    /// Its first process (host pid).
    pub init: Pid,
    /// The pid namespace it was started in.
    pub pid_ns: NsId,
    /// How often kubelet restarted it.
    pub restarts: u32,
    /// How its first process ended, once it has: what the runtime reports as the container's
    /// exit code (`ExitStatus::shell_code`: 143 for SIGTERM, 137 for SIGKILL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<ExitStatus>,
}

/// A pod on the node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pod {
    /// Its spec.
    pub spec: PodSpec,
    /// The runtime shim that started its processes (a child subreaper).
    pub shim: Pid,
    /// The sandbox's pause process.
    pub pause: Pid,
    /// The pod's IP, none with hostNetwork (the node's).
    pub ip: Option<String>,
    /// The bind mount that pins its net namespace (containerd, K24).
    pub netns_pin: Option<(NsId, String)>,
    /// How often the sandbox was re-created (K27).
    pub sandbox_restarts: u32,
    /// Its containers.
    pub containers: Vec<Container>,
}

impl Pod {
    /// Its container of that name.
    pub fn container(&self, name: &str) -> Option<&Container> {
        self.containers.iter().find(|c| c.name == name)
    }
}

/// A docker container made with `docker run` (K21, K22).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DockerContainer {
    /// Its name.
    pub name: String,
    /// Its id.
    pub id: String,
    /// Its first process; none while it is only created (its start was refused).
    pub init: Option<Pid>,
    /// How it was run.
    pub run: DockerRun,
    /// Its namespace modes, as `docker inspect` prints them.
    pub host_config: HostConfig,
    /// Whether it makes its own pid namespace (not `--pid=container:` or `host`): when its first
    /// process exits, the kernel kills the rest, else the shim does (K28).
    #[serde(default = "owns")]
    pub owns_pid_ns: bool,
    /// How its first process ended, once it has (`docker ps`'s "Exited (N)").
    #[serde(default)]
    pub exit: Option<ExitStatus>,
}

fn owns() -> bool {
    true
}

/// A Kubernetes node: the kernel model, the runtime, and its pods.
#[derive(Clone, Debug)]
pub struct Node {
    world: World,
    runtime: Pid,
    /// Shared between a parent and the children it forks (fork copies the code): a node's copy
    /// (every transaction makes one) need not copy a program per process.
    programs: SortedMap<Pid, Arc<Program>>,
    /// A wrapper (tini) and the child it forwards signals to and exits with.
    wrapped: SortedMap<Pid, Pid>,
    /// A master's worker (nginx) and its master.
    workers: SortedMap<Pid, Pid>,
    /// A master passing a stop signal to its workers, which exits once none is left.
    draining: SortedMap<Pid, Signal>,
    /// Which container each process belongs to (its cgroup), inherited on fork.
    cgroups: SortedMap<Pid, Cgroup>,
    hostnames: SortedMap<NsId, String>,
    pods: Vec<Pod>,
    docker: Vec<DockerContainer>,
    addresses: addresses::Addresses,
    /// The reader's login shell on the node, once started.
    login: Option<Pid>,
    steps: Vec<NodeStep>,
}

impl Default for Node {
    fn default() -> Self {
        Node::new()
    }
}

impl Node {
    /// A booted node: the host's init and containerd (host pid 2).
    pub fn new() -> Node {
        let mut node = Node {
            world: World::new(),
            runtime: Pid(0),
            programs: SortedMap::default(),
            wrapped: SortedMap::default(),
            workers: SortedMap::default(),
            draining: SortedMap::default(),
            cgroups: SortedMap::default(),
            hostnames: SortedMap::default(),
            pods: Vec::new(),
            docker: Vec::new(),
            addresses: addresses::Addresses::default(),
            login: None,
            steps: Vec::new(),
        };
        let host_uts = node
            .world
            .process(Pid(1))
            .map(|p| p.namespaces().get(NsKind::Uts));
        node.hostnames
            .extend(host_uts.map(|uts| (uts, "node-1".to_owned())));
        // The host's init (systemd) reaps whatever it is given: exited shims, for one.
        let boot = node
            .apply(Event::Sigaction {
                pid: Pid(1),
                signal: crate::signal::Signal::SIGCHLD,
                action: crate::process::Disposition::Handler,
                nocldwait: false,
            })
            .and_then(|_| node.spawn(Pid(1), NsKinds::EMPTY, &Program::runtime("containerd")));
        node.programs
            .insert(Pid(1), Arc::new(Program::runtime("init")));
        let runtime = boot.unwrap_or_else(|e| unreachable!("booting a node cannot fail: {e}"));
        node.runtime = runtime;
        node.steps.clear();
        node
    }

    /// The kernel model.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The container runtime's process.
    pub fn runtime(&self) -> Pid {
        self.runtime
    }

    /// The pods.
    pub fn pods(&self) -> &[Pod] {
        &self.pods
    }

    /// A pod by name.
    pub fn pod(&self, name: &str) -> Option<&Pod> {
        self.pods.iter().find(|pod| pod.spec.name == name)
    }

    /// A pod's container.
    pub fn container(&self, id: &ContainerRef) -> Option<&Container> {
        self.pod(&id.pod)?.container(&id.container)
    }

    /// A docker container by name.
    pub fn docker_container(&self, name: &str) -> Option<&DockerContainer> {
        self.docker.iter().find(|c| c.name == name)
    }

    /// `ps` inside a container: every process its first process's pid namespace shows.
    pub fn ps_in(&self, id: &ContainerRef) -> Option<Vec<crate::view::PsRow>> {
        self.world.ps(self.container(id)?.pid_ns)
    }

    /// The docker containers, in the order they were created.
    pub fn docker_containers(&self) -> &[DockerContainer] {
        &self.docker
    }

    /// Whether a process is a worker its master forked (nginx's), running the master's code.
    pub fn is_worker(&self, pid: Pid) -> bool {
        self.workers.get(&pid).is_some()
    }

    /// What a process runs, if the node started it or a step named its program.
    pub fn program(&self, pid: Pid) -> Option<&Program> {
        self.programs.get(&pid).map(|program| &**program)
    }

    /// The hostname a process sees (from its uts namespace).
    pub fn hostname(&self, pid: Pid) -> Option<&str> {
        let uts = self.world.process(pid)?.namespaces().get(NsKind::Uts);
        self.hostnames.get(&uts).map(String::as_str)
    }

    /// The container a process belongs to.
    pub fn cgroup(&self, pid: Pid) -> Option<&Cgroup> {
        self.cgroups.get(&pid)
    }

    /// What the last operation did.
    pub fn last_steps(&self) -> &[NodeStep] {
        &self.steps
    }

    /// The reader's login shell on the node (bash), started the first time it is needed and
    /// again once it has died. What the reader does "from the node" runs there: a kill typed on
    /// the node is bash's `kill` builtin, so bash is the sender, not containerd. How the reader
    /// logged in (sshd, a console) is not modelled: the host's init forks the shell.
    pub fn login_shell(&mut self) -> Result<Pid, PodError> {
        // Started already: nothing to change, so no copy to change it on.
        if let Some(shell) = self.login() {
            self.steps.clear();
            return Ok(shell);
        }
        self.transaction(Node::log_in)
    }

    /// The reader's login shell, if it was started and lives.
    pub fn login(&self) -> Option<Pid> {
        self.login.filter(|pid| self.world.is_alive(*pid))
    }

    fn log_in(&mut self) -> Result<Pid, PodError> {
        if let Some(shell) = self.login() {
            return Ok(shell);
        }
        let shell = self.spawn(Pid(1), NsKinds::EMPTY, &Program::named("bash"))?;
        self.login = Some(shell);
        Ok(shell)
    }

    /// `kill -SIGNAL PID` typed in the reader's login shell on the node: from the host's pid
    /// namespace every process is visible, so only the kernel's own rules apply (K8, K17).
    pub fn kill_from_node(
        &mut self,
        target: Pid,
        signal: Signal,
    ) -> Result<Vec<Outcome>, PodError> {
        self.transaction(|node| {
            let shell = node.log_in()?;
            node.apply(Event::Kill {
                pid: shell,
                target,
                signal,
            })
        })
    }

    /// Runs `change` on a copy of the node and keeps the copy only if it succeeds.
    fn transaction<T>(
        &mut self,
        change: impl FnOnce(&mut Node) -> Result<T, PodError>,
    ) -> Result<T, PodError> {
        let mut next = self.clone();
        next.steps.clear();
        let value = change(&mut next)?;
        *self = next;
        Ok(value)
    }

    /// Applies a kernel event as the node's processes would, then lets their programs react.
    pub fn kernel(&mut self, event: Event) -> Result<Vec<Outcome>, PodError> {
        self.transaction(|node| node.apply(event))
    }

    /// [`Node::kernel`] without a copy of its own, for a caller that works on a copy of the node
    /// and drops it on an error (a typed line's actions, all or nothing together): a program's
    /// reaction that fails halfway leaves this node halfway.
    pub(crate) fn kernel_within_copy(&mut self, event: Event) -> Result<Vec<Outcome>, PodError> {
        self.steps.clear();
        self.apply(event)
    }

    fn note(&mut self, note: RuntimeNote) {
        self.steps.push(NodeStep::Runtime { note });
    }

    /// fork, as the node's processes do it: the child, or K19's refusal.
    fn fork(&mut self, parent: Pid, new: NsKinds) -> Result<Pid, PodError> {
        let outcomes = self.apply(Event::Fork { pid: parent, new })?;
        forked(parent, &outcomes)
    }

    fn ns_of(&self, pid: Pid, kind: NsKind) -> Result<NsId, PodError> {
        let process = self
            .world
            .process(pid)
            .ok_or(Internal::ProcessVanished { pid })?;
        Ok(if kind == NsKind::Pid {
            process.pid_for_children()
        } else {
            process.namespaces().get(kind)
        })
    }

    /// The namespace of `kind` that `pid` is a member of (for pid: the one it was born in, not
    /// its pid_for_children).
    fn ns_of_member(&self, pid: Pid, kind: NsKind) -> Result<NsId, PodError> {
        self.world
            .process(pid)
            .map(|p| p.namespaces().get(kind))
            .ok_or_else(|| Internal::ProcessVanished { pid }.into())
    }

    fn pod_index(&self, pod: &str) -> Result<usize, PodError> {
        self.pods
            .iter()
            .position(|p| p.spec.name == pod)
            .ok_or_else(|| {
                NotFound::Pod {
                    pod: pod.to_owned(),
                }
                .into()
            })
    }

    fn find(&self, id: &ContainerRef) -> Result<(usize, usize), PodError> {
        let p = self.pod_index(&id.pod)?;
        let c = self.pods[p]
            .containers
            .iter()
            .position(|c| c.name == id.container)
            .ok_or_else(|| NotFound::Container(id.clone()))?;
        Ok((p, c))
    }

    /// For each namespace kind: pause's namespace and each container's, so a view can show
    /// who shares what (K1).
    pub fn sharing(&self, pod: &str) -> Option<Vec<Sharing>> {
        let pod = self.pod(pod)?;
        let pause = self.world.process(pod.pause)?;
        let rows = NsKind::ALL.into_iter().map(|kind| Sharing {
            kind,
            pause: pause.namespaces().get(kind),
            containers: pod
                .containers
                .iter()
                .filter_map(|c| {
                    Some((
                        c.name.clone(),
                        self.world.process(c.init)?.namespaces().get(kind),
                    ))
                })
                .collect(),
        });
        Some(rows.collect())
    }
}

/// The child a fork's outcomes report, or K19's refusal when its pid namespace is dying.
pub(crate) fn forked(parent: Pid, outcomes: &[Outcome]) -> Result<Pid, PodError> {
    outcomes
        .iter()
        .find_map(|outcome| match outcome {
            Outcome::Forked { child, .. } => Some(Ok(*child)),
            Outcome::ForkFailed { ns, .. } => Some(Err(PodError::ForkFailed { parent, ns: *ns })),
            _ => None,
        })
        .unwrap_or(Err(Internal::ForkWithoutChild { parent }.into()))
}

/// One row of a pod's sharing table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sharing {
    /// The kind.
    pub kind: NsKind,
    /// pause's namespace of that kind.
    pub pause: NsId,
    /// Each container's, by name.
    pub containers: Vec<(String, NsId)>,
}
