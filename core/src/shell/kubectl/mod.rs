//! `kubectl`, as kubectl 1.30 prints it (1.34 words a deletion differently), on the node: `get pods [NAME] [-o wide]`, `run NAME
//! --image=IMAGE [--overrides=JSON] [-- CMD…]` (the pod toggles, shareProcessNamespace, hostPID,
//! hostNetwork, hostIPC, go in `--overrides`, as a real `kubectl run` takes them, so that a
//! reader needs no file), `exec -it POD [-c C] -- sh` (the terminal then types into that
//! shell) and `delete pod NAME`. Refusals are the API server's and kubelet's own words, found on
//! a copy of the node.

use super::{columns::tabwriter, NotModelled, Refused, Terminal, Typed};
use crate::pod::{ContainerRef, Node, NotFound, Pod, PodError};
use crate::scenario::{Action, Label};

/// The node's own address, which a hostNetwork pod shows as its IP (the model's node has one
/// interface; the address is the model's choice).
const NODE_IP: &str = "10.0.0.10";

/// Runs `kubectl ARGS`.
pub(super) fn run(terminal: &mut Terminal, node: &Node, args: &[String]) -> Result<Typed, Refused> {
    let not_modelled =
        |what: &str| Err(Refused::NotModelled(NotModelled::Kubectl(what.to_owned())));
    let Some((command, rest)) = args.split_first() else {
        return not_modelled("");
    };
    match command.as_str() {
        "get" => get(node, rest),
        "run" => run::run_pod(terminal, node, rest),
        "exec" => exec(terminal, node, rest),
        "delete" => delete(node, rest),
        known if KNOWN.contains(&known) || known.starts_with('-') => not_modelled(known),
        other => Ok(Typed::said(unknown_command(other), 1)),
    }
}

/// cobra's answer to an unknown command: kubectl's commands within two edits of it, or that
/// start with it, as suggestions.
fn unknown_command(typed: &str) -> String {
    let mut commands: Vec<&str> = KNOWN
        .iter()
        .copied()
        .chain(["get", "run", "exec", "delete"])
        .collect();
    commands.sort_unstable();
    let close: Vec<&str> = commands
        .into_iter()
        .filter(|name| edits(typed, name) <= 2 || name.starts_with(&typed.to_lowercase()))
        .collect();
    let mut said = format!("error: unknown command \"{typed}\" for \"kubectl\"");
    if close.is_empty() {
        said.push('\n');
    } else {
        said.push_str("\n\nDid you mean this?\n");
        for name in close {
            said.push_str(&format!("\t{name}\n"));
        }
    }
    said
}

