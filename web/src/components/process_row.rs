//! One process in the `ps` table. A component of its own so that Yew re-renders only the rows
//! whose process changed: a step on a world of a thousand processes touches a few.

use pauselab_core::{NsId, Pid};
use yew::prelude::*;

use super::{class_of, ns_color};
use crate::i18n::Language;

/// What a row shows; equal props, no re-render.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct ProcessRowProps {
    /// The process's host pid, which names it in actions.
    pub host_pid: Pid,
    /// Its pid in the viewing namespace (K7).
    pub pid: u32,
    /// Its parent's pid there; 0 when the parent is outside (K10).
    pub ppid: u32,
    /// Its pids at every level, host first.
    pub nspid: Vec<u32>,
    /// `ps`'s state letter.
    pub state: char,
    /// Its command name.
    pub comm: String,
    /// Its depth in the tree as seen.
    pub depth: usize,
    /// Its own pid namespace, drawn as a color.
    pub pid_ns: NsId,
    /// Whether it is a zombie (K11).
    pub zombie: bool,
    /// Whether it is pid 1 of its namespace (K6).
    pub init: bool,
    /// Whether it is a child subreaper (K13).
    pub subreaper: bool,
    /// Whether its children never become zombies (K15).
    pub auto_reaps: bool,
    /// Whether it is blocked in wait.
    pub waiting: bool,
    /// The parent that adopted it in the last step, and whether as a subreaper (K13).
    pub adopted: Option<(Pid, bool)>,
    /// The container it belongs to.
    pub container: Option<String>,
    /// Whether the action panel acts on it.
    pub selected: bool,
    /// The language of the badges.
    pub language: Language,
    /// Selects it.
    pub on_select: Callback<Pid>,
}

/// A row of the process table.
#[function_component(ProcessRow)]
pub fn process_row(props: &ProcessRowProps) -> Html {
    let strings = props.language.page();
    let onclick = {
        let (on_select, pid) = (props.on_select.clone(), props.host_pid);
        Callback::from(move |_: MouseEvent| on_select.emit(pid))
    };
    let nspid: Vec<String> = props.nspid.iter().map(u32::to_string).collect();
    let outside = props.ppid == 0 && props.pid != 1;
    html! {
        <tr class={class_of("", &[props.zombie.then_some("zombie"), props.selected.then_some("selected")])}
            data-pid={props.host_pid.0.to_string()}>
            <td class="pid" style={format!("border-left: 6px solid {}", ns_color(props.pid_ns))}>{ props.pid }</td>
            <td class={class_of("ppid", &[outside.then_some("outside")])} title={if props.ppid == 0 { "K10" } else { "" }}>{ props.ppid }</td>
            <td class="nspid"><code>{ nspid.join(" ") }</code></td>
            <td class="stat">{ props.state }</td>
            <td class="comm">
                <button class="select" {onclick} aria-pressed={props.selected.to_string()}
                    style={format!("margin-left: {}em", props.depth.min(12))}>
                    { if props.zombie { format!("[{}] <defunct>", props.comm) } else { props.comm.clone() } }
                </button>
                if props.init { <span class="badge init" title="K6">{ strings.badge_init }</span> }
                if props.subreaper { <span class="badge subreaper" title="K13">{ strings.badge_subreaper }</span> }
                if props.zombie { <span class="badge zombie" title="K11">{ strings.badge_zombie }</span> }
                if props.auto_reaps { <span class="badge" title="K15">{ strings.badge_ignores_sigchld }</span> }
                if props.waiting { <span class="badge">{ strings.badge_waiting }</span> }
                if let Some((to, subreaper)) = props.adopted {
                    <span class="badge adopted" title={if subreaper { "K13 subreaper" } else { "K13 init" }}>
                        { format!("{} → {to}", strings.badge_adopted) }
                    </span>
                }
            </td>
            <td class="container">{ props.container.clone().unwrap_or_default() }</td>
        </tr>
    }
}
