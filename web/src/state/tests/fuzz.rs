//! The page's reducer as a fuzz target: every input it takes from outside (acts built from
//! every scenario's actions with their values changed, links edited by hand, files, fetched
//! scenario files and live messages with their bytes mutated) in random orders. Nothing
//! panics, and an input that is refused with a notice leaves what is on screen as it was.
//! The seed is printed; `PAUSELAB_FUZZ_SEED` replays one.

use std::rc::Rc;

use pauselab_core::scenario::Action as ScenarioAction;
use pauselab_core::{wire, Pid, Timeline};

use super::*;

/// splitmix64: small, and the same sequence for the same seed on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What is on screen: the source, the steps in play and the cursor, the language.
fn moment(state: &State) -> (String, usize, usize, Vec<u8>) {
    let (position, len) = state.position();
    let (name, bytes) = match &state.source {
        Source::Lesson(lesson) => (
            lesson.written.id.clone(),
            wire::encode_steps(lesson.steps().iter().map(|step| step.actions.as_slice())),
        ),
        Source::File { name, timeline } => (name.clone(), timeline.to_wire()),
    };
    (format!("{name} {:?}", state.language), position, len, bytes)
}

/// Bytes with a few of them changed, cut short, or grown.
fn mutated(rng: &mut Rng, bytes: &[u8]) -> Rc<[u8]> {
    let mut bytes = bytes.to_vec();
    for _ in 0..1 + rng.below(4) {
        match rng.below(4) {
            0 if !bytes.is_empty() => {
                let at = rng.below(bytes.len());
                bytes[at] = rng.next() as u8;
            }
            1 => bytes.truncate(rng.below(bytes.len() + 1)),
            2 => {
                let at = rng.below(bytes.len() + 1);
                bytes.insert(at, rng.next() as u8);
            }
            _ => {}
        }
    }
    bytes.into()
}

/// A JSON value with one of its numbers or strings replaced.
fn changed(rng: &mut Rng, value: &mut serde_json::Value, words: &[String]) {
    match value {
        serde_json::Value::Number(_) => {
            let numbers = [0u64, 1, 2, 7, 9, 15, 255, 1_000, u32::MAX as u64];
            *value = (*rng.pick(&numbers) + rng.below(3) as u64).into();
        }
        serde_json::Value::String(text) => *text = rng.pick(words).clone(),
        serde_json::Value::Bool(on) => *on = !*on,
        serde_json::Value::Array(items) if !items.is_empty() => {
            let at = rng.below(items.len());
            changed(rng, &mut items[at], words);
        }
        serde_json::Value::Object(fields) if !fields.is_empty() => {
            let at = rng.below(fields.len());
            if let Some((_, field)) = fields.iter_mut().nth(at) {
                changed(rng, field, words);
            }
        }
        _ => {}
    }
}

struct Inputs {
    acts: Vec<serde_json::Value>,
    words: Vec<String>,
    files: Vec<Vec<u8>>,
    fragments: Vec<String>,
    ids: Vec<String>,
    #[cfg(feature = "live")]
    live: Vec<Vec<u8>>,
}

fn inputs() -> Inputs {
    let scenarios = Scenario::all().unwrap();
    let acts: Vec<serde_json::Value> = scenarios
        .iter()
        .flat_map(|scenario| &scenario.steps)
        .flat_map(|step| &step.actions)
        .map(|action| serde_json::to_value(action).unwrap())
        .collect();
    let mut words: Vec<String> = [
        "", "#1", "#2", "#99999", "host", "runtime", "web/app", "web",
    ]
    .iter()
    .map(|w| (*w).to_owned())
    .collect();
    words.extend(
        [
            "SIGKILL", "SIGTERM", "SIGCHLD", "nope", "sh", "pause", "play",
        ]
        .map(String::from),
    );
    words.extend(scenarios.iter().map(|scenario| scenario.id.clone()));
    let mut ids: Vec<String> = scenarios.iter().map(|s| s.id.clone()).collect();
    ids.extend(["play", "nope", ""].map(String::from));
    // A trace and the live stream's first look and change, as the page is handed them.
    let mut timeline = Timeline::new(World::new());
    let forked = Event::Fork {
        pid: Pid(1),
        new: NsKinds::EMPTY,
    };
    timeline.apply(forked.clone()).unwrap();
    #[cfg(feature = "live")]
    let change = pauselab_core::live::Change {
        events: vec![
            forked,
            Event::Exit {
                pid: Pid(3),
                code: 1,
            },
        ],
    };
    let trace = timeline.to_wire();
    let fragments = [
        "#s=zombies&t=3",
        "#s=play&a=",
        "#s=zombies&k=1&t=9&l=ko",
        "#s=shared-pid&p=spn",
    ]
    .map(String::from)
    .to_vec();
    Inputs {
        acts,
        words,
        files: vec![trace.clone()],
        fragments,
        ids,
        #[cfg(feature = "live")]
        live: vec![trace, wire::encode_change(&change)],
    }
}

