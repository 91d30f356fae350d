//! What a reader would type on a real node to do a scenario's step: for each of its actions,
//! the line (or lines: `exit` back to the node first) that does the same thing, or none where a
//! program, kubelet or the kernel does it by itself (a fork, an exit, a probe).
//!
//! A line is offered only once it has been typed here, on a copy of the node as the step's
//! earlier lines and actions leave it, and done exactly what the step's action does: so a hint
//! can be wrong only where the terminal itself is.

use crate::pod::{ContainerRef, DockerRun, IpcFlag, NetworkFlag, PidFlag, PodSpec, Program};
use crate::process::Pid;
use crate::scenario::{Action, Label, Player};
use crate::signal::Signal;

/// One action of a step, as a reader on a node would do it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hint {
    /// The lines to type, in order, at the shell the terminal is at by then.
    Type(Vec<String>),
    /// Nobody types this: the program, kubelet or the kernel does it (or the terminal has no
    /// command that does exactly this).
    Itself(Box<Action>),
}

/// The most shells a hint leaves with `exit` to get back to the node.
const MAX_EXITS: usize = 8;

/// The hints for a step's actions, typed at the shell `player` types at now.
pub fn hints(player: &Player, actions: &[Action]) -> Vec<Hint> {
    let mut node = player.clone();
    let mut hints = Vec::with_capacity(actions.len());
    for action in actions {
        let mut written = node.clone();
        // A refused action (an expected part of some scenarios) is done by a line the tool
        // refuses for the same flags; the step stops there, as the player stops it.
        let refused = !matches!(written.perform_action(action), Ok(None));
        let typed = candidates(&node, action).into_iter().find_map(|lines| {
            let after = type_as(&node, action, &lines, refused)?;
            Some((lines, after))
        });
        match typed {
            Some((lines, after)) => {
                node = after;
                hints.push(Hint::Type(lines));
            }
            None => {
                // The action plays as written, so the next lines see the node it leaves.
                node = written;
                hints.push(Hint::Itself(Box::new(action.clone())));
            }
        }
        if refused {
            break;
        }
    }
    hints
}

/// A line typed: what it did that a step could, and its exit status.
fn typed(node: &mut Player, line: &str) -> Option<(Vec<Action>, u8)> {
    let before = node.clone();
    let at = node.typing_label();
    let Ok(Some(Action::Type {
        effects: Some(effects),
        ..
    })) = node.type_recorded(&at, line)
    else {
        return None;
    };
    let Some(Ok((_, status))) = node.last_typed() else {
        return None;
    };
    let status = *status;
    Some((doings(&effects, &before, node), status))
}

/// Types `lines` on a copy of `player`: the copy, if together they did exactly `action` (or,
/// for an action the node refuses, failed with nothing done but what the refused action
/// leaves); the names the action gives go to what the lines started, for later actions.
fn type_as(player: &Player, action: &Action, lines: &[String], refused: bool) -> Option<Player> {
    let mut node = player.clone();
    let mut done = Vec::new();
    let mut status = 0;
    for line in lines {
        let (doings, last) = typed(&mut node, line)?;
        done.extend(doings);
        status = last;
    }
    if refused {
        let leaves_the_same = match (action, done.as_slice()) {
            (_, []) => true,
            // docker creates the container before its start is refused.
            (Action::DockerRun { run: w }, [Action::DockerCreate { run: d }]) => {
                as_run(w).is_some() && as_run(w) == as_run(d)
            }
            _ => false,
        };
        return (status != 0 && leaves_the_same).then_some(node);
    }
    let [done] = done.as_slice() else {
        return None;
    };
    if status != 0 {
        return None;
    }
    let named = same(player, action, done, &node)?;
    if let Some((name, pid)) = named {
        node.name_process(&name, pid);
    }
    Some(node)
}

/// What a line's effects did that a step's action could: the shell's own set-up and exit and
/// the tools it forked and reaped left out, and `docker run`'s create and start as one.
fn doings(effects: &[Action], before: &Player, after: &Player) -> Vec<Action> {
    let typing = before.pid(&before.typing_label());
    let shell = |label: &Label| match label {
        Label::Login => true,
        Label::Named(name) => name.starts_with("job:"),
        // The login shell may be started by the line itself.
        label => {
            let pid = before.pid(label);
            pid.is_some() && (pid == typing || pid == after.node().login())
        }
    };
    let mut doings: Vec<Action> = Vec::new();
    for effect in effects {
        match effect {
            Action::Sigaction { process, .. } | Action::Exit { process, .. } if shell(process) => {}
            Action::Fork { name, .. } if name.starts_with("job:") => {}
            Action::Wait { process, .. } if shell(process) => {}
            Action::DockerStart { name } => match doings.last() {
                Some(Action::DockerCreate { run }) if run.name == *name => {
                    let run = run.clone();
                    doings.pop();
                    doings.push(Action::DockerRun { run });
                }
                _ => doings.push(effect.clone()),
            },
            other => doings.push(other.clone()),
        }
    }
    doings
}

