//! What reaches the reader reads well in both languages: no Rust Debug text, no English in
//! Korean.

use super::*;

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
            .catalog
            .iter()
            .map(|s| s.id.clone())
            .chain([PLAYGROUND.to_owned()])
            .collect();
        for id in &ids {
            let mut state = start.reduce_served(Action::Open(id.clone()));
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
            .reduce_served(Action::Open(PLAYGROUND.into()))
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
        let unknown = start.reduce_served(Action::Open("no-such-scenario".into()));
        assert_reads_well(&shown(&unknown, language), language, "an unknown scenario");
    }
}
