//! The app's state and the actions that change it: `State` + `Action` + `reduce`, the shape of
//! Yew's `Reducible`. Pure: no DOM, no I/O.

use pauselab_core::{Event, Timeline, World};

/// The tutorial's languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// English.
    English,
    /// Korean.
    Korean,
}

/// What the app shows.
#[derive(Clone, Debug)]
pub struct State {
    /// The history being stepped through.
    pub timeline: Timeline,
    /// The language of the text.
    pub language: Language,
    /// The last refusal or load error, shown until the next successful action.
    pub error: Option<String>,
}

/// What the user can do.
#[derive(Clone, Debug)]
pub enum Action {
    /// Apply a new event at the current step.
    Apply(Event),
    /// One step back.
    Back,
    /// One step forward.
    Forward,
    /// Jump to a step.
    Seek(usize),
    /// Back to the first step.
    Reset,
    /// Switch language.
    SetLanguage(Language),
    /// Open a file written by `pauselab ps --json` or `pauselab trace`.
    Load(String),
}

impl Default for State {
    fn default() -> Self {
        State {
            timeline: Timeline::new(World::new()),
            language: Language::English,
            error: None,
        }
    }
}

impl State {
    /// The state after `action`. A refused event or a broken file leaves the timeline as it
    /// was and only sets `error`.
    pub fn reduce(&self, action: Action) -> State {
        let mut next = self.clone();
        next.error = None;
        match action {
            Action::Apply(event) => {
                if let Err(error) = next.timeline.apply(event) {
                    next.error = Some(error.to_string());
                }
            }
            Action::Back => {
                next.timeline.back();
            }
            Action::Forward => {
                next.timeline.forward();
            }
            Action::Seek(position) => next.timeline.seek(position),
            Action::Reset => next.timeline.reset(),
            Action::SetLanguage(language) => next.language = language,
            Action::Load(text) => match Timeline::open(&text) {
                Ok(timeline) => next.timeline = timeline,
                // The timeline on screen stays; only the error is new.
                Err(error) => next.error = Some(error.to_string()),
            },
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use pauselab_core::{Document, NsKinds, Pid};

    use super::*;

    #[test]
    fn a_broken_file_keeps_the_current_scenario_on_screen() {
        let state = State::default().reduce(Action::Apply(Event::Fork {
            pid: Pid(1),
            new: NsKinds::EMPTY,
        }));
        let after = state.reduce(Action::Load(
            "{\"format\": \"pauselab-trace\", \"version\": 1".into(),
        ));
        assert_eq!(after.timeline.world(), state.timeline.world());
        assert_eq!(after.timeline.position(), 1);
        assert!(
            after
                .error
                .as_deref()
                .is_some_and(|e| e.starts_with("not a pauselab file")),
            "{:?}",
            after.error
        );
    }

    #[test]
    fn a_trace_loads_at_its_start_and_steps_forward() {
        let mut recorded = Timeline::new(World::new());
        recorded
            .apply(Event::Fork {
                pid: Pid(1),
                new: NsKinds::EMPTY,
            })
            .unwrap();
        let text = Document::Trace(recorded.to_trace(None)).to_json();
        let state = State::default().reduce(Action::Load(text));
        assert_eq!(
            (
                state.timeline.position(),
                state.timeline.world().len(),
                &state.error
            ),
            (0, 1, &None)
        );
        let state = state.reduce(Action::Forward);
        assert_eq!(state.timeline.world().len(), 2);
    }

    #[test]
    fn a_refused_event_is_explained_and_changes_nothing() {
        let state = State::default();
        let after = state.reduce(Action::Apply(Event::Exit {
            pid: Pid(1),
            code: 0,
        }));
        assert_eq!(after.timeline.position(), 0);
        assert!(after
            .error
            .is_some_and(|e| e.contains("kernel would panic")));
    }
}
