//! The DaemonSet controller, mirroring `pkg/controller/daemon/daemon_controller.go`
//! (`syncDaemonSet`, `manage`, `podsShouldBeOnNode`, `syncNodes`, `updateDaemonSetStatus`),
//! `update.go` (history and rolling update, in [`update`]) and `util/daemonset_util.go`
//! (placement and tolerations, in [`placement`]).
//!
//! Every sync re-reads the DaemonSets, nodes, pods and ControllerRevisions from the store and
//! plans the writes as pure functions; nothing remembered is truth except the failed-pod back-off
//! and the create-failure rate limit, as upstream. Simplifications, each deliberate:
//! - No informers or work queue: [`DaemonSetController::sync`] runs every DaemonSet on every
//!   step. Upstream's event filters only decide *when* to sync, not *what* a sync does. As a
//!   stand-in for "no informer event", a sync that wrote nothing is not repeated until a watched
//!   kind (DaemonSet, Pod, Node, ControllerRevision) changes or its wake-up time comes.
//! - Expectations: actions are applied synchronously right after the sync returns, so the next
//!   sync always observes them and expectations are satisfied at the start of every sync
//!   (`observedGeneration` is always bumped). As in upstream's unit tests, whose fake pod control
//!   observes writes at once, the rolling-update pass runs in the same sync as `manage` and
//!   treats the pods `manage` deletes as deleted.
//! - Failed creates (which the controller cannot see inside one sync) are detected on the next
//!   sync (a node it created for still has no pod); further creates for that DaemonSet then
//!   wait for the work queue's rate limit (5 ms doubling to 1000 s), and the next attempt is
//!   one slow-start batch of 1. Status and deletions continue meanwhile.
//! - `SuccessfulCreate "Created pod: <name>"` is recorded by the cluster when the create
//!   succeeds (the generated name is only known then); `FailedCreate` likewise.
//! - `SelectingAll` is recorded once per DaemonSet generation rather than on every sync (the
//!   API server rejects empty selectors, so only stored legacy objects can have one).
//! - `rollingUpdate` and `manage` iterate nodes in name order (upstream: map order).

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetStatus};
use k8s_openapi::api::core::v1::{
    Affinity, Node, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod,
    PodTemplateSpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use crate::engine::api::daemonset::TEMPLATE_GENERATION_ANNOTATION;
use crate::engine::api::{controller_ref, Kind, Object, ObjectKey};
use crate::engine::clock::{Millis, SimTime, MINUTE, SECOND};
use crate::engine::controller::ratelimit::{self, TokenBucket};
use crate::engine::controller::{Action, DeleteOptions, EventRecord, EventType, Outcome};
use crate::engine::selector::Selector;
use crate::engine::store::Store;
use name_index::NameIndex;

mod name_index;
pub mod placement;
pub mod update;

#[cfg(test)]
mod tests;

pub use placement::{node_should_run_daemon_pod, Placement, PlacementReason};

/// Event source of everything this controller records.
pub const SOURCE: &str = "daemonset-controller";
/// Label carrying the ControllerRevision hash of the template a pod was made from.
pub const CONTROLLER_REVISION_HASH_LABEL: &str = "controller-revision-hash";
/// Label carrying the template generation a pod was made from (kept for compatibility).
pub const TEMPLATE_GENERATION_LABEL: &str = "pod-template-generation";
/// Most creates and most deletes one sync issues (`BurstReplicas`).
pub const BURST_REPLICAS: usize = 250;
/// First slow-start batch size (`controller.SlowStartInitialBatchSize`).
pub const SLOW_START_INITIAL_BATCH_SIZE: usize = 1;
/// Initial failed-pod deletion back-off (kube-controller-manager passes 1 s).
pub const FAILED_POD_BACKOFF_INITIAL: Millis = SECOND;
/// Maximum failed-pod deletion back-off (15 min).
pub const FAILED_POD_BACKOFF_MAX: Millis = 15 * MINUTE;
/// Work-queue rate limit after a failed sync: starts at 5 ms ...
const RATE_LIMIT_BASE: Millis = 5;
/// ... and doubles up to 1000 s.
const RATE_LIMIT_MAX: Millis = 1_000 * SECOND;

/// Event reasons this controller records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DaemonSetEventReason {
    /// A pod was deleted.
    SuccessfulDelete,
    /// A failed daemon pod is being deleted.
    FailedDaemonPod,
    /// A succeeded daemon pod is being deleted.
    SucceededDaemonPod,
    /// The DaemonSet has an empty selector.
    SelectingAll,
}

impl DaemonSetEventReason {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DaemonSetEventReason::SuccessfulDelete => "SuccessfulDelete",
            DaemonSetEventReason::FailedDaemonPod => "FailedDaemonPod",
            DaemonSetEventReason::SucceededDaemonPod => "SucceededDaemonPod",
            DaemonSetEventReason::SelectingAll => "SelectingAll",
        }
    }

    fn event_type(self) -> EventType {
        match self {
            DaemonSetEventReason::FailedDaemonPod | DaemonSetEventReason::SelectingAll => {
                EventType::Warning
            }
            _ => EventType::Normal,
        }
    }
}

/// One `flowcontrol.Backoff` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BackoffEntry {
    backoff: Millis,
    last_update: SimTime,
}

/// `flowcontrol.Backoff` without jitter: per key, a delay that starts at `initial`, doubles on
/// every `next` up to `max`, and resets when unused for more than `2 × max`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    initial: Millis,
    max: Millis,
    entries: BTreeMap<String, BackoffEntry>,
}

impl Backoff {
    /// A back-off with the given initial and maximum delay.
    pub fn new(initial: Millis, max: Millis) -> Self {
        Backoff {
            initial,
            max,
            entries: BTreeMap::new(),
        }
    }

    fn expired(&self, e: &BackoffEntry, now: SimTime) -> bool {
        now.since(e.last_update) > self.max.saturating_mul(2)
    }

    /// `IsInBackOffSinceUpdate`: less than the current delay has passed since the last `next`.
    pub fn is_in_backoff_since_update(&self, key: &str, now: SimTime) -> bool {
        match self.entries.get(key) {
            Some(e) if !self.expired(e, now) => now.since(e.last_update) < e.backoff,
            _ => false,
        }
    }

    /// `Next`: starts or doubles the delay, stamped `now`.
    pub fn next(&mut self, key: &str, now: SimTime) {
        let backoff = match self.entries.get(key) {
            Some(e) if !self.expired(e, now) => e.backoff.saturating_mul(2).min(self.max),
            _ => self.initial,
        };
        self.entries.insert(
            key.to_string(),
            BackoffEntry {
                backoff,
                last_update: now,
            },
        );
    }

