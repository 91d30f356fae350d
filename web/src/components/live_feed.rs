//! The "this node" view's link to the server (the `live` build only): an EventSource on
//! `live/events`, each message dispatched as it comes; a line that says how the view stands
//! with the node; and the record so far exported as a trace (`pauselab trace`'s format), which
//! opens in any copy of the tutorial and in `pauselab`.

use std::rc::Rc;

use pauselab_core::{wire, Document};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_store;
use crate::i18n::Language;
use crate::state::{Action, LiveMessage, LiveStatus, Source, LIVE_NAME};

/// The view's own words, in each language.
fn say(
    language: Language,
    status: LiveStatus,
    steps: usize,
    resumed: Option<usize>,
    earlier: Option<usize>,
) -> String {
    let korean = language == Language::Korean;
    let mut line = say_status(korean, status, steps);
    if let Some(step) = resumed {
        line.push(' ');
        line.push_str(&if korean {
            format!("서버가 새 기록을 시작해서, 이 기록은 {step}단계에서 노드를 새로 그린 뒤 이어집니다. 그 전의 단계도 모두 남아 있습니다.")
        } else {
            format!("The server started a new record: this one goes on from it, drawing the node anew at step {step}, with every step before still here.")
        });
    }
    if let Some(earlier) = earlier {
        line.push(' ');
        line.push_str(&if korean {
            format!("기록이 너무 길어져 새로 시작했습니다. 이전 기록 {earlier}단계는 아직 내보낼 수 있습니다.")
        } else {
            format!("The record grew too long and started anew; the earlier one, {earlier} steps, can still be exported.")
        });
    }
    line
}

fn say_status(korean: bool, status: LiveStatus, steps: usize) -> String {
    match status {
        LiveStatus::Waiting if korean => "이 노드에 연결하는 중…".into(),
        LiveStatus::Waiting => "Connecting to this node…".into(),
        LiveStatus::Lost if korean => {
            "노드와 연결이 끊겼습니다. 다시 연결하는 중이며, 화면은 마지막으로 본 모습입니다."
                .into()
        }
        LiveStatus::Lost => {
            "The node is out of reach: reconnecting. The picture is the last one seen.".into()
        }
        LiveStatus::Closed if korean => {
            "서버가 스트림을 거절했습니다(새 토큰이거나 열린 페이지가 너무 많습니다). 서버가 알려 준 URL로 페이지를 다시 여세요. 화면은 마지막으로 본 모습입니다.".into()
        }
        LiveStatus::Closed => {
            "The server refused the stream (a new token, or too many pages open): reopen the URL it printed. The picture is the last one seen.".into()
        }
        LiveStatus::Broken if korean => {
            "서버가 보낸 기록의 시작을 읽을 수 없어, 다음 시작까지 변화를 건너뜁니다.".into()
        }
        LiveStatus::Broken => {
            "The record's start from the server did not read: its changes are left out until the next start.".into()
        }
        LiveStatus::Following { unread } => {
            let mut line = if korean {
                format!("이 노드를 실시간으로 따라가는 중: 지금까지 {steps}단계")
            } else {
                format!("Following this node live: {steps} steps so far")
            };
            if unread > 0 {
                line.push_str(&if korean {
                    format!(" (읽을 수 없는 메시지 {unread}개는 건너뜀)")
                } else {
                    format!(" ({unread} unreadable messages left out)")
                });
            }
            line
        }
    }
}

/// What the narrative panel says of the live view, in place of a file's words.
pub fn narrative(language: Language, steps: usize) -> Html {
    let (title, say, count) = if language == Language::Korean {
        (
            "이 노드, 실시간",
            "이 노드의 /proc을 따라가는 중입니다. 포크, 종료, 좀비, 회수, 새로 생기거나 지워진 파드가 일어나는 대로 단계로 더해집니다. 뒤로 가서 다시 볼 수 있고, 마지막 단계에 있으면 새 단계를 따라갑니다.",
            format!("지금까지 {steps}단계"),
        )
    } else {
        (
            "This node, live",
            "Following this node's /proc: forks, exits, zombies, reaping and pods that come and go are added as steps as they happen. Step back to look again; at the newest step, the view follows the node.",
            format!("{steps} steps so far"),
        )
    };
    html! {
        <article class="narrative">
            <h2>{ title }{ ": " }<code>{ LIVE_NAME }</code></h2>
            <p>{ say }</p>
            <p class="muted">{ count }</p>
        </article>
    }
}

