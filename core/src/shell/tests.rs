//! The terminal on a node of the model: what each command prints, as the real tools print it
//! (measured on Debian 12: procps-ng 4.0.2, util-linux 2.38.1, dash 0.5.12, bash 5.2), and that
//! its effects, played, do what the kernel does.

use super::*;
use crate::pod::{ContainerRef, ContainerSpec, Flavor, IpcMode, PodSpec, Program};
use crate::scenario::{Player, ScenarioStep};

/// A containerd pod `web` with one container `app`, and a shell exec'd into it (or, with
/// `share`, into a pod that shares its pid namespace).
fn pod(share: bool) -> Player {
    let spec = PodSpec {
        name: "web".into(),
        containers: vec![ContainerSpec {
            name: "app".into(),
            program: Program::named("app"),
        }],
        share_process_namespace: share,
        host_network: false,
        host_pid: false,
        host_ipc: false,
        flavor: Flavor::Containerd,
        pause_ipc: IpcMode::shareable(),
    };
    let mut player = Player::new();
    let step = ScenarioStep {
        say: crate::scenario::Text {
            en: "s".into(),
            ko: "s".into(),
        },
        actions: vec![
            Action::CreatePod { pod: spec },
            Action::Exec {
                container: ContainerRef::new("web", "app"),
                name: "you".into(),
                comm: "sh".into(),
            },
        ],
        expect: Vec::new(),
    };
    player.perform(&step).unwrap();
    assert!(player.refused.is_none());
    player
}

/// The terminal on the exec'd shell, which has set up its signals as an interactive shell does.
fn terminal(player: &mut Player) -> Terminal {
    let shell = player.pid(&Label::Named("you".into())).unwrap();
    let terminal = Terminal::new(shell, "sh", Language::English);
    for action in terminal.opening() {
        assert_eq!(player.perform_action(&action).unwrap(), None, "{action:?}");
    }
    terminal
}

/// Types `line` and plays its effects, as the page does (what the line started is not kept:
/// the player's own lines keep it).
fn typed(player: &mut Player, terminal: &mut Terminal, line: &str) -> Typed {
    let typed = terminal
        .run(player.node(), &Started::default(), line)
        .unwrap();
    for action in &typed.actions {
        assert_eq!(
            player.perform_action(action).unwrap(),
            None,
            "{line}: {action:?}"
        );
    }
    typed
}

#[test]
fn ps_ef_in_a_container_shows_its_own_pid_namespace_with_procps_columns() {
    let mut player = pod(false);
    let mut sh = terminal(&mut player);
    let out = typed(&mut player, &mut sh, "ps -ef").output;
    // The model's pid_max is the kernel's 4,194,304: seven digits wide. The app is pid 1, the
    // exec'd shell's parent is outside the namespace (K10), and ps lists itself.
    assert_eq!(
        out,
        "UID          PID    PPID  C STIME TTY          TIME CMD\n\
         root           1       0  0 00:00 ?        00:00:00 app\n\
         root           2       0  0 00:00 pts/0    00:00:00 sh\n\
         root           3       2  0 00:00 pts/0    00:00:00 ps -ef\n"
    );
    let out = typed(&mut player, &mut sh, "ps -e -o pid,ppid,stat,comm").output;
    assert_eq!(
        out,
        "    PID    PPID STAT COMMAND\n      1       0 S    app\n      2       0 S    sh\n      4       2 R+   ps\n"
    );
}

// K17: kill -9 1 inside the container is dropped; K13: with a shared pid namespace, pause is
// pid 1 and ps shows it.
#[test]
fn k17_kill_9_1_inside_does_nothing_and_k13_a_shared_namespace_shows_pause() {
    let mut player = pod(false);
    let mut sh = terminal(&mut player);
    let app = player
        .pid(&Label::Container(ContainerRef::new("web", "app")))
        .unwrap();
    let kill = typed(&mut player, &mut sh, "kill -9 1");
    assert_eq!((kill.output.as_str(), kill.status), ("", 0));
    assert!(player
        .node()
        .world()
        .process(app)
        .unwrap()
        .state()
        .is_alive());

    let mut player = pod(true);
    let mut sh = terminal(&mut player);
    let out = typed(&mut player, &mut sh, "ps -e -o pid,comm").output;
    assert!(out.starts_with("    PID COMMAND\n      1 pause\n"), "{out}");
    // Its arguments are the image's entrypoint, as a real pod's `ps -ef` shows them.
    let out = typed(&mut player, &mut sh, "ps -ef").output;
    assert!(
        out.lines()
            .nth(1)
            .is_some_and(|row| row.ends_with(" ?        00:00:00 /pause")),
        "{out}"
    );
}

#[test]
fn a_command_not_found_is_127_worded_by_each_shell_and_echo_reads_it() {
    let mut player = pod(false);
    let mut sh = terminal(&mut player);
    typed(&mut player, &mut sh, "true");
    let missing = typed(&mut player, &mut sh, "nginx-debug -v");
    assert_eq!(
        (missing.output.as_str(), missing.status),
        ("sh: 2: nginx-debug: not found\n", 127)
    );
    assert_eq!(typed(&mut player, &mut sh, "echo $?").output, "127\n");
    assert_eq!(typed(&mut player, &mut sh, "echo $?").output, "0\n");

    let mut bash = Terminal::new(sh.shell(), "bash", Language::English);
    let missing = bash.run(player.node(), &Started::default(), "foo").unwrap();
    assert_eq!(missing.output, "bash: foo: command not found\n");
}

