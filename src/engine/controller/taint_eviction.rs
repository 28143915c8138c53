//! Taint-based eviction (`pkg/controller/tainteviction/taint_eviction.go`), run by the node
//! lifecycle controller's pass.
//!
//! As upstream, the controller reacts to changes, not to state:
//! - a node whose NoExecute taints changed (`NodeUpdated`) has every pod bound to it looked at
//!   (`handleNodeUpdate`); a node that lost its last NoExecute taint has its pods' scheduled
//!   evictions cancelled;
//! - a pod bound to a NoExecute-tainted node that is new there, or whose tolerations changed
//!   (`PodUpdated`), is looked at (`handlePodUpdate`); a deleted pod's eviction is cancelled.
//!
//! Looking at a pod (`processPodOnNode`): if some NoExecute taint is not tolerated, it is evicted
//! at once; if every taint is tolerated forever, any scheduled eviction is cancelled; otherwise
//! it is scheduled `min(tolerationSeconds)` after now, over the first toleration that tolerates
//! each taint (`GetMatchingTolerations`, `getMinTolerationTime`). A scheduled eviction is kept if
//! it was scheduled earlier, so lengthening (or shortening) a toleration afterwards changes
//! nothing. The clock starts when the controller sees the taint or the pod, not at the taint's
//! `timeAdded`. Cancelling records `TaintManagerEviction` "Cancelling deletion of Pod ns/name";
//! evicting records `TaintManagerEviction` "Marking for deletion Pod ns/name", sets
//! `DisruptionTarget=True` (`DeletionByTaintManager`) and deletes the pod.
//!
//! Finished and terminating pods are not skipped, as upstream does not skip them: a completed
//! pod on a node that stays unreachable is deleted when its tolerations run out.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{Node, Pod, PodCondition, Taint, Toleration};

use crate::engine::api::taints::tolerates;
use crate::engine::api::{Kind, Object, ObjectKey};
use crate::engine::clock::{Millis, SimTime, SECOND};
use crate::engine::controller::{Action, DeleteOptions, EventRecord, EventType, Outcome};
use crate::engine::store::Store;

/// The controller's name, as its events report it.
pub const CONTROLLER_NAME: &str = "taint-eviction-controller";

/// A scheduled eviction (`TimedWorker`): when it was scheduled and when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduledEviction {
    /// `CreatedAt`.
    pub created_at: SimTime,
    /// `FireAt`.
    pub fire_at: SimTime,
}

/// What the controller last saw of a pod bound to a tainted node (what `PodUpdated` compares).
#[derive(Debug, Clone, PartialEq)]
struct SeenPod {
    uid: String,
    tolerations: Vec<Toleration>,
}

/// The controller's memory: the NoExecute taints of each tainted node (`taintedNodes`), the pods
/// on those nodes as last seen, and the scheduled evictions (`taintEvictionQueue`), keyed by pod.
#[derive(Debug, Clone, Default)]
pub struct TaintEviction {
    tainted_nodes: BTreeMap<String, Vec<Taint>>,
    seen: BTreeMap<ObjectKey, SeenPod>,
    queue: BTreeMap<ObjectKey, ScheduledEviction>,
    /// (Pod, Node) kind revisions at the last pass: unchanged, only due evictions need a look.
    revisions: Option<(u64, u64)>,
}

/// `getNoExecuteTaints`.
pub fn get_no_execute_taints(taints: &[Taint]) -> Vec<Taint> {
    taints
        .iter()
        .filter(|t| t.effect == "NoExecute")
        .cloned()
        .collect()
}

fn node_no_execute_taints(node: &Node) -> Vec<Taint> {
    get_no_execute_taints(
        node.spec
            .as_ref()
            .and_then(|s| s.taints.as_deref())
            .unwrap_or_default(),
    )
}

/// `GetMatchingTolerations`: for each taint the first toleration that tolerates it; `None` when
/// some taint is not tolerated.
pub fn get_matching_tolerations<'a>(
    taints: &[Taint],
    tolerations: &'a [Toleration],
) -> Option<Vec<&'a Toleration>> {
    taints
        .iter()
        .map(|taint| tolerations.iter().find(|t| tolerates(t, taint)))
        .collect()
}

/// How long the used tolerations let a pod stay (`getMinTolerationTime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinToleration {
    /// No toleration sets `tolerationSeconds`: the pod stays (upstream's -1).
    Forever,
    /// The smallest `tolerationSeconds` set (0 for an empty list or any value <= 0).
    After(Millis),
}

