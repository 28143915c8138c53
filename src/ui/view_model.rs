//! View models: pure functions from the engine's store (k8s-openapi objects) to the plain data the
//! components render. No yew, no browser: tested natively.
//!
//! Mirrors, for what a learner sees printed: kubectl's `printPod`, `printJob`, `printDaemonSet`
//! and event columns (`k8s.io/kubernetes/pkg/printers/internalversion/printers.go`), and the
//! scheduler's resource accounting (`pkg/scheduler/framework/types.go` `computePodResourceRequest`:
//! the larger of the containers' sum and the biggest init container).
//! The pod STATUS word is not re-derived here: it is kubectl's own `print::table::pod_status`.
//! Simplifications: no pod overhead; quantities are parsed to `f64` (display only).

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{Event, Node, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use crate::engine::api::taints::format_taint;
use crate::engine::api::{Kind, Object};
use crate::engine::clock::{human_duration, SimTime};
use crate::engine::controller::daemonset::placement::DaemonPodPredicates;
use crate::engine::store::Store;

/// Node cards shown per page; beyond that the cluster view pages (and the frame stays cheap).
pub const NODES_PER_PAGE: usize = 24;
/// Pod chips shown inside one node card before the rest are summarised.
pub const PODS_PER_NODE: usize = 16;
/// Unscheduled pods listed in the tray (a Job with a huge parallelism must not draw thousands).
pub const PENDING_SHOWN: usize = 20;

/// How a pod's or node's state is shown: an icon and a word, never colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Health {
    /// Running and fine.
    Good,
    /// On its way (Pending, ContainerCreating, PodInitializing).
    Progress,
    /// Finished successfully.
    Done,
    /// Failed or crashing.
    Bad,
    /// Being deleted.
    Terminating,
    /// Nobody knows (node unreachable).
    Unknown,
}

impl Health {
    /// CSS class suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Good => "good",
            Health::Progress => "progress",
            Health::Done => "done",
            Health::Bad => "bad",
            Health::Terminating => "terminating",
            Health::Unknown => "unknown",
        }
    }

    /// A text icon (screen readers skip it: the word beside it carries the meaning).
    pub fn icon(self) -> &'static str {
        match self {
            Health::Good => "●",
            Health::Progress => "◔",
            Health::Done => "✓",
            Health::Bad => "✕",
            Health::Terminating => "↧",
            Health::Unknown => "?",
        }
    }
}

/// A node's `Ready` condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    /// `Ready=True`.
    Ready,
    /// `Ready=False`.
    NotReady,
    /// `Ready=Unknown` (the kubelet stopped posting): kubectl still says NotReady.
    Unknown,
    /// No `Ready` condition yet: kubectl says Unknown.
    Missing,
}

impl Readiness {
    /// kubectl's STATUS word.
    pub fn as_str(self) -> &'static str {
        match self {
            Readiness::Ready => "Ready",
            // kubectl's printer: NotReady for any Ready condition that is not True.
            Readiness::NotReady | Readiness::Unknown => "NotReady",
            Readiness::Missing => "Unknown",
        }
    }

    /// The matching [`Health`].
    pub fn health(self) -> Health {
        match self {
            Readiness::Ready => Health::Good,
            Readiness::NotReady => Health::Bad,
            Readiness::Unknown | Readiness::Missing => Health::Unknown,
        }
    }
}

/// A key/value chip (labels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelChip {
    /// Label key.
    pub key: String,
    /// Label value.
    pub value: String,
    /// Set by the kubelet (`kubernetes.io/hostname`, ...); shown folded.
    pub well_known: bool,
}

/// A taint chip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaintChip {
    /// `key=value:Effect` as kubectl prints it.
    pub text: String,
    /// The argument that removes it: `key:Effect-`.
    pub remove_arg: String,
}

/// A usage bar: requested vs allocatable.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// What it measures (`cpu`, `memory`, `pods`).
    pub resource: &'static str,
    /// Requested.
    pub used: f64,
    /// Allocatable.
    pub total: f64,
    /// `250m / 4`, `1Gi / 8Gi`, `3 / 110`.
    pub text: String,
}

impl Bar {
    /// Fill fraction, 0..=1.
    pub fn fraction(&self) -> f64 {
        if self.total <= 0.0 {
            0.0
        } else {
            (self.used / self.total).clamp(0.0, 1.0)
        }
    }

    /// Percent, rounded, for `aria-valuenow`.
    pub fn percent(&self) -> u32 {
        // In 0..=100 after the clamp above.
        (self.fraction() * 100.0).round() as u32
    }
}

