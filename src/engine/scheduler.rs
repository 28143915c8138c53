//! The kube-scheduler's default profile, reduced to what changes where a pod lands and what it
//! says when it cannot: `pkg/scheduler/schedule_one.go` (`schedulePod`, `findNodesThatFitPod`,
//! `prioritizeNodes`, `selectHost`, `handleSchedulingFailure`), `framework/types.go`
//! (`FitError.Error`), `framework/preemption/preemption.go` (the `preemption: ...` part of the
//! message), `backend/queue/scheduling_queue.go` (ordering, back-off) and the plugins in
//! [`plugins`].
//!
//! One pass ([`Scheduler::sync`]) takes every pod that wants the default scheduler and has no
//! node, in queue order (priority descending, then creation time, then namespace/name), and for
//! each runs PreFilter (NodeAffinity's node-name narrowing), the filters in upstream order
//! (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit,
//! stopping at the first failure), then the scores (NodeResourcesFit LeastAllocated ×1,
//! TaintToleration ×3, NodeAffinity ×2). A pod bound earlier in the pass counts against later
//! ones. [`evaluate`] exposes the same per-node verdicts for `kubectl describe` and the page.
//!
//! Binding writes `spec.nodeName` and `PodScheduled=True` straight onto the pod (upstream posts
//! to the `binding` subresource, which does the same server-side) and records `Scheduled`
//! (through the events.k8s.io/v1 recorder, as kube-scheduler: see `engine::events`).
//! Failure sets `PodScheduled=False`, reason `Unschedulable`, message = the `FitError` text, and
//! records `FailedScheduling` (with the same text, truncated to 1024 bytes as upstream).
//!
//! Simplifications, deliberate:
//! - Ties between the best-scoring nodes go to the first node by name; upstream picks one at
//!   random (reservoir sampling in `selectHost`). Deterministic and as good for teaching.
//! - Nodes are kept in name order (upstream interleaves zones). As upstream, in clusters of 100
//!   nodes or more a pass stops filtering once [`num_feasible_nodes_to_find`] nodes passed and
//!   the next pod starts where the previous one stopped; [`evaluate`] always shows every node,
//!   so there its `chosen` node can differ from where a pass would put the pod.
//! - Score plugins other than the three above (BalancedAllocation, ImageLocality,
//!   InterPodAffinity, PodTopologySpread) and filters for volumes and inter-pod affinity are
//!   not run.
//! - Preemption is not simulated: no victims are evicted and `nominatedNodeName` is never set.
//!   The message's `preemption:` part is computed as upstream's dry run would (nodes failing
//!   with an unresolvable status: `Preemption is not helpful for scheduling`; otherwise, with no
//!   lower-priority pods there: `No preemption victims found for incoming pod`; otherwise the
//!   reasons still failing with them removed). When removing lower-priority pods would make
//!   room, upstream would preempt and its message has no `preemption:` part; so has ours, but the
//!   pod simply stays Pending until something changes.
//! - Retries: an unschedulable pod is retried when a Node was written, an assigned pod went
//!   away or turned terminal or was bound by someone else, or the pod's own spec changed
//!   (upstream filters these events per plugin with queueing hints; we retry on any of them),
//!   and not before its back-off (1 s doubling per attempt, at most 10 s) has passed, as in the
//!   backoff queue. Upstream also flushes unschedulable pods every 5 minutes; we do not (it
//!   would keep `run_until_idle` from ever going idle with a Pending pod).

mod plugins;
mod snapshot;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Pod, PodCondition};

use crate::engine::api::{Kind, Object, ObjectKey};
use crate::engine::clock::{Millis, SimTime, SECOND};
use crate::engine::controller::{Action, EventRecord, EventType, Outcome};
use crate::engine::store::Store;

use plugins::Failure;
use snapshot::{NodeInfo, PodInfo, PreFilter, Snapshot};

