//! `docker run` with `--net`, `--ipc` and `--pid` modes, and the refusals of K21 and K22.

mod flags;

pub use flags::{InvalidFlag, IpcFlag, IpcMode, NetworkFlag, PidFlag};

use serde::{Deserialize, Serialize};

use super::error::{DockerAsk, DockerError, DockerNs, Internal, PodError};
use super::names::Cgroup;
use super::programs::Program;
use super::spec::{Flavor, PidMode};
use super::{DockerContainer, Node};
use crate::event::Event;
use crate::ns::{NsKind, NsKinds};
use crate::process::{ExitStatus, Pid};
use crate::signal::Signal;

/// `docker run [--name NAME] [--net MODE] [--ipc MODE] [--pid MODE] [--hostname H] [-p P] [--dns D] IMAGE`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DockerRun {
    /// `--name`.
    pub name: String,
    /// The image's program.
    pub program: Program,
    /// `--net`.
    #[serde(default)]
    pub net: NetworkFlag,
    /// `--ipc`.
    #[serde(default)]
    pub ipc: IpcFlag,
    /// `--pid`.
    #[serde(default)]
    pub pid: PidFlag,
    /// `--hostname`.
    #[serde(default)]
    pub hostname: Option<String>,
    /// `-p`.
    #[serde(default)]
    pub publish: Vec<String>,
    /// `--dns`.
    #[serde(default)]
    pub dns: Vec<String>,
    /// The image as the reader named it (`nginx`, `busybox:1.36`); empty in a scenario file,
    /// whose containers `docker ps` names by their program.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub image: String,
    /// What its first process runs, as docker records it (the image's entrypoint, then its
    /// command or the one given): `docker ps`'s COMMAND, `docker inspect`'s Path and Args.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
}

/// A container's id as `docker inspect` shows it: 64 hex digits, here made from its name so that
/// the model stays deterministic (dockerd's are random).
pub fn container_id(name: &str) -> String {
    // FNV-1a, then SplitMix64 four times: spread out, stable across runs and platforms.
    let mut seed = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    (0..4)
        .map(|_| {
            seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = seed;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            format!("{:016x}", z ^ (z >> 31))
        })
        .collect()
}

/// The namespace modes of a container, as `docker inspect` prints its `HostConfig`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostConfig {
    /// `NetworkMode`: `default`, `none`, `host` or `container:<id>`.
    pub network_mode: String,
    /// `IpcMode`: `private`, `shareable`, `none`, `host` or `container:<id>`.
    pub ipc_mode: String,
    /// `PidMode`: empty (its own), `host` or `container:<id>`.
    pub pid_mode: String,
}

/// What `docker ps -a` says of a container.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DockerState {
    /// Created, never started: its start was refused.
    Created,
    /// Its first process is alive.
    Running,
    /// Its first process has exited.
    Exited,
}

impl DockerState {
    /// The word `docker inspect` uses (`.State.Status`).
    pub fn as_str(self) -> &'static str {
        match self {
            DockerState::Created => "created",
            DockerState::Running => "running",
            DockerState::Exited => "exited",
        }
    }
}

/// One container as `docker inspect` shows it: a `docker run` container, or one of a dockershim
/// pod's (its sandbox `k8s_POD_…` and its containers `k8s_NAME_…`, K23).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspect {
    /// Its name.
    pub name: String,
    /// Its id.
    pub id: String,
    /// Its state.
    pub state: DockerState,
    /// Its namespace modes.
    pub host_config: HostConfig,
    /// The image as it was named (`docker ps`'s IMAGE).
    pub image: String,
    /// What its first process runs (entrypoint and command: `docker ps`'s COMMAND).
    pub command: Vec<String>,
    /// Its first process's host pid while it runs (`.State.Pid`).
    pub pid: Option<Pid>,
    /// How its first process ended, once it has.
    pub exit: Option<ExitStatus>,
    /// `.Config.Hostname`: `--hostname`, the network donor's when it joined one, else its
    /// short id.
    pub hostname: String,
    /// `-p`, as given.
    pub publish: Vec<String>,
}

