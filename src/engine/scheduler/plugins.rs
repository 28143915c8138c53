//! The default profile's filter and score plugins, one function each, mirroring
//! `pkg/scheduler/framework/plugins/{nodeunschedulable,nodename,tainttoleration,nodeaffinity,
//! nodeports,noderesources}`. Filters return a compact [`Failure`] (no allocation: the hot loop
//! runs nodes × pods times); [`Failure::describe`] turns it into upstream's reason strings.

use k8s_openapi::api::core::v1::{NodeSelectorRequirement, NodeSelectorTerm};

use super::snapshot::{NodeInfo, PodInfo, PreFilter};
use super::{Code, Plugin};
use crate::engine::api::taints;

/// `framework.MaxNodeScore`.
pub(crate) const MAX_NODE_SCORE: i64 = 100;
/// Score plugin weights of the default profile (`getDefaultPlugins`).
pub(crate) const WEIGHT_TAINT_TOLERATION: i64 = 3;
/// NodeAffinity's weight.
pub(crate) const WEIGHT_NODE_AFFINITY: i64 = 2;
/// NodeResourcesFit's weight.
pub(crate) const WEIGHT_NODE_RESOURCES_FIT: i64 = 1;

/// `nodeunschedulable.ErrReasonUnschedulable`.
pub(crate) const REASON_UNSCHEDULABLE: &str = "node(s) were unschedulable";
/// `nodename.ErrReason`.
pub(crate) const REASON_NODE_NAME: &str = "node(s) didn't match the requested node name";
/// `nodeaffinity.ErrReasonPod`.
pub(crate) const REASON_AFFINITY: &str = "node(s) didn't match Pod's node affinity/selector";
/// `nodeaffinity.errReasonConflict`.
pub(crate) const REASON_AFFINITY_CONFLICT: &str = "pod affinity terms conflict";
/// What nodes left out by a PreFilter result get (`findNodesThatFitPod`, 1.28+).
pub(crate) const REASON_PREFILTER: &str = "node(s) didn't satisfy plugin(s) [NodeAffinity]";
/// `nodeports.ErrReason`.
pub(crate) const REASON_PORTS: &str = "node(s) didn't have free ports for the requested pod ports";

/// Which resources `NodeResourcesFit` found short, as `fitsRequest` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct FitFailure {
    pub too_many_pods: bool,
    pub cpu: bool,
    pub memory: bool,
    pub ephemeral: bool,
    /// Bit i set: the pod's i-th scalar resource (in name order) is short.
    pub scalar: u64,
    /// Some request exceeds the node's whole allocatable: no preemption can help.
    pub unresolvable: bool,
}

/// Why one node was filtered out, without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// `spec.unschedulable` and no toleration for it.
    Unschedulable,
    /// `spec.nodeName` names another node.
    NodeName,
    /// The untolerated NoSchedule/NoExecute taint at this index of the node's taints.
    Taint(usize),
    /// nodeSelector or required node affinity does not match.
    Affinity,
    /// Left out by the NodeAffinity PreFilter result.
    NotInPreFilter,
    /// The required terms pin disjoint node names.
    AffinityConflict,
    /// A requested host port is taken.
    Ports,
    /// Not enough resources.
    Fit(FitFailure),
}

impl Failure {
    /// The plugin that rejected the node.
    pub fn plugin(&self) -> Plugin {
        match self {
            Failure::Unschedulable => Plugin::NodeUnschedulable,
            Failure::NodeName => Plugin::NodeName,
            Failure::Taint(_) => Plugin::TaintToleration,
            Failure::Affinity | Failure::NotInPreFilter | Failure::AffinityConflict => {
                Plugin::NodeAffinity
            }
            Failure::Ports => Plugin::NodePorts,
            Failure::Fit(_) => Plugin::NodeResourcesFit,
        }
    }

