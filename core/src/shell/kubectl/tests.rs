//! kubectl typed at the node's shell: the tables kubectl prints, the API server's and
//! kubelet's refusals, the pod toggles through `--overrides`, and `exec -it` entering a shell.

use crate::shell::typing::{node, said, type_line};
use crate::shell::{NotModelled, Refused};

#[test]
fn kubectl_run_and_get_pods_print_kubectls_tables() {
    let (mut player, shell) = node();
    assert_eq!(
        said(&mut player, shell, "kubectl get pods"),
        "No resources found in default namespace.\n"
    );
    assert_eq!(
        said(&mut player, shell, "kubectl run web --image=nginx"),
        "pod/web created\n"
    );
    assert_eq!(
        said(&mut player, shell, "kubectl get pods"),
        "NAME   READY   STATUS    RESTARTS   AGE\nweb    1/1     Running   0          0s\n"
    );
    assert_eq!(
        said(&mut player, shell, "kubectl get pods -o wide"),
        "NAME   READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES\n\
         web    1/1     Running   0          0s    10.244.0.2   node-1   <none>           <none>\n"
    );
    assert_eq!(
        type_line(&mut player, shell, "kubectl get pod nope").unwrap(),
        (
            "Error from server (NotFound): pods \"nope\" not found\n".into(),
            1
        )
    );
    assert_eq!(
        type_line(&mut player, shell, "kubectl run web --image=nginx").unwrap(),
        (
            "Error from server (AlreadyExists): pods \"web\" already exists\n".into(),
            1
        )
    );
    // A busybox pod's sh reads end of file and exits: kubectl shows the container's reason.
    said(&mut player, shell, "kubectl run box --image=busybox");
    let table = said(&mut player, shell, "kubectl get pod box");
    assert!(
        table.ends_with("box    0/1     Completed   0          0s\n"),
        "{table}"
    );
}

// K25: the toggles go in --overrides, and validation refuses both.
#[test]
fn k25_the_pod_toggles_through_overrides_and_the_validation_error() {
    let (mut player, shell) = node();
    said(
        &mut player,
        shell,
        "kubectl run shared --image=nginx --overrides='{\"spec\":{\"shareProcessNamespace\":true}}'",
    );
    let pod = player.node().pod("shared").unwrap();
    assert!(pod.spec.share_process_namespace);
    let (text, status) = type_line(
        &mut player,
        shell,
        "kubectl run both --image=nginx --overrides='{\"spec\":{\"shareProcessNamespace\":true,\"hostPID\":true}}'",
    )
    .unwrap();
    assert_eq!(
        text,
        "The Pod \"both\" is invalid: spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled\n"
    );
    assert_eq!(status, 1);
    assert!(player.node().pod("both").is_none());
}

// kubectl merges --overrides over the pod it makes as a JSON merge patch: a list of containers
// replaces the generated one whole.
#[test]
fn overrides_containers_replace_the_generated_one() {
    let (mut player, shell) = node();
    said(
        &mut player,
        shell,
        r#"kubectl run web --image=nginx --overrides='{"apiVersion":"v1","spec":{"containers":[{"name":"app","image":"nginx"},{"name":"box","image":"busybox","command":["sleep","3600"]}]}}'"#,
    );
    let pod = player.node().pod("web").unwrap();
    let containers: Vec<(&str, &str)> = pod
        .spec
        .containers
        .iter()
        .map(|c| (c.name.as_str(), c.program.comm.as_str()))
        .collect();
    assert_eq!(containers, [("app", "nginx"), ("box", "sleep")]);
    // A shell among the containers reads end of file (kubectl run gives it no stdin) and
    // exits; the others run on, whatever --image said.
    said(
        &mut player,
        shell,
        r#"kubectl run mixed --image=busybox --overrides='{"spec":{"containers":[{"name":"web","image":"nginx"},{"name":"sh","image":"busybox"}]}}'"#,
    );
    let mixed = player.node().pod("mixed").unwrap();
    let running: Vec<(&str, bool)> = mixed
        .containers
        .iter()
        .map(|c| (c.name.as_str(), c.exit.is_none()))
        .collect();
    assert_eq!(running, [("web", true), ("sh", false)]);
    for refused in [
        r#"{"spec":{"containers":[]}}"#,
        r#"{"spec":{"containers":[{"image":"nginx"}]}}"#,
        r#"{"spec":{"containers":[{"name":"app","image":"nginx","ports":[]}]}}"#,
    ] {
        let line = format!("kubectl run other --image=nginx --overrides='{refused}'");
        assert!(
            matches!(
                type_line(&mut player, shell, &line),
                Err(Refused::NotModelled(NotModelled::Override(_)))
            ),
            "{refused}"
        );
    }
    assert!(player.node().pod("other").is_none());
}

