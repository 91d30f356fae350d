//! The pod layer: rules K20–K28, the scenario loader's errors, and property tests over random
//! pod specs.

use pauselab_core::pod::{
    ContainerRef, ContainerSpec, DockerError, DockerRun, Flavor, Invalid, IpcMode, Node, NodeStep,
    PidMode, PodError, PodSpec, Program,
};
use pauselab_core::scenario::Scenario;
use pauselab_core::{Event, NsKind, Outcome, Pid, Rule, Signal};

mod entries;
mod properties;
mod workers;

fn pod(name: &str, containers: &[&str]) -> PodSpec {
    PodSpec {
        name: name.into(),
        containers: containers
            .iter()
            .map(|c| ContainerSpec {
                name: (*c).into(),
                program: Program::named(c),
            })
            .collect(),
        share_process_namespace: false,
        host_network: false,
        host_pid: false,
        host_ipc: false,
        flavor: Flavor::Containerd,
        pause_ipc: IpcMode::Shareable,
    }
}

fn ns(node: &Node, pid: Pid, kind: NsKind) -> pauselab_core::NsId {
    node.world()
        .process(pid)
        .expect("exists")
        .namespaces()
        .get(kind)
}

fn kernel_outcomes(node: &Node) -> Vec<Outcome> {
    node.last_steps()
        .iter()
        .flat_map(|s| match s {
            NodeStep::Kernel { outcomes, .. } => outcomes.clone(),
            NodeStep::Runtime { .. } | NodeStep::Typed { .. } => Vec::new(),
        })
        .collect()
}

#[test]
fn k20_pause_exits_0_on_sigterm_and_reaps_orphans() {
    let mut node = Node::new();
    node.create_pod(PodSpec {
        share_process_namespace: true,
        ..pod("web", &["app"])
    })
    .unwrap();
    let web = node.pod("web").unwrap().clone();
    let worker = node
        .kernel(Event::Fork {
            pid: web.containers[0].init,
            new: Default::default(),
        })
        .unwrap();
    let Outcome::Forked { child, .. } = worker[0] else {
        panic!("fork")
    };
    let grandchild = node
        .kernel(Event::Fork {
            pid: child,
            new: Default::default(),
        })
        .unwrap();
    let Outcome::Forked {
        child: grandchild, ..
    } = grandchild[0]
    else {
        panic!("fork")
    };
    node.kernel(Event::Exit {
        pid: child,
        code: 0,
    })
    .unwrap();
    node.kernel(Event::Exit {
        pid: grandchild,
        code: 0,
    })
    .unwrap();
    assert!(
        node.world().process(grandchild).is_none(),
        "pause reaped the orphan"
    );
    let outcomes = node
        .kernel(Event::Kill {
            pid: node.runtime(),
            target: web.pause,
            signal: Signal::SIGTERM,
        })
        .unwrap();
    assert!(outcomes.iter().any(|o| matches!(o, Outcome::Exited { pid, status: pauselab_core::ExitStatus::Exited(0) } if *pid == web.pause)));
}

#[test]
fn k21_net_container_mode_copies_the_hostname_and_refuses_conflicting_flags() {
    let mut node = Node::new();
    let donor = node
        .docker_run(DockerRun {
            name: "a".into(),
            program: Program::pause(),
            hostname: Some("h".into()),
            ..Default::default()
        })
        .unwrap();
    let run = |net: &str| DockerRun {
        name: "b".into(),
        program: Program::named("b"),
        net: net.parse().unwrap(),
        ..Default::default()
    };
    let app = node.docker_run(run("container:a")).unwrap();
    assert_eq!(ns(&node, app, NsKind::Net), ns(&node, donor, NsKind::Net));
    assert_ne!(ns(&node, app, NsKind::Uts), ns(&node, donor, NsKind::Uts));
    assert_eq!(node.hostname(app), Some("h"));
    let before = format!("{:?}", node.world());
    for refused in [
        DockerRun {
            publish: vec!["80:80".into()],
            name: "c".into(),
            ..run("container:a")
        },
        DockerRun {
            dns: vec!["1.1.1.1".into()],
            name: "c".into(),
            ..run("container:a")
        },
        DockerRun {
            name: "d".into(),
            ..run("container:nope")
        },
        DockerRun {
            name: "e".into(),
            ..run("container:e")
        },
    ] {
        let error = node.docker_run(refused).unwrap_err();
        assert_eq!(error.rule(), Some(Rule::K21), "{error}");
    }
    assert_eq!(
        format!("{:?}", node.world()),
        before,
        "refusals change nothing"
    );
}

