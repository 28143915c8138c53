//! Time controls: play/pause (Space), speed, one-second step, jump to the next timer, the
//! simulated clock, and reset behind a confirmation dialog.

use yew::prelude::*;

use super::{input_value, use_playground};
use crate::ui::hooks;
use crate::ui::state::{UiAction, SPEEDS};
use crate::ui::view_model;

/// The id of the "Reset…" button, which opens the confirmation dialog (the lesson panel's
/// "Start the lesson again" opens the same one).
pub const RESET_ID: &str = "reset-open";

/// The time bar.
#[function_component(TimeBar)]
pub fn time_bar() -> Html {
    let dialog = use_node_ref();
    let Some(state) = use_playground() else {
        return html! {};
    };
    let act = |a: UiAction| {
        let s = state.clone();
        Callback::from(move |_| s.dispatch(a.clone()))
    };
    let on_speed = {
        let s = state.clone();
        Callback::from(move |e: Event| {
            if let Ok(i) = input_value(&e).parse::<usize>() {
                s.dispatch(UiAction::SetSpeed(i));
            }
        })
    };
    let open_reset = {
        let d = dialog.clone();
        Callback::from(move |_| hooks::show_modal(&d))
    };
    let confirm = {
        let (d, s) = (dialog.clone(), state.clone());
        Callback::from(move |_| {
            hooks::close_dialog(&d);
            s.dispatch(UiAction::Reset);
        })
    };
    let cancel = {
        let d = dialog.clone();
        Callback::from(move |_| hooks::close_dialog(&d))
    };
    let playing = state.playing;
    let in_lesson = state.lesson.is_some();
    html! {
        <div class="timebar" role="group" aria-label="Simulated time">
            <button type="button" class="primary play" aria-keyshortcuts="Space"
                onclick={act(UiAction::SetPlaying(!playing))}>
                // Drawn in CSS: the ⏸ glyph is missing from many fonts (a box instead).
                <span class={classes!("icon", if playing { "i-pause" } else { "i-play" })} aria-hidden="true"></span>
                { if playing { "Pause" } else { "Play" } }
            </button>
            <label class="inline">{ "Speed " }
                <select onchange={on_speed} aria-label="Speed">
                    { for SPEEDS.iter().enumerate().map(|(i, s)| html! {
                        <option value={i.to_string()} selected={i == state.speed_idx}>{ format!("{s}×") }</option>
                    }) }
                </select>
            </label>
            <button type="button" onclick={act(UiAction::Step)}>{ "Step 1s" }</button>
            <button type="button" onclick={act(UiAction::NextEvent)}>{ "Next event" }</button>
            <span class="clock" role="timer" aria-label="Simulated clock">{ view_model::clock_text(state.session.borrow().cluster.now()) }</span>
            <button type="button" class="danger" id={RESET_ID} onclick={open_reset}>{ "Reset…" }</button>
            <dialog ref={dialog} aria-labelledby="reset-title" aria-describedby="reset-desc">
                <h2 id="reset-title">{ if in_lesson { "Start the lesson again?" } else { "Reset the cluster?" } }</h2>
                <p id="reset-desc">{ if in_lesson {
                    "The lesson starts again from its first step, on a freshly built cluster. Your editor text and console history stay."
                } else {
                    "The cluster goes back to the default scenario (three nodes, a DaemonSet and a Job). Your editor text and console history stay."
                } }</p>
                <div class="row">
                    <button type="button" class="danger" onclick={confirm}>{ if in_lesson { "Start again" } else { "Reset cluster" } }</button>
                    <button type="button" onclick={cancel} autofocus=true>{ "Cancel" }</button>
                </div>
            </dialog>
        </div>
    }
}
