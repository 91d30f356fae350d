//! `fidelity-runner`: plays a scenario of [`pauselab_tests::fidelity::Op`]s (JSON on stdin) as
//! real processes, one step at a time, in a fresh pid namespace, and prints the resulting
//! [`Run`] as JSON. Needs root. Single-threaded on purpose: its processes fork without exec.
//!
//! Every process runs the same small agent: it blocks reading commands from its own pipe (all
//! pipes are made before the first fork, so every descendant inherits them) and answers on one
//! shared pipe. The runner sends a step, waits for the answer, then waits until every process
//! has settled (asleep, a zombie, or gone) before the next step, so the order of events is the
//! scenario's.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sched::{unshare, CloneFlags};
use nix::sys::prctl;
use nix::sys::signal::{kill, sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::{fork, pipe, ForkResult, Pid};
use pauselab_tests::fidelity::{Answer, Op, Row, Run, Status};
use pauselab_tests::proc;

/// At most this many processes per scenario (one command pipe each).
const MAX_PROCESSES: usize = 48;

const FORK: u32 = 1;
const EXIT: u32 = 2;
const WAIT: u32 = 3;
const IGNORE: u32 = 4;
const SUBREAPER: u32 = 5;
const KILL: u32 = 6;
const FAULT: u32 = 7;

const DONE: u32 = 0;
const FORKED: u32 = 1;
const REAPED_EXITED: u32 = 2;
const REAPED_SIGNALED: u32 = 3;
const NO_ZOMBIE: u32 = 4;
const ERRNO: u32 = 5;

type Message = [u32; 4];

fn encode(message: Message) -> [u8; 16] {
    let mut bytes = [0; 16];
    for (chunk, value) in bytes.chunks_mut(4).zip(message) {
        chunk.copy_from_slice(&value.to_ne_bytes());
    }
    bytes
}

fn decode(bytes: [u8; 16]) -> Message {
    let mut message = [0; 4];
    for (value, chunk) in message.iter_mut().zip(bytes.chunks(4)) {
        *value = u32::from_ne_bytes(chunk.try_into().unwrap_or_default());
    }
    message
}

struct Pipes {
    commands: Vec<(File, File)>,
    answers: (File, File),
}

fn pipes() -> nix::Result<Pipes> {
    let pair = || pipe().map(|(r, w): (OwnedFd, OwnedFd)| (File::from(r), File::from(w)));
    Ok(Pipes {
        commands: (0..MAX_PROCESSES)
            .map(|_| pair())
            .collect::<nix::Result<_>>()?,
        answers: pair()?,
    })
}

fn errno_of(error: nix::Error) -> Message {
    [ERRNO, error as i32 as u32, 0, 0]
}

/// The agent every scenario process runs. Never returns.
fn agent(mut me: usize, pipes: &Pipes) -> ! {
    let mut answers = &pipes.answers.1;
    loop {
        let mut bytes = [0; 16];
        if (&pipes.commands[me].0).read_exact(&mut bytes).is_err() {
            std::process::exit(99);
        }
        let [kind, a, b, _] = decode(bytes);
        let answer = match kind {
            FORK => {
                let unshared = if a == 1 {
                    unshare(CloneFlags::CLONE_NEWPID)
                } else {
                    Ok(())
                };
                match unshared {
                    Err(error) => errno_of(error),
                    // SAFETY: the agent is single-threaded; the child goes on running this loop.
                    Ok(()) => match unsafe { fork() } {
                        Ok(ForkResult::Child) => {
                            me = b as usize;
                            continue;
                        }
                        Ok(ForkResult::Parent { child }) => [FORKED, child.as_raw() as u32, 0, 0],
                        Err(error) => errno_of(error),
                    },
                }
            }
            EXIT => std::process::exit(a as i32),
            WAIT => {
                let target = (a != 0).then(|| Pid::from_raw(a as i32));
                match waitpid(target, Some(WaitPidFlag::WNOHANG)) {
                    Ok(WaitStatus::Exited(pid, code)) => {
                        [REAPED_EXITED, pid.as_raw() as u32, code as u32, 0]
                    }
                    Ok(WaitStatus::Signaled(pid, signal, _)) => {
                        [REAPED_SIGNALED, pid.as_raw() as u32, signal as u32, 0]
                    }
                    Ok(_) => [NO_ZOMBIE, 0, 0, 0],
                    Err(error) => errno_of(error),
                }
            }
            IGNORE => {
                let ignore = SigAction::new(SigHandler::SigIgn, SaFlags::empty(), SigSet::empty());
                // SAFETY: SIG_IGN installs no handler function.
                match unsafe { sigaction(Signal::SIGCHLD, &ignore) } {
                    Ok(_) => [DONE, 0, 0, 0],
                    Err(error) => errno_of(error),
                }
            }
            SUBREAPER => match prctl::set_child_subreaper(true) {
                Ok(()) => [DONE, 0, 0, 0],
                Err(error) => errno_of(error),
            },
            KILL => match Signal::try_from(b as i32)
                .map(|signal| kill(Pid::from_raw(a as i32), signal))
            {
                Ok(Ok(())) => [DONE, 0, 0, 0],
                Ok(Err(error)) | Err(error) => errno_of(error),
            },
            FAULT => {
                // SAFETY: deliberately not safe: a write to address 0 makes the CPU fault, and
                // the kernel sends SIGSEGV to this process (K18). Nothing runs after it.
                unsafe { std::ptr::null_mut::<u8>().write_volatile(1) };
                std::process::exit(96)
            }
            _ => std::process::exit(98),
        };
        if answers.write_all(&encode(answer)).is_err() {
            std::process::exit(97);
        }
    }
}

/// Waits until every process is asleep, a zombie or gone, three times in a row (bounded: on a
/// loaded machine a woken process may wait its turn for a while). A process that has begun to
/// exit but is not a zombie yet is not settled, though it may sleep on the way (its exit can
/// take a while on a loaded machine), unless it stays so for long: a dying pid namespace init
/// sleeps until every process of its namespace is reaped (K19), which may be never.
fn settle(pids: &[u32]) {
    const STUCK_EXITING: Duration = Duration::from_millis(500);
    let start = Instant::now();
    let deadline = start + Duration::from_secs(10);
    let mut exiting_since: Vec<Option<Instant>> = vec![None; pids.len()];
    let mut states = || {
        let now = Instant::now();
        pids.iter()
            .zip(exiting_since.iter_mut())
            .map(|(pid, since)| {
                let state = proc::state(*pid);
                let exiting = state != Some('Z') && proc::exiting(*pid);
                *since = if exiting { since.or(Some(now)) } else { None };
                let settled = !exiting || since.is_some_and(|t| now - t >= STUCK_EXITING);
                (state, settled)
            })
            .collect::<Vec<_>>()
    };
    let mut stable = 0;
    let mut last = states();
    while stable < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
        let now = states();
        let quiet = now
            .iter()
            .all(|(s, settled)| *settled && matches!(s, None | Some('S' | 'Z')));
        stable = if quiet && now == last { stable + 1 } else { 0 };
        last = now;
    }
}

