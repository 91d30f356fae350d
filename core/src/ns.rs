//! Namespaces: kinds, identities and sets of kinds (K1).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The eight kinds of namespace [namespaces(7)] (K1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NsKind {
    /// Mount points.
    Mnt,
    /// Hostname and NIS domain name.
    Uts,
    /// System V IPC and POSIX message queues.
    Ipc,
    /// Network devices, addresses, ports.
    Net,
    /// Process ids.
    Pid,
    /// User and group ids.
    User,
    /// The cgroup root directory.
    Cgroup,
    /// Boot and monotonic clocks.
    Time,
}

impl NsKind {
    /// Every kind, in the order used for arrays indexed by kind.
    pub const ALL: [NsKind; 8] = [
        NsKind::Mnt,
        NsKind::Uts,
        NsKind::Ipc,
        NsKind::Net,
        NsKind::Pid,
        NsKind::User,
        NsKind::Cgroup,
        NsKind::Time,
    ];

    /// The name the kernel uses in `/proc/PID/ns/` and `lsns`.
    pub fn name(self) -> &'static str {
        match self {
            NsKind::Mnt => "mnt",
            NsKind::Uts => "uts",
            NsKind::Ipc => "ipc",
            NsKind::Net => "net",
            NsKind::Pid => "pid",
            NsKind::User => "user",
            NsKind::Cgroup => "cgroup",
            NsKind::Time => "time",
        }
    }

    /// The `CLONE_NEW*` flag name.
    pub fn clone_flag(self) -> &'static str {
        match self {
            NsKind::Mnt => "CLONE_NEWNS",
            NsKind::Uts => "CLONE_NEWUTS",
            NsKind::Ipc => "CLONE_NEWIPC",
            NsKind::Net => "CLONE_NEWNET",
            NsKind::Pid => "CLONE_NEWPID",
            NsKind::User => "CLONE_NEWUSER",
            NsKind::Cgroup => "CLONE_NEWCGROUP",
            NsKind::Time => "CLONE_NEWTIME",
        }
    }

    /// Pid and time namespaces: `unshare` and `setns` change only where the caller's future
    /// children go, never the caller itself (K4; `time_for_children` likewise).
    pub fn applies_to_children_only(self) -> bool {
        matches!(self, NsKind::Pid | NsKind::Time)
    }

    /// Pid and user namespaces form a tree: each new one has a parent.
    pub fn is_hierarchical(self) -> bool {
        matches!(self, NsKind::Pid | NsKind::User)
    }

    /// The order in which `clone` and `unshare` create namespaces (user first: it owns the rest).
    pub(crate) const CREATION_ORDER: [NsKind; 8] = [
        NsKind::User,
        NsKind::Mnt,
        NsKind::Uts,
        NsKind::Ipc,
        NsKind::Pid,
        NsKind::Cgroup,
        NsKind::Net,
        NsKind::Time,
    ];

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for NsKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not a namespace kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown namespace kind `{0}`: expected one of mnt, uts, ipc, net, pid, user, cgroup, time"
)]
pub struct UnknownNsKind(pub String);

impl FromStr for NsKind {
    type Err = UnknownNsKind;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        NsKind::ALL
            .into_iter()
            .find(|kind| kind.name() == text)
            .ok_or_else(|| UnknownNsKind(text.to_owned()))
    }
}

/// A namespace's identity: the inode number of its `/proc/PID/ns/KIND` file (K1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NsId(pub u32);

impl fmt::Display for NsId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A namespace named the way `readlink /proc/PID/ns/KIND` shows it: `net:[4026531840]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NsRef {
    /// The kind.
    pub kind: NsKind,
    /// The identity.
    pub id: NsId,
}

impl fmt::Display for NsRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:[{}]", self.kind, self.id)
    }
}

/// A set of namespace kinds, such as the `CLONE_NEW*` flags of a `clone` or `unshare`.
/// Serialized as a list of kind names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NsKinds(u8);

impl NsKinds {
    /// No kinds.
    pub const EMPTY: NsKinds = NsKinds(0);

    /// The set holding exactly `kinds`.
    pub fn of(kinds: &[NsKind]) -> NsKinds {
        kinds.iter().copied().collect()
    }

    /// Whether `kind` is in the set.
    pub fn contains(self, kind: NsKind) -> bool {
        self.0 & (1 << kind.index()) != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The kinds in [`NsKind::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = NsKind> {
        NsKind::ALL
            .into_iter()
            .filter(move |kind| self.contains(*kind))
    }
}

impl FromIterator<NsKind> for NsKinds {
    fn from_iter<I: IntoIterator<Item = NsKind>>(iter: I) -> Self {
        NsKinds(
            iter.into_iter()
                .fold(0, |bits, kind| bits | (1 << kind.index())),
        )
    }
}

