//! The simulated kubelets: for every pod bound to a node whose kubelet is up, pull images, start
//! containers, run their commands through the [`crate::engine::sh`] interpreter, restart them
//! with the kubelet's back-off, stop them on deletion, and report pod status exactly as a real
//! kubelet would (phase, conditions, container states), so kubectl derives the same STATUS.
//!
//! Mirrors `pkg/kubelet` only in its observable behaviour. Deliberate simplifications:
//! - Init containers run to completion one after another before the app containers, with no
//!   image pull of their own (their images count as pulled with the first app container).
//!   Native sidecars (init containers with `restartPolicy: Always`) start in that order but
//!   let the next container start as soon as they run (and their startup probe passed), are
//!   restarted
//!   whatever the pod's restart policy, count towards readiness, and are stopped (SIGTERM,
//!   then SIGKILL after the grace period) once every regular container has exited for good;
//!   the pod turns Succeeded or Failed, from its regular containers, only then.
//! - Fixed latencies: sandbox creation [`SANDBOX_CREATE_MS`], container create→start
//!   [`CONTAINER_START_MS`]; no PLEG relist delay, so a crash shows `CrashLoopBackOff` at once
//!   (a real kubelet shows the terminated reason for about a second first).
//! - Probes: the workers are timed as upstream's ([`prober`] lists its simplifications). Exec
//!   probes run their command through the interpreter, with the container's environment,
//!   against its files at that instant (what its process had written by then, its volumes);
//!   what the probe command itself writes is dropped and a program the interpreter does not
//!   know exits 0 at once. HTTP, TCP and gRPC probes succeed when a running container of the
//!   pod listens on the port ([`crate::engine::network::container_listens`]: its declared
//!   `containerPort`s and the ports of a few well-known images; agnhost's `liveness` server
//!   answers `/healthz` with 500 after 10 s) and are refused otherwise; `httpGet.host`,
//!   headers and HTTPS are not looked at, a gRPC server is assumed to implement the health
//!   service. A probe takes no time: an exec command that runs longer than `timeoutSeconds`
//!   fails at the tick (`command "…" timed out`). A named port that does not resolve is a
//!   failure (upstream: a probe error that leaves the result unchanged). The readiness probe
//!   `UpdatePodStatus` triggers runs once per container instance, when it has started
//!   (upstream triggers it on every status sync while the container is not ready).
//! - A liveness or startup failure kills the container as a deletion does (SIGTERM, SIGKILL
//!   after the probe's `terminationGracePeriodSeconds` or the pod's), with a `Killing` event;
//!   it is restarted unless the restart policy is `Never`, whatever its exit code, under the
//!   same crash back-off as any restart (at once, then 10 s doubling). Event messages are
//!   stored without the exec output's final newline.
//! - A container's run is evaluated when it starts ([`crate::engine::sh`]); what it asks the
//!   network is remembered with it, and when Services, EndpointSlices, nodes or pods change
//!   while it runs, a run whose later questions would now get other answers is evaluated
//!   again, keeping its answers (and so its output) up to now ([`Kubelet::replay_network`]).
//!   Files and environment stay those of its start; a container being stopped is left alone.
//! - On deletion, whether PID 1 handles SIGTERM follows a documented rule on the program name
//!   ([`sigterm_response`], docs/design.md "Termination"), not the image's real STOPSIGNAL; a
//!   TERM trap in a script is found textually and assumed to run at once.
//! - Node heartbeats are not written every 10 s (that would churn the store); the node's
//!   conditions change only when the kubelet stops or starts or `sim node condition` changes
//!   what it reports ([`post_node_status`]): `MemoryPressure`, `DiskPressure` and `PIDPressure`
//!   as the eviction manager would post them (no pod is evicted, no pod is refused admission for
//!   them), `Ready=False` as a kubelet whose container runtime is down (it then syncs no pod:
//!   containers keep running unseen, pods keep their last status, nothing starts or stops),
//!   `NetworkUnavailable` as the route controller or a network plugin sets it (pods still get
//!   their network).

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, HostIP, Node, NodeAddress, NodeCondition, NodeSpec,
    NodeStatus, NodeSystemInfo, Pod, PodCondition, PodIP, PodSpec, PodStatus, Probe,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::engine::api::{Kind, Object, ObjectKey};
use crate::engine::clock::{Millis, SimTime, MINUTE, SECOND};
use crate::engine::controller::{Action, EventRecord, EventType, Outcome};
use crate::engine::rng::{fnv1a as fnv, FNV_OFFSET};
use crate::engine::sh;
use crate::engine::store::{LookupMap, Store};
use crate::engine::Config;

mod prober;
use prober::ProbeType;

/// Annotation: the container runs this many seconds, then exits (with `exit-code`, default 0).
pub const RUN_SECONDS_ANNOTATION: &str = "kubeplay.dev/run-seconds";
/// Annotation: the exit code used with `run-seconds` (default 0).
pub const EXIT_CODE_ANNOTATION: &str = "kubeplay.dev/exit-code";
/// Annotation: probability (0–1) that a run of a container fails with exit code 1, decided from
/// the pod's uid, so it is reproducible for a seed.
pub const FAIL_RATE_ANNOTATION: &str = "kubeplay.dev/fail-rate";

/// How long the container runtime takes to create a pod's sandbox (pause container, network
/// namespace, IP) before the first image is looked at.
pub const SANDBOX_CREATE_MS: Millis = 1_000;
/// How long `CreateContainer` + `StartContainer` take once the image is present: the `Created`
/// event comes when the image is ready, `Started` this long after.
pub const CONTAINER_START_MS: Millis = 500;

/// The terminated reason of a container the kernel's OOM killer ended (`sim pod fail --reason
/// OOMKilled`).
pub const OOM_KILLED: &str = "OOMKilled";

/// Default node capacity for `sim node add` and Node manifests without a status.
pub const DEFAULT_NODE_CPU: &str = "4";
/// Default node memory.
pub const DEFAULT_NODE_MEMORY: &str = "8Gi";
/// Default maximum number of pods per node (the kubelet's `--max-pods`).
pub const DEFAULT_NODE_PODS: &str = "110";
/// The kubelet version nodes report.
pub const KUBELET_VERSION: &str = "v1.34.1";

/// A fault `sim pod fail|succeed` injects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Every running container exits with this code; the restart policy applies as for a crash.
    Exit(i32),
    /// The whole pod fails with this reason (`Evicted`), phase Failed, no restart. `OOMKilled`
    /// instead ends every running container with exit 137 and that reason, as the OOM killer.
    PodFailed(String),
    /// The whole pod ends with phase Succeeded, whatever its restart policy.
    PodSucceeded,
}

/// One node's simulated kubelet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeAgent {
    /// Whether the kubelet is running (`sim node down|up`).
    pub up: bool,
    /// When it stopped.
    pub down_since: Option<SimTime>,
    /// The node's registration index; podCIDR and InternalIP derive from it.
    pub index: u32,
    next_ip: u32,
    images: BTreeSet<String>,
    /// The conditions `sim node condition` turned bad: `Ready` False (the container runtime is
    /// down), a pressure condition True, `NetworkUnavailable` True.
    pub problems: BTreeSet<NodeConditionType>,
    /// Whether the node carries a `NetworkUnavailable` condition at all (once it was set, as a
    /// network plugin or the route controller would; real nodes without one print none).
    pub network_condition: bool,
}

impl NodeAgent {
    /// Whether the kubelet syncs its pods: it runs and its container runtime is up. With the
    /// runtime down (`Ready=False`) it still posts node status, but starts, probes and stops
    /// nothing, and reports no pod status: pods keep the status they had.
    pub fn runs_pods(&self) -> bool {
        self.up && !self.problems.contains(&NodeConditionType::Ready)
    }
}

/// The node conditions kubeplay simulates (`v1.NodeConditionType`), in the order a kubelet
/// posts them (`NetworkUnavailable`, set by the network plugin, comes first when present).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeConditionType {
    /// `NetworkUnavailable`: the node's pod network is not configured.
    NetworkUnavailable,
    /// `MemoryPressure`: the kubelet's eviction manager sees memory running out.
    MemoryPressure,
    /// `DiskPressure`: the node's filesystems are running out of space or inodes.
    DiskPressure,
    /// `PIDPressure`: the node is running out of process IDs.
    PIDPressure,
    /// `Ready`: the kubelet is healthy and can run pods.
    Ready,
}

impl NodeConditionType {
    /// Every type, in the order the node lists them.
    pub const ALL: [NodeConditionType; 5] = [
        NodeConditionType::NetworkUnavailable,
        NodeConditionType::MemoryPressure,
        NodeConditionType::DiskPressure,
        NodeConditionType::PIDPressure,
        NodeConditionType::Ready,
    ];

    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeConditionType::NetworkUnavailable => "NetworkUnavailable",
            NodeConditionType::MemoryPressure => "MemoryPressure",
            NodeConditionType::DiskPressure => "DiskPressure",
            NodeConditionType::PIDPressure => "PIDPressure",
            NodeConditionType::Ready => "Ready",
        }
    }

    /// From the API spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The status that means trouble: `False` for Ready, `True` for the others.
    pub fn bad_status(self) -> &'static str {
        match self {
            NodeConditionType::Ready => "False",
            _ => "True",
        }
    }

    /// The condition as its reporter posts it (`pkg/kubelet/nodestatus/setters.go`;
    /// NetworkUnavailable as the route controller writes it) and the event the kubelet records
    /// when it changes to it (none for NetworkUnavailable, which the kubelet does not own).
    fn report(self, bad: bool) -> ConditionReport {
        use NodeConditionType::*;
        let (status, reason, message, event) = match (self, bad) {
            (NetworkUnavailable, true) => (
                "True",
                "NoRouteCreated",
                "Node created without a route",
                None,
            ),
            (NetworkUnavailable, false) => (
                "False",
                "RouteCreated",
                "RouteController created a route",
                None,
            ),
            (MemoryPressure, true) => (
                "True",
                "KubeletHasInsufficientMemory",
                "kubelet has insufficient memory available",
                Some("NodeHasInsufficientMemory"),
            ),
            (MemoryPressure, false) => (
                "False",
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available",
                Some("NodeHasSufficientMemory"),
            ),
            (DiskPressure, true) => (
                "True",
                "KubeletHasDiskPressure",
                "kubelet has disk pressure",
                Some("NodeHasDiskPressure"),
            ),
            (DiskPressure, false) => (
                "False",
                "KubeletHasNoDiskPressure",
                "kubelet has no disk pressure",
                Some("NodeHasNoDiskPressure"),
            ),
            (PIDPressure, true) => (
                "True",
                "KubeletHasInsufficientPID",
                "kubelet has insufficient PID available",
                Some("NodeHasInsufficientPID"),
            ),
            (PIDPressure, false) => (
                "False",
                "KubeletHasSufficientPID",
                "kubelet has sufficient PID available",
                Some("NodeHasSufficientPID"),
            ),
            (Ready, true) => (
                "False",
                "KubeletNotReady",
                "container runtime is down",
                Some("NodeNotReady"),
            ),
            (Ready, false) => (
                "True",
                "KubeletReady",
                "kubelet is posting ready status",
                Some("NodeReady"),
            ),
        };
        ConditionReport {
            status,
            reason,
            message,
            event,
        }
    }
}

/// What a node condition's reporter posts, and the event it records on a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ConditionReport {
    status: &'static str,
    reason: &'static str,
    message: &'static str,
    event: Option<&'static str>,
}

impl ConditionReport {
    /// Whether the condition already says this.
    fn matches(&self, c: &NodeCondition) -> bool {
        c.status == self.status
            && c.reason.as_deref() == Some(self.reason)
            && c.message.as_deref() == Some(self.message)
    }