// K17 through the terminal: kubectl exec -it enters the container's shell, where kill -9 1 does
// nothing; exit goes back to the node.
#[test]
fn k17_kubectl_exec_enters_the_containers_shell_and_exit_comes_back() {
    let (mut player, shell) = node();
    said(&mut player, shell, "kubectl run web --image=nginx");
    assert_eq!(said(&mut player, shell, "kubectl exec -it web -- sh"), "");
    let inner = player.typing_at(shell);
    assert_ne!(inner, shell);
    let ps = said(&mut player, shell, "ps -e -o pid,comm");
    assert!(
        ps.starts_with("    PID COMMAND\n      1 nginx\n      2 nginx\n      3 sh\n"),
        "{ps}"
    );
    assert_eq!(said(&mut player, shell, "kill -9 1"), "");
    let master = player.node().pod("web").unwrap().containers[0].init;
    assert!(player.node().world().is_alive(master), "K17");
    said(&mut player, shell, "exit");
    assert_eq!(player.typing_at(shell), shell, "back on the node");
    assert!(said(&mut player, shell, "hostname").starts_with("node-1"));
}

#[test]
fn kubectls_own_refusals_and_what_the_model_lacks() {
    let (mut player, shell) = node();
    said(&mut player, shell, "kubectl run web --image=nginx");
    assert_eq!(
        type_line(&mut player, shell, "kubectl exec -it web -c nope -- sh").unwrap(),
        (
            "Error from server (BadRequest): container nope is not valid for pod web\n".into(),
            1
        )
    );
    assert_eq!(
        type_line(&mut player, shell, "kubectl exec web ps")
            .unwrap()
            .1,
        1,
        "the old form without --"
    );
    assert_eq!(
        type_line(&mut player, shell, "kubectl exec web -- ps -ef"),
        Err(Refused::NotModelled(NotModelled::Exec("ps -ef".into())))
    );
    assert_eq!(
        type_line(&mut player, shell, "kubectl apply -f pod.yaml"),
        Err(Refused::NotModelled(NotModelled::Kubectl("apply".into())))
    );
    assert_eq!(
        said(&mut player, shell, "kubectl delete pod web"),
        "pod \"web\" deleted\n"
    );
    assert_eq!(
        type_line(&mut player, shell, "kubectl delete pod web").unwrap(),
        (
            "Error from server (NotFound): pods \"web\" not found\n".into(),
            1
        )
    );
}

// kubectl's printPod: the first stopped container's reason, NotReady for a Completed one while
// another runs, restarts with how long ago.
#[test]
fn status_is_the_first_stopped_containers_reason_as_kubectl_reads_it() {
    use crate::pod::{ContainerRef, PodSpec};
    use crate::scenario::{Action, Label};
    let (mut player, shell) = node();
    let spec: PodSpec = serde_json::from_value(serde_json::json!({
        "name": "web",
        "containers": [
            {"name": "a", "program": {"comm": "a"}},
            {"name": "b", "program": {"comm": "b"}},
            {"name": "c", "program": {"comm": "c"}}
        ]
    }))
    .unwrap();
    let exit = |container: &str, code: u8| Action::Exit {
        process: Label::Container(ContainerRef::new("web", container)),
        code,
    };
    assert_eq!(
        player
            .perform_action(&Action::CreatePod { pod: spec })
            .unwrap(),
        None
    );
    assert_eq!(player.perform_action(&exit("a", 0)).unwrap(), None);
    let table = said(&mut player, shell, "kubectl get pods");
    assert!(table.contains("web    2/3     NotReady   0 "), "{table}");
    assert_eq!(player.perform_action(&exit("b", 1)).unwrap(), None);
    let table = said(&mut player, shell, "kubectl get pods");
    assert!(
        table.contains("web    1/3     NotReady   0 "),
        "the first stopped one's: {table}"
    );
    let restart = Action::RestartContainer {
        container: ContainerRef::new("web", "a"),
    };
    assert_eq!(player.perform_action(&restart).unwrap(), None);
    let table = said(&mut player, shell, "kubectl get pods");
    assert!(
        table.contains("web    2/3     Error    1 (0s ago)   0s"),
        "{table}"
    );
    assert_eq!(
        said(&mut player, shell, "kubectl gte pods"),
        "error: unknown command \"gte\" for \"kubectl\"\n\nDid you mean this?\n\tget\n"
    );
    assert_eq!(
        said(&mut player, shell, "kubectl get pods -A -n nowhere")
            .lines()
            .next(),
        Some("No resources found in nowhere namespace.")
    );
}

