//! The Kubernetes API objects the simulated cluster stores: real `k8s-openapi` types, wrapped in
//! one closed [`Object`] enum, and the [`Kind`] table kubectl resolves resource names against.

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{Event, Namespace, Node, Pod, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

pub mod daemonset;
pub mod defaults;
pub mod job;
pub mod node;
pub mod service;
pub mod taints;

/// Every kind of object the simulated API server serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// v1 Namespace.
    Namespace,
    /// v1 Node.
    Node,
    /// v1 Pod.
    Pod,
    /// v1 Service.
    Service,
    /// discovery.k8s.io/v1 EndpointSlice.
    EndpointSlice,
    /// apps/v1 DaemonSet.
    DaemonSet,
    /// apps/v1 ControllerRevision.
    ControllerRevision,
    /// batch/v1 Job.
    Job,
    /// v1 Event.
    Event,
}

/// Static facts about a kind, as `kubectl api-resources` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindInfo {
    /// The kind.
    pub kind: Kind,
    /// `kind:` in manifests.
    pub name: &'static str,
    /// API group ("" for core).
    pub group: &'static str,
    /// API version within the group.
    pub version: &'static str,
    /// Plural resource name.
    pub plural: &'static str,
    /// Singular resource name.
    pub singular: &'static str,
    /// kubectl short names.
    pub short_names: &'static [&'static str],
    /// Whether objects live in a namespace.
    pub namespaced: bool,
    /// Verbs the resource supports, for `api-resources -o wide`.
    pub verbs: &'static str,
}

const FALLBACK_INFO: KindInfo = KindInfo {
    kind: Kind::Event,
    name: "Event",
    group: "",
    version: "v1",
    plural: "events",
    singular: "event",
    short_names: &["ev"],
    namespaced: true,
    verbs: STD_VERBS,
};

const STD_VERBS: &str = "create,delete,deletecollection,get,list,patch,update,watch";

/// The kinds in the order `kubectl api-resources` prints them (core first, then by group).
pub const KINDS: &[KindInfo] = &[
    KindInfo {
        kind: Kind::Event,
        name: "Event",
        group: "",
        version: "v1",
        plural: "events",
        singular: "event",
        short_names: &["ev"],
        namespaced: true,
        verbs: STD_VERBS,
    },
    KindInfo {
        kind: Kind::Namespace,
        name: "Namespace",
        group: "",
        version: "v1",
        plural: "namespaces",
        singular: "namespace",
        short_names: &["ns"],
        namespaced: false,
        verbs: "create,delete,get,list,patch,update,watch",
    },
    KindInfo {
        kind: Kind::Node,
        name: "Node",
        group: "",
        version: "v1",
        plural: "nodes",
        singular: "node",
        short_names: &["no"],
        namespaced: false,
        verbs: STD_VERBS,
    },
    KindInfo {
        kind: Kind::Pod,
        name: "Pod",
        group: "",
        version: "v1",
        plural: "pods",
        singular: "pod",
        short_names: &["po"],
        namespaced: true,
        verbs: STD_VERBS,
    },
    KindInfo {
        kind: Kind::Service,
        name: "Service",
        group: "",
        version: "v1",
        plural: "services",
        singular: "service",
        short_names: &["svc"],
        namespaced: true,
        verbs: STD_VERBS,
    },
    KindInfo {
        kind: Kind::ControllerRevision,
        name: "ControllerRevision",
        group: "apps",
        version: "v1",
        plural: "controllerrevisions",
        singular: "controllerrevision",
        short_names: &[],
        namespaced: true,
        verbs: STD_VERBS,
    },
    KindInfo {
        kind: Kind::DaemonSet,
        name: "DaemonSet",
        group: "apps",
        version: "v1",
        plural: "daemonsets",
        singular: "daemonset",
        short_names: &["ds"],
        namespaced: true,
        verbs: STD_VERBS,
    },
    KindInfo {
        kind: Kind::Job,
        name: "Job",
        group: "batch",
        version: "v1",
        plural: "jobs",
        singular: "job",
        short_names: &[],
        namespaced: true,
        verbs: STD_VERBS,
    },
    KindInfo {
        kind: Kind::EndpointSlice,
        name: "EndpointSlice",
        group: "discovery.k8s.io",
        version: "v1",
        plural: "endpointslices",
        singular: "endpointslice",
        short_names: &[],
        namespaced: true,
        verbs: STD_VERBS,
    },
];

