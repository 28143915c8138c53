//! The columns `kubectl get` prints per kind, after `pkg/printers/internalversion/printers.go`
//! (`printPod`, `printNode`, `printDaemonSet`, `printJob`, `printEvent`, `printNamespace`,
//! `printControllerRevision`, `printService`, `printEndpointSlice`).
//!
//! Upstream's tests for these printers are mirrored in `table_tests.rs`.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{Event, Namespace, Node, Pod, PodSpec, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, MicroTime, Time};

use crate::engine::api::{Kind, Object};
use crate::engine::clock::{human_duration, SimTime};

/// What a row needs besides the object.
#[derive(Debug, Clone, Copy)]
pub struct RowCtx {
    /// The simulated clock (for ages).
    pub now: SimTime,
    /// `-o wide`.
    pub wide: bool,
}

/// `translateTimestampSince`: the age of a timestamp, `<unknown>` if unset.
pub fn age(t: Option<&Time>, now: SimTime) -> String {
    match t {
        Some(t) => since(SimTime::from_k8s(t), now),
        None => "<unknown>".to_string(),
    }
}

/// `duration.HumanDuration(time.Since(t))`: `<invalid>` for an instant two seconds or more in the
/// future, `0s` for one less than that ahead (clock skew).
pub fn since(t: SimTime, now: SimTime) -> String {
    if t.0 >= now.0.saturating_add(2000) {
        "<invalid>".to_string()
    } else {
        human_duration(now.since(t))
    }
}

/// The header row for a kind: the column definitions of `AddHandlers`, in their order; `-o wide`
/// adds the priority-1 columns in place (for events SUBOBJECT and SOURCE sit before MESSAGE).
pub fn headers(kind: Kind, wide: bool) -> Vec<&'static str> {
    // (name, priority)
    let cols: &[(&str, u8)] = match kind {
        Kind::Pod => &[
            ("NAME", 0),
            ("READY", 0),
            ("STATUS", 0),
            ("RESTARTS", 0),
            ("AGE", 0),
            ("IP", 1),
            ("NODE", 1),
            ("NOMINATED NODE", 1),
            ("READINESS GATES", 1),
        ],
        Kind::Node => &[
            ("NAME", 0),
            ("STATUS", 0),
            ("ROLES", 0),
            ("AGE", 0),
            ("VERSION", 0),
            ("INTERNAL-IP", 1),
            ("EXTERNAL-IP", 1),
            ("OS-IMAGE", 1),
            ("KERNEL-VERSION", 1),
            ("CONTAINER-RUNTIME", 1),
        ],
        Kind::DaemonSet => &[
            ("NAME", 0),
            ("DESIRED", 0),
            ("CURRENT", 0),
            ("READY", 0),
            ("UP-TO-DATE", 0),
            ("AVAILABLE", 0),
            ("NODE SELECTOR", 0),
            ("AGE", 0),
            ("CONTAINERS", 1),
            ("IMAGES", 1),
            ("SELECTOR", 1),
        ],
        Kind::Job => &[
            ("NAME", 0),
            ("STATUS", 0),
            ("COMPLETIONS", 0),
            ("DURATION", 0),
            ("AGE", 0),
            ("CONTAINERS", 1),
            ("IMAGES", 1),
            ("SELECTOR", 1),
        ],
        Kind::Event => &[
            ("LAST SEEN", 0),
            ("TYPE", 0),
            ("REASON", 0),
            ("OBJECT", 0),
            ("SUBOBJECT", 1),
            ("SOURCE", 1),
            ("MESSAGE", 0),
            ("FIRST SEEN", 1),
            ("COUNT", 1),
            ("NAME", 1),
        ],
        Kind::Namespace => &[("NAME", 0), ("STATUS", 0), ("AGE", 0)],
        Kind::ControllerRevision => &[("NAME", 0), ("CONTROLLER", 0), ("REVISION", 0), ("AGE", 0)],
        Kind::Service => &[
            ("NAME", 0),
            ("TYPE", 0),
            ("CLUSTER-IP", 0),
            ("EXTERNAL-IP", 0),
            ("PORT(S)", 0),
            ("AGE", 0),
            ("SELECTOR", 1),
        ],
        Kind::EndpointSlice => &[
            ("NAME", 0),
            ("ADDRESSTYPE", 0),
            ("PORTS", 0),
            ("ENDPOINTS", 0),
            ("AGE", 0),
        ],
    };
    cols.iter()
        .filter(|(_, prio)| wide || *prio == 0)
        .map(|(name, _)| *name)
        .collect()
}

