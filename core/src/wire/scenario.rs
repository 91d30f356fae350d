//! The guided scenarios and a reader's actions: every field of a [`Scenario`] and an
//! [`Action`] in declaration order. Names of processes ([`Label`]) and docker's namespace flags
//! are written as the text a scenario file spells them with, and read back through the same
//! parser.

use super::{framed, unframed, Reader, WireError, Writer};
use crate::pod::{
    ContainerRef, ContainerSpec, DockerRun, Flavor, IpcFlag, IpcMode, NetworkFlag, NoteKind,
    PidFlag, PodSpec, Program, Refusal,
};
use crate::rule::Rule;
use crate::scenario::{Action, Challenge, Expect, Label, Scenario, ScenarioStep, Text};

/// The first bytes of the scenarios: "pauselab scenarios", and the layout's version.
const SCENARIOS: &[u8; 4] = b"PLS\x01";
/// The first bytes of a reader's actions: "pauselab actions", and the layout's version.
const ACTIONS: &[u8; 4] = b"PLA\x01";
/// How deep programs may start programs (`forks`): the scenarios go two deep; a link is input
/// from anywhere, and reading recurses.
const PROGRAM_DEPTH: usize = 16;

/// Writes the scenarios.
pub fn encode_scenarios(scenarios: &[Scenario]) -> Vec<u8> {
    framed(SCENARIOS, |out| out.list(scenarios, Writer::scenario))
}

/// Reads the scenarios: all of them, or an error.
pub fn decode_scenarios(bytes: &[u8]) -> Result<Vec<Scenario>, WireError> {
    unframed(bytes, SCENARIOS, |input| input.list(Reader::scenario))
}

/// Writes a reader's actions.
pub fn encode_actions(actions: &[Action]) -> Vec<u8> {
    framed(ACTIONS, |out| out.list(actions, Writer::action))
}

/// Reads a reader's actions: all of them, or an error.
pub fn decode_actions(bytes: &[u8]) -> Result<Vec<Action>, WireError> {
    unframed(bytes, ACTIONS, |input| input.list(Reader::action))
}

impl Writer {
    /// A fieldless enum, as its index in `all` (its `ALL`, every variant).
    fn one_of<T: PartialEq>(&mut self, all: &[T], value: &T) {
        // Always found; an index past the end would be refused when read.
        let index = all.iter().position(|v| v == value).unwrap_or(all.len());
        self.uint(index as u64);
    }
}

impl Reader<'_> {
    /// A fieldless enum written by `Writer::one_of`.
    fn one_of<T: Copy>(&mut self, all: &[T], what: &'static str) -> Result<T, WireError> {
        usize::try_from(self.uint()?)
            .ok()
            .and_then(|index| all.get(index))
            .copied()
            .ok_or(WireError::Invalid(what))
    }
}

impl Writer {
    fn scenario(&mut self, scenario: &Scenario) {
        self.str(&scenario.id);
        self.text(&scenario.title);
        self.text(&scenario.question);
        self.list(&scenario.rules, |out, rule| out.one_of(Rule::ALL, rule));
        self.list(&scenario.sources, |out, source| out.str(source));
        self.list(&scenario.steps, Writer::step);
        self.option(scenario.challenge.as_ref(), |out, challenge| {
            out.text(&challenge.say);
            out.text(&challenge.hint);
            out.list(&challenge.expect, Writer::expect);
        });
    }

    fn text(&mut self, text: &Text) {
        self.str(&text.en);
        self.str(&text.ko);
    }

    fn step(&mut self, step: &ScenarioStep) {
        self.text(&step.say);
        self.list(&step.actions, Writer::action);
        self.list(&step.expect, Writer::expect);
    }

    fn label(&mut self, label: &Label) {
        self.str(&label.to_string());
    }

    fn container(&mut self, container: &ContainerRef) {
        self.str(&container.pod);
        self.str(&container.container);
    }

    fn program(&mut self, program: &Program) {
        self.str(&program.comm);
        self.bool(program.reaps);
        self.list(&program.exits_on, |out, signal| out.signal(*signal));
        self.list(&program.catches, |out, signal| out.signal(*signal));
        self.list(&program.ignores, |out, signal| out.signal(*signal));
        self.bool(program.ignores_sigchld);
        self.bool(program.subreaper);
        self.bool(program.forwards);
        self.list(&program.forks, Writer::program);
    }

