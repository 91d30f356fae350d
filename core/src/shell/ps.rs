//! `ps` as procps-ng 4.0 prints it, over what the model knows: UNIX options (`-e`, `-A`, `-f`,
//! `-o LIST`, combined as `-ef`, `-eo LIST`) and the columns pid, ppid, stat, s, comm, args,
//! cmd, user, uid, nspid. The model has no users, terminals, clock or argv: every process is
//! root's, has no terminal (`?`), started at 00:00 with no CPU time, and its arguments are its
//! command name.

use crate::ns::NsId;
use crate::process::{Pid, ProcState};
use crate::view::PsRow;
use crate::world::World;

/// A column `-o` can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Pid,
    Ppid,
    Stat,
    State,
    Comm,
    Args,
    Cmd,
    User,
    Uid,
    /// `-f`'s UID: the user's name.
    UidName,
    C,
    Stime,
    Tty,
    /// `-o tty`: the same, headed TT.
    Tt,
    Time,
}

impl Column {
    fn named(name: &str) -> Option<Column> {
        Some(match name {
            "pid" | "tgid" => Column::Pid,
            "ppid" => Column::Ppid,
            "stat" => Column::Stat,
            "s" | "state" => Column::State,
            "comm" | "ucomm" => Column::Comm,
            "args" | "command" => Column::Args,
            "cmd" => Column::Cmd,
            "user" | "euser" | "uname" => Column::User,
            "uid" | "euid" => Column::Uid,
            "c" => Column::C,
            "stime" | "start_time" => Column::Stime,
            "tname" => Column::Tty,
            "tty" | "tt" => Column::Tt,
            "time" | "cputime" => Column::Time,
            _ => return None,
        })
    }

    fn header(self) -> &'static str {
        match self {
            Column::Pid => "PID",
            Column::Ppid => "PPID",
            Column::Stat => "STAT",
            Column::State => "S",
            Column::Comm | Column::Args => "COMMAND",
            Column::Cmd => "CMD",
            Column::User => "USER",
            Column::Uid | Column::UidName => "UID",
            Column::C => "C",
            Column::Stime => "STIME",
            Column::Tty => "TTY",
            Column::Tt => "TT",
            Column::Time => "TIME",
        }
    }

    /// procps's width, and whether values are aligned right; a last column is not padded.
    fn width(self, pid_width: usize) -> (usize, bool) {
        match self {
            Column::Pid | Column::Ppid => (pid_width, true),
            Column::Stat => (4, false),
            Column::State => (1, true),
            Column::C => (2, true),
            Column::Comm => (15, false),
            Column::Args | Column::Cmd => (27, false),
            Column::User | Column::UidName => (8, false),
            Column::Uid => (5, true),
            Column::Stime => (5, false),
            Column::Tty | Column::Tt => (8, false),
            Column::Time => (8, true),
        }
    }

    fn value(self, row: &PsRow, argv: &str) -> String {
        match self {
            Column::Pid => row.pid.0.to_string(),
            Column::Ppid => row.ppid.0.to_string(),
            Column::Stat | Column::State => row.state.letter().to_string(),
            Column::Comm if row.state.letter() == 'Z' => format!("{} <defunct>", row.comm),
            Column::Comm => row.comm.clone(),
            Column::Args | Column::Cmd => args(row, argv),
            Column::User | Column::UidName => "root".into(),
            Column::Uid => "0".into(),
            Column::C => "0".into(),
            Column::Stime => "00:00".into(),
            Column::Tty | Column::Tt => "?".into(),
            Column::Time => "00:00:00".into(),
        }
    }
}

/// The arguments procps shows: a zombie's are gone, so it shows `[comm] <defunct>`.
fn args(row: &PsRow, argv: &str) -> String {
    if row.state.letter() == 'Z' {
        format!("[{}] <defunct>", row.comm)
    } else {
        argv.to_owned()
    }
}

