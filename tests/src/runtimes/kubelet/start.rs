//! Starting a pod's sandbox and containers through CRI, and a debug container beside them.

use super::*;

impl RealNode<'_> {
    pub(super) fn create_pod(&mut self, spec: &PodSpec) -> Result<(), RealError> {
        if spec.flavor != pauselab_core::pod::Flavor::Containerd {
            return Err(RealError::Unsupported(format!(
                "a {} pod runs on dockerd",
                spec.flavor.as_str()
            )));
        }
        if self.pods.contains_key(&spec.name) {
            return Err(RealError::Unsupported(format!("pod {} exists", spec.name)));
        }
        let fifos = self
            .containerd
            .dir()
            .join("puppets")
            .join(format!("{}-{}", self.tag, spec.name));
        fs::create_dir_all(&fifos).map_err(|e| RealError::Failed(e.to_string()))?;
        let mut pod = RealPod {
            spec: spec.clone(),
            sandbox: String::new(),
            config: PodSandboxConfig::default(),
            containers: Vec::new(),
            ip: None,
            pause: 0,
            attempt: 0,
            fifos,
        };
        self.start_sandbox(&mut pod)?;
        // Known before the containers start, so a failure half-way still cleans it up.
        self.pods.insert(spec.name.clone(), pod.clone());
        for index in 0..spec.containers.len() {
            let started = self.start_container(&pod, index, 0)?;
            pod.containers.push(started);
            self.pods.insert(spec.name.clone(), pod.clone());
        }
        Ok(())
    }

    pub(super) fn start_sandbox(&self, pod: &mut RealPod) -> Result<(), RealError> {
        let spec = &pod.spec;
        let uid = format!("{}-{}-{}", self.tag, spec.name, pod.attempt);
        pod.config = PodSandboxConfig {
            metadata: Some(PodSandboxMetadata {
                name: spec.name.clone(),
                uid: uid.clone(),
                namespace: self.tag.clone(),
                attempt: pod.attempt,
            }),
            hostname: if spec.host_network {
                String::new()
            } else {
                spec.name.clone()
            },
            linux: Some(LinuxPodSandboxConfig {
                cgroup_parent: format!("/{}/pod{uid}", self.containerd.cgroup_parent),
                security_context: Some(LinuxSandboxSecurityContext {
                    namespace_options: Some(namespace_options(spec)?),
                    ..LinuxSandboxSecurityContext::default()
                }),
                ..LinuxPodSandboxConfig::default()
            }),
            ..PodSandboxConfig::default()
        };
        pod.sandbox = self.cri.run_pod_sandbox(&pod.config)?;
        let status = self.cri.pod_sandbox_status(&pod.sandbox)?;
        let (pid, netns) = verbose_info(&status.info);
        if let Some(path) = netns {
            self.containerd.remember_netns(path);
        }
        pod.pause = pid
            .ok_or_else(|| RealError::Failed("no pid for pause in the sandbox's status".into()))?;
        pod.ip = status
            .status
            .and_then(|s| s.network)
            .map(|n| n.ip)
            .filter(|ip| !ip.is_empty());
        Ok(())
    }

    pub(super) fn start_container(
        &self,
        pod: &RealPod,
        index: usize,
        attempt: u32,
    ) -> Result<RealContainer, RealError> {
        let spec = &pod.spec.containers[index];
        let label = Label::Container(ContainerRef::new(&pod.spec.name, &spec.name));
        let fifo = fifo_name(&label);
        let config = ContainerConfig {
            metadata: Some(ContainerMetadata {
                name: spec.name.clone(),
                attempt,
            }),
            image: Some(ImageSpec {
                image: self.containerd.app_image.clone(),
                ..ImageSpec::default()
            }),
            command: puppet_command(&fifo, &spec.program)?,
            mounts: vec![Mount {
                container_path: format!("/{PUPPET_DIR}"),
                host_path: pod.fifos.display().to_string(),
                ..Mount::default()
            }],
            linux: Some(LinuxContainerConfig {
                security_context: Some(LinuxContainerSecurityContext {
                    // The model has no capabilities; `unshare -p -f` in a container (scenario
                    // 12) needs this one, which a pod asks for in its securityContext.
                    capabilities: Some(Capability {
                        add_capabilities: vec!["SYS_ADMIN".into()],
                        ..Capability::default()
                    }),
                    namespace_options: Some(namespace_options(&pod.spec)?),
                    ..LinuxContainerSecurityContext::default()
                }),
                ..LinuxContainerConfig::default()
            }),
            ..ContainerConfig::default()
        };
        let id = self
            .cri
            .create_and_start(&pod.sandbox, config, &pod.config)?;
        let path = pod.fifos.join(&fifo);
        let init = wait_for(SETTLE, || observe::fifo_holder(&path)).ok_or_else(|| {
            RealError::Failed(format!(
                "{label} never came up:\n{}",
                self.containerd.log_tail()
            ))
        })?;
        let pid_ns = observe::ns_inode(init, "pid")
            .ok_or_else(|| RealError::Failed(format!("{label} has no pid namespace")))?;
        Ok(RealContainer {
            name: spec.name.clone(),
            id,
            attempt,
            init,
            pid_ns,
        })
    }

    /// `kubectl debug --target`: an ephemeral container in the target's pid namespace (CRI's
    /// NamespaceMode TARGET) running the puppet as the named process.
    pub(super) fn debug(
        &mut self,
        target: &ContainerRef,
        name: &str,
        comm: &str,
    ) -> Result<(), RealError> {
        let target_id = self.container(target)?.id;
        let pod = self.pod(&target.pod)?;
        let mut options = namespace_options(&pod.spec)?;
        options.pid = mode(NamespaceMode::Target);
        options.target_id = target_id;
        let config = ContainerConfig {
            metadata: Some(ContainerMetadata {
                name: format!("debugger-{}", target.container),
                attempt: 0,
            }),
            image: Some(ImageSpec {
                image: self.containerd.app_image.clone(),
                ..ImageSpec::default()
            }),
            command: puppet_command(name, &Program::named(comm))?,
            mounts: vec![Mount {
                container_path: format!("/{PUPPET_DIR}"),
                host_path: pod.fifos.display().to_string(),
                ..Mount::default()
            }],
            linux: Some(LinuxContainerConfig {
                security_context: Some(LinuxContainerSecurityContext {
                    namespace_options: Some(options),
                    ..LinuxContainerSecurityContext::default()
                }),
                ..LinuxContainerConfig::default()
            }),
            ..ContainerConfig::default()
        };
        let (sandbox, sandbox_config) = (pod.sandbox.clone(), pod.config.clone());
        self.cri
            .create_and_start(&sandbox, config, &sandbox_config)?;
        self.named.insert(name.to_owned(), target.pod.clone());
        let path = self.fifo_path(&Label::Named(name.to_owned()))?;
        wait_for(SETTLE, || observe::fifo_holder(&path)).ok_or_else(|| {
            RealError::Failed(format!(
                "the debug container {name} never came up:\n{}",
                self.containerd.log_tail()
            ))
        })?;
        Ok(())
    }
}
