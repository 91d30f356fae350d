//! What the container runtime does for kubelet, per flavour (K23, K24): make a pod's sandbox,
//! start a container joined to it, and enter a running container for an exec (K26).

use super::error::{Internal, PodError};
use super::names::{Cgroup, ContainerRef};
use super::programs::Program;
use super::spec::{ContainerSpec, Flavor, PidMode};
use super::{Container, Node, Pod};
use crate::event::Event;
use crate::ns::{NsKind, NsKinds};
use crate::process::Pid;

/// The name dockershim gives a pod's sandbox container, which its containers join.
fn sandbox_container_name(pod: &str) -> String {
    format!("{pod}_POD")
}

impl Node {
    /// The sandbox: a net namespace (pinned by containerd), then pause in new namespaces.
    pub(super) fn start_sandbox(&mut self, pod: &mut Pod) -> Result<(), PodError> {
        let spec = pod.spec.clone();
        let netns = if spec.host_network {
            None
        } else if spec.flavor == Flavor::Containerd {
            // containerd makes the net namespace itself, pins it and runs CNI in it (K24).
            let helper = self.spawn(
                self.runtime,
                NsKinds::of(&[NsKind::Net]),
                &Program::named("cni"),
            )?;
            let ns = self.ns_of(helper, NsKind::Net)?;
            let path = format!("/var/run/netns/cni-{}-{}", spec.name, pod.sandbox_restarts);
            self.apply(Event::Pin {
                ns,
                holder: path.clone(),
            })?;
            self.apply(Event::Exit {
                pid: helper,
                code: 0,
            })?;
            pod.netns_pin = Some((ns, path));
            Some(ns)
        } else {
            None
        };
        let mut new = vec![NsKind::Mnt];
        new.extend(
            [
                (NsKind::Ipc, spec.host_ipc),
                (NsKind::Uts, spec.host_network),
                (NsKind::Pid, spec.host_pid),
            ]
            .iter()
            .filter(|(_, host)| !host)
            .map(|&(kind, _)| kind),
        );
        // dockershim's sandbox is `docker run --net=none`: a net namespace of its own for CNI (K23).
        if spec.flavor == Flavor::Dockershim && !spec.host_network {
            new.push(NsKind::Net);
        }
        if !spec.host_pid {
            self.join_pid_for_children(pod.shim, pod.shim)?;
        }
        let pause = self.spawn(pod.shim, NsKinds::of(&new), &Program::pause())?;
        if let Some(ns) = netns {
            self.apply(Event::Setns { pid: pause, ns })?;
        }
        if !spec.host_network {
            let uts = self.ns_of(pause, NsKind::Uts)?;
            self.hostnames.insert(uts, spec.name.clone());
            pod.ip = Some(self.addresses.allocate());
        }
        self.cgroups.insert(
            pause,
            Cgroup::Sandbox {
                pod: spec.name.clone(),
            },
        );
        pod.pause = pause;
        Ok(())
    }

    /// A container joined to the sandbox, the way the pod's runtime does it.
    pub(super) fn start_container(
        &mut self,
        pod: &Pod,
        container: &ContainerSpec,
        mode: PidMode,
    ) -> Result<Container, PodError> {
        let spec = &pod.spec;
        let mut new = vec![NsKind::Mnt];
        match mode {
            PidMode::Container => {
                // A new pid namespace hangs below the shim's own (K4), wherever a kubectl exec
                // last pointed its pid_for_children.
                self.join_pid_for_children(pod.shim, pod.shim)?;
                new.push(NsKind::Pid);
            }
            // The shim enters pause's pid namespace first, so the container's first process is
            // born there: pause's sibling, with a parent outside (K10).
            PidMode::Pod => self.join_pid_for_children(pod.shim, pod.pause)?,
            PidMode::Node => self.join_pid_for_children(pod.shim, Pid(1))?,
        }
        if spec.flavor == Flavor::Dockershim && !spec.host_network {
            new.push(NsKind::Uts);
        }
        let init = self.fork(pod.shim, NsKinds::of(&new))?;
        if !spec.host_network {
            self.join(init, pod.pause, NsKind::Net)?;
            if spec.flavor == Flavor::Containerd {
                self.join(init, pod.pause, NsKind::Uts)?;
            } else {
                // docker copies the sandbox's hostname into the container's own uts namespace (K21).
                let uts = self.ns_of(init, NsKind::Uts)?;
                self.hostnames.insert(uts, spec.name.clone());
            }
        }
        if !spec.host_ipc {
            // dockershim joins with --ipc=container:<sandbox>, which docker checks (K22);
            // containerd joins by path, which needs nothing.
            if spec.flavor == Flavor::Dockershim {
                spec.pause_ipc
                    .check_joinable(&sandbox_container_name(&spec.name))?;
            }
            self.join(init, pod.pause, NsKind::Ipc)?;
        }
        let id = ContainerRef::new(&spec.name, &container.name);
        self.cgroups.insert(init, Cgroup::Container(id));
        self.exec(init, &container.program)?;
        let pid_ns = self
            .world
            .process(init)
            .map(|p| p.namespaces().get(NsKind::Pid))
            .ok_or(Internal::ProcessVanished { pid: init })?;
        Ok(Container {
            name: container.name.clone(),
            init,
            pid_ns,
            restarts: 0,
        })
    }

    /// An exec (K26): the shim enters the container's namespaces and forks; the new process's
    /// parent is the shim, outside the container's pid namespace (K10).
    pub(super) fn enter(&mut self, id: &ContainerRef, program: &Program) -> Result<Pid, PodError> {
        let (p, c) = self.find(id)?;
        let target = self.pods[p].containers[c].clone();
        let shim = self.pods[p].shim;
        if self.world.ns_kind(target.pid_ns).is_none() {
            return Err(PodError::NotRunning(id.clone()));
        }
        if self.ns_of(shim, NsKind::Pid)? != target.pid_ns {
            self.apply(Event::Setns {
                pid: shim,
                ns: target.pid_ns,
            })?;
        }
        // A dead namespace that the shim's pid_for_children still holds refuses the fork (K19).
        let child = self.fork(shim, NsKinds::EMPTY)?;
        let donor = if self.world.is_alive(target.init) {
            target.init
        } else {
            self.pods[p].pause
        };
        for kind in [NsKind::Net, NsKind::Ipc, NsKind::Uts, NsKind::Mnt] {
            self.join(child, donor, kind)?;
        }
        self.cgroups.insert(child, Cgroup::Container(id.clone()));
        self.exec(child, program)?;
        Ok(child)
    }
}
