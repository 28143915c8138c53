//! Table tests mirroring upstream's plugin tests (`TestNodeAffinity`, `TestTaintTolerationFilter`,
//! `TestNodeName`, `TestNodeUnschedulable`, `TestNodePorts`, `TestEnoughRequests`), the `FitError`
//! message, the scores, and the pass behaviour (binding, retries, idle passes, determinism, scale).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Affinity, Container, ContainerPort, Node, NodeAffinity, NodeSelector, NodeSelectorRequirement,
    NodeSelectorTerm, NodeSpec, NodeStatus, Pod, PodSpec, PodStatus, PreferredSchedulingTerm,
    ResourceRequirements, Taint, Toleration,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::*;
use crate::engine::api::ObjectKey;
use crate::engine::controller::DeleteOptions;
use crate::engine::Cluster;

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

#[derive(Clone)]
struct NodeB(Node);

fn node(name: &str) -> NodeB {
    NodeB(Node {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            uid: Some(format!("uid-node-{name}")),
            labels: Some(BTreeMap::from([(
                "kubernetes.io/hostname".to_string(),
                name.to_string(),
            )])),
            ..Default::default()
        },
        spec: Some(NodeSpec::default()),
        status: Some(NodeStatus {
            allocatable: Some(resource_list(&[
                ("cpu", "4"),
                ("memory", "8Gi"),
                ("pods", "110"),
            ])),
            ..Default::default()
        }),
    })
}

fn resource_list(pairs: &[(&str, &str)]) -> BTreeMap<String, Quantity> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
        .collect()
}

impl NodeB {
    fn label(mut self, k: &str, v: &str) -> Self {
        self.0
            .metadata
            .labels
            .get_or_insert_with(Default::default)
            .insert(k.into(), v.into());
        self
    }
    fn taint(mut self, key: &str, value: &str, effect: &str) -> Self {
        let spec = self.0.spec.get_or_insert_with(Default::default);
        spec.taints.get_or_insert_with(Vec::new).push(Taint {
            key: key.into(),
            value: (!value.is_empty()).then(|| value.to_string()),
            effect: effect.into(),
            time_added: None,
        });
        self
    }
    fn unschedulable(mut self) -> Self {
        self.0
            .spec
            .get_or_insert_with(Default::default)
            .unschedulable = Some(true);
        self
    }
    fn allocatable(mut self, pairs: &[(&str, &str)]) -> Self {
        let st = self.0.status.get_or_insert_with(Default::default);
        st.allocatable = Some(resource_list(pairs));
        st.capacity = Some(resource_list(pairs));
        self
    }
}

#[derive(Clone)]
struct PodB(Pod);

fn pod(name: &str) -> PodB {
    PodB(Pod {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some("default".to_string()),
            uid: Some(format!("uid-{name}")),
            ..Default::default()
        },
        spec: Some(PodSpec {
            containers: vec![Container {
                name: "c".into(),
                image: Some("nginx".into()),
                ..Default::default()
            }],
            scheduler_name: Some(SCHEDULER_NAME.into()),
            ..Default::default()
        }),
        status: Some(PodStatus {
            phase: Some("Pending".into()),
            ..Default::default()
        }),
    })
}

fn term() -> NodeSelectorTerm {
    NodeSelectorTerm::default()
}

fn req(key: &str, op: &str, values: &[&str]) -> NodeSelectorRequirement {
    NodeSelectorRequirement {
        key: key.into(),
        operator: op.into(),
        values: (!values.is_empty()).then(|| values.iter().map(|v| v.to_string()).collect()),
    }
}

trait TermExt {
    fn expr(self, key: &str, op: &str, values: &[&str]) -> Self;
    fn field(self, key: &str, op: &str, values: &[&str]) -> Self;
}

impl TermExt for NodeSelectorTerm {
    fn expr(mut self, key: &str, op: &str, values: &[&str]) -> Self {
        self.match_expressions
            .get_or_insert_with(Vec::new)
            .push(req(key, op, values));
        self
    }
    fn field(mut self, key: &str, op: &str, values: &[&str]) -> Self {
        self.match_fields
            .get_or_insert_with(Vec::new)
            .push(req(key, op, values));
        self
    }
}

impl PodB {
    fn spec(&mut self) -> &mut PodSpec {
        self.0.spec.get_or_insert_with(Default::default)
    }
    fn requests(mut self, pairs: &[(&str, &str)]) -> Self {
        if let Some(c) = self.spec().containers.first_mut() {
            c.resources = Some(ResourceRequirements {
                requests: Some(resource_list(pairs)),
                ..Default::default()
            });
        }
        self
    }
    fn limits(mut self, pairs: &[(&str, &str)]) -> Self {
        if let Some(c) = self.spec().containers.first_mut() {
            c.resources = Some(ResourceRequirements {
                limits: Some(resource_list(pairs)),
                ..Default::default()
            });
        }
        self
    }
    fn init(mut self, pairs: &[(&str, &str)]) -> Self {
        let n = self.spec().init_containers.as_ref().map_or(0, Vec::len);
        self.spec()
            .init_containers
            .get_or_insert_with(Vec::new)
            .push(Container {
                name: format!("init-{n}"),
                image: Some("busybox".into()),
                resources: Some(ResourceRequirements {
                    requests: Some(resource_list(pairs)),
                    ..Default::default()
                }),
                ..Default::default()
            });
        self
    }
    fn host_port(mut self, ip: &str, protocol: &str, port: i32) -> Self {
        if let Some(c) = self.spec().containers.first_mut() {
            c.ports.get_or_insert_with(Vec::new).push(ContainerPort {
                container_port: port,
                host_port: Some(port),
                host_ip: (!ip.is_empty()).then(|| ip.to_string()),
                protocol: Some(protocol.into()),
                ..Default::default()
            });
        }
        self
    }
    fn tolerate(mut self, key: &str, op: &str, value: &str, effect: &str) -> Self {
        self.spec()
            .tolerations
            .get_or_insert_with(Vec::new)
            .push(Toleration {
                key: (!key.is_empty()).then(|| key.to_string()),
                operator: (!op.is_empty()).then(|| op.to_string()),
                value: (!value.is_empty()).then(|| value.to_string()),
                effect: (!effect.is_empty()).then(|| effect.to_string()),
                toleration_seconds: None,
            });
        self
    }
    fn selector(mut self, k: &str, v: &str) -> Self {
        self.spec()
            .node_selector
            .get_or_insert_with(Default::default)
            .insert(k.into(), v.into());
        self
    }
    fn node_affinity(&mut self) -> &mut NodeAffinity {
        self.spec()
            .affinity
            .get_or_insert_with(Affinity::default)
            .node_affinity
            .get_or_insert_with(Default::default)
    }
    fn required(mut self, terms: Vec<NodeSelectorTerm>) -> Self {
        self.node_affinity()
            .required_during_scheduling_ignored_during_execution = Some(NodeSelector {
            node_selector_terms: terms,
        });
        self
    }
    fn preferred(mut self, weight: i32, preference: NodeSelectorTerm) -> Self {
        self.node_affinity()
            .preferred_during_scheduling_ignored_during_execution
            .get_or_insert_with(Vec::new)
            .push(PreferredSchedulingTerm { weight, preference });
        self
    }
    fn priority(mut self, p: i32) -> Self {
        self.spec().priority = Some(p);
        self
    }
    fn preemption_never(mut self) -> Self {
        self.spec().preemption_policy = Some("Never".into());
        self
    }
    fn on(mut self, node: &str) -> Self {
        self.spec().node_name = Some(node.into());
        self
    }
    fn phase(mut self, phase: &str) -> Self {
        self.0.status.get_or_insert_with(Default::default).phase = Some(phase.into());
        self
    }
}

