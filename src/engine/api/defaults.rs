//! Defaulting as the API server does it on create (`pkg/apis/core/v1/defaults.go` and the
//! generated `SetObjectDefaults_Pod` / `SetObjectDefaults_PodTemplate` that walk into volumes,
//! containers and handlers) plus the admission plugins that touch every pod (ServiceAccount,
//! DefaultTolerationSeconds, Priority).
//!
//! Pod templates (DaemonSet, Job) get [`default_pod_spec`] only; pods also get [`default_pod`]
//! (`SetDefaults_Pod`), so a template's `-o yaml` shows no `enableServiceLinks` and no
//! host-network `hostPort`, as on a real cluster.
//!
//! Quantities in a pod spec (resources, overhead, emptyDir `sizeLimit`, downward-API divisors)
//! are stored in the API server's canonical spelling (`0.5` → `500m`), rounded up to milli-units
//! (`SetDefaults_ResourceList`); elsewhere (node capacity in a Node manifest) they stay as typed.
//!
//! Not done: the defaults of volume sources kubeplay does not simulate (iSCSI, RBD, Azure disk,
//! ScaleIO) and of image volumes.

use k8s_openapi::api::core::v1::{
    Container, ContainerPort, DownwardAPIVolumeFile, EmptyDirVolumeSource, EnvVar,
    EphemeralContainer, HTTPGetAction, Lifecycle, ObjectFieldSelector, PodSecurityContext, PodSpec,
    Probe, ResourceFieldSelector, ResourceRequirements, Toleration, Volume,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

/// `SetDefaults_PodSpec` with the nested defaults `SetObjectDefaults_PodTemplate` applies
/// (`SetDefaults_Volume` and the volume sources, `SetDefaults_Container` for containers, init
/// and ephemeral containers, probes, lifecycle handlers, downward-API selectors): applied to
/// pods and to pod templates. The pod-only part is [`default_pod`].
pub fn default_pod_spec(spec: &mut PodSpec) {
    spec.restart_policy
        .get_or_insert_with(|| "Always".to_string());
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.dns_policy
        .get_or_insert_with(|| "ClusterFirst".to_string());
    spec.scheduler_name
        .get_or_insert_with(|| "default-scheduler".to_string());
    spec.security_context
        .get_or_insert_with(PodSecurityContext::default);
    for q in spec.overhead.iter_mut().flat_map(|o| o.values_mut()) {
        canonicalize(q);
    }
    if let Some(res) = spec.resources.as_mut() {
        canonicalize_resources(res);
    }
    for v in spec.volumes.iter_mut().flatten() {
        default_volume(v);
    }
    for c in spec.containers.iter_mut() {
        default_container(c);
    }
    for c in spec.init_containers.iter_mut().flatten() {
        default_container(c);
    }
    for c in spec.ephemeral_containers.iter_mut().flatten() {
        default_ephemeral_container(c);
    }
}

/// `SetDefaults_Pod`: what only a Pod gets, not a pod template (upstream keeps these out of
/// `SetDefaults_PodSpec` so that templates stored before a release do not change): requests
/// copied from limits where a container sets a limit but no request, `enableServiceLinks`, and
/// with `hostNetwork` every container port's `hostPort` from its `containerPort`.
pub fn default_pod(spec: &mut PodSpec) {
    let containers = spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut().flatten());
    for c in containers {
        let Some(res) = c.resources.as_mut() else {
            continue;
        };
        let Some(limits) = res.limits.as_ref() else {
            continue;
        };
        let requests = res.requests.get_or_insert_with(Default::default);
        for (key, value) in limits {
            requests.entry(key.clone()).or_insert_with(|| value.clone());
        }
    }
    spec.enable_service_links.get_or_insert(true);
    if spec.host_network == Some(true) {
        let containers = spec
            .containers
            .iter_mut()
            .chain(spec.init_containers.iter_mut().flatten());
        for p in containers.flat_map(|c| c.ports.iter_mut().flatten()) {
            if p.host_port.is_none_or(|hp| hp == 0) {
                p.host_port = Some(p.container_port);
            }
        }
    }
}

