//! The scenarios' words: what a step expects, what a check found instead, what a step does
//! (the reader's own steps), and why a scenario file cannot be used.

use super::josa::Particle::{And, Object, Subject, Topic, Toward};
use super::model::display_in_english;
use super::{ko, Language, Say};
use crate::process::{Disposition, ProcState};
use crate::scenario::{
    Action, Expect, Found, FoundRow, Mismatch, ScenarioError, ScenarioProblem, StepError, TextPart,
    UnknownLabel,
};

display_in_english!(
    Expect,
    Found,
    FoundRow,
    Mismatch,
    StepError,
    UnknownLabel,
    ScenarioError,
    ScenarioProblem,
    Action
);

/// A process state in words.
pub(crate) fn state_words(state: ProcState, language: Language) -> String {
    match state {
        ProcState::Running => language.either(|| "running".into(), || "실행 중".into()),
        ProcState::Stopped => language.either(|| "stopped".into(), || "멈춤".into()),
        ProcState::Exiting(status) => language.either(
            || format!("exiting ({})", status.say(language)),
            || format!("종료 중({})", status.say(language)),
        ),
        ProcState::Zombie(status) => language.either(
            || format!("a zombie ({})", status.say(language)),
            || format!("좀비 프로세스({})", status.say(language)),
        ),
    }
}

