//! `pauselab demo`: plays a guided scenario (the model's data, `core/scenarios/`) in the
//! terminal, in English or Korean: what each step says, the kernel events it makes and what the
//! kernel did, what the runtime said, and the process tree afterwards.

use std::io::{self, Write};

use pauselab_core::pod::NodeStep;
use pauselab_core::scenario::{Player, Scenario, ScenarioError, ScenarioProblem};
use pauselab_core::text::{Language, Say};
use pauselab_core::Rule;

/// A failure of the demo.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// A scenario file is broken.
    #[error("loading the scenarios")]
    Load(#[source] ScenarioError),
    /// No scenario has this id.
    #[error("no scenario \"{0}\"; `pauselab demo list` shows them")]
    Unknown(String),
    /// Writing to the terminal.
    #[error("writing the demo")]
    Write(#[source] io::Error),
    /// A step's expectation did not hold: the model and the scenario disagree.
    #[error("{0}")]
    Expectation(ScenarioError),
}

/// Plays scenario `id` (or lists them all for `list`) to `out`, in `language`: every word
/// comes from the catalog (`pauselab_core::text`), as the browser's do.
pub fn run(out: &mut impl Write, id: &str, language: Language) -> Result<(), DemoError> {
    let scenarios = Scenario::all().map_err(DemoError::Load)?;
    let labels = language.cli();
    let write =
        |out: &mut dyn Write, line: String| writeln!(out, "{line}").map_err(DemoError::Write);
    if id == "list" {
        for scenario in &scenarios {
            write(
                out,
                format!("{:<26} {}", scenario.id, scenario.title.say(language)),
            )?;
        }
        return Ok(());
    }
    let scenario = scenarios
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(|| DemoError::Unknown(id.to_owned()))?;
    write(
        out,
        format!(
            "{}\n{}: {}\n",
            scenario.title.say(language),
            labels.question,
            scenario.question.say(language)
        ),
    )?;
    let rule = |rule: Option<Rule>| rule.map(|r| format!("  [{r}]")).unwrap_or_default();
    let mut player = Player::new();
    for (index, step) in scenario.steps.iter().enumerate() {
        write(
            out,
            format!(
                "── {} {} ── {}",
                labels.step,
                index + 1,
                step.say.say(language)
            ),
        )?;
        let checked = player.play(scenario, index);
        // Building a pod takes a few dozen events; when a step has many, show those that the
        // scenario's rules explain and count the rest.
        let kernel_steps = player
            .last
            .iter()
            .filter(|s| matches!(s, NodeStep::Kernel { .. }))
            .count();
        let shown = |outcomes: &[pauselab_core::Outcome]| {
            kernel_steps <= 8
                || outcomes
                    .iter()
                    .any(|o| o.rule().is_some_and(|r| scenario.rules.contains(&r)))
        };
        let mut hidden = 0;
        for node_step in &player.last {
            match node_step {
                NodeStep::Kernel { outcomes, .. } if !shown(outcomes) => hidden += 1,
                NodeStep::Kernel { event, outcomes } => {
                    write(out, format!("   {event}"))?;
                    for outcome in outcomes {
                        write(
                            out,
                            format!("     → {}{}", outcome.say(language), rule(outcome.rule())),
                        )?;
                    }
                }
                NodeStep::Runtime { note } => {
                    let said = note.say(language);
                    write(
                        out,
                        format!("   {}: {said}{}", labels.runtime, rule(Some(note.rule()))),
                    )?;
                }
                NodeStep::Typed { line, said, .. } => {
                    let text = pauselab_core::text::transcript(line, said, language);
                    for printed in text.lines() {
                        write(out, format!("   ┆ {printed}"))?;
                    }
                }
            }
        }
        if hidden > 0 {
            write(
                out,
                format!(
                    "   (… {hidden}{})",
                    language.either(
                        || format!(" {}", labels.hidden),
                        || labels.hidden.to_owned()
                    )
                ),
            )?;
        }
        if let Some(error) = &player.refused {
            write(
                out,
                format!(
                    "   ✗ {}: {}{}",
                    labels.refused,
                    error.say(language),
                    rule(error.rule())
                ),
            )?;
        }
        for line in player.node().world().tree(language).lines() {
            write(out, format!("   │ {line}"))?;
        }
        checked.map_err(|error| {
            DemoError::Expectation(ScenarioError {
                file: scenario.id.clone(),
                step: Some(index),
                problem: ScenarioProblem::Failed(error),
            })
        })?;
        write(out, String::new())?;
    }
    let sources = scenario.sources.join("; ");
    write(out, format!("{}: {sources}", labels.read_more))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_plays_in_both_languages() {
        for scenario in Scenario::all().unwrap() {
            for language in Language::ALL {
                let mut out = Vec::new();
                run(&mut out, &scenario.id, language)
                    .unwrap_or_else(|e| panic!("{}: {e}", scenario.id));
                let text = String::from_utf8(out).unwrap();
                assert!(text.starts_with(language.pick(&scenario.title)));
            }
        }
    }

    /// `pauselab demo --ko` reads as Korean to the end, and neither language shows a Rust
    /// `Debug` shape (the catalog's rule, `pauselab_core::text`).
    #[test]
    fn demo_output_reads_well_in_both_languages() {
        for scenario in Scenario::all().unwrap() {
            for language in Language::ALL {
                let mut out = Vec::new();
                run(&mut out, &scenario.id, language).unwrap();
                for line in String::from_utf8(out).unwrap().lines() {
                    let line = line.trim_start_matches([' ', '│', '→']).trim();
                    if let Some(shape) = pauselab_core::text::debug_shape(line) {
                        panic!("{}: Debug text {shape:?} in {line:?}", scenario.id);
                    }
                    // Syscalls are the kernel's vocabulary in both languages.
                    let syscall = line.starts_with('[') && line.contains("] ");
                    if language == Language::Korean && !syscall {
                        if let Some(words) = pauselab_core::text::english_leak(line) {
                            panic!("{}: English in Korean ({words}): {line:?}", scenario.id);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn an_unknown_scenario_is_an_error_and_list_lists_them() {
        assert!(matches!(
            run(&mut Vec::new(), "nope", Language::English),
            Err(DemoError::Unknown(_))
        ));
        let mut out = Vec::new();
        run(&mut out, "list", Language::English).unwrap();
        let scenarios = Scenario::all().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap().lines().count(),
            scenarios.len()
        );
    }
}
