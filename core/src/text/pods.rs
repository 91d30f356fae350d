//! The pod layer's words: refusals (the real components' own messages quoted, in English as
//! they print them, with what they mean), and what the runtime and kubelet report.

use super::josa::Particle::{Subject, Topic};
use super::model::display_in_english;
use super::{ko, Language, Say};
use crate::pod::{
    DockerError, Entry, Internal, Invalid, NotFound, NoteKind, PodError, Refusal, RuntimeNote,
};

display_in_english!(
    PodError,
    Invalid,
    NotFound,
    DockerError,
    Internal,
    RuntimeNote,
    NoteKind,
    Refusal
);

impl Say for Invalid {
    fn say(&self, language: Language) -> String {
        let original = self.original();
        language.either(
            || original.clone(),
            || {
                let meaning = match self {
                    Invalid::SharedAndHostPid => {
                        "shareProcessNamespace와 hostPID는 함께 켤 수 없습니다".to_owned()
                    }
                    Invalid::NoContainers => {
                        "파드에는 컨테이너가 하나 이상 있어야 합니다".to_owned()
                    }
                    Invalid::DuplicateContainer { name, .. } => {
                        format!("컨테이너 이름 {} 두 번 쓰였습니다", ko(name, Subject))
                    }
                    Invalid::PodExists { pod } => {
                        format!("파드 {} 이미 있습니다", ko(pod, Subject))
                    }
                };
                format!("API 서버가 파드를 거부했습니다. {meaning} — “{original}”")
            },
        )
    }
}

impl Say for NotFound {
    fn say(&self, language: Language) -> String {
        let original = self.original();
        language.either(
            || original.clone(),
            || match self {
                NotFound::Pod { pod } => {
                    format!("파드 {} 없습니다 — “{original}”", ko(pod, Subject))
                }
                NotFound::Container(id) => format!(
                    "파드 {}에는 컨테이너 {} 없습니다 — “{original}”",
                    id.pod,
                    ko(&id.container, Subject)
                ),
            },
        )
    }
}

impl Say for DockerError {
    fn say(&self, language: Language) -> String {
        let original = self.original();
        language.either(
            || original.clone(),
            || {
                let meaning = match self {
                    DockerError::NameInUse { name, .. } => {
                        format!("컨테이너 이름 {} 이미 쓰이고 있습니다", ko(name, Subject))
                    }
                    DockerError::JoinOwn { ns } => {
                        format!("컨테이너가 자기 자신의 {} 네임스페이스에 합류할 수는 없습니다", ns.word())
                    }
                    DockerError::RemoveRunning { name, .. } => format!(
                        "컨테이너 {} 실행 중이어서 -f 없이는 지울 수 없습니다",
                        ko(name, Subject)
                    ),
                    DockerError::DonorNotRunning { ns, donor, .. } => format!(
                        "컨테이너 {} 실행 중이 아니어서 그 {} 네임스페이스에 합류할 수 없습니다",
                        ko(donor, Subject),
                        ns.word()
                    ),
                    DockerError::NoSuchContainer { donor, .. } => {
                        format!("컨테이너 {} 없습니다", ko(donor, Subject))
                    }
                    DockerError::HostnameWithNetworkContainer => {
                        "--net=container: 모드에서는 --hostname을 줄 수 없습니다. 호스트 이름은 상대 컨테이너의 것을 씁니다".to_owned()
                    }
                    DockerError::PublishWithNetworkMode => {
                        "이 네트워크 모드에서는 -p로 포트를 열 수 없습니다. 포트는 네트워크 네임스페이스의 주인이 엽니다".to_owned()
                    }
                    DockerError::DnsWithNetworkMode => {
                        "이 네트워크 모드에서는 --dns를 줄 수 없습니다".to_owned()
                    }
                    DockerError::NotRunning { name, .. } => {
                        format!("컨테이너 {} 실행 중이 아닙니다", ko(name, Subject))
                    }
                    DockerError::IpcNotShareable { donor, .. } => format!(
                        "컨테이너 {}의 IPC 네임스페이스는 공유할 수 없습니다. 그 컨테이너를 --ipc=shareable로 실행해야 합니다",
                        donor
                    ),
                };
                format!("docker가 거부했습니다. {meaning} — “{original}”")
            },
        )
    }
}

