//! Why a pod operation was refused: one variant per reason, with the facts as fields, so that
//! the rule behind a refusal is a `match` and views word it themselves (the catalog,
//! [`crate::text`]). [`Invalid::original`] and [`DockerError::original`] are the messages the
//! real components print, which the tutorial quotes.

use serde::{Deserialize, Serialize};

use super::names::ContainerRef;
use crate::error::ModelError;
use crate::ns::NsId;
use crate::process::Pid;
use crate::rule::Rule;

/// Why a pod operation was refused. The node is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PodError {
    /// The API server's validation refused the pod spec.
    Invalid(Invalid),
    /// No such pod or container.
    NotFound(NotFound),
    /// The container has no running process to enter.
    NotRunning {
        /// The container.
        container: ContainerRef,
        /// What asked to enter it: each component refuses in its own words.
        entry: Entry,
    },
    /// fork failed with ENOMEM: the pid namespace's init has died (K19).
    ForkFailed {
        /// The process that forked.
        parent: Pid,
        /// The dead pid namespace.
        ns: NsId,
    },
    /// docker refused the flags (K21, K22).
    Docker(DockerError),
    /// The kernel refused one of the operation's events.
    Kernel(ModelError),
    /// The model itself went wrong: never the reader's doing, and never a rule.
    Internal(Internal),
}

/// A request that enters a running container, and so is refused when it has exited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entry {
    /// `kubectl exec`: kubelet looks for the container among the running ones.
    KubectlExec,
    /// An exec probe: kubelet asks containerd's ExecSync by container id.
    ExecProbe,
    /// `kubectl debug --target`: containerd checks the target when it creates the debugger.
    DebugTarget,
}

/// A pod spec that validation refuses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Invalid {
    /// shareProcessNamespace and hostPID together (K25).
    SharedAndHostPid,
    /// A pod needs a container.
    NoContainers,
    /// Two containers with one name.
    DuplicateContainer {
        /// The second one's index.
        index: usize,
        /// The name.
        name: String,
    },
    /// A pod of that name exists.
    PodExists {
        /// The name.
        pod: String,
    },
}

/// Something an operation names that is not there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotFound {
    /// No pod of that name.
    Pod {
        /// The name given.
        pod: String,
    },
    /// The pod has no container of that name.
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DockerError {
    /// `--name` is taken.
    NameInUse {
        /// The name.
        name: String,
        /// The id of the container that has it.
        id: String,
    },
    /// `docker rm` of a running container without `-f`.
    RemoveRunning {
        /// The name.
        name: String,
        /// Its id.
        id: String,
    },
    /// `--net=container:` (or ipc, pid) naming the container itself.
    JoinOwn {
        /// Which namespace.
        ns: DockerNs,
    },
    /// The donor exists but is not running.
    DonorNotRunning {
        /// Which namespace.
        ns: DockerNs,
        /// The donor.
        donor: String,
        /// Its id, which dockerd names it by.
        id: String,
    },
    /// No container of that name.
    NoSuchContainer {
        /// Which namespace it was to join.
        ns: DockerNs,
        /// The name given.
        donor: String,
    },
    /// `--hostname` with `--net=container:` (K21).
    HostnameWithNetworkContainer,
    /// `-p` with `--net=container:` or `host` (K21).
    PublishWithNetworkMode,
    /// `--dns` with `--net=container:` or `host` (K21).
    DnsWithNetworkMode,
    /// `--ipc=container:X` where X's IPC is not shareable (K22).
    IpcNotShareable {
        /// The donor.
        donor: String,
        /// Its id, which dockerd names it by.
        id: String,
    },
    /// `docker kill` or `docker exec` of a container whose first process is not running.
    NotRunning {
        /// What was asked of it.
        asked: DockerAsk,
        /// The name given.
        name: String,
        /// Its id, which dockerd names it by.
        id: String,
    },
}

/// What a refused command asked of a container that is not running: dockerd words each its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DockerAsk {
    /// `docker kill`.
    Kill,
    /// `docker exec`.
    Exec,
}

