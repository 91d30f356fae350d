//! The world to and from its file form ([`Snapshot`]): what a snapshot says is rebuilt with the
//! same constructors and pid bookkeeping that fork uses, and checked to be a possible state.

use rustc_hash::FxHashMap;

use super::table::PidBitmap;
use super::{World, MAX_NS_LEVEL, PID_MAX_LIMIT, RESERVED_PIDS};
use crate::format::{
    check_header, inconsistent, FormatError, Inconsistency, Listed, NamespaceRecord, ProcessRecord,
    Snapshot, FORMAT_VERSION, SNAPSHOT_FORMAT,
};
use crate::ns::{Namespace, NsId, NsKind};
use crate::process::{Pid, ProcState, Process, WaitTarget};

impl World {
    /// The world as a snapshot. Two worlds that behave the same give equal snapshots.
    pub fn to_snapshot(&self) -> Snapshot {
        let mut sorted: Vec<&Namespace> = self.namespaces.values().collect();
        sorted.sort_by_key(|ns| ns.id);
        let namespaces = sorted
            .into_iter()
            .map(|ns| NamespaceRecord {
                id: ns.id,
                kind: ns.kind,
                parent: ns.parent,
                pins: ns.pins.clone(),
                initial: ns.initial,
                last_pid: ns.pid.as_ref().map(|p| p.last_pid),
                accepting: ns.pid.as_ref().is_none_or(|p| p.accepting),
            })
            .collect();
        let mut procs: Vec<&Process> = self.procs.values().collect();
        procs.sort_by_key(|p| (p.sibling_seq, p.host_pid()));
        let processes = procs
            .into_iter()
            .map(|p| ProcessRecord {
                nspid: p.nspid.clone(),
                ppid: p.parent,
                comm: p.comm.to_string(),
                state: p.state,
                ns: p.ns,
                pid_for_children: Some(p.pid_for_children),
                time_for_children: Some(p.time_for_children),
                handled: p.handled,
                ignored: p.ignored,
                nocldwait: p.nocldwait,
                subreaper: p.subreaper,
                waiting: p.waiting,
                pending: p.pending,
                container: None,
            })
            .collect();
        Snapshot {
            format: SNAPSHOT_FORMAT.to_owned(),
            version: FORMAT_VERSION,
            pid_max: self.pid_max,
            next_ns_id: Some(self.next_ns_id),
            namespaces,
            processes,
        }
    }

    /// `Event::AppearedSeen`: the process joins the world as a snapshot would list it, in
    /// namespaces the world has, with its parent outside; the world is rebuilt with it and kept
    /// only if that is a possible state.
    #[cfg(feature = "live")]
    pub(super) fn appeared_seen(
        &mut self,
        record: &ProcessRecord,
        out: &mut Vec<crate::Outcome>,
    ) -> Result<(), crate::ModelError> {
        let host = Pid(record.nspid.first().copied().unwrap_or(0));
        let not_as_seen = crate::ModelError::NotAsSeen { pid: host };
        let known = |id: Option<NsId>| id.is_none_or(|id| self.namespaces.contains_key(&id));
        if record.ppid != Pid(0)
            || self.procs.contains_key(&host)
            || !record.ns.iter().all(|r| known(Some(r.id)))
            || !known(record.pid_for_children)
            || !known(record.time_for_children)
        {
            return Err(not_as_seen);
        }
        let mut snapshot = self.to_snapshot();
        snapshot.processes.push(record.clone());
        *self = World::from_snapshot(&snapshot).map_err(|_| not_as_seen)?;
        out.push(crate::Outcome::Appeared { pid: host });
        Ok(())
    }

    /// Rebuilds a world from a snapshot, checking that it describes a possible state.
    pub fn from_snapshot(snapshot: &Snapshot) -> Result<World, FormatError> {
        check_header(&snapshot.format, SNAPSHOT_FORMAT, snapshot.version)?;
        if snapshot.pid_max <= RESERVED_PIDS || snapshot.pid_max > PID_MAX_LIMIT {
            return inconsistent(Inconsistency::PidMax {
                pid_max: snapshot.pid_max,
            });
        }
        let mut namespaces = FxHashMap::default();
        for record in &snapshot.namespaces {
            if record.parent.is_some() && !record.kind.is_hierarchical() {
                return inconsistent(Inconsistency::FlatNamespaceWithParent {
                    kind: record.kind,
                    ns: record.id,
                });
            }
            // The root pid and user namespaces are initial whatever the file says.
            let initial =
                record.initial || (record.parent.is_none() && record.kind.is_hierarchical());
            let mut ns = Namespace::new(record.id, record.kind, record.parent, initial);
            ns.pins = record.pins.clone();
            if let Some(pid) = ns.pid.as_mut() {
                pid.last_pid = record.last_pid.unwrap_or(0);
                pid.accepting = record.accepting;
            }
            if namespaces.insert(record.id, ns).is_some() {
                return inconsistent(Inconsistency::NamespaceListedTwice { ns: record.id });
            }
        }
        set_levels(&mut namespaces)?;
        let roots: Vec<NsId> = namespaces
            .values()
            .filter(|ns| ns.kind == NsKind::Pid && ns.parent.is_none())
            .map(|ns| ns.id)
            .collect();
        let [root_pid_ns] = roots[..] else {
            return inconsistent(Inconsistency::RootPidNamespaces { found: roots.len() });
        };
        let highest = namespaces.keys().max().map_or(0, |id| u64::from(id.0));
        let next_ns_id = match snapshot.next_ns_id {
            Some(next) if next <= highest => {
                return inconsistent(Inconsistency::NextNsIdNotAbove { next, highest });
            }
            Some(next) if next > u64::from(u32::MAX) + 1 => {
                return inconsistent(Inconsistency::NextNsIdBeyond { next });
            }
            Some(next) => next,
            None => highest + 1,
        };
        let mut world = World {
            procs: Default::default(),
            namespaces,
            proxies: FxHashMap::default(),
            next_ns_id,
            next_seq: snapshot.processes.len() as u64 + 1,
            pid_max: snapshot.pid_max,
            root_pid_ns,
            root_pids: Default::default(),
        };
        for (index, record) in snapshot.processes.iter().enumerate() {
            world.restore_process(record, index as u64 + 1)?;
        }
        world.link_families()?;
        world.check_pid_namespaces()?;
        world
            .recount_references()
            .map_err(FormatError::Inconsistent)?;
        Ok(world)
    }