/// The cells of one row; the first is the name (events: LAST SEEN; no name column).
pub fn row(obj: &Object, ctx: RowCtx) -> Vec<String> {
    let mut cells = match obj {
        Object::Pod(p) => pod_row(p, ctx),
        Object::Node(n) => node_row(n, ctx),
        Object::DaemonSet(ds) => daemonset_row(ds, ctx),
        Object::Job(j) => job_row(j, ctx),
        Object::Event(e) => event_row(e, ctx),
        Object::Namespace(ns) => namespace_row(ns, ctx),
        Object::ControllerRevision(cr) => revision_row(cr, ctx),
        Object::Service(s) => service_row(s, ctx),
        Object::EndpointSlice(es) => endpointslice_row(es, ctx),
    };
    let want = headers(obj.kind(), ctx.wide).len();
    cells.resize(want, String::new());
    cells
}

/// Whether the kind's first column is the object name (events have none).
pub fn has_name_column(kind: Kind) -> bool {
    kind != Kind::Event
}

/// `k=v,k2=v2` in key order, or `<none>`.
pub fn format_labels(labels: Option<&BTreeMap<String, String>>) -> String {
    match labels {
        Some(l) if !l.is_empty() => l
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
        _ => "<none>".to_string(),
    }
}

/// `metav1.FormatLabelSelector`, `<none>` when unset.
pub fn format_label_selector(sel: Option<&LabelSelector>) -> String {
    match sel {
        Some(s) => crate::engine::selector::format_label_selector(s),
        None => "<none>".to_string(),
    }
}

fn none_if_empty(s: String) -> String {
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s
    }
}

