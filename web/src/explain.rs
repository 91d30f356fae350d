//! What a step did, as lines for the event log: each kernel event with its outcomes, what the
//! runtime said, and refusals, each naming the rule that explains it.

use pauselab_core::pod::{NodeStep, PodError};
use pauselab_core::{Event, Outcome, Rule, Step};

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

fn outcome_line(outcome: &Outcome) -> Line {
    let kind = match outcome {
        Outcome::BecameZombie { .. }
        | Outcome::Reaped { .. }
        | Outcome::AutoReaped { .. }
        | Outcome::Reparented { .. }
        | Outcome::SignalDropped { .. }
        | Outcome::KilledByInitDeath { .. } => LineKind::Reaping,
        _ => LineKind::Outcome,
    };
    Line {
        kind,
        text: outcome.to_string(),
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
pub fn node_step_lines(steps: &[NodeStep]) -> Vec<Line> {
    let mut lines = Vec::new();
    for step in steps {
        match step {
            NodeStep::Kernel { event, outcomes } => {
                lines.push(event_line(event));
                lines.extend(outcomes.iter().map(outcome_line));
            }
            NodeStep::Runtime { message, rule } => lines.push(Line {
                kind: LineKind::Runtime,
                text: message.clone(),
                rule: *rule,
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
pub fn trace_step_lines(step: &Step) -> Vec<Line> {
    let mut lines = vec![event_line(&step.event)];
    lines.extend(step.outcomes.iter().map(outcome_line));
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
        let lines = node_step_lines(node.last_steps());
        assert_eq!(lines[0].kind, LineKind::Event);
        assert!(lines[0].text.contains("kill(1, SIGKILL)"), "{lines:?}");
        let dropped = lines.iter().find(|l| l.rule == Some(Rule::K17)).unwrap();
        assert_eq!(dropped.kind, LineKind::Reaping);
    }
}
