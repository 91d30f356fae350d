//! Reading scenario files: every scenario under `core/scenarios/` is embedded at build time, so
//! adding one needs no code change; each is checked when read, and errors name file and step.

use super::schema::{Action, Scenario, Text};
use super::{Label, Player, StepError};
use crate::format::JsonError;
use crate::pod::{NotAsMeasured, PodSpec, Program};

mod files {
    include!(concat!(env!("OUT_DIR"), "/scenario_files.rs"));
}

/// A scenario file that cannot be used, or a step that does not play as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file (or scenario id).
    pub file: String,
    /// The step, from 0.
    pub step: Option<usize>,
    /// What is wrong.
    pub problem: ScenarioProblem,
}

impl std::error::Error for ScenarioError {}

/// What is wrong with a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioProblem {
    /// Not JSON, or not a scenario's shape.
    Json(JsonError),
    /// A text without both languages.
    MissingText(TextPart),
    /// No steps at all.
    NoSteps,
    /// An id that is not a short word of `a`–`z`, `0`–`9` and `-`, or is the playground's:
    /// the id names the scenario in links and its file beside the page.
    BadId(String),
    /// A name a step gives that reads as a label of another kind.
    NameReadsAsLabel(String),
    /// A container named like the pod's own labels (`pause`, `shim`).
    ReservedContainer {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
    },
    /// A program named after a real one, given behaviour the real one does not have (K30).
    NotAsMeasured(NotAsMeasured),
    /// A step did not play as written.
    Failed(StepError),
}

/// Which text of a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextPart {
    /// The title or the question.
    TitleOrQuestion,
    /// The challenge's task or hint.
    Challenge,
    /// A step's narration.
    Step,
}

impl Scenario {
    /// Reads a scenario from JSON, checking that every text is there in both languages and
    /// that every name a step gives can be told from the labels the player makes itself.
    pub fn from_json(file: &str, text: &str) -> Result<Scenario, ScenarioError> {
        let error = |step, problem| ScenarioError {
            file: file.to_owned(),
            step,
            problem,
        };
        let scenario: Scenario =
            serde_json::from_str(text).map_err(|e| error(None, ScenarioProblem::Json(e.into())))?;
        if !Scenario::is_id(&scenario.id) {
            return Err(error(None, ScenarioProblem::BadId(scenario.id)));
        }
        let missing = |t: &Text| t.en.trim().is_empty() || t.ko.trim().is_empty();
        if missing(&scenario.title) || missing(&scenario.question) {
            return Err(error(
                None,
                ScenarioProblem::MissingText(TextPart::TitleOrQuestion),
            ));
        }
        if scenario.steps.is_empty() {
            return Err(error(None, ScenarioProblem::NoSteps));
        }
        if let Some(challenge) = &scenario.challenge {
            if missing(&challenge.say) || missing(&challenge.hint) {
                return Err(error(
                    None,
                    ScenarioProblem::MissingText(TextPart::Challenge),
                ));
            }
        }
        for (index, step) in scenario.steps.iter().enumerate() {
            if missing(&step.say) {
                return Err(error(
                    Some(index),
                    ScenarioProblem::MissingText(TextPart::Step),
                ));
            }
            for action in &step.actions {
                check_names(action).map_err(|problem| error(Some(index), problem))?;
            }
        }
        Ok(scenario)
    }

    /// Whether `id` can name a scenario: 1 to 40 of `a`–`z`, `0`–`9` and `-`, and not `play`,
    /// which names the page's playground.
    pub fn is_id(id: &str) -> bool {
        (1..=40).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && id != "play"
    }

    /// Every embedded scenario, in file order.
    pub fn all() -> Result<Vec<Scenario>, ScenarioError> {
        files::FILES
            .iter()
            .map(|(file, text)| Scenario::from_json(file, text))
            .collect()
    }

    /// The same scenario with every pod it creates changed by `change`: the "what if" of the
    /// tutorial's pod toggles.
    pub fn map_pods(&self, change: impl Fn(&mut PodSpec)) -> Scenario {
        let mut scenario = self.clone();
        for step in &mut scenario.steps {
            for action in &mut step.actions {
                if let Action::CreatePod { pod } = action {
                    change(pod);
                }
            }
        }
        scenario
    }

    /// The first pod the scenario creates.
    pub fn first_pod(&self) -> Option<&PodSpec> {
        self.steps
            .iter()
            .flat_map(|step| &step.actions)
            .find_map(|action| match action {
                Action::CreatePod { pod } => Some(pod),
                _ => None,
            })
    }

    /// Plays the scenario from a fresh node, checking every expectation; stops at the first
    /// failure, naming the step.
    pub fn check(&self) -> Result<Player, ScenarioError> {
        let mut player = Player::new();
        for index in 0..self.steps.len() {
            player.play(self, index).map_err(|error| ScenarioError {
                file: self.id.clone(),
                step: Some(index),
                problem: ScenarioProblem::Failed(error),
            })?;
        }
        Ok(player)
    }
}

/// A name a step gives must read back as that name, not as `host`, `#N` or `pod/…`; a
/// container must not be called like the labels of pause and the shim.
fn check_names(action: &Action) -> Result<(), ScenarioProblem> {
    let given = match action {
        Action::Fork { name, .. }
        | Action::Exec { name, .. }
        | Action::Debug { name, .. }
        | Action::DockerExec { name, .. } => Some(name),
        Action::DockerRun { run } | Action::DockerCreate { run } => Some(&run.name),
        _ => None,
    };
    if let Some(name) = given.filter(|name| !Label::is_free_name(name)) {
        return Err(ScenarioProblem::NameReadsAsLabel(name.clone()));
    }
    let programs: Vec<&Program> = match action {
        Action::CreatePod { pod } => pod.containers.iter().map(|c| &c.program).collect(),
        Action::DockerRun { run } | Action::DockerCreate { run } => vec![&run.program],
        _ => Vec::new(),
    };
    for program in programs {
        check_program(program)?;
    }
    if let Action::CreatePod { pod } = action {
        let reserved = pod
            .containers
            .iter()
            .find(|c| matches!(c.name.as_str(), "pause" | "shim"));
        if let Some(container) = reserved {
            return Err(ScenarioProblem::ReservedContainer {
                pod: pod.name.clone(),
                container: container.name.clone(),
            });
        }
    }
    Ok(())
}

/// A program and every program it starts do what the real ones of their names do (K30).
fn check_program(program: &Program) -> Result<(), ScenarioProblem> {
    program.resolved().map_err(ScenarioProblem::NotAsMeasured)?;
    program.forks.iter().try_for_each(check_program)
}
