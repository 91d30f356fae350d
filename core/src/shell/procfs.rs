//! What the kernel's /proc shows, as the tools that read it print it: `cat /proc/PID/status`
//! (the fields the model has, in the kernel's order), `cat /proc/PID/comm`, `readlink` and
//! `ls -l` of `/proc/PID/ns`, and util-linux's `lsns`. Pids are read in the pid namespace of the
//! procfs, which in a container is the container's.

use super::seen::Seen;
use crate::ns::{NsId, NsKind};
use crate::pod::Measured;
use crate::process::{Disposition, Pid, ProcState, Process};
use crate::signal::Signal;
use crate::view::PsRow;
use crate::world::World;

/// A process as a procfs mounted for pid namespace `ns` names it: a number, or `self` (the
/// reading program, a child of `shell`, in the shell's namespaces).
pub enum Named<'a> {
    /// A process that exists, with its row as the procfs sees it.
    Process(&'a Process, PsRow),
    /// `self`: the reading program itself.
    Reader,
}

/// The process `/proc/<name>` is in the procfs of pid namespace `ns`.
pub fn find<'a>(world: &'a World, ns: NsId, name: &str) -> Option<Named<'a>> {
    if name == "self" {
        return Some(Named::Reader);
    }
    let pid: u32 = name
        .parse()
        .ok()
        .filter(|_| !name.starts_with(['+', '0']))?;
    let row = world.ps(ns)?.into_iter().find(|row| row.pid == Pid(pid))?;
    Some(Named::Process(world.process(row.host_pid)?, row))
}

/// The namespace of `kind` (or its `_for_children` one) that `/proc/<name>/ns/<link>` points
/// at; a zombie has none.
pub fn ns_link(shell: &Process, named: &Named<'_>, link: &str) -> Option<NsId> {
    let process = match named {
        Named::Process(process, _) => *process,
        Named::Reader => shell,
    };
    if !process.state().is_alive() {
        return None;
    }
    match link {
        "pid_for_children" => Some(process.pid_for_children()),
        "time_for_children" => Some(process.time_for_children()),
        _ => {
            let kind = NsKind::ALL.into_iter().find(|k| k.name() == link)?;
            Some(process.namespaces().get(kind))
        }
    }
}

/// The links of `/proc/PID/ns`, as `ls` orders them.
pub const NS_LINKS: [&str; 10] = [
    "cgroup",
    "ipc",
    "mnt",
    "net",
    "pid",
    "pid_for_children",
    "time",
    "time_for_children",
    "user",
    "uts",
];

/// The kind a link's target names (`pid_for_children` points at a pid namespace).
pub fn link_kind(link: &str) -> &str {
    link.trim_end_matches("_for_children")
}

/// `/proc/PID/status`'s lines that the model has: Name, State, Tgid, Pid, PPid, NSpid and the
/// signal masks, in the kernel's order (fs/proc/array.c).
///
/// The terminal's own shell is waiting for the `cat` that reads it, with `waiting` blocked.
pub fn status(world: &World, ns: NsId, shell: &Process, named: &Named<'_>, waiting: u64) -> String {
    let (name, state, pid, ppid, nspid, masks) = match named {
        Named::Process(process, row) => (
            process.comm().to_owned(),
            process.state(),
            row.pid.0,
            row.ppid.0,
            row.nspid.clone(),
            {
                let (blocked, ignored, caught) = masks(process);
                let blocked = if process.host_pid() == shell.host_pid() {
                    waiting
                } else {
                    blocked
                };
                (blocked, ignored, caught)
            },
        ),
        Named::Reader => {
            // The reader is the next process of each pid namespace from `ns` down to the host.
            let mut nspid = Vec::new();
            let mut level = Some(ns);
            while let Some(at) = level {
                nspid.push(world.next_pid_in(at).map_or(0, |pid| pid.0));
                level = world.ns_parent(at);
            }
            nspid.reverse();
            let shell_pid = world.pid_in(ns, shell.host_pid()).map_or(0, |pid| pid.0);
            let pid = *nspid.last().unwrap_or(&0);
            (
                "cat".to_owned(),
                ProcState::Running,
                pid,
                shell_pid,
                nspid,
                (0, 0, 0),
            )
        }
    };
    let state = match state {
        ProcState::Running => "S (sleeping)",
        ProcState::Stopped => "T (stopped)",
        ProcState::Exiting(_) => "D (disk sleep)",
        ProcState::Zombie(_) => "Z (zombie)",
    };
    let nspid: Vec<String> = nspid.iter().map(u32::to_string).collect();
    let (blocked, ignored, caught) = masks;
    format!(
        "Name:\t{name}\nState:\t{state}\nTgid:\t{pid}\nPid:\t{pid}\nPPid:\t{ppid}\nNSpid:\t{}\nSigBlk:\t{blocked:016x}\nSigIgn:\t{ignored:016x}\nSigCgt:\t{caught:016x}\n",
        nspid.join("\t")
    )
}