impl Node {
    /// The container a `container:NAME` flag names, or docker's refusal.
    fn docker_named(&self, donor: &str, ns: DockerNs) -> Result<&DockerContainer, DockerError> {
        self.docker_container(donor)
            .ok_or_else(|| DockerError::NoSuchContainer {
                ns,
                donor: donor.to_owned(),
            })
    }

    /// The running container whose namespace a `container:NAME` flag joins when `run` starts.
    fn docker_donor(&self, donor: &str, run: &str, ns: DockerNs) -> Result<Pid, DockerError> {
        let container = self.docker_named(donor, ns)?;
        if donor == run {
            return Err(DockerError::JoinOwn { ns });
        }
        container
            .init
            .filter(|&init| self.world.is_alive(init))
            .ok_or_else(|| DockerError::DonorNotRunning {
                ns,
                donor: donor.to_owned(),
                id: container.id.clone(),
            })
    }

    /// `docker create`: what dockerd checks before it creates anything (K21: flags that belong
    /// to the network's owner; the `--ipc` and `--pid` donors must exist), then the record,
    /// with each `container:` name resolved to its id where it can be.
    pub fn docker_create(&mut self, run: DockerRun) -> Result<(), PodError> {
        self.transaction(|node| {
            node.start_dockerd()?;
            if let Some(taken) = node.docker_container(&run.name) {
                return Err(DockerError::NameInUse {
                    name: run.name.clone(),
                    id: taken.id.clone(),
                }
                .into());
            }
            if matches!(run.net, NetworkFlag::Container(_)) {
                if run.hostname.is_some() {
                    return Err(DockerError::HostnameWithNetworkContainer.into());
                }
                if !run.publish.is_empty() {
                    return Err(DockerError::PublishWithNetworkMode.into());
                }
                if !run.dns.is_empty() {
                    return Err(DockerError::DnsWithNetworkMode.into());
                }
            }
            let id_of = |name: &str| node.docker_container(name).map(|c| c.id.clone());
            let network_mode = match &run.net {
                NetworkFlag::Bridge => "default".to_owned(),
                // Not checked until start: a missing donor keeps its name.
                NetworkFlag::Container(name) => {
                    format!("container:{}", id_of(name).unwrap_or_else(|| name.clone()))
                }
                other => other.to_string(),
            };
            let ipc_mode = match &run.ipc {
                IpcFlag::Container(name) => {
                    format!("container:{}", node.docker_named(name, DockerNs::Ipc)?.id)
                }
                own => own.to_string(),
            };
            let pid_mode = match &run.pid {
                PidFlag::Container(name) => {
                    format!("container:{}", node.docker_named(name, DockerNs::Pid)?.id)
                }
                own => own.to_string(),
            };
            node.docker.push(DockerContainer {
                name: run.name.clone(),
                id: container_id(&run.name),
                init: None,
                owns_pid_ns: run.pid == PidFlag::Private,
                exit: None,
                host_config: HostConfig {
                    network_mode,
                    ipc_mode,
                    pid_mode,
                },
                run,
            });
            Ok(())
        })
    }

