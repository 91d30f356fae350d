//! The guided scenarios, as data: each a JSON file under `core/scenarios/`, embedded at build
//! time, with its question, steps in English and Korean, what each step does, and what must
//! hold after it.
//!
//! Processes are named by labels: `runtime` (containerd), `host` (the host's init), and for a
//! pod `web`: `web/pause`, `web/shim`, `web/CONTAINER` (its first process); for a docker
//! container its name. Actions that create a process give it a label with `as`. `#N` names the
//! process with host pid N.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::ns::NsKind;
use crate::outcome::Outcome;
use crate::pod::{DockerRun, Node, NodeStep, PodError, PodSpec, Program};
use crate::process::{Disposition, Pid, ProcState, WaitTarget};
use crate::signal::Signal;

mod files {
    include!(concat!(env!("OUT_DIR"), "/scenario_files.rs"));
}

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
    /// A process forks; the child gets the label `as` and, with `comm`, execs that program.
    Fork {
        /// The parent's label.
        process: String,
        /// The child's label.
        #[serde(rename = "as")]
        label: String,
        /// The program the child execs.
        #[serde(default)]
        comm: Option<String>,
        /// New namespaces for the child (`unshare -p -f` makes a nested pid namespace).
        #[serde(default)]
        new: crate::ns::NsKinds,
    },
    /// A process exits.
    Exit {
        /// Its label.
        process: String,
        /// Its exit code.
        #[serde(default)]
        code: u8,
    },
    /// `kill(target, signal)` from a process; `target` is a pid as that process sees it.
    Kill {
        /// The sender's label.
        from: String,
        /// The target's pid in the sender's pid namespace.
        target: u32,
        /// The signal.
        signal: Signal,
    },
    /// `kill` of a labelled process from the host (the runtime).
    KillFromHost {
        /// The target's label.
        process: String,
        /// The signal.
        signal: Signal,
    },
    /// A process waits for a child.
    Wait {
        /// Its label.
        process: String,
        /// WNOHANG.
        #[serde(default)]
        nohang: bool,
    },
    /// A process changes a signal's disposition.
    Sigaction {
        /// Its label.
        process: String,
        /// The signal.
        signal: Signal,
        /// The disposition.
        action: Disposition,
    },
    /// PR_SET_CHILD_SUBREAPER.
    SetSubreaper {
        /// Its label.
        process: String,
    },
    /// `kubectl exec` (K26).
    Exec {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
        /// The new process's label.
        #[serde(rename = "as")]
        label: String,
        /// Its program.
        comm: String,
    },
    /// An exec probe whose helper outlives it (K26).
    ExecProbe {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
    },
    /// kubelet restarts a container in the same sandbox.
    RestartContainer {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
    },
    /// Stop one container (K28, and K17 for its SIGTERM).
    StopContainer {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
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
}

/// Something that must hold after a step. `pod` + `container` name the pid namespace a view is
/// taken from (the container's first process's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Expect {
    /// Pid 1, seen from inside the container, runs `comm`.
    Pid1 {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
        /// Its command name.
        comm: String,
    },
    /// Seen from inside the container, `pid` is a zombie whose parent is `ppid`.
    Zombie {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
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
        /// The pod.
        pod: String,
        /// The container.
        container: String,
        /// Its command name.
        comm: String,
        /// Its parent's pid there.
        ppid: u32,
    },
    /// How many processes `ps` shows inside the container.
    Visible {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
        /// The count.
        count: usize,
    },
    /// Whether two labelled processes share their namespace of `kind` (K1).
    Shares {
        /// One process.
        a: String,
        /// The other.
        b: String,
        /// The kind.
        kind: NsKind,
        /// Shared or not.
        same: bool,
    },
    /// The labelled process sees this hostname.
    Hostname {
        /// The process.
        process: String,
        /// The hostname.
        value: String,
    },
    /// The step's signal was dropped by K17.
    Dropped,
    /// The step's action was refused with a message containing this text.
    Refused {
        /// Part of the message.
        contains: String,
    },
    /// The labelled process is running (not exited).
    Alive {
        /// Its label.
        process: String,
    },
    /// The labelled process has exited (zombie or gone).
    Dead {
        /// Its label.
        process: String,
    },
    /// The labelled process is gone: it exited and was reaped (or released, K14/K15).
    Reaped {
        /// Its label.
        process: String,
    },
    /// The labelled process ended with this status as a shell shows it (137 = SIGKILL).
    ExitStatus {
        /// Its label.
        process: String,
        /// The status.
        code: u8,
    },
    /// The labelled process has these pids, host first (K7).
    Nspid {
        /// Its label.
        process: String,
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
        /// The pod.
        pod: String,
        /// The container.
        container: String,
        /// The count.
        count: u32,
    },
    /// The runtime said something containing this text during the step.
    RuntimeSays {
        /// Part of the message.
        contains: String,
    },
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
    pub rules: Vec<crate::rule::Rule>,
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