fn pids(pids: &[u32]) -> String {
    pids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Say for Expect {
    fn say(&self, language: Language) -> String {
        match self {
            Expect::Pid1 { container, comm } => language.either(
                || format!("In {container}, pid 1 is {comm}"),
                || format!("{container} 안에서 pid 1은 {comm}입니다"),
            ),
            Expect::Zombie {
                container,
                pid,
                ppid,
            } => language.either(
                || format!("In {container}, pid {pid} is a zombie whose parent is {ppid}"),
                || {
                    format!(
                        "{container} 안에서 pid {} 부모가 {ppid}인 좀비 프로세스입니다",
                        ko(pid, Topic)
                    )
                },
            ),
            Expect::NoZombies { pod: Some(pod) } => language.either(
                || format!("No zombie in pod {pod}"),
                || format!("파드 {pod}에 좀비 프로세스가 없습니다"),
            ),
            Expect::NoZombies { pod: None } => language.either(
                || "No zombie on the node".into(),
                || "노드에 좀비 프로세스가 없습니다".into(),
            ),
            Expect::Ppid {
                container,
                comm,
                ppid,
            } => language.either(
                || format!("In {container}, {comm}'s parent pid is {ppid}"),
                || format!("{container} 안에서 {comm}의 부모 pid는 {ppid}입니다"),
            ),
            Expect::Visible { container, count } => language.either(
                || format!("ps in {container} shows {count} processes"),
                || format!("{container} 안의 ps에는 프로세스가 {count}개 보입니다"),
            ),
            Expect::Shares { a, b, kind, same } => language.either(
                || {
                    let not = if *same { "" } else { " do not" };
                    format!("{a} and {b}{not} share their {kind} namespace")
                },
                || {
                    let verb = if *same {
                        "공유합니다"
                    } else {
                        "공유하지 않습니다"
                    };
                    format!(
                        "{} {} {kind} 네임스페이스를 {verb}",
                        ko(a, And),
                        ko(b, Topic)
                    )
                },
            ),
            Expect::Hostname { process, value } => language.either(
                || format!("{process} sees the hostname {value}"),
                || format!("{}에게 보이는 호스트 이름은 {value}입니다", process),
            ),
            Expect::Dropped => language.either(
                || "The signal was dropped (K17)".into(),
                || "시그널이 버려졌습니다(K17)".into(),
            ),
            Expect::Refused(refusal) => language.either(
                || format!("Refused: {}", refusal.say(language)),
                || format!("거부됨: {}", refusal.say(language)),
            ),
            Expect::Alive { process } => language.either(
                || format!("{process} is alive"),
                || format!("{} 살아 있습니다", ko(process, Topic)),
            ),
            Expect::Dead { process } => language.either(
                || format!("{process} has exited"),
                || format!("{} 종료했습니다", ko(process, Topic)),
            ),
            Expect::Reaped { process } => language.either(
                || format!("{process} has exited and was reaped"),
                || format!("{} 종료했고 회수되었습니다", ko(process, Topic)),
            ),
            Expect::ExitStatus { process, code } => language.either(
                || format!("{process} ended with status {code}"),
                || format!("{}의 종료 상태는 {code}입니다", process),
            ),
            Expect::Nspid { process, nspid } => language.either(
                || format!("{process} has NSpid {}", pids(nspid)),
                || format!("{}의 NSpid는 {}입니다", process, pids(nspid)),
            ),
            Expect::PodIp { pod, ip } => language.either(
                || format!("Pod {pod} has IP {ip}"),
                || format!("파드 {pod}의 IP는 {ip}입니다"),
            ),
            Expect::Restarts { container, count } => language.either(
                || format!("{container} restarted {count} times"),
                || format!("{} {count}번 재시작했습니다", ko(container, Topic)),
            ),
            Expect::RuntimeSays(note) => language.either(
                || format!("The runtime says: {}", note.say(language)),
                || format!("런타임이 알립니다: {}", note.say(language)),
            ),
        }
    }
}

impl Say for FoundRow {
    fn say(&self, language: Language) -> String {
        let state = state_words(self.state, language);
        language.either(
            || {
                format!(
                    "pid {} ({}), parent {}, {state}",
                    self.pid, self.comm, self.ppid
                )
            },
            || {
                format!(
                    "pid {}({}), 부모 {}, {state}",
                    self.pid, self.comm, self.ppid
                )
            },
        )
    }
}

impl Say for Found {
    fn say(&self, language: Language) -> String {
        match self {
            Found::UnknownLabel(label) => language.either(
                || format!("no process is called {label}"),
                || {
                    format!(
                        "{} 프로세스가 없습니다",
                        ko(label, super::josa::Particle::Named)
                    )
                },
            ),
            Found::Gone(label) => language.either(
                || format!("{label} has been reaped"),
                || format!("{} 이미 회수되었습니다", ko(label, Topic)),
            ),
            Found::NoContainer(container) => language.either(
                || format!("there is no container {container}"),
                || format!("컨테이너 {} 없습니다", ko(container, Subject)),
            ),
            Found::NoPidNamespace(container) => language.either(
                || format!("the pid namespace of {container} is gone"),
                || format!("{container}의 pid 네임스페이스가 사라졌습니다"),
            ),
            Found::Pid1(Some(comm)) => language.either(
                || format!("pid 1 is {comm}"),
                || format!("pid 1은 {comm}입니다"),
            ),
            Found::Pid1(None) => language.either(
                || "nothing is pid 1 there".into(),
                || "그곳에는 pid 1이 없습니다".into(),
            ),
            Found::Row(Some(row)) => row.say(language),
            Found::Row(None) => language.either(
                || "no such process".into(),
                || "그런 프로세스가 없습니다".into(),
            ),
            Found::Zombies(zombies) => {
                let hosts: Vec<u32> = zombies.iter().map(|pid| pid.0).collect();
                language.either(
                    || format!("zombies (host pids): {}", pids(&hosts)),
                    || format!("좀비 프로세스(호스트 pid): {}", pids(&hosts)),
                )
            }
            Found::Visible(count) => language.either(
                || format!("{count} processes"),
                || format!("프로세스 {count}개"),
            ),
            Found::Namespaces { kind, a, b } => language.either(
                || format!("{kind}:[{a}] and {kind}:[{b}]"),
                || format!("{} {kind}:[{b}]", ko(format!("{kind}:[{a}]"), And)),
            ),
            Found::Hostname(Some(name)) => language.either(
                || format!("the hostname {name}"),
                || format!("호스트 이름 {name}"),
            ),
            Found::Hostname(None) => {
                language.either(|| "no hostname".into(), || "호스트 이름이 없습니다".into())
            }
            Found::NoDroppedSignal => language.either(
                || "no signal was dropped".into(),
                || "버려진 시그널이 없습니다".into(),
            ),
            Found::Refusal(Some(error)) => language.either(
                || format!("refused: {}", error.say(language)),
                || format!("거부됨: {}", error.say(language)),
            ),
            Found::Refusal(None) => language.either(
                || "nothing was refused".into(),
                || "거부된 것이 없습니다".into(),
            ),
            Found::State(state) => language.either(
                || format!("it is {}", state_words(*state, language)),
                || format!("상태: {}", state_words(*state, language)),
            ),
            Found::Status(Some(code)) => {
                language.either(|| format!("status {code}"), || format!("종료 상태 {code}"))
            }
            Found::Status(None) => language.either(
                || "it has not ended".into(),
                || "아직 끝나지 않았습니다".into(),
            ),
            Found::Nspid(nspid) => language.either(
                || format!("NSpid {}", pids(nspid)),
                || format!("NSpid {}", pids(nspid)),
            ),
            Found::Ip(Some(ip)) => language.either(|| format!("IP {ip}"), || format!("IP {ip}")),
            Found::Ip(None) => {
                language.either(|| "no IP of its own".into(), || "자기 IP가 없습니다".into())
            }
            Found::Restarts(Some(count)) => language.either(
                || format!("{count} restarts"),
                || format!("재시작 {count}번"),
            ),
            Found::Restarts(None) => language.either(
                || "no such container".into(),
                || "그런 컨테이너가 없습니다".into(),
            ),
            Found::NotSaid => language.either(
                || "the runtime did not say so".into(),
                || "런타임은 그렇게 알리지 않았습니다".into(),
            ),
        }
    }
}

impl Say for Mismatch {
    fn say(&self, language: Language) -> String {
        language.either(
            || {
                format!(
                    "expected: {}; found: {}",
                    self.expected.say(language),
                    self.found.say(language)
                )
            },
            || {
                format!(
                    "기대: {} / 실제: {}",
                    self.expected.say(language),
                    self.found.say(language)
                )
            },
        )
    }
}

impl Say for UnknownLabel {
    fn say(&self, language: Language) -> String {
        Found::UnknownLabel(self.0.clone()).say(language)
    }
}

impl Say for StepError {
    fn say(&self, language: Language) -> String {
        match self {
            StepError::UnknownLabel(error) => error.say(language),
            StepError::Mismatch(mismatch) => mismatch.say(language),
        }
    }
}

impl Say for ScenarioProblem {
    fn say(&self, language: Language) -> String {
        match self {
            ScenarioProblem::Json(error) => error.say(language),
            ScenarioProblem::MissingText(part) => {
                let (en, ko) = match part {
                    TextPart::TitleOrQuestion => ("the title and the question need", "제목과 질문"),
                    TextPart::Challenge => ("the challenge needs", "도전 과제"),
                    TextPart::Step => ("the step needs", "단계 설명"),
                };
                language.either(
                    || format!("{en} English and Korean text"),
                    || format!("{ko}에는 영어와 한국어 글이 모두 있어야 합니다"),
                )
            }
            ScenarioProblem::NoSteps => language.either(
                || "a scenario needs at least one step".into(),
                || "시나리오에는 단계가 하나 이상 있어야 합니다".into(),
            ),
            ScenarioProblem::BadId(id) => language.either(
                || format!("the id \"{id}\" must be 1 to 40 of a-z, 0-9 and -, and not \"play\" (it names the scenario in links and its file)"),
                || format!("id {} a-z, 0-9, - 로만 된 1~40자여야 하고 \"play\"는 쓸 수 없습니다(링크와 파일 이름에 쓰입니다)", ko(format!("\"{id}\""), Topic)),
            ),
            ScenarioProblem::NameReadsAsLabel(name) => language.either(
                || format!("the name \"{name}\" reads as a label of its own (host, runtime, #N or POD/…): choose a plain word"),
                || format!("이름 {} 다른 레이블(host, runtime, #N, POD/…)로 읽힙니다. 평범한 낱말을 골라야 합니다", ko(format!("\"{name}\""), Topic)),
            ),
            ScenarioProblem::ReservedContainer { pod, container } => language.either(
                || format!("pod {pod}: a container called \"{container}\" could not be told from the pod's own {pod}/{container}"),
                || format!("파드 {pod}: 컨테이너 이름 {} 파드 자신의 {pod}/{container} 레이블과 구별되지 않습니다", ko(format!("\"{container}\""), Topic)),
            ),
            ScenarioProblem::NotAsMeasured(program) => language.either(
                || format!("\"{}\" is a real program: give only its name (and what it runs); its handlers come from the table of measured programs (K30)", program.comm),
                || format!("{} 실제 프로그램입니다. 이름(과 실행할 것)만 적어야 하며, 핸들러는 측정한 프로그램 표에서 가져옵니다(K30)", ko(format!("\"{}\"", program.comm), Topic)),
            ),
            ScenarioProblem::Failed(error) => error.say(language),
        }
    }
}

impl Say for ScenarioError {
    fn say(&self, language: Language) -> String {
        let problem = self.problem.say(language);
        match self.step {
            Some(step) => language.either(
                || format!("{}, step {}: {problem}", self.file, step + 1),
                || format!("{}, {}단계: {problem}", self.file, step + 1),
            ),
            None => format!("{}: {problem}", self.file),
        }
    }
}

fn disposition(action: Disposition) -> &'static str {
    match action {
        Disposition::Default => "SIG_DFL",
        Disposition::Ignore => "SIG_IGN",
        Disposition::Handler => "a handler",
    }
}

