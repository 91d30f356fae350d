//! The title bar: what this is, the scenario picker, the file picker and the language switch.

use yew::prelude::*;

use super::file_loader::FileLoader;
use super::scenario_picker::ScenarioPicker;
use super::use_store;
use crate::state::Action;

/// The header.
#[function_component(Header)]
pub fn header() -> Html {
    let store = use_store();
    let strings = store.language.page();
    let switch = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::SetLanguage(store.language.other())))
    };
    html! {
        <header class="header">
            <div class="brand">
                <h1>{ strings.title }</h1>
                <p class="subtitle">{ strings.subtitle }</p>
            </div>
            <div class="controls">
                <ScenarioPicker />
                <FileLoader />
                <button id="language" class="button" onclick={switch} lang={store.language.other().tag()}>
                    { strings.switch_language }
                </button>
            </div>
        </header>
    }
}
