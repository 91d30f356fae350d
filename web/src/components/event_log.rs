//! Every step in a log: the steps taken so far with what the kernel and the runtime did, each
//! line naming its rule, and the steps still ahead.

use yew::prelude::*;

use super::{class_of, use_store};
use crate::explain::{node_step_lines, refusal_line, trace_step_lines, Line, LineKind};
use crate::i18n::{Language, Say};
use crate::state::{Action, Source};

/// Steps shown before the current one: enough to follow, few enough to re-render in a frame
/// on a trace of thousands of steps.
const BEFORE: usize = 40;
/// Steps shown after it.
const AFTER: usize = 10;

fn line_html(language: Language, line: &Line) -> Html {
    let class = match line.kind {
        LineKind::Event => "event",
        LineKind::Outcome => "outcome",
        LineKind::Reaping => "reaping",
        LineKind::Runtime => "runtime",
        LineKind::Refusal => "refusal",
    };
    // The lines a reader must not miss carry their explanation in full.
    let explain = matches!(
        line.kind,
        LineKind::Reaping | LineKind::Refusal | LineKind::Runtime
    );
    html! {
        <li class={class_of("line", &[Some(class)])}>
            <code>{ line.text.clone() }</code>
            if let Some(rule) = line.rule {
                { " " }
                <abbr class="rule" title={format!("{} — {}", rule.say(language), rule.source())}>{ rule.id() }</abbr>
                if explain {
                    <span class="why">{ rule.say(language) }<cite>{ rule.source() }</cite></span>
                }
            }
        </li>
    }
}

struct Entry {
    title: String,
    mine: bool,
    lines: Option<Vec<Line>>,
}

/// The event log.
#[function_component(EventLog)]
pub fn event_log() -> Html {
    let store = use_store();
    let language = store.language;
    let strings = language.page();
    let (position, len) = store.position();
    let first = position.saturating_sub(BEFORE);
    let last = (position + AFTER).min(len);
    let entries: Vec<Entry> = match &store.source {
        Source::Lesson(lesson) => {
            let steps = lesson.steps();
            (first..last)
                .map(|index| Entry {
                    title: language.pick(&steps[index].say).to_owned(),
                    mine: !lesson.is_scenario_step(index),
                    lines: lesson.logs().get(index).map(|log| {
                        let mut lines = node_step_lines(language, &log.node_steps);
                        lines.extend(
                            log.refused
                                .iter()
                                .map(|error| refusal_line(language, error)),
                        );
                        lines.extend(log.failure.iter().map(|failure| Line {
                            kind: LineKind::Refusal,
                            text: failure.say(language),
                            rule: None,
                        }));
                        lines
                    }),
                })
                .collect()
        }
        Source::File { timeline, .. } => (first..last)
            .map(|index| Entry {
                title: timeline.events()[index].to_string(),
                mine: false,
                lines: timeline
                    .applied()
                    .get(index)
                    .map(|step| trace_step_lines(language, step)),
            })
            .collect(),
    };
    html! {
        <section class="event-log" aria-label={strings.event_log}>
            <h3>{ strings.event_log }</h3>
            <p class="muted small">{ strings.host_pids }</p>
            if entries.is_empty() {
                <p class="muted">{ strings.nothing_yet }</p>
            }
            <ol start={(first + 1).to_string()}>
                { for entries.into_iter().enumerate().map(|(offset, entry)| {
                    let index = first + offset;
                    let current = index + 1 == position;
                    let onclick = {
                        let store = store.clone();
                        Callback::from(move |_: MouseEvent| store.dispatch(Action::Seek(index + 1)))
                    };
                    html! {
                        <li key={index} class={class_of("log-step", &[current.then_some("current"), entry.lines.is_none().then_some("ahead"), entry.mine.then_some("mine")])}
                            aria-current={current.then_some("step")}>
                            <button class="step-title" {onclick}>
                                if entry.mine { <strong>{ strings.your_step }{ ": " }</strong> }
                                { entry.title }
                            </button>
                            if let Some(lines) = entry.lines.filter(|_| current) {
                                <ul class="lines">{ for lines.iter().map(|line| line_html(language, line)) }</ul>
                            }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