    /// The condition, posted (and, if new, transitioned) at `t`.
    fn condition(
        &self,
        type_: NodeConditionType,
        t: Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>,
    ) -> NodeCondition {
        NodeCondition {
            type_: type_.as_str().to_string(),
            status: self.status.to_string(),
            reason: Some(self.reason.to_string()),
            message: Some(self.message.to_string()),
            last_heartbeat_time: t.clone(),
            last_transition_time: t,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Term {
    started: SimTime,
    finished: SimTime,
    code: i32,
    reason: String,
    message: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum CState {
    /// Waiting for an image pull that ends at `until`.
    Pulling { until: SimTime, first_pull: bool },
    /// The pull failed; `ErrImagePull` until `show_backoff_at`, then `ImagePullBackOff` until `retry_at`.
    PullFailed {
        show_backoff_at: SimTime,
        retry_at: SimTime,
        shown: bool,
    },
    /// Created, starting; `Started` and running at `until`.
    Starting { until: SimTime },
    /// Running since `since`.
    Running { since: SimTime },
    /// Exited, waiting to restart at `until` (CrashLoopBackOff while waiting).
    BackOff { until: SimTime, term: Term },
    /// Exited for good.
    Done(Term),
}

#[derive(Debug, Clone, PartialEq)]
struct Ctr {
    name: String,
    image: String,
    init: bool,
    /// A sidecar: an init container with `restartPolicy: Always` (native sidecars, on by
    /// default since 1.29). It starts in order with the init containers but does not block
    /// the next one once started, keeps running (restarted whatever the pod's restart
    /// policy), and is stopped once every regular container has exited for good.
    sidecar: bool,
    restart_count: i32,
    state: CState,
    last_term: Option<Term>,
    run: Option<(SimTime, sh::Run)>,
    previous_run: Option<(SimTime, sh::Run)>,
    restart_backoff_ms: Millis,
    pull_backoff_ms: Millis,
    killing: bool,
    /// The terminated reason of the current run when it is not derived from the exit code
    /// (`OOMKilled`).
    exit_reason: Option<String>,
    /// The image's digest reference, as `imageID` reports it (a function of `image`).
    image_id: String,
    /// The container id of the instance with this restart count (a function of the pod's uid,
    /// the name and the restart count), kept from one status to the next.
    cid: Option<(i32, String)>,
    /// The probe workers (startup, liveness, readiness: those the container has).
    workers: Vec<prober::Worker>,
    /// The current instance was killed for failing its liveness or startup probe: it is
    /// restarted unless the pod's restart policy is Never, whatever its exit code.
    probe_kill: bool,
    /// What `kubectl exec` commands wrote into this instance's files (when, path, content or
    /// `None` when removed); a restarted container starts from its image again.
    exec_files: Vec<(SimTime, String, Option<String>)>,
    /// What the current run asked the network and its inputs, while it may still ask more
    /// (see [`Kubelet::replay_network`]); `None` for a run that asked nothing.
    net_memo: Option<Box<NetMemo>>,
}

/// A run's network answers and what else it read, to evaluate it again when the cluster
/// changes ([`Kubelet::replay_network`]).
#[derive(Debug, Clone, PartialEq)]
struct NetMemo {
    /// The seed of the run's network host.
    seed: u64,
    env: BTreeMap<String, String>,
    files: BTreeMap<String, String>,
    changes: Vec<(u64, String, Option<String>)>,
    queries: Vec<crate::engine::network::Query>,
}

impl Ctr {
    /// The current instance once it ran (the container ID the prober sees in the status; a
    /// created container that has not started yet is not probed).
    fn instance(&self) -> Option<i32> {
        match self.state {
            CState::Running { .. } | CState::BackOff { .. } | CState::Done(_) => {
                self.run.is_some().then_some(self.restart_count)
            }
            _ => None,
        }
    }

    /// The container's `started` status: running, and its startup probe (if any) succeeded.
    fn started(&self) -> bool {
        self.started_with(&self.workers)
    }

    /// [`Ctr::started`] with these workers (while the prober holds them).
    fn started_with(&self, workers: &[prober::Worker]) -> bool {
        matches!(self.state, CState::Running { .. })
            && passes(workers, ProbeType::Startup, self.instance())
    }

    /// The container's `ready` status: started, and its readiness probe (if any) succeeds.
    fn ready(&self) -> bool {
        self.started() && passes(&self.workers, ProbeType::Readiness, self.instance())
    }
}

/// Whether the probe of type `t` succeeds for `instance`, or there is none.
fn passes(workers: &[prober::Worker], t: ProbeType, instance: Option<i32>) -> bool {
    workers
        .iter()
        .find(|w| w.probe_type == t)
        .is_none_or(|w| w.result_for(instance) == Some(true))
}

/// `imageID` of `image`: `docker.io/library/busybox@sha256:<digest>`.
fn image_id(image: &str) -> String {
    format!(
        "{}@sha256:{}",
        qualified_image(image)
            .rsplit_once(':')
            .map(|(a, _)| a.to_string())
            .unwrap_or_default(),
        hex_id(&[image], 64)
    )
}

#[derive(Debug, Clone, PartialEq)]
struct PodRuntime {
    node: String,
    ip: String,
    host_ip: String,
    started: SimTime,
    ctrs: Vec<Ctr>,
    /// When the kubelet started stopping the pod, and the kill deadline.
    kill: Option<(SimTime, SimTime)>,
    /// A pod-level terminal result (`sim pod fail --reason`, `sim pod succeed`).
    pod_result: Option<(String, Option<String>)>,
    ready_since: Option<SimTime>,
    not_ready_since: SimTime,
    initialized_at: Option<SimTime>,
    /// The pod's resourceVersion at the last sync and the wake-up that sync asked for: while
    /// the pod is unchanged and the wake-up not due, another sync would change nothing.
    synced: Option<(String, Option<SimTime>)>,
    /// What the containers wrote into the pod's `emptyDir` volumes: volume name → path
    /// inside the volume → content. The files live as long as the pod, as on a node.
    volumes: Volumes,
}

/// The files of a pod's `emptyDir` volumes (see [`PodRuntime::volumes`]).
type Volumes = BTreeMap<String, BTreeMap<String, String>>;

/// Files one `emptyDir` volume may hold.
const MAX_VOLUME_FILES: usize = 64;

/// Every kubelet's runtime state.
#[derive(Debug, Clone, Default)]
pub struct Kubelet {
    agents: BTreeMap<String, NodeAgent>,
    /// Runtimes by pod uid, looked up by exact uid only (every pass looks up each pod it
    /// visits; a hash lookup instead of ~15 uid compares in a B-tree of thousands of pods).
    pods: LookupMap<String, PodRuntime>,
    unavailable_images: BTreeSet<String>,
    registered: u32,
    /// What the last pass saw: the store's Node revision, its pod removal count and the config.
    /// When nodes, agents, images or the config changed, or a fault was injected, the next pass
    /// syncs every pod; otherwise only pods that are not settled and changed or are due.
    seen: Option<(u64, u64, Config)>,
    /// The wake-up each synced pod asked for, by time.
    wakes: BTreeSet<(SimTime, String)>,
    /// The store revision the last pass read and the highest revision its writes can take.
    own_writes: Option<(u64, u64)>,
    /// `imageID` by image (see [`image_id`]): computed once per image.
    image_ids: BTreeMap<String, String>,
    /// Pods with a container whose run asked the network ([`Ctr::net_memo`]), by uid.
    net_pods: BTreeSet<String>,
    /// The store's Service, EndpointSlice, Node and Pod revisions the last network replay saw.
    net_seen: Option<[u64; 4]>,
}

fn hash64(parts: &[&str]) -> u64 {
    // FNV-1a: a stable hash, the same on every platform. Each part ends with a 0 byte.
    parts
        .iter()
        .fold(FNV_OFFSET, |h, p| fnv(fnv(h, p.as_bytes()), &[0]))
}

/// `len` hex digits: the hashes of the parts joined with `/` and a counter 0, 1, 2, ...
/// (`hash64(&[parts.join("/"), i.to_string()])`, 16 digits each), written without formatting.
fn hex_id(parts: &[&str], len: usize) -> String {
    let mut base = FNV_OFFSET;
    for (k, p) in parts.iter().enumerate() {
        if k > 0 {
            base = fnv(base, b"/");
        }
        base = fnv(base, p.as_bytes());
    }
    base = fnv(base, &[0]);
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(len + 16);
    let mut i = 0u64;
    while s.len() < len {
        let h = fnv(fnv(base, decimal(i, &mut [0u8; 20])), &[0]);
        for shift in (0..16).rev() {
            let digit = (h >> (shift * 4)) & 0xf;
            let b = DIGITS.get(digit as usize).copied().unwrap_or(b'0');
            s.push(char::from(b));
        }
        i += 1;
    }
    s.truncate(len);
    s
}

/// The decimal digits of `v` (what `v.to_string()` writes), in `buf`.
fn decimal(v: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    let mut v = v;
    loop {
        i -= 1;
        if let Some(b) = buf.get_mut(i) {
            *b = b'0' + (v % 10) as u8;
        }
        v /= 10;
        if v == 0 || i == 0 {
            break;
        }
    }
    buf.get(i..).unwrap_or_default()
}

/// The fully qualified image reference containerd reports (`docker.io/library/nginx:latest`).
pub fn qualified_image(image: &str) -> String {
    let (name, tag) = match image.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n.to_string(), format!(":{t}")),
        _ if image.contains('@') => (image.to_string(), String::new()),
        _ => (image.to_string(), ":latest".to_string()),
    };
    let first = name.split('/').next().unwrap_or_default();
    let has_registry =
        name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let full = if has_registry {
        name
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    format!("{full}{tag}")
}

fn image_size(image: &str) -> u64 {
    // A plausible, stable size between 2 and 120 MB.
    2_000_000 + hash64(&[image]) % 118_000_000
}

/// The default CMD of well-known images whose CMD is a shell (their ENTRYPOINT is empty);
/// `None` for the rest, whose process kubeplay cannot know and runs as a server (forever).
fn image_default_cmd(image: &str) -> Option<&'static str> {
    // The repository's last segment comes from `image` itself (the qualified prefix names
    // none of these): any other image is not one of them, without qualifying its name.
    const SHELL_IMAGES: [&str; 7] = [
        "busybox", "alpine", "bash", "debian", "ubuntu", "fedora", "centos",
    ];
    if !SHELL_IMAGES.iter().any(|n| image.contains(n)) {
        return None;
    }
    let full = qualified_image(image);
    let repo = full.rsplit_once(':').map_or(full.as_str(), |(r, _)| r);
    let repo = repo.split('@').next().unwrap_or(repo);
    Some(match repo {
        "docker.io/library/busybox" => "sh",
        "docker.io/library/alpine" => "/bin/sh",
        "docker.io/library/bash" | "docker.io/library/debian" => "bash",
        "docker.io/library/ubuntu" | "docker.io/library/fedora" | "docker.io/library/centos" => {
            "/bin/bash"
        }
        _ => return None,
    })
}

fn is_shell(argv0: &str) -> bool {
    matches!(
        argv0.rsplit('/').next().unwrap_or(argv0),
        "sh" | "bash" | "ash" | "dash" | "zsh"
    )
}

fn seconds_str(ms: Millis) -> String {
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{}.{:03}s", ms / 1000, ms % 1000)
            .trim_end_matches('0')
            .to_string()
    }
}

/// The status a pod gets from the API server on create: Pending, with its QoS class.
pub fn initial_pod_status(pod: &Pod) -> PodStatus {
    PodStatus {
        phase: Some("Pending".to_string()),
        qos_class: Some(qos_class(pod).to_string()),
        ..Default::default()
    }
}

/// The pod's QoS class (`pkg/apis/core/v1/helper/qos`).
pub fn qos_class(pod: &Pod) -> &'static str {
    let Some(spec) = &pod.spec else {
        return "BestEffort";
    };
    let mut any = false;
    let mut guaranteed = true;
    for c in &spec.containers {
        let res = c.resources.clone().unwrap_or_default();
        let limits = res.limits.unwrap_or_default();
        let requests = res.requests.unwrap_or_default();
        if !limits.is_empty() || !requests.is_empty() {
            any = true;
        }
        for r in ["cpu", "memory"] {
            match limits.get(r) {
                None => guaranteed = false,
                Some(l) => {
                    if let Some(q) = requests.get(r) {
                        if q != l {
                            guaranteed = false;
                        }
                    }
                }
            }
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

impl Kubelet {
    /// Registers a node's kubelet and fills in what a kubelet reports when it registers:
    /// well-known labels, podCIDR, addresses, capacity, node info and conditions.
    pub fn register_node(&mut self, node: &mut Node) {
        self.seen = None;
        let name = node.metadata.name.clone().unwrap_or_default();
        let index = match self.agents.get(&name) {
            Some(a) => a.index,
            None => {
                self.registered += 1;
                let idx = self.registered;
                self.agents.insert(
                    name.clone(),
                    NodeAgent {
                        up: true,
                        down_since: None,
                        index: idx,
                        next_ip: 2,
                        images: BTreeSet::new(),
                        problems: BTreeSet::new(),
                        network_condition: false,
                    },
                );
                idx
            }
        };
        let labels = node.metadata.labels.get_or_insert_with(Default::default);
        for (k, v) in [
            ("kubernetes.io/hostname", name.as_str()),
            ("kubernetes.io/os", "linux"),
            ("kubernetes.io/arch", "amd64"),
            ("beta.kubernetes.io/os", "linux"),
            ("beta.kubernetes.io/arch", "amd64"),
        ] {
            labels.entry(k.to_string()).or_insert_with(|| v.to_string());
        }
        let spec = node.spec.get_or_insert_with(NodeSpec::default);
        if spec.pod_cidr.is_none() {
            let cidr = format!("10.244.{}.0/24", index % 256);
            spec.pod_cidr = Some(cidr.clone());
            spec.pod_cidrs = Some(vec![cidr]);
        }
        let status = node.status.get_or_insert_with(NodeStatus::default);
        let capacity = status.capacity.get_or_insert_with(Default::default);
        for (k, v) in [
            ("cpu", DEFAULT_NODE_CPU),
            ("memory", DEFAULT_NODE_MEMORY),
            ("pods", DEFAULT_NODE_PODS),
            ("ephemeral-storage", "100Gi"),
        ] {
            capacity
                .entry(k.to_string())
                .or_insert_with(|| Quantity(v.to_string()));
        }
        let capacity = capacity.clone();
        let allocatable = status.allocatable.get_or_insert_with(Default::default);
        for (k, v) in capacity {
            allocatable.entry(k).or_insert(v);
        }
        if status.addresses.as_deref().unwrap_or_default().is_empty() {
            status.addresses = Some(vec![
                NodeAddress {
                    type_: "InternalIP".to_string(),
                    address: format!("172.18.{}.{}", index / 250, index % 250 + 2),
                },
                NodeAddress {
                    type_: "Hostname".to_string(),
                    address: name.clone(),
                },
            ]);
        }
        status.node_info.get_or_insert_with(|| NodeSystemInfo {
            architecture: "amd64".to_string(),
            boot_id: hex_id(&[&name, "boot"], 32),
            container_runtime_version: "containerd://2.1.3".to_string(),
            kernel_version: "6.8.0-kubeplay".to_string(),
            kube_proxy_version: String::new(),
            kubelet_version: KUBELET_VERSION.to_string(),
            machine_id: hex_id(&[&name, "machine"], 32),
            operating_system: "linux".to_string(),
            os_image: "Debian GNU/Linux 12 (bookworm)".to_string(),
            system_uuid: hex_id(&[&name, "system"], 32),
            ..Default::default()
        });
        if status.conditions.as_deref().unwrap_or_default().is_empty() {
            let t = node.metadata.creation_timestamp.clone();
            status.conditions = Some(node_conditions(
                t.map(|t| SimTime::from_k8s(&t)).unwrap_or_default(),
            ));
        }
        status.phase = None;
    }

    /// Forgets a deleted node's kubelet.
    pub fn unregister_node(&mut self, name: &str) {
        self.seen = None;
        self.agents.remove(name);
    }

    /// The agent of a node.
    pub fn agent(&self, node: &str) -> Option<&NodeAgent> {
        self.agents.get(node)
    }

    /// Starts or stops a node's kubelet.
    pub fn set_up(&mut self, node: &str, up: bool, now: SimTime) {
        self.seen = None;
        if let Some(a) = self.agents.get_mut(node) {
            if a.up != up {
                a.up = up;
                a.down_since = if up { None } else { Some(now) };
            }
        }
    }

    /// `sim node condition`: turns one of the node's conditions bad (`Ready=False`, a pressure
    /// or `NetworkUnavailable` `True`) or good again; the kubelet posts it on its next pass (or
    /// when it runs again, if it is stopped). `status` is the one typed (`True`/`False`); the
    /// error says which ones the type takes.
    pub fn set_condition(
        &mut self,
        node: &str,
        type_: NodeConditionType,
        status: &str,
    ) -> Result<(), String> {
        let bad = match status {
            s if s == type_.bad_status() => true,
            "True" | "False" => false,
            _ => {
                return Err(format!(
                    "invalid status \"{status}\" for condition {}: supported values: \"True\", \"False\"",
                    type_.as_str()
                ))
            }
        };
        self.seen = None;
        let Some(a) = self.agents.get_mut(node) else {
            return Err(format!("node {node} has no kubelet"));
        };
        if bad {
            a.problems.insert(type_);
        } else {
            a.problems.remove(&type_);
        }
        if type_ == NodeConditionType::NetworkUnavailable {
            a.network_condition = true;
        }
        Ok(())
    }

    /// Makes an image pullable or not.
    pub fn set_image_available(&mut self, image: &str, available: bool) {
        self.seen = None;
        if available {
            self.unavailable_images.remove(image);
        } else {
            self.unavailable_images.insert(image.to_string());
            // Removing an image from the registry also removes it from every node's cache, so
            // the next start has to pull it.
            for a in self.agents.values_mut() {
                a.images.remove(image);
            }
        }
    }

    /// Images that cannot be pulled.
    pub fn unavailable_images(&self) -> &BTreeSet<String> {
        &self.unavailable_images
    }

    /// Applies a `sim pod` fault to a running pod.
    pub fn inject(&mut self, pod: &Pod, fault: Fault, now: SimTime) -> Result<(), String> {
        self.seen = None;
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let name = pod.metadata.name.clone().unwrap_or_default();
        let Some(rt) = self.pods.get_mut(&uid) else {
            return Err(format!("pod {name} is not running on a node yet"));
        };
        // The OOM killer ends containers, not the pod: exit 137, reason OOMKilled, and the
        // restart policy applies as for any crash.
        let (fault, exit_reason) = match fault {
            Fault::PodFailed(r) if r == OOM_KILLED => (Fault::Exit(137), Some(r)),
            other => (other, None),
        };
        match fault {
            Fault::Exit(code) => {
                let mut any = false;
                for c in rt.ctrs.iter_mut().filter(|c| !c.init) {
                    if let CState::Running { since } = c.state {
                        // Cut the run short: it exits now with `code`.
                        if let Some((start, run)) = c.run.as_mut() {
                            let at = now.since(*start);
                            run.truncate(at);
                            run.end = sh::End::Exit { at_ms: at, code };
                        }
                        // Its end is decided: nothing it would ask later is asked.
                        c.net_memo = None;
                        c.exit_reason = exit_reason.clone();
                        let _ = since;
                        any = true;
                    }
                }
                if !any {
                    return Err(format!("pod {name} has no running container"));
                }
            }
            Fault::PodFailed(reason) => rt.pod_result = Some(("Failed".to_string(), Some(reason))),
            Fault::PodSucceeded => rt.pod_result = Some(("Succeeded".to_string(), None)),
        }
        Ok(())
    }

    /// What `kubectl logs` shows of a container (the first one by default, `previous` for the
    /// last terminated run), each line with the instant it was written.
    pub fn log_lines(
        &self,
        pod: &Pod,
        container: Option<&str>,
        previous: bool,
        now: SimTime,
    ) -> Result<Vec<(SimTime, &str)>, String> {
        let name = pod.metadata.name.clone().unwrap_or_default();
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let spec_ctrs: Vec<&Container> = pod
            .spec
            .as_ref()
            .map(|s| s.containers.iter().collect())
            .unwrap_or_default();
        // Without -c, kubectl picks the first (default) container.
        let cname = match container {
            Some(c) => c.to_string(),
            None => spec_ctrs
                .first()
                .map(|c| c.name.clone())
                .unwrap_or_default(),
        };
        let all_names = crate::engine::api::container_names(pod);
        if !all_names.contains(&cname) {
            return Err(format!("container {cname} is not valid for pod {name}"));
        }
        let Some(rt) = self.pods.get(&uid) else {
            return Err(format!(
                "container \"{cname}\" in pod \"{name}\" is waiting to start: ContainerCreating"
            ));
        };
        let Some(c) = rt.ctrs.iter().find(|c| c.name == cname) else {
            return Err(format!("container {cname} is not valid for pod {name}"));
        };
        let run = if previous {
            match &c.previous_run {
                Some(r) => r,
                None => {
                    return Err(format!(
                        "previous terminated container \"{cname}\" in pod \"{name}\" not found"
                    ))
                }
            }
        } else {
            match &c.run {
                Some(r) => r,
                None => {
                    let reason = match &c.state {
                        CState::PullFailed { shown: true, .. } => "ImagePullBackOff",
                        CState::PullFailed { .. } => "ErrImagePull",
                        _ => "ContainerCreating",
                    };
                    return Err(format!(
                        "container \"{cname}\" in pod \"{name}\" is waiting to start: {reason}"
                    ));
                }
            }
        };
        let (start, run) = run;
        let upto = match &c.state {
            CState::Done(t) | CState::BackOff { term: t, .. } if !previous => {
                t.finished.since(*start)
            }
            _ if previous => u64::MAX,
            _ => now.since(*start),
        };
        Ok(run
            .output
            .iter()
            .filter(|l| l.at_ms <= upto)
            .map(|l| (start.plus(l.at_ms), l.text.as_str()))
            .collect())
    }

    /// One kubelet pass over every pod bound to a running node.
    pub fn sync(&mut self, store: &Store, config: &Config, now: SimTime) -> Outcome {
        let mut out = Outcome::none();
        // Node status: a running kubelet posts its conditions (`setNodeStatus`) when one of them
        // is not what it would post.
        for node in store.nodes() {
            let name = node.metadata.name.as_deref().unwrap_or_default();
            let Some(agent) = self.agents.get(name) else {
                continue;
            };
            if !agent.up {
                continue;
            }
            if let Some((n, events)) = post_node_status(node, agent, now) {
                let obj = Object::Node(n);
                out.push(Action::Update(obj.clone()));
                for reason in events {
                    out.event(
                        EventRecord::new(
                            &obj,
                            EventType::Normal,
                            reason,
                            format!("Node {name} status is now: {reason}"),
                            "kubelet",
                        )
                        .on_host(name),
                    );
                }
            }
        }
        let seen = (
            store.kind_revision(Kind::Node),
            store.pod_removals(),
            config.clone(),
        );
        let full = self
            .seen
            .as_ref()
            .is_none_or(|s| s.0 != seen.0 || s.2 != seen.2);
        let prune = full || self.seen.as_ref().is_none_or(|s| s.1 != seen.1);
        self.seen = Some(seen);
        self.replay_network(store, config, now);
        let own_writes = self.own_writes.take();
        let revision = store.revision();
        // A settled pod (finished, no finalizer, not deleted) has nothing left to run or report.
        let pods: Box<dyn Iterator<Item = &Pod>> = if full {
            Box::new(store.pods())
        } else {
            Box::new(store.unsettled_pods())
        };
        // The pods to sync, with their node; synced after the walk, once the actions they may
        // push are reserved.
        let mut to_sync: Vec<(&Pod, &str)> = Vec::new();
        for pod in pods {
            let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) else {
                continue;
            };
            let node_up = self.agents.get(node).is_some_and(NodeAgent::runs_pods);
            if !node_up || store.node(node).is_none() {
                if full {
                    let uid = pod.metadata.uid.as_deref().unwrap_or_default();
                    self.set_wake(uid, None);
                }
                continue;
            }
            if !full && pod.metadata.deletion_timestamp.is_none() {
                let uid = pod.metadata.uid.as_deref().unwrap_or_default();
                let live_rv = pod.metadata.resource_version.as_deref().unwrap_or_default();
                // A revision inside the range the last pass's own writes took means the pod's
                // last write was this kubelet's status update: the pod is as it left it.
                let own_write = own_writes.is_some_and(|(lo, hi)| {
                    live_rv.parse::<u64>().is_ok_and(|v| v > lo && v <= hi)
                });
                if let Some((rv, wake)) = self.pods.get_mut(uid).and_then(|rt| rt.synced.as_mut()) {
                    if (rv.as_str() == live_rv || own_write) && wake.is_none_or(|w| w > now) {
                        if own_write {
                            *rv = live_rv.to_string();
                        }
                        continue;
                    }
                }
            }
            to_sync.push((pod, node));
        }
        // A status and a few events per pod, mostly: the (large) actions are rarely moved.
        out.actions.reserve(4 * to_sync.len());
        for (pod, node) in to_sync {
            self.sync_pod(pod, node, store, config, now, &mut out);
        }
        // Forget pods that are gone (only after a pod was removed).
        if prune {
            self.pods
                .retain(|uid, _| store.get_by_uid(uid).is_some_and(|o| o.kind() == Kind::Pod));
            let pods = &self.pods;
            self.wakes.retain(|(_, uid)| pods.contains_key(uid));
        }
        // The Cluster applies this outcome next: each action writes at most twice (an update
        // can also finish a deletion), so its writes take revisions up to this bound.
        let n_actions = u64::try_from(out.actions.len()).unwrap_or(u64::MAX / 4);
        self.own_writes = Some((revision, revision.saturating_add(2 * n_actions)));
        // Every synced pod's wake-up, including the pods skipped above.
        if let Some((t, _)) = self.wakes.range((now.plus(1), String::new())..).next() {
            out.requeue_at(*t);
        }
        out
    }

    fn sync_pod(
        &mut self,
        pod: &Pod,
        node: &str,
        store: &Store,
        config: &Config,
        now: SimTime,
        out: &mut Outcome,
    ) {
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let phase = pod
            .status
            .as_ref()
            .and_then(|s| s.phase.as_deref())
            .unwrap_or_default();
        let deleting = pod.metadata.deletion_timestamp.is_some();
        let key = ObjectKey::new(
            Kind::Pod,
            pod.metadata.namespace.as_deref().unwrap_or_default(),
            pod.metadata.name.as_deref().unwrap_or_default(),
        );
        if !self.pods.contains_key(&uid) {
            if deleting || phase == "Succeeded" || phase == "Failed" {
                // Never started here (or its runtime is gone): nothing to stop.
                if deleting {
                    out.push(Action::Remove { key, uid });
                }
                return;
            }
            let rt = self.start_pod(pod, node, store, config, now, out);
            self.pods.insert(uid.clone(), rt);
        }
        let unavailable = &self.unavailable_images;
        let Some(agent) = self.agents.get_mut(node) else {
            return;
        };
        let Some(rt) = self.pods.get_mut(&uid) else {
            return;
        };
        let default_spec;
        let spec = match pod.spec.as_ref() {
            Some(s) => s,
            None => {
                default_spec = PodSpec::default();
                &default_spec
            }
        };
        let restart_policy = spec.restart_policy.as_deref().unwrap_or("Always");
        let host = node;
        let ev = |reason: &str, type_: EventType, msg: String, ctr: &str| {
            EventRecord::about(&key, &uid, type_, reason, msg, "kubelet")
                .on_host(host)
                .field_path(format!("spec.containers{{{ctr}}}"))
        };

        // Deletion: stop every container.
        if deleting && rt.kill.is_none() {
            let grace_s = pod
                .metadata
                .deletion_grace_period_seconds
                .unwrap_or(30)
                .max(0);
            let deadline = now.plus(u64::try_from(grace_s).unwrap_or(0) * SECOND);
            rt.kill = Some((now, deadline));
            for c in rt.ctrs.iter_mut() {
                stop_container(c, spec, now, deadline, out, &ev);
            }
        }

        // Pod-level results injected by `sim pod`.
        if let Some((result, _)) = rt.pod_result.clone() {
            for c in rt.ctrs.iter_mut() {
                if let CState::Running { since } = c.state {
                    let code = if result == "Succeeded" { 0 } else { 137 };
                    let reason = if code == 0 { "Completed" } else { "Error" };
                    c.state = CState::Done(Term {
                        started: since,
                        finished: now,
                        code,
                        reason: reason.to_string(),
                        message: None,
                    });
                } else if let CState::BackOff { term, .. } = &c.state {
                    c.state = CState::Done(term.clone());
                } else if matches!(
                    c.state,
                    CState::Pulling { .. } | CState::PullFailed { .. } | CState::Starting { .. }
                ) {
                    c.state = CState::Done(Term {
                        started: now,
                        finished: now,
                        code: 0,
                        reason: "Completed".to_string(),
                        message: None,
                    });
                }
            }
        }

        // Advance every container's state machine up to `now`.
        let env = std::cell::OnceCell::new();
        let ids = PodIds {
            node: rt.node.clone(),
            ip: rt.ip.clone(),
            host_ip: rt.host_ip.clone(),
        };
        let each = PodPass {
            spec,
            pod,
            restart_policy,
            unavailable,
            base_env: &env,
            ids: &ids,
            store,
            config,
            now,
            ev: &ev,
        };
        let n_ctrs = rt.ctrs.len();
        // The probes run once the containers are where `now` puts them; a container they kill
        // may exit at once, and a sidecar whose startup probe passed lets the next one start,
        // so the state machines run once more then.
        for pass in 0..2 {
            for idx in 0..n_ctrs {
                // Init containers run one after another, before app containers.
                if rt.ctrs.iter().take(idx).any(|p| p.init && !init_done(p)) {
                    continue;
                }
                let live = live_volume_changes(pod, &rt.ctrs);
                let Some(c) = rt.ctrs.get_mut(idx) else {
                    continue;
                };
                settle_container(c, &each, agent, &mut rt.volumes, &live, out);
            }
            if pass > 0 || !run_probes(rt, pod, spec, restart_policy, store, now, out, &ev) {
                break;
            }
        }
        if rt.initialized_at.is_none() && rt.ctrs.iter().filter(|c| c.init).all(init_done) {
            rt.initialized_at = Some(now);
        }
        // Every regular container has exited for good: the kubelet stops the sidecars
        // (SIGTERM, SIGKILL at the end of the grace period), and only then is the pod done.
        let app_finished = rt
            .ctrs
            .iter()
            .filter(|c| !c.init)
            .all(|c| matches!(c.state, CState::Done(_)));
        if app_finished && !deleting && rt.pod_result.is_none() {
            let grace_s = spec.termination_grace_period_seconds.unwrap_or(30).max(0);
            let deadline = now.plus(u64::try_from(grace_s).unwrap_or(0) * SECOND);
            for c in rt.ctrs.iter_mut().filter(|c| c.sidecar && !c.killing) {
                stop_container(c, spec, now, deadline, out, &ev);
            }
            let live = live_volume_changes(pod, &rt.ctrs);
            for c in rt.ctrs.iter_mut().filter(|c| c.sidecar) {
                settle_container(c, &each, agent, &mut rt.volumes, &live, out);
            }
        }

        // Status.
        let status = build_status(pod, rt, restart_policy, now);
        let terminal = matches!(status.phase.as_deref(), Some("Succeeded" | "Failed"));
        if pod.status.as_ref() != Some(&status) {
            out.push(Action::PodStatus {
                key: key.clone(),
                uid: uid.clone(),
                status: Box::new(status),
            });
        }
        if deleting && terminal {
            out.push(Action::Remove {
                key,
                uid: uid.clone(),
            });
        }
        if rt.ctrs.iter().any(|c| c.net_memo.is_some()) {
            self.net_pods.insert(uid.clone());
        }
        // Wake-ups.
        let wake = next_wake(rt, now);
        let old = rt.synced.take().and_then(|(_, w)| w);
        rt.synced = Some((
            pod.metadata.resource_version.clone().unwrap_or_default(),
            wake,
        ));
        if old != wake {
            if let Some(t) = old {
                self.wakes.remove(&(t, uid.clone()));
            }
            if let Some(t) = wake {
                self.wakes.insert((t, uid));
            }
        }
    }

    /// Sets the wake-up a pod's runtime asks for.
    fn set_wake(&mut self, uid: &str, wake: Option<SimTime>) {
        let Some(rt) = self.pods.get_mut(uid) else {
            return;
        };
        let old = rt.synced.take().and_then(|(_, w)| w);
        if let Some(t) = old {
            self.wakes.remove(&(t, uid.to_string()));
        }
        if let Some(t) = wake {
            self.wakes.insert((t, uid.to_string()));
        }
    }

    /// Containers see the cluster change while they run. A run is evaluated when the container
    /// starts, with the network answered from the store as it is then ([`NetMemo`] keeps the
    /// answers). When Services, EndpointSlices, nodes or pods changed since the last pass, each
    /// running container whose run asks the network after `now` has those questions asked
    /// again; if one answer differs, the run is evaluated again with the answers it already
    /// got up to `now` and live ones after, so its output so far stays and its future (later
    /// lines, exit time and code) follows the cluster as it is now. Its pod is then synced
    /// this pass, which sets its wake-up from the new run. Costs nothing while no running
    /// container waits on the network.
    fn replay_network(&mut self, store: &Store, config: &Config, now: SimTime) {
        if self.net_pods.is_empty() {
            return;
        }
        let revisions = [Kind::Service, Kind::EndpointSlice, Kind::Node, Kind::Pod]
            .map(|k| store.kind_revision(k));
        if self.net_seen == Some(revisions) {
            return;
        }
        self.net_seen = Some(revisions);
        let uids: Vec<String> = self.net_pods.iter().cloned().collect();
        for uid in uids {
            let (Some(Object::Pod(pod)), Some(rt)) =
                (store.get_by_uid(&uid), self.pods.get_mut(&uid))
            else {
                self.net_pods.remove(&uid);
                continue;
            };
            let (waiting, replayed) = replay_pod_network(pod, rt, store, config, now);
            if !waiting {
                self.net_pods.remove(&uid);
            }
            if replayed {
                // Synced this pass (its wake-up changes with the run).
                self.set_wake(&uid, None);
            }
        }
    }

    fn start_pod(
        &mut self,
        pod: &Pod,
        node: &str,
        _store: &Store,
        _config: &Config,
        now: SimTime,
        _out: &mut Outcome,
    ) -> PodRuntime {
        let default_spec;
        let spec = match pod.spec.as_ref() {
            Some(s) => s,
            None => {
                default_spec = PodSpec::default();
                &default_spec
            }
        };
        let (ip, host_ip) = match self.agents.get_mut(node) {
            Some(a) => {
                let host_ip = format!("172.18.{}.{}", a.index / 250, a.index % 250 + 2);
                let ip = if spec.host_network == Some(true) {
                    host_ip.clone()
                } else {
                    let ip = format!("10.244.{}.{}", a.index % 256, a.next_ip);
                    a.next_ip = if a.next_ip >= 254 { 2 } else { a.next_ip + 1 };
                    ip
                };
                (ip, host_ip)
            }
            None => (String::new(), String::new()),
        };
        let mut ctrs = Vec::new();
        for (init, c) in spec
            .init_containers
            .iter()
            .flatten()
            .map(|c| (true, c))
            .chain(spec.containers.iter().map(|c| (false, c)))
        {
            let image = c.image.clone().unwrap_or_default();
            let image_id = match self.image_ids.get(&image) {
                Some(id) => id.clone(),
                None => {
                    let id = image_id(&image);
                    self.image_ids.insert(image.clone(), id.clone());
                    id
                }
            };
            let workers = [
                (ProbeType::Startup, &c.startup_probe),
                (ProbeType::Liveness, &c.liveness_probe),
                (ProbeType::Readiness, &c.readiness_probe),
            ]
            .into_iter()
            .filter_map(|(t, p)| p.as_ref().map(|p| prober::Worker::new(t, p, now)))
            .collect();
            ctrs.push(Ctr {
                workers,
                probe_kill: false,
                exec_files: Vec::new(),
                net_memo: None,
                name: c.name.clone(),
                image_id,
                cid: None,
                image,
                init,
                sidecar: init && c.restart_policy.as_deref() == Some("Always"),
                restart_count: 0,
                // The sandbox comes first: no container is looked at before it exists.
                state: CState::Pulling {
                    until: now.plus(SANDBOX_CREATE_MS),
                    first_pull: true,
                },
                last_term: None,
                run: None,
                previous_run: None,
                restart_backoff_ms: 0,
                pull_backoff_ms: 0,
                killing: false,
                exit_reason: None,
            });
        }
        PodRuntime {
            node: node.to_string(),
            ip,
            host_ip,
            started: now,
            ctrs,
            kill: None,
            pod_result: None,
            ready_since: None,
            not_ready_since: now,
            initialized_at: None,
            synced: None,
            volumes: Volumes::new(),
        }
    }
}

fn container_spec<'a>(
    spec: &'a k8s_openapi::api::core::v1::PodSpec,
    name: &str,
) -> Option<&'a Container> {
    spec.init_containers
        .iter()
        .flatten()
        .chain(spec.containers.iter())
        .find(|c| c.name == name)
}

