//! `kubectl run`: the pod kubectl makes from its flags, with `--overrides` merged over it.

use super::refusal;
use crate::pod::{ContainerRef, ContainerSpec, Flavor, IpcMode, Node, PodSpec};
use crate::scenario::{Action, Label};
use crate::shell::{images, NotModelled, Refused, Terminal, Typed};
use crate::{Event, NsKinds};

/// One container of the pod kubectl makes: its spec, its first process's arguments (for `ps`),
/// and whether it runs a shell that reads its standard input (kubectl run gives it none).
struct Made {
    spec: ContainerSpec,
    argv: String,
    reads: bool,
}

impl Made {
    /// A container of `image`: `command` replaces the image's entrypoint (and its command),
    /// `args` its command, as a pod's `command` and `args` do. `None` for an image the model
    /// does not know with nothing to run.
    fn new(name: String, image: &str, command: Option<&[String]>, args: &[String]) -> Option<Made> {
        let resolved = images::resolve(image, command, args)?;
        Some(Made {
            reads: images::reads_stdin(&resolved.program, &resolved.command),
            argv: resolved.first_process_argv().join(" "),
            spec: ContainerSpec {
                name,
                program: resolved.program,
            },
        })
    }
}

/// `kubectl run NAME --image=IMAGE [--restart=Never|Always] [--overrides=JSON] [--command] [-- ARGS…]`.
pub(super) fn run_pod(
    terminal: &mut Terminal,
    node: &Node,
    args: &[String],
) -> Result<Typed, Refused> {
    let mut name = None;
    let mut image = None;
    let mut overrides = None;
    let mut replaces_entrypoint = false;
    let mut command = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if word == "--" {
            command = words.by_ref().cloned().collect();
            break;
        }
        let (flag, inline) = match word.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (word.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| words.next().cloned())
                .unwrap_or_default()
        };
        match flag {
            "--image" => image = Some(value()),
            "--overrides" => overrides = Some(value()),
            // The model's kubelet does not restart by itself: either policy reads the same.
            "--restart" => {
                let policy = value();
                if !matches!(policy.as_str(), "Never" | "Always" | "OnFailure") {
                    return Ok(Typed::said(
                        format!("error: invalid restart policy: {policy}\n"),
                        1,
                    ));
                }
            }
            // The words after `--` are the container's `command`, not its `args`.
            "--command" => replaces_entrypoint = true,
            flag if flag.starts_with('-') => {
                return Err(Refused::NotModelled(NotModelled::Flag(flag.to_owned())))
            }
            pod if name.is_none() => name = Some(pod.to_owned()),
            extra => command.push(extra.to_owned()),
        }
    }
    let Some(name) = name else {
        return Ok(Typed::said(
            "error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n".into(),
            1,
        ));
    };
    let Some(image) = image.filter(|i| !i.is_empty()) else {
        return Ok(Typed::said(
            "error: required flag(s) \"image\" not set\n".into(),
            1,
        ));
    };
    let (entrypoint, args) = match replaces_entrypoint && !command.is_empty() {
        true => (Some(&command[..]), &[][..]),
        false => (None, &command[..]),
    };
    let Some(made) = Made::new(name.clone(), &image, entrypoint, args) else {
        return Err(Refused::NotModelled(NotModelled::Image(image)));
    };
    let mut containers = vec![made];
    let mut spec = PodSpec {
        name: name.clone(),
        containers: Vec::new(),
        share_process_namespace: false,
        host_network: false,
        host_pid: false,
        host_ipc: false,
        flavor: Flavor::Containerd,
        pause_ipc: IpcMode::shareable(),
    };
    if let Some(overrides) = overrides {
        apply_overrides(&mut spec, &mut containers, &overrides)?;
    }
    spec.containers = containers.iter().map(|made| made.spec.clone()).collect();
    let mut probe = node.clone();
    // kubectl runs as the shell's child (builtins' `around`), forked before the pod is made:
    // the pod's pids come after its.
    let kubectl = Event::Fork {
        pid: terminal.shell,
        new: NsKinds::default(),
    };
    if probe.kernel(kubectl).is_err() {
        return Err(Refused::NoShell);
    }
    if let Err(error) = probe.create_pod(spec.clone()) {
        return Ok(Typed::said(refusal(&error, &name), 1));
    }
    // What each container's first process was started with, for ps: the pod's own pids, as
    // the line's actions will give them on the node.
    let mut said = Typed::said(format!("pod/{name} created\n"), 0);
    if let Some(pod) = probe.pod(&name) {
        for (container, made) in pod.containers.iter().zip(&containers) {
            said.started.push((container.init, made.argv.clone()));
        }
    }
    said.actions.push(Action::CreatePod { pod: spec });
    // A shell with nothing on its standard input reads end of file and exits 0.
    for made in containers.iter().filter(|made| made.reads) {
        said.actions.push(Action::Exit {
            process: Label::Container(ContainerRef::new(&name, &made.spec.name)),
            code: 0,
        });
    }
    Ok(said)
}

