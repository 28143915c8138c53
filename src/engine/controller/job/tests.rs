//! Table tests mirroring `pkg/controller/job/job_controller_test.go` (`TestControllerSyncJob`,
//! `TestSyncJobPastDeadline`, `TestSyncJobWithJobPodFailurePolicy`,
//! `TestSyncJobWithJobBackoffLimitPerIndex`, `TestSyncJobWithJobSuccessPolicy`, and end to end
//! `TestPastDeadlineJobFinished`, `TestFinalizerCleanup`), the helper tests
//! of `indexed_job_utils_test.go` and `backoff_utils_test.go`, end-to-end runs through
//! [`crate::engine::Cluster`], and a proptest of the controller's invariants.
//!
//! Every controller case applies the first sync's writes to the store and asserts that a second
//! sync of the unchanged cluster yields no actions.

use std::collections::BTreeMap;

use k8s_openapi::api::batch::v1::{
    Job, JobCondition, JobSpec, JobStatus, PodFailurePolicy,
    PodFailurePolicyOnExitCodesRequirement, PodFailurePolicyOnPodConditionsPattern,
    PodFailurePolicyRule, SuccessPolicy, SuccessPolicyRule,
};
use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateTerminated, ContainerStatus, Pod, PodCondition,
    PodSpec, PodStatus, PodTemplateSpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::backoff::{remaining_for_failures, BackoffRecord};
use super::indexed::{first_pending_indexes, OrderedIntervals};
use super::*;
use crate::engine::api::job as api_job;

mod upstream_policies;
mod upstream_utils;

const NS: &str = "default";

fn t(secs: u64) -> SimTime {
    SimTime(secs * 1000)
}

// ------------------------------------------------------------------------------------------
// Fixtures
// ------------------------------------------------------------------------------------------

/// A Job as the API server stores it: defaulted, selector generated.
struct JobB(Job);

fn job(name: &str) -> JobB {
    JobB(Job {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some(NS.to_string()),
            uid: Some(format!("uid-{name}")),
            creation_timestamp: Some(t(0).to_k8s()),
            ..Default::default()
        },
        spec: Some(JobSpec {
            template: PodTemplateSpec {
                metadata: None,
                spec: Some(PodSpec {
                    restart_policy: Some("Never".into()),
                    containers: vec![Container {
                        name: "main".into(),
                        image: Some("busybox".into()),
                        ..Default::default()
                    }],
                    ..Default::default()
                }),
            },
            ..Default::default()
        }),
        status: None,
    })
}

impl JobB {
    fn spec(&mut self) -> &mut JobSpec {
        self.0.spec.get_or_insert_with(JobSpec::default)
    }
    fn status(&mut self) -> &mut JobStatus {
        self.0.status.get_or_insert_with(JobStatus::default)
    }
    fn parallelism(mut self, n: i32) -> Self {
        self.spec().parallelism = Some(n);
        self
    }
    fn completions(mut self, n: i32) -> Self {
        self.spec().completions = Some(n);
        self
    }
    fn backoff_limit(mut self, n: i32) -> Self {
        self.spec().backoff_limit = Some(n);
        self
    }
    fn indexed(mut self) -> Self {
        self.spec().completion_mode = Some("Indexed".into());
        self
    }
    fn suspend(mut self, s: bool) -> Self {
        self.spec().suspend = Some(s);
        self
    }
    fn active_deadline(mut self, secs: i64) -> Self {
        self.spec().active_deadline_seconds = Some(secs);
        self
    }
    fn replacement(mut self, p: &str) -> Self {
        self.spec().pod_replacement_policy = Some(p.into());
        self
    }
    fn restart_policy(mut self, p: &str) -> Self {
        if let Some(s) = self.spec().template.spec.as_mut() {
            s.restart_policy = Some(p.into());
        }
        self
    }
    fn pod_failure_policy(mut self, rules: Vec<PodFailurePolicyRule>) -> Self {
        self.spec().pod_failure_policy = Some(PodFailurePolicy { rules });
        self
    }
    fn backoff_limit_per_index(mut self, n: i32) -> Self {
        self.spec().backoff_limit_per_index = Some(n);
        self
    }
    fn max_failed_indexes(mut self, n: i32) -> Self {
        self.spec().max_failed_indexes = Some(n);
        self
    }
    fn success_policy(mut self, rules: Vec<SuccessPolicyRule>) -> Self {
        self.spec().success_policy = Some(SuccessPolicy { rules });
        self
    }
    fn deleting(mut self) -> Self {
        self.0.metadata.deletion_timestamp = Some(t(1).to_k8s());
        self
    }
    fn started(mut self, at: SimTime) -> Self {
        self.status().start_time = Some(at.to_k8s());
        self
    }
    fn counted(mut self, succeeded: i32, failed: i32) -> Self {
        let st = self.status();
        st.succeeded = non_zero(succeeded);
        st.failed = non_zero(failed);
        self
    }
    fn active(mut self, n: i32) -> Self {
        self.status().active = non_zero(n);
        self
    }
    fn condition(mut self, type_: &str, status: &str, reason: &str) -> Self {
        self.status()
            .conditions
            .get_or_insert_with(Vec::new)
            .push(JobCondition {
                type_: type_.into(),
                status: status.into(),
                reason: Some(reason.into()),
                last_transition_time: Some(t(0).to_k8s()),
                last_probe_time: Some(t(0).to_k8s()),
                ..Default::default()
            });
        self
    }
    fn build(self) -> Job {
        let mut j = self.0;
        api_job::default(&mut j);
        api_job::prepare_for_create(&mut j);
        j
    }
}

/// A pod of `job`, bound, Running, carrying the tracking finalizer.
struct PodB(Pod);

fn pod(job: &Job, name: &str) -> PodB {
    let labels = job
        .spec
        .as_ref()
        .and_then(|s| s.template.metadata.as_ref())
        .and_then(|m| m.labels.clone());
    PodB(Pod {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some(NS.to_string()),
            uid: Some(format!("uid-{name}")),
            labels,
            creation_timestamp: Some(t(0).to_k8s()),
            owner_references: Some(vec![controller_ref_of(job)]),
            finalizers: Some(vec![JOB_TRACKING_FINALIZER.to_string()]),
            ..Default::default()
        },
        spec: Some(PodSpec {
            node_name: Some("n1".into()),
            restart_policy: Some("Never".into()),
            termination_grace_period_seconds: Some(30),
            containers: vec![Container {
                name: "main".into(),
                image: Some("busybox".into()),
                ..Default::default()
            }],
            ..Default::default()
        }),
        status: Some(PodStatus {
            phase: Some("Running".into()),
            ..Default::default()
        }),
    })
}

impl PodB {
    fn status(&mut self) -> &mut PodStatus {
        self.0.status.get_or_insert_with(PodStatus::default)
    }
    fn phase(mut self, p: &str) -> Self {
        self.status().phase = Some(p.into());
        self
    }
    fn pending(self) -> Self {
        self.phase("Pending")
    }
    fn succeeded(self, at: SimTime) -> Self {
        self.phase("Succeeded").exit("main", 0, at)
    }
    fn failed(self, at: SimTime) -> Self {
        self.phase("Failed").exit("main", 1, at)
    }
    fn exit(mut self, container: &str, code: i32, at: SimTime) -> Self {
        let cs = self
            .status()
            .container_statuses
            .get_or_insert_with(Vec::new);
        cs.retain(|c| c.name != container);
        cs.push(ContainerStatus {
            name: container.into(),
            state: Some(ContainerState {
                terminated: Some(ContainerStateTerminated {
                    exit_code: code,
                    finished_at: Some(at.to_k8s()),
                    started_at: Some(t(0).to_k8s()),
                    reason: Some(if code == 0 { "Completed" } else { "Error" }.into()),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        });
        self
    }
    fn restarts(mut self, n: i32) -> Self {
        let cs = self
            .status()
            .container_statuses
            .get_or_insert_with(Vec::new);
        cs.push(ContainerStatus {
            name: "main".into(),
            restart_count: n,
            ..Default::default()
        });
        self
    }
    fn condition(mut self, type_: &str, status: &str) -> Self {
        self.status()
            .conditions
            .get_or_insert_with(Vec::new)
            .push(PodCondition {
                type_: type_.into(),
                status: status.into(),
                last_transition_time: Some(t(0).to_k8s()),
                ..Default::default()
            });
        self
    }
    fn ready(self) -> Self {
        self.condition("Ready", "True")
    }
    fn index(mut self, ix: &str) -> Self {
        self.0
            .metadata
            .annotations
            .get_or_insert_with(BTreeMap::new)
            .insert(JOB_COMPLETION_INDEX_ANNOTATION.into(), ix.into());
        self
    }
    fn annotation(mut self, k: &str, v: &str) -> Self {
        self.0
            .metadata
            .annotations
            .get_or_insert_with(BTreeMap::new)
            .insert(k.into(), v.into());
        self
    }
    fn deleted(mut self) -> Self {
        self.0.metadata.deletion_timestamp = Some(t(30).to_k8s());
        self.0.metadata.deletion_grace_period_seconds = Some(30);
        self
    }
    fn created(mut self, at: SimTime) -> Self {
        self.0.metadata.creation_timestamp = Some(at.to_k8s());
        self
    }
    fn build(self) -> Pod {
        self.0
    }
}

/// `n` pods named `<prefix>-<i>`, made by `f`.
fn pods(job: &Job, prefix: &str, n: usize, f: impl Fn(PodB) -> PodB) -> Vec<Pod> {
    (0..n)
        .map(|i| f(pod(job, &format!("{prefix}-{i}"))).build())
        .collect()
}

fn store_with(job: &Job, pods: &[Pod]) -> Store {
    let mut store = Store::new();
    store.put(Object::Job(job.clone()));
    for p in pods {
        store.put(Object::Pod(p.clone()));
    }
    store
}

/// Applies an outcome to a bare store roughly as the API server would (enough for the second,
/// idempotency sync): updates overwrite, creates get a name and uid, deletes set the deletion
/// timestamp or remove.
fn apply(store: &mut Store, out: &Outcome, now: SimTime) {
    let mut seq = 0;
    for a in &out.actions {
        match a {
            Action::Update(obj) => {
                store.put(obj.clone());
                remove_if_unblocked(store, &obj.key());
            }
            Action::Create { object, .. } => {
                seq += 1;
                let mut o = object.clone();
                let prefix = o.meta().generate_name.clone().unwrap_or_default();
                let name = format!("{prefix}new{seq}");
                let m = o.meta_mut();
                m.name = Some(name.clone());
                m.uid = Some(format!("uid-{name}"));
                m.creation_timestamp = Some(now.to_k8s());
                if let Object::Pod(p) = &mut o {
                    p.status = Some(PodStatus {
                        phase: Some("Pending".into()),
                        ..Default::default()
                    });
                }
                store.put(o);
            }
            Action::Delete { key, .. } => {
                let Some(Object::Pod(p)) = store.get(key).cloned() else {
                    store.remove(key);
                    continue;
                };
                let mut p = p;
                if p.metadata.deletion_timestamp.is_none() {
                    p.metadata.deletion_timestamp = Some(now.plus(30_000).to_k8s());
                    p.metadata.deletion_grace_period_seconds = Some(30);
                }
                store.put(Object::Pod(p));
                remove_if_unblocked(store, key);
            }
            Action::Remove { key, .. } => {
                store.remove(key);
            }
            Action::RemoveFinalizer { key, finalizer, .. } => {
                if let Some(mut o) = store.get(key).cloned() {
                    crate::engine::controller::remove_finalizer(o.meta_mut(), finalizer);
                    store.put(o);
                    remove_if_unblocked(store, key);
                }
            }
            Action::Event(_) | Action::PodStatus { .. } | Action::Bind { .. } => {}
        }
    }
}

fn remove_if_unblocked(store: &mut Store, key: &ObjectKey) {
    if let Some(Object::Pod(p)) = store.get(key) {
        let done = p.metadata.deletion_timestamp.is_some()
            && p.metadata
                .finalizers
                .as_deref()
                .unwrap_or_default()
                .is_empty()
            && is_terminal(p);
        if done {
            store.remove(key);
        }
    }
}

// ------------------------------------------------------------------------------------------
// The controller table
// ------------------------------------------------------------------------------------------

#[derive(Debug, Default)]
struct Want {
    creations: usize,
    created_indexes: Vec<i32>,
    deletions: usize,
    pod_patches: usize,
    active: i32,
    ready: i32,
    succeeded: i32,
    failed: i32,
    terminating: i32,
    /// `(type, reason)` of every condition, in order.
    conditions: Vec<(&'static str, &'static str)>,
    completed_indexes: &'static str,
    failed_indexes: Option<&'static str>,
    /// Event reasons other than `SuccessfulDelete`.
    events: Vec<&'static str>,
    requeue_at: Option<SimTime>,
    start_time_set: bool,
    /// A sync either deletes or creates: pods the second sync creates after deletions.
    then_creates: usize,
    /// The status of each condition, in order, when given.
    condition_status: Vec<&'static str>,
}

struct Case {
    name: &'static str,
    job: Job,
    pods: Vec<Pod>,
    now: SimTime,
    backoff: BackoffRecord,
    want: Want,
}

fn case(name: &'static str, job: Job, pods: Vec<Pod>, want: Want) -> Case {
    Case {
        name,
        job,
        pods,
        now: t(100),
        backoff: BackoffRecord::default(),
        want,
    }
}

fn check(c: Case) {
    let mut store = store_with(&c.job, &c.pods);
    let res = sync_job(&c.job, &store, c.backoff, c.now);
    let out = &res.outcome;
    let name = c.name;
    let creates: Vec<&Pod> = out
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Create {
                object: Object::Pod(p),
                ..
            } => Some(p),
            _ => None,
        })
        .collect();
    let deletions = out
        .actions
        .iter()
        .filter(|a| matches!(a, Action::Delete { .. }))
        .count();
    let pod_patches = out
        .actions
        .iter()
        .filter(|a| {
            matches!(
                a,
                Action::Update(Object::Pod(_)) | Action::RemoveFinalizer { .. }
            )
        })
        .count();
    let events: Vec<&str> = out
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Event(e) if e.reason != "SuccessfulDelete" => Some(e.reason.as_str()),
            _ => None,
        })
        .collect();
    let job_after = out
        .actions
        .iter()
        .rev()
        .find_map(|a| match a {
            Action::Update(Object::Job(j)) => Some(j.clone()),
            _ => None,
        })
        .unwrap_or_else(|| c.job.clone());
    let st = job_after.status.clone().unwrap_or_default();
    let mut created_indexes: Vec<i32> =
        creates.iter().filter_map(|p| completion_index(p)).collect();
    created_indexes.sort_unstable();
    assert_eq!(creates.len(), c.want.creations, "{name}: creations");
    assert_eq!(
        created_indexes, c.want.created_indexes,
        "{name}: created indexes"
    );
    assert_eq!(deletions, c.want.deletions, "{name}: deletions");
    assert_eq!(pod_patches, c.want.pod_patches, "{name}: pod patches");
    assert_eq!(st.active.unwrap_or(0), c.want.active, "{name}: active");
    assert_eq!(st.ready, Some(c.want.ready), "{name}: ready");
    assert_eq!(
        st.succeeded.unwrap_or(0),
        c.want.succeeded,
        "{name}: succeeded"
    );
    assert_eq!(st.failed.unwrap_or(0), c.want.failed, "{name}: failed");
    assert_eq!(
        st.terminating,
        Some(c.want.terminating),
        "{name}: terminating"
    );
    let conds: Vec<(String, String)> = st
        .conditions
        .iter()
        .flatten()
        .map(|c| (c.type_.clone(), c.reason.clone().unwrap_or_default()))
        .collect();
    let want_conds: Vec<(String, String)> = c
        .want
        .conditions
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(conds, want_conds, "{name}: conditions");
    // Upstream compares whole conditions: each reason the controller sets has its message.
    for cond in st.conditions.iter().flatten() {
        let want_message = match cond.reason.as_deref().unwrap_or_default() {
            "BackoffLimitExceeded" => Some("Job has reached the specified backoff limit"),
            "DeadlineExceeded" => Some("Job was active longer than specified deadline"),
            "CompletionsReached" => Some("Reached expected number of succeeded pods"),
            "JobSuspended" => Some("Job suspended"),
            "JobResumed" => Some("Job resumed"),
            "MaxFailedIndexesExceeded" => {
                Some("Job has exceeded the specified maximal number of failed indexes")
            }
            "FailedIndexes" => Some("Job has failed indexes"),
            _ => None,
        };
        if let Some(m) = want_message {
            assert_eq!(
                cond.message.as_deref(),
                Some(m),
                "{name}: message of {}",
                cond.type_
            );
        }
    }
    if !c.want.condition_status.is_empty() {
        let status: Vec<&str> = st
            .conditions
            .iter()
            .flatten()
            .map(|c| c.status.as_str())
            .collect();
        assert_eq!(status, c.want.condition_status, "{name}: condition status");
    }
    assert_eq!(
        st.completed_indexes.as_deref().unwrap_or_default(),
        c.want.completed_indexes,
        "{name}: completedIndexes"
    );
    assert_eq!(
        st.failed_indexes.as_deref(),
        c.want.failed_indexes,
        "{name}: failedIndexes"
    );
    assert_eq!(events, c.want.events, "{name}: events");
    assert_eq!(out.requeue_at, c.want.requeue_at, "{name}: requeue");
    assert_eq!(
        st.start_time.is_some(),
        c.want.start_time_set,
        "{name}: startTime"
    );
    assert_eq!(
        st.uncounted_terminated_pods,
        Some(Default::default()),
        "{name}: uncounted"
    );
    let complete = conds.iter().any(|(t, _)| t == "Complete");
    assert_eq!(
        st.completion_time.is_some(),
        complete,
        "{name}: completionTime"
    );
    // Idempotency: a second sync of the unchanged cluster does nothing.
    apply(&mut store, out, c.now);
    let Some(Object::Job(stored)) = store.get(&Object::Job(c.job.clone()).key()).cloned() else {
        panic!("{name}: job gone");
    };
    let mut again = sync_job(&stored, &store, res.backoff.unwrap_or_default(), c.now);
    if c.want.then_creates > 0 {
        let creates = again
            .outcome
            .actions
            .iter()
            .filter(|a| matches!(a, Action::Create { .. }))
            .count();
        assert_eq!(
            creates, c.want.then_creates,
            "{name}: creations after deletions"
        );
        apply(&mut store, &again.outcome, c.now);
        let Some(Object::Job(stored)) = store.get(&Object::Job(c.job.clone()).key()).cloned()
        else {
            panic!("{name}: job gone");
        };
        again = sync_job(&stored, &store, again.backoff.unwrap_or_default(), c.now);
    }
    assert!(
        again.outcome.actions.is_empty(),
        "{name}: second sync not idempotent: {:#?}",
        again.outcome.actions
    );
}