/// `getMinTolerationTime`: the smallest `tolerationSeconds` among the tolerations that set one
/// (tolerations without one do not make the others last forever); none set: forever; no
/// tolerations at all, or a value <= 0: at once.
pub fn get_min_toleration_time(tolerations: &[&Toleration]) -> MinToleration {
    if tolerations.is_empty() {
        return MinToleration::After(0);
    }
    let mut min: Option<i64> = None;
    for secs in tolerations.iter().filter_map(|t| t.toleration_seconds) {
        if secs <= 0 {
            return MinToleration::After(0);
        }
        min = Some(min.map_or(secs, |m| m.min(secs)));
    }
    match min {
        None => MinToleration::Forever,
        Some(s) => MinToleration::After(u64::try_from(s).unwrap_or(0).saturating_mul(SECOND)),
    }
}

fn pod_key(pod: &Pod) -> ObjectKey {
    ObjectKey::new(
        Kind::Pod,
        pod.metadata.namespace.as_deref().unwrap_or_default(),
        pod.metadata.name.as_deref().unwrap_or_default(),
    )
}

fn seen_pod(pod: &Pod) -> SeenPod {
    SeenPod {
        uid: pod.metadata.uid.clone().unwrap_or_default(),
        tolerations: pod
            .spec
            .as_ref()
            .and_then(|s| s.tolerations.clone())
            .unwrap_or_default(),
    }
}

impl TaintEviction {
    /// The eviction scheduled for this pod, if any (`GetWorkerUnsafe`).
    pub fn scheduled(&self, namespace: &str, name: &str) -> Option<ScheduledEviction> {
        self.queue
            .get(&ObjectKey::new(Kind::Pod, namespace, name))
            .copied()
    }

    /// Whether the controller holds NoExecute taints for this node (`taintedNodes[name]`).
    pub fn knows_tainted(&self, node: &str) -> bool {
        self.tainted_nodes.contains_key(node)
    }

    /// One pass: node updates first (as upstream's workers prefer them), then pod updates, then
    /// the evictions that are due.
    pub fn sync(&mut self, store: &Store, now: SimTime, out: &mut Outcome) {
        let revisions = (
            store.kind_revision(Kind::Pod),
            store.kind_revision(Kind::Node),
        );
        if self.revisions != Some(revisions) {
            self.revisions = Some(revisions);
            self.observe(store, now, out);
        }
        self.fire(store, now, out);
        if let Some(next) = self.queue.values().map(|w| w.fire_at).min() {
            out.requeue_at(next);
        }
    }

