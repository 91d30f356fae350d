//! Labels: the fixed words of the browser tutorial's page and of the `pauselab` command, each
//! in English and Korean side by side.

use super::Language;

/// Declares a set of labels: one field per label, English then Korean, and the set for a
/// language.
macro_rules! labels {
    ($(#[$meta:meta])* $name:ident { $($field:ident: $en:literal, $ko:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub struct $name {
            $(#[doc = $en] pub $field: &'static str,)*
        }

        impl $name {
            /// Every label of the set, for checks that go through them all.
            pub fn all(&self) -> Vec<&'static str> {
                vec![$(self.$field,)*]
            }

            /// The labels in `language`.
            pub fn of(language: Language) -> &'static $name {
                const ENGLISH: $name = $name { $($field: $en,)* };
                const KOREAN: $name = $name { $($field: $ko,)* };
                match language {
                    Language::English => &ENGLISH,
                    Language::Korean => &KOREAN,
                }
            }
        }
    };
}

labels! {
    /// The browser tutorial's page.
    Page {
        title: "pauselab",
            "pauselab";
        subtitle: "Why every Kubernetes pod has a pause container: namespaces, pid 1 and zombies, step by step.",
            "쿠버네티스 파드마다 pause 컨테이너가 있는 이유: 네임스페이스, pid 1, 좀비를 한 단계씩 살펴봅니다.";
        switch_language: "한국어",
            "English";
        scenarios: "Guided scenarios",
            "따라 해 보는 시나리오";
        playground: "Playground: one pod, your moves",
            "놀이터: 파드 하나, 마음대로";
        playground_question: "A pod with one app container. Fork, exit, signal and wait, and watch the kernel answer.",
            "앱 컨테이너 하나가 있는 파드입니다. fork, exit, 시그널, wait를 해 보고 커널이 어떻게 답하는지 지켜보십시오.";
        playground_say: "The node boots, containerd starts the pod: first the sandbox with pause, then the app.",
            "노드가 부팅되고 containerd가 파드를 시작합니다. 먼저 pause가 든 샌드박스를, 그다음에 앱을 띄웁니다.";
        open_file: "Open a file from pauselab ps --json or pauselab trace",
            "pauselab ps --json 또는 pauselab trace로 만든 파일 열기";
        terminal: "Terminal: type the commands (docker, kubectl, ps, kill…) on this node",
            "터미널: 이 노드에서 명령(docker, kubectl, ps, kill…)을 직접 입력해 보세요";
        drop_hint: "or drop it anywhere on the page",
            "또는 페이지 아무 곳에나 끌어다 놓으십시오";
        loaded_file: "A real machine's state",
            "실제 머신의 상태";
        file_no_pods: "This file was recorded on a real machine: it has processes and namespaces, but no pods.",
            "실제 머신에서 기록한 파일입니다. 프로세스와 네임스페이스는 있지만 파드는 없습니다.";
        question: "Question",
            "질문";
        start_hint: "Press → or “Forward” to play the first step.",
            "→ 키나 “다음”을 눌러 첫 단계를 실행하십시오.";
        checks: "What holds now",
            "지금 성립하는 것";
        challenge: "Your turn",
            "직접 해 보기";
        challenge_done: "Done!",
            "성공!";
        hint: "Hint",
            "힌트";
        your_step: "You",
            "나";
        pod: "Pod",
            "파드";
        pod_toggles: "Change the pod and replay",
            "파드를 바꿔서 다시 실행";
        as_written: "as in the scenario",
            "시나리오 그대로";
        flavor: "Runtime",
            "런타임";
        pause_ipc: "pause's --ipc (dockershim)",
            "pause의 --ipc (dockershim)";
        pause_ipc_containerd: "containerd joins pause's namespaces by path (K24): docker's IPC modes do not apply.",
            "containerd는 경로로 pause의 네임스페이스에 합류합니다(K24). docker의 IPC 모드는 해당되지 않습니다.";
        pod_not_created: "The pod was not created",
            "파드가 만들어지지 않았습니다";
        no_pod_yet: "No pod on the node yet.",
            "아직 노드에 파드가 없습니다.";
        same_color: "Same color, same namespace (K1).",
            "같은 색이면 같은 네임스페이스입니다(K1).";
        node: "node",
            "노드";
        node_shell: "your shell on the node",
            "노드에서 연 내 셸";
        namespace: "namespace",
            "네임스페이스";
        processes: "Processes",
            "프로세스";
        seen_from: "ps as seen from",
            "ps를 실행하는 위치";
        col_pid: "PID",
            "PID";
        col_ppid: "PPID",
            "PPID";
        col_nspid: "NSpid",
            "NSpid";
        col_state: "STAT",
            "STAT";
        col_command: "COMMAND",
            "COMMAND";
        col_container: "container",
            "컨테이너";
        badge_init: "init",
            "init";
        badge_subreaper: "subreaper",
            "subreaper";
        badge_zombie: "zombie",
            "좀비";
        badge_ignores_sigchld: "SIGCHLD ignored",
            "SIGCHLD 무시";
        badge_adopted: "adopted",
            "입양됨";
        badge_waiting: "in wait()",
            "wait() 중";
        zombies_count: "zombies",
            "좀비";
        act_on: "Act on",
            "조작할 프로세스";
        select_process: "Select a process in the table to act on it.",
            "표에서 프로세스를 골라 조작해 보십시오.";
        fork: "fork",
            "fork";
        fork_new_pid_ns: "in a new pid namespace",
            "새 pid 네임스페이스에서";
        exit: "exit",
            "exit";
        exit_code: "code",
            "코드";
        send_signal: "kill",
            "kill";
        from: "from",
            "보내는 쪽";
        wait: "wait",
            "wait";
        wait_nohang: "WNOHANG",
            "WNOHANG";
        ignore_sigchld: "ignore SIGCHLD",
            "SIGCHLD 무시";
        set_subreaper: "become a subreaper",
            "subreaper 되기";
        kubectl_exec: "kubectl exec",
            "kubectl exec";
        stop_container: "stop container",
            "컨테이너 중지";
        restart_container: "restart container",
            "컨테이너 재시작";
        kill_pause: "kill pause",
            "pause 죽이기";
        program: "program",
            "프로그램";
        timeline: "Timeline",
            "타임라인";
        reset: "Reset",
            "처음으로";
        back: "Back",
            "이전";
        forward: "Forward",
            "다음";
        play: "Play",
            "재생";
        pause_playback: "Pause",
            "멈춤";
        to_end: "End",
            "끝으로";
        step: "step",
            "단계";
        of: "of",
            "/";
        event_log: "What happened",
            "일어난 일";
        nothing_yet: "Nothing has happened yet.",
            "아직 아무 일도 없었습니다.";
        refused: "Refused",
            "거부됨";
        dismiss: "Dismiss",
            "닫기";
        keys: "Keys: ← → step, Home/End, Space plays.",
            "키: ← → 한 단계씩, Home/End 처음·끝, 스페이스 재생";
        lsns: "Namespaces",
            "네임스페이스";
        pins: "pinned by",
            "고정한 것";
        inside: "inside",
            "안에서";
        exited: "exited",
            "종료됨";
        restarts: "restarts",
            "재시작";
        no_such_scenario: "No such scenario",
            "그런 시나리오가 없습니다";
        file_too_big: "larger than 64 MB: not a file pauselab wrote",
            "64MB보다 큽니다. pauselab이 쓴 파일이 아닙니다";
        file_not_text: "the browser could not read it as text",
            "브라우저가 이 파일을 글로 읽지 못했습니다";
        file_reader_missing: "the file reader (a part of this page fetched when a file is opened) could not be fetched; check the connection and try again",
            "파일 읽기 모듈(파일을 열 때 받아 오는 이 페이지의 일부)을 받아 오지 못했습니다. 연결을 확인하고 다시 시도하세요";
        file_reader_old: "the file reader belongs to another version of this page; reload the page",
            "파일 읽기 모듈이 이 페이지와 다른 버전입니다. 페이지를 새로 고치세요";
        scenario_missing: "this scenario's steps (a file beside the page, fetched when it is opened) could not be fetched; check the connection and choose it again",
            "이 시나리오의 단계(페이지 옆의 파일로, 열 때 받아 옵니다)를 받아 오지 못했습니다. 연결을 확인하고 다시 고르세요";
        scenario_old: "this scenario's file belongs to another version of this page; reload the page",
            "이 시나리오의 파일이 이 페이지와 다른 버전입니다. 페이지를 새로 고치세요";
        scenario_loading: "Loading the scenario…",
            "시나리오를 불러오는 중…";
        host_pids: "Pids in the log are host pids, as the node sees them.",
            "기록의 pid는 노드에서 본 호스트 pid입니다.";
        docker_inspect: "docker inspect",
            "docker inspect";
        docker_inspect_caption: "Each container's HostConfig as docker inspect prints it: whose namespaces it joined (K21–K23).",
            "docker inspect가 출력하는 컨테이너별 HostConfig입니다. 어느 컨테이너의 네임스페이스에 합류했는지 보여 줍니다(K21–K23).";
        col_name: "name",
            "이름";
        col_docker_state: "state",
            "상태";
        state_created: "created (never started)",
            "생성만 됨(시작 못 함)";
        state_running: "running",
            "실행 중";
        state_exited: "exited",
            "종료됨";
        own_namespace: "its own",
            "자기 것";
        pods_on_node: "Pods found on this machine (labels from pauselab ps --json)",
            "이 머신에서 찾은 파드(pauselab ps --json의 레이블)";
        sandbox: "sandbox",
            "샌드박스";
        recorded: "recorded on a real node",
            "실제 노드에서 기록함";
        pod_picture_label: "The pod's namespaces: one band per namespace, across the processes that share it",
            "파드의 네임스페이스: 네임스페이스마다 띠 하나, 그 네임스페이스를 함께 쓰는 프로세스들에 걸쳐 있습니다";
        pod_picture_caption: "One band, one namespace: what it spans shares it (K1). A band that reaches the node is the host's own.",
            "띠 하나가 네임스페이스 하나입니다. 띠가 걸친 것들이 그 네임스페이스를 함께 씁니다(K1). 노드까지 닿은 띠는 호스트의 네임스페이스입니다.";
        shared: "shared",
            "공유";
        ns_ids: "Namespace ids",
            "네임스페이스 id";
        tree_picture_label: "The process tree: a card per process, a box per nested pid namespace",
            "프로세스 트리: 프로세스마다 카드 하나, 안쪽 pid 네임스페이스마다 상자 하나";
        tree_picture_caption: "Lines go to each process's parent; a box is a pid namespace inside the one ps runs in. A new process grows in, a zombie is dashed, a reaped one fades, and an arrow shows where an orphan went (K12, K13).",
            "선은 각 프로세스의 부모로 이어집니다. 상자는 ps를 실행하는 네임스페이스 안쪽의 pid 네임스페이스입니다. 새 프로세스는 자라나듯 나타나고, 좀비는 점선으로, 회수된 프로세스는 흐려지며, 고아가 어디로 갔는지는 화살표로 보입니다(K12, K13).";
        tree_more: "more",
            "개 더";
        tree_reaped: "reaped",
            "회수됨";
        tree_adopted_init: "The orphan went to its pid namespace's init (K12)",
            "고아는 자기 pid 네임스페이스의 init에게 갔습니다(K12)";
        tree_adopted_subreaper: "The orphan went to the nearest subreaper above it (K13)",
            "고아는 위쪽에서 가장 가까운 subreaper에게 갔습니다(K13)";
        host_pid: "host pid",
            "호스트 pid";
    }
}

