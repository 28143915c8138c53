//! The garbage collector (`pkg/controller/garbagecollector`), the namespace controller's content
//! deletion and PodGC (`pkg/controller/podgc`), in one pass:
//!
//! - dependents whose owners are all gone are deleted (background cascading deletion);
//! - an owner deleted with `propagationPolicy: Orphan` has its reference stripped from
//!   dependents, then its `orphan` finalizer removed;
//! - an owner deleted with `Foreground` has its dependents deleted, then its `foregroundDeletion`
//!   finalizer removed once none is left;
//! - a terminating namespace has its content deleted, then goes;
//! - pods bound to a node that no longer exists are marked Failed (`DisruptionTarget`,
//!   `DeletionByPodGC`) and force-deleted after a 40 s quarantine; terminating pods that were never
//!   scheduled are removed; events older than the event TTL are dropped;
//! - PodGC's `gcTerminated`: once more than `--terminated-pod-gc-threshold` (12,500) pods have
//!   finished (Succeeded or Failed), the oldest beyond it are deleted (evicted ones first, then by
//!   creation time and name), checked every 20 s (`gcCheckPeriod`). Job pods still carrying the
//!   job-tracking finalizer stay until the Job controller has counted them.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::PodCondition;

use crate::engine::api::{Kind, Object, ObjectKey};
use crate::engine::clock::SimTime;
use crate::engine::controller::{Action, DeleteOptions, Outcome, Propagation};
use crate::engine::store::Store;
use crate::engine::{Config, FOREGROUND_FINALIZER, ORPHAN_FINALIZER};

/// GC state: when PodGC first saw each pod whose node is gone.
#[derive(Debug, Clone, Default)]
pub struct GarbageCollector {
    orphaned_since: BTreeMap<String, SimTime>,
    /// The store's Node revision at the last pass: when nodes changed, PodGC looks at every pod.
    node_revision: u64,
    /// When PodGC next counts the terminated pods (only while there are more pods than the
    /// threshold).
    next_terminated_check: SimTime,
}

/// PodGC's `gcCheckPeriod`.
const GC_CHECK_PERIOD_MS: u64 = 20_000;

fn has_finalizer(obj: &Object, f: &str) -> bool {
    obj.meta()
        .finalizers
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|x| x == f)
}

fn without_finalizer(obj: &Object, f: &str) -> Object {
    let mut o = obj.clone();
    if let Some(list) = o.meta_mut().finalizers.as_mut() {
        list.retain(|x| x != f);
        if list.is_empty() {
            o.meta_mut().finalizers = None;
        }
    }
    o
}

