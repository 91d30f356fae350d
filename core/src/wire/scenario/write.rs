//! Writing a scenario and an action: every field in declaration order.

use super::super::Writer;
use crate::pod::{ContainerRef, DockerRun, Flavor, IpcMode, NoteKind, PodSpec, Program, Refusal};
use crate::rule::Rule;
use crate::scenario::{Action, Expect, Label, Scenario, ScenarioStep, Text};

impl Writer {
    pub(super) fn scenario(&mut self, scenario: &Scenario) {
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

    pub(super) fn text(&mut self, text: &Text) {
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
        self.str(&run.image);
        self.list(&run.command, |out, word| out.str(word));
    }

    pub(super) fn action(&mut self, action: &Action) {
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
            Action::Type {
                process,
                line,
                effects,
            } => {
                self.byte(16);
                self.label(process);
                self.str(line);
                self.bool(effects.is_some());
                if let Some(effects) = effects {
                    self.list(effects, Writer::action);
                }
            }
            Action::DockerCreate { run } => {
                self.byte(17);
                self.docker_run(run);
            }
            Action::DockerStart { name } => {
                self.byte(18);
                self.str(name);
            }
            Action::DockerRm { name, force } => {
                self.byte(19);
                self.str(name);
                self.bool(*force);
            }
            Action::DockerKill { name, signal } => {
                self.byte(20);
                self.str(name);
                self.signal(*signal);
            }
            Action::DockerStop { name } => {
                self.byte(21);
                self.str(name);
            }
            Action::DockerExec {
                container,
                name,
                comm,
            } => {
                self.byte(22);
                self.str(container);
                self.str(name);
                self.str(comm);
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
