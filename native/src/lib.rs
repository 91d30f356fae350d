//! # pauselab-native
//!
//! pauselab made real with `nix`: the drop-in [`pause`] program (the binary `pause` is a thin
//! `main` over this module), and the `pauselab` command.

pub mod demo;
pub mod pause;
pub mod pod;
pub mod procfs;
pub mod serve;
pub mod trace;
