//! Every guided scenario, checked step by step: a failing expectation names the scenario and
//! the step.

use pauselab_core::pod::{ContainerRef, NodeStep};
use pauselab_core::scenario::{Action, Expect, Label, Player, Scenario};
use pauselab_core::{Outcome, Signal};

#[test]
fn every_scenario_file_loads_with_a_unique_id() {
    let scenarios = Scenario::all().unwrap_or_else(|e| panic!("{e}"));
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let files = std::fs::read_dir(dir)
        .unwrap()
        .filter(|entry| {
            entry
                .as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json"))
        })
        .count();
    assert!(files > 0);
    assert_eq!(
        scenarios.len(),
        files,
        "every file under scenarios/ is embedded"
    );
    let ids: std::collections::BTreeSet<_> = scenarios.iter().map(|s| s.id.clone()).collect();
    assert_eq!(ids.len(), scenarios.len(), "ids are unique");
}

#[test]
fn every_scenario_step_meets_its_expectations() {
    let mut failures = Vec::new();
    for scenario in Scenario::all().unwrap_or_else(|e| panic!("{e}")) {
        if let Err(error) = scenario.check() {
            failures.push(error.to_string());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A challenge must be open when the scenario is played as written, or there is nothing to do.
#[test]
fn every_challenge_is_open_after_the_scenario_as_written() {
    for scenario in Scenario::all().unwrap() {
        let Some(challenge) = &scenario.challenge else {
            continue;
        };
        let player = scenario.check().unwrap();
        let open = challenge.expect.iter().any(|e| player.holds(e).is_err());
        assert!(open, "{}: the challenge already holds", scenario.id);
    }
}

// K13, K25: the zombie scenario's challenge is met by its hint, shareProcessNamespace.
#[test]
fn k13_shared_pid_namespace_makes_pause_reap_the_zombies_orphan() {
    let zombies = Scenario::all()
        .unwrap()
        .into_iter()
        .find(|s| s.id == "zombies")
        .unwrap();
    let shared = zombies.map_pods(|pod| pod.share_process_namespace = true);
    assert!(shared.first_pod().unwrap().share_process_namespace);
    let mut player = Player::new();
    for step in &shared.steps {
        player.perform(step).unwrap();
    }
    for expect in &zombies.challenge.as_ref().unwrap().expect {
        player.holds(expect).unwrap();
    }
    let pause = player.pid(&"web/pause".into()).unwrap();
    let reaped_by_pause = player.last.iter().any(|step| {
        matches!(step, NodeStep::Kernel { outcomes, .. }
            if outcomes.iter().any(|o| matches!(o, Outcome::Reaped { by, .. } if *by == pause)))
    });
    assert!(reaped_by_pause, "{:?}", player.last);
    // The worker's parent is the app, alive and not waiting: it stays a zombie.
    player
        .holds(&Expect::Dead {
            process: "worker".into(),
        })
        .unwrap();
}

/// Every challenge's hint solves it. Two kinds of hint: shareProcessNamespace on the scenario's
/// first pod (the pod the browser's toggles change), or acts after the last step — restart the
/// first pod's container, then SIGKILL it from the node.
#[test]
fn every_challenge_is_solved_by_its_hint() {
    let mut solved = Vec::new();
    for scenario in Scenario::all().unwrap() {
        let Some(challenge) = &scenario.challenge else {
            continue;
        };
        let first = scenario.first_pod().unwrap().clone();
        let mut player = Player::new();
        if challenge.hint.en.contains("shareProcessNamespace") {
            let changed = scenario.map_pods(|pod| {
                if pod.name == first.name {
                    pod.share_process_namespace = true;
                }
            });
            for step in &changed.steps {
                player.perform(step).unwrap();
            }
        } else {
            assert!(
                challenge.hint.en.contains("SIGKILL") && challenge.hint.en.contains("Restart"),
                "{}: a new kind of hint needs its solution here",
                scenario.id
            );
            for step in &scenario.steps {
                player.perform(step).unwrap();
            }
            let container = ContainerRef::new(&first.name, &first.containers[0].name);
            for action in [
                Action::RestartContainer {
                    container: container.clone(),
                },
                Action::KillFromHost {
                    process: Label::Container(container),
                    signal: Signal::SIGKILL,
                },
            ] {
                assert_eq!(
                    player.perform_action(&action).unwrap(),
                    None,
                    "{}",
                    scenario.id
                );
            }
        }
        for expect in &challenge.expect {
            player
                .holds(expect)
                .unwrap_or_else(|e| panic!("{}: {e}", scenario.id));
        }
        solved.push(scenario.id.clone());
    }
    assert_eq!(
        solved,
        [
            "zombies",
            "container-init-exits",
            "shell-form",
            "stop-signal",
            "debug-target"
        ]
        .map(String::from)
    );
}