    /// Adds one listed process, with its pid at every level (K7).
    fn restore_process(&mut self, record: &ProcessRecord, seq: u64) -> Result<(), FormatError> {
        let who = Listed {
            pid: record.nspid.first().copied().unwrap_or(0),
            comm: record.comm.clone(),
        };
        let Some(&host) = record.nspid.first() else {
            return inconsistent(Inconsistency::EmptyNspid { process: who });
        };
        if host == 0 || self.procs.contains_key(&Pid(host)) {
            return inconsistent(Inconsistency::HostPidTwiceOrZero { process: who });
        }
        // A process that has begun to exit holds only its pid namespace (K5); the others it
        // names may be gone.
        let alive = record.state.is_alive();
        for ns in record
            .ns
            .iter()
            .filter(|ns| alive || ns.kind == NsKind::Pid)
        {
            match self.namespaces.get(&ns.id) {
                Some(found) if found.kind == ns.kind => {}
                Some(found) => {
                    return inconsistent(Inconsistency::WrongKind {
                        process: who,
                        ns: ns.id,
                        is: found.kind,
                        expected: ns.kind,
                    })
                }
                None => {
                    return inconsistent(Inconsistency::NamespaceNotListed {
                        process: who,
                        kind: ns.kind,
                        ns: ns.id,
                    })
                }
            }
        }
        let pid_for_children = record
            .pid_for_children
            .unwrap_or(record.ns.get(NsKind::Pid));
        let time_for_children = record
            .time_for_children
            .unwrap_or(record.ns.get(NsKind::Time));
        if alive {
            for (kind, id) in [
                (NsKind::Pid, pid_for_children),
                (NsKind::Time, time_for_children),
            ] {
                if self.ns_kind(id) != Some(kind) {
                    return inconsistent(Inconsistency::ForChildrenNotListed {
                        process: who,
                        kind,
                        ns: id,
                    });
                }
            }
        }
        let own = record.ns.get(NsKind::Pid);
        let level = usize::from(self.ns(own).level);
        if level + 1 != record.nspid.len() {
            return inconsistent(Inconsistency::NspidLevels {
                process: who,
                levels: record.nspid.len(),
                level,
            });
        }
        let exiting = matches!(record.state, ProcState::Exiting(_));
        if exiting && record.nspid.last() != Some(&1) {
            return inconsistent(Inconsistency::ExitingNotInit { process: who });
        }
        // From its own namespace up, one pid per level.
        let mut cursor = Some(own);
        for &local in record.nspid.iter().rev() {
            let id = cursor.unwrap_or_else(|| unreachable!("levels were checked"));
            cursor = self.ns(id).parent;
            if local == 0 || local >= self.pid_max {
                return inconsistent(Inconsistency::PidOutOfRange {
                    process: who,
                    pid: local,
                });
            }
            if !self.take_pid(id, local, Pid(host), id == own) {
                return inconsistent(Inconsistency::PidTwice {
                    process: who,
                    pid: local,
                    ns: id,
                });
            }
            let pid_ns = self.pid_ns_mut(id);
            pid_ns.last_pid = pid_ns.last_pid.max(local);
        }
        if exiting {
            // K19: its init is inside exit, waiting for the namespace to empty.
            self.pid_ns_mut(own).init_waits = true;
        }
        let mut process = Process::new(
            record.comm.as_str().into(),
            record.nspid.clone(),
            record.ppid,
            record.ns,
            seq,
        );
        process.state = record.state;
        process.pid_for_children = pid_for_children;
        process.time_for_children = time_for_children;
        process.handled = record.handled;
        process.ignored = record.ignored;
        process.nocldwait = record.nocldwait;
        process.subreaper = record.subreaper;
        process.waiting = record.waiting;
        process.pending = record.pending;
        self.procs.insert(Pid(host), process);
        Ok(())
    }

