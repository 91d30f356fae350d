//! Acting on the selected process: fork, exit, kill, wait, ignore SIGCHLD, become a
//! subreaper, each a scenario action naming the process by host pid (`#PID`), the same
//! vocabulary a scenario's steps use. What the kernel does shows in the log; a refusal shows
//! in the notice.

use pauselab_core::scenario::{Action as ScenarioAction, Label};
use pauselab_core::text::describe_program;
use pauselab_core::{Disposition, NsKind, NsKinds, Pid, Signal, World};
use yew::prelude::*;

use super::use_store;
use crate::i18n::Strings;
use crate::state::Action;

/// Most senders a kill can be sent from, so the list stays usable on a big world.
const MAX_SENDERS: usize = 50;

/// Who can send the signal: the node first (`None`: the reader's login shell on a pod node,
/// pid 1 of a file's bare world; either sees every pid), then processes that can see the
/// target (K9).
fn senders(
    world: &World,
    node: &str,
    strings: &Strings,
    target: Pid,
) -> Vec<(Option<Pid>, String)> {
    let mut senders = vec![(None, node.to_owned())];
    let Some(target_ns) = world
        .process(target)
        .map(|p| p.namespaces().get(NsKind::Pid))
    else {
        return senders;
    };
    for process in world.processes() {
        if senders.len() >= MAX_SENDERS {
            break;
        }
        let pid = process.host_pid();
        let same_ns = process.namespaces().get(NsKind::Pid) == target_ns;
        if same_ns && process.state().is_alive() {
            let seen = world.pid_in(target_ns, pid).map_or(0, |p| p.0);
            senders.push((
                Some(pid),
                format!("{} (pid {seen}, {})", process.comm(), strings.inside),
            ));
        }
    }
    senders
}

/// A callback that keeps what a form field now says in `state`, when it reads as a value.
fn keep<T: 'static, E: AsRef<web_sys::Event> + 'static>(
    state: &UseStateHandle<T>,
    read: fn(&web_sys::Event) -> Option<T>,
) -> Callback<E> {
    let state = state.clone();
    Callback::from(move |event: E| {
        if let Some(value) = read(event.as_ref()) {
            state.set(value);
        }
    })
}

