//! DaemonSets and Jobs as kubectl lists them, each expandable to its conditions and events, with
//! a progress bar (Job: succeeded/failed/active vs completions; DaemonSet: available/ready vs
//! desired).

use yew::prelude::*;

use super::{status_badge, use_playground};
use crate::engine::api::Kind;
use crate::ui::view_model::{self, WorkloadRow};

/// The objects pane.
#[function_component(ObjectsPane)]
pub fn objects_pane() -> Html {
    let Some(state) = use_playground() else {
        return html! {};
    };
    // Kept between redraws: rebuilt only when an event is written, not on every play tick.
    let events = use_mut_ref(view_model::EventCache::default);
    let rows = {
        let s = state.clone();
        use_memo(state.generation, move |_| {
            let session = s.session.borrow();
            let store = session.cluster.store();
            let mut events = events.borrow_mut();
            events.refresh(store);
            view_model::workloads_vm_cached(store, session.cluster.now(), &events)
        })
    };
    html! {
        <>
            <div class="pane-head"><h2 id="h-objects">{ "Objects" }</h2>
                <span class="muted small">{ "DaemonSets and Jobs" }</span></div>
            if rows.is_empty() {
                <p class="muted">{ "No DaemonSets or Jobs. Apply one from the editor." }</p>
            }
            <ul class="workloads">
                { for rows.iter().map(|r| html! { <WorkloadView key={format!("{}/{}/{}", r.kind.as_str(), r.namespace, r.name)} row={r.clone()} /> }) }
            </ul>
        </>
    }
}

#[derive(PartialEq, Properties)]
struct RowProps {
    row: WorkloadRow,
}

fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::DaemonSet => "daemonset.apps",
        Kind::Job => "job.batch",
        _ => kind.as_str(),
    }
}

#[function_component(WorkloadView)]
fn workload_view(p: &RowProps) -> Html {
    let r = &p.row;
    let label = format!("{}/{}", kind_word(r.kind), r.name);
    let target = r.target.max(1);
    let described = r
        .segments
        .iter()
        .enumerate()
        // The first segment always (it is what the bar fills with), the others when not zero:
        // "3 available / 3" rather than "3 available, 0 ready (not yet available), … / 3".
        .filter(|(i, (_, n))| *i == 0 || *n != 0)
        .map(|(_, (k, n))| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ");
    let done = r.segments.first().map_or(0, |s| s.1);
    html! {
        <li class="workload">
            <details>
                <summary>
                    <span class="wl-name">{ &label }</span>
                    <span class="muted small">{ format!(" ({})", r.namespace) }</span>
                    { status_badge(r.health, &r.status) }
                    <div class="progress" role="progressbar" aria-label={format!("{label} progress")}
                        aria-valuemin="0" aria-valuemax={target.to_string()} aria-valuenow={done.min(target).to_string()}
                        aria-valuetext={format!("{described}, of {}", r.target_label)}>
                        { for r.segments.iter().enumerate().map(|(i, (k, n))| {
                            let pct = (f64::from(*n) / f64::from(target) * 100.0).clamp(0.0, 100.0);
                            html! { <div class={classes!("seg", format!("seg{i}"))} title={format!("{n} {k}")} style={format!("width:{pct:.1}%")}></div> }
                        }) }
                    </div>
                    <span class="small">{ described.clone() }{ format!(" / {}", r.target_label) }</span>
                </summary>
                <div class="table-scroll" tabindex="0" role="region" aria-label={format!("{label} as kubectl get lists it")}><table class="kubectl">
                    <thead><tr><th>{ "NAME" }</th>{ for r.columns.iter().map(|(h, _)| html! { <th>{ *h }</th> }) }</tr></thead>
                    <tbody><tr><td>{ &r.name }</td>{ for r.columns.iter().map(|(_, v)| html! { <td>{ v }</td> }) }</tr></tbody>
                </table></div>
                <h4>{ "Conditions" }</h4>
                if r.conditions.is_empty() { <p class="muted small">{ "none" }</p> } else {
                    <div class="table-scroll" tabindex="0" role="region" aria-label={format!("Conditions of {label}")}><table class="kubectl messages">
                        <thead><tr><th>{ "TYPE" }</th><th>{ "STATUS" }</th><th>{ "REASON" }</th><th>{ "MESSAGE" }</th></tr></thead>
                        <tbody>{ for r.conditions.iter().map(|c| html! {
                            <tr><td>{ &c.type_ }</td><td>{ &c.status }</td><td>{ &c.reason }</td><td>{ &c.message }</td></tr>
                        }) }</tbody>
                    </table></div>
                }
                <h4>{ "Events" }</h4>
                if r.events.is_empty() { <p class="muted small">{ "none" }</p> } else {
                    <div class="table-scroll" tabindex="0" role="region" aria-label={format!("Events of {label}")}><table class="kubectl messages">
                        <thead><tr><th>{ "LAST SEEN" }</th><th>{ "TYPE" }</th><th>{ "REASON" }</th><th>{ "MESSAGE" }</th></tr></thead>
                        <tbody>{ for r.events.iter().map(|e| html! {
                            <tr><td>{ &e.last_seen }</td><td>{ &e.type_ }</td><td>{ &e.reason }</td><td>{ &e.message }</td></tr>
                        }) }</tbody>
                    </table></div>
                    if r.older_events > 0 {
                        <p class="muted small">{ format!("{} older event{} not shown: ", r.older_events, if r.older_events == 1 { "" } else { "s" }) }
                            <code>{ format!("kubectl describe {} {}", kind_word(r.kind), r.name) }</code>{ " lists them all." }</p>
                    }
                }
            </details>
        </li>
    }
}
