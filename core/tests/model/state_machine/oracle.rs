//! An independent oracle for the process rules: processes, parents, zombies and reapers (K6–K19),
//! written from SPEC.md's words with plain maps and without `World`. The model must agree with it
//! after every generated event (`agreement.rs`); where the two differ, one of them misreads the
//! kernel, and the fidelity tests against a real kernel decide which.
//!
//! Its scope is what reaping is about: fork (with or without a new pid namespace), exec, exit,
//! faults, wait, kill, SIGCHLD and SIGTERM dispositions, the subreaper flag and an unshare of the
//! pid namespace; not stop/continue, other namespaces, pins, pid wrap-around, a live node's view.

use std::collections::{BTreeMap, BTreeSet};

use pauselab_core::{Disposition, Event, NsKind, Pid, Signal, WaitTarget};

/// The deepest pid namespace nesting (K7).
const MAX_LEVEL: usize = 32;

/// How a process ended (K11).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// `exit(code)`.
    Code(u8),
    /// Killed by a signal.
    Signal(Signal),
}

/// Where a process is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Life {
    /// Running (or blocked in wait).
    Running,
    /// An init that has exited and waits for its namespace to empty (K19).
    Exiting(Ended),
    /// Exited, not yet waited for (K11).
    Zombie(Ended),
}

/// One process.
#[derive(Clone, Debug)]
pub struct Proc {
    /// The parent's host pid; 0 for the host's init.
    pub parent: u32,
    /// Its life.
    pub life: Life,
    /// Its pid namespace (a key of `Oracle::namespaces`).
    pub ns: usize,
    /// Where its children are born (K4).
    pub for_children: usize,
    /// Its pid at each level, the host's first (K7).
    pub pids: Vec<u32>,
    /// Its children, in the order they became its children.
    pub children: Vec<u32>,
    /// Signals with a handler.
    pub handled: BTreeSet<Signal>,
    /// Signals set to SIG_IGN.
    pub ignored: BTreeSet<Signal>,
    /// SA_NOCLDWAIT.
    pub nocldwait: bool,
    /// PR_SET_CHILD_SUBREAPER (K13).
    pub subreaper: bool,
    /// The wait it is blocked in, by host pid for a specific child.
    pub waiting: Option<Option<u32>>,
}

impl Proc {
    fn running(&self) -> bool {
        self.life == Life::Running
    }

    /// K15: its children never become zombies.
    fn wants_no_zombies(&self) -> bool {
        self.nocldwait || self.ignored.contains(&Signal::SIGCHLD)
    }
}

/// One pid namespace.
#[derive(Clone, Debug)]
pub struct PidNs {
    /// Its parent namespace; none for the host's.
    pub parent: Option<usize>,
    /// Its depth: 0 for the host's.
    pub level: usize,
    /// Its init (pid 1), while there is one.
    pub init: Option<u32>,
    /// False once its init has died (K19).
    pub accepting: bool,
    /// The last pid handed out (K8).
    pub cursor: u32,
    /// Which host pid has which pid here (zombies too).
    pub pids: BTreeMap<u32, u32>,
    /// Its init has exited and waits for the namespace to empty (K19).
    pub init_waits: bool,
}

/// Why the oracle refuses an event, in the SPEC's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// No such process.
    NoSuchProcess,
    /// The actor has exited.
    NotAlive,
    /// The actor is blocked in wait and can do nothing but exit.
    Blocked,
    /// K16: wait without children.
    NoChildren,
    /// K16: waitpid for a process that is not one's child.
    NotAChild,
    /// K9: kill of a pid the sender cannot see.
    NotVisible,
    /// The host's init cannot exit.
    HostInitExit,
    /// SIGKILL and SIGSTOP cannot be caught or ignored.
    Uncatchable,
    /// A fault event with a signal that is not a fault.
    NotAFault,
    /// K7: too deep.
    TooDeep,
    /// K4: a second unshare(CLONE_NEWPID) before forking into the first.
    AlreadyUnshared,
    /// Outside the oracle's scope: the generator never makes it.
    OutOfScope,
}

