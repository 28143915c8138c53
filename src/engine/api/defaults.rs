//! Defaulting as the API server does it on create (`pkg/apis/core/v1/defaults.go`) plus the
//! admission plugins that touch every pod (ServiceAccount, DefaultTolerationSeconds, Priority).
//!
//! Simplification: the ServiceAccount admission plugin's projected `kube-api-access-*` volume is
//! not added (it would only add noise to `-o yaml` in a cluster with no API tokens).

use k8s_openapi::api::core::v1::{
    Container, ContainerPort, EmptyDirVolumeSource, PodSecurityContext, PodSpec, Probe,
    ResourceRequirements, Toleration,
};

/// `SetDefaults_PodSpec` and `SetDefaults_Container`: applied to pods and to pod templates.
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
    spec.enable_service_links.get_or_insert(true);
    // SetDefaults_Volume: a volume with no source is an emptyDir.
    for v in spec.volumes.iter_mut().flatten() {
        if crate::engine::validation::volume_sources(v).is_empty() {
            v.empty_dir = Some(EmptyDirVolumeSource::default());
        }
    }
    let host_network = spec.host_network == Some(true);
    for c in spec.containers.iter_mut() {
        default_container(c, host_network);
    }
    if let Some(init) = spec.init_containers.as_mut() {
        for c in init.iter_mut() {
            default_container(c, host_network);
        }
    }
}

fn default_container(c: &mut Container, host_network: bool) {
    if c.image_pull_policy.is_none() {
        c.image_pull_policy =
            Some(default_pull_policy(c.image.as_deref().unwrap_or_default()).to_string());
    }
    c.termination_message_path
        .get_or_insert_with(|| "/dev/termination-log".to_string());
    c.termination_message_policy
        .get_or_insert_with(|| "File".to_string());
    c.resources
        .get_or_insert_with(ResourceRequirements::default);
    if let Some(ports) = c.ports.as_mut() {
        for p in ports.iter_mut() {
            default_port(p, host_network);
        }
    }
    // SetDefaults_ObjectFieldSelector: a downward-API fieldRef defaults to apiVersion v1.
    for env in c.env.iter_mut().flatten() {
        if let Some(fr) = env.value_from.as_mut().and_then(|v| v.field_ref.as_mut()) {
            if fr.api_version.as_deref().unwrap_or("").is_empty() {
                fr.api_version = Some("v1".to_string());
            }
        }
    }
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
}

fn default_port(p: &mut ContainerPort, host_network: bool) {
    p.protocol.get_or_insert_with(|| "TCP".to_string());
    if host_network && p.host_port.is_none() {
        p.host_port = Some(p.container_port);
    }
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
        if h.path.as_deref().unwrap_or("").is_empty() {
            h.path = Some("/".to_string());
        }
        if h.scheme.as_deref().unwrap_or("").is_empty() {
            h.scheme = Some("HTTP".to_string());
        }
    }
    if let Some(g) = p.grpc.as_mut() {
        g.service.get_or_insert_with(String::new);
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

/// Admission for a new pod: service account, priority, and the DefaultTolerationSeconds
/// tolerations (`not-ready` and `unreachable`, NoExecute, 300 s) when the pod has none for them.
pub fn admit_pod_spec(spec: &mut PodSpec) {
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
