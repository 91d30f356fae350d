//! The scenarios on a real containerd, driven through CRI the way kubelet drives it, with
//! pauselab's pause as the sandbox image: after every action the real node must look like the
//! model — who shares which namespace, `ps` in each container, exit codes, pod IPs (K20–K28).

use pauselab_core::scenario::{Action, Player, Scenario};
use pauselab_tests::runtimes::kubelet::RealNode;
use pauselab_tests::runtimes::lockstep::{play, Played};

use crate::engines::{containerd as engine, release_containerd as release, Engine};

/// Plays every step of a scenario on both; returns how far it got, or the disagreement.
fn compare_scenario(engine: &Engine, scenario: &Scenario) -> Result<String, String> {
    let mut real = RealNode::new(
        &engine.cri,
        &engine.containerd,
        &format!("s-{}", scenario.id),
    );
    let mut player = Player::new();
    let mut compared = 0;
    for (index, step) in scenario.steps.iter().enumerate() {
        for action in &step.actions {
            let context = format!("scenario {} step {} ({action:?})", scenario.id, index + 1);
            match play(&mut player, &mut real, action) {
                Ok(Played::Agreed) | Ok(Played::ModelRefused(_)) => compared += 1,
                Ok(Played::BothRefused { model, real }) => {
                    eprintln!("{context}: both refused — model: {model}; runtime: {real}");
                    compared += 1;
                }
                Ok(Played::Unsupported(why)) => {
                    real.clear()
                        .map_err(|e| format!("{context}: cleaning up: {e}"))?;
                    return Ok(format!("{compared} actions compared, then stopped: {why}"));
                }
                Err(disagreement) => {
                    let _ = real.clear();
                    return Err(format!("{context}: {}", disagreement.0));
                }
            }
        }
    }
    real.clear().map_err(|e| format!("cleaning up: {e}"))?;
    Ok(format!("all {compared} actions compared"))
}

/// The scenario with every pod's shareProcessNamespace turned the other way (where hostPID
/// does not forbid it): what a reader trying a challenge does.
fn flipped(scenario: &Scenario) -> Scenario {
    let mut flipped = scenario.clone();
    flipped.id = format!("{}+flipped", scenario.id);
    for step in &mut flipped.steps {
        for action in &mut step.actions {
            if let Action::CreatePod { pod } = action {
                if !pod.host_pid {
                    pod.share_process_namespace = !pod.share_process_namespace;
                }
            }
        }
    }
    flipped
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_containerd),
    ignore = "needs root and containerd"
)]
fn k24_k28_every_scenario_plays_the_same_on_containerd_through_cri() {
    let engine = engine();
    let scenarios = Scenario::all().expect("the scenarios load");
    let mut failures = Vec::new();
    for scenario in scenarios.iter().flat_map(|s| [s.clone(), flipped(s)]) {
        match compare_scenario(&engine, &scenario) {
            Ok(summary) => eprintln!("{}: {summary}", scenario.id),
            Err(why) => failures.push(why),
        }
    }
    release(engine);
    assert!(
        failures.is_empty(),
        "the model and containerd disagree:\n\n{}",
        failures.join("\n\n")
    );
}

/// How many random pods and sequences each run plays.
const RANDOM_RUNS: u64 = 24;
/// Operations per sequence.
const RANDOM_STEPS: usize = 6;

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_containerd),
    ignore = "needs root and containerd"
)]
fn k20_k28_random_pods_and_operations_play_the_same_on_containerd() {
    use pauselab_tests::fuzz::Rng;
    use pauselab_tests::runtimes::random::{next_action, pod_spec};

    // A new seed each run (more ground covered over time), printed so a failure replays with
    // PAUSELAB_SEED=N.
    let seed = std::env::var("PAUSELAB_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_secs())
        });
    eprintln!("random pods: PAUSELAB_SEED={seed}");
    let engine = engine();
    let mut failures = Vec::new();
    for run in 0..RANDOM_RUNS {
        let mut rng = Rng::new(seed.wrapping_mul(1_000).wrapping_add(run));
        let spec = pod_spec(&mut rng);
        let mut real = RealNode::new(&engine.cri, &engine.containerd, &format!("r{run}"));
        let mut player = Player::new();
        let mut named = Vec::new();
        let mut counter = 0;
        let mut actions = vec![Action::CreatePod { pod: spec.clone() }];
        let mut outcome = Ok(());
        for index in 0..=RANDOM_STEPS {
            if index > 0 {
                let next = next_action(&mut rng, &player, &spec, &mut named, &mut counter);
                actions.push(next);
            }
            let action = actions.last().cloned().expect("one action at least");
            match play(&mut player, &mut real, &action) {
                Ok(Played::Unsupported(why)) => {
                    outcome = Err(format!("unsupported: {why}"));
                    break;
                }
                Ok(_) => {}
                Err(disagreement) => {
                    outcome = Err(disagreement.0);
                    break;
                }
            }
        }
        let cleaned = real.clear();
        if let Err(why) = outcome.and(cleaned.map_err(|e| format!("cleaning up: {e}"))) {
            failures.push(format!(
                "run {run} (PAUSELAB_SEED={seed}): {spec:?}\nactions: {actions:#?}\n{why}"
            ));
        }
    }
    release(engine);
    assert!(
        failures.is_empty(),
        "the model and containerd disagree:\n\n{}",
        failures.join("\n\n")
    );
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_containerd),
    ignore = "needs root and containerd"
)]
fn k24_ps_json_labels_a_real_pods_processes_with_its_pod_and_containers() {
    use pauselab_core::format::{ContainerLabel, Engine as Runtime};
    use pauselab_core::Document;

    let engine = engine();
    let (json, shim_parent) = crate::engines::two_container_pod_snapshot(&engine, "labels");
    release(engine);
    // The shim's parent is the node's init: `containerd-shim-runc-v2 start` forked it and
    // exited, as the model has it.
    assert_eq!(shim_parent, 1, "the shim was handed to init");
    let Ok(Document::Snapshot(snapshot)) = Document::from_json(&json) else {
        panic!("pauselab ps --json wrote something the model does not open: {json}");
    };
    let mut seen: Vec<(String, String, String)> = snapshot
        .processes
        .iter()
        .map(|p| {
            let label = p
                .container
                .as_ref()
                .map_or(String::from("-"), |l: &ContainerLabel| {
                    assert_eq!(l.engine, Runtime::Containerd);
                    assert_eq!(l.id.len(), 64, "a container id: {l:?}");
                    format!("{}/{}", l.pod, l.container)
                });
            (p.comm.clone(), label, format!("{}", p.nspid.len()))
        })
        .collect();
    seen.sort();
    let expected = [
        ("app", "web/app", "2"),
        ("containerd-shim", "-", "1"),
        ("pause", "web/POD", "2"),
        ("sidecar", "web/sidecar", "2"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| ((*a).into(), (*b).into(), (*c).into()))
        .collect();
    assert_eq!(seen, expected, "{json}");
}
