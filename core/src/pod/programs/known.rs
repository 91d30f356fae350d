//! The programs the scenarios name after real ones, as measured (K30): one table, from which
//! each program's dispositions, waiting and exit codes are made. `tests/cross/programs.rs` runs
//! every real binary (Debian's packages) as pid 1 of a fresh pid namespace and as a non-init
//! process, and checks this table and the model's answers against what the kernel shows.

use super::Program;
use crate::signal::Signal;

/// One real program as it was measured: started with every signal at its default action and an
/// empty mask, the masks `/proc/PID/status` shows while it waits, and what its handlers do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Measured {
    /// The command name.
    pub comm: &'static str,
    /// How it was run for the measurement (the wrapped command is `sleep 1000`).
    pub argv: &'static [&'static str],
    /// `SigBlk` (signals 1–31) while it waits.
    pub blocked: u32,
    /// `SigIgn`.
    pub ignored: u32,
    /// `SigCgt`.
    pub caught: u32,
    /// Signals it takes from a wait rather than a handler (sigtimedwait, sigwaitinfo): blocked
    /// all the time, but `SigBlk` shows them unblocked while it sleeps in sigtimedwait, which
    /// unblocks what it waits for. From the program's source.
    pub waited: u32,
    /// The caught signals whose handler makes it exit 0.
    pub exits_zero_on: &'static [Signal],
    /// It waits for any child (`waitpid(-1, …)`), so an orphan it adopts is reaped.
    pub reaps: bool,
    /// It forwards what it takes to its child and exits with its child's status.
    pub forwards: bool,
    /// Worker processes it forks at start, without exec (nginx's master, `worker_processes`):
    /// a signal it exits on goes to its workers first, and it exits once it has reaped them; a
    /// worker that dies otherwise is replaced by a new one.
    pub workers: u8,
    /// The official image's STOPSIGNAL, which the runtime sends to stop it (SIGTERM if unset).
    pub stop_signal: Signal,
    /// Where its behaviour is written.
    pub source: &'static str,
}

const fn bits(signals: &[Signal]) -> u32 {
    let mut mask = 0;
    let mut index = 0;
    while index < signals.len() {
        mask |= 1 << (signals[index].number() - 1);
        index += 1;
    }
    mask
}

/// Signals 1–31 but SIGKILL and SIGSTOP, which nothing can catch or block.
const CATCHABLE: u32 = 0x7fff_ffff & !bits(&[Signal::SIGKILL, Signal::SIGSTOP]);

/// The synchronous signals tini leaves unblocked so that a fault still kills it.
const TINI_UNBLOCKED: u32 = bits(&[
    Signal::SIGFPE,
    Signal::SIGILL,
    Signal::SIGSEGV,
    Signal::SIGBUS,
    Signal::SIGABRT,
    Signal::SIGTRAP,
    Signal::SIGSYS,
    Signal::SIGTTIN,
    Signal::SIGTTOU,
]);