    /// Handles the node and pod changes since the last pass.
    fn observe(&mut self, store: &Store, now: SimTime, out: &mut Outcome) {
        // NodeUpdated: nodes whose NoExecute taints changed, and deleted nodes.
        let mut changed: Vec<(&str, Vec<Taint>)> = Vec::new();
        for node in store.nodes() {
            let name = node.metadata.name.as_deref().unwrap_or_default();
            let taints = node_no_execute_taints(node);
            let same = match self.tainted_nodes.get(name) {
                Some(old) => *old == taints,
                None => taints.is_empty(),
            };
            if !same {
                changed.push((name, taints));
            }
        }
        self.tainted_nodes
            .retain(|name, _| store.node(name).is_some());
        if changed.is_empty() && self.tainted_nodes.is_empty() && self.seen.is_empty() {
            return;
        }
        // Only pods on a node whose taints changed or that is tainted can need work.
        let changed_names: BTreeSet<&str> = changed.iter().map(|(n, _)| *n).collect();
        let relevant =
            |node: &str| self.tainted_nodes.contains_key(node) || changed_names.contains(node);
        let mut by_node: BTreeMap<&str, Vec<&Pod>> = BTreeMap::new();
        for pod in store.pods() {
            if let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) {
                if !node.is_empty() && relevant(node) {
                    by_node.entry(node).or_default().push(pod);
                }
            }
        }
        let mut handled: BTreeSet<&str> = BTreeSet::new();
        for (name, taints) in changed {
            handled.insert(name);
            let pods = by_node.get(name).map(Vec::as_slice).unwrap_or_default();
            if taints.is_empty() {
                self.tainted_nodes.remove(name);
                for pod in pods {
                    self.cancel_with_event(&pod_key(pod), out);
                }
                continue;
            }
            for pod in pods {
                self.process_pod_on_node(pod, &taints, now, out);
            }
            self.tainted_nodes.insert(name.to_string(), taints);
        }
        // PodUpdated: pods new on a tainted node, recreated, or with other tolerations; pods
        // deleted since.
        let mut seen = BTreeMap::new();
        let tainted: Vec<(String, Vec<Taint>)> = self
            .tainted_nodes
            .iter()
            .map(|(n, t)| (n.clone(), t.clone()))
            .collect();
        for (name, taints) in &tainted {
            for pod in by_node
                .get(name.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                let key = pod_key(pod);
                let now_seen = seen_pod(pod);
                let before = self.seen.get(&key);
                if !handled.contains(name.as_str()) && before != Some(&now_seen) {
                    if before.is_some_and(|b| b.uid != now_seen.uid) {
                        // Deleted and created again under the same name.
                        self.cancel_with_event(&key, out);
                    }
                    self.process_pod_on_node(pod, taints, now, out);
                }
                seen.insert(key, now_seen);
            }
        }
        let old = std::mem::replace(&mut self.seen, seen);
        for (key, before) in old {
            let gone = store
                .get(&key)
                .is_none_or(|o| o.uid() != before.uid.as_str());
            if gone {
                self.cancel_with_event(&key, out);
            }
        }
    }

    /// `processPodOnNode` (`taints` is never empty here).
    fn process_pod_on_node(
        &mut self,
        pod: &Pod,
        taints: &[Taint],
        now: SimTime,
        out: &mut Outcome,
    ) {
        let key = pod_key(pod);
        let tolerations = pod
            .spec
            .as_ref()
            .and_then(|s| s.tolerations.as_deref())
            .unwrap_or_default();
        let Some(used) = get_matching_tolerations(taints, tolerations) else {
            // Not every taint is tolerated: evict at once.
            self.cancel_with_event(&key, out);
            self.queue.insert(
                key,
                ScheduledEviction {
                    created_at: now,
                    fire_at: now,
                },
            );
            return;
        };
        let MinToleration::After(min) = get_min_toleration_time(&used) else {
            self.cancel_with_event(&key, out);
            return;
        };
        let mut start = now;
        let trigger = now.plus(min);
        if let Some(existing) = self.queue.get(&key).copied() {
            start = existing.created_at;
            if start.plus(min) < trigger {
                return;
            }
            if existing.fire_at == trigger {
                // Scheduled at this very instant with the same deadline: upstream would cancel
                // and schedule the identical eviction again; nothing changes.
                return;
            }
            self.cancel_with_event(&key, out);
        }
        self.queue.insert(
            key,
            ScheduledEviction {
                created_at: start,
                fire_at: trigger,
            },
        );
    }

    /// `cancelWorkWithEvent`: the event only when an eviction was scheduled.
    fn cancel_with_event(&mut self, key: &ObjectKey, out: &mut Outcome) {
        if self.queue.remove(key).is_none() {
            return;
        }
        let uid = self
            .seen
            .get(key)
            .map(|s| s.uid.clone())
            .unwrap_or_default();
        out.event(EventRecord::about(
            key,
            &uid,
            EventType::Normal,
            "TaintManagerEviction",
            format!("Cancelling deletion of Pod {}/{}", key.namespace, key.name),
            CONTROLLER_NAME,
        ));
    }

    /// Runs the evictions that are due, earliest first (`deletePodHandler`,
    /// `addConditionAndDeletePod`).
    fn fire(&mut self, store: &Store, now: SimTime, out: &mut Outcome) {
        let mut due: Vec<(SimTime, ObjectKey)> = self
            .queue
            .iter()
            .filter(|(_, w)| w.fire_at <= now)
            .map(|(k, w)| (w.fire_at, k.clone()))
            .collect();
        crate::engine::sort::sort(&mut due);
        for (_, key) in due {
            self.queue.remove(&key);
            let Some(Object::Pod(pod)) = store.get(&key) else {
                continue;
            };
            out.event(EventRecord::new(
                &Object::Pod(pod.clone()),
                EventType::Normal,
                "TaintManagerEviction",
                format!("Marking for deletion Pod {}/{}", key.namespace, key.name),
                CONTROLLER_NAME,
            ));
            let mut p = pod.clone();
            let updated = update_pod_condition(
                &mut p,
                PodCondition {
                    type_: "DisruptionTarget".to_string(),
                    status: "True".to_string(),
                    reason: Some("DeletionByTaintManager".to_string()),
                    message: Some("Taint manager: deleting due to NoExecute taint".to_string()),
                    ..Default::default()
                },
                now,
            );
            if updated {
                out.push(Action::Update(Object::Pod(p)));
            }
            out.push(Action::Delete {
                key,
                options: DeleteOptions::default(),
            });
        }
    }
}

