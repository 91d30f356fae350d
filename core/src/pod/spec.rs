//! What a pod is made of: its spec and the pid modes of K25.

use serde::{Deserialize, Serialize};

use super::docker::IpcMode;
use super::error::Invalid;
use super::programs::Program;

enum_with_all! {
    /// How the node runs pods.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Flavor {
        /// containerd's CRI (K24): the runtime makes and pins the net namespace; containers join the
        /// sandbox's net, ipc and uts by path; one shim per pod, a child subreaper.
        #[default]
        Containerd,
        /// Kubernetes before 1.24 (K23): docker containers with `--net/--ipc/--pid=container:`;
        /// each container has its own uts namespace with the sandbox's hostname copied (K21).
        Dockershim,
    }
}

impl Flavor {
    /// Its name, as the tutorial shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Flavor::Containerd => "containerd",
            Flavor::Dockershim => "dockershim",
        }
    }
}

/// Where a pod's processes get their pids (K25).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PidMode {
    /// Each container its own pid namespace; its first process is pid 1 and must reap.
    Container,
    /// shareProcessNamespace: pause is pid 1 of the whole pod and reaps every orphan.
    Pod,
    /// hostPID: the host's pid namespace.
    Node,
}

impl PidMode {
    /// CRI's name for it (`NamespaceMode`), as kubelet logs it.
    pub fn as_str(self) -> &'static str {
        match self {
            PidMode::Container => "CONTAINER",
            PidMode::Pod => "POD",
            PidMode::Node => "NODE",
        }
    }
}

/// One container of a pod.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerSpec {
    /// Its name in the pod.
    pub name: String,
    /// Its first process.
    pub program: Program,
}

/// A pod, as far as namespaces and processes go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodSpec {
    /// The pod's name, also its hostname.
    pub name: String,
    /// Its containers, started in order after the sandbox.
    pub containers: Vec<ContainerSpec>,
    /// `shareProcessNamespace`.
    #[serde(default)]
    pub share_process_namespace: bool,
    /// `hostNetwork`: the host's net and uts namespaces.
    #[serde(default)]
    pub host_network: bool,
    /// `hostPID`.
    #[serde(default)]
    pub host_pid: bool,
    /// `hostIPC`.
    #[serde(default)]
    pub host_ipc: bool,
    /// The runtime.
    #[serde(default)]
    pub flavor: Flavor,
    /// dockershim's `--ipc` for the pause container: containers join it with
    /// `--ipc=container:`, which needs it shareable (K22). containerd joins by path and ignores it.
    #[serde(default = "IpcMode::shareable")]
    pub pause_ipc: IpcMode,
}

impl PodSpec {
    /// The pid mode of K25, or the validation error for asking for both.
    pub fn pid_mode(&self) -> Result<PidMode, Invalid> {
        match (self.share_process_namespace, self.host_pid) {
            (false, false) => Ok(PidMode::Container),
            (true, false) => Ok(PidMode::Pod),
            (false, true) => Ok(PidMode::Node),
            (true, true) => Err(Invalid::SharedAndHostPid),
        }
    }

    /// What the API server checks before a pod exists: its pid mode (K25) and its containers.
    pub fn validate(&self) -> Result<PidMode, Invalid> {
        let mode = self.pid_mode()?;
        if self.containers.is_empty() {
            return Err(Invalid::NoContainers);
        }
        for (index, container) in self.containers.iter().enumerate() {
            if self.containers[..index]
                .iter()
                .any(|c| c.name == container.name)
            {
                return Err(Invalid::DuplicateContainer {
                    index,
                    name: container.name.clone(),
                });
            }
        }
        Ok(mode)
    }
}
