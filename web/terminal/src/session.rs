//! The terminal's session, without the DOM: the node it types on (the page's steps in play,
//! replayed), the lines typed so far for ↑ and ↓, and what each entered line prints and hands
//! the page. Pure, so it is tested on the host.

use pauselab_core::scenario::{Action, Player, ScenarioStep, StepRefusal, Text};
use pauselab_core::shell::{complete, hints, Completion, Hint, Terminal, MAX_LINE};
use pauselab_core::text::{Language, Say};
use pauselab_core::{wire, Pid};

/// The most lines one paste may hold: a flood is refused whole, with a message.
pub const MAX_PASTE: usize = 64;

/// The most lines the screen keeps; older ones scroll away.
pub const MAX_SCREEN: usize = 2_000;

/// The node the terminal types on: the page's steps in play, replayed.
#[derive(Clone, Debug)]
struct OnNode {
    steps: Vec<Vec<Action>>,
    player: Player,
    /// The page's next step, if there is one: what the reader would type for it is shown.
    next: Option<Vec<Action>>,
}

impl OnNode {
    fn fresh() -> OnNode {
        OnNode {
            steps: Vec::new(),
            player: Player::new(),
            next: None,
        }
    }
}

/// A terminal session.
#[derive(Clone, Debug)]
pub struct Session {
    language: Language,
    /// None while the page shows a file, which has no node.
    node: Option<OnNode>,
    /// Lines entered, oldest first.
    history: Vec<String>,
    /// How many records this session has handed the page.
    sent: usize,
}

/// What an entered line did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entered {
    /// What the screen shows under the line.
    pub printed: String,
    /// The line's record for the page, as a link carries actions (base64url of core::wire's
    /// bytes): none when nothing is to be played (an empty or refused line).
    pub record: Option<String>,
}

/// Why the page's steps were not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable;

impl Default for Session {
    fn default() -> Self {
        Session::new(Language::English)
    }
}

impl Session {
    /// A session on a fresh node, until the page says which one is on screen.
    pub fn new(language: Language) -> Session {
        Session {
            language,
            node: Some(OnNode::fresh()),
            history: Vec::new(),
            sent: 0,
        }
    }

    /// The language of the terminal's own words.
    pub fn language(&self) -> Language {
        self.language
    }

    /// How many lines' records this session has handed the page (see [`Session::sync`]).
    pub fn sent(&self) -> usize {
        self.sent
    }

    /// Takes the moment on screen: the page's steps as `core::wire::encode_steps` wrote them
    /// and how many are in play (the one after them is the next), or none when the page shows
    /// a file; and how many of this session's records the page had taken at that moment
    /// (`seen`, of [`Session::sent`]). Steps in play that extend the ones already played are
    /// played on; a moment from before the page took the latest records, whose steps are
    /// these without them, is passed over (its records' steps are still to come); any other
    /// change replays from a fresh node, as the page does.
    pub fn sync(
        &mut self,
        steps: Option<&[u8]>,
        position: usize,
        language: Language,
        seen: usize,
    ) -> Result<(), Unreadable> {
        self.language = language;
        let Some(bytes) = steps else {
            self.node = None;
            return Ok(());
        };
        let mut steps = wire::decode_steps(bytes).map_err(|_| Unreadable)?;
        let next = (position < steps.len()).then(|| steps[position].clone());
        steps.truncate(position);
        let mut node = match self.node.take() {
            Some(node) if steps.starts_with(&node.steps) => node,
            // The page hands its moments over in tasks of their own, so a line may be entered
            // before one queued earlier comes. Replaying without the line would type the next
            // one on a node that lacks it.
            Some(node)
                if seen < self.sent
                    && node.steps.len() - steps.len().min(node.steps.len()) <= self.sent - seen
                    && node.steps.starts_with(&steps) =>
            {
                self.node = Some(node);
                return Ok(());
            }
            _ => OnNode::fresh(),
        };
        for actions in &steps[node.steps.len()..] {
            let step = ScenarioStep {
                say: Text {
                    en: String::new(),
                    ko: String::new(),
                },
                actions: actions.clone(),
                expect: Vec::new(),
            };
            // As the page's history plays a step: a refusal stops it, and the step stays.
            let _ = node.player.perform(&step);
        }
        node.steps = steps;
        node.next = next;
        node.player.set_language(language);
        self.node = Some(node);
        Ok(())
    }

    /// What a reader would type on a node for the page's next step, action by action (see
    /// `pauselab_core::shell::hints`); empty when there is no next step.
    pub fn next_step(&self) -> Vec<Hint> {
        match &self.node {
            Some(OnNode {
                next: Some(actions),
                player,
                ..
            }) => hints(player, actions),
            _ => Vec::new(),
        }
    }

    /// The shell being typed at, if it is running.
    fn shell(player: &Player) -> Option<Pid> {
        player.pid(&player.typing_label())
    }

