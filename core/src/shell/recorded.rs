//! #19: the page's terminal records each line with what it did (`Action::Type`'s effects), and
//! the page, built without the shell's commands, plays the record. The record must replay to
//! the same node, and the shell a replay rebuilds must remember what the real one does.

use crate::pod::NodeStep;
use crate::scenario::{Action, Label, Player, ScenarioStep};
use crate::wire;

/// The post's commands, and lines that fork, signal, fail and enter a container's shell.
const LINES: [&str; 9] = [
    "docker run -d --name pause --ipc=shareable registry.k8s.io/pause:3.9",
    "docker run -d --name nginx --net=container:pause --ipc=container:pause nginx",
    "sleep 1000 &",
    "kill -9 1",
    "frobnicate",
    "docker exec -it nginx sh",
    "kill -9 1",
    "ps -ef",
    "exit",
];

/// Types each line at the login shell, or at the shell a line entered, as the terminal does.
fn record(player: &mut Player) -> Vec<Action> {
    let mut recorded = Vec::new();
    for line in LINES {
        let at = player.typing_label();
        let action = player
            .type_recorded(&at, line)
            .expect("the node takes it")
            .expect("the terminal runs it");
        recorded.push(action);
    }
    recorded
}

fn printed(player: &Player) -> String {
    player
        .last
        .iter()
        .find_map(|step| match step {
            NodeStep::Typed {
                said: Ok((out, _)), ..
            } => Some(out.clone()),
            _ => None,
        })
        .expect("the line printed")
}

#[test]
fn a_recorded_line_replays_to_the_same_node_and_the_same_shell() {
    let mut typed = Player::new();
    let recorded = record(&mut typed);
    assert!(recorded.iter().all(|action| matches!(
        action,
        Action::Type {
            effects: Some(_),
            ..
        }
    )));
    // Through the bytes the page hands its terminal, each line a step of its own.
    let bytes = wire::encode_steps(recorded.iter().map(std::slice::from_ref));
    let steps = wire::decode_steps(&bytes).expect("read back");
    let mut replayed = Player::new();
    for actions in steps {
        let step = ScenarioStep {
            say: crate::scenario::Text {
                en: String::new(),
                ko: String::new(),
            },
            actions,
            expect: Vec::new(),
        };
        replayed.perform(&step).expect("labels");
        assert_eq!(replayed.refused, None);
    }
    assert_eq!(replayed.node().world(), typed.node().world());
    // The replayed shell remembers `frobnicate`'s 127 only if the lines after it ran as well;
    // it is back on the node after `exit`, where $? is exit's 0.
    for player in [&mut typed, &mut replayed] {
        player.type_recorded(&Label::Login, "echo $?").unwrap();
        assert_eq!(printed(player), "0\n");
        player.type_recorded(&Label::Login, "docker ps -q").unwrap();
    }
    assert_eq!(printed(&typed), printed(&replayed));
    assert_eq!(printed(&typed).lines().count(), 2, "{}", printed(&typed));
}

#[test]
fn a_refused_line_is_not_recorded_and_changes_nothing() {
    let mut player = Player::new();
    player.type_recorded(&Label::Login, "hostname").unwrap();
    let before = player.node().world().clone();
    assert_eq!(player.type_recorded(&Label::Login, "ps | wc -l"), Ok(None));
    assert_eq!(player.node().world(), &before);
    assert!(player
        .last
        .iter()
        .any(|step| matches!(step, NodeStep::Typed { said: Err(_), .. })));
}

// A record is what happens, whatever the line: both builds play the same effects (a link
// edited by hand cannot make the page and its terminal disagree).
#[test]
fn the_effects_recorded_are_what_is_played() {
    let mut player = Player::new();
    let action = Action::Type {
        process: Label::Login,
        line: "hostname".into(),
        effects: Some(vec![Action::DockerRun {
            run: serde_json::from_value(serde_json::json!({
                "name": "p",
                "program": crate::pod::Program::named("pause"),
            }))
            .expect("a docker run"),
        }]),
    };
    assert_eq!(player.perform_action(&action).unwrap(), None);
    assert!(player.pid(&Label::Named("p".into())).is_some());
    assert_eq!(printed(&player), "node-1\n");
}

/// A record whose effects the node refuses halfway (a link can carry any) leaves the node as it
/// was: the line's actions are played on one copy, which is dropped, in either build.
#[test]
fn a_record_refused_halfway_leaves_the_node_as_it_was() {
    let mut player = Player::new();
    player
        .type_recorded(&Label::Login, "sleep 1000 &")
        .expect("the node takes it");
    let login = player.node().login().expect("started by the first line");
    let before = player.node().world().clone();
    let halfway = Action::Type {
        process: Label::HostPid(login),
        line: "sleep 1000 &".into(),
        effects: Some(vec![
            Action::Fork {
                process: Label::HostPid(login),
                name: "job".into(),
                comm: Some("sleep".into()),
                new: crate::NsKinds::EMPTY,
            },
            Action::Sigaction {
                process: Label::Named("job".into()),
                signal: crate::Signal::SIGTERM,
                action: crate::process::Disposition::Default,
            },
            // No such process: refused after the fork and the sigaction were played.
            Action::Exit {
                process: Label::HostPid(crate::Pid(9_999)),
                code: 0,
            },
        ]),
    };
    assert!(
        !matches!(player.perform_action(&halfway), Ok(None)),
        "refused"
    );
    assert_eq!(player.node().world(), &before);
    assert_eq!(player.pid(&Label::Named("job".into())), None);
}
