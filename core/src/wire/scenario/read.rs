//! Reading what `write` wrote, checking every tag, length and depth.

use super::super::{Reader, WireError};
use super::PROGRAM_DEPTH;
use crate::pod::{
    ContainerRef, ContainerSpec, DockerRun, Flavor, IpcFlag, IpcMode, NetworkFlag, NoteKind,
    PidFlag, PodSpec, Program, Refusal,
};
use crate::rule::Rule;
use crate::scenario::{Action, Challenge, Expect, Label, Scenario, ScenarioStep, Text};

impl<'a> Reader<'a> {
    pub(super) fn scenario(&mut self) -> Result<Scenario, WireError> {
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

    pub(super) fn text(&mut self) -> Result<Text, WireError> {
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
            image: self.str()?,
            command: self.list(Reader::str)?,
        })
    }

    /// What a typed line did: any action but another typed line (reading recurses).
    fn effect(&mut self) -> Result<Action, WireError> {
        match self.action()? {
            Action::Type { .. } => Err(WireError::Invalid("action")),
            effect => Ok(effect),
        }
    }

    pub(super) fn action(&mut self) -> Result<Action, WireError> {
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
            16 => Action::Type {
                process: self.label()?,
                line: self.str()?,
                effects: match self.bool()? {
                    true => Some(self.list(Reader::effect)?),
                    false => None,
                },
            },
            17 => Action::DockerCreate {
                run: self.docker_run()?,
            },
            18 => Action::DockerStart { name: self.str()? },
            19 => Action::DockerRm {
                name: self.str()?,
                force: self.bool()?,
            },
            20 => Action::DockerKill {
                name: self.str()?,
                signal: self.signal()?,
            },
            21 => Action::DockerStop { name: self.str()? },
            22 => Action::DockerExec {
                container: self.str()?,
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
