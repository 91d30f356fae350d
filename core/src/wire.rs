//! An opened file as compact bytes: what the browser's file reader (a second wasm module,
//! fetched only when a reader opens a file) hands the page, so that the page itself carries no
//! JSON reader for the file formats. The reader checks the file fully
//! ([`Timeline::open`](crate::Timeline::open));
//! the page decodes the bytes and replays the events as it steps.
//!
//! The layout: a magic and version, then the starting state (every field of a [`Snapshot`]
//! but its format and version) and the events, with unsigned LEB128 integers and
//! length-prefixed strings and lists. Decoding checks every tag and length and never trusts a
//! count to allocate, so bytes from elsewhere are refused, not followed.

use std::fmt;

use crate::event::Event;
use crate::format::{
    ContainerLabel, Engine, NamespaceRecord, ProcessRecord, Snapshot, FORMAT_VERSION,
    SNAPSHOT_FORMAT,
};
use crate::ns::{NsId, NsKind, NsKinds, NsSet};
use crate::process::{Disposition, ExitStatus, Pid, ProcState, WaitTarget};
use crate::signal::{Signal, SignalSet};

/// The first bytes: "pauselab wire", and the layout's version.
const MAGIC: &[u8; 4] = b"PLW\x01";

/// Bytes that are not an opened file from this version of pauselab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WireError {
    /// Not this layout, or another version of it (a cached reader of another release).
    NotThisVersion,
    /// The bytes end inside a value.
    Truncated,
    /// A tag, a number or a string that no value has, or a starting state that is not a
    /// consistent world.
    Invalid(&'static str),
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::NotThisVersion => f.write_str("not an opened file of this version"),
            WireError::Truncated => f.write_str("truncated"),
            WireError::Invalid(what) => write!(f, "invalid {what}"),
        }
    }
}

impl std::error::Error for WireError {}

/// A starting state and the events after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    /// The state before the first event, with its processes' container labels.
    pub initial: Snapshot,
    /// The events, in order (none for a snapshot).
    pub events: Vec<Event>,
}

/// Writes an opened file.
pub fn encode(opened: &Opened) -> Vec<u8> {
    let mut out = Writer(MAGIC.to_vec());
    out.snapshot(&opened.initial);
    out.list(&opened.events, Writer::event);
    out.0
}

/// Reads an opened file: all of it, or an error.
pub fn decode(bytes: &[u8]) -> Result<Opened, WireError> {
    let mut input = Reader(bytes);
    if input.take(MAGIC.len())? != MAGIC {
        return Err(WireError::NotThisVersion);
    }
    let initial = input.snapshot()?;
    let events = input.list(Reader::event)?;
    if !input.0.is_empty() {
        return Err(WireError::Invalid("trailing bytes"));
    }
    Ok(Opened { initial, events })
}

struct Writer(Vec<u8>);

