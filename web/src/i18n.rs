//! The tutorial's two languages: every fixed string of the interface, and the wording of checks
//! and of the reader's own actions. Scenario text and rule summaries come from the core.

use pauselab_core::pod::{NoteKind, Refusal};
use pauselab_core::scenario::{Expect, Found, Text};
use pauselab_core::{ExitStatus, ProcState, Rule};

/// The tutorial's languages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Language {
    /// English.
    #[default]
    English,
    /// Korean.
    Korean,
}

impl Language {
    /// The BCP 47 tag, for `<html lang>` and the URL.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Korean => "ko",
        }
    }

    /// The language of a tag such as `ko-KR`; English for anything but Korean.
    pub fn from_tag(tag: &str) -> Language {
        if tag.to_ascii_lowercase().starts_with("ko") {
            Language::Korean
        } else {
            Language::English
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Language {
        match self {
            Language::English => Language::Korean,
            Language::Korean => Language::English,
        }
    }

    /// Picks this language's side of a text.
    pub fn pick(self, text: &Text) -> &str {
        match self {
            Language::English => &text.en,
            Language::Korean => &text.ko,
        }
    }

    /// The rule's one-line summary in this language.
    pub fn rule_summary(self, rule: Rule) -> &'static str {
        match self {
            Language::English => rule.summary(),
            Language::Korean => rule.summary_ko(),
        }
    }

    /// The interface's strings.
    pub fn strings(self) -> &'static Strings {
        match self {
            Language::English => &EN,
            Language::Korean => &KO,
        }
    }
}

/// Every fixed string of the interface.
#[allow(missing_docs)]
#[derive(Debug)]
pub struct Strings {
    pub title: &'static str,
    pub subtitle: &'static str,
    pub switch_language: &'static str,
    pub scenarios: &'static str,
    pub playground: &'static str,
    pub playground_question: &'static str,
    pub playground_say: &'static str,
    pub open_file: &'static str,
    pub drop_hint: &'static str,
    pub loaded_file: &'static str,
    pub file_no_pods: &'static str,
    pub question: &'static str,
    pub start_hint: &'static str,
    pub checks: &'static str,
    pub challenge: &'static str,
    pub challenge_done: &'static str,
    pub hint: &'static str,
    pub your_step: &'static str,
    pub pod: &'static str,
    pub pod_toggles: &'static str,
    pub as_written: &'static str,
    pub flavor: &'static str,
    pub pause_ipc: &'static str,
    pub pause_ipc_containerd: &'static str,
    pub pod_not_created: &'static str,
    pub no_pod_yet: &'static str,
    pub same_color: &'static str,
    pub node: &'static str,
    pub namespace: &'static str,
    pub processes: &'static str,
    pub seen_from: &'static str,
    pub col_pid: &'static str,
    pub col_ppid: &'static str,
    pub col_nspid: &'static str,
    pub col_state: &'static str,
    pub col_command: &'static str,
    pub col_container: &'static str,
    pub badge_init: &'static str,
    pub badge_subreaper: &'static str,
    pub badge_zombie: &'static str,
    pub badge_ignores_sigchld: &'static str,
    pub badge_adopted: &'static str,
    pub badge_waiting: &'static str,
    pub zombies_count: &'static str,
    pub act_on: &'static str,
    pub select_process: &'static str,
    pub fork: &'static str,
    pub fork_new_pid_ns: &'static str,
    pub exit: &'static str,
    pub exit_code: &'static str,
    pub send_signal: &'static str,
    pub from: &'static str,
    pub wait: &'static str,
    pub wait_nohang: &'static str,
    pub ignore_sigchld: &'static str,
    pub set_subreaper: &'static str,
    pub kubectl_exec: &'static str,
    pub stop_container: &'static str,
    pub restart_container: &'static str,
    pub kill_pause: &'static str,
    pub program: &'static str,
    pub timeline: &'static str,
    pub reset: &'static str,
    pub back: &'static str,
    pub forward: &'static str,
    pub play: &'static str,
    pub pause_playback: &'static str,
    pub to_end: &'static str,
    pub step: &'static str,
    pub of: &'static str,
    pub event_log: &'static str,
    pub nothing_yet: &'static str,
    pub refused: &'static str,
    pub dismiss: &'static str,
    pub keys: &'static str,
    pub lsns: &'static str,
    pub pins: &'static str,
    pub inside: &'static str,
    pub exited: &'static str,
    pub restarts: &'static str,
    pub host_pids: &'static str,
}

