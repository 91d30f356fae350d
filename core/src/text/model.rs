//! The kernel model's words: what the kernel did (outcomes) and why it refused (model errors).
//! Why a file cannot be opened is in `format`.

use super::josa::Particle::{Object, Subject, Topic, Toward};
use super::{ko, Language, Say};
use crate::error::{Errno, ModelError};
use crate::outcome::{Outcome, SignalEffect};
use crate::process::ExitStatus;
use crate::rule::Rule;

/// Say it in English through `Display` too, so that logs, errors and tests read the same words.
macro_rules! display_in_english {
    ($($type:ty),*) => {$(
        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.say(Language::English))
            }
        }
    )*};
}
pub(crate) use display_in_english;

display_in_english!(Outcome, SignalEffect, ModelError, ExitStatus);

impl Say for ExitStatus {
    fn say(&self, language: Language) -> String {
        match *self {
            ExitStatus::Exited(code) => language.either(
                || format!("exited {code}"),
                || format!("코드 {} 종료", ko(code, Toward)),
            ),
            ExitStatus::Signaled(signal) => language.either(
                || format!("killed by {signal}"),
                || format!("{} 죽음", ko(signal, Toward)),
            ),
        }
    }
}

impl std::fmt::Display for Errno {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Errno::ESRCH => "ESRCH",
            Errno::ECHILD => "ECHILD",
            Errno::EINVAL => "EINVAL",
            Errno::ENOMEM => "ENOMEM",
            Errno::ENOSPC => "ENOSPC",
        })
    }
}

impl Say for SignalEffect {
    fn say(&self, language: Language) -> String {
        let (en, ko) = match self {
            SignalEffect::Caught => ("caught by its handler", "핸들러가 받았습니다"),
            SignalEffect::Ignored => ("ignored", "무시했습니다"),
            SignalEffect::Pending => (
                "pending until it continues",
                "다시 실행될 때까지 보류됩니다",
            ),
            SignalEffect::Stopped => ("stopped it", "멈췄습니다"),
            SignalEffect::Continued => ("continued it", "다시 실행합니다"),
            SignalEffect::NoEffect => (
                "no effect: it has exited",
                "아무 일도 없습니다. 이미 종료했습니다",
            ),
            SignalEffect::Killed => ("killed it", "죽었습니다"),
        };
        language.either(|| en.to_owned(), || ko.to_owned())
    }
}

