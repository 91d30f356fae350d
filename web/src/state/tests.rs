use pauselab_core::pod::ContainerRef;
use pauselab_core::scenario::Label;
use pauselab_core::text::{Language, Say};
use pauselab_core::{Document, Event, NsKinds, ProcState, Signal};

use super::*;

/// The page's acts, built as its act panel and pod view build them: scenario actions naming
/// processes by host pid.
fn fork(pid: Pid, comm: &str, new_pid_ns: bool) -> Action {
    Action::Act(Box::new(ScenarioAction::Fork {
        process: Label::HostPid(pid),
        name: String::new(),
        comm: Some(comm.to_owned()).filter(|comm| !comm.is_empty()),
        new: if new_pid_ns {
            NsKinds::of(&[pauselab_core::NsKind::Pid])
        } else {
            NsKinds::EMPTY
        },
    }))
}

fn exit(pid: Pid, code: u8) -> Action {
    Action::Act(Box::new(ScenarioAction::Exit {
        process: Label::HostPid(pid),
        code,
    }))
}

/// `kill(target, signal)` from `from`, the target named by the pid `from` sees it as (K7).
fn kill(state: &State, from: Pid, target: Pid, signal: Signal) -> Action {
    let seen = state.world().pid_seen_by(from, target).unwrap();
    kill_number(from, seen.0, signal)
}

/// `kill(number, signal)` from `from`: a number the sender may not see (a hand-edited link).
fn kill_number(from: Pid, number: u32, signal: Signal) -> Action {
    Action::Act(Box::new(ScenarioAction::Kill {
        from: Label::HostPid(from),
        target: number,
        signal,
    }))
}

fn wait(pid: Pid, nohang: bool) -> Action {
    Action::Act(Box::new(ScenarioAction::Wait {
        process: Label::HostPid(pid),
        nohang,
    }))
}

fn exec(pod: &str, container: &str) -> Action {
    Action::Act(Box::new(ScenarioAction::Exec {
        container: ContainerRef::new(pod, container),
        name: String::new(),
        comm: "sh".into(),
    }))
}

fn kill_pause(pod: &str) -> Action {
    Action::Act(Box::new(ScenarioAction::KillPause { pod: pod.into() }))
}

fn zombies() -> State {
    State::default().reduce(Action::Open("zombies".into()))
}

/// The host pid of the process a label names in the lesson on screen.
fn pid_of(state: &State, label: &str) -> Pid {
    let lesson = state.lesson().expect("a lesson on screen");
    lesson
        .player()
        .pid(&label.into())
        .unwrap_or_else(|| panic!("no process {label}"))
}

fn zombie_count(state: &State) -> usize {
    state.world().zombies().len()
}

fn trace_text() -> String {
    let mut recorded = Timeline::new(World::new());
    recorded
        .apply(Event::Fork {
            pid: Pid(1),
            new: NsKinds::EMPTY,
        })
        .unwrap();
    Document::Trace(recorded.to_trace(None)).to_json()
}

/// A file opened as the page opens it: read by the file reader, handed over as bytes.
fn load(name: String, text: String) -> Action {
    let loaded = match pauselab_web_loader::read(&text) {
        Ok(bytes) => Loaded::Wire(bytes.into()),
        Err(why) => Loaded::Refused(Text {
            en: why.english,
            ko: why.korean,
        }),
    };
    Action::Load(name, loaded)
}

#[test]
fn every_scenario_and_the_playground_open() {
    let state = State::default();
    assert_eq!(
        state.scenarios.len(),
        pauselab_core::scenario::Scenario::all().unwrap().len()
    );
    for id in state
        .scenarios
        .iter()
        .map(|s| s.id.clone())
        .chain([PLAYGROUND.into()])
    {
        let opened = state
            .reduce(Action::Open(id.clone()))
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
    assert!(state.reduce(Action::Open("nope".into())).notice.is_some());
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
        .reduce(Action::Open(PLAYGROUND.into()))
        .reduce(Action::Forward);
    let node = state.node().unwrap();
    let app = pid_of(&state, "web/app");
    let runtime = node.runtime();
    let state = state.reduce(exec("web", "app"));
    assert_eq!(state.notice, None);
    let sh = pid_of(&state, "you-1");
    let state = state.reduce(kill(&state, sh, app, Signal::SIGKILL));
    assert!(state
        .last_outcomes()
        .iter()
        .any(|o| matches!(o, Outcome::SignalDropped { .. })));
    assert!(state.world().is_alive(app));
    let state = state.reduce(kill(&state, runtime, app, Signal::SIGKILL));
    assert!(!state.world().is_alive(app));
    assert_eq!(state.position(), (4, 4));
}

#[test]
fn a_refused_act_is_explained_and_changes_nothing() {
    let state = State::default()
        .reduce(Action::Open(PLAYGROUND.into()))
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
    let reopened = State::default().reduce(Action::Restore(Link::parse(&fragment)));
    assert_eq!(reopened.language, Language::Korean);
    assert_eq!(reopened.position(), state.position());
    assert_eq!(
        format!("{:?}", reopened.world()),
        format!("{:?}", state.world())
    );
    assert_eq!(reopened.link(), state.link());
}

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
            include_str!("../../../tests/e2e/fixtures/orphan.trace.json"),
        ),
        (
            "host.ps.json",
            include_str!("../../../tests/e2e/fixtures/host.ps.json"),
        ),
    ] {
        let state = State::default().reduce(load(name.into(), text.into()));
        assert_eq!(state.notice, None, "{name}");
        assert!(matches!(state.source, Source::File { .. }), "{name}");
        let end = state.reduce(Action::Seek(usize::MAX));
        assert_eq!(end.position().0, end.position().1);
    }
}

