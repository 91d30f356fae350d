//! # pauselab-web
//!
//! The browser tutorial. Its semantics all come from `pauselab-core`: [`state`] wraps the
//! model's [`Timeline`](pauselab_core::Timeline) in one reducer, which the Yew components
//! dispatch to; side effects (reading a file, the URL) stay in the components.

pub mod state;
