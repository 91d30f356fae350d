//! Playing a scenario's steps on a node: actions become pod operations and kernel events, and
//! the processes they create get the names the scenario gives them.

use crate::sorted_map::SortedMap;

use super::check::Mismatch;
use super::schema::{Action, Scenario, ScenarioStep};
use super::Label;
#[cfg(feature = "shell")]
use super::StepRefusal;
use crate::event::Event;
use crate::pod::{self, Node, NodeStep, PodError, Program};
use crate::process::Pid;
#[cfg(feature = "shell")]
use crate::shell::{Started, Terminal, Typed};

/// Plays a scenario's steps on a node, keeping the labels.
#[derive(Clone, Debug)]
pub struct Player {
    node: Node,
    labels: SortedMap<Label, Pid>,
    /// The shells lines were typed at, by host pid, each with what it remembers ($?, jobs):
    /// only a build with the shell's commands runs lines.
    #[cfg(feature = "shell")]
    terminals: SortedMap<Pid, Terminal>,
    /// A shell a line typed at another started and entered (`kubectl exec -it`): the outer
    /// shell's pid to the inner's.
    #[cfg(feature = "shell")]
    entered: SortedMap<Pid, Pid>,
    /// What typed lines started processes with, which every shell's `ps -f` shows.
    #[cfg(feature = "shell")]
    started: Started,
    /// The language of the shells' `help` (what the tools print stays English).
    #[cfg(feature = "shell")]
    language: crate::text::Language,
    /// What the last step did, for the views.
    pub last: Vec<NodeStep>,
    /// The last step's refusal, if any.
    pub refused: Option<PodError>,
    /// This player is a copy that a typed line plays on and drops if any of its actions is
    /// refused: the kernel's events need no copy of their own.
    within_copy: bool,
}

/// An action names a process that no step named: the scenario (or a link) is wrong, or a pod it
/// acts on was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownLabel(pub Label);

/// Why a step did not play as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepError {
    /// An action names an unknown process.
    UnknownLabel(UnknownLabel),
    /// A check did not hold.
    Mismatch(Mismatch),
}

impl From<UnknownLabel> for StepError {
    fn from(error: UnknownLabel) -> StepError {
        StepError::UnknownLabel(error)
    }
}

impl std::error::Error for StepError {}
impl std::error::Error for UnknownLabel {}

impl Default for Player {
    fn default() -> Self {
        Player::new()
    }
}

/// Why an action did not happen: the node refused it (an expected part of some scenarios), or
/// it names no process.
enum Refusal {
    Pod(PodError),
    Unknown(UnknownLabel),
}

impl From<PodError> for Refusal {
    fn from(error: PodError) -> Self {
        Refusal::Pod(error)
    }
}

impl From<UnknownLabel> for Refusal {
    fn from(error: UnknownLabel) -> Self {
        Refusal::Unknown(error)
    }
}

impl Player {
    /// A fresh node.
    pub fn new() -> Player {
        let node = Node::new();
        let labels = [(Label::Host, Pid(1)), (Label::Runtime, node.runtime())]
            .into_iter()
            .collect();
        Player {
            node,
            labels,
            #[cfg(feature = "shell")]
            terminals: SortedMap::default(),
            #[cfg(feature = "shell")]
            entered: SortedMap::default(),
            #[cfg(feature = "shell")]
            started: Started::default(),
            #[cfg(feature = "shell")]
            language: crate::text::Language::English,
            last: Vec::new(),
            refused: None,
            within_copy: false,
        }
    }

    /// The node.
    pub fn node(&self) -> &Node {
        &self.node
    }

    /// The reader's login shell on the node (see [`Node::login_shell`]), started if need be:
    /// where a terminal "on the node" types, and the sender of a kill from the node.
    pub fn login_shell(&mut self) -> Result<Pid, PodError> {
        self.last.clear();
        let shell = self.node.login_shell()?;
        self.keep_steps();
        Ok(shell)
    }

    /// The host pid of the process a label names.
    pub fn pid(&self, label: &Label) -> Option<Pid> {
        match label {
            Label::HostPid(pid) => Some(*pid),
            Label::Login => self.node.login(),
            other => self.labels.get(other).copied(),
        }
    }

    /// Plays step `index` of `scenario`: its actions, then its expectations.
    pub fn play(&mut self, scenario: &Scenario, index: usize) -> Result<(), StepError> {
        let step = &scenario.steps[index];
        self.perform(step)?;
        step.expect
            .iter()
            .try_for_each(|expect| self.holds(expect))
            .map_err(StepError::Mismatch)
    }

