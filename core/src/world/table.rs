//! The process table, indexed by host pid. Pids are small dense integers handed out in order
//! (K8), so a vector of slots keeps new and recently used processes next to each other in
//! memory: a world of a million processes costs little more per event than one of a thousand.
//! A pid far above the others (a file may name pid 4,194,303 beside a handful of small ones)
//! goes to a hash map instead, so memory stays proportional to the number of processes. (Hash
//! maps, not B-trees: these two B-tree types were 5 KB of the page's gzipped download, and
//! nothing here needs the far pids in order except a whole-table walk, which sorts them.)

use std::fmt;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::process::{Pid, Process};

/// The dense part grows to cover a pid only while it stays within this many slots per
/// process (and at least [`MIN_DENSE`]).
const SLOTS_PER_PROCESS: usize = 4;
const MIN_DENSE: usize = 4096;

fn dense_limit(len: usize) -> usize {
    (len.saturating_add(1).saturating_mul(SLOTS_PER_PROCESS)).max(MIN_DENSE)
}

/// The dense part's new length when it must reach `index`: half as long again at least
/// (within `limit`), so that pids counting up past its end move the far part's low pids over
/// a logarithmic number of times, not once per pid.
fn grown(len: usize, index: usize, limit: usize) -> usize {
    len.saturating_add(len / 2)
        .clamp(index + 1, limit.max(index + 1))
}

/// Processes by host pid.
#[derive(Clone, Default)]
pub(crate) struct ProcTable {
    /// Pids below `slots.len()`.
    slots: Vec<Option<Box<Process>>>,
    /// Pids at or above `slots.len()`.
    sparse: FxHashMap<u32, Box<Process>>,
    len: usize,
}

impl ProcTable {
    pub(crate) fn get(&self, pid: &Pid) -> Option<&Process> {
        match self.slots.get(pid.0 as usize) {
            Some(slot) => slot.as_deref(),
            None => self.sparse.get(&pid.0).map(|b| &**b),
        }
    }

    pub(crate) fn get_mut(&mut self, pid: &Pid) -> Option<&mut Process> {
        match self.slots.get_mut(pid.0 as usize) {
            Some(slot) => slot.as_deref_mut(),
            None => self.sparse.get_mut(&pid.0).map(|b| &mut **b),
        }
    }

    pub(crate) fn contains_key(&self, pid: &Pid) -> bool {
        self.get(pid).is_some()
    }

    /// Adds a process; returns the one that had that pid, if any.
    pub(crate) fn insert(&mut self, pid: Pid, process: Process) -> Option<Process> {
        let index = pid.0 as usize;
        let limit = dense_limit(self.len);
        if index >= self.slots.len() && index < limit {
            self.slots
                .resize_with(grown(self.slots.len(), index, limit), || None);
            // Whatever the dense part now covers leaves the sparse part.
            let covered = self.slots.len();
            let moving: Vec<u32> = (self.sparse.keys().copied())
                .filter(|&pid| (pid as usize) < covered)
                .collect();
            for pid in moving {
                self.slots[pid as usize] = self.sparse.remove(&pid);
            }
        }
        let old = match self.slots.get_mut(index) {
            Some(slot) => slot.replace(Box::new(process)),
            None => self.sparse.insert(pid.0, Box::new(process)),
        };
        if old.is_none() {
            self.len += 1;
        }
        old.map(|b| *b)
    }

    pub(crate) fn remove(&mut self, pid: &Pid) -> Option<Process> {
        let old = match self.slots.get_mut(pid.0 as usize) {
            Some(slot) => slot.take(),
            None => self.sparse.remove(&pid.0),
        };
        if old.is_some() {
            self.len -= 1;
        }
        old.map(|b| *b)
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Processes in pid order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &Process> + '_ {
        let mut far: Vec<(u32, &Process)> = (self.sparse.iter())
            .map(|(&pid, process)| (pid, &**process))
            .collect();
        far.sort_unstable_by_key(|&(pid, _)| pid);
        self.slots
            .iter()
            .filter_map(|slot| slot.as_deref())
            .chain(far.into_iter().map(|(_, process)| process))
    }

    /// Host pids in order.
    pub(crate) fn pids(&self) -> impl Iterator<Item = Pid> + '_ {
        self.values().map(Process::host_pid)
    }
}

impl FromIterator<(Pid, Process)> for ProcTable {
    fn from_iter<I: IntoIterator<Item = (Pid, Process)>>(iter: I) -> Self {
        let mut table = ProcTable::default();
        for (pid, process) in iter {
            table.insert(pid, process);
        }
        table
    }
}