/// One pod as a chip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodChip {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// kubectl's STATUS column.
    pub status: String,
    /// Icon class.
    pub health: Health,
    /// Running, but its `Ready` condition is False (a failing readiness probe, or the node
    /// lifecycle controller's `MarkPodsNotReady` on an unreachable node): kubectl's STATUS
    /// still says Running, the chip says "not ready" too and does not show it as healthy.
    pub not_ready: bool,
    /// Restarts (sum over containers).
    pub restarts: i32,
    /// Controller owner, `DaemonSet/fluentd-elasticsearch`.
    pub owner: Option<String>,
}

/// A node card.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeCard {
    /// Node name.
    pub name: String,
    /// Ready condition.
    pub readiness: Readiness,
    /// `spec.unschedulable` (cordoned).
    pub unschedulable: bool,
    /// The simulated kubelet is stopped (`sim node down`).
    pub down: bool,
    /// User labels first, then well-known ones.
    pub labels: Vec<LabelChip>,
    /// Taints.
    pub taints: Vec<TaintChip>,
    /// cpu, memory, pods.
    pub bars: Vec<Bar>,
    /// Pods bound here (up to [`PODS_PER_NODE`]).
    pub pods: Vec<PodChip>,
    /// Pods bound here beyond those shown.
    pub more_pods: usize,
    /// Why each DaemonSet does or does not run a pod here (the card's "Why?" panel).
    pub daemons: Vec<DaemonWhy>,
}

/// What the DaemonSet controller decides for one node (`NodeShouldRunDaemonPod`) and the rule
/// that decided it, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaemonWhy {
    /// `namespace/name` of the DaemonSet.
    pub daemonset: String,
    /// The decision.
    pub verdict: DaemonVerdict,
    /// The deciding rule (`PlacementReason::message`).
    pub reason: String,
}

/// The two answers of `NodeShouldRunDaemonPod`, as one of three cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DaemonVerdict {
    /// should run: a daemon pod is created here.
    Runs,
    /// should not run, but should continue running: no new pod; a running one stays.
    KeepsRunning,
    /// neither: no pod here, and a running one is deleted.
    NotHere,
}

impl DaemonVerdict {
    /// The words (status is never told by colour alone).
    pub fn as_str(self) -> &'static str {
        match self {
            DaemonVerdict::Runs => "runs here",
            DaemonVerdict::KeepsRunning => "keeps a running pod, creates none",
            DaemonVerdict::NotHere => "not here",
        }
    }

    /// An icon for the words.
    pub fn icon(self) -> &'static str {
        match self {
            DaemonVerdict::Runs => "✓",
            DaemonVerdict::KeepsRunning => "◐",
            DaemonVerdict::NotHere => "✗",
        }
    }
}

/// Every live DaemonSet (`namespace/name`) with its placement predicates, built once per view:
/// the tolerations the controller adds are computed per DaemonSet, not per node.
fn daemon_predicates(store: &Store) -> Vec<(String, DaemonPodPredicates<'_>)> {
    store
        .list(Kind::DaemonSet)
        .filter_map(|o| match o {
            crate::engine::api::Object::DaemonSet(ds) => Some(ds),
            _ => None,
        })
        .filter(|ds| ds.metadata.deletion_timestamp.is_none())
        .map(|ds| {
            let name = format!(
                "{}/{}",
                ds.metadata.namespace.as_deref().unwrap_or_default(),
                ds.metadata.name.as_deref().unwrap_or_default()
            );
            (name, DaemonPodPredicates::new(ds))
        })
        .collect()
}

/// The "Why?" rows of a node: every DaemonSet's decision for it, in store order.
fn daemon_whys(predicates: &[(String, DaemonPodPredicates<'_>)], node: &Node) -> Vec<DaemonWhy> {
    predicates
        .iter()
        .map(|(name, preds)| {
            let p = preds.node_should_run_daemon_pod(node);
            let verdict = match (p.should_run, p.should_continue_running) {
                (true, _) => DaemonVerdict::Runs,
                (false, true) => DaemonVerdict::KeepsRunning,
                (false, false) => DaemonVerdict::NotHere,
            };
            DaemonWhy {
                daemonset: name.clone(),
                verdict,
                reason: p.reason.message(),
            }
        })
        .collect()
}

/// A pod the scheduler has not placed, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingPod {
    /// The chip.
    pub pod: PodChip,
    /// The PodScheduled condition's message (`0/3 nodes are available: ...`), if any.
    pub reason: String,
}

/// The whole cluster pane.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterVm {
    /// Cards on the current page.
    pub nodes: Vec<NodeCard>,
    /// All nodes.
    pub n_nodes: usize,
    /// All pods.
    pub n_pods: usize,
    /// Current page (0-based), clamped.
    pub page: usize,
    /// Number of pages (at least 1).
    pub pages: usize,
    /// Unscheduled pods (no `spec.nodeName`), the first [`PENDING_SHOWN`].
    pub pending: Vec<PendingPod>,
    /// How many pods are unscheduled in all.
    pub n_pending: usize,
    /// Pods still bound to a node that has been deleted, by node name: they are not
    /// unscheduled (the scheduler never looks at them again); PodGC deletes them once its
    /// quarantine is over.
    pub gone: Vec<GoneNode>,
}

