//! unshare, setns, pins, and namespace lifetime by reference counting (K3–K5).

use super::{World, MAX_NS_LEVEL};
use crate::error::ModelError;
use crate::ns::{Namespace, NsId, NsKind, NsKinds, PidNamespace};
use crate::outcome::Outcome;
use crate::process::Pid;

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
                let ns = self.namespaces.remove(&id).unwrap_or_else(|| unreachable!());
                out.push(Outcome::NamespaceDestroyed { kind: ns.kind, ns: id });
                next = ns.parent;
            }
        }
    }

    /// Creates a namespace of `kind` below `parent` (for pid and user) with one reference.
    pub(super) fn ns_create(&mut self, kind: NsKind, parent: NsId, by: Pid, out: &mut Vec<Outcome>) -> NsId {
        let id = NsId(self.next_ns_id);
        self.next_ns_id += 1;
        let (parent, level) = if kind.is_hierarchical() {
            self.ns_get(parent);
            (Some(parent), self.ns(parent).level + 1)
        } else {
            (None, 0)
        };
        let pid = (kind == NsKind::Pid).then(|| PidNamespace {
            last_pid: 0,
            pids: Default::default(),
            reaper: None,
            adding: true,
            init_waits: false,
        });
        let ns = Namespace { id, kind, parent, level, pins: Vec::new(), initial: false, refs: 1, pid };
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
        Ok(())
    }

    pub(super) fn unshare(&mut self, pid: Pid, kinds: NsKinds, out: &mut Vec<Outcome>) -> Result<(), ModelError> {
        self.actor(pid)?;
        self.check_new_namespaces(pid, kinds)?;
        for kind in NsKind::CREATION_ORDER.into_iter().filter(|kind| kinds.contains(*kind)) {
            let current = self.proc(pid).ns.get(kind);
            let new = self.ns_create(kind, current, pid, out);
            self.enter(pid, kind, new, out);
            // `ns_create` gave the new namespace the one reference that `enter` takes.
            self.ns_put(new, out);
        }
        Ok(())
    }

    pub(super) fn setns(&mut self, pid: Pid, id: NsId, out: &mut Vec<Outcome>) -> Result<(), ModelError> {
        let process = self.actor(pid)?;
        let target = self.namespaces.get(&id).ok_or(ModelError::NoSuchNamespace { ns: id })?;
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
    fn enter(&mut self, pid: Pid, kind: NsKind, id: NsId, out: &mut Vec<Outcome>) {
        self.ns_get(id);
        let process = self.proc_mut(pid);
        let old = match kind {
            NsKind::Pid => std::mem::replace(&mut process.pid_for_children, id),
            NsKind::Time => std::mem::replace(&mut process.time_for_children, id),
            _ => {
                let old = process.ns.get(kind);
                process.ns.set(kind, id);
                old
            }
        };
        out.push(if kind.applies_to_children_only() {
            Outcome::ForChildren { pid, kind, ns: id }
        } else {
            Outcome::Joined { pid, kind, ns: id }
        });
        self.ns_put(old, out);
    }

    pub(super) fn pin(&mut self, id: NsId, holder: String, out: &mut Vec<Outcome>) -> Result<(), ModelError> {
        let ns = self.namespaces.get_mut(&id).ok_or(ModelError::NoSuchNamespace { ns: id })?;
        if ns.pins.contains(&holder) {
            return Err(ModelError::AlreadyPinned { ns: id, holder });
        }
        ns.pins.push(holder.clone());
        ns.refs += 1;
        out.push(Outcome::Pinned { ns: id, holder });
        Ok(())
    }

    pub(super) fn unpin(&mut self, id: NsId, holder: String, out: &mut Vec<Outcome>) -> Result<(), ModelError> {
        let ns = self.namespaces.get_mut(&id).ok_or(ModelError::NoSuchNamespace { ns: id })?;
        let Some(index) = ns.pins.iter().position(|pin| *pin == holder) else {
            return Err(ModelError::NotPinned { ns: id, holder });
        };
        ns.pins.remove(index);
        out.push(Outcome::Unpinned { ns: id, holder });
        self.ns_put(id, out);
        Ok(())
    }
}
