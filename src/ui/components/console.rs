//! The kubectl console: a prompt running exactly [`crate::kubectl::Session::run`], its
//! transcript, history on ↑/↓ and Tab completion (Tab moves focus on as usual when the prompt is
//! empty, so keyboard users are never trapped). While a `kubectl get -w` is open a status line
//! says so, with a Stop button; Ctrl+C in the prompt (with no text selected to copy) stops it too.

use yew::prelude::*;

use super::{input_value, use_playground};
use crate::ui::state::UiAction;

/// The console pane.
#[function_component(ConsolePane)]
pub fn console_pane() -> Html {
    let Some(state) = use_playground() else {
        return html! {};
    };
    let log = use_node_ref();
    {
        let log = log.clone();
        use_effect_with(state.console.len(), move |_| {
            if let Some(el) = log.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let oninput = {
        let s = state.clone();
        Callback::from(move |e: InputEvent| s.dispatch(UiAction::Prompt(input_value(&e))))
    };
    let onkeydown = {
        let s = state.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowUp" => {
                e.prevent_default();
                s.dispatch(UiAction::HistoryPrev);
            }
            "ArrowDown" => {
                e.prevent_default();
                s.dispatch(UiAction::HistoryNext);
            }
            "Tab" if !e.shift_key() && !s.prompt.trim().is_empty() => {
                e.prevent_default();
                s.dispatch(UiAction::Complete);
            }
            "c" | "C"
                if e.ctrl_key()
                    && !e.alt_key()
                    && !e.meta_key()
                    && !selecting(&e)
                    && s.watching().is_some() =>
            {
                e.prevent_default();
                s.dispatch(UiAction::StopWatch);
            }
            _ => {}
        })
    };
    let onsubmit = {
        let s = state.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            s.dispatch(UiAction::Submit);
        })
    };
    let clear = {
        let s = state.clone();
        Callback::from(move |_| s.dispatch(UiAction::ClearConsole))
    };
    let stop = {
        let s = state.clone();
        Callback::from(move |_| s.dispatch(UiAction::StopWatch))
    };
    let watching = state.watching();
    html! {
        <>
            <div class="pane-head">
                <h2 id="h-console">{ "Console" }</h2>
                <span class="muted small">{ "kubectl commands and sim verbs; ↑/↓ history, Tab completes" }</span>
                <button type="button" onclick={clear}>{ "Clear console" }</button>
            </div>
            <div class="transcript" role="log" aria-label="Console output" tabindex="0" ref={log}
                data-next-seq={state.console_seq.to_string()}><div class="stack">
                if state.console.is_empty() {
                    <p class="muted small">{ "Try: get pods -A, get nodes --show-labels, get ds -A -o wide, sim advance 30s, help" }</p>
                }
                { for state.console.iter().map(|e| html! {
                    <div key={e.seq} data-seq={e.seq.to_string()} class={classes!("entry", (!e.ok).then_some("failed"))}>
                        <div class="cmd"><span aria-hidden="true">{ "$ " }</span>{ &e.command }</div>
                        if !e.stdout.is_empty() { <pre class="out">{ &e.stdout }</pre> }
                        if !e.stderr.is_empty() { <pre class="err">{ &e.stderr }</pre> }
                    </div>
                }) }
            </div></div>
            <div class={classes!("watch-status", watching.is_some().then_some("active"))} role="status">
                if let Some(line) = &watching {
                    <span>{ "Watching " }<code>{ line }</code>{ " — Ctrl+C or Stop to end" }</span>
                    { " " }
                    <button type="button" onclick={stop} aria-label="Stop watching">{ "Stop" }</button>
                }
            </div>
            <form class="prompt" onsubmit={onsubmit}>
                <label for="console-input" class="dollar">{ "$" }</label>
                <input id="console-input" value={state.prompt.clone()} {oninput} {onkeydown}
                    aria-label="kubectl command" placeholder="kubectl get pods -A" spellcheck="false"
                    autocomplete="off" autocapitalize="off" aria-describedby="console-choices" />
                <button type="submit">{ "Run" }</button>
            </form>
            <p id="console-choices" class="choices small" aria-live="polite">
                { state.choices.join("  ") }
            </p>
        </>
    }
}

/// Whether the key press comes with text selected in the prompt (Ctrl+C then copies it).
fn selecting(e: &KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|i| Some((i.selection_start().ok()??, i.selection_end().ok()??)))
        .is_some_and(|(a, b)| a != b)
}
