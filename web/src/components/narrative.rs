//! The story: the scenario's question, what the current step says, and what holds now — the
//! step's checks and, at the end, the reader's challenge.

use yew::prelude::*;

use super::{class_of, use_store};
use crate::i18n::{Language, Say};
use crate::state::{Check, Source};

fn checks_list(language: Language, checks: &[Check]) -> Html {
    html! {
        <ul class="checks">
            { for checks.iter().map(|check| {
                let ok = check.result.is_ok();
                html! {
                    <li class={if ok { "check ok" } else { "check failed" }}>
                        <span class="mark" aria-hidden="true">{ if ok { "✓" } else { "✗" } }</span>
                        { check.expect.say(language) }
                        if let Err(mismatch) = &check.result {
                            // The check's own wording is above; what the model found is the news.
                            <div class="found">{ mismatch.found.say(language) }</div>
                        }
                    </li>
                }
            }) }
        </ul>
    }
}

/// The narrative panel.
#[function_component(Narrative)]
pub fn narrative() -> Html {
    let store = use_store();
    let language = store.language;
    let strings = language.page();
    let lesson = match &store.source {
        Source::Lesson(lesson) => lesson,
        #[cfg(feature = "live")]
        Source::File { name, timeline } if name == crate::state::LIVE_NAME => {
            return super::live_feed::narrative(language, timeline.len());
        }
        Source::File { name, timeline } => {
            return html! {
                <article class="narrative">
                    <h2>{ strings.loaded_file }{ ": " }<code>{ name.clone() }</code></h2>
                    <p>{ strings.file_no_pods }</p>
                    <p class="muted">{ format!("{} {}", timeline.len(), strings.step) }</p>
                </article>
            };
        }
    };
    let written = &lesson.written;
    let steps = lesson.steps();
    let current = lesson.position().checked_sub(1);
    let say = match current {
        Some(index) => {
            let mine = !lesson.is_scenario_step(index);
            html! {
                <p class={class_of("say", &[mine.then_some("mine")])} aria-live="polite">
                    if mine { <strong>{ strings.your_step }{ ": " }</strong> }
                    { language.pick(&steps[index].say).to_owned() }
                </p>
            }
        }
        None => html! { <p class="say muted">{ strings.start_hint }</p> },
    };
    let checks = current
        .and_then(|index| lesson.logs().get(index))
        .filter(|log| !log.checks.is_empty())
        .map(|log| {
            html! {
                <section class="checks-box">
                    <h3>{ strings.checks }</h3>
                    { checks_list(language, &log.checks) }
                </section>
            }
        });
    let challenge = lesson.challenge().zip(written.challenge.as_ref()).map(|(checks, challenge)| {
        let done = checks.iter().all(|c| c.result.is_ok());
        html! {
            <section class={class_of("challenge", &[done.then_some("done")])}>
                <h3>{ strings.challenge }{ if done { format!(" — {}", strings.challenge_done) } else { String::new() } }</h3>
                <p>{ language.pick(&challenge.say).to_owned() }</p>
                { checks_list(language, &checks) }
                <details>
                    <summary>{ strings.hint }</summary>
                    <p>{ language.pick(&challenge.hint).to_owned() }</p>
                </details>
            </section>
        }
    });
    html! {
        <article class="narrative">
            <h2>{ language.pick(&written.title).to_owned() }</h2>
            <p class="question"><strong>{ strings.question }{ ": " }</strong>{ language.pick(&written.question).to_owned() }</p>
            if !written.rules.is_empty() {
                <p class="rules">
                    { for written.rules.iter().map(|rule| html! {
                        <abbr class="rule" title={rule.say(language)}>{ rule.id() }</abbr>
                    }) }
                    { for written.sources.iter().map(|source| html! { <cite>{ source.clone() }</cite> }) }
                </p>
            }
            { say }
            { checks }
            { challenge }
        </article>
    }
}
