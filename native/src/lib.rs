//! # pauselab-native
//!
//! pauselab made real with `nix`: the `pauselab` command — real pods built from namespaces
//! (`pod`), live process trees from /proc (`procfs`) with the pod and container of each (`labels`), traces of real programs (`trace`), the
//! guided scenarios in the terminal (`demo`), and the tutorial's static server (`serve`) with
//! this node followed live (`live`). The
//! `pause` binary is a crate of its own, `native/pause`, which depends on nothing here.

pub mod demo;
pub mod labels;
pub mod live;
pub mod pod;
pub mod procfs;
pub mod serve;
pub mod terminal;
pub mod trace;
