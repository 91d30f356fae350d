//! Running one split line: the shell's builtins, the toolbox's programs, and the shell's own
//! messages for what it cannot run, worded as dash, bash or busybox sh word them (measured on
//! Debian 12: dash 0.5.12, bash 5.2, busybox 1.35).

use super::procfs::{self, Named, NS_LINKS};
use super::seen::Seen;
use super::{docker, help, kubectl, ps, Dialect, Refused, Started, Terminal, Typed, Words};
use crate::ns::{NsId, NsKind};
use crate::pod::Node;
use crate::process::{Pid, ProcState};
use crate::scenario::Action;
use crate::signal::Signal;

/// Runs `line` in `terminal`'s shell, whose pid namespace is `ns`.
pub fn run(
    terminal: &mut Terminal,
    node: &Node,
    started: &Started,
    ns: NsId,
    line: &Words,
) -> Result<Typed, Refused> {
    let Some((command, args)) = line.words.split_first() else {
        return Ok(done(String::new(), terminal.status));
    };
    let command = command.as_str();
    // A background job that outlives the line: `sleep N` with N > 0, the one program of the
    // toolbox that runs until it is killed or its time passes (and the model's time does not
    // pass by itself). Anything else with `&` ends at once, so it runs as in the foreground:
    // the same output, the same pids.
    let long = command == "sleep"
        && args
            .first()
            .is_some_and(|n| n.parse::<f64>().is_ok_and(|n| n > 0.0));
    if line.background && long {
        return Ok(background(terminal, node, ns, &line.words));
    }
    let world = node.world();
    let shell = world.process(terminal.shell).ok_or(Refused::NoShell)?;
    let said = |text: String, status: u8| Ok(done(text, status));
    let seen = Seen {
        node,
        ns,
        shell: terminal.shell,
        started,
        tool: line.words.join(" "),
    };
    // The toolbox's programs run as the shell's children: forked, run and reaped, as the
    // real ones are, so that the pids move on as they do on a node.
    let program = matches!(
        command,
        "ps" | "lsns" | "cat" | "readlink" | "ls" | "hostname"
    );
    let result = match command {
        "true" | ":" => said(String::new(), 0),
        "false" => said(String::new(), 1),
        "echo" => said(format!("{}\n", args.join(" ")), 0),
        "help" => said(help(terminal.language).to_owned(), 0),
        "hostname" => said(
            format!("{}\n", node.hostname(terminal.shell).unwrap_or("localhost")),
            0,
        ),
        "exit" => {
            let code = match args.first() {
                None => terminal.status,
                Some(arg) => match arg.parse::<i64>() {
                    Ok(n) => n.rem_euclid(256) as u8,
                    Err(_) => {
                        let text = terminal.message("exit", &format!("Illegal number: {arg}"));
                        return said(text, 2);
                    }
                },
            };
            let mut typed = done(
                if terminal.dialect == Dialect::Bash {
                    "exit\n".into()
                } else {
                    String::new()
                },
                code,
            );
            typed.actions.push(Action::Exit {
                process: terminal.label(),
                code,
            });
            typed.exit = true;
            Ok(typed)
        }
        "kill" => Ok(kill(terminal, node, ns, args)),
        "wait" => wait(terminal, node),
        "ps" => {
            let (text, status) = ps::run(&seen, args);
            said(text, status)
        }
        "lsns" => said_lsns(&seen, args),
        "cat" => {
            let mut out = String::new();
            let mut status = 0;
            for path in args {
                match proc_file(path) {
                    Some((name, "status")) => match procfs::find(world, ns, name) {
                        Some(named) => {
                            let waiting = u64::from(terminal.dialect.waiting_mask());
                            out.push_str(&procfs::status(world, ns, shell, &named, waiting))
                        }
                        None => {
                            out.push_str(&format!("cat: {path}: No such file or directory\n"));
                            status = 1;
                        }
                    },
                    Some((name, "comm")) => match procfs::find(world, ns, name) {
                        Some(Named::Process(process, _)) => {
                            out.push_str(&format!("{}\n", process.comm()))
                        }
                        Some(Named::Reader) => out.push_str("cat\n"),
                        None => {
                            out.push_str(&format!("cat: {path}: No such file or directory\n"));
                            status = 1;
                        }
                    },
                    _ => {
                        out.push_str(&no_file(path));
                        status = 1;
                    }
                }
            }
            said(out, status)
        }
        "readlink" => {
            let mut out = String::new();
            let mut status = 0;
            for path in args {
                let target = ns_path(path).and_then(|(name, link)| {
                    let named = procfs::find(world, ns, name)?;
                    let id = procfs::ns_link(shell, &named, link)?;
                    Some(format!("{}:[{}]", procfs::link_kind(link), id.0))
                });
                match target {
                    Some(target) => out.push_str(&format!("{target}\n")),
                    // GNU readlink says nothing without -v.
                    None => status = 1,
                }
            }
            said(out, status)
        }
        "ls" => said_ls(world, ns, shell, args),
        "sleep" => Ok(sleep(terminal, node, args)),
        // The docker and kubectl CLIs are on the node, not in the containers' toolbox.
        "docker" | "kubectl" if on_node(node, ns) => {
            let mut typed = if command == "docker" {
                docker::run(terminal, node, args)?
            } else {
                kubectl::run(terminal, node, args)?
            };
            let inner = std::mem::take(&mut typed.actions);
            typed.actions = around(terminal, node, command, typed.status, inner);
            Ok(typed)
        }
        _ => {
            let text = match terminal.dialect {
                Dialect::Bash => format!("bash: {command}: command not found\n"),
                Dialect::Dash => {
                    format!(
                        "{}: {}: {command}: not found\n",
                        terminal.name, terminal.lines
                    )
                }
                Dialect::Busybox => format!("{}: {command}: not found\n", terminal.name),
            };
            let mut typed = done(text, 127);
            // bash forks before it looks the command up, and the child says it is not found
            // (dash and busybox look first): the pid is spent (measured).
            if terminal.dialect == Dialect::Bash {
                typed.actions = run_to_end(terminal, node, None, 127);
            }
            Ok(typed)
        }
    };
    let mut typed = result?;
    if program {
        let status = typed.status;
        typed
            .actions
            .extend(run_to_end(terminal, node, Some(command), status));
    }
    Ok(typed)
}