/// `SetDefaults_Volume` (a volume with no source is an emptyDir) and the defaults of its
/// source: `SetDefaults_HostPathVolumeSource` (`type: ""`), the `defaultMode` 0644 (420) of
/// secret, configMap, downwardAPI and projected volumes, a projected service account token's
/// `expirationSeconds` (3600), and the downward-API items' selectors.
fn default_volume(v: &mut Volume) {
    if crate::engine::validation::volume_sources(v).is_empty() {
        v.empty_dir = Some(EmptyDirVolumeSource::default());
    }
    if let Some(q) = v.empty_dir.as_mut().and_then(|e| e.size_limit.as_mut()) {
        canonicalize(q);
    }
    if let Some(h) = v.host_path.as_mut() {
        h.type_.get_or_insert_with(String::new);
    }
    if let Some(s) = v.secret.as_mut() {
        s.default_mode.get_or_insert(DEFAULT_VOLUME_MODE);
    }
    if let Some(c) = v.config_map.as_mut() {
        c.default_mode.get_or_insert(DEFAULT_VOLUME_MODE);
    }
    if let Some(d) = v.downward_api.as_mut() {
        d.default_mode.get_or_insert(DEFAULT_VOLUME_MODE);
        for item in d.items.iter_mut().flatten() {
            default_downward_api_file(item);
        }
    }
    if let Some(p) = v.projected.as_mut() {
        p.default_mode.get_or_insert(DEFAULT_VOLUME_MODE);
        for source in p.sources.iter_mut().flatten() {
            if let Some(t) = source.service_account_token.as_mut() {
                t.expiration_seconds.get_or_insert(3600);
            }
            if let Some(d) = source.downward_api.as_mut() {
                for item in d.items.iter_mut().flatten() {
                    default_downward_api_file(item);
                }
            }
        }
    }
}

/// `SecretVolumeSourceDefaultMode` and its siblings: 0644.
pub const DEFAULT_VOLUME_MODE: i32 = 0o644;

fn default_downward_api_file(item: &mut DownwardAPIVolumeFile) {
    if let Some(fr) = item.field_ref.as_mut() {
        default_object_field_selector(fr);
    }
    if let Some(rf) = item.resource_field_ref.as_mut() {
        default_resource_field_selector(rf);
    }
}

/// `SetDefaults_ObjectFieldSelector`: `apiVersion` defaults to v1.
fn default_object_field_selector(fr: &mut ObjectFieldSelector) {
    if fr.api_version.as_deref().unwrap_or("").is_empty() {
        fr.api_version = Some("v1".to_string());
    }
}

/// A `resourceFieldRef`'s `divisor` is a plain `resource.Quantity` in Go, so an unset one is
/// stored and printed as `"0"` (which the kubelet reads as 1).
fn default_resource_field_selector(rf: &mut ResourceFieldSelector) {
    canonicalize(rf.divisor.get_or_insert_with(|| Quantity("0".to_string())));
}

/// A quantity as the API server stores and prints it: `SetDefaults_ResourceList` rounds up to
/// milli-units and the wire form is the canonical one (`0.5` → `500m`, `1.5Gi` → `1536Mi`,
/// `1000m` → `1`). A quantity that does not parse is left for validation to refuse.
fn canonicalize(q: &mut Quantity) {
    if let Ok(parsed) = crate::engine::quantity::Quantity::parse(&q.0) {
        *q = parsed.to_k8s();
    }
}

/// `SetDefaults_ResourceList` on a container's (or the pod's) limits and requests.
fn canonicalize_resources(res: &mut ResourceRequirements) {
    for list in [res.limits.as_mut(), res.requests.as_mut()]
        .into_iter()
        .flatten()
    {
        list.values_mut().for_each(canonicalize);
    }
}