/// The scheduler's name: pods with this `schedulerName` (the default) are ours.
pub const SCHEDULER_NAME: &str = "default-scheduler";
/// `ErrNoNodesAvailable`: the whole message when the cluster has no nodes.
pub const NO_NODES_MESSAGE: &str = "no nodes available to schedule pods";
/// `PodEligibleToPreemptOthers`' answer for `preemptionPolicy: Never`.
pub const PREEMPTION_NEVER_MESSAGE: &str = "not eligible due to preemptionPolicy=Never.";
/// Back-off after the first failed attempt (`podInitialBackoffDuration`).
pub const INITIAL_BACKOFF_MS: Millis = SECOND;
/// The back-off cap (`podMaxBackoffDuration`).
pub const MAX_BACKOFF_MS: Millis = 10 * SECOND;
/// Events carry at most this many bytes of message (`noteLengthLimit`).
const EVENT_MESSAGE_LIMIT: usize = 1024;

/// The filter plugins of the default profile, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Plugin {
    /// Cordoned nodes (`spec.unschedulable`).
    NodeUnschedulable,
    /// `spec.nodeName` set by the user.
    NodeName,
    /// Taints with effect NoSchedule / NoExecute the pod does not tolerate.
    TaintToleration,
    /// `nodeSelector` and required node affinity.
    NodeAffinity,
    /// Host ports already in use on the node.
    NodePorts,
    /// Requested cpu, memory, pods, ephemeral-storage and extended resources.
    NodeResourcesFit,
}

impl Plugin {
    /// The upstream plugin name.
    pub fn as_str(self) -> &'static str {
        match self {
            Plugin::NodeUnschedulable => "NodeUnschedulable",
            Plugin::NodeName => "NodeName",
            Plugin::TaintToleration => "TaintToleration",
            Plugin::NodeAffinity => "NodeAffinity",
            Plugin::NodePorts => "NodePorts",
            Plugin::NodeResourcesFit => "NodeResourcesFit",
        }
    }
}

/// The status code of a filter failure (`framework.Code`): whether preemption could help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    /// Removing pods from the node might make room (ports, resources).
    Unschedulable,
    /// Nothing done to pods on the node can help (taints, affinity, a request larger than the
    /// whole node).
    UnschedulableAndUnresolvable,
}

impl Code {
    /// The upstream spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Unschedulable => "Unschedulable",
            Code::UnschedulableAndUnresolvable => "UnschedulableAndUnresolvable",
        }
    }
}

/// What upstream's preemption dry run would conclude for a node the pod does not fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreemptionVerdict {
    /// The failure is unresolvable: `Preemption is not helpful for scheduling`.
    NotHelpful,
    /// No pod of lower priority runs there: `No preemption victims found for incoming pod`.
    NoVictims,
    /// Even without every lower-priority pod, these reasons remain.
    StillUnschedulable(Vec<String>),
    /// Evicting lower-priority pods would make room (upstream would preempt; we do not).
    WouldHelp,
}

/// Why one node cannot take the pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterFailure {
    /// The first filter that said no.
    pub plugin: Plugin,
    /// Whether preemption could help.
    pub code: Code,
    /// Its reasons, upstream wording (NodeResourcesFit may give several).
    pub reasons: Vec<String>,
    /// What preemption would find on this node.
    pub preemption: PreemptionVerdict,
}

impl FilterFailure {
    /// The reasons joined as `Status.Message()` joins them.
    pub fn message(&self) -> String {
        self.reasons.join(", ")
    }
}

/// A feasible node's scores: each plugin's normalized score (0..=100) and the weighted total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeScore {
    /// `1 × NodeResourcesFit + 3 × TaintToleration + 2 × NodeAffinity`.
    pub total: i64,
    /// LeastAllocated over cpu and memory.
    pub node_resources_fit: i64,
    /// Fewer untolerated PreferNoSchedule taints is better.
    pub taint_toleration: i64,
    /// Matched preferred-term weights, scaled to the best node.
    pub node_affinity: i64,
}

/// The scheduler's answer for one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeVerdict {
    /// The node's name.
    pub node: String,
    /// Its scores if every filter passed, else why not.
    pub result: Result<NodeScore, FilterFailure>,
}

