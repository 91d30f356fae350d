//! The app's state and the actions that change it: `State` + `Action` + `reduce`, wrapped in
//! Yew's `Reducible`. Pure: no DOM, no I/O, so it is tested on the host. Every semantic answer
//! comes from `pauselab-core`; this only keeps track of what is on screen.

mod lesson;
#[cfg(feature = "live")]
mod live;
mod notice;
mod url;

use std::rc::Rc;

use pauselab_core::pod::{ContainerSpec, Flavor, IpcMode, Node, PodSpec, Program};
use pauselab_core::scenario::{Action as ScenarioAction, Listing, Scenario, ScenarioStep, Text};
use pauselab_core::wire;
use pauselab_core::{NsId, Outcome, Pid, Timeline, World};

pub use lesson::{describe_action, Lesson, PodToggles};
#[cfg(feature = "live")]
pub use live::{LiveMessage, LiveStatus, LIVE_NAME};
pub use notice::{FileProblem, Notice, Unreadable};
pub use pauselab_core::scenario::{Check, StepLog};
pub use url::Link;

use crate::i18n::Language;

/// The id of the playground in links.
pub const PLAYGROUND: &str = "play";

/// Where the steps on screen come from.
#[derive(Clone, Debug)]
pub enum Source {
    /// A guided scenario or the playground, through the pod layer.
    Lesson(Box<Lesson>),
    /// A file written by `pauselab ps --json` or `pauselab trace` on a real machine.
    File {
        /// The file's name.
        name: String,
        /// Its steps.
        timeline: Box<Timeline>,
    },
}

/// What the app shows.
#[derive(Clone, Debug)]
pub struct State {
    /// Every guided scenario's id and title, in the order of `core/scenarios/`.
    pub catalog: Rc<Vec<Listing>>,
    /// The scenarios read so far: the first, compiled in, and each one fetched when opened.
    loaded: Rc<Vec<Rc<Scenario>>>,
    /// What waits for a scenario's file to be fetched, if anything.
    pub wanted: Option<Wanted>,
    /// The free playground, a scenario of one step.
    pub playground: Rc<Scenario>,
    /// What is being stepped through.
    pub source: Source,
    /// The language of the text.
    pub language: Language,
    /// The last refusal or load error, shown until the next successful action.
    pub notice: Option<Notice>,
    /// The process the action panel acts on.
    pub selected: Option<Pid>,
    /// The pid namespace `ps` is run in; none for the node's.
    pub viewpoint: Option<NsId>,
    /// Whether the timeline is playing.
    pub playing: bool,
    /// How the "this node" view stands with the server.
    #[cfg(feature = "live")]
    pub live: LiveStatus,
    /// The node's record as the stream brings it, whatever is on screen.
    #[cfg(feature = "live")]
    pub live_record: Option<Box<Timeline>>,
    /// The record the view followed before one too long to go on with, kept for export.
    #[cfg(feature = "live")]
    pub live_earlier: Option<Box<Timeline>>,
    /// The step at which the record last went on with a new one from the server (its first
    /// look, drawn anew), if it did.
    #[cfg(feature = "live")]
    pub live_resumed: Option<usize>,
}

/// What waits for a listed scenario that is not read yet: opening it, or a link into it. The
/// page fetches `scenarios/<id>.wire` and hands over what came ([`Action::Fetched`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Wanted {
    /// Open the scenario.
    Open(String),
    /// Reopen the moment the link describes.
    Restore(Link),
}

impl Wanted {
    /// The scenario to fetch.
    pub fn id(&self) -> &str {
        match self {
            Wanted::Open(id) => id,
            Wanted::Restore(link) => link.scenario.as_deref().unwrap_or_default(),
        }
    }
}

/// What came of fetching a scenario's file.
#[derive(Clone, Debug)]
pub enum Fetched {
    /// Its bytes, as `core::wire` wrote them.
    Wire(Rc<[u8]>),
    /// Nothing came: no connection, or the server has no such file.
    Missing,
}

/// What the file reader (a second wasm module, `web/loader`) made of a file.
#[derive(Clone, Debug)]
pub enum Loaded {
    /// The file's timeline as [`pauselab_core::wire`] bytes.
    Wire(Rc<[u8]>),
    /// The reader refused the file, saying why in both languages.
    Refused(Text),
    /// The reader could not be fetched or started.
    ReaderMissing,
}

