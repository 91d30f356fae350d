//! What a process's program does, for a reader who selects it: a program named after a real
//! one behaves as measured (K30); a made-up name (`app`, `worker`) is generic, and the page
//! says what that means rather than let a reader guess.

use super::josa::Particle::Topic;
use super::{ko, Language, Say};
use crate::pod::{Measured, Program};
use crate::process::{Disposition, Process};
use crate::signal::Signal;

fn names(signals: &[Signal]) -> String {
    signals
        .iter()
        .map(|signal| signal.name())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Say for Program {
    fn say(&self, language: Language) -> String {
        describe_program(self, None, language)
    }
}

/// What `program` does, with the signal dispositions `process` has now when given (a shell
/// a terminal opened has set up more than its program table says: dash ignores TERM).
pub fn describe_program(
    program: &Program,
    process: Option<&Process>,
    language: Language,
) -> String {
    let mut live = program.clone();
    if let Some(process) = process {
        let with = |wanted: Disposition| -> Vec<Signal> {
            Signal::all()
                .filter(|s| *s != Signal::SIGCHLD && process.disposition(*s) == wanted)
                .collect()
        };
        live.catches = with(Disposition::Handler)
            .into_iter()
            .filter(|s| !program.exits_on.contains(s))
            .collect();
        live.exits_on
            .retain(|s| process.disposition(*s) == Disposition::Handler);
        live.ignores = with(Disposition::Ignore);
        live.ignores_sigchld = process.disposition(Signal::SIGCHLD) == Disposition::Ignore;
        live.subreaper = process.is_subreaper();
    }
    live.describe_as(language)
}

impl Program {
    fn describe_as(&self, language: Language) -> String {
        let comm = &self.comm;
        let measured = Measured::find(comm);
        let mut parts: Vec<String> = Vec::new();
        let mut add = |english: String, korean: String| {
            parts.push(language.either(|| english, || korean));
        };
        if !self.exits_on.is_empty() {
            let list = names(&self.exits_on);
            add(
                format!("exits 0 on {list}"),
                format!("받으면 코드 0으로 끝나는 시그널: {list}"),
            );
        }
        if !self.catches.is_empty() {
            let list = names(&self.catches);
            if self.forwards {
                add(
                    format!("passes {list} on to its child"),
                    format!("자식에게 넘기는 시그널: {list}"),
                );
            } else {
                add(
                    format!("catches {list} and goes on"),
                    format!("잡고 계속 실행되는 시그널: {list}"),
                );
            }
        }
        if !self.ignores.is_empty() {
            let list = names(&self.ignores);
            add(
                format!("ignores {list}"),
                format!("무시하는 시그널: {list}"),
            );
        }
        if self.ignores_sigchld {
            add(
                "ignores SIGCHLD, so its children never stay zombies (K15)".into(),
                "SIGCHLD를 무시하므로 자식이 좀비로 남지 않습니다(K15)".into(),
            );
        } else if self.reaps {
            add(
                "waits for every child that exits, adopted orphans too".into(),
                "끝난 자식은 입양된 고아 프로세스까지 모두 wait로 회수합니다".into(),
            );
        } else {
            add(
                "never waits for its children: one that exits stays a zombie".into(),
                "자식을 wait하지 않으므로, 끝난 자식은 좀비 프로세스로 남습니다".into(),
            );
        }
        if self.forwards {
            add(
                "exits with its child's status when the child exits".into(),
                "자식이 끝나면 자식의 종료 코드로 끝납니다".into(),
            );
        }
        if measured.is_some_and(|known| known.workers > 0) {
            add(
                "forks its worker, passes a stop signal on to it and replaces one that dies".into(),
                "워커를 fork하고, 멈춤 시그널은 워커에게 넘기며, 죽은 워커는 새로 띄웁니다".into(),
            );
        }
        if self.subreaper {
            add(
                "is a child subreaper: orphans below it come to it (K13)".into(),
                "자식 서브리퍼이므로 그 아래의 고아 프로세스는 이 프로세스가 입양합니다(K13)"
                    .into(),
            );
        }
        let handlers = !self.exits_on.is_empty() || !self.catches.is_empty();
        if !handlers {
            parts.insert(
                0,
                language.either(
                    || "installs no handlers: every signal does its default action (most end it; to pid 1 of a namespace, one sent from inside is dropped, K17)".to_owned(),
                    || "핸들러를 설치하지 않습니다. 모든 시그널이 기본 동작을 합니다(대부분은 프로세스를 끝냅니다. 네임스페이스의 pid 1에게 안에서 보낸 시그널은 버려집니다, K17)".to_owned(),
                ),
            );
        }
        let others = handlers.then(|| {
            language.either(
                || " Any other signal does its default action (to pid 1 of a namespace, one sent from inside is dropped, K17).".to_owned(),
                || " 그 밖의 시그널은 기본 동작을 합니다(네임스페이스의 pid 1에게 안에서 보낸 시그널은 버려집니다, K17).".to_owned(),
            )
        });
        let others = others.unwrap_or_default();
        match (measured.is_some(), language) {
            (true, Language::English) => {
                format!("{comm} behaves as measured (K30). It {}.{others}", parts.join("; it "))
            }
            (true, Language::Korean) => format!(
                "{} 실측한 대로 동작합니다(K30). {}.{others}",
                ko(comm, Topic),
                parts.join(". ")
            ),
            (false, Language::English) => format!(
                "{comm} is not a real program's name: a generic program, which does only what the scenario gives it. It {}.{others}",
                parts.join("; it ")
            ),
            (false, Language::Korean) => format!(
                "{} 실제 프로그램의 이름이 아닙니다. 시나리오가 준 것만 하는 일반 프로그램입니다. {}.{others}",
                ko(comm, Topic),
                parts.join(". ")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_up_name_is_said_to_be_generic_in_both_languages() {
        let app = Program::named("app");
        let english = app.say(Language::English);
        assert!(
            english.starts_with("app is not a real program's name"),
            "{english}"
        );
        assert!(english.contains("installs no handlers"), "{english}");
        assert!(english.contains("stays a zombie"), "{english}");
        let korean = app.say(Language::Korean);
        assert!(
            korean.starts_with("app은 실제 프로그램의 이름이 아닙니다"),
            "{korean}"
        );
        assert!(korean.contains("좀비"), "{korean}");
        assert_eq!(crate::text::english_leak(&korean), None);
    }

    #[test]
    fn a_measured_program_says_its_source_and_what_its_handlers_do() {
        let nginx = Program::known("nginx");
        let english = nginx.say(Language::English);
        assert!(
            english.starts_with("nginx behaves as measured (K30). It exits 0"),
            "{english}"
        );
        assert!(
            english.contains("exits 0 on SIGINT, SIGQUIT, SIGTERM"),
            "{english}"
        );
        assert!(english.contains("ignores SIGPIPE, SIGSYS"), "{english}");
        assert!(english.contains("forks its worker"), "{english}");
        let tini = Program::known("tini").say(Language::Korean);
        assert_eq!(crate::text::english_leak(&tini), None);
        assert!(tini.contains("자식의 종료 코드로 끝납니다"), "{tini}");
        assert!(tini.contains("자식에게 넘기는 시그널: SIGHUP"), "{tini}");
    }
}

#[cfg(test)]
mod live {
    use super::*;
    use crate::pod::{ContainerRef, Node, PodSpec};

    // dash at a prompt ignores SIGTERM although its table (a -c script) does not: the
    // description says what the process does now.
    #[test]
    fn a_process_is_described_by_the_dispositions_it_has_now() {
        let mut node = Node::new();
        let spec: PodSpec = serde_json::from_value(serde_json::json!({
            "name": "web", "containers": [{"name": "app", "program": {"comm": "app"}}]
        }))
        .unwrap();
        node.create_pod(spec).unwrap();
        let sh = node
            .exec_into(&ContainerRef::new("web", "app"), &Program::named("sh"))
            .unwrap();
        node.kernel(crate::Event::Sigaction {
            pid: sh,
            signal: Signal::SIGTERM,
            action: Disposition::Ignore,
            nocldwait: false,
        })
        .unwrap();
        let process = node.world().process(sh).unwrap();
        let said = describe_program(&Program::known("sh"), Some(process), Language::English);
        assert!(said.contains("it ignores SIGTERM"), "{said}");
        assert!(!Program::known("sh")
            .say(Language::English)
            .contains("ignores SIGTERM"));
    }
}
