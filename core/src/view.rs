//! Read-only views of a world: `ps` from any pid namespace, an `lsns`-like listing, zombies and
//! a tree rendering.

use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};

use crate::ns::{NsId, NsKind, NsRef};
use crate::process::{Pid, ProcState, Process};
use crate::text::Language;
use crate::world::World;

/// One row of `ps` run inside a pid namespace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PsRow {
    /// Its pid in the namespace `ps` runs in (K7).
    pub pid: Pid,
    /// Its parent's pid there; 0 when the parent is outside (K10).
    pub ppid: Pid,
    /// Its host pid, which the model uses to name it.
    pub host_pid: Pid,
    /// Its pids from the viewing namespace down to its own.
    pub nspid: Vec<u32>,
    /// Its state.
    pub state: ProcState,
    /// Its command name.
    pub comm: String,
}

/// One namespace, as `lsns` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LsnsRow {
    /// Kind and identity.
    pub kind: NsKind,
    /// Identity.
    pub ns: NsId,
    /// How many living processes are members.
    pub nprocs: usize,
    /// The lowest host pid among them, as lsns shows.
    pub pid: Option<Pid>,
    /// That process's command name.
    pub comm: Option<String>,
    /// The parent pid or user namespace.
    pub parent: Option<NsId>,
    /// What pins it (K5).
    pub pins: Vec<String>,
    /// One of the host's initial namespaces, never freed.
    pub initial: bool,
}

impl World {
    /// `ps -e -o pid,ppid,stat,comm` as run inside pid namespace `ns`: every process it can see
    /// (K9), with pids as seen there and ppid 0 for a parent outside it (K10). `None` if `ns`
    /// is not a living pid namespace.
    pub fn ps(&self, ns: NsId) -> Option<Vec<PsRow>> {
        let namespace = self.namespaces.get(&ns)?;
        let level = usize::from(namespace.level);
        let pids: Vec<(u32, Pid)> = if ns == self.root_pid_ns {
            self.procs.pids().map(|pid| (pid.0, pid)).collect()
        } else {
            namespace
                .pid
                .as_ref()?
                .pids
                .iter()
                .map(|(&local, &host)| (local, host))
                .collect()
        };
        let mut rows: Vec<PsRow> = pids
            .into_iter()
            .filter_map(|(local, host)| {
                let process = self.procs.get(&host)?;
                let ppid = self.pid_in(ns, process.parent).unwrap_or(Pid(0));
                Some(PsRow {
                    pid: Pid(local),
                    ppid,
                    host_pid: host,
                    nspid: process.nspid[level..].to_vec(),
                    state: process.state,
                    comm: process.comm.to_string(),
                })
            })
            .collect();
        rows.sort_by_key(|row| row.pid);
        Some(rows)
    }

    /// Every living namespace, ordered by identity, like `lsns`.
    pub fn lsns(&self) -> Vec<LsnsRow> {
        // Per namespace, how many living processes are in it and the lowest pid among them (two
        // maps of the type the reference count uses: one hash map type less in the page).
        let mut counts: rustc_hash::FxHashMap<NsId, u32> = Default::default();
        let mut lowest: rustc_hash::FxHashMap<NsId, u32> = Default::default();
        for process in self.procs.values().filter(|p| p.state.is_alive()) {
            let pid = process.host_pid().0;
            for ns in process.ns.iter() {
                *counts.entry(ns.id).or_default() += 1;
                let first = lowest.entry(ns.id).or_insert(pid);
                *first = (*first).min(pid);
            }
        }
        let mut sorted: Vec<_> = self.namespaces.values().collect();
        sorted.sort_by_key(|ns| ns.id);
        sorted
            .into_iter()
            .map(|ns| {
                let nprocs = counts.get(&ns.id).map_or(0, |&n| n as usize);
                let pid = lowest.get(&ns.id).map(|&pid| Pid(pid));
                LsnsRow {
                    kind: ns.kind,
                    ns: ns.id,
                    nprocs,
                    pid,
                    comm: pid
                        .and_then(|pid| self.procs.get(&pid))
                        .map(|p| p.comm.to_string()),
                    parent: ns.parent,
                    pins: ns.pins.clone(),
                    initial: ns.initial,
                }
            })
            .collect()
    }

    /// The host's own namespace of a kind (the initial one), while it lives: what `lsns` marks
    /// initial, without counting every process's namespaces.
    pub fn initial_ns(&self, kind: NsKind) -> Option<NsId> {
        self.namespaces
            .values()
            .filter(|ns| ns.kind == kind && ns.initial)
            .map(|ns| ns.id)
            .min()
    }

    /// The living namespaces of one kind, ordered by identity: `lsns -t KIND` without the
    /// counting, cheap enough for a view to ask on every step.
    pub fn namespaces_of(&self, kind: NsKind) -> Vec<NsId> {
        let mut ids: Vec<NsId> = self
            .namespaces
            .values()
            .filter(|ns| ns.kind == kind)
            .map(|ns| ns.id)
            .collect();
        ids.sort();
        ids
    }

    /// The kind of a living namespace.
    pub fn ns_kind(&self, ns: NsId) -> Option<NsKind> {
        self.namespaces.get(&ns).map(|ns| ns.kind)
    }