impl GarbageCollector {
    /// One pass of every collector.
    pub fn sync(&mut self, store: &Store, config: &Config, now: SimTime) -> Outcome {
        let mut out = Outcome::none();
        // Only dependents of an owner that is gone or being deleted can need work: the store's
        // owner index names them, visited in key order as a pass over every object would.
        let mut candidates: BTreeSet<&ObjectKey> = BTreeSet::new();
        for uid in store.owner_uids() {
            let owner_busy = store
                .get_by_uid(uid)
                .is_none_or(|o| o.meta().deletion_timestamp.is_some());
            if owner_busy {
                candidates.extend(store.dependents_of(uid));
            }
        }
        let mut handled: BTreeSet<ObjectKey> = BTreeSet::new();
        for obj in candidates.into_iter().filter_map(|k| store.get(k)) {
            let refs = obj.meta().owner_references.as_deref().unwrap_or_default();
            if refs.is_empty() {
                continue;
            }
            let owners: Vec<Option<&Object>> =
                refs.iter().map(|r| store.get_by_uid(&r.uid)).collect();
            // Strip references to owners being orphaned or gone while other owners remain.
            let keep: Vec<_> = refs
                .iter()
                .zip(owners.iter())
                .filter(|(_, o)| match o {
                    Some(owner) => {
                        !(owner.meta().deletion_timestamp.is_some()
                            && has_finalizer(owner, ORPHAN_FINALIZER))
                    }
                    None => false,
                })
                .map(|(r, _)| r.clone())
                .collect();
            let all_gone = owners.iter().all(Option::is_none);
            let foreground_owner = owners.iter().flatten().any(|o| {
                o.meta().deletion_timestamp.is_some() && has_finalizer(o, FOREGROUND_FINALIZER)
            });
            if (all_gone || foreground_owner) && obj.meta().deletion_timestamp.is_none() {
                out.push(Action::Delete {
                    key: obj.key(),
                    options: DeleteOptions {
                        propagation: if foreground_owner {
                            Propagation::Foreground
                        } else {
                            Propagation::Background
                        },
                        ..Default::default()
                    },
                });
                handled.insert(obj.key());
            } else if keep.len() != refs.len() && !all_gone {
                let mut o = obj.clone();
                o.meta_mut().owner_references = if keep.is_empty() { None } else { Some(keep) };
                out.push(Action::Update(o));
                handled.insert(obj.key());
            }
        }
        // Owners waiting on finalizers.
        for obj in store.deleting() {
            let deps = store.dependents_of(obj.uid()).count();
            if has_finalizer(obj, ORPHAN_FINALIZER) {
                let still_referenced = store.dependents_of(obj.uid()).any(|d| !handled.contains(d));
                if !still_referenced {
                    out.push(Action::Update(without_finalizer(obj, ORPHAN_FINALIZER)));
                }
            } else if has_finalizer(obj, FOREGROUND_FINALIZER) && deps == 0 {
                out.push(Action::Update(without_finalizer(obj, FOREGROUND_FINALIZER)));
            }
        }
        // Terminating namespaces.
        for ns in store.list(Kind::Namespace) {
            if ns.meta().deletion_timestamp.is_none() {
                continue;
            }
            let name = ns.name().to_string();
            let mut empty = true;
            for kind in Kind::all().filter(|k| k.namespaced()) {
                for o in store.list_ns(kind, &name) {
                    if kind == Kind::Event {
                        out.push(Action::Remove {
                            key: o.key(),
                            uid: o.uid().to_string(),
                        });
                        continue;
                    }
                    empty = false;
                    if o.meta().deletion_timestamp.is_none() {
                        out.push(Action::Delete {
                            key: o.key(),
                            options: DeleteOptions::default(),
                        });
                    }
                }
            }
            if empty {
                out.push(Action::Remove {
                    key: ns.key(),
                    uid: ns.uid().to_string(),
                });
            }
        }
        // PodGC.
        // Only pods bound to a missing node or deleted unbound can need PodGC; settled pods are
        // neither deleted nor (while their node exists) orphaned, so a pass over every pod is
        // needed only when nodes changed or some pod's node is gone.
        let node_missing = |p: &k8s_openapi::api::core::v1::Pod| {
            p.spec
                .as_ref()
                .and_then(|s| s.node_name.as_deref())
                .is_some_and(|n| store.node(n).is_none())
        };
        let node_revision = store.kind_revision(Kind::Node);
        let nodes_changed = node_revision != self.node_revision;
        self.node_revision = node_revision;
        let full = nodes_changed
            || !self.orphaned_since.is_empty()
            || store.unsettled_pods().any(node_missing);
        let pods: Vec<&k8s_openapi::api::core::v1::Pod> = if full {
            store.pods().collect()
        } else {
            store.unsettled_pods().collect()
        };
        let mut seen = BTreeSet::new();
        for pod in pods {
            let node = pod.spec.as_ref().and_then(|s| s.node_name.as_deref());
            let needs_gc = match node {
                // Outside a full pass, every unsettled pod's node was just found to exist.
                Some(node) => full && store.node(node).is_none(),
                None => pod.metadata.deletion_timestamp.is_some(),
            };
            if !needs_gc {
                continue;
            }
            let uid = pod.metadata.uid.clone().unwrap_or_default();
            let key = ObjectKey::new(
                Kind::Pod,
                pod.metadata.namespace.as_deref().unwrap_or_default(),
                pod.metadata.name.as_deref().unwrap_or_default(),
            );
            match node {
                Some(node) if store.node(node).is_none() => {
                    seen.insert(uid.clone());
                    let since = *self.orphaned_since.entry(uid.clone()).or_insert(now);
                    let due = since.plus(config.pod_gc_quarantine_ms);
                    if now < due {
                        out.requeue_at(due);
                        continue;
                    }
                    let mut p = pod.clone();
                    let st = p.status.get_or_insert_with(Default::default);
                    if !matches!(st.phase.as_deref(), Some("Succeeded" | "Failed")) {
                        st.phase = Some("Failed".to_string());
                    }
                    let conds = st.conditions.get_or_insert_with(Vec::new);
                    if !conds.iter().any(|c| c.type_ == "DisruptionTarget") {
                        conds.push(PodCondition {
                            type_: "DisruptionTarget".to_string(),
                            status: "True".to_string(),
                            reason: Some("DeletionByPodGC".to_string()),
                            message: Some("PodGC: node no longer exists".to_string()),
                            last_transition_time: Some(now.to_k8s()),
                            last_probe_time: None,
                            observed_generation: None,
                        });
                    }
                    if Object::Pod(p.clone()) != Object::Pod(pod.clone()) {
                        out.push(Action::Update(Object::Pod(p)));
                    }
                    out.push(Action::Remove { key, uid });
                }
                None if pod.metadata.deletion_timestamp.is_some() => {
                    out.push(Action::Remove { key, uid });
                }
                _ => {}
            }
        }
        self.orphaned_since.retain(|uid, _| seen.contains(uid));
        self.gc_terminated(store, config, now, &mut out);
        // Event TTL: expired events go whenever the collector runs; they never wake it.
        if let Some(cutoff) = now.millis().checked_sub(config.event_ttl_ms) {
            let expired: BTreeSet<&ObjectKey> = store.events_before(SimTime(cutoff)).collect();
            for ev in expired.into_iter().filter_map(|k| store.get(k)) {
                out.push(Action::Remove {
                    key: ev.key(),
                    uid: ev.uid().to_string(),
                });
            }
        }
        out
    }