/// A deleted node whose pods are still in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoneNode {
    /// The node's name (`spec.nodeName` of its pods).
    pub name: String,
    /// Its pods (up to [`PODS_PER_NODE`]).
    pub pods: Vec<PodChip>,
    /// How many pods are still bound to it in all.
    pub n_pods: usize,
}

fn name_of(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> String {
    meta.name.clone().unwrap_or_default()
}

/// Parses a Kubernetes quantity to a number of base units (`500m` → 0.5, `1Gi` → 1073741824), for
/// display (bars and their text).
pub fn parse_quantity(s: &str) -> Option<f64> {
    let q = crate::engine::quantity::Quantity::parse(s).ok()?;
    // Display only: f64 keeps three significant milli digits for any real capacity.
    Some(q.milli_value() as f64 / 1000.0)
}

/// cpu as kubectl describe prints it: `250m`, `2`, `1500m`.
pub fn format_cpu(cores: f64) -> String {
    let milli = (cores * 1000.0).round();
    if milli % 1000.0 == 0.0 {
        format!("{}", milli / 1000.0)
    } else {
        format!("{milli}m")
    }
}

/// Bytes in the largest binary unit that keeps one decimal: `512Mi`, `7.5Gi`.
pub fn format_bytes(bytes: f64) -> String {
    const UNITS: [(&str, f64); 4] = [
        ("Ti", 1024.0 * 1024.0 * 1024.0 * 1024.0),
        ("Gi", 1024.0 * 1024.0 * 1024.0),
        ("Mi", 1024.0 * 1024.0),
        ("Ki", 1024.0),
    ];
    for (unit, size) in UNITS {
        if bytes >= size {
            let v = bytes / size;
            return if (v - v.round()).abs() < 0.05 {
                format!("{}{unit}", v.round())
            } else {
                format!("{v:.1}{unit}")
            };
        }
    }
    format!("{bytes}")
}

/// Whether a pod counts against its node (not Succeeded/Failed).
fn pod_is_active(pod: &Pod) -> bool {
    !matches!(
        pod.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded") | Some("Failed")
    )
}

/// A pod's resource requests: max(sum of containers, largest init container).
pub fn pod_requests(pod: &Pod, resource: &str) -> f64 {
    let Some(spec) = pod.spec.as_ref() else {
        return 0.0;
    };
    let req = |c: &k8s_openapi::api::core::v1::Container| {
        c.resources
            .as_ref()
            .and_then(|r| r.requests.as_ref())
            .and_then(|r| r.get(resource))
            .and_then(|q| parse_quantity(&q.0))
            .unwrap_or(0.0)
    };
    let sum: f64 = spec.containers.iter().map(req).fold(0.0, |a, b| a + b);
    let init = spec
        .init_containers
        .iter()
        .flatten()
        .map(req)
        .fold(0.0, f64::max);
    sum.max(init)
}

/// kubectl's STATUS column for a pod: the value `kubectl get pods` prints
/// (`crate::kubectl::print::table::pod_status`, mirroring `printPod`). STATUS does not depend
/// on the clock, so any `now` gives the same word; a pod with no phase yet reads `Pending`.
pub fn pod_status(pod: &Pod) -> String {
    let (_, reason, _) = crate::kubectl::print::table::pod_status(pod, SimTime::default());
    if reason.is_empty() {
        "Pending".to_string()
    } else {
        reason
    }
}

/// The icon class for a kubectl status word.
pub fn status_health(status: &str) -> Health {
    match status {
        "Running" => Health::Good,
        "Completed" | "Succeeded" => Health::Done,
        "Terminating" => Health::Terminating,
        "Unknown" => Health::Unknown,
        "Pending" | "ContainerCreating" | "PodInitializing" | "NotReady" => Health::Progress,
        s if s.starts_with("Init:") && s.contains('/') => Health::Progress,
        _ => Health::Bad,
    }
}

fn owner_text(pod: &Pod) -> Option<String> {
    pod.metadata
        .owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
        .map(|o| format!("{}/{}", o.kind, o.name))
}

/// A pod's chip.
pub fn pod_chip(pod: &Pod) -> PodChip {
    let status = pod_status(pod);
    let not_ready = status == "Running"
        && pod
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "False"));
    PodChip {
        namespace: pod.metadata.namespace.clone().unwrap_or_default(),
        name: name_of(&pod.metadata),
        health: if not_ready {
            Health::Progress
        } else {
            status_health(&status)
        },
        not_ready,
        status,
        restarts: pod
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .map_or(0, |cs| cs.iter().map(|c| c.restart_count).sum()),
        owner: owner_text(pod),
    }
}