    /// Runs a step's actions without checking its expectations, for a view that shows each
    /// check's result (a scenario replayed with a changed pod may break them on purpose). A
    /// refusal stops the step and is kept in `refused`.
    pub fn perform(&mut self, step: &ScenarioStep) -> Result<(), UnknownLabel> {
        self.last.clear();
        self.refused = None;
        for action in &step.actions {
            match self.act(action) {
                Ok(()) => {}
                Err(Refusal::Pod(error)) => {
                    self.refused = Some(error);
                    break;
                }
                Err(Refusal::Unknown(error)) => return Err(error),
            }
        }
        Ok(())
    }

    /// Runs one action: `Ok(None)` when it happened, `Ok(Some(refusal))` when the node refused
    /// it (and was left as it was). For a driver that checks something after every action.
    pub fn perform_action(&mut self, action: &Action) -> Result<Option<PodError>, UnknownLabel> {
        self.last.clear();
        match self.act(action) {
            Ok(()) => Ok(None),
            Err(Refusal::Pod(error)) => Ok(Some(error)),
            Err(Refusal::Unknown(error)) => Err(error),
        }
    }

    fn label(&self, label: &Label) -> Result<Pid, UnknownLabel> {
        self.pid(label).ok_or_else(|| UnknownLabel(label.clone()))
    }

    fn kernel(&mut self, event: Event) -> Result<Vec<crate::Outcome>, Refusal> {
        let outcomes = if self.within_copy {
            self.node.kernel_within_copy(event)?
        } else {
            self.node.kernel(event)?
        };
        self.keep_steps();
        Ok(outcomes)
    }

    /// An action of the kernel alone, with the fork's child named as the step says.
    fn kernel_action(&mut self, action: &Action) -> Result<(), Refusal> {
        // A kill from the node is typed in the reader's login shell there.
        if let Action::KillFromHost { process, signal } = action {
            let target = self.label(process)?;
            self.node.kill_from_node(target, *signal)?;
            self.keep_steps();
            return Ok(());
        }
        let runtime = self.node.runtime();
        let Some(call) = action.kernel_call(|label| self.label(label), runtime) else {
            return Ok(());
        };
        let call = call?;
        let outcomes = self.kernel(call.event.clone())?;
        if let (Event::Fork { pid: parent, .. }, Action::Fork { name, .. }) = (&call.event, action)
        {
            let child = pod::forked(*parent, &outcomes)?;
            self.labels.insert(Label::Named(name.clone()), child);
            if let Some(comm) = call.exec {
                self.kernel(Event::Exec {
                    pid: child,
                    comm: comm.to_owned(),
                })?;
            }
        }
        Ok(())
    }

    fn act(&mut self, action: &Action) -> Result<(), Refusal> {
        match action {
            Action::CreatePod { pod } => {
                self.node.create_pod(pod.clone())?;
                self.keep_steps();
                self.relabel(&pod.name);
            }
            Action::DockerRun { run } => {
                let pid = self.node.docker_run(run.clone())?;
                self.keep_steps();
                self.labels.insert(Label::Named(run.name.clone()), pid);
            }
            Action::DockerCreate { run } => {
                self.node.docker_create(run.clone())?;
                self.keep_steps();
            }
            Action::DockerStart { name } => {
                let pid = self.node.docker_start(name)?;
                self.keep_steps();
                self.labels.insert(Label::Named(name.clone()), pid);
            }
            Action::DockerKill { name, signal } => {
                self.node.docker_kill(name, *signal)?;
                self.keep_steps();
            }
            Action::DockerStop { name } => {
                self.node.docker_stop(name)?;
                self.keep_steps();
            }
            Action::DockerExec {
                container,
                name,
                comm,
            } => {
                let pid = self.node.docker_exec(container, &Program::named(comm))?;
                self.keep_steps();
                self.labels.insert(Label::Named(name.clone()), pid);
            }
            Action::DockerRm { name, force } => {
                self.node.docker_rm(name, *force)?;
                self.keep_steps();
            }
            Action::Fork { .. }
            | Action::Exit { .. }
            | Action::Kill { .. }
            | Action::KillFromHost { .. }
            | Action::Wait { .. }
            | Action::Sigaction { .. }
            | Action::SetSubreaper { .. } => self.kernel_action(action)?,
            Action::Exec {
                container,
                name,
                comm,
            } => {
                let pid = self.node.exec_into(container, &Program::named(comm))?;
                self.keep_steps();
                self.labels.insert(Label::Named(name.clone()), pid);
            }
            Action::Debug {
                container,
                name,
                comm,
            } => {
                let pid = self
                    .node
                    .debug_container(container, &Program::named(comm))?;
                self.keep_steps();
                self.labels.insert(Label::Named(name.clone()), pid);
            }
            Action::ExecProbe { container } => {
                self.node.exec_probe(container)?;
                self.keep_steps();
            }
            Action::StopContainer { container } => {
                self.node.stop_container(container)?;
                self.keep_steps();
            }
            Action::RestartContainer { container } => {
                self.node.restart_container(container)?;
                self.keep_steps();
                self.relabel(&container.pod);
            }
            Action::KillPause { pod } => {
                self.node.kill_pause(pod)?;
                self.keep_steps();
                self.relabel(pod);
            }
            Action::DeletePod { pod } => {
                self.node.delete_pod(pod)?;
                self.keep_steps();
            }
            Action::Type {
                process,
                line,
                effects,
            } => {
                self.type_line(process, line, effects.as_deref())?;
            }
        }
        Ok(())
    }