/// The Levenshtein distance, ignoring case, as cobra measures it.
fn edits(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// kubectl's other commands: real, but not in the model.
const KNOWN: &[&str] = &[
    "alpha",
    "annotate",
    "api-resources",
    "api-versions",
    "apply",
    "attach",
    "auth",
    "autoscale",
    "certificate",
    "cluster-info",
    "completion",
    "config",
    "cordon",
    "cp",
    "create",
    "debug",
    "describe",
    "diff",
    "drain",
    "edit",
    "events",
    "explain",
    "expose",
    "help",
    "kustomize",
    "label",
    "logs",
    "options",
    "patch",
    "plugin",
    "port-forward",
    "proxy",
    "replace",
    "rollout",
    "scale",
    "set",
    "taint",
    "top",
    "uncordon",
    "version",
    "wait",
];

fn not_found(pod: &str) -> Typed {
    Typed::said(
        format!("Error from server (NotFound): pods \"{pod}\" not found\n"),
        1,
    )
}

/// `pods`, `pod`, `po`, and `pod/NAME`.
fn is_pods(word: &str) -> bool {
    matches!(word, "pods" | "pod" | "po")
}

/// A container's STATUS reason, and whether it runs.
fn container_state(node: &Node, pod: &Pod, name: &str) -> (bool, &'static str) {
    let Some(container) = pod.container(name) else {
        return (false, "Unknown");
    };
    if node.world().is_alive(container.init) {
        return (true, "Running");
    }
    match container.exit.map(|status| status.shell_code()) {
        Some(0) => (false, "Completed"),
        _ => (false, "Error"),
    }
}

/// One pod's columns: NAME READY STATUS RESTARTS AGE, and with `wide` IP NODE NOMINATED NODE
/// READINESS GATES. The model's clock does not move: every pod is 0s old, and a restart was 0s
/// ago. STATUS as kubectl's printPod reads it: the first stopped container's reason (it walks
/// them from the last), "NotReady" for a "Completed" one while another runs.
fn row(node: &Node, pod: &Pod, wide: bool) -> String {
    let spec = &pod.spec;
    let states: Vec<(bool, &str)> = spec
        .containers
        .iter()
        .map(|container| container_state(node, pod, &container.name))
        .collect();
    let running = states.iter().filter(|(up, _)| *up).count();
    let status = match states.iter().find(|(up, _)| !up) {
        None => "Running",
        Some((_, "Completed")) if running > 0 => "NotReady",
        Some((_, reason)) => reason,
    };
    let restarts: u32 = pod.containers.iter().map(|c| c.restarts).sum();
    let restarts = if restarts > 0 {
        format!("{restarts} (0s ago)")
    } else {
        "0".to_owned()
    };
    let mut cells = vec![
        spec.name.clone(),
        format!("{running}/{}", spec.containers.len()),
        status.to_owned(),
        restarts,
        "0s".to_owned(),
    ];
    if wide {
        let ip = if spec.host_network {
            NODE_IP.to_owned()
        } else {
            pod.ip.clone().unwrap_or_else(|| "<none>".into())
        };
        cells.extend([ip, "node-1".into(), "<none>".into(), "<none>".into()]);
    }
    cells.join("\t")
}

/// `kubectl get pods [NAME…] [-o wide] [-n NAMESPACE | -A]`.
fn get(node: &Node, args: &[String]) -> Result<Typed, Refused> {
    let mut wide = false;
    let mut namespace = "default".to_owned();
    let mut kind = None;
    let mut names = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "-o" | "--output" => match words.next().map(String::as_str) {
                Some("wide") => wide = true,
                Some(other) => {
                    return Err(Refused::NotModelled(NotModelled::Value {
                        flag: "-o".into(),
                        value: other.to_owned(),
                    }))
                }
                None => return Ok(Typed::said("error: flag needs an argument: 'o' in -o\nSee 'kubectl get --help' for usage.\n".into(), 1)),
            },
            "-owide" | "-o=wide" | "--output=wide" => wide = true,
            "-n" | "--namespace" => match words.next() {
                Some(value) => namespace = value.clone(),
                None => {
                    let flag = if word == "-n" { "'n' in -n" } else { "--namespace" };
                    return Ok(Typed::said(format!("error: flag needs an argument: {flag}\nSee 'kubectl get --help' for usage.\n"), 1));
                }
            },
            "-A" | "--all-namespaces" => namespace = String::new(),
            flag if flag.starts_with('-') => {
                return Err(Refused::NotModelled(NotModelled::Flag(flag.to_owned())))
            }
            word if kind.is_none() => match word.split_once('/') {
                Some((k, name)) if is_pods(k) => {
                    kind = Some(k.to_owned());
                    names.push(name.to_owned());
                }
                _ if is_pods(word) => kind = Some(word.to_owned()),
                _ => return Err(Refused::NotModelled(NotModelled::Kubectl(format!("get {word}")))),
            },
            name => names.push(name.to_owned()),
        }
    }
    if kind.is_none() {
        return Ok(Typed::said("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n".into(), 1));
    }
    // Every pod of the model is in the default namespace.
    let in_namespace = namespace.is_empty() || namespace == "default";
    let pods: Vec<&Pod> = if in_namespace {
        node.pods().iter().collect()
    } else {
        Vec::new()
    };
    let mut header = String::new();
    if namespace.is_empty() {
        header.push_str("NAMESPACE\t");
    }
    header.push_str("NAME\tREADY\tSTATUS\tRESTARTS\tAGE");
    if wide {
        header.push_str("\tIP\tNODE\tNOMINATED NODE\tREADINESS GATES");
    }
    let line = |pod: &Pod| {
        let prefix = if namespace.is_empty() {
            "default\t"
        } else {
            ""
        };
        format!("{prefix}{}", row(node, pod, wide))
    };
    let mut table = format!("{header}\n");
    let mut errors = String::new();
    let mut rows = 0;
    if names.is_empty() {
        for pod in &pods {
            table.push_str(&line(pod));
            table.push('\n');
            rows += 1;
        }
    } else {
        for name in &names {
            match pods.iter().find(|pod| pod.spec.name == *name) {
                Some(pod) => {
                    table.push_str(&line(pod));
                    table.push('\n');
                    rows += 1;
                }
                None => errors.push_str(&not_found(name).output),
            }
        }
    }
    if rows == 0 && names.is_empty() {
        // kubectl ends the sentence only when it names the namespace.
        let said = if namespace.is_empty() {
            "No resources found\n".to_owned()
        } else {
            format!("No resources found in {namespace} namespace.\n")
        };
        return Ok(Typed::said(said, 0));
    }
    let out = if rows > 0 {
        tabwriter(&table, 6)
    } else {
        String::new()
    };
    let status = u8::from(!errors.is_empty());
    Ok(Typed::said(format!("{out}{errors}"), status))
}

/// The API server's or kubelet's words for a refused pod operation, as kubectl prints them.
fn refusal(error: &PodError, pod: &str) -> String {
    match error {
        PodError::Invalid(crate::pod::Invalid::PodExists { pod }) => {
            format!("Error from server (AlreadyExists): pods \"{pod}\" already exists\n")
        }
        PodError::Invalid(invalid) => {
            format!("The Pod \"{pod}\" is invalid: {}\n", invalid.original())
        }
        PodError::NotFound(NotFound::Pod { pod }) => not_found(pod).output,
        PodError::NotFound(missing) => {
            format!("Error from server (BadRequest): {}\n", missing.original())
        }
        PodError::NotRunning { container, entry } => format!("{}\n", entry.original(container)),
        other => format!("error: {other}\n"),
    }
}

