//! The model's node and a real one, seen the same way so they can be compared: for each pod,
//! who shares which namespace with whom, `ps` inside each container, each container's exit
//! code, and whether it has an IP.

use std::collections::BTreeMap;
use std::fmt;

use pauselab_core::pod::{ContainerRef, Node, PidMode};
use pauselab_core::{NsKind, ProcState};

use super::kubelet::RealNode;
use super::observe::{self, PsRow};

/// The kinds CRI decides per pod; the others (user, time, cgroup) stay the node's here.
pub const KINDS: [NsKind; 5] = [
    NsKind::Net,
    NsKind::Ipc,
    NsKind::Uts,
    NsKind::Pid,
    NsKind::Mnt,
];

/// One pod, seen from outside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodView {
    /// Its name.
    pub pod: String,
    /// Per kind: which of node, pause and each living container's first process share, as
    /// letters (`node=a pause=b app=b`: pause and app share, the node's is another).
    pub sharing: Vec<String>,
    /// Its containers.
    pub containers: Vec<ContainerView>,
    /// Whether it has its own IP (not hostNetwork).
    pub has_ip: bool,
}

/// One container, seen from outside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerView {
    /// Its name.
    pub name: String,
    /// `ps` inside it (not compared for hostPID: that is the node's whole process list).
    pub ps: Option<Vec<PsRow>>,
    /// Its exit code, once its first process has ended.
    pub exit: Option<i32>,
}

/// Renumbers a `ps` table's pids in order (1 stays 1): a real container's pids have gaps where
/// runc's init, a Go program, ran threads before it exec'd the app, and how many depends on the
/// machine's CPUs. Order, parents, states and names are compared exactly.
pub fn renumbered(mut rows: Vec<PsRow>) -> Vec<PsRow> {
    let mut pids: Vec<u32> = rows.iter().map(|r| r.pid).collect();
    pids.sort_unstable();
    let first = if pids.first() == Some(&1) { 1 } else { 2 };
    let rank = |pid: u32| -> u32 {
        pids.iter()
            .position(|&p| p == pid)
            .map_or(0, |index| first + index as u32)
    };
    for row in &mut rows {
        row.pid = rank(row.pid);
        row.ppid = rank(row.ppid);
    }
    rows.sort();
    rows
}

