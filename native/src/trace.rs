//! `pauselab trace -- CMD`: runs CMD in a fresh pid namespace under ptrace and records what the
//! kernel did, in the model's trace format.
//!
//! Why ptrace: every tracee stops at each fork, exec and exit and at the syscalls that matter
//! (wait4, kill, rt_sigaction, prctl, unshare), one at a time, so the recorder sees them in an
//! order the model can replay. The kernel's process-events connector reports forks and exits
//! but no reaping, and being CMD's subreaper shows only its own children. In a fresh pid
//! namespace pids are exact (K8), so the model's pids and the kernel's agree there.
//!
//! Left out: threads, process groups (kill with a negative pid), setns (its target is a file
//! descriptor), clone3's flags.

use std::collections::BTreeMap;
use std::ffi::CString;

use nix::sched::{unshare, CloneFlags};
use nix::sys::ptrace::{self, Options};
use nix::sys::signal::{raise, Signal as NixSignal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::{execvp, fork, ForkResult, Pid as NixPid};
use pauselab_core::{Disposition, Event, NsKind, NsKinds, Pid, Recorder, Signal, Trace, World};

/// A step of tracing that failed.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    /// Tracing needs root (a new pid namespace).
    #[error("pauselab trace needs root (it runs the command in a new pid namespace)")]
    NotRoot,
    /// An argument with a NUL byte.
    #[error("argument {0:?} contains a NUL byte")]
    Nul(String),
    /// unshare, fork or the first ptrace steps.
    #[error("starting the command under ptrace")]
    Start(#[source] nix::Error),
}

const SYS_RT_SIGACTION: u64 = 13;
const SYS_CLONE: u64 = 56;
const SYS_WAIT4: u64 = 61;
const SYS_KILL: u64 = 62;
const SYS_PRCTL: u64 = 157;
const SYS_UNSHARE: u64 = 272;
const PR_SET_CHILD_SUBREAPER: u64 = 36;
const SA_NOCLDWAIT: i64 = 2;
/// At a syscall-entry stop x86-64 puts -ENOSYS in rax; at the exit stop, the result.
const ENTRY_MARK: u64 = -38i64 as u64;

/// What the recorder knows: the model world, and each traced process's pid in the command's
/// namespace.
struct Tracer {
    recorder: Recorder,
    /// The command's pid namespace in the model.
    ns: pauselab_core::NsId,
    /// Registers saved at each tracee's syscall entry.
    entries: BTreeMap<i32, nix::libc::user_regs_struct>,
    /// Clone flags of a fork in progress, by parent.
    clone_flags: BTreeMap<i32, u64>,
    warnings: Vec<String>,
}

/// The pid a real process has in the command's namespace: the second `NSpid` entry.
fn inner_pid(pid: NixPid) -> Option<u32> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("NSpid:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

impl Tracer {
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

    fn fork(&mut self, parent: NixPid, child: NixPid) {
        let Some(pid) = self.model_pid(parent) else {
            return;
        };
        let flags = self.clone_flags.remove(&parent.as_raw()).unwrap_or(0);
        // A new thread is not a new process: the model has none (CLONE_THREAD).
        if flags & 0x0001_0000 != 0 {
            self.warnings.push(format!(
                "{parent} started a thread: threads are not modelled"
            ));
            return;
        }
        let new: NsKinds = [
            (0x2000_0000, NsKind::Pid),
            (0x4000_0000, NsKind::Net),
            (0x0800_0000, NsKind::Ipc),
            (0x0400_0000, NsKind::Uts),
            (0x0002_0000, NsKind::Mnt),
        ]
        .into_iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|(_, kind)| kind)
        .collect();
        self.record(Event::Fork { pid, new });
        let expected = self
            .recorder
            .world()
            .processes()
            .iter()
            .map(|p| p.host_pid())
            .max();
        let real_inner = inner_pid(child);
        let model_inner = expected.and_then(|p| self.recorder.world().pid_in(self.ns, p));
        if real_inner.map(Pid) != model_inner {
            self.warnings.push(format!("fork of {child}: the kernel gave pid {real_inner:?} inside, the model {model_inner:?}"));
        }
    }

    fn syscall_exit(&mut self, real: NixPid, entry: &nix::libc::user_regs_struct, result: i64) {
        let Some(pid) = self.model_pid(real) else {
            return;
        };
        match entry.orig_rax {
            SYS_WAIT4 if result > 0 => {
                let nohang = entry.rdx & 1 != 0;
                let target = pauselab_core::WaitTarget::Pid(Pid(result as u32));
                self.record(Event::Wait {
                    pid,
                    target,
                    nohang,
                });
            }
            SYS_KILL if result == 0 && (entry.rdi as i32) > 0 => {
                if let Some(signal) = Signal::new(entry.rsi as u8) {
                    self.record(Event::Kill {
                        pid,
                        target: Pid(entry.rdi as u32),
                        signal,
                    });
                }
            }
            SYS_RT_SIGACTION if result == 0 && entry.rsi != 0 => {
                let Some(signal) = Signal::new(entry.rdi as u8) else {
                    return;
                };
                let read =
                    |offset: u64| ptrace::read(real, (entry.rsi + offset) as ptrace::AddressType);
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
                    nocldwait: flags & SA_NOCLDWAIT != 0,
                });
            }
            SYS_PRCTL if result == 0 && entry.rdi == PR_SET_CHILD_SUBREAPER => {
                self.record(Event::SetSubreaper {
                    pid,
                    on: entry.rsi != 0,
                });
            }
            SYS_UNSHARE if result == 0 && entry.rdi & 0x2000_0000 != 0 => {
                self.record(Event::Unshare {
                    pid,
                    new: NsKinds::of(&[NsKind::Pid]),
                });
            }
            _ => {}
        }
    }

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
        } else if let Some(signal) = Signal::new((status & 0x7f) as u8) {
            let event = if signal.is_fault() {
                Event::Fault { pid, signal }
            } else {
                // Sent from outside what is traced: from the recorder's side, the host.
                Event::Kill {
                    pid: Pid(2),
                    target: pid,
                    signal,
                }
            };
            self.record(event);
        }
    }
}