fn node_readiness(node: &Node) -> Readiness {
    match crate::engine::kubelet::node_ready_status(node).as_deref() {
        Some("True") => Readiness::Ready,
        Some("False") => Readiness::NotReady,
        Some(_) => Readiness::Unknown,
        None => Readiness::Missing,
    }
}

const WELL_KNOWN_PREFIXES: [&str; 3] = [
    "kubernetes.io/",
    "beta.kubernetes.io/",
    "node.kubernetes.io/",
];

fn allocatable(node: &Node, resource: &str) -> f64 {
    node.status
        .as_ref()
        .and_then(|s| s.allocatable.as_ref())
        .and_then(|a| a.get(resource))
        .and_then(|q| parse_quantity(&q.0))
        .unwrap_or(0.0)
}

/// One node's card, given the pods bound to it (in store order).
pub fn node_card(node: &Node, pods: &[&Pod], down: bool) -> NodeCard {
    let mut labels: Vec<LabelChip> = node
        .metadata
        .labels
        .iter()
        .flatten()
        .map(|(k, v)| LabelChip {
            key: k.clone(),
            value: v.clone(),
            well_known: WELL_KNOWN_PREFIXES.iter().any(|p| k.starts_with(p)),
        })
        .collect();
    // User labels first; BTreeMap order within each group.
    crate::kubectl::print::sort_by(&mut labels, |a, b| {
        a.well_known.cmp(&b.well_known).then(a.key.cmp(&b.key))
    });
    let taints = node
        .spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())
        .map(|ts| {
            ts.iter()
                .map(|t| TaintChip {
                    text: format_taint(t),
                    remove_arg: format!("{}:{}-", t.key, t.effect),
                })
                .collect()
        })
        .unwrap_or_default();
    let active: Vec<&&Pod> = pods.iter().filter(|p| pod_is_active(p)).collect();
    // fold from +0.0: an empty f64 `sum()` is -0.0, which prints as "-0".
    let cpu_used = active
        .iter()
        .map(|p| pod_requests(p, "cpu"))
        .fold(0.0, |a, b| a + b);
    let mem_used = active
        .iter()
        .map(|p| pod_requests(p, "memory"))
        .fold(0.0, |a, b| a + b);
    let cpu_total = allocatable(node, "cpu");
    let mem_total = allocatable(node, "memory");
    let pods_total = allocatable(node, "pods");
    let bars = vec![
        Bar {
            resource: "cpu",
            used: cpu_used,
            total: cpu_total,
            text: format!("{} / {}", format_cpu(cpu_used), format_cpu(cpu_total)),
        },
        Bar {
            resource: "memory",
            used: mem_used,
            total: mem_total,
            text: format!("{} / {}", format_bytes(mem_used), format_bytes(mem_total)),
        },
        Bar {
            resource: "pods",
            used: active.len() as f64,
            total: pods_total,
            text: format!("{} / {}", active.len(), pods_total),
        },
    ];
    NodeCard {
        name: name_of(&node.metadata),
        readiness: node_readiness(node),
        unschedulable: node
            .spec
            .as_ref()
            .and_then(|s| s.unschedulable)
            .unwrap_or(false),
        down,
        labels,
        taints,
        bars,
        pods: pods
            .iter()
            .take(PODS_PER_NODE)
            .map(|p| pod_chip(p))
            .collect(),
        more_pods: pods.len().saturating_sub(PODS_PER_NODE),
        daemons: Vec::new(),
    }
}

fn scheduled_message(pod: &Pod) -> String {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "PodScheduled"))
        .and_then(|c| c.message.clone())
        .unwrap_or_else(|| "waiting for the scheduler".into())
}

