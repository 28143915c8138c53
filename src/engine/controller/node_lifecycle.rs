//! Node lifecycle and taint-based eviction (`pkg/controller/nodelifecycle`,
//! `pkg/controller/tainteviction`).
//!
//! - A node whose kubelet stopped posting for the node-monitor grace period (50 s) gets
//!   `Ready=Unknown` (MemoryPressure, DiskPressure and PIDPressure too; NetworkUnavailable is
//!   left alone) and the `node.kubernetes.io/unreachable` NoSchedule + NoExecute taints.
//! - TaintNodesByCondition (`doNoScheduleTaintingPass`, `nodeConditionToTaintKeyStatusMap`):
//!   Ready False → `not-ready`, Ready Unknown → `unreachable`, MemoryPressure / DiskPressure /
//!   PIDPressure / NetworkUnavailable True → `memory-pressure` / `disk-pressure` /
//!   `pid-pressure` / `network-unavailable`, all NoSchedule, in the order the node lists its
//!   conditions; `spec.unschedulable` → `unschedulable:NoSchedule`. Taints no condition calls
//!   for any more come off. Every taint the controller adds carries `timeAdded`
//!   (`SwapNodeControllerTaint`).
//! - NoExecute (`doNoExecuteTaintingPass`, `processTaintBaseEviction`): Ready False →
//!   `not-ready:NoExecute`, Unknown → `unreachable:NoExecute`, swapped at once when the node
//!   moves between the two, removed when it is Ready again.
//! - While Ready is not True (Unknown, or False as a kubelet whose runtime is down posts it
//!   through `sim node condition NODE Ready=False`) its pods are marked not ready
//!   (`MarkPodsNotReady`: only the pod's `Ready` condition turns False, with a `NodeNotReady`
//!   event; the containers' `ready` fields stay as the kubelet last reported them, so `kubectl
//!   get pods` still prints `1/1 Running`, as on a real cluster, while EndpointSlices drop the
//!   pod). The `NodeNotReady` node event of the controller comes only when it turns a Ready node
//!   Unknown itself. When the kubelet posts Ready again the taints go.
//! - Pods that do not tolerate a NoExecute taint of their node are evicted, those tolerating it
//!   for `tolerationSeconds` when that runs out (the DefaultTolerationSeconds admission gives
//!   every pod 300 s for not-ready and unreachable): see [`super::taint_eviction`], which this
//!   controller's pass runs.
//!
//! - Disruption (`handleDisruption`, zones by the region/zone topology labels): when every zone
//!   has no Ready node ("master disruption mode": the controller blames its own network) no
//!   NoExecute unreachable/not-ready taint is added and those present are removed, so nothing is
//!   evicted (a one-node cluster whose node goes down keeps its pods); in a zone of at most 50
//!   nodes with more than 2 and at least 55% not Ready (partial disruption) no new NoExecute taint
//!   is added (swapping not-ready and unreachable still happens, as it is not rate limited).
//!   Upstream also rate-limits tainting to 0.1 node/s per zone; we taint at once.
//!
//! Simplifications: conditions change only through `sim node down|up` and `sim node condition`
//! (the kubelet's eviction manager measures nothing, so pressure never evicts pods or refuses
//! BestEffort ones); the NoSchedule and NoExecute passes run together in one pass per step
//! rather than as two workers.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, NodeCondition, Pod, PodCondition, Taint};

use crate::engine::api::taints::{TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE};
use crate::engine::api::Object;
use crate::engine::clock::SimTime;
use crate::engine::controller::daemonset::placement::{
    TAINT_DISK_PRESSURE, TAINT_MEMORY_PRESSURE, TAINT_NETWORK_UNAVAILABLE, TAINT_PID_PRESSURE,
};
use crate::engine::controller::taint_eviction::{update_pod_condition, TaintEviction};
use crate::engine::controller::{Action, EventRecord, EventType, Outcome};
use crate::engine::kubelet::{node_ready_status, Kubelet, NodeConditionType};
use crate::engine::store::Store;
use crate::engine::Config;

/// Controller state: only the taint eviction controller's (the rest is re-read from the store
/// and the kubelets).
#[derive(Debug, Clone, Default)]
pub struct NodeLifecycle {
    /// `pkg/controller/tainteviction`, run at the end of each pass.
    pub taint_eviction: TaintEviction,
}

fn has_taint(node: &Node, key: &str, effect: &str) -> bool {
    node.spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())
        .is_some_and(|ts| ts.iter().any(|t| t.key == key && t.effect == effect))
}

/// The node's Ready condition is there and not True (False or Unknown): its pods are marked
/// not ready (`processPod`'s test; `monitorNodeHealth` marks them on the transition).
fn not_ready_or_unknown(node: &Node) -> bool {
    node_ready_status(node).is_some_and(|s| s != "True")
}

/// What the state of the node's zone lets the NoExecute tainting do (`handleDisruption`,
/// `setLimiterInZone`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NoExecuteTainting {
    /// Normal (or a fully disrupted zone while another zone is not): taints go on as needed.
    Allowed,
    /// Partial disruption in a zone of at most 50 nodes: the tainting rate is 0, so no new
    /// NoExecute taint goes on; taints of nodes that are Ready again still come off.
    Paused,
    /// Every zone fully disrupted ("master disruption mode"): the controller assumes its own
    /// network is at fault, takes every NoExecute unreachable/not-ready taint off and adds none.
    Stopped,
}

