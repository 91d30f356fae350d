//! The catalog: every sentence pauselab shows a person, in English and Korean side by side —
//! what the kernel did, refusals, checks, rule summaries, runtime messages, the tutorial's and
//! the terminal's labels. Views (the browser, `pauselab demo`) only ask it.
//!
//! Why a Rust catalog and not Fluent or gettext: the values being worded are Rust enums, so a
//! `match` makes the compiler check that every outcome, refusal and check has both languages;
//! Korean particles depend on the words filled in (`pid 3은`, `app과`), which a plain function
//! ([`josa`]) chooses; and nothing is parsed at run time, which keeps the browser's download
//! small.
//!
//! ```
//! use pauselab_core::text::{Language, Say};
//! use pauselab_core::{Outcome, Pid, ExitStatus};
//!
//! let zombie = Outcome::BecameZombie { pid: Pid(3), parent: Pid(1), status: ExitStatus::Exited(0) };
//! assert_eq!(zombie.say(Language::English), "3 is a zombie (exited 0) until 1 waits for it");
//! assert_eq!(zombie.say(Language::Korean), "3은 좀비 프로세스가 되었습니다(코드 0으로 종료). 부모 1이 wait로 회수할 때까지 남습니다");
//! ```
//!
//! Korean follows the Kubernetes Korean documentation's terms (파드, 컨테이너, 네임스페이스,
//! 좀비 프로세스, 고아 프로세스, 유예 기간), one verb for reaping (회수하다), and one register
//! (합니다체) for every sentence and question.

mod format;
pub mod josa;
mod labels;
mod model;
mod pods;
mod programs;
mod rules;
mod scenarios;
mod shell;

pub use labels::{Cli, Page, Term};
pub(crate) use model::{tree_flag, tree_state};
pub use programs::describe_program;
pub use shell::transcript;

use crate::scenario::Text;

/// The languages pauselab speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    /// English.
    #[default]
    English,
    /// Korean.
    Korean,
}

impl Language {
    /// Both, for tests and for views that list them.
    pub const ALL: [Language; 2] = [Language::English, Language::Korean];

    /// The BCP 47 tag, for `<html lang>` and links.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Korean => "ko",
        }
    }

    /// The language of a tag such as `ko-KR` (or a locale such as `ko_KR.UTF-8`); English for
    /// anything but Korean.
    pub fn from_tag(tag: &str) -> Language {
        if tag.to_ascii_lowercase().starts_with("ko") {
            Language::Korean
        } else {
            Language::English
        }
    }

    /// The other language, for a switch.
    pub fn other(self) -> Language {
        match self {
            Language::English => Language::Korean,
            Language::Korean => Language::English,
        }
    }

    /// Picks this language's side of a scenario's text.
    pub fn pick(self, text: &Text) -> &str {
        match self {
            Language::English => &text.en,
            Language::Korean => &text.ko,
        }
    }

    /// The browser tutorial's labels in this language.
    pub fn page(self) -> &'static Page {
        Page::of(self)
    }

    /// The terminal's labels in this language.
    pub fn cli(self) -> &'static Cli {
        Cli::of(self)
    }

    /// The page's terminal's labels in this language.
    pub fn term(self) -> &'static Term {
        Term::of(self)
    }

    /// One of two wordings, each made only when asked for: the catalog's way of writing a
    /// sentence in both languages side by side.
    pub fn either(
        self,
        english: impl FnOnce() -> String,
        korean: impl FnOnce() -> String,
    ) -> String {
        match self {
            Language::English => english(),
            Language::Korean => korean(),
        }
    }
}

/// A value worded for a reader.
pub trait Say {
    /// The sentence in `language`.
    fn say(&self, language: Language) -> String;
}

impl Say for Text {
    fn say(&self, language: Language) -> String {
        language.pick(self).to_owned()
    }
}

/// `{word}은/는`, `{word}이/가`, … — the particle that fits the word (see [`josa`]).
pub(crate) fn ko(word: impl std::fmt::Display, particle: josa::Particle) -> String {
    josa::with(&word.to_string(), particle)
}

#[cfg(test)]
mod tests;

/// The catalog's rule for Korean, as the tests apply it to everything shown: a sentence may
/// quote identifiers, commands, syscalls and the real components' own (English) messages, but
/// two or more ordinary English words in a text without any Hangul is English leaking into the
/// Korean view. Returns the words that leak.
///
/// Ordinary words are all-lowercase ASCII words of three letters or more, standing alone (not
/// part of a path, flag, id or command such as `web/app`, `--net=none`, `pid:[4026531836]`),
/// and not in the technical vocabulary Korean documentation keeps as it is ([`TECHNICAL`]).
pub fn english_leak(text: &str) -> Option<String> {
    if text.chars().any(|c| ('가'..='힣').contains(&c)) {
        return None;
    }
    let prose: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || ",;()“”\"'!?…—".contains(c))
        .map(|word| word.trim_end_matches(['.', ':']))
        .filter(|word| {
            word.len() >= 3
                && word.bytes().all(|b| b.is_ascii_lowercase())
                && !TECHNICAL.contains(word)
        })
        .collect();
    (prose.len() >= 2).then(|| prose.join(" "))
}

/// Words Korean technical writing keeps in English: syscalls and their flags, kernel and
/// Kubernetes names, the programs of the scenarios.
#[rustfmt::skip]
pub const TECHNICAL: &[&str] = &[
    "fork", "exec", "execve", "exit", "wait", "waitpid", "kill", "clone", "unshare", "setns",
    "sigaction", "prctl", "init", "pid", "ppid", "nspid", "ipc", "uts", "net", "mnt", "user",
    "cgroup", "time", "proc", "subreaper", "child", "pause", "shim", "containerd", "dockershim",
    "docker", "kubectl", "kubelet", "runc", "cni", "run", "delete", "none", "host", "private",
    "shareable", "container", "app", "web", "worker", "job", "nginx", "sleep", "probe",
    "helper", "server", "sidecar", "tini", "nested", "sandbox", "mypod", "other", "node",
    "defunct", "status", "handler", "liveness", "readiness", "stat", "command", "runtime",
];

/// A Rust `Debug` shape in text meant for a reader — `Pid(3)`, `Zombie(Exited(0))`,
/// `Some(…)`, `None`, `Name { field: … }` — if there is one.
pub fn debug_shape(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    for (start, _) in text.match_indices(|c: char| c.is_ascii_uppercase()) {
        if start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let name_end = text[start..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(text.len(), |n| start + n);
        let name = &text[start..name_end];
        let rest = &text[name_end..];
        let is_camel = name.len() > 1 && name[1..].bytes().any(|b| b.is_ascii_lowercase());
        let call = rest.starts_with('(')
            && rest[1..].starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit());
        let structure = rest.starts_with(" { ") && rest[3..].contains(": ");
        if (is_camel && (call || structure)) || name == "Some" && rest.starts_with('(') {
            return Some(text[start..].chars().take(40).collect());
        }
        if name == "None" && !rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Some("None".into());
        }
    }
    None
}
