//! `cargo run --release -p pauselab-core --example open -- FILE…`: how long opening a file takes
//! (`Timeline::open`, what the browser does when a file is dropped on it), and its size.

use std::time::Instant;

fn main() {
    for path in std::env::args().skip(1) {
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("{path}: {error}");
                std::process::exit(1);
            }
        };
        let start = Instant::now();
        let opened = pauselab_core::Timeline::open(&text);
        let took = start.elapsed();
        match opened {
            Ok(timeline) => println!(
                "{path}: {:.1} MB, {} processes, {} steps: opened in {took:.2?}",
                text.len() as f64 / 1e6,
                timeline.world().len(),
                timeline.len()
            ),
            Err(error) => println!("{path}: refused in {took:.2?}: {error}"),
        }
    }
}
