//! Choosing a guided scenario or the playground.

use yew::prelude::*;

use super::use_store;
use crate::state::{Action, PLAYGROUND};

/// The scenario picker.
#[function_component(ScenarioPicker)]
pub fn scenario_picker() -> Html {
    let store = use_store();
    let language = store.language;
    let strings = language.page();
    let current = store.chosen().to_owned();
    let onchange = {
        let store = store.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            store.dispatch(Action::Open(select.value()));
        })
    };
    html! {
        <label class="picker">
            <span>{ strings.scenarios }</span>
            <select id="scenario" {onchange}>
                if current.is_empty() {
                    <option value="" selected=true disabled=true>{ strings.loaded_file }</option>
                }
                { for store.catalog.iter().enumerate().map(|(i, scenario)| html! {
                    <option value={scenario.id.clone()} selected={scenario.id == current}>
                        { format!("{}. {}", i + 1, language.pick(&scenario.title)) }
                    </option>
                }) }
                <option value={PLAYGROUND} selected={current == PLAYGROUND}>{ strings.playground }</option>
            </select>
            if store.wanted.is_some() {
                <span class="hint" role="status">{ strings.scenario_loading }</span>
            }
        </label>
    }
}
