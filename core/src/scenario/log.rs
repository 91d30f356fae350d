//! The player as a [`Machine`]: a scenario's steps as inputs, what each did as a [`StepLog`],
//! so a lesson steps back and forth with the same [`History`](crate::history::History) as a
//! trace.

use super::check::Mismatch;
use super::player::{Player, UnknownLabel};
use super::schema::{Expect, ScenarioStep};
use crate::history::Machine;
use crate::pod::{NodeStep, PodError};

/// One check of a step and whether it held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// What should hold.
    pub expect: Expect,
    /// `Err` says what was found instead.
    pub result: Result<(), Mismatch>,
}

/// What one step did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepLog {
    /// What happened on the node, in order.
    pub node_steps: Vec<NodeStep>,
    /// The refusal that stopped the step, if any.
    pub refused: Option<PodError>,
    /// An action the step could not even try (it names a process that does not exist,
    /// typically because a changed pod was refused).
    pub failure: Option<UnknownLabel>,
    /// The step's checks.
    pub checks: Vec<Check>,
}

/// Why a new step was not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepRefusal {
    /// The node refused an action.
    Refused(PodError),
    /// An action names no process.
    Unknown(UnknownLabel),
}

impl Player {
    /// Whether each of `expect` holds now.
    pub fn checks(&self, expect: &[Expect]) -> Vec<Check> {
        expect
            .iter()
            .map(|expect| Check {
                expect: expect.clone(),
                result: self.holds(expect),
            })
            .collect()
    }
}

impl Machine for Player {
    type Input = ScenarioStep;
    type Record = StepLog;
    type Refusal = StepRefusal;

    fn replay(&mut self, step: &ScenarioStep) -> StepLog {
        let failure = self.perform(step).err();
        StepLog {
            node_steps: self.last.clone(),
            refused: self.refused.clone(),
            failure,
            checks: self.checks(&step.expect),
        }
    }

    fn attempt(&mut self, step: &ScenarioStep) -> Result<StepLog, StepRefusal> {
        // Played on a copy: a step refused halfway must leave nothing behind.
        let mut next = self.clone();
        let log = next.replay(step);
        if let Some(refused) = log.refused {
            return Err(StepRefusal::Refused(refused));
        }
        if let Some(failure) = log.failure {
            return Err(StepRefusal::Unknown(failure));
        }
        *self = next;
        Ok(log)
    }
}
