//! `kubectl run`: the pod kubectl makes from its flags, with `--overrides` merged over it.

use super::refusal;
use crate::pod::{ContainerRef, ContainerSpec, Flavor, IpcMode, Node, PodSpec};
use crate::scenario::{Action, Label};
use crate::shell::{images, NotModelled, Refused, Typed};

/// `kubectl run NAME --image=IMAGE [--restart=Never|Always] [--overrides=JSON] [-- CMD…]`.
pub(super) fn run_pod(node: &Node, args: &[String]) -> Result<Typed, Refused> {
    let mut name = None;
    let mut image = None;
    let mut overrides = None;
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
            "--command" => {}
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
    let Some((command_line, program, _)) = images::resolve(&image, &command) else {
        return Err(Refused::NotModelled(NotModelled::Image(image)));
    };
    let mut spec = PodSpec {
        name: name.clone(),
        containers: vec![ContainerSpec {
            name: name.clone(),
            program: program.clone(),
        }],
        share_process_namespace: false,
        host_network: false,
        host_pid: false,
        host_ipc: false,
        flavor: Flavor::Containerd,
        pause_ipc: IpcMode::shareable(),
    };
    // Which containers run a shell that reads its standard input (kubectl run gives it none).
    let mut reads = vec![images::reads_stdin(&program, &command_line)];
    if let Some(overrides) = overrides {
        apply_overrides(&mut spec, &mut reads, &overrides)?;
    }
    let mut probe = node.clone();
    if let Err(error) = probe.create_pod(spec.clone()) {
        return Ok(Typed::said(refusal(&error, &name), 1));
    }
    let mut said = Typed::said(format!("pod/{name} created\n"), 0);
    let names: Vec<String> = spec.containers.iter().map(|c| c.name.clone()).collect();
    said.actions.push(Action::CreatePod { pod: spec });
    // A shell with nothing on its standard input reads end of file and exits 0.
    for (container, reads) in names.iter().zip(reads) {
        if reads {
            said.actions.push(Action::Exit {
                process: Label::Container(ContainerRef::new(&name, container)),
                code: 0,
            });
        }
    }
    Ok(said)
}

/// `--overrides`: a pod's JSON merged over the generated one; the model takes the pod-level
/// namespace toggles.
fn apply_overrides(spec: &mut PodSpec, reads: &mut Vec<bool>, text: &str) -> Result<(), Refused> {
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
                        let containers =
                            override_containers(value).ok_or_else(|| refused(&named))?;
                        *reads = containers.iter().map(|(_, reads)| *reads).collect();
                        spec.containers = containers.into_iter().map(|(spec, _)| spec).collect();
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
/// default JSON merge patch), each container its `name`, `image` and, if given, `command`; and
/// whether it runs a shell that reads its standard input.
fn override_containers(value: &serde_json::Value) -> Option<Vec<(ContainerSpec, bool)>> {
    let mut containers = Vec::new();
    for container in value.as_array().filter(|list| !list.is_empty())? {
        let object = container.as_object()?;
        let mut name = None;
        let mut image = None;
        let mut command = Vec::new();
        for (key, value) in object {
            match (key.as_str(), value) {
                ("name", serde_json::Value::String(v)) => name = Some(v.clone()),
                ("image", serde_json::Value::String(v)) => image = Some(v.clone()),
                ("command", serde_json::Value::Array(words)) => {
                    for word in words {
                        command.push(word.as_str()?.to_owned());
                    }
                }
                _ => return None,
            }
        }
        let (command_line, program, _) = images::resolve(&image?, &command)?;
        let reads = images::reads_stdin(&program, &command_line);
        let spec = ContainerSpec {
            name: name.filter(|name| !name.is_empty())?,
            program,
        };
        containers.push((spec, reads));
    }
    Some(containers)
}
