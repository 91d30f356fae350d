//! #19: the terminal against the real tools. The same lines are typed into a real interactive
//! dash on a pseudo-terminal — pid 1 of a fresh pid namespace with its own /proc, as a shell
//! that `kubectl exec -it` starts in a container is in the container's — and into the model's
//! shell in the same place. What each line printed must be equal, after normalising only what
//! the kernel and the clock number differently: namespace ids (mapped in order of appearance)
//! and times and dates (ps's STIME, ls's date). `/proc/PID/status` is compared on the fields the
//! model has (Name, State, Tgid, Pid, PPid, NSpid, SigBlk, SigIgn, SigCgt); the kernel prints
//! others between them. A difference prints the lines and both texts, and fails.

use std::io::Write as _;
use std::process::{Command, Stdio};

use pauselab_core::scenario::{Action, Label, Player};
use pauselab_core::shell::Terminal;
use pauselab_core::text::{Language, Say};
use pauselab_core::{NsKind, NsKinds};

/// The lines: the shell's own view of its pid namespace, K17's `kill -9 1` and `kill 1` from
/// inside (pid 1 here is the shell itself), the shell's messages and statuses, /proc and lsns.
const LINES: &[&str] = &[
    "sleep 1000 &",
    "ps -e -o pid,ppid,stat,comm",
    "ps -ef",
    "ps",
    "ps -o pid,s,comm,args",
    "cat /proc/1/status",
    "cat /proc/2/status /proc/2/comm",
    "cat /proc/99/status",
    "kill -9 1",
    "echo $?",
    "kill 1",
    "echo $?",
    "kill -9 99",
    "echo $?",
    "kill -s NOPE 2",
    "echo $?",
    "nginx-debug -v",
    "echo $? \"$?\" '$?'",
    "readlink /proc/1/ns/pid /proc/2/ns/net",
    "ls -l /proc/2/ns",
    "lsns -t pid",
    "lsns -t net",
    "ps -k",
    "ps -o foo",
    "true",
    "false",
    "echo $?",
    "ps -e -o pid,ppid,comm",
];

