//! What happens to a running pod: an exec, a container's restart, pause killed from the node,
//! the pod deleted, and every pod cleared at the end of a test.

use super::*;

impl RealNode<'_> {
    pub(super) fn exec(
        &mut self,
        container: &ContainerRef,
        name: &str,
        comm: &str,
    ) -> Result<(), RealError> {
        let id = self.container(container)?.id;
        self.named.insert(name.to_owned(), container.pod.clone());
        let path = self.fifo_path(&Label::Named(name.to_owned()))?;
        // What kubectl exec runs is that program, as the model's exec_into runs it.
        let command = puppet_command(name, &Program::named(comm))?;
        let command: Vec<&str> = command.iter().map(String::as_str).collect();
        let session = self.cri.exec_start(&id, &command, 0);
        // Up, or refused (the answer comes at once), whichever is first.
        let up = wait_for(SETTLE, || {
            if observe::fifo_holder(&path).is_some() {
                Some(true)
            } else {
                session.is_finished().then_some(false)
            }
        });
        match up {
            Some(true) => {
                self.sessions.push(session);
                Ok(())
            }
            Some(false) => {
                self.named.remove(name);
                match session.finish(self.cri) {
                    Err(error) => Err(RealError::Refused(error)),
                    Ok(answer) => Err(RealError::Failed(format!(
                        "exec {name} exited {} at once: {}",
                        answer.exit_code,
                        String::from_utf8_lossy(&answer.stderr)
                    ))),
                }
            }
            None => Err(RealError::Failed(format!("exec {name} never came up"))),
        }
    }

    pub(super) fn restart(&mut self, id: &ContainerRef) -> Result<(), RealError> {
        let old = self.container(id)?;
        self.cri.stop_container(&old.id, GRACE)?;
        let pod = self.pod(&id.pod)?.clone();
        let index = pod
            .containers
            .iter()
            .position(|c| c.name == id.container)
            .ok_or_else(|| RealError::Unsupported(format!("no real container {id}")))?;
        let started = self.start_container(&pod, index, old.attempt + 1)?;
        let exited = self.wait_containers_exited(std::iter::once(old.id.as_str()));
        self.cri
            .remove_container(&old.id)
            .map_err(|refused| self.removal_failure(exited, &id.to_string(), refused))?;
        if let Some(pod) = self.pods.get_mut(&id.pod) {
            pod.containers[index] = started;
        }
        Ok(())
    }

    /// pause is SIGKILLed from the host; kubelet sees the sandbox not ready, stops it (which
    /// kills its containers), and makes a new one with every container again.
    pub(super) fn kill_pause(&mut self, name: &str) -> Result<(), RealError> {
        let old = self.pod(name)?.clone();
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(old.pause as i32),
            nix::sys::signal::Signal::SIGKILL,
        );
        wait_for(SETTLE, || {
            let status = self.cri.pod_sandbox_status(&old.sandbox).ok()?.status?;
            (status.state != k8s_cri::v1::PodSandboxState::SandboxReady as i32).then_some(())
        })
        .ok_or_else(|| RealError::Failed("the sandbox stayed ready after pause died".into()))?;
        self.stop_and_remove_sandbox(&old)?;
        let mut pod = RealPod {
            containers: Vec::new(),
            attempt: old.attempt + 1,
            ..old.clone()
        };
        self.start_sandbox(&mut pod)?;
        self.pods.insert(name.to_owned(), pod.clone());
        for (index, container) in old.containers.iter().enumerate() {
            let started = self.start_container(&pod, index, container.attempt + 1)?;
            pod.containers.push(started);
            self.pods.insert(name.to_owned(), pod.clone());
        }
        Ok(())
    }

    pub(super) fn delete_pod(&mut self, name: &str) -> Result<(), RealError> {
        let pod = self.pod(name)?.clone();
        self.stop_and_remove_sandbox(&pod)?;
        self.pods.remove(name);
        Ok(())
    }

    /// StopPodSandbox, then RemovePodSandbox once containerd has seen every container exit.
    pub(super) fn stop_and_remove_sandbox(&self, pod: &RealPod) -> Result<(), RealError> {
        self.cri.stop_pod_sandbox(&pod.sandbox)?;
        let exited = self.wait_containers_exited(pod.containers.iter().map(|c| c.id.as_str()));
        self.cri
            .remove_pod_sandbox(&pod.sandbox)
            .map_err(|refused| self.removal_failure(exited, &pod.spec.name, refused))
    }

    /// Waits (at most [`SETTLE`]) until containerd marks every one of these containers exited.
    ///
    /// containerd 1.6's StopContainer (and StopPodSandbox, which calls it) returns at once,
    /// without waiting, when its exit handler has already deleted a container's task but not yet
    /// marked the container exited (seen in CI: a pod whose shared pid namespace died with
    /// pause); a removal right after is refused with "container is still running". kubelet's
    /// garbage collector simply tries again later; we wait for the state instead.
    pub(super) fn wait_containers_exited<'i>(
        &self,
        ids: impl Iterator<Item = &'i str> + Clone,
    ) -> bool {
        let running = k8s_cri::v1::ContainerState::ContainerRunning as i32;
        wait_for(SETTLE, || {
            ids.clone()
                .all(|id| {
                    // A container the runtime no longer knows is not running either.
                    self.cri
                        .container_status(id)
                        .map_or(true, |status| status.state != running)
                })
                .then_some(())
        })
        .is_some()
    }

    /// What a refused removal means: the runtime's word, or that the wait for the exit ran out.
    pub(super) fn removal_failure(&self, exited: bool, what: &str, refused: CriError) -> RealError {
        if exited {
            RealError::Refused(refused)
        } else {
            RealError::Failed(format!(
                "{what} still ran {} s after it was stopped: {refused}",
                SETTLE.as_secs()
            ))
        }
    }

    /// Removes every pod (StopPodSandbox, RemovePodSandbox) and waits for every exec session.
    pub fn clear(&mut self) -> Result<(), RealError> {
        let names: Vec<String> = self.pods.keys().cloned().collect();
        // One pod that will not go does not keep the others: every pod is tried, the first
        // failure is told.
        let mut first_failure = None;
        for name in names {
            if let Err(failure) = self.delete_pod(&name) {
                first_failure.get_or_insert(failure);
            }
        }
        for session in self.sessions.drain(..) {
            // An exec session ends with its container; its answer does not matter here.
            let _ = session.finish(self.cri);
        }
        first_failure.map_or(Ok(()), Err)
    }
}
