//! The recorder's state: which real processes the model knows, which stops wait to be put in
//! the kernel's order, and how each stop becomes a model event.

use std::collections::{BTreeMap, BTreeSet};

use nix::sys::ptrace;
use nix::sys::signal::Signal as NixSignal;
use nix::sys::wait::WaitStatus;
use nix::unistd::Pid as NixPid;
use pauselab_core::{Disposition, Event, NsId, NsKind, NsKinds, Pid, Recorder, Signal, WaitTarget};

use super::syscall::{self, Stop};
use super::{Recording, TraceError};

/// `CLONE_THREAD`: a thread, not a process.
const CLONE_THREAD: u64 = 0x0001_0000;
/// `PR_SET_CHILD_SUBREAPER`.
const PR_SET_CHILD_SUBREAPER: u64 = 36;
/// `SA_NOCLDWAIT`.
const SA_NOCLDWAIT: u64 = 2;
/// The clone flags the model knows, and their namespace kinds.
const NEW_NAMESPACES: [(u64, NsKind); 5] = [
    (0x2000_0000, NsKind::Pid),
    (0x4000_0000, NsKind::Net),
    (0x0800_0000, NsKind::Ipc),
    (0x0400_0000, NsKind::Uts),
    (0x0002_0000, NsKind::Mnt),
];

/// A fork the kernel made whose record waits for the forks that got lower pids.
#[derive(Debug)]
struct PendingFork {
    parent: NixPid,
    child: NixPid,
    new: NsKinds,
}

/// The recorder and what it knows of the real processes.
pub struct Tracer {
    recorder: Recorder,
    /// The command's pid namespace in the model.
    ns: NsId,
    /// The command (pid 1 of the namespace).
    command: Option<NixPid>,
    /// Real processes whose fork the model has.
    known: BTreeSet<i32>,
    /// Stopped tracees not resumed yet, with the signal to resume them with.
    held: BTreeMap<i32, Option<NixSignal>>,
    /// Forks by the child's pid in the command's namespace.
    pending: BTreeMap<u32, PendingFork>,
    /// The syscall each tracee is in, from its entry stop.
    in_syscall: BTreeMap<i32, (i64, [u64; 3])>,
    /// Clone flags of a fork in progress, by parent.
    clone_flags: BTreeMap<i32, u64>,
    /// Tracees whose kill the recorder already wrote down (at its target's death).
    kill_recorded: BTreeSet<i32>,
    warnings: Vec<String>,
    exit_code: i32,
}

/// The pid a real process has in the command's namespace: the second `NSpid` entry.
fn inner_pid(pid: NixPid) -> Option<u32> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("NSpid:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The thread group a real task belongs to (its process's pid).
fn thread_group(pid: NixPid) -> Option<i32> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Tgid:"))?
        .trim()
        .parse()
        .ok()
}

/// A wait status as a shell reports it.
fn shell_code(status: i32) -> i32 {
    if status & 0x7f == 0 {
        (status >> 8) & 0xff
    } else {
        128 + (status & 0x7f)
    }
}

impl Tracer {
    /// A recorder whose model has the command's namespace as host pid 3's.
    pub fn new(recorder: Recorder) -> Option<Tracer> {
        let ns = recorder
            .world()
            .process(Pid(3))
            .map(|p| p.namespaces().get(NsKind::Pid))?;
        Some(Tracer {
            recorder,
            ns,
            command: None,
            known: BTreeSet::new(),
            held: BTreeMap::new(),
            pending: BTreeMap::new(),
            in_syscall: BTreeMap::new(),
            clone_flags: BTreeMap::new(),
            kill_recorded: BTreeSet::new(),
            warnings: Vec::new(),
            exit_code: 0,
        })
    }

    /// The command runs as `pid`.
    pub fn started(&mut self, pid: NixPid) {
        self.command = Some(pid);
        self.known.insert(pid.as_raw());
    }