    /// A line typed at the shell `process`: the first line opens its terminal (the shell sets
    /// up its signals as an interactive one does before its first prompt); what the line
    /// prints is kept as a step of its own, then the line's actions are played — or the
    /// `effects` recorded with it, when there are. Returns what was played, or none when the
    /// terminal refused the line. All or nothing: a line the terminal refuses, or whose
    /// actions the node refuses, leaves the node and the terminal as they were (a refused line
    /// is still logged, with why).
    #[cfg(feature = "shell")]
    fn type_line(
        &mut self,
        process: &Label,
        line: &str,
        effects: Option<&[Action]>,
    ) -> Result<Option<Vec<Action>>, Refusal> {
        let mut next = self.clone();
        next.within_copy = true;
        let shell = next.shell(process)?;
        let (mut terminal, opening) = match next.terminals.get(&shell) {
            Some(terminal) => (terminal.clone(), Vec::new()),
            None => {
                let comm = next
                    .node
                    .world()
                    .process(shell)
                    .map(|p| p.comm().to_owned())
                    .ok_or_else(|| UnknownLabel(process.clone()))?;
                let terminal = Terminal::new(shell, &comm, crate::text::Language::English);
                let opening = terminal.opening();
                (terminal, opening)
            }
        };
        terminal.set_language(next.language);
        // The terminal runs the line on the node as it is once the shell is open.
        let said = if opening.is_empty() {
            terminal.run(&next.node, &next.started, line)
        } else {
            let mut opened = next.clone();
            for action in &opening {
                opened.act(action)?;
            }
            terminal.run(&opened.node, &next.started, line)
        };
        let step = NodeStep::Typed {
            shell,
            line: line.to_owned(),
            said: said
                .as_ref()
                .map(|typed| (typed.output.clone(), typed.status))
                .map_err(Clone::clone),
        };
        let opening_len = opening.len();
        let played = match (effects, &said) {
            (Some(effects), _) => effects.to_vec(),
            (None, Ok(typed)) => opening.into_iter().chain(typed.actions.clone()).collect(),
            (None, Err(_)) => {
                self.last.push(step);
                return Ok(None);
            }
        };
        next.last.push(step);
        if said.is_ok() {
            next.terminals.insert(shell, terminal);
        }
        for action in &played {
            next.act(action)?;
        }
        // The pids the terminal foresaw are the ones its own actions gave (not other effects
        // recorded with the line).
        if let Ok(typed) = &said {
            if opening_len + typed.actions.len() == played.len() && played.ends_with(&typed.actions)
            {
                next.started.record(typed.started.clone());
            }
        }
        if let Ok(Typed {
            enters: Some(name), ..
        }) = &said
        {
            let inner = next.label(&Label::Named(name.clone()))?;
            next.entered.insert(shell, inner);
        }
        next.within_copy = self.within_copy;
        *self = next;
        Ok(Some(played))
    }

