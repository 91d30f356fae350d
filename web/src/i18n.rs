//! The tutorial's languages and words: all from pauselab-core's catalog (`pauselab_core::text`),
//! so that the page, the terminal and the model say the same things in both languages.

pub use pauselab_core::text::{Language, Page as Strings, Say};
