//! How the pod layer names things: a container of a pod, and the group a process belongs to.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One container of one pod: what `kubectl exec POD -c CONTAINER` names. Written `pod/container`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ContainerRef {
    /// The pod's name.
    pub pod: String,
    /// The container's name in the pod.
    pub container: String,
}

impl ContainerRef {
    /// The container `container` of pod `pod`.
    pub fn new(pod: impl Into<String>, container: impl Into<String>) -> ContainerRef {
        ContainerRef {
            pod: pod.into(),
            container: container.into(),
        }
    }
}

impl fmt::Display for ContainerRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.pod, self.container)
    }
}

/// The container a process belongs to, as its cgroup says: inherited on fork, so a runtime can
/// find every process a container left behind (K28).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cgroup {
    /// A pod's sandbox: pause.
    Sandbox {
        /// The pod.
        pod: String,
    },
    /// One of a pod's containers.
    Container(ContainerRef),
    /// A container started with `docker run`, by name.
    Docker {
        /// Its name.
        name: String,
    },
}

impl Cgroup {
    /// The pod it belongs to, if any.
    pub fn pod(&self) -> Option<&str> {
        match self {
            Cgroup::Sandbox { pod } => Some(pod),
            Cgroup::Container(container) => Some(&container.pod),
            Cgroup::Docker { .. } => None,
        }
    }

    /// The container it is, if it is one of a pod's.
    pub fn container(&self) -> Option<&ContainerRef> {
        match self {
            Cgroup::Container(container) => Some(container),
            _ => None,
        }
    }
}

/// `pod/pause`, `pod/container`, or a docker container's name.
impl fmt::Display for Cgroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cgroup::Sandbox { pod } => write!(f, "{pod}/pause"),
            Cgroup::Container(container) => container.fmt(f),
            Cgroup::Docker { name } => f.write_str(name),
        }
    }
}