#[test]
fn an_unknown_command_gets_cobras_suggestions_or_none() {
    let (mut player, shell) = node();
    assert_eq!(
        type_line(&mut player, shell, "kubectl frobnicate").unwrap(),
        (
            "error: unknown command \"frobnicate\" for \"kubectl\"\n".into(),
            1
        )
    );
    assert_eq!(
        said(&mut player, shell, "kubectl ge"),
        "error: unknown command \"ge\" for \"kubectl\"\n\nDid you mean this?\n\tcp\n\tget\n\tset\n"
    );
}

#[test]
fn a_flag_without_its_value_is_kubectls_usage_error() {
    let (mut player, shell) = node();
    assert_eq!(
        type_line(&mut player, shell, "kubectl get pods -n").unwrap(),
        (
            "error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n"
                .into(),
            1
        )
    );
}

// What a real node's `ps -o args` shows for a pod's containers: the words after `--` are the
// container's `args` after the image's entrypoint (busybox has none), or with `--command` its
// `command`, which replaces the entrypoint (pause's `/pause` is gone); `--overrides` takes both.
#[test]
fn ps_shows_the_arguments_kubectl_run_gave_a_pods_containers() {
    let (mut player, shell) = node();
    said(
        &mut player,
        shell,
        "kubectl run box --image=busybox -- sleep 1000",
    );
    said(
        &mut player,
        shell,
        "kubectl run held --image=registry.k8s.io/pause:3.9 --command -- sleep 2000",
    );
    said(
        &mut player,
        shell,
        "kubectl run plain --image=registry.k8s.io/pause:3.9 -- sleep 3000",
    );
    said(
        &mut player,
        shell,
        r#"kubectl run web --image=nginx --overrides='{"spec":{"containers":[{"name":"app","image":"nginx","args":["nginx","-T"]},{"name":"side","image":"nginx","command":["sh","-c","sleep 4000"]},{"name":"tail","image":"busybox","command":["tail"],"args":["-f","/dev/null"]}]}}'"#,
    );
    let ps = said(&mut player, shell, "ps -e -o comm,args");
    for row in [
        "sleep           sleep 1000",
        "sleep           sleep 2000",
        "pause           /pause sleep 3000",
        "nginx           nginx: master process nginx -T",
        "nginx           nginx: worker process",
        "sh              sh -c sleep 4000",
        "tail            tail -f /dev/null",
    ] {
        assert!(ps.lines().any(|line| line == row), "{row:?} in\n{ps}");
    }
    // The pods' own pause processes are still `/pause`.
    let sandboxes = ps
        .lines()
        .filter(|line| *line == "pause           /pause")
        .count();
    assert_eq!(sandboxes, 4, "{ps}");
    let held = player.node().pod("held").unwrap();
    assert_eq!(held.spec.containers[0].program.comm, "sleep");
}

// The arguments are the node's, not one terminal's: a shell kubectl exec entered in a shared
// pid namespace sees the other container's, and the node sees a job started in there.
#[test]
fn every_shell_sees_what_typed_lines_started_processes_with() {
    let (mut player, shell) = node();
    said(
        &mut player,
        shell,
        r#"kubectl run shared --image=busybox --overrides='{"spec":{"shareProcessNamespace":true,"containers":[{"name":"app","image":"busybox","args":["sleep","1000"]},{"name":"debug","image":"busybox","command":["sleep"],"args":["2000"]}]}}'"#,
    );
    said(&mut player, shell, "kubectl exec -it shared -c debug -- sh");
    let inside = said(&mut player, shell, "ps -e -o pid,args");
    assert!(
        inside.starts_with(
            "    PID COMMAND\n      1 /pause\n      2 sleep 1000\n      3 sleep 2000\n      4 sh\n"
        ),
        "{inside}"
    );
    said(&mut player, shell, "sleep 3000 &");
    said(&mut player, shell, "exit");
    let on_node = said(&mut player, shell, "ps -e -o comm,args");
    assert!(
        on_node
            .lines()
            .any(|line| line == "sleep           sleep 3000"),
        "{on_node}"
    );
}