fn store_with(nodes: &[NodeB], pods: &[PodB]) -> Store {
    let mut store = Store::new();
    for n in nodes {
        store.put(Object::Node(n.0.clone()));
    }
    for p in pods {
        store.put(Object::Pod(p.0.clone()));
    }
    store
}

/// The verdict of the only node in a one-node cluster: Ok, or the failing plugin and reasons.
fn single_verdict(n: NodeB, existing: &[PodB], p: &PodB) -> Result<(), (Plugin, Vec<String>)> {
    let store = store_with(&[n], existing);
    let ev = evaluate(&store, &p.0);
    assert_eq!(ev.verdicts.len(), 1);
    match &ev.verdicts[0].result {
        Ok(_) => Ok(()),
        Err(f) => Err((f.plugin, f.reasons.clone())),
    }
}

fn reasons(plugin: Plugin, rs: &[&str]) -> Result<(), (Plugin, Vec<String>)> {
    Err((plugin, rs.iter().map(|s| s.to_string()).collect()))
}

const AFFINITY: &str = "node(s) didn't match Pod's node affinity/selector";

// ---------------------------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------------------------

struct FilterCase {
    name: &'static str,
    pod: PodB,
    node: NodeB,
    existing: Vec<PodB>,
    want: Result<(), (Plugin, Vec<String>)>,
}

fn check_filters(cases: Vec<FilterCase>) {
    for c in cases {
        let got = single_verdict(c.node, &c.existing, &c.pod);
        assert_eq!(got, c.want, "{}", c.name);
    }
}