/// The oracle's world.
#[derive(Clone, Debug)]
pub struct Oracle {
    /// Processes by host pid.
    pub procs: BTreeMap<u32, Proc>,
    /// Pid namespaces; 0 is the host's.
    pub namespaces: Vec<PidNs>,
    /// What the last event did: refused or not.
    pub last: Result<(), Refused>,
}

impl Oracle {
    /// A booted host: init is pid 1 of the host's pid namespace.
    pub fn new() -> Oracle {
        let init = Proc {
            parent: 0,
            life: Life::Running,
            ns: 0,
            for_children: 0,
            pids: vec![1],
            children: Vec::new(),
            handled: BTreeSet::new(),
            ignored: BTreeSet::new(),
            nocldwait: false,
            subreaper: false,
            waiting: None,
        };
        let host = PidNs {
            parent: None,
            level: 0,
            init: Some(1),
            accepting: true,
            cursor: 1,
            pids: [(1, 1)].into_iter().collect(),
            init_waits: false,
        };
        Oracle {
            procs: [(1, init)].into_iter().collect(),
            namespaces: vec![host],
            last: Ok(()),
        }
    }

    /// Applies an event; a refused one changes nothing.
    pub fn apply(&mut self, event: &Event) -> Result<(), Refused> {
        let mut next = self.clone();
        let result = next.act(event);
        if result.is_ok() {
            *self = next;
        }
        self.last = result;
        result
    }

    /// A process that may act: it exists, runs, and is not blocked in wait.
    fn actor(&self, pid: Pid) -> Result<&Proc, Refused> {
        let process = self.procs.get(&pid.0).ok_or(Refused::NoSuchProcess)?;
        if !process.running() {
            return Err(Refused::NotAlive);
        }
        if process.waiting.is_some() {
            return Err(Refused::Blocked);
        }
        Ok(process)
    }

    fn act(&mut self, event: &Event) -> Result<(), Refused> {
        match event {
            Event::Fork { pid, new } => {
                if new.iter().any(|kind| kind != NsKind::Pid) {
                    return Err(Refused::OutOfScope);
                }
                self.fork(pid.0, new.contains(NsKind::Pid))
            }
            Event::Exec { pid, .. } => {
                self.actor(*pid)?;
                let process = self.proc(pid.0);
                // Handlers are reset; ignored signals and the subreaper flag stay (K13).
                process.handled.clear();
                process.nocldwait = false;
                Ok(())
            }
            Event::Exit { pid, code } => self.end(pid.0, Ended::Code(*code)),
            Event::Fault { pid, signal } => {
                self.actor(*pid)?;
                if !matches!(*signal, Signal::SIGSEGV) {
                    return Err(if matches!(*signal, Signal::SIGTERM) {
                        Refused::NotAFault
                    } else {
                        Refused::OutOfScope
                    });
                }
                // K18: a handler catches it; otherwise it kills, even an init.
                if self.procs[&pid.0].handled.contains(signal) {
                    return Ok(());
                }
                self.may_die(pid.0)?;
                self.exit(pid.0, Ended::Signal(*signal));
                Ok(())
            }
            Event::Wait {
                pid,
                target,
                nohang,
            } => self.wait(pid.0, *target, *nohang),
            Event::Kill {
                pid,
                target,
                signal,
            } => self.kill(pid.0, target.0, *signal),
            Event::Sigaction {
                pid,
                signal,
                action,
                nocldwait,
            } => {
                self.actor(*pid)?;
                if signal.is_kernel_only() {
                    return Err(Refused::Uncatchable);
                }
                let process = self.proc(pid.0);
                process.handled.remove(signal);
                process.ignored.remove(signal);
                match action {
                    Disposition::Default => {}
                    Disposition::Ignore => {
                        process.ignored.insert(*signal);
                    }
                    Disposition::Handler => {
                        process.handled.insert(*signal);
                    }
                }
                if *signal == Signal::SIGCHLD {
                    process.nocldwait = *nocldwait;
                }
                Ok(())
            }
            Event::SetSubreaper { pid, on } => {
                self.actor(*pid)?;
                self.proc(pid.0).subreaper = *on;
                Ok(())
            }
            Event::Unshare { pid, new } => {
                if new.iter().any(|kind| kind != NsKind::Pid) {
                    return Err(Refused::OutOfScope);
                }
                self.actor(*pid)?;
                if new.contains(NsKind::Pid) {
                    let ns = self.new_namespace(pid.0)?;
                    // K4: only where its future children go changes.
                    self.proc(pid.0).for_children = ns;
                }
                Ok(())
            }
            Event::Renamed { pid, .. } => self.actor(*pid).map(|_| ()), // a name only
            // A death the kernel reports without its sender (a live node's).
            Event::Signaled { pid, signal } => self.end(pid.0, Ended::Signal(*signal)),
            Event::Setns { .. }
            | Event::Pin { .. }
            | Event::Unpin { .. }
            | Event::ForkSeen { .. }
            | Event::AppearedSeen { .. }
            | Event::LookedAnew { .. }
            | Event::CollectedOutside { .. }
            | Event::NamespacesSeen { .. }
            | Event::EndedUnseen { .. } => Err(Refused::OutOfScope),
        }
    }