fn done(output: String, status: u8) -> Typed {
    Typed::said(output, status)
}

impl Terminal {
    /// A message of the shell about one of its builtins, as this shell words it.
    fn message(&self, builtin: &str, text: &str) -> String {
        match self.dialect {
            Dialect::Bash => format!("bash: {builtin}: {text}\n"),
            Dialect::Dash => format!("{}: {}: {builtin}: {text}\n", self.name, self.lines),
            Dialect::Busybox => format!("{}: {builtin}: {text}\n", self.name),
        }
    }
}

/// `/proc/NAME/FILE` as (NAME, FILE).
fn proc_file(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/proc/")?;
    let (name, file) = rest.split_once('/')?;
    Some((name, file))
}

/// `/proc/NAME/ns/LINK` as (NAME, LINK).
fn ns_path(path: &str) -> Option<(&str, &str)> {
    let (name, rest) = proc_file(path)?;
    let link = rest.strip_prefix("ns/")?;
    NS_LINKS.contains(&link).then_some((name, link))
}

/// A file the model does not have: said in the terminal's voice, not as `cat` would (the file
/// may well exist on a real node).
fn no_file(path: &str) -> String {
    format!(
        "pauselab: the model has no file {path}: it has /proc/PID/status, /proc/PID/comm and /proc/PID/ns\n"
    )
}

fn said_lsns(seen: &Seen<'_>, args: &[String]) -> Result<Typed, Refused> {
    let mut kind = None;
    let mut given = args.iter();
    while let Some(arg) = given.next() {
        let value = match arg.as_str() {
            "-t" | "--type" => given.next().map(String::as_str),
            other => other
                .strip_prefix("--type=")
                .or_else(|| other.strip_prefix("-t")),
        };
        match value {
            Some(name) if !name.is_empty() => {
                match NsKind::ALL.into_iter().find(|k| k.name() == name) {
                    Some(found) => kind = Some(found),
                    None => {
                        return Ok(done(format!("lsns: unknown namespace type: {name}\n"), 1))
                    }
                }
            }
            Some(_) | None if arg == "-t" || arg == "--type" => {
                return Ok(done(
                    "lsns: option requires an argument -- 't'\nTry 'lsns --help' for more information.\n".into(),
                    1,
                ))
            }
            _ => {
                return Ok(done(
                    format!("lsns: unrecognized option '{arg}'\nTry 'lsns --help' for more information.\n"),
                    1,
                ))
            }
        }
    }
    Ok(done(procfs::lsns(seen, kind), 0))
}

