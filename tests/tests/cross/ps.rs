//! `pauselab ps --json` on a live tree: what /proc shows loads into the model, pid for pid.

use std::process::Command;
use std::time::Duration;

use pauselab_core::{Document, ExitStatus, NsKind, Pid, ProcState, World};
use pauselab_tests::pause::{have, pauselab_cli, static_pause, wait_for, PidOne};
use pauselab_tests::{is_root, proc, require};

fn ps(args: &[&str]) -> World {
    let out = Command::new(pauselab_cli())
        .arg("ps")
        .args(args)
        .output()
        .expect("pauselab runs");
    assert!(
        out.status.success(),
        "pauselab ps {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let Document::Snapshot(snapshot) =
        Document::from_json(&String::from_utf8_lossy(&out.stdout)).expect("a snapshot")
    else {
        panic!("ps --json wrote a trace")
    };
    World::from_snapshot(&snapshot).expect("it loads")
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn ps_json_of_a_pid_namespace_loads_into_the_model_with_its_zombie() {
    require(is_root(), "root");
    require(have("unshare"), "util-linux unshare");
    // pause (pid 1) runs sh, which execs sleep; sleep's child exits 3 and is never waited for.
    let init = PidOne::start(
        static_pause(),
        &["--", "sh", "-c", "(sleep 0.1; exit 3) & exec sleep 100"],
    );
    let zombie = wait_for(Duration::from_secs(10), || {
        proc::children(init.pid)
            .into_iter()
            .flat_map(proc::children)
            .find(|c| proc::state(*c) == Some('Z'))
    })
    .expect("a zombie appears");
    let world = ps(&["--pid", &init.pid.to_string(), "--json"]);
    assert_eq!(world.len(), 3, "{world}");
    let own: Vec<u32> = world
        .processes()
        .iter()
        .map(|p| *p.nspid().last().unwrap())
        .collect();
    assert_eq!(
        own,
        [1, 2, 3],
        "pids inside the fresh namespace are exact (K8)"
    );
    let zombie = world.process(Pid(zombie)).expect("the zombie is listed");
    assert_eq!(zombie.state(), ProcState::Zombie(ExitStatus::Exited(3)));
    assert_eq!(zombie.nspid()[1], 3);
    let pause = world.process(Pid(init.pid)).unwrap();
    assert!(pause.is_init());
    assert_eq!(
        pause.parent(),
        Pid(0),
        "its parent is outside what was asked for"
    );

    // The same processes by namespace.
    let ns = proc::ns(init.pid, "pid").expect("readable as root");
    let by_ns = ps(&["--ns", &ns, "--json"]);
    assert_eq!(by_ns.len(), 3);
    let pid_ns = pause.namespaces().get(NsKind::Pid);
    assert_eq!(by_ns.ps(pid_ns).map(|rows| rows.len()), Some(3));
}

#[test]
fn ps_refuses_a_bad_namespace_and_a_missing_pid() {
    let out = Command::new(pauselab_cli())
        .args(["ps", "--ns", "net:[x]"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a pid namespace"));
    let out = Command::new(pauselab_cli())
        .args(["ps", "--pid", "4194303"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no process 4194303"));
    // A well-formed namespace that nothing is in is not there: it says so.
    for missing in ["pid:[0]", "pid:[12345]"] {
        let out = Command::new(pauselab_cli())
            .args(["ps", "--ns", missing, "--json"])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("no pid namespace {missing} here")),
            "{stderr}"
        );
    }
}
