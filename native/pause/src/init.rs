//! Init mode: run a command as its pid 1, forward signals, reap orphans, pass its status on.

use libc::c_int;

use crate::cli::InitOptions;
use crate::sys::{self, bit, Cloned, Forked, Mask, Reaped, LAST_SIGNAL};
use crate::{say, Args, Failure};

/// Exit status when the command cannot be found (as shells report it).
pub const NOT_FOUND: i32 = 127;
/// Exit status when the command exists but cannot be run.
pub const NOT_EXECUTABLE: i32 = 126;

/// Signals the CPU raises for the faulting thread itself: never blocked, never forwarded.
const FAULTS: [c_int; 6] = [
    libc::SIGSEGV,
    libc::SIGBUS,
    libc::SIGILL,
    libc::SIGFPE,
    libc::SIGTRAP,
    libc::SIGSYS,
];

/// What a terminal sends a background process group that reads from it or sets it: pause
/// ignores them, so that it never stops, and does not forward them.
const TERMINAL_STOPS: [c_int; 2] = [libc::SIGTTIN, libc::SIGTTOU];

/// How many times pause gives the CPU away while the kernel releases the command (a few
/// microseconds each), before it gives up.
const RELEASE_TRIES: u32 = 1_000_000;

/// Every signal pause waits for: all that can be caught, real-time ones included, but the
/// faults and the terminal's stops. (SIGKILL and SIGSTOP cannot be blocked at all.)
fn waited() -> Mask {
    let mut mask: Mask = (1..=LAST_SIGNAL).fold(0, |mask, signal| mask | bit(signal));
    for signal in FAULTS
        .into_iter()
        .chain(TERMINAL_STOPS)
        .chain([libc::SIGKILL, libc::SIGSTOP])
    {
        mask &= !bit(signal);
    }
    mask
}

/// Runs the command and returns the exit status pause should end with.
pub fn run(args: &Args, options: &InitOptions) -> Result<i32, Failure> {
    let failed = |step| move |errno| Failure { step, errno };
    let name = args.get(options.command).map(sys::text).unwrap_or("?");
    // tini's -v (a verbosity above its default of 1) says what pause does, in pause's words.
    let verbose = options.verbose || options.verbosity > 1;
    if let Some(signal) = options.parent_death {
        sys::set_parent_death_signal(signal).map_err(failed("setting -p"))?;
    }
    if sys::getpid() != 1 {
        // Best effort: without it (a kernel before 3.4, or an emulator) orphans go to pid 1.
        match sys::become_subreaper() {
            Ok(()) if verbose => say::error(&["pause: not pid 1: now a child subreaper (K13)\n"]),
            Ok(()) => {}
            Err(errno) => {
                let mut number = [0; 20];
                let [words, digits] = say::errno(errno, &mut number);
                say::error(&[
                    "pause: not pid 1, and cannot become a child subreaper (",
                    words,
                    digits,
                    "): orphans go to pid 1\n",
                ]);
            }
        }
    }
    // What the command must start with: the mask and dispositions pause was given.
    let terminal_stops = [
        sys::disposition(TERMINAL_STOPS[0]).map_err(failed("reading SIGTTIN's disposition"))?,
        sys::disposition(TERMINAL_STOPS[1]).map_err(failed("reading SIGTTOU's disposition"))?,
    ];
    for signal in TERMINAL_STOPS {
        sys::set_disposition(signal, None).map_err(failed("ignoring SIGTTIN and SIGTTOU"))?;
    }
    let waited = waited();
    // Blocked before the fork, so that no signal meant for the command is lost in between.
    // Without -w, on Linux 6.15 and later, SIGCHLD is ignored and left unblocked instead: the
    // kernel then releases each orphan that comes here at once (K15), and pause never wakes for
    // one; the command is released too, and its pidfd keeps how it ended (PIDFD_INFO_EXIT).
    let sigchld =
        sys::disposition(libc::SIGCHLD).map_err(failed("reading SIGCHLD's disposition"))?;
    let restored = Restored {
        mask: 0,
        terminal_stops,
        sigchld,
    };
    if !options.warn_reaped && sys::exit_info_works() {
        sys::set_disposition(libc::SIGCHLD, None).map_err(failed("ignoring SIGCHLD"))?;
        let without_chld = waited & !bit(libc::SIGCHLD);
        let inherited = sys::block(without_chld).map_err(failed("blocking signals"))?;
        let restored = Restored {
            mask: inherited,
            ..restored
        };
        match sys::clone_with_pidfd().map_err(failed("starting the command"))? {
            Cloned::Child => start_command(args, options.command, restored),
            Cloned::Parent(child, pidfd) => {
                let _ = sys::setpgid(child, child);
                if verbose {
                    say::error(&["pause: started ", name, "\n"]);
                }
                let status = supervise_pidfd(child, pidfd, options.group, without_chld)?;
                return Ok(options.exit_status(status));
            }
        }
    }
    if verbose && !options.warn_reaped {
        say::error(&["pause: no pidfd exits: reaping each child\n"]);
    }
    let inherited = sys::block(waited).map_err(failed("blocking signals"))?;
    let restored = Restored {
        mask: inherited,
        ..restored
    };
    let child = match sys::fork().map_err(failed("starting the command"))? {
        Forked::Child => start_command(args, options.command, restored),
        Forked::Parent(child) => child,
    };
    // Also from here, so that a forwarded signal never races the child's own setpgid. EACCES
    // means the child has exec'd already, after doing it itself.
    let _ = sys::setpgid(child, child);
    if verbose {
        say::error(&["pause: started ", name, "\n"]);
    }
    let warn = options.warn_reaped && options.verbosity > 0;
    let status = supervise(child, options.group, waited, warn)?;
    Ok(options.exit_status(status))
}

