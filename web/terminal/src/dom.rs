//! The terminal on the page: a screen of what was printed, and a line with the prompt and an
//! input field (the browser's own caret, selection, copy and paste, and input methods for
//! Korean). Its keys are the shell's only while the field has focus: Tab completes only a line
//! that has something in it (on an empty one it moves on, as everywhere), and Esc leaves.

use std::cell::RefCell;

use pauselab_core::shell::Hint;
use pauselab_core::text::{Language, Say};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    CustomEvent, CustomEventInit, Document, Event, EventInit, HtmlElement, HtmlInputElement,
    KeyboardEvent,
};

use crate::session::{paste, Recall, Session, MAX_SCREEN};

/// What is on the page, and the session behind it.
struct Ui {
    session: Session,
    recall: Recall,
    /// What the screen shows, at most [`MAX_SCREEN`] lines.
    text: String,
    screen: HtmlElement,
    /// The page's next step, as the lines a reader would type for it.
    next: HtmlElement,
    prompt: HtmlElement,
    input: HtmlInputElement,
    /// The page's hidden field that takes a line's record.
    record: HtmlInputElement,
    /// Whether the page showed a node at the last sync (the notice for a file is said once).
    on_node: bool,
    /// Whether the screen shows only the greeting, which a sync may say again in the page's
    /// language.
    greeting_only: bool,
    /// Whether a scroll to the newest line is asked for the next frame.
    scroll_asked: bool,
}

thread_local! {
    static UI: RefCell<Option<Ui>> = const { RefCell::new(None) };
    /// The frame callback that scrolls the screen to its newest line (one, kept for good).
    static SCROLL: Closure<dyn FnMut()> = Closure::new(|| {
        with_ui(|ui| {
            ui.scroll_asked = false;
            ui.screen.set_scroll_top(ui.screen.scroll_height());
        });
    });
}

fn element<T: JsCast>(document: &Document, tag: &str, class: &str) -> Result<T, JsValue> {
    let element = document.create_element(tag)?;
    element.set_class_name(class);
    element.dyn_into::<T>().map_err(JsValue::from)
}

impl Ui {
    fn print(&mut self, text: &str) {
        self.greeting_only = false;
        self.text.push_str(text);
        let lines = self.text.matches('\n').count();
        if lines > MAX_SCREEN {
            let cut = self
                .text
                .match_indices('\n')
                .nth(lines - MAX_SCREEN)
                .map_or(0, |(at, _)| at + 1);
            self.text.drain(..cut);
        }
        self.screen.set_text_content(Some(&self.text));
        self.scroll_later();
    }