impl Say for Internal {
    fn say(&self, language: Language) -> String {
        match self {
            Internal::ReactionsNeverEnd => language.either(
                || "pauselab model bug: programs react forever".to_owned(),
                || "pauselab 모델의 오류: 프로그램들의 반응이 끝나지 않습니다".to_owned(),
            ),
            Internal::ForkWithoutChild { parent } => language.either(
                || format!("pauselab model bug: fork by {parent} reported no child"),
                || {
                    format!(
                        "pauselab 모델의 오류: {}의 fork가 자식을 알리지 않았습니다",
                        parent
                    )
                },
            ),
            Internal::ProcessVanished { pid } => language.either(
                || format!("pauselab model bug: process {pid} vanished"),
                || {
                    format!(
                        "pauselab 모델의 오류: 프로세스 {} 사라졌습니다",
                        ko(pid, Subject)
                    )
                },
            ),
        }
    }
}

impl Say for PodError {
    fn say(&self, language: Language) -> String {
        match self {
            PodError::Invalid(error) => error.say(language),
            PodError::NotFound(error) => error.say(language),
            PodError::NotRunning { container, entry } => {
                let original = entry.original(container);
                language.either(
                    || original.clone(),
                    || {
                        let who = match entry {
                            Entry::KubectlExec => "kubelet은 실행 중인 컨테이너 가운데서 찾습니다",
                            Entry::ExecProbe => "containerd는 끝난 컨테이너 안에서 실행하지 않습니다",
                            Entry::DebugTarget => {
                                "containerd는 끝난 컨테이너를 디버그 대상으로 받지 않습니다"
                            }
                        };
                        format!(
                            "컨테이너 {} 실행 중이 아닙니다. {who} — “{original}”",
                            ko(container, Topic)
                        )
                    },
                )
            }
            PodError::ForkFailed { parent, ns } => language.either(
                || format!("fork by {parent} into pid:[{ns}] failed: its init has died (ENOMEM)"),
                || format!("{}의 fork가 pid:[{ns}] 안에서 실패했습니다. 그 init이 이미 죽었습니다(ENOMEM)", parent),
            ),
            PodError::Docker(error) => error.say(language),
            PodError::Kernel(error) => error.say(language),
            PodError::Internal(error) => error.say(language),
        }
    }
}

impl Say for RuntimeNote {
    fn say(&self, language: Language) -> String {
        match self {
            RuntimeNote::GracePeriodOver { cgroup, left } => language.either(
                || format!("{cgroup}: grace period over, sending SIGKILL to {left} process{}", if *left == 1 { "" } else { "es" }),
                || format!("{cgroup}: 유예 기간이 끝나 남은 프로세스 {left}개에 SIGKILL을 보냅니다"),
            ),
            RuntimeNote::KillAll { cgroup, left } => language.either(
                || format!("{cgroup}: its first process exited and it does not own its pid namespace, so the shim kills the {left} process{} left in its cgroup (runc kill --all)", if *left == 1 { "" } else { "es" }),
                || format!("{cgroup}의 첫 프로세스가 끝났는데 pid 네임스페이스가 자기 것이 아니므로, shim이 cgroup에 남은 프로세스 {left}개를 죽입니다(runc kill --all)"),
            ),
            RuntimeNote::SandboxChanged { pod } => language.either(
                || "Pod sandbox changed, it will be killed and re-created.".to_owned(),
                || format!("파드 {}의 샌드박스가 바뀌었습니다. 죽이고 다시 만듭니다 — kubelet: “Pod sandbox changed, it will be killed and re-created.”", pod),
            ),
            RuntimeNote::NewSandbox { pod, ip: Some(ip) } => language.either(
                || format!("pod {pod} has a new sandbox, IP {ip}"),
                || format!("파드 {}에 새 샌드박스가 생겼습니다. IP는 {ip}입니다", pod),
            ),
            RuntimeNote::NewSandbox { pod, ip: None } => language.either(
                || format!("pod {pod} has a new sandbox, on the node's network"),
                || format!("파드 {}에 새 샌드박스가 생겼습니다. 노드의 네트워크를 씁니다", pod),
            ),
        }
    }
}