    /// Without the shell's commands (the page): a line is played as the effects recorded with
    /// it; one without them is refused, and nothing changes.
    #[cfg(not(feature = "shell"))]
    fn type_line(
        &mut self,
        process: &Label,
        line: &str,
        effects: Option<&[Action]>,
    ) -> Result<Option<Vec<Action>>, Refusal> {
        let mut next = self.clone();
        next.within_copy = true;
        let shell = next.shell(process)?;
        let Some(effects) = effects else {
            self.last.push(NodeStep::Typed {
                shell,
                line: line.to_owned(),
                said: Err(crate::shell::Refused::NotInThisBuild),
            });
            return Ok(None);
        };
        for action in effects {
            next.act(action)?;
        }
        next.within_copy = self.within_copy;
        *self = next;
        Ok(Some(effects.to_vec()))
    }

    /// The shell a line is typed at: the reader's login shell is started if need be.
    fn shell(&mut self, process: &Label) -> Result<Pid, Refusal> {
        if *process == Label::Login {
            self.node.login_shell()?;
            self.keep_steps();
        }
        Ok(self.label(process)?)
    }

    /// Types `line` at `process` as [`Action::Type`] does, and returns that action with what
    /// it did recorded as its effects, for a build without the shell's commands to replay (the
    /// page's terminal). `Ok(None)`: the terminal refused the line (why is in `last`), and
    /// nothing changed.
    #[cfg(feature = "shell")]
    pub fn type_recorded(
        &mut self,
        process: &Label,
        line: &str,
    ) -> Result<Option<Action>, StepRefusal> {
        self.last.clear();
        self.refused = None;
        match self.type_line(process, line, None) {
            Ok(played) => Ok(played.map(|effects| Action::Type {
                process: process.clone(),
                line: line.to_owned(),
                effects: Some(effects),
            })),
            Err(Refusal::Pod(error)) => Err(StepRefusal::Refused(error)),
            Err(Refusal::Unknown(error)) => Err(StepRefusal::Unknown(error)),
        }
    }

    /// Says the shells' `help` in `language` from now on.
    #[cfg(feature = "shell")]
    pub fn set_language(&mut self, language: crate::text::Language) {
        self.language = language;
    }

    /// The shell a terminal opened on `shell` types into now: a shell it entered with
    /// `kubectl exec -it` (and so on, inwards) while that one lives, else `shell` itself.
    #[cfg(feature = "shell")]
    pub fn typing_at(&self, shell: Pid) -> Pid {
        let mut at = shell;
        let mut depth = 0;
        while let Some(&inner) = self.entered.get(&at) {
            if !self.node.world().is_alive(inner) || depth > 64 {
                break;
            }
            at = inner;
            depth += 1;
        }
        at
    }

    /// What the last line typed printed and its status, or why the terminal refused it: the
    /// last step's log says.
    pub fn last_typed(&self) -> Option<&Result<(String, u8), crate::shell::Refused>> {
        self.last.iter().find_map(|step| match step {
            NodeStep::Typed { said, .. } => Some(said),
            _ => None,
        })
    }

    /// Where a terminal on the node types now: the shell a line entered (`kubectl exec -it`),
    /// by host pid, or the reader's login shell there (`login`, started by the first line).
    #[cfg(feature = "shell")]
    pub fn typing_label(&self) -> Label {
        match self.node.login() {
            Some(login) if self.typing_at(login) != login => Label::HostPid(self.typing_at(login)),
            _ => Label::Login,
        }
    }

    /// Gives a process a name, as a step's `as` does.
    #[cfg(feature = "shell")]
    pub(crate) fn name_process(&mut self, name: &str, pid: Pid) {
        self.labels.insert(Label::Named(name.to_owned()), pid);
    }

    /// Names the pod's processes after a change: `POD/pause`, `POD/shim`, `POD/CONTAINER`. The
    /// names stay after the pod is gone, so a check can say its processes were reaped.
    fn relabel(&mut self, name: &str) {
        let Some(pod) = self.node.pod(name) else {
            return;
        };
        let mut labels = vec![
            (
                Label::Pause {
                    pod: name.to_owned(),
                },
                pod.pause,
            ),
            (
                Label::Shim {
                    pod: name.to_owned(),
                },
                pod.shim,
            ),
        ];
        labels.extend(pod.containers.iter().map(|container| {
            let id = pod::ContainerRef::new(name, &container.name);
            (Label::Container(id), container.init)
        }));
        self.labels.extend(labels);
    }

    /// Keeps what the node's last operation did, for the step's views and expectations.
    fn keep_steps(&mut self) {
        self.last.extend(self.node.last_steps().iter().cloned());
    }
}
