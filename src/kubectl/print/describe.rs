//! `kubectl describe`, after `k8s.io/kubectl/pkg/describe/describe.go` (`PodDescriber`,
//! `NodeDescriber`, `DaemonSetDescriber`, `JobDescriber`, `NamespaceDescriber`,
//! `ServiceDescriber`, `DescribeEvents`, `DescribePodTemplate`). The text is built with tabs and
//! aligned by the same tabwriter settings (minwidth 0, padding 2), so alignment quirks match.
//!
//! Simplifications: no volumes detail beyond names and types, no environment values,
//! no resource quota / limit range sections beyond their "No …" lines; kinds without a
//! describer print their metadata and YAML.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Container, Node, Pod, PodTemplateSpec, Service, Taint, Toleration,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use serde_json::Value;

use super::table::{self, format_label_selector};
use super::tabwriter;
use crate::engine::api::{Kind, Object};
use crate::engine::clock::{human_duration, SimTime};
use crate::engine::controller::endpointslice::SERVICE_NAME_LABEL;
use crate::engine::quantity::{percent, Format, Quantity};
use crate::engine::Cluster;
use crate::engine::LAST_APPLIED;

/// Describes one object.
pub fn describe(cluster: &Cluster, obj: &Object) -> String {
    let mut w = W::default();
    let now = cluster.now();
    match obj {
        Object::Pod(p) => {
            pod(&mut w, p, now);
            events(&mut w, cluster, obj, now);
        }
        Object::Node(n) => node(&mut w, cluster, n, now),
        Object::DaemonSet(ds) => {
            let spec = ds.spec.clone().unwrap_or_default();
            let st = ds.status.clone().unwrap_or_default();
            w.line(0, &format!("Name:\t{}", name(&ds.metadata)));
            w.line(
                0,
                &format!(
                    "Namespace:\t{}",
                    ds.metadata.namespace.clone().unwrap_or_default()
                ),
            );
            w.line(
                0,
                &format!("Selector:\t{}", format_label_selector(Some(&spec.selector))),
            );
            w.line(
                0,
                &format!(
                    "Node-Selector:\t{}",
                    table::format_labels(
                        spec.template
                            .spec
                            .as_ref()
                            .and_then(|s| s.node_selector.as_ref())
                    )
                ),
            );
            labels(&mut w, 0, "Labels", ds.metadata.labels.as_ref());
            annotations(&mut w, 0, ds.metadata.annotations.as_ref());
            w.line(
                0,
                &format!(
                    "Desired Number of Nodes Scheduled: {}",
                    st.desired_number_scheduled
                ),
            );
            w.line(
                0,
                &format!(
                    "Current Number of Nodes Scheduled: {}",
                    st.current_number_scheduled
                ),
            );
            w.line(
                0,
                &format!(
                    "Number of Nodes Scheduled with Up-to-date Pods: {}",
                    st.updated_number_scheduled.unwrap_or(0)
                ),
            );
            w.line(
                0,
                &format!(
                    "Number of Nodes Scheduled with Available Pods: {}",
                    st.number_available.unwrap_or(0)
                ),
            );
            w.line(
                0,
                &format!("Number of Nodes Misscheduled: {}", st.number_misscheduled),
            );
            let (r, wt, s, f) = pod_phases(cluster, obj);
            w.line(
                0,
                &format!("Pods Status:\t{r} Running / {wt} Waiting / {s} Succeeded / {f} Failed"),
            );
            template(&mut w, &spec.template);
            events(&mut w, cluster, obj, now);
        }
        Object::Job(job) => {
            let spec = job.spec.clone().unwrap_or_default();
            let st = job.status.clone().unwrap_or_default();
            w.line(0, &format!("Name:\t{}", name(&job.metadata)));
            w.line(
                0,
                &format!(
                    "Namespace:\t{}",
                    job.metadata.namespace.clone().unwrap_or_default()
                ),
            );
            w.line(
                0,
                &format!(
                    "Selector:\t{}",
                    format_label_selector(spec.selector.as_ref())
                ),
            );
            labels(&mut w, 0, "Labels", job.metadata.labels.as_ref());
            annotations(&mut w, 0, job.metadata.annotations.as_ref());
            w.line(
                0,
                &format!("Parallelism:\t{}", spec.parallelism.unwrap_or(1)),
            );
            match spec.completions {
                Some(c) => w.line(0, &format!("Completions:\t{c}")),
                None => w.line(0, "Completions:\t<unset>"),
            }
            w.line(
                0,
                &format!(
                    "Completion Mode:\t{}",
                    spec.completion_mode
                        .clone()
                        .unwrap_or_else(|| "NonIndexed".to_string())
                ),
            );
            w.line(0, &format!("Suspend:\t{}", spec.suspend.unwrap_or(false)));
            w.line(
                0,
                &format!("Backoff Limit:\t{}", spec.backoff_limit.unwrap_or(6)),
            );
            if let Some(t) = spec.ttl_seconds_after_finished {
                w.line(0, &format!("TTL Seconds After Finished:\t{t}"));
            }
            if let Some(t) = st.start_time.as_ref() {
                w.line(0, &format!("Start Time:\t{}", date(t)));
            }
            if let Some(t) = st.completion_time.as_ref() {
                w.line(0, &format!("Completed At:\t{}", date(t)));
            }
            let d = table::job_duration(job, now);
            if !d.is_empty() {
                w.line(0, &format!("Duration:\t{d}"));
            }
            if let Some(a) = spec.active_deadline_seconds {
                w.line(0, &format!("Active Deadline Seconds:\t{a}s"));
            }
            w.line(
                0,
                &format!(
                    "Pods Statuses:\t{} Active ({} Ready) / {} Succeeded / {} Failed",
                    st.active.unwrap_or(0),
                    st.ready.unwrap_or(0),
                    st.succeeded.unwrap_or(0),
                    st.failed.unwrap_or(0)
                ),
            );
            if let Some(ci) = st.completed_indexes.as_ref().filter(|c| !c.is_empty()) {
                w.line(0, &format!("Completed Indexes:\t{ci}"));
            }
            template(&mut w, &spec.template);
            events(&mut w, cluster, obj, now);
        }
        Object::Namespace(ns) => {
            w.line(0, &format!("Name:\t{}", name(&ns.metadata)));
            labels(&mut w, 0, "Labels", ns.metadata.labels.as_ref());
            annotations(&mut w, 0, ns.metadata.annotations.as_ref());
            w.line(
                0,
                &format!(
                    "Status:\t{}",
                    ns.status
                        .as_ref()
                        .and_then(|s| s.phase.clone())
                        .unwrap_or_default()
                ),
            );
            w.line(0, "");
            w.line(0, "No resource quota.");
            w.line(0, "");
            w.line(0, "No LimitRange resource.");
        }
        Object::Service(svc) => service(&mut w, cluster, svc, obj),
        Object::EndpointSlice(es) => {
            endpoint_slice(&mut w, es);
            events(&mut w, cluster, obj, now);
        }
        other => {
            // kubectl's generic describer (`genericDescriber`): name, namespace (empty for a
            // cluster-scoped kind), labels, annotations, then the whole object as
            // `printUnstructuredContent` walks it.
            w.line(0, &format!("Name:\t{}", other.name()));
            w.line(0, &format!("Namespace:\t{}", other.namespace()));
            labels(&mut w, 0, "Labels", other.meta().labels.as_ref());
            annotations(&mut w, 0, other.meta().annotations.as_ref());
            if let Value::Object(m) = other.to_json() {
                unstructured(
                    &mut w,
                    0,
                    &m,
                    "",
                    &[
                        ".metadata.managedFields",
                        ".metadata.name",
                        ".metadata.namespace",
                        ".metadata.labels",
                        ".metadata.annotations",
                    ],
                );
            }
            events(&mut w, cluster, obj, now);
        }
    }
    tabwriter(&w.text, 0, 2)
}