labels! {
    /// `pauselab demo` and the terminal.
    Cli {
        step: "step",
            "단계";
        runtime: "runtime",
            "런타임";
        refused: "refused",
            "거부됨";
        hidden: "set-up events not shown",
            "개의 준비 이벤트는 생략했습니다";
        read_more: "Read more",
            "더 읽을거리";
        question: "Question",
            "질문";
        unknown_scenario: "no such scenario",
            "그런 시나리오가 없습니다";
        list_hint: "pauselab demo list lists them",
            "pauselab demo list로 목록을 볼 수 있습니다";
        containers: "containers",
            "컨테이너";
        shell_intro: "A shell of the model: type help for the commands, exit (or Ctrl-D) to leave.",
            "모델 속 셸입니다. 명령 목록은 help, 나가려면 exit(또는 Ctrl-D)를 입력하세요.";
        shell_refused: "not run",
            "실행하지 않음";
    }
}

labels! {
    /// The page's terminal (a module of its own: the page does not carry these).
    Term {
        intro: "A shell on the node on screen. Each line you type is a step: the pictures, the log, undo and the link follow it. help lists the commands; Tab completes, ↑ and ↓ recall lines, Ctrl-C clears the line, Ctrl-L the screen, Esc leaves the terminal.",
            "화면에 보이는 노드의 셸입니다. 입력한 줄 하나하나가 한 단계가 되어 그림, 기록, 되돌리기, 링크에 그대로 반영됩니다. 명령 목록은 help로 볼 수 있습니다. Tab은 자동 완성, ↑와 ↓는 이전 줄 불러오기, Ctrl-C는 줄 지우기, Ctrl-L은 화면 지우기, Esc는 터미널에서 나가기입니다.";
        no_node: "This view is a file recorded on a real machine: it has no node to type on. Open a guided scenario or the playground to type commands.",
            "이 화면은 실제 머신에서 기록한 파일이라 입력할 노드가 없습니다. 명령을 입력하려면 시나리오나 놀이터를 여십시오.";
        input_label: "Command line: type a command and press Enter",
            "명령줄: 명령을 입력하고 Enter를 누르십시오";
        unreadable_steps: "the page's steps could not be read; reload the page",
            "페이지의 단계를 읽을 수 없습니다. 페이지를 새로 고치십시오";
        next_step: "The next step on a real node (click a line to put it on the command line):",
            "실제 노드에서 다음 단계를 하려면 (줄을 누르면 명령줄에 들어갑니다):";
        done_by_itself: "not typed here (a program, kubelet or the scenario does it):",
            "여기서 입력하지 않는 일(프로그램, kubelet 또는 시나리오가 합니다):";
        after_the_above: "This line comes after what is above it has happened: press Forward to play the whole step.",
            "이 줄은 위의 일이 일어난 뒤에 실행합니다. 단계 전체는 \"다음\"을 눌러 실행하십시오.";
        typed_already: "Typed: the step goes on with the line after it.",
            "입력했습니다. 그다음 줄로 이어집니다.";
        your_own_step: "Typed in order, these lines play the step and the scenario goes on. Any other line you run is a step of your own: the scenario's later steps give way to it, as after any of your actions (Back undoes it).",
            "이 줄들을 차례대로 입력하면 이 단계가 실행되고 시나리오가 이어집니다. 그 밖의 줄을 실행하면 여러분의 단계가 되어, 다른 동작을 했을 때처럼 시나리오의 이후 단계 대신 이어집니다(\"이전\"을 누르면 되돌릴 수 있습니다).";
    }
}
