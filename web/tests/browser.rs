//! Component tests in a real browser: `wasm-bindgen-test-runner` drives headless Chromium
//! through ChromeDriver (see scripts/test.sh). The app is mounted on a fresh element, then
//! used the way a reader does: through the DOM.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use pauselab_core::scenario::Scenario;
use pauselab_web::components::App;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
// The test runner's server has no scenario files: the page's fetches of them are answered
// with the bytes the build writes, made by the test with the core's writer.
export function serve_scenarios(files) {
  if (window.realFetch) return;
  window.realFetch = window.fetch;
  window.fetch = (input, init) => {
    const match = new URL(input, document.baseURI).pathname.match(/\/scenarios\/([a-z0-9-]+)\.wire$/);
    if (match && files.has(match[1])) return Promise.resolve(new Response(files.get(match[1])));
    return window.realFetch(input, init);
  };
}
"#)]
extern "C" {
    fn serve_scenarios(files: &js_sys::Map);
}

/// Answers the page's fetches of `scenarios/<id>.wire` as `pauselab serve` does.
fn serve_scenario_files() {
    let files = js_sys::Map::new();
    for scenario in Scenario::all().unwrap() {
        let bytes = pauselab_core::wire::encode_scenarios(std::slice::from_ref(&scenario));
        files.set(
            &JsValue::from_str(&scenario.id),
            &js_sys::Uint8Array::from(&bytes[..]),
        );
    }
    serve_scenarios(&files);
}

