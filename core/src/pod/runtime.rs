//! What the container runtime does for kubelet, per flavour (K23, K24): make a pod's sandbox,
//! start a container joined to it, and enter a running container for an exec (K26).

use super::docker::sandbox_container_name;
use super::error::{Entry, Internal, PodError};
use super::names::{Cgroup, ContainerRef};
use super::programs::Program;
use super::spec::{ContainerSpec, Flavor, PidMode};
use super::{Container, Node, Pod};
use crate::event::Event;
use crate::ns::{NsId, NsKind, NsKinds};
use crate::process::Pid;

impl Node {
    /// The sandbox: a net namespace (pinned by containerd), then pause in new namespaces.
    pub(super) fn start_sandbox(&mut self, pod: &mut Pod) -> Result<(), PodError> {
        let spec = pod.spec.clone();
        let netns = if spec.host_network {
            None
        } else if spec.flavor == Flavor::Containerd {
            // containerd makes the net namespace itself, with no process of its own: a locked
            // thread unshares it, it is bind-mounted, and the thread goes back (pkg/netns
            // newNS); CNI then runs in it (K24).
            let runtime = self.runtime;
            let home = self.ns_of(runtime, NsKind::Net)?;
            self.apply(Event::Unshare {
                pid: runtime,
                new: NsKinds::of(&[NsKind::Net]),
            })?;
            let ns = self.ns_of(runtime, NsKind::Net)?;
            let path = format!("/var/run/netns/cni-{}-{}", spec.name, pod.sandbox_restarts);
            self.apply(Event::Pin {
                ns,
                holder: path.clone(),
            })?;
            self.apply(Event::Setns {
                pid: runtime,
                ns: home,
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
        // containerd's pause joins the pinned net namespace by its path (K24).
        let pause = self.runc(pod.shim, netns.into_iter().collect(), NsKinds::of(&new))?;
        self.exec(pause, &Program::pause())?;
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
        let mut joins = Vec::new();
        match mode {
            // A new pid namespace, below runc's own (the host's, K4).
            PidMode::Container => new.push(NsKind::Pid),
            // runc enters pause's pid namespace first, so the container's first process is born
            // there: pause's sibling, with a parent outside (K10).
            PidMode::Pod => joins.push(self.ns_of_member(pod.pause, NsKind::Pid)?),
            PidMode::Node => {}
        }
        if !spec.host_network {
            joins.push(self.ns_of_member(pod.pause, NsKind::Net)?);
            if spec.flavor == Flavor::Containerd {
                joins.push(self.ns_of_member(pod.pause, NsKind::Uts)?);
            } else {
                new.push(NsKind::Uts);
            }
        }
        if !spec.host_ipc {
            // dockershim joins with --ipc=container:<sandbox>, which docker checks (K22);
            // containerd joins by path, which needs nothing.
            if spec.flavor == Flavor::Dockershim {
                spec.pause_ipc
                    .check_joinable(&sandbox_container_name(&spec.name))?;
            }
            joins.push(self.ns_of_member(pod.pause, NsKind::Ipc)?);
        }
        let init = self.runc(pod.shim, joins, NsKinds::of(&new))?;
        if spec.flavor == Flavor::Dockershim && !spec.host_network {
            // docker copies the sandbox's hostname into the container's own uts namespace (K21).
            let uts = self.ns_of(init, NsKind::Uts)?;
            self.hostnames.insert(uts, spec.name.clone());
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
            exit: None,
        })
    }

    /// An exec (K26), as `runc exec` does it for the shim: runc enters the container's
    /// namespaces and forks; when runc exits, the shim (a child subreaper) adopts the process,
    /// whose parent is then outside the container's pid namespace (K10). The runtime execs only
    /// into a running container.
    pub(super) fn enter(
        &mut self,
        id: &ContainerRef,
        program: &Program,
        entry: Entry,
    ) -> Result<Pid, PodError> {
        let (p, c) = self.find(id)?;
        let target = self.pods[p].containers[c].clone();
        let shim = self.pods[p].shim;
        if !self.world.is_alive(target.init) {
            return Err(PodError::NotRunning {
                container: id.clone(),
                entry,
            });
        }
        let mut joins = vec![target.pid_ns];
        for kind in [NsKind::Net, NsKind::Ipc, NsKind::Uts, NsKind::Mnt] {
            joins.push(self.ns_of_member(target.init, kind)?);
        }
        let child = self.runc(shim, joins, NsKinds::EMPTY)?;
        self.cgroups.insert(child, Cgroup::Container(id.clone()));
        self.exec(child, program)?;
        Ok(child)
    }
}

impl Node {
    /// `kubectl debug --target=C`: kubelet asks CRI for a new container whose pid namespace is
    /// C's (NamespaceMode TARGET); runc starts it in C's pid namespace and the pod's net, ipc
    /// and uts, with a mount namespace of its own (the debug image's filesystem).
    pub fn debug_container(
        &mut self,
        target: &ContainerRef,
        program: &Program,
    ) -> Result<Pid, PodError> {
        self.transaction(|node| {
            let (p, c) = node.find(target)?;
            let container = node.pods[p].containers[c].clone();
            if !node.world.is_alive(container.init) {
                return Err(PodError::NotRunning {
                    container: target.clone(),
                    entry: Entry::DebugTarget,
                });
            }
            let mut joins = vec![container.pid_ns];
            for kind in [NsKind::Net, NsKind::Ipc, NsKind::Uts] {
                joins.push(node.ns_of_member(container.init, kind)?);
            }
            let shim = node.pods[p].shim;
            let debugger = node.runc(shim, joins, NsKinds::of(&[NsKind::Mnt]))?;
            let id = ContainerRef::new(&target.pod, format!("debugger-{}", container.name));
            node.cgroups.insert(debugger, Cgroup::Container(id));
            node.exec(debugger, program)?;
            Ok(debugger)
        })
    }
}

impl Node {
    /// What runc does for a shim (`runc create`, `runc exec`): a runc process, forked by the
    /// shim, enters the namespaces `joins` (nsexec's setns; for a pid namespace that sets where
    /// its children are born, K4), forks the container's process into them and into new ones of
    /// kinds `new`, and exits. The shim, a child subreaper, adopts the process (K13, K26).
    pub(super) fn runc(
        &mut self,
        shim: Pid,
        joins: Vec<NsId>,
        new: NsKinds,
    ) -> Result<Pid, PodError> {
        let runc = self.spawn(shim, NsKinds::EMPTY, &Program::named("runc"))?;
        for ns in joins {
            self.apply(Event::Setns { pid: runc, ns })?;
        }
        let child = self.fork(runc, new)?;
        self.apply(Event::Exit { pid: runc, code: 0 })?;
        Ok(child)
    }

    /// A runtime shim: `containerd-shim-runc-v2 start` forks the long-lived shim and exits, so
    /// the shim's parent is the host's init and it outlives a restart of containerd.
    pub(super) fn start_shim(&mut self) -> Result<Pid, PodError> {
        let starter = self.spawn(
            self.runtime,
            NsKinds::EMPTY,
            &Program::named("containerd-shim"),
        )?;
        let shim = self.spawn(starter, NsKinds::EMPTY, &Program::shim())?;
        self.apply(Event::Exit {
            pid: starter,
            code: 0,
        })?;
        Ok(shim)
    }
}