impl Kind {
    /// The static facts for this kind.
    pub fn info(self) -> &'static KindInfo {
        // KINDS lists every variant; the fallback is unreachable but keeps this total.
        KINDS
            .iter()
            .find(|k| k.kind == self)
            .unwrap_or(&FALLBACK_INFO)
    }

    /// `kind:` as written in manifests (`DaemonSet`).
    pub fn as_str(self) -> &'static str {
        self.info().name
    }

    /// `apiVersion:` (`apps/v1`).
    pub fn api_version(self) -> String {
        let i = self.info();
        if i.group.is_empty() {
            i.version.to_string()
        } else {
            format!("{}/{}", i.group, i.version)
        }
    }

    /// Plural resource name with its group, as errors and kubectl output qualify it
    /// (`daemonsets.apps`, `pods`).
    pub fn resource_group(self) -> String {
        let i = self.info();
        if i.group.is_empty() {
            i.plural.to_string()
        } else {
            format!("{}.{}", i.plural, i.group)
        }
    }

    /// Singular with group, as kubectl prints object references (`daemonset.apps/x`, `pod/x`).
    pub fn singular_group(self) -> String {
        let i = self.info();
        if i.group.is_empty() {
            i.singular.to_string()
        } else {
            format!("{}.{}", i.singular, i.group)
        }
    }

    /// Kind with group, as API error messages name it (`DaemonSet.apps`, `Pod`).
    pub fn kind_group(self) -> String {
        let i = self.info();
        if i.group.is_empty() {
            i.name.to_string()
        } else {
            format!("{}.{}", i.name, i.group)
        }
    }

    /// Whether objects of this kind live in a namespace.
    pub fn namespaced(self) -> bool {
        self.info().namespaced
    }

    /// Resolves what a user typed (`po`, `pods`, `Pod`, `daemonsets.apps`, `ds`) to a kind.
    pub fn from_resource(name: &str) -> Option<Kind> {
        let lower = name.to_ascii_lowercase();
        let (base, group) = match lower.split_once('.') {
            Some((b, g)) => (b.to_string(), Some(g.to_string())),
            None => (lower.clone(), None),
        };
        KINDS
            .iter()
            .find(|k| {
                let name_ok = k.plural == base
                    || k.singular == base
                    || k.short_names.contains(&base.as_str())
                    || k.name.to_ascii_lowercase() == base;
                let group_ok = match &group {
                    None => true,
                    Some(g) => {
                        k.group == g || g.starts_with(&format!("{}.", k.version)) || g == k.version
                    }
                };
                name_ok && group_ok
            })
            .map(|k| k.kind)
    }

    /// Resolves `apiVersion` + `kind` from a manifest.
    pub fn from_type_meta(api_version: &str, kind: &str) -> Option<Kind> {
        KINDS
            .iter()
            .find(|k| {
                let av = if k.group.is_empty() {
                    k.version.to_string()
                } else {
                    format!("{}/{}", k.group, k.version)
                };
                k.name == kind && av == api_version
            })
            .map(|k| k.kind)
    }

    /// Every kind.
    pub fn all() -> impl Iterator<Item = Kind> {
        KINDS.iter().map(|k| k.kind)
    }
}

/// One stored API object.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Object {
    /// v1 Namespace.
    Namespace(Namespace),
    /// v1 Node.
    Node(Node),
    /// v1 Pod.
    Pod(Pod),
    /// v1 Service.
    Service(Service),
    /// discovery.k8s.io/v1 EndpointSlice.
    EndpointSlice(EndpointSlice),
    /// apps/v1 DaemonSet.
    DaemonSet(DaemonSet),
    /// apps/v1 ControllerRevision.
    ControllerRevision(ControllerRevision),
    /// batch/v1 Job.
    Job(Job),
    /// v1 Event.
    Event(Event),
}

macro_rules! each_object {
    ($obj:expr, $v:ident => $body:expr) => {
        match $obj {
            Object::Namespace($v) => $body,
            Object::Node($v) => $body,
            Object::Pod($v) => $body,
            Object::Service($v) => $body,
            Object::EndpointSlice($v) => $body,
            Object::DaemonSet($v) => $body,
            Object::ControllerRevision($v) => $body,
            Object::Job($v) => $body,
            Object::Event($v) => $body,
        }
    };
}

