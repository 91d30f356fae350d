//! The scenario format: what a scenario file holds. Each scenario is a JSON file under
//! `core/scenarios/`; [`super::Scenario::all`] reads them, [`super::Player`] plays them.

use serde::{Deserialize, Serialize};

use super::Label;
use crate::ns::{NsKind, NsKinds};
use crate::pod::{ContainerRef, DockerRun, NoteKind, PodSpec, Refusal};
use crate::process::Disposition;
use crate::rule::Rule;
use crate::signal::Signal;

/// Text in the tutorial's two languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// English.
    pub en: String,
    /// Korean.
    pub ko: String,
}

/// What a step does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Create a pod (K23–K25).
    CreatePod {
        /// Its spec.
        pod: PodSpec,
    },
    /// `docker run` (K21, K22).
    DockerRun {
        /// The flags.
        #[serde(flatten)]
        run: DockerRun,
    },
    /// `docker create`: the container's record, checked as dockerd checks it, not started.
    DockerCreate {
        /// The flags.
        #[serde(flatten)]
        run: DockerRun,
    },
    /// `docker start NAME`: its donors must be running (K21, K22); its first process gets the
    /// container's name as label.
    DockerStart {
        /// The container.
        name: String,
    },
    /// `docker rm [-f] NAME`.
    DockerRm {
        /// The container.
        name: String,
        /// `-f`: a running container is SIGKILLed first.
        #[serde(default)]
        force: bool,
    },
    /// `docker kill [-s SIGNAL] NAME`.
    DockerKill {
        /// The container.
        name: String,
        /// The signal (SIGKILL by default).
        signal: Signal,
    },
    /// `docker stop NAME`: its STOPSIGNAL, then SIGKILL after the grace period.
    DockerStop {
        /// The container.
        name: String,
    },
    /// `docker exec NAME CMD`: the new process gets the name `as`.
    DockerExec {
        /// The container.
        container: String,
        /// The new process's name.
        #[serde(rename = "as")]
        name: String,
        /// What it runs.
        comm: String,
    },
    /// A process forks; the child gets the name `as` and, with `comm`, execs that program.
    Fork {
        /// The parent.
        process: Label,
        /// The child's name.
        #[serde(rename = "as")]
        name: String,
        /// The program the child execs.
        #[serde(default)]
        comm: Option<String>,
        /// New namespaces for the child (`unshare -p -f` makes a nested pid namespace).
        #[serde(default)]
        new: NsKinds,
    },
    /// A process exits.
    Exit {
        /// The process.
        process: Label,
        /// Its exit code.
        #[serde(default)]
        code: u8,
    },
    /// `kill(target, signal)` from a process; `target` is a pid as that process sees it.
    Kill {
        /// The sender.
        from: Label,
        /// The target's pid in the sender's pid namespace.
        target: u32,
        /// The signal.
        signal: Signal,
    },
    /// `kill` of a labelled process from the node: typed in the reader's login shell there
    /// (bash, started when first needed), which sees every pid.
    KillFromHost {
        /// The target.
        process: Label,
        /// The signal.
        signal: Signal,
    },
    /// A process waits for a child.
    Wait {
        /// The process.
        process: Label,
        /// WNOHANG.
        #[serde(default)]
        nohang: bool,
    },
    /// A process changes a signal's disposition.
    Sigaction {
        /// The process.
        process: Label,
        /// The signal.
        signal: Signal,
        /// The disposition.
        action: Disposition,
    },
    /// PR_SET_CHILD_SUBREAPER.
    SetSubreaper {
        /// The process.
        process: Label,
    },
    /// `kubectl exec` (K26).
    Exec {
        /// The container (`pod`, `container`).
        #[serde(flatten)]
        container: ContainerRef,
        /// The new process's name.
        #[serde(rename = "as")]
        name: String,
        /// Its program.
        comm: String,
    },
    /// `kubectl debug --target`: an ephemeral container that joins the target container's pid
    /// namespace (CRI's TARGET mode) and the pod's net, ipc and uts, with a mount namespace,
    /// and so a filesystem, of its own.
    Debug {
        /// The target container (`pod`, `container`).
        #[serde(flatten)]
        container: ContainerRef,
        /// The debugging process's name.
        #[serde(rename = "as")]
        name: String,
        /// Its program (the debug image's shell).
        comm: String,
    },
    /// An exec probe whose helper outlives it (K26).
    ExecProbe {
        /// The container (`pod`, `container`).
        #[serde(flatten)]
        container: ContainerRef,
    },
    /// kubelet restarts a container in the same sandbox.
    RestartContainer {
        /// The container (`pod`, `container`).
        #[serde(flatten)]
        container: ContainerRef,
    },
    /// Stop one container (K28, and K17 for its SIGTERM).
    StopContainer {
        /// The container (`pod`, `container`).
        #[serde(flatten)]
        container: ContainerRef,
    },
    /// Kill pause from the host; kubelet re-creates the sandbox (K27).
    KillPause {
        /// The pod.
        pod: String,
    },
    /// Delete a pod.
    DeletePod {
        /// The pod.
        pod: String,
    },
    /// A line typed at a shell of the model (`crate::shell`): what it prints is kept in the
    /// step's log, and what it does to the node is played as the actions it makes.
    Type {
        /// The shell: a process running sh or bash, exec'd into a container or on the node
        /// (`login`: the reader's login shell there, started if need be).
        process: Label,
        /// The line.
        line: String,
        /// What the line did, as the terminal that ran it recorded it: a build without the
        /// shell's commands (the page) plays these, and a build with them plays these too and
        /// runs the line only for what it prints and what the shell remembers, so both end on
        /// the same node. None: the line is run and its effects played (scenario files).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        effects: Option<Vec<Action>>,
    },
}