    /// `docker start`: the donors must be running now, and an IPC donor shareable (K21, K22);
    /// then runc starts the first process and the shim adopts it.
    pub fn docker_start(&mut self, name: &str) -> Result<Pid, PodError> {
        self.transaction(|node| {
            let index = node
                .docker
                .iter()
                .position(|c| c.name == name)
                .ok_or_else(|| DockerError::NoSuchContainer {
                    ns: DockerNs::Network,
                    donor: name.to_owned(),
                })?;
            // Starting a running container does nothing (docker prints its name all the same).
            if let Some(init) = node.docker[index].init.filter(|&p| node.world.is_alive(p)) {
                return Ok(init);
            }
            let run = node.docker[index].run.clone();
            let net_donor = match &run.net {
                NetworkFlag::Container(donor) => {
                    Some(node.docker_donor(donor, name, DockerNs::Network)?)
                }
                _ => None,
            };
            let ipc_donor = match &run.ipc {
                IpcFlag::Container(donor) => {
                    let pid = node.docker_donor(donor, name, DockerNs::Ipc)?;
                    let owner = node.docker_named(donor, DockerNs::Ipc)?;
                    if !node.effective_ipc_mode(donor).is_joinable() {
                        return Err(DockerError::IpcNotShareable {
                            donor: donor.clone(),
                            id: owner.id.clone(),
                        }
                        .into());
                    }
                    Some(pid)
                }
                IpcFlag::Own(_) => None,
            };
            let pid_donor = match &run.pid {
                PidFlag::Container(donor) => Some(node.docker_donor(donor, name, DockerNs::Pid)?),
                _ => None,
            };
            let shim = node.start_shim()?;
            let mut new = vec![NsKind::Mnt];
            let mut joins = Vec::new();
            match (&run.pid, pid_donor) {
                (_, Some(donor)) => joins.push(node.ns_of_member(donor, NsKind::Pid)?),
                (PidFlag::Host, _) => {}
                _ => new.push(NsKind::Pid),
            }
            let host_network = run.net == NetworkFlag::Host;
            if !host_network {
                // A uts namespace of its own, even in container: network mode (K21).
                new.push(NsKind::Uts);
                if net_donor.is_none() {
                    new.push(NsKind::Net);
                }
            }
            if ipc_donor.is_none() && run.ipc != IpcFlag::Own(IpcMode::Host) {
                new.push(NsKind::Ipc);
            }
            for (donor, kind) in [(net_donor, NsKind::Net), (ipc_donor, NsKind::Ipc)] {
                if let Some(donor) = donor {
                    joins.push(node.ns_of_member(donor, kind)?);
                }
            }
            let init = node.runc(shim, joins, NsKinds::of(&new))?;
            if !host_network {
                // The hostname: copied from the donor with container: networking, else given.
                let hostname = match net_donor {
                    Some(donor) => node.hostname(donor).unwrap_or_default().to_owned(),
                    None => run
                        .hostname
                        .clone()
                        .unwrap_or_else(|| container_id(name)[..12].to_owned()),
                };
                let uts = node.ns_of(init, NsKind::Uts)?;
                node.hostnames.insert(uts, hostname);
            }
            node.cgroups.insert(
                init,
                Cgroup::Docker {
                    name: name.to_owned(),
                },
            );
            node.exec(init, &run.program)?;
            node.docker[index].init = Some(init);
            node.docker[index].exit = None;
            Ok(init)
        })
    }

    /// `docker run`: `docker create`, then `docker start`. A start that is refused leaves the
    /// container created, as dockerd does (`docker ps -a` lists it; its name stays taken).
    pub fn docker_run(&mut self, run: DockerRun) -> Result<Pid, PodError> {
        let name = run.name.clone();
        self.docker_create(run)?;
        self.docker_start(&name)
    }

    /// dockerd, started by the node's init the first time docker is used: the docker CLI talks
    /// to dockerd, dockerd to the node's containerd, and containerd's shims run the containers.
    fn start_dockerd(&mut self) -> Result<(), PodError> {
        if self.programs.iter().any(|(_, p)| p.comm == "dockerd") {
            return Ok(());
        }
        self.spawn(Pid(1), NsKinds::EMPTY, &Program::runtime("dockerd"))?;
        Ok(())
    }

    /// `docker rm [-f]`: a running container needs `-f`, which SIGKILLs its processes first.
    pub fn docker_rm(&mut self, name: &str, force: bool) -> Result<(), PodError> {
        self.transaction(|node| {
            let container = node.docker_named(name, DockerNs::Network)?.clone();
            if let Some(init) = container.init.filter(|&p| node.world.is_alive(p)) {
                if !force {
                    return Err(DockerError::RemoveRunning {
                        name: name.to_owned(),
                        id: container.id.clone(),
                    }
                    .into());
                }
                let runtime = node.runtime;
                node.apply(Event::Kill {
                    pid: runtime,
                    target: init,
                    signal: crate::signal::Signal::SIGKILL,
                })?;
            }
            node.docker.retain(|c| c.name != name);
            Ok(())
        })
    }

