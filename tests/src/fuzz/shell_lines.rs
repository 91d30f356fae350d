//! Hostile lines for the terminal: mutations of the commands a reader types, run in a shell of
//! the model in a container and on the node, with their effects played as the page plays them.
//! Each is typed as a scenario action (`Action::Type`): it must end in output or a refusal,
//! never a panic, and a refused line or a refused effect must leave the node as it was.

use pauselab_core::pod::{ContainerRef, NodeStep};
use pauselab_core::scenario::{Action, Label, Player, Scenario};
use pauselab_core::shell::MAX_LINE;
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
    "docker run -d --name pause --ipc=shareable registry.k8s.io/pause:3.9",
    "docker run -d --name nginx --net=container:pause --ipc=container:pause nginx",
    "docker run -dit --name box --pid=container:pause busybox sleep 1000",
    "docker inspect -f '{{.HostConfig.IpcMode}} {{json .State}}' pause nginx",
    "docker inspect nginx",
    "docker ps -a --no-trunc --filter name=n --format 'table {{.Names}}\t{{.Status}}'",
    "docker ps -q",
    "docker start nginx",
    "docker rm -f nginx pause",
    "docker stop -t 1 nginx",
    "docker kill -s TERM pause",
    "docker exec -it nginx sh",
    "kubectl get pods -o wide",
    "kubectl run box --image=busybox --overrides='{\"spec\":{\"hostPID\":true}}' -- sleep 1000",
    "kubectl exec -it web -c app -- sh",
    "kubectl delete pod web",
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
/// line's effects; panics on anything the terminal must never do. With `limit` (fuzz-open's
/// bound, not the tests': a time is a bench's or a fuzzer's business), a line that takes
/// longer panics too.
pub fn drive(lines: &[String], rng: &mut Rng, limit: Option<std::time::Duration>) -> Verdict {
    let scenarios = Scenario::all().expect("the scenario files read");
    let scenario = scenarios
        .iter()
        .find(|s| s.id == "zombies")
        .expect("the zombie scenario");
    let mut player = Player::new();
    for index in 0..rng.below(scenario.steps.len() + 1) {
        player.play(scenario, index).expect("the scenario plays");
    }
    let open = if rng.below(2) == 0
        && player
            .node()
            .container(&ContainerRef::new("web", "app"))
            .is_some()
    {
        Action::Exec {
            container: ContainerRef::new("web", "app"),
            name: "you".into(),
            comm: "sh".into(),
        }
    } else {
        Action::Fork {
            process: Label::Host,
            name: "you".into(),
            comm: Some("bash".into()),
            new: Default::default(),
        }
    };
    if !matches!(player.perform_action(&open), Ok(None)) {
        return Verdict::Refused("the shell did not start".into());
    }
    let shell = player
        .pid(&Label::Named("you".into()))
        .expect("the shell's pid");
    let language = *rng.pick(&Language::ALL);
    let mut ran = 0;
    for line in lines {
        // Typed as the page and `pauselab demo --shell` type it: a scenario action, all or
        // nothing.
        let typed = Action::Type {
            process: Label::Named("you".into()),
            line: line.clone(),
            effects: None,
        };
        let before = player.node().world().clone();
        let prior = player.clone();
        let started = std::time::Instant::now();
        let result = player.perform_action(&typed);
        let took = started.elapsed();
        if let Some(limit) = limit {
            assert!(took < limit, "the line {line:?} took {took:?}");
        }
        let said = player.last.iter().find_map(|step| match step {
            NodeStep::Typed { said, .. } => Some(said.clone()),
            _ => None,
        });
        match (result, said) {
            (Ok(None), Some(Ok(_))) => {
                ran += 1;
                same_when_recorded(&prior, &player, line);
            }
            (Ok(None), Some(Err(refused))) => {
                assert!(!refused.say(language).is_empty());
                assert_eq!(
                    player.node().world(),
                    &before,
                    "a refused line changed the node: {line:?}"
                );
            }
            (Ok(None), None) => panic!("the line {line:?} left no log"),
            (Ok(Some(refusal)), _) => {
                assert!(!refusal.say(language).is_empty());
                assert_eq!(
                    player.node().world(),
                    &before,
                    "{line:?}: a refused effect stayed"
                );
            }
            (Err(unknown), _) => {
                assert!(!unknown.say(language).is_empty());
                assert_eq!(
                    player.node().world(),
                    &before,
                    "{line:?}: a refused effect stayed"
                );
            }
        }
        if !player
            .node()
            .world()
            .process(shell)
            .is_some_and(|p| p.state().is_alive())
        {
            break;
        }
    }
    if ran == 0 {
        Verdict::Refused("every line was refused".into())
    } else {
        Verdict::Opened(ran)
    }
}

/// The page's terminal (#19): the line recorded with its effects, through the bytes the page
/// takes (base64url of core::wire's), and played back as the page plays it, must end on the
/// node the line itself made.
fn same_when_recorded(prior: &Player, typed: &Player, line: &str) {
    let mut recording = prior.clone();
    let record = recording
        .type_recorded(&Label::Named("you".into()), line)
        .expect("the line ran once")
        .expect("and was not refused");
    let text = pauselab_core::wire::to_base64url(&pauselab_core::wire::encode_actions(&[record]));
    let bytes = pauselab_core::wire::from_base64url(&text).expect("base64url");
    let actions = pauselab_core::wire::decode_actions(&bytes).expect("the record reads back");
    let mut replayed = prior.clone();
    for action in &actions {
        assert_eq!(replayed.perform_action(action).ok(), Some(None), "{line:?}");
    }
    assert_eq!(
        replayed.node().world(),
        typed.node().world(),
        "{line:?}: its record replays elsewhere"
    );
}

/// A stable name for lines found to crash.
pub fn name_of(text: &str) -> String {
    format!("{:016x}.lines", super::fnv1a(text.as_bytes()))
}