/// SigBlk, SigIgn and SigCgt: the dispositions the model keeps, and the mask a measured
/// program keeps while it waits (K30).
fn masks(process: &Process) -> (u64, u64, u64) {
    let mut ignored = 0u64;
    let mut caught = 0u64;
    for signal in Signal::all() {
        let bit = 1u64 << (signal.number() - 1);
        match process.disposition(signal) {
            Disposition::Ignore => ignored |= bit,
            Disposition::Handler => caught |= bit,
            Disposition::Default => {}
        }
    }
    let blocked = if process.state().is_alive() {
        Measured::find(process.comm()).map_or(0, |measured| u64::from(measured.blocked))
    } else {
        0
    };
    (blocked, ignored, caught)
}

/// util-linux's `lsns [-t KIND]` run from the terminal: each namespace of a process the
/// procfs shows (lsns itself among them), with how many of them are in it and the lowest pid
/// among them. Zombies have no links, so they are not counted.
pub fn lsns(seen: &Seen<'_>, kind: Option<NsKind>) -> String {
    let world = seen.node.world();
    let shell = world.process(seen.shell);
    // (namespace, kind) -> (count, lowest pid, its arguments)
    let mut found: Vec<(NsId, NsKind, usize, u32, String)> = Vec::new();
    for listed in seen.processes().iter().filter(|l| l.row.state.is_alive()) {
        // lsns runs in the shell's namespaces.
        let process = if listed.own {
            shell
        } else {
            world.process(listed.row.host_pid)
        };
        let Some(process) = process else {
            continue;
        };
        let pid = listed.row.pid.0;
        for link in process.namespaces().iter() {
            if kind.is_some_and(|kind| kind != link.kind) {
                continue;
            }
            match found.iter_mut().find(|f| f.0 == link.id) {
                Some(entry) => {
                    entry.2 += 1;
                    if pid < entry.3 {
                        entry.3 = pid;
                        entry.4 = listed.argv.clone();
                    }
                }
                None => found.push((link.id, link.kind, 1, pid, listed.argv.clone())),
            }
        }
    }
    found.sort_by_key(|f| f.0);
    // `-t net` adds the netns id (none is assigned: `ip netns set` is what assigns one) and
    // where nsfs has it bind-mounted; the model keeps no mount paths, so that is empty.
    let net = kind == Some(NsKind::Net);
    let mut header = vec!["NS", "TYPE", "NPROCS", "PID", "USER"];
    if net {
        header.extend(["NETNSID", "NSFS"]);
    }
    header.push("COMMAND");
    let mut table: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    for (id, kind, count, pid, comm) in found {
        let mut row = vec![
            id.0.to_string(),
            kind.name().into(),
            count.to_string(),
            pid.to_string(),
            "root".into(),
        ];
        if net {
            row.extend(["unassigned".into(), String::new()]);
        }
        row.push(comm);
        table.push(row);
    }
    // libsmartcols: each column as wide as its widest cell; NS, NPROCS, PID and NETNSID to
    // the right.
    let columns = header.len();
    let right = |c: usize| matches!(header[c], "NS" | "NPROCS" | "PID" | "NETNSID");
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            table
                .iter()
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in &table {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let width = widths[c];
            if c > 0 {
                line.push(' ');
            }
            if right(c) {
                line.push_str(&format!("{cell:>width$}"));
            } else if c == columns - 1 {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}"));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
