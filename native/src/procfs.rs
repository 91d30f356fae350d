//! Reading a live process tree from /proc into the model's snapshot format, so that
//! `pauselab ps --json` opens in the browser and loads into the model.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use pauselab_core::format::{NamespaceRecord, ProcessRecord, FORMAT_VERSION, SNAPSHOT_FORMAT};
use pauselab_core::{ExitStatus, NsId, NsKind, Pid, ProcState, Signal, SignalSet, Snapshot};

/// A failure reading /proc.
#[derive(Debug, thiserror::Error)]
pub enum ProcError {
    /// /proc could not be listed.
    #[error("listing {0}")]
    List(String, #[source] std::io::Error),
    /// The process asked for does not exist.
    #[error("no process {0} in /proc")]
    NoSuchProcess(u32),
    /// A namespace given as `pid:[ID]` was not well-formed.
    #[error("\"{0}\" is not a pid namespace like pid:[4026531836]")]
    BadNamespace(String),
    /// No process is in the pid namespace asked for.
    #[error("no pid namespace {0} here: no process in /proc is in it (see `pauselab ps` for the ones there are)")]
    NoSuchNamespace(String),
}

/// One process as /proc shows it.
#[derive(Clone, Debug)]
pub struct ProcEntry {
    /// Its pid in the namespace of this /proc mount.
    pub pid: u32,
    /// `Name:`.
    pub comm: String,
    /// `State:` letter.
    pub state: char,
    /// `PPid:`.
    pub ppid: u32,
    /// `NSpid:`.
    pub nspid: Vec<u32>,
    /// `SigIgn:` and `SigCgt:`.
    pub ignored: SignalSet,
    /// Signals with a handler.
    pub handled: SignalSet,
    /// Namespace identities by kind (empty for zombies, whose links cannot be read).
    pub ns: BTreeMap<NsKind, NsId>,
    /// `pid_for_children` and `time_for_children`, when readable.
    pub pid_for_children: Option<NsId>,
    /// See above.
    pub time_for_children: Option<NsId>,
    /// For a zombie, the status its parent will collect (/proc/PID/stat field 52).
    pub exit: Option<ExitStatus>,
    /// Where its program's text and its stack start (/proc/PID/stat fields 26 and 28), which
    /// every execve lays out anew (at random addresses, with the kernel's ASLR) and nothing
    /// else moves: how polling tells an execve from a rename. None without a program (a
    /// kernel thread, a zombie) or when unreadable.
    pub image: Option<(u64, u64)>,
}

fn mask(hex: &str) -> SignalSet {
    let bits = u64::from_str_radix(hex.trim(), 16).unwrap_or(0);
    (1..=31u8)
        .filter(|n| bits & (1 << (n - 1)) != 0)
        .filter_map(Signal::new)
        .collect()
}

fn ns_id(path: &Path) -> Option<NsId> {
    let link = fs::read_link(path).ok()?;
    let text = link.to_str()?;
    let id = text.split_once(":[")?.1.strip_suffix(']')?;
    id.parse().ok().map(NsId)
}

/// Reads one process; `None` if it vanished meanwhile.
pub fn read_process(proc_root: &Path, pid: u32) -> Option<ProcEntry> {
    let dir = proc_root.join(pid.to_string());
    let status = fs::read_to_string(dir.join("status")).ok()?;
    let field = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(':').map(str::trim))
    };
    let state = field("State")?.chars().next()?;
    let mut ns = BTreeMap::new();
    for kind in NsKind::ALL {
        if let Some(id) = ns_id(&dir.join("ns").join(kind.name())) {
            ns.insert(kind, id);
        }
    }
    // Its fields after the name, from field 3 (the name may hold spaces and parentheses).
    let stat = fs::read_to_string(dir.join("stat")).unwrap_or_default();
    let stat_field = |n: usize| -> Option<u64> {
        stat.get(stat.rfind(')')? + 2..)?
            .split_whitespace()
            .nth(n - 3)?
            .parse()
            .ok()
    };
    let exit = (state == 'Z').then(|| {
        let code = u32::try_from(stat_field(52)?).ok()?;
        Some(if code & 0x7f == 0 {
            ExitStatus::Exited((code >> 8) as u8)
        } else {
            ExitStatus::Signaled(Signal::new((code & 0x7f) as u8)?)
        })
    });
    let image = match (stat_field(26), stat_field(28)) {
        (Some(text), Some(stack)) if text != 0 && stack != 0 => Some((text, stack)),
        _ => None,
    };
    Some(ProcEntry {
        pid,
        comm: field("Name")?.to_owned(),
        state,
        ppid: field("PPid")?.parse().ok()?,
        nspid: field("NSpid")?
            .split_whitespace()
            .filter_map(|p| p.parse().ok())
            .collect(),
        ignored: mask(field("SigIgn")?),
        handled: mask(field("SigCgt")?),
        ns,
        pid_for_children: ns_id(&dir.join("ns/pid_for_children")),
        time_for_children: ns_id(&dir.join("ns/time_for_children")),
        exit: exit.flatten(),
        image,
    })
}

