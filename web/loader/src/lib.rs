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
use pauselab_core::{Event, Timeline};
use wasm_bindgen::prelude::*;

/// Why a file was refused, said in each of the page's languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// In English.
    pub english: String,
    /// In Korean.
    pub korean: String,
}

/// Reads a file's text into the bytes the tutorial's page opens. A trace of a live node
/// (`pauselab serve --live`'s export) is refused, saying where it opens: the page's model is
/// built without the events a live node's trace has.
pub fn read(text: &str) -> Result<Vec<u8>, Refusal> {
    let timeline = open_timeline(text)?;
    if timeline.events().iter().any(Event::is_seen_live) {
        return Err(Refusal {
            english: "This trace was recorded on a live node (pauselab serve --live): its steps are what the kernel was seen doing (forks with the pids it gave, ends, the node drawn anew), which this page's model leaves out to keep its download small. Open it in the live view: live/ beside this page.".into(),
            korean: "이 트레이스는 실시간 노드(pauselab serve --live)에서 기록되었습니다. 단계마다 커널이 한 일을 관찰한 그대로(커널이 준 pid로 한 포크, 종료, 새로 그린 노드) 담겨 있는데, 이 페이지의 모델은 내려받는 크기를 줄이려고 그 부분을 뺐습니다. 이 페이지 옆의 실시간 보기(live/)에서 여세요.".into(),
        });
    }
    Ok(timeline.to_wire())
}

/// Reads a file's text into the bytes the live view (the page built with `live`) opens,
/// a live node's trace included.
pub fn read_live(text: &str) -> Result<Vec<u8>, Refusal> {
    open_timeline(text).map(|timeline| timeline.to_wire())
}

fn open_timeline(text: &str) -> Result<Timeline, Refusal> {
    Timeline::open(text).map_err(|error| Refusal {
        english: error.say(Language::English),
        korean: error.say(Language::Korean),
    })
}

/// For the page: the bytes, or a thrown `[english, korean]`.
#[wasm_bindgen]
pub fn open(text: &str) -> Result<Vec<u8>, JsValue> {
    read(text).map_err(thrown)
}

/// For the live view: the same, a live node's trace included.
#[wasm_bindgen]
pub fn open_live(text: &str) -> Result<Vec<u8>, JsValue> {
    read_live(text).map_err(thrown)
}

fn thrown(refusal: Refusal) -> JsValue {
    js_sys::Array::of2(
        &JsValue::from_str(&refusal.english),
        &JsValue::from_str(&refusal.korean),
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pauselab_core::live::{Between, Follower};
    use pauselab_core::{Document, NsKinds, Pid, Signal, World};

    /// A live node's record, exported as the live view exports it.
    fn live_trace() -> String {
        let mut node = World::new();
        let start = node.to_snapshot();
        let mut follower = Follower::new(&start).unwrap();
        node.apply(Event::Fork {
            pid: Pid(1),
            new: NsKinds::EMPTY,
        })
        .unwrap();
        let outcomes = node
            .apply(Event::Kill {
                pid: Pid(1),
                target: Pid(2),
                signal: Signal::SIGKILL,
            })
            .unwrap();
        assert!(!outcomes.is_empty());
        let mut timeline = Timeline::new(World::from_snapshot(&start).unwrap());
        let ends = [(Pid(2), pauselab_core::ExitStatus::Signaled(Signal::SIGKILL))];
        timeline.extend(
            follower
                .observe(&node.to_snapshot(), &Between::ends(&ends))
                .unwrap(),
        );
        timeline.seek(usize::MAX);
        Document::Trace(timeline.to_trace(None)).to_json()
    }

    #[test]
    fn a_live_nodes_trace_opens_in_the_live_view_and_is_refused_by_name_elsewhere() {
        let trace = live_trace();
        let bytes = read_live(&trace).unwrap();
        let mut opened = Timeline::from_wire(&bytes).unwrap();
        opened.seek(usize::MAX);
        assert!(
            opened.world().process(Pid(2)).is_some(),
            "the zombie is there"
        );
        let refused = read(&trace).unwrap_err();
        assert!(refused.english.contains("live view") && refused.korean.contains("실시간 보기"));
        // Any other file reads the same in both.
        let plain = Document::Snapshot(World::new().to_snapshot()).to_json();
        assert_eq!(read(&plain).unwrap(), read_live(&plain).unwrap());
    }
}
