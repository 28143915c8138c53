//! Component tests in headless Chromium (wasm-bindgen-test): the real page (`ui::App`) mounted
//! into a fresh element, driven through the DOM the way a learner drives it, elements found by
//! their accessible names. Run by `scripts/test.sh` as
//! `cargo test --target wasm32-unknown-unknown --test web` (the runner is set in
//! `.cargo/config.toml`). The end-to-end tests in `tests/e2e/` cover the built `dist/` page.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::time::Duration;

use kubeplay::kubectl::{NoFiles, Session};
use kubeplay::ui::{scenario, App};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A mounted page, unmounted (and its saved state forgotten) when dropped.
struct Page {
    root: Element,
    handle: Option<yew::AppHandle<App>>,
}

impl Page {
    /// Mounts the page as on a first visit: nothing saved, the default scenario.
    async fn open() -> Page {
        let window = web_sys::window().expect("window");
        if let Ok(Some(storage)) = window.local_storage() {
            storage.clear().expect("clear localStorage");
        }
        let document = window.document().expect("document");
        let root = document.create_element("div").expect("div");
        document
            .body()
            .expect("body")
            .append_child(&root)
            .expect("append");
        let handle = yew::Renderer::<App>::with_root(root.clone()).render();
        let page = Page {
            root,
            handle: Some(handle),
        };
        page.settle().await;
        page
    }

    /// Lets Yew render what the last event scheduled.
    async fn settle(&self) {
        yew::platform::time::sleep(Duration::from_millis(60)).await;
    }

    /// The one element with this accessible name (`aria-label`), or panics naming it.
    fn labelled(&self, name: &str) -> Element {
        self.find_labelled(name)
            .unwrap_or_else(|| panic!("no element labelled {name:?}"))
    }

    fn find_labelled(&self, name: &str) -> Option<Element> {
        self.root
            .query_selector(&format!("[aria-label=\"{name}\"]"))
            .ok()
            .flatten()
    }

    /// Waits (up to 10 s, a busy machine renders slowly) until `f` answers.
    async fn eventually<T>(&self, what: &str, f: impl Fn() -> Option<T>) -> T {
        for _ in 0..500 {
            if let Some(t) = f() {
                return t;
            }
            yew::platform::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("timed out waiting for {what}")
    }

    /// Waits until the element labelled `name` exists and its text satisfies `ok`; returns the
    /// text (panics with the last text seen).
    async fn text_until(&self, name: &str, ok: impl Fn(&str) -> bool) -> String {
        self.eventually(name, || {
            let t = self.find_labelled(name)?.text_content().unwrap_or_default();
            ok(&t).then_some(t)
        })
        .await
    }

    /// The button named `name`, once it is drawn.
    async fn button_eventually(&self, name: &str) -> HtmlElement {
        self.eventually(name, || self.find_button(name)).await
    }

    /// The button whose text (accessible name) is `name`.
    fn button(&self, name: &str) -> HtmlElement {
        self.find_button(name)
            .unwrap_or_else(|| panic!("no button named {name:?}"))
    }

    fn find_button(&self, name: &str) -> Option<HtmlElement> {
        let buttons = self.root.query_selector_all("button").expect("buttons");
        (0..buttons.length())
            .filter_map(|i| buttons.item(i))
            .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
            .find(|b| {
                b.get_attribute("aria-label").as_deref() == Some(name)
                    || b.inner_text().trim().trim_start_matches(['▶', '⏸']).trim() == name
            })
    }

    /// Types into the console and presses Run; returns the console transcript's text once the
    /// command shows in it.
    async fn run(&self, line: &str) -> String {
        let input: HtmlInputElement = self.labelled("kubectl command").dyn_into().expect("input");
        input.set_value(line);
        fire_input(&input);
        self.eventually("the prompt to take the text", || {
            (input.value() == line).then_some(())
        })
        .await;
        self.settle().await;
        self.button("Run").click();
        self.text_until("Console output", |t| t.contains(line))
            .await
    }

    fn text(&self, name: &str) -> String {
        self.labelled(name).text_content().unwrap_or_default()
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.destroy();
        }
        self.root.remove();
        if let Some(Ok(Some(s))) = web_sys::window().map(|w| w.local_storage()) {
            let _ = s.clear();
        }
    }
}

/// An `input` event as typing fires it (bubbling, so Yew's delegated listener sees it).
fn fire_input(el: &HtmlElement) {
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::InputEvent::new_with_event_init_dict("input", &init).expect("input event");
    el.dispatch_event(&ev).expect("dispatch");
}

#[wasm_bindgen_test]
async fn first_visit_draws_the_default_scenario() {
    let page = Page::open().await;
    for n in ["n1", "n2", "n3"] {
        page.eventually(n, || page.find_labelled(&format!("Node {n}")))
            .await;
    }
    let labels = page.text_until("Labels of n1", |t| !t.is_empty()).await;
    assert!(labels.contains("disktype=ssd"), "{labels}");
    let head = page
        .root
        .query_selector(".pane-cluster .pane-head .muted")
        .expect("selector")
        .expect("cluster summary")
        .text_content()
        .unwrap_or_default();
    assert!(head.starts_with("3 nodes"), "{head}");
}

