//! The state machine: a Linux host's processes and namespaces, changed only by [`World::apply`].

mod exit;
mod fork;
mod namespaces;
mod signals;
mod snapshot;
mod table;
mod wait;

use table::PidBitmap;

use rustc_hash::FxHashMap;

use crate::error::ModelError;
use crate::event::Event;
use crate::ns::{Namespace, NsId, NsKind, NsProxy, NsSet, PidNamespace};
use crate::outcome::Outcome;
use crate::process::{Pid, ProcState, Process};

/// The kernel's default `pid_max` on 64-bit machines with many CPUs, and its upper limit
/// (`PID_MAX_LIMIT`).
pub const PID_MAX_DEFAULT: u32 = 4_194_304;
/// The highest `pid_max` the kernel accepts on 64-bit machines.
pub const PID_MAX_LIMIT: u32 = 4_194_304;
/// After the first wrap, pids start again above this (`RESERVED_PIDS`, K8).
pub const RESERVED_PIDS: u32 = 300;
/// The deepest pid (and user) namespace nesting (`MAX_PID_NS_LEVEL`, K7).
pub const MAX_NS_LEVEL: u8 = 32;

/// The identities the kernel gives the initial namespaces (`PROC_*_INIT_INO`), and the first
/// two dynamically allocated ones, which go to the initial net and mount namespaces.
const HOST_NAMESPACES: [(NsKind, u32); 8] = [
    (NsKind::Time, 4_026_531_834),
    (NsKind::Cgroup, 4_026_531_835),
    (NsKind::Pid, 4_026_531_836),
    (NsKind::User, 4_026_531_837),
    (NsKind::Uts, 4_026_531_838),
    (NsKind::Ipc, 4_026_531_839),
    (NsKind::Net, 4_026_531_840),
    (NsKind::Mnt, 4_026_531_841),
];

/// A Linux host: its processes and namespaces. Deterministic: the same events applied to the
/// same world give the same outcomes and the same world.
///
/// ```
/// use pauselab_core::{Event, Outcome, Pid, ProcState, World, WaitTarget};
///
/// let mut world = World::new();
/// world.apply(Event::Fork { pid: Pid(1), new: Default::default() })?; // pid 2
/// world.apply(Event::Fork { pid: Pid(2), new: Default::default() })?; // pid 3
/// world.apply(Event::Exit { pid: Pid(3), code: 7 })?;
/// assert!(matches!(world.process(Pid(3)).unwrap().state(), ProcState::Zombie(_))); // K11
/// let outcomes = world.apply(Event::Wait { pid: Pid(2), target: WaitTarget::Any, nohang: true })?;
/// assert!(outcomes.iter().any(|o| matches!(o, Outcome::Reaped { pid: Pid(3), .. })));
/// assert!(world.process(Pid(3)).is_none());
/// # Ok::<(), pauselab_core::ModelError>(())
/// ```
#[derive(Clone, Debug)]
pub struct World {
    pub(crate) procs: table::ProcTable,
    /// Living namespaces by identity. Iteration order is not part of the model: views sort.
    pub(crate) namespaces: FxHashMap<NsId, Namespace>,
    /// How many living processes share each set of namespaces.
    pub(crate) proxies: FxHashMap<NsProxy, u32>,
    /// The identity the next new namespace gets; above `u32::MAX` none is left.
    pub(crate) next_ns_id: u64,
    pub(crate) next_seq: u64,
    pub(crate) pid_max: u32,
    pub(crate) root_pid_ns: NsId,
    /// Which host pids are taken: the process table answers the same, but pid allocation scans
    /// pids in order, and a bitmap keeps that scan in cache in a world of a million processes.
    pub(crate) root_pids: PidBitmap,
}

/// Two worlds are equal when they behave the same: equal snapshots. (Internal bookkeeping such
/// as list-order counters may differ after a snapshot round trip.)
impl PartialEq for World {
    fn eq(&self, other: &World) -> bool {
        self.to_snapshot() == other.to_snapshot()
    }
}

