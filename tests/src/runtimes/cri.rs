//! A blocking CRI client (`runtime.v1`, what kubelet speaks) over containerd's socket. Every call
//! has [`CALL_LIMIT`]; an error carries the runtime's own message.

use std::fmt;
use std::path::{Path, PathBuf};

use hyper_util::rt::TokioIo;
use k8s_cri::v1::runtime_service_client::RuntimeServiceClient;
use k8s_cri::v1::{
    ContainerConfig, ContainerStatus, ContainerStatusRequest, CreateContainerRequest,
    ExecSyncRequest, ExecSyncResponse, ListPodSandboxRequest, PodSandboxConfig,
    PodSandboxStatusRequest, PodSandboxStatusResponse, RemoveContainerRequest,
    RemovePodSandboxRequest, RunPodSandboxRequest, StartContainerRequest, StatusRequest,
    StopContainerRequest, StopPodSandboxRequest,
};
use tonic::transport::{Channel, Endpoint, Uri};

use super::CALL_LIMIT;

/// A CRI call that failed: which call, and what the runtime said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CriError {
    /// The call, as the CRI names it.
    pub call: &'static str,
    /// The runtime's message (the gRPC status message), or the transport's.
    pub message: String,
}

impl fmt::Display for CriError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.call, self.message)
    }
}

impl std::error::Error for CriError {}

/// A connected CRI client.
#[derive(Debug)]
pub struct Cri {
    runtime: tokio::runtime::Runtime,
    client: RuntimeServiceClient<Channel>,
}

/// An exec still running (a `kubectl exec` session): its answer comes when it ends.
#[derive(Debug)]
pub struct PendingExec {
    handle: tokio::task::JoinHandle<Result<ExecSyncResponse, CriError>>,
}