impl Say for NoteKind {
    fn say(&self, language: Language) -> String {
        let (en, ko) = match self {
            NoteKind::GracePeriodOver => (
                "grace period over, SIGKILL to what is left (K28)",
                "유예 기간이 끝나 남은 프로세스에 SIGKILL(K28)",
            ),
            NoteKind::KillAll => (
                "the shim kills the container's remaining processes (K28)",
                "shim이 컨테이너에 남은 프로세스를 죽입니다(K28)",
            ),
            NoteKind::SandboxChanged => (
                "Pod sandbox changed, it will be killed and re-created (K27)",
                "파드 샌드박스가 바뀌어 죽이고 다시 만듭니다(K27)",
            ),
            NoteKind::NewSandbox => (
                "the pod has a new sandbox (K27)",
                "파드에 새 샌드박스가 생겼습니다(K27)",
            ),
        };
        language.either(|| en.to_owned(), || ko.to_owned())
    }
}

impl Say for Refusal {
    fn say(&self, language: Language) -> String {
        let (en, ko) = match self {
            Refusal::SharedAndHostPid => (
                "shareProcessNamespace and hostPID together (K25)",
                "shareProcessNamespace와 hostPID를 함께 켬(K25)",
            ),
            Refusal::NoContainers => ("a pod without containers", "컨테이너가 없는 파드"),
            Refusal::DuplicateContainer => {
                ("two containers of one name", "이름이 같은 컨테이너 둘")
            }
            Refusal::PodExists => ("the pod exists already", "이미 있는 파드"),
            Refusal::PodNotFound => ("no such pod", "없는 파드"),
            Refusal::ContainerNotFound => ("no such container", "없는 컨테이너"),
            Refusal::NotRunning => ("the container is not running", "실행 중이 아닌 컨테이너"),
            Refusal::ForkFailed => (
                "fork into a dying pid namespace: ENOMEM (K19)",
                "죽어 가는 pid 네임스페이스로 fork: ENOMEM(K19)",
            ),
            Refusal::NameInUse => ("the container name is in use", "이미 쓰이는 컨테이너 이름"),
            Refusal::RemoveRunning => (
                "removing a running container without -f",
                "-f 없이 실행 중인 컨테이너를 지움",
            ),
            Refusal::JoinOwn => (
                "a container joining its own namespace",
                "자기 자신의 네임스페이스에 합류",
            ),
            Refusal::DonorNotRunning => (
                "joining a container that is not running",
                "실행 중이 아닌 컨테이너에 합류",
            ),
            Refusal::NoSuchContainer => (
                "joining a container that does not exist",
                "없는 컨테이너에 합류",
            ),
            Refusal::HostnameWithNetworkContainer => (
                "--hostname with --net=container: (K21)",
                "--net=container:와 함께 준 --hostname(K21)",
            ),
            Refusal::PublishWithNetworkMode => (
                "-p with the network mode (K21)",
                "이 네트워크 모드와 함께 준 -p(K21)",
            ),
            Refusal::DnsWithNetworkMode => (
                "--dns with the network mode (K21)",
                "이 네트워크 모드와 함께 준 --dns(K21)",
            ),
            Refusal::IpcNotShareable => (
                "non-shareable IPC (K22)",
                "공유할 수 없는 IPC(non-shareable IPC, K22)",
            ),
            Refusal::Kernel => ("the kernel refused a syscall", "커널이 시스템 콜을 거부함"),
            Refusal::Internal => ("a fault of the model", "모델의 오류"),
        };
        language.either(|| en.to_owned(), || ko.to_owned())
    }
}
