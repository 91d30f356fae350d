//! exit, reparenting, zombies, release, and the death of a pid namespace's init (K11–K15, K19).

use super::World;
use crate::error::ModelError;
use crate::ns::NsKind;
use crate::outcome::{Outcome, SignalEffect};
use crate::process::{ExitStatus, Pid, ProcState};
use crate::rule::Rule;
use crate::signal::Signal;

/// The parent of a process whose parent is not in the model: the kernel's for the host's init,
/// a hidden init's for the top of a partial snapshot.
const OUTSIDE: Pid = Pid(0);

impl World {
    pub(super) fn exit(
        &mut self,
        pid: Pid,
        code: u8,
        out: &mut Vec<Outcome>,
    ) -> Result<(), ModelError> {
        // A process blocked in wait may still exit: a signal handler can call _exit.
        self.live(pid)?;
        self.check_may_die(pid)?;
        self.do_exit(pid, ExitStatus::Exited(code), out);
        Ok(())
    }

    /// The host's init cannot die: the kernel panics instead.
    pub(super) fn check_may_die(&self, pid: Pid) -> Result<(), ModelError> {
        let process = self.proc(pid);
        if process.level() == 0 && process.is_init() {
            return Err(ModelError::HostInitExit);
        }
        Ok(())
    }

    /// The kernel's `do_exit` for a living process other than the host's init.
    pub(super) fn do_exit(&mut self, pid: Pid, status: ExitStatus, out: &mut Vec<Outcome>) {
        out.push(Outcome::Exited { pid, status });
        let process = self.proc_mut(pid);
        process.state = ProcState::Exiting(status);
        process.waiting = None;
        process.pending = Default::default();
        let proxy = process.proxy();
        // exit_task_namespaces: the namespaces go now, before the process is a zombie (K5); only
        // its pid keeps its pid namespace.
        self.proxy_put(proxy, out);

        let own_ns = proxy.ns.get(NsKind::Pid);
        if self.pid_ns(own_ns).reaper == Some(pid) {
            self.zap_pid_namespace(pid, out);
            let remaining = self.pid_ns(own_ns).pids.len() - 1;
            if remaining > 0 {
                self.pid_ns_mut(own_ns).init_waits = true;
                out.push(Outcome::InitWaitsForZombies {
                    init: pid,
                    remaining,
                });
                return;
            }
        } else {
            self.reparent_children(pid, out);
        }
        self.notify_parent(pid, status, out);
    }

    /// Why a parent releases its children: its own SIGCHLD policy (`rule`), or, for an init on
    /// its way out, the SIG_IGN that `zap_pid_ns_processes` set for it (K19).
    fn release_rule(&self, parent: Pid, rule: Rule) -> Rule {
        match self.procs.get(&parent).map(|p| p.state) {
            Some(ProcState::Exiting(_)) => Rule::K19,
            _ => rule,
        }
    }

    /// `zap_pid_ns_processes` (K19): the init of a pid namespace is exiting.
    fn zap_pid_namespace(&mut self, init: Pid, out: &mut Vec<Outcome>) {
        let ns = self.proc(init).ns.get(NsKind::Pid);
        self.pid_ns_mut(ns).accepting = false;
        out.push(Outcome::PidNamespaceDying { ns, init });
        // Terminated children are released from now on instead of becoming zombies.
        let process = self.proc_mut(init);
        process.handled.remove(Signal::SIGCHLD);
        process.ignored.insert(Signal::SIGCHLD);
        // SIGKILL to every other process with a pid here, in pid order (the kernel walks the
        // namespace's idr), descendants' namespaces included.
        let mut victims: Vec<(u32, Pid)> = self
            .pid_ns(ns)
            .pids
            .iter()
            .map(|(&local, &host)| (local, host))
            .collect();
        victims.sort_unstable();
        for (_, victim) in victims {
            // Earlier deaths may already have taken this one (an inner init kills its own).
            if self.procs.get(&victim).is_some_and(|p| p.state.is_alive()) {
                out.push(Outcome::KilledByInitDeath { pid: victim, ns });
                self.do_exit(victim, ExitStatus::Signaled(Signal::SIGKILL), out);
            }
        }
        // Then it waits for the zombies it had before it ignored SIGCHLD.
        while let Some(zombie) = self.proc_mut(init).children.first_zombie() {
            self.reap(zombie, init, out);
        }
    }

    /// `forget_original_parent`: hands every child of `father` to its new reaper (K12, K13),
    /// in list order; adopted zombies notify the new parent at once (K14).
    fn reparent_children(&mut self, father: Pid, out: &mut Vec<Outcome>) {
        let children = std::mem::take(&mut self.proc_mut(father).children);
        if children.is_empty() {
            return;
        }
        let (reaper, to_subreaper) = self.find_new_reaper(father);
        for child in children.iter() {
            self.link_child(reaper, child);
            out.push(Outcome::Reparented {
                child,
                from: father,
                to: reaper,
                to_subreaper,
            });
            if let ProcState::Zombie(status) = self.proc(child).state {
                self.notify_new_parent_of_zombie(child, reaper, status, out);
            }
        }
    }