    fn proc(&mut self, pid: u32) -> &mut Proc {
        self.procs
            .get_mut(&pid)
            .expect("the oracle knows its processes")
    }

    /// A living process ends (exit, or a death the kernel reports), unless it is the host's init.
    fn end(&mut self, pid: u32, how: Ended) -> Result<(), Refused> {
        let process = self.procs.get(&pid).ok_or(Refused::NoSuchProcess)?;
        if !process.running() {
            return Err(Refused::NotAlive);
        }
        self.may_die(pid)?;
        self.exit(pid, how);
        Ok(())
    }

    /// The host's init cannot die: the kernel would panic.
    fn may_die(&self, pid: u32) -> Result<(), Refused> {
        if self.procs[&pid].pids == [1] {
            Err(Refused::HostInitExit)
        } else {
            Ok(())
        }
    }

    /// A new pid namespace below the caller's own (K4, K7).
    fn new_namespace(&mut self, pid: u32) -> Result<usize, Refused> {
        let process = &self.procs[&pid];
        if process.for_children != process.ns {
            return Err(Refused::AlreadyUnshared);
        }
        let parent = process.ns;
        let level = self.namespaces[parent].level + 1;
        if level > MAX_LEVEL {
            return Err(Refused::TooDeep);
        }
        self.namespaces.push(PidNs {
            parent: Some(parent),
            level,
            init: None,
            accepting: true,
            cursor: 0,
            pids: BTreeMap::new(),
            init_waits: false,
        });
        Ok(self.namespaces.len() - 1)
    }

    /// The namespaces from `ns` up to the host's.
    fn chain(&self, ns: usize) -> Vec<usize> {
        let mut chain = vec![ns];
        while let Some(parent) = self.namespaces[*chain.last().expect("not empty")].parent {
            chain.push(parent);
        }
        chain
    }

    /// K8: the next pid after the cursor that no process (zombies included) holds.
    fn next_pid(&self, ns: usize) -> u32 {
        let space = &self.namespaces[ns];
        (space.cursor + 1..)
            .find(|pid| !space.pids.contains_key(pid))
            .expect("pids are plenty")
    }

