//! Helper tables of `pkg/controller/job`, case by case under upstream's names:
//! `backoff_utils_test.go` (`TestNewBackoffRecord`, `TestGetFinishedTime`,
//! `TestGetRemainingBackoffTime`, `TestGetRemainingBackoffTimePerIndex`), `indexed_job_utils_test.go`
//! (`TestCalculateSucceededIndexes`, `TestIsIndexFailed`, `TestCalculateFailedIndexes`,
//! `TestGetPodsWithDelayedDeletionPerIndex`, `TestGetNewIndexFailureCountValue`,
//! `TestIntervalsHaveIndex`, `TestFirstPendingIndexes`, `TestAppendDuplicatedIndexPodsForRemoval`,
//! `TestPodGenerateNameWithIndex`, `TestGetIndexFailureCount`) and the helper tests of
//! `job_controller_test.go` (`TestEnsureJobConditions`,
//! `TestGetPodCreationInfoForIndependentIndexes`, `TestGetPodsForJob`, `TestSyncOrphanPod`,
//! `TestGetNewFinshedPods`, `TestJobBackoffForOnFailure`, `TestJobBackoffOnRestartPolicyNever`).
//!
//! Cases about finalizer-removal expectations (`expectedRmFinalizers`) are left out: the
//! simulation applies every write before the next sync, so those expectations are always met.

