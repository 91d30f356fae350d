//! `pauselab demo`: a guided scenario in the terminal — why a container whose pid 1 never waits
//! collects zombies, and how a pid 1 that ignores SIGCHLD (as pauselab's pause does) fixes it.

use std::io::{self, Write};

use pauselab_core::{Disposition, Event, NsKind, NsKinds, Outcome, Pid, Signal, World};

/// One step: what to say, and the events.
struct Step {
    says: &'static str,
    events: Vec<Event>,
}

fn steps() -> Vec<Step> {
    let pod = NsKinds::of(&[NsKind::Pid, NsKind::Net, NsKind::Ipc, NsKind::Uts]);
    let named = |pid: u32, child: u32, new: NsKinds, comm: &str| {
        vec![
            Event::Fork { pid: Pid(pid), new },
            Event::Exec {
                pid: Pid(child),
                comm: comm.into(),
            },
        ]
    };
    let fork = |pid, child, comm| named(pid, child, NsKinds::EMPTY, comm);
    let exit = |pid, code| {
        vec![Event::Exit {
            pid: Pid(pid),
            code,
        }]
    };
    let one = |event| vec![event];
    vec![
        Step { says: "The runtime's shim starts (host pid 2).", events: fork(1, 2, "containerd-shim") },
        Step { says: "It marks itself a child subreaper, as containerd's shims do (K13, K24).", events: one(Event::SetSubreaper { pid: Pid(2), on: true }) },
        Step { says: "It starts the app in new pid, net, ipc and uts namespaces: pid 1 inside (K6).", events: named(2, 3, pod, "app") },
        Step { says: "The app forks a worker (pid 2 inside)...", events: fork(3, 4, "worker") },
        Step { says: "...which forks a helper (pid 3 inside).", events: fork(4, 5, "helper") },
        Step { says: "The worker exits: its parent, the app, never waits, so it stays a zombie (K11).", events: exit(4, 0) },
        Step { says: "Its helper was reparented to the namespace's init, the app (K12, K13); now it exits too.", events: exit(5, 0) },
        Step { says: "The shim's SIGKILL would kill the app from outside (K17); instead the app learns to ignore SIGCHLD...", events: one(Event::Sigaction { pid: Pid(3), signal: Signal::SIGCHLD, action: Disposition::Ignore, nocldwait: false }) },
        Step { says: "...which spares it future zombies but not the ones it has (K15). One wait collects the first.", events: one(Event::Wait { pid: Pid(3), target: pauselab_core::WaitTarget::Any, nohang: true }) },
        Step { says: "The next child of an app that ignores SIGCHLD never becomes a zombie (K15).", events: fork(3, 6, "job") },
        Step { says: "It exits and is gone at once.", events: exit(6, 0) },
    ]
}

/// Plays the scenario to `out`.
pub fn run(out: &mut impl Write) -> io::Result<()> {
    let mut world = World::new();
    for (number, step) in steps().into_iter().enumerate() {
        writeln!(out, "\n── step {} ── {}", number + 1, step.says)?;
        for event in step.events {
            writeln!(out, "   {event}")?;
            match world.apply(event) {
                Ok(outcomes) => {
                    for outcome in &outcomes {
                        let rule = outcome
                            .rule()
                            .map(|r| format!("  [{r}]"))
                            .unwrap_or_default();
                        writeln!(out, "   → {outcome}{rule}")?;
                    }
                    if let Some(Outcome::BecameZombie { .. }) = outcomes.last() {
                        writeln!(out, "   zombies now: {:?}", world.zombies())?;
                    }
                }
                Err(error) => writeln!(out, "   ✗ refused: {error}")?,
            }
        }
        for line in world.to_string().lines() {
            writeln!(out, "   │ {line}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_of_the_demo_is_accepted_and_ends_without_zombies() {
        let mut world = World::new();
        let mut most_zombies = 0;
        for step in steps() {
            for event in step.events {
                world
                    .apply(event)
                    .unwrap_or_else(|e| panic!("{}: {e}", step.says));
            }
            most_zombies = most_zombies.max(world.zombies().len());
        }
        assert_eq!(most_zombies, 2, "the demo shows two zombies at its worst");
        assert_eq!(
            world.zombies(),
            [Pid(5)],
            "one zombie left for the app to wait for"
        );
    }
}
