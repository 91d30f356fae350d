//! A drop-in for Kubernetes' pause (build/pause/linux/pause.c, v3.10) that lets the kernel reap
//! for it, plus an init mode that runs and supervises a command, like tini.
//!
//! **Sandbox mode** (`pause`): the command line and signals of pause.c (K20): `-v` in any case
//! and position prints the version and exits 0; when not pid 1 it warns and goes on; SIGINT and
//! SIGTERM print `Shutting down, got signal: …` and exit 0. Unlike pause.c it sets SIGCHLD to
//! `SIG_IGN`, so the kernel releases every orphan that lands on it at once, an adopted zombie
//! included (K14, K15): reaping costs pause no CPU time and no wakeup. It then sleeps in
//! `sigtimedwait` for SIGINT or SIGTERM, blocked, so it makes no syscall while idle; blocked
//! signals are never dropped, even at pid 1 without a handler (kernel/signal.c `sig_ignored`).
//!
//! **Init mode** (`pause [-g] [--verbose] -- CMD [ARGS…]`, and tini's `-s`, `-p`, `-v`, `-w`,
//! `-e`): the job of tini or docker-init. On Linux 6.15 and later it ignores SIGCHLD, so that
//! the kernel releases each orphan that comes to it (no wakeup, no CPU), starts CMD with
//! `clone3(CLONE_PIDFD)` and reads how CMD ended from its pidfd once the kernel has released it
//! too (`PIDFD_INFO_EXIT`); with `-w`, or on an older kernel, it waits for each child as tini
//! does. It starts CMD in its own process group — the terminal's foreground group when stdin is a
//! terminal, so that CMD can read it and gets Ctrl-C — with the signal mask and dispositions
//! pause was started with; it forwards every signal that can be caught, real-time ones
//! included, to CMD (to its whole group with `-g`), reaps every orphan, and exits with CMD's
//! status (128+n if signal n killed it; 127 if CMD is not found, 126 if it cannot be run). When
//! it is not pid 1 it becomes a child subreaper (K13), so that orphans still come to it.
//!
//! `pause --version` (or `-V`) prints the version and exits 0: dockerd runs `--init-path
//! --version` when it starts and waits for the answer.
//!
//! Size: the image's binary must be small, so nothing here formats with `std::fmt` (no
//! `format!`, no `Display`): messages are bytes written to stderr, numbers are written by hand,
//! and the C library's `strerror` and `strsignal` give the words. Signals are raw numbers,
//! never a Rust enum, so that no signal the kernel can send is one pause cannot name.

#![forbid(unsafe_op_in_unsafe_fn)]

mod args;
pub mod cli;
mod init;
mod sandbox;
mod say;
mod sys;

pub use args::Args;

/// What `pause -v` and `pause --version` print.
pub const VERSION_LINE: &str = concat!(
    "pause.c v3.10 (pauselab pause ",
    env!("CARGO_PKG_VERSION"),
    ")\n"
);

/// The usage text.
pub const USAGE: &str = "\
usage: pause            hold a pod's namespaces; SIGINT or SIGTERM ends it
       pause -v         print the version (also -V, --version)
       pause [-gsvw] [-e CODE] [-p SIGNAL] [--verbose] -- CMD [ARGS...]
                        run CMD as its init, as tini does
";

/// Runs pause with its arguments; returns its exit status.
pub fn run(args: &Args) -> i32 {
    let environment = cli::Environment {
        kill_process_group: sys::env_is_set(c"TINI_KILL_PROCESS_GROUP"),
        verbosity: sys::env_number(c"TINI_VERBOSITY"),
    };
    match cli::parse_with(args, &environment) {
        Err(error) => {
            say::error(&[error.message(), "\n", USAGE]);
            error.status()
        }
        Ok(cli::Mode::Version) => {
            say::out(VERSION_LINE);
            0
        }
        Ok(cli::Mode::Help) => {
            say::out(USAGE);
            0
        }
        Ok(cli::Mode::Sandbox) => match sandbox::run() {
            Ok(signal) => {
                // pause.c's psignal(3) line.
                say::error(&[
                    "Shutting down, got signal: ",
                    sys::signal_words(signal),
                    "\n",
                ]);
                0
            }
            Err(failure) => {
                failure.report();
                1
            }
        },
        Ok(cli::Mode::Init(options)) => match init::run(args, &options) {
            Ok(status) => status,
            Err(failure) => {
                failure.report();
                1
            }
        },
    }
}

/// A step that failed, and the errno it failed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure {
    /// What pause was doing.
    pub step: &'static str,
    /// The errno.
    pub errno: i32,
}

impl Failure {
    /// `pause: <step>: <strerror>` on stderr.
    fn report(self) {
        let mut number = [0; 20];
        let [words, digits] = say::errno(self.errno, &mut number);
        say::error(&["pause: ", self.step, ": ", words, digits, "\n"]);
    }
}