impl Say for Outcome {
    fn say(&self, language: Language) -> String {
        match self {
            Outcome::Forked {
                parent,
                child,
                nspid,
            } => {
                let levels: Vec<String> = nspid.iter().map(u32::to_string).collect();
                let levels = levels.join(" ");
                language.either(
                    || format!("{parent} forked {child} (NSpid {levels})"),
                    || format!("{} fork로 {} 만들었습니다(NSpid {levels})", ko(parent, Subject), ko(child, Object)),
                )
            }
            Outcome::BecameInit { pid, ns } => language.either(
                || format!("{pid} is pid 1 of pid:[{ns}], its init"),
                || format!("{} pid:[{ns}]의 pid 1, 곧 init입니다", ko(pid, Topic)),
            ),
            Outcome::ForkFailed { parent, ns, errno } => language.either(
                || format!("{parent}'s fork failed with {errno}: the init of pid:[{ns}] has died"),
                || format!("{parent}의 fork가 {} 실패했습니다. pid:[{ns}]의 init이 이미 죽었습니다", ko(errno, Toward)),
            ),
            Outcome::NamespaceCreated { kind, ns, by } => language.either(
                || format!("{by} created {kind}:[{ns}]"),
                || format!("{} {} 만들었습니다", ko(by, Subject), ko(format!("{kind}:[{ns}]"), Object)),
            ),
            Outcome::Joined { pid, kind, ns } => language.either(
                || format!("{pid} joined {kind}:[{ns}]"),
                || format!("{} {kind}:[{ns}]에 합류했습니다", ko(pid, Subject)),
            ),
            Outcome::ForChildren { pid, kind, ns } => language.either(
                || format!("{pid}'s future children go into {kind}:[{ns}]; {pid} stays where it is"),
                || format!("{} 앞으로 만드는 자식은 {kind}:[{ns}]에 태어납니다. {pid} 자신은 그대로 있습니다", ko(pid, Subject)),
            ),
            Outcome::NamespaceDestroyed { kind, ns } => language.either(
                || format!("{kind}:[{ns}] is gone"),
                || format!("{} 사라졌습니다", ko(format!("{kind}:[{ns}]"), Subject)),
            ),
            Outcome::Pinned { ns, holder } => language.either(
                || format!("{holder} pins namespace {ns}"),
                || format!("{} 네임스페이스 {} 고정했습니다", ko(holder, Subject), ko(ns, Object)),
            ),
            Outcome::Unpinned { ns, holder } => language.either(
                || format!("{holder} no longer pins namespace {ns}"),
                || format!("{} 네임스페이스 {ns}의 고정을 풀었습니다", ko(holder, Subject)),
            ),
            Outcome::Execed { pid, comm } => language.either(
                || format!("{pid} now runs {comm}"),
                || format!("{} 이제 {} 실행합니다", ko(pid, Subject), ko(comm, Object)),
            ),
            Outcome::SigactionSet { pid, signal } => language.either(
                || format!("{pid} set what it does on {signal}"),
                || format!("{} {signal}에 대한 동작을 바꿨습니다", ko(pid, Subject)),
            ),
            Outcome::SubreaperSet { pid, on: true } => language.either(
                || format!("{pid} is a child subreaper"),
                || format!("{} 이제 child subreaper입니다", ko(pid, Topic)),
            ),
            Outcome::SubreaperSet { pid, on: false } => language.either(
                || format!("{pid} is no longer a child subreaper"),
                || format!("{} 더 이상 child subreaper가 아닙니다", ko(pid, Topic)),
            ),
            #[cfg(feature = "live")]
            Outcome::Appeared { pid } => language.either(
                || format!("{pid} appeared with its parent outside this pid namespace: how it was started is not seen"),
                || format!("{} 나타났습니다. 부모가 이 pid 네임스페이스 밖에 있어서 어떻게 시작됐는지는 보이지 않습니다", ko(pid, Subject)),
            ),
            #[cfg(feature = "live")]
            Outcome::LookedAnew { processes } => language.either(
                || format!("the picture is drawn anew from a look at /proc ({processes} processes): pauselab could not follow the node to it by events (a pid reused between two looks, or its server started again), so what happened in between is not shown"),
                || format!("/proc을 새로 보고 그림을 다시 그렸습니다(프로세스 {processes}개). 지난번 모습에서 여기까지를 이벤트로 이어 가지 못했기 때문입니다(두 번 보는 사이에 pid가 재사용되었거나 서버가 다시 시작된 경우). 그 사이에 일어난 일은 보이지 않습니다"),
            ),
            #[cfg(feature = "live")]
            Outcome::CollectedOutside { pid } => language.either(
                || format!("{pid} was collected by its parent outside this pid namespace"),
                || format!("{} 이 pid 네임스페이스 밖에 있는 부모가 거뒀습니다", ko(pid, Object)),
            ),
            #[cfg(feature = "live")]
            Outcome::Renamed { pid, comm } => language.either(
                || format!("{pid} renamed itself {comm}: only the name ps shows changed, not the program it runs (prctl PR_SET_NAME)"),
                || format!("{} 자기 이름을 {} 바꿨습니다. ps에 보이는 이름만 바뀌었을 뿐, 실행 중인 프로그램은 그대로입니다(prctl PR_SET_NAME)", ko(pid, Subject), ko(comm, Toward)),
            ),
            #[cfg(feature = "live")]
            Outcome::EndedUnseen { pid, parent } => language.either(
                || format!("{pid} ended and {parent} collected it between two looks at /proc; how it ended was not seen (no proc connector)"),
                || format!("{} /proc을 두 번 보는 사이에 끝났고 {} 거뒀습니다. 어떻게 끝났는지는 보지 못했습니다(proc connector 없음)", ko(pid, Topic), ko(parent, Subject)),
            ),
            Outcome::Exited { pid, status } => match status {
                ExitStatus::Exited(code) => language.either(
                    || format!("{pid} exited with code {code}"),
                    || format!("{} 코드 {} 종료했습니다", ko(pid, Subject), ko(code, Toward)),
                ),
                ExitStatus::Signaled(signal) => language.either(
                    || format!("{pid} was killed by {signal}"),
                    || format!("{} {} 죽었습니다", ko(pid, Subject), ko(signal, Toward)),
                ),
            },
            Outcome::Reparented {
                child, from, to, ..
            } if to.0 == 0 => language.either(
                || format!("{child} reparented from {from} to its init, which is outside the model"),
                || format!("{child}의 부모가 {from}에서 모델 밖에 있는 init으로 바뀌었습니다"),
            ),
            Outcome::Reparented {
                child,
                from,
                to,
                to_subreaper,
            } => {
                let who = if *to_subreaper { "subreaper" } else { "init" };
                language.either(
                    || format!("{child} reparented from {from} to {who} {to}"),
                    || format!("고아 프로세스 {child}의 부모가 {from}에서 {who} {} 바뀌었습니다", ko(to, Toward)),
                )
            }
            Outcome::SigchldSent { parent, child } => language.either(
                || format!("{parent} got SIGCHLD for {child}"),
                || format!("{} {child}에 대한 SIGCHLD를 받았습니다", ko(parent, Subject)),
            ),
            Outcome::BecameZombie {
                pid,
                parent,
                status,
            } if parent.0 == 0 => language.either(
                || format!("{pid} is a zombie ({}) until its parent, outside the model, waits for it", status.say(language)),
                || format!("{} 좀비 프로세스가 되었습니다({}). 모델 밖의 부모가 회수할 때까지 남습니다", ko(pid, Topic), status.say(language)),
            ),
            Outcome::BecameZombie {
                pid,
                parent,
                status,
            } => language.either(
                || format!("{pid} is a zombie ({}) until {parent} waits for it", status.say(language)),
                || format!("{} 좀비 프로세스가 되었습니다({}). 부모 {} wait로 회수할 때까지 남습니다", ko(pid, Topic), status.say(language), ko(parent, Subject)),
            ),
            Outcome::Reaped {
                pid, by, status, ..
            } => language.either(
                || format!("{by} reaped {pid} ({})", status.say(language)),
                || format!("{} wait로 {} 회수했습니다({})", ko(by, Subject), ko(pid, Object), status.say(language)),
            ),
            Outcome::AutoReaped {
                pid,
                parent,
                rule: Rule::K19,
            } => language.either(
                || format!("{pid} released at once: {parent} is an init on its way out, and the kernel set its SIGCHLD to SIG_IGN as it empties the namespace (zap_pid_ns_processes)"),
                || format!("{} 바로 해제되었습니다. {} 종료 중인 init이라, 커널이 네임스페이스를 비우면서 그 SIGCHLD를 SIG_IGN으로 바꿔 두었습니다(zap_pid_ns_processes)", ko(pid, Topic), ko(parent, Topic)),
            ),
            Outcome::AutoReaped { pid, parent, .. } => language.either(
                || format!("{pid} released at once: {parent} ignores SIGCHLD, so it gets no zombies"),
                || format!("{} 바로 해제되었습니다. 부모 {} SIGCHLD를 무시하므로 좀비 프로세스가 남지 않습니다", ko(pid, Topic), ko(parent, Subject)),
            ),
            Outcome::WaitBlocked { pid } => language.either(
                || format!("{pid} blocks in wait"),
                || format!("{} wait에서 멈춰 기다립니다", ko(pid, Topic)),
            ),
            Outcome::WaitNoZombie { pid } => language.either(
                || format!("{pid}'s wait returned 0: no zombie yet"),
                || format!("{pid}의 wait가 0을 돌려줬습니다. 아직 좀비 프로세스가 없습니다"),
            ),
            Outcome::WaitEchild { pid } => language.either(
                || format!("{pid}'s wait failed with ECHILD: no child left"),
                || format!("{pid}의 wait가 ECHILD로 실패했습니다. 기다릴 자식이 없습니다"),
            ),
            Outcome::SignalDelivered {
                from,
                to,
                signal,
                effect,
            } => language.either(
                || format!("{signal} from {from} to {to}: {}", effect.say(language)),
                || format!("{} {to}에게 보낸 {signal}: {} {}", ko(from, Subject), ko(to, Topic), effect.say(language)),
            ),
            Outcome::SignalDropped { from, to, signal } => language.either(
                || format!("{signal} from {from} to init {to} dropped: it has no handler"),
                || format!("{} init {to}에게 보낸 {} 버려졌습니다. init에 핸들러가 없습니다", ko(from, Subject), ko(signal, Topic)),
            ),
            Outcome::PidNamespaceDying { ns, init } => language.either(
                || format!("init {init} of pid:[{ns}] exited: the namespace is dying"),
                || format!("pid:[{ns}]의 init {} 종료했습니다. 네임스페이스가 사라지는 중입니다", ko(init, Subject)),
            ),
            Outcome::KilledByInitDeath { pid, ns } => language.either(
                || format!("{pid} killed: the init of pid:[{ns}] died"),
                || format!("{} 죽었습니다. pid:[{ns}]의 init이 죽었기 때문입니다", ko(pid, Subject)),
            ),
            Outcome::InitWaitsForZombies { init, remaining } => language.either(
                || format!("{init} waits inside exit until the {remaining} zombie(s) left in its namespace are reaped"),
                || format!("{} 네임스페이스에 남은 좀비 프로세스 {remaining}개가 회수될 때까지 exit 안에서 기다립니다", ko(init, Topic)),
            ),
        }
    }
}