    fn pod(&mut self, pod: &PodSpec) {
        self.str(&pod.name);
        self.list(&pod.containers, |out, container| {
            out.str(&container.name);
            out.program(&container.program);
        });
        self.bool(pod.share_process_namespace);
        self.bool(pod.host_network);
        self.bool(pod.host_pid);
        self.bool(pod.host_ipc);
        self.one_of(Flavor::ALL, &pod.flavor);
        self.one_of(IpcMode::ALL, &pod.pause_ipc);
    }

    fn docker_run(&mut self, run: &DockerRun) {
        self.str(&run.name);
        self.program(&run.program);
        self.str(&String::from(run.net.clone()));
        self.str(&String::from(run.ipc.clone()));
        self.str(&String::from(run.pid.clone()));
        self.option(run.hostname.as_ref(), |out, name| out.str(name));
        self.list(&run.publish, |out, port| out.str(port));
        self.list(&run.dns, |out, server| out.str(server));
    }

    fn action(&mut self, action: &Action) {
        match action {
            Action::CreatePod { pod } => {
                self.byte(0);
                self.pod(pod);
            }
            Action::DockerRun { run } => {
                self.byte(1);
                self.docker_run(run);
            }
            Action::Fork {
                process,
                name,
                comm,
                new,
            } => {
                self.byte(2);
                self.label(process);
                self.str(name);
                self.option(comm.as_ref(), |out, comm| out.str(comm));
                self.kinds(*new);
            }
            Action::Exit { process, code } => {
                self.byte(3);
                self.label(process);
                self.byte(*code);
            }
            Action::Kill {
                from,
                target,
                signal,
            } => {
                self.byte(4);
                self.label(from);
                self.u32(*target);
                self.signal(*signal);
            }
            Action::KillFromHost { process, signal } => {
                self.byte(5);
                self.label(process);
                self.signal(*signal);
            }
            Action::Wait { process, nohang } => {
                self.byte(6);
                self.label(process);
                self.bool(*nohang);
            }
            Action::Sigaction {
                process,
                signal,
                action,
            } => {
                self.byte(7);
                self.label(process);
                self.signal(*signal);
                self.disposition(*action);
            }
            Action::SetSubreaper { process } => {
                self.byte(8);
                self.label(process);
            }
            Action::Exec {
                container,
                name,
                comm,
            } => {
                self.byte(9);
                self.container(container);
                self.str(name);
                self.str(comm);
            }
            Action::ExecProbe { container } => {
                self.byte(10);
                self.container(container);
            }
            Action::Debug {
                container,
                name,
                comm,
            } => {
                self.byte(15);
                self.container(container);
                self.str(name);
                self.str(comm);
            }
            Action::RestartContainer { container } => {
                self.byte(11);
                self.container(container);
            }
            Action::StopContainer { container } => {
                self.byte(12);
                self.container(container);
            }
            Action::KillPause { pod } => {
                self.byte(13);
                self.str(pod);
            }
            Action::DeletePod { pod } => {
                self.byte(14);
                self.str(pod);
            }
        }
    }

