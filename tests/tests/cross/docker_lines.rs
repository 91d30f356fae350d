//! #19: the terminal's `docker` lines typed at the model's node and run by the real docker CLI
//! against a real dockerd, side by side. Their printed text (stdout, then stderr) and exit
//! status must be equal once only what differs by nature is normalised: container ids (each
//! side's own, named back to the container), times ("Less than a second ago" against "2
//! seconds ago"; the table's spaces with them), and `docker inspect`'s fields the model does
//! not have (it prints a subset of docker's JSON, in docker's order).

use pauselab_core::pod::{container_id, NodeStep};
use pauselab_core::scenario::{Action, Label, Player};
use pauselab_core::shell::split;
use pauselab_tests::runtimes::dockerd::Dockerd;
use pauselab_tests::runtimes::images::Image;
use serde_json::Value;

use crate::dockerd::{dockerd, stop, APP, PAUSE};

/// The model's node and the reader's login shell on it.
struct Model {
    player: Player,
    shell: Label,
}

impl Model {
    fn new() -> Model {
        let mut player = Player::new();
        let shell = Label::HostPid(player.login_shell().expect("a login shell"));
        Model { player, shell }
    }

    fn line(&mut self, line: &str) -> (i32, String) {
        let typed = Action::Type {
            process: self.shell.clone(),
            line: line.to_owned(),
            effects: None,
        };
        assert_eq!(self.player.perform_action(&typed).expect("labels"), None);
        let said = self.player.last.iter().find_map(|step| match step {
            NodeStep::Typed { said, .. } => Some(said.clone()),
            _ => None,
        });
        match said.expect("the line is logged") {
            Ok((text, status)) => (i32::from(status), text),
            Err(refused) => panic!("the model refused {line}: {refused:?}"),
        }
    }
}

