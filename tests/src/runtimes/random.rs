//! Random pods and operation sequences for the model-against-containerd comparison. Like a
//! state-machine test, each operation is drawn from the model's current state (only living
//! processes fork, exit or are killed; only existing containers are exec'd into), so that the
//! sequence means something on both. Reproducible from its seed.

use pauselab_core::pod::{ContainerRef, ContainerSpec, Flavor, IpcMode, PodSpec, Program};
use pauselab_core::scenario::{Action, Label, Player};
use pauselab_core::{NsKinds, Signal};

use crate::fuzz::Rng;

/// The pod every sequence works on.
pub const POD: &str = "rnd";

fn chance(rng: &mut Rng, one_in: usize) -> bool {
    rng.below(one_in) == 0
}

fn program(rng: &mut Rng, comm: &str) -> Program {
    Program {
        comm: comm.to_owned(),
        reaps: chance(rng, 3),
        exits_on: if chance(rng, 3) {
            vec![Signal::SIGTERM]
        } else {
            Vec::new()
        },
        ignores_sigchld: chance(rng, 6),
        subreaper: chance(rng, 5),
        // The puppet that plays these on containerd has no forwarding or other handlers.
        ..Program::named(comm)
    }
}

/// A pod spec: any pid mode (K25), host network or IPC now and then, one or two containers
/// whose programs reap, exit on SIGTERM, ignore SIGCHLD or are subreapers at random.
pub fn pod_spec(rng: &mut Rng) -> PodSpec {
    let (share_process_namespace, host_pid) = match rng.below(6) {
        0..=2 => (false, false),
        3 | 4 => (true, false),
        _ => (false, true),
    };
    let mut containers = vec![ContainerSpec {
        name: "app".into(),
        program: program(rng, "app"),
    }];
    if chance(rng, 2) {
        containers.push(ContainerSpec {
            name: "side".into(),
            program: program(rng, "side"),
        });
    }
    PodSpec {
        name: POD.into(),
        containers,
        share_process_namespace,
        host_network: chance(rng, 4),
        host_pid,
        host_ipc: chance(rng, 5),
        flavor: Flavor::Containerd,
        pause_ipc: IpcMode::Shareable,
    }
}

/// The processes an operation may act on: the containers' first processes and every process
/// a fork or exec named, that the model says are alive.
fn living(player: &Player, named: &[String], spec: &PodSpec) -> Vec<Label> {
    let world = player.node().world();
    spec.containers
        .iter()
        .map(|c| Label::Container(ContainerRef::new(POD, &c.name)))
        .chain(named.iter().map(|n| Label::Named(n.clone())))
        .filter(|label| player.pid(label).is_some_and(|pid| world.is_alive(pid)))
        .collect()
}

/// The next operation, drawn from the model's state. `counter` names new processes.
pub fn next_action(
    rng: &mut Rng,
    player: &Player,
    spec: &PodSpec,
    named: &mut Vec<String>,
    counter: &mut u32,
) -> Action {
    let alive = living(player, named, spec);
    let container = ContainerRef::new(POD, rng.pick(&spec.containers).name.clone());
    let host_pid = spec.host_pid;
    loop {
        let action = match rng.below(11) {
            0..=2 if !alive.is_empty() => {
                *counter += 1;
                let name = format!("p{counter}");
                named.push(name.clone());
                Action::Fork {
                    process: rng.pick(&alive).clone(),
                    name: name.clone(),
                    comm: Some(name),
                    new: NsKinds::EMPTY,
                }
            }
            3 | 4 if !alive.is_empty() => Action::Exit {
                process: rng.pick(&alive).clone(),
                code: rng.below(4) as u8,
            },
            // Only pid 1 is the same number on both (real pids have gaps, see `compare`),
            // and under hostPID it is the machine's init: never that.
            5 if !alive.is_empty() && !host_pid => Action::Kill {
                from: rng.pick(&alive).clone(),
                target: 1,
                signal: *rng.pick(&[Signal::SIGTERM, Signal::SIGKILL, Signal::SIGHUP]),
            },
            6 if !alive.is_empty() => Action::KillFromHost {
                process: rng.pick(&alive).clone(),
                signal: *rng.pick(&[Signal::SIGTERM, Signal::SIGKILL]),
            },
            7 => {
                *counter += 1;
                let name = format!("x{counter}");
                named.push(name.clone());
                Action::Exec {
                    container,
                    name,
                    comm: "sh".into(),
                }
            }
            8 => Action::ExecProbe { container },
            9 => Action::StopContainer { container },
            10 if chance(rng, 2) => Action::KillPause { pod: POD.into() },
            10 => Action::RestartContainer { container },
            _ => continue,
        };
        return action;
    }
}