#[test]
fn k22_joining_a_private_ipc_namespace_is_refused() {
    let mut node = Node::new();
    node.docker_run(DockerRun {
        name: "a".into(),
        program: Program::pause(),
        ..Default::default()
    })
    .unwrap();
    let error = node
        .docker_run(DockerRun {
            name: "b".into(),
            program: Program::named("b"),
            ipc: "container:a".parse().unwrap(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(
        error,
        PodError::Docker(DockerError::IpcNotShareable {
            donor: "a".into(),
            id: pauselab_core::pod::container_id("a"),
        })
    );
    assert!(error
        .to_string()
        .ends_with("non-shareable IPC (hint: use IpcMode:shareable for the donor container)."));
    assert_eq!(error.rule(), Some(Rule::K22));
    // dockerd created b before it refused to start it: the name stays taken.
    let inspect = node.docker_inspect();
    let b = inspect
        .iter()
        .find(|c| c.name == "b")
        .expect("b is created");
    assert_eq!(b.state, pauselab_core::pod::DockerState::Created);
    assert_eq!(
        b.host_config.ipc_mode,
        format!("container:{}", pauselab_core::pod::container_id("a"))
    );
    let again = node
        .docker_run(DockerRun {
            name: "b".into(),
            program: Program::named("b"),
            ..Default::default()
        })
        .unwrap_err();
    assert!(
        matches!(again, PodError::Docker(DockerError::NameInUse { .. })),
        "{again}"
    );
}

#[test]
fn k23_dockershim_gives_each_container_its_own_uts_namespace() {
    let mut node = Node::new();
    node.create_pod(PodSpec {
        flavor: Flavor::Dockershim,
        ..pod("web", &["app"])
    })
    .unwrap();
    let web = node.pod("web").unwrap();
    let app = web.containers[0].init;
    assert_eq!(
        ns(&node, app, NsKind::Net),
        ns(&node, web.pause, NsKind::Net)
    );
    assert_eq!(
        ns(&node, app, NsKind::Ipc),
        ns(&node, web.pause, NsKind::Ipc)
    );
    assert_ne!(
        ns(&node, app, NsKind::Uts),
        ns(&node, web.pause, NsKind::Uts)
    );
    assert_eq!(node.hostname(app), Some("web"));
    assert!(
        web.netns_pin.is_none(),
        "docker does not pin the sandbox's net namespace"
    );
}

#[test]
fn k24_containerd_pins_the_net_namespace_so_it_outlives_pause() {
    let mut node = Node::new();
    node.create_pod(pod("web", &["app"])).unwrap();
    let web = node.pod("web").unwrap().clone();
    let (net, path) = web.netns_pin.clone().expect("pinned");
    assert_eq!(ns(&node, web.pause, NsKind::Net), net);
    assert!(path.starts_with("/var/run/netns/"));
    node.kernel(Event::Kill {
        pid: node.runtime(),
        target: web.containers[0].init,
        signal: Signal::SIGKILL,
    })
    .unwrap();
    node.kernel(Event::Kill {
        pid: node.runtime(),
        target: web.pause,
        signal: Signal::SIGKILL,
    })
    .unwrap();
    assert!(
        node.world().ns_kind(net).is_some(),
        "the bind mount keeps it (K5)"
    );
    assert!(
        node.world().process(web.shim).unwrap().is_subreaper(),
        "shims are subreapers"
    );
}

#[test]
fn k25_pid_modes_and_the_validation_error() {
    let base = pod("web", &["app"]);
    assert_eq!(base.pid_mode(), Ok(PidMode::Container));
    assert_eq!(
        PodSpec {
            share_process_namespace: true,
            ..base.clone()
        }
        .pid_mode(),
        Ok(PidMode::Pod)
    );
    assert_eq!(
        PodSpec {
            host_pid: true,
            ..base.clone()
        }
        .pid_mode(),
        Ok(PidMode::Node)
    );
    let both = PodSpec {
        host_pid: true,
        share_process_namespace: true,
        ..base
    };
    let mut node = Node::new();
    let before = format!("{:?}", node.world());
    let error = node.create_pod(both).unwrap_err();
    assert_eq!(error, PodError::Invalid(Invalid::SharedAndHostPid));
    assert_eq!(error.rule(), Some(Rule::K25));
    assert_eq!(format!("{:?}", node.world()), before);
    node.create_pod(PodSpec {
        host_pid: true,
        ..pod("h", &["app"])
    })
    .unwrap();
    let app = node.pod("h").unwrap().containers[0].init;
    assert_eq!(
        ns(&node, app, NsKind::Pid),
        node.world().root_pid_ns(),
        "NODE: the host's pid namespace"
    );
}

#[test]
fn k26_an_exec_process_has_the_shim_as_parent_outside_the_namespace() {
    let mut node = Node::new();
    node.create_pod(pod("web", &["app"])).unwrap();
    let sh = node
        .exec_into(&ContainerRef::new("web", "app"), &Program::named("sh"))
        .unwrap();
    let web = node.pod("web").unwrap();
    assert_eq!(node.world().process(sh).unwrap().parent(), web.shim);
    let pid_ns = ns(&node, web.containers[0].init, NsKind::Pid);
    let row = node
        .world()
        .ps(pid_ns)
        .unwrap()
        .into_iter()
        .find(|r| r.host_pid == sh)
        .unwrap();
    assert_eq!(row.ppid, Pid(0), "K10");
}

#[test]
fn k27_killing_pause_recreates_the_sandbox_with_a_new_ip() {
    let mut node = Node::new();
    node.create_pod(pod("web", &["app"])).unwrap();
    let old = node.pod("web").unwrap().clone();
    node.kill_pause("web").unwrap();
    let new = node.pod("web").unwrap();
    assert_ne!(new.ip, old.ip);
    assert_ne!(new.pause, old.pause);
    assert_eq!(new.sandbox_restarts, 1);
    assert!(node
        .world()
        .process(old.containers[0].init)
        .is_none_or(|p| !p.state().is_alive()));
    assert!(node.last_steps().iter().any(|s| matches!(
        s,
        NodeStep::Runtime { note } if note.rule() == Rule::K27
    )));
    assert!(
        node.world().ns_kind(old.netns_pin.unwrap().0).is_none(),
        "the old net namespace is gone"
    );
}

#[test]
fn k27_a_pause_that_already_died_gets_a_new_sandbox_all_the_same() {
    // Found by the random pods against containerd: an app of a shared pid namespace sends
    // SIGTERM to pid 1, pause exits (K20) and the namespace with it (K19); there is no pause
    // left to kill, and kubelet re-creates a sandbox that is not ready whatever ended it.
    let mut node = Node::new();
    node.create_pod(PodSpec {
        share_process_namespace: true,
        ..pod("web", &["app"])
    })
    .unwrap();
    let old = node.pod("web").unwrap().clone();
    node.kernel(Event::Kill {
        pid: old.containers[0].init,
        target: Pid(1),
        signal: Signal::SIGTERM,
    })
    .unwrap();
    assert!(!node.world().is_alive(old.pause), "pause took the SIGTERM");
    node.kill_pause("web").unwrap();
    let new = node.pod("web").unwrap();
    assert_ne!(new.pause, old.pause);
    assert!(node.world().is_alive(new.pause) && node.world().is_alive(new.containers[0].init));
    assert_eq!((new.sandbox_restarts, new.containers[0].restarts), (1, 1));
}

#[test]
fn k28_stopping_one_container_of_a_shared_pod_kills_only_its_processes() {
    let mut node = Node::new();
    node.create_pod(PodSpec {
        share_process_namespace: true,
        ..pod("web", &["app", "sidecar"])
    })
    .unwrap();
    let web = node.pod("web").unwrap().clone();
    let app = web.containers[0].init;
    let outcomes = node
        .kernel(Event::Fork {
            pid: app,
            new: Default::default(),
        })
        .unwrap();
    let Outcome::Forked { child: worker, .. } = outcomes[0] else {
        panic!("fork")
    };
    node.stop_container(&ContainerRef::new("web", "app"))
        .unwrap();
    let alive = |pid: Pid| {
        node.world()
            .process(pid)
            .is_some_and(|p| p.state().is_alive())
    };
    assert!(
        !alive(app) && !alive(worker),
        "the runtime killed the container's processes itself"
    );
    assert!(
        alive(web.pause) && alive(web.containers[1].init),
        "pause and the sidecar live on: no init died"
    );
    assert!(kernel_outcomes(&node)
        .iter()
        .all(|o| !matches!(o, Outcome::PidNamespaceDying { .. })));
}

#[test]
fn a_broken_scenario_file_says_which_file_and_step() {
    let error = Scenario::from_json("99-broken.json", "{\"id\": \"x\"").unwrap_err();
    assert!(error.to_string().starts_with("99-broken.json: "), "{error}");
    let no_korean = r#"{"id": "x", "title": {"en": "T", "ko": "제목"}, "question": {"en": "Q", "ko": "질문"},
        "rules": [], "sources": [], "steps": [{"say": {"en": "step", "ko": ""}}]}"#;
    let error = Scenario::from_json("98-half.json", no_korean).unwrap_err();
    assert_eq!(
        error.to_string(),
        "98-half.json, step 1: the step needs English and Korean text"
    );
    let unknown = r#"{"id": "x", "title": {"en": "T", "ko": "제목"}, "question": {"en": "Q", "ko": "질문"},
        "rules": [], "sources": [], "steps": [{"say": {"en": "s", "ko": "s"}, "do": [{"do": "explode"}]}]}"#;
    assert!(Scenario::from_json("97-op.json", unknown)
        .unwrap_err()
        .to_string()
        .contains("unknown variant `explode`"));
    // A misspelt field is an error, also beside a container's `pod` and `container`.
    let misspelt = r#"{"id": "x", "title": {"en": "T", "ko": "제목"}, "question": {"en": "Q", "ko": "질문"},
        "rules": [], "sources": [], "steps": [{"say": {"en": "s", "ko": "s"}, "do": [{"do": "stop_container", "pod": "web", "container": "app", "graceful": true}]}]}"#;
    let error = Scenario::from_json("96-field.json", misspelt).unwrap_err();
    assert!(error.to_string().contains("graceful"), "{error}");
    // A name a step gives must not read as a label of another kind.
    let shadowing = r#"{"id": "x", "title": {"en": "T", "ko": "제목"}, "question": {"en": "Q", "ko": "질문"},
        "rules": [], "sources": [], "steps": [{"say": {"en": "s", "ko": "s"}, "do": [{"do": "fork", "process": "host", "as": "web/app"}]}]}"#;
    let error = Scenario::from_json("95-name.json", shadowing).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("95-name.json, step 1: the name \"web/app\""),
        "{error}"
    );
    // The id names the scenario's file beside the page and its links.
    for id in ["../etc", "Pause", "play", "", "a b"] {
        let text = format!(
            r#"{{"id": "{id}", "title": {{"en": "T", "ko": "제목"}}, "question": {{"en": "Q", "ko": "질문"}},
            "rules": [], "sources": [], "steps": [{{"say": {{"en": "s", "ko": "s"}}}}]}}"#
        );
        let error = Scenario::from_json("94-id.json", &text).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with(&format!("94-id.json: the id \"{id}\" must be")),
            "{error}"
        );
    }
}