/// Every process in /proc.
pub fn read_all(proc_root: &Path) -> Result<Vec<ProcEntry>, ProcError> {
    let entries =
        fs::read_dir(proc_root).map_err(|e| ProcError::List(proc_root.display().to_string(), e))?;
    let mut pids: Vec<u32> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    pids.sort_unstable();
    Ok(pids
        .into_iter()
        .filter_map(|pid| read_process(proc_root, pid))
        .collect())
}

nix::ioctl_none!(ns_get_parent, 0xb7, 0x2);

/// The chain of parents of a process's pid or user namespace, through the kernel's
/// NS_GET_PARENT ioctl, as `(namespace, parent)` pairs up to the top this process may see.
fn ns_ancestors(proc_root: &Path, pid: u32, kind: NsKind, id: NsId) -> Vec<(NsId, NsId)> {
    let mut chain = Vec::new();
    let Ok(mut file) = fs::File::open(proc_root.join(pid.to_string()).join("ns").join(kind.name()))
    else {
        return chain;
    };
    let mut child = id;
    // SAFETY: NS_GET_PARENT takes no argument and returns a new file descriptor or -1.
    while let Ok(fd) = unsafe { ns_get_parent(file.as_raw_fd()) } {
        // SAFETY: the ioctl returned a fresh descriptor that nothing else owns.
        file = fs::File::from(unsafe { OwnedFd::from_raw_fd(fd) });
        let Some(parent) = file
            .metadata()
            .ok()
            .and_then(|m| u32::try_from(m.ino()).ok())
            .map(NsId)
        else {
            break;
        };
        chain.push((child, parent));
        child = parent;
        if chain.len() > usize::from(pauselab_core::MAX_NS_LEVEL) {
            break;
        }
    }
    chain
}

/// Which processes to keep.
#[derive(Clone, Debug)]
pub enum Filter {
    /// All of them.
    All,
    /// This process and its descendants.
    Subtree(u32),
    /// Processes of this pid namespace and those below it.
    PidNamespace(NsId),
}

impl Filter {
    /// Parses `pid:[ID]` (or a bare ID) for `--ns`.
    pub fn namespace(text: &str) -> Result<Filter, ProcError> {
        let id = text
            .strip_prefix("pid:[")
            .and_then(|t| t.strip_suffix(']'))
            .unwrap_or(text);
        id.parse()
            .map(|id| Filter::PidNamespace(NsId(id)))
            .map_err(|_| ProcError::BadNamespace(text.to_owned()))
    }
}

/// A snapshot of the processes `filter` keeps, with the namespaces they use, their parents and
/// pins found under /run/netns.
pub fn snapshot(proc_root: &Path, filter: &Filter) -> Result<Snapshot, ProcError> {
    let all = read_all(proc_root)?;
    let by_pid: BTreeMap<u32, &ProcEntry> = all.iter().map(|p| (p.pid, p)).collect();
    let keep: BTreeSet<u32> = match filter {
        Filter::All => by_pid.keys().copied().collect(),
        Filter::Subtree(root) if !by_pid.contains_key(root) => {
            return Err(ProcError::NoSuchProcess(*root))
        }
        Filter::Subtree(root) => with_descendants(&all, BTreeSet::from([*root])),
        // Its members, and everything they started: deeper namespaces are below it.
        Filter::PidNamespace(ns) => {
            let members: BTreeSet<u32> = all
                .iter()
                .filter(|p| p.ns.get(&NsKind::Pid) == Some(ns))
                .map(|p| p.pid)
                .collect();
            if members.is_empty() {
                return Err(ProcError::NoSuchNamespace(format!("pid:[{ns}]")));
            }
            with_descendants(&all, members)
        }
    };
    let labels = crate::labels::labels(proc_root, &all, &keep);
    let all: BTreeMap<u32, ProcEntry> = all.into_iter().map(|p| (p.pid, p)).collect();
    Ok(assemble(
        proc_root,
        &all,
        &keep,
        &labels,
        &mut BTreeMap::new(),
    ))
}