    fn expect(&mut self, expect: &Expect) {
        match expect {
            Expect::Pid1 { container, comm } => {
                self.byte(0);
                self.container(container);
                self.str(comm);
            }
            Expect::Zombie {
                container,
                pid,
                ppid,
            } => {
                self.byte(1);
                self.container(container);
                self.u32(*pid);
                self.u32(*ppid);
            }
            Expect::NoZombies { pod } => {
                self.byte(2);
                self.option(pod.as_ref(), |out, pod| out.str(pod));
            }
            Expect::Ppid {
                container,
                comm,
                ppid,
            } => {
                self.byte(3);
                self.container(container);
                self.str(comm);
                self.u32(*ppid);
            }
            Expect::Visible { container, count } => {
                self.byte(4);
                self.container(container);
                self.uint(*count as u64);
            }
            Expect::Shares { a, b, kind, same } => {
                self.byte(5);
                self.label(a);
                self.label(b);
                self.kind(*kind);
                self.bool(*same);
            }
            Expect::Hostname { process, value } => {
                self.byte(6);
                self.label(process);
                self.str(value);
            }
            Expect::Dropped => self.byte(7),
            Expect::Refused(refusal) => {
                self.byte(8);
                self.one_of(Refusal::ALL, refusal);
            }
            Expect::Alive { process } => {
                self.byte(9);
                self.label(process);
            }
            Expect::Dead { process } => {
                self.byte(10);
                self.label(process);
            }
            Expect::Reaped { process } => {
                self.byte(11);
                self.label(process);
            }
            Expect::ExitStatus { process, code } => {
                self.byte(12);
                self.label(process);
                self.byte(*code);
            }
            Expect::Nspid { process, nspid } => {
                self.byte(13);
                self.label(process);
                self.list(nspid, |out, pid| out.u32(*pid));
            }
            Expect::PodIp { pod, ip } => {
                self.byte(14);
                self.str(pod);
                self.str(ip);
            }
            Expect::Restarts { container, count } => {
                self.byte(15);
                self.container(container);
                self.u32(*count);
            }
            Expect::RuntimeSays(note) => {
                self.byte(16);
                self.one_of(NoteKind::ALL, note);
            }
        }
    }
}

impl<'a> Reader<'a> {
    fn scenario(&mut self) -> Result<Scenario, WireError> {
        Ok(Scenario {
            id: self.str()?,
            title: self.text()?,
            question: self.text()?,
            rules: self.list(|input| input.one_of(Rule::ALL, "rule"))?,
            sources: self.list(Reader::str)?,
            steps: self.list(Reader::step)?,
            challenge: self.option(|input| {
                Ok(Challenge {
                    say: input.text()?,
                    hint: input.text()?,
                    expect: input.list(Reader::expect)?,
                })
            })?,
        })
    }

    fn text(&mut self) -> Result<Text, WireError> {
        Ok(Text {
            en: self.str()?,
            ko: self.str()?,
        })
    }

    fn step(&mut self) -> Result<ScenarioStep, WireError> {
        Ok(ScenarioStep {
            say: self.text()?,
            actions: self.list(Reader::action)?,
            expect: self.list(Reader::expect)?,
        })
    }

    fn label(&mut self) -> Result<Label, WireError> {
        Ok(Label::from(self.str()?.as_str()))
    }

    fn container(&mut self) -> Result<ContainerRef, WireError> {
        Ok(ContainerRef {
            pod: self.str()?,
            container: self.str()?,
        })
    }

    fn program(&mut self, depth: usize) -> Result<Program, WireError> {
        if depth > PROGRAM_DEPTH {
            return Err(WireError::Invalid("program nesting"));
        }
        let program = Program {
            comm: self.str()?,
            reaps: self.bool()?,
            exits_on: self.list(Reader::signal)?,
            catches: self.list(Reader::signal)?,
            ignores: self.list(Reader::signal)?,
            ignores_sigchld: self.bool()?,
            subreaper: self.bool()?,
            forwards: self.bool()?,
            forks: self.list(|input| input.program(depth + 1))?,
        };
        // A real program's behaviour is the measured one (K30), whatever a link says.
        program
            .resolved()
            .map_err(|_| WireError::Invalid("a real program with other handlers"))?;
        Ok(program)
    }

    fn pod(&mut self) -> Result<PodSpec, WireError> {
        Ok(PodSpec {
            name: self.str()?,
            containers: self.list(|input| {
                Ok(ContainerSpec {
                    name: input.str()?,
                    program: input.program(0)?,
                })
            })?,
            share_process_namespace: self.bool()?,
            host_network: self.bool()?,
            host_pid: self.bool()?,
            host_ipc: self.bool()?,
            flavor: self.one_of(Flavor::ALL, "runtime")?,
            pause_ipc: self.one_of(IpcMode::ALL, "ipc mode")?,
        })
    }

    fn docker_run(&mut self) -> Result<DockerRun, WireError> {
        let flag = |input: &mut Reader<'a>| input.str();
        Ok(DockerRun {
            name: self.str()?,
            program: self.program(0)?,
            net: flag(self)?
                .parse::<NetworkFlag>()
                .map_err(|_| WireError::Invalid("--net"))?,
            ipc: flag(self)?
                .parse::<IpcFlag>()
                .map_err(|_| WireError::Invalid("--ipc"))?,
            pid: PidFlag::try_from(flag(self)?).map_err(|_| WireError::Invalid("--pid"))?,
            hostname: self.option(Reader::str)?,
            publish: self.list(Reader::str)?,
            dns: self.list(Reader::str)?,
        })
    }

