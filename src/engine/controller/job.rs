//! The Job controller: `pkg/controller/job/job_controller.go` — `syncJob` (count pods, failure
//! and success checks, `manageJob`, suspend/resume), `trackJobStatusAndRemoveFinalizers` (the
//! `batch.kubernetes.io/job-tracking` finalizer protocol), `getPodsForJob` (claiming) and
//! `syncOrphanPod`; plus `tracking_utils.go`'s role, played here by reading the store afresh.
//! Helpers live beside it: [`indexed`] (`indexed_job_utils.go`), [`backoff`]
//! (`backoff_utils.go`), [`pod_failure_policy`] and [`success_policy`].
//!
//! Feature gates are at their 1.34 defaults: JobPodReplacementPolicy, JobManagedBy,
//! JobSuccessPolicy, JobBackoffLimitPerIndex and PodIndexLabel are on, so terminal conditions are
//! delayed behind `FailureTarget` / `SuccessCriteriaMet` until no pod is terminating.
//!
//! Simplifications:
//! - No work queue and no expectations: every step syncs every Job against the store (skipping a
//!   Job whose inputs are unchanged since a sync that decided nothing, as a queue without events
//!   would), and the Cluster applies each outcome before the next component reads, so
//!   expectations (create / delete / finalizer-removal) would always be satisfied. Pod events' 1 s batching is not
//!   modelled.
//! - The finalizer protocol's writes collapse into one: finished pods are recorded, their
//!   finalizers removed and the counters moved in the same step, so an observed
//!   `status.uncountedTerminatedPods` is always `{}` (UIDs already there are still honoured).
//! - Pod creation is issued as one batch (at most 500 per sync): the result of a create is not
//!   known until the Cluster applies it, so slow start cannot stop early. A failed create becomes
//!   a `FailedCreate` event from the Cluster and the next sync retries. Creates in a namespace
//!   being deleted are skipped, as upstream ignores that error.
//! - The `UnknownCompletionMode` event is not emitted (validation rejects such Jobs).

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::batch::v1::{Job, JobCondition, JobSpec, JobStatus, UncountedTerminatedPods};
use k8s_openapi::api::core::v1::{Pod, PodCondition, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};

use crate::engine::api::job::{
    CompletionMode, PodReplacementPolicy, JOB_COMPLETION_INDEX_ANNOTATION, JOB_CONTROLLER_NAME,
    JOB_INDEX_FAILURE_COUNT_ANNOTATION, JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
    JOB_TRACKING_FINALIZER,
};
use crate::engine::api::{Kind, Object, ObjectKey};
use crate::engine::clock::{SimTime, SECOND};
use crate::engine::controller::ratelimit::{self, TokenBucket};
use crate::engine::controller::{Action, DeleteOptions, EventRecord, EventType, Outcome};
use crate::engine::selector::Selector;
use crate::engine::store::Store;

pub mod backoff;
pub mod indexed;
pub mod pod_failure_policy;
pub mod success_policy;
#[cfg(test)]
mod tests;

use backoff::BackoffRecord;
use indexed::{completion_index, OrderedIntervals};
use pod_failure_policy::match_pod_failure_policy;

/// `MaxPodCreateDeletePerSync`.
pub const MAX_POD_CREATE_DELETE_PER_SYNC: usize = 500;
/// `MaxUncountedPods`: finished pods recorded per sync.
pub const MAX_UNCOUNTED_PODS: usize = 500;
/// Event source of everything this controller records.
pub const SOURCE: &str = "job-controller";

/// Job condition types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobConditionType {
    /// `spec.suspend` is true (or was, with status False).
    Suspended,
    /// The Job will fail once its pods are gone.
    FailureTarget,
    /// The Job has failed.
    Failed,
    /// The Job will complete once its pods are gone.
    SuccessCriteriaMet,
    /// The Job has completed.
    Complete,
}

impl JobConditionType {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            JobConditionType::Suspended => "Suspended",
            JobConditionType::FailureTarget => "FailureTarget",
            JobConditionType::Failed => "Failed",
            JobConditionType::SuccessCriteriaMet => "SuccessCriteriaMet",
            JobConditionType::Complete => "Complete",
        }
    }
}

/// Reason of the failure conditions the controller sets.
pub const REASON_BACKOFF_LIMIT_EXCEEDED: &str = "BackoffLimitExceeded";
/// Reason for `activeDeadlineSeconds`.
pub const REASON_DEADLINE_EXCEEDED: &str = "DeadlineExceeded";
/// Reason for a `FailJob` pod failure policy rule.
pub const REASON_POD_FAILURE_POLICY: &str = "PodFailurePolicy";
/// Reason for `maxFailedIndexes`.
pub const REASON_MAX_FAILED_INDEXES_EXCEEDED: &str = "MaxFailedIndexesExceeded";
/// Reason when every index finished and some failed.
pub const REASON_FAILED_INDEXES: &str = "FailedIndexes";
/// Reason for a met success policy.
pub const REASON_SUCCESS_POLICY: &str = "SuccessPolicy";
/// Reason for natural completion.
pub const REASON_COMPLETIONS_REACHED: &str = "CompletionsReached";

/// Controller state that survives between syncs: the pod-failure back-off records (upstream's
/// `podBackoffStore`), keyed by Job uid, and what each Job's last sync read when it decided
/// nothing.
/// Its client's token bucket ([`ratelimit`]) bounds the creates and deletes it sends; the
/// default is unlimited (upstream's unit tests' fake client), the cluster sets
/// kube-controller-manager's ([`JobController::set_client_rate`]).
#[derive(Debug, Clone, Default)]
pub struct JobController {
    backoff: BTreeMap<String, BackoffRecord>,
    idle: BTreeMap<String, IdleSync>,
    client: TokenBucket,
}

/// The inputs of a sync that decided nothing (no write), and the requeue it asked for: the same
/// inputs before that time give the same nothing, so the sync is skipped (the work queue's
/// "no event, no sync", without remembering anything a sync decides).
#[derive(Debug, Clone, PartialEq)]
struct IdleSync {
    inputs: SyncInputs,
    requeue_at: Option<SimTime>,
}

/// What a sync reads: the Job's resourceVersion, its back-off record, whether its namespace is
/// being deleted, and the revision of the last write to a pod in its namespace (every pod it may
/// claim or count is there: any write to one of them, or one appearing or going, changes it).
#[derive(Debug, Clone, PartialEq)]
struct SyncInputs {
    job_rv: String,
    record: BackoffRecord,
    namespace_deleting: bool,
    pods_revision: u64,
}

fn sync_inputs(job: &Job, store: &Store, record: BackoffRecord) -> SyncInputs {
    let ns = job.metadata.namespace.as_deref().unwrap_or_default();
    SyncInputs {
        job_rv: job.metadata.resource_version.clone().unwrap_or_default(),
        record,
        namespace_deleting: store
            .get_named(Kind::Namespace, "", ns)
            .is_some_and(|n| n.meta().deletion_timestamp.is_some()),
        pods_revision: store.pod_revision_in(ns),
    }
}

impl JobController {
    /// Sets its client's rate and burst (0 QPS: unlimited).
    pub fn set_client_rate(&mut self, qps: u64, burst: u64) {
        self.client.retune(qps, burst);
    }