    /// `Get`: the current delay (zero for an unknown key).
    pub fn get(&self, key: &str) -> Millis {
        self.entries.get(key).map_or(0, |e| e.backoff)
    }

    /// When the current delay of `key` ends.
    pub fn ends_at(&self, key: &str) -> Option<SimTime> {
        self.entries.get(key).map(|e| e.last_update.plus(e.backoff))
    }

    /// `GC`: forgets entries unused for more than `2 × max`.
    pub fn gc(&mut self, now: SimTime) {
        let max2 = self.max.saturating_mul(2);
        self.entries.retain(|_, e| now.since(e.last_update) <= max2);
    }
}

/// Creates issued for a DaemonSet and not yet seen, and the rate limit after failed ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct CreateExpectations {
    /// Nodes the last sync created pods for.
    nodes: BTreeSet<String>,
    /// Consecutive syncs whose creates failed.
    failures: u32,
    /// No creates before this instant.
    retry_at: SimTime,
}

/// The store revisions of the kinds the controller watches (its informers).
type WatchedRevisions = [u64; 4];

fn watched_revisions(store: &Store) -> WatchedRevisions {
    [
        store.kind_revision(Kind::DaemonSet),
        store.kind_revision(Kind::Pod),
        store.kind_revision(Kind::Node),
        store.kind_revision(Kind::ControllerRevision),
    ]
}

/// A sync that wrote nothing: until a watched kind changes or its wake-up time comes, the
/// next sync would decide the same nothing (upstream is not even woken: no informer event).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct IdleSync {
    revisions: WatchedRevisions,
    requeue_at: Option<SimTime>,
}

/// Controller state that survives between syncs (back-off caches, expectations), and its
/// client's token bucket ([`ratelimit`]), which bounds the creates and deletes it sends: the
/// default is unlimited (upstream's unit tests' fake client), the cluster sets
/// kube-controller-manager's ([`DaemonSetController::set_client_rate`]).
#[derive(Debug, Clone)]
pub struct DaemonSetController {
    failed_pods_backoff: Backoff,
    expectations: BTreeMap<String, CreateExpectations>,
    selecting_all_reported: BTreeSet<(String, i64)>,
    idle: Option<IdleSync>,
    client: TokenBucket,
    /// Creates and deletes the running sync may still send.
    budget: usize,
    /// Creates and deletes the running sync left for later for want of a token.
    throttled: usize,
}

impl Default for DaemonSetController {
    fn default() -> Self {
        DaemonSetController {
            failed_pods_backoff: Backoff::new(FAILED_POD_BACKOFF_INITIAL, FAILED_POD_BACKOFF_MAX),
            expectations: BTreeMap::new(),
            selecting_all_reported: BTreeSet::new(),
            idle: None,
            client: TokenBucket::unlimited(),
            budget: usize::MAX,
            throttled: 0,
        }
    }
}

impl DaemonSetController {
    /// Sets its client's rate and burst (0 QPS: unlimited).
    pub fn set_client_rate(&mut self, qps: u64, burst: u64) {
        self.client.retune(qps, burst);
    }

    /// Reconciles every DaemonSet against the observed cluster.
    pub fn sync(&mut self, store: &Store, now: SimTime) -> Outcome {
        let revisions = watched_revisions(store);
        if let Some(idle) = self.idle {
            if idle.revisions == revisions && idle.requeue_at.is_none_or(|t| now < t) {
                return Outcome {
                    actions: Vec::new(),
                    requeue_at: idle.requeue_at,
                };
            }
        }
        self.budget = self.client.available(now);
        self.throttled = 0;
        let mut out = self.sync_all(store, now);
        self.client.take(ratelimit::requests(&out), now);
        if self.throttled > 0 {
            out.requeue_at(self.client.wake_at(self.throttled, now));
        }
        self.idle = out.actions.is_empty().then_some(IdleSync {
            revisions,
            requeue_at: out.requeue_at,
        });
        out
    }

    /// Syncs every DaemonSet.
    fn sync_all(&mut self, store: &Store, now: SimTime) -> Outcome {
        let mut out = Outcome::none();
        self.failed_pods_backoff.gc(now);
        let mut live = BTreeSet::new();
        for obj in store.list(Kind::DaemonSet) {
            if let Object::DaemonSet(ds) = obj {
                live.insert(obj.uid().to_string());
                self.sync_daemon_set(store, ds, now, &mut out);
            }
        }
        self.expectations.retain(|uid, _| live.contains(uid));
        self.selecting_all_reported
            .retain(|(uid, _)| live.contains(uid));
        out
    }

    /// `syncDaemonSet` for one DaemonSet.
    fn sync_daemon_set(&mut self, store: &Store, ds: &DaemonSet, now: SimTime, out: &mut Outcome) {
        let Some(spec) = ds.spec.as_ref() else {
            return;
        };
        let uid = ds.metadata.uid.clone().unwrap_or_default();
        if placement::selector_is_empty(&spec.selector) {
            let generation = ds.metadata.generation.unwrap_or(0);
            if self.selecting_all_reported.insert((uid, generation)) {
                out.event(ds_event(
                    ds,
                    DaemonSetEventReason::SelectingAll,
                    "This daemon set is selecting all pods. A non-empty selector is required.",
                ));
            }
            return;
        }
        // A DaemonSet being deleted may have lost its history already: no action, no status.
        if ds.metadata.deletion_timestamp.is_some() {
            return;
        }
        let claimed = claim_pods(store, ds, out);
        let history = match update::construct_history(store, ds, &claimed, out) {
            Ok(h) => h,
            Err(update::HashCollision) => {
                let mut status = ds.status.clone().unwrap_or_default();
                status.collision_count = Some(status.collision_count.unwrap_or(0) + 1);
                let mut next = ds.clone();
                next.status = Some(status);
                out.push(Action::Update(Object::DaemonSet(next)));
                return;
            }
        };
        let mut view = DaemonSetView::new(store, ds, &claimed, history.hash.clone(), now);

        // manage
        let mut plan = self.manage(&view, now, out);
        self.gate_creates(&view, &mut plan, now, out);
        let mut created = self.sync_nodes(&view, &plan, out);
        if view.strategy() == UpdateStrategy::RollingUpdate {
            // The rolling update sees manage's deletions, as with an instant informer.
            view.deleting = plan.delete.iter().cloned().collect();
            let plan = update::rolling_update(&view);
            created.extend(self.sync_nodes(&view, &plan, out));
        }
        update::cleanup_history(&view, &history, out);
        update_daemon_set_status(&view, &created, out);
    }