/// `-f`'s columns.
const FULL: [Column; 8] = [
    Column::UidName,
    Column::Pid,
    Column::Ppid,
    Column::C,
    Column::Stime,
    Column::Tty,
    Column::Time,
    Column::Cmd,
];

/// ps's usage text, which follows each of its errors.
const USAGE: &str = "\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n";

/// What `ps ARGS` prints run in pid namespace `ns` by the shell `shell` (its pid there), and
/// its exit status. ps lists itself, the shell's child with the next pid.
pub fn run(world: &World, ns: NsId, shell: Pid, args: &[String]) -> (String, u8) {
    let (all, columns) = match options(args) {
        Ok(parsed) => parsed,
        Err(error) => return (format!("error: {error}\n{USAGE}"), 1),
    };
    let Some(rows) = world.ps(ns) else {
        return (String::new(), 1);
    };
    // Without -e, ps shows the processes of its terminal; the model has no terminals, so the
    // ones of the namespace it runs in that are not zombies, as a shell's own would be.
    // Each with its arguments: the model keeps none, so a process's are its command name.
    let mut rows: Vec<(PsRow, String)> = rows
        .into_iter()
        .filter(|row| all || row.state.is_alive())
        .map(|row| {
            let argv = row.comm.clone();
            (row, argv)
        })
        .collect();
    if let Some(pid) = world.next_pid_in(ns) {
        let argv = std::iter::once("ps").chain(args.iter().map(String::as_str));
        let row = PsRow {
            pid,
            ppid: shell,
            host_pid: pid,
            nspid: vec![pid.0],
            state: ProcState::Running,
            comm: "ps".into(),
        };
        rows.push((row, argv.collect::<Vec<_>>().join(" ")));
        rows.sort_by_key(|(row, _)| row.pid);
    }
    // procps sizes pid columns by the digits of pid_max, at least 5.
    let pid_width = world.pid_max().to_string().len().max(5);
    let mut out = String::new();
    let mut line = |cells: Vec<String>| {
        let last = columns.len() - 1;
        let mut text = String::new();
        for (index, (column, cell)) in columns.iter().zip(cells).enumerate() {
            let (width, right) = column.width(pid_width);
            if index > 0 {
                text.push(' ');
            }
            if right {
                text.push_str(&format!("{cell:>width$}"));
            } else if index == last {
                text.push_str(&cell);
            } else {
                text.push_str(&format!("{cell:<width$}"));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(columns.iter().map(|c| c.header().to_owned()).collect());
    for (row, argv) in &rows {
        line(columns.iter().map(|c| c.value(row, argv)).collect());
    }
    (out, 0)
}

/// Whether every process is asked for, and the columns.
fn options(args: &[String]) -> Result<(bool, Vec<Column>), String> {
    let mut all = false;
    let mut full = false;
    let mut columns: Vec<Column> = Vec::new();
    let mut given = args.iter();
    while let Some(arg) = given.next() {
        let Some(flags) = arg.strip_prefix('-') else {
            // BSD options (`aux`) and bare pids.
            return Err("unsupported option (BSD syntax)".into());
        };
        for (at, flag) in flags.char_indices() {
            match flag {
                'e' | 'A' => all = true,
                'f' => full = true,
                'o' => {
                    let rest = &flags[at + 1..];
                    let list = if rest.is_empty() {
                        given.next().ok_or("improper list")?.as_str()
                    } else {
                        rest
                    };
                    for name in list.split([',', ' ']).filter(|n| !n.is_empty()) {
                        let column = Column::named(name).ok_or_else(|| {
                            format!("unknown user-defined format specifier \"{name}\"")
                        })?;
                        columns.push(column);
                    }
                    break;
                }
                _ => return Err("unsupported SysV option".into()),
            }
        }
    }
    if columns.is_empty() {
        columns = if full {
            FULL.to_vec()
        } else {
            vec![Column::Pid, Column::Tty, Column::Time, Column::Cmd]
        };
    }
    Ok((all, columns))
}