use k8s_openapi::api::core::v1::{ContainerStateRunning, PodSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;

use super::super::backoff::{finished_time, remaining_for_failures_with, remaining_per_index_with};
use super::super::indexed::{
    calculate_failed_indexes, calculate_succeeded_indexes, duplicated_index_pods_for_removal,
    index_failure_count, is_index_failed, new_index_failure_counts, pod_generate_name_with_index,
    pods_with_delayed_deletion_per_index, Interval,
};
use super::*;

const SEC: u64 = 1000;

/// upstream `buildPod()`: a bare pod (no phase, no finalizer, no owner).
struct HP(Pod);

fn hp(uid: &str) -> HP {
    HP(Pod {
        metadata: ObjectMeta {
            name: Some(uid.to_string()),
            namespace: Some(NS.to_string()),
            uid: Some(uid.to_string()),
            ..Default::default()
        },
        spec: None,
        status: Some(PodStatus::default()),
    })
}

impl HP {
    fn phase(mut self, p: &str) -> Self {
        if let Some(s) = self.0.status.as_mut() {
            s.phase = Some(p.into());
        }
        self
    }
    fn ann(mut self, k: &str, v: &str) -> Self {
        self.0
            .metadata
            .annotations
            .get_or_insert_with(BTreeMap::new)
            .insert(k.into(), v.into());
        self
    }
    fn index(self, ix: &str) -> Self {
        if ix == "-" {
            return self;
        }
        self.ann(JOB_COMPLETION_INDEX_ANNOTATION, ix)
    }
    fn failure_count(self, n: &str) -> Self {
        self.ann(JOB_INDEX_FAILURE_COUNT_ANNOTATION, n)
    }
    fn ignored_count(self, n: &str) -> Self {
        self.ann(JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION, n)
    }
    fn finalizer(mut self) -> Self {
        self.0.metadata.finalizers = Some(vec![JOB_TRACKING_FINALIZER.to_string()]);
        self
    }
    fn deletion(mut self, at: SimTime) -> Self {
        self.0.metadata.deletion_timestamp = Some(at.to_k8s());
        self
    }
    fn exit_code(mut self, code: i32) -> Self {
        if let Some(s) = self.0.status.as_mut() {
            s.container_statuses = Some(vec![ContainerStatus {
                state: Some(ContainerState {
                    terminated: Some(ContainerStateTerminated {
                        exit_code: code,
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            }]);
        }
        self
    }
    fn pod_condition(mut self, type_: &str, status: &str) -> Self {
        if let Some(s) = self.0.status.as_mut() {
            s.conditions
                .get_or_insert_with(Vec::new)
                .push(PodCondition {
                    type_: type_.into(),
                    status: status.into(),
                    ..Default::default()
                });
        }
        self
    }
}

/// `hollowPodsWithIndexPhase` (with the tracking finalizer when `finalizer`).
fn hollow(descs: &[(&str, &str)], finalizer: bool) -> Vec<Pod> {
    descs
        .iter()
        .enumerate()
        .map(|(i, (ix, phase))| {
            let p = hp(&format!("p{i}")).phase(phase).index(ix);
            if finalizer {
                p.finalizer().0
            } else {
                p.0
            }
        })
        .collect()
}

/// `toIndexPhases`.
fn to_index_phases(pods: &[&Pod]) -> Vec<(String, String)> {
    pods.iter()
        .map(|p| {
            let ix = p
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(JOB_COMPLETION_INDEX_ANNOTATION))
                .cloned()
                .unwrap_or_else(|| "-".to_string());
            (ix, pod_phase(p).to_string())
        })
        .collect()
}

fn ivs(v: &[(i32, i32)]) -> OrderedIntervals {
    OrderedIntervals(
        v.iter()
            .map(|&(first, last)| Interval { first, last })
            .collect(),
    )
}

/// A Job as the helpers read it: only `spec` and `status` matter.
fn bare_job(spec: JobSpec, status: JobStatus) -> Job {
    Job {
        metadata: ObjectMeta::default(),
        spec: Some(spec),
        status: Some(status),
    }
}

fn completions_blpi(completions: i32, blpi: i32) -> JobSpec {
    JobSpec {
        completions: Some(completions),
        backoff_limit_per_index: Some(blpi),
        ..Default::default()
    }
}

// ------------------------------------------------------------------------------------------
// backoff_utils_test.go
// ------------------------------------------------------------------------------------------

#[test]
fn test_new_backoff_record_upstream() {
    let base = SimTime(1_000_000);
    let at = |ms_before: u64| SimTime(base.millis() - ms_before);
    let finished = |phase: &str, t: SimTime, i: usize| {
        let mut p = hp(&format!("{phase}-{i}")).phase(phase).0;
        if let Some(s) = p.status.as_mut() {
            s.container_statuses = Some(vec![ContainerStatus {
                state: Some(ContainerState {
                    terminated: Some(ContainerStateTerminated {
                        finished_at: Some(t.to_k8s()),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            }]);
        }
        p
    };
    let rec = |n: i32, last: Option<SimTime>| BackoffRecord {
        failures_after_last_success: n,
        last_failure_time: last,
    };
    type Case = (
        &'static str,
        BackoffRecord,
        Vec<SimTime>,
        Vec<SimTime>,
        BackoffRecord,
    );
    let cases: Vec<Case> = vec![
        (
            "Empty backoff store and one new failure",
            rec(0, None),
            vec![],
            vec![base],
            rec(1, Some(base)),
        ),
        (
            "Empty backoff store and two new failures",
            rec(0, None),
            vec![],
            vec![base, at(1)],
            rec(2, Some(base)),
        ),
        (
            "Empty backoff store, two failures followed by success",
            rec(0, None),
            vec![base],
            vec![at(2), at(1)],
            rec(0, None),
        ),
        (
            "Empty backoff store, two failures, one success and two more failures",
            rec(0, None),
            vec![at(2)],
            vec![base, at(4), at(3), at(1)],
            rec(2, Some(base)),
        ),
        (
            "Backoff store having failure count 2 and one new failure",
            rec(2, None),
            vec![],
            vec![base],
            rec(3, Some(base)),
        ),
        (
            "Empty backoff store with success and failure at same timestamp",
            rec(0, None),
            vec![base],
            vec![base],
            rec(0, None),
        ),
        (
            "Empty backoff store with no success/failure",
            rec(0, None),
            vec![],
            vec![],
            rec(0, None),
        ),
        (
            "Empty backoff store with one success",
            rec(0, None),
            vec![base],
            vec![],
            rec(0, None),
        ),
    ];
    for (name, prior, succeeded, failed, want) in cases {
        let s: Vec<Pod> = succeeded
            .iter()
            .enumerate()
            .map(|(i, t)| finished("Succeeded", *t, i))
            .collect();
        let f: Vec<Pod> = failed
            .iter()
            .enumerate()
            .map(|(i, t)| finished("Failed", *t, i))
            .collect();
        assert_eq!(prior.updated(&s, &f), want, "{name}");
    }
}

#[test]
fn test_get_finished_time() {
    let base = SimTime(10_000 * SEC);
    let terminated_at = |t: Option<SimTime>| ContainerStatus {
        state: Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                finished_at: t.map(SimTime::to_k8s),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let running = || ContainerStatus {
        state: Some(ContainerState {
            running: Some(ContainerStateRunning::default()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let before = |ms: u64| Some(SimTime(base.millis() - ms));
    let with = |containers: Vec<ContainerStatus>| {
        let mut p = hp("p").0;
        if let Some(s) = p.status.as_mut() {
            s.container_statuses = Some(containers);
        }
        p
    };
    let deleted = |mut p: Pod, grace: Option<i64>| {
        p.metadata.deletion_timestamp = Some(base.to_k8s());
        p.metadata.deletion_grace_period_seconds = grace;
        p
    };
    let ready = |mut p: Pod, status: &str, at: SimTime| {
        if let Some(s) = p.status.as_mut() {
            s.conditions = Some(vec![PodCondition {
                type_: "Ready".into(),
                status: status.into(),
                last_transition_time: Some(at.to_k8s()),
                ..Default::default()
            }]);
        }
        p
    };
    let sidecar = {
        let mut p = with(vec![terminated_at(before(SEC))]);
        p.spec = Some(PodSpec {
            init_containers: Some(vec![Container {
                name: "sidecar".into(),
                restart_policy: Some("Always".into()),
                ..Default::default()
            }]),
            ..Default::default()
        });
        if let Some(s) = p.status.as_mut() {
            let mut cs = terminated_at(Some(base));
            cs.name = "sidecar".into();
            s.init_container_statuses = Some(vec![cs]);
        }
        p
    };
    let created = {
        let mut p = with(vec![terminated_at(None)]);
        p.metadata.creation_timestamp = Some(base.to_k8s());
        p
    };
    let cases = vec![
        (
            "Pod with multiple containers and all containers terminated",
            with(vec![
                terminated_at(before(SEC)),
                terminated_at(Some(base)),
                terminated_at(before(2 * SEC)),
            ]),
            base,
        ),
        (
            "Pod with multiple containers; two containers in terminated state and one in running state; fallback to deletionTimestamp",
            deleted(
                with(vec![
                    terminated_at(before(SEC)),
                    running(),
                    terminated_at(before(2 * SEC)),
                ]),
                None,
            ),
            base,
        ),
        (
            "fallback to deletionTimestamp",
            deleted(with(vec![running()]), None),
            base,
        ),
        (
            "fallback to deletionTimestamp, decremented by grace period",
            deleted(with(vec![running()]), Some(30)),
            SimTime(base.millis() - 30 * SEC),
        ),
        (
            "fallback to PodReady.LastTransitionTime when status of the condition is False",
            ready(with(vec![terminated_at(None)]), "False", base),
            base,
        ),
        (
            "skip fallback to PodReady.LastTransitionTime when status of the condition is True",
            deleted(
                ready(
                    with(vec![terminated_at(None)]),
                    "True",
                    SimTime(base.millis() - 30 * SEC),
                ),
                None,
            ),
            base,
        ),
        ("fallback to creationTimestamp", created, base),
        (
            "Pod with sidecar container and all containers terminated",
            sidecar,
            base,
        ),
    ];
    for (name, pod, want) in cases {
        assert_eq!(finished_time(&pod), want, "{name}");
    }
}

#[test]
fn test_get_remaining_backoff_time() {
    let base = SimTime(10_000 * SEC);
    let (default, max) = (5 * SEC, 700 * SEC);
    let cases = [
        ("no failures", 0, None, base, 0),
        (
            "one failure; current time and failure time are same",
            1,
            Some(base),
            base,
            5,
        ),
        (
            "one failure; current time == 1 second + failure time",
            1,
            Some(base),
            base.plus(SEC),
            4,
        ),
        (
            "one failure; current time == expected backoff time",
            1,
            Some(base),
            base.plus(5 * SEC),
            0,
        ),
        (
            "one failure; current time == expected backoff time + 1 Second",
            1,
            Some(base),
            base.plus(6 * SEC),
            0,
        ),
        (
            "three failures; current time and failure time are same",
            3,
            Some(base),
            base,
            20,
        ),
        (
            "eight failures; current time and failure time are same; backoff not exceeding maxBackoff",
            8,
            Some(base),
            base,
            640,
        ),
        (
            "nine failures; current time and failure time are same; backoff exceeding maxBackoff",
            9,
            Some(base),
            base,
            700,
        ),
    ];
    for (name, failures, last, now, want_secs) in cases {
        let rec = BackoffRecord {
            failures_after_last_success: failures,
            last_failure_time: last,
        };
        assert_eq!(
            remaining_for_failures_with(
                now,
                default,
                max,
                rec.failures_after_last_success,
                rec.last_failure_time
            ),
            want_secs * SEC,
            "{name}"
        );
    }
}

#[test]
fn test_get_remaining_backoff_time_per_index() {
    let base = SimTime(10_000 * SEC);
    let (default, max) = (5 * SEC, 700 * SEC);
    let cases = [
        ("no failures", None, 0),
        (
            "two prev failures; current time and failure time are same",
            Some(hp("p").phase("Failed").failure_count("2").deletion(base).0),
            20,
        ),
        (
            "one prev failure counted and one ignored; current time and failure time are same",
            Some(
                hp("p")
                    .phase("Failed")
                    .failure_count("1")
                    .ignored_count("1")
                    .deletion(base)
                    .0,
            ),
            20,
        ),
    ];
    for (name, pod, want_secs) in cases {
        assert_eq!(
            remaining_per_index_with(base, default, max, pod.as_ref()),
            want_secs * SEC,
            "{name}"
        );
    }
}

// ------------------------------------------------------------------------------------------
// indexed_job_utils_test.go
// ------------------------------------------------------------------------------------------

#[test]
fn test_calculate_succeeded_indexes() {
    type Case<'a> = (
        &'a str,
        &'a str,
        Vec<(&'a str, &'a str)>,
        i32,
        Vec<(i32, i32)>,
        Vec<(i32, i32)>,
    );
    let cases: Vec<Case<'_>> = vec![
        (
            "one index",
            "",
            vec![("1", "Succeeded")],
            2,
            vec![],
            vec![(1, 1)],
        ),
        (
            "two separate",
            "",
            vec![
                ("2", "Failed"),
                ("5", "Succeeded"),
                ("5", "Succeeded"),
                ("10", "Failed"),
                ("10", "Succeeded"),
            ],
            11,
            vec![],
            vec![(5, 5), (10, 10)],
        ),
        (
            "two intervals",
            "",
            vec![
                ("0", "Running"),
                ("1", "Pending"),
                ("2", "Succeeded"),
                ("3", "Succeeded"),
                ("5", "Succeeded"),
                ("6", "Succeeded"),
                ("7", "Succeeded"),
            ],
            8,
            vec![],
            vec![(2, 3), (5, 7)],
        ),
        (
            "one index and one interval",
            "",
            vec![
                ("0", "Succeeded"),
                ("1", "Failed"),
                ("2", "Succeeded"),
                ("3", "Succeeded"),
                ("4", "Succeeded"),
                ("5", "Succeeded"),
                ("-", "Succeeded"),
                ("-2", "Succeeded"),
            ],
            6,
            vec![],
            vec![(0, 0), (2, 5)],
        ),
        (
            "out of range",
            "",
            vec![
                ("0", "Succeeded"),
                ("1", "Succeeded"),
                ("2", "Succeeded"),
                ("3", "Failed"),
                ("4", "Succeeded"),
                ("5", "Succeeded"),
                ("-", "Succeeded"),
                ("-2", "Succeeded"),
            ],
            5,
            vec![],
            vec![(0, 2), (4, 4)],
        ),
        (
            "prev interval out of range",
            "0-5,8-10",
            vec![],
            8,
            vec![(0, 5)],
            vec![(0, 5)],
        ),
        (
            "prev interval partially out of range",
            "0-5,8-10",
            vec![],
            10,
            vec![(0, 5), (8, 9)],
            vec![(0, 5), (8, 9)],
        ),
        (
            "prev and new separate",
            "0,4,5,10-12",
            vec![("2", "Succeeded"), ("7", "Succeeded"), ("8", "Succeeded")],
            13,
            vec![(0, 0), (4, 5), (10, 12)],
            vec![(0, 0), (2, 2), (4, 5), (7, 8), (10, 12)],
        ),
        (
            "prev between new",
            "3,4,6",
            vec![("2", "Succeeded"), ("7", "Succeeded"), ("8", "Succeeded")],
            9,
            vec![(3, 4), (6, 6)],
            vec![(2, 4), (6, 8)],
        ),
        (
            "new between prev",
            "2,7,8",
            vec![("3", "Succeeded"), ("4", "Succeeded"), ("6", "Succeeded")],
            9,
            vec![(2, 2), (7, 8)],
            vec![(2, 4), (6, 8)],
        ),
        (
            "new within prev",
            "2-7",
            vec![
                ("0", "Succeeded"),
                ("3", "Succeeded"),
                ("5", "Succeeded"),
                ("9", "Succeeded"),
            ],
            10,
            vec![(2, 7)],
            vec![(0, 0), (2, 7), (9, 9)],
        ),
        (
            "corrupted interval",
            "0,1-foo,bar",
            vec![("3", "Succeeded")],
            4,
            vec![(0, 0)],
            vec![(0, 0), (3, 3)],
        ),
    ];
    for (name, prev, pods, completions, want_status, want) in cases {
        let job = bare_job(
            JobSpec {
                completions: Some(completions),
                ..Default::default()
            },
            JobStatus {
                completed_indexes: Some(prev.to_string()),
                ..Default::default()
            },
        );
        let pods = hollow(&pods, true);
        let refs: Vec<&Pod> = pods.iter().collect();
        let (got_status, got) = calculate_succeeded_indexes(&job, &refs);
        assert_eq!(got_status, ivs(&want_status), "{name}: from status");
        assert_eq!(got, ivs(&want), "{name}");
    }
}

#[test]
fn test_is_index_failed() {
    let with_fail_index = JobSpec {
        pod_failure_policy: Some(PodFailurePolicy {
            rules: vec![on_exit_codes("FailIndex", "In", &[3], None)],
        }),
        ..completions_blpi(2, 1)
    };
    let cases = [
        (
            "failed pod exceeding backoffLimitPerIndex, when backoffLimitPerIndex=0",
            completions_blpi(2, 0),
            hp("a")
                .failure_count("0")
                .phase("Failed")
                .index("0")
                .finalizer()
                .0,
            true,
        ),
        (
            "failed pod exceeding backoffLimitPerIndex, when backoffLimitPerIndex=1",
            completions_blpi(2, 1),
            hp("a")
                .failure_count("1")
                .phase("Failed")
                .index("1")
                .finalizer()
                .0,
            true,
        ),
        (
            "matching FailIndex pod failure policy",
            with_fail_index,
            hp("a")
                .failure_count("0")
                .phase("Failed")
                .exit_code(3)
                .index("0")
                .finalizer()
                .0,
            true,
        ),
    ];
    for (name, spec, pod, want) in cases {
        let job = bare_job(spec, JobStatus::default());
        assert_eq!(is_index_failed(&job, &pod), want, "{name}");
    }
}

#[test]
fn test_calculate_failed_indexes() {
    let failed = |ix: &str, fin: bool| {
        let p = hp(&format!("p{ix}"))
            .failure_count("0")
            .phase("Failed")
            .index(ix);
        if fin {
            p.finalizer().0
        } else {
            p.0
        }
    };
    let status = |s: Option<&str>| JobStatus {
        failed_indexes: s.map(str::to_string),
        ..Default::default()
    };
    let cases = vec![
        (
            "one new index failed",
            completions_blpi(2, 1),
            status(None),
            vec![
                failed("0", true),
                hp("p1")
                    .failure_count("1")
                    .phase("Failed")
                    .index("1")
                    .finalizer()
                    .0,
            ],
            vec![(1, 1)],
        ),
        (
            "pod without finalizer is ignored",
            completions_blpi(2, 0),
            status(None),
            vec![failed("0", false)],
            vec![],
        ),
        (
            "pod outside completions is ignored",
            completions_blpi(2, 0),
            status(None),
            vec![failed("3", false)],
            vec![],
        ),
        (
            "extend the failed indexes",
            completions_blpi(2, 0),
            status(Some("0")),
            vec![failed("1", true)],
            vec![(0, 1)],
        ),
        (
            "prev failed indexes empty",
            completions_blpi(2, 0),
            status(Some("")),
            vec![failed("1", true)],
            vec![(1, 1)],
        ),
        (
            "prev failed indexes outside the completions",
            completions_blpi(2, 0),
            status(Some("9")),
            vec![failed("1", true)],
            vec![(1, 1)],
        ),
    ];
    for (name, spec, st, pods, want) in cases {
        let job = bare_job(spec, st);
        let refs: Vec<&Pod> = pods.iter().collect();
        assert_eq!(calculate_failed_indexes(&job, &refs), ivs(&want), "{name}");
    }
}

#[test]
fn test_get_pods_with_delayed_deletion_per_index() {
    let now = SimTime(10_000 * SEC);
    let p = |uid: &str, count: &str, phase: &str, ix: &str| {
        hp(uid)
            .failure_count(count)
            .phase(phase)
            .index(ix)
            .finalizer()
    };
    let cases = vec![
        (
            "failed pods are kept corresponding to non-failed indexes are kept",
            completions_blpi(3, 1),
            vec![
                p("a", "0", "Failed", "0").0,
                p("b", "1", "Failed", "1").0,
                p("c", "0", "Failed", "2").0,
            ],
            vec!["a", "c"],
        ),
        (
            "failed pod without finalizer; the pod's deletion is not delayed as it already started",
            completions_blpi(2, 0),
            vec![hp("a").failure_count("0").phase("Failed").index("0").0],
            vec![],
        ),
        (
            "failed pod with index outside of completions; the pod's deletion is not delayed",
            completions_blpi(2, 0),
            vec![p("a", "0", "Failed", "4").0],
            vec![],
        ),
        (
            "failed pod for active index; the pod's deletion is not delayed as it is already replaced",
            completions_blpi(2, 1),
            vec![p("a1", "0", "Failed", "0").0, p("a2", "1", "Running", "0").0],
            vec![],
        ),
        (
            "failed pod for succeeded index; the pod's deletion is not delayed as it is already replaced",
            completions_blpi(2, 1),
            vec![
                p("a1", "0", "Failed", "0").0,
                p("a2", "1", "Succeeded", "0").0,
            ],
            vec![],
        ),
        (
            "multiple failed pods for index with different failure count; only the pod with highest failure count is kept",
            completions_blpi(2, 4),
            vec![
                p("a1", "0", "Failed", "0").0,
                p("a3", "2", "Failed", "0").0,
                p("a2", "1", "Failed", "0").0,
            ],
            vec!["a3"],
        ),
        (
            "multiple failed pods for index with different finish times; only the last failed pod is kept",
            completions_blpi(2, 4),
            vec![
                p("a1", "1", "Failed", "0").deletion(SimTime(now.millis() - SEC)).0,
                p("a3", "1", "Failed", "0").deletion(now).0,
                p("a2", "1", "Failed", "0")
                    .deletion(SimTime(now.millis() - 2 * SEC))
                    .0,
            ],
            vec!["a3"],
        ),
    ];
    for (name, spec, pods, want) in cases {
        let job = bare_job(spec, JobStatus::default());
        let refs: Vec<&Pod> = pods.iter().collect();
        let active: Vec<&Pod> = refs.iter().copied().filter(|p| is_pod_active(p)).collect();
        let failed = calculate_failed_indexes(&job, &refs);
        let (_, succeeded) = calculate_succeeded_indexes(&job, &refs);
        let got =
            pods_with_delayed_deletion_per_index(&job, &refs, &active, &succeeded, Some(&failed));
        let got: BTreeSet<&str> = got.values().map(pod_uid).collect();
        let want: BTreeSet<&str> = want.into_iter().collect();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn test_get_new_index_failure_count_value() {
    let ignore_disruption = JobSpec {
        pod_failure_policy: Some(PodFailurePolicy {
            rules: vec![on_condition("Ignore", "DisruptionTarget")],
        }),
        ..Default::default()
    };
    let cases = vec![
        ("first pod created", JobSpec::default(), None, (0, 0)),
        (
            "failed pod being replaced with 0 index failure count",
            JobSpec::default(),
            Some(
                hp("a")
                    .failure_count("0")
                    .phase("Failed")
                    .index("0")
                    .finalizer()
                    .0,
            ),
            (1, 0),
        ),
        (
            "failed pod being replaced with >0 index failure count",
            JobSpec::default(),
            Some(
                hp("a")
                    .failure_count("3")
                    .phase("Failed")
                    .index("0")
                    .finalizer()
                    .0,
            ),
            (4, 0),
        ),
        (
            "failed pod being replaced, matching the ignore rule",
            ignore_disruption,
            Some(
                hp("a")
                    .failure_count("3")
                    .phase("Failed")
                    .pod_condition("DisruptionTarget", "True")
                    .index("3")
                    .finalizer()
                    .0,
            ),
            (3, 1),
        ),
    ];
    for (name, spec, pod, want) in cases {
        let job = bare_job(spec, JobStatus::default());
        assert_eq!(new_index_failure_counts(&job, pod.as_ref()), want, "{name}");
    }
}

#[test]
fn test_intervals_have_index() {
    let cases = [
        ("empty", vec![], 4, false),
        ("before all", vec![(2, 4), (5, 7)], 1, false),
        ("after all", vec![(2, 4), (6, 8)], 9, false),
        ("in between", vec![(2, 4), (6, 8)], 5, false),
        ("in first", vec![(2, 4), (6, 8)], 2, true),
        ("in second", vec![(2, 4), (6, 8)], 8, true),
    ];
    for (name, intervals, ix, want) in cases {
        assert_eq!(ivs(&intervals).has(ix), want, "{name}");
    }
}

#[test]
fn test_first_pending_indexes_upstream() {
    type Case<'a> = (
        &'a str,
        i32,
        i32,
        Vec<(&'a str, &'a str)>,
        Vec<(i32, i32)>,
        Option<Vec<(i32, i32)>>,
        Vec<i32>,
    );
    let cases: Vec<Case<'_>> = vec![
        (
            "cnt greater than completions",
            5,
            3,
            vec![],
            vec![],
            None,
            vec![0, 1, 2],
        ),
        (
            "cnt less than completions",
            2,
            5,
            vec![],
            vec![],
            None,
            vec![0, 1],
        ),
        (
            "first pods active",
            3,
            10,
            vec![("0", "Running"), ("1", "Pending")],
            vec![],
            None,
            vec![2, 3, 4],
        ),
        (
            "last pods active or succeeded",
            6,
            6,
            vec![("6", "Pending")],
            vec![(4, 5)],
            None,
            vec![0, 1, 2, 3],
        ),
        (
            "mixed",
            5,
            20,
            vec![
                ("3", "Pending"),
                ("5", "Running"),
                ("8", "Pending"),
                ("-", "Running"),
                ("-3", "Running"),
            ],
            vec![(2, 4), (9, 9)],
            None,
            vec![0, 1, 6, 7, 10],
        ),
        (
            "with failed indexes",
            5,
            20,
            vec![("3", "Pending"), ("9", "Pending")],
            vec![(1, 1), (5, 5), (9, 9)],
            Some(vec![(2, 2), (6, 7)]),
            vec![0, 4, 8, 10, 11],
        ),
    ];
    for (name, cnt, completions, active, succeeded, failed, want) in cases {
        let active = hollow(&active, false);
        let failed = failed.map(|f| ivs(&f));
        let got = first_pending_indexes(
            &active,
            None,
            &ivs(&succeeded),
            failed.as_ref(),
            cnt,
            completions,
        );
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn test_append_duplicated_index_pods_for_removal() {
    type Case<'a> = (
        &'a str,
        Vec<(&'a str, &'a str)>,
        Vec<(&'a str, &'a str)>,
        Vec<(&'a str, &'a str)>,
        i32,
    );
    let cases: Vec<Case<'_>> = vec![
        (
            "all unique",
            vec![
                ("-", "Pending"),
                ("2", "Pending"),
                ("5", "Running"),
                ("6", "Running"),
            ],
            vec![("-", "Pending"), ("6", "Running")],
            vec![("2", "Pending"), ("5", "Running")],
            6,
        ),
        (
            "all with index",
            vec![
                ("5", "Pending"),
                ("0", "Running"),
                ("3", "Pending"),
                ("0", "Running"),
                ("3", "Running"),
                ("0", "Pending"),
                ("6", "Running"),
                ("6", "Pending"),
            ],
            vec![
                ("0", "Pending"),
                ("0", "Running"),
                ("3", "Pending"),
                ("6", "Running"),
                ("6", "Pending"),
            ],
            vec![("0", "Running"), ("3", "Running"), ("5", "Pending")],
            6,
        ),
        (
            "mixed",
            vec![
                ("-", "Pending"),
                ("invalid", "Running"),
                ("-2", "Running"),
                ("0", "Pending"),
                ("1", "Pending"),
                ("1", "Pending"),
                ("1", "Running"),
            ],
            vec![
                ("-", "Pending"),
                ("invalid", "Running"),
                ("-2", "Running"),
                ("1", "Pending"),
                ("1", "Pending"),
            ],
            vec![("0", "Pending"), ("1", "Running")],
            6,
        ),
    ];
    let own = |v: Vec<(&str, &str)>| -> Vec<(String, String)> {
        v.into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    for (name, pods, want_rm, want_left, completions) in cases {
        // Upstream's hollow pods are all alike but for index and phase: name them alike too
        // (in list order), so only the sort keys upstream uses decide.
        let pods: Vec<Pod> = hollow(&pods, false)
            .into_iter()
            .map(|mut p| {
                p.metadata.name = Some("p".into());
                p
            })
            .collect();
        let refs: Vec<&Pod> = pods.iter().collect();
        let (rm, left) = duplicated_index_pods_for_removal(&refs, completions);
        assert_eq!(to_index_phases(&rm), own(want_rm), "{name}: removed");
        assert_eq!(to_index_phases(&left), own(want_left), "{name}: left");
    }
}

#[test]
fn test_pod_generate_name_with_index() {
    let cases = [
        ("short job name", "indexed-job", 1, "indexed-job-1-"),
        (
            "job name exceeds MaxGeneneratedNameLength",
            "hhhhhooooohhhhhooooohhhhhooooohhhhhooooohhhhhooooohhhhhooooohhhhhooooo",
            1,
            "hhhhhooooohhhhhooooohhhhhooooohhhhhooooohhhhhooooohhhhh-1-",
        ),
        (
            "job name with index suffix exceeds MaxGeneratedNameLength",
            "hhhhhooooohhhhhooooohhhhhooooohhhhhooooohhhhhooooohhhhhoo",
            1,
            "hhhhhooooohhhhhooooohhhhhooooohhhhhooooohhhhhooooohhhhh-1-",
        ),
    ];
    for (name, job_name, ix, want) in cases {
        assert_eq!(pod_generate_name_with_index(job_name, ix), want, "{name}");
    }
}

#[test]
fn test_get_index_failure_count() {
    let max = i32::MAX.to_string();
    let too_large = (i64::from(i32::MAX) + 1).to_string();
    let cases = [
        ("no annotation", None, 0),
        ("valid value", Some("2"), 2),
        ("valid maxint32 value", Some(max.as_str()), i32::MAX),
        ("too large value", Some(too_large.as_str()), 0),
        ("negative value", Some("-1"), 0),
        ("invalid int value", Some("xyz"), 0),
    ];
    for (name, v, want) in cases {
        let p = match v {
            Some(v) => hp("p").failure_count(v).0,
            None => hp("p").0,
        };
        assert_eq!(index_failure_count(&p), want, "{name}");
    }
}

// ------------------------------------------------------------------------------------------
// job_controller_test.go helpers
// ------------------------------------------------------------------------------------------

#[test]
fn test_ensure_job_conditions() {
    let now = t(10);
    let cond = |status: &str, reason: &str| {
        new_condition(JobConditionType::Suspended, status, reason, "", now)
    };
    let cases = vec![
        (
            "append true condition",
            vec![],
            "True",
            "foo",
            vec![cond("True", "foo")],
            true,
        ),
        (
            "append false condition",
            vec![],
            "False",
            "foo",
            vec![],
            false,
        ),
        (
            "update true condition reason",
            vec![cond("True", "foo")],
            "True",
            "bar",
            vec![cond("True", "bar")],
            true,
        ),
        (
            "update true condition status",
            vec![cond("True", "foo")],
            "False",
            "foo",
            vec![cond("False", "foo")],
            true,
        ),
        (
            "update false condition status",
            vec![cond("False", "foo")],
            "True",
            "foo",
            vec![cond("True", "foo")],
            true,
        ),
        (
            "condition already exists",
            vec![cond("True", "foo")],
            "True",
            "foo",
            vec![cond("True", "foo")],
            false,
        ),
    ];
    for (name, mut have, status, reason, want, want_update) in cases {
        let updated = ensure_condition(
            &mut have,
            JobConditionType::Suspended,
            status,
            reason,
            "",
            now,
        );
        assert_eq!(updated, want_update, "{name}: updated");
        assert_eq!(have, want, "{name}: list");
    }
}

#[test]
fn test_get_pod_creation_info_for_independent_indexes() {
    let now = SimTime(10_000 * SEC);
    let delayed = |count: &str, ix: Option<&str>, at: SimTime| {
        let p = hp("p").failure_count(count).deletion(at);
        match ix {
            Some(ix) => p.index(ix).0,
            None => p.0,
        }
    };
    let cases = vec![
        ("simple index creation", vec![1, 3], vec![], vec![1, 3], 0),
        (
            "subset of indexes can be recreated now",
            vec![1, 3],
            vec![(1, delayed("0", Some("1"), now))],
            vec![3],
            0,
        ),
        (
            "subset of indexes can be recreated now as the pods failed long time ago",
            vec![1, 3],
            vec![
                (1, delayed("0", None, now)),
                (
                    3,
                    delayed(
                        "0",
                        None,
                        SimTime(now.millis() - backoff::DEFAULT_JOB_POD_FAILURE_BACKOFF),
                    ),
                ),
            ],
            vec![3],
            0,
        ),
        (
            "no indexes can be recreated now, need to wait default pod failure backoff",
            vec![1, 2, 3],
            vec![
                (1, delayed("1", None, now)),
                (2, delayed("0", None, now)),
                (3, delayed("2", None, now)),
            ],
            vec![],
            backoff::DEFAULT_JOB_POD_FAILURE_BACKOFF,
        ),
        (
            "no indexes can be recreated now, need to wait but 1s already passed",
            vec![1, 2, 3],
            vec![
                (1, delayed("1", None, SimTime(now.millis() - SEC))),
                (2, delayed("0", None, SimTime(now.millis() - SEC))),
                (3, delayed("2", None, SimTime(now.millis() - SEC))),
            ],
            vec![],
            backoff::DEFAULT_JOB_POD_FAILURE_BACKOFF - SEC,
        ),
    ];
    for (name, to_add, delayed, want, want_remaining) in cases {
        let delayed: BTreeMap<i32, Pod> = delayed.into_iter().collect();
        let (got, remaining) = pod_creation_info_for_independent_indexes(now, &to_add, &delayed);
        assert_eq!(got, want, "{name}: indexes");
        assert_eq!(remaining, want_remaining, "{name}: remaining");
    }
}

#[test]
fn test_get_pods_for_job() {
    let test_job = job("test_job").parallelism(1).completions(1).build();
    let other_job = job("other_job").parallelism(1).completions(1).build();
    let of = |j: &Job, name: &str| {
        let mut p = pod(j, name).build();
        p.metadata.finalizers = None;
        p
    };
    let clear_owner = |mut p: Pod| {
        p.metadata.owner_references = None;
        p
    };
    let with_finalizer = |mut p: Pod| {
        p.metadata.finalizers = Some(vec![JOB_TRACKING_FINALIZER.to_string()]);
        p
    };
    let bare = {
        let mut p = of(&test_job, "pod3");
        p.metadata.owner_references = None;
        p.metadata.labels = None;
        p
    };
    let cleared_labels = {
        let mut p = of(&test_job, "pod2");
        p.metadata.labels = None;
        p
    };
    let cases = vec![
        (
            "only matching",
            false,
            vec![
                with_finalizer(of(&test_job, "pod1")),
                of(&other_job, "pod2"),
                bare,
                of(&test_job, "pod4"),
            ],
            vec!["pod1", "pod4"],
            vec!["pod1"],
        ),
        (
            "adopt",
            false,
            vec![
                of(&test_job, "pod1"),
                clear_owner(of(&test_job, "pod2")),
                of(&other_job, "pod3"),
            ],
            vec!["pod1", "pod2"],
            vec!["pod2"],
        ),
        (
            "no adopt when deleting",
            true,
            vec![of(&test_job, "pod1"), clear_owner(of(&test_job, "pod2"))],
            vec!["pod1"],
            vec![],
        ),
        (
            "release",
            false,
            vec![of(&test_job, "pod1"), cleared_labels],
            vec!["pod1"],
            vec![],
        ),
    ];
    for (name, deleting, pods, want, want_finalizer) in cases {
        let mut j = test_job.clone();
        if deleting {
            j.metadata.deletion_timestamp = Some(t(1).to_k8s());
        }
        let mut store = store_with(&j, &pods);
        store.put(Object::Job(other_job.clone()));
        let mut updates = BTreeMap::new();
        let (claimed, adopted) = claim_pods(&j, &store, &BTreeSet::new(), &mut updates);
        let mut adopted = adopted.iter();
        let got: Vec<&Pod> = claimed
            .into_iter()
            .filter_map(|c| c.or_else(|| adopted.next()))
            .collect();
        let mut names: Vec<&str> = got.iter().map(|p| pod_name(p)).collect();
        names.sort_unstable();
        let mut with_fin: Vec<&str> = got
            .iter()
            .filter(|p| has_job_tracking_finalizer(p))
            .map(|p| pod_name(p))
            .collect();
        with_fin.sort_unstable();
        assert_eq!(names, want, "{name}: pods");
        assert_eq!(with_fin, want_finalizer, "{name}: pods with the finalizer");
    }
}

#[test]
fn test_sync_orphan_pod() {
    let owner = |api_version: &str, kind: &str, name: &str, controller: bool| OwnerReference {
        api_version: api_version.into(),
        kind: kind.into(),
        name: name.into(),
        uid: "111".into(),
        controller: controller.then_some(true),
        block_owner_deletion: controller.then_some(true),
    };
    let running_job = {
        let mut j = job("j").parallelism(2).completions(2).build();
        j.metadata.uid = Some("111".into());
        j
    };
    let finished_job = {
        let mut j = job("j")
            .parallelism(2)
            .completions(2)
            .condition("Complete", "True", "")
            .build();
        j.metadata.uid = Some("111".into());
        j
    };
    let cases = vec![
        (
            "controlled_by_existing_running_job",
            Some(owner("batch/v1", "Job", "j", true)),
            Some(running_job.clone()),
            None,
            false,
        ),
        (
            "controlled_by_existing_finished_job",
            Some(owner("batch/v1", "Job", "j", true)),
            Some(finished_job),
            None,
            true,
        ),
        (
            "controlled_by_non_existing_job",
            Some(owner("batch/v1", "Job", "j", true)),
            None,
            None,
            true,
        ),
        (
            "controlled_by_cronjob",
            Some(owner("batch/v1", "CronJob", "cj", true)),
            None,
            None,
            false,
        ),
        ("not_controlled", None, None, None, true),
        (
            "controlled_by_custom_crd",
            Some(owner("example/v1", "Job", "job", true)),
            None,
            None,
            false,
        ),
        (
            "owned_by_existing_running_job",
            Some(owner("batch/v1", "Job", "j", false)),
            Some(running_job),
            None,
            true,
        ),
        (
            "owned_by_custom_crd",
            Some(owner("example/v1", "Job", "job", false)),
            None,
            None,
            true,
        ),
        (
            "orphan_pods_by_label_selector",
            None,
            None,
            Some(("app", "test")),
            true,
        ),
    ];
    for (name, owner, job, labels, want_removed) in cases {
        let mut p = hp(name).deletion(t(1)).finalizer().0;
        p.metadata.owner_references = owner.map(|o| vec![o]);
        if let Some((k, v)) = labels {
            p.metadata.labels = Some(BTreeMap::from([(k.to_string(), v.to_string())]));
        }
        let mut store = Store::new();
        if let Some(j) = job {
            store.put(Object::Job(j));
        }
        store.put(Object::Pod(p));
        let out = sync_orphan_pods(&store);
        let removed = out.actions.iter().any(|a| {
            matches!(a, Action::Update(Object::Pod(p)) if pod_name(p) == name && !has_job_tracking_finalizer(p))
        });
        assert_eq!(removed, want_removed, "{name}");
    }
}

/// `TestGetNewFinshedPods`, read through a sync: the succeeded / failed counts the controller
/// arrives at are the counted ones plus the uncounted plus the new.
#[test]
fn test_get_new_finshed_pods() {
    let p = |uid: &str, phase: &str, fin: bool, deleted: bool| {
        let j = job("foobar").build();
        let mut b = pod(&j, uid).phase(phase);
        b.0.metadata.uid = Some(uid.into());
        if !fin {
            b.0.metadata.finalizers = None;
        }
        if deleted {
            b.0.metadata.deletion_timestamp = Some(t(1).to_k8s());
        }
        b.build()
    };
    let uncounted = |s: &[&str], f: &[&str]| UncountedTerminatedPods {
        succeeded: (!s.is_empty()).then(|| s.iter().map(|u| u.to_string()).collect()),
        failed: (!f.is_empty()).then(|| f.iter().map(|u| u.to_string()).collect()),
    };
    let cases = vec![
        (
            "some counted",
            (2, 1),
            uncounted(&[], &[]),
            vec![
                p("a", "Succeeded", false, false),
                p("b", "Succeeded", true, false),
                p("c", "Succeeded", true, false),
                p("d", "Failed", false, false),
                p("e", "Failed", true, false),
                p("f", "Running", false, false),
            ],
            (4, 2),
        ),
        (
            "some uncounted",
            (1, 1),
            uncounted(&["a", "c"], &["e", "f"]),
            vec![
                p("a", "Succeeded", false, false),
                p("b", "Succeeded", false, false),
                p("c", "Succeeded", true, false),
                p("d", "Succeeded", true, false),
                p("e", "Failed", false, false),
                p("f", "Failed", true, false),
                p("g", "Failed", true, false),
            ],
            (4, 4),
        ),
        (
            "deleted pods",
            (1, 1),
            uncounted(&[], &[]),
            vec![
                p("a", "Succeeded", true, true),
                p("b", "Failed", true, true),
                p("c", "Running", true, true),
                p("d", "Pending", true, true),
                p("e", "Running", false, true),
                p("f", "Pending", false, true),
            ],
            (2, 4),
        ),
    ];
    for (name, (succeeded, failed), unc, pods, (want_s, want_f)) in cases {
        let mut j = job("foobar").build();
        let st = j.status.get_or_insert_with(JobStatus::default);
        st.succeeded = non_zero(succeeded);
        st.failed = non_zero(failed);
        st.uncounted_terminated_pods = Some(unc);
        st.start_time = Some(t(0).to_k8s());
        let store = store_with(&j, &pods);
        let res = sync_job(&j, &store, BackoffRecord::default(), t(100));
        let after = res
            .outcome
            .actions
            .iter()
            .rev()
            .find_map(|a| match a {
                Action::Update(Object::Job(j)) => Some(j.clone()),
                _ => None,
            })
            .unwrap_or(j);
        let st = after.status.unwrap_or_default();
        assert_eq!(st.succeeded.unwrap_or(0), want_s, "{name}: succeeded");
        assert_eq!(st.failed.unwrap_or(0), want_f, "{name}: failed");
    }
}

/// `TestJobBackoffForOnFailure`: `restartPolicy: OnFailure`, the container restarts of running
/// and pending pods against `backoffLimit`. Cases upstream runs only with JobManagedBy and
/// JobPodReplacementPolicy off expect a terminal `Failed` at once; with the 1.34 defaults the
/// deleted pods are still terminating, so the Job carries `FailureTarget` (the value of the
/// upstream "…; JobPodReplacementPolicy enabled" variants).
#[test]
fn test_job_backoff_for_on_failure() {
    let ft = vec![(FT, TRUE, REASON_BACKOFF_LIMIT_EXCEEDED, BLE_MSG)];
    type Case = (
        &'static str,
        i32,
        i32,
        i32,
        bool,
        Vec<i32>,
        &'static str,
        StatusWant,
    );
    let cases: Vec<Case> = vec![
        (
            "backoffLimit 0 should have 1 pod active",
            1, 1, 0, false, vec![0], "Running",
            StatusWant { active: 1, ..Default::default() },
        ),
        (
            "backoffLimit 1 with restartCount 0 should have 1 pod active",
            1, 1, 1, false, vec![0], "Running",
            StatusWant { active: 1, ..Default::default() },
        ),
        (
            "backoffLimit 1 with restartCount 1 and podRunning should have 0 pod active",
            1, 1, 1, false, vec![1], "Running",
            StatusWant { failed: 1, terminating: 1, conditions: ft.clone(), ..Default::default() },
        ),
        (
            "backoffLimit 1 with restartCount 1 and podPending should have 0 pod active",
            1, 1, 1, false, vec![1], "Pending",
            StatusWant { failed: 1, terminating: 1, conditions: ft.clone(), ..Default::default() },
        ),
        (
            "too many job failures with podRunning - single pod",
            1, 5, 2, false, vec![2], "Running",
            StatusWant { failed: 1, terminating: 1, conditions: ft.clone(), ..Default::default() },
        ),
        (
            "too many job failures with podPending - single pod",
            1, 5, 2, false, vec![2], "Pending",
            StatusWant { failed: 1, terminating: 1, conditions: ft.clone(), ..Default::default() },
        ),
        (
            "too many job failures with podRunning - multiple pods; JobPodReplacementPolicy enabled",
            2, 5, 2, false, vec![1, 1], "Running",
            StatusWant { failed: 2, terminating: 2, conditions: ft.clone(), ..Default::default() },
        ),
        (
            "too many job failures with podPending - multiple pods",
            2, 5, 2, false, vec![1, 1], "Pending",
            StatusWant { failed: 2, terminating: 2, conditions: ft.clone(), ..Default::default() },
        ),
        (
            "not enough failures",
            2, 5, 3, false, vec![1, 1], "Running",
            StatusWant { active: 2, ..Default::default() },
        ),
        (
            "suspending a job",
            2, 4, 6, true, vec![1, 1], "Running",
            StatusWant {
                terminating: 2,
                conditions: vec![("Suspended", TRUE, "JobSuspended", "Job suspended")],
                ..Default::default()
            },
        ),
        (
            "finished job; JobManagedBy enabled",
            2, 4, 6, true, vec![1, 1, 2, 0], "Succeeded",
            StatusWant {
                succeeded: 4,
                conditions: vec![
                    (SCM, TRUE, REASON_COMPLETIONS_REACHED, "Reached expected number of succeeded pods"),
                    (COMPLETE, TRUE, REASON_COMPLETIONS_REACHED, "Reached expected number of succeeded pods"),
                ],
                ..Default::default()
            },
        ),
    ];
    for (name, parallelism, completions, limit, suspend, restarts, phase, want) in cases {
        let j = job("foobar")
            .parallelism(parallelism)
            .completions(completions)
            .backoff_limit(limit)
            .restart_policy("OnFailure")
            .suspend(suspend)
            .build();
        let pods: Vec<Pod> = restarts
            .iter()
            .enumerate()
            .map(|(i, r)| pod(&j, &format!("p{i}")).phase(phase).restarts(*r).build())
            .collect();
        check_status_at(status_case(name, j, pods, want), t(100));
    }
}

/// `TestJobBackoffOnRestartPolicyNever`: failed pods (finished long ago) against `backoffLimit`.
#[test]
fn test_job_backoff_on_restart_policy_never() {
    let failed = vec![
        (FT, TRUE, REASON_BACKOFF_LIMIT_EXCEEDED, BLE_MSG),
        (FAILED, TRUE, REASON_BACKOFF_LIMIT_EXCEEDED, BLE_MSG),
    ];
    type Case = (
        &'static str,
        i32,
        i32,
        i32,
        &'static str,
        usize,
        usize,
        StatusWant,
    );
    let cases: Vec<Case> = vec![
        (
            "not enough failures with backoffLimit 0 - single pod",
            1,
            1,
            0,
            "Running",
            1,
            0,
            StatusWant {
                active: 1,
                ..Default::default()
            },
        ),
        (
            "not enough failures with backoffLimit 1 - single pod",
            1,
            1,
            1,
            "",
            0,
            1,
            StatusWant {
                active: 1,
                failed: 1,
                ..Default::default()
            },
        ),
        (
            "too many failures with backoffLimit 1 - single pod",
            1,
            1,
            1,
            "",
            0,
            2,
            StatusWant {
                failed: 2,
                conditions: failed.clone(),
                ..Default::default()
            },
        ),
        (
            "not enough failures with backoffLimit 6 - multiple pods",
            2,
            2,
            6,
            "Running",
            1,
            6,
            StatusWant {
                active: 2,
                failed: 6,
                ..Default::default()
            },
        ),
        (
            "too many failures with backoffLimit 6 - multiple pods",
            2,
            2,
            6,
            "",
            0,
            7,
            StatusWant {
                failed: 7,
                conditions: failed.clone(),
                ..Default::default()
            },
        ),
    ];
    for (name, parallelism, completions, limit, phase, active, n_failed, want) in cases {
        let j = job("foobar")
            .parallelism(parallelism)
            .completions(completions)
            .backoff_limit(limit)
            .build();
        let mut pods = pods(&j, "f", n_failed, |b| b.failed(t(1)));
        pods.extend(super::pods(&j, "a", active, |b| b.phase(phase)));
        check_status_at(status_case(name, j, pods, want), t(10_000));
    }
}

/// `TestTrackJobStatusAndRemoveFinalizers`, read through a whole sync: upstream checks each of
/// the two status writes of the finalizer protocol (record uncounted, then count); here they are
/// one, so the cases whose outcome does not hang on an injected `finishedCondition` are checked
/// on the status the sync ends with.
#[test]
fn test_track_job_status_and_remove_finalizers_final_state() {
    struct C {
        name: &'static str,
        job: Job,
        pods: Vec<Pod>,
        succeeded: i32,
        failed: i32,
        completed_indexes: &'static str,
        uncounted_failed: Vec<&'static str>,
    }
    let p = |uid: &str, phase: &str, fin: bool, ix: Option<&str>| {
        let j = job("foobar").build();
        let mut b = pod(&j, uid).phase(phase);
        b.0.metadata.uid = Some(uid.into());
        if !fin {
            b.0.metadata.finalizers = None;
        }
        if let Some(ix) = ix {
            b = b.index(ix);
        }
        b.build()
    };
    let indexed = |completions: i32, parallelism: i32, st: JobStatus| {
        let mut j = job("foobar")
            .indexed()
            .completions(completions)
            .parallelism(parallelism)
            .build();
        j.status = Some(JobStatus {
            start_time: Some(t(0).to_k8s()),
            ..st
        });
        j
    };
    let cases = vec![
        C {
            name: "indexed job prev successful pods outside current completions index range with no new succeeded pods",
            job: indexed(2, 2, JobStatus {
                active: Some(2),
                succeeded: Some(1),
                completed_indexes: Some("3".into()),
                ..Default::default()
            }),
            pods: vec![
                p("r0", "Running", true, Some("0")),
                p("r1", "Running", true, Some("1")),
            ],
            succeeded: 0,
            failed: 0,
            completed_indexes: "",
            uncounted_failed: vec![],
        },
        C {
            name: "indexed job prev successful pods outside current completions index range with new succeeded pods in range",
            job: indexed(2, 2, JobStatus {
                active: Some(2),
                succeeded: Some(1),
                completed_indexes: Some("3".into()),
                ..Default::default()
            }),
            pods: vec![
                p("r0", "Running", true, Some("0")),
                p("s1", "Succeeded", true, Some("1")),
            ],
            succeeded: 1,
            failed: 0,
            completed_indexes: "1",
            uncounted_failed: vec![],
        },
        C {
            name: "indexed job past and new pods",
            job: indexed(7, 1, JobStatus {
                failed: Some(2),
                succeeded: Some(5),
                completed_indexes: Some("0-2,4,6,7".into()),
                ..Default::default()
            }),
            pods: vec![
                p("s0", "Succeeded", false, Some("0")),
                p("f1", "Failed", false, Some("1")),
                p("s1", "Succeeded", true, Some("1")),
                p("s3", "Succeeded", true, Some("3")),
                p("a", "Failed", true, Some("2")),
                p("b", "Failed", true, Some("5")),
            ],
            succeeded: 6,
            failed: 4,
            completed_indexes: "0-4,6",
            uncounted_failed: vec![],
        },
        C {
            name: "too many indexed finished",
            job: indexed(501, 1, JobStatus::default()),
            pods: (0..501)
                .map(|i| p(&format!("{i:03}"), "Succeeded", true, Some(&i.to_string())))
                .collect(),
            // Upstream's table seeds `succeededIndexes` from the status alone and gets 500 /
            // "0-499". A whole syncJob seeds it from calculateSucceededIndexes, which already
            // holds every succeeded pod's index: the status says 501 while only 500 finalizers
            // go (the last pod's stays until the next sync).
            succeeded: 501,
            failed: 0,
            completed_indexes: "0-500",
            uncounted_failed: vec![],
        },
        C {
            name: "too many finished",
            job: {
                let mut j = job("foobar").build();
                j.status = Some(JobStatus {
                    start_time: Some(t(0).to_k8s()),
                    uncounted_terminated_pods: Some(UncountedTerminatedPods {
                        succeeded: None,
                        failed: Some(vec!["a".into(), "b".into()]),
                    }),
                    ..Default::default()
                });
                j
            },
            pods: {
                let mut ps: Vec<Pod> = (0..500)
                    .map(|i| p(&format!("{i:03}"), "Succeeded", true, None))
                    .collect();
                ps.push(p("b", "Failed", true, None));
                ps
            },
            succeeded: 499,
            failed: 1,
            completed_indexes: "",
            uncounted_failed: vec!["b"],
        },
        C {
            name: "pod flips from failed to succeeded",
            job: {
                let mut j = job("foobar").completions(2).parallelism(2).build();
                j.status = Some(JobStatus {
                    start_time: Some(t(0).to_k8s()),
                    uncounted_terminated_pods: Some(UncountedTerminatedPods {
                        succeeded: None,
                        failed: Some(vec!["a".into(), "b".into()]),
                    }),
                    ..Default::default()
                });
                j
            },
            pods: vec![
                p("a", "Failed", true, None),
                p("b", "Succeeded", true, None),
            ],
            succeeded: 0,
            failed: 2,
            completed_indexes: "",
            uncounted_failed: vec![],
        },
    ];
    for c in cases {
        let name = c.name;
        let store = store_with(&c.job, &c.pods);
        let res = sync_job(&c.job, &store, BackoffRecord::default(), t(100));
        let after = res
            .outcome
            .actions
            .iter()
            .rev()
            .find_map(|a| match a {
                Action::Update(Object::Job(j)) => Some(j.clone()),
                _ => None,
            })
            .unwrap_or(c.job);
        let st = after.status.unwrap_or_default();
        assert_eq!(st.succeeded.unwrap_or(0), c.succeeded, "{name}: succeeded");
        assert_eq!(st.failed.unwrap_or(0), c.failed, "{name}: failed");
        assert_eq!(
            st.completed_indexes.as_deref().unwrap_or_default(),
            c.completed_indexes,
            "{name}: completedIndexes"
        );
        let unc_failed: Vec<&str> = st
            .uncounted_terminated_pods
            .as_ref()
            .and_then(|u| u.failed.as_ref())
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        assert_eq!(unc_failed, c.uncounted_failed, "{name}: uncounted failed");
    }
}

/// `TestSyncJobDeleted`: a Job gone from the store is not synced; nothing is created or deleted.
#[test]
fn test_sync_job_deleted() {
    let mut jc = JobController::default();
    let out = jc.sync(&Store::new(), t(100));
    assert!(out.actions.is_empty(), "{:?}", out.actions);
}
