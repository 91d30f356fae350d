//! fork/clone, pid allocation (K6–K8) and execve.

use super::{World, RESERVED_PIDS};
use crate::error::{Errno, ModelError};
#[cfg(feature = "live")]
use crate::ns::NsSet;
use crate::ns::{NsId, NsKind, NsKinds, NsProxy};
use crate::outcome::Outcome;
use crate::process::{Pid, Process};
use crate::signal::SignalSet;

/// What a fork seen on a live node was given (`Event::ForkSeen`); nothing in a build without
/// `live`, where every fork is the model's own and this folds away.
#[cfg(feature = "live")]
pub(super) type Seen = Option<NsSet>;
#[cfg(not(feature = "live"))]
pub(super) type Seen = ();

#[cfg(feature = "live")]
fn seen_id(seen: &Seen, kind: NsKind) -> Option<NsId> {
    seen.map(|ns| ns.get(kind))
}

#[cfg(not(feature = "live"))]
fn seen_id(_: &Seen, _: NsKind) -> Option<NsId> {
    None
}

impl World {
    /// `fork`, or with `seen` the namespaces a child seen on a live node has: the new kinds get
    /// those identities, and a pid namespace the model knows is the child's (fork_seen has set
    /// the pid cursors).
    pub(super) fn fork(
        &mut self,
        pid: Pid,
        new: NsKinds,
        seen: Seen,
        out: &mut Vec<Outcome>,
    ) -> Result<(), ModelError> {
        let parent = self.actor(pid)?;
        let base = seen_id(&seen, NsKind::Pid)
            .filter(|id| self.namespaces.contains_key(id))
            .unwrap_or(parent.pid_for_children);
        self.check_new_namespaces(pid, new)?;
        // Find a free pid at every level first, so that a refusal changes nothing. Levels go
        // from the child's namespace up to the host's; on the stack, as forks are the hot path.
        let mut levels = Levels::default();
        let mut cursor = Some(base);
        while let Some(id) = cursor {
            let free = self
                .next_free_pid(id)
                .ok_or(ModelError::NoFreePid { ns: id })?;
            levels.push((id, free));
            cursor = self.ns(id).parent;
        }
        // alloc_pid checks the child's own namespace for PIDNS_ADDING only after it has taken a
        // pid at every level, so the failed fork still moves every level's cursor (K8, K19); a
        // brand-new namespace always accepts its first process. Found by the fidelity tests.
        if !new.contains(NsKind::Pid) && !self.pid_ns(base).accepting {
            for &(id, local) in levels.as_slice() {
                self.pid_ns_mut(id).last_pid = local;
            }
            out.push(Outcome::ForkFailed {
                parent: pid,
                ns: base,
                errno: Errno::ENOMEM,
            });
            return Ok(());
        }

        let mut ns = parent.ns;
        let mut pid_for_children = base;
        let mut time_for_children = parent.time_for_children;
        let inherited = (
            parent.comm.clone(),
            parent.handled,
            parent.ignored,
            parent.nocldwait,
        );
        ns.set(NsKind::Pid, base);
        ns.set(NsKind::Time, time_for_children);
        for kind in NsKind::CREATION_ORDER
            .into_iter()
            .filter(|kind| new.contains(*kind))
        {
            // A live node's namespace has the kernel's identity; the model's own count goes on.
            let own = self.next_ns_id;
            if let Some(id) = seen_id(&seen, kind) {
                self.next_ns_id = u64::from(id.0);
            }
            let id = self.ns_create(kind, ns.get(kind), pid, out);
            if seen_id(&seen, kind).is_some() {
                self.next_ns_id = own;
            }
            ns.set(kind, id);
            match kind {
                NsKind::Pid => pid_for_children = id,
                NsKind::Time => time_for_children = id,
                _ => {}
            }
        }
        if new.contains(NsKind::Pid) {
            levels.push_front((pid_for_children, 1));
        }
        self.proxy_get(NsProxy {
            ns,
            pid_for_children,
            time_for_children,
        });
        // The child's pid holds its pid namespace until it is reaped.
        self.ns_get(ns.get(NsKind::Pid));

        let child = Pid(levels.as_slice().last().map_or(0, |&(_, host)| host));
        let nspid: Vec<u32> = levels
            .as_slice()
            .iter()
            .rev()
            .map(|&(_, pid)| pid)
            .collect();
        let own = ns.get(NsKind::Pid);
        for &(id, local) in levels.as_slice() {
            self.pid_ns_mut(id).last_pid = local;
            self.take_pid(id, local, child, id == own);
        }
        let (comm, handled, ignored, nocldwait) = inherited;
        let seq = self.next_seq();
        let mut process = Process::new(comm, nspid.clone(), pid, ns, seq);
        process.pid_for_children = pid_for_children;
        process.time_for_children = time_for_children;
        // Dispositions are inherited; the subreaper flag is not (K13).
        process.handled = handled;
        process.ignored = ignored;
        process.nocldwait = nocldwait;
        self.proc_mut(pid).children.link(seq, child, false);
        self.procs.insert(child, process);
        out.push(Outcome::Forked {
            parent: pid,
            child,
            nspid,
        });
        if self.proc(child).own_pid() == Pid(1) {
            // K6: the first process of a pid namespace is its init (take_pid made it the reaper).
            out.push(Outcome::BecameInit {
                pid: child,
                ns: own,
            });
        }
        #[cfg(feature = "live")]
        if let Some(seen) = seen {
            // Namespaces it joined before it was seen, as a setns between clone and exec does.
            for kind in NsKind::ALL {
                if kind != NsKind::Pid && self.proc(child).ns.get(kind) != seen.get(kind) {
                    self.enter(child, kind, seen.get(kind), out);
                }
            }
        }
        Ok(())
    }

