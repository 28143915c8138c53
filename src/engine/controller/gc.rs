//! The garbage collector (`pkg/controller/garbagecollector`), the namespace controller's content
//! deletion and PodGC (`pkg/controller/podgc`), in one pass:
//!
//! - dependents whose owners are all gone are deleted (background cascading deletion);
//! - an owner deleted with `propagationPolicy: Orphan` has its reference stripped from
//!   dependents, then its `orphan` finalizer removed;
//! - an owner deleted with `Foreground` has its dependents deleted, then its `foregroundDeletion`
//!   finalizer removed once none is left;
//! - a terminating namespace has its content deleted, then goes;
//! - PodGC (`markFailedAndDeletePod`: a pod that has not finished is marked Failed first, then
//!   force-deleted; pods only waiting for their finalizers are left alone):
//!   pods bound to a node that no longer exists, after a 40 s quarantine (with `DisruptionTarget`,
//!   `DeletionByPodGC`, if they had not finished); terminating pods that were never scheduled;
//!   terminating pods on a node that is not Ready and carries the
//!   `node.kubernetes.io/out-of-service` taint (`gcTerminating`). Upstream checks every 20 s; we
//!   check on every pass. Events older than the event TTL are dropped;
//! - PodGC's `gcTerminated`: once more than `--terminated-pod-gc-threshold` (12,500) pods have
//!   finished (Succeeded or Failed), the oldest beyond it are deleted (evicted ones first, then by
//!   creation time and name), checked every 20 s (`gcCheckPeriod`). Pods only waiting for their
//!   finalizers (`isPodBlockedOnFinalizers`) count towards the threshold but are not deleted
//!   again, so Job pods still carrying the job-tracking finalizer stay until the Job controller
//!   has counted them.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{Node, Pod, PodCondition};

use crate::engine::api::taints::TAINT_OUT_OF_SERVICE;
use crate::engine::api::{Kind, Object, ObjectKey};
use crate::engine::clock::SimTime;
use crate::engine::controller::ratelimit::TokenBucket;
use crate::engine::controller::taint_eviction::update_pod_condition;
use crate::engine::controller::{Action, DeleteOptions, Outcome, Propagation};
use crate::engine::kubelet::node_ready_status;
use crate::engine::store::Store;
use crate::engine::{Config, FOREGROUND_FINALIZER, ORPHAN_FINALIZER};

/// GC state: when PodGC first saw each pod whose node is gone.
#[derive(Debug, Clone, Default)]
pub struct GarbageCollector {
    orphaned_since: BTreeMap<String, SimTime>,
    /// The store's Node revision at the last pass: when nodes changed, PodGC looks at every pod.
    node_revision: Option<u64>,
    /// When PodGC next counts the terminated pods (only while there are more pods than the
    /// threshold).
    next_terminated_check: SimTime,
    /// The garbage collector's client ([`ratelimit`]): it deletes and un-owns dependents at
    /// most this fast (unlimited by default, kube-controller-manager's in the cluster). The
    /// namespace controller and PodGC have clients of their own, not limited here.
    client: TokenBucket,
}

/// PodGC's `gcCheckPeriod`.
const GC_CHECK_PERIOD_MS: u64 = 20_000;

fn pod_key(p: &Pod) -> ObjectKey {
    ObjectKey::new(
        Kind::Pod,
        p.metadata.namespace.as_deref().unwrap_or_default(),
        p.metadata.name.as_deref().unwrap_or_default(),
    )
}