/// Names each distinct value by a letter, in order of first appearance.
fn letters<T: PartialEq + Copy>(values: &[(String, Option<T>)]) -> String {
    let mut seen: Vec<T> = Vec::new();
    values
        .iter()
        .map(|(who, value)| {
            let letter = match value {
                Some(v) => {
                    let index = seen.iter().position(|s| s == v).unwrap_or_else(|| {
                        seen.push(*v);
                        seen.len() - 1
                    });
                    char::from(b'a' + (index % 26) as u8)
                }
                None => '-',
            };
            format!("{who}={letter}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A line per namespace kind: which of the node, pause and the living containers (by name)
/// share a namespace, `ns(kind)` giving theirs in that order.
fn sharing<T: PartialEq + Copy>(
    containers: &[String],
    ns: impl Fn(NsKind) -> Vec<Option<T>>,
) -> Vec<String> {
    KINDS
        .iter()
        .map(|&kind| {
            let holders = ["node".to_owned(), "pause".to_owned()]
                .into_iter()
                .chain(containers.iter().cloned());
            let values: Vec<_> = holders.zip(ns(kind)).collect();
            format!("{:<4} {}", kind.name(), letters(&values))
        })
        .collect()
}

/// The model's view of every pod, by name.
pub fn model_view(node: &Node) -> Vec<PodView> {
    let world = node.world();
    let host = world.process(pauselab_core::Pid(1));
    let mut views: Vec<PodView> = node
        .pods()
        .iter()
        .map(|pod| {
            let name = &pod.spec.name;
            let pause = world.process(pod.pause);
            let living: Vec<_> = pod
                .containers
                .iter()
                .filter(|c| world.is_alive(c.init))
                .collect();
            let names: Vec<String> = living.iter().map(|c| c.name.clone()).collect();
            let sharing = sharing(&names, |kind| {
                let holders = [host, pause]
                    .into_iter()
                    .chain(living.iter().map(|c| world.process(c.init)));
                holders
                    .map(|p| p.map(|p| p.namespaces().get(kind)))
                    .collect()
            });
            let host_pid = pod.spec.pid_mode() == Ok(PidMode::Node);
            let containers = pod
                .containers
                .iter()
                .map(|c| ContainerView {
                    name: c.name.clone(),
                    ps: (!host_pid).then(|| {
                        node.ps_in(&ContainerRef::new(name, &c.name))
                            .unwrap_or_default()
                            .into_iter()
                            .map(|row| PsRow {
                                pid: row.pid.0,
                                ppid: row.ppid.0,
                                state: match row.state {
                                    ProcState::Zombie(_) => 'Z',
                                    ProcState::Stopped => 'T',
                                    ProcState::Running | ProcState::Exiting(_) => '-',
                                },
                                comm: row.comm,
                            })
                            .collect::<Vec<_>>()
                    }),
                    exit: c.exit.map(|status| i32::from(status.shell_code())),
                })
                .map(|view| ContainerView {
                    ps: view.ps.map(renumbered),
                    ..view
                })
                .collect();
            PodView {
                pod: name.clone(),
                sharing,
                containers,
                has_ip: pod.ip.is_some(),
            }
        })
        .collect();
    views.sort_by(|a, b| a.pod.cmp(&b.pod));
    views
}

/// The real node's view of every pod, by name.
pub fn real_view(real: &RealNode<'_>) -> Vec<PodView> {
    let me = std::process::id();
    real.pods
        .values()
        .map(|pod| {
            let statuses: BTreeMap<String, Option<i32>> = pod
                .containers
                .iter()
                .map(|c| {
                    let exit = real.cri().container_status(&c.id).ok().and_then(|s| {
                        (s.state == k8s_cri::v1::ContainerState::ContainerExited as i32)
                            .then_some(s.exit_code)
                    });
                    (c.name.clone(), exit)
                })
                .collect();
            let alive = |pid: u32| crate::proc::state(pid).is_some_and(|s| s != 'Z' && s != 'X');
            let living: Vec<_> = pod.containers.iter().filter(|c| alive(c.init)).collect();
            let names: Vec<String> = living.iter().map(|c| c.name.clone()).collect();
            let sharing = sharing(&names, |kind| {
                let pause = alive(pod.pause).then_some(pod.pause);
                [Some(me), pause]
                    .into_iter()
                    .chain(living.iter().map(|c| Some(c.init)))
                    .map(|pid| pid.and_then(|pid| observe::ns_inode(pid, kind.name())))
                    .collect()
            });
            let host_pid = pod.spec.pid_mode() == Ok(PidMode::Node);
            let containers = pod
                .containers
                .iter()
                .map(|c| ContainerView {
                    name: c.name.clone(),
                    // A dead namespace's inode number is soon another's: ask /proc only while
                    // the process that holds it lives (the container's init, or pause for POD).
                    ps: (!host_pid).then(|| {
                        let holder = match pod.spec.pid_mode() {
                            Ok(PidMode::Pod) => pod.pause,
                            _ => c.init,
                        };
                        if alive(holder) {
                            renumbered(observe::ps_in(c.pid_ns))
                        } else {
                            Vec::new()
                        }
                    }),
                    exit: statuses.get(&c.name).copied().flatten(),
                })
                .collect();
            PodView {
                pod: pod.spec.name.clone(),
                sharing,
                containers,
                has_ip: pod.ip.is_some(),
            }
        })
        .collect()
}

impl fmt::Display for PodView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "  pod {} ({})",
            self.pod,
            if self.has_ip { "own IP" } else { "node's IP" }
        )?;
        for line in &self.sharing {
            writeln!(f, "    {line}")?;
        }
        for c in &self.containers {
            let exit = c.exit.map(|e| format!(", exited {e}")).unwrap_or_default();
            writeln!(f, "    container {}{exit}", c.name)?;
            match &c.ps {
                None => writeln!(f, "      (hostPID: ps not compared)")?,
                Some(rows) if rows.is_empty() => {
                    writeln!(f, "      (no process in its pid namespace)")?
                }
                Some(rows) => {
                    writeln!(f, "      {:>5} {:>5} S COMM", "PID", "PPID")?;
                    for row in rows {
                        writeln!(
                            f,
                            "      {:>5} {:>5} {} {}",
                            row.pid, row.ppid, row.state, row.comm
                        )?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Both views side by side, for a failure message.
pub fn both(model: &[PodView], real: &[PodView]) -> String {
    let mut text = String::from("model:\n");
    for pod in model {
        text.push_str(&pod.to_string());
    }
    text.push_str("real node:\n");
    for pod in real {
        text.push_str(&pod.to_string());
    }
    text
}
