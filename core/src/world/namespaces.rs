//! unshare, setns, pins, and namespace lifetime by reference counting (K3–K5).

use super::{World, MAX_NS_LEVEL};
use crate::error::ModelError;
use crate::ns::{Namespace, NsId, NsKind, NsKinds, NsProxy};
use crate::outcome::Outcome;
use crate::process::Pid;
use crate::process::ProcState;

impl World {
    /// Takes a reference on a namespace (the kernel's `get_*_ns`).
    pub(super) fn ns_get(&mut self, id: NsId) {
        self.ns_mut(id).refs += 1;
    }

    /// Drops a reference; the last one destroys the namespace and drops its reference on its
    /// parent (K5), as the kernel's `put_*_ns` does.
    pub(super) fn ns_put(&mut self, id: NsId, out: &mut Vec<Outcome>) {
        let mut next = Some(id);
        while let Some(id) = next.take() {
            let ns = self.ns_mut(id);
            ns.refs -= 1;
            if ns.refs == 0 {
                let ns = self
                    .namespaces
                    .remove(&id)
                    .unwrap_or_else(|| unreachable!());
                out.push(Outcome::NamespaceDestroyed {
                    kind: ns.kind,
                    ns: id,
                });
                next = ns.parent;
            }
        }
    }

    /// Takes a reference on a set of namespaces for one more process; the first user of a set
    /// takes a reference on each of its namespaces.
    pub(super) fn proxy_get(&mut self, proxy: NsProxy) {
        let users = self.proxies.entry(proxy).or_insert(0);
        *users += 1;
        if *users == 1 {
            proxy.ids().for_each(|id| self.ns_get(id));
        }
    }

    /// Drops a process's reference on a set of namespaces; the last user drops its namespaces.
    pub(super) fn proxy_put(&mut self, proxy: NsProxy, out: &mut Vec<Outcome>) {
        let users = self
            .proxies
            .get_mut(&proxy)
            .unwrap_or_else(|| panic!("model bug: unknown nsproxy"));
        *users -= 1;
        if *users == 0 {
            self.proxies.remove(&proxy);
            proxy.ids().for_each(|id| self.ns_put(id, out));
        }
    }

    /// Sets every namespace's reference count from the state, as loading a snapshot needs;
    /// fails naming a namespace that nothing holds (K5).
    pub(crate) fn recount_references(&mut self) -> Result<(), crate::format::Inconsistency> {
        let mut proxies = rustc_hash::FxHashMap::default();
        let mut refs: rustc_hash::FxHashMap<NsId, u32> = Default::default();
        let mut add = |id: NsId| *refs.entry(id).or_default() += 1;
        for process in self.procs.values() {
            if matches!(process.state, ProcState::Running | ProcState::Stopped) {
                *proxies.entry(process.proxy()).or_insert(0) += 1;
            }
            add(process.ns.get(NsKind::Pid));
        }
        proxies
            .keys()
            .for_each(|proxy: &NsProxy| proxy.ids().for_each(&mut add));
        for ns in self.namespaces.values() {
            (0..ns.pins.len()).for_each(|_| add(ns.id));
            ns.parent.into_iter().for_each(&mut add);
            // The kernel never frees the initial namespaces.
            if ns.initial {
                add(ns.id);
            }
        }
        for ns in self.namespaces.values_mut() {
            ns.refs = refs.get(&ns.id).copied().unwrap_or(0);
            if ns.refs == 0 {
                return Err(crate::format::Inconsistency::Unheld {
                    kind: ns.kind,
                    ns: ns.id,
                });
            }
        }
        if let Some(id) = refs.keys().find(|id| !self.namespaces.contains_key(id)) {
            return Err(crate::format::Inconsistency::UsedNotListed { ns: *id });
        }
        self.proxies = proxies;
        Ok(())
    }

    /// Creates a namespace of `kind` below `parent` (for pid and user); the nsproxy that the
    /// caller builds with it takes its first reference.
    pub(super) fn ns_create(
        &mut self,
        kind: NsKind,
        parent: NsId,
        by: Pid,
        out: &mut Vec<Outcome>,
    ) -> NsId {
        // check_new_namespaces made sure an identity is left.
        let id = NsId(u32::try_from(self.next_ns_id).unwrap_or(u32::MAX));
        self.next_ns_id += 1;
        let (parent, level) = if kind.is_hierarchical() {
            self.ns_get(parent);
            (Some(parent), self.ns(parent).level + 1)
        } else {
            (None, 0)
        };
        let mut ns = Namespace::new(id, kind, parent, false);
        ns.level = level;
        self.namespaces.insert(id, ns);
        out.push(Outcome::NamespaceCreated { kind, ns: id, by });
        id
    }

