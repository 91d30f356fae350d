//! Signal numbers, names and default actions [signal(7)].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A standard (non-realtime) signal, numbered as on x86-64 Linux.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Signal(u8);

/// What the kernel does with a signal whose disposition is `SIG_DFL` [signal(7)].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultAction {
    /// Terminate the process.
    Term,
    /// Terminate the process and dump core.
    Core,
    /// Ignore the signal.
    Ign,
    /// Stop the process.
    Stop,
    /// Continue the process if it is stopped.
    Cont,
}

const NAMES: [&str; 32] = [
    "",
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGILL",
    "SIGTRAP",
    "SIGABRT",
    "SIGBUS",
    "SIGFPE",
    "SIGKILL",
    "SIGUSR1",
    "SIGSEGV",
    "SIGUSR2",
    "SIGPIPE",
    "SIGALRM",
    "SIGTERM",
    "SIGSTKFLT",
    "SIGCHLD",
    "SIGCONT",
    "SIGSTOP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGVTALRM",
    "SIGPROF",
    "SIGWINCH",
    "SIGIO",
    "SIGPWR",
    "SIGSYS",
];

#[allow(missing_docs)] // the names are the documentation
impl Signal {
    pub const SIGHUP: Signal = Signal(1);
    pub const SIGINT: Signal = Signal(2);
    pub const SIGQUIT: Signal = Signal(3);
    pub const SIGILL: Signal = Signal(4);
    pub const SIGTRAP: Signal = Signal(5);
    pub const SIGABRT: Signal = Signal(6);
    pub const SIGBUS: Signal = Signal(7);
    pub const SIGFPE: Signal = Signal(8);
    pub const SIGKILL: Signal = Signal(9);
    pub const SIGUSR1: Signal = Signal(10);
    pub const SIGSEGV: Signal = Signal(11);
    pub const SIGUSR2: Signal = Signal(12);
    pub const SIGPIPE: Signal = Signal(13);
    pub const SIGALRM: Signal = Signal(14);
    pub const SIGTERM: Signal = Signal(15);
    pub const SIGCHLD: Signal = Signal(17);
    pub const SIGCONT: Signal = Signal(18);
    pub const SIGSTOP: Signal = Signal(19);
    pub const SIGTSTP: Signal = Signal(20);
    pub const SIGTTIN: Signal = Signal(21);
    pub const SIGTTOU: Signal = Signal(22);
    pub const SIGWINCH: Signal = Signal(28);
    pub const SIGSYS: Signal = Signal(31);
}

impl Signal {
    /// The highest standard signal number.
    pub const MAX: u8 = 31;

    /// The signal with this number, if it is a standard signal (1–31).
    pub fn new(number: u8) -> Option<Signal> {
        (1..=Self::MAX).contains(&number).then_some(Signal(number))
    }

    /// Every standard signal, in number order.
    pub fn all() -> impl Iterator<Item = Signal> {
        (1..=Self::MAX).map(Signal)
    }

    /// The signal number.
    pub const fn number(self) -> u8 {
        self.0
    }

    /// The name, e.g. `SIGTERM`.
    pub fn name(self) -> &'static str {
        NAMES[usize::from(self.0)]
    }

    /// The action taken under `SIG_DFL` [signal(7), "Standard signals"].
    pub fn default_action(self) -> DefaultAction {
        match self.0 {
            3 | 4 | 5 | 6 | 7 | 8 | 11 | 24 | 25 | 31 => DefaultAction::Core,
            17 | 23 | 28 => DefaultAction::Ign,
            18 => DefaultAction::Cont,
            19..=22 => DefaultAction::Stop,
            _ => DefaultAction::Term,
        }
    }

    /// SIGKILL and SIGSTOP: they cannot be caught, blocked or ignored; the kernel calls them
    /// "kernel only" (`sig_kernel_only`), which matters for K17.
    pub fn is_kernel_only(self) -> bool {
        self == Signal::SIGKILL || self == Signal::SIGSTOP
    }

    /// Signals the CPU raises synchronously for a faulting instruction (K18).
    pub fn is_fault(self) -> bool {
        matches!(self.0, 4 | 5 | 7 | 8 | 11 | 31)
    }

    pub(crate) fn bit(self) -> u32 {
        1 << self.0
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name or number that is not a standard signal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown signal `{0}`: expected a name like SIGTERM or TERM, or a number from 1 to 31")]
pub struct UnknownSignal(pub String);

impl FromStr for Signal {
    type Err = UnknownSignal;

    /// Accepts `SIGTERM`, `TERM`, `term` or `15`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Ok(number) = text.parse::<u8>() {
            return Signal::new(number).ok_or_else(|| UnknownSignal(text.to_owned()));
        }
        let upper = text.to_ascii_uppercase();
        let name = upper.strip_prefix("SIG").unwrap_or(&upper);
        Signal::all()
            .find(|signal| &signal.name()[3..] == name)
            .ok_or_else(|| UnknownSignal(text.to_owned()))
    }
}

impl Serialize for Signal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Signal {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A small set of signals, as the kernel keeps them: one bit per signal number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SignalSet(u32);

impl SignalSet {
    /// Whether `signal` is in the set.
    pub fn contains(self, signal: Signal) -> bool {
        self.0 & signal.bit() != 0
    }

    pub(crate) fn insert(&mut self, signal: Signal) {
        self.0 |= signal.bit();
    }

    pub(crate) fn remove(&mut self, signal: Signal) {
        self.0 &= !signal.bit();
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The signals in number order.
    pub fn iter(self) -> impl Iterator<Item = Signal> {
        Signal::all().filter(move |signal| self.contains(*signal))
    }
}

impl FromIterator<Signal> for SignalSet {
    fn from_iter<I: IntoIterator<Item = Signal>>(iter: I) -> Self {
        let mut set = SignalSet::default();
        iter.into_iter().for_each(|signal| set.insert(signal));
        set
    }
}

impl Serialize for SignalSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for SignalSet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<Signal>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_numbers() {
        assert_eq!("SIGTERM".parse(), Ok(Signal::SIGTERM));
        assert_eq!("hup".parse(), Ok(Signal::SIGHUP));
        assert_eq!("9".parse(), Ok(Signal::SIGKILL));
        assert!("SIGFOO".parse::<Signal>().is_err());
        assert!("0".parse::<Signal>().is_err());
        assert!("32".parse::<Signal>().is_err());
    }

    #[test]
    fn every_name_round_trips() {
        for signal in Signal::all().filter(|s| !s.name().is_empty()) {
            assert_eq!(signal.name().parse(), Ok(signal));
        }
    }
}
