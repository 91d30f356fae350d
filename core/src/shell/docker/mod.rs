//! `docker`, as docker 20.10's CLI prints it, on the node: `run`/`create` (with `-d`, `-i`,
//! `-t`, `--name`, `--net`/`--network`, `--ipc`, `--pid`, `--hostname`, `-p`, `--dns`), `ps`,
//! `inspect` (its JSON, and Go templates with `-f`), `start`, `rm`, `stop`, `kill` and
//! `exec -it NAME sh`. What dockerd refuses is
//! worded as dockerd words it ([`crate::pod::DockerError::original`]), found by trying the line
//! on a copy of the node; what the model does not have is refused by name, changing nothing.

mod inspect;
mod listing;
mod running;
mod template;

use super::{images, NotModelled, Refused, Terminal, Typed};
use crate::pod::{
    container_id, DockerError, DockerRun, IpcFlag, NetworkFlag, Node, PidFlag, PodError,
};
use crate::scenario::{Action, Label};

/// Runs `docker ARGS` for `terminal` on `node`: the CLI's output and status, and what it does
/// to the node as actions (the caller wraps them in the CLI's own process).
pub(super) fn run(terminal: &mut Terminal, node: &Node, args: &[String]) -> Result<Typed, Refused> {
    let not_modelled = |what: NotModelled| Err(Refused::NotModelled(what));
    let Some((command, rest)) = args.split_first() else {
        return not_modelled(NotModelled::Command(String::new()));
    };
    match command.as_str() {
        "run" => create(node, rest, true),
        "create" => create(node, rest, false),
        "ps" => listing::ps(node, rest),
        "inspect" => inspect::run(node, rest),
        "start" => start(node, rest),
        "rm" => rm(node, rest),
        "stop" => running::stop(node, rest),
        "kill" => running::kill(node, rest),
        "exec" => running::exec(terminal, node, rest),
        known if KNOWN.contains(&known) || known.starts_with('-') => {
            not_modelled(NotModelled::Command(known.to_owned()))
        }
        other => Ok(Typed::said(
            format!("docker: '{other}' is not a docker command.\nSee 'docker --help'\n"),
            1,
        )),
    }
}

/// docker 20.10's other commands: real, but not in the model.
const KNOWN: &[&str] = &[
    "attach",
    "build",
    "builder",
    "commit",
    "config",
    "container",
    "context",
    "cp",
    "diff",
    "events",
    "export",
    "history",
    "image",
    "images",
    "import",
    "info",
    "load",
    "login",
    "logout",
    "logs",
    "network",
    "node",
    "pause",
    "plugin",
    "port",
    "pull",
    "push",
    "rename",
    "restart",
    "rmi",
    "save",
    "search",
    "secret",
    "service",
    "stack",
    "stats",
    "swarm",
    "system",
    "tag",
    "top",
    "trust",
    "unpause",
    "update",
    "version",
    "volume",
    "wait",
];

/// A CLI error about its own arguments: docker's words, then its pointer to `--help`.
fn usage_error(command: &str, text: &str, status: u8) -> Typed {
    Typed::said(format!("{text}\nSee 'docker {command} --help'.\n"), status)
}

/// What dockerd's refusal prints for `docker run`/`create`/`start` (exit status 125 for `run`).
fn refusal(error: &PodError, command: &str) -> String {
    match error {
        PodError::Docker(docker) => match docker {
            DockerError::RemoveRunning { .. } => format!("{}\n", docker.original()),
            _ => format!("{}\nSee 'docker {command} --help'.\n", docker.original()),
        },
        other => format!(
            "docker: Error response from daemon: {other}.\nSee 'docker {command} --help'.\n"
        ),
    }
}

/// The flags of `docker run` that take a value.
pub(super) const VALUED: &[&str] = &[
    "--name",
    "--net",
    "--network",
    "--ipc",
    "--pid",
    "--hostname",
    "-h",
    "--publish",
    "-p",
    "--dns",
];

/// Flags docker has that the model does not: refused by name.
const UNMODELLED: &[&str] = &[
    "--rm",
    "--init",
    "--privileged",
    "--restart",
    "--user",
    "-u",
    "--env",
    "-e",
    "--volume",
    "-v",
    "--workdir",
    "-w",
    "--entrypoint",
    "--cap-add",
    "--cap-drop",
    "--uts",
    "--userns",
    "--mount",
    "--label",
    "-l",
    "--memory",
    "-m",
    "--cpus",
    "--stop-signal",
    "--env-file",
    "--add-host",
];

/// The flags a `docker run`/`create` line gave.
#[derive(Default)]
struct RunLine {
    run: DockerRun,
    detach: bool,
    interactive: bool,
}