/// Times as docker words them, whatever their length.
fn times(text: &str) -> String {
    let mut out = text.to_owned();
    for pattern in ["Less than a second", "About a minute", "About an hour"] {
        out = out.replace(pattern, "<time>");
    }
    // "2 seconds", "1 second", "3 minutes".
    let words: Vec<&str> = out.split(' ').collect();
    let mut kept: Vec<String> = Vec::new();
    let mut index = 0;
    while index < words.len() {
        let unit = words
            .get(index + 1)
            .map(|w| w.trim_end_matches(|c: char| !c.is_alphanumeric()));
        if words[index].parse::<u32>().is_ok()
            && matches!(unit, Some("second" | "seconds" | "minute" | "minutes"))
        {
            let tail = &words[index + 1][unit.map_or(0, str::len)..];
            kept.push(format!("<time>{tail}"));
            index += 2;
        } else {
            kept.push(words[index].to_owned());
            index += 1;
        }
    }
    // The table's columns follow their widest cell: compare cells, not spaces.
    kept.join(" ")
        .lines()
        .map(|line| {
            let mut cells: Vec<&str> = line
                .split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            if cells.is_empty() {
                cells.push("");
            }
            cells.join(" | ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each side's container ids, long and short, named back to their containers.
fn ids(text: &str, known: &[(String, String)]) -> String {
    let mut out = text.to_owned();
    for (id, name) in known {
        out = out.replace(id, &format!("<{name}>"));
        out = out.replace(&id[..12], &format!("<{name}>"));
    }
    out
}

fn real_ids(dockerd: &Dockerd) -> Vec<(String, String)> {
    let listed = dockerd
        .docker(&["ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}}"])
        .unwrap_or_default();
    listed
        .lines()
        .filter_map(|line| line.split_once(' '))
        .map(|(id, name)| (id.to_owned(), name.to_owned()))
        .collect()
}

/// Every leaf of the model's JSON must be in the real one, at the same path and, among its
/// siblings, in the same order; times and pids compare by whether they are zero.
fn json_subset(model: &Value, real: &Value, path: &str, problems: &mut Vec<String>) {
    match (model, real) {
        (Value::Object(model), Value::Object(real)) => {
            let order: Vec<usize> = model
                .keys()
                .filter_map(|key| real.keys().position(|k| k == key))
                .collect();
            if order.windows(2).any(|w| w[0] > w[1]) {
                problems.push(format!("{path}: keys in another order than docker's"));
            }
            for (key, value) in model {
                match real.get(key) {
                    Some(found) => json_subset(value, found, &format!("{path}.{key}"), problems),
                    None => problems.push(format!("{path}.{key}: docker has no such field")),
                }
            }
        }
        (Value::Array(model), Value::Array(real)) if model.len() == real.len() => {
            for (index, (m, r)) in model.iter().zip(real).enumerate() {
                json_subset(m, r, &format!("{path}[{index}]"), problems);
            }
        }
        (Value::String(m), Value::String(r))
            if path.ends_with("At") || path.ends_with(".Created") =>
        {
            let zero = |t: &str| t.starts_with("0001-01-01");
            if zero(m) != zero(r) {
                problems.push(format!("{path}: model {m}, docker {r}"));
            }
        }
        (Value::Number(m), Value::Number(r)) if path.ends_with(".Pid") => {
            if (m.as_u64() == Some(0)) != (r.as_u64() == Some(0)) {
                problems.push(format!("{path}: model {m}, docker {r}"));
            }
        }
        (m, r) if m == r => {}
        (m, r) => problems.push(format!("{path}: model {m}, docker {r}")),
    }
}

/// The images the model knows, made from the tests' local ones: pauselab's pause as
/// `registry.k8s.io/pause:3.9`, busybox with its image's command (`sh`) as `busybox`.
fn tag_images(dockerd: &Dockerd) {
    dockerd
        .docker(&["tag", PAUSE, "registry.k8s.io/pause:3.9"])
        .unwrap_or_else(|why| panic!("{why}"));
    // The shared daemon's busybox layer (its `APP` image), with the busybox image's command.
    let busybox = Image {
        name: "busybox:latest".into(),
        layer: dockerd.dir().join("busybox.tar"),
        entrypoint: Vec::new(),
        cmd: vec!["sh".into()],
    };
    assert!(busybox.layer.is_file(), "the daemon imported {APP} from it");
    dockerd
        .import(&busybox)
        .unwrap_or_else(|why| panic!("{why}"));
}

/// Removes the test's containers from the shared daemon however the test ends.
struct RemoveContainers<'a>(&'a Dockerd);

impl Drop for RemoveContainers<'_> {
    fn drop(&mut self) {
        let listed = self
            .0
            .docker(&["ps", "-aq", "--filter", "name=dl-"])
            .unwrap_or_default();
        for id in listed.lines() {
            let _ = self.0.docker(&["rm", "-f", id]);
        }
    }
}

/// The lines, in order; `None` marks a wait on the real side only (a container whose first
/// process exits by itself takes real time to be reaped).
const LINES: &[Option<&str>] = &[
    Some("docker run -d --name dl-pause --ipc=shareable registry.k8s.io/pause:3.9"),
    Some("docker run -d --name dl-app --net=container:dl-pause --ipc=container:dl-pause busybox sleep 1000"),
    Some("docker inspect -f '{{.HostConfig.IpcMode}}' dl-pause"),
    Some("docker inspect -f '{{.HostConfig.NetworkMode}} {{.HostConfig.IpcMode}} {{.HostConfig.PidMode}}' dl-app"),
    Some("docker inspect --format '{{.Name}} {{.State.Status}} {{.State.Running}} {{.State.ExitCode}} {{.Path}} {{json .Args}} {{.Config.Image}}' dl-app"),
    Some("docker inspect -f '{{json .HostConfig.NetworkMode}}' dl-app dl-pause"),
    Some("docker ps --filter name=dl- --format '{{.Names}} {{.Image}} {{.Command}} {{.Status}} {{.Networks}}'"),
    Some("docker ps -a --filter name=dl-"),
    Some("docker ps -q --filter name=dl-pause"),
    Some("docker run -d --name dl-app busybox sleep 1"),
    Some("docker run -d --name dl-joiner --ipc=container:dl-app busybox sleep 1000"),
    Some("docker ps -a --filter name=dl-joiner --format '{{.Names}} {{.Status}} {{.Ports}}'"),
    Some("docker rm dl-joiner"),
    Some("docker rm dl-pause"),
    Some("docker inspect dl-nothere"),
    Some("docker inspect -f '{{.Foo}}' dl-pause"),
    Some("docker inspect -f '{{.Name' dl-pause"),
    Some("docker ps --format '{{.Foo}}'"),
    Some("docker ps --format '{{.Names'"),
    Some("docker inspect -f '{{.Name}}' dl-pause dl-nothere"),
    Some("docker ps -a --filter name=dl- --format 'table {{.Names}}\t{{.State}}'"),
    Some("docker inspect -f '{{.Config.Hostname}} {{.State.Pid}}' dl-nothere"),
    Some("docker frob"),
    Some("docker run --frob busybox"),
    Some("docker run -d --name dl-sh busybox"),
    None,
    Some("docker ps -a --filter name=dl-sh --format '{{.Names}} {{.Status}} {{.Command}}'"),
    Some("docker start dl-nothere"),
    Some("docker run -d --name dl-stop busybox sleep 1000"),
    Some("docker kill -s TERM dl-stop"),
    Some("docker ps -a --filter name=dl-stop --format '{{.Names}} {{.Status}}'"),
    Some("docker stop -t 1 dl-stop"),
    Some("docker ps -a --filter name=dl-stop --format '{{.Names}} {{.Status}}'"),
    Some("docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' dl-stop"),
    Some("docker kill dl-stop"),
    Some("docker stop dl-stop dl-nothere"),
    Some("docker exec dl-stop sh"),
    Some("docker exec dl-nothere sh"),
    Some("docker kill -s NOSUCH dl-app"),
    Some("docker kill -s"),
    Some("docker ps -a --filter"),
    Some("docker ps --filter name=dl-pause --format '{{json .Names}} {{.Names}}'"),
    Some("docker rm dl-stop"),
    Some("docker rm -f dl-app dl-pause dl-sh"),
];

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_dockerd),
    ignore = "needs root and dockerd"
)]
fn docker_lines_print_what_the_real_docker_cli_prints() {
    let engine = dockerd();
    let cleanup = RemoveContainers(&engine);
    tag_images(&engine);
    let mut model = Model::new();
    let mut problems = Vec::new();
    for line in LINES {
        let Some(line) = line else {
            // The real busybox sh read end of file; wait until dockerd has seen it exit.
            let exited =
                pauselab_tests::pause::wait_for(std::time::Duration::from_secs(20), || {
                    let status = engine
                        .docker(&["inspect", "-f", "{{.State.Status}}", "dl-sh"])
                        .ok()?;
                    (status.trim() == "exited").then_some(())
                });
            assert!(exited.is_some(), "dl-sh did not exit");
            continue;
        };
        let (model_status, model_text) = model.line(line);
        let words = split(line, 0).expect("the line splits").words;
        let (status, stdout, stderr) = engine
            .docker_line(&words[1..])
            .unwrap_or_else(|why| panic!("{why}"));
        let real_text = format!("{stdout}{stderr}");
        let model_ids: Vec<(String, String)> =
            ["dl-pause", "dl-app", "dl-joiner", "dl-sh", "dl-stop"]
                .iter()
                .map(|name| (container_id(name), (*name).to_owned()))
                .collect();
        let real_known = real_ids(&engine);
        let model_said = times(&ids(&model_text, &model_ids));
        let real_said = times(&ids(&real_text, &real_known));
        if (model_status, &model_said) != (status, &real_said) {
            problems.push(format!(
                "{line}\n  model  ({model_status}): {model_said:?}\n  docker ({status}): {real_said:?}"
            ));
        }
    }
    // docker inspect's JSON: the model's fields, as docker has them.
    let mut model = Model::new();
    let mut checked = 0;
    for line in [
        "docker run -d --name dl-json --ipc=shareable registry.k8s.io/pause:3.9",
        "docker inspect dl-json",
    ] {
        let (_, model_text) = model.line(line);
        let words = split(line, 0).expect("splits").words;
        let (_, stdout, _) = engine
            .docker_line(&words[1..])
            .unwrap_or_else(|why| panic!("{why}"));
        if line.starts_with("docker inspect") {
            let model_ids = [(container_id("dl-json"), "dl-json".to_owned())];
            let model_json: Value =
                serde_json::from_str(&ids(&model_text, &model_ids)).expect("the model's JSON");
            let real_json: Value =
                serde_json::from_str(&ids(&stdout, &real_ids(&engine))).expect("docker's JSON");
            json_subset(&model_json, &real_json, "", &mut problems);
            checked += 1;
        }
    }
    assert_eq!(checked, 1);
    drop(cleanup);
    stop(engine);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