/// A zone's state from its nodes' Ready conditions (`ComputeZoneState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ZoneState {
    Normal,
    PartialDisruption,
    FullDisruption,
}

/// `unhealthyZoneThreshold` (`--unhealthy-zone-threshold`).
const UNHEALTHY_ZONE_THRESHOLD: f64 = 0.55;
/// `largeClusterThreshold` (`--large-cluster-size-threshold`).
const LARGE_CLUSTER_THRESHOLD: usize = 50;

fn compute_zone_state(ready: usize, not_ready: usize) -> ZoneState {
    if ready == 0 && not_ready > 0 {
        ZoneState::FullDisruption
    } else if not_ready > 2
        && not_ready as f64 / (not_ready + ready) as f64 >= UNHEALTHY_ZONE_THRESHOLD
    {
        ZoneState::PartialDisruption
    } else {
        ZoneState::Normal
    }
}

/// `GetZoneKey`: region and zone labels.
fn zone_key(node: &Node) -> (String, String) {
    let label = |k: &str| {
        node.metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(k))
            .cloned()
            .unwrap_or_default()
    };
    (
        label("topology.kubernetes.io/region"),
        label("topology.kubernetes.io/zone"),
    )
}

/// `nodeConditionToTaintKeyStatusMap`: the NoSchedule taint a condition in a status calls for
/// (TaintNodesByCondition).
fn condition_taint_key(type_: &str, status: &str) -> Option<&'static str> {
    match (type_, status) {
        ("Ready", "False") => Some(TAINT_NOT_READY),
        ("Ready", "Unknown") => Some(TAINT_UNREACHABLE),
        ("MemoryPressure", "True") => Some(TAINT_MEMORY_PRESSURE),
        ("DiskPressure", "True") => Some(TAINT_DISK_PRESSURE),
        ("NetworkUnavailable", "True") => Some(TAINT_NETWORK_UNAVAILABLE),
        ("PIDPressure", "True") => Some(TAINT_PID_PRESSURE),
        _ => None,
    }
}

/// Every NoSchedule taint key the controller owns (`taintKeyToNodeConditionMap` plus
/// unschedulable): those it removes when no condition calls for them.
const NO_SCHEDULE_TAINT_KEYS: [&str; 7] = [
    TAINT_NOT_READY,
    TAINT_UNREACHABLE,
    TAINT_MEMORY_PRESSURE,
    TAINT_DISK_PRESSURE,
    TAINT_NETWORK_UNAVAILABLE,
    TAINT_PID_PRESSURE,
    TAINT_UNSCHEDULABLE,
];

/// `doNoScheduleTaintingPass`: the NoSchedule taints the node's conditions (in the order the
/// node lists them) and `spec.unschedulable` call for.
fn no_schedule_taint_keys(node: &Node) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = node
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .into_iter()
        .flatten()
        .filter_map(|c| condition_taint_key(&c.type_, &c.status))
        .collect();
    if node
        .spec
        .as_ref()
        .and_then(|s| s.unschedulable)
        .unwrap_or(false)
    {
        keys.push(TAINT_UNSCHEDULABLE);
    }
    keys.dedup();
    keys
}

/// Whether the node's conditions or `spec.unschedulable` call for the NoSchedule taint `key`.
fn no_schedule_wanted(node: &Node, key: &str) -> bool {
    let by_condition = node
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .into_iter()
        .flatten()
        .any(|c| condition_taint_key(&c.type_, &c.status) == Some(key));
    by_condition
        || (key == TAINT_UNSCHEDULABLE
            && node
                .spec
                .as_ref()
                .and_then(|s| s.unschedulable)
                .unwrap_or(false))
}