/// The lines most describers start with: name, namespace, labels, annotations.
fn name_namespace_labels(w: &mut W, meta: &ObjectMeta) {
    w.line(0, &format!("Name:\t{}", name(meta)));
    w.line(
        0,
        &format!("Namespace:\t{}", meta.namespace.clone().unwrap_or_default()),
    );
    labels(w, 0, "Labels", meta.labels.as_ref());
    annotations(w, 0, meta.annotations.as_ref());
}

/// `describeEndpointSliceV1`.
fn endpoint_slice(w: &mut W, es: &k8s_openapi::api::discovery::v1::EndpointSlice) {
    name_namespace_labels(w, &es.metadata);
    w.line(0, &format!("AddressType:\t{}", es.address_type));
    let ports = es.ports.clone().unwrap_or_default();
    if ports.is_empty() {
        w.line(0, "Ports: <unset>");
    } else {
        w.line(0, "Ports:");
        w.line(1, "Name\tPort\tProtocol");
        w.line(1, "----\t----\t--------");
        for p in &ports {
            let name = p
                .name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "<unset>".to_string());
            let port = p
                .port
                .map_or_else(|| "<unset>".to_string(), |n| n.to_string());
            let protocol = p.protocol.clone().unwrap_or_default();
            w.line(1, &format!("{name}\t{port}\t{protocol}"));
        }
    }
    if es.endpoints.is_empty() {
        w.line(0, "Endpoints: <none>");
    } else {
        w.line(0, "Endpoints:");
        let unset = || "<unset>".to_string();
        for e in &es.endpoints {
            let addrs = if e.addresses.is_empty() {
                "<none>".to_string()
            } else {
                e.addresses.join(", ")
            };
            w.line(1, &format!("- Addresses:\t{addrs}"));
            w.line(2, "Conditions:");
            let ready = e
                .conditions
                .as_ref()
                .and_then(|c| c.ready)
                .map_or_else(unset, |b| b.to_string());
            w.line(3, &format!("Ready:\t{ready}"));
            w.line(
                2,
                &format!("Hostname:\t{}", e.hostname.clone().unwrap_or_else(unset)),
            );
            if let Some(t) = &e.target_ref {
                w.line(
                    2,
                    &format!(
                        "TargetRef:\t{}/{}",
                        t.kind.clone().unwrap_or_default(),
                        t.name.clone().unwrap_or_default()
                    ),
                );
            }
            w.line(
                2,
                &format!("NodeName:\t{}", e.node_name.clone().unwrap_or_else(unset)),
            );
            w.line(
                2,
                &format!("Zone:\t{}", e.zone.clone().unwrap_or_else(unset)),
            );
        }
    }
}

/// `printUnstructuredContent`: fields sorted, maps and lists as indented blocks under a
/// title-cased label, scalars as `Label:\tvalue`.
fn unstructured(
    w: &mut W,
    level: usize,
    content: &serde_json::Map<String, Value>,
    prefix: &str,
    skip: &[&str],
) {
    for (field, value) in content {
        let path = format!("{prefix}.{field}");
        if skip.contains(&path.as_str()) {
            continue;
        }
        match value {
            Value::Object(m) => {
                w.line(level, &format!("{}:", smart_label(field)));
                unstructured(w, level + 1, m, &path, skip);
            }
            Value::Array(items) => {
                w.line(level, &format!("{}:", smart_label(field)));
                for item in items {
                    match item {
                        Value::Object(m) => unstructured(w, level + 1, m, &path, skip),
                        other => w.line(level + 1, &go_value(other)),
                    }
                }
            }
            other => w.line(
                level,
                &format!("{}:\t{}", smart_label(field), go_value(other)),
            ),
        }
    }
}

/// Go's `%v` of a decoded JSON value (numbers are float64: `%g` with shortest precision).
fn go_value(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_string(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            if f.fract() == 0.0 && f.abs() < 1e6 {
                format!("{f:.0}")
            } else if f.abs() >= 1e6 || (f != 0.0 && f.abs() < 1e-4) {
                // %e with the shortest mantissa and a two-digit exponent: 1e+06, 1.5e+07.
                let s = format!("{f:e}");
                let (mantissa, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
                let exp: i32 = exp.parse().unwrap_or(0);
                let sign = if exp < 0 { '-' } else { '+' };
                format!("{mantissa}e{sign}{:02}", exp.abs())
            } else {
                f.to_string()
            }
        }
        other => other.to_string(),
    }
}

