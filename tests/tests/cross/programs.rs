//! K30: every program the scenarios name after a real one is run for real — as pid 1 of a fresh
//! pid namespace and as a process that is not init — and must show the masks the table says and
//! end (or not) as the model says, for each of HUP, INT, QUIT, TERM, USR1, USR2 and WINCH; as pid
//! 1 it must reap an orphan it adopts exactly when the model's does; a wrapper must exit with
//! its child's status. A difference fails with both rows.

use std::time::Duration;

use pauselab_core::pod::{ContainerRef, Measured, Node, PodSpec, Program, MEASURED};
use pauselab_core::Signal;
use pauselab_core::{Event, Outcome};
use pauselab_tests::programs::{nginx_conf, shell_code, Fate, Running};
use pauselab_tests::{is_root, pause::static_pause, require};

use nix::sys::signal::Signal as NixSignal;

/// The signals the table is checked with.
const SIGNALS: [Signal; 7] = [
    Signal::SIGHUP,
    Signal::SIGINT,
    Signal::SIGQUIT,
    Signal::SIGTERM,
    Signal::SIGUSR1,
    Signal::SIGUSR2,
    Signal::SIGWINCH,
];

/// How long a program that took a signal must sleep with nothing pending before it counts as
/// going on: the one window these checks need, since "nothing happens" has no event to wait for.
const QUIET: Duration = Duration::from_millis(300);

/// The command line a measured program runs with here.
fn argv(known: &Measured) -> Vec<String> {
    let mut argv: Vec<String> = known.argv.iter().map(|s| (*s).to_owned()).collect();
    match known.comm {
        "nginx" => argv[2] = nginx_conf().display().to_string(),
        "pause" => argv[0] = static_pause().display().to_string(),
        _ => {}
    }
    argv
}

/// The children the program's command line starts: the wrapped or scripted `sleep 1000`
/// (nginx's workers come from the table).
fn starts(known: &Measured) -> Vec<Program> {
    match known.comm {
        "pause" | "sleep" | "nginx" => Vec::new(),
        _ => vec![Program::named("sleep")],
    }
}

/// How many children it has once it has settled.
fn settled_children(known: &Measured) -> usize {
    starts(known).len() + usize::from(known.workers)
}

fn pod(name: &str, program: Program) -> PodSpec {
    let spec = serde_json::json!({"name": name, "containers": [{"name": "c", "program": program}]});
    serde_json::from_value(spec).expect("a pod spec")
}

/// The model's answer: the program as a container's pid 1 (`init`), or `kubectl exec`'d into a
/// container whose pid 1 is another program; then `signal` from the host.
fn model_fate(known: &Measured, init: bool, signal: Signal) -> Fate {
    let program = Program {
        forks: starts(known),
        ..Program::named(known.comm)
    };
    let mut node = Node::new();
    let id = ContainerRef::new("p", "c");
    let target = if init {
        node.create_pod(pod("p", program)).expect("the pod starts");
        node.container(&id).expect("its container").init
    } else {
        node.create_pod(pod("p", Program::named("holder")))
            .expect("the pod starts");
        node.exec_into(&id, &program).expect("kubectl exec")
    };
    let runtime = node.runtime();
    let outcomes = node
        .kernel(Event::Kill {
            pid: runtime,
            target,
            signal,
        })
        .expect("kill from the host");
    let ended = node.last_steps().iter().find_map(|step| match step {
        pauselab_core::pod::NodeStep::Kernel { outcomes, .. } => {
            outcomes.iter().find_map(|o| match o {
                Outcome::Exited { pid, status } if *pid == target => Some(status.shell_code()),
                _ => None,
            })
        }
        _ => None,
    });
    let _ = outcomes;
    ended.map_or(Fate::Alive, Fate::Exited)
}

/// Whether the model's program, as pid 1, leaves an adopted orphan a zombie.
fn model_leaves_orphan(known: &Measured) -> bool {
    let program = Program {
        forks: starts(known),
        ..Program::named(known.comm)
    };
    let mut node = Node::new();
    let id = ContainerRef::new("p", "c");
    node.create_pod(pod("p", program)).expect("the pod starts");
    let debug = node.exec_into(&id, &Program::named("sh")).expect("exec");
    let outcomes = node
        .kernel(Event::Fork {
            pid: debug,
            new: Default::default(),
        })
        .expect("fork");
    let orphan = outcomes
        .iter()
        .find_map(|o| match o {
            Outcome::Forked { child, .. } => Some(*child),
            _ => None,
        })
        .expect("a child");
    node.kernel(Event::Exit {
        pid: debug,
        code: 0,
    })
    .expect("the shell exits");
    node.kernel(Event::Exit {
        pid: orphan,
        code: 0,
    })
    .expect("the orphan exits");
    node.world().process(orphan).is_some()
}

