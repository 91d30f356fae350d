//! Hostile files for the browser's file loader: mutations of real and crafted files, each opened
//! with `Timeline::open` and then driven by random reader actions (steps, back, acts) the way
//! the tutorial drives it. Deterministic: input `n` of a run is a function of the run's seed,
//! so a crash is replayed from its number. `fuzz-open` (a binary of this crate) runs it for a
//! time; `tests/fuzz/seeds/` and `tests/fuzz/crashes/` are replayed by the cross tests.
//! `scenario_files` does the same for the scenario files the page fetches, `live_messages` for
//! the live view's stream.

pub mod live_messages;
pub mod scenario_files;
pub mod shell_lines;

use std::path::PathBuf;

use pauselab_core::{
    Disposition, Document, Event, NsKind, NsKinds, Pid, Signal, Timeline, WaitTarget,
};
use serde_json::Value;

/// A small, fast, reproducible generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The seed files: the crafted ones under `tests/fuzz/seeds/`, the files recorded on real
/// machines for the end-to-end test, and every crash found so far.
pub fn corpus() -> Vec<(PathBuf, String)> {
    let root = crate::workspace_root();
    let mut files = Vec::new();
    for dir in [
        "tests/fuzz/seeds",
        "tests/e2e/fixtures",
        "tests/fuzz/crashes",
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        for path in paths {
            if let Ok(text) = std::fs::read_to_string(&path) {
                files.push((path, text));
            }
        }
    }
    files
}

/// Numbers that break careless code: zero, one, the edges of the types, the kernel's limits.
const EXTREMES: [i64; 14] = [
    0,
    1,
    2,
    3,
    -1,
    299,
    300,
    32,
    33,
    4_194_303,
    4_194_304,
    4_294_967_295,
    4_294_967_294,
    9_007_199_254_740_993,
];

/// Words the formats use, so that a mutated enum is often another valid one.
const WORDS: [&str; 16] = [
    "pid", "net", "ipc", "uts", "mnt", "user", "cgroup", "time", "running", "stopped", "any",
    "SIGKILL", "SIGCHLD", "fork", "exit", "wait",
];

/// The input a run makes from `seed_text` at step `n`: a few mutations of the file.
pub fn mutate(seed_text: &str, rng: &mut Rng) -> String {
    // Now and then, bytes: truncation, a flipped byte, garbage.
    if rng.below(10) == 0 {
        let mut bytes = seed_text.as_bytes().to_vec();
        match rng.below(3) {
            0 => bytes.truncate(rng.below(bytes.len() + 1)),
            1 if !bytes.is_empty() => {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
            _ => {
                let at = rng.below(bytes.len() + 1);
                const GARBAGE: [&[u8]; 5] = [b"{", b"]", b"\"", b"-", b"9e999"];
                let garbage = rng.pick(&GARBAGE);
                bytes.splice(at..at, garbage.iter().copied());
            }
        }
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    let Ok(mut value) = serde_json::from_str::<Value>(seed_text) else {
        return seed_text.to_owned();
    };
    let pids = host_pids(&value);
    for _ in 0..1 + rng.below(4) {
        if rng.below(3) == 0 {
            structural(&mut value, &pids, rng);
        } else {
            // Walk down to a random node, then change it through its JSON pointer.
            let mut pointer = String::new();
            let mut node = &value;
            for _ in 0..rng.below(8) {
                let (step, next) = match node {
                    Value::Array(items) if !items.is_empty() => {
                        let at = rng.below(items.len());
                        (at.to_string(), &items[at])
                    }
                    Value::Object(map) if !map.is_empty() => {
                        let (key, next) = map.iter().nth(rng.below(map.len())).expect("in range");
                        (key.replace('~', "~0").replace('/', "~1"), next)
                    }
                    _ => break,
                };
                pointer.push('/');
                pointer.push_str(&step);
                node = next;
            }
            if let Some(node) = value.pointer_mut(&pointer) {
                leaf(node, &pids, rng);
            }
        }
    }
    value.to_string()
}

fn host_pids(value: &Value) -> Vec<i64> {
    let processes = value
        .get("processes")
        .or_else(|| value.get("initial").and_then(|i| i.get("processes")));
    processes
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|p| p.get("nspid")?.get(0)?.as_i64())
                .collect()
        })
        .unwrap_or_default()
}