    /// The running first process of `name` and its shim, or dockerd's refusal for `asked`.
    fn docker_running(&self, name: &str, asked: DockerAsk) -> Result<(Pid, Pid), PodError> {
        let container = self.docker_named(name, DockerNs::Network)?;
        let not_running = || DockerError::NotRunning {
            asked,
            name: name.to_owned(),
            id: container.id.clone(),
        };
        let init = container
            .init
            .filter(|&pid| self.world.is_alive(pid))
            .ok_or_else(not_running)?;
        let shim = self
            .world
            .process(init)
            .map(|p| p.parent())
            .ok_or(Internal::ProcessVanished { pid: init })?;
        Ok((init, shim))
    }

    /// `docker kill [-s SIGNAL] NAME`: the shim's runc sends the signal to the first process.
    pub fn docker_kill(&mut self, name: &str, signal: Signal) -> Result<(), PodError> {
        self.transaction(|node| {
            let (init, shim) = node.docker_running(name, DockerAsk::Kill)?;
            node.runc_kill(shim, &[init], signal)?;
            Ok(())
        })
    }

    /// `docker stop NAME`: the image's STOPSIGNAL, then, after the grace period (10 s; the
    /// model's time does not pass, so at once), SIGKILL for what is left. A container that is
    /// not running is left as it is.
    pub fn docker_stop(&mut self, name: &str) -> Result<(), PodError> {
        self.transaction(|node| {
            node.docker_named(name, DockerNs::Network)?;
            match node.docker_running(name, DockerAsk::Kill) {
                Ok((init, shim)) => {
                    let cgroup = Cgroup::Docker {
                        name: name.to_owned(),
                    };
                    node.stop_cgroup(shim, &cgroup, init)
                }
                Err(_) => Ok(()),
            }
        })
    }

    /// `docker exec NAME CMD`: runc enters the first process's namespaces and forks CMD, which
    /// the shim adopts (as for a pod's exec, K26).
    pub fn docker_exec(&mut self, name: &str, program: &Program) -> Result<Pid, PodError> {
        self.transaction(|node| {
            let (init, shim) = node.docker_running(name, DockerAsk::Exec)?;
            let mut joins = Vec::new();
            for kind in [
                NsKind::Pid,
                NsKind::Net,
                NsKind::Ipc,
                NsKind::Uts,
                NsKind::Mnt,
            ] {
                joins.push(node.ns_of_member(init, kind)?);
            }
            let child = node.runc(shim, joins, NsKinds::EMPTY)?;
            node.cgroups.insert(
                child,
                Cgroup::Docker {
                    name: name.to_owned(),
                },
            );
            node.exec(child, program)?;
            Ok(child)
        })
    }