/// The cluster pane; `is_down(node)` says whether a node's simulated kubelet is stopped.
pub fn cluster_vm(store: &Store, page: usize, is_down: &dyn Fn(&str) -> bool) -> ClusterVm {
    let mut by_node: BTreeMap<&str, Vec<&Pod>> = BTreeMap::new();
    let mut pending = Vec::new();
    let (mut n_pods, mut n_pending) = (0, 0);
    for pod in store.pods() {
        n_pods += 1;
        match pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) {
            Some(n) if !n.is_empty() => by_node.entry(n).or_default().push(pod),
            _ => {
                n_pending += 1;
                if pending.len() < PENDING_SHOWN {
                    pending.push(PendingPod {
                        pod: pod_chip(pod),
                        reason: scheduled_message(pod),
                    });
                }
            }
        }
    }
    // Pods bound to a node that is gone keep their nodeName until PodGC deletes them.
    let orphans: Vec<&str> = by_node
        .keys()
        .copied()
        .filter(|n| store.node(n).is_none())
        .collect();
    let gone = orphans
        .into_iter()
        .map(|n| {
            let pods = by_node.remove(n).unwrap_or_default();
            GoneNode {
                name: n.to_string(),
                n_pods: pods.len(),
                pods: pods.into_iter().take(PODS_PER_NODE).map(pod_chip).collect(),
            }
        })
        .collect();
    let n_nodes = store.count(Kind::Node);
    let pages = n_nodes.div_ceil(NODES_PER_PAGE).max(1);
    let page = page.min(pages - 1);
    let predicates = daemon_predicates(store);
    let nodes = store
        .nodes()
        .skip(page * NODES_PER_PAGE)
        .take(NODES_PER_PAGE)
        .map(|n| {
            let name = n.metadata.name.as_deref().unwrap_or_default();
            let pods = by_node.get(name).map(Vec::as_slice).unwrap_or_default();
            let mut card = node_card(n, pods, is_down(name));
            card.daemons = daemon_whys(&predicates, n);
            card
        })
        .collect();
    ClusterVm {
        nodes,
        n_nodes,
        n_pods,
        page,
        pages,
        pending,
        n_pending,
        gone,
    }
}

/// A condition row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionRow {
    /// Type.
    pub type_: String,
    /// True/False/Unknown.
    pub status: String,
    /// Reason.
    pub reason: String,
    /// Message.
    pub message: String,
}

/// An event row, as `kubectl get events` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// Event object name (stable key).
    pub key: String,
    /// LAST SEEN (`12s`).
    pub last_seen: String,
    /// Normal / Warning.
    pub type_: String,
    /// Reason.
    pub reason: String,
    /// OBJECT: `pod/pi-abcde`.
    pub object: String,
    /// Message.
    pub message: String,
    /// Aggregated count.
    pub count: i32,
}

fn age(now: SimTime, t: Option<&Time>) -> String {
    t.map(|t| human_duration(now.since(SimTime::from_k8s(t))))
        .unwrap_or_else(|| "<unknown>".into())
}

/// `kind/name` as kubectl's OBJECT column prints an event's involved object (`pod/pi-abcde`).
fn event_object(e: &Event) -> String {
    let kind = e
        .involved_object
        .kind
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    format!(
        "{kind}/{}",
        e.involved_object.name.as_deref().unwrap_or_default()
    )
}

fn event_row(e: &Event, object: String, now: SimTime) -> EventRow {
    EventRow {
        key: name_of(&e.metadata),
        last_seen: human_duration(now.since(crate::engine::events::last_seen(e))),
        type_: e.type_.clone().unwrap_or_default(),
        reason: e.reason.clone().unwrap_or_default(),
        object,
        message: e.message.clone().unwrap_or_default(),
        count: e
            .series
            .as_ref()
            .and_then(|s| s.count)
            .or(e.count)
            .unwrap_or(1),
    }
}

/// Events oldest first (last seen, then name; names are unique per namespace, then namespace).
fn sort_events(evs: &mut [(SimTime, &Event)]) {
    crate::kubectl::print::sort_by(evs, |(ta, a), (tb, b)| {
        ta.cmp(tb)
            .then_with(|| a.metadata.name.cmp(&b.metadata.name))
            .then_with(|| a.metadata.namespace.cmp(&b.metadata.namespace))
    });
}

/// Events, oldest first (last seen, then name), filtered by an `kind/name` or name substring.
pub fn events_vm(store: &Store, now: SimTime, filter: &str) -> Vec<EventRow> {
    let filter = filter.trim().to_ascii_lowercase();
    let mut evs: Vec<(SimTime, &Event)> = store
        .list(Kind::Event)
        .filter_map(|o| match o {
            Object::Event(e) => Some(e),
            _ => None,
        })
        .filter(|e| filter.is_empty() || event_object(e).to_ascii_lowercase().contains(&filter))
        .map(|e| (crate::engine::events::last_seen(e), e))
        .collect();
    sort_events(&mut evs);
    evs.into_iter()
        .map(|(_, e)| event_row(e, event_object(e), now))
        .collect()
}

/// What the event list says when it has no rows: that nothing happened yet, or that the filter
/// (which matches the OBJECT column only) left nothing.
pub fn events_empty_text(filter: &str) -> String {
    let filter = filter.trim();
    if filter.is_empty() {
        "No events yet.".into()
    } else {
        format!(
            "No events about an object matching \"{filter}\". The filter matches the OBJECT column (pod/pi, job/, node/n1); clear it to see every event."
        )
    }
}

