//! # pauselab-web-terminal
//!
//! The tutorial's terminal, built as a wasm module of its own: the page fetches it the first
//! time a reader opens the terminal, so the shell's commands (`pauselab_core::shell`: docker's
//! and kubectl's CLIs, procps's `ps`, /proc, `lsns`…) are not part of every visit. It draws the
//! terminal into the page's slot and runs each line on a node of its own — the page's steps in
//! play, replayed — and hands the page what the line did (`Action::Type` with its effects
//! recorded), which the page plays as one of the reader's acts.
//!
//! ```
//! use pauselab_core::text::Language;
//! use pauselab_web_terminal::session::Session;
//!
//! let mut session = Session::new(Language::English);
//! session.sync(Some(&pauselab_core::wire::encode_steps([])), 0, Language::English, 0).unwrap();
//! let entered = session.enter("hostname");
//! assert_eq!(entered.printed, "node-1\n");
//! assert!(entered.record.is_some());
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(target_family = "wasm")]
mod dom;
pub mod session;
#[cfg(test)]
mod tests;

#[cfg(target_family = "wasm")]
use wasm_bindgen::prelude::*;

/// For the page: draws the terminal into `slot`; each line's record goes into `record`, whose
/// `change` the page listens to.
#[cfg(target_family = "wasm")]
#[wasm_bindgen]
pub fn open(slot: web_sys::Element, record: web_sys::HtmlInputElement) -> Result<(), JsValue> {
    dom::open(&slot, record)
}

/// For the page: its steps (`core::wire::encode_steps`), or none for a file; how many are in
/// play; the page's language tag; and the `data-sent` count of the record field when the page
/// queued this call (how many records it had taken).
#[cfg(target_family = "wasm")]
#[wasm_bindgen]
pub fn sync(steps: Option<Vec<u8>>, position: u32, language: &str, seen: u32) {
    let position = usize::try_from(position).unwrap_or(usize::MAX);
    dom::sync(
        steps,
        position,
        pauselab_core::text::Language::from_tag(language),
        usize::try_from(seen).unwrap_or(usize::MAX),
    );
}
