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

/// A process's children in list order, and the zombies among them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Children {
    /// `(seq, host pid)` sorted by seq; the gone ones have the pid [`GONE`].
    list: Vec<(u64, Pid)>,
    present: usize,
    /// The children that are zombies, first in list order on top. A zombie leaves only by
    /// being unlinked (reaped, by any `wait`) or with the whole list (reparented), so an entry
    /// is current exactly while its link is in `list`; the others are dropped when they reach
    /// the top, or swept when they outnumber the children.
    zombies: BinaryHeap<Reverse<(u64, Pid)>>,
}

impl Children {
    /// Links a child at `seq`: at the tail, as the kernel's `list_add_tail`, when `seq` is the
    /// largest yet (always, as the world numbers links).
    pub(crate) fn link(&mut self, seq: u64, pid: Pid, zombie: bool) {
        if self.list.last().is_none_or(|&(last, _)| last < seq) {
            self.list.push((seq, pid));
        } else {
            let at = self.list.partition_point(|&(s, _)| s < seq);
            self.list.insert(at, (seq, pid));
        }
        self.present += 1;
        if zombie {
            self.became_zombie(seq, pid);
        }
    }

    /// The child linked at `seq` exited and is a zombie now.
    pub(crate) fn became_zombie(&mut self, seq: u64, pid: Pid) {
        self.zombies.push(Reverse((seq, pid)));
    }

    /// Takes the child linked at `seq` out of the list; whether it was there.
    pub(crate) fn unlink(&mut self, seq: u64, pid: Pid) -> bool {
        let Some(at) = self.position(seq, pid) else {
            return false;
        };
        self.list[at].1 = GONE;
        self.present -= 1;
        let sweep = |len: usize| len >= SWEEP_FROM && len > 2 * self.present;
        if sweep(self.list.len()) {
            self.list.retain(|&(_, pid)| pid != GONE);
        }
        if sweep(self.zombies.len()) {
            let list = &self.list;
            self.zombies
                .retain(|&Reverse((seq, pid))| Children::find(list, seq, pid).is_some());
        }
        true
    }

    /// The first zombie in list order (K16), dropping the entries of zombies already gone.
    pub(crate) fn first_zombie(&mut self) -> Option<Pid> {
        while let Some(&Reverse((seq, pid))) = self.zombies.peek() {
            if self.position(seq, pid).is_some() {
                return Some(pid);
            }
            self.zombies.pop();
        }
        None
    }

    /// Whether it has no child.
    pub(crate) fn is_empty(&self) -> bool {
        self.present == 0
    }

    /// The children's host pids, in list order.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = Pid> + '_ {
        self.list
            .iter()
            .map(|&(_, pid)| pid)
            .filter(|&pid| pid != GONE)
    }

    fn position(&self, seq: u64, pid: Pid) -> Option<usize> {
        Children::find(&self.list, seq, pid)
    }

    fn find(list: &[(u64, Pid)], seq: u64, pid: Pid) -> Option<usize> {
        let at = list.partition_point(|&(s, _)| s < seq);
        (pid != GONE && list.get(at) == Some(&(seq, pid))).then_some(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_out_of_order_still_lands_in_seq_order() {
        let mut children = Children::default();
        for (seq, pid) in [(1, 10), (5, 50), (3, 30)] {
            children.link(seq, Pid(pid), pid == 50);
        }
        assert_eq!(
            children.iter().collect::<Vec<_>>(),
            [Pid(10), Pid(30), Pid(50)]
        );
        assert!(!children.unlink(3, Pid(31)), "the seq names another child");
        assert!(children.unlink(3, Pid(30)));
        assert_eq!(children.iter().collect::<Vec<_>>(), [Pid(10), Pid(50)]);
        assert_eq!(children.first_zombie(), Some(Pid(50)));
    }

    #[test]
    fn zombies_reaped_out_of_order_leave_nothing_behind() {
        let mut children = Children::default();
        for seq in 1..=10_000 {
            children.link(seq, Pid(seq as u32 + 1), false);
        }
        // They all die, the last first, and are reaped by pid, the first first: the queue's
        // top is never asked for, and still the queue does not keep what left.
        for seq in (1..=10_000).rev() {
            children.became_zombie(seq, Pid(seq as u32 + 1));
        }
        for seq in 1..=9_990 {
            assert!(children.unlink(seq, Pid(seq as u32 + 1)));
        }
        assert_eq!(children.iter().count(), 10);
        assert!(
            children.list.len() <= 2 * 10 + SWEEP_FROM,
            "{}",
            children.list.len()
        );
        assert!(
            children.zombies.len() <= 2 * 10 + SWEEP_FROM,
            "{}",
            children.zombies.len()
        );
        assert_eq!(children.first_zombie(), Some(Pid(9_992)));
    }
}

/// Checked against the B-tree sets they replace (host only: proptest).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod against_btree {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    #[derive(Clone, Debug)]
    enum Op {
        Link(u32),
        Die(usize),
        Unlink(usize),
    }

    fn ops() -> impl Strategy<Value = Vec<Op>> {
        let index = || any::<prop::sample::Index>().prop_map(|i| i.index(1 << 16));
        prop::collection::vec(
            prop_oneof![
                (1..500u32).prop_map(Op::Link),
                index().prop_map(Op::Die),
                index().prop_map(Op::Unlink),
            ],
            0..400,
        )
    }

    proptest! {
        /// The list is the B-tree set of (seq, pid) it replaces, and the first zombie is that
        /// set's first zombie, whatever is linked, dies and is unlinked in whatever order.
        #[test]
        fn children_agree_with_ordered_sets(ops in ops()) {
            let mut children = Children::default();
            let mut linked: BTreeSet<(u64, Pid)> = BTreeSet::new();
            let mut zombies: BTreeSet<(u64, Pid)> = BTreeSet::new();
            let mut seq = 0;
            for op in ops {
                let pick = |set: &BTreeSet<(u64, Pid)>, index: usize| {
                    set.iter().nth(index % set.len().max(1)).copied()
                };
                match op {
                    Op::Link(pid) => {
                        seq += 1;
                        children.link(seq, Pid(pid), false);
                        linked.insert((seq, Pid(pid)));
                    }
                    Op::Die(index) => {
                        let alive: BTreeSet<_> = linked.difference(&zombies).copied().collect();
                        if let Some((s, pid)) = pick(&alive, index) {
                            children.became_zombie(s, pid);
                            zombies.insert((s, pid));
                        }
                    }
                    Op::Unlink(index) => match pick(&linked, index) {
                        Some(key) => {
                            prop_assert!(children.unlink(key.0, key.1));
                            prop_assert!(!children.unlink(key.0, key.1), "only once");
                            linked.remove(&key);
                            zombies.remove(&key);
                        }
                        None => prop_assert!(!children.unlink(seq + 1, Pid(1))),
                    },
                }
                let in_order: Vec<Pid> = linked.iter().map(|&(_, pid)| pid).collect();
                prop_assert_eq!(children.iter().collect::<Vec<_>>(), in_order);
                prop_assert_eq!(children.is_empty(), linked.is_empty());
                prop_assert_eq!(children.first_zombie(), zombies.first().map(|&(_, pid)| pid));
            }
        }
    }
}