    /// Every container as `docker inspect` shows it: the `docker run` ones, then each
    /// dockershim pod's sandbox and containers (K23).
    pub fn docker_inspect(&self) -> Vec<Inspect> {
        let state = |init: Option<Pid>| match init {
            None => DockerState::Created,
            Some(pid) if self.world.is_alive(pid) => DockerState::Running,
            Some(_) => DockerState::Exited,
        };
        let mut rows: Vec<Inspect> = self
            .docker
            .iter()
            .map(|c| {
                let pid = c.init.filter(|&p| self.world.is_alive(p));
                let hostname = pid
                    .and_then(|p| self.hostname(p))
                    .map(str::to_owned)
                    .or_else(|| c.run.hostname.clone())
                    .unwrap_or_else(|| c.id[..12].to_owned());
                Inspect {
                    name: c.name.clone(),
                    id: c.id.clone(),
                    state: state(c.init),
                    host_config: c.host_config.clone(),
                    image: if c.run.image.is_empty() {
                        c.run.program.comm.clone()
                    } else {
                        c.run.image.clone()
                    },
                    command: if c.run.command.is_empty() {
                        vec![c.run.program.comm.clone()]
                    } else {
                        c.run.command.clone()
                    },
                    pid,
                    exit: c.exit,
                    hostname,
                    publish: c.run.publish.clone(),
                }
            })
            .collect();
        for pod in self
            .pods
            .iter()
            .filter(|p| p.spec.flavor == Flavor::Dockershim)
        {
            let spec = &pod.spec;
            let sandbox = sandbox_container_name(&spec.name);
            let sandbox_id = container_id(&sandbox);
            let join = |host: bool| {
                if host {
                    "host".to_owned()
                } else {
                    format!("container:{sandbox_id}")
                }
            };
            let alive = |pid: Pid| Some(pid).filter(|&p| self.world.is_alive(p));
            let exit = |pid: Pid| match self.world.process(pid).map(|p| p.state()) {
                Some(crate::process::ProcState::Zombie(status)) => Some(status),
                _ => None,
            };
            rows.push(Inspect {
                name: sandbox.clone(),
                id: sandbox_id.clone(),
                state: state(Some(pod.pause)),
                // Kubernetes 1.23's sandbox image (the last with dockershim), pause.c its entrypoint.
                image: "k8s.gcr.io/pause:3.6".to_owned(),
                command: vec!["/pause".to_owned()],
                pid: alive(pod.pause),
                exit: exit(pod.pause),
                hostname: spec.name.clone(),
                publish: Vec::new(),
                host_config: HostConfig {
                    network_mode: if spec.host_network { "host" } else { "none" }.to_owned(),
                    ipc_mode: if spec.host_ipc {
                        "host".to_owned()
                    } else {
                        spec.pause_ipc.as_str().to_owned()
                    },
                    pid_mode: if spec.host_pid { "host" } else { "" }.to_owned(),
                },
            });
            for container in &pod.containers {
                let name =
                    dockershim_container_name(&spec.name, &container.name, container.restarts);
                rows.push(Inspect {
                    id: container_id(&name),
                    name,
                    state: state(Some(container.init)),
                    image: container_image(pod, &container.name),
                    command: vec![container_image(pod, &container.name)],
                    pid: alive(container.init),
                    exit: container.exit,
                    hostname: spec.name.clone(),
                    publish: Vec::new(),
                    host_config: HostConfig {
                        network_mode: join(spec.host_network),
                        ipc_mode: join(spec.host_ipc),
                        pid_mode: match spec.pid_mode() {
                            Ok(PidMode::Pod) => join(false),
                            Ok(PidMode::Node) => "host".to_owned(),
                            _ => String::new(),
                        },
                    },
                });
            }
        }
        rows
    }
}

/// The name dockershim gives a pod's sandbox container (`k8s_POD_<pod>_<namespace>_<uid>_<attempt>`;
/// the model's pods live in `default` and have no uid).
pub(super) fn sandbox_container_name(pod: &str) -> String {
    format!("k8s_POD_{pod}_default_0")
}

/// A pod container's image as the model knows it: its program's name.
fn container_image(pod: &super::Pod, container: &str) -> String {
    pod.spec
        .containers
        .iter()
        .find(|c| c.name == container)
        .map_or_else(|| container.to_owned(), |c| c.program.comm.clone())
}

/// The name dockershim gives a pod's container.
fn dockershim_container_name(pod: &str, container: &str, attempt: u32) -> String {
    format!("k8s_{container}_{pod}_default_{attempt}")
}

impl DockerContainer {
    /// The mode of the IPC namespace it made; `None` when it joined another's.
    pub fn ipc_mode(&self) -> Option<IpcMode> {
        match self.run.ipc {
            IpcFlag::Own(mode) => Some(mode),
            IpcFlag::Container(_) => None,
        }
    }
}

impl Node {
    /// The mode of the IPC namespace `name` is in: a container that joined another's has that
    /// one's, so it can be joined in turn when the owner's is shareable (dockerd checks the
    /// donor's /dev/shm, which a joiner shares: measured on dockerd 20.10). A donor that is
    /// gone counts as private.
    fn effective_ipc_mode(&self, name: &str) -> IpcMode {
        let mut seen = Vec::new();
        let mut current = self.docker_container(name);
        while let Some(container) = current {
            match &container.run.ipc {
                IpcFlag::Own(mode) => return *mode,
                IpcFlag::Container(donor) if !seen.contains(&donor) => {
                    seen.push(donor);
                    current = self.docker_container(donor);
                }
                IpcFlag::Container(_) => break,
            }
        }
        IpcMode::Private
    }
}