    /// Reconciles every Job against the observed cluster, then strips the tracking finalizer from
    /// orphaned pods.
    pub fn sync(&mut self, store: &Store, now: SimTime) -> Outcome {
        let mut out = Outcome::none();
        let mut live = BTreeSet::new();
        let orphans = sync_orphan_pods(store);
        self.client.take(ratelimit::requests(&orphans), now);
        out.merge(orphans);
        for obj in store.list(Kind::Job) {
            let Object::Job(job) = obj else {
                continue;
            };
            let uid = job.metadata.uid.clone().unwrap_or_default();
            live.insert(uid.clone());
            let record = self.backoff.get(&uid).copied().unwrap_or_default();
            let inputs = sync_inputs(job, store, record);
            if let Some(idle) = self.idle.get(&uid) {
                if idle.inputs == inputs && idle.requeue_at.is_none_or(|t| t > now) {
                    if let Some(t) = idle.requeue_at {
                        out.requeue_at(t);
                    }
                    continue;
                }
            }
            let mut res = sync_job_with_budget(job, store, record, now, self.client.available(now));
            self.client.take(ratelimit::requests(&res.outcome), now);
            if res.throttled > 0 {
                res.outcome
                    .requeue_at(self.client.wake_at(res.throttled, now));
            }
            if res.outcome.is_noop() && res.backoff == Some(record) {
                self.idle.insert(
                    uid.clone(),
                    IdleSync {
                        inputs,
                        requeue_at: res.outcome.requeue_at,
                    },
                );
            } else {
                self.idle.remove(&uid);
            }
            match res.backoff {
                Some(r) => {
                    self.backoff.insert(uid, r);
                }
                None => {
                    self.backoff.remove(&uid);
                }
            }
            out.merge(res.outcome);
        }
        self.backoff.retain(|uid, _| live.contains(uid));
        self.idle.retain(|uid, _| live.contains(uid));
        out
    }
}

/// What one Job's sync decided, and the back-off record to keep (`None` drops it).
#[derive(Debug, Clone, PartialEq)]
pub struct SyncResult {
    /// Writes and requeue.
    pub outcome: Outcome,
    /// The updated back-off record.
    pub backoff: Option<BackoffRecord>,
    /// Creates and deletes `manageJob` wanted but left for later: the client had no token.
    pub throttled: usize,
}

// ------------------------------------------------------------------------------------------
// Small accessors (pods and jobs as the controller reads them).
// ------------------------------------------------------------------------------------------

pub(crate) fn spec_of(job: &Job) -> std::borrow::Cow<'_, JobSpec> {
    match job.spec.as_ref() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(JobSpec::default()),
    }
}

pub(crate) fn pod_name(p: &Pod) -> &str {
    p.metadata.name.as_deref().unwrap_or_default()
}

pub(crate) fn pod_uid(p: &Pod) -> &str {
    p.metadata.uid.as_deref().unwrap_or_default()
}

pub(crate) fn pod_phase(p: &Pod) -> &str {
    p.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or_default()
}

pub(crate) fn creation_time(p: &Pod) -> SimTime {
    p.metadata
        .creation_timestamp
        .as_ref()
        .map(SimTime::from_k8s)
        .unwrap_or_default()
}

pub(crate) fn creation_millis(p: &Pod) -> u64 {
    creation_time(p).millis()
}

pub(crate) fn ready_condition(p: &Pod) -> Option<&PodCondition> {
    p.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == "Ready")
}

fn is_pod_ready(p: &Pod) -> bool {
    ready_condition(p).is_some_and(|c| c.status == "True")
}

pub(crate) fn has_job_tracking_finalizer(p: &Pod) -> bool {
    p.metadata
        .finalizers
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|f| f == JOB_TRACKING_FINALIZER)
}

fn is_terminal(p: &Pod) -> bool {
    matches!(pod_phase(p), "Succeeded" | "Failed")
}

/// `controller.IsPodActive`: not terminal and not being deleted.
fn is_pod_active(p: &Pod) -> bool {
    !is_terminal(p) && p.metadata.deletion_timestamp.is_none()
}

/// `controller.IsPodTerminating`: being deleted but not terminal yet.
fn is_pod_terminating(p: &Pod) -> bool {
    !is_terminal(p) && p.metadata.deletion_timestamp.is_some()
}

fn is_indexed_job(job: &Job) -> bool {
    spec_of(job).completion_mode.as_deref() == Some(CompletionMode::Indexed.as_str())
}

fn has_backoff_limit_per_index(job: &Job) -> bool {
    spec_of(job).backoff_limit_per_index.is_some()
}

fn job_suspended(job: &Job) -> bool {
    spec_of(job).suspend == Some(true)
}

/// `onlyReplaceFailedPods`.
fn only_replace_failed_pods(job: &Job) -> bool {
    let spec = spec_of(job);
    spec.pod_replacement_policy.as_deref() == Some(PodReplacementPolicy::Failed.as_str())
        || spec.pod_failure_policy.is_some()
}

/// `isPodFailed`: phase Failed; or, unless only failed pods are replaced, deleted before
/// succeeding (a pod someone deleted while it ran counts as a failure).
pub(crate) fn is_pod_failed(p: &Pod, job: &Job) -> bool {
    if pod_phase(p) == "Failed" {
        return true;
    }
    if only_replace_failed_pods(job) {
        return false;
    }
    p.metadata.deletion_timestamp.is_some() && pod_phase(p) != "Succeeded"
}

fn conditions(job: &Job) -> &[JobCondition] {
    job.status
        .as_ref()
        .and_then(|s| s.conditions.as_deref())
        .unwrap_or_default()
}

fn find_condition(list: &[JobCondition], t: JobConditionType) -> Option<&JobCondition> {
    list.iter().find(|c| c.type_ == t.as_str())
}

fn condition_true(job: &Job, t: JobConditionType) -> bool {
    find_condition(conditions(job), t).is_some_and(|c| c.status == "True")
}

/// `IsJobFinished` (`FinishedCondition`): some `Complete` or `Failed` condition is True, looking
/// at every condition, not only the first of each type.
pub fn is_job_finished(job: &Job) -> bool {
    conditions(job).iter().any(|c| {
        (c.type_ == JobConditionType::Complete.as_str()
            || c.type_ == JobConditionType::Failed.as_str())
            && c.status == "True"
    })
}

/// `managedByExternalController`.
fn managed_by_external(job: &Job) -> bool {
    spec_of(job)
        .managed_by
        .as_deref()
        .is_some_and(|m| m != JOB_CONTROLLER_NAME)
}

fn new_condition(
    t: JobConditionType,
    status: &str,
    reason: &str,
    message: &str,
    now: SimTime,
) -> JobCondition {
    let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    JobCondition {
        type_: t.as_str().to_string(),
        status: status.to_string(),
        reason: non_empty(reason),
        message: non_empty(message),
        last_probe_time: Some(now.to_k8s()),
        last_transition_time: Some(now.to_k8s()),
    }
}

fn condition_is(c: &JobCondition, t: JobConditionType) -> bool {
    c.type_ == t.as_str() && c.status == "True"
}

/// `ensureJobConditionStatus`: appends or updates a condition; never appends a False one.
/// Returns whether the list changed.
fn ensure_condition(
    list: &mut Vec<JobCondition>,
    t: JobConditionType,
    status: &str,
    reason: &str,
    message: &str,
    now: SimTime,
) -> bool {
    if let Some(c) = list.iter_mut().find(|c| c.type_ == t.as_str()) {
        let same = c.status == status
            && c.reason.as_deref().unwrap_or_default() == reason
            && c.message.as_deref().unwrap_or_default() == message;
        if same {
            return false;
        }
        *c = new_condition(t, status, reason, message, now);
        return true;
    }
    if status != "False" {
        list.push(new_condition(t, status, reason, message, now));
        return true;
    }
    false
}

/// Label selector matching (`metav1.LabelSelectorAsSelector(...).Matches`); a missing or
/// unparsable selector matches nothing, an empty one everything.
fn selector_matches(sel: Option<&LabelSelector>, labels: &BTreeMap<String, String>) -> bool {
    sel.is_some_and(|s| Selector::from_label_selector(s).is_ok_and(|s| s.matches(labels)))
}

fn pod_labels(p: &Pod) -> BTreeMap<String, String> {
    p.metadata.labels.clone().unwrap_or_default()
}