impl DockerError {
    /// The rule that explains the refusal, if one does.
    pub fn rule(&self) -> Option<Rule> {
        match self {
            DockerError::NameInUse { .. }
            | DockerError::RemoveRunning { .. }
            | DockerError::NotRunning { .. } => None,
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Internal {
    /// Programs kept reacting to each other past the per-operation bound.
    ReactionsNeverEnd,
    /// A fork succeeded without reporting its child.
    ForkWithoutChild {
        /// The parent.
        parent: Pid,
    },
    /// A process the node tracks is missing from the kernel model.
    ProcessVanished {
        /// The process.
        pid: Pid,
    },
}

enum_with_all! {
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
        RemoveRunning,
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
            | PodError::NotRunning { .. }
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
            PodError::NotRunning { .. } => Refusal::NotRunning,
            PodError::ForkFailed { .. } => Refusal::ForkFailed,
            PodError::Docker(error) => match error {
                DockerError::NameInUse { .. } => Refusal::NameInUse,
                DockerError::RemoveRunning { .. } => Refusal::RemoveRunning,
                DockerError::JoinOwn { .. } => Refusal::JoinOwn,
                DockerError::DonorNotRunning { .. } => Refusal::DonorNotRunning,
                DockerError::NoSuchContainer { .. } => Refusal::NoSuchContainer,
                DockerError::HostnameWithNetworkContainer => Refusal::HostnameWithNetworkContainer,
                DockerError::PublishWithNetworkMode => Refusal::PublishWithNetworkMode,
                DockerError::DnsWithNetworkMode => Refusal::DnsWithNetworkMode,
                DockerError::IpcNotShareable { .. } => Refusal::IpcNotShareable,
                DockerError::NotRunning { .. } => Refusal::NotRunning,
            },
            PodError::Kernel(_) => Refusal::Kernel,
            PodError::Internal(_) => Refusal::Internal,
        }
    }
}

macro_rules! from_variant {
    ($($variant:ident($type:ty)),*) => {$(
        impl From<$type> for PodError {
            fn from(error: $type) -> PodError {
                PodError::$variant(error)
            }
        }
    )*};
}

from_variant!(
    Invalid(Invalid),
    NotFound(NotFound),
    Docker(DockerError),
    Kernel(ModelError),
    Internal(Internal)
);

impl std::error::Error for PodError {}

impl Invalid {
    /// What the API server says, as `kubectl` prints it.
    pub fn original(&self) -> String {
        match self {
            Invalid::SharedAndHostPid => "spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled".to_owned(),
            Invalid::NoContainers => "spec.containers: Required value".to_owned(),
            Invalid::DuplicateContainer { index, name } => {
                format!("spec.containers[{index}].name: Duplicate value: \"{name}\"")
            }
            Invalid::PodExists { pod } => format!("pods \"{pod}\" already exists"),
        }
    }
}

impl Entry {
    /// What the component that checks prints, as the reader sees it: kubectl's line for an
    /// exec, the probe's error from containerd, kubectl debug's warning (where containerd
    /// prints the target's id, the model names the container).
    pub fn original(self, container: &ContainerRef) -> String {
        let name = &container.container;
        match self {
            Entry::KubectlExec => {
                format!("error: unable to upgrade connection: container not found (\"{name}\")")
            }
            Entry::ExecProbe => "container is in CONTAINER_EXITED state".to_owned(),
            Entry::DebugTarget => format!(
                "invalid target container: container \"{name}\" is not running - in state CONTAINER_EXITED"
            ),
        }
    }
}

impl NotFound {
    /// What the API server says, as `kubectl` prints it.
    pub fn original(&self) -> String {
        match self {
            NotFound::Pod { pod } => format!("pods \"{pod}\" not found"),
            NotFound::Container(id) => {
                format!("container {} is not valid for pod {}", id.container, id.pod)
            }
        }
    }
}

impl DockerError {
    /// What dockerd says, as the `docker` command prints it (measured on dockerd 20.10).
    pub fn original(&self) -> String {
        let said = match self {
            DockerError::NameInUse { name, id } => format!(
                "Conflict. The container name \"/{name}\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name"
            ),
            DockerError::RemoveRunning { id, .. } => format!(
                "You cannot remove a running container {id}. Stop the container before attempting removal or force remove"
            ),
            DockerError::JoinOwn { ns } => format!("cannot join own {}", ns.word()),
            DockerError::DonorNotRunning { ns, id, .. } => match ns {
                DockerNs::Network => format!("cannot join network of a non running container: {id}"),
                DockerNs::Ipc => {
                    format!("can't join IPC of container {id}: container {id} is not running")
                }
                DockerNs::Pid => format!("container {id} is not running"),
            },
            DockerError::NoSuchContainer { donor, .. } => format!("No such container: {donor}"),
            DockerError::HostnameWithNetworkContainer => {
                "conflicting options: hostname and the network mode".to_owned()
            }
            DockerError::PublishWithNetworkMode => {
                "conflicting options: port publishing and the container type network mode".to_owned()
            }
            DockerError::DnsWithNetworkMode => {
                "conflicting options: dns and the network mode".to_owned()
            }
            DockerError::IpcNotShareable { id, .. } => format!(
                "can't join IPC of container {id}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)"
            ),
            DockerError::NotRunning {
                asked: DockerAsk::Kill,
                name,
                id,
            } => format!("Cannot kill container: {name}: Container {id} is not running"),
            DockerError::NotRunning {
                asked: DockerAsk::Exec,
                id,
                ..
            } => format!("Container {id} is not running"),
        };
        match self {
            // `docker rm`, `kill` and `exec` print the daemon's answer as it is.
            DockerError::RemoveRunning { .. } | DockerError::NotRunning { .. } => {
                format!("Error response from daemon: {said}")
            }
            // `docker run` prefixes its name and ends with a period.
            _ => format!("docker: Error response from daemon: {said}."),
        }
    }
}
