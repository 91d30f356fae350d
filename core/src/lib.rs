//! # pauselab-core
//!
//! A pure, deterministic model of Linux namespaces, process trees, signals and reaping: the
//! rules K1–K19 of pauselab's SPEC.md. No OS calls, no clock, no randomness: it builds for the
//! host and for `wasm32-unknown-unknown`, and the native recorder and the browser tutorial
//! share it.
//!
//! A [`World`] is changed only by [`World::apply`], which takes an [`Event`] in the kernel's
//! vocabulary (fork, exit, wait, kill, setns, …) and returns the [`Outcome`]s — what the kernel
//! did, each naming the [`Rule`] that explains it — or a [`ModelError`], in which case the world
//! is unchanged.
//!
//! ```
//! use pauselab_core::{Event, NsKind, NsKinds, Outcome, Pid, Signal, World};
//!
//! let mut world = World::new();
//! // A container runtime (pid 2) starts a container in a new pid namespace: pid 3 on the
//! // host, pid 1 inside (K6, K7).
//! world.apply(Event::Fork { pid: Pid(1), new: NsKinds::EMPTY })?;
//! let outcomes = world.apply(Event::Fork { pid: Pid(2), new: NsKinds::of(&[NsKind::Pid]) })?;
//! assert!(outcomes.contains(&Outcome::Forked { parent: Pid(2), child: Pid(3), nspid: vec![3, 1] }));
//!
//! // Inside, `kill -9 1` is dropped: init has no handler and the sender is not outside (K17).
//! world.apply(Event::Fork { pid: Pid(3), new: NsKinds::EMPTY })?; // the shell, pid 2 inside
//! let outcomes = world.apply(Event::Kill { pid: Pid(4), target: Pid(1), signal: Signal::SIGKILL })?;
//! assert!(matches!(outcomes[0], Outcome::SignalDropped { .. }));
//!
//! // From the host it works, and the whole namespace dies with its init (K19).
//! let outcomes = world.apply(Event::Kill { pid: Pid(2), target: Pid(3), signal: Signal::SIGKILL })?;
//! assert!(outcomes.contains(&Outcome::KilledByInitDeath { pid: Pid(4), ns: world.process(Pid(3)).unwrap().namespaces().get(NsKind::Pid) }));
//! # Ok::<(), pauselab_core::ModelError>(())
//! ```
//!
//! What the model leaves out: threads (every process is a thread group of one), process
//! groups and sessions, ptrace, credentials and capabilities (every actor may do everything),
//! and the real-time signals. Namespace identities only grow; the kernel may reuse a freed one.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// A fieldless enum and `ALL`, its variants in declaration order, from one list: for the kinds
/// a file names and the compact bytes number (`wire`), so that a new variant cannot be missed.
macro_rules! enum_with_all {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident,)*
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $($(#[$variant_meta])* $variant,)*
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
        }
    };
}

mod children;
mod error;
mod event;
pub mod format;
pub mod history;
#[cfg(feature = "live")]
pub mod live;
mod ns;
mod outcome;
pub mod pod;
mod process;
mod rule;
pub mod scenario;
pub mod shell;
mod signal;
mod sorted_map;
pub mod text;
mod timeline;
pub mod view;
pub mod wire;
mod world;

pub use error::{Errno, ModelError};
pub use event::Event;
#[cfg(feature = "live")]
pub use event::SeenNamespaces;
pub use format::{Document, FormatError, Recorder, Snapshot, Step, Trace};
pub use ns::{NsId, NsKind, NsKinds, NsRef, NsSet, UnknownNsKind};
pub use outcome::{Outcome, SignalEffect};
pub use process::{Disposition, ExitStatus, Pid, ProcState, Process, WaitTarget};
pub use rule::Rule;
pub use signal::{DefaultAction, Signal, SignalSet, UnknownSignal};
pub use timeline::{ActRefusal, Containers, Timeline};
pub use world::{World, MAX_NS_LEVEL, PID_MAX_DEFAULT, PID_MAX_LIMIT, RESERVED_PIDS};