fn pod_key(p: &Pod) -> ObjectKey {
    ObjectKey::new(
        Kind::Pod,
        p.metadata.namespace.as_deref().unwrap_or_default(),
        pod_name(p),
    )
}

fn max_container_restarts(p: &Pod) -> i32 {
    p.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .map(|cs| cs.iter().map(|c| c.restart_count).max().unwrap_or(0))
        .unwrap_or(0)
}

fn phase_ordinal(p: &Pod) -> u8 {
    match pod_phase(p) {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    }
}

/// `controller.ActivePods` order: the pod to delete first sorts first — unscheduled before
/// scheduled, Pending < Unknown < Running, not ready before ready, ready for less time, more
/// restarts, newer. Ties fall back to name, then uid.
pub fn active_pods_cmp(a: &Pod, b: &Pod) -> Ordering {
    let node = |p: &Pod| {
        p.spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
            .unwrap_or_default()
    };
    let (na, nb) = (node(a), node(b));
    if na != nb && (na.is_empty() || nb.is_empty()) {
        return if na.is_empty() {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    let ord = phase_ordinal(a).cmp(&phase_ordinal(b));
    if ord != Ordering::Equal {
        return ord;
    }
    let (ra, rb) = (is_pod_ready(a), is_pod_ready(b));
    if ra != rb {
        return if ra {
            Ordering::Greater
        } else {
            Ordering::Less
        };
    }
    if ra && rb {
        let ready_since = |p: &Pod| {
            ready_condition(p)
                .and_then(|c| c.last_transition_time.as_ref())
                .map(SimTime::from_k8s)
        };
        // Later transition (shorter time ready) first; a missing time sorts first.
        let ord = match (ready_since(a), ready_since(b)) {
            (Some(x), Some(y)) => y.cmp(&x),
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    let ord = max_container_restarts(b).cmp(&max_container_restarts(a));
    if ord != Ordering::Equal {
        return ord;
    }
    // Newer first.
    let ord = creation_time(b).cmp(&creation_time(a));
    if ord != Ordering::Equal {
        return ord;
    }
    pod_name(a)
        .cmp(pod_name(b))
        .then_with(|| pod_uid(a).cmp(pod_uid(b)))
}

/// Orphan pods (`syncOrphanPod`): a pod still carrying the tracking finalizer whose controlling
/// Job is gone or finished, or that has no controller and no unfinished Job in its namespace
/// selects it, gets the finalizer removed so it can be deleted.
fn sync_orphan_pods(store: &Store) -> Outcome {
    let mut out = Outcome::none();
    // Whether pods of a Job (namespace, name, uid) lose the finalizer, per Job looked at.
    let mut by_job: BTreeMap<(&str, &str, &str), bool> = BTreeMap::new();
    // A pod with a finalizer is never settled.
    for p in store.unsettled_pods() {
        if !has_job_tracking_finalizer(p) {
            continue;
        }
        let ns = p.metadata.namespace.as_deref().unwrap_or_default();
        let strip = match crate::engine::api::controller_ref(&p.metadata) {
            Some(r) => {
                if r.kind != "Job" || r.api_version != "batch/v1" {
                    false
                } else {
                    *by_job
                        .entry((ns, r.name.as_str(), r.uid.as_str()))
                        .or_insert_with(|| match store.get_named(Kind::Job, ns, &r.name) {
                            Some(Object::Job(j)) if j.metadata.uid.as_deref() == Some(&r.uid) => {
                                is_job_finished(j) && !managed_by_external(j)
                            }
                            _ => true,
                        })
                }
            }
            None => {
                let labels = pod_labels(p);
                !store.list_ns(Kind::Job, ns).any(|o| match o {
                    Object::Job(j) => {
                        !is_job_finished(j)
                            && j.metadata.deletion_timestamp.is_none()
                            && selector_matches(spec_of(j).selector.as_ref(), &labels)
                    }
                    _ => false,
                })
            }
        };
        if strip {
            let mut pod = p.clone();
            remove_tracking_finalizer(&mut pod);
            out.push(Action::Update(Object::Pod(pod)));
        }
    }
    out
}

fn remove_tracking_finalizer(p: &mut Pod) {
    crate::engine::controller::remove_finalizer(&mut p.metadata, JOB_TRACKING_FINALIZER);
}

fn controller_ref_of(job: &Job) -> OwnerReference {
    OwnerReference {
        api_version: "batch/v1".to_string(),
        kind: "Job".to_string(),
        name: job.metadata.name.clone().unwrap_or_default(),
        uid: job.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

// ------------------------------------------------------------------------------------------
// syncJob
// ------------------------------------------------------------------------------------------

/// The per-sync context (`syncJobCtx`) plus the writes decided so far.
struct JobCtx<'a> {
    job: Job,
    pods: Vec<&'a Pod>,
    /// How many of `pods` are active; [`JobCtx::active_pods`] copies them out when needed.
    n_active: usize,
    ready: i32,
    terminating: i32,
    uncounted_succeeded: BTreeSet<String>,
    uncounted_failed: BTreeSet<String>,
    succeeded: i32,
    failed: i32,
    new_backoff: BackoffRecord,
    finished_condition: Option<JobCondition>,
    prev_succeeded_indexes: OrderedIntervals,
    succeeded_indexes: OrderedIntervals,
    failed_indexes: Option<OrderedIntervals>,
    delayed_per_index: BTreeMap<i32, Pod>,
    now: SimTime,
    // Writes.
    pod_updates: BTreeMap<String, PodWrite>,
    finalizer_removed: BTreeSet<String>,
    creates: Vec<Pod>,
    deletes: Vec<&'a Pod>,
    events: Vec<(EventType, String, String)>,
    requeue: Option<SimTime>,
    /// Creates and deletes this sync may send ([`ratelimit`]: the client's free tokens).
    budget: usize,
    /// Creates and deletes it wanted but had no token for.
    throttled: usize,
}

/// A write to one pod, by uid: a changed copy (adoption, release) or only the removal of the
/// tracking finalizer, which the cluster makes in place.
enum PodWrite {
    Replace(Box<Pod>),
    StripFinalizer(ObjectKey),
}

impl<'a> JobCtx<'a> {
    fn spec(&self) -> std::borrow::Cow<'_, JobSpec> {
        spec_of(&self.job)
    }

    /// The active pods (`controller.FilterActivePods`).
    fn active_pods(&self) -> Vec<&'a Pod> {
        self.pods
            .iter()
            .copied()
            .filter(|p| is_pod_active(p))
            .collect()
    }

    fn completions(&self) -> i32 {
        self.spec().completions.unwrap_or(0)
    }

    fn event(&mut self, t: EventType, reason: &str, message: &str) {
        self.events
            .push((t, reason.to_string(), message.to_string()));
    }

    fn requeue_at(&mut self, t: SimTime) {
        self.requeue = Some(self.requeue.map_or(t, |r| r.min(t)));
    }

    fn strip_finalizer(&mut self, p: &Pod) {
        if !has_job_tracking_finalizer(p) {
            return;
        }
        self.finalizer_removed.insert(pod_uid(p).to_string());
        match self.pod_updates.entry(pod_uid(p).to_string()) {
            std::collections::btree_map::Entry::Occupied(e) => {
                if let PodWrite::Replace(copy) = e.into_mut() {
                    remove_tracking_finalizer(copy);
                }
            }
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(PodWrite::StripFinalizer(pod_key(p)));
            }
        }
    }

    fn status(&mut self) -> &mut JobStatus {
        self.job.status.get_or_insert_with(JobStatus::default)
    }
}

/// `getPodsForJob`: every pod in the namespace this Job controls and whose labels still match,
/// releasing owned pods that stopped matching and adopting matching orphans (with the tracking
/// finalizer). Returns the claimed pods as the controller sees them after claiming.
///
/// Finished pods that no longer carry the tracking finalizer and are not in
/// `uncountedTerminatedPods` are already counted and play no further part in a sync (except in
/// `getFailJobMessage`, so they are kept when the Job has a `podFailurePolicy`): they are claimed
/// but not copied, which keeps a sync proportional to the Job's live pods, not to every pod it
/// ever ran.
/// Claimed pods are borrowed from the store; an adopted pod (a changed copy) is `None` in the
/// first list and comes, in order, from the second.
fn claim_pods<'a>(
    job: &Job,
    store: &'a Store,
    uncounted: &BTreeSet<String>,
    ctx_updates: &mut BTreeMap<String, PodWrite>,
) -> (Vec<Option<&'a Pod>>, Vec<Pod>) {
    let ns = job.metadata.namespace.as_deref().unwrap_or_default();
    let uid = job.metadata.uid.as_deref().unwrap_or_default();
    let spec = spec_of(job);
    let selector = spec
        .selector
        .as_ref()
        .and_then(|s| Selector::from_label_selector(s).ok());
    let keep_done = spec.pod_failure_policy.is_some();
    let empty = BTreeMap::new();
    let matches = |p: &Pod| {
        selector
            .as_ref()
            .is_some_and(|s| s.matches(p.metadata.labels.as_ref().unwrap_or(&empty)))
    };
    let deleting = job.metadata.deletion_timestamp.is_some();
    let mut claimed = Vec::new();
    let mut adopted_pods = Vec::new();
    // Settled pods this Job controls are done unless still uncounted; other controllers' pods
    // are never claimed. So, unless done pods are kept, only pods the store does not know as
    // settled-and-controlled and the uncounted ones need a look, in name order as in a full list.
    let candidates: Vec<&'a Pod> = if keep_done {
        store
            .list_ns(Kind::Pod, ns)
            .filter_map(Object::as_pod)
            .collect()
    } else if uncounted.is_empty() {
        store.claimable_pods(ns).collect()
    } else {
        let mut keys: BTreeMap<&str, &Pod> =
            store.claimable_pods(ns).map(|p| (pod_name(p), p)).collect();
        for u in uncounted {
            if let Some(Object::Pod(p)) = store.get_by_uid(u) {
                if p.metadata.namespace.as_deref().unwrap_or_default() == ns {
                    keys.insert(pod_name(p), p);
                }
            }
        }
        keys.into_values().collect()
    };
    for p in candidates {
        match crate::engine::api::controller_ref(&p.metadata) {
            Some(r) if r.uid == uid => {
                if matches(p) {
                    let done = is_terminal(p)
                        && !has_job_tracking_finalizer(p)
                        && !uncounted.contains(pod_uid(p));
                    if !done || keep_done {
                        claimed.push(Some(p));
                    }
                } else if !deleting {
                    // Release: drop our owner reference; the pod keeps running as an orphan.
                    let mut released = p.clone();
                    if let Some(refs) = released.metadata.owner_references.as_mut() {
                        refs.retain(|r| r.uid != uid);
                        if refs.is_empty() {
                            released.metadata.owner_references = None;
                        }
                    }
                    ctx_updates.insert(
                        pod_uid(p).to_string(),
                        PodWrite::Replace(Box::new(released)),
                    );
                }
            }
            Some(_) => {}
            None => {
                if deleting || p.metadata.deletion_timestamp.is_some() || !matches(p) {
                    continue;
                }
                let mut adopted = p.clone();
                adopted
                    .metadata
                    .owner_references
                    .get_or_insert_with(Vec::new)
                    .push(controller_ref_of(job));
                if !has_job_tracking_finalizer(&adopted) {
                    adopted
                        .metadata
                        .finalizers
                        .get_or_insert_with(Vec::new)
                        .push(JOB_TRACKING_FINALIZER.to_string());
                }
                ctx_updates.insert(
                    pod_uid(p).to_string(),
                    PodWrite::Replace(Box::new(adopted.clone())),
                );
                claimed.push(None);
                adopted_pods.push(adopted);
            }
        }
    }
    (claimed, adopted_pods)
}

