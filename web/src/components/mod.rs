//! The page, one component per file. Each reads the app's state from the [`Store`] context and
//! dispatches [`Action`](crate::state::Action)s; none of them holds semantics of its own.

mod act_panel;
mod app;
mod event_log;
mod file_loader;
mod header;
mod narrative;
mod notice;
mod pod_toggles;
mod pod_view;
mod process_row;
mod process_view;
mod scenario_picker;
mod timeline;

pub use app::App;

use pauselab_core::NsId;
use yew::UseReducerHandle;

use crate::state::State;

/// The app's state, shared with every component.
pub type Store = UseReducerHandle<State>;

/// The app's state, from inside any component: every component sits under [`App`], which
/// provides it, so its absence is a bug in the page, not bad input.
#[yew::hook]
pub fn use_store() -> Store {
    yew::use_context::<Store>().expect("the store is provided by App")
}

/// A color per namespace identity, so that equal identities look equal at a glance (K1).
pub fn ns_color(ns: NsId) -> String {
    // Consecutive ids land far apart on the color wheel.
    let hue = (u64::from(ns.0).wrapping_mul(137)) % 360;
    format!("hsl({hue} 70% 85%)")
}
