//! `pauselab demo SCENARIO --shell [--in POD/CONTAINER]`: the scenario played to its end, then a
//! shell of the model to type into — on the node (bash) or in a container (`kubectl exec`'s sh).
//! The lines run in `pauselab_core::shell`, as the page's terminal runs them; each line's
//! kernel events are shown under its output with their rules.

use std::io::{self, BufRead, Write};

use pauselab_core::pod::{ContainerRef, NodeStep, PodError};
use pauselab_core::scenario::{Action, Label, Player, Scenario, ScenarioError, ScenarioProblem};
use pauselab_core::shell::Terminal;
use pauselab_core::text::{Language, Say};
use pauselab_core::Rule;

/// A failure of the shell demo.
#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    /// A scenario file is broken.
    #[error("loading the scenarios")]
    Load(#[source] ScenarioError),
    /// No scenario has this id.
    #[error("no scenario \"{0}\"; `pauselab demo list` shows them")]
    Unknown(String),
    /// A step's expectation did not hold while playing the scenario to its end.
    #[error("{0}")]
    Expectation(ScenarioError),
    /// `--in` is not POD/CONTAINER.
    #[error("--in takes POD/CONTAINER, e.g. web/app (not \"{0}\")")]
    BadContainer(String),
    /// The shell could not be started (no such container, or the runtime refused the exec).
    #[error("cannot start a shell: {0}")]
    Open(String),
    /// Reading what the reader types.
    #[error("reading the terminal")]
    Read(#[source] io::Error),
    /// Writing to the terminal.
    #[error("writing to the terminal")]
    Write(#[source] io::Error),
}

/// Plays scenario `id` to its end, then reads lines from `input` until `exit` or its end.
pub fn run(
    input: &mut impl BufRead,
    out: &mut impl Write,
    id: &str,
    inside: Option<&str>,
    language: Language,
) -> Result<(), TerminalError> {
    let scenarios = Scenario::all().map_err(TerminalError::Load)?;
    let scenario = scenarios
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(|| TerminalError::Unknown(id.to_owned()))?;
    let mut player = Player::new();
    for index in 0..scenario.steps.len() {
        player.play(scenario, index).map_err(|error| {
            TerminalError::Expectation(ScenarioError {
                file: scenario.id.clone(),
                step: Some(index),
                problem: ScenarioProblem::Failed(error),
            })
        })?;
    }
    let refused = |refusal: PodError| TerminalError::Open(refusal.say(language));
    let (shell, comm) = match inside {
        Some(target) => {
            let (pod, container) = target
                .split_once('/')
                .filter(|(pod, container)| !pod.is_empty() && !container.is_empty())
                .ok_or_else(|| TerminalError::BadContainer(target.to_owned()))?;
            let exec = Action::Exec {
                container: ContainerRef::new(pod, container),
                name: "you".into(),
                comm: "sh".into(),
            };
            match player.perform_action(&exec) {
                Ok(None) => {}
                Ok(Some(refusal)) => return Err(refused(refusal)),
                Err(unknown) => return Err(TerminalError::Open(unknown.say(language))),
            }
            let shell = player
                .pid(&Label::Named("you".into()))
                .ok_or_else(|| TerminalError::Open("the shell has no pid".into()))?;
            (shell, "sh")
        }
        // On the node: the reader's login shell, the one a kill from the node is sent by.
        None => (player.login_shell().map_err(refused)?, "bash"),
    };
    // The player opens the shell's terminal at the first line; this one gives the prompt.
    let prompt = Terminal::new(shell, comm, language);
    let labels = language.cli();
    let write = |out: &mut dyn Write, text: &str| {
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(TerminalError::Write)
    };
    write(out, &format!("{}\n", labels.shell_intro))?;
    let mut line = String::new();
    loop {
        // `kubectl exec -it` enters a container's shell; its `exit` comes back here.
        let at = player.typing_at(shell);
        let prompt = if at == shell {
            prompt.clone()
        } else {
            let comm = player
                .node()
                .world()
                .process(at)
                .map_or("sh", |p| p.comm())
                .to_owned();
            Terminal::new(at, &comm, language)
        };
        write(out, &prompt.prompt(player.node()))?;
        line.clear();
        if input.read_line(&mut line).map_err(TerminalError::Read)? == 0 {
            write(out, "\n")?;
            return Ok(());
        }
        // A typed line is a scenario action, as in the page: played, logged, undone whole.
        let typed = Action::Type {
            process: Label::HostPid(at),
            line: line.trim_end_matches(['\n', '\r']).to_owned(),
            effects: None,
        };
        let before = player.clone();
        let refusal = match player.perform_action(&typed) {
            Ok(None) => None,
            Ok(Some(refusal)) => Some(with_rule(refusal.say(language), refusal.rule())),
            Err(unknown) => Some(unknown.say(language)),
        };
        if let Some(refusal) = refusal {
            // The line changes nothing: the model goes back to before it.
            player = before;
            write(
                out,
                &format!("pauselab: {}: {refusal}\n", labels.shell_refused),
            )?;
            continue;
        }
        for step in &player.last {
            if let NodeStep::Typed { said, .. } = step {
                let text = match said {
                    Ok((output, _)) => output.clone(),
                    Err(refused) => format!(
                        "pauselab: {}: {}\n",
                        labels.shell_refused,
                        refused.say(language)
                    ),
                };
                write(out, &text)?;
            }
        }
        write(out, &kernel_lines(&player.last, language))?;
        if !player
            .node()
            .world()
            .process(shell)
            .is_some_and(|p| p.state().is_alive())
        {
            return Ok(());
        }
    }
}

fn with_rule(text: String, rule: Option<Rule>) -> String {
    match rule {
        Some(rule) => format!("{text} [{rule}]"),
        None => text,
    }
}

/// The kernel's part of what an action did, one event and its outcomes per line, dimmed apart
/// from the tools' output by a margin.
fn kernel_lines(steps: &[NodeStep], language: Language) -> String {
    let mut text = String::new();
    for step in steps {
        if let NodeStep::Kernel { event, outcomes } = step {
            text.push_str(&format!("  │ {event}\n"));
            for outcome in outcomes {
                text.push_str(&format!(
                    "  │   → {}\n",
                    with_rule(outcome.say(language), outcome.rule())
                ));
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: &str, inside: Option<&str>, lines: &str, language: Language) -> String {
        let mut out = Vec::new();
        run(&mut lines.as_bytes(), &mut out, id, inside, language).unwrap();
        String::from_utf8(out).unwrap()
    }

    // K17: inside the container, kill -9 1 is dropped and the app lives on.
    #[test]
    fn k17_kill_9_1_typed_inside_a_container_is_dropped() {
        let out = session(
            "zombies",
            Some("web/app"),
            "kill -9 1\necho $?\nps -e -o pid,comm\nexit\n",
            Language::English,
        );
        assert!(out.starts_with("A shell of the model"), "{out}");
        assert!(
            out.contains("→ SIGKILL from") && out.contains("dropped"),
            "{out}"
        );
        assert!(out.contains("[K17]"), "{out}");
        assert!(out.contains("# 0\n"), "{out}");
        assert!(out.contains("      1 app\n"), "{out}");
    }

    #[test]
    fn a_refused_or_unknown_line_says_why_in_the_readers_language() {
        let out = session(
            "zombies",
            None,
            "ps | grep app\nfoo\necho $?\n",
            Language::Korean,
        );
        assert!(out.contains("모델 속 셸"), "{out}");
        assert!(out.contains("pauselab: 실행하지 않음: "), "{out}");
        assert!(out.contains("bash: foo: command not found\n"), "{out}");
        assert!(out.contains("127\n"), "{out}");
    }

    // kubectl exec -it enters the container's shell (its prompt, its pid namespace); exit comes
    // back to the node's bash.
    #[test]
    fn kubectl_exec_enters_a_containers_shell_and_exit_comes_back() {
        let out = session(
            "zombies",
            None,
            "kubectl get pods\nkubectl exec -it web -- sh\nps -e -o pid,comm\nexit\nhostname\nexit\n",
            Language::English,
        );
        assert!(
            out.contains("NAME   READY   STATUS    RESTARTS   AGE\nweb    "),
            "{out}"
        );
        assert!(out.contains("# "), "the container shell's prompt: {out}");
        assert!(out.contains("      1 app\n"), "{out}");
        assert!(
            out.contains("root@node-1:~# node-1\n"),
            "back on the node: {out}"
        );
    }

    #[test]
    fn a_bad_container_is_an_error() {
        let mut out = Vec::new();
        let error = run(
            &mut "".as_bytes(),
            &mut out,
            "zombies",
            Some("web"),
            Language::English,
        )
        .unwrap_err();
        assert!(matches!(error, TerminalError::BadContainer(_)));
        let error = run(
            &mut "".as_bytes(),
            &mut out,
            "zombies",
            Some("web/nope"),
            Language::English,
        )
        .unwrap_err();
        assert!(matches!(error, TerminalError::Open(_)), "{error}");
    }
}