    /// Whether preemption might help (`Unschedulable`) or cannot (`UnschedulableAndUnresolvable`).
    pub fn code(&self) -> Code {
        match self {
            Failure::Ports => Code::Unschedulable,
            Failure::Fit(f) if !f.unresolvable => Code::Unschedulable,
            _ => Code::UnschedulableAndUnresolvable,
        }
    }

    /// The status reasons, in upstream wording and order.
    pub fn describe(&self, pod: &PodInfo<'_>, node: &NodeInfo<'_>) -> Vec<String> {
        match self {
            Failure::Unschedulable => vec![REASON_UNSCHEDULABLE.to_string()],
            Failure::NodeName => vec![REASON_NODE_NAME.to_string()],
            Failure::Taint(i) => {
                let (key, value) = node
                    .taints
                    .get(*i)
                    .map(|t| (t.key.as_str(), t.value.as_deref().unwrap_or_default()))
                    .unwrap_or_default();
                vec![format!("node(s) had untolerated taint {{{key}: {value}}}")]
            }
            Failure::Affinity => vec![REASON_AFFINITY.to_string()],
            Failure::NotInPreFilter => vec![REASON_PREFILTER.to_string()],
            Failure::AffinityConflict => vec![REASON_AFFINITY_CONFLICT.to_string()],
            Failure::Ports => vec![REASON_PORTS.to_string()],
            Failure::Fit(f) => {
                let mut out = Vec::new();
                if f.too_many_pods {
                    out.push("Too many pods".to_string());
                }
                if f.cpu {
                    out.push("Insufficient cpu".to_string());
                }
                if f.memory {
                    out.push("Insufficient memory".to_string());
                }
                if f.ephemeral {
                    out.push("Insufficient ephemeral-storage".to_string());
                }
                for (i, name) in pod.requests.scalar.keys().enumerate() {
                    if i < 64 && f.scalar & (1u64 << i) != 0 {
                        out.push(format!("Insufficient {name}"));
                    }
                }
                out
            }
        }
    }
}

/// Runs the filters in the default profile's order, stopping at the first failure
/// (`RunFilterPlugins`). The PreFilter narrowing is applied by the caller.
pub(crate) fn run_filters(pod: &PodInfo<'_>, node: &NodeInfo<'_>) -> Result<(), Failure> {
    node_unschedulable(pod, node)?;
    node_name(pod, node)?;
    taint_toleration(pod, node)?;
    node_affinity(pod, node)?;
    node_ports(pod, node)?;
    node_resources_fit(pod, node)
}

/// Whether the PreFilter result lets this node through.
pub(crate) fn prefilter_allows(pod: &PodInfo<'_>, node: &NodeInfo<'_>) -> Result<(), Failure> {
    match &pod.prefilter {
        PreFilter::All => Ok(()),
        PreFilter::Nodes(names) if names.contains(node.name) => Ok(()),
        PreFilter::Nodes(_) => Err(Failure::NotInPreFilter),
        PreFilter::Conflict => Err(Failure::AffinityConflict),
    }
}

/// `NodeUnschedulable.Filter`: a cordoned node only takes pods tolerating
/// `node.kubernetes.io/unschedulable:NoSchedule`.
pub(crate) fn node_unschedulable(pod: &PodInfo<'_>, node: &NodeInfo<'_>) -> Result<(), Failure> {
    if node.unschedulable && !pod.tolerates_unschedulable {
        return Err(Failure::Unschedulable);
    }
    Ok(())
}

/// `NodeName.Filter`.
pub(crate) fn node_name(pod: &PodInfo<'_>, node: &NodeInfo<'_>) -> Result<(), Failure> {
    match pod.node_name {
        Some(n) if n != node.name => Err(Failure::NodeName),
        _ => Ok(()),
    }
}