/// Every program the scenarios may name after a real one.
pub const MEASURED: &[Measured] = &[
    Measured {
        comm: "pause",
        argv: &["pause"],
        // pause.c: handlers for SIGINT, SIGTERM and SIGCHLD (K20); pauselab's pause, which the
        // tests run, blocks INT and TERM and ignores SIGCHLD instead, to the same effect.
        blocked: 0,
        ignored: 0,
        caught: bits(&[Signal::SIGINT, Signal::SIGTERM, Signal::SIGCHLD]),
        waited: 0,
        exits_zero_on: &[Signal::SIGINT, Signal::SIGTERM],
        reaps: true,
        forwards: false,
        workers: 0,
        stop_signal: Signal::SIGTERM,
        source: "kubernetes build/pause/linux/pause.c",
    },
    Measured {
        comm: "nginx",
        argv: &["nginx", "-c", "nginx.conf"],
        blocked: 0,
        ignored: bits(&[Signal::SIGPIPE, Signal::SIGSYS]),
        // HUP, INT, QUIT, USR1, USR2, ALRM, TERM, CHLD, WINCH, IO (the master's signals[]).
        caught: 0x1801_6a07,
        waited: 0,
        // TERM and INT: fast shutdown; QUIT: graceful. Both end with exit 0.
        exits_zero_on: &[Signal::SIGINT, Signal::SIGQUIT, Signal::SIGTERM],
        reaps: true,
        forwards: false,
        // The measured conf's worker_processes 1 (the image's `auto` forks one per CPU).
        workers: 1,
        stop_signal: Signal::SIGQUIT,
        source: "nginx src/os/unix/ngx_process.c signals[], ngx_process_cycle.c (the master signals its workers and exits when none is left; ngx_reap_children respawns one that died); the nginx image's STOPSIGNAL SIGQUIT",
    },
    Measured {
        comm: "sh",
        argv: &["dash", "-c", "sleep 1000; true"],
        blocked: 0,
        ignored: 0,
        caught: bits(&[Signal::SIGINT, Signal::SIGCHLD]),
        waited: 0,
        exits_zero_on: &[],
        reaps: true,
        forwards: false,
        workers: 0,
        stop_signal: Signal::SIGTERM,
        source: "dash 0.5.12 (Debian's /bin/sh): a -c script of more than one command",
    },
    Measured {
        comm: "bash",
        argv: &["bash", "-c", "sleep 1000; true"],
        blocked: bits(&[Signal::SIGCHLD]),
        ignored: bits(&[Signal::SIGQUIT]),
        caught: bits(&[Signal::SIGINT, Signal::SIGCHLD]),
        waited: 0,
        exits_zero_on: &[],
        reaps: true,
        forwards: false,
        workers: 0,
        stop_signal: Signal::SIGTERM,
        source: "bash 5.2: a -c script of more than one command",
    },
    Measured {
        comm: "busybox",
        argv: &["busybox", "sh", "-c", "sleep 1000; true"],
        blocked: 0,
        ignored: bits(&[Signal::SIGQUIT]),
        caught: bits(&[Signal::SIGINT, Signal::SIGCHLD]),
        waited: 0,
        exits_zero_on: &[],
        reaps: true,
        forwards: false,
        workers: 0,
        stop_signal: Signal::SIGTERM,
        source: "busybox 1.35 ash: a -c script of more than one command",
    },
    Measured {
        comm: "sleep",
        argv: &["sleep", "1000"],
        blocked: 0,
        ignored: 0,
        caught: 0,
        waited: 0,
        exits_zero_on: &[],
        reaps: false,
        forwards: false,
        workers: 0,
        stop_signal: Signal::SIGTERM,
        source: "coreutils sleep: no handlers",
    },
    Measured {
        comm: "tini",
        argv: &["tini", "--", "sleep", "1000"],
        blocked: 0,
        ignored: bits(&[Signal::SIGTTIN, Signal::SIGTTOU]),
        caught: 0,
        waited: CATCHABLE & !TINI_UNBLOCKED,
        exits_zero_on: &[],
        reaps: true,
        forwards: true,
        workers: 0,
        stop_signal: Signal::SIGTERM,
        source: "tini 0.19 tini.c: configure_signals, wait_and_forward_signal, reap_zombies",
    },
    Measured {
        comm: "dumb-init",
        argv: &["dumb-init", "sleep", "1000"],
        blocked: 0,
        ignored: 0,
        caught: CATCHABLE,
        waited: 0,
        exits_zero_on: &[],
        reaps: true,
        forwards: true,
        workers: 0,
        stop_signal: Signal::SIGTERM,
        source: "dumb-init 1.2.5 dumb-init.c: handle_signal, forward_signal",
    },
    Measured {
        comm: "catatonit",
        argv: &["catatonit", "--", "sleep", "1000"],
        blocked: 0x3ffb_fa07,
        ignored: 0,
        caught: 0,
        waited: 0x3ffb_fa07,
        exits_zero_on: &[],
        reaps: true,
        forwards: true,
        workers: 0,
        stop_signal: Signal::SIGTERM,
        source: "catatonit 0.1.7 catatonit.c: a signalfd over the blocked signals",
    },
];

