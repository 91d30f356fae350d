//! An opened file: every field of its starting [`Snapshot`] but its format and version, then
//! its events.

use super::{framed, unframed, Reader, WireError, Writer};
use crate::event::Event;
use crate::format::{
    ContainerLabel, Engine, NamespaceRecord, ProcessRecord, Snapshot, FORMAT_VERSION,
    SNAPSHOT_FORMAT,
};
#[cfg(feature = "live")]
use crate::live::Change;
use crate::ns::{NsId, NsKind, NsSet};
use crate::process::{Pid, ProcState};

/// The first bytes: "pauselab wire", and the layout's version.
const MAGIC: &[u8; 4] = b"PLW\x01";

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
    framed(MAGIC, |out| {
        out.snapshot(&opened.initial);
        out.list(&opened.events, Writer::event);
    })
}

/// A live node's next look, as `pauselab serve --live` streams it: its own first bytes.
#[cfg(feature = "live")]
const CHANGE_MAGIC: &[u8; 4] = b"PLC\x02";

/// Writes a live node's next look.
#[cfg(feature = "live")]
pub fn encode_change(change: &Change) -> Vec<u8> {
    framed(CHANGE_MAGIC, |out| {
        out.list(&change.events, Writer::event);
    })
}

/// Reads a live node's next look: all of it, or an error.
#[cfg(feature = "live")]
pub fn decode_change(bytes: &[u8]) -> Result<Change, WireError> {
    unframed(bytes, CHANGE_MAGIC, |input| {
        Ok(Change {
            events: input.list(Reader::event)?,
        })
    })
}

/// Reads an opened file: all of it, or an error.
pub fn decode(bytes: &[u8]) -> Result<Opened, WireError> {
    unframed(bytes, MAGIC, |input| {
        Ok(Opened {
            initial: input.snapshot()?,
            events: input.list(Reader::event)?,
        })
    })
}

impl Writer {
    fn ns_set(&mut self, ns: NsSet) {
        for kind in NsKind::ALL {
            self.u32(ns.get(kind).0);
        }
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
        self.ns_set(process.ns);
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
        self.option(process.container.as_ref(), Writer::container_label);
    }

    fn container_label(&mut self, label: &ContainerLabel) {
        self.byte(match label.engine {
            Engine::Containerd => 0,
            Engine::Docker => 1,
        });
        self.str(&label.pod);
        self.str(&label.container);
        self.str(&label.id);
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
            #[cfg(feature = "live")]
            // 12 is a birth seen outside any container (as records before labels were), 19
            // one inside a container.
            Event::ForkSeen {
                pid,
                nspid,
                ns,
                container,
            } => {
                self.byte(if container.is_some() { 19 } else { 12 });
                self.u32(pid.0);
                self.list(nspid, |out, pid| out.u32(*pid));
                self.ns_set(**ns);
                if let Some(label) = container {
                    self.container_label(label);
                }
            }
            #[cfg(feature = "live")]
            Event::LookedAnew { look } => {
                self.byte(20);
                self.snapshot(look);
            }
            #[cfg(feature = "live")]
            Event::AppearedSeen { record } => {
                self.byte(17);
                self.process(record);
            }
            #[cfg(feature = "live")]
            Event::CollectedOutside { pid } => {
                self.byte(18);
                self.u32(pid.0);
            }
            #[cfg(feature = "live")]
            Event::Signaled { pid, signal } => {
                self.byte(13);
                self.u32(pid.0);
                self.signal(*signal);
            }
            #[cfg(feature = "live")]
            Event::EndedUnseen { pid } => {
                self.byte(14);
                self.u32(pid.0);
            }
            #[cfg(feature = "live")]
            Event::NamespacesSeen { pid, seen } => {
                self.byte(16);
                self.u32(pid.0);
                self.ns_set(seen.ns);
                self.u32(seen.pid_for_children.0);
                self.u32(seen.time_for_children.0);
            }
            #[cfg(feature = "live")]
            Event::Renamed { pid, comm } => {
                self.byte(15);
                self.u32(pid.0);
                self.str(comm);
            }
        }
    }
}

impl<'a> Reader<'a> {
    fn ns_set(&mut self) -> Result<NsSet, WireError> {
        let mut ns = NsSet([NsId(0); 8]);
        for kind in NsKind::ALL {
            ns.set(kind, self.ns_id()?);
        }
        Ok(ns)
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
        let ns = self.ns_set()?;
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
            container: self.option(Reader::container_label)?,
        })
    }

    fn container_label(&mut self) -> Result<ContainerLabel, WireError> {
        let engine = match self.byte()? {
            0 => Engine::Containerd,
            1 => Engine::Docker,
            _ => return Err(WireError::Invalid("engine")),
        };
        Ok(ContainerLabel {
            engine,
            pod: self.str()?,
            container: self.str()?,
            id: self.str()?,
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
            #[cfg(feature = "live")]
            kind @ (12 | 19) => Event::ForkSeen {
                pid: pid(self)?,
                nspid: self.list(Reader::u32)?.into(),
                ns: Box::new(self.ns_set()?),
                container: match kind {
                    19 => Some(Box::new(self.container_label()?)),
                    _ => None,
                },
            },
            #[cfg(feature = "live")]
            20 => Event::LookedAnew {
                look: Box::new(self.snapshot()?),
            },
            #[cfg(feature = "live")]
            17 => Event::AppearedSeen {
                record: Box::new(self.process()?),
            },
            #[cfg(feature = "live")]
            18 => Event::CollectedOutside { pid: pid(self)? },
            #[cfg(feature = "live")]
            13 => Event::Signaled {
                pid: pid(self)?,
                signal: self.signal()?,
            },
            #[cfg(feature = "live")]
            14 => Event::EndedUnseen { pid: pid(self)? },
            #[cfg(feature = "live")]
            16 => Event::NamespacesSeen {
                pid: pid(self)?,
                seen: Box::new(crate::event::SeenNamespaces {
                    ns: self.ns_set()?,
                    pid_for_children: self.ns_id()?,
                    time_for_children: self.ns_id()?,
                }),
            },
            #[cfg(feature = "live")]
            15 => Event::Renamed {
                pid: pid(self)?,
                comm: self.str()?,
            },
            _ => return Err(WireError::Invalid("event")),
        })
    }
}