fn w() -> Want {
    Want {
        start_time_set: true,
        ..Default::default()
    }
}

#[test]
fn test_controller_sync_job() {
    let j = |p: i32, c: Option<i32>| {
        let b = job("foobar").parallelism(p);
        match c {
            Some(c) => b.completions(c).build(),
            None => b.build(),
        }
    };
    let j25 = j(2, Some(5));
    let wq2 = j(2, None);
    let running = |b: PodB| b;
    let cases = vec![
        case(
            "job start",
            j25.clone(),
            vec![],
            Want {
                creations: 2,
                active: 2,
                ..w()
            },
        ),
        case(
            "WQ job start",
            wq2.clone(),
            vec![],
            Want {
                creations: 2,
                active: 2,
                ..w()
            },
        ),
        case(
            "pending pods",
            j25.clone(),
            pods(&j25, "p", 2, PodB::pending),
            Want { active: 2, ..w() },
        ),
        {
            let job = j(3, Some(5));
            let mut ps = pods(&job, "r", 2, PodB::ready);
            ps.extend(pods(&job, "a", 1, running));
            case(
                "correct # of pods",
                job,
                ps,
                Want {
                    active: 3,
                    ready: 2,
                    ..w()
                },
            )
        },
        case(
            "WQ job: correct # of pods",
            wq2.clone(),
            pods(&wq2, "a", 2, running),
            Want { active: 2, ..w() },
        ),
        {
            let mut ps = pods(&j25, "a", 1, running);
            ps.extend(pods(&j25, "s", 1, |b| b.succeeded(t(10))));
            case(
                "too few active pods",
                j25.clone(),
                ps,
                Want {
                    creations: 1,
                    active: 2,
                    succeeded: 1,
                    pod_patches: 1,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar").parallelism(1).replacement("Failed").build();
            let mut ps = pods(&job, "a", 1, running);
            ps.extend(pods(&job, "f", 1, |b| b.failed(t(10))));
            ps.extend(pods(&job, "t", 1, PodB::deleted));
            case(
                "WQ job: recreate pods when failed",
                job,
                ps,
                Want {
                    active: 1,
                    failed: 1,
                    terminating: 1,
                    pod_patches: 1,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(1)
                .replacement("TerminatingOrFailed")
                .build();
            let mut ps = pods(&job, "a", 1, running);
            ps.extend(pods(&job, "f", 1, |b| b.failed(t(10))));
            ps.extend(pods(&job, "t", 1, PodB::deleted));
            case(
                "WQ job: recreate pods when terminating or failed",
                job,
                ps,
                Want {
                    active: 1,
                    failed: 2,
                    terminating: 1,
                    pod_patches: 2,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(1)
                .completions(1)
                .replacement("Failed")
                .build();
            let mut ps = pods(&job, "a", 2, running);
            ps.extend(pods(&job, "t", 4, PodB::deleted));
            case(
                "more terminating pods than parallelism",
                job,
                ps,
                Want {
                    active: 1,
                    terminating: 5,
                    deletions: 1,
                    pod_patches: 1,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(1)
                .completions(1)
                .started(t(90))
                .build();
            let mut c = case(
                "too few active pods and active back-off",
                job,
                vec![],
                Want {
                    requeue_at: Some(t(105)),
                    ..w()
                },
            );
            c.backoff = BackoffRecord {
                failures_after_last_success: 1,
                last_failure_time: Some(t(95)),
            };
            c
        },
        {
            let job = job("foobar").parallelism(1).completions(1).build();
            let mut c = case(
                "too few active pods and no back-offs",
                job,
                vec![],
                Want {
                    creations: 1,
                    active: 1,
                    ..w()
                },
            );
            c.backoff = BackoffRecord {
                failures_after_last_success: 0,
                last_failure_time: Some(t(95)),
            };
            c
        },
        case(
            "too few active pods with a dynamic job",
            wq2.clone(),
            pods(&wq2, "a", 1, running),
            Want {
                creations: 1,
                active: 2,
                ..w()
            },
        ),
        case(
            "too many active pods",
            j25.clone(),
            pods(&j25, "a", 3, running),
            Want {
                deletions: 1,
                active: 2,
                terminating: 1,
                pod_patches: 1,
                ..w()
            },
        ),
        case(
            "count ready pods when too many active pods",
            j25.clone(),
            pods(&j25, "a", 3, PodB::ready),
            Want {
                deletions: 1,
                active: 2,
                ready: 2,
                terminating: 1,
                pod_patches: 1,
                ..w()
            },
        ),
        {
            let mut ps = pods(&j25, "a", 1, running);
            ps.extend(pods(&j25, "s", 1, |b| b.succeeded(t(10))));
            ps.extend(pods(&j25, "f", 1, |b| b.failed(t(5))));
            case(
                "failed + succeed pods: reset backoff delay",
                j25.clone(),
                ps,
                Want {
                    creations: 1,
                    active: 2,
                    succeeded: 1,
                    failed: 1,
                    pod_patches: 2,
                    ..w()
                },
            )
        },
        {
            let mut ps = pods(&j25, "a", 1, running);
            ps.extend(pods(&j25, "f", 1, |b| b.failed(t(10))));
            case(
                "new failed pod",
                j25.clone(),
                ps,
                Want {
                    creations: 1,
                    active: 2,
                    failed: 1,
                    pod_patches: 1,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(1)
                .completions(1)
                .active(1)
                .counted(0, 1)
                .started(t(0))
                .build();
            let ps = pods(&job, "a", 1, running);
            case(
                "no new pod; possible finalizer update of failed pod",
                job,
                ps,
                Want {
                    active: 1,
                    failed: 1,
                    ..w()
                },
            )
        },
        case(
            "job finish",
            j25.clone(),
            pods(&j25, "s", 5, |b| b.succeeded(t(10))),
            Want {
                succeeded: 5,
                pod_patches: 5,
                conditions: vec![
                    ("SuccessCriteriaMet", "CompletionsReached"),
                    ("Complete", "CompletionsReached"),
                ],
                events: vec!["Completed"],
                ..w()
            },
        ),
        {
            let mut ps = pods(&wq2, "a", 1, running);
            ps.extend(pods(&wq2, "s", 1, |b| b.succeeded(t(10))));
            case(
                "WQ job finishing",
                wq2.clone(),
                ps,
                Want {
                    active: 1,
                    succeeded: 1,
                    pod_patches: 1,
                    ..w()
                },
            )
        },
        case(
            "WQ job all finished",
            wq2.clone(),
            pods(&wq2, "s", 2, |b| b.succeeded(t(10))),
            Want {
                succeeded: 2,
                pod_patches: 2,
                conditions: vec![
                    ("SuccessCriteriaMet", "CompletionsReached"),
                    ("Complete", "CompletionsReached"),
                ],
                events: vec!["Completed"],
                ..w()
            },
        ),
        {
            let mut ps = pods(&wq2, "s", 1, |b| b.succeeded(t(10)));
            ps.extend(pods(&wq2, "f", 1, |b| b.failed(t(10))));
            case(
                "WQ job all finished despite one failure",
                wq2.clone(),
                ps,
                Want {
                    succeeded: 1,
                    failed: 1,
                    pod_patches: 2,
                    conditions: vec![
                        ("SuccessCriteriaMet", "CompletionsReached"),
                        ("Complete", "CompletionsReached"),
                    ],
                    events: vec!["Completed"],
                    ..w()
                },
            )
        },
        case(
            "more active pods than parallelism",
            j25.clone(),
            pods(&j25, "a", 10, running),
            Want {
                deletions: 8,
                active: 2,
                terminating: 8,
                pod_patches: 8,
                ..w()
            },
        ),
        {
            let job = j(3, Some(4));
            let mut ps = pods(&job, "a", 3, running);
            ps.extend(pods(&job, "s", 2, |b| b.succeeded(t(10))));
            case(
                "more active pods than remaining completions",
                job,
                ps,
                Want {
                    deletions: 1,
                    active: 2,
                    succeeded: 2,
                    terminating: 1,
                    pod_patches: 3,
                    ..w()
                },
            )
        },
        {
            let mut ps = pods(&j25, "a", 2, running);
            ps.extend(pods(&j25, "s", 2, |b| b.succeeded(t(10))));
            case(
                "status change",
                j25.clone(),
                ps,
                Want {
                    active: 2,
                    succeeded: 2,
                    pod_patches: 2,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(5)
                .deleting()
                .build();
            let mut ps = pods(&job, "p", 1, PodB::pending);
            ps.extend(pods(&job, "a", 1, running));
            ps.extend(pods(&job, "s", 1, |b| b.succeeded(t(10))));
            case(
                "deleting job",
                job,
                ps,
                Want {
                    active: 2,
                    succeeded: 1,
                    pod_patches: 3,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(5)
                .backoff_limit(0)
                .deleting()
                .build();
            let ps = pods(&job, "f", 1, |b| b.failed(t(10)));
            case(
                "too many job failures",
                job,
                ps,
                Want {
                    failed: 1,
                    pod_patches: 1,
                    conditions: vec![
                        ("FailureTarget", "BackoffLimitExceeded"),
                        ("Failed", "BackoffLimitExceeded"),
                    ],
                    events: vec!["BackoffLimitExceeded"],
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(5)
                .indexed()
                .build();
            case(
                "indexed job start",
                job,
                vec![],
                Want {
                    creations: 2,
                    created_indexes: vec![0, 1],
                    active: 2,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(5)
                .indexed()
                .replacement("Failed")
                .build();
            let ps = pods(&job, "t", 1, PodB::deleted);
            case(
                "indexed job with some pods deleted, podReplacementPolicy Failed",
                job,
                ps,
                Want {
                    creations: 1,
                    created_indexes: vec![0],
                    active: 1,
                    terminating: 1,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(5)
                .indexed()
                .build();
            let ps = pods(&job, "t", 1, PodB::deleted);
            case(
                "indexed job with some pods deleted, podReplacementPolicy TerminatingOrFailed",
                job,
                ps,
                Want {
                    creations: 2,
                    created_indexes: vec![0, 1],
                    active: 2,
                    terminating: 1,
                    pod_patches: 1,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(3)
                .indexed()
                .build();
            let ps = vec![
                pod(&job, "i0").index("0").succeeded(t(10)).build(),
                pod(&job, "i1a").index("1").failed(t(10)).build(),
                pod(&job, "i1b").index("1").succeeded(t(20)).build(),
                pod(&job, "i2").index("2").succeeded(t(10)).build(),
            ];
            case(
                "indexed job completed",
                job,
                ps,
                Want {
                    succeeded: 3,
                    failed: 1,
                    completed_indexes: "0-2",
                    pod_patches: 4,
                    conditions: vec![
                        ("SuccessCriteriaMet", "CompletionsReached"),
                        ("Complete", "CompletionsReached"),
                    ],
                    events: vec!["Completed"],
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(3)
                .indexed()
                .backoff_limit(0)
                .build();
            let ps = vec![
                pod(&job, "i0").index("0").succeeded(t(10)).build(),
                pod(&job, "i1").index("1").failed(t(10)).build(),
                pod(&job, "i2").index("2").build(),
            ];
            case(
                "count terminating pods when indexed job fails and PodReplacementPolicy enabled",
                job,
                ps,
                Want {
                    succeeded: 1,
                    failed: 2,
                    completed_indexes: "0",
                    conditions: vec![("FailureTarget", "BackoffLimitExceeded")],
                    pod_patches: 3,
                    deletions: 1,
                    terminating: 1,
                    ..w()
                },
            )
        },
        {
            let job = j(2, Some(3));
            let job = JobB(job).backoff_limit(0).build();
            let mut ps = pods(&job, "a", 2, PodB::ready);
            ps.extend(pods(&job, "f", 1, |b| b.failed(t(10))));
            case(
                "count ready pods when job fails",
                job,
                ps,
                Want {
                    failed: 3,
                    conditions: vec![("FailureTarget", "BackoffLimitExceeded")],
                    pod_patches: 3,
                    deletions: 2,
                    terminating: 2,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(4)
                .suspend(true)
                .started(t(0))
                .build();
            let ps = pods(&job, "a", 2, running);
            case(
                "suspending a job with satisfied expectations",
                job,
                ps,
                Want {
                    deletions: 2,
                    terminating: 2,
                    pod_patches: 2,
                    conditions: vec![("Suspended", "JobSuspended")],
                    events: vec!["Suspended"],
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(4)
                .suspend(true)
                .build();
            case(
                "suspended job created suspended",
                job,
                vec![],
                Want {
                    conditions: vec![("Suspended", "JobSuspended")],
                    events: vec!["Suspended"],
                    start_time_set: false,
                    ..Default::default()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(4)
                .suspend(false)
                .condition("Suspended", "True", "JobSuspended")
                .build();
            case(
                "resuming a suspended job",
                job,
                vec![],
                Want {
                    creations: 2,
                    active: 2,
                    conditions: vec![("Suspended", "JobResumed")],
                    events: vec!["Resumed"],
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(3)
                .indexed()
                .build();
            let ps = vec![
                pod(&job, "i0").index("0").succeeded(t(10)).build(),
                pod(&job, "i1a").index("1").succeeded(t(10)).build(),
                pod(&job, "i1b").index("1").succeeded(t(10)).build(),
            ];
            case(
                "indexed job repeated completed index",
                job,
                ps,
                Want {
                    creations: 1,
                    created_indexes: vec![2],
                    active: 1,
                    succeeded: 2,
                    completed_indexes: "0,1",
                    pod_patches: 3,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar").parallelism(1).completions(1).build();
            let mut ps = pods(&job, "a", 1, running);
            ps.extend(pods(&job, "f", 1, |b| b.failed(t(10))));
            ps.extend(pods(&job, "t", 1, PodB::deleted));
            case(
                "WQ job: turn on PodReplacementPolicy but not set PodReplacementPolicy",
                job,
                ps,
                Want {
                    active: 1,
                    failed: 2,
                    terminating: 1,
                    pod_patches: 2,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(1)
                .completions(1)
                .pod_failure_policy(vec![])
                .build();
            let mut ps = pods(&job, "a", 2, running);
            ps.extend(pods(&job, "t", 4, PodB::deleted));
            case(
                "more terminating pods than parallelism; PodFailurePolicy used",
                job,
                ps,
                Want {
                    active: 1,
                    terminating: 5,
                    deletions: 1,
                    pod_patches: 1,
                    ..w()
                },
            )
        },
        case(
            "too many active pods; PodReplacementPolicy enabled",
            j25.clone(),
            pods(&j25, "a", 3, running),
            Want {
                deletions: 1,
                active: 2,
                terminating: 1,
                pod_patches: 1,
                ..w()
            },
        ),
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(4)
                .suspend(true)
                .build();
            let ps = pods(&job, "a", 2, PodB::ready);
            case(
                "count ready pods when suspending a job with satisfied expectations",
                job,
                ps,
                Want {
                    deletions: 2,
                    terminating: 2,
                    pod_patches: 2,
                    conditions: vec![("Suspended", "JobSuspended")],
                    events: vec!["Suspended"],
                    ..Default::default()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(4)
                .suspend(true)
                .deleting()
                .build();
            let ps = pods(&job, "a", 2, running);
            case(
                "suspending a deleted job",
                job,
                ps,
                Want {
                    active: 2,
                    pod_patches: 2,
                    ..Default::default()
                },
            )
        },
        {
            // Upstream's gate-on twin of "indexed job failed" (whose gate-off value is a
            // terminal Failed at once).
            let job = job("foobar")
                .parallelism(2)
                .completions(3)
                .indexed()
                .backoff_limit(0)
                .build();
            let ps = vec![
                pod(&job, "i0").index("0").succeeded(t(10)).build(),
                pod(&job, "i1").index("1").failed(t(10)).build(),
                pod(&job, "i2").index("2").build(),
            ];
            case(
                "backoff limit exceeded; JobManagedBy enabled",
                job,
                ps,
                Want {
                    succeeded: 1,
                    failed: 2,
                    completed_indexes: "0",
                    conditions: vec![("FailureTarget", "BackoffLimitExceeded")],
                    pod_patches: 3,
                    deletions: 1,
                    terminating: 1,
                    ..w()
                },
            )
        },
        {
            // Created suspended: no startTime is set.
            let job = job("foobar")
                .parallelism(2)
                .completions(4)
                .suspend(true)
                .build();
            let ps = pods(&job, "a", 2, running);
            case(
                "suspending a job with satisfied expectations; PodReplacementPolicy enabled",
                job,
                ps,
                Want {
                    deletions: 2,
                    terminating: 2,
                    pod_patches: 2,
                    conditions: vec![("Suspended", "JobSuspended")],
                    events: vec!["Suspended"],
                    ..Default::default()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(4)
                .suspend(true)
                .deleting()
                .build();
            let ps = pods(&job, "a", 2, running);
            case(
                "suspending a deleted job; PodReplacementPolicy enabled",
                job,
                ps,
                Want {
                    active: 2,
                    pod_patches: 2,
                    ..Default::default()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(1)
                .completions(1)
                .active(1)
                .started(t(0))
                .condition("FailureTarget", "False", "ConditionAddedManually")
                .build();
            let ps = pods(&job, "a", 1, PodB::ready);
            case(
                "FailureTarget=False condition added manually is ignored",
                job,
                ps,
                Want {
                    active: 1,
                    ready: 1,
                    conditions: vec![("FailureTarget", "ConditionAddedManually")],
                    condition_status: vec!["False"],
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(1)
                .completions(1)
                .active(1)
                .started(t(0))
                .condition("SuccessCriteriaMet", "False", "ConditionAddedManually")
                .build();
            let ps = pods(&job, "a", 1, PodB::ready);
            case(
                "SuccessCriteriaMet=False condition added manually is ignored",
                job,
                ps,
                Want {
                    active: 1,
                    ready: 1,
                    conditions: vec![("SuccessCriteriaMet", "ConditionAddedManually")],
                    condition_status: vec!["False"],
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(8)
                .completions(20)
                .indexed()
                .build();
            let ps = vec![
                pod(&job, "i0").index("0").build(),
                pod(&job, "i2").index("2").succeeded(t(10)).build(),
                pod(&job, "i3").index("3").pending().build(),
                pod(&job, "i4").index("4").succeeded(t(10)).build(),
                pod(&job, "i5").index("5").succeeded(t(10)).build(),
                pod(&job, "i7").index("7").succeeded(t(10)).build(),
                pod(&job, "i8").index("8").succeeded(t(10)).build(),
                pod(&job, "i9").index("9").succeeded(t(10)).build(),
            ];
            case(
                "indexed job some running and completed pods",
                job,
                ps,
                Want {
                    creations: 6,
                    created_indexes: vec![1, 6, 10, 11, 12, 13],
                    active: 8,
                    succeeded: 6,
                    completed_indexes: "2,4,5,7-9",
                    pod_patches: 6,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(3)
                .completions(4)
                .indexed()
                .build();
            let ps = vec![
                pod(&job, "i0").index("0").failed(t(10)).build(),
                pod(&job, "i1").index("1").pending().build(),
                pod(&job, "i2").index("2").failed(t(10)).build(),
            ];
            case(
                "indexed job some failed pods",
                job,
                ps,
                Want {
                    creations: 2,
                    created_indexes: vec![0, 2],
                    active: 3,
                    failed: 2,
                    pod_patches: 2,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(5)
                .indexed()
                .build();
            let mut ps = pods(&job, "a", 1, running);
            ps.extend(pods(&job, "s", 1, |b| b.succeeded(t(10))));
            ps.extend(pods(&job, "f", 1, |b| b.failed(t(10))));
            ps.extend([
                pod(&job, "bad-r").index("invalid").build(),
                pod(&job, "bad-s").index("invalid").succeeded(t(10)).build(),
                pod(&job, "bad-f").index("invalid").failed(t(10)).build(),
                pod(&job, "bad-p").index("invalid").pending().build(),
                pod(&job, "i0").index("0").succeeded(t(10)).build(),
                pod(&job, "i1").index("1").build(),
                pod(&job, "i2").index("2").build(),
            ]);
            case(
                "indexed job some pods without index",
                job,
                ps,
                Want {
                    deletions: 3,
                    active: 2,
                    succeeded: 1,
                    completed_indexes: "0",
                    terminating: 3,
                    pod_patches: 8,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(5)
                .completions(5)
                .indexed()
                .build();
            let mut ps = pods(&job, "s", 1, |b| b.succeeded(t(10)));
            ps.extend(pods(&job, "f", 1, |b| b.failed(t(10))));
            ps.extend([
                pod(&job, "bad").index("invalid").build(),
                pod(&job, "i0").index("0").succeeded(t(10)).build(),
                pod(&job, "i1").index("1").build(),
                pod(&job, "i2a").index("2").build(),
                pod(&job, "i2b").index("2").pending().build(),
            ]);
            case(
                "indexed job repeated indexes",
                job,
                ps,
                Want {
                    deletions: 2,
                    active: 2,
                    succeeded: 1,
                    completed_indexes: "0",
                    terminating: 2,
                    pod_patches: 5,
                    then_creates: 2,
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(5)
                .indexed()
                .build();
            let ps = vec![
                pod(&job, "i0").index("0").succeeded(t(10)).build(),
                pod(&job, "i5").index("5").build(),
                pod(&job, "i6").index("6").succeeded(t(10)).build(),
                pod(&job, "i7").index("7").pending().build(),
                pod(&job, "i8").index("8").failed(t(10)).build(),
            ];
            case(
                "indexed job with indexes outside of range",
                job,
                ps,
                Want {
                    deletions: 2,
                    succeeded: 1,
                    completed_indexes: "0",
                    terminating: 2,
                    pod_patches: 5,
                    then_creates: 2,
                    ..w()
                },
            )
        },
    ];
    for c in cases {
        check(c);
    }
}

// ------------------------------------------------------------------------------------------
// TestSyncJobPastDeadline
// ------------------------------------------------------------------------------------------

#[test]
fn test_sync_job_past_deadline() {
    let deadline = |ads: i64| {
        job("foobar")
            .parallelism(1)
            .completions(1)
            .active_deadline(ads)
            .started(t(0))
    };
    let cases = vec![
        {
            let job = deadline(10).build();
            let ps = pods(&job, "a", 1, |b| b);
            case(
                "activeDeadlineSeconds less than single pod execution",
                job,
                ps,
                Want {
                    failed: 1,
                    deletions: 1,
                    terminating: 1,
                    pod_patches: 1,
                    conditions: vec![("FailureTarget", "DeadlineExceeded")],
                    ..w()
                },
            )
        },
        {
            let job = deadline(10).completions(2).parallelism(1).build();
            let ps = vec![
                pod(&job, "s").succeeded(t(5)).build(),
                pod(&job, "a").build(),
            ];
            case(
                "activeDeadlineSeconds bigger than single pod execution",
                job,
                ps,
                Want {
                    succeeded: 1,
                    failed: 1,
                    deletions: 1,
                    terminating: 1,
                    pod_patches: 2,
                    conditions: vec![("FailureTarget", "DeadlineExceeded")],
                    ..w()
                },
            )
        },
        case(
            "activeDeadlineSeconds times-out before any pod starts",
            deadline(10).build(),
            vec![],
            Want {
                conditions: vec![
                    ("FailureTarget", "DeadlineExceeded"),
                    ("Failed", "DeadlineExceeded"),
                ],
                events: vec!["DeadlineExceeded"],
                ..w()
            },
        ),
        {
            let job = deadline(1000).backoff_limit(0).build();
            let ps = pods(&job, "f", 1, |b| b.failed(t(50)));
            case(
                "activeDeadlineSeconds with backofflimit reach",
                job,
                ps,
                Want {
                    failed: 1,
                    pod_patches: 1,
                    conditions: vec![
                        ("FailureTarget", "BackoffLimitExceeded"),
                        ("Failed", "BackoffLimitExceeded"),
                    ],
                    events: vec!["BackoffLimitExceeded"],
                    ..w()
                },
            )
        },
        case(
            "activeDeadlineSeconds is not triggered when Job is suspended",
            deadline(10).suspend(true).build(),
            vec![],
            Want {
                conditions: vec![("Suspended", "JobSuspended")],
                events: vec!["Suspended"],
                ..w()
            },
        ),
        case(
            "activeDeadlineSeconds not reached requeues at the deadline",
            deadline(500).build(),
            vec![],
            Want {
                creations: 1,
                active: 1,
                requeue_at: Some(t(500)),
                ..w()
            },
        ),
    ];
    for c in cases {
        check(c);
    }
}

// ------------------------------------------------------------------------------------------
// TestSyncJobWithJobPodFailurePolicy
// ------------------------------------------------------------------------------------------

fn on_exit_codes(
    action: &str,
    op: &str,
    values: &[i32],
    container: Option<&str>,
) -> PodFailurePolicyRule {
    PodFailurePolicyRule {
        action: action.into(),
        on_exit_codes: Some(PodFailurePolicyOnExitCodesRequirement {
            container_name: container.map(Into::into),
            operator: op.into(),
            values: values.to_vec(),
        }),
        on_pod_conditions: None,
    }
}

fn on_condition(action: &str, type_: &str) -> PodFailurePolicyRule {
    PodFailurePolicyRule {
        action: action.into(),
        on_exit_codes: None,
        on_pod_conditions: Some(vec![PodFailurePolicyOnPodConditionsPattern {
            type_: type_.into(),
            status: "True".into(),
        }]),
    }
}

#[test]
fn test_sync_job_with_job_pod_failure_policy() {
    let base = |rules: Vec<PodFailurePolicyRule>| {
        job("foobar")
            .parallelism(2)
            .completions(2)
            .backoff_limit(6)
            .pod_failure_policy(rules)
    };
    let fail_job_msg = "Container main for pod default/f-0 failed with exit code 5 matching FailJob rule at index 1";
    let cases = vec![
        {
            let job = base(vec![
                on_exit_codes("Ignore", "In", &[1, 2, 3], None),
                on_exit_codes("FailJob", "In", &[5, 6, 7], None),
            ])
            .build();
            let mut ps = pods(&job, "f", 1, |b| b.phase("Failed").exit("main", 5, t(10)));
            ps.extend(pods(&job, "a", 1, |b| b));
            case(
                "fail job based on OnExitCodes",
                job,
                ps,
                Want {
                    failed: 2,
                    deletions: 1,
                    terminating: 1,
                    pod_patches: 2,
                    conditions: vec![("FailureTarget", "PodFailurePolicy")],
                    ..w()
                },
            )
        },
        {
            let job = base(vec![on_exit_codes("FailJob", "In", &[5], Some("other"))]).build();
            let ps = pods(&job, "f", 1, |b| b.phase("Failed").exit("main", 5, t(10)));
            case(
                "default handling for pod failure if the container matching the exit codes does not match the containerName restriction",
                job,
                ps,
                Want { creations: 2, active: 2, failed: 1, pod_patches: 1, ..w() },
            )
        },
        {
            let job = base(vec![on_exit_codes("Ignore", "In", &[1, 2, 3], None)]).build();
            let ps = pods(&job, "f", 1, |b| b.phase("Failed").exit("main", 2, t(10)));
            case(
                "ignore rule matched for exit codes",
                job,
                ps,
                Want {
                    creations: 2,
                    active: 2,
                    pod_patches: 1,
                    ..w()
                },
            )
        },
        {
            let job = base(vec![on_exit_codes("Count", "NotIn", &[1, 2], None)]).build();
            let ps = pods(&job, "f", 1, |b| b.phase("Failed").exit("main", 42, t(10)));
            case(
                "count rule matched with NotIn",
                job,
                ps,
                Want {
                    creations: 2,
                    active: 2,
                    failed: 1,
                    pod_patches: 1,
                    ..w()
                },
            )
        },
        {
            let job = base(vec![on_condition("Ignore", "DisruptionTarget")]).build();
            let ps = pods(&job, "f", 1, |b| {
                b.phase("Failed")
                    .exit("main", 137, t(10))
                    .condition("DisruptionTarget", "True")
            });
            case(
                "ignore rule matched for pod conditions",
                job,
                ps,
                Want {
                    creations: 2,
                    active: 2,
                    pod_patches: 1,
                    ..w()
                },
            )
        },
        {
            let job = base(vec![on_condition("FailJob", "DisruptionTarget")]).build();
            let ps = pods(&job, "f", 1, |b| {
                b.phase("Failed")
                    .exit("main", 137, t(10))
                    .condition("DisruptionTarget", "True")
            });
            case(
                "fail job based on OnPodConditions",
                job,
                ps,
                Want {
                    failed: 1,
                    pod_patches: 1,
                    conditions: vec![
                        ("FailureTarget", "PodFailurePolicy"),
                        ("Failed", "PodFailurePolicy"),
                    ],
                    events: vec!["PodFailurePolicy"],
                    ..w()
                },
            )
        },
        {
            // With a pod failure policy, a terminating pod is neither failed nor replaced.
            let job = base(vec![on_exit_codes("FailJob", "In", &[5], None)]).build();
            let ps = pods(&job, "t", 1, PodB::deleted);
            case(
                "terminating pods are not replaced until they fail",
                job,
                ps,
                Want {
                    creations: 1,
                    active: 1,
                    terminating: 1,
                    ..w()
                },
            )
        },
    ];
    for c in cases {
        check(c);
    }
    // The FailJob message names the container, pod, exit code and rule index.
    let job = base(vec![
        on_exit_codes("Ignore", "In", &[1, 2, 3], None),
        on_exit_codes("FailJob", "In", &[5, 6, 7], None),
    ])
    .build();
    let p = pod(&job, "f-0")
        .phase("Failed")
        .exit("main", 5, t(10))
        .build();
    assert_eq!(fail_job_message(&job, &[p]).as_deref(), Some(fail_job_msg));
    let p = pod(&job, "f-0")
        .phase("Failed")
        .condition("DisruptionTarget", "True")
        .build();
    let job = base(vec![on_condition("FailJob", "DisruptionTarget")]).build();
    assert_eq!(
        fail_job_message(&job, &[p]).as_deref(),
        Some("Pod default/f-0 has condition DisruptionTarget matching FailJob rule at index 0")
    );
}

// ------------------------------------------------------------------------------------------
// TestSyncJobWithJobBackoffLimitPerIndex
// ------------------------------------------------------------------------------------------

#[test]
fn test_sync_job_with_job_backoff_limit_per_index() {
    let base = || {
        job("foobar")
            .parallelism(2)
            .completions(2)
            .indexed()
            .backoff_limit_per_index(1)
    };
    let cases = vec![
        {
            let job = base().build();
            let ps = vec![
                pod(&job, "i0a")
                    .index("0")
                    .annotation(JOB_INDEX_FAILURE_COUNT_ANNOTATION, "0")
                    .failed(t(10))
                    .build(),
                pod(&job, "i0b")
                    .index("0")
                    .annotation(JOB_INDEX_FAILURE_COUNT_ANNOTATION, "1")
                    .succeeded(t(20))
                    .build(),
                pod(&job, "i1")
                    .index("1")
                    .annotation(JOB_INDEX_FAILURE_COUNT_ANNOTATION, "0")
                    .succeeded(t(20))
                    .build(),
            ];
            case(
                "successful job after a single failure within index",
                job,
                ps,
                Want {
                    succeeded: 2,
                    failed: 1,
                    completed_indexes: "0,1",
                    failed_indexes: Some(""),
                    pod_patches: 3,
                    conditions: vec![
                        ("SuccessCriteriaMet", "CompletionsReached"),
                        ("Complete", "CompletionsReached"),
                    ],
                    events: vec!["Completed"],
                    ..w()
                },
            )
        },
        {
            let job = base().build();
            let ps = vec![
                pod(&job, "i0")
                    .index("0")
                    .annotation(JOB_INDEX_FAILURE_COUNT_ANNOTATION, "0")
                    .failed(t(95))
                    .build(),
                pod(&job, "i1").index("1").build(),
            ];
            case(
                "single failed pod, not counted as the replacement pod creation is delayed",
                job,
                ps,
                Want {
                    active: 0,
                    failed_indexes: Some(""),
                    requeue_at: Some(t(105)),
                    ..w()
                },
            )
        },
        {
            let job = base().build();
            let ps = vec![
                pod(&job, "i0")
                    .index("0")
                    .annotation(JOB_INDEX_FAILURE_COUNT_ANNOTATION, "1")
                    .failed(t(10))
                    .build(),
                pod(&job, "i1").index("1").build(),
            ];
            case(
                "single failed index due to exceeding the backoff limit per index, the job continues",
                job,
                ps,
                Want {
                    active: 1,
                    failed: 1,
                    failed_indexes: Some("0"),
                    pod_patches: 1,
                    ..w()
                },
            )
        },
        {
            let job = base()
                .pod_failure_policy(vec![on_exit_codes("FailIndex", "In", &[3], None)])
                .build();
            let ps = vec![
                pod(&job, "i0")
                    .index("0")
                    .annotation(JOB_INDEX_FAILURE_COUNT_ANNOTATION, "0")
                    .phase("Failed")
                    .exit("main", 3, t(10))
                    .build(),
                pod(&job, "i1").index("1").build(),
            ];
            case(
                "job failed index due to FailIndex action",
                job,
                ps,
                Want {
                    active: 1,
                    failed: 1,
                    failed_indexes: Some("0"),
                    pod_patches: 1,
                    ..w()
                },
            )
        },
        {
            let job = base().completions(4).max_failed_indexes(1).build();
            let ps = vec![
                pod(&job, "i0")
                    .index("0")
                    .annotation(JOB_INDEX_FAILURE_COUNT_ANNOTATION, "1")
                    .failed(t(10))
                    .build(),
                pod(&job, "i1")
                    .index("1")
                    .annotation(JOB_INDEX_FAILURE_COUNT_ANNOTATION, "1")
                    .failed(t(10))
                    .build(),
                pod(&job, "i2").index("2").build(),
            ];
            case(
                "job failed due to exceeding max failed indexes",
                job,
                ps,
                Want {
                    failed: 3,
                    failed_indexes: Some("0,1"),
                    deletions: 1,
                    terminating: 1,
                    pod_patches: 3,
                    conditions: vec![("FailureTarget", "MaxFailedIndexesExceeded")],
                    ..w()
                },
            )
        },
        {
            let job = base().build();
            let ps = vec![
                pod(&job, "i0")
                    .index("0")
                    .annotation(JOB_INDEX_FAILURE_COUNT_ANNOTATION, "1")
                    .failed(t(10))
                    .build(),
                pod(&job, "i1").index("1").succeeded(t(10)).build(),
            ];
            case(
                "job with all indexes finished and some failed",
                job,
                ps,
                Want {
                    succeeded: 1,
                    failed: 1,
                    completed_indexes: "1",
                    failed_indexes: Some("0"),
                    pod_patches: 2,
                    conditions: vec![
                        ("FailureTarget", "FailedIndexes"),
                        ("Failed", "FailedIndexes"),
                    ],
                    events: vec!["FailedIndexes"],
                    ..w()
                },
            )
        },
    ];
    for c in cases {
        check(c);
    }
}

#[test]
fn replacement_pod_inherits_the_index_failure_count() {
    let job = job("foobar")
        .parallelism(1)
        .completions(1)
        .indexed()
        .backoff_limit_per_index(2)
        .build();
    let failed = pod(&job, "i0")
        .index("0")
        .annotation(JOB_INDEX_FAILURE_COUNT_ANNOTATION, "0")
        .failed(t(10))
        .build();
    let store = store_with(&job, &[failed]);
    let res = sync_job(&job, &store, BackoffRecord::default(), t(100));
    let created: Vec<&Pod> = res
        .outcome
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Create {
                object: Object::Pod(p),
                ..
            } => Some(p),
            _ => None,
        })
        .collect();
    assert_eq!(created.len(), 1);
    let ann = created
        .first()
        .and_then(|p| p.metadata.annotations.clone())
        .unwrap_or_default();
    assert_eq!(
        ann.get(JOB_INDEX_FAILURE_COUNT_ANNOTATION)
            .map(String::as_str),
        Some("1")
    );
    // The failed pod keeps its finalizer until the replacement exists.
    assert!(!res.outcome.actions.iter().any(|a| matches!(
        a,
        Action::Update(Object::Pod(_)) | Action::RemoveFinalizer { .. }
    )));
}

// ------------------------------------------------------------------------------------------
// TestSyncJobWithJobSuccessPolicy
// ------------------------------------------------------------------------------------------

#[test]
fn test_sync_job_with_job_success_policy() {
    let rule = |indexes: Option<&str>, count: Option<i32>| SuccessPolicyRule {
        succeeded_indexes: indexes.map(Into::into),
        succeeded_count: count,
    };
    let cases = vec![
        {
            let job = job("foobar")
                .parallelism(3)
                .completions(3)
                .indexed()
                .success_policy(vec![rule(Some("0,1"), None)])
                .build();
            let ps = vec![
                pod(&job, "i0").index("0").succeeded(t(10)).build(),
                pod(&job, "i1").index("1").succeeded(t(10)).build(),
                pod(&job, "i2").index("2").build(),
            ];
            case(
                "job with successPolicy; jobSuccessPolicy is enabled; job has SuccessCriteriaMet and Complete condition when job meets to successPolicy and all pods have been already removed",
                job,
                ps,
                Want {
                    succeeded: 2,
                    completed_indexes: "0,1",
                    deletions: 1,
                    terminating: 1,
                    pod_patches: 3,
                    conditions: vec![("SuccessCriteriaMet", "SuccessPolicy")],
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(2)
                .completions(4)
                .indexed()
                .success_policy(vec![rule(None, Some(1))])
                .build();
            let ps = vec![pod(&job, "i3").index("3").succeeded(t(10)).build()];
            case(
                "succeededCount rule met with nothing running completes at once",
                job,
                ps,
                Want {
                    succeeded: 1,
                    completed_indexes: "3",
                    pod_patches: 1,
                    conditions: vec![
                        ("SuccessCriteriaMet", "SuccessPolicy"),
                        ("Complete", "SuccessPolicy"),
                    ],
                    events: vec!["Completed"],
                    ..w()
                },
            )
        },
    ];
    for c in cases {
        check(c);
    }
}

// ------------------------------------------------------------------------------------------
// indexed_job_utils_test.go / backoff_utils_test.go
// ------------------------------------------------------------------------------------------

#[test]
fn test_intervals_string() {
    let cases: [(&[i32], &str); 7] = [
        (&[], ""),
        (&[0], "0"),
        (&[0, 1], "0,1"),
        (&[0, 1, 2], "0-2"),
        (&[1, 3, 4, 5], "1,3-5"),
        (&[2, 4, 5, 7, 8, 9], "2,4,5,7-9"),
        (&[0, 2, 4, 6], "0,2,4,6"),
    ];
    for (indexes, want) in cases {
        let got = OrderedIntervals::default().with_ordered_indexes(indexes);
        assert_eq!(got.to_string(), want, "{indexes:?}");
        assert_eq!(got.total(), i32::try_from(indexes.len()).unwrap_or(0));
        // Parsing the string gives the same intervals back.
        assert_eq!(OrderedIntervals::parse(want, 100), got, "{want}");
    }
}

#[test]
fn test_parse_indexes_from_string() {
    let cases = [
        ("", 5, ""),
        ("1,3-4,6", 5, "1,3,4"),
        ("0-9", 5, "0-4"),
        ("x,2,3-y,4", 10, "2,4"),
        ("1,2,3", 10, "1-3"),
    ];
    for (input, completions, want) in cases {
        assert_eq!(
            OrderedIntervals::parse(input, completions).to_string(),
            want,
            "{input}"
        );
    }
}

#[test]
fn test_first_pending_indexes() {
    let job = job("foobar")
        .parallelism(3)
        .completions(6)
        .indexed()
        .build();
    let active = vec![
        pod(&job, "a1").index("1").build(),
        pod(&job, "a4").index("4").build(),
    ];
    let cases = [
        (
            "cnt greater than completions",
            &active[..0],
            "",
            10,
            vec![0, 1, 2, 3, 4, 5],
        ),
        ("cnt less than completions", &active[..0], "", 2, vec![0, 1]),
        ("first index active", &active[..], "", 3, vec![0, 2, 3]),
        ("mixed", &active[..], "0,3", 3, vec![2, 5]),
    ];
    for (name, act, succeeded, count, want) in cases {
        let s = OrderedIntervals::parse(succeeded, 6);
        assert_eq!(
            first_pending_indexes(act, None, &s, None, count, 6),
            want,
            "{name}"
        );
    }
    let failed = OrderedIntervals::parse("2", 6);
    assert_eq!(
        first_pending_indexes(
            &active,
            None,
            &OrderedIntervals::default(),
            Some(&failed),
            3,
            6
        ),
        vec![0, 3, 5]
    );
}

#[test]
fn test_get_remaining_time_for_failures_count() {
    // 10s doubling, capped at 10 minutes (the docs say six).
    let cases = [
        ("no failures", 0, 0, 0),
        ("one failure, just now", 1, 0, 10_000),
        ("one failure, 4s ago", 1, 4_000, 6_000),
        ("two failures", 2, 0, 20_000),
        ("seven failures", 7, 0, 600_000),
        ("many failures stay capped", 40, 0, 600_000),
        ("expired", 3, 50_000, 0),
    ];
    for (name, failures, elapsed, want) in cases {
        let now = SimTime(1_000_000);
        let last = SimTime(1_000_000 - elapsed);
        assert_eq!(
            remaining_for_failures(now, failures, Some(last)),
            want,
            "{name}"
        );
    }
}

#[test]
fn test_new_backoff_record() {
    let job = job("foobar").build();
    let s = |name: &str, at: u64| pod(&job, name).succeeded(t(at)).build();
    let f = |name: &str, at: u64| pod(&job, name).failed(t(at)).build();
    let prior = BackoffRecord {
        failures_after_last_success: 2,
        last_failure_time: Some(t(5)),
    };
    let cases = [
        ("no new pods keeps the record", vec![], vec![], prior),
        (
            "new failures add up",
            vec![],
            vec![f("f1", 10), f("f2", 20)],
            BackoffRecord {
                failures_after_last_success: 4,
                last_failure_time: Some(t(20)),
            },
        ),
        (
            "a success resets",
            vec![s("s1", 30)],
            vec![],
            BackoffRecord::default(),
        ),
        (
            "failures after the newest success count",
            vec![s("s1", 15)],
            vec![f("f1", 10), f("f2", 20), f("f3", 25)],
            BackoffRecord {
                failures_after_last_success: 2,
                last_failure_time: Some(t(25)),
            },
        ),
    ];
    for (name, succeeded, failed, want) in cases {
        assert_eq!(prior.updated(&succeeded, &failed), want, "{name}");
    }
}

#[test]
fn test_active_pods_ordering() {
    let job = job("foobar").build();
    let unscheduled = {
        let mut p = pod(&job, "unscheduled").pending().build();
        if let Some(s) = p.spec.as_mut() {
            s.node_name = None;
        }
        p
    };
    let ranked = vec![
        unscheduled,
        pod(&job, "pending").pending().build(),
        pod(&job, "running-new").created(t(20)).build(),
        pod(&job, "running-old").created(t(10)).build(),
        pod(&job, "ready").ready().build(),
    ];
    let mut shuffled = ranked.clone();
    shuffled.reverse();
    shuffled.sort_by(active_pods_cmp);
    let names: Vec<&str> = shuffled.iter().map(pod_name).collect();
    let want: Vec<&str> = ranked.iter().map(pod_name).collect();
    assert_eq!(names, want);
    // More restarts go first among otherwise equal pods.
    let a = pod(&job, "a").restarts(3).build();
    let b = pod(&job, "b").restarts(1).build();
    assert_eq!(active_pods_cmp(&a, &b), Ordering::Less);
}

#[test]
fn past_backoff_limit_on_failure_sums_restarts() {
    let cases = [
        ("restarts below the limit", 2, vec![1, 0], false),
        ("restarts reach the limit", 2, vec![1, 1], true),
        ("backoffLimit 0 and one restart", 0, vec![1], true),
        ("backoffLimit 0 and no restart", 0, vec![0], false),
    ];
    for (name, limit, restarts, want) in cases {
        let job = job("foobar")
            .restart_policy("OnFailure")
            .backoff_limit(limit)
            .build();
        let ps: Vec<Pod> = restarts
            .iter()
            .enumerate()
            .map(|(i, r)| pod(&job, &format!("p{i}")).restarts(*r).build())
            .collect();
        assert_eq!(past_backoff_limit_on_failure(&job, &ps), want, "{name}");
    }
}

#[test]
fn orphan_pods_lose_the_tracking_finalizer() {
    let job = job("foobar").build();
    let orphan = {
        let mut p = pod(&job, "orphan").build();
        p.metadata.owner_references = None;
        p.metadata.labels = None;
        p
    };
    let owned_by_gone_job = pod(&job, "gone").build();
    let mut store = Store::new();
    store.put(Object::Pod(orphan));
    store.put(Object::Pod(owned_by_gone_job));
    let out = sync_orphan_pods(&store);
    let stripped: Vec<String> = out
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Update(Object::Pod(p)) if !has_job_tracking_finalizer(p) => {
                Some(pod_name(p).to_string())
            }
            _ => None,
        })
        .collect();
    assert_eq!(stripped, vec!["gone".to_string(), "orphan".to_string()]);
}

// ------------------------------------------------------------------------------------------
// End to end through the Cluster (pods are bound by a stand-in scheduler)
// ------------------------------------------------------------------------------------------

mod e2e {
    use super::*;
    use crate::engine::kubelet::{Fault, EXIT_CODE_ANNOTATION, RUN_SECONDS_ANNOTATION};
    use crate::engine::Cluster;
    use k8s_openapi::api::core::v1::Node;

    pub(super) fn cluster() -> Cluster {
        let mut c = Cluster::new(7);
        let node = Node {
            metadata: ObjectMeta {
                name: Some("n1".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        if let Err(e) = c.create(Object::Node(node)) {
            panic!("node: {e:?}");
        }
        c
    }

    /// A Job manifest whose pods run `secs` seconds and exit with `code`.
    pub(super) fn manifest(name: &str, secs: u32, code: i32) -> JobB {
        let mut b = job(name);
        b.0.metadata.uid = None;
        b.0.metadata.creation_timestamp = None;
        let tm = b
            .spec()
            .template
            .metadata
            .get_or_insert_with(ObjectMeta::default);
        let ann = tm.annotations.get_or_insert_with(BTreeMap::new);
        ann.insert(RUN_SECONDS_ANNOTATION.into(), secs.to_string());
        ann.insert(EXIT_CODE_ANNOTATION.into(), code.to_string());
        b
    }

    /// Binds every unbound pod to `n1` (the scheduler is not part of this test).
    pub(super) fn bind_all(c: &mut Cluster) {
        let unbound: Vec<Pod> = c
            .store()
            .pods()
            .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_none())
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .cloned()
            .collect();
        for mut p in unbound {
            if let Some(s) = p.spec.as_mut() {
                s.node_name = Some("n1".into());
            }
            c.apply_action(Action::Update(Object::Pod(p)));
        }
        c.settle();
    }

    /// Runs `secs` seconds of simulated time, one second at a time, binding new pods.
    pub(super) fn run(c: &mut Cluster, secs: u64) {
        for _ in 0..secs {
            bind_all(c);
            c.advance(1000);
        }
        bind_all(c);
    }

    pub(super) fn get_job(c: &Cluster, name: &str) -> Option<Job> {
        match c.store().get(&ObjectKey::new(Kind::Job, NS, name)) {
            Some(Object::Job(j)) => Some(j.clone()),
            _ => None,
        }
    }

    pub(super) fn job_pods(c: &Cluster, job: &Job) -> Vec<Pod> {
        let uid = job.metadata.uid.clone().unwrap_or_default();
        c.store()
            .pods()
            .filter(|p| {
                crate::engine::api::controller_ref(&p.metadata).is_some_and(|r| r.uid == uid)
            })
            .cloned()
            .collect()
    }

    fn events(c: &Cluster, name: &str) -> Vec<(String, String)> {
        c.store()
            .list(Kind::Event)
            .filter_map(|o| match o {
                Object::Event(e) if e.involved_object.name.as_deref() == Some(name) => Some((
                    e.reason.clone().unwrap_or_default(),
                    e.message.clone().unwrap_or_default(),
                )),
                _ => None,
            })
            .collect()
    }

    fn cond_types(j: &Job) -> Vec<String> {
        conditions(j).iter().map(|c| c.type_.clone()).collect()
    }

    fn create(c: &mut Cluster, j: Job) -> Job {
        match c.create(Object::Job(j)) {
            Ok(Object::Job(j)) => j,
            other => panic!("create: {other:?}"),
        }
    }

    #[test]
    fn job_runs_to_completion() {
        let mut c = cluster();
        let j = create(&mut c, manifest("pi", 5, 0).completions(3).parallelism(2).0);
        // The API server generated the selector and the four labels.
        let labels = j.metadata.labels.clone().unwrap_or_default();
        for k in [
            "batch.kubernetes.io/controller-uid",
            "batch.kubernetes.io/job-name",
            "controller-uid",
            "job-name",
        ] {
            assert!(labels.contains_key(k), "job label {k}");
        }
        run(&mut c, 30);
        let Some(j) = get_job(&c, "pi") else {
            panic!("job gone");
        };
        let st = j.status.clone().unwrap_or_default();
        assert_eq!(st.succeeded, Some(3));
        assert_eq!(st.active, None);
        assert_eq!(cond_types(&j), vec!["SuccessCriteriaMet", "Complete"]);
        assert!(st.completion_time.is_some());
        let ps = job_pods(&c, &j);
        assert_eq!(ps.len(), 3);
        assert!(ps
            .iter()
            .all(|p| pod_phase(p) == "Succeeded" && !has_job_tracking_finalizer(p)));
        assert!(ps.iter().all(|p| pod_name(p).starts_with("pi-")));
        let ev = events(&c, "pi");
        let created = ev
            .iter()
            .filter(|(r, m)| r == "SuccessfulCreate" && m.starts_with("Created pod: pi-"))
            .count();
        assert_eq!(created, 3);
        assert!(ev.contains(&("Completed".into(), "Job completed".into())));
        // Settled: nothing more to do.
        assert!(c.next_wake().is_none_or(|w| w > c.now()));
    }

    #[test]
    fn pods_are_created_at_the_controller_managers_client_rate() {
        // kube-controller-manager's client: a burst of 30 requests, then 20 a second.
        let mut c = cluster();
        let j = create(
            &mut c,
            manifest("wide", 600, 0).parallelism(100).completions(100).0,
        );
        c.settle();
        assert_eq!(job_pods(&c, &j).len(), 30);
        // The status update went into debt: the next token comes 50 ms after it is paid.
        c.advance(1000);
        let after_1s = job_pods(&c, &j).len();
        assert!((45..=50).contains(&after_1s), "{after_1s} pods after 1 s");
        c.advance(4000);
        let after_5s = job_pods(&c, &j).len();
        assert_eq!(after_5s, 100, "{after_5s} pods after 5 s");
        let Some(j) = get_job(&c, "wide") else {
            panic!("job gone");
        };
        assert_eq!(j.status.and_then(|s| s.active), Some(100));
    }

    #[test]
    fn a_throttled_sync_is_retried_when_tokens_come_back() {
        // Nothing else happens in the cluster: only the controller's own wake-up can finish it.
        let mut c = cluster();
        let j = create(
            &mut c,
            manifest("wide", 600, 0).parallelism(45).completions(45).0,
        );
        c.settle();
        assert_eq!(job_pods(&c, &j).len(), 30);
        assert!(c.next_wake().is_some_and(|t| t.millis() <= 1_000));
        c.advance(2000);
        assert_eq!(job_pods(&c, &j).len(), 45);
    }

    #[test]
    fn backoff_limit_exceeded_after_backoff_delays() {
        let mut c = cluster();
        create(&mut c, manifest("fail", 1, 2).backoff_limit(2).0);
        run(&mut c, 120);
        let Some(j) = get_job(&c, "fail") else {
            panic!("job gone");
        };
        let st = j.status.clone().unwrap_or_default();
        // failed > backoffLimit: the third failure fails the Job.
        assert_eq!(st.failed, Some(3));
        assert_eq!(cond_types(&j), vec!["FailureTarget", "Failed"]);
        assert!(st.completion_time.is_none());
        let mut created: Vec<u64> = job_pods(&c, &j).iter().map(creation_millis).collect();
        created.sort_unstable();
        // 10 s then 20 s of back-off between the replacements (plus the run time).
        let gaps: Vec<u64> = created
            .windows(2)
            .map(|w| w.get(1).copied().unwrap_or(0) - w.first().copied().unwrap_or(0))
            .collect();
        assert_eq!(gaps.len(), 2);
        assert!(
            gaps.first().is_some_and(|g| (10_000..15_000).contains(g)),
            "{gaps:?}"
        );
        assert!(
            gaps.get(1).is_some_and(|g| (20_000..24_000).contains(g)),
            "{gaps:?}"
        );
        assert!(events(&c, "fail").contains(&(
            "BackoffLimitExceeded".into(),
            "Job has reached the specified backoff limit".into()
        )));
    }

    #[test]
    fn indexed_job_pods_carry_their_index() {
        let mut c = cluster();
        create(
            &mut c,
            manifest("idx", 3, 0)
                .completions(3)
                .parallelism(3)
                .indexed()
                .0,
        );
        bind_all(&mut c);
        let Some(j) = get_job(&c, "idx") else {
            panic!("job gone");
        };
        let mut ps = job_pods(&c, &j);
        ps.sort_by(indexed::by_completion_index);
        assert_eq!(ps.len(), 3);
        for (i, p) in ps.iter().enumerate() {
            assert!(pod_name(p).starts_with(&format!("idx-{i}-")));
            let labels = p.metadata.labels.clone().unwrap_or_default();
            assert_eq!(
                labels.get(JOB_COMPLETION_INDEX_ANNOTATION),
                Some(&i.to_string())
            );
            assert_eq!(
                p.spec.as_ref().and_then(|s| s.hostname.clone()),
                Some(format!("idx-{i}"))
            );
            let env = p
                .spec
                .as_ref()
                .and_then(|s| s.containers.first())
                .and_then(|c| c.env.clone())
                .unwrap_or_default();
            assert!(env.iter().any(|e| e.name == "JOB_COMPLETION_INDEX"));
        }
        run(&mut c, 10);
        let Some(j) = get_job(&c, "idx") else {
            panic!("job gone");
        };
        let st = j.status.clone().unwrap_or_default();
        assert_eq!(st.completed_indexes.as_deref(), Some("0-2"));
        assert_eq!(st.succeeded, Some(3));
    }

    #[test]
    fn suspend_and_resume() {
        let mut c = cluster();
        create(
            &mut c,
            manifest("s", 600, 0).completions(2).parallelism(2).0,
        );
        run(&mut c, 3);
        let key = ObjectKey::new(Kind::Job, NS, "s");
        let patch = |c: &mut Cluster, v: bool| {
            let body = serde_json::json!({"spec": {"suspend": v}});
            if let Err(e) = c.patch(&key, crate::engine::PatchType::Merge, &body) {
                panic!("patch: {e:?}");
            }
        };
        patch(&mut c, true);
        run(&mut c, 40);
        let Some(j) = get_job(&c, "s") else {
            panic!("job gone");
        };
        let st = j.status.clone().unwrap_or_default();
        assert_eq!(st.active, None);
        assert_eq!(
            st.failed, None,
            "pods deleted for suspension are never counted"
        );
        assert_eq!(cond_types(&j), vec!["Suspended"]);
        assert!(job_pods(&c, &j).is_empty());
        patch(&mut c, false);
        run(&mut c, 2);
        let Some(j) = get_job(&c, "s") else {
            panic!("job gone");
        };
        let st = j.status.clone().unwrap_or_default();
        assert_eq!(st.active, Some(2));
        let susp = find_condition(conditions(&j), JobConditionType::Suspended).cloned();
        assert_eq!(
            susp.map(|c| (c.status, c.reason)),
            Some(("False".into(), Some("JobResumed".into())))
        );
        let ev = events(&c, "s");
        assert!(ev.contains(&("Suspended".into(), "Job suspended".into())));
        assert!(ev.contains(&("Resumed".into(), "Job resumed".into())));
    }

    #[test]
    fn deleting_a_running_pod_counts_as_failed() {
        let mut c = cluster();
        create(&mut c, manifest("d", 600, 0).0);
        // Running from 3.5 s: sandbox 1 s, image pull 2 s, start 0.5 s.
        run(&mut c, 5);
        let Some(j) = get_job(&c, "d") else {
            panic!("job gone");
        };
        let Some(victim) = job_pods(&c, &j).first().cloned() else {
            panic!("no pod");
        };
        if let Err(e) = c.delete(&pod_key(&victim), &DeleteOptions::default()) {
            panic!("delete: {e:?}");
        }
        c.settle();
        let Some(j) = get_job(&c, "d") else {
            panic!("job gone");
        };
        let st = j.status.clone().unwrap_or_default();
        assert_eq!(st.failed, Some(1));
        // The container stopped at once on SIGTERM, so the pod is already gone.
        assert_eq!(st.terminating, Some(0));
        // TerminatingOrFailed: the replacement does not wait for the old pod to end, but the
        // pod-failure back-off (10 s) applies.
        run(&mut c, 12);
        let Some(j) = get_job(&c, "d") else {
            panic!("job gone");
        };
        assert_eq!(j.status.and_then(|s| s.active), Some(1));
    }

    /// Upstream `TestPastDeadlineJobFinished`: a Job with `activeDeadlineSeconds: 1` gets its
    /// start time, then fails with `DeadlineExceeded` once (and not before) a second has passed
    /// since it, whether or not the Job was created with a start time. Upstream polls for 3 s
    /// of its fake clock in 100 ms steps; so does this run.
    #[test]
    fn test_past_deadline_job_finished() {
        for (case, set_start_time, name) in [
            (
                "New job created without start time being set",
                false,
                "job1",
            ),
            ("New job created with start time being set", true, "job2"),
        ] {
            let mut c = cluster();
            // The pod would run far longer than the deadline.
            let created = create(
                &mut c,
                manifest(name, 600, 0)
                    .parallelism(1)
                    .completions(1)
                    .backoff_limit(6)
                    .active_deadline(1)
                    .0,
            );
            if set_start_time {
                let mut j = created;
                j.status.get_or_insert_with(JobStatus::default).start_time = Some(c.now().to_k8s());
                c.apply_action(Action::Update(Object::Job(j)));
            }
            c.settle();
            let start = get_job(&c, name)
                .and_then(|j| j.status.and_then(|s| s.start_time))
                .map(|t| SimTime::from_k8s(&t));
            let Some(start) = start else {
                panic!("TestPastDeadlineJobFinished/{case}: start time not set");
            };
            let mut failed_at = None;
            for _ in 0..30 {
                bind_all(&mut c);
                c.advance(100);
                let Some(j) = get_job(&c, name) else {
                    panic!("TestPastDeadlineJobFinished/{case}: job gone");
                };
                let deadline_exceeded = conditions(&j).iter().any(|cond| {
                    cond.type_ == "Failed"
                        && cond.status == "True"
                        && cond.reason.as_deref() == Some("DeadlineExceeded")
                });
                if deadline_exceeded {
                    failed_at = Some(c.now());
                    break;
                }
            }
            let Some(failed_at) = failed_at else {
                panic!("TestPastDeadlineJobFinished/{case}: no DeadlineExceeded within 3 s");
            };
            assert!(
                failed_at.0 - start.0 >= 1000,
                "TestPastDeadlineJobFinished/{case}: DeadlineExceeded {} ms after the start",
                failed_at.0 - start.0
            );
            // Finished: nothing more to do, and the pod is gone or going.
            let Some(j) = get_job(&c, name) else {
                panic!("TestPastDeadlineJobFinished/{case}: job gone");
            };
            assert!(is_job_finished(&j), "TestPastDeadlineJobFinished/{case}");
            assert!(
                job_pods(&c, &j)
                    .iter()
                    .all(|p| p.metadata.deletion_timestamp.is_some()
                        || p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Failed")),
                "TestPastDeadlineJobFinished/{case}: a pod still runs"
            );
        }
    }

    /// Upstream `TestFinalizerCleanup`: the pod of a Job that something else marks Complete
    /// (a status update, not the controller) loses its tracking finalizer although it has not
    /// finished.
    #[test]
    fn test_finalizer_cleanup() {
        let mut c = cluster();
        create(
            &mut c,
            manifest("foobar", 600, 0)
                .parallelism(1)
                .completions(1)
                .backoff_limit(1)
                .0,
        );
        run(&mut c, 1);
        let Some(mut j) = get_job(&c, "foobar") else {
            panic!("job gone");
        };
        let pods = job_pods(&c, &j);
        assert_eq!(pods.len(), 1, "the Job created its pod");
        assert!(pods.iter().all(has_job_tracking_finalizer));
        j.status
            .get_or_insert_with(JobStatus::default)
            .conditions
            .get_or_insert_with(Vec::new)
            .push(JobCondition {
                type_: "Complete".into(),
                status: "True".into(),
                ..Default::default()
            });
        c.apply_action(Action::Update(Object::Job(j)));
        c.settle();
        let Some(j) = get_job(&c, "foobar") else {
            panic!("job gone");
        };
        let pods = job_pods(&c, &j);
        assert_eq!(pods.len(), 1);
        assert!(
            pods.iter().all(|p| !has_job_tracking_finalizer(p)),
            "the finished Job's pod keeps the finalizer"
        );
        assert!(
            pods.iter()
                .all(|p| !matches!(pod_phase(p), "Succeeded" | "Failed")),
            "the pod has not finished: {:?}",
            pods.iter().map(pod_phase).collect::<Vec<_>>()
        );
        // The finished Job is left alone: its conditions are the one the update set.
        assert_eq!(cond_types(&j), vec!["Complete"]);
    }

    #[test]
    fn ttl_after_finished_deletes_the_job_and_its_pods() {
        let mut c = cluster();
        let mut m = manifest("ttl", 2, 0);
        m.spec().ttl_seconds_after_finished = Some(5);
        create(&mut c, m.0);
        run(&mut c, 7);
        assert!(get_job(&c, "ttl").is_some_and(|j| is_job_finished(&j)));
        run(&mut c, 10);
        assert!(get_job(&c, "ttl").is_none());
        assert_eq!(c.store().pods().count(), 0);
    }

    #[test]
    fn pod_failure_policy_fail_job_on_exit_code() {
        let mut c = cluster();
        let m = manifest("pfp", 1, 42)
            .completions(3)
            .parallelism(1)
            .pod_failure_policy(vec![on_exit_codes("FailJob", "In", &[42], None)]);
        create(&mut c, m.0);
        run(&mut c, 5);
        let Some(j) = get_job(&c, "pfp") else {
            panic!("job gone");
        };
        assert_eq!(cond_types(&j), vec!["FailureTarget", "Failed"]);
        let failed = find_condition(conditions(&j), JobConditionType::Failed).cloned();
        let msg = failed.and_then(|c| c.message).unwrap_or_default();
        assert!(
            msg.starts_with("Container main for pod default/pfp-"),
            "{msg}"
        );
        assert!(
            msg.ends_with("failed with exit code 42 matching FailJob rule at index 0"),
            "{msg}"
        );
    }

    #[test]
    fn injected_exit_fails_the_pod() {
        let mut c = cluster();
        create(&mut c, manifest("inj", 600, 0).0);
        // Running from 3.5 s: sandbox 1 s, image pull 2 s, start 0.5 s.
        run(&mut c, 5);
        let Some(j) = get_job(&c, "inj") else {
            panic!("job gone");
        };
        let Some(p) = job_pods(&c, &j).first().cloned() else {
            panic!("no pod");
        };
        if let Err(e) = c.inject(&pod_key(&p), Fault::Exit(3)) {
            panic!("inject: {e:?}");
        }
        let Some(j) = get_job(&c, "inj") else {
            panic!("job gone");
        };
        assert_eq!(j.status.and_then(|s| s.failed), Some(1));
    }
}

// ------------------------------------------------------------------------------------------
// Invariants under random pod failures, successes, deletions and spec patches
// ------------------------------------------------------------------------------------------

mod prop {
    use super::e2e::{bind_all, cluster, get_job, job_pods, manifest, run};
    use super::*;
    use crate::engine::kubelet::Fault;
    use crate::engine::{Cluster, PatchType};
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Fail(usize),
        Succeed(usize),
        Delete(usize),
        Parallelism(i32),
        Suspend(bool),
        Advance(u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0..5usize).prop_map(Op::Fail),
            (0..5usize).prop_map(Op::Succeed),
            (0..5usize).prop_map(Op::Delete),
            (0..4i32).prop_map(Op::Parallelism),
            any::<bool>().prop_map(Op::Suspend),
            (1..40u64).prop_map(Op::Advance),
        ]
    }

    fn patch(c: &mut Cluster, body: serde_json::Value) {
        let key = ObjectKey::new(Kind::Job, NS, "prop");
        // A finished Job still accepts these patches; nothing else can fail here.
        let _ = c.patch(&key, PatchType::Merge, &body);
    }

    fn active_pods(c: &Cluster, job: &Job) -> Vec<Pod> {
        let mut ps: Vec<Pod> = job_pods(c, job).into_iter().filter(is_pod_active).collect();
        ps.sort_by(|a, b| pod_name(a).cmp(pod_name(b)));
        ps
    }

    fn pick(ps: &[Pod], i: usize) -> Option<&Pod> {
        if ps.is_empty() {
            None
        } else {
            ps.get(i % ps.len())
        }
    }

    fn check_invariants(c: &Cluster, user_deleted: i32) -> Result<(), TestCaseError> {
        let Some(job) = get_job(c, "prop") else {
            return Err(TestCaseError::fail("job gone"));
        };
        let spec = spec_of(&job).into_owned();
        let st = job.status.clone().unwrap_or_default();
        let pods = job_pods(c, &job);
        let active = len_i32(pods.iter().filter(|p| is_pod_active(p)).count());
        let parallelism = spec.parallelism.unwrap_or(1);
        prop_assert!(
            active <= parallelism,
            "active {active} > parallelism {parallelism}"
        );
        let completions = spec.completions.unwrap_or(1);
        let succeeded = st.succeeded.unwrap_or(0);
        prop_assert!(
            succeeded <= completions,
            "succeeded {succeeded} > {completions}"
        );
        if is_job_finished(&job) {
            let running = pods.iter().filter(|p| !is_terminal(p)).count();
            prop_assert_eq!(running, 0, "terminal condition with pods still running");
        }
        let succeeded_pods = len_i32(pods.iter().filter(|p| pod_phase(p) == "Succeeded").count());
        prop_assert_eq!(succeeded, succeeded_pods, "succeeded count vs pods");
        let failed_pods = len_i32(
            pods.iter()
                .filter(|p| pod_phase(p) == "Failed" && p.metadata.deletion_timestamp.is_none())
                .count(),
        );
        prop_assert_eq!(
            st.failed.unwrap_or(0),
            failed_pods + user_deleted,
            "failed count vs pods"
        );
        let reported = st.active.unwrap_or(0);
        // Upstream reports 0 active while it waits out the pod-failure back-off.
        prop_assert!(
            reported == active || reported == 0,
            "active {reported} vs {active}"
        );
        prop_assert!(pods
            .iter()
            .all(|p| is_pod_active(p) || !has_job_tracking_finalizer(p)));
        prop_assert_eq!(st.uncounted_terminated_pods, Some(Default::default()));
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn job_invariants(
            completions in 1..6i32,
            parallelism in 1..4i32,
            ops in proptest::collection::vec(op(), 1..16),
        ) {
            let mut c = cluster();
            let m = manifest("prop", 10_000, 0)
                .completions(completions)
                .parallelism(parallelism)
                .backoff_limit(100);
            if let Err(e) = c.create(Object::Job(m.0)) {
                return Err(TestCaseError::fail(format!("create: {e:?}")));
            }
            run(&mut c, 3);
            let mut user_deleted = 0;
            for op in ops {
                let Some(job) = get_job(&c, "prop") else {
                    return Err(TestCaseError::fail("job gone"));
                };
                let active = active_pods(&c, &job);
                match op {
                    Op::Fail(i) => {
                        if let Some(p) = pick(&active, i) {
                            let _ = c.inject(&pod_key(p), Fault::Exit(1));
                        }
                    }
                    Op::Succeed(i) => {
                        if let Some(p) = pick(&active, i) {
                            let _ = c.inject(&pod_key(p), Fault::PodSucceeded);
                        }
                    }
                    Op::Delete(i) => {
                        if let Some(p) = pick(&active, i) {
                            if c.delete(&pod_key(p), &DeleteOptions::default()).is_ok() {
                                user_deleted += 1;
                            }
                        }
                    }
                    Op::Parallelism(n) => patch(&mut c, serde_json::json!({"spec": {"parallelism": n}})),
                    Op::Suspend(s) => patch(&mut c, serde_json::json!({"spec": {"suspend": s}})),
                    Op::Advance(secs) => run(&mut c, secs),
                }
                bind_all(&mut c);
                check_invariants(&c, user_deleted)?;
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// Upstream status tables: `TestSyncJobWithJobPodFailurePolicy`, `TestSyncJobWithJobSuccessPolicy`
// and `TestSyncJobWithJobBackoffLimitPerIndex` compare the whole status after one sync. The
// cases keep upstream's names and expectations, read with the 1.34 defaults (JobManagedBy,
// JobPodReplacementPolicy, JobSuccessPolicy, JobBackoffLimitPerIndex all on): where upstream
// holds a case twice (gate off / gate on), the gate-on variant is the one mirrored, and where a
// case only runs with a gate off, the value the 1.34 controller writes is noted beside it.
// ------------------------------------------------------------------------------------------

/// `(type, status, reason, message)` of a condition.
type Cond = (&'static str, &'static str, &'static str, &'static str);

#[derive(Debug, Default)]
struct StatusWant {
    conditions: Vec<Cond>,
    active: i32,
    succeeded: i32,
    failed: i32,
    terminating: i32,
    completed_indexes: &'static str,
    failed_indexes: Option<&'static str>,
}

struct StatusCase {
    name: &'static str,
    job: Job,
    pods: Vec<Pod>,
    want: StatusWant,
}

fn status_case(name: &'static str, job: Job, pods: Vec<Pod>, want: StatusWant) -> StatusCase {
    StatusCase {
        name,
        job,
        pods,
        want,
    }
}

/// Upstream names the pods `mypod-<i>` in the order the case lists them.
fn mypods(job: &Job, f: Vec<Box<dyn Fn(PodB) -> PodB>>) -> Vec<Pod> {
    f.iter()
        .enumerate()
        .map(|(i, f)| f(pod(job, &format!("mypod-{i}"))).build())
        .collect()
}

fn check_status(c: StatusCase) {
    check_status_at(c, t(100));
}

fn check_status_at(c: StatusCase, now: SimTime) {
    let store = store_with(&c.job, &c.pods);
    let res = sync_job(&c.job, &store, BackoffRecord::default(), now);
    let name = c.name;
    let job_after = res
        .outcome
        .actions
        .iter()
        .rev()
        .find_map(|a| match a {
            Action::Update(Object::Job(j)) => Some(j.clone()),
            _ => None,
        })
        .unwrap_or_else(|| c.job.clone());
    let st = job_after.status.unwrap_or_default();
    let conds: Vec<(String, String, String, String)> = st
        .conditions
        .iter()
        .flatten()
        .map(|c| {
            (
                c.type_.clone(),
                c.status.clone(),
                c.reason.clone().unwrap_or_default(),
                c.message.clone().unwrap_or_default(),
            )
        })
        .collect();
    let want: Vec<(String, String, String, String)> = c
        .want
        .conditions
        .iter()
        .map(|(a, b, r, m)| (a.to_string(), b.to_string(), r.to_string(), m.to_string()))
        .collect();
    assert_eq!(conds, want, "{name}: conditions");
    assert_eq!(st.active.unwrap_or(0), c.want.active, "{name}: active");
    assert_eq!(
        st.succeeded.unwrap_or(0),
        c.want.succeeded,
        "{name}: succeeded"
    );
    assert_eq!(st.failed.unwrap_or(0), c.want.failed, "{name}: failed");
    assert_eq!(
        st.terminating.unwrap_or(0),
        c.want.terminating,
        "{name}: terminating"
    );
    assert_eq!(
        st.completed_indexes.as_deref().unwrap_or_default(),
        c.want.completed_indexes,
        "{name}: completedIndexes"
    );
    assert_eq!(
        st.failed_indexes.as_deref(),
        c.want.failed_indexes,
        "{name}: failedIndexes"
    );
    assert_eq!(
        st.uncounted_terminated_pods,
        Some(Default::default()),
        "{name}: uncountedTerminatedPods"
    );
}

impl PodB {
    /// A container status of `container`, terminated with `code` (no finish time, as upstream
    /// builds most of these pods: the finish time falls back to the creation time).
    fn terminated(mut self, container: &str, code: i32) -> Self {
        self.status()
            .container_statuses
            .get_or_insert_with(Vec::new)
            .push(ContainerStatus {
                name: container.into(),
                state: Some(ContainerState {
                    terminated: Some(ContainerStateTerminated {
                        exit_code: code,
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            });
        self
    }
    fn init_terminated(mut self, container: &str, code: i32) -> Self {
        self.status()
            .init_container_statuses
            .get_or_insert_with(Vec::new)
            .push(ContainerStatus {
                name: container.into(),
                state: Some(ContainerState {
                    terminated: Some(ContainerStateTerminated {
                        exit_code: code,
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            });
        self
    }
    fn no_finalizer(mut self) -> Self {
        self.0.metadata.finalizers = None;
        self
    }
    /// Deleted just now (upstream `DeletionTimestamp: &now`, no grace period).
    fn deleted_now(mut self, now: SimTime) -> Self {
        self.0.metadata.deletion_timestamp = Some(now.to_k8s());
        self
    }
    fn failure_count(self, n: &str) -> Self {
        self.annotation(JOB_INDEX_FAILURE_COUNT_ANNOTATION, n)
    }
}

fn pfp_rule(
    action: &str,
    op: &str,
    values: &[i32],
    container: Option<&str>,
) -> PodFailurePolicyRule {
    on_exit_codes(action, op, values, container)
}

const FT: &str = "FailureTarget";
const FAILED: &str = "Failed";
const SCM: &str = "SuccessCriteriaMet";
const COMPLETE: &str = "Complete";
const TRUE: &str = "True";
const BLE_MSG: &str = "Job has reached the specified backoff limit";

#[test]
fn test_sync_job_with_job_pod_failure_policy_upstream_table() {
    // `onExitCodeRules`: Ignore In [1,2,3], FailJob In [5,6,7].
    let on_exit_code_rules = || {
        vec![
            pfp_rule("Ignore", "In", &[1, 2, 3], None),
            pfp_rule("FailJob", "In", &[5, 6, 7], None),
        ]
    };
    let base = |p: i32, backoff: i32, rules: Vec<PodFailurePolicyRule>| {
        job("foobar")
            .parallelism(p)
            .completions(p)
            .backoff_limit(backoff)
            .pod_failure_policy(rules)
    };
    let pf = "PodFailurePolicy";
    let msg5 = "Container main-container for pod default/mypod-0 failed with exit code 5 matching FailJob rule at index 1";
    let failed = |b: PodB| b.phase("Failed");
    let cases = vec![
        {
            let job = base(
                1,
                6,
                vec![
                    pfp_rule("Ignore", "In", &[1, 2, 3], Some("main-container")),
                    pfp_rule("FailJob", "In", &[5, 6, 7], Some("main-container")),
                ],
            )
            .build();
            let ps = mypods(
                &job,
                vec![Box::new(|b: PodB| {
                    b.phase("Failed")
                        .terminated("monitoring-container", 5)
                        .exit("main-container", 42, t(1))
                })],
            );
            status_case(
                "default handling for pod failure if the container matching the exit codes does not match the containerName restriction",
                job,
                ps,
                StatusWant {
                    active: 1,
                    failed: 1,
                    ..Default::default()
                },
            )
        },
        {
            let job = base(1, 6, on_exit_code_rules()).build();
            let ps = mypods(
                &job,
                vec![Box::new(|b: PodB| b.terminated("main-container", 5))],
            );
            status_case(
                "running pod should not result in job fail based on OnExitCodes",
                job,
                ps,
                StatusWant {
                    active: 1,
                    ..Default::default()
                },
            )
        },
        {
            let job = base(1, 6, on_exit_code_rules()).build();
            let ps = mypods(
                &job,
                vec![Box::new(move |b: PodB| {
                    failed(b).terminated("main-container", 5)
                })],
            );
            status_case(
                "fail job based on OnExitCodes",
                job,
                ps,
                StatusWant {
                    conditions: vec![(FT, TRUE, pf, msg5), (FAILED, TRUE, pf, msg5)],
                    failed: 1,
                    ..Default::default()
                },
            )
        },
        {
            let mut b = base(1, 6, on_exit_code_rules());
            b.status()
                .conditions
                .get_or_insert_with(Vec::new)
                .push(JobCondition {
                    type_: FT.into(),
                    status: TRUE.into(),
                    reason: Some(pf.into()),
                    message: Some(msg5.into()),
                    ..Default::default()
                });
            let job = b.build();
            let ps = mypods(
                &job,
                vec![Box::new(move |b: PodB| {
                    failed(b).terminated("main-container", 5)
                })],
            );
            status_case(
                "job marked already as failure target with failed pod",
                job,
                ps,
                StatusWant {
                    conditions: vec![(FT, TRUE, pf, msg5), (FAILED, TRUE, pf, msg5)],
                    failed: 1,
                    ..Default::default()
                },
            )
        },
        {
            let gone = "Container main-container for pod default/already-deleted-pod failed with exit code 5 matching FailJob rule at index 1";
            let mut b = base(1, 6, on_exit_code_rules());
            b.status()
                .conditions
                .get_or_insert_with(Vec::new)
                .push(JobCondition {
                    type_: FT.into(),
                    status: TRUE.into(),
                    reason: Some(pf.into()),
                    message: Some(gone.into()),
                    ..Default::default()
                });
            let job = b.build();
            let ps = mypods(
                &job,
                vec![Box::new(move |b: PodB| {
                    failed(b).terminated("main-container", 5)
                })],
            );
            status_case(
                "job marked already as failure target with failed pod, message based on already deleted pod",
                job,
                ps,
                StatusWant {
                    conditions: vec![(FT, TRUE, pf, gone), (FAILED, TRUE, pf, gone)],
                    failed: 1,
                    ..Default::default()
                },
            )
        },
        {
            // Upstream lists this twice; with JobManagedBy on (1.34) the terminal condition waits
            // for the running pod, which is deleted and counted as failed. With
            // JobPodReplacementPolicy also on, that pod shows as terminating.
            let msg = "Container main-container for pod default/mypod-1 failed with exit code 5 matching FailJob rule at index 1";
            let job = base(2, 6, on_exit_code_rules()).build();
            let ps = mypods(
                &job,
                vec![
                    Box::new(|b: PodB| b),
                    Box::new(move |b: PodB| failed(b).terminated("main-container", 5)),
                ],
            );
            status_case(
                "fail job with multiple pods; JobManagedBy enabled delays setting terminal condition",
                job,
                ps,
                StatusWant {
                    conditions: vec![(FT, TRUE, pf, msg)],
                    failed: 2,
                    terminating: 1,
                    ..Default::default()
                },
            )
        },
        {
            let job = base(1, 6, on_exit_code_rules()).indexed().build();
            let ps = mypods(
                &job,
                vec![Box::new(move |b: PodB| {
                    failed(b).index("0").terminated("main-container", 5)
                })],
            );
            status_case(
                "fail indexed job based on OnExitCodes",
                job,
                ps,
                StatusWant {
                    conditions: vec![(FT, TRUE, pf, msg5), (FAILED, TRUE, pf, msg5)],
                    failed: 1,
                    ..Default::default()
                },
            )
        },
        {
            let msg = "Container main-container for pod default/mypod-0 failed with exit code 42 matching FailJob rule at index 0";
            let job = base(1, 6, vec![pfp_rule("FailJob", "NotIn", &[5, 6, 7], None)]).build();
            let ps = mypods(
                &job,
                vec![Box::new(move |b: PodB| {
                    failed(b).terminated("main-container", 42)
                })],
            );
            status_case(
                "fail job based on OnExitCodes with NotIn operator",
                job,
                ps,
                StatusWant {
                    conditions: vec![(FT, TRUE, pf, msg), (FAILED, TRUE, pf, msg)],
                    failed: 1,
                    ..Default::default()
                },
            )
        },
        {
            let job = base(1, 6, vec![pfp_rule("FailJob", "NotIn", &[5, 6, 7], None)]).build();
            let ps = mypods(
                &job,
                vec![Box::new(move |b: PodB| {
                    failed(b).exit("main-container", 5, t(1))
                })],
            );
            status_case(
                "default handling job based on OnExitCodes with NotIn operator",
                job,
                ps,
                StatusWant {
                    active: 1,
                    failed: 1,
                    ..Default::default()
                },
            )
        },
        {
            let msg = "Container init-container for pod default/mypod-0 failed with exit code 5 matching FailJob rule at index 1";
            let job = base(1, 6, on_exit_code_rules()).build();
            let ps = mypods(
                &job,
                vec![Box::new(move |b: PodB| {
                    failed(b)
                        .init_terminated("init-container", 5)
                        .terminated("main-container", 143)
                })],
            );
            status_case(
                "fail job based on OnExitCodes for InitContainer",
                job,
                ps,
                StatusWant {
                    conditions: vec![(FT, TRUE, pf, msg), (FAILED, TRUE, pf, msg)],
                    failed: 1,
                    ..Default::default()
                },
            )
        },
        {
            let job = base(1, 0, on_exit_code_rules()).build();
            let ps = mypods(
                &job,
                vec![Box::new(move |b: PodB| {
                    failed(b)
                        .terminated("container1", 2)
                        .terminated("container2", 6)
                })],
            );
            status_case(
                "ignore pod failure; both rules are matching, the first is executed only",
                job,
                ps,
                StatusWant {
                    active: 1,
                    ..Default::default()
                },
            )
        },
        {
            let job = base(1, 0, on_exit_code_rules()).build();
            let ps = mypods(
                &job,
                vec![Box::new(move |b: PodB| failed(b).terminated("", 1))],
            );
            status_case(
                "ignore pod failure based on OnExitCodes",
                job,
                ps,
                StatusWant {
                    active: 1,
                    ..Default::default()
                },
            )
        },
        {
            let job = base(1, 0, on_exit_code_rules()).build();
            let ps = mypods(
                &job,
                vec![Box::new(move |b: PodB| failed(b).terminated("", 10))],
            );
            status_case(
                "default job based on OnExitCodes; JobManagedBy enabled triggers adding interim condition",
                job,
                ps,
                StatusWant {
                    conditions: vec![
                        (FT, TRUE, "BackoffLimitExceeded", BLE_MSG),
                        (FAILED, TRUE, "BackoffLimitExceeded", BLE_MSG),
                    ],
                    failed: 1,
                    ..Default::default()
                },
            )
        },
        {
            let job = base(
                1,
                6,
                vec![
                    pfp_rule("Count", "In", &[1, 2], None),
                    pfp_rule("Ignore", "In", &[2, 3], None),
                ],
            )
            .build();
            let ps = mypods(
                &job,
                vec![Box::new(move |b: PodB| failed(b).exit("", 2, t(1)))],
            );
            status_case(
                "count pod failure based on OnExitCodes; both rules are matching, the first is executed only",
                job,
                ps,
                StatusWant {
                    active: 1,
                    failed: 1,
                    ..Default::default()
                },
            )
        },
        {
            let job = base(
                1,
                6,
                vec![
                    on_condition("Count", "ResourceLimitExceeded"),
                    on_condition("Ignore", "DisruptionTarget"),
                ],
            )
            .build();
            let ps = mypods(
                &job,
                vec![Box::new(move |b: PodB| {
                    failed(b)
                        .condition("ResourceLimitExceeded", TRUE)
                        .condition("DisruptionTarget", TRUE)
                        .exit("", 0, t(1))
                })],
            );
            status_case(
                "count pod failure based on OnPodConditions; both rules are matching, the first is executed only",
                job,
                ps,
                StatusWant {
                    active: 1,
                    failed: 1,
                    ..Default::default()
                },
            )
        },
        {
            let job = base(1, 0, vec![on_condition("Ignore", "DisruptionTarget")]).build();
            let ps = mypods(
                &job,
                vec![Box::new(move |b: PodB| {
                    failed(b).condition("DisruptionTarget", TRUE)
                })],
            );
            status_case(
                "ignore pod failure based on OnPodConditions",
                job,
                ps,
                StatusWant {
                    active: 1,
                    ..Default::default()
                },
            )
        },
        {
            let job = base(1, 0, vec![on_condition("Ignore", "DisruptionTarget")]).build();
            let ps = mypods(
                &job,
                vec![Box::new(move |b: PodB| {
                    failed(b)
                        .condition("DisruptionTarget", TRUE)
                        .deleted_now(t(100))
                })],
            );
            status_case(
                "ignore pod failure based on OnPodConditions, ignored failures delays pod recreation",
                job,
                ps,
                StatusWant::default(),
            )
        },
        {
            let msg = "Pod default/mypod-0 has condition DisruptionTarget matching FailJob rule at index 0";
            let job = base(1, 6, vec![on_condition("FailJob", "DisruptionTarget")]).build();
            let ps = mypods(
                &job,
                vec![Box::new(move |b: PodB| {
                    failed(b).condition("DisruptionTarget", TRUE)
                })],
            );
            status_case(
                "fail job based on OnPodConditions",
                job,
                ps,
                StatusWant {
                    conditions: vec![(FT, TRUE, pf, msg), (FAILED, TRUE, pf, msg)],
                    failed: 1,
                    ..Default::default()
                },
            )
        },
        {
            // Upstream runs it with JobPodReplacementPolicy off (terminating unset); 1.34
            // counts the deleted pod as terminating. It is neither failed nor replaced.
            let job = job("foobar")
                .parallelism(1)
                .backoff_limit(0)
                .pod_failure_policy(vec![on_condition("Count", "DisruptionTarget")])
                .build();
            let ps = mypods(
                &job,
                vec![Box::new(|b: PodB| b.phase("Pending").deleted_now(t(100)))],
            );
            status_case(
                "terminating Pod not considered failed when JobPodFailurePolicy is enabled and used",
                job,
                ps,
                StatusWant {
                    terminating: 1,
                    ..Default::default()
                },
            )
        },
    ];
    for c in cases {
        check_status(c);
    }
}

#[test]
fn test_sync_job_with_job_success_policy_upstream_table() {
    let rule = |indexes: Option<&str>, count: Option<i32>| SuccessPolicyRule {
        succeeded_indexes: indexes.map(Into::into),
        succeeded_count: count,
    };
    let sp = "SuccessPolicy";
    let m0 = "Matched rules at index 0";
    let base = |n: i32, backoff: i32, rules: Vec<SuccessPolicyRule>| {
        job("foobar")
            .parallelism(n)
            .completions(n)
            .indexed()
            .backoff_limit(backoff)
            .success_policy(rules)
    };
    let with_cond = |mut b: JobB, type_: &str, reason: &str, msg: &str| {
        b.status()
            .conditions
            .get_or_insert_with(Vec::new)
            .push(JobCondition {
                type_: type_.into(),
                status: TRUE.into(),
                reason: Some(reason.into()),
                message: Some(msg.into()),
                ..Default::default()
            });
        b
    };
    let disruption =
        "Pod default/mypod-0 has condition DisruptionTarget matching FailJob rule at index 0";
    let fail = |ix: &'static str| -> Box<dyn Fn(PodB) -> PodB> {
        Box::new(move |b: PodB| b.index(ix).phase("Failed"))
    };
    let run =
        |ix: &'static str| -> Box<dyn Fn(PodB) -> PodB> { Box::new(move |b: PodB| b.index(ix)) };
    let ok = |ix: &'static str| -> Box<dyn Fn(PodB) -> PodB> {
        Box::new(move |b: PodB| b.index(ix).phase("Succeeded"))
    };
    let max = i32::MAX;
    let cases = vec![
        {
            let job = base(3, max, vec![rule(Some("0,1"), Some(1))]).build();
            let ps = mypods(&job, vec![fail("0"), run("0"), ok("1"), run("2")]);
            status_case(
                "job with successPolicy; jobPodReplacementPolicy feature enabled; job has SuccessCriteriaMet condition if job meets to successPolicy and some indexes fail",
                job,
                ps,
                StatusWant {
                    failed: 1,
                    succeeded: 1,
                    terminating: 2,
                    completed_indexes: "1",
                    conditions: vec![(SCM, TRUE, sp, m0)],
                    ..Default::default()
                },
            )
        },
        {
            let job = base(2, max, vec![rule(Some("0,1"), Some(1))])
                .pod_failure_policy(vec![on_condition("FailJob", "DisruptionTarget")])
                .build();
            let ps = mypods(&job, vec![fail("0"), run("0"), ok("1")]);
            status_case(
                "job with podFailurePolicy and successPolicy; jobPodReplacementPolicy feature enabled; job has SuccessCriteriaMet condition if job meets to successPolicy and doesn't meet to podFailurePolicy",
                job,
                ps,
                StatusWant {
                    failed: 1,
                    succeeded: 1,
                    terminating: 1,
                    completed_indexes: "1",
                    conditions: vec![(SCM, TRUE, sp, m0)],
                    ..Default::default()
                },
            )
        },
        {
            let job = base(2, max, vec![rule(Some("0,1"), Some(1))])
                .backoff_limit_per_index(2)
                .build();
            let ps = mypods(&job, vec![fail("0"), run("0"), ok("1")]);
            status_case(
                "job with backoffLimitPerIndex and successPolicy; jobPodReplacementPolicy feature enabled; job has SuccessCriteriaMet condition if job meets to successPolicy and doesn't meet backoffLimitPerIndex",
                job,
                ps,
                StatusWant {
                    failed: 1,
                    succeeded: 1,
                    terminating: 1,
                    completed_indexes: "1",
                    failed_indexes: Some(""),
                    conditions: vec![(SCM, TRUE, sp, m0)],
                    ..Default::default()
                },
            )
        },
        {
            // Upstream runs it with JobBackoffLimitPerIndex off (failedIndexes unset); the
            // feature is GA in 1.34, so failedIndexes is "".
            let b = base(2, max, vec![rule(Some("0,1"), Some(1))]).backoff_limit_per_index(2);
            let job = with_cond(b, SCM, sp, m0).build();
            let ps = mypods(&job, vec![fail("0"), ok("1")]);
            status_case(
                "job with successPolicy; jobPodReplacementPolicy feature enabled; job has both Complete and SuccessCriteriaMet condition when job meets to successPolicy and all pods have been already removed",
                job,
                ps,
                StatusWant {
                    failed: 1,
                    succeeded: 1,
                    completed_indexes: "1",
                    failed_indexes: Some(""),
                    conditions: vec![(SCM, TRUE, sp, m0), (COMPLETE, TRUE, sp, m0)],
                    ..Default::default()
                },
            )
        },
        {
            let b = base(3, max, vec![rule(Some("0,1"), Some(1))]).backoff_limit_per_index(3);
            let job = with_cond(b, SCM, sp, m0).build();
            let ps = mypods(&job, vec![fail("0"), run("1"), ok("1"), run("2")]);
            status_case(
                "job with successPolicy; jobPodReplacementPolicy feature enabled; job has SuccessCriteriaMet condition when job meets to successPolicy and some pods still are running",
                job,
                ps,
                StatusWant {
                    failed: 1,
                    succeeded: 1,
                    terminating: 2,
                    completed_indexes: "1",
                    failed_indexes: Some(""),
                    conditions: vec![(SCM, TRUE, sp, m0)],
                    ..Default::default()
                },
            )
        },
        {
            let job = base(2, max, vec![rule(Some("0,1"), Some(1))])
                .pod_failure_policy(vec![on_condition("FailJob", "DisruptionTarget")])
                .build();
            let ps = mypods(
                &job,
                vec![
                    Box::new(|b: PodB| {
                        b.index("0")
                            .phase("Failed")
                            .condition("DisruptionTarget", TRUE)
                    }),
                    run("0"),
                    ok("1"),
                ],
            );
            status_case(
                "job with successPolicy and podFailurePolicy; jobPodReplacementPolicy feature enabled; job has a failed condition when job meets to both successPolicy and podFailurePolicy",
                job,
                ps,
                StatusWant {
                    failed: 2,
                    succeeded: 1,
                    terminating: 1,
                    completed_indexes: "1",
                    conditions: vec![(FT, TRUE, "PodFailurePolicy", disruption)],
                    ..Default::default()
                },
            )
        },
        {
            let job = base(2, max, vec![rule(Some("0,1"), Some(1))])
                .backoff_limit_per_index(1)
                .build();
            let ps = mypods(
                &job,
                vec![
                    Box::new(|b: PodB| b.index("0").phase("Failed").failure_count("1")),
                    ok("1"),
                ],
            );
            status_case(
                "job with successPolicy and backoffLimitPerIndex; jobPodReplacementPolicy feature enabled; job has a failed condition when job meets to both successPolicy and backoffLimitPerIndex",
                job,
                ps,
                StatusWant {
                    failed: 1,
                    succeeded: 1,
                    completed_indexes: "1",
                    failed_indexes: Some("0"),
                    conditions: vec![
                        (FT, TRUE, "FailedIndexes", "Job has failed indexes"),
                        (FAILED, TRUE, "FailedIndexes", "Job has failed indexes"),
                    ],
                    ..Default::default()
                },
            )
        },
        {
            // Both the backoff limit and the success policy are met in one sync: the backoff
            // limit wins (`exceedsBackoffLimit` is checked before `matchSuccessPolicy`).
            let job = base(2, 1, vec![rule(Some("0,1"), Some(1))]).build();
            let ps = mypods(&job, vec![fail("0"), fail("0"), ok("1")]);
            status_case(
                "job with successPolicy and backoffLimit; jobPodReplacementPolicy feature enabled; job has a failed condition when job meets to both successPolicy and backoffLimit",
                job,
                ps,
                StatusWant {
                    failed: 2,
                    succeeded: 1,
                    completed_indexes: "1",
                    conditions: vec![
                        (FT, TRUE, "BackoffLimitExceeded", BLE_MSG),
                        (FAILED, TRUE, "BackoffLimitExceeded", BLE_MSG),
                    ],
                    ..Default::default()
                },
            )
        },
        {
            let b = base(2, max, vec![rule(None, Some(1))])
                .pod_failure_policy(vec![on_condition("FailJob", "DisruptionTarget")])
                .counted(1, 0);
            let mut b = with_cond(b, SCM, sp, m0);
            b.status().completed_indexes = Some("1".into());
            b.status().terminating = Some(0);
            let job = b.build();
            let ps = mypods(
                &job,
                vec![
                    Box::new(|b: PodB| {
                        b.index("0")
                            .phase("Failed")
                            .condition("DisruptionTarget", TRUE)
                    }),
                    ok("1"),
                ],
            );
            status_case(
                "job with successPolicy and podFailurePolicy; jobPodReplacementPolicy feature enabled; job with SuccessCriteriaMet has never been transitioned to FailureTarget and Failed even if job meets podFailurePolicy",
                job,
                ps,
                StatusWant {
                    failed: 1,
                    succeeded: 1,
                    completed_indexes: "1",
                    conditions: vec![(SCM, TRUE, sp, m0), (COMPLETE, TRUE, sp, m0)],
                    ..Default::default()
                },
            )
        },
        {
            let b = base(2, max, vec![rule(Some("1"), None)])
                .backoff_limit_per_index(1)
                .counted(1, 0);
            let mut b = with_cond(b, SCM, sp, m0);
            b.status().completed_indexes = Some("1".into());
            b.status().terminating = Some(0);
            let job = b.build();
            let ps = mypods(
                &job,
                vec![
                    Box::new(|b: PodB| b.index("0").phase("Failed").failure_count("1")),
                    ok("1"),
                ],
            );
            status_case(
                "job with successPolicy and backoffLimitPerIndex; jobPodReplacementPolicy feature enabled; job with SuccessCriteriaMet has never been transitioned to FailureTarget and Failed even if job meet backoffLimitPerIndex",
                job,
                ps,
                StatusWant {
                    failed: 1,
                    succeeded: 1,
                    completed_indexes: "1",
                    failed_indexes: Some("0"),
                    conditions: vec![(SCM, TRUE, sp, m0), (COMPLETE, TRUE, sp, m0)],
                    ..Default::default()
                },
            )
        },
        {
            let b = base(2, 1, vec![rule(Some("0,1"), Some(1))]).counted(1, 0);
            let mut b = with_cond(b, SCM, sp, m0);
            b.status().completed_indexes = Some("1".into());
            b.status().terminating = Some(0);
            let job = b.build();
            let ps = mypods(&job, vec![fail("0"), ok("1")]);
            status_case(
                "job with successPolicy and backoffLimit; jobPodReplacementPolicy feature enabled; job with SuccessCriteriaMet has never been transitioned to FailureTarget and Failed even if job meets backoffLimit",
                job,
                ps,
                StatusWant {
                    failed: 1,
                    succeeded: 1,
                    completed_indexes: "1",
                    conditions: vec![(SCM, TRUE, sp, m0), (COMPLETE, TRUE, sp, m0)],
                    ..Default::default()
                },
            )
        },
        {
            let b = base(2, max, vec![rule(Some("0,1"), Some(1))])
                .pod_failure_policy(vec![on_condition("FailJob", "DisruptionTarget")])
                .counted(0, 1);
            let mut b = with_cond(b, FT, "PodFailurePolicy", disruption);
            b.status().completed_indexes = Some("1".into());
            b.status().terminating = Some(0);
            let job = b.build();
            let ps = mypods(
                &job,
                vec![
                    Box::new(|b: PodB| {
                        b.index("0")
                            .phase("Failed")
                            .condition("DisruptionTarget", TRUE)
                            .no_finalizer()
                    }),
                    ok("1"),
                ],
            );
            status_case(
                "job with successPolicy and podFailureTarget; jobPodReplacementPolicy feature enabled; job with FailureTarget has never been transitioned to SuccessCriteriaMet even if job meets successPolicy",
                job,
                ps,
                StatusWant {
                    failed: 1,
                    succeeded: 1,
                    completed_indexes: "1",
                    conditions: vec![
                        (FT, TRUE, "PodFailurePolicy", disruption),
                        (FAILED, TRUE, "PodFailurePolicy", disruption),
                    ],
                    ..Default::default()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(1)
                .completions(1)
                .indexed()
                .backoff_limit(max)
                .build();
            let ps = mypods(&job, vec![ok("0")]);
            let cr = "CompletionsReached";
            let msg = "Reached expected number of succeeded pods";
            status_case(
                "job without successPolicy; jobSuccessPolicy is enabled; job got SuccessCriteriaMet and Completion with CompletionsReached reason conditions",
                job,
                ps,
                StatusWant {
                    succeeded: 1,
                    completed_indexes: "0",
                    conditions: vec![(SCM, TRUE, cr, msg), (COMPLETE, TRUE, cr, msg)],
                    ..Default::default()
                },
            )
        },
    ];
    for c in cases {
        check_status(c);
    }
}

#[test]
fn test_sync_job_past_deadline_upstream_gate_cases() {
    // startTime 15 s (resp. 10 s) before now, as upstream sets it.
    let cases = vec![
        {
            let job = job("foobar")
                .parallelism(1)
                .completions(2)
                .active_deadline(10)
                .started(t(85))
                .build();
            let ps = vec![
                pod(&job, "s").succeeded(t(1)).build(),
                pod(&job, "a").build(),
            ];
            case(
                "activeDeadlineSeconds exceeded; JobManagedBy enabled",
                job,
                ps,
                Want {
                    succeeded: 1,
                    failed: 1,
                    deletions: 1,
                    terminating: 1,
                    pod_patches: 2,
                    conditions: vec![("FailureTarget", "DeadlineExceeded")],
                    ..w()
                },
            )
        },
        {
            let job = job("foobar")
                .parallelism(1)
                .completions(1)
                .backoff_limit(0)
                .active_deadline(1)
                .started(t(90))
                .build();
            let ps = vec![pod(&job, "f").failed(t(1)).build()];
            case(
                "activeDeadlineSeconds exceeded and backofflimit reached; JobManagedBy enabled",
                job,
                ps,
                Want {
                    failed: 1,
                    pod_patches: 1,
                    conditions: vec![
                        ("FailureTarget", "BackoffLimitExceeded"),
                        ("Failed", "BackoffLimitExceeded"),
                    ],
                    events: vec!["BackoffLimitExceeded"],
                    ..w()
                },
            )
        },
    ];
    for c in cases {
        check(c);
    }
}

/// `TestSingleJobFailedCondition`: a `Failed=False` condition already present is turned `True`
/// in place, so the Job ends with exactly one `Failed` condition.
#[test]
fn test_single_job_failed_condition() {
    let job = job("foobar")
        .parallelism(1)
        .completions(1)
        .active_deadline(10)
        .started(t(85))
        .condition("Failed", "False", "DeadlineExceeded")
        .build();
    let store = store_with(&job, &[]);
    let out = sync_job(&job, &store, BackoffRecord::default(), t(100)).outcome;
    assert!(!out
        .actions
        .iter()
        .any(|a| matches!(a, Action::Delete { .. })));
    let actual = out
        .actions
        .iter()
        .find_map(|a| match a {
            Action::Update(Object::Job(j)) => Some(j.clone()),
            _ => None,
        })
        .expect("Expected job modification");
    let failed: Vec<&JobCondition> = actual
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .into_iter()
        .flatten()
        .filter(|c| c.type_ == "Failed")
        .collect();
    assert_eq!(failed.len(), 1, "Unexpected number of failed conditions");
    assert_eq!(failed[0].status, "True");
}

/// `TestSyncJobComplete`: syncing a complete Job leaves its conditions alone.
#[test]
fn test_sync_job_complete() {
    let job = job("foobar")
        .parallelism(1)
        .completions(1)
        .condition("Complete", "True", "")
        .build();
    let store = store_with(&job, &[]);
    let res = sync_job(&job, &store, BackoffRecord::default(), t(100));
    assert!(res.outcome.actions.is_empty());
    assert_eq!(
        job.status.and_then(|s| s.conditions).map(|c| c.len()),
        Some(1)
    );
}

/// `TestSyncJobWhenManagedBy`, the cases reachable with JobManagedBy on (GA in 1.34).
#[test]
fn test_sync_job_when_managed_by() {
    let base = |managed_by: Option<&str>| {
        let mut b = job("foobar").parallelism(2).completions(2).started(t(0));
        b.spec().managed_by = managed_by.map(Into::into);
        let st = b.status();
        st.active = Some(1);
        st.ready = Some(1);
        b.build()
    };
    // A custom managedBy: the status is unchanged, nothing is created.
    let custom = base(Some("custom-managed-by"));
    let store = store_with(&custom, &[]);
    let res = sync_job(&custom, &store, BackoffRecord::default(), t(100));
    assert!(
        res.outcome.actions.is_empty(),
        "job with custom value of managedBy; feature enabled; the status is unchanged"
    );
    for (name, job) in [
        (
            "job with well known value of the managedBy; feature enabled; the status is updated",
            base(Some("kubernetes.io/job-controller")),
        ),
        (
            "job without the managedBy; feature enabled; the status is updated",
            base(None),
        ),
    ] {
        let store = store_with(&job, &[]);
        let res = sync_job(&job, &store, BackoffRecord::default(), t(100));
        let st = res
            .outcome
            .actions
            .iter()
            .find_map(|a| match a {
                Action::Update(Object::Job(j)) => j.status.clone(),
                _ => None,
            })
            .unwrap_or_default();
        assert_eq!(st.active, Some(2), "{name}: active");
        assert_eq!(st.ready, Some(0), "{name}: ready");
        assert_eq!(st.terminating, Some(0), "{name}: terminating");
        assert_eq!(st.start_time, Some(t(0).to_k8s()), "{name}: startTime");
        assert_eq!(
            st.uncounted_terminated_pods,
            Some(Default::default()),
            "{name}: uncounted"
        );
    }
}

#[test]
fn test_sync_job_with_job_backoff_limit_per_index_upstream_table() {
    let base = |backoff: i32| {
        job("foobar")
            .parallelism(2)
            .completions(2)
            .indexed()
            .backoff_limit(backoff)
            .backoff_limit_per_index(1)
    };
    let max = i32::MAX;
    let cases = vec![
        {
            let job = base(max).build();
            let ps = mypods(
                &job,
                vec![
                    Box::new(|b: PodB| b.index("0").phase("Failed").failure_count("0")),
                    Box::new(|b: PodB| b.index("0").phase("Pending").failure_count("1")),
                ],
            );
            status_case(
                "single failed pod replaced already",
                job,
                ps,
                StatusWant {
                    active: 2,
                    failed: 1,
                    failed_indexes: Some(""),
                    ..Default::default()
                },
            )
        },
        {
            let job = base(max)
                .pod_failure_policy(vec![pfp_rule("FailIndex", "In", &[3], None)])
                .build();
            let ps = mypods(
                &job,
                vec![Box::new(|b: PodB| {
                    b.index("0")
                        .phase("Failed")
                        .terminated("", 3)
                        .failure_count("0")
                })],
            );
            status_case(
                "single failed index due to FailIndex action, the job continues",
                job,
                ps,
                StatusWant {
                    active: 1,
                    failed: 1,
                    failed_indexes: Some("0"),
                    ..Default::default()
                },
            )
        },
        {
            let msg = "Container x for pod default/mypod-0 failed with exit code 3 matching FailJob rule at index 0";
            let job = base(6)
                .pod_failure_policy(vec![pfp_rule("FailJob", "In", &[3], None)])
                .build();
            let ps = mypods(
                &job,
                vec![Box::new(|b: PodB| {
                    b.index("0")
                        .phase("Failed")
                        .terminated("x", 3)
                        .failure_count("0")
                })],
            );
            status_case(
                "job failed index due to FailJob action",
                job,
                ps,
                StatusWant {
                    failed: 1,
                    failed_indexes: Some(""),
                    conditions: vec![
                        (FT, TRUE, "PodFailurePolicy", msg),
                        (FAILED, TRUE, "PodFailurePolicy", msg),
                    ],
                    ..Default::default()
                },
            )
        },
    ];
    for c in cases {
        check_status(c);
    }
}