/// The `null`s Go's encoder writes and k8s-openapi leaves out: a `metav1.Time` (or `MicroTime`)
/// struct field tagged only `omitempty` is never omitted, so an unset one is `null` — a pod
/// condition's `lastProbeTime` (the kubelet never sets it) and a core/v1 Event's `eventTime`
/// (or, for one recorded through events.k8s.io/v1, `firstTimestamp` and `lastTimestamp`).
/// (`creationTimestamp` is tagged `omitzero` since 1.34, so it is left out, as here.)
fn add_go_nulls(kind: Kind, v: &mut serde_json::Value) {
    let null_if_missing = |o: &mut serde_json::Value, field: &str| {
        if let Some(m) = o.as_object_mut() {
            m.entry(field).or_insert(serde_json::Value::Null);
        }
    };
    match kind {
        Kind::Pod => {
            if let Some(conds) = v
                .pointer_mut("/status/conditions")
                .and_then(serde_json::Value::as_array_mut)
            {
                for c in conds {
                    null_if_missing(c, "lastProbeTime");
                }
            }
        }
        Kind::Event => {
            for field in ["eventTime", "firstTimestamp", "lastTimestamp"] {
                null_if_missing(v, field);
            }
        }
        _ => {}
    }
}

impl Object {
    /// The object's kind.
    pub fn kind(&self) -> Kind {
        match self {
            Object::Namespace(_) => Kind::Namespace,
            Object::Node(_) => Kind::Node,
            Object::Pod(_) => Kind::Pod,
            Object::Service(_) => Kind::Service,
            Object::EndpointSlice(_) => Kind::EndpointSlice,
            Object::DaemonSet(_) => Kind::DaemonSet,
            Object::ControllerRevision(_) => Kind::ControllerRevision,
            Object::Job(_) => Kind::Job,
            Object::Event(_) => Kind::Event,
        }
    }

    /// The object's metadata.
    pub fn meta(&self) -> &ObjectMeta {
        each_object!(self, o => &o.metadata)
    }

    /// The object's metadata, mutably.
    pub fn meta_mut(&mut self) -> &mut ObjectMeta {
        each_object!(self, o => &mut o.metadata)
    }

    /// `metadata.name` ("" if unset).
    pub fn name(&self) -> &str {
        self.meta().name.as_deref().unwrap_or_default()
    }

    /// `metadata.namespace` ("" if unset or cluster-scoped).
    pub fn namespace(&self) -> &str {
        self.meta().namespace.as_deref().unwrap_or_default()
    }

    /// `metadata.uid` ("" if unset).
    pub fn uid(&self) -> &str {
        self.meta().uid.as_deref().unwrap_or_default()
    }

    /// The store key of this object.
    pub fn key(&self) -> ObjectKey {
        ObjectKey::new(self.kind(), self.namespace(), self.name())
    }

    /// The owner reference marked `controller: true`, if any.
    pub fn controller_ref(&self) -> Option<&OwnerReference> {
        controller_ref(self.meta())
    }

    /// The object as upstream JSON, with `apiVersion` and `kind` (keys sorted, as kubectl prints).
    pub fn to_json(&self) -> serde_json::Value {
        let res = each_object!(self, o => serde_json::to_value(o));
        let mut v = res.unwrap_or(serde_json::Value::Null);
        add_go_nulls(self.kind(), &mut v);
        v
    }

    /// Decodes upstream JSON of a known kind into an object (no strict field checking; see
    /// [`crate::engine::decode`] for user input).
    pub fn from_json(kind: Kind, value: serde_json::Value) -> Result<Object, serde_json::Error> {
        Ok(match kind {
            Kind::Namespace => Object::Namespace(serde_json::from_value(value)?),
            Kind::Node => Object::Node(serde_json::from_value(value)?),
            Kind::Pod => Object::Pod(serde_json::from_value(value)?),
            Kind::Service => Object::Service(serde_json::from_value(value)?),
            Kind::EndpointSlice => Object::EndpointSlice(serde_json::from_value(value)?),
            Kind::DaemonSet => Object::DaemonSet(serde_json::from_value(value)?),
            Kind::ControllerRevision => Object::ControllerRevision(serde_json::from_value(value)?),
            Kind::Job => Object::Job(serde_json::from_value(value)?),
            Kind::Event => Object::Event(serde_json::from_value(value)?),
        })
    }

    /// The object as a Pod, if it is one.
    pub fn as_pod(&self) -> Option<&Pod> {
        match self {
            Object::Pod(p) => Some(p),
            _ => None,
        }
    }

    /// The object as a Node, if it is one.
    pub fn as_node(&self) -> Option<&Node> {
        match self {
            Object::Node(n) => Some(n),
            _ => None,
        }
    }

    /// The object with its status removed, to compare specs.
    pub fn spec_json(&self) -> serde_json::Value {
        let mut v = self.to_json();
        if let Some(map) = v.as_object_mut() {
            map.remove("status");
            map.remove("metadata");
        }
        v
    }
}

