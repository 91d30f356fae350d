//! The session as the page drives it: lines entered, their records played back as the page's
//! steps, undo, a file on screen, refusals, recall and paste.

use pauselab_core::scenario::{Action, Scenario};
use pauselab_core::shell::Hint;
use pauselab_core::text::Language;
use pauselab_core::wire;

use crate::session::{paste, Recall, Session, MAX_PASTE};

/// The page's steps after `records`: each line one step of its own.
fn steps(records: &[String]) -> Vec<u8> {
    let actions: Vec<Vec<Action>> = records
        .iter()
        .map(|r| wire::decode_actions(&wire::from_base64url(r).unwrap()).unwrap())
        .collect();
    wire::encode_steps(actions.iter().map(Vec::as_slice))
}

fn fresh(language: Language) -> Session {
    let mut session = Session::new(language);
    session
        .sync(Some(&wire::encode_steps([])), 0, language, session.sent())
        .unwrap();
    session
}

// K21, K22: the post's two commands, then docker inspect, as a reader types them.
#[test]
fn k22_the_posts_commands_print_what_docker_prints_and_replay_as_the_pages_steps() {
    let mut session = fresh(Language::English);
    assert_eq!(session.prompt(), "root@node-1:~# ");
    let mut records = Vec::new();
    for line in [
        "docker run -d --name pause --ipc=shareable registry.k8s.io/pause:3.9",
        "docker run -d --name nginx --net=container:pause --ipc=container:pause nginx",
    ] {
        let entered = session.enter(line);
        assert_eq!(entered.printed.len(), 65, "a container id: {entered:?}");
        records.push(entered.record.expect("played"));
    }
    let ipc = session.enter("docker inspect -f '{{.HostConfig.IpcMode}}' pause");
    assert_eq!(ipc.printed, "shareable\n");
    records.push(ipc.record.unwrap());
    // The page plays the records and hands its steps back: nothing is replayed twice, and a
    // session that only sees the page's steps is on the same node.
    let bytes = steps(&records);
    session
        .sync(Some(&bytes), 3, Language::English, session.sent())
        .unwrap();
    let mut other = fresh(Language::English);
    other
        .sync(Some(&bytes), 3, Language::English, other.sent())
        .unwrap();
    let mode = "docker inspect -f '{{.HostConfig.NetworkMode}}' nginx";
    assert_eq!(other.enter(mode).printed, session.enter(mode).printed);
    assert!(other.enter(mode).printed.starts_with("container:"));
}

#[test]
fn going_back_on_the_page_takes_the_terminal_back_too() {
    let mut session = fresh(Language::English);
    let first = session
        .enter("docker run -d --name ab busybox sleep 1000")
        .record
        .unwrap();
    let second = session.enter("docker rm -f ab").record.unwrap();
    assert_eq!(session.enter("docker ps -q").printed, "");
    session
        .sync(
            Some(&steps(&[first.clone(), second])),
            2,
            Language::English,
            session.sent(),
        )
        .unwrap();
    // One step back: `ab` runs again.
    session
        .sync(Some(&steps(&[first])), 1, Language::English, session.sent())
        .unwrap();
    assert_eq!(session.enter("docker ps -q").printed.len(), 13);
}

#[test]
fn kubectl_exec_enters_a_containers_shell_and_exit_comes_back() {
    let mut session = fresh(Language::English);
    session.enter("kubectl run web --image=nginx");
    session.enter("kubectl exec -it web -- sh");
    assert_eq!(session.prompt(), "# ");
    assert!(session
        .enter("ps -e -o pid,comm")
        .printed
        .contains("      1 nginx\n"));
    session.enter("exit");
    assert_eq!(session.prompt(), "root@node-1:~# ");
}

#[test]
fn a_refused_line_says_why_in_the_readers_language_and_hands_nothing() {
    let mut session = fresh(Language::Korean);
    let entered = session.enter("ps | wc -l");
    assert!(
        entered.printed.starts_with("pauselab: 실행하지 않음: "),
        "{entered:?}"
    );
    assert_eq!(entered.record, None);
    assert!(session.enter("help").printed.contains("도구 상자"));
    // What the tools print stays English, as on a real node.
    assert_eq!(
        session.enter("frob").printed,
        "bash: frob: command not found\n"
    );
    let long = "x".repeat(5_000);
    let entered = session.enter(&long);
    assert!(entered.printed.contains("5000바이트"), "{entered:?}");
    assert_eq!(entered.record, None);
}

#[test]
fn a_file_on_screen_has_no_node_to_type_on() {
    let mut session = fresh(Language::English);
    session
        .sync(None, 0, Language::English, session.sent())
        .unwrap();
    let entered = session.enter("ps -ef");
    assert!(
        entered.printed.contains("no node to type on"),
        "{entered:?}"
    );
    assert_eq!(entered.record, None);
    assert_eq!(session.prompt(), "");
    // Bytes that are not the page's steps change nothing.
    let mut session = fresh(Language::English);
    session.enter("sleep 1000 &");
    let before = session.enter("echo $?").printed;
    assert!(session
        .sync(Some(b"nope"), 0, Language::English, session.sent())
        .is_err());
    assert_eq!(session.enter("echo $?").printed, before);
}