/// Whether `done` (typed on `before`, leaving `after`) is what `written` does: `None` if not;
/// else the name `written` gives a new process and its pid, if it gives one.
fn same(
    before: &Player,
    written: &Action,
    done: &Action,
    after: &Player,
) -> Option<Option<(String, Pid)>> {
    let pid = |label: &Label| before.pid(label);
    let new = |name: &str, given: &str| {
        let pid = after.pid(&Label::Named(given.to_owned()))?;
        Some(Some((name.to_owned(), pid)))
    };
    match (written, done) {
        (Action::DockerRun { run: w }, Action::DockerRun { run: d }) => {
            (as_run(w)? == as_run(d)?).then_some(None)
        }
        (Action::CreatePod { pod: w }, Action::CreatePod { pod: d }) => {
            (as_pod(w)? == as_pod(d)?).then_some(None)
        }
        (
            Action::Exec {
                container: wc,
                name,
                comm: wcomm,
            },
            Action::Exec {
                container: dc,
                name: given,
                comm: dcomm,
            },
        ) if wc == dc && wcomm == dcomm => new(name, given),
        (
            Action::DockerExec {
                container: wc,
                name,
                comm: wcomm,
            },
            Action::DockerExec {
                container: dc,
                name: given,
                comm: dcomm,
            },
        ) if wc == dc && wcomm == dcomm => new(name, given),
        (
            Action::Kill {
                from,
                target,
                signal,
            },
            Action::Kill {
                from: by,
                target: t,
                signal: s,
            },
        ) => (pid(from).is_some() && pid(from) == pid(by) && target == t && signal == s)
            .then_some(None),
        (
            Action::KillFromHost { process, signal },
            Action::Kill {
                from,
                target,
                signal: s,
            },
        ) => {
            let sender = after.pid(from)?;
            (Some(sender) == after.node().login()
                && pid(process) == Some(Pid(*target))
                && signal == s)
                .then_some(None)
        }
        (Action::DeletePod { pod: w }, Action::DeletePod { pod: d })
        | (Action::DockerStart { name: w }, Action::DockerStart { name: d })
        | (Action::DockerStop { name: w }, Action::DockerStop { name: d }) => {
            (w == d).then_some(None)
        }
        (written, done) if written == done => Some(None),
        _ => None,
    }
}

/// A `docker run` as it runs: its programs as the model runs them, and without what only a
/// typed one records (the image's name and its command line).
fn as_run(run: &DockerRun) -> Option<DockerRun> {
    Some(DockerRun {
        program: run.program.resolved().ok()?,
        image: String::new(),
        command: Vec::new(),
        ..run.clone()
    })
}

/// A pod as it runs: its containers' programs as the model runs them.
fn as_pod(pod: &PodSpec) -> Option<PodSpec> {
    let mut pod = pod.clone();
    for container in &mut pod.containers {
        container.program = container.program.resolved().ok()?;
    }
    Some(pod)
}

/// The lines that might do `action`, most natural first; each is checked by typing it.
fn candidates(player: &Player, action: &Action) -> Vec<Vec<String>> {
    // Typed on the node: after an `exit` from each shell the terminal is in, if that gets
    // there (else not offered: a node's command typed in a container fails otherwise).
    let on_node = |line: String| match exits(player) {
        Some(mut lines) => {
            lines.push(line);
            vec![lines]
        }
        None => Vec::new(),
    };
    match action {
        Action::DockerRun { run } => docker_run(run).into_iter().flat_map(on_node).collect(),
        Action::DockerStart { name } => on_node(format!("docker start {name}")),
        Action::DockerStop { name } => on_node(format!("docker stop {name}")),
        Action::DockerKill { name, signal } if *signal == Signal::SIGKILL => {
            on_node(format!("docker kill {name}"))
        }
        Action::DockerKill { name, signal } => {
            on_node(format!("docker kill -s {} {name}", short(*signal)))
        }
        Action::DockerRm { name, force } => on_node(format!(
            "docker rm {}{name}",
            if *force { "-f " } else { "" }
        )),
        Action::DockerExec {
            container, comm, ..
        } => on_node(format!("docker exec -it {container} {comm}")),
        Action::CreatePod { pod } => kubectl_run(pod).map(on_node).unwrap_or_default(),
        Action::Exec {
            container: ContainerRef { pod, container },
            comm,
            ..
        } => on_node(format!("kubectl exec -it {pod} -c {container} -- {comm}")),
        Action::DeletePod { pod } => on_node(format!("kubectl delete pod {pod}")),
        Action::KillFromHost { process, signal } => match player.pid(process) {
            Some(pid) => on_node(format!("kill {} {pid}", kill_flag(*signal))),
            None => Vec::new(),
        },
        // Typed at the sender, if the terminal is there: a program's own kill is not typed.
        Action::Kill {
            from,
            target,
            signal,
        } if player.pid(from).is_some()
            && player.pid(from) == player.pid(&player.typing_label()) =>
        {
            vec![vec![format!("kill {} {target}", kill_flag(*signal))]]
        }
        _ => Vec::new(),
    }
}