/// The controller owner reference of an object's metadata.
pub fn controller_ref(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references
        .as_deref()
        .unwrap_or_default()
        .iter()
        .find(|r| r.controller == Some(true))
}

/// Where an object lives in the store: kind, namespace ("" for cluster-scoped), name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    /// The kind.
    pub kind: Kind,
    /// The namespace, "" for cluster-scoped kinds.
    pub namespace: String,
    /// The name.
    pub name: String,
}

impl ObjectKey {
    /// A key; the namespace is dropped for cluster-scoped kinds.
    pub fn new(kind: Kind, namespace: &str, name: &str) -> Self {
        ObjectKey {
            kind,
            namespace: if kind.namespaced() {
                namespace.to_string()
            } else {
                String::new()
            },
            name: name.to_string(),
        }
    }
}

impl std::fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.kind.info().singular, self.name)
    }
}

/// Labels of an object's metadata (empty map if none).
pub fn labels(meta: &ObjectMeta) -> std::collections::BTreeMap<String, String> {
    meta.labels.clone().unwrap_or_default()
}

/// The value a downward-API `fieldRef` path selects in `pod` (`metadata.name`,
/// `metadata.labels['k']`, `spec.nodeName`, `status.podIP`, …), as fieldpath's
/// ExtractFieldPathAsString and kubectl's EnvValueRetriever read it.
pub fn pod_field(pod: &k8s_openapi::api::core::v1::Pod, path: &str) -> Option<String> {
    let m = &pod.metadata;
    let key = |prefix: &str| -> Option<String> {
        path.strip_prefix(prefix)
            .and_then(|r| r.strip_prefix("['").or_else(|| r.strip_prefix("[\"")))
            .map(|r| r.trim_end_matches("']").trim_end_matches("\"]").to_string())
    };
    if let Some(k) = key("metadata.labels") {
        return m.labels.as_ref().and_then(|l| l.get(&k)).cloned();
    }
    if let Some(k) = key("metadata.annotations") {
        return m.annotations.as_ref().and_then(|a| a.get(&k)).cloned();
    }
    let spec = pod.spec.as_ref();
    let status = pod.status.as_ref();
    match path {
        "metadata.name" => m.name.clone(),
        "metadata.namespace" => m.namespace.clone(),
        "metadata.uid" => m.uid.clone(),
        "spec.nodeName" => spec.and_then(|s| s.node_name.clone()),
        "spec.serviceAccountName" => spec.and_then(|s| s.service_account_name.clone()),
        "status.podIP" | "status.podIPs" => status.and_then(|s| s.pod_ip.clone()),
        "status.hostIP" | "status.hostIPs" => status.and_then(|s| s.host_ip.clone()),
        _ => None,
    }
}

/// The names of a pod's init containers, then its containers (as `kubectl logs
/// --all-containers` walks them and the kubelet validates `-c`).
pub fn container_names(pod: &k8s_openapi::api::core::v1::Pod) -> Vec<String> {
    pod.spec
        .as_ref()
        .map(|s| {
            s.init_containers
                .iter()
                .flatten()
                .chain(s.containers.iter())
                .map(|c| c.name.clone())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_resource_names_like_kubectl() {
        let cases: &[(&str, Option<Kind>)] = &[
            ("po", Some(Kind::Pod)),
            ("pods", Some(Kind::Pod)),
            ("Pod", Some(Kind::Pod)),
            ("ds", Some(Kind::DaemonSet)),
            ("daemonsets.apps", Some(Kind::DaemonSet)),
            ("daemonset.v1.apps", Some(Kind::DaemonSet)),
            ("jobs.batch", Some(Kind::Job)),
            ("no", Some(Kind::Node)),
            ("ev", Some(Kind::Event)),
            ("svc", Some(Kind::Service)),
            ("endpointslices", Some(Kind::EndpointSlice)),
            ("controllerrevisions", Some(Kind::ControllerRevision)),
            ("deployments", None),
            ("pods.apps", None),
        ];
        for (input, want) in cases {
            assert_eq!(Kind::from_resource(input), *want, "for {input}");
        }
    }

    #[test]
    fn type_meta_lookup_needs_the_right_group() {
        assert_eq!(
            Kind::from_type_meta("apps/v1", "DaemonSet"),
            Some(Kind::DaemonSet)
        );
        assert_eq!(Kind::from_type_meta("v1", "DaemonSet"), None);
        assert_eq!(Kind::from_type_meta("batch/v1", "Job"), Some(Kind::Job));
        assert_eq!(Kind::DaemonSet.resource_group(), "daemonsets.apps");
        assert_eq!(Kind::Pod.kind_group(), "Pod");
    }
}