/// One Job's sync (`syncJob`), given its back-off record, with a client that is never
/// throttled (upstream's unit tests' fake client).
pub fn sync_job(stored: &Job, store: &Store, record: BackoffRecord, now: SimTime) -> SyncResult {
    sync_job_with_budget(stored, store, record, now, usize::MAX)
}

/// One Job's sync, sending at most `budget` creates and deletes in `manageJob` (the tokens its
/// client has: [`ratelimit`]).
pub fn sync_job_with_budget(
    stored: &Job,
    store: &Store,
    record: BackoffRecord,
    now: SimTime,
    budget: usize,
) -> SyncResult {
    if managed_by_external(stored) {
        return SyncResult {
            outcome: Outcome::none(),
            backoff: Some(record),
            throttled: 0,
        };
    }
    if is_job_finished(stored) {
        return SyncResult {
            outcome: Outcome::none(),
            backoff: None,
            throttled: 0,
        };
    }
    let mut job = stored.clone();
    let status = job.status.get_or_insert_with(JobStatus::default);
    let uncounted = status
        .uncounted_terminated_pods
        .get_or_insert_with(UncountedTerminatedPods::default)
        .clone();
    let mut pod_updates = BTreeMap::new();
    let uncounted_uids: BTreeSet<String> = uncounted
        .succeeded
        .iter()
        .flatten()
        .chain(uncounted.failed.iter().flatten())
        .cloned()
        .collect();
    let (claimed, adopted) = claim_pods(&job, store, &uncounted_uids, &mut pod_updates);
    let mut adopted_iter = adopted.iter();
    let pods: Vec<&Pod> = claimed
        .into_iter()
        .filter_map(|c| c.or_else(|| adopted_iter.next()))
        .collect();
    let n_active = pods.iter().filter(|p| is_pod_active(p)).count();
    let ready = i32::try_from(
        pods.iter()
            .filter(|p| is_pod_active(p) && is_pod_ready(p))
            .count(),
    )
    .unwrap_or(0);
    let terminating =
        i32::try_from(pods.iter().filter(|p| is_pod_terminating(p)).count()).unwrap_or(0);
    let mut ctx = JobCtx {
        job,
        pods,
        n_active,
        ready,
        terminating,
        uncounted_succeeded: uncounted.succeeded.into_iter().flatten().collect(),
        uncounted_failed: uncounted.failed.into_iter().flatten().collect(),
        succeeded: 0,
        failed: 0,
        new_backoff: record,
        finished_condition: None,
        prev_succeeded_indexes: OrderedIntervals::default(),
        succeeded_indexes: OrderedIntervals::default(),
        failed_indexes: None,
        delayed_per_index: BTreeMap::new(),
        now,
        pod_updates,
        finalizer_removed: BTreeSet::new(),
        creates: Vec::new(),
        deletes: Vec::new(),
        events: Vec::new(),
        requeue: None,
        budget,
        throttled: 0,
    };
    let spec = ctx.spec().into_owned();
    let mut active = i32::try_from(ctx.n_active).unwrap_or(0);
    let (new_succeeded, new_failed) = new_finished_pods(&ctx);
    let status = ctx.job.status.clone().unwrap_or_default();
    ctx.succeeded = status.succeeded.unwrap_or(0)
        + len_i32(new_succeeded.len())
        + len_i32(ctx.uncounted_succeeded.len());
    ctx.failed = status.failed.unwrap_or(0)
        + non_ignored_failed_count(&ctx.job, &new_failed)
        + len_i32(ctx.uncounted_failed.len());

    // Job first start: startTime only when not suspended.
    if status.start_time.is_none() && !job_suspended(&ctx.job) {
        ctx.status().start_time = Some(now.to_k8s());
    }
    ctx.new_backoff = record.updated(&new_succeeded, &new_failed);

    let exceeds_backoff_limit = ctx.failed > spec.backoff_limit.unwrap_or(6);
    ctx.finished_condition =
        find_condition(conditions(&ctx.job), JobConditionType::SuccessCriteriaMet)
            .filter(|c| c.status == "True")
            .cloned();
    if ctx.finished_condition.is_none() {
        if let Some(ft) = find_condition(conditions(&ctx.job), JobConditionType::FailureTarget)
            .filter(|c| c.status == "True")
            .cloned()
        {
            ctx.finished_condition = Some(new_condition(
                JobConditionType::Failed,
                "True",
                ft.reason.as_deref().unwrap_or_default(),
                ft.message.as_deref().unwrap_or_default(),
                now,
            ));
        } else if let Some(msg) = fail_job_message(&ctx.job, &ctx.pods) {
            ctx.finished_condition = Some(new_condition(
                JobConditionType::FailureTarget,
                "True",
                REASON_POD_FAILURE_POLICY,
                &msg,
                now,
            ));
        }
    }
    if ctx.finished_condition.is_none() {
        if exceeds_backoff_limit || past_backoff_limit_on_failure(&ctx.job, &ctx.pods) {
            ctx.finished_condition = Some(new_failure_condition(
                REASON_BACKOFF_LIMIT_EXCEEDED,
                "Job has reached the specified backoff limit",
                now,
            ));
        } else if past_active_deadline(&ctx.job, now) {
            ctx.finished_condition = Some(new_failure_condition(
                REASON_DEADLINE_EXCEEDED,
                "Job was active longer than specified deadline",
                now,
            ));
        } else if let (Some(ads), false) = (spec.active_deadline_seconds, job_suspended(&ctx.job)) {
            if let Some(start) = ctx.job.status.as_ref().and_then(|s| s.start_time.as_ref()) {
                let secs = u64::try_from(ads).unwrap_or(0);
                let at = SimTime::from_k8s(start).plus(secs.saturating_mul(SECOND));
                ctx.requeue_at(at);
            }
        }
    }

    if is_indexed_job(&ctx.job) {
        let (prev, now_succeeded) = indexed::calculate_succeeded_indexes(&ctx.job, &ctx.pods);
        ctx.prev_succeeded_indexes = prev;
        ctx.succeeded_indexes = now_succeeded;
        ctx.succeeded = ctx.succeeded_indexes.total();
        if has_backoff_limit_per_index(&ctx.job) {
            let failed_indexes = indexed::calculate_failed_indexes(&ctx.job, &ctx.pods);
            if ctx.finished_condition.is_none() {
                let total = failed_indexes.total();
                if spec.max_failed_indexes.is_some_and(|m| total > m) {
                    ctx.finished_condition = Some(new_failure_condition(
                        REASON_MAX_FAILED_INDEXES_EXCEEDED,
                        "Job has exceeded the specified maximal number of failed indexes",
                        now,
                    ));
                } else if total > 0 && total + ctx.succeeded_indexes.total() >= ctx.completions() {
                    ctx.finished_condition = Some(new_failure_condition(
                        REASON_FAILED_INDEXES,
                        "Job has failed indexes",
                        now,
                    ));
                }
            }
            ctx.delayed_per_index = indexed::pods_with_delayed_deletion_per_index(
                &ctx.job,
                &ctx.pods,
                &ctx.active_pods(),
                &ctx.succeeded_indexes,
                Some(&failed_indexes),
            );
            ctx.failed_indexes = Some(failed_indexes);
        }
        if ctx.finished_condition.is_none() {
            if let Some(msg) = success_policy::match_success_policy(
                spec.success_policy.as_ref(),
                ctx.completions(),
                &ctx.succeeded_indexes,
            ) {
                ctx.finished_condition = Some(new_condition(
                    JobConditionType::SuccessCriteriaMet,
                    "True",
                    REASON_SUCCESS_POLICY,
                    &msg,
                    now,
                ));
            }
        }
    }

    let mut suspend_cond_changed = false;
    if ctx.finished_condition.is_some() {
        // Remove active pods: they keep their finalizer until counted below.
        let to_delete = ctx.active_pods();
        let deleted_ready = len_i32(to_delete.iter().filter(|p| is_pod_ready(p)).count());
        let deleted = len_i32(to_delete.len());
        ctx.deletes.extend(to_delete);
        active -= deleted;
        ctx.terminating += deleted;
        ctx.ready -= deleted_ready;
    } else {
        let mut manage_job_called = false;
        if ctx.job.metadata.deletion_timestamp.is_none() {
            active = manage_job(&mut ctx, store);
            manage_job_called = true;
        }
        let complete = match spec.completions {
            None => ctx.succeeded > 0 && active == 0,
            Some(c) => ctx.succeeded >= c && active == 0,
        };
        if complete {
            ctx.finished_condition = Some(new_condition(
                JobConditionType::SuccessCriteriaMet,
                "True",
                REASON_COMPLETIONS_REACHED,
                "Reached expected number of succeeded pods",
                now,
            ));
        } else if manage_job_called {
            let suspended = job_suspended(&ctx.job);
            let (status, reason, message) = if suspended {
                ("True", "JobSuspended", "Job suspended")
            } else {
                ("False", "JobResumed", "Job resumed")
            };
            let st = ctx.status();
            let conds = st.conditions.get_or_insert_with(Vec::new);
            let changed = ensure_condition(
                conds,
                JobConditionType::Suspended,
                status,
                reason,
                message,
                now,
            );
            if conds.is_empty() {
                st.conditions = None;
            }
            if changed {
                suspend_cond_changed = true;
                if suspended {
                    ctx.event(EventType::Normal, "Suspended", "Job suspended");
                } else {
                    ctx.event(EventType::Normal, "Resumed", "Job resumed");
                    // The deadline counts continuous activity: resuming restarts the clock.
                    ctx.status().start_time = Some(now.to_k8s());
                }
            }
        }
    }

    let old = stored.status.clone().unwrap_or_default();
    let needs_status_update = suspend_cond_changed
        || active != old.active.unwrap_or(0)
        || Some(ctx.ready) != old.ready
        || Some(ctx.terminating) != old.terminating;
    let (ready, terminating) = (ctx.ready, ctx.terminating);
    {
        let st = ctx.status();
        st.active = non_zero(active);
        st.ready = Some(ready);
        st.terminating = Some(terminating);
    }
    let backoff_keep = track_job_status_and_remove_finalizers(&mut ctx, needs_status_update);
    finish(ctx, stored, backoff_keep.then_some(record))
}

