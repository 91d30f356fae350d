//! Hostile live streams for the "this node" view: a server (or anything in between) can send a
//! page any bytes, so mutations of real `change` messages are decoded as the page decodes them
//! and, when they decode, added to a followed record that is then stepped through; the ids and
//! tokens a request carries are read as the server reads them. Nothing may panic, and a
//! message that does not decode changes nothing.

use pauselab_core::live::{Between, Follower};
use pauselab_core::{wire, Event, NsKind, NsKinds, Pid, Timeline, WaitTarget, World};
use pauselab_native::live::stream::{parse_last_id, Access, Credentials};

use super::{Rng, Verdict};

/// Real messages: a node's looks, followed, as the server encodes them.
pub fn corpus() -> Vec<Vec<u8>> {
    let mut node = World::new();
    let mut follower = Follower::new(&node.to_snapshot()).expect("a booted node");
    let mut messages = Vec::new();
    let deeds = [
        Event::Fork {
            pid: Pid(1),
            new: NsKinds::of(&[NsKind::Pid, NsKind::Net]),
        },
        Event::Fork {
            pid: Pid(2),
            new: NsKinds::EMPTY,
        },
        Event::Exec {
            pid: Pid(3),
            comm: "nginx".into(),
        },
        Event::Exit {
            pid: Pid(3),
            code: 7,
        },
        Event::Wait {
            pid: Pid(2),
            target: WaitTarget::Any,
            nohang: true,
        },
        Event::Kill {
            pid: Pid(1),
            target: Pid(2),
            signal: pauselab_core::Signal::SIGKILL,
        },
    ];
    for deed in deeds {
        let outcomes = node.apply(deed).expect("the deeds are valid");
        let ends: Vec<_> = outcomes
            .iter()
            .filter_map(|o| match o {
                pauselab_core::Outcome::Exited { pid, status } => Some((*pid, *status)),
                _ => None,
            })
            .collect();
        let change = follower
            .observe(&node.to_snapshot(), &Between::ends(&ends))
            .expect("followed");
        messages.push(wire::encode_change(&change));
    }
    // A birth in a container, and a look that draws the node anew (labelled, as the server
    // sends them).
    let mut look = node.to_snapshot();
    let mut born = look.processes[0].clone();
    born.nspid = vec![4711];
    born.ppid = Pid(1);
    born.comm = "pause".into();
    born.container = Some(pauselab_core::format::ContainerLabel {
        engine: pauselab_core::format::Engine::Containerd,
        pod: "web".into(),
        container: pauselab_core::format::ContainerLabel::SANDBOX.into(),
        id: "f".repeat(64),
    });
    look.processes.push(born);
    let change = follower
        .observe(&look, &Between::default())
        .expect("followed");
    messages.push(wire::encode_change(&change));
    messages.push(wire::encode_change(&pauselab_core::live::Change {
        events: vec![Event::LookedAnew {
            look: Box::new(look),
        }],
    }));
    messages
}

/// Input `n` of a run: a real message mutated, or bytes from nowhere.
pub fn input(corpus: &[Vec<u8>], seed: u64, n: u64) -> (Vec<u8>, Rng) {
    let mut rng = Rng::new(seed ^ n.wrapping_mul(0xA24B_AED4_963E_E407));
    let mut bytes = rng.pick(corpus).clone();
    match rng.below(4) {
        0 => bytes.truncate(rng.below(bytes.len() + 1)),
        1 => {
            for _ in 0..=rng.below(4) {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
        }
        2 => bytes = (0..rng.below(64)).map(|_| rng.next_u64() as u8).collect(),
        _ => {
            let at = rng.below(bytes.len());
            let more = rng.pick(corpus).clone();
            bytes.splice(at..at, more);
        }
    }
    (bytes, rng)
}

/// Decodes and follows one message, and reads it as a request's id and token.
pub fn drive(bytes: &[u8], rng: &mut Rng) -> Verdict {
    let text = String::from_utf8_lossy(bytes);
    let _ = parse_last_id(&text);
    let _ = Access::Token("t0ken".into()).admit(Credentials {
        target: &text,
        cookie: &text,
        authorization: &text,
        cookie_name: "pauselab_token_1",
    });
    let Ok(change) = wire::decode_change(bytes) else {
        return Verdict::Refused("does not decode".into());
    };
    let mut timeline = Timeline::new(World::new());
    timeline.extend(change);
    let steps = timeline.len();
    for _ in 0..8 {
        match rng.below(3) {
            0 => timeline.seek(usize::MAX),
            1 => {
                timeline.back();
            }
            _ => {
                timeline.forward();
            }
        }
        // The pod pictures ask each process's container.
        for process in timeline.world().processes() {
            let _ = timeline.container_of(process.host_pid());
        }
    }
    Verdict::Opened(steps)
}
