//! The pauselab tutorial in the browser: pods, namespaces and zombies you can step through, in
//! English and Korean.
//!
//! Every answer comes from [`pauselab_core`]; this crate only draws and dispatches. Its state
//! is one reducer ([`state::State`] with [`state::Action`]), pure and tested on the host:
//!
//! ```
//! use pauselab_core::{scenario::Scenario, wire};
//! use pauselab_web::state::{Action, Fetched, State};
//!
//! let state = State::default().reduce(Action::Open("zombies".into()));
//! // The page fetches scenarios/zombies.wire, which the build wrote, and hands over what came.
//! let zombies: Vec<Scenario> = Scenario::all().unwrap().into_iter().filter(|s| s.id == "zombies").collect();
//! let file = Fetched::Wire(wire::encode_scenarios(&zombies).into());
//! let state = state.reduce(Action::Fetched("zombies".into(), file));
//! let state = state.reduce(Action::Seek(3));
//! assert_eq!(state.world().zombies().len(), 2);
//! ```

#![deny(missing_docs)]

pub mod components;
pub mod draw;
pub mod explain;
pub mod i18n;
mod js;
pub mod state;

/// Mounts the app on the page's body.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    yew::Renderer::<components::App>::new().render();
}

/// The page's allocator: talc rather than std's dlmalloc, 1.7 KB smaller in the gzipped download
/// and as fast in bench/web.mjs.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