/// `doNoExecuteTaintingPass` / `processTaintBaseEviction`: whether the unreachable and the
/// not-ready NoExecute taints are wanted (Ready Unknown → unreachable, False → not-ready,
/// swapped at once when the node moves between the two, even while a partial disruption
/// pauses new NoExecute taints, as the swap is not rate limited).
fn no_execute_wanted(node: &Node, tainting: NoExecuteTainting) -> [(&'static str, bool); 2] {
    let ready = node_ready_status(node);
    let unknown = ready.as_deref() == Some("Unknown");
    let not_ready = ready.as_deref() == Some("False");
    let wanted = |key: &str, other: &str, cond: bool| match tainting {
        NoExecuteTainting::Allowed => cond,
        NoExecuteTainting::Paused => {
            cond && (has_taint(node, key, "NoExecute") || has_taint(node, other, "NoExecute"))
        }
        NoExecuteTainting::Stopped => false,
    };
    [
        (
            TAINT_UNREACHABLE,
            wanted(TAINT_UNREACHABLE, TAINT_NOT_READY, unknown),
        ),
        (
            TAINT_NOT_READY,
            wanted(TAINT_NOT_READY, TAINT_UNREACHABLE, not_ready),
        ),
    ]
}

/// The taints the node's conditions and `spec.unschedulable` call for, as (key, effect,
/// wanted): the NoSchedule ones of TaintNodesByCondition (wanted ones first, in the order they
/// are added), then the NoExecute ones.
fn wanted_taints(
    node: &Node,
    tainting: NoExecuteTainting,
) -> Vec<(&'static str, &'static str, bool)> {
    let wanted_ns = no_schedule_taint_keys(node);
    let mut out: Vec<(&'static str, &'static str, bool)> =
        wanted_ns.iter().map(|k| (*k, "NoSchedule", true)).collect();
    out.extend(
        NO_SCHEDULE_TAINT_KEYS
            .iter()
            .filter(|k| !wanted_ns.contains(k))
            .map(|k| (*k, "NoSchedule", false)),
    );
    out.extend(
        no_execute_wanted(node, tainting)
            .into_iter()
            .map(|(key, wanted)| (key, "NoExecute", wanted)),
    );
    out
}

/// Whether the taint pass would leave the node exactly as it is: it has a spec, no empty taint
/// list, and every wanted taint present and every unwanted one absent. Run for every node on
/// every pass, so it allocates nothing.
fn node_taints_settled(node: &Node, tainting: NoExecuteTainting) -> bool {
    node.spec
        .as_ref()
        .is_some_and(|s| s.taints.as_ref().is_none_or(|t| !t.is_empty()))
        && NO_SCHEDULE_TAINT_KEYS
            .iter()
            .all(|key| has_taint(node, key, "NoSchedule") == no_schedule_wanted(node, key))
        && no_execute_wanted(node, tainting)
            .iter()
            .all(|&(key, wanted)| has_taint(node, key, "NoExecute") == wanted)
}

/// Puts on and takes off the taints [`wanted_taints`] decides (`SwapNodeControllerTaint`: each
/// added taint gets `timeAdded`); an emptied taint list is dropped.
fn apply_taints(n: &mut Node, tainting: NoExecuteTainting, now: SimTime) {
    for (key, effect, wanted) in wanted_taints(n, tainting) {
        let present = has_taint(n, key, effect);
        let spec = n.spec.get_or_insert_with(Default::default);
        if wanted && !present {
            spec.taints.get_or_insert_with(Vec::new).push(Taint {
                key: key.to_string(),
                value: None,
                effect: effect.to_string(),
                time_added: Some(now.to_k8s()),
            });
        } else if !wanted && present {
            if let Some(ts) = spec.taints.as_mut() {
                ts.retain(|t| !(t.key == key && t.effect == effect));
            }
        }
    }
    if let Some(spec) = n.spec.as_mut() {
        if spec.taints.as_ref().is_some_and(|t| t.is_empty()) {
            spec.taints = None;
        }
    }
}

/// `tryUpdateNodeHealth` past the grace period: Ready, MemoryPressure, DiskPressure and
/// PIDPressure turn Unknown (`NodeStatusUnknown`, "Kubelet stopped posting node status.",
/// transition now; the heartbeat stays the kubelet's last), one never posted is added as
/// `NodeStatusNeverUpdated`; NetworkUnavailable, managed at the control-plane level, stays.
fn mark_conditions_unknown(n: &mut Node, now: SimTime) {
    let created = n.metadata.creation_timestamp.clone();
    let status = n.status.get_or_insert_with(Default::default);
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    for ty in [
        NodeConditionType::Ready,
        NodeConditionType::MemoryPressure,
        NodeConditionType::DiskPressure,
        NodeConditionType::PIDPressure,
    ] {
        match conditions.iter_mut().find(|c| c.type_ == ty.as_str()) {
            Some(c) => {
                if c.status != "Unknown" {
                    c.status = "Unknown".to_string();
                    c.reason = Some("NodeStatusUnknown".to_string());
                    c.message = Some("Kubelet stopped posting node status.".to_string());
                    c.last_transition_time = Some(now.to_k8s());
                }
            }
            None => conditions.push(NodeCondition {
                type_: ty.as_str().to_string(),
                status: "Unknown".to_string(),
                reason: Some("NodeStatusNeverUpdated".to_string()),
                message: Some("Kubelet never posted node status.".to_string()),
                last_heartbeat_time: created.clone(),
                last_transition_time: Some(now.to_k8s()),
            }),
        }
    }
}

impl NodeLifecycle {
    /// One pass over every node and the pods bound to it.
    pub fn sync(
        &mut self,
        store: &Store,
        kubelet: &Kubelet,
        config: &Config,
        now: SimTime,
    ) -> Outcome {
        let mut out = Outcome::none();
        // Pods by node, built once per pass: looking them up per node would make a pass
        // O(nodes × pods). Finished pods are left alone, so settled ones need no look.
        // Built only when some node is unreachable or has a NoExecute taint: otherwise no pod
        // needs a look.
        let mut pods_by_node: Option<BTreeMap<&str, Vec<&Pod>>> = None;
        let build = || {
            let mut by_node: BTreeMap<&str, Vec<&Pod>> = Default::default();
            for pod in store.unsettled_pods() {
                if let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) {
                    by_node.entry(node).or_default().push(pod);
                }
            }
            by_node
        };
        let down_since = |name: &str| {
            kubelet
                .agent(name)
                .and_then(|a| if a.up { None } else { a.down_since })
        };
        let marks_unknown = |node: &Node, down_since: Option<SimTime>| {
            down_since.is_some_and(|since| {
                now >= since.plus(config.node_monitor_grace_ms)
                    && node_ready_status(node).as_deref() != Some("Unknown")
            })
        };
        // Ready and not-ready nodes per zone, as this pass leaves them (`handleDisruption`).
        let mut zones: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
        for node in store.nodes() {
            let name = node.metadata.name.as_deref().unwrap_or_default();
            let ready = node_ready_status(node).as_deref() == Some("True")
                && !marks_unknown(node, down_since(name));
            let entry = zones.entry(zone_key(node)).or_default();
            if ready {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
        }
        let all_fully_disrupted = !zones.is_empty()
            && zones
                .values()
                .all(|&(r, nr)| compute_zone_state(r, nr) == ZoneState::FullDisruption);
        for node in store.nodes() {
            let name = node.metadata.name.as_deref().unwrap_or_default();
            let ready = node_ready_status(node);
            let down_since = down_since(name);
            let mark_unknown = marks_unknown(node, down_since);
            // Most passes change no node: check first, and copy the node only to change it.
            let tainting = if all_fully_disrupted {
                NoExecuteTainting::Stopped
            } else {
                match zones.get(&zone_key(node)) {
                    Some(&(ready, not_ready))
                        if compute_zone_state(ready, not_ready) == ZoneState::PartialDisruption
                            && ready + not_ready <= LARGE_CLUSTER_THRESHOLD =>
                    {
                        NoExecuteTainting::Paused
                    }
                    _ => NoExecuteTainting::Allowed,
                }
            };
            if !mark_unknown && node_taints_settled(node, tainting) {
                if let Some(since) = down_since {
                    let due = since.plus(config.node_monitor_grace_ms);
                    if now < due {
                        out.requeue_at(due);
                    }
                }
                if not_ready_or_unknown(node) {
                    let pods = pods_by_node
                        .get_or_insert_with(build)
                        .get(name)
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    Self::mark_pods_not_ready(pods, now, &mut out);
                }
                continue;
            }
            let mut n = node.clone();
            if let Some(since) = down_since {
                let due = since.plus(config.node_monitor_grace_ms);
                if now >= due {
                    if ready.as_deref() != Some("Unknown") {
                        mark_conditions_unknown(&mut n, now);
                        // Recorded only when the controller itself turns a Ready node
                        // unready (a kubelet posting Ready=False records its own event).
                        if ready.as_deref() == Some("True") {
                            out.event(EventRecord::new(
                                &Object::Node(node.clone()),
                                EventType::Normal,
                                "NodeNotReady",
                                format!("Node {name} status is now: NodeNotReady"),
                                "node-controller",
                            ));
                        }
                    }
                } else {
                    out.requeue_at(due);
                }
            }
            apply_taints(&mut n, tainting, now);
            let unready = not_ready_or_unknown(&n);
            if n != *node {
                out.push(Action::Update(Object::Node(n.clone())));
            }
            if unready {
                let pods = pods_by_node
                    .get_or_insert_with(build)
                    .get(name)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                Self::mark_pods_not_ready(pods, now, &mut out);
            }
        }
        self.taint_eviction.sync(store, now, &mut out);
        out
    }

    /// `MarkPodsNotReady`: each pod's `Ready` condition turns False (reason and message kept, the
    /// transition time moving), then a `NodeNotReady` event.
    fn mark_pods_not_ready(pods: &[&Pod], now: SimTime, out: &mut Outcome) {
        for &pod in pods {
            let Some(ready) = pod
                .status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
            else {
                continue;
            };
            let mut p = pod.clone();
            let cond = PodCondition {
                status: "False".to_string(),
                ..ready.clone()
            };
            if !update_pod_condition(&mut p, cond, now) {
                continue;
            }
            out.push(Action::Update(Object::Pod(p)));
            // Recorded after the status update.
            out.event(EventRecord::new(
                &Object::Pod(pod.clone()),
                EventType::Warning,
                "NodeNotReady",
                "Node is not ready".to_string(),
                "node-controller",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    //! The disruption handling of `monitorNodeHealth` / `handleDisruption` (single region,
    //! zones from the topology labels), in the spirit of `TestMonitorNodeHealthEvictPods`'s
    //! "all nodes not ready" and partial-disruption cases.

    use crate::kubectl::{NoFiles, Session};

    fn run(s: &mut Session, line: &str) -> String {
        let out = s.run(line, None, &NoFiles);
        assert!(out.ok, "{line}: {}", out.stderr);
        out.stdout
    }

    fn session(nodes: &[&str]) -> Session {
        let mut s = Session::new(1);
        for n in nodes {
            run(&mut s, &format!("sim node add {n}"));
        }
        run(&mut s, "run web --image=nginx");
        run(&mut s, "sim advance 10s");
        s
    }

    fn no_execute(s: &mut Session, node: &str) -> String {
        run(
            s,
            &format!(
                "get node {node} -o jsonpath='{{.spec.taints[?(@.effect==\"NoExecute\")].key}}'"
            ),
        )
    }

    /// One node of three down: the zone is healthy, the node gets its NoExecute taint and its
    /// pods go after 300 s.
    #[test]
    fn one_node_down_in_a_healthy_zone_is_tainted() {
        let mut s = session(&["n1", "n2", "n3"]);
        let host = run(&mut s, "get pod web -o jsonpath={.spec.nodeName}");
        run(&mut s, &format!("sim node down {host}"));
        run(&mut s, "sim advance 60s");
        assert_eq!(no_execute(&mut s, &host), "node.kubernetes.io/unreachable");
        run(&mut s, "sim advance 300s");
        let ts = run(
            &mut s,
            "get pod web -o jsonpath={.metadata.deletionTimestamp}",
        );
        assert!(!ts.is_empty());
    }

    /// Every node down: the controller blames its own network, adds no NoExecute taint (the
    /// NoSchedule one still goes on) and evicts nothing.
    #[test]
    fn all_nodes_down_is_full_disruption_no_eviction() {
        let mut s = session(&["n1"]);
        run(&mut s, "sim node down n1");
        run(&mut s, "sim advance 60s");
        assert_eq!(no_execute(&mut s, "n1"), "");
        let taints = run(&mut s, "get node n1 -o jsonpath={.spec.taints[*].key}");
        assert_eq!(taints, "node.kubernetes.io/unreachable");
        run(&mut s, "sim advance 600s");
        let ts = run(
            &mut s,
            "get pod web -o jsonpath={.metadata.deletionTimestamp}",
        );
        assert_eq!(ts, "");
    }

    /// Entering master disruption mode takes the NoExecute taints off nodes tainted before;
    /// leaving it puts them back on the nodes still down.
    #[test]
    fn full_disruption_removes_no_execute_taints_until_a_node_is_back() {
        let mut s = session(&["n1", "n2"]);
        run(&mut s, "sim node down n1");
        run(&mut s, "sim advance 60s");
        assert_eq!(no_execute(&mut s, "n1"), "node.kubernetes.io/unreachable");
        run(&mut s, "sim node down n2");
        run(&mut s, "sim advance 60s");
        assert_eq!(no_execute(&mut s, "n1"), "");
        assert_eq!(no_execute(&mut s, "n2"), "");
        run(&mut s, "sim node up n2");
        run(&mut s, "sim advance 10s");
        assert_eq!(no_execute(&mut s, "n1"), "node.kubernetes.io/unreachable");
        assert_eq!(no_execute(&mut s, "n2"), "");
    }

    /// Three of four nodes down (more than 2 and at least 55%): partial disruption in a small
    /// zone stops the tainting.
    #[test]
    fn partial_disruption_in_a_small_zone_stops_tainting() {
        let mut s = session(&["n1", "n2", "n3", "n4"]);
        for n in ["n1", "n2", "n3"] {
            run(&mut s, &format!("sim node down {n}"));
        }
        run(&mut s, "sim advance 60s");
        for n in ["n1", "n2", "n3"] {
            assert_eq!(no_execute(&mut s, n), "", "{n}");
        }
        // Two of four down is not a disruption: the next one down is tainted.
        run(&mut s, "sim node up n1");
        run(&mut s, "sim advance 10s");
        assert_eq!(no_execute(&mut s, "n2"), "node.kubernetes.io/unreachable");
        assert_eq!(no_execute(&mut s, "n3"), "node.kubernetes.io/unreachable");
    }

    /// `sim node condition` end to end: the kubelet posts the condition, the controller taints
    /// the node, MarkPodsNotReady and taint eviction act on Ready=False as on Unknown.
    #[test]
    fn ready_false_taints_not_ready_and_evicts_after_300s() {
        let mut s = session(&["n1", "n2"]);
        let host = run(&mut s, "get pod web -o jsonpath={.spec.nodeName}");
        run(&mut s, &format!("sim node condition {host} Ready=False"));
        let taints = run(
            &mut s,
            &format!("get node {host} -o jsonpath='{{range .spec.taints[*]}}{{.key}}:{{.effect}} {{end}}'"),
        );
        assert_eq!(
            taints,
            "node.kubernetes.io/not-ready:NoSchedule node.kubernetes.io/not-ready:NoExecute "
        );
        let ready = run(
            &mut s,
            "get pod web -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}'",
        );
        assert_eq!(ready, "False");
        run(&mut s, "sim advance 299s");
        let ts = run(
            &mut s,
            "get pod web -o jsonpath={.metadata.deletionTimestamp}",
        );
        assert_eq!(ts, "");
        run(&mut s, "sim advance 2s");
        let ts = run(
            &mut s,
            "get pod web -o jsonpath={.metadata.deletionTimestamp}",
        );
        assert!(!ts.is_empty());
    }

    /// `TestMonitorNodeHealthUpdateStatus`, the row of a kubelet that posted Ready=False and
    /// then stopped: past the grace period every kubelet condition turns Unknown with the
    /// transition now and the last heartbeat kept; NetworkUnavailable is left alone; the
    /// not-ready taints swap to unreachable.
    #[test]
    fn monitor_node_health_ready_false_then_silent() {
        let mut s = session(&["n1", "n2"]);
        run(
            &mut s,
            "sim node condition n1 Ready=False NetworkUnavailable=True",
        );
        run(&mut s, "sim advance 10s");
        run(&mut s, "sim node down n1");
        run(&mut s, "sim advance 60s");
        let conds = run(
            &mut s,
            "get node n1 -o jsonpath='{range .status.conditions[*]}{.type}={.status}/{.reason}/{.lastHeartbeatTime}/{.lastTransitionTime} {end}'",
        );
        assert_eq!(
            conds,
            "NetworkUnavailable=True/NoRouteCreated/2026-03-02T09:00:10Z/2026-03-02T09:00:10Z \
             MemoryPressure=Unknown/NodeStatusUnknown/2026-03-02T09:00:10Z/2026-03-02T09:01:10Z \
             DiskPressure=Unknown/NodeStatusUnknown/2026-03-02T09:00:10Z/2026-03-02T09:01:10Z \
             PIDPressure=Unknown/NodeStatusUnknown/2026-03-02T09:00:10Z/2026-03-02T09:01:10Z \
             Ready=Unknown/NodeStatusUnknown/2026-03-02T09:00:10Z/2026-03-02T09:01:10Z "
        );
        let taints = run(
            &mut s,
            "get node n1 -o jsonpath='{range .spec.taints[*]}{.key}:{.effect} {end}'",
        );
        assert_eq!(
            taints,
            "node.kubernetes.io/network-unavailable:NoSchedule node.kubernetes.io/unreachable:NoSchedule node.kubernetes.io/unreachable:NoExecute "
        );
    }
}

#[cfg(test)]
mod table_tests {
    //! The controller's decisions on single nodes, after upstream
    //! `pkg/controller/nodelifecycle/node_lifecycle_controller_test.go`.

    use k8s_openapi::api::core::v1::{Node, NodeCondition, NodeSpec, NodeStatus, Taint};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    use super::{apply_taints, mark_conditions_unknown, node_taints_settled, NoExecuteTainting};
    use crate::engine::clock::SimTime;

    const NOW: SimTime = SimTime(120_000);
    const EARLIER: SimTime = SimTime(10_000);

    /// A node with these (type, status) conditions, these (key, effect) taints and
    /// `spec.unschedulable`.
    fn node(conditions: &[(&str, &str)], taints: &[(&str, &str)], unschedulable: bool) -> Node {
        Node {
            metadata: ObjectMeta {
                name: Some("node0".into()),
                creation_timestamp: Some(SimTime::ZERO.to_k8s()),
                ..Default::default()
            },
            spec: Some(NodeSpec {
                taints: if taints.is_empty() {
                    None
                } else {
                    Some(
                        taints
                            .iter()
                            .map(|(k, e)| Taint {
                                key: k.to_string(),
                                effect: e.to_string(),
                                value: None,
                                time_added: Some(EARLIER.to_k8s()),
                            })
                            .collect(),
                    )
                },
                unschedulable: Some(unschedulable),
                ..Default::default()
            }),
            status: Some(NodeStatus {
                conditions: Some(
                    conditions
                        .iter()
                        .map(|(t, st)| NodeCondition {
                            type_: t.to_string(),
                            status: st.to_string(),
                            last_heartbeat_time: Some(EARLIER.to_k8s()),
                            last_transition_time: Some(EARLIER.to_k8s()),
                            ..Default::default()
                        })
                        .collect(),
                ),
                ..Default::default()
            }),
        }
    }

    fn taint_list(n: &Node) -> Vec<String> {
        n.spec
            .iter()
            .flat_map(|s| s.taints.iter().flatten())
            .map(|t| format!("{}:{}", t.key, t.effect))
            .collect()
    }

    struct TaintCase {
        name: &'static str,
        node: Node,
        tainting: NoExecuteTainting,
        want: &'static [&'static str],
    }

    fn check_taints(cases: Vec<TaintCase>) {
        for case in cases {
            let mut n = case.node.clone();
            apply_taints(&mut n, case.tainting, NOW);
            assert_eq!(taint_list(&n), case.want, "case {}", case.name);
            // The allocation-free check agrees with the pass: settled before exactly when the
            // pass changes nothing, always settled after.
            assert_eq!(
                node_taints_settled(&case.node, case.tainting),
                n == case.node,
                "case {}: settled before",
                case.name
            );
            assert!(
                node_taints_settled(&n, case.tainting),
                "case {}: settled after",
                case.name
            );
            // Every taint the pass added carries the time it was added.
            for t in n.spec.iter().flat_map(|s| s.taints.iter().flatten()) {
                let before = case
                    .node
                    .spec
                    .iter()
                    .flat_map(|s| s.taints.iter().flatten())
                    .any(|o| o.key == t.key && o.effect == t.effect);
                let want = if before { EARLIER } else { NOW };
                assert_eq!(
                    t.time_added,
                    Some(want.to_k8s()),
                    "case {}: {}",
                    case.name,
                    t.key
                );
            }
            // A second pass changes nothing.
            let mut again = n.clone();
            apply_taints(&mut again, case.tainting, NOW);
            assert_eq!(again, n, "case {}: second pass", case.name);
        }
    }

    const HEALTHY: [(&str, &str); 4] = [
        ("MemoryPressure", "False"),
        ("DiskPressure", "False"),
        ("PIDPressure", "False"),
        ("Ready", "True"),
    ];

    /// `TestTaintsNodeByCondition`: each condition maps to its NoSchedule taint
    /// (`nodeConditionToTaintKeyStatusMap`), `spec.unschedulable` to its own.
    #[test]
    fn taints_node_by_condition() {
        use NoExecuteTainting::Allowed;
        check_taints(vec![
            TaintCase {
                name: "NetworkUnavailable is true",
                node: node(
                    &[("Ready", "True"), ("NetworkUnavailable", "True")],
                    &[],
                    false,
                ),
                tainting: Allowed,
                want: &["node.kubernetes.io/network-unavailable:NoSchedule"],
            },
            TaintCase {
                name: "NetworkUnavailable is true (and the node cordoned)",
                node: node(
                    &[("Ready", "True"), ("NetworkUnavailable", "True")],
                    &[],
                    true,
                ),
                tainting: Allowed,
                want: &[
                    "node.kubernetes.io/network-unavailable:NoSchedule",
                    "node.kubernetes.io/unschedulable:NoSchedule",
                ],
            },
            TaintCase {
                name: "NetworkUnavailable and MemoryPressure are true",
                node: node(
                    &[
                        ("Ready", "True"),
                        ("NetworkUnavailable", "True"),
                        ("MemoryPressure", "True"),
                    ],
                    &[],
                    false,
                ),
                tainting: Allowed,
                want: &[
                    "node.kubernetes.io/network-unavailable:NoSchedule",
                    "node.kubernetes.io/memory-pressure:NoSchedule",
                ],
            },
            TaintCase {
                name: "DiskPressure and PIDPressure are true",
                node: node(
                    &[
                        ("DiskPressure", "True"),
                        ("PIDPressure", "True"),
                        ("Ready", "True"),
                    ],
                    &[],
                    false,
                ),
                tainting: Allowed,
                want: &[
                    "node.kubernetes.io/disk-pressure:NoSchedule",
                    "node.kubernetes.io/pid-pressure:NoSchedule",
                ],
            },
            TaintCase {
                name: "Ready is false",
                node: node(&[("Ready", "False")], &[], false),
                tainting: Allowed,
                want: &[
                    "node.kubernetes.io/not-ready:NoSchedule",
                    "node.kubernetes.io/not-ready:NoExecute",
                ],
            },
            TaintCase {
                name: "Ready is unknown",
                node: node(&[("Ready", "Unknown")], &[], false),
                tainting: Allowed,
                want: &[
                    "node.kubernetes.io/unreachable:NoSchedule",
                    "node.kubernetes.io/unreachable:NoExecute",
                ],
            },
            TaintCase {
                name: "pressure cleared: its taint goes, others stay",
                node: node(
                    &HEALTHY,
                    &[
                        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
                        ("dedicated", "NoSchedule"),
                    ],
                    false,
                ),
                tainting: Allowed,
                want: &["dedicated:NoSchedule"],
            },
            TaintCase {
                name: "healthy node keeps no controller taint",
                node: node(&HEALTHY, &[], false),
                tainting: Allowed,
                want: &[],
            },
        ]);
    }

    /// `TestApplyNoExecuteTaints`: Unknown gets the unreachable NoExecute taint, False the
    /// not-ready one, a node Ready again loses it; a partial disruption adds none, a full
    /// (master) disruption removes them.
    #[test]
    fn apply_no_execute_taints() {
        use NoExecuteTainting::{Allowed, Paused, Stopped};
        check_taints(vec![
            TaintCase {
                name: "node0 Ready Unknown: unreachable",
                node: node(
                    &[("Ready", "Unknown")],
                    &[("node.kubernetes.io/unreachable", "NoSchedule")],
                    false,
                ),
                tainting: Allowed,
                want: &[
                    "node.kubernetes.io/unreachable:NoSchedule",
                    "node.kubernetes.io/unreachable:NoExecute",
                ],
            },
            TaintCase {
                name: "node1 Ready True: no taint",
                node: node(&[("Ready", "True")], &[], false),
                tainting: Allowed,
                want: &[],
            },
            TaintCase {
                name: "node2 Ready False: not-ready",
                node: node(
                    &[("Ready", "False")],
                    &[("node.kubernetes.io/not-ready", "NoSchedule")],
                    false,
                ),
                tainting: Allowed,
                want: &[
                    "node.kubernetes.io/not-ready:NoSchedule",
                    "node.kubernetes.io/not-ready:NoExecute",
                ],
            },
            TaintCase {
                name: "node2 Ready again: its taints go",
                node: node(
                    &[("Ready", "True")],
                    &[
                        ("node.kubernetes.io/not-ready", "NoSchedule"),
                        ("node.kubernetes.io/not-ready", "NoExecute"),
                    ],
                    false,
                ),
                tainting: Allowed,
                want: &[],
            },
            TaintCase {
                name: "partial disruption: no new NoExecute taint",
                node: node(&[("Ready", "False")], &[], false),
                tainting: Paused,
                want: &["node.kubernetes.io/not-ready:NoSchedule"],
            },
            TaintCase {
                name: "full disruption: NoExecute taints come off",
                node: node(
                    &[("Ready", "Unknown")],
                    &[
                        ("node.kubernetes.io/unreachable", "NoSchedule"),
                        ("node.kubernetes.io/unreachable", "NoExecute"),
                    ],
                    false,
                ),
                tainting: Stopped,
                want: &["node.kubernetes.io/unreachable:NoSchedule"],
            },
        ]);
    }

    /// `TestSwapUnreachableNotReadyTaints`: a node tainted unreachable that posts Ready=False
    /// gets not-ready instead at once, and back; the swap happens even while a partial
    /// disruption pauses new NoExecute taints.
    #[test]
    fn swap_unreachable_not_ready_taints() {
        use NoExecuteTainting::{Allowed, Paused};
        let unreachable = [
            ("node.kubernetes.io/unreachable", "NoSchedule"),
            ("node.kubernetes.io/unreachable", "NoExecute"),
        ];
        let not_ready = [
            ("node.kubernetes.io/not-ready", "NoSchedule"),
            ("node.kubernetes.io/not-ready", "NoExecute"),
        ];
        check_taints(vec![
            TaintCase {
                name: "node0 Unknown -> False: unreachable swapped for not-ready",
                node: node(&[("Ready", "False")], &unreachable, false),
                tainting: Allowed,
                want: &[
                    "node.kubernetes.io/not-ready:NoSchedule",
                    "node.kubernetes.io/not-ready:NoExecute",
                ],
            },
            TaintCase {
                name: "node1 False -> Unknown: not-ready swapped for unreachable",
                node: node(&[("Ready", "Unknown")], &not_ready, false),
                tainting: Allowed,
                want: &[
                    "node.kubernetes.io/unreachable:NoSchedule",
                    "node.kubernetes.io/unreachable:NoExecute",
                ],
            },
            TaintCase {
                name: "swap during a partial disruption",
                node: node(&[("Ready", "False")], &unreachable, false),
                tainting: Paused,
                want: &[
                    "node.kubernetes.io/not-ready:NoSchedule",
                    "node.kubernetes.io/not-ready:NoExecute",
                ],
            },
        ]);
    }

    /// `TestMonitorNodeHealthUpdateStatus`: past the grace period the kubelet's conditions turn
    /// Unknown (transition now, heartbeat kept), those never posted are added as
    /// `NodeStatusNeverUpdated`, conditions already Unknown and NetworkUnavailable stay.
    #[test]
    fn monitor_node_health_update_status() {
        struct Case {
            name: &'static str,
            conditions: &'static [(&'static str, &'static str)],
            /// type=status/reason/transition time in seconds, in order.
            want: &'static [&'static str],
        }
        let cases = [
            Case {
                name: "status updated by kubelet exceeds grace period (Ready=True)",
                conditions: &HEALTHY,
                want: &[
                    "MemoryPressure=Unknown/NodeStatusUnknown/120",
                    "DiskPressure=Unknown/NodeStatusUnknown/120",
                    "PIDPressure=Unknown/NodeStatusUnknown/120",
                    "Ready=Unknown/NodeStatusUnknown/120",
                ],
            },
            Case {
                name: "kubelet posted Ready=False, then nothing",
                conditions: &[
                    ("NetworkUnavailable", "False"),
                    ("MemoryPressure", "True"),
                    ("Ready", "False"),
                ],
                want: &[
                    "NetworkUnavailable=False/-/10",
                    "MemoryPressure=Unknown/NodeStatusUnknown/120",
                    "Ready=Unknown/NodeStatusUnknown/120",
                    "DiskPressure=Unknown/NodeStatusNeverUpdated/120",
                    "PIDPressure=Unknown/NodeStatusNeverUpdated/120",
                ],
            },
            Case {
                name: "already Unknown keeps its transition",
                conditions: &[("Ready", "Unknown")],
                want: &[
                    "Ready=Unknown/-/10",
                    "MemoryPressure=Unknown/NodeStatusNeverUpdated/120",
                    "DiskPressure=Unknown/NodeStatusNeverUpdated/120",
                    "PIDPressure=Unknown/NodeStatusNeverUpdated/120",
                ],
            },
        ];
        for case in cases {
            let mut n = node(case.conditions, &[], false);
            mark_conditions_unknown(&mut n, NOW);
            let got: Vec<String> = n
                .status
                .iter()
                .flat_map(|s| s.conditions.iter().flatten())
                .map(|c| {
                    let transition = c
                        .last_transition_time
                        .as_ref()
                        .map_or(0, |t| SimTime::from_k8s(t).millis() / 1000);
                    format!(
                        "{}={}/{}/{}",
                        c.type_,
                        c.status,
                        c.reason.as_deref().unwrap_or("-"),
                        transition
                    )
                })
                .collect();
            assert_eq!(got, case.want, "case {}", case.name);
            // The heartbeat is the kubelet's last (or the creation time for one never posted).
            for c in n.status.iter().flat_map(|s| s.conditions.iter().flatten()) {
                let hb = c.last_heartbeat_time.as_ref().map(SimTime::from_k8s);
                let want = if c.reason.as_deref() == Some("NodeStatusNeverUpdated") {
                    SimTime::ZERO
                } else {
                    EARLIER
                };
                assert_eq!(hb, Some(want), "case {}: {}", case.name, c.type_);
            }
        }
    }
}