const EN: Strings = Strings {
    title: "pauselab",
    subtitle: "Why every Kubernetes pod has a pause container: namespaces, pid 1 and zombies, step by step.",
    switch_language: "한국어",
    scenarios: "Guided scenarios",
    playground: "Playground: one pod, your moves",
    playground_question: "A pod with one app container. Fork, exit, signal and wait, and watch the kernel answer.",
    playground_say: "The node boots, containerd starts the pod: first the sandbox with pause, then the app.",
    open_file: "Open a file from pauselab ps --json or pauselab trace",
    drop_hint: "or drop it anywhere on the page",
    loaded_file: "A real machine's state",
    file_no_pods: "This file was recorded on a real machine: it has processes and namespaces, but no pods.",
    question: "Question",
    start_hint: "Press → or “Forward” to play the first step.",
    checks: "What holds now",
    challenge: "Your turn",
    challenge_done: "Done!",
    hint: "Hint",
    your_step: "You",
    pod: "Pod",
    pod_toggles: "Change the pod and replay",
    as_written: "as in the scenario",
    flavor: "Runtime",
    pause_ipc: "pause's --ipc (dockershim)",
    pause_ipc_containerd: "containerd joins pause's namespaces by path (K24): docker's IPC modes do not apply.",
    pod_not_created: "The pod was not created",
    no_pod_yet: "No pod on the node yet.",
    same_color: "Same color, same namespace (K1).",
    node: "node",
    namespace: "namespace",
    processes: "Processes",
    seen_from: "ps as seen from",
    col_pid: "PID",
    col_ppid: "PPID",
    col_nspid: "NSpid",
    col_state: "STAT",
    col_command: "COMMAND",
    col_container: "container",
    badge_init: "init",
    badge_subreaper: "subreaper",
    badge_zombie: "zombie",
    badge_ignores_sigchld: "SIGCHLD ignored",
    badge_adopted: "adopted",
    badge_waiting: "in wait()",
    zombies_count: "zombies",
    act_on: "Act on",
    select_process: "Select a process in the table to act on it.",
    fork: "fork",
    fork_new_pid_ns: "in a new pid namespace",
    exit: "exit",
    exit_code: "code",
    send_signal: "kill",
    from: "from",
    wait: "wait",
    wait_nohang: "WNOHANG",
    ignore_sigchld: "ignore SIGCHLD",
    set_subreaper: "become a subreaper",
    kubectl_exec: "kubectl exec",
    stop_container: "stop container",
    restart_container: "restart container",
    kill_pause: "kill pause",
    program: "program",
    timeline: "Timeline",
    reset: "Reset",
    back: "Back",
    forward: "Forward",
    play: "Play",
    pause_playback: "Pause",
    to_end: "End",
    step: "step",
    of: "of",
    event_log: "What happened",
    nothing_yet: "Nothing has happened yet.",
    refused: "Refused",
    dismiss: "Dismiss",
    keys: "Keys: ← → step, Home/End, Space plays.",
    lsns: "Namespaces",
    pins: "pinned by",
    inside: "inside",
    exited: "exited",
    restarts: "restarts",
    host_pids: "Pids in the log are host pids, as the node sees them.",
};

