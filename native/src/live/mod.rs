//! `pauselab serve --live`: this node, followed as it changes, for the tutorial's "this node"
//! view. A watcher thread looks at /proc when the proc connector says something happened (or
//! every `period` without it), finds the kernel events between two looks (`core::live`) and
//! keeps them as one record: the first look, then each look's change. A page gets the record
//! from its start and then each change as it comes, over Server-Sent Events (`stream.rs`).
//!
//! Why SSE: the page only listens, one way; an EventSource reconnects by itself and sends the
//! id of the last message it had, so a page that lost the server for a while gets exactly what
//! it missed, over plain HTTP/1.1 that the static server already speaks. Why the connector: an
//! idle node wakes the watcher for nothing, every exit's status is reported even when the
//! process is reaped before the next look, and an execve is told from a rename (runc's init
//! names itself `runc:[2:INIT]`), which polling tells only from each program's memory layout.
//!
//! A look at /proc that the model cannot reach from the last one (a pid reused between looks,
//! a stop) is a step of its own that draws the node anew from it (`Event::LookedAnew`),
//! rather than show a picture the node does not have: the record goes on. Only a record
//! grown past its bound starts anew, with a new epoch.

pub mod cache;
pub mod connector;
pub mod stream;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use pauselab_core::live::{Between, Change, Follower};
use pauselab_core::{wire, Document, Event, ExitStatus, Pid, ProcState, Snapshot};

use crate::procfs::ProcError;
use cache::ProcCache;
use connector::{Connector, ProcEvent};

/// Why the live view could not start.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The first look at /proc failed.
    #[error("cannot read this node's processes")]
    FirstLook(#[source] ProcError),
    /// The model refused the first look.
    #[error("the model refused what /proc shows")]
    Refused(#[source] pauselab_core::FormatError),
}

/// How often and how much the watcher looks.
#[derive(Clone, Copy, Debug)]
pub struct Pace {
    /// A full read of /proc at least this often, even with no event (what the connector does
    /// not report: dispositions, setns, pins); between them, only what it named is read again.
    pub period: Duration,
    /// At most one look per this long: a storm of forks is one change per gap, not one per fork.
    pub gap: Duration,
    /// A record of more events than this starts again from the next look (memory is bounded;
    /// a look drawn anew counts as one event per process it shows).
    pub max_events: usize,
    /// Poll /proc even where the proc connector could be had (as in a pod without
    /// hostNetwork): for comparing the two.
    pub poll: bool,
}

impl Default for Pace {
    fn default() -> Self {
        Pace {
            period: Duration::from_secs(5),
            gap: Duration::from_millis(200),
            max_events: 200_000,
            poll: false,
        }
    }
}

/// How often /proc's list of pids is read without the proc connector.
const POLL: Duration = Duration::from_millis(500);

/// The record a page follows.
#[derive(Debug)]
struct Record {
    /// Which record: a new one starts when a look cannot be followed.
    epoch: u64,
    /// The first look, as the page's bytes (`core::wire`), with no events.
    start: Arc<str>,
    /// Each later look's change, as the page's bytes in base64url.
    changes: Vec<Arc<str>>,
    /// Events in the record.
    events: usize,
    /// The last look, for `/live/snapshot`.
    look: Arc<Snapshot>,
    /// Whether the proc connector is in use.
    connector: bool,
}

/// What a page is sent next ([`Live::next`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// A record from its start: its epoch, its first look, then every change so far.
    Start(u64, Arc<str>, Vec<Arc<str>>),
    /// The changes after the ones the page has, numbered from `from` (the first is 1).
    Changes(u64, usize, Vec<Arc<str>>),
    /// Nothing new within the wait.
    Nothing,
}

#[derive(Debug)]
struct Shared {
    record: Mutex<Record>,
    changed: Condvar,
}

/// This node, followed.
#[derive(Clone, Debug)]
pub struct Live {
    shared: Arc<Shared>,
}

/// The first look that the model takes: a look taken while processes are being made or torn
/// down can catch one half done (a zombie whose parent is already gone from /proc), so a few
/// are tried.
fn first_look(cache: &mut ProcCache) -> Result<(Snapshot, Follower), LiveError> {
    let mut tries = 0;
    loop {
        let look = cache.snapshot();
        match Follower::new(&look) {
            Ok(follower) => return Ok((look, follower)),
            Err(error) if tries >= 20 => return Err(LiveError::Refused(error)),
            Err(_) => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(50));
                cache.read_all().map_err(LiveError::FirstLook)?;
            }
        }
    }
}

fn start_bytes(look: &Snapshot) -> Result<Arc<str>, LiveError> {
    let timeline = pauselab_core::Timeline::open(&Document::Snapshot(look.clone()).to_json())
        .map_err(LiveError::Refused)?;
    Ok(wire::to_base64url(&timeline.to_wire()).into())
}

