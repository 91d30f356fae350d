//! The file formats shared by the native recorder and the browser: a state [`Snapshot`] and an
//! event [`Trace`], both JSON, both versioned.
//!
//! A **snapshot** (`"format": "pauselab-snapshot"`, `"version": 1`) lists namespaces and
//! processes. Everything in it can be read off a live machine (`/proc/PID/status` `NSpid:` and
//! `PPid:`, `readlink /proc/PID/ns/*`), and the fields that /proc cannot show have defaults:
//!
//! ```json
//! { "format": "pauselab-snapshot", "version": 1, "pid_max": 4194304,
//!   "namespaces": [ { "id": 4026531836, "kind": "pid", "last_pid": 2 },
//!                   { "id": 4026532200, "kind": "net", "pins": ["/var/run/netns/cni-1"] }, … ],
//!   "processes": [ { "nspid": [1], "ppid": 0, "comm": "init", "state": "running",
//!                    "ns": { "mnt": 4026531841, "uts": …, "ipc": …, "net": …, "pid": …,
//!                            "user": …, "cgroup": …, "time": … } }, … ] }
//! ```
//!
//! - `namespaces[]`: `id`, `kind`; `parent` for nested pid and user namespaces; `pins`;
//!   for pid namespaces `last_pid` (the K8 cursor; default: the highest pid in use) and
//!   `accepting` (default true; false once its init died, K19).
//! - `processes[]`, listed so that each parent's children appear in the kernel's list order:
//!   `nspid` (host pid first, K7), `ppid` (the parent's host pid, 0 if outside the snapshot),
//!   `comm`, `state` (`"running"`, `"stopped"`, `{"zombie": {"exited": 0}}`,
//!   `{"exiting": {"signaled": "SIGKILL"}}`), `ns` (one identity per kind; for a zombie the
//!   namespaces it had); optional: `pid_for_children`, `time_for_children` (default: its own),
//!   `handled`, `ignored` (signal names), `nocldwait`, `subreaper`, `waiting` (`"any"` or
//!   `{"pid": HOST_PID}`), `pending`.
//! - `next_ns_id`: the identity the next new namespace gets (default: above the highest).
//!
//! A **trace** (`"format": "pauselab-trace"`, `"version": 1`) is an `initial` snapshot and the
//! `steps` applied to it: each an `event` (see [`Event`]) with the `outcomes` it had, or the
//! `error` it was refused with. [`Trace::replay`] applies the steps again and fails at the first
//! step whose result differs, so a trace recorded on a real machine checks the model.

use serde::{Deserialize, Serialize};

use crate::error::ModelError;
use crate::event::Event;
use crate::ns::{NsId, NsKind, NsSet};
use crate::outcome::Outcome;
use crate::process::{Pid, ProcState, WaitTarget};
use crate::signal::SignalSet;
use crate::world::{World, PID_MAX_DEFAULT};

/// The snapshot format's name and version.
pub const SNAPSHOT_FORMAT: &str = "pauselab-snapshot";
/// The trace format's name.
pub const TRACE_FORMAT: &str = "pauselab-trace";
/// The version this crate writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// Why a file could not be read as a snapshot or trace. Each names the offending item; the
/// catalog ([`crate::text`]) words them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// Not JSON, or JSON of the wrong shape.
    Json(JsonError),
    /// The `format` field names something else.
    UnknownFormat(String),
    /// A version this build cannot read.
    UnsupportedVersion {
        /// The format.
        format: String,
        /// The version found.
        version: u32,
    },
    /// The snapshot describes an impossible state.
    Inconsistent(Inconsistency),
    /// A trace step did not give the recorded result.
    Diverged {
        /// The step's index, from 0.
        step: usize,
        /// The event.
        event: Event,
        /// What the trace says.
        recorded: Result<Vec<Outcome>, ModelError>,
        /// What the model did.
        replayed: Result<Vec<Outcome>, ModelError>,
    },
}

impl std::error::Error for FormatError {}

/// Where JSON went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// The line, from 1 (0 when the text ended early).
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
    /// Not JSON at all (a syntax error, or the text ended), rather than JSON of another shape.
    pub syntax: bool,
    /// serde_json's own words about it (names of fields and values).
    pub detail: String,
}

