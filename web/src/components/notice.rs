//! The last refusal or load error, until the next successful action.

use yew::prelude::*;

use super::use_store;
use crate::i18n::Say;
use crate::state::Action;

/// The notice banner.
#[function_component(Notice)]
pub fn notice() -> Html {
    let store = use_store();
    let Some(message) = store
        .notice
        .as_ref()
        .map(|notice| notice.say(store.language))
    else {
        return html! {};
    };
    let strings = store.language.page();
    let onclick = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::Dismiss))
    };
    html! {
        <div class="notice" role="alert">
            <strong>{ strings.refused }{ ": " }</strong>
            <span class="notice-text">{ message }</span>
            <button class="dismiss" {onclick} aria-label={strings.dismiss}>{ "×" }</button>
        </div>
    }
}