/// A scenario file that cannot be used, or a step whose expectation failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", step.map(|s| format!(", step {}", s + 1)).unwrap_or_default())]
pub struct ScenarioError {
    /// The file (or scenario id).
    pub file: String,
    /// The step, from 0.
    pub step: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl Scenario {
    /// Reads a scenario from JSON, checking that every text is there in both languages.
    pub fn from_json(file: &str, text: &str) -> Result<Scenario, ScenarioError> {
        let error = |step, message: String| ScenarioError {
            file: file.to_owned(),
            step,
            message,
        };
        let scenario: Scenario =
            serde_json::from_str(text).map_err(|e| error(None, e.to_string()))?;
        let missing = |t: &Text| t.en.trim().is_empty() || t.ko.trim().is_empty();
        if missing(&scenario.title) || missing(&scenario.question) {
            return Err(error(
                None,
                "the title and the question need English and Korean text".into(),
            ));
        }
        if scenario.steps.is_empty() {
            return Err(error(None, "a scenario needs at least one step".into()));
        }
        if let Some(index) = scenario.steps.iter().position(|s| missing(&s.say)) {
            return Err(error(
                Some(index),
                "the step needs English and Korean text".into(),
            ));
        }
        Ok(scenario)
    }

    /// Every embedded scenario, in file order.
    pub fn all() -> Result<Vec<Scenario>, ScenarioError> {
        files::FILES
            .iter()
            .map(|(file, text)| Scenario::from_json(file, text))
            .collect()
    }

    /// The same scenario with every pod it creates changed by `change`: the "what if" of the
    /// tutorial's pod toggles.
    pub fn map_pods(&self, change: impl Fn(&mut PodSpec)) -> Scenario {
        let mut scenario = self.clone();
        for step in &mut scenario.steps {
            for action in &mut step.actions {
                if let Action::CreatePod { pod } = action {
                    change(pod);
                }
            }
        }
        scenario
    }

    /// The first pod the scenario creates.
    pub fn first_pod(&self) -> Option<&PodSpec> {
        self.steps
            .iter()
            .flat_map(|step| &step.actions)
            .find_map(|action| match action {
                Action::CreatePod { pod } => Some(pod),
                _ => None,
            })
    }

    /// Plays the scenario from a fresh node, checking every expectation; stops at the first
    /// failure, naming the step.
    pub fn check(&self) -> Result<Player, ScenarioError> {
        let mut player = Player::new();
        for index in 0..self.steps.len() {
            player.play(self, index).map_err(|message| ScenarioError {
                file: self.id.clone(),
                step: Some(index),
                message,
            })?;
        }
        Ok(player)
    }
}

/// Plays a scenario's steps on a node, keeping the labels.
#[derive(Clone, Debug)]
pub struct Player {
    node: Node,
    labels: BTreeMap<String, Pid>,
    /// What the last step did, for the views.
    pub last: Vec<NodeStep>,
    /// The last step's refusal, if any.
    pub refused: Option<PodError>,
}

impl Default for Player {
    fn default() -> Self {
        Player::new()
    }
}

impl Player {
    /// A fresh node.
    pub fn new() -> Player {
        let node = Node::new();
        let labels = [
            ("host".to_owned(), Pid(1)),
            ("runtime".to_owned(), node.runtime()),
        ]
        .into_iter()
        .collect();
        Player {
            node,
            labels,
            last: Vec::new(),
            refused: None,
        }
    }

    /// The node.
    pub fn node(&self) -> &Node {
        &self.node
    }

    /// The host pid of a label. `#N` names host pid N directly, so that a user acting on any
    /// process of the tree needs no label.
    pub fn pid(&self, label: &str) -> Option<Pid> {
        match label.strip_prefix('#') {
            Some(pid) => pid.parse().ok().map(Pid),
            None => self.labels.get(label).copied(),
        }
    }