/// The stream, open while the view is on screen.
struct Stream {
    source: web_sys::EventSource,
    _listeners: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.source.close();
    }
}

fn open(dispatch: Callback<Action>) -> Option<Stream> {
    let source = web_sys::EventSource::new("live/events").ok()?;
    let mut listeners = Vec::new();
    for (kind, make) in [
        ("start", LiveMessage::Start as fn(Rc<[u8]>) -> LiveMessage),
        ("change", LiveMessage::Change),
    ] {
        let dispatch = dispatch.clone();
        let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let Some(data) = event
                .dyn_ref::<web_sys::MessageEvent>()
                .and_then(|m| m.data().as_string())
            else {
                return;
            };
            // Bytes that do not decode are a message the state leaves out, and counts.
            let bytes = wire::from_base64url(&data).unwrap_or_default();
            dispatch.emit(Action::Live(make(Rc::from(bytes))));
        });
        source
            .add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref())
            .ok()?;
        listeners.push(listener);
    }
    // An error while connecting or connected: the browser tries again, unless the server
    // answered with something else than a stream (then the EventSource is closed for good).
    let watched = source.clone();
    let on_error = dispatch.clone();
    let lost = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        let message = if watched.ready_state() == web_sys::EventSource::CLOSED {
            LiveMessage::Closed
        } else {
            LiveMessage::Lost
        };
        on_error.emit(Action::Live(message));
    });
    source
        .add_event_listener_with_callback("error", lost.as_ref().unchecked_ref())
        .ok()?;
    listeners.push(lost);
    let open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        dispatch.emit(Action::Live(LiveMessage::Open));
    });
    source
        .add_event_listener_with_callback("open", open.as_ref().unchecked_ref())
        .ok()?;
    listeners.push(open);
    Some(Stream {
        source,
        _listeners: listeners,
    })
}

/// The whole record as a trace file, offered for download.
fn export(timeline: &pauselab_core::Timeline) {
    let mut whole = timeline.clone();
    whole.seek(usize::MAX);
    let trace = whole.to_trace(Some("pauselab serve --live".into()));
    download(&Document::Trace(trace).to_json());
}

/// Offers the trace as a download.
fn download(json: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&JsValue::from_str(json));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download("pauselab-this-node.trace.json");
    link.click();
    web_sys::Url::revoke_object_url(&url).ok()
}

/// The status line and the export button, with the stream behind them.
#[function_component(LiveFeed)]
pub fn live_feed() -> Html {
    let store = use_store();
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            // The token came in the address; its cookie carries it now. Out of the address, it
            // is in no history entry and no link a reader shares.
            if let Some(window) = web_sys::window() {
                let location = window.location();
                if location.search().is_ok_and(|query| !query.is_empty()) {
                    let bare = format!(
                        "{}{}",
                        location.pathname().unwrap_or_default(),
                        location.hash().unwrap_or_default()
                    );
                    if let Ok(history) = window.history() {
                        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&bare));
                    }
                }
            }
            let dispatch = Callback::from(move |action| store.dispatch(action));
            let stream = open(dispatch);
            move || drop(stream)
        });
    }
    let steps = store.live_record.as_ref().map_or(0, |record| record.len());
    let watching = matches!(&store.source, Source::File { name, .. } if name == LIVE_NAME);
    let korean = store.language == Language::Korean;
    let onclick = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(record) = &store.live_record {
                export(record);
            }
        })
    };
    let earlier = store.live_earlier.as_ref().map(|t| t.len());
    let show = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Live(LiveMessage::Show)))
    };
    let export_earlier = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(timeline) = &store.live_earlier {
                export(timeline);
            }
        })
    };
    html! {
        <div class="live-feed" role="status">
            <span class="live-status">{ say(store.language, store.live, steps, store.live_resumed, earlier) }</span>
            <button class="button live-export" {onclick} disabled={steps == 0 && store.live == LiveStatus::Waiting}>
                { if korean { "지금까지를 트레이스로 내보내기" } else { "Export the record as a trace" } }
            </button>
            if !watching && store.live_record.is_some() {
                <button class="button live-show" onclick={show}>
                    { if korean { "이 노드로 돌아가기" } else { "Back to this node" } }
                </button>
            }
            if earlier.is_some() {
                <button class="button live-export-earlier" onclick={export_earlier}>
                    { if korean { "이전 기록 내보내기" } else { "Export the earlier record" } }
                </button>
            }
        </div>
    }
}
