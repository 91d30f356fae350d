//! A master of workers, as nginx's is: it forks its workers at start (without exec, so they run
//! its code and keep its handlers), passes a signal it exits on to them and exits 0 once it has
//! reaped the last (`ngx_master_process_cycle`), forks a new worker for one that died while it
//! was not shutting down (`ngx_reap_children`), and on SIGHUP starts new workers and tells the
//! old ones to finish with SIGQUIT (`ngx_reconfigure`).

use super::known::Measured;
use super::Program;
use crate::event::Event;
use crate::ns::NsKinds;
use crate::outcome::Outcome;
use crate::pod::error::PodError;
use crate::pod::Node;
use crate::process::Pid;
use crate::signal::Signal;

impl Node {
    /// Forks the workers the table gives `program`, after its set-up in `exec`.
    pub(super) fn start_workers(&mut self, master: Pid, program: &Program) -> Result<(), PodError> {
        let count = Measured::find(&program.comm).map_or(0, |known| known.workers);
        for _ in 0..count {
            self.fork_worker(master)?;
        }
        Ok(())
    }

    /// One fork, without the reactions `apply` runs: the reaction loop runs them.
    fn fork_worker(&mut self, master: Pid) -> Result<Vec<Outcome>, PodError> {
        let outcomes = self.apply_one(Event::Fork {
            pid: master,
            new: NsKinds::EMPTY,
        })?;
        if let Some(worker) = outcomes.iter().find_map(|outcome| match outcome {
            Outcome::Forked { parent, child, .. } if *parent == master => Some(*child),
            _ => None,
        }) {
            self.workers.insert(worker, master);
        }
        Ok(outcomes)
    }

    /// SIGHUP: new workers first, then SIGQUIT to the old ones, which the master no longer
    /// counts as its workers (it will not replace them when they exit).
    pub(super) fn reload(&mut self, master: Pid) -> Result<Vec<Outcome>, PodError> {
        let old = self.live_workers(master);
        let comm = self
            .programs
            .get(&master)
            .map(|program| program.comm.clone())
            .unwrap_or_default();
        let count = Measured::find(&comm).map_or(0, |known| known.workers);
        let mut all = Vec::new();
        for _ in 0..count {
            all.extend(self.fork_worker(master)?);
        }
        for worker in old {
            self.workers.remove(&worker);
            let Ok(target) = self.world.pid_seen_by(master, worker) else {
                continue;
            };
            all.extend(self.apply_one(Event::Kill {
                pid: master,
                target,
                signal: Signal::SIGQUIT,
            })?);
        }
        Ok(all)
    }

    /// `master`'s workers that have not exited.
    pub(super) fn live_workers(&self, master: Pid) -> Vec<Pid> {
        self.workers
            .iter()
            .filter(|(worker, of)| **of == master && self.world.is_alive(**worker))
            .map(|(worker, _)| *worker)
            .collect()
    }

    /// The master passes `signal` to each worker (kill(2), pids as it sees them) and waits.
    pub(super) fn drain(&mut self, master: Pid, signal: Signal) -> Result<Vec<Outcome>, PodError> {
        self.draining.insert(master, signal);
        let mut all = Vec::new();
        for worker in self.live_workers(master) {
            let Ok(target) = self.world.pid_seen_by(master, worker) else {
                continue;
            };
            all.extend(self.apply_one(Event::Kill {
                pid: master,
                target,
                signal,
            })?);
        }
        Ok(all)
    }

    /// The master reaped worker `dead`: shutting down, it exits 0 once none is left; otherwise
    /// it forks a replacement. A master that is itself gone does neither.
    pub(super) fn worker_reaped(
        &mut self,
        master: Pid,
        dead: Pid,
    ) -> Result<Vec<Outcome>, PodError> {
        self.workers.remove(&dead);
        if !self.world.is_alive(master) {
            return Ok(Vec::new());
        }
        if self.draining.get(&master).is_some() {
            if self.live_workers(master).is_empty() {
                return self.apply_one(Event::Exit {
                    pid: master,
                    code: 0,
                });
            }
            return Ok(Vec::new());
        }
        self.fork_worker(master)
    }
}