impl Eq for World {}

impl Default for World {
    fn default() -> Self {
        World::new()
    }
}

impl World {
    /// A freshly booted host: the initial namespaces and `init` as pid 1.
    pub fn new() -> World {
        World::with_pid_max(PID_MAX_DEFAULT)
    }

    /// A freshly booted host whose pids wrap at `pid_max` (clamped to 301 ..= 4,194,304, as the
    /// kernel's sysctl is).
    pub fn with_pid_max(pid_max: u32) -> World {
        let init = Pid(1);
        let mut ns_ids = [NsId(0); 8];
        let mut namespaces = FxHashMap::default();
        for (kind, id) in HOST_NAMESPACES {
            ns_ids[kind.index()] = NsId(id);
            namespaces.insert(NsId(id), Namespace::new(NsId(id), kind, None, true));
        }
        let ns = NsSet(ns_ids);
        let init_process = Process::new("init".into(), vec![1], Pid(0), ns, 0);
        let mut world = World {
            procs: [(init, init_process)].into_iter().collect(),
            namespaces,
            proxies: FxHashMap::default(),
            next_ns_id: 4_026_531_842,
            next_seq: 1,
            pid_max: pid_max.clamp(RESERVED_PIDS + 1, PID_MAX_LIMIT),
            root_pid_ns: ns.get(NsKind::Pid),
            root_pids: PidBitmap::default(),
        };
        world.take_pid(ns.get(NsKind::Pid), 1, init, true);
        world.pid_ns_mut(ns.get(NsKind::Pid)).last_pid = 1;
        world
            .recount_references()
            .unwrap_or_else(|e| unreachable!("a booted host is consistent: {e}"));
        world
    }

    /// Applies one event. On success, returns what the kernel did, in order. On error, the
    /// world is exactly as it was.
    pub fn apply(&mut self, event: Event) -> Result<Vec<Outcome>, ModelError> {
        let mut out = Vec::new();
        match event {
            Event::Fork { pid, new } => self.fork(pid, new, Default::default(), &mut out)?,
            Event::Exec { pid, comm } => self.exec(pid, comm, &mut out)?,
            Event::Exit { pid, code } => self.exit(pid, code, &mut out)?,
            Event::Fault { pid, signal } => self.fault(pid, signal, &mut out)?,
            Event::Wait {
                pid,
                target,
                nohang,
            } => self.wait(pid, target, nohang, &mut out)?,
            Event::Kill {
                pid,
                target,
                signal,
            } => self.kill(pid, target, signal, &mut out)?,
            Event::Sigaction {
                pid,
                signal,
                action,
                nocldwait,
            } => self.sigaction(pid, signal, action, nocldwait, &mut out)?,
            Event::SetSubreaper { pid, on } => {
                self.actor_mut(pid)?.subreaper = on;
                out.push(Outcome::SubreaperSet { pid, on });
            }
            Event::Unshare { pid, new } => self.unshare(pid, new, &mut out)?,
            Event::Setns { pid, ns } => self.setns(pid, ns, &mut out)?,
            Event::Pin { ns, holder } => self.pin(ns, holder, &mut out)?,
            Event::Unpin { ns, holder } => self.unpin(ns, holder, &mut out)?,
            #[cfg(feature = "live")]
            Event::ForkSeen { pid, nspid, ns, .. } => self.fork_seen(pid, &nspid, *ns, &mut out)?,
            #[cfg(feature = "live")]
            Event::Signaled { pid, signal } => {
                self.live(pid)?;
                self.check_may_die(pid)?;
                self.do_exit(pid, crate::process::ExitStatus::Signaled(signal), &mut out);
            }
            #[cfg(feature = "live")]
            Event::EndedUnseen { pid } => self.ended_unseen(pid, &mut out)?,
            #[cfg(feature = "live")]
            Event::NamespacesSeen { pid, seen } => self.namespaces_seen(pid, &seen, &mut out)?,
            #[cfg(feature = "live")]
            Event::AppearedSeen { record } => self.appeared_seen(&record, &mut out)?,
            #[cfg(feature = "live")]
            Event::CollectedOutside { pid } => self.collected_outside(pid, &mut out)?,
            // Only the name: the handlers an execve would reset stay.
            #[cfg(feature = "live")]
            Event::Renamed { pid, comm } => {
                self.actor_mut(pid)?.comm = comm.as_str().into();
                out.push(Outcome::Renamed { pid, comm });
            }
            #[cfg(feature = "live")]
            Event::LookedAnew { look } => {
                *self = World::from_snapshot(&look).map_err(|_| ModelError::LookNotPossible)?;
                out.push(Outcome::LookedAnew {
                    processes: self.len(),
                });
            }
        }
        Ok(out)
    }

