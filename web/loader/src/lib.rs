//! # pauselab-web-loader
//!
//! The tutorial's file reader, built as a wasm module of its own: the page fetches it only when
//! a reader opens a file, so the JSON reader of the file formats (a quarter of what serde costs
//! the page) is not part of every visit. It reads a `pauselab ps --json` snapshot or a
//! `pauselab trace`, checks all of it as [`Timeline::open`] does, and hands the page the
//! timeline as compact bytes ([`pauselab_core::wire`]); or says why not, in both languages.
//!
//! ```
//! let snapshot = pauselab_core::Document::Snapshot(pauselab_core::World::new().to_snapshot());
//! let bytes = pauselab_web_loader::read(&snapshot.to_json()).unwrap();
//! assert_eq!(pauselab_core::Timeline::from_wire(&bytes).unwrap().len(), 0);
//! let why = pauselab_web_loader::read("{").unwrap_err();
//! assert!(!why.english.is_empty() && !why.korean.is_empty());
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

use pauselab_core::text::{Language, Say};
use pauselab_core::Timeline;
use wasm_bindgen::prelude::*;

/// Why a file was refused, said in each of the page's languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// In English.
    pub english: String,
    /// In Korean.
    pub korean: String,
}

/// Reads a file's text into the bytes the page opens.
pub fn read(text: &str) -> Result<Vec<u8>, Refusal> {
    Timeline::open(text)
        .map(|timeline| timeline.to_wire())
        .map_err(|error| Refusal {
            english: error.say(Language::English),
            korean: error.say(Language::Korean),
        })
}

/// For the page: the bytes, or a thrown `[english, korean]`.
#[wasm_bindgen]
pub fn open(text: &str) -> Result<Vec<u8>, JsValue> {
    read(text).map_err(|refusal| {
        js_sys::Array::of2(
            &JsValue::from_str(&refusal.english),
            &JsValue::from_str(&refusal.korean),
        )
        .into()
    })
}