    fn action(&mut self) -> Result<Action, WireError> {
        Ok(match self.byte()? {
            0 => Action::CreatePod { pod: self.pod()? },
            1 => Action::DockerRun {
                run: self.docker_run()?,
            },
            2 => Action::Fork {
                process: self.label()?,
                name: self.str()?,
                comm: self.option(Reader::str)?,
                new: self.kinds()?,
            },
            3 => Action::Exit {
                process: self.label()?,
                code: self.byte()?,
            },
            4 => Action::Kill {
                from: self.label()?,
                target: self.u32()?,
                signal: self.signal()?,
            },
            5 => Action::KillFromHost {
                process: self.label()?,
                signal: self.signal()?,
            },
            6 => Action::Wait {
                process: self.label()?,
                nohang: self.bool()?,
            },
            7 => Action::Sigaction {
                process: self.label()?,
                signal: self.signal()?,
                action: self.disposition()?,
            },
            8 => Action::SetSubreaper {
                process: self.label()?,
            },
            9 => Action::Exec {
                container: self.container()?,
                name: self.str()?,
                comm: self.str()?,
            },
            10 => Action::ExecProbe {
                container: self.container()?,
            },
            11 => Action::RestartContainer {
                container: self.container()?,
            },
            12 => Action::StopContainer {
                container: self.container()?,
            },
            13 => Action::KillPause { pod: self.str()? },
            14 => Action::DeletePod { pod: self.str()? },
            15 => Action::Debug {
                container: self.container()?,
                name: self.str()?,
                comm: self.str()?,
            },
            _ => return Err(WireError::Invalid("action")),
        })
    }

