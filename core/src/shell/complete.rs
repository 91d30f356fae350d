//! Tab completion, as bash's programmable completion does it for the terminal's commands: the
//! word under the cursor is completed from what can come there — a command, a subcommand, a
//! flag, a flag's value, a container, a pod, a pid the shell can see, a /proc path. One choice
//! is written out with a space after it; several are completed as far as they agree, and listed.

use crate::ns::NsKind;
use crate::pod::Node;
use crate::process::Pid;
use crate::signal::Signal;

use super::docker::VALUED as RUN_FLAGS;
use super::images;

/// What Tab makes of a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// The line, its last word completed as far as every choice agrees.
    pub line: String,
    /// The choices, when more than one is left (sorted); none when the word was completed or
    /// nothing fits.
    pub choices: Vec<String>,
}

/// The commands the terminal runs.
const COMMANDS: &[&str] = &[
    "cat", "docker", "echo", "exit", "help", "hostname", "kill", "kubectl", "ls", "lsns", "ps",
    "readlink", "sleep", "wait",
];

const DOCKER: &[&str] = &[
    "create", "exec", "inspect", "kill", "ps", "rm", "run", "start", "stop",
];

const KUBECTL: &[&str] = &["delete", "exec", "get", "run"];

/// Completes the last word of `line`, typed at `shell` on `node`.
pub fn complete(node: &Node, shell: Pid, line: &str) -> Completion {
    let (head, word) = match line.rfind(' ') {
        Some(at) => line.split_at(at + 1),
        None => ("", line),
    };
    let before: Vec<&str> = head.split_whitespace().collect();
    let choices = candidates(node, shell, &before, word);
    let mut fitting: Vec<String> = choices
        .into_iter()
        .filter(|choice| choice.starts_with(word))
        .collect();
    fitting.sort();
    fitting.dedup();
    match fitting.as_slice() {
        [] => Completion {
            line: line.to_owned(),
            choices: Vec::new(),
        },
        [only] => {
            // A path or a flag's value may go on; a word is done.
            let more = only.ends_with(['/', '=', ':']);
            Completion {
                line: format!("{head}{only}{}", if more { "" } else { " " }),
                choices: Vec::new(),
            }
        }
        [first, rest @ ..] => {
            let common = rest.iter().fold(first.len(), |len, choice| {
                first
                    .bytes()
                    .zip(choice.bytes())
                    .take(len)
                    .take_while(|(a, b)| a == b)
                    .count()
            });
            let common = (0..=common)
                .rev()
                .find(|&at| first.is_char_boundary(at))
                .unwrap_or(0);
            Completion {
                line: format!("{head}{}", &first[..common]),
                choices: fitting.clone(),
            }
        }
    }
}

fn owned(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_owned()).collect()
}

/// What can be the word after `before`.
fn candidates(node: &Node, shell: Pid, before: &[&str], word: &str) -> Vec<String> {
    let Some((&command, args)) = before.split_first() else {
        return owned(COMMANDS);
    };
    let last = args.last().copied().unwrap_or(command);
    match command {
        "docker" => match args.split_first() {
            None => owned(DOCKER),
            Some((&sub, rest)) => docker(node, sub, rest.last().copied(), word),
        },
        "kubectl" => match args.split_first() {
            None => owned(KUBECTL),
            Some((&sub, rest)) => kubectl(node, sub, rest, word),
        },
        "kill" if word.starts_with('-') => {
            let mut flags = owned(&["-9", "-l", "-s"]);
            flags.extend(Signal::all().map(|s| format!("-{}", &s.name()[3..])));
            flags
        }
        "kill" if last == "-s" => Signal::all().map(|s| s.name()[3..].to_owned()).collect(),
        "kill" => pids(node, shell),
        "cat" | "readlink" | "ls" => proc_paths(node, shell, command, word),
        "ps" => owned(&["-e", "-ef", "-o", "aux"]),
        "lsns" if last == "-t" => NsKind::ALL.iter().map(|k| k.name().to_owned()).collect(),
        "lsns" => owned(&["-t"]),
        _ => Vec::new(),
    }
}

fn docker(node: &Node, sub: &str, last: Option<&str>, word: &str) -> Vec<String> {
    let names = || -> Vec<String> { node.docker_inspect().into_iter().map(|c| c.name).collect() };
    let joins = |modes: &[&str]| -> Vec<String> {
        let mut values = owned(modes);
        values.extend(names().into_iter().map(|name| format!("container:{name}")));
        values
    };
    match sub {
        "run" | "create" => match last {
            Some("--net" | "--network") => joins(&["host", "none"]),
            Some("--ipc") => joins(&["host", "none", "private", "shareable"]),
            Some("--pid") => joins(&["host"]),
            Some(valued) if RUN_FLAGS.contains(&valued) => Vec::new(),
            _ if word.starts_with('-') => {
                let mut flags = owned(RUN_FLAGS);
                flags.extend(owned(&[
                    "--detach",
                    "--interactive",
                    "--tty",
                    "-d",
                    "-i",
                    "-it",
                    "-t",
                ]));
                flags
            }
            _ => images::repositories().map(str::to_owned).collect(),
        },
        "ps" => owned(&["--all", "--format", "--quiet", "-a", "-q"]),
        "inspect" if word.starts_with('-') => owned(&["--format", "-f"]),
        "kill" if word.starts_with('-') => owned(&["--signal", "-s"]),
        "rm" if word.starts_with('-') => owned(&["--force", "-f"]),
        "exec" if word.starts_with('-') => owned(&["-it"]),
        "inspect" | "kill" | "rm" | "exec" | "start" | "stop" => names(),
        _ => Vec::new(),
    }
}

