//! Opening a file from a real machine: the picker, and the reading shared with drag-and-drop.
//! The file's text goes to the file reader, a second wasm module (`web/loader`) that the page
//! fetches the first time a file is opened, so that its JSON reader is not part of every visit.

use std::rc::Rc;

use pauselab_core::scenario::Text;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

use super::{use_store, Store};
use crate::state::{Action, Loaded, Unreadable};

#[wasm_bindgen(inline_js = r#"
let reader;
// The reader module, fetched and started once; fetched again if that failed.
function file_reader() {
  if (!reader) {
    const url = new URL("loader/pauselab_web_loader.js", document.baseURI).href;
    reader = import(url).then(async (module) => { await module.default(); return module; });
    reader.catch(() => { reader = undefined; });
  }
  return reader;
}
export function read_in_file_reader(text) { return file_reader().then((module) => module.open(text)); }
// The live view reads a live node's trace too.
export function read_live_in_file_reader(text) { return file_reader().then((module) => module.open_live(text)); }
"#)]
extern "C" {
    /// Resolves to the timeline's bytes; rejects with `[english, korean]` when the reader
    /// refuses the file, or with the browser's error when the reader cannot be had.
    #[cfg(not(feature = "live"))]
    fn read_in_file_reader(text: &str) -> js_sys::Promise;
    /// The same for the live view, which opens a live node's trace too.
    #[cfg(feature = "live")]
    #[wasm_bindgen(js_name = read_live_in_file_reader)]
    fn read_in_file_reader(text: &str) -> js_sys::Promise;
}

/// What the file reader made of a file's text.
async fn read(text: &str) -> Loaded {
    match JsFuture::from(read_in_file_reader(text)).await {
        Ok(bytes) => Loaded::Wire(Rc::from(js_sys::Uint8Array::new(&bytes).to_vec())),
        Err(thrown) if js_sys::Array::is_array(&thrown) => {
            let why = js_sys::Array::from(&thrown);
            match (why.get(0).as_string(), why.get(1).as_string()) {
                (Some(en), Some(ko)) => Loaded::Refused(Text { en, ko }),
                _ => Loaded::ReaderMissing,
            }
        }
        Err(_) => Loaded::ReaderMissing,
    }
}

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
        let action = match text {
            Some(text) => Action::Load(name, read(&text).await),
            None => Action::Unreadable(name, Unreadable::NotText),
        };
        store.dispatch(action);
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
