//! The timeline's controls: reset, back, play, forward, end, and a slider over every step.

use yew::prelude::*;

use super::use_store;
use crate::state::Action;

/// The timeline bar.
#[function_component(TimelineBar)]
pub fn timeline_bar() -> Html {
    let store = use_store();
    let strings = store.language.page();
    let (position, len) = store.position();
    let send = |action: Action| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(action.clone()))
    };
    let oninput = {
        let store = store.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            if let Ok(position) = input.value().parse() {
                store.dispatch(Action::Seek(position));
            }
        })
    };
    let playing = store.playing;
    html! {
        <nav class="timeline" aria-label={strings.timeline}>
            <div class="buttons">
                <button id="reset" onclick={send(Action::Seek(0))} disabled={position == 0} title={strings.reset}>{ "«" }<span class="label">{ strings.reset }</span></button>
                <button id="back" onclick={send(Action::Back)} disabled={position == 0} title={strings.back}>{ "‹" }<span class="label">{ strings.back }</span></button>
                <button id="play" onclick={send(Action::Play(!playing))} disabled={len == 0} aria-pressed={playing.to_string()}>
                    { if playing { "❚❚" } else { "▶" } }<span class="label">{ if playing { strings.pause_playback } else { strings.play } }</span>
                </button>
                <button id="forward" onclick={send(Action::Forward)} disabled={position >= len} title={strings.forward}>{ "›" }<span class="label">{ strings.forward }</span></button>
                <button id="end" onclick={send(Action::Seek(len))} disabled={position >= len} title={strings.to_end}>{ "»" }<span class="label">{ strings.to_end }</span></button>
            </div>
            <label class="slider">
                <span id="position">{ format!("{} {position} {} {len}", strings.step, strings.of) }</span>
                <input type="range" min="0" max={len.to_string()} value={position.to_string()} {oninput} aria-label={strings.step} />
            </label>
            <p class="keys muted">{ strings.keys }</p>
        </nav>
    }
}
