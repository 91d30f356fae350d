//! Why a pod operation was refused: one variant per reason, with the facts as fields, so that
//! the rule behind a refusal is a `match` and views word it themselves. The messages are the
//! ones the real components print.

use serde::{Deserialize, Serialize};

use super::names::ContainerRef;
use crate::error::ModelError;
use crate::ns::NsId;
use crate::process::Pid;
use crate::rule::Rule;

/// Why a pod operation was refused. The node is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PodError {
    /// The API server's validation refused the pod spec.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// No such pod or container.
    #[error(transparent)]
    NotFound(#[from] NotFound),
    /// The container has no running process to enter.
    #[error("container {0} is not running")]
    NotRunning(ContainerRef),
    /// fork failed with ENOMEM: the pid namespace's init has died (K19).
    #[error("fork by {parent} into pid:[{ns}] failed: its init has died (ENOMEM)")]
    ForkFailed {
        /// The process that forked.
        parent: Pid,
        /// The dead pid namespace.
        ns: NsId,
    },
    /// docker refused the flags (K21, K22).
    #[error("docker: Error response from daemon: {0}")]
    Docker(#[from] DockerError),
    /// The kernel refused one of the operation's events.
    #[error(transparent)]
    Kernel(#[from] ModelError),
    /// The model itself went wrong: never the reader's doing, and never a rule.
    #[error("pauselab model bug: {0}")]
    Internal(#[from] Internal),
}

/// A pod spec that validation refuses.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Invalid {
    /// shareProcessNamespace and hostPID together (K25).
    #[error("spec.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled")]
    SharedAndHostPid,
    /// A pod needs a container.
    #[error("spec.containers: Required value")]
    NoContainers,
    /// Two containers with one name.
    #[error("spec.containers[{index}].name: Duplicate value: \"{name}\"")]
    DuplicateContainer {
        /// The second one's index.
        index: usize,
        /// The name.
        name: String,
    },
    /// A pod of that name exists.
    #[error("pods \"{pod}\" already exists")]
    PodExists {
        /// The name.
        pod: String,
    },
}

/// Something an operation names that is not there.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotFound {
    /// No pod of that name.
    #[error("pods \"{pod}\" not found")]
    Pod {
        /// The name given.
        pod: String,
    },
    /// The pod has no container of that name.
    #[error("container {} is not valid for pod {}", .0.container, .0.pod)]
    Container(ContainerRef),
}

/// Which namespace a docker flag joins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DockerNs {
    /// `--net`.
    Network,
    /// `--ipc`.
    Ipc,
    /// `--pid`.
    Pid,
}

impl DockerNs {
    /// How dockerd names it in its messages.
    pub fn word(self) -> &'static str {
        match self {
            DockerNs::Network => "network",
            DockerNs::Ipc => "IPC",
            DockerNs::Pid => "PID",
        }
    }

    /// The rule about joining it.
    pub fn rule(self) -> Rule {
        match self {
            DockerNs::Network => Rule::K21,
            DockerNs::Ipc | DockerNs::Pid => Rule::K22,
        }
    }
}

/// What dockerd refuses, in its words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DockerError {
    /// `--name` is taken.
    #[error("Conflict. The container name \"/{name}\" is already in use")]
    NameInUse {
        /// The name.
        name: String,
    },
    /// `--net=container:` (or ipc, pid) naming the container itself.
    #[error("cannot join own {} namespace", .ns.word())]
    JoinOwn {
        /// Which namespace.
        ns: DockerNs,
    },
    /// The donor exists but is not running.
    #[error("cannot join {} of a non running container: {donor}", .ns.word())]
    DonorNotRunning {
        /// Which namespace.
        ns: DockerNs,
        /// The donor.
        donor: String,
    },
    /// No container of that name.
    #[error("No such container: {donor}")]
    NoSuchContainer {
        /// Which namespace it was to join.
        ns: DockerNs,
        /// The name given.
        donor: String,
    },
    /// `--hostname` with `--net=container:` (K21).
    #[error("conflicting options: hostname and the network mode")]
    HostnameWithNetworkContainer,
    /// `-p` with `--net=container:` or `host` (K21).
    #[error("conflicting options: port publishing and the container type network mode")]
    PublishWithNetworkMode,
    /// `--dns` with `--net=container:` or `host` (K21).
    #[error("conflicting options: dns and the network mode")]
    DnsWithNetworkMode,
    /// `--ipc=container:X` where X's IPC is not shareable (K22).
    #[error("container {donor}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)")]
    IpcNotShareable {
        /// The donor.
        donor: String,
    },
}

impl DockerError {
    /// The rule that explains the refusal, if one does.
    pub fn rule(&self) -> Option<Rule> {
        match self {
            DockerError::NameInUse { .. } => None,
            DockerError::JoinOwn { ns }
            | DockerError::DonorNotRunning { ns, .. }
            | DockerError::NoSuchContainer { ns, .. } => Some(ns.rule()),
            DockerError::HostnameWithNetworkContainer
            | DockerError::PublishWithNetworkMode
            | DockerError::DnsWithNetworkMode => Some(Rule::K21),
            DockerError::IpcNotShareable { .. } => Some(Rule::K22),
        }
    }
}