fn nix_signal(signal: Signal) -> NixSignal {
    NixSignal::try_from(i32::from(signal.number())).expect("a Linux signal")
}

fn needs_programs() {
    require(is_root(), "root");
    for tool in [
        "unshare",
        "nsenter",
        "nginx",
        "dash",
        "bash",
        "busybox",
        "tini",
        "dumb-init",
        "catatonit",
    ] {
        require(pauselab_tests::pause::have(tool), tool);
    }
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_programs),
    ignore = "needs root, util-linux and the programs' Debian packages (nginx-light, tini, dumb-init, catatonit, busybox-static)"
)]
fn k30_real_programs_show_the_measured_masks_and_end_as_the_model_says() {
    needs_programs();
    let mut differences = Vec::new();
    for known in MEASURED {
        let argv = argv(known);
        for init in [true, false] {
            let place = if init { "pid 1" } else { "not init" };
            let mut seen = Vec::new();
            let mut said = Vec::new();
            for signal in SIGNALS {
                let mut real = Running::start(&argv, init);
                let masks = real.settled_masks(settled_children(known));
                // pauselab's pause blocks INT and TERM and ignores SIGCHLD where pause.c has
                // handlers: the same answers, other masks (README, K20).
                if known.comm != "pause" {
                    let table = (known.blocked, known.ignored, known.caught);
                    let found = (masks.blocked, masks.ignored, masks.caught);
                    // tini sleeps in sigtimedwait, which unblocks what it waits for.
                    if found != table {
                        differences.push(format!(
                            "{} ({place}): table SigBlk/SigIgn/SigCgt {:08x}/{:08x}/{:08x}, /proc {:08x}/{:08x}/{:08x}",
                            known.comm, table.0, table.1, table.2, found.0, found.1, found.2
                        ));
                    }
                }
                real.signal(nix_signal(signal));
                seen.push((signal.name(), real.fate(QUIET)));
                said.push((signal.name(), model_fate(known, init, signal)));
            }
            if seen != said {
                differences.push(format!(
                    "{} ({place}):\n  real:  {seen:?}\n  model: {said:?}",
                    known.comm
                ));
            }
        }
        let real = Running::start(&argv, true);
        real.settled_masks(settled_children(known));
        let (left, said) = (
            real.orphan_left_as_zombie(QUIET),
            model_leaves_orphan(known),
        );
        if left != said {
            differences.push(format!(
                "{} (pid 1) and an adopted orphan: real leaves a zombie: {left}, model: {said}",
                known.comm
            ));
        }
    }
    differences.dedup();
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_programs),
    ignore = "needs root, util-linux and tini, dumb-init, catatonit"
)]
fn k30_a_wrapper_exits_with_its_childs_status_when_the_child_exits() {
    needs_programs();
    for wrapper in MEASURED.iter().filter(|known| known.forwards) {
        let mut argv: Vec<String> = wrapper.argv.iter().map(|s| (*s).to_owned()).collect();
        let at = argv
            .iter()
            .position(|a| a == "sleep")
            .expect("the wrapped command");
        argv.truncate(at);
        argv.extend(["dash", "-c", "exit 3"].map(String::from));
        let mut unshare = std::process::Command::new("unshare");
        let status = unshare
            .args(["-p", "-f", "--mount-proc", "--kill-child", "--"])
            .args(&argv)
            .status()
            .expect("unshare runs");
        let real = shell_code(status);
        // The model: the wrapper as pid 1, its child exits 3.
        let mut node = Node::new();
        let program = Program {
            forks: vec![Program::named("sh")],
            ..Program::named(wrapper.comm)
        };
        node.create_pod(pod("p", program)).expect("the pod starts");
        let id = ContainerRef::new("p", "c");
        let init = node.container(&id).expect("container").init;
        let child = node
            .world()
            .process(init)
            .and_then(|p| p.children().next())
            .expect("its child");
        node.kernel(Event::Exit {
            pid: child,
            code: 3,
        })
        .expect("the child exits");
        let said = node
            .container(&id)
            .and_then(|c| c.exit)
            .map(|s| s.shell_code());
        assert_eq!(
            Some(real),
            said,
            "{}: real exit {real}, model {said:?}",
            wrapper.comm
        );
        assert_eq!(real, 3, "{}", wrapper.comm);
    }
}

