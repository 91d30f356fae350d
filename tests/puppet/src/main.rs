//! `puppet`: a process for the tests' real pods that behaves like one of the model's programs
//! (`pauselab_core::pod::Program`) and does what the test tells it, so that a scenario's kernel
//! events — fork, exit, kill — happen on a real node, done by the process the scenario names.
//!
//! ```text
//! puppet --as NAME --comm COMM [--reaps] [--exits-on SIG,SIG] [--catches SIG,SIG]
//!        [--ignores SIG,SIG] [--ignores-sigchld] [--subreaper] [--forwards] [--workers N]
//! puppet --probe        (an exec probe: starts a helper and exits before it)
//! ```
//!
//! It names itself COMM (what `ps` shows), then reads commands, one per line, from the FIFO
//! `/run/puppet/NAME`, which the test writes from the host (the folder is a bind mount):
//!
//! ```text
//! fork NAME COMM [pid] [exec]
//!                        fork (with `pid`: into a new pid namespace, like clone(CLONE_NEWPID));
//!                        the child serves /run/puppet/NAME; with `exec` it behaves as a new
//!                        program would after execve: its handlers are back to SIG_DFL
//!                        (ignored signals stay ignored), like the model's `Exec`
//! exit CODE              _exit(CODE)
//! kill PID SIGNAL        kill(2), PID as this process sees it
//! ```
//!
//! A fork copies the program (handlers, SIGCHLD policy), as the model's does. With
//! `--forwards` (tini, dumb-init, catatonit) every signal of `--catches` is passed on to its
//! first child, and it exits with that child's status once it reaps it. With `--workers N`
//! (nginx's master) it forks N workers at start, without exec: a signal of `--exits-on` goes to
//! the workers first and it exits 0 once it has reaped the last; a worker that dies otherwise
//! is replaced; SIGHUP forks new workers and sends SIGQUIT to the old ones. A worker runs the
//! same handlers and sleeps.

#![deny(unsafe_op_in_unsafe_fn)]

use std::ffi::CString;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// The first child a forwarding program started: the one it forwards to and exits with.
static FIRST_CHILD: AtomicI32 = AtomicI32::new(0);
/// Whether this process forwards (set once, before any handler is installed).
static FORWARDS: AtomicBool = AtomicBool::new(false);

/// Most workers a master keeps.
const MAX_WORKERS: usize = 8;
/// A master's live workers (0: a free slot). A worker's own array is empty.
static WORKERS: [AtomicI32; MAX_WORKERS] = [const { AtomicI32::new(0) }; MAX_WORKERS];
/// How many workers this master keeps (0: not a master).
static WORKER_COUNT: AtomicI32 = AtomicI32::new(0);
/// The master took a signal it exits on: it exits once no worker is left.
static DRAINING: AtomicBool = AtomicBool::new(false);
/// The FIFO a worker forked by a handler must not hold (-1: none open yet).
static FIFO: AtomicI32 = AtomicI32::new(-1);

/// Where the FIFOs are, inside the container.
const DIR: &str = "/run/puppet";

/// The program to behave like.
#[derive(Default)]
struct Program {
    name: String,
    comm: String,
    reaps: bool,
    exits_on: Vec<libc::c_int>,
    catches: Vec<libc::c_int>,
    ignores: Vec<libc::c_int>,
    ignores_sigchld: bool,
    subreaper: bool,
    forwards: bool,
    workers: usize,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--probe") {
        probe();
    }
    match parse(&args) {
        Ok(program) => {
            become_program(&program);
            serve(&program.name)
        }
        Err(message) => {
            eprintln!("puppet: {message}");
            ExitCode::from(2)
        }
    }
}

