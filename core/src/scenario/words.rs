//! The English wording of checks and what they found: what the CLI and test messages print.
//! (The browser words them in the reader's language from the same values.)

use std::fmt;

use super::check::{Found, FoundRow, Mismatch};
use super::schema::Expect;
use crate::process::ProcState;

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expect::Pid1 { container, comm } => write!(f, "In {container}, pid 1 is {comm}"),
            Expect::Zombie {
                container,
                pid,
                ppid,
            } => write!(
                f,
                "In {container}, pid {pid} is a zombie whose parent is {ppid}"
            ),
            Expect::NoZombies { pod: Some(pod) } => write!(f, "No zombie in pod {pod}"),
            Expect::NoZombies { pod: None } => f.write_str("No zombie on the node"),
            Expect::Ppid {
                container,
                comm,
                ppid,
            } => write!(f, "In {container}, {comm}'s parent pid is {ppid}"),
            Expect::Visible { container, count } => {
                write!(f, "ps in {container} shows {count} processes")
            }
            Expect::Shares { a, b, kind, same } => {
                let not = if *same { "" } else { " do not" };
                write!(f, "{a} and {b}{not} share their {kind} namespace")
            }
            Expect::Hostname { process, value } => {
                write!(f, "{process} sees the hostname {value}")
            }
            Expect::Dropped => f.write_str("The signal was dropped (K17)"),
            Expect::Refused(refusal) => write!(f, "Refused: {refusal}"),
            Expect::Alive { process } => write!(f, "{process} is alive"),
            Expect::Dead { process } => write!(f, "{process} has exited"),
            Expect::Reaped { process } => write!(f, "{process} has exited and was reaped"),
            Expect::ExitStatus { process, code } => {
                write!(f, "{process} ended with status {code}")
            }
            Expect::Nspid { process, nspid } => {
                write!(f, "{process} has NSpid {}", Pids(nspid))
            }
            Expect::PodIp { pod, ip } => write!(f, "Pod {pod} has IP {ip}"),
            Expect::Restarts { container, count } => {
                write!(f, "{container} restarted {count} times")
            }
            Expect::RuntimeSays(note) => write!(f, "The runtime says: {note}"),
        }
    }
}

/// A process state in words.
pub(crate) struct StateWords(pub(crate) ProcState);

impl fmt::Display for StateWords {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            ProcState::Running => f.write_str("running"),
            ProcState::Stopped => f.write_str("stopped"),
            ProcState::Exiting(status) => write!(f, "exiting ({status})"),
            ProcState::Zombie(status) => write!(f, "a zombie ({status})"),
        }
    }
}

struct Pids<'a>(&'a [u32]);

impl fmt::Display for Pids<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, pid) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{pid}")?;
        }
        Ok(())
    }
}

impl fmt::Display for FoundRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pid {} ({}), parent {}, {}",
            self.pid,
            self.comm,
            self.ppid,
            StateWords(self.state)
        )
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::UnknownLabel(label) => write!(f, "no process is called {label}"),
            Found::Gone(label) => write!(f, "{label} has been reaped"),
            Found::NoContainer(container) => write!(f, "there is no container {container}"),
            Found::NoPidNamespace(container) => {
                write!(f, "the pid namespace of {container} is gone")
            }
            Found::Pid1(Some(comm)) => write!(f, "pid 1 is {comm}"),
            Found::Pid1(None) => f.write_str("nothing is pid 1 there"),
            Found::Row(Some(row)) => row.fmt(f),
            Found::Row(None) => f.write_str("no such process"),
            Found::Zombies(zombies) => {
                let pids: Vec<u32> = zombies.iter().map(|pid| pid.0).collect();
                write!(f, "zombies (host pids): {}", Pids(&pids))
            }
            Found::Visible(count) => write!(f, "{count} processes"),
            Found::Namespaces { kind, a, b } => write!(f, "{kind}:[{a}] and {kind}:[{b}]"),
            Found::Hostname(Some(name)) => write!(f, "the hostname {name}"),
            Found::Hostname(None) => f.write_str("no hostname"),
            Found::NoDroppedSignal => f.write_str("no signal was dropped"),
            Found::Refusal(Some(error)) => write!(f, "refused: {error}"),
            Found::Refusal(None) => f.write_str("nothing was refused"),
            Found::State(state) => write!(f, "it is {}", StateWords(*state)),
            Found::Status(Some(code)) => write!(f, "status {code}"),
            Found::Status(None) => f.write_str("it has not ended"),
            Found::Nspid(nspid) => write!(f, "NSpid {}", Pids(nspid)),
            Found::Ip(Some(ip)) => write!(f, "IP {ip}"),
            Found::Ip(None) => f.write_str("no IP of its own"),
            Found::Restarts(Some(count)) => write!(f, "{count} restarts"),
            Found::Restarts(None) => f.write_str("no such container"),
            Found::NotSaid => f.write_str("the runtime did not say so"),
        }
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected: {}; found: {}", self.expected, self.found)
    }
}