    /// `find_new_reaper` (K13): the nearest living subreaper among the ancestors in the same
    /// pid namespace, else the namespace's init. Returns the reaper and whether it is a
    /// subreaper. A snapshot of a real machine may not show the host's init (it is hidden
    /// from containers): its orphans then go to that parent outside the model, `Pid(0)`.
    fn find_new_reaper(&self, father: Pid) -> (Pid, bool) {
        let process = self.proc(father);
        let level = process.level();
        let mut ancestor = process.parent;
        // Parent links form a forest (the loader refuses cycles); the bound is a second guard.
        for _ in 0..self.procs.len() {
            let Some(candidate) = self.procs.get(&ancestor) else {
                break;
            };
            if candidate.level() != level {
                break;
            }
            // The mutant (a test-only feature) forgets subreapers, as a broken K13 would.
            if candidate.subreaper
                && candidate.state.is_alive()
                && !cfg!(feature = "mutant-wrong-reaper")
            {
                return (ancestor, true);
            }
            ancestor = candidate.parent;
        }
        let reaper = self.pid_ns(process.ns.get(NsKind::Pid)).reaper;
        (
            reaper
                .filter(|r| self.procs.contains_key(r))
                .unwrap_or(OUTSIDE),
            false,
        )
    }

    /// `reparent_leader` for a child that is already a zombie (K14).
    fn notify_new_parent_of_zombie(
        &mut self,
        child: Pid,
        parent: Pid,
        status: ExitStatus,
        out: &mut Vec<Outcome>,
    ) {
        // A parent outside the model collects its zombies when it will.
        let Some(new_parent) = self.procs.get(&parent) else {
            return;
        };
        if new_parent.auto_reaps() {
            if !new_parent.ignored.contains(Signal::SIGCHLD) {
                out.push(Outcome::SigchldSent { parent, child });
            }
            let rule = self.release_rule(parent, Rule::K14);
            out.push(Outcome::AutoReaped {
                pid: child,
                parent,
                rule,
            });
            self.release(child, out);
        } else {
            out.push(Outcome::SigchldSent { parent, child });
            self.wake_waiter(parent, child, status, out);
        }
    }

    /// `exit_notify`: the process is now a zombie for its parent, or released at once if the
    /// parent does not want zombies (K11, K12, K15).
    fn notify_parent(&mut self, pid: Pid, status: ExitStatus, out: &mut Vec<Outcome>) {
        let parent = self.proc(pid).parent;
        let auto_reaps = self
            .procs
            .get(&parent)
            .map(|p| (p.auto_reaps(), p.ignored.contains(Signal::SIGCHLD)));
        match auto_reaps {
            Some((true, ignores)) => {
                if !ignores {
                    out.push(Outcome::SigchldSent { parent, child: pid });
                }
                let rule = self.release_rule(parent, Rule::K15);
                out.push(Outcome::AutoReaped { pid, parent, rule });
                self.release(pid, out);
            }
            Some((false, _)) => {
                self.make_zombie(pid, parent, status, out);
                out.push(Outcome::SigchldSent { parent, child: pid });
                self.wake_waiter(parent, pid, status, out);
            }
            // The parent is outside the model: the zombie waits for it.
            None => self.make_zombie(pid, parent, status, out),
        }
    }

    fn make_zombie(&mut self, pid: Pid, parent: Pid, status: ExitStatus, out: &mut Vec<Outcome>) {
        let process = self.proc_mut(pid);
        process.state = ProcState::Zombie(status);
        let seq = process.sibling_seq;
        if let Some(parent) = self.procs.get_mut(&parent) {
            parent.children.became_zombie(seq, pid);
        }
        out.push(Outcome::BecameZombie {
            pid,
            parent,
            status,
        });
    }

    /// A parent blocked in a wait that this zombie satisfies collects it now (K16).
    fn wake_waiter(
        &mut self,
        parent: Pid,
        child: Pid,
        _status: ExitStatus,
        out: &mut Vec<Outcome>,
    ) {
        // A stopped parent collects it once it continues (`retry_wait`).
        let waiting = self
            .procs
            .get(&parent)
            .filter(|p| p.state == ProcState::Running)
            .and_then(|p| p.waiting);
        if let Some(target) = waiting {
            if target.matches(child) {
                self.proc_mut(parent).waiting = None;
                self.reap(child, parent, out);
            }
        }
    }

    /// A wait by `by` collects the zombie `pid` (K16).
    pub(super) fn reap(&mut self, pid: Pid, by: Pid, out: &mut Vec<Outcome>) {
        let ProcState::Zombie(status) = self.proc(pid).state else {
            unreachable!("model bug: reaping {pid}, which is not a zombie");
        };
        let seen_as = self
            .pid_in(self.proc(by).ns.get(NsKind::Pid), pid)
            .unwrap_or(pid);
        out.push(Outcome::Reaped {
            pid,
            by,
            status,
            seen_as,
        });
        self.release(pid, out);
    }

