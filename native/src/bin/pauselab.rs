//! `pauselab`: real pods, live process trees, traces, and the model checked against the kernel.

use std::path::Path;

use anyhow::Context;
use clap::{Parser, Subcommand};
use pauselab_core::text::Language;
use pauselab_core::{Document, World};
use std::io::Write;

use pauselab_native::pod::{self, PodOptions};
use pauselab_native::procfs::{self, Filter};

/// pauselab: see why every pod has a pause container.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum PodCommand {
    /// Build a real pod from namespaces (as root): pause, then one container per command.
    Run {
        /// Containers share pause's pid namespace (shareProcessNamespace).
        #[arg(long)]
        share_pid: bool,
        /// Use the host's net and uts namespaces (hostNetwork).
        #[arg(long)]
        host_network: bool,
        /// Use the host's ipc namespace (hostIPC).
        #[arg(long)]
        host_ipc: bool,
        /// The pause binary (default: beside pauselab).
        #[arg(long)]
        pause: Option<std::path::PathBuf>,
        /// One shell command per container, after `--`.
        #[arg(last = true, required = true)]
        commands: Vec<String>,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Run a command in a fresh pid namespace under ptrace and record what the kernel did
    /// (forks, execs, exits, waits, kills, signal dispositions) as a model trace.
    Trace {
        /// Where to write the trace (default: stdout).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// The command, after `--`.
        #[arg(last = true, required = true)]
        command: Vec<String>,
    },
    /// Real pods built from namespaces.
    Pod {
        #[command(subcommand)]
        command: PodCommand,
    },
    /// Play a guided scenario in the terminal (`list` lists them).
    Demo {
        /// The scenario's id.
        #[arg(default_value = "zombies")]
        scenario: String,
        /// In Korean (한국어). Without it, Korean when LANG (or LC_ALL, LC_MESSAGES) says so.
        #[arg(long)]
        ko: bool,
        /// After the last step, a shell of the model to type into (on the node, or with --in in a
        /// container, as kubectl exec).
        #[arg(long)]
        shell: bool,
        /// The container the shell runs in, POD/CONTAINER (e.g. web/app).
        #[arg(long = "in", value_name = "POD/CONTAINER", requires = "shell")]
        inside: Option<String>,
    },
    /// Serve the browser tutorial (built by scripts/build-web.sh) on loopback.
    Serve {
        /// The built tutorial.
        #[arg(long, default_value = "dist")]
        dir: std::path::PathBuf,
        /// The address; port 0 picks a free port. On any address but loopback, requests need
        /// a token (--token, or one made and printed with the URL).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Also serve this node, live, for the page's "this node" view (read-only; as root,
        /// to read every process).
        #[arg(long)]
        live: bool,
        /// With --live: read /proc every half second rather than follow the kernel's proc
        /// connector (as the inspector does in a pod without hostNetwork).
        #[arg(long, requires = "live")]
        poll: bool,
        /// Answer only requests that carry this token (?token=, or the cookie it sets).
        #[arg(long, env = "PAUSELAB_TOKEN", hide_env_values = true)]
        token: Option<String>,
    },
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

/// The language the locale asks for (LC_ALL, then LC_MESSAGES, then LANG, as gettext reads them).
fn locale_language() -> Language {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|value| !value.is_empty()))
        .map_or(Language::English, |locale| Language::from_tag(&locale))
}