/// Whether the container runs one of the Go test images of the kubernetes.io examples (agnhost,
/// goproxy) as its own entrypoint: plain Go HTTP servers that install no SIGTERM handler.
fn go_test_image(spec: &PodSpec, name: &str) -> bool {
    container_spec(spec, name).is_some_and(|c| {
        let image = c.image.as_deref().unwrap_or_default();
        let last = image.rsplit('/').next().unwrap_or(image);
        let repo = last.split([':', '@']).next().unwrap_or(last);
        let own_entrypoint = c.command.as_ref().is_none_or(|cmd| {
            cmd.first()
                .is_none_or(|p| matches!(p.rsplit('/').next(), Some("agnhost" | "goproxy")))
        });
        matches!(repo, "agnhost" | "goproxy") && own_entrypoint
    })
}

fn container_argv(spec: &k8s_openapi::api::core::v1::PodSpec, name: &str) -> Vec<String> {
    container_spec(spec, name)
        .map(|c| {
            c.command
                .iter()
                .flatten()
                .chain(c.args.iter().flatten())
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

fn pod_env(pod: &Pod) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    let name = pod.metadata.name.clone().unwrap_or_default();
    let hostname = pod
        .spec
        .as_ref()
        .and_then(|s| s.hostname.clone())
        .unwrap_or(name);
    env.insert("HOSTNAME".to_string(), hostname);
    env.insert(
        "KUBERNETES_SERVICE_HOST".to_string(),
        "10.96.0.1".to_string(),
    );
    env.insert("KUBERNETES_SERVICE_PORT".to_string(), "443".to_string());
    env.insert(
        "PATH".to_string(),
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
    );
    env
}

/// A `fieldRef` as the kubelet resolves it: node and IPs from the runtime (the pod's status
/// may not show them yet), the rest from the pod.
fn field_ref(pod: &Pod, rt: &PodIds, path: &str) -> Option<String> {
    match path {
        "spec.nodeName" => Some(rt.node.clone()),
        "status.podIP" | "status.podIPs" => Some(rt.ip.clone()),
        "status.hostIP" | "status.hostIPs" => Some(rt.host_ip.clone()),
        _ => crate::engine::api::pod_field(pod, path),
    }
}

fn container_env(
    pod: &Pod,
    rt: &PodIds,
    c: &Container,
    base: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut env = base.clone();
    for e in c.env.iter().flatten() {
        let value = if let Some(v) = &e.value {
            sh::expand_k8s_vars(v, &env)
        } else if let Some(fr) = e.value_from.as_ref().and_then(|vf| vf.field_ref.as_ref()) {
            field_ref(pod, rt, &fr.field_path).unwrap_or_default()
        } else {
            String::new()
        };
        env.insert(e.name.clone(), value);
    }
    env
}

fn annotation<'a>(pod: &'a Pod, key: &str) -> Option<&'a str> {
    pod.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(key))
        .map(String::as_str)
}

