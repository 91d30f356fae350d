//! The model and a real node in lockstep: each action is played on both, then the test waits
//! (at most [`SETTLE`]) until the real node looks like the model, or says how they differ.

use pauselab_core::scenario::{Action, Player};

use super::compare::{both, model_view, real_view};
use super::kubelet::{RealError, RealNode, SETTLE};
use crate::pause::wait_for;

/// What one action did on both.
#[derive(Debug)]
pub enum Played {
    /// Both did it, and the real node now looks like the model.
    Agreed,
    /// Both refused it: the model's reason and the runtime's message.
    BothRefused {
        /// The model's refusal, in its words.
        model: String,
        /// The runtime's.
        real: String,
    },
    /// The model refused a kernel event (nothing to do on the real node).
    ModelRefused(String),
    /// CRI cannot express it: the comparison of this run stops here.
    Unsupported(String),
}

/// How the model and the real node disagree.
#[derive(Debug)]
pub struct Disagreement(pub String);

fn is_pod_operation(action: &Action) -> bool {
    matches!(
        action,
        Action::CreatePod { .. }
            | Action::Exec { .. }
            | Action::ExecProbe { .. }
            | Action::Debug { .. }
            | Action::StopContainer { .. }
            | Action::RestartContainer { .. }
            | Action::KillPause { .. }
            | Action::DeletePod { .. }
    )
}

/// Plays `action` on the model and on the real node, and compares them.
pub fn play(
    player: &mut Player,
    real: &mut RealNode<'_>,
    action: &Action,
) -> Result<Played, Disagreement> {
    let before = player.clone();
    // K27: whether a pod's IP changes when its sandbox is re-created, on both.
    let ips_before = match action {
        Action::KillPause { pod } => Some((
            player.node().pod(pod).and_then(|p| p.ip.clone()),
            real.pods.get(pod).and_then(|p| p.ip.clone()),
        )),
        _ => None,
    };
    let refused = player
        .perform_action(action)
        .map_err(|unknown| Disagreement(format!("the model knows no {}", unknown.0)))?;
    if let Some(refusal) = &refused {
        if !is_pod_operation(action) {
            return Ok(Played::ModelRefused(refusal.to_string()));
        }
    }
    let done = real.act(action);
    match (refused, done) {
        (_, Err(RealError::Unsupported(why))) => {
            *player = before;
            Ok(Played::Unsupported(why))
        }
        (Some(model), Err(RealError::Refused(error))) => Ok(Played::BothRefused {
            model: model.to_string(),
            real: error.to_string(),
        }),
        (Some(model), Ok(())) => Err(Disagreement(format!(
            "the model refused ({model}) but the runtime did it"
        ))),
        (None, Err(error)) => Err(Disagreement(format!(
            "the model did it but on the real node: {error}"
        ))),
        (Some(model), Err(error)) => Err(Disagreement(format!(
            "the model refused ({model}); the real node failed otherwise: {error}"
        ))),
        (None, Ok(())) => {
            settle(player, real)?;
            if let (Some((model_ip, real_ip)), Action::KillPause { pod }) = (ips_before, action) {
                let model_changed = player.node().pod(pod).and_then(|p| p.ip.clone()) != model_ip;
                let real_changed = real.pods.get(pod).and_then(|p| p.ip.clone()) != real_ip;
                if model_changed != real_changed {
                    return Err(Disagreement(format!(
                        "the pod's IP changed with its new sandbox: in the model {model_changed}, on the node {real_changed}"
                    )));
                }
            }
            Ok(Played::Agreed)
        }
    }
}

/// Waits until the real node looks like the model.
pub fn settle(player: &Player, real: &RealNode<'_>) -> Result<(), Disagreement> {
    let model = model_view(player.node());
    let mut last = Vec::new();
    let agreed = wait_for(SETTLE, || {
        last = real_view(real);
        (last == model).then_some(())
    });
    agreed.ok_or_else(|| Disagreement(both(&model, &last)))
}
