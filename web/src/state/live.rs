//! The "this node" view (built with the `live` feature, served by `pauselab serve --live` at
//! `live/`): the node's record as its messages come — the first look opens as a file does,
//! each change adds steps after the last. A reader who stepped back stays where they are; one
//! at the newest step follows the node. A message that does not read changes nothing.

use std::rc::Rc;

use pauselab_core::{wire, Timeline};

use super::{Source, State};

/// The name the live record has where a file's name is shown: what it is read from.
pub const LIVE_NAME: &str = "/proc";

/// The most steps the page's record holds: past it, a new record from the server is one of its
/// own, and the old one is kept beside it for export (memory is bounded). Twice the server's
/// own bound: a record the server started anew for its size still goes on here once.
const MAX_STEPS: usize = 400_000;

/// One message of the server's stream (`core::wire` bytes, decoded from base64url).
#[derive(Clone, Debug)]
pub enum LiveMessage {
    /// A record from its first look.
    Start(Rc<[u8]>),
    /// The next look's change.
    Change(Rc<[u8]>),
    /// The stream broke; the browser is reconnecting.
    Lost,
    /// The stream is open again (after a break, nothing new may come for a while).
    Open,
    /// The reader asks for the node's record again, after opening something else.
    Show,
    /// The server refused the stream (a new token, too many pages): the browser gave up.
    Closed,
}

/// How the view stands with the server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LiveStatus {
    /// No record yet.
    #[default]
    Waiting,
    /// Following, with this many messages since the stream last opened that could not be
    /// read (and were left out).
    Following {
        /// Messages left out.
        unread: u32,
    },
    /// The server is out of reach: the picture is the last one seen.
    Lost,
    /// The server refused the stream; only reloading the page's URL can open it again.
    Closed,
    /// A record's start did not read: its changes are left out until the next start.
    Broken,
}

impl State {
    /// Takes one message of the stream, or the reader's wish to see the node again.
    pub(super) fn follow(&mut self, message: LiveMessage) {
        let unread = match self.live {
            LiveStatus::Following { unread } => unread,
            _ => 0,
        };
        let watching = matches!(&self.source, Source::File { name, .. } if name == LIVE_NAME);
        match message {
            LiveMessage::Start(bytes) => match Timeline::from_wire(&bytes) {
                Ok(mut timeline) => {
                    match self.live_record.as_mut() {
                        // A new record of the same node (its server started again, or its
                        // record grew past the server's bound): the page's goes on with it,
                        // one step drawing the node anew, and the reader stays where they are.
                        Some(record) if record.len() + timeline.len() < MAX_STEPS => {
                            self.live_resumed = Some(record.len() + 1);
                            record.extend_with(&timeline);
                            record.seek(usize::MAX);
                            if let (
                                true,
                                Source::File {
                                    timeline: shown, ..
                                },
                            ) = (watching, &mut self.source)
                            {
                                let newest = shown.position() == shown.len();
                                shown.extend_with(&timeline);
                                if newest {
                                    shown.seek(usize::MAX);
                                }
                            }
                        }
                        // The first record, or one past the page's bound: the old one stays
                        // for export.
                        _ => {
                            if let Some(old) = self.live_record.take().filter(|old| !old.is_empty())
                            {
                                self.live_earlier = Some(old);
                            }
                            self.live_resumed = None;
                            timeline.seek(usize::MAX);
                            self.live_record = Some(Box::new(timeline));
                            // On screen while the view is the node's, or nothing else was
                            // opened yet; a file or a scenario the reader opened since stays.
                            if watching || self.live == LiveStatus::Waiting {
                                self.show_live();
                            }
                        }
                    }
                    self.live = LiveStatus::Following { unread };
                }
                // Changes to a start the page does not have would be played on the wrong one.
                Err(_) => self.live = LiveStatus::Broken,
            },
            LiveMessage::Change(bytes) => {
                if self.live == LiveStatus::Broken {
                    return;
                }
                let (Ok(change), Some(record)) =
                    (wire::decode_change(&bytes), self.live_record.as_mut())
                else {
                    self.live = LiveStatus::Following { unread: unread + 1 };
                    return;
                };
                record.extend(change.clone());
                record.seek(usize::MAX);
                if let (true, Source::File { timeline, .. }) = (watching, &mut self.source) {
                    // A reader at the newest step follows; one who stepped back stays.
                    let newest = timeline.position() == timeline.len();
                    timeline.extend(change);
                    if newest {
                        timeline.seek(usize::MAX);
                    }
                }
                self.live = LiveStatus::Following { unread };
            }
            LiveMessage::Show => self.show_live(),
            LiveMessage::Lost => self.live = LiveStatus::Lost,
            LiveMessage::Open if self.live == LiveStatus::Lost => {
                self.live = LiveStatus::Following { unread }
            }
            LiveMessage::Open => {}
            LiveMessage::Closed => self.live = LiveStatus::Closed,
        }
    }

