//! `docker inspect`, the post's evidence: each docker container's HostConfig (NetworkMode,
//! IpcMode, PidMode) as dockerd prints it — `container:<id>` where it joined another's
//! namespace (K21–K23). For `docker run` containers and dockershim pods.

use pauselab_core::pod::{DockerState, Inspect};
use yew::prelude::*;

use super::use_store;
use crate::i18n::Language;
use crate::state::Source;

/// A mode as dockerd prints it; a `container:<id>` names the container too, with the id
/// shortened as `docker ps` does (the whole id is its tooltip).
fn mode(language: Language, value: &str, rows: &[Inspect]) -> Html {
    let strings = language.page();
    if value.is_empty() {
        // An empty PidMode: a pid namespace of its own.
        return html! { <td><code title="\"\"">{ "\"\"" }</code>{ " " }<span class="muted">{ format!("({})", strings.own_namespace) }</span></td> };
    }
    match value.strip_prefix("container:") {
        Some(id) if id.len() == 64 => {
            let name = rows.iter().find(|r| r.id == id).map(|r| r.name.as_str());
            html! {
                <td>
                    <code title={value.to_owned()}>{ format!("container:{}…", &id[..12]) }</code>
                    if let Some(name) = name { { " " }<span class="muted">{ format!("= {name}") }</span> }
                </td>
            }
        }
        _ => html! { <td><code>{ value }</code></td> },
    }
}

fn state(language: Language, state: DockerState) -> &'static str {
    let strings = language.page();
    match state {
        DockerState::Created => strings.state_created,
        DockerState::Running => strings.state_running,
        DockerState::Exited => strings.state_exited,
    }
}

/// The table, when the node has docker containers.
#[function_component(DockerInspect)]
pub fn docker_inspect() -> Html {
    let store = use_store();
    let language = store.language;
    let strings = language.page();
    let Source::Lesson(lesson) = &store.source else {
        return Html::default();
    };
    let rows = lesson.player().node().docker_inspect();
    if rows.is_empty() {
        return Html::default();
    }
    html! {
        <article class="docker-inspect" aria-label={strings.docker_inspect}>
            <h3><code>{ strings.docker_inspect }</code></h3>
            <div class="table-wrap">
                <table class="lsns">
                    <caption class="muted small">{ strings.docker_inspect_caption }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ strings.col_name }</th>
                            <th scope="col">{ "Id" }</th>
                            <th scope="col">{ strings.col_docker_state }</th>
                            <th scope="col"><code>{ "NetworkMode" }</code></th>
                            <th scope="col"><code>{ "IpcMode" }</code></th>
                            <th scope="col"><code>{ "PidMode" }</code></th>
                        </tr>
                    </thead>
                    <tbody>
                        { for rows.iter().map(|row| html! {
                            <tr data-container={row.name.clone()}>
                                <td><code>{ &row.name }</code></td>
                                <td><code title={row.id.clone()}>{ &row.id[..12] }</code></td>
                                <td>{ state(language, row.state) }</td>
                                { mode(language, &row.host_config.network_mode, &rows) }
                                { mode(language, &row.host_config.ipc_mode, &rows) }
                                { mode(language, &row.host_config.pid_mode, &rows) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </article>
    }
}