fn said_ls(
    world: &crate::World,
    ns: NsId,
    shell: &crate::Process,
    args: &[String],
) -> Result<Typed, Refused> {
    let (long, paths): (Vec<&String>, Vec<&String>) = args.iter().partition(|a| a.starts_with('-'));
    let long = long.iter().any(|flag| flag.contains('l'));
    let mut out = String::new();
    let mut status = 0;
    for path in paths {
        let name = path
            .trim_end_matches('/')
            .strip_prefix("/proc/")
            .and_then(|rest| rest.strip_suffix("/ns"));
        let named = name.and_then(|name| procfs::find(world, ns, name));
        let Some(named) = named else {
            out.push_str(&if name.is_some() {
                format!("ls: cannot access '{path}': No such file or directory\n")
            } else {
                no_file(path)
            });
            status = 2;
            continue;
        };
        if !long {
            out.push_str(&NS_LINKS.join("  "));
            out.push('\n');
            continue;
        }
        out.push_str("total 0\n");
        for link in NS_LINKS {
            // The model's clock starts at the epoch; GNU ls quotes a target with `[` on a
            // terminal.
            match procfs::ns_link(shell, &named, link) {
                Some(id) => out.push_str(&format!(
                    "lrwxrwxrwx 1 root root 0 Jan  1 00:00 {link} -> '{}:[{}]'\n",
                    procfs::link_kind(link),
                    id.0
                )),
                None => {
                    out.push_str(&format!(
                        "ls: cannot read symbolic link '{path}/{link}': No such file or directory\n"
                    ));
                    status = 1;
                }
            }
        }
    }
    Ok(done(out, status))
}

/// `kill [-SIGNAL | -s SIGNAL | -NUMBER] PID...`: a builtin in every shell; pids are numbers in
/// the shell's pid namespace (K7), each sent in turn.
fn kill(terminal: &Terminal, node: &Node, ns: NsId, args: &[String]) -> Typed {
    let usage = || {
        match terminal.dialect {
        Dialect::Bash => "bash: kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n".to_owned(),
        _ => terminal.message(
            "kill",
            "Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]",
        ),
    }
    };
    let invalid = |name: &str| match terminal.dialect {
        Dialect::Bash => (
            terminal.message("kill", &format!("{name}: invalid signal specification")),
            1,
        ),
        _ => (
            terminal.message("kill", &format!("invalid signal number or name: {name}")),
            2,
        ),
    };
    // The signal's name and the pids after it: `-s NAME`, `-n NUMBER`, `-NAME`, `-NUMBER`.
    let (name, rest) = match args.first().map(String::as_str) {
        Some("-s" | "-n") => match args.get(1) {
            Some(name) => (Some(name.as_str()), &args[2..]),
            None => return done(usage(), 2),
        },
        Some("--") => (None, &args[1..]),
        Some(flag) if flag.len() > 1 && flag.starts_with('-') => (Some(&flag[1..]), &args[1..]),
        _ => (None, args),
    };
    let signal = match name.map(str::parse::<Signal>) {
        None => Signal::SIGTERM,
        Some(Ok(signal)) => signal,
        Some(Err(_)) => {
            let (text, status) = invalid(name.unwrap_or_default());
            return done(text, status);
        }
    };
    if rest.is_empty() {
        return done(usage(), 2);
    }
    let world = node.world();
    let mut typed = done(String::new(), 0);
    for target in rest {
        let Some(pid) = target.parse::<u32>().ok().filter(|&n| n > 0) else {
            let text = match terminal.dialect {
                Dialect::Bash => terminal.message(
                    "kill",
                    &format!("{target}: arguments must be process or job IDs"),
                ),
                _ => terminal.message("kill", &format!("Illegal number: {target}")),
            };
            typed.output.push_str(&text);
            typed.status = if terminal.dialect == Dialect::Bash {
                1
            } else {
                2
            };
            continue;
        };
        // Visible in the shell's namespace (K9), and not a zombie's reaped slot.
        if world.resolve(ns, Pid(pid)).is_none() {
            let text = match terminal.dialect {
                Dialect::Bash => terminal.message("kill", &format!("({pid}) - No such process")),
                // dash follows its message with an empty line (measured, 0.5.12).
                Dialect::Dash => terminal.message("kill", "No such process") + "\n",
                Dialect::Busybox => {
                    format!("{}: can't kill pid {pid}: No such process\n", terminal.name)
                }
            };
            typed.output.push_str(&text);
            typed.status = 1;
            continue;
        }
        typed.actions.push(Action::Kill {
            from: terminal.label(),
            target: pid,
            signal,
        });
        // SIGINT to the shell itself is its Ctrl-C: the handler it set at start abandons the
        // line, prints a new line and sets $? to 130 (dash, bash and busybox alike, measured).
        if signal == Signal::SIGINT && world.resolve(ns, Pid(pid)) == Some(terminal.shell) {
            typed.output.push('\n');
            typed.status = 130;
        }
        // SIGKILL to the shell itself ends it: it sends nothing after that.
        if signal == Signal::SIGKILL && world.resolve(ns, Pid(pid)) == Some(terminal.shell) {
            break;
        }
    }
    typed
}

