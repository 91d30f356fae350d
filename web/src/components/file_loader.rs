//! Opening a file from a real machine: the picker, and the reading shared with drag-and-drop.

use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

use super::{use_store, Store};
use crate::state::{Action, Unreadable};

/// Files larger than this are refused before reading: a trace of a busy machine is a few MB.
const MAX_FILE_MB: f64 = 64.0;

/// Reads a file's text and dispatches it; a file that cannot be read is reported the same way
/// as one that does not parse, leaving the view as it was.
pub fn read_file(file: web_sys::File, store: Store) {
    let name = file.name();
    if file.size() > MAX_FILE_MB * 1024.0 * 1024.0 {
        store.dispatch(Action::Unreadable(name, Unreadable::TooBig));
        return;
    }
    spawn_local(async move {
        let text = JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|value| value.as_string());
        store.dispatch(match text {
            Some(text) => Action::Load(name, text),
            None => Action::Unreadable(name, Unreadable::NotText),
        });
    });
}

/// The file picker.
#[function_component(FileLoader)]
pub fn file_loader() -> Html {
    let store = use_store();
    let strings = store.language.page();
    let onchange = {
        let store = store.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                read_file(file, store.clone());
            }
            // The same file can be chosen again after fixing it.
            input.set_value("");
        })
    };
    html! {
        <div class="file-loader">
            <label class="button" for="file-input">{ strings.open_file }</label>
            <input id="file-input" class="visually-hidden" type="file" accept=".json,application/json" {onchange} />
            <span class="hint">{ strings.drop_hint }</span>
        </div>
    }
}