impl Writer {
    fn uint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.0.push((value as u8) | 0x80);
            value >>= 7;
        }
        self.0.push(value as u8);
    }

    fn u32(&mut self, value: u32) {
        self.uint(u64::from(value));
    }

    fn byte(&mut self, value: u8) {
        self.0.push(value);
    }

    fn bool(&mut self, value: bool) {
        self.byte(u8::from(value));
    }

    fn str(&mut self, value: &str) {
        self.uint(value.len() as u64);
        self.0.extend_from_slice(value.as_bytes());
    }

    fn list<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Writer, &T)) {
        self.uint(items.len() as u64);
        for item in items {
            each(self, item);
        }
    }

    fn option<T>(&mut self, value: Option<&T>, each: impl FnOnce(&mut Writer, &T)) {
        self.bool(value.is_some());
        if let Some(value) = value {
            each(self, value);
        }
    }

    fn kind(&mut self, kind: NsKind) {
        self.byte(kind.index() as u8);
    }

    fn kinds(&mut self, kinds: NsKinds) {
        self.byte(kinds.iter().fold(0, |bits, kind| bits | 1 << kind.index()));
    }

    fn signal(&mut self, signal: Signal) {
        self.byte(signal.number());
    }

    fn signals(&mut self, signals: SignalSet) {
        let list: Vec<Signal> = signals.iter().collect();
        self.list(&list, |out, signal| out.signal(*signal));
    }

    fn status(&mut self, status: ExitStatus) {
        match status {
            ExitStatus::Exited(code) => {
                self.byte(0);
                self.byte(code);
            }
            ExitStatus::Signaled(signal) => {
                self.byte(1);
                self.signal(signal);
            }
        }
    }

    fn wait_target(&mut self, target: WaitTarget) {
        match target {
            WaitTarget::Any => self.byte(0),
            WaitTarget::Pid(pid) => {
                self.byte(1);
                self.u32(pid.0);
            }
        }
    }

    fn disposition(&mut self, disposition: Disposition) {
        self.byte(match disposition {
            Disposition::Default => 0,
            Disposition::Ignore => 1,
            Disposition::Handler => 2,
        });
    }

    fn snapshot(&mut self, snapshot: &Snapshot) {
        self.u32(snapshot.pid_max);
        self.option(snapshot.next_ns_id.as_ref(), |out, id| out.uint(*id));
        self.list(&snapshot.namespaces, Writer::namespace);
        self.list(&snapshot.processes, Writer::process);
    }

    fn namespace(&mut self, ns: &NamespaceRecord) {
        self.u32(ns.id.0);
        self.kind(ns.kind);
        self.option(ns.parent.as_ref(), |out, id| out.u32(id.0));
        self.list(&ns.pins, |out, pin| out.str(pin));
        self.bool(ns.initial);
        self.option(ns.last_pid.as_ref(), |out, pid| out.u32(*pid));
        self.bool(ns.accepting);
    }

    fn process(&mut self, process: &ProcessRecord) {
        self.list(&process.nspid, |out, pid| out.u32(*pid));
        self.u32(process.ppid.0);
        self.str(&process.comm);
        match process.state {
            ProcState::Running => self.byte(0),
            ProcState::Stopped => self.byte(1),
            ProcState::Exiting(status) => {
                self.byte(2);
                self.status(status);
            }
            ProcState::Zombie(status) => {
                self.byte(3);
                self.status(status);
            }
        }
        for kind in NsKind::ALL {
            self.u32(process.ns.get(kind).0);
        }
        self.option(process.pid_for_children.as_ref(), |out, id| out.u32(id.0));
        self.option(process.time_for_children.as_ref(), |out, id| out.u32(id.0));
        self.signals(process.handled);
        self.signals(process.ignored);
        self.bool(process.nocldwait);
        self.bool(process.subreaper);
        self.option(process.waiting.as_ref(), |out, target| {
            out.wait_target(*target)
        });
        self.signals(process.pending);
        self.option(process.container.as_ref(), |out, label| {
            out.byte(match label.engine {
                Engine::Containerd => 0,
                Engine::Docker => 1,
            });
            out.str(&label.pod);
            out.str(&label.container);
            out.str(&label.id);
        });
    }

    fn event(&mut self, event: &Event) {
        match event {
            Event::Fork { pid, new } => {
                self.byte(0);
                self.u32(pid.0);
                self.kinds(*new);
            }
            Event::Exec { pid, comm } => {
                self.byte(1);
                self.u32(pid.0);
                self.str(comm);
            }
            Event::Exit { pid, code } => {
                self.byte(2);
                self.u32(pid.0);
                self.byte(*code);
            }
            Event::Fault { pid, signal } => {
                self.byte(3);
                self.u32(pid.0);
                self.signal(*signal);
            }
            Event::Wait {
                pid,
                target,
                nohang,
            } => {
                self.byte(4);
                self.u32(pid.0);
                self.wait_target(*target);
                self.bool(*nohang);
            }
            Event::Kill {
                pid,
                target,
                signal,
            } => {
                self.byte(5);
                self.u32(pid.0);
                self.u32(target.0);
                self.signal(*signal);
            }
            Event::Sigaction {
                pid,
                signal,
                action,
                nocldwait,
            } => {
                self.byte(6);
                self.u32(pid.0);
                self.signal(*signal);
                self.disposition(*action);
                self.bool(*nocldwait);
            }
            Event::SetSubreaper { pid, on } => {
                self.byte(7);
                self.u32(pid.0);
                self.bool(*on);
            }
            Event::Unshare { pid, new } => {
                self.byte(8);
                self.u32(pid.0);
                self.kinds(*new);
            }
            Event::Setns { pid, ns } => {
                self.byte(9);
                self.u32(pid.0);
                self.u32(ns.0);
            }
            Event::Pin { ns, holder } => {
                self.byte(10);
                self.u32(ns.0);
                self.str(holder);
            }
            Event::Unpin { ns, holder } => {
                self.byte(11);
                self.u32(ns.0);
                self.str(holder);
            }
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, count: usize) -> Result<&'a [u8], WireError> {
        if self.0.len() < count {
            return Err(WireError::Truncated);
        }
        let (head, rest) = self.0.split_at(count);
        self.0 = rest;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, WireError> {
        Ok(self.take(1)?[0])
    }

    fn uint(&mut self) -> Result<u64, WireError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(WireError::Invalid("integer"))
    }

    fn u32(&mut self) -> Result<u32, WireError> {
        u32::try_from(self.uint()?).map_err(|_| WireError::Invalid("integer"))
    }

    fn bool(&mut self) -> Result<bool, WireError> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(WireError::Invalid("flag")),
        }
    }

    /// A length, checked against what is left (every item takes at least one byte), so that a
    /// forged count cannot make a huge allocation.
    fn len(&mut self) -> Result<usize, WireError> {
        let len = usize::try_from(self.uint()?).map_err(|_| WireError::Truncated)?;
        if len > self.0.len() {
            return Err(WireError::Truncated);
        }
        Ok(len)
    }

    fn str(&mut self) -> Result<String, WireError> {
        let len = self.len()?;
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| WireError::Invalid("text"))
    }

    fn list<T>(
        &mut self,
        mut each: impl FnMut(&mut Reader<'a>) -> Result<T, WireError>,
    ) -> Result<Vec<T>, WireError> {
        let len = self.len()?;
        let mut items = Vec::with_capacity(len);
        for _ in 0..len {
            items.push(each(self)?);
        }
        Ok(items)
    }

    fn option<T>(
        &mut self,
        each: impl FnOnce(&mut Reader<'a>) -> Result<T, WireError>,
    ) -> Result<Option<T>, WireError> {
        if self.bool()? {
            each(self).map(Some)
        } else {
            Ok(None)
        }
    }

    fn kind(&mut self) -> Result<NsKind, WireError> {
        NsKind::ALL
            .get(usize::from(self.byte()?))
            .copied()
            .ok_or(WireError::Invalid("namespace kind"))
    }

    fn kinds(&mut self) -> Result<NsKinds, WireError> {
        let bits = self.byte()?;
        Ok(NsKind::ALL
            .into_iter()
            .filter(|kind| bits & 1 << kind.index() != 0)
            .collect())
    }

    fn signal(&mut self) -> Result<Signal, WireError> {
        Signal::new(self.byte()?).ok_or(WireError::Invalid("signal"))
    }

    fn signals(&mut self) -> Result<SignalSet, WireError> {
        Ok(self.list(Reader::signal)?.into_iter().collect())
    }

    fn status(&mut self) -> Result<ExitStatus, WireError> {
        match self.byte()? {
            0 => Ok(ExitStatus::Exited(self.byte()?)),
            1 => Ok(ExitStatus::Signaled(self.signal()?)),
            _ => Err(WireError::Invalid("exit status")),
        }
    }

    fn wait_target(&mut self) -> Result<WaitTarget, WireError> {
        match self.byte()? {
            0 => Ok(WaitTarget::Any),
            1 => self.u32().map(|pid| WaitTarget::Pid(Pid(pid))),
            _ => Err(WireError::Invalid("wait target")),
        }
    }

    fn disposition(&mut self) -> Result<Disposition, WireError> {
        match self.byte()? {
            0 => Ok(Disposition::Default),
            1 => Ok(Disposition::Ignore),
            2 => Ok(Disposition::Handler),
            _ => Err(WireError::Invalid("disposition")),
        }
    }

    fn snapshot(&mut self) -> Result<Snapshot, WireError> {
        Ok(Snapshot {
            format: SNAPSHOT_FORMAT.to_owned(),
            version: FORMAT_VERSION,
            pid_max: self.u32()?,
            next_ns_id: self.option(Reader::uint)?,
            namespaces: self.list(Reader::namespace)?,
            processes: self.list(Reader::process)?,
        })
    }

    fn ns_id(&mut self) -> Result<NsId, WireError> {
        self.u32().map(NsId)
    }

    fn namespace(&mut self) -> Result<NamespaceRecord, WireError> {
        Ok(NamespaceRecord {
            id: self.ns_id()?,
            kind: self.kind()?,
            parent: self.option(Reader::ns_id)?,
            pins: self.list(Reader::str)?,
            initial: self.bool()?,
            last_pid: self.option(Reader::u32)?,
            accepting: self.bool()?,
        })
    }

    fn process(&mut self) -> Result<ProcessRecord, WireError> {
        let nspid = self.list(Reader::u32)?;
        let ppid = Pid(self.u32()?);
        let comm = self.str()?;
        let state = match self.byte()? {
            0 => ProcState::Running,
            1 => ProcState::Stopped,
            2 => ProcState::Exiting(self.status()?),
            3 => ProcState::Zombie(self.status()?),
            _ => return Err(WireError::Invalid("process state")),
        };
        let mut ns = NsSet([NsId(0); 8]);
        for kind in NsKind::ALL {
            ns.set(kind, self.ns_id()?);
        }
        Ok(ProcessRecord {
            nspid,
            ppid,
            comm,
            state,
            ns,
            pid_for_children: self.option(Reader::ns_id)?,
            time_for_children: self.option(Reader::ns_id)?,
            handled: self.signals()?,
            ignored: self.signals()?,
            nocldwait: self.bool()?,
            subreaper: self.bool()?,
            waiting: self.option(Reader::wait_target)?,
            pending: self.signals()?,
            container: self.option(|input| {
                let engine = match input.byte()? {
                    0 => Engine::Containerd,
                    1 => Engine::Docker,
                    _ => return Err(WireError::Invalid("engine")),
                };
                Ok(ContainerLabel {
                    engine,
                    pod: input.str()?,
                    container: input.str()?,
                    id: input.str()?,
                })
            })?,
        })
    }

    fn event(&mut self) -> Result<Event, WireError> {
        let pid = |input: &mut Reader<'a>| input.u32().map(Pid);
        Ok(match self.byte()? {
            0 => Event::Fork {
                pid: pid(self)?,
                new: self.kinds()?,
            },
            1 => Event::Exec {
                pid: pid(self)?,
                comm: self.str()?,
            },
            2 => Event::Exit {
                pid: pid(self)?,
                code: self.byte()?,
            },
            3 => Event::Fault {
                pid: pid(self)?,
                signal: self.signal()?,
            },
            4 => Event::Wait {
                pid: pid(self)?,
                target: self.wait_target()?,
                nohang: self.bool()?,
            },
            5 => Event::Kill {
                pid: pid(self)?,
                target: pid(self)?,
                signal: self.signal()?,
            },
            6 => Event::Sigaction {
                pid: pid(self)?,
                signal: self.signal()?,
                action: self.disposition()?,
                nocldwait: self.bool()?,
            },
            7 => Event::SetSubreaper {
                pid: pid(self)?,
                on: self.bool()?,
            },
            8 => Event::Unshare {
                pid: pid(self)?,
                new: self.kinds()?,
            },
            9 => Event::Setns {
                pid: pid(self)?,
                ns: self.ns_id()?,
            },
            10 => Event::Pin {
                ns: self.ns_id()?,
                holder: self.str()?,
            },
            11 => Event::Unpin {
                ns: self.ns_id()?,
                holder: self.str()?,
            },
            _ => return Err(WireError::Invalid("event")),
        })
    }
}