impl Say for Action {
    fn say(&self, language: Language) -> String {
        match self {
            Action::CreatePod { pod } => language.either(
                || format!("create pod {}", pod.name),
                || format!("파드 {} 만듭니다", ko(&pod.name, Object)),
            ),
            Action::DockerRun { run } => format!("docker run --name {}", run.name),
            Action::DockerCreate { run } => format!("docker create --name {}", run.name),
            Action::DockerStart { name } => format!("docker start {name}"),
            Action::DockerKill { name, signal } => {
                format!("docker kill -s {} {name}", signal.name())
            }
            Action::DockerStop { name } => format!("docker stop {name}"),
            Action::DockerExec {
                container, comm, ..
            } => format!("docker exec {container} {comm}"),
            Action::DockerRm { name, force } => {
                format!("docker rm {}{name}", if *force { "-f " } else { "" })
            }
            Action::Fork {
                process, comm, new, ..
            } => {
                let nested = !new.is_empty();
                match comm {
                    Some(comm) => language.either(
                        || {
                            let ns = if nested {
                                " in a new pid namespace"
                            } else {
                                ""
                            };
                            format!("{process} forks{ns} and runs {comm}")
                        },
                        || {
                            let ns = if nested {
                                "새 pid 네임스페이스에 "
                            } else {
                                ""
                            };
                            format!(
                                "{} {ns}자식을 만들고 그 자식이 {} 실행합니다",
                                ko(process, Subject),
                                ko(comm, Object)
                            )
                        },
                    ),
                    None => language.either(
                        || {
                            let ns = if nested {
                                " into a new pid namespace"
                            } else {
                                ""
                            };
                            format!("{process} forks{ns}")
                        },
                        || {
                            let ns = if nested {
                                "새 pid 네임스페이스에 "
                            } else {
                                ""
                            };
                            format!("{} {ns}자식을 만듭니다(fork)", ko(process, Subject))
                        },
                    ),
                }
            }
            Action::Exit { process, code } => language.either(
                || format!("{process} exits with code {code}"),
                || {
                    format!(
                        "{} 코드 {} 종료합니다",
                        ko(process, Subject),
                        ko(code, Toward)
                    )
                },
            ),
            Action::Kill {
                from,
                target,
                signal,
            } => {
                let name = signal.name().trim_start_matches("SIG");
                language.either(
                    || format!("{from} runs kill -{name} {target}"),
                    || {
                        format!(
                            "{} kill -{name} {target}{} 실행합니다",
                            ko(from, Subject),
                            super::josa::particle_for(&target.to_string(), Object)
                        )
                    },
                )
            }
            Action::KillFromHost { process, signal } => language.either(
                || {
                    format!(
                        "kill -{} {process}, typed in your shell on the node",
                        signal.name().trim_start_matches("SIG")
                    )
                },
                || {
                    format!(
                        "노드에서 연 내 셸에서 kill -{} {process}",
                        signal.name().trim_start_matches("SIG")
                    )
                },
            ),
            Action::Wait { process, nohang } => {
                let flag = if *nohang { "WNOHANG" } else { "0" };
                language.either(
                    || format!("{process} calls waitpid(-1, &status, {flag})"),
                    || {
                        format!(
                            "{} waitpid(-1, &status, {flag})를 호출합니다",
                            ko(process, Subject)
                        )
                    },
                )
            }
            Action::Sigaction {
                process,
                signal,
                action,
            } => language.either(
                || format!("{process} sets {signal} to {}", disposition(*action)),
                || match action {
                    Disposition::Handler => {
                        format!("{} {signal}에 핸들러를 설치합니다", ko(process, Subject))
                    }
                    other => format!(
                        "{} {signal}의 동작을 {} 바꿉니다",
                        ko(process, Subject),
                        ko(disposition(*other), Toward)
                    ),
                },
            ),
            Action::SetSubreaper { process } => language.either(
                || format!("{process} calls prctl(PR_SET_CHILD_SUBREAPER)"),
                || {
                    format!(
                        "{} prctl(PR_SET_CHILD_SUBREAPER)을 호출합니다",
                        ko(process, Subject)
                    )
                },
            ),
            Action::Exec {
                container, comm, ..
            } => format!(
                "kubectl exec {} -c {} -- {comm}",
                container.pod, container.container
            ),
            Action::Debug {
                container, comm, ..
            } => format!(
                "kubectl debug -it {} --image=busybox --target={} -- {comm}",
                container.pod, container.container
            ),
            Action::ExecProbe { container } => language.either(
                || format!("an exec probe runs in {container}"),
                || format!("{container}에서 exec 프로브가 실행됩니다"),
            ),
            Action::StopContainer { container } => language.either(
                || format!("kubelet stops container {container}"),
                || format!("kubelet이 컨테이너 {} 멈춥니다", ko(container, Object)),
            ),
            Action::RestartContainer { container } => language.either(
                || format!("kubelet restarts container {container}"),
                || format!("kubelet이 컨테이너 {} 재시작합니다", ko(container, Object)),
            ),
            Action::KillPause { pod } => language.either(
                || format!("the node kills {pod}'s pause with SIGKILL"),
                || format!("노드가 {pod}의 pause를 SIGKILL로 죽입니다"),
            ),
            Action::DeletePod { pod } => language.either(
                || format!("delete pod {pod}"),
                || format!("파드 {} 지웁니다", ko(pod, Object)),
            ),
            // The line itself, as the reader typed it: it reads the same in both languages.
            Action::Type { line, .. } => format!("$ {line}"),
        }
    }
}
