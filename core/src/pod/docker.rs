//! `docker run` with `--net`, `--ipc` and `--pid` modes, and the refusals of K21 and K22.

use serde::{Deserialize, Serialize};

use super::{DockerContainer, Node, PodError, Program};
use crate::ns::{NsKind, NsKinds};
use crate::process::Pid;

/// docker's `--ipc` modes (K22).
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
}

/// `docker run [--name NAME] [--net MODE] [--ipc MODE] [--pid MODE] [--hostname H] [-p P] [--dns D] IMAGE`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DockerRun {
    /// `--name`.
    pub name: String,
    /// The image's program.
    pub program: Program,
    /// `--net`: `bridge` (default), `none`, `host` or `container:NAME`.
    #[serde(default)]
    pub net: Option<String>,
    /// `--ipc`: `none`, `private`, `shareable`, `host` or `container:NAME`.
    #[serde(default)]
    pub ipc: Option<String>,
    /// `--pid`: `host` or `container:NAME`.
    #[serde(default)]
    pub pid: Option<String>,
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

enum Join {
    Own,
    Host,
    Container(Pid),
}

impl Node {
    fn docker_donor(&self, mode: &str, name: &str, flag: &str) -> Result<Option<Pid>, PodError> {
        let Some(donor) = mode.strip_prefix("container:") else {
            return Ok(None);
        };
        if donor == name {
            return Err(PodError::Docker(format!(
                "cannot join own {flag} namespace"
            )));
        }
        let running = self
            .docker_container(donor)
            .map(|c| c.init)
            .filter(|pid| self.world.is_alive(*pid));
        match running {
            Some(pid) => Ok(Some(pid)),
            None if self.docker_container(donor).is_some() => Err(PodError::Docker(format!(
                "cannot join {flag} of a non running container: {donor}"
            ))),
            None => Err(PodError::Docker(format!("No such container: {donor}"))),
        }
    }

    /// Runs a docker container; its first process's parent is a containerd shim.
    pub fn docker_run(&mut self, run: DockerRun) -> Result<Pid, PodError> {
        self.transaction(|node| {
            if node.docker_container(&run.name).is_some() {
                return Err(PodError::Docker(format!("Conflict. The container name \"/{}\" is already in use", run.name)));
            }
            let net = run.net.as_deref().unwrap_or("bridge");
            let net_donor = node.docker_donor(net, &run.name, "network")?;
            // K21: in container: network mode these belong to the donor.
            if net_donor.is_some() || net == "host" {
                if run.hostname.is_some() && net_donor.is_some() {
                    return Err(PodError::Docker("conflicting options: hostname and the network mode".into()));
                }
                if !run.publish.is_empty() {
                    return Err(PodError::Docker("conflicting options: port publishing and the container type network mode".into()));
                }
                if !run.dns.is_empty() {
                    return Err(PodError::Docker("conflicting options: dns and the network mode".into()));
                }
            }
            let ipc_text = run.ipc.as_deref().unwrap_or("private");
            let ipc_donor = node.docker_donor(ipc_text, &run.name, "IPC")?;
            if let Some(donor) = ipc_donor {
                let shareable = node.docker.iter().any(|c| c.init == donor && c.ipc.is_joinable());
                if !shareable {
                    let name = node.docker.iter().find(|c| c.init == donor).map_or("", |c| c.name.as_str());
                    return Err(PodError::Docker(format!(
                        "container {name}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)"
                    )));
                }
            }
            let ipc_mode = match ipc_text {
                "none" => IpcMode::None,
                "shareable" => IpcMode::Shareable,
                "host" => IpcMode::Host,
                "private" => IpcMode::Private,
                _ if ipc_donor.is_some() => IpcMode::Private,
                other => return Err(PodError::Docker(format!("invalid IPC mode: {other}"))),
            };
            let pid_join = match run.pid.as_deref() {
                None => Join::Own,
                Some("host") => Join::Host,
                Some(mode) => match node.docker_donor(mode, &run.name, "PID")? {
                    Some(pid) => Join::Container(pid),
                    None => return Err(PodError::Docker(format!("invalid PID mode: {mode}"))),
                },
            };

            let shim = node.spawn(node.runtime, NsKinds::EMPTY, &Program { subreaper: true, ..Program::runtime("containerd-shim") })?;
            let mut new = vec![NsKind::Mnt];
            match pid_join {
                Join::Own => new.push(NsKind::Pid),
                Join::Host => {}
                Join::Container(donor) => node.join_pid_for_children(shim, donor)?,
            }
            if net != "host" {
                // A container of its own uts namespace, even in container: network mode (K21).
                new.push(NsKind::Uts);
                if net_donor.is_none() {
                    new.push(NsKind::Net);
                }
            }
            if ipc_donor.is_none() && ipc_mode != IpcMode::Host {
                new.push(NsKind::Ipc);
            }
            let init = node.fork(shim, NsKinds::of(&new))?;
            if let Some(donor) = net_donor {
                node.join(init, donor, NsKind::Net)?;
            }
            if let Some(donor) = ipc_donor {
                node.join(init, donor, NsKind::Ipc)?;
            }
            if net != "host" {
                // The hostname: copied from the donor with container: networking, else given.
                let hostname = match net_donor {
                    Some(donor) => node.hostname(donor).unwrap_or_default().to_owned(),
                    None => run.hostname.clone().unwrap_or_else(|| run.name.clone()),
                };
                let uts = node.ns_of(init, NsKind::Uts)?;
                node.hostnames.insert(uts, hostname);
            }
            node.cgroups.insert(init, run.name.clone());
            node.exec(init, &run.program)?;
            node.docker.push(DockerContainer { name: run.name.clone(), init, ipc: ipc_mode });
            Ok(init)
        })
    }
}
