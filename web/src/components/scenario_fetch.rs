//! Fetching a guided scenario's steps when it is opened: the page carries only the first
//! scenario and the list of all, and each other one is a file beside the page,
//! `scenarios/<id>.wire` (written by the build from `core/scenarios/`).

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};

use super::Store;
use crate::state::{Action, Fetched};

#[wasm_bindgen(inline_js = r#"
export function fetch_scenario(id) {
  const url = new URL("scenarios/" + id + ".wire", document.baseURI).href;
  return fetch(url).then((response) =>
    response.ok ? response.arrayBuffer() : Promise.reject(response.status));
}
"#)]
extern "C" {
    /// Resolves to the file's bytes; rejects when there is no answer or no such file.
    fn fetch_scenario(id: &str) -> js_sys::Promise;
}

/// Fetches the scenario `id` and hands what came to the reducer. The id is one the catalog
/// lists, and ids are checked when the scenarios are read (`Scenario::is_id`), so it is a plain
/// file name.
pub fn fetch(id: String, store: Store) {
    spawn_local(async move {
        let fetched = match JsFuture::from(fetch_scenario(&id)).await {
            Ok(bytes) => Fetched::Wire(Rc::from(js_sys::Uint8Array::new(&bytes).to_vec())),
            Err(_) => Fetched::Missing,
        };
        store.dispatch(Action::Fetched(id, fetched));
    });
}