/// A change a running container's process makes to a file of an `emptyDir` volume: when,
/// the volume, the path inside it, the content (`None`: removed).
type VolumeChange = (SimTime, String, String, Option<String>);

/// The files a container sees through its volume mounts at `at`: what the pod's containers
/// wrote into a shared `emptyDir` (finished runs from [`PodRuntime::volumes`], running ones
/// from `live` up to `at`), and the `downwardAPI` volumes' items (`fieldRef`s, and
/// `metadata.labels`/`metadata.annotations` as `key="value"` lines, as the kubelet writes them).
/// The files the kubelet puts in every container: `/etc/hostname`, the kubelet-managed
/// `/etc/hosts`, `/etc/resolv.conf` for the pod's DNS policy, and the service account's
/// `namespace` (the token and CA certificate are left out: nothing here checks them).
fn kubelet_managed_files(pod: &Pod, ids: &PodIds) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let Some(spec) = pod.spec.as_ref() else {
        return files;
    };
    let namespace = pod.metadata.namespace.clone().unwrap_or_default();
    let host_network = spec.host_network == Some(true);
    let hostname = if host_network {
        ids.node.clone()
    } else {
        spec.hostname
            .clone()
            .or_else(|| pod.metadata.name.clone())
            .unwrap_or_default()
    };
    files.insert("/etc/hostname".to_string(), format!("{hostname}\n"));
    if !host_network {
        let names = match &spec.subdomain {
            Some(sub) => format!("{hostname}.{sub}.{namespace}.svc.cluster.local\t{hostname}"),
            None => hostname.clone(),
        };
        files.insert(
            "/etc/hosts".to_string(),
            format!(
                "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{}\t{names}\n",
                ids.ip
            ),
        );
    }
    let policy = spec.dns_policy.as_deref().unwrap_or("ClusterFirst");
    let cluster_dns =
        policy == "ClusterFirstWithHostNet" || (policy == "ClusterFirst" && !host_network);
    if cluster_dns {
        files.insert(
            "/etc/resolv.conf".to_string(),
            format!(
                "search {namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver {}\noptions ndots:5\n",
                crate::engine::api::service::DNS_SERVER_IP
            ),
        );
    }
    if spec.automount_service_account_token != Some(false) {
        files.insert(
            "/var/run/secrets/kubernetes.io/serviceaccount/namespace".to_string(),
            namespace,
        );
    }
    files
}

fn container_files(
    pod: &Pod,
    ids: &PodIds,
    c: &Container,
    volumes: &Volumes,
    live: &[VolumeChange],
    at: SimTime,
) -> BTreeMap<String, String> {
    let mut files = kubelet_managed_files(pod, ids);
    let specs = pod.spec.as_ref().and_then(|s| s.volumes.as_ref());
    for m in c.volume_mounts.iter().flatten() {
        let Some(v) = specs.and_then(|vs| vs.iter().find(|v| v.name == m.name)) else {
            continue;
        };
        let root = m.mount_path.trim_end_matches('/');
        if v.empty_dir.is_some() {
            for (path, content) in volumes.get(&v.name).into_iter().flatten() {
                if let Some(p) = mounted_path(m, path) {
                    files.insert(p, content.clone());
                }
            }
        }
        if let Some(d) = &v.downward_api {
            for item in d.items.iter().flatten() {
                let Some(fr) = &item.field_ref else {
                    continue;
                };
                let text = match fr.field_path.as_str() {
                    "metadata.labels" => key_values(pod.metadata.labels.as_ref()),
                    "metadata.annotations" => key_values(pod.metadata.annotations.as_ref()),
                    path => field_ref(pod, ids, path).unwrap_or_default(),
                };
                files.insert(
                    format!("{root}/{}", item.path.trim_start_matches('/')),
                    text,
                );
            }
        }
    }
    for (path, content) in live_in_container(c, live) {
        if path.0 > at {
            break;
        }
        match content {
            Some(text) => files.insert(path.1, text.clone()),
            None => files.remove(&path.1),
        };
    }
    files
}

/// The changes of `live` that container `c` sees through its mounts: (time, path in `c`),
/// content; in time order.
fn live_in_container<'a>(
    c: &'a Container,
    live: &'a [VolumeChange],
) -> impl Iterator<Item = ((SimTime, String), &'a Option<String>)> + 'a {
    let mounts: Vec<&k8s_openapi::api::core::v1::VolumeMount> =
        c.volume_mounts.iter().flatten().collect();
    live.iter().filter_map(move |(t, vol, rel, content)| {
        mounts
            .iter()
            .filter(|m| m.name == *vol)
            .find_map(|m| mounted_path(m, rel))
            .map(|p| ((*t, p), content))
    })
}

/// Where the file `rel` of a volume appears through mount `m` (`subPath` taken into account).
fn mounted_path(m: &k8s_openapi::api::core::v1::VolumeMount, rel: &str) -> Option<String> {
    let root = m.mount_path.trim_end_matches('/');
    let sub = m.sub_path.as_deref().unwrap_or("").trim_matches('/');
    let rest = if sub.is_empty() {
        Some(rel)
    } else {
        rel.strip_prefix(sub).and_then(|r| r.strip_prefix('/'))
    };
    rest.map(|r| format!("{root}/{r}"))
}

/// Labels or annotations as a downwardAPI volume file holds them: `key="value"` lines.
fn key_values(map: Option<&BTreeMap<String, String>>) -> String {
    map.into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v:?}\n"))
        .collect()
}

/// The `emptyDir` volume and the path inside it of a file container `c` writes at `path`
/// (the deepest writable mount that holds it), if any.
fn volume_path(pod: &Pod, c: &Container, path: &str) -> Option<(String, String)> {
    let specs = pod.spec.as_ref().and_then(|s| s.volumes.as_ref());
    let m = c
        .volume_mounts
        .iter()
        .flatten()
        .filter(|m| m.read_only != Some(true))
        .filter(|m| {
            let root = m.mount_path.trim_end_matches('/');
            path.strip_prefix(root).is_some_and(|r| r.starts_with('/'))
        })
        .max_by_key(|m| m.mount_path.trim_end_matches('/').len())?;
    let is_empty_dir = specs
        .and_then(|vs| vs.iter().find(|v| v.name == m.name))
        .is_some_and(|v| v.empty_dir.is_some());
    if !is_empty_dir {
        return None;
    }
    let root = m.mount_path.trim_end_matches('/');
    let rel = path.strip_prefix(root)?.trim_start_matches('/');
    let rel = match m.sub_path.as_deref().map(|s| s.trim_matches('/')) {
        Some(sub) if !sub.is_empty() => format!("{sub}/{rel}"),
        _ => rel.to_string(),
    };
    Some((m.name.clone(), rel))
}

/// The changes the pod's running containers make to its `emptyDir` volumes, each at the
/// time its process makes it, in time order. (A run's files move into
/// [`PodRuntime::volumes`] when it ends.)
fn live_volume_changes(pod: &Pod, ctrs: &[Ctr]) -> Vec<VolumeChange> {
    let has_empty_dir = pod
        .spec
        .as_ref()
        .and_then(|s| s.volumes.as_ref())
        .is_some_and(|vs| vs.iter().any(|v| v.empty_dir.is_some()));
    if !has_empty_dir {
        return Vec::new();
    }
    let Some(spec) = pod.spec.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for c in ctrs {
        if !matches!(c.state, CState::Running { .. } | CState::Starting { .. }) {
            continue;
        }
        let (Some((start, run)), Some(cspec)) = (&c.run, container_spec(spec, &c.name)) else {
            continue;
        };
        for change in &run.file_log {
            if let Some((vol, rel)) = volume_path(pod, cspec, &change.path) {
                out.push((start.plus(change.at_ms), vol, rel, change.content.clone()));
            }
        }
    }
    crate::engine::sort::sort_by_key(&mut out, |c| c.0);
    out
}

/// Keeps what a finished run wrote under its writable `emptyDir` mounts for the pod's later
/// containers (written files) and forgets what it removed.
fn keep_files(
    pod: &Pod,
    c: &Container,
    written: &BTreeMap<String, Option<String>>,
    volumes: &mut Volumes,
) {
    for (path, content) in written {
        let Some((vol, rel)) = volume_path(pod, c, path) else {
            continue;
        };
        let files = volumes.entry(vol).or_default();
        match content {
            Some(text) if files.contains_key(&rel) || files.len() < MAX_VOLUME_FILES => {
                files.insert(rel, text.clone());
            }
            Some(_) => {}
            None => {
                files.remove(&rel);
            }
        }
    }
}

