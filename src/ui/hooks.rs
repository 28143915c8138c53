//! Browser plumbing the components use: the play timer, URL parameters, the theme, file
//! download/upload and frame timing. Nothing here decides anything about the cluster.

use std::cell::Cell;
use std::rc::Rc;

use gloo::timers::callback::Interval;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// Real milliseconds between play ticks.
pub const TICK_MS: u32 = 100;

/// Calls `on_tick` every [`TICK_MS`] while `active`.
#[hook]
pub fn use_interval(active: bool, on_tick: Callback<()>) {
    use_effect_with(active, move |active| {
        let timer = active.then(|| Interval::new(TICK_MS, move || on_tick.emit(())));
        move || drop(timer)
    });
}

/// Page options from the URL (`?scenario=default&embed=1&play=0`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UrlParams {
    /// A built-in scenario to start from instead of the saved one.
    pub scenario: Option<String>,
    /// Compact layout for iframes.
    pub embed: bool,
    /// Start playing (default) or paused.
    pub play: Option<bool>,
    /// A built-in lesson to follow (`?lesson=daemonsets`).
    pub lesson: Option<String>,
}

/// Parses a query string (pure; tested natively).
pub fn parse_query(search: &str) -> UrlParams {
    let mut p = UrlParams::default();
    for pair in search.trim_start_matches('?').split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = v.replace('+', " ");
        match k {
            "scenario" if !v.is_empty() => p.scenario = Some(v),
            "lesson" if !v.is_empty() => p.lesson = Some(v),
            "embed" => p.embed = v != "0" && v != "false",
            "play" => p.play = Some(v != "0" && v != "false"),
            _ => {}
        }
    }
    p
}

/// The page's URL parameters.
pub fn url_params() -> UrlParams {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    parse_query(&search)
}

/// Whether a CSS media query matches.
fn media_matches(query: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(query).ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Whether the user asked for reduced motion.
pub fn prefers_reduced_motion() -> bool {
    media_matches("(prefers-reduced-motion: reduce)")
}

/// Whether the page shows one pane at a time (the narrow layout of `styles/main.css`).
pub fn narrow_layout() -> bool {
    media_matches("(max-width: 900px)")
}

/// Sets `data-theme` on `<html>` (`light`, `dark`; `system` removes it).
pub fn apply_theme(theme: &str) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = if theme == "system" {
        root.remove_attribute("data-theme")
    } else {
        root.set_attribute("data-theme", theme)
    };
}

/// Offers `text` as a file download.
pub fn download(filename: &str, text: &str, mime: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(filename);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// `performance.now()` in ms (0 where unavailable).
pub fn perf_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Records how long one tick took from dispatch to the rendered DOM, into
/// `window.__kubeplayFrames` (read by the performance test).
pub fn record_frame(ms: f64) {
    let Some(w) = web_sys::window() else { return };
    let key = JsValue::from_str("__kubeplayFrames");
    let arr = match js_sys::Reflect::get(&w, &key) {
        Ok(v) if v.is_instance_of::<js_sys::Array>() => v.unchecked_into::<js_sys::Array>(),
        _ => {
            let a = js_sys::Array::new();
            let _ = js_sys::Reflect::set(&w, &key, &a);
            a
        }
    };
    if arr.length() >= 10_000 {
        arr.shift();
    }
    arr.push(&JsValue::from_f64(ms));
}

/// A shared cell holding the time a tick was dispatched.
pub type TickStart = Rc<Cell<Option<f64>>>;

/// Opens a `<dialog>` as a modal (focus trapped, Esc closes).
pub fn show_modal(node: &NodeRef) {
    if let Some(d) = node.cast::<web_sys::HtmlDialogElement>() {
        let _ = d.show_modal();
    }
}

/// Closes a `<dialog>`.
pub fn close_dialog(node: &NodeRef) {
    if let Some(d) = node.cast::<web_sys::HtmlDialogElement>() {
        d.close();
    }
}

/// Focuses an element.
pub fn focus(node: &NodeRef) {
    if let Some(e) = node.cast::<web_sys::HtmlElement>() {
        let _ = e.focus();
    }
}

/// Focuses the element with this id, if it is on the page (where focus goes when the control
/// that had it disappears: a removed chip, a closed form).
pub fn focus_id(id: &str) {
    if let Some(e) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = e.focus();
    }
}

/// Scrolls the page as little as needed to show the element with this id
/// (`scrollIntoView({block: "nearest"})`; nothing moves when it is on screen already).
pub fn reveal_id(id: &str) {
    let Some(e) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    else {
        return;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"block".into(), &"nearest".into());
    if let Some(f) = js_sys::Reflect::get(&e, &"scrollIntoView".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let _ = f.call1(&e, &options);
    }
}

/// Whether focus fell back to the page itself (its control was removed from the page).
pub fn focus_lost() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_none_or(|e| e.tag_name().eq_ignore_ascii_case("body"))
}

/// Fetches `kubectl`'s help pages and `explain` descriptions ([`crate::kubectl::help`]'s bundle,
/// next to the wasm) and installs them. The page calls it after its first draw: the bundle is not
/// part of the first load. A failed fetch is installed as the reason, which `--help` prints.
pub fn load_kubectl_docs() {
    yew::platform::spawn_local(async {
        let url = format!(
            "{}?v={:016x}",
            crate::kubectl::help::BUNDLE_FILE,
            crate::kubectl::help::BUNDLE_HASH
        );
        let fetched = fetch_text(&url).await;
        crate::kubectl::help::install(fetched);
    });
}

async fn fetch_text(url: &str) -> Result<String, String> {
    use wasm_bindgen_futures::JsFuture;
    let js_err = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(js_err)?;
    let response: web_sys::Response = response.dyn_into().map_err(js_err)?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(js_err)?)
        .await
        .map_err(js_err)?;
    text.as_string().ok_or_else(|| "not text".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_query_table() {
        assert_eq!(parse_query(""), UrlParams::default());
        assert_eq!(
            parse_query("?scenario=indexed-job&embed=1&play=0"),
            UrlParams {
                scenario: Some("indexed-job".into()),
                embed: true,
                play: Some(false),
                lesson: None,
            }
        );
        assert_eq!(
            parse_query("?lesson=daemonsets").lesson.as_deref(),
            Some("daemonsets")
        );
        assert_eq!(parse_query("?lesson=").lesson, None);
        assert_eq!(
            parse_query("?embed"),
            UrlParams {
                embed: true,
                ..Default::default()
            }
        );
        assert!(!parse_query("?embed=0&x=1").embed);
    }
}