    /// Checks that new namespaces of `kinds` can be made below the caller's (K4, K7).
    pub(super) fn check_new_namespaces(&self, pid: Pid, kinds: NsKinds) -> Result<(), ModelError> {
        let process = self.proc(pid);
        // The kernel's copy_pid_ns: a new pid namespace must hang below the caller's active
        // one, so a second unshare before a fork is refused.
        if kinds.contains(NsKind::Pid) && process.pid_for_children != process.ns.get(NsKind::Pid) {
            return Err(ModelError::PidNamespaceAlreadyUnshared { pid });
        }
        for kind in [NsKind::Pid, NsKind::User] {
            if kinds.contains(kind) && self.ns(process.ns.get(kind)).level >= MAX_NS_LEVEL {
                return Err(ModelError::TooDeep { kind });
            }
        }
        // Identities are never reused while the model runs: once they run out, new
        // namespaces are refused rather than given an identity that is taken.
        let wanted = kinds.iter().count() as u64;
        if self.next_ns_id + wanted > u64::from(u32::MAX) + 1 {
            return Err(ModelError::NoFreeNamespaceId);
        }
        Ok(())
    }

    pub(super) fn unshare(
        &mut self,
        pid: Pid,
        kinds: NsKinds,
        out: &mut Vec<Outcome>,
    ) -> Result<(), ModelError> {
        self.actor(pid)?;
        self.check_new_namespaces(pid, kinds)?;
        if kinds.is_empty() {
            return Ok(());
        }
        let old = self.proc(pid).proxy();
        let mut new = old;
        let mut moves = Vec::new();
        for kind in NsKind::CREATION_ORDER
            .into_iter()
            .filter(|kind| kinds.contains(*kind))
        {
            let id = self.ns_create(kind, old.ns.get(kind), pid, out);
            moves.push((kind, id));
            set_in_proxy(&mut new, kind, id);
        }
        self.switch_proxy(pid, new, &moves, out);
        Ok(())
    }

    /// `Event::NamespacesSeen`: the namespaces the look shows that the process is not in are
    /// ones it made, below its own of the kind, with the kernel's identities, or ones the model
    /// knows that it joined. Played on a copy, kept only if the process then is as seen.
    #[cfg(feature = "live")]
    pub(super) fn namespaces_seen(
        &mut self,
        pid: Pid,
        seen: &crate::event::SeenNamespaces,
        out: &mut Vec<Outcome>,
    ) -> Result<(), ModelError> {
        self.actor(pid)?;
        let not_as_seen = ModelError::NotAsSeen { pid };
        let mut next = self.clone();
        let old = next.proc(pid).proxy();
        let wanted = NsProxy {
            ns: seen.ns,
            pid_for_children: seen.pid_for_children,
            time_for_children: seen.time_for_children,
        };
        // A process's own pid and time namespaces never change: only where its children go.
        if wanted.ns.get(NsKind::Pid) != old.ns.get(NsKind::Pid)
            || wanted.ns.get(NsKind::Time) != old.ns.get(NsKind::Time)
        {
            return Err(not_as_seen);
        }
        let slot = |proxy: &NsProxy, kind: NsKind| match kind {
            NsKind::Pid => proxy.pid_for_children,
            NsKind::Time => proxy.time_for_children,
            _ => proxy.ns.get(kind),
        };
        let mut outcomes = Vec::new();
        for kind in NsKind::CREATION_ORDER {
            let id = slot(&wanted, kind);
            if id == slot(&old, kind) {
                continue;
            }
            match next.namespaces.get(&id) {
                // Joined: with setns's own checks (a pid namespace below its own).
                Some(ns) if ns.kind == kind => next.setns(pid, id, &mut outcomes)?,
                Some(_) => return Err(not_as_seen),
                None if id == NsId(0) => return Err(not_as_seen),
                None => {
                    // Made by it, as unshare makes one (K4, K7); the model's own count of
                    // identities goes on after.
                    next.check_new_namespaces(pid, NsKinds::of(&[kind]))?;
                    let own = next.next_ns_id;
                    next.next_ns_id = u64::from(id.0);
                    next.ns_create(kind, old.ns.get(kind), pid, &mut outcomes);
                    next.next_ns_id = own;
                    next.enter(pid, kind, id, &mut outcomes);
                }
            }
        }
        if next.proc(pid).proxy() != wanted {
            return Err(not_as_seen);
        }
        *self = next;
        out.append(&mut outcomes);
        Ok(())
    }