impl Measured {
    /// The table's entry for a command name.
    pub fn find(comm: &str) -> Option<&'static Measured> {
        MEASURED.iter().find(|known| known.comm == comm)
    }

    /// Every signal the program takes, by a handler or from a wait.
    pub fn taken(&self) -> u32 {
        self.caught | self.blocked | self.waited
    }

    /// The program the model runs for it: a handler for every signal it takes (a blocked signal
    /// it waits for is no more dropped at pid 1 than a caught one, K17), `SIG_IGN` for the ones
    /// it ignores.
    pub fn program(&self) -> Program {
        let taken = self.taken();
        let chld = bits(&[Signal::SIGCHLD]);
        let listed = |mask: u32| -> Vec<Signal> {
            Signal::all()
                .filter(|s| mask & bits(&[*s]) != 0 && *s != Signal::SIGCHLD)
                .collect()
        };
        let exits = bits(self.exits_zero_on);
        Program {
            comm: self.comm.to_owned(),
            reaps: self.reaps,
            exits_on: self.exits_zero_on.to_vec(),
            catches: listed(taken & !exits),
            ignores: listed(self.ignored),
            ignores_sigchld: self.ignored & chld != 0,
            forwards: self.forwards,
            subreaper: false,
            forks: Vec::new(),
        }
    }
}

/// A program a scenario names after a real one that does not do what the real one does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotAsMeasured {
    /// The command name.
    pub comm: String,
}

impl std::fmt::Display for NotAsMeasured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} is a real program: give only its name (and what it runs), its behaviour comes from the measured table",
            self.comm
        )
    }
}

impl std::error::Error for NotAsMeasured {}

impl Program {
    /// The program as the model runs it: one named after a measured program gets the table's
    /// behaviour and keeps only the children it was given (what a shell or tini runs); one that
    /// gives itself other handlers is refused. A made-up name stays as written.
    pub fn resolved(&self) -> Result<Program, NotAsMeasured> {
        let Some(known) = Measured::find(&self.comm) else {
            return Ok(self.clone());
        };
        let table = known.program();
        let bare = Program {
            forks: self.forks.clone(),
            ..Program::named(&self.comm)
        };
        let own = Program {
            forks: Vec::new(),
            ..self.clone()
        };
        if *self != bare && own != table {
            return Err(NotAsMeasured {
                comm: self.comm.clone(),
            });
        }
        Ok(Program {
            forks: self.forks.clone(),
            ..table
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k30_every_entry_is_found_by_its_name_and_resolves_to_itself() {
        for known in MEASURED {
            assert_eq!(Measured::find(known.comm), Some(known));
            let program = known.program();
            assert_eq!(program.resolved(), Ok(program.clone()), "{}", known.comm);
            assert_eq!(Program::named(known.comm).resolved(), Ok(program));
        }
    }

    #[test]
    fn k30_a_real_name_with_made_up_handlers_is_refused_and_a_made_up_name_is_kept() {
        let tini_with_handler = Program {
            exits_on: vec![Signal::SIGTERM],
            ..Program::named("tini")
        };
        assert!(tini_with_handler.resolved().is_err());
        let app = Program {
            exits_on: vec![Signal::SIGTERM],
            ..Program::named("app")
        };
        assert_eq!(app.resolved(), Ok(app.clone()));
    }

    #[test]
    fn k30_nginx_takes_term_and_ignores_pipe() {
        let nginx = Measured::find("nginx").map(Measured::program);
        let nginx = nginx.expect("nginx is in the table");
        assert!(nginx.exits_on.contains(&Signal::SIGTERM));
        assert!(nginx.catches.contains(&Signal::SIGHUP));
        assert!(nginx.ignores.contains(&Signal::SIGPIPE));
        assert!(nginx.reaps && !nginx.forwards);
    }
}
