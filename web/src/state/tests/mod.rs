use pauselab_core::pod::ContainerRef;
use pauselab_core::scenario::Label;
use pauselab_core::text::{Language, Say};
use pauselab_core::{Document, Event, NsKinds, ProcState, Signal};

use super::*;

/// The page's acts, built as its act panel and pod view build them: scenario actions naming
mod fetch;
mod files;
mod fuzz;
mod language;
mod lessons;

/// processes by host pid.
fn fork(pid: Pid, comm: &str, new_pid_ns: bool) -> Action {
    Action::Act(Box::new(ScenarioAction::Fork {
        process: Label::HostPid(pid),
        name: String::new(),
        comm: Some(comm.to_owned()).filter(|comm| !comm.is_empty()),
        new: if new_pid_ns {
            NsKinds::of(&[pauselab_core::NsKind::Pid])
        } else {
            NsKinds::EMPTY
        },
    }))
}

fn exit(pid: Pid, code: u8) -> Action {
    Action::Act(Box::new(ScenarioAction::Exit {
        process: Label::HostPid(pid),
        code,
    }))
}

/// `kill(target, signal)` from `from`, the target named by the pid `from` sees it as (K7).
fn kill(state: &State, from: Pid, target: Pid, signal: Signal) -> Action {
    let seen = state.world().pid_seen_by(from, target).unwrap();
    kill_number(from, seen.0, signal)
}

/// `kill(number, signal)` from `from`: a number the sender may not see (a hand-edited link).
fn kill_number(from: Pid, number: u32, signal: Signal) -> Action {
    Action::Act(Box::new(ScenarioAction::Kill {
        from: Label::HostPid(from),
        target: number,
        signal,
    }))
}

fn wait(pid: Pid, nohang: bool) -> Action {
    Action::Act(Box::new(ScenarioAction::Wait {
        process: Label::HostPid(pid),
        nohang,
    }))
}

fn exec(pod: &str, container: &str) -> Action {
    Action::Act(Box::new(ScenarioAction::Exec {
        container: ContainerRef::new(pod, container),
        name: String::new(),
        comm: "sh".into(),
    }))
}

fn kill_pause(pod: &str) -> Action {
    Action::Act(Box::new(ScenarioAction::KillPause { pod: pod.into() }))
}

fn zombies() -> State {
    State::default().reduce_served(Action::Open("zombies".into()))
}

/// The host pid of the process a label names in the lesson on screen.
fn pid_of(state: &State, label: &str) -> Pid {
    let lesson = state.lesson().expect("a lesson on screen");
    lesson
        .player()
        .pid(&label.into())
        .unwrap_or_else(|| panic!("no process {label}"))
}

fn zombie_count(state: &State) -> usize {
    state.world().zombies().len()
}

fn trace_text() -> String {
    let mut recorded = Timeline::new(World::new());
    recorded
        .apply(Event::Fork {
            pid: Pid(1),
            new: NsKinds::EMPTY,
        })
        .unwrap();
    Document::Trace(recorded.to_trace(None)).to_json()
}

/// A file opened as the page opens it: read by the file reader, handed over as bytes.
fn load(name: String, text: String) -> Action {
    let loaded = match pauselab_web_loader::read(&text) {
        Ok(bytes) => Loaded::Wire(bytes.into()),
        Err(why) => Loaded::Refused(Text {
            en: why.english,
            ko: why.korean,
        }),
    };
    Action::Load(name, loaded)
}

/// The file of scenario `id` as the page's server has it: the bytes build.rs writes.
fn scenario_file(id: &str) -> Fetched {
    let scenario = Scenario::all()
        .unwrap()
        .into_iter()
        .find(|scenario| scenario.id == id)
        .map(|scenario| wire::encode_scenarios(&[scenario]));
    match scenario {
        Some(bytes) => Fetched::Wire(bytes.into()),
        None => Fetched::Missing,
    }
}

/// A reduction as the page makes it: when the state wants a scenario that is not read yet, the
/// page fetches its file and hands it over.
trait Served {
    fn reduce_served(&self, action: Action) -> State;
}

impl Served for State {
    fn reduce_served(&self, action: Action) -> State {
        let next = self.reduce(action);
        match next.wanted.as_ref().map(|wanted| wanted.id().to_owned()) {
            Some(id) => {
                let fetched = scenario_file(&id);
                next.reduce(Action::Fetched(id, fetched))
            }
            None => next,
        }
    }
}