/// A snapshot of the `keep` processes of `all` (by pid), labelled with `labels`; `parents` holds the
/// pid and user namespaces' parents found so far (they never change), and gains the new ones.
pub fn assemble(
    proc_root: &Path,
    by_pid: &BTreeMap<u32, ProcEntry>,
    keep: &BTreeSet<u32>,
    labels: &BTreeMap<u32, pauselab_core::format::ContainerLabel>,
    parents: &mut BTreeMap<NsId, NsId>,
) -> Snapshot {
    // A zombie's namespace links are gone; it is in its parent's pid namespace when it is as
    // deep as its parent (an init's zombie is not, and is left out). Processes whose links
    // cannot be read at all (another user's, without root) are left out too.
    let mut processes = Vec::new();
    let mut used: BTreeMap<NsId, NsKind> = BTreeMap::new();
    let mut pid_tops: BTreeSet<(NsKind, u32, NsId)> = BTreeSet::new();
    for pid in keep {
        let entry = &by_pid[pid];
        let mut ns = entry.ns.clone();
        if ns.len() < NsKind::ALL.len() {
            let Some(parent) = by_pid
                .get(&entry.ppid)
                .filter(|p| p.nspid.len() == entry.nspid.len() && p.ns.len() == 8)
            else {
                continue;
            };
            ns = parent.ns.clone();
        }
        let Some(set) = pauselab_core::NsSet::from_map(&ns) else {
            continue;
        };
        for (kind, id) in &ns {
            used.insert(*id, *kind);
        }
        let alive = entry.state != 'Z';
        if alive {
            for (kind, id) in [
                (NsKind::Pid, entry.pid_for_children),
                (NsKind::Time, entry.time_for_children),
            ] {
                if let Some(id) = id {
                    used.insert(id, kind);
                }
            }
            pid_tops.insert((NsKind::Pid, *pid, ns[&NsKind::Pid]));
            pid_tops.insert((NsKind::User, *pid, ns[&NsKind::User]));
        }
        let state = match entry.state {
            'Z' => ProcState::Zombie(entry.exit.unwrap_or(ExitStatus::Exited(0))),
            'T' | 't' => ProcState::Stopped,
            _ => ProcState::Running,
        };
        processes.push(ProcessRecord {
            nspid: entry.nspid.clone(),
            ppid: Pid(entry.ppid),
            comm: entry.comm.clone(),
            state,
            ns: set,
            pid_for_children: if alive { entry.pid_for_children } else { None },
            time_for_children: if alive { entry.time_for_children } else { None },
            handled: entry.handled,
            ignored: entry.ignored,
            nocldwait: false,
            subreaper: false,
            waiting: None,
            pending: SignalSet::default(),
            container: labels.get(pid).cloned(),
        });
    }

    // Parents of pid and user namespaces, asked of the kernel through one member each and then
    // up the chain, so that the listing has one root.
    for (kind, pid, id) in pid_tops {
        if parents.contains_key(&id) {
            continue;
        }
        for (child, parent) in ns_ancestors(proc_root, pid, kind, id) {
            parents.insert(child, parent);
            used.entry(parent).or_insert(kind);
        }
    }
    let pins = netns_pins();
    let host = by_pid
        .get(&1)
        .filter(|p| p.nspid == [1])
        .map(|p| p.ns.values().copied().collect::<BTreeSet<_>>());
    let mut namespaces: Vec<NamespaceRecord> = used
        .iter()
        .map(|(&id, &kind)| NamespaceRecord {
            id,
            kind,
            parent: parents.get(&id).copied(),
            pins: pins.get(&id).cloned().unwrap_or_default(),
            initial: host.as_ref().is_some_and(|h| h.contains(&id)),
            last_pid: None,
            accepting: true,
        })
        .collect();
    namespaces.sort_by_key(|n| n.id);
    // A parent left out (outside the filter, or unreadable) is outside the snapshot.
    let listed: BTreeSet<u32> = processes.iter().map(|p| p.nspid[0]).collect();
    for process in &mut processes {
        if !listed.contains(&process.ppid.0) {
            process.ppid = Pid(0);
        }
    }
    // Children in pid order: the closest /proc gives to the kernel's list order.
    processes.sort_by_key(|p| p.nspid[0]);
    let pid_max = fs::read_to_string(proc_root.join("sys/kernel/pid_max"))
        .ok()
        .and_then(|t| t.trim().parse().ok());
    Snapshot {
        format: SNAPSHOT_FORMAT.to_owned(),
        version: FORMAT_VERSION,
        pid_max: pid_max.unwrap_or(pauselab_core::PID_MAX_DEFAULT),
        next_ns_id: None,
        namespaces,
        processes,
    }
}

/// `roots` and every process below them, by parent links.
fn with_descendants(all: &[ProcEntry], mut keep: BTreeSet<u32>) -> BTreeSet<u32> {
    loop {
        let more: Vec<u32> = all
            .iter()
            .filter(|p| !keep.contains(&p.pid) && keep.contains(&p.ppid))
            .map(|p| p.pid)
            .collect();
        if more.is_empty() {
            return keep;
        }
        keep.extend(more);
    }
}

/// Net namespaces bind-mounted under /run/netns (as `ip netns` and CNI runtimes do), by identity.
fn netns_pins() -> BTreeMap<NsId, Vec<String>> {
    let mut pins: BTreeMap<NsId, Vec<String>> = BTreeMap::new();
    if let Ok(entries) = fs::read_dir("/run/netns") {
        for entry in entries.flatten() {
            if let Ok(meta) = fs::metadata(entry.path()) {
                if let Ok(ino) = u32::try_from(meta.ino()) {
                    pins.entry(NsId(ino))
                        .or_default()
                        .push(entry.path().display().to_string());
                }
            }
        }
    }
    pins
}
