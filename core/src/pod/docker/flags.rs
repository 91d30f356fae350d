//! docker's `--net`, `--ipc` and `--pid` values: parsed once, when a scenario (or a reader)
//! gives them; from then on they are types.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::container_id;
use crate::pod::error::DockerError;

enum_with_all! {
    /// The IPC namespace mode a container owns (K22): what `--ipc` gives when it joins no one.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum IpcMode {
        /// No IPC namespace set-up (a private one without /dev/shm).
        None,
        /// A private namespace others cannot join: the daemon's default here.
        #[default]
        Private,
        /// A namespace other containers may join.
        Shareable,
        /// The host's.
        Host,
    }
}

impl IpcMode {
    /// The mode dockershim gives pause, so that the pod's containers can join it.
    pub fn shareable() -> IpcMode {
        IpcMode::Shareable
    }

    /// Whether other containers may join a namespace of this mode (K22).
    pub fn is_joinable(self) -> bool {
        matches!(self, IpcMode::Shareable | IpcMode::Host)
    }

    /// The word docker uses.
    pub fn as_str(self) -> &'static str {
        match self {
            IpcMode::None => "none",
            IpcMode::Private => "private",
            IpcMode::Shareable => "shareable",
            IpcMode::Host => "host",
        }
    }

    /// K22: joining `donor`'s IPC namespace needs it shareable; dockerd's refusal otherwise.
    pub(in crate::pod) fn check_joinable(self, donor: &str) -> Result<(), DockerError> {
        if self.is_joinable() {
            Ok(())
        } else {
            Err(DockerError::IpcNotShareable {
                donor: donor.to_owned(),
                id: container_id(donor),
            })
        }
    }
}

/// A `--net`, `--ipc` or `--pid` value that docker does not accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidFlag {
    /// The flag.
    pub flag: &'static str,
    /// What was given.
    pub value: String,
    /// What it takes.
    pub expected: &'static str,
}

fn donor<'a>(
    value: &'a str,
    flag: &'static str,
    expected: &'static str,
) -> Result<Option<&'a str>, InvalidFlag> {
    match value.strip_prefix("container:") {
        Some("") => Err(InvalidFlag {
            flag,
            value: value.to_owned(),
            expected,
        }),
        other => Ok(other),
    }
}

/// `--net`: docker's network modes (K21).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum NetworkFlag {
    /// `bridge`, docker's default: a namespace of its own on docker's bridge.
    #[default]
    Bridge,
    /// `none`: a namespace of its own with only loopback.
    None,
    /// `host`: the host's net and uts namespaces.
    Host,
    /// `container:NAME`: that container's net namespace.
    Container(String),
}

/// `--ipc`: a namespace of its own in some mode, or another container's (K22).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum IpcFlag {
    /// A namespace of its own (or the host's, for [`IpcMode::Host`]).
    Own(IpcMode),
    /// `container:NAME`: that container's, which must be shareable.
    Container(String),
}

impl Default for IpcFlag {
    fn default() -> Self {
        IpcFlag::Own(IpcMode::default())
    }
}

/// `--pid`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum PidFlag {
    /// A pid namespace of its own: the container's first process is pid 1.
    #[default]
    Private,
    /// The host's.
    Host,
    /// `container:NAME`: that container's.
    Container(String),
}

const NET_VALUES: &str = "bridge, none, host or container:NAME";
const IPC_VALUES: &str = "none, private, shareable, host or container:NAME";
const PID_VALUES: &str = "host or container:NAME";

impl FromStr for NetworkFlag {
    type Err = InvalidFlag;

    fn from_str(value: &str) -> Result<Self, InvalidFlag> {
        if let Some(name) = donor(value, "--net", NET_VALUES)? {
            return Ok(NetworkFlag::Container(name.to_owned()));
        }
        match value {
            "" | "bridge" | "default" => Ok(NetworkFlag::Bridge),
            "none" => Ok(NetworkFlag::None),
            "host" => Ok(NetworkFlag::Host),
            _ => Err(InvalidFlag {
                flag: "--net",
                value: value.to_owned(),
                expected: NET_VALUES,
            }),
        }
    }
}

impl FromStr for IpcFlag {
    type Err = InvalidFlag;

    fn from_str(value: &str) -> Result<Self, InvalidFlag> {
        if let Some(name) = donor(value, "--ipc", IPC_VALUES)? {
            return Ok(IpcFlag::Container(name.to_owned()));
        }
        let mode = match value {
            "none" => IpcMode::None,
            "" | "private" => IpcMode::Private,
            "shareable" => IpcMode::Shareable,
            "host" => IpcMode::Host,
            _ => {
                return Err(InvalidFlag {
                    flag: "--ipc",
                    value: value.to_owned(),
                    expected: IPC_VALUES,
                })
            }
        };
        Ok(IpcFlag::Own(mode))
    }
}

impl FromStr for PidFlag {
    type Err = InvalidFlag;

    fn from_str(value: &str) -> Result<Self, InvalidFlag> {
        if let Some(name) = donor(value, "--pid", PID_VALUES)? {
            return Ok(PidFlag::Container(name.to_owned()));
        }
        match value {
            "" => Ok(PidFlag::Private),
            "host" => Ok(PidFlag::Host),
            _ => Err(InvalidFlag {
                flag: "--pid",
                value: value.to_owned(),
                expected: PID_VALUES,
            }),
        }
    }
}

impl std::error::Error for InvalidFlag {}

impl fmt::Display for InvalidFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} value \"{}\": expected {}",
            self.flag, self.value, self.expected
        )
    }
}

/// Each flag is written as docker takes it (and `docker inspect` shows it).
macro_rules! flag_as_text {
    ($flag:ty) => {
        impl TryFrom<String> for $flag {
            type Error = InvalidFlag;

            fn try_from(value: String) -> Result<Self, InvalidFlag> {
                value.parse()
            }
        }

        impl From<$flag> for String {
            fn from(flag: $flag) -> String {
                flag.to_string()
            }
        }
    };
}

flag_as_text!(NetworkFlag);
flag_as_text!(IpcFlag);
flag_as_text!(PidFlag);

impl fmt::Display for NetworkFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkFlag::Bridge => f.write_str("bridge"),
            NetworkFlag::None => f.write_str("none"),
            NetworkFlag::Host => f.write_str("host"),
            NetworkFlag::Container(name) => write!(f, "container:{name}"),
        }
    }
}

impl fmt::Display for IpcFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IpcFlag::Own(mode) => f.write_str(mode.as_str()),
            IpcFlag::Container(name) => write!(f, "container:{name}"),
        }
    }
}

impl fmt::Display for PidFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PidFlag::Private => Ok(()),
            PidFlag::Host => f.write_str("host"),
            PidFlag::Container(name) => write!(f, "container:{name}"),
        }
    }
}
