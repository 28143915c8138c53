//! `kubectl describe`, after `k8s.io/kubectl/pkg/describe/describe.go` (`PodDescriber`,
//! `NodeDescriber`, `DaemonSetDescriber`, `JobDescriber`, `NamespaceDescriber`,
//! `ServiceDescriber`, `EndpointSliceDescriber`, `DescribeEvents`, `DescribePodTemplate`), as of
//! kubectl v1.34. The text is built with tabs and aligned by the same tabwriter settings
//! (minwidth 0, padding 2), so alignment quirks match. The describers take their inputs (events,
//! pod counts, endpoint slices) as upstream's `describeX` functions do, so that the tests beside
//! them (`describe_tests.rs`, after `describe_test.go`) feed them directly.
//!
//! Simplifications: only the volume sources kubeplay runs (hostPath, emptyDir, secret,
//! configMap, persistentVolumeClaim, projected, downwardAPI, nfs) have their own lines; no
//! resource quota / limit range sections beyond their "No …" lines; no ephemeral containers;
//! event ties above twelve events keep list order (Go's `sort.Sort` is unstable there); kinds
//! without a describer print their metadata and fields as the generic describer does.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{
    Container, ContainerStatus, Event, Namespace, Node, Pod, PodSpec, PodTemplateSpec, Service,
    Taint, Toleration,
};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;

use super::table::{self, format_label_selector};
use super::tabwriter;
use crate::engine::api::{Kind, Object};
use crate::engine::clock::{human_duration, SimTime};
use crate::engine::quantity::{percent, Quantity};
use crate::engine::Cluster;
use crate::engine::LAST_APPLIED;

#[cfg(test)]
#[path = "describe_tests.rs"]
mod describe_tests;

/// Describes one object.
pub fn describe(cluster: &Cluster, obj: &Object) -> String {
    let mut w = W::default();
    let now = cluster.now();
    match obj {
        Object::Pod(p) => {
            pod(&mut w, p, now);
            describe_events(&mut w, &object_events(cluster, obj), now);
        }
        Object::Node(n) => {
            let name = name(&n.metadata);
            let pods: Vec<&Pod> = cluster
                .store()
                .pods()
                .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(&name))
                .filter(|p| {
                    !matches!(
                        p.status.as_ref().and_then(|s| s.phase.as_deref()),
                        Some("Succeeded" | "Failed")
                    )
                })
                .collect();
            node(&mut w, n, lease_renew_time(cluster, n, now), &pods, now);
            // Node events carry the node's UID (controllers) or its name (the kubelet).
            let evs: Vec<&Event> = cluster
                .store()
                .events_named_for("", &name)
                .filter_map(|o| match o {
                    Object::Event(e) => Some(e),
                    _ => None,
                })
                .filter(|e| {
                    let uid = e.involved_object.uid.as_deref();
                    uid == Some(obj.uid()) || uid == Some(name.as_str())
                })
                .collect();
            describe_events(&mut w, &evs, now);
        }
        Object::DaemonSet(ds) => {
            daemon_set(&mut w, ds, pod_phases(cluster, obj));
            describe_events(&mut w, &object_events(cluster, obj), now);
        }
        Object::Job(j) => {
            job(&mut w, j);
            describe_events(&mut w, &object_events(cluster, obj), now);
        }
        Object::Namespace(ns) => namespace(&mut w, ns),
        Object::Service(svc) => {
            let slices: Vec<&EndpointSlice> = crate::engine::network::service_slices(
                cluster.store(),
                obj.namespace(),
                obj.name(),
            )
            .collect();
            service(&mut w, svc, &slices);
            describe_events(&mut w, &object_events(cluster, obj), now);
        }
        Object::EndpointSlice(es) => {
            endpoint_slice(&mut w, es);
            describe_events(&mut w, &object_events(cluster, obj), now);
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
            describe_events(&mut w, &object_events(cluster, obj), now);
        }
    }
    tabwriter(&w.text, 0, 2)
}

/// `labels.Selector.String()` of `LabelSelectorAsSelector`: as `FormatLabelSelector` but empty
/// (not `<none>`) for a selector that selects everything.
fn selector_string(sel: Option<&LabelSelector>) -> String {
    match sel {
        Some(s)
            if s.match_labels.as_ref().is_some_and(|m| !m.is_empty())
                || s.match_expressions.as_ref().is_some_and(|e| !e.is_empty()) =>
        {
            format_label_selector(Some(s))
        }
        _ => String::new(),
    }
}

