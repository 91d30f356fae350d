//! The pods of a file recorded on a real node (`pauselab ps --json`, whose processes carry
//! their pod and container), drawn as a scenario's are: the pod's sandbox (pause) and the first
//! process of each container, and who shares which namespace.

use pauselab_core::format::{ContainerLabel, Engine};
use pauselab_core::{NsKind, Pid, Process, World};
use yew::prelude::*;

use super::{pod_drawing, use_store, ShareRow};
use crate::i18n::Language;
use crate::state::Source;

/// One pod of the file: its name, engine, sandbox and containers (name and first process, by
/// name).
struct FoundPod {
    name: String,
    engine: Engine,
    sandbox: Option<Pid>,
    containers: Vec<(String, Pid)>,
}

/// A container's first process: the one whose parent is not in the same container (the shim
/// adopted it). The lowest pid if several qualify, living processes first. Pods come by name
/// and engine.
fn first_processes(
    world: &World,
    label_of: impl Fn(Pid) -> Option<ContainerLabel>,
) -> Vec<FoundPod> {
    let mut processes: Vec<&Process> = world.processes();
    processes.sort_by_key(|p| (!p.state().is_alive(), p.host_pid()));
    let mut firsts: Vec<(ContainerLabel, Pid)> = processes
        .into_iter()
        .filter_map(|process| {
            let label = label_of(process.host_pid())?;
            let parent_in_it = label_of(process.parent()).is_some_and(|p| p.id == label.id);
            (!parent_in_it).then_some((label, process.host_pid()))
        })
        .collect();
    // Grouped by pod, then container; the sort is stable, so each container's best comes first.
    // (Sorted vectors rather than B-tree maps: each map type cost the download kilobytes.)
    firsts.sort_by(|(a, _), (b, _)| {
        (&a.pod, a.engine, &a.container).cmp(&(&b.pod, b.engine, &b.container))
    });
    let mut pods: Vec<FoundPod> = Vec::new();
    for (label, pid) in firsts {
        if !pods
            .last()
            .is_some_and(|pod| pod.name == label.pod && pod.engine == label.engine)
        {
            pods.push(FoundPod {
                name: label.pod.clone(),
                engine: label.engine,
                sandbox: None,
                containers: Vec::new(),
            });
        }
        let Some(pod) = pods.last_mut() else {
            continue;
        };
        if label.is_sandbox() {
            pod.sandbox.get_or_insert(pid);
        } else if pod.containers.last().map(|(name, _)| name) != Some(&label.container) {
            pod.containers.push((label.container, pid));
        }
    }
    pods
}

fn pod_box(language: Language, world: &World, pod: &FoundPod) -> Html {
    let name = &pod.name;
    let strings = language.page();
    let ns = |pid: Option<Pid>, kind: NsKind| {
        pid.and_then(|p| world.process(p))
            .filter(|p| p.state().is_alive())
            .map(|p| p.namespaces().get(kind))
    };
    let rows: Vec<ShareRow> = NsKind::ALL
        .into_iter()
        .map(|kind| ShareRow {
            kind,
            node: world.initial_ns(kind),
            pause: ns(pod.sandbox, kind),
            containers: pod
                .containers
                .iter()
                .map(|&(_, p)| ns(Some(p), kind))
                .collect(),
        })
        .collect();
    let pause = match pod.sandbox.and_then(|p| world.process(p)) {
        Some(p) => format!("{} ({})", p.comm(), p.host_pid()),
        None => strings.sandbox.to_owned(),
    };
    let headers: Vec<String> = pod
        .containers
        .iter()
        .map(|(name, pid)| format!("{name} ({pid})"))
        .collect();
    let engine = match pod.engine {
        Engine::Containerd => "containerd",
        Engine::Docker => "docker",
    };
    html! {
        <article class="pod recorded" aria-label={format!("{} {name}", strings.pod)} data-pod={name.to_owned()}>
            <header>
                <h3>{ format!("{} {name}", strings.pod) }</h3>
                <span class="meta">
                    <code>{ engine }</code>
                    <span class="muted small">{ strings.recorded }</span>
                </span>
            </header>
            { pod_drawing(language, pause, &headers, &rows) }
        </article>
    }
}

/// The pods the opened file's labels name.
#[function_component(SnapshotPods)]
pub fn snapshot_pods() -> Html {
    let store = use_store();
    let language = store.language;
    let Source::File { timeline, .. } = &store.source else {
        return Html::default();
    };
    let world = timeline.world();
    let containers = timeline.containers();
    let pods = first_processes(world, |pid| containers.get(pid).cloned());
    html! {
        <div class="recorded-pods">
            <h3 class="muted small">{ language.page().pods_on_node }</h3>
            { for pods.iter().map(|pod| pod_box(language, world, pod)) }
        </div>
    }
}
