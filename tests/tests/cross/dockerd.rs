//! A real dockerd with pauselab's pause: the post's commands verbatim on dockerd and in the
//! model's docker layer — each answer, each refusal's text, each container's HostConfig
//! (NetworkMode, IpcMode, PidMode) as `docker inspect` prints it, who shares which namespace,
//! and the hostname each sees (K21, K22, K23); and pause as dockerd's `--init-path`, the init of
//! `docker run --init`.

use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use pauselab_core::pod::{DockerRun, Node, PodError, Program};
use pauselab_core::{Event, NsKind, Pid, Signal};
use pauselab_tests::pause::{have, pauselab_cli, static_pause, static_puppet, wait_for};
use pauselab_tests::runtimes::dockerd::{Dockerd, DOCKER};
use pauselab_tests::runtimes::images::{busybox_image, pause_image};
use pauselab_tests::runtimes::{observe, release, shared};
use pauselab_tests::{is_root, require};

pub(crate) const PAUSE: &str = "localhost/pauselab-pause:test";
pub(crate) const APP: &str = "localhost/pauselab-busybox:test";

pub(crate) fn dockerd() -> Arc<Dockerd> {
    static SHARED: Mutex<Weak<Dockerd>> = Mutex::new(Weak::new());
    shared(&SHARED, || {
        require(is_root(), "root");
        require(have("dockerd"), "dockerd (Debian package docker.io)");
        require(
            std::path::Path::new(DOCKER).is_file(),
            "/usr/bin/docker (Debian package docker.io)",
        );
        let dockerd = Dockerd::start(static_pause())
            .unwrap_or_else(|why| panic!("dockerd did not start: {why}"));
        let pause = pause_image(dockerd.dir(), static_pause());
        let app = busybox_image(
            dockerd.dir(),
            &[(static_puppet(), "puppet")],
            &["run/puppet"],
        );
        for image in [&pause, &app] {
            dockerd
                .import(image)
                .unwrap_or_else(|why| panic!("{why}\n{}", dockerd.log_tail()));
        }
        dockerd
    })
}

pub(crate) fn stop(dockerd: Arc<Dockerd>) {
    release(dockerd, |dockerd| {
        let left = dockerd.shutdown();
        assert!(left.is_empty(), "dockerd left things behind: {left:#?}");
    });
}

/// One `docker run -d` as its flags, read into the model's [`DockerRun`] from the same words.
fn model_run(name: &str, flags: &[&str], comm: &str) -> DockerRun {
    let mut run = DockerRun {
        name: name.to_owned(),
        program: if comm == "pause" {
            Program::pause()
        } else {
            Program::named(comm)
        },
        ..DockerRun::default()
    };
    for flag in flags {
        let (key, value) = flag.split_once('=').expect("flags are --key=value");
        match key {
            "--net" => run.net = value.parse().expect("a --net docker takes"),
            "--ipc" => run.ipc = value.parse().expect("an --ipc docker takes"),
            "--pid" => run.pid = value.parse().expect("a --pid docker takes"),
            "--hostname" => run.hostname = Some(value.to_owned()),
            "-p" => run.publish.push(value.to_owned()),
            "--dns" => run.dns.push(value.to_owned()),
            other => panic!("no such flag in the tests: {other}"),
        }
    }
    run
}

/// The model and dockerd side by side, each fed the same commands.
struct Both<'a> {
    dockerd: &'a Dockerd,
    node: Node,
    prefix: String,
}

