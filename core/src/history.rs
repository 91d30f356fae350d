//! Stepping through a history: a starting machine, its inputs in order, and a cursor. Going
//! back replays from the start, which determinism makes exact. Written once for every machine
//! the views step through: the kernel model fed a trace's events ([`crate::Timeline`]) and
//! the scenario player fed a lesson's steps ([`crate::scenario::Player`]).
//!
//! The start, the inputs and what they did are shared between clones, so that a view keeping
//! each moment as a new value (the browser's reducer) copies only the current machine.

use std::fmt::Debug;
use std::sync::Arc;

/// Something deterministic that takes inputs one at a time.
pub trait Machine: Clone {
    /// One step's input.
    type Input: Clone + Debug;
    /// What one input did, as the views show it.
    type Record: Clone + Debug;
    /// Why a new input was not taken.
    type Refusal;

    /// Applies an input that is part of the history: it counts as a step whatever it did, a
    /// refusal included (a trace records refused calls; a scenario shows a refused pod).
    fn replay(&mut self, input: &Self::Input) -> Self::Record;

    /// Applies a new input, or refuses it and stays exactly as it was.
    fn attempt(&mut self, input: &Self::Input) -> Result<Self::Record, Self::Refusal>;
}

/// A history of inputs to a machine, positioned after some of them.
#[derive(Clone, Debug)]
pub struct History<M: Machine + Debug> {
    initial: Arc<M>,
    inputs: Arc<Vec<M::Input>>,
    /// What each input did, known for a prefix at least as long as the cursor: the same inputs
    /// on the same start always do the same, so a record stays true until the inputs change.
    records: Arc<Vec<M::Record>>,
    cursor: usize,
    current: M,
}

impl<M: Machine + Debug> History<M> {
    /// A history that starts at `initial`, with no inputs.
    pub fn new(initial: M) -> History<M> {
        History::with_inputs(initial, Vec::new())
    }

    /// A history of `inputs` from `initial`, positioned at its start.
    pub fn with_inputs(initial: M, inputs: Vec<M::Input>) -> History<M> {
        History {
            current: initial.clone(),
            initial: Arc::new(initial),
            inputs: Arc::new(inputs),
            records: Arc::default(),
            cursor: 0,
        }
    }

    /// Like [`History::with_inputs`], with what each input does already known (a trace that
    /// was checked by replaying it). `records` must be what replaying gives.
    pub(crate) fn with_records(
        initial: M,
        inputs: Vec<M::Input>,
        records: Vec<M::Record>,
    ) -> History<M> {
        debug_assert_eq!(inputs.len(), records.len());
        History {
            records: Arc::new(records),
            ..History::with_inputs(initial, inputs)
        }
    }

    /// The machine at the cursor.
    pub fn current(&self) -> &M {
        &self.current
    }

    /// The machine before any input.
    pub fn initial(&self) -> &M {
        &self.initial
    }

    /// Every input, applied or not yet.
    pub fn inputs(&self) -> &[M::Input] {
        &self.inputs
    }

    /// What each applied input did.
    pub fn records(&self) -> &[M::Record] {
        &self.records[..self.cursor]
    }

    /// What the last applied input did.
    pub fn last_record(&self) -> Option<&M::Record> {
        self.records().last()
    }

    /// How many inputs are applied.
    pub fn position(&self) -> usize {
        self.cursor
    }

    /// How many inputs there are.
    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    /// Whether there are no inputs.
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// Applies the next input. Returns false at the end.
    pub fn forward(&mut self) -> bool {
        let Some(input) = self.inputs.get(self.cursor) else {
            return false;
        };
        let record = self.current.replay(input);
        if self.records.len() == self.cursor {
            Arc::make_mut(&mut self.records).push(record);
        }
        self.cursor += 1;
        true
    }

    /// Goes back one input. Returns false at the start.
    pub fn back(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.seek(self.cursor - 1);
        true
    }

    /// Moves the cursor to `position` (clamped to the number of inputs).
    pub fn seek(&mut self, position: usize) {
        let position = position.min(self.inputs.len());
        if position < self.cursor {
            self.current = M::clone(&self.initial);
            self.cursor = 0;
        }
        while self.cursor < position {
            self.forward();
        }
    }

    /// A new input at the cursor: taken, it drops every input after the cursor and becomes
    /// the next step; refused, nothing changes.
    pub fn attempt(&mut self, input: M::Input) -> Result<&M::Record, M::Refusal> {
        let record = self.current.attempt(&input)?;
        let inputs = Arc::make_mut(&mut self.inputs);
        inputs.truncate(self.cursor);
        inputs.push(input);
        let records = Arc::make_mut(&mut self.records);
        records.truncate(self.cursor);
        records.push(record);
        self.cursor += 1;
        Ok(&records[self.cursor - 1])
    }

    /// More inputs after the last one (a live node's new events); the cursor stays.
    pub fn extend(&mut self, more: impl IntoIterator<Item = M::Input>) {
        Arc::make_mut(&mut self.inputs).extend(more);
    }

    /// Replaces every input (the reader changed what the history is of), and replays to the
    /// same position, or to the end if there are fewer inputs now.
    pub fn set_inputs(&mut self, inputs: Vec<M::Input>) {
        let position = self.cursor;
        *self = History::with_inputs(M::clone(&self.initial), inputs);
        self.seek(position);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A counter that refuses to go below zero: enough to pin the cursor's rules.
    #[derive(Clone, Debug, PartialEq)]
    struct Counter(i32);

    impl Machine for Counter {
        type Input = i32;
        type Record = i32;
        type Refusal = &'static str;

        fn replay(&mut self, input: &i32) -> i32 {
            if self.0 + input >= 0 {
                self.0 += input;
            }
            self.0
        }

        fn attempt(&mut self, input: &i32) -> Result<i32, &'static str> {
            if self.0 + input < 0 {
                return Err("below zero");
            }
            Ok(self.replay(input))
        }
    }

