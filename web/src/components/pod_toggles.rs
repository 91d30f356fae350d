//! The pod's settings, changed by the reader: the scenario replays to the same step with them,
//! and an invalid combination shows the runtime's real error (K22, K25).

use pauselab_core::pod::{Flavor, IpcMode};
use yew::prelude::*;

use super::use_store;
use crate::state::{Action, PodToggles};

/// The toggles panel.
#[function_component(PodToggleBox)]
pub fn pod_toggle_box() -> Html {
    let store = use_store();
    let strings = store.language.page();
    let Some(lesson) = store.lesson() else {
        return html! {};
    };
    let Some(toggles) = lesson.effective_toggles() else {
        return html! {};
    };
    let changed = lesson.toggles().is_some();
    let pod = lesson
        .written
        .first_pod()
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let set = |change: fn(&mut PodToggles, bool)| {
        let store = store.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            let mut next = toggles;
            change(&mut next, input.checked());
            store.dispatch(Action::SetToggles(Some(next)));
        })
    };
    let checkbox =
        |id: &'static str, label: &'static str, on: bool, change: fn(&mut PodToggles, bool)| {
            html! {
                <label class="toggle" for={id}>
                    <input type="checkbox" {id} checked={on} onchange={set(change)} />
                    <code>{ label }</code>
                </label>
            }
        };
    let on_flavor = {
        let store = store.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            let mut next = toggles;
            next.flavor = if select.value() == "dockershim" {
                Flavor::Dockershim
            } else {
                Flavor::Containerd
            };
            store.dispatch(Action::SetToggles(Some(next)));
        })
    };
    let on_ipc = {
        let store = store.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            let mut next = toggles;
            next.pause_ipc = match select.value().as_str() {
                "private" => IpcMode::Private,
                "none" => IpcMode::None,
                _ => IpcMode::Shareable,
            };
            store.dispatch(Action::SetToggles(Some(next)));
        })
    };
    let reset = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::SetToggles(None)))
    };
    let dockershim = toggles.flavor == Flavor::Dockershim;
    let ipc_value = match toggles.pause_ipc {
        IpcMode::Private => "private",
        IpcMode::None => "none",
        IpcMode::Shareable | IpcMode::Host => "shareable",
    };
    html! {
        <fieldset class="toggles">
            <legend>{ format!("{} ({} {pod})", strings.pod_toggles, strings.pod) }</legend>
            { checkbox("toggle-spn", "shareProcessNamespace", toggles.share_process_namespace, |t, on| t.share_process_namespace = on) }
            { checkbox("toggle-hostnet", "hostNetwork", toggles.host_network, |t, on| t.host_network = on) }
            { checkbox("toggle-hostpid", "hostPID", toggles.host_pid, |t, on| t.host_pid = on) }
            { checkbox("toggle-hostipc", "hostIPC", toggles.host_ipc, |t, on| t.host_ipc = on) }
            <label class="toggle" for="toggle-flavor">
                { strings.flavor }
                <select id="toggle-flavor" onchange={on_flavor}>
                    <option value="containerd" selected={!dockershim}>{ "containerd (CRI)" }</option>
                    <option value="dockershim" selected={dockershim}>{ "dockershim (< 1.24)" }</option>
                </select>
            </label>
            <label class="toggle" for="toggle-pause-ipc">
                { strings.pause_ipc }
                <select id="toggle-pause-ipc" onchange={on_ipc} disabled={!dockershim}>
                    <option value="shareable" selected={ipc_value == "shareable"}>{ "shareable" }</option>
                    <option value="private" selected={ipc_value == "private"}>{ "private" }</option>
                    <option value="none" selected={ipc_value == "none"}>{ "none" }</option>
                </select>
            </label>
            if !dockershim {
                <p class="muted small">{ strings.pause_ipc_containerd }</p>
            }
            if changed {
                <button id="toggle-reset" class="button small" onclick={reset}>{ strings.as_written }</button>
            }
        </fieldset>
    }
}