impl From<serde_json::Error> for JsonError {
    fn from(error: serde_json::Error) -> JsonError {
        use serde_json::error::Category;
        let detail = error.to_string();
        // serde_json appends " at line L column C"; the position has its own fields.
        let detail = detail
            .rsplit_once(" at line ")
            .map_or(detail.as_str(), |(message, _)| message)
            .to_owned();
        JsonError {
            line: error.line(),
            column: error.column(),
            syntax: matches!(
                error.classify(),
                Category::Syntax | Category::Eof | Category::Io
            ),
            detail,
        }
    }
}

/// A process as a snapshot lists it, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Its host pid (0 if the file gave none).
    pub pid: u32,
    /// Its command name.
    pub comm: String,
}

/// What makes a snapshot impossible, field and value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)] // the fields are the values named in each variant's message
pub enum Inconsistency {
    /// `pid_max` outside 301..=4,194,304.
    PidMax { pid_max: u32 },
    /// A mount, uts, ipc, net, cgroup or time namespace given a parent.
    FlatNamespaceWithParent { kind: NsKind, ns: NsId },
    /// One identity listed twice.
    NamespaceListedTwice { ns: NsId },
    /// Not exactly one pid namespace without a parent.
    RootPidNamespaces { found: usize },
    /// `next_ns_id` not above every listed identity.
    NextNsIdNotAbove { next: u64, highest: u64 },
    /// `next_ns_id` past the last identity there is.
    NextNsIdBeyond { next: u64 },
    /// A process without pids.
    EmptyNspid { process: Listed },
    /// A host pid listed twice, or 0.
    HostPidTwiceOrZero { process: Listed },
    /// A process's namespace of one kind names one of another kind.
    WrongKind {
        process: Listed,
        ns: NsId,
        is: NsKind,
        expected: NsKind,
    },
    /// A process's namespace is not listed.
    NamespaceNotListed {
        process: Listed,
        kind: NsKind,
        ns: NsId,
    },
    /// `pid_for_children` or `time_for_children` names no listed namespace of its kind.
    ForChildrenNotListed {
        process: Listed,
        kind: NsKind,
        ns: NsId,
    },
    /// `nspid` has not one pid per level of the process's pid namespace.
    NspidLevels {
        process: Listed,
        levels: usize,
        level: usize,
    },
    /// A process other than an init is exiting.
    ExitingNotInit { process: Listed },
    /// A pid of 0 or at least `pid_max`.
    PidOutOfRange { process: Listed, pid: u32 },
    /// Two processes with one pid in one namespace.
    PidTwice { process: Listed, pid: u32, ns: NsId },
    /// A living process in a pid namespace whose init has died (K19).
    AliveInDeadNamespace { pid: Pid, ns: NsId },
    /// An exiting init whose namespace still accepts processes (K19).
    ExitingInitAccepting { pid: Pid },
    /// An exiting init with nothing left to wait for (K19).
    ExitingInitAlone { pid: Pid },
    /// A parent not listed (and not 0).
    ParentNotListed { child: Pid, parent: Pid },
    /// A zombie parent (K12).
    ZombieParent { child: Pid, parent: Pid },
    /// A parent in a pid namespace below its child's (K4).
    ParentBelow { child: Pid, parent: Pid },
    /// A wait for a process that is not a child.
    WaitsForNonChild { pid: Pid, target: Pid },
    /// An exited process still waiting.
    WaitsButExited { pid: Pid },
    /// A process its own ancestor.
    OwnAncestor { pid: Pid },
    /// A namespace's parent not listed.
    NamespaceParentNotListed { ns: NsId, parent: NsId },
    /// A namespace's parent of another kind.
    NamespaceParentKind {
        ns: NsId,
        kind: NsKind,
        parent: NsId,
        parent_kind: NsKind,
    },
    /// Nested more than 32 deep, or in a cycle.
    TooDeepOrCycle { ns: NsId },
    /// A namespace nothing holds (K5).
    Unheld { kind: NsKind, ns: NsId },
    /// A namespace used but not listed.
    UsedNotListed { ns: NsId },
}

