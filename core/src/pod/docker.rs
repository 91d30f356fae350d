//! `docker run` with `--net`, `--ipc` and `--pid` modes, and the refusals of K21 and K22. The
//! flags are parsed once, when a scenario (or a reader) gives them; from then on they are types.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::error::{DockerError, DockerNs, PodError};
use super::names::Cgroup;
use super::programs::Program;
use super::spec::{Flavor, PidMode};
use super::{DockerContainer, Node};
use crate::event::Event;
use crate::ns::{NsKind, NsKinds};
use crate::process::Pid;

enum_with_all! {
    /// The IPC namespace mode a container owns (K22): what `--ipc` gives when it joins no one.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum IpcMode {
        /// No IPC namespace set-up (a private one without /dev/shm).
        None,
        /// A private namespace others cannot join: the daemon's default here.
        #[default]
        Private,
        /// A namespace other containers may join.
        Shareable,
        /// The host's.
        Host,
    }
}

impl IpcMode {
    /// The mode dockershim gives pause, so that the pod's containers can join it.
    pub fn shareable() -> IpcMode {
        IpcMode::Shareable
    }

    /// Whether other containers may join a namespace of this mode (K22).
    pub fn is_joinable(self) -> bool {
        matches!(self, IpcMode::Shareable | IpcMode::Host)
    }

    /// The word docker uses.
    pub fn as_str(self) -> &'static str {
        match self {
            IpcMode::None => "none",
            IpcMode::Private => "private",
            IpcMode::Shareable => "shareable",
            IpcMode::Host => "host",
        }
    }

    /// K22: joining `donor`'s IPC namespace needs it shareable; dockerd's refusal otherwise.
    pub(super) fn check_joinable(self, donor: &str) -> Result<(), DockerError> {
        if self.is_joinable() {
            Ok(())
        } else {
            Err(DockerError::IpcNotShareable {
                donor: donor.to_owned(),
                id: container_id(donor),
            })
        }
    }
}

/// A `--net`, `--ipc` or `--pid` value that docker does not accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidFlag {
    /// The flag.
    pub flag: &'static str,
    /// What was given.
    pub value: String,
    /// What it takes.
    pub expected: &'static str,
}

fn donor<'a>(
    value: &'a str,
    flag: &'static str,
    expected: &'static str,
) -> Result<Option<&'a str>, InvalidFlag> {
    match value.strip_prefix("container:") {
        Some("") => Err(InvalidFlag {
            flag,
            value: value.to_owned(),
            expected,
        }),
        other => Ok(other),
    }
}

/// `--net`: docker's network modes (K21).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum NetworkFlag {
    /// `bridge`, docker's default: a namespace of its own on docker's bridge.
    #[default]
    Bridge,
    /// `none`: a namespace of its own with only loopback.
    None,
    /// `host`: the host's net and uts namespaces.
    Host,
    /// `container:NAME`: that container's net namespace.
    Container(String),
}

/// `--ipc`: a namespace of its own in some mode, or another container's (K22).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum IpcFlag {
    /// A namespace of its own (or the host's, for [`IpcMode::Host`]).
    Own(IpcMode),
    /// `container:NAME`: that container's, which must be shareable.
    Container(String),
}

impl Default for IpcFlag {
    fn default() -> Self {
        IpcFlag::Own(IpcMode::default())
    }
}

/// `--pid`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum PidFlag {
    /// A pid namespace of its own: the container's first process is pid 1.
    #[default]
    Private,
    /// The host's.
    Host,
    /// `container:NAME`: that container's.
    Container(String),
}

const NET_VALUES: &str = "bridge, none, host or container:NAME";
const IPC_VALUES: &str = "none, private, shareable, host or container:NAME";
const PID_VALUES: &str = "host or container:NAME";

impl FromStr for NetworkFlag {
    type Err = InvalidFlag;