/// Turns the decided writes into an outcome, in the order a controller issues them: pod updates
/// (adoption, finalizer removal), creates, deletes, the Job status, events.
fn finish(ctx: JobCtx<'_>, stored: &Job, kept_backoff: Option<BackoffRecord>) -> SyncResult {
    let mut out = Outcome::none();
    out.actions.reserve(
        ctx.pod_updates.len() + ctx.creates.len() + 2 * ctx.deletes.len() + 1 + ctx.events.len(),
    );
    let job_obj = Object::Job(ctx.job.clone());
    let job_key = job_obj.key();
    for (uid, w) in ctx.pod_updates {
        out.push(match w {
            PodWrite::Replace(p) => Action::Update(Object::Pod(*p)),
            PodWrite::StripFinalizer(key) => Action::RemoveFinalizer {
                key,
                uid,
                finalizer: JOB_TRACKING_FINALIZER,
            },
        });
    }
    for p in ctx.creates {
        out.push(Action::Create {
            object: Object::Pod(p),
            on_behalf_of: Some(job_key.clone()),
        });
    }
    for p in &ctx.deletes {
        out.push(Action::Delete {
            key: pod_key(p),
            options: DeleteOptions::default(),
        });
        out.event(EventRecord::new(
            &job_obj,
            EventType::Normal,
            "SuccessfulDelete",
            format!("Deleted pod: {}", pod_name(p)),
            SOURCE,
        ));
    }
    if ctx.job.status != stored.status {
        out.push(Action::Update(job_obj.clone()));
    }
    for (t, reason, message) in ctx.events {
        out.event(EventRecord::new(&job_obj, t, &reason, message, SOURCE));
    }
    if let Some(t) = ctx.requeue {
        out.requeue_at(t);
    }
    SyncResult {
        outcome: out,
        backoff: Some(kept_backoff.unwrap_or(ctx.new_backoff)),
        throttled: ctx.throttled,
    }
}