#[test]
fn up_and_down_recall_the_lines_entered_and_the_draft() {
    let history = vec!["ps".to_owned(), "hostname".to_owned()];
    let mut recall = Recall::default();
    assert_eq!(
        recall.step(&history, "draft", true).as_deref(),
        Some("hostname")
    );
    assert_eq!(
        recall.step(&history, "hostname", true).as_deref(),
        Some("ps")
    );
    assert_eq!(recall.step(&history, "ps", true), None, "the oldest");
    assert_eq!(
        recall.step(&history, "ps", false).as_deref(),
        Some("hostname")
    );
    assert_eq!(
        recall.step(&history, "hostname", false).as_deref(),
        Some("draft")
    );
    assert_eq!(recall.step(&history, "draft", false), None);
}

#[test]
fn a_paste_runs_its_lines_and_a_flood_runs_none() {
    assert_eq!(
        paste("ec", "ho 1\r\nhostname\npar", Language::English),
        Ok((vec!["echo 1".into(), "hostname".into()], "par".into()))
    );
    let flood = "hostname\n".repeat(MAX_PASTE + 1);
    let why = paste("", &flood, Language::Korean).unwrap_err();
    assert!(why.contains("65줄"), "{why}");
}

/// The page at `position` of `steps`, in English, having taken every record the terminal sent.
fn at(session: &mut Session, steps: &[u8], position: usize) {
    let seen = session.sent();
    session
        .sync(Some(steps), position, Language::English, seen)
        .unwrap();
}

/// The page's steps of a scenario as written, each step its actions.
fn written(id: &str) -> Vec<u8> {
    let scenario = Scenario::all()
        .unwrap()
        .into_iter()
        .find(|scenario| scenario.id == id)
        .unwrap();
    wire::encode_steps(scenario.steps.iter().map(|step| step.actions.as_slice()))
}

// K17: the lesson's next step is offered as the lines a reader types on a node; typing them
// there does the step (the page plays it, Forward), and the lesson goes on with the next.
#[test]
fn k17_the_next_step_is_offered_as_its_lines_and_typing_them_does_it() {
    let mut session = fresh(Language::English);
    at(&mut session, &written("kill-9-1"), 0);
    let hints = session.next_step();
    assert!(
        matches!(&hints[0], Hint::Itself(action) if matches!(**action, Action::CreatePod { .. }))
    );
    assert_eq!(
        hints[1..],
        [
            Hint::Type(vec!["kubectl exec -it web -c app -- sh".into()]),
            Hint::Type(vec!["kill -9 1".into()]),
        ]
    );
    // Past the step: the next one is the kill from the node, at the pid it has there.
    at(&mut session, &written("kill-9-1"), 1);
    let next = session.next_step();
    let [Hint::Type(lines)] = next.as_slice() else {
        panic!("{next:?}");
    };
    assert!(lines[0].starts_with("kill -9 "), "{lines:?}");
    let entered = session.enter(&lines[0]);
    assert!(
        entered.step_done == Some(1) && entered.record.is_none(),
        "the step after the first: {entered:?}"
    );
    assert_eq!(session.next_step(), [], "until the page has played it");
    // A line off the step: the reader's own, handed over.
    at(&mut session, &written("kill-9-1"), 1);
    let entered = session.enter("sleep 1000 &");
    assert!(
        entered.step_done.is_none() && entered.record.is_some(),
        "{entered:?}"
    );
    assert_eq!(session.next_step(), [], "the page's later steps give way");
    // At the end of the scenario there is nothing next.
    at(&mut session, &written("kill-9-1"), 2);
    assert_eq!(session.next_step(), []);
}

// The page hands its moments over in tasks of their own: one it queued before it took a
// line's record can come after the next line is entered. Passed over, so that the next line
// runs on the node with the first one's effects; a moment that does not fit what was sent
// (the page went back) still takes the terminal with it.
#[test]
fn a_moment_from_before_the_pages_record_does_not_undo_the_line() {
    let mut session = fresh(Language::English);
    let first = session.enter("sleep 1000 &").record.unwrap();
    session.enter("sleep 1001 &");
    assert_eq!(session.sent(), 2);
    // The page's moment before either record.
    session
        .sync(Some(&steps(&[])), 0, Language::English, 0)
        .unwrap();
    let ps = session.enter("ps -o args").printed;
    assert!(
        ps.contains("sleep 1000\n") && ps.contains("sleep 1001\n"),
        "both jobs run on the terminal's node: {ps}"
    );
    // The page's moment with the first record only: the others are still to come.
    session
        .sync(
            Some(&steps(std::slice::from_ref(&first))),
            1,
            Language::English,
            1,
        )
        .unwrap();
    assert!(session.enter("ps -o args").printed.contains("sleep 1001\n"));
    // The page had taken every record and went back before the second: the terminal too.
    let seen = session.sent();
    session
        .sync(Some(&steps(&[first])), 1, Language::English, seen)
        .unwrap();
    let ps = session.enter("ps -o args").printed;
    assert!(
        ps.contains("sleep 1000\n") && !ps.contains("sleep 1001"),
        "{ps}"
    );
}

