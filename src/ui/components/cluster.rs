//! The cluster view: node cards (readiness, labels and taints as chips with inline edits,
//! cordon/down/remove, capacity bars, pods as chips), the pods left on deleted nodes, and the
//! tray of unscheduled pods.

use yew::prelude::*;

use super::{input_value, status_badge, use_form_runner, use_playground, use_runner};
use crate::ui::app::{Pane, CONSOLE_INPUT_ID};
use crate::ui::commands::{self, NodeForm};
use crate::ui::hooks;
use crate::ui::state::UiAction;
use crate::ui::view_model::{self, Bar, GoneNode, NodeCard, PendingPod, PodChip};

/// The cluster pane.
#[function_component(ClusterPane)]
pub fn cluster_pane() -> Html {
    let Some(state) = use_playground() else {
        return html! {};
    };
    // Nothing on a card moves with the clock alone: the view is rebuilt when the store changes
    // (any write bumps its revision), a node's kubelet goes down or up, or the page turns, not
    // on every play tick.
    let vm = {
        let s = state.clone();
        let key = {
            let session = state.session.borrow();
            let down: Vec<String> = session
                .cluster
                .store()
                .nodes()
                .filter_map(|n| n.metadata.name.clone())
                .filter(|n| session.cluster.kubelet.agent(n).is_some_and(|a| !a.up))
                .collect();
            (session.cluster.store().revision(), down, state.page)
        };
        use_memo(key, move |(_, _, page)| {
            let session = s.session.borrow();
            view_model::cluster_vm(session.cluster.store(), *page, &|n| {
                session.cluster.kubelet.agent(n).is_some_and(|a| !a.up)
            })
        })
    };
    let run = use_runner(&state);
    let pager = (vm.pages > 1).then(|| {
        let go = |p: usize| {
            let s = state.clone();
            Callback::from(move |_| s.dispatch(UiAction::Page(p)))
        };
        html! {
            <nav class="pager" aria-label="Node pages">
                <button type="button" disabled={vm.page == 0} onclick={go(vm.page.saturating_sub(1))}>{ "Previous nodes" }</button>
                <span>{ format!("Page {} of {}", vm.page + 1, vm.pages) }</span>
                <button type="button" disabled={vm.page + 1 >= vm.pages} onclick={go(vm.page + 1)}>{ "Next nodes" }</button>
            </nav>
        }
    });
    html! {
        <>
            <div class="pane-head">
                <h2 id="h-cluster">{ "Cluster" }</h2>
                <span class="muted">{ format!("{} nodes, {} pods", vm.n_nodes, vm.n_pods) }</span>
                <AddNode />
            </div>
            if vm.n_nodes == 0 {
                <p class="muted">{ "No nodes yet. Add one, or type " }<code>{ "sim node add n1" }</code>{ " in the console." }</p>
            }
            { for pager.clone() }
            <ul class="nodes" aria-label="Nodes">
                { for vm.nodes.iter().map(|n| html! { <NodeCardView key={n.name.clone()} card={n.clone()} on_run={run.clone()} /> }) }
            </ul>
            { for pager }
            { for vm.gone.iter().map(|g| gone_node(g, &run)) }
            <PendingTray pods={vm.pending.clone()} total={vm.n_pending} on_run={run.clone()} />
        </>
    }
}

#[derive(PartialEq, Properties)]
struct CardProps {
    card: NodeCard,
    on_run: Callback<String>,
}

