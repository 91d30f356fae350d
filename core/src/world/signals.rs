//! kill, faults and sigaction (K17, K18).

use super::World;
use crate::error::ModelError;
use crate::ns::NsKind;
use crate::outcome::{Outcome, SignalEffect};
use crate::process::{Disposition, Pid, ProcState};
use crate::signal::{DefaultAction, Signal};

/// Who sends a signal: a process, or the kernel on a process's behalf.
#[derive(Clone, Copy)]
struct Sender {
    pid: Pid,
    /// The sender has no pid in the target's namespace: it is in an ancestor (K17).
    from_ancestor: bool,
}

impl World {
    pub(super) fn kill(
        &mut self,
        pid: Pid,
        target: Pid,
        signal: Signal,
        out: &mut Vec<Outcome>,
    ) -> Result<(), ModelError> {
        let sender = self.actor(pid)?;
        let own_ns = sender.ns.get(NsKind::Pid);
        let sender_level = sender.level();
        // K9: the target is named in the sender's namespace; others do not exist for it.
        let host = self
            .resolve(own_ns, target)
            .ok_or(ModelError::TargetNotVisible {
                sender: pid,
                target,
            })?;
        let from_ancestor = self.proc(host).level() > sender_level;
        self.deliver(Sender { pid, from_ancestor }, host, signal, out);
        Ok(())
    }

    /// `send_signal` and what follows from it, for a target that exists.
    fn deliver(&mut self, sender: Sender, to: Pid, signal: Signal, out: &mut Vec<Outcome>) {
        let from = sender.pid;
        let target = self.proc(to);
        let delivered = |effect| Outcome::SignalDelivered {
            from,
            to,
            signal,
            effect,
        };
        if !target.state.is_alive() {
            out.push(delivered(SignalEffect::NoEffect));
            return;
        }
        let disposition = target.disposition(signal);
        let stopped = target.state == ProcState::Stopped;
        let is_init = target.is_init();
        // SIGCONT resumes a stopped process whatever its disposition, even an init that then
        // drops it (prepare_signal runs before the K17 check).
        let resumed = signal == Signal::SIGCONT && stopped;
        if resumed {
            self.proc_mut(to).state = ProcState::Running;
        }
        // K17: an init ignores every signal it has no handler for, unless it is SIGKILL or
        // SIGSTOP from an ancestor namespace (sig_task_ignored).
        if is_init
            && disposition == Disposition::Default
            && !(sender.from_ancestor && signal.is_kernel_only())
        {
            if resumed {
                out.push(delivered(SignalEffect::Continued));
                self.run_pending(to, out);
            } else {
                out.push(Outcome::SignalDropped { from, to, signal });
            }
            return;
        }
        let action = signal.default_action();
        let effect = match disposition {
            Disposition::Ignore => SignalEffect::Ignored,
            Disposition::Handler if stopped && !resumed => SignalEffect::Pending,
            Disposition::Handler => SignalEffect::Caught,
            Disposition::Default => match action {
                // A fatal signal wakes a stopped process to kill it; a core-dumping one waits
                // until it continues (complete_signal).
                DefaultAction::Term => SignalEffect::Killed,
                DefaultAction::Core if stopped => SignalEffect::Pending,
                DefaultAction::Core => SignalEffect::Killed,
                DefaultAction::Ign => SignalEffect::Ignored,
                DefaultAction::Stop if stopped => SignalEffect::NoEffect,
                DefaultAction::Stop => SignalEffect::Stopped,
                DefaultAction::Cont if resumed => SignalEffect::Continued,
                DefaultAction::Cont => SignalEffect::Ignored,
            },
        };
        match effect {
            SignalEffect::Killed => self.kill_by_signal(from, to, signal, out),
            SignalEffect::Pending => {
                self.proc_mut(to).pending.insert(signal);
                out.push(delivered(effect));
            }
            SignalEffect::Stopped => {
                self.proc_mut(to).state = ProcState::Stopped;
                out.push(delivered(effect));
            }
            _ => {
                out.push(delivered(effect));
                if resumed {
                    self.run_pending(to, out);
                }
            }
        }
    }

    /// Acts on the signals that arrived while the process was stopped, lowest number first.
    fn run_pending(&mut self, pid: Pid, out: &mut Vec<Outcome>) {
        self.retry_wait(pid, out);
        let pending = std::mem::take(&mut self.proc_mut(pid).pending);
        for signal in pending.iter() {
            if !self.proc(pid).state.is_alive() {
                break;
            }
            self.deliver(
                Sender {
                    pid: Pid(0),
                    from_ancestor: true,
                },
                pid,
                signal,
                out,
            );
        }
    }

    /// A synchronous fault (K18): even an init dies of it unless it has a handler.
    pub(super) fn fault(
        &mut self,
        pid: Pid,
        signal: Signal,
        out: &mut Vec<Outcome>,
    ) -> Result<(), ModelError> {
        let process = self.actor(pid)?;
        if !signal.is_fault() {
            return Err(ModelError::NotAFault { signal });
        }
        if process.disposition(signal) == Disposition::Handler {
            out.push(Outcome::SignalDelivered {
                from: pid,
                to: pid,
                signal,
                effect: SignalEffect::Caught,
            });
            return Ok(());
        }
        // force_sig_info_to_task resets SIG_IGN to SIG_DFL and clears the init's protection.
        self.check_may_die(pid)?;
        self.kill_by_signal(pid, pid, signal, out);
        Ok(())
    }

    pub(super) fn sigaction(
        &mut self,
        pid: Pid,
        signal: Signal,
        action: Disposition,
        nocldwait: bool,
        out: &mut Vec<Outcome>,
    ) -> Result<(), ModelError> {
        let process = self.actor_mut(pid)?;
        if signal.is_kernel_only() {
            return Err(ModelError::Uncatchable { signal });
        }
        process.handled.remove(signal);
        process.ignored.remove(signal);
        match action {
            Disposition::Default => {}
            Disposition::Ignore => {
                process.ignored.insert(signal);
                process.pending.remove(signal);
            }
            Disposition::Handler => process.handled.insert(signal),
        }
        if signal == Signal::SIGCHLD {
            process.nocldwait = nocldwait;
        }
        out.push(Outcome::SigactionSet { pid, signal });
        Ok(())
    }
}