/// `smartLabelFor`: `creationTimestamp` → `Creation Timestamp`, `apiVersion` → `API Version`;
/// a field with characters other than letters and `-` stays as it is.
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    // fatih/camelcase: runs of lower case, upper case and other characters; an upper-case run
    // followed by lower case gives its last letter to the next word (`PDFLoader`).
    let mut parts: Vec<String> = Vec::new();
    let class = |c: char| {
        if c.is_lowercase() {
            0
        } else if c.is_uppercase() {
            1
        } else {
            2
        }
    };
    let mut cur = String::new();
    let mut last = None;
    for c in field.chars() {
        let k = class(c);
        if last.is_some_and(|l| l != k) && !cur.is_empty() {
            parts.push(std::mem::take(&mut cur));
        }
        cur.push(c);
        last = Some(k);
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    let mut fixed: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(p) = parts.get(i) {
        let next_lower = parts
            .get(i + 1)
            .is_some_and(|n| n.chars().next().is_some_and(char::is_lowercase));
        if p.chars().all(char::is_uppercase) && p.chars().count() > 1 && next_lower {
            let mut chars: Vec<char> = p.chars().collect();
            let moved = chars.pop().unwrap_or_default();
            fixed.push(chars.into_iter().collect());
            let n = parts.get(i + 1).cloned().unwrap_or_default();
            fixed.push(format!("{moved}{n}"));
            i += 2;
        } else if p.chars().all(char::is_uppercase) && p.chars().count() == 1 && next_lower {
            let n = parts.get(i + 1).cloned().unwrap_or_default();
            fixed.push(format!("{p}{n}"));
            i += 2;
        } else {
            fixed.push(p.clone());
            i += 1;
        }
    }
    const ACRONYMS: [&str; 5] = ["API", "URL", "UID", "OSB", "GUID"];
    fixed
        .iter()
        .filter(|p| p.as_str() != "_")
        .map(|p| {
            let up = p.to_uppercase();
            if ACRONYMS.contains(&up.as_str()) {
                up
            } else {
                let mut cs = p.chars();
                cs.next()
                    .map(|f| f.to_uppercase().chain(cs).collect())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// Describe output of a pod template alone (`rollout history --revision`).
pub fn pod_template(t: &PodTemplateSpec) -> String {
    let mut w = W::default();
    template(&mut w, t);
    tabwriter(&w.text, 0, 2)
}

#[derive(Default)]
struct W {
    text: String,
}

impl W {
    fn line(&mut self, level: usize, s: &str) {
        for _ in 0..level {
            self.text.push_str("  ");
        }
        self.text.push_str(s);
        self.text.push('\n');
    }
}

fn name(m: &ObjectMeta) -> String {
    m.name.clone().unwrap_or_default()
}

/// `Mon, 02 Mar 2026 09:00:00 +0000`.
fn date(t: &Time) -> String {
    t.0.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

fn multiline(w: &mut W, level: usize, title: &str, items: &[String]) {
    match items.split_first() {
        None => w.line(level, &format!("{title}:\t<none>")),
        Some((first, rest)) => {
            w.line(level, &format!("{title}:\t{first}"));
            for i in rest {
                w.line(level, &format!("\t{i}"));
            }
        }
    }
}

fn labels(w: &mut W, level: usize, title: &str, l: Option<&BTreeMap<String, String>>) {
    let items: Vec<String> = l
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    multiline(w, level, title, &items);
}

fn annotations(w: &mut W, level: usize, a: Option<&BTreeMap<String, String>>) {
    let items: Vec<String> = a
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != LAST_APPLIED)
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    multiline(w, level, "Annotations", &items);
}

fn format_toleration(t: &Toleration) -> String {
    let mut s = String::new();
    let key = t.key.clone().unwrap_or_default();
    let value = t.value.clone().unwrap_or_default();
    let effect = t.effect.clone().unwrap_or_default();
    s.push_str(&key);
    if !value.is_empty() {
        s.push('=');
        s.push_str(&value);
    }
    if !effect.is_empty() {
        s.push(':');
        s.push_str(&effect);
    }
    if t.operator.as_deref() == Some("Exists") && value.is_empty() {
        if !key.is_empty() || !effect.is_empty() {
            s.push_str(" op=Exists");
        } else {
            s.push_str("op=Exists");
        }
    }
    if let Some(secs) = t.toleration_seconds {
        s.push_str(&format!(" for {secs}s"));
    }
    s
}

fn taints_list(taints: &[Taint]) -> Vec<String> {
    taints
        .iter()
        .map(crate::engine::api::taints::format_taint)
        .collect()
}

fn container(
    w: &mut W,
    c: &Container,
    status: Option<&k8s_openapi::api::core::v1::ContainerStatus>,
    in_template: bool,
    pod: Option<&Pod>,
) {
    // describeContainerBasicInfo: the name at LEVEL_1, one space further in a pod template
    // (described with a non-empty `space`); the fields at LEVEL_2.
    let level = 1;
    let indent = if in_template { " " } else { "" };
    w.line(level, &format!("{indent}{}:", c.name));
    let l = level + 1;
    if let Some(st) = status {
        if let Some(id) = &st.container_id {
            w.line(l, &format!("Container ID:\t{id}"));
        }
    }
    w.line(
        l,
        &format!("Image:\t{}", c.image.clone().unwrap_or_default()),
    );
    if let Some(st) = status {
        w.line(l, &format!("Image ID:\t{}", st.image_id));
    }
    let ports: Vec<&k8s_openapi::api::core::v1::ContainerPort> = c.ports.iter().flatten().collect();
    match ports.first() {
        None => {
            w.line(l, "Port:\t<none>");
            w.line(l, "Host Port:\t<none>");
        }
        Some(_) => {
            let p: Vec<String> = ports
                .iter()
                .map(|p| {
                    format!(
                        "{}/{}",
                        p.container_port,
                        p.protocol.clone().unwrap_or_else(|| "TCP".to_string())
                    )
                })
                .collect();
            let hp: Vec<String> = ports
                .iter()
                .map(|p| {
                    format!(
                        "{}/{}",
                        p.host_port.unwrap_or(0),
                        p.protocol.clone().unwrap_or_else(|| "TCP".to_string())
                    )
                })
                .collect();
            w.line(
                l,
                &format!(
                    "Port{}:\t{}",
                    if p.len() > 1 { "s" } else { "" },
                    p.join(", ")
                ),
            );
            w.line(
                l,
                &format!(
                    "Host Port{}:\t{}",
                    if hp.len() > 1 { "s" } else { "" },
                    hp.join(", ")
                ),
            );
        }
    }
    if let Some(cmd) = c.command.as_ref().filter(|c| !c.is_empty()) {
        w.line(l, "Command:");
        // Each line of a multi-line argument (a script) on its own indented line.
        for line in cmd.iter().flat_map(|a| a.split('\n')) {
            w.line(l + 1, line);
        }
    }
    if let Some(args) = c.args.as_ref().filter(|c| !c.is_empty()) {
        w.line(l, "Args:");
        for line in args.iter().flat_map(|a| a.split('\n')) {
            w.line(l + 1, line);
        }
    }
    if let Some(st) = status {
        let state = st.state.clone().unwrap_or_default();
        container_state(w, l, "State", &state);
        if let Some(last) = st
            .last_state
            .as_ref()
            .filter(|s| s.running.is_some() || s.waiting.is_some() || s.terminated.is_some())
        {
            container_state(w, l, "Last State", last);
        }
        w.line(
            l,
            &format!("Ready:\t{}", if st.ready { "True" } else { "False" }),
        );
        w.line(l, &format!("Restart Count:\t{}", st.restart_count));
    }
    let res = c.resources.clone().unwrap_or_default();
    for (title, m) in [("Limits", res.limits), ("Requests", res.requests)] {
        if let Some(m) = m.filter(|m| !m.is_empty()) {
            w.line(l, &format!("{title}:"));
            for (k, v) in m {
                w.line(l + 1, &format!("{k}:\t{}", v.0));
            }
        }
    }
    // describeContainerProbe.
    for (title, probe) in [
        ("Liveness", &c.liveness_probe),
        ("Readiness", &c.readiness_probe),
        ("Startup", &c.startup_probe),
    ] {
        if let Some(p) = probe {
            w.line(l, &format!("{title}:\t{}", describe_probe(p)));
        }
    }
    // describeContainerEnvVars: a `fieldRef` shows the pod's value (none in a template) and
    // where it comes from; a multi-line value continues on indented lines.
    let mut env: Vec<String> = Vec::new();
    for e in c.env.iter().flatten() {
        let Some(from) = &e.value_from else {
            let value = e.value.clone().unwrap_or_default();
            for (i, line) in value.split('\n').enumerate() {
                env.push(if i == 0 {
                    format!("{}:\t{line}", e.name)
                } else {
                    format!("\t{line}")
                });
            }
            continue;
        };
        if let Some(f) = &from.field_ref {
            let value = pod
                .filter(|_| !matches!(f.field_path.as_str(), "status.podIPs" | "status.hostIPs"))
                .and_then(|p| crate::engine::api::pod_field(p, &f.field_path))
                .unwrap_or_default();
            env.push(format!(
                "{}:\t{value} ({}:{})",
                e.name,
                f.api_version.clone().unwrap_or_default(),
                f.field_path
            ));
        } else if let Some(r) = &from.resource_field_ref {
            env.push(format!("{}:\t ({})", e.name, r.resource));
        } else if let Some(k) = &from.secret_key_ref {
            env.push(format!(
                "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}",
                e.name,
                k.key,
                k.name,
                k.optional.unwrap_or(false)
            ));
        } else if let Some(k) = &from.config_map_key_ref {
            env.push(format!(
                "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}",
                e.name,
                k.key,
                k.name,
                k.optional.unwrap_or(false)
            ));
        }
    }
    if c.env.as_ref().is_none_or(Vec::is_empty) {
        w.line(l, "Environment:\t<none>");
    } else {
        w.line(l, "Environment:");
        for e in env {
            w.line(l + 1, &e);
        }
    }
    let mounts: Vec<String> = c
        .volume_mounts
        .iter()
        .flatten()
        .map(|m| {
            format!(
                "{} from {} ({})",
                m.mount_path,
                m.name,
                if m.read_only == Some(true) {
                    "ro"
                } else {
                    "rw"
                }
            )
        })
        .collect();
    // describeContainerVolumes: `Mounts:` then one mount per line, a level further in.
    if mounts.is_empty() {
        w.line(l, "Mounts:\t<none>");
    } else {
        w.line(l, "Mounts:");
        for m in mounts {
            w.line(l + 1, &m);
        }
    }
}

/// kubectl's `DescribeProbe`: the handler, then `delay=… timeout=… period=… #success=…
/// #failure=…` (the stored, defaulted numbers; Go prints an unset one as 0).
fn describe_probe(p: &k8s_openapi::api::core::v1::Probe) -> String {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(0),
        p.period_seconds.unwrap_or(0),
        p.success_threshold.unwrap_or(0),
        p.failure_threshold.unwrap_or(0)
    );
    let port = |p: &IntOrString| match p {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(s) => s.clone(),
    };
    if let Some(e) = &p.exec {
        // Go's `%v` of a []string: `[cat /tmp/healthy]`.
        return format!(
            "exec [{}] {attrs}",
            e.command.clone().unwrap_or_default().join(" ")
        );
    }
    if let Some(h) = &p.http_get {
        // url.URL{Scheme, Host: JoinHostPort(host, port), Path}.String().
        let scheme = h.scheme.clone().unwrap_or_default().to_ascii_lowercase();
        let host = h.host.clone().unwrap_or_default();
        let port = port(&h.port);
        let host_port = if port.is_empty() {
            host
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let path = h.path.clone().unwrap_or_default();
        let path = if !path.is_empty() && !path.starts_with('/') {
            format!("/{path}")
        } else {
            path
        };
        let url = if scheme.is_empty() {
            format!("//{host_port}{path}")
        } else {
            format!("{scheme}://{host_port}{path}")
        };
        return format!("http-get {url} {attrs}");
    }
    if let Some(t) = &p.tcp_socket {
        return format!(
            "tcp-socket {}:{} {attrs}",
            t.host.clone().unwrap_or_default(),
            port(&t.port)
        );
    }
    if let Some(g) = &p.grpc {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            g.port,
            g.service.clone().unwrap_or_default()
        );
    }
    format!("unknown {attrs}")
}

fn container_state(
    w: &mut W,
    l: usize,
    title: &str,
    s: &k8s_openapi::api::core::v1::ContainerState,
) {
    if let Some(r) = &s.running {
        w.line(l, &format!("{title}:\tRunning"));
        if let Some(t) = &r.started_at {
            w.line(l + 1, &format!("Started:\t{}", date(t)));
        }
    } else if let Some(wt) = &s.waiting {
        w.line(l, &format!("{title}:\tWaiting"));
        if let Some(r) = &wt.reason {
            w.line(l + 1, &format!("Reason:\t{r}"));
        }
        if let Some(m) = wt.message.as_ref().filter(|m| !m.is_empty()) {
            w.line(l + 1, &format!("Message:\t{m}"));
        }
    } else if let Some(t) = &s.terminated {
        w.line(l, &format!("{title}:\tTerminated"));
        if let Some(r) = &t.reason {
            w.line(l + 1, &format!("Reason:\t{r}"));
        }
        if let Some(m) = t.message.as_ref().filter(|m| !m.is_empty()) {
            w.line(l + 1, &format!("Message:\t{m}"));
        }
        w.line(l + 1, &format!("Exit Code:\t{}", t.exit_code));
        if let Some(sig) = t.signal.filter(|s| *s != 0) {
            w.line(l + 1, &format!("Signal:\t{sig}"));
        }
        if let Some(st) = &t.started_at {
            w.line(l + 1, &format!("Started:\t{}", date(st)));
        }
        if let Some(f) = &t.finished_at {
            w.line(l + 1, &format!("Finished:\t{}", date(f)));
        }
    } else {
        w.line(l, &format!("{title}:\tWaiting"));
    }
}

fn volumes(w: &mut W, level: usize, spec: &k8s_openapi::api::core::v1::PodSpec) {
    let vols = spec.volumes.clone().unwrap_or_default();
    if vols.is_empty() {
        w.line(level, "Volumes:\t<none>");
        return;
    }
    w.line(level, "Volumes:");
    for v in vols {
        w.line(level + 1, &format!("{}:", v.name));
        if let Some(h) = &v.host_path {
            w.line(level + 2, "Type:\tHostPath (bare host directory volume)");
            w.line(level + 2, &format!("Path:\t{}", h.path));
            w.line(
                level + 2,
                &format!("HostPathType:\t{}", h.type_.clone().unwrap_or_default()),
            );
        } else if let Some(e) = &v.empty_dir {
            w.line(
                level + 2,
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)",
            );
            w.line(
                level + 2,
                &format!("Medium:\t{}", e.medium.clone().unwrap_or_default()),
            );
            w.line(
                level + 2,
                &format!(
                    "SizeLimit:\t{}",
                    e.size_limit
                        .as_ref()
                        .map(|q| q.0.clone())
                        .unwrap_or_else(|| "<unset>".to_string())
                ),
            );
        } else if let Some(c) = &v.config_map {
            w.line(
                level + 2,
                "Type:\tConfigMap (a volume populated by a ConfigMap)",
            );
            w.line(level + 2, &format!("Name:\t{}", c.name));
            w.line(
                level + 2,
                &format!("Optional:\t{}", c.optional.unwrap_or(false)),
            );
        } else if let Some(p) = &v.projected {
            // printProjectedVolumeSource.
            w.line(
                level + 2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)",
            );
            for src in p.sources.iter().flatten() {
                if let Some(t) = &src.service_account_token {
                    w.line(
                        level + 2,
                        &format!(
                            "TokenExpirationSeconds:\t{}",
                            t.expiration_seconds.unwrap_or(3600)
                        ),
                    );
                } else if let Some(c) = &src.config_map {
                    w.line(level + 2, &format!("ConfigMapName:\t{}", c.name));
                    w.line(
                        level + 2,
                        &format!(
                            "ConfigMapOptional:\t{}",
                            c.optional.map_or("<nil>".to_string(), |o| o.to_string())
                        ),
                    );
                } else if src.downward_api.is_some() {
                    w.line(level + 2, "DownwardAPI:\ttrue");
                } else if let Some(sec) = &src.secret {
                    w.line(level + 2, &format!("SecretName:\t{}", sec.name));
                    w.line(
                        level + 2,
                        &format!(
                            "SecretOptional:\t{}",
                            sec.optional.map_or("<nil>".to_string(), |o| o.to_string())
                        ),
                    );
                }
            }
        } else if let Some(d) = &v.downward_api {
            // printDownwardAPIVolumeSource.
            w.line(
                level + 2,
                "Type:\tDownwardAPI (a volume populated by information about the pod)",
            );
            w.line(level + 2, "Items:");
            for item in d.items.iter().flatten() {
                if let Some(f) = &item.field_ref {
                    w.line(level + 3, &format!("{} -> {}", f.field_path, item.path));
                }
                if let Some(r) = &item.resource_field_ref {
                    w.line(level + 3, &format!("{} -> {}", r.resource, item.path));
                }
            }
        } else {
            w.line(level + 2, "Type:\t<unknown>");
        }
    }
}

fn template(w: &mut W, t: &PodTemplateSpec) {
    w.line(0, "Pod Template:");
    let meta = t.metadata.clone().unwrap_or_default();
    labels(w, 1, "Labels", meta.labels.as_ref());
    if meta.annotations.as_ref().is_some_and(|a| !a.is_empty()) {
        annotations(w, 1, meta.annotations.as_ref());
    }
    let spec = t.spec.clone().unwrap_or_default();
    if let Some(sa) = spec.service_account_name.as_ref().filter(|s| !s.is_empty()) {
        w.line(1, &format!("Service Account:\t{sa}"));
    }
    if let Some(ics) = spec.init_containers.as_ref().filter(|c| !c.is_empty()) {
        w.line(1, "Init Containers:");
        for c in ics {
            container(w, c, None, true, None);
        }
    }
    w.line(1, "Containers:");
    for c in &spec.containers {
        container(w, c, None, true, None);
    }
    volumes(w, 1, &spec);
    w.line(
        1,
        &format!(
            "Node-Selectors:\t{}",
            table::format_labels(spec.node_selector.as_ref())
        ),
    );
    let tols: Vec<String> = spec
        .tolerations
        .iter()
        .flatten()
        .map(format_toleration)
        .collect();
    multiline(w, 1, "Tolerations", &tols);
}

fn pod(w: &mut W, p: &Pod, now: SimTime) {
    let spec = p.spec.clone().unwrap_or_default();
    let st = p.status.clone().unwrap_or_default();
    w.line(0, &format!("Name:\t{}", name(&p.metadata)));
    w.line(
        0,
        &format!(
            "Namespace:\t{}",
            p.metadata.namespace.clone().unwrap_or_default()
        ),
    );
    w.line(0, &format!("Priority:\t{}", spec.priority.unwrap_or(0)));
    if let Some(pc) = &spec.priority_class_name {
        w.line(0, &format!("Priority Class Name:\t{pc}"));
    }
    w.line(
        0,
        &format!(
            "Service Account:\t{}",
            spec.service_account_name
                .clone()
                .unwrap_or_else(|| "default".to_string())
        ),
    );
    match spec.node_name.as_deref() {
        Some(n) => w.line(
            0,
            &format!("Node:\t{n}/{}", st.host_ip.clone().unwrap_or_default()),
        ),
        None => w.line(0, "Node:\t<none>"),
    }
    if let Some(t) = &st.start_time {
        w.line(0, &format!("Start Time:\t{}", date(t)));
    }
    labels(w, 0, "Labels", p.metadata.labels.as_ref());
    annotations(w, 0, p.metadata.annotations.as_ref());
    if let Some(dt) = &p.metadata.deletion_timestamp {
        w.line(
            0,
            &format!(
                "Status:\tTerminating (lasts {})",
                human_duration(now.since(SimTime::from_k8s(dt)))
            ),
        );
        w.line(
            0,
            &format!(
                "Termination Grace Period:\t{}s",
                p.metadata.deletion_grace_period_seconds.unwrap_or(0)
            ),
        );
    } else {
        w.line(
            0,
            &format!("Status:\t{}", st.phase.clone().unwrap_or_default()),
        );
    }
    if let Some(r) = st.reason.as_ref().filter(|r| !r.is_empty()) {
        w.line(0, &format!("Reason:\t{r}"));
    }
    if let Some(m) = st.message.as_ref().filter(|r| !r.is_empty()) {
        w.line(0, &format!("Message:\t{m}"));
    }
    w.line(
        0,
        &format!("IP:\t{}", st.pod_ip.clone().unwrap_or_default()),
    );
    let ips: Vec<String> = st.pod_ips.iter().flatten().map(|i| i.ip.clone()).collect();
    if ips.is_empty() {
        w.line(0, "IPs:\t<none>");
    } else {
        w.line(0, "IPs:");
        for ip in ips {
            w.line(0, &format!("  IP:\t{ip}"));
        }
    }
    if let Some(r) = crate::engine::api::controller_ref(&p.metadata) {
        w.line(0, &format!("Controlled By:\t{}/{}", r.kind, r.name));
    }
    if let Some(ics) = spec.init_containers.as_ref().filter(|c| !c.is_empty()) {
        w.line(0, "Init Containers:");
        for c in ics {
            let cs = st
                .init_container_statuses
                .iter()
                .flatten()
                .find(|s| s.name == c.name);
            container(w, c, cs, false, Some(p));
        }
    }
    w.line(0, "Containers:");
    for c in &spec.containers {
        let cs = st
            .container_statuses
            .iter()
            .flatten()
            .find(|s| s.name == c.name);
        container(w, c, cs, false, Some(p));
    }
    let conds = st.conditions.clone().unwrap_or_default();
    if !conds.is_empty() {
        w.line(0, "Conditions:");
        w.line(1, "Type\tStatus");
        for c in &conds {
            w.line(1, &format!("{} \t{} ", c.type_, c.status));
        }
    }
    volumes(w, 0, &spec);
    w.line(
        0,
        &format!(
            "QoS Class:\t{}",
            st.qos_class
                .clone()
                .unwrap_or_else(|| crate::engine::kubelet::qos_class(p).to_string())
        ),
    );
    w.line(
        0,
        &format!(
            "Node-Selectors:\t{}",
            table::format_labels(spec.node_selector.as_ref())
        ),
    );
    let tols: Vec<String> = spec
        .tolerations
        .iter()
        .flatten()
        .map(format_toleration)
        .collect();
    multiline(w, 0, "Tolerations", &tols);
}

fn q(s: &str) -> Quantity {
    Quantity::parse(s).unwrap_or_default()
}

/// `120m (3%)` as the node describer prints a summed request against allocatable.
fn with_pct(sum: &Quantity, alloc: &Quantity) -> String {
    format!("{sum} ({}%)", percent(sum, alloc))
}

/// The kubelet renews its node's Lease (`kube-node-lease`) every 10 s (a quarter of the 40 s
/// lease duration); kubeplay keeps no Lease objects and prints the one its kubelet would hold:
/// renewed on the 10 s grid from registration until the kubelet stopped.
const LEASE_RENEW_MS: u64 = 10_000;

fn node_lease(w: &mut W, cluster: &Cluster, n: &Node, now: SimTime) {
    let name = name(&n.metadata);
    let Some(agent) = cluster.node_agent(&name) else {
        w.line(
            0,
            &format!(
                "Lease:\tFailed to get lease: leases.coordination.k8s.io \"{name}\" not found"
            ),
        );
        return;
    };
    let created = n
        .metadata
        .creation_timestamp
        .as_ref()
        .map_or(now, SimTime::from_k8s);
    let last = if agent.up {
        now
    } else {
        agent.down_since.unwrap_or(now)
    };
    let renewed = created.plus(last.since(created) / LEASE_RENEW_MS * LEASE_RENEW_MS);
    w.line(0, "Lease:");
    w.line(1, &format!("HolderIdentity:\t{name}"));
    w.line(1, "AcquireTime:\t<unset>");
    w.line(1, &format!("RenewTime:\t{}", date(&renewed.to_k8s())));
}

fn node(w: &mut W, cluster: &Cluster, n: &Node, now: SimTime) {
    let spec = n.spec.clone().unwrap_or_default();
    let st = n.status.clone().unwrap_or_default();
    let node_name = name(&n.metadata);
    w.line(0, &format!("Name:\t{node_name}"));
    w.line(0, &format!("Roles:\t{}", table::node_roles(n)));
    labels(w, 0, "Labels", n.metadata.labels.as_ref());
    annotations(w, 0, n.metadata.annotations.as_ref());
    if let Some(t) = &n.metadata.creation_timestamp {
        w.line(0, &format!("CreationTimestamp:\t{}", date(t)));
    }
    multiline(
        w,
        0,
        "Taints",
        &taints_list(spec.taints.as_deref().unwrap_or_default()),
    );
    w.line(
        0,
        &format!("Unschedulable:\t{}", spec.unschedulable.unwrap_or(false)),
    );
    node_lease(w, cluster, n, now);
    let conds = st.conditions.clone().unwrap_or_default();
    if !conds.is_empty() {
        w.line(0, "Conditions:");
        w.line(
            1,
            "Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage",
        );
        w.line(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------",
        );
        for c in &conds {
            w.line(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}",
                    c.type_,
                    c.status,
                    c.last_heartbeat_time.as_ref().map(date).unwrap_or_default(),
                    c.last_transition_time
                        .as_ref()
                        .map(date)
                        .unwrap_or_default(),
                    c.reason.clone().unwrap_or_default(),
                    c.message.clone().unwrap_or_default()
                ),
            );
        }
    }
    w.line(0, "Addresses:");
    for a in st.addresses.iter().flatten() {
        w.line(1, &format!("{}:\t{}", a.type_, a.address));
    }
    let cap = st.capacity.clone().unwrap_or_default();
    let alloc = st.allocatable.clone().unwrap_or_default();
    for (title, m) in [("Capacity", &cap), ("Allocatable", &alloc)] {
        w.line(0, &format!("{title}:"));
        for (k, v) in m {
            w.line(1, &format!("{k}:\t{}", v.0));
        }
    }
    let info = st.node_info.clone().unwrap_or_default();
    w.line(0, "System Info:");
    for (k, v) in [
        ("Machine ID", info.machine_id.clone()),
        ("System UUID", info.system_uuid.clone()),
        ("Boot ID", info.boot_id.clone()),
        ("Kernel Version", info.kernel_version.clone()),
        ("OS Image", info.os_image.clone()),
        ("Operating System", info.operating_system.clone()),
        ("Architecture", info.architecture.clone()),
        (
            "Container Runtime Version",
            info.container_runtime_version.clone(),
        ),
        ("Kubelet Version", info.kubelet_version.clone()),
        ("Kube-Proxy Version", info.kube_proxy_version.clone()),
    ] {
        w.line(1, &format!("{k}:\t{v}"));
    }
    if let Some(c) = &spec.pod_cidr {
        w.line(0, &format!("PodCIDR:\t{c}"));
    }
    if let Some(cs) = &spec.pod_cidrs {
        w.line(0, &format!("PodCIDRs:\t{}", cs.join(",")));
    }
    let pods: Vec<&Pod> = cluster
        .store()
        .pods()
        .filter(|p| {
            p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node_name.as_str())
        })
        .filter(|p| {
            !matches!(
                p.status.as_ref().and_then(|s| s.phase.as_deref()),
                Some("Succeeded" | "Failed")
            )
        })
        .collect();
    let alloc_q = |k: &str| alloc.get(k).map(|x| q(&x.0)).unwrap_or_default();
    let allocs = [
        alloc_q("cpu"),
        alloc_q("cpu"),
        alloc_q("memory"),
        alloc_q("memory"),
        alloc_q("ephemeral-storage"),
        alloc_q("ephemeral-storage"),
    ];
    w.line(
        0,
        &format!("Non-terminated Pods:\t({} in total)", pods.len()),
    );
    w.line(
        1,
        "Namespace\tName\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge",
    );
    w.line(
        1,
        "---------\t----\t------------\t----------\t---------------\t-------------\t---",
    );
    let formats = [
        Format::DecimalSi,
        Format::DecimalSi,
        Format::BinarySi,
        Format::BinarySi,
        Format::BinarySi,
        Format::BinarySi,
    ];
    let mut totals = [0i128; 6];
    for p in &pods {
        let mut sums = [0i128; 6];
        for c in p.spec.iter().flat_map(|s| s.containers.iter()) {
            let res = c.resources.clone().unwrap_or_default();
            let req = res.requests.unwrap_or_default();
            let lim = res.limits.unwrap_or_default();
            let get =
                |m: &BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
                 k: &str| { m.get(k).map_or(0, |x| q(&x.0).milli_value()) };
            let vals = [
                get(&req, "cpu"),
                get(&lim, "cpu"),
                get(&req, "memory"),
                get(&lim, "memory"),
                get(&req, "ephemeral-storage"),
                get(&lim, "ephemeral-storage"),
            ];
            for (s, v) in sums.iter_mut().zip(vals) {
                *s += v;
            }
        }
        for (t, s) in totals.iter_mut().zip(sums.iter()) {
            *t += s;
        }
        let cell = |i: usize| {
            let f = formats.get(i).copied().unwrap_or_default();
            let a = allocs.get(i).copied().unwrap_or_default();
            with_pct(
                &Quantity::from_milli(sums.get(i).copied().unwrap_or(0), f),
                &a,
            )
        };
        w.line(
            1,
            &format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                p.metadata.namespace.clone().unwrap_or_default(),
                name(&p.metadata),
                cell(0),
                cell(1),
                cell(2),
                cell(3),
                table::age(p.metadata.creation_timestamp.as_ref(), now)
            ),
        );
    }
    let total = |i: usize| {
        let f = formats.get(i).copied().unwrap_or_default();
        let a = allocs.get(i).copied().unwrap_or_default();
        with_pct(
            &Quantity::from_milli(totals.get(i).copied().unwrap_or(0), f),
            &a,
        )
    };
    w.line(0, "Allocated resources:");
    w.line(
        1,
        "(Total limits may be over 100 percent, i.e., overcommitted.)",
    );
    w.line(1, "Resource\tRequests\tLimits");
    w.line(1, "--------\t--------\t------");
    w.line(1, &format!("cpu\t{}\t{}", total(0), total(1)));
    w.line(1, &format!("memory\t{}\t{}", total(2), total(3)));
    w.line(1, &format!("ephemeral-storage\t{}\t{}", total(4), total(5)));
    events(w, cluster, &Object::Node(n.clone()), now);
}