    /// The node's record on screen, at its newest step.
    fn show_live(&mut self) {
        let Some(record) = &self.live_record else {
            return;
        };
        self.source = Source::File {
            name: LIVE_NAME.to_owned(),
            timeline: record.clone(),
        };
        self.selected = None;
        self.viewpoint = None;
        self.playing = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Action;
    use pauselab_core::live::Follower;
    use pauselab_core::{Event, NsKinds, Pid, World};

    fn start(world: &World) -> LiveMessage {
        LiveMessage::Start(Rc::from(Timeline::new(world.clone()).to_wire()))
    }

    /// The node forks once more: the change a server would send.
    fn fork(node: &mut World, follower: &mut Follower) -> LiveMessage {
        node.apply(Event::Fork {
            pid: Pid(1),
            new: NsKinds::EMPTY,
        })
        .unwrap();
        let change = follower
            .observe(&node.to_snapshot(), &Default::default())
            .unwrap();
        LiveMessage::Change(Rc::from(wire::encode_change(&change)))
    }

    fn steps(state: &State) -> (usize, usize) {
        match &state.source {
            Source::File { name, timeline } if name == LIVE_NAME => {
                (timeline.position(), timeline.len())
            }
            _ => panic!("not the live record"),
        }
    }

    #[test]
    fn the_view_follows_the_newest_step_unless_the_reader_stepped_back() {
        let mut node = World::new();
        let mut follower = Follower::new(&node.to_snapshot()).unwrap();
        let live = |state: &State, message| state.reduce(Action::Live(message));
        let state = live(&State::default(), start(&node));
        assert_eq!(state.live, LiveStatus::Following { unread: 0 });
        let state = live(&state, fork(&mut node, &mut follower));
        let state = live(&state, fork(&mut node, &mut follower));
        assert_eq!(steps(&state), (2, 2), "at the newest step, it follows");
        let state = state.reduce(Action::Back);
        let state = live(&state, fork(&mut node, &mut follower));
        assert_eq!(steps(&state), (1, 3), "a reader who stepped back stays");
        // A message that does not read changes nothing but the count of those left out.
        let state = live(&state, LiveMessage::Change(Rc::from(&b"nonsense"[..])));
        assert_eq!(steps(&state), (1, 3));
        assert_eq!(state.live, LiveStatus::Following { unread: 1 });
        // The view is read-only: an act changes nothing.
        let act = pauselab_core::scenario::Action::Exit {
            process: pauselab_core::scenario::Label::HostPid(Pid(2)),
            code: 0,
        };
        let acted = state.reduce(Action::Act(Box::new(act)));
        assert_eq!(steps(&acted), (1, 3));
        // Out of reach: the picture stays.
        let lost = live(&state, LiveMessage::Lost);
        assert_eq!((lost.live, steps(&lost)), (LiveStatus::Lost, (1, 3)));
        // A new record of the node (its server started again): the page's goes on with it,
        // one step drawing the node anew, and the reader who stepped back stays there.
        let again = live(&lost, start(&node));
        assert_eq!(steps(&again), (1, 4));
        assert_eq!(again.live_resumed, Some(4));
        assert!(again.live_earlier.is_none());
        let record = again.live_record.as_ref().unwrap();
        assert!(matches!(
            record.events().last(),
            Some(pauselab_core::Event::LookedAnew { .. })
        ));
        // Its changes come after it.
        let more = live(&again, fork(&mut node.clone(), &mut follower.clone()));
        assert_eq!(steps(&more), (1, 5));
        // Back in reach: following again, before anything new comes.
        let back = live(&lost, LiveMessage::Open);
        assert_eq!(back.live, LiveStatus::Following { unread: 0 });
        // A start that does not read: its changes are not played on the wrong record.
        let broken = live(&again, LiveMessage::Start(Rc::from(&b"PLW"[..])));
        assert_eq!(broken.live, LiveStatus::Broken);
        let ignored = live(&broken, fork(&mut node.clone(), &mut follower.clone()));
        assert_eq!(steps(&ignored), (1, 4));
        // A reader who opened something else keeps it; the record goes on meanwhile, and is
        // there, whole, when they come back.
        let elsewhere = again.reduce(Action::Open(crate::state::PLAYGROUND.into()));
        let kept = live(&elsewhere, fork(&mut node, &mut follower));
        assert!(matches!(kept.source, Source::Lesson(_)));
        let shown = live(&kept, LiveMessage::Show);
        assert_eq!(steps(&shown), (5, 5));
    }
}