/// Runs `command` traced; returns the trace, what the model refused (should be nothing), and
/// the command's exit status.
pub fn record(command: &[String]) -> Result<(Trace, Vec<String>, i32), TraceError> {
    if !nix::unistd::geteuid().is_root() {
        return Err(TraceError::NotRoot);
    }
    let argv = command
        .iter()
        .map(|a| CString::new(a.as_str()).map_err(|_| TraceError::Nul(a.clone())))
        .collect::<Result<Vec<_>, _>>()?;
    if argv.is_empty() {
        return Err(TraceError::Nul(String::new()));
    }
    // The model: the host's init, the recorder (pid 2), and the command as pid 1 of a new pid
    // namespace, like the real one below.
    let mut world = World::new();
    world
        .apply(Event::Fork {
            pid: Pid(1),
            new: NsKinds::EMPTY,
        })
        .map_err(|_| TraceError::Start(nix::Error::EINVAL))?;
    let mut recorder = Recorder::new(
        world,
        Some(format!("pauselab trace -- {}", command.join(" "))),
    );
    let _ = recorder.record(Event::Fork {
        pid: Pid(2),
        new: NsKinds::of(&[NsKind::Pid]),
    });
    let ns = recorder
        .world()
        .process(Pid(3))
        .map(|p| p.namespaces().get(NsKind::Pid))
        .ok_or(TraceError::Start(nix::Error::EINVAL))?;
    let mut tracer = Tracer {
        recorder,
        ns,
        entries: BTreeMap::new(),
        clone_flags: BTreeMap::new(),
        warnings: Vec::new(),
    };

    unshare(CloneFlags::CLONE_NEWPID).map_err(TraceError::Start)?;
    // SAFETY: pauselab is single-threaded; the child only asks to be traced, stops, and execs.
    let child = match unsafe { fork() }.map_err(TraceError::Start)? {
        ForkResult::Child => {
            let _ = ptrace::traceme();
            let _ = raise(NixSignal::SIGSTOP);
            let error = execvp(&argv[0], &argv)
                .err()
                .map(|e| e.desc())
                .unwrap_or("?");
            eprintln!("pauselab: cannot run {}: {error}", command[0]);
            std::process::exit(127);
        }
        ForkResult::Parent { child } => child,
    };
    waitpid(child, None).map_err(TraceError::Start)?;
    let options = Options::PTRACE_O_TRACEFORK
        | Options::PTRACE_O_TRACEVFORK
        | Options::PTRACE_O_TRACECLONE
        | Options::PTRACE_O_TRACEEXEC
        | Options::PTRACE_O_TRACEEXIT
        | Options::PTRACE_O_TRACESYSGOOD
        | Options::PTRACE_O_EXITKILL;
    ptrace::setoptions(child, options).map_err(TraceError::Start)?;
    ptrace::syscall(child, None).map_err(TraceError::Start)?;

    let mut exit_code = 0;
    // Until no tracee is left.
    while let Ok(status) = waitpid(None, Some(WaitPidFlag::__WALL)) {
        let (pid, resume_with) = match status {
            WaitStatus::PtraceEvent(pid, _, event) => {
                match event {
                    nix::libc::PTRACE_EVENT_FORK
                    | nix::libc::PTRACE_EVENT_VFORK
                    | nix::libc::PTRACE_EVENT_CLONE => {
                        if let Ok(new) = ptrace::getevent(pid) {
                            tracer.fork(pid, NixPid::from_raw(new as i32));
                        }
                    }
                    nix::libc::PTRACE_EVENT_EXEC => {
                        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm"))
                            .unwrap_or_default();
                        if let Some(model) = tracer.model_pid(pid) {
                            tracer.record(Event::Exec {
                                pid: model,
                                comm: comm.trim().to_owned(),
                            });
                        }
                    }
                    nix::libc::PTRACE_EVENT_EXIT => {
                        if let Ok(status) = ptrace::getevent(pid) {
                            if pid == child {
                                exit_code = if status & 0x7f == 0 {
                                    (status >> 8) & 0xff
                                } else {
                                    128 + (status & 0x7f)
                                } as i32;
                            }
                            tracer.exit(pid, status as i32);
                        }
                    }
                    _ => {}
                }
                (pid, None)
            }
            WaitStatus::PtraceSyscall(pid) => {
                if let Ok(regs) = ptrace::getregs(pid) {
                    if regs.rax == ENTRY_MARK {
                        if matches!(regs.orig_rax, SYS_CLONE) {
                            tracer.clone_flags.insert(pid.as_raw(), regs.rdi);
                        }
                        tracer.entries.insert(pid.as_raw(), regs);
                    } else if let Some(entry) = tracer.entries.remove(&pid.as_raw()) {
                        tracer.syscall_exit(pid, &entry, regs.rax as i64);
                    }
                }
                (pid, None)
            }
            // A new tracee's first stop, or a signal on its way: pass signals on.
            WaitStatus::Stopped(pid, NixSignal::SIGSTOP) => (pid, None),
            WaitStatus::Stopped(pid, signal) => (pid, Some(signal)),
            // The recorder is the command's parent: its reaping is part of the story too.
            WaitStatus::Exited(pid, _) | WaitStatus::Signaled(pid, _, _) if pid == child => {
                let target = pauselab_core::WaitTarget::Pid(Pid(3));
                tracer.record(Event::Wait {
                    pid: Pid(2),
                    target,
                    nohang: true,
                });
                continue;
            }
            _ => continue,
        };
        let _ = ptrace::syscall(pid, resume_with);
    }
    Ok((tracer.recorder.into_trace(), tracer.warnings, exit_code))
}
