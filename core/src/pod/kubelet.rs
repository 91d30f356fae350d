//! What kubelet asks of the node: create and delete pods, exec into containers, probe, stop and
//! restart containers, and re-create a sandbox whose pause died (K25–K28).

use super::error::{Entry, Invalid, PodError};
use super::names::{Cgroup, ContainerRef};
use super::programs::Program;
use super::spec::PodSpec;
use super::{Container, Node, Pod, RuntimeNote};
use crate::event::Event;
use crate::ns::NsKinds;
use crate::process::Pid;
use crate::signal::Signal;

impl Node {
    /// Creates a pod: the sandbox first, then each container (K23, K24, K25).
    pub fn create_pod(&mut self, spec: PodSpec) -> Result<(), PodError> {
        self.transaction(|node| {
            let mode = spec.validate()?;
            if node.pod(&spec.name).is_some() {
                return Err(Invalid::PodExists {
                    pod: spec.name.clone(),
                }
                .into());
            }
            let shim = node.start_shim()?;
            let mut pod = Pod {
                spec: spec.clone(),
                shim,
                pause: Pid(0),
                ip: None,
                netns_pin: None,
                sandbox_restarts: 0,
                containers: Vec::new(),
            };
            node.start_sandbox(&mut pod)?;
            for container in &spec.containers {
                let started = node.start_container(&pod, container, mode)?;
                pod.containers.push(started);
            }
            node.pods.push(pod);
            Ok(())
        })
    }

    /// `kubectl exec` (K26): returns the new process, whose parent is the shim, outside the
    /// container's pid namespace.
    pub fn exec_into(&mut self, id: &ContainerRef, program: &Program) -> Result<Pid, PodError> {
        self.transaction(|node| node.enter(id, program, Entry::KubectlExec))
    }

    /// An exec probe (K26): a probe process that starts a helper and exits before it. Its helper
    /// is orphaned inside the container and exits: whoever is pid 1 there must reap it.
    pub fn exec_probe(&mut self, id: &ContainerRef) -> Result<(), PodError> {
        self.transaction(|node| {
            let probe = node.enter(id, &Program::named("probe"), Entry::ExecProbe)?;
            let helper = node.spawn(probe, NsKinds::EMPTY, &Program::named("probe-helper"))?;
            node.apply(Event::Exit {
                pid: probe,
                code: 0,
            })?;
            node.apply(Event::Exit {
                pid: helper,
                code: 0,
            })?;
            Ok(())
        })
    }

    /// kubelet restarts a container: the old one is stopped, a new first process joins the
    /// same sandbox, so the pod keeps its IP and namespaces.
    pub fn restart_container(&mut self, id: &ContainerRef) -> Result<(), PodError> {
        self.transaction(|node| {
            let (p, c) = node.find(id)?;
            let old = node.pods[p].containers[c].clone();
            node.stop_cgroup(node.pods[p].shim, &Cgroup::Container(id.clone()), old.init)?;
            let spec = node.pods[p].spec.containers[c].clone();
            let mode = node.pods[p].spec.pid_mode()?;
            let started = node.start_container(&node.pods[p].clone(), &spec, mode)?;
            node.pods[p].containers[c] = Container {
                restarts: old.restarts + 1,
                ..started
            };
            Ok(())
        })
    }

    /// Stops one container: its stop signal (SIGTERM unless the image says otherwise) to its first process, then SIGKILL to every process left in
    /// its cgroup — in a shared pid namespace that is the runtime's job, not the kernel's (K28).
    pub fn stop_container(&mut self, id: &ContainerRef) -> Result<(), PodError> {
        self.transaction(|node| {
            let (p, c) = node.find(id)?;
            let init = node.pods[p].containers[c].init;
            node.stop_cgroup(node.pods[p].shim, &Cgroup::Container(id.clone()), init)
        })
    }