/// `apipod.UpdatePodCondition`: adds the condition or replaces the one of its type, the
/// transition time moving to `now` only when the status changes. Returns whether anything
/// changed.
pub(crate) fn update_pod_condition(pod: &mut Pod, mut cond: PodCondition, now: SimTime) -> bool {
    cond.last_transition_time = Some(now.to_k8s());
    // CalculatePodConditionObservedGeneration, PodObservedGenerationTracking on (beta in 1.34):
    // the writer stamps the pod's current generation.
    cond.observed_generation = pod.metadata.generation;
    let conditions = pod
        .status
        .get_or_insert_with(Default::default)
        .conditions
        .get_or_insert_with(Vec::new);
    let Some(old) = conditions.iter_mut().find(|c| c.type_ == cond.type_) else {
        conditions.push(cond);
        return true;
    };
    if cond.status == old.status {
        cond.last_transition_time = old.last_transition_time.clone();
    }
    let equal = cond.status == old.status
        && cond.reason == old.reason
        && cond.message == old.message
        && cond.last_probe_time == old.last_probe_time
        && cond.last_transition_time == old.last_transition_time
        && cond.observed_generation == old.observed_generation;
    *old = cond;
    !equal
}

#[cfg(test)]
mod tests {
    //! Mirrors `pkg/controller/tainteviction/taint_eviction_test.go`: the controller is fed the
    //! same pods and nodes, and "patched" / "deleted" read off the actions it asks for (the
    //! `DisruptionTarget` status update and the delete).