/// `wait`: reaps the shell's children that have exited; with one still running, the real shell
/// would wait for it, which the model cannot do by itself, so the line is refused.
fn wait(terminal: &Terminal, node: &Node) -> Result<Typed, Refused> {
    let world = node.world();
    let shell = world.process(terminal.shell).ok_or(Refused::NoShell)?;
    let children: Vec<ProcState> = shell
        .children()
        .filter_map(|pid| world.process(pid).map(|p| p.state()))
        .collect();
    if children.iter().any(|state| state.is_alive()) {
        return Err(Refused::WouldBlock);
    }
    let mut typed = done(String::new(), 0);
    for _ in children
        .iter()
        .filter(|s| matches!(s, ProcState::Zombie(_)))
    {
        typed.actions.push(Action::Wait {
            process: terminal.label(),
            nohang: false,
        });
    }
    Ok(typed)
}

/// `CMD &`: the shell forks a child that execs CMD. bash prints the job and its pid.
fn background(terminal: &mut Terminal, node: &Node, ns: NsId, words: &[String]) -> Typed {
    let world = node.world();
    terminal.jobs += 1;
    let name = format!("job:{}:{}", terminal.shell.0, terminal.jobs);
    let mut typed = done(String::new(), 0);
    if terminal.dialect == Dialect::Bash {
        // bash numbers the jobs that are running, from 1.
        let running = world.process(terminal.shell).map_or(0, |shell| {
            shell
                .children()
                .filter(|&pid| world.process(pid).is_some_and(|p| p.state().is_alive()))
                .count()
        });
        let pid = world.next_pid_in(ns).map_or(0, |pid| pid.0);
        typed.output = format!("[{}] {pid}\n", running + 1);
    }
    // Its arguments, for ps: the fork will take the host's next pid.
    if let Some(host) = world.next_pid_in(world.root_pid_ns()) {
        typed.started.push((host, words.join(" ")));
    }
    typed.actions.push(Action::Fork {
        process: terminal.label(),
        name: name.clone(),
        comm: Some(words[0].clone()),
        new: Default::default(),
    });
    // The child of an interactive shell puts back what the shell ignores for job control
    // before it execs (dash's forkchild; a background job's SigIgn is 0, measured).
    let (ignored, _) = terminal.dialect.interactive_masks();
    for signal in crate::signal::Signal::all() {
        if ignored & (1 << (signal.number() - 1)) != 0 {
            typed.actions.push(Action::Sigaction {
                process: crate::scenario::Label::Named(name.clone()),
                signal,
                action: crate::process::Disposition::Default,
            });
        }
    }
    typed
}

/// `sleep N` in the foreground: forked, run to its end and reaped; the model's time passes at
/// once.
fn sleep(terminal: &mut Terminal, node: &Node, args: &[String]) -> Typed {
    if args.first().is_none_or(|n| n.parse::<f64>().is_err()) {
        let text = match args.first() {
            None => "sleep: missing operand\nTry 'sleep --help' for more information.\n".to_owned(),
            Some(arg) => format!(
                "sleep: invalid time interval '{arg}'\nTry 'sleep --help' for more information.\n"
            ),
        };
        return done(text, 1);
    }
    let mut typed = done(String::new(), 0);
    typed.actions = run_to_end(terminal, node, Some("sleep"), 0);
    typed
}

/// A child the shell forks, which runs `comm` (or, with none, fails before it execs) to its
/// end with `status` and is reaped by the shell.
fn run_to_end(terminal: &mut Terminal, node: &Node, comm: Option<&str>, status: u8) -> Vec<Action> {
    with_process(terminal, node, comm, status, Vec::new())
}

/// A program that does `inner` while it runs (the docker CLI while dockerd starts a
/// container): forked first, so that it has the lower pid, as on a node.
fn around(
    terminal: &mut Terminal,
    node: &Node,
    comm: &str,
    status: u8,
    inner: Vec<Action>,
) -> Vec<Action> {
    with_process(terminal, node, Some(comm), status, inner)
}

/// Whether the shell's pid namespace is the node's.
fn on_node(node: &Node, ns: NsId) -> bool {
    node.world()
        .process(Pid(1))
        .is_some_and(|init| init.namespaces().get(NsKind::Pid) == ns)
}

fn with_process(
    terminal: &mut Terminal,
    node: &Node,
    comm: Option<&str>,
    status: u8,
    inner: Vec<Action>,
) -> Vec<Action> {
    terminal.jobs += 1;
    let name = format!("job:{}:{}", terminal.shell.0, terminal.jobs);
    let mut actions = vec![Action::Fork {
        process: terminal.label(),
        name: name.clone(),
        comm: comm.map(str::to_owned),
        new: Default::default(),
    }];
    actions.extend(inner);
    actions.push(Action::Exit {
        process: crate::scenario::Label::Named(name),
        code: status,
    });
    // A shell that waits for its children (the measured shells do, K30) reaps it as it exits.
    if !node
        .program(terminal.shell)
        .is_some_and(|program| program.reaps)
    {
        actions.push(Action::Wait {
            process: terminal.label(),
            nohang: false,
        });
    }
    actions
}