impl Say for ModelError {
    fn say(&self, language: Language) -> String {
        match self {
            ModelError::NoSuchProcess { pid } => language.either(
                || format!("there is no process {pid}"),
                || format!("프로세스 {} 없습니다", ko(pid, Subject)),
            ),
            ModelError::NotAlive { pid, state } => {
                let state = super::scenarios::state_words(*state, language);
                language.either(
                    || format!("process {pid} cannot act: it is {state}"),
                    || format!("프로세스 {} 아무것도 할 수 없습니다. 상태: {state}", ko(pid, Topic)),
                )
            }
            ModelError::Stopped { pid } => language.either(
                || format!("process {pid} is stopped"),
                || format!("프로세스 {} 멈춰 있습니다", ko(pid, Topic)),
            ),
            ModelError::Blocked { pid } => language.either(
                || format!("process {pid} is blocked in wait"),
                || format!("프로세스 {} wait에서 기다리는 중입니다", ko(pid, Topic)),
            ),
            ModelError::NoSuchNamespace { ns } => language.either(
                || format!("there is no namespace {ns}"),
                || format!("네임스페이스 {} 없습니다", ko(ns, Subject)),
            ),
            ModelError::TargetNotVisible { sender, target } => language.either(
                || format!("kill: {sender} sees no process {target} in its pid namespace (ESRCH)"),
                || format!("kill: {sender}의 pid 네임스페이스에는 pid {} 없습니다(ESRCH)", ko(target, Subject)),
            ),
            ModelError::Invisible { viewer, target } => language.either(
                || format!("{target} is outside the pid namespace of {viewer}: {viewer} cannot see it (ESRCH)"),
                || format!("{} {viewer}의 pid 네임스페이스 밖에 있어서 {viewer}에게는 보이지 않습니다(ESRCH)", ko(target, Topic)),
            ),
            ModelError::NoChildren { pid } => language.either(
                || format!("wait: {pid} has no children (ECHILD)"),
                || format!("wait: {pid}에게는 자식이 없습니다(ECHILD)"),
            ),
            ModelError::NotAChild { pid, target } => language.either(
                || format!("waitpid: {target} is not a child of {pid} (ECHILD)"),
                || format!("waitpid: {} {pid}의 자식이 아닙니다(ECHILD)", ko(target, Topic)),
            ),
            ModelError::PidNamespaceNotDescendant { pid, ns } => language.either(
                || format!("setns: pid namespace {ns} is neither {pid}'s own nor below it (EINVAL)"),
                || format!("setns: pid 네임스페이스 {} {pid}의 것도, 그 아래의 것도 아닙니다(EINVAL)", ko(ns, Topic)),
            ),
            ModelError::PidNamespaceAlreadyUnshared { pid } => language.either(
                || format!("{pid}'s children already go into a new pid namespace: fork into it first (EINVAL)"),
                || format!("{pid}의 자식은 이미 새 pid 네임스페이스에 태어납니다. 먼저 fork로 그 안에 프로세스를 만들어야 합니다(EINVAL)"),
            ),
            ModelError::TooDeep { kind } => language.either(
                || format!("{kind} namespaces nest at most 32 deep (ENOSPC)"),
                || format!("{kind} 네임스페이스는 32단계까지만 중첩됩니다(ENOSPC)"),
            ),
            ModelError::AlreadyInUserNamespace { pid, ns } => language.either(
                || format!("setns: {pid} is already in user namespace {ns} (EINVAL)"),
                || format!("setns: {} 이미 user 네임스페이스 {ns} 안에 있습니다(EINVAL)", ko(pid, Topic)),
            ),
            ModelError::Uncatchable { signal } => language.either(
                || format!("sigaction: {signal} cannot be caught or ignored (EINVAL)"),
                || format!("sigaction: {} 잡거나 무시할 수 없습니다(EINVAL)", ko(signal, Topic)),
            ),
            ModelError::NotAFault { signal } => language.either(
                || format!("{signal} is not a fault signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS)"),
                || format!("{} 폴트 시그널(SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS)이 아닙니다", ko(signal, Topic)),
            ),
            ModelError::HostInitExit => language.either(
                || "the host's init cannot exit: the kernel would panic".to_owned(),
                || "호스트의 init은 종료할 수 없습니다. 커널이 패닉에 빠집니다".to_owned(),
            ),
            ModelError::NotPinned { ns, holder } => language.either(
                || format!("namespace {ns} is not pinned by {holder}"),
                || format!("{} 네임스페이스 {} 고정하고 있지 않습니다", ko(holder, Topic), ko(ns, Object)),
            ),
            ModelError::AlreadyPinned { ns, holder } => language.either(
                || format!("namespace {ns} is already pinned by {holder}"),
                || format!("{} 이미 네임스페이스 {} 고정하고 있습니다", ko(holder, Topic), ko(ns, Object)),
            ),
            ModelError::NoFreeNamespaceId => language.either(
                || format!("no namespace identity is left: the next one would be above {}", u32::MAX),
                || format!("남은 네임스페이스 식별자가 없습니다. 다음 식별자는 {}보다 큽니다", u32::MAX),
            ),
            ModelError::NoFreePid { ns } => language.either(
                || format!("no free pid left in pid namespace {ns} (EAGAIN)"),
                || format!("pid 네임스페이스 {ns}에 남은 pid가 없습니다(EAGAIN)"),
            ),
            #[cfg(feature = "live")]
            ModelError::NotAsSeen { pid } => language.either(
                || format!("the child of {pid} cannot have the pids and namespaces it was seen with"),
                || format!("{pid}의 자식은 관찰된 pid와 네임스페이스를 그대로 가질 수 없습니다"),
            ),
            #[cfg(feature = "live")]
            ModelError::LookNotPossible => language.either(
                || "this look at /proc shows a state no kernel could be in, so the node is not drawn anew from it".to_owned(),
                || "이 /proc 모습은 어떤 커널에서도 있을 수 없는 상태라서, 이것으로 노드를 새로 그리지 않습니다".to_owned(),
            ),
            #[cfg(feature = "live")]
            ModelError::InitEndUnseen { pid } => language.either(
                || format!("{pid} is the init of a pid namespace that has other processes: its end kills them and it is collected after them, so it cannot have ended unseen"),
                || format!("{} 다른 프로세스가 있는 pid 네임스페이스의 init입니다. init이 끝나면 그 프로세스들이 죽고 init은 그 뒤에야 거둬지므로, 관찰되지 않은 채 끝났을 수 없습니다", ko(pid, Topic)),
            ),
        }
    }
}