    /// `manage` + `podsShouldBeOnNode` for every node, plus unscheduled pods whose node is gone.
    fn manage(&mut self, view: &DaemonSetView<'_>, now: SimTime, out: &mut Outcome) -> NodePlan {
        let mut plan = NodePlan::default();
        let mut running = Vec::new();
        for entry in &view.nodes {
            self.pods_should_be_on_node(view, entry, now, &mut running, &mut plan, out);
        }
        plan.delete.extend(unscheduled_pods_without_node(view));
        plan
    }

    /// `podsShouldBeOnNode`: the creates and deletes one node needs. `running` is scratch space.
    fn pods_should_be_on_node<'a>(
        &mut self,
        view: &DaemonSetView<'a>,
        entry: &NodeEntry<'a>,
        now: SimTime,
        running: &mut Vec<DaemonPod<'a>>,
        plan: &mut NodePlan,
        out: &mut Outcome,
    ) {
        let node = entry.name();
        let placement = &entry.placement;
        let daemon_pods = view.pods_of(entry);
        let exists = !daemon_pods.is_empty();
        if placement.should_run && !exists {
            plan.create.push(node.to_string());
            return;
        }
        if placement.should_continue_running {
            running.clear();
            for &pod in daemon_pods {
                if pod.deleted {
                    continue;
                }
                match pod.phase {
                    DaemonPodPhase::Failed => {
                        // The kubelet may keep rejecting the pod: back off per node.
                        let key = failed_pods_backoff_key(view.ds, node);
                        if self
                            .failed_pods_backoff
                            .is_in_backoff_since_update(&key, now)
                        {
                            if let Some(t) = self.failed_pods_backoff.ends_at(&key) {
                                out.requeue_at(t);
                            }
                            continue;
                        }
                        self.failed_pods_backoff.next(&key, now);
                        out.event(ds_event(
                            view.ds,
                            DaemonSetEventReason::FailedDaemonPod,
                            &format!(
                                "Found failed daemon pod {}/{} on node {node}, will try to kill it",
                                view.namespace, pod.name
                            ),
                        ));
                        plan.delete.push(pod.name.to_string());
                    }
                    DaemonPodPhase::Succeeded => {
                        out.event(ds_event(
                            view.ds,
                            DaemonSetEventReason::SucceededDaemonPod,
                            &format!(
                                "Found succeeded daemon pod {}/{} on node {node}, will try to delete it",
                                view.namespace,
                                pod.name
                            ),
                        ));
                        plan.delete.push(pod.name.to_string());
                    }
                    DaemonPodPhase::Live => running.push(pod),
                }
            }
            crate::engine::sort::sort_by(running, DaemonPod::oldest_first);
            if !view.allows_surge() {
                // More than one running pod: keep the oldest.
                plan.delete
                    .extend(running.iter().skip(1).map(|p| p.name.to_string()));
                return;
            }
            if running.len() <= 1 {
                if running.is_empty() && placement.should_run {
                    plan.create.push(node.to_string());
                }
                return;
            }
            // Surging: keep the oldest new and the oldest old pod; the old one goes once it is
            // not ready or the new one is available.
            let mut oldest_new: Option<&DaemonPod<'_>> = None;
            let mut oldest_old: Option<&DaemonPod<'_>> = None;
            for pod in running.iter() {
                let slot = if pod.current_hash {
                    &mut oldest_new
                } else {
                    &mut oldest_old
                };
                if slot.is_none() {
                    *slot = Some(pod);
                } else {
                    plan.delete.push(pod.name.to_string());
                }
            }
            if let (Some(new), Some(old)) = (oldest_new, oldest_old) {
                if !old.is_ready() || new.is_available(view.min_ready_seconds, now) {
                    plan.delete.push(old.name.to_string());
                }
            }
            return;
        }
        if exists {
            plan.delete.extend(
                daemon_pods
                    .iter()
                    .filter(|p| !p.deleted)
                    .map(|p| p.name.to_string()),
            );
        }
    }

    /// Checks last sync's creates and applies the work queue's rate limit to this one's.
    fn gate_creates(
        &mut self,
        view: &DaemonSetView<'_>,
        plan: &mut NodePlan,
        now: SimTime,
        out: &mut Outcome,
    ) {
        let exp = self.expectations.entry(view.uid.clone()).or_default();
        if !exp.nodes.is_empty() {
            let failed = exp.nodes.iter().any(|n| view.pods_on(n).is_empty());
            if failed {
                exp.failures = exp.failures.saturating_add(1);
                let shift = exp.failures.saturating_sub(1).min(30);
                let delay = RATE_LIMIT_BASE
                    .saturating_mul(1u64 << shift)
                    .min(RATE_LIMIT_MAX);
                exp.retry_at = now.plus(delay);
            } else {
                exp.failures = 0;
            }
            exp.nodes.clear();
        }
        if plan.create.is_empty() {
            return;
        }
        if now < exp.retry_at {
            plan.create.clear();
            out.requeue_at(exp.retry_at);
            return;
        }
        if exp.failures > 0 {
            plan.create.truncate(SLOW_START_INITIAL_BATCH_SIZE);
        }
    }

    /// `syncNodes`: deletes and creates, each capped at [`BURST_REPLICAS`]; creates go out in
    /// slow-start batches (all of which are issued: failures show only on the next sync).
    /// Returns the nodes a pod was created for.
    fn sync_nodes(
        &mut self,
        view: &DaemonSetView<'_>,
        plan: &NodePlan,
        out: &mut Outcome,
    ) -> BTreeSet<String> {
        let creates: Vec<&String> = plan
            .create
            .iter()
            .take(self.spend(plan.create.len()))
            .collect();
        if !creates.is_empty() {
            let template =
                create_pod_template(&view.template(), view.template_generation, &view.hash);
            let mut pos = 0;
            for batch in slow_start_batches(creates.len()) {
                for node in creates.iter().skip(pos).take(batch) {
                    let pod = new_daemon_pod(view.ds, &template, node);
                    out.push(Action::Create {
                        object: Object::Pod(pod),
                        on_behalf_of: Some(view.key.clone()),
                    });
                }
                pos += batch;
            }
            let exp = self.expectations.entry(view.uid.clone()).or_default();
            exp.nodes.extend(creates.iter().map(|n| n.to_string()));
        }
        for name in plan.delete.iter().take(self.spend(plan.delete.len())) {
            out.push(Action::Delete {
                key: ObjectKey::new(Kind::Pod, &view.namespace, name),
                options: DeleteOptions::default(),
            });
            out.event(ds_event(
                view.ds,
                DaemonSetEventReason::SuccessfulDelete,
                &format!("Deleted pod: {name}"),
            ));
        }
        creates.into_iter().cloned().collect()
    }

    /// How many of `wanted` creates (or deletes) to send now: at most [`BURST_REPLICAS`] and
    /// the client's free tokens, which this spends; the rest are counted as throttled.
    fn spend(&mut self, wanted: usize) -> usize {
        let capped = wanted.min(BURST_REPLICAS);
        let n = capped.min(self.budget);
        self.budget -= n;
        self.throttled += capped - n;
        n
    }
}