/// `TaintToleration.Filter`: the first NoSchedule or NoExecute taint no toleration tolerates.
pub(crate) fn taint_toleration(pod: &PodInfo<'_>, node: &NodeInfo<'_>) -> Result<(), Failure> {
    if !node.has_hard_taints {
        return Ok(());
    }
    for (i, taint) in node.taints.iter().enumerate() {
        if taint.effect != "NoSchedule" && taint.effect != "NoExecute" {
            continue;
        }
        if !pod.tolerations.iter().any(|t| taints::tolerates(t, taint)) {
            return Err(Failure::Taint(i));
        }
    }
    Ok(())
}

/// `NodeAffinity.Filter`: nodeSelector AND the required terms (ORed).
pub(crate) fn node_affinity(pod: &PodInfo<'_>, node: &NodeInfo<'_>) -> Result<(), Failure> {
    if let Some(sel) = pod.node_selector {
        if !sel.iter().all(|(k, v)| node.label(k) == Some(v.as_str())) {
            return Err(Failure::Affinity);
        }
    }
    if let Some(terms) = pod.required {
        if !terms.iter().any(|t| term_matches(t, node)) {
            return Err(Failure::Affinity);
        }
    }
    Ok(())
}

/// Whether a node selector term matches (`nodeaffinity.NodeSelector`): its label expressions and
/// field expressions are ANDed; an empty term matches nothing; a term that does not parse (a bad
/// operator, `Gt` with a non-integer) matches nothing either.
pub(crate) fn term_matches(term: &NodeSelectorTerm, node: &NodeInfo<'_>) -> bool {
    let exprs = term.match_expressions.as_deref().unwrap_or_default();
    let fields = term.match_fields.as_deref().unwrap_or_default();
    if exprs.is_empty() && fields.is_empty() {
        return false;
    }
    exprs
        .iter()
        .all(|r| requirement_matches(r, node.label(&r.key)))
        && fields.iter().all(|r| field_matches(r, node))
}

