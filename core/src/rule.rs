//! The rules of SPEC.md, by id, so that outcomes and errors can say which rule explains them.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! rules {
    ($($id:ident => $summary:literal, $source:literal;)*) => {
        /// A rule of the specification (`K1`–`K28`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Rule {
            $(#[doc = $summary] $id,)*
        }

        impl Rule {
            /// Every rule, in order.
            pub const ALL: &'static [Rule] = &[$(Rule::$id,)*];

            /// The id, e.g. `"K13"`.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$id => stringify!($id),)* }
            }

            /// One line saying what the rule is.
            pub fn summary(self) -> &'static str {
                match self { $(Rule::$id => $summary,)* }
            }

            /// Where to read more: a man page or kernel function.
            pub fn source(self) -> &'static str {
                match self { $(Rule::$id => $source,)* }
            }
        }
    };
}

rules! {
    K1 => "Two processes share a namespace exactly when their namespace identities are equal.", "namespaces(7)";
    K2 => "net, ipc and uts namespaces isolate devices and ports, IPC objects, and the hostname.", "network_namespaces(7), ipc_namespaces(7), uts_namespaces(7)";
    K3 => "clone and unshare create namespaces; setns joins one and, for net, ipc and uts, moves the caller.", "clone(2), unshare(2), setns(2)";
    K4 => "Entering a pid namespace never moves the caller: only its future children go there.", "setns(2), pid_namespaces(7)";
    K5 => "A namespace lives while it has a member or a pin (bind mount, open fd, child namespace).", "namespaces(7)";
    K6 => "The first process of a new pid namespace is its pid 1, its init.", "pid_namespaces(7)";
    K7 => "A process has one pid in its own pid namespace and one in each ancestor (NSpid).", "pid_namespaces(7)";
    K8 => "Pids are handed out in increasing order per namespace, skipping pids still in use.", "kernel/pid.c alloc_pid";
    K9 => "A process sees only the processes of its own pid namespace and those below it.", "pid_namespaces(7)";
    K10 => "getppid() is 0 when the parent is outside the caller's pid namespace.", "pid_namespaces(7)";
    K11 => "An exited process stays a zombie, holding its pid and status, until its parent waits.", "wait(2)";
    K12 => "On exit, children are reparented at once and the parent receives SIGCHLD.", "_exit(2)";
    K13 => "Orphans go to the nearest living subreaper ancestor in the namespace, else to its init.", "kernel/exit.c find_new_reaper, prctl(2)";
    K14 => "An adopted zombie notifies its new parent at once; it is released if that parent ignores SIGCHLD.", "kernel/exit.c reparent_leader";
    K15 => "A parent that ignores SIGCHLD (or sets SA_NOCLDWAIT) gets no zombies; SIG_DFL is not that.", "wait(2), sigaction(2)";
    K16 => "wait collects a zombie child; WNOHANG returns 0 if none; ECHILD with no children.", "wait(2)";
    K17 => "A signal to an init with no handler is dropped, except SIGKILL/SIGSTOP from an ancestor namespace.", "pid_namespaces(7), kernel/signal.c sig_task_ignored";
    K18 => "A synchronous fault with the default action kills even an init.", "kernel/signal.c force_sig_info_to_task";
    K19 => "When an init exits, every other process of its namespace is killed and no process can enter it.", "kernel/pid_namespace.c zap_pid_ns_processes";
    K20 => "pause: -v prints the version; TERM and INT exit 0; SIGCHLD reaps; nothing else is handled.", "kubernetes build/pause/linux/pause.c";
    K21 => "docker --net=container:X joins X's net namespace and copies its hostname, not its uts namespace.", "moby initializeNetworking";
    K22 => "docker --ipc=container:X needs X running and shareable.", "moby";
    K23 => "dockershim: sandbox net none or host; apps join the sandbox's net and ipc, pid only when shared.", "kubernetes dockershim";
    K24 => "containerd CRI: the runtime pins the net namespace; containers join the sandbox's by path.", "containerd CRI";
    K25 => "Pod pid modes: CONTAINER, POD (shareProcessNamespace), NODE (hostPID); both flags is invalid.", "kubernetes CRI";
    K26 => "kubectl exec enters with setns and fork: its parent is the shim outside the namespace.", "kubernetes CRI";
    K27 => "If pause dies the sandbox is re-created and every container restarts.", "kubelet";
    K28 => "Stopping one container of a shared pid namespace is not an init death.", "kubernetes CRI";
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
