//! Table tests named after `pkg/controller/daemon/daemon_controller_test.go` and `update_test.go`.
//! Every case ends by settling the cluster and asserting that one more sync writes nothing.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::apps::v1::{DaemonSetSpec, DaemonSetUpdateStrategy, RollingUpdateDaemonSet};
use k8s_openapi::api::core::v1::{
    Container, NodeSelectorRequirement, NodeSpec, PodCondition, PodSpec, Taint, Toleration,
};
use k8s_openapi::api::core::v1::{NodeCondition, NodeStatus, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use proptest::prelude::*;

use super::*;
use crate::engine::Cluster;

const SIMPLE_DS_LABEL: &[(&str, &str)] = &[("name", "simple-daemon"), ("type", "production")];
const SIMPLE_DS_LABEL2: &[(&str, &str)] = &[("name", "simple-daemon"), ("type", "test")];
const SIMPLE_NODE_LABEL: &[(&str, &str)] = &[("color", "blue"), ("speed", "fast")];

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

struct NodeB(Node);

fn node(name: &str) -> NodeB {
    NodeB(Node {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            ..Default::default()
        },
        ..Default::default()
    })
}

impl NodeB {
    fn labels(mut self, pairs: &[(&str, &str)]) -> Self {
        self.0
            .metadata
            .labels
            .get_or_insert_with(Default::default)
            .extend(map(pairs));
        self
    }
    fn taint(mut self, key: &str, value: &str, effect: &str) -> Self {
        self.0
            .spec
            .get_or_insert_with(NodeSpec::default)
            .taints
            .get_or_insert_with(Vec::new)
            .push(Taint {
                key: key.to_string(),
                value: (!value.is_empty()).then(|| value.to_string()),
                effect: effect.to_string(),
                time_added: None,
            });
        self
    }
    /// Adds a status condition (upstream sets `node.Status.Conditions`).
    fn condition(mut self, type_: &str, status: &str) -> Self {
        self.0
            .status
            .get_or_insert_with(NodeStatus::default)
            .conditions
            .get_or_insert_with(Vec::new)
            .push(NodeCondition {
                type_: type_.to_string(),
                status: status.to_string(),
                ..Default::default()
            });
        self
    }
    /// Upstream `allocatableResources(memory, cpu)`: memory, cpu and 100 pods.
    fn allocatable(mut self, memory: &str, cpu: &str) -> Self {
        self.0
            .status
            .get_or_insert_with(NodeStatus::default)
            .allocatable = Some(resource_list(memory, cpu));
        self
    }
    fn unschedulable(mut self) -> Self {
        self.0
            .spec
            .get_or_insert_with(NodeSpec::default)
            .unschedulable = Some(true);
        self.taint(
            crate::engine::api::taints::TAINT_UNSCHEDULABLE,
            "",
            "NoSchedule",
        )
    }
}

