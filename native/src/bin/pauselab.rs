//! `pauselab`: real pods, live process trees, traces, and the model checked against the kernel.

use std::path::Path;

use anyhow::Context;
use clap::{Parser, Subcommand};
use pauselab_core::{Document, World};
use pauselab_native::procfs::{self, Filter};

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
    /// Show the live process tree from /proc: states (zombies marked), NSpid, and the
    /// namespaces each process does not share with its parent.
    Ps {
        /// Only this process and its descendants.
        #[arg(long, conflicts_with = "ns")]
        pid: Option<u32>,
        /// Only this pid namespace and those below it, e.g. `pid:[4026532200]`.
        #[arg(long)]
        ns: Option<String>,
        /// Write the model's snapshot format (opens in the browser tutorial).
        #[arg(long)]
        json: bool,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Demo => pauselab_native::demo::run(&mut std::io::stdout().lock())?,
        Command::Ps { pid, ns, json } => {
            let filter = match (pid, ns) {
                (Some(pid), _) => Filter::Subtree(pid),
                (None, Some(ns)) => Filter::namespace(&ns)?,
                (None, None) => Filter::All,
            };
            if !nix::unistd::geteuid().is_root() {
                eprintln!("pauselab: not root: other users' namespaces cannot be read, their processes are left out");
            }
            let snapshot = procfs::snapshot(Path::new("/proc"), &filter)?;
            // Load it into the model first: what we print is what the model accepts.
            let world =
                World::from_snapshot(&snapshot).context("the model refused what /proc shows")?;
            if json {
                println!("{}", Document::Snapshot(snapshot).to_json());
            } else {
                print!("{world}");
            }
        }
    }
    Ok(())
}
