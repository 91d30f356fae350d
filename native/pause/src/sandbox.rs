//! Sandbox mode: hold the namespaces, let the kernel reap, wake only to shut down.

use libc::c_int;

use crate::sys::{self, bit, Reaped};
use crate::{say, Failure};

/// Runs sandbox mode until SIGINT or SIGTERM, which it returns.
pub fn run() -> Result<c_int, Failure> {
    let shutdown = bit(libc::SIGINT) | bit(libc::SIGTERM);
    let failed = |step| move |errno| Failure { step, errno };
    // Blocked before anything else, so a SIGTERM that arrives early waits for the wait.
    sys::block(shutdown).map_err(failed("blocking SIGINT and SIGTERM"))?;
    if sys::getpid() != 1 {
        // Not an error: pause.c says the same and goes on.
        say::error(&["Warning: pause should be the first process\n"]);
    }
    sys::set_disposition(libc::SIGCHLD, None).map_err(failed("setting SIGCHLD to SIG_IGN"))?;
    // SIG_IGN does not release zombies that existed before it was set (K15): collect those.
    while let Reaped::Child(..) =
        sys::reap_one().map_err(failed("reaping the zombies already present"))?
    {}
    loop {
        match sys::wait_signal(shutdown) {
            Ok(signal) => return Ok(signal),
            Err(libc::EINTR) => {}
            Err(errno) => return Err(failed("waiting for SIGINT or SIGTERM")(errno)),
        }
    }
}
