use super::*;
use crate::scenario::{Expect, Scenario};

/// Each scenario's hints, step by step, on the node as the steps before leave it.
fn every_steps_hints() -> Vec<(String, usize, Player, Vec<Hint>)> {
    let mut all = Vec::new();
    for scenario in Scenario::all().unwrap() {
        let mut player = Player::new();
        for (index, step) in scenario.steps.iter().enumerate() {
            all.push((
                scenario.id.clone(),
                index,
                player.clone(),
                hints(&player, &step.actions),
            ));
            player.perform(step).unwrap();
        }
    }
    all
}

fn lines(hints: &[Hint]) -> Vec<&str> {
    hints
        .iter()
        .filter_map(|hint| match hint {
            Hint::Type(lines) => Some(lines.iter().map(String::as_str)),
            Hint::Itself(_) => None,
        })
        .flatten()
        .collect()
}

#[test]
fn typing_a_steps_hints_leaves_what_the_scenario_says_it_leaves() {
    let scenarios = Scenario::all().unwrap();
    for (id, index, before, hints) in every_steps_hints() {
        let step = &scenarios.iter().find(|s| s.id == id).unwrap().steps[index];
        // The reader's way: each line typed where the terminal is by then, and what nobody
        // types played as written.
        let mut typed = before.clone();
        for hint in &hints {
            match hint {
                Hint::Type(lines) => {
                    for line in lines {
                        let at = typed.typing_label();
                        let record = typed.type_recorded(&at, line);
                        assert!(matches!(record, Ok(Some(_))), "{id} {index}: {line}");
                    }
                }
                Hint::Itself(action) => {
                    let _ = typed.perform_action(action);
                }
            }
        }
        // The scenario's own checks, written for the step as played, hold on the node the
        // lines leave (a refusal's check is about the step's own refusal: the typed line's
        // is its printed error).
        for expect in &step.expect {
            if matches!(expect, Expect::Refused(_)) {
                continue;
            }
            assert_eq!(
                typed.holds(expect),
                Ok(()),
                "{id} step {index} typed as {:?}",
                lines(&hints)
            );
        }
    }
}

#[test]
fn the_posts_commands_and_the_lessons_kills_are_offered() {
    let all = every_steps_hints();
    let of = |id: &str, index: usize| {
        let (_, _, _, hints) = all
            .iter()
            .find(|(i, n, ..)| i == id && *n == index)
            .unwrap();
        lines(hints).join("\n")
    };
    assert_eq!(
        of("docker-by-hand", 1),
        "docker run -d --name sandbox --net=none --ipc=shareable --hostname mypod registry.k8s.io/pause:3.9\n\
         docker run -d --name nginx --net=container:sandbox --ipc=container:sandbox nginx"
    );
    // Refused as the step is: docker's own error is what the reader sees.
    assert_eq!(
        of("docker-by-hand", 2),
        "docker run -dit --name app2 --net=container:sandbox --hostname other busybox"
    );
    assert_eq!(
        of("kill-9-1", 0),
        "kubectl exec -it web -c app -- sh\nkill -9 1"
    );
    let pid = {
        let (_, _, before, _) = all
            .iter()
            .find(|(i, n, ..)| i == "kill-9-1" && *n == 1)
            .unwrap();
        before.pid(&Label::from("web/app")).unwrap()
    };
    assert_eq!(of("kill-9-1", 1), format!("kill -9 {pid}"));
    assert_eq!(
        of("pause", 0),
        r#"kubectl run web --image=nginx --overrides='{"apiVersion":"v1","spec":{"containers":[{"name":"app","image":"nginx"}]}}'"#
    );
}

#[test]
fn what_a_program_does_is_not_offered_as_a_line() {
    let all = every_steps_hints();
    let (_, _, _, zombies) = all
        .iter()
        .find(|(i, n, ..)| i == "zombies" && *n == 1)
        .unwrap();
    assert!(zombies.iter().all(|hint| matches!(hint, Hint::Itself(_))));
    // A made-up program has no image to run it: its pod is not offered as `kubectl run`.
    let (_, _, _, app) = all
        .iter()
        .find(|(i, n, ..)| i == "zombies" && *n == 0)
        .unwrap();
    assert!(
        matches!(app.as_slice(), [Hint::Itself(action)] if matches!(**action, Action::CreatePod { .. }))
    );
}

#[test]
fn a_hint_for_the_node_leaves_the_containers_shells_first() {
    let mut player = Player::new();
    for line in [
        "kubectl run web --image=nginx",
        "kubectl exec -it web -- sh",
    ] {
        let at = player.typing_label();
        player.type_recorded(&at, line).unwrap();
    }
    let nginx = player.pid(&Label::from("web/web")).unwrap();
    let hints = hints(
        &player,
        &[Action::KillFromHost {
            process: Label::from("web/web"),
            signal: Signal::SIGKILL,
        }],
    );
    assert_eq!(
        hints,
        [Hint::Type(vec!["exit".into(), format!("kill -9 {nginx}")])]
    );
}