    /// Scrolls to the newest line at the next frame: reading the screen's height now would lay
    /// out the whole page before the page has drawn what the line did, and again after.
    fn scroll_later(&mut self) {
        if self.scroll_asked {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let asked = SCROLL.with(|scroll| {
            window
                .request_animation_frame(scroll.as_ref().unchecked_ref())
                .is_ok()
        });
        self.scroll_asked = asked;
        if !asked {
            self.screen.set_scroll_top(self.screen.scroll_height());
        }
    }

    fn greet(&mut self) {
        self.text.clear();
        self.print(&format!("{}\n", self.session.language().term().intro));
        self.greeting_only = true;
    }

    /// The next step's lines, each a button that puts it on the command line, and what
    /// happens by itself in words.
    fn show_next(&self) -> Result<(), JsValue> {
        self.next.set_text_content(None);
        let hints = self.session.next_step();
        if hints.is_empty() {
            return Ok(());
        }
        let document = self.next.owner_document().ok_or("no document")?;
        let language = self.session.language();
        let labels = language.term();
        let title: HtmlElement = element(&document, "p", "term-next-title")?;
        title.set_text_content(Some(labels.next_step));
        self.next.append_child(&title)?;
        let list: HtmlElement = element(&document, "ol", "term-next-list")?;
        // The step's lines are typed in order: the ones typed so far are marked done, the next
        // one is put on the line by a click, and the others wait for it, as does any line
        // after what nobody types.
        let typed = self.session.next_step_typed();
        let mut index = 0;
        let mut itself = false;
        for hint in hints {
            let item: HtmlElement = element(&document, "li", "")?;
            match hint {
                Hint::Type(lines) => {
                    for line in lines {
                        let done = !itself && index < typed;
                        let later = itself || index > typed;
                        index += 1;
                        let class = if done {
                            "term-hint typed"
                        } else if later {
                            "term-hint later"
                        } else {
                            "term-hint"
                        };
                        let button: HtmlElement = element(&document, "button", class)?;
                        button.set_attribute("type", "button")?;
                        if done {
                            button.set_attribute("aria-disabled", "true")?;
                            button.set_title(labels.typed_already);
                        } else if later {
                            button.set_attribute("aria-disabled", "true")?;
                            button.set_title(labels.after_the_above);
                        } else {
                            button.set_attribute("data-line", &line)?;
                        }
                        button.set_text_content(Some(&format!("$ {line}")));
                        item.append_child(&button)?;
                    }
                }
                Hint::Itself(action) => {
                    itself = true;
                    item.set_class_name("term-itself");
                    let said = format!("{} {}", labels.done_by_itself, action.say(language));
                    item.set_text_content(Some(&said));
                }
            }
            list.append_child(&item)?;
        }
        self.next.append_child(&list)?;
        let note: HtmlElement = element(&document, "p", "term-next-note")?;
        note.set_text_content(Some(labels.your_own_step));
        self.next.append_child(&note)?;
        Ok(())
    }

    fn show_prompt(&self) {
        self.prompt.set_text_content(Some(&self.session.prompt()));
        let labels = self.session.language().term();
        let _ = self.input.set_attribute("aria-label", labels.input_label);
    }

    /// The line, as the screen keeps it: the prompt and what was typed.
    fn echo(&mut self, line: &str, mark: &str) {
        let prompt = self.session.prompt();
        self.print(&format!("{prompt}{line}{mark}\n"));
    }

    fn run(&mut self, line: &str) {
        self.echo(line, "");
        let entered = self.session.enter(line);
        self.print(&entered.printed);
        if let Some(at) = entered.step_done {
            // The page plays the step with its own Forward, if it is still at that moment (its
            // moments come in tasks of their own), and hands the terminal its steps back.
            let init = CustomEventInit::new();
            init.set_detail(&JsValue::from(at as u32));
            if let Ok(done) = CustomEvent::new_with_event_init_dict("step-done", &init) {
                let _ = self.record.dispatch_event(&done);
            }
        }
        if let Some(record) = entered.record {
            self.record.set_value(&record);
            // Read by the page's sync as it queues a moment, to say which records it had.
            let sent = self.session.sent().to_string();
            let _ = self.record.set_attribute("data-sent", &sent);
            let init = EventInit::new();
            init.set_bubbles(true);
            if let Ok(change) = Event::new_with_event_init_dict("change", &init) {
                let _ = self.record.dispatch_event(&change);
            }
        }
        self.recall.reset();
        self.show_prompt();
        let _ = self.show_next();
    }

    fn key(&mut self, event: &KeyboardEvent) {
        let line = self.input.value();
        let plain = !event.ctrl_key() && !event.meta_key() && !event.alt_key();
        match event.key().as_str() {
            "Enter" if plain && !event.is_composing() => {
                event.prevent_default();
                self.input.set_value("");
                self.run(&line);
            }
            key @ ("ArrowUp" | "ArrowDown") if plain => {
                event.prevent_default();
                let history = self.session.history().to_vec();
                if let Some(shown) = self.recall.step(&history, &line, key == "ArrowUp") {
                    self.input.set_value(&shown);
                }
            }
            // Tab on an empty line moves the focus on, as on the rest of the page.
            "Tab" if plain && !event.shift_key() && !line.is_empty() => {
                event.prevent_default();
                let completion = self.session.complete(&line);
                if completion.line == line && !completion.choices.is_empty() {
                    self.echo(&line, "");
                    self.print(&format!("{}\n", completion.choices.join("  ")));
                }
                self.input.set_value(&completion.line);
            }
            // Ctrl-C copies a selection; without one it clears the line, as in a shell.
            "c" if event.ctrl_key() && !event.shift_key() && !self.selecting() => {
                event.prevent_default();
                self.echo(&line, "^C");
                self.input.set_value("");
                self.recall.reset();
            }
            "l" if event.ctrl_key() && !event.shift_key() => {
                event.prevent_default();
                self.text.clear();
                self.screen.set_text_content(None);
            }
            "Escape" => {
                let _ = self.input.blur();
            }
            _ => {}
        }
    }

    /// Whether some text is selected, on the screen or in the line.
    fn selecting(&self) -> bool {
        let in_line = matches!(
            (self.input.selection_start(), self.input.selection_end()),
            (Ok(Some(start)), Ok(Some(end))) if start != end
        );
        let on_page = web_sys::window()
            .and_then(|w| w.get_selection().ok().flatten())
            .and_then(|s| s.to_string().as_string())
            .is_some_and(|s| !s.is_empty());
        in_line || on_page
    }

    /// A paste of several lines runs each, as a terminal does; a flood runs none.
    fn pasted(&mut self, text: &str) -> bool {
        if !text.contains(['\n', '\r']) {
            return false;
        }
        let current = self.input.value();
        match paste(&current, text, self.session.language()) {
            Ok((lines, rest)) => {
                for line in lines {
                    self.run(&line);
                }
                self.input.set_value(&rest);
            }
            Err(why) => self.print(&why),
        }
        true
    }
}

fn with_ui(change: impl FnOnce(&mut Ui)) {
    UI.with(|ui| {
        if let Some(ui) = ui.borrow_mut().as_mut() {
            change(ui);
        }
    });
}

/// Draws the terminal into `slot`; the page's `record` field takes each line's record.
pub fn open(slot: &web_sys::Element, record: HtmlInputElement) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let root: HtmlElement = element(&document, "div", "term")?;
    let next: HtmlElement = element(&document, "div", "term-next")?;
    let screen: HtmlElement = element(&document, "pre", "term-screen")?;
    screen.set_attribute("role", "log")?;
    screen.set_attribute("aria-live", "polite")?;
    let row: HtmlElement = element(&document, "div", "term-line")?;
    let prompt: HtmlElement = element(&document, "span", "term-prompt")?;
    let input: HtmlInputElement = element(&document, "input", "term-input")?;
    for (name, value) in [
        ("type", "text"),
        ("spellcheck", "false"),
        ("autocomplete", "off"),
        ("autocapitalize", "off"),
        ("autocorrect", "off"),
        ("enterkeyhint", "send"),
        ("maxlength", "4097"),
    ] {
        input.set_attribute(name, value)?;
    }
    row.append_child(&prompt)?;
    row.append_child(&input)?;
    root.append_child(&next)?;
    root.append_child(&screen)?;
    root.append_child(&row)?;
    slot.append_child(&root)?;