/// What the user can do.
#[derive(Clone, Debug)]
pub enum Action {
    /// Open a guided scenario by id, or the playground (`play`).
    Open(String),
    /// One step forward; stops playing at the end.
    Forward,
    /// One step back.
    Back,
    /// Jump to a step.
    Seek(usize),
    /// Start or stop playing.
    Play(bool),
    /// Change the pod (none: as written) and replay to the same step.
    SetToggles(Option<PodToggles>),
    /// Act on a process or a pod at the current step, in the scenarios' vocabulary (processes
    /// named by host pid, `#PID`); a fork or exec without a name gets one (`you-N`).
    Act(Box<ScenarioAction>),
    /// Choose the process to act on.
    Select(Option<Pid>),
    /// Choose where `ps` runs.
    ViewFrom(Option<NsId>),
    /// Switch language.
    SetLanguage(Language),
    /// A file's name and what the file reader made of it.
    Load(String, Loaded),
    /// A file that could not even be read: its name and why. Only the notice changes.
    Unreadable(String, Unreadable),
    /// Hide the notice.
    Dismiss,
    /// Reopen the moment a link describes.
    Restore(Link),
    /// A scenario's file came, or did not: what was wanted of it happens now.
    Fetched(String, Fetched),
    /// A message of this node's live stream.
    #[cfg(feature = "live")]
    Live(LiveMessage),
}

impl Default for State {
    fn default() -> Self {
        State::new(Language::English)
    }
}

/// The playground: a containerd pod with one app container that does nothing by itself.
fn playground() -> Scenario {
    let strings_en = Language::English.page();
    let strings_ko = Language::Korean.page();
    let text = |en: &str, ko: &str| Text {
        en: en.to_owned(),
        ko: ko.to_owned(),
    };
    let spec = PodSpec {
        name: "web".into(),
        containers: vec![ContainerSpec {
            name: "app".into(),
            program: Program::named("app"),
        }],
        share_process_namespace: false,
        host_network: false,
        host_pid: false,
        host_ipc: false,
        flavor: Flavor::Containerd,
        pause_ipc: IpcMode::shareable(),
    };
    Scenario {
        id: PLAYGROUND.into(),
        title: text(strings_en.playground, strings_ko.playground),
        question: text(
            strings_en.playground_question,
            strings_ko.playground_question,
        ),
        rules: Vec::new(),
        sources: Vec::new(),
        steps: vec![ScenarioStep {
            say: text(strings_en.playground_say, strings_ko.playground_say),
            actions: vec![ScenarioAction::CreatePod { pod: spec }],
            expect: Vec::new(),
        }],
        challenge: None,
    }
}

impl State {
    /// The first scenario at its start.
    pub fn new(language: Language) -> State {
        // Compiled in by build.rs from the files the core's tests check; should the bytes
        // not read, the playground still works.
        let catalog =
            wire::decode_catalog(include_bytes!(concat!(env!("OUT_DIR"), "/catalog.wire")))
                .unwrap_or_default();
        let loaded: Vec<Rc<Scenario>> =
            wire::decode_scenarios(include_bytes!(concat!(env!("OUT_DIR"), "/first.wire")))
                .unwrap_or_default()
                .into_iter()
                .map(Rc::new)
                .collect();
        let playground = Rc::new(playground());
        let first = loaded
            .first()
            .cloned()
            .unwrap_or_else(|| playground.clone());
        State {
            catalog: Rc::new(catalog),
            loaded: Rc::new(loaded),
            wanted: None,
            playground,
            source: Source::Lesson(Box::new(Lesson::new(first))),
            language,
            notice: None,
            selected: None,
            viewpoint: None,
            playing: false,
            #[cfg(feature = "live")]
            live: LiveStatus::Waiting,
            #[cfg(feature = "live")]
            live_record: None,
            #[cfg(feature = "live")]
            live_earlier: None,
            #[cfg(feature = "live")]
            live_resumed: None,
        }
    }

    /// The scenario with this id, or the playground, if it has been read.
    pub fn scenario(&self, id: &str) -> Option<Rc<Scenario>> {
        if id == PLAYGROUND {
            return Some(self.playground.clone());
        }
        self.loaded.iter().find(|s| s.id == id).cloned()
    }

    /// Whether `id` is a guided scenario's.
    fn listed(&self, id: &str) -> bool {
        self.catalog.iter().any(|listing| listing.id == id)
    }

    /// The scenario's id as the picker should show it: the one wanted, else the one on screen
    /// (empty for a file).
    pub fn chosen(&self) -> &str {
        match (&self.wanted, &self.source) {
            (Some(wanted), _) => wanted.id(),
            (None, Source::Lesson(lesson)) => &lesson.written.id,
            (None, Source::File { .. }) => "",
        }
    }

    /// The world at the current step.
    pub fn world(&self) -> &World {
        match &self.source {
            Source::Lesson(lesson) => lesson.player().node().world(),
            Source::File { timeline, .. } => timeline.world(),
        }
    }

    /// The node, when the steps come from a lesson.
    pub fn node(&self) -> Option<&Node> {
        match &self.source {
            Source::Lesson(lesson) => Some(lesson.player().node()),
            Source::File { .. } => None,
        }
    }