/// Pods to create (by node) and delete (by name) in one `syncNodes` call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodePlan {
    /// Nodes that need a new daemon pod.
    pub create: Vec<String>,
    /// Pods to delete.
    pub delete: Vec<String>,
}

impl NodePlan {
    /// True if nothing is to be written.
    pub fn is_empty(&self) -> bool {
        self.create.is_empty() && self.delete.is_empty()
    }
}

/// The two update strategies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateStrategy {
    /// Replace pods node by node within maxUnavailable / maxSurge.
    RollingUpdate,
    /// Replace a pod only when it is deleted.
    OnDelete,
}

impl UpdateStrategy {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateStrategy::RollingUpdate => "RollingUpdate",
            UpdateStrategy::OnDelete => "OnDelete",
        }
    }
}

/// A daemon pod's phase, as far as `manage` cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DaemonPodPhase {
    /// `Failed`.
    Failed,
    /// `Succeeded`.
    Succeeded,
    /// Any other phase (or none).
    Live,
}

/// What a sync reads of one claimed pod, read once when the view is built (so the passes over
/// every node do not chase the same pointers through thousands of pods again and again).
#[derive(Debug, Clone, Copy)]
pub struct DaemonPod<'a> {
    /// The pod.
    pub pod: &'a Pod,
    /// Its name.
    pub name: &'a str,
    /// Has a deletionTimestamp.
    pub deleted: bool,
    /// Its phase.
    pub phase: DaemonPodPhase,
    /// Has `spec.nodeName`.
    pub scheduled: bool,
    /// Its creationTimestamp.
    pub created: Option<SimTime>,
    /// Its Ready condition is True (`podutil.IsPodReady`).
    pub ready: bool,
    /// When its Ready condition turned True, if it is Ready and the condition has a
    /// lastTransitionTime ([`ready_since`]).
    pub ready_since: Option<SimTime>,
    /// Carries the current hash or template generation ([`is_pod_updated`]).
    pub updated: bool,
    /// Its `controller-revision-hash` label is the current hash.
    pub current_hash: bool,
}

impl<'a> DaemonPod<'a> {
    /// Reads the facts of `pod` against the current hash and template generation.
    pub fn new(pod: &'a Pod, hash: &str, generation: Option<i64>) -> Self {
        Self::with_ready(pod, ready_condition(pod), hash, generation)
    }

    /// [`DaemonPod::new`] with the pod's [`ready_condition`] already read.
    fn with_ready(
        pod: &'a Pod,
        ready: Option<Option<SimTime>>,
        hash: &str,
        generation: Option<i64>,
    ) -> Self {
        let hash_label = pod_label(pod, CONTROLLER_REVISION_HASH_LABEL).map(String::as_str);
        let current_hash = hash_label == Some(hash);
        // `is_pod_updated`, reading the template-generation label only when the hash differs.
        let updated =
            (current_hash && !hash.is_empty()) || template_generation_matches(pod, generation);
        DaemonPod {
            pod,
            name: pod_name(pod),
            deleted: is_deleted(pod),
            phase: match pod_phase(pod) {
                "Failed" => DaemonPodPhase::Failed,
                "Succeeded" => DaemonPodPhase::Succeeded,
                _ => DaemonPodPhase::Live,
            },
            scheduled: scheduled_node(pod).is_some(),
            created: pod
                .metadata
                .creation_timestamp
                .as_ref()
                .map(SimTime::from_k8s),
            ready: ready.is_some(),
            ready_since: ready.flatten(),
            updated,
            current_hash,
        }
    }

    /// `podutil.IsPodReady`.
    pub fn is_ready(&self) -> bool {
        self.ready
    }

    /// `podutil.IsPodAvailable` ([`is_pod_available`]).
    pub fn is_available(&self, min_ready_seconds: i64, now: SimTime) -> bool {
        available(
            self.ready.then_some(self.ready_since),
            min_ready_seconds,
            now,
        )
    }

    /// `podByCreationTimestampAndPhase` ([`sort_pods_oldest_first`]).
    pub fn oldest_first(&self, other: &Self) -> std::cmp::Ordering {
        other
            .scheduled
            .cmp(&self.scheduled)
            .then_with(|| self.created.cmp(&other.created))
            .then_with(|| self.name.cmp(other.name))
    }
}

/// One node as a sync sees it: its placement and where its claimed pods are in the view.
pub struct NodeEntry<'a> {
    /// The node.
    pub node: &'a Node,
    /// `node_should_run_daemon_pod` for the node.
    pub placement: Placement,
    /// Its claimed pods' range in the view's `node_pods`.
    pods: std::ops::Range<usize>,
}

impl NodeEntry<'_> {
    /// The node's name.
    pub fn name(&self) -> &str {
        node_name(self.node)
    }
}

/// What one sync knows about a DaemonSet: its nodes, their placement, its claimed pods by node.
pub struct DaemonSetView<'a> {
    /// The DaemonSet.
    pub ds: &'a DaemonSet,
    /// Its store key.
    pub key: ObjectKey,
    /// Its uid.
    pub uid: String,
    /// Its namespace.
    pub namespace: String,
    /// Every node with its placement, in name order.
    pub nodes: Vec<NodeEntry<'a>>,
    /// Claimed pods on existing nodes, grouped by node in node order (claimed order within a
    /// node), excluding terminal pods that are being deleted.
    node_pods: Vec<DaemonPod<'a>>,
    /// Claimed pods whose target node does not exist, by node name (same exclusion).
    pub orphans: BTreeMap<String, Vec<DaemonPod<'a>>>,
    /// Every claimed pod, including terminal deleted ones (for history cleanup).
    pub all_pods: Vec<&'a Pod>,
    /// The current template's ControllerRevision hash.
    pub hash: String,
    /// The template generation from the deprecated annotation.
    pub template_generation: Option<i64>,
    /// `spec.minReadySeconds`.
    pub min_ready_seconds: i64,
    /// Now.
    pub now: SimTime,
    /// Pods this sync already deletes (the rolling update treats them as deleted).
    pub deleting: BTreeSet<String>,
    /// `util.AllowsSurge`, resolved once.
    allows_surge: bool,
    /// Positions in `nodes` by node name.
    index: NameIndex,
}