fn parse(args: &[String]) -> Result<Program, String> {
    let mut program = Program::default();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let mut value = || {
            words
                .next()
                .cloned()
                .ok_or_else(|| format!("{word} needs a value"))
        };
        match word.as_str() {
            "--as" => program.name = value()?,
            "--comm" => program.comm = value()?,
            "--reaps" => program.reaps = true,
            "--ignores-sigchld" => program.ignores_sigchld = true,
            "--subreaper" => program.subreaper = true,
            "--forwards" => program.forwards = true,
            "--exits-on" => program.exits_on = signals(&value()?)?,
            "--catches" => program.catches = signals(&value()?)?,
            "--ignores" => program.ignores = signals(&value()?)?,
            "--workers" => {
                program.workers = value()?
                    .parse()
                    .ok()
                    .filter(|n| *n <= MAX_WORKERS)
                    .ok_or_else(|| format!("--workers takes 0 to {MAX_WORKERS}"))?
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if program.name.is_empty() || program.name.contains('/') {
        return Err("--as NAME is needed, without a slash".into());
    }
    if program.comm.is_empty() {
        program.comm = program.name.clone();
    }
    Ok(program)
}

fn signals(list: &str) -> Result<Vec<libc::c_int>, String> {
    list.split(',')
        .map(|s| signal_number(s).ok_or_else(|| format!("unknown signal {s}")))
        .collect()
}

fn signal_number(name: &str) -> Option<libc::c_int> {
    let name = name.trim().trim_start_matches("SIG");
    Some(match name {
        "HUP" => libc::SIGHUP,
        "INT" => libc::SIGINT,
        "QUIT" => libc::SIGQUIT,
        "KILL" => libc::SIGKILL,
        "USR1" => libc::SIGUSR1,
        "USR2" => libc::SIGUSR2,
        "TERM" => libc::SIGTERM,
        "CHLD" => libc::SIGCHLD,
        number => number.parse().ok()?,
    })
}

/// Names the process (`/proc/PID/comm`, what `ps` shows).
fn set_comm(comm: &str) {
    let name = CString::new(comm).unwrap_or_default();
    // SAFETY: PR_SET_NAME reads a NUL-terminated string of at most 16 bytes from a live CString.
    unsafe { libc::prctl(libc::PR_SET_NAME, name.as_ptr()) };
}

extern "C" fn reap(_: libc::c_int) {
    let mut status = 0;
    loop {
        // SAFETY: waitpid is async-signal-safe and writes into a live int.
        let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
        if pid <= 0 {
            return;
        }
        if let Some(slot) = WORKERS
            .iter()
            .find(|slot| slot.load(Ordering::SeqCst) == pid)
        {
            slot.store(0, Ordering::SeqCst);
            if DRAINING.load(Ordering::SeqCst) {
                if live_workers() == 0 {
                    // SAFETY: _exit is async-signal-safe and never returns.
                    unsafe { libc::_exit(0) }
                }
            } else {
                fork_worker();
            }
            continue;
        }
        if FORWARDS.load(Ordering::SeqCst) && pid == FIRST_CHILD.load(Ordering::SeqCst) {
            let code = if libc::WIFSIGNALED(status) {
                128 + libc::WTERMSIG(status)
            } else {
                libc::WEXITSTATUS(status)
            };
            // SAFETY: _exit is async-signal-safe and never returns.
            unsafe { libc::_exit(code) }
        }
    }
}

extern "C" fn forward(signal: libc::c_int) {
    let child = FIRST_CHILD.load(Ordering::SeqCst);
    if child > 0 {
        // SAFETY: kill is async-signal-safe.
        unsafe { libc::kill(child, signal) };
    }
}

extern "C" fn carry_on(_: libc::c_int) {}

fn live_workers() -> usize {
    WORKERS
        .iter()
        .filter(|slot| slot.load(Ordering::SeqCst) != 0)
        .count()
}

/// Forks a worker into a free slot. The worker keeps the handlers (no exec), forgets the
/// master's workers, unblocks what a handler had blocked, and sleeps.
fn fork_worker() {
    let Some(slot) = WORKERS.iter().find(|slot| slot.load(Ordering::SeqCst) == 0) else {
        return;
    };
    // SAFETY: single-threaded; fork is async-signal-safe for such a process.
    let child = unsafe { libc::fork() };
    if child == 0 {
        WORKERS
            .iter()
            .for_each(|slot| slot.store(0, Ordering::SeqCst));
        WORKER_COUNT.store(0, Ordering::SeqCst);
        let fifo = FIFO.load(Ordering::SeqCst);
        // SAFETY: closing an inherited descriptor, emptying the mask, then sleeping for ever:
        // every call is async-signal-safe, and none touches memory but the live local set.
        unsafe {
            if fifo >= 0 {
                libc::close(fifo);
            }
            let mut none: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut none);
            libc::sigprocmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
            loop {
                libc::pause();
            }
        }
    }
    if child > 0 {
        slot.store(child, Ordering::SeqCst);
    }
}

/// A signal the program exits on: a master passes it to its workers and exits when the last
/// is reaped; a worker, or a master with none left, exits 0 at once.
extern "C" fn drain(signal: libc::c_int) {
    if live_workers() == 0 {
        // SAFETY: _exit is async-signal-safe and never returns.
        unsafe { libc::_exit(0) }
    }
    DRAINING.store(true, Ordering::SeqCst);
    for slot in &WORKERS {
        let pid = slot.load(Ordering::SeqCst);
        if pid != 0 {
            // SAFETY: kill is async-signal-safe.
            unsafe { libc::kill(pid, signal) };
        }
    }
}

/// SIGHUP to a master: new workers, then SIGQUIT to the old ones, no longer counted.
extern "C" fn reload(_: libc::c_int) {
    let mut previous = [0i32; MAX_WORKERS];
    for (slot, kept) in WORKERS.iter().zip(previous.iter_mut()) {
        *kept = slot.swap(0, Ordering::SeqCst);
    }
    for _ in 0..WORKER_COUNT.load(Ordering::SeqCst) {
        fork_worker();
    }
    for pid in previous.into_iter().filter(|pid| *pid != 0) {
        // SAFETY: kill is async-signal-safe.
        unsafe { libc::kill(pid, libc::SIGQUIT) };
    }
}

extern "C" fn exit_zero(_: libc::c_int) {
    // SAFETY: _exit is async-signal-safe and never returns.
    unsafe { libc::_exit(0) }
}

fn set_handler(signal: libc::c_int, handler: libc::sighandler_t) {
    // SAFETY: a zeroed sigaction is a valid "no flags, empty mask" value; the handler is a
    // function whose body is async-signal-safe, or SIG_DFL/SIG_IGN.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = handler;
        action.sa_flags = libc::SA_RESTART;
        libc::sigaction(signal, &action, std::ptr::null_mut());
    }
}