fn service(w: &mut W, cluster: &Cluster, svc: &Service, obj: &Object) {
    let spec = svc.spec.clone().unwrap_or_default();
    name_namespace_labels(w, &svc.metadata);
    w.line(
        0,
        &format!(
            "Selector:\t{}",
            table::format_labels(spec.selector.as_ref())
        ),
    );
    w.line(
        0,
        &format!(
            "Type:\t{}",
            spec.type_
                .clone()
                .unwrap_or_else(|| "ClusterIP".to_string())
        ),
    );
    w.line(
        0,
        &format!(
            "IP Family Policy:\t{}",
            spec.ip_family_policy
                .clone()
                .unwrap_or_else(|| "SingleStack".to_string())
        ),
    );
    w.line(
        0,
        &format!(
            "IP Families:\t{}",
            spec.ip_families
                .clone()
                .unwrap_or_else(|| vec!["IPv4".to_string()])
                .join(",")
        ),
    );
    w.line(
        0,
        &format!("IP:\t{}", spec.cluster_ip.clone().unwrap_or_default()),
    );
    w.line(
        0,
        &format!(
            "IPs:\t{}",
            spec.cluster_ips.clone().unwrap_or_default().join(",")
        ),
    );
    let slices: Vec<&k8s_openapi::api::discovery::v1::EndpointSlice> = cluster
        .store()
        .list_ns(Kind::EndpointSlice, obj.namespace())
        .filter_map(|o| match o {
            Object::EndpointSlice(es) => Some(es),
            _ => None,
        })
        .filter(|es| {
            es.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(SERVICE_NAME_LABEL))
                .map(String::as_str)
                == Some(obj.name())
        })
        .collect();
    for p in spec.ports.iter().flatten() {
        let proto = p.protocol.clone().unwrap_or_else(|| "TCP".to_string());
        w.line(
            0,
            &format!(
                "Port:\t{}  {}/{proto}",
                p.name.clone().unwrap_or_else(|| "<unset>".to_string()),
                p.port
            ),
        );
        let tp = match &p.target_port {
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(i)) => {
                i.to_string()
            }
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s)) => s.clone(),
            None => p.port.to_string(),
        };
        w.line(0, &format!("TargetPort:\t{tp}/{proto}"));
        let mut eps = Vec::new();
        for es in &slices {
            for e in &es.endpoints {
                if e.conditions.as_ref().and_then(|c| c.ready) == Some(false) {
                    continue;
                }
                for a in &e.addresses {
                    eps.push(format!("{a}:{tp}"));
                }
            }
        }
        w.line(0, &format!("Endpoints:\t{}", eps.join(",")));
    }
    w.line(
        0,
        &format!(
            "Session Affinity:\t{}",
            spec.session_affinity
                .clone()
                .unwrap_or_else(|| "None".to_string())
        ),
    );
    w.line(
        0,
        &format!(
            "Internal Traffic Policy:\t{}",
            spec.internal_traffic_policy
                .clone()
                .unwrap_or_else(|| "Cluster".to_string())
        ),
    );
    events(w, cluster, obj, cluster.now());
}