/// Pauses the page (it plays on a first visit) and waits until the button offers Play.
async fn pause(page: &Page) {
    page.button_eventually("Pause").await.click();
    page.button_eventually("Play").await;
}

#[wasm_bindgen_test]
async fn the_console_prints_what_the_cli_prints() {
    let page = Page::open().await;
    pause(&page).await;
    let line = "kubectl get nodes --show-labels";
    let transcript = page.run(line).await;
    // The same command on the same scenario, run by the engine directly.
    let mut s = scenario::replay(&scenario::default_scenario());
    let want = s.run(line, None, &NoFiles);
    assert!(want.ok, "{}", want.stderr);
    assert!(
        transcript.contains(want.stdout.trim_end()),
        "transcript {transcript:?} lacks {:?}",
        want.stdout
    );
    // A typo gets kubectl's error, and the page survives it.
    let transcript = page.run("kubectl gett pods").await;
    let want = s.run("kubectl gett pods", None, &NoFiles);
    assert!(!want.ok);
    assert!(
        want.stderr.contains("unknown command \"gett\""),
        "{}",
        want.stderr
    );
    let first = want.stderr.lines().next().unwrap_or_default();
    assert!(transcript.contains(first), "{transcript:?} lacks {first:?}");
    page.labelled("Node n1");
}

/// The help bundle is fetched after the first draw; the test runner serves no
/// kubectl-docs.json, so `--help` and `explain` say why there is no page, and nothing panics.
#[wasm_bindgen_test]
async fn help_without_its_bundle_says_so() {
    let page = Page::open().await;
    pause(&page).await;
    let transcript = page.run("kubectl get --help").await;
    let mut s = scenario::replay(&scenario::default_scenario());
    let want = s.run("kubectl explain pods", None, &NoFiles);
    assert!(
        want.ok || want.stderr.contains("help pages"),
        "{}",
        want.stderr
    );
    assert!(
        transcript.contains("help pages") || transcript.contains("Display one or many resources"),
        "{transcript:?}"
    );
    page.labelled("Node n1");
}

#[wasm_bindgen_test]
async fn invalid_yaml_is_marked_at_its_line_and_the_text_stays() {
    let page = Page::open().await;
    let area: HtmlTextAreaElement = page
        .eventually("the editor", || page.find_labelled("Manifest YAML"))
        .await
        .dyn_into()
        .expect("textarea");
    let bad = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n spec: [\n";
    area.set_value(bad);
    fire_input(&area);
    page.settle().await;
    page.button("Apply").click();
    let feedback = page
        .eventually("the editor's feedback", || {
            let t = page
                .root
                .query_selector("#editor-feedback")
                .ok()??
                .text_content()?;
            (!t.trim().is_empty()).then_some(t)
        })
        .await;
    assert!(feedback.contains("Line 5"), "{feedback}");
    // Said in words, not by the box's colour alone.
    assert!(feedback.contains("Apply failed"), "{feedback}");
    assert_eq!(area.value(), bad, "the editor keeps the text");
    page.labelled("Node n3");
}

#[wasm_bindgen_test]
async fn adding_a_labeled_node_gives_the_daemonset_a_pod_there() {
    let page = Page::open().await;
    pause(&page).await;
    page.run("sim node add n4 --labels disktype=ssd").await;
    page.run("sim advance 10s").await;
    let card = page
        .text_until("Node n4", |t| t.contains("fluentd-elasticsearch-"))
        .await;
    assert!(card.contains("Running"), "{card}");
}

#[wasm_bindgen_test]
async fn the_play_button_says_what_it_will_do() {
    let page = Page::open().await;
    pause(&page).await;
    let clock = page.text("Simulated clock");
    yew::platform::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        page.text("Simulated clock"),
        clock,
        "paused: the clock stands"
    );
    page.button("Play").click();
    page.button_eventually("Pause").await;
    page.text_until("Simulated clock", |t| t != clock).await;
}

#[wasm_bindgen_test]
fn the_engine_session_is_deterministic_in_wasm() {
    let script = "sim node add a\nsim node add b --labels disktype=ssd\nkubectl apply -f -\nsim advance 30s\nkubectl get pods -o wide";
    let run = || {
        let mut s = Session::new(3);
        let mut out = String::new();
        for line in script.lines() {
            let stdin = (line == "kubectl apply -f -").then_some(
                "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox, command: [sh, -c, 'echo hi']}]\n",
            );
            let o = s.run(line, stdin, &NoFiles);
            out.push_str(&o.stdout);
            out.push_str(&o.stderr);
        }
        out
    };
    let a = run();
    assert_eq!(a, run());
    assert!(a.contains("pi-"), "{a}");
}
