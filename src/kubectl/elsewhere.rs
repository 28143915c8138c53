//! Kinds of real Kubernetes that kubeplay does not simulate. kubectl's own errors for them
//! (`the server doesn't have a resource type "deploy"`, `no matches for kind "CronJob" in
//! version "batch/v1" … ensure CRDs are installed first`) would teach that they do not exist,
//! so kubeplay adds a line saying what they are and what it runs instead.

/// A built-in kind of Kubernetes 1.34 that kubeplay does not serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RealKind {
    /// `Deployment`.
    pub kind: &'static str,
    /// `apps/v1`.
    pub api_version: &'static str,
    /// `deployments`.
    pub plural: &'static str,
    /// Short names (`deploy`).
    pub short: &'static [&'static str],
}

const fn k(
    kind: &'static str,
    api_version: &'static str,
    plural: &'static str,
    short: &'static [&'static str],
) -> RealKind {
    RealKind {
        kind,
        api_version,
        plural,
        short,
    }
}

/// The built-in kinds a learner is likely to meet (`kubectl api-resources` of a 1.34 cluster,
/// minus what kubeplay serves).
pub const REAL_KINDS: &[RealKind] = &[
    k("ConfigMap", "v1", "configmaps", &["cm"]),
    k("Secret", "v1", "secrets", &[]),
    k("ServiceAccount", "v1", "serviceaccounts", &["sa"]),
    k("PersistentVolume", "v1", "persistentvolumes", &["pv"]),
    k(
        "PersistentVolumeClaim",
        "v1",
        "persistentvolumeclaims",
        &["pvc"],
    ),
    k(
        "ReplicationController",
        "v1",
        "replicationcontrollers",
        &["rc"],
    ),
    k("ResourceQuota", "v1", "resourcequotas", &["quota"]),
    k("LimitRange", "v1", "limitranges", &["limits"]),
    k("Endpoints", "v1", "endpoints", &["ep"]),
    k("PodTemplate", "v1", "podtemplates", &[]),
    k("ComponentStatus", "v1", "componentstatuses", &["cs"]),
    k("Deployment", "apps/v1", "deployments", &["deploy"]),
    k("ReplicaSet", "apps/v1", "replicasets", &["rs"]),
    k("StatefulSet", "apps/v1", "statefulsets", &["sts"]),
    k("CronJob", "batch/v1", "cronjobs", &["cj"]),
    k("Ingress", "networking.k8s.io/v1", "ingresses", &["ing"]),
    k(
        "IngressClass",
        "networking.k8s.io/v1",
        "ingressclasses",
        &[],
    ),
    k(
        "NetworkPolicy",
        "networking.k8s.io/v1",
        "networkpolicies",
        &["netpol"],
    ),
    k(
        "PodDisruptionBudget",
        "policy/v1",
        "poddisruptionbudgets",
        &["pdb"],
    ),
    k(
        "HorizontalPodAutoscaler",
        "autoscaling/v2",
        "horizontalpodautoscalers",
        &["hpa"],
    ),
    k("Role", "rbac.authorization.k8s.io/v1", "roles", &[]),
    k(
        "RoleBinding",
        "rbac.authorization.k8s.io/v1",
        "rolebindings",
        &[],
    ),
    k(
        "ClusterRole",
        "rbac.authorization.k8s.io/v1",
        "clusterroles",
        &[],
    ),
    k(
        "ClusterRoleBinding",
        "rbac.authorization.k8s.io/v1",
        "clusterrolebindings",
        &[],
    ),
    k(
        "StorageClass",
        "storage.k8s.io/v1",
        "storageclasses",
        &["sc"],
    ),
    k(
        "PriorityClass",
        "scheduling.k8s.io/v1",
        "priorityclasses",
        &["pc"],
    ),
    k("RuntimeClass", "node.k8s.io/v1", "runtimeclasses", &[]),
    k("Lease", "coordination.k8s.io/v1", "leases", &[]),
    k(
        "CustomResourceDefinition",
        "apiextensions.k8s.io/v1",
        "customresourcedefinitions",
        &["crd", "crds"],
    ),
];

impl RealKind {
    fn group(&self) -> &'static str {
        self.api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }

    /// What kubeplay adds to kubectl's error.
    pub fn note(&self) -> String {
        format!(
            "kubeplay: {} ({}) is part of Kubernetes, but kubeplay does not simulate it; it runs Nodes, Pods, DaemonSets, Jobs, Services, EndpointSlices, Namespaces, Events and ControllerRevisions (kubectl api-resources)",
            self.kind, self.api_version
        )
    }
}