/// READY, STATUS and RESTARTS of a pod, as `printPod` derives them.
pub fn pod_status(pod: &Pod, now: SimTime) -> (String, String, String) {
    let spec = pod.spec.clone().unwrap_or_default();
    let status = pod.status.clone().unwrap_or_default();
    // Sidecars (init containers with restartPolicy Always) count as containers of the pod, as in
    // upstream printPod.
    let is_sidecar = |name: &str| {
        spec.init_containers
            .iter()
            .flatten()
            .any(|c| c.name == name && c.restart_policy.as_deref() == Some("Always"))
    };
    let total = spec.containers.len()
        + spec
            .init_containers
            .iter()
            .flatten()
            .filter(|c| c.restart_policy.as_deref() == Some("Always"))
            .count();
    let mut ready = 0;
    let mut restarts: i32 = 0;
    let mut last_restart: Option<SimTime> = None;
    let phase = status.phase.clone().unwrap_or_default();
    let mut reason = match status.reason.as_deref() {
        Some(r) if !r.is_empty() => r.to_string(),
        _ => phase.clone(),
    };
    for c in status.conditions.iter().flatten() {
        if c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated") {
            reason = "SchedulingGated".to_string();
        }
    }
    let note_restart = |last: &mut Option<SimTime>, t: Option<&Time>| {
        if let Some(t) = t {
            let t = SimTime::from_k8s(t);
            if last.is_none_or(|l| l < t) {
                *last = Some(t);
            }
        }
    };
    let n_init = spec.init_containers.as_ref().map_or(0, Vec::len);
    let mut initializing = false;
    let mut sidecar_restarts: i32 = 0;
    let mut sidecar_last_restart: Option<SimTime> = None;
    for (i, c) in status.init_container_statuses.iter().flatten().enumerate() {
        restarts += c.restart_count;
        if let Some(t) = c.last_state.as_ref().and_then(|s| s.terminated.as_ref()) {
            note_restart(&mut last_restart, t.finished_at.as_ref());
        }
        let st = c.state.clone().unwrap_or_default();
        if is_sidecar(&c.name) {
            if let Some(t) = c.last_state.as_ref().and_then(|s| s.terminated.as_ref()) {
                note_restart(&mut sidecar_last_restart, t.finished_at.as_ref());
            }
            sidecar_restarts += c.restart_count;
        }
        match (&st.terminated, &st.waiting) {
            (Some(t), _) if t.exit_code == 0 => continue,
            _ if is_sidecar(&c.name) && c.started == Some(true) => {
                if c.ready {
                    ready += 1;
                }
                continue;
            }
            (Some(t), _) => {
                reason = match t.reason.as_deref() {
                    Some(r) if !r.is_empty() => format!("Init:{r}"),
                    _ => match t.signal {
                        Some(s) if s != 0 => format!("Init:Signal:{s}"),
                        _ => format!("Init:ExitCode:{}", t.exit_code),
                    },
                };
            }
            (None, Some(w))
                if w.reason
                    .as_deref()
                    .is_some_and(|r| !r.is_empty() && r != "PodInitializing") =>
            {
                reason = format!("Init:{}", w.reason.clone().unwrap_or_default());
            }
            _ => reason = format!("Init:{i}/{n_init}"),
        }
        initializing = true;
        break;
    }
    let initialized = status
        .conditions
        .iter()
        .flatten()
        .any(|c| c.type_ == "Initialized" && c.status == "True");
    if !initializing || initialized {
        restarts = sidecar_restarts;
        last_restart = sidecar_last_restart;
        let mut has_running = false;
        for c in status.container_statuses.iter().flatten().rev() {
            restarts += c.restart_count;
            if let Some(t) = c.last_state.as_ref().and_then(|s| s.terminated.as_ref()) {
                note_restart(&mut last_restart, t.finished_at.as_ref());
            }
            let st = c.state.clone().unwrap_or_default();
            if let Some(r) = st
                .waiting
                .as_ref()
                .and_then(|w| w.reason.clone())
                .filter(|r| !r.is_empty())
            {
                reason = r;
            } else if let Some(t) = &st.terminated {
                reason = match t.reason.as_deref() {
                    Some(r) if !r.is_empty() => r.to_string(),
                    _ => match t.signal {
                        Some(s) if s != 0 => format!("Signal:{s}"),
                        _ => format!("ExitCode:{}", t.exit_code),
                    },
                };
            } else if c.ready && st.running.is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = status
                .conditions
                .iter()
                .flatten()
                .any(|c| c.type_ == "Ready" && c.status == "True");
            reason = if pod_ready { "Running" } else { "NotReady" }.to_string();
        }
    }
    let terminal = matches!(phase.as_str(), "Succeeded" | "Failed");
    if pod.metadata.deletion_timestamp.is_some() {
        if status.reason.as_deref() == Some("NodeLost") {
            reason = "Unknown".to_string();
        } else if !terminal {
            reason = "Terminating".to_string();
        }
    }
    let restarts_str = match last_restart {
        Some(t) if restarts != 0 => format!("{restarts} ({} ago)", human_duration(now.since(t))),
        _ => restarts.to_string(),
    };
    (format!("{ready}/{total}"), reason, restarts_str)
}

fn pod_row(pod: &Pod, ctx: RowCtx) -> Vec<String> {
    let (ready, reason, restarts) = pod_status(pod, ctx.now);
    let mut cells = vec![
        pod.metadata.name.clone().unwrap_or_default(),
        ready,
        reason,
        restarts,
        age(pod.metadata.creation_timestamp.as_ref(), ctx.now),
    ];
    if ctx.wide {
        let status = pod.status.clone().unwrap_or_default();
        let ip = status
            .pod_ips
            .as_ref()
            .and_then(|ips| ips.first())
            .map(|i| i.ip.clone())
            .or(status.pod_ip.clone())
            .unwrap_or_default();
        cells.push(none_if_empty(ip));
        cells.push(none_if_empty(
            pod.spec
                .as_ref()
                .and_then(|s| s.node_name.clone())
                .unwrap_or_default(),
        ));
        cells.push(none_if_empty(
            status.nominated_node_name.clone().unwrap_or_default(),
        ));
        cells.push(readiness_gates(pod));
    }
    cells
}

/// The READINESS GATES column: how many of the pod's readiness gates have a True condition.
fn readiness_gates(pod: &Pod) -> String {
    let gates = pod
        .spec
        .as_ref()
        .and_then(|s| s.readiness_gates.as_deref())
        .unwrap_or_default();
    if gates.is_empty() {
        return "<none>".to_string();
    }
    let conditions = pod
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_deref())
        .unwrap_or_default();
    let ready = gates
        .iter()
        .filter(|g| {
            conditions
                .iter()
                .find(|c| c.type_ == g.condition_type)
                .is_some_and(|c| c.status == "True")
        })
        .count();
    format!("{ready}/{}", gates.len())
}

