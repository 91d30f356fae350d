//! The rules of SPEC.md, by id, so that outcomes and errors can say which rule explains them.
//! Their summaries, in both languages, are the catalog's ([`crate::text`]).

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! rules {
    ($($id:ident => $source:literal;)*) => {
        /// A rule of the specification (`K1`–`K30`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Rule {
            $(#[doc = concat!("Rule ", stringify!($id), " of SPEC.md (see its summary in the catalog).")] $id,)*
        }

        impl Rule {
            /// Every rule, in order.
            pub const ALL: &'static [Rule] = &[$(Rule::$id,)*];

            /// The id, e.g. `"K13"`.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$id => stringify!($id),)* }
            }

            /// Where to read more: a man page or kernel function.
            pub fn source(self) -> &'static str {
                match self { $(Rule::$id => $source,)* }
            }
        }
    };
}

rules! {
    K1 => "namespaces(7)";
    K2 => "network_namespaces(7), ipc_namespaces(7), uts_namespaces(7)";
    K3 => "clone(2), unshare(2), setns(2)";
    K4 => "setns(2), pid_namespaces(7)";
    K5 => "namespaces(7)";
    K6 => "pid_namespaces(7)";
    K7 => "pid_namespaces(7)";
    K8 => "kernel/pid.c alloc_pid";
    K9 => "pid_namespaces(7)";
    K10 => "pid_namespaces(7)";
    K11 => "wait(2)";
    K12 => "_exit(2)";
    K13 => "kernel/exit.c find_new_reaper, prctl(2)";
    K14 => "kernel/exit.c reparent_leader";
    K15 => "wait(2), sigaction(2)";
    K16 => "wait(2)";
    K17 => "pid_namespaces(7), kernel/signal.c sig_task_ignored";
    K18 => "kernel/signal.c force_sig_info_to_task";
    K19 => "kernel/pid_namespace.c zap_pid_ns_processes";
    K20 => "kubernetes build/pause/linux/pause.c";
    K21 => "moby initializeNetworking";
    K22 => "moby";
    K23 => "kubernetes dockershim";
    K24 => "containerd CRI";
    K25 => "kubernetes CRI";
    K26 => "kubernetes CRI";
    K27 => "kubelet";
    K28 => "kubernetes CRI";
    K29 => "kernel/signal.c do_notify_parent";
    K30 => "the programs' sources, as measured";
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