/// `SetDefaults_Container` and the defaults of what a container holds (ports, environment
/// selectors, probes and lifecycle handlers), for `Container` and `EphemeralContainer`: two
/// k8s-openapi types with the same fields, so one body written once for both.
macro_rules! default_container_fields {
    ($c:expr) => {{
        let c = $c;
        if c.image_pull_policy.is_none() {
            c.image_pull_policy =
                Some(default_pull_policy(c.image.as_deref().unwrap_or_default()).to_string());
        }
        c.termination_message_path
            .get_or_insert_with(|| "/dev/termination-log".to_string());
        c.termination_message_policy
            .get_or_insert_with(|| "File".to_string());
        canonicalize_resources(
            c.resources
                .get_or_insert_with(ResourceRequirements::default),
        );
        for p in c.ports.iter_mut().flatten() {
            default_port(p);
        }
        default_env(c.env.as_mut());
        for probe in [
            &mut c.readiness_probe,
            &mut c.liveness_probe,
            &mut c.startup_probe,
        ]
        .into_iter()
        .flatten()
        {
            default_probe(probe);
        }
        default_lifecycle(c.lifecycle.as_mut());
    }};
}

/// `SetDefaults_EphemeralContainer`: the container defaults; `resources` is a plain struct in
/// Go, so it is always printed.
fn default_ephemeral_container(c: &mut EphemeralContainer) {
    default_container_fields!(c);
}

/// `SetDefaults_Container` (see [`default_container_fields`]).
fn default_container(c: &mut Container) {
    default_container_fields!(c);
}

/// The downward-API selectors of `env[].valueFrom`.
fn default_env(env: Option<&mut Vec<EnvVar>>) {
    for value_from in env
        .into_iter()
        .flatten()
        .filter_map(|e| e.value_from.as_mut())
    {
        if let Some(fr) = value_from.field_ref.as_mut() {
            default_object_field_selector(fr);
        }
        if let Some(rf) = value_from.resource_field_ref.as_mut() {
            default_resource_field_selector(rf);
        }
    }
}

/// `SetDefaults_HTTPGetAction` on `postStart` and `preStop` handlers.
fn default_lifecycle(lifecycle: Option<&mut Lifecycle>) {
    let Some(l) = lifecycle else {
        return;
    };
    for h in [l.post_start.as_mut(), l.pre_stop.as_mut()]
        .into_iter()
        .flatten()
        .filter_map(|h| h.http_get.as_mut())
    {
        default_http_get(h);
    }
}

/// `SetDefaults_HTTPGetAction`: path `/`, scheme HTTP.
fn default_http_get(h: &mut HTTPGetAction) {
    if h.path.as_deref().unwrap_or("").is_empty() {
        h.path = Some("/".to_string());
    }
    if h.scheme.as_deref().unwrap_or("").is_empty() {
        h.scheme = Some("HTTP".to_string());
    }
}

fn default_port(p: &mut ContainerPort) {
    p.protocol.get_or_insert_with(|| "TCP".to_string());
}

/// `SetDefaults_Probe`: a zero value counts as unset, as in Go.
fn default_probe(p: &mut Probe) {
    for (field, default) in [
        (&mut p.timeout_seconds, 1),
        (&mut p.period_seconds, 10),
        (&mut p.success_threshold, 1),
        (&mut p.failure_threshold, 3),
    ] {
        if field.is_none_or(|v| v == 0) {
            *field = Some(default);
        }
    }
    // SetDefaults_HTTPGetAction, SetDefaults_GRPCAction.
    if let Some(h) = p.http_get.as_mut() {
        default_http_get(h);
    }
    if let Some(g) = p.grpc.as_mut() {
        g.service.get_or_insert_with(String::new);
    }
}

/// `SetDefaults_Namespace`: the `kubernetes.io/metadata.name` label always holds the name, on
/// create and on every update (removing or changing it does not stick). A namespace without a
/// name (generateName) is left alone.
pub fn default_namespace(ns: &mut k8s_openapi::api::core::v1::Namespace) {
    let Some(name) = ns.metadata.name.clone().filter(|n| !n.is_empty()) else {
        return;
    };
    ns.metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert("kubernetes.io/metadata.name".to_string(), name);
}

/// `SetDefaults_EndpointPort` (`pkg/apis/discovery/v1/defaults.go`): a port's `name` defaults
/// to `""` and its `protocol` to TCP.
pub fn default_endpoint_slice(slice: &mut k8s_openapi::api::discovery::v1::EndpointSlice) {
    for p in slice.ports.iter_mut().flatten() {
        p.name.get_or_insert_with(String::new);
        p.protocol.get_or_insert_with(|| "TCP".to_string());
    }
}