/// The newest `limit` rows of [`events_vm`], oldest first.
pub fn events_newest(store: &Store, now: SimTime, filter: &str, limit: usize) -> Vec<EventRow> {
    let mut cache = EventCache::default();
    cache.refresh(store);
    cache.newest(now, filter, limit)
}

/// One event as the views show it, without its age (which moves with the clock).
#[derive(Debug, Clone)]
struct EventEntry {
    time: SimTime,
    row: EventRow,
    /// `row.object`, lower-cased, for the filter.
    object_lower: String,
}

/// An event's place in the stream: last seen, then name, then namespace (as `sort_events`).
type EventKey = (SimTime, String, String);

/// Every event, sorted oldest first and grouped by involved object, kept between redraws and
/// updated only when an event was written (the store's per-kind revision says so). While the
/// page plays a settled cluster nothing is touched: a tick only formats the ages of the rows it
/// shows. When events change, only those written since the last refresh (their
/// resourceVersion is newer) are re-formatted and moved; a deleted event (the one-hour TTL)
/// makes it start over.
#[derive(Debug, Clone, Default)]
pub struct EventCache {
    /// The store's Event revision this reflects (`None`: never built).
    revision: Option<u64>,
    /// Each event's (namespace, name) → its place in `sorted`.
    places: BTreeMap<(String, String), EventKey>,
    sorted: BTreeMap<EventKey, EventEntry>,
    /// The events of each `kind/name` object, oldest first.
    by_object: BTreeMap<String, BTreeSet<EventKey>>,
}

impl EventCache {
    /// Brings the cache up to date with the store's events.
    pub fn refresh(&mut self, store: &Store) {
        let revision = store.kind_revision(Kind::Event);
        if self.revision == Some(revision) {
            return;
        }
        if !self.update(store, self.revision) {
            *self = EventCache::default();
            self.update(store, None);
        }
        self.revision = Some(revision);
    }

    /// Takes in every event written after `since` (all of them for `None`). False when an
    /// event the cache holds is gone from the store, so the caller starts over.
    fn update(&mut self, store: &Store, since: Option<u64>) -> bool {
        let mut seen = 0usize;
        for o in store.list(Kind::Event) {
            let Object::Event(e) = o else { continue };
            seen += 1;
            let rv: u64 = e
                .metadata
                .resource_version
                .as_deref()
                .and_then(|v| v.parse().ok())
                .unwrap_or(u64::MAX);
            if since.is_some_and(|s| rv <= s) {
                continue;
            }
            let id = (
                e.metadata.namespace.clone().unwrap_or_default(),
                e.metadata.name.clone().unwrap_or_default(),
            );
            if let Some(old) = self.places.remove(&id) {
                if let Some(entry) = self.sorted.remove(&old) {
                    if let Some(set) = self.by_object.get_mut(&entry.row.object) {
                        set.remove(&old);
                    }
                }
            }
            let time = crate::engine::events::last_seen(e);
            let key: EventKey = (time, id.1.clone(), id.0.clone());
            let object = event_object(e);
            let entry = EventEntry {
                time,
                object_lower: object.to_ascii_lowercase(),
                row: event_row(e, object, SimTime::ZERO),
            };
            self.by_object
                .entry(entry.row.object.clone())
                .or_default()
                .insert(key.clone());
            self.sorted.insert(key.clone(), entry);
            self.places.insert(id, key);
        }
        seen == self.places.len()
    }

    fn row_at(e: &EventEntry, now: SimTime) -> EventRow {
        EventRow {
            last_seen: human_duration(now.since(e.time)),
            ..e.row.clone()
        }
    }

    /// The newest `limit` events whose object matches `filter` (a `kind/name` or name
    /// substring, any case), oldest first.
    pub fn newest(&self, now: SimTime, filter: &str, limit: usize) -> Vec<EventRow> {
        let filter = filter.trim().to_ascii_lowercase();
        let mut picked: Vec<&EventEntry> = self
            .sorted
            .values()
            .rev()
            .filter(|e| filter.is_empty() || e.object_lower.contains(&filter))
            .take(limit)
            .collect();
        picked.reverse();
        picked.into_iter().map(|e| Self::row_at(e, now)).collect()
    }

    /// Events about one object, oldest first: the newest `limit` of them, and how many older
    /// ones were left out.
    fn about(&self, now: SimTime, kind: Kind, name: &str, limit: usize) -> (Vec<EventRow>, usize) {
        let object = format!("{}/{name}", kind.as_str().to_ascii_lowercase());
        let Some(keys) = self.by_object.get(&object) else {
            return (Vec::new(), 0);
        };
        let skip = keys.len().saturating_sub(limit);
        let rows = keys
            .iter()
            .skip(skip)
            .filter_map(|k| self.sorted.get(k))
            .map(|e| Self::row_at(e, now))
            .collect();
        (rows, skip)
    }
}