impl Both<'_> {
    /// This test's name for a container (tests share the daemon).
    fn name(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// Every container id → `<name>`, on both sides, so that texts compare.
    fn normalize(&self, text: &str) -> (String, String) {
        let mut model = text.to_owned();
        for row in self.node.docker_inspect() {
            model = model.replace(&row.id, &format!("<{}>", row.name));
            model = model.replace(&row.id[..12], &format!("<{}>", row.name));
        }
        let mut real = text.to_owned();
        let listed = self
            .dockerd
            .docker(&["ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}}"])
            .unwrap_or_default();
        for line in listed.lines() {
            if let Some((id, name)) = line.split_once(' ') {
                real = real.replace(id, &format!("<{name}>"));
                real = real.replace(&id[..12], &format!("<{name}>"));
            }
        }
        (model, real)
    }

    /// `docker run -d` on both; the answers (started, or the same refusal) must agree.
    fn run(&mut self, name: &str, flags: &[&str], image: &str, comm: &str) -> Result<(), String> {
        let name = self.name(name);
        let flags: Vec<String> = flags
            .iter()
            .map(|f| f.replace("container:", &format!("container:{}", self.prefix)))
            .collect();
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        let model = self.node.docker_run(model_run(&name, &flags, comm));
        let mut args = vec!["run", "-d", "--name", name.as_str()];
        args.extend(&flags);
        args.push(image);
        let puppet = ["/puppet", "--as", name.as_str(), "--comm", comm];
        if image == APP {
            args.extend(puppet);
        }
        let (ok, _, stderr) = self.dockerd.docker_output(&args);
        let said = stderr.lines().next().unwrap_or_default().to_owned();
        match model {
            Ok(_) if ok => Ok(()),
            Ok(_) => Err(format!(
                "docker run {name}: the model ran it, dockerd said {said}"
            )),
            Err(_) if ok => Err(format!(
                "docker run {name}: dockerd ran it, the model refused"
            )),
            Err(error) => {
                let (model_text, _) = self.normalize(&docker_says(&error));
                let (_, real_text) = self.normalize(&said);
                if model_text == real_text {
                    Ok(())
                } else {
                    Err(format!(
                        "docker run {name}: refusals differ\n  model:   {model_text}\n  dockerd: {real_text}"
                    ))
                }
            }
        }
    }

    /// `docker rm [-f]` on both.
    fn rm(&mut self, name: &str, force: bool) -> Result<(), String> {
        let name = self.name(name);
        let model = self.node.docker_rm(&name, force);
        let mut args = vec!["rm"];
        if force {
            args.push("-f");
        }
        args.push(&name);
        let (ok, _, stderr) = self.dockerd.docker_output(&args);
        let said = stderr.lines().next().unwrap_or_default().to_owned();
        match model {
            Ok(()) if ok => Ok(()),
            Err(error) if !ok => {
                let (model_text, _) = self.normalize(&docker_says(&error));
                let (_, real_text) = self.normalize(&said);
                (model_text == real_text).then_some(()).ok_or(format!(
                    "docker rm {name}: refusals differ\n  model:   {model_text}\n  dockerd: {real_text}"
                ))
            }
            Ok(()) => Err(format!(
                "docker rm {name}: the model removed it, dockerd said {said}"
            )),
            Err(error) => Err(format!(
                "docker rm {name}: dockerd removed it, the model said {error}"
            )),
        }
    }

    /// `docker kill` on both: SIGKILL to the container's first process.
    fn kill(&mut self, name: &str) -> Result<(), String> {
        let name = self.name(name);
        let init = self
            .node
            .docker_container(&name)
            .and_then(|c| c.init)
            .ok_or(format!("the model has no running {name}"))?;
        let runtime = self.node.runtime();
        self.node
            .kernel(Event::Kill {
                pid: runtime,
                target: init,
                signal: Signal::SIGKILL,
            })
            .map_err(|e| e.to_string())?;
        self.dockerd.docker(&["kill", &name])?;
        wait_for(Duration::from_secs(20), || {
            let status = self
                .dockerd
                .docker(&["inspect", "-f", "{{.State.Status}}", &name])
                .ok()?;
            (status.trim() == "exited").then_some(())
        })
        .ok_or(format!("{name} did not exit"))
    }

    /// `docker inspect` of every container of this test, as the model and dockerd show it:
    /// name, state, NetworkMode, IpcMode, PidMode.
    fn inspect(&self) -> (Vec<String>, Vec<String>) {
        let mut model: Vec<String> = self
            .node
            .docker_inspect()
            .into_iter()
            .filter(|row| row.name.starts_with(&self.prefix))
            .map(|row| {
                let h = &row.host_config;
                let line = format!(
                    "{} {} NetworkMode={} IpcMode={} PidMode={}",
                    row.name,
                    row.state.as_str(),
                    h.network_mode,
                    h.ipc_mode,
                    h.pid_mode
                );
                self.normalize(&line).0
            })
            .collect();
        model.sort();
        let format = "{{.Name}} {{.State.Status}} NetworkMode={{.HostConfig.NetworkMode}} IpcMode={{.HostConfig.IpcMode}} PidMode={{.HostConfig.PidMode}}";
        let listed = self
            .dockerd
            .docker(&["ps", "-a", "--format", "{{.Names}}"])
            .unwrap_or_default();
        let mut real: Vec<String> = listed
            .lines()
            .filter(|name| name.starts_with(&self.prefix))
            .filter_map(|name| self.dockerd.docker(&["inspect", "-f", format, name]).ok())
            .map(|line| self.normalize(line.trim().trim_start_matches('/')).1)
            .collect();
        real.sort();
        (model, real)
    }

    /// The real first process of a running container.
    fn real_pid(&self, name: &str) -> Option<u32> {
        let pid = self
            .dockerd
            .docker(&["inspect", "-f", "{{.State.Pid}}", &self.name(name)])
            .ok()?;
        pid.trim().parse().ok().filter(|&p| p != 0)
    }

    fn model_pid(&self, name: &str) -> Option<Pid> {
        self.node
            .docker_container(&self.name(name))
            .and_then(|c| c.init)
    }
}

