//! The panes. Each reads the [`super::app::PlaygroundHandle`] from the context, renders view
//! models from [`super::view_model`], and dispatches [`super::state::UiAction`]s.

pub mod cluster;
pub mod console;
pub mod editor;
pub mod events;
pub mod lesson;
pub mod objects;
pub mod timebar;
pub mod toolbar;

use yew::prelude::*;

use super::app::PlaygroundHandle;
use super::state::UiAction;
use super::view_model::Health;

/// The context handle (present under `App`'s provider).
#[hook]
pub fn use_playground() -> Option<PlaygroundHandle> {
    use_context::<PlaygroundHandle>()
}

/// A callback running a command line through the session, as the console would. A hook: the
/// callback is made once per component, so children that take it as a prop (200 node cards)
/// compare equal from one render to the next and are not redrawn when nothing else changed.
#[hook]
pub fn use_runner(state: &PlaygroundHandle) -> Callback<String> {
    let dispatcher = state.dispatcher();
    let run = use_memo((), move |()| {
        Callback::from(move |line: String| dispatcher.dispatch(UiAction::Run { line, stdin: None }))
    });
    (*run).clone()
}

/// A form's command runner: runs a line as [`use_runner`] does, and once the console holds its
/// entry calls `on_done` with `Ok(())` or the error ([`super::view_model::error_summary`]). A
/// form closes and clears only when its command worked: a name or label the API server rejects
/// stays in the form to fix, with the reason beside it.
#[hook]
pub fn use_form_runner(on_done: Callback<Result<(), String>>) -> Callback<String> {
    let state = use_playground();
    let pending = use_mut_ref(|| None::<u64>);
    {
        let (pending, state) = (pending.clone(), state.clone());
        let seq = state.as_ref().map(|s| s.console_seq);
        use_effect_with(seq, move |_| {
            let want = *pending.borrow();
            let entry = want.and_then(|seq| {
                state
                    .as_ref()
                    .and_then(|s| s.console.iter().find(|e| e.seq == seq).cloned())
            });
            if let Some(e) = entry {
                *pending.borrow_mut() = None;
                on_done.emit(if e.ok {
                    Ok(())
                } else {
                    Err(super::view_model::error_summary(&e.stderr))
                });
            }
        });
    }
    Callback::from(move |line: String| {
        if let Some(s) = &state {
            *pending.borrow_mut() = Some(s.console_seq);
            s.dispatch(UiAction::Run { line, stdin: None });
        }
    })
}

/// An icon (hidden from screen readers) and the word that says the same.
pub fn status_badge(health: Health, text: &str) -> Html {
    html! {
        <span class={classes!("badge", format!("h-{}", health.as_str()))}>
            <span class="icon" aria-hidden="true">{ health.icon() }</span>{ text.to_string() }
        </span>
    }
}

/// The value of the input or textarea an event came from.
pub fn input_value(e: &Event) -> String {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| {
            t.dyn_ref::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| {
                    t.dyn_ref::<web_sys::HtmlTextAreaElement>()
                        .map(|i| i.value())
                })
                .or_else(|| t.dyn_ref::<web_sys::HtmlSelectElement>().map(|i| i.value()))
        })
        .unwrap_or_default()
}
