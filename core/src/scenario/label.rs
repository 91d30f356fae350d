//! How a scenario names processes.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::pod::ContainerRef;
use crate::process::Pid;

/// A process as a scenario names it:
///
/// - `host` (the host's init) and `runtime` (containerd);
/// - `login`: the reader's login shell on the node;
/// - for a pod `web`: `web/pause`, `web/shim`, and `web/CONTAINER` (its first process);
/// - `#N`: the process with host pid N, so that a reader acting on any process needs no name;
/// - any other word: a name a step gave (`"as"` of a fork or exec, or a docker container's).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Label {
    /// The host's init.
    Host,
    /// The container runtime.
    Runtime,
    /// A pod's pause.
    Pause {
        /// The pod.
        pod: String,
    },
    /// A pod's runtime shim.
    Shim {
        /// The pod.
        pod: String,
    },
    /// A container's first process.
    Container(ContainerRef),
    /// A process by host pid.
    HostPid(Pid),
    /// The reader's login shell on the node (`login`): a line typed there starts it if need be.
    Login,
    /// A name a step gave.
    Named(String),
}

impl Label {
    /// Whether a step may give a new process this name: a plain word, which no other kind of
    /// label can be read as.
    pub fn is_free_name(name: &str) -> bool {
        !name.is_empty() && !name.starts_with('#') && matches!(Label::from(name), Label::Named(_))
    }
}

impl From<&str> for Label {
    fn from(text: &str) -> Label {
        if let Some(pid) = text.strip_prefix('#').and_then(|n| n.parse().ok()) {
            return Label::HostPid(Pid(pid));
        }
        match text.split_once('/') {
            Some((pod, "pause")) => Label::Pause {
                pod: pod.to_owned(),
            },
            Some((pod, "shim")) => Label::Shim {
                pod: pod.to_owned(),
            },
            Some((pod, container)) => Label::Container(ContainerRef::new(pod, container)),
            None if text == "host" => Label::Host,
            None if text == "runtime" => Label::Runtime,
            None if text == "login" => Label::Login,
            None => Label::Named(text.to_owned()),
        }
    }
}

impl From<String> for Label {
    fn from(text: String) -> Label {
        Label::from(text.as_str())
    }
}

impl From<Label> for String {
    fn from(label: Label) -> String {
        label.to_string()
    }
}

impl From<ContainerRef> for Label {
    fn from(container: ContainerRef) -> Label {
        Label::Container(container)
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Label::Host => f.write_str("host"),
            Label::Runtime => f.write_str("runtime"),
            Label::Login => f.write_str("login"),
            Label::Pause { pod } => write!(f, "{pod}/pause"),
            Label::Shim { pod } => write!(f, "{pod}/shim"),
            Label::Container(container) => container.fmt(f),
            Label::HostPid(pid) => write!(f, "#{pid}"),
            Label::Named(name) => f.write_str(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_back_as_written() {
        for text in [
            "host",
            "runtime",
            "login",
            "web/pause",
            "web/shim",
            "web/app",
            "#12",
            "job",
            "#x",
        ] {
            assert_eq!(Label::from(text).to_string(), text);
        }
        assert_eq!(Label::from("#12"), Label::HostPid(Pid(12)));
        assert_eq!(
            Label::from("web/app"),
            Label::Container(ContainerRef::new("web", "app"))
        );
        assert!(Label::is_free_name("job"));
        assert!(!Label::is_free_name("login"));
        assert!(
            !Label::is_free_name("web/x")
                && !Label::is_free_name("#3")
                && !Label::is_free_name("host")
        );
    }
}