    #[test]
    fn seeking_replays_and_records_stay_true() {
        let mut history = History::with_inputs(Counter(0), vec![1, 2, -10, 3]);
        history.seek(99);
        assert_eq!((history.position(), history.current()), (4, &Counter(6)));
        // A recorded input that the machine refuses still counts as a step.
        assert_eq!(history.records(), &[1, 3, 3, 6]);
        assert!(history.back());
        assert_eq!(
            (history.current(), history.records()),
            (&Counter(3), &[1, 3, 3][..])
        );
        history.seek(1);
        assert_eq!(history.last_record(), Some(&1));
        history.seek(0);
        assert!(!history.back());
        assert_eq!(history.records(), &[] as &[i32]);
    }

    #[test]
    fn an_attempt_drops_the_future_and_a_refused_one_changes_nothing() {
        let mut history = History::with_inputs(Counter(0), vec![5, 5, 5]);
        history.seek(1);
        assert_eq!(history.attempt(-9), Err("below zero"));
        assert_eq!((history.len(), history.current()), (3, &Counter(5)));
        assert_eq!(history.attempt(-2), Ok(&3));
        assert_eq!(history.inputs(), &[5, -2]);
        assert!(!history.forward());
        history.seek(0);
        history.seek(2);
        assert_eq!(history.current(), &Counter(3));
    }

    /// Model-based: proptest is a host-only dev-dependency (the wasm build has none).
    #[cfg(not(target_arch = "wasm32"))]
    mod model {
        use super::*;

        /// One thing a view does to a history.
        #[derive(Clone, Debug)]
        enum Op {
            Forward,
            Back,
            Seek(usize),
            Attempt(i32),
            SetInputs(Vec<i32>),
        }

        fn op() -> impl proptest::strategy::Strategy<Value = Op> {
            use proptest::prelude::*;
            prop_oneof![
                Just(Op::Forward),
                Just(Op::Back),
                (0usize..12).prop_map(Op::Seek),
                (-6i32..6).prop_map(Op::Attempt),
                proptest::collection::vec(-6i32..6, 0..8).prop_map(Op::SetInputs),
            ]
        }

        /// The obvious history: inputs and a position; the machine and the records are recomputed
        /// from the start every time.
        #[derive(Debug, Default)]
        struct Reference {
            inputs: Vec<i32>,
            position: usize,
        }

        impl Reference {
            fn replayed(&self) -> (Counter, Vec<i32>) {
                let mut counter = Counter(0);
                let records = self.inputs[..self.position]
                    .iter()
                    .map(|input| counter.replay(input))
                    .collect();
                (counter, records)
            }

            fn apply(&mut self, op: &Op) {
                match op {
                    Op::Forward => self.position = (self.position + 1).min(self.inputs.len()),
                    Op::Back => self.position = self.position.saturating_sub(1),
                    Op::Seek(to) => self.position = (*to).min(self.inputs.len()),
                    Op::Attempt(input) => {
                        if self.replayed().0 .0 + input >= 0 {
                            self.inputs.truncate(self.position);
                            self.inputs.push(*input);
                            self.position += 1;
                        }
                    }
                    Op::SetInputs(inputs) => {
                        self.inputs = inputs.clone();
                        self.position = self.position.min(inputs.len());
                    }
                }
            }
        }

        proptest::proptest! {
            /// Any sequence of moves leaves the history where the obvious one is, with the same
            /// machine and records, and a clone taken on the way untouched.
            #[test]
            fn the_cursor_agrees_with_recomputing_from_the_start(
                ops in proptest::collection::vec(op(), 0..40)
            ) {
                let mut history = History::new(Counter(0));
                let mut reference = Reference::default();
                let mut earlier = Vec::new();
                for op in &ops {
                    earlier.push((history.clone(), history.current().clone(), history.records().to_vec()));
                    match op {
                        Op::Forward => {
                            history.forward();
                        }
                        Op::Back => {
                            history.back();
                        }
                        Op::Seek(to) => history.seek(*to),
                        Op::Attempt(input) => {
                            let _ = history.attempt(*input);
                        }
                        Op::SetInputs(inputs) => history.set_inputs(inputs.clone()),
                    }
                    reference.apply(op);
                    let (counter, records) = reference.replayed();
                    proptest::prop_assert_eq!(history.inputs(), reference.inputs.as_slice());
                    proptest::prop_assert_eq!(history.position(), reference.position);
                    proptest::prop_assert_eq!(history.current(), &counter);
                    proptest::prop_assert_eq!(history.records(), records.as_slice());
                }
                for (clone, current, records) in earlier {
                    proptest::prop_assert_eq!(clone.current(), &current);
                    proptest::prop_assert_eq!(clone.records(), records.as_slice());
                }
            }
        }
    }

    #[test]
    fn new_inputs_replay_to_the_same_step() {
        let mut history = History::with_inputs(Counter(0), vec![1, 1, 1]);
        history.seek(2);
        let before = history.clone();
        history.set_inputs(vec![10, 10, 10]);
        assert_eq!((history.position(), history.current()), (2, &Counter(20)));
        history.set_inputs(vec![7]);
        assert_eq!((history.position(), history.current()), (1, &Counter(7)));
        // A clone made earlier is another moment, untouched.
        assert_eq!(before.current(), &Counter(2));
    }
}