impl<'a> DaemonSetView<'a> {
    fn new(
        store: &'a Store,
        ds: &'a DaemonSet,
        claimed: &[&'a Pod],
        hash: String,
        now: SimTime,
    ) -> Self {
        let predicates = placement::DaemonPodPredicates::new(ds);
        let mut nodes: Vec<NodeEntry<'a>> = store
            .nodes()
            .map(|node| NodeEntry {
                node,
                placement: predicates.node_should_run_daemon_pod(node),
                pods: 0..0,
            })
            .collect();
        // Nodes come in key order, which is name order; sort anyway if that ever changes, as
        // the orphans are merged in by name.
        if !nodes.is_sorted_by(|a, b| a.name() <= b.name()) {
            nodes.sort_by(|a, b| a.name().cmp(b.name()));
        }
        let index = NameIndex::new(nodes.iter().map(NodeEntry::name));
        // Group the pods by node index with a counting sort (stable: claimed order per node).
        let generation = template_generation(ds);
        let mut orphans: BTreeMap<String, Vec<DaemonPod<'a>>> = BTreeMap::new();
        let mut located: Vec<(usize, DaemonPod<'a>)> = Vec::with_capacity(claimed.len());
        let mut counts = vec![0usize; nodes.len()];
        // Each pass below follows one chain of pointers through every pod in a short loop, so
        // the processor has many of those (mostly cache-missing) loads in flight at once; one
        // long loop body per pod would wait for them one pod at a time.
        // Terminal pods that are being deleted are ignored entirely.
        let live: Vec<(&Pod, &str)> = claimed
            .iter()
            .filter(|p| !(is_deleted(p) && is_terminal(p)))
            .filter_map(|&p| target_node(p).map(|t| (p, t)))
            .collect();
        let ready: Vec<Option<Option<SimTime>>> =
            live.iter().map(|(p, _)| ready_condition(p)).collect();
        let at: Vec<Option<usize>> = live.iter().map(|(_, t)| index.get(t)).collect();
        for ((&(pod, target), ready), at) in live.iter().zip(ready).zip(at) {
            let facts = DaemonPod::with_ready(pod, ready, &hash, generation);
            match at {
                Some(i) => {
                    if let Some(c) = counts.get_mut(i) {
                        *c += 1;
                    }
                    located.push((i, facts));
                }
                None => orphans.entry(target.to_string()).or_default().push(facts),
            }
        }
        let mut start = 0;
        for (entry, &count) in nodes.iter_mut().zip(&counts) {
            entry.pods = start..start + count;
            start += count;
        }
        located.sort_by_key(|&(i, _)| i);
        DaemonSetView {
            ds,
            key: ObjectKey::new(
                Kind::DaemonSet,
                ds.metadata.namespace.as_deref().unwrap_or_default(),
                ds.metadata.name.as_deref().unwrap_or_default(),
            ),
            uid: ds.metadata.uid.clone().unwrap_or_default(),
            namespace: ds.metadata.namespace.clone().unwrap_or_default(),
            nodes,
            node_pods: located.into_iter().map(|(_, pod)| pod).collect(),
            orphans,
            all_pods: claimed.to_vec(),
            hash,
            template_generation: generation,
            min_ready_seconds: ds
                .spec
                .as_ref()
                .and_then(|s| s.min_ready_seconds)
                .map_or(0, i64::from),
            now,
            deleting: BTreeSet::new(),
            allows_surge: update::surge_count(ds, 1) != 0,
            index,
        }
    }

    /// The daemon pods of a node of the view.
    pub fn pods_of(&self, entry: &NodeEntry<'_>) -> &[DaemonPod<'a>] {
        self.node_pods.get(entry.pods.clone()).unwrap_or_default()
    }

    /// The node named `name`, if it exists.
    pub fn node(&self, name: &str) -> Option<&NodeEntry<'a>> {
        self.index.get(name).and_then(|i| self.nodes.get(i))
    }

    /// Whether a daemon pod should run on the node named `name` (false if it does not exist).
    pub fn should_run(&self, name: &str) -> bool {
        self.node(name).is_some_and(|n| n.placement.should_run)
    }

    /// Every node that should run the pod or has daemon pods, and every missing node daemon pods
    /// target, in name order: (name, daemon pods, should run).
    pub fn nodes_with_pods_or_desired(
        &self,
    ) -> impl Iterator<Item = (&str, &[DaemonPod<'a>], bool)> {
        let mut orphans = self.orphans.iter().peekable();
        let mut nodes = self.nodes.iter().peekable();
        std::iter::from_fn(move || loop {
            let orphan_first = match (nodes.peek(), orphans.peek()) {
                (None, None) => return None,
                (Some(n), Some((o, _))) => o.as_str() < n.name(),
                (None, Some(_)) => true,
                (Some(_), None) => false,
            };
            if orphan_first {
                let (name, pods) = orphans.next()?;
                return Some((name.as_str(), pods.as_slice(), false));
            }
            let entry = nodes.next()?;
            let pods = self.pods_of(entry);
            if entry.placement.should_run || !pods.is_empty() {
                return Some((entry.name(), pods, entry.placement.should_run));
            }
        })
    }

    /// Being deleted, or deleted by this sync.
    pub fn is_gone(&self, pod: &DaemonPod<'_>) -> bool {
        pod.deleted || self.deleting.contains(pod.name)
    }

    /// The daemon pods for a node (empty if none), whether or not the node exists.
    pub fn pods_on(&self, node: &str) -> &[DaemonPod<'a>] {
        match self.node(node) {
            Some(entry) => self.pods_of(entry),
            None => self.orphans.get(node).map_or(&[], Vec::as_slice),
        }
    }

    /// The pod template.
    pub fn template(&self) -> PodTemplateSpec {
        self.ds
            .spec
            .as_ref()
            .map(|s| s.template.clone())
            .unwrap_or_default()
    }

    /// The update strategy (RollingUpdate unless `OnDelete`).
    pub fn strategy(&self) -> UpdateStrategy {
        match self
            .ds
            .spec
            .as_ref()
            .and_then(|s| s.update_strategy.as_ref())
            .and_then(|u| u.type_.as_deref())
        {
            Some("OnDelete") => UpdateStrategy::OnDelete,
            _ => UpdateStrategy::RollingUpdate,
        }
    }

    /// `util.AllowsSurge`: maxSurge resolves to non-zero.
    pub fn allows_surge(&self) -> bool {
        self.allows_surge
    }
}

// ---------------------------------------------------------------------------------------------
// Claiming
// ---------------------------------------------------------------------------------------------

/// `metav1.NewControllerRef(ds, apps/v1 DaemonSet)`.
pub fn new_controller_ref(ds: &DaemonSet) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".to_string(),
        kind: "DaemonSet".to_string(),
        name: ds.metadata.name.clone().unwrap_or_default(),
        uid: ds.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// `ClaimObject` on one object's metadata: `Some(true)` = claimed as is, `Some(false)` = adopt,
/// `None` = not ours (after releasing it if it was).
fn claim(meta: &ObjectMeta, selector: &Selector, uid: &str) -> Claim {
    let empty = BTreeMap::new();
    let matches = selector.matches(meta.labels.as_ref().unwrap_or(&empty));
    match controller_ref(meta) {
        Some(r) if r.uid != uid => Claim::Ignore,
        Some(_) if matches => Claim::Owned,
        Some(_) => Claim::Release,
        None if !matches || meta.deletion_timestamp.is_some() => Claim::Ignore,
        None => Claim::Adopt,
    }
}

/// The DaemonSet's selector, parsed once per sync (an invalid one matches nothing).
pub(crate) fn ds_selector(ds: &DaemonSet) -> Selector {
    ds.spec
        .as_ref()
        .and_then(|s| Selector::from_label_selector(&s.selector).ok())
        .unwrap_or_else(Selector::nothing)
}

/// The outcome of `ClaimObject`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Claim {
    /// Controlled by another object, or an orphan that does not match: left alone.
    Ignore,
    /// Already ours and matching.
    Owned,
    /// Ours but no longer matching: the owner reference is removed.
    Release,
    /// A matching orphan: an owner reference to us is added.
    Adopt,
}

/// Adds the controller reference to a copy of `meta`.
pub(crate) fn adopted_meta(meta: &ObjectMeta, ds: &DaemonSet) -> ObjectMeta {
    let mut m = meta.clone();
    m.owner_references
        .get_or_insert_with(Vec::new)
        .push(new_controller_ref(ds));
    m
}

/// Removes our owner reference from a copy of `meta`.
pub(crate) fn released_meta(meta: &ObjectMeta, uid: &str) -> ObjectMeta {
    let mut m = meta.clone();
    if let Some(refs) = m.owner_references.as_mut() {
        refs.retain(|r| r.uid != uid);
        if refs.is_empty() {
            m.owner_references = None;
        }
    }
    m
}

/// `getDaemonPods` (`PodControllerRefManager.ClaimPods`): adopts matching orphans, releases
/// owned pods that stopped matching, and returns the pods this DaemonSet controls.
fn claim_pods<'a>(store: &'a Store, ds: &'a DaemonSet, out: &mut Outcome) -> Vec<&'a Pod> {
    let ns = ds.metadata.namespace.as_deref().unwrap_or_default();
    let uid = ds.metadata.uid.as_deref().unwrap_or_default();
    let mut claimed = Vec::new();
    let selector = ds_selector(ds);
    for pod in store.list_ns(Kind::Pod, ns).filter_map(Object::as_pod) {
        match claim(&pod.metadata, &selector, uid) {
            Claim::Ignore => {}
            Claim::Owned => claimed.push(pod),
            Claim::Release => {
                let mut p = pod.clone();
                p.metadata = released_meta(&pod.metadata, uid);
                out.push(Action::Update(Object::Pod(p)));
            }
            Claim::Adopt => {
                let mut p = pod.clone();
                p.metadata = adopted_meta(&pod.metadata, ds);
                out.push(Action::Update(Object::Pod(p)));
                claimed.push(pod);
            }
        }
    }
    claimed
}

// ---------------------------------------------------------------------------------------------
// Pod creation
// ---------------------------------------------------------------------------------------------

/// `GetTemplateGeneration`: the `deprecated.daemonset.template.generation` annotation.
pub fn template_generation(ds: &DaemonSet) -> Option<i64> {
    ds.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(TEMPLATE_GENERATION_ANNOTATION))
        .and_then(|v| v.parse().ok())
}