/// Waits until `condition` holds (Yew renders asynchronously), checking every 10 ms for at
/// most 5 s; fails naming what it waited for. Never a fixed pause: it returns as soon as it
/// holds.
async fn until(what: &str, mut condition: impl FnMut() -> bool) {
    for _ in 0..500 {
        if condition() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("waited 5 s for: {what}");
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser page")
}

/// A mounted app: unmounted and removed from the page when the test ends, so that tests do
/// not see each other's apps.
struct Mounted {
    root: Element,
    app: Option<yew::AppHandle<App>>,
}

impl std::ops::Deref for Mounted {
    type Target = Element;

    fn deref(&self) -> &Element {
        &self.root
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.root.remove();
    }
}

/// Mounts a fresh app and returns its root, once its first render is there. The page's URL is
/// reset first: the app reads its state from the fragment, which an earlier test changed.
async fn mount() -> Mounted {
    serve_scenario_files();
    let window = web_sys::window().expect("a browser window");
    let path = window.location().pathname().unwrap_or_default();
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
        .unwrap();
    let document = document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    let mounted = Mounted {
        root,
        app: Some(app),
    };
    until("the app renders", || has(&mounted, "#position")).await;
    mounted
}

fn has(root: &Element, selector: &str) -> bool {
    root.query_selector(selector).ok().flatten().is_some()
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

fn click(root: &Element, selector: &str) {
    find(root, selector).unchecked_into::<HtmlElement>().click();
}

fn choose(root: &Element, selector: &str, value: &str) {
    let select: HtmlSelectElement = find(root, selector).unchecked_into();
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

fn zombies(root: &Element) -> usize {
    root.query_selector_all(".ps tr.zombie").unwrap().length() as usize
}

/// The step shown, and the number of steps: `#position` reads "step N of M".
fn position(root: &Element) -> (usize, usize) {
    let shown = text(root, "#position");
    let numbers: Vec<usize> = shown
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    match numbers.as_slice() {
        [at, of] => (*at, *of),
        _ => panic!("#position is not \"step N of M\": {shown:?}"),
    }
}

/// Clicks Forward and waits until the step moved on.
async fn forward(root: &Element) {
    let (at, _) = position(root);
    click(root, "#forward");
    until("a step forward", || position(root).0 == at + 1).await;
}

/// The app's pid inside its pid namespace: the last of its NSpid in the process table.
fn app_pid_inside(root: &Element) -> u32 {
    let rows = root.query_selector_all(".ps tbody tr").unwrap();
    (0..rows.length())
        .filter_map(|i| rows.get(i)?.dyn_into::<Element>().ok())
        .find(|row| {
            row.query_selector("td.comm button.select")
                .ok()
                .flatten()
                .and_then(|b| b.text_content())
                .is_some_and(|t| t.trim() == "app")
        })
        .and_then(|row| {
            row.query_selector("td.nspid")
                .ok()
                .flatten()?
                .text_content()
        })
        .and_then(|nspid| nspid.split_whitespace().last()?.parse().ok())
        .expect("the app's row with its NSpid")
}

#[wasm_bindgen_test]
async fn the_picker_lists_every_scenario_and_the_playground() {
    let root = mount().await;
    let scenarios = pauselab_core::scenario::Scenario::all().unwrap().len();
    let options = || {
        root.query_selector_all("#scenario option")
            .unwrap()
            .length() as usize
    };
    until("every scenario and the playground listed", || {
        options() == scenarios + 1
    })
    .await;
    assert_eq!(position(&root).0, 0, "a scenario opens at its start");
}

// K11, K13: stepping the zombie scenario shows zombies; shareProcessNamespace lets pause reap.
#[wasm_bindgen_test]
async fn k13_the_zombie_scenario_and_its_challenge() {
    let root = mount().await;
    choose(&root, "#scenario", "zombies");
    until("the zombie scenario opens", || {
        text(&root, ".narrative h2")
            .to_lowercase()
            .contains("zombie")
    })
    .await;
    assert_eq!(zombies(&root), 0);
    for _ in 0..3 {
        forward(&root).await;
    }
    until("two zombies: the worker and the job", || {
        zombies(&root) == 2
    })
    .await;
    assert!(text(&root, ".ps tr.zombie").contains("<defunct>"));
    assert!(!has(&root, ".challenge.done"));
    assert_eq!(
        app_pid_inside(&root),
        1,
        "the app is its own pid namespace's init"
    );

    find(&root, "#toggle-spn")
        .unchecked_into::<HtmlInputElement>()
        .click();
    until(
        "pause reaps the job: one zombie left, the challenge done",
        || zombies(&root) == 1 && has(&root, ".challenge.done"),
    )
    .await;
    assert_eq!(
        app_pid_inside(&root),
        2,
        "pause is pid 1 of the pod's pid namespace, the app pid 2"
    );
}

// K25: both pid flags show the validation error, and the pod is not there.
#[wasm_bindgen_test]
async fn k25_both_pid_flags_show_the_error() {
    let root = mount().await;
    choose(&root, "#scenario", "zombies");
    until("the zombie scenario opens", || {
        text(&root, ".narrative h2")
            .to_lowercase()
            .contains("zombie")
    })
    .await;
    forward(&root).await;
    until("the pod is drawn", || has(&root, ".pod")).await;
    find(&root, "#toggle-spn")
        .unchecked_into::<HtmlInputElement>()
        .click();
    // The pod is re-created with the new setting: one pid band across pause and the app.
    until(
        "the pod picture shows pause and the app in one pid namespace",
        || {
            has(
                &root,
                r#".pod-picture [data-kind="pid"] .band[data-span="2"]"#,
            )
        },
    )
    .await;
    find(&root, "#toggle-hostpid")
        .unchecked_into::<HtmlInputElement>()
        .click();
    until("the validation error", || has(&root, ".refused-pod")).await;
    assert!(text(&root, ".refused-pod").contains("cannot both be enabled"));
    assert!(!has(&root, ".pod"), "no pod is drawn");
}

#[wasm_bindgen_test]
async fn selecting_a_process_opens_its_actions_and_a_refusal_shows_a_notice() {
    let root = mount().await;
    choose(&root, "#scenario", "play");
    until("the playground opens", || position(&root) == (0, 1)).await;
    forward(&root).await;
    until("the process table", || has(&root, ".ps tbody tr")).await;
    click(&root, ".ps tbody tr:first-child button.select");
    until("the action panel for init", || {
        has(&root, ".act-panel h3") && text(&root, ".act-panel h3").contains("init")
    })
    .await;
    // The host's init cannot exit: the kernel would panic. Nothing changes but the notice.
    let before = text(&root, ".ps");
    click(&root, "#act-exit");
    until("the refusal's notice", || has(&root, "[role=alert]")).await;
    assert_eq!(text(&root, ".ps"), before);
}

#[wasm_bindgen_test]
async fn the_language_switch_turns_the_page_korean() {
    let root = mount().await;
    click(&root, "#language");
    let lang = || {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
    };
    until("<html lang=ko>", || lang().as_deref() == Some("ko")).await;
    until("the header in Korean", || {
        text(&root, ".header").contains("따라 해 보는 시나리오")
    })
    .await;
}
