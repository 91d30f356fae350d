//! What a real node looks like from the host's /proc: `ps` inside a container's pid namespace
//! (pids, parents and states as seen there), and which namespaces processes share.

use std::fs;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use nix::sys::stat::fstat;

/// One row of `ps` inside a pid namespace.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PsRow {
    /// The pid there.
    pub pid: u32,
    /// The parent's pid there, 0 when the parent is outside.
    pub ppid: u32,
    /// `Z` for a zombie, `T` stopped, `-` running or asleep.
    pub state: char,
    /// The command name.
    pub comm: String,
}

/// The identity of a process's namespace of `kind` (`net`, `pid`, …): the inode number.
pub fn ns_inode(pid: u32, kind: &str) -> Option<u64> {
    let link = fs::read_link(format!("/proc/{pid}/ns/{kind}")).ok()?;
    let text = link.to_string_lossy();
    text.split_once('[')?.1.trim_end_matches(']').parse().ok()
}

fn nspid(pid: u32) -> Option<Vec<u32>> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("NSpid:"))?;
    line["NSpid:".len()..]
        .split_whitespace()
        .map(|n| n.parse().ok())
        .collect()
}

fn stat_fields(pid: u32) -> Option<(char, u32, String)> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat[open + 1..close].to_owned();
    let mut rest = stat[close + 2..].split_whitespace();
    let state = rest.next()?.chars().next()?;
    let ppid = rest.next()?.parse().ok()?;
    Some((state, ppid, comm))
}

/// `ioctl(NS_GET_PARENT)` on a namespace descriptor: its parent's, if this process may see it.
fn parent_of(ns: &OwnedFd) -> Option<OwnedFd> {
    const NS_GET_PARENT: u64 = 0xb702; // _IO(0xb7, 0x2)
                                       // SAFETY: NS_GET_PARENT takes no argument and returns a new descriptor or -1.
    let fd = unsafe { nix::libc::ioctl(ns.as_raw_fd(), NS_GET_PARENT as _) };
    // SAFETY: a non-negative result is a new descriptor that nothing else owns.
    (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Whether process `pid`'s pid namespace is `top` or nested below it.
fn within(pid: u32, top: u64) -> bool {
    let Ok(file) = fs::File::open(format!("/proc/{pid}/ns/pid")) else {
        return false;
    };
    let mut current = OwnedFd::from(file);
    // The kernel nests pid namespaces 32 deep at most.
    for _ in 0..=32 {
        match fstat(&current) {
            Ok(stat) if stat.st_ino == top => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
        match parent_of(&current) {
            Some(parent) => current = parent,
            None => return false,
        }
    }
    false
}

/// `ps` inside the pid namespace `ns` (an inode): every process in it or nested below it, with
/// pids as seen there (empty when no process is left in it).
pub fn ps_in(ns: u64) -> Vec<PsRow> {
    let mut members: Vec<(u32, Vec<u32>)> = Vec::new();
    let mut level = None;
    for pid in crate::proc::pids() {
        let Some(own) = ns_inode(pid, "pid") else {
            continue;
        };
        let Some(ids) = nspid(pid) else { continue };
        if own == ns {
            level = Some(ids.len() - 1);
            members.push((pid, ids));
        } else if ids.len() > 1 && within(pid, ns) {
            members.push((pid, ids));
        }
    }
    let Some(level) = level else {
        return Vec::new();
    };
    let local = |host: u32| -> Option<u32> {
        members
            .iter()
            .find(|(p, _)| *p == host)
            .and_then(|(_, ids)| ids.get(level).copied())
    };
    let mut rows: Vec<PsRow> = members
        .iter()
        .filter_map(|(host, ids)| {
            let (state, ppid, comm) = stat_fields(*host)?;
            Some(PsRow {
                pid: *ids.get(level)?,
                ppid: local(ppid).unwrap_or(0),
                state: match state {
                    'Z' => 'Z',
                    'T' | 't' => 'T',
                    _ => '-',
                },
                comm,
            })
        })
        .collect();
    rows.sort();
    rows
}

/// The host pid of the process that holds the FIFO at `path` open (a puppet serving it).
pub fn fifo_holder(path: &std::path::Path) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    let target = fs::metadata(path).ok()?;
    for pid in crate::proc::pids() {
        for fd in fs::read_dir(format!("/proc/{pid}/fd"))
            .into_iter()
            .flatten()
            .flatten()
        {
            if let Ok(meta) = fs::metadata(fd.path()) {
                if meta.ino() == target.ino() && meta.dev() == target.dev() {
                    return Some(pid);
                }
            }
        }
    }
    None
}
