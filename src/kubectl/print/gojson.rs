//! kubectl's JSON printer over a *typed* object: the objects kubectl's generators build (`run`,
//! `create job|namespace|service`, `expose`) are Go structs, and `json.MarshalIndent` writes
//! their fields in struct order (`kind` and `apiVersion` first, `metadata.name` before
//! `creationTimestamp`), while objects read from the server are unstructured maps and print
//! with sorted keys ([`super::yaml::to_json`]). The field orders below are those of the
//! `k8s.io/api` structs the generators fill in (`core/v1`, `batch/v1` types.go); a field not
//! listed (none a generator sets) goes after the listed ones in name order. Maps (labels,
//! selectors) print sorted, as Go's encoder sorts map keys.

use serde_json::Value;

/// The struct a JSON object of kind `kind` is at the top.
pub fn root_type(kind: &str) -> &'static str {
    match kind {
        "Pod" => "Pod",
        "Job" => "Job",
        "Service" => "Service",
        "Namespace" => "Namespace",
        _ => "",
    }
}

/// The fields of a struct in Go order, each with the struct its value is (`""` for scalars
/// and maps; a list's elements take the named struct).
fn fields(ty: &str) -> &'static [(&'static str, &'static str)] {
    const TOP_POD: &[(&str, &str)] = &[
        ("kind", ""),
        ("apiVersion", ""),
        ("metadata", "ObjectMeta"),
        ("spec", "PodSpec"),
        ("status", ""),
    ];
    match ty {
        "Pod" => TOP_POD,
        "Job" => &[
            ("kind", ""),
            ("apiVersion", ""),
            ("metadata", "ObjectMeta"),
            ("spec", "JobSpec"),
            ("status", ""),
        ],
        "Service" => &[
            ("kind", ""),
            ("apiVersion", ""),
            ("metadata", "ObjectMeta"),
            ("spec", "ServiceSpec"),
            ("status", "ServiceStatus"),
        ],
        "Namespace" => &[
            ("kind", ""),
            ("apiVersion", ""),
            ("metadata", "ObjectMeta"),
            ("spec", ""),
            ("status", ""),
        ],
        "ObjectMeta" => &[
            ("name", ""),
            ("generateName", ""),
            ("namespace", ""),
            ("selfLink", ""),
            ("uid", ""),
            ("resourceVersion", ""),
            ("generation", ""),
            ("creationTimestamp", ""),
            ("deletionTimestamp", ""),
            ("deletionGracePeriodSeconds", ""),
            ("labels", ""),
            ("annotations", ""),
            ("ownerReferences", ""),
            ("finalizers", ""),
            ("managedFields", ""),
        ],
        "JobSpec" => &[
            ("parallelism", ""),
            ("completions", ""),
            ("activeDeadlineSeconds", ""),
            ("podFailurePolicy", ""),
            ("successPolicy", ""),
            ("backoffLimit", ""),
            ("backoffLimitPerIndex", ""),
            ("maxFailedIndexes", ""),
            ("selector", ""),
            ("manualSelector", ""),
            ("template", "PodTemplateSpec"),
            ("ttlSecondsAfterFinished", ""),
            ("completionMode", ""),
            ("suspend", ""),
            ("podReplacementPolicy", ""),
            ("managedBy", ""),
        ],
        "PodTemplateSpec" => &[("metadata", "ObjectMeta"), ("spec", "PodSpec")],
        "PodSpec" => &[
            ("volumes", ""),
            ("initContainers", "Container"),
            ("containers", "Container"),
            ("ephemeralContainers", ""),
            ("restartPolicy", ""),
            ("terminationGracePeriodSeconds", ""),
            ("activeDeadlineSeconds", ""),
            ("dnsPolicy", ""),
            ("nodeSelector", ""),
            ("serviceAccountName", ""),
            ("serviceAccount", ""),
            ("automountServiceAccountToken", ""),
            ("nodeName", ""),
            ("hostNetwork", ""),
            ("hostPID", ""),
            ("hostIPC", ""),
            ("shareProcessNamespace", ""),
            ("securityContext", ""),
            ("imagePullSecrets", ""),
            ("hostname", ""),
            ("subdomain", ""),
            ("affinity", ""),
            ("schedulerName", ""),
            ("tolerations", ""),
            ("hostAliases", ""),
            ("priorityClassName", ""),
            ("priority", ""),
            ("dnsConfig", ""),
            ("readinessGates", ""),
            ("runtimeClassName", ""),
            ("enableServiceLinks", ""),
            ("preemptionPolicy", ""),
            ("overhead", ""),
            ("topologySpreadConstraints", ""),
            ("setHostnameAsFQDN", ""),
            ("os", ""),
            ("hostUsers", ""),
            ("schedulingGates", ""),
            ("resourceClaims", ""),
            ("resources", ""),
            ("hostnameOverride", ""),
        ],
        "Container" => &[
            ("name", ""),
            ("image", ""),
            ("command", ""),
            ("args", ""),
            ("workingDir", ""),
            ("ports", "ContainerPort"),
            ("envFrom", ""),
            ("env", "EnvVar"),
            ("resources", ""),
            ("resizePolicy", ""),
            ("restartPolicy", ""),
            ("restartPolicyRules", ""),
            ("volumeMounts", ""),
            ("volumeDevices", ""),
            ("livenessProbe", ""),
            ("readinessProbe", ""),
            ("startupProbe", ""),
            ("lifecycle", ""),
            ("terminationMessagePath", ""),
            ("terminationMessagePolicy", ""),
            ("imagePullPolicy", ""),
            ("securityContext", "SecurityContext"),
            ("stdin", ""),
            ("stdinOnce", ""),
            ("tty", ""),
        ],
        "ContainerPort" => &[
            ("name", ""),
            ("hostPort", ""),
            ("containerPort", ""),
            ("protocol", ""),
            ("hostIP", ""),
        ],
        "EnvVar" => &[("name", ""), ("value", ""), ("valueFrom", "")],
        "SecurityContext" => &[
            ("capabilities", ""),
            ("privileged", ""),
            ("seLinuxOptions", ""),
            ("windowsOptions", ""),
            ("runAsUser", ""),
            ("runAsGroup", ""),
            ("runAsNonRoot", ""),
            ("readOnlyRootFilesystem", ""),
            ("allowPrivilegeEscalation", ""),
            ("procMount", ""),
            ("seccompProfile", ""),
            ("appArmorProfile", ""),
        ],
        "ServiceSpec" => &[
            ("ports", "ServicePort"),
            ("selector", ""),
            ("clusterIP", ""),
            ("clusterIPs", ""),
            ("type", ""),
            ("externalIPs", ""),
            ("sessionAffinity", ""),
            ("loadBalancerIP", ""),
            ("loadBalancerSourceRanges", ""),
            ("externalName", ""),
            ("externalTrafficPolicy", ""),
            ("healthCheckNodePort", ""),
            ("publishNotReadyAddresses", ""),
            ("sessionAffinityConfig", ""),
            ("ipFamilies", ""),
            ("ipFamilyPolicy", ""),
            ("allocateLoadBalancerNodePorts", ""),
            ("loadBalancerClass", ""),
            ("internalTrafficPolicy", ""),
            ("trafficDistribution", ""),
        ],
        "ServicePort" => &[
            ("name", ""),
            ("protocol", ""),
            ("appProtocol", ""),
            ("port", ""),
            ("targetPort", ""),
            ("nodePort", ""),
        ],
        "ServiceStatus" => &[("loadBalancer", ""), ("conditions", "")],
        _ => &[],
    }
}

