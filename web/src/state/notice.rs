//! What the notice banner says: a refused act, a file that cannot be opened, a link that names
//! no scenario. Typed, so that it is worded in the reader's language when shown, and again if
//! the reader switches language while it is on screen.

use pauselab_core::pod::PodError;
use pauselab_core::scenario::{StepRefusal, Text, UnknownLabel};
use pauselab_core::text::{Language, Say};
use pauselab_core::{ActRefusal, ModelError};

/// Why a file was not even read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// Larger than the page takes.
    TooBig,
    /// The browser could not read it as text.
    NotText,
}

/// Why an opened file is not on screen.
#[derive(Clone, Debug, PartialEq)]
pub enum FileProblem {
    /// The file reader refused it, saying why in both languages.
    Refused(Text),
    /// The file reader could not be fetched or started.
    ReaderMissing,
    /// The file reader's bytes are not this page's (a cached reader of another version).
    ReaderOld,
}

/// Something the reader should know that is not on the page: the view stayed as it was.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// A link named a scenario that does not exist.
    NoScenario(String),
    /// A listed scenario whose file could not be had: its id, and whether it came but was
    /// not this page's (another version's, or damaged) rather than not at all.
    ScenarioUnread {
        /// The scenario's id.
        id: String,
        /// It came, but did not read as this page's scenario.
        old: bool,
    },
    /// The pod layer refused the reader's act (K-rules say why).
    Refused(PodError),
    /// The kernel refused the reader's act on a file.
    Kernel(ModelError),
    /// The act names a process that is gone.
    Unknown(UnknownLabel),
    /// A pod operation on a file from a real machine, which has no pods.
    NoPods,
    /// A file the loader refused.
    File {
        /// The file's name.
        name: String,
        /// Why.
        problem: FileProblem,
    },
    /// A file that could not be read at all.
    Unread {
        /// The file's name.
        name: String,
        /// Why.
        why: Unreadable,
    },
}

/// A step the reader tried and the pod layer did not take.
impl From<StepRefusal> for Notice {
    fn from(refusal: StepRefusal) -> Notice {
        match refusal {
            StepRefusal::Refused(error) => Notice::Refused(error),
            StepRefusal::Unknown(error) => Notice::Unknown(error),
        }
    }
}

/// An act a file's timeline did not take.
impl From<ActRefusal> for Notice {
    fn from(refusal: ActRefusal) -> Notice {
        match refusal {
            ActRefusal::NoPods => Notice::NoPods,
            ActRefusal::Unknown(error) => Notice::Unknown(error),
            ActRefusal::Kernel(error) => Notice::Kernel(error),
        }
    }
}

impl Say for Notice {
    fn say(&self, language: Language) -> String {
        let page = language.page();
        let with_rule = |text: String, rule: Option<pauselab_core::Rule>| match rule {
            Some(rule) => format!("{text} ({rule})"),
            None => text,
        };
        match self {
            Notice::NoScenario(id) => format!("{}: {id}", page.no_such_scenario),
            Notice::ScenarioUnread { id, old } => {
                let why = if *old {
                    page.scenario_old
                } else {
                    page.scenario_missing
                };
                format!("{id}: {why}")
            }
            Notice::Refused(error) => with_rule(error.say(language), error.rule()),
            Notice::Kernel(error) => with_rule(error.say(language), error.rule()),
            Notice::Unknown(error) => error.say(language),
            Notice::NoPods => page.file_no_pods.to_owned(),
            Notice::File { name, problem } => {
                let why = match problem {
                    FileProblem::Refused(text) => language.pick(text),
                    FileProblem::ReaderMissing => page.file_reader_missing,
                    FileProblem::ReaderOld => page.file_reader_old,
                };
                format!("{name}: {why}")
            }
            Notice::Unread { name, why } => {
                let why = match why {
                    Unreadable::TooBig => page.file_too_big,
                    Unreadable::NotText => page.file_not_text,
                };
                format!("{name}: {why}")
            }
        }
    }
}