fn len_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn non_zero(n: i32) -> Option<i32> {
    (n != 0).then_some(n)
}

/// `newFailureCondition`: with terminal conditions delayed, failures are first a `FailureTarget`.
fn new_failure_condition(reason: &str, message: &str, now: SimTime) -> JobCondition {
    new_condition(
        JobConditionType::FailureTarget,
        "True",
        reason,
        message,
        now,
    )
}

/// `getNewFinishedPods`: succeeded and failed pods that still carry the finalizer, are not yet in
/// `uncountedTerminatedPods` and (Indexed) have a valid index.
fn new_finished_pods<'a>(ctx: &JobCtx<'a>) -> (Vec<&'a Pod>, Vec<&'a Pod>) {
    let indexed = is_indexed_job(&ctx.job);
    let completions = ctx.completions();
    let valid = |p: &Pod| {
        has_job_tracking_finalizer(p)
            && (!indexed || completion_index(p).is_some_and(|ix| ix < completions))
    };
    let succeeded = ctx
        .pods
        .iter()
        .copied()
        .filter(|p| valid(p) && !ctx.uncounted_succeeded.contains(pod_uid(p)))
        .filter(|p| pod_phase(p) == "Succeeded")
        .collect();
    let failed = ctx
        .pods
        .iter()
        .copied()
        .filter(|p| valid(p) && !ctx.uncounted_failed.contains(pod_uid(p)))
        .filter(|p| is_pod_failed(p, &ctx.job))
        .collect();
    (succeeded, failed)
}

/// `nonIgnoredFailedPodsCount`.
fn non_ignored_failed_count(job: &Job, failed: &[&Pod]) -> i32 {
    match spec_of(job).pod_failure_policy.as_ref() {
        Some(policy) => len_i32(
            failed
                .iter()
                .filter(|p| match_pod_failure_policy(policy, p).count_failed)
                .count(),
        ),
        None => len_i32(failed.len()),
    }
}

/// `getFailJobMessage`: the message of the first failed pod that matches a `FailJob` rule.
fn fail_job_message<P: Borrow<Pod>>(job: &Job, pods: &[P]) -> Option<String> {
    let spec = spec_of(job);
    let policy = spec.pod_failure_policy.as_ref()?;
    pods.iter()
        .map(Borrow::borrow)
        .filter(|p| is_pod_failed(p, job))
        .find_map(|p| match_pod_failure_policy(policy, p).fail_job_message)
}

/// `pastBackoffLimitOnFailure`: with `restartPolicy: OnFailure`, the container restarts of pending
/// and running pods add up to the backoff limit (any restart when it is 0).
fn past_backoff_limit_on_failure<P: Borrow<Pod>>(job: &Job, pods: &[P]) -> bool {
    let spec = spec_of(job);
    let restart_policy = spec
        .template
        .spec
        .as_ref()
        .and_then(|s| s.restart_policy.as_deref());
    if restart_policy != Some("OnFailure") {
        return false;
    }
    let mut result: i64 = 0;
    for p in pods.iter().map(Borrow::borrow) {
        if !matches!(pod_phase(p), "Running" | "Pending") {
            continue;
        }
        let Some(st) = p.status.as_ref() else {
            continue;
        };
        for cs in st
            .init_container_statuses
            .iter()
            .flatten()
            .chain(st.container_statuses.iter().flatten())
        {
            result += i64::from(cs.restart_count);
        }
    }
    let limit = i64::from(spec.backoff_limit.unwrap_or(6));
    if limit == 0 {
        return result > 0;
    }
    result >= limit
}

/// `pastActiveDeadline` (never while suspended).
fn past_active_deadline(job: &Job, now: SimTime) -> bool {
    let spec = spec_of(job);
    let (Some(ads), Some(start)) = (
        spec.active_deadline_seconds,
        job.status.as_ref().and_then(|s| s.start_time.as_ref()),
    ) else {
        return false;
    };
    if job_suspended(job) {
        return false;
    }
    let allowed = u64::try_from(ads).unwrap_or(0).saturating_mul(SECOND);
    now.since(SimTime::from_k8s(start)) >= allowed
}

/// `activePodsForRemoval`: for Indexed Jobs pods with a missing, out-of-range or repeated index
/// first, then by deletion preference until at least `rm_at_least` are chosen.
fn active_pods_for_removal<'a>(job: &Job, pods: &[&'a Pod], rm_at_least: usize) -> Vec<&'a Pod> {
    if rm_at_least == 0 && !is_indexed_job(job) {
        return Vec::new();
    }
    let (mut rm, mut left) = if is_indexed_job(job) {
        indexed::duplicated_index_pods_for_removal(pods, spec_of(job).completions.unwrap_or(0))
    } else {
        (Vec::new(), pods.to_vec())
    };
    if rm.len() < rm_at_least {
        crate::engine::sort::sort_by(&mut left, |a, b| active_pods_cmp(a, b));
        let more = rm_at_least - rm.len();
        rm.extend(left.into_iter().take(more));
    }
    rm
}

/// `deleteJobPods`: strips the tracking finalizer first, so these pods are never counted, then
/// deletes. Returns (ready deleted, deleted).
fn delete_job_pods<'a>(ctx: &mut JobCtx<'a>, pods: Vec<&'a Pod>) -> (i32, i32) {
    let ready = len_i32(pods.iter().filter(|p| is_pod_ready(p)).count());
    let n = len_i32(pods.len());
    for p in pods {
        ctx.strip_finalizer(p);
        ctx.deletes.push(p);
    }
    (ready, n)
}

