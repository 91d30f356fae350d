//! Round trips for every action, expectation and embedded scenario, and hostile bytes.

use super::*;
use crate::ns::{NsKind, NsKinds};
use crate::pod::{
    ContainerRef, ContainerSpec, DockerRun, Flavor, IpcFlag, IpcMode, NetworkFlag, NoteKind,
    PidFlag, PodSpec, Program, Refusal,
};
use crate::process::{Disposition, Pid};
use crate::rule::Rule;
use crate::scenario::{Challenge, Expect, Label, ScenarioStep, Text};
use crate::signal::Signal;

fn every_action() -> Vec<Action> {
    let app = ContainerRef::new("web", "app");
    let nested = Program {
        comm: "supervisor".into(),
        reaps: true,
        exits_on: vec![Signal::SIGTERM, Signal::SIGINT],
        catches: vec![Signal::SIGHUP],
        ignores: vec![Signal::SIGPIPE],
        ignores_sigchld: true,
        subreaper: true,
        forwards: true,
        forks: vec![Program {
            forks: vec![Program::named("sleep")],
            ..Program::named("sh")
        }],
    };
    vec![
        Action::CreatePod {
            pod: PodSpec {
                name: "web".into(),
                containers: vec![ContainerSpec {
                    name: "app".into(),
                    program: nested.clone(),
                }],
                share_process_namespace: true,
                host_network: true,
                host_pid: false,
                host_ipc: true,
                flavor: Flavor::Dockershim,
                pause_ipc: IpcMode::None,
            },
        },
        Action::DockerRun {
            run: DockerRun {
                name: "nginx".into(),
                program: nested,
                net: "container:sandbox".parse().unwrap(),
                ipc: "shareable".parse().unwrap(),
                pid: PidFlag::try_from("host".to_owned()).unwrap(),
                hostname: Some("mypod".into()),
                publish: vec!["8080:80".into()],
                dns: vec!["10.0.0.10".into()],
                image: "nginx".into(),
                command: vec!["/docker-entrypoint.sh".into(), "nginx".into()],
            },
        },
        Action::Fork {
            process: Label::HostPid(Pid(4242)),
            name: "you-1".into(),
            comm: Some("sleep".into()),
            new: NsKinds::of(&[NsKind::Pid, NsKind::Net]),
        },
        Action::Exit {
            process: Label::Container(app.clone()),
            code: 255,
        },
        Action::Kill {
            from: Label::Pause { pod: "web".into() },
            target: 1,
            signal: Signal::SIGKILL,
        },
        Action::KillFromHost {
            process: Label::Runtime,
            signal: Signal::SIGHUP,
        },
        Action::Wait {
            process: Label::Host,
            nohang: true,
        },
        Action::Sigaction {
            process: Label::Shim { pod: "web".into() },
            signal: Signal::SIGCHLD,
            action: Disposition::Ignore,
        },
        Action::SetSubreaper {
            process: Label::Named("tini".into()),
        },
        Action::Exec {
            container: app.clone(),
            name: "probe".into(),
            comm: "sh".into(),
        },
        Action::ExecProbe {
            container: app.clone(),
        },
        Action::RestartContainer {
            container: app.clone(),
        },
        Action::StopContainer { container: app },
        Action::KillPause { pod: "web".into() },
        Action::DeletePod { pod: "web".into() },
        Action::Type {
            process: Label::Named("you".into()),
            line: "kill -9 1 # 'x' \"$?\" &".into(),
            effects: None,
        },
        Action::Type {
            process: Label::Login,
            line: "docker ps".into(),
            effects: Some(vec![Action::DockerStart { name: "web".into() }]),
        },
        Action::DockerCreate {
            run: DockerRun {
                name: "app".into(),
                image: "busybox:1.36".into(),
                command: vec!["sleep".into(), "1000".into()],
                ..DockerRun::default()
            },
        },
        Action::DockerStart { name: "app".into() },
        Action::DockerKill {
            name: "app".into(),
            signal: Signal::SIGUSR1,
        },
        Action::DockerStop { name: "app".into() },
        Action::DockerExec {
            container: "app".into(),
            name: "sh".into(),
            comm: "sh".into(),
        },
        Action::DockerRm {
            name: "app".into(),
            force: true,
        },
    ]
}

#[test]
fn every_action_survives_the_wire() {
    let actions = every_action();
    assert_eq!(decode_actions(&encode_actions(&actions)), Ok(actions));
}

#[test]
fn every_embedded_scenario_survives_the_wire() {
    let scenarios = Scenario::all().unwrap();
    let bytes = encode_scenarios(&scenarios);
    assert_eq!(decode_scenarios(&bytes).as_ref(), Ok(&scenarios));
}

