//! `pauselab demo`: plays a guided scenario (the model's data, `core/scenarios/`) in the
//! terminal, in English or Korean: what each step says, the kernel events it makes and what the
//! kernel did, what the runtime said, and the process tree afterwards.

use std::io::{self, Write};

use pauselab_core::pod::NodeStep;
use pauselab_core::scenario::{Player, Scenario, ScenarioError};

/// A failure of the demo.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// A scenario file is broken.
    #[error("loading the scenarios")]
    Load(#[source] ScenarioError),
    /// No scenario has this id.
    #[error("no scenario {0:?}; `pauselab demo list` shows them")]
    Unknown(String),
    /// Writing to the terminal.
    #[error("writing the demo")]
    Write(#[source] io::Error),
    /// A step's expectation did not hold: the model and the scenario disagree.
    #[error("{0}")]
    Expectation(ScenarioError),
}

/// Plays scenario `id` (or lists them all for `list`) to `out`, in Korean with `korean`.
pub fn run(out: &mut impl Write, id: &str, korean: bool) -> Result<(), DemoError> {
    let scenarios = Scenario::all().map_err(DemoError::Load)?;
    let text = |t: &pauselab_core::scenario::Text| if korean { t.ko.clone() } else { t.en.clone() };
    let write =
        |out: &mut dyn Write, line: String| writeln!(out, "{line}").map_err(DemoError::Write);
    if id == "list" {
        for scenario in &scenarios {
            write(
                out,
                format!("{:<26} {}", scenario.id, text(&scenario.title)),
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
        format!("{}\n{}\n", text(&scenario.title), text(&scenario.question)),
    )?;
    let mut player = Player::new();
    for (index, step) in scenario.steps.iter().enumerate() {
        write(out, format!("── {} ── {}", index + 1, text(&step.say)))?;
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
                        let rule = outcome
                            .rule()
                            .map(|r| format!("  [{r}]"))
                            .unwrap_or_default();
                        write(out, format!("     → {outcome}{rule}"))?;
                    }
                }
                NodeStep::Runtime { note } => {
                    write(out, format!("   runtime: {note}  [{}]", note.rule()))?;
                }
            }
        }
        if hidden > 0 {
            let words = if korean {
                "개의 준비 이벤트 생략"
            } else {
                "set-up events not shown"
            };
            write(out, format!("   (… {hidden} {words})"))?;
        }
        if let Some(error) = &player.refused {
            let rule = error.rule().map(|r| format!("  [{r}]")).unwrap_or_default();
            write(out, format!("   ✗ refused: {error}{rule}"))?;
        }
        for line in player.node().world().to_string().lines() {
            write(out, format!("   │ {line}"))?;
        }
        checked.map_err(|error| {
            DemoError::Expectation(ScenarioError {
                file: scenario.id.clone(),
                step: Some(index),
                message: error.to_string(),
            })
        })?;
        write(out, String::new())?;
    }
    let sources = scenario.sources.join("; ");
    write(
        out,
        format!(
            "{}: {sources}",
            if korean {
                "더 읽을거리"
            } else {
                "Read more"
            }
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_plays_in_both_languages() {
        for scenario in Scenario::all().unwrap() {
            for korean in [false, true] {
                let mut out = Vec::new();
                run(&mut out, &scenario.id, korean)
                    .unwrap_or_else(|e| panic!("{}: {e}", scenario.id));
                let text = String::from_utf8(out).unwrap();
                let title = if korean {
                    &scenario.title.ko
                } else {
                    &scenario.title.en
                };
                assert!(text.starts_with(title.as_str()));
            }
        }
    }

    #[test]
    fn an_unknown_scenario_is_an_error_and_list_lists_them() {
        assert!(matches!(
            run(&mut Vec::new(), "nope", false),
            Err(DemoError::Unknown(_))
        ));
        let mut out = Vec::new();
        run(&mut out, "list", false).unwrap();
        let scenarios = Scenario::all().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap().lines().count(),
            scenarios.len()
        );
    }
}