/// What docker prints for a refusal (a docker one; anything else is the model's own words).
fn docker_says(error: &PodError) -> String {
    match error {
        PodError::Docker(docker) => docker.original(),
        other => other.to_string(),
    }
}

/// Letters for who shares what: `pause=a nginx=a ghost=a`.
fn letters(values: &[(&str, Option<u64>)]) -> String {
    let mut seen: Vec<u64> = Vec::new();
    values
        .iter()
        .map(|(who, value)| match value {
            Some(v) => {
                let index = seen.iter().position(|s| s == v).unwrap_or_else(|| {
                    seen.push(*v);
                    seen.len() - 1
                });
                format!("{who}={}", char::from(b'a' + index as u8))
            }
            None => format!("{who}=-"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_dockerd),
    ignore = "needs root and dockerd"
)]
fn k21_k22_k23_the_post_verbatim_on_dockerd_and_in_the_model() {
    let engine = dockerd();
    let mut both = Both {
        dockerd: &engine,
        node: Node::new(),
        prefix: "post-".into(),
    };
    let mut problems: Vec<String> = Vec::new();
    let mut check = |result: Result<(), String>| {
        if let Err(problem) = result {
            problems.push(problem);
        }
    };
    let post = [
        "--net=container:pause",
        "--ipc=container:pause",
        "--pid=container:pause",
    ];
    // The daemon's default IPC mode is private: the post's nginx cannot join it (K22), and is
    // left created.
    check(both.run("pause", &["--net=none"], PAUSE, "pause"));
    check(both.run("nginx", &post, APP, "nginx"));
    check(both.rm("pause", false));
    check(both.rm("nginx", false));
    check(both.rm("pause", true));
    // As dockershim did: pause shareable, then the post's commands work.
    check(both.run("pause", &["--net=none", "--ipc=shareable"], PAUSE, "pause"));
    check(both.run("nginx", &post, APP, "nginx"));
    check(both.run("ghost", &post, APP, "ghost"));
    // What docker refuses in container: network mode, and around it (K21).
    check(both.run(
        "h1",
        &["--net=container:pause", "--hostname=other"],
        APP,
        "h1",
    ));
    check(both.run("h2", &["--net=container:pause", "-p=8080:80"], APP, "h2"));
    check(both.run("h3", &["--net=container:pause", "--dns=1.1.1.1"], APP, "h3"));
    check(both.run("h4", &["--net=container:nosuch"], APP, "h4"));
    check(both.run("h5", &["--net=none", "--ipc=container:nosuch"], APP, "h5"));
    check(both.run("h6", &["--net=container:h6"], APP, "h6"));
    check(both.run("pause", &["--net=none"], PAUSE, "pause"));
    check(both.run("stopped", &["--net=none"], APP, "stopped"));
    check(both.kill("stopped"));
    check(both.run("h8", &["--net=container:stopped"], APP, "h8"));
    check(both.run("h9", &["--net=none", "--ipc=container:stopped"], APP, "h9"));
    check(both.run(
        "h10",
        &["--net=none", "--pid=container:stopped"],
        APP,
        "h10",
    ));

    // docker inspect, field for field.
    let (model, real) = both.inspect();
    if model != real {
        problems.push(format!(
            "docker inspect differs\n  model:\n    {}\n  dockerd:\n    {}",
            model.join("\n    "),
            real.join("\n    ")
        ));
    }
    // The post's evidence is there, on dockerd (and so in the model).
    for evidence in [
        "post-pause running NetworkMode=none IpcMode=shareable PidMode=",
        "post-nginx running NetworkMode=container:<post-pause> IpcMode=container:<post-pause> PidMode=container:<post-pause>",
        "post-h4 created NetworkMode=container:post-nosuch IpcMode=private PidMode=",
    ] {
        if !real.iter().any(|line| line == evidence) {
            problems.push(format!("dockerd does not show {evidence}: {real:#?}"));
        }
    }
    // Who shares which namespace, and the hostname each sees.
    for kind in [
        NsKind::Net,
        NsKind::Ipc,
        NsKind::Uts,
        NsKind::Pid,
        NsKind::Mnt,
    ] {
        let who = ["pause", "nginx", "ghost"];
        let model: Vec<(&str, Option<u64>)> = who
            .iter()
            .map(|w| {
                let ns = both
                    .model_pid(w)
                    .and_then(|p| both.node.world().process(p))
                    .map(|p| u64::from(p.namespaces().get(kind).0));
                (*w, ns)
            })
            .collect();
        let real: Vec<(&str, Option<u64>)> = who
            .iter()
            .map(|w| {
                (
                    *w,
                    both.real_pid(w)
                        .and_then(|p| observe::ns_inode(p, kind.name())),
                )
            })
            .collect();
        if letters(&model) != letters(&real) {
            problems.push(format!(
                "{}: model {} / dockerd {}",
                kind.name(),
                letters(&model),
                letters(&real)
            ));
        }
    }
    for who in ["pause", "nginx", "ghost"] {
        let model = both
            .model_pid(who)
            .and_then(|p| both.node.hostname(p))
            .map(str::to_owned)
            .unwrap_or_default();
        let real = both
            .real_pid(who)
            .and_then(|pid| {
                let out = std::process::Command::new("nsenter")
                    .args(["-t", &pid.to_string(), "-u", "hostname"])
                    .output()
                    .ok()?;
                Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())
            })
            .unwrap_or_default();
        let (model, _) = both.normalize(&model);
        let (_, real) = both.normalize(&real);
        if model != real {
            problems.push(format!("hostname of {who}: model {model}, dockerd {real}"));
        }
    }
    // `pauselab ps --json` labels the post's pod: pause is its sandbox, nginx and ghost its
    // containers (docker's "pod" is the containers sharing one network namespace).
    match both
        .real_pid("pause")
        .and_then(|p| observe::ns_inode(p, "pid"))
    {
        Some(ns) => {
            let out = std::process::Command::new(pauselab_cli())
                .args(["ps", "--json", "--ns", &format!("pid:[{ns}]")])
                .output()
                .expect("pauselab runs");
            let json = String::from_utf8_lossy(&out.stdout);
            match pauselab_core::Document::from_json(&json) {
                Ok(pauselab_core::Document::Snapshot(snapshot)) => {
                    let mut labels: Vec<String> = snapshot
                        .processes
                        .iter()
                        .map(|p| match &p.container {
                            Some(l) => {
                                format!("{} {}/{} {:?}", p.comm, l.pod, l.container, l.engine)
                            }
                            None => format!("{} -", p.comm),
                        })
                        .collect();
                    labels.sort();
                    let expected = [
                        "ghost post-pause/post-ghost Docker",
                        "nginx post-pause/post-nginx Docker",
                        "pause post-pause/POD Docker",
                    ];
                    if labels != expected {
                        problems.push(format!(
                            "ps --json labels: {labels:?}, expected {expected:?}"
                        ));
                    }
                }
                other => problems.push(format!(
                    "ps --json: {other:?}: {}",
                    String::from_utf8_lossy(&out.stderr)
                )),
            }
        }
        None => problems.push("the post's pause is not running".into()),
    }
    drop(both);
    stop(engine);
    assert!(
        problems.is_empty(),
        "the model and dockerd disagree:\n{}",
        problems.join("\n")
    );
}

