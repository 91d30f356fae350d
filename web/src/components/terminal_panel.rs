//! The terminal: a panel that fetches a third wasm module (`web/terminal`) the first time it is
//! opened, so that the shell's commands (docker's, kubectl's, ps, /proc…) are not part of every
//! visit. The module draws the terminal and runs each line on a node of its own, rebuilt from
//! the steps in play that the page hands it; the page plays what a line did as one of the
//! reader's acts (an `Action::Type` with its effects recorded), so the pictures, the log, undo
//! and the link follow typed lines as they follow clicks.
//!
//! The module hands a line's record back as a link carries actions (core::wire's bytes in
//! base64url), written into a hidden field whose change the page listens to: no closure
//! crosses from the page to the module.

use pauselab_core::wire;
use yew::prelude::*;

use super::Store;
use crate::js::{open_terminal, sync_terminal, terminal_opened};
use crate::state::Action;

/// Hands the terminal the lesson's steps and how many are in play (the one after them is the
/// next, whose commands it shows); none for a file, which has no node to type into.
fn sync(store: &Store) {
    let lesson = store.lesson();
    let steps = lesson.map(|lesson| {
        wire::encode_steps(lesson.steps().iter().map(|step| step.actions.as_slice()))
    });
    let position = lesson.map_or(0, |lesson| lesson.position());
    sync_terminal(
        steps.as_deref().unwrap_or_default(),
        steps.is_some(),
        u32::try_from(position).unwrap_or(u32::MAX),
        store.language.tag(),
    );
}

/// Hands the terminal the moment on screen, if it is open: the page's effect for the URL calls
/// this, on the same change.
pub fn follow(store: &Store) {
    if terminal_opened() {
        sync(store);
    }
}

/// The panel, closed until the reader opens it: part of the app's own markup (a component of
/// its own would cost the page's download more than the panel's few lines).
pub fn terminal_panel(store: &Store) -> Html {
    // A click on the summary opens it (toggle events do not bubble to Yew's listeners).
    let onclick = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            if !terminal_opened() {
                open_terminal();
                sync(&store);
            }
        })
    };
    let onchange = {
        let store = store.clone();
        Callback::from(move |event: Event| {
            let field: web_sys::HtmlInputElement = event.target_unchecked_into();
            let bytes = wire::from_base64url(&field.value()).unwrap_or_default();
            for action in wire::decode_actions(&bytes).unwrap_or_default() {
                store.dispatch(Action::Act(Box::new(action)));
            }
        })
    };
    html! {
        <details class="terminal-panel">
            <summary {onclick}>{ store.language.page().terminal }</summary>
            <div class="terminal-slot"></div>
            <input class="terminal-record" type="hidden" {onchange} />
        </details>
    }
}
