//! Scenarios fetched when opened: the page carries the first and the list of all; the others
//! come as files, and whatever comes (or does not) leaves the page as it was or opens the one
//! the reader chose last.

use super::*;

/// A listed scenario that the page has not read yet.
const FETCHED: &str = "tini";

#[test]
fn the_page_carries_the_first_scenario_and_fetches_the_others() {
    let state = State::default();
    let first = state.catalog[0].id.clone();
    assert_eq!(state.lesson().unwrap().written.id, first);
    assert!(state.reduce(Action::Open(first)).wanted.is_none());

    let asked = state.reduce(Action::Open(FETCHED.into()));
    assert_eq!(asked.wanted, Some(Wanted::Open(FETCHED.into())));
    // Until its file comes, the scenario on screen stays, and the picker shows the choice.
    assert_eq!(asked.world(), state.world());
    assert_eq!(asked.chosen(), FETCHED);
    assert!(asked.notice.is_none());

    let opened = asked.reduce(Action::Fetched(FETCHED.into(), scenario_file(FETCHED)));
    assert!(opened.wanted.is_none());
    assert_eq!(opened.lesson().unwrap().written.id, FETCHED);
    assert_eq!(opened.position(), (0, opened.position().1));
    // Read once: opening it again needs no fetch.
    let again = opened
        .reduce(Action::Open(PLAYGROUND.into()))
        .reduce(Action::Open(FETCHED.into()));
    assert!(again.wanted.is_none());
    assert_eq!(again.lesson().unwrap().written.id, FETCHED);
}

#[test]
fn a_scenario_that_does_not_come_or_does_not_read_leaves_the_page_and_says_so() {
    let state = State::default().reduce(Action::Seek(1));
    let asked = state.reduce(Action::Open(FETCHED.into()));
    let another = wire::encode_scenarios(&Scenario::all().unwrap()[2..3]);
    let two = wire::encode_scenarios(&Scenario::all().unwrap()[..2]);
    let Fetched::Wire(good) = scenario_file(FETCHED) else {
        panic!("{FETCHED} is listed");
    };
    let cases: Vec<(Fetched, bool)> = vec![
        (Fetched::Missing, false),
        (Fetched::Wire(Rc::from(&b"<!doctype html>"[..])), true),
        (Fetched::Wire(good[..good.len() - 3].into()), true),
        (Fetched::Wire(another.into()), true),
        (Fetched::Wire(two.into()), true),
    ];
    for (index, (fetched, old)) in cases.into_iter().enumerate() {
        let after = asked.reduce(Action::Fetched(FETCHED.into(), fetched));
        assert_eq!(after.world(), state.world(), "case {index}");
        assert_eq!(after.position(), state.position(), "case {index}");
        assert_eq!(after.chosen(), state.chosen(), "case {index}");
        assert_eq!(
            after.notice,
            Some(Notice::ScenarioUnread {
                id: FETCHED.into(),
                old
            }),
            "case {index}"
        );
        for language in Language::ALL {
            let said = after.notice.as_ref().unwrap().say(language);
            assert!(said.starts_with("tini: "), "{said}");
        }
        // Choosing it again fetches it again.
        let retried = after.reduce(Action::Open(FETCHED.into()));
        assert_eq!(retried.wanted, Some(Wanted::Open(FETCHED.into())));
    }
}

#[test]
fn only_the_last_choice_opens_when_files_come_late() {
    let state = State::default();
    let asked = state
        .reduce(Action::Open(FETCHED.into()))
        .reduce(Action::Open("nspid".into()));
    // The first choice's file comes after the reader chose another: nothing changes.
    let late = asked.reduce(Action::Fetched(FETCHED.into(), scenario_file(FETCHED)));
    assert_eq!(late.wanted, Some(Wanted::Open("nspid".into())));
    assert_eq!(late.world(), state.world());
    let opened = late.reduce(Action::Fetched("nspid".into(), scenario_file("nspid")));
    assert_eq!(opened.lesson().unwrap().written.id, "nspid");
    // A choice of something read already, or a file, cancels what was wanted.
    for cancel in [
        Action::Open(PLAYGROUND.into()),
        load("t.json".into(), trace_text()),
    ] {
        let cancelled = asked.reduce(cancel);
        assert!(cancelled.wanted.is_none());
        let late = cancelled.reduce(Action::Fetched("nspid".into(), scenario_file("nspid")));
        assert_eq!(late.world(), cancelled.world());
        assert_eq!(late.chosen(), cancelled.chosen());
    }
    // A file nobody asked for changes nothing.
    let unasked = state.reduce(Action::Fetched("nspid".into(), scenario_file("nspid")));
    assert_eq!(unasked.world(), state.world());
    assert!(unasked.notice.is_none());
}

#[test]
fn a_link_into_a_scenario_not_read_yet_reopens_its_moment_once_it_comes() {
    let tini = State::default()
        .reduce_served(Action::Open(FETCHED.into()))
        .reduce(Action::Seek(1))
        .reduce(Action::SetLanguage(Language::Korean));
    let link = tini.link();
    let start = State::new(Language::English);
    let asked = start.reduce(Action::Restore(link.clone()));
    // The language is the link's at once; the moment waits for the file.
    assert_eq!(asked.language, Language::Korean);
    assert_eq!(asked.wanted, Some(Wanted::Restore(link.clone())));
    // Until it comes, the page's address is still the link: a failed fetch does not lose it.
    assert_eq!(asked.link(), link);
    let failed = asked.reduce(Action::Fetched(FETCHED.into(), Fetched::Missing));
    assert!(failed.notice.is_some());
    let restored = asked.reduce(Action::Fetched(FETCHED.into(), scenario_file(FETCHED)));
    assert_eq!(restored.link(), link);
    assert_eq!(restored.world(), tini.world());
    // A link to a scenario that is not listed asks for nothing.
    let nowhere = Link {
        scenario: Some("no-such".into()),
        ..link
    };
    assert!(start.reduce(Action::Restore(nowhere)).wanted.is_none());
}
