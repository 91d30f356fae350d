//! pauselab's values as compact bytes, for the page to read without a JSON reader:
//!
//! - an opened file ([`encode`], [`decode`]): what the browser's file reader (a second wasm
//!   module, fetched only when a reader opens a file) hands the page, after checking the file
//!   fully ([`Timeline::open`](crate::Timeline::open)); the page replays its events as it steps;
//! - the guided scenarios ([`encode_scenarios`], [`decode_scenarios`]): written when the page is
//!   built from the scenario files, which only the build reads as JSON;
//! - a reader's own actions ([`encode_actions`], [`decode_actions`]), which a link carries;
//! - the steps in play ([`encode_steps`], [`decode_steps`]): what the page hands its terminal (a
//!   third module, fetched when the terminal is opened) to replay on a node of its own.
//!
//! Each starts with a magic naming the layout and its version, then unsigned LEB128 integers,
//! length-prefixed strings and lists, and a tag per enum variant. Decoding checks every tag and
//! length, never trusts a count to allocate and bounds nesting, so bytes from elsewhere are
//! refused, not followed.

use std::fmt;

mod base64;
mod opened;
mod scenario;

pub use base64::{from_base64url, to_base64url};
pub use opened::{decode, encode, Opened};
#[cfg(feature = "live")]
pub use opened::{decode_change, encode_change};
pub use scenario::{
    decode_actions, decode_catalog, decode_scenarios, decode_steps, encode_actions, encode_catalog,
    encode_scenarios, encode_steps,
};

use crate::ns::{NsId, NsKind, NsKinds};
use crate::process::{Disposition, ExitStatus, Pid, WaitTarget};
use crate::signal::{Signal, SignalSet};

/// Bytes that are not a value of this version of pauselab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WireError {
    /// Not this layout, or another version of it (a cached file reader of another release, a
    /// link made by another release).
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
            WireError::NotThisVersion => f.write_str("not written by this version of pauselab"),
            WireError::Truncated => f.write_str("truncated"),
            WireError::Invalid(what) => write!(f, "invalid {what}"),
        }
    }
}

impl std::error::Error for WireError {}

/// Writes a layout: its magic, then what `body` writes.
fn framed(magic: &[u8; 4], body: impl FnOnce(&mut Writer)) -> Vec<u8> {
    let mut out = Writer(magic.to_vec());
    body(&mut out);
    out.0
}

/// Reads a layout: its magic, then what `body` reads, which must be all of the bytes.
fn unframed<T>(
    bytes: &[u8],
    magic: &[u8; 4],
    body: impl FnOnce(&mut Reader<'_>) -> Result<T, WireError>,
) -> Result<T, WireError> {
    let mut input = Reader(bytes);
    if input.take(magic.len())? != magic {
        return Err(WireError::NotThisVersion);
    }
    let value = body(&mut input)?;
    if !input.0.is_empty() {
        return Err(WireError::Invalid("trailing bytes"));
    }
    Ok(value)
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

    fn ns_id(&mut self) -> Result<NsId, WireError> {
        self.u32().map(NsId)
    }
}