    /// Plays step `index` of `scenario`: its actions, then its expectations.
    pub fn play(&mut self, scenario: &Scenario, index: usize) -> Result<(), String> {
        let step = &scenario.steps[index];
        self.perform(step)?;
        step.expect.iter().try_for_each(|expect| self.holds(expect))
    }

    /// Runs a step's actions without checking its expectations, for a view that shows each
    /// check's result (a scenario replayed with a changed pod may break them on purpose). A
    /// refusal stops the step and is kept in `refused`; an action naming an unknown process
    /// is an error.
    pub fn perform(&mut self, step: &ScenarioStep) -> Result<(), String> {
        self.last.clear();
        self.refused = None;
        for action in &step.actions {
            match self.act(action) {
                Ok(()) => {}
                Err(Refusal::Pod(error)) => {
                    self.refused = Some(error);
                    break;
                }
                Err(Refusal::Script(message)) => return Err(message),
            }
        }
        Ok(())
    }

    fn label(&self, label: &str) -> Result<Pid, Refusal> {
        self.pid(label)
            .ok_or_else(|| Refusal::Script(format!("unknown process label {label:?}")))
    }

    fn kernel(&mut self, event: Event) -> Result<Vec<Outcome>, Refusal> {
        let outcomes = self.node.kernel(event)?;
        self.keep_steps();
        Ok(outcomes)
    }

    fn act(&mut self, action: &Action) -> Result<(), Refusal> {
        match action {
            Action::CreatePod { pod } => {
                self.node.create_pod(pod.clone())?;
                self.keep_steps();
                self.relabel(&pod.name)?;
            }
            Action::DockerRun { run } => {
                let pid = self.node.docker_run(run.clone())?;
                self.keep_steps();
                self.labels.insert(run.name.clone(), pid);
            }
            Action::Fork {
                process,
                label,
                comm,
                new,
            } => {
                let parent = self.label(process)?;
                let outcomes = self.kernel(Event::Fork {
                    pid: parent,
                    new: *new,
                })?;
                if let Some(failed) = outcomes
                    .iter()
                    .find(|o| matches!(o, Outcome::ForkFailed { .. }))
                {
                    return Err(Refusal::Pod(PodError::ForkFailed(failed.to_string())));
                }
                let child = outcomes.iter().find_map(|o| match o {
                    Outcome::Forked { child, .. } => Some(*child),
                    _ => None,
                });
                let child =
                    child.ok_or_else(|| Refusal::Script("fork reported no child".into()))?;
                self.labels.insert(label.clone(), child);
                if let Some(comm) = comm {
                    self.kernel(Event::Exec {
                        pid: child,
                        comm: comm.clone(),
                    })?;
                }
            }
            Action::Exit { process, code } => {
                let pid = self.label(process)?;
                self.kernel(Event::Exit { pid, code: *code })?;
            }
            Action::Kill {
                from,
                target,
                signal,
            } => {
                let pid = self.label(from)?;
                self.kernel(Event::Kill {
                    pid,
                    target: Pid(*target),
                    signal: *signal,
                })?;
            }
            Action::KillFromHost { process, signal } => {
                let target = self.label(process)?;
                self.kernel(Event::Kill {
                    pid: self.node.runtime(),
                    target,
                    signal: *signal,
                })?;
            }
            Action::Wait { process, nohang } => {
                let pid = self.label(process)?;
                self.kernel(Event::Wait {
                    pid,
                    target: WaitTarget::Any,
                    nohang: *nohang,
                })?;
            }
            Action::Sigaction {
                process,
                signal,
                action,
            } => {
                let pid = self.label(process)?;
                self.kernel(Event::Sigaction {
                    pid,
                    signal: *signal,
                    action: *action,
                    nocldwait: false,
                })?;
            }
            Action::SetSubreaper { process } => {
                let pid = self.label(process)?;
                self.kernel(Event::SetSubreaper { pid, on: true })?;
            }
            Action::Exec {
                pod,
                container,
                label,
                comm,
            } => {
                let pid = self.node.exec_into(pod, container, &Program::named(comm))?;
                self.keep_steps();
                self.labels.insert(label.clone(), pid);
            }
            Action::ExecProbe { pod, container } => {
                self.node.exec_probe(pod, container)?;
                self.keep_steps();
            }
            Action::StopContainer { pod, container } => {
                self.node.stop_container(pod, container)?;
                self.keep_steps();
            }
            Action::RestartContainer { pod, container } => {
                self.node.restart_container(pod, container)?;
                self.keep_steps();
                self.relabel(pod)?;
            }
            Action::KillPause { pod } => {
                self.node.kill_pause(pod)?;
                self.keep_steps();
                self.relabel(pod)?;
            }
            Action::DeletePod { pod } => {
                self.node.delete_pod(pod)?;
                self.keep_steps();
            }
        }
        Ok(())
    }

