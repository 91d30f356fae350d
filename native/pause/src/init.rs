//! Init mode: run a command as its pid 1, forward signals, reap orphans, pass its status on.

use libc::c_int;

use crate::cli::InitOptions;
use crate::sys::{self, bit, Forked, Mask, Reaped, LAST_SIGNAL};
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
    if sys::getpid() != 1 {
        // Best effort: without it (a kernel before 3.4, or an emulator) orphans go to pid 1.
        match sys::become_subreaper() {
            Ok(()) if options.verbose => say::error(&[
                "pause: not pid 1: now a child subreaper, so orphans still come here (K13)\n",
            ]),
            Ok(()) => {}
            Err(errno) => {
                let mut number = [0; 20];
                let [words, digits] = say::errno(errno, &mut number);
                say::error(&[
                    "pause: not pid 1, and cannot become a child subreaper (",
                    words,
                    digits,
                    "): orphans will go to pid 1\n",
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
    let inherited = sys::block(waited).map_err(failed("blocking signals"))?;

    let child = match sys::fork().map_err(failed("starting the command"))? {
        Forked::Child => start_command(args, options.command, inherited, terminal_stops),
        Forked::Parent(child) => child,
    };
    // Also from here, so that a forwarded signal never races the child's own setpgid. EACCES
    // means the child has exec'd already, after doing it itself.
    let _ = sys::setpgid(child, child);
    if options.verbose {
        say::error(&["pause: started ", name, "\n"]);
    }
    supervise(child, options.group, waited)
}

/// In the child: its own process group, the terminal's foreground when there is one, the
/// signal mask and dispositions pause inherited, then the command.
fn start_command(
    args: &Args,
    command: usize,
    inherited: Mask,
    terminal_stops: [sys::Disposition; 2],
) -> ! {
    let _ = sys::setpgid(0, 0);
    if sys::stdin_is_a_terminal() {
        // Allowed from a background group because SIGTTOU is still blocked here. Not a
        // terminal after all (ENOTTY), or not ours: the command runs without it.
        let _ = sys::give_terminal_to(sys::getpid());
    }
    for (signal, disposition) in TERMINAL_STOPS.into_iter().zip(terminal_stops) {
        let _ = sys::set_disposition(signal, Some(disposition));
    }
    let _ = sys::set_mask(inherited);
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

fn supervise(child: libc::pid_t, group: bool, waited: Mask) -> Result<i32, Failure> {
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
            if let Some(status) = reap(child)? {
                return Ok(status);
            }
            continue;
        }
        // A command that is gone (ESRCH) is reaped on the SIGCHLD that follows.
        let _ = sys::kill(if group { -child } else { child }, signal);
    }
}

/// Collects every zombie child; returns the command's exit status once it is among them.
fn reap(child: libc::pid_t) -> Result<Option<i32>, Failure> {
    let mut status = None;
    loop {
        match sys::reap_one() {
            Ok(Reaped::Child(pid, code)) if pid == child => status = Some(code),
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
