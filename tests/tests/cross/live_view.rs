//! The "this node" view end to end: `pauselab serve --live` on the built tutorial, the view in
//! Debian's headless Chromium (`tests/e2e/live.mjs`), and a real containerd pod of two
//! containers that share pause's pid namespace, made and changed while the page watches: the
//! pod appears, a zombie in it is drawn as one within 2 s, pause reaps it once its parent is
//! killed, and the pod goes when it is deleted. Screenshots land in tests/artifacts/live/.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use pauselab_core::pod::ContainerRef;
use pauselab_core::scenario::{Action, Label};
use pauselab_core::Signal;
use pauselab_tests::pause::pauselab_cli;
use pauselab_tests::runtimes::kubelet::RealNode;
use pauselab_tests::{require, require_browser, workspace_root, Reaped};

/// The browser script, told what happened and answering when it sees it drawn.
struct Browser {
    _child: Reaped,
    said: ChildStdin,
    answers: mpsc::Receiver<String>,
}

impl Browser {
    fn start(url: &str, artifacts: &Path) -> Browser {
        let root = workspace_root();
        let mut child = Command::new("node")
            .arg(root.join("tests/e2e/live.mjs"))
            .arg(url)
            .arg(artifacts)
            .current_dir(&root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("node starts");
        let said = child.stdin.take().unwrap();
        let out: ChildStdout = child.stdout.take().unwrap();
        let (send, answers) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Browser {
            _child: Reaped(child),
            said,
            answers,
        }
    }

    /// Waits for the script's next answer, which must be `ok WHAT…`.
    fn expect(&self, what: &str) {
        let answer = self
            .answers
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("the browser did not see {what} (see its output above)"));
        assert!(
            answer.starts_with(&format!("ok {what}")),
            "{what}: {answer}"
        );
        eprintln!("live view: {answer}");
    }

    fn tell(&mut self, line: &str) {
        writeln!(self.said, "{line}").expect("the browser script is there");
        let what = line
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned();
        self.expect(&what);
    }
}

fn app(container: &str) -> Label {
    Label::Container(ContainerRef {
        pod: "web".into(),
        container: container.into(),
    })
}

/// `pauselab serve --live` of the built tutorial on `addr`; the view's URL it printed.
fn serve(root: &Path, addr: &str, token: Option<&str>) -> (Reaped, String) {
    let mut server = Command::new(pauselab_cli())
        .args(["serve", "--live", "--dir", "dist", "--addr", addr])
        .args(token.map(|t| ["--token", t]).into_iter().flatten())
        .current_dir(root)
        .stdout(Stdio::piped())
        // Why the server started a record anew, if it did, goes with the test's output.
        .stderr(Stdio::inherit())
        .spawn()
        .expect("pauselab serve starts");
    let mut printed = BufReader::new(server.stdout.take().unwrap());
    let server = Reaped(server);
    let mut lines = Vec::new();
    for _ in 0..2 {
        let mut line = String::new();
        printed.read_line(&mut line).unwrap();
        lines.push(line);
    }
    std::thread::spawn(move || std::io::copy(&mut printed, &mut std::io::sink()));
    let url = lines[1]
        .split_whitespace()
        .find(|w| w.starts_with("http://") && w.contains("/live/"))
        .unwrap_or_else(|| panic!("no live URL in {lines:?}"))
        .to_owned();
    (server, url)
}

#[test]
#[cfg_attr(
    any(
        pauselab_missing_browser,
        pauselab_missing_root,
        pauselab_missing_containerd
    ),
    ignore = "needs node, chromium, playwright-core, the built tutorial, root and containerd (bash scripts/test.sh sets them up)"
)]
fn k11_k13_a_real_pods_zombie_is_drawn_live_and_reaped_by_pause() {
    let root = workspace_root();
    require(
        root.join("dist/live/index.html").is_file(),
        "the built tutorial with its live view (bash scripts/build-web.sh)",
    );
    require_browser();
    let engine = crate::engines::containerd();
    let (server, url) = serve(&root, "127.0.0.1:0", None);
    let artifacts = root.join("tests/artifacts/live");
    // Screenshots of an earlier run must not pass for this one's.
    let _ = std::fs::remove_dir_all(&artifacts);
    std::fs::create_dir_all(&artifacts).unwrap();
    let mut browser = Browser::start(&url, &artifacts);
    browser.expect("ready");

    let mut real = RealNode::new(&engine.cri, &engine.containerd, "live");
    real.act(&Action::CreatePod {
        pod: crate::engines::two_container_pod(true),
    })
    .unwrap_or_else(|e| panic!("the pod did not start: {e}"));
    browser.tell("pod web");
    // app forks a worker that exits; app never waits for it (K11).
    real.act(&Action::Fork {
        process: app("app"),
        name: "worker".into(),
        comm: Some("worker".into()),
        new: Default::default(),
    })
    .unwrap_or_else(|e| panic!("the fork: {e}"));
    let worker = real.host_pid(&Label::Named("worker".into())).unwrap();
    real.act(&Action::Exit {
        process: Label::Named("worker".into()),
        code: 0,
    })
    .unwrap_or_else(|e| panic!("the exit: {e}"));
    browser.tell(&format!("zombie {worker}"));
    browser.tell("export");
    // app is killed: its zombie goes to pause, pid 1 of the shared namespace, which reaps it.
    real.act(&Action::KillFromHost {
        process: app("app"),
        signal: Signal::SIGKILL,
    })
    .unwrap_or_else(|e| panic!("the kill: {e}"));
    browser.tell(&format!("gone {worker}"));
    // The server goes away: the picture stays, with a notice; a new one on the same address
    // is found again by the page (its EventSource reconnects).
    let port = url
        .trim_start_matches("http://127.0.0.1:")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    // The same token, as an operator restarting it with its Secret would: the page's cookie
    // still opens it.
    let token = url
        .split("?token=")
        .nth(1)
        .expect("the URL has the token")
        .to_owned();
    drop(server);
    browser.tell("lost");
    let server = serve(&root, &format!("127.0.0.1:{port}"), Some(&token)).0;
    browser.tell("back");
    real.act(&Action::DeletePod { pod: "web".into() })
        .unwrap_or_else(|e| panic!("the delete: {e}"));
    browser.tell("nopod web");
    browser.tell("korean");
    browser.tell("done");
    real.clear()
        .unwrap_or_else(|e| panic!("the pod was not removed: {e}"));
    drop(real);
    drop(server);
    crate::engines::release_containerd(engine);
    for shot in [
        "01-pod-appears",
        "02-zombie",
        "03-exported-trace-opened",
        "04-reaped",
        "05-server-gone",
        "06-server-back",
        "07-pod-gone",
        "08-korean",
    ] {
        assert!(artifacts.join(format!("{shot}.png")).is_file(), "{shot}");
    }
}