    pub(super) fn setns(
        &mut self,
        pid: Pid,
        id: NsId,
        out: &mut Vec<Outcome>,
    ) -> Result<(), ModelError> {
        let process = self.actor(pid)?;
        let target = self
            .namespaces
            .get(&id)
            .ok_or(ModelError::NoSuchNamespace { ns: id })?;
        match target.kind {
            NsKind::Pid => {
                // pidns_install: the target must be the caller's active namespace or below it.
                let active = process.ns.get(NsKind::Pid);
                let mut ancestor = id;
                while self.ns(ancestor).level > self.ns(active).level {
                    ancestor = self.ns(ancestor).parent.unwrap_or(active);
                }
                if ancestor != active {
                    return Err(ModelError::PidNamespaceNotDescendant { pid, ns: id });
                }
            }
            NsKind::User if process.ns.get(NsKind::User) == id => {
                return Err(ModelError::AlreadyInUserNamespace { pid, ns: id });
            }
            _ => {}
        }
        let kind = target.kind;
        self.enter(pid, kind, id, out);
        Ok(())
    }

    /// Moves the process into `id` or, for pid and time, points its future children there.
    pub(super) fn enter(&mut self, pid: Pid, kind: NsKind, id: NsId, out: &mut Vec<Outcome>) {
        let mut proxy = self.proc(pid).proxy();
        set_in_proxy(&mut proxy, kind, id);
        self.switch_proxy(pid, proxy, &[(kind, id)], out);
    }

    /// Gives the process a new set of namespaces: the new one is held before the old one is
    /// let go, so a namespace in both is never freed in between.
    fn switch_proxy(
        &mut self,
        pid: Pid,
        new: NsProxy,
        moves: &[(NsKind, NsId)],
        out: &mut Vec<Outcome>,
    ) {
        let old = self.proc(pid).proxy();
        self.proxy_get(new);
        let process = self.proc_mut(pid);
        process.ns = new.ns;
        process.pid_for_children = new.pid_for_children;
        process.time_for_children = new.time_for_children;
        for &(kind, ns) in moves {
            out.push(if kind.applies_to_children_only() {
                Outcome::ForChildren { pid, kind, ns }
            } else {
                Outcome::Joined { pid, kind, ns }
            });
        }
        self.proxy_put(old, out);
    }

    pub(super) fn pin(
        &mut self,
        id: NsId,
        holder: String,
        out: &mut Vec<Outcome>,
    ) -> Result<(), ModelError> {
        let ns = self
            .namespaces
            .get_mut(&id)
            .ok_or(ModelError::NoSuchNamespace { ns: id })?;
        if ns.pins.contains(&holder) {
            return Err(ModelError::AlreadyPinned { ns: id, holder });
        }
        ns.pins.push(holder.clone());
        ns.refs += 1;
        out.push(Outcome::Pinned { ns: id, holder });
        Ok(())
    }

    pub(super) fn unpin(
        &mut self,
        id: NsId,
        holder: String,
        out: &mut Vec<Outcome>,
    ) -> Result<(), ModelError> {
        let ns = self
            .namespaces
            .get_mut(&id)
            .ok_or(ModelError::NoSuchNamespace { ns: id })?;
        let Some(index) = ns.pins.iter().position(|pin| *pin == holder) else {
            return Err(ModelError::NotPinned { ns: id, holder });
        };
        ns.pins.remove(index);
        out.push(Outcome::Unpinned { ns: id, holder });
        self.ns_put(id, out);
        Ok(())
    }
}

/// Where a namespace of `kind` goes in a process's set: pid and time only affect children (K4).
fn set_in_proxy(proxy: &mut NsProxy, kind: NsKind, id: NsId) {
    match kind {
        NsKind::Pid => proxy.pid_for_children = id,
        NsKind::Time => proxy.time_for_children = id,
        _ => proxy.ns.set(kind, id),
    }
}