#[test]
fn test_node_affinity() {
    let n = || node("node1");
    let affinity_fail = || reasons(Plugin::NodeAffinity, &[AFFINITY]);
    check_filters(vec![
        FilterCase {
            name: "missing labels",
            pod: pod("p").selector("foo", "bar"),
            node: n(),
            existing: vec![],
            want: affinity_fail(),
        },
        FilterCase {
            name: "same labels",
            pod: pod("p").selector("foo", "bar"),
            node: n().label("foo", "bar"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "node labels are superset",
            pod: pod("p").selector("foo", "bar"),
            node: n().label("foo", "bar").label("baz", "blah"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "node labels are subset",
            pod: pod("p").selector("foo", "bar").selector("baz", "blah"),
            node: n().label("foo", "bar"),
            existing: vec![],
            want: affinity_fail(),
        },
        FilterCase {
            name: "Pod with matchExpressions using In operator that matches the existing node",
            pod: pod("p").required(vec![term().expr("foo", "In", &["bar", "value2"])]),
            node: n().label("foo", "bar"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "Pod with matchExpressions using Gt operator that matches the existing node",
            pod: pod("p").required(vec![term().expr("kernel-version", "Gt", &["204"])]),
            node: n().label("kernel-version", "206"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "Pod with matchExpressions using Lt operator that doesn't match",
            pod: pod("p").required(vec![term().expr("kernel-version", "Lt", &["204"])]),
            node: n().label("kernel-version", "206"),
            existing: vec![],
            want: affinity_fail(),
        },
        FilterCase {
            name: "Gt against a label that is not an integer matches nothing",
            pod: pod("p").required(vec![term().expr("kernel-version", "Gt", &["204"])]),
            node: n().label("kernel-version", "6.8"),
            existing: vec![],
            want: affinity_fail(),
        },
        FilterCase {
            name: "Pod with matchExpressions using NotIn operator that matches the existing node",
            pod: pod("p").required(vec![term().expr("mem-type", "NotIn", &["DDR", "DDR2"])]),
            node: n().label("mem-type", "DDR3"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "NotIn matches a node without the label",
            pod: pod("p").required(vec![term().expr("mem-type", "NotIn", &["DDR"])]),
            node: n(),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "Pod with matchExpressions using Exists operator that matches the existing node",
            pod: pod("p").required(vec![term().expr("GPU", "Exists", &[])]),
            node: n().label("GPU", "NVIDIA-GRID-K1"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "Pod with affinity that don't match node's labels won't schedule onto the node",
            pod: pod("p").required(vec![term().expr("foo", "In", &["value1", "value2"])]),
            node: n().label("foo", "bar"),
            existing: vec![],
            want: affinity_fail(),
        },
        FilterCase {
            name: "DoesNotExist rejects a node with the label",
            pod: pod("p").required(vec![term().expr("foo", "DoesNotExist", &[])]),
            node: n().label("foo", "bar"),
            existing: vec![],
            want: affinity_fail(),
        },
        FilterCase {
            name: "DoesNotExist accepts a node without the label",
            pod: pod("p").required(vec![term().expr("foo", "DoesNotExist", &[])]),
            node: n(),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "Pod with empty MatchExpressions is not a valid value will match no objects",
            pod: pod("p").required(vec![term()]),
            node: n().label("foo", "bar"),
            existing: vec![],
            want: affinity_fail(),
        },
        FilterCase {
            name: "Pod with multiple matchExpressions ANDed that doesn't match the existing node",
            pod: pod("p").required(vec![term().expr("GPU", "Exists", &[]).expr(
                "GPU",
                "NotIn",
                &["AMD", "INTER"],
            )]),
            node: n().label("GPU", "AMD"),
            existing: vec![],
            want: affinity_fail(),
        },
        FilterCase {
            name: "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels",
            pod: pod("p").required(vec![
                term().expr("foo", "In", &["bar", "value2"]),
                term().expr("diffkey", "In", &["wrong", "value2"]),
            ]),
            node: n().label("foo", "bar"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "Pod with an Affinity and a PodSpec.NodeSelector: both must match",
            pod: pod("p")
                .selector("foo", "bar")
                .required(vec![term().expr("foo", "Exists", &[])]),
            node: n().label("foo", "bar"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "Pod with an Affinity matches but its NodeSelector does not",
            pod: pod("p")
                .selector("foo", "baz")
                .required(vec![term().expr("foo", "Exists", &[])]),
            node: n().label("foo", "bar"),
            existing: vec![],
            want: affinity_fail(),
        },
        FilterCase {
            name: "Pod with matchFields using In operator that matches the existing node",
            pod: pod("p").required(vec![term().field("metadata.name", "In", &["node1"])]),
            node: n(),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "Pod with matchFields using NotIn operator that doesn't match the existing node",
            pod: pod("p").required(vec![term().field("metadata.name", "NotIn", &["node1"])]),
            node: n(),
            existing: vec![],
            want: affinity_fail(),
        },
        FilterCase {
            name: "Pod with two terms: matchFields does not match, but matchExpressions matches",
            pod: pod("p").required(vec![
                term().field("metadata.name", "NotIn", &["node1"]),
                term().expr("foo", "In", &["bar"]),
            ]),
            node: n().label("foo", "bar"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "Pod with one term: both matchFields and matchExpressions match",
            pod: pod("p").required(vec![term()
                .field("metadata.name", "NotIn", &["node2"])
                .expr("foo", "In", &["bar"])]),
            node: n().label("foo", "bar"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "Pod with one term: matchFields matches, matchExpressions does not",
            pod: pod("p").required(vec![term().field("metadata.name", "In", &["node1"]).expr(
                "foo",
                "In",
                &["baz"],
            )]),
            node: n().label("foo", "bar"),
            existing: vec![],
            want: affinity_fail(),
        },
    ]);
}

#[test]
fn test_taint_toleration_filter() {
    let taint_fail = |s: &str| {
        reasons(
            Plugin::TaintToleration,
            &[&format!("node(s) had untolerated taint {s}")],
        )
    };
    let n = || node("nodeA");
    check_filters(vec![
        FilterCase {
            name: "A pod having no tolerations can't be scheduled onto a node with nonempty taints",
            pod: pod("p"),
            node: n().taint("dedicated", "user1", "NoSchedule"),
            existing: vec![],
            want: taint_fail("{dedicated: user1}"),
        },
        FilterCase {
            name: "A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule",
            pod: pod("p").tolerate("dedicated", "Equal", "user1", "NoSchedule"),
            node: n().taint("dedicated", "user1", "NoSchedule"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
            pod: pod("p").tolerate("dedicated", "Equal", "user2", "NoSchedule"),
            node: n().taint("dedicated", "user1", "NoSchedule"),
            existing: vec![],
            want: taint_fail("{dedicated: user1}"),
        },
        FilterCase {
            name: "A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node",
            pod: pod("p").tolerate("foo", "Exists", "", "NoSchedule"),
            node: n().taint("foo", "bar", "NoSchedule"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "A pod has multiple tolerations, node has multiple taints, all the taints are tolerated",
            pod: pod("p")
                .tolerate("dedicated", "Equal", "user2", "NoSchedule")
                .tolerate("foo", "Exists", "", "NoSchedule"),
            node: n()
                .taint("dedicated", "user2", "NoSchedule")
                .taint("foo", "bar", "NoSchedule"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match",
            pod: pod("p").tolerate("foo", "Equal", "bar", "PreferNoSchedule"),
            node: n().taint("foo", "bar", "NoSchedule"),
            existing: vec![],
            want: taint_fail("{foo: bar}"),
        },
        FilterCase {
            name: "The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty",
            pod: pod("p").tolerate("foo", "Equal", "bar", ""),
            node: n().taint("foo", "bar", "NoSchedule"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule",
            pod: pod("p").tolerate("dedicated", "Equal", "user2", "NoSchedule"),
            node: n().taint("dedicated", "user1", "PreferNoSchedule"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "The pod has no toleration, but the effect of taint on node is PreferNoSchedule",
            pod: pod("p"),
            node: n().taint("dedicated", "user1", "PreferNoSchedule"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "The pod has no toleration, the effect of taint on node is NoExecute",
            pod: pod("p"),
            node: n().taint("node.kubernetes.io/unreachable", "", "NoExecute"),
            existing: vec![],
            want: taint_fail("{node.kubernetes.io/unreachable: }"),
        },
        FilterCase {
            name: "the first untolerated taint is reported",
            pod: pod("p").tolerate("a", "Exists", "", ""),
            node: n()
                .taint("a", "1", "NoSchedule")
                .taint("b", "2", "NoSchedule")
                .taint("c", "3", "NoExecute"),
            existing: vec![],
            want: taint_fail("{b: 2}"),
        },
    ]);
}

#[test]
fn test_node_name() {
    let n = || node("foo");
    check_filters(vec![
        FilterCase {
            name: "no host specified",
            pod: pod("p"),
            node: n(),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "host matches",
            pod: pod("p").on("foo"),
            node: n(),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "host doesn't match",
            pod: pod("p").on("bar"),
            node: n(),
            existing: vec![],
            want: reasons(
                Plugin::NodeName,
                &["node(s) didn't match the requested node name"],
            ),
        },
    ]);
    // The failure is UnschedulableAndUnresolvable: preemption cannot help.
    let store = store_with(&[n()], &[]);
    let ev = evaluate(&store, &pod("p").on("bar").0);
    let f = ev.verdicts[0].result.as_ref().unwrap_err();
    assert_eq!(f.code, Code::UnschedulableAndUnresolvable);
}

#[test]
fn test_node_unschedulable() {
    check_filters(vec![
        FilterCase {
            name: "Does not schedule pod to unschedulable node (node.Spec.Unschedulable==true)",
            pod: pod("p"),
            node: node("n").unschedulable(),
            existing: vec![],
            want: reasons(Plugin::NodeUnschedulable, &["node(s) were unschedulable"]),
        },
        FilterCase {
            name: "Schedule pod to normal node",
            pod: pod("p"),
            node: node("n"),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name:
                "Schedule pod with toleration to unschedulable node (node.Spec.Unschedulable==true)",
            pod: pod("p").tolerate(
                "node.kubernetes.io/unschedulable",
                "Exists",
                "",
                "NoSchedule",
            ),
            node: node("n").unschedulable(),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "NodeUnschedulable runs before TaintToleration",
            pod: pod("p"),
            node: node("n").unschedulable().taint("x", "y", "NoSchedule"),
            existing: vec![],
            want: reasons(Plugin::NodeUnschedulable, &["node(s) were unschedulable"]),
        },
    ]);
}

#[test]
fn test_node_ports() {
    const PORTS: &str = "node(s) didn't have free ports for the requested pod ports";
    let n = || node("n");
    let on = |p: PodB| p.on("n").phase("Running");
    check_filters(vec![
        FilterCase {
            name: "nothing running",
            pod: pod("p").host_port("", "TCP", 8080),
            node: n(),
            existing: vec![],
            want: Ok(()),
        },
        FilterCase {
            name: "other port",
            pod: pod("p").host_port("127.0.0.1", "UDP", 8080),
            node: n(),
            existing: vec![on(pod("e").host_port("127.0.0.1", "UDP", 9090))],
            want: Ok(()),
        },
        FilterCase {
            name: "same udp port",
            pod: pod("p").host_port("127.0.0.1", "UDP", 8080),
            node: n(),
            existing: vec![on(pod("e").host_port("127.0.0.1", "UDP", 8080))],
            want: reasons(Plugin::NodePorts, &[PORTS]),
        },
        FilterCase {
            name: "same tcp port",
            pod: pod("p").host_port("127.0.0.1", "TCP", 8080),
            node: n(),
            existing: vec![on(pod("e").host_port("127.0.0.1", "TCP", 8080))],
            want: reasons(Plugin::NodePorts, &[PORTS]),
        },
        FilterCase {
            name: "different host ip",
            pod: pod("p").host_port("127.0.0.1", "TCP", 8080),
            node: n(),
            existing: vec![on(pod("e").host_port("127.0.0.2", "TCP", 8080))],
            want: Ok(()),
        },
        FilterCase {
            name: "different protocol",
            pod: pod("p").host_port("127.0.0.1", "UDP", 8080),
            node: n(),
            existing: vec![on(pod("e").host_port("127.0.0.1", "TCP", 8080))],
            want: Ok(()),
        },
        FilterCase {
            name: "first tcp port conflict due to 0.0.0.0 hostIP",
            pod: pod("p").host_port("127.0.0.1", "TCP", 8001),
            node: n(),
            existing: vec![on(pod("e").host_port("0.0.0.0", "TCP", 8001))],
            want: reasons(Plugin::NodePorts, &[PORTS]),
        },
        FilterCase {
            name: "TCP hostPort conflict due to 0.0.0.0 hostIP",
            pod: pod("p").host_port("", "TCP", 8001),
            node: n(),
            existing: vec![on(pod("e").host_port("10.0.10.10", "TCP", 8001))],
            want: reasons(Plugin::NodePorts, &[PORTS]),
        },
        FilterCase {
            name: "UDP hostPort conflict due to 0.0.0.0 hostIP does not affect TCP",
            pod: pod("p").host_port("0.0.0.0", "TCP", 8001),
            node: n(),
            existing: vec![on(pod("e").host_port("0.0.0.0", "UDP", 8001))],
            want: Ok(()),
        },
        FilterCase {
            name: "a finished pod no longer holds its port",
            pod: pod("p").host_port("", "TCP", 8080),
            node: n(),
            existing: vec![pod("e")
                .host_port("", "TCP", 8080)
                .on("n")
                .phase("Succeeded")],
            want: Ok(()),
        },
    ]);
}

#[test]
fn test_enough_requests() {
    // Upstream's node: 10 milli-cpu, 20 bytes of memory, 32 pods.
    let n = || node("n").allocatable(&[("cpu", "10m"), ("memory", "20"), ("pods", "32")]);
    let using = |cpu: &str, mem: &str| {
        pod("existing")
            .requests(&[("cpu", cpu), ("memory", mem)])
            .on("n")
            .phase("Running")
    };
    let fit = |rs: &[&str]| reasons(Plugin::NodeResourcesFit, rs);
    check_filters(vec![
        FilterCase {
            name: "no resources requested always fits",
            pod: pod("p"),
            node: n(),
            existing: vec![using("10m", "20")],
            want: Ok(()),
        },
        FilterCase {
            name: "too many resources fails",
            pod: pod("p").requests(&[("cpu", "1m"), ("memory", "1")]),
            node: n(),
            existing: vec![using("10m", "20")],
            want: fit(&["Insufficient cpu", "Insufficient memory"]),
        },
        FilterCase {
            name: "too many resources fails due to init container cpu",
            pod: pod("p")
                .requests(&[("cpu", "1m"), ("memory", "1")])
                .init(&[("cpu", "3m"), ("memory", "1")]),
            node: n(),
            existing: vec![using("8m", "19")],
            want: fit(&["Insufficient cpu"]),
        },
        FilterCase {
            name: "too many resources fails due to highest init container cpu",
            pod: pod("p")
                .requests(&[("cpu", "1m"), ("memory", "1")])
                .init(&[("cpu", "3m"), ("memory", "1")])
                .init(&[("cpu", "2m"), ("memory", "1")]),
            node: n(),
            existing: vec![using("8m", "19")],
            want: fit(&["Insufficient cpu"]),
        },
        FilterCase {
            name: "too many resources fails due to init container memory",
            pod: pod("p")
                .requests(&[("cpu", "1m"), ("memory", "1")])
                .init(&[("cpu", "1m"), ("memory", "3")]),
            node: n(),
            existing: vec![using("9m", "19")],
            want: fit(&["Insufficient memory"]),
        },
        FilterCase {
            name: "init container fits because it's the max, not sum, of containers and init containers",
            pod: pod("p")
                .requests(&[("cpu", "1m"), ("memory", "1")])
                .init(&[("cpu", "1m"), ("memory", "1")]),
            node: n(),
            existing: vec![using("9m", "19")],
            want: Ok(()),
        },
        FilterCase {
            name: "both resources fit",
            pod: pod("p").requests(&[("cpu", "1m"), ("memory", "1")]),
            node: n(),
            existing: vec![using("5m", "5")],
            want: Ok(()),
        },
        FilterCase {
            name: "one resource memory fits",
            pod: pod("p").requests(&[("cpu", "2m"), ("memory", "1")]),
            node: n(),
            existing: vec![using("9m", "5")],
            want: fit(&["Insufficient cpu"]),
        },
        FilterCase {
            name: "one resource cpu fits",
            pod: pod("p").requests(&[("cpu", "1m"), ("memory", "2")]),
            node: n(),
            existing: vec![using("5m", "19")],
            want: fit(&["Insufficient memory"]),
        },
        FilterCase {
            name: "equal edge case",
            pod: pod("p").requests(&[("cpu", "5m"), ("memory", "1")]),
            node: n(),
            existing: vec![using("5m", "19")],
            want: Ok(()),
        },
        FilterCase {
            name: "limits stand in for missing requests",
            pod: pod("p").limits(&[("cpu", "6m")]),
            node: n(),
            existing: vec![using("5m", "1")],
            want: fit(&["Insufficient cpu"]),
        },
        FilterCase {
            name: "extended resource the node does not have",
            pod: pod("p").requests(&[("example.com/foo", "1")]),
            node: n(),
            existing: vec![],
            want: fit(&["Insufficient example.com/foo"]),
        },
        FilterCase {
            name: "a terminated pod's requests are not counted",
            pod: pod("p").requests(&[("cpu", "5m")]),
            node: n(),
            existing: vec![using("10m", "20").phase("Failed")],
            want: Ok(()),
        },
        FilterCase {
            name: "even a pod without requests needs a pod slot",
            pod: pod("p"),
            node: node("n").allocatable(&[("cpu", "1"), ("memory", "1Gi"), ("pods", "1")]),
            existing: vec![pod("e").on("n").phase("Running")],
            want: fit(&["Too many pods"]),
        },
        FilterCase {
            name: "too many pods and insufficient cpu together",
            pod: pod("p").requests(&[("cpu", "2")]),
            node: node("n").allocatable(&[("cpu", "1"), ("memory", "1Gi"), ("pods", "1")]),
            existing: vec![pod("e").on("n").phase("Running")],
            want: fit(&["Too many pods", "Insufficient cpu"]),
        },
    ]);
}

#[test]
fn request_larger_than_the_node_is_unresolvable() {
    let store = store_with(&[node("n")], &[]);
    let p = pod("p").requests(&[("cpu", "5")]);
    let ev = evaluate(&store, &p.0);
    let f = ev.verdicts[0].result.as_ref().unwrap_err();
    assert_eq!(f.code, Code::UnschedulableAndUnresolvable);
    assert_eq!(f.preemption, PreemptionVerdict::NotHelpful);
    assert_eq!(
        failure_message(&ev),
        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
    );
}

// ---------------------------------------------------------------------------------------------
// PreFilter narrowing and the FitError message
// ---------------------------------------------------------------------------------------------

#[test]
fn prefilter_narrows_to_the_pinned_node() {
    let store = store_with(&[node("node-a"), node("node-b"), node("node-c")], &[]);
    let p = pod("ds").required(vec![term().field("metadata.name", "In", &["node-b"])]);
    let ev = evaluate(&store, &p.0);
    assert_eq!(ev.chosen.as_deref(), Some("node-b"));
    let got: Vec<(String, Result<(), String>)> = ev
        .verdicts
        .iter()
        .map(|v| {
            (
                v.node.clone(),
                v.result
                    .as_ref()
                    .map(|_| ())
                    .map_err(|f| format!("{} {}", f.plugin.as_str(), f.message())),
            )
        })
        .collect();
    let narrowed =
        || Err("NodeAffinity node(s) didn't satisfy plugin(s) [NodeAffinity]".to_string());
    assert_eq!(
        got,
        vec![
            ("node-a".to_string(), narrowed()),
            ("node-b".to_string(), Ok(())),
            ("node-c".to_string(), narrowed()),
        ]
    );
}

struct MessageCase {
    name: &'static str,
    nodes: Vec<NodeB>,
    existing: Vec<PodB>,
    pod: PodB,
    want: &'static str,
}

#[test]
fn fit_error_message_matches_upstream() {
    let full = |name: &str, node: &str, priority: i32| {
        pod(name)
            .requests(&[("cpu", "3")])
            .priority(priority)
            .on(node)
            .phase("Running")
    };
    let cases = vec![
        MessageCase {
            name: "affinity and taints (brief example)",
            nodes: vec![
                node("a").taint("dedicated", "gpu", "NoSchedule"),
                node("b").taint("dedicated", "gpu", "NoSchedule"),
                node("c"),
            ],
            existing: vec![],
            pod: pod("p").selector("disktype", "ssd"),
            want: "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
        },
        MessageCase {
            name: "control-plane taint and insufficient cpu (reference example)",
            nodes: vec![
                node("cp").taint("node-role.kubernetes.io/control-plane", "", "NoSchedule"),
                node("w1"),
                node("w2"),
            ],
            existing: vec![full("x1", "w1", 0), full("x2", "w2", 0)],
            pod: pod("p").requests(&[("cpu", "2")]),
            want: "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
        },
        MessageCase {
            name: "no nodes",
            nodes: vec![],
            existing: vec![],
            pod: pod("p"),
            want: "no nodes available to schedule pods",
        },
        MessageCase {
            name: "lower-priority pods exist but evicting them is not enough",
            nodes: vec![node("w1")],
            existing: vec![full("low", "w1", 0), full("high", "w1", 10)],
            pod: pod("p").requests(&[("cpu", "2")]).priority(5),
            want: "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.",
        },
        MessageCase {
            name: "evicting lower-priority pods would make room: no preemption part",
            nodes: vec![node("w1")],
            existing: vec![full("low", "w1", 0)],
            pod: pod("p").requests(&[("cpu", "2")]).priority(5),
            want: "0/1 nodes are available: 1 Insufficient cpu.",
        },
        MessageCase {
            name: "preemptionPolicy Never",
            nodes: vec![node("w1")],
            existing: vec![full("low", "w1", 0)],
            pod: pod("p").requests(&[("cpu", "2")]).priority(5).preemption_never(),
            want: "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..",
        },
        MessageCase {
            name: "one node short of two resources counts both",
            nodes: vec![node("w1")],
            existing: vec![],
            pod: pod("p").requests(&[("cpu", "5"), ("memory", "9Gi")]),
            want: "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
        },
        MessageCase {
            name: "entries sort as strings, so 10 comes before 2",
            nodes: (0..12)
                .map(|i| {
                    let n = node(&format!("n{i:02}"));
                    if i < 2 {
                        n.unschedulable()
                    } else {
                        n
                    }
                })
                .collect(),
            existing: vec![],
            pod: pod("p").selector("disktype", "ssd"),
            want: "0/12 nodes are available: 10 node(s) didn't match Pod's node affinity/selector, 2 node(s) were unschedulable. preemption: 0/12 nodes are available: 12 Preemption is not helpful for scheduling.",
        },
        MessageCase {
            name: "pinned to a node that does not exist",
            nodes: vec![node("a"), node("b")],
            existing: vec![],
            pod: pod("p").required(vec![term().field("metadata.name", "In", &["gone"])]),
            want: "0/2 nodes are available: 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
        },
        MessageCase {
            name: "pinned to a node that rejects the pod",
            nodes: vec![node("a"), node("b").taint("k", "v", "NoSchedule")],
            existing: vec![],
            pod: pod("p").required(vec![term().field("metadata.name", "In", &["b"])]),
            want: "0/2 nodes are available: 1 node(s) didn't satisfy plugin(s) [NodeAffinity], 1 node(s) had untolerated taint {k: v}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
        },
        MessageCase {
            name: "terms pinning disjoint names conflict at PreFilter",
            nodes: vec![node("a"), node("b"), node("c")],
            existing: vec![],
            pod: pod("p").required(vec![term()
                .field("metadata.name", "In", &["a"])
                .field("metadata.name", "In", &["b"])]),
            want: "0/3 nodes are available: pod affinity terms conflict. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
        },
        MessageCase {
            name: "host port taken",
            nodes: vec![node("a")],
            existing: vec![pod("e").host_port("", "TCP", 80).on("a").phase("Running")],
            pod: pod("p").host_port("", "TCP", 80),
            want: "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
        },
    ];
    for c in cases {
        let store = store_with(&c.nodes, &c.existing);
        let ev = evaluate(&store, &c.pod.0);
        assert_eq!(ev.chosen, None, "{}", c.name);
        assert_eq!(failure_message(&ev), c.want, "{}", c.name);
        // The pass writes the same text into the condition and the event.
        let mut s = Scheduler::default();
        let out = s.sync(
            &store_with(
                &c.nodes,
                &[c.existing.clone(), vec![c.pod.clone()]].concat(),
            ),
            SimTime(0),
        );
        let cond_msg = out.actions.iter().find_map(|a| match a {
            Action::Update(Object::Pod(p)) => p
                .status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .and_then(|cs| cs.iter().find(|c| c.type_ == "PodScheduled"))
                .and_then(|c| c.message.clone()),
            _ => None,
        });
        assert_eq!(cond_msg.as_deref(), Some(c.want), "{}", c.name);
    }
}

#[test]
fn long_event_messages_are_truncated_like_upstream() {
    let long = "x".repeat(2000);
    let t = truncate_message(&long);
    assert_eq!(t.len(), 1024);
    assert!(t.ends_with(" ..."));
    assert_eq!(truncate_message("short"), "short");
}

// ---------------------------------------------------------------------------------------------
// Scores
// ---------------------------------------------------------------------------------------------

struct ScoreCase {
    name: &'static str,
    nodes: Vec<NodeB>,
    existing: Vec<PodB>,
    pod: PodB,
    want: &'static str,
}

#[test]
fn scoring_picks_the_best_node() {
    let cases = vec![
        ScoreCase {
            name: "least allocated picks the emptier node",
            nodes: vec![node("a"), node("b")],
            existing: vec![pod("e")
                .requests(&[("cpu", "2"), ("memory", "1Gi")])
                .on("a")
                .phase("Running")],
            pod: pod("p").requests(&[("cpu", "1"), ("memory", "1Gi")]),
            want: "b",
        },
        ScoreCase {
            name: "pods without requests count 100m/200Mi for scoring",
            nodes: vec![node("a"), node("b")],
            existing: (0..3)
                .map(|i| pod(&format!("e{i}")).on("a").phase("Running"))
                .collect(),
            pod: pod("p"),
            want: "b",
        },
        ScoreCase {
            name: "ties go to the first node by name",
            nodes: vec![node("b"), node("a"), node("c")],
            existing: vec![],
            pod: pod("p"),
            want: "a",
        },
        ScoreCase {
            name: "an intolerable PreferNoSchedule taint loses",
            nodes: vec![
                node("a").taint("spot", "true", "PreferNoSchedule"),
                node("b"),
            ],
            existing: vec![],
            pod: pod("p"),
            want: "b",
        },
        ScoreCase {
            name: "a tolerated PreferNoSchedule taint does not",
            nodes: vec![
                node("a").taint("spot", "true", "PreferNoSchedule"),
                node("b"),
            ],
            existing: vec![],
            pod: pod("p").tolerate("spot", "Exists", "", "PreferNoSchedule"),
            want: "a",
        },
        ScoreCase {
            name: "preferred affinity weights beat the name order",
            nodes: vec![node("a"), node("b").label("zone", "z2")],
            existing: vec![],
            pod: pod("p").preferred(10, term().expr("zone", "In", &["z2"])),
            want: "b",
        },
        ScoreCase {
            name: "the heavier preferred term wins",
            nodes: vec![
                node("a").label("disk", "ssd"),
                node("b").label("zone", "z2"),
            ],
            existing: vec![],
            pod: pod("p")
                .preferred(5, term().expr("disk", "In", &["ssd"]))
                .preferred(50, term().expr("zone", "In", &["z2"])),
            want: "b",
        },
    ];
    for c in cases {
        let store = store_with(&c.nodes, &c.existing);
        let ev = evaluate(&store, &c.pod.0);
        assert_eq!(ev.chosen.as_deref(), Some(c.want), "{}", c.name);
        let mut s = Scheduler::default();
        let all = [c.existing.clone(), vec![c.pod.clone()]].concat();
        let out = s.sync(&store_with(&c.nodes, &all), SimTime(0));
        let bound = out.actions.iter().find_map(|a| match a {
            Action::Bind { node, .. } => Some(node.clone()),
            _ => None,
        });
        assert_eq!(bound.as_deref(), Some(c.want), "{}: sync agrees", c.name);
    }
}

#[test]
fn scores_follow_the_upstream_formulas() {
    let store = store_with(
        &[node("a"), node("b").taint("spot", "", "PreferNoSchedule")],
        &[],
    );
    let p = pod("p")
        .requests(&[("cpu", "1"), ("memory", "1Gi")])
        .preferred(7, term().expr("kubernetes.io/hostname", "In", &["b"]));
    let ev = evaluate(&store, &p.0);
    let scores: Vec<NodeScore> = ev
        .verdicts
        .iter()
        .map(|v| *v.result.as_ref().unwrap())
        .collect();
    // cpu (4000-1000)*100/4000 = 75, memory (8Gi-1Gi)*100/8Gi = 87, mean 81.
    assert_eq!(
        scores[0],
        NodeScore {
            total: 81 + 3 * 100,
            node_resources_fit: 81,
            taint_toleration: 100,
            node_affinity: 0
        }
    );
    assert_eq!(
        scores[1],
        NodeScore {
            total: 81 + 2 * 100,
            node_resources_fit: 81,
            taint_toleration: 0,
            node_affinity: 100
        }
    );
    assert_eq!(ev.chosen.as_deref(), Some("a"));
}

// ---------------------------------------------------------------------------------------------
// Passes
// ---------------------------------------------------------------------------------------------

fn cluster_with(nodes: &[NodeB]) -> Cluster {
    let mut c = Cluster::new(7);
    for n in nodes {
        let mut n = n.0.clone();
        n.metadata.uid = None;
        c.create(Object::Node(n)).unwrap();
    }
    c.settle();
    c
}

fn create_pod(c: &mut Cluster, p: PodB) {
    let mut p = p.0;
    p.metadata.uid = None;
    p.status = None;
    c.create(Object::Pod(p)).unwrap();
}

fn live_pod<'a>(c: &'a Cluster, name: &str) -> &'a Pod {
    c.store().pod("default", name).unwrap()
}

fn node_of(c: &Cluster, name: &str) -> Option<String> {
    live_pod(c, name)
        .spec
        .as_ref()
        .and_then(|s| s.node_name.clone())
}

fn pod_scheduled(c: &Cluster, name: &str) -> Option<PodCondition> {
    live_pod(c, name)
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "PodScheduled"))
        .cloned()
}

/// (type, reason, message, count, source) of the events about a pod.
fn events_of(c: &Cluster, name: &str) -> Vec<(String, String, String, i32, String)> {
    c.store()
        .list(Kind::Event)
        .filter_map(|o| match o {
            Object::Event(e) if e.involved_object.name.as_deref() == Some(name) => Some((
                e.type_.clone().unwrap_or_default(),
                e.reason.clone().unwrap_or_default(),
                e.message.clone().unwrap_or_default(),
                // As kubectl reads them: the scheduler's events.k8s.io/v1 events count in
                // their series (a singleton has neither) and name their reporting controller.
                e.series
                    .as_ref()
                    .and_then(|s| s.count)
                    .or(e.count)
                    .unwrap_or(1),
                e.source
                    .as_ref()
                    .and_then(|s| s.component.clone())
                    .or(e.reporting_component.clone())
                    .unwrap_or_default(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn binds_a_pod_and_records_scheduled() {
    let mut c = cluster_with(&[node("node-1")]);
    create_pod(&mut c, pod("web"));
    c.settle();
    assert_eq!(node_of(&c, "web").as_deref(), Some("node-1"));
    let cond = pod_scheduled(&c, "web").unwrap();
    assert_eq!(
        (cond.status.as_str(), cond.reason.as_deref()),
        ("True", None)
    );
    let scheduled: Vec<_> = events_of(&c, "web")
        .into_iter()
        .filter(|e| e.1 == "Scheduled")
        .collect();
    assert_eq!(
        scheduled,
        vec![(
            "Normal".to_string(),
            "Scheduled".to_string(),
            "Successfully assigned default/web to node-1".to_string(),
            1,
            "default-scheduler".to_string()
        )]
    );
}

#[test]
fn unschedulable_pod_waits_for_a_relevant_change_and_its_backoff() {
    let mut c = cluster_with(&[node("node-1")]);
    create_pod(&mut c, pod("web").selector("disktype", "ssd"));
    c.settle();
    let msg = "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
    let cond = pod_scheduled(&c, "web").unwrap();
    assert_eq!(
        (
            cond.status.as_str(),
            cond.reason.as_deref(),
            cond.message.as_deref()
        ),
        ("False", Some("Unschedulable"), Some(msg))
    );
    let failed = |c: &Cluster| {
        events_of(c, "web")
            .into_iter()
            .filter(|e| e.1 == "FailedScheduling")
            .map(|e| (e.0, e.2, e.3, e.4))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        failed(&c),
        vec![(
            "Warning".to_string(),
            msg.to_string(),
            1,
            "default-scheduler".to_string()
        )]
    );
    // Time alone retries nothing.
    c.advance(60_000);
    assert_eq!(failed(&c)[0].2, 1);
    assert!(!c.step(), "an idle pass writes nothing");
    // An unrelated node arrives: a retry (after back-off), same message, count 2.
    let mut n2 = node("node-2").0;
    n2.metadata.uid = None;
    c.create(Object::Node(n2)).unwrap();
    c.advance(1_000);
    let msg2 = "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
    assert_eq!(
        pod_scheduled(&c, "web").unwrap().message.as_deref(),
        Some(msg2)
    );
    // Labelling the node is a Node write: the pod lands once its back-off (2 s now) passes.
    let mut n = c.store().node("node-2").unwrap().clone();
    n.metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert("disktype".into(), "ssd".into());
    c.replace(Object::Node(n)).unwrap();
    c.settle();
    assert_eq!(node_of(&c, "web"), None, "still backing off");
    c.advance(2_000);
    assert_eq!(node_of(&c, "web").as_deref(), Some("node-2"));
    assert_eq!(pod_scheduled(&c, "web").unwrap().status, "True");
}

#[test]
fn a_deleted_pod_frees_room_for_a_pending_one() {
    let small = || node("node-1").allocatable(&[("cpu", "1"), ("memory", "1Gi"), ("pods", "110")]);
    let mut c = cluster_with(&[small()]);
    create_pod(&mut c, pod("first").requests(&[("cpu", "1")]));
    c.settle();
    create_pod(&mut c, pod("second").requests(&[("cpu", "1")]));
    c.settle();
    assert_eq!(node_of(&c, "first").as_deref(), Some("node-1"));
    assert_eq!(node_of(&c, "second"), None);
    assert_eq!(
        pod_scheduled(&c, "second").unwrap().message.as_deref(),
        Some("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.")
    );
    let key = ObjectKey::new(Kind::Pod, "default", "first");
    c.delete(
        &key,
        &DeleteOptions {
            grace_period_seconds: Some(0),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(c.run_until_idle(120_000));
    assert_eq!(node_of(&c, "second").as_deref(), Some("node-1"));
}

#[test]
fn pods_bound_earlier_in_a_pass_count_and_priority_goes_first() {
    let two_cpus =
        || node("node-1").allocatable(&[("cpu", "2"), ("memory", "8Gi"), ("pods", "110")]);
    let store = store_with(
        &[two_cpus()],
        &[
            pod("a-low").requests(&[("cpu", "1")]),
            pod("b-low").requests(&[("cpu", "1")]),
            pod("c-high").requests(&[("cpu", "1")]).priority(100),
        ],
    );
    let mut s = Scheduler::default();
    let out = s.sync(&store, SimTime(0));
    let mut bound = Vec::new();
    let mut failed = Vec::new();
    for a in &out.actions {
        match a {
            Action::Bind { key, .. } => bound.push(key.name.clone()),
            Action::Update(Object::Pod(p)) => failed.push(p.metadata.name.clone().unwrap()),
            _ => {}
        }
    }
    assert_eq!(bound, vec!["c-high", "a-low"]);
    assert_eq!(failed, vec!["b-low"]);
    // A second pass over the unchanged store does nothing.
    assert_eq!(s.sync(&store, SimTime(0)), Outcome::none());
}

#[test]
fn ignores_pods_that_are_not_ours() {
    let mut other = pod("other");
    other.spec().scheduler_name = Some("my-scheduler".into());
    let store = store_with(
        &[node("n")],
        &[other, pod("bound").on("n"), pod("done").phase("Succeeded")],
    );
    let mut s = Scheduler::default();
    assert_eq!(s.sync(&store, SimTime(0)), Outcome::none());
}

#[test]
fn idle_pass_writes_nothing() {
    let mut c = cluster_with(&[node("n1"), node("n2")]);
    for i in 0..5 {
        create_pod(&mut c, pod(&format!("p{i}")));
    }
    create_pod(&mut c, pod("stuck").selector("nope", "x"));
    c.settle();
    let before = c.store().revision();
    assert!(!c.step());
    assert_eq!(c.store().revision(), before);
    // A scheduler that has seen this store answers a repeat with nothing at all.
    let mut s = Scheduler::default();
    let first = s.sync(c.store(), c.now());
    assert!(
        !first.actions.is_empty(),
        "a fresh scheduler attempts the stuck pod once"
    );
    assert!(
        first
            .actions
            .iter()
            .all(|a| matches!(a, Action::Event(e) if e.reason == "FailedScheduling")),
        "the condition is unchanged, so only the event is recorded"
    );
    assert_eq!(s.sync(c.store(), c.now()), Outcome::none());
}

#[test]
fn same_seed_same_placements() {
    let run = || {
        let mut c = cluster_with(&[node("n1"), node("n2"), node("n3")]);
        for i in 0..12 {
            create_pod(
                &mut c,
                pod(&format!("p{i:02}")).requests(&[("cpu", "300m")]),
            );
        }
        c.settle();
        (0..12)
            .map(|i| node_of(&c, &format!("p{i:02}")).unwrap_or_default())
            .collect::<Vec<_>>()
    };
    let a = run();
    assert_eq!(a, run());
    // LeastAllocated spreads them evenly.
    for n in ["n1", "n2", "n3"] {
        assert_eq!(a.iter().filter(|x| *x == n).count(), 4, "{a:?}");
    }
}

#[test]
fn identical_pending_pods_share_one_evaluation() {
    // 200 replicas on 3 full nodes: the message is computed once and is right for each.
    let nodes: Vec<NodeB> = (0..3).map(|i| node(&format!("n{i}"))).collect();
    let pods: Vec<PodB> = (0..200)
        .map(|i| pod(&format!("r{i:03}")).requests(&[("cpu", "3")]))
        .collect();
    let store = store_with(&nodes, &pods);
    let mut s = Scheduler::default();
    let out = s.sync(&store, SimTime(0));
    let msgs: Vec<String> = out
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Event(e) if e.reason == "FailedScheduling" => Some(e.message.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(msgs.len(), 197);
    let want = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
    assert!(msgs.iter().all(|m| m == want), "{:?}", msgs.first());
}

#[test]
fn num_feasible_nodes_to_find_follows_percentage_of_nodes_to_score() {
    let got: Vec<(usize, usize)> = [0, 50, 99, 100, 200, 1_000, 5_000, 6_000, 100_000]
        .into_iter()
        .map(|n| (n, num_feasible_nodes_to_find(n)))
        .collect();
    assert_eq!(
        got,
        vec![
            (0, 0),
            (50, 50),
            (99, 99),
            (100, 100),
            (200, 100),
            (1_000, 420),
            (5_000, 500),
            (6_000, 300),
            (100_000, 5_000)
        ]
    );
}

#[test]
fn big_clusters_filter_from_where_the_previous_pod_stopped() {
    // 200 empty nodes: each pod stops after 100 feasible ones, the next starts after them.
    let nodes: Vec<NodeB> = (0..200).map(|i| node(&format!("node-{i:03}"))).collect();
    let store = store_with(&nodes, &[pod("a"), pod("b"), pod("c")]);
    let mut s = Scheduler::default();
    let out = s.sync(&store, SimTime(0));
    let placed: Vec<(String, String)> = out
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Bind { key, node, .. } => Some((key.name.clone(), node.clone())),
            _ => None,
        })
        .collect();
    let want = [("a", "node-000"), ("b", "node-100"), ("c", "node-001")];
    assert_eq!(
        placed,
        want.map(|(p, n)| (p.to_string(), n.to_string())).to_vec()
    );
}

#[test]
fn backoff_doubles_to_ten_seconds() {
    let got: Vec<Millis> = (1..=6).map(backoff).collect();
    assert_eq!(got, vec![1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
}

/// 5,000 nodes × 5,000 pods in one pass (release builds; a smaller cluster in debug).
#[test]
fn schedules_thousands_of_pods_in_one_pass() {
    let n: usize = if cfg!(debug_assertions) { 300 } else { 5_000 };
    let nodes: Vec<NodeB> = (0..n).map(|i| node(&format!("node-{i:05}"))).collect();
    let pods: Vec<PodB> = (0..n)
        .map(|i| pod(&format!("pod-{i:05}")).requests(&[("cpu", "100m"), ("memory", "64Mi")]))
        .collect();
    let store = store_with(&nodes, &pods);
    let mut s = Scheduler::default();
    let out = s.sync(&store, SimTime(0));
    let mut per_node: BTreeMap<String, usize> = BTreeMap::new();
    for a in &out.actions {
        if let Action::Bind { node, .. } = a {
            *per_node.entry(node.clone()).or_insert(0) += 1;
        }
    }
    // Every pod bound; LeastAllocated over the sampled nodes spreads them, at most two a node.
    assert_eq!(per_node.values().sum::<usize>(), n);
    let most = per_node.values().copied().max().unwrap_or(0);
    assert!(most <= 2, "{most} pods on one node");
}
