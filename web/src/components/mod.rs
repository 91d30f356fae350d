//! The page, one component per file. Each reads the app's state from the [`Store`] context and
//! dispatches [`Action`](crate::state::Action)s; none of them holds semantics of its own.

mod act_panel;
mod app;
mod docker_inspect;
mod event_log;
mod file_loader;
mod header;
#[cfg(feature = "live")]
mod live_feed;
mod narrative;
mod notice;
mod pod_picture;
mod pod_toggles;
mod pod_view;
mod process_row;
mod process_view;
mod scenario_fetch;
mod scenario_picker;
mod snapshot_pods;
mod terminal_panel;
mod timeline;
mod tree_picture;

pub use app::App;

use pauselab_core::{NsId, NsKind};
use yew::{html, Html, UseReducerHandle};

use crate::state::State;

/// The app's state, shared with every component.
pub type Store = UseReducerHandle<State>;

/// The app's state, from inside any component: every component sits under [`App`], which
/// provides it, so its absence is a bug in the page, not bad input.
#[yew::hook]
pub fn use_store() -> Store {
    yew::use_context::<Store>().expect("the store is provided by App")
}

/// A `class` attribute: `base` and each of `optional` that is there. What `classes!` makes,
/// without the ordered set it builds on the way (kilobytes of the download, for a few words).
pub fn class_of(base: &str, optional: &[Option<&str>]) -> String {
    let mut class = base.to_owned();
    for part in optional.iter().flatten() {
        if !class.is_empty() {
            class.push(' ');
        }
        class.push_str(part);
    }
    class
}

/// A color per namespace identity, so that equal identities look equal at a glance (K1).
pub fn ns_color(ns: NsId) -> String {
    // Consecutive ids land far apart on the color wheel.
    let hue = (u64::from(ns.0).wrapping_mul(137)) % 360;
    format!("hsl({hue} 70% 85%)")
}

/// A namespace as a table cell, colored by its identity.
pub fn ns_cell(kind: NsKind, ns: Option<NsId>) -> Html {
    match ns {
        Some(ns) => html! {
            <td class="ns" style={format!("background:{}", ns_color(ns))} title={format!("{}:[{ns}]", kind.name())}>
                <code>{ ns.to_string() }</code>
            </td>
        },
        None => html! { <td class="ns muted">{ "–" }</td> },
    }
}

/// One row of a pod's sharing table: a kind, and the namespace of that kind of the node, of
/// pause and of each container's first process.
#[derive(Debug)]
pub struct ShareRow {
    /// The kind.
    pub kind: NsKind,
    /// The node's.
    pub node: Option<NsId>,
    /// pause's.
    pub pause: Option<NsId>,
    /// Each container's, in the order of the headers.
    pub containers: Vec<Option<NsId>>,
}

/// Who shares which namespace in a pod: same identity, same color (K1).
pub fn sharing_table(
    language: crate::i18n::Language,
    pause: String,
    containers: &[String],
    rows: &[ShareRow],
) -> Html {
    let strings = language.page();
    html! {
        <div class="table-wrap">
            <table class="sharing">
                <caption class="muted small">{ strings.same_color }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ strings.namespace }</th>
                        <th scope="col">{ strings.node }</th>
                        <th scope="col">{ pause }</th>
                        { for containers.iter().map(|c| html! { <th scope="col">{ c }</th> }) }
                    </tr>
                </thead>
                <tbody>
                    { for rows.iter().map(|row| html! {
                        <tr>
                            <th scope="row">{ row.kind.name() }</th>
                            { ns_cell(row.kind, row.node) }
                            { ns_cell(row.kind, row.pause) }
                            { for row.containers.iter().map(|ns| ns_cell(row.kind, *ns)) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// A pod as a picture (bands), with the table of namespace ids folded below it.
pub fn pod_drawing(
    language: crate::i18n::Language,
    pause: String,
    containers: &[String],
    rows: &[ShareRow],
) -> Html {
    let strings = language.page();
    let mut columns = vec![strings.node.to_owned(), pause.clone()];
    columns.extend(containers.iter().cloned());
    let picture_rows = pod_picture::rows(
        |kind, column| {
            let row = rows.iter().find(|r| r.kind == kind)?;
            match column {
                0 => row.node,
                1 => row.pause,
                n => row.containers.get(n - 2).copied().flatten(),
            }
        },
        columns.len(),
    );
    html! {
        <>
            <pod_picture::PodPicture {language} {columns} rows={picture_rows} />
            <details class="ns-ids">
                <summary>{ strings.ns_ids }</summary>
                { sharing_table(language, pause, containers, rows) }
            </details>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::class_of;

    #[test]
    fn a_class_attribute_has_its_base_and_the_parts_that_are_there() {
        assert_eq!(
            class_of("proc", &[Some("zombie"), None, Some("born")]),
            "proc zombie born"
        );
        assert_eq!(class_of("edge", &[None]), "edge");
        assert_eq!(class_of("", &[None, Some("selected")]), "selected");
        assert_eq!(class_of("", &[None]), "");
    }
}
