//! The rules' one-line summaries, in both languages.

use super::{Language, Say};
use crate::rule::Rule;

impl Say for Rule {
    /// One line saying what the rule is.
    fn say(&self, language: Language) -> String {
        let (en, ko) = match self {
            Rule::K1 => (
                "Two processes share a namespace exactly when their namespace identities are equal.",
                "두 프로세스는 네임스페이스 식별자가 같으면 그 네임스페이스를 공유하고, 다르면 공유하지 않습니다.",
            ),
            Rule::K2 => (
                "net, ipc and uts namespaces isolate devices and ports, IPC objects, and the hostname.",
                "net, ipc, uts 네임스페이스는 각각 네트워크 장치와 포트, IPC 객체, 호스트 이름을 격리합니다.",
            ),
            Rule::K3 => (
                "clone and unshare create namespaces; setns joins one and, for net, ipc and uts, moves the caller.",
                "clone과 unshare는 네임스페이스를 만들고, setns는 합류합니다. net, ipc, uts는 호출한 프로세스가 바로 옮겨 갑니다.",
            ),
            Rule::K4 => (
                "Entering a pid namespace never moves the caller: only its future children go there.",
                "pid 네임스페이스에 들어가도 호출한 프로세스는 옮겨 가지 않습니다. 이후에 만드는 자식만 그곳에 태어납니다.",
            ),
            Rule::K5 => (
                "A namespace lives while it has a member or a pin (bind mount, open fd, child namespace).",
                "네임스페이스는 구성원이나 고정(바인드 마운트, 열린 fd, 자식 네임스페이스)이 있는 동안 살아 있습니다.",
            ),
            Rule::K6 => (
                "The first process of a new pid namespace is its pid 1, its init.",
                "새 pid 네임스페이스의 첫 프로세스가 그 안의 pid 1, 곧 init이 됩니다.",
            ),
            Rule::K7 => (
                "A process has one pid in its own pid namespace and one in each ancestor (NSpid).",
                "프로세스는 자기 pid 네임스페이스와 모든 조상 네임스페이스에서 각각 pid를 하나씩 가집니다(NSpid).",
            ),
            Rule::K8 => (
                "Pids are handed out in increasing order per namespace, skipping pids still in use.",
                "pid는 네임스페이스마다 증가하는 순서로 주어지며, 아직 쓰이는 pid는 건너뜁니다.",
            ),
            Rule::K9 => (
                "A process sees only the processes of its own pid namespace and those below it.",
                "프로세스는 자기 pid 네임스페이스와 그 아래의 프로세스만 볼 수 있습니다.",
            ),
            Rule::K10 => (
                "getppid() is 0 when the parent is outside the caller's pid namespace.",
                "부모가 호출자의 pid 네임스페이스 밖에 있으면 getppid()는 0을 돌려줍니다.",
            ),
            Rule::K11 => (
                "An exited process stays a zombie, holding its pid and status, until its parent waits.",
                "종료한 프로세스는 부모가 wait로 회수할 때까지 pid와 종료 상태를 쥔 채 좀비 프로세스로 남습니다.",
            ),
            Rule::K12 => (
                "On exit, children are reparented at once and the parent receives SIGCHLD.",
                "프로세스가 종료하면 자식들은 즉시 새 부모에게 넘어가고, 부모는 SIGCHLD를 받습니다.",
            ),
            Rule::K13 => (
                "Orphans go to the nearest living subreaper ancestor in the namespace, else to its init.",
                "고아 프로세스는 네임스페이스 안에서 가장 가까운 살아 있는 subreaper 조상에게, 없으면 init에게 넘어갑니다.",
            ),
            Rule::K14 => (
                "An adopted zombie notifies its new parent at once; it is released if that parent ignores SIGCHLD.",
                "입양된 좀비 프로세스는 새 부모에게 바로 알려지고, 새 부모가 SIGCHLD를 무시하면 즉시 해제됩니다.",
            ),
            Rule::K15 => (
                "A parent that ignores SIGCHLD (or sets SA_NOCLDWAIT) gets no zombies; SIG_DFL is not that.",
                "SIGCHLD를 무시(SIG_IGN)하거나 SA_NOCLDWAIT를 설정한 부모에게는 좀비 프로세스가 생기지 않습니다. 기본값인 SIG_DFL은 그렇지 않습니다.",
            ),
            Rule::K16 => (
                "wait collects a zombie child; WNOHANG returns 0 if none; ECHILD with no children.",
                "wait는 좀비 자식을 회수합니다. WNOHANG이면 좀비가 없을 때 0을, 자식이 아예 없으면 ECHILD를 돌려줍니다.",
            ),
            Rule::K17 => (
                "A signal to an init with no handler is dropped, except SIGKILL/SIGSTOP from an ancestor namespace.",
                "핸들러가 없는 시그널은 init에게 전달되지 않고 버려집니다. 조상 네임스페이스에서 보낸 SIGKILL/SIGSTOP만 예외입니다.",
            ),
            Rule::K18 => (
                "A synchronous fault with the default action kills even an init.",
                "SIGSEGV 같은 동기적 폴트는 기본 동작대로라면 init이라도 죽입니다.",
            ),
            Rule::K19 => (
                "When an init exits, every other process of its namespace is killed and no process can enter it.",
                "init이 종료하면 그 네임스페이스의 다른 모든 프로세스가 죽고, 더는 어떤 프로세스도 들어갈 수 없습니다.",
            ),
            Rule::K20 => (
                "pause: -v prints the version; TERM and INT exit 0; SIGCHLD reaps; nothing else is handled.",
                "pause: -v는 버전을 출력하고, TERM과 INT를 받으면 0으로 종료하며, SIGCHLD를 받으면 좀비 프로세스를 회수합니다. 그 밖의 시그널은 처리하지 않습니다.",
            ),
            Rule::K21 => (
                "docker --net=container:X joins X's net namespace and copies its hostname, not its uts namespace.",
                "docker --net=container:X는 X의 net 네임스페이스에 합류하고 호스트 이름은 복사합니다. uts 네임스페이스는 공유하지 않습니다.",
            ),
            Rule::K22 => (
                "docker --ipc=container:X needs X running and shareable.",
                "docker --ipc=container:X는 X가 실행 중이고 shareable이어야 합니다.",
            ),
            Rule::K23 => (
                "dockershim: sandbox net none or host; apps join the sandbox's net and ipc, pid only when shared.",
                "dockershim: 샌드박스의 네트워크는 none 또는 host이고, 앱은 샌드박스의 net과 ipc에 합류하며, pid는 공유할 때만 합류합니다.",
            ),
            Rule::K24 => (
                "containerd CRI: the runtime pins the net namespace; containers join the sandbox's by path.",
                "containerd CRI: 런타임이 net 네임스페이스를 고정하고, 컨테이너는 경로로 샌드박스의 네임스페이스에 합류합니다.",
            ),
            Rule::K25 => (
                "Pod pid modes: CONTAINER, POD (shareProcessNamespace), NODE (hostPID); both flags is invalid.",
                "파드의 pid 모드는 CONTAINER, POD(shareProcessNamespace), NODE(hostPID)이며, 두 플래그를 함께 켜면 유효하지 않습니다.",
            ),
            Rule::K26 => (
                "kubectl exec enters with setns and fork: its parent is the shim outside the namespace.",
                "kubectl exec는 setns 후 fork로 들어갑니다. 그 부모는 네임스페이스 밖의 shim입니다.",
            ),
            Rule::K27 => (
                "If pause dies the sandbox is re-created and every container restarts.",
                "pause가 죽으면 샌드박스가 다시 만들어지고 모든 컨테이너가 재시작됩니다.",
            ),
            Rule::K28 => (
                "Stopping one container of a shared pid namespace is not an init death.",
                "pid 네임스페이스를 공유하는 파드에서 컨테이너 하나를 멈추는 것은 init의 죽음이 아닙니다.",
            ),
            Rule::K29 => (
                "A child is released at its exit only if its exit signal is SIGCHLD and its parent ignores SIGCHLD.",
                "자식이 종료와 함께 바로 해제되는 것은 종료 시그널이 SIGCHLD이고 부모가 SIGCHLD를 무시할 때뿐입니다.",
            ),
            Rule::K30 => (
                "A process named after a real program reacts to signals and waits as that program does, as measured.",
                "실제 프로그램의 이름을 가진 프로세스는 측정한 대로 그 프로그램처럼 시그널에 반응하고 wait합니다.",
            ),
        };
        language.either(|| en.to_owned(), || ko.to_owned())
    }
}