impl Serialize for NsKinds {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for NsKinds {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<NsKind>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

/// One namespace of each kind, indexed by kind: the namespaces a process is a member of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NsSet(pub(crate) [NsId; 8]);

impl NsSet {
    /// A set from one identity per kind; `None` if a kind is missing.
    pub fn from_map(ids: &std::collections::BTreeMap<NsKind, NsId>) -> Option<NsSet> {
        let mut set = [NsId(0); 8];
        for kind in NsKind::ALL {
            set[kind.index()] = *ids.get(&kind)?;
        }
        Some(NsSet(set))
    }

    /// The namespace of `kind`.
    pub fn get(&self, kind: NsKind) -> NsId {
        self.0[kind.index()]
    }

    pub(crate) fn set(&mut self, kind: NsKind, id: NsId) {
        self.0[kind.index()] = id;
    }

    /// `(kind, id)` pairs in [`NsKind::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = NsRef> + '_ {
        NsKind::ALL.into_iter().map(|kind| NsRef {
            kind,
            id: self.get(kind),
        })
    }
}

impl Serialize for NsSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|ns| (ns.kind, ns.id)))
    }
}

impl<'de> Deserialize<'de> for NsSet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<NsKind, NsId>::deserialize(deserializer)?;
        let mut ids = [NsId(0); 8];
        for kind in NsKind::ALL {
            ids[kind.index()] = *map.get(&kind).ok_or_else(|| {
                serde::de::Error::custom(format_args!("namespace set lacks the {kind} namespace"))
            })?;
        }
        Ok(NsSet(ids))
    }
}

/// The namespaces a living process holds, shared by every process that holds the same ones,
/// as the kernel's `struct nsproxy` is: a fork that creates no namespace costs one count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct NsProxy {
    pub(crate) ns: NsSet,
    pub(crate) pid_for_children: NsId,
    pub(crate) time_for_children: NsId,
}

impl NsProxy {
    /// Every namespace it references, one entry per reference.
    pub(crate) fn ids(&self) -> impl Iterator<Item = NsId> + '_ {
        self.ns
            .0
            .iter()
            .copied()
            .chain([self.pid_for_children, self.time_for_children])
    }
}

/// A namespace in the model: its kind, place in the tree, pins and lifetime (K5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Namespace {
    pub(crate) id: NsId,
    pub(crate) kind: NsKind,
    /// The parent pid or user namespace.
    pub(crate) parent: Option<NsId>,
    /// Depth in the pid or user namespace tree: 0 for the host's (K7).
    pub(crate) level: u8,
    /// Bind mounts and open file descriptors that keep it alive (K5), by name.
    pub(crate) pins: Vec<String>,
    /// One of the host's initial namespaces, which the kernel never frees.
    pub(crate) initial: bool,
    /// Everything that keeps it alive: the nsproxies that name it, the pids of processes in it
    /// (zombies too), child namespaces, pins, and for the initial namespaces the kernel itself.
    /// Zero means destroyed (K5).
    pub(crate) refs: u32,
    /// Pid namespaces only.
    pub(crate) pid: Option<PidNamespace>,
}

impl Namespace {
    /// A namespace no one holds yet: the caller takes its references.
    pub(crate) fn new(id: NsId, kind: NsKind, parent: Option<NsId>, initial: bool) -> Namespace {
        Namespace {
            id,
            kind,
            parent,
            level: 0,
            pins: Vec::new(),
            initial,
            refs: 0,
            pid: (kind == NsKind::Pid).then(PidNamespace::default),
        }
    }
}

/// The pid-specific state of a pid namespace (K6–K8, K19).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PidNamespace {
    /// The last pid handed out: the cursor of K8.
    pub(crate) last_pid: u32,
    /// Pid in this namespace → host pid, for every process that has a pid here (zombies too).
    /// Empty for the host's namespace, where the pid is the host pid: the process table itself
    /// is that map, and a million-process world need not keep it twice.
    pub(crate) pids: rustc_hash::FxHashMap<u32, crate::Pid>,
    /// The namespace's init (pid 1), once it has one.
    pub(crate) reaper: Option<crate::Pid>,
    /// Cleared when init dies (the kernel's PIDNS_ADDING): forks into it fail (K19).
    pub(crate) accepting: bool,
    /// Its init has exited and waits inside `exit` for the namespace to empty (K19).
    pub(crate) init_waits: bool,
}

/// A new pid namespace: no pid handed out, no init yet, accepting processes.
impl Default for PidNamespace {
    fn default() -> Self {
        PidNamespace {
            last_pid: 0,
            pids: Default::default(),
            reaper: None,
            accepting: true,
            init_waits: false,
        }
    }
}