#[function_component(NodeCardView)]
fn node_card_view(p: &CardProps) -> Html {
    let c = &p.card;
    let name = c.name.clone();
    let cmd = |line: String| {
        let r = p.on_run.clone();
        Callback::from(move |_| r.emit(line.clone()))
    };
    // A button that removes itself (a chip's ×, Remove) hands focus on to a control that stays.
    let cmd_then_focus = |line: String, next: String| {
        let r = p.on_run.clone();
        Callback::from(move |_| {
            r.emit(line.clone());
            hooks::focus_id(&next);
        })
    };
    let user_labels: Vec<_> = c.labels.iter().filter(|l| !l.well_known).collect();
    let n_well_known = c.labels.len() - user_labels.len();
    let mut flags = Vec::new();
    if c.unschedulable {
        flags.push("SchedulingDisabled");
    }
    if c.down {
        flags.push("kubelet stopped");
    }
    html! {
        <li class={classes!("node", c.down.then_some("down"), c.unschedulable.then_some("cordoned"))} aria-label={format!("Node {name}")}>
            <div class="node-head">
                <h3>{ &name }</h3>
                { status_badge(c.readiness.health(), c.readiness.as_str()) }
                { for flags.iter().map(|f| html! { <span class="flag">{ *f }</span> }) }
            </div>
            <div class="node-actions">
                if c.unschedulable {
                    <button type="button" onclick={cmd(format!("kubectl uncordon {name}"))} aria-label={format!("Uncordon {name}")}>{ "Uncordon" }</button>
                } else {
                    <button type="button" onclick={cmd(format!("kubectl cordon {name}"))} aria-label={format!("Cordon {name}")}>{ "Cordon" }</button>
                }
                if c.down {
                    <button type="button" onclick={cmd(format!("sim node up {name}"))} aria-label={format!("Bring up {name}")}>{ "Bring up" }</button>
                } else {
                    <button type="button" onclick={cmd(format!("sim node down {name}"))} aria-label={format!("Take down {name}")}>{ "Take down" }</button>
                }
                <button type="button" class="danger" onclick={cmd_then_focus(format!("kubectl delete node {name}"), ADD_NODE_ID.into())} aria-label={format!("Remove node {name}")}>{ "Remove" }</button>
            </div>
            <div class="chips" aria-label={format!("Labels of {name}")} role="group">
                { for user_labels.iter().map(|l| {
                    let text = format!("{}={}", l.key, l.value);
                    html! {
                        <span class="chip label" key={l.key.clone()}>{ &text }
                            <button type="button" class="x" aria-label={format!("Remove label {text} from {name}")}
                                onclick={cmd_then_focus(commands::label_node(&name, &l.key, None), add_id(AddWhat::Label, &name))}>{ "×" }</button>
                        </span>
                    }
                }) }
                if n_well_known > 0 {
                    <span class="muted small" title={c.labels.iter().filter(|l| l.well_known).map(|l| format!("{}={}", l.key, l.value)).collect::<Vec<_>>().join("\n")}>
                        { format!("+{n_well_known} kubernetes.io labels") }</span>
                }
                <InlineAdd node={name.clone()} what={AddWhat::Label} />
            </div>
            <div class="chips" aria-label={format!("Taints of {name}")} role="group">
                { for c.taints.iter().map(|t| html! {
                    <span class="chip taint" key={t.text.clone()}>{ &t.text }
                        <button type="button" class="x" aria-label={format!("Remove taint {} from {name}", t.text)}
                            onclick={cmd_then_focus(commands::taint_node(&name, &t.remove_arg), add_id(AddWhat::Taint, &name))}>{ "×" }</button>
                    </span>
                }) }
                <InlineAdd node={name.clone()} what={AddWhat::Taint} />
            </div>
            <div class="bars">{ for c.bars.iter().map(|b| bar(&name, b)) }</div>
            <ul class="pods" aria-label={format!("Pods on {name}")}>
                { for c.pods.iter().map(|pod| html! { <PodChipView key={format!("{}/{}", pod.namespace, pod.name)} pod={pod.clone()} on_run={p.on_run.clone()} /> }) }
                if c.more_pods > 0 { <li class="more">{ format!("and {} more pods", c.more_pods) }</li> }
            </ul>
            if !c.daemons.is_empty() {
                <details class="why">
                    <summary>{ format!("Why? DaemonSets on {name}") }</summary>
                    <ul aria-label={format!("DaemonSet decisions for {name}")}>
                        { for c.daemons.iter().map(|d| html! {
                            <li key={d.daemonset.clone()} class={classes!(format!("v-{:?}", d.verdict).to_lowercase())}>
                                <span class="icon" aria-hidden="true">{ d.verdict.icon() }</span>
                                <strong>{ &d.daemonset }</strong>{ format!(": {} — {}", d.verdict.as_str(), d.reason) }
                            </li>
                        }) }
                    </ul>
                </details>
            }
        </li>
    }
}

