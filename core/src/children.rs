//! A process's children in the kernel's list order (K12, K16): the list that reparenting walks
//! and `wait(-1)` takes the first zombie of. Each link of a child to a parent has its own
//! sequence number, taken from one counter that only grows, so a `(seq, pid)` pair names one
//! link for good.
//!
//! Vectors rather than B-tree sets: the B-tree type was 3 KB of the page's gzipped download, and
//! the kernel's list only ever grows at its tail. Both stay cheap for a parent of 128,000
//! children taken in any order: a child that leaves the list is marked and swept out later,
//! and the zombies are a heap whose stale entries are dropped when they reach the top.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::process::Pid;

/// Marks a child that left the list (no process has host pid 0).
const GONE: Pid = Pid(0);

/// Below this many entries the gone ones are not worth sweeping.
const SWEEP_FROM: usize = 32;

/// Children in list order, as `(seq, host pid)`.
#[derive(Clone, Debug, Default)]
pub(crate) struct ChildList {
    /// Sorted by seq; the gone ones have the pid [`GONE`].
    entries: Vec<(u64, Pid)>,
    present: usize,
}

impl ChildList {
    /// Adds a child at `seq`: at the tail, as the kernel's `list_add_tail`, when `seq` is the
    /// largest yet (always, as the world numbers links).
    pub(crate) fn insert(&mut self, seq: u64, pid: Pid) {
        if self.entries.last().is_none_or(|&(last, _)| last < seq) {
            self.entries.push((seq, pid));
        } else {
            let at = self.entries.partition_point(|&(s, _)| s < seq);
            self.entries.insert(at, (seq, pid));
        }
        self.present += 1;
    }

    /// Takes the child linked at `seq` out of the list; whether it was there.
    pub(crate) fn remove(&mut self, seq: u64, pid: Pid) -> bool {
        let at = self.entries.partition_point(|&(s, _)| s < seq);
        match self.entries.get_mut(at) {
            Some(entry) if *entry == (seq, pid) && pid != GONE => entry.1 = GONE,
            _ => return false,
        }
        self.present -= 1;
        let gone = self.entries.len() - self.present;
        if gone > self.present && self.entries.len() >= SWEEP_FROM {
            self.entries.retain(|&(_, pid)| pid != GONE);
        }
        true
    }

    /// Whether it has no child.
    pub(crate) fn is_empty(&self) -> bool {
        self.present == 0
    }

    /// The children's host pids, in list order.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = Pid> + '_ {
        self.entries
            .iter()
            .map(|&(_, pid)| pid)
            .filter(|&pid| pid != GONE)
    }
}

/// The zombies among a process's children, first in list order on top: a min-heap of
/// `(seq, host pid)`. A zombie that leaves otherwise than by `wait(-1)` (reaped by its pid,
/// handed to another parent) is not looked for in the heap; the world checks the top with
/// [`ZombieQueue::first_where`] and drops what is no longer this parent's zombie at that seq.
#[derive(Clone, Debug, Default)]
pub(crate) struct ZombieQueue(BinaryHeap<Reverse<(u64, Pid)>>);

impl ZombieQueue {
    /// Adds a child that became a zombie (or came to this parent as one) at `seq`.
    pub(crate) fn push(&mut self, seq: u64, pid: Pid) {
        self.0.push(Reverse((seq, pid)));
    }

    /// The first zombie in list order for which `still` holds, dropping the stale entries
    /// above it.
    pub(crate) fn first_where(&mut self, mut still: impl FnMut(u64, Pid) -> bool) -> Option<Pid> {
        while let Some(&Reverse((seq, pid))) = self.0.peek() {
            if still(seq, pid) {
                return Some(pid);
            }
            self.0.pop();
        }
        None
    }

    /// Forgets every zombie (they were all handed to another parent).
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_out_of_order_still_lands_in_seq_order() {
        let mut list = ChildList::default();
        for (seq, pid) in [(1, 10), (5, 50), (3, 30)] {
            list.insert(seq, Pid(pid));
        }
        assert_eq!(list.iter().collect::<Vec<_>>(), [Pid(10), Pid(30), Pid(50)]);
        assert!(!list.remove(3, Pid(31)), "the seq names another child");
        assert!(list.remove(3, Pid(30)));
        assert_eq!(list.iter().collect::<Vec<_>>(), [Pid(10), Pid(50)]);
    }

    #[test]
    fn taking_many_children_from_the_front_keeps_the_list_short() {
        let mut list = ChildList::default();
        for seq in 1..=10_000 {
            list.insert(seq, Pid(seq as u32 + 1));
        }
        for seq in 1..=9_990 {
            assert!(list.remove(seq, Pid(seq as u32 + 1)));
        }
        assert_eq!(list.iter().count(), 10);
        assert!(
            list.entries.len() <= 2 * 10 + SWEEP_FROM,
            "swept: {}",
            list.entries.len()
        );
    }
}

/// Checked against the B-tree set the list and queue replace (host only: proptest).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod against_btree {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    #[derive(Clone, Debug)]
    enum Op {
        Link(u32),
        Unlink(usize),
    }

    fn ops() -> impl Strategy<Value = Vec<Op>> {
        prop::collection::vec(
            prop_oneof![
                (1..500u32).prop_map(Op::Link),
                any::<prop::sample::Index>().prop_map(|i| Op::Unlink(i.index(1 << 16))),
            ],
            0..400,
        )
    }

    proptest! {
        /// The list is the B-tree set of (seq, pid) it replaces, whatever is linked and
        /// unlinked in whatever order, and the queue's first live zombie is that set's first.
        #[test]
        fn the_list_and_the_queue_agree_with_an_ordered_set(ops in ops()) {
            let mut list = ChildList::default();
            let mut queue = ZombieQueue::default();
            let mut reference: BTreeSet<(u64, Pid)> = BTreeSet::new();
            let mut seq = 0;
            for op in ops {
                match op {
                    Op::Link(pid) => {
                        seq += 1;
                        list.insert(seq, Pid(pid));
                        queue.push(seq, Pid(pid));
                        reference.insert((seq, Pid(pid)));
                    }
                    Op::Unlink(index) => {
                        if reference.is_empty() {
                            prop_assert!(!list.remove(seq + 1, Pid(1)));
                            continue;
                        }
                        let key = *reference.iter().nth(index % reference.len()).unwrap();
                        prop_assert!(list.remove(key.0, key.1));
                        prop_assert!(!list.remove(key.0, key.1), "only once");
                        reference.remove(&key);
                    }
                }
                let in_order: Vec<Pid> = reference.iter().map(|&(_, pid)| pid).collect();
                prop_assert_eq!(list.iter().collect::<Vec<_>>(), in_order);
                prop_assert_eq!(list.is_empty(), reference.is_empty());
                let first = queue.first_where(|seq, pid| reference.contains(&(seq, pid)));
                prop_assert_eq!(first, reference.first().map(|&(_, pid)| pid));
            }
        }
    }
}