    /// Names the pod's processes after a change: `POD/pause`, `POD/shim`, `POD/CONTAINER`.
    fn relabel(&mut self, name: &str) -> Result<(), Refusal> {
        let pod = self
            .node
            .pod(name)
            .cloned()
            .ok_or_else(|| Refusal::Script(format!("pod {name} vanished")))?;
        self.labels.insert(format!("{name}/pause"), pod.pause);
        self.labels.insert(format!("{name}/shim"), pod.shim);
        for container in &pod.containers {
            self.labels
                .insert(format!("{name}/{}", container.name), container.init);
        }
        Ok(())
    }

    /// Keeps what the node's last operation did, for the step's views and expectations.
    fn keep_steps(&mut self) {
        self.last.extend(self.node.last_steps().iter().cloned());
    }

    /// The pid namespace of a container's first process, and `ps` from there.
    fn view(&self, pod: &str, container: &str) -> Result<Vec<crate::view::PsRow>, String> {
        let init = self
            .pid(&format!("{pod}/{container}"))
            .ok_or_else(|| format!("no container {pod}/{container}"))?;
        let process = self
            .node
            .world()
            .process(init)
            .ok_or_else(|| format!("{pod}/{container} has been reaped"))?;
        self.node
            .world()
            .ps(process.namespaces().get(NsKind::Pid))
            .ok_or_else(|| format!("{pod}/{container}'s pid namespace is gone"))
    }

    /// The host pid of a label, or a message naming the unknown label.
    fn labelled(&self, label: &str) -> Result<Pid, String> {
        self.pid(label)
            .ok_or_else(|| format!("unknown process label {label:?}"))
    }

    fn process_state(&self, label: &str) -> Result<Option<ProcState>, String> {
        let pid = self.labelled(label)?;
        Ok(self.node.world().process(pid).map(|p| p.state()))
    }

