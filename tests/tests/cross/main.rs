//! Tests that cross crates. One binary; one module per subject.

mod core_wasm;
mod pause;
mod podman;
mod runc;
