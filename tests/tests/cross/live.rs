//! `pauselab serve --live` on this machine: a page that follows the stream sees a zombie made
//! in a fresh pid namespace appear, with its status, and go when its reaper collects it; the
//! snapshot shows `comm`, never command lines or environments; off loopback nothing is
//! answered without the token.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pauselab_core::{wire, Document, ExitStatus, Pid, ProcState, Timeline};
use pauselab_tests::pause::{have, pauselab_cli, static_pause, wait_for, PidOne};
use pauselab_tests::{is_root, require, Reaped};

/// A `pauselab serve` of a folder with an empty page, stopped when dropped.
struct Served {
    child: Child,
    port: u16,
    token: Option<String>,
    _dir: tempdir::Dir,
}

mod tempdir {
    /// A folder that is removed when dropped.
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl Served {
    fn start(args: &[&str]) -> Served {
        // One folder per server: each removes its own when dropped.
        static SERVED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "pauselab-live-{}-{}",
            std::process::id(),
            SERVED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
        let mut child = Command::new(pauselab_cli())
            .arg("serve")
            .arg("--dir")
            .arg(&dir)
            .args(args)
            .env_remove("PAUSELAB_TOKEN")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("pauselab serve starts");
        let mut first = String::new();
        let mut printed = BufReader::new(child.stdout.take().unwrap());
        printed.read_line(&mut first).unwrap();
        // The rest of what it prints is read too, so that it never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut printed, &mut std::io::sink()));
        // "pauselab: the tutorial is at http://ADDR:PORT/[?token=T]  (Ctrl-C stops it)"
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect(&first);
        let rest = url.trim_start_matches("http://");
        let (host, path) = rest.split_once('/').unwrap();
        let port = host.rsplit(':').next().unwrap().parse().unwrap();
        let token = path.strip_prefix("?token=").map(str::to_owned);
        Served {
            child,
            port,
            token,
            _dir: tempdir::Dir(dir),
        }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream
    }

    /// One request's status line, and the whole answer (head and body), as `Host: host`.
    fn get_as(&self, host: &str, target: &str, headers: &str) -> (String, String) {
        let mut stream = self.connect();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {host}\r\n{headers}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut bytes = Vec::new();
        stream
            .read_to_end(&mut bytes)
            .unwrap_or_else(|e| panic!("GET {target}: {e}"));
        let answer = String::from_utf8_lossy(&bytes).into_owned();
        let status = answer.lines().next().unwrap_or_default().to_owned();
        (status, answer)
    }

    /// As a browser on this machine asks it.
    fn get(&self, target: &str, headers: &str) -> (String, String) {
        self.get_as(&format!("127.0.0.1:{}", self.port), target, headers)
    }

    /// With the token it printed.
    fn get_with_token(&self, target: &str) -> (String, String) {
        let token = self.token.as_deref().expect("a token was printed");
        self.get(target, &format!("Authorization: Bearer {token}\r\n"))
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A page's view of the stream: the record so far, as the page keeps it.
struct Page {
    lines: BufReader<TcpStream>,
    timeline: Option<Timeline>,
    /// The kind of the message being read: a wait can end between its `event:` and `data:`.
    kind: String,
    /// Every event so far, of every record the server started (a server's restart).
    events: Vec<pauselab_core::Event>,
}

impl Page {
    fn open(served: &Served) -> Page {
        let mut stream = served.connect();
        let token = served.token.as_deref().expect("a token was printed");
        write!(
            stream,
            "GET /live/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n"
        )
        .unwrap();
        Page {
            lines: BufReader::new(stream),
            timeline: None,
            kind: String::new(),
            events: Vec::new(),
        }
    }

    /// Reads messages until `done` holds of the newest moment, or the limit passes.
    fn until(&mut self, limit: Duration, done: impl Fn(&Timeline) -> bool) -> bool {
        self.until_with(limit, |timeline, _| done(timeline))
    }

    /// Like [`Page::until`], with every event of every record so far beside the newest moment.
    fn until_with(
        &mut self,
        limit: Duration,
        done: impl Fn(&Timeline, &[pauselab_core::Event]) -> bool,
    ) -> bool {
        let start = Instant::now();
        while start.elapsed() < limit {
            let mut line = String::new();
            if self.lines.read_line(&mut line).unwrap_or(0) == 0 {
                return false;
            }
            let line = line.trim_end();
            if let Some(k) = line.strip_prefix("event: ") {
                self.kind = k.to_owned();
            } else if let Some(data) = line.strip_prefix("data: ") {
                let bytes = wire::from_base64url(data).expect("base64url");
                match self.kind.as_str() {
                    "start" => self.timeline = Some(Timeline::from_wire(&bytes).expect("a start")),
                    "change" => {
                        let change = wire::decode_change(&bytes).expect("a change");
                        self.events.extend(change.events.iter().cloned());
                        let timeline = self.timeline.as_mut().expect("a start came first");
                        timeline.extend(change);
                    }
                    other => panic!("unknown message {other}"),
                }
                let timeline = self.timeline.as_mut().unwrap();
                timeline.seek(usize::MAX);
                if done(timeline, &self.events) {
                    return true;
                }
            }
        }
        false
    }
}

/// `pauselab serve ARGS` on this machine, and a page that has its record's start: for the tests
/// that make processes here, which need root and util-linux's unshare.
fn live_page(args: &[&str]) -> (Served, Page) {
    require(is_root(), "root");
    require(have("unshare"), "util-linux unshare");
    let served = Served::start(args);
    let mut page = Page::open(&served);
    assert!(
        page.until(Duration::from_secs(10), |_| true),
        "the record's start comes"
    );
    (served, page)
}

fn state(timeline: &Timeline, pid: u32) -> Option<ProcState> {
    timeline.world().process(Pid(pid)).map(|p| p.state())
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn k11_k14_a_zombie_on_this_node_is_drawn_live_and_goes_when_reaped() {
    let (_served, mut page) = live_page(&["--live", "--addr", "127.0.0.1:0"]);
    // pause (pid 1 of a fresh pid namespace) runs sh, which execs sleep; sleep's child exits 3
    // and is never waited for.
    let init = PidOne::start(
        static_pause(),
        &["--", "sh", "-c", "(sleep 0.2; exit 3) & exec sleep 100"],
    );
    let sleeper = wait_for(Duration::from_secs(10), || {
        pauselab_tests::proc::children(init.pid).into_iter().next()
    })
    .expect("sleep runs under pause");
    let zombie = wait_for(Duration::from_secs(10), || {
        pauselab_tests::proc::children(sleeper)
            .into_iter()
            .find(|c| pauselab_tests::proc::state(*c) == Some('Z'))
    })
    .expect("a zombie appears");
    assert!(
        page.until(Duration::from_secs(10), |t| state(t, zombie)
            == Some(ProcState::Zombie(ExitStatus::Exited(3)))),
        "the page draws {zombie} as a zombie of status 3"
    );
    {
        let timeline = page.timeline.as_ref().unwrap();
        let process = timeline.world().process(Pid(zombie)).unwrap();
        assert_eq!(
            process.nspid().last(),
            Some(&3),
            "its pid in pause's namespace (K8)"
        );
        assert_eq!(process.parent(), Pid(sleeper));
    }
    // sleep dies; its zombie goes to pause, the namespace's init, which reaps it (K14, K16).
    Command::new("kill")
        .args(["-KILL", &sleeper.to_string()])
        .status()
        .unwrap();
    assert!(
        page.until(Duration::from_secs(10), |t| state(t, zombie).is_none()
            && state(t, sleeper).is_none()),
        "the page sees both reaped"
    );
    drop(init);
}

// Polling /proc (`--poll`), nothing reports an end: a process that ends and is collected
// within the half second between two looks is recorded as ended unseen, with no status made
// up, and the record goes on. Other processes of a busy machine may make a look that is drawn
// anew (see the README), which leaves out what happened just before it, so the child is
// started up to three times.
#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn k11_an_end_between_two_polls_is_recorded_as_unseen_not_made_up() {
    let (_served, mut page) = live_page(&["--live", "--poll", "--addr", "127.0.0.1:0"]);
    let mut recorded = None;
    for _ in 0..3 {
        // sh waits for its `sleep 1` (collecting it at once), then execs a long sleep.
        let init = PidOne::start(
            static_pause(),
            &["--", "sh", "-c", "sleep 1; exec sleep 100"],
        );
        let shell = wait_for(Duration::from_secs(10), || {
            pauselab_tests::proc::children(init.pid).into_iter().next()
        })
        .expect("sh runs under pause");
        let Some(short) = wait_for(Duration::from_secs(10), || {
            pauselab_tests::proc::children(shell).into_iter().next()
        }) else {
            continue;
        };
        let seen = page.until(Duration::from_secs(10), |t| state(t, short).is_some());
        let gone = seen
            && page.until(Duration::from_secs(10), |t| {
                state(t, short).is_none()
                    && t.events()
                        .contains(&pauselab_core::Event::EndedUnseen { pid: Pid(short) })
            });
        drop(init);
        if gone {
            recorded = Some(short);
            break;
        }
    }
    let short = recorded.expect("an end between two polls is recorded as unseen");
    let timeline = page.timeline.as_ref().unwrap();
    let step = timeline
        .applied()
        .iter()
        .find(|step| step.event == pauselab_core::Event::EndedUnseen { pid: Pid(short) })
        .expect("its step");
    assert!(
        step.outcomes.iter().all(|o| !matches!(
            o,
            pauselab_core::Outcome::Exited { pid, .. }
                | pauselab_core::Outcome::Reaped { pid, .. }
                | pauselab_core::Outcome::BecameZombie { pid, .. } if *pid == Pid(short)
        )),
        "no status is said for it: {:?}",
        step.outcomes
    );
}

// A shell that names itself (a write to /proc/PID/comm, as prctl(PR_SET_NAME) does: runc's
// init does it on every container start) is recorded as renamed, not as running a new
// program, and its execve after that as one; with the proc connector's reports, and polling
// /proc, which tells them by the program's memory layout. A look drawn anew leaves out what
// happened just before it (see the README): every event so far counts, and the shell is
// started up to five times.
#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn a_rename_is_recorded_as_one_and_an_execve_as_an_execve() {
    for mode in [
        &["--live", "--addr", "127.0.0.1:0"][..],
        &["--live", "--poll", "--addr", "127.0.0.1:0"],
    ] {
        let (_served, mut page) = live_page(mode);
        // A full read of /proc every 5 s is what sees a name change without the connector.
        let script = if mode.contains(&"--poll") {
            "sleep 1; printf worker > /proc/$$/comm; sleep 6; exec sleep 100"
        } else {
            "sleep 1; printf worker > /proc/$$/comm; sleep 1; exec sleep 100"
        };
        let mut recorded = false;
        for _ in 0..5 {
            let init = PidOne::start(static_pause(), &["--", "sh", "-c", script]);
            let shell = wait_for(Duration::from_secs(10), || {
                pauselab_tests::proc::children(init.pid).into_iter().next()
            })
            .expect("sh runs under pause");
            let events = |all: &[pauselab_core::Event],
                          wanted: fn(&pauselab_core::Event, u32) -> bool| {
                all.iter().any(|e| wanted(e, shell))
            };
            let renamed = |e: &pauselab_core::Event, shell: u32| matches!(e, pauselab_core::Event::Renamed { pid, comm } if *pid == Pid(shell) && comm == "worker");
            let execed = |e: &pauselab_core::Event, shell: u32| matches!(e, pauselab_core::Event::Exec { pid, comm } if *pid == Pid(shell) && comm == "sleep");
            let done = page.until_with(Duration::from_secs(20), |_, all| {
                events(all, renamed) && events(all, execed)
            });
            drop(init);
            if !done {
                continue;
            }
            let wrong = page.events.iter().find(|e| match e {
                pauselab_core::Event::Exec { pid, comm } => *pid == Pid(shell) && comm == "worker",
                pauselab_core::Event::Renamed { pid, comm } => {
                    *pid == Pid(shell) && comm != "worker"
                }
                _ => false,
            });
            assert_eq!(
                wrong, None,
                "{mode:?}: the shell's rename and execs are told apart"
            );
            recorded = true;
            break;
        }
        assert!(recorded, "{mode:?}: the rename and the execve are recorded");
    }
}

// `unshare --pid --fork --mount-proc` unshares before it forks, as runc's init does on every
// container start: followed (the unshare as namespaces it made or joined, its child as the
// init of the new pid namespace), where it used to be drawn anew. A look can still be drawn
// anew for other processes of a busy machine, so it is tried up to three times.
#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn k3_k6_a_process_that_unshares_then_forks_is_followed() {
    let (_served, mut page) = live_page(&["--live", "--addr", "127.0.0.1:0"]);
    let mut followed = false;
    for _ in 0..3 {
        let init = PidOne::start(static_pause(), &["--", "sleep", "100"]);
        let status = std::fs::read_to_string(format!("/proc/{}/status", init.pid)).unwrap();
        let unshare: u32 = status
            .lines()
            .find_map(|l| l.strip_prefix("PPid:"))
            .and_then(|p| p.trim().parse().ok())
            .expect("pause's parent");
        let seen = page.until(Duration::from_secs(20), |t| {
            let moved = t.events().iter().any(|e| {
                matches!(e, pauselab_core::Event::NamespacesSeen { pid, .. } if *pid == Pid(unshare))
            });
            let world = t.world();
            let child = world.process(Pid(init.pid));
            let parent = world.process(Pid(unshare));
            moved
                && child.is_some_and(|c| c.is_init() && c.nspid().last() == Some(&1))
                && parent.zip(child).is_some_and(|(p, c)| {
                    p.pid_for_children() == c.namespaces().get(pauselab_core::NsKind::Pid)
                })
        });
        drop(init);
        if seen {
            followed = true;
            break;
        }
    }
    assert!(
        followed,
        "the unshare and the new namespace's init are followed"
    );
}

#[test]
fn the_snapshot_shows_comm_never_command_lines_or_environments() {
    let served = Served::start(&["--live", "--addr", "127.0.0.1:0"]);
    // A shell that stays (two commands, so it does not exec), with the secret in its argv and
    // its environment, both of which /proc/PID/cmdline and environ show.
    let secret = Reaped(
        Command::new("sh")
            .args(["-c", "sleep 30; : argv-secret-71f3", "argv-secret-71f3"])
            .env("PAUSELAB_SECRET", "env-secret-9c2e")
            .spawn()
            .unwrap(),
    );
    let pid = secret.0.id();
    let leaked = wait_for(Duration::from_secs(10), || {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
        String::from_utf8_lossy(&cmdline)
            .contains("argv-secret-71f3")
            .then_some(())
    });
    assert!(leaked.is_some(), "the secret is there to leak");
    let found = wait_for(Duration::from_secs(10), || {
        let (status, body) = served.get_with_token("/live/snapshot");
        assert!(status.contains("200"), "{status}");
        let json = body.split_once("\r\n\r\n").unwrap().1;
        let Document::Snapshot(snapshot) = Document::from_json(json.trim()).expect("a snapshot")
        else {
            panic!("not a snapshot")
        };
        snapshot
            .processes
            .iter()
            .any(|p| p.nspid[0] == pid && p.comm == "sh")
            .then_some(json.to_owned())
    })
    .expect("the process is in the snapshot");
    assert!(!found.contains("argv-secret") && !found.contains("env-secret"));
    drop(secret);
}

#[test]
fn off_loopback_every_request_needs_the_token() {
    let served = Served::start(&["--live", "--addr", "0.0.0.0:0"]);
    let token = served
        .token
        .clone()
        .expect("a token was made and printed with the URL");
    assert_eq!(token.len(), 32);
    // A probe carries no token: it learns only that the server answers.
    let (status, answer) = served.get("/healthz", "");
    assert!(
        status.contains("200") && answer.ends_with("\r\n\r\nok\n"),
        "{answer}"
    );
    for target in ["/", "/live/snapshot", "/live/events", "/?token=wrong"] {
        let (status, _) = served.get(target, "");
        assert!(status.contains("401"), "{target}: {status}");
    }
    let (status, answer) = served.get(&format!("/?token={token}"), "");
    assert!(status.contains("200"), "{status}");
    assert!(answer.contains(&format!(
        "Set-Cookie: pauselab_token_{}={token}; Path=/; HttpOnly",
        served.port
    )));
    let cookie = format!("Cookie: pauselab_token_{}={token}\r\n", served.port);
    assert!(served.get("/live/snapshot", &cookie).0.contains("200"));
    let bearer = format!("Authorization: Bearer {token}\r\n");
    assert!(served.get("/live/snapshot", &bearer).0.contains("200"));
    // Without --live there is no such thing.
    let plain = Served::start(&["--addr", "127.0.0.1:0"]);
    assert!(plain.get("/live/snapshot", "").0.contains("404"));
    // The live view needs its token on loopback too (it shows every user's processes), and a
    // server without one answers only to this machine's names (no DNS rebinding).
    let local = Served::start(&["--live", "--addr", "127.0.0.1:0"]);
    assert!(local.token.is_some(), "--live made a token on loopback too");
    assert!(local.get("/live/snapshot", "").0.contains("401"));
    assert!(plain.get_as("evil.example:80", "/", "").0.contains("421"));
    for host in ["localhost", "127.0.0.1:1234", "[::1]:80", "LOCALHOST:8080"] {
        assert!(plain.get_as(host, "/", "").0.contains("200"), "{host}");
    }
    // A token given is not printed (it would land in logs).
    let given = Served::start(&["--live", "--addr", "127.0.0.1:0", "--token", "g1ven-token"]);
    assert_eq!(given.token.as_deref(), Some("YOUR_TOKEN"));
    let (status, _) = given.get("/live/snapshot", "Authorization: Bearer g1ven-token\r\n");
    assert!(status.contains("200"), "{status}");
}