/// What became of a master's workers after a signal: how many live ones, and whether each is a
/// new process.
#[derive(Debug, PartialEq, Eq)]
struct Workers {
    count: usize,
    all_new: bool,
}

/// The model's nginx as a container's pid 1, after `signal` from the node to `whom` (its
/// worker, or itself).
fn model_workers(to_worker: bool, signal: Signal) -> Workers {
    let mut node = Node::new();
    node.create_pod(pod("p", Program::named("nginx")))
        .expect("the pod starts");
    let master = node
        .container(&ContainerRef::new("p", "c"))
        .expect("container")
        .init;
    let workers = |node: &Node| -> Vec<pauselab_core::Pid> {
        let master = node.world().process(master).expect("the master");
        master
            .children()
            .filter(|pid| node.world().is_alive(*pid))
            .collect()
    };
    let before = workers(&node);
    let target = if to_worker { before[0] } else { master };
    node.kill_from_node(target, signal).expect("kill");
    let after = workers(&node);
    Workers {
        count: after.len(),
        all_new: after.iter().all(|pid| !before.contains(pid)),
    }
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_programs),
    ignore = "needs root, util-linux and nginx-light"
)]
fn k30_nginx_workers_keep_the_masters_code_and_are_replaced_as_the_model_says() {
    needs_programs();
    let nginx = Measured::find("nginx").expect("nginx is in the table");
    let argv = argv(nginx);
    let mut differences = Vec::new();
    // A fork without exec: the worker is called nginx and has the master's handlers.
    let real = Running::start(&argv, true);
    real.settled_masks(settled_children(nginx));
    let workers = pauselab_tests::proc::children(real.pid);
    assert_eq!(workers.len(), usize::from(nginx.workers), "{workers:?}");
    for &worker in &workers {
        let masks = pauselab_tests::programs::masks(worker).expect("the worker's masks");
        let found = (masks.ignored, masks.caught);
        if found != (nginx.ignored, nginx.caught) {
            differences.push(format!(
                "nginx's worker: table SigIgn/SigCgt {:08x}/{:08x}, /proc {:08x}/{:08x}",
                nginx.ignored, nginx.caught, found.0, found.1
            ));
        }
        let comm = pauselab_tests::proc::comm(worker);
        if comm.as_deref() != Some("nginx") {
            differences.push(format!("nginx's worker is called {comm:?}"));
        }
    }
    drop(real);
    // SIGKILL or SIGQUIT to the worker: a new one; SIGHUP to the master: new workers, the old
    // ones gone. Both checked once the master is asleep with the count it settles on.
    for (to_worker, signal) in [
        (true, Signal::SIGKILL),
        (true, Signal::SIGQUIT),
        (false, Signal::SIGHUP),
    ] {
        let real = Running::start(&argv, true);
        real.settled_masks(settled_children(nginx));
        let before = pauselab_tests::proc::children(real.pid);
        let target = if to_worker { before[0] } else { real.pid };
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(target as i32),
            nix_signal(signal),
        )
        .expect("kill");
        let after = pauselab_tests::programs::wait_for("the workers to change", || {
            let now = pauselab_tests::proc::children(real.pid);
            let live: Vec<u32> = now
                .into_iter()
                .filter(|pid| !matches!(pauselab_tests::proc::state(*pid), None | Some('Z')))
                .collect();
            let changed = !live.is_empty() && live.iter().all(|pid| !before.contains(pid));
            let gone = !before
                .iter()
                .any(|pid| pauselab_tests::proc::children(real.pid).contains(pid));
            (changed && gone).then_some(live)
        });
        let seen = Workers {
            count: after.len(),
            all_new: true,
        };
        let said = model_workers(to_worker, signal);
        if seen != said {
            let whom = if to_worker {
                "its worker"
            } else {
                "the master"
            };
            differences.push(format!(
                "nginx, {} to {whom}: real {seen:?}, model {said:?}",
                signal.name()
            ));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