    /// K19 as a file must show it: a pid namespace whose init has died holds no living process
    /// (they were all killed), and an init that waits inside exit has someone to wait for.
    fn check_pid_namespaces(&self) -> Result<(), FormatError> {
        for process in self.procs.values() {
            let ns = process.ns.get(NsKind::Pid);
            let pid_ns = self.pid_ns(ns);
            if process.state.is_alive() && !pid_ns.accepting {
                return inconsistent(Inconsistency::AliveInDeadNamespace {
                    pid: process.host_pid(),
                    ns,
                });
            }
            if matches!(process.state, ProcState::Exiting(_)) {
                if pid_ns.accepting {
                    return inconsistent(Inconsistency::ExitingInitAccepting {
                        pid: process.host_pid(),
                    });
                }
                if pid_ns.pids.len() < 2 {
                    return inconsistent(Inconsistency::ExitingInitAlone {
                        pid: process.host_pid(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Fills in children lists from parent links, in listing order, refusing what no kernel
    /// shows: a parent missing, a zombie parent, a parent below its child's pid namespace, a
    /// cycle.
    fn link_families(&mut self) -> Result<(), FormatError> {
        let mut links: Vec<(u64, Pid, Pid, bool)> = self
            .procs
            .values()
            .map(|p| {
                (
                    p.sibling_seq,
                    p.host_pid(),
                    p.parent,
                    matches!(p.state, ProcState::Zombie(_)),
                )
            })
            .collect();
        links.sort_unstable();
        for (seq, child, parent, zombie) in links {
            if parent == Pid(0) {
                continue;
            }
            let Some(parent_process) = self.procs.get_mut(&parent) else {
                return inconsistent(Inconsistency::ParentNotListed { child, parent });
            };
            if !parent_process.state.is_alive()
                && !matches!(parent_process.state, ProcState::Exiting(_))
            {
                return inconsistent(Inconsistency::ZombieParent { child, parent });
            }
            let parent_level = parent_process.level();
            let child_level = self.procs.get(&child).map_or(0, Process::level);
            if parent_level > child_level {
                return inconsistent(Inconsistency::ParentBelow { child, parent });
            }
            let Some(parent_process) = self.procs.get_mut(&parent) else {
                unreachable!("looked up above");
            };
            parent_process.children.link(seq, child, zombie);
        }
        self.check_no_parent_cycle()?;
        for process in self.procs.values() {
            if let Some(WaitTarget::Pid(target)) = process.waiting {
                if !process.children().any(|c| c == target) {
                    return inconsistent(Inconsistency::WaitsForNonChild {
                        pid: process.host_pid(),
                        target,
                    });
                }
            }
            // A process stopped while blocked in wait still has the wait pending.
            if process.waiting.is_some() && !process.state.is_alive() {
                return inconsistent(Inconsistency::WaitsButExited {
                    pid: process.host_pid(),
                });
            }
        }
        Ok(())
    }
}

impl World {
    /// A process that is its own ancestor would make every walk up its parents endless.
    fn check_no_parent_cycle(&self) -> Result<(), FormatError> {
        // Pid sets, as the pid allocator keeps them: on the current walk up, and known to reach
        // a root.
        let mut on_walk = PidBitmap::default();
        let mut reaches_root = PidBitmap::default();
        for start in self.procs.pids() {
            let mut walk = Vec::new();
            let mut cursor = start;
            while self.procs.contains_key(&cursor) && !reaches_root.contains(cursor.0) {
                if on_walk.contains(cursor.0) {
                    return inconsistent(Inconsistency::OwnAncestor { pid: cursor });
                }
                on_walk.insert(cursor.0);
                walk.push(cursor);
                cursor = self.procs.get(&cursor).map_or(Pid(0), |p| p.parent);
            }
            for pid in walk {
                on_walk.remove(pid.0);
                reaches_root.insert(pid.0);
            }
        }
        Ok(())
    }
}

/// Computes each nested namespace's level, refusing unknown parents, cycles and depth > 32.
fn set_levels(namespaces: &mut FxHashMap<NsId, Namespace>) -> Result<(), FormatError> {
    let ids: Vec<NsId> = namespaces.keys().copied().collect();
    for id in ids {
        let kind = namespaces[&id].kind;
        let mut level = 0u8;
        let mut cursor = namespaces[&id].parent;
        while let Some(parent) = cursor {
            let Some(ns) = namespaces.get(&parent) else {
                return inconsistent(Inconsistency::NamespaceParentNotListed { ns: id, parent });
            };
            if ns.kind != kind {
                return inconsistent(Inconsistency::NamespaceParentKind {
                    ns: id,
                    kind,
                    parent,
                    parent_kind: ns.kind,
                });
            }
            level += 1;
            if level > MAX_NS_LEVEL {
                return inconsistent(Inconsistency::TooDeepOrCycle { ns: id });
            }
            cursor = ns.parent;
        }
        namespaces
            .get_mut(&id)
            .unwrap_or_else(|| unreachable!())
            .level = level;
    }
    Ok(())
}