fn pod_phases(cluster: &Cluster, owner: &Object) -> (usize, usize, usize, usize) {
    let mut counts = (0, 0, 0, 0);
    for p in cluster
        .store()
        .list_ns(Kind::Pod, owner.namespace())
        .filter_map(Object::as_pod)
    {
        if crate::engine::api::controller_ref(&p.metadata).is_none_or(|r| r.uid != owner.uid()) {
            continue;
        }
        match p.status.as_ref().and_then(|s| s.phase.as_deref()) {
            Some("Running") => counts.0 += 1,
            Some("Pending") => counts.1 += 1,
            Some("Succeeded") => counts.2 += 1,
            Some("Failed") => counts.3 += 1,
            _ => {}
        }
    }
    counts
}

fn events(w: &mut W, cluster: &Cluster, obj: &Object, now: SimTime) {
    let mut evs: Vec<&k8s_openapi::api::core::v1::Event> = cluster
        .store()
        .events_named_for(obj.namespace(), obj.name())
        .filter_map(|o| match o {
            Object::Event(e) => Some(e),
            _ => None,
        })
        .filter(|e| e.involved_object.uid.as_deref() == Some(obj.uid()))
        .collect();
    if evs.is_empty() {
        w.line(0, "Events:\t<none>");
        return;
    }
    let ts = |e: &k8s_openapi::api::core::v1::Event| {
        e.last_timestamp
            .as_ref()
            .or(e.first_timestamp.as_ref())
            .map(SimTime::from_k8s)
            .unwrap_or_default()
    };
    super::sort_by(&mut evs, |a, b| {
        ts(a)
            .cmp(&ts(b))
            .then(a.metadata.name.cmp(&b.metadata.name))
    });
    w.line(0, "Events:");
    w.line(1, "Type\tReason\tAge\tFrom\tMessage");
    w.line(1, "----\t------\t----\t----\t-------");
    for e in evs {
        let interval = table::event_interval(e, now);
        // `Source.Component`, else `ReportingController`.
        let source = e
            .source
            .as_ref()
            .and_then(|s| s.component.clone())
            .filter(|c| !c.is_empty())
            .or(e.reporting_component.clone())
            .unwrap_or_default();
        w.line(
            1,
            &format!(
                "{}\t{}\t{interval}\t{source}\t{}",
                e.type_.clone().unwrap_or_default(),
                e.reason.clone().unwrap_or_default(),
                e.message.clone().unwrap_or_default().trim()
            ),
        );
    }
}

