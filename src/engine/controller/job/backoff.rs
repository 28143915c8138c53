//! Pod-recreation back-off: `pkg/controller/job/backoff_utils.go`. One record per Job (not per
//! pod): how many pods failed since the last success and when the newest of them finished. The
//! delay before creating replacements is `10s × 2^(failures−1)`, capped at 10 minutes.
//!
//! Simplification: records are keyed by the Job's uid rather than its `namespace/name` key, so a
//! Job deleted and re-created under the same name starts fresh even between two syncs.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{ContainerStatus, Pod};

use crate::engine::clock::{Millis, SimTime, MINUTE, SECOND};

use super::{pod_name, ready_condition};

/// `DefaultJobPodFailureBackOff`.
pub const DEFAULT_JOB_POD_FAILURE_BACKOFF: Millis = 10 * SECOND;
/// `MaxJobPodFailureBackOff`.
pub const MAX_JOB_POD_FAILURE_BACKOFF: Millis = 10 * MINUTE;

/// `backoffRecord`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BackoffRecord {
    /// Pods that failed after the newest success.
    pub failures_after_last_success: i32,
    /// Finish time of the newest of those failures.
    pub last_failure_time: Option<SimTime>,
}

impl BackoffRecord {
    /// `newBackoffRecord`: this record updated with the pods that finished since the last sync.
    pub fn updated<P: Borrow<Pod>>(self, new_succeeded: &[P], new_failed: &[P]) -> BackoffRecord {
        let mut succeeded: Vec<&Pod> = new_succeeded.iter().map(Borrow::borrow).collect();
        let mut failed: Vec<&Pod> = new_failed.iter().map(Borrow::borrow).collect();
        crate::engine::sort::sort_by(&mut succeeded, |a, b| by_finished_time(a, b));
        crate::engine::sort::sort_by(&mut failed, |a, b| by_finished_time(a, b));
        let mut rec = self;
        let Some(last_success) = succeeded.last() else {
            if let Some(last) = failed.last() {
                rec.failures_after_last_success += i32::try_from(failed.len()).unwrap_or(0);
                rec.last_failure_time = Some(finished_time(last));
            }
            return rec;
        };
        rec.failures_after_last_success = 0;
        rec.last_failure_time = None;
        let last_success_time = finished_time(last_success);
        for p in failed.iter().rev() {
            let t = finished_time(p);
            if t <= last_success_time {
                break;
            }
            if rec.last_failure_time.is_none() {
                rec.last_failure_time = Some(t);
            }
            rec.failures_after_last_success += 1;
        }
        rec
    }

    /// `getRemainingTime`: how long pod creation must still wait at `now`.
    pub fn remaining(&self, now: SimTime) -> Millis {
        remaining_for_failures(
            now,
            self.failures_after_last_success,
            self.last_failure_time,
        )
    }
}

fn by_finished_time(a: &Pod, b: &Pod) -> Ordering {
    finished_time(a)
        .cmp(&finished_time(b))
        .then_with(|| pod_name(a).cmp(pod_name(b)))
}

/// `getRemainingTimeForFailuresCount` with the controller's default (10s) and maximum (10m)
/// back-off.
pub fn remaining_for_failures(now: SimTime, failures: i32, last: Option<SimTime>) -> Millis {
    remaining_for_failures_with(
        now,
        DEFAULT_JOB_POD_FAILURE_BACKOFF,
        MAX_JOB_POD_FAILURE_BACKOFF,
        failures,
        last,
    )
}

/// `getRemainingTimeForFailuresCount`: `default × 2^(failures−1)`, capped at `max`, minus the
/// time since the last failure.
pub fn remaining_for_failures_with(
    now: SimTime,
    default: Millis,
    max: Millis,
    failures: i32,
    last: Option<SimTime>,
) -> Millis {
    if failures <= 0 {
        return 0;
    }
    let mut delay = default;
    for _ in 1..failures {
        delay = delay.saturating_mul(2);
        if delay >= max {
            delay = max;
            break;
        }
    }
    let elapsed = last.map_or(0, |t| now.since(t));
    delay.saturating_sub(elapsed)
}

/// `getRemainingTimePerIndex`: the back-off of one index, from its newest failed pod.
pub fn remaining_per_index(now: SimTime, last_failed: Option<&Pod>) -> Millis {
    remaining_per_index_with(
        now,
        DEFAULT_JOB_POD_FAILURE_BACKOFF,
        MAX_JOB_POD_FAILURE_BACKOFF,
        last_failed,
    )
}

/// `getRemainingTimePerIndex` with explicit default and maximum back-off.
pub fn remaining_per_index_with(
    now: SimTime,
    default: Millis,
    max: Millis,
    last_failed: Option<&Pod>,
) -> Millis {
    let Some(p) = last_failed else {
        return 0;
    };
    let failures = super::indexed::index_absolute_failure_count(p) + 1;
    remaining_for_failures_with(now, default, max, failures, Some(finished_time(p)))
}

/// `getFinishedTime`: the newest container `finishedAt` if every container terminated; else the
/// `Ready=False` transition; else deletionTimestamp minus the grace period; else creation.
pub fn finished_time(p: &Pod) -> SimTime {
    if let Some(t) = finish_time_from_containers(p) {
        return t;
    }
    if let Some(c) = ready_condition(p) {
        if c.status == "False" {
            if let Some(t) = c.last_transition_time.as_ref() {
                return SimTime::from_k8s(t);
            }
        }
    }
    if let Some(t) = p.metadata.deletion_timestamp.as_ref() {
        let grace = p.metadata.deletion_grace_period_seconds.unwrap_or(0);
        let grace_ms = u64::try_from(grace).unwrap_or(0).saturating_mul(SECOND);
        return SimTime(SimTime::from_k8s(t).millis().saturating_sub(grace_ms));
    }
    super::creation_time(p)
}

/// `getFinishTimeFromContainers`: the newest `finishedAt` of the containers and of the sidecars
/// (init containers with `restartPolicy: Always`, which stop after the regular containers).
/// As upstream, a container that has not terminated voids what came before it, and the sidecars
/// are then looked at on their own.
fn finish_time_from_containers(p: &Pod) -> Option<SimTime> {
    let status = p.status.as_ref()?;
    let latest = latest_finish_time(
        None,
        status.container_statuses.as_deref().unwrap_or_default(),
        |_| true,
    );
    let sidecars: BTreeSet<&str> = p
        .spec
        .as_ref()
        .and_then(|s| s.init_containers.as_ref())
        .into_iter()
        .flatten()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"))
        .map(|c| c.name.as_str())
        .collect();
    latest_finish_time(
        latest,
        status
            .init_container_statuses
            .as_deref()
            .unwrap_or_default(),
        |cs| sidecars.contains(cs.name.as_str()),
    )
}

/// `latestFinishTime`: the newest `finishedAt` of the checked statuses, starting from `prev`;
/// nothing if one of them has not terminated (or has no finish time).
fn latest_finish_time(
    prev: Option<SimTime>,
    statuses: &[ContainerStatus],
    check: impl Fn(&ContainerStatus) -> bool,
) -> Option<SimTime> {
    let mut latest = prev;
    for cs in statuses.iter().filter(|cs| check(cs)) {
        let t = cs
            .state
            .as_ref()?
            .terminated
            .as_ref()?
            .finished_at
            .as_ref()?;
        let t = SimTime::from_k8s(t);
        if latest.is_none_or(|l| l < t) {
            latest = Some(t);
        }
    }
    latest
}
