//! What `/proc/PID/cmdline` holds for the processes the node started from an image, which
//! `ps -f`'s CMD, `ps -o args` and lsns's COMMAND show: a real node's `ps -ef` shows pause as
//! `/pause` (the image's entrypoint), not `pause`, and nginx as the titles it gives itself.

use super::images;
use crate::pod::Node;
use crate::process::Pid;

/// nginx's image runs `nginx -g 'daemon off;'` (its entrypoint script execs its command).
const NGINX_COMMAND: &str = "nginx -g daemon off;";

/// The arguments a process of the node was started with, as `ps` joins them, when the node
/// knows them: pods' pause, the first process of a docker container (its image's command or
/// the one given, after an entrypoint that execs it) and of a pod's container of a known image,
/// and nginx's workers. `None` for the rest (the tools then show the command name).
pub(crate) fn cmdline(node: &Node, pid: Pid) -> Option<String> {
    let comm = || node.program(pid).map(|program| program.comm.as_str());
    if node.is_worker(pid) && comm() == Some("nginx") {
        // ngx_worker_process_init: ngx_setproctitle("worker process").
        return Some("nginx: worker process".into());
    }
    if node.pods().iter().any(|pod| pod.pause == pid) {
        return Some("/pause".into());
    }
    if let Some(container) = node
        .docker_containers()
        .iter()
        .find(|container| container.init == Some(pid))
    {
        let argv = images::first_process_argv(&container.run.image, &container.run.command);
        return (!argv.is_empty()).then(|| titled(comm(), &argv.join(" ")));
    }
    let in_a_pod = node
        .pods()
        .iter()
        .flat_map(|pod| &pod.containers)
        .any(|container| container.init == pid);
    match comm() {
        Some("nginx") if in_a_pod => Some(titled(Some("nginx"), NGINX_COMMAND)),
        Some("pause") if in_a_pod => Some("/pause".into()),
        _ => None,
    }
}

/// The title a program gives itself over its arguments: nginx's master rewrites its argv as
/// `nginx: master process ` and the arguments it was started with (ngx_master_process_cycle).
pub(crate) fn titled(comm: Option<&str>, argv: &str) -> String {
    match comm {
        Some("nginx") => format!("nginx: master process {argv}"),
        _ => argv.to_owned(),
    }
}
