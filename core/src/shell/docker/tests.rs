//! The post's docker commands typed at the node's shell: what docker 20.10 prints, and what
//! the node then is. (`tests/cross/dockerd.rs` types the same lines at a real dockerd.)

use crate::pod::container_id;
use crate::shell::typing::{node, said, type_line};
use crate::shell::{NotModelled, Refused};

#[test]
fn k21_k22_the_posts_two_commands_and_what_docker_inspect_shows() {
    let (mut player, shell) = node();
    let pause = said(
        &mut player,
        shell,
        "docker run -d --name pause --ipc=shareable registry.k8s.io/pause:3.9",
    );
    assert_eq!(pause, format!("{}\n", container_id("pause")));
    let nginx = said(
        &mut player,
        shell,
        "docker run -d --name nginx --net=container:pause --ipc=container:pause nginx",
    );
    assert_eq!(nginx, format!("{}\n", container_id("nginx")));
    assert_eq!(
        said(
            &mut player,
            shell,
            "docker inspect -f '{{.HostConfig.IpcMode}}' pause"
        ),
        "shareable\n"
    );
    let id = container_id("pause");
    assert_eq!(
        said(
            &mut player,
            shell,
            "docker inspect --format '{{.HostConfig.NetworkMode}} {{.HostConfig.IpcMode}}' nginx"
        ),
        format!("container:{id} container:{id}\n")
    );
    // nginx joined pause's network: no ports of its own; newest first.
    let ps = said(&mut player, shell, "docker ps");
    let short = |name: &str| container_id(name)[..12].to_owned();
    assert_eq!(
        ps,
        format!(
            "CONTAINER ID   IMAGE                       COMMAND                  CREATED                  STATUS                  PORTS     NAMES\n\
             {}   nginx                       \"/docker-entrypoint.…\"   Less than a second ago   Up Less than a second             nginx\n\
             {}   registry.k8s.io/pause:3.9   \"/pause\"                 Less than a second ago   Up Less than a second             pause\n",
            short("nginx"),
            short("pause")
        )
    );
    // The container's first process is nginx's master (the entrypoint execs it), with its worker.
    let pid = said(
        &mut player,
        shell,
        "docker inspect -f '{{.State.Pid}}' nginx",
    );
    let master = crate::Pid(pid.trim().parse().unwrap());
    assert_eq!(
        player.node().world().process(master).unwrap().comm(),
        "nginx"
    );
}

#[test]
fn k22_a_private_ipc_donor_leaves_the_joiner_created_with_dockerds_words() {
    let (mut player, shell) = node();
    said(
        &mut player,
        shell,
        "docker run -d --name pause registry.k8s.io/pause:3.9",
    );
    let (text, status) = type_line(
        &mut player,
        shell,
        "docker run -d --name app --ipc=container:pause busybox sleep 1000",
    )
    .unwrap();
    let id = container_id("pause");
    assert_eq!(
        text,
        format!("docker: Error response from daemon: can't join IPC of container {id}: non-shareable IPC (hint: use IpcMode:shareable for the donor container).\nSee 'docker run --help'.\n")
    );
    assert_eq!(status, 125);
    assert_eq!(
        said(
            &mut player,
            shell,
            "docker ps -a --format '{{.Names}} {{.Status}}'"
        ),
        "app Created\npause Up Less than a second\n"
    );
    // The name is taken: a second run is refused before anything is created.
    let (again, status) = type_line(
        &mut player,
        shell,
        "docker run -d --name app busybox sleep 1000",
    )
    .unwrap();
    assert!(again.starts_with("docker: Error response from daemon: Conflict. The container name \"/app\" is already in use"), "{again}");
    assert_eq!(status, 125);
    assert_eq!(said(&mut player, shell, "docker rm app"), "app\n");
    assert_eq!(
        said(&mut player, shell, "docker rm pause"),
        format!("Error response from daemon: You cannot remove a running container {id}. Stop the container before attempting removal or force remove\n")
    );
}

#[test]
fn a_shell_image_without_i_exits_at_once_and_with_it_stays() {
    let (mut player, shell) = node();
    said(&mut player, shell, "docker run -d --name gone busybox");
    said(&mut player, shell, "docker run -d -it --name stays busybox");
    assert_eq!(
        said(
            &mut player,
            shell,
            "docker ps -a --format '{{.Names}}: {{.Status}} {{.Command}}'"
        ),
        "stays: Up Less than a second \"sh\"\ngone: Exited (0) Less than a second ago \"sh\"\n"
    );
}

#[test]
fn inspect_prints_docker_json_and_go_template_errors() {
    let (mut player, shell) = node();
    said(
        &mut player,
        shell,
        "docker run -d --name pa registry.k8s.io/pause:3.9",
    );
    let json = said(&mut player, shell, "docker inspect pa");
    assert!(json.starts_with(&format!("[\n    {{\n        \"Id\": \"{}\",\n        \"Created\": \"1970-01-01T00:00:00Z\",\n        \"Path\": \"/pause\",\n        \"Args\": [],\n        \"State\": {{\n            \"Status\": \"running\",\n            \"Running\": true,", container_id("pa"))), "{json}");
    assert!(json.contains("        \"Name\": \"/pa\",\n"), "{json}");
    assert!(json.ends_with("    }\n]\n"), "{json}");
    assert_eq!(
        type_line(&mut player, shell, "docker inspect nothere").unwrap(),
        ("[]\nError: No such object: nothere\n".into(), 1)
    );
    assert_eq!(
        type_line(&mut player, shell, "docker inspect -f '{{.Foo}}' pa").unwrap(),
        ("\ntemplate parsing error: template: :1:2: executing \"\" at <.Foo>: map has no entry for key \"Foo\"\n".into(), 1)
    );
    assert_eq!(
        said(
            &mut player,
            shell,
            "docker inspect -f '{{json .HostConfig}}' pa"
        ),
        "{\"NetworkMode\":\"default\",\"IpcMode\":\"private\",\"PidMode\":\"\",\"UTSMode\":\"\"}\n"
    );
    assert_eq!(
        type_line(
            &mut player,
            shell,
            "docker inspect -f '{{.NetworkSettings.IPAddress}}' pa"
        ),
        Err(Refused::NotModelled(NotModelled::Field(
            ".NetworkSettings.IPAddress".into()
        )))
    );
}

