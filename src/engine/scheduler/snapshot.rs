//! The scheduler's view of the cluster for one pass, as upstream's cache snapshot
//! (`pkg/scheduler/framework/types.go` `NodeInfo`, `pkg/scheduler/backend/cache/snapshot.go`):
//! per node the allocatable resources, the summed requests of the pods assigned to it, their
//! host ports and their count, computed once per pass and updated as pods are bound, so no
//! filter re-scans the pods. Pod requests follow `k8s.io/component-helpers/resource`
//! `PodRequests`: the sum over containers, the max with each init container (sidecars, i.e.
//! restartable init containers, add up), plus `spec.overhead`.
//!
//! Simplifications: a container's requests fall back to its limits per resource (the API
//! server's defaulting does this on create upstream; doing it here keeps pods created before the
//! defaulting from being treated as requesting nothing). Pod-level resources
//! (`spec.resources`) are ignored.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{
    Container, Node, NodeSelectorTerm, Pod, PreferredSchedulingTerm, Taint, Toleration,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use crate::engine::api::taints;
use crate::engine::quantity;

/// The request upstream assumes for a container without a cpu request, for scoring only
/// (`schedutil.DefaultMilliCPURequest`).
pub(crate) const DEFAULT_MILLI_CPU_REQUEST: i64 = 100;
/// The request upstream assumes for a container without a memory request, for scoring only
/// (`schedutil.DefaultMemoryRequest`, 200 MiB).
pub(crate) const DEFAULT_MEMORY_REQUEST: i64 = 200 * 1024 * 1024;

/// Milli-units of a quantity, clamped into i64 (0 if it does not parse).
fn milli(q: &Quantity) -> i64 {
    quantity::Quantity::from_k8s(q)
        .map(|v| clamp_i64(v.milli_value()))
        .unwrap_or(0)
}

/// Whole units of a quantity, rounded up as `Quantity.Value` does (0 if it does not parse).
fn units(q: &Quantity) -> i64 {
    quantity::Quantity::from_k8s(q)
        .map(|v| clamp_i64(v.value()))
        .unwrap_or(0)
}

fn clamp_i64(v: i128) -> i64 {
    i64::try_from(v.clamp(0, i128::from(i64::MAX))).unwrap_or(i64::MAX)
}

/// The well-known resources `NodeResourcesFit` checks by name; every other name is a scalar
/// (extended) resource.
fn is_scalar(name: &str) -> bool {
    !matches!(name, "cpu" | "memory" | "ephemeral-storage" | "pods")
}

/// Resource amounts: cpu in millicores, memory and ephemeral-storage in bytes, scalars in units.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Resources {
    pub cpu: i64,
    pub memory: i64,
    pub ephemeral: i64,
    /// Extended resources (`nvidia.com/gpu`, `hugepages-2Mi`), sorted by name.
    pub scalar: BTreeMap<String, i64>,
}

impl Resources {
    fn add(&mut self, other: &Resources) {
        self.cpu = self.cpu.saturating_add(other.cpu);
        self.memory = self.memory.saturating_add(other.memory);
        self.ephemeral = self.ephemeral.saturating_add(other.ephemeral);
        for (k, v) in &other.scalar {
            let e = self.scalar.entry(k.clone()).or_insert(0);
            *e = e.saturating_add(*v);
        }
    }

    fn sub(&mut self, other: &Resources) {
        self.cpu = self.cpu.saturating_sub(other.cpu);
        self.memory = self.memory.saturating_sub(other.memory);
        self.ephemeral = self.ephemeral.saturating_sub(other.ephemeral);
        for (k, v) in &other.scalar {
            let e = self.scalar.entry(k.clone()).or_insert(0);
            *e = e.saturating_sub(*v);
        }
    }

    fn max(&mut self, other: &Resources) {
        self.cpu = self.cpu.max(other.cpu);
        self.memory = self.memory.max(other.memory);
        self.ephemeral = self.ephemeral.max(other.ephemeral);
        for (k, v) in &other.scalar {
            let e = self.scalar.entry(k.clone()).or_insert(0);
            *e = (*e).max(*v);
        }
    }

    /// Reads a resource list (`requests`, `allocatable`, `overhead`).
    fn from_list(list: &BTreeMap<String, Quantity>) -> Resources {
        let mut r = Resources::default();
        for (name, q) in list {
            match name.as_str() {
                "cpu" => r.cpu = milli(q),
                "memory" => r.memory = units(q),
                "ephemeral-storage" => r.ephemeral = units(q),
                n if is_scalar(n) => {
                    r.scalar.insert(n.to_string(), units(q));
                }
                _ => {}
            }
        }
        r
    }
}

