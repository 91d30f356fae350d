//! The process tree as `ps` shows it from a chosen pid namespace: pids as seen there and at
//! every level (NSpid, K7), parents outside shown as 0 (K10), each process's own pid namespace
//! by color, zombies impossible to miss, init and subreaper badges, and what was reparented by
//! the last step.

use pauselab_core::view::PsRow;
use pauselab_core::{NsId, NsKind, Outcome, Pid, ProcState, World};
use yew::prelude::*;

use super::process_row::ProcessRow;
use super::tree_picture::TreePicture;
use super::{class_of, use_store, Store};
use crate::draw::{PidMap, PidSet};
use crate::state::Action;

/// Above this many rows the table scrolls in its own box and draws only what is in view.
const VIRTUAL_FROM: usize = 200;
/// The height of a row, which `.ps tbody tr` in style.css fixes.
const ROW_PX: u32 = 28;
/// Rows drawn in a scrolling table: the box shows about 25.
const WINDOW_ROWS: usize = 60;
/// Rows drawn above the first one in view, so that scrolling up shows no gap.
const MARGIN_ROWS: usize = 15;

/// Rows in tree order (parents before children, siblings by pid) with their depth.
fn tree_order(world: &World, rows: Vec<PsRow>) -> Vec<(usize, PsRow)> {
    let visible: PidSet = rows.iter().map(|r| r.host_pid).collect();
    let parent_of = |row: &PsRow| {
        world
            .process(row.host_pid)
            .map(|p| p.parent())
            .filter(|parent| visible.contains(parent))
    };
    // Each row's index under its parent's pid, in `ps` order (by pid).
    let children: PidMap<usize> = rows
        .iter()
        .enumerate()
        .filter_map(|(index, row)| Some((parent_of(row)?, index)))
        .collect();
    let roots: Vec<usize> = (0..rows.len())
        .filter(|&index| parent_of(&rows[index]).is_none())
        .collect();
    let mut rows: Vec<Option<PsRow>> = rows.into_iter().map(Some).collect();
    let mut ordered = Vec::with_capacity(rows.len());
    let mut stack: Vec<(usize, usize)> = roots.into_iter().rev().map(|r| (0, r)).collect();
    while let Some((depth, index)) = stack.pop() {
        // Each row is placed once.
        let Some(row) = rows[index].take() else {
            continue;
        };
        stack.extend(
            children
                .values(row.host_pid)
                .rev()
                .map(|&kid| (depth + 1, kid)),
        );
        ordered.push((depth, row));
    }
    ordered
}

/// The pid namespaces `ps` can run in, with a label for each.
fn viewpoints(world: &World, store: &Store) -> Vec<(NsId, String)> {
    let strings = store.language.page();
    world
        .namespaces_of(NsKind::Pid)
        .into_iter()
        .map(|ns| {
            let label = if ns == world.root_pid_ns() {
                format!("{} — pid:[{ns}]", strings.node)
            } else {
                let init = world.init_of(ns);
                let owner = init
                    .and_then(|pid| store.node().and_then(|node| node.cgroup(pid)))
                    .map(ToString::to_string)
                    .or_else(|| {
                        init.and_then(|pid| world.process(pid))
                            .map(|p| p.comm().to_owned())
                    })
                    .unwrap_or_default();
                format!("{owner} — pid:[{ns}]")
            };
            (ns, label)
        })
        .collect()
}

