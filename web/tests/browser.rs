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

/// Lets Yew render what the last event scheduled.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(20)).await;
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser page")
}

/// Mounts a fresh app and returns its root.
async fn mount() -> Element {
    let document = document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    root
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

async fn click(root: &Element, selector: &str) {
    find(root, selector).unchecked_into::<HtmlElement>().click();
    settle().await;
}

async fn choose(root: &Element, selector: &str, value: &str) {
    let select: HtmlSelectElement = find(root, selector).unchecked_into();
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    settle().await;
}

fn zombies(root: &Element) -> usize {
    root.query_selector_all(".ps tr.zombie").unwrap().length() as usize
}

#[wasm_bindgen_test]
async fn the_picker_lists_every_scenario_and_the_playground() {
    let root = mount().await;
    let options = root
        .query_selector_all("#scenario option")
        .unwrap()
        .length();
    let scenarios = pauselab_core::scenario::Scenario::all().unwrap().len();
    assert_eq!(options as usize, scenarios + 1);
    assert!(text(&root, "#position").contains("0"));
}

// K11, K13: stepping the zombie scenario shows zombies; shareProcessNamespace lets pause reap.
#[wasm_bindgen_test]
async fn k13_the_zombie_scenario_and_its_challenge() {
    let root = mount().await;
    choose(&root, "#scenario", "zombies").await;
    assert_eq!(zombies(&root), 0);
    for _ in 0..3 {
        click(&root, "#forward").await;
    }
    assert_eq!(zombies(&root), 2, "the worker and the job");
    assert!(text(&root, ".ps").contains("<defunct>"));
    assert!(root.query_selector(".challenge.done").unwrap().is_none());

    let spn: HtmlInputElement = find(&root, "#toggle-spn").unchecked_into();
    spn.click();
    settle().await;
    assert_eq!(zombies(&root), 1, "pause reaped the job");
    assert!(root.query_selector(".challenge.done").unwrap().is_some());
    assert!(text(&root, ".ps").contains("pause"));
}

// K25: both pid flags show the validation error, and the pod is not there.
#[wasm_bindgen_test]
async fn k25_both_pid_flags_show_the_error() {
    let root = mount().await;
    choose(&root, "#scenario", "zombies").await;
    click(&root, "#forward").await;
    find(&root, "#toggle-spn")
        .unchecked_into::<HtmlInputElement>()
        .click();
    settle().await;
    find(&root, "#toggle-hostpid")
        .unchecked_into::<HtmlInputElement>()
        .click();
    settle().await;
    assert!(text(&root, ".refused-pod").contains("cannot both be enabled"));
    assert!(root.query_selector(".pod").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn selecting_a_process_opens_its_actions_and_a_refusal_shows_a_notice() {
    let root = mount().await;
    choose(&root, "#scenario", "play").await;
    click(&root, "#forward").await;
    click(&root, ".ps tbody tr:first-child button.select").await;
    assert!(text(&root, ".act-panel h3").contains("init"));
    // The host's init cannot exit: the kernel would panic. Nothing changes but the notice.
    let before = text(&root, ".ps");
    click(&root, "#act-exit").await;
    assert!(root.query_selector("[role=alert]").unwrap().is_some());
    assert_eq!(text(&root, ".ps"), before);
}

#[wasm_bindgen_test]
async fn the_language_switch_turns_the_page_korean() {
    let root = mount().await;
    click(&root, "#language").await;
    assert!(text(&root, ".header").contains("따라 해 보는 시나리오"));
    assert_eq!(
        document()
            .document_element()
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("ko")
    );
}