/// `exit`, once for each shell the terminal has entered, back to the node's own; none if that
/// does not get there.
fn exits(player: &Player) -> Option<Vec<String>> {
    let mut node = player.clone();
    let mut lines = Vec::new();
    while node.typing_label() != Label::Login {
        let at = node.typing_label();
        if lines.len() == MAX_EXITS || !matches!(node.type_recorded(&at, "exit"), Ok(Some(_))) {
            return None;
        }
        lines.push("exit".to_owned());
    }
    Some(lines)
}

/// `-9` for SIGKILL, as everyone types it; `-TERM`, `-HUP`… for the others.
fn kill_flag(signal: Signal) -> String {
    if signal == Signal::SIGKILL {
        "-9".to_owned()
    } else {
        format!("-{}", short(signal))
    }
}

/// A signal's name without `SIG`.
fn short(signal: Signal) -> &'static str {
    signal.name().trim_start_matches("SIG")
}

/// The image that runs a program as its first process, when a real one does.
fn image_of(program: &Program) -> Option<&'static str> {
    Some(match program.comm.as_str() {
        "pause" => "registry.k8s.io/pause:3.9",
        "nginx" => "nginx",
        "sh" => "busybox",
        "bash" => "debian",
        _ => return None,
    })
}

/// `docker run` with the flags a run's settings need; a shell is given a terminal and its
/// standard input (`-it`), or it reads end of file and exits at once.
fn docker_run(run: &DockerRun) -> Option<String> {
    let image = match run.image.as_str() {
        "" => image_of(&run.program)?,
        image => image,
    };
    let mut line = String::from("docker run -d");
    if matches!(run.program.comm.as_str(), "sh" | "bash") {
        line.push_str("it");
    }
    line.push_str(&format!(" --name {}", run.name));
    if run.net != NetworkFlag::default() {
        line.push_str(&format!(" --net={}", run.net));
    }
    if run.ipc != IpcFlag::default() {
        line.push_str(&format!(" --ipc={}", run.ipc));
    }
    if run.pid != PidFlag::default() {
        line.push_str(&format!(" --pid={}", run.pid));
    }
    if let Some(hostname) = &run.hostname {
        line.push_str(&format!(" --hostname {hostname}"));
    }
    for port in &run.publish {
        line.push_str(&format!(" -p {port}"));
    }
    for dns in &run.dns {
        line.push_str(&format!(" --dns {dns}"));
    }
    line.push(' ');
    line.push_str(image);
    Some(line)
}

/// `kubectl run`: the pod's own name for a pod of one container named after it, else the
/// containers (and the namespace toggles) as `--overrides`, which kubectl merges over the pod
/// it makes (a JSON merge patch: the list of containers is replaced whole).
fn kubectl_run(pod: &PodSpec) -> Option<String> {
    let first = pod.containers.first()?;
    let image = image_of(&first.program)?;
    let mut line = format!("kubectl run {} --image={image}", pod.name);
    let toggles = [
        ("shareProcessNamespace", pod.share_process_namespace),
        ("hostNetwork", pod.host_network),
        ("hostPID", pod.host_pid),
        ("hostIPC", pod.host_ipc),
    ];
    let alone = pod.containers.len() == 1 && first.name == pod.name;
    if alone && toggles.iter().all(|(_, on)| !on) {
        return Some(line);
    }
    // Written by hand, to read in the order a person writes a pod: name before image.
    let text = |value: &str| serde_json::Value::from(value).to_string();
    let mut fields: Vec<String> = toggles
        .iter()
        .filter(|(_, on)| *on)
        .map(|(field, _)| format!("\"{field}\":true"))
        .collect();
    if !alone {
        let mut containers = Vec::new();
        for container in &pod.containers {
            let image = image_of(&container.program)?;
            containers.push(format!(
                "{{\"name\":{},\"image\":{}}}",
                text(&container.name),
                text(image)
            ));
        }
        fields.push(format!("\"containers\":[{}]", containers.join(",")));
    }
    line.push_str(&format!(
        " --overrides='{{\"apiVersion\":\"v1\",\"spec\":{{{}}}}}'",
        fields.join(",")
    ));
    Some(line)
}

#[cfg(test)]
mod tests;
