//! `docker run` with `--net`, `--ipc` and `--pid` modes, and the refusals of K21 and K22. The
//! flags are parsed once, when a scenario (or a reader) gives them; from then on they are types.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::error::{DockerError, DockerNs, PodError};
use super::names::Cgroup;
use super::programs::Program;
use super::{DockerContainer, Node};
use crate::ns::{NsKind, NsKinds};
use crate::process::Pid;

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

impl Node {
    /// The running container a `container:NAME` flag joins.
    fn docker_donor(
        &self,
        donor: &str,
        run: &DockerRun,
        ns: DockerNs,
    ) -> Result<&DockerContainer, DockerError> {
        if donor == run.name {
            return Err(DockerError::JoinOwn { ns });
        }
        let container =
            self.docker_container(donor)
                .ok_or_else(|| DockerError::NoSuchContainer {
                    ns,
                    donor: donor.to_owned(),
                })?;
        if !self.world.is_alive(container.init) {
            return Err(DockerError::DonorNotRunning {
                ns,
                donor: donor.to_owned(),
            });
        }
        Ok(container)
    }

    /// What dockerd checks before it creates anything (K21, K22); returns the donors' first
    /// processes for `--net`, `--ipc` and `--pid`.
    fn docker_check(&self, run: &DockerRun) -> Result<[Option<Pid>; 3], DockerError> {
        if self.docker_container(&run.name).is_some() {
            return Err(DockerError::NameInUse {
                name: run.name.clone(),
            });
        }
        let net_donor = match &run.net {
            NetworkFlag::Container(donor) => {
                Some(self.docker_donor(donor, run, DockerNs::Network)?.init)
            }
            _ => None,
        };
        // K21: in container: network mode these belong to the donor; host has no own either.
        if net_donor.is_some() || run.net == NetworkFlag::Host {
            if run.hostname.is_some() && net_donor.is_some() {
                return Err(DockerError::HostnameWithNetworkContainer);
            }
            if !run.publish.is_empty() {
                return Err(DockerError::PublishWithNetworkMode);
            }
            if !run.dns.is_empty() {
                return Err(DockerError::DnsWithNetworkMode);
            }
        }
        let ipc_donor = match &run.ipc {
            IpcFlag::Container(name) => {
                let donor = self.docker_donor(name, run, DockerNs::Ipc)?;
                donor.ipc_mode().check_joinable(name)?;
                Some(donor.init)
            }
            IpcFlag::Own(_) => None,
        };
        let pid_donor = match &run.pid {
            PidFlag::Container(name) => Some(self.docker_donor(name, run, DockerNs::Pid)?.init),
            _ => None,
        };
        Ok([net_donor, ipc_donor, pid_donor])
    }

    /// Runs a docker container; its first process's parent is a containerd shim.
    pub fn docker_run(&mut self, run: DockerRun) -> Result<Pid, PodError> {
        self.transaction(|node| {
            let [net_donor, ipc_donor, pid_donor] = node.docker_check(&run)?;
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
                    None => run.hostname.clone().unwrap_or_else(|| run.name.clone()),
                };
                let uts = node.ns_of(init, NsKind::Uts)?;
                node.hostnames.insert(uts, hostname);
            }
            node.cgroups.insert(
                init,
                Cgroup::Docker {
                    name: run.name.clone(),
                },
            );
            node.exec(init, &run.program)?;
            node.docker.push(DockerContainer {
                name: run.name.clone(),
                init,
                ipc: run.ipc.clone(),
                owns_pid_ns: pid_donor.is_none() && run.pid != PidFlag::Host,
            });
            Ok(init)
        })
    }
}

impl DockerContainer {
    /// The mode of the IPC namespace it owns; one that joined another's owns none, and so
    /// cannot be joined in turn (K22).
    pub fn ipc_mode(&self) -> IpcMode {
        match self.ipc {
            IpcFlag::Own(mode) => mode,
            IpcFlag::Container(_) => IpcMode::Private,
        }
    }
}