    fn fork(&mut self, parent: u32, new_pid_ns: bool) -> Result<(), Refused> {
        self.actor(Pid(parent))?;
        let ns = if new_pid_ns {
            self.new_namespace(parent)?
        } else {
            self.procs[&parent].for_children
        };
        let chain = self.chain(ns);
        let pids: Vec<u32> = chain.iter().map(|&level| self.next_pid(level)).collect();
        // Every level's cursor moves, even when the fork fails as its init has died (K19).
        for (&level, &pid) in chain.iter().zip(&pids) {
            self.namespaces[level].cursor = pid;
        }
        if !self.namespaces[ns].accepting {
            return Ok(());
        }
        let host = *pids.last().expect("the host level");
        for (&level, &pid) in chain.iter().zip(&pids) {
            self.namespaces[level].pids.insert(pid, host);
        }
        // K6: the first process of a new pid namespace is its init.
        if pids[0] == 1 {
            self.namespaces[ns].init = Some(host);
        }
        let from = &self.procs[&parent];
        let child = Proc {
            parent,
            life: Life::Running,
            ns,
            for_children: ns,
            pids: pids.into_iter().rev().collect(),
            children: Vec::new(),
            handled: from.handled.clone(),
            ignored: from.ignored.clone(),
            nocldwait: from.nocldwait,
            // K13: not inherited.
            subreaper: false,
            waiting: None,
        };
        self.procs.insert(host, child);
        self.proc(parent).children.push(host);
        Ok(())
    }

    /// Host pid of the process that `pid` names in namespace `ns`.
    fn resolve(&self, ns: usize, pid: u32) -> Option<u32> {
        self.namespaces[ns].pids.get(&pid).copied()
    }

    fn wait(&mut self, pid: u32, target: WaitTarget, nohang: bool) -> Result<(), Refused> {
        let waiter = self.actor(Pid(pid))?;
        if waiter.children.is_empty() {
            return Err(Refused::NoChildren);
        }
        let target = match target {
            WaitTarget::Any => None,
            WaitTarget::Pid(local) => {
                let host = self
                    .resolve(waiter.ns, local.0)
                    .filter(|host| waiter.children.contains(host))
                    .ok_or(Refused::NotAChild)?;
                Some(host)
            }
        };
        let zombie = self.procs[&pid]
            .children
            .iter()
            .copied()
            .filter(|child| target.is_none_or(|t| t == *child))
            .find(|child| matches!(self.procs[child].life, Life::Zombie(_)));
        match zombie {
            Some(child) => self.release(child),
            None if nohang => {}
            None => self.proc(pid).waiting = Some(target),
        }
        Ok(())
    }

    fn kill(&mut self, sender: u32, target: u32, signal: Signal) -> Result<(), Refused> {
        let from = self.actor(Pid(sender))?;
        if matches!(signal, Signal::SIGSTOP | Signal::SIGCONT) || signal.is_fault() {
            return Err(Refused::OutOfScope);
        }
        // K9: only its own namespace and those below.
        let host = self.resolve(from.ns, target).ok_or(Refused::NotVisible)?;
        let from_above =
            self.namespaces[self.procs[&host].ns].level > self.namespaces[from.ns].level;
        let to = &self.procs[&host];
        if !to.running() {
            return Ok(());
        }
        let handled = to.handled.contains(&signal);
        let ignored = to.ignored.contains(&signal);
        // K17: an init drops what it has no handler for, but SIGKILL from an ancestor namespace.
        let is_init = to.pids.last() == Some(&1);
        let default = !handled && !ignored;
        let killed_from_above = from_above && signal == Signal::SIGKILL;
        if is_init && default && !killed_from_above {
            return Ok(());
        }
        let terminates =
            signal == Signal::SIGKILL || (!handled && !ignored && signal != Signal::SIGCHLD);
        if terminates {
            self.exit(host, Ended::Signal(signal));
        }
        Ok(())
    }

    /// The process ends (K11–K15, K19).
    fn exit(&mut self, pid: u32, how: Ended) {
        let ns = self.procs[&pid].ns;
        let process = self.proc(pid);
        process.life = Life::Exiting(how);
        process.waiting = None;
        if self.namespaces[ns].init == Some(pid) {
            self.init_dies(pid, ns);
            // It leaves only once every other process of its namespace is gone.
            if self.namespaces[ns].pids.len() > 1 {
                self.namespaces[ns].init_waits = true;
                return;
            }
        } else {
            self.orphan_children(pid);
        }
        self.tell_parent(pid);
    }