    /// The prompt, as the shell typed at shows it; the node's bash until it is started.
    pub fn prompt(&self) -> String {
        let Some(node) = &self.node else {
            return String::new();
        };
        let world = node.player.node().world();
        match Session::shell(&node.player) {
            Some(shell) => {
                let comm = world.process(shell).map_or("bash", |p| p.comm());
                Terminal::new(shell, comm, self.language).prompt(node.player.node())
            }
            None => Terminal::new(Pid(1), "bash", self.language).prompt(node.player.node()),
        }
    }

    /// Runs a line. What it did to the node is played here at once, and handed to the page as
    /// its record; a refused line changes nothing and says why.
    pub fn enter(&mut self, line: &str) -> Entered {
        let said = |printed: String| Entered {
            printed,
            record: None,
        };
        if line.trim().is_empty() {
            return said(String::new());
        }
        if line.len() <= MAX_LINE && self.history.last().map(String::as_str) != Some(line) {
            self.history.push(line.to_owned());
        }
        let language = self.language;
        let Some(node) = &mut self.node else {
            return said(format!("{}\n", language.term().no_node));
        };
        let refused = |why: String| format!("pauselab: {}: {why}\n", language.cli().shell_refused);
        // All or nothing: a refused line leaves the node as it was (only its log says why).
        let player = &mut node.player;
        let at = player.typing_label();
        match player.type_recorded(&at, line) {
            Ok(Some(record)) => {
                let printed = match player.last_typed() {
                    Some(Ok((output, _))) => output.clone(),
                    _ => String::new(),
                };
                let bytes = wire::encode_actions(std::slice::from_ref(&record));
                node.steps.push(vec![record]);
                self.sent += 1;
                // The page's act drops its later steps: there is no next step until it says.
                node.next = None;
                Entered {
                    printed,
                    record: Some(wire::to_base64url(&bytes)),
                }
            }
            Ok(None) => {
                let why = match player.last_typed() {
                    Some(Err(why)) => Some(why.say(language)),
                    _ => None,
                };
                said(refused(why.unwrap_or_default()))
            }
            Err(StepRefusal::Refused(error)) => {
                let rule = error
                    .rule()
                    .map(|rule| format!(" [{rule}]"))
                    .unwrap_or_default();
                said(refused(format!("{}{rule}", error.say(language))))
            }
            Err(StepRefusal::Unknown(error)) => said(refused(error.say(language))),
        }
    }

    /// Tab: the line completed at the shell typed at.
    pub fn complete(&self, line: &str) -> Completion {
        let unchanged = Completion {
            line: line.to_owned(),
            choices: Vec::new(),
        };
        let Some(node) = &self.node else {
            return unchanged;
        };
        // Before the login shell starts, the node's pids are what it will see.
        let shell = Session::shell(&node.player).unwrap_or(Pid(1));
        complete(node.player.node(), shell, line)
    }

    /// The lines entered, oldest first.
    pub fn history(&self) -> &[String] {
        &self.history
    }
}

/// Where ↑ and ↓ are in the history while a line is edited.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recall {
    /// How far back (0: the line being typed).
    back: usize,
    /// The line being typed before going back, restored by coming forward.
    draft: String,
}

impl Recall {
    /// ↑ (`older`) or ↓ from `current`: the line to show, or none to stay.
    pub fn step(&mut self, history: &[String], current: &str, older: bool) -> Option<String> {
        if self.back == 0 {
            self.draft = current.to_owned();
        }
        let back = if older {
            (self.back + 1).min(history.len())
        } else {
            self.back.checked_sub(1)?
        };
        if back == self.back {
            return None;
        }
        self.back = back;
        Some(match back {
            0 => self.draft.clone(),
            n => history[history.len() - n].clone(),
        })
    }

    /// A line was entered (or cleared): recall starts again from the newest.
    pub fn reset(&mut self) {
        *self = Recall::default();
    }
}

/// The lines of a paste: complete ones to run, then what is left for the line being edited;
/// refused whole, saying why, when there are more than [`MAX_PASTE`].
pub fn paste(
    current: &str,
    pasted: &str,
    language: Language,
) -> Result<(Vec<String>, String), String> {
    let text = format!("{current}{pasted}")
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let rest = lines.pop().unwrap_or_default();
    if lines.len() > MAX_PASTE {
        let n = lines.len();
        return Err(language.either(
            || format!("pauselab: {n} lines pasted at once; the terminal takes up to {MAX_PASTE} at a time, and ran none of them\n"),
            || format!("pauselab: {n}줄을 한 번에 붙여 넣었습니다. 터미널은 한 번에 {MAX_PASTE}줄까지 받으므로 하나도 실행하지 않았습니다\n"),
        ));
    }
    Ok((lines, rest))
}