    #[cfg(feature = "live")]
    /// A fork seen on a live node, played on a copy of the world that is kept only if the
    /// child came out as it was seen: the pid cursors are put where the kernel's were, new
    /// namespaces get the kernel's identities, and it is an ordinary fork.
    pub(super) fn fork_seen(
        &mut self,
        pid: Pid,
        nspid: &[u32],
        seen: NsSet,
        out: &mut Vec<Outcome>,
    ) -> Result<(), ModelError> {
        let parent = self.actor(pid)?;
        let not_as_seen = ModelError::NotAsSeen { pid };
        if seen.iter().any(|r| {
            self.namespaces
                .get(&r.id)
                .is_some_and(|ns| ns.kind != r.kind)
        }) {
            return Err(not_as_seen);
        }
        let fresh: Vec<_> = seen
            .iter()
            .filter(|r| !self.namespaces.contains_key(&r.id))
            .collect();
        // Two new namespaces cannot share an identity.
        if fresh
            .iter()
            .enumerate()
            .any(|(i, r)| r.id == NsId(0) || fresh[..i].iter().any(|o| o.id == r.id))
        {
            return Err(not_as_seen);
        }
        let new: NsKinds = fresh.iter().map(|r| r.kind).collect();
        let mut next = self.clone();
        let mut cursor = Some(if new.contains(NsKind::Pid) {
            parent.pid_for_children
        } else {
            seen.get(NsKind::Pid)
        });
        // The levels above the child's own pid namespace when it makes a new one (where it is 1).
        let mut level = nspid
            .len()
            .saturating_sub(usize::from(new.contains(NsKind::Pid)));
        while let Some(id) = cursor {
            level = level.checked_sub(1).ok_or(not_as_seen.clone())?;
            next.pid_ns_mut(id).last_pid = nspid[level].saturating_sub(1);
            cursor = next.ns(id).parent;
        }
        let mut outcomes = Vec::new();
        next.fork(pid, new, Some(seen), &mut outcomes)?;
        let forked = outcomes.iter().find_map(|outcome| match outcome {
            Outcome::Forked { child, .. } => next.procs.get(child),
            _ => None,
        });
        if forked.is_none_or(|child| child.nspid != nspid || child.ns != seen) {
            return Err(not_as_seen);
        }
        *self = next;
        out.append(&mut outcomes);
        Ok(())
    }

    /// The pid `alloc_pid` would hand out next in `ns` (`idr_alloc_cyclic`, K8).
    pub(super) fn next_free_pid(&self, ns: NsId) -> Option<u32> {
        let pid_ns = self.pid_ns(ns);
        let cursor = pid_ns.last_pid + 1;
        let min = if cursor > RESERVED_PIDS {
            RESERVED_PIDS
        } else {
            1
        };
        let start = cursor.max(min);
        let free = |pid: &u32| {
            if ns == self.root_pid_ns {
                !self.root_pids.contains(*pid)
            } else {
                !pid_ns.pids.contains_key(pid)
            }
        };
        (start..self.pid_max)
            .find(free)
            .or_else(|| (min..start.min(self.pid_max)).find(free))
    }

    pub(super) fn exec(
        &mut self,
        pid: Pid,
        comm: String,
        out: &mut Vec<Outcome>,
    ) -> Result<(), ModelError> {
        let process = self.actor_mut(pid)?;
        process.comm = comm.as_str().into();
        // flush_signal_handlers: handlers go back to SIG_DFL, SIG_IGN stays, flags are cleared.
        // The subreaper flag survives (K13).
        process.handled = SignalSet::default();
        process.nocldwait = false;
        out.push(Outcome::Execed { pid, comm });
        Ok(())
    }
}

/// A fork's `(namespace, pid)` per level, child's namespace first: at most 33 (K7).
struct Levels {
    items: [(NsId, u32); MAX_LEVELS],
    len: usize,
}

const MAX_LEVELS: usize = crate::world::MAX_NS_LEVEL as usize + 2;

impl Default for Levels {
    fn default() -> Self {
        Levels {
            items: [(NsId(0), 0); MAX_LEVELS],
            len: 0,
        }
    }
}

impl Levels {
    fn push(&mut self, level: (NsId, u32)) {
        self.items[self.len] = level;
        self.len += 1;
    }

    fn push_front(&mut self, level: (NsId, u32)) {
        self.items.copy_within(0..self.len, 1);
        self.items[0] = level;
        self.len += 1;
    }

    fn as_slice(&self) -> &[(NsId, u32)] {
        &self.items[..self.len]
    }
}
