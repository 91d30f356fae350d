//! What is done to a container that runs: `docker stop [-t N] NAME…`, `docker kill [-s SIGNAL]
//! NAME…` and `docker exec [-i] [-t] NAME sh` (the terminal then types into that shell).

use super::{NotModelled, Refused, Terminal, Typed};
use crate::pod::{DockerError, Node, PodError, Program};
use crate::scenario::{Action, Label};
use crate::signal::Signal;

/// How the CLI prints a daemon's refusal of one container: its own words for a missing one.
fn refused(error: &PodError, name: &str) -> String {
    match error {
        PodError::Docker(DockerError::NoSuchContainer { .. }) => {
            format!("Error response from daemon: No such container: {name}\n")
        }
        PodError::Docker(docker) => format!("{}\n", docker.original()),
        other => format!("Error response from daemon: {other}\n"),
    }
}

fn requires(command: &str, usage: &str, what: &str) -> Typed {
    Typed::said(
        format!("\"docker {command}\" requires at least 1 argument.\nSee 'docker {command} --help'.\n\nUsage:  docker {command} {usage}\n\n{what}\n"),
        1,
    )
}

/// `docker stop [-t N] NAME…`: each name printed once it has stopped (the model's grace period
/// is over at once).
pub(super) fn stop(node: &Node, args: &[String]) -> Result<Typed, Refused> {
    let mut names = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            // The grace period: the model's time does not pass, so any is over at once.
            "-t" | "--time" => {
                words.next();
            }
            flag if flag.starts_with("--time=") || (flag.starts_with("-t") && flag.len() > 2) => {}
            flag if flag.starts_with('-') => {
                return Err(Refused::NotModelled(NotModelled::Flag(flag.to_owned())))
            }
            name => names.push(name.to_owned()),
        }
    }
    if names.is_empty() {
        return Ok(requires(
            "stop",
            "[OPTIONS] CONTAINER [CONTAINER...]",
            "Stop one or more running containers",
        ));
    }
    let mut probe = node.clone();
    let mut said = Typed::said(String::new(), 0);
    for name in names {
        match probe.docker_stop(&name) {
            Ok(()) => {
                said.output.push_str(&format!("{name}\n"));
                said.actions.push(Action::DockerStop { name });
            }
            Err(error) => {
                said.output.push_str(&refused(&error, &name));
                said.status = 1;
            }
        }
    }
    Ok(said)
}

/// A signal as dockerd reads one: a number, or a name with or without `SIG`, in any case.
fn parse_signal(text: &str) -> Option<Signal> {
    if let Ok(number) = text.parse::<u8>() {
        return Signal::new(number);
    }
    let upper = text.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    Signal::all().find(|signal| signal.name().strip_prefix("SIG") == Some(name))
}

/// `docker kill [-s SIGNAL] NAME…`: SIGKILL unless told otherwise, sent by the shim's runc.
pub(super) fn kill(node: &Node, args: &[String]) -> Result<Typed, Refused> {
    let mut signal = Signal::SIGKILL;
    let mut names = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let given = match word.as_str() {
            "-s" | "--signal" => match words.next() {
                Some(value) => Some(value.clone()),
                None => {
                    let flag = if word == "-s" {
                        "'s' in -s"
                    } else {
                        "--signal"
                    };
                    let text =
                        format!("flag needs an argument: {flag}\nSee 'docker kill --help'.\n");
                    return Ok(Typed::said(text, 125));
                }
            },
            flag if flag.starts_with("--signal=") => Some(flag["--signal=".len()..].to_owned()),
            flag if flag.starts_with("-s") && flag.len() > 2 => Some(flag[2..].to_owned()),
            flag if flag.starts_with('-') => {
                return Err(Refused::NotModelled(NotModelled::Flag(flag.to_owned())))
            }
            name => {
                names.push(name.to_owned());
                None
            }
        };
        if let Some(given) = given {
            match parse_signal(&given) {
                Some(parsed) => signal = parsed,
                None => {
                    return Ok(Typed::said(
                        format!("Error response from daemon: Invalid signal: {given}\n"),
                        1,
                    ))
                }
            }
        }
    }
    if names.is_empty() {
        return Ok(requires(
            "kill",
            "[OPTIONS] CONTAINER [CONTAINER...]",
            "Kill one or more running containers",
        ));
    }
    let mut probe = node.clone();
    let mut said = Typed::said(String::new(), 0);
    for name in names {
        match probe.docker_kill(&name, signal) {
            Ok(()) => {
                said.output.push_str(&format!("{name}\n"));
                said.actions.push(Action::DockerKill { name, signal });
            }
            Err(error) => {
                said.output.push_str(&refused(&error, &name));
                said.status = 1;
            }
        }
    }
    Ok(said)
}

/// `docker exec [-i] [-t] NAME CMD…`: a shell, which the terminal types into from now on (with
/// `-i`), or which reads end of file and exits at once (without).
pub(super) fn exec(
    terminal: &mut Terminal,
    node: &Node,
    args: &[String],
) -> Result<Typed, Refused> {
    let mut interactive = false;
    let mut words = args.iter();
    let name = loop {
        let Some(word) = words.next() else {
            return Ok(requires(
                "exec",
                "[OPTIONS] CONTAINER COMMAND [ARG...]",
                "Run a command in a running container",
            ));
        };
        match word.as_str() {
            "-i" | "--interactive" | "-it" | "-ti" => interactive = true,
            "-t" | "--tty" => {}
            flag if flag.starts_with('-') => {
                return Err(Refused::NotModelled(NotModelled::Flag(flag.to_owned())))
            }
            name => break name.to_owned(),
        }
    };
    let command: Vec<String> = words.cloned().collect();
    let Some(program) = command.first() else {
        return Ok(requires(
            "exec",
            "[OPTIONS] CONTAINER COMMAND [ARG...]",
            "Run a command in a running container",
        ));
    };
    let comm = program.rsplit('/').next().unwrap_or(program);
    if !matches!(comm, "sh" | "bash" | "ash") {
        return Err(Refused::NotModelled(NotModelled::Exec(command.join(" "))));
    }
    let mut probe = node.clone();
    if let Err(error) = probe.docker_exec(&name, &Program::named(comm)) {
        let text = match error {
            PodError::Docker(DockerError::NoSuchContainer { .. }) => {
                format!("Error: No such container: {name}\n")
            }
            other => refused(&other, &name),
        };
        return Ok(Typed::said(text, 1));
    }
    terminal.jobs += 1;
    let label = format!("exec:{}:{}", terminal.shell.0, terminal.jobs);
    let mut said = Typed::said(String::new(), 0);
    said.actions.push(Action::DockerExec {
        container: name,
        name: label.clone(),
        comm: comm.to_owned(),
    });
    if interactive {
        said.enters = Some(label);
    } else {
        said.actions.push(Action::Exit {
            process: Label::Named(label),
            code: 0,
        });
    }
    Ok(said)
}