/// What execve does to signal dispositions: every handler back to SIG_DFL, SIG_IGN kept.
fn reset_handlers() {
    for signal in 1..32 {
        // SAFETY: a zeroed sigaction is a valid value to read into; a null new action only
        // queries. SIGKILL and SIGSTOP simply fail.
        let handled = unsafe {
            let mut old: libc::sigaction = std::mem::zeroed();
            libc::sigaction(signal, std::ptr::null(), &mut old) == 0
                && old.sa_sigaction != libc::SIG_DFL
                && old.sa_sigaction != libc::SIG_IGN
        };
        if handled {
            set_handler(signal, libc::SIG_DFL);
        }
    }
}

/// Handlers, SIGCHLD policy and subreaper flag of the model's program; everything else at the
/// kernel's defaults (Rust's runtime ignores SIGPIPE and catches SIGSEGV and SIGBUS).
fn become_program(program: &Program) {
    set_comm(&program.comm);
    for signal in [libc::SIGPIPE, libc::SIGSEGV, libc::SIGBUS] {
        set_handler(signal, libc::SIG_DFL);
    }
    if program.reaps {
        set_handler(
            libc::SIGCHLD,
            reap as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
    }
    if program.ignores_sigchld {
        set_handler(libc::SIGCHLD, libc::SIG_IGN);
    }
    FORWARDS.store(program.forwards, Ordering::SeqCst);
    let taken = if program.forwards {
        forward as extern "C" fn(libc::c_int) as libc::sighandler_t
    } else {
        carry_on as extern "C" fn(libc::c_int) as libc::sighandler_t
    };
    for &signal in &program.catches {
        set_handler(signal, taken);
    }
    for &signal in &program.ignores {
        set_handler(signal, libc::SIG_IGN);
    }
    let exits = if program.workers > 0 {
        drain as extern "C" fn(libc::c_int) as libc::sighandler_t
    } else {
        exit_zero as extern "C" fn(libc::c_int) as libc::sighandler_t
    };
    for &signal in &program.exits_on {
        set_handler(signal, exits);
    }
    if program.workers > 0 {
        set_handler(
            libc::SIGHUP,
            reload as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
        WORKER_COUNT.store(program.workers as i32, Ordering::SeqCst);
        for _ in 0..program.workers {
            fork_worker();
        }
    }
    if program.subreaper {
        // SAFETY: PR_SET_CHILD_SUBREAPER takes an integer flag.
        unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1) };
    }
}

