//! The pod layer: pods, containers and container runtimes on top of the kernel model. It only
//! ever emits kernel events (`World::apply`), so everything K1–K19 says still holds; it adds
//! what runtimes and kubelet do (K20–K28).
//!
//! Processes react to signals the way their [`Program`] says (pause.c reaps on SIGCHLD and exits
//! on SIGTERM; shims reap their children): after each event the node runs those reactions as
//! further events. Every operation is all-or-nothing: if any of its events is refused, the node
//! is left as it was.

mod docker;
mod spec;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use docker::{DockerRun, IpcMode};
pub use spec::{ContainerSpec, Flavor, PidMode, PodSpec, Program};

use crate::error::ModelError;
use crate::event::Event;
use crate::ns::{NsId, NsKind, NsKinds};
use crate::outcome::{Outcome, SignalEffect};
use crate::process::{Disposition, Pid, ProcState, WaitTarget};
use crate::rule::Rule;
use crate::signal::Signal;
use crate::world::World;

/// Why a pod operation was refused. The node is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PodError {
    /// The spec fails validation (K25) or names nothing.
    #[error("{0}")]
    Invalid(String),
    /// No such pod or container.
    #[error("{0} not found")]
    NotFound(String),
    /// The container has no running process to enter.
    #[error("container {0} is not running")]
    NotRunning(String),
    /// fork failed with ENOMEM: the pid namespace's init has died (K19).
    #[error("{0} (ENOMEM, K19)")]
    ForkFailed(String),
    /// docker refused the flags (K21, K22).
    #[error("docker: Error response from daemon: {0}")]
    Docker(String),
    /// The kernel refused one of the operation's events.
    #[error("{0}")]
    Kernel(#[from] ModelError),
}

impl PodError {
    /// The rule that explains the refusal, if one does.
    pub fn rule(&self) -> Option<Rule> {
        match self {
            PodError::Kernel(error) => error.rule(),
            PodError::Invalid(_) => Some(Rule::K25),
            PodError::ForkFailed(_) => Some(Rule::K19),
            PodError::Docker(message) if message.contains("IPC") => Some(Rule::K22),
            PodError::Docker(_) => Some(Rule::K21),
            _ => None,
        }
    }
}

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
        /// The message, as the runtime would log it.
        message: String,
        /// The rule behind it.
        rule: Option<Rule>,
    },
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

/// A docker container started with `docker run` (K21, K22).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DockerContainer {
    /// Its name.
    pub name: String,
    /// Its first process.
    pub init: Pid,
    /// Its IPC mode.
    pub ipc: IpcMode,
}

/// A Kubernetes node: the kernel model, the runtime, and its pods.
#[derive(Clone, Debug)]
pub struct Node {
    world: World,
    runtime: Pid,
    programs: BTreeMap<Pid, Program>,
    /// Which container each process belongs to (its cgroup), inherited on fork.
    cgroups: BTreeMap<Pid, String>,
    hostnames: BTreeMap<NsId, String>,
    pods: Vec<Pod>,
    docker: Vec<DockerContainer>,
    next_ip: u32,
    steps: Vec<NodeStep>,
}

