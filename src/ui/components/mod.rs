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

/// The listeners of a `<select>` whose choice does something (loads an example, opens a
/// lesson), from [`use_select_action`].
pub struct SelectAction {
    /// `change`: a mouse pick (or the open list's Enter) acts at once.
    pub onchange: Callback<Event>,
    /// `keydown`: marks the `change` a key on the closed select makes; Enter acts when keys only
    /// browse.
    pub onkeydown: Callback<KeyboardEvent>,
    /// `blur`: the select shows `rest` again.
    pub onblur: Callback<FocusEvent>,
}

/// A `<select>` that acts on a choice, then shows `rest` again (its placeholder, the current
/// lesson), so that picking the same entry again acts again. Chromium fires `change` on every
/// arrow key of a closed select; going back to `rest` after each made every ArrowDown land on
/// the first entry, so the others could not be reached by keys. A key's change keeps the
/// select where it is: with `keys_act` it also acts (loading an example is a change in the
/// editor, and the next ArrowDown loads the next one), without it keys only browse and Enter
/// acts (opening a lesson loads another page, which no arrow key should do).
#[hook]
pub fn use_select_action(rest: String, keys_act: bool, act: Callback<String>) -> SelectAction {
    // Set during a keydown on the closed select, cleared right after it: a `change` seen while
    // it is set came from a key.
    let keyed = use_mut_ref(|| false);
    let select = |e: &Event| {
        use wasm_bindgen::JsCast;
        e.target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
    };
    let commit = {
        let rest = rest.clone();
        move |sel: &web_sys::HtmlSelectElement, act: &Callback<String>| {
            let value = sel.value();
            sel.set_value(&rest);
            if value != rest {
                act.emit(value);
            }
        }
    };
    let onchange = {
        let (keyed, act, commit) = (keyed.clone(), act.clone(), commit.clone());
        Callback::from(move |e: Event| {
            let Some(sel) = select(&e) else {
                return;
            };
            if !*keyed.borrow() {
                commit(&sel, &act);
            } else if keys_act {
                act.emit(sel.value());
            }
        })
    };
    let onkeydown = {
        let keyed = keyed.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                if let Some(sel) = select(&e).filter(|_| !keys_act) {
                    e.prevent_default();
                    commit(&sel, &act);
                }
            } else if !e.alt_key() {
                *keyed.borrow_mut() = true;
                let keyed = keyed.clone();
                gloo::timers::callback::Timeout::new(0, move || *keyed.borrow_mut() = false)
                    .forget();
            }
        })
    };
    let onblur = Callback::from(move |e: FocusEvent| {
        if let Some(sel) = select(&e) {
            sel.set_value(&rest);
        }
    });
    SelectAction {
        onchange,
        onkeydown,
        onblur,
    }
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