/// `json.MarshalIndent(obj, "", "    ")` of the typed object `value` whose top struct is `ty`
/// (see [`root_type`]), with a trailing newline.
pub fn to_json_typed(value: &Value, ty: &str) -> String {
    let mut out = String::new();
    write(value, ty, 0, &mut out);
    out.push('\n');
    out
}

fn write(value: &Value, ty: &str, depth: usize, out: &mut String) {
    let pad = |out: &mut String, depth: usize| {
        for _ in 0..depth {
            out.push_str("    ");
        }
    };
    match value {
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => {
            let order = fields(ty);
            // The listed fields in struct order, then the rest (and every key of a map) sorted.
            let mut keys: Vec<(&str, &str)> = order
                .iter()
                .filter(|(k, _)| map.contains_key(*k))
                .map(|(k, t)| (*k, *t))
                .collect();
            keys.extend(
                map.keys()
                    .filter(|k| !order.iter().any(|(o, _)| o == k))
                    .map(|k| (k.as_str(), "")),
            );
            out.push_str("{\n");
            for (i, (k, t)) in keys.iter().enumerate() {
                pad(out, depth + 1);
                out.push_str(&scalar(&Value::String((*k).to_string())));
                out.push_str(": ");
                if let Some(v) = map.get(*k) {
                    write(v, t, depth + 1, out);
                }
                if i + 1 < keys.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            pad(out, depth);
            out.push('}');
        }
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, v) in items.iter().enumerate() {
                pad(out, depth + 1);
                write(v, ty, depth + 1, out);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            pad(out, depth);
            out.push(']');
        }
        v => out.push_str(&scalar(v)),
    }
}