/// Runs the container's command through the interpreter (or the kubeplay annotations).
/// Whether this run of container `c` fails (exit code 1), for the pod's fail-rate annotation.
fn run_fails(pod: &Pod, c: &Container, restart_count: i32) -> bool {
    let fail_rate: f64 = annotation(pod, FAIL_RATE_ANNOTATION)
        .and_then(|s| s.trim().parse().ok())
        .filter(|f: &f64| f.is_finite())
        .unwrap_or(0.0);
    let uid = pod.metadata.uid.as_deref().unwrap_or_default();
    let roll =
        (hash64(&[uid, &c.name, &restart_count.to_string()]) % 1_000_000) as f64 / 1_000_000.0;
    roll < fail_rate
}

/// The run of a pod with the run-seconds annotation: it exits after that time with the
/// annotated exit code, whatever its command (which does not run, so it needs no environment,
/// files or network).
fn annotated_run(pod: &Pod, c: &Container, restart_count: i32) -> Option<sh::Run> {
    let secs =
        annotation(pod, RUN_SECONDS_ANNOTATION).and_then(|s| s.trim().parse::<f64>().ok())?;
    let fails = run_fails(pod, c, restart_count);
    let code: i32 = annotation(pod, EXIT_CODE_ANNOTATION)
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    let ms = if secs.is_finite() && secs >= 0.0 {
        (secs.min(1e9) * 1000.0) as u64
    } else {
        0
    };
    Some(sh::Run {
        output: Vec::new(),
        end: sh::End::Exit {
            at_ms: ms,
            code: if fails { 1 } else { code },
        },
        files: BTreeMap::new(),
        file_log: Vec::new(),
    })
}

/// The run of container `c` (see [`annotated_run`] for pods that say how long they run).
fn plan_run(
    pod: &Pod,
    rt_env: &BTreeMap<String, String>,
    c: &Container,
    restart_policy: &str,
    restart_count: i32,
    config: &Config,
    host: &mut dyn sh::Host,
) -> sh::Run {
    let unknown = if restart_policy == "Always" {
        sh::UnknownProgram::Forever
    } else {
        sh::UnknownProgram::RunFor {
            ms: config.unknown_program_ms,
        }
    };
    if let Some(run) = annotated_run(pod, c, restart_count) {
        return run;
    }
    let fails = run_fails(pod, c, restart_count);
    let mut command: Vec<String> = c.command.clone().unwrap_or_default();
    let args: Vec<String> = c.args.clone().unwrap_or_default();
    if command.is_empty() && args.is_empty() {
        // The image's own CMD: a shell image runs its shell, which reads a stdin the container
        // does not have and exits 0 at once — so `kubectl run bb --image=busybox` goes
        // Completed, then CrashLoopBackOff, as on a real cluster (with `stdin: true` the
        // shell waits for input instead).
        if let Some(cmd) = c.image.as_deref().and_then(image_default_cmd) {
            command = vec![cmd.to_string()];
        }
    }
    // `sh::run` does the kubelet's `$(VAR)` expansion of command and args itself.
    let mut run = sh::run(
        &command,
        &args,
        rt_env,
        unknown,
        host,
        &sh::Limits {
            stdin_open: c.stdin == Some(true),
            ..sh::Limits::default()
        },
    );
    if fails {
        if let sh::End::Exit { code, .. } = &mut run.end {
            *code = 1;
        }
    }
    run
}

/// Stops a container as the kubelet does on pod deletion or to end a sidecar: SIGTERM now
/// (`sigterm_response` decides whether PID 1 exits), SIGKILL at `deadline`.
fn stop_container(
    c: &mut Ctr,
    spec: &k8s_openapi::api::core::v1::PodSpec,
    now: SimTime,
    deadline: SimTime,
    out: &mut Outcome,
    ev: &dyn Fn(&str, EventType, String, &str) -> EventRecord,
) {
    c.killing = true;
    let running = matches!(c.state, CState::Running { .. } | CState::Starting { .. });
    if running {
        out.event(ev(
            "Killing",
            EventType::Normal,
            format!("Stopping container {}", c.name),
            &c.name,
        ));
    }
    match &c.state {
        CState::Running { .. } | CState::Starting { .. } => signal_stop(c, spec, now, deadline),
        CState::BackOff { term, .. } => c.state = CState::Done(term.clone()),
        CState::Pulling { .. } | CState::PullFailed { .. } => {
            c.state = CState::Done(Term {
                started: now,
                finished: now,
                code: 137,
                reason: "ContainerStatusUnknown".to_string(),
                message: Some(
                    "The container could not be located when the pod was terminated".to_string(),
                ),
            })
        }
        CState::Done(_) => {}
    }
}

/// SIGTERM to a running (or starting) container's PID 1 now, SIGKILL at `deadline`: cuts its
/// run where [`sigterm_response`] says it ends.
fn signal_stop(c: &mut Ctr, spec: &PodSpec, now: SimTime, deadline: SimTime) {
    if let CState::Starting { until } = c.state {
        // Stopped right after it started.
        c.state = CState::Running { since: until };
    }
    let response = if go_test_image(spec, &c.name) {
        // A Go program without a SIGTERM handler: the runtime re-raises the signal with the
        // default action, which PID 1 does not get, and then exits 2 (`dieFromSignal`); not
        // PID 1 (a shared process namespace), the signal kills it (143).
        TermResponse::Exits(if spec.share_process_namespace == Some(true) {
            143
        } else {
            2
        })
    } else {
        sigterm_response(
            &container_argv(spec, &c.name),
            spec.share_process_namespace == Some(true),
        )
    };
    if let Some((start, run)) = c.run.as_mut() {
        let natural = match run.end {
            sh::End::Exit { at_ms, .. } => Some(start.plus(at_ms)),
            sh::End::Forever => None,
        };
        // SIGTERM goes out now (or when a starting process starts).
        let term_at = now.max(*start);
        let (stop_at, code) = match response {
            TermResponse::Ignores => match natural {
                Some(t) if t <= deadline => (t, None),
                _ => (deadline.max(term_at), Some(137)),
            },
            TermResponse::Exits(code) => match natural {
                Some(t) if t <= term_at => (t, None),
                _ => (term_at, Some(code)),
            },
        };
        let at = stop_at.since(*start);
        run.truncate(at);
        if let Some(code) = code {
            run.end = sh::End::Exit { at_ms: at, code };
        }
    }
}

/// Runs the probe workers due at `now` (and the readiness probe a container's start
/// triggers), records `Unhealthy` events, and kills the containers whose liveness or startup
/// probe failed. Returns whether it killed one or a startup probe passed (a sidecar that has
/// started lets the next container start).
#[allow(clippy::too_many_arguments)]
fn run_probes(
    rt: &mut PodRuntime,
    pod: &Pod,
    spec: &PodSpec,
    restart_policy: &str,
    store: &Store,
    now: SimTime,
    out: &mut Outcome,
    ev: &dyn Fn(&str, EventType, String, &str) -> EventRecord,
) -> bool {
    let deleting = pod.metadata.deletion_timestamp.is_some();
    let pod_terminal = rt.pod_result.is_some()
        || matches!(
            pod.status.as_ref().and_then(|s| s.phase.as_deref()),
            Some("Succeeded" | "Failed")
        );
    let mut rerun = false;
    for idx in 0..rt.ctrs.len() {
        let Some(c) = rt.ctrs.get_mut(idx) else {
            continue;
        };
        if c.workers.is_empty() {
            continue;
        }
        let mut workers = std::mem::take(&mut c.workers);
        let name = c.name.clone();
        let Some(cspec) = container_spec(spec, &name) else {
            if let Some(c) = rt.ctrs.get_mut(idx) {
                c.workers = workers;
            }
            continue;
        };
        let rt_view: &PodRuntime = rt;
        let Some(c) = rt_view.ctrs.get(idx) else {
            continue;
        };
        let mut obs = prober::Observed {
            instance: c.instance(),
            running_since: match c.state {
                CState::Running { since } if since <= now => Some(since),
                _ => None,
            },
            will_run_again: !matches!(c.state, CState::Done(_)),
            deleting,
            started: c.started_with(&workers),
            pod_terminal,
        };
        let mut unhealthy = Vec::new();
        let was_started = obs.started;
        // The periodic ticks, startup first: a startup success is seen by the other
        // workers only from the next status (upstream: the next `UpdatePodStatus`).
        for w in workers.iter_mut() {
            if w.next_tick > now {
                continue;
            }
            let t = w.probe_type;
            let Some(probe) = probe_of(cspec, t) else {
                continue;
            };
            let timing = w.timing;
            let res = w.do_probe(&obs, now, &mut || {
                probe_once(probe, &timing, pod, cspec, rt_view, c, store, now)
            });
            w.advance_tick(now);
            if let Some((false, msg)) = res {
                unhealthy.push((t, msg));
            }
        }
        // `UpdatePodStatus` triggers a readiness probe at once for a started container that
        // is not ready yet (on its start, or when its startup probe passed).
        obs.started =
            obs.running_since.is_some() && passes(&workers, ProbeType::Startup, obs.instance);
        rerun |= obs.started && !was_started;
        if let Some(w) = workers
            .iter_mut()
            .find(|w| w.probe_type == ProbeType::Readiness)
        {
            if obs.started
                && w.result_for(obs.instance) != Some(true)
                && w.triggered != obs.instance
            {
                w.triggered = obs.instance;
                if let Some(probe) = probe_of(cspec, ProbeType::Readiness) {
                    let timing = w.timing;
                    let res = w.do_probe(&obs, now, &mut || {
                        probe_once(probe, &timing, pod, cspec, rt_view, c, store, now)
                    });
                    if let Some((false, msg)) = res {
                        unhealthy.push((ProbeType::Readiness, msg));
                    }
                }
            }
        }
        for (t, msg) in unhealthy {
            out.event(ev(
                "Unhealthy",
                EventType::Warning,
                format!("{} probe failed: {msg}", t.title()),
                &name,
            ));
        }
        // A failed liveness or startup probe: the kubelet kills the container
        // (`computePodActions`), to be restarted unless the restart policy is Never.
        let failed = workers
            .iter()
            .filter(|w| matches!(w.probe_type, ProbeType::Liveness | ProbeType::Startup))
            .find(|w| w.result_for(obs.instance) == Some(false))
            .map(|w| w.probe_type);
        let Some(c) = rt.ctrs.get_mut(idx) else {
            continue;
        };
        c.workers = workers;
        let Some(failed) = failed else {
            continue;
        };
        if c.killing || c.probe_kill || !matches!(c.state, CState::Running { .. }) {
            continue;
        }
        let restart = c.sidecar || restart_policy != "Never";
        out.event(ev(
            "Killing",
            EventType::Normal,
            format!(
                "Container {name} failed {} probe{}",
                failed.word(),
                if restart { ", will be restarted" } else { "" }
            ),
            &name,
        ));
        // The probe's own terminationGracePeriodSeconds, else the pod's.
        let grace_s = probe_of(cspec, failed)
            .and_then(|p| p.termination_grace_period_seconds)
            .or(spec.termination_grace_period_seconds)
            .unwrap_or(30)
            .max(0);
        let deadline = now.plus(u64::try_from(grace_s).unwrap_or(0) * SECOND);
        signal_stop(c, spec, now, deadline);
        c.probe_kill = true;
        rerun = true;
    }
    rerun
}

fn probe_of(c: &Container, t: ProbeType) -> Option<&Probe> {
    match t {
        ProbeType::Startup => c.startup_probe.as_ref(),
        ProbeType::Liveness => c.liveness_probe.as_ref(),
        ProbeType::Readiness => c.readiness_probe.as_ref(),
    }
}

/// Runs `command` in container `c` of the pod at `now`, as the runtime's exec does: with the
/// container's environment (but without the kubelet's `$(VAR)` expansion of a container's
/// command), its files as they are at that instant (with what earlier `kubectl exec` commands
/// wrote), and the pod's network. What the command writes is returned in its run;
/// [`Kubelet::exec`] keeps it in the container. `purpose` separates the network's random draws of probes and
/// `kubectl exec`.
#[allow(clippy::too_many_arguments)]
fn run_in_container(
    pod: &Pod,
    cspec: &Container,
    rt: &PodRuntime,
    c: &Ctr,
    store: &Store,
    now: SimTime,
    command: &[String],
    purpose: &str,
    limits: &sh::Limits,
) -> sh::Run {
    let ids = PodIds {
        node: rt.node.clone(),
        ip: rt.ip.clone(),
        host_ip: rt.host_ip.clone(),
    };
    let command: Vec<String> = command.iter().map(|a| a.replace('$', "$$")).collect();
    let env = container_env(pod, &ids, cspec, &pod_env(pod));
    let live = live_volume_changes(pod, &rt.ctrs);
    let mut files = container_files(pod, &ids, cspec, &rt.volumes, &live, now);
    if let Some((start, run)) = &c.run {
        for (path, content) in run.files_at(now.since(*start)) {
            match content {
                Some(text) => files.insert(path, text),
                None => files.remove(&path),
            };
        }
    }
    // What `kubectl exec` wrote stands unless the container's own process wrote the path again
    // after it.
    for (at, path, content) in c.exec_files.iter().filter(|(at, ..)| *at <= now) {
        let rewritten = c.run.as_ref().is_some_and(|(start, run)| {
            run.file_log.iter().any(|ch| {
                let t = start.plus(ch.at_ms);
                ch.path == *path && t > *at && t <= now
            })
        });
        if !rewritten {
            match content {
                Some(text) => files.insert(path.clone(), text.clone()),
                None => files.remove(path),
            };
        }
    }
    let uid = pod.metadata.uid.as_deref().unwrap_or_default();
    let seed = hash64(&[uid, &c.name, purpose, &now.millis().to_string()]);
    let namespace = pod.metadata.namespace.as_deref().unwrap_or_default();
    let net = crate::engine::network::NetHost::new(store, namespace, seed)
        .on_node(&rt.node)
        .with_own_pod(pod, &rt.ip)
        .with_files(files);
    let mut host = ExecHost {
        net,
        say_unknown: purpose == "exec",
    };
    sh::run(
        &command,
        &[],
        &env,
        sh::UnknownProgram::RunFor { ms: 0 },
        &mut host,
        limits,
    )
}

/// The host of a command run in a container: the pod's network and files; for `kubectl exec`
/// also a word on programs kubeplay does not simulate, instead of their silent exit 0.
struct ExecHost<'a> {
    net: crate::engine::network::NetHost<'a>,
    say_unknown: bool,
}

