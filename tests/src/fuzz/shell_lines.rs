//! Hostile lines for the terminal: mutations of the commands a reader types, run in a shell of
//! the model in a container and on the node, with their effects played as the page plays them.
//! A line must end in output or a refusal, never a panic, and a refused line or a refused
//! effect must leave the terminal as it was.

use pauselab_core::pod::ContainerRef;
use pauselab_core::scenario::{Action, Label, Player, Scenario};
use pauselab_core::shell::{Terminal, MAX_LINE};
use pauselab_core::text::{Language, Say};

use super::{Rng, Verdict};

/// Lines a reader types, the seeds of the mutations.
pub const SEEDS: &[&str] = &[
    "ps -ef",
    "ps -e -o pid,ppid,stat,comm",
    "ps -eo pid,args",
    "kill -9 1",
    "kill -s TERM 2 3",
    "kill -HUP 1",
    "cat /proc/1/status",
    "cat /proc/self/status /proc/2/comm",
    "readlink /proc/1/ns/net",
    "ls -l /proc/1/ns",
    "lsns -t pid",
    "lsns",
    "hostname",
    "sleep 1000 &",
    "sleep 1",
    "wait",
    "echo $? \"$?\" 'x'",
    "exit 3",
    "help",
];

/// Changes a line: characters inserted, dropped or repeated, words swapped for other seeds'
/// words, quotes and operators inserted, numbers made huge, the line made very long.
pub fn mutate(line: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = line.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(chars.len() + 1);
        match rng.below(7) {
            0 if at < chars.len() => {
                chars.remove(at);
            }
            1 => {
                let inserted = *rng.pick(&[
                    '\'', '"', '\\', '$', '?', '&', '|', '-', ' ', '9', '/', '#', 'é', '\0',
                ]);
                chars.insert(at, inserted);
            }
            2 => {
                let word = rng.pick(SEEDS).split(' ').nth(rng.below(3)).unwrap_or("");
                chars.splice(at..at, format!(" {word}").chars());
            }
            3 => chars.splice(at..at, " 4294967296".chars()).for_each(drop),
            4 => chars.splice(at..at, " -".chars()).for_each(drop),
            5 if rng.below(8) == 0 => {
                let long = "x".repeat(MAX_LINE - 2 + rng.below(4));
                chars.splice(at..at, long.chars()).for_each(drop);
            }
            _ => {
                let copy: Vec<char> = chars[at..].iter().take(rng.below(8)).copied().collect();
                chars.splice(at..at, copy).for_each(drop);
            }
        }
    }
    chars.into_iter().collect()
}

/// The input number `n` of a run with `seed`: a few lines, now and then as they are.
pub fn input(seed: u64, n: u64) -> (Vec<String>, Rng) {
    let mut rng = Rng::new(seed ^ n.wrapping_mul(0xD1B5_4A32_D192_ED03) ^ 0x5E11);
    let lines = (0..1 + rng.below(6))
        .map(|_| {
            let line = *rng.pick(SEEDS);
            if rng.below(6) == 0 {
                line.to_owned()
            } else {
                mutate(line, &mut rng)
            }
        })
        .collect();
    (lines, rng)
}

/// Runs the lines in a shell exec'd into a scenario's container, or on its node, playing each
/// line's effects; panics on anything the terminal must never do.
pub fn drive(lines: &[String], rng: &mut Rng) -> Verdict {
    let scenarios = Scenario::all().expect("the scenario files read");
    let scenario = scenarios
        .iter()
        .find(|s| s.id == "zombies")
        .expect("the zombie scenario");
    let mut player = Player::new();
    for index in 0..rng.below(scenario.steps.len() + 1) {
        player.play(scenario, index).expect("the scenario plays");
    }
    let (open, comm) = if rng.below(2) == 0
        && player
            .node()
            .container(&ContainerRef::new("web", "app"))
            .is_some()
    {
        (
            Action::Exec {
                container: ContainerRef::new("web", "app"),
                name: "you".into(),
                comm: "sh".into(),
            },
            "sh",
        )
    } else {
        (
            Action::Fork {
                process: Label::Host,
                name: "you".into(),
                comm: Some("bash".into()),
                new: Default::default(),
            },
            "bash",
        )
    };
    if !matches!(player.perform_action(&open), Ok(None)) {
        return Verdict::Refused("the shell did not start".into());
    }
    let shell = player
        .pid(&Label::Named("you".into()))
        .expect("the shell's pid");
    let language = *rng.pick(&Language::ALL);
    let mut terminal = Terminal::new(shell, comm, language);
    for action in terminal.opening() {
        assert!(
            matches!(player.perform_action(&action), Ok(None)),
            "{action:?}"
        );
    }
    let mut ran = 0;
    for line in lines {
        let before = terminal.clone();
        let started = std::time::Instant::now();
        let result = terminal.run(player.node(), line);
        // The bound for the parser and a command's output: far above what a line
        // takes (microseconds), so only a runaway loop reaches it.
        let took = started.elapsed();
        assert!(
            took < std::time::Duration::from_millis(100),
            "the line {line:?} took {took:?}"
        );
        match result {
            Ok(typed) => {
                ran += 1;
                let saved = player.clone();
                for action in &typed.actions {
                    match player.perform_action(action) {
                        Ok(None) => {}
                        Ok(Some(refusal)) => {
                            let _ = refusal.say(language);
                            player = saved;
                            terminal = before;
                            break;
                        }
                        Err(unknown) => {
                            let _ = unknown.say(language);
                            player = saved;
                            terminal = before;
                            break;
                        }
                    }
                }
                if typed.exit {
                    break;
                }
            }
            Err(refused) => {
                assert!(!refused.say(language).is_empty());
                assert_eq!(
                    terminal, before,
                    "a refused line changed the terminal: {line:?}"
                );
            }
        }
    }
    if ran == 0 {
        Verdict::Refused("every line was refused".into())
    } else {
        Verdict::Opened(ran)
    }
}

/// A stable name for lines found to crash.
pub fn name_of(text: &str) -> String {
    format!("{:016x}.lines", super::fnv1a(text.as_bytes()))
}