/// Changes one node in place.
fn leaf(node: &mut Value, pids: &[i64], rng: &mut Rng) {
    match node {
        Value::Number(_) => {
            *node = match rng.below(3) {
                0 if !pids.is_empty() => (*rng.pick(pids)).into(),
                1 => ((rng.next_u64() % 70_000) as i64).into(),
                _ => (*rng.pick(&EXTREMES)).into(),
            };
        }
        Value::String(_) => *node = Value::String((*rng.pick(&WORDS)).to_owned()),
        Value::Bool(b) => *b = !*b,
        Value::Array(items) => match rng.below(4) {
            0 if !items.is_empty() => {
                let at = rng.below(items.len());
                let copy = items[at].clone();
                items.insert(rng.below(items.len() + 1), copy);
            }
            1 if !items.is_empty() => {
                items.remove(rng.below(items.len()));
            }
            2 if items.len() > 1 => {
                let (a, b) = (rng.below(items.len()), rng.below(items.len()));
                items.swap(a, b);
            }
            _ => items.reverse(),
        },
        Value::Object(map) => {
            if !map.is_empty() && rng.below(2) == 0 {
                let key = map.keys().nth(rng.below(map.len())).cloned();
                if let Some(key) = key {
                    map.remove(&key);
                }
            } else {
                map.insert((*rng.pick(&WORDS)).to_owned(), Value::Null);
            }
        }
        Value::Null => *node = 1.into(),
    }
}

/// The changes the loader must see through: cycles, a process its own parent, a dead
/// namespace with living members, an exiting process, nesting changed.
fn structural(value: &mut Value, pids: &[i64], rng: &mut Rng) {
    let snapshot = if value.get("initial").is_some() {
        &mut value["initial"]
    } else {
        value
    };
    let count = snapshot["processes"].as_array().map_or(0, Vec::len);
    let spaces = snapshot["namespaces"].as_array().map_or(0, Vec::len);
    if count == 0 {
        return;
    }
    let at = rng.below(count);
    let process = &mut snapshot["processes"][at];
    match rng.below(6) {
        0 if !pids.is_empty() => process["ppid"] = (*rng.pick(pids)).into(),
        1 => process["ppid"] = process["nspid"][0].clone(),
        2 => {
            process["state"] = rng
                .pick(&[
                    serde_json::json!({"exiting": {"signaled": "SIGKILL"}}),
                    serde_json::json!({"zombie": {"exited": 0}}),
                    serde_json::json!("stopped"),
                ])
                .clone()
        }
        3 if spaces > 0 => {
            let ns = rng.below(spaces);
            snapshot["namespaces"][ns]["accepting"] = false.into();
        }
        4 if spaces > 0 => {
            let (a, b) = (rng.below(spaces), rng.below(spaces));
            let parent = snapshot["namespaces"][b]["id"].clone();
            snapshot["namespaces"][a]["parent"] = parent;
        }
        _ => {
            if let Some(nspid) = process["nspid"].as_array_mut() {
                nspid.push(1.into());
            }
        }
    }
}

/// What one input did: opened or refused (with the loader's message), and how many actions
/// ran on it.
#[derive(Debug)]
pub enum Verdict {
    /// The loader refused it.
    Refused(String),
    /// It opened and took this many reader actions.
    Opened(usize),
}