/// Events listed per workload (the newest); `kubectl describe` lists them all.
pub const EVENTS_PER_WORKLOAD: usize = 20;

/// A workload row with its progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadRow {
    /// `DaemonSet` or `Job`.
    pub kind: Kind,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// The kubectl columns after NAME, as (header, value).
    pub columns: Vec<(&'static str, String)>,
    /// Status word for the summary (`Running`, `Complete`, `3/3 ready`).
    pub status: String,
    /// Icon class.
    pub health: Health,
    /// Progress segments: (label, count) in display order.
    pub segments: Vec<(&'static str, i32)>,
    /// What the bar fills towards.
    pub target: i32,
    /// The target as the summary says it: `5`, or for a work-queue Job kubectl's `1 of 3`
    /// (one success completes it, `parallelism` pods work on it).
    pub target_label: String,
    /// Status conditions.
    pub conditions: Vec<ConditionRow>,
    /// Events about the object, the newest [`EVENTS_PER_WORKLOAD`].
    pub events: Vec<EventRow>,
    /// Older events about the object not in `events`.
    pub older_events: usize,
}

fn conditions_of<T>(conds: Option<&Vec<T>>, f: impl Fn(&T) -> ConditionRow) -> Vec<ConditionRow> {
    conds
        .map(|cs| cs.iter().map(f).collect())
        .unwrap_or_default()
}

/// A DaemonSet as `kubectl get ds` lists it, with rollout progress.
pub fn daemonset_row(ds: &DaemonSet, store: &Store, now: SimTime) -> WorkloadRow {
    let mut events = EventCache::default();
    events.refresh(store);
    daemonset_row_with(ds, &events, now)
}

fn daemonset_row_with(ds: &DaemonSet, events: &EventCache, now: SimTime) -> WorkloadRow {
    let st = ds.status.clone().unwrap_or_default();
    let selector = ds
        .spec
        .as_ref()
        .and_then(|s| s.template.spec.as_ref())
        .and_then(|s| s.node_selector.as_ref())
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "<none>".into());
    let desired = st.desired_number_scheduled;
    let updated = st.updated_number_scheduled.unwrap_or(0);
    let available = st.number_available.unwrap_or(0);
    let ns = ds.metadata.namespace.clone().unwrap_or_default();
    let name = name_of(&ds.metadata);
    let done = desired > 0 && available == desired && updated == desired;
    let (events, older_events) = events.about(now, Kind::DaemonSet, &name, EVENTS_PER_WORKLOAD);
    WorkloadRow {
        kind: Kind::DaemonSet,
        columns: vec![
            ("DESIRED", desired.to_string()),
            ("CURRENT", st.current_number_scheduled.to_string()),
            ("READY", st.number_ready.to_string()),
            ("UP-TO-DATE", updated.to_string()),
            ("AVAILABLE", available.to_string()),
            ("NODE SELECTOR", selector),
            ("AGE", age(now, ds.metadata.creation_timestamp.as_ref())),
        ],
        // Ready but not on the current template (OnDelete keeps old pods until deleted; a
        // rolling update is under way): the in-progress icon says why in words too.
        status: if updated < desired {
            format!("{}/{desired} ready, {updated} up-to-date", st.number_ready)
        } else {
            format!("{}/{desired} ready", st.number_ready)
        },
        health: if done || desired == 0 {
            Health::Good
        } else {
            Health::Progress
        },
        segments: vec![
            ("available", available),
            (
                "ready (not yet available)",
                (st.number_ready - available).max(0),
            ),
            (
                "scheduled (not ready)",
                (st.current_number_scheduled - st.number_ready).max(0),
            ),
        ],
        target: desired,
        target_label: desired.to_string(),
        conditions: conditions_of(st.conditions.as_ref(), |c| ConditionRow {
            type_: c.type_.clone(),
            status: c.status.clone(),
            reason: c.reason.clone().unwrap_or_default(),
            message: c.message.clone().unwrap_or_default(),
        }),
        events,
        older_events,
        namespace: ns,
        name,
    }
}

fn has_condition(job: &Job, type_: &str) -> bool {
    job.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == type_ && c.status == "True"))
}

/// A Job's STATUS column (`printJob`, kubectl 1.32).
pub fn job_status(job: &Job) -> &'static str {
    if has_condition(job, "Complete") {
        "Complete"
    } else if has_condition(job, "Failed") {
        "Failed"
    } else if job.metadata.deletion_timestamp.is_some() {
        "Terminating"
    } else if has_condition(job, "Suspended") {
        "Suspended"
    } else if has_condition(job, "FailureTarget") {
        "FailureTarget"
    } else if has_condition(job, "SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else {
        "Running"
    }
}