    /// Checks one expectation; the message says what was found instead.
    pub fn holds(&self, expect: &Expect) -> Result<(), String> {
        let world = self.node.world();
        let fail = |found: String| Err(format!("expected {expect:?}, found {found}"));
        match expect {
            Expect::Pid1 {
                pod,
                container,
                comm,
            } => {
                let rows = self.view(pod, container)?;
                match rows.iter().find(|r| r.pid == Pid(1)) {
                    Some(row) if row.comm == *comm => Ok(()),
                    other => fail(format!("{:?}", other.map(|r| &r.comm))),
                }
            }
            Expect::Zombie {
                pod,
                container,
                pid,
                ppid,
            } => {
                let rows = self.view(pod, container)?;
                match rows.iter().find(|r| r.pid == Pid(*pid)) {
                    Some(row)
                        if matches!(row.state, ProcState::Zombie(_)) && row.ppid == Pid(*ppid) =>
                    {
                        Ok(())
                    }
                    other => fail(format!("{other:?}")),
                }
            }
            Expect::NoZombies { pod } => {
                let prefix = pod.as_ref().map(|p| format!("{p}/"));
                let zombies: Vec<Pid> = world
                    .zombies()
                    .into_iter()
                    .filter(|z| {
                        prefix.as_ref().is_none_or(|p| {
                            self.node
                                .cgroup(*z)
                                .is_some_and(|g| g.starts_with(p.as_str()))
                        })
                    })
                    .collect();
                if zombies.is_empty() {
                    Ok(())
                } else {
                    fail(format!("zombies {zombies:?}"))
                }
            }
            Expect::Ppid {
                pod,
                container,
                comm,
                ppid,
            } => {
                let rows = self.view(pod, container)?;
                match rows.iter().find(|r| r.comm == *comm && r.state.is_alive()) {
                    Some(row) if row.ppid == Pid(*ppid) => Ok(()),
                    other => fail(format!("{other:?}")),
                }
            }
            Expect::Visible {
                pod,
                container,
                count,
            } => {
                let rows = self.view(pod, container)?;
                if rows.len() == *count {
                    Ok(())
                } else {
                    fail(format!("{} processes", rows.len()))
                }
            }
            Expect::Shares { a, b, kind, same } => {
                let ns = |label: &str| -> Result<_, String> {
                    let pid = self.labelled(label)?;
                    Ok(world
                        .process(pid)
                        .ok_or_else(|| format!("{label} is gone"))?
                        .namespaces()
                        .get(*kind))
                };
                let (x, y) = (ns(a)?, ns(b)?);
                if (x == y) == *same {
                    Ok(())
                } else {
                    fail(format!("{kind}:[{x}] and {kind}:[{y}]"))
                }
            }
            Expect::Hostname { process, value } => {
                let pid = self.labelled(process)?;
                match self.node.hostname(pid) {
                    Some(found) if found == value => Ok(()),
                    other => fail(format!("{other:?}")),
                }
            }
            Expect::Dropped => {
                let dropped = self.last.iter().any(|s| {
                    matches!(s, NodeStep::Kernel { outcomes, .. } if outcomes.iter().any(|o| matches!(o, Outcome::SignalDropped { .. })))
                });
                if dropped {
                    Ok(())
                } else {
                    fail("no dropped signal".into())
                }
            }
            Expect::Refused { contains } => match &self.refused {
                Some(error) if error.to_string().contains(contains.as_str()) => Ok(()),
                other => fail(format!("{:?}", other.as_ref().map(ToString::to_string))),
            },
            Expect::Alive { process } => match self.process_state(process)? {
                Some(state) if state.is_alive() => Ok(()),
                other => fail(format!("{other:?}")),
            },
            Expect::Reaped { process } => match self.process_state(process)? {
                Some(state) => fail(format!("{state:?}")),
                None => Ok(()),
            },
            Expect::Dead { process } => match self.process_state(process)? {
                Some(state) if state.is_alive() => fail(format!("{state:?}")),
                _ => Ok(()),
            },
            Expect::ExitStatus { process, code } => {
                let pid = self.labelled(process)?;
                let status = self.exit_status(pid);
                if status == Some(*code) {
                    Ok(())
                } else {
                    fail(format!("{status:?}"))
                }
            }
            Expect::Nspid { process, nspid } => {
                let pid = self.labelled(process)?;
                match world.process(pid) {
                    Some(p) if p.nspid() == nspid.as_slice() => Ok(()),
                    other => fail(format!("{:?}", other.map(|p| p.nspid().to_vec()))),
                }
            }
            Expect::PodIp { pod, ip } => match self.node.pod(pod).and_then(|p| p.ip.clone()) {
                Some(found) if found == *ip => Ok(()),
                other => fail(format!("{other:?}")),
            },
            Expect::Restarts {
                pod,
                container,
                count,
            } => {
                let found = self
                    .node
                    .pod(pod)
                    .and_then(|p| p.containers.iter().find(|c| c.name == *container))
                    .map(|c| c.restarts);
                if found == Some(*count) {
                    Ok(())
                } else {
                    fail(format!("{found:?}"))
                }
            }
            Expect::RuntimeSays { contains } => {
                let said = self.last.iter().any(|s| matches!(s, NodeStep::Runtime { message, .. } if message.contains(contains.as_str())));
                if said {
                    Ok(())
                } else {
                    fail("no such runtime message".into())
                }
            }
        }
    }

    /// The status a labelled process exited with (from the step that ended it, or its zombie).
    fn exit_status(&self, pid: Pid) -> Option<u8> {
        if let Some(ProcState::Zombie(status)) = self.node.world().process(pid).map(|p| p.state()) {
            return Some(status.shell_code());
        }
        self.last.iter().rev().find_map(|step| match step {
            NodeStep::Kernel { outcomes, .. } => outcomes.iter().find_map(|o| match o {
                Outcome::Exited { pid: p, status } if *p == pid => Some(status.shell_code()),
                _ => None,
            }),
            NodeStep::Runtime { .. } => None,
        })
    }
}

/// Why an action did not happen: the node refused it (an expected part of some scenarios), or
/// the scenario itself is wrong.
enum Refusal {
    Pod(PodError),
    Script(String),
}

impl From<PodError> for Refusal {
    fn from(error: PodError) -> Self {
        Refusal::Pod(error)
    }
}