    /// Every pin, as `(namespace, holder)`, sorted: what a live node's follower compares with
    /// /run/netns.
    #[cfg(feature = "live")]
    pub(crate) fn pins(&self) -> Vec<(NsId, String)> {
        let mut all: Vec<(NsId, String)> = self
            .namespaces
            .values()
            .flat_map(|ns| ns.pins.iter().map(move |holder| (ns.id, holder.clone())))
            .collect();
        all.sort();
        all
    }

    /// Whether a namespace of this identity exists.
    #[cfg(feature = "live")]
    pub(crate) fn has_namespace(&self, id: NsId) -> bool {
        self.namespaces.contains_key(&id)
    }

    /// The process with this host pid, if it has not been reaped.
    pub fn process(&self, pid: Pid) -> Option<&Process> {
        self.procs.get(&pid)
    }

    /// Whether the process exists and has not begun to exit.
    pub fn is_alive(&self, pid: Pid) -> bool {
        self.procs.get(&pid).is_some_and(|p| p.state.is_alive())
    }

    /// Every process, by host pid.
    pub fn processes(&self) -> Vec<&Process> {
        let mut all: Vec<_> = self.procs.values().collect();
        all.sort_by_key(|p| p.host_pid());
        all
    }

    /// How many processes there are, zombies included.
    pub fn len(&self) -> usize {
        self.procs.len()
    }

    /// Whether there is no process at all (never true of a booted host).
    pub fn is_empty(&self) -> bool {
        self.procs.is_empty()
    }

    /// The host's pid namespace.
    pub fn root_pid_ns(&self) -> NsId {
        self.root_pid_ns
    }

    /// The pid at which pids wrap.
    pub fn pid_max(&self) -> u32 {
        self.pid_max
    }

    /// The host pid of the process that `pid` names in pid namespace `ns` (K7, K9).
    pub fn resolve(&self, ns: NsId, pid: Pid) -> Option<Pid> {
        if ns == self.root_pid_ns {
            return self.procs.contains_key(&pid).then_some(pid);
        }
        self.namespaces
            .get(&ns)?
            .pid
            .as_ref()?
            .pids
            .get(&pid.0)
            .copied()
    }

    /// How `viewer` names the process with host pid `target` in a syscall: its pid in the
    /// viewer's pid namespace, or K9's refusal when it is outside that namespace.
    pub fn pid_seen_by(&self, viewer: Pid, target: Pid) -> Result<Pid, ModelError> {
        let process = self
            .procs
            .get(&viewer)
            .ok_or(ModelError::NoSuchProcess { pid: viewer })?;
        self.pid_in(process.ns.get(NsKind::Pid), target)
            .ok_or(ModelError::Invisible { viewer, target })
    }

    /// The pid the next fork into pid namespace `ns` would get there (K8), if one is free: what
    /// a recorder orders concurrent forks by.
    pub fn next_pid_in(&self, ns: NsId) -> Option<Pid> {
        self.namespaces.get(&ns)?.pid.as_ref()?;
        self.next_free_pid(ns).map(Pid)
    }

