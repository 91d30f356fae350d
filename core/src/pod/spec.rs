//! What a pod is made of: its spec, its containers' programs, and the pid modes of K25.

use serde::{Deserialize, Serialize};

use super::{IpcMode, PodError};
use crate::signal::Signal;

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

/// What a process does when signals arrive: the part of its code the model needs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program {
    /// The command name.
    pub comm: String,
    /// Its SIGCHLD handler waits for every zombie child (pause.c, tini, shims).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reaps: bool,
    /// Signals whose handler makes it exit 0 (pause.c: SIGINT and SIGTERM).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exits_on: Vec<Signal>,
    /// It sets SIGCHLD to SIG_IGN, so its children never become zombies (K15).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ignores_sigchld: bool,
    /// It marks itself a child subreaper (K13), as tini -s and runtime shims do.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub subreaper: bool,
    /// The children it starts right away, each running its own program.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forks: Vec<Program>,
}

impl Program {
    /// A program that only has a name: no handlers, never waits.
    pub fn named(comm: &str) -> Program {
        Program {
            comm: comm.to_owned(),
            ..Program::default()
        }
    }

    /// Kubernetes' pause (K20): exits 0 on SIGINT and SIGTERM, reaps on SIGCHLD.
    pub fn pause() -> Program {
        Program {
            comm: "pause".into(),
            reaps: true,
            exits_on: vec![Signal::SIGINT, Signal::SIGTERM],
            ..Program::default()
        }
    }

    /// A runtime process (containerd, dockerd, a shim): reaps its children.
    pub fn runtime(comm: &str) -> Program {
        Program {
            comm: comm.into(),
            reaps: true,
            ..Program::default()
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
    pub fn pid_mode(&self) -> Result<PidMode, PodError> {
        match (self.share_process_namespace, self.host_pid) {
            (false, false) => Ok(PidMode::Container),
            (true, false) => Ok(PidMode::Pod),
            (false, true) => Ok(PidMode::Node),
            (true, true) => Err(PodError::Invalid(
                "spec.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled"
                    .into(),
            )),
        }
    }
}
