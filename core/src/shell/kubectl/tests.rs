//! kubectl typed at the node's shell: the tables kubectl prints, the API server's and
//! kubelet's refusals, the pod toggles through `--overrides`, and `exec -it` entering a shell.

use crate::pod::NodeStep;
use crate::scenario::{Action, Label, Player};
use crate::shell::{NotModelled, Refused};
use crate::Pid;

fn node() -> (Player, Pid) {
    let mut player = Player::new();
    let shell = player.login_shell().unwrap();
    (player, shell)
}

/// Types `line` where the terminal on `shell` types now (an entered shell, if any).
fn type_line(player: &mut Player, shell: Pid, line: &str) -> Result<(String, u8), Refused> {
    let at = player.typing_at(shell);
    let typed = Action::Type {
        process: Label::HostPid(at),
        line: line.to_owned(),
    };
    assert_eq!(player.perform_action(&typed).unwrap(), None, "{line}");
    player
        .last
        .iter()
        .find_map(|step| match step {
            NodeStep::Typed { said, .. } => Some(said.clone()),
            _ => None,
        })
        .expect("the line is logged")
}

fn said(player: &mut Player, shell: Pid, line: &str) -> String {
    type_line(player, shell, line).unwrap().0
}

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
        "The Pod \"both\" is invalid: spec.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled\n"
    );
    assert_eq!(status, 1);
    assert!(player.node().pod("both").is_none());
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
