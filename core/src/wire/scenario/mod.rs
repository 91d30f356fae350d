//! The guided scenarios, their list and a reader's actions: every field of a [`Scenario`] and
//! an [`Action`] in declaration order (`write`, `read`). Names of processes ([`Label`]) and
//! docker's namespace flags are written as the text a scenario file spells them with, and read
//! back through the same parser.
//!
//! [`Label`]: crate::scenario::Label

mod read;
mod write;

use super::{framed, unframed, Reader, WireError, Writer};
use crate::scenario::{Action, Listing, Scenario};

/// The first bytes of the scenarios: "pauselab scenarios", and the layout's version.
const SCENARIOS: &[u8; 4] = b"PLS\x03";
/// The first bytes of a list of scenarios: "pauselab catalog", and the layout's version.
const CATALOG: &[u8; 4] = b"PLC\x01";
/// The first bytes of a reader's actions: "pauselab actions", and the layout's version.
const ACTIONS: &[u8; 4] = b"PLA\x03";
/// The first bytes of the steps in play, each one's actions: "pauselab steps", and the
/// layout's version.
const STEPS: &[u8; 4] = b"PLT\x01";
/// How deep programs may start programs (`forks`): the scenarios go two deep; a link is input
/// from anywhere, and reading recurses.
const PROGRAM_DEPTH: usize = 16;

/// Writes the scenarios.
pub fn encode_scenarios(scenarios: &[Scenario]) -> Vec<u8> {
    framed(SCENARIOS, |out| out.list(scenarios, Writer::scenario))
}

/// Reads the scenarios: all of them, or an error.
pub fn decode_scenarios(bytes: &[u8]) -> Result<Vec<Scenario>, WireError> {
    unframed(bytes, SCENARIOS, |input| input.list(Reader::scenario))
}

/// Writes the list of `scenarios`: each one's id and title.
pub fn encode_catalog(scenarios: &[Scenario]) -> Vec<u8> {
    framed(CATALOG, |out| {
        out.list(scenarios, |out, scenario| {
            out.str(&scenario.id);
            out.text(&scenario.title);
        })
    })
}

/// Reads a list of scenarios written by [`encode_catalog`].
pub fn decode_catalog(bytes: &[u8]) -> Result<Vec<Listing>, WireError> {
    unframed(bytes, CATALOG, |input| {
        input.list(|input| {
            Ok(Listing {
                id: input.str()?,
                title: input.text()?,
            })
        })
    })
}

/// Writes a reader's actions.
pub fn encode_actions(actions: &[Action]) -> Vec<u8> {
    framed(ACTIONS, |out| out.list(actions, Writer::action))
}

/// Reads a reader's actions: all of them, or an error.
pub fn decode_actions(bytes: &[u8]) -> Result<Vec<Action>, WireError> {
    unframed(bytes, ACTIONS, |input| input.list(Reader::action))
}

/// Writes the actions of each step in play, for a module that replays them on a node of its
/// own (the page's terminal).
pub fn encode_steps<'a>(steps: impl IntoIterator<Item = &'a [Action]>) -> Vec<u8> {
    let steps: Vec<&[Action]> = steps.into_iter().collect();
    framed(STEPS, |out| {
        out.list(&steps, |out, actions| out.list(actions, Writer::action))
    })
}

/// Reads the steps written by [`encode_steps`]: all of them, or an error.
pub fn decode_steps(bytes: &[u8]) -> Result<Vec<Vec<Action>>, WireError> {
    unframed(bytes, STEPS, |input| {
        input.list(|input| input.list(Reader::action))
    })
}

impl Writer {
    /// A fieldless enum, as its index in `all` (its `ALL`, every variant).
    fn one_of<T: PartialEq>(&mut self, all: &[T], value: &T) {
        // Always found; an index past the end would be refused when read.
        let index = all.iter().position(|v| v == value).unwrap_or(all.len());
        self.uint(index as u64);
    }
}

impl Reader<'_> {
    /// A fieldless enum written by `Writer::one_of`.
    fn one_of<T: Copy>(&mut self, all: &[T], what: &'static str) -> Result<T, WireError> {
        usize::try_from(self.uint()?)
            .ok()
            .and_then(|index| all.get(index))
            .copied()
            .ok_or(WireError::Invalid(what))
    }
}

#[cfg(test)]
mod tests;