/// The scheduler's answer for one pod across all nodes (nodes in name order).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Evaluation {
    /// One verdict per node.
    pub verdicts: Vec<NodeVerdict>,
    /// The node the pod would be bound to: the best total score, ties by name.
    pub chosen: Option<String>,
    /// A PreFilter rejection of the whole pod (`pod affinity terms conflict`).
    pub prefilter_failure: Option<String>,
    /// Why the pod may not preempt at all (`preemptionPolicy: Never`).
    pub preemption_ineligible: Option<String>,
}

/// The `FitError` text for a pod no node takes, as the `PodScheduled` condition and the
/// `FailedScheduling` event show it: `0/3 nodes are available: 1 node(s) didn't match Pod's node
/// affinity/selector, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is
/// not helpful for scheduling, 2 No preemption victims found for incoming pod.` Reasons are
/// counted across nodes and the "count reason" entries sorted as strings. Meaningful only when
/// `ev.chosen` is `None`.
pub fn failure_message(ev: &Evaluation) -> String {
    let n = ev.verdicts.len();
    if n == 0 {
        return NO_NODES_MESSAGE.to_string();
    }
    let mut msg = format!("0/{n} nodes are available:");
    if let Some(pf) = &ev.prefilter_failure {
        msg.push_str(&format!(" {pf}."));
    } else {
        let reasons = ev
            .verdicts
            .iter()
            .filter_map(|v| v.result.as_ref().err())
            .flat_map(|f| f.reasons.iter().map(String::as_str));
        if let Some(h) = histogram(reasons) {
            msg.push_str(&format!(" {h}."));
        }
    }
    if let Some(why) = &ev.preemption_ineligible {
        msg.push_str(&format!(" preemption: {why}."));
        return msg;
    }
    let failures = || ev.verdicts.iter().filter_map(|v| v.result.as_ref().err());
    if failures().any(|f| f.preemption == PreemptionVerdict::WouldHelp) {
        return msg;
    }
    let reasons = failures().flat_map(|f| match &f.preemption {
        PreemptionVerdict::NotHelpful => vec!["Preemption is not helpful for scheduling"],
        PreemptionVerdict::NoVictims => vec!["No preemption victims found for incoming pod"],
        PreemptionVerdict::StillUnschedulable(r) => r.iter().map(String::as_str).collect(),
        PreemptionVerdict::WouldHelp => Vec::new(),
    });
    if let Some(h) = histogram(reasons) {
        msg.push_str(&format!(" preemption: 0/{n} nodes are available: {h}."));
    }
    msg
}

/// "count reason" entries sorted as strings and joined with ", " (`sortReasonsHistogram`).
fn histogram<'a>(reasons: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in reasons {
        *counts.entry(r).or_insert(0) += 1;
    }
    let mut entries: Vec<String> = counts.iter().map(|(r, c)| format!("{c} {r}")).collect();
    crate::engine::sort::sort(&mut entries);
    if entries.is_empty() {
        None
    } else {
        Some(entries.join(", "))
    }
}

/// Whether the default scheduler should place this pod: no node yet, our scheduler name (or
/// none), not being deleted, not finished, and no scheduling gates.
pub fn wants_scheduling(pod: &Pod) -> bool {
    let Some(spec) = pod.spec.as_ref() else {
        return false;
    };
    spec.node_name.as_deref().is_none_or(str::is_empty)
        && spec
            .scheduler_name
            .as_deref()
            .is_none_or(|n| n.is_empty() || n == SCHEDULER_NAME)
        && spec
            .scheduling_gates
            .as_deref()
            .unwrap_or_default()
            .is_empty()
        && pod.metadata.deletion_timestamp.is_none()
        && !snapshot::is_terminal(pod)
}

/// Evaluates `pod` against every node of the cluster as it is now, as the scheduler would
/// (the pod itself, if already bound, does not count against its node). The single source of
/// truth for the "Why?" panel and `kubectl describe`.
pub fn evaluate(store: &Store, pod: &Pod) -> Evaluation {
    let snap = Snapshot::build(store.nodes(), store.pods(), pod.metadata.uid.as_deref());
    evaluate_in(&snap, &PodInfo::new(pod))
}