/// `manageJob`: deletes or creates pods to reach the wanted number of active pods. Returns the
/// number of active pods to report.
fn manage_job(ctx: &mut JobCtx<'_>, store: &Store) -> i32 {
    let spec = ctx.spec().into_owned();
    let now = ctx.now;
    let mut active = len_i32(ctx.n_active);
    let parallelism = spec.parallelism.unwrap_or(1);
    if job_suspended(&ctx.job) {
        let all = ctx.n_active;
        let to_delete = active_pods_for_removal(&ctx.job, &ctx.active_pods(), all);
        let (removed_ready, removed) = delete_job_pods(ctx, to_delete);
        active -= removed;
        ctx.terminating += removed;
        ctx.ready -= removed_ready;
        return active;
    }
    let want_active = match spec.completions {
        None if ctx.succeeded > 0 => active,
        None => parallelism,
        Some(c) => (c - ctx.succeeded).min(parallelism).max(0),
    };
    let rm_at_least = usize::try_from((active - want_active).max(0)).unwrap_or(0);
    // With nothing to remove only an Indexed Job looks at its active pods here.
    let mut to_delete = if rm_at_least > 0 || is_indexed_job(&ctx.job) {
        active_pods_for_removal(&ctx.job, &ctx.active_pods(), rm_at_least)
    } else {
        Vec::new()
    };
    to_delete.truncate(MAX_POD_CREATE_DELETE_PER_SYNC);
    if to_delete.len() > ctx.budget {
        ctx.throttled = to_delete.len() - ctx.budget;
        to_delete.truncate(ctx.budget);
    }
    if !to_delete.is_empty() {
        // A sync either deletes or creates; deletion wins.
        let (removed_ready, removed) = delete_job_pods(ctx, to_delete);
        active -= removed;
        ctx.terminating += removed;
        ctx.ready -= removed_ready;
        return active;
    }
    let terminating = if only_replace_failed_pods(&ctx.job) {
        ctx.terminating
    } else {
        0
    };
    let mut diff = want_active - terminating - active;
    if diff <= 0 {
        return active;
    }
    if !has_backoff_limit_per_index(&ctx.job) {
        let remaining = ctx.new_backoff.remaining(now);
        if remaining > 0 {
            ctx.requeue_at(now.plus(remaining));
            // Upstream reports 0 active while it waits out the back-off.
            return 0;
        }
    }
    diff = diff.min(len_i32(MAX_POD_CREATE_DELETE_PER_SYNC));
    if diff > len_i32(ctx.budget) {
        ctx.throttled = usize::try_from(diff).unwrap_or(0) - ctx.budget;
        diff = len_i32(ctx.budget);
    }
    if diff == 0 {
        return active;
    }
    let mut indexes_to_add: Vec<i32> = Vec::new();
    if is_indexed_job(&ctx.job) {
        let terminating_pods: Vec<&Pod> = ctx
            .pods
            .iter()
            .copied()
            .filter(|p| is_pod_terminating(p))
            .collect();
        indexes_to_add = indexed::first_pending_indexes(
            &ctx.active_pods(),
            only_replace_failed_pods(&ctx.job).then_some(terminating_pods.as_slice()),
            &ctx.succeeded_indexes,
            ctx.failed_indexes.as_ref(),
            diff,
            ctx.completions(),
        );
        if has_backoff_limit_per_index(&ctx.job) {
            let (now_ready, remaining) = pod_creation_info_for_independent_indexes(
                now,
                &indexes_to_add,
                &ctx.delayed_per_index,
            );
            if now_ready.is_empty() && remaining > 0 {
                ctx.requeue_at(now.plus(remaining));
                return 0;
            }
            indexes_to_add = now_ready;
        }
        diff = len_i32(indexes_to_add.len());
    }
    active += diff;
    let ns = ctx.job.metadata.namespace.clone().unwrap_or_default();
    let namespace_terminating = store
        .get_named(Kind::Namespace, "", &ns)
        .is_some_and(|n| n.meta().deletion_timestamp.is_some());
    if namespace_terminating {
        return active;
    }
    let mut template = spec.template.clone();
    if is_indexed_job(&ctx.job) {
        indexed::add_completion_index_env_variables(&mut template);
    }
    {
        let meta = template.metadata.get_or_insert_with(ObjectMeta::default);
        let fins = meta.finalizers.get_or_insert_with(Vec::new);
        if !fins.iter().any(|f| f == JOB_TRACKING_FINALIZER) {
            fins.push(JOB_TRACKING_FINALIZER.to_string());
        }
    }
    let job_name = ctx.job.metadata.name.clone().unwrap_or_default();
    let mut indexes = indexes_to_add.into_iter();
    for _ in 0..diff {
        let mut t = template.clone();
        let mut generate_name = format!("{job_name}-");
        if let Some(ix) = indexes.next() {
            let meta = t.metadata.get_or_insert_with(ObjectMeta::default);
            meta.annotations
                .get_or_insert_with(BTreeMap::new)
                .insert(JOB_COMPLETION_INDEX_ANNOTATION.to_string(), ix.to_string());
            meta.labels
                .get_or_insert_with(BTreeMap::new)
                .insert(JOB_COMPLETION_INDEX_ANNOTATION.to_string(), ix.to_string());
            if let Some(ps) = t.spec.as_mut() {
                ps.hostname = Some(format!("{job_name}-{ix}"));
            }
            generate_name = indexed::pod_generate_name_with_index(&job_name, ix);
            if has_backoff_limit_per_index(&ctx.job) {
                let (failures, ignored) =
                    indexed::new_index_failure_counts(&ctx.job, ctx.delayed_per_index.get(&ix));
                let ann = meta.annotations.get_or_insert_with(BTreeMap::new);
                ann.insert(
                    JOB_INDEX_FAILURE_COUNT_ANNOTATION.to_string(),
                    failures.to_string(),
                );
                if ignored > 0 {
                    ann.insert(
                        JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION.to_string(),
                        ignored.to_string(),
                    );
                }
            }
        }
        ctx.creates
            .push(pod_from_template(&ctx.job, t, &ns, generate_name));
    }
    active
}

/// `getPodCreationInfoForIndependentIndexes`: the indexes whose back-off (from the failed pod
/// awaiting replacement) is over, or, when none is, the shortest remaining back-off.
fn pod_creation_info_for_independent_indexes(
    now: SimTime,
    indexes_to_add: &[i32],
    delayed_per_index: &BTreeMap<i32, Pod>,
) -> (Vec<i32>, u64) {
    let mut now_ready = Vec::new();
    let mut min_remaining: Option<u64> = None;
    for &ix in indexes_to_add {
        let remaining = backoff::remaining_per_index(now, delayed_per_index.get(&ix));
        if remaining == 0 {
            now_ready.push(ix);
        } else if min_remaining.is_none_or(|m| remaining < m) {
            min_remaining = Some(remaining);
        }
    }
    if !now_ready.is_empty() {
        return (now_ready, 0);
    }
    (now_ready, min_remaining.unwrap_or(0))
}

/// `controller.GetPodFromTemplate` with the Job's controller reference.
fn pod_from_template(job: &Job, template: PodTemplateSpec, ns: &str, generate_name: String) -> Pod {
    let tm = template.metadata.unwrap_or_default();
    Pod {
        metadata: ObjectMeta {
            generate_name: Some(generate_name),
            namespace: Some(ns.to_string()),
            labels: tm.labels,
            annotations: tm.annotations,
            finalizers: tm.finalizers,
            owner_references: Some(vec![controller_ref_of(job)]),
            ..Default::default()
        },
        spec: template.spec,
        status: None,
    }
}

/// `canRemoveFinalizer`.
fn can_remove_finalizer(ctx: &JobCtx<'_>, pod: &Pod, consider_failed: bool) -> bool {
    if ctx.job.metadata.deletion_timestamp.is_some()
        || ctx.finished_condition.is_some()
        || pod_phase(pod) == "Succeeded"
    {
        return true;
    }
    if !consider_failed {
        return false;
    }
    if has_backoff_limit_per_index(&ctx.job) {
        if let Some(ix) = completion_index(pod) {
            if ctx
                .delayed_per_index
                .get(&ix)
                .is_some_and(|d| pod_uid(d) == pod_uid(pod))
            {
                return false;
            }
        }
    }
    true
}

/// `cleanUncountedPodsWithoutFinalizers`: UIDs whose pods no longer carry the finalizer move from
/// `uncountedTerminatedPods` into the counters.
fn clean_uncounted(status: &mut JobStatus, with_finalizer: &BTreeSet<String>) -> bool {
    let mut updated = false;
    let unc = status
        .uncounted_terminated_pods
        .get_or_insert_with(UncountedTerminatedPods::default);
    let mut moved_succeeded = 0;
    let mut moved_failed = 0;
    if let Some(list) = unc.succeeded.as_mut() {
        let before = list.len();
        list.retain(|u| with_finalizer.contains(u));
        moved_succeeded = len_i32(before - list.len());
        if list.is_empty() {
            unc.succeeded = None;
        }
    }
    if let Some(list) = unc.failed.as_mut() {
        let before = list.len();
        list.retain(|u| with_finalizer.contains(u));
        moved_failed = len_i32(before - list.len());
        if list.is_empty() {
            unc.failed = None;
        }
    }
    if moved_succeeded > 0 {
        updated = true;
        status.succeeded = non_zero(status.succeeded.unwrap_or(0) + moved_succeeded);
    }
    if moved_failed > 0 {
        updated = true;
        status.failed = non_zero(status.failed.unwrap_or(0) + moved_failed);
    }
    updated
}