fn status_of(raw: u32) -> Status {
    if raw & 0x7f == 0 {
        Status::Exited((raw >> 8) as u8)
    } else {
        Status::Signaled((raw & 0x7f) as u8)
    }
}

/// /proc/PID/stat field 52: the exit status a zombie will report.
fn zombie_status(pid: u32) -> Option<Status> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split_whitespace().collect();
    fields.get(49)?.parse().ok().map(status_of)
}

fn run(ops: &[Op]) -> Result<Run, String> {
    let pipes = pipes().map_err(|e| format!("pipes: {e}"))?;
    // Faults must not write core dumps (or wait for a core handler).
    nix::sys::resource::setrlimit(nix::sys::resource::Resource::RLIMIT_CORE, 0, 0)
        .map_err(|e| format!("setrlimit: {e}"))?;
    unshare(CloneFlags::CLONE_NEWPID)
        .map_err(|e| format!("unshare(CLONE_NEWPID): {e} (needs root)"))?;
    // SAFETY: this program is single-threaded.
    let first = match unsafe { fork() }.map_err(|e| format!("fork: {e}"))? {
        ForkResult::Child => {
            // The scenario's processes must not hold the runner's output open after it exits.
            if let Ok(null) = File::options().write(true).open("/dev/null") {
                let _ = nix::unistd::dup2_stdout(&null);
                let _ = nix::unistd::dup2_stderr(&null);
            }
            agent(0, &pipes)
        }
        ForkResult::Parent { child } => child.as_raw() as u32,
    };
    let result = play(ops, &pipes, first);
    // Everything in the namespace dies with its init (K19), on every path; then collect it.
    let _ = kill(Pid::from_raw(first as i32), Signal::SIGKILL);
    while waitpid(None, None).is_ok() {}
    result
}

