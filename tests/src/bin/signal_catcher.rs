//! `signal-catcher [--exit-on-term]`: blocks every signal it can (1–64, the C library's
//! internal real-time ones too), says `ready`, then prints the number of each signal it takes,
//! one per line. With `--exit-on-term` it exits 0 on SIGTERM. For pause's init-mode tests: what
//! arrives here is what pause forwarded.

use std::io::Write;

fn main() {
    let exit_on_term = std::env::args().any(|a| a == "--exit-on-term");
    let all: u64 = u64::MAX;
    // SAFETY: both pointers are to live u64s of the kernel's sigset size (8 bytes).
    let blocked = unsafe {
        nix::libc::syscall(
            nix::libc::SYS_rt_sigprocmask,
            nix::libc::SIG_BLOCK,
            &all as *const u64,
            std::ptr::null_mut::<u64>(),
            8usize,
        )
    };
    assert_eq!(blocked, 0, "blocking every signal");
    let mut out = std::io::stdout();
    let _ = writeln!(out, "ready");
    let _ = out.flush();
    loop {
        // SAFETY: the set is a live u64 of the kernel's sigset size; info and timeout may be
        // null.
        let signal = unsafe {
            nix::libc::syscall(
                nix::libc::SYS_rt_sigtimedwait,
                &all as *const u64,
                std::ptr::null_mut::<nix::libc::siginfo_t>(),
                std::ptr::null::<nix::libc::timespec>(),
                8usize,
            )
        };
        if signal <= 0 {
            continue;
        }
        let _ = writeln!(out, "{signal}");
        let _ = out.flush();
        if exit_on_term && signal == i64::from(nix::libc::SIGTERM) {
            std::process::exit(0);
        }
    }
}
