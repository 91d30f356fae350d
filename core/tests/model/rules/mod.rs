//! One test (or a few) per rule of SPEC.md, named after it.

mod namespaces;
mod pids;
mod reaping;
mod signals;