    /// `gcTerminated`: deletes the oldest finished pods beyond the threshold. Counting needs a
    /// walk over every pod, so it runs only when there are more pods than the threshold, and at
    /// most every `gcCheckPeriod`.
    fn gc_terminated(&mut self, store: &Store, config: &Config, now: SimTime, out: &mut Outcome) {
        let threshold = config.terminated_pod_gc_threshold;
        if threshold == 0 || store.count(Kind::Pod) <= threshold {
            return;
        }
        if now < self.next_terminated_check {
            out.requeue_at(self.next_terminated_check);
            return;
        }
        self.next_terminated_check = now.plus(GC_CHECK_PERIOD_MS);
        out.requeue_at(self.next_terminated_check);
        let mut terminated: Vec<&k8s_openapi::api::core::v1::Pod> = store
            .pods()
            .filter(|p| {
                matches!(
                    p.status.as_ref().and_then(|s| s.phase.as_deref()),
                    Some("Succeeded" | "Failed")
                )
            })
            .collect();
        let Some(excess) = terminated.len().checked_sub(threshold).filter(|n| *n > 0) else {
            return;
        };
        // byEvictionAndCreationTimestamp.
        let evicted = |p: &k8s_openapi::api::core::v1::Pod| {
            p.status.as_ref().is_some_and(|s| {
                s.phase.as_deref() == Some("Failed") && s.reason.as_deref() == Some("Evicted")
            })
        };
        let key = |p: &k8s_openapi::api::core::v1::Pod| {
            (
                !evicted(p),
                p.metadata.creation_timestamp.as_ref().map(|t| t.0),
                p.metadata.name.clone().unwrap_or_default(),
                p.metadata.namespace.clone().unwrap_or_default(),
            )
        };
        terminated.sort_by_cached_key(|p| key(p));
        for p in terminated.into_iter().take(excess) {
            if p.metadata.deletion_timestamp.is_some() {
                continue;
            }
            out.push(Action::Delete {
                key: ObjectKey::new(
                    Kind::Pod,
                    p.metadata.namespace.as_deref().unwrap_or_default(),
                    p.metadata.name.as_deref().unwrap_or_default(),
                ),
                options: DeleteOptions {
                    grace_period_seconds: Some(0),
                    uid_precondition: p.metadata.uid.clone(),
                    ..Default::default()
                },
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::kubectl::{NoFiles, Session};

    fn run(s: &mut Session, line: &str, stdin: Option<&str>) -> String {
        let out = s.run(line, stdin, &NoFiles);
        assert!(out.ok, "{line}: {}", out.stderr);
        out.stdout
    }

    fn pod(name: &str, command: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  restartPolicy: Never\n  containers: [{{name: c, image: busybox, command: [sh, -c, '{command}']}}]\n"
        )
    }

    /// `TestGCTerminated` (pkg/controller/podgc): above the threshold the oldest finished pods
    /// go, running ones never; a threshold of 0 turns it off.
    #[test]
    fn test_gc_terminated() {
        for (threshold, left) in [(1, "p2 p3\n"), (2, "p1 p2 p3\n"), (0, "p1 p2 p3\n")] {
            let mut s = Session::new(1);
            s.cluster.config_mut().terminated_pod_gc_threshold = threshold;
            run(&mut s, "sim node add n1", None);
            run(&mut s, "apply -f -", Some(&pod("p1", "exit 1")));
            run(&mut s, "sim advance 1s", None);
            run(&mut s, "apply -f -", Some(&pod("p2", "true")));
            run(&mut s, "apply -f -", Some(&pod("p3", "sleep 3600")));
            run(&mut s, "sim advance 30s", None);
            let names = run(
                &mut s,
                "get pods -o jsonpath='{.items[*].metadata.name}{\"\\n\"}'",
                None,
            );
            assert_eq!(names, left, "threshold {threshold}");
        }
    }

    /// A Job's finished pods are deleted only once the Job controller has counted them (their
    /// finalizer holds them), so the Job still completes with every success counted.
    #[test]
    fn gc_terminated_keeps_job_counts() {
        let mut s = Session::new(1);
        s.cluster.config_mut().terminated_pod_gc_threshold = 2;
        run(&mut s, "sim node add n1", None);
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: many}\nspec:\n  completions: 6\n  parallelism: 3\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: w, image: busybox, command: [sleep, '1']}]\n";
        run(&mut s, "apply -f -", Some(job));
        run(&mut s, "sim advance 2m", None);
        let status = run(
            &mut s,
            "get job many -o jsonpath='{.status.succeeded}/{.status.conditions[-1:].type}'",
            None,
        );
        assert_eq!(status, "6/Complete");
        let pods = run(&mut s, "get pods --no-headers", None);
        assert_eq!(pods.lines().count(), 2, "{pods}");
    }

    /// A runaway workload stops at `max_pods`: the API server refuses the next pod.
    #[test]
    fn pod_cap_refuses_pods_beyond_max_pods() {
        let mut s = Session::new(1);
        s.cluster.config_mut().max_pods = 20;
        run(&mut s, "sim node add n1", None);
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: wq}\nspec:\n  parallelism: 2147483647\n  template:\n    spec:\n      restartPolicy: OnFailure\n      containers: [{name: w, image: busybox, command: [sleep, '8']}]\n";
        run(&mut s, "apply -f -", Some(job));
        run(&mut s, "sim advance 30s", None);
        assert_eq!(
            run(&mut s, "get pods --no-headers", None).lines().count(),
            20
        );
        let out = s.run("run one --image=busybox", None, &NoFiles);
        assert_eq!(
            out.stderr,
            "Error from server (Forbidden): pods \"one\" is forbidden: kubeplay's simulated cluster holds at most 20 pods; delete some, or lower the workload's parallelism\n"
        );
    }
}