/// `pauselab trace`'s exit status when the recording may not be what the kernel did.
const UNFAITHFUL: i32 = 125;

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Serve {
            dir,
            addr,
            live,
            poll,
            token,
        } => {
            use pauselab_native::live::{stream, Live, Pace};
            use pauselab_native::serve::{is_loopback, Access, Server};
            // Off loopback, and always for the live view (a root server's view of every
            // process, which no other user of this machine may read), nobody is let in without
            // the token: one is made if none was given, and printed with the URL.
            let made = token.is_none() && (live || !is_loopback(addr));
            let token = match token {
                Some(token)
                    if token.is_empty()
                        || !token
                            .bytes()
                            .all(|b| b.is_ascii_graphic() && b != b';' && b != b'&') =>
                {
                    anyhow::bail!("--token must be printable ASCII without spaces, ';' or '&'")
                }
                Some(token) => Some(token),
                None if made => Some(stream::new_token().context("making a token")?),
                None => None,
            };
            let mut server = Server::bind(&dir, addr)?;
            if let Some(token) = &token {
                server = server.with_access(Access::Token(token.clone()));
            }
            if live {
                if !nix::unistd::geteuid().is_root() {
                    eprintln!(
                        "pauselab: not root: other users' processes are left out of the live view"
                    );
                }
                let pace = Pace {
                    poll,
                    ..Pace::default()
                };
                let watched = Live::start("/proc".into(), pace)?;
                if !watched.uses_connector() && !poll {
                    eprintln!("pauselab: the kernel's proc connector is not available here (it needs CAP_NET_ADMIN in the host's network namespace): /proc's list of processes is read every half second instead");
                }
                server = server.with_live(watched);
            }
            let addr = server.local_addr()?;
            // A token that was given is not printed (it would land in logs): the URL takes it.
            let query = match (&token, made) {
                (Some(token), true) => format!("?token={token}"),
                (Some(_), false) => "?token=YOUR_TOKEN".to_owned(),
                (None, _) => String::new(),
            };
            // A server whose stdout was closed (a supervisor that read the URL) keeps serving.
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "pauselab: the tutorial is at http://{addr}/{query}  (Ctrl-C stops it)"
            );
            if live {
                let _ = writeln!(out, "pauselab: this node, live: http://{addr}/live/{query}");
            }
            let _ = out.flush();
            drop(out);
            server.run()
        }
        Command::Demo {
            scenario,
            ko,
            shell,
            inside,
        } => {
            let language = if ko {
                Language::Korean
            } else {
                locale_language()
            };
            if shell {
                pauselab_native::terminal::run(
                    &mut std::io::stdin().lock(),
                    &mut std::io::stdout().lock(),
                    &scenario,
                    inside.as_deref(),
                    language,
                )?
            } else {
                pauselab_native::demo::run(&mut std::io::stdout().lock(), &scenario, language)?
            }
        }
        Command::Pod {
            command:
                PodCommand::Run {
                    share_pid,
                    host_network,
                    host_ipc,
                    pause,
                    commands,
                },
        } => {
            let options = PodOptions {
                share_pid,
                host_network,
                host_ipc,
                commands,
                pause: pause.unwrap_or_else(pod::default_pause),
            };
            let running = pod::start(&options)?;
            let mut out = std::io::stdout().lock();
            let containers: Vec<String> =
                running.containers.iter().map(ToString::to_string).collect();
            writeln!(
                out,
                "pod: pause is pid {}, containers (pids): {}",
                running.pause,
                containers.join(", ")
            )?;
            writeln!(
                out,
                "\nnamespaces (kind, identity, holders):\n{}",
                pod::namespace_table(&running)
            )?;
            let snapshot =
                procfs::snapshot(Path::new("/proc"), &Filter::Subtree(std::process::id()))?;
            if let Ok(world) = World::from_snapshot(&snapshot) {
                writeln!(out, "processes:\n{world}")?;
            }
            out.flush()?;
            pod::supervise(&running, &mut out)?;
            writeln!(out, "pod: torn down")?;
        }
        Command::Trace { out, command } => {
            // The file is opened before the command runs: a recording is not lost at the end.
            let mut file = out
                .as_ref()
                .map(|path| {
                    std::fs::File::create(path)
                        .with_context(|| format!("cannot write the trace to {}", path.display()))
                })
                .transpose()?;
            let recording = pauselab_native::trace::record(&command)?;
            let json = Document::Trace(recording.trace).to_json();
            match (&mut file, &out) {
                (Some(file), Some(path)) => writeln!(file, "{json}")
                    .with_context(|| format!("writing {}", path.display()))?,
                _ => println!("{json}"),
            }
            if !recording.warnings.is_empty() {
                for warning in &recording.warnings {
                    eprintln!("pauselab trace: {warning}");
                }
                eprintln!(
                    "pauselab trace: the trace may not be what the kernel did ({} warning(s) above); exit status {UNFAITHFUL}",
                    recording.warnings.len()
                );
                std::process::exit(UNFAITHFUL);
            }
            std::process::exit(recording.exit_code);
        }
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