/// The STATUS column of a node (`Ready`, `NotReady`, `Unknown`, `,SchedulingDisabled`).
pub fn node_status(node: &Node) -> String {
    let mut status: Vec<String> = Vec::new();
    if let Some(c) = node
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().rev().find(|c| c.type_ == "Ready"))
    {
        status.push(
            if c.status == "True" {
                "Ready"
            } else {
                "NotReady"
            }
            .to_string(),
        );
    }
    if status.is_empty() {
        status.push("Unknown".to_string());
    }
    if node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true) {
        status.push("SchedulingDisabled".to_string());
    }
    status.join(",")
}

/// The ROLES column of a node.
pub fn node_roles(node: &Node) -> String {
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in node.metadata.labels.iter().flatten() {
        if let Some(r) = k.strip_prefix("node-role.kubernetes.io/") {
            if !r.is_empty() {
                roles.push(r.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v.clone());
        }
    }
    super::sort(&mut roles);
    roles.dedup();
    if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.join(",")
    }
}

fn node_row(node: &Node, ctx: RowCtx) -> Vec<String> {
    let status = node.status.clone().unwrap_or_default();
    let info = status.node_info.clone().unwrap_or_default();
    let mut cells = vec![
        node.metadata.name.clone().unwrap_or_default(),
        node_status(node),
        node_roles(node),
        age(node.metadata.creation_timestamp.as_ref(), ctx.now),
        info.kubelet_version.clone(),
    ];
    if ctx.wide {
        let addr = |t: &str| {
            status
                .addresses
                .iter()
                .flatten()
                .find(|a| a.type_ == t)
                .map(|a| a.address.clone())
                .unwrap_or_else(|| "<none>".to_string())
        };
        cells.push(addr("InternalIP"));
        cells.push(addr("ExternalIP"));
        let unknown_if_empty = |s: &str| {
            if s.is_empty() {
                "<unknown>".to_string()
            } else {
                s.to_string()
            }
        };
        cells.push(unknown_if_empty(&info.os_image));
        cells.push(unknown_if_empty(&info.kernel_version));
        cells.push(unknown_if_empty(&info.container_runtime_version));
    }
    cells
}

fn containers_images(spec: Option<&PodSpec>) -> (String, String) {
    let cs = spec.map(|s| s.containers.clone()).unwrap_or_default();
    (
        cs.iter()
            .map(|c| c.name.clone())
            .collect::<Vec<_>>()
            .join(","),
        cs.iter()
            .map(|c| c.image.clone().unwrap_or_default())
            .collect::<Vec<_>>()
            .join(","),
    )
}

fn daemonset_row(ds: &DaemonSet, ctx: RowCtx) -> Vec<String> {
    let st = ds.status.clone().unwrap_or_default();
    let spec = ds.spec.clone().unwrap_or_default();
    let node_selector = format_labels(
        spec.template
            .spec
            .as_ref()
            .and_then(|s| s.node_selector.as_ref()),
    );
    let mut cells = vec![
        ds.metadata.name.clone().unwrap_or_default(),
        st.desired_number_scheduled.to_string(),
        st.current_number_scheduled.to_string(),
        st.number_ready.to_string(),
        st.updated_number_scheduled.unwrap_or(0).to_string(),
        st.number_available.unwrap_or(0).to_string(),
        node_selector,
        age(ds.metadata.creation_timestamp.as_ref(), ctx.now),
    ];
    if ctx.wide {
        let (c, i) = containers_images(spec.template.spec.as_ref());
        cells.push(c);
        cells.push(i);
        cells.push(format_label_selector(Some(&spec.selector)));
    }
    cells
}

/// The STATUS column of a job (1.30+).
pub fn job_status(job: &Job) -> String {
    let conds = job
        .status
        .as_ref()
        .and_then(|s| s.conditions.clone())
        .unwrap_or_default();
    // `hasJobCondition`: the first condition of the type decides.
    let has = |t: &str| {
        conds
            .iter()
            .find(|c| c.type_ == t)
            .is_some_and(|c| c.status == "True")
    };
    if has("Complete") {
        "Complete"
    } else if has("Failed") {
        "Failed"
    } else if job.metadata.deletion_timestamp.is_some() {
        "Terminating"
    } else if has("Suspended") {
        "Suspended"
    } else if has("FailureTarget") {
        "FailureTarget"
    } else if has("SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else {
        "Running"
    }
    .to_string()
}