/// One container's requests; `nonzero` applies the scoring defaults to missing cpu/memory
/// (`NonMissingContainerRequests`).
fn container_requests(c: &Container, nonzero: bool) -> Resources {
    let res = c.resources.as_ref();
    let requests = res.and_then(|r| r.requests.as_ref());
    let limits = res.and_then(|r| r.limits.as_ref());
    let mut merged: BTreeMap<String, Quantity> = limits.cloned().unwrap_or_default();
    if let Some(req) = requests {
        for (k, v) in req {
            merged.insert(k.clone(), v.clone());
        }
    }
    let mut r = Resources::from_list(&merged);
    if nonzero {
        if !merged.contains_key("cpu") {
            r.cpu = DEFAULT_MILLI_CPU_REQUEST;
        }
        if !merged.contains_key("memory") {
            r.memory = DEFAULT_MEMORY_REQUEST;
        }
    }
    r
}

/// `PodRequests`: containers summed, max with each init container (restartable init containers
/// run alongside and add up), plus overhead.
pub(crate) fn pod_requests(pod: &Pod, nonzero: bool) -> Resources {
    let Some(spec) = pod.spec.as_ref() else {
        return Resources::default();
    };
    let mut total = Resources::default();
    for c in &spec.containers {
        total.add(&container_requests(c, nonzero));
    }
    let mut sidecars = Resources::default();
    let mut init_max = Resources::default();
    for c in spec.init_containers.as_deref().unwrap_or_default() {
        let r = container_requests(c, nonzero);
        if c.restart_policy.as_deref() == Some("Always") {
            sidecars.add(&r);
            init_max.max(&sidecars);
        } else {
            let mut with = sidecars.clone();
            with.add(&r);
            init_max.max(&with);
        }
    }
    total.add(&sidecars);
    total.max(&init_max);
    if let Some(overhead) = spec.overhead.as_ref() {
        total.add(&Resources::from_list(overhead));
    }
    total
}

/// One host port a pod binds (`HostPortInfo` entry): empty IP and protocol are sanitized to
/// `0.0.0.0` and `TCP`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct HostPort {
    pub ip: String,
    pub protocol: String,
    pub port: i32,
}

impl HostPort {
    /// `HostPortInfo.CheckConflict`: the wildcard IP conflicts with every IP on the same
    /// protocol and port.
    pub fn conflicts(&self, other: &HostPort) -> bool {
        self.port == other.port
            && self.protocol == other.protocol
            && (self.ip == other.ip || self.ip == "0.0.0.0" || other.ip == "0.0.0.0")
    }
}

/// The host ports of a pod's containers (`getContainerPorts`: regular containers only).
pub(crate) fn host_ports(pod: &Pod) -> Vec<HostPort> {
    let mut out = Vec::new();
    for c in pod.spec.iter().flat_map(|s| s.containers.iter()) {
        for p in c.ports.as_deref().unwrap_or_default() {
            let port = p.host_port.unwrap_or(0);
            if port <= 0 {
                continue;
            }
            out.push(HostPort {
                ip: p
                    .host_ip
                    .clone()
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "0.0.0.0".to_string()),
                protocol: p
                    .protocol
                    .clone()
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "TCP".to_string()),
                port,
            });
        }
    }
    out
}

/// What an assigned pod holds on its node.
#[derive(Debug, Clone)]
pub(crate) struct PodUsage {
    pub priority: i32,
    pub requests: Resources,
    pub nonzero_cpu: i64,
    pub nonzero_memory: i64,
    pub ports: Vec<HostPort>,
}

impl PodUsage {
    pub fn of(pod: &Pod) -> PodUsage {
        let nz = pod_requests(pod, true);
        PodUsage {
            priority: pod_priority(pod),
            requests: pod_requests(pod, false),
            nonzero_cpu: nz.cpu,
            nonzero_memory: nz.memory,
            ports: host_ports(pod),
        }
    }
}

/// `corev1helpers.PodPriority`: `spec.priority`, 0 if unset.
pub(crate) fn pod_priority(pod: &Pod) -> i32 {
    pod.spec.as_ref().and_then(|s| s.priority).unwrap_or(0)
}