fn input_value(event: &web_sys::Event) -> String {
    event
        .target_unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

fn input_checked(event: &web_sys::Event) -> bool {
    event
        .target_unchecked_into::<web_sys::HtmlInputElement>()
        .checked()
}

fn select_value(event: &web_sys::Event) -> String {
    event
        .target_unchecked_into::<web_sys::HtmlSelectElement>()
        .value()
}

/// The action panel.
#[function_component(ActPanel)]
pub fn act_panel() -> Html {
    let store = use_store();
    let strings = store.language.page();
    let program = use_state(|| "worker".to_owned());
    let new_pid_ns = use_state(|| false);
    let code = use_state(|| 0u8);
    let signal = use_state(|| Signal::SIGTERM);
    let sender = use_state(|| None::<Pid>);
    let nohang = use_state(|| false);

    let world = store.world();
    let Some(pid) = store.selected.filter(|pid| world.process(*pid).is_some()) else {
        return html! { <section class="act-panel"><p class="muted">{ strings.select_process }</p></section> };
    };
    let Some(process) = world.process(pid) else {
        return html! {};
    };
    let node = if store.node().is_some() {
        strings.node_shell
    } else {
        strings.node
    };
    let senders = senders(world, node, strings, pid);
    let from = sender.filter(|s| senders.iter().any(|(p, _)| *p == Some(*s)));

    let dispatch = |action: ScenarioAction| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Act(Box::new(action.clone()))))
    };
    let process_label = Label::HostPid(pid);
    let fork = dispatch(ScenarioAction::Fork {
        process: process_label.clone(),
        // The page names the child when the step is taken.
        name: String::new(),
        comm: Some(program.trim().to_owned()).filter(|comm| !comm.is_empty()),
        new: if *new_pid_ns {
            NsKinds::of(&[NsKind::Pid])
        } else {
            NsKinds::EMPTY
        },
    });
    let exit = dispatch(ScenarioAction::Exit {
        process: process_label.clone(),
        code: *code,
    });
    // kill() takes the target's pid as the sender sees it (K7); every listed sender sees it.
    let kill = match from {
        None => Some(dispatch(ScenarioAction::KillFromHost {
            process: process_label.clone(),
            signal: *signal,
        })),
        Some(from) => world.pid_seen_by(from, pid).ok().map(|seen| {
            dispatch(ScenarioAction::Kill {
                from: Label::HostPid(from),
                target: seen.0,
                signal: *signal,
            })
        }),
    };
    let wait = dispatch(ScenarioAction::Wait {
        process: process_label.clone(),
        nohang: *nohang,
    });
    let ignore = dispatch(ScenarioAction::Sigaction {
        process: process_label.clone(),
        signal: Signal::SIGCHLD,
        action: Disposition::Ignore,
    });
    let subreaper = dispatch(ScenarioAction::SetSubreaper {
        process: process_label,
    });

    let on_program = keep(&program, |e| Some(input_value(e)));
    let on_new_ns = keep(&new_pid_ns, |e| Some(input_checked(e)));
    let on_code = keep(&code, |e| Some(input_value(e).parse().unwrap_or(0)));
    let on_signal = keep(&signal, |e| {
        let name = select_value(e);
        Signal::all().find(|s| s.name() == name)
    });
    let on_sender = keep(&sender, |e| Some(select_value(e).parse().ok().map(Pid)));
    let on_nohang = keep(&nohang, |e| Some(input_checked(e)));
    let alive = process.state().is_alive();
    // What its program does: a made-up name is generic, a real one behaves as measured (K30).
    let program_note = store
        .node()
        .and_then(|node| node.program(pid))
        .map(|program| describe_program(program, Some(process), store.language));
    html! {
        <section class="act-panel" aria-label={strings.act_on}>
            <h3>{ format!("{}: {} (pid {pid})", strings.act_on, process.comm()) }</h3>
            if let Some(note) = program_note {
                <p class="program-note">{ note }</p>
            }
            <div class="acts">
                <div class="act">
                    <button id="act-fork" onclick={fork} disabled={!alive}>{ strings.fork }</button>
                    <label>{ strings.program }<input id="act-program" type="text" size="10" value={(*program).clone()} oninput={on_program} /></label>
                    <label><input type="checkbox" checked={*new_pid_ns} onchange={on_new_ns} />{ strings.fork_new_pid_ns }</label>
                </div>
                <div class="act">
                    <button id="act-exit" onclick={exit} disabled={!alive}>{ strings.exit }</button>
                    <label>{ strings.exit_code }<input id="act-code" type="number" min="0" max="255" value={code.to_string()} oninput={on_code} /></label>
                </div>
                <div class="act">
                    <button id="act-kill" disabled={kill.is_none()} onclick={kill}>{ strings.send_signal }</button>
                    <select id="act-signal" onchange={on_signal} aria-label="signal">
                        { for Signal::all().map(|s| html! { <option value={s.name()} selected={s == *signal}>{ s.name() }</option> }) }
                    </select>
                    <label>{ strings.from }
                        <select id="act-from" onchange={on_sender}>
                            { for senders.iter().map(|(p, label)| html! { <option value={p.map_or_else(String::new, |p| p.0.to_string())} selected={*p == from}>{ label.clone() }</option> }) }
                        </select>
                    </label>
                </div>
                <div class="act">
                    <button id="act-wait" onclick={wait} disabled={!alive}>{ strings.wait }</button>
                    <label><input type="checkbox" checked={*nohang} onchange={on_nohang} />{ strings.wait_nohang }</label>
                    <button id="act-ignore" onclick={ignore} disabled={!alive}>{ strings.ignore_sigchld }</button>
                    <button id="act-subreaper" onclick={subreaper} disabled={!alive}>{ strings.set_subreaper }</button>
                </div>
            </div>
        </section>
    }
}