    /// The lesson, if that is what is on screen.
    pub fn lesson(&self) -> Option<&Lesson> {
        match &self.source {
            Source::Lesson(lesson) => Some(lesson),
            Source::File { .. } => None,
        }
    }

    /// How many steps are applied, and how many there are.
    pub fn position(&self) -> (usize, usize) {
        match &self.source {
            Source::Lesson(lesson) => (lesson.position(), lesson.len()),
            Source::File { timeline, .. } => (timeline.position(), timeline.len()),
        }
    }

    /// What the last applied step's kernel did, for highlighting reparenting and reaping.
    pub fn last_outcomes(&self) -> Vec<Outcome> {
        match &self.source {
            Source::Lesson(lesson) => lesson
                .logs()
                .last()
                .map(|log| {
                    log.node_steps
                        .iter()
                        .flat_map(|step| match step {
                            pauselab_core::pod::NodeStep::Kernel { outcomes, .. } => {
                                outcomes.clone()
                            }
                            pauselab_core::pod::NodeStep::Runtime { .. }
                            | pauselab_core::pod::NodeStep::Typed { .. } => Vec::new(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            Source::File { timeline, .. } => timeline
                .last_step()
                .map(|step| step.outcomes.clone())
                .unwrap_or_default(),
        }
    }

    /// The link to the moment on screen; none for a file, which a link cannot carry.
    pub fn link(&self) -> Link {
        // A link that waits for its scenario's file stays the page's address, so that a fetch
        // that fails does not lose it.
        if let Some(Wanted::Restore(link)) = &self.wanted {
            return Link {
                language: Some(self.language),
                ..link.clone()
            };
        }
        let language = Some(self.language);
        match &self.source {
            Source::Lesson(lesson) => Link {
                scenario: Some(lesson.written.id.clone()),
                step: lesson.position(),
                toggles: lesson.toggles(),
                kept: (lesson.kept() < lesson.written.steps.len()).then_some(lesson.kept()),
                acts: lesson.extra().to_vec(),
                language,
            },
            Source::File { .. } => Link {
                language,
                ..Link::default()
            },
        }
    }

    fn seek(&mut self, position: usize) {
        match &mut self.source {
            Source::Lesson(lesson) => lesson.seek(position),
            Source::File { timeline, .. } => timeline.seek(position),
        }
        // A process selected earlier may not exist at this step.
        if self
            .selected
            .is_some_and(|pid| self.world().process(pid).is_none())
        {
            self.selected = None;
        }
        if self
            .viewpoint
            .is_some_and(|ns| self.world().ps(ns).is_none())
        {
            self.viewpoint = None;
        }
    }

    fn open(&mut self, scenario: Rc<Scenario>) {
        self.source = Source::Lesson(Box::new(Lesson::new(scenario)));
        self.selected = None;
        self.viewpoint = None;
        self.playing = false;
    }

    fn act(&mut self, mut action: ScenarioAction) -> Result<(), Notice> {
        if let ScenarioAction::Fork { name, .. } | ScenarioAction::Exec { name, .. } = &mut action {
            // A name later steps of the reader's could use, unique among them.
            if name.is_empty() {
                if let Source::Lesson(lesson) = &self.source {
                    *name = format!("you-{}", lesson.extra().len() + 1);
                }
            }
        }
        match &mut self.source {
            Source::Lesson(lesson) => lesson.act(action),
            Source::File { timeline, .. } => timeline.act(&action).map_err(Notice::from),
        }
    }

    /// The state after `action`. A refused act or a broken file leaves everything as it was
    /// and only sets the notice.
    pub fn reduce(&self, action: Action) -> State {
        // The live view is read-only: an act would be played on the page's copy only, and the
        // node's next events after it would no longer be the node's.
        #[cfg(feature = "live")]
        if matches!(&self.source, Source::File { name, .. } if name == LIVE_NAME)
            && matches!(action, Action::Act(_))
        {
            return self.clone();
        }
        let mut next = self.clone();
        next.notice = None;
        match action {
            Action::Open(id) => {
                next.wanted = None;
                match self.scenario(&id) {
                    Some(scenario) => next.open(scenario),
                    None if self.listed(&id) => next.wanted = Some(Wanted::Open(id)),
                    None => next.notice = Some(Notice::NoScenario(id)),
                }
            }
            Action::Forward => {
                let (position, len) = next.position();
                next.seek(position + 1);
                if position + 1 >= len {
                    next.playing = false;
                }
            }
            Action::Back => {
                let (position, _) = next.position();
                next.seek(position.saturating_sub(1));
            }
            Action::Seek(position) => next.seek(position),
            Action::Play(on) => {
                let (position, len) = next.position();
                if on && position >= len {
                    next.seek(0);
                }
                next.playing = on;
            }
            Action::SetToggles(toggles) => {
                if let Source::Lesson(lesson) = &mut next.source {
                    lesson.set_toggles(toggles);
                }
                let position = next.position().0;
                next.seek(position);
            }
            Action::Act(act) => {
                next.playing = false;
                if let Err(notice) = next.act(*act) {
                    // Nothing else changes: the act was refused.
                    let mut kept = self.clone();
                    kept.notice = Some(notice);
                    return kept;
                }
            }
            Action::Select(pid) => next.selected = pid,
            Action::ViewFrom(ns) => next.viewpoint = ns,
            Action::SetLanguage(language) => next.language = language,
            Action::Load(name, loaded) => match open(loaded) {
                Ok(timeline) => {
                    // The file is what the reader chose last.
                    next.wanted = None;
                    next.source = Source::File {
                        name,
                        timeline: Box::new(timeline),
                    };
                    next.selected = None;
                    next.viewpoint = None;
                    next.playing = false;
                }
                // The view on screen stays; only the error is new.
                Err(problem) => next.notice = Some(Notice::File { name, problem }),
            },
            Action::Unreadable(name, why) => next.notice = Some(Notice::Unread { name, why }),
            #[cfg(feature = "live")]
            Action::Live(message) => {
                // The node's messages come by themselves: a notice stays until the reader acts.
                next.notice = self.notice.clone();
                next.follow(message);
            }
            Action::Dismiss => {}
            Action::Restore(link) => {
                next.wanted = None;
                next.restore(link);
            }
            Action::Fetched(id, fetched) => {
                // Only what is still wanted: the reader may have chosen something else since.
                let Some(wanted) = next.wanted.take_if(|wanted| wanted.id() == id) else {
                    return self.clone();
                };
                match read_fetched(&id, fetched) {
                    Ok(scenario) => {
                        Rc::make_mut(&mut next.loaded).push(Rc::new(scenario));
                        match wanted {
                            Wanted::Open(id) => {
                                if let Some(scenario) = next.scenario(&id) {
                                    next.open(scenario);
                                }
                            }
                            Wanted::Restore(link) => next.restore(link),
                        }
                    }
                    Err(notice) => next.notice = Some(notice),
                }
            }
        }
        next
    }

    fn restore(&mut self, link: Link) {
        if let Some(language) = link.language {
            self.language = language;
        }
        let Some(id) = link.scenario.as_deref() else {
            return;
        };
        let Some(scenario) = self.scenario(id) else {
            if self.listed(id) {
                self.wanted = Some(Wanted::Restore(link));
            }
            // A link to no scenario opens the first; the link is input from anywhere.
            return;
        };
        let mut lesson = Lesson::new(scenario);
        lesson.set_toggles(link.toggles);
        if let Some(kept) = link.kept {
            lesson.keep(kept);
        }
        // The reader's actions are replayed one by one; the first refused one and the rest
        // are dropped, so a hand-edited link cannot show an impossible world.
        lesson.seek(lesson.kept());
        for action in link.acts {
            if lesson.act(action).is_err() {
                break;
            }
        }
        lesson.seek(link.step);
        self.source = Source::Lesson(Box::new(lesson));
        self.selected = None;
        self.viewpoint = None;
        self.playing = false;
    }
}

/// The scenario a fetched file holds: exactly one, the one asked for, or why there is none.
fn read_fetched(id: &str, fetched: Fetched) -> Result<Scenario, Notice> {
    let unread = |old| Notice::ScenarioUnread {
        id: id.to_owned(),
        old,
    };
    let Fetched::Wire(bytes) = fetched else {
        return Err(unread(false));
    };
    let mut scenarios = wire::decode_scenarios(&bytes).map_err(|_| unread(true))?;
    match (scenarios.pop(), scenarios.is_empty()) {
        (Some(scenario), true) if scenario.id == id => Ok(scenario),
        _ => Err(unread(true)),
    }
}

/// The timeline the file reader's bytes hold, or why there is none.
fn open(loaded: Loaded) -> Result<Timeline, FileProblem> {
    match loaded {
        Loaded::Wire(bytes) => Timeline::from_wire(&bytes).map_err(|_| FileProblem::ReaderOld),
        Loaded::Refused(why) => Err(FileProblem::Refused(why)),
        Loaded::ReaderMissing => Err(FileProblem::ReaderMissing),
    }
}

/// Identity, not value: Yew compares the shared state to decide whether the context changed,
/// and every reduction makes a new state, so only the same state is equal to itself. A deep
/// comparison would cost more than the re-render it might save.
impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl yew::Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(State::reduce(&self, action))
    }
}

#[cfg(test)]
mod tests;