/// A node that passed every filter, with its raw scores.
#[derive(Debug, Clone, Copy)]
struct Feasible {
    idx: usize,
    fit: i64,
    taint: i64,
    affinity: i64,
}

/// `numFeasibleNodesToFind` with the default adaptive `percentageOfNodesToScore`: every node
/// below 100 nodes, else 50% minus 1% per 125 nodes (at least 5%), and never fewer than 100.
pub fn num_feasible_nodes_to_find(n_nodes: usize) -> usize {
    const MIN_FEASIBLE_NODES_TO_FIND: usize = 100;
    const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND: usize = 5;
    if n_nodes < MIN_FEASIBLE_NODES_TO_FIND {
        return n_nodes;
    }
    let percentage = 50usize
        .saturating_sub(n_nodes / 125)
        .max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
    (n_nodes * percentage / 100).max(MIN_FEASIBLE_NODES_TO_FIND)
}

/// Runs PreFilter and the filters on one node, and the raw scores if it passes.
fn check(pod: &PodInfo<'_>, idx: usize, node: &NodeInfo<'_>) -> Result<Feasible, Failure> {
    plugins::prefilter_allows(pod, node)?;
    plugins::run_filters(pod, node)?;
    Ok(Feasible {
        idx,
        fit: plugins::least_allocated(pod, node),
        taint: plugins::intolerable_prefer_taints(pod, node),
        affinity: plugins::preferred_affinity(pod, node),
    })
}

/// Filters every node, collecting every rejection (what [`evaluate`] shows).
fn filter_all(
    snap: &Snapshot<'_>,
    pod: &PodInfo<'_>,
    failures: &mut Vec<(usize, Failure)>,
    feasible: &mut Vec<Feasible>,
) {
    feasible.clear();
    for (idx, node) in snap.nodes.iter().enumerate() {
        match check(pod, idx, node) {
            Ok(f) => feasible.push(f),
            Err(f) => failures.push((idx, f)),
        }
    }
}

/// `findNodesThatPassFilters`, the pass's fast path: nodes the PreFilter leaves out are not
/// visited, and in a big cluster filtering starts where the previous pod stopped and stops once
/// [`num_feasible_nodes_to_find`] nodes passed. Returns how many nodes were processed.
fn filter_sampled(
    snap: &Snapshot<'_>,
    pod: &PodInfo<'_>,
    start: usize,
    feasible: &mut Vec<Feasible>,
) -> usize {
    feasible.clear();
    match &pod.prefilter {
        PreFilter::Conflict => 0,
        PreFilter::Nodes(names) => {
            let mut processed = 0;
            for name in names {
                let Some(&idx) = snap.by_name.get(name) else {
                    continue;
                };
                if let Some(node) = snap.nodes.get(idx) {
                    processed += 1;
                    if let Ok(f) = check(pod, idx, node) {
                        feasible.push(f);
                    }
                }
            }
            processed
        }
        PreFilter::All => {
            let n = snap.nodes.len();
            let want = num_feasible_nodes_to_find(n);
            let mut processed = 0;
            for i in 0..n {
                let idx = (start + i) % n;
                let Some(node) = snap.nodes.get(idx) else {
                    continue;
                };
                processed += 1;
                if let Ok(f) = check(pod, idx, node) {
                    feasible.push(f);
                    if feasible.len() >= want {
                        break;
                    }
                }
            }
            processed
        }
    }
}

/// The normalization inputs of the feasible nodes: the highest raw TaintToleration and
/// NodeAffinity scores.
fn score_maxima(feasible: &[Feasible]) -> (i64, i64) {
    feasible
        .iter()
        .fold((0, 0), |(t, a), f| (t.max(f.taint), a.max(f.affinity)))
}