/// What the real dash printed for each line.
fn real(lines: &[&str]) -> Vec<String> {
    let script = pauselab_tests::workspace_root().join("tests/terminal/real_shell.py");
    let mut child = Command::new("python3")
        .arg(script)
        .args(["unshare", "--pid", "--fork", "--mount-proc", "sh"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3 runs");
    let json = serde_json::to_string(lines).unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json.as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("the real shell's output");
    assert!(out.status.success(), "tests/terminal/real_shell.py failed");
    let mut printed: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    // The first is what the shell printed before its first prompt.
    assert_eq!(printed.remove(0), "", "the shell printed a banner");
    printed
}

/// What the model's shell printed for each line, on a node where it is pid 1 of a new pid
/// namespace, and what the model refused.
fn model(lines: &[&str]) -> Vec<String> {
    let mut player = Player::new();
    let open = Action::Fork {
        process: Label::Host,
        name: "you".into(),
        comm: Some("sh".into()),
        new: NsKinds::of(&[NsKind::Pid, NsKind::Mnt]),
    };
    assert_eq!(player.perform_action(&open).unwrap(), None);
    let shell = player.pid(&Label::Named("you".into())).unwrap();
    let mut terminal = Terminal::new(shell, "sh", Language::English);
    for action in terminal.opening() {
        assert_eq!(player.perform_action(&action).unwrap(), None, "{action:?}");
    }
    lines
        .iter()
        .map(|line| {
            let typed = terminal
                .run(player.node(), line)
                .unwrap_or_else(|refused| panic!("{line}: refused: {}", refused.say(Language::English)));
            for action in &typed.actions {
                let refused = player.perform_action(action).unwrap();
                assert!(refused.is_none(), "{line}: {action:?} refused: {refused:?}");
            }
            typed.output
        })
        .collect()
}

/// The fields of /proc/PID/status the model has.
const STATUS_FIELDS: [&str; 9] = [
    "Name:", "State:", "Tgid:", "Pid:", "PPid:", "NSpid:", "SigBlk:", "SigIgn:", "SigCgt:",
];

/// Namespace ids as `NS1`, `NS2`… in order of appearance, times and dates as the model's
/// (00:00, Jan  1 00:00), and status files' other fields dropped.
fn normalised(text: &str) -> String {
    let mut ids: Vec<String> = Vec::new();
    let mut out = String::new();
    for line in text.lines() {
        let status_field = line
            .split_once(':')
            .filter(|(name, value)| value.starts_with('\t') && !name.contains(' '))
            .map(|(name, _)| format!("{name}:"));
        if let Some(field) = status_field {
            if !STATUS_FIELDS.contains(&field.as_str()) {
                continue;
            }
        }
        let mut words: Vec<String> = Vec::new();
        for word in line.split(' ') {
            let word = match_id(word, &mut ids);
            words.push(word);
        }
        let mut line = words.join(" ");
        // ps -ef's STIME and ls -l's date: the model's clock starts at 00:00 on Jan 1.
        if line.starts_with("root ") && line.contains(" pts/0 ") || line.contains(" ? ") {
            line = replace_time(&line);
        }
        if line.starts_with("lrwxrwxrwx ") {
            let parts: Vec<&str> = line.splitn(9, ' ').collect();
            if parts.len() == 9 {
                line = format!("lrwxrwxrwx 1 root root 0 DATE {}", parts[8].trim_start());
                line = line.replacen("DATE ", "", 0);
            }
            line = date_out(&line);
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// An ids's word (`4026531836`, `pid:[4026531836]`, `'net:[…]'`) with the id numbered.
fn match_id(word: &str, ids: &mut Vec<String>) -> String {
    let digits: String = word.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 10 || !digits.starts_with("40265") {
        return word.to_owned();
    }
    let index = match ids.iter().position(|id| *id == digits) {
        Some(index) => index,
        None => {
            ids.push(digits.clone());
            ids.len() - 1
        }
    };
    word.replace(&digits, &format!("NS{}", index + 1))
}

/// `HH:MM` as a word (ps's STIME) as 00:00.
fn replace_time(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            let bytes = word.as_bytes();
            if bytes.len() == 5 && bytes[2] == b':' && word.replace(':', "").bytes().all(|b| b.is_ascii_digit()) {
                "00:00"
            } else {
                word
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// ls -l's `Mmm dd HH:MM` (or `Mmm  d HH:MM`) as the model's `Jan  1 00:00`.
fn date_out(line: &str) -> String {
    let Some(rest) = line.strip_prefix("lrwxrwxrwx 1 root root 0 ") else {
        return line.to_owned();
    };
    let mut words = rest.split_whitespace();
    let (Some(_month), Some(_day), Some(_time)) = (words.next(), words.next(), words.next()) else {
        return line.to_owned();
    };
    let name: Vec<&str> = words.collect();
    format!("lrwxrwxrwx 1 root root 0 Jan  1 00:00 {}", name.join(" "))
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (unshare)"
)]
fn k17_the_terminal_prints_what_a_real_shell_and_its_tools_print() {
    pauselab_tests::require(pauselab_tests::is_root(), "root");
    let real = real(LINES);
    let model = model(LINES);
    assert_eq!(real.len(), LINES.len());
    let mut differences = Vec::new();
    for ((line, real), model) in LINES.iter().zip(&real).zip(&model) {
        let (real, model) = (normalised(real), normalised(model));
        if real != model {
            differences.push(format!("$ {line}\n--- the real shell:\n{real}--- the model:\n{model}"));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} lines differ (typed in this order: {LINES:?}):\n{}",
        differences.len(),
        LINES.len(),
        differences.join("\n")
    );
}
