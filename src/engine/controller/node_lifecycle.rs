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
//! Simplification: only the kubelet stopping (`sim node down`) makes a node unhealthy; pressure
//! conditions are not simulated.

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

/// The taints the node's conditions and `spec.unschedulable` call for: (key, effect, wanted).
fn wanted_taints(node: &Node) -> [(&'static str, &'static str, bool); 5] {
    let unknown = is_unknown(node);
    let not_ready = node_ready_status(node).as_deref() == Some("False");
    let unschedulable = node
        .spec
        .as_ref()
        .and_then(|s| s.unschedulable)
        .unwrap_or(false);
    [
        (TAINT_UNREACHABLE, "NoSchedule", unknown),
        (TAINT_UNREACHABLE, "NoExecute", unknown),
        (TAINT_NOT_READY, "NoSchedule", not_ready),
        (TAINT_NOT_READY, "NoExecute", not_ready),
        (TAINT_UNSCHEDULABLE, "NoSchedule", unschedulable),
    ]
}

/// Whether the taint pass would leave the node exactly as it is: it has a spec, no empty taint
/// list, and every wanted taint present and every unwanted one absent.
fn node_taints_settled(node: &Node) -> bool {
    node.spec
        .as_ref()
        .is_some_and(|s| s.taints.as_ref().is_none_or(|t| !t.is_empty()))
        && wanted_taints(node)
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
        let mut pods_by_node: Option<std::collections::BTreeMap<&str, Vec<&Pod>>> = None;
        let build = || {
            let mut by_node: std::collections::BTreeMap<&str, Vec<&Pod>> = Default::default();
            for pod in store.unsettled_pods() {
                if let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) {
                    by_node.entry(node).or_default().push(pod);
                }
            }
            by_node
        };
        for node in store.nodes() {
            let name = node.metadata.name.as_deref().unwrap_or_default();
            let ready = node_ready_status(node);
            let agent = kubelet.agent(name);
            let down_since = agent.and_then(|a| if a.up { None } else { a.down_since });
            let mark_unknown = down_since.is_some_and(|since| {
                now >= since.plus(config.node_monitor_grace_ms)
                    && ready.as_deref() != Some("Unknown")
            });
            // Most passes change no node: check first, and copy the node only to change it.
            if !mark_unknown && node_taints_settled(node) {
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
            for (key, effect, wanted) in wanted_taints(&n) {
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