/// Whether a pod is in a terminal phase (the scheduler's informer does not see those).
pub(crate) fn is_terminal(pod: &Pod) -> bool {
    matches!(
        pod.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

/// `NodeInfo`: one node and what its assigned pods use.
#[derive(Debug, Clone)]
pub(crate) struct NodeInfo<'a> {
    pub name: &'a str,
    pub labels: Option<&'a BTreeMap<String, String>>,
    pub unschedulable: bool,
    pub taints: &'a [Taint],
    /// Whether any taint has effect NoSchedule or NoExecute (the filter's fast exit).
    pub has_hard_taints: bool,
    /// Whether any taint has effect PreferNoSchedule (the score's fast exit).
    pub has_prefer_taints: bool,
    pub allocatable: Resources,
    pub allowed_pods: i64,
    pub requested: Resources,
    pub nonzero_cpu: i64,
    pub nonzero_memory: i64,
    pub ports: Vec<HostPort>,
    /// Indexes into [`Snapshot::pods`] of the pods assigned here.
    pub pods: Vec<usize>,
}

impl<'a> NodeInfo<'a> {
    fn new(node: &'a Node) -> NodeInfo<'a> {
        let spec = node.spec.as_ref();
        let taints = spec.and_then(|s| s.taints.as_deref()).unwrap_or_default();
        let allocatable_list = node.status.as_ref().and_then(|s| {
            s.allocatable
                .as_ref()
                .filter(|a| !a.is_empty())
                .or(s.capacity.as_ref())
        });
        let empty = BTreeMap::new();
        let list = allocatable_list.unwrap_or(&empty);
        NodeInfo {
            name: node.metadata.name.as_deref().unwrap_or_default(),
            labels: node.metadata.labels.as_ref(),
            unschedulable: spec.and_then(|s| s.unschedulable).unwrap_or(false),
            taints,
            has_hard_taints: taints
                .iter()
                .any(|t| t.effect == "NoSchedule" || t.effect == "NoExecute"),
            has_prefer_taints: taints.iter().any(|t| t.effect == "PreferNoSchedule"),
            allocatable: Resources::from_list(list),
            allowed_pods: list.get("pods").map(units).unwrap_or(0),
            requested: Resources::default(),
            nonzero_cpu: 0,
            nonzero_memory: 0,
            ports: Vec::new(),
            pods: Vec::new(),
        }
    }

    /// The node's labels, empty if none.
    pub fn label(&self, key: &str) -> Option<&'a str> {
        self.labels.and_then(|l| l.get(key)).map(String::as_str)
    }
}

/// All nodes (in name order) and the usage of every assigned, non-terminal pod.
#[derive(Debug, Clone, Default)]
pub(crate) struct Snapshot<'a> {
    pub nodes: Vec<NodeInfo<'a>>,
    pub by_name: BTreeMap<&'a str, usize>,
    pub pods: Vec<PodUsage>,
}

impl<'a> Snapshot<'a> {
    /// Builds the snapshot from the store's nodes and pods; the pod with uid `exclude` (the one
    /// being explained) does not count against its own node.
    pub fn build(
        nodes: impl Iterator<Item = &'a Node>,
        pods: impl Iterator<Item = &'a Pod>,
        exclude: Option<&str>,
    ) -> Snapshot<'a> {
        let mut snap = Snapshot::default();
        for node in nodes {
            let info = NodeInfo::new(node);
            snap.by_name.insert(info.name, snap.nodes.len());
            snap.nodes.push(info);
        }
        for pod in pods {
            let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) else {
                continue;
            };
            if is_terminal(pod) {
                continue;
            }
            if exclude.is_some() && pod.metadata.uid.as_deref() == exclude {
                continue;
            }
            if let Some(&idx) = snap.by_name.get(node) {
                snap.add(idx, PodUsage::of(pod));
            }
        }
        snap
    }

    /// Counts a pod against node `idx` (`NodeInfo.AddPod`).
    pub fn add(&mut self, idx: usize, usage: PodUsage) {
        let pod_idx = self.pods.len();
        if let Some(n) = self.nodes.get_mut(idx) {
            n.requested.add(&usage.requests);
            n.nonzero_cpu = n.nonzero_cpu.saturating_add(usage.nonzero_cpu);
            n.nonzero_memory = n.nonzero_memory.saturating_add(usage.nonzero_memory);
            n.ports.extend(usage.ports.iter().cloned());
            n.pods.push(pod_idx);
        }
        self.pods.push(usage);
    }

    /// The node as it would be without its pods of priority lower than `priority`
    /// (`SelectVictimsOnNode` removing every potential victim), and how many were removed.
    pub fn without_lower_priority(
        &self,
        idx: usize,
        priority: i32,
    ) -> Option<(NodeInfo<'a>, usize)> {
        let node = self.nodes.get(idx)?;
        let mut reduced = node.clone();
        reduced.ports.clear();
        reduced.pods.clear();
        let mut removed = 0;
        for &p in &node.pods {
            let Some(usage) = self.pods.get(p) else {
                continue;
            };
            if usage.priority < priority {
                removed += 1;
                reduced.requested.sub(&usage.requests);
                reduced.nonzero_cpu -= usage.nonzero_cpu;
                reduced.nonzero_memory -= usage.nonzero_memory;
            } else {
                reduced.ports.extend(usage.ports.iter().cloned());
                reduced.pods.push(p);
            }
        }
        Some((reduced, removed))
    }
}