const KO: Strings = Strings {
    title: "pauselab",
    subtitle: "쿠버네티스 파드마다 pause 컨테이너가 있는 이유: 네임스페이스, pid 1, 좀비를 한 단계씩 살펴봅니다.",
    switch_language: "English",
    scenarios: "따라 해 보는 시나리오",
    playground: "놀이터: 파드 하나, 마음대로",
    playground_question: "앱 컨테이너 하나가 있는 파드입니다. fork, exit, 시그널, wait를 해 보고 커널의 대답을 지켜보세요.",
    playground_say: "노드가 부팅되고 containerd가 파드를 시작합니다. 먼저 pause가 든 샌드박스를, 그다음에 앱을 띄웁니다.",
    open_file: "pauselab ps --json 또는 pauselab trace로 만든 파일 열기",
    drop_hint: "또는 페이지 아무 곳에나 끌어다 놓으세요",
    loaded_file: "실제 머신의 상태",
    file_no_pods: "실제 머신에서 기록한 파일입니다. 프로세스와 네임스페이스는 있지만 파드는 없습니다.",
    question: "질문",
    start_hint: "→ 키나 “다음”을 눌러 첫 단계를 실행하세요.",
    checks: "지금 성립하는 것",
    challenge: "직접 해 보기",
    challenge_done: "성공!",
    hint: "힌트",
    your_step: "나",
    pod: "파드",
    pod_toggles: "파드를 바꿔서 다시 실행",
    as_written: "시나리오 그대로",
    flavor: "런타임",
    pause_ipc: "pause의 --ipc (dockershim)",
    pause_ipc_containerd: "containerd는 경로로 pause의 네임스페이스에 합류합니다(K24). docker의 IPC 모드는 해당되지 않습니다.",
    pod_not_created: "파드가 만들어지지 않았습니다",
    no_pod_yet: "아직 노드에 파드가 없습니다.",
    same_color: "같은 색이면 같은 네임스페이스입니다(K1).",
    node: "노드",
    namespace: "네임스페이스",
    processes: "프로세스",
    seen_from: "ps를 실행하는 위치",
    col_pid: "PID",
    col_ppid: "PPID",
    col_nspid: "NSpid",
    col_state: "STAT",
    col_command: "COMMAND",
    col_container: "컨테이너",
    badge_init: "init",
    badge_subreaper: "subreaper",
    badge_zombie: "좀비",
    badge_ignores_sigchld: "SIGCHLD 무시",
    badge_adopted: "입양됨",
    badge_waiting: "wait() 중",
    zombies_count: "좀비",
    act_on: "조작할 프로세스",
    select_process: "표에서 프로세스를 골라 조작해 보세요.",
    fork: "fork",
    fork_new_pid_ns: "새 pid 네임스페이스에서",
    exit: "exit",
    exit_code: "코드",
    send_signal: "kill",
    from: "보내는 쪽",
    wait: "wait",
    wait_nohang: "WNOHANG",
    ignore_sigchld: "SIGCHLD 무시",
    set_subreaper: "subreaper 되기",
    kubectl_exec: "kubectl exec",
    stop_container: "컨테이너 중지",
    restart_container: "컨테이너 재시작",
    kill_pause: "pause 죽이기",
    program: "프로그램",
    timeline: "타임라인",
    reset: "처음으로",
    back: "이전",
    forward: "다음",
    play: "재생",
    pause_playback: "멈춤",
    to_end: "끝으로",
    step: "단계",
    of: "/",
    event_log: "일어난 일",
    nothing_yet: "아직 아무 일도 없었습니다.",
    refused: "거부됨",
    dismiss: "닫기",
    keys: "키: ← → 한 단계씩, Home/End, 스페이스로 재생.",
    lsns: "네임스페이스",
    pins: "고정한 것",
    inside: "안에서",
    exited: "종료됨",
    restarts: "재시작",
    host_pids: "기록의 pid는 노드에서 본 호스트 pid입니다.",
};