impl sh::Host for ExecHost<'_> {
    fn external(&mut self, argv: &[String], at_ms: u64) -> Option<sh::ExternalResult> {
        if let Some(r) = self.net.external(argv, at_ms) {
            return Some(r);
        }
        let name = argv.first()?;
        let base = name.rsplit('/').next().unwrap_or(name);
        if !self.say_unknown || base == "perl" {
            return None;
        }
        Some(sh::ExternalResult {
            stdout: String::new(),
            stderr: format!(
                "kubeplay: {name} is not simulated in containers (the shell and its utilities, wget, curl, nslookup, ping, perl and python3 -c are); it exits 0 here\n"
            ),
            code: 0,
            duration_ms: 0,
        })
    }

    fn file(&mut self, path: &str) -> Option<String> {
        self.net.file(path)
    }

    fn file_at(&mut self, path: &str, at_ms: u64) -> Option<String> {
        self.net.file_at(path, at_ms)
    }
}

/// Why `kubectl exec` cannot run a command in a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecError {
    /// The pod has no such container.
    NoSuchContainer,
    /// The container is not running (not started yet, waiting to restart, or exited).
    NotRunning,
}

impl Kubelet {
    /// `kubectl exec`: runs `command` in the running container `container` of `pod` at `now`
    /// (see [`run_in_container`]); the run's timeline starts now.
    pub fn exec(
        &mut self,
        store: &Store,
        pod: &Pod,
        container: &str,
        command: &[String],
        now: SimTime,
        limits: &sh::Limits,
    ) -> Result<sh::Run, ExecError> {
        let cspec = pod
            .spec
            .as_ref()
            .and_then(|s| container_spec(s, container))
            .ok_or(ExecError::NoSuchContainer)?;
        let uid = pod.metadata.uid.as_deref().unwrap_or_default();
        let rt = self.pods.get_mut(uid).ok_or(ExecError::NotRunning)?;
        let idx = rt
            .ctrs
            .iter()
            .position(|c| c.name == container && matches!(c.state, CState::Running { .. }))
            .ok_or(ExecError::NotRunning)?;
        let run = match rt.ctrs.get(idx) {
            Some(c) => run_in_container(pod, cspec, rt, c, store, now, command, "exec", limits),
            None => return Err(ExecError::NotRunning),
        };
        // The files the command wrote or removed stay in the container (a later probe or exec
        // sees them); they are stamped with the instant the command ran.
        if let Some(c) = rt.ctrs.get_mut(idx) {
            for (path, content) in &run.files {
                c.exec_files.push((now, path.clone(), content.clone()));
            }
        }
        // Probes may now decide otherwise: sync the pod again.
        rt.synced = None;
        self.seen = None;
        Ok(run)
    }
}

/// The most output an exec probe reports (`maxReadLength`).
const MAX_PROBE_OUTPUT: usize = 10 * 1024;

/// Runs one probe of container `c` at `now` against the pod as the runtime has it: whether it
/// passed, and the message the kubelet reports on failure (`pkg/probe/{exec,http,tcp,grpc}`).
#[allow(clippy::too_many_arguments)]
fn probe_once(
    probe: &Probe,
    timing: &prober::Timing,
    pod: &Pod,
    cspec: &Container,
    rt: &PodRuntime,
    c: &Ctr,
    store: &Store,
    now: SimTime,
) -> (bool, String) {
    let ids = PodIds {
        node: rt.node.clone(),
        ip: rt.ip.clone(),
        host_ip: rt.host_ip.clone(),
    };
    if let Some(exec) = &probe.exec {
        let limits = sh::Limits {
            max_steps: 20_000,
            max_output_lines: 200,
            horizon_ms: timing.timeout.saturating_add(1),
            stdin_open: false,
        };
        let run = run_in_container(
            pod,
            cspec,
            rt,
            c,
            store,
            now,
            exec.command.as_deref().unwrap_or_default(),
            "probe",
            &limits,
        );
        return match run.end {
            sh::End::Exit { at_ms, code } if at_ms <= timing.timeout => {
                let mut text = String::new();
                for line in &run.output {
                    if text.len() + line.text.len() + 1 > MAX_PROBE_OUTPUT {
                        break;
                    }
                    text.push_str(&line.text);
                    text.push('\n');
                }
                (code == 0, text.trim_end().to_string())
            }
            _ => (
                false,
                format!(
                    "command {:?} timed out",
                    exec.command.clone().unwrap_or_default().join(" ")
                ),
            ),
        };
    }
    let listener = |port: i32| -> Option<(crate::engine::network::Server, SimTime)> {
        rt.ctrs.iter().find_map(|other| {
            let CState::Running { since } = other.state else {
                return None;
            };
            let ospec = container_spec(pod.spec.as_ref()?, &other.name)?;
            crate::engine::network::container_listens(ospec, port).map(|s| (s, since))
        })
    };
    let resolve = |port: &IntOrString| -> Result<i32, String> {
        match port {
            IntOrString::Int(n) => Ok(*n),
            IntOrString::String(name) => cspec
                .ports
                .iter()
                .flatten()
                .find(|p| p.name.as_deref() == Some(name.as_str()))
                .map(|p| p.container_port)
                .ok_or_else(|| format!("couldn't find port: {name}")),
        }
    };
    if let Some(h) = &probe.http_get {
        let port = match resolve(&h.port) {
            Ok(p) => p,
            Err(e) => return (false, e),
        };
        let host = h.host.clone().filter(|h| !h.is_empty()).unwrap_or(ids.ip);
        let scheme = h.scheme.as_deref().unwrap_or("HTTP").to_ascii_lowercase();
        let path = h.path.as_deref().unwrap_or("/");
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        return match listener(port) {
            Some((server, since)) => {
                let code = server.status(&path, now.since(since));
                if (200..400).contains(&code) {
                    (true, String::new())
                } else {
                    (false, format!("HTTP probe failed with statuscode: {code}"))
                }
            }
            None => (
                false,
                format!(
                    "Get \"{scheme}://{host}:{port}{path}\": dial tcp {host}:{port}: connect: connection refused"
                ),
            ),
        };
    }
    if let Some(t) = &probe.tcp_socket {
        let port = match resolve(&t.port) {
            Ok(p) => p,
            Err(e) => return (false, e),
        };
        let host = t.host.clone().filter(|h| !h.is_empty()).unwrap_or(ids.ip);
        return match listener(port) {
            Some(_) => (true, String::new()),
            None => (
                false,
                format!("dial tcp {host}:{port}: connect: connection refused"),
            ),
        };
    }
    if let Some(g) = &probe.grpc {
        // A gRPC health check: serving when something listens (the health service is
        // assumed to be implemented).
        return match listener(g.port) {
            Some(_) => (true, String::new()),
            None => (
                false,
                format!(
                    "timeout: failed to connect service \"{}:{}\" within {}s: context deadline exceeded",
                    ids.ip,
                    g.port,
                    timing.timeout / SECOND
                ),
            ),
        };
    }
    // No handler (validation rejects it): nothing to fail.
    (true, String::new())
}

/// Whether an init container lets the next container start: a regular one once it exited 0,
/// a sidecar once it started (and its startup probe, if any, passed).
fn init_done(c: &Ctr) -> bool {
    if c.sidecar {
        c.restart_count > 0
            || c.started()
            || matches!(c.state, CState::BackOff { .. } | CState::Done(_))
    } else {
        matches!(&c.state, CState::Done(t) if t.code == 0)
    }
}

/// Plans the run of container `c` starting at `start` (its process's timeline begins when
/// `StartContainer` returns): its environment, what its volume mounts hold then, and the
/// network as the store is now. When the run asked the network, its answers and inputs come
/// back with it, for [`Kubelet::replay_network`].
#[allow(clippy::too_many_arguments)]
fn start_run(
    c: &Ctr,
    cspec: &Container,
    pod: &Pod,
    restart_policy: &str,
    base_env: &std::cell::OnceCell<BTreeMap<String, String>>,
    ids: &PodIds,
    volumes: &Volumes,
    live: &[VolumeChange],
    store: &Store,
    config: &Config,
    start: SimTime,
) -> (sh::Run, Option<Box<NetMemo>>) {
    let env = container_env(pod, ids, cspec, base_env.get_or_init(|| pod_env(pod)));
    // Network programs see the store as it is now, when the container starts, until
    // `replay_network` sees it change (see `network`); files are what its volume mounts hold
    // now.
    let uid = pod.metadata.uid.as_deref().unwrap_or_default();
    let net_seed = hash64(&[uid, &c.name, &c.restart_count.to_string(), "net"]);
    let namespace = pod.metadata.namespace.as_deref().unwrap_or_default();
    // The process sees the shared volumes as they are when it starts, and later what running
    // containers write into them (those planned before it).
    let changes = live_in_container(cspec, live)
        .filter(|((t, _), _)| *t > start)
        .map(|((t, p), content)| (t.since(start), p, content.clone()))
        .collect();
    let net = crate::engine::network::NetHost::new(store, namespace, net_seed)
        .on_node(&ids.node)
        .with_own_pod(pod, &ids.ip)
        .with_files(container_files(pod, ids, cspec, volumes, live, start))
        .with_file_changes(changes);
    let mut host = crate::engine::network::MemoHost::recording(net);
    let run = plan_run(
        pod,
        &env,
        cspec,
        restart_policy,
        c.restart_count,
        config,
        &mut host,
    );
    // Only a run that asked the network is evaluated again when the cluster changes.
    let (queries, files, changes) = host.into_parts();
    let memo = (!queries.is_empty()).then(|| {
        Box::new(NetMemo {
            seed: net_seed,
            env,
            files,
            changes,
            queries,
        })
    });
    (run, memo)
}

/// [`Kubelet::replay_network`] for one pod: whether one of its containers still has network
/// questions ahead, and whether a run was evaluated again.
fn replay_pod_network(
    pod: &Pod,
    rt: &mut PodRuntime,
    store: &Store,
    config: &Config,
    now: SimTime,
) -> (bool, bool) {
    let Some(spec) = pod.spec.as_ref() else {
        return (false, false);
    };
    let restart_policy = spec.restart_policy.as_deref().unwrap_or("Always");
    let namespace = pod.metadata.namespace.as_deref().unwrap_or_default();
    let (mut waiting, mut replayed) = (false, false);
    for c in rt.ctrs.iter_mut() {
        let running = matches!(c.state, CState::Running { .. } | CState::Starting { .. });
        let (Some(memo), Some((start, run)), Some(cspec), true, false) = (
            c.net_memo.as_mut(),
            c.run.as_mut(),
            container_spec(spec, &c.name),
            running,
            c.killing,
        ) else {
            c.net_memo = None;
            continue;
        };
        // Queries up to now happened already (none when the process has not started yet).
        let answered_until = now.millis().checked_sub(start.millis());
        if memo
            .queries
            .iter()
            .all(|q| answered_until.is_some_and(|u| q.at_ms <= u))
        {
            c.net_memo = None;
            continue;
        }
        waiting = true;
        let host = || {
            crate::engine::network::NetHost::new(store, namespace, memo.seed)
                .on_node(&rt.node)
                .with_own_pod(pod, &rt.ip)
        };
        if !crate::engine::network::answers_changed(&mut host(), &memo.queries, answered_until) {
            continue;
        }
        let net = host()
            .with_files(std::mem::take(&mut memo.files))
            .with_file_changes(std::mem::take(&mut memo.changes));
        let old = std::mem::take(&mut memo.queries);
        let mut host = crate::engine::network::MemoHost::replaying(net, old, answered_until);
        *run = plan_run(
            pod,
            &memo.env,
            cspec,
            restart_policy,
            c.restart_count,
            config,
            &mut host,
        );
        (memo.queries, memo.files, memo.changes) = host.into_parts();
        replayed = true;
    }
    (waiting, replayed)
}

/// Steps a container until nothing more changes at `now` (at most 16 steps: pulled → created
/// → started → exited → restarting can all happen in one instant).
fn settle_container(
    c: &mut Ctr,
    pass: &PodPass<'_>,
    agent: &mut NodeAgent,
    volumes: &mut Volumes,
    live: &[VolumeChange],
    out: &mut Outcome,
) {
    for _ in 0..16 {
        if !step_container(c, pass, agent, volumes, live, out) {
            break;
        }
    }
}

/// What every container of one pod sees in one kubelet pass.
#[derive(Clone, Copy)]
struct PodPass<'a> {
    spec: &'a k8s_openapi::api::core::v1::PodSpec,
    pod: &'a Pod,
    restart_policy: &'a str,
    unavailable: &'a BTreeSet<String>,
    base_env: &'a std::cell::OnceCell<BTreeMap<String, String>>,
    ids: &'a PodIds,
    store: &'a Store,
    config: &'a Config,
    now: SimTime,
    ev: &'a dyn Fn(&str, EventType, String, &str) -> EventRecord,
}

