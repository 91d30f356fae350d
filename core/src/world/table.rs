//! The process table, indexed by host pid. Pids are small dense integers handed out in order
//! (K8), so a vector of slots keeps new and recently used processes next to each other in
//! memory: a world of a million processes costs little more per event than one of a thousand.
//! A pid far above the others (a file may name pid 4,194,303 beside a handful of small ones)
//! goes to an ordered map instead, so memory stays proportional to the number of processes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::process::{Pid, Process};

/// The dense part grows to cover a pid only while it stays within this many slots per
/// process (and at least [`MIN_DENSE`]).
const SLOTS_PER_PROCESS: usize = 4;
const MIN_DENSE: usize = 4096;

fn dense_limit(len: usize) -> usize {
    (len.saturating_add(1).saturating_mul(SLOTS_PER_PROCESS)).max(MIN_DENSE)
}

/// Processes by host pid.
#[derive(Clone, Default)]
pub(crate) struct ProcTable {
    /// Pids below `slots.len()`.
    slots: Vec<Option<Box<Process>>>,
    /// Pids at or above `slots.len()`.
    sparse: BTreeMap<u32, Box<Process>>,
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
        if index >= self.slots.len() && index < dense_limit(self.len) {
            self.slots.resize_with(index + 1, || None);
            // Whatever the dense part now covers leaves the sparse part.
            let moved = self.sparse.split_off(&(self.slots.len() as u32));
            for (pid, process) in std::mem::replace(&mut self.sparse, moved) {
                self.slots[pid as usize] = Some(process);
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
        self.slots
            .iter()
            .filter_map(|slot| slot.as_deref())
            .chain(self.sparse.values().map(|b| &**b))
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

/// A set of pids: one bit each for the dense low range that allocation scans in order, an
/// ordered set for pids far above it, so that memory follows the number of pids, not their
/// size.
#[derive(Clone, Default)]
pub(crate) struct PidBitmap {
    words: Vec<u64>,
    sparse: BTreeSet<u32>,
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
        if index >= self.words.len() && (pid as usize) < dense_limit(self.len) {
            self.words.resize(index + 1, 0);
            let covered = (self.words.len() * 64).min(u32::MAX as usize) as u32;
            let moved = self.sparse.split_off(&covered);
            for pid in std::mem::replace(&mut self.sparse, moved) {
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

    #[test]
    fn a_far_pid_costs_no_more_than_a_near_one() {
        let mut table = ProcTable::default();
        let process = |pid| {
            Process::new(
                "p".into(),
                vec![pid],
                Pid(0),
                NsSet([crate::ns::NsId(1); 8]),
                0,
            )
        };
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
    fn pids_in_order_move_from_the_sparse_part_to_the_dense_one() {
        let mut table = ProcTable::default();
        let process = |pid| {
            Process::new(
                "p".into(),
                vec![pid],
                Pid(0),
                NsSet([crate::ns::NsId(1); 8]),
                0,
            )
        };
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