fn play(ops: &[Op], pipes: &Pipes, first: u32) -> Result<Run, String> {
    let mut hosts = vec![first];
    let mut answers = Vec::new();
    settle(&hosts);
    for op in ops {
        let (actor, message) = match *op {
            Op::Fork { actor, new_pid_ns } => {
                (actor, [FORK, u32::from(new_pid_ns), hosts.len() as u32, 0])
            }
            Op::Exit { actor, code } => (actor, [EXIT, u32::from(code), 0, 0]),
            Op::Wait { actor, target } => {
                // The target as the waiter sees it: its NSpid at the waiter's depth.
                let seen = match target {
                    None => 0,
                    Some(index) => {
                        let depth = nspid(hosts[actor]).len().saturating_sub(1);
                        *nspid(hosts[index])
                            .get(depth)
                            .ok_or("wait target not visible")?
                    }
                };
                (actor, [WAIT, seen, 0, 0])
            }
            Op::IgnoreSigchld { actor } => (actor, [IGNORE, 0, 0, 0]),
            Op::Subreaper { actor } => (actor, [SUBREAPER, 0, 0, 0]),
            Op::Kill { actor, pid, signal } => (actor, [KILL, pid, u32::from(signal), 0]),
            Op::Fault { actor } => (actor, [FAULT, 0, 0, 0]),
        };
        if hosts.len() > MAX_PROCESSES || actor >= hosts.len() {
            return Err("scenario too large".into());
        }
        (&pipes.commands[actor].1)
            .write_all(&encode(message))
            .map_err(|e| format!("command pipe: {e}"))?;
        let answer = if message[0] == EXIT {
            Answer::Done
        } else {
            read_answer(pipes, hosts[actor])?
        };
        if let Answer::Forked(_) = answer {
            let known = hosts.clone();
            let child = proc::children(hosts[actor])
                .into_iter()
                .find(|c| !known.contains(c))
                .ok_or("forked child not found")?;
            hosts.push(child);
        }
        answers.push(answer);
        settle(&hosts);
    }
    let table = hosts
        .iter()
        .enumerate()
        .filter_map(|(index, &host)| {
            let state = proc::state(host)?;
            let ppid: u32 = proc::status_field(host, "PPid")?.parse().ok()?;
            Some(Row {
                index,
                nspid: nspid(host).into_iter().skip(1).collect(),
                parent: hosts.iter().position(|h| *h == ppid),
                zombie: if state == 'Z' {
                    zombie_status(host)
                } else {
                    None
                },
            })
        })
        .collect();
    Ok(Run { answers, table })
}

fn nspid(host: u32) -> Vec<u32> {
    proc::status_field(host, "NSpid")
        .map(|v| {
            v.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

fn read_answer(pipes: &Pipes, actor: u32) -> Result<Answer, String> {
    // Bounded, and generous: a loaded machine may leave the actor unscheduled for seconds. A
    // kill that killed its own sender, or a fault, never answers, which its state shows at once:
    // gone, a zombie, or (a pid namespace init) exiting while its namespace empties (K19).
    let deadline = Instant::now() + Duration::from_secs(10);
    let waiting = |timeout: u16| {
        let mut fds = [PollFd::new(pipes.answers.0.as_fd(), PollFlags::POLLIN)];
        poll(&mut fds, PollTimeout::from(timeout)).map_err(|e| format!("poll: {e}"))
    };
    while waiting(50)? == 0 {
        if matches!(proc::state(actor), None | Some('Z')) || proc::exiting(actor) {
            // It may have answered just before it died.
            if waiting(0)? == 0 {
                return Ok(Answer::Done);
            }
            break;
        }
        if Instant::now() >= deadline {
            return Err(format!("no answer from {actor} ({:?})", proc::state(actor)));
        }
    }
    let mut bytes = [0; 16];
    (&pipes.answers.0)
        .read_exact(&mut bytes)
        .map_err(|e| format!("answer pipe: {e}"))?;
    Ok(match decode(bytes) {
        [DONE, ..] => Answer::Done,
        [FORKED, pid, ..] => Answer::Forked(pid),
        [REAPED_EXITED, pid, code, _] => Answer::Reaped(pid, Status::Exited(code as u8)),
        [REAPED_SIGNALED, pid, signal, _] => Answer::Reaped(pid, Status::Signaled(signal as u8)),
        [NO_ZOMBIE, ..] => Answer::NoZombie,
        [ERRNO, errno, ..] => Answer::Errno(errno as i32),
        other => return Err(format!("bad answer {other:?}")),
    })
}

fn main() -> ExitCode {
    let ops: Vec<Op> = match serde_json::from_reader(std::io::stdin()) {
        Ok(ops) => ops,
        Err(error) => {
            eprintln!("fidelity-runner: the scenario on stdin is not valid: {error}");
            return ExitCode::from(2);
        }
    };
    match run(&ops) {
        Ok(result) => {
            println!("{}", serde_json::to_string(&result).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("fidelity-runner: {error}");
            ExitCode::FAILURE
        }
    }
}
