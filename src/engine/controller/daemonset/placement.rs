//! Which nodes get a daemon pod: `NodeShouldRunDaemonPod`, `predicates` and `NewPod` from
//! `pkg/controller/daemon/daemon_controller.go`, `AddOrUpdateDaemonPodTolerations` from
//! `pkg/controller/daemon/util/daemonset_util.go`, and the required-node-affinity matcher of
//! `k8s.io/component-helpers/scheduling/corev1/nodeaffinity`.
//!
//! Simplifications: the answer carries the deciding rule and value ([`PlacementReason`]) so
//! `describe` and the page can say *why*; upstream returns two booleans. The required
//! node-affinity matcher (`matchExpressions` on labels, `matchFields` on `metadata.name`) is
//! written here until the scheduler's lands; label selectors use [`crate::engine::selector`].
//! TODO(merge): share the node-affinity matcher with the scheduler.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{
    Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PodSpec, Taint, Toleration,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use crate::engine::api::taints::{
    find_untolerated, format_taint, tolerates, TAINT_NOT_READY, TAINT_UNREACHABLE,
    TAINT_UNSCHEDULABLE,
};
use crate::engine::selector::Selector;

/// Taint added while a node reports DiskPressure.
pub const TAINT_DISK_PRESSURE: &str = "node.kubernetes.io/disk-pressure";
/// Taint added while a node reports MemoryPressure.
pub const TAINT_MEMORY_PRESSURE: &str = "node.kubernetes.io/memory-pressure";
/// Taint added while a node reports PIDPressure.
pub const TAINT_PID_PRESSURE: &str = "node.kubernetes.io/pid-pressure";
/// Taint added while a node's network is not configured.
pub const TAINT_NETWORK_UNAVAILABLE: &str = "node.kubernetes.io/network-unavailable";
/// The field a `matchFields` node-selector requirement may name.
pub const NODE_FIELD_NAME: &str = "metadata.name";

/// What `node_should_run_daemon_pod` decided, and the rule that decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// Create a daemon pod on the node if it has none.
    pub should_run: bool,
    /// Keep a daemon pod that is already on the node.
    pub should_continue_running: bool,
    /// The deciding rule (the first that failed, or [`PlacementReason::Eligible`]).
    pub reason: PlacementReason,
}

/// The rule that decided a [`Placement`], with the deciding value.
#[derive(Debug, Clone, PartialEq)]
pub enum PlacementReason {
    /// Every rule passed.
    Eligible,
    /// `spec.template.spec.nodeName` names another node.
    NodeNameMismatch {
        /// The node the template names.
        node_name: String,
    },
    /// A `nodeSelector` entry does not match the node's labels.
    NodeSelectorMismatch {
        /// The label key.
        key: String,
        /// The value the template wants.
        want: String,
        /// The node's value, if it has the label.
        got: Option<String>,
    },
    /// No term of `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution` matches.
    NodeAffinityMismatch {
        /// The first requirement that failed in the first term, as `key Op [values]`.
        requirement: Option<String>,
    },
    /// A NoSchedule or NoExecute taint no toleration (with the daemon ones) tolerates.
    UntoleratedTaint {
        /// The taint; with NoExecute even a running pod goes.
        taint: Taint,
    },
}

impl PlacementReason {
    /// A one-line explanation for `describe` and the page's "Why?" panel.
    pub fn message(&self) -> String {
        match self {
            PlacementReason::Eligible => {
                "node matches the pod template's nodeSelector, node affinity and tolerations"
                    .to_string()
            }
            PlacementReason::NodeNameMismatch { node_name } => {
                format!("the pod template's nodeName is {node_name:?}")
            }
            PlacementReason::NodeSelectorMismatch { key, want, got } => match got {
                Some(v) => format!("nodeSelector {key}={want} does not match: node has {key}={v}"),
                None => {
                    format!("nodeSelector {key}={want} does not match: node has no {key} label")
                }
            },
            PlacementReason::NodeAffinityMismatch { requirement } => match requirement {
                Some(r) => format!("required node affinity does not match: {r}"),
                None => "required node affinity does not match".to_string(),
            },
            PlacementReason::UntoleratedTaint { taint } => {
                if taint.effect == "NoExecute" {
                    format!(
                        "untolerated taint {}: no new pod, and a running one is deleted",
                        format_taint(taint)
                    )
                } else {
                    format!(
                        "untolerated taint {}: no new pod, but a running one keeps running",
                        format_taint(taint)
                    )
                }
            }
        }
    }
}

fn exists_toleration(key: &str, effect: &str) -> Toleration {
    Toleration {
        key: Some(key.to_string()),
        operator: Some("Exists".to_string()),
        effect: Some(effect.to_string()),
        value: None,
        toleration_seconds: None,
    }
}

/// `Toleration.MatchToleration`: same key, operator, value and effect (tolerationSeconds may
/// differ). An unset operator is `Equal`.
fn same_toleration(a: &Toleration, b: &Toleration) -> bool {
    let op = |t: &Toleration| t.operator.clone().unwrap_or_else(|| "Equal".to_string());
    a.key.as_deref().unwrap_or_default() == b.key.as_deref().unwrap_or_default()
        && a.effect.as_deref().unwrap_or_default() == b.effect.as_deref().unwrap_or_default()
        && op(a) == op(b)
        && a.value.as_deref().unwrap_or_default() == b.value.as_deref().unwrap_or_default()
}