/// Something that must hold after a step. `pod` + `container` name the pid namespace a view is
/// taken from (the container's first process's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Expect {
    /// Pid 1, seen from inside the container, runs `comm`.
    Pid1 {
        /// The container (`pod`, `container`).
        #[serde(flatten)]
        container: ContainerRef,
        /// Its command name.
        comm: String,
    },
    /// Seen from inside the container, `pid` is a zombie whose parent is `ppid`.
    Zombie {
        /// The container (`pod`, `container`).
        #[serde(flatten)]
        container: ContainerRef,
        /// Its pid there.
        pid: u32,
        /// Its parent's pid there.
        ppid: u32,
    },
    /// No zombie on the node, or in one pod's containers.
    NoZombies {
        /// Only this pod.
        #[serde(default)]
        pod: Option<String>,
    },
    /// Seen from inside the container, the process running `comm` has parent pid `ppid` (0: outside, K10).
    Ppid {
        /// The container (`pod`, `container`).
        #[serde(flatten)]
        container: ContainerRef,
        /// Its command name.
        comm: String,
        /// Its parent's pid there.
        ppid: u32,
    },
    /// How many processes `ps` shows inside the container.
    Visible {
        /// The container (`pod`, `container`).
        #[serde(flatten)]
        container: ContainerRef,
        /// The count.
        count: usize,
    },
    /// Whether two processes share their namespace of `kind` (K1).
    Shares {
        /// One process.
        a: Label,
        /// The other.
        b: Label,
        /// The kind.
        kind: NsKind,
        /// Shared or not.
        same: bool,
    },
    /// The process sees this hostname.
    Hostname {
        /// The process.
        process: Label,
        /// The hostname.
        value: String,
    },
    /// The step's signal was dropped by K17.
    Dropped,
    /// The step's action was refused for this reason.
    Refused(Refusal),
    /// The process is running (not exited).
    Alive {
        /// The process.
        process: Label,
    },
    /// The process has exited (zombie or gone).
    Dead {
        /// The process.
        process: Label,
    },
    /// The process is gone: it exited and was reaped (or released, K14/K15).
    Reaped {
        /// The process.
        process: Label,
    },
    /// The process ended with this status as a shell shows it (137 = SIGKILL).
    ExitStatus {
        /// The process.
        process: Label,
        /// The status.
        code: u8,
    },
    /// The process has these pids, host first (K7).
    Nspid {
        /// The process.
        process: Label,
        /// Its pids.
        nspid: Vec<u32>,
    },
    /// The pod's IP.
    PodIp {
        /// The pod.
        pod: String,
        /// The IP.
        ip: String,
    },
    /// How often the container was restarted.
    Restarts {
        /// The container (`pod`, `container`).
        #[serde(flatten)]
        container: ContainerRef,
        /// The count.
        count: u32,
    },
    /// The runtime said this during the step.
    RuntimeSays(NoteKind),
}

/// One step of a scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioStep {
    /// What the tutorial says.
    pub say: Text,
    /// What happens.
    #[serde(default, rename = "do")]
    pub actions: Vec<Action>,
    /// What must hold afterwards.
    #[serde(default)]
    pub expect: Vec<Expect>,
}

/// A guided scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A short id, used in URLs.
    pub id: String,
    /// The title.
    pub title: Text,
    /// The question it answers.
    pub question: Text,
    /// The rules it shows.
    pub rules: Vec<Rule>,
    /// Where to read more.
    pub sources: Vec<String>,
    /// The steps.
    pub steps: Vec<ScenarioStep>,
    /// A goal for the reader after the last step, to be reached by changing the pod or acting
    /// on processes; it does not hold when the scenario is played as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<Challenge>,
}

/// What the reader is asked to make true, and how the tutorial checks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    /// The task.
    pub say: Text,
    /// A hint towards the answer.
    pub hint: Text,
    /// What holds once it is done.
    pub expect: Vec<Expect>,
}

/// What a list of scenarios shows of one before it is read whole: the page ships these for
/// every scenario and fetches a scenario's steps when it is opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    /// The scenario's id.
    pub id: String,
    /// Its title.
    pub title: Text,
}

impl Scenario {
    /// Its entry in a list of scenarios.
    pub fn listing(&self) -> Listing {
        Listing {
            id: self.id.clone(),
            title: self.title.clone(),
        }
    }
}