/// The COMPLETIONS column of a job.
pub fn job_completions(job: &Job) -> String {
    let spec = job.spec.clone().unwrap_or_default();
    let succeeded = job.status.as_ref().and_then(|s| s.succeeded).unwrap_or(0);
    match spec.completions {
        Some(c) => format!("{succeeded}/{c}"),
        None => {
            let p = spec.parallelism.unwrap_or(1);
            if p > 1 {
                format!("{succeeded}/1 of {p}")
            } else {
                format!("{succeeded}/1")
            }
        }
    }
}

/// The DURATION column of a job.
pub fn job_duration(job: &Job, now: SimTime) -> String {
    let st = job.status.clone().unwrap_or_default();
    let Some(start) = st.start_time.as_ref() else {
        return String::new();
    };
    let start = SimTime::from_k8s(start);
    match st.completion_time.as_ref() {
        Some(end) => human_duration(SimTime::from_k8s(end).since(start)),
        None => human_duration(now.since(start)),
    }
}

fn job_row(job: &Job, ctx: RowCtx) -> Vec<String> {
    let mut cells = vec![
        job.metadata.name.clone().unwrap_or_default(),
        job_status(job),
        job_completions(job),
        job_duration(job, ctx.now),
        age(job.metadata.creation_timestamp.as_ref(), ctx.now),
    ];
    if ctx.wide {
        let spec = job.spec.clone().unwrap_or_default();
        let (c, i) = containers_images(spec.template.spec.as_ref());
        cells.push(c);
        cells.push(i);
        cells.push(format_label_selector(spec.selector.as_ref()));
    }
    cells
}

fn micro_age(t: Option<&MicroTime>, now: SimTime) -> String {
    age(t.map(|m| Time(m.0)).as_ref(), now)
}

/// `printEvent`: FIRST SEEN falls back to `eventTime`, LAST SEEN to FIRST SEEN; a series gives
/// LAST SEEN and COUNT; a singleton without a count counts 1.
fn event_row(ev: &Event, ctx: RowCtx) -> Vec<String> {
    let first = match ev.first_timestamp.as_ref() {
        Some(t) => age(Some(t), ctx.now),
        None => micro_age(ev.event_time.as_ref(), ctx.now),
    };
    let mut last = match ev.last_timestamp.as_ref() {
        Some(t) => age(Some(t), ctx.now),
        None => first.clone(),
    };
    let mut count = ev.count.unwrap_or(0);
    if let Some(series) = &ev.series {
        last = micro_age(series.last_observed_time.as_ref(), ctx.now);
        count = series.count.unwrap_or(0);
    } else if count == 0 {
        count = 1;
    }
    let obj = &ev.involved_object;
    let kind = obj.kind.clone().unwrap_or_default().to_lowercase();
    let object = match obj.name.as_deref() {
        Some(name) if !name.is_empty() => format!("{kind}/{name}"),
        _ => kind,
    };
    let message = ev.message.clone().unwrap_or_default().trim().to_string();
    let mut cells = vec![
        last,
        ev.type_.clone().unwrap_or_default(),
        ev.reason.clone().unwrap_or_default(),
        object,
    ];
    if ctx.wide {
        cells.push(obj.field_path.clone().unwrap_or_default());
        cells.push(event_source(ev));
        cells.push(message);
        cells.push(first);
        cells.push(count.to_string());
        cells.push(ev.metadata.name.clone().unwrap_or_default());
    } else {
        cells.push(message);
    }
    cells
}

/// The AGE of `kubectl describe`'s events (`DescribeEvents`) and the LAST SEEN of `kubectl events`
/// (`getInterval`): the first time (`eventTime`, else `firstTimestamp`) for a single event,
/// `last (xN over first)` for a series or a repeated one.
pub fn event_interval(ev: &Event, now: SimTime) -> String {
    let first = match ev.event_time.as_ref() {
        Some(t) => micro_age(Some(t), now),
        None => age(ev.first_timestamp.as_ref(), now),
    };
    let count = ev.count.unwrap_or(0);
    match &ev.series {
        Some(series) => format!(
            "{} (x{} over {first})",
            micro_age(series.last_observed_time.as_ref(), now),
            series.count.unwrap_or(0)
        ),
        None if count > 1 => format!(
            "{} (x{count} over {first})",
            age(ev.last_timestamp.as_ref(), now)
        ),
        None => first,
    }
}