fn is_terminal(p: &Pod) -> bool {
    matches!(
        p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

/// `isPodBlockedOnFinalizers`: a finished pod whose immediate deletion was accepted and that
/// only its finalizers keep: deleting it again would change nothing.
fn is_pod_blocked_on_finalizers(p: &Pod) -> bool {
    is_terminal(p)
        && p.metadata.deletion_timestamp.is_some()
        && p.metadata.deletion_grace_period_seconds == Some(0)
        && !p
            .metadata
            .finalizers
            .as_deref()
            .unwrap_or_default()
            .is_empty()
}

/// `byEvictionAndCreationTimestamp`: evicted pods first, then by creation time, then by name
/// (then namespace, for a total order).
fn eviction_and_creation_order(p: &Pod) -> (bool, Option<SimTime>, String, String) {
    let evicted = p.status.as_ref().is_some_and(|s| {
        s.phase.as_deref() == Some("Failed") && s.reason.as_deref() == Some("Evicted")
    });
    (
        !evicted,
        p.metadata
            .creation_timestamp
            .as_ref()
            .map(SimTime::from_k8s),
        p.metadata.name.clone().unwrap_or_default(),
        p.metadata.namespace.clone().unwrap_or_default(),
    )
}

/// `IsNodeReady` false and the `node.kubernetes.io/out-of-service` taint (any value or effect):
/// what lets `gcTerminating` force-delete the node's terminating pods.
fn is_out_of_service(node: &Node) -> bool {
    node_ready_status(node).as_deref() != Some("True")
        && node
            .spec
            .as_ref()
            .and_then(|s| s.taints.as_deref())
            .unwrap_or_default()
            .iter()
            .any(|t| t.key == TAINT_OUT_OF_SERVICE)
}

/// `markFailedAndDeletePodWithCondition`: a pod that has not finished is first marked Failed
/// (with `condition`, if any, set as `UpdatePodCondition` does), then it is deleted with a
/// grace period of 0 (what its finalizers still hold stays). Pods only waiting for their
/// finalizers are left alone.
fn mark_failed_and_delete(
    pod: &Pod,
    condition: Option<PodCondition>,
    now: SimTime,
    out: &mut Outcome,
) {
    if is_pod_blocked_on_finalizers(pod) {
        return;
    }
    if !is_terminal(pod) {
        let mut p = pod.clone();
        p.status.get_or_insert_with(Default::default).phase = Some("Failed".to_string());
        if let Some(c) = condition {
            update_pod_condition(&mut p, c, now);
        }
        out.push(Action::Update(Object::Pod(p)));
    }
    out.push(Action::Remove {
        key: pod_key(pod),
        uid: pod.metadata.uid.clone().unwrap_or_default(),
    });
}

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
    /// Sets its client's rate and burst (0 QPS: unlimited).
    pub fn set_client_rate(&mut self, qps: u64, burst: u64) {
        self.client.retune(qps, burst);
    }

    /// One pass of every collector.
    pub fn sync(&mut self, store: &Store, config: &Config, now: SimTime) -> Outcome {
        let mut out = Outcome::none();
        let (budget, mut sent, mut throttled) = (self.client.available(now), 0, 0);
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
            let delete = (all_gone || foreground_owner) && obj.meta().deletion_timestamp.is_none();
            let strip = keep.len() != refs.len() && !all_gone;
            if (delete || strip) && sent == budget {
                // No token left: this dependent waits for the next pass.
                throttled += 1;
                continue;
            }
            if delete {
                sent += 1;
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
            } else if strip {
                sent += 1;
                let mut o = obj.clone();
                o.meta_mut().owner_references = if keep.is_empty() { None } else { Some(keep) };
                out.push(Action::Update(o));
                handled.insert(obj.key());
            }
        }
        self.client.take(sent, now);
        if throttled > 0 {
            out.requeue_at(self.client.wake_at(throttled, now));
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
                .is_some_and(|n| !n.is_empty() && store.node(n).is_none())
        };
        let node_revision = store.kind_revision(Kind::Node);
        let nodes_changed = Some(node_revision) != self.node_revision;
        self.node_revision = Some(node_revision);
        let full = nodes_changed
            || !self.orphaned_since.is_empty()
            || store.unsettled_pods().any(node_missing);
        let pods: Vec<&k8s_openapi::api::core::v1::Pod> = if full {
            store.pods().collect()
        } else {
            store.unsettled_pods().collect()
        };
        let mut seen = BTreeSet::new();
        let mut terminating: Vec<&Pod> = Vec::new();
        let mut orphaned: Vec<&Pod> = Vec::new();
        let mut unscheduled: Vec<&Pod> = Vec::new();
        for pod in pods {
            let node = pod
                .spec
                .as_ref()
                .and_then(|s| s.node_name.as_deref())
                .filter(|n| !n.is_empty());
            let deleting = pod.metadata.deletion_timestamp.is_some();
            match node {
                Some(name) => match store.node(name) {
                    // gcTerminating: only terminating pods on a node that is not Ready and
                    // carries the out-of-service taint.
                    Some(n) if deleting && is_out_of_service(n) => terminating.push(pod),
                    Some(_) => {}
                    // Outside a full pass, every unsettled pod's node was just found to exist.
                    None if full => {
                        let uid = pod.metadata.uid.clone().unwrap_or_default();
                        seen.insert(uid.clone());
                        let since = *self.orphaned_since.entry(uid).or_insert(now);
                        let due = since.plus(config.pod_gc_quarantine_ms);
                        if now < due {
                            out.requeue_at(due);
                        } else {
                            orphaned.push(pod);
                        }
                    }
                    None => {}
                },
                None if deleting => unscheduled.push(pod),
                None => {}
            }
        }
        crate::engine::sort::sort_by_cached_key(&mut terminating, |p| {
            eviction_and_creation_order(p)
        });
        for pod in terminating {
            mark_failed_and_delete(pod, None, now, &mut out);
        }
        for pod in orphaned {
            let condition = PodCondition {
                type_: "DisruptionTarget".to_string(),
                status: "True".to_string(),
                reason: Some("DeletionByPodGC".to_string()),
                message: Some("PodGC: node no longer exists".to_string()),
                ..Default::default()
            };
            mark_failed_and_delete(pod, Some(condition), now, &mut out);
        }
        for pod in unscheduled {
            mark_failed_and_delete(pod, None, now, &mut out);
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
        let mut terminated: Vec<&Pod> = store.pods().filter(|p| is_terminal(p)).collect();
        let Some(excess) = terminated.len().checked_sub(threshold).filter(|n| *n > 0) else {
            return;
        };
        // Pods only waiting for their finalizers count towards the threshold but are not
        // deleted again; the others go oldest first, evicted ones before the rest.
        terminated.retain(|p| !is_pod_blocked_on_finalizers(p));
        crate::engine::sort::sort_by_cached_key(&mut terminated, |p| {
            eviction_and_creation_order(p)
        });
        for p in terminated.into_iter().take(excess) {
            out.push(Action::Delete {
                key: pod_key(p),
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
mod podgc_tests {
    //! Mirrors `pkg/controller/podgc/gc_controller_test.go` (`TestGCTerminated`,
    //! `TestGCOrphaned`, `TestGCUnscheduledTerminating`, `TestGCTerminating`,
    //! `TestIsPodBlockedOnFinalizers`, `TestGCTerminatedConverges`,
    //! `TestGCInspectingPatchedPodBeforeDeletion`) on the store directly: "patched" is a status
    //! update, "deleted" a delete or a forced removal.

    use k8s_openapi::api::core::v1::{
        NodeCondition, NodeSpec, NodeStatus, PodSpec, PodStatus, Taint,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    use super::*;

    const TEST_FINALIZER: &str = "test.k8s.io/finalizer";
    /// Expected pod names.
    type Names = &'static [&'static str];
    const HOUR: u64 = 3_600_000;

    #[derive(Clone, Default)]
    struct P {
        name: &'static str,
        node: &'static str,
        phase: &'static str,
        reason: &'static str,
        deleting: bool,
        grace: Option<i64>,
        finalizer: bool,
    }

    fn p(name: &'static str, node: &'static str, phase: &'static str) -> P {
        P {
            name,
            node,
            phase,
            ..Default::default()
        }
    }

    impl P {
        fn deleting(mut self, grace: Option<i64>) -> Self {
            self.deleting = true;
            self.grace = grace;
            self
        }
        fn finalizer(mut self) -> Self {
            self.finalizer = true;
            self
        }
        fn reason(mut self, r: &'static str) -> Self {
            self.reason = r;
            self
        }
        /// `makeForceDeletedPod`.
        fn force_deleted(self) -> Self {
            self.deleting(Some(0)).finalizer()
        }
    }

    fn node(name: &str, ready: &str, taints: Vec<Taint>) -> Node {
        Node {
            metadata: ObjectMeta {
                name: Some(name.to_string()),
                uid: Some(format!("{name}-uid")),
                ..Default::default()
            },
            spec: Some(NodeSpec {
                taints: (!taints.is_empty()).then_some(taints),
                ..Default::default()
            }),
            status: Some(NodeStatus {
                conditions: Some(vec![NodeCondition {
                    type_: "Ready".to_string(),
                    status: ready.to_string(),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
        }
    }

    fn out_of_service(value: &str, effect: &str) -> Vec<Taint> {
        vec![Taint {
            key: TAINT_OUT_OF_SERVICE.to_string(),
            value: (!value.is_empty()).then(|| value.to_string()),
            effect: effect.to_string(),
            time_added: None,
        }]
    }

    /// The store: nodes, then pods created an hour apart, in order.
    fn store_with(nodes: &[Node], pods: &[P]) -> Store {
        let mut store = Store::new();
        for n in nodes {
            store.put(Object::Node(n.clone()));
        }
        for (i, c) in pods.iter().enumerate() {
            let pod = Pod {
                metadata: ObjectMeta {
                    name: Some(c.name.to_string()),
                    namespace: Some("default".to_string()),
                    uid: Some(format!("{}-uid", c.name)),
                    creation_timestamp: Some(SimTime((i as u64 + 1) * HOUR).to_k8s()),
                    deletion_timestamp: c.deleting.then(|| SimTime(0).to_k8s()),
                    deletion_grace_period_seconds: c.grace,
                    finalizers: c.finalizer.then(|| vec![TEST_FINALIZER.to_string()]),
                    ..Default::default()
                },
                spec: Some(PodSpec {
                    node_name: (!c.node.is_empty()).then(|| c.node.to_string()),
                    ..Default::default()
                }),
                status: Some(PodStatus {
                    phase: (!c.phase.is_empty()).then(|| c.phase.to_string()),
                    reason: (!c.reason.is_empty()).then(|| c.reason.to_string()),
                    ..Default::default()
                }),
            };
            store.put(Object::Pod(pod));
        }
        store
    }

    /// (deleted, patched) pod names of one collector pass, sorted.
    /// One pass of a fresh collector (terminated-pod threshold 0) long after the pods were
    /// created: the pods it force-deletes and those it patches (DisruptionTarget, Failed).
    fn assert_one_pass(name: &str, store: &Store, want_deleted: &[&str], want_patched: &[&str]) {
        let config = Config {
            terminated_pod_gc_threshold: 0,
            ..Config::default()
        };
        let (deleted, patched) = run(
            &mut GarbageCollector::default(),
            store,
            &config,
            SimTime(100 * HOUR),
        );
        assert_eq!(deleted, names(want_deleted), "{name}");
        assert_eq!(patched, names(want_patched), "{name}");
    }

    fn run(
        gc: &mut GarbageCollector,
        store: &Store,
        config: &Config,
        now: SimTime,
    ) -> (Vec<String>, Vec<String>) {
        let out = gc.sync(store, config, now);
        let mut deleted = Vec::new();
        let mut patched = Vec::new();
        for a in out.actions {
            match a {
                Action::Update(Object::Pod(p)) => patched.push(p.metadata.name.unwrap()),
                Action::Delete { key, options } if key.kind == Kind::Pod => {
                    assert_eq!(options.grace_period_seconds, Some(0));
                    deleted.push(key.name);
                }
                Action::Remove { key, .. } if key.kind == Kind::Pod => deleted.push(key.name),
                _ => {}
            }
        }
        crate::engine::sort::sort(&mut deleted);
        crate::engine::sort::sort(&mut patched);
        (deleted, patched)
    }

    fn names(ns: &[&str]) -> Vec<String> {
        ns.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn test_gc_terminated() {
        let cases: Vec<(&str, Vec<P>, usize, &[&str])> = vec![
            (
                "delete pod a which is PodFailed and pod b which is PodSucceeded",
                vec![
                    p("a", "node", "Failed"),
                    p("b", "node", "Succeeded"),
                    p("c", "node", "Failed"),
                ],
                1,
                &["a", "b"],
            ),
            (
                "threshold = 0, disables terminated pod deletion",
                vec![p("a", "node", "Failed"), p("b", "node", "Succeeded")],
                0,
                &[],
            ),
            (
                "threshold = 1, delete pod b which is PodSucceeded",
                vec![
                    p("a", "node", "Running"),
                    p("b", "node", "Succeeded"),
                    p("c", "node", "Failed"),
                ],
                1,
                &["b"],
            ),
            (
                "threshold = 1, delete pod a which is PodFailed",
                vec![p("a", "node", "Failed"), p("b", "node", "Succeeded")],
                1,
                &["a"],
            ),
            (
                "threshold = 5, don't delete pod",
                vec![p("a", "node", "Failed"), p("b", "node", "Succeeded")],
                5,
                &[],
            ),
            (
                "evicted pods go first",
                vec![
                    p("a", "node", "Failed"),
                    p("b", "node", "Succeeded"),
                    p("c", "node", "Failed").reason("Evicted"),
                ],
                1,
                &["a", "c"],
            ),
            (
                "evicted pods go first, running pods never",
                vec![
                    p("a", "node", "Running"),
                    p("b", "node", "Succeeded"),
                    p("c", "node", "Failed").reason("Evicted"),
                ],
                1,
                &["c"],
            ),
            (
                "pods that are only waiting for their finalizers are not deleted again",
                vec![
                    p("a", "node", "Succeeded").force_deleted(),
                    p("b", "node", "Failed").force_deleted(),
                ],
                1,
                &[],
            ),
            (
                "pods that are only waiting for their finalizers still count towards the threshold",
                vec![
                    p("a", "node", "Succeeded").force_deleted(),
                    p("b", "node", "Failed").force_deleted(),
                    p("c", "node", "Succeeded"),
                ],
                2,
                &["c"],
            ),
            (
                "the number of deletion candidates limits the number of deleted pods",
                vec![
                    p("a", "node", "Succeeded").force_deleted(),
                    p("b", "node", "Failed").force_deleted(),
                    p("c", "node", "Succeeded").force_deleted(),
                    p("d", "node", "Succeeded"),
                ],
                1,
                &["d"],
            ),
            (
                "terminated pods that are not only waiting for their finalizers are still deleted",
                vec![
                    p("a", "node", "Succeeded").deleting(Some(30)).finalizer(),
                    p("b", "node", "Succeeded").deleting(Some(0)),
                    p("c", "node", "Succeeded").deleting(None).finalizer(),
                    p("d", "node", "Succeeded").finalizer(),
                ],
                1,
                &["a", "b", "c"],
            ),
        ];
        for (name, pods, threshold, want) in cases {
            let store = store_with(&[node("node", "True", vec![])], &pods);
            let config = Config {
                terminated_pod_gc_threshold: threshold,
                ..Config::default()
            };
            let mut gc = GarbageCollector::default();
            let (deleted, patched) = run(&mut gc, &store, &config, SimTime(100 * HOUR));
            assert_eq!(deleted, names(want), "{name}");
            assert!(patched.is_empty(), "{name}");
        }
    }

    #[test]
    fn test_gc_orphaned() {
        // (name, existing nodes, pods, delay before the second pass, node added after the first
        // pass, node deleted after the first pass, deleted, patched).
        type Case = (
            &'static str,
            Vec<&'static str>,
            Vec<P>,
            u64,
            Option<&'static str>,
            Option<&'static str>,
            &'static [&'static str],
            &'static [&'static str],
        );
        let q = Config::default().pod_gc_quarantine_ms;
        let cases: Vec<Case> = vec![
            (
                "nodes present in lister",
                vec!["existing1", "existing2"],
                vec![
                    p("a", "existing1", "Running"),
                    p("b", "existing2", "Failed"),
                    p("c", "existing2", "Succeeded"),
                ],
                2 * q,
                None,
                None,
                &[],
                &[],
            ),
            (
                "no nodes",
                vec![],
                vec![p("a", "deleted", "Failed"), p("b", "deleted", "Succeeded")],
                2 * q,
                None,
                None,
                &["a", "b"],
                &[],
            ),
            (
                "no nodes, one running pod",
                vec![],
                vec![
                    p("a", "deleted", "Failed"),
                    p("b", "deleted", "Succeeded"),
                    p("c", "deleted", "Running"),
                ],
                2 * q,
                None,
                None,
                &["a", "b", "c"],
                &["c"],
            ),
            (
                "no nodes, pods that are only waiting for their finalizers",
                vec![],
                vec![
                    p("a", "deleted", "Failed").force_deleted(),
                    p("b", "deleted", "Running"),
                    p("c", "deleted", "Succeeded"),
                ],
                2 * q,
                None,
                None,
                &["b", "c"],
                &["b"],
            ),
            (
                "quarantine not finished",
                vec![],
                vec![p("a", "deleted", "Failed")],
                q / 2,
                None,
                None,
                &[],
                &[],
            ),
            (
                "wrong nodes",
                vec!["existing"],
                vec![p("a", "deleted", "Running")],
                2 * q,
                None,
                None,
                &["a"],
                &["a"],
            ),
            (
                "some nodes missing",
                vec!["existing"],
                vec![
                    p("a", "deleted", "Failed"),
                    p("b", "existing", "Failed"),
                    p("c", "deleted", "Succeeded"),
                    p("d", "deleted", "Running"),
                ],
                2 * q,
                None,
                None,
                &["a", "c", "d"],
                &["d"],
            ),
            (
                "node added after quarantine",
                vec![],
                vec![p("a", "node", "Running")],
                2 * q,
                Some("node"),
                None,
                &[],
                &[],
            ),
            (
                "node deleted after quarantine",
                vec!["node"],
                vec![p("a", "node", "Failed")],
                2 * q,
                None,
                Some("node"),
                &[],
                &[],
            ),
        ];
        for (name, nodes, pods, delay, added, removed, want_deleted, want_patched) in cases {
            let nodes: Vec<Node> = nodes.iter().map(|n| node(n, "True", vec![])).collect();
            let mut store = store_with(&nodes, &pods);
            let config = Config {
                terminated_pod_gc_threshold: 0,
                ..Config::default()
            };
            let mut gc = GarbageCollector::default();
            let t0 = SimTime(100 * HOUR);
            let (deleted, _) = run(&mut gc, &store, &config, t0);
            assert!(
                deleted.is_empty(),
                "{name}: no pods should be deleted at this point"
            );
            if let Some(n) = added {
                store.put(Object::Node(node(n, "True", vec![])));
            }
            if let Some(n) = removed {
                store.remove(&ObjectKey::new(Kind::Node, "", n));
            }
            let (deleted, patched) = run(&mut gc, &store, &config, t0.plus(delay));
            assert_eq!(deleted, names(want_deleted), "{name}");
            assert_eq!(patched, names(want_patched), "{name}");
        }
    }

    #[test]
    fn test_gc_unscheduled_terminating() {
        let cases: Vec<(&str, Vec<P>, Names, Names)> = vec![
            (
                "Unscheduled pod in any phase must be deleted",
                vec![
                    p("a", "", "Failed").deleting(None),
                    p("b", "", "Succeeded").deleting(None),
                    p("c", "", "Running").deleting(None),
                ],
                &["a", "b", "c"],
                &["c"],
            ),
            (
                "Scheduled pod in any phase must not be deleted",
                vec![
                    p("a", "", "Failed"),
                    p("b", "node", "Succeeded"),
                    p("c", "node", "Running").deleting(None),
                ],
                &[],
                &[],
            ),
            (
                "Unscheduled pod that is only waiting for its finalizers must not be deleted again",
                vec![
                    p("a", "", "Failed").force_deleted(),
                    p("b", "", "Pending").force_deleted(),
                    p("c", "", "Succeeded").deleting(Some(0)),
                ],
                &["b", "c"],
                &["b"],
            ),
        ];
        for (name, pods, want_deleted, want_patched) in cases {
            let store = store_with(&[node("node", "True", vec![])], &pods);
            assert_one_pass(name, &store, want_deleted, want_patched);
        }
    }

    #[test]
    fn test_gc_terminating() {
        let worker_pods = |i: u32, node: &'static str| -> Vec<P> {
            let n = |s: &str| -> &'static str { Box::leak(format!("{s}{i}").into_boxed_str()) };
            vec![
                p(n("a"), node, ""),
                p(n("b"), node, "").deleting(None),
                p(n("c"), node, "Pending"),
                p(n("d"), node, "Running"),
                p(n("e"), node, "Unknown"),
            ]
        };
        type Case = (&'static str, Vec<Node>, Vec<P>, Names, Names);
        let cases: Vec<Case> = vec![
            (
                "pods have deletion timestamp set and the corresponding nodes are not ready",
                vec![node("worker-0", "False", vec![]), node("worker-1", "False", vec![])],
                vec![
                    p("a", "worker-0", "").deleting(None),
                    p("b", "worker-1", "").deleting(None),
                ],
                &[],
                &[],
            ),
            (
                "some pods have deletion timestamp and/or phase set and some of the corresponding nodes have an outofservice taint that are not ready",
                vec![
                    node("worker-0", "False", out_of_service("", "NoExecute")),
                    node("worker-1", "False", vec![]),
                    node("worker-2", "True", vec![]),
                    node("worker-3", "False", out_of_service("", "NoSchedule")),
                    node("worker-4", "False", out_of_service("", "PreferNoSchedule")),
                    node("worker-5", "False", out_of_service("any-value", "NoExecute")),
                ],
                [
                    worker_pods(1, "worker-0"),
                    worker_pods(2, "worker-1"),
                    worker_pods(3, "worker-2"),
                    worker_pods(4, "worker-3"),
                    worker_pods(5, "worker-4"),
                    worker_pods(6, "worker-5"),
                ]
                .concat(),
                &["b1", "b4", "b5", "b6"],
                &["b1", "b4", "b5", "b6"],
            ),
            (
                "pods deleted from node tainted out-of-service",
                vec![node("worker", "False", out_of_service("", "NoExecute"))],
                vec![
                    p("a", "worker", "Running").deleting(None),
                    p("b", "worker", "Failed").deleting(None),
                    p("c", "worker", "Succeeded").deleting(None),
                ],
                &["a", "b", "c"],
                &["a"],
            ),
            (
                "pods that are only waiting for their finalizers are not deleted again",
                vec![node("worker", "False", out_of_service("", "NoExecute"))],
                vec![
                    p("a", "worker", "Failed").force_deleted(),
                    p("b", "worker", "Running").force_deleted(),
                ],
                &["b"],
                &["b"],
            ),
        ];
        for (name, nodes, pods, want_deleted, want_patched) in cases {
            assert_one_pass(name, &store_with(&nodes, &pods), want_deleted, want_patched);
        }
    }

    #[test]
    fn test_is_pod_blocked_on_finalizers() {
        let cases: Vec<(&str, P, bool)> = vec![
            (
                "terminated pod that is not marked for deletion",
                p("a", "node", "Succeeded"),
                false,
            ),
            (
                "terminated pod whose deletion has not been accepted yet",
                p("a", "node", "Succeeded").deleting(None).finalizer(),
                false,
            ),
            (
                "terminated pod that is still within its grace period",
                p("a", "node", "Succeeded").deleting(Some(30)).finalizer(),
                false,
            ),
            (
                "terminated pod without finalizers",
                p("a", "node", "Succeeded").deleting(Some(0)),
                false,
            ),
            (
                "running pod",
                p("a", "node", "Running").force_deleted(),
                false,
            ),
            (
                "succeeded pod that is only waiting for its finalizers",
                p("a", "node", "Succeeded").force_deleted(),
                true,
            ),
            (
                "failed pod that is only waiting for its finalizers",
                p("a", "node", "Failed").force_deleted(),
                true,
            ),
        ];
        for (name, pod, want) in cases {
            let store = store_with(&[], &[pod]);
            let got = is_pod_blocked_on_finalizers(store.pods().next().unwrap());
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn test_gc_terminated_converges() {
        let mut store = store_with(
            &[node("node", "True", vec![])],
            &[
                p("a", "node", "Succeeded").finalizer(),
                p("b", "node", "Succeeded").finalizer(),
                p("c", "node", "Succeeded").finalizer(),
            ],
        );
        let config = Config {
            terminated_pod_gc_threshold: 1,
            ..Config::default()
        };
        let mut gc = GarbageCollector::default();
        let mut now = SimTime(100 * HOUR);
        let accept = |store: &mut Store, name: &str| {
            let key = ObjectKey::new(Kind::Pod, "default", name);
            let Some(Object::Pod(mut pod)) = store.get(&key).cloned() else {
                panic!()
            };
            pod.metadata.deletion_timestamp = Some(SimTime(0).to_k8s());
            pod.metadata.deletion_grace_period_seconds = Some(0);
            store.put(Object::Pod(pod));
        };
        // The two oldest pods are force deleted, the threshold keeps the newest one.
        assert_eq!(run(&mut gc, &store, &config, now).0, names(&["a", "b"]));
        accept(&mut store, "a");
        accept(&mut store, "b");
        // a and b only wait for their finalizers now: c is the only candidate left.
        now = now.plus(GC_CHECK_PERIOD_MS);
        assert_eq!(run(&mut gc, &store, &config, now).0, names(&["c"]));
        accept(&mut store, "c");
        // Nothing is left to do until the finalizers go.
        now = now.plus(GC_CHECK_PERIOD_MS);
        assert_eq!(run(&mut gc, &store, &config, now), (vec![], vec![]));
    }

    #[test]
    fn test_gc_inspecting_patched_pod_before_deletion() {
        let mut store = store_with(&[], &[p("testPod", "deletedNode", "Running")]);
        let key = ObjectKey::new(Kind::Pod, "default", "testPod");
        let Some(Object::Pod(mut pod)) = store.get(&key).cloned() else {
            panic!()
        };
        pod.status.as_mut().unwrap().conditions = Some(vec![PodCondition {
            type_: "Ready".to_string(),
            status: "True".to_string(),
            ..Default::default()
        }]);
        store.put(Object::Pod(pod));
        let config = Config {
            pod_gc_quarantine_ms: 0,
            terminated_pod_gc_threshold: 0,
            ..Config::default()
        };
        let now = SimTime(100 * HOUR);
        let out = GarbageCollector::default().sync(&store, &config, now);
        let patched = out
            .actions
            .iter()
            .find_map(|a| match a {
                Action::Update(Object::Pod(p)) => Some(p.clone()),
                _ => None,
            })
            .unwrap();
        let status = patched.status.unwrap();
        assert_eq!(status.phase.as_deref(), Some("Failed"));
        let conds: Vec<(String, String, Option<String>, Option<String>)> = status
            .conditions
            .unwrap()
            .into_iter()
            .map(|c| (c.type_, c.status, c.reason, c.message))
            .collect();
        assert_eq!(
            conds,
            vec![
                ("Ready".into(), "True".into(), None, None),
                (
                    "DisruptionTarget".into(),
                    "True".into(),
                    Some("DeletionByPodGC".into()),
                    Some("PodGC: node no longer exists".into())
                ),
            ]
        );
        assert!(out
            .actions
            .iter()
            .any(|a| matches!(a, Action::Remove { key: k, .. } if *k == key)));
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

    /// The threshold end to end (the table above is `TestGCTerminated`): above it the oldest
    /// finished pods go, running ones never; a threshold of 0 turns it off.
    #[test]
    fn gc_terminated_through_kubectl() {
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

    /// The garbage collector's client sends 30 deletes at once, then 20 a second: deleting a
    /// Job with 100 pods leaves most of them running for a few seconds; with the limit off
    /// (`controller_qps = 0`) they all go at once.
    #[test]
    fn cascading_deletion_is_paced_by_the_client() {
        for (qps, terminating_at_once) in [(20, "30"), (0, "100")] {
            let mut s = Session::new(1);
            s.cluster.config_mut().controller_qps = qps;
            run(&mut s, "sim node add n1", None);
            let job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: wide}\nspec:\n  parallelism: 100\n  completions: 100\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox, command: [sleep, '600']}]\n";
            run(&mut s, "apply -f -", Some(job));
            run(&mut s, "sim advance 20s", None);
            let count = "get pods --no-headers | grep -c Terminating";
            let all = run(&mut s, "get pods --no-headers | wc -l", None);
            assert_eq!(all.trim(), "100", "qps {qps}");
            run(&mut s, "delete job wide --wait=false", None);
            assert_eq!(
                run(&mut s, count, None).trim(),
                terminating_at_once,
                "qps {qps}"
            );
            run(&mut s, "sim advance 1s", None);
            let after = if qps == 0 { "100" } else { "50" };
            assert_eq!(run(&mut s, count, None).trim(), after, "qps {qps}");
        }
    }

    /// Non-graceful node shutdown: a pod stuck Terminating on an unreachable node goes once the
    /// administrator taints the node `node.kubernetes.io/out-of-service` (`gcTerminating`).
    #[test]
    fn out_of_service_taint_releases_terminating_pods() {
        let mut s = Session::new(1);
        run(&mut s, "sim node add n1", None);
        run(&mut s, "apply -f -", Some(&pod("p1", "sleep 3600")));
        run(&mut s, "sim advance 10s", None);
        run(&mut s, "sim node down n1", None);
        run(&mut s, "sim advance 60s", None);
        run(&mut s, "delete pod p1 --wait=false", None);
        run(&mut s, "sim advance 60s", None);
        let names = "get pods -o jsonpath='{.items[*].metadata.name}{\"\\n\"}'";
        assert_eq!(run(&mut s, names, None), "p1\n");
        run(
            &mut s,
            "taint node n1 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute",
            None,
        );
        run(&mut s, "sim advance 1s", None);
        assert_eq!(run(&mut s, names, None), "\n");
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
