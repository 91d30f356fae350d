//! `ps` as procps-ng 4.0 prints it, over what the model knows: UNIX options (`-e`, `-A`, `-f`,
//! `-o LIST`, combined as `-ef`, `-eo LIST`) and the columns pid, ppid, stat, s, comm, args,
//! cmd, user, uid. The model has no users or clock: every process is root's and started at
//! 00:00 with no CPU time; the terminal's shell and what it started are on its tty (`pts/0`),
//! the rest on none (`?`); a process's arguments are the terminal's for what it started, the
//! node's for what it started from an image (`/pause`, nginx's titles), and the command name
//! for the rest.

use super::seen::{Listed, Seen};
use crate::view::PsRow;

/// A column `-o` can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Pid,
    Ppid,
    Stat,
    State,
    Comm,
    /// The default format's CMD: the command name.
    Ucmd,
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
    /// BSD formats' TIME: minutes and seconds.
    BsdTime,
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
            Column::Cmd | Column::Ucmd => "CMD",
            Column::User => "USER",
            Column::Uid | Column::UidName => "UID",
            Column::C => "C",
            Column::Stime => "STIME",
            Column::Tty => "TTY",
            Column::Tt => "TT",
            Column::Time | Column::BsdTime => "TIME",
        }
    }

    /// procps's width, and whether values are aligned right; a last column is not padded.
    fn width(self, pid_width: usize) -> (usize, bool) {
        match self {
            Column::Pid | Column::Ppid => (pid_width, true),
            Column::Stat => (4, false),
            Column::State => (1, true),
            Column::C => (2, true),
            Column::Comm | Column::Ucmd => (15, false),
            Column::Args | Column::Cmd => (27, false),
            Column::User | Column::UidName => (8, false),
            Column::Uid => (5, true),
            Column::Stime => (5, false),
            Column::Tty | Column::Tt => (8, false),
            Column::Time => (8, true),
            Column::BsdTime => (6, true),
        }
    }

    fn value(self, listed: &Listed) -> String {
        let row = &listed.row;
        match self {
            Column::Pid => row.pid.0.to_string(),
            Column::Ppid => row.ppid.0.to_string(),
            // ps itself runs, in the terminal's foreground process group.
            Column::Stat if listed.own => "R+".into(),
            Column::State if listed.own => "R".into(),
            Column::Stat | Column::State => row.state.letter().to_string(),
            Column::Comm | Column::Ucmd if row.state.letter() == 'Z' => {
                format!("{} <defunct>", row.comm)
            }
            Column::Comm | Column::Ucmd => row.comm.clone(),
            Column::Args | Column::Cmd => args(row, &listed.argv),
            Column::User | Column::UidName => "root".into(),
            Column::Uid => "0".into(),
            Column::C => "0".into(),
            Column::Stime => "00:00".into(),
            Column::Tty | Column::Tt if listed.tty => "pts/0".into(),
            Column::Tty | Column::Tt => "?".into(),
            Column::Time => "00:00:00".into(),
            Column::BsdTime => "0:00".into(),
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

/// What `ps ARGS` prints, run from the terminal, and its exit status. ps lists itself.
pub fn run(seen: &Seen<'_>, args: &[String]) -> (String, u8) {
    let (all, columns) = match options(args) {
        Ok(parsed) => parsed,
        Err(error) if error == NO_FIGURES => return (format!("{error}\n"), 1),
        Err(error) => return (format!("error: {error}\n{USAGE}"), 1),
    };
    let world = seen.node.world();
    // Without -e, ps shows the processes of its own terminal.
    let rows: Vec<Listed> = seen
        .processes()
        .into_iter()
        .filter(|listed| all || listed.tty)
        .collect();
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
    for listed in &rows {
        line(columns.iter().map(|c| c.value(listed)).collect());
    }
    (out, 0)
}

/// Whether every process is asked for, and the columns.
fn options(args: &[String]) -> Result<(bool, Vec<Column>), String> {
    let mut all = false;
    let mut full = false;
    let mut bsd = false;
    let mut columns: Vec<Column> = Vec::new();
    let mut given = args.iter();
    while let Some(arg) = given.next() {
        let Some(flags) = arg.strip_prefix('-') else {
            // BSD options: `x` (every process of the user: here all are root's), `a` (those
            // on a terminal); `u` needs memory and CPU figures the model does not keep.
            for flag in arg.chars() {
                match flag {
                    'x' => all = true,
                    'a' => {}
                    'u' => return Err(NO_FIGURES.into()),
                    _ => return Err("unsupported option (BSD syntax)".into()),
                }
            }
            bsd = true;
            continue;
        };
        for (at, flag) in flags.char_indices() {
            match flag {
                'e' | 'A' => all = true,
                'f' => full = true,
                // procps takes `-x` as BSD's `x`.
                'x' => {
                    all = true;
                    bsd = true;
                }
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
        } else if bsd {
            vec![
                Column::Pid,
                Column::Tty,
                Column::Stat,
                Column::BsdTime,
                Column::Args,
            ]
        } else {
            vec![Column::Pid, Column::Tty, Column::Time, Column::Ucmd]
        };
    }
    Ok((all, columns))
}

/// What the terminal says of `ps u` and `ps aux`, in its own voice: the real ps would print
/// figures the model does not have.
pub const NO_FIGURES: &str = "pauselab: the model keeps no memory or CPU figures for ps u's %CPU, %MEM, VSZ and RSS; ps -ef shows the rest";