pub(crate) fn inconsistent<T>(why: Inconsistency) -> Result<T, FormatError> {
    Err(FormatError::Inconsistent(why))
}

/// A namespace in a snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NamespaceRecord {
    /// Identity.
    pub id: NsId,
    /// Kind.
    pub kind: NsKind,
    /// Parent, for nested pid and user namespaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<NsId>,
    /// Pins (K5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pins: Vec<String>,
    /// One of the host's initial namespaces, which the kernel never frees (the root pid and
    /// user namespaces always are).
    #[serde(default, skip_serializing_if = "is_false")]
    pub initial: bool,
    /// Pid namespaces: the last pid handed out (K8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_pid: Option<u32>,
    /// Pid namespaces: false once the init died (K19).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub accepting: bool,
}

fn yes() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// A process in a snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProcessRecord {
    /// Pids from the host's namespace down (K7).
    pub nspid: Vec<u32>,
    /// The parent's host pid, 0 if outside the snapshot.
    pub ppid: Pid,
    /// Command name.
    pub comm: String,
    /// State.
    pub state: ProcState,
    /// Namespaces.
    pub ns: NsSet,
    /// Default: its own pid namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid_for_children: Option<NsId>,
    /// Default: its own time namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_for_children: Option<NsId>,
    /// Signals with a handler.
    #[serde(default, skip_serializing_if = "SignalSet::is_empty")]
    pub handled: SignalSet,
    /// Signals set to SIG_IGN.
    #[serde(default, skip_serializing_if = "SignalSet::is_empty")]
    pub ignored: SignalSet,
    /// SA_NOCLDWAIT on SIGCHLD.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nocldwait: bool,
    /// Child subreaper.
    #[serde(default, skip_serializing_if = "is_false")]
    pub subreaper: bool,
    /// Blocked in wait (a `pid` target is a host pid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<WaitTarget>,
    /// Signals pending while stopped.
    #[serde(default, skip_serializing_if = "SignalSet::is_empty")]
    pub pending: SignalSet,
    /// The container it runs in, as its runtime records it; none for the node's own processes.
    /// Not kernel state: the model keeps it beside the world, for the views.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<ContainerLabel>,
}

/// The container engine a label comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// containerd through CRI: the pod and container names are kubelet's.
    Containerd,
    /// dockerd: the "pod" is the container whose network namespace the others joined.
    Docker,
}

/// Which pod and container a process belongs to (`pauselab ps --json` on a node).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerLabel {
    /// The engine.
    pub engine: Engine,
    /// The pod.
    pub pod: String,
    /// The container; [`ContainerLabel::SANDBOX`] for the pod's sandbox (pause).
    pub container: String,
    /// The container's id.
    pub id: String,
}

impl ContainerLabel {
    /// The container name of a pod's sandbox, as kubelet's dockershim named it (`k8s_POD_…`).
    pub const SANDBOX: &'static str = "POD";

    /// Whether it is the pod's sandbox.
    pub fn is_sandbox(&self) -> bool {
        self.container == Self::SANDBOX
    }
}

/// A world's whole state, as a file.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Snapshot {
    /// Always [`SNAPSHOT_FORMAT`].
    pub format: String,
    /// Always [`FORMAT_VERSION`] when written by this crate.
    pub version: u32,
    /// Where pids wrap.
    #[serde(default = "default_pid_max")]
    pub pid_max: u32,
    /// The identity the next new namespace gets (default: one above the highest listed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_ns_id: Option<u64>,
    /// Living namespaces, by identity.
    pub namespaces: Vec<NamespaceRecord>,
    /// Processes, siblings in the kernel's list order.
    pub processes: Vec<ProcessRecord>,
}

fn default_pid_max() -> u32 {
    PID_MAX_DEFAULT
}

pub(crate) fn check_header(format: &str, expected: &str, version: u32) -> Result<(), FormatError> {
    if format != expected {
        return Err(FormatError::UnknownFormat(format.to_owned()));
    }
    if version != FORMAT_VERSION {
        return Err(FormatError::UnsupportedVersion {
            format: format.to_owned(),
            version,
        });
    }
    Ok(())
}