// Every step of every lesson that is all typed lines, typed as the terminal offers them: each
// line but the last hands the page nothing, the last has the page play the step, and the node
// the terminal is on after the page's moment is the one a fresh terminal gets there.
#[test]
fn k17_typing_a_steps_lines_plays_the_step_and_the_lesson_goes_on() {
    let mut typed_steps = 0;
    let mut several_lines = 0;
    for scenario in Scenario::all().unwrap() {
        let steps = written(&scenario.id);
        for position in 0..scenario.steps.len() {
            let mut session = fresh(Language::English);
            session
                .sync(Some(&steps), position, Language::English, 0)
                .unwrap();
            let hints = session.next_step();
            if hints.is_empty() || hints.iter().any(|hint| matches!(hint, Hint::Itself(_))) {
                continue;
            }
            let lines: Vec<String> = hints
                .into_iter()
                .flat_map(|hint| match hint {
                    Hint::Type(lines) => lines,
                    Hint::Itself(_) => Vec::new(),
                })
                .collect();
            let id = &scenario.id;
            for (index, line) in lines.iter().enumerate() {
                assert_eq!(session.next_step_typed(), index, "{id} step {position}");
                let entered = session.enter(line);
                assert!(
                    entered.record.is_none(),
                    "{id} step {position}: {line}: {entered:?}"
                );
                let last = index + 1 == lines.len();
                assert_eq!(
                    entered.step_done,
                    last.then_some(position),
                    "{id} step {position}: {line}"
                );
            }
            session
                .sync(Some(&steps), position + 1, Language::English, 0)
                .unwrap();
            let mut there = fresh(Language::English);
            there
                .sync(Some(&steps), position + 1, Language::English, 0)
                .unwrap();
            assert_eq!(session.prompt(), there.prompt(), "{id} step {position}");
            let look = "ps -e -o pid,ppid,stat,comm";
            assert_eq!(
                session.enter(look),
                there.enter(look),
                "{id} step {position}"
            );
            typed_steps += 1;
            several_lines += usize::from(lines.len() > 1);
        }
    }
    assert!(
        typed_steps >= 5 && several_lines >= 1,
        "{typed_steps} steps, {several_lines} of several lines"
    );
}

// A line off the step after some of its lines: those lines and it are the reader's own steps,
// handed over together; a moment the page moves to drops the step's lines typed so far.
#[test]
fn a_line_off_the_step_hands_over_the_steps_lines_typed_before_it() {
    let (steps, position, lines) = Scenario::all()
        .unwrap()
        .into_iter()
        .find_map(|scenario| {
            let steps = written(&scenario.id);
            (0..scenario.steps.len()).find_map(|position| {
                let mut session = fresh(Language::English);
                session
                    .sync(Some(&steps), position, Language::English, 0)
                    .unwrap();
                match session.next_step().as_slice() {
                    [Hint::Type(first), Hint::Type(second), ..] => Some((
                        steps.clone(),
                        position,
                        vec![first[0].clone(), second[0].clone()],
                    )),
                    [Hint::Type(lines), ..] if lines.len() > 1 => {
                        Some((steps.clone(), position, lines.clone()))
                    }
                    _ => None,
                }
            })
        })
        .expect("a lesson has a step of several lines");
    let mut session = fresh(Language::English);
    session
        .sync(Some(&steps), position, Language::English, 0)
        .unwrap();
    assert_eq!(session.enter(&lines[0]).record, None);
    assert_eq!(session.next_step_typed(), 1);
    let entered = session.enter("sleep 1000 &");
    let record = entered.record.expect("handed over");
    let actions = wire::decode_actions(&wire::from_base64url(&record).unwrap()).unwrap();
    assert_eq!(
        actions.len(),
        2,
        "the step's line, then the reader's: {actions:?}"
    );
    assert_eq!(session.sent(), 2);
    assert_eq!(session.next_step(), [], "the page's later steps give way");

    // Typed part of the way: the page's language changing keeps the lines typed; the page
    // going to another moment drops them.
    let mut session = fresh(Language::English);
    session
        .sync(Some(&steps), position, Language::English, 0)
        .unwrap();
    let prompt = session.prompt();
    session.enter(&lines[0]);
    session
        .sync(Some(&steps), position, Language::Korean, 0)
        .unwrap();
    assert_eq!(session.next_step_typed(), 1);
    let elsewhere = if position > 0 {
        position - 1
    } else {
        position + 1
    };
    session
        .sync(Some(&steps), elsewhere, Language::English, 0)
        .unwrap();
    session
        .sync(Some(&steps), position, Language::English, 0)
        .unwrap();
    assert_eq!(session.next_step_typed(), 0);
    assert_eq!(session.prompt(), prompt);
}
