//! Hostile scenario files for the page: the page fetches each scenario but the first as
//! `scenarios/<id>.wire` when it is opened, and plays whatever decodes. A stale cache, a proxy
//! or a broken server can hand it anything, so mutations of the real files are decoded as the
//! page decodes them and, if they decode, played step by step and back, with every view read.

use pauselab_core::history::History;
use pauselab_core::scenario::{Player, Scenario};
use pauselab_core::text::{Language, Say};
use pauselab_core::wire;

use super::{Rng, Verdict};

/// The real scenario files, as `web/build.rs` writes them.
pub fn corpus() -> Vec<(String, Vec<u8>)> {
    Scenario::all()
        .expect("the scenario files read")
        .into_iter()
        .map(|scenario| {
            let bytes = wire::encode_scenarios(std::slice::from_ref(&scenario));
            (scenario.id, bytes)
        })
        .collect()
}

/// Changes a scenario file the ways a transfer or an attacker would: truncation, flipped
/// bits, bytes inserted or dropped, a run of one byte (a large count or tag), or a splice of
/// another scenario's bytes.
pub fn mutate(bytes: &[u8], others: &[(String, Vec<u8>)], rng: &mut Rng) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 => bytes.truncate(at),
            1 if at < bytes.len() => bytes[at] ^= 1 << rng.below(8),
            2 => bytes.insert(at, rng.next_u64() as u8),
            3 if at < bytes.len() => {
                bytes.remove(at);
            }
            4 => {
                let run = [*rng.pick(&[0x00, 0x7f, 0x80, 0xff]); 6];
                bytes.splice(at..at, run);
            }
            _ => {
                let (_, other) = rng.pick(others);
                let from = rng.below(other.len());
                let len = rng.below(64).min(other.len() - from);
                bytes.splice(at..at, other[from..from + len].iter().copied());
            }
        }
    }
    bytes
}

/// The input number `n` of a run with `seed`: a real file, now and then as it is.
pub fn input(corpus: &[(String, Vec<u8>)], seed: u64, n: u64) -> (Vec<u8>, Rng) {
    let mut rng = Rng::new(seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5CE7_A210);
    let (_, bytes) = rng.pick(corpus);
    let bytes = if rng.below(8) == 0 {
        bytes.clone()
    } else {
        mutate(bytes, corpus, &mut rng)
    };
    (bytes, rng)
}

/// Decodes the bytes as the page does and, if they hold a scenario, plays it as the page's
/// lesson does: forward, back and to random steps, reading each step's log, checks and
/// narration in both languages and the world's views. Panics on anything the page must never
/// do; a refusal is the decoder's message.
pub fn drive(bytes: &[u8], rng: &mut Rng) -> Verdict {
    let scenarios = match wire::decode_scenarios(bytes) {
        Ok(scenarios) => scenarios,
        Err(error) => return Verdict::Refused(error.to_string()),
    };
    let mut moves = 0;
    for scenario in &scenarios {
        let mut history = History::with_inputs(Player::new(), scenario.steps.clone());
        for _ in 0..rng.below(3 * scenario.steps.len() + 2) {
            moves += 1;
            match rng.below(4) {
                0 => {
                    history.back();
                }
                1 => history.seek(rng.below(scenario.steps.len() + 2)),
                _ => {
                    history.forward();
                }
            }
            read(&history, scenario);
        }
        history.seek(usize::MAX);
        read(&history, scenario);
    }
    Verdict::Opened(moves)
}

/// What the lesson shows at the current step, in both languages.
fn read(history: &History<Player>, scenario: &Scenario) {
    let player = history.current();
    for language in Language::ALL {
        let _ = language.pick(&scenario.title);
        for record in history.records() {
            for check in &record.checks {
                let _ = check.expect.say(language);
                if let Err(mismatch) = &check.result {
                    let _ = mismatch.say(language);
                }
            }
            if let Some(failure) = &record.failure {
                let _ = failure.say(language);
            }
        }
        let _ = player.node().world().tree(language);
    }
    if let Some(challenge) = &scenario.challenge {
        let _ = player.checks(&challenge.expect);
    }
    let world = player.node().world();
    for row in world.lsns() {
        let _ = world.ps(row.ns);
    }
    let _ = world.zombies();
}

/// A stable name for a scenario input found to crash.
pub fn name_of(bytes: &[u8]) -> String {
    format!("{:016x}.wire", super::fnv1a(bytes))
}