/// `kubectl exec [-i] [-t] POD [-c CONTAINER] -- CMD…`: a shell, which the terminal types into
/// from now on (`-i`), or which reads end of file and exits at once (without `-i`).
fn exec(terminal: &mut Terminal, node: &Node, args: &[String]) -> Result<Typed, Refused> {
    let mut interactive = false;
    let mut container = None;
    let mut pod = None;
    let mut command = None;
    let mut words = args.iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "--" => {
                command = Some(words.by_ref().cloned().collect::<Vec<_>>());
                break;
            }
            "-i" | "--stdin" | "-it" | "-ti" => interactive = true,
            "-t" | "--tty" => {}
            "-c" | "--container" => container = words.next().cloned(),
            flag if flag.starts_with("--container=") => {
                container = Some(flag["--container=".len()..].to_owned())
            }
            flag if flag.starts_with('-') => {
                return Err(Refused::NotModelled(NotModelled::Flag(flag.to_owned())))
            }
            name if pod.is_none() => pod = Some(name.to_owned()),
            _ => {
                return Ok(Typed::said("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n".into(), 1))
            }
        }
    }
    let Some(pod) = pod else {
        return Ok(Typed::said("error: expected 'exec POD_NAME COMMAND [ARG1] [ARG2] ... [ARGN]'.\nPOD_NAME and COMMAND are required arguments for the exec command\nSee 'kubectl exec -h' for help and examples\n".into(), 1));
    };
    let command = command.unwrap_or_default();
    let Some(program) = command.first() else {
        return Ok(Typed::said(
            "error: you must specify at least one command for the container\n".into(),
            1,
        ));
    };
    let Some(found) = node.pod(&pod) else {
        return Ok(not_found(&pod));
    };
    let mut said = Typed::said(String::new(), 0);
    let container = match container {
        Some(container) => container,
        None => {
            let names: Vec<&str> = found
                .spec
                .containers
                .iter()
                .map(|c| c.name.as_str())
                .collect();
            let first = names.first().copied().unwrap_or_default().to_owned();
            if names.len() > 1 {
                said.output = format!(
                    "Defaulted container \"{first}\" out of: {}\n",
                    names.join(", ")
                );
            }
            first
        }
    };
    let comm = program.rsplit('/').next().unwrap_or(program);
    if !matches!(comm, "sh" | "bash" | "ash") {
        return Err(Refused::NotModelled(NotModelled::Exec(command.join(" "))));
    }
    let target = ContainerRef::new(&pod, &container);
    let mut probe = node.clone();
    if let Err(error) = probe.exec_into(&target, &crate::pod::Program::named(comm)) {
        said.output.push_str(&refusal(&error, &pod));
        said.status = 1;
        return Ok(said);
    }
    terminal.jobs += 1;
    let name = format!("exec:{}:{}", terminal.shell.0, terminal.jobs);
    said.actions.push(Action::Exec {
        container: target,
        name: name.clone(),
        comm: comm.to_owned(),
    });
    if interactive {
        said.enters = Some(name);
    } else {
        said.actions.push(Action::Exit {
            process: Label::Named(name),
            code: 0,
        });
    }
    Ok(said)
}

/// `kubectl delete pod NAME…` (also `pods`, `po`, `pod/NAME`).
fn delete(node: &Node, args: &[String]) -> Result<Typed, Refused> {
    let mut names = Vec::new();
    let mut kind = false;
    for word in args {
        match word.split_once('/') {
            _ if word.starts_with('-') => {
                return Err(Refused::NotModelled(NotModelled::Flag(word.clone())))
            }
            Some((k, name)) if is_pods(k) => {
                kind = true;
                names.push(name.to_owned());
            }
            _ if !kind && is_pods(word) => kind = true,
            _ if !kind => {
                return Err(Refused::NotModelled(NotModelled::Kubectl(format!(
                    "delete {word}"
                ))))
            }
            _ => names.push(word.clone()),
        }
    }
    if names.is_empty() {
        return Ok(Typed::said(
            "error: resource(s) were provided, but no name was specified\n".into(),
            1,
        ));
    }
    let mut probe = node.clone();
    let mut said = Typed::said(String::new(), 0);
    for name in names {
        match probe.delete_pod(&name) {
            Ok(()) => {
                said.output.push_str(&format!("pod \"{name}\" deleted\n"));
                said.actions.push(Action::DeletePod { pod: name });
            }
            Err(error) => {
                said.output.push_str(&refusal(&error, &name));
                said.status = 1;
            }
        }
    }
    Ok(said)
}

mod run;
#[cfg(test)]
mod tests;