/// A scalar as Go's encoder writes it: serde's JSON with `<`, `>`, `&`, U+2028 and U+2029
/// escaped.
fn scalar(v: &Value) -> String {
    let text = serde_json::to_string(v).unwrap_or_default();
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => s.push_str("\\u003c"),
            '>' => s.push_str("\\u003e"),
            '&' => s.push_str("\\u0026"),
            '\u{2028}' => s.push_str("\\u2028"),
            '\u{2029}' => s.push_str("\\u2029"),
            c => s.push(c),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `kubectl create job pi --image=busybox --dry-run=client -o json -- sh -c 'a && b'` as
    /// kubectl 1.32 prints it.
    #[test]
    fn create_job_client_object_in_struct_order() {
        let job = json!({
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"creationTimestamp": null, "name": "pi"},
            "spec": {"template": {
                "metadata": {"creationTimestamp": null},
                "spec": {
                    "containers": [{"command": ["sh", "-c", "a && b"], "image": "busybox", "name": "pi", "resources": {}}],
                    "restartPolicy": "Never"
                }
            }},
            "status": {}
        });
        let want = r#"{
    "kind": "Job",
    "apiVersion": "batch/v1",
    "metadata": {
        "name": "pi",
        "creationTimestamp": null
    },
    "spec": {
        "template": {
            "metadata": {
                "creationTimestamp": null
            },
            "spec": {
                "containers": [
                    {
                        "name": "pi",
                        "image": "busybox",
                        "command": [
                            "sh",
                            "-c",
                            "a \u0026\u0026 b"
                        ],
                        "resources": {}
                    }
                ],
                "restartPolicy": "Never"
            }
        }
    },
    "status": {}
}
"#;
        assert_eq!(to_json_typed(&job, root_type("Job")), want);
    }

    /// Maps print sorted; an unknown kind falls back to sorted keys everywhere.
    #[test]
    fn maps_and_unknown_types_sort() {
        let v = json!({"spec": {"selector": {"b": "1", "a": "2"}, "ports": []}, "kind": "X"});
        assert_eq!(
            to_json_typed(&v, root_type("Service")),
            "{\n    \"kind\": \"X\",\n    \"spec\": {\n        \"ports\": [],\n        \"selector\": {\n            \"a\": \"2\",\n            \"b\": \"1\"\n        }\n    }\n}\n"
        );
        assert_eq!(
            to_json_typed(&json!({"b": 1, "a": null}), root_type("DaemonSet")),
            "{\n    \"a\": null,\n    \"b\": 1\n}\n"
        );
    }
}