/// The image pull policy the API server defaults from the image reference: `Always` for the
/// `:latest` tag or no tag, `IfNotPresent` otherwise (a digest counts as a tag).
pub fn default_pull_policy(image: &str) -> &'static str {
    if image.contains('@') {
        return "IfNotPresent";
    }
    // The tag is after the last ':' that follows the last '/' (a registry port is not a tag).
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        Some((_, "latest")) | None => "Always",
        Some(_) => "IfNotPresent",
    }
}

/// Defaulting and admission for a new pod ([`default_pod`], [`default_pod_spec`]), then the
/// admission plugins: service account, priority (no PriorityClass: `priority: 0`,
/// `preemptionPolicy: PreemptLowerPriority`), and the DefaultTolerationSeconds
/// tolerations (`not-ready` and `unreachable`, NoExecute, 300 s) when the pod has none for them.
pub fn admit_pod_spec(spec: &mut PodSpec) {
    default_pod(spec);
    default_pod_spec(spec);
    if spec.service_account_name.is_none() {
        spec.service_account_name = Some("default".to_string());
    }
    if spec.service_account.is_none() {
        spec.service_account = spec.service_account_name.clone();
    }
    spec.priority.get_or_insert(0);
    spec.preemption_policy
        .get_or_insert_with(|| "PreemptLowerPriority".to_string());
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        let has = tolerations.iter().any(|t| {
            (t.key.as_deref() == Some(key)
                || t.key.is_none() && t.operator.as_deref() == Some("Exists"))
                && (t.effect.is_none() || t.effect.as_deref() == Some("NoExecute"))
        });
        if !has {
            tolerations.push(Toleration {
                key: Some(key.to_string()),
                operator: Some("Exists".to_string()),
                effect: Some("NoExecute".to_string()),
                toleration_seconds: Some(300),
                value: None,
            });
        }
    }
}