/// `v1helper.AddOrUpdateTolerationInPodSpec`: replaces a toleration that matches (key,
/// operator, value, effect) but differs, else appends.
fn add_or_update_toleration(spec: &mut PodSpec, toleration: Toleration) {
    let list = spec.tolerations.get_or_insert_with(Vec::new);
    let mut updated = false;
    for t in list.iter_mut() {
        if same_toleration(t, &toleration) {
            *t = toleration.clone();
            updated = true;
        }
    }
    if !updated {
        list.push(toleration);
    }
}

/// `util.AddOrUpdateDaemonPodTolerations`: the tolerations every daemon pod gets (§1.3), all
/// `Exists` without tolerationSeconds; network-unavailable only with `hostNetwork: true`.
pub fn add_or_update_daemon_pod_tolerations(spec: &mut PodSpec) {
    for (key, effect) in [
        (TAINT_NOT_READY, "NoExecute"),
        (TAINT_UNREACHABLE, "NoExecute"),
        (TAINT_DISK_PRESSURE, "NoSchedule"),
        (TAINT_MEMORY_PRESSURE, "NoSchedule"),
        (TAINT_PID_PRESSURE, "NoSchedule"),
        (TAINT_UNSCHEDULABLE, "NoSchedule"),
    ] {
        add_or_update_toleration(spec, exists_toleration(key, effect));
    }
    if spec.host_network == Some(true) {
        add_or_update_toleration(
            spec,
            exists_toleration(TAINT_NETWORK_UNAVAILABLE, "NoSchedule"),
        );
    }
}

/// `NodeShouldRunDaemonPod`: evaluates the hypothetical pod (template + daemon tolerations +
/// `nodeName`) against the node: template nodeName, then nodeSelector and required node
/// affinity, then NoSchedule/NoExecute taints. Resources, ports, cordon and readiness are the
/// scheduler's business and are not checked.
pub fn node_should_run_daemon_pod(node: &Node, ds: &DaemonSet) -> Placement {
    DaemonPodPredicates::new(ds).node_should_run_daemon_pod(node)
}

/// The parts of the hypothetical daemon pod (`NewPod`) that placement looks at, built once per
/// sync: upstream builds the pod for every node, which would make a sync over N nodes clone the
/// template N times.
#[derive(Debug, Clone)]
pub struct DaemonPodPredicates<'a> {
    spec: Option<&'a PodSpec>,
    tolerations: Vec<Toleration>,
}

impl<'a> DaemonPodPredicates<'a> {
    /// The template's placement fields and its tolerations plus the daemon ones.
    pub fn new(ds: &'a DaemonSet) -> Self {
        let spec = ds.spec.as_ref().and_then(|s| s.template.spec.as_ref());
        let mut t = PodSpec {
            tolerations: spec.and_then(|s| s.tolerations.clone()),
            host_network: spec.and_then(|s| s.host_network),
            ..Default::default()
        };
        add_or_update_daemon_pod_tolerations(&mut t);
        DaemonPodPredicates {
            spec,
            tolerations: t.tolerations.unwrap_or_default(),
        }
    }

    /// [`node_should_run_daemon_pod`] for one node.
    pub fn node_should_run_daemon_pod(&self, node: &Node) -> Placement {
        let node_name = node.metadata.name.as_deref().unwrap_or_default();
        let never = |reason| Placement {
            should_run: false,
            should_continue_running: false,
            reason,
        };
        if let Some(spec) = self.spec {
            if let Some(want) = spec.node_name.as_deref().filter(|n| !n.is_empty()) {
                if want != node_name {
                    return never(PlacementReason::NodeNameMismatch {
                        node_name: want.to_string(),
                    });
                }
            }
            if let Some(reason) = required_node_affinity_mismatch(spec, node) {
                return never(reason);
            }
        }
        let taints = node
            .spec
            .as_ref()
            .and_then(|s| s.taints.as_deref())
            .unwrap_or_default();
        if let Some(t) = find_untolerated(taints, &self.tolerations, &["NoExecute"]) {
            return never(PlacementReason::UntoleratedTaint { taint: t.clone() });
        }
        if let Some(t) = find_untolerated(taints, &self.tolerations, &["NoSchedule"]) {
            return Placement {
                should_run: false,
                should_continue_running: true,
                reason: PlacementReason::UntoleratedTaint { taint: t.clone() },
            };
        }
        Placement {
            should_run: true,
            should_continue_running: true,
            reason: PlacementReason::Eligible,
        }
    }
}

/// Whether the tolerations tolerate every NoSchedule/NoExecute taint of the node.
pub fn tolerates_all(tolerations: &[Toleration], taints: &[Taint]) -> bool {
    taints
        .iter()
        .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
        .all(|taint| tolerations.iter().any(|t| tolerates(t, taint)))
}

