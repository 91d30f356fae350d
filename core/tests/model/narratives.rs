//! K30 and the tutorial's worst bug: a step's text must name what its actions and its log do.
//! Each kind of thing that happens in a step implies words its text must use, in each language;
//! and a text that says a program crashed needs a crash (an exit with a failing code, or a
//! fault) in the log, not a stop.

use pauselab_core::pod::{NodeStep, NoteKind};
use pauselab_core::scenario::{Action, Player, Scenario};
use pauselab_core::Event;

/// What happened in a step that its text must say, and the words (any one of each list) that say it.
struct Implies {
    what: &'static str,
    en: &'static [&'static str],
    ko: &'static [&'static str],
}

const STOP: Implies = Implies {
    what: "a container is stopped",
    en: &["stop"],
    ko: &["멈", "중지"],
};
const PROBE: Implies = Implies {
    what: "an exec probe runs",
    en: &["probe"],
    ko: &["프로브"],
};
const EXEC: Implies = Implies {
    what: "kubectl exec runs",
    en: &["exec"],
    ko: &["exec"],
};
const DEBUG: Implies = Implies {
    what: "kubectl debug runs",
    en: &["kubectl debug"],
    ko: &["kubectl debug"],
};
const GRACE: Implies = Implies {
    what: "the grace period ends in SIGKILL",
    en: &["SIGKILL"],
    ko: &["SIGKILL"],
};
const SANDBOX: Implies = Implies {
    what: "the sandbox is re-created",
    en: &["sandbox"],
    ko: &["샌드박스"],
};
const RESTART: Implies = Implies {
    what: "kubelet restarts a container",
    en: &["restart", "again"],
    ko: &["재시작", "다시 시작"],
};

fn implied(actions: &[Action], log: &[NodeStep]) -> Vec<&'static Implies> {
    let mut implied = Vec::new();
    for action in actions {
        match action {
            Action::StopContainer { .. } => implied.push(&STOP),
            Action::ExecProbe { .. } => implied.push(&PROBE),
            Action::Exec { .. } => implied.push(&EXEC),
            Action::Debug { .. } => implied.push(&DEBUG),
            Action::RestartContainer { .. } => implied.push(&RESTART),
            _ => {}
        }
    }
    for step in log {
        if let NodeStep::Runtime { note } = step {
            match note.kind() {
                NoteKind::GracePeriodOver => implied.push(&GRACE),
                NoteKind::SandboxChanged | NoteKind::NewSandbox => implied.push(&SANDBOX),
                NoteKind::KillAll => {}
            }
        }
    }
    implied
}

/// A crash: a process that exits with a failing code of its own, or faults.
fn crashes(log: &[NodeStep]) -> bool {
    log.iter().any(|step| {
        matches!(step, NodeStep::Kernel { event: Event::Exit { code, .. }, .. } if *code != 0)
            || matches!(
                step,
                NodeStep::Kernel {
                    event: Event::Fault { .. },
                    ..
                }
            )
    })
}

#[test]
fn k30_every_steps_text_names_what_its_actions_and_log_do() {
    let mut wrong = Vec::new();
    for scenario in Scenario::all().unwrap_or_else(|e| panic!("{e}")) {
        let mut player = Player::new();
        for (index, step) in scenario.steps.iter().enumerate() {
            player
                .perform(step)
                .unwrap_or_else(|e| panic!("{}: {e:?}", scenario.id));
            let place = format!("{}, step {}", scenario.id, index + 1);
            let (en, ko) = (step.say.en.to_lowercase(), &step.say.ko);
            for implies in implied(&step.actions, &player.last) {
                if !implies.en.iter().any(|w| en.contains(&w.to_lowercase())) {
                    wrong.push(format!(
                        "{place}: {} but the English never says {:?}",
                        implies.what, implies.en
                    ));
                }
                if !implies.ko.iter().any(|w| ko.contains(w)) {
                    wrong.push(format!(
                        "{place}: {} but the Korean never says {:?}",
                        implies.what, implies.ko
                    ));
                }
            }
            let says_crash = en.contains("crash") || ko.contains("비정상 종료");
            if says_crash && !crashes(&player.last) {
                wrong.push(format!(
                    "{place}: the text says a crash, the log has none (a stop is not a crash)"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