/// pflag's reading of `docker run`'s arguments: flags until the image, then its command.
fn parse_run(command: &str, args: &[String]) -> Result<RunLine, Result<Typed, Refused>> {
    let mut line = RunLine::default();
    let mut words = args.iter();
    let image = loop {
        let Some(word) = words.next() else {
            let text = format!(
                "\"docker {command}\" requires at least 1 argument.\nSee 'docker {command} --help'.\n\nUsage:  docker {command} [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n{}\n",
                if command == "run" {
                    "Run a command in a new container"
                } else {
                    "Create a new container"
                }
            );
            return Err(Ok(Typed::said(text, 1)));
        };
        if !word.starts_with('-') || word == "-" {
            break word.clone();
        }
        let (flag, inline) = match word.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (word.as_str(), None),
        };
        if UNMODELLED.contains(&flag) {
            return Err(Err(Refused::NotModelled(NotModelled::Flag(
                flag.to_owned(),
            ))));
        }
        if !flag.starts_with("--") && flag.len() > 2 && !VALUED.contains(&flag) {
            // Short flags together: `-dit`.
            for letter in flag[1..].chars() {
                match letter {
                    'd' => line.detach = true,
                    'i' => line.interactive = true,
                    't' => {}
                    other => {
                        let text = format!("unknown shorthand flag: '{other}' in {flag}");
                        return Err(Ok(usage_error(command, &text, 125)));
                    }
                }
            }
            continue;
        }
        match flag {
            "-d" | "--detach" => line.detach = true,
            "-i" | "--interactive" => line.interactive = true,
            "-t" | "--tty" => {}
            valued if VALUED.contains(&valued) => {
                let value = match inline.or_else(|| words.next().cloned()) {
                    Some(value) => value,
                    None => {
                        let text = format!("flag needs an argument: {valued}");
                        return Err(Ok(usage_error(command, &text, 125)));
                    }
                };
                let invalid = |error: crate::pod::InvalidFlag| {
                    Err(Refused::NotModelled(NotModelled::Value {
                        flag: error.flag.to_owned(),
                        value: error.value,
                    }))
                };
                match valued {
                    "--name" => line.run.name = value,
                    "--net" | "--network" => match value.parse::<NetworkFlag>() {
                        Ok(net) => line.run.net = net,
                        Err(error) => return Err(invalid(error)),
                    },
                    "--ipc" => match value.parse::<IpcFlag>() {
                        Ok(ipc) => line.run.ipc = ipc,
                        Err(error) => return Err(invalid(error)),
                    },
                    "--pid" => match value.parse::<PidFlag>() {
                        Ok(pid) => line.run.pid = pid,
                        Err(error) => return Err(invalid(error)),
                    },
                    "--hostname" | "-h" => line.run.hostname = Some(value),
                    "--publish" | "-p" => line.run.publish.push(value),
                    _ => line.run.dns.push(value),
                }
            }
            other if other.starts_with("--") => {
                let text = format!("unknown flag: {other}");
                return Err(Ok(usage_error(command, &text, 125)));
            }
            other => {
                let letter = other.chars().nth(1).unwrap_or('-');
                let text = format!("unknown shorthand flag: '{letter}' in {other}");
                return Err(Ok(usage_error(command, &text, 125)));
            }
        }
    };
    let given: Vec<String> = words.cloned().collect();
    let Some(resolved) = images::resolve(&image, None, &given) else {
        return Err(Err(Refused::NotModelled(NotModelled::Image(image))));
    };
    line.run.image = image;
    line.run.command = resolved.command;
    line.run.program = resolved.program;
    Ok(line)
}

/// A name as docker's generator makes them (an adjective, a scientist), chosen in order here so
/// that the model stays deterministic; never one in use.
fn generated_name(node: &Node) -> String {
    const LEFT: [&str; 8] = [
        "admiring", "brave", "eager", "focused", "gifted", "jolly", "keen", "quirky",
    ];
    const RIGHT: [&str; 8] = [
        "curie", "hopper", "lovelace", "ritchie", "thompson", "torvalds", "turing", "yonath",
    ];
    (0..)
        .map(|n: usize| format!("{}_{}", LEFT[n % 8], RIGHT[(n / 8) % 8]))
        .take(LEFT.len() * RIGHT.len())
        .find(|name| node.docker_container(name).is_none())
        .unwrap_or_else(|| format!("pauselab_{}", node.docker_inspect().len()))
}