/// `formatEventSource`: `component, host`, each falling back to the reporting controller and
/// instance; `, host` is left out when there is no host.
pub fn event_source(ev: &Event) -> String {
    let first_non_empty = |a: Option<&str>, b: Option<&str>| -> String {
        match a {
            Some(a) if !a.is_empty() => a.to_string(),
            _ => b.unwrap_or_default().to_string(),
        }
    };
    let src = ev.source.clone().unwrap_or_default();
    let component = first_non_empty(src.component.as_deref(), ev.reporting_component.as_deref());
    let instance = first_non_empty(src.host.as_deref(), ev.reporting_instance.as_deref());
    if instance.is_empty() {
        component
    } else {
        format!("{component}, {instance}")
    }
}

fn namespace_row(ns: &Namespace, ctx: RowCtx) -> Vec<String> {
    vec![
        ns.metadata.name.clone().unwrap_or_default(),
        ns.status
            .as_ref()
            .and_then(|s| s.phase.clone())
            .unwrap_or_default(),
        age(ns.metadata.creation_timestamp.as_ref(), ctx.now),
    ]
}

fn revision_row(cr: &ControllerRevision, ctx: RowCtx) -> Vec<String> {
    let controller = match crate::engine::api::controller_ref(&cr.metadata) {
        Some(r) => {
            let group = r.api_version.split_once('/').map(|(g, _)| g).unwrap_or("");
            let kind = r.kind.to_ascii_lowercase();
            if group.is_empty() {
                format!("{kind}/{}", r.name)
            } else {
                format!("{kind}.{group}/{}", r.name)
            }
        }
        None => "<none>".to_string(),
    };
    vec![
        cr.metadata.name.clone().unwrap_or_default(),
        controller,
        cr.revision.to_string(),
        age(cr.metadata.creation_timestamp.as_ref(), ctx.now),
    ]
}

/// `loadBalancerStatusStringer`: the ingress IPs (else hostnames), sorted and deduplicated,
/// clipped to 16 bytes unless wide.
fn load_balancer_ips(svc: &Service, wide: bool) -> String {
    let mut ips: Vec<String> = svc
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_deref())
        .unwrap_or_default()
        .iter()
        .filter_map(|i| match (i.ip.as_deref(), i.hostname.as_deref()) {
            (Some(ip), _) if !ip.is_empty() => Some(ip.to_string()),
            (_, Some(h)) if !h.is_empty() => Some(h.to_string()),
            _ => None,
        })
        .collect();
    super::sort(&mut ips);
    ips.dedup();
    let r = ips.join(",");
    if !wide && r.len() > 16 {
        format!("{}...", r.get(..13).unwrap_or_default())
    } else {
        r
    }
}

/// `getServiceExternalIP`.
fn service_external_ip(svc: &Service, wide: bool) -> String {
    let spec = svc.spec.clone().unwrap_or_default();
    let external = spec.external_ips.clone().unwrap_or_default();
    match spec.type_.as_deref().unwrap_or("ClusterIP") {
        "ClusterIP" | "NodePort" => {
            if external.is_empty() {
                "<none>".to_string()
            } else {
                external.join(",")
            }
        }
        "LoadBalancer" => {
            let lb = load_balancer_ips(svc, wide);
            if !external.is_empty() {
                let mut all: Vec<String> = Vec::new();
                if !lb.is_empty() {
                    all.extend(lb.split(',').map(str::to_string));
                }
                all.extend(external);
                all.join(",")
            } else if !lb.is_empty() {
                lb
            } else {
                "<pending>".to_string()
            }
        }
        "ExternalName" => spec.external_name.clone().unwrap_or_default(),
        _ => "<unknown>".to_string(),
    }
}

