//! The guided scenarios, as data: each a JSON file under `core/scenarios/`, embedded at build
//! time, with its question, steps in English and Korean, what each step does, and what must
//! hold after it.
//!
//! - `schema`: what a file holds ([`Scenario`], [`Action`], [`Expect`]);
//! - `loader`: reading and checking the files ([`Scenario::all`]);
//! - `player`: playing steps on a node ([`Player`]), with processes named by [`Label`]s;
//! - `kernel`: the actions of the kernel alone as kernel calls, on a node or a bare world;
//! - `check`: whether an expectation holds, or the [`Mismatch`] found;
//! - `log`: the player as a [`crate::history::Machine`], each step's [`StepLog`].

mod check;
mod kernel;
mod label;
mod loader;
mod log;
mod player;
mod schema;

pub use check::{Found, FoundRow, Mismatch};
pub use label::Label;
pub use loader::{ScenarioError, ScenarioProblem, TextPart};
pub use log::{Check, StepLog, StepRefusal};
pub use player::{Player, StepError, UnknownLabel};
pub use schema::{Action, Challenge, Expect, Listing, Scenario, ScenarioStep, Text};