    /// `release_task`: the process leaves the table and gives up its pids (K11).
    pub(super) fn release(&mut self, pid: Pid, out: &mut Vec<Outcome>) {
        let process = self
            .procs
            .remove(&pid)
            .unwrap_or_else(|| unreachable!("model bug: releasing {pid} twice"));
        if let Some(parent) = self.procs.get_mut(&process.parent) {
            parent.children.unlink(process.sibling_seq, pid);
            // K15: a blocked wait whose children are all gone fails with ECHILD.
            if let Some(target) = parent
                .waiting
                .filter(|_| parent.state == ProcState::Running)
            {
                if !parent.children().any(|c| target.matches(c)) {
                    parent.waiting = None;
                    out.push(Outcome::WaitEchild {
                        pid: process.parent,
                    });
                }
            }
        }
        self.root_pids.remove(process.nspid[0]);
        let mut ns = Some(process.ns.get(NsKind::Pid));
        let mut level = process.nspid.len();
        let mut dying_inits = Vec::new();
        while let Some(id) = ns {
            level -= 1;
            let namespace = self.ns_mut(id);
            ns = namespace.parent;
            let pid_ns = namespace.pid.as_mut().unwrap_or_else(|| unreachable!());
            if level > 0 {
                pid_ns.pids.remove(&process.nspid[level]);
            }
            if pid_ns.reaper == Some(pid) {
                pid_ns.reaper = None;
            }
            if pid_ns.init_waits && pid_ns.pids.len() == 1 {
                pid_ns.init_waits = false;
                dying_inits.extend(pid_ns.reaper);
            }
        }
        self.ns_put(process.ns.get(NsKind::Pid), out);
        // K19: a dying init that waited for its namespace to empty can now finish exiting.
        for init in dying_inits {
            if let ProcState::Exiting(status) = self.proc(init).state {
                self.notify_parent(init, status, out);
            }
        }
    }

    /// The default action of a fatal signal, or SIGKILL (K17, K18 already checked).
    pub(super) fn kill_by_signal(
        &mut self,
        from: Pid,
        pid: Pid,
        signal: Signal,
        out: &mut Vec<Outcome>,
    ) {
        out.push(Outcome::SignalDelivered {
            from,
            to: pid,
            signal,
            effect: SignalEffect::Killed,
        });
        self.do_exit(pid, ExitStatus::Signaled(signal), out);
    }

    /// `Event::EndedUnseen`: a process of a live node that ended, and that its parent (or,
    /// ignoring SIGCHLD, the kernel) collected, between two looks. The kernel's exit runs as
    /// for any end, orphans and all; the status it needs inside is never shown: the outcomes
    /// that would carry it are replaced by one that says it was not seen.
    /// `Event::CollectedOutside`: a zombie whose parent is outside the world is gone.
    #[cfg(feature = "live")]
    pub(super) fn collected_outside(
        &mut self,
        pid: Pid,
        out: &mut Vec<Outcome>,
    ) -> Result<(), ModelError> {
        match self.procs.get(&pid) {
            Some(p) if matches!(p.state, ProcState::Zombie(_)) && p.parent == OUTSIDE => {
                self.release(pid, out);
                out.push(Outcome::CollectedOutside { pid });
                Ok(())
            }
            _ => Err(ModelError::NotAsSeen { pid }),
        }
    }

    #[cfg(feature = "live")]
    pub(super) fn ended_unseen(
        &mut self,
        pid: Pid,
        out: &mut Vec<Outcome>,
    ) -> Result<(), ModelError> {
        let process = self.live(pid)?;
        let ns = process.ns.get(NsKind::Pid);
        self.check_may_die(pid)?;
        if self.pid_ns(ns).reaper == Some(pid) && self.pid_ns(ns).pids.len() > 1 {
            return Err(ModelError::InitEndUnseen { pid });
        }
        let parent = self.proc(pid).parent;
        let mut inner = Vec::new();
        self.do_exit(pid, ExitStatus::Exited(0), &mut inner);
        if self
            .procs
            .get(&pid)
            .is_some_and(|p| matches!(p.state, ProcState::Zombie(_)))
        {
            self.release(pid, &mut inner);
        }
        out.extend(inner.into_iter().filter_map(|outcome| match outcome {
            Outcome::Exited { pid: p, .. } if p == pid => {
                Some(Outcome::EndedUnseen { pid, parent })
            }
            Outcome::BecameZombie { pid: p, .. }
            | Outcome::Reaped { pid: p, .. }
            | Outcome::AutoReaped { pid: p, .. }
            | Outcome::SigchldSent { child: p, .. }
                if p == pid =>
            {
                None
            }
            outcome => Some(outcome),
        }));
        Ok(())
    }
}