impl Cri {
    /// Connects to containerd's socket.
    pub fn connect(socket: &Path) -> Result<Cri, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| format!("tokio: {e}"))?;
        let path: PathBuf = socket.to_path_buf();
        let channel = runtime
            .block_on(async {
                tokio::time::timeout(
                    CALL_LIMIT,
                    Endpoint::try_from("http://[::]:50051")
                        .map_err(|e| e.to_string())?
                        .connect_with_connector(tower::service_fn(move |_: Uri| {
                            let path = path.clone();
                            async move {
                                Ok::<_, std::io::Error>(TokioIo::new(
                                    tokio::net::UnixStream::connect(path).await?,
                                ))
                            }
                        })),
                )
                .await
                .map_err(|_| "no connection within the limit".to_owned())?
                .map_err(|e| e.to_string())
            })
            .map_err(|e| format!("connect to {}: {e}", socket.display()))?;
        Ok(Cri {
            runtime,
            client: RuntimeServiceClient::new(channel),
        })
    }

    fn call<T>(
        &self,
        call: &'static str,
        request: impl std::future::Future<Output = Result<tonic::Response<T>, tonic::Status>>,
    ) -> Result<T, CriError> {
        self.runtime.block_on(async {
            match tokio::time::timeout(CALL_LIMIT, request).await {
                Ok(Ok(response)) => Ok(response.into_inner()),
                Ok(Err(status)) => Err(CriError {
                    call,
                    message: status.message().to_owned(),
                }),
                Err(_) => Err(CriError {
                    call,
                    message: format!("no answer within {CALL_LIMIT:?}"),
                }),
            }
        })
    }

    /// Waits until the runtime and its network say they are ready (Status).
    pub fn wait_ready(&self) -> Result<(), String> {
        let ready = crate::pause::wait_for(CALL_LIMIT, || {
            let mut client = self.client.clone();
            let status = self
                .call("Status", client.status(StatusRequest { verbose: false }))
                .ok()?;
            let conditions = status.status?.conditions;
            conditions.iter().all(|c| c.status).then_some(())
        });
        ready.ok_or_else(|| "the CRI plugin did not become ready".to_owned())
    }

    /// RunPodSandbox: the sandbox's id.
    pub fn run_pod_sandbox(&self, config: &PodSandboxConfig) -> Result<String, CriError> {
        let mut client = self.client.clone();
        self.call(
            "RunPodSandbox",
            client.run_pod_sandbox(RunPodSandboxRequest {
                config: Some(config.clone()),
                runtime_handler: String::new(),
            }),
        )
        .map(|r| r.pod_sandbox_id)
    }

    /// PodSandboxStatus, verbose (its `info` holds the OCI spec, with the netns path).
    pub fn pod_sandbox_status(&self, id: &str) -> Result<PodSandboxStatusResponse, CriError> {
        let mut client = self.client.clone();
        self.call(
            "PodSandboxStatus",
            client.pod_sandbox_status(PodSandboxStatusRequest {
                pod_sandbox_id: id.to_owned(),
                verbose: true,
            }),
        )
    }

    /// StopPodSandbox: kills every container of the pod and tears its network down.
    pub fn stop_pod_sandbox(&self, id: &str) -> Result<(), CriError> {
        let mut client = self.client.clone();
        self.call(
            "StopPodSandbox",
            client.stop_pod_sandbox(StopPodSandboxRequest {
                pod_sandbox_id: id.to_owned(),
            }),
        )
        .map(|_| ())
    }

    /// RemovePodSandbox.
    pub fn remove_pod_sandbox(&self, id: &str) -> Result<(), CriError> {
        let mut client = self.client.clone();
        self.call(
            "RemovePodSandbox",
            client.remove_pod_sandbox(RemovePodSandboxRequest {
                pod_sandbox_id: id.to_owned(),
            }),
        )
        .map(|_| ())
    }

    /// The ids of every sandbox the runtime has.
    pub fn list_pod_sandboxes(&self) -> Result<Vec<String>, CriError> {
        let mut client = self.client.clone();
        self.call(
            "ListPodSandbox",
            client.list_pod_sandbox(ListPodSandboxRequest { filter: None }),
        )
        .map(|r| r.items.into_iter().map(|s| s.id).collect())
    }

    /// CreateContainer then StartContainer: the container's id.
    pub fn create_and_start(
        &self,
        sandbox: &str,
        config: ContainerConfig,
        sandbox_config: &PodSandboxConfig,
    ) -> Result<String, CriError> {
        let mut client = self.client.clone();
        let id = self
            .call(
                "CreateContainer",
                client.create_container(CreateContainerRequest {
                    pod_sandbox_id: sandbox.to_owned(),
                    config: Some(config),
                    sandbox_config: Some(sandbox_config.clone()),
                }),
            )?
            .container_id;
        let mut client = self.client.clone();
        self.call(
            "StartContainer",
            client.start_container(StartContainerRequest {
                container_id: id.clone(),
            }),
        )?;
        Ok(id)
    }

    /// StopContainer with a grace period in seconds.
    pub fn stop_container(&self, id: &str, grace: i64) -> Result<(), CriError> {
        let mut client = self.client.clone();
        self.call(
            "StopContainer",
            client.stop_container(StopContainerRequest {
                container_id: id.to_owned(),
                timeout: grace,
            }),
        )
        .map(|_| ())
    }

    /// RemoveContainer.
    pub fn remove_container(&self, id: &str) -> Result<(), CriError> {
        let mut client = self.client.clone();
        self.call(
            "RemoveContainer",
            client.remove_container(RemoveContainerRequest {
                container_id: id.to_owned(),
            }),
        )
        .map(|_| ())
    }

    /// ContainerStatus.
    pub fn container_status(&self, id: &str) -> Result<ContainerStatus, CriError> {
        let mut client = self.client.clone();
        self.call(
            "ContainerStatus",
            client.container_status(ContainerStatusRequest {
                container_id: id.to_owned(),
                verbose: false,
            }),
        )?
        .status
        .ok_or(CriError {
            call: "ContainerStatus",
            message: "no status in the answer".into(),
        })
    }

    /// ExecSync, waited for (an exec probe).
    pub fn exec_sync(
        &self,
        id: &str,
        cmd: &[&str],
        timeout: i64,
    ) -> Result<ExecSyncResponse, CriError> {
        self.exec_start(id, cmd, timeout).finish(self)
    }

    /// ExecSync, not waited for: a `kubectl exec` session that lives until its process ends.
    pub fn exec_start(&self, id: &str, cmd: &[&str], timeout: i64) -> PendingExec {
        let mut client = self.client.clone();
        let request = ExecSyncRequest {
            container_id: id.to_owned(),
            cmd: cmd.iter().map(|s| (*s).to_owned()).collect(),
            timeout,
        };
        let handle = self.runtime.spawn(async move {
            client
                .exec_sync(request)
                .await
                .map(tonic::Response::into_inner)
                .map_err(|status| CriError {
                    call: "ExecSync",
                    message: status.message().to_owned(),
                })
        });
        PendingExec { handle }
    }
}

impl PendingExec {
    /// Whether it has ended.
    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Its answer, waiting at most [`CALL_LIMIT`] for it.
    pub fn finish(self, cri: &Cri) -> Result<ExecSyncResponse, CriError> {
        cri.runtime.block_on(async {
            match tokio::time::timeout(CALL_LIMIT, self.handle).await {
                Ok(Ok(answer)) => answer,
                Ok(Err(join)) => Err(CriError {
                    call: "ExecSync",
                    message: join.to_string(),
                }),
                Err(_) => Err(CriError {
                    call: "ExecSync",
                    message: format!("no answer within {CALL_LIMIT:?}"),
                }),
            }
        })
    }
}
