//! The page's own JavaScript, in one snippet (one more file the page loads): starting the
//! terminal's module and talking to it, and writing the link and the language, which
//! wasm-bindgen's bindings would do in more bytes of the page's download, or sooner and more
//! often than the page needs.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
let terminal;
// The moment the page last handed the terminal: how many steps were in play.
let shown;
// The terminal's module, fetched and started once; fetched again if that failed.
export function open_terminal() {
  if (terminal) return;
  const slot = document.querySelector(".terminal-slot");
  const record = document.querySelector(".terminal-record");
  // The next step's lines typed in their turn: the page plays the step, as Forward does, if it
  // is still at the moment the terminal typed them at.
  record.addEventListener("step-done", (event) => {
    if (event.detail === shown) document.getElementById("forward")?.click();
  });
  const url = new URL("terminal/pauselab_web_terminal.js", document.baseURI).href;
  terminal = import(url).then(async (module) => { await module.default(); module.open(slot, record); return module; });
  terminal.catch((error) => { terminal = undefined; slot.textContent = String(error); });
}
export function terminal_opened() { return !!terminal; }
// In the order the page calls it, once the module has started, in a task of its own so that
// the page draws first; no steps: no node to type on.
export function sync_terminal(steps, node, position, language) {
  if (!terminal) return;
  shown = node ? position : undefined;
  const copy = steps.slice();
  // The terminal's records this moment has: it may run after the terminal entered more.
  const seen = Number(document.querySelector(".terminal-record").dataset.sent) || 0;
  terminal = terminal.then((module) => new Promise((done) => setTimeout(() => {
    module.sync(node ? copy : undefined, position, language, seen);
    done(module);
  })));
}
// The page's language, and its link, written into the history once the page has drawn (a link
// that carries a big act is tens of kilobytes, which takes the browser milliseconds to take):
// the last asked for. The language only when it changes: setting <html lang> at all restyles
// every element of the page (4 ms a step on a node of 1,000 processes, bench/web.mjs).
let link;
export function set_link(url, lang) {
  const root = document.documentElement;
  if (root.lang !== lang) root.lang = lang;
  if (link === undefined) setTimeout(() => {
    const url = link;
    link = undefined;
    // A browser may refuse many changes in a short time: the next one tries again.
    try { history.replaceState(null, "", url); } catch (_) {}
  });
  link = url;
}
"#)]
extern "C" {
    /// Fetches and starts the terminal's module, once (again if that failed).
    pub(crate) fn open_terminal();
    /// Whether the terminal's module was asked for.
    pub(crate) fn terminal_opened() -> bool;
    /// Hands the terminal the steps in play, in a task of its own.
    pub(crate) fn sync_terminal(steps: &[u8], node: bool, position: u32, language: &str);
    /// Sets the page's language (`<html lang>`) and writes its link (`#…`) into the history,
    /// once the page has drawn.
    pub(crate) fn set_link(url: &str, lang: &str);
}