/// Where the ServiceAccount admission plugin mounts the API credentials.
pub const SERVICE_ACCOUNT_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The ServiceAccount admission plugin's token volume (`plugin/pkg/admission/serviceaccount`):
/// a projected `kube-api-access-<5 characters>` volume (token expiring in 3607 s, the
/// `kube-root-ca.crt` ConfigMap, the namespace from the downward API) mounted read-only into
/// every container and init container, unless `automountServiceAccountToken` is false or a
/// container already mounts something at the path. `seed` (the pod's uid) picks the suffix, so
/// it is the same on every run without drawing from the world's RNG.
pub fn add_service_account_volume(spec: &mut PodSpec, seed: &str) {
    use k8s_openapi::api::core::v1::{
        ConfigMapProjection, DownwardAPIProjection, DownwardAPIVolumeFile, KeyToPath,
        ObjectFieldSelector, ProjectedVolumeSource, ServiceAccountTokenProjection, Volume,
        VolumeMount, VolumeProjection,
    };
    if spec.automount_service_account_token == Some(false) {
        return;
    }
    // FNV-1a of the seed, spelled in generateName's alphabet.
    let mut h = crate::engine::rng::fnv1a(crate::engine::rng::FNV_OFFSET, seed.as_bytes());
    let alphabet = crate::engine::rng::NAME_ALPHABET;
    let suffix: String = (0..5)
        .map(|_| {
            let i = (h % alphabet.len() as u64) as usize;
            h /= alphabet.len() as u64;
            char::from(alphabet.get(i).copied().unwrap_or(b'x'))
        })
        .collect();
    let name = format!("kube-api-access-{suffix}");
    let mount = VolumeMount {
        mount_path: SERVICE_ACCOUNT_MOUNT_PATH.to_string(),
        name: name.clone(),
        read_only: Some(true),
        ..Default::default()
    };
    let mut mounted = false;
    let containers = spec
        .init_containers
        .iter_mut()
        .flatten()
        .chain(spec.containers.iter_mut());
    for c in containers {
        let mounts = c.volume_mounts.get_or_insert_with(Vec::new);
        if mounts
            .iter()
            .any(|m| m.mount_path.trim_end_matches('/') == SERVICE_ACCOUNT_MOUNT_PATH)
        {
            continue;
        }
        mounts.push(mount.clone());
        mounted = true;
    }
    if !mounted {
        return;
    }
    spec.volumes.get_or_insert_with(Vec::new).push(Volume {
        name,
        projected: Some(ProjectedVolumeSource {
            default_mode: Some(420),
            sources: Some(vec![
                VolumeProjection {
                    service_account_token: Some(ServiceAccountTokenProjection {
                        expiration_seconds: Some(3607),
                        path: "token".to_string(),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                VolumeProjection {
                    config_map: Some(ConfigMapProjection {
                        name: "kube-root-ca.crt".to_string(),
                        items: Some(vec![KeyToPath {
                            key: "ca.crt".to_string(),
                            path: "ca.crt".to_string(),
                            mode: None,
                        }]),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                VolumeProjection {
                    downward_api: Some(DownwardAPIProjection {
                        items: Some(vec![DownwardAPIVolumeFile {
                            field_ref: Some(ObjectFieldSelector {
                                api_version: Some("v1".to_string()),
                                field_path: "metadata.namespace".to_string(),
                            }),
                            path: "namespace".to_string(),
                            ..Default::default()
                        }]),
                    }),
                    ..Default::default()
                },
            ]),
        }),
        ..Default::default()
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_follows_the_tag() {
        let cases = [
            ("nginx", "Always"),
            ("nginx:latest", "Always"),
            ("nginx:1.27", "IfNotPresent"),
            ("localhost:5000/app", "Always"),
            ("localhost:5000/app:v2", "IfNotPresent"),
            ("busybox@sha256:abc", "IfNotPresent"),
        ];
        for (image, want) in cases {
            assert_eq!(default_pull_policy(image), want, "{image}");
        }
    }

    use serde_json::{json, Value};

    /// One defaulting case: a pod spec in, the JSON pointers that must hold these values after
    /// defaulting (`Value::Null` for "absent").
    struct Case {
        name: &'static str,
        spec: Value,
        /// Pod (`admit_pod_spec`) or pod template (`default_pod_spec`).
        pod: bool,
        want: Vec<(&'static str, Value)>,
    }

    fn check(case: &Case) {
        let mut spec: PodSpec = match serde_json::from_value(case.spec.clone()) {
            Ok(s) => s,
            Err(e) => panic!("case {}: bad spec: {e}", case.name),
        };
        if case.pod {
            admit_pod_spec(&mut spec);
        } else {
            default_pod_spec(&mut spec);
        }
        let got = serde_json::to_value(&spec).unwrap_or_default();
        for (pointer, want) in &case.want {
            let value = got.pointer(pointer).cloned().unwrap_or(Value::Null);
            assert_eq!(&value, want, "case {}: {pointer} in {got}", case.name);
        }
        // Defaulting is idempotent.
        let mut again = spec.clone();
        if case.pod {
            admit_pod_spec(&mut again);
        } else {
            default_pod_spec(&mut again);
        }
        assert_eq!(
            again, spec,
            "case {}: second pass changed the spec",
            case.name
        );
    }

    fn ctr(extra: Value) -> Value {
        let mut c = json!({"name": "c", "image": "nginx:1.27"});
        if let (Some(c), Some(extra)) = (c.as_object_mut(), extra.as_object()) {
            c.extend(extra.clone());
        }
        c
    }

    /// Cases from upstream `pkg/apis/core/v1/defaults_test.go`, named after its tests.
    #[test]
    fn set_defaults_pod_spec_table() {
        let cases = [
            Case {
                name: "TestSetDefaultHostPathVolumeSource",
                spec: json!({"containers": [ctr(json!({}))], "volumes": [{"name": "v", "hostPath": {"path": "/var/log"}}]}),
                pod: false,
                want: vec![("/volumes/0/hostPath/type", json!(""))],
            },
            Case {
                name: "TestSetDefaultHostPathVolumeSource keeps a set type",
                spec: json!({"containers": [ctr(json!({}))], "volumes": [{"name": "v", "hostPath": {"path": "/run/x.sock", "type": "Socket"}}]}),
                pod: false,
                want: vec![("/volumes/0/hostPath/type", json!("Socket"))],
            },
            Case {
                name: "TestSetDefaultSecretVolumeSource",
                spec: json!({"containers": [ctr(json!({}))], "volumes": [{"name": "v", "secret": {"secretName": "s"}}]}),
                pod: false,
                want: vec![("/volumes/0/secret/defaultMode", json!(420))],
            },
            Case {
                name: "TestSetDefaultConfigMapVolumeSource",
                spec: json!({"containers": [ctr(json!({}))], "volumes": [{"name": "v", "configMap": {"name": "cm", "items": [{"key": "k", "path": "p"}]}}]}),
                pod: false,
                want: vec![
                    ("/volumes/0/configMap/defaultMode", json!(420)),
                    // Item modes are pointers upstream and stay unset.
                    ("/volumes/0/configMap/items/0/mode", Value::Null),
                ],
            },
            Case {
                name: "TestSetDefaultConfigMapVolumeSource keeps a set mode",
                spec: json!({"containers": [ctr(json!({}))], "volumes": [{"name": "v", "configMap": {"name": "cm", "defaultMode": 256}}]}),
                pod: false,
                want: vec![("/volumes/0/configMap/defaultMode", json!(256))],
            },
            Case {
                name: "TestSetDefaultDownwardAPIVolumeSource",
                spec: json!({"containers": [ctr(json!({}))], "volumes": [{"name": "v", "downwardAPI": {"items": [
                    {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
                    {"path": "cpu", "resourceFieldRef": {"containerName": "c", "resource": "limits.cpu"}}
                ]}}]}),
                pod: false,
                want: vec![
                    ("/volumes/0/downwardAPI/defaultMode", json!(420)),
                    ("/volumes/0/downwardAPI/items/0/fieldRef/apiVersion", json!("v1")),
                    ("/volumes/0/downwardAPI/items/1/resourceFieldRef/divisor", json!("0")),
                ],
            },
            Case {
                name: "TestSetDefaultProjectedVolumeSource",
                spec: json!({"containers": [ctr(json!({}))], "volumes": [{"name": "v", "projected": {"sources": [
                    {"serviceAccountToken": {"path": "token"}},
                    {"downwardAPI": {"items": [{"path": "ns", "fieldRef": {"fieldPath": "metadata.namespace"}}]}}
                ]}}]}),
                pod: false,
                want: vec![
                    ("/volumes/0/projected/defaultMode", json!(420)),
                    ("/volumes/0/projected/sources/0/serviceAccountToken/expirationSeconds", json!(3600)),
                    ("/volumes/0/projected/sources/1/downwardAPI/items/0/fieldRef/apiVersion", json!("v1")),
                ],
            },
            Case {
                name: "TestSetDefaultVolume (no source is an emptyDir)",
                spec: json!({"containers": [ctr(json!({}))], "volumes": [{"name": "v"}]}),
                pod: false,
                want: vec![("/volumes/0/emptyDir", json!({}))],
            },
            Case {
                name: "TestSetDefaultObjectFieldSelectorAPIVersion and resourceFieldRef divisor in env",
                spec: json!({"containers": [ctr(json!({"env": [
                    {"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
                    {"name": "MEM", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory"}}}
                ]}))]}),
                pod: false,
                want: vec![
                    ("/containers/0/env/0/valueFrom/fieldRef/apiVersion", json!("v1")),
                    ("/containers/0/env/1/valueFrom/resourceFieldRef/divisor", json!("0")),
                ],
            },
            Case {
                name: "TestSetDefaultRequestsPod",
                spec: json!({"containers": [ctr(json!({"resources": {"limits": {"cpu": "100m", "memory": "64Mi"}, "requests": {"memory": "32Mi"}}}))],
                             "initContainers": [ctr(json!({"name": "i", "resources": {"limits": {"cpu": "1"}}}))]}),
                pod: true,
                want: vec![
                    ("/containers/0/resources/requests", json!({"cpu": "100m", "memory": "32Mi"})),
                    ("/initContainers/0/resources/requests", json!({"cpu": "1"})),
                ],
            },
            Case {
                name: "TestSetDefaultResourceListRoundsAndCanonicalizes",
                spec: json!({"containers": [ctr(json!({
                    "resources": {"limits": {"cpu": "0.5", "memory": "1.5Gi"}, "requests": {"cpu": "100n", "memory": "1000Mi"}},
                    "env": [{"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1000m"}}}]
                }))], "volumes": [{"name": "scratch", "emptyDir": {"sizeLimit": "0.5Gi"}}]}),
                pod: false,
                want: vec![
                    ("/containers/0/resources/limits", json!({"cpu": "500m", "memory": "1536Mi"})),
                    ("/containers/0/resources/requests", json!({"cpu": "1m", "memory": "1000Mi"})),
                    ("/containers/0/env/0/valueFrom/resourceFieldRef/divisor", json!("1")),
                    ("/volumes/0/emptyDir/sizeLimit", json!("512Mi")),
                ],
            },
            Case {
                name: "TestDefaultRequestIsNotSetForReplicationController (templates keep no requests)",
                spec: json!({"containers": [ctr(json!({"resources": {"limits": {"cpu": "100m"}}}))]}),
                pod: false,
                want: vec![("/containers/0/resources/requests", Value::Null)],
            },
            Case {
                name: "TestSetDefaultEnableServiceLinks",
                spec: json!({"containers": [ctr(json!({}))]}),
                pod: true,
                want: vec![("/enableServiceLinks", json!(true))],
            },
            Case {
                name: "TestSetDefaultEnableServiceLinks (not on a template)",
                spec: json!({"containers": [ctr(json!({}))]}),
                pod: false,
                want: vec![("/enableServiceLinks", Value::Null)],
            },
            Case {
                name: "TestSetDefaultHostPort (hostNetwork pod)",
                spec: json!({"hostNetwork": true, "containers": [ctr(json!({"ports": [{"containerPort": 8080}, {"containerPort": 53, "hostPort": 0, "protocol": "UDP"}]}))]}),
                pod: true,
                want: vec![
                    ("/containers/0/ports/0/hostPort", json!(8080)),
                    ("/containers/0/ports/0/protocol", json!("TCP")),
                    ("/containers/0/ports/1/hostPort", json!(53)),
                ],
            },
            Case {
                name: "TestSetDefaultHostPort (hostNetwork template: DefaultHostNetworkHostPortsInPodTemplates off)",
                spec: json!({"hostNetwork": true, "containers": [ctr(json!({"ports": [{"containerPort": 8080}]}))]}),
                pod: false,
                want: vec![("/containers/0/ports/0/hostPort", Value::Null)],
            },
            Case {
                name: "TestSetDefaultContainer (termination message, pull policy, resources)",
                spec: json!({"containers": [{"name": "c", "image": "busybox"}],
                             "ephemeralContainers": [{"name": "debug", "image": "busybox:1.36"}]}),
                pod: false,
                want: vec![
                    ("/containers/0/imagePullPolicy", json!("Always")),
                    ("/containers/0/terminationMessagePath", json!("/dev/termination-log")),
                    ("/containers/0/terminationMessagePolicy", json!("File")),
                    ("/containers/0/resources", json!({})),
                    ("/ephemeralContainers/0/imagePullPolicy", json!("IfNotPresent")),
                    ("/ephemeralContainers/0/terminationMessagePolicy", json!("File")),
                ],
            },
            Case {
                name: "TestSetDefaultProbe and SetDefaults_HTTPGetAction on lifecycle handlers",
                spec: json!({"containers": [ctr(json!({
                    "livenessProbe": {"httpGet": {"port": 8080}},
                    "lifecycle": {"preStop": {"httpGet": {"port": 80}}, "postStart": {"exec": {"command": ["true"]}}}
                }))]}),
                pod: false,
                want: vec![
                    ("/containers/0/livenessProbe/timeoutSeconds", json!(1)),
                    ("/containers/0/livenessProbe/periodSeconds", json!(10)),
                    ("/containers/0/livenessProbe/successThreshold", json!(1)),
                    ("/containers/0/livenessProbe/failureThreshold", json!(3)),
                    ("/containers/0/livenessProbe/httpGet/path", json!("/")),
                    ("/containers/0/livenessProbe/httpGet/scheme", json!("HTTP")),
                    ("/containers/0/lifecycle/preStop/httpGet/path", json!("/")),
                    ("/containers/0/lifecycle/preStop/httpGet/scheme", json!("HTTP")),
                ],
            },
            Case {
                name: "TestSetDefaultPodSpec (scheduler name, DNS, restart, grace period)",
                spec: json!({"containers": [ctr(json!({}))]}),
                pod: false,
                want: vec![
                    ("/schedulerName", json!("default-scheduler")),
                    ("/dnsPolicy", json!("ClusterFirst")),
                    ("/restartPolicy", json!("Always")),
                    ("/terminationGracePeriodSeconds", json!(30)),
                    ("/securityContext", json!({})),
                ],
            },
            Case {
                name: "Priority admission without a PriorityClass",
                spec: json!({"containers": [ctr(json!({}))]}),
                pod: true,
                want: vec![
                    ("/priority", json!(0)),
                    ("/preemptionPolicy", json!("PreemptLowerPriority")),
                    ("/serviceAccountName", json!("default")),
                ],
            },
        ];
        for case in &cases {
            check(case);
        }
    }

    /// `TestSetDefaultEndpointPort` (discovery/v1): name `""`, protocol TCP, set values kept.
    #[test]
    fn set_default_endpoint_port() {
        let mut slice: k8s_openapi::api::discovery::v1::EndpointSlice =
            match serde_json::from_value(json!({
                "metadata": {"name": "s"},
                "addressType": "IPv4",
                "endpoints": [],
                "ports": [{"port": 80}, {"name": "dns", "port": 53, "protocol": "UDP"}]
            })) {
                Ok(s) => s,
                Err(e) => panic!("bad slice: {e}"),
            };
        default_endpoint_slice(&mut slice);
        let got = serde_json::to_value(&slice.ports).unwrap_or_default();
        assert_eq!(
            got,
            json!([
                {"name": "", "port": 80, "protocol": "TCP"},
                {"name": "dns", "port": 53, "protocol": "UDP"}
            ])
        );
    }

    /// `TestSetDefaultNamespaceLabels`: the label is added, and put back when a request drops
    /// or changes it; a nameless namespace gets none.
    #[test]
    fn set_default_namespace_labels() {
        use k8s_openapi::api::core::v1::Namespace;
        use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
        use std::collections::BTreeMap;
        struct Case {
            name: &'static str,
            ns_name: Option<&'static str>,
            labels: &'static [(&'static str, &'static str)],
            want: &'static [(&'static str, &'static str)],
        }
        let cases = [
            Case {
                name: "label added",
                ns_name: Some("foo"),
                labels: &[],
                want: &[("kubernetes.io/metadata.name", "foo")],
            },
            Case {
                name: "changed label put back, others kept",
                ns_name: Some("foo"),
                labels: &[("kubernetes.io/metadata.name", "bar"), ("team", "a")],
                want: &[("kubernetes.io/metadata.name", "foo"), ("team", "a")],
            },
            Case {
                name: "generateName: no name, no label",
                ns_name: None,
                labels: &[],
                want: &[],
            },
        ];
        for case in cases {
            let labels: BTreeMap<String, String> = case
                .labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let mut ns = Namespace {
                metadata: ObjectMeta {
                    name: case.ns_name.map(str::to_string),
                    labels: (!labels.is_empty()).then_some(labels),
                    ..Default::default()
                },
                ..Default::default()
            };
            default_namespace(&mut ns);
            let got: Vec<(String, String)> =
                ns.metadata.labels.unwrap_or_default().into_iter().collect();
            let want: Vec<(String, String)> = case
                .want
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            assert_eq!(got, want, "case {}", case.name);
        }
    }

    #[test]
    fn admission_adds_default_tolerations_once() {
        let mut spec = PodSpec::default();
        admit_pod_spec(&mut spec);
        admit_pod_spec(&mut spec);
        let t = spec.tolerations.unwrap_or_default();
        assert_eq!(t.len(), 2);
        assert!(t.iter().all(|t| t.toleration_seconds == Some(300)));
        assert_eq!(spec.restart_policy.as_deref(), Some("Always"));
        assert_eq!(spec.termination_grace_period_seconds, Some(30));
        assert_eq!(spec.scheduler_name.as_deref(), Some("default-scheduler"));
    }
}