fn step_container(
    c: &mut Ctr,
    pass: &PodPass<'_>,
    agent: &mut NodeAgent,
    volumes: &mut Volumes,
    live: &[VolumeChange],
    out: &mut Outcome,
) -> bool {
    let PodPass {
        spec,
        pod,
        restart_policy,
        unavailable,
        base_env,
        ids,
        store,
        config,
        now,
        ev,
    } = *pass;
    let Some(cspec) = container_spec(spec, &c.name) else {
        return false;
    };
    let policy = cspec.image_pull_policy.as_deref().unwrap_or("IfNotPresent");
    match c.state.clone() {
        CState::Pulling { until, first_pull } => {
            if c.killing {
                return false;
            }
            if until <= now
                && first_pull
                && c.run.is_none()
                && c.restart_count == 0
                && c.pull_backoff_ms == 0
            {
                // First look at this container: decide whether a pull is needed.
                let present = agent.images.contains(&c.image);
                if policy == "Never" && !present {
                    c.state = CState::PullFailed {
                        show_backoff_at: now,
                        retry_at: now.plus(10 * SECOND),
                        shown: true,
                    };
                    out.event(ev(
                        "ErrImageNeverPull",
                        EventType::Warning,
                        format!(
                            "Container image \"{}\" is not present with pull policy of Never",
                            c.image
                        ),
                        &c.name,
                    ));
                    return true;
                }
                if policy == "IfNotPresent" && present || policy == "Never" {
                    out.event(ev(
                        "Pulled",
                        EventType::Normal,
                        format!("Container image \"{}\" already present on machine", c.image),
                        &c.name,
                    ));
                    c.state = CState::Pulling {
                        until: now,
                        first_pull: false,
                    };
                    return true;
                }
                let ms = if present {
                    config.image_repull_ms
                } else {
                    config.image_pull_ms
                };
                out.event(ev(
                    "Pulling",
                    EventType::Normal,
                    format!("Pulling image \"{}\"", c.image),
                    &c.name,
                ));
                c.state = CState::Pulling {
                    until: now.plus(ms),
                    first_pull: false,
                };
                return true;
            }
            if until > now {
                return false;
            }
            if !first_pull && unavailable.contains(&c.image) {
                let q = qualified_image(&c.image);
                out.event(ev(
                    "Failed",
                    EventType::Warning,
                    format!("Failed to pull image \"{}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{q}\": failed to resolve reference \"{q}\": {q}: not found", c.image),
                    &c.name,
                ));
                out.event(ev(
                    "Failed",
                    EventType::Warning,
                    "Error: ErrImagePull".to_string(),
                    &c.name,
                ));
                c.pull_backoff_ms = if c.pull_backoff_ms == 0 {
                    10 * SECOND
                } else {
                    (c.pull_backoff_ms * 2).min(5 * MINUTE)
                };
                c.state = CState::PullFailed {
                    show_backoff_at: now.plus(SECOND),
                    retry_at: now.plus(c.pull_backoff_ms),
                    shown: false,
                };
                return true;
            }
            // Pulled (or already present): create and start the container.
            if !agent.images.contains(&c.image) || policy == "Always" {
                if until.since(now) == 0 && !agent.images.contains(&c.image) || policy == "Always" {
                    let took = if agent.images.contains(&c.image) {
                        config.image_repull_ms
                    } else {
                        config.image_pull_ms
                    };
                    out.event(ev(
                        "Pulled",
                        EventType::Normal,
                        format!(
                            "Successfully pulled image \"{}\" in {} ({} including waiting). Image size: {} bytes.",
                            c.image,
                            seconds_str(took),
                            seconds_str(took),
                            image_size(&c.image)
                        ),
                        &c.name,
                    ));
                }
                agent.images.insert(c.image.clone());
            }
            c.pull_backoff_ms = 0;
            // The process starts when `StartContainer` returns; its timeline begins then.
            let start = now.plus(CONTAINER_START_MS);
            let (run, memo) = match annotated_run(pod, cspec, c.restart_count) {
                Some(run) => (run, None),
                None => start_run(
                    c,
                    cspec,
                    pod,
                    restart_policy,
                    base_env,
                    ids,
                    volumes,
                    live,
                    store,
                    config,
                    start,
                ),
            };
            out.event(ev(
                "Created",
                EventType::Normal,
                format!("Created container: {}", c.name),
                &c.name,
            ));
            c.run = Some((start, run));
            c.net_memo = memo;
            c.state = CState::Starting { until: start };
            true
        }
        CState::Starting { until } => {
            if until > now {
                return false;
            }
            out.event(ev(
                "Started",
                EventType::Normal,
                format!("Started container {}", c.name),
                &c.name,
            ));
            c.state = CState::Running { since: until };
            true
        }
        CState::PullFailed {
            show_backoff_at,
            retry_at,
            shown,
        } => {
            if c.killing {
                return false;
            }
            if now >= retry_at {
                out.event(ev(
                    "Pulling",
                    EventType::Normal,
                    format!("Pulling image \"{}\"", c.image),
                    &c.name,
                ));
                c.state = CState::Pulling {
                    until: now.plus(config.image_pull_ms),
                    first_pull: false,
                };
                return true;
            }
            if now >= show_backoff_at && !shown {
                out.event(ev(
                    "BackOff",
                    EventType::Normal,
                    format!("Back-off pulling image \"{}\"", c.image),
                    &c.name,
                ));
                out.event(ev(
                    "Failed",
                    EventType::Warning,
                    "Error: ImagePullBackOff".to_string(),
                    &c.name,
                ));
                c.state = CState::PullFailed {
                    show_backoff_at,
                    retry_at,
                    shown: true,
                };
                return true;
            }
            false
        }
        CState::Running { since } => {
            let Some((start, run)) = &c.run else {
                return false;
            };
            let sh::End::Exit { at_ms, code } = run.end else {
                return false;
            };
            let finished = start.plus(at_ms);
            if finished > now {
                return false;
            }
            // The run is over: what it left in the shared volumes stays for the others.
            keep_files(pod, cspec, &run.files, volumes);
            let reason = match c.exit_reason.take() {
                Some(r) => r,
                None if code == 0 => "Completed".to_string(),
                None => "Error".to_string(),
            };
            let term = Term {
                started: since,
                finished,
                code,
                reason,
                message: None,
            };
            let restart = !c.killing
                && !c.init
                && (restart_policy == "Always"
                    || restart_policy == "OnFailure" && code != 0
                    || c.probe_kill && restart_policy != "Never");
            let restart_init =
                !c.killing && c.init && (c.sidecar || code != 0 && restart_policy != "Never");
            if restart || restart_init {
                // The kubelet's container restart back-off: the first restart is immediate, then
                // 10 s doubling to 5 min; a run of 10 minutes resets it.
                if finished.since(since) >= 10 * MINUTE {
                    c.restart_backoff_ms = 0;
                }
                let delay = c.restart_backoff_ms;
                c.restart_backoff_ms = if delay == 0 {
                    10 * SECOND
                } else {
                    (delay * 2).min(5 * MINUTE)
                };
                c.state = CState::BackOff {
                    until: finished.plus(delay),
                    term,
                };
                if delay > 0 {
                    let pod_name = pod.metadata.name.clone().unwrap_or_default();
                    let ns = pod.metadata.namespace.clone().unwrap_or_default();
                    let uid = pod.metadata.uid.clone().unwrap_or_default();
                    out.event(ev(
                        "BackOff",
                        EventType::Warning,
                        format!(
                            "Back-off restarting failed container {} in pod {pod_name}_{ns}({uid})",
                            c.name
                        ),
                        &c.name,
                    ));
                }
            } else {
                c.state = CState::Done(term);
            }
            true
        }
        CState::BackOff { until, term } => {
            if c.killing || until > now {
                return false;
            }
            c.last_term = Some(term);
            c.restart_count += 1;
            c.probe_kill = false;
            c.exec_files.clear();
            c.previous_run = c.run.take();
            c.net_memo = None;
            let present = agent.images.contains(&c.image);
            if policy == "Always" || !present {
                out.event(ev(
                    "Pulling",
                    EventType::Normal,
                    format!("Pulling image \"{}\"", c.image),
                    &c.name,
                ));
                let ms = if present {
                    config.image_repull_ms
                } else {
                    config.image_pull_ms
                };
                c.state = CState::Pulling {
                    until: now.plus(ms),
                    first_pull: false,
                };
            } else {
                out.event(ev(
                    "Pulled",
                    EventType::Normal,
                    format!("Container image \"{}\" already present on machine", c.image),
                    &c.name,
                ));
                c.state = CState::Pulling {
                    until: now,
                    first_pull: false,
                };
            }
            true
        }
        CState::Done(_) => false,
    }
}

/// What PID 1 of a container does with the SIGTERM the kubelet sends on deletion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TermResponse {
    /// No handler: PID 1 gets no default signal action, so the signal is ignored and the
    /// process runs until its natural end or the SIGKILL at the end of the grace period (137).
    Ignores,
    /// A handler: the process exits at once with this code.
    Exits(i32),
}

/// The documented rule for SIGTERM (see `docs/design.md`, "Termination"):
/// - a shell script (`sh -c`, `bash -c`, ...) ignores it unless it sets a TERM trap; with one it
///   exits promptly, with the trap's `exit N` or else 143;
/// - the interpreter's own programs (`sleep`, `tail -f`, `cat`, ...) and language runtimes
///   without a default handler (`python`, `node`, `perl`, `ruby`, `php`) ignore it;
/// - `java` runs its shutdown hooks and exits 143;
/// - anything else (the image's own entrypoint, `nginx`, `httpd`, `redis-server`, `fluentd`, a
///   server binary) is taken to be a well-behaved server: it exits 0 at once.
///
/// With `shareProcessNamespace: true` the pause container is PID 1, so a program without a
/// handler gets the default action and dies with 143 at once.
fn sigterm_response(argv: &[String], shared_pid_namespace: bool) -> TermResponse {
    let Some(argv0) = argv.first() else {
        return TermResponse::Exits(0);
    };
    let program = argv0.rsplit('/').next().unwrap_or(argv0);
    let ignores = if is_shell(program) {
        let script = argv.iter().skip(1).cloned().collect::<Vec<_>>().join(" ");
        if let Some(code) = term_trap_exit_code(&script) {
            return TermResponse::Exits(code);
        }
        true
    } else if program == "java" {
        return TermResponse::Exits(143);
    } else {
        sh::is_builtin_program(program)
            || matches!(
                program,
                "python" | "python3" | "python2" | "node" | "perl" | "ruby" | "php"
            )
    };
    match (ignores, shared_pid_namespace) {
        (true, false) => TermResponse::Ignores,
        (true, true) => TermResponse::Exits(143),
        (false, _) => TermResponse::Exits(0),
    }
}

/// The exit code of a script that traps TERM (`trap 'exit 0' TERM`): the trap action's
/// `exit N`, else 143 (a `wait` interrupted by the signal returns 128+15 and the script ends).
/// `None` when the script sets no TERM trap. A textual check: the trap is assumed to be set
/// before the signal comes and to run at once (a real shell runs it only when the foreground
/// command returns, which is why `sleep N & wait` is the idiom).
fn term_trap_exit_code(script: &str) -> Option<i32> {
    let mut rest = script;
    while let Some(pos) = rest.find("trap") {
        let after = rest.get(pos + 4..).unwrap_or_default();
        let stmt_end = after.find(['\n', ';']).unwrap_or(after.len());
        // The action is usually quoted and may contain `;`: take it whole.
        let trimmed = after.trim_start();
        let (action, tail) = match trimmed.chars().next() {
            Some(q @ ('\'' | '"')) => {
                let body = trimmed.get(1..).unwrap_or_default();
                match body.find(q) {
                    Some(end) => (
                        body.get(..end).unwrap_or_default(),
                        body.get(end + 1..).unwrap_or_default(),
                    ),
                    None => (body, ""),
                }
            }
            _ => {
                let stmt = after.get(..stmt_end).unwrap_or_default().trim_start();
                let word_end = stmt.find(char::is_whitespace).unwrap_or(stmt.len());
                (
                    stmt.get(..word_end).unwrap_or_default(),
                    stmt.get(word_end..).unwrap_or_default(),
                )
            }
        };
        let sigs_end = tail.find(['\n', ';', '&', '|']).unwrap_or(tail.len());
        let traps_term = tail
            .get(..sigs_end)
            .unwrap_or_default()
            .split_whitespace()
            .any(|w| matches!(w, "TERM" | "SIGTERM" | "15"));
        if traps_term && !action.trim().is_empty() && action.trim() != "-" {
            let code = action
                .split_whitespace()
                .skip_while(|w| *w != "exit")
                .nth(1)
                .and_then(|n| n.trim_end_matches(';').parse::<i32>().ok())
                .unwrap_or(143);
            return Some(code);
        }
        rest = after;
    }
    None
}

/// What field references can read about a running pod.
struct PodIds {
    node: String,
    ip: String,
    host_ip: String,
}

fn next_wake(rt: &PodRuntime, now: SimTime) -> Option<SimTime> {
    let mut best: Option<SimTime> = None;
    let mut consider = |t: SimTime| {
        if t > now {
            best = Some(best.map_or(t, |b| b.min(t)));
        }
    };
    for c in &rt.ctrs {
        match &c.state {
            CState::Pulling { until, .. } => consider(*until),
            CState::PullFailed {
                show_backoff_at,
                retry_at,
                shown,
            } => {
                if !shown {
                    consider(*show_backoff_at);
                }
                consider(*retry_at);
            }
            CState::Running { .. } => {
                let started = c.started();
                for w in &c.workers {
                    if w.wants_tick(started, c.instance()) {
                        consider(w.next_tick);
                    }
                }
                if let Some((start, run)) = &c.run {
                    if let sh::End::Exit { at_ms, .. } = run.end {
                        consider(start.plus(at_ms));
                    }
                }
            }
            CState::BackOff { until, .. } | CState::Starting { until } => consider(*until),
            CState::Done(_) => {}
        }
    }
    best
}

fn k8s_term(t: &Term, container_id: &str) -> ContainerStateTerminated {
    ContainerStateTerminated {
        container_id: Some(container_id.to_string()),
        exit_code: t.code,
        finished_at: Some(t.finished.to_k8s()),
        message: t.message.clone(),
        reason: Some(t.reason.clone()),
        signal: None,
        started_at: Some(t.started.to_k8s()),
    }
}

