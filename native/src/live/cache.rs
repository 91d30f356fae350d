//! /proc as last read, so that a look during a storm of forks reads only what changed: the
//! processes the proc connector named (born, exec'd, ended), the children of those that ended
//! (their parent is now another), and the zombies (a reaping is not reported: a zombie that is
//! gone from /proc was collected). Everything else is as it was; a full read every few
//! seconds catches what the connector does not report (dispositions, setns, pins). Each read
//! also notes which processes laid out a new program since the last one (an execve), which is
//! how polling tells them from renames.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use pauselab_core::format::ContainerLabel;
use pauselab_core::{NsId, Pid, Snapshot};

use crate::procfs::{self, ProcEntry, ProcError};

/// The processes of /proc, as last read.
#[derive(Debug)]
pub struct ProcCache {
    root: PathBuf,
    entries: BTreeMap<u32, ProcEntry>,
    labels: BTreeMap<u32, ContainerLabel>,
    parents: BTreeMap<NsId, NsId>,
    /// The processes read with a new program's layout since [`ProcCache::take_execs`].
    execs: BTreeSet<Pid>,
}

/// Whether `entry`, just read, shows a program laid out anew: unlike at its last read (`last`),
/// or, first read, unlike its parent's (a fork copies its parent's layout, an execve does not).
fn execed(last: Option<&ProcEntry>, parent: Option<&ProcEntry>, entry: &ProcEntry) -> bool {
    let before = match last {
        Some(last) => last.image,
        None => parent.and_then(|parent| parent.image),
    };
    before.is_some() && entry.image.is_some() && before != entry.image
}

impl ProcCache {
    /// Reads all of /proc.
    pub fn new(root: &Path) -> Result<ProcCache, ProcError> {
        let mut cache = ProcCache {
            root: root.to_owned(),
            entries: BTreeMap::new(),
            labels: BTreeMap::new(),
            parents: BTreeMap::new(),
            execs: BTreeSet::new(),
        };
        cache.read_all()?;
        cache.execs.clear();
        Ok(cache)
    }

    /// Reads all of /proc again.
    pub fn read_all(&mut self) -> Result<(), ProcError> {
        let all = procfs::read_all(&self.root)?;
        let pids: BTreeSet<u32> = all.iter().map(|p| p.pid).collect();
        self.labels = crate::labels::labels(&self.root, &all, &pids);
        let entries: BTreeMap<u32, ProcEntry> = all.into_iter().map(|p| (p.pid, p)).collect();
        for entry in entries.values() {
            if execed(
                self.entries.get(&entry.pid),
                entries.get(&entry.ppid),
                entry,
            ) {
                self.execs.insert(Pid(entry.pid));
            }
        }
        self.entries = entries;
        // A namespace's identity can be given again once it is gone: its parent is asked anew.
        self.parents.clear();
        Ok(())
    }

    /// Reads again the processes named, the children of those that ended, and every zombie.
    pub fn read_some(&mut self, named: &BTreeSet<u32>) {
        let mut again: BTreeSet<u32> = named.clone();
        again.extend(
            self.entries
                .values()
                .filter(|p| p.state == 'Z')
                .map(|p| p.pid),
        );
        let mut ended = BTreeSet::new();
        let mut fresh = BTreeSet::new();
        for pid in again {
            match procfs::read_process(&self.root, pid) {
                Some(entry) => {
                    if entry.state == 'Z' {
                        ended.insert(pid);
                    }
                    fresh.insert(pid);
                    let parent = self.entries.get(&entry.ppid);
                    if execed(self.entries.get(&pid), parent, &entry) {
                        self.execs.insert(Pid(pid));
                    }
                    self.entries.insert(pid, entry);
                }
                None => {
                    ended.insert(pid);
                    self.entries.remove(&pid);
                    self.labels.remove(&pid);
                }
            }
        }
        // Children of what ended have a new parent (their reaper) in /proc.
        let orphans: Vec<u32> = self
            .entries
            .values()
            .filter(|p| ended.contains(&p.ppid))
            .map(|p| p.pid)
            .collect();
        for pid in orphans {
            match procfs::read_process(&self.root, pid) {
                Some(entry) => {
                    self.entries.insert(pid, entry);
                }
                None => {
                    self.entries.remove(&pid);
                    self.labels.remove(&pid);
                }
            }
        }
        let named_here: BTreeSet<u32> = named
            .iter()
            .copied()
            .filter(|pid| fresh.contains(pid))
            .collect();
        if !named_here.is_empty() {
            let all: Vec<ProcEntry> = self.entries.values().cloned().collect();
            for pid in &named_here {
                self.labels.remove(pid);
            }
            self.labels
                .extend(crate::labels::labels(&self.root, &all, &named_here));
        }
    }

    /// The processes read with a new program since the last call: the execves polling saw.
    pub fn take_execs(&mut self) -> BTreeSet<Pid> {
        std::mem::take(&mut self.execs)
    }

    /// The pids born or gone since the last read, from /proc's list alone (a readdir: what
    /// polling costs between full reads).
    pub fn listed_changes(&self) -> BTreeSet<u32> {
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return BTreeSet::new();
        };
        let listed: BTreeSet<u32> = entries
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .collect();
        listed
            .symmetric_difference(&self.entries.keys().copied().collect())
            .copied()
            .collect()
    }

    /// The snapshot of what was read.
    pub fn snapshot(&mut self) -> Snapshot {
        let keep: BTreeSet<u32> = self.entries.keys().copied().collect();
        procfs::assemble(
            &self.root,
            &self.entries,
            &keep,
            &self.labels,
            &mut self.parents,
        )
    }
}