    /// K19: the namespace takes no new process, its init ignores SIGCHLD from now on, every
    /// other process with a pid in it is killed (lowest pid first), and its init collects the
    /// zombies it already had.
    fn init_dies(&mut self, init: u32, ns: usize) {
        self.namespaces[ns].accepting = false;
        let process = self.proc(init);
        process.handled.remove(&Signal::SIGCHLD);
        process.ignored.insert(Signal::SIGCHLD);
        let victims: Vec<u32> = self.namespaces[ns].pids.values().copied().collect();
        for victim in victims {
            if self.procs.get(&victim).is_some_and(Proc::running) {
                self.exit(victim, Ended::Signal(Signal::SIGKILL));
            }
        }
        while let Some(zombie) = self.procs[&init]
            .children
            .iter()
            .copied()
            .find(|child| matches!(self.procs[child].life, Life::Zombie(_)))
        {
            self.release(zombie);
        }
    }

    /// K12, K13: the children go to the nearest living subreaper among the ancestors in the
    /// same pid namespace, else to the namespace's init; adopted zombies tell their new parent
    /// at once (K14).
    fn orphan_children(&mut self, father: u32) {
        let children = std::mem::take(&mut self.proc(father).children);
        if children.is_empty() {
            return;
        }
        let ns = self.procs[&father].ns;
        let mut reaper = None;
        let mut ancestor = self.procs[&father].parent;
        while let Some(candidate) = self.procs.get(&ancestor).filter(|p| p.ns == ns) {
            if candidate.subreaper && candidate.running() {
                reaper = Some(ancestor);
                break;
            }
            ancestor = candidate.parent;
        }
        let reaper = reaper
            .or(self.namespaces[ns].init)
            .filter(|pid| self.procs.contains_key(pid))
            .unwrap_or(1);
        for child in children {
            self.proc(child).parent = reaper;
            self.proc(reaper).children.push(child);
            if matches!(self.procs[&child].life, Life::Zombie(_)) {
                self.zombie_for(child, reaper);
            }
        }
    }

    /// The exited process becomes a zombie for its parent, or goes at once (K11, K15).
    fn tell_parent(&mut self, pid: u32) {
        let (Life::Exiting(how) | Life::Zombie(how)) = self.procs[&pid].life else {
            unreachable!("only an exited process tells its parent");
        };
        self.proc(pid).life = Life::Zombie(how);
        let parent = self.procs[&pid].parent;
        if self.procs.contains_key(&parent) {
            self.zombie_for(pid, parent);
        }
    }

    /// A zombie `child` of `parent`: released if it wants none (K14, K15), taken if it waits (K16).
    fn zombie_for(&mut self, child: u32, parent: u32) {
        let parent_process = &self.procs[&parent];
        if parent_process.wants_no_zombies() {
            self.release(child);
            return;
        }
        if let Some(target) = parent_process.waiting {
            if parent_process.running() && target.is_none_or(|t| t == child) {
                self.proc(parent).waiting = None;
                self.release(child);
            }
        }
    }

    /// The zombie leaves: its pids are free again; a parent blocked in a wait that can no
    /// longer be satisfied gets ECHILD (K15); a dying init that waited for its namespace to
    /// empty can finish (K19).
    fn release(&mut self, pid: u32) {
        let process = self.procs.remove(&pid).expect("released once");
        if let Some(parent) = self.procs.get_mut(&process.parent) {
            parent.children.retain(|&child| child != pid);
            if let Some(target) = parent.waiting {
                let left = parent
                    .children
                    .iter()
                    .any(|&child| target.is_none_or(|t| t == child));
                if !left {
                    parent.waiting = None;
                }
            }
        }
        let chain = self.chain(process.ns);
        let mut finished = Vec::new();
        for (&ns, &local) in chain.iter().zip(process.pids.iter().rev()) {
            let space = &mut self.namespaces[ns];
            space.pids.remove(&local);
            if space.init == Some(pid) {
                space.init = None;
            }
            if space.init_waits && space.pids.len() == 1 {
                space.init_waits = false;
                finished.extend(space.init);
            }
        }
        for init in finished {
            self.tell_parent(init);
        }
    }
}