    /// CRI's StopContainer: the shim runs `runc kill` with the stop signal for the first
    /// process, and after the grace period `runc kill --all` with SIGKILL for what is left of
    /// the cgroup. runc, a child of the shim on the host, is the sender (K28).
    pub(super) fn stop_cgroup(
        &mut self,
        shim: Pid,
        cgroup: &Cgroup,
        first: Pid,
    ) -> Result<(), PodError> {
        if self.world.is_alive(first) {
            // The image's STOPSIGNAL (nginx's is SIGQUIT), SIGTERM when it sets none.
            let signal = self
                .programs
                .get(&first)
                .map_or(Signal::SIGTERM, |program| program.stop_signal());
            self.runc_kill(shim, &[first], signal)?;
        }
        let left: Vec<Pid> = self
            .cgroups
            .iter()
            .filter(|(pid, group)| *group == cgroup && self.world.is_alive(**pid))
            .map(|(pid, _)| *pid)
            .collect();
        if !left.is_empty() {
            self.note(RuntimeNote::GracePeriodOver {
                cgroup: cgroup.clone(),
                left: left.len(),
            });
            self.runc_kill(shim, &left, Signal::SIGKILL)?;
        }
        Ok(())
    }

    /// Kills pause from the host. kubelet then finds the sandbox changed: it kills the
    /// containers, makes a new sandbox (a new IP) and restarts every container (K27). A pause
    /// that already died (a SIGTERM from inside a shared pid namespace, K20) has nothing left
    /// to kill, and kubelet re-creates a sandbox that is not ready all the same.
    pub fn kill_pause(&mut self, pod: &str) -> Result<(), PodError> {
        self.transaction(|node| {
            let p = node.pod_index(pod)?;
            let pause = node.pods[p].pause;
            if node.world.is_alive(pause) {
                node.apply(Event::Kill {
                    pid: node.runtime,
                    target: pause,
                    signal: Signal::SIGKILL,
                })?;
            }
            node.note(RuntimeNote::SandboxChanged {
                pod: pod.to_owned(),
            });
            node.recreate_sandbox(p)
        })
    }

    fn recreate_sandbox(&mut self, p: usize) -> Result<(), PodError> {
        let mut pod = self.pods[p].clone();
        let name = pod.spec.name.clone();
        for container in pod.containers.clone() {
            let id = ContainerRef::new(&name, &container.name);
            self.stop_cgroup(pod.shim, &Cgroup::Container(id), container.init)?;
        }
        self.stop_cgroup(pod.shim, &Cgroup::Sandbox { pod: name.clone() }, pod.pause)?;
        if let Some((ns, path)) = pod.netns_pin.take() {
            self.apply(Event::Unpin { ns, holder: path })?;
        }
        pod.sandbox_restarts += 1;
        self.start_sandbox(&mut pod)?;
        let mode = pod.spec.pid_mode()?;
        for index in 0..pod.containers.len() {
            let spec = pod.spec.containers[index].clone();
            let restarts = pod.containers[index].restarts + 1;
            pod.containers[index] = Container {
                restarts,
                ..self.start_container(&pod, &spec, mode)?
            };
        }
        self.note(RuntimeNote::NewSandbox {
            pod: name,
            ip: pod.ip.clone(),
        });
        self.pods[p] = pod;
        Ok(())
    }

    /// Deletes a pod: its containers are stopped, pause gets SIGTERM, the net namespace is
    /// unpinned and the shim exits.
    pub fn delete_pod(&mut self, pod: &str) -> Result<(), PodError> {
        self.transaction(|node| {
            let p = node.pod_index(pod)?;
            let removed = node.pods.remove(p);
            for container in &removed.containers {
                let id = ContainerRef::new(pod, &container.name);
                node.stop_cgroup(removed.shim, &Cgroup::Container(id), container.init)?;
            }
            node.stop_cgroup(
                removed.shim,
                &Cgroup::Sandbox {
                    pod: pod.to_owned(),
                },
                removed.pause,
            )?;
            if let Some((ns, path)) = removed.netns_pin {
                node.apply(Event::Unpin { ns, holder: path })?;
            }
            if node.world.is_alive(removed.shim) {
                node.apply(Event::Exit {
                    pid: removed.shim,
                    code: 0,
                })?;
            }
            Ok(())
        })
    }
}
