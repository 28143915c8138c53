//! Indexed Jobs: `pkg/controller/job/indexed_job_utils.go` — the interval lists behind
//! `status.completedIndexes` / `status.failedIndexes` / `successPolicy.rules[].succeededIndexes`,
//! the completion index of a pod, the lowest pending indexes, duplicate-index removal and the
//! per-index failure-count annotations of `backoffLimitPerIndex`.
//!
//! Simplification: Go's `sort.Sort(byCompletionIndex)` is not stable; here ties are broken by
//! creation time, then name, so every run picks the same pod.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{
    Container, EnvVar, EnvVarSource, ObjectFieldSelector, Pod, PodTemplateSpec,
};

use crate::engine::api::job::{
    JOB_COMPLETION_INDEX_ANNOTATION, JOB_INDEX_FAILURE_COUNT_ANNOTATION,
    JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
};

use super::backoff::finished_time;
use super::pod_failure_policy::{match_pod_failure_policy, PodFailurePolicyAction};
use super::{
    active_pods_cmp, has_job_tracking_finalizer, is_pod_failed, pod_name, pod_uid, spec_of,
};

/// The environment variable every container of an Indexed Job pod gets.
pub const COMPLETION_INDEX_ENV_NAME: &str = "JOB_COMPLETION_INDEX";

/// `MaxGeneratedNameLength` of the API server's name generator: 63 minus the 5 random characters.
const MAX_GENERATED_NAME_LENGTH: usize = 58;

/// A closed range of indexes `first..=last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    /// First index in the run.
    pub first: i32,
    /// Last index in the run (inclusive).
    pub last: i32,
}

/// Sorted, non-overlapping, non-adjacent intervals (`orderedIntervals`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderedIntervals(pub Vec<Interval>);

impl OrderedIntervals {
    /// `parseIndexesFromString`: reads `"1,3-5"`; corrupt parts are skipped, indexes at or above
    /// `completions` are dropped (a range is cut at `completions - 1`).
    pub fn parse(s: &str, completions: i32) -> Self {
        let mut result: Vec<Interval> = Vec::new();
        if s.is_empty() {
            return OrderedIntervals(result);
        }
        for part in s.split(',') {
            let mut limits = part.split('-');
            let Some(Ok(first)) = limits.next().map(str::parse::<i32>) else {
                continue;
            };
            if first >= completions {
                break;
            }
            let last = match limits.next() {
                Some(l) => match l.parse::<i32>() {
                    Ok(l) => l.min(completions - 1),
                    Err(_) => continue,
                },
                None => first,
            };
            match result.last_mut() {
                Some(prev) if prev.last == first - 1 => prev.last = last,
                _ => result.push(Interval { first, last }),
            }
        }
        OrderedIntervals(result)
    }

    /// `withOrderedIndexes`: these intervals plus `new_indexes` (given in increasing order).
    pub fn with_ordered_indexes(&self, new_indexes: &[i32]) -> Self {
        let other = OrderedIntervals(
            new_indexes
                .iter()
                .map(|&i| Interval { first: i, last: i })
                .collect(),
        );
        self.merge(&other)
    }

    /// `merge`: the union of two ordered interval lists, adjacent runs joined.
    pub fn merge(&self, other: &OrderedIntervals) -> Self {
        let mut result: Vec<Interval> = Vec::new();
        let mut push = |iv: Interval| match result.last_mut() {
            Some(last) if iv.first <= last.last + 1 => {
                if last.last < iv.last {
                    last.last = iv.last;
                }
            }
            _ => result.push(iv),
        };
        let (mut a, mut b) = (self.0.iter().peekable(), other.0.iter().peekable());
        loop {
            match (a.peek(), b.peek()) {
                (Some(x), Some(y)) => {
                    if x.first < y.first {
                        push(**x);
                        a.next();
                    } else {
                        push(**y);
                        b.next();
                    }
                }
                (Some(x), None) => {
                    push(**x);
                    a.next();
                }
                (None, Some(y)) => {
                    push(**y);
                    b.next();
                }
                (None, None) => break,
            }
        }
        OrderedIntervals(result)
    }