/// Reactions run at most this many events per operation, so a loop in programs cannot hang.
const MAX_REACTIONS: usize = 100_000;

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
            programs: BTreeMap::new(),
            cgroups: BTreeMap::new(),
            hostnames: BTreeMap::new(),
            pods: Vec::new(),
            docker: Vec::new(),
            next_ip: 2,
            steps: Vec::new(),
        };
        let host_uts = node
            .world
            .process(Pid(1))
            .map(|p| p.namespaces().get(NsKind::Uts));
        node.hostnames
            .extend(host_uts.map(|uts| (uts, "node-1".to_owned())));
        let runtime = node
            .spawn(Pid(1), NsKinds::EMPTY, &Program::runtime("containerd"))
            .unwrap_or_else(|e| unreachable!("booting a node cannot fail: {e}"));
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

    /// A docker container by name.
    pub fn docker_container(&self, name: &str) -> Option<&DockerContainer> {
        self.docker.iter().find(|c| c.name == name)
    }

    /// `ps` inside a container: every process its first process's pid namespace shows.
    pub fn ps_in(&self, pod: &str, container: &str) -> Option<Vec<crate::view::PsRow>> {
        let (p, c) = self.find(pod, container).ok()?;
        self.world.ps(self.pods[p].containers[c].pid_ns)
    }

    /// The hostname a process sees (from its uts namespace).
    pub fn hostname(&self, pid: Pid) -> Option<&str> {
        let uts = self.world.process(pid)?.namespaces().get(NsKind::Uts);
        self.hostnames.get(&uts).map(String::as_str)
    }

    /// The container (`pod/container`, or a docker name) a process belongs to.
    pub fn cgroup(&self, pid: Pid) -> Option<&str> {
        self.cgroups.get(&pid).map(String::as_str)
    }

    /// What the last operation did.
    pub fn last_steps(&self) -> &[NodeStep] {
        &self.steps
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

    fn note(&mut self, message: impl Into<String>, rule: Option<Rule>) {
        self.steps.push(NodeStep::Runtime {
            message: message.into(),
            rule,
        });
    }

    /// One event, its bookkeeping, and the reactions it triggers.
    fn apply(&mut self, event: Event) -> Result<Vec<Outcome>, PodError> {
        let mut all = self.apply_one(event)?;
        let mut queue: Vec<Reaction> = self.reactions(&all);
        let mut budget = MAX_REACTIONS;
        while let Some(reaction) = queue.pop() {
            budget = budget
                .checked_sub(1)
                .ok_or_else(|| PodError::Invalid("programs react forever".into()))?;
            let event = match reaction {
                Reaction::Reap(pid) => Event::Wait {
                    pid,
                    target: WaitTarget::Any,
                    nohang: true,
                },
                Reaction::ExitZero(pid) => Event::Exit { pid, code: 0 },
            };
            let ready = self
                .world
                .process(event.actor().unwrap_or(Pid(0)))
                .is_some_and(|p| {
                    p.state() == ProcState::Running
                        && p.waiting().is_none()
                        && (p.children().next().is_some() || matches!(event, Event::Exit { .. }))
                });
            if !ready {
                continue;
            }
            let outcomes = self.apply_one(event.clone())?;
            queue.extend(self.reactions(&outcomes));
            // A reaping handler loops until no zombie is left.
            if let (Event::Wait { pid, .. }, Some(Outcome::Reaped { .. })) =
                (&event, outcomes.first())
            {
                queue.push(Reaction::Reap(*pid));
            }
            all.extend(outcomes);
        }
        Ok(all)
    }

    fn apply_one(&mut self, event: Event) -> Result<Vec<Outcome>, PodError> {
        let outcomes = self.world.apply(event.clone())?;
        for outcome in &outcomes {
            match outcome {
                Outcome::Forked { parent, child, .. } => {
                    // fork copies the code and the cgroup.
                    if let Some(program) = self.programs.get(parent).cloned() {
                        self.programs.insert(*child, program);
                    }
                    if let Some(cgroup) = self.cgroups.get(parent).cloned() {
                        self.cgroups.insert(*child, cgroup);
                    }
                }
                Outcome::Execed { pid, comm } => {
                    self.programs.insert(*pid, Program::named(comm));
                }
                Outcome::Reaped { pid, .. } | Outcome::AutoReaped { pid, .. } => {
                    self.programs.remove(pid);
                    self.cgroups.remove(pid);
                }
                _ => {}
            }
        }
        self.steps.push(NodeStep::Kernel {
            event,
            outcomes: outcomes.clone(),
        });
        Ok(outcomes)
    }

    fn reactions(&self, outcomes: &[Outcome]) -> Vec<Reaction> {
        let mut reactions = Vec::new();
        for outcome in outcomes.iter().rev() {
            match outcome {
                Outcome::SigchldSent { parent, .. }
                    if self.programs.get(parent).is_some_and(|p| p.reaps) =>
                {
                    reactions.push(Reaction::Reap(*parent));
                }
                Outcome::SignalDelivered {
                    to,
                    signal,
                    effect: SignalEffect::Caught,
                    ..
                } if self
                    .programs
                    .get(to)
                    .is_some_and(|p| p.exits_on.contains(signal)) =>
                {
                    reactions.push(Reaction::ExitZero(*to));
                }
                _ => {}
            }
        }
        reactions
    }

    /// Forks `parent` into new namespaces of `new`, and makes the child run `program`.
    fn spawn(&mut self, parent: Pid, new: NsKinds, program: &Program) -> Result<Pid, PodError> {
        let child = self.fork(parent, new)?;
        self.exec(child, program)?;
        Ok(child)
    }

    fn fork(&mut self, parent: Pid, new: NsKinds) -> Result<Pid, PodError> {
        let outcomes = self.apply(Event::Fork { pid: parent, new })?;
        outcomes
            .iter()
            .find_map(|o| match o {
                Outcome::Forked { child, .. } => Some(Ok(*child)),
                Outcome::ForkFailed { .. } => Some(Err(PodError::ForkFailed(o.to_string()))),
                _ => None,
            })
            .unwrap_or_else(|| Err(PodError::Invalid("fork reported no child".into())))
    }

    /// execve, then the program's own set-up: handlers, SIGCHLD policy, subreaper flag.
    fn exec(&mut self, pid: Pid, program: &Program) -> Result<(), PodError> {
        self.apply(Event::Exec {
            pid,
            comm: program.comm.clone(),
        })?;
        let mut handled: Vec<Signal> = program.exits_on.clone();
        if program.reaps && !program.ignores_sigchld {
            handled.push(Signal::SIGCHLD);
        }
        for signal in handled {
            self.apply(Event::Sigaction {
                pid,
                signal,
                action: Disposition::Handler,
                nocldwait: false,
            })?;
        }
        if program.ignores_sigchld {
            let ignore = Event::Sigaction {
                pid,
                signal: Signal::SIGCHLD,
                action: Disposition::Ignore,
                nocldwait: false,
            };
            self.apply(ignore)?;
        }
        if program.subreaper {
            self.apply(Event::SetSubreaper { pid, on: true })?;
        }
        self.programs.insert(pid, program.clone());
        for child in &program.forks {
            self.spawn(pid, NsKinds::EMPTY, child)?;
        }
        Ok(())
    }

    fn ns_of(&self, pid: Pid, kind: NsKind) -> Result<NsId, PodError> {
        let process = self
            .world
            .process(pid)
            .ok_or_else(|| PodError::NotFound(format!("process {pid}")))?;
        Ok(if kind == NsKind::Pid {
            process.pid_for_children()
        } else {
            process.namespaces().get(kind)
        })
    }

    /// Moves `pid` into `target`'s namespace of `kind` unless it is there already.
    fn join(&mut self, pid: Pid, target: Pid, kind: NsKind) -> Result<(), PodError> {
        let wanted = self.world.process(target).map(|p| p.namespaces().get(kind));
        let wanted = wanted.ok_or_else(|| PodError::NotFound(format!("process {target}")))?;
        if self.ns_of(pid, kind)? != wanted {
            self.apply(Event::Setns { pid, ns: wanted })?;
        }
        Ok(())
    }

    fn new_ip(&mut self) -> String {
        let ip = format!("10.244.0.{}", self.next_ip);
        self.next_ip += 1;
        ip
    }

    /// Creates a pod: the sandbox first, then each container (K23, K24, K25).
    pub fn create_pod(&mut self, spec: PodSpec) -> Result<(), PodError> {
        self.transaction(|node| {
            let mode = spec.pid_mode()?;
            if node.pod(&spec.name).is_some() {
                return Err(PodError::Invalid(format!(
                    "pods \"{}\" already exists",
                    spec.name
                )));
            }
            if spec.containers.is_empty() {
                return Err(PodError::Invalid("spec.containers: Required value".into()));
            }
            let shim = node.spawn(
                node.runtime,
                NsKinds::EMPTY,
                &Program {
                    subreaper: true,
                    ..Program::runtime("containerd-shim")
                },
            )?;
            let mut pod = Pod {
                spec: spec.clone(),
                shim,
                pause: Pid(0),
                ip: None,
                netns_pin: None,
                sandbox_restarts: 0,
                containers: Vec::new(),
            };
            node.start_sandbox(&mut pod)?;
            for container in &spec.containers {
                let started = node.start_container(&pod, container, mode)?;
                pod.containers.push(started);
            }
            node.pods.push(pod);
            Ok(())
        })
    }

    /// The sandbox: a net namespace (pinned by containerd), then pause in new namespaces.
    fn start_sandbox(&mut self, pod: &mut Pod) -> Result<(), PodError> {
        let spec = pod.spec.clone();
        let netns = if spec.host_network {
            None
        } else if spec.flavor == Flavor::Containerd {
            // containerd makes the net namespace itself, pins it and runs CNI in it (K24).
            let helper = self.spawn(
                self.runtime,
                NsKinds::of(&[NsKind::Net]),
                &Program::named("cni"),
            )?;
            let ns = self.ns_of(helper, NsKind::Net)?;
            let path = format!("/var/run/netns/cni-{}-{}", spec.name, pod.sandbox_restarts);
            self.apply(Event::Pin {
                ns,
                holder: path.clone(),
            })?;
            self.apply(Event::Exit {
                pid: helper,
                code: 0,
            })?;
            pod.netns_pin = Some((ns, path));
            Some(ns)
        } else {
            None
        };
        let mut new = vec![NsKind::Mnt];
        new.extend(
            [
                (NsKind::Ipc, spec.host_ipc),
                (NsKind::Uts, spec.host_network),
                (NsKind::Pid, spec.host_pid),
            ]
            .iter()
            .filter(|(_, host)| !host)
            .map(|&(kind, _)| kind),
        );
        // dockershim's sandbox is `docker run --net=none`: a net namespace of its own for CNI (K23).
        if spec.flavor == Flavor::Dockershim && !spec.host_network {
            new.push(NsKind::Net);
        }
        if !spec.host_pid {
            self.join_pid_for_children(pod.shim, pod.shim)?;
        }
        let pause = self.spawn(pod.shim, NsKinds::of(&new), &Program::pause())?;
        if let Some(ns) = netns {
            self.apply(Event::Setns { pid: pause, ns })?;
        }
        if !spec.host_network {
            let uts = self.ns_of(pause, NsKind::Uts)?;
            self.hostnames.insert(uts, spec.name.clone());
            pod.ip = Some(self.new_ip());
        }
        self.cgroups.insert(pause, format!("{}/pause", spec.name));
        pod.pause = pause;
        Ok(())
    }

    /// A container joined to the sandbox, the way the pod's runtime does it.
    fn start_container(
        &mut self,
        pod: &Pod,
        container: &ContainerSpec,
        mode: PidMode,
    ) -> Result<Container, PodError> {
        let spec = &pod.spec;
        let mut new = vec![NsKind::Mnt];
        match mode {
            PidMode::Container => {
                // A new pid namespace hangs below the shim's own (K4), wherever a kubectl exec
                // last pointed its pid_for_children.
                self.join_pid_for_children(pod.shim, pod.shim)?;
                new.push(NsKind::Pid);
            }
            // The shim enters pause's pid namespace first, so the container's first process is
            // born there: pause's sibling, with a parent outside (K10).
            PidMode::Pod => self.join_pid_for_children(pod.shim, pod.pause)?,
            PidMode::Node => self.join_pid_for_children(pod.shim, Pid(1))?,
        }
        if spec.flavor == Flavor::Dockershim && !spec.host_network {
            new.push(NsKind::Uts);
        }
        let init = self.fork(pod.shim, NsKinds::of(&new))?;
        if !spec.host_network {
            self.join(init, pod.pause, NsKind::Net)?;
            if spec.flavor == Flavor::Containerd {
                self.join(init, pod.pause, NsKind::Uts)?;
            } else {
                // docker copies the sandbox's hostname into the container's own uts namespace (K21).
                let uts = self.ns_of(init, NsKind::Uts)?;
                self.hostnames.insert(uts, spec.name.clone());
            }
        }
        if !spec.host_ipc {
            if spec.flavor == Flavor::Dockershim && !spec.pause_ipc.is_joinable() {
                return Err(PodError::Docker(format!(
                    "container {}_POD: non-shareable IPC (hint: use IpcMode:shareable for the donor container)",
                    spec.name
                )));
            }
            self.join(init, pod.pause, NsKind::Ipc)?;
        }
        self.cgroups
            .insert(init, format!("{}/{}", spec.name, container.name));
        self.exec(init, &container.program)?;
        let pid_ns = self
            .world
            .process(init)
            .map(|p| p.namespaces().get(NsKind::Pid));
        let pid_ns = pid_ns
            .ok_or_else(|| PodError::NotRunning(format!("{}/{}", spec.name, container.name)))?;
        Ok(Container {
            name: container.name.clone(),
            init,
            pid_ns,
            restarts: 0,
        })
    }

    fn join_pid_for_children(&mut self, pid: Pid, target: Pid) -> Result<(), PodError> {
        let ns = self
            .world
            .process(target)
            .map(|p| p.namespaces().get(NsKind::Pid));
        let ns = ns.ok_or_else(|| PodError::NotFound(format!("process {target}")))?;
        if self.ns_of(pid, NsKind::Pid)? != ns {
            self.apply(Event::Setns { pid, ns })?;
        }
        Ok(())
    }

    fn pod_index(&self, pod: &str) -> Result<usize, PodError> {
        self.pods
            .iter()
            .position(|p| p.spec.name == pod)
            .ok_or_else(|| PodError::NotFound(format!("pod {pod}")))
    }

    fn find(&self, pod: &str, container: &str) -> Result<(usize, usize), PodError> {
        let p = self.pod_index(pod)?;
        let c = self.pods[p]
            .containers
            .iter()
            .position(|c| c.name == container)
            .ok_or_else(|| PodError::NotFound(format!("container {container} in pod {pod}")))?;
        Ok((p, c))
    }

    /// `kubectl exec` (K26): the shim enters the container's namespaces and forks. Returns the
    /// new process, whose parent is the shim, outside the container's pid namespace.
    pub fn exec_into(
        &mut self,
        pod: &str,
        container: &str,
        program: &Program,
    ) -> Result<Pid, PodError> {
        self.transaction(|node| node.enter_and_fork(pod, container, program))
    }

    fn enter_and_fork(
        &mut self,
        pod: &str,
        container: &str,
        program: &Program,
    ) -> Result<Pid, PodError> {
        let (p, c) = self.find(pod, container)?;
        let target = self.pods[p].containers[c].clone();
        let shim = self.pods[p].shim;
        if self.world.ns_kind(target.pid_ns).is_none() {
            return Err(PodError::NotRunning(format!("{pod}/{container}")));
        }
        if self.ns_of(shim, NsKind::Pid)? != target.pid_ns {
            self.apply(Event::Setns {
                pid: shim,
                ns: target.pid_ns,
            })?;
        }
        // A dead namespace that the shim's pid_for_children still holds refuses the fork (K19).
        let child = self.fork(shim, NsKinds::EMPTY)?;
        let alive = self.world.is_alive(target.init);
        let donor = if alive {
            target.init
        } else {
            self.pods[p].pause
        };
        for kind in [NsKind::Net, NsKind::Ipc, NsKind::Uts, NsKind::Mnt] {
            self.join(child, donor, kind)?;
        }
        self.cgroups.insert(child, format!("{pod}/{container}"));
        self.exec(child, program)?;
        Ok(child)
    }

    /// An exec probe (K26): a probe process that starts a helper and exits before it. Its helper
    /// is orphaned inside the container and exits: whoever is pid 1 there must reap it.
    pub fn exec_probe(&mut self, pod: &str, container: &str) -> Result<(), PodError> {
        self.transaction(|node| {
            let probe = node.enter_and_fork(pod, container, &Program::named("probe"))?;
            let helper = node.spawn(probe, NsKinds::EMPTY, &Program::named("probe-helper"))?;
            node.apply(Event::Exit {
                pid: probe,
                code: 0,
            })?;
            node.apply(Event::Exit {
                pid: helper,
                code: 0,
            })?;
            Ok(())
        })
    }

    /// kubelet restarts a container: the old one is stopped, a new first process joins the
    /// same sandbox, so the pod keeps its IP and namespaces.
    pub fn restart_container(&mut self, pod: &str, container: &str) -> Result<(), PodError> {
        self.transaction(|node| {
            let (p, c) = node.find(pod, container)?;
            let old = node.pods[p].containers[c].clone();
            node.stop_cgroup(&format!("{pod}/{container}"), old.init)?;
            let spec = node.pods[p].spec.containers[c].clone();
            let mode = node.pods[p].spec.pid_mode()?;
            let started = node.start_container(&node.pods[p].clone(), &spec, mode)?;
            node.pods[p].containers[c] = Container {
                restarts: old.restarts + 1,
                ..started
            };
            Ok(())
        })
    }

    /// Stops one container: SIGTERM to its first process, then SIGKILL to every process left in
    /// its cgroup — in a shared pid namespace that is the runtime's job, not the kernel's (K28).
    pub fn stop_container(&mut self, pod: &str, container: &str) -> Result<(), PodError> {
        self.transaction(|node| {
            let (p, c) = node.find(pod, container)?;
            let init = node.pods[p].containers[c].init;
            node.stop_cgroup(&format!("{pod}/{container}"), init)
        })
    }

    fn stop_cgroup(&mut self, cgroup: &str, first: Pid) -> Result<(), PodError> {
        let runtime = self.runtime;
        if self.world.is_alive(first) {
            self.apply(Event::Kill {
                pid: runtime,
                target: first,
                signal: Signal::SIGTERM,
            })?;
        }
        let left: Vec<Pid> = self
            .cgroups
            .iter()
            .filter(|(pid, group)| group.as_str() == cgroup && self.world.is_alive(**pid))
            .map(|(pid, _)| *pid)
            .collect();
        if !left.is_empty() {
            self.note(
                format!(
                    "{cgroup}: grace period over, sending SIGKILL to {} process(es)",
                    left.len()
                ),
                Some(Rule::K28),
            );
        }
        for pid in left {
            if self.world.is_alive(pid) {
                self.apply(Event::Kill {
                    pid: runtime,
                    target: pid,
                    signal: Signal::SIGKILL,
                })?;
            }
        }
        Ok(())
    }

    /// Kills pause from the host. kubelet then finds the sandbox changed: it kills the
    /// containers, makes a new sandbox (a new IP) and restarts every container (K27).
    pub fn kill_pause(&mut self, pod: &str) -> Result<(), PodError> {
        self.transaction(|node| {
            let p = node.pod_index(pod)?;
            let pause = node.pods[p].pause;
            node.apply(Event::Kill {
                pid: node.runtime,
                target: pause,
                signal: Signal::SIGKILL,
            })?;
            node.note(
                "Pod sandbox changed, it will be killed and re-created.",
                Some(Rule::K27),
            );
            node.recreate_sandbox(p)
        })
    }

    fn recreate_sandbox(&mut self, p: usize) -> Result<(), PodError> {
        let mut pod = self.pods[p].clone();
        for container in pod.containers.clone() {
            self.stop_cgroup(
                &format!("{}/{}", pod.spec.name, container.name),
                container.init,
            )?;
        }
        self.stop_cgroup(&format!("{}/pause", pod.spec.name), pod.pause)?;
        if let Some((ns, path)) = pod.netns_pin.take() {
            self.apply(Event::Unpin { ns, holder: path })?;
        }
        pod.sandbox_restarts += 1;
        self.start_sandbox(&mut pod)?;
        let mode = pod.spec.pid_mode()?;
        for index in 0..pod.containers.len() {
            let spec = pod.spec.containers[index].clone();
            let restarts = pod.containers[index].restarts + 1;
            pod.containers[index] = Container {
                restarts,
                ..self.start_container(&pod, &spec, mode)?
            };
        }
        let ip = pod.ip.clone().unwrap_or_else(|| "the node's".into());
        self.note(
            format!("pod {} has a new sandbox, IP {ip}", pod.spec.name),
            Some(Rule::K27),
        );
        self.pods[p] = pod;
        Ok(())
    }

    /// Deletes a pod: its containers are stopped, pause gets SIGTERM, the net namespace is
    /// unpinned and the shim exits.
    pub fn delete_pod(&mut self, pod: &str) -> Result<(), PodError> {
        self.transaction(|node| {
            let p = node.pod_index(pod)?;
            let removed = node.pods.remove(p);
            for container in &removed.containers {
                node.stop_cgroup(&format!("{pod}/{}", container.name), container.init)?;
            }
            node.stop_cgroup(&format!("{pod}/pause"), removed.pause)?;
            if let Some((ns, path)) = removed.netns_pin {
                node.apply(Event::Unpin { ns, holder: path })?;
            }
            if node.world.is_alive(removed.shim) {
                node.apply(Event::Exit {
                    pid: removed.shim,
                    code: 0,
                })?;
            }
            Ok(())
        })
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

/// What a program does in response to an outcome.
#[derive(Clone, Copy, Debug)]
enum Reaction {
    /// Its SIGCHLD handler waits with WNOHANG until no zombie is left.
    Reap(Pid),
    /// Its SIGTERM/SIGINT handler exits 0.
    ExitZero(Pid),
}