    /// The init (pid 1) of a pid namespace, while it has one (K6).
    pub fn init_of(&self, ns: NsId) -> Option<Pid> {
        self.namespaces.get(&ns)?.pid.as_ref()?.reaper
    }

    /// Whether a pid namespace still accepts new processes (false once its init died, K19).
    pub fn accepting(&self, ns: NsId) -> Option<bool> {
        Some(self.namespaces.get(&ns)?.pid.as_ref()?.accepting)
    }

    /// The parent of a pid or user namespace.
    pub fn ns_parent(&self, ns: NsId) -> Option<NsId> {
        self.namespaces.get(&ns)?.parent
    }

    /// Host pids of every zombie, in pid order (K11).
    pub fn zombies(&self) -> Vec<Pid> {
        let mut zombies: Vec<Pid> = self
            .procs
            .values()
            .filter(|p| matches!(p.state, ProcState::Zombie(_)))
            .map(|p| p.host_pid())
            .collect();
        zombies.sort_unstable();
        zombies
    }

    fn describe(&self, process: &Process, language: Language, out: &mut String) -> fmt::Result {
        write!(out, "{}({})", process.comm, process.host_pid())?;
        if process.nspid.len() > 1 {
            let nspid: Vec<String> = process.nspid.iter().map(u32::to_string).collect();
            write!(out, " NSpid {}", nspid.join(" "))?;
        }
        if let Some(mark) = crate::text::tree_state(process.state, language) {
            write!(out, " <{mark}>")?;
        }
        let flags = [
            (process.is_init(), TreeFlag::Init),
            (process.subreaper, TreeFlag::Subreaper),
            (process.auto_reaps(), TreeFlag::NoZombies),
        ];
        for (_, flag) in flags.into_iter().filter(|(on, _)| *on) {
            write!(out, " {}", crate::text::tree_flag(flag, language))?;
        }
        // Namespaces are shown where they differ from the parent's, so sharing reads at a glance.
        let parent_ns = self
            .procs
            .get(&process.parent)
            .map(|p| (p.ns, p.pid_for_children));
        if !matches!(process.state, ProcState::Zombie(_)) {
            for ns in process.ns.iter() {
                if parent_ns.is_none_or(|(set, _)| set.get(ns.kind) != ns.id) {
                    write!(out, " {ns}")?;
                }
            }
            if process.pid_for_children != process.ns.get(NsKind::Pid) {
                let ns = NsRef {
                    kind: NsKind::Pid,
                    id: process.pid_for_children,
                };
                write!(
                    out,
                    " {}{ns}",
                    crate::text::tree_flag(TreeFlag::ChildrenGo, language)
                )?;
            }
        }
        Ok(())
    }
}

/// The words the tree text puts after a process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TreeFlag {
    /// pid 1 of its namespace.
    Init,
    /// A child subreaper.
    Subreaper,
    /// Its children never become zombies.
    NoZombies,
    /// Where its children are born, when that is not its own pid namespace.
    ChildrenGo,
}

/// The process tree from its roots, one process a line, with the namespaces each process does
/// not share with its parent.
/// Deeper than this, the tree text stops indenting and says the depth instead.
const MAX_DRAWN_DEPTH: usize = 40;

impl fmt::Display for World {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_tree(Language::English, f)
    }
}

impl World {
    /// The process tree as text, in `language` (what `pauselab ps` and `demo` print).
    pub fn tree(&self, language: Language) -> String {
        let mut text = String::new();
        let _ = self.write_tree(language, &mut text);
        text
    }

    fn write_tree(&self, language: Language, f: &mut impl fmt::Write) -> fmt::Result {
        let mut roots: Vec<Pid> = self
            .procs
            .values()
            .filter(|p| !self.procs.contains_key(&p.parent))
            .map(|p| p.host_pid())
            .collect();
        roots.sort_unstable();
        // An explicit stack: a chain of a million processes must not overflow the real one.
        // Each entry is a process and its depth; the drawn indentation stops growing at
        // MAX_DRAWN_DEPTH, so the text stays linear in the number of processes.
        let mut stack: Vec<(Pid, usize, bool)> =
            roots.into_iter().rev().map(|pid| (pid, 0, true)).collect();
        // Whether each drawn level still has siblings to come (a │ in that column).
        let mut open: Vec<bool> = Vec::new();
        let mut line = String::new();
        while let Some((pid, depth, last)) = stack.pop() {
            let Some(process) = self.procs.get(&pid) else {
                continue;
            };
            let drawn = depth.min(MAX_DRAWN_DEPTH);
            open.truncate(drawn);
            line.clear();
            for &more in open.iter().skip(1) {
                line.push_str(if more { "│  " } else { "   " });
            }
            if drawn > 0 {
                line.push_str(if last { "└─ " } else { "├─ " });
            }
            if depth > MAX_DRAWN_DEPTH {
                write!(line, "[depth {depth}] ")?;
            }
            self.describe(process, language, &mut line)?;
            writeln!(f, "{line}")?;
            open.push(!last);
            let children: Vec<Pid> = process.children().collect();
            for (index, child) in children.iter().enumerate().rev() {
                stack.push((*child, depth + 1, index + 1 == children.len()));
            }
        }
        Ok(())
    }
}
