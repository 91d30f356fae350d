//! The pods as boxes: pause and the app containers, and for each namespace kind who shares
//! which namespace — same identity, same color (K1). For a file from a real machine, its
//! namespaces as `lsns` lists them, after the pods its labels name.

use pauselab_core::pod::{ContainerRef, Node, Pod};
use pauselab_core::scenario::Action as ScenarioAction;
use pauselab_core::Pid;
use yew::prelude::*;

use super::docker_inspect::DockerInspect;
use super::pod_toggles::PodToggleBox;
use super::snapshot_pods::SnapshotPods;
use super::{ns_cell, pod_drawing, use_store, ShareRow, Store};
use crate::i18n::{Language, Say};
use crate::state::{Action, Source};

fn pod_box(store: &Store, node: &Node, pod: &Pod) -> Html {
    let language = store.language;
    let strings = language.page();
    let world = node.world();
    let host = world.process(Pid(1));
    let sharing = node.sharing(&pod.spec.name).unwrap_or_default();
    let act = |act: ScenarioAction| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Act(Box::new(act.clone()))))
    };
    let name = pod.spec.name.clone();
    let mode = match pod.spec.pid_mode() {
        Ok(mode) => mode.as_str(),
        Err(_) => "?",
    };
    let living: Vec<_> = pod
        .containers
        .iter()
        .filter(|c| {
            sharing
                .first()
                .is_some_and(|row| row.containers.iter().any(|(n, _)| *n == c.name))
        })
        .collect();
    html! {
        <article class="pod" aria-label={format!("{} {name}", strings.pod)}>
            <header>
                <h3>{ format!("{} {name}", strings.pod) }</h3>
                <span class="meta">
                    <code>{ pod.ip.clone().unwrap_or_else(|| "hostNetwork".into()) }</code>
                    <code>{ pod.spec.flavor.as_str() }</code>
                    <code title="K25">{ format!("pid: {mode}") }</code>
                </span>
                <button class="small danger" onclick={act(ScenarioAction::KillPause { pod: name.clone() })}>{ strings.kill_pause }</button>
            </header>
            { pod_drawing(
                language,
                format!("pause ({})", pod.pause),
                &living.iter().map(|c| format!("{} ({})", c.name, c.init)).collect::<Vec<_>>(),
                &sharing
                    .iter()
                    .map(|row| ShareRow {
                        kind: row.kind,
                        node: host.map(|h| h.namespaces().get(row.kind)),
                        pause: Some(row.pause),
                        containers: row.containers.iter().map(|(_, ns)| Some(*ns)).collect(),
                    })
                    .collect::<Vec<_>>(),
            ) }
            <ul class="containers">
                { for pod.containers.iter().map(|c| {
                    let alive = world.is_alive(c.init);
                    html! {
                        <li>
                            <code>{ &c.name }</code>
                            if !alive { <span class="badge zombie">{ strings.exited }</span> }
                            if c.restarts > 0 { <span class="badge">{ format!("{}: {}", strings.restarts, c.restarts) }</span> }
                            <button class="small" onclick={act(ScenarioAction::Exec { container: ContainerRef::new(&name, &c.name), name: String::new(), comm: "sh".into() })}>{ strings.kubectl_exec }</button>
                            <button class="small" onclick={act(ScenarioAction::StopContainer { container: ContainerRef::new(&name, &c.name) })}>{ strings.stop_container }</button>
                            <button class="small" onclick={act(ScenarioAction::RestartContainer { container: ContainerRef::new(&name, &c.name) })}>{ strings.restart_container }</button>
                        </li>
                    }
                }) }
            </ul>
        </article>
    }
}

fn lsns(language: Language, world: &pauselab_core::World) -> Html {
    let strings = language.page();
    html! {
        <div class="table-wrap">
            <table class="lsns">
                <caption>{ strings.lsns }</caption>
                <thead><tr><th>{ "TYPE" }</th><th>{ "NS" }</th><th>{ "NPROCS" }</th><th>{ "PID" }</th><th>{ "COMMAND" }</th><th>{ strings.pins }</th></tr></thead>
                <tbody>
                    { for world.lsns().into_iter().map(|row| html! {
                        <tr>
                            <td>{ row.kind.name() }</td>
                            { ns_cell(row.kind, Some(row.ns)) }
                            <td>{ row.nprocs }</td>
                            <td>{ row.pid.map(|p| p.to_string()).unwrap_or_default() }</td>
                            <td>{ row.comm.unwrap_or_default() }</td>
                            <td>{ row.pins.join(", ") }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// The pod view.
#[function_component(PodView)]
pub fn pod_view() -> Html {
    let store = use_store();
    let language = store.language;
    let strings = language.page();
    let lesson = match &store.source {
        Source::Lesson(lesson) => lesson,
        Source::File { timeline, .. } => {
            return html! {
                <section class="pods" aria-label={strings.lsns}>
                    if timeline.has_containers() {
                        <SnapshotPods />
                    }
                    { lsns(language, timeline.world()) }
                </section>
            };
        }
    };
    let node = lesson.player().node();
    // A pod the runtime refused to create (K22, K25) is the answer to the reader's toggle.
    let steps = lesson.steps();
    let refused = lesson.logs().iter().zip(steps).find_map(|(log, step)| {
        let creates = step
            .actions
            .iter()
            .any(|action| matches!(action, ScenarioAction::CreatePod { .. }));
        log.refused.as_ref().filter(|_| creates)
    });
    html! {
        <section class="pods" aria-label={strings.pod}>
            <PodToggleBox />
            if let Some(error) = refused {
                <div class="refused-pod" role="status">
                    <strong>{ strings.pod_not_created }{ ": " }</strong>
                    <span class="refusal">{ error.say(language) }</span>
                    if let Some(rule) = error.rule() {
                        <p class="why">{ rule.say(language) }<cite>{ rule.source() }</cite></p>
                    }
                </div>
            }
            if node.pods().is_empty() {
                <p class="muted">{ strings.no_pod_yet }</p>
            }
            { for node.pods().iter().map(|pod| pod_box(&store, node, pod)) }
            <DockerInspect />
        </section>
    }
}