#[test]
fn a_scenario_step_with_an_unknown_label_fails_naming_the_step() {
    let text = r#"{"id": "bad-label", "title": {"en": "T", "ko": "제목"}, "question": {"en": "Q", "ko": "질문"},
        "rules": [], "sources": [], "steps": [{"say": {"en": "s", "ko": "s"}, "do": [{"do": "exit", "process": "nobody"}]}]}"#;
    let error = Scenario::from_json("x.json", text)
        .unwrap()
        .check()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "bad-label, step 1: no process is called nobody"
    );
}

/// The kernel events a pod's creation makes, sandbox first, as a readable listing.
fn creation(flavor: Flavor, share: bool) -> String {
    let mut node = Node::new();
    let mut spec = PodSpec {
        flavor,
        share_process_namespace: share,
        ..pod("web", &["app"])
    };
    spec.containers[0].program.forks = vec![Program::named("worker")];
    node.create_pod(spec).unwrap();
    node.last_steps()
        .iter()
        .map(|step| match step {
            NodeStep::Kernel { event, .. } => event.to_string(),
            NodeStep::Runtime { note } => format!("runtime: {note}"),
            NodeStep::Typed { line, .. } => format!("typed: {line}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn containerd_pod_creation_sequence() {
    insta::assert_snapshot!(creation(Flavor::Containerd, true));
}

#[test]
fn dockershim_pod_creation_sequence() {
    insta::assert_snapshot!(creation(Flavor::Dockershim, false));
}

#[test]
fn a_program_starts_its_children() {
    let mut node = Node::new();
    let mut spec = pod("web", &["app"]);
    spec.containers[0].program.forks = vec![Program::named("worker"), Program::named("cron")];
    node.create_pod(spec).unwrap();
    let names: Vec<String> = node
        .ps_in(&ContainerRef::new("web", "app"))
        .unwrap()
        .into_iter()
        .map(|r| format!("{} {}", r.pid, r.comm))
        .collect();
    assert_eq!(names, ["1 app", "2 worker", "3 cron"]);
}

#[test]
fn k22_dockershim_containers_cannot_join_a_pause_whose_ipc_is_not_shareable() {
    for pause_ipc in [IpcMode::Private, IpcMode::None] {
        let mut node = Node::new();
        let before = format!("{:?}", node.world());
        let error = node
            .create_pod(PodSpec {
                flavor: Flavor::Dockershim,
                pause_ipc,
                ..pod("web", &["app"])
            })
            .unwrap_err();
        assert_eq!(error.rule(), Some(Rule::K22), "{error}");
        assert!(error.to_string().contains("non-shareable IPC"), "{error}");
        assert_eq!(
            format!("{:?}", node.world()),
            before,
            "a refused pod changes nothing"
        );
    }
    // containerd joins pause's namespaces by path (K24): the docker IPC mode plays no part.
    let mut node = Node::new();
    node.create_pod(PodSpec {
        pause_ipc: IpcMode::Private,
        ..pod("web", &["app"])
    })
    .unwrap();
    let ipc = node
        .sharing("web")
        .unwrap()
        .into_iter()
        .find(|s| s.kind == NsKind::Ipc)
        .unwrap();
    assert_eq!(ipc.containers[0].1, ipc.pause);
}