fn bar(node: &str, b: &Bar) -> Html {
    let pct = b.percent();
    html! {
        <div class="bar-row">
            <span class="bar-label">{ b.resource }</span>
            <div class="bar" role="meter" aria-label={format!("{} requested on {node}", b.resource)}
                aria-valuemin="0" aria-valuemax="100" aria-valuenow={pct.to_string()} aria-valuetext={b.text.clone()}>
                <div class={classes!("fill", (pct >= 90).then_some("high"))} style={format!("width:{pct}%")}></div>
            </div>
            <span class="bar-text">{ &b.text }</span>
        </div>
    }
}

#[derive(PartialEq, Properties)]
struct PodProps {
    pod: PodChip,
    /// Runs a console command: the pod's name is a button for `kubectl describe pod`.
    on_run: Callback<String>,
}

#[function_component(PodChipView)]
fn pod_chip_view(p: &PodProps) -> Html {
    let pod = &p.pod;
    let title = format!(
        "{}/{}\nstatus: {}{}\nrestarts: {}\nowner: {}",
        pod.namespace,
        pod.name,
        pod.status,
        if pod.not_ready { ", not ready" } else { "" },
        pod.restarts,
        pod.owner.as_deref().unwrap_or("none")
    );
    // Its output is in the console: on a phone, where one pane shows at a time, go there; on a
    // laptop the console is under the fold, so the page scrolls just enough to show its line.
    let pane = use_context::<UseStateHandle<Pane>>();
    let describe = {
        let r = p.on_run.clone();
        let line = format!("kubectl describe pod {} -n {}", pod.name, pod.namespace);
        Callback::from(move |_| {
            r.emit(line.clone());
            if let Some(pane) = pane.as_ref().filter(|_| hooks::narrow_layout()) {
                pane.set(Pane::Console);
            }
            // After the redraw that shows the console pane and its new entry.
            gloo::timers::callback::Timeout::new(0, || hooks::reveal_id(CONSOLE_INPUT_ID)).forget();
        })
    };
    html! {
        <li class={classes!("pod", format!("h-{}", pod.health.as_str()))} title={title}>
            <button type="button" class="pod-name" onclick={describe}
                aria-label={format!("Describe pod {}", pod.name)}>{ &pod.name }</button>
            { status_badge(pod.health, &pod.status) }
            if pod.not_ready { <span class="flag">{ "not ready" }</span> }
            if pod.restarts > 0 { <span class="restarts">{ format!("↻ {} restarts", pod.restarts) }</span> }
            if let Some(o) = pod.owner.clone() { <span class="owner">{ o }</span> }
        </li>
    }
}

/// Pods bound to a deleted node: shown under that node's name, not as unscheduled (the
/// scheduler never places them again; PodGC deletes them after its quarantine).
fn gone_node(g: &GoneNode, run: &Callback<String>) -> Html {
    let id = format!("h-gone-{}", g.name);
    let n = g.n_pods;
    html! {
        <section class="gone" key={g.name.clone()} aria-labelledby={id.clone()}>
            <h3 id={id}>{ format!("Node {} (deleted)", g.name) }</h3>
            <p class="muted small">{ format!(
                "{} still bound to {}, which no longer exists. The pod garbage collector deletes {} after 40 s.",
                if n == 1 { "This pod is".to_string() } else { format!("These {n} pods are") },
                g.name,
                if n == 1 { "it" } else { "them" },
            ) }</p>
            <ul class="pods" aria-label={format!("Pods on deleted node {}", g.name)}>
                { for g.pods.iter().map(|pod| html! { <PodChipView key={format!("{}/{}", pod.namespace, pod.name)} pod={pod.clone()} on_run={run.clone()} /> }) }
                if n > g.pods.len() { <li class="more">{ format!("and {} more pods", n - g.pods.len()) }</li> }
            </ul>
        </section>
    }
}