/// Reads commands from its FIFO forever; every command that fails is said on stderr.
fn serve(name: &str) -> ExitCode {
    let path = format!("{DIR}/{name}");
    let c_path = CString::new(path.clone()).unwrap_or_default();
    // A FIFO from an earlier life of the same name (a restarted container) is replaced.
    // SAFETY: c_path is a live NUL-terminated string.
    unsafe {
        libc::unlink(c_path.as_ptr());
        if libc::mkfifo(c_path.as_ptr(), 0o600) != 0 {
            eprintln!("puppet: mkfifo {path}: {}", std::io::Error::last_os_error());
            return ExitCode::from(1);
        }
    }
    // Read and write: a writer closing never gives end of file, and an open by the test never
    // blocks while this process lives.
    // SAFETY: as above; open returns a new descriptor or -1.
    let fd = unsafe { libc::open(c_path.as_ptr(), libc::O_RDWR) };
    if fd < 0 {
        eprintln!("puppet: open {path}: {}", std::io::Error::last_os_error());
        return ExitCode::from(1);
    }
    FIFO.store(fd, Ordering::SeqCst);
    let mut line = Vec::new();
    loop {
        let mut byte = 0u8;
        // SAFETY: reads at most one byte into a live u8.
        let read = unsafe { libc::read(fd, (&mut byte as *mut u8).cast(), 1) };
        if read < 0 {
            if std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            return ExitCode::from(1);
        }
        if byte != b'\n' {
            line.push(byte);
            continue;
        }
        let command = String::from_utf8_lossy(&line).into_owned();
        line.clear();
        if let Err(message) = obey(fd, &command) {
            eprintln!("puppet {name}: {command}: {message}");
        }
    }
}

fn obey(fd: libc::c_int, command: &str) -> Result<(), String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    match words.as_slice() {
        ["fork", name, comm, rest @ ..] => {
            let new_pid = rest.contains(&"pid");
            let exec = rest.contains(&"exec");
            let flags = if new_pid { libc::CLONE_NEWPID } else { 0 };
            // A raw clone with no stack is fork, and CLONE_NEWPID makes only the child's pid
            // namespace new (unshare would also change this process's pid_for_children).
            // SAFETY: single-threaded; the child continues on a copy of this stack.
            let child = unsafe {
                libc::syscall(
                    libc::SYS_clone,
                    libc::c_long::from(libc::SIGCHLD | flags),
                    0,
                    0,
                    0,
                    0,
                )
            };
            match child {
                -1 => Err(std::io::Error::last_os_error().to_string()),
                0 => {
                    // SAFETY: the parent's FIFO is not the child's.
                    unsafe { libc::close(fd) };
                    set_comm(comm);
                    if exec {
                        reset_handlers();
                    }
                    // The child forwards to none of its own children until it starts one, and
                    // has no workers.
                    FIRST_CHILD.store(0, Ordering::SeqCst);
                    WORKERS
                        .iter()
                        .for_each(|slot| slot.store(0, Ordering::SeqCst));
                    WORKER_COUNT.store(0, Ordering::SeqCst);
                    if exec {
                        FORWARDS.store(false, Ordering::SeqCst);
                    }
                    let code = serve(name);
                    std::process::exit(if code == ExitCode::SUCCESS { 0 } else { 1 })
                }
                pid => {
                    let _ = FIRST_CHILD.compare_exchange(
                        0,
                        pid as i32,
                        Ordering::SeqCst,
                        Ordering::SeqCst,
                    );
                    Ok(())
                }
            }
        }
        ["exit", code] => {
            let code: i32 = code.parse().map_err(|_| format!("bad exit code {code}"))?;
            // SAFETY: _exit never returns.
            unsafe { libc::_exit(code) }
        }
        ["kill", pid, signal] => {
            let pid: i32 = pid.parse().map_err(|_| format!("bad pid {pid}"))?;
            let signal = signal_number(signal).ok_or_else(|| format!("bad signal {signal}"))?;
            // SAFETY: kill has no memory effects.
            if unsafe { libc::kill(pid, signal) } != 0 {
                return Err(std::io::Error::last_os_error().to_string());
            }
            Ok(())
        }
        _ => Err("unknown command".into()),
    }
}

/// An exec probe (K26): a helper that outlives the probe for a moment, then exits — orphaned
/// inside the container, so the container's pid 1 must reap it.
fn probe() -> ! {
    // SAFETY: single-threaded fork.
    let child = unsafe { libc::fork() };
    if child == 0 {
        set_comm("probe-helper");
        // SAFETY: getppid has no memory effects.
        let parent = unsafe { libc::getppid() };
        // Wait (bounded, 10 s) until the probe is gone, then exit.
        for _ in 0..10_000 {
            // SAFETY: as above.
            if unsafe { libc::getppid() } != parent {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        // SAFETY: _exit never returns.
        unsafe { libc::_exit(0) }
    }
    set_comm("probe");
    // SAFETY: _exit never returns.
    unsafe { libc::_exit(0) }
}