fn input(rng: &mut Rng, given: &Inputs, state: &State) -> Action {
    match rng.below(14) {
        0 => Action::Open(rng.pick(&given.ids).clone()),
        1 => Action::Forward,
        2 => Action::Back,
        3 => Action::Seek([0, 1, 5, usize::MAX][rng.below(4)]),
        4 => Action::Play(rng.below(2) == 0),
        5 => Action::Select(Some(Pid(rng.below(40) as u32))),
        6 => Action::ViewFrom(
            state
                .world()
                .processes()
                .first()
                .map(|p| p.namespaces().get(pauselab_core::NsKind::Pid)),
        ),
        7 => Action::SetLanguage(if rng.below(2) == 0 {
            Language::English
        } else {
            Language::Korean
        }),
        8 => {
            let file = rng.pick(&given.files);
            let bytes = mutated(rng, file);
            Action::Load("fuzzed.json".into(), Loaded::Wire(bytes))
        }
        9 => {
            let mut fragment = rng.pick(&given.fragments).clone();
            if rng.below(2) == 0 && !fragment.is_empty() {
                let at = rng.below(fragment.len());
                if fragment.is_char_boundary(at) {
                    fragment.insert(at, ['&', '=', '9', 'x', '%'][rng.below(5)]);
                }
            }
            Action::Restore(Link::parse(&fragment))
        }
        10 => {
            let id = rng.pick(&given.ids).clone();
            let fetched = match scenario_file(&id) {
                Fetched::Wire(bytes) if rng.below(2) == 0 => Fetched::Wire(mutated(rng, &bytes)),
                fetched => fetched,
            };
            Action::Fetched(id, fetched)
        }
        #[cfg(feature = "live")]
        11 => {
            let message = rng.pick(&given.live);
            let bytes = mutated(rng, message);
            Action::Live(if rng.below(2) == 0 {
                LiveMessage::Start(bytes)
            } else {
                LiveMessage::Change(bytes)
            })
        }
        12 => Action::Dismiss,
        _ => {
            let mut act = rng.pick(&given.acts).clone();
            for _ in 0..rng.below(3) {
                changed(rng, &mut act, &given.words);
            }
            match serde_json::from_value::<ScenarioAction>(act) {
                Ok(action) => Action::Act(Box::new(action)),
                Err(_) => Action::Forward,
            }
        }
    }
}

#[test]
fn the_reducer_takes_any_input_without_a_panic_and_a_refused_one_changes_nothing() {
    let seed = std::env::var("PAUSELAB_FUZZ_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |t| t.as_nanos() as u64)
        });
    println!("seed {seed} (PAUSELAB_FUZZ_SEED={seed} replays it)");
    let mut rng = Rng(seed);
    let given = inputs();
    let mut refused = 0;
    for run in 0..40 {
        let mut state = State::default();
        let mut done = Vec::new();
        for _ in 0..40 {
            let action = input(&mut rng, &given, &state);
            done.push(format!("{action:?}").chars().take(300).collect::<String>());
            let judged = matches!(
                action,
                Action::Act(_) | Action::Load(..) | Action::Open(_) | Action::Fetched(..)
            );
            let before = moment(&state);
            let next = state.reduce_served(action);
            // What the views read of it holds together.
            let (position, len) = next.position();
            assert!(position <= len, "seed {seed} run {run}: {done:#?}");
            let _ = next.world().to_snapshot();
            if judged && next.notice.is_some() {
                refused += 1;
                assert_eq!(
                    moment(&next),
                    before,
                    "seed {seed} run {run}: refused, yet the page changed: {done:#?}"
                );
            }
            state = next;
        }
    }
    // The mutations are not all refused, nor all taken.
    assert!(refused > 0, "seed {seed}: nothing was refused");
}