#[test]
fn every_expectation_and_named_value_survives_the_wire() {
    let app = ContainerRef::new("web", "app");
    let process = Label::Named("sh".into());
    let mut expect = vec![
        Expect::Pid1 {
            container: app.clone(),
            comm: "pause".into(),
        },
        Expect::Zombie {
            container: app.clone(),
            pid: 7,
            ppid: 1,
        },
        Expect::NoZombies { pod: None },
        Expect::NoZombies {
            pod: Some("web".into()),
        },
        Expect::Ppid {
            container: app.clone(),
            comm: "sleep".into(),
            ppid: 0,
        },
        Expect::Visible {
            container: app.clone(),
            count: 300,
        },
        Expect::Shares {
            a: process.clone(),
            b: Label::Pause { pod: "web".into() },
            kind: NsKind::Time,
            same: false,
        },
        Expect::Hostname {
            process: process.clone(),
            value: "web".into(),
        },
        Expect::Dropped,
        Expect::Alive {
            process: process.clone(),
        },
        Expect::Dead {
            process: process.clone(),
        },
        Expect::Reaped {
            process: process.clone(),
        },
        Expect::ExitStatus {
            process: process.clone(),
            code: 137,
        },
        Expect::Nspid {
            process,
            nspid: vec![4_194_304, 1],
        },
        Expect::PodIp {
            pod: "web".into(),
            ip: "10.88.0.2".into(),
        },
        Expect::Restarts {
            container: app,
            count: 3,
        },
    ];
    expect.extend(Refusal::ALL.iter().copied().map(Expect::Refused));
    expect.extend(NoteKind::ALL.iter().copied().map(Expect::RuntimeSays));
    let text = |en: &str| Text {
        en: en.into(),
        ko: format!("{en}를"),
    };
    let scenario = Scenario {
        id: "every".into(),
        title: text("title"),
        question: text("question"),
        rules: Rule::ALL.to_vec(),
        sources: vec!["https://example.invalid/".into()],
        steps: vec![ScenarioStep {
            say: text("say"),
            actions: every_action(),
            expect: expect.clone(),
        }],
        challenge: Some(Challenge {
            say: text("task"),
            hint: text("hint"),
            expect,
        }),
    };
    let scenarios = vec![
        scenario.clone(),
        Scenario {
            challenge: None,
            ..scenario
        },
    ];
    assert_eq!(
        decode_scenarios(&encode_scenarios(&scenarios)),
        Ok(scenarios)
    );
    // The pod above has one of each; every one is written as its index.
    let mut out = Writer(Vec::new());
    for mode in IpcMode::ALL {
        out.one_of(IpcMode::ALL, mode);
    }
    for flavor in Flavor::ALL {
        out.one_of(Flavor::ALL, flavor);
    }
    let mut input = Reader(&out.0);
    for mode in IpcMode::ALL {
        assert_eq!(input.one_of(IpcMode::ALL, "ipc mode"), Ok(*mode));
    }
    for flavor in Flavor::ALL {
        assert_eq!(input.one_of(Flavor::ALL, "runtime"), Ok(*flavor));
    }
    assert_eq!(
        input.one_of(Flavor::ALL, "runtime"),
        Err(WireError::Truncated)
    );
    assert_eq!(
        Reader(&[2]).one_of(Flavor::ALL, "runtime"),
        Err(WireError::Invalid("runtime"))
    );
}

#[test]
fn hostile_bytes_are_refused_without_a_panic() {
    let bytes = encode_actions(&every_action());
    for cut in 0..bytes.len() {
        assert!(decode_actions(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    for index in 0..bytes.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut bad = bytes.clone();
            bad[index] ^= flip;
            let _ = decode_actions(&bad);
        }
    }
    // Another layout's bytes, or a link from another release.
    assert_eq!(
        decode_actions(&encode_scenarios(&[])),
        Err(WireError::NotThisVersion)
    );
    let mut trailing = encode_actions(&[]);
    trailing.push(0);
    assert_eq!(
        decode_actions(&trailing),
        Err(WireError::Invalid("trailing bytes"))
    );
}

#[test]
fn programs_nested_past_the_bound_are_refused() {
    let mut program = Program::named("leaf");
    for _ in 0..=PROGRAM_DEPTH {
        program = Program {
            forks: vec![program],
            ..Program::named("sh")
        };
    }
    let create = |program: Program| Action::DockerRun {
        run: DockerRun {
            name: "deep".into(),
            program,
            net: NetworkFlag::default(),
            ipc: IpcFlag::default(),
            pid: PidFlag::default(),
            hostname: None,
            publish: Vec::new(),
            dns: Vec::new(),
            image: String::new(),
            command: Vec::new(),
        },
    };
    let too_deep = encode_actions(&[create(program.clone())]);
    assert_eq!(
        decode_actions(&too_deep),
        Err(WireError::Invalid("program nesting"))
    );
    let deepest = program.forks[0].clone();
    assert!(decode_actions(&encode_actions(&[create(deepest)])).is_ok());
}

#[test]
fn the_catalog_lists_every_scenario_by_id_and_title_and_refuses_scenarios() {
    let scenarios = Scenario::all().unwrap();
    let catalog = encode_catalog(&scenarios);
    let listed = decode_catalog(&catalog).unwrap();
    let expected: Vec<Listing> = scenarios.iter().map(Scenario::listing).collect();
    assert_eq!(listed, expected);
    // Each layout is told from the other by its magic, so a catalog fetched where a scenario
    // was expected is refused, not misread.
    assert_eq!(decode_scenarios(&catalog), Err(WireError::NotThisVersion));
    let one = encode_scenarios(&scenarios[..1]);
    assert_eq!(decode_catalog(&one), Err(WireError::NotThisVersion));
    assert_eq!(
        decode_catalog(&catalog[..catalog.len() - 1]),
        Err(WireError::Truncated)
    );
}

/// A link's bytes come from anywhere, and a fetched scenario from whatever the server sent:
/// whatever they are, reading them ends in a value or an error, never a panic.
#[cfg(not(target_arch = "wasm32"))]
mod hostile {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn any_bytes_read_as_actions_or_scenarios_end_in_a_value_or_an_error(
            body in proptest::collection::vec(any::<u8>(), 0..512),
        ) {
            let _ = decode_actions(&body);
            let _ = decode_scenarios(&body);
            let _ = decode_catalog(&body);
            // Past the magic too, where the layout's own checks are what stop them.
            for magic in [ACTIONS, SCENARIOS, CATALOG] {
                let mut bytes = magic.to_vec();
                bytes.extend_from_slice(&body);
                let _ = decode_actions(&bytes);
                let _ = decode_scenarios(&bytes);
                let _ = decode_catalog(&bytes);
            }
        }
    }
}