    use k8s_openapi::api::core::v1::{NodeSpec, PodSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    use super::*;

    /// `testutil.NewPod(name, host)`.
    fn new_pod(name: &str, host: &str) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some(name.to_string()),
                namespace: Some("default".to_string()),
                uid: Some(format!("{name}-uid")),
                ..Default::default()
            },
            spec: Some(PodSpec {
                node_name: (!host.is_empty()).then(|| host.to_string()),
                ..Default::default()
            }),
            status: Some(k8s_openapi::api::core::v1::PodStatus {
                conditions: Some(vec![PodCondition {
                    type_: "Ready".to_string(),
                    status: "True".to_string(),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
        }
    }

    /// `testutil.NewNode(name)`.
    fn new_node(name: &str) -> Node {
        Node {
            metadata: ObjectMeta {
                name: Some(name.to_string()),
                uid: Some(format!("{name}-uid")),
                ..Default::default()
            },
            spec: Some(NodeSpec::default()),
            ..Default::default()
        }
    }

    /// `createNoExecuteTaint(index)`.
    fn no_execute_taint(index: i32) -> Taint {
        Taint {
            key: format!("testTaint{index}"),
            value: Some(format!("test{index}")),
            effect: "NoExecute".to_string(),
            time_added: None,
        }
    }

    fn toleration(index: i32, seconds: Option<i64>) -> Toleration {
        Toleration {
            key: Some(format!("testTaint{index}")),
            value: Some(format!("test{index}")),
            effect: Some("NoExecute".to_string()),
            toleration_seconds: seconds,
            ..Default::default()
        }
    }

    /// `addToleration(pod, index, duration)`: a negative duration tolerates forever.
    fn add_toleration(mut pod: Pod, index: i32, duration: i64) -> Pod {
        let secs = (duration >= 0).then_some(duration);
        if let Some(spec) = pod.spec.as_mut() {
            spec.tolerations = Some(vec![toleration(index, secs)]);
        }
        pod
    }

    /// `addTaintsToNode(node, ..., indices)`.
    fn add_taints_to_node(mut node: Node, indices: &[i32]) -> Node {
        if let Some(spec) = node.spec.as_mut() {
            spec.taints = Some(indices.iter().map(|&i| no_execute_taint(i)).collect());
        }
        node
    }

    struct Harness {
        store: Store,
        tc: TaintEviction,
        now: SimTime,
    }

    /// What one pass asked for: pods patched, pods deleted, and the events' messages.
    #[derive(Debug, Default, PartialEq)]
    struct Seen {
        patched: Vec<String>,
        deleted: Vec<String>,
        events: Vec<String>,
    }

    impl Harness {
        fn new(nodes: &[Node], pods: &[Pod]) -> Self {
            let mut store = Store::new();
            for n in nodes {
                store.put(Object::Node(n.clone()));
            }
            for p in pods {
                store.put(Object::Pod(p.clone()));
            }
            Harness {
                store,
                tc: TaintEviction::default(),
                now: SimTime(1_000_000),
            }
        }

        fn put_node(&mut self, n: &Node) {
            self.store.put(Object::Node(n.clone()));
        }

        fn put_pod(&mut self, p: &Pod) {
            self.store.put(Object::Pod(p.clone()));
        }

        fn remove(&mut self, kind: Kind, ns: &str, name: &str) {
            self.store.remove(&ObjectKey::new(kind, ns, name));
        }

        /// One pass at the current time; deleted pods leave the store (as with grace 0).
        fn pass(&mut self) -> Seen {
            let mut out = Outcome::none();
            self.tc.sync(&self.store, self.now, &mut out);
            let mut seen = Seen::default();
            for a in out.actions {
                match a {
                    Action::Update(Object::Pod(p)) => {
                        let cond = p
                            .status
                            .as_ref()
                            .and_then(|s| s.conditions.as_ref())
                            .and_then(|cs| cs.iter().find(|c| c.type_ == "DisruptionTarget"))
                            .cloned()
                            .unwrap();
                        assert_eq!(cond.reason.as_deref(), Some("DeletionByTaintManager"));
                        assert_eq!(
                            cond.message.as_deref(),
                            Some("Taint manager: deleting due to NoExecute taint")
                        );
                        seen.patched.push(p.metadata.name.clone().unwrap());
                    }
                    Action::Delete { key, .. } => {
                        self.store.remove(&key);
                        seen.deleted.push(key.name);
                    }
                    Action::Event(e) => {
                        assert_eq!(e.reason, "TaintManagerEviction");
                        assert_eq!(e.source, CONTROLLER_NAME);
                        seen.events.push(e.message);
                    }
                    other => panic!("unexpected action {other:?}"),
                }
            }
            seen
        }

        /// Advances by `ms` and runs a pass.
        fn after(&mut self, ms: Millis) -> Seen {
            self.now = self.now.plus(ms);
            self.pass()
        }
    }

    fn names(ns: &[&str]) -> Vec<String> {
        ns.iter().map(|s| s.to_string()).collect()
    }

    /// Whether the pass patched and deleted exactly `pods` (upstream's expectPatch/expectDelete).
    fn evicted(seen: &Seen, pods: &[&str]) -> bool {
        seen.patched == names(pods) && seen.deleted == names(pods)
    }

    #[test]
    fn test_filter_no_execute_taints() {
        let taints = vec![
            Taint {
                key: "one".into(),
                value: Some("one".into()),
                effect: "NoExecute".into(),
                time_added: None,
            },
            Taint {
                key: "two".into(),
                value: Some("two".into()),
                effect: "NoSchedule".into(),
                time_added: None,
            },
        ];
        let got = get_no_execute_taints(&taints);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].key, "one");
    }

    #[test]
    fn test_create_pod() {
        let tainted = || add_taints_to_node(new_node("node1"), &[1]);
        let cases: Vec<(&str, Pod, Option<Node>, bool)> = vec![
            ("not scheduled - ignore", new_pod("pod1", ""), None, false),
            (
                "scheduled on untainted Node",
                new_pod("pod1", "node1"),
                None,
                false,
            ),
            (
                "schedule on tainted Node",
                new_pod("pod1", "node1"),
                Some(tainted()),
                true,
            ),
            (
                "schedule on tainted Node with finite toleration",
                add_toleration(new_pod("pod1", "node1"), 1, 100),
                Some(tainted()),
                false,
            ),
            (
                "schedule on tainted Node with infinite toleration",
                add_toleration(new_pod("pod1", "node1"), 1, -1),
                Some(tainted()),
                false,
            ),
            (
                "schedule on tainted Node with infinite invalid toleration",
                add_toleration(new_pod("pod1", "node1"), 2, -1),
                Some(tainted()),
                true,
            ),
        ];
        for (name, pod, node, expect) in cases {
            let node = node.unwrap_or_else(|| new_node("node1"));
            let mut h = Harness::new(&[node], &[]);
            assert_eq!(h.pass(), Seen::default(), "{name}");
            h.put_pod(&pod);
            let seen = h.pass();
            let want: &[&str] = if expect { &["pod1"] } else { &[] };
            assert!(evicted(&seen, want), "{name}: {seen:?}");
        }
    }

    #[test]
    fn test_delete_pod() {
        let mut h = Harness::new(
            &[add_taints_to_node(new_node("node1"), &[1])],
            &[add_toleration(new_pod("pod1", "node1"), 1, 100)],
        );
        h.pass();
        assert!(h.tc.scheduled("default", "pod1").is_some());
        h.remove(Kind::Pod, "default", "pod1");
        let seen = h.pass();
        assert!(h.tc.scheduled("default", "pod1").is_none());
        assert_eq!(
            seen.events,
            names(&["Cancelling deletion of Pod default/pod1"])
        );
        assert_eq!(h.after(200 * SECOND), Seen::default());
    }

    #[test]
    fn test_update_pod() {
        let tainted = add_taints_to_node(new_node("node1"), &[1]);
        // (description, prevPod, newPod, wait for the eviction to be scheduled, then how long
        // until the delete is expected (None: never)).
        let cases: Vec<(&str, Pod, Pod, bool, Option<Millis>)> = vec![
            (
                "scheduling onto tainted Node",
                new_pod("pod1", ""),
                new_pod("pod1", "node1"),
                false,
                Some(0),
            ),
            (
                "scheduling onto tainted Node with toleration",
                add_toleration(new_pod("pod1", ""), 1, -1),
                add_toleration(new_pod("pod1", "node1"), 1, -1),
                false,
                None,
            ),
            (
                "removing toleration",
                add_toleration(new_pod("pod1", "node1"), 1, 100),
                new_pod("pod1", "node1"),
                true,
                Some(0),
            ),
            (
                "lengthening toleration shouldn't work",
                add_toleration(new_pod("pod1", "node1"), 1, 1),
                add_toleration(new_pod("pod1", "node1"), 1, 100),
                true,
                Some(SECOND),
            ),
        ];
        for (name, prev, new, await_scheduled, delete_after) in cases {
            let mut h = Harness::new(std::slice::from_ref(&tainted), &[prev]);
            assert!(evicted(&h.pass(), &[]), "{name}");
            if await_scheduled {
                assert!(h.tc.scheduled("default", "pod1").is_some(), "{name}");
            }
            h.now = h.now.plus(100);
            h.put_pod(&new);
            let seen = h.pass();
            match delete_after {
                Some(0) => assert!(evicted(&seen, &["pod1"]), "{name}: {seen:?}"),
                Some(ms) => {
                    assert!(evicted(&seen, &[]), "{name}: {seen:?}");
                    // Fires on the original schedule (1 s after the first look).
                    let seen = h.after(ms - 100);
                    assert!(evicted(&seen, &["pod1"]), "{name}: {seen:?}");
                }
                None => {
                    assert!(evicted(&seen, &[]), "{name}");
                    assert!(evicted(&h.after(1000 * SECOND), &[]), "{name}");
                }
            }
        }
    }

    #[test]
    fn test_create_node() {
        let cases: Vec<(&str, Pod, Node, bool)> = vec![
            (
                "Creating Node matching already assigned Pod",
                new_pod("pod1", "node1"),
                new_node("node1"),
                false,
            ),
            (
                "Creating tainted Node matching already assigned Pod",
                new_pod("pod1", "node1"),
                add_taints_to_node(new_node("node1"), &[1]),
                true,
            ),
            (
                "Creating tainted Node matching already assigned tolerating Pod",
                add_toleration(new_pod("pod1", "node1"), 1, -1),
                add_taints_to_node(new_node("node1"), &[1]),
                false,
            ),
        ];
        for (name, pod, node, expect) in cases {
            let mut h = Harness::new(&[], &[pod]);
            assert_eq!(h.pass(), Seen::default(), "{name}");
            h.put_node(&node);
            let want: &[&str] = if expect { &["pod1"] } else { &[] };
            assert!(evicted(&h.pass(), want), "{name}");
        }
    }

    #[test]
    fn test_delete_node() {
        let mut h = Harness::new(&[add_taints_to_node(new_node("node1"), &[1])], &[]);
        h.pass();
        assert!(h.tc.knows_tainted("node1"));
        h.remove(Kind::Node, "", "node1");
        h.pass();
        assert!(!h.tc.knows_tainted("node1"));
    }

    #[test]
    fn test_update_node() {
        let multi = {
            let mut p = new_pod("pod1", "node1");
            p.spec.as_mut().unwrap().tolerations =
                Some(vec![toleration(1, Some(1)), toleration(2, Some(100))]);
            p
        };
        // (description, pod, oldNode, newNode, expected delete: None never, Some(ms) after ms).
        let cases: Vec<(&str, Pod, Node, Node, Option<Millis>)> = vec![
            (
                "Added taint, expect node patched and deleted",
                new_pod("pod1", "node1"),
                new_node("node1"),
                add_taints_to_node(new_node("node1"), &[1]),
                Some(0),
            ),
            (
                "Added tolerated taint",
                add_toleration(new_pod("pod1", "node1"), 1, 100),
                new_node("node1"),
                add_taints_to_node(new_node("node1"), &[1]),
                Some(100 * SECOND),
            ),
            (
                "Only one added taint tolerated",
                add_toleration(new_pod("pod1", "node1"), 1, 100),
                new_node("node1"),
                add_taints_to_node(new_node("node1"), &[1, 2]),
                Some(0),
            ),
            (
                "Taint removed",
                add_toleration(new_pod("pod1", "node1"), 1, 1),
                add_taints_to_node(new_node("node1"), &[1]),
                new_node("node1"),
                None,
            ),
            (
                "Pod with multiple tolerations are evicted when first one runs out",
                multi,
                new_node("node1"),
                add_taints_to_node(new_node("node1"), &[1, 2]),
                Some(SECOND),
            ),
        ];
        for (name, pod, old, new, delete_after) in cases {
            let mut h = Harness::new(&[old], &[pod]);
            h.pass();
            h.put_node(&new);
            let seen = h.pass();
            match delete_after {
                Some(0) => assert!(evicted(&seen, &["pod1"]), "{name}: {seen:?}"),
                Some(ms) => {
                    assert!(evicted(&seen, &[]), "{name}");
                    assert!(evicted(&h.after(ms - 1), &[]), "{name}");
                    assert!(evicted(&h.after(1), &["pod1"]), "{name}");
                }
                None => {
                    // upstream sleeps 1.5 s: the 1 s eviction scheduled on the old node was
                    // cancelled.
                    assert!(evicted(&h.after(1500), &[]), "{name}");
                }
            }
        }
    }

    #[test]
    fn test_update_node_with_multiple_taints() {
        let mut pod = new_pod("pod1", "node1");
        pod.spec.as_mut().unwrap().tolerations = Some(vec![
            Toleration {
                key: Some("testTaint1".into()),
                operator: Some("Exists".into()),
                effect: Some("NoExecute".into()),
                ..Default::default()
            },
            Toleration {
                key: Some("testTaint2".into()),
                operator: Some("Exists".into()),
                effect: Some("NoExecute".into()),
                toleration_seconds: Some(60),
                ..Default::default()
            },
        ]);
        let untainted = new_node("node1");
        let double = add_taints_to_node(new_node("node1"), &[1, 2]);
        let single = add_taints_to_node(new_node("node1"), &[1]);
        let mut h = Harness::new(&[untainted], &[pod]);
        h.pass();
        assert!(h.tc.scheduled("default", "pod1").is_none(), "no taints");
        h.put_node(&single);
        h.pass();
        assert!(
            h.tc.scheduled("default", "pod1").is_none(),
            "permanently tolerated taint"
        );
        h.put_node(&double);
        h.pass();
        assert!(
            h.tc.scheduled("default", "pod1").is_some(),
            "temporarily tolerated taint added"
        );
        h.put_node(&single);
        let seen = h.pass();
        assert!(
            h.tc.scheduled("default", "pod1").is_none(),
            "temporarily tolerated taint removed"
        );
        assert_eq!(
            seen.events,
            names(&["Cancelling deletion of Pod default/pod1"])
        );
        assert!(seen.deleted.is_empty());
        assert!(h.after(3600 * SECOND).deleted.is_empty());
    }

    #[test]
    fn test_update_node_with_multiple_pods() {
        let pods = || {
            vec![
                new_pod("pod1", "node1"),
                add_toleration(new_pod("pod2", "node1"), 1, 1),
                add_toleration(new_pod("pod3", "node1"), 1, -1),
            ]
        };
        // Pods with different toleration times are evicted appropriately.
        let mut h = Harness::new(&[new_node("node1")], &pods());
        h.pass();
        h.put_node(&add_taints_to_node(new_node("node1"), &[1]));
        assert_eq!(h.pass().deleted, names(&["pod1"]));
        assert_eq!(h.after(SECOND).deleted, names(&["pod2"]));
        assert!(h.after(1000 * SECOND).deleted.is_empty());
        // Evict all pods not matching all taints instantly.
        let mut h = Harness::new(&[new_node("node1")], &pods());
        h.pass();
        h.put_node(&add_taints_to_node(new_node("node1"), &[1, 2]));
        assert_eq!(h.pass().deleted, names(&["pod1", "pod2", "pod3"]));
    }

    #[test]
    fn test_get_min_toleration_time() {
        let t = |s: Option<i64>| Toleration {
            toleration_seconds: s,
            ..Default::default()
        };
        let cases: Vec<(Vec<Toleration>, MinToleration)> = vec![
            (vec![], MinToleration::After(0)),
            (vec![t(None)], MinToleration::Forever),
            (vec![t(Some(1)), t(Some(2))], MinToleration::After(SECOND)),
            (vec![t(Some(1)), t(None)], MinToleration::After(SECOND)),
            (vec![t(None), t(Some(1))], MinToleration::After(SECOND)),
            (vec![t(Some(0)), t(Some(5))], MinToleration::After(0)),
            (vec![t(Some(-3))], MinToleration::After(0)),
        ];
        for (tolerations, want) in cases {
            let refs: Vec<&Toleration> = tolerations.iter().collect();
            assert_eq!(get_min_toleration_time(&refs), want, "{tolerations:?}");
        }
    }

    #[test]
    fn test_eventual_consistency() {
        // (description, prevPod (None: created later), newPod, newPod tolerates for 100 s).
        let cases: Vec<(&str, Option<Pod>, Pod, bool)> = vec![
            (
                "existing pod2 scheduled onto tainted Node",
                Some(new_pod("pod2", "")),
                new_pod("pod2", "node1"),
                false,
            ),
            (
                "existing pod2 with taint toleration scheduled onto tainted Node",
                Some(add_toleration(new_pod("pod2", ""), 1, 100)),
                add_toleration(new_pod("pod2", "node1"), 1, 100),
                true,
            ),
            (
                "new pod2 created on tainted Node",
                None,
                new_pod("pod2", "node1"),
                false,
            ),
            (
                "new pod2 with tait toleration created on tainted Node",
                None,
                add_toleration(new_pod("pod2", "node1"), 1, 100),
                true,
            ),
        ];
        for (name, prev, new, tolerates) in cases {
            let mut pods = vec![new_pod("pod1", "node1")];
            pods.extend(prev);
            let mut h = Harness::new(&[new_node("node1")], &pods);
            h.pass();
            // The node update deletes pod1; it does not know pod2 on the node yet.
            h.put_node(&add_taints_to_node(new_node("node1"), &[1]));
            assert!(evicted(&h.pass(), &["pod1"]), "{name}");
            // The delayed update of pod2 comes in: it goes as well.
            h.now = h.now.plus(10);
            h.put_pod(&new);
            let seen = h.pass();
            if tolerates {
                assert!(evicted(&seen, &[]), "{name}");
                assert!(evicted(&h.after(100 * SECOND), &["pod2"]), "{name}");
            } else {
                assert!(evicted(&seen, &["pod2"]), "{name}");
            }
        }
    }

    #[test]
    fn test_pod_deletion_event() {
        let mut h = Harness::new(
            &[add_taints_to_node(new_node("node1"), &[1])],
            &[add_toleration(new_pod("test", "node1"), 1, 5)],
        );
        assert_eq!(h.pass(), Seen::default());
        // emitCancelPodDeletionEvent: the toleration now lasts forever.
        h.put_pod(&add_toleration(new_pod("test", "node1"), 1, -1));
        assert_eq!(
            h.pass().events,
            names(&["Cancelling deletion of Pod default/test"])
        );
        // emitPodDeletionEvent: the toleration goes.
        h.put_pod(&new_pod("test", "node1"));
        assert_eq!(
            h.pass().events,
            names(&["Marking for deletion Pod default/test"])
        );
    }

    /// Upstream starts the clock when it sees the taint or the pod, not at `timeAdded`: a pod
    /// bound an hour after the taint appeared still gets its full 300 s.
    #[test]
    fn toleration_seconds_count_from_when_the_pod_is_seen() {
        let mut node = add_taints_to_node(new_node("node1"), &[1]);
        node.spec.as_mut().unwrap().taints.as_mut().unwrap()[0].time_added =
            Some(SimTime(0).to_k8s());
        let mut h = Harness::new(&[node], &[]);
        h.pass();
        h.put_pod(&add_toleration(new_pod("pod1", "node1"), 1, 300));
        assert!(evicted(&h.pass(), &[]));
        assert!(evicted(&h.after(300 * SECOND - 1), &[]));
        assert!(evicted(&h.after(1), &["pod1"]));
    }

    /// A finished pod on a tainted node is evicted too (upstream does not look at the phase).
    #[test]
    fn finished_pods_are_evicted_too() {
        let mut pod = new_pod("done", "node1");
        pod.status.as_mut().unwrap().phase = Some("Succeeded".to_string());
        let mut h = Harness::new(&[new_node("node1")], &[pod]);
        h.pass();
        h.put_node(&add_taints_to_node(new_node("node1"), &[1]));
        assert!(evicted(&h.pass(), &["done"]));
    }
}