/// The container's processes (host pids) and their states.
fn in_container(dockerd: &Dockerd, name: &str) -> Option<(u32, Vec<observe::PsRow>)> {
    let pid: u32 = dockerd
        .docker(&["inspect", "-f", "{{.State.Pid}}", name])
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let ns = observe::ns_inode(pid, "pid")?;
    Some((pid, observe::ps_in(ns)))
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_dockerd),
    ignore = "needs root and dockerd"
)]
fn k20_pause_is_dockerds_init_path_for_docker_run_init() {
    // dockerd ran `pause --version` when it started and waited for it: it answers.
    let engine = dockerd();
    let docker = |args: &[&str]| {
        engine
            .docker(args)
            .unwrap_or_else(|why| panic!("{why}\n{}", engine.log_tail()))
    };
    // The exit code is passed on.
    let (ok, _, _) = engine.docker_output(&[
        "run",
        "--init",
        "--name",
        "init-exit",
        "--net=none",
        APP,
        "sh",
        "-c",
        "exit 3",
    ]);
    assert!(!ok, "docker run fails as its command did");
    let status = docker(&["inspect", "-f", "{{.State.ExitCode}}", "init-exit"]);
    assert_eq!(
        status.trim(),
        "3",
        "pause passes the command's exit code on"
    );

    // pid 1 is pause (mounted as /sbin/docker-init), and it forwards SIGTERM to the command.
    docker(&[
        "run",
        "-d",
        "--init",
        "--name",
        "init-term",
        "--net=none",
        APP,
        "/puppet",
        "--as",
        "app",
        "--comm",
        "app",
        "--exits-on",
        "TERM",
    ]);
    let (init, rows) = wait_for(Duration::from_secs(20), || {
        in_container(&engine, "init-term").filter(|(_, rows)| rows.iter().any(|r| r.comm == "app"))
    })
    .expect("the container runs its app");
    assert_eq!(
        std::fs::read(format!("/proc/{init}/exe")).expect("pid 1's program"),
        std::fs::read(static_pause()).expect("pauselab's pause"),
        "pid 1 of docker run --init is pauselab's pause"
    );
    assert!(
        rows.iter().any(|r| r.pid == 1 && r.comm == "docker-init"),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r.ppid == 1 && r.comm == "app"),
        "{rows:?}"
    );
    docker(&["stop", "-t", "20", "init-term"]);
    let status = docker(&["inspect", "-f", "{{.State.ExitCode}}", "init-term"]);
    assert_eq!(
        status.trim(),
        "0",
        "SIGTERM reached the app, whose handler exits 0; pause exits with its code"
    );

    // Orphans are reaped: a child that outlives its parent and then exits.
    docker(&[
        "run",
        "-d",
        "--init",
        "--name",
        "init-reap",
        "--net=none",
        APP,
        "sh",
        "-c",
        "(sleep 0.3 &) ; exec sleep 1000",
    ]);
    let settled = wait_for(Duration::from_secs(20), || {
        let (_, rows) = in_container(&engine, "init-reap")?;
        let ok = rows.len() == 2 && rows.iter().all(|r| r.state != 'Z');
        ok.then_some(rows)
    });
    let last = in_container(&engine, "init-reap");
    assert!(
        settled.is_some(),
        "the orphan is reaped by pause, leaving pause and sleep: {last:?}"
    );
    docker(&["rm", "-f", "init-exit", "init-term", "init-reap"]);
    stop(engine);
}
