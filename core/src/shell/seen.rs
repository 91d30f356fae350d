//! What the tools know besides the world: the terminal's shell, which processes are on its
//! terminal (the shell and what it started: `pts/0`), their arguments, and the tool itself,
//! which a real `ps` or `lsns` counts as one of the processes it lists.

use super::Started;
use crate::ns::NsId;
use crate::pod::Node;
use crate::process::{Pid, ProcState};
use crate::view::PsRow;

/// The world as a tool run from the terminal sees it.
pub struct Seen<'a> {
    /// The node: its world, and what it started its processes with.
    pub node: &'a Node,
    /// The pid namespace the tool runs in: the shell's.
    pub ns: NsId,
    /// The shell's host pid.
    pub shell: Pid,
    /// Arguments of the processes typed lines started.
    pub started: &'a Started,
    /// The tool's own arguments (`ps -ef`).
    pub tool: String,
}

/// A process as a tool lists it.
pub struct Listed {
    /// Its row, pids as the namespace sees them.
    pub row: PsRow,
    /// Its arguments: what the terminal started it with, else what the node started it with
    /// (an image's command, pause's `/pause`), else its command name.
    pub argv: String,
    /// On the terminal's tty.
    pub tty: bool,
    /// The tool itself.
    pub own: bool,
}

impl Seen<'_> {
    /// Every process of the namespace, and the tool itself with the next pid there (what the
    /// shell's fork of it will get), in pid order.
    pub fn processes(&self) -> Vec<Listed> {
        let world = self.node.world();
        let mut listed: Vec<Listed> = world
            .ps(self.ns)
            .unwrap_or_default()
            .into_iter()
            .map(|row| Listed {
                argv: self.argv_of(&row),
                tty: self.on_tty(row.host_pid),
                own: false,
                row,
            })
            .collect();
        let pid = world.next_pid_in(self.ns);
        let host = world.next_pid_in(world.root_pid_ns());
        let shell = world.pid_in(self.ns, self.shell);
        if let (Some(pid), Some(host), Some(shell)) = (pid, host, shell) {
            let comm = self.tool.split(' ').next().unwrap_or_default().to_owned();
            listed.push(Listed {
                row: PsRow {
                    pid,
                    ppid: shell,
                    host_pid: host,
                    nspid: vec![pid.0],
                    state: ProcState::Running,
                    comm,
                },
                argv: self.tool.clone(),
                tty: true,
                own: true,
            });
        }
        listed.sort_by_key(|l| l.row.pid);
        listed
    }

    fn argv_of(&self, row: &PsRow) -> String {
        self.started
            .get(row.host_pid)
            .map(|argv| super::cmdline::titled(Some(&row.comm), argv))
            .or_else(|| super::cmdline::cmdline(self.node, row.host_pid))
            .unwrap_or_else(|| row.comm.clone())
    }

    /// Whether a process is the shell or descends from it.
    fn on_tty(&self, mut pid: Pid) -> bool {
        let world = self.node.world();
        // Bounded by the table's size: a parent chain cannot be longer.
        for _ in 0..=world.len() {
            if pid == self.shell {
                return true;
            }
            match world.process(pid) {
                Some(process) if process.parent() != pid && process.parent().0 != 0 => {
                    pid = process.parent();
                }
                _ => return false,
            }
        }
        false
    }
}