/// A fault of the model, not of the operation asked for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Internal {
    /// Programs kept reacting to each other past the per-operation bound.
    #[error("programs react forever")]
    ReactionsNeverEnd,
    /// A fork succeeded without reporting its child.
    #[error("fork by {parent} reported no child")]
    ForkWithoutChild {
        /// The parent.
        parent: Pid,
    },
    /// A process the node tracks is missing from the kernel model.
    #[error("process {pid} vanished")]
    ProcessVanished {
        /// The process.
        pid: Pid,
    },
}

/// What kind of refusal: the variant without its facts, for a scenario that expects one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // each is the refusal of the same name
pub enum Refusal {
    SharedAndHostPid,
    NoContainers,
    DuplicateContainer,
    PodExists,
    PodNotFound,
    ContainerNotFound,
    NotRunning,
    ForkFailed,
    NameInUse,
    JoinOwn,
    DonorNotRunning,
    NoSuchContainer,
    HostnameWithNetworkContainer,
    PublishWithNetworkMode,
    DnsWithNetworkMode,
    IpcNotShareable,
    Kernel,
    Internal,
}

impl PodError {
    /// The rule that explains the refusal, if one does.
    pub fn rule(&self) -> Option<Rule> {
        match self {
            PodError::Kernel(error) => error.rule(),
            PodError::Invalid(Invalid::SharedAndHostPid) => Some(Rule::K25),
            PodError::ForkFailed { .. } => Some(Rule::K19),
            PodError::Docker(error) => error.rule(),
            PodError::Invalid(_)
            | PodError::NotFound(_)
            | PodError::NotRunning(_)
            | PodError::Internal(_) => None,
        }
    }

    /// Which kind of refusal it is.
    pub fn kind(&self) -> Refusal {
        match self {
            PodError::Invalid(Invalid::SharedAndHostPid) => Refusal::SharedAndHostPid,
            PodError::Invalid(Invalid::NoContainers) => Refusal::NoContainers,
            PodError::Invalid(Invalid::DuplicateContainer { .. }) => Refusal::DuplicateContainer,
            PodError::Invalid(Invalid::PodExists { .. }) => Refusal::PodExists,
            PodError::NotFound(NotFound::Pod { .. }) => Refusal::PodNotFound,
            PodError::NotFound(NotFound::Container(_)) => Refusal::ContainerNotFound,
            PodError::NotRunning(_) => Refusal::NotRunning,
            PodError::ForkFailed { .. } => Refusal::ForkFailed,
            PodError::Docker(error) => match error {
                DockerError::NameInUse { .. } => Refusal::NameInUse,
                DockerError::JoinOwn { .. } => Refusal::JoinOwn,
                DockerError::DonorNotRunning { .. } => Refusal::DonorNotRunning,
                DockerError::NoSuchContainer { .. } => Refusal::NoSuchContainer,
                DockerError::HostnameWithNetworkContainer => Refusal::HostnameWithNetworkContainer,
                DockerError::PublishWithNetworkMode => Refusal::PublishWithNetworkMode,
                DockerError::DnsWithNetworkMode => Refusal::DnsWithNetworkMode,
                DockerError::IpcNotShareable { .. } => Refusal::IpcNotShareable,
            },
            PodError::Kernel(_) => Refusal::Kernel,
            PodError::Internal(_) => Refusal::Internal,
        }
    }
}

/// What the refusal is about, in a few words.
impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::SharedAndHostPid => "shareProcessNamespace and hostPID together (K25)",
            Refusal::NoContainers => "a pod without containers",
            Refusal::DuplicateContainer => "two containers of one name",
            Refusal::PodExists => "the pod exists already",
            Refusal::PodNotFound => "no such pod",
            Refusal::ContainerNotFound => "no such container",
            Refusal::NotRunning => "the container is not running",
            Refusal::ForkFailed => "fork into a dying pid namespace: ENOMEM (K19)",
            Refusal::NameInUse => "the container name is in use",
            Refusal::JoinOwn => "a container joining its own namespace",
            Refusal::DonorNotRunning => "joining a container that is not running",
            Refusal::NoSuchContainer => "joining a container that does not exist",
            Refusal::HostnameWithNetworkContainer => "--hostname with --net=container: (K21)",
            Refusal::PublishWithNetworkMode => "-p with the network mode (K21)",
            Refusal::DnsWithNetworkMode => "--dns with the network mode (K21)",
            Refusal::IpcNotShareable => "non-shareable IPC (K22)",
            Refusal::Kernel => "the kernel refused a syscall",
            Refusal::Internal => "a fault of the model",
        })
    }
}