    /// Number of indexes covered.
    pub fn total(&self) -> i32 {
        self.0.iter().map(|iv| iv.last - iv.first + 1).sum()
    }

    /// Whether `ix` is covered.
    pub fn has(&self, ix: i32) -> bool {
        self.0.iter().any(|iv| iv.first <= ix && ix <= iv.last)
    }

    /// True if no index is covered.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for OrderedIntervals {
    /// Runs of three or more are written `a-b`, two consecutive indexes `a,b`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, iv) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str(",")?;
            }
            write!(f, "{}", iv.first)?;
            if iv.last > iv.first {
                let sep = if iv.last == iv.first + 1 { ',' } else { '-' };
                write!(f, "{sep}{}", iv.last)?;
            }
        }
        Ok(())
    }
}

/// `getCompletionIndex`: the pod's `batch.kubernetes.io/job-completion-index` annotation, if it
/// is a non-negative integer.
pub fn completion_index(pod: &Pod) -> Option<i32> {
    pod.metadata
        .annotations
        .as_ref()?
        .get(JOB_COMPLETION_INDEX_ANNOTATION)?
        .parse::<i32>()
        .ok()
        .filter(|i| *i >= 0)
}

/// `byCompletionIndex` with a full tie-break: pods without an index first.
pub fn by_completion_index(a: &Pod, b: &Pod) -> Ordering {
    completion_index(a)
        .cmp(&completion_index(b))
        .then_with(|| super::creation_millis(a).cmp(&super::creation_millis(b)))
        .then_with(|| pod_name(a).cmp(pod_name(b)))
}

/// The indexes of `pods` that have one.
pub fn indexes_of<'a>(pods: impl IntoIterator<Item = &'a Pod>) -> BTreeSet<i32> {
    pods.into_iter().filter_map(completion_index).collect()
}

/// `calculateSucceededIndexes`: the indexes recorded in `status.completedIndexes`, and those plus
/// the indexes of succeeded pods that still carry the tracking finalizer.
pub fn calculate_succeeded_indexes(
    job: &Job,
    pods: &[&Pod],
) -> (OrderedIntervals, OrderedIntervals) {
    let completions = spec_of(job).completions.unwrap_or(0);
    let completed = job
        .status
        .as_ref()
        .and_then(|s| s.completed_indexes.as_deref())
        .unwrap_or_default();
    let prev = OrderedIntervals::parse(completed, completions);
    let new: BTreeSet<i32> = pods
        .iter()
        .copied()
        .filter(|p| super::pod_phase(p) == "Succeeded" && has_job_tracking_finalizer(p))
        .filter_map(completion_index)
        .filter(|ix| *ix < completions)
        .collect();
    let new: Vec<i32> = new.into_iter().collect();
    let result = prev.with_ordered_indexes(&new);
    (prev, result)
}

/// `calculateFailedIndexes`: `status.failedIndexes` plus the indexes whose newest failed pod (still
/// carrying the finalizer) exhausted `backoffLimitPerIndex` or matched a `FailIndex` rule.
pub fn calculate_failed_indexes(job: &Job, pods: &[&Pod]) -> OrderedIntervals {
    let completions = spec_of(job).completions.unwrap_or(0);
    let prev = job
        .status
        .as_ref()
        .and_then(|s| s.failed_indexes.as_deref())
        .map(|s| OrderedIntervals::parse(s, completions))
        .unwrap_or_default();
    let new: BTreeSet<i32> = pods
        .iter()
        .copied()
        .filter(|p| has_job_tracking_finalizer(p) && is_index_failed(job, p))
        .filter_map(completion_index)
        .filter(|ix| *ix < completions)
        .collect();
    let new: Vec<i32> = new.into_iter().collect();
    prev.with_ordered_indexes(&new)
}