#[test]
fn kill_words_its_errors_as_dash_and_bash_do() {
    let mut player = pod(false);
    let mut sh = terminal(&mut player);
    let node = player.node();
    let none = sh.run(node, &Started::default(), "kill -9 999").unwrap();
    assert_eq!(
        (none.output.as_str(), none.status),
        ("sh: 1: kill: No such process\n\n", 1)
    );
    assert!(none.actions.is_empty());
    let bad = sh.run(node, &Started::default(), "kill -s FOO 1").unwrap();
    assert_eq!(
        (bad.output.as_str(), bad.status),
        ("sh: 2: kill: invalid signal number or name: FOO\n", 2)
    );
    let mut bash = Terminal::new(sh.shell(), "bash", Language::English);
    let none = bash.run(node, &Started::default(), "kill -9 999").unwrap();
    assert_eq!(
        (none.output.as_str(), none.status),
        ("bash: kill: (999) - No such process\n", 1)
    );
    let bad = bash
        .run(node, &Started::default(), "kill -s FOO 1")
        .unwrap();
    assert_eq!(
        (bad.output.as_str(), bad.status),
        ("bash: kill: FOO: invalid signal specification\n", 1)
    );
    // A signal by number, by name and with -s: each a Kill from the shell.
    for line in [
        "kill -15 1",
        "kill -TERM 1",
        "kill -SIGTERM 1",
        "kill -s TERM 1",
        "kill 1",
    ] {
        let typed = sh.run(node, &Started::default(), line).unwrap();
        assert_eq!(
            typed.actions,
            vec![Action::Kill {
                from: Label::HostPid(sh.shell()),
                target: 1,
                signal: Signal::SIGTERM
            }],
            "{line}"
        );
    }
}

#[test]
fn proc_status_and_namespace_links_read_as_the_kernel_writes_them() {
    let mut player = pod(false);
    let mut sh = terminal(&mut player);
    let world = player.node().world();
    let app = world
        .process(
            player
                .pid(&Label::Container(ContainerRef::new("web", "app")))
                .unwrap(),
        )
        .unwrap();
    let net = app.namespaces().get(NsKind::Net).0;
    let status = typed(&mut player, &mut sh, "cat /proc/1/status").output;
    assert!(
        status.starts_with("Name:\tapp\nState:\tS (sleeping)\nTgid:\t1\nPid:\t1\nPPid:\t0\nNSpid:\t1\nSigBlk:\t0000000000000000\n"),
        "{status}"
    );
    assert_eq!(
        typed(&mut player, &mut sh, "readlink /proc/1/ns/net").output,
        format!("net:[{net}]\n")
    );
    let ls = typed(&mut player, &mut sh, "ls -l /proc/1/ns").output;
    assert!(
        ls.starts_with("total 0\nlrwxrwxrwx 1 root root 0 Jan  1 00:00 cgroup -> 'cgroup:["),
        "{ls}"
    );
    assert!(ls.contains(&format!(" net -> 'net:[{net}]'\n")), "{ls}");
    assert_eq!(ls.lines().count(), 11);
    let missing = typed(&mut player, &mut sh, "cat /proc/99/status");
    assert_eq!(
        (missing.output.as_str(), missing.status),
        ("cat: /proc/99/status: No such file or directory\n", 1)
    );
    let other = typed(&mut player, &mut sh, "cat /etc/hostname");
    assert!(other
        .output
        .starts_with("pauselab: the model has no file /etc/hostname"));
}

#[test]
fn lsns_lists_the_namespaces_of_the_processes_in_view() {
    let mut player = pod(false);
    let mut sh = terminal(&mut player);
    let out = typed(&mut player, &mut sh, "lsns -t pid").output;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].ends_with("NS TYPE NPROCS PID USER COMMAND"),
        "{out}"
    );
    assert!(lines[1].ends_with(" pid       3   1 root app"), "{out}");
    let bad = typed(&mut player, &mut sh, "lsns -t foo");
    assert_eq!(
        (bad.output.as_str(), bad.status),
        ("lsns: unknown namespace type: foo\n", 1)
    );
}

