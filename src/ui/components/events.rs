//! The event stream, like `kubectl get events -w`: oldest first, filterable by object, with new
//! events announced through a polite live region.

use std::cell::RefCell;

use yew::prelude::*;

use super::{input_value, use_playground};
use crate::ui::state::UiAction;
use crate::ui::view_model;

/// Rows rendered (the newest); older ones stay in `kubectl get events`.
const SHOWN: usize = 200;

/// The events pane.
#[function_component(EventsPane)]
pub fn events_pane() -> Html {
    let Some(state) = use_playground() else {
        return html! {};
    };
    // Kept between redraws: rebuilt only when an event is written, not on every play tick.
    let cache = use_mut_ref(view_model::EventCache::default);
    let rows = {
        let s = state.clone();
        use_memo(
            (state.generation, state.event_filter.clone()),
            move |(_, f)| {
                let session = s.session.borrow();
                let mut cache = cache.borrow_mut();
                cache.refresh(session.cluster.store());
                cache.newest(session.cluster.now(), f, SHOWN)
            },
        )
    };
    // The newest event already announced, so only new ones are read out.
    let announced = use_mut_ref(|| RefCell::new(None::<String>));
    let announcement = {
        let last = announced.borrow().borrow().clone();
        let start = last
            .as_ref()
            .and_then(|k| rows.iter().position(|r| &r.key == k))
            .map_or(rows.len().saturating_sub(1), |i| i + 1);
        let new: Vec<String> = rows
            .iter()
            .skip(start)
            .rev()
            .take(3)
            .rev()
            .map(|r| format!("{} {} {}: {}", r.type_, r.reason, r.object, r.message))
            .collect();
        if let Some(r) = rows.last() {
            *announced.borrow().borrow_mut() = Some(r.key.clone());
        }
        new.join(". ")
    };
    let oninput = {
        let s = state.clone();
        Callback::from(move |e: InputEvent| s.dispatch(UiAction::FilterEvents(input_value(&e))))
    };
    let skip = rows.len().saturating_sub(SHOWN);
    html! {
        <>
            <div class="pane-head">
                <h2 id="h-events">{ "Events" }</h2>
                <label class="inline">{ "Filter " }
                    <input value={state.event_filter.clone()} {oninput} placeholder="pod/pi, job/, n1"
                        aria-label="Filter events by object" size="14" />
                </label>
            </div>
            <div class="visually-hidden" aria-live="polite" aria-atomic="true">{ announcement }</div>
            // Stays scrolled to the newest event (CSS: a column-reverse box starts at its end and
            // keeps the rows in view when scrolled up), also when the pane was hidden (narrow).
            <div class="events-scroll" tabindex="0" role="region" aria-label="Event list"><div class="stack">
                <table class="kubectl events">
                    <thead><tr><th>{ "LAST SEEN" }</th><th>{ "TYPE" }</th><th>{ "REASON" }</th><th>{ "OBJECT" }</th><th>{ "MESSAGE" }</th></tr></thead>
                    <tbody>
                        { for rows.iter().skip(skip).map(|r| html! {
                            <tr key={r.key.clone()} class={classes!((r.type_ == "Warning").then_some("warning"))}>
                                <td>{ &r.last_seen }</td>
                                <td>{ if r.type_ == "Warning" { "⚠ Warning" } else { "Normal" } }</td>
                                <td>{ &r.reason }</td><td>{ &r.object }</td>
                                <td>{ &r.message }{ if r.count > 1 { format!(" (x{})", r.count) } else { String::new() } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                if rows.is_empty() { <p class="muted small">{ view_model::events_empty_text(&state.event_filter) }</p> }
            </div></div>
        </>
    }
}