/// `isIndexFailed`.
pub(crate) fn is_index_failed(job: &Job, pod: &Pod) -> bool {
    let spec = spec_of(job);
    let mut counted = false;
    if is_pod_failed(pod, job) {
        if let Some(policy) = spec.pod_failure_policy.as_ref() {
            let m = match_pod_failure_policy(policy, pod);
            if m.action == Some(PodFailurePolicyAction::FailIndex) {
                return true;
            }
            counted = m.count_failed;
        } else {
            counted = true;
        }
    }
    counted && index_failure_count(pod) >= spec.backoff_limit_per_index.unwrap_or(i32::MAX)
}

/// `firstPendingIndexes`: up to `count` indexes below `completions` that no active pod holds and
/// that have not succeeded or failed (nor, with `podReplacementPolicy: Failed`, are held by a
/// terminating pod), lowest first.
pub fn first_pending_indexes<P: Borrow<Pod>>(
    active: &[P],
    terminating: Option<&[P]>,
    succeeded: &OrderedIntervals,
    failed: Option<&OrderedIntervals>,
    count: i32,
    completions: i32,
) -> Vec<i32> {
    let mut result = Vec::new();
    if count <= 0 {
        return result;
    }
    let active: Vec<i32> = indexes_of(active.iter().map(Borrow::borrow))
        .into_iter()
        .collect();
    let mut non_pending = succeeded.with_ordered_indexes(&active);
    if let Some(terminating) = terminating {
        let t: Vec<i32> = indexes_of(terminating.iter().map(Borrow::borrow))
            .into_iter()
            .collect();
        non_pending = non_pending.with_ordered_indexes(&t);
    }
    if let Some(failed) = failed {
        non_pending = non_pending.merge(failed);
    }
    let want = usize::try_from(count).unwrap_or(0);
    let mut candidate = 0;
    for iv in &non_pending.0 {
        while candidate < completions && result.len() < want && candidate < iv.first {
            result.push(candidate);
            candidate += 1;
        }
        if candidate < iv.last + 1 {
            candidate = iv.last + 1;
        }
    }
    while candidate < completions && result.len() < want {
        result.push(candidate);
        candidate += 1;
    }
    result
}

/// `appendDuplicatedIndexPodsForRemoval`: splits active pods into those to remove (no index,
/// index out of range, or all but the most advanced pod of a repeated index) and those left.
pub fn duplicated_index_pods_for_removal<'a>(
    pods: &[&'a Pod],
    completions: i32,
) -> (Vec<&'a Pod>, Vec<&'a Pod>) {
    let mut sorted = pods.to_vec();
    crate::engine::sort::sort_by(&mut sorted, |a, b| by_completion_index(a, b));
    let mut groups: BTreeMap<Option<i32>, Vec<&Pod>> = BTreeMap::new();
    for p in sorted {
        groups.entry(completion_index(p)).or_default().push(p);
    }
    let (mut rm, mut left) = (Vec::new(), Vec::new());
    for (ix, mut group) in groups {
        match ix {
            Some(ix) if ix < completions => {
                // The last pod after sorting by deletion preference is the one to keep.
                crate::engine::sort::sort_by(&mut group, |a, b| active_pods_cmp(a, b));
                if let Some(keep) = group.pop() {
                    rm.extend(group);
                    left.push(keep);
                }
            }
            _ => rm.extend(group),
        }
    }
    (rm, left)
}

/// `getPodsWithDelayedDeletionPerIndex`: for each index with no active pod that has neither
/// succeeded nor failed, the newest failed pod whose finalizer removal waits until its
/// replacement (which inherits its failure count) exists.
pub fn pods_with_delayed_deletion_per_index(
    job: &Job,
    pods: &[&Pod],
    active: &[&Pod],
    succeeded: &OrderedIntervals,
    failed: Option<&OrderedIntervals>,
) -> BTreeMap<i32, Pod> {
    let completions = spec_of(job).completions.unwrap_or(0);
    let active_indexes = indexes_of(active.iter().copied());
    let mut result: BTreeMap<i32, Pod> = BTreeMap::new();
    for &p in pods {
        if !has_job_tracking_finalizer(p) || !is_pod_failed(p, job) {
            continue;
        }
        let Some(ix) = completion_index(p).filter(|ix| *ix < completions) else {
            continue;
        };
        if succeeded.has(ix) || failed.is_some_and(|f| f.has(ix)) || active_indexes.contains(&ix) {
            continue;
        }
        match result.get(&ix) {
            Some(last)
                if !(index_absolute_failure_count(last) <= index_absolute_failure_count(p)
                    && finished_time(p) >= finished_time(last)) => {}
            _ => {
                result.insert(ix, p.clone());
            }
        }
    }
    result
}