fn service_row(svc: &Service, ctx: RowCtx) -> Vec<String> {
    let spec = svc.spec.clone().unwrap_or_default();
    // `makePortString`
    let ports: Vec<String> = spec
        .ports
        .iter()
        .flatten()
        .map(|p| {
            let proto = p.protocol.clone().unwrap_or_else(|| "TCP".to_string());
            match p.node_port {
                Some(np) if np > 0 => format!("{}:{np}/{proto}", p.port),
                _ => format!("{}/{proto}", p.port),
            }
        })
        .collect();
    let cluster_ip = spec
        .cluster_ips
        .as_ref()
        .and_then(|ips| ips.first().cloned())
        .or(spec.cluster_ip.clone())
        .filter(|ip| !ip.is_empty())
        .unwrap_or_else(|| "<none>".to_string());
    let mut cells = vec![
        svc.metadata.name.clone().unwrap_or_default(),
        spec.type_
            .clone()
            .unwrap_or_else(|| "ClusterIP".to_string()),
        cluster_ip,
        service_external_ip(svc, ctx.wide),
        none_if_empty(ports.join(",")),
        age(svc.metadata.creation_timestamp.as_ref(), ctx.now),
    ];
    if ctx.wide {
        cells.push(format_labels(spec.selector.as_ref()));
    }
    cells
}

/// `listWithMoreString`: the first three items, `+ N more...` past them, `<unset>` for none.
fn list_with_more(items: &[String]) -> String {
    let shown = items
        .get(..items.len().min(3))
        .unwrap_or_default()
        .join(",");
    if items.len() > 3 {
        format!("{shown} + {} more...", items.len() - 3)
    } else if shown.is_empty() {
        "<unset>".to_string()
    } else {
        shown
    }
}

/// `printEndpointSlice` (`formatDiscoveryPorts`, `formatDiscoveryEndpoints`).
fn endpointslice_row(es: &EndpointSlice, ctx: RowCtx) -> Vec<String> {
    let ports: Vec<String> = es
        .ports
        .iter()
        .flatten()
        .map(|p| match (p.port, p.name.as_deref()) {
            (Some(n), _) => n.to_string(),
            (None, Some(name)) => name.to_string(),
            (None, None) => "*".to_string(),
        })
        .collect();
    let addrs: Vec<String> = es
        .endpoints
        .iter()
        .flat_map(|e| e.addresses.iter().cloned())
        .collect();
    vec![
        es.metadata.name.clone().unwrap_or_default(),
        es.address_type.clone(),
        list_with_more(&ports),
        list_with_more(&addrs),
        age(es.metadata.creation_timestamp.as_ref(), ctx.now),
    ]
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod upstream_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(yaml: &str) -> Pod {
        serde_yaml::from_str(yaml).expect("pod yaml")
    }

    /// printPod: a started sidecar counts as a ready container and does not hold the pod in
    /// `Init:0/1`; a plain init container still running does.
    #[test]
    fn print_pod_counts_started_sidecars() {
        let sidecar = pod(r#"
metadata: {name: web}
spec:
  initContainers: [{name: log, image: busybox, restartPolicy: Always}]
  containers: [{name: app, image: nginx}]
status:
  phase: Running
  conditions: [{type: Initialized, status: "True"}, {type: Ready, status: "True"}]
  initContainerStatuses:
  - {name: log, image: busybox, imageID: "", ready: true, started: true, restartCount: 2, state: {running: {}}}
  containerStatuses:
  - {name: app, image: nginx, imageID: "", ready: true, started: true, restartCount: 0, state: {running: {}}}
"#);
        let (ready, status, restarts) = pod_status(&sidecar, SimTime::ZERO);
        assert_eq!(
            (ready.as_str(), status.as_str(), restarts.as_str()),
            ("2/2", "Running", "2")
        );

        let init = pod(r#"
metadata: {name: web}
spec:
  initContainers: [{name: setup, image: busybox}]
  containers: [{name: app, image: nginx}]
status:
  phase: Pending
  initContainerStatuses:
  - {name: setup, image: busybox, imageID: "", ready: false, restartCount: 0, state: {running: {}}}
  containerStatuses:
  - {name: app, image: nginx, imageID: "", ready: false, restartCount: 0, state: {waiting: {reason: PodInitializing}}}
"#);
        let (ready, status, _) = pod_status(&init, SimTime::ZERO);
        assert_eq!((ready.as_str(), status.as_str()), ("0/1", "Init:0/1"));
    }
}
