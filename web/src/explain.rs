//! What a step did, as lines for the event log: each kernel event with its outcomes, what the
//! runtime said, and refusals, each naming the rule that explains it.

use pauselab_core::pod::{NodeStep, PodError};
use pauselab_core::{Event, Outcome, Rule, Step};

use crate::i18n::{Language, Say};

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

fn outcome_line(language: Language, outcome: &Outcome) -> Line {
    let kind = match outcome {
        Outcome::BecameZombie { .. }
        | Outcome::Reaped { .. }
        | Outcome::AutoReaped { .. }
        | Outcome::Reparented { .. }
        | Outcome::SignalDropped { .. }
        | Outcome::KilledByInitDeath { .. } => LineKind::Reaping,
        #[cfg(feature = "live")]
        Outcome::EndedUnseen { .. } | Outcome::CollectedOutside { .. } => LineKind::Reaping,
        _ => LineKind::Outcome,
    };
    Line {
        kind,
        text: outcome.say(language),
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
                text: note.say(language),
                rule: Some(note.rule()),
            }),
            NodeStep::Typed { line, said, .. } => lines.extend(
                pauselab_core::text::transcript(line, said, language)
                    .lines()
                    .map(|text| Line {
                        kind: LineKind::Runtime,
                        text: text.to_owned(),
                        rule: None,
                    }),
            ),
        }
    }
    lines
}

/// The line for a refused pod operation.
pub fn refusal_line(language: Language, error: &PodError) -> Line {
    Line {
        kind: LineKind::Refusal,
        text: error.say(language),
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
            text: error.say(language),
            rule: error.rule(),
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
        assert!(dropped.text.contains("버려졌습니다"), "{dropped:?}");
    }
}