impl fmt::Debug for ProcTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.values().map(|p| (p.host_pid(), p)))
            .finish()
    }
}

/// A set of pids: one bit each for the dense low range that allocation scans in order, a hash
/// set for pids far above it, so that memory follows the number of pids, not their size.
#[derive(Clone, Default)]
pub(crate) struct PidBitmap {
    words: Vec<u64>,
    sparse: FxHashSet<u32>,
    len: usize,
}

impl PidBitmap {
    pub(crate) fn contains(&self, pid: u32) -> bool {
        match self.words.get(pid as usize / 64) {
            Some(word) => word & (1 << (pid % 64)) != 0,
            None => self.sparse.contains(&pid),
        }
    }

    pub(crate) fn insert(&mut self, pid: u32) {
        if self.contains(pid) {
            return;
        }
        self.len += 1;
        let index = pid as usize / 64;
        let limit = dense_limit(self.len);
        if index >= self.words.len() && (pid as usize) < limit {
            let words = grown(self.words.len(), index, limit.div_ceil(64));
            self.words.resize(words, 0);
            let covered = self.words.len() * 64;
            let moving: Vec<u32> = (self.sparse.iter().copied())
                .filter(|&pid| (pid as usize) < covered)
                .collect();
            for pid in moving {
                self.sparse.remove(&pid);
                self.words[pid as usize / 64] |= 1 << (pid % 64);
            }
        }
        match self.words.get_mut(index) {
            Some(word) => *word |= 1 << (pid % 64),
            None => {
                self.sparse.insert(pid);
            }
        }
    }

    pub(crate) fn remove(&mut self, pid: u32) {
        if !self.contains(pid) {
            return;
        }
        self.len -= 1;
        match self.words.get_mut(pid as usize / 64) {
            Some(word) => *word &= !(1 << (pid % 64)),
            None => {
                self.sparse.remove(&pid);
            }
        }
    }
}

impl fmt::Debug for PidBitmap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PidBitmap({} used)", self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ns::NsSet;

    fn process(pid: u32) -> Process {
        Process::new(
            "p".into(),
            vec![pid],
            Pid(0),
            NsSet([crate::ns::NsId(1); 8]),
            0,
        )
    }

    #[test]
    fn a_far_pid_costs_no_more_than_a_near_one() {
        let mut table = ProcTable::default();
        for pid in [1, 2, 4_194_303, u32::MAX - 1, 3] {
            table.insert(Pid(pid), process(pid));
        }
        assert!(table.slots.len() <= MIN_DENSE);
        let order: Vec<u32> = table.pids().map(|p| p.0).collect();
        assert_eq!(order, [1, 2, 3, 4_194_303, u32::MAX - 1]);
        assert!(table.get(&Pid(u32::MAX - 1)).is_some());
        assert!(table.remove(&Pid(4_194_303)).is_some());
        assert_eq!(table.len(), 4);

        let mut bits = PidBitmap::default();
        for pid in [1, 300, u32::MAX - 1, 4_194_303] {
            bits.insert(pid);
        }
        assert!(bits.words.len() * 64 <= MIN_DENSE);
        assert!(bits.contains(u32::MAX - 1) && bits.contains(300) && !bits.contains(301));
        bits.remove(u32::MAX - 1);
        assert!(!bits.contains(u32::MAX - 1));
    }

    #[test]
    fn far_pids_come_in_pid_order_whatever_order_they_came_in() {
        let far = [
            4_000_000,
            9_000_000,
            100_000,
            3_000_000_000,
            70_000,
            5_000_000,
        ];
        let table: ProcTable = far
            .iter()
            .chain(&[3, 1, 2])
            .map(|&pid| (Pid(pid), process(pid)))
            .collect();
        assert_eq!(table.sparse.len(), far.len());
        let mut sorted = far.to_vec();
        sorted.sort_unstable();
        assert!(table
            .pids()
            .map(|p| p.0)
            .eq([1, 2, 3].into_iter().chain(sorted)));
    }

    #[test]
    fn pids_in_order_move_from_the_sparse_part_to_the_dense_one() {
        let mut table = ProcTable::default();
        table.insert(Pid(5000), process(5000));
        assert_eq!(table.sparse.len(), 1, "far above the others");
        for pid in (1..6000).filter(|&pid| pid != 5000) {
            table.insert(Pid(pid), process(pid));
        }
        assert!(table.sparse.is_empty(), "5000 is now dense");
        assert!(table.get(&Pid(5000)).is_some());
        assert_eq!(table.pids().count(), 5999);
        assert!(table.pids().map(|p| p.0).eq(1..6000));
    }
}
