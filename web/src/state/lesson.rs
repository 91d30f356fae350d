//! A guided scenario (or the playground) being stepped through: its steps, with the pod
//! toggles applied, and the reader's own actions after them, replayed through the pod layer.

use std::rc::Rc;

use pauselab_core::history::History;
use pauselab_core::pod::{Flavor, IpcMode, PodSpec};
use pauselab_core::scenario::{Action, Check, Player, Scenario, ScenarioStep, StepLog, Text};
use pauselab_core::text::{Language, Say};

/// The pod settings a reader can change: the "what if" of the pod view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PodToggles {
    /// `shareProcessNamespace`.
    pub share_process_namespace: bool,
    /// `hostNetwork`.
    pub host_network: bool,
    /// `hostPID`.
    pub host_pid: bool,
    /// `hostIPC`.
    pub host_ipc: bool,
    /// The runtime.
    pub flavor: Flavor,
    /// dockershim's `--ipc` for pause (K22).
    pub pause_ipc: IpcMode,
}

/// A pod spec's defaults: nothing shared with the host, containerd, pause's IPC shareable.
impl Default for PodToggles {
    fn default() -> Self {
        PodToggles {
            share_process_namespace: false,
            host_network: false,
            host_pid: false,
            host_ipc: false,
            flavor: Flavor::Containerd,
            pause_ipc: IpcMode::shareable(),
        }
    }
}

impl PodToggles {
    /// The settings of a spec.
    pub fn of(spec: &PodSpec) -> PodToggles {
        PodToggles {
            share_process_namespace: spec.share_process_namespace,
            host_network: spec.host_network,
            host_pid: spec.host_pid,
            host_ipc: spec.host_ipc,
            flavor: spec.flavor,
            pause_ipc: spec.pause_ipc,
        }
    }

    /// Writes the settings into a spec.
    pub fn apply(self, spec: &mut PodSpec) {
        spec.share_process_namespace = self.share_process_namespace;
        spec.host_network = self.host_network;
        spec.host_pid = self.host_pid;
        spec.host_ipc = self.host_ipc;
        spec.flavor = self.flavor;
        spec.pause_ipc = self.pause_ipc;
    }
}

/// A scenario being stepped through.
#[derive(Clone, Debug)]
pub struct Lesson {
    /// The scenario as written (the playground is one too).
    pub written: Rc<Scenario>,
    toggles: Option<PodToggles>,
    kept: usize,
    extra: Vec<Action>,
    /// The steps in play on a fresh node, and the cursor: core's, the same as a file's.
    history: History<Player>,
}

impl Lesson {
    /// A scenario at its start.
    pub fn new(written: Rc<Scenario>) -> Lesson {
        let kept = written.steps.len();
        let history = History::with_inputs(Player::new(), written.steps.clone());
        Lesson {
            written,
            toggles: None,
            kept,
            extra: Vec::new(),
            history,
        }
    }

    /// The steps in play: the scenario's kept steps, with the toggles applied, then the
    /// reader's.
    pub fn steps(&self) -> &[ScenarioStep] {
        self.history.inputs()
    }

    /// The steps the settings make.
    fn make_steps(&self) -> Vec<ScenarioStep> {
        // The toggles change the scenario's first pod (the one they show); a scenario that
        // compares two pods keeps its second as written.
        let scenario = match (self.toggles, self.written.first_pod()) {
            (Some(toggles), Some(first)) => {
                let name = first.name.clone();
                self.written.map_pods(|pod| {
                    if pod.name == name {
                        toggles.apply(pod);
                    }
                })
            }
            _ => (*self.written).clone(),
        };
        let mut steps: Vec<ScenarioStep> = scenario.steps.into_iter().take(self.kept).collect();
        steps.extend(self.extra.iter().map(reader_step));
        steps
    }

    /// The reader's pod settings, or none to play the scenario as written.
    pub fn toggles(&self) -> Option<PodToggles> {
        self.toggles
    }

    /// How many of the scenario's steps are kept: acting before its end drops the rest.
    pub fn kept(&self) -> usize {
        self.kept
    }

    /// The reader's own actions, each a step after the kept ones.
    pub fn extra(&self) -> &[Action] {
        &self.extra
    }

    /// How many steps there are.
    pub fn len(&self) -> usize {
        self.history.len()
    }

    /// Whether there are no steps at all.
    pub fn is_empty(&self) -> bool {
        self.history.is_empty()
    }

    /// How many steps are applied.
    pub fn position(&self) -> usize {
        self.history.position()
    }

    /// The player after the applied steps: the node, its labels, the last step's doings.
    pub fn player(&self) -> &Player {
        self.history.current()
    }

    /// What each applied step did.
    pub fn logs(&self) -> &[StepLog] {
        self.history.records()
    }

    /// Whether a step index is one of the scenario's own (not the reader's).
    pub fn is_scenario_step(&self, index: usize) -> bool {
        index < self.kept
    }

    /// The pod settings in effect: the toggles, or the scenario's first pod's.
    pub fn effective_toggles(&self) -> Option<PodToggles> {
        self.toggles
            .or_else(|| self.written.first_pod().map(PodToggles::of))
    }

    /// Moves to `position` (clamped), replaying from a fresh node when going back.
    pub fn seek(&mut self, position: usize) {
        self.history.seek(position);
    }

    /// Changes the pod and replays to the same step.
    pub fn set_toggles(&mut self, toggles: Option<PodToggles>) {
        // Toggled back to the scenario's own pod is the scenario as written.
        let written = self.written.first_pod().map(PodToggles::of);
        self.toggles = toggles.filter(|t| Some(*t) != written);
        self.history.set_inputs(self.make_steps());
    }

    /// Keeps only the first `kept` of the scenario's steps and none of the reader's (a link
    /// that cut the scenario short), at the same step or the last one left.
    pub fn keep(&mut self, kept: usize) {
        self.kept = kept.min(self.kept);
        self.extra.clear();
        self.history.set_inputs(self.make_steps());
    }

    /// The reader's action at the current step; later steps are dropped. A refused action
    /// changes nothing and returns the refusal.
    pub fn act(&mut self, action: Action) -> Result<(), super::Notice> {
        let position = self.position();
        self.history.attempt(reader_step(&action))?;
        if position < self.kept {
            self.kept = position;
            self.extra.clear();
        } else {
            self.extra.truncate(position - self.kept);
        }
        self.extra.push(action);
        Ok(())
    }

    /// The challenge's checks, once the scenario's steps are all played as written; none
    /// before that or when there is no challenge.
    pub fn challenge(&self) -> Option<Vec<Check>> {
        let challenge = self.written.challenge.as_ref()?;
        if self.kept < self.written.steps.len() || self.position() < self.kept {
            return None;
        }
        Some(self.player().checks(&challenge.expect))
    }
}

/// A step of the reader's: one action, described in the catalog's words, checking nothing.
fn reader_step(action: &Action) -> ScenarioStep {
    ScenarioStep {
        say: describe_action(action),
        actions: vec![action.clone()],
        expect: Vec::new(),
    }
}

/// The reader's action in both languages, for the timeline (the catalog's words).
pub fn describe_action(action: &Action) -> Text {
    Text {
        en: action.say(Language::English),
        ko: action.say(Language::Korean),
    }
}
