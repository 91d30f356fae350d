//! The pods of a file recorded on a real node (`pauselab ps --json`, whose processes carry
//! their pod and container), drawn as a scenario's are: the pod's sandbox (pause) and the first
//! process of each container, and who shares which namespace.

use std::collections::BTreeMap;

use pauselab_core::format::{ContainerLabel, Engine};
use pauselab_core::{NsKind, Pid, Process, World};
use yew::prelude::*;

use super::{pod_drawing, use_store, ShareRow};
use crate::i18n::Language;
use crate::state::Source;

/// One pod of the file: its engine, sandbox and containers (name → first process).
struct FoundPod {
    engine: Engine,
    sandbox: Option<Pid>,
    containers: BTreeMap<String, Pid>,
}

/// A container's first process: the one whose parent is not in the same container (the shim
/// adopted it). The lowest pid if several qualify, living processes first.
fn first_processes(
    world: &World,
    label_of: impl Fn(Pid) -> Option<ContainerLabel>,
) -> BTreeMap<(String, Engine), FoundPod> {
    let mut pods: BTreeMap<(String, Engine), FoundPod> = BTreeMap::new();
    let mut processes: Vec<&Process> = world.processes();
    processes.sort_by_key(|p| (!p.state().is_alive(), p.host_pid()));
    for process in processes {
        let pid = process.host_pid();
        let Some(label) = label_of(pid) else { continue };
        if label_of(process.parent()).is_some_and(|parent| parent.id == label.id) {
            continue;
        }
        let pod = pods
            .entry((label.pod.clone(), label.engine))
            .or_insert_with(|| FoundPod {
                engine: label.engine,
                sandbox: None,
                containers: BTreeMap::new(),
            });
        if label.is_sandbox() {
            pod.sandbox.get_or_insert(pid);
        } else {
            pod.containers.entry(label.container.clone()).or_insert(pid);
        }
    }
    pods
}

/// The node's own namespace of a kind: the host's initial one.
fn node_ns(world: &World, kind: NsKind) -> Option<pauselab_core::NsId> {
    world
        .lsns()
        .into_iter()
        .find(|row| row.kind == kind && row.initial)
        .map(|row| row.ns)
}

fn pod_box(language: Language, world: &World, name: &str, pod: &FoundPod) -> Html {
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
            node: node_ns(world, kind),
            pause: ns(pod.sandbox, kind),
            containers: pod
                .containers
                .values()
                .map(|&p| ns(Some(p), kind))
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
    let pods = first_processes(world, |pid| timeline.container_of(pid).cloned());
    html! {
        <div class="recorded-pods">
            <h3 class="muted small">{ language.page().pods_on_node }</h3>
            { for pods.iter().map(|((name, _), pod)| pod_box(language, world, name, pod)) }
        </div>
    }
}