/// A Job as `kubectl get jobs` lists it, with a progress bar.
pub fn job_row(job: &Job, store: &Store, now: SimTime) -> WorkloadRow {
    let mut events = EventCache::default();
    events.refresh(store);
    job_row_with(job, &events, now)
}

fn job_row_with(job: &Job, events: &EventCache, now: SimTime) -> WorkloadRow {
    let st = job.status.clone().unwrap_or_default();
    let spec = job.spec.clone().unwrap_or_default();
    let succeeded = st.succeeded.unwrap_or(0);
    let failed = st.failed.unwrap_or(0);
    let active = st.active.unwrap_or(0);
    let parallelism = spec.parallelism.unwrap_or(1);
    let completions = match spec.completions {
        Some(c) => format!("{succeeded}/{c}"),
        None if parallelism > 1 => format!("{succeeded}/1 of {parallelism}"),
        None => format!("{succeeded}/1"),
    };
    let target = spec.completions.unwrap_or(1).max(1);
    let target_label = match spec.completions {
        None if parallelism > 1 => format!("1 of {parallelism}"),
        _ => target.to_string(),
    };
    let duration = match (st.start_time.as_ref(), st.completion_time.as_ref()) {
        (Some(s), Some(c)) => human_duration(SimTime::from_k8s(c).since(SimTime::from_k8s(s))),
        (Some(s), None) => human_duration(now.since(SimTime::from_k8s(s))),
        _ => String::new(),
    };
    let status = job_status(job);
    let ns = job.metadata.namespace.clone().unwrap_or_default();
    let name = name_of(&job.metadata);
    let (events, older_events) = events.about(now, Kind::Job, &name, EVENTS_PER_WORKLOAD);
    WorkloadRow {
        kind: Kind::Job,
        columns: vec![
            ("STATUS", status.to_string()),
            ("COMPLETIONS", completions),
            ("DURATION", duration),
            ("AGE", age(now, job.metadata.creation_timestamp.as_ref())),
        ],
        status: status.to_string(),
        health: match status {
            "Complete" | "SuccessCriteriaMet" => Health::Done,
            "Failed" | "FailureTarget" => Health::Bad,
            "Terminating" => Health::Terminating,
            "Suspended" => Health::Unknown,
            _ => Health::Progress,
        },
        segments: vec![
            ("succeeded", succeeded),
            ("failed", failed),
            ("active", active),
        ],
        target,
        target_label,
        conditions: conditions_of(st.conditions.as_ref(), |c| ConditionRow {
            type_: c.type_.clone(),
            status: c.status.clone(),
            reason: c.reason.clone().unwrap_or_default(),
            message: c.message.clone().unwrap_or_default(),
        }),
        events,
        older_events,
        namespace: ns,
        name,
    }
}

/// DaemonSets then Jobs, each in store order (namespace, name).
pub fn workloads_vm(store: &Store, now: SimTime) -> Vec<WorkloadRow> {
    let mut events = EventCache::default();
    events.refresh(store);
    workloads_vm_cached(store, now, &events)
}

/// [`workloads_vm`] with an [`EventCache`] the caller keeps between redraws (refreshed first).
pub fn workloads_vm_cached(store: &Store, now: SimTime, events: &EventCache) -> Vec<WorkloadRow> {
    let ds = store.list(Kind::DaemonSet).filter_map(|o| match o {
        Object::DaemonSet(d) => Some(daemonset_row_with(d, events, now)),
        _ => None,
    });
    let jobs = store.list(Kind::Job).filter_map(|o| match o {
        Object::Job(j) => Some(job_row_with(j, events, now)),
        _ => None,
    });
    ds.chain(jobs).collect()
}

/// A failed command's error in one line, for a form or the status line: its first line, and
/// when that ends in a colon (`The Node "x" is invalid:`), the `* field: reason` lines after it.
pub fn error_summary(stderr: &str) -> String {
    let mut lines = stderr.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return "failed".into();
    };
    if !first.ends_with(':') {
        return first.to_string();
    }
    let details: Vec<&str> = lines
        .take_while(|l| l.starts_with("* "))
        .map(|l| l.trim_start_matches("* "))
        .collect();
    if details.is_empty() {
        first.trim_end_matches(':').to_string()
    } else {
        format!("{first} {}", details.join("; "))
    }
}

/// The simulated clock as shown: `T+1m05.250s`.
pub fn clock_text(now: SimTime) -> String {
    let ms = now.millis();
    let h = ms / 3_600_000;
    let m = ms / 60_000 % 60;
    let s = ms / 1000 % 60;
    let frac = ms % 1000;
    if h > 0 {
        format!("{h}:{m:02}:{s:02}.{frac:03}")
    } else {
        format!("{m:02}:{s:02}.{frac:03}")
    }
}

#[cfg(test)]
mod tests;
