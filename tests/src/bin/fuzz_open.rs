//! `fuzz-open [--seconds N] [--seed S]`: mutates real and crafted files and opens each as the
//! browser would, then drives it with reader actions (see `pauselab_tests::fuzz`); of every four
//! inputs one is a mutated scenario file, decoded and played as the page plays a fetched scenario
//! (`pauselab_tests::fuzz::scenario_files`), and one is a few mutated lines typed into the
//! terminal's shell (`pauselab_tests::fuzz::shell_lines`; a line that takes over 100 ms fails
//! too). Fails on a
//! panic, on an input that takes more than 2 s, and on memory beyond 1 GB; the input that did
//! it is saved under `tests/fuzz/crashes/` (commit it: the cross tests replay it).
//!
//! It runs the inputs in a child process of itself, so that an abort (a hang, or an allocation
//! over the limit) is caught: the child writes the number of the input it is on to a file, and
//! the inputs are a function of (seed, number), so the parent makes that input again.

use std::io::Write as _;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use pauselab_tests::fuzz::{
    corpus, crash_dir, drive, input, live_messages, name_of, scenario_files, shell_lines, Verdict,
};

/// The longest one input may take.
const PER_INPUT: Duration = Duration::from_secs(2);
/// The longest one typed line may take.
const LINE_LIMIT: Duration = Duration::from_millis(100);
/// The most memory the child may map.
const MEMORY: u64 = 1 << 30;

struct Args {
    seconds: u64,
    seed: u64,
    worker: Option<PathBuf>,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        seconds: 60,
        seed: 1,
        worker: None,
    };
    let mut given = std::env::args().skip(1);
    while let Some(arg) = given.next() {
        let mut value = |name: &str| given.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--seconds" => {
                args.seconds = value("--seconds")?
                    .parse()
                    .map_err(|_| "--seconds takes a number")?
            }
            "--seed" => {
                args.seed = value("--seed")?
                    .parse()
                    .map_err(|_| "--seed takes a number")?
            }
            "--worker" => args.worker = Some(PathBuf::from(value("--worker")?)),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("fuzz-open: {message}\nusage: fuzz-open [--seconds N] [--seed S]");
            return ExitCode::from(2);
        }
    };
    match &args.worker {
        Some(counter) => worker(&args, counter),
        None => supervise(&args),
    }
}

/// Input `n`: a file for the file reader, or (every fourth) a scenario file.
enum Input {
    File(String),
    Scenario(Vec<u8>),
    Lines(Vec<String>),
    Live(Vec<u8>),
}

/// The corpora the inputs are made from.
struct Corpora {
    files: Vec<(PathBuf, String)>,
    scenarios: Vec<(String, Vec<u8>)>,
    live: Vec<Vec<u8>>,
}

impl Corpora {
    fn new() -> Corpora {
        Corpora {
            files: corpus(),
            scenarios: scenario_files::corpus(),
            live: live_messages::corpus(),
        }
    }

    fn input(&self, seed: u64, n: u64) -> (Input, pauselab_tests::fuzz::Rng) {
        if n % 4 == 0 {
            let (bytes, rng) = scenario_files::input(&self.scenarios, seed, n);
            (Input::Scenario(bytes), rng)
        } else if n % 8 == 6 {
            // Every eighth: a message of the live view's stream.
            let (bytes, rng) = live_messages::input(&self.live, seed, n);
            (Input::Live(bytes), rng)
        } else if n % 4 == 2 {
            let (lines, rng) = shell_lines::input(seed, n);
            (Input::Lines(lines), rng)
        } else {
            let (text, rng) = input(&self.files, seed, n);
            (Input::File(text), rng)
        }
    }
}

/// A name for bytes (FNV-1a), so that one crash is saved once.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn save(input: &Input, why: &str) -> PathBuf {
    let dir = crash_dir();
    let _ = std::fs::create_dir_all(&dir);
    let (name, bytes) = match input {
        Input::File(text) => (name_of(text), text.as_bytes().to_vec()),
        Input::Scenario(bytes) => (scenario_files::name_of(bytes), bytes.clone()),
        Input::Lines(lines) => {
            let text = lines.join("\n");
            (shell_lines::name_of(&text), text.into_bytes())
        }
        Input::Live(bytes) => (format!("live-{:016x}.bin", fnv(bytes)), bytes.clone()),
    };
    let path = dir.join(name);
    let _ = std::fs::write(&path, bytes);
    eprintln!("fuzz-open: {why}; the input is saved as {}", path.display());
    path
}