#[cfg(test)]
mod generic_tests {
    use super::*;

    /// `TestDescribePodTolerations` (describe_test.go): `printTolerationsMultilineWithIndent`'s
    /// entries.
    #[test]
    fn describe_pod_tolerations() {
        let t = |key: &str, op: Option<&str>, value: &str, effect: &str, secs: Option<i64>| {
            Toleration {
                key: (!key.is_empty()).then(|| key.to_string()),
                operator: op.map(str::to_string),
                value: (!value.is_empty()).then(|| value.to_string()),
                effect: (!effect.is_empty()).then(|| effect.to_string()),
                toleration_seconds: secs,
            }
        };
        for (tol, want) in [
            (t("", Some("Exists"), "", "", None), "op=Exists"),
            (
                t("key0", Some("Exists"), "", "NoSchedule", None),
                "key0:NoSchedule op=Exists",
            ),
            (t("key1", None, "value1", "", None), "key1=value1"),
            (
                t("key2", None, "value2", "NoSchedule", None),
                "key2=value2:NoSchedule",
            ),
            (
                t("key3", None, "value3", "NoExecute", Some(300)),
                "key3=value3:NoExecute for 300s",
            ),
            (
                t("key4", None, "value4", "NoExecute", Some(60)),
                "key4=value4:NoExecute for 60s",
            ),
            (
                t("key5", Some("Exists"), "", "NoExecute", Some(300)),
                "key5:NoExecute op=Exists for 300s",
            ),
            (
                t("", Some("Exists"), "", "NoSchedule", None),
                ":NoSchedule op=Exists",
            ),
        ] {
            assert_eq!(format_toleration(&tol), want);
        }
    }

    /// `smartLabelFor` and Go's `%v` of JSON numbers, as kubectl's generic describer prints.
    #[test]
    fn smart_labels_and_go_values() {
        for (field, want) in [
            ("creationTimestamp", "Creation Timestamp"),
            ("apiVersion", "API Version"),
            ("uid", "UID"),
            ("ownerReferences", "Owner References"),
            ("dnsPolicy", "Dns Policy"),
            ("PDFLoader", "PDF Loader"),
            ("app", "App"),
            ("$patch", "$patch"),
            ("kubernetes.io/os", "kubernetes.io/os"),
        ] {
            assert_eq!(smart_label(field), want, "{field}");
        }
        for (v, want) in [
            (serde_json::json!(30), "30"),
            (serde_json::json!(1_000_000), "1e+06"),
            (serde_json::json!(15_000_000), "1.5e+07"),
            (serde_json::json!(0.5), "0.5"),
            (serde_json::json!(true), "true"),
            (serde_json::json!(null), "<nil>"),
        ] {
            assert_eq!(go_value(&v), want, "{v}");
        }
    }
}
