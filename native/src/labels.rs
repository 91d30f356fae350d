//! Which pod and container each process on a node runs in, read from the runtimes' own files
//! (not from their APIs: no socket is needed, any state directory works, and root — whom
//! `pauselab ps` needs anyway — can read them):
//!
//! 1. the container's id is the last part of the process's cgroup path (runc names the cgroup
//!    after it, under kubelet's pod cgroup or docker's parent);
//! 2. the runtime shim that adopted the container's processes works in an OCI bundle; every
//!    container it runs has its bundle beside that one, named by its id, with its config.json;
//! 3. containerd's CRI plugin writes kubelet's names there as annotations
//!    (`io.kubernetes.cri.sandbox-name`, `…container-name`, `…container-type`). dockerd writes
//!    none: the bundle's `/etc/hostname` mount leads to dockerd's folder of containers, where
//!    each one's `config.v2.json` has its name and `hostconfig.json` the container whose network
//!    it joined (a docker "pod" is the containers sharing one network namespace, its owner being
//!    the sandbox).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use pauselab_core::format::{ContainerLabel, Engine};
use serde_json::Value;

use crate::procfs::ProcEntry;

/// The container id in a process's cgroup path: a last part of 64 hex digits (systemd's
/// drivers wrap it as `cri-containerd-ID.scope` or `docker-ID.scope`).
fn container_id(proc_root: &Path, pid: u32) -> Option<String> {
    let text = fs::read_to_string(proc_root.join(pid.to_string()).join("cgroup")).ok()?;
    text.lines().find_map(|line| {
        let last = line.rsplit('/').next()?;
        let last = last.strip_suffix(".scope").unwrap_or(last);
        let id = last.rsplit(['-', ':']).next()?;
        (id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit())).then(|| id.to_owned())
    })
}

/// The folders holding bundles: the parent of each shim's working directory.
fn bundle_roots(proc_root: &Path, all: &[ProcEntry]) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = Vec::new();
    for shim in all.iter().filter(|p| p.comm.starts_with("containerd-shim")) {
        let cwd = fs::read_link(proc_root.join(shim.pid.to_string()).join("cwd"));
        if let Some(root) = cwd.ok().and_then(|c| c.parent().map(Path::to_path_buf)) {
            if !roots.contains(&root) {
                roots.push(root);
            }
        }
    }
    roots
}

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_str(&fs::read_to_string(path).ok()?).ok()
}

/// What one container's files say: CRI's names, or docker's name and network owner.
enum Record {
    Cri {
        pod: String,
        container: String,
    },
    Docker {
        name: String,
        network_owner: Option<String>,
    },
}

fn annotation<'a>(config: &'a Value, key: &str) -> Option<&'a str> {
    config["annotations"][key].as_str()
}

fn record(bundle: &Path, id: &str) -> Option<Record> {
    let config = read_json(&bundle.join("config.json"))?;
    if let Some(pod) = annotation(&config, "io.kubernetes.cri.sandbox-name") {
        let container =
            if annotation(&config, "io.kubernetes.cri.container-type") == Some("sandbox") {
                ContainerLabel::SANDBOX
            } else {
                annotation(&config, "io.kubernetes.cri.container-name")?
            };
        return Some(Record::Cri {
            pod: pod.to_owned(),
            container: container.to_owned(),
        });
    }
    // dockerd: /etc/hostname comes from its folder of containers (from the network owner's
    // folder, with container: networking), where each has its own, by id.
    let hostname = config["mounts"]
        .as_array()?
        .iter()
        .find(|m| m["destination"] == "/etc/hostname")?["source"]
        .as_str()?;
    let dir = Path::new(hostname).parent()?.parent()?.join(id);
    let dir = dir.as_path();
    let name = docker_name(dir)?;
    let hostconfig = read_json(&dir.join("hostconfig.json"))?;
    let network_owner = hostconfig["NetworkMode"]
        .as_str()
        .and_then(|mode| mode.strip_prefix("container:"))
        .and_then(|id| docker_name(&dir.parent()?.join(id)));
    Some(Record::Docker {
        name,
        network_owner,
    })
}

fn docker_name(dir: &Path) -> Option<String> {
    let config = read_json(&dir.join("config.v2.json"))?;
    config["Name"]
        .as_str()
        .map(|n| n.trim_start_matches('/').to_owned())
}

/// The label of each process in `keep` that runs in a container.
pub fn labels(
    proc_root: &Path,
    all: &[ProcEntry],
    keep: &BTreeSet<u32>,
) -> BTreeMap<u32, ContainerLabel> {
    let roots = bundle_roots(proc_root, all);
    if roots.is_empty() {
        return BTreeMap::new();
    }
    let mut records: BTreeMap<String, Option<Record>> = BTreeMap::new();
    let mut ids: BTreeMap<u32, String> = BTreeMap::new();
    for &pid in keep {
        let Some(id) = container_id(proc_root, pid) else {
            continue;
        };
        records.entry(id.clone()).or_insert_with(|| {
            roots
                .iter()
                .map(|root| root.join(&id))
                .find(|bundle| bundle.join("config.json").is_file())
                .and_then(|bundle| record(&bundle, &id))
        });
        ids.insert(pid, id);
    }
    // A docker container whose network another joined is that pod's sandbox.
    let owners: BTreeSet<String> = records
        .values()
        .filter_map(|r| match r {
            Some(Record::Docker {
                network_owner: Some(owner),
                ..
            }) => Some(owner.clone()),
            _ => None,
        })
        .collect();
    ids.into_iter()
        .filter_map(|(pid, id)| {
            let label = match records.get(&id)?.as_ref()? {
                Record::Cri { pod, container } => ContainerLabel {
                    engine: Engine::Containerd,
                    pod: pod.clone(),
                    container: container.clone(),
                    id,
                },
                Record::Docker {
                    name,
                    network_owner,
                } => ContainerLabel {
                    engine: Engine::Docker,
                    pod: network_owner.clone().unwrap_or_else(|| name.clone()),
                    container: if owners.contains(name) {
                        ContainerLabel::SANDBOX.to_owned()
                    } else {
                        name.clone()
                    },
                    id,
                },
            };
            Some((pid, label))
        })
        .collect()
}