#[derive(PartialEq, Properties)]
struct PendingProps {
    pods: Vec<PendingPod>,
    total: usize,
    on_run: Callback<String>,
}

#[function_component(PendingTray)]
fn pending_tray(p: &PendingProps) -> Html {
    html! {
        <section class="pending" aria-labelledby="h-pending">
            <h3 id="h-pending">{ format!("Unscheduled pods ({})", p.total) }</h3>
            if p.pods.is_empty() {
                <p class="muted small">{ "Every pod has a node." }</p>
            } else {
                <ul class="pods">
                    { for p.pods.iter().map(|pp| html! {
                        <li class="pending-pod" key={format!("{}/{}", pp.pod.namespace, pp.pod.name)}>
                            <ul class="pods inline"><PodChipView pod={pp.pod.clone()} on_run={p.on_run.clone()} /></ul>
                            <span class="reason">{ &pp.reason }</span>
                        </li>
                    }) }
                    if p.total > p.pods.len() {
                        <li class="more">{ format!("and {} more (", p.total - p.pods.len()) }<code>{ "kubectl get pods -A --field-selector spec.nodeName=" }</code>{ " lists them all)" }</li>
                    }
                </ul>
            }
        </section>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AddWhat {
    Label,
    Taint,
}

/// The id of the "Add node" button (focus goes there when a node card is removed).
const ADD_NODE_ID: &str = "add-node-toggle";

/// The id of a node card's "+ label" / "+ taint" button.
fn add_id(what: AddWhat, node: &str) -> String {
    match what {
        AddWhat::Label => format!("add-label-{node}"),
        AddWhat::Taint => format!("add-taint-{node}"),
    }
}

#[derive(PartialEq, Properties)]
struct InlineAddProps {
    node: String,
    what: AddWhat,
}

/// "+ label" / "+ taint": a small form that runs `kubectl label|taint node ...`. It closes
/// when its command worked; a label or taint the API server rejects stays in the input, with the
/// reason beside it.
#[function_component(InlineAdd)]
fn inline_add(p: &InlineAddProps) -> Html {
    let open = use_state(|| false);
    let text = use_state(String::new);
    let error = use_state(|| None::<String>);
    let input = use_node_ref();
    let button = use_node_ref();
    let run = {
        let (text, error, open) = (text.clone(), error.clone(), open.clone());
        use_form_runner(Callback::from(move |done: Result<(), String>| match done {
            Ok(()) => {
                text.set(String::new());
                error.set(None);
                open.set(false);
            }
            Err(msg) => error.set(Some(msg)),
        }))
    };
    // Focus moves into the form when it opens and back to "+ label" when it closes (the
    // first render, closed, leaves focus alone).
    let opened_before = use_mut_ref(|| false);
    {
        let (input, button) = (input.clone(), button.clone());
        use_effect_with(*open, move |open| {
            if *open {
                hooks::focus(&input);
                *opened_before.borrow_mut() = true;
            } else if *opened_before.borrow() {
                hooks::focus(&button);
            }
        });
    }
    let (word, placeholder) = match p.what {
        AddWhat::Label => ("label", "key=value"),
        AddWhat::Taint => ("taint", "key=value:NoSchedule"),
    };
    let node = p.node.clone();
    if !*open {
        let open = open.clone();
        return html! {
            <button type="button" class="chip add" ref={button} id={add_id(p.what, &node)} aria-label={format!("Add {word} to {node}")}
                onclick={Callback::from(move |_| open.set(true))}>{ format!("+ {word}") }</button>
        };
    }
    let onsubmit = {
        let (text, error, what, node) = (text.clone(), error.clone(), p.what, node.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let line = match what {
                AddWhat::Label => commands::split_label(&text)
                    .map(|(k, v)| commands::label_node(&node, &k, Some(&v)))
                    .ok_or("write it as key=value"),
                AddWhat::Taint => {
                    let t = text.trim();
                    if t.is_empty() || t.contains(char::is_whitespace) || !t.contains(':') {
                        Err("write it as key=value:Effect (NoSchedule, PreferNoSchedule or NoExecute)")
                    } else {
                        Ok(commands::taint_node(&node, t))
                    }
                }
            };
            match line {
                Ok(l) => run.emit(l),
                Err(msg) => error.set(Some(msg.to_string())),
            }
        })
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(input_value(&e)))
    };
    let onkeydown = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                open.set(false);
            }
        })
    };
    let err_id = format!("err-{word}-{node}");
    html! {
        <form class="inline-add" onsubmit={onsubmit}>
            <input ref={input} value={(*text).clone()} {oninput} {onkeydown} placeholder={placeholder}
                aria-label={format!("New {word} for {node}")} aria-describedby={err_id.clone()} size="18" />
            <button type="submit">{ format!("Add {word}") }</button>
            <button type="button" onclick={let o = open.clone(); Callback::from(move |_| o.set(false))}>{ "Cancel" }</button>
            <span id={err_id} class="error small" role="alert">{ (*error).clone().unwrap_or_default() }</span>
        </form>
    }
}