/// `util.CreatePodTemplate`: the template with the daemon tolerations and the
/// `pod-template-generation` and `controller-revision-hash` labels.
pub fn create_pod_template(
    template: &PodTemplateSpec,
    generation: Option<i64>,
    hash: &str,
) -> PodTemplateSpec {
    let mut t = template.clone();
    let spec = t.spec.get_or_insert_with(Default::default);
    placement::add_or_update_daemon_pod_tolerations(spec);
    let meta = t.metadata.get_or_insert_with(Default::default);
    let labels = meta.labels.get_or_insert_with(Default::default);
    if let Some(g) = generation {
        labels.insert(TEMPLATE_GENERATION_LABEL.to_string(), g.to_string());
    }
    if !hash.is_empty() {
        labels.insert(CONTROLLER_REVISION_HASH_LABEL.to_string(), hash.to_string());
    }
    t
}

/// `util.ReplaceDaemonSetPodNodeNameNodeAffinity`: the required node affinity becomes the single
/// term `matchFields metadata.name In [node]`; preferred terms and pod affinity are kept.
pub fn replace_daemon_set_pod_node_name_node_affinity(
    affinity: Option<Affinity>,
    node: &str,
) -> Affinity {
    let selector = NodeSelector {
        node_selector_terms: vec![NodeSelectorTerm {
            match_expressions: None,
            match_fields: Some(vec![NodeSelectorRequirement {
                key: placement::NODE_FIELD_NAME.to_string(),
                operator: "In".to_string(),
                values: Some(vec![node.to_string()]),
            }]),
        }],
    };
    let mut affinity = affinity.unwrap_or_default();
    let na = affinity
        .node_affinity
        .get_or_insert_with(NodeAffinity::default);
    na.required_during_scheduling_ignored_during_execution = Some(selector);
    affinity
}

