//! `pauselab`: real pods, live process trees, traces, and the model checked against the kernel.

use clap::{Parser, Subcommand};

/// pauselab: see why every pod has a pause container.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Play a guided scenario in the terminal: zombies in a container, and the fix.
    Demo,
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Demo => pauselab_native::demo::run(&mut std::io::stdout().lock())?,
    }
    Ok(())
}
