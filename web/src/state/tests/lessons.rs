//! Lessons: every scenario plays, the pod toggles and acts follow the K-rules, refusals change
//! nothing, links reopen the moment.

use super::*;

#[test]
fn every_scenario_and_the_playground_open() {
    let state = State::default();
    assert_eq!(
        state.catalog.len(),
        pauselab_core::scenario::Scenario::all().unwrap().len()
    );
    for id in state
        .catalog
        .iter()
        .map(|s| s.id.clone())
        .chain([PLAYGROUND.into()])
    {
        let opened = state
            .reduce_served(Action::Open(id.clone()))
            .reduce(Action::Seek(99));
        let lesson = opened.lesson().unwrap();
        assert_eq!(lesson.position(), lesson.len(), "{id}");
        let failed: Vec<_> = lesson
            .logs()
            .iter()
            .flat_map(|log| &log.checks)
            .filter(|check| check.result.is_err())
            .collect();
        assert!(failed.is_empty(), "{id}: {failed:?}");
    }
    assert!(state
        .reduce_served(Action::Open("nope".into()))
        .notice
        .is_some());
}

// K11, K13, K25: the zombie scenario, then the same with shareProcessNamespace on.
#[test]
fn k13_turning_on_share_process_namespace_makes_pause_reap_the_orphan() {
    let state = zombies().reduce(Action::Seek(3));
    assert_eq!(zombie_count(&state), 2);
    let challenge = state.lesson().unwrap().challenge().unwrap();
    assert!(
        challenge.iter().any(|c| c.result.is_err()),
        "open as written"
    );

    let mut toggles = state.lesson().unwrap().effective_toggles().unwrap();
    toggles.share_process_namespace = true;
    let shared = state.reduce(Action::SetToggles(Some(toggles)));
    let lesson = shared.lesson().unwrap();
    assert_eq!(lesson.position(), 3, "the same step, replayed");
    assert_eq!(
        zombie_count(&shared),
        1,
        "only the worker, whose parent never waits"
    );
    assert!(lesson.challenge().unwrap().iter().all(|c| c.result.is_ok()));
    let pause = lesson.player().pid(&"web/pause".into()).unwrap();
    assert!(shared
        .last_outcomes()
        .iter()
        .any(|o| matches!(o, Outcome::Reaped { by, .. } if *by == pause)));
    // The scenario's own check for the zombie job now fails, and says so.
    let checks = &lesson.logs()[2].checks;
    assert!(checks.iter().any(|c| c.result.is_err()), "{checks:?}");
}

// K25: both flags is the validation error, shown, not silently resolved.
#[test]
fn k25_share_process_namespace_with_host_pid_shows_the_validation_error() {
    let state = zombies().reduce(Action::Seek(1));
    let mut toggles = state.lesson().unwrap().effective_toggles().unwrap();
    toggles.share_process_namespace = true;
    toggles.host_pid = true;
    let both = state.reduce(Action::SetToggles(Some(toggles)));
    let log = &both.lesson().unwrap().logs()[0];
    let refused = log.refused.as_ref().unwrap();
    assert!(
        refused.to_string().contains("cannot both be enabled"),
        "{refused}"
    );
    assert!(both.node().unwrap().pods().is_empty());
}

// K22: dockershim with a private pause IPC namespace cannot start the containers.
#[test]
fn k22_a_private_pause_ipc_namespace_fails_under_dockershim() {
    let state = zombies().reduce(Action::Seek(1));
    let mut toggles = state.lesson().unwrap().effective_toggles().unwrap();
    toggles.flavor = pauselab_core::pod::Flavor::Dockershim;
    toggles.pause_ipc = pauselab_core::pod::IpcMode::Private;
    let private = state.reduce(Action::SetToggles(Some(toggles)));
    let refused = private.lesson().unwrap().logs()[0].refused.clone().unwrap();
    assert_eq!(refused.rule(), Some(pauselab_core::Rule::K22));
}

// K17: kill -9 1 from inside the container is dropped; from the node it kills.
#[test]
fn k17_kill_9_1_from_inside_is_dropped_and_from_the_node_kills() {
    let state = State::default()
        .reduce_served(Action::Open(PLAYGROUND.into()))
        .reduce(Action::Forward);
    let app = pid_of(&state, "web/app");
    let state = state.reduce(exec("web", "app"));
    assert_eq!(state.notice, None);
    let sh = pid_of(&state, "you-1");
    let state = state.reduce(kill(&state, sh, app, Signal::SIGKILL));
    assert!(state
        .last_outcomes()
        .iter()
        .any(|o| matches!(o, Outcome::SignalDropped { .. })));
    assert!(state.world().is_alive(app));
    // The act panel's first sender: the reader's shell on the node, not containerd.
    let state = state.reduce(Action::Act(Box::new(ScenarioAction::KillFromHost {
        process: Label::HostPid(app),
        signal: Signal::SIGKILL,
    })));
    assert_eq!(state.notice, None);
    assert!(!state.world().is_alive(app));
    let sender = state
        .last_outcomes()
        .iter()
        .find_map(|o| match o {
            Outcome::SignalDelivered { from, .. } => Some(*from),
            _ => None,
        })
        .expect("the SIGKILL is delivered");
    let shell = state.world().process(sender).unwrap();
    assert_eq!(shell.comm(), "bash");
    assert_eq!(shell.parent(), Pid(1), "a login shell on the node");
    assert_ne!(sender, state.node().unwrap().runtime());
    assert_eq!(state.position(), (4, 4));
}

