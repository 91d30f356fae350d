//! Tests that cross crates. One binary; one module per subject.

mod core_wasm;
mod cri;
mod docker_lines;
mod dockerd;
mod engines;
mod fidelity;
mod fuzz;
mod inspector;
mod live;
mod live_view;
mod pause;
mod pause_init;
mod pod_run;
mod podman;
mod programs;
mod ps;
mod runc;
mod terminal;
mod trace;
mod web;
