//! Component tests in a real browser: `wasm-bindgen-test-runner` drives headless Chromium
//! through ChromeDriver (see scripts/test.sh). The app is mounted on a fresh element, then
//! used the way a reader does: through the DOM.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use pauselab_web::components::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

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

/// Mounts a fresh app and returns its root, once its first render is there.
async fn mount() -> Element {
    let document = document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    let mounted = root.clone();
    until("the app renders", || has(&mounted, "#position")).await;
    root
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

/// The command names of the process table, in order.
fn comms(root: &Element) -> Vec<String> {
    let cells = root.query_selector_all(".ps td.comm button.select").unwrap();
    (0..cells.length())
        .filter_map(|i| cells.get(i)?.text_content())
        .map(|t| t.trim().to_owned())
        .collect()
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
        text(&root, ".narrative h2").to_lowercase().contains("zombie")
    })
    .await;
    assert_eq!(zombies(&root), 0);
    for _ in 0..3 {
        forward(&root).await;
    }
    until("two zombies: the worker and the job", || zombies(&root) == 2).await;
    assert!(text(&root, ".ps tr.zombie").contains("<defunct>"));
    assert!(!has(&root, ".challenge.done"));
    assert!(!comms(&root).iter().any(|c| c.starts_with("pause")), "no pause in the app's pid namespace yet");

    find(&root, "#toggle-spn")
        .unchecked_into::<HtmlInputElement>()
        .click();
    until("pause reaps the job: one zombie left, the challenge done", || {
        zombies(&root) == 1 && has(&root, ".challenge.done")
    })
    .await;
    assert!(
        comms(&root).iter().any(|c| c.starts_with("pause")),
        "pause is in the pod's pid namespace: {:?}",
        comms(&root)
    );
}

// K25: both pid flags show the validation error, and the pod is not there.
#[wasm_bindgen_test]
async fn k25_both_pid_flags_show_the_error() {
    let root = mount().await;
    choose(&root, "#scenario", "zombies");
    until("the zombie scenario opens", || {
        text(&root, ".narrative h2").to_lowercase().contains("zombie")
    })
    .await;
    forward(&root).await;
    until("the pod is drawn", || has(&root, ".pod")).await;
    find(&root, "#toggle-spn")
        .unchecked_into::<HtmlInputElement>()
        .click();
    until("shareProcessNamespace is on", || {
        find(&root, "#toggle-spn")
            .unchecked_into::<HtmlInputElement>()
            .checked()
    })
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