fn build_status(pod: &Pod, rt: &mut PodRuntime, restart_policy: &str, now: SimTime) -> PodStatus {
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    for c in rt.ctrs.iter_mut() {
        if c.cid.as_ref().map(|(n, _)| *n) != Some(c.restart_count) {
            let id = hex_id(&[&uid, &c.name, &c.restart_count.to_string()], 64);
            c.cid = Some((c.restart_count, format!("containerd://{id}")));
        }
    }
    let mut statuses = Vec::new();
    let mut init_statuses = Vec::new();
    let mut all_ready = true;
    let mut any_running = false;
    let mut all_done = true;
    let mut any_failed = false;
    let mut any_started = false;
    for c in &rt.ctrs {
        let cid = c.cid.as_ref().map(|(_, id)| id.clone()).unwrap_or_default();
        let (state, ready, started) = match &c.state {
            // Restarting: until the new instance runs, the newest instance the runtime knows
            // is the one that exited, so kubectl shows its reason (`Error`, `OOMKilled`).
            CState::Pulling { .. } | CState::Starting { .. }
                if !c.init && c.last_term.is_some() =>
            {
                let prev_cid = format!(
                    "containerd://{}",
                    hex_id(&[&uid, &c.name, &(c.restart_count - 1).to_string()], 64)
                );
                let term = c.last_term.as_ref().map(|t| k8s_term(t, &prev_cid));
                (
                    ContainerState {
                        terminated: term,
                        ..Default::default()
                    },
                    false,
                    false,
                )
            }
            CState::Pulling { .. } | CState::Starting { .. } => {
                let reason = if c.restart_count > 0
                    || c.last_term.is_some()
                    || c.init
                    || rt.ctrs.iter().all(|x| !x.init)
                {
                    "ContainerCreating"
                } else {
                    "PodInitializing"
                };
                (
                    ContainerState {
                        waiting: Some(ContainerStateWaiting {
                            reason: Some(reason.to_string()),
                            message: None,
                        }),
                        ..Default::default()
                    },
                    false,
                    false,
                )
            }
            CState::PullFailed { shown, .. } => {
                let (reason, msg) = if *shown {
                    (
                        "ImagePullBackOff",
                        format!("Back-off pulling image \"{}\"", c.image),
                    )
                } else {
                    (
                        "ErrImagePull",
                        format!(
                            "failed to pull and unpack image \"{}\": not found",
                            qualified_image(&c.image)
                        ),
                    )
                };
                (
                    ContainerState {
                        waiting: Some(ContainerStateWaiting {
                            reason: Some(reason.to_string()),
                            message: Some(msg),
                        }),
                        ..Default::default()
                    },
                    false,
                    false,
                )
            }
            CState::Running { since } => {
                any_running = true;
                any_started = true;
                // A terminating container stays ready while it runs: the prober keeps probing
                // readiness during the grace period and a container without a readiness probe
                // is ready whenever it runs (`prober_manager.go` `UpdatePodStatus`), so kubectl
                // shows `1/1 Terminating`.
                (
                    ContainerState {
                        running: Some(ContainerStateRunning {
                            started_at: Some(since.to_k8s()),
                        }),
                        ..Default::default()
                    },
                    c.ready(),
                    c.started(),
                )
            }
            CState::BackOff { term, until } => {
                any_started = true;
                if *until > now {
                    let pod_name = pod.metadata.name.clone().unwrap_or_default();
                    let ns = pod.metadata.namespace.clone().unwrap_or_default();
                    let secs = until.since(term.finished) / 1000;
                    (ContainerState { waiting: Some(ContainerStateWaiting { reason: Some("CrashLoopBackOff".to_string()), message: Some(format!("back-off {secs}s restarting failed container={} pod={pod_name}_{ns}({uid})", c.name)) }), ..Default::default() }, false, false)
                } else {
                    (
                        ContainerState {
                            terminated: Some(k8s_term(term, &cid)),
                            ..Default::default()
                        },
                        false,
                        false,
                    )
                }
            }
            CState::Done(t) => {
                any_started = true;
                if t.code != 0 {
                    any_failed = true;
                }
                (
                    ContainerState {
                        terminated: Some(k8s_term(t, &cid)),
                        ..Default::default()
                    },
                    false,
                    false,
                )
            }
        };
        if !matches!(c.state, CState::Done(_)) {
            all_done = false;
        }
        let last_state = match (&c.state, &c.last_term) {
            (CState::BackOff { term, until }, _) if *until > now => Some(ContainerState {
                terminated: Some(k8s_term(term, &cid)),
                ..Default::default()
            }),
            (_, Some(t)) => Some(ContainerState {
                terminated: Some(k8s_term(t, &cid)),
                ..Default::default()
            }),
            _ => Some(ContainerState::default()),
        };
        let has_id = !matches!(c.state, CState::Pulling { .. } | CState::PullFailed { .. })
            || c.last_term.is_some();
        let st = ContainerStatus {
            name: c.name.clone(),
            image: c.image.clone(),
            image_id: if has_id {
                c.image_id.clone()
            } else {
                String::new()
            },
            container_id: if has_id { Some(cid) } else { None },
            ready,
            restart_count: c.restart_count,
            started: Some(started),
            state: Some(state),
            last_state,
            ..Default::default()
        };
        // Sidecars count towards the pod's readiness like regular containers.
        if (!c.init || c.sidecar) && !ready {
            all_ready = false;
        }
        if c.init {
            init_statuses.push(st);
        } else {
            statuses.push(st);
        }
    }
    let app: Vec<&Ctr> = rt.ctrs.iter().filter(|c| !c.init).collect();
    let app_done = app.iter().all(|c| matches!(c.state, CState::Done(_)));
    let app_failed = app
        .iter()
        .any(|c| matches!(&c.state, CState::Done(t) if t.code != 0));
    let init_failed = rt
        .ctrs
        .iter()
        .any(|c| c.init && !c.sidecar && matches!(&c.state, CState::Done(t) if t.code != 0));
    let _ = (all_done, any_failed);
    let mut reason = None;
    let mut message = None;
    let phase = if let Some((result, r)) = &rt.pod_result {
        reason = r.clone();
        if let Some(r) = r {
            message = Some(match r.as_str() {
                "Evicted" => "The node was low on resource: memory. ".to_string(),
                other => format!("Pod was terminated: {other}"),
            });
        }
        result.clone()
    } else if init_failed && restart_policy == "Never" {
        "Failed".to_string()
    } else if app_done
        && !app.is_empty()
        && rt
            .ctrs
            .iter()
            .filter(|c| c.sidecar)
            .all(|c| matches!(c.state, CState::Done(_)))
    {
        if app_failed { "Failed" } else { "Succeeded" }.to_string()
    } else if any_running
        || app.iter().any(|c| {
            c.last_term.is_some() || c.run.is_some() && !matches!(c.state, CState::Starting { .. })
        })
    {
        "Running".to_string()
    } else {
        "Pending".to_string()
    };
    let _ = any_started;
    let terminal = phase == "Succeeded" || phase == "Failed";
    let ready_now = all_ready && !terminal && !app.is_empty();
    match (ready_now, rt.ready_since) {
        (true, None) => rt.ready_since = Some(now),
        (false, Some(_)) => {
            rt.ready_since = None;
            rt.not_ready_since = now;
        }
        _ => {}
    }
    let ready_t = rt.ready_since.unwrap_or(rt.not_ready_since);
    let (ready_status, ready_reason) = if ready_now {
        ("True", None)
    } else if terminal {
        ("False", Some("PodCompleted"))
    } else {
        ("False", Some("ContainersNotReady"))
    };
    let not_ready_names: Vec<String> = app
        .iter()
        .zip(statuses.iter())
        .filter(|(_, s)| !s.ready)
        .map(|(c, _)| c.name.clone())
        .collect();
    let ready_msg = if ready_now || terminal {
        None
    } else {
        Some(format!(
            "containers with unready status: [{}]",
            not_ready_names.join(" ")
        ))
    };
    let cond =
        |type_: &str, status: &str, t: SimTime, reason: Option<&str>, message: Option<String>| {
            PodCondition {
                type_: type_.to_string(),
                status: status.to_string(),
                last_transition_time: Some(t.to_k8s()),
                last_probe_time: None,
                reason: reason.map(str::to_string),
                message,
                // PodObservedGenerationTracking (beta in 1.34): the kubelet stamps every
                // condition it writes with the generation it synced.
                observed_generation: pod.metadata.generation,
            }
        };
    let initialized = rt.initialized_at.is_some();
    let scheduled_at = pod
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "PodScheduled"))
        .and_then(|c| c.last_transition_time.clone())
        .map(|t| SimTime::from_k8s(&t))
        .unwrap_or(rt.started);
    let sandbox_ready = !terminal;
    let mut conditions = vec![
        cond(
            "PodReadyToStartContainers",
            if sandbox_ready { "True" } else { "False" },
            rt.started,
            None,
            None,
        ),
        cond(
            "Initialized",
            if initialized { "True" } else { "False" },
            rt.initialized_at.unwrap_or(rt.started),
            if initialized {
                None
            } else {
                Some("ContainersNotInitialized")
            },
            None,
        ),
        cond(
            "Ready",
            ready_status,
            ready_t,
            ready_reason,
            ready_msg.clone(),
        ),
        cond(
            "ContainersReady",
            ready_status,
            ready_t,
            ready_reason,
            ready_msg,
        ),
        cond("PodScheduled", "True", scheduled_at, None, None),
    ];
    // Keep conditions other components own (DisruptionTarget).
    for c in pod
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .into_iter()
        .flatten()
    {
        if !conditions.iter().any(|x| x.type_ == c.type_) {
            conditions.push(c.clone());
        }
    }
    // Conditions that did not change keep their transition time.
    if let Some(old) = pod.status.as_ref().and_then(|s| s.conditions.as_ref()) {
        for c in conditions.iter_mut() {
            if let Some(o) = old
                .iter()
                .find(|o| o.type_ == c.type_ && o.status == c.status)
            {
                c.last_transition_time = o.last_transition_time.clone();
            }
        }
    }
    PodStatus {
        phase: Some(phase),
        conditions: Some(conditions),
        host_ip: Some(rt.host_ip.clone()),
        host_ips: Some(vec![HostIP {
            ip: rt.host_ip.clone(),
        }]),
        pod_ip: Some(rt.ip.clone()),
        pod_ips: Some(vec![PodIP { ip: rt.ip.clone() }]),
        start_time: Some(rt.started.to_k8s()),
        container_statuses: Some(statuses),
        init_container_statuses: if init_statuses.is_empty() {
            None
        } else {
            Some(init_statuses)
        },
        qos_class: Some(qos_class(pod).to_string()),
        reason,
        message,
        observed_generation: pod.metadata.generation,
        ..Default::default()
    }
}

/// The node's `Ready` condition status (`True`, `False`, `Unknown`), if it has one.
pub fn node_ready_status(node: &Node) -> Option<String> {
    node.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
        .map(|c| c.status.clone())
}

/// The conditions a healthy node reports at registration, all with the time `at`.
pub fn node_conditions(at: SimTime) -> Vec<NodeCondition> {
    NodeConditionType::ALL
        .into_iter()
        .filter(|ty| *ty != NodeConditionType::NetworkUnavailable)
        .map(|ty| ty.report(false).condition(ty, Some(at.to_k8s())))
        .collect()
}

/// The kubelet's node status update (`setNodeStatus`: the condition setters of
/// `pkg/kubelet/nodestatus`): the node with the conditions this agent posts and the events of
/// the ones whose status changed, in the setters' order; `None` when every condition already
/// has the status, reason and message it would post (heartbeats are not simulated: the node is
/// written only on a change). A condition keeps its transition time unless its status changes;
/// every posted condition gets the heartbeat `now`. Conditions the kubelet does not own stay.
pub fn post_node_status(
    node: &Node,
    agent: &NodeAgent,
    now: SimTime,
) -> Option<(Node, Vec<&'static str>)> {
    let current = |ty: NodeConditionType| {
        node.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|cs| cs.iter().find(|c| c.type_ == ty.as_str()))
    };
    // Checked on every kubelet pass for every node: no allocation until something changed.
    let wanted = || {
        NodeConditionType::ALL
            .into_iter()
            .filter(|ty| *ty != NodeConditionType::NetworkUnavailable || agent.network_condition)
            .map(|ty| (ty, ty.report(agent.problems.contains(&ty))))
    };
    let settled = wanted().all(|(ty, report)| current(ty).is_some_and(|c| report.matches(c)));
    if settled {
        return None;
    }
    let t = Some(now.to_k8s());
    let mut events = Vec::new();
    let mut n = node.clone();
    let status = n.status.get_or_insert_with(NodeStatus::default);
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    for (ty, report) in wanted() {
        let cond = report.condition(ty, t.clone());
        match conditions.iter_mut().find(|c| c.type_ == ty.as_str()) {
            Some(c) if c.status == report.status => {
                c.reason = cond.reason;
                c.message = cond.message;
                c.last_heartbeat_time = cond.last_heartbeat_time;
            }
            Some(c) => {
                *c = cond;
                events.extend(report.event);
            }
            None => {
                // NetworkUnavailable comes first, as on a node whose network plugin sets it.
                if ty == NodeConditionType::NetworkUnavailable {
                    conditions.insert(0, cond);
                } else {
                    conditions.push(cond);
                }
                events.extend(report.event);
            }
        }
    }
    Some((n, events))
}

#[cfg(test)]
mod node_status_tests {
    //! The condition setters of `pkg/kubelet/nodestatus/setters_test.go`
    //! (`TestMemoryPressureCondition`, `TestDiskPressureCondition`, `TestPIDPressureCondition`,
    //! `TestReadyCondition`): status, reason, message, transition time and the event recorded.

    use super::*;

    fn agent(problems: &[NodeConditionType], network: bool) -> NodeAgent {
        NodeAgent {
            up: true,
            down_since: None,
            index: 1,
            next_ip: 2,
            images: BTreeSet::new(),
            problems: problems.iter().copied().collect(),
            network_condition: network,
        }
    }

    fn healthy_node() -> Node {
        Node {
            status: Some(NodeStatus {
                conditions: Some(node_conditions(SimTime::ZERO)),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    struct Case {
        name: &'static str,
        problems: &'static [NodeConditionType],
        network: bool,
        /// type=status/reason/transition seconds, in the node's order.
        want: &'static [&'static str],
        want_events: &'static [&'static str],
    }

    #[test]
    fn condition_setters() {
        use NodeConditionType::*;
        let cases = [
            Case {
                name: "healthy: nothing to post",
                problems: &[],
                network: false,
                want: &[],
                want_events: &[],
            },
            Case {
                name: "TestMemoryPressureCondition: pressure",
                problems: &[MemoryPressure],
                network: false,
                want: &[
                    "MemoryPressure=True/KubeletHasInsufficientMemory/30",
                    "DiskPressure=False/KubeletHasNoDiskPressure/0",
                    "PIDPressure=False/KubeletHasSufficientPID/0",
                    "Ready=True/KubeletReady/0",
                ],
                want_events: &["NodeHasInsufficientMemory"],
            },
            Case {
                name: "TestDiskPressureCondition and TestPIDPressureCondition: pressure",
                problems: &[DiskPressure, PIDPressure],
                network: false,
                want: &[
                    "MemoryPressure=False/KubeletHasSufficientMemory/0",
                    "DiskPressure=True/KubeletHasDiskPressure/30",
                    "PIDPressure=True/KubeletHasInsufficientPID/30",
                    "Ready=True/KubeletReady/0",
                ],
                want_events: &["NodeHasDiskPressure", "NodeHasInsufficientPID"],
            },
            Case {
                name: "TestReadyCondition: runtime down",
                problems: &[Ready],
                network: false,
                want: &[
                    "MemoryPressure=False/KubeletHasSufficientMemory/0",
                    "DiskPressure=False/KubeletHasNoDiskPressure/0",
                    "PIDPressure=False/KubeletHasSufficientPID/0",
                    "Ready=False/KubeletNotReady/30",
                ],
                want_events: &["NodeNotReady"],
            },
            Case {
                name: "NetworkUnavailable is listed first, with no kubelet event",
                problems: &[NetworkUnavailable],
                network: true,
                want: &[
                    "NetworkUnavailable=True/NoRouteCreated/30",
                    "MemoryPressure=False/KubeletHasSufficientMemory/0",
                    "DiskPressure=False/KubeletHasNoDiskPressure/0",
                    "PIDPressure=False/KubeletHasSufficientPID/0",
                    "Ready=True/KubeletReady/0",
                ],
                want_events: &[],
            },
        ];
        let now = SimTime(30_000);
        for case in cases {
            let a = agent(case.problems, case.network);
            let node = healthy_node();
            let Some((posted, events)) = post_node_status(&node, &a, now) else {
                assert!(case.want.is_empty(), "case {}: nothing posted", case.name);
                continue;
            };
            let got: Vec<String> = posted
                .status
                .iter()
                .flat_map(|s| s.conditions.iter().flatten())
                .map(|c| {
                    let t = c
                        .last_transition_time
                        .as_ref()
                        .map_or(0, |t| SimTime::from_k8s(t).millis() / 1000);
                    format!(
                        "{}={}/{}/{t}",
                        c.type_,
                        c.status,
                        c.reason.as_deref().unwrap_or("-")
                    )
                })
                .collect();
            assert_eq!(got, case.want, "case {}", case.name);
            assert_eq!(events, case.want_events, "case {}", case.name);
            // Posting again is a no-op; clearing the problems posts the good conditions and
            // their events.
            assert!(
                post_node_status(&posted, &a, now).is_none(),
                "case {}",
                case.name
            );
            let cleared = agent(&[], case.network);
            let back = post_node_status(&posted, &cleared, SimTime(40_000)).map(|(_, e)| e);
            let want_back: Vec<&str> = case
                .want_events
                .iter()
                .map(|e| match *e {
                    "NodeHasInsufficientMemory" => "NodeHasSufficientMemory",
                    "NodeHasDiskPressure" => "NodeHasNoDiskPressure",
                    "NodeHasInsufficientPID" => "NodeHasSufficientPID",
                    "NodeNotReady" => "NodeReady",
                    other => other,
                })
                .collect();
            match back {
                Some(e) => assert_eq!(e, want_back, "case {}: cleared", case.name),
                None => panic!("case {}: clearing posted nothing", case.name),
            }
        }
    }
}

#[cfg(test)]
mod tests;