/// One node's normalized and weighted scores (`prioritizeNodes`).
fn node_score(f: &Feasible, maxima: (i64, i64)) -> NodeScore {
    let taint = plugins::normalize(f.taint, maxima.0, true);
    let affinity = plugins::normalize(f.affinity, maxima.1, false);
    NodeScore {
        total: f.fit * plugins::WEIGHT_NODE_RESOURCES_FIT
            + taint * plugins::WEIGHT_TAINT_TOLERATION
            + affinity * plugins::WEIGHT_NODE_AFFINITY,
        node_resources_fit: f.fit,
        taint_toleration: taint,
        node_affinity: affinity,
    }
}

/// `selectHost`: the feasible node with the best total, ties to the first by name. Returns its
/// node index.
fn select_host(feasible: &[Feasible]) -> Option<usize> {
    let maxima = score_maxima(feasible);
    let mut best: Option<(i64, usize)> = None;
    for f in feasible {
        let total = node_score(f, maxima).total;
        let better = match best {
            None => true,
            Some((b, idx)) => total > b || (total == b && f.idx < idx),
        };
        if better {
            best = Some((total, f.idx));
        }
    }
    best.map(|(_, idx)| idx)
}

/// Every node's verdict for `pod` in `snap`, with the preemption dry run for rejected nodes.
fn evaluate_in(snap: &Snapshot<'_>, pod: &PodInfo<'_>) -> Evaluation {
    let mut failures = Vec::new();
    let mut feasible = Vec::new();
    filter_all(snap, pod, &mut failures, &mut feasible);
    let maxima = score_maxima(&feasible);
    let mut results: BTreeMap<usize, Result<NodeScore, FilterFailure>> = BTreeMap::new();
    for f in &feasible {
        results.insert(f.idx, Ok(node_score(f, maxima)));
    }
    for (idx, failure) in failures {
        let Some(node) = snap.nodes.get(idx) else {
            continue;
        };
        results.insert(
            idx,
            Err(FilterFailure {
                plugin: failure.plugin(),
                code: failure.code(),
                reasons: failure.describe(pod, node),
                preemption: preemption_verdict(snap, pod, idx, failure),
            }),
        );
    }
    let verdicts = results
        .into_iter()
        .filter_map(|(idx, result)| {
            snap.nodes.get(idx).map(|n| NodeVerdict {
                node: n.name.to_string(),
                result,
            })
        })
        .collect();
    Evaluation {
        verdicts,
        chosen: select_host(&feasible)
            .and_then(|idx| snap.nodes.get(idx))
            .map(|n| n.name.to_string()),
        prefilter_failure: (pod.prefilter == PreFilter::Conflict)
            .then(|| plugins::REASON_AFFINITY_CONFLICT.to_string()),
        preemption_ineligible: pod
            .preempt_never
            .then(|| PREEMPTION_NEVER_MESSAGE.to_string()),
    }
}

/// `SelectVictimsOnNode`: drop every lower-priority pod and filter again.
fn preemption_verdict(
    snap: &Snapshot<'_>,
    pod: &PodInfo<'_>,
    idx: usize,
    failure: Failure,
) -> PreemptionVerdict {
    if failure.code() == Code::UnschedulableAndUnresolvable {
        return PreemptionVerdict::NotHelpful;
    }
    match snap.without_lower_priority(idx, pod.priority) {
        None | Some((_, 0)) => PreemptionVerdict::NoVictims,
        Some((reduced, _)) => match plugins::run_filters(pod, &reduced) {
            Ok(()) => PreemptionVerdict::WouldHelp,
            Err(f) => PreemptionVerdict::StillUnschedulable(f.describe(pod, &reduced)),
        },
    }
}

/// `calculateBackoffDuration`: 1 s after the first attempt, doubling, at most 10 s.
pub fn backoff(attempts: u32) -> Millis {
    let shift = attempts.saturating_sub(1).min(8);
    (INITIAL_BACKOFF_MS << shift).min(MAX_BACKOFF_MS)
}

/// What the scheduler remembers about an unschedulable pod.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Attempt {
    /// [`Scheduler::epoch`] at the attempt: a later epoch means the cluster changed since.
    epoch: u64,
    /// The pod's `metadata.generation` at the attempt (a spec change retries at once).
    generation: i64,
    /// Attempts so far (for the back-off).
    attempts: u32,
    /// When the last attempt ran.
    last: SimTime,
}

