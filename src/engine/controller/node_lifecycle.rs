//! Node lifecycle and taint-based eviction (`pkg/controller/nodelifecycle`,
//! `pkg/controller/tainteviction`).
//!
//! - A node whose kubelet stopped posting for the node-monitor grace period (50 s) gets
//!   `Ready=Unknown` and the `node.kubernetes.io/unreachable` NoSchedule + NoExecute taints; its
//!   pods are marked not ready (`MarkPodsNotReady`: only the pod's `Ready` condition turns
//!   False, with a `NodeNotReady` event; the containers' `ready` fields stay as the kubelet last
//!   reported them, so `kubectl get pods` still prints `1/1 Running`, as on a real cluster, while
//!   EndpointSlices drop the pod). When the kubelet is back the taints go.
//! - `spec.unschedulable` is mirrored by the `node.kubernetes.io/unschedulable:NoSchedule` taint.
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
//!   is added. Upstream also rate-limits tainting to 0.1 node/s per zone; we taint at once.
//!
//! Simplification: only the kubelet stopping (`sim node down`) makes a node unhealthy; pressure
//! conditions are not simulated.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Pod, PodCondition, Taint};

use crate::engine::api::taints::{TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE};
use crate::engine::api::Object;
use crate::engine::clock::SimTime;
use crate::engine::controller::taint_eviction::{update_pod_condition, TaintEviction};
use crate::engine::controller::{Action, EventRecord, EventType, Outcome};
use crate::engine::kubelet::{node_conditions, node_ready_status, Kubelet};
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

/// The node's Ready condition is Unknown.
fn is_unknown(node: &Node) -> bool {
    node.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "Unknown")
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

/// The taints the node's conditions and `spec.unschedulable` call for: (key, effect, wanted).
fn wanted_taints(
    node: &Node,
    tainting: NoExecuteTainting,
) -> [(&'static str, &'static str, bool); 5] {
    let unknown = is_unknown(node);
    let not_ready = node_ready_status(node).as_deref() == Some("False");
    let unschedulable = node
        .spec
        .as_ref()
        .and_then(|s| s.unschedulable)
        .unwrap_or(false);
    let no_execute = |key: &str, cond: bool| match tainting {
        NoExecuteTainting::Allowed => cond,
        NoExecuteTainting::Paused => cond && has_taint(node, key, "NoExecute"),
        NoExecuteTainting::Stopped => false,
    };
    [
        (TAINT_UNREACHABLE, "NoSchedule", unknown),
        (
            TAINT_UNREACHABLE,
            "NoExecute",
            no_execute(TAINT_UNREACHABLE, unknown),
        ),
        (TAINT_NOT_READY, "NoSchedule", not_ready),
        (
            TAINT_NOT_READY,
            "NoExecute",
            no_execute(TAINT_NOT_READY, not_ready),
        ),
        (TAINT_UNSCHEDULABLE, "NoSchedule", unschedulable),
    ]
}

/// Whether the taint pass would leave the node exactly as it is: it has a spec, no empty taint
/// list, and every wanted taint present and every unwanted one absent.
fn node_taints_settled(node: &Node, tainting: NoExecuteTainting) -> bool {
    node.spec
        .as_ref()
        .is_some_and(|s| s.taints.as_ref().is_none_or(|t| !t.is_empty()))
        && wanted_taints(node, tainting)
            .iter()
            .all(|&(key, effect, wanted)| has_taint(node, key, effect) == wanted)
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
                if is_unknown(node) {
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
                        // `tryUpdateNodeHealth`: every condition turns Unknown now; its
                        // heartbeat stays the last one the kubelet posted.
                        let status = n.status.get_or_insert_with(Default::default);
                        let mut conditions = node_conditions(false, now);
                        for c in &mut conditions {
                            if let Some(old) = status
                                .conditions
                                .iter()
                                .flatten()
                                .find(|o| o.type_ == c.type_)
                            {
                                c.last_heartbeat_time = old.last_heartbeat_time.clone();
                            }
                        }
                        status.conditions = Some(conditions);
                        out.event(EventRecord::new(
                            &Object::Node(node.clone()),
                            EventType::Normal,
                            "NodeNotReady",
                            format!("Node {name} status is now: NodeNotReady"),
                            "node-controller",
                        ));
                    }
                } else {
                    out.requeue_at(due);
                }
            }
            let unknown = is_unknown(&n);
            for (key, effect, wanted) in wanted_taints(&n, tainting) {
                let present = has_taint(&n, key, effect);
                let spec = n.spec.get_or_insert_with(Default::default);
                if wanted && !present {
                    spec.taints.get_or_insert_with(Vec::new).push(Taint {
                        key: key.to_string(),
                        value: None,
                        effect: effect.to_string(),
                        time_added: if effect == "NoExecute" {
                            Some(now.to_k8s())
                        } else {
                            None
                        },
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
            if n != *node {
                out.push(Action::Update(Object::Node(n.clone())));
            }
            if unknown {
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
}