/// What the tree text says of a process's state: nothing while it runs.
pub(crate) fn tree_state(state: crate::process::ProcState, language: Language) -> Option<String> {
    use crate::process::ProcState;
    Some(match state {
        ProcState::Running => return None,
        ProcState::Stopped => language.either(|| "stopped".into(), || "멈춤".into()),
        ProcState::Exiting(status) => language.either(
            || {
                format!(
                    "exiting ({}), waits for its namespace to empty",
                    status.say(language)
                )
            },
            || {
                format!(
                    "종료 중({}), 네임스페이스가 비기를 기다림",
                    status.say(language)
                )
            },
        ),
        ProcState::Zombie(status) => language.either(
            || format!("zombie: {}", status.say(language)),
            || format!("좀비: {}", status.say(language)),
        ),
    })
}

/// The tree text's marks after a process.
pub(crate) fn tree_flag(flag: crate::view::TreeFlag, language: Language) -> &'static str {
    use crate::view::TreeFlag;
    match (flag, language) {
        (TreeFlag::Init, _) => "init",
        (TreeFlag::Subreaper, _) => "subreaper",
        (TreeFlag::NoZombies, Language::English) => "no-zombies",
        (TreeFlag::NoZombies, Language::Korean) => "좀비-안-남김",
        (TreeFlag::ChildrenGo, Language::English) => "children->",
        (TreeFlag::ChildrenGo, Language::Korean) => "자식은->",
    }
}