    /// Whether forks wait to be put in order.
    pub fn has_pending_forks(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The error for forks that cannot be put in order.
    pub fn unordered(&self) -> TraceError {
        TraceError::Unordered {
            expected: self.next_pid().unwrap_or(0),
            got: self.pending.keys().next().copied().unwrap_or(0),
        }
    }

    /// The trace, warnings and status.
    pub fn finish(self) -> Recording {
        Recording {
            trace: self.recorder.into_trace(),
            warnings: self.warnings,
            exit_code: self.exit_code,
        }
    }

    fn next_pid(&self) -> Option<u32> {
        self.recorder.world().next_pid_in(self.ns).map(|p| p.0)
    }

    /// The model's host pid for a real process, through its pid in the command's namespace.
    fn model_pid(&self, real: NixPid) -> Option<Pid> {
        self.recorder
            .world()
            .resolve(self.ns, Pid(inner_pid(real)?))
    }

    fn record(&mut self, event: Event) {
        let shown = event.to_string();
        if let Err(error) = self.recorder.record(event) {
            self.warnings
                .push(format!("the model refused {shown}: {error}"));
        }
    }

    /// Lets a stopped tracee go on, unless the model does not know it yet.
    fn resume(&mut self, pid: NixPid, signal: Option<NixSignal>) {
        if self.known.contains(&pid.as_raw()) {
            // It may have been killed meanwhile; then there is nothing to resume.
            let _ = ptrace::syscall(pid, signal);
        } else {
            self.held.insert(pid.as_raw(), signal);
        }
    }

    /// Handles one wait status; returns whether a waiting fork was recorded.
    pub fn handle(&mut self, status: WaitStatus) -> Result<bool, TraceError> {
        match status {
            WaitStatus::PtraceEvent(pid, _, event) => match event {
                nix::libc::PTRACE_EVENT_FORK
                | nix::libc::PTRACE_EVENT_VFORK
                | nix::libc::PTRACE_EVENT_CLONE => {
                    let child = ptrace::getevent(pid).map(|c| NixPid::from_raw(c as i32));
                    match child {
                        Ok(child) => return self.fork(pid, child),
                        Err(_) => self.resume(pid, None),
                    }
                }
                nix::libc::PTRACE_EVENT_EXEC => {
                    let comm =
                        std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
                    if let Some(model) = self.model_pid(pid) {
                        self.record(Event::Exec {
                            pid: model,
                            comm: comm.trim().to_owned(),
                        });
                    }
                    self.resume(pid, None);
                }
                nix::libc::PTRACE_EVENT_EXIT => {
                    if let Ok(status) = ptrace::getevent(pid) {
                        if Some(pid) == self.command {
                            self.exit_code = shell_code(status as i32);
                        }
                        self.exit(pid, status as i32);
                    }
                    self.resume(pid, None);
                }
                _ => self.resume(pid, None),
            },
            WaitStatus::PtraceSyscall(pid) => {
                match syscall::read(pid) {
                    Some(Stop::Entry { number, args }) => {
                        if number == syscall::SYS_clone {
                            self.clone_flags.insert(pid.as_raw(), args[0]);
                        }
                        self.in_syscall.insert(pid.as_raw(), (number, args));
                    }
                    Some(Stop::Exit { result }) => {
                        if let Some((number, args)) = self.in_syscall.remove(&pid.as_raw()) {
                            self.syscall_exit(pid, number, args, result);
                        }
                    }
                    None => {}
                }
                self.resume(pid, None);
            }
            // A new tracee's first stop: it goes on once its fork is recorded.
            WaitStatus::Stopped(pid, NixSignal::SIGSTOP) => self.resume(pid, None),
            // A signal on its way: pass it on.
            WaitStatus::Stopped(pid, signal) => self.resume(pid, Some(signal)),
            WaitStatus::Exited(pid, _) | WaitStatus::Signaled(pid, _, _) => {
                self.held.remove(&pid.as_raw());
                self.in_syscall.remove(&pid.as_raw());
                // The recorder is the command's parent: its reaping is part of the story too.
                if Some(pid) == self.command {
                    self.record(Event::Wait {
                        pid: Pid(2),
                        target: WaitTarget::Pid(Pid(3)),
                        nohang: true,
                    });
                }
            }
            _ => {}
        }
        Ok(false)
    }

    /// A fork the kernel made: recorded in pid order, the parent and child held until then.
    fn fork(&mut self, parent: NixPid, child: NixPid) -> Result<bool, TraceError> {
        let flags = self.clone_flags.remove(&parent.as_raw()).unwrap_or(0);
        // clone3 (how glibc starts threads) hides its flags in memory: ask /proc instead.
        if flags & CLONE_THREAD != 0
            || thread_group(child).is_some_and(|tgid| tgid != child.as_raw())
        {
            return Err(TraceError::Thread(parent.as_raw()));
        }
        let new: NsKinds = NEW_NAMESPACES
            .into_iter()
            .filter(|(bit, _)| flags & bit != 0)
            .map(|(_, kind)| kind)
            .collect();
        let Some(inner) = inner_pid(child) else {
            // Gone already (killed at birth): the model has no fork to record.
            self.resume(parent, None);
            return Ok(false);
        };
        self.pending
            .insert(inner, PendingFork { parent, child, new });
        self.held.insert(parent.as_raw(), None);
        let mut recorded = false;
        while let Some(next) = self.next_pid() {
            let Some(fork) = self.pending.remove(&next) else {
                break;
            };
            self.record_fork(fork);
            recorded = true;
        }
        if let Some(&lowest) = self.pending.keys().next() {
            if self.next_pid().is_some_and(|next| lowest < next) {
                return Err(self.unordered());
            }
        }
        Ok(recorded)
    }

    fn record_fork(&mut self, fork: PendingFork) {
        if let Some(pid) = self.model_pid(fork.parent) {
            self.record(Event::Fork { pid, new: fork.new });
        }
        self.known.insert(fork.child.as_raw());
        for pid in [fork.parent, fork.child] {
            if let Some(signal) = self.held.remove(&pid.as_raw()) {
                self.resume(pid, signal);
            }
        }
    }

    fn syscall_exit(&mut self, real: NixPid, number: i64, args: [u64; 3], result: i64) {
        let Some(pid) = self.model_pid(real) else {
            return;
        };
        if number == syscall::SYS_wait4 && result > 0 {
            self.record(Event::Wait {
                pid,
                target: WaitTarget::Pid(Pid(result as u32)),
                nohang: args[2] & 1 != 0,
            });
        } else if number == syscall::SYS_kill && result == 0 {
            if self.kill_recorded.remove(&real.as_raw()) {
                return;
            }
            let target = args[0] as i32;
            let Some(signal) = Signal::new(args[1] as u8) else {
                return;
            };
            if target > 0 {
                self.record(Event::Kill {
                    pid,
                    target: Pid(target as u32),
                    signal,
                });
            } else {
                self.warnings.push(format!(
                    "{real} sent {signal} to a process group (kill({target}, …)): process groups are not modelled"
                ));
            }
        } else if number == syscall::SYS_rt_sigaction && result == 0 && args[1] != 0 {
            let Some(signal) = Signal::new(args[0] as u8) else {
                return;
            };
            // The kernel's struct sigaction: the handler, then the flags.
            let read = |offset: u64| ptrace::read(real, (args[1] + offset) as ptrace::AddressType);
            let (Ok(handler), Ok(flags)) = (read(0), read(8)) else {
                return;
            };
            let action = match handler {
                0 => Disposition::Default,
                1 => Disposition::Ignore,
                _ => Disposition::Handler,
            };
            self.record(Event::Sigaction {
                pid,
                signal,
                action,
                nocldwait: (flags as u64) & SA_NOCLDWAIT != 0,
            });
        } else if number == syscall::SYS_prctl && result == 0 && args[0] == PR_SET_CHILD_SUBREAPER {
            self.record(Event::SetSubreaper {
                pid,
                on: args[1] != 0,
            });
        } else if number == syscall::SYS_unshare && result == 0 && args[0] & 0x2000_0000 != 0 {
            self.record(Event::Unshare {
                pid,
                new: NsKinds::of(&[NsKind::Pid]),
            });
        }
    }

    /// A tracee is exiting (its exit stop): with its status, or killed by the signal that a
    /// tracee still inside kill() sent — that kill is recorded now, in the kernel's order.
    fn exit(&mut self, real: NixPid, status: i32) {
        let Some(pid) = self.model_pid(real) else {
            return;
        };
        if !self.recorder.world().is_alive(pid) {
            return; // the model already knows (a kill it recorded, or its namespace's init died)
        }
        if status & 0x7f == 0 {
            self.record(Event::Exit {
                pid,
                code: ((status >> 8) & 0xff) as u8,
            });
            return;
        }
        let Some(signal) = Signal::new((status & 0x7f) as u8) else {
            return;
        };
        if signal.is_fault() {
            self.record(Event::Fault { pid, signal });
            return;
        }
        let sender = self
            .in_syscall
            .iter()
            .find_map(|(&sender, &(number, args))| {
                let sender = NixPid::from_raw(sender);
                let named = self
                    .model_pid(sender)
                    .and_then(|from| self.recorder.world().pid_seen_by(from, pid).ok());
                (number == syscall::SYS_kill
                    && args[1] == u64::from(signal.number())
                    && named.is_some_and(|named| u64::from(named.0) == args[0]))
                .then_some(sender)
            });
        match sender.and_then(|s| Some((s, self.model_pid(s)?))) {
            Some((real_sender, from)) => {
                let target = self.recorder.world().pid_seen_by(from, pid).unwrap_or(pid);
                self.record(Event::Kill {
                    pid: from,
                    target,
                    signal,
                });
                self.kill_recorded.insert(real_sender.as_raw());
            }
            // Sent from outside what is traced: from the recorder's side, the host.
            None => self.record(Event::Kill {
                pid: Pid(2),
                target: pid,
                signal,
            }),
        }
    }
}