impl Live {
    /// Takes the first look and starts the watcher.
    pub fn start(proc_root: PathBuf, pace: Pace) -> Result<Live, LiveError> {
        let mut cache = ProcCache::new(&proc_root).map_err(LiveError::FirstLook)?;
        let (look, follower) = first_look(&mut cache)?;
        let connector = if pace.poll {
            None
        } else {
            Connector::open().ok()
        };
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |t| t.as_nanos() as u64);
        let record = Record {
            epoch: seed ^ u64::from(std::process::id()),
            start: start_bytes(&look)?,
            changes: Vec::new(),
            events: 0,
            look: Arc::new(look),
            connector: connector.is_some(),
        };
        let live = Live {
            shared: Arc::new(Shared {
                record: Mutex::new(record),
                changed: Condvar::new(),
            }),
        };
        let watcher = Watcher {
            live: live.clone(),
            cache,
            pace,
            follower,
            connector,
        };
        std::thread::Builder::new()
            .name("pauselab-live".into())
            .spawn(move || watcher.run())
            .map_err(|error| LiveError::FirstLook(ProcError::List("a thread".into(), error)))?;
        Ok(live)
    }

    fn record(&self) -> MutexGuard<'_, Record> {
        // A watcher that panicked mid-update left a record that is still whole.
        self.shared
            .record
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The last look, in the snapshot format (`pauselab ps --json`'s).
    pub fn snapshot_json(&self) -> String {
        let look = Arc::clone(&self.record().look);
        Document::Snapshot((*look).clone()).to_json()
    }

    /// Whether changes are found by the proc connector (or by polling /proc).
    pub fn uses_connector(&self) -> bool {
        self.record().connector
    }

    /// What a page that has changes up to `had` of record `epoch` (none: a new page) is sent
    /// next, waiting up to `wait` for something new.
    pub fn next(&self, had: Option<(u64, usize)>, wait: Duration) -> Next {
        let deadline = Instant::now() + wait;
        let mut record = self.record();
        loop {
            match had {
                Some((epoch, count)) if epoch == record.epoch && count <= record.changes.len() => {
                    if count < record.changes.len() {
                        return Next::Changes(epoch, count + 1, record.changes[count..].to_vec());
                    }
                }
                _ => {
                    return Next::Start(
                        record.epoch,
                        Arc::clone(&record.start),
                        record.changes.clone(),
                    )
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Next::Nothing;
            }
            record = self
                .shared
                .changed
                .wait_timeout(record, left)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }

    fn publish(&self, look: Snapshot, change: Change, max_events: usize) {
        let mut record = self.record();
        let weight: usize = change
            .events
            .iter()
            .map(|event| match event {
                Event::LookedAnew { look } => look.processes.len().max(1),
                _ => 1,
            })
            .sum();
        if record.events + weight <= max_events {
            if !change.events.is_empty() {
                record.events += weight;
                let bytes = wire::to_base64url(&wire::encode_change(&change));
                record.changes.push(bytes.into());
            }
        } else {
            // Too long: a new record from this look.
            if let Ok(start) = start_bytes(&look) {
                record.epoch = record.epoch.wrapping_add(1);
                record.start = start;
                record.changes.clear();
                record.events = 0;
            }
        }
        record.look = Arc::new(look);
        drop(record);
        self.shared.changed.notify_all();
    }
}

/// What the look shows of the process a look was not followed for, and of its parent, for the
/// operator, in /proc's words (`Name`, ps's state letter, `NSpid`): `" (comm S, NSpid 4242 1;
/// parent P: comm S)"`, or nothing.
fn explain(look: &Snapshot, why: &pauselab_core::live::FollowError) -> String {
    let pauselab_core::live::FollowError::Unexplained { pid, .. } = why else {
        return String::new();
    };
    let find = |pid: Pid| {
        look.processes
            .iter()
            .find(|p| p.nspid.first() == Some(&pid.0))
    };
    let Some(record) = find(*pid) else {
        return String::new();
    };
    let parent = find(record.ppid).map_or_else(
        || "not in the look".to_owned(),
        |p| format!("{} {}", p.comm, p.state.letter()),
    );
    let nspid: Vec<String> = record.nspid.iter().map(u32::to_string).collect();
    format!(
        " ({} {}, NSpid {}; parent {}: {parent})",
        record.comm,
        record.state.letter(),
        nspid.join(" "),
        record.ppid
    )
}

/// The thread that looks.
struct Watcher {
    live: Live,
    cache: ProcCache,
    pace: Pace,
    follower: Follower,
    connector: Option<Connector>,
}

impl Watcher {
    fn run(mut self) {
        let mut last_look = Instant::now();
        let mut last_full = last_look;
        let mut events = Vec::new();
        // Each reported end, and how many looks have seen it still running.
        let mut ends: Vec<(Pid, ExitStatus, u8)> = Vec::new();
        // The execves reported since the last look.
        let mut execs: BTreeSet<Pid> = BTreeSet::new();
        let mut named: BTreeSet<u32> = BTreeSet::new();
        let mut lost = false;
        loop {
            let pending = !named.is_empty() || lost;
            let due = if pending {
                last_look + self.pace.gap
            } else if self.connector.is_none() {
                // Nothing wakes it: the page's second is kept by looking twice in it (at the
                // list of pids only, but every `period`).
                last_look + POLL
            } else {
                last_full + self.pace.period
            };
            let wait = due.saturating_duration_since(Instant::now());
            match &self.connector {
                Some(connector) => {
                    events.clear();
                    if connector.wait(wait, &mut events).is_err() {
                        lost = true;
                    }
                    for event in &events {
                        match *event {
                            ProcEvent::Fork(pid) | ProcEvent::Comm(pid) => named.insert(pid.0),
                            ProcEvent::Exec(pid) => {
                                execs.insert(pid);
                                named.insert(pid.0)
                            }
                            ProcEvent::Exit(pid, status) => {
                                ends.push((pid, status, 0));
                                named.insert(pid.0)
                            }
                        };
                    }
                }
                None => std::thread::sleep(wait),
            }
            let now = Instant::now();
            if now < due {
                continue;
            }
            last_look = now;
            let full = lost || now >= last_full + self.pace.period;
            if self.connector.is_none() && !full {
                // Without the connector, what was born or is gone shows in /proc's list.
                named.extend(self.cache.listed_changes());
            }
            if full {
                last_full = now;
                if self.cache.read_all().is_err() {
                    lost = true;
                    ends.clear();
                    execs.clear();
                    continue;
                }
            } else {
                self.cache.read_some(&named);
            }
            named.clear();
            let look = self.cache.snapshot();
            // The connector's execves and the ones the reads saw (an execve between the
            // connector's last message and the read of its process has no message yet).
            let mut seen_execs = self.cache.take_execs();
            seen_execs.append(&mut execs);
            let between = Between {
                ends: ends.iter().map(|&(pid, status, _)| (pid, status)).collect(),
                execs: Some(seen_execs),
            };
            let followed = if lost {
                // Messages were lost: ends are missing, so only drawing the node anew is sure.
                None
            } else {
                // Why the node is drawn anew is the operator's to see (the page only sees that
                // it was).
                self.follower
                    .observe(&look, &between)
                    .map_err(|why| {
                        let seen = explain(&look, &why);
                        eprintln!("pauselab: the node drawn anew from this look: {why}{seen}");
                    })
                    .ok()
            };
            let change = match followed {
                Some(change) => change,
                None => match Follower::new(&look) {
                    Ok(follower) => {
                        self.follower = follower;
                        Change {
                            events: vec![Event::LookedAnew {
                                look: Box::new(look.clone()),
                            }],
                        }
                    }
                    // Not even a start: the next look (a gap later) starts again; what was
                    // reported meanwhile is of no use to it.
                    Err(_) => {
                        lost = true;
                        ends.clear();
                        continue;
                    }
                },
            };
            lost = false;
            // An end reported for a pid that still runs (a thread's exec ends the old leader
            // under the same pid; or the look was taken in between) is read again next time.
            let running: BTreeSet<u32> = look
                .processes
                .iter()
                .filter(|p| matches!(p.state, ProcState::Running | ProcState::Stopped))
                .filter_map(|p| p.nspid.first().copied())
                .collect();
            // Bounded: a thread's exec can end a leader that goes on under the same pid.
            ends.retain_mut(|(pid, _, looks)| {
                *looks += 1;
                running.contains(&pid.0) && *looks < 10
            });
            named.extend(ends.iter().map(|(pid, _, _)| pid.0));
            self.live.publish(look, change, self.pace.max_events);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pauselab_core::live::FollowError;

    // What a look showed of a process it could not follow: here, one whose parent is outside
    // the reader's pid namespace (entered from outside, as an exec into a container is),
    // which /proc shows as a parent of 0.
    #[test]
    fn the_operator_is_told_what_the_look_showed_of_the_process() {
        let mut look = pauselab_core::World::new().to_snapshot();
        let mut shim = look.processes[0].clone();
        shim.nspid = vec![4242];
        shim.ppid = Pid(0);
        shim.comm = "containerd-shim".into();
        look.processes.push(shim);
        let why = FollowError::Unexplained {
            pid: Pid(4242),
            what: "its parent is not a living process the model knows",
        };
        let said = explain(&look, &why);
        assert!(said.contains("containerd-shim S, NSpid 4242;"), "{said}");
        assert!(said.contains("parent 0: not in the look"), "{said}");
        let gone = FollowError::Unexplained {
            pid: Pid(4243),
            what: "the model still has it",
        };
        assert_eq!(explain(&look, &gone), "");
    }
}