#[test]
fn a_background_job_is_forked_by_the_shell_which_reaps_it_when_it_ends() {
    let mut player = pod(false);
    let mut sh = terminal(&mut player);
    typed(&mut player, &mut sh, "sleep 1000 &");
    let out = typed(&mut player, &mut sh, "ps -e -o pid,ppid,comm").output;
    assert!(out.contains("      3       2 sleep\n"), "{out}");
    // wait would block on a running job: refused, nothing changes.
    let before = sh.clone();
    assert_eq!(
        sh.run(player.node(), &Started::default(), "wait"),
        Err(Refused::WouldBlock)
    );
    assert_eq!(sh, before);
    // dash waits for its children (K30's table), so the killed job leaves no zombie.
    typed(&mut player, &mut sh, "kill 3");
    let out = typed(&mut player, &mut sh, "ps -e -o pid,stat,comm").output;
    assert!(!out.contains("sleep"), "{out}");
    let wait = typed(&mut player, &mut sh, "wait");
    assert_eq!((wait.status, wait.actions.len()), (0, 0));
    // A foreground program runs to its end and is reaped: the pids move on.
    typed(&mut player, &mut sh, "sleep 1");
    let out = typed(&mut player, &mut sh, "ps -e -o pid,comm").output;
    assert!(out.ends_with("      7 ps\n"), "{out}");
}

#[test]
fn a_refused_line_changes_nothing() {
    let mut player = pod(false);
    let mut sh = terminal(&mut player);
    let before = sh.clone();
    for line in ["ps | grep app", "echo 'open", &"x".repeat(MAX_LINE + 1)] {
        assert!(
            matches!(
                sh.run(player.node(), &Started::default(), line),
                Err(Refused::Words(_))
            ),
            "{line}"
        );
        assert_eq!(sh, before);
    }
}

#[test]
fn exit_ends_the_shell_with_its_status() {
    let mut player = pod(false);
    let mut sh = terminal(&mut player);
    let exit = typed(&mut player, &mut sh, "exit 3");
    assert!(exit.exit);
    assert_eq!(exit.status, 3);
    assert_eq!(
        sh.run(player.node(), &Started::default(), "ps"),
        Err(Refused::NoShell)
    );
}

/// Typed lines are scenario actions: the player keeps each shell's terminal ($?, jobs) from
/// step to step, logs what each line printed, and plays its effects as kernel events.
#[test]
fn k17_typed_lines_are_actions_the_player_plays_and_logs() {
    let mut player = pod(false);
    let you = Label::Named("you".into());
    let app = player
        .pid(&Label::Container(ContainerRef::new("web", "app")))
        .unwrap();
    let typed = |player: &mut Player, line: &str| {
        let action = Action::Type {
            process: you.clone(),
            line: line.into(),
            effects: None,
        };
        assert_eq!(player.perform_action(&action).unwrap(), None, "{line}");
        player
            .last
            .iter()
            .find_map(|step| match step {
                crate::pod::NodeStep::Typed { said, .. } => Some(said.clone()),
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(typed(&mut player, "kill -9 1"), Ok((String::new(), 0)));
    // K17: the SIGKILL from inside was dropped, and the log says so.
    assert!(player.last.iter().any(|step| matches!(step,
        crate::pod::NodeStep::Kernel { outcomes, .. }
            if outcomes.iter().any(|o| o.rule() == Some(crate::Rule::K17)))));
    assert!(player
        .node()
        .world()
        .process(app)
        .unwrap()
        .state()
        .is_alive());
    assert_eq!(
        typed(&mut player, "nope"),
        Ok(("sh: 2: nope: not found\n".into(), 127))
    );
    // The terminal remembers $? from the step before.
    assert_eq!(typed(&mut player, "echo $?"), Ok(("127\n".into(), 0)));
    // A line the terminal refuses is logged with why, and changes nothing else.
    let before = player.node().world().clone();
    assert!(matches!(
        typed(&mut player, "ps | wc -l"),
        Err(Refused::Words(_))
    ));
    assert_eq!(player.node().world(), &before);
    // The interactive shell ignores SIGTERM: `kill` of itself does nothing.
    let shell = player.pid(&you).unwrap();
    let own = player
        .node()
        .world()
        .pid_in(
            player
                .node()
                .world()
                .process(shell)
                .unwrap()
                .namespaces()
                .get(NsKind::Pid),
            shell,
        )
        .unwrap();
    assert_eq!(
        typed(&mut player, &format!("kill {}", own.0)),
        Ok((String::new(), 0))
    );
    assert!(player
        .node()
        .world()
        .process(shell)
        .unwrap()
        .state()
        .is_alive());
}

/// A typed line is all or nothing: a first line the terminal refuses leaves even the shell's
/// signals as they were, and only a valid `sleep N &` leaves a job behind.
#[test]
fn a_refused_typed_line_leaves_the_node_as_it_was() {
    let mut player = pod(false);
    let before = player.node().world().clone();
    let action = Action::Type {
        process: Label::Named("you".into()),
        line: "ps | wc -l".into(),
        effects: None,
    };
    assert_eq!(player.perform_action(&action).unwrap(), None);
    assert_eq!(player.node().world(), &before);
    assert!(player.last.iter().any(|step| matches!(
        step,
        crate::pod::NodeStep::Typed {
            said: Err(Refused::Words(_)),
            ..
        }
    )));
    let mut sh = terminal(&mut player);
    for line in ["echo hi &", "sleep 0 &", "nope &"] {
        typed(&mut player, &mut sh, line);
    }
    let out = typed(&mut player, &mut sh, "ps -e -o pid,comm").output;
    assert_eq!(
        out.lines().count(),
        4,
        "app, sh, ps and nothing else:\n{out}"
    );
}
