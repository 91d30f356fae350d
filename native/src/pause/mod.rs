//! A drop-in for Kubernetes' pause (build/pause/linux/pause.c, v3.10) that lets the kernel reap
//! for it, plus an init mode that runs and supervises a command.
//!
//! **Sandbox mode** (`pause`): the command line and signals of pause.c (K20): `-v` in any case
//! and position prints the version and exits 0; when not pid 1 it warns and goes on; SIGINT and
//! SIGTERM print `Shutting down, got signal: …` and exit 0. Unlike pause.c it sets SIGCHLD to
//! `SIG_IGN`, so the kernel releases every orphan that lands on it at once, an adopted zombie
//! included (K14, K15): reaping costs pause no CPU time and no wakeup. It then sleeps in
//! `sigwait` for SIGINT or SIGTERM, blocked, so it makes no syscall while idle; blocked signals
//! are never dropped, even at pid 1 without a handler (kernel/signal.c `sig_ignored`).
//!
//! **Init mode** (`pause [-g] [--verbose] -- CMD [ARGS…]`): the job of tini or catatonit. It
//! starts CMD in its own process group, forwards every catchable signal to it (to the whole
//! group with `-g`), reaps every orphan, and exits with CMD's status (128+n if signal n killed
//! it; 127 if CMD is not found, 126 if it cannot be run). When it is not pid 1 it becomes a
//! child subreaper (K13) so that orphans still come to it.
//!
//! Size matters here (a static build must stay under 390 kB), so errors carry
//! `std::io::Error` sources rather than `nix::Error`: nix's `Display` for errno brings its own
//! table of names and descriptions, while `io::Error` uses the C library's `strerror`, which is
//! linked anyway.

pub mod cli;
pub mod init;
pub mod sandbox;

/// What `pause -v` prints.
pub const VERSION_LINE: &str = concat!(
    "pause.c v3.10 (pauselab pause ",
    env!("CARGO_PKG_VERSION"),
    ")"
);

/// The usage text.
pub const USAGE: &str = "\
usage: pause            hold a pod's namespaces; SIGINT or SIGTERM ends it
       pause -v         print the version
       pause [-g] [--verbose] -- CMD [ARGS...]
                        run CMD as its init: forward signals (to its process group with -g),
                        reap orphans, exit with CMD's status";

/// The words `psignal(3)` uses, which pause.c prints on shutdown.
pub fn describe(signal: nix::sys::signal::Signal) -> &'static str {
    use nix::sys::signal::Signal;
    match signal {
        Signal::SIGINT => "Interrupt",
        Signal::SIGTERM => "Terminated",
        Signal::SIGHUP => "Hangup",
        Signal::SIGQUIT => "Quit",
        Signal::SIGUSR1 => "User defined signal 1",
        Signal::SIGUSR2 => "User defined signal 2",
        other => other.as_str(),
    }
}
