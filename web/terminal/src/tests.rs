//! The session as the page drives it: lines entered, their records played back as the page's
//! steps, undo, a file on screen, refusals, recall and paste.

use pauselab_core::scenario::Action;
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
        .sync(Some(&wire::encode_steps([])), language)
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
    session.sync(Some(&bytes), Language::English).unwrap();
    let mut other = fresh(Language::English);
    other.sync(Some(&bytes), Language::English).unwrap();
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
        .sync(Some(&steps(&[first.clone(), second])), Language::English)
        .unwrap();
    // One step back: `ab` runs again.
    session
        .sync(Some(&steps(&[first])), Language::English)
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
    session.sync(None, Language::English).unwrap();
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
    assert!(session.sync(Some(b"nope"), Language::English).is_err());
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