/// The real kind a resource word names (`deploy`, `deployments`, `deployment`,
/// `deployments.apps`, `Deployment`).
pub fn by_resource(word: &str) -> Option<&'static RealKind> {
    let lower = word.to_ascii_lowercase();
    let (name, group) = match lower.split_once('.') {
        Some((n, g)) => (n, Some(g)),
        None => (lower.as_str(), None),
    };
    REAL_KINDS.iter().find(|k| {
        let named =
            k.plural == name || k.kind.eq_ignore_ascii_case(name) || k.short.contains(&name);
        named && group.is_none_or(|g| g == k.group())
    })
}

/// The real kind a manifest's `apiVersion` and `kind` name.
pub fn by_kind(api_version: &str, kind: &str) -> Option<&'static RealKind> {
    REAL_KINDS
        .iter()
        .find(|k| k.kind == kind && k.api_version == api_version)
}

/// A note for a manifest whose kind exists under another `apiVersion` (a 2016 blog post's
/// `extensions/v1beta1` DaemonSet): kubectl only says the version has no such kind.
pub fn moved(api_version: &str, kind: &str) -> Option<String> {
    let current = crate::engine::api::Kind::all()
        .find(|k| k.as_str() == kind)
        .map(|k| k.api_version())
        .or_else(|| {
            REAL_KINDS
                .iter()
                .find(|k| k.kind == kind)
                .map(|k| k.api_version.to_string())
        })?;
    if current == api_version {
        return None;
    }
    // When the old versions stopped being served (the deprecated API migration guide).
    let removed = match (api_version, kind) {
        ("extensions/v1beta1" | "apps/v1beta1" | "apps/v1beta2", _) => {
            " (removed in Kubernetes 1.16)"
        }
        ("batch/v1beta1" | "batch/v2alpha1", "CronJob") => " (removed in Kubernetes 1.25)",
        ("policy/v1beta1", _) => " (removed in Kubernetes 1.25)",
        ("networking.k8s.io/v1beta1", _) => " (removed in Kubernetes 1.22)",
        _ => "",
    };
    Some(format!(
        "kubeplay: Kubernetes 1.34 serves {kind} as {current}, not {api_version}{removed}; change the manifest's apiVersion to {current}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_words_and_manifests_find_real_kinds() {
        for w in [
            "deploy",
            "deployments",
            "Deployment",
            "deployment",
            "deployments.apps",
        ] {
            assert_eq!(by_resource(w).map(|k| k.kind), Some("Deployment"), "{w}");
        }
        assert_eq!(by_resource("cj").map(|k| k.kind), Some("CronJob"));
        assert_eq!(by_resource("deployments.batch"), None);
        assert_eq!(by_resource("widgets"), None);
        assert_eq!(
            by_kind("batch/v1", "CronJob").map(|k| k.plural),
            Some("cronjobs")
        );
        // A real kind under a wrong version is what kubectl says it is: not found, with a note
        // naming the version that serves it.
        assert_eq!(by_kind("extensions/v1beta1", "Deployment"), None);
        assert_eq!(
            moved("extensions/v1beta1", "DaemonSet").as_deref(),
            Some("kubeplay: Kubernetes 1.34 serves DaemonSet as apps/v1, not extensions/v1beta1 (removed in Kubernetes 1.16); change the manifest's apiVersion to apps/v1")
        );
        assert_eq!(
            moved("batch/v1beta1", "CronJob").as_deref(),
            Some("kubeplay: Kubernetes 1.34 serves CronJob as batch/v1, not batch/v1beta1 (removed in Kubernetes 1.25); change the manifest's apiVersion to batch/v1")
        );
        assert_eq!(
            moved("batch/v2", "Job").as_deref(),
            Some("kubeplay: Kubernetes 1.34 serves Job as batch/v1, not batch/v2; change the manifest's apiVersion to batch/v1")
        );
        assert_eq!(moved("v1", "Widget"), None);
    }

    #[test]
    fn served_kinds_are_not_listed() {
        for k in REAL_KINDS {
            assert!(
                crate::engine::api::Kind::from_resource(k.plural).is_none(),
                "{} is served by kubeplay",
                k.kind
            );
        }
    }
}