/// Scheduler state: only retry bookkeeping, as upstream's unschedulable and back-off queues. The
/// cluster itself is re-read on every pass that has something to do.
#[derive(Debug, Clone, Default)]
pub struct Scheduler {
    /// (Pod, Node) kind revisions when the pods were last scanned.
    seen: Option<(u64, u64)>,
    /// Node kind revision after the last pass.
    node_revision: u64,
    /// Fingerprint of the set of assigned, non-terminal pods after the last pass (our own
    /// bindings included).
    assigned: Fingerprint,
    /// Bumped whenever nodes or the set of assigned pods changed between passes.
    epoch: u64,
    /// Unschedulable pods by uid.
    attempts: BTreeMap<String, Attempt>,
    /// The earliest back-off expiry of a pod waiting to be retried.
    wake: Option<SimTime>,
    /// Where the next pod's filtering starts (`nextStartNodeIndex`).
    next_start_node_index: usize,
}

/// An order-independent fingerprint of a set of uids (count and wrapping sum of FNV-1a hashes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Fingerprint {
    count: u64,
    sum: u64,
}

impl Fingerprint {
    fn add(&mut self, uid: &str) {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in uid.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.count += 1;
        self.sum = self.sum.wrapping_add(h);
    }
}

/// The scheduling-relevant part of a pod's spec, to share one failure message between identical
/// pods in a pass (replicas of a Job) instead of re-evaluating every node for each.
fn scheduling_signature(pod: &Pod) -> String {
    let Some(spec) = pod.spec.as_ref() else {
        return String::new();
    };
    let containers: Vec<_> = spec
        .containers
        .iter()
        .map(|c| (&c.resources, &c.ports))
        .collect();
    let init: Vec<_> = spec
        .init_containers
        .iter()
        .flatten()
        .map(|c| (&c.resources, &c.restart_policy))
        .collect();
    let affinity = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref());
    // `to_value` first: the page then carries one copy of these serializers, not two.
    serde_json::to_value((
        containers,
        init,
        &spec.overhead,
        &spec.tolerations,
        &spec.node_selector,
        affinity,
        spec.priority,
        &spec.preemption_policy,
    ))
    .map(|v| v.to_string())
    .unwrap_or_default()
}

impl Scheduler {
    /// One scheduling pass: binds every pending pod that fits somewhere, marks the others
    /// Unschedulable. Does nothing (and scans nothing) when no Pod or Node changed since the last
    /// pass and no back-off expired; writes nothing when no pending pod needs an attempt.
    pub fn sync(&mut self, store: &Store, now: SimTime) -> Outcome {
        let revs = (
            store.kind_revision(Kind::Pod),
            store.kind_revision(Kind::Node),
        );
        let due = self.wake.is_some_and(|t| t <= now);
        if self.seen == Some(revs) && !due {
            return Outcome {
                actions: Vec::new(),
                requeue_at: self.wake,
            };
        }
        self.seen = Some(revs);
        self.wake = None;

        let mut assigned = Fingerprint::default();
        let mut pending: Vec<&Pod> = Vec::new();
        for pod in store.unsettled_pods() {
            let bound = pod
                .spec
                .as_ref()
                .and_then(|s| s.node_name.as_deref())
                .is_some_and(|n| !n.is_empty());
            if bound {
                if !snapshot::is_terminal(pod) {
                    assigned.add(pod.metadata.uid.as_deref().unwrap_or_default());
                }
            } else if wants_scheduling(pod) {
                pending.push(pod);
            }
        }
        if revs.1 != self.node_revision || assigned != self.assigned {
            self.epoch += 1;
        }
        self.node_revision = revs.1;

        // Which pending pods get an attempt now (activeQ) and which wait (unschedulable or
        // back-off queue).
        let mut previous = std::mem::take(&mut self.attempts);
        let mut to_try: Vec<(&Pod, u32)> = Vec::new();
        for pod in pending {
            let uid = pod.metadata.uid.clone().unwrap_or_default();
            let generation = pod.metadata.generation.unwrap_or(0);
            let Some(rec) = previous.remove(&uid) else {
                to_try.push((pod, 0));
                continue;
            };
            let changed = rec.epoch != self.epoch || rec.generation != generation;
            let ready_at = rec.last.plus(backoff(rec.attempts));
            if changed && ready_at <= now {
                to_try.push((pod, rec.attempts));
                continue;
            }
            if changed {
                self.wake = Some(self.wake.map_or(ready_at, |w| w.min(ready_at)));
            }
            self.attempts.insert(uid, rec);
        }

        let mut out = Outcome::none();
        if !to_try.is_empty() {
            to_try.sort_by(|(a, _), (b, _)| queue_order(a, b));
            self.run(store, now, &to_try, &mut assigned, &mut out);
        }
        self.assigned = assigned;
        out.requeue_at = self.wake;
        out
    }