fn parse_count(pod: &Pod, key: &str) -> i32 {
    pod.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(key))
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|v| (0..=i64::from(i32::MAX)).contains(v))
        .and_then(|v| i32::try_from(v).ok())
        .unwrap_or(0)
}

/// `getIndexFailureCount`: the `job-index-failure-count` annotation (0 if absent or corrupt).
pub fn index_failure_count(pod: &Pod) -> i32 {
    parse_count(pod, JOB_INDEX_FAILURE_COUNT_ANNOTATION)
}

/// `getIndexAbsoluteFailureCount`: counted plus ignored failures of the index.
pub fn index_absolute_failure_count(pod: &Pod) -> i32 {
    index_failure_count(pod) + parse_count(pod, JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION)
}

/// `getNewIndexFailureCounts`: the counts a replacement of `replaced` starts with.
pub fn new_index_failure_counts(job: &Job, replaced: Option<&Pod>) -> (i32, i32) {
    let Some(p) = replaced else {
        return (0, 0);
    };
    let mut failures = index_failure_count(p);
    let mut ignored = parse_count(p, JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION);
    match spec_of(job).pod_failure_policy.as_ref() {
        Some(policy) if !match_pod_failure_policy(policy, p).count_failed => ignored += 1,
        _ => failures += 1,
    }
    (failures, ignored)
}

/// `addCompletionIndexEnvVariables`: `JOB_COMPLETION_INDEX` from the index label, in every
/// container and init container that does not define it already.
pub fn add_completion_index_env_variables(template: &mut PodTemplateSpec) {
    let Some(spec) = template.spec.as_mut() else {
        return;
    };
    for c in spec.init_containers.iter_mut().flatten() {
        add_completion_index_env_variable(c);
    }
    for c in spec.containers.iter_mut() {
        add_completion_index_env_variable(c);
    }
}

fn add_completion_index_env_variable(c: &mut Container) {
    let env = c.env.get_or_insert_with(Vec::new);
    if env.iter().any(|v| v.name == COMPLETION_INDEX_ENV_NAME) {
        return;
    }
    env.push(EnvVar {
        name: COMPLETION_INDEX_ENV_NAME.to_string(),
        value: None,
        value_from: Some(EnvVarSource {
            // `apiVersion: v1` is the API server's default for a fieldRef (the stored pod shows
            // it); set here because pods are created from this template as stored.
            field_ref: Some(ObjectFieldSelector {
                api_version: Some("v1".to_string()),
                field_path: format!("metadata.labels['{JOB_COMPLETION_INDEX_ANNOTATION}']"),
            }),
            ..Default::default()
        }),
    });
}

/// `podGenerateNameWithIndex`: `<job>-<index>-`, the job name cut so the prefix fits.
pub fn pod_generate_name_with_index(job_name: &str, index: i32) -> String {
    let suffix = format!("-{index}-");
    let prefix = format!("{job_name}{suffix}");
    if prefix.len() <= MAX_GENERATED_NAME_LENGTH {
        return prefix;
    }
    let keep = MAX_GENERATED_NAME_LENGTH.saturating_sub(suffix.len());
    let cut: String = job_name.chars().take(keep).collect();
    format!("{cut}{suffix}")
}

/// The uids of `pods` (for set membership tests).
pub fn uids(pods: &[Pod]) -> BTreeSet<String> {
    pods.iter().map(|p| pod_uid(p).to_string()).collect()
}