/// `describeDaemonSet`: `phases` are the running / waiting / succeeded / failed pods it controls.
fn daemon_set(w: &mut W, ds: &DaemonSet, phases: (usize, usize, usize, usize)) {
    let spec = ds.spec.clone().unwrap_or_default();
    let st = ds.status.clone().unwrap_or_default();
    name_namespace(w, &ds.metadata);
    w.line(
        0,
        &format!("Selector:\t{}", selector_string(Some(&spec.selector))),
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
    labels(w, 0, "Labels", ds.metadata.labels.as_ref());
    annotations(w, 0, ds.metadata.annotations.as_ref());
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
    let (r, wt, s, f) = phases;
    w.line(
        0,
        &format!("Pods Status:\t{r} Running / {wt} Waiting / {s} Succeeded / {f} Failed"),
    );
    template(w, &spec.template);
}

/// `describeJob`: the optional spec fields only when set (the API server defaults most of them).
fn job(w: &mut W, job: &Job) {
    let spec = job.spec.clone().unwrap_or_default();
    let st = job.status.clone().unwrap_or_default();
    name_namespace(w, &job.metadata);
    w.line(
        0,
        &format!("Selector:\t{}", selector_string(spec.selector.as_ref())),
    );
    labels(w, 0, "Labels", job.metadata.labels.as_ref());
    annotations(w, 0, job.metadata.annotations.as_ref());
    if let Some(r) = crate::engine::api::controller_ref(&job.metadata) {
        w.line(0, &format!("Controlled By:\t{}/{}", r.kind, r.name));
    }
    if let Some(p) = spec.parallelism {
        w.line(0, &format!("Parallelism:\t{p}"));
    }
    match spec.completions {
        Some(c) => w.line(0, &format!("Completions:\t{c}")),
        None => w.line(0, "Completions:\t<unset>"),
    }
    if let Some(m) = &spec.completion_mode {
        w.line(0, &format!("Completion Mode:\t{m}"));
    }
    if let Some(s) = spec.suspend {
        w.line(0, &format!("Suspend:\t{s}"));
    }
    if let Some(b) = spec.backoff_limit {
        w.line(0, &format!("Backoff Limit:\t{b}"));
    }
    if let Some(t) = spec.ttl_seconds_after_finished {
        w.line(0, &format!("TTL Seconds After Finished:\t{t}"));
    }
    if let Some(t) = st.start_time.as_ref() {
        w.line(0, &format!("Start Time:\t{}", date(t)));
    }
    if let Some(t) = st.completion_time.as_ref() {
        w.line(0, &format!("Completed At:\t{}", date(t)));
    }
    if let (Some(s), Some(c)) = (st.start_time.as_ref(), st.completion_time.as_ref()) {
        let d = SimTime::from_k8s(c).since(SimTime::from_k8s(s));
        w.line(0, &format!("Duration:\t{}", human_duration(d)));
    }
    if let Some(a) = spec.active_deadline_seconds {
        w.line(0, &format!("Active Deadline Seconds:\t{a}s"));
    }
    let (active, succeeded, failed) = (
        st.active.unwrap_or(0),
        st.succeeded.unwrap_or(0),
        st.failed.unwrap_or(0),
    );
    match st.ready {
        None => w.line(
            0,
            &format!("Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed"),
        ),
        Some(ready) => w.line(
            0,
            &format!(
                "Pods Statuses:\t{active} Active ({ready} Ready) / {succeeded} Succeeded / {failed} Failed"
            ),
        ),
    }
    if spec.completion_mode.as_deref() == Some("Indexed") {
        w.line(
            0,
            &format!(
                "Completed Indexes:\t{}",
                cap_indexes(st.completed_indexes.as_deref().unwrap_or_default(), 50)
            ),
        );
    }
    template(w, &spec.template);
}

/// `capIndexesListOrNone`: `<none>`, or the list cut at the first comma from `soft_limit` on.
fn cap_indexes(indexes: &str, soft_limit: usize) -> String {
    if indexes.is_empty() {
        return "<none>".to_string();
    }
    match indexes
        .char_indices()
        .find(|(i, c)| *i >= soft_limit && *c == ',')
    {
        Some((i, _)) => format!("{}...", &indexes[..=i]),
        None => indexes.to_string(),
    }
}

/// `describeNamespace`, with no ResourceQuota or LimitRange objects.
fn namespace(w: &mut W, ns: &Namespace) {
    w.line(0, &format!("Name:\t{}", name(&ns.metadata)));
    labels(w, 0, "Labels", ns.metadata.labels.as_ref());
    annotations(w, 0, ns.metadata.annotations.as_ref());
    let st = ns.status.clone().unwrap_or_default();
    w.line(
        0,
        &format!("Status:\t{}", st.phase.clone().unwrap_or_default()),
    );
    let conds = st.conditions.unwrap_or_default();
    if !conds.is_empty() {
        w.line(0, "Conditions:");
        w.line(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage");
        w.line(1, "----\t------\t------------------\t------\t-------");
        for c in &conds {
            w.line(
                1,
                &format!(
                    "{}\t{}\t{}\t{}\t{}",
                    c.type_,
                    c.status,
                    date_or_zero(c.last_transition_time.as_ref()),
                    c.reason.clone().unwrap_or_default(),
                    c.message.clone().unwrap_or_default()
                ),
            );
        }
    }
    w.line(0, "");
    w.line(0, "No resource quota.");
    w.line(0, "");
    w.line(0, "No LimitRange resource.");
}

/// The lines most describers start with: name, namespace, labels, annotations.
fn name_namespace_labels(w: &mut W, meta: &ObjectMeta) {
    name_namespace(w, meta);
    labels(w, 0, "Labels", meta.labels.as_ref());
    annotations(w, 0, meta.annotations.as_ref());
}

/// `Name:` and `Namespace:`, the first two lines of every namespaced describer.
fn name_namespace(w: &mut W, meta: &ObjectMeta) {
    w.line(0, &format!("Name:\t{}", name(meta)));
    w.line(
        0,
        &format!("Namespace:\t{}", meta.namespace.clone().unwrap_or_default()),
    );
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

/// `printAnnotationsMultiline`: sorted, the last-applied configuration left out; a value longer
/// than 140 characters with its key, or one spanning lines, goes under `key:` one line at a time,
/// each cut at 138 characters.
fn annotations(w: &mut W, level: usize, a: Option<&BTreeMap<String, String>>) {
    const MAX_LEN: usize = 140;
    let items: Vec<(&String, &String)> = a
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != LAST_APPLIED)
        .collect();
    if items.is_empty() {
        w.line(level, "Annotations:\t<none>");
        return;
    }
    for (i, (k, v)) in items.into_iter().enumerate() {
        let prefix = if i == 0 { "Annotations:\t" } else { "\t" };
        let v = v.strip_suffix('\n').unwrap_or(v);
        if v.len() + k.len() + 2 > MAX_LEN || v.contains('\n') {
            w.line(level, &format!("{prefix}{k}:"));
            for s in v.split('\n') {
                w.line(level, &format!("\t  {}", shorten(s, MAX_LEN - 2)));
            }
        } else {
            w.line(level, &format!("{prefix}{k}: {v}"));
        }
    }
}

/// `shorten`: the first `max` bytes and `...` (on a character boundary here).
fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

/// `date` of a timestamp, or Go's zero time as `Format(time.RFC1123Z)` prints it.
fn date_or_zero(t: Option<&Time>) -> String {
    t.map_or_else(|| "Mon, 01 Jan 0001 00:00:00 +0000".to_string(), date)
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

/// `printTaintsMultilineWithIndent`'s order: by effect, then key.
fn taints_list(taints: &[Taint]) -> Vec<String> {
    let mut sorted: Vec<&Taint> = taints.iter().collect();
    super::sort_by(&mut sorted, |a, b| {
        format!("{},{}", a.effect, a.key).cmp(&format!("{},{}", b.effect, b.key))
    });
    sorted
        .into_iter()
        .map(crate::engine::api::taints::format_taint)
        .collect()
}

/// `printTolerationsMultilineWithIndent`: sorted by key (an insertion sort for a short list, so
/// equal keys keep their order).
fn tolerations(w: &mut W, level: usize, tols: Option<&Vec<Toleration>>) {
    let mut sorted: Vec<&Toleration> = tols.into_iter().flatten().collect();
    super::sort_by(&mut sorted, |a, b| a.key.cmp(&b.key));
    let items: Vec<String> = sorted.into_iter().map(format_toleration).collect();
    multiline(w, level, "Tolerations", &items);
}

/// A quantity as `Quantity.String()` prints it (canonical form); unparsable text as it is.
fn canonical(q: &k8s_openapi::apimachinery::pkg::api::resource::Quantity) -> String {
    Quantity::parse(&q.0).map_or_else(|_| q.0.clone(), |v| v.to_string())
}

/// `describeContainers`: the label (`<none>` with no containers), then each container. In a pod
/// template (`in_template`) the label is indented by two spaces and the names by one more.
fn containers(
    w: &mut W,
    label: &str,
    list: &[Container],
    statuses: Option<&Vec<ContainerStatus>>,
    in_template: bool,
    pod: Option<&Pod>,
) {
    let space = if in_template { "  " } else { "" };
    let none = if list.is_empty() { " <none>" } else { "" };
    w.line(0, &format!("{space}{label}:{none}"));
    for c in list {
        let status = statuses.into_iter().flatten().find(|s| s.name == c.name);
        container(w, c, status, in_template, pod);
    }
}

fn container(
    w: &mut W,
    c: &Container,
    status: Option<&ContainerStatus>,
    in_template: bool,
    pod: Option<&Pod>,
) {
    // describeContainerBasicInfo: the name at LEVEL_1, one space further in a pod template
    // (described with a non-empty `space`); the fields at LEVEL_2.
    let indent = if in_template { " " } else { "" };
    w.line(1, &format!("{indent}{}:", c.name));
    let l = 2;
    if let Some(st) = status {
        w.line(
            l,
            &format!(
                "Container ID:\t{}",
                st.container_id.clone().unwrap_or_default()
            ),
        );
    }
    w.line(
        l,
        &format!("Image:\t{}", c.image.clone().unwrap_or_default()),
    );
    if let Some(st) = status {
        w.line(l, &format!("Image ID:\t{}", st.image_id));
    }
    // describeContainerPorts / describeContainerHostPorts: `80/TCP (http)`, joined by `, `.
    let ports = |host: bool| -> String {
        c.ports
            .iter()
            .flatten()
            .map(|p| {
                let n = if host {
                    p.host_port.unwrap_or(0)
                } else {
                    p.container_port
                };
                let proto = p.protocol.clone().unwrap_or_else(|| "TCP".to_string());
                let mut s = format!("{n}/{proto}");
                if let Some(name) = p.name.as_ref().filter(|n| !n.is_empty()) {
                    s.push_str(&format!(" ({name})"));
                }
                s
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (title, s) in [("Port", ports(false)), ("Host Port", ports(true))] {
        if s.contains(',') {
            w.line(l, &format!("{title}s:\t{s}"));
        } else if s.is_empty() {
            w.line(l, &format!("{title}:\t<none>"));
        } else {
            w.line(l, &format!("{title}:\t{s}"));
        }
    }
    if let Some(sp) = c
        .security_context
        .as_ref()
        .and_then(|s| s.seccomp_profile.as_ref())
    {
        w.line(l, &format!("SeccompProfile:\t{}", sp.type_));
        if sp.type_ == "Localhost" {
            w.line(
                l + 1,
                &format!(
                    "LocalhostProfile:\t{}",
                    sp.localhost_profile.clone().unwrap_or_default()
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
        // describeContainerState: the last state only when it is a termination.
        let state = st.state.clone().unwrap_or_default();
        container_state(w, l, "State", &state);
        if let Some(last) = st.last_state.as_ref().filter(|s| s.terminated.is_some()) {
            container_state(w, l, "Last State", last);
        }
        w.line(
            l,
            &format!("Ready:\t{}", if st.ready { "True" } else { "False" }),
        );
        w.line(l, &format!("Restart Count:\t{}", st.restart_count));
    }
    if let Some(res) = &c.resources {
        resources(w, l, res);
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
    // describeContainerEnvFrom.
    if let Some(from) = c.env_from.as_ref().filter(|f| !f.is_empty()) {
        w.line(l, "Environment Variables from:");
        for e in from {
            let (kind, name, optional) = if let Some(r) = &e.config_map_ref {
                ("ConfigMap", r.name.clone(), r.optional.unwrap_or(false))
            } else if let Some(r) = &e.secret_ref {
                ("Secret", r.name.clone(), r.optional.unwrap_or(false))
            } else {
                ("", String::new(), false)
            };
            match e.prefix.as_deref().filter(|p| !p.is_empty()) {
                None => w.line(l + 1, &format!("{name}\t{kind}\tOptional: {optional}")),
                Some(p) => w.line(
                    l + 1,
                    &format!("{name}\t{kind} with prefix '{p}'\tOptional: {optional}"),
                ),
            }
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
            let mut value = container_resource_value(c, r);
            if value == "0" && matches!(r.resource.as_str(), "limits.cpu" | "limits.memory") {
                value = "node allocatable".to_string();
            }
            env.push(format!("{}:\t{value} ({})", e.name, r.resource));
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
    // describeContainerVolumes: `Mounts:` then one mount per line, sorted by path, a level
    // further in; block devices likewise under `Devices:`.
    let mut mounts: Vec<&k8s_openapi::api::core::v1::VolumeMount> =
        c.volume_mounts.iter().flatten().collect();
    super::sort_by(&mut mounts, |a, b| a.mount_path.cmp(&b.mount_path));
    if mounts.is_empty() {
        w.line(l, "Mounts:\t<none>");
    } else {
        w.line(l, "Mounts:");
        for m in mounts {
            let mut flags = vec![if m.read_only == Some(true) {
                "ro"
            } else {
                "rw"
            }
            .to_string()];
            if let Some(sub) = m.sub_path.as_ref().filter(|s| !s.is_empty()) {
                flags.push(format!("path={sub:?}"));
            }
            w.line(
                l + 1,
                &format!("{} from {} ({})", m.mount_path, m.name, flags.join(",")),
            );
        }
    }
    let mut devices: Vec<&k8s_openapi::api::core::v1::VolumeDevice> =
        c.volume_devices.iter().flatten().collect();
    if !devices.is_empty() {
        super::sort_by(&mut devices, |a, b| a.device_path.cmp(&b.device_path));
        w.line(l, "Devices:");
        for d in devices {
            w.line(l + 1, &format!("{} from {}", d.device_path, d.name));
        }
    }
}

/// `describeResources`: `Limits:` then `Requests:`, each resource sorted by name with its
/// canonical quantity.
fn resources(w: &mut W, level: usize, res: &k8s_openapi::api::core::v1::ResourceRequirements) {
    for (title, m) in [("Limits", &res.limits), ("Requests", &res.requests)] {
        if let Some(m) = m.as_ref().filter(|m| !m.is_empty()) {
            w.line(level, &format!("{title}:"));
            for (k, v) in m {
                w.line(level + 1, &format!("{k}:\t{}", canonical(v)));
            }
        }
    }
}

/// `ExtractContainerResourceValue` for the resources kubeplay knows: the container's limit or
/// request divided by the divisor (default 1), rounded up; empty for anything else.
fn container_resource_value(
    c: &Container,
    r: &k8s_openapi::api::core::v1::ResourceFieldSelector,
) -> String {
    let res = c.resources.clone().unwrap_or_default();
    let Some((which, name)) = r.resource.split_once('.') else {
        return String::new();
    };
    let list = match which {
        "limits" => res.limits,
        "requests" => res.requests,
        _ => return String::new(),
    };
    let value = list
        .as_ref()
        .and_then(|l| l.get(name))
        .and_then(|q| Quantity::parse(&q.0).ok())
        .unwrap_or_default();
    let divisor = r
        .divisor
        .as_ref()
        .and_then(|d| Quantity::parse(&d.0).ok())
        .filter(|d| !d.is_zero())
        .unwrap_or_else(|| Quantity::from_units(1, crate::engine::quantity::Format::DecimalSi));
    let (num, den) = match name {
        "cpu" => (value.milli_value(), divisor.milli_value()),
        "memory" | "ephemeral-storage" => (value.value(), divisor.value()),
        _ if name.starts_with("hugepages-") => (value.value(), divisor.value()),
        _ => return String::new(),
    };
    if den == 0 {
        return String::new();
    }
    // math.Ceil(float64(num) / float64(den)).
    let q = num.div_euclid(den) + i128::from(num.rem_euclid(den) != 0);
    q.to_string()
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

/// `describeStatus`: a running state's start, a waiting state's reason, a termination's
/// reason, message, exit code, signal, start and finish (Go's zero time when unset).
fn container_state(
    w: &mut W,
    l: usize,
    title: &str,
    s: &k8s_openapi::api::core::v1::ContainerState,
) {
    if let Some(r) = &s.running {
        w.line(l, &format!("{title}:\tRunning"));
        w.line(
            l + 1,
            &format!("Started:\t{}", date_or_zero(r.started_at.as_ref())),
        );
    } else if let Some(wt) = &s.waiting {
        w.line(l, &format!("{title}:\tWaiting"));
        if let Some(r) = wt.reason.as_ref().filter(|r| !r.is_empty()) {
            w.line(l + 1, &format!("Reason:\t{r}"));
        }
    } else if let Some(t) = &s.terminated {
        w.line(l, &format!("{title}:\tTerminated"));
        if let Some(r) = t.reason.as_ref().filter(|r| !r.is_empty()) {
            w.line(l + 1, &format!("Reason:\t{r}"));
        }
        if let Some(m) = t.message.as_ref().filter(|m| !m.is_empty()) {
            w.line(l + 1, &format!("Message:\t{m}"));
        }
        w.line(l + 1, &format!("Exit Code:\t{}", t.exit_code));
        if let Some(sig) = t.signal.filter(|s| *s > 0) {
            w.line(l + 1, &format!("Signal:\t{sig}"));
        }
        w.line(
            l + 1,
            &format!("Started:\t{}", date_or_zero(t.started_at.as_ref())),
        );
        w.line(
            l + 1,
            &format!("Finished:\t{}", date_or_zero(t.finished_at.as_ref())),
        );
    } else {
        w.line(l, &format!("{title}:\tWaiting"));
    }
}

/// `describeVolumes`: `Volumes:` (two spaces in in a pod template), each name at LEVEL_1 (one
/// space further in a template), its fields at LEVEL_2.
fn volumes(w: &mut W, in_template: bool, spec: &PodSpec) {
    let space = if in_template { "  " } else { "" };
    let vols = spec.volumes.clone().unwrap_or_default();
    if vols.is_empty() {
        w.line(0, &format!("{space}Volumes:\t<none>"));
        return;
    }
    w.line(0, &format!("{space}Volumes:"));
    let name_indent = if in_template { " " } else { "" };
    let l = 2;
    for v in vols {
        w.line(1, &format!("{name_indent}{}:", v.name));
        if let Some(h) = &v.host_path {
            w.line(l, "Type:\tHostPath (bare host directory volume)");
            w.line(l, &format!("Path:\t{}", h.path));
            w.line(
                l,
                // `<none>` for a nil type upstream; the API server defaults it to "" (unset),
                // which kubeplay's stored objects may lack, so unset prints as stored objects do.
                &format!("HostPathType:\t{}", h.type_.clone().unwrap_or_default()),
            );
        } else if let Some(e) = &v.empty_dir {
            w.line(
                l,
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)",
            );
            w.line(
                l,
                &format!("Medium:\t{}", e.medium.clone().unwrap_or_default()),
            );
            let size = e
                .size_limit
                .as_ref()
                .and_then(|q| Quantity::parse(&q.0).ok())
                .filter(|q| q.milli_value() > 0)
                .map_or_else(|| "<unset>".to_string(), |q| q.to_string());
            w.line(l, &format!("SizeLimit:\t{size}"));
        } else if let Some(s) = &v.secret {
            w.line(l, "Type:\tSecret (a volume populated by a Secret)");
            w.line(
                l,
                &format!("SecretName:\t{}", s.secret_name.clone().unwrap_or_default()),
            );
            w.line(l, &format!("Optional:\t{}", s.optional.unwrap_or(false)));
        } else if let Some(c) = &v.config_map {
            w.line(l, "Type:\tConfigMap (a volume populated by a ConfigMap)");
            w.line(l, &format!("Name:\t{}", c.name));
            w.line(l, &format!("Optional:\t{}", c.optional.unwrap_or(false)));
        } else if let Some(n) = &v.nfs {
            w.line(
                l,
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)",
            );
            w.line(l, &format!("Server:\t{}", n.server));
            w.line(l, &format!("Path:\t{}", n.path));
            w.line(l, &format!("ReadOnly:\t{}", n.read_only.unwrap_or(false)));
        } else if let Some(c) = &v.persistent_volume_claim {
            w.line(
                l,
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            );
            w.line(l, &format!("ClaimName:\t{}", c.claim_name));
            w.line(l, &format!("ReadOnly:\t{}", c.read_only.unwrap_or(false)));
        } else if let Some(d) = &v.downward_api {
            // printDownwardAPIVolumeSource.
            w.line(
                l,
                "Type:\tDownwardAPI (a volume populated by information about the pod)",
            );
            w.line(l, "Items:");
            for item in d.items.iter().flatten() {
                if let Some(f) = &item.field_ref {
                    w.line(l + 1, &format!("{} -> {}", f.field_path, item.path));
                }
                if let Some(r) = &item.resource_field_ref {
                    w.line(l + 1, &format!("{} -> {}", r.resource, item.path));
                }
            }
        } else if let Some(p) = &v.projected {
            // printProjectedVolumeSource (v1.33+: `Optional:` as a boolean under each name).
            w.line(
                l,
                "Type:\tProjected (a volume that contains injected data from multiple sources)",
            );
            for src in p.sources.iter().flatten() {
                if let Some(sec) = &src.secret {
                    w.line(l, &format!("SecretName:\t{}", sec.name));
                    w.line(l, &format!("Optional:\t{}", sec.optional.unwrap_or(false)));
                } else if src.downward_api.is_some() {
                    w.line(l, "DownwardAPI:\ttrue");
                } else if let Some(c) = &src.config_map {
                    w.line(l, &format!("ConfigMapName:\t{}", c.name));
                    w.line(l, &format!("Optional:\t{}", c.optional.unwrap_or(false)));
                } else if let Some(t) = &src.service_account_token {
                    w.line(
                        l,
                        &format!(
                            "TokenExpirationSeconds:\t{}",
                            t.expiration_seconds.unwrap_or(3600)
                        ),
                    );
                }
            }
        } else {
            w.line(1, "<unknown>");
        }
    }
}

/// `describeTopologySpreadConstraints`: sorted by topology key, one per line.
fn topology_spread(w: &mut W, in_template: bool, spec: &PodSpec) {
    let mut tscs: Vec<&k8s_openapi::api::core::v1::TopologySpreadConstraint> =
        spec.topology_spread_constraints.iter().flatten().collect();
    if tscs.is_empty() {
        return;
    }
    super::sort_by(&mut tscs, |a, b| a.topology_key.cmp(&b.topology_key));
    let space = if in_template { "  " } else { "" };
    for (i, t) in tscs.into_iter().enumerate() {
        let mut s = if i == 0 {
            format!("{space}Topology Spread Constraints:\t")
        } else {
            format!("{space}\t")
        };
        s.push_str(&format!(
            "{}:{} when max skew {} is exceeded",
            t.topology_key, t.when_unsatisfiable, t.max_skew
        ));
        if let Some(sel) = &t.label_selector {
            s.push_str(&format!(
                " for selector {}",
                format_label_selector(Some(sel))
            ));
        }
        w.line(0, &s);
    }
}

/// `DescribePodTemplate`.
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
        containers(w, "Init Containers", ics, None, true, None);
    }
    containers(w, "Containers", &spec.containers, None, true, None);
    volumes(w, true, &spec);
    topology_spread(w, true, &spec);
    if let Some(pc) = spec.priority_class_name.as_ref().filter(|s| !s.is_empty()) {
        w.line(1, &format!("Priority Class Name:\t{pc}"));
    }
    w.line(
        1,
        &format!(
            "Node-Selectors:\t{}",
            table::format_labels(spec.node_selector.as_ref())
        ),
    );
    tolerations(w, 1, spec.tolerations.as_ref());
}

/// `describePod`, without its events.
fn pod(w: &mut W, p: &Pod, now: SimTime) {
    let spec = p.spec.clone().unwrap_or_default();
    let st = p.status.clone().unwrap_or_default();
    name_namespace(w, &p.metadata);
    if let Some(pr) = spec.priority {
        w.line(0, &format!("Priority:\t{pr}"));
    }
    if let Some(pc) = spec.priority_class_name.as_ref().filter(|s| !s.is_empty()) {
        w.line(0, &format!("Priority Class Name:\t{pc}"));
    }
    if let Some(rc) = spec.runtime_class_name.as_ref().filter(|s| !s.is_empty()) {
        w.line(0, &format!("Runtime Class Name:\t{rc}"));
    }
    if let Some(sa) = spec.service_account_name.as_ref().filter(|s| !s.is_empty()) {
        w.line(0, &format!("Service Account:\t{sa}"));
    }
    match spec.node_name.as_deref().filter(|n| !n.is_empty()) {
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
    let phase = st.phase.clone().unwrap_or_default();
    match &p.metadata.deletion_timestamp {
        Some(dt) if phase != "Failed" && phase != "Succeeded" => {
            // translateTimestampSince: `<invalid>` while the grace period runs (the deletion
            // timestamp is when it ends).
            w.line(
                0,
                &format!(
                    "Status:\tTerminating (lasts {})",
                    table::since(SimTime::from_k8s(dt), now)
                ),
            );
            w.line(
                0,
                &format!(
                    "Termination Grace Period:\t{}s",
                    p.metadata.deletion_grace_period_seconds.unwrap_or(0)
                ),
            );
        }
        _ => w.line(0, &format!("Status:\t{phase}")),
    }
    if let Some(r) = st.reason.as_ref().filter(|r| !r.is_empty()) {
        w.line(0, &format!("Reason:\t{r}"));
    }
    if let Some(m) = st.message.as_ref().filter(|r| !r.is_empty()) {
        w.line(0, &format!("Message:\t{m}"));
    }
    if let Some(sp) = spec
        .security_context
        .as_ref()
        .and_then(|s| s.seccomp_profile.as_ref())
    {
        w.line(0, &format!("SeccompProfile:\t{}", sp.type_));
        if sp.type_ == "Localhost" {
            w.line(
                0,
                &format!(
                    "LocalhostProfile:\t{}",
                    sp.localhost_profile.clone().unwrap_or_default()
                ),
            );
        }
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
            w.line(1, &format!("IP:\t{ip}"));
        }
    }
    if let Some(r) = crate::engine::api::controller_ref(&p.metadata) {
        w.line(0, &format!("Controlled By:\t{}/{}", r.kind, r.name));
    }
    if let Some(n) = st.nominated_node_name.as_ref().filter(|n| !n.is_empty()) {
        w.line(0, &format!("NominatedNodeName:\t{n}"));
    }
    if let Some(res) = &spec.resources {
        w.line(0, "Resources:");
        resources(w, 1, res);
    }
    if let Some(ics) = spec.init_containers.as_ref().filter(|c| !c.is_empty()) {
        containers(
            w,
            "Init Containers",
            ics,
            st.init_container_statuses.as_ref(),
            false,
            Some(p),
        );
    }
    containers(
        w,
        "Containers",
        &spec.containers,
        st.container_statuses.as_ref(),
        false,
        Some(p),
    );
    let conds = st.conditions.clone().unwrap_or_default();
    if let Some(gates) = spec.readiness_gates.as_ref().filter(|g| !g.is_empty()) {
        w.line(0, "Readiness Gates:");
        w.line(1, "Type\tStatus");
        for g in gates {
            let status = conds
                .iter()
                .find(|c| c.type_ == g.condition_type)
                .map_or_else(|| "<none>".to_string(), |c| c.status.clone());
            w.line(1, &format!("{} \t{status} ", g.condition_type));
        }
    }
    if !conds.is_empty() {
        w.line(0, "Conditions:");
        w.line(1, "Type\tStatus");
        for c in &conds {
            w.line(1, &format!("{} \t{} ", c.type_, c.status));
        }
    }
    volumes(w, false, &spec);
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
    tolerations(w, 0, spec.tolerations.as_ref());
    topology_spread(w, false, &spec);
}

/// The kubelet renews its node's Lease (`kube-node-lease`) every 10 s (a quarter of the 40 s
/// lease duration); kubeplay keeps no Lease objects and prints the one its kubelet would hold:
/// renewed on the 10 s grid from registration until the kubelet stopped.
const LEASE_RENEW_MS: u64 = 10_000;

/// The renew time of the node's Lease; `None` when no kubelet holds one.
fn lease_renew_time(cluster: &Cluster, n: &Node, now: SimTime) -> Option<SimTime> {
    let agent = cluster.node_agent(&name(&n.metadata))?;
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
    Some(created.plus(last.since(created) / LEASE_RENEW_MS * LEASE_RENEW_MS))
}

/// `describeNodeLease`, or the error line when there is no Lease.
fn node_lease(w: &mut W, node_name: &str, renew: Option<SimTime>) {
    let Some(renewed) = renew else {
        w.line(
            0,
            &format!(
                "Lease:\tFailed to get lease: leases.coordination.k8s.io \"{node_name}\" not found"
            ),
        );
        return;
    };
    w.line(0, "Lease:");
    w.line(1, &format!("HolderIdentity:\t{node_name}"));
    w.line(1, "AcquireTime:\t<unset>");
    w.line(1, &format!("RenewTime:\t{}", date(&renewed.to_k8s())));
}

/// `PodRequests` / `PodLimits` (resource helpers): containers summed, each init container
/// against that (restartable init containers run alongside and add up), plus the overhead
/// (for limits, only on resources that have one).
fn pod_resources(p: &Pod, limits: bool) -> BTreeMap<String, Quantity> {
    let mut total: BTreeMap<String, Quantity> = BTreeMap::new();
    let Some(spec) = p.spec.as_ref() else {
        return total;
    };
    let list = |c: &Container| -> BTreeMap<String, Quantity> {
        let res = c.resources.clone().unwrap_or_default();
        let m = if limits { res.limits } else { res.requests };
        m.unwrap_or_default()
            .into_iter()
            .filter_map(|(k, v)| Quantity::parse(&v.0).ok().map(|q| (k, q)))
            .collect()
    };
    let add = |into: &mut BTreeMap<String, Quantity>, from: &BTreeMap<String, Quantity>| {
        for (k, v) in from {
            match into.get_mut(k) {
                Some(q) => *q += *v,
                None => {
                    into.insert(k.clone(), *v);
                }
            }
        }
    };
    let max = |into: &mut BTreeMap<String, Quantity>, from: &BTreeMap<String, Quantity>| {
        for (k, v) in from {
            match into.get_mut(k) {
                Some(q) if *v > *q => *q = *v,
                Some(_) => {}
                None => {
                    into.insert(k.clone(), *v);
                }
            }
        }
    };
    for c in &spec.containers {
        add(&mut total, &list(c));
    }
    let mut sidecars: BTreeMap<String, Quantity> = BTreeMap::new();
    let mut init_max: BTreeMap<String, Quantity> = BTreeMap::new();
    for c in spec.init_containers.iter().flatten() {
        let r = list(c);
        if c.restart_policy.as_deref() == Some("Always") {
            add(&mut sidecars, &r);
            max(&mut init_max, &sidecars);
        } else {
            let mut with = sidecars.clone();
            add(&mut with, &r);
            max(&mut init_max, &with);
        }
    }
    add(&mut total, &sidecars);
    max(&mut total, &init_max);
    if let Some(overhead) = spec.overhead.as_ref() {
        for (k, v) in overhead {
            let Ok(q) = Quantity::parse(&v.0) else {
                continue;
            };
            if limits && !total.contains_key(k) {
                continue;
            }
            add(&mut total, &BTreeMap::from([(k.clone(), q)]));
        }
    }
    total
}

/// `describeNode`, without its events; `pods` are the node's non-terminated pods.
fn node(w: &mut W, n: &Node, lease: Option<SimTime>, pods: &[&Pod], now: SimTime) {
    let spec = n.spec.clone().unwrap_or_default();
    let st = n.status.clone().unwrap_or_default();
    let node_name = name(&n.metadata);
    w.line(0, &format!("Name:\t{node_name}"));
    w.line(0, &format!("Roles:\t{}", table::node_roles(n)));
    labels(w, 0, "Labels", n.metadata.labels.as_ref());
    annotations(w, 0, n.metadata.annotations.as_ref());
    w.line(
        0,
        &format!(
            "CreationTimestamp:\t{}",
            date_or_zero(n.metadata.creation_timestamp.as_ref())
        ),
    );
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
    node_lease(w, &node_name, lease);
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
                    date_or_zero(c.last_heartbeat_time.as_ref()),
                    date_or_zero(c.last_transition_time.as_ref()),
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
    let alloc_list = st.allocatable.clone().unwrap_or_default();
    for (title, m) in [("Capacity", &cap), ("Allocatable", &alloc_list)] {
        if m.is_empty() {
            continue;
        }
        w.line(0, &format!("{title}:"));
        for (k, v) in m {
            w.line(1, &format!("{k}:\t{}", canonical(v)));
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
    if let Some(c) = spec.pod_cidr.as_ref().filter(|c| !c.is_empty()) {
        w.line(0, &format!("PodCIDR:\t{c}"));
    }
    if let Some(cs) = spec.pod_cidrs.as_ref().filter(|c| !c.is_empty()) {
        w.line(0, &format!("PodCIDRs:\t{}", cs.join(",")));
    }
    if let Some(p) = spec.provider_id.as_ref().filter(|c| !c.is_empty()) {
        w.line(0, &format!("ProviderID:\t{p}"));
    }
    node_resources(w, &cap, &alloc_list, pods, now);
}

/// `describeNodeResource`: each pod's requests and limits against allocatable (capacity when
/// the node reports none), then the totals.
fn node_resources(
    w: &mut W,
    cap: &BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
    alloc_list: &BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
    pods: &[&Pod],
    now: SimTime,
) {
    let allocatable = if alloc_list.is_empty() {
        cap
    } else {
        alloc_list
    };
    let alloc = |k: &str| {
        allocatable
            .get(k)
            .and_then(|x| Quantity::parse(&x.0).ok())
            .unwrap_or_default()
    };
    // Go's `%s (%d%%)` of a quantity and its share of the allocatable amount, truncated.
    let cell = |m: &BTreeMap<String, Quantity>, k: &str| {
        let v = m.get(k).copied().unwrap_or_default();
        format!("{v} ({}%)", percent(&v, &alloc(k)))
    };
    w.line(
        0,
        &format!("Non-terminated Pods:\t({} in total)", pods.len()),
    );
    w.line(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge",
    );
    w.line(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---",
    );
    let mut reqs: BTreeMap<String, Quantity> = BTreeMap::new();
    let mut lims: BTreeMap<String, Quantity> = BTreeMap::new();
    for p in pods {
        let req = pod_resources(p, false);
        let lim = pod_resources(p, true);
        w.line(
            1,
            &format!(
                "{}\t{}\t\t{}\t{}\t{}\t{}\t{}",
                p.metadata.namespace.clone().unwrap_or_default(),
                name(&p.metadata),
                cell(&req, "cpu"),
                cell(&lim, "cpu"),
                cell(&req, "memory"),
                cell(&lim, "memory"),
                table::age(p.metadata.creation_timestamp.as_ref(), now)
            ),
        );
        for (into, from) in [(&mut reqs, req), (&mut lims, lim)] {
            for (k, v) in from {
                *into.entry(k).or_default() += v;
            }
        }
    }
    w.line(0, "Allocated resources:");
    w.line(
        1,
        "(Total limits may be over 100 percent, i.e., overcommitted.)",
    );
    w.line(1, "Resource\tRequests\tLimits");
    w.line(1, "--------\t--------\t------");
    for k in ["cpu", "memory", "ephemeral-storage"] {
        w.line(1, &format!("{k}\t{}\t{}", cell(&reqs, k), cell(&lims, k)));
    }
    // Huge pages with their shares, then extended resources without.
    for k in allocatable.keys().filter(|k| k.starts_with("hugepages-")) {
        w.line(1, &format!("{k}\t{}\t{}", cell(&reqs, k), cell(&lims, k)));
    }
    for k in allocatable.keys().filter(|k| {
        !k.starts_with("hugepages-")
            && !matches!(k.as_str(), "cpu" | "memory" | "ephemeral-storage" | "pods")
    }) {
        let get = |m: &BTreeMap<String, Quantity>| m.get(k).copied().unwrap_or_default();
        w.line(1, &format!("{k}\t{}\t{}", get(&reqs), get(&lims)));
    }
}

/// `describeService`; `slices` are the EndpointSlices labelled with its name.
fn service(w: &mut W, svc: &Service, slices: &[&EndpointSlice]) {
    let spec = svc.spec.clone().unwrap_or_default();
    let status = svc.status.clone().unwrap_or_default();
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
        &format!("Type:\t{}", spec.type_.clone().unwrap_or_default()),
    );
    if let Some(p) = &spec.ip_family_policy {
        w.line(0, &format!("IP Family Policy:\t{p}"));
    }
    let or_none = |v: Option<&Vec<String>>, sep: &str| match v.filter(|v| !v.is_empty()) {
        Some(v) => v.join(sep),
        None => "<none>".to_string(),
    };
    w.line(
        0,
        &format!("IP Families:\t{}", or_none(spec.ip_families.as_ref(), ",")),
    );
    w.line(
        0,
        &format!("IP:\t{}", spec.cluster_ip.clone().unwrap_or_default()),
    );
    w.line(
        0,
        &format!("IPs:\t{}", or_none(spec.cluster_ips.as_ref(), ",")),
    );
    if let Some(ips) = spec.external_ips.as_ref().filter(|v| !v.is_empty()) {
        w.line(0, &format!("External IPs:\t{}", ips.join(",")));
    }
    if let Some(ip) = spec.load_balancer_ip.as_ref().filter(|v| !v.is_empty()) {
        w.line(0, &format!("Desired LoadBalancer IP:\t{ip}"));
    }
    if let Some(n) = spec.external_name.as_ref().filter(|v| !v.is_empty()) {
        w.line(0, &format!("External Name:\t{n}"));
    }
    let ingress = status
        .load_balancer
        .and_then(|lb| lb.ingress)
        .unwrap_or_default();
    if !ingress.is_empty() {
        // buildIngressString.
        let list: Vec<String> = ingress
            .iter()
            .map(|i| match i.ip.as_ref().filter(|ip| !ip.is_empty()) {
                Some(ip) => match &i.ip_mode {
                    Some(m) => format!("{ip} ({m})"),
                    None => ip.clone(),
                },
                None => i.hostname.clone().unwrap_or_default(),
            })
            .collect();
        w.line(0, &format!("LoadBalancer Ingress:\t{}", list.join(", ")));
    }
    for p in spec.ports.iter().flatten() {
        let proto = p.protocol.clone().unwrap_or_default();
        let pname = p
            .name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "<unset>".to_string());
        w.line(0, &format!("Port:\t{pname}\t{}/{proto}", p.port));
        let tp = match &p.target_port {
            Some(IntOrString::Int(i)) => i.to_string(),
            Some(IntOrString::String(s)) => s.clone(),
            None => "0".to_string(),
        };
        w.line(0, &format!("TargetPort:\t{tp}/{proto}"));
        if let Some(ap) = &p.app_protocol {
            w.line(0, &format!("AppProtocol:\t{ap}"));
        }
        if let Some(np) = p.node_port.filter(|n| *n != 0) {
            w.line(0, &format!("NodePort:\t{pname}\t{np}/{proto}"));
        }
        w.line(
            0,
            &format!(
                "Endpoints:\t{}",
                format_endpoint_slices(slices, p.name.as_deref().unwrap_or_default())
            ),
        );
    }
    w.line(
        0,
        &format!(
            "Session Affinity:\t{}",
            spec.session_affinity.clone().unwrap_or_default()
        ),
    );
    if let Some(p) = spec
        .external_traffic_policy
        .as_ref()
        .filter(|v| !v.is_empty())
    {
        w.line(0, &format!("External Traffic Policy:\t{p}"));
    }
    if let Some(p) = &spec.internal_traffic_policy {
        w.line(0, &format!("Internal Traffic Policy:\t{p}"));
    }
    if let Some(p) = spec.health_check_node_port.filter(|n| *n != 0) {
        w.line(0, &format!("HealthCheck NodePort:\t{p}"));
    }
    if let Some(r) = spec
        .load_balancer_source_ranges
        .as_ref()
        .filter(|v| !v.is_empty())
    {
        w.line(0, &format!("LoadBalancer Source Ranges:\t{}", r.join(",")));
    }
    if let Some(t) = &spec.traffic_distribution {
        w.line(0, &format!("Traffic Distribution:\t{t}"));
    }
}

/// `formatEndpointSlices` for one service port: `<none>` without slices; else the ready (or
/// unknown) endpoints' first addresses with the slice port of that name (bare addresses for a
/// slice without ports), the first three and `+ N more...`.
fn format_endpoint_slices(slices: &[&EndpointSlice], port_name: &str) -> String {
    if slices.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0usize;
    let ready = crate::engine::network::endpoint_ready;
    for es in slices {
        let ports = es.ports.as_deref().unwrap_or_default();
        // A slice without ports lists bare addresses; otherwise each port of that name.
        let numbers: Vec<Option<i32>> = if ports.is_empty() {
            vec![None]
        } else {
            ports
                .iter()
                .filter(|p| p.name.as_deref().unwrap_or_default() == port_name)
                .map(|p| Some(p.port.unwrap_or(0)))
                .collect()
        };
        for number in numbers {
            for e in &es.endpoints {
                if list.len() == MAX {
                    more = true;
                }
                if !ready(e) {
                    continue;
                }
                if !more {
                    let addr = e.addresses.first().cloned().unwrap_or_default();
                    list.push(match number {
                        None => addr,
                        // net.JoinHostPort: an IPv6 address in brackets.
                        Some(port) if addr.contains(':') => format!("[{addr}]:{port}"),
                        Some(port) => format!("{addr}:{port}"),
                    });
                }
                count += 1;
            }
        }
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count.saturating_sub(MAX))
    } else {
        ret
    }
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

/// The events whose involved object is `obj` (by UID), in list order: found by the names the
/// recorder gives them (`{name}.{hex}`), without visiting every event.
fn object_events<'a>(cluster: &'a Cluster, obj: &Object) -> Vec<&'a Event> {
    cluster
        .store()
        .events_named_for(obj.namespace(), obj.name())
        .filter_map(|o| match o {
            Object::Event(e) => Some(e),
            _ => None,
        })
        .filter(|e| e.involved_object.uid.as_deref() == Some(obj.uid()))
        .collect()
}

/// `DescribeEvents`: `SortableEvents` orders by last timestamp alone (unset sorts first); equal
/// ones keep list order (namespace, then name), as Go's insertion sort does for short lists.
fn describe_events(w: &mut W, evs: &[&Event], now: SimTime) {
    if evs.is_empty() {
        w.line(0, "Events:\t<none>");
        return;
    }
    let mut evs: Vec<&Event> = evs.to_vec();
    let ts = |e: &Event| e.last_timestamp.as_ref().map(SimTime::from_k8s);
    super::sort_by(&mut evs, |a, b| ts(a).cmp(&ts(b)));
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
