//! The file loader against hostile files: every seed and every crash the fuzzer ever found
//! (`tests/fuzz/`) opens or is refused with a message, and survives the reader's actions, on
//! every run. The fuzzing itself is `fuzz-open`, which `scripts/test.sh` runs for a while.

use pauselab_tests::fuzz::{
    corpus, drive, live_messages, scenario_files, shell_lines, Rng, Verdict,
};

#[test]
fn every_seed_and_every_crash_found_opens_or_is_refused_without_a_panic() {
    let files = corpus();
    assert!(files.len() >= 10, "the seeds are there");
    let mut opened = 0;
    for (path, text) in &files {
        for seed in 0..4 {
            let verdict = std::panic::catch_unwind(|| drive(text, &mut Rng::new(seed)))
                .unwrap_or_else(|_| panic!("{} panicked (seed {seed})", path.display()));
            match verdict {
                Verdict::Opened(_) => opened += 1,
                Verdict::Refused(message) => assert!(!message.is_empty()),
            }
        }
    }
    assert!(opened > 0, "some seeds open");
}

/// The issue's own cases, by name: each is refused with the field and value, or opens and
/// survives what made it panic or hang before.
#[test]
fn the_known_hostile_files_are_refused_by_name_or_open_safely() {
    let files = corpus();
    let find = |name: &str| {
        files
            .iter()
            .find(|(path, _)| path.ends_with(name))
            .map(|(_, text)| text.as_str())
            .unwrap_or_else(|| panic!("seed {name} is missing"))
    };
    let refused = |name: &str| match drive(find(name), &mut Rng::new(0)) {
        Verdict::Refused(message) => message,
        Verdict::Opened(_) => panic!("{name} opened"),
    };
    assert!(refused("self-parent.json").contains("process 2 is its own ancestor"));
    assert!(refused("cycle.json").contains("is its own ancestor"));
    assert!(refused("huge-pid-max.json").contains("pid_max 4294967295"));
    for name in [
        "hidden-init.json",
        "high-pid.json",
        "last-ns-id.json",
        "deep-chain.json",
        "dying-init.json",
        "host.ps.json",
    ] {
        for seed in 0..16 {
            assert!(
                matches!(drive(find(name), &mut Rng::new(seed)), Verdict::Opened(_)),
                "{name} opens"
            );
        }
    }
}

/// The page's fetched scenario files against mutations: every real file plays to its end, and
/// a few hundred mutated ones (and every `.wire` crash found by `fuzz-open`) are refused or
/// play without a panic.
#[test]
fn mutated_scenario_files_are_refused_or_play_without_a_panic() {
    let files = scenario_files::corpus();
    for (id, bytes) in &files {
        assert!(
            matches!(
                scenario_files::drive(bytes, &mut Rng::new(0)),
                Verdict::Opened(_)
            ),
            "{id}'s own file plays"
        );
    }
    let mut inputs: Vec<(String, Vec<u8>)> = (0..400)
        .map(|n| (format!("input {n}"), scenario_files::input(&files, 7, n).0))
        .collect();
    if let Ok(entries) = std::fs::read_dir(pauselab_tests::fuzz::crash_dir()) {
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.extension().is_some_and(|x| x == "wire") {
                inputs.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    let (mut played, mut refused) = (0, 0);
    for (name, bytes) in &inputs {
        let verdict = std::panic::catch_unwind(|| scenario_files::drive(bytes, &mut Rng::new(1)))
            .unwrap_or_else(|_| panic!("{name} panicked"));
        match verdict {
            Verdict::Opened(_) => played += 1,
            Verdict::Refused(message) => {
                assert!(!message.is_empty());
                refused += 1;
            }
        }
    }
    // Both kinds are reached: mutations that still decode are played, not only refused.
    assert!(
        played > 0 && refused > 0,
        "{played} played, {refused} refused"
    );
}

/// The terminal against mutated lines: every seed line runs, a few hundred sets of mutated ones
/// (and every `.lines` crash found by `fuzz-open`) end in output or a refusal that changes
/// nothing, without a panic.
#[test]
fn mutated_terminal_lines_run_or_are_refused_without_a_panic() {
    let seeds: Vec<String> = shell_lines::SEEDS.iter().map(|s| s.to_string()).collect();
    assert!(matches!(
        shell_lines::drive(&seeds, &mut Rng::new(3), None),
        Verdict::Opened(_)
    ));
    let mut inputs: Vec<(String, Vec<String>)> = (0..300)
        .map(|n| (format!("input {n}"), shell_lines::input(11, n).0))
        .collect();
    if let Ok(entries) = std::fs::read_dir(pauselab_tests::fuzz::crash_dir()) {
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.extension().is_some_and(|x| x == "lines") {
                let text = std::fs::read_to_string(&path).unwrap();
                inputs.push((
                    path.display().to_string(),
                    text.lines().map(str::to_owned).collect(),
                ));
            }
        }
    }
    for (name, lines) in &inputs {
        std::panic::catch_unwind(|| shell_lines::drive(lines, &mut Rng::new(5), None))
            .unwrap_or_else(|_| panic!("{name} panicked: {lines:?}"));
    }
}

/// The live view's stream: real messages decode and follow; mutated ones decode or are
/// refused, and none panics (the fuzzer runs many more).
#[test]
fn live_messages_decode_or_are_refused_without_a_panic() {
    let corpus = live_messages::corpus();
    assert!(corpus.len() >= 5);
    for message in &corpus {
        assert!(matches!(
            live_messages::drive(message, &mut Rng::new(1)),
            Verdict::Opened(_)
        ));
    }
    let mut refused = 0;
    for n in 0..2_000 {
        let (bytes, mut rng) = live_messages::input(&corpus, 7, n);
        if let Verdict::Refused(_) = live_messages::drive(&bytes, &mut rng) {
            refused += 1;
        }
    }
    assert!(refused > 0, "some mutations are refused");
}
