//! The TTL-after-finished controller: `pkg/controller/ttlafterfinished/ttlafterfinished_controller.go`.
//! A Job with `spec.ttlSecondsAfterFinished` whose `Complete` or `Failed` condition is True is
//! deleted at that condition's lastTransitionTime + TTL, with `propagationPolicy: Foreground` and
//! a uid precondition, so its pods go first.
//!
//! Simplification: no work queue; every step checks every Job and asks to be woken at the
//! earliest expiry. The "fresh GET before deleting" is the store read itself.

use k8s_openapi::api::batch::v1::Job;

use crate::engine::api::{Kind, Object, ObjectKey};
use crate::engine::clock::{SimTime, SECOND};
use crate::engine::controller::{Action, DeleteOptions, Outcome, Propagation};
use crate::engine::store::Store;

/// `jobFinishTime`: the lastTransitionTime of the True `Complete` or `Failed` condition.
fn finish_time(job: &Job) -> Option<SimTime> {
    job.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| (c.type_ == "Complete" || c.type_ == "Failed") && c.status == "True")?
        .last_transition_time
        .as_ref()
        .map(SimTime::from_k8s)
}

/// When the Job expires, if it has a TTL and has finished (`needsCleanup` + `timeLeft`).
pub fn expire_at(job: &Job) -> Option<SimTime> {
    let ttl = job.spec.as_ref()?.ttl_seconds_after_finished?;
    let finished = finish_time(job)?;
    let ttl_ms = u64::try_from(ttl).unwrap_or(0).saturating_mul(SECOND);
    Some(finished.plus(ttl_ms))
}

/// One pass: deletes expired Jobs (`processJob`) and requeues at the next expiry.
pub fn sync(store: &Store, now: SimTime) -> Outcome {
    let mut out = Outcome::none();
    for obj in store.list(Kind::Job) {
        let Object::Job(job) = obj else {
            continue;
        };
        if job.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let Some(at) = expire_at(job) else {
            continue;
        };
        if at <= now {
            out.push(Action::Delete {
                key: ObjectKey::new(
                    Kind::Job,
                    job.metadata.namespace.as_deref().unwrap_or_default(),
                    job.metadata.name.as_deref().unwrap_or_default(),
                ),
                options: DeleteOptions {
                    propagation: Propagation::Foreground,
                    grace_period_seconds: None,
                    uid_precondition: job.metadata.uid.clone(),
                },
            });
        } else {
            out.requeue_at(at);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::batch::v1::{JobCondition, JobSpec, JobStatus};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn job(ttl: Option<i32>, finished_at: Option<(&str, u64)>, deleting: bool) -> Job {
        Job {
            metadata: ObjectMeta {
                name: Some("pi".into()),
                namespace: Some("default".into()),
                uid: Some("uid-1".into()),
                deletion_timestamp: deleting.then(|| SimTime(1).to_k8s()),
                ..Default::default()
            },
            spec: Some(JobSpec {
                ttl_seconds_after_finished: ttl,
                ..Default::default()
            }),
            status: Some(JobStatus {
                conditions: finished_at.map(|(t, ms)| {
                    vec![JobCondition {
                        type_: t.into(),
                        status: "True".into(),
                        last_transition_time: Some(SimTime(ms).to_k8s()),
                        ..Default::default()
                    }]
                }),
                ..Default::default()
            }),
        }
    }

    struct Case {
        name: &'static str,
        job: Job,
        now: u64,
        want_delete: bool,
        want_requeue: Option<u64>,
    }

    /// Mirrors `TestTimeLeft` / `TestProcessJob` shapes of the upstream controller tests.
    #[test]
    fn ttl_after_finished() {
        let cases = [
            Case {
                name: "no ttl",
                job: job(None, Some(("Complete", 0)), false),
                now: 100_000,
                want_delete: false,
                want_requeue: None,
            },
            Case {
                name: "not finished",
                job: job(Some(10), None, false),
                now: 100_000,
                want_delete: false,
                want_requeue: None,
            },
            Case {
                name: "complete, not expired",
                job: job(Some(10), Some(("Complete", 5_000)), false),
                now: 6_000,
                want_delete: false,
                want_requeue: Some(15_000),
            },
            Case {
                name: "failed, expired",
                job: job(Some(10), Some(("Failed", 5_000)), false),
                now: 15_000,
                want_delete: true,
                want_requeue: None,
            },
            Case {
                name: "ttl 0 deletes at once",
                job: job(Some(0), Some(("Complete", 5_000)), false),
                now: 5_000,
                want_delete: true,
                want_requeue: None,
            },
            Case {
                name: "already being deleted",
                job: job(Some(0), Some(("Complete", 5_000)), true),
                now: 9_000,
                want_delete: false,
                want_requeue: None,
            },
        ];
        for c in cases {
            let mut store = Store::new();
            store.put(Object::Job(c.job));
            let out = sync(&store, SimTime(c.now));
            let deleted = out.actions.iter().any(|a| {
                matches!(a, Action::Delete { options, .. }
                    if options.propagation == Propagation::Foreground
                        && options.uid_precondition.as_deref() == Some("uid-1"))
            });
            assert_eq!(deleted, c.want_delete, "{}", c.name);
            assert_eq!(out.requeue_at, c.want_requeue.map(SimTime), "{}", c.name);
        }
    }
}
