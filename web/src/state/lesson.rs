//! A guided scenario (or the playground) being stepped through: its steps, with the pod
//! toggles applied, and the reader's own actions after them, replayed through the pod layer.

use std::rc::Rc;

use pauselab_core::pod::{Flavor, IpcMode, NodeStep, PodError, PodSpec};
use pauselab_core::scenario::{
    Action, Expect, Mismatch, Player, Scenario, ScenarioStep, Text, UnknownLabel,
};
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

/// One check of a step and whether it held.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    /// What should hold.
    pub expect: Expect,
    /// `Err` says what was found instead.
    pub result: Result<(), Mismatch>,
}

/// What one step did.
#[derive(Clone, Debug, PartialEq)]
pub struct StepLog {
    /// What happened on the node, in order.
    pub node_steps: Vec<NodeStep>,
    /// The refusal that stopped the step, if any.
    pub refused: Option<PodError>,
    /// An action the step could not even try (it names a process that does not exist,
    /// typically because a changed pod was refused).
    pub failure: Option<UnknownLabel>,
    /// The step's checks, if it came from the scenario.
    pub checks: Vec<Check>,
}

/// A scenario being stepped through.
#[derive(Clone, Debug)]
pub struct Lesson {
    /// The scenario as written (the playground is one too).
    pub written: Rc<Scenario>,
    /// The reader's pod settings, or none to play the scenario as written.
    pub toggles: Option<PodToggles>,
    /// How many of the scenario's steps are kept: acting before its end drops the rest.
    pub kept: usize,
    /// The reader's own actions, each a step after the kept ones.
    pub extra: Vec<Action>,
    /// How many steps are applied.
    pub position: usize,
    player: Player,
    logs: Vec<StepLog>,
}

impl Lesson {
    /// A scenario at its start.
    pub fn new(written: Rc<Scenario>) -> Lesson {
        let kept = written.steps.len();
        Lesson {
            written,
            toggles: None,
            kept,
            extra: Vec::new(),
            position: 0,
            player: Player::new(),
            logs: Vec::new(),
        }
    }

    /// The steps in play: the scenario's kept steps, with the toggles applied, then the
    /// reader's.
    pub fn steps(&self) -> Vec<ScenarioStep> {
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
        steps.extend(self.extra.iter().map(|action| ScenarioStep {
            say: describe_action(action),
            actions: vec![action.clone()],
            expect: Vec::new(),
        }));
        steps
    }

    /// How many steps there are.
    pub fn len(&self) -> usize {
        self.kept + self.extra.len()
    }

    /// Whether there are no steps at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The player after the applied steps: the node, its labels, the last step's doings.
    pub fn player(&self) -> &Player {
        &self.player
    }

    /// What each applied step did.
    pub fn logs(&self) -> &[StepLog] {
        &self.logs
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
        let position = position.min(self.len());
        if position < self.position {
            self.player = Player::new();
            self.logs.clear();
            self.position = 0;
        }
        if position > self.position {
            let steps = self.steps();
            for step in &steps[self.position..position] {
                let log = play(&mut self.player, step);
                self.logs.push(log);
            }
            self.position = position;
        }
    }

    /// Changes the pod and replays to the same step.
    pub fn set_toggles(&mut self, toggles: Option<PodToggles>) {
        let position = self.position;
        // Toggled back to the scenario's own pod is the scenario as written.
        let written = self.written.first_pod().map(PodToggles::of);
        self.toggles = toggles.filter(|t| Some(*t) != written);
        self.seek(0);
        self.seek(position);
    }

    /// The reader's action at the current step; later steps are dropped. A refused action
    /// changes nothing and returns the refusal.
    pub fn act(&mut self, action: Action) -> Result<(), super::Notice> {
        let step = ScenarioStep {
            say: describe_action(&action),
            actions: vec![action.clone()],
            expect: Vec::new(),
        };
        let mut player = self.player.clone();
        let log = play(&mut player, &step);
        if let Some(refused) = log.refused {
            return Err(super::Notice::Refused(refused));
        }
        if let Some(failure) = log.failure {
            return Err(super::Notice::Unknown(failure));
        }
        if self.position < self.kept {
            self.kept = self.position;
            self.extra.clear();
        } else {
            self.extra.truncate(self.position - self.kept);
        }
        self.extra.push(action);
        self.player = player;
        self.logs.push(log);
        self.position += 1;
        Ok(())
    }

    /// The challenge's checks, once the scenario's steps are all played as written; none
    /// before that or when there is no challenge.
    pub fn challenge(&self) -> Option<Vec<Check>> {
        let challenge = self.written.challenge.as_ref()?;
        if self.kept < self.written.steps.len() || self.position < self.kept {
            return None;
        }
        Some(
            challenge
                .expect
                .iter()
                .map(|expect| Check {
                    expect: expect.clone(),
                    result: self.player.holds(expect),
                })
                .collect(),
        )
    }
}

/// Plays one step, keeping everything it did and each check's result.
fn play(player: &mut Player, step: &ScenarioStep) -> StepLog {
    let failure = player.perform(step).err();
    StepLog {
        node_steps: player.last.clone(),
        refused: player.refused.clone(),
        failure,
        checks: step
            .expect
            .iter()
            .map(|expect| Check {
                expect: expect.clone(),
                result: player.holds(expect),
            })
            .collect(),
    }
}

/// The reader's action in both languages, for the timeline (the catalog's words).
pub fn describe_action(action: &Action) -> Text {
    Text {
        en: action.say(Language::English),
        ko: action.say(Language::Korean),
    }
}