#[test]
fn the_toggles_change_only_the_first_pod_and_toggling_back_is_as_written() {
    let probes = State::default()
        .reduce(Action::Open("exec-probes".into()))
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

/// Everything the views show of a state, in `language`: what the narrative, the log, the checks,
/// the challenge, the pod view's refusal and the notice say (the components put these strings
/// on the page as they are).
fn shown(state: &State, language: Language) -> Vec<String> {
    use crate::explain::{node_step_lines, refusal_line, trace_step_lines};
    let mut texts: Vec<String> = language
        .page()
        .all()
        .iter()
        .map(|s| s.to_string())
        .collect();
    if let Some(notice) = &state.notice {
        texts.push(notice.say(language));
    }
    match &state.source {
        Source::Lesson(lesson) => {
            let written = &lesson.written;
            texts.push(language.pick(&written.title).to_owned());
            texts.push(language.pick(&written.question).to_owned());
            texts.extend(written.rules.iter().map(|rule| rule.say(language)));
            for step in lesson.steps() {
                texts.push(language.pick(&step.say).to_owned());
            }
            for log in lesson.logs() {
                texts.extend(
                    node_step_lines(language, &log.node_steps)
                        .into_iter()
                        .map(|l| l.text),
                );
                texts.extend(log.refused.iter().map(|e| refusal_line(language, e).text));
                texts.extend(log.failure.iter().map(|f| f.say(language)));
                for check in &log.checks {
                    texts.push(check.expect.say(language));
                    if let Err(mismatch) = &check.result {
                        texts.push(mismatch.found.say(language));
                    }
                }
            }
            for check in lesson.challenge().unwrap_or_default() {
                texts.push(check.expect.say(language));
                if let Err(mismatch) = &check.result {
                    texts.push(mismatch.found.say(language));
                }
            }
            if let Some(challenge) = &written.challenge {
                texts.push(language.pick(&challenge.say).to_owned());
                texts.push(language.pick(&challenge.hint).to_owned());
            }
        }
        Source::File { timeline, .. } => {
            let mut whole = timeline.clone();
            whole.seek(usize::MAX);
            for step in whole.applied() {
                texts.extend(trace_step_lines(language, step).into_iter().map(|l| l.text));
            }
        }
    }
    texts.extend(state.world().tree(language).lines().map(str::to_owned));
    texts
}

/// The lines that are syscalls (`[2] fork()`) are the kernel's vocabulary in both languages.
fn is_syscall(text: &str) -> bool {
    text.starts_with('[') && text.contains("] ")
}

fn assert_reads_well(texts: &[String], language: Language, context: &str) {
    for text in texts {
        if let Some(shape) = pauselab_core::text::debug_shape(text) {
            panic!("{context}: Rust Debug text {shape:?} in {text:?}");
        }
        if language == Language::Korean && !is_syscall(text) {
            if let Some(words) = pauselab_core::text::english_leak(text) {
                panic!("{context}: English in Korean mode ({words}): {text:?}");
            }
        }
    }
}

/// Issue #12's check: play every scenario to every step, act in every way the page allows,
/// trigger every refusal and every loader error — in Korean nothing reads as English, and in
/// neither language does a Rust `Debug` shape reach the reader.
#[test]
fn every_scenario_act_refusal_and_file_error_reads_well_in_both_languages() {
    for language in Language::ALL {
        let start = State::default().reduce(Action::SetLanguage(language));
        let ids: Vec<String> = start
            .scenarios
            .iter()
            .map(|s| s.id.clone())
            .chain([PLAYGROUND.to_owned()])
            .collect();
        for id in &ids {
            let mut state = start.reduce(Action::Open(id.clone()));
            let (_, len) = state.position();
            for step in 0..=len {
                assert_reads_well(
                    &shown(&state, language),
                    language,
                    &format!("{id} at step {step}"),
                );
                state = state.reduce(Action::Forward);
            }
            // The toggles' refusals (K25, K22) and a changed pod played to the end.
            for change in [
                |t: &mut PodToggles| {
                    t.share_process_namespace = true;
                    t.host_pid = true;
                },
                |t: &mut PodToggles| {
                    t.flavor = pauselab_core::pod::Flavor::Dockershim;
                    t.pause_ipc = pauselab_core::pod::IpcMode::Private;
                },
                |t: &mut PodToggles| t.share_process_namespace = true,
            ] {
                let mut toggles = PodToggles::default();
                change(&mut toggles);
                let toggled = state.reduce(Action::SetToggles(Some(toggles)));
                assert_reads_well(
                    &shown(&toggled, language),
                    language,
                    &format!("{id} toggled"),
                );
            }
        }

        // Every act of the page, on the playground's processes, refused ones included.
        let mut state = start
            .reduce(Action::Open(PLAYGROUND.into()))
            .reduce(Action::Forward);
        let app = pid_of(&state, "web/app");
        let pause = pid_of(&state, "web/pause");
        let container = ContainerRef::new("web", "app");
        let stop = |container: &str| {
            Action::Act(Box::new(ScenarioAction::StopContainer {
                container: ContainerRef::new("web", container),
            }))
        };
        let restart = Action::Act(Box::new(ScenarioAction::RestartContainer {
            container: container.clone(),
        }));
        let ignore = Action::Act(Box::new(ScenarioAction::Sigaction {
            process: Label::HostPid(app),
            signal: Signal::SIGCHLD,
            action: pauselab_core::Disposition::Ignore,
        }));
        let subreaper = Action::Act(Box::new(ScenarioAction::SetSubreaper {
            process: Label::HostPid(app),
        }));
        let acts = vec![
            fork(app, "worker", false),
            fork(app, "", true),
            exit(Pid(1), 0),
            // The app cannot see pid 7 (K9); it sees itself as 1 (K17 drops its SIGKILL).
            kill_number(app, 7, Signal::SIGTERM),
            kill_number(app, 1, Signal::SIGKILL),
            kill(&state, Pid(2), pause, Signal::SIGHUP),
            wait(app, true),
            wait(pause, false),
            ignore,
            subreaper,
            exec("web", "app"),
            exec("web", "nope"),
            stop("app"),
            restart,
            kill_pause("web"),
            kill_pause("nope"),
            exit(app, 3),
        ];
        for act in acts {
            let context = format!("{act:?}");
            state = state.reduce(act);
            assert_reads_well(&shown(&state, language), language, &context);
        }

        // Files: a real trace, acts on it (no pods), and every kind of loader error.
        let file = start.reduce(load("trace.json".into(), trace_text()));
        assert_reads_well(&shown(&file, language), language, "a trace");
        let no_pods = file.reduce(kill_pause("web"));
        assert_reads_well(&shown(&no_pods, language), language, "a pod act on a file");
        let hidden = file.reduce(exit(Pid(1), 0));
        assert_reads_well(&shown(&hidden, language), language, "the host's init exits");
        let good: serde_json::Value = serde_json::from_str(&trace_text()).unwrap();
        let edited = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut value = good.clone();
            edit(&mut value);
            value.to_string()
        };
        let broken = [
            "not json".to_owned(),
            "{\"format\": \"pauselab-trace\"}".to_owned(),
            "{\"format\": \"something-else\", \"version\": 1}".to_owned(),
            "{\"format\": \"pauselab-trace\", \"version\": 9}".to_owned(),
            edited(&|v| v["initial"]["processes"][0]["ppid"] = 1.into()),
            edited(&|v| v["initial"]["pid_max"] = u32::MAX.into()),
            edited(&|v| v["initial"]["processes"][0]["nspid"] = serde_json::json!([])),
            edited(&|v| v["steps"][0]["outcomes"] = serde_json::json!([])),
            edited(&|v| v["initial"]["namespaces"][0]["parent"] = 4026531836u64.into()),
        ];
        for (index, text) in broken.iter().enumerate() {
            let refused = start.reduce(load(format!("broken-{index}.json"), text.clone()));
            assert!(refused.notice.is_some(), "broken file {index} was refused");
            assert_reads_well(
                &shown(&refused, language),
                language,
                &format!("broken file {index}"),
            );
        }
        for why in [Unreadable::TooBig, Unreadable::NotText] {
            let unread = start.reduce(Action::Unreadable("x.json".into(), why));
            assert_reads_well(&shown(&unread, language), language, "an unreadable file");
        }
        let unknown = start.reduce(Action::Open("no-such-scenario".into()));
        assert_reads_well(&shown(&unknown, language), language, "an unknown scenario");
    }
}
