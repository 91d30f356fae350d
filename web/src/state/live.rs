//! The "this node" view (built with the `live` feature, served by `pauselab serve --live` at
//! `live/`): the node's record as its messages come — the first look opens as a file does,
//! each change adds steps after the last. A reader who stepped back stays where they are; one
//! at the newest step follows the node. A message that does not read changes nothing.

use std::rc::Rc;

use pauselab_core::{wire, Timeline};

use super::{Source, State};

/// The name the live record has where a file's name is shown: what it is read from.
pub const LIVE_NAME: &str = "/proc";

/// One message of the server's stream (`core::wire` bytes, decoded from base64url).
#[derive(Clone, Debug)]
pub enum LiveMessage {
    /// A record from its first look.
    Start(Rc<[u8]>),
    /// The next look's change.
    Change(Rc<[u8]>),
    /// The stream broke; the browser is reconnecting.
    Lost,
}

/// How the view stands with the server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LiveStatus {
    /// No record yet.
    #[default]
    Waiting,
    /// Following, with this many messages that could not be read (and were left out).
    Following {
        /// Messages left out.
        unread: u32,
    },
    /// The server is out of reach: the picture is the last one seen.
    Lost,
}

impl State {
    /// Takes one message of the stream.
    pub(super) fn follow(&mut self, message: LiveMessage) {
        let unread = match self.live {
            LiveStatus::Following { unread } => unread,
            _ => 0,
        };
        match message {
            LiveMessage::Start(bytes) => match Timeline::from_wire(&bytes) {
                Ok(mut timeline) => {
                    // A new record (the server restarted, or started one anew): if the reader
                    // was on the old one's newest step, they follow the new one too.
                    timeline.seek(usize::MAX);
                    self.source = Source::File {
                        name: LIVE_NAME.to_owned(),
                        timeline: Box::new(timeline),
                    };
                    self.selected = None;
                    self.viewpoint = None;
                    self.playing = false;
                    self.live = LiveStatus::Following { unread };
                }
                Err(_) => self.live = LiveStatus::Following { unread: unread + 1 },
            },
            LiveMessage::Change(bytes) => {
                let Source::File { name, timeline } = &mut self.source else {
                    return;
                };
                let Ok(change) = wire::decode_change(&bytes) else {
                    self.live = LiveStatus::Following { unread: unread + 1 };
                    return;
                };
                if name != LIVE_NAME {
                    return;
                }
                let newest = timeline.position() == timeline.len();
                timeline.extend(change);
                if newest {
                    timeline.seek(usize::MAX);
                }
                self.live = LiveStatus::Following { unread };
            }
            LiveMessage::Lost => self.live = LiveStatus::Lost,
        }
    }
}
