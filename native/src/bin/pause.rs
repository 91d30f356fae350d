//! `pause`: see [`pauselab_native::pause`].
//!
//! `no_main`: C's `main` is the entry point, skipping Rust's runtime set-up (argument capture,
//! stack-overflow handler), which a process that only sleeps does not need and which costs the
//! static binary size it must not have.
#![no_main]

use std::error::Error;
use std::ffi::{c_char, c_int, CStr};

use pauselab_native::pause::{cli, describe, init, sandbox, USAGE, VERSION_LINE};

/// Prints an error with its causes, one line.
fn report(error: &dyn Error) {
    let mut line = format!("pause: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        line.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    eprintln!("{line}");
}

/// The C entry point.
#[no_mangle]
extern "C" fn main(argc: c_int, argv: *const *const c_char) -> c_int {
    let args: Vec<&CStr> = (1..usize::try_from(argc).unwrap_or(0))
        // SAFETY: the C runtime passes `argc` valid pointers to NUL-terminated strings in
        // `argv`, which live as long as the process.
        .map(|i| unsafe { CStr::from_ptr(*argv.add(i)) })
        .collect();
    match cli::parse(&args) {
        Err(error) => {
            eprintln!("pause: {error}\n{USAGE}");
            2
        }
        Ok(cli::Mode::Version) => {
            println!("{VERSION_LINE}");
            0
        }
        Ok(cli::Mode::Help) => {
            println!("{USAGE}");
            0
        }
        Ok(cli::Mode::Sandbox) => match sandbox::run() {
            Ok(signal) => {
                eprintln!("Shutting down, got signal: {}", describe(signal));
                0
            }
            Err(error) => {
                report(&error);
                1
            }
        },
        Ok(cli::Mode::Init(options)) => match init::run(&options) {
            Ok(status) => status,
            Err(error) => {
                report(&error);
                1
            }
        },
    }
}