    let keydown = Closure::<dyn FnMut(KeyboardEvent)>::new(|event: KeyboardEvent| {
        with_ui(|ui| ui.key(&event));
    });
    input.add_event_listener_with_callback("keydown", keydown.as_ref().unchecked_ref())?;
    keydown.forget();
    let onpaste =
        Closure::<dyn FnMut(web_sys::ClipboardEvent)>::new(|event: web_sys::ClipboardEvent| {
            let text = event
                .clipboard_data()
                .and_then(|data| data.get_data("text").ok())
                .unwrap_or_default();
            let mut taken = false;
            with_ui(|ui| taken = ui.pasted(&text));
            if taken {
                event.prevent_default();
            }
        });
    input.add_event_listener_with_callback("paste", onpaste.as_ref().unchecked_ref())?;
    onpaste.forget();
    // A click on the screen types into the line, unless it selected something to copy; a
    // click on a line of the next step puts it there, to run with Enter.
    let focus = Closure::<dyn FnMut(Event)>::new(|event: Event| {
        let hint = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|target| target.closest(".term-hint").ok().flatten())
            .and_then(|button| button.get_attribute("data-line"));
        with_ui(|ui| {
            if let Some(line) = &hint {
                ui.input.set_value(line);
                ui.recall.reset();
            }
            if hint.is_some() || !ui.selecting() {
                let _ = ui.input.focus();
            }
        });
    });
    root.add_event_listener_with_callback("click", focus.as_ref().unchecked_ref())?;
    focus.forget();

    let mut ui = Ui {
        session: Session::default(),
        recall: Recall::default(),
        text: String::new(),
        screen,
        next,
        prompt,
        input,
        record,
        on_node: true,
        greeting_only: false,
        scroll_asked: false,
    };
    ui.greet();
    ui.show_prompt();
    let _ = ui.input.focus();
    UI.with(|cell| *cell.borrow_mut() = Some(ui));
    Ok(())
}

/// Takes the moment on screen (see [`Session::sync`]).
pub fn sync(steps: Option<Vec<u8>>, position: usize, language: Language, seen: usize) {
    with_ui(|ui| {
        let on_node = steps.is_some();
        if ui
            .session
            .sync(steps.as_deref(), position, language, seen)
            .is_err()
        {
            ui.print(&format!("pauselab: {}\n", language.term().unreadable_steps));
        }
        if ui.greeting_only {
            // Opened before the page said its language: the greeting in the reader's.
            ui.greet();
        }
        if ui.on_node && !on_node {
            ui.print(&format!("{}\n", language.term().no_node));
        }
        ui.on_node = on_node;
        ui.show_prompt();
        let _ = ui.show_next();
    });
}