/// "Add node": name, labels, taints and capacity, run as `sim node add ...`.
#[function_component(AddNode)]
fn add_node() -> Html {
    let open = use_state(|| false);
    let form = use_state(NodeForm::default);
    let error = use_state(|| None::<String>);
    let first = use_node_ref();
    let opened_before = use_mut_ref(|| false);
    {
        let first = first.clone();
        use_effect_with(*open, move |open| {
            if *open {
                hooks::focus(&first);
                *opened_before.borrow_mut() = true;
            } else if *opened_before.borrow() {
                // Closed (created, cancelled, Escape): back to the button that opened it.
                hooks::focus_id(ADD_NODE_ID);
            }
        });
    }
    let onkeydown = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                open.set(false);
            }
        })
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let field = |label: &'static str,
                 hint: &'static str,
                 get: fn(&NodeForm) -> &String,
                 set: fn(&mut NodeForm, String),
                 node_ref: Option<NodeRef>| {
        let f = form.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let mut next = (*f).clone();
            set(&mut next, input_value(&e));
            f.set(next);
        });
        html! {
            <label>{ label }
                <input ref={node_ref.unwrap_or_default()} value={get(&form).clone()} {oninput} placeholder={hint} />
            </label>
        }
    };
    let run = {
        let (form, error, open) = (form.clone(), error.clone(), open.clone());
        use_form_runner(Callback::from(move |done: Result<(), String>| match done {
            Ok(()) => {
                form.set(NodeForm::default());
                error.set(None);
                open.set(false);
            }
            Err(msg) => error.set(Some(msg)),
        }))
    };
    let onsubmit = {
        let (form, error) = (form.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match commands::add_node(&form) {
                Ok(line) => run.emit(line),
                Err(msg) => error.set(Some(msg)),
            }
        })
    };
    html! {
        <div class="add-node">
            <button type="button" id={ADD_NODE_ID} aria-expanded={open.to_string()} aria-controls="add-node-form" onclick={toggle}>{ "Add node" }</button>
            if *open {
                <form id="add-node-form" class="add-node-form" aria-label="Add node" onsubmit={onsubmit} {onkeydown}>
                    { field("Name", "n4", |f| &f.name, |f, v| f.name = v, Some(first.clone())) }
                    { field("Labels", "disktype=ssd,zone=a", |f| &f.labels, |f, v| f.labels = v, None) }
                    { field("Taints", "gpu=true:NoSchedule", |f| &f.taints, |f, v| f.taints = v, None) }
                    { field("CPU", "4", |f| &f.cpu, |f, v| f.cpu = v, None) }
                    { field("Memory", "8Gi", |f| &f.memory, |f, v| f.memory = v, None) }
                    { field("Max pods", "110", |f| &f.pods, |f, v| f.pods = v, None) }
                    <div class="row">
                        <button type="submit" class="primary">{ "Create node" }</button>
                        <button type="button" onclick={let o = open.clone(); Callback::from(move |_| o.set(false))}>{ "Cancel" }</button>
                    </div>
                    <p class="error small" role="alert">{ (*error).clone().unwrap_or_default() }</p>
                </form>
            }
        </div>
    }
}