/// The PreFilter result of `NodeAffinity`: which nodes are worth filtering at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PreFilter<'a> {
    /// Every node.
    All,
    /// Only these (from `matchFields metadata.name In [..]` in every required term).
    Nodes(BTreeSet<&'a str>),
    /// The terms name disjoint nodes: nothing can match (`pod affinity terms conflict`).
    Conflict,
}

/// What the filters and scores need to know about the pod being scheduled, computed once.
#[derive(Debug, Clone)]
pub(crate) struct PodInfo<'a> {
    pub priority: i32,
    pub preempt_never: bool,
    pub node_name: Option<&'a str>,
    pub requests: Resources,
    pub nonzero_cpu: i64,
    pub nonzero_memory: i64,
    pub ports: Vec<HostPort>,
    pub tolerations: &'a [Toleration],
    pub tolerates_unschedulable: bool,
    pub node_selector: Option<&'a BTreeMap<String, String>>,
    /// Required node affinity terms (ORed); `None` if the pod has no required affinity.
    pub required: Option<&'a [NodeSelectorTerm]>,
    pub preferred: &'a [PreferredSchedulingTerm],
    /// Tolerations that can tolerate PreferNoSchedule taints (empty effect or that effect).
    pub prefer_tolerations: Vec<&'a Toleration>,
    pub prefilter: PreFilter<'a>,
}

impl<'a> PodInfo<'a> {
    pub fn new(pod: &'a Pod) -> PodInfo<'a> {
        let spec = pod.spec.as_ref();
        let tolerations = spec
            .and_then(|s| s.tolerations.as_deref())
            .unwrap_or_default();
        let node_affinity = spec
            .and_then(|s| s.affinity.as_ref())
            .and_then(|a| a.node_affinity.as_ref());
        let required = node_affinity
            .and_then(|na| {
                na.required_during_scheduling_ignored_during_execution
                    .as_ref()
            })
            .map(|r| r.node_selector_terms.as_slice());
        let preferred = node_affinity
            .and_then(|na| {
                na.preferred_during_scheduling_ignored_during_execution
                    .as_deref()
            })
            .unwrap_or_default();
        let unschedulable_taint = Taint {
            key: taints::TAINT_UNSCHEDULABLE.to_string(),
            effect: "NoSchedule".to_string(),
            value: None,
            time_added: None,
        };
        let nz = pod_requests(pod, true);
        PodInfo {
            priority: pod_priority(pod),
            preempt_never: spec.and_then(|s| s.preemption_policy.as_deref()) == Some("Never"),
            node_name: spec
                .and_then(|s| s.node_name.as_deref())
                .filter(|n| !n.is_empty()),
            requests: pod_requests(pod, false),
            nonzero_cpu: nz.cpu,
            nonzero_memory: nz.memory,
            ports: host_ports(pod),
            tolerations,
            tolerates_unschedulable: tolerations
                .iter()
                .any(|t| taints::tolerates(t, &unschedulable_taint)),
            node_selector: spec
                .and_then(|s| s.node_selector.as_ref())
                .filter(|m| !m.is_empty()),
            required,
            preferred,
            prefer_tolerations: tolerations
                .iter()
                .filter(|t| {
                    matches!(
                        t.effect.as_deref(),
                        None | Some("") | Some("PreferNoSchedule")
                    )
                })
                .collect(),
            prefilter: prefilter(required),
        }
    }

    /// What the pod holds once bound.
    pub fn usage(&self) -> PodUsage {
        PodUsage {
            priority: self.priority,
            requests: self.requests.clone(),
            nonzero_cpu: self.nonzero_cpu,
            nonzero_memory: self.nonzero_memory,
            ports: self.ports.clone(),
        }
    }
}

/// `NodeAffinity.PreFilter`: if every required term pins `metadata.name In [..]`, only the union
/// of those names is worth evaluating (a term's several pins intersect).
fn prefilter(required: Option<&[NodeSelectorTerm]>) -> PreFilter<'_> {
    let Some(terms) = required.filter(|t| !t.is_empty()) else {
        return PreFilter::All;
    };
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for term in terms {
        let mut term_names: Option<BTreeSet<&str>> = None;
        for r in term.match_fields.as_deref().unwrap_or_default() {
            if r.key == "metadata.name" && r.operator == "In" {
                let s: BTreeSet<&str> = r
                    .values
                    .as_deref()
                    .unwrap_or_default()
                    .iter()
                    .map(String::as_str)
                    .collect();
                term_names = Some(match term_names {
                    None => s,
                    Some(prev) => prev.intersection(&s).copied().collect(),
                });
            }
        }
        match term_names {
            // A term without a name pin lets every node through (terms are ORed).
            None => return PreFilter::All,
            Some(s) => names.extend(s),
        }
    }
    if names.is_empty() {
        PreFilter::Conflict
    } else {
        PreFilter::Nodes(names)
    }
}