/// One step of a trace: an event and what it did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The event.
    pub event: Event,
    /// What the kernel did (empty if refused).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<Outcome>,
    /// Why the event was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ModelError>,
}

/// A recorded history: a starting state and the steps applied to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    /// Always [`TRACE_FORMAT`].
    pub format: String,
    /// Always [`FORMAT_VERSION`] when written by this crate.
    pub version: u32,
    /// What was recorded, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The state before the first step.
    pub initial: Snapshot,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

impl Trace {
    /// Applies every step to the initial state, checking each result against the recorded one,
    /// and returns the final world.
    pub fn replay(&self) -> Result<World, FormatError> {
        self.replay_prefix(self.steps.len())
    }

    /// Like [`Trace::replay`], stopping after `steps` steps.
    pub fn replay_prefix(&self, steps: usize) -> Result<World, FormatError> {
        check_header(&self.format, TRACE_FORMAT, self.version)?;
        let mut world = World::from_snapshot(&self.initial)?;
        for (index, step) in self.steps.iter().take(steps).enumerate() {
            let replayed = world.apply(step.event.clone());
            let recorded = match &step.error {
                Some(error) => Err(error.clone()),
                None => Ok(step.outcomes.clone()),
            };
            if replayed != recorded {
                return Err(FormatError::Diverged {
                    step: index,
                    event: step.event.clone(),
                    recorded,
                    replayed,
                });
            }
        }
        Ok(world)
    }
}

/// Applies events to a world and writes them down as a [`Trace`]: what the native recorder and
/// the browser both use.
#[derive(Clone, Debug)]
pub struct Recorder {
    world: World,
    trace: Trace,
}

impl Recorder {
    /// Starts recording from `world`.
    pub fn new(world: World, title: Option<String>) -> Recorder {
        let initial = world.to_snapshot();
        let trace = Trace {
            format: TRACE_FORMAT.to_owned(),
            version: FORMAT_VERSION,
            title,
            initial,
            steps: Vec::new(),
        };
        Recorder { world, trace }
    }

    /// Applies the event and records it, refused or not.
    pub fn record(&mut self, event: Event) -> Result<Vec<Outcome>, ModelError> {
        let result = self.world.apply(event.clone());
        let (outcomes, error) = match &result {
            Ok(outcomes) => (outcomes.clone(), None),
            Err(error) => (Vec::new(), Some(error.clone())),
        };
        self.trace.steps.push(Step {
            event,
            outcomes,
            error,
        });
        result
    }

    /// The world as it is now.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The trace so far.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// Ends recording.
    pub fn into_trace(self) -> Trace {
        self.trace
    }
}

/// A file the tutorial or the CLI can open: either format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Document {
    /// A state.
    Snapshot(Snapshot),
    /// A history.
    Trace(Trace),
}

#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

impl Document {
    /// Reads either format from JSON text, checking the format, version and consistency (a
    /// trace is replayed in full), so a loaded document always opens.
    pub fn from_json(text: &str) -> Result<Document, FormatError> {
        let json = |e: serde_json::Error| FormatError::Json(e.into());
        let header: Header = serde_json::from_str(text).map_err(json)?;
        let document = match header.format.as_str() {
            SNAPSHOT_FORMAT => {
                check_header(&header.format, SNAPSHOT_FORMAT, header.version)?;
                let snapshot: Snapshot = serde_json::from_str(text).map_err(json)?;
                World::from_snapshot(&snapshot)?;
                Document::Snapshot(snapshot)
            }
            TRACE_FORMAT => {
                check_header(&header.format, TRACE_FORMAT, header.version)?;
                let trace: Trace = serde_json::from_str(text).map_err(json)?;
                trace.replay()?;
                Document::Trace(trace)
            }
            other => return Err(FormatError::UnknownFormat(other.to_owned())),
        };
        Ok(document)
    }

    /// Writes the document as pretty JSON.
    pub fn to_json(&self) -> String {
        let result = match self {
            Document::Snapshot(snapshot) => serde_json::to_string_pretty(snapshot),
            Document::Trace(trace) => serde_json::to_string_pretty(trace),
        };
        // Serializing these types cannot fail: every map key is a string.
        result.unwrap_or_else(|e| unreachable!("serializing a document failed: {e}"))
    }
}
