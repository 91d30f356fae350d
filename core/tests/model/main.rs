//! The model's integration tests: one binary, one module per concern.
#![cfg(not(target_arch = "wasm32"))]

mod formats;
mod live;
mod narratives;
mod pods;
mod rules;
mod scenarios;
mod state_machine;
mod support;
mod views;