/// `nodeaffinity.GetRequiredNodeAffinity(pod).Match(node)`: `nodeSelector` and the required
/// node affinity must both match. Returns the deciding mismatch, if any.
fn required_node_affinity_mismatch(spec: &PodSpec, node: &Node) -> Option<PlacementReason> {
    let empty = BTreeMap::new();
    let labels = node.metadata.labels.as_ref().unwrap_or(&empty);
    for (key, want) in spec.node_selector.iter().flatten() {
        let got = labels.get(key);
        if got != Some(want) {
            return Some(PlacementReason::NodeSelectorMismatch {
                key: key.clone(),
                want: want.clone(),
                got: got.cloned(),
            });
        }
    }
    let required = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|na| {
            na.required_during_scheduling_ignored_during_execution
                .as_ref()
        })?;
    let name = node.metadata.name.as_deref().unwrap_or_default();
    if node_selector_matches(required, labels, name) {
        return None;
    }
    let requirement = required
        .node_selector_terms
        .first()
        .and_then(|term| first_failing_requirement(term, labels, name));
    Some(PlacementReason::NodeAffinityMismatch { requirement })
}

/// Whether a required node selector matches: its terms are ORed; an empty term or a term with
/// an invalid requirement matches nothing.
pub fn node_selector_matches(
    selector: &NodeSelector,
    labels: &BTreeMap<String, String>,
    node_name: &str,
) -> bool {
    selector
        .node_selector_terms
        .iter()
        .any(|term| term_matches(term, labels, node_name))
}

fn term_matches(term: &NodeSelectorTerm, labels: &BTreeMap<String, String>, name: &str) -> bool {
    let exprs = term.match_expressions.as_deref().unwrap_or_default();
    let fields = term.match_fields.as_deref().unwrap_or_default();
    if exprs.is_empty() && fields.is_empty() {
        return false;
    }
    exprs
        .iter()
        .all(|r| label_requirement_matches(r, labels) == Some(true))
        && fields
            .iter()
            .all(|r| field_requirement_matches(r, name) == Some(true))
}

fn first_failing_requirement(
    term: &NodeSelectorTerm,
    labels: &BTreeMap<String, String>,
    name: &str,
) -> Option<String> {
    let exprs = term.match_expressions.as_deref().unwrap_or_default();
    let fields = term.match_fields.as_deref().unwrap_or_default();
    exprs
        .iter()
        .find(|r| label_requirement_matches(r, labels) != Some(true))
        .or_else(|| {
            fields
                .iter()
                .find(|r| field_requirement_matches(r, name) != Some(true))
        })
        .map(format_requirement)
}

/// `key Op [v1 v2]`, as the scheduler's messages print a requirement.
pub fn format_requirement(r: &NodeSelectorRequirement) -> String {
    let values = r.values.as_deref().unwrap_or_default();
    if values.is_empty() {
        format!("{} {}", r.key, r.operator)
    } else {
        format!("{} {} [{}]", r.key, r.operator, values.join(" "))
    }
}

/// One `matchExpressions` requirement against node labels; `None` if it is invalid.
fn label_requirement_matches(
    r: &NodeSelectorRequirement,
    labels: &BTreeMap<String, String>,
) -> Option<bool> {
    let values = r.values.as_deref().unwrap_or_default();
    let got = labels.get(&r.key);
    match r.operator.as_str() {
        "In" if !values.is_empty() => Some(got.is_some_and(|v| values.contains(v))),
        "NotIn" if !values.is_empty() => Some(!got.is_some_and(|v| values.contains(v))),
        "Exists" if values.is_empty() => Some(got.is_some()),
        "DoesNotExist" if values.is_empty() => Some(got.is_none()),
        "Gt" | "Lt" => {
            let [bound] = values else {
                return None;
            };
            let bound: i64 = bound.parse().ok()?;
            let Some(v) = got else {
                return Some(false);
            };
            let Ok(v) = v.parse::<i64>() else {
                return Some(false);
            };
            Some(if r.operator == "Gt" {
                v > bound
            } else {
                v < bound
            })
        }
        _ => None,
    }
}

/// One `matchFields` requirement: only `metadata.name` with `In`/`NotIn` and one value.
fn field_requirement_matches(r: &NodeSelectorRequirement, node_name: &str) -> Option<bool> {
    let values = r.values.as_deref().unwrap_or_default();
    if r.key != NODE_FIELD_NAME {
        return None;
    }
    let [value] = values else {
        return None;
    };
    match r.operator.as_str() {
        "In" => Some(value == node_name),
        "NotIn" => Some(value != node_name),
        _ => None,
    }
}

/// `metav1.LabelSelectorAsSelector(sel).Matches(labels)`: an empty selector matches
/// everything; an invalid one matches nothing.
pub fn label_selector_matches(sel: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    Selector::from_label_selector(sel).is_ok_and(|s| s.matches(labels))
}

/// Whether a selector has neither matchLabels nor matchExpressions (selects everything).
pub fn selector_is_empty(sel: &LabelSelector) -> bool {
    sel.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && sel.match_expressions.as_ref().is_none_or(|m| m.is_empty())
}
