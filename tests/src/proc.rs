//! Reading a live process from /proc, for the tests' checks.

use std::fs;

/// Every process's pid: the numeric entries of /proc.
pub fn pids() -> impl Iterator<Item = u32> {
    fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse().ok())
}

/// The `comm` of a process.
pub fn comm(pid: u32) -> Option<String> {
    fs::read_to_string(format!("/proc/{pid}/comm"))
        .ok()
        .map(|s| s.trim_end().to_owned())
}

/// Its children's pids (from its main thread).
pub fn children(pid: u32) -> Vec<u32> {
    fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .map(|text| {
            text.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// A line of /proc/PID/status, without its key.
pub fn status_field(pid: u32, key: &str) -> Option<String> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| {
        line.strip_prefix(key)?
            .strip_prefix(':')
            .map(|v| v.trim().to_owned())
    })
}

/// Its state letter (R, S, Z, …).
pub fn state(pid: u32) -> Option<char> {
    status_field(pid, "State")?.chars().next()
}

/// Fields of /proc/PID/stat from the third (the state) on, so field N is at index N - 3.
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces; the fields after its closing parenthesis do not.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    Some(rest.split_whitespace().map(str::to_owned).collect())
}

/// CPU time spent, user + system, in clock ticks (/proc/PID/stat fields 14 and 15).
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let fields = stat_fields(pid)?;
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// Whether it has begun to exit (PF_EXITING in /proc/PID/stat field 9) but is not yet a zombie:
/// a dying pid namespace init sleeps so until its namespace is empty (K19).
pub fn exiting(pid: u32) -> bool {
    const PF_EXITING: u64 = 0x4;
    stat_fields(pid)
        .and_then(|fields| fields.get(6)?.parse::<u64>().ok())
        .is_some_and(|flags| flags & PF_EXITING != 0)
}

/// Voluntary context switches: how often it went to sleep, i.e. was woken.
pub fn voluntary_switches(pid: u32) -> Option<u64> {
    status_field(pid, "voluntary_ctxt_switches")?.parse().ok()
}

/// `readlink /proc/PID/ns/KIND`, e.g. `net:[4026531840]`.
pub fn ns(pid: u32, kind: &str) -> Option<String> {
    fs::read_link(format!("/proc/{pid}/ns/{kind}"))
        .ok()
        .map(|p| p.to_string_lossy().into_owned())
}
