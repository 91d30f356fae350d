//! What a step did, as lines for the event log: each kernel event with its outcomes, what the
//! runtime said, and refusals, each naming the rule that explains it.

use pauselab_core::pod::{NodeStep, PodError};
use pauselab_core::{Event, Outcome, Rule, Step};

use crate::i18n::Language;

/// What a log line is about, for its style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// A syscall.
    Event,
    /// What the kernel did.
    Outcome,
    /// A zombie appeared, or a process was reaped or reparented: the heart of the tutorial.
    Reaping,
    /// What the runtime or kubelet said.
    Runtime,
    /// A refused event or operation.
    Refusal,
}

/// One line of the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Its style.
    pub kind: LineKind,
    /// The text, in the kernel's vocabulary.
    pub text: String,
    /// The rule that explains it.
    pub rule: Option<Rule>,
}

/// What the kernel did, in Korean for the outcomes the tutorial is about; the rest stay in the
/// kernel's own vocabulary, which Korean documentation uses too.
fn korean(outcome: &Outcome) -> Option<String> {
    Some(match outcome {
        Outcome::BecameZombie {
            pid,
            parent,
            status,
        } => {
            format!("{pid}: 좀비가 됩니다. 부모 {parent}의 wait를 기다립니다 ({status})")
        }
        Outcome::Reaped {
            pid, by, status, ..
        } => {
            format!("{pid}: {by}의 wait로 거둬졌습니다 ({status})")
        }
        Outcome::AutoReaped { pid, parent, .. } => {
            format!("{pid}: 바로 해제됩니다. 부모 {parent}의 설정은 좀비를 남기지 않습니다")
        }
        Outcome::Reparented {
            child,
            from,
            to,
            to_subreaper,
        } => {
            let who = if *to_subreaper { "subreaper" } else { "init" };
            format!("{child}: 부모가 {from}에서 {who} {to}(으)로 바뀝니다")
        }
        Outcome::SignalDropped { from, to, signal } => {
            format!("{from}에서 init {to}에게 보낸 {signal}: 핸들러가 없어 버려집니다")
        }
        Outcome::KilledByInitDeath { pid, ns } => {
            format!("{pid}: pid:[{ns}]의 init이 죽어 함께 죽습니다")
        }
        Outcome::PidNamespaceDying { ns, init } => {
            format!("pid:[{ns}]의 init {init}: 종료했습니다. 네임스페이스가 사라지는 중입니다")
        }
        Outcome::WaitEchild { pid } => {
            format!("{pid}: wait가 ECHILD로 실패합니다. 자식이 없습니다")
        }
        Outcome::WaitNoZombie { pid } => {
            format!("{pid}: wait가 0을 돌려줍니다. 아직 좀비가 없습니다")
        }
        _ => return None,
    })
}

fn outcome_line(language: Language, outcome: &Outcome) -> Line {
    let kind = match outcome {
        Outcome::BecameZombie { .. }
        | Outcome::Reaped { .. }
        | Outcome::AutoReaped { .. }
        | Outcome::Reparented { .. }
        | Outcome::SignalDropped { .. }
        | Outcome::KilledByInitDeath { .. } => LineKind::Reaping,
        _ => LineKind::Outcome,
    };
    let text = match language {
        Language::Korean => korean(outcome).unwrap_or_else(|| outcome.to_string()),
        Language::English => outcome.to_string(),
    };
    Line {
        kind,
        text,
        rule: outcome.rule(),
    }
}

fn event_line(event: &Event) -> Line {
    Line {
        kind: LineKind::Event,
        text: event.to_string(),
        rule: None,
    }
}

/// The lines of a pod-layer step.
pub fn node_step_lines(language: Language, steps: &[NodeStep]) -> Vec<Line> {
    let mut lines = Vec::new();
    for step in steps {
        match step {
            NodeStep::Kernel { event, outcomes } => {
                lines.push(event_line(event));
                lines.extend(outcomes.iter().map(|o| outcome_line(language, o)));
            }
            NodeStep::Runtime { note } => lines.push(Line {
                kind: LineKind::Runtime,
                text: note.to_string(),
                rule: Some(note.rule()),
            }),
        }
    }
    lines
}

/// The line for a refused pod operation.
pub fn refusal_line(error: &PodError) -> Line {
    Line {
        kind: LineKind::Refusal,
        text: error.to_string(),
        rule: error.rule(),
    }
}

/// The lines of a recorded trace step.
pub fn trace_step_lines(language: Language, step: &Step) -> Vec<Line> {
    let mut lines = vec![event_line(&step.event)];
    lines.extend(step.outcomes.iter().map(|o| outcome_line(language, o)));
    if let Some(error) = &step.error {
        lines.push(Line {
            kind: LineKind::Refusal,
            text: error.to_string(),
            rule: None,
        });
    }
    lines
}

#[cfg(test)]
mod tests {
    use pauselab_core::pod::Node;
    use pauselab_core::{Pid, Signal};

    use super::*;

    // K17: the log says why kill -9 1 did nothing, naming the rule.
    #[test]
    fn k17_a_dropped_signal_is_a_highlighted_line_naming_its_rule() {
        let mut node = Node::new();
        let child = node
            .kernel(Event::Fork {
                pid: node.runtime(),
                new: pauselab_core::NsKinds::of(&[pauselab_core::NsKind::Pid]),
            })
            .unwrap();
        let child = child
            .iter()
            .find_map(|o| match o {
                Outcome::Forked { child, .. } => Some(*child),
                _ => None,
            })
            .unwrap();
        node.kernel(Event::Fork {
            pid: child,
            new: pauselab_core::NsKinds::EMPTY,
        })
        .unwrap();
        node.kernel(Event::Kill {
            pid: Pid(child.0 + 1),
            target: Pid(1),
            signal: Signal::SIGKILL,
        })
        .unwrap();
        let lines = node_step_lines(Language::English, node.last_steps());
        assert_eq!(lines[0].kind, LineKind::Event);
        assert!(lines[0].text.contains("kill(1, SIGKILL)"), "{lines:?}");
        let dropped = lines.iter().find(|l| l.rule == Some(Rule::K17)).unwrap();
        assert_eq!(dropped.kind, LineKind::Reaping);
        assert!(dropped.text.contains("dropped"), "{dropped:?}");
        let korean = node_step_lines(Language::Korean, node.last_steps());
        let dropped = korean.iter().find(|l| l.rule == Some(Rule::K17)).unwrap();
        assert!(dropped.text.contains("버려집니다"), "{dropped:?}");
    }
}