#[test]
fn a_refused_act_is_explained_and_changes_nothing() {
    let state = State::default()
        .reduce_served(Action::Open(PLAYGROUND.into()))
        .reduce(Action::Forward);
    let before = format!("{:?}", state.world());
    let after = state.reduce(exit(Pid(1), 0));
    assert_eq!(format!("{:?}", after.world()), before);
    assert_eq!(after.position(), (1, 1));
    assert_eq!(
        after.notice,
        Some(Notice::Refused(pauselab_core::pod::PodError::Kernel(
            pauselab_core::ModelError::HostInitExit
        )))
    );
    let said = after.notice.as_ref().unwrap().say(Language::Korean);
    assert!(said.contains("패닉"), "{said}");
    // A pid the sender does not see names nothing (K9): the app sees only its own namespace.
    let app = pid_of(&state, "web/app");
    assert!(state.world().pid_seen_by(app, Pid(1)).is_err());
    let hidden = state.reduce(kill_number(app, 7, Signal::SIGTERM));
    let said = hidden.notice.as_ref().map(|n| n.say(Language::English));
    assert!(said.is_some_and(|n| n.ends_with("(K9)")));
    assert_eq!(hidden.position(), (1, 1));
}

#[test]
fn acting_in_the_middle_of_a_scenario_drops_its_later_steps() {
    let state = zombies().reduce(Action::Seek(2));
    let app = pid_of(&state, "web/app");
    let state = state.reduce(wait(app, true));
    let lesson = state.lesson().unwrap();
    assert_eq!(
        (lesson.kept(), lesson.extra().len(), lesson.position()),
        (2, 1, 3)
    );
    assert!(
        lesson.challenge().is_none(),
        "the scenario is no longer played as written"
    );
    assert_eq!(zombie_count(&state), 0, "the app reaped its worker");
}

#[test]
fn a_link_reopens_the_same_moment() {
    let state = zombies().reduce(Action::Seek(2));
    let app = pid_of(&state, "web/app");
    let mut toggles = state.lesson().unwrap().effective_toggles().unwrap();
    toggles.host_ipc = true;
    let state = state
        .reduce(Action::SetToggles(Some(toggles)))
        .reduce(fork(app, "cron", false))
        .reduce(Action::SetLanguage(Language::Korean));
    let fragment = state.link().to_fragment();
    let reopened = State::default().reduce_served(Action::Restore(Link::parse(&fragment)));
    assert_eq!(reopened.language, Language::Korean);
    assert_eq!(reopened.position(), state.position());
    assert_eq!(
        format!("{:?}", reopened.world()),
        format!("{:?}", state.world())
    );
    assert_eq!(reopened.link(), state.link());
}

#[test]
fn the_toggles_change_only_the_first_pod_and_toggling_back_is_as_written() {
    let probes = State::default()
        .reduce_served(Action::Open("exec-probes".into()))
        .reduce(Action::Seek(99));
    let lesson = probes.lesson().unwrap();
    let first = lesson.effective_toggles().unwrap();
    let second = |state: &State| {
        state
            .node()
            .unwrap()
            .pods()
            .iter()
            .map(|p| p.spec.share_process_namespace)
            .collect::<Vec<_>>()
    };
    let written = second(&probes);
    let mut flipped = first;
    flipped.host_ipc = !first.host_ipc;
    let changed = probes.reduce(Action::SetToggles(Some(flipped)));
    assert_eq!(
        second(&changed),
        written,
        "shareProcessNamespace of both pods as written"
    );
    assert!(changed.node().unwrap().pods()[0].spec.host_ipc != first.host_ipc);
    let back = changed.reduce(Action::SetToggles(Some(first)));
    assert_eq!(back.lesson().unwrap().toggles(), None);
    assert_eq!(back.link().toggles, None);
}

// K17, #19: a line typed at a shell is one of the reader's acts: in the log with what it
// printed, undone by going back, and carried by the link.
#[test]
fn k17_a_typed_line_is_an_act_the_log_and_the_link_carry() {
    let state = State::default()
        .reduce_served(Action::Open(PLAYGROUND.into()))
        .reduce(Action::Forward)
        .reduce(exec("web", "app"));
    let typed = |line: &str| {
        Action::Act(Box::new(ScenarioAction::Type {
            process: Label::Named("you-1".into()),
            line: line.into(),
            effects: None,
        }))
    };
    let state = state.reduce(typed("kill -9 1")).reduce(typed("echo $?"));
    assert!(state.notice.is_none(), "{:?}", state.notice);
    let log = &state.lesson().unwrap().logs().last().unwrap().node_steps;
    let lines = crate::explain::node_step_lines(Language::English, log);
    assert!(lines.iter().any(|l| l.text == "$ echo $?"), "{lines:?}");
    assert!(lines.iter().any(|l| l.text == "0"), "{lines:?}");
    let reopened =
        State::default().reduce_served(Action::Restore(Link::parse(&state.link().to_fragment())));
    assert_eq!(reopened.world(), state.world());
    assert_eq!(reopened.link(), state.link());
    let back = state.reduce(Action::Back);
    assert_eq!(back.position().0, state.position().0 - 1);
}