    fn from_str(value: &str) -> Result<Self, InvalidFlag> {
        if let Some(name) = donor(value, "--net", NET_VALUES)? {
            return Ok(NetworkFlag::Container(name.to_owned()));
        }
        match value {
            "" | "bridge" | "default" => Ok(NetworkFlag::Bridge),
            "none" => Ok(NetworkFlag::None),
            "host" => Ok(NetworkFlag::Host),
            _ => Err(InvalidFlag {
                flag: "--net",
                value: value.to_owned(),
                expected: NET_VALUES,
            }),
        }
    }
}

impl FromStr for IpcFlag {
    type Err = InvalidFlag;

    fn from_str(value: &str) -> Result<Self, InvalidFlag> {
        if let Some(name) = donor(value, "--ipc", IPC_VALUES)? {
            return Ok(IpcFlag::Container(name.to_owned()));
        }
        let mode = match value {
            "none" => IpcMode::None,
            "" | "private" => IpcMode::Private,
            "shareable" => IpcMode::Shareable,
            "host" => IpcMode::Host,
            _ => {
                return Err(InvalidFlag {
                    flag: "--ipc",
                    value: value.to_owned(),
                    expected: IPC_VALUES,
                })
            }
        };
        Ok(IpcFlag::Own(mode))
    }
}

impl FromStr for PidFlag {
    type Err = InvalidFlag;

    fn from_str(value: &str) -> Result<Self, InvalidFlag> {
        if let Some(name) = donor(value, "--pid", PID_VALUES)? {
            return Ok(PidFlag::Container(name.to_owned()));
        }
        match value {
            "" => Ok(PidFlag::Private),
            "host" => Ok(PidFlag::Host),
            _ => Err(InvalidFlag {
                flag: "--pid",
                value: value.to_owned(),
                expected: PID_VALUES,
            }),
        }
    }
}

impl std::error::Error for InvalidFlag {}

impl fmt::Display for InvalidFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} value \"{}\": expected {}",
            self.flag, self.value, self.expected
        )
    }
}

/// Each flag is written as docker takes it (and `docker inspect` shows it).
macro_rules! flag_as_text {
    ($flag:ty) => {
        impl TryFrom<String> for $flag {
            type Error = InvalidFlag;

            fn try_from(value: String) -> Result<Self, InvalidFlag> {
                value.parse()
            }
        }

        impl From<$flag> for String {
            fn from(flag: $flag) -> String {
                flag.to_string()
            }
        }
    };
}

flag_as_text!(NetworkFlag);
flag_as_text!(IpcFlag);
flag_as_text!(PidFlag);

impl fmt::Display for NetworkFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkFlag::Bridge => f.write_str("bridge"),
            NetworkFlag::None => f.write_str("none"),
            NetworkFlag::Host => f.write_str("host"),
            NetworkFlag::Container(name) => write!(f, "container:{name}"),
        }
    }
}

impl fmt::Display for IpcFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IpcFlag::Own(mode) => f.write_str(mode.as_str()),
            IpcFlag::Container(name) => write!(f, "container:{name}"),
        }
    }
}

impl fmt::Display for PidFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PidFlag::Private => Ok(()),
            PidFlag::Host => f.write_str("host"),
            PidFlag::Container(name) => write!(f, "container:{name}"),
        }
    }
}

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
                    if !owner.ipc_mode().is_joinable() {
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
            .map(|c| Inspect {
                name: c.name.clone(),
                id: c.id.clone(),
                state: state(c.init),
                host_config: c.host_config.clone(),
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
            rows.push(Inspect {
                name: sandbox.clone(),
                id: sandbox_id.clone(),
                state: state(Some(pod.pause)),
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

/// The name dockershim gives a pod's container.
fn dockershim_container_name(pod: &str, container: &str, attempt: u32) -> String {
    format!("k8s_{container}_{pod}_default_{attempt}")
}

impl DockerContainer {
    /// The mode of the IPC namespace it owns; one that joined another's owns none, and so
    /// cannot be joined in turn (K22).
    pub fn ipc_mode(&self) -> IpcMode {
        match self.run.ipc {
            IpcFlag::Own(mode) => mode,
            IpcFlag::Container(_) => IpcMode::Private,
        }
    }
}