/// `--overrides`: a pod's JSON merged over the generated one; the model takes the pod-level
/// namespace toggles.
fn apply_overrides(
    spec: &mut PodSpec,
    containers: &mut Vec<Made>,
    text: &str,
) -> Result<(), Refused> {
    let refused = |what: &str| Refused::NotModelled(NotModelled::Override(what.to_owned()));
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| {
        Refused::NotModelled(NotModelled::Value {
            flag: "--overrides".into(),
            value: text.to_owned(),
        })
    })?;
    let object = value.as_object().ok_or_else(|| refused(text))?;
    for (key, value) in object {
        match (key.as_str(), value) {
            ("apiVersion", serde_json::Value::String(v)) if v == "v1" => {}
            ("kind", serde_json::Value::String(v)) if v == "Pod" => {}
            ("spec", serde_json::Value::Object(fields)) => {
                for (field, value) in fields {
                    let named = format!("spec.{field}");
                    if field == "containers" {
                        *containers = override_containers(value).ok_or_else(|| refused(&named))?;
                        continue;
                    }
                    let on = value.as_bool().ok_or_else(|| refused(&named))?;
                    match field.as_str() {
                        "shareProcessNamespace" => spec.share_process_namespace = on,
                        "hostPID" => spec.host_pid = on,
                        "hostNetwork" => spec.host_network = on,
                        "hostIPC" => spec.host_ipc = on,
                        _ => return Err(refused(&named)),
                    }
                }
            }
            (other, _) => return Err(refused(other)),
        }
    }
    Ok(())
}

/// `spec.containers` of `--overrides`: the list replaces the generated one whole (kubectl's
/// default JSON merge patch), each container its `name`, `image` and, if given, `command` and
/// `args`.
fn override_containers(value: &serde_json::Value) -> Option<Vec<Made>> {
    let words = |value: &serde_json::Value| -> Option<Vec<String>> {
        let list = value.as_array()?;
        list.iter()
            .map(|word| word.as_str().map(str::to_owned))
            .collect()
    };
    let mut containers = Vec::new();
    for container in value.as_array().filter(|list| !list.is_empty())? {
        let mut name = None;
        let mut image = None;
        let mut command = None;
        let mut args = Vec::new();
        for (key, value) in container.as_object()? {
            match (key.as_str(), value) {
                ("name", serde_json::Value::String(v)) => name = Some(v.clone()),
                ("image", serde_json::Value::String(v)) => image = Some(v.clone()),
                ("command", _) => command = Some(words(value)?),
                ("args", _) => args = words(value)?,
                _ => return None,
            }
        }
        let name = name.filter(|name| !name.is_empty())?;
        // An empty `command` is the same as none: the image's entrypoint runs.
        let command = command.filter(|words| !words.is_empty());
        containers.push(Made::new(name, &image?, command.as_deref(), &args)?);
    }
    Some(containers)
}