/// `controller.GetPodFromTemplate` for one node: `generateName: <ds>-`, the template's labels,
/// annotations and finalizers, the controller reference, and the node affinity.
pub fn new_daemon_pod(ds: &DaemonSet, template: &PodTemplateSpec, node: &str) -> Pod {
    let tmeta = template.metadata.clone().unwrap_or_default();
    let mut spec = template.spec.clone().unwrap_or_default();
    spec.affinity = Some(replace_daemon_set_pod_node_name_node_affinity(
        spec.affinity.take(),
        node,
    ));
    Pod {
        metadata: ObjectMeta {
            generate_name: Some(format!(
                "{}-",
                ds.metadata.name.as_deref().unwrap_or_default()
            )),
            namespace: ds.metadata.namespace.clone(),
            labels: tmeta.labels,
            annotations: tmeta.annotations,
            finalizers: tmeta.finalizers,
            owner_references: Some(vec![new_controller_ref(ds)]),
            ..Default::default()
        },
        spec: Some(spec),
        status: None,
    }
}

/// Slow-start batch sizes for `n` creates: 1, 2, 4, … (the last one takes the rest).
pub fn slow_start_batches(n: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut batch = n.min(SLOW_START_INITIAL_BATCH_SIZE);
    while pos < n && batch > 0 {
        out.push(batch);
        pos += batch;
        batch = (2 * batch).min(n - pos);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------------------------

/// The counters of `updateDaemonSetStatus` (§1.8).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    /// Nodes that should run the pod.
    pub desired_number_scheduled: i32,
    /// Of those, nodes with at least one daemon pod.
    pub current_number_scheduled: i32,
    /// Nodes that have a daemon pod but should not run one.
    pub number_misscheduled: i32,
    /// Desired nodes whose oldest daemon pod is Ready.
    pub number_ready: i32,
    /// Desired nodes whose oldest daemon pod is updated.
    pub updated_number_scheduled: i32,
    /// Desired nodes whose oldest daemon pod is available.
    pub number_available: i32,
    /// `desired − available`.
    pub number_unavailable: i32,
}

/// Counts status over the view (pure).
pub fn compute_status(view: &DaemonSetView<'_>) -> StatusCounts {
    compute_status_after_creates(view, &BTreeSet::new())
}

/// [`compute_status`] once the pods this sync created for the nodes in `created` exist.
/// Upstream computes status after `manage` from the pod informer, which in its unit tests'
/// fake pod control already holds the new pods (`TestSimpleDaemonSetUpdatesStatusAfterLaunchingPods`
/// expects `currentNumberScheduled` 5 after one sync over 5 nodes). A new pod is unscheduled
/// (node affinity only) and the newest, so it only counts on a node that had no daemon pod: as
/// scheduled, updated (it carries the current hash or template generation), not ready.
/// Pods this sync deletes still count: they keep running until they terminate.
pub fn compute_status_after_creates(
    view: &DaemonSetView<'_>,
    created: &BTreeSet<String>,
) -> StatusCounts {
    let mut s = StatusCounts::default();
    let new_pod_updated = !view.hash.is_empty() || view.template_generation.is_some();
    for entry in &view.nodes {
        let pods = view.pods_of(entry);
        if entry.placement.should_run {
            s.desired_number_scheduled += 1;
            let Some(pod) = pods.iter().min_by(|a, b| a.oldest_first(b)) else {
                if created.contains(entry.name()) {
                    s.current_number_scheduled += 1;
                    if new_pod_updated {
                        s.updated_number_scheduled += 1;
                    }
                }
                continue;
            };
            s.current_number_scheduled += 1;
            if pod.is_ready() {
                s.number_ready += 1;
                if pod.is_available(view.min_ready_seconds, view.now) {
                    s.number_available += 1;
                }
            }
            if pod.updated {
                s.updated_number_scheduled += 1;
            }
        } else if !pods.is_empty() {
            s.number_misscheduled += 1;
        }
    }
    s.number_unavailable = s.desired_number_scheduled - s.number_available;
    s
}

fn nonzero<T: Default + PartialEq>(v: T) -> Option<T> {
    if v == T::default() {
        None
    } else {
        Some(v)
    }
}

/// `updateDaemonSetStatus` + `storeDaemonSetStatus`: writes the counters (counting the pods this
/// sync created, [`compute_status_after_creates`]) and observedGeneration when they changed; asks
/// to be woken when a ready pod becomes available.
fn update_daemon_set_status(
    view: &DaemonSetView<'_>,
    created: &BTreeSet<String>,
    out: &mut Outcome,
) {
    let s = compute_status_after_creates(view, created);
    let old = view.ds.status.clone().unwrap_or_default();
    let generation = view.ds.metadata.generation.unwrap_or(0);
    let unchanged = old.desired_number_scheduled == s.desired_number_scheduled
        && old.current_number_scheduled == s.current_number_scheduled
        && old.number_misscheduled == s.number_misscheduled
        && old.number_ready == s.number_ready
        && old.updated_number_scheduled.unwrap_or(0) == s.updated_number_scheduled
        && old.number_available.unwrap_or(0) == s.number_available
        && old.number_unavailable.unwrap_or(0) == s.number_unavailable
        && old.observed_generation.unwrap_or(0) >= generation;
    if !unchanged {
        let status = DaemonSetStatus {
            desired_number_scheduled: s.desired_number_scheduled,
            current_number_scheduled: s.current_number_scheduled,
            number_misscheduled: s.number_misscheduled,
            number_ready: s.number_ready,
            updated_number_scheduled: nonzero(s.updated_number_scheduled),
            number_available: nonzero(s.number_available),
            number_unavailable: nonzero(s.number_unavailable),
            observed_generation: nonzero(generation),
            collision_count: old.collision_count,
            conditions: old.conditions,
        };
        let mut next = view.ds.clone();
        next.status = Some(status);
        out.push(Action::Update(Object::DaemonSet(next)));
    }
    // Wake up when a ready pod turns available (upstream re-queues after minReadySeconds).
    if view.min_ready_seconds > 0 {
        for pod in &view.all_pods {
            if let Some(t) = available_at(pod, view.min_ready_seconds) {
                if t > view.now {
                    out.requeue_at(t);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pod helpers (`pkg/api/v1/pod/util.go` and friends)
// ---------------------------------------------------------------------------------------------

fn node_name(node: &Node) -> &str {
    node.metadata.name.as_deref().unwrap_or_default()
}

pub(crate) fn pod_name(pod: &Pod) -> &str {
    pod.metadata.name.as_deref().unwrap_or_default()
}

pub(crate) fn pod_label<'p>(pod: &'p Pod, key: &str) -> Option<&'p String> {
    pod.metadata.labels.as_ref().and_then(|l| l.get(key))
}

/// The pod's phase ("" if unset).
pub fn pod_phase(pod: &Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or_default()
}

/// Succeeded or Failed.
pub fn is_terminal(pod: &Pod) -> bool {
    matches!(pod_phase(pod), "Succeeded" | "Failed")
}

/// Has a deletionTimestamp.
pub fn is_deleted(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some()
}

fn scheduled_node(pod: &Pod) -> Option<&str> {
    pod.spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .filter(|n| !n.is_empty())
}

/// The pod's Ready condition if it is True: `Some(lastTransitionTime)` (`Some(None)` when the
/// condition carries no lastTransitionTime); `None` if the pod is not Ready.
pub fn ready_condition(pod: &Pod) -> Option<Option<SimTime>> {
    let c = pod
        .status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == "Ready")?;
    if c.status != "True" {
        return None;
    }
    Some(c.last_transition_time.as_ref().map(SimTime::from_k8s))
}

/// The instant the pod's Ready condition turned True, if it is Ready and that is recorded.
pub fn ready_since(pod: &Pod) -> Option<SimTime> {
    ready_condition(pod).flatten()
}

/// `podutil.IsPodReady`.
pub fn is_pod_ready(pod: &Pod) -> bool {
    ready_condition(pod).is_some()
}

/// `podutil.IsPodAvailable`: Ready, and minReadySeconds is 0 or the Ready condition's
/// lastTransitionTime is set and more than minReadySeconds ago (a Ready condition without a
/// lastTransitionTime is never available while minReadySeconds > 0).
pub fn is_pod_available(pod: &Pod, min_ready_seconds: i64, now: SimTime) -> bool {
    available(ready_condition(pod), min_ready_seconds, now)
}

/// [`is_pod_available`] on an already-read [`ready_condition`].
fn available(ready: Option<Option<SimTime>>, min_ready_seconds: i64, now: SimTime) -> bool {
    match ready {
        None => false,
        Some(_) if min_ready_seconds <= 0 => true,
        Some(None) => false,
        Some(Some(t)) => t.plus(min_ready_ms(min_ready_seconds)) < now,
    }
}

fn min_ready_ms(min_ready_seconds: i64) -> Millis {
    u64::try_from(min_ready_seconds)
        .unwrap_or(0)
        .saturating_mul(SECOND)
}

/// When a Ready pod becomes available (the first instant `is_pod_available` holds).
fn available_at(pod: &Pod, min_ready_seconds: i64) -> Option<SimTime> {
    ready_since(pod).map(|t| t.plus(min_ready_ms(min_ready_seconds) + 1))
}

/// `util.GetTargetNodeName`: `spec.nodeName`, else the `matchFields metadata.name In [node]`
/// term of the required node affinity.
pub fn target_node_name(pod: &Pod) -> Option<String> {
    target_node(pod).map(str::to_string)
}

/// [`target_node_name`], borrowed.
fn target_node(pod: &Pod) -> Option<&str> {
    if let Some(n) = scheduled_node(pod) {
        return Some(n);
    }
    let terms = &pod
        .spec
        .as_ref()?
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?
        .node_selector_terms;
    // The first `metadata.name In` requirement decides: with other than exactly one value
    // there is no target node (upstream returns "not unique" there, without looking further).
    let first = terms
        .iter()
        .flat_map(|term| term.match_fields.iter().flatten())
        .find(|r| r.key == placement::NODE_FIELD_NAME && r.operator == "In")?;
    match first.values.as_deref().unwrap_or_default() {
        [v] => Some(v.as_str()),
        _ => None,
    }
}

/// The pod's `pod-template-generation` label is the generation, compared as upstream does: as
/// the string `fmt.Sprint(generation)`.
fn template_generation_matches(pod: &Pod, generation: Option<i64>) -> bool {
    generation.is_some_and(|g| {
        pod_label(pod, TEMPLATE_GENERATION_LABEL).is_some_and(|l| *l == g.to_string())
    })
}

/// `util.IsPodUpdated`: the pod's hash label is the current hash, or its template-generation
/// label is the current template generation.
pub fn is_pod_updated(pod: &Pod, hash: &str, generation: Option<i64>) -> bool {
    let template_matches = template_generation_matches(pod, generation);
    let hash_matches = !hash.is_empty()
        && pod_label(pod, CONTROLLER_REVISION_HASH_LABEL).map(String::as_str) == Some(hash);
    hash_matches || template_matches
}

/// `podByCreationTimestampAndPhase`: scheduled pods first, then older, then by name.
pub fn sort_pods_oldest_first(pods: &mut [&Pod]) {
    crate::engine::sort::sort_by(pods, |a, b| {
        let created = |p: &Pod| {
            p.metadata
                .creation_timestamp
                .as_ref()
                .map(SimTime::from_k8s)
        };
        scheduled_node(b)
            .is_some()
            .cmp(&scheduled_node(a).is_some())
            .then_with(|| created(a).cmp(&created(b)))
            .then_with(|| pod_name(a).cmp(pod_name(b)))
    });
}

/// `failedPodsBackoffKey`: `<ds uid>/<status.observedGeneration>/<node>`.
fn failed_pods_backoff_key(ds: &DaemonSet, node: &str) -> String {
    let observed = ds
        .status
        .as_ref()
        .and_then(|s| s.observed_generation)
        .unwrap_or(0);
    format!(
        "{}/{}/{}",
        ds.metadata.uid.as_deref().unwrap_or_default(),
        observed,
        node
    )
}

/// `getUnscheduledPodsWithoutNode`: unscheduled pods whose target node does not exist.
fn unscheduled_pods_without_node(view: &DaemonSetView<'_>) -> Vec<String> {
    view.orphans
        .values()
        .flatten()
        .filter(|p| !p.scheduled)
        .map(|p| p.name.to_string())
        .collect()
}

fn ds_event(ds: &DaemonSet, reason: DaemonSetEventReason, message: &str) -> EventRecord {
    let key = ObjectKey::new(
        Kind::DaemonSet,
        ds.metadata.namespace.as_deref().unwrap_or_default(),
        ds.metadata.name.as_deref().unwrap_or_default(),
    );
    EventRecord {
        involved: key,
        involved_uid: ds.metadata.uid.clone().unwrap_or_default(),
        type_: reason.event_type(),
        reason: reason.as_str().to_string(),
        message: message.to_string(),
        source: SOURCE.to_string(),
        host: None,
        field_path: None,
    }
}