/// The process view.
#[function_component(ProcessView)]
pub fn process_view() -> Html {
    let store = use_store();
    let strings = store.language.page();
    let world = store.world();
    let ns = store.viewpoint.unwrap_or_else(|| world.root_pid_ns());
    let rows = world.ps(ns).unwrap_or_default();
    let zombies = rows
        .iter()
        .filter(|r| matches!(r.state, ProcState::Zombie(_)))
        .count();
    let adopted: PidMap<(Pid, bool)> = store
        .last_outcomes()
        .into_iter()
        .filter_map(|o| match o {
            Outcome::Reparented {
                child,
                to,
                to_subreaper,
                ..
            } => Some((child, (to, to_subreaper))),
            _ => None,
        })
        .collect();
    let onview = {
        let store = store.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            let ns = select.value().parse().ok().map(NsId);
            store.dispatch(Action::ViewFrom(ns));
        })
    };
    let node = store.node();
    // One callback for every row, the same across renders, so that unchanged rows compare equal.
    let on_select = {
        let dispatcher = store.dispatcher();
        use_callback((), move |pid: Pid, _| {
            dispatcher.dispatch(Action::Select(Some(pid)))
        })
    };
    // A big world scrolls in a box of its own and only the rows in view (and a margin) are in
    // the page: laying out a thousand table rows costs more than a frame.
    let scroll_top = use_state(|| 0u32);
    let ordered = tree_order(world, rows);
    let total = ordered.len();
    let virtual_rows = total > VIRTUAL_FROM;
    let (first, last) = if virtual_rows {
        let first = (*scroll_top / ROW_PX) as usize;
        let first = first.saturating_sub(MARGIN_ROWS).min(total);
        (first, (first + WINDOW_ROWS).min(total))
    } else {
        (0, total)
    };
    let onscroll = {
        let scroll_top = scroll_top.clone();
        Callback::from(move |event: Event| {
            let element: web_sys::Element = event.target_unchecked_into();
            scroll_top.set(u32::try_from(element.scroll_top()).unwrap_or(0));
        })
    };
    let spacer = |rows: usize| {
        (rows > 0).then(|| html! {
            <tr class="spacer" aria-hidden="true" style={format!("height: {}px", rows as u32 * ROW_PX)}></tr>
        })
    };
    html! {
        <section class="processes" aria-label={strings.processes}>
            <header>
                <h3>{ strings.processes }</h3>
                <span id="zombie-count" class={class_of("count", &[(zombies > 0).then_some("zombie")])}>
                    { format!("{}: {zombies}", strings.zombies_count) }
                </span>
                <label class="viewpoint">
                    { strings.seen_from }
                    <select id="viewpoint" onchange={onview}>
                        { for viewpoints(world, &store).into_iter().map(|(id, label)| html! {
                            <option value={id.0.to_string()} selected={id == ns}>{ label }</option>
                        }) }
                    </select>
                </label>
            </header>
            <TreePicture />
            <div class={class_of("table-wrap", &[virtual_rows.then_some("virtual")])} {onscroll}
                tabindex={virtual_rows.then_some("0")} aria-rowcount={total.to_string()}>
                <table class="ps">
                    <thead>
                        <tr>
                            <th scope="col">{ strings.col_pid }</th>
                            <th scope="col">{ strings.col_ppid }</th>
                            <th scope="col">{ strings.col_nspid }</th>
                            <th scope="col">{ strings.col_state }</th>
                            <th scope="col">{ strings.col_command }</th>
                            <th scope="col">{ strings.col_container }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { spacer(first) }
                        { for ordered.into_iter().skip(first).take(last - first).filter_map(|(depth, row)| {
                            let process = world.process(row.host_pid)?;
                            Some(html! {
                                <ProcessRow key={row.host_pid.0}
                                    host_pid={row.host_pid}
                                    pid={row.pid.0}
                                    ppid={row.ppid.0}
                                    nspid={process.nspid().to_vec()}
                                    state={row.state.letter()}
                                    comm={row.comm}
                                    {depth}
                                    pid_ns={process.namespaces().get(NsKind::Pid)}
                                    zombie={matches!(row.state, ProcState::Zombie(_))}
                                    init={process.is_init()}
                                    subreaper={process.is_subreaper()}
                                    auto_reaps={process.auto_reaps()}
                                    waiting={process.waiting().is_some()}
                                    adopted={adopted.last(row.host_pid).copied()}
                                    container={node.and_then(|n| n.cgroup(row.host_pid)).map(ToString::to_string)}
                                    selected={store.selected == Some(row.host_pid)}
                                    language={store.language}
                                    on_select={on_select.clone()} />
                            })
                        }) }
                        { spacer(total - last) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
