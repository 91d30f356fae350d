//! K30: nginx's master forks its worker, stops by passing the signal on and waiting for it, and
//! replaces a worker that died — as `tests/cross/programs.rs` measures on the real nginx.

use pauselab_core::pod::{ContainerRef, Node, NodeStep, Program};
use pauselab_core::{Outcome, Pid, Signal};

use super::pod;

fn nginx() -> (Node, ContainerRef, Pid) {
    let mut node = Node::new();
    let mut spec = pod("web", &["nginx"]);
    spec.containers[0].program = Program::named("nginx");
    node.create_pod(spec).unwrap();
    let id = ContainerRef::new("web", "nginx");
    let master = node.container(&id).unwrap().init;
    (node, id, master)
}

fn children(node: &Node, pid: Pid) -> Vec<Pid> {
    let process = node.world().process(pid).unwrap();
    process
        .children()
        .filter(|child| node.world().is_alive(*child))
        .collect()
}

fn outcomes(node: &Node) -> Vec<Outcome> {
    node.last_steps()
        .iter()
        .flat_map(|step| match step {
            NodeStep::Kernel { outcomes, .. } => outcomes.clone(),
            NodeStep::Runtime { .. } | NodeStep::Typed { .. } => Vec::new(),
        })
        .collect()
}

#[test]
fn k30_nginx_starts_one_worker_running_its_code() {
    let (node, id, master) = nginx();
    let workers = children(&node, master);
    assert_eq!(workers.len(), 1, "worker_processes 1");
    let worker = node.world().process(workers[0]).unwrap();
    assert_eq!(worker.comm(), "nginx", "a fork without exec keeps the name");
    let names: Vec<String> = node
        .ps_in(&id)
        .unwrap()
        .into_iter()
        .map(|row| format!("{} {}", row.pid, row.comm))
        .collect();
    assert_eq!(names, ["1 nginx", "2 nginx"]);
}

#[test]
fn k30_a_stopped_nginx_waits_for_its_worker_then_exits_0() {
    let (mut node, id, master) = nginx();
    let worker = children(&node, master)[0];
    node.stop_container(&id).unwrap();
    let said = outcomes(&node);
    let position = |wanted: &dyn Fn(&Outcome) -> bool| said.iter().position(wanted);
    let quit_to_worker = position(&|o| {
        matches!(o, Outcome::SignalDelivered { from, to, signal: Signal::SIGQUIT, .. }
            if *from == master && *to == worker)
    });
    let worker_reaped = position(
        &|o| matches!(o, Outcome::Reaped { pid, by, .. } if *pid == worker && *by == master),
    );
    let master_exited = position(&|o| matches!(o, Outcome::Exited { pid, .. } if *pid == master));
    assert!(
        quit_to_worker.is_some(),
        "the master passes SIGQUIT on: {said:#?}"
    );
    assert!(
        worker_reaped > quit_to_worker && master_exited > worker_reaped,
        "{said:#?}"
    );
    let exit = node.container(&id).unwrap().exit.unwrap();
    assert_eq!(exit.shell_code(), 0);
}

#[test]
fn k30_a_worker_killed_from_the_node_is_replaced() {
    let (mut node, _, master) = nginx();
    let worker = children(&node, master)[0];
    node.kill_from_node(worker, Signal::SIGKILL).unwrap();
    let now = children(&node, master);
    assert_eq!(now.len(), 1, "one worker again");
    assert_ne!(now[0], worker, "a new process");
    assert!(
        node.world().process(worker).is_none(),
        "the dead one was reaped"
    );
    assert!(node.world().is_alive(master));
}

#[test]
fn k30_sighup_replaces_the_worker_and_the_old_one_finishes() {
    let (mut node, _, master) = nginx();
    let old = children(&node, master)[0];
    node.kill_from_node(master, Signal::SIGHUP).unwrap();
    let now = children(&node, master);
    assert_eq!(now.len(), 1, "one worker, the new one: {now:?}");
    assert_ne!(now[0], old);
    assert!(
        node.world().process(old).is_none(),
        "the old worker finished and was reaped"
    );
    assert!(node.world().is_alive(master));
}