/// Opens the input as the browser does (the file reader checks it and hands the page bytes,
/// which the page decodes) and drives it: steps forward and back, acts on random processes,
/// reads every view, and exports and reopens it. Panics on anything the tutorial must never do
/// (bytes from the reader the page cannot open, an exported file that does not reopen).
pub fn drive(text: &str, rng: &mut Rng) -> Verdict {
    let read = match Timeline::open(text) {
        Ok(timeline) => timeline,
        Err(error) => return Verdict::Refused(error.to_string()),
    };
    let mut timeline = match Timeline::from_wire(&read.to_wire()) {
        Ok(timeline) => timeline,
        Err(error) => panic!("the page cannot open what the file reader wrote: {error}"),
    };
    if (timeline.world(), timeline.len()) != (read.world(), read.len()) {
        panic!("the page opened another timeline than the file reader read");
    }
    let actions = rng.below(40);
    for _ in 0..actions {
        let pids: Vec<Pid> = timeline
            .world()
            .processes()
            .iter()
            .map(|p| p.host_pid())
            .collect();
        let pid = if pids.is_empty() {
            Pid(1)
        } else {
            *rng.pick(&pids)
        };
        let other = if pids.is_empty() {
            Pid(1)
        } else {
            *rng.pick(&pids)
        };
        match rng.below(12) {
            0 => {
                timeline.forward();
            }
            1 => {
                timeline.back();
            }
            2 => timeline.seek(rng.below(timeline.len() + 2)),
            3 => {
                let new = if rng.below(3) == 0 {
                    NsKinds::of(&[NsKind::Pid])
                } else {
                    NsKinds::EMPTY
                };
                let _ = timeline.apply(Event::Fork { pid, new });
            }
            4 => {
                let _ = timeline.apply(Event::Exit {
                    pid,
                    code: rng.below(256) as u8,
                });
            }
            5 => {
                // The web names the target as the sender sees it (K9), or shows the refusal.
                if let Ok(target) = timeline.world().pid_seen_by(pid, other) {
                    let signal = *rng.pick(&[
                        Signal::SIGKILL,
                        Signal::SIGTERM,
                        Signal::SIGHUP,
                        Signal::SIGSTOP,
                        Signal::SIGCONT,
                    ]);
                    let _ = timeline.apply(Event::Kill {
                        pid,
                        target,
                        signal,
                    });
                }
            }
            6 => {
                let _ = timeline.apply(Event::Wait {
                    pid,
                    target: WaitTarget::Any,
                    nohang: rng.below(2) == 0,
                });
            }
            7 => {
                let _ = timeline.apply(Event::Sigaction {
                    pid,
                    signal: Signal::SIGCHLD,
                    action: Disposition::Ignore,
                    nocldwait: false,
                });
            }
            8 => {
                let _ = timeline.apply(Event::SetSubreaper { pid, on: true });
            }
            9 => {
                let _ = timeline.apply(Event::Fault {
                    pid,
                    signal: Signal::SIGSEGV,
                });
            }
            10 => views(&timeline),
            _ => timeline.reset(),
        }
    }
    views(&timeline);
    // What the tutorial exports must open again.
    let exported = Document::Trace(timeline.to_trace(None)).to_json();
    if let Err(error) = Timeline::open(&exported) {
        panic!("an exported trace does not reopen: {error}");
    }
    Verdict::Opened(actions)
}

/// Every view the tutorial draws of a world.
fn views(timeline: &Timeline) {
    let world = timeline.world();
    let _ = world.to_string();
    for row in world.lsns() {
        let _ = world.ps(row.ns);
    }
    let _ = world.zombies();
}

/// Where crashes found are kept, to be committed and replayed as regressions.
pub fn crash_dir() -> PathBuf {
    crate::workspace_root().join("tests/fuzz/crashes")
}

/// A stable name for an input.
pub fn name_of(text: &str) -> String {
    format!("{:016x}.json", fnv1a(text.as_bytes()))
}

/// FNV-1a: stable across runs and releases, unlike std's hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The input number `n` of a run with `seed` over `corpus`.
pub fn input(corpus: &[(PathBuf, String)], seed: u64, n: u64) -> (String, Rng) {
    let mut rng = Rng::new(seed ^ n.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let (_, text) = &corpus[rng.below(corpus.len())];
    // Now and then the file as it is, so that the actions run on valid worlds too.
    let text = if rng.below(8) == 0 {
        text.clone()
    } else {
        mutate(text, &mut rng)
    };
    (text, rng)
}