/// `trackJobStatusAndRemoveFinalizers` with `flushUncountedAndRemoveFinalizers` and
/// `enactJobFinished`. Returns true when the stored back-off record must be kept (nothing was
/// flushed, so the new record is not committed).
fn track_job_status_and_remove_finalizers(ctx: &mut JobCtx<'_>, mut needs_flush: bool) -> bool {
    let now = ctx.now;
    let indexed = is_indexed_job(&ctx.job);
    let completions = ctx.completions();
    // Copied out of the context for the loop (which only reads the context) and put back after.
    let mut pods = ctx.pods.clone();
    if indexed {
        pods.sort_by(|a, b| indexed::by_completion_index(a, b));
    }
    let mut with_finalizer: BTreeSet<String> = pods
        .iter()
        .filter(|p| has_job_tracking_finalizer(p) && !ctx.finalizer_removed.contains(pod_uid(p)))
        .map(|p| pod_uid(p).to_string())
        .collect();
    if clean_uncounted(ctx.status(), &with_finalizer) {
        needs_flush = true;
    }
    let mut unc = ctx
        .status()
        .uncounted_terminated_pods
        .clone()
        .unwrap_or_default();
    let mut unc_succeeded = unc.succeeded.take().unwrap_or_default();
    let mut unc_failed = unc.failed.take().unwrap_or_default();
    let mut to_remove: Vec<&Pod> = Vec::new();
    let mut new_succeeded_indexes: Vec<i32> = Vec::new();
    let mut reached_max = false;
    let policy = ctx.spec().pod_failure_policy.clone();
    let finishing_with_failure = ctx
        .finished_condition
        .as_ref()
        .is_some_and(|c| !condition_is(c, JobConditionType::SuccessCriteriaMet));
    for &pod in &pods {
        let uid = pod_uid(pod).to_string();
        if !has_job_tracking_finalizer(pod) || ctx.finalizer_removed.contains(&uid) {
            continue;
        }
        let consider_failed = is_pod_failed(pod, &ctx.job);
        if !can_remove_finalizer(ctx, pod, consider_failed) {
            continue;
        }
        to_remove.push(pod);
        if pod_phase(pod) == "Succeeded" && !ctx.uncounted_failed.contains(&uid) {
            if indexed {
                if let Some(ix) = completion_index(pod) {
                    if ix < completions && !ctx.prev_succeeded_indexes.has(ix) {
                        new_succeeded_indexes.push(ix);
                        needs_flush = true;
                    }
                }
            } else if !ctx.uncounted_succeeded.contains(&uid) {
                needs_flush = true;
                unc_succeeded.push(uid.clone());
            }
        } else if consider_failed || finishing_with_failure {
            // When the Job is finishing with a failure, every pod not yet terminated counts
            // as failed.
            let valid = !indexed || completion_index(pod).is_some_and(|ix| ix < completions);
            if !ctx.uncounted_failed.contains(&uid) && valid {
                let count = policy
                    .as_ref()
                    .is_none_or(|p| match_pod_failure_policy(p, pod).count_failed);
                if count {
                    needs_flush = true;
                    unc_failed.push(uid.clone());
                }
            }
        }
        if new_succeeded_indexes.len() + unc_succeeded.len() + unc_failed.len()
            >= MAX_UNCOUNTED_PODS
        {
            reached_max = true;
            break;
        }
    }
    ctx.pods = pods;
    if indexed {
        crate::engine::sort::sort(&mut new_succeeded_indexes);
        ctx.succeeded_indexes = ctx
            .succeeded_indexes
            .with_ordered_indexes(&new_succeeded_indexes);
        let s = ctx.succeeded_indexes.to_string();
        let total = ctx.succeeded_indexes.total();
        let failed_str = ctx.failed_indexes.as_ref().map(ToString::to_string);
        let st = ctx.status();
        if st.completed_indexes.as_deref().unwrap_or_default() != s {
            needs_flush = true;
        }
        st.succeeded = non_zero(total);
        st.completed_indexes = (!s.is_empty()).then_some(s);
        if st.failed_indexes != failed_str {
            st.failed_indexes = failed_str;
            needs_flush = true;
        }
    }
    {
        let st = ctx.status();
        st.uncounted_terminated_pods = Some(UncountedTerminatedPods {
            succeeded: (!unc_succeeded.is_empty()).then_some(unc_succeeded),
            failed: (!unc_failed.is_empty()).then_some(unc_failed),
        });
    }
    if let Some(fc) = ctx.finished_condition.clone() {
        if condition_is(&fc, JobConditionType::FailureTarget) {
            ctx.status()
                .conditions
                .get_or_insert_with(Vec::new)
                .push(fc.clone());
            needs_flush = true;
            ctx.finished_condition = Some(new_condition(
                JobConditionType::Failed,
                "True",
                fc.reason.as_deref().unwrap_or_default(),
                fc.message.as_deref().unwrap_or_default(),
                now,
            ));
        } else if condition_is(&fc, JobConditionType::SuccessCriteriaMet) {
            if !condition_true(&ctx.job, JobConditionType::SuccessCriteriaMet) {
                ctx.status()
                    .conditions
                    .get_or_insert_with(Vec::new)
                    .push(fc.clone());
                needs_flush = true;
            }
            ctx.finished_condition = Some(new_condition(
                JobConditionType::Complete,
                "True",
                fc.reason.as_deref().unwrap_or_default(),
                fc.message.as_deref().unwrap_or_default(),
                now,
            ));
        }
    }
    // Flush: the back-off record is committed with the first status write.
    let keep_old_backoff = !needs_flush;
    // Remove finalizers (always succeeds here), then move the counted UIDs into the counters.
    for p in &to_remove {
        ctx.strip_finalizer(p);
        with_finalizer.remove(pod_uid(p));
    }
    clean_uncounted(ctx.status(), &with_finalizer);
    let finished = !reached_max && enact_job_finished(ctx);
    if finished {
        if let Some(fc) = ctx.finished_condition.clone() {
            record_job_finished(ctx, &fc);
        }
    }
    keep_old_backoff
}

/// `enactJobFinished`: adds `Complete` / `Failed` once nothing is uncounted or terminating.
fn enact_job_finished(ctx: &mut JobCtx<'_>) -> bool {
    let Some(fc) = ctx.finished_condition.clone() else {
        return false;
    };
    let uncounted = ctx
        .job
        .status
        .as_ref()
        .and_then(|s| s.uncounted_terminated_pods.as_ref())
        .map_or(0, |u| {
            u.succeeded.as_ref().map_or(0, Vec::len) + u.failed.as_ref().map_or(0, Vec::len)
        });
    if uncounted > 0 || ctx.terminating > 0 {
        return false;
    }
    let now = ctx.now;
    let t = if fc.type_ == JobConditionType::Complete.as_str() {
        JobConditionType::Complete
    } else {
        JobConditionType::Failed
    };
    let st = ctx.status();
    ensure_condition(
        st.conditions.get_or_insert_with(Vec::new),
        t,
        &fc.status,
        fc.reason.as_deref().unwrap_or_default(),
        fc.message.as_deref().unwrap_or_default(),
        now,
    );
    if t == JobConditionType::Complete {
        st.completion_time = fc.last_transition_time.clone();
    }
    true
}

/// `recordJobFinished`: the events of a finished Job.
fn record_job_finished(ctx: &mut JobCtx<'_>, fc: &JobCondition) {
    if fc.type_ == JobConditionType::Complete.as_str() {
        let succeeded = ctx
            .job
            .status
            .as_ref()
            .and_then(|s| s.succeeded)
            .unwrap_or(0);
        if ctx.spec().completions.is_some_and(|c| succeeded > c) {
            ctx.event(
                EventType::Warning,
                "TooManySucceededPods",
                "Too many succeeded pods running after completion count reached",
            );
        }
        ctx.event(EventType::Normal, "Completed", "Job completed");
    } else {
        let reason = fc.reason.clone().unwrap_or_default();
        let message = fc.message.clone().unwrap_or_default();
        ctx.event(EventType::Warning, &reason, &message);
    }
}