    /// The pid of host pid `pid` in pid namespace `ns`, if it is visible there (K9).
    pub fn pid_in(&self, ns: NsId, pid: Pid) -> Option<Pid> {
        let process = self.procs.get(&pid)?;
        let namespace = self.namespaces.get(&ns)?;
        namespace.pid.as_ref()?;
        let local = *process.nspid.get(usize::from(namespace.level))?;
        (self.resolve(ns, Pid(local)) == Some(pid)).then_some(Pid(local))
    }

    // ---- helpers shared by the event handlers ----

    /// The process that performs an event: it must exist, be running, and not be blocked.
    fn actor(&self, pid: Pid) -> Result<&Process, ModelError> {
        let process = self.live(pid)?;
        if process.waiting.is_some() {
            return Err(ModelError::Blocked { pid });
        }
        Ok(process)
    }

    fn actor_mut(&mut self, pid: Pid) -> Result<&mut Process, ModelError> {
        self.actor(pid)?;
        Ok(self.proc_mut(pid))
    }

    /// A process that exists and is running (it may be blocked in wait).
    fn live(&self, pid: Pid) -> Result<&Process, ModelError> {
        let process = self
            .procs
            .get(&pid)
            .ok_or(ModelError::NoSuchProcess { pid })?;
        match process.state {
            ProcState::Running => Ok(process),
            ProcState::Stopped => Err(ModelError::Stopped { pid }),
            state => Err(ModelError::NotAlive { pid, state }),
        }
    }

    /// A process known to exist; the callers have checked, so a miss is a model bug.
    fn proc(&self, pid: Pid) -> &Process {
        self.procs
            .get(&pid)
            .unwrap_or_else(|| panic!("model bug: process {pid} vanished"))
    }

    fn proc_mut(&mut self, pid: Pid) -> &mut Process {
        self.procs
            .get_mut(&pid)
            .unwrap_or_else(|| panic!("model bug: process {pid} vanished"))
    }

    fn ns(&self, id: NsId) -> &Namespace {
        self.namespaces
            .get(&id)
            .unwrap_or_else(|| panic!("model bug: namespace {id} vanished"))
    }

    fn ns_mut(&mut self, id: NsId) -> &mut Namespace {
        self.namespaces
            .get_mut(&id)
            .unwrap_or_else(|| panic!("model bug: namespace {id} vanished"))
    }

    fn pid_ns(&self, id: NsId) -> &PidNamespace {
        self.ns(id)
            .pid
            .as_ref()
            .unwrap_or_else(|| panic!("model bug: {id} is not a pid namespace"))
    }

    fn pid_ns_mut(&mut self, id: NsId) -> &mut PidNamespace {
        self.ns_mut(id)
            .pid
            .as_mut()
            .unwrap_or_else(|| panic!("model bug: {id} is not a pid namespace"))
    }

    /// Gives `host` the pid `local` in pid namespace `ns` (K7), and makes pid 1 of a process's
    /// own namespace that namespace's init and child reaper (K6). Returns false if the pid was
    /// taken already. (The cursor of K8 is the caller's: a fork moves it, a restore does not.)
    pub(crate) fn take_pid(&mut self, ns: NsId, local: u32, host: Pid, own: bool) -> bool {
        // The host's namespace keeps a bitmap, not a map: the process table is its map.
        let free = if ns == self.root_pid_ns {
            let free = !self.root_pids.contains(local);
            self.root_pids.insert(local);
            free
        } else {
            self.pid_ns_mut(ns).pids.insert(local, host).is_none()
        };
        if own && local == 1 {
            self.pid_ns_mut(ns).reaper = Some(host);
        }
        free
    }

    fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// Appends `child` to `parent`'s children list, as the kernel's `list_add_tail` does.
    fn link_child(&mut self, parent: Pid, child: Pid) {
        let seq = self.next_seq();
        let zombie = matches!(self.proc(child).state, ProcState::Zombie(_));
        let process = self.proc_mut(child);
        process.parent = parent;
        process.sibling_seq = seq;
        if let Some(parent) = self.procs.get_mut(&parent) {
            parent.children.link(seq, child, zombie);
        }
    }
}