fn requirement_matches(r: &NodeSelectorRequirement, value: Option<&str>) -> bool {
    let values = r.values.as_deref().unwrap_or_default();
    match r.operator.as_str() {
        "In" => value.is_some_and(|v| values.iter().any(|x| x == v)),
        "NotIn" => value.is_none_or(|v| !values.iter().any(|x| x == v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" | "Lt" => {
            let [bound] = values else {
                return false;
            };
            let (Ok(bound), Some(Ok(have))) =
                (bound.parse::<i64>(), value.map(|v| v.parse::<i64>()))
            else {
                return false;
            };
            if r.operator == "Gt" {
                have > bound
            } else {
                have < bound
            }
        }
        _ => false,
    }
}

/// `matchFields`: only `metadata.name` has a value; `In`/`NotIn` take exactly one value.
fn field_matches(r: &NodeSelectorRequirement, node: &NodeInfo<'_>) -> bool {
    let have = if r.key == "metadata.name" {
        node.name
    } else {
        ""
    };
    let [want] = r.values.as_deref().unwrap_or_default() else {
        return false;
    };
    match r.operator.as_str() {
        "In" => have == want,
        "NotIn" => have != want,
        _ => false,
    }
}

/// `NodePorts.Filter`: every wanted host port must be free on the node.
pub(crate) fn node_ports(pod: &PodInfo<'_>, node: &NodeInfo<'_>) -> Result<(), Failure> {
    for want in &pod.ports {
        if node.ports.iter().any(|used| want.conflicts(used)) {
            return Err(Failure::Ports);
        }
    }
    Ok(())
}

/// `NodeResourcesFit.Filter` (`fitsRequest`): pod count, then cpu, memory, ephemeral-storage and
/// scalar resources; a pod requesting nothing only needs a pod slot.
pub(crate) fn node_resources_fit(pod: &PodInfo<'_>, node: &NodeInfo<'_>) -> Result<(), Failure> {
    let mut f = FitFailure::default();
    let n_pods = i64::try_from(node.pods.len()).unwrap_or(i64::MAX);
    if n_pods + 1 > node.allowed_pods {
        f.too_many_pods = true;
    }
    let req = &pod.requests;
    let alloc = &node.allocatable;
    let used = &node.requested;
    if req.cpu > 0 && req.cpu > alloc.cpu - used.cpu {
        f.cpu = true;
        f.unresolvable |= req.cpu > alloc.cpu;
    }
    if req.memory > 0 && req.memory > alloc.memory - used.memory {
        f.memory = true;
        f.unresolvable |= req.memory > alloc.memory;
    }
    if req.ephemeral > 0 && req.ephemeral > alloc.ephemeral - used.ephemeral {
        f.ephemeral = true;
        f.unresolvable |= req.ephemeral > alloc.ephemeral;
    }
    for (i, (name, &want)) in req.scalar.iter().enumerate() {
        if want == 0 || i >= 64 {
            continue;
        }
        let have = alloc.scalar.get(name).copied().unwrap_or(0);
        let taken = used.scalar.get(name).copied().unwrap_or(0);
        if want > have - taken {
            f.scalar |= 1u64 << i;
            f.unresolvable |= want > have;
        }
    }
    if f == FitFailure::default() {
        Ok(())
    } else {
        Err(Failure::Fit(f))
    }
}

/// `NodeResourcesFit.Score` with the default `LeastAllocated` strategy over cpu and memory
/// (weight 1 each), on the non-zero requests (100m / 200Mi for containers without any).
pub(crate) fn least_allocated(pod: &PodInfo<'_>, node: &NodeInfo<'_>) -> i64 {
    let pairs = [
        (
            node.allocatable.cpu,
            node.nonzero_cpu.saturating_add(pod.nonzero_cpu),
        ),
        (
            node.allocatable.memory,
            node.nonzero_memory.saturating_add(pod.nonzero_memory),
        ),
    ];
    let mut score = 0i64;
    let mut weights = 0i64;
    for (capacity, requested) in pairs {
        if capacity == 0 {
            continue;
        }
        weights += 1;
        if requested <= capacity {
            // (capacity - requested) * 100 / capacity; i128 only if i64 would overflow (exabytes).
            let s = match (capacity - requested).checked_mul(MAX_NODE_SCORE) {
                Some(v) => v / capacity,
                None => i64::try_from(
                    i128::from(capacity - requested) * i128::from(MAX_NODE_SCORE)
                        / i128::from(capacity),
                )
                .unwrap_or(0),
            };
            score += s;
        }
    }
    if weights == 0 {
        0
    } else {
        score / weights
    }
}

/// `TaintToleration.Score` (raw): how many PreferNoSchedule taints the pod does not tolerate.
pub(crate) fn intolerable_prefer_taints(pod: &PodInfo<'_>, node: &NodeInfo<'_>) -> i64 {
    if !node.has_prefer_taints {
        return 0;
    }
    let n = node
        .taints
        .iter()
        .filter(|t| t.effect == "PreferNoSchedule")
        .filter(|taint| {
            !pod.prefer_tolerations
                .iter()
                .any(|t| taints::tolerates(t, taint))
        })
        .count();
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// `NodeAffinity.Score` (raw): the summed weights of the preferred terms the node matches
/// (terms with weight 0 or no requirements are skipped).
pub(crate) fn preferred_affinity(pod: &PodInfo<'_>, node: &NodeInfo<'_>) -> i64 {
    pod.preferred
        .iter()
        .filter(|t| t.weight != 0 && term_matches(&t.preference, node))
        .map(|t| i64::from(t.weight))
        .sum()
}

/// `helper.DefaultNormalizeScore` for one node: scales a raw score to 0..=100 by the highest
/// raw score among the feasible nodes; `reverse` makes fewer better. With every score 0,
/// reverse gives everyone 100.
pub(crate) fn normalize(score: i64, max: i64, reverse: bool) -> i64 {
    if max <= 0 {
        return if reverse { MAX_NODE_SCORE } else { score };
    }
    let v = MAX_NODE_SCORE * score / max;
    if reverse {
        MAX_NODE_SCORE - v
    } else {
        v
    }
}