    /// Attempts `to_try` in order against one snapshot.
    fn run(
        &mut self,
        store: &Store,
        now: SimTime,
        to_try: &[(&Pod, u32)],
        assigned: &mut Fingerprint,
        out: &mut Outcome,
    ) {
        let mut snap = Snapshot::build(store.nodes(), store.unsettled_pods(), None);
        let mut buf = Vec::new();
        // Failure messages by scheduling signature, valid while no pod was bound since.
        let mut failed: BTreeMap<String, (usize, String)> = BTreeMap::new();
        let mut n_bound = 0usize;
        // A binding and its event per pod, at most: no regrowth of the (large) actions.
        out.actions.reserve(2 * to_try.len());
        for &(pod, prev_attempts) in to_try {
            let uid = pod.metadata.uid.clone().unwrap_or_default();
            let info = PodInfo::new(pod);
            let signature = (!failed.is_empty()).then(|| scheduling_signature(pod));
            let cached = signature
                .as_ref()
                .and_then(|s| failed.get(s))
                .filter(|(at, _)| *at == n_bound)
                .map(|(_, m)| m.clone());
            let chosen = if cached.is_some() {
                None
            } else {
                let processed = filter_sampled(&snap, &info, self.next_start_node_index, &mut buf);
                if !snap.nodes.is_empty() {
                    self.next_start_node_index =
                        (self.next_start_node_index + processed) % snap.nodes.len();
                }
                select_host(&buf)
            };
            if let Some(idx) = chosen {
                let node = snap.nodes.get(idx).map(|n| n.name).unwrap_or_default();
                bind(pod, node, now, out);
                snap.add(idx, info.usage());
                assigned.add(&uid);
                n_bound += 1;
                continue;
            }
            let message = match cached {
                Some(m) => m,
                None => {
                    let m = if snap.nodes.is_empty() {
                        NO_NODES_MESSAGE.to_string()
                    } else {
                        failure_message(&evaluate_in(&snap, &info))
                    };
                    let sig = signature.unwrap_or_else(|| scheduling_signature(pod));
                    failed.insert(sig, (n_bound, m.clone()));
                    m
                }
            };
            mark_unschedulable(pod, &message, now, out);
            let attempts = prev_attempts.saturating_add(1);
            self.attempts.insert(
                uid,
                Attempt {
                    epoch: self.epoch,
                    generation: pod.metadata.generation.unwrap_or(0),
                    attempts,
                    last: now,
                },
            );
        }
    }
}

/// The scheduling queue's order (`PrioritySort` then creation time), then namespace/name.
fn queue_order(a: &Pod, b: &Pod) -> std::cmp::Ordering {
    snapshot::pod_priority(b)
        .cmp(&snapshot::pod_priority(a))
        .then_with(|| {
            let ta = a.metadata.creation_timestamp.as_ref().map(|t| t.0);
            let tb = b.metadata.creation_timestamp.as_ref().map(|t| t.0);
            ta.cmp(&tb)
        })
        .then_with(|| a.metadata.namespace.cmp(&b.metadata.namespace))
        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
}

