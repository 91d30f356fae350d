//! The page: the reducer, and the effects that connect it to the browser — the URL, the
//! document's language, playback, the keyboard, dropped files and the scenarios fetched when
//! opened.

use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::act_panel::ActPanel;
use super::event_log::EventLog;
use super::file_loader::read_file;
use super::header::Header;
use super::narrative::Narrative;
use super::notice::Notice;
use super::pod_view::PodView;
use super::process_view::ProcessView;
use super::scenario_fetch::fetch;
use super::terminal_panel::{follow, terminal_panel};
use super::timeline::TimelineBar;
use super::Store;
use crate::i18n::Language;
use crate::state::{Action, Link, State};

/// The page's markup, with `$live` after the header: the "this node" view's status and export
/// in the `live` build, nothing at all in the tutorial's (an empty slot costs its download).
macro_rules! layout {
    ($store:expr, $ondragover:expr, $ondrop:expr, $terminal:expr, $($live:tt)*) => {
        html! {
            <ContextProvider<Store> context={$store}>
                <div class="app" ondragover={$ondragover} ondrop={$ondrop}>
                    <Header />
                    $($live)*
                    <Notice />
                    <main class="layout">
                        <section class="column story">
                            <Narrative />
                            <TimelineBar />
                            { $terminal }
                            <EventLog />
                        </section>
                        <section class="column world">
                            <PodView />
                            <ProcessView />
                            <ActPanel />
                        </section>
                    </main>
                </div>
            </ContextProvider<Store>>
        }
    };
}

/// How long each step shows while playing.
const PLAY_INTERVAL_MS: u32 = 1_500;

fn browser_language() -> Language {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .map(|tag| Language::from_tag(&tag))
        .unwrap_or_default()
}

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The whole app.
#[function_component(App)]
pub fn app() -> Html {
    let store: Store = use_reducer(|| {
        State::new(browser_language()).reduce(Action::Restore(Link::parse(&location_hash())))
    });

    // The URL and <html lang> follow the moment on screen.
    {
        let fragment = store.link().to_fragment();
        let language = store.language;
        let terminal = store.clone();
        use_effect_with((fragment, language), move |(fragment, language)| {
            follow(&terminal);
            crate::js::set_link(&format!("#{fragment}"), language.tag());
        });
    }

    // A scenario that is wanted but not read yet is fetched; the reducer takes what comes.
    {
        let wanted = store.wanted.as_ref().map(|wanted| wanted.id().to_owned());
        let store = store.clone();
        use_effect_with(wanted, move |wanted| {
            if let Some(id) = wanted {
                fetch(id.clone(), store);
            }
        });
    }

    // Playback: a step every interval while playing.
    {
        let store = store.clone();
        use_effect_with(store.playing, move |playing| {
            let interval = playing
                .then(|| Interval::new(PLAY_INTERVAL_MS, move || store.dispatch(Action::Forward)));
            move || drop(interval)
        });
    }

    // Keys for the timeline, unless the reader is typing in a field.
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|window| {
                // Not passive: the arrows and Space must not also scroll the page.
                let options = gloo_events::EventListenerOptions::enable_prevent_default();
                gloo_events::EventListener::new_with_options(
                    &window,
                    "keydown",
                    options,
                    move |event| {
                        let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                            return;
                        };
                        if event.ctrl_key() || event.meta_key() || event.alt_key() {
                            return;
                        }
                        let tag = event
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                            .map(|el| el.tag_name())
                            .unwrap_or_default();
                        let typing = matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA");
                        // Space on a focused button presses it.
                        let on_button = tag == "BUTTON";
                        let action = match event.key().as_str() {
                            "ArrowRight" if !typing => Action::Forward,
                            "ArrowLeft" if !typing => Action::Back,
                            "Home" if !typing => Action::Seek(0),
                            "End" if !typing => Action::Seek(store.position().1),
                            " " if !typing && !on_button => Action::Play(!store.playing),
                            "Escape" => Action::Dismiss,
                            _ => return,
                        };
                        event.prevent_default();
                        store.dispatch(action);
                    },
                )
            });
            move || drop(listener)
        });
    }

    let ondragover = Callback::from(|event: DragEvent| event.prevent_default());
    let ondrop = {
        let store = store.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            let file = event
                .data_transfer()
                .and_then(|data| data.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                read_file(file, store.clone());
            }
        })
    };

    let terminal = terminal_panel(&store);
    #[cfg(feature = "live")]
    return layout!(store, ondragover, ondrop, terminal, <super::live_feed::LiveFeed />);
    #[cfg(not(feature = "live"))]
    layout!(store, ondragover, ondrop, terminal,)
}