/// tini's line prefix for its level (`[INFO  tini (1)] `), with pause's name.
fn tini_prefix<'a>(level: &'a str, pid: &'a mut [u8; 20]) -> [&'a str; 4] {
    let pid = say::decimal(sys::getpid().unsigned_abs().into(), pid);
    [level, " pause (", pid, ")] "]
}

/// What the command gets back of what pause was started with.
#[derive(Clone, Copy)]
struct Restored {
    mask: Mask,
    terminal_stops: [sys::Disposition; 2],
    sigchld: sys::Disposition,
}

/// In the child: its own process group, the terminal's foreground when there is one, the
/// signal mask and dispositions pause inherited, then the command.
fn start_command(args: &Args, command: usize, restored: Restored) -> ! {
    let _ = sys::setpgid(0, 0);
    if sys::stdin_is_a_terminal() {
        // Allowed from a background group because SIGTTOU is still blocked here. Not a
        // terminal after all (ENOTTY), or not ours: the command runs without it.
        let _ = sys::give_terminal_to(sys::getpid());
    }
    for (signal, disposition) in TERMINAL_STOPS.into_iter().zip(restored.terminal_stops) {
        let _ = sys::set_disposition(signal, Some(disposition));
    }
    let _ = sys::set_disposition(libc::SIGCHLD, Some(restored.sigchld));
    let _ = sys::set_mask(restored.mask);
    let errno = sys::exec(args.tail(command));
    let name = args.get(command).map(sys::text).unwrap_or("?");
    let mut number = [0; 20];
    let [words, digits] = say::errno(errno, &mut number);
    say::error(&["pause: cannot run ", name, ": ", words, digits, "\n"]);
    sys::exit_now(if errno == libc::ENOENT {
        NOT_FOUND
    } else {
        NOT_EXECUTABLE
    })
}

fn supervise(child: libc::pid_t, group: bool, waited: Mask, warn: bool) -> Result<i32, Failure> {
    loop {
        let signal = match sys::wait_signal(waited) {
            Ok(signal) => signal,
            Err(libc::EINTR) => continue,
            Err(errno) => {
                return Err(Failure {
                    step: "waiting for signals",
                    errno,
                })
            }
        };
        if signal == libc::SIGCHLD {
            if let Some(status) = reap(child, warn)? {
                return Ok(status);
            }
            continue;
        }
        // A command that is gone (ESRCH) is reaped on the SIGCHLD that follows.
        let _ = sys::kill(if group { -child } else { child }, signal);
    }
}

/// Forwards signals until the command's pidfd says it has ended, then reads how it ended. No
/// SIGCHLD comes: the kernel releases orphans and the command alike.
fn supervise_pidfd(
    child: libc::pid_t,
    pidfd: libc::c_int,
    group: bool,
    waited: Mask,
) -> Result<i32, Failure> {
    let failed = |step| move |errno| Failure { step, errno };
    let signals = sys::signalfd(waited).map_err(failed("reading signals"))?;
    loop {
        let (signal, ended) = match sys::poll_two(signals, pidfd) {
            Ok(ready) => ready,
            Err(libc::EINTR) => continue,
            Err(errno) => return Err(failed("waiting for signals")(errno)),
        };
        if ended {
            // Readable at its exit; its exit is kept once the kernel has released it, a moment
            // later.
            for _ in 0..RELEASE_TRIES {
                match sys::exit_info(pidfd) {
                    Ok(Some(ended)) => return Ok(ended),
                    Ok(None) => sys::yield_now(),
                    Err(errno) => return Err(failed("reading the command's status")(errno)),
                }
            }
            return Err(failed("reading the command's status")(libc::ETIMEDOUT));
        }
        if signal {
            match sys::read_signal(signals) {
                // A command that is gone (ESRCH) shows on its pidfd next.
                // Through the pidfd: the command may be gone and its pid reused by now.
                Ok(signal) if !group => {
                    let _ = sys::pidfd_signal(pidfd, signal);
                }
                Ok(signal) => {
                    let _ = sys::kill(-child, signal);
                }
                Err(libc::EINTR | libc::EAGAIN) => {}
                Err(errno) => return Err(failed("reading signals")(errno)),
            }
        }
    }
}

/// Collects every zombie child; returns the command's exit status once it is among them. With
/// `warn` (tini's -w), says each other one on stderr in tini's words.
fn reap(child: libc::pid_t, warn: bool) -> Result<Option<i32>, Failure> {
    let mut status = None;
    loop {
        match sys::reap_one() {
            Ok(Reaped::Child(pid, code)) if pid == child => status = Some(code),
            Ok(Reaped::Child(pid, _)) if warn => {
                let (mut own, mut number) = ([0; 20], [0; 20]);
                let [a, b, c, d] = tini_prefix("[WARN ", &mut own);
                let pid = say::decimal(pid.unsigned_abs().into(), &mut number);
                say::error(&[a, b, c, d, "Reaped zombie process with pid=", pid, "\n"]);
            }
            Ok(Reaped::Child(..)) | Err(libc::EINTR) => {}
            Ok(Reaped::None | Reaped::NoChildren) => return Ok(status),
            Err(errno) => {
                return Err(Failure {
                    step: "reaping children",
                    errno,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catchable_signal_is_waited_for_but_faults_and_terminal_stops() {
        let mask = waited();
        for signal in 1..=LAST_SIGNAL {
            let expected = !FAULTS.contains(&signal)
                && !TERMINAL_STOPS.contains(&signal)
                && signal != libc::SIGKILL
                && signal != libc::SIGSTOP;
            assert_eq!(mask & bit(signal) != 0, expected, "signal {signal}");
        }
        assert!(
            mask & bit(34) != 0 && mask & bit(64) != 0,
            "real-time ones too"
        );
    }
}