/// A check of a scenario step, in words (English is core's own wording).
pub fn describe_expect(language: Language, expect: &Expect) -> String {
    if language == Language::English {
        return expect.to_string();
    }
    match expect {
        Expect::Pid1 { container, comm } => format!("{container} 안에서 pid 1은 {comm}입니다"),
        Expect::Zombie {
            container,
            pid,
            ppid,
        } => format!("{container} 안에서 pid {pid}는 부모가 {ppid}인 좀비입니다"),
        Expect::NoZombies { pod: Some(pod) } => format!("파드 {pod}에 좀비가 없습니다"),
        Expect::NoZombies { pod: None } => "노드에 좀비가 없습니다".into(),
        Expect::Ppid {
            container,
            comm,
            ppid,
        } => format!("{container} 안에서 {comm}의 부모 pid는 {ppid}입니다"),
        Expect::Visible { container, count } => {
            format!("{container} 안의 ps에는 프로세스가 {count}개 보입니다")
        }
        Expect::Shares { a, b, kind, same } => {
            if *same {
                format!("{a}와 {b}는 {kind} 네임스페이스를 공유합니다")
            } else {
                format!("{a}와 {b}는 {kind} 네임스페이스를 공유하지 않습니다")
            }
        }
        Expect::Hostname { process, value } => format!("{process}의 호스트 이름은 {value}입니다"),
        Expect::Dropped => "시그널이 버려졌습니다(K17)".into(),
        Expect::Refused(refusal) => format!("거부됨: {}", refusal_ko(*refusal)),
        Expect::Alive { process } => format!("{process}는 살아 있습니다"),
        Expect::Dead { process } => format!("{process}는 종료했습니다"),
        Expect::Reaped { process } => format!("{process}는 종료했고 거둬졌습니다"),
        Expect::ExitStatus { process, code } => format!("{process}의 종료 상태는 {code}입니다"),
        Expect::Nspid { process, nspid } => {
            let pids: Vec<String> = nspid.iter().map(u32::to_string).collect();
            format!("{process}의 NSpid는 {}입니다", pids.join(" "))
        }
        Expect::PodIp { pod, ip } => format!("파드 {pod}의 IP는 {ip}입니다"),
        Expect::Restarts { container, count } => {
            format!("{container}는 {count}번 재시작했습니다")
        }
        Expect::RuntimeSays(note) => format!("런타임이 알립니다: {}", note_ko(*note)),
    }
}

/// A kind of refusal, in Korean.
fn refusal_ko(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::SharedAndHostPid => "shareProcessNamespace와 hostPID를 함께 켤 수 없습니다(K25)",
        Refusal::NoContainers => "컨테이너가 없는 파드",
        Refusal::DuplicateContainer => "이름이 같은 컨테이너 둘",
        Refusal::PodExists => "이미 있는 파드",
        Refusal::PodNotFound => "없는 파드",
        Refusal::ContainerNotFound => "없는 컨테이너",
        Refusal::NotRunning => "실행 중이 아닌 컨테이너",
        Refusal::ForkFailed => "죽어 가는 pid 네임스페이스로 fork: ENOMEM(K19)",
        Refusal::NameInUse => "이미 쓰이는 컨테이너 이름",
        Refusal::JoinOwn => "자기 자신의 네임스페이스에 합류",
        Refusal::DonorNotRunning => "실행 중이 아닌 컨테이너에 합류",
        Refusal::NoSuchContainer => "없는 컨테이너에 합류",
        Refusal::HostnameWithNetworkContainer => "--net=container:와 함께 쓴 --hostname(K21)",
        Refusal::PublishWithNetworkMode => "이 네트워크 모드와 함께 쓴 -p(K21)",
        Refusal::DnsWithNetworkMode => "이 네트워크 모드와 함께 쓴 --dns(K21)",
        Refusal::IpcNotShareable => "공유할 수 없는 IPC(non-shareable IPC, K22)",
        Refusal::Kernel => "커널이 시스템 콜을 거부했습니다",
        Refusal::Internal => "모델의 오류",
    }
}

/// A kind of runtime note, in Korean.
fn note_ko(note: NoteKind) -> &'static str {
    match note {
        NoteKind::GracePeriodOver => "유예 시간이 끝나 남은 프로세스에 SIGKILL(K28)",
        NoteKind::SandboxChanged => "파드 샌드박스가 바뀌어 죽이고 다시 만듭니다(K27)",
        NoteKind::NewSandbox => "파드에 새 샌드박스가 생겼습니다(K27)",
    }
}