/// Sets (or replaces) the pod's `PodScheduled` condition; the transition time moves only when
/// the status changes (`UpdatePodCondition`). Returns whether anything changed.
fn set_pod_scheduled(pod: &mut Pod, mut cond: PodCondition, now: SimTime) -> bool {
    // CalculatePodConditionObservedGeneration (PodObservedGenerationTracking, beta in 1.34).
    cond.observed_generation = pod.metadata.generation;
    let status = pod.status.get_or_insert_with(Default::default);
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    match conditions.iter_mut().find(|c| c.type_ == "PodScheduled") {
        Some(old) => {
            if old.status == cond.status
                && old.reason == cond.reason
                && old.message == cond.message
                && old.observed_generation == cond.observed_generation
            {
                return false;
            }
            let t = if old.status == cond.status {
                old.last_transition_time.clone()
            } else {
                Some(now.to_k8s())
            };
            *old = PodCondition {
                last_transition_time: t,
                ..cond
            };
        }
        None => conditions.push(PodCondition {
            last_transition_time: Some(now.to_k8s()),
            ..cond
        }),
    }
    true
}

/// Binds the pod: `spec.nodeName`, `PodScheduled=True`, event `Scheduled`. The cluster binds
/// the stored pod in place ([`bind_in_place`]).
fn bind(pod: &Pod, node: &str, now: SimTime, out: &mut Outcome) {
    let namespace = pod.metadata.namespace.as_deref().unwrap_or_default();
    let name = pod.metadata.name.as_deref().unwrap_or_default();
    let uid = pod.metadata.uid.as_deref().unwrap_or_default();
    let key = ObjectKey::new(Kind::Pod, namespace, name);
    let message = format!("Successfully assigned {namespace}/{name} to {node}");
    let event = EventRecord::about(
        &key,
        uid,
        EventType::Normal,
        "Scheduled",
        message,
        SCHEDULER_NAME,
    );
    // Recorded before the bind is applied so that its `regarding.resourceVersion` is the
    // version the scheduling cycle saw, as upstream's `assumedPod` carries.
    out.event(event);
    out.push(Action::Bind {
        key,
        uid: uid.to_string(),
        node: node.to_string(),
        at: now,
    });
}

/// What binding does to the pod: `spec.nodeName = node` and `PodScheduled=True` (transition
/// time `at` if it changes). Returns whether anything changed; when not, nothing was touched.
pub(crate) fn bind_in_place(pod: &mut Pod, node: &str, at: SimTime) -> bool {
    let mut changed = false;
    if let Some(spec) = pod.spec.as_mut() {
        if spec.node_name.as_deref() != Some(node) {
            spec.node_name = Some(node.to_string());
            changed = true;
        }
    }
    let scheduled = set_pod_scheduled(
        pod,
        PodCondition {
            type_: "PodScheduled".to_string(),
            status: "True".to_string(),
            ..Default::default()
        },
        at,
    );
    changed || scheduled
}

/// Records a failed attempt: the condition (written only if it changed) and the event (every
/// attempt, so its count grows as upstream's does).
fn mark_unschedulable(pod: &Pod, message: &str, now: SimTime, out: &mut Outcome) {
    let mut updated = pod.clone();
    let changed = set_pod_scheduled(
        &mut updated,
        PodCondition {
            type_: "PodScheduled".to_string(),
            status: "False".to_string(),
            reason: Some("Unschedulable".to_string()),
            message: Some(message.to_string()),
            ..Default::default()
        },
        now,
    );
    let obj = Object::Pod(updated);
    out.event(EventRecord::new(
        &obj,
        EventType::Warning,
        "FailedScheduling",
        truncate_message(message),
        SCHEDULER_NAME,
    ));
    if changed {
        out.push(Action::Update(obj));
    }
}

/// `truncateMessage`: at most 1024 bytes, ending in " ..." when cut.
fn truncate_message(message: &str) -> String {
    if message.len() <= EVENT_MESSAGE_LIMIT {
        return message.to_string();
    }
    let suffix = " ...";
    let mut end = EVENT_MESSAGE_LIMIT - suffix.len();
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{suffix}", message.get(..end).unwrap_or_default())
}