fn kubectl(node: &Node, sub: &str, rest: &[&str], word: &str) -> Vec<String> {
    let pods = || -> Vec<String> { node.pods().iter().map(|p| p.spec.name.clone()).collect() };
    match (sub, rest) {
        ("get", []) => owned(&["pods"]),
        ("get", _) => owned(&["-A", "-n", "-o", "wide"]),
        ("delete", []) => owned(&["pod"]),
        ("delete", _) => pods(),
        ("exec", _) if word.starts_with('-') => owned(&["--", "-c", "-it"]),
        ("exec", [.., "-c"]) => node
            .pods()
            .iter()
            .filter(|pod| rest.contains(&pod.spec.name.as_str()))
            .flat_map(|pod| pod.spec.containers.iter().map(|c| c.name.clone()))
            .collect(),
        ("exec", _) => pods(),
        ("run", _) => owned(&["--image=", "--overrides="]),
        _ => Vec::new(),
    }
}

/// The pids the shell's pid namespace shows.
fn pids(node: &Node, shell: Pid) -> Vec<String> {
    let world = node.world();
    let Some(ns) = world
        .process(shell)
        .map(|p| p.namespaces().get(NsKind::Pid))
    else {
        return Vec::new();
    };
    world
        .ps(ns)
        .unwrap_or_default()
        .into_iter()
        .map(|row| row.pid.to_string())
        .collect()
}

/// `/proc/`, `/proc/PID/`, and what the terminal reads there.
fn proc_paths(node: &Node, shell: Pid, command: &str, word: &str) -> Vec<String> {
    let Some(rest) = word.strip_prefix("/proc/") else {
        return owned(&["/proc/"]);
    };
    match rest.split_once('/') {
        None => pids(node, shell)
            .into_iter()
            .map(|pid| format!("/proc/{pid}/"))
            .collect(),
        Some((pid, inside)) if inside.starts_with("ns/") => NsKind::ALL
            .iter()
            .map(|kind| format!("/proc/{pid}/ns/{}", kind.name()))
            .collect(),
        // `ls -l /proc/PID/ns` lists the directory; the others read a file in it.
        Some((pid, _)) => ["status", "comm", if command == "ls" { "ns" } else { "ns/" }]
            .iter()
            .map(|file| format!("/proc/{pid}/{file}"))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::typing::{node, said};

    #[test]
    fn tab_completes_commands_subcommands_flags_names_and_pids() {
        let (mut player, shell) = node();
        said(
            &mut player,
            shell,
            "docker run -d --name pause --ipc=shareable registry.k8s.io/pause:3.9",
        );
        said(
            &mut player,
            shell,
            "docker run -d --name pod2 busybox sleep 1000",
        );
        let node = player.node();
        let tab = |line: &str| complete(node, shell, line);
        assert_eq!(tab("dock").line, "docker ");
        assert_eq!(tab("docker ins").line, "docker inspect ");
        let names = tab("docker inspect p");
        assert_eq!(names.line, "docker inspect p");
        assert_eq!(names.choices, ["pause", "pod2"]);
        assert_eq!(tab("docker inspect pa").line, "docker inspect pause ");
        assert_eq!(
            tab("docker run --ipc container:pa").line,
            "docker run --ipc container:pause "
        );
        assert_eq!(tab("docker run -d ngi").line, "docker run -d nginx ");
        assert_eq!(tab("docker run --ho").line, "docker run --hostname ");
        assert_eq!(tab("kubectl g").line, "kubectl get ");
        assert_eq!(tab("kubectl get p").line, "kubectl get pods ");
        // The pids the node's bash sees: every one, the host's init first.
        let pids = tab("kill ");
        assert!(pids.choices.contains(&"1".to_owned()), "{pids:?}");
        assert!(pids.choices.contains(&shell.to_string()), "{pids:?}");
        assert_eq!(tab("kill -KI").line, "kill -KILL ");
        assert_eq!(tab("cat /proc/1/st").line, "cat /proc/1/status ");
        assert_eq!(
            tab("readlink /proc/1/ns/ne").line,
            "readlink /proc/1/ns/net "
        );
        assert_eq!(tab("ls -l /proc/1/n").line, "ls -l /proc/1/ns ");
        assert_eq!(tab("lsns -t ip").line, "lsns -t ipc ");
        // Nothing fits: the line stays as it was.
        assert_eq!(tab("frob").line, "frob");
        assert!(tab("frob").choices.is_empty());
    }

    #[test]
    fn inside_a_container_tab_offers_the_pids_its_namespace_shows() {
        let (mut player, shell) = node();
        said(&mut player, shell, "docker run -d --name web nginx");
        said(&mut player, shell, "docker exec -it web sh");
        let inner = player.typing_at(shell);
        assert_ne!(inner, shell);
        let pids = complete(player.node(), inner, "kill ").choices;
        assert!(pids.contains(&"1".to_owned()), "{pids:?}");
        assert!(pids.len() <= 4, "only the container's: {pids:?}");
    }
}