fn supervise(args: &Args) -> ExitCode {
    let corpora = Corpora::new();
    if corpora.files.is_empty() {
        eprintln!("fuzz-open: no seed files (tests/fuzz/seeds, tests/e2e/fixtures)");
        return ExitCode::FAILURE;
    }
    let counter = std::env::temp_dir().join(format!("pauselab-fuzz-{}", std::process::id()));
    let status = Command::new(std::env::current_exe().expect("own path"))
        .args(["--seconds", &args.seconds.to_string()])
        .args(["--seed", &args.seed.to_string()])
        .arg("--worker")
        .arg(&counter)
        .status();
    let number = std::fs::read(&counter)
        .ok()
        .and_then(|bytes| Some(u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?)));
    let _ = std::fs::remove_file(&counter);
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => {
            if let Some(n) = number.filter(|_| status.code() != Some(3)) {
                // The child died in the middle of input n: a hang or an allocation too big.
                let (input, _) = corpora.input(args.seed, n);
                save(&input, &format!("input {n} killed the worker ({status})"));
            }
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("fuzz-open: cannot start the worker: {error}");
            ExitCode::FAILURE
        }
    }
}

fn worker(args: &Args, counter_path: &Path) -> ExitCode {
    if let Err(error) =
        nix::sys::resource::setrlimit(nix::sys::resource::Resource::RLIMIT_AS, MEMORY, MEMORY)
    {
        eprintln!("fuzz-open: cannot limit memory: {error}");
        return ExitCode::FAILURE;
    }
    let corpora = Corpora::new();
    let counter = std::fs::File::create(counter_path).expect("the counter file can be made");
    // The watchdog: the start of the current input, in ms since the run began.
    let began = Instant::now();
    let current = Arc::new(AtomicU64::new(0));
    let watched = Arc::clone(&current);
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_millis(100));
        let start = watched.load(Ordering::Relaxed);
        let now = began.elapsed().as_millis() as u64;
        if now.saturating_sub(start) > PER_INPUT.as_millis() as u64 {
            eprintln!("fuzz-open: an input took more than {PER_INPUT:?}");
            std::process::abort();
        }
    });
    // A panic is reported by the harness below, with its input.
    std::panic::set_hook(Box::new(|_| {}));
    let deadline = Duration::from_secs(args.seconds);
    let (mut opened, mut refused, mut actions) = (0u64, 0u64, 0usize);
    let (mut played, mut unread, mut typed, mut followed) = (0u64, 0u64, 0u64, 0u64);
    let mut n = 0u64;
    while began.elapsed() < deadline {
        n += 1;
        counter
            .write_all_at(&n.to_le_bytes(), 0)
            .expect("the counter file can be written");
        current.store(began.elapsed().as_millis() as u64, Ordering::Relaxed);
        let (input, mut rng) = corpora.input(args.seed, n);
        let scenario = matches!(input, Input::Scenario(_));
        let lines = matches!(input, Input::Lines(_));
        let live = matches!(input, Input::Live(_));
        let verdict = std::panic::catch_unwind(move || match &input {
            Input::File(text) => drive(text, &mut rng),
            Input::Scenario(bytes) => scenario_files::drive(bytes, &mut rng),
            // The bound for the parser and a command's output: far above what a line
            // takes (microseconds), so only a runaway loop reaches it.
            Input::Lines(lines) => shell_lines::drive(lines, &mut rng, Some(LINE_LIMIT)),
            Input::Live(bytes) => live_messages::drive(bytes, &mut rng),
        });
        match verdict {
            Ok(_) if lines => typed += 1,
            Ok(_) if live => followed += 1,
            Ok(Verdict::Opened(_)) if scenario => played += 1,
            Ok(Verdict::Refused(_)) if scenario => unread += 1,
            Ok(Verdict::Opened(count)) => {
                opened += 1;
                actions += count;
            }
            Ok(Verdict::Refused(_)) => refused += 1,
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                let (input, _) = corpora.input(args.seed, n);
                save(&input, &format!("input {n} panicked: {message}"));
                return ExitCode::from(3);
            }
        }
    }
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "fuzz-open: {n} inputs in {}s from {} files and {} scenario files: {opened} files opened ({actions} reader actions), {refused} refused with a message; {played} scenario files played, {unread} refused; {typed} sets of terminal lines; {followed} live messages; no panic, none over {PER_INPUT:?}, none over 1 GB",
        args.seconds,
        corpora.files.len(),
        corpora.scenarios.len()
    );
    ExitCode::SUCCESS
}