/// What a failed check found, in words (English is core's own wording).
pub fn describe_found(language: Language, found: &Found) -> String {
    if language == Language::English {
        return found.to_string();
    }
    let state = |state: ProcState| match state {
        ProcState::Running => "실행 중".to_owned(),
        ProcState::Stopped => "멈춤".to_owned(),
        ProcState::Exiting(status) => format!("종료 중({})", status_ko(status)),
        ProcState::Zombie(status) => format!("좀비({})", status_ko(status)),
    };
    match found {
        Found::UnknownLabel(label) => format!("{label}라는 프로세스가 없습니다"),
        Found::Gone(label) => format!("{label}는 이미 거둬졌습니다"),
        Found::NoContainer(container) => format!("컨테이너 {container}가 없습니다"),
        Found::NoPidNamespace(container) => {
            format!("{container}의 pid 네임스페이스가 사라졌습니다")
        }
        Found::Pid1(Some(comm)) => format!("pid 1은 {comm}입니다"),
        Found::Pid1(None) => "그곳에는 pid 1이 없습니다".into(),
        Found::Row(Some(row)) => format!(
            "pid {} ({}), 부모 {}, {}",
            row.pid,
            row.comm,
            row.ppid,
            state(row.state)
        ),
        Found::Row(None) => "그런 프로세스가 없습니다".into(),
        Found::Zombies(zombies) => {
            let pids: Vec<String> = zombies.iter().map(ToString::to_string).collect();
            format!("좀비(호스트 pid): {}", pids.join(", "))
        }
        Found::Visible(count) => format!("프로세스 {count}개"),
        Found::Namespaces { kind, a, b } => format!("{kind}:[{a}]와 {kind}:[{b}]"),
        Found::Hostname(Some(name)) => format!("호스트 이름 {name}"),
        Found::Hostname(None) => "호스트 이름 없음".into(),
        Found::NoDroppedSignal => "버려진 시그널이 없습니다".into(),
        Found::Refusal(Some(error)) => format!("거부됨: {error}"),
        Found::Refusal(None) => "거부된 것이 없습니다".into(),
        Found::State(found) => format!("상태: {}", state(*found)),
        Found::Status(Some(code)) => format!("종료 상태 {code}"),
        Found::Status(None) => "아직 끝나지 않았습니다".into(),
        Found::Nspid(nspid) => {
            let pids: Vec<String> = nspid.iter().map(u32::to_string).collect();
            format!("NSpid {}", pids.join(" "))
        }
        Found::Ip(Some(ip)) => format!("IP {ip}"),
        Found::Ip(None) => "자기 IP가 없습니다".into(),
        Found::Restarts(Some(count)) => format!("재시작 {count}번"),
        Found::Restarts(None) => "그런 컨테이너가 없습니다".into(),
        Found::NotSaid => "런타임은 그렇게 알리지 않았습니다".into(),
    }
}

fn status_ko(status: ExitStatus) -> String {
    match status {
        ExitStatus::Exited(code) => format!("종료 코드 {code}"),
        ExitStatus::Signaled(signal) => format!("{signal}로 죽음"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_language_picks_korean_only_for_korean_tags() {
        assert_eq!(Language::from_tag("ko-KR"), Language::Korean);
        assert_eq!(Language::from_tag("KO"), Language::Korean);
        assert_eq!(Language::from_tag("en-US"), Language::English);
        assert_eq!(Language::from_tag(""), Language::English);
    }

    #[test]
    fn every_rule_has_a_korean_summary() {
        for rule in Rule::ALL {
            let ko = Language::Korean.rule_summary(*rule);
            assert!(
                ko.chars().any(|c| ('가'..='힣').contains(&c)),
                "{rule}: {ko}"
            );
        }
    }
}