/// `docker run -d …` (`start`) or `docker create …`: tried on a copy of the node, so that a
/// refusal prints dockerd's words and leaves what dockerd leaves (a container that could not
/// start stays created).
fn create(node: &Node, args: &[String], start: bool) -> Result<Typed, Refused> {
    let command = if start { "run" } else { "create" };
    let mut line = match parse_run(command, args) {
        Ok(line) => line,
        Err(said) => return said,
    };
    if start && !line.detach {
        return Err(Refused::NotModelled(NotModelled::Attached));
    }
    if line.run.name.is_empty() {
        line.run.name = generated_name(node);
    }
    // dockerd's rule for names (and so no name can be read as one of the terminal's labels).
    let name = line
        .run
        .name
        .strip_prefix('/')
        .unwrap_or(&line.run.name)
        .to_owned();
    let mut letters = name.chars();
    let valid = letters.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && !letters.as_str().is_empty()
        && letters.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    if !valid {
        let text = format!(
            "docker: Error response from daemon: Invalid container name ({}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed.\nSee 'docker {command} --help'.\n",
            line.run.name
        );
        return Ok(Typed::said(text, 125));
    }
    line.run.name = name;
    let name = line.run.name.clone();
    let stays = line.interactive || !images::reads_stdin(&line.run.program, &line.run.command);
    let mut probe = node.clone();
    if let Err(error) = probe.docker_create(line.run.clone()) {
        return Ok(Typed::said(refusal(&error, command), 125));
    }
    let mut said = Typed::said(format!("{}\n", container_id(&name)), 0);
    said.actions.push(Action::DockerCreate { run: line.run });
    if !start {
        return Ok(said);
    }
    if let Err(error) = probe.docker_start(&name) {
        said.output = refusal(&error, command);
        said.status = 125;
        return Ok(said);
    }
    said.actions
        .push(Action::DockerStart { name: name.clone() });
    // A shell with nothing on its standard input reads end of file and exits 0.
    if !stays {
        said.actions.push(Action::Exit {
            process: Label::Named(name),
            code: 0,
        });
    }
    Ok(said)
}

/// `docker start NAME…`: each name printed as it starts; a refusal printed as dockerd words it.
fn start(node: &Node, args: &[String]) -> Result<Typed, Refused> {
    if args.is_empty() {
        let text = "\"docker start\" requires at least 1 argument.\nSee 'docker start --help'.\n\nUsage:  docker start [OPTIONS] CONTAINER [CONTAINER...]\n\nStart one or more stopped containers\n";
        return Ok(Typed::said(text.to_owned(), 1));
    }
    let mut probe = node.clone();
    let mut said = Typed::said(String::new(), 0);
    for name in args {
        if name.starts_with('-') {
            return Err(Refused::NotModelled(NotModelled::Flag(name.clone())));
        }
        match probe.docker_start(name) {
            Ok(_) => {
                said.output.push_str(&format!("{name}\n"));
                said.actions
                    .push(Action::DockerStart { name: name.clone() });
            }
            Err(PodError::Docker(DockerError::NoSuchContainer { .. })) => {
                said.output.push_str(&format!(
                    "Error response from daemon: No such container: {name}\n"
                ));
                said.status = 1;
            }
            Err(error) => {
                said.output.push_str(&format!(
                    "Error response from daemon: {}\n",
                    daemon_words(&error)
                ));
                said.status = 1;
            }
        }
    }
    if said.status != 0 {
        said.output.push_str("Error: failed to start containers: ");
        let failed: Vec<&str> = args
            .iter()
            .filter(|name| {
                !said
                    .actions
                    .iter()
                    .any(|a| matches!(a, Action::DockerStart { name: n } if n == *name))
            })
            .map(String::as_str)
            .collect();
        said.output.push_str(&failed.join(", "));
        said.output.push('\n');
    }
    Ok(said)
}

/// dockerd's message without the CLI's `docker: Error response from daemon: ` and final period.
fn daemon_words(error: &PodError) -> String {
    let text = match error {
        PodError::Docker(docker) => docker.original(),
        other => other.to_string(),
    };
    let text = text
        .strip_prefix("docker: Error response from daemon: ")
        .or_else(|| text.strip_prefix("Error response from daemon: "))
        .unwrap_or(&text);
    text.strip_suffix('.').unwrap_or(text).to_owned()
}

/// `docker rm [-f] NAME…`: each name printed as it goes.
fn rm(node: &Node, args: &[String]) -> Result<Typed, Refused> {
    let mut force = false;
    let mut names = Vec::new();
    for arg in args {
        match arg.as_str() {
            "-f" | "--force" => force = true,
            flag if flag.starts_with('-') => {
                return Err(Refused::NotModelled(NotModelled::Flag(flag.to_owned())))
            }
            name => names.push(name.to_owned()),
        }
    }
    if names.is_empty() {
        let text = "\"docker rm\" requires at least 1 argument.\nSee 'docker rm --help'.\n\nUsage:  docker rm [OPTIONS] CONTAINER [CONTAINER...]\n\nRemove one or more containers\n";
        return Ok(Typed::said(text.to_owned(), 1));
    }
    let mut probe = node.clone();
    let mut said = Typed::said(String::new(), 0);
    for name in names {
        match probe.docker_rm(&name, force) {
            Ok(()) => {
                said.output.push_str(&format!("{name}\n"));
                said.actions.push(Action::DockerRm { name, force });
            }
            // -f takes a missing container as removed already.
            Err(PodError::Docker(DockerError::NoSuchContainer { .. })) if force => {}
            Err(PodError::Docker(DockerError::NoSuchContainer { .. })) => {
                said.output
                    .push_str(&format!("Error: No such container: {name}\n"));
                said.status = 1;
            }
            Err(error) => {
                said.output.push_str(&refusal(&error, "rm"));
                said.status = 1;
            }
        }
    }
    Ok(said)
}

#[cfg(test)]
mod tests;
