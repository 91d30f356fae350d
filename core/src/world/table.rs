//! The process table, indexed by host pid. Pids are small dense integers handed out in order
//! (K8), so a vector of slots keeps new and recently used processes next to each other in
//! memory: a world of a million processes costs little more per event than one of a thousand.

use std::fmt;

use crate::process::{Pid, Process};

/// Processes by host pid.
#[derive(Clone, Default)]
pub(crate) struct ProcTable {
    slots: Vec<Option<Box<Process>>>,
    len: usize,
}

impl ProcTable {
    pub(crate) fn get(&self, pid: &Pid) -> Option<&Process> {
        self.slots.get(pid.0 as usize)?.as_deref()
    }

    pub(crate) fn get_mut(&mut self, pid: &Pid) -> Option<&mut Process> {
        self.slots.get_mut(pid.0 as usize)?.as_deref_mut()
    }

    pub(crate) fn contains_key(&self, pid: &Pid) -> bool {
        self.get(pid).is_some()
    }

    /// Adds a process; returns the one that had that pid, if any.
    pub(crate) fn insert(&mut self, pid: Pid, process: Process) -> Option<Process> {
        let index = pid.0 as usize;
        if index >= self.slots.len() {
            self.slots.resize_with(index + 1, || None);
        }
        let old = self.slots[index].replace(Box::new(process)).map(|b| *b);
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    pub(crate) fn remove(&mut self, pid: &Pid) -> Option<Process> {
        let old = self.slots.get_mut(pid.0 as usize)?.take().map(|b| *b);
        if old.is_some() {
            self.len -= 1;
        }
        old
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Processes in pid order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &Process> + '_ {
        self.slots.iter().filter_map(|slot| slot.as_deref())
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