#[test]
fn what_docker_refuses_itself_and_what_the_model_lacks_are_told_apart() {
    let (mut player, shell) = node();
    assert_eq!(
        type_line(&mut player, shell, "docker frob").unwrap(),
        (
            "docker: 'frob' is not a docker command.\nSee 'docker --help'\n".into(),
            1
        )
    );
    assert_eq!(
        type_line(&mut player, shell, "docker run --frob nginx").unwrap(),
        (
            "unknown flag: --frob\nSee 'docker run --help'.\n".into(),
            125
        )
    );
    let before = format!("{:?}", player.node().world());
    for (line, refused) in [
        ("docker logs x", NotModelled::Command("logs".into())),
        ("docker run -d --rm nginx", NotModelled::Flag("--rm".into())),
        ("docker run nginx", NotModelled::Attached),
        ("docker run -d myapp", NotModelled::Image("myapp".into())),
    ] {
        assert_eq!(
            type_line(&mut player, shell, line),
            Err(Refused::NotModelled(refused)),
            "{line}"
        );
    }
    // A refused line changes nothing, not even the pids the CLI would have taken.
    assert_eq!(format!("{:?}", player.node().world()), before);
}

// K17 from docker's side: stop sends the STOPSIGNAL and, as pid 1 has no handler for it,
// SIGKILL after the grace period; kill sends SIGKILL; exec -it enters the container.
#[test]
fn k17_stop_kill_and_exec_on_running_containers() {
    let (mut player, shell) = node();
    said(
        &mut player,
        shell,
        "docker run -d --name sl busybox sleep 1000",
    );
    said(&mut player, shell, "docker run -d --name ng nginx");
    assert_eq!(said(&mut player, shell, "docker stop sl"), "sl\n");
    assert_eq!(
        said(
            &mut player,
            shell,
            "docker ps -a --format '{{.Names}} {{.Status}}'"
        ),
        "ng Up Less than a second\nsl Exited (137) Less than a second ago\n"
    );
    // nginx's STOPSIGNAL is SIGQUIT: it stops by itself, 0.
    said(&mut player, shell, "docker stop ng");
    assert_eq!(
        said(
            &mut player,
            shell,
            "docker inspect -f '{{.State.ExitCode}}' ng"
        ),
        "0\n"
    );
    let id = container_id("sl");
    assert_eq!(
        type_line(&mut player, shell, "docker kill sl").unwrap(),
        (format!("Error response from daemon: Cannot kill container: sl: Container {id} is not running\n"), 1)
    );
    said(&mut player, shell, "docker start sl");
    assert_eq!(said(&mut player, shell, "docker kill -s TERM sl"), "sl\n");
    assert_eq!(
        said(
            &mut player,
            shell,
            "docker inspect -f '{{.State.Status}}' sl"
        ),
        "running\n",
        "SIGTERM to a pid 1 without a handler is dropped (K17)"
    );
    assert_eq!(said(&mut player, shell, "docker exec -it sl sh"), "");
    let ps = said(&mut player, shell, "ps -e -o pid,comm");
    assert!(
        ps.starts_with("    PID COMMAND\n      1 sleep\n      2 sh\n"),
        "{ps}"
    );
    said(&mut player, shell, "exit");
    assert_eq!(
        type_line(&mut player, shell, "docker exec nothere sh").unwrap(),
        ("Error: No such container: nothere\n".into(), 1)
    );
}

#[test]
fn a_name_docker_refuses_is_refused_with_dockerds_words() {
    let (mut player, shell) = node();
    let before = format!("{:?}", player.node().world());
    for name in ["a", "job:2:1", "-x", "é"] {
        let (text, status) = type_line(
            &mut player,
            shell,
            &format!("docker run -d --name '{name}' busybox sleep 1"),
        )
        .unwrap();
        assert_eq!(status, 125, "{name}: {text}");
        assert!(text.contains("Invalid container name"), "{name}: {text}");
    }
    assert_eq!(said(&mut player, shell, "docker ps -aq"), "");
    let _ = before;
}

// What a real node's `ps` shows as arguments for what docker started: the image's entrypoint
// for pause (`/pause`, not its command name), the titles nginx gives its master and worker
// over the command the image's entrypoint script execs, and a command given to `docker run`.
#[test]
fn ps_shows_the_arguments_docker_started_each_container_with() {
    let (mut player, shell) = node();
    for line in [
        "docker run -d --name pause --ipc=shareable registry.k8s.io/pause:3.9",
        "docker run -d --name nginx --net=container:pause --ipc=container:pause nginx",
        "docker run -d --name app --pid=container:pause busybox sleep 1000",
    ] {
        said(&mut player, shell, line);
    }
    let ps = said(&mut player, shell, "ps -e -o comm,args");
    let rows: Vec<&str> = ps.lines().map(str::trim_end).collect();
    for row in [
        "pause           /pause",
        "nginx           nginx: master process nginx -g daemon off;",
        "nginx           nginx: worker process",
        "sleep           sleep 1000",
        "ps              ps -e -o comm,args",
    ] {
        assert!(rows.contains(&row), "{row:?} not in:\n{ps}");
    }
}