    fn expect(&mut self) -> Result<Expect, WireError> {
        Ok(match self.byte()? {
            0 => Expect::Pid1 {
                container: self.container()?,
                comm: self.str()?,
            },
            1 => Expect::Zombie {
                container: self.container()?,
                pid: self.u32()?,
                ppid: self.u32()?,
            },
            2 => Expect::NoZombies {
                pod: self.option(Reader::str)?,
            },
            3 => Expect::Ppid {
                container: self.container()?,
                comm: self.str()?,
                ppid: self.u32()?,
            },
            4 => Expect::Visible {
                container: self.container()?,
                count: usize::try_from(self.uint()?).map_err(|_| WireError::Invalid("count"))?,
            },
            5 => Expect::Shares {
                a: self.label()?,
                b: self.label()?,
                kind: self.kind()?,
                same: self.bool()?,
            },
            6 => Expect::Hostname {
                process: self.label()?,
                value: self.str()?,
            },
            7 => Expect::Dropped,
            8 => Expect::Refused(self.one_of(Refusal::ALL, "refusal")?),
            9 => Expect::Alive {
                process: self.label()?,
            },
            10 => Expect::Dead {
                process: self.label()?,
            },
            11 => Expect::Reaped {
                process: self.label()?,
            },
            12 => Expect::ExitStatus {
                process: self.label()?,
                code: self.byte()?,
            },
            13 => Expect::Nspid {
                process: self.label()?,
                nspid: self.list(Reader::u32)?,
            },
            14 => Expect::PodIp {
                pod: self.str()?,
                ip: self.str()?,
            },
            15 => Expect::Restarts {
                container: self.container()?,
                count: self.u32()?,
            },
            16 => Expect::RuntimeSays(self.one_of(NoteKind::ALL, "runtime note")?),
            _ => return Err(WireError::Invalid("expectation")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ns::{NsKind, NsKinds};
    use crate::process::{Disposition, Pid};
    use crate::signal::Signal;

    fn every_action() -> Vec<Action> {
        let app = ContainerRef::new("web", "app");
        let nested = Program {
            comm: "supervisor".into(),
            reaps: true,
            exits_on: vec![Signal::SIGTERM, Signal::SIGINT],
            catches: vec![Signal::SIGHUP],
            ignores: vec![Signal::SIGPIPE],
            ignores_sigchld: true,
            subreaper: true,
            forwards: true,
            forks: vec![Program {
                forks: vec![Program::named("sleep")],
                ..Program::named("sh")
            }],
        };
        vec![
            Action::CreatePod {
                pod: PodSpec {
                    name: "web".into(),
                    containers: vec![ContainerSpec {
                        name: "app".into(),
                        program: nested.clone(),
                    }],
                    share_process_namespace: true,
                    host_network: true,
                    host_pid: false,
                    host_ipc: true,
                    flavor: Flavor::Dockershim,
                    pause_ipc: IpcMode::None,
                },
            },
            Action::DockerRun {
                run: DockerRun {
                    name: "nginx".into(),
                    program: nested,
                    net: "container:sandbox".parse().unwrap(),
                    ipc: "shareable".parse().unwrap(),
                    pid: PidFlag::try_from("host".to_owned()).unwrap(),
                    hostname: Some("mypod".into()),
                    publish: vec!["8080:80".into()],
                    dns: vec!["10.0.0.10".into()],
                },
            },
            Action::Fork {
                process: Label::HostPid(Pid(4242)),
                name: "you-1".into(),
                comm: Some("sleep".into()),
                new: NsKinds::of(&[NsKind::Pid, NsKind::Net]),
            },
            Action::Exit {
                process: Label::Container(app.clone()),
                code: 255,
            },
            Action::Kill {
                from: Label::Pause { pod: "web".into() },
                target: 1,
                signal: Signal::SIGKILL,
            },
            Action::KillFromHost {
                process: Label::Runtime,
                signal: Signal::SIGHUP,
            },
            Action::Wait {
                process: Label::Host,
                nohang: true,
            },
            Action::Sigaction {
                process: Label::Shim { pod: "web".into() },
                signal: Signal::SIGCHLD,
                action: Disposition::Ignore,
            },
            Action::SetSubreaper {
                process: Label::Named("tini".into()),
            },
            Action::Exec {
                container: app.clone(),
                name: "probe".into(),
                comm: "sh".into(),
            },
            Action::ExecProbe {
                container: app.clone(),
            },
            Action::RestartContainer {
                container: app.clone(),
            },
            Action::StopContainer { container: app },
            Action::KillPause { pod: "web".into() },
            Action::DeletePod { pod: "web".into() },
        ]
    }

    #[test]
    fn every_action_survives_the_wire() {
        let actions = every_action();
        assert_eq!(decode_actions(&encode_actions(&actions)), Ok(actions));
    }

    #[test]
    fn every_embedded_scenario_survives_the_wire() {
        let scenarios = Scenario::all().unwrap();
        let bytes = encode_scenarios(&scenarios);
        assert_eq!(decode_scenarios(&bytes).as_ref(), Ok(&scenarios));
    }

    #[test]
    fn every_expectation_and_named_value_survives_the_wire() {
        let app = ContainerRef::new("web", "app");
        let process = Label::Named("sh".into());
        let mut expect = vec![
            Expect::Pid1 {
                container: app.clone(),
                comm: "pause".into(),
            },
            Expect::Zombie {
                container: app.clone(),
                pid: 7,
                ppid: 1,
            },
            Expect::NoZombies { pod: None },
            Expect::NoZombies {
                pod: Some("web".into()),
            },
            Expect::Ppid {
                container: app.clone(),
                comm: "sleep".into(),
                ppid: 0,
            },
            Expect::Visible {
                container: app.clone(),
                count: 300,
            },
            Expect::Shares {
                a: process.clone(),
                b: Label::Pause { pod: "web".into() },
                kind: NsKind::Time,
                same: false,
            },
            Expect::Hostname {
                process: process.clone(),
                value: "web".into(),
            },
            Expect::Dropped,
            Expect::Alive {
                process: process.clone(),
            },
            Expect::Dead {
                process: process.clone(),
            },
            Expect::Reaped {
                process: process.clone(),
            },
            Expect::ExitStatus {
                process: process.clone(),
                code: 137,
            },
            Expect::Nspid {
                process,
                nspid: vec![4_194_304, 1],
            },
            Expect::PodIp {
                pod: "web".into(),
                ip: "10.88.0.2".into(),
            },
            Expect::Restarts {
                container: app,
                count: 3,
            },
        ];
        expect.extend(Refusal::ALL.iter().copied().map(Expect::Refused));
        expect.extend(NoteKind::ALL.iter().copied().map(Expect::RuntimeSays));
        let text = |en: &str| Text {
            en: en.into(),
            ko: format!("{en}를"),
        };
        let scenario = Scenario {
            id: "every".into(),
            title: text("title"),
            question: text("question"),
            rules: Rule::ALL.to_vec(),
            sources: vec!["https://example.invalid/".into()],
            steps: vec![ScenarioStep {
                say: text("say"),
                actions: every_action(),
                expect: expect.clone(),
            }],
            challenge: Some(Challenge {
                say: text("task"),
                hint: text("hint"),
                expect,
            }),
        };
        let scenarios = vec![
            scenario.clone(),
            Scenario {
                challenge: None,
                ..scenario
            },
        ];
        assert_eq!(
            decode_scenarios(&encode_scenarios(&scenarios)),
            Ok(scenarios)
        );
        // The pod above has one of each; every one is written as its index.
        let mut out = Writer(Vec::new());
        for mode in IpcMode::ALL {
            out.one_of(IpcMode::ALL, mode);
        }
        for flavor in Flavor::ALL {
            out.one_of(Flavor::ALL, flavor);
        }
        let mut input = Reader(&out.0);
        for mode in IpcMode::ALL {
            assert_eq!(input.one_of(IpcMode::ALL, "ipc mode"), Ok(*mode));
        }
        for flavor in Flavor::ALL {
            assert_eq!(input.one_of(Flavor::ALL, "runtime"), Ok(*flavor));
        }
        assert_eq!(
            input.one_of(Flavor::ALL, "runtime"),
            Err(WireError::Truncated)
        );
        assert_eq!(
            Reader(&[2]).one_of(Flavor::ALL, "runtime"),
            Err(WireError::Invalid("runtime"))
        );
    }

    #[test]
    fn hostile_bytes_are_refused_without_a_panic() {
        let bytes = encode_actions(&every_action());
        for cut in 0..bytes.len() {
            assert!(decode_actions(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        for index in 0..bytes.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut bad = bytes.clone();
                bad[index] ^= flip;
                let _ = decode_actions(&bad);
            }
        }
        // Another layout's bytes, or a link from another release.
        assert_eq!(
            decode_actions(&encode_scenarios(&[])),
            Err(WireError::NotThisVersion)
        );
        let mut trailing = encode_actions(&[]);
        trailing.push(0);
        assert_eq!(
            decode_actions(&trailing),
            Err(WireError::Invalid("trailing bytes"))
        );
    }

    #[test]
    fn programs_nested_past_the_bound_are_refused() {
        let mut program = Program::named("leaf");
        for _ in 0..=PROGRAM_DEPTH {
            program = Program {
                forks: vec![program],
                ..Program::named("sh")
            };
        }
        let create = |program: Program| Action::DockerRun {
            run: DockerRun {
                name: "deep".into(),
                program,
                net: NetworkFlag::default(),
                ipc: IpcFlag::default(),
                pid: PidFlag::default(),
                hostname: None,
                publish: Vec::new(),
                dns: Vec::new(),
            },
        };
        let too_deep = encode_actions(&[create(program.clone())]);
        assert_eq!(
            decode_actions(&too_deep),
            Err(WireError::Invalid("program nesting"))
        );
        let deepest = program.forks[0].clone();
        assert!(decode_actions(&encode_actions(&[create(deepest)])).is_ok());
    }
}

/// A link's bytes come from anywhere: whatever they are, reading them ends in a value or an
/// error, never a panic.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod hostile {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn any_bytes_read_as_actions_or_scenarios_end_in_a_value_or_an_error(
            body in proptest::collection::vec(any::<u8>(), 0..512),
        ) {
            let _ = decode_actions(&body);
            let _ = decode_scenarios(&body);
            // Past the magic too, where the layout's own checks are what stop them.
            for magic in [ACTIONS, SCENARIOS] {
                let mut bytes = magic.to_vec();
                bytes.extend_from_slice(&body);
                let _ = decode_actions(&bytes);
                let _ = decode_scenarios(&bytes);
            }
        }
    }
}
