//! Files from real machines: opened through the file reader, refused with the view kept.

use super::*;

#[test]
fn a_broken_file_keeps_the_current_scenario_on_screen() {
    let state = zombies().reduce(Action::Seek(2));
    let after = state.reduce(load(
        "broken.json".into(),
        "{\"format\": \"pauselab-trace\", \"version\": 1".into(),
    ));
    assert_eq!(after.world(), state.world());
    assert_eq!(after.position(), (2, 3));
    let said = after.notice.as_ref().map(|n| n.say(Language::English));
    assert!(
        said.as_deref()
            .is_some_and(|e| e.starts_with("broken.json: not JSON")),
        "{said:?}"
    );
}

#[test]
fn a_missing_or_foreign_file_reader_keeps_the_view_and_says_what_to_do() {
    let state = zombies().reduce(Action::Seek(2));
    let missing = state.reduce(Action::Load("t.json".into(), Loaded::ReaderMissing));
    // Bytes from a reader of another version: the layout's version byte differs.
    let mut foreign = match pauselab_web_loader::read(&trace_text()) {
        Ok(bytes) => bytes,
        Err(why) => panic!("{}", why.english),
    };
    foreign[3] ^= 0x7f;
    let old = state.reduce(Action::Load("t.json".into(), Loaded::Wire(foreign.into())));
    for (after, english, korean) in [
        (&missing, "could not be fetched", "받아 오지 못했습니다"),
        (&old, "reload the page", "새로 고치세요"),
    ] {
        assert_eq!((after.world(), after.position()), (state.world(), (2, 3)));
        let said = |language| after.notice.as_ref().map(|n| n.say(language));
        assert!(said(Language::English)
            .is_some_and(|e| e.starts_with("t.json: ") && e.contains(english)));
        assert!(said(Language::Korean).is_some_and(|k| k.contains(korean)));
    }
}

#[test]
fn an_unreadable_file_only_says_so() {
    let state = zombies().reduce(Action::Seek(2));
    let after = state.reduce(Action::Unreadable("huge.json".into(), Unreadable::TooBig));
    let said = after.notice.as_ref().map(|n| n.say(Language::Korean));
    assert_eq!(
        said.as_deref(),
        Some("huge.json: 64MB보다 큽니다. pauselab이 쓴 파일이 아닙니다")
    );
    assert_eq!(
        (after.position(), after.world()),
        (state.position(), state.world())
    );
}

#[test]
fn a_trace_loads_at_its_start_steps_forward_and_takes_kernel_acts() {
    let state = State::default().reduce(load("t.json".into(), trace_text()));
    assert_eq!(
        (state.position(), state.world().len(), &state.notice),
        ((0, 1), 1, &None)
    );
    let state = state.reduce(Action::Forward);
    assert_eq!(state.world().len(), 2);
    let state = state.reduce(fork(Pid(2), "job", true));
    assert_eq!(state.notice, None);
    let job = state.world().process(Pid(3)).unwrap();
    assert_eq!((job.comm(), job.nspid()), ("job", &[3, 1][..]));
    assert_eq!(state.position(), (3, 3), "fork and exec");
    let pods = state.reduce(kill_pause("web"));
    assert!(pods.notice.is_some());
    assert_eq!(pods.position(), (3, 3));
}

#[test]
fn playing_stops_at_the_end_and_replays_from_the_start() {
    let state = zombies().reduce(Action::Play(true));
    assert!(state.playing);
    let state = state.reduce(Action::Forward).reduce(Action::Forward);
    assert!(state.playing);
    let state = state.reduce(Action::Forward);
    assert!(!state.playing, "stopped at the last step");
    let again = state.reduce(Action::Play(true));
    assert_eq!((again.position().0, again.playing), (0, true));
}

#[test]
fn going_back_forgets_a_selection_that_no_longer_exists() {
    let state = zombies().reduce(Action::Seek(2));
    let job = pid_of(&state, "job");
    let state = state.reduce(Action::Select(Some(job))).reduce(Action::Back);
    assert_eq!(state.selected, None);
    assert!(matches!(
        state
            .world()
            .process(pid_of(&state, "web/app"))
            .map(|p| p.state()),
        Some(ProcState::Running)
    ));
}

#[test]
fn files_recorded_on_a_real_machine_open() {
    for (name, text) in [
        (
            "orphan.trace.json",
            include_str!("../../../../tests/e2e/fixtures/orphan.trace.json"),
        ),
        (
            "host.ps.json",
            include_str!("../../../../tests/e2e/fixtures/host.ps.json"),
        ),
    ] {
        let state = State::default().reduce(load(name.into(), text.into()));
        assert_eq!(state.notice, None, "{name}");
        assert!(matches!(state.source, Source::File { .. }), "{name}");
        let end = state.reduce(Action::Seek(usize::MAX));
        assert_eq!(end.position().0, end.position().1);
    }
}