/// Upstream `allocatableResources(memory, cpu)`.
fn resource_list(memory: &str, cpu: &str) -> BTreeMap<String, Quantity> {
    [("memory", memory), ("cpu", cpu), ("pods", "100")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
        .collect()
}

/// Upstream `resourcePodSpec(nodeName, memory, cpu)`: one container requesting the resources
/// (without upstream's `pods: 100`, which the API server rejects in a container's requests).
fn resource_pod_spec(node_name: &str, memory: &str, cpu: &str) -> PodSpec {
    let mut requests = resource_list(memory, cpu);
    requests.remove("pods");
    PodSpec {
        node_name: (!node_name.is_empty()).then(|| node_name.to_string()),
        containers: vec![Container {
            name: "foo".to_string(),
            image: Some("foo/bar".to_string()),
            resources: Some(ResourceRequirements {
                requests: Some(requests),
                ..Default::default()
            }),
            ..Default::default()
        }],
        ..Default::default()
    }
}

struct DsB(DaemonSet);

fn ds(name: &str) -> DsB {
    DsB(DaemonSet {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some("default".to_string()),
            ..Default::default()
        },
        spec: Some(DaemonSetSpec {
            selector: LabelSelector {
                match_labels: Some(map(SIMPLE_DS_LABEL)),
                match_expressions: None,
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(map(SIMPLE_DS_LABEL)),
                    ..Default::default()
                }),
                spec: Some(PodSpec {
                    containers: vec![Container {
                        name: "foo".to_string(),
                        image: Some("foo/bar".to_string()),
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

fn tol(key: &str, op: &str, value: &str, effect: &str) -> Toleration {
    Toleration {
        key: Some(key.to_string()),
        operator: Some(op.to_string()),
        value: (!value.is_empty()).then(|| value.to_string()),
        effect: (!effect.is_empty()).then(|| effect.to_string()),
        toleration_seconds: None,
    }
}

impl DsB {
    fn pod_spec(&mut self) -> &mut PodSpec {
        self.0
            .spec
            .get_or_insert_with(Default::default)
            .template
            .spec
            .get_or_insert_with(Default::default)
    }
    /// Replaces the template's pod spec (upstream `ds.Spec.Template.Spec = podSpec`).
    fn spec(mut self, spec: PodSpec) -> Self {
        *self.pod_spec() = spec;
        self
    }
    fn node_selector(mut self, pairs: &[(&str, &str)]) -> Self {
        self.pod_spec().node_selector = Some(map(pairs));
        self
    }
    fn node_name(mut self, n: &str) -> Self {
        self.pod_spec().node_name = Some(n.to_string());
        self
    }
    fn toleration(mut self, t: Toleration) -> Self {
        self.pod_spec()
            .tolerations
            .get_or_insert_with(Vec::new)
            .push(t);
        self
    }
    fn host_network(mut self) -> Self {
        self.pod_spec().host_network = Some(true);
        self
    }
    fn required_affinity(mut self, key: &str, op: &str, values: &[&str], field: bool) -> Self {
        let req = NodeSelectorRequirement {
            key: key.to_string(),
            operator: op.to_string(),
            values: Some(values.iter().map(|v| v.to_string()).collect()),
        };
        let term = if field {
            NodeSelectorTerm {
                match_expressions: None,
                match_fields: Some(vec![req]),
            }
        } else {
            NodeSelectorTerm {
                match_expressions: Some(vec![req]),
                match_fields: None,
            }
        };
        self.pod_spec().affinity = Some(Affinity {
            node_affinity: Some(NodeAffinity {
                required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                    node_selector_terms: vec![term],
                }),
                ..Default::default()
            }),
            ..Default::default()
        });
        self
    }
    fn strategy(mut self, max_unavailable: IntOrString, max_surge: IntOrString) -> Self {
        self.0
            .spec
            .get_or_insert_with(Default::default)
            .update_strategy = Some(DaemonSetUpdateStrategy {
            type_: Some("RollingUpdate".to_string()),
            rolling_update: Some(RollingUpdateDaemonSet {
                max_unavailable: Some(max_unavailable),
                max_surge: Some(max_surge),
            }),
        });
        self
    }
    fn on_delete(mut self) -> Self {
        self.0
            .spec
            .get_or_insert_with(Default::default)
            .update_strategy = Some(DaemonSetUpdateStrategy {
            type_: Some("OnDelete".to_string()),
            rolling_update: None,
        });
        self
    }
    fn min_ready_seconds(mut self, s: i32) -> Self {
        self.0
            .spec
            .get_or_insert_with(Default::default)
            .min_ready_seconds = Some(s);
        self
    }
    fn history_limit(mut self, n: i32) -> Self {
        self.0
            .spec
            .get_or_insert_with(Default::default)
            .revision_history_limit = Some(n);
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Harness: a Cluster as the API server, our controller run by hand.
// ---------------------------------------------------------------------------------------------

struct Harness {
    c: Cluster,
    ctrl: DaemonSetController,
    pod_seq: usize,
    /// The update strategy `add_ds` gives a DaemonSet that sets none (upstream's
    /// `updateStrategies()` loop); `None` leaves it to API defaulting.
    strategy: Option<DaemonSetUpdateStrategy>,
}

/// Upstream `updateStrategies()`: `newOnDeleteStrategy()` and `newRollingUpdateStrategy()`
/// (maxUnavailable 1).
fn update_strategies() -> [DaemonSetUpdateStrategy; 2] {
    [
        DaemonSetUpdateStrategy {
            type_: Some("OnDelete".to_string()),
            rolling_update: None,
        },
        DaemonSetUpdateStrategy {
            type_: Some("RollingUpdate".to_string()),
            rolling_update: Some(RollingUpdateDaemonSet {
                max_unavailable: Some(IntOrString::Int(1)),
                max_surge: None,
            }),
        },
    ]
}

impl Harness {
    fn new() -> Self {
        Harness {
            c: Cluster::new(7),
            ctrl: DaemonSetController::default(),
            pod_seq: 0,
            strategy: None,
        }
    }

    fn with_strategy(strategy: &DaemonSetUpdateStrategy) -> Self {
        Harness {
            strategy: Some(strategy.clone()),
            ..Harness::new()
        }
    }

    fn add_node(&mut self, n: NodeB) {
        self.c.create(Object::Node(n.0)).unwrap();
    }

    fn add_nodes(&mut self, start: usize, count: usize, labels: &[(&str, &str)]) {
        for i in start..start + count {
            self.add_node(node(&format!("node-{i}")).labels(labels));
        }
    }

    fn remove_node(&mut self, name: &str) {
        let key = ObjectKey::new(Kind::Node, "", name);
        self.c.delete(&key, &DeleteOptions::default()).unwrap();
    }

    fn update_node(&mut self, name: &str, f: impl FnOnce(&mut Node)) {
        let mut n = self.c.store().node(name).unwrap().clone();
        f(&mut n);
        self.c.apply_action(Action::Update(Object::Node(n)));
    }

    fn add_ds(&mut self, mut d: DsB) -> DaemonSet {
        if let Some(spec) = d.0.spec.as_mut() {
            if spec.update_strategy.is_none() {
                spec.update_strategy = self.strategy.clone();
            }
        }
        match self.c.create(Object::DaemonSet(d.0)).unwrap() {
            Object::DaemonSet(d) => d,
            _ => unreachable!(),
        }
    }

    fn get_ds(&self, name: &str) -> DaemonSet {
        match self
            .c
            .get(&ObjectKey::new(Kind::DaemonSet, "default", name))
            .unwrap()
        {
            Object::DaemonSet(d) => d.clone(),
            _ => unreachable!(),
        }
    }

    fn update_ds(&mut self, name: &str, f: impl FnOnce(&mut DaemonSet)) {
        let mut d = self.get_ds(name);
        f(&mut d);
        d.metadata.resource_version = None;
        self.c.replace(Object::DaemonSet(d)).unwrap();
    }

    /// Upstream `addPods`: `n` pods bound to `node` with `labels`, controlled by `owner`.
    fn add_pods(
        &mut self,
        node: &str,
        labels: &[(&str, &str)],
        owner: Option<&DaemonSet>,
        n: usize,
    ) -> Vec<String> {
        (0..n)
            .map(|_| {
                self.pod_seq += 1;
                let name = format!("pod-{}-{node}", self.pod_seq);
                // Like upstream's newPod: pods of a DaemonSet carry its current hash.
                let mut labels = map(labels);
                if let Some(d) = owner {
                    let hash = update::compute_hash(&d.spec.as_ref().unwrap().template, None);
                    labels.insert(CONTROLLER_REVISION_HASH_LABEL.to_string(), hash);
                }
                let pod = Pod {
                    metadata: ObjectMeta {
                        name: Some(name.clone()),
                        namespace: Some("default".to_string()),
                        labels: Some(labels),
                        owner_references: owner.map(|d| vec![new_controller_ref(d)]),
                        ..Default::default()
                    },
                    spec: Some(PodSpec {
                        node_name: Some(node.to_string()),
                        containers: vec![Container {
                            name: "foo".to_string(),
                            image: Some("foo/bar".to_string()),
                            ..Default::default()
                        }],
                        ..Default::default()
                    }),
                    status: None,
                };
                self.c.create(Object::Pod(pod)).unwrap();
                name
            })
            .collect()
    }

    /// Adds a pod that belongs to no DaemonSet (upstream `podStore.Add(&v1.Pod{Spec: ...})`).
    fn add_raw_pod(&mut self, labels: &[(&str, &str)], spec: PodSpec) -> String {
        self.pod_seq += 1;
        let name = format!("pod-{}", self.pod_seq);
        let pod = Pod {
            metadata: ObjectMeta {
                name: Some(name.clone()),
                namespace: Some("default".to_string()),
                labels: (!labels.is_empty()).then(|| map(labels)),
                ..Default::default()
            },
            spec: Some(spec),
            status: None,
        };
        self.c.create(Object::Pod(pod)).unwrap();
        name
    }

    fn update_pod(&mut self, name: &str, f: impl FnOnce(&mut Pod)) {
        let mut p = self.c.store().pod("default", name).unwrap().clone();
        f(&mut p);
        self.c.apply_action(Action::Update(Object::Pod(p)));
    }

    fn pod_names(&self) -> Vec<String> {
        self.c
            .store()
            .pods()
            .map(|p| pod_name(p).to_string())
            .collect()
    }

    /// Upstream `markPodsReady`: every pod bound to its target node, Running and Ready now.
    fn mark_pods_ready(&mut self) {
        let now = self.c.now();
        for name in self.pod_names() {
            self.update_pod(&name, |p| set_ready(p, now));
        }
    }

    fn sync_at(&mut self, now: SimTime) -> Outcome {
        self.ctrl.sync(self.c.store(), now)
    }

    fn sync(&mut self) -> Outcome {
        let now = self.c.now();
        self.sync_at(now)
    }

    /// Applies the actions; pods being deleted finish terminating at once (the fake pod
    /// control of upstream's tests removes them from the store).
    fn apply(&mut self, out: &Outcome) {
        for a in &out.actions {
            self.c.apply_action(a.clone());
        }
        let deleted: Vec<(ObjectKey, String)> = self
            .c
            .store()
            .pods()
            .filter(|p| is_deleted(p))
            .map(|p| {
                (
                    ObjectKey::new(Kind::Pod, "default", pod_name(p)),
                    p.metadata.uid.clone().unwrap_or_default(),
                )
            })
            .collect();
        for (key, uid) in deleted {
            self.c.apply_action(Action::Remove { key, uid });
        }
    }

    fn sync_apply(&mut self) -> Outcome {
        let out = self.sync();
        self.apply(&out);
        out
    }

    /// Syncs and applies until a sync writes nothing; that last, empty sync is the
    /// "second reconcile of an unchanged cluster does nothing" check.
    fn settle(&mut self) {
        for _ in 0..20 {
            let out = self.sync();
            if out.is_noop() {
                return;
            }
            self.apply(&out);
        }
        panic!("controller did not settle");
    }

    fn status(&self, name: &str) -> DaemonSetStatus {
        self.get_ds(name).status.unwrap_or_default()
    }
}

fn set_ready(p: &mut Pod, now: SimTime) {
    let target = target_node_name(p);
    let spec = p.spec.get_or_insert_with(Default::default);
    if spec.node_name.is_none() {
        spec.node_name = target;
    }
    let status = p.status.get_or_insert_with(Default::default);
    status.phase = Some("Running".to_string());
    status.conditions = Some(vec![PodCondition {
        type_: "Ready".to_string(),
        status: "True".to_string(),
        last_transition_time: Some(now.to_k8s()),
        ..Default::default()
    }]);
}

fn created_nodes(out: &Outcome) -> Vec<String> {
    out.actions
        .iter()
        .filter_map(|a| match a {
            Action::Create {
                object: Object::Pod(p),
                ..
            } => target_node_name(p),
            _ => None,
        })
        .collect()
}

fn deleted_pods(out: &Outcome) -> Vec<String> {
    out.actions
        .iter()
        .filter_map(|a| match a {
            Action::Delete { key, .. } if key.kind == Kind::Pod => Some(key.name.clone()),
            _ => None,
        })
        .collect()
}

/// Events other than the per-pod SuccessfulDelete ones: (reason, message).
fn events(out: &Outcome) -> Vec<(String, String)> {
    out.actions
        .iter()
        .filter_map(|a| match a {
            Action::Event(e) if e.reason != "SuccessfulDelete" => {
                Some((e.reason.clone(), e.message.clone()))
            }
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// syncAndValidateDaemonSets tables
// ---------------------------------------------------------------------------------------------

struct Case {
    name: &'static str,
    setup: fn(&mut Harness),
    want_creates: usize,
    want_deletes: usize,
    want_events: usize,
}

/// Runs a case once per upstream update strategy, as upstream's `for _, strategy := range
/// updateStrategies()` loops do.
fn check(c: &Case) {
    for strategy in update_strategies() {
        check_with(c, &strategy);
    }
}

fn check_with(c: &Case, strategy: &DaemonSetUpdateStrategy) {
    let mut h = Harness::with_strategy(strategy);
    (c.setup)(&mut h);
    let out = h.sync();
    let kind = strategy.type_.as_deref().unwrap_or_default();
    assert_eq!(
        created_nodes(&out).len(),
        c.want_creates,
        "{} ({kind}): creates",
        c.name
    );
    assert_eq!(
        deleted_pods(&out).len(),
        c.want_deletes,
        "{} ({kind}): deletes",
        c.name
    );
    assert_eq!(
        events(&out).len(),
        c.want_events,
        "{} ({kind}): events {:?}",
        c.name,
        events(&out)
    );
    h.apply(&out);
    h.settle();
    // After settling, exactly one live daemon pod per node that should run one.
    let d = h.get_ds("foo");
    for n in h.c.store().nodes() {
        let p = node_should_run_daemon_pod(n, &d);
        let name = n.metadata.name.clone().unwrap_or_default();
        let live =
            h.c.store()
                .pods()
                .filter(|pod| {
                    controller_ref(&pod.metadata)
                        .is_some_and(|r| Some(&r.uid) == d.metadata.uid.as_ref())
                        && target_node_name(pod).as_deref() == Some(name.as_str())
                        && !is_deleted(pod)
                })
                .count();
        if p.should_run {
            assert_eq!(live, 1, "{} ({kind}): node {name}", c.name);
        }
        if !p.should_continue_running {
            assert_eq!(live, 0, "{} ({kind}): node {name}", c.name);
        }
    }
}

#[test]
fn test_sync_tables() {
    let cases = [
        Case {
            name: "TestSimpleDaemonSetLaunchesPods",
            setup: |h| {
                h.add_nodes(0, 5, &[]);
                h.add_ds(ds("foo"));
            },
            want_creates: 5,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestNoNodesDoesNothing",
            setup: |h| {
                h.add_ds(ds("foo"));
            },
            want_creates: 0,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestOneNodeDaemonLaunchesPod",
            setup: |h| {
                h.add_node(node("only-node"));
                h.add_ds(ds("foo"));
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestDealsWithExistingPods",
            setup: |h| {
                h.add_nodes(0, 5, &[]);
                let d = h.add_ds(ds("foo"));
                h.add_pods("node-1", SIMPLE_DS_LABEL, Some(&d), 1);
                h.add_pods("node-2", SIMPLE_DS_LABEL, Some(&d), 2);
                h.add_pods("node-3", SIMPLE_DS_LABEL, Some(&d), 5);
                h.add_pods("node-4", SIMPLE_DS_LABEL2, Some(&d), 2);
            },
            want_creates: 2,
            want_deletes: 5,
            want_events: 0,
        },
        Case {
            name: "TestSelectorDaemonLaunchesPods",
            setup: |h| {
                h.add_nodes(0, 4, &[]);
                h.add_nodes(4, 3, SIMPLE_NODE_LABEL);
                h.add_ds(ds("foo").node_selector(SIMPLE_NODE_LABEL));
            },
            want_creates: 3,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestSelectorDaemonDeletesUnselectedPods",
            setup: |h| {
                h.add_nodes(0, 5, &[]);
                h.add_nodes(5, 5, SIMPLE_NODE_LABEL);
                let d = h.add_ds(ds("foo").node_selector(SIMPLE_NODE_LABEL));
                h.add_pods("node-0", SIMPLE_DS_LABEL2, Some(&d), 2);
                h.add_pods("node-1", SIMPLE_DS_LABEL, Some(&d), 3);
                h.add_pods("node-1", SIMPLE_DS_LABEL2, Some(&d), 1);
                h.add_pods("node-4", SIMPLE_DS_LABEL, Some(&d), 1);
            },
            want_creates: 5,
            want_deletes: 4,
            want_events: 0,
        },
        Case {
            name: "TestSelectorDaemonDealsWithExistingPods",
            setup: |h| {
                h.add_nodes(0, 5, &[]);
                h.add_nodes(5, 5, SIMPLE_NODE_LABEL);
                let d = h.add_ds(ds("foo").node_selector(SIMPLE_NODE_LABEL));
                h.add_pods("node-0", SIMPLE_DS_LABEL, Some(&d), 1);
                h.add_pods("node-1", SIMPLE_DS_LABEL, Some(&d), 3);
                h.add_pods("node-1", SIMPLE_DS_LABEL2, Some(&d), 2);
                h.add_pods("node-2", SIMPLE_DS_LABEL, Some(&d), 4);
                h.add_pods("node-6", SIMPLE_DS_LABEL, Some(&d), 13);
                h.add_pods("node-7", SIMPLE_DS_LABEL2, Some(&d), 4);
                h.add_pods("node-9", SIMPLE_DS_LABEL, Some(&d), 1);
                h.add_pods("node-9", SIMPLE_DS_LABEL2, Some(&d), 1);
            },
            want_creates: 3,
            want_deletes: 20,
            want_events: 0,
        },
        Case {
            name: "TestBadSelectorDaemonDoesNothing",
            setup: |h| {
                h.add_nodes(0, 4, &[]);
                h.add_nodes(4, 3, SIMPLE_NODE_LABEL);
                h.add_ds(ds("foo").node_selector(&[("color", "red")]));
            },
            want_creates: 0,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestNameDaemonSetLaunchesPods",
            setup: |h| {
                h.add_nodes(0, 5, &[]);
                h.add_ds(ds("foo").node_name("node-0"));
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestBadNameDaemonSetDoesNothing",
            setup: |h| {
                h.add_nodes(0, 5, &[]);
                h.add_ds(ds("foo").node_name("node-10"));
            },
            want_creates: 0,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestNameAndSelectorDaemonSetLaunchesPods",
            setup: |h| {
                h.add_nodes(0, 4, &[]);
                h.add_nodes(4, 3, SIMPLE_NODE_LABEL);
                h.add_ds(
                    ds("foo")
                        .node_selector(SIMPLE_NODE_LABEL)
                        .node_name("node-6"),
                );
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestInconsistentNameSelectorDaemonSetDoesNothing",
            setup: |h| {
                h.add_nodes(0, 4, &[]);
                h.add_nodes(4, 3, SIMPLE_NODE_LABEL);
                h.add_ds(
                    ds("foo")
                        .node_selector(SIMPLE_NODE_LABEL)
                        .node_name("node-0"),
                );
            },
            want_creates: 0,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestDaemonSetRespectsTermination",
            setup: |h| {
                h.add_nodes(0, 1, SIMPLE_NODE_LABEL);
                let d = h.add_ds(ds("foo"));
                let names = h.add_pods("node-0", SIMPLE_DS_LABEL, Some(&d), 1);
                for name in names {
                    // Graceful deletion: the pod stays, with a deletionTimestamp.
                    let key = ObjectKey::new(Kind::Pod, "default", &name);
                    h.c.delete(&key, &DeleteOptions::default()).unwrap();
                    assert!(is_deleted(h.c.store().pod("default", &name).unwrap()));
                }
            },
            want_creates: 0,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestPortConflictWithSameDaemonPodDoesNotDeletePod",
            setup: |h| {
                h.add_node(node("port-conflict"));
                let mut d = ds("foo");
                d.0.spec.as_mut().unwrap().template.spec.as_mut().unwrap().containers[0].ports =
                    Some(vec![k8s_openapi::api::core::v1::ContainerPort {
                        container_port: 666,
                        host_port: Some(666),
                        ..Default::default()
                    }]);
                let d = h.add_ds(d);
                h.add_pods("port-conflict", SIMPLE_DS_LABEL, Some(&d), 1);
            },
            want_creates: 0,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestNoPortConflictNodeDaemonLaunchesPod",
            setup: |h| {
                h.add_node(node("no-port-conflict"));
                // A pod of no DaemonSet holds another hostPort: no conflict, and the controller
                // leaves ports to the scheduler anyway.
                h.add_pods("no-port-conflict", &[("other", "pod")], None, 1);
                let mut d = ds("foo");
                d.0.spec.as_mut().unwrap().template.spec.as_mut().unwrap().containers[0].ports =
                    Some(vec![k8s_openapi::api::core::v1::ContainerPort {
                        container_port: 6662,
                        host_port: Some(6662),
                        ..Default::default()
                    }]);
                h.add_ds(d);
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestNodeAffinityDaemonLaunchesPods",
            setup: |h| {
                h.add_nodes(0, 4, &[]);
                h.add_nodes(4, 3, SIMPLE_NODE_LABEL);
                h.add_ds(ds("foo").required_affinity("color", "In", &["blue"], false));
            },
            want_creates: 3,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestTaintedNodeDaemonDoesNotLaunchIntolerantPod",
            setup: |h| {
                h.add_node(node("tainted").taint("dedicated", "user1", "NoSchedule"));
                h.add_ds(ds("foo"));
            },
            want_creates: 0,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestTaintedNodeDaemonLaunchesToleratePod",
            setup: |h| {
                h.add_node(node("tainted").taint("dedicated", "user1", "NoSchedule"));
                // Upstream's toleration has no operator (Equal).
                h.add_ds(ds("foo").toleration(tol("dedicated", "", "user1", "NoSchedule")));
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestNotReadyNodeDaemonLaunchesPod",
            setup: |h| {
                h.add_node(node("not-ready").taint(crate::engine::api::taints::TAINT_NOT_READY, "", "NoExecute"));
                h.add_ds(ds("foo"));
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestUnreachableNodeDaemonLaunchesPod",
            setup: |h| {
                h.add_node(node("unreachable").taint(crate::engine::api::taints::TAINT_UNREACHABLE, "", "NoExecute"));
                h.add_ds(ds("foo"));
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestUnschedulableNodeDaemonDoesLaunchPod",
            setup: |h| {
                h.add_node(node("cordoned").unschedulable());
                h.add_ds(ds("foo"));
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestTaintPressureNodeDaemonLaunchesPod",
            setup: |h| {
                h.add_node(
                    node("pressure")
                        .taint(placement::TAINT_DISK_PRESSURE, "", "NoSchedule")
                        .taint(placement::TAINT_MEMORY_PRESSURE, "", "NoSchedule")
                        .taint(placement::TAINT_PID_PRESSURE, "", "NoSchedule"),
                );
                h.add_ds(ds("foo"));
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestNetworkUnavailableNodeDaemonLaunchesPod",
            setup: |h| {
                // Only the condition: the controller looks at taints, not conditions.
                h.add_node(node("network-unavailable").condition("NetworkUnavailable", "True"));
                h.add_ds(ds("foo"));
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "network-unavailable taint, hostNetwork pod (tolerated)",
            setup: |h| {
                h.add_node(node("net").taint(placement::TAINT_NETWORK_UNAVAILABLE, "", "NoSchedule"));
                h.add_ds(ds("foo").host_network());
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestNetworkUnavailableNodeDaemonDoesNotLaunchPodWithoutHostNetwork",
            setup: |h| {
                h.add_node(node("net").taint(placement::TAINT_NETWORK_UNAVAILABLE, "", "NoSchedule"));
                h.add_ds(ds("foo"));
            },
            want_creates: 0,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestNoScheduleTaintedDoesntEvicitRunningIntolerantPod",
            setup: |h| {
                h.add_node(node("tainted").taint("dedicated", "gpu", "NoSchedule"));
                let d = h.add_ds(ds("foo"));
                h.add_pods("tainted", SIMPLE_DS_LABEL, Some(&d), 1);
            },
            want_creates: 0,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestNoExecuteTaintedDoesEvicitRunningIntolerantPod",
            setup: |h| {
                h.add_node(node("tainted").taint("dedicated", "gpu", "NoExecute"));
                let d = h.add_ds(ds("foo"));
                h.add_pods("tainted", SIMPLE_DS_LABEL, Some(&d), 1);
            },
            want_creates: 0,
            want_deletes: 1,
            want_events: 0,
        },
        Case {
            name: "TestDaemonKillFailedPods/1 failed pod (kill 1), 3 normal pods (kill 2)",
            setup: |h| {
                h.add_nodes(0, 1, &[]);
                let d = h.add_ds(ds("foo"));
                let failed = h.add_pods("node-0", SIMPLE_DS_LABEL, Some(&d), 1);
                h.update_pod(&failed[0], |p| {
                    p.status.get_or_insert_with(Default::default).phase = Some("Failed".into())
                });
                h.add_pods("node-0", SIMPLE_DS_LABEL, Some(&d), 3);
            },
            want_creates: 0,
            want_deletes: 3,
            want_events: 1,
        },
        Case {
            name: "TestDaemonKillFailedPods/1 failed pod (kill 1), 0 normal pod (create 0; will create in the next sync)",
            setup: |h| {
                h.add_nodes(0, 1, &[]);
                let d = h.add_ds(ds("foo"));
                let failed = h.add_pods("node-0", SIMPLE_DS_LABEL, Some(&d), 1);
                h.update_pod(&failed[0], |p| {
                    p.status.get_or_insert_with(Default::default).phase = Some("Failed".into())
                });
            },
            want_creates: 0,
            want_deletes: 1,
            want_events: 1,
        },
        Case {
            name: "TestDaemonKillSucceededPods",
            setup: |h| {
                h.add_nodes(0, 1, &[]);
                let d = h.add_ds(ds("foo"));
                let done = h.add_pods("node-0", SIMPLE_DS_LABEL, Some(&d), 1);
                h.update_pod(&done[0], |p| {
                    p.status.get_or_insert_with(Default::default).phase = Some("Succeeded".into())
                });
            },
            want_creates: 0,
            want_deletes: 1,
            want_events: 1,
        },
        Case {
            name: "TestDeleteUnscheduledPodForNotExistingNode",
            setup: |h| {
                h.add_nodes(0, 1, &[]);
                let d = h.add_ds(ds("foo"));
                h.add_pods("node-0", SIMPLE_DS_LABEL, Some(&d), 1);
                // Bound to a node that does not exist: left alone (the pod GC's business).
                h.add_pods("node-1", SIMPLE_DS_LABEL, Some(&d), 1);
                // Pending, aimed (by affinity) at a node that does not exist: deleted.
                let names = h.add_pods("node-2", SIMPLE_DS_LABEL, Some(&d), 1);
                h.update_pod(&names[0], |p| {
                    let spec = p.spec.get_or_insert_with(Default::default);
                    spec.node_name = None;
                    spec.affinity = Some(replace_daemon_set_pod_node_name_node_affinity(
                        None, "node-2",
                    ));
                });
            },
            want_creates: 0,
            want_deletes: 1,
            want_events: 0,
        },
        Case {
            name: "TestSufficientCapacityWithTerminatedPodsDaemonLaunchesPod",
            setup: |h| {
                // Resources are the scheduler's business: a full node is still desired.
                h.add_node(node("full"));
                h.add_ds(ds("foo"));
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestNotReadyNodeDaemonDoesLaunchPod",
            setup: |h| {
                h.add_node(node("not-ready").condition("Ready", "False"));
                h.add_ds(ds("foo"));
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestNodeDaemonLaunchesToleratePod",
            setup: |h| {
                h.add_nodes(0, 1, &[]);
                h.add_ds(ds("foo").toleration(tol("dedicated", "", "user1", "NoSchedule")));
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestSelectorDaemonSetLaunchesPods",
            setup: |h| {
                h.add_nodes(0, 4, &[]);
                h.add_nodes(4, 3, SIMPLE_NODE_LABEL);
                h.add_ds(ds("foo").node_selector(SIMPLE_NODE_LABEL));
            },
            want_creates: 3,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestInsufficientCapacityNodeDaemonDoesNotUnscheduleRunningPod",
            setup: |h| {
                let spec = resource_pod_spec("too-much-mem", "75M", "75m");
                h.add_node(node("too-much-mem").allocatable("100M", "200m"));
                // A pod of no DaemonSet already uses the node's memory.
                h.add_raw_pod(&[], spec.clone());
                h.add_ds(ds("foo").spec(spec));
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestInsufficientCapacityNodeSufficientCapacityWithNodeLabelDaemonLaunchPod",
            setup: |h| {
                h.add_node(node("not-enough-resource").allocatable("10M", "20m"));
                h.add_node(
                    node("enough-resource")
                        .labels(SIMPLE_NODE_LABEL)
                        .allocatable("100M", "200m"),
                );
                h.add_ds(
                    ds("foo")
                        .spec(resource_pod_spec("", "50M", "75m"))
                        .node_selector(SIMPLE_NODE_LABEL),
                );
            },
            // No event for the node without resources either.
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestUpdateNode/Node Allocatable changed",
            setup: |h| {
                h.add_node(node("node1"));
                h.add_ds(ds("foo").spec(resource_pod_spec("", "200M", "200m")));
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestDeleteNoDaemonPod/Deleted non-daemon pods to release resources",
            setup: |h| {
                h.add_node(
                    node("node1")
                        .condition("Ready", "True")
                        .allocatable("200M", "200m"),
                );
                for _ in 0..4 {
                    h.add_raw_pod(&[], resource_pod_spec("node1", "50M", "50m"));
                }
                h.add_ds(ds("foo").spec(resource_pod_spec("", "50M", "50m")));
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestDaemonKillFailedPods/normal (do nothing)",
            setup: |h| {
                h.add_nodes(0, 1, &[]);
                let d = h.add_ds(ds("foo"));
                h.add_pods("node-0", SIMPLE_DS_LABEL, Some(&d), 1);
            },
            want_creates: 0,
            want_deletes: 0,
            want_events: 0,
        },
        Case {
            name: "TestDaemonKillFailedPods/no pods (create 1)",
            setup: |h| {
                h.add_nodes(0, 1, &[]);
                h.add_ds(ds("foo"));
            },
            want_creates: 1,
            want_deletes: 0,
            want_events: 0,
        },
    ];
    for c in &cases {
        check(c);
    }
}

/// The status a sync wrote, if it wrote one.
fn written_status(out: &Outcome) -> Option<DaemonSetStatus> {
    out.actions.iter().rev().find_map(|a| match a {
        Action::Update(Object::DaemonSet(d)) => Some(d.status.clone().unwrap_or_default()),
        _ => None,
    })
}

/// Upstream `TestSimpleDaemonSetUpdatesStatusAfterLaunchingPods`: the single sync that launches
/// the pods already counts them in the status it writes.
#[test]
fn test_simple_daemon_set_updates_status_after_launching_pods() {
    for strategy in update_strategies() {
        let mut h = Harness::with_strategy(&strategy);
        h.add_ds(ds("foo"));
        h.add_nodes(0, 5, &[]);
        let out = h.sync();
        assert_eq!(created_nodes(&out).len(), 5);
        let st = written_status(&out).expect("status written");
        assert_eq!(
            (
                st.desired_number_scheduled,
                st.current_number_scheduled,
                st.updated_number_scheduled,
                st.number_ready,
                st.number_unavailable,
            ),
            (5, 5, Some(5), 0, Some(5)),
            "{:?}",
            strategy.type_
        );
        // Once the pods exist, the next sync finds nothing to change.
        h.apply(&out);
        assert!(h.sync().is_noop(), "{:?}", strategy.type_);
    }
}

/// Upstream `TestSimpleDaemonSetScheduleDaemonSetPodsLaunchesPods`: created pods have no
/// nodeName, and a required node affinity of exactly one term with exactly one field
/// requirement `metadata.name In [<node>]`, one pod per node.
#[test]
fn test_simple_daemon_set_schedule_daemon_set_pods_launches_pods() {
    for strategy in update_strategies() {
        let mut h = Harness::with_strategy(&strategy);
        h.add_nodes(0, 5, &[]);
        h.add_ds(ds("foo"));
        let out = h.sync();
        let mut nodes = BTreeSet::new();
        for a in &out.actions {
            let Action::Create {
                object: Object::Pod(p),
                ..
            } = a
            else {
                continue;
            };
            let spec = p.spec.as_ref().unwrap();
            assert!(spec.node_name.is_none());
            let sel = spec
                .affinity
                .as_ref()
                .and_then(|a| a.node_affinity.as_ref())
                .and_then(|n| {
                    n.required_during_scheduling_ignored_during_execution
                        .as_ref()
                })
                .expect("required node affinity");
            let [term] = sel.node_selector_terms.as_slice() else {
                panic!("{sel:?}");
            };
            let [field] = term.match_fields.as_deref().unwrap_or_default() else {
                panic!("{term:?}");
            };
            assert_eq!(
                (field.key.as_str(), field.operator.as_str()),
                ("metadata.name", "In")
            );
            let [value] = field.values.as_deref().unwrap_or_default() else {
                panic!("{field:?}");
            };
            assert!(nodes.insert(value.clone()));
        }
        assert_eq!(
            nodes.into_iter().collect::<Vec<_>>(),
            ["node-0", "node-1", "node-2", "node-3", "node-4"]
        );
    }
}

#[test]
fn test_simple_daemon_set_pods_carry_what_upstream_puts_on_them() {
    let mut h = Harness::new();
    h.add_nodes(0, 2, &[]);
    let d = h.add_ds(ds("foo").toleration(tol(
        "node.kubernetes.io/not-ready",
        "Exists",
        "",
        "NoExecute",
    )));
    let out = h.sync_apply();
    let hash = update::compute_hash(&d.spec.as_ref().unwrap().template, None);
    let pods: Vec<Pod> = h.c.store().pods().cloned().collect();
    assert_eq!(pods.len(), 2);
    for p in &pods {
        assert!(pod_name(p).starts_with("foo-"));
        let labels = p.metadata.labels.clone().unwrap();
        assert_eq!(labels.get(CONTROLLER_REVISION_HASH_LABEL), Some(&hash));
        assert_eq!(
            labels.get(TEMPLATE_GENERATION_LABEL).map(String::as_str),
            Some("1")
        );
        let r = controller_ref(&p.metadata).unwrap();
        assert_eq!(
            (r.kind.as_str(), r.block_owner_deletion),
            ("DaemonSet", Some(true))
        );
        let tols = p.spec.as_ref().unwrap().tolerations.clone().unwrap();
        // Six daemon tolerations; the user's not-ready one is the same toleration (no dup).
        let not_ready: Vec<_> = tols
            .iter()
            .filter(|t| t.key.as_deref() == Some("node.kubernetes.io/not-ready"))
            .collect();
        assert_eq!(not_ready.len(), 1, "{tols:?}");
        assert!(tols
            .iter()
            .any(|t| t.key.as_deref() == Some("node.kubernetes.io/pid-pressure")));
        assert!(!tols
            .iter()
            .any(|t| t.key.as_deref() == Some(placement::TAINT_NETWORK_UNAVAILABLE)));
        assert!(p.spec.as_ref().unwrap().node_name.is_none());
    }
    let mut targets: Vec<String> = pods.iter().filter_map(target_node_name).collect();
    targets.sort();
    assert_eq!(targets, ["node-0", "node-1"]);
    // The ControllerRevision is created in the same sync.
    let revs: Vec<&Object> = h.c.store().list(Kind::ControllerRevision).collect();
    assert_eq!(revs.len(), 1);
    assert_eq!(revs[0].name(), format!("foo-{hash}"));
    assert!(out
        .actions
        .iter()
        .any(|a| matches!(a, Action::Update(Object::DaemonSet(_)))));
    h.settle();
    let st = h.status("foo");
    assert_eq!(
        (st.desired_number_scheduled, st.current_number_scheduled),
        (2, 2)
    );
    assert_eq!(st.observed_generation, Some(1));
}

// ---------------------------------------------------------------------------------------------
// TestNodeShouldRunDaemonPod
// ---------------------------------------------------------------------------------------------

#[test]
fn test_node_should_run_daemon_pod() {
    struct PCase {
        name: &'static str,
        node: NodeB,
        ds: DsB,
        should_run: bool,
        should_continue_running: bool,
        reason: &'static str,
    }
    fn reason_name(r: &PlacementReason) -> &'static str {
        match r {
            PlacementReason::Eligible => "Eligible",
            PlacementReason::NodeNameMismatch { .. } => "NodeNameMismatch",
            PlacementReason::NodeSelectorMismatch { .. } => "NodeSelectorMismatch",
            PlacementReason::NodeAffinityMismatch { .. } => "NodeAffinityMismatch",
            PlacementReason::UntoleratedTaint { .. } => "UntoleratedTaint",
        }
    }
    let n = || node("test-node").labels(&[("kubernetes.io/hostname", "test-node")]);
    let cases = vec![
        PCase {
            name: "ShouldRunDaemonPod",
            node: n(),
            ds: ds("foo"),
            should_run: true,
            should_continue_running: true,
            reason: "Eligible",
        },
        PCase {
            name: "InsufficientCapacity (not checked)",
            node: n(),
            ds: ds("foo"),
            should_run: true,
            should_continue_running: true,
            reason: "Eligible",
        },
        PCase {
            name: "NodeSelectorMatches",
            node: n().labels(SIMPLE_NODE_LABEL),
            ds: ds("foo").node_selector(SIMPLE_NODE_LABEL),
            should_run: true,
            should_continue_running: true,
            reason: "Eligible",
        },
        PCase {
            name: "NodeSelectorDoesNotMatch",
            node: n(),
            ds: ds("foo").node_selector(SIMPLE_NODE_LABEL),
            should_run: false,
            should_continue_running: false,
            reason: "NodeSelectorMismatch",
        },
        PCase {
            name: "NodeNameMatches",
            node: n(),
            ds: ds("foo").node_name("test-node"),
            should_run: true,
            should_continue_running: true,
            reason: "Eligible",
        },
        PCase {
            name: "NodeNameDoesNotMatch",
            node: n(),
            ds: ds("foo").node_name("other-node"),
            should_run: false,
            should_continue_running: false,
            reason: "NodeNameMismatch",
        },
        PCase {
            name: "NodeAffinityMatches",
            node: n().labels(&[("type", "production")]),
            ds: ds("foo").required_affinity("type", "In", &["production"], false),
            should_run: true,
            should_continue_running: true,
            reason: "Eligible",
        },
        PCase {
            name: "NodeAffinityDoesNotMatch",
            node: n().labels(&[("type", "test")]),
            ds: ds("foo").required_affinity("type", "In", &["production"], false),
            should_run: false,
            should_continue_running: false,
            reason: "NodeAffinityMismatch",
        },
        PCase {
            name: "NodeAffinityNotInMatchesMissingLabel",
            node: n(),
            ds: ds("foo").required_affinity("type", "NotIn", &["production"], false),
            should_run: true,
            should_continue_running: true,
            reason: "Eligible",
        },
        PCase {
            name: "NodeAffinityGt",
            node: n().labels(&[("cores", "8")]),
            ds: ds("foo").required_affinity("cores", "Gt", &["4"], false),
            should_run: true,
            should_continue_running: true,
            reason: "Eligible",
        },
        PCase {
            name: "NodeAffinityMatchFieldsMatches",
            node: n(),
            ds: ds("foo").required_affinity("metadata.name", "In", &["test-node"], true),
            should_run: true,
            should_continue_running: true,
            reason: "Eligible",
        },
        PCase {
            name: "NodeAffinityMatchFieldsDoesNotMatch",
            node: n(),
            ds: ds("foo").required_affinity("metadata.name", "In", &["other"], true),
            should_run: false,
            should_continue_running: false,
            reason: "NodeAffinityMismatch",
        },
        PCase {
            name: "ShouldNotRunOnNoScheduleTaint",
            node: n().taint("key", "value", "NoSchedule"),
            ds: ds("foo"),
            should_run: false,
            should_continue_running: true,
            reason: "UntoleratedTaint",
        },
        PCase {
            name: "ShouldNotRunOrContinueOnNoExecuteTaint",
            node: n().taint("key", "value", "NoExecute"),
            ds: ds("foo"),
            should_run: false,
            should_continue_running: false,
            reason: "UntoleratedTaint",
        },
        PCase {
            name: "NoExecuteWinsOverNoSchedule",
            node: n().taint("a", "", "NoSchedule").taint("b", "", "NoExecute"),
            ds: ds("foo"),
            should_run: false,
            should_continue_running: false,
            reason: "UntoleratedTaint",
        },
        PCase {
            name: "PreferNoScheduleIgnored",
            node: n().taint("key", "value", "PreferNoSchedule"),
            ds: ds("foo"),
            should_run: true,
            should_continue_running: true,
            reason: "Eligible",
        },
        PCase {
            name: "ToleratedTaint",
            node: n().taint("key", "value", "NoSchedule"),
            ds: ds("foo").toleration(tol("key", "Equal", "value", "NoSchedule")),
            should_run: true,
            should_continue_running: true,
            reason: "Eligible",
        },
        PCase {
            name: "NotReadyNoExecuteToleratedAutomatically",
            node: n().taint(crate::engine::api::taints::TAINT_NOT_READY, "", "NoExecute"),
            ds: ds("foo"),
            should_run: true,
            should_continue_running: true,
            reason: "Eligible",
        },
        PCase {
            name: "NotReadyNoScheduleNotTolerated",
            node: n().taint(
                crate::engine::api::taints::TAINT_NOT_READY,
                "",
                "NoSchedule",
            ),
            ds: ds("foo"),
            should_run: false,
            should_continue_running: true,
            reason: "UntoleratedTaint",
        },
        PCase {
            name: "UnschedulableToleratedAutomatically",
            node: n().unschedulable(),
            ds: ds("foo"),
            should_run: true,
            should_continue_running: true,
            reason: "Eligible",
        },
        PCase {
            name: "NetworkUnavailableHostNetwork",
            node: n().taint(placement::TAINT_NETWORK_UNAVAILABLE, "", "NoSchedule"),
            ds: ds("foo").host_network(),
            should_run: true,
            should_continue_running: true,
            reason: "Eligible",
        },
        PCase {
            name: "NetworkUnavailableNoHostNetwork",
            node: n().taint(placement::TAINT_NETWORK_UNAVAILABLE, "", "NoSchedule"),
            ds: ds("foo"),
            should_run: false,
            should_continue_running: true,
            reason: "UntoleratedTaint",
        },
        PCase {
            name: "NodeSelectorBeforeTaints",
            node: n().taint("key", "", "NoExecute"),
            ds: ds("foo").node_selector(SIMPLE_NODE_LABEL),
            should_run: false,
            should_continue_running: false,
            reason: "NodeSelectorMismatch",
        },
    ];
    for c in cases {
        let p = node_should_run_daemon_pod(&c.node.0, &c.ds.0);
        assert_eq!(
            (
                p.should_run,
                p.should_continue_running,
                reason_name(&p.reason)
            ),
            (c.should_run, c.should_continue_running, c.reason),
            "{}",
            c.name
        );
        assert!(!p.reason.message().is_empty());
    }
    // The deciding value is reported.
    let p = node_should_run_daemon_pod(
        &node("n").labels(&[("color", "red")]).0,
        &ds("foo").node_selector(&[("color", "blue")]).0,
    );
    assert_eq!(
        p.reason.message(),
        "nodeSelector color=blue does not match: node has color=red"
    );
}

// ---------------------------------------------------------------------------------------------
// Failed-pod back-off
// ---------------------------------------------------------------------------------------------

#[test]
fn test_daemon_kill_failed_pods_backoff() {
    let mut h = Harness::new();
    h.add_nodes(0, 1, &[]);
    let d = h.add_ds(ds("foo"));
    h.settle();
    let d = h.get_ds(&d.metadata.name.clone().unwrap());
    let failed = h.add_pods("node-0", SIMPLE_DS_LABEL, Some(&d), 1);
    // Remove the controller's own pod so the failed one is the node's only pod.
    for name in h.pod_names() {
        if name != failed[0] {
            let uid =
                h.c.store()
                    .pod("default", &name)
                    .unwrap()
                    .metadata
                    .uid
                    .clone()
                    .unwrap();
            h.c.apply_action(Action::Remove {
                key: ObjectKey::new(Kind::Pod, "default", &name),
                uid,
            });
        }
    }
    h.update_pod(&failed[0], |p| {
        p.status.get_or_insert_with(Default::default).phase = Some("Failed".into())
    });
    let key = failed_pods_backoff_key(&d, "node-0");
    let t0 = h.c.now();
    // First sync deletes the pod and starts the back-off at 1 s.
    let out = h.sync_at(t0);
    assert_eq!(deleted_pods(&out), failed);
    assert_eq!(
        events(&out),
        [(
            "FailedDaemonPod".to_string(),
            format!(
                "Found failed daemon pod default/{} on node node-0, will try to kill it",
                failed[0]
            )
        )]
    );
    assert_eq!(h.ctrl.failed_pods_backoff.get(&key), SECOND);
    // Immediate second sync (the pod is still there) is limited by the back-off.
    let out = h.sync_at(t0);
    assert!(deleted_pods(&out).is_empty());
    assert_eq!(out.requeue_at, Some(t0.plus(SECOND)));
    assert_eq!(h.ctrl.failed_pods_backoff.get(&key), SECOND);
    assert!(h
        .ctrl
        .failed_pods_backoff
        .is_in_backoff_since_update(&key, t0.plus(SECOND - 1)));
    assert!(!h
        .ctrl
        .failed_pods_backoff
        .is_in_backoff_since_update(&key, t0.plus(SECOND)));
    // After the back-off it deletes again and doubles the delay.
    let out = h.sync_at(t0.plus(SECOND));
    assert_eq!(deleted_pods(&out), failed);
    assert_eq!(h.ctrl.failed_pods_backoff.get(&key), 2 * SECOND);
    // Doubling is capped at 15 minutes.
    let mut t = t0.plus(SECOND);
    for _ in 0..20 {
        t = t.plus(h.ctrl.failed_pods_backoff.get(&key));
        h.sync_at(t);
    }
    assert_eq!(h.ctrl.failed_pods_backoff.get(&key), FAILED_POD_BACKOFF_MAX);
    // Applying the delete lets the next sync create the replacement.
    let out = h.sync_at(t.plus(FAILED_POD_BACKOFF_MAX));
    h.apply(&out);
    let out = h.sync();
    assert_eq!(created_nodes(&out), ["node-0"]);
    h.apply(&out);
    h.settle();
}

// ---------------------------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------------------------

#[test]
fn test_status_counts() {
    struct SCase {
        name: &'static str,
        setup: fn(&mut Harness),
        want: StatusCounts,
    }
    let cases = [
        SCase {
            name: "TestNumberReadyStatus/not ready",
            setup: |h| {
                h.add_nodes(0, 2, &[]);
                let d = h.add_ds(ds("foo"));
                h.add_pods("node-0", SIMPLE_DS_LABEL, Some(&d), 1);
                h.add_pods("node-1", SIMPLE_DS_LABEL, Some(&d), 1);
            },
            want: StatusCounts {
                desired_number_scheduled: 2,
                current_number_scheduled: 2,
                updated_number_scheduled: 2,
                number_unavailable: 2,
                ..Default::default()
            },
        },
        SCase {
            name: "TestNumberReadyStatus/ready",
            setup: |h| {
                h.add_nodes(0, 2, &[]);
                let d = h.add_ds(ds("foo"));
                h.add_pods("node-0", SIMPLE_DS_LABEL, Some(&d), 1);
                h.add_pods("node-1", SIMPLE_DS_LABEL, Some(&d), 1);
                h.mark_pods_ready();
            },
            want: StatusCounts {
                desired_number_scheduled: 2,
                current_number_scheduled: 2,
                number_ready: 2,
                updated_number_scheduled: 2,
                number_available: 2,
                ..Default::default()
            },
        },
        SCase {
            name: "TestNoScheduleTaintedDoesntEvicitRunningIntolerantPod/misscheduled",
            setup: |h| {
                h.add_node(node("tainted").taint("dedicated", "gpu", "NoSchedule"));
                h.add_node(node("plain"));
                let d = h.add_ds(ds("foo"));
                h.add_pods("tainted", SIMPLE_DS_LABEL, Some(&d), 1);
                h.add_pods("plain", SIMPLE_DS_LABEL, Some(&d), 1);
                h.mark_pods_ready();
            },
            want: StatusCounts {
                desired_number_scheduled: 1,
                current_number_scheduled: 1,
                number_misscheduled: 1,
                number_ready: 1,
                updated_number_scheduled: 1,
                number_available: 1,
                ..Default::default()
            },
        },
    ];
    for c in &cases {
        let mut h = Harness::new();
        (c.setup)(&mut h);
        h.settle();
        let d = h.get_ds("foo");
        let claimed: Vec<&Pod> = h.c.store().pods().collect();
        let hash = update::compute_hash(&d.spec.as_ref().unwrap().template, None);
        let view = DaemonSetView::new(h.c.store(), &d, &claimed, hash, h.c.now());
        assert_eq!(compute_status(&view), c.want, "{}", c.name);
        let st = h.status("foo");
        assert_eq!(
            (
                st.desired_number_scheduled,
                st.current_number_scheduled,
                st.number_misscheduled,
                st.number_ready,
                st.number_available.unwrap_or(0),
                st.number_unavailable.unwrap_or(0)
            ),
            (
                c.want.desired_number_scheduled,
                c.want.current_number_scheduled,
                c.want.number_misscheduled,
                c.want.number_ready,
                c.want.number_available,
                c.want.number_unavailable
            ),
            "{}: stored status",
            c.name
        );
    }
}

#[test]
fn test_min_ready_seconds_availability_requeues() {
    let mut h = Harness::new();
    h.add_nodes(0, 1, &[]);
    h.add_ds(ds("foo").min_ready_seconds(10));
    h.settle();
    h.mark_pods_ready();
    let t0 = h.c.now();
    let out = h.sync_apply();
    assert_eq!(out.requeue_at, Some(t0.plus(10 * SECOND + 1)));
    let st = h.status("foo");
    assert_eq!((st.number_ready, st.number_available), (1, None));
    h.settle();
    let out = h.sync_at(t0.plus(10 * SECOND + 1));
    h.apply(&out);
    let st = h.status("foo");
    assert_eq!(
        (st.number_available, st.number_unavailable),
        (Some(1), None)
    );
    assert!(h.sync_at(t0.plus(10 * SECOND + 1)).is_noop());
}

#[test]
fn test_observed_generation() {
    let mut h = Harness::new();
    h.add_nodes(0, 1, &[]);
    h.add_ds(ds("foo"));
    h.settle();
    assert_eq!(h.status("foo").observed_generation, Some(1));
    h.update_ds("foo", |d| {
        d.spec.as_mut().unwrap().min_ready_seconds = Some(5);
    });
    assert_eq!(h.get_ds("foo").metadata.generation, Some(2));
    h.settle();
    assert_eq!(h.status("foo").observed_generation, Some(2));
}

// ---------------------------------------------------------------------------------------------
// Rolling update (update_test.go)
// ---------------------------------------------------------------------------------------------

/// One step of an update table: sync, check creates/deletes, apply, maybe mark pods ready.
struct Step {
    creates: usize,
    deletes: usize,
    mark_ready: bool,
}

const fn step(creates: usize, deletes: usize, mark_ready: bool) -> Step {
    Step {
        creates,
        deletes,
        mark_ready,
    }
}

struct UCase {
    name: &'static str,
    nodes: usize,
    initial: fn() -> DsB,
    update: fn(&mut DaemonSet),
    steps: Vec<Step>,
}

fn new_image(d: &mut DaemonSet) {
    d.spec
        .as_mut()
        .unwrap()
        .template
        .spec
        .as_mut()
        .unwrap()
        .containers[0]
        .image = Some("foo2/bar2".into());
}

fn check_update(c: UCase) {
    let mut h = Harness::new();
    h.add_nodes(0, c.nodes, &[]);
    h.add_ds((c.initial)());
    let out = h.sync_apply();
    assert_eq!(
        created_nodes(&out).len(),
        c.nodes,
        "{}: initial creates",
        c.name
    );
    h.settle();
    h.mark_pods_ready();
    h.settle();
    h.update_ds("foo", c.update);
    for (i, s) in c.steps.iter().enumerate() {
        let out = h.sync();
        assert_eq!(
            (created_nodes(&out).len(), deleted_pods(&out).len()),
            (s.creates, s.deletes),
            "{}: step {i}",
            c.name
        );
        h.apply(&out);
        if s.mark_ready {
            h.mark_pods_ready();
        }
    }
    h.settle();
    let d = h.get_ds("foo");
    let hash = update::compute_hash(&d.spec.as_ref().unwrap().template, None);
    let pods: Vec<&Pod> = h.c.store().pods().collect();
    assert_eq!(pods.len(), c.nodes, "{}: one pod per node", c.name);
    assert!(
        pods.iter()
            .all(|p| pod_label(p, CONTROLLER_REVISION_HASH_LABEL) == Some(&hash)),
        "{}: every pod updated",
        c.name
    );
    assert_eq!(
        h.status("foo").updated_number_scheduled,
        Some(c.nodes as i32)
    );
}

#[test]
fn test_rolling_update_tables() {
    let cases = vec![
        UCase {
            name: "TestDaemonSetUpdatesNoTemplateChanged",
            nodes: 5,
            initial: || ds("foo"),
            update: |d| {
                // Only the strategy changes: no pod is replaced.
                d.spec.as_mut().unwrap().update_strategy = Some(DaemonSetUpdateStrategy {
                    type_: Some("RollingUpdate".into()),
                    rolling_update: Some(RollingUpdateDaemonSet {
                        max_unavailable: Some(IntOrString::Int(3)),
                        max_surge: Some(IntOrString::Int(0)),
                    }),
                });
            },
            steps: vec![step(0, 0, false)],
        },
        UCase {
            name: "TestDaemonSetUpdatesPods",
            nodes: 5,
            initial: || ds("foo"),
            update: |d| {
                new_image(d);
                d.spec.as_mut().unwrap().update_strategy = Some(DaemonSetUpdateStrategy {
                    type_: Some("RollingUpdate".into()),
                    rolling_update: Some(RollingUpdateDaemonSet {
                        max_unavailable: Some(IntOrString::Int(2)),
                        max_surge: Some(IntOrString::Int(0)),
                    }),
                });
            },
            steps: vec![
                step(0, 2, false),
                step(2, 0, true),
                step(0, 2, false),
                step(2, 0, true),
                step(0, 1, false),
                step(1, 0, true),
                step(0, 0, false),
            ],
        },
        UCase {
            name: "TestDaemonSetUpdatesPodsWithMaxSurge",
            nodes: 5,
            initial: || ds("foo"),
            update: |d| {
                new_image(d);
                d.spec.as_mut().unwrap().update_strategy = Some(DaemonSetUpdateStrategy {
                    type_: Some("RollingUpdate".into()),
                    rolling_update: Some(RollingUpdateDaemonSet {
                        max_unavailable: Some(IntOrString::Int(0)),
                        max_surge: Some(IntOrString::Int(2)),
                    }),
                });
            },
            steps: vec![
                step(2, 0, false),
                step(0, 0, true),
                step(2, 2, false),
                step(0, 0, true),
                step(1, 2, false),
                step(0, 0, true),
                step(0, 1, false),
                step(0, 0, false),
            ],
        },
        UCase {
            name: "TestDaemonSetUpdatesWhenNewPodIsNotReady",
            nodes: 5,
            initial: || ds("foo"),
            update: |d| {
                new_image(d);
                d.spec.as_mut().unwrap().update_strategy = Some(DaemonSetUpdateStrategy {
                    type_: Some("RollingUpdate".into()),
                    rolling_update: Some(RollingUpdateDaemonSet {
                        max_unavailable: Some(IntOrString::Int(3)),
                        max_surge: Some(IntOrString::Int(0)),
                    }),
                });
            },
            steps: vec![
                step(0, 3, false),
                step(3, 0, false),
                // New pods are not ready: numUnavailable == maxUnavailable, nothing moves.
                step(0, 0, true),
                step(0, 2, false),
                step(2, 0, true),
            ],
        },
        UCase {
            name: "TestDaemonSetUpdatesPodsWithPercentMaxUnavailable (30% of 5 rounds up to 2)",
            nodes: 5,
            initial: || ds("foo"),
            update: |d| {
                new_image(d);
                d.spec.as_mut().unwrap().update_strategy = Some(DaemonSetUpdateStrategy {
                    type_: Some("RollingUpdate".into()),
                    rolling_update: Some(RollingUpdateDaemonSet {
                        max_unavailable: Some(IntOrString::String("30%".into())),
                        max_surge: Some(IntOrString::Int(0)),
                    }),
                });
            },
            steps: vec![
                step(0, 2, false),
                step(2, 0, true),
                step(0, 2, false),
                step(2, 0, true),
                step(0, 1, false),
                step(1, 0, true),
            ],
        },
    ];
    for c in cases {
        check_update(c);
    }
}

#[test]
fn test_daemon_set_updates_all_old_pods_not_ready() {
    let mut h = Harness::new();
    h.add_nodes(0, 5, &[]);
    h.add_ds(ds("foo").strategy(IntOrString::Int(3), IntOrString::Int(0)));
    h.settle();
    h.update_ds("foo", new_image);
    // Old pods are not available: all are deleted at once regardless of maxUnavailable.
    let out = h.sync_apply();
    assert_eq!(deleted_pods(&out).len(), 5);
    let out = h.sync_apply();
    assert_eq!(created_nodes(&out).len(), 5);
    h.settle();
}

#[test]
fn test_on_delete_leaves_old_pods() {
    let mut h = Harness::new();
    h.add_nodes(0, 3, &[]);
    h.add_ds(ds("foo").on_delete());
    h.settle();
    h.mark_pods_ready();
    h.settle();
    h.update_ds("foo", new_image);
    h.settle();
    assert_eq!(h.status("foo").updated_number_scheduled, None);
    // Deleting one pod by hand gets a pod from the new template.
    let victim = h.pod_names()[0].clone();
    let uid =
        h.c.store()
            .pod("default", &victim)
            .unwrap()
            .metadata
            .uid
            .clone()
            .unwrap();
    h.c.apply_action(Action::Remove {
        key: ObjectKey::new(Kind::Pod, "default", &victim),
        uid,
    });
    let out = h.sync_apply();
    assert_eq!(created_nodes(&out).len(), 1);
    h.settle();
    assert_eq!(h.status("foo").updated_number_scheduled, Some(1));
}

// ---------------------------------------------------------------------------------------------
// History
// ---------------------------------------------------------------------------------------------

fn revisions(h: &Harness) -> Vec<(String, i64)> {
    h.c.store()
        .list(Kind::ControllerRevision)
        .filter_map(|o| match o {
            Object::ControllerRevision(c) => Some((c.metadata.name.clone().unwrap(), c.revision)),
            _ => None,
        })
        .collect()
}

#[test]
fn test_controller_revisions_rollback_reuses_and_bumps() {
    let mut h = Harness::new();
    h.add_nodes(0, 1, &[]);
    h.add_ds(ds("foo"));
    h.settle();
    let d1 = h.get_ds("foo");
    let hash1 = update::compute_hash(&d1.spec.as_ref().unwrap().template, None);
    assert_eq!(revisions(&h), [(format!("foo-{hash1}"), 1)]);
    let rev = match h.c.store().list(Kind::ControllerRevision).next().unwrap() {
        Object::ControllerRevision(c) => c.clone(),
        _ => unreachable!(),
    };
    assert_eq!(rev.data.as_ref().unwrap().0, update::get_patch(&d1));
    assert_eq!(
        rev.data.as_ref().unwrap().0["spec"]["template"]["$patch"],
        "replace"
    );
    assert_eq!(
        controller_ref(&rev.metadata).unwrap().uid,
        d1.metadata.uid.clone().unwrap()
    );
    h.update_ds("foo", new_image);
    h.settle();
    let d2 = h.get_ds("foo");
    assert_eq!(
        d2.metadata.annotations.as_ref().unwrap()[TEMPLATE_GENERATION_ANNOTATION],
        "2"
    );
    let hash2 = update::compute_hash(&d2.spec.as_ref().unwrap().template, None);
    let mut want = vec![(format!("foo-{hash1}"), 1), (format!("foo-{hash2}"), 2)];
    want.sort();
    assert_eq!(revisions(&h), want);
    // Back to the first template: its revision is reused and bumped to 3.
    h.update_ds("foo", |d| {
        d.spec
            .as_mut()
            .unwrap()
            .template
            .spec
            .as_mut()
            .unwrap()
            .containers[0]
            .image = Some("foo/bar".into());
    });
    h.settle();
    let mut want = vec![(format!("foo-{hash1}"), 3), (format!("foo-{hash2}"), 2)];
    want.sort();
    assert_eq!(revisions(&h), want);
}

#[test]
fn test_cleanup_history_keeps_live_revisions() {
    let mut h = Harness::new();
    h.add_nodes(0, 1, &[]);
    h.add_ds(ds("foo").history_limit(1).on_delete());
    h.settle();
    for img in ["a", "b", "c"] {
        h.update_ds("foo", |d| {
            d.spec
                .as_mut()
                .unwrap()
                .template
                .spec
                .as_mut()
                .unwrap()
                .containers[0]
                .image = Some(img.into());
        });
        h.settle();
    }
    // OnDelete: the first pod still carries revision 1's hash, so 1 survives although it is the
    // oldest; 2 and 3 go (limit 1 is used up by 1); 4 is current.
    let revs: Vec<i64> = {
        let mut r: Vec<i64> = revisions(&h).into_iter().map(|(_, n)| n).collect();
        r.sort();
        r
    };
    assert_eq!(revs, [1, 4]);
}

#[test]
fn test_hash_is_stable_and_encoded() {
    let t = ds("foo").0.spec.unwrap().template;
    let a = update::compute_hash(&t, None);
    assert_eq!(a, update::compute_hash(&t, None));
    assert_ne!(a, update::compute_hash(&t, Some(1)));
    assert!(a
        .bytes()
        .all(|b| crate::engine::rng::NAME_ALPHABET.contains(&b)));
    // '0' is byte 48, 48 % 27 = 21 -> '4', and so on.
    assert_eq!(update::safe_encode_string("0123"), "4567");
    // A decimal uint32 has at most 10 digits: names are `<ds>-<at most 10 characters>`.
    assert!(a.len() <= 10);
}

/// `controller.ComputeHash` (pkg/controller/controller_utils.go): FNV-32a, then the collision
/// count as a uint32 little-endian in an 8-byte buffer.
#[test]
fn test_compute_hash_collision_count_bytes() {
    assert_eq!(update::fnv32a(b""), 0x811c_9dc5);
    assert_eq!(update::fnv32a(b"a"), 0xe40c_292c);
    assert_eq!(update::fnv32a(b"foobar"), 0xbf9c_f968);
    let t = ds("foo").0.spec.unwrap().template;
    let mut bytes = serde_json::to_value(&t).unwrap().to_string().into_bytes();
    bytes.extend_from_slice(&[3, 0, 0, 0, 0, 0, 0, 0]);
    let want = update::safe_encode_string(&update::fnv32a(&bytes).to_string());
    assert_eq!(update::compute_hash(&t, Some(3)), want);
}

// ---------------------------------------------------------------------------------------------
// Orphaning and adoption (§1.11)
// ---------------------------------------------------------------------------------------------

#[test]
fn test_adopts_matching_orphans_and_releases_relabelled_pods() {
    let mut h = Harness::new();
    h.add_nodes(0, 2, &[]);
    h.add_pods("node-0", SIMPLE_DS_LABEL, None, 1);
    let d = h.add_ds(ds("foo"));
    let out = h.sync();
    // The orphan on node-0 is adopted, node-1 gets a new pod.
    let adopted: Vec<&Pod> = out
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Update(Object::Pod(p)) => Some(p),
            _ => None,
        })
        .collect();
    assert_eq!(adopted.len(), 1);
    assert_eq!(
        controller_ref(&adopted[0].metadata).unwrap().uid,
        d.metadata.uid.clone().unwrap()
    );
    assert_eq!(created_nodes(&out), ["node-1"]);
    h.apply(&out);
    h.settle();
    // Relabelling an owned pod releases it; the node gets a new pod. (The adopted pod had no
    // hash and was not ready, so the rolling update has replaced it by now.)
    let p0 =
        h.c.store()
            .pods()
            .find(|p| target_node_name(p).as_deref() == Some("node-0"))
            .map(|p| pod_name(p).to_string())
            .unwrap();
    h.update_pod(&p0, |p| {
        p.metadata
            .labels
            .as_mut()
            .unwrap()
            .insert("type".into(), "debug".into());
    });
    let out = h.sync_apply();
    assert_eq!(created_nodes(&out), ["node-0"]);
    let released = h.c.store().pod("default", &p0).unwrap();
    assert!(controller_ref(&released.metadata).is_none());
    h.settle();
}

#[test]
fn test_orphaned_pods_are_adopted_by_a_new_daemon_set() {
    struct OCase {
        name: &'static str,
        strategy_on_delete: bool,
        /// The old DaemonSet's template was updated once, so its pods carry generation 2.
        old_generation: i64,
        want_replaced: bool,
    }
    let cases = [
        OCase {
            name: "RollingUpdate replaces pods of another template",
            strategy_on_delete: false,
            old_generation: 2,
            want_replaced: true,
        },
        OCase {
            name: "OnDelete leaves them",
            strategy_on_delete: true,
            old_generation: 2,
            want_replaced: false,
        },
        // util.IsPodUpdated also accepts a matching pod-template-generation label: pods of a
        // never-updated DaemonSet look updated to a new DaemonSet (generation 1 both).
        OCase {
            name: "same template generation counts as updated (upstream quirk)",
            strategy_on_delete: false,
            old_generation: 1,
            want_replaced: false,
        },
    ];
    for c in cases {
        let mut h = Harness::new();
        h.add_nodes(0, 2, &[]);
        for n in ["node-0", "node-1"] {
            let names = h.add_pods(n, SIMPLE_DS_LABEL, None, 1);
            h.update_pod(&names[0], |p| {
                let l = p.metadata.labels.as_mut().unwrap();
                l.insert(CONTROLLER_REVISION_HASH_LABEL.into(), "oldhash".into());
                l.insert(
                    TEMPLATE_GENERATION_LABEL.into(),
                    c.old_generation.to_string(),
                );
            });
        }
        h.mark_pods_ready();
        let before: Vec<String> = h.pod_names();
        let b = ds("foo");
        h.add_ds(if c.strategy_on_delete {
            b.on_delete()
        } else {
            b
        });
        h.settle();
        h.mark_pods_ready();
        h.settle();
        let after = h.pod_names();
        assert_eq!(after.len(), 2, "{}", c.name);
        let replaced = after.iter().all(|n| !before.contains(n));
        assert_eq!(
            replaced, c.want_replaced,
            "{}: {before:?} -> {after:?}",
            c.name
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Burst, slow start, SelectingAll
// ---------------------------------------------------------------------------------------------

#[test]
fn test_burst_replicas_and_slow_start() {
    assert_eq!(slow_start_batches(0), Vec::<usize>::new());
    assert_eq!(slow_start_batches(1), [1]);
    assert_eq!(slow_start_batches(10), [1, 2, 4, 3]);
    let mut h = Harness::new();
    h.add_nodes(0, 260, &[]);
    h.add_ds(ds("foo"));
    let out = h.sync_apply();
    assert_eq!(created_nodes(&out).len(), BURST_REPLICAS);
    let out = h.sync_apply();
    assert_eq!(created_nodes(&out).len(), 10);
    h.settle();
}

#[test]
fn test_selecting_all_event_once() {
    let mut d = ds("foo").0;
    d.metadata.uid = Some("u1".into());
    d.metadata.generation = Some(1);
    d.spec.as_mut().unwrap().selector = LabelSelector::default();
    // Stored directly: the API server rejects an empty selector.
    let mut ctrl = DaemonSetController::default();
    let mut s = Store::new();
    s.put(Object::DaemonSet(d));
    let out = ctrl.sync(&s, SimTime::ZERO);
    assert_eq!(
        events(&out),
        [(
            "SelectingAll".into(),
            "This daemon set is selecting all pods. A non-empty selector is required.".into()
        )]
    );
    assert!(ctrl.sync(&s, SimTime::ZERO).is_noop());
}

/// Upstream `TestPodIsNotDeletedByDaemonsetWithEmptyLabelSelector`: an empty selector selects
/// every pod, so the controller must not manage (delete) any: only the SelectingAll warning.
#[test]
fn test_pod_is_not_deleted_by_daemonset_with_empty_label_selector() {
    let mut d = ds("foo").0;
    d.metadata.uid = Some("u1".into());
    d.metadata.namespace = Some("default".into());
    d.spec.as_mut().unwrap().selector = LabelSelector::default();
    let mut s = Store::new();
    s.put(Object::Node(node("node1").0));
    s.put(Object::Pod(Pod {
        metadata: ObjectMeta {
            name: Some("bar".into()),
            namespace: Some("default".into()),
            labels: Some(map(&[("bang", "boom")])),
            ..Default::default()
        },
        spec: Some(PodSpec {
            node_name: Some("node1".into()),
            ..Default::default()
        }),
        status: None,
    }));
    s.put(Object::DaemonSet(d));
    let mut ctrl = DaemonSetController::default();
    let out = ctrl.sync(&s, SimTime::ZERO);
    assert!(created_nodes(&out).is_empty());
    assert!(deleted_pods(&out).is_empty());
    assert_eq!(events(&out).len(), 1);
    // A fresh controller (no remembered state) also writes no pod.
    let again = DaemonSetController::default().sync(&s, SimTime::ZERO);
    assert!(created_nodes(&again).is_empty() && deleted_pods(&again).is_empty());
}

/// Upstream `TestDontDoAnythingIfBeingDeleted`: a DaemonSet with a deletionTimestamp creates
/// nothing, and a second sync does nothing either.
#[test]
fn test_dont_do_anything_if_being_deleted() {
    let mut d = ds("foo").0;
    d.metadata.uid = Some("u1".into());
    d.metadata.namespace = Some("default".into());
    d.metadata.deletion_timestamp = Some(SimTime::ZERO.to_k8s());
    // Stored directly: the cluster would finish a delete without finalizers at once.
    let mut s = Store::new();
    for i in 0..3 {
        s.put(Object::Node(node(&format!("node-{i}")).0));
    }
    s.put(Object::DaemonSet(d));
    let out = DaemonSetController::default().sync(&s, SimTime::ZERO);
    assert!(out.is_noop(), "{:?}", out.actions);
}

/// Upstream `TestDontDoAnythingIfBeingDeletedRace`: a DaemonSet being deleted, with a matching
/// orphan pod on one of five nodes, neither adopts the orphan nor creates nor deletes anything.
/// (Upstream's race is between a lister that has not seen the deletion and the API server that
/// has; kubeplay's controllers read the one store, so the case runs with the deleted object.)
#[test]
fn test_dont_do_anything_if_being_deleted_race() {
    for strategy in update_strategies() {
        let kind = strategy.type_.clone().unwrap_or_default();
        let mut d = ds("foo").0;
        d.metadata.uid = Some("u1".into());
        d.metadata.namespace = Some("default".into());
        d.metadata.deletion_timestamp = Some(SimTime::ZERO.to_k8s());
        if let Some(spec) = d.spec.as_mut() {
            spec.update_strategy = Some(strategy);
        }
        let mut s = Store::new();
        for i in 0..5 {
            s.put(Object::Node(node(&format!("node-{i}")).0));
        }
        s.put(Object::Pod(Pod {
            metadata: ObjectMeta {
                name: Some("pod1-abcde".into()),
                namespace: Some("default".into()),
                uid: Some("orphan".into()),
                labels: Some(map(SIMPLE_DS_LABEL)),
                ..Default::default()
            },
            spec: Some(PodSpec {
                node_name: Some("node-0".into()),
                ..Default::default()
            }),
            status: None,
        }));
        s.put(Object::DaemonSet(d));
        let mut ctrl = DaemonSetController::default();
        let out = ctrl.sync(&s, SimTime::ZERO);
        assert!(
            out.is_noop(),
            "TestDontDoAnythingIfBeingDeletedRace ({kind}): {:?}",
            out.actions
        );
        assert!(
            ctrl.sync(&s, SimTime::ZERO).is_noop(),
            "TestDontDoAnythingIfBeingDeletedRace ({kind}): second sync"
        );
    }
}

/// Upstream `TestUpdateNode`: after a first sync (its `expectedCreates`), the node changes from
/// `old` to `new`; upstream checks whether that update enqueues the DaemonSet
/// (`shouldEnqueue`). A level-triggered controller has no queue: the translation is that the
/// next sync has work (creates a pod) exactly when upstream enqueues, and otherwise writes
/// nothing. ("Node Allocatable changed" is also a row of the sync table above.)
#[test]
fn test_update_node() {
    struct UpdateNodeCase {
        test: &'static str,
        old: fn() -> NodeB,
        new: fn(&mut Node),
        ds: fn() -> DsB,
        expected_creates: usize,
        should_enqueue: bool,
    }
    let cases = [
        UpdateNodeCase {
            test: "Nothing changed, should not enqueue",
            old: || node("node1"),
            new: |_| {},
            ds: || ds("ds").node_selector(SIMPLE_NODE_LABEL),
            expected_creates: 0,
            should_enqueue: false,
        },
        UpdateNodeCase {
            test: "Node labels changed",
            old: || node("node1"),
            new: |n| {
                n.metadata
                    .labels
                    .get_or_insert_with(Default::default)
                    .extend(map(SIMPLE_NODE_LABEL));
            },
            ds: || ds("ds").node_selector(SIMPLE_NODE_LABEL),
            expected_creates: 0,
            should_enqueue: true,
        },
        UpdateNodeCase {
            test: "Node taints changed",
            old: || node("node1").taint("dedicated", "user1", "NoSchedule"),
            new: |n| {
                if let Some(spec) = n.spec.as_mut() {
                    spec.taints = None;
                }
            },
            ds: || ds("ds"),
            expected_creates: 0,
            should_enqueue: true,
        },
        UpdateNodeCase {
            test: "Node Allocatable changed",
            old: || node("node1"),
            new: |n| {
                n.status.get_or_insert_with(NodeStatus::default).allocatable =
                    Some(resource_list("200M", "200m"));
            },
            ds: || ds("ds").spec(resource_pod_spec("", "200M", "200m")),
            expected_creates: 1,
            should_enqueue: false,
        },
    ];
    for c in cases {
        for strategy in update_strategies() {
            let kind = strategy.type_.clone().unwrap_or_default();
            let name = format!("TestUpdateNode/{} ({kind})", c.test);
            let mut h = Harness::with_strategy(&strategy);
            h.add_node((c.old)());
            h.add_ds((c.ds)());
            let out = h.sync();
            assert_eq!(created_nodes(&out).len(), c.expected_creates, "{name}");
            assert!(deleted_pods(&out).is_empty(), "{name}");
            assert!(events(&out).is_empty(), "{name}: {:?}", events(&out));
            h.apply(&out);
            assert!(h.sync().is_noop(), "{name}: second sync before the update");
            h.update_node("node1", c.new);
            let after = h.sync();
            assert_eq!(
                !created_nodes(&after).is_empty(),
                c.should_enqueue,
                "{name}: work after the node update {:?}",
                after.actions
            );
            h.apply(&after);
            assert!(h.sync().is_noop(), "{name}: sync after the update settled");
        }
    }
}

/// Upstream `TestDeleteNoDaemonPod`, every row: a node with four non-daemon pods (50M each of
/// its 200M), a DaemonSet asking 50M. The first sync creates the daemon pod (the controller
/// leaves resources to the scheduler); then a non-daemon pod is deleted, which upstream does
/// not enqueue the DaemonSet for (`shouldEnqueue: false`): the next sync writes nothing.
#[test]
fn test_delete_no_daemon_pod() {
    // (row, whether the existing pods have a controller, whether the deleted pod is one of the
    // scheduled ones or an unscheduled extra)
    let rows = [
        ("Deleted non-daemon pods to release resources", false, true),
        (
            "Deleted non-daemon pods (with controller) to release resources",
            true,
            true,
        ),
        ("Deleted no scheduled pods", true, false),
    ];
    for (row, with_controller, scheduled) in rows {
        for strategy in update_strategies() {
            let kind = strategy.type_.clone().unwrap_or_default();
            let name = format!("TestDeleteNoDaemonPod/{row} ({kind})");
            let mut h = Harness::with_strategy(&strategy);
            h.add_node(
                node("node1")
                    .condition("Ready", "True")
                    .allocatable("200M", "200m"),
            );
            let mut existing = Vec::new();
            for _ in 0..4 {
                existing.push(h.add_raw_pod(&[], resource_pod_spec("node1", "50M", "50m")));
            }
            // The deleted unscheduled pod ("pod_5") exists until it is deleted.
            let unscheduled = h.add_raw_pod(&[], resource_pod_spec("", "50M", "50m"));
            if with_controller {
                // Upstream's owner reference only says `controller: true`; a ReplicaSet
                // stands for that other controller here.
                for p in &existing {
                    h.update_pod(p, |pod| {
                        pod.metadata.owner_references = Some(vec![OwnerReference {
                            api_version: "apps/v1".into(),
                            kind: "ReplicaSet".into(),
                            name: "rs".into(),
                            uid: "rs-uid".into(),
                            controller: Some(true),
                            ..Default::default()
                        }]);
                    });
                }
            }
            h.add_ds(ds("ds").spec(resource_pod_spec("", "50M", "50m")));
            let out = h.sync();
            assert_eq!(created_nodes(&out), vec!["node1".to_string()], "{name}");
            assert!(deleted_pods(&out).is_empty(), "{name}");
            assert!(events(&out).is_empty(), "{name}: {:?}", events(&out));
            h.apply(&out);
            let deleted = if scheduled {
                existing.first().cloned().unwrap_or_default()
            } else {
                unscheduled
            };
            let key = ObjectKey::new(Kind::Pod, "default", &deleted);
            h.c.delete(&key, &DeleteOptions::default()).unwrap();
            let after = h.sync();
            assert!(after.is_noop(), "{name}: {:?}", after.actions);
        }
    }
}

/// Upstream `TestExpectationsOnRecreate`: a DaemonSet on a one-node cluster creates its pod;
/// deleted and created again under the same name (a new UID), it creates a pod again: nothing
/// the controller keeps for the old object (upstream: its expectations) holds the new one
/// back. The garbage collector is not part of the run, as upstream's test has none: the old
/// pod still points at the old UID and is not adopted.
#[test]
fn test_expectations_on_recreate() {
    let mut h = Harness::new();
    h.add_node(node("master-0"));
    let old = h.add_ds(ds("test"));
    let out = h.sync();
    assert_eq!(created_nodes(&out), vec!["master-0".to_string()]);
    assert!(deleted_pods(&out).is_empty());
    h.apply(&out);
    assert!(
        h.sync().is_noop(),
        "TestExpectationsOnRecreate: second sync"
    );
    let key = ObjectKey::new(Kind::DaemonSet, "default", "test");
    h.c.delete(&key, &DeleteOptions::default()).unwrap();
    assert!(
        h.sync().is_noop(),
        "TestExpectationsOnRecreate: sync after delete"
    );
    let new = h.add_ds(ds("test"));
    assert_ne!(new.metadata.uid, old.metadata.uid, "sanity: a new UID");
    let out = h.sync();
    assert_eq!(
        created_nodes(&out),
        vec!["master-0".to_string()],
        "TestExpectationsOnRecreate: recreated DS"
    );
    assert!(deleted_pods(&out).is_empty());
    h.apply(&out);
    assert!(h.sync().is_noop(), "TestExpectationsOnRecreate: settled");
}

/// Upstream `TestControlledHistories` (`update_test.go`): the ControllerRevisions a DaemonSet
/// controls are its own and the orphans in its namespace whose labels it selects (adopted);
/// an orphan in another namespace is neither adopted nor counted. Run through
/// `construct_history`, whose claim step is upstream's `controlledHistories`.
#[test]
fn test_controlled_histories() {
    use k8s_openapi::api::apps::v1::ControllerRevision;
    let mut d = ds("ds1").0;
    d.metadata.uid = Some("ds1-uid".into());
    // upstream `newControllerRevision`: name, namespace, the template's labels, owners; no data.
    let cr = |name: &str, ns: &str, owner: Option<&DaemonSet>| ControllerRevision {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace: Some(ns.into()),
            labels: Some(map(SIMPLE_DS_LABEL)),
            owner_references: owner.map(|o| vec![new_controller_ref(o)]),
            ..Default::default()
        },
        data: None,
        revision: 0,
    };
    let cases = [
        (
            "controller revision in the same namespace",
            vec![cr("ds1-x1", "default", Some(&d)), cr("ds1-x2", "default", None)],
            vec!["ds1-x1", "ds1-x2"],
            vec!["ds1-x2"],
        ),
        (
            "Skip adopting the controller revision in namespace other than the one in which DS lives",
            vec![cr("ds1-x3", "default-other", None)],
            vec![],
            vec![],
        ),
    ];
    for (name, revisions, want_controlled, want_adopted) in cases {
        let mut s = Store::new();
        s.put(Object::DaemonSet(d.clone()));
        for r in revisions {
            s.put(Object::ControllerRevision(r));
        }
        let mut out = Outcome::none();
        let Ok(history) = update::construct_history(&s, &d, &[], &mut out) else {
            panic!("TestControlledHistories/{name}: hash collision");
        };
        let mut controlled: Vec<&str> = history.old.iter().map(|(n, _, _)| n.as_str()).collect();
        controlled.sort_unstable();
        assert_eq!(
            controlled, want_controlled,
            "TestControlledHistories/{name}"
        );
        // Adopted: stored without a controller, updated to have this DaemonSet as controller.
        let mut adopted: Vec<&str> = out
            .actions
            .iter()
            .filter_map(|a| match a {
                Action::Update(Object::ControllerRevision(c)) => Some(c),
                _ => None,
            })
            .filter(|c| {
                let ns = c.metadata.namespace.as_deref().unwrap_or_default();
                let name = c.metadata.name.as_deref().unwrap_or_default();
                let was_orphan = match s.get_named(Kind::ControllerRevision, ns, name) {
                    Some(Object::ControllerRevision(stored)) => {
                        controller_ref(&stored.metadata).is_none()
                    }
                    _ => false,
                };
                was_orphan
                    && controller_ref(&c.metadata)
                        .is_some_and(|r| Some(&r.uid) == d.metadata.uid.as_ref())
            })
            .filter_map(|c| c.metadata.name.as_deref())
            .collect();
        adopted.sort_unstable();
        adopted.dedup();
        assert_eq!(
            adopted, want_adopted,
            "TestControlledHistories/{name}: adopted"
        );
        // Nothing is written to the other namespace.
        assert!(
            out.actions.iter().all(|a| match a {
                Action::Update(o) => o.namespace() != "default-other",
                _ => true,
            }),
            "TestControlledHistories/{name}: {:?}",
            out.actions
        );
    }
}

/// Upstream `TestAddNode`: a DaemonSet selecting `simpleNodeLabel` nodes is not enqueued when a
/// node without the labels is added, and is when a labelled one is: the next sync does nothing
/// in the first case and creates the node's pod in the second.
#[test]
fn test_add_node() {
    let mut h = Harness::new();
    h.add_ds(ds("ds").node_selector(SIMPLE_NODE_LABEL));
    h.settle();
    h.add_node(node("node1"));
    let out = h.sync();
    assert!(out.is_noop(), "TestAddNode/node1: {:?}", out.actions);
    h.add_node(node("node2").labels(SIMPLE_NODE_LABEL));
    let out = h.sync();
    assert_eq!(
        created_nodes(&out),
        vec!["node2".to_string()],
        "TestAddNode/node2"
    );
    h.apply(&out);
    assert!(h.sync().is_noop(), "TestAddNode: second sync");
}

// ---------------------------------------------------------------------------------------------
// Property: after settling, one daemon pod per eligible node and status matches.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Op {
    Add(u8, bool, Option<&'static str>),
    Remove(u8),
    Relabel(u8, bool),
    Taint(u8, Option<&'static str>),
}

fn op() -> impl Strategy<Value = Op> {
    let effect = prop_oneof![
        Just(None),
        Just(Some("NoSchedule")),
        Just(Some("NoExecute")),
        Just(Some("PreferNoSchedule"))
    ];
    prop_oneof![
        (0u8..6, any::<bool>(), effect.clone()).prop_map(|(i, l, e)| Op::Add(i, l, e)),
        (0u8..6).prop_map(Op::Remove),
        (0u8..6, any::<bool>()).prop_map(|(i, l)| Op::Relabel(i, l)),
        (0u8..6, effect).prop_map(|(i, e)| Op::Taint(i, e)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn prop_one_daemon_pod_per_eligible_node(ops in proptest::collection::vec(op(), 1..12)) {
        let mut h = Harness::new();
        h.add_ds(ds("foo").node_selector(&[("role", "worker")]));
        for o in ops {
            let name = |i: u8| format!("n{i}");
            let exists = |h: &Harness, i: u8| h.c.store().node(&name(i)).is_some();
            match o {
                Op::Add(i, l, e) if !exists(&h, i) => {
                    let mut b = node(&name(i));
                    if l { b = b.labels(&[("role", "worker")]); }
                    if let Some(e) = e { b = b.taint("k", "", e); }
                    h.add_node(b);
                }
                Op::Remove(i) if exists(&h, i) => h.remove_node(&name(i)),
                Op::Relabel(i, l) if exists(&h, i) => h.update_node(&name(i), |n| {
                    let labels = n.metadata.labels.get_or_insert_with(Default::default);
                    if l { labels.insert("role".into(), "worker".into()); } else { labels.remove("role"); }
                }),
                Op::Taint(i, e) if exists(&h, i) => h.update_node(&name(i), |n| {
                    let spec = n.spec.get_or_insert_with(Default::default);
                    spec.taints = e.map(|e| vec![Taint { key: "k".into(), value: None, effect: e.into(), time_added: None }]);
                }),
                _ => {}
            }
            h.settle();
            let d = h.get_ds("foo");
            let mut want = StatusCounts::default();
            for n in h.c.store().nodes() {
                let p = node_should_run_daemon_pod(n, &d);
                let nn = n.metadata.name.clone().unwrap();
                let live = h.c.store().pods().filter(|pod| target_node_name(pod).as_deref() == Some(nn.as_str()) && !is_deleted(pod)).count();
                if p.should_run {
                    prop_assert_eq!(live, 1);
                    want.desired_number_scheduled += 1;
                    want.current_number_scheduled += 1;
                } else {
                    prop_assert!(live <= 1);
                    if !p.should_continue_running { prop_assert_eq!(live, 0); }
                    if live == 1 { want.number_misscheduled += 1; }
                }
            }
            // No pod aims at a node that does not exist.
            for pod in h.c.store().pods() {
                let t = target_node_name(pod).unwrap();
                prop_assert!(h.c.store().node(&t).is_some());
            }
            let st = h.status("foo");
            prop_assert_eq!(
                (st.desired_number_scheduled, st.current_number_scheduled, st.number_misscheduled),
                (want.desired_number_scheduled, want.current_number_scheduled, want.number_misscheduled)
            );
        }
    }
}

#[test]
fn test_cluster_runs_the_controller_and_goes_idle() {
    let mut c = Cluster::new(3);
    for n in ["n1", "n2"] {
        c.create(Object::Node(node(n).0)).unwrap();
    }
    c.create(Object::DaemonSet(ds("foo").0)).unwrap();
    assert!(c.run_until_idle(60 * SECOND));
    let pods: Vec<&Pod> = c.store().pods().collect();
    assert_eq!(pods.len(), 2);
    let created: Vec<String> = c
        .store()
        .list(Kind::Event)
        .filter_map(|o| match o {
            Object::Event(e) if e.reason.as_deref() == Some("SuccessfulCreate") => {
                e.message.clone()
            }
            _ => None,
        })
        .collect();
    let mut want: Vec<String> = pods
        .iter()
        .map(|p| format!("Created pod: {}", pod_name(p)))
        .collect();
    let mut got = created;
    want.sort();
    got.sort();
    assert_eq!(got, want);
}

#[test]
fn test_cluster_creates_daemon_pods_at_the_client_rate() {
    // 100 nodes: the DaemonSet controller's client sends 30 creates at once, then 20 a second.
    let mut c = Cluster::new(3);
    for i in 0..100 {
        c.create(Object::Node(node(&format!("n{i:03}")).0)).unwrap();
    }
    c.create(Object::DaemonSet(ds("foo").0)).unwrap();
    c.settle();
    let count = |c: &Cluster| c.store().pods().count();
    assert_eq!(count(&c), 30);
    c.advance(SECOND);
    let after_1s = count(&c);
    assert!((45..=50).contains(&after_1s), "{after_1s} pods after 1 s");
    assert!(c.run_until_idle(60 * SECOND));
    assert_eq!(count(&c), 100);
}

// ---------------------------------------------------------------------------------------------
// util/daemonset_util_test.go
// ---------------------------------------------------------------------------------------------

/// `util`'s test `newPod(podName, nodeName, label)`.
fn util_pod(name: &str, node: &str, labels: Option<BTreeMap<String, String>>) -> Pod {
    Pod {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some("default".to_string()),
            labels,
            ..Default::default()
        },
        spec: Some(PodSpec {
            node_name: (!node.is_empty()).then(|| node.to_string()),
            containers: vec![Container {
                image: Some("foo/bar".to_string()),
                ..Default::default()
            }],
            ..Default::default()
        }),
        status: None,
    }
}

/// (test, templateGeneration, pod labels, hash, isUpdated).
type IsPodUpdatedCase<'a> = (
    &'a str,
    Option<i64>,
    Option<BTreeMap<String, String>>,
    &'a str,
    bool,
);

/// Upstream `TestIsPodUpdated`.
#[test]
fn test_is_pod_updated() {
    let generation = Some(12345);
    let bad_generation = Some(12350);
    let hash = "55555";
    let labels = Some(map(&[
        (TEMPLATE_GENERATION_LABEL, "12345"),
        (CONTROLLER_REVISION_HASH_LABEL, hash),
    ]));
    let labels_no_hash = Some(map(&[(TEMPLATE_GENERATION_LABEL, "12345")]));
    let hash123 = format!("{hash}123");
    let cases: [IsPodUpdatedCase; 10] = [
        (
            "templateGeneration and hash both match",
            generation,
            labels.clone(),
            hash,
            true,
        ),
        (
            "templateGeneration matches, hash doesn't",
            generation,
            labels.clone(),
            &hash123,
            true,
        ),
        (
            "templateGeneration matches, no hash label, has hash",
            generation,
            labels_no_hash.clone(),
            hash,
            true,
        ),
        (
            "templateGeneration matches, no hash label, no hash",
            generation,
            labels_no_hash,
            "",
            true,
        ),
        (
            "templateGeneration matches, has hash label, no hash",
            generation,
            labels.clone(),
            "",
            true,
        ),
        (
            "templateGeneration doesn't match, hash does",
            bad_generation,
            labels.clone(),
            hash,
            true,
        ),
        (
            "templateGeneration and hash don't match",
            bad_generation,
            labels,
            &hash123,
            false,
        ),
        (
            "empty labels, no hash",
            generation,
            Some(BTreeMap::new()),
            "",
            false,
        ),
        (
            "empty labels",
            generation,
            Some(BTreeMap::new()),
            hash,
            false,
        ),
        ("no labels", generation, None, hash, false),
    ];
    for (name, generation, labels, hash, want) in cases {
        let pod = util_pod("pod1", "node1", labels);
        assert_eq!(is_pod_updated(&pod, hash, generation), want, "{name}");
        assert_eq!(
            DaemonPod::new(&pod, hash, generation).updated,
            want,
            "{name} (DaemonPod)"
        );
    }
    // The label is compared as a string, as upstream's fmt.Sprint: "012345" is not 12345.
    let pod = util_pod(
        "pod1",
        "node1",
        Some(map(&[(TEMPLATE_GENERATION_LABEL, "012345")])),
    );
    assert!(!is_pod_updated(&pod, "", Some(12345)));
}

/// Upstream `TestCreatePodTemplate`.
#[test]
fn test_create_pod_template() {
    for (generation, hash, expect_unique_label) in [(1, "", false), (2, "3242341807", true)] {
        let t = create_pod_template(&PodTemplateSpec::default(), Some(generation), hash);
        let labels = t.metadata.unwrap().labels.unwrap_or_default();
        assert_eq!(
            labels.get(TEMPLATE_GENERATION_LABEL),
            Some(&generation.to_string())
        );
        assert_eq!(
            labels
                .get(CONTROLLER_REVISION_HASH_LABEL)
                .map(String::as_str),
            expect_unique_label.then_some(hash)
        );
    }
}

fn req(key: &str, op: &str, values: &[&str]) -> NodeSelectorRequirement {
    NodeSelectorRequirement {
        key: key.to_string(),
        operator: op.to_string(),
        values: Some(values.iter().map(|v| v.to_string()).collect()),
    }
}

fn required(terms: Vec<NodeSelectorTerm>) -> Affinity {
    Affinity {
        node_affinity: Some(NodeAffinity {
            required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                node_selector_terms: terms,
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn fields_term(r: NodeSelectorRequirement) -> NodeSelectorTerm {
    NodeSelectorTerm {
        match_expressions: None,
        match_fields: Some(vec![r]),
    }
}

fn exprs_term(r: NodeSelectorRequirement) -> NodeSelectorTerm {
    NodeSelectorTerm {
        match_expressions: Some(vec![r]),
        match_fields: None,
    }
}

/// Upstream `TestReplaceDaemonSetPodNodeNameNodeAffinity`.
#[test]
fn test_replace_daemon_set_pod_node_name_node_affinity() {
    use k8s_openapi::api::core::v1::PreferredSchedulingTerm;
    let host1 = || required(vec![fields_term(req("metadata.name", "In", &["host_1"]))]);
    let preferred = vec![PreferredSchedulingTerm {
        preference: exprs_term(req("kubernetes.io/hostname", "In", &["host_1"])),
        weight: 0,
    }];
    let mut with_preferred = host1();
    with_preferred
        .node_affinity
        .as_mut()
        .unwrap()
        .preferred_during_scheduling_ignored_during_execution = Some(preferred.clone());
    let cases: Vec<(Option<Affinity>, Affinity)> = vec![
        (None, host1()),
        (
            Some(required(vec![exprs_term(req(
                "kubernetes.io/hostname",
                "In",
                &["host_1"],
            ))])),
            host1(),
        ),
        (
            Some(Affinity {
                node_affinity: Some(NodeAffinity {
                    preferred_during_scheduling_ignored_during_execution: Some(preferred),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            with_preferred,
        ),
        (
            Some(required(vec![fields_term(req(
                "metadata.name",
                "In",
                &["host_1", "host_2"],
            ))])),
            host1(),
        ),
        (None, host1()),
        (
            Some(required(vec![
                exprs_term(req("hostname", "In", &["host_1"])),
                fields_term(req("metadata.name", "In", &["host_2"])),
            ])),
            host1(),
        ),
        (
            Some(required(vec![fields_term(req(
                "metadata.name",
                "NotIn",
                &["host_2"],
            ))])),
            host1(),
        ),
        (
            Some(required(vec![fields_term(req(
                "metadata.foo",
                "In",
                &["bar"],
            ))])),
            host1(),
        ),
    ];
    for (i, (affinity, want)) in cases.into_iter().enumerate() {
        assert_eq!(
            replace_daemon_set_pod_node_name_node_affinity(affinity, "host_1"),
            want,
            "case {i}"
        );
    }
}

/// Upstream `TestGetTargetNodeName`.
#[test]
fn test_get_target_node_name() {
    let with_affinity = |a: Affinity| {
        let mut p = util_pod("pod", "", None);
        p.spec.as_mut().unwrap().affinity = Some(a);
        p
    };
    let cases = [
        ("pod1", util_pod("pod1", "node-1", None), Some("node-1")),
        (
            "pod2",
            with_affinity(required(vec![fields_term(req(
                "metadata.name",
                "In",
                &["node-1"],
            ))])),
            Some("node-1"),
        ),
        (
            "pod3 (two values: not unique)",
            with_affinity(required(vec![fields_term(req(
                "metadata.name",
                "In",
                &["node-1", "node-2"],
            ))])),
            None,
        ),
        (
            "pod4 (no node name, no affinity)",
            util_pod("pod4", "", None),
            None,
        ),
        (
            "the first metadata.name In requirement decides",
            with_affinity(required(vec![
                fields_term(req("metadata.name", "In", &["node-1", "node-2"])),
                fields_term(req("metadata.name", "In", &["node-3"])),
            ])),
            None,
        ),
    ];
    for (name, pod, want) in cases {
        assert_eq!(target_node_name(&pod).as_deref(), want, "{name}");
    }
}

/// `podutil.IsPodAvailable`: with minReadySeconds, a Ready condition without a
/// lastTransitionTime is never available; with 0 it is.
#[test]
fn test_is_pod_available_without_last_transition_time() {
    let mut pod = util_pod("p", "n", None);
    pod.status = Some(k8s_openapi::api::core::v1::PodStatus {
        conditions: Some(vec![PodCondition {
            type_: "Ready".to_string(),
            status: "True".to_string(),
            ..Default::default()
        }]),
        ..Default::default()
    });
    let later = SimTime(3_600 * SECOND);
    assert!(is_pod_ready(&pod));
    assert!(is_pod_available(&pod, 0, later));
    assert!(!is_pod_available(&pod, 15, later));
    assert!(!DaemonPod::new(&pod, "", None).is_available(15, later));
    // With a lastTransitionTime: available once more than minReadySeconds have passed.
    pod.status.as_mut().unwrap().conditions.as_mut().unwrap()[0].last_transition_time =
        Some(SimTime(50 * SECOND).to_k8s());
    assert!(!is_pod_available(&pod, 15, SimTime(65 * SECOND)));
    assert!(is_pod_available(&pod, 15, SimTime(65 * SECOND + 1)));
}

// ---------------------------------------------------------------------------------------------
// Surge (daemon_controller_test.go TestSurge*) and the rest of update_test.go
// ---------------------------------------------------------------------------------------------

/// Upstream `newUpdateSurge(value)`: maxUnavailable 0, maxSurge `value`.
fn update_surge(value: IntOrString) -> DaemonSetUpdateStrategy {
    DaemonSetUpdateStrategy {
        type_: Some("RollingUpdate".to_string()),
        rolling_update: Some(RollingUpdateDaemonSet {
            max_unavailable: Some(IntOrString::Int(0)),
            max_surge: Some(value),
        }),
    }
}

/// Upstream `newUpdateUnavailable(value)`: maxUnavailable `value`, maxSurge unset.
fn update_unavailable(value: IntOrString) -> DaemonSetUpdateStrategy {
    DaemonSetUpdateStrategy {
        type_: Some("RollingUpdate".to_string()),
        rolling_update: Some(RollingUpdateDaemonSet {
            max_unavailable: Some(value),
            max_surge: None,
        }),
    }
}

fn seconds(s: u64) -> SimTime {
    SimTime(s * SECOND)
}

/// Sets the pod's Ready condition (`lastTransitionTime` only if `at` is given).
fn set_ready_condition(p: &mut Pod, ready: bool, at: Option<SimTime>) {
    let status = p.status.get_or_insert_with(Default::default);
    status.phase = Some("Running".to_string());
    status.conditions = Some(vec![PodCondition {
        type_: "Ready".to_string(),
        status: if ready { "True" } else { "False" }.to_string(),
        last_transition_time: at.map(SimTime::to_k8s),
        ..Default::default()
    }]);
}

impl Harness {
    /// Upstream `newPod(prefix, node, simpleDaemonSetLabel, ds)` with a creationTimestamp, the
    /// hash label deleted unless `current`, and an optional Ready condition.
    fn add_daemon_pod(
        &mut self,
        d: &DaemonSet,
        node: &str,
        created: u64,
        current: bool,
        ready: Option<(bool, Option<SimTime>)>,
    ) -> String {
        let name = self.add_pods(node, SIMPLE_DS_LABEL, Some(d), 1).remove(0);
        self.update_pod(&name, |p| {
            p.metadata.creation_timestamp = Some(seconds(created).to_k8s());
            if !current {
                if let Some(l) = p.metadata.labels.as_mut() {
                    l.remove(CONTROLLER_REVISION_HASH_LABEL);
                }
            }
            if let Some((r, at)) = ready {
                set_ready_condition(p, r, at);
            }
        });
        name
    }

    /// Syncs at `now`, asserts the creates and deletes, applies.
    fn expect_sync_at(
        &mut self,
        now: SimTime,
        creates: usize,
        deletes: usize,
        what: &str,
    ) -> Outcome {
        let out = self.sync_at(now);
        assert_eq!(
            (created_nodes(&out).len(), deleted_pods(&out).len()),
            (creates, deletes),
            "{what}"
        );
        self.apply(&out);
        out
    }

    fn expect_sync(&mut self, creates: usize, deletes: usize, what: &str) -> Outcome {
        let now = self.c.now();
        self.expect_sync_at(now, creates, deletes, what)
    }

    /// Upstream `setPodReadiness`: marks up to `count` live pods (name order) that are not
    /// already in that state and pass `f`, with the transition at `at`.
    fn set_pod_readiness(
        &mut self,
        ready: bool,
        count: usize,
        at: SimTime,
        f: impl Fn(&Pod) -> bool,
    ) {
        let names: Vec<String> = self
            .c
            .store()
            .pods()
            .filter(|p| !is_deleted(p) && is_pod_ready(p) != ready && f(p))
            .map(|p| pod_name(p).to_string())
            .take(count)
            .collect();
        assert_eq!(
            names.len(),
            count,
            "could not mark {count} pods ready={ready}"
        );
        for name in names {
            self.update_pod(&name, |p| set_ready_condition(p, ready, Some(at)));
        }
    }

    fn current_hash(&self, name: &str) -> String {
        let d = self.get_ds(name);
        let collision = d.status.as_ref().and_then(|s| s.collision_count);
        update::compute_hash(&d.spec.as_ref().unwrap().template, collision)
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Upstream `TestSurgeDealsWithExistingPods`.
#[test]
fn test_surge_deals_with_existing_pods() {
    let (mut h, d) = surge_harness(0);
    h.add_pods("node-1", SIMPLE_DS_LABEL, Some(&d), 1);
    h.add_pods("node-2", SIMPLE_DS_LABEL, Some(&d), 2);
    h.add_pods("node-3", SIMPLE_DS_LABEL, Some(&d), 5);
    h.add_pods("node-4", SIMPLE_DS_LABEL2, Some(&d), 2);
    h.expect_sync(2, 5, "TestSurgeDealsWithExistingPods");
    h.settle();
}

/// The surge tests' common start: 5 nodes, a DaemonSet with maxSurge 1 (and minReadySeconds).
fn surge_harness(min_ready_seconds: i32) -> (Harness, DaemonSet) {
    let mut h = Harness::new();
    let d = h.add_ds(
        ds("foo")
            .strategy(IntOrString::Int(0), IntOrString::Int(1))
            .min_ready_seconds(min_ready_seconds),
    );
    h.add_nodes(0, 5, &[]);
    (h, d)
}

/// Upstream `TestSurgePreservesReadyOldPods`.
#[test]
fn test_surge_preserves_ready_old_pods() {
    let (mut h, d) = surge_harness(0);
    // Preserved: the current hash.
    h.add_daemon_pod(&d, "node-1", 100, true, None);
    // Preserved: the oldest old pod, and ready.
    h.add_daemon_pod(&d, "node-1", 50, false, Some((true, None)));
    // Deleted: not the oldest old pod, even though ready.
    let old_ready = h.add_daemon_pod(&d, "node-1", 60, false, Some((true, None)));
    h.add_pods("node-2", SIMPLE_DS_LABEL, Some(&d), 1);
    let out = h.expect_sync(3, 1, "TestSurgePreservesReadyOldPods");
    assert_eq!(deleted_pods(&out), [old_ready]);
    h.settle();
}

/// Upstream `TestSurgeCreatesNewPodWhenAtMaxSurgeAndOldPodDeleted`.
#[test]
fn test_surge_creates_new_pod_when_at_max_surge_and_old_pod_deleted() {
    let (mut h, d) = surge_harness(0);
    // Preserved: newest hash, and it uses up the surge budget (not ready).
    h.add_daemon_pod(&d, "node-0", 100, true, Some((false, None)));
    // Preserved: ready.
    h.add_daemon_pod(&d, "node-0", 50, false, Some((true, None)));
    for i in 1..5 {
        let name = h.add_daemon_pod(&d, &format!("node-{i}"), 1, false, Some((true, None)));
        if i == 4 {
            // The last old pod is being deleted: node-4 needs a pod despite the surge budget.
            h.update_pod(&name, |p| {
                p.metadata.deletion_timestamp = Some(seconds(31).to_k8s());
                p.metadata.deletion_grace_period_seconds = Some(30);
            });
        }
    }
    let out = h.expect_sync(1, 0, "TestSurgeCreatesNewPodWhenAtMaxSurgeAndOldPodDeleted");
    assert_eq!(created_nodes(&out), ["node-4"]);
}

/// Upstream `TestSurgeDeletesUnreadyOldPods`.
#[test]
fn test_surge_deletes_unready_old_pods() {
    let (mut h, d) = surge_harness(0);
    h.add_daemon_pod(&d, "node-1", 100, true, None);
    // Deleted: unready.
    let old_unready = h.add_daemon_pod(&d, "node-1", 50, false, Some((false, None)));
    // Deleted: not the oldest.
    let old_ready = h.add_daemon_pod(&d, "node-1", 60, false, Some((true, None)));
    h.add_pods("node-2", SIMPLE_DS_LABEL, Some(&d), 1);
    let out = h.expect_sync(3, 2, "TestSurgeDeletesUnreadyOldPods");
    assert_eq!(
        sorted(deleted_pods(&out)),
        sorted(vec![old_ready, old_unready])
    );
    h.settle();
}

/// Upstream `TestSurgePreservesOldReadyWithUnsatisfiedMinReady` (clock 60 s: the new pod, ready
/// since 50 s, is not available for minReadySeconds 15) and
/// `TestSurgeDeletesOldReadyWithUnsatisfiedMinReady` (clock 70 s: it is).
#[test]
fn test_surge_old_ready_pod_and_min_ready_seconds() {
    for (name, clock, preserved) in [
        (
            "TestSurgePreservesOldReadyWithUnsatisfiedMinReady",
            60,
            true,
        ),
        ("TestSurgeDeletesOldReadyWithUnsatisfiedMinReady", 70, false),
    ] {
        let (mut h, d) = surge_harness(15);
        h.add_daemon_pod(&d, "node-1", 100, true, Some((true, Some(seconds(50)))));
        let old_ready = h.add_daemon_pod(&d, "node-1", 50, false, Some((true, None)));
        let old_excess = h.add_daemon_pod(&d, "node-1", 60, false, Some((true, None)));
        h.add_pods("node-2", SIMPLE_DS_LABEL, Some(&d), 1);
        let mut want = vec![old_excess];
        if !preserved {
            want.push(old_ready);
        }
        let out = h.expect_sync_at(seconds(clock), 3, want.len(), name);
        assert_eq!(sorted(deleted_pods(&out)), sorted(want), "{name}");
    }
}

/// Upstream `TestDaemonSetUpdatesPodsNotMatchTainstWithMaxSurge`: a node whose taint the new
/// template no longer tolerates loses its old pod only once another pod is available.
#[test]
fn test_daemon_set_updates_pods_not_match_taints_with_max_surge() {
    let mut h = Harness::new();
    h.add_ds(
        ds("foo")
            .strategy(IntOrString::Int(0), IntOrString::Int(1))
            .toleration(tol(
                "node-role.kubernetes.io/control-plane",
                "Exists",
                "",
                "",
            )),
    );
    h.add_node(node("node-0").taint("node-role.kubernetes.io/control-plane", "", "NoSchedule"));
    h.add_nodes(1, 4, &[]);
    h.expect_sync(5, 0, "create");
    h.mark_pods_ready();
    h.update_ds("foo", |d| {
        d.spec
            .as_mut()
            .unwrap()
            .template
            .spec
            .as_mut()
            .unwrap()
            .tolerations = None;
    });
    for round in 0..4 {
        h.expect_sync(1, 1, &format!("round {round}"));
        h.expect_sync(0, 0, &format!("round {round} settled"));
        h.mark_pods_ready();
    }
    h.expect_sync(0, 1, "last old pod");
    h.expect_sync(0, 0, "done");
    h.settle();
}

/// Upstream `TestDaemonSetUpdatesSomeOldPodsNotReady`.
#[test]
fn test_daemon_set_updates_some_old_pods_not_ready() {
    let mut h = Harness::new();
    h.add_nodes(0, 5, &[]);
    h.add_ds(ds("foo").on_delete());
    h.expect_sync(5, 0, "create");
    h.mark_pods_ready();
    h.update_ds("foo", |d| {
        new_image(d);
        d.spec.as_mut().unwrap().update_strategy = Some(update_unavailable(IntOrString::Int(2)));
    });
    // All old pods are available: update 2.
    h.expect_sync(0, 2, "first update: delete");
    h.expect_sync(2, 0, "first update: create");
    h.expect_sync(0, 0, "first update: wait");
    // Another update: the 2 unready pods are replaced, the 3 available ones stay.
    h.update_ds("foo", |d| {
        d.spec
            .as_mut()
            .unwrap()
            .template
            .spec
            .as_mut()
            .unwrap()
            .containers[0]
            .image = Some("foo2/bar3".into());
    });
    h.expect_sync(0, 2, "second update: delete");
    h.expect_sync(2, 0, "second update: create");
    h.expect_sync(0, 0, "second update: wait");
    let ready = h.c.store().pods().filter(|p| is_pod_ready(p)).count();
    assert_eq!(ready, 3);
}

/// Upstream `TestDaemonSetUpdatesSaveOldHealthyPods` (its random maxUnavailable values in
/// [0, 10) replaced by fixed ones in [1, 10): the API server rejects 0 with maxSurge 0).
#[test]
fn test_daemon_set_updates_save_old_healthy_pods() {
    let mut h = Harness::new();
    h.add_nodes(0, 20, &[]);
    h.add_ds(ds("foo").on_delete());
    h.expect_sync(20, 0, "create");
    h.mark_pods_ready();
    let rollout = |h: &mut Harness, image: String, max_unavailable: i32| {
        h.update_ds("foo", |d| {
            d.spec
                .as_mut()
                .unwrap()
                .template
                .spec
                .as_mut()
                .unwrap()
                .containers[0]
                .image = Some(image);
            d.spec.as_mut().unwrap().update_strategy =
                Some(update_unavailable(IntOrString::Int(max_unavailable)));
        });
    };
    rollout(&mut h, "foo2/bar2".into(), 10);
    h.expect_sync(0, 10, "first update: delete");
    h.expect_sync(10, 0, "first update: create");
    h.expect_sync(0, 0, "first update: wait");
    let ready_pods = |h: &Harness| -> BTreeSet<String> {
        h.c.store()
            .pods()
            .filter(|p| is_pod_ready(p))
            .map(|p| pod_name(p).to_string())
            .collect()
    };
    let old_ready = ready_pods(&h);
    assert_eq!(old_ready.len(), 10);
    for (i, max_unavailable) in [3, 7, 1, 9, 5, 2, 8, 4, 6, 1].into_iter().enumerate() {
        rollout(&mut h, format!("foo2/bar3-{i}"), max_unavailable);
        // Only the 10 unavailable pods are replaced.
        h.expect_sync(0, 10, &format!("iteration {i}: delete"));
        h.expect_sync(10, 0, &format!("iteration {i}: create"));
        h.expect_sync(0, 0, &format!("iteration {i}: wait"));
        assert!(ready_pods(&h).is_superset(&old_ready), "iteration {i}");
    }
    rollout(&mut h, "foo2/bar4".into(), 11);
    h.expect_sync(0, 11, "maxUnavailable 11: delete");
    h.expect_sync(11, 0, "maxUnavailable 11: create");
    h.expect_sync(0, 0, "maxUnavailable 11: wait");
    assert_eq!(ready_pods(&h).len(), 9);
}

/// Upstream `TestDaemonSetUpdatesAllOldNotReadyPodsAndNewNotReadyPods`: with 88 unavailable new
/// pods, 2 unavailable old pods and 10 available old pods (maxUnavailable 10), only the 2
/// unavailable old pods are replaced.
#[test]
fn test_daemon_set_updates_all_old_not_ready_pods_and_new_not_ready_pods() {
    let mut h = Harness::new();
    h.add_nodes(0, 100, &[]);
    h.add_ds(ds("foo").on_delete());
    h.expect_sync(100, 0, "create");
    h.mark_pods_ready();
    let hash1 = h.current_hash("foo");
    h.update_ds("foo", |d| {
        new_image(d);
        d.spec.as_mut().unwrap().update_strategy = Some(update_unavailable(IntOrString::Int(10)));
    });
    for i in 0..10 {
        h.expect_sync(0, 10, &format!("round {i}: delete"));
        h.expect_sync(10, 0, &format!("round {i}: create"));
        h.mark_pods_ready();
    }
    h.expect_sync(0, 0, "rolled out");
    let names = h.pod_names();
    let mut old_unavailable = Vec::new();
    for (i, name) in names.iter().enumerate() {
        h.update_pod(name, |p| {
            if i >= 10 {
                set_ready_condition(p, false, Some(SimTime::ZERO));
            }
            if i < 12 {
                // Back to the first revision. The API server gave the DaemonSet a template
                // generation (upstream's test DaemonSet has none), so that label goes back too.
                let labels = p.metadata.labels.get_or_insert_with(Default::default);
                labels.insert(CONTROLLER_REVISION_HASH_LABEL.to_string(), hash1.clone());
                labels.insert(TEMPLATE_GENERATION_LABEL.to_string(), "1".to_string());
            }
        });
        if (10..12).contains(&i) {
            old_unavailable.push(name.clone());
        }
    }
    let out = h.expect_sync(0, 2, "delete the 2 unavailable old pods");
    assert_eq!(sorted(deleted_pods(&out)), sorted(old_unavailable));
    h.expect_sync(2, 0, "replace them");
    h.expect_sync(0, 0, "then wait");
}

/// Upstream `TestDaemonSetUpdatesAllOldPodsNotReadyMaxSurge`, on upstream's clock.
#[test]
fn test_daemon_set_updates_all_old_pods_not_ready_max_surge() {
    let mut h = Harness::new();
    h.add_nodes(0, 5, &[]);
    h.add_ds(ds("foo").on_delete());
    h.expect_sync(5, 0, "create");
    h.update_ds("foo", |d| {
        new_image(d);
        d.spec.as_mut().unwrap().update_strategy = Some(update_surge(IntOrString::Int(3)));
    });
    // All old pods are unavailable: surge onto every node at once.
    h.expect_sync_at(seconds(100), 5, 0, "surge everywhere");
    // Waiting for the new pods to go ready, the unready old pods are deleted.
    h.expect_sync_at(seconds(200), 0, 5, "delete unready old pods");
    h.set_pod_readiness(true, 5, seconds(200), |_| true);
    h.update_ds("foo", |d| {
        d.spec.as_mut().unwrap().min_ready_seconds = Some(15);
        d.spec
            .as_mut()
            .unwrap()
            .template
            .spec
            .as_mut()
            .unwrap()
            .containers[0]
            .image = Some("foo3/bar3".into());
    });
    h.expect_sync_at(seconds(300), 3, 0, "surge 3");
    let hash = h.current_hash("foo");
    let has_hash = |p: &Pod| pod_label(p, CONTROLLER_REVISION_HASH_LABEL) == Some(&hash);
    let nodes_with_new: BTreeSet<String> =
        h.c.store()
            .pods()
            .filter(|p| has_hash(p))
            .filter_map(target_node_name)
            .collect();
    // Two new pods go ready at 300; one old pod on a node without a new pod goes unready.
    h.set_pod_readiness(true, 2, seconds(300), has_hash);
    h.set_pod_readiness(false, 1, seconds(300), |p| {
        !has_hash(p) && !target_node_name(p).is_some_and(|n| nodes_with_new.contains(&n))
    });
    // The new pods wait for minReadySeconds; the unready old pod's node gets a new pod.
    h.expect_sync_at(seconds(310), 1, 0, "replace the unready old pod");
    // The two ready new pods are available: their old pods go, and the unready old pod.
    h.expect_sync_at(seconds(320), 1, 3, "new pods available");
    h.set_pod_readiness(true, 3, seconds(320), has_hash);
    h.expect_sync_at(seconds(340), 0, 2, "the rest available");
    h.expect_sync_at(seconds(350), 0, 0, "done");
}

/// Upstream `TestGetUnavailableNumbers` (`updatedDesiredNodeCounts`): (maxSurge,
/// maxUnavailable, desiredNumberScheduled) for the DaemonSet on `nodes` nodes.
#[test]
fn test_get_unavailable_numbers() {
    let cases = [
        (
            "No nodes",
            0,
            update_unavailable(IntOrString::Int(0)),
            (0, 0, 0),
        ),
        (
            "Two nodes with ready pods",
            2,
            update_unavailable(IntOrString::Int(1)),
            (0, 1, 2),
        ),
        (
            "Two nodes, one node without pods",
            2,
            update_unavailable(IntOrString::Int(0)),
            (0, 1, 2),
        ),
        (
            "Two nodes, one node without pods, surge",
            2,
            update_surge(IntOrString::Int(0)),
            (0, 1, 2),
        ),
        (
            "Two nodes with pods, MaxUnavailable in percents",
            2,
            update_unavailable(IntOrString::String("50%".into())),
            (0, 1, 2),
        ),
        (
            "Two nodes with pods, MaxUnavailable in percents, surge",
            2,
            update_surge(IntOrString::String("50%".into())),
            (1, 0, 2),
        ),
        (
            "Two nodes with pods, MaxUnavailable is 100%, surge",
            2,
            update_surge(IntOrString::String("100%".into())),
            (2, 0, 2),
        ),
        (
            "Two nodes with pods, MaxUnavailable in percents, pod terminating",
            3,
            update_unavailable(IntOrString::String("50%".into())),
            (0, 2, 3),
        ),
    ];
    for (name, nodes, strategy, want) in cases {
        // Built by hand, as upstream: the API server would reject maxUnavailable 0 with
        // maxSurge 0.
        let mut d = ds("x").0;
        d.spec.as_mut().unwrap().update_strategy = Some(strategy);
        let desired = (0..nodes)
            .filter(|i| node_should_run_daemon_pod(&node(&format!("node-{i}")).0, &d).should_run)
            .count();
        let (max_surge, max_unavailable) = update::updated_desired_node_counts(&d, desired);
        assert_eq!((max_surge, max_unavailable, desired), want, "{name}");
    }
}

/// Upstream `TestGetNodesToDaemonPods`: the pods a sync groups by node are the owned and the
/// adoptable matching orphans, terminal ones included unless they are also being deleted
/// ("exclude deleted terminal pods"); every claimed pod, deleted terminal ones too, is kept
/// for history cleanup ("include deleted terminal pods").
#[test]
fn test_get_nodes_to_daemon_pods() {
    let mut h = Harness::new();
    let d = h.add_ds(ds("foo"));
    let d2 = h.add_ds(ds("foo2"));
    h.add_nodes(0, 2, &[]);
    let phase = |h: &mut Harness, name: &str, phase: &str, deleted: bool| {
        h.update_pod(name, |p| {
            p.status.get_or_insert_with(Default::default).phase = Some(phase.to_string());
            if deleted {
                // A finalizer keeps the store from finishing the deletion at once.
                p.metadata.finalizers = Some(vec!["example.com/hold".to_string()]);
                p.metadata.deletion_timestamp = Some(SimTime::ZERO.to_k8s());
            }
        });
    };
    let mut wanted = Vec::new();
    wanted.extend(h.add_pods("node-0", SIMPLE_DS_LABEL, Some(&d), 1));
    wanted.extend(h.add_pods("node-0", SIMPLE_DS_LABEL, None, 1));
    wanted.extend(h.add_pods("node-1", SIMPLE_DS_LABEL, Some(&d), 1));
    wanted.extend(h.add_pods("node-1", SIMPLE_DS_LABEL, None, 1));
    let succeeded = h.add_pods("node-0", SIMPLE_DS_LABEL, Some(&d), 1).remove(0);
    phase(&mut h, &succeeded, "Succeeded", false);
    let failed = h.add_pods("node-1", SIMPLE_DS_LABEL, Some(&d), 1).remove(0);
    phase(&mut h, &failed, "Failed", false);
    wanted.extend([succeeded, failed]);
    // Ignored either way: not matching (owned or orphan), owned by another DaemonSet.
    h.add_pods("node-0", SIMPLE_DS_LABEL2, Some(&d), 1);
    h.add_pods("node-1", SIMPLE_DS_LABEL2, None, 1);
    h.add_pods("node-0", SIMPLE_DS_LABEL, Some(&d2), 1);
    // Deleted terminal pods: only in the "include" list.
    let deleted_succeeded = h.add_pods("node-0", SIMPLE_DS_LABEL, Some(&d), 1).remove(0);
    phase(&mut h, &deleted_succeeded, "Succeeded", true);
    let deleted_failed = h.add_pods("node-1", SIMPLE_DS_LABEL, Some(&d), 1).remove(0);
    phase(&mut h, &deleted_failed, "Failed", true);

    let d = h.get_ds("foo");
    let store = h.c.store();
    let mut out = Outcome::none();
    let claimed = claim_pods(store, &d, &mut out);
    let hash = h.current_hash("foo");
    let view = DaemonSetView::new(store, &d, &claimed, hash, h.c.now());
    let mut grouped = Vec::new();
    for entry in &view.nodes {
        for pod in view.pods_of(entry) {
            assert_eq!(target_node_name(pod.pod).as_deref(), Some(entry.name()));
            grouped.push(pod.name.to_string());
        }
    }
    assert!(view.orphans.is_empty());
    assert_eq!(
        sorted(grouped),
        sorted(wanted.clone()),
        "exclude deleted terminal pods"
    );
    let all: Vec<String> = view
        .all_pods
        .iter()
        .map(|p| pod_name(p).to_string())
        .collect();
    wanted.extend([deleted_succeeded, deleted_failed]);
    assert_eq!(sorted(all), sorted(wanted), "include deleted terminal pods");
}
