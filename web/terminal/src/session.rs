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
    /// The next step's first lines, typed as it offers them and played on `player` but not
    /// handed to the page yet: once all its lines are typed the page plays the step itself,
    /// so the lesson goes on; a line off the step hands them over as the reader's own.
    typed: Option<Typed>,
}

/// Lines of the next step typed so far.
#[derive(Clone, Debug)]
struct Typed {
    /// The node before them, at the page's steps.
    before: Player,
    /// Their records, in order.
    records: Vec<Action>,
}

impl OnNode {
    fn fresh() -> OnNode {
        OnNode {
            steps: Vec::new(),
            player: Player::new(),
            next: None,
            typed: None,
        }
    }

    /// The node at the page's steps, without the next step's lines typed so far.
    fn at_steps(&self) -> &Player {
        self.typed
            .as_ref()
            .map_or(&self.player, |typed| &typed.before)
    }

    /// The lines that do the next step, as it offers them (the ones before anything nobody
    /// types); none when there is no next step or its first part is not typed.
    fn step_lines(&self) -> Vec<String> {
        let Some(actions) = &self.next else {
            return Vec::new();
        };
        hints(self.at_steps(), actions)
            .into_iter()
            .map_while(|hint| match hint {
                Hint::Type(lines) => Some(lines),
                Hint::Itself(_) => None,
            })
            .flatten()
            .collect()
    }

    /// Drops the next step's lines typed so far: the node is at the page's steps again.
    fn untype(&mut self) {
        if let Some(typed) = self.typed.take() {
            self.player = typed.before;
        }
    }
}

/// What the terminal says of a line it refused, in the reader's language.
fn refused(why: String, language: Language) -> String {
    format!("pauselab: {}: {why}\n", language.cli().shell_refused)
}

/// Whether two lines are the same command, spaces aside.
fn same_line(typed: &str, offered: &str) -> bool {
    typed.split_whitespace().eq(offered.split_whitespace())
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
    /// bytes), after the records of the next step's lines typed before it if it is not the
    /// step's: none when nothing is to be played (an empty or refused line, or one of the next
    /// step's lines).
    pub record: Option<String>,
    /// The line was the last of the next step's: the page plays that step (Forward) if it is
    /// still at this moment (how many steps are in play), as the terminal last had it.
    pub step_done: Option<usize>,
}

impl Entered {
    /// A line that hands the page nothing.
    fn said(printed: String) -> Entered {
        Entered {
            printed,
            record: None,
            step_done: None,
        }
    }
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
        if let Some(node) = &mut self.node {
            // The next step's lines typed so far stay while the page is at the same moment (a
            // language changed); any other moment is played from the page's steps.
            if node.steps != steps || node.next != next {
                node.untype();
            }
        }
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
        if let Some(typed) = &mut node.typed {
            typed.before.set_language(language);
        }
        self.node = Some(node);
        Ok(())
    }

    /// What a reader would type on a node for the page's next step, action by action (see
    /// `pauselab_core::shell::hints`); empty when there is no next step.
    pub fn next_step(&self) -> Vec<Hint> {
        match &self.node {
            Some(
                node @ OnNode {
                    next: Some(actions),
                    ..
                },
            ) => hints(node.at_steps(), actions),
            _ => Vec::new(),
        }
    }

    /// How many of the next step's lines (as [`Session::next_step`] offers them) are typed.
    pub fn next_step_typed(&self) -> usize {
        self.node
            .as_ref()
            .and_then(|node| node.typed.as_ref())
            .map_or(0, |typed| typed.records.len())
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
    /// its record; a refused line changes nothing and says why. The next step's lines, typed
    /// in their turn, are the step's: held until its last, and then the page plays the step
    /// itself (Forward), so that a reader who types what the lesson offers goes on with it.
    pub fn enter(&mut self, line: &str) -> Entered {
        if line.trim().is_empty() {
            return Entered::said(String::new());
        }
        if line.len() <= MAX_LINE && self.history.last().map(String::as_str) != Some(line) {
            self.history.push(line.to_owned());
        }
        let language = self.language;
        let Some(node) = &mut self.node else {
            return Entered::said(format!("{}\n", language.term().no_node));
        };
        let offered = node.step_lines();
        let done = node.typed.as_ref().map_or(0, |typed| typed.records.len());
        let of_step = offered.get(done).is_some_and(|next| same_line(line, next));
        let before = of_step.then(|| node.player.clone());
        // All or nothing: a refused line leaves the node as it was (only its log says why).
        let player = &mut node.player;
        let at = player.typing_label();
        let typed = player.type_recorded(&at, line);
        let printed = match (&typed, player.last_typed()) {
            (Ok(Some(_)), Some(Ok((output, _)))) => output.clone(),
            (Ok(None), Some(Err(why))) => refused(why.say(language), language),
            (Ok(_), _) => refused(String::new(), language),
            (Err(StepRefusal::Refused(error)), _) => {
                let rule = error
                    .rule()
                    .map(|rule| format!(" [{rule}]"))
                    .unwrap_or_default();
                refused(format!("{}{rule}", error.say(language)), language)
            }
            (Err(StepRefusal::Unknown(error)), _) => refused(error.say(language), language),
        };
        let record = match typed {
            Ok(Some(record)) => record,
            // A step the tool refuses (some lessons show one) is done by its refused line.
            _ if of_step && done + 1 == offered.len() => return self.step_done(printed, before),
            _ => return Entered::said(printed),
        };
        if of_step && done + 1 == offered.len() {
            return self.step_done(printed, before);
        }
        if of_step {
            let typed = node.typed.get_or_insert_with(|| Typed {
                before: before.unwrap_or_default(),
                records: Vec::new(),
            });
            typed.records.push(record);
            return Entered::said(printed);
        }
        // The next step's lines typed before this one are the reader's own now, with it.
        let mut records: Vec<Action> = node
            .typed
            .take()
            .map(|typed| typed.records)
            .unwrap_or_default();
        records.push(record);
        let bytes = wire::encode_actions(&records);
        self.sent += records.len();
        node.steps
            .extend(records.into_iter().map(|record| vec![record]));
        // The page's act drops its later steps: there is no next step until it says.
        node.next = None;
        Entered {
            printed,
            record: Some(wire::to_base64url(&bytes)),
            step_done: None,
        }
    }

    /// The next step's last line was typed: the node goes back to the page's steps (as it was
    /// before the step's first line, or `before` this one), and the page plays the step and
    /// hands it over as the next of them.
    fn step_done(&mut self, printed: String, before: Option<Player>) -> Entered {
        let mut at = None;
        if let Some(node) = &mut self.node {
            at = Some(node.steps.len());
            if node.typed.is_some() {
                node.untype();
            } else if let Some(before) = before {
                node.player = before;
            }
            node.next = None;
        }
        Entered {
            printed,
            record: None,
            step_done: at,
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
