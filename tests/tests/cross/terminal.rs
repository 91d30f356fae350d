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

use pauselab_core::pod::NodeStep;
use pauselab_core::scenario::{Action, Label, Player};
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

/// What the real shell (`sh` or `bash --norc`) printed for each line.
fn real(shell: &[&str], lines: &[&str]) -> Vec<String> {
    let script = pauselab_tests::workspace_root().join("tests/terminal/real_shell.py");
    let mut child = Command::new("python3")
        .arg(script)
        .args(["unshare", "--pid", "--fork", "--mount-proc"])
        .args(shell)
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
fn model(comm: &str, lines: &[&str]) -> Vec<String> {
    let mut player = Player::new();
    let open = Action::Fork {
        process: Label::Host,
        name: "you".into(),
        comm: Some(comm.into()),
        new: NsKinds::of(&[NsKind::Pid, NsKind::Mnt]),
    };
    assert_eq!(player.perform_action(&open).unwrap(), None);
    // Each line typed as the page types it: a scenario action, whose output the log keeps.
    lines
        .iter()
        .map(|line| {
            let typed = Action::Type {
                process: Label::Named("you".into()),
                line: (*line).to_owned(),
                effects: None,
            };
            let refused = player.perform_action(&typed).unwrap();
            assert!(refused.is_none(), "{line}: refused: {refused:?}");
            let said = player.last.iter().find_map(|step| match step {
                NodeStep::Typed { said, .. } => Some(said.clone()),
                _ => None,
            });
            match said {
                Some(Ok((output, _))) => output,
                Some(Err(refused)) => panic!("{line}: refused: {}", refused.say(Language::English)),
                None => panic!("{line}: no output logged"),
            }
        })
        .collect()
}

/// The fields of /proc/PID/status the model has.
const STATUS_FIELDS: [&str; 9] = [
    "Name:", "State:", "Tgid:", "Pid:", "PPid:", "NSpid:", "SigBlk:", "SigIgn:", "SigCgt:",
];

/// Namespace ids as `NS1`, `NS2`… in order of appearance, times and dates as the model's
/// (00:00, Jan  1 00:00), the pty's number as 0, and status files' other fields dropped.
///
/// One race is masked: the shell's own state, read while it waits for the tool that reads
/// it. Its State and SigBlk are `S` with nothing blocked when dash is in sigsuspend and `R`
/// with nearly everything blocked just before, and ps shows it `R` or `S` the same way; which
/// one a reader sees is a matter of microseconds (and of the machine's load), so for pid 1
/// (the shell) its status's State and SigBlk are left out and ps's `R` reads as `S`.
fn normalised(text: &str) -> String {
    let text: String = text
        .split_inclusive(' ')
        .map(|word| match word.strip_prefix("pts/") {
            Some(rest) => {
                let tail = rest.trim_start_matches(|c: char| c.is_ascii_digit());
                format!("pts/0{tail}")
            }
            None => word.to_owned(),
        })
        .collect();
    let text = shell_status_masked(&text);
    let text: String = text
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("1 ") && line.contains(" R ") {
                format!("{}\n", line.replacen(" R ", " S ", 1))
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    numbered(&text)
}

fn shell_status_masked(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut block_start = 0;
    for line in text.lines() {
        if line.starts_with("Name:\t") {
            block_start = out.len();
        }
        if line == "Pid:\t1" {
            for earlier in &mut out[block_start..] {
                if earlier.starts_with("State:\t") {
                    *earlier = "State:\t(the shell's, a race)".into();
                }
            }
        }
        if line.starts_with("SigBlk:\t") && out[block_start..].iter().any(|l| l == "Pid:\t1") {
            out.push("SigBlk:\t(the shell's, a race)".into());
            continue;
        }
        out.push(line.to_owned());
    }
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    joined
}

fn numbered(text: &str) -> String {
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
        if line.starts_with("root ") {
            line = replace_time(&line);
        }
        if line.starts_with("lrwxrwxrwx ") {
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
            if bytes.len() == 5
                && bytes[2] == b':'
                && word.replace(':', "").bytes().all(|b| b.is_ascii_digit())
            {
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

/// Both texts of every line that differs, or nothing.
fn differences(shell: &[&str], comm: &str, lines: &[&str]) -> Vec<String> {
    let real = real(shell, lines);
    let model = model(comm, lines);
    assert_eq!(real.len(), lines.len());
    let mut differences = Vec::new();
    for ((line, real), model) in lines.iter().zip(&real).zip(&model) {
        let (real, model) = (normalised(real), normalised(model));
        if real != model {
            differences.push(format!(
                "$ {line}\n--- the real {comm}:\n{real}--- the model:\n{model}"
            ));
        }
    }
    differences
}

fn assert_same(shell: &[&str], comm: &str, lines: &[&str]) {
    let differences = differences(shell, comm, lines);
    assert!(
        differences.is_empty(),
        "{} of {} lines differ (typed in this order: {lines:?}):\n{}",
        differences.len(),
        lines.len(),
        differences.join("\n")
    );
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (unshare)"
)]
fn k17_the_terminal_prints_what_a_real_dash_and_its_tools_print() {
    pauselab_tests::require(pauselab_tests::is_root(), "root");
    assert_same(&["sh"], "sh", LINES);
}

/// The node's shell: bash, whose messages and job lines differ from dash's. (Its command line
/// is `bash --norc`, so that no rc file changes the prompt; the lines that print arguments are
/// left to the dash test.)
#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (unshare)"
)]
fn the_terminal_prints_what_a_real_bash_prints() {
    pauselab_tests::require(pauselab_tests::is_root(), "root");
    let lines: Vec<&str> = LINES
        .iter()
        .copied()
        .filter(|line| {
            !["ps -ef", "ps -o pid,s,comm,args"].contains(line) && !line.starts_with("lsns")
        })
        .collect();
    assert_same(&["bash", "--norc"], "bash", &lines);
}

/// Lines without a race in them: nothing that ends a background job, whose notice the real
/// shell prints at a prompt of its choosing.
const POOL: &[&str] = &[
    "ps -e -o pid,ppid,stat,comm",
    "ps -ef",
    "ps",
    "ps -eo pid,stat",
    "ps -A -o comm,pid",
    "ps -x",
    "cat /proc/1/status",
    "cat /proc/2/status",
    "cat /proc/1/comm /proc/99/comm",
    "readlink /proc/1/ns/net /proc/2/ns/pid_for_children",
    "ls -l /proc/1/ns",
    "lsns -t pid",
    "lsns -t uts",
    "lsns -t mnt",
    "lsns --type=ipc",
    "lsns -t bogus",
    "kill -9 1",
    "kill -HUP 1",
    "kill -s INT 1",
    "kill 99",
    "kill -s BOGUS 1",
    "kill",
    "echo $?",
    "echo a 'b c' \"$?\"",
    "true",
    "false",
    "nope",
    "sleep 0",
    "sleep 100 &",
    "exit 300x",
];

/// 20 random sequences per run from the pool, each after `sleep 1000 &`; the seed is printed
/// and a failing sequence is printed whole.
#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (unshare)"
)]
fn twenty_random_sequences_print_the_same_in_the_terminal_and_a_real_dash() {
    pauselab_tests::require(pauselab_tests::is_root(), "root");
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |t| t.as_nanos() as u64);
    println!("seed {seed}");
    let mut rng = pauselab_tests::fuzz::Rng::new(seed);
    for run in 0..20 {
        let mut lines = vec!["sleep 1000 &"];
        for _ in 0..8 {
            lines.push(*rng.pick(POOL));
        }
        let differences = differences(&["sh"], "sh", &lines);
        assert!(
            differences.is_empty(),
            "sequence {run} of seed {seed} differs: {lines:?}\n{}",
            differences.join("\n")
        );
    }
}
