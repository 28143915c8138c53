//! The deterministic cluster engine: one [`Cluster`] owns the object store, the simulated clock,
//! the seeded RNG, the kubelets' runtime state and every controller's caches. It moves only
//! through [`Cluster::step`], [`Cluster::advance`] and [`Cluster::run_until_idle`]; the same
//! commands with the same seed give byte-identical results natively and in wasm.
//!
//! The API-server side lives here too: `create`, `replace`, `apply`, `patch` and `delete` do
//! defaulting, validation and the metadata machinery (uid, resourceVersion, generation,
//! creationTimestamp, generateName, deletionTimestamp and finalizers).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Event, EventSource, Namespace, NamespaceStatus, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};

pub mod api;
pub mod clock;
pub mod controller;
pub mod decode;
pub mod error;
pub mod events;
pub mod kubelet;
pub mod network;
pub mod patch;
pub mod quantity;
pub mod rng;
pub mod scheduler;
pub mod selector;
pub mod sh;
pub mod sort;
pub mod store;
pub mod validation;
pub mod watch;

use api::{Kind, Object, ObjectKey};
use clock::{Millis, SimTime};
use controller::daemonset::DaemonSetController;
use controller::job::JobController;
use controller::{Action, DeleteOptions, EventRecord, Outcome, Propagation};
use error::ApiError;
use rng::SimRng;
use store::Store;
use validation::FieldError;

/// Finalizer the API server adds for foreground cascading deletion.
pub const FOREGROUND_FINALIZER: &str = "foregroundDeletion";
/// Finalizer the API server adds for orphaning deletion.
pub const ORPHAN_FINALIZER: &str = "orphan";
/// The annotation `kubectl apply` keeps the last applied manifest in.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Tunable facts of the simulation; every default is documented in the README.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// How long pulling an image a node does not have takes.
    pub image_pull_ms: Millis,
    /// How long re-pulling a cached image takes (`imagePullPolicy: Always`).
    pub image_repull_ms: Millis,
    /// How long an unknown program (`perl`, `python`, an image's own entrypoint) runs in a pod
    /// whose restartPolicy is not `Always`. Under `Always` it runs forever, like a server.
    pub unknown_program_ms: Millis,
    /// Node monitor grace period: a node whose kubelet stopped posting turns `Unknown` after it.
    pub node_monitor_grace_ms: Millis,
    /// PodGC's quarantine before deleting pods bound to a node that no longer exists.
    pub pod_gc_quarantine_ms: Millis,
    /// How long events are kept.
    pub event_ttl_ms: Millis,
    /// kube-controller-manager's `--terminated-pod-gc-threshold`: PodGC deletes the oldest
    /// finished pods beyond this many (0 turns it off).
    pub terminated_pod_gc_threshold: usize,
    /// kube-controller-manager's `--kube-api-qps`: the requests a second each controller's
    /// client may send (the DaemonSet and Job controllers' creates, deletes and updates; 0 turns
    /// the limit off).
    pub controller_qps: u64,
    /// kube-controller-manager's `--kube-api-burst`.
    pub controller_burst: u64,
    /// The most pods the simulated API server holds; creating one more is refused. Not a
    /// Kubernetes setting: it keeps a runaway workload (a Job with `parallelism: 2147483647`)
    /// from exhausting the page's memory. Real clusters are tested up to 150,000 pods.
    pub max_pods: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            image_pull_ms: 2_000,
            image_repull_ms: 500,
            unknown_program_ms: 10_000,
            node_monitor_grace_ms: 50_000,
            pod_gc_quarantine_ms: 40_000,
            event_ttl_ms: 3_600_000,
            terminated_pod_gc_threshold: 12_500,
            controller_qps: controller::ratelimit::CONTROLLER_MANAGER_QPS,
            controller_burst: controller::ratelimit::CONTROLLER_MANAGER_BURST,
            max_pods: 30_000,
        }
    }
}

/// What `apply` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyResult {
    /// The object did not exist.
    Created,
    /// The object changed.
    Configured,
    /// Nothing changed.
    Unchanged,
}

impl ApplyResult {
    /// kubectl's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            ApplyResult::Created => "created",
            ApplyResult::Configured => "configured",
            ApplyResult::Unchanged => "unchanged",
        }
    }
}

/// Patch flavours `kubectl patch --type` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    /// RFC 7386 JSON merge patch.
    Merge,
    /// RFC 6902 JSON patch.
    Json,
    /// Strategic merge patch (applied as a merge patch; lists are replaced).
    Strategic,
}

/// The components of one step, in run order; each may ask to be woken at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Component {
    NodeLifecycle,
    DaemonSet,
    Job,
    TtlAfterFinished,
    EndpointSlice,
    Scheduler,
    Kubelet,
    Gc,
    /// The events.k8s.io/v1 broadcaster's tickers (see [`events::Broadcaster`]).
    EventBroadcaster,
}

/// The simulated world.
#[derive(Debug, Clone)]
pub struct Cluster {
    store: Store,
    now: SimTime,
    rng: SimRng,
    seed: u64,
    config: Config,
    /// Runtime state of every node's kubelet and container.
    pub kubelet: kubelet::Kubelet,
    scheduler: scheduler::Scheduler,
    daemonsets: DaemonSetController,
    jobs: JobController,
    node_lifecycle: controller::node_lifecycle::NodeLifecycle,
    gc: controller::gc::GarbageCollector,
    wakes: BTreeMap<Component, SimTime>,
    /// Store revision after the last settle; equal to the current one means nothing changed.
    settled_revision: Option<u64>,
    event_seq: u64,
    /// The event recorder's correlator (aggregation, counts, spam filter).
    correlator: events::Correlator,
    /// The scheduler's events.k8s.io/v1 broadcaster (isomorphic events become a series).
    broadcaster: events::Broadcaster,
    /// The Service ClusterIP allocator's next offset into `10.96.0.0/12` (see `api::service`).
    next_cluster_ip: u32,
    /// The spec of the last pod created through the API or by the Job controller that passed
    /// validation (a cache: see [`Cluster::create_key`]).
    valid_pod_spec: Option<Box<k8s_openapi::api::core::v1::PodSpec>>,
    /// The labels and annotations of the last such pod whose metadata passed validation (the
    /// same kind of cache).
    #[allow(clippy::type_complexity)]
    valid_pod_labels: Option<
        Box<(
            Option<BTreeMap<String, String>>,
            Option<BTreeMap<String, String>>,
        )>,
    >,
}

/// Rounds of the component loop one settle may run before giving up (a safety net against two
/// components fighting; a healthy cluster settles in a handful).
const MAX_SETTLE_ROUNDS: usize = 64;

impl Cluster {
    /// A cluster with no nodes, the four standard namespaces, and RNG seed `seed`.
    pub fn new(seed: u64) -> Self {
        let mut c = Cluster {
            store: Store::new(),
            now: SimTime::ZERO,
            rng: SimRng::new(seed),
            seed,
            config: Config::default(),
            kubelet: kubelet::Kubelet::default(),
            scheduler: scheduler::Scheduler::default(),
            daemonsets: DaemonSetController::default(),
            jobs: JobController::default(),
            node_lifecycle: Default::default(),
            gc: Default::default(),
            wakes: BTreeMap::new(),
            settled_revision: None,
            event_seq: 0,
            correlator: Default::default(),
            broadcaster: Default::default(),
            next_cluster_ip: api::service::FIRST_DYNAMIC_OFFSET,
            valid_pod_spec: None,
            valid_pod_labels: None,
        };
        for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            let obj = Object::Namespace(Namespace {
                metadata: ObjectMeta {
                    name: Some(ns.to_string()),
                    ..Default::default()
                },
                ..Default::default()
            });
            // Creating the built-in namespaces cannot fail on an empty store.
            let _ = c.create(obj);
        }
        let _ = c.create(Object::Service(api::service::kubernetes_service()));
        c
    }

    /// The seed this cluster was created with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Read access to every stored object.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The simulation's tunables.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Mutable tunables (for tests and lessons).
    pub fn config_mut(&mut self) -> &mut Config {
        &mut self.config
    }

    /// The RNG (the kubectl layer uses it for `sim` verbs that pick at random).
    pub fn rng(&mut self) -> &mut SimRng {
        &mut self.rng
    }

    /// Looks an object up.
    pub fn get(&self, key: &ObjectKey) -> Result<&Object, ApiError> {
        self.store
            .get(key)
            .ok_or_else(|| ApiError::not_found(key.kind, &key.name))
    }

    // ---------------------------------------------------------------------------------------
    // API server
    // ---------------------------------------------------------------------------------------

    /// `POST`: creates an object with defaulting, validation and fresh metadata.
    pub fn create(&mut self, obj: Object) -> Result<Object, ApiError> {
        let kind = obj.kind();
        let key = self.create_key(obj, true)?;
        self.store
            .get(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(kind, &key.name))
    }

    /// [`Cluster::create`], returning only the created object's key. With `remember_spec`, a
    /// pod whose spec (labels and annotations) pass validation leaves them in
    /// `valid_pod_spec` (`valid_pod_labels`), so the next pod with equal
    /// ones skips those checks (a Job's pods share them; a DaemonSet's pods differ per node, so
    /// the DaemonSet controller's creates pass false).
    fn create_key(&mut self, mut obj: Object, remember_spec: bool) -> Result<ObjectKey, ApiError> {
        let kind = obj.kind();
        self.check_namespace(&mut obj)?;
        if obj.name().is_empty() {
            if let Some(prefix) = obj.meta().generate_name.clone().filter(|p| !p.is_empty()) {
                // The API server truncates the prefix so the whole name fits in 63 characters.
                let max_prefix = 63 - 5;
                let prefix: String = prefix.chars().take(max_prefix).collect();
                let mut name = format!("{prefix}{}", self.rng.name_suffix(5));
                let mut tries = 0;
                while self
                    .store
                    .get(&ObjectKey::new(kind, obj.namespace(), &name))
                    .is_some()
                    && tries < 8
                {
                    name = format!("{prefix}{}", self.rng.name_suffix(5));
                    tries += 1;
                }
                obj.meta_mut().name = Some(name);
            }
        }
        if kind == Kind::Pod && self.store.count(Kind::Pod) >= self.config.max_pods {
            return Err(ApiError::forbidden(format!(
                "pods \"{}\" is forbidden: kubeplay's simulated cluster holds at most {} pods; \
                 delete some, or lower the workload's parallelism",
                obj.name(),
                self.config.max_pods
            )));
        }
        default_object(&mut obj);
        let m = obj.meta();
        // Label and annotation checks are a function of the two maps alone.
        let known_meta = kind == Kind::Pod
            && self
                .valid_pod_labels
                .as_deref()
                .is_some_and(|(l, a)| *l == m.labels && *a == m.annotations);
        let mut errs = validation::validate_object_meta_parts(
            m,
            kind.namespaced(),
            name_rule(kind),
            !known_meta,
        );
        if remember_spec && !known_meta && kind == Kind::Pod && errs.is_empty() {
            self.valid_pod_labels = Some(Box::new((m.labels.clone(), m.annotations.clone())));
        }
        match &obj {
            // The spec checks are a function of the spec alone: an equal spec passes again.
            Object::Pod(p)
                if p.spec.is_some() && p.spec.as_ref() == self.valid_pod_spec.as_deref() =>
            {
                errs.extend(validation::validate_pod_deletion_cost(
                    &p.metadata,
                    "metadata.annotations",
                ));
            }
            _ => {
                let kind_errs = validate_kind(&obj, None);
                if let (true, true, Object::Pod(p)) = (remember_spec, kind_errs.is_empty(), &obj) {
                    self.valid_pod_spec = p.spec.clone().map(Box::new);
                }
                errs.extend(kind_errs);
            }
        }
        if !errs.is_empty() {
            return Err(ApiError::invalid(kind, obj.name(), errs));
        }
        let key = obj.key();
        if self.store.get(&key).is_some() {
            return Err(ApiError::already_exists(kind, obj.name()));
        }
        let uid = self.rng.uuid();
        if let Object::Pod(pod) = &mut obj {
            if let Some(spec) = pod.spec.as_mut() {
                api::defaults::add_service_account_volume(spec, &uid);
            }
        }
        {
            let m = obj.meta_mut();
            m.uid = Some(uid);
            m.creation_timestamp = Some(self.now.to_k8s());
            m.resource_version = None;
            m.deletion_timestamp = None;
            m.deletion_grace_period_seconds = None;
            m.generation = if has_generation(kind) { Some(1) } else { None };
            m.managed_fields = None;
            m.self_link = None;
        }
        prepare_for_create(&mut obj, self.now);
        if let Object::Service(svc) = &mut obj {
            let allocated =
                api::service::allocated_offsets(self.store.list(Kind::Service).filter_map(|o| {
                    match o {
                        Object::Service(s) => Some(s),
                        _ => None,
                    }
                }));
            api::service::allocate(svc, &allocated, &mut self.next_cluster_ip)
                .map_err(|e| ApiError::invalid(kind, &key.name, vec![e]))?;
            self.allocate_node_ports(svc, None)
                .map_err(|e| ApiError::invalid(kind, &key.name, vec![e]))?;
        }
        if let Object::Node(node) = &mut obj {
            self.kubelet.register_node(node);
        }
        self.store.put(obj);
        Ok(key)
    }

    /// Gives `svc` its node ports (see [`api::service::allocate_node_ports`]); `old` is the
    /// Service being updated.
    fn allocate_node_ports(
        &mut self,
        svc: &mut k8s_openapi::api::core::v1::Service,
        old: Option<&k8s_openapi::api::core::v1::Service>,
    ) -> Result<(), validation::FieldError> {
        let me = (&svc.metadata.namespace, &svc.metadata.name);
        let in_use = api::service::allocated_node_ports(self.store.list(Kind::Service).filter_map(
            |o| match o {
                Object::Service(s) if (&s.metadata.namespace, &s.metadata.name) != me => Some(s),
                _ => None,
            },
        ));
        let rng = &mut self.rng;
        api::service::allocate_node_ports(svc, old, &in_use, &mut |n| rng.below(n))
    }

    /// `PUT`: replaces an object's spec and metadata; status is kept (status subresource).
    pub fn replace(&mut self, mut obj: Object) -> Result<Object, ApiError> {
        self.check_namespace(&mut obj)?;
        let key = obj.key();
        let old = self.get(&key)?.clone();
        if let Some(rv) = obj.meta().resource_version.as_deref() {
            if Some(rv) != old.meta().resource_version.as_deref() {
                return Err(ApiError::conflict(format!(
                    "Operation cannot be fulfilled on {} \"{}\": the object has been modified; please apply your changes to the latest version and try again",
                    key.kind.resource_group(),
                    key.name
                )));
            }
        }
        default_object(&mut obj);
        keep_server_fields(&mut obj, &old);
        prepare_for_update(&mut obj, &old);
        let mut errs = validation::validate_object_meta(
            obj.meta(),
            key.kind.namespaced(),
            name_rule(key.kind),
        );
        errs.extend(validate_kind(&obj, Some(&old)));
        if !errs.is_empty() {
            return Err(ApiError::invalid(key.kind, &key.name, errs));
        }
        if let (Object::Service(svc), Object::Service(before)) = (&mut obj, &old) {
            self.allocate_node_ports(svc, Some(before))
                .map_err(|e| ApiError::invalid(key.kind, &key.name, vec![e]))?;
        }
        if obj.spec_json() != old.spec_json() && has_generation(key.kind) {
            let g = old.meta().generation.unwrap_or(1) + 1;
            obj.meta_mut().generation = Some(g);
        }
        obj.meta_mut().resource_version = old.meta().resource_version.clone();
        if obj == old {
            return Ok(old);
        }
        let stored = self.store.put(obj).clone();
        self.finish_if_unblocked(&key);
        Ok(stored)
    }

    /// Client-side `kubectl apply`: create if missing, otherwise a three-way merge of the new
    /// manifest, the last applied one (annotation) and the live object.
    pub fn apply(&mut self, obj: Object) -> Result<(Object, ApplyResult), ApiError> {
        let mut obj = obj;
        self.check_namespace(&mut obj)?;
        let mut manifest = obj.to_json();
        // kubectl's `GetModifiedConfiguration`: the annotations map, made if missing, without
        // the annotation itself — so the recorded manifest has `"annotations":{}`.
        if let Some(meta) = manifest
            .pointer_mut("/metadata")
            .and_then(serde_json::Value::as_object_mut)
        {
            let ann = meta
                .entry("annotations")
                .or_insert_with(|| serde_json::json!({}));
            if let Some(map) = ann.as_object_mut() {
                map.remove(LAST_APPLIED);
            }
        }
        let manifest_text = serde_json::to_string(&manifest).unwrap_or_default();
        let key = obj.key();
        let Some(live) = self.store.get(&key).cloned() else {
            obj.meta_mut()
                .annotations
                .get_or_insert_with(Default::default)
                .insert(LAST_APPLIED.to_string(), format!("{manifest_text}\n"));
            let created = self.create(obj)?;
            return Ok((created, ApplyResult::Created));
        };
        let last: serde_json::Value = live
            .meta()
            .annotations
            .as_ref()
            .and_then(|a| a.get(LAST_APPLIED))
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or(serde_json::Value::Null);
        let mut merged = live.to_json();
        patch::apply_three_way(&mut merged, &last, &manifest);
        if let Some(a) = merged
            .pointer_mut("/metadata")
            .and_then(|m| m.as_object_mut())
        {
            let ann = a
                .entry("annotations")
                .or_insert_with(|| serde_json::Value::Object(Default::default()));
            if let Some(ann) = ann.as_object_mut() {
                ann.insert(
                    LAST_APPLIED.to_string(),
                    serde_json::Value::String(format!("{manifest_text}\n")),
                );
            }
        }
        let mut new = Object::from_json(key.kind, merged)
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        new.meta_mut().resource_version = None;
        let before = live.meta().resource_version.clone();
        let stored = self.replace(new)?;
        let result = if stored.meta().resource_version == before {
            ApplyResult::Unchanged
        } else {
            ApplyResult::Configured
        };
        Ok((stored, result))
    }

    /// `PATCH`: applies a merge, JSON or strategic patch to the live object, then updates it.
    pub fn patch(
        &mut self,
        key: &ObjectKey,
        patch_type: PatchType,
        patch: &serde_json::Value,
    ) -> Result<Object, ApiError> {
        let live = self.get(key)?.clone();
        let mut value = live.to_json();
        match patch_type {
            PatchType::Merge | PatchType::Strategic => {
                if !patch.is_object() {
                    return Err(ApiError::bad_request(
                        "json: cannot unmarshal array into Go value of type map[string]interface {}",
                    ));
                }
                if patch_type == PatchType::Strategic {
                    patch::strategic_merge_patch(&mut value, patch)
                } else {
                    patch::merge_patch(&mut value, patch)
                }
            }
            PatchType::Json => {
                patch::json_patch(&mut value, patch).map_err(ApiError::bad_request)?
            }
        }
        let status = value.get("status").cloned();
        let mut new = Object::from_json(key.kind, value).map_err(|e| {
            ApiError::bad_request(format!(
                "{} in version \"{}\" cannot be handled as a {}: {e}",
                key.kind.as_str(),
                key.kind.info().version,
                key.kind.as_str()
            ))
        })?;
        if new.key() != *key {
            return Err(ApiError::bad_request(
                "the name of the object does not match the name on the URL",
            ));
        }
        new.meta_mut().resource_version = None;
        let _ = status;
        self.replace(new)
    }

    /// `DELETE` with kubectl's options.
    pub fn delete(&mut self, key: &ObjectKey, options: &DeleteOptions) -> Result<Object, ApiError> {
        let live = self.get(key)?;
        if let Some(uid) = &options.uid_precondition {
            if uid != live.uid() {
                return Err(ApiError::conflict(format!(
                    "Precondition failed: UID in precondition: {uid}, UID in object meta: {}",
                    live.uid()
                )));
            }
        }
        match live {
            Object::Pod(_) => Ok(self.delete_pod(key, options)),
            Object::Namespace(ns) => {
                if matches!(
                    key.name.as_str(),
                    "default" | "kube-system" | "kube-public" | "kube-node-lease"
                ) {
                    return Err(ApiError::forbidden(format!(
                        "namespaces \"{}\" is forbidden: this namespace may not be deleted",
                        key.name
                    )));
                }
                let mut ns = ns.clone();
                if ns.metadata.deletion_timestamp.is_none() {
                    ns.metadata.deletion_timestamp = Some(self.now.to_k8s());
                    ns.status = Some(NamespaceStatus {
                        phase: Some("Terminating".to_string()),
                        ..Default::default()
                    });
                    return Ok(self.store.put(Object::Namespace(ns)).clone());
                }
                Ok(Object::Namespace(ns))
            }
            obj => {
                let obj = obj.clone();
                Ok(self.delete_with_propagation(obj, options.propagation))
            }
        }
    }

    /// Deletes the pod stored at `key` (the caller checked it is one). A pod removed at once is
    /// moved out of the store, not copied: PodGC deletes thousands of finished pods.
    fn delete_pod(&mut self, key: &ObjectKey, options: &DeleteOptions) -> Object {
        let Some(Object::Pod(pod)) = self.store.get(key) else {
            return Object::Pod(Default::default());
        };
        let bound = pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_ref())
            .is_some();
        let terminal = matches!(
            pod.status.as_ref().and_then(|s| s.phase.as_deref()),
            Some("Succeeded" | "Failed")
        );
        let default_grace = pod
            .spec
            .as_ref()
            .and_then(|s| s.termination_grace_period_seconds)
            .unwrap_or(30);
        let mut grace = options.grace_period_seconds.unwrap_or(default_grace);
        if !bound || terminal {
            grace = 0;
        }
        // CheckGracefulDelete: a negative period (e.g. a negative
        // terminationGracePeriodSeconds, which validation accepts) becomes 1.
        if grace < 0 {
            grace = 1;
        }
        let has_finalizers = !pod
            .metadata
            .finalizers
            .as_deref()
            .unwrap_or_default()
            .is_empty();
        if let Some(existing) = pod.metadata.deletion_grace_period_seconds {
            // Already terminating: only a shorter grace period changes anything.
            if grace >= existing {
                return Object::Pod(pod.clone());
            }
        }
        if grace == 0 && !has_finalizers {
            return self
                .store
                .remove(key)
                .unwrap_or_else(|| Object::Pod(Default::default()));
        }
        let mut pod = pod.clone();
        let secs = u64::try_from(grace).unwrap_or(0);
        pod.metadata.deletion_timestamp = Some(self.now.plus(secs * 1000).to_k8s());
        pod.metadata.deletion_grace_period_seconds = Some(grace);
        self.store.put(Object::Pod(pod)).clone()
    }

    fn delete_with_propagation(&mut self, mut obj: Object, propagation: Propagation) -> Object {
        let key = obj.key();
        let finalizer = match propagation {
            Propagation::Background => None,
            Propagation::Foreground => Some(FOREGROUND_FINALIZER),
            Propagation::Orphan => Some(ORPHAN_FINALIZER),
        };
        let m = obj.meta_mut();
        if let Some(f) = finalizer {
            let list = m.finalizers.get_or_insert_with(Vec::new);
            if !list.iter().any(|x| x == f) {
                list.push(f.to_string());
            }
        }
        if m.finalizers.as_deref().unwrap_or_default().is_empty() {
            self.store.remove(&key);
            if key.kind == Kind::Node {
                self.kubelet.unregister_node(&key.name);
            }
            return obj;
        }
        if m.deletion_timestamp.is_none() {
            m.deletion_timestamp = Some(self.now.to_k8s());
            m.deletion_grace_period_seconds = Some(0);
        }
        self.store.put(obj).clone()
    }

    /// Removes an object whose deletion was only waiting for its finalizers, once they are gone.
    fn finish_if_unblocked(&mut self, key: &ObjectKey) {
        let Some(obj) = self.store.get(key) else {
            return;
        };
        let m = obj.meta();
        if m.deletion_timestamp.is_none() || !m.finalizers.as_deref().unwrap_or_default().is_empty()
        {
            return;
        }
        // A pod that is still running keeps its object until the kubelet has stopped it.
        if let Object::Pod(p) = obj {
            let bound = p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some();
            let terminal = matches!(
                p.status.as_ref().and_then(|s| s.phase.as_deref()),
                Some("Succeeded" | "Failed")
            );
            let grace = m.deletion_grace_period_seconds.unwrap_or(0);
            if bound && !terminal && grace > 0 {
                return;
            }
        }
        self.store.remove(key);
    }

    fn check_namespace(&self, obj: &mut Object) -> Result<(), ApiError> {
        let kind = obj.kind();
        if !kind.namespaced() {
            obj.meta_mut().namespace = None;
            return Ok(());
        }
        if obj.namespace().is_empty() {
            obj.meta_mut().namespace = Some("default".to_string());
        }
        let ns = obj.namespace().to_string();
        match self.store.get_named(Kind::Namespace, "", &ns) {
            None => Err(ApiError::not_found(Kind::Namespace, &ns)),
            Some(n) if n.meta().deletion_timestamp.is_some() && kind != Kind::Event => {
                Err(ApiError::forbidden(format!(
                    "{} \"{}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
                    kind.resource_group(),
                    obj.name()
                )))
            }
            Some(_) => Ok(()),
        }
    }

    /// Records an event as a component's event recorder does: through client-go's correlator
    /// ([`events`]: repeats counted on one object, similar events combined, a spam filter), then
    /// creating or updating the Event object.
    ///
    /// kube-scheduler's events go through the events.k8s.io/v1 recorder instead
    /// ([`Cluster::record_v1`]).
    pub fn record(&mut self, mut rec: EventRecord) {
        if let Some(action) = events::v1_action(&rec.source, &rec.reason) {
            self.record_v1(rec, action);
            return;
        }
        let now = self.now;
        let seq = &mut self.event_seq;
        let involved_name = rec.involved.name.as_str();
        let Some(c) = self
            .correlator
            .correlate(&rec, now, || event_name(seq, involved_name, now))
        else {
            return;
        };
        let key = event_key(&rec, c.name);
        let ts = now.to_k8s();
        if let Some(Object::Event(ev)) = self.store.get(&key) {
            let mut ev = ev.clone();
            ev.count = Some(c.count);
            ev.message = Some(c.message);
            ev.last_timestamp = Some(ts);
            self.store.put(Object::Event(ev));
            return;
        }
        let source = std::mem::take(&mut rec.source);
        // `ref.GetReference` of the object the component holds: its resourceVersion too.
        let resource_version = self.involved_resource_version(&rec);
        let ev = Event {
            metadata: ObjectMeta {
                name: Some(key.name.clone()),
                namespace: Some(key.namespace.clone()),
                uid: Some(self.rng.uuid()),
                creation_timestamp: Some(ts.clone()),
                ..Default::default()
            },
            involved_object: ObjectReference {
                api_version: Some(rec.involved.kind.api_version()),
                kind: Some(rec.involved.kind.as_str().to_string()),
                name: Some(rec.involved.name),
                namespace: if rec.involved.namespace.is_empty() {
                    None
                } else {
                    Some(rec.involved.namespace)
                },
                uid: Some(rec.involved_uid),
                field_path: rec.field_path.take(),
                resource_version,
            },
            reason: Some(rec.reason),
            message: Some(c.message),
            source: Some(EventSource {
                component: Some(source.clone()),
                host: rec.host.clone(),
            }),
            first_timestamp: Some(c.first.to_k8s()),
            last_timestamp: Some(ts),
            count: Some(c.count),
            type_: Some(rec.type_.as_str().to_string()),
            reporting_component: Some(source),
            reporting_instance: Some(rec.host.take().unwrap_or_default()),
            ..Default::default()
        };
        self.store.put_at(key, Object::Event(ev));
    }

    /// Records an event as client-go's events.k8s.io/v1 recorder does (`recorderImpl.eventf`,
    /// then the broadcaster's `recordToSink`): `regarding` carries the resourceVersion the
    /// component saw; an isomorphic repeat becomes a series, written at once on the second
    /// occurrence and by the broadcaster's tickers after that.
    fn record_v1(&mut self, rec: EventRecord, action: &'static str) {
        self.flush_event_series();
        let now = self.now;
        let resource_version = self.involved_resource_version(&rec);
        let seq = &mut self.event_seq;
        let involved_name = rec.involved.name.clone();
        let write = self
            .broadcaster
            .observe(rec, resource_version, action, now, || {
                event_name(seq, &involved_name, now)
            });
        if let Some(ev) = write {
            self.write_v1_event(ev);
        }
        self.wake_event_broadcaster();
    }

    /// The resourceVersion of the object an event is about, as the recording component holds
    /// it (the stored one; none if that incarnation is gone).
    fn involved_resource_version(&self, rec: &EventRecord) -> Option<String> {
        self.store
            .get(&rec.involved)
            .filter(|o| o.uid() == rec.involved_uid)
            .and_then(|o| o.meta().resource_version.clone())
    }

    /// Runs the events.k8s.io/v1 broadcaster's ticks due by now and writes the series they
    /// finish or refresh.
    fn flush_event_series(&mut self) {
        for ev in self.broadcaster.tick(self.now) {
            self.write_v1_event(ev);
        }
        self.wake_event_broadcaster();
    }

    /// Asks to step again when the broadcaster has a series count to write.
    fn wake_event_broadcaster(&mut self) {
        match self.broadcaster.next_write() {
            Some(t) => {
                self.wakes.insert(Component::EventBroadcaster, t);
            }
            None => {
                self.wakes.remove(&Component::EventBroadcaster);
            }
        }
    }

    /// `recordEvent` of the v1 broadcaster, as the core/v1 API shows the result: a series is
    /// patched onto the existing object (created again if it is gone); anything else is created.
    /// The conversion leaves `firstTimestamp`/`lastTimestamp` unset (null), `count` unset and
    /// `source` empty; `reportingController` becomes `reportingComponent`.
    fn write_v1_event(&mut self, ev: events::V1Event) {
        let key = event_key(&ev.rec, ev.name);
        let micro = |t: SimTime| MicroTime(t.to_k8s().0);
        let series = ev.series.map(|s| k8s_openapi::api::core::v1::EventSeries {
            count: Some(s.count),
            last_observed_time: Some(micro(s.last_observed)),
        });
        if ev.series.is_some() {
            if let Some(Object::Event(old)) = self.store.get(&key) {
                let mut patched = old.clone();
                patched.series = series;
                self.store.put(Object::Event(patched));
                return;
            }
        }
        let rec = ev.rec;
        let instance = format!("{}-{}", rec.source, events::CONTROL_PLANE_HOST);
        let event = Event {
            metadata: ObjectMeta {
                name: Some(key.name.clone()),
                namespace: Some(key.namespace.clone()),
                uid: Some(self.rng.uuid()),
                creation_timestamp: Some(self.now.to_k8s()),
                ..Default::default()
            },
            involved_object: ObjectReference {
                api_version: Some(rec.involved.kind.api_version()),
                kind: Some(rec.involved.kind.as_str().to_string()),
                namespace: (!rec.involved.namespace.is_empty()).then_some(rec.involved.namespace),
                name: Some(rec.involved.name),
                uid: Some(rec.involved_uid),
                field_path: rec.field_path,
                resource_version: ev.resource_version,
            },
            reason: Some(rec.reason),
            message: Some(rec.message),
            source: Some(EventSource::default()),
            type_: Some(rec.type_.as_str().to_string()),
            event_time: Some(micro(ev.event_time)),
            series,
            action: Some(ev.action.to_string()),
            reporting_component: Some(rec.source),
            reporting_instance: Some(instance),
            ..Default::default()
        };
        self.store.put_at(key, Object::Event(event));
    }

    // ---------------------------------------------------------------------------------------
    // Time
    // ---------------------------------------------------------------------------------------

    /// Runs every component once at the current instant, in the fixed order, and applies what
    /// they decide. Returns true if anything was written.
    pub fn step(&mut self) -> bool {
        let before = self.store.revision();
        let now = self.now;
        self.flush_event_series();
        self.ensure_kubernetes_service();
        let out = self
            .node_lifecycle
            .sync(&self.store, &self.kubelet, &self.config, now);
        self.apply_outcome(Component::NodeLifecycle, out);
        let (qps, burst) = (self.config.controller_qps, self.config.controller_burst);
        self.daemonsets.set_client_rate(qps, burst);
        self.jobs.set_client_rate(qps, burst);
        self.gc.set_client_rate(qps, burst);
        let out = self.daemonsets.sync(&self.store, now);
        self.apply_outcome(Component::DaemonSet, out);
        let out = self.jobs.sync(&self.store, now);
        self.apply_outcome(Component::Job, out);
        let out = controller::ttl::sync(&self.store, now);
        self.apply_outcome(Component::TtlAfterFinished, out);
        let out = controller::endpointslice::sync(&self.store, now);
        self.apply_outcome(Component::EndpointSlice, out);
        let out = self.scheduler.sync(&self.store, now);
        self.apply_outcome(Component::Scheduler, out);
        let out = self.kubelet.sync(&self.store, &self.config, now);
        self.apply_outcome(Component::Kubelet, out);
        let out = self.gc.sync(&self.store, &self.config, now);
        self.apply_outcome(Component::Gc, out);
        self.store.revision() != before
    }

    /// The API server's bootstrap controller (`pkg/controlplane/controller/kubernetesservice`):
    /// the `kubernetes` Service in `default` comes back when deleted (`kubectl delete all
    /// --all` deletes it on a real cluster too).
    fn ensure_kubernetes_service(&mut self) {
        let key = ObjectKey::new(Kind::Service, "default", "kubernetes");
        let ns = ObjectKey::new(Kind::Namespace, "", "default");
        let ns_live = self
            .store
            .get(&ns)
            .is_some_and(|n| n.meta().deletion_timestamp.is_none());
        if ns_live && self.store.get(&key).is_none() {
            let _ = self.create(Object::Service(api::service::kubernetes_service()));
        }
    }

    /// Runs steps at the current instant until nothing changes. Does nothing (and scans
    /// nothing) when no object changed since the last settle and no timer is due.
    pub fn settle(&mut self) {
        let due = self.next_wake().is_some_and(|t| t <= self.now);
        if self.settled_revision == Some(self.store.revision()) && !due {
            return;
        }
        for _ in 0..MAX_SETTLE_ROUNDS {
            if !self.step() {
                break;
            }
        }
        self.settled_revision = Some(self.store.revision());
    }

    /// The earliest time a component asked to be woken at, if any.
    pub fn next_wake(&self) -> Option<SimTime> {
        self.wakes.values().min().copied()
    }

    /// Moves simulated time forward by `ms`, waking components at each timer on the way.
    pub fn advance(&mut self, ms: Millis) {
        let target = self.now.plus(ms);
        self.advance_to(target);
    }

    /// Moves simulated time forward to `target`.
    pub fn advance_to(&mut self, target: SimTime) {
        self.settle();
        // Bounded: every iteration moves time forward or settles a due timer.
        for _ in 0..1_000_000 {
            match self.next_wake() {
                Some(t) if t <= target => {
                    if t > self.now {
                        self.now = t;
                        self.store.watch_clock(t);
                    }
                    let before = self.wakes.clone();
                    self.settled_revision = None;
                    self.settle();
                    // A component that keeps asking for a past time would loop: drop it.
                    if self.next_wake().is_some_and(|w| w <= self.now) && self.wakes == before {
                        let now = self.now;
                        self.wakes.retain(|_, w| *w > now);
                    }
                }
                _ => break,
            }
        }
        if target > self.now {
            self.now = target;
            self.store.watch_clock(target);
            self.settle();
        }
    }

    /// Jumps from timer to timer until no component has anything scheduled or `limit_ms` of
    /// simulated time has passed. Returns true if the cluster went idle within the limit.
    pub fn run_until_idle(&mut self, limit_ms: Millis) -> bool {
        let deadline = self.now.plus(limit_ms);
        self.settle();
        loop {
            match self.next_wake() {
                Some(t) if t <= deadline => self.advance_to(t.max(self.now)),
                Some(_) => {
                    self.advance_to(deadline);
                    return false;
                }
                None => return true,
            }
        }
    }

    fn apply_outcome(&mut self, component: Component, out: Outcome) {
        match out.requeue_at {
            Some(t) => {
                self.wakes.insert(component, t);
            }
            None => {
                self.wakes.remove(&component);
            }
        }
        for action in out.actions {
            self.apply_action(action);
        }
    }

    /// Applies one component action. Failures become events on the owner, as controllers
    /// report them.
    pub fn apply_action(&mut self, action: Action) {
        match action {
            Action::Create {
                object,
                on_behalf_of,
            } => {
                let kind = object.kind();
                // A DaemonSet's pods differ per node (node affinity): remembering would only copy.
                let remember_spec = on_behalf_of
                    .as_ref()
                    .is_none_or(|k| k.kind != Kind::DaemonSet);
                let res = self.create_key(object, remember_spec);
                if let Some(owner_key) = on_behalf_of {
                    if let Some(owner_uid) = self.store.get(&owner_key).map(|o| o.uid().to_string())
                    {
                        let source = controller_source(owner_key.kind);
                        // The pod-control helper's events; only here is the generated name known.
                        let event = match &res {
                            Err(e) => Some((
                                controller::EventType::Warning,
                                "FailedCreate",
                                format!("Error creating: {}", e.message),
                            )),
                            Ok(created) if kind == Kind::Pod => Some((
                                controller::EventType::Normal,
                                "SuccessfulCreate",
                                format!("Created pod: {}", created.name),
                            )),
                            Ok(_) => None,
                        };
                        if let Some((type_, reason, message)) = event {
                            self.record(EventRecord::about(
                                &owner_key, &owner_uid, type_, reason, message, source,
                            ));
                        }
                    }
                }
            }
            Action::Update(obj) => {
                let key = obj.key();
                let Some(live) = self.store.get(&key) else {
                    return;
                };
                if live.uid() != obj.uid() {
                    return;
                }
                if *live == obj {
                    return;
                }
                let mut obj = obj;
                obj.meta_mut().resource_version = live.meta().resource_version.clone();
                if *live == obj {
                    return;
                }
                self.store.put(obj);
                self.finish_if_unblocked(&key);
            }
            Action::Delete { key, options } => {
                let _ = self.delete(&key, &options);
            }
            Action::Remove { key, uid } => {
                let Some(live) = self.store.get(&key) else {
                    return;
                };
                if live.uid() != uid {
                    return;
                }
                if live
                    .meta()
                    .finalizers
                    .as_deref()
                    .unwrap_or_default()
                    .is_empty()
                {
                    self.store.remove(&key);
                    if key.kind == Kind::Node {
                        self.kubelet.unregister_node(&key.name);
                    }
                } else if live.meta().deletion_timestamp.is_none() {
                    let mut obj = live.clone();
                    obj.meta_mut().deletion_timestamp = Some(self.now.to_k8s());
                    obj.meta_mut().deletion_grace_period_seconds = Some(0);
                    self.store.put(obj);
                }
            }
            Action::Event(rec) => self.record(rec),
            Action::PodStatus { key, uid, status } => {
                let Some(Object::Pod(live)) = self.store.get(&key) else {
                    return;
                };
                if live.metadata.uid.as_deref().unwrap_or_default() != uid
                    || live.status.as_ref() == Some(&*status)
                {
                    return;
                }
                self.store.modify_pod(&key, |p| {
                    p.status = Some(*status);
                    true
                });
                self.finish_if_unblocked(&key);
            }
            Action::RemoveFinalizer {
                key,
                uid,
                finalizer,
            } => {
                let Some(live) = self.store.get(&key) else {
                    return;
                };
                if live.uid() != uid {
                    return;
                }
                if key.kind == Kind::Pod {
                    if !self.store.modify_pod(&key, |p| {
                        controller::remove_finalizer(&mut p.metadata, finalizer)
                    }) {
                        return;
                    }
                } else {
                    let mut obj = live.clone();
                    if !controller::remove_finalizer(obj.meta_mut(), finalizer) {
                        return;
                    }
                    self.store.put(obj);
                }
                self.finish_if_unblocked(&key);
            }
            Action::Bind { key, uid, node, at } => {
                let Some(Object::Pod(live)) = self.store.get(&key) else {
                    return;
                };
                if live.metadata.uid.as_deref().unwrap_or_default() != uid {
                    return;
                }
                if self
                    .store
                    .modify_pod(&key, |p| scheduler::bind_in_place(p, &node, at))
                {
                    self.finish_if_unblocked(&key);
                }
            }
        }
    }

    /// Sets the node's simulated kubelet running or stopped (`sim node up|down`).
    pub fn set_node_up(&mut self, node: &str, up: bool) -> Result<(), ApiError> {
        if self.store.node(node).is_none() {
            return Err(ApiError::not_found(Kind::Node, node));
        }
        self.kubelet.set_up(node, up, self.now);
        self.settled_revision = None;
        Ok(())
    }

    /// `sim node condition`: the node's kubelet reports `type_` as `status` from its next pass
    /// (see [`kubelet::Kubelet::set_condition`]). The error is the message for a bad status.
    pub fn set_node_condition(
        &mut self,
        node: &str,
        type_: kubelet::NodeConditionType,
        status: &str,
    ) -> Result<(), String> {
        self.kubelet.set_condition(node, type_, status)?;
        self.settled_revision = None;
        Ok(())
    }

    /// Makes an image unpullable (`sim image remove`) or pullable again (`sim image add`).
    pub fn set_image_available(&mut self, image: &str, available: bool) {
        self.kubelet.set_image_available(image, available);
        self.settled_revision = None;
    }

    /// Forces a simulated failure or success on a pod's containers (`sim pod fail|succeed`).
    pub fn inject(&mut self, key: &ObjectKey, fault: kubelet::Fault) -> Result<(), ApiError> {
        let pod = self
            .store
            .pod(&key.namespace, &key.name)
            .ok_or_else(|| ApiError::not_found(Kind::Pod, &key.name))?
            .clone();
        self.kubelet
            .inject(&pod, fault, self.now)
            .map_err(ApiError::bad_request)?;
        self.settled_revision = None;
        self.settle();
        Ok(())
    }

    /// `kubectl exec`: runs `command` in a running container of the pod, now; what it writes
    /// stays in the container until it restarts. The caller moves time on by the run's length.
    pub fn exec(
        &mut self,
        key: &ObjectKey,
        container: &str,
        command: &[String],
        limits: &sh::Limits,
    ) -> Result<sh::Run, kubelet::ExecError> {
        let pod = self
            .store
            .pod(&key.namespace, &key.name)
            .ok_or(kubelet::ExecError::NotRunning)?;
        let run = self
            .kubelet
            .exec(&self.store, pod, container, command, self.now, limits)?;
        self.settled_revision = None;
        Ok(run)
    }

    /// A node's simulated kubelet (`None` for a node without one).
    pub fn node_agent(&self, node: &str) -> Option<&kubelet::NodeAgent> {
        self.kubelet.agent(node)
    }

    /// The logs of a container as `kubectl logs` prints them.
    pub fn logs(
        &self,
        key: &ObjectKey,
        container: Option<&str>,
        previous: bool,
    ) -> Result<String, ApiError> {
        let mut out = String::new();
        for (_, line) in self.log_lines(key, container, previous)? {
            out.push_str(line);
            out.push('\n');
        }
        Ok(out)
    }

    /// The lines of [`Cluster::logs`], each with the instant it was written.
    pub fn log_lines(
        &self,
        key: &ObjectKey,
        container: Option<&str>,
        previous: bool,
    ) -> Result<Vec<(SimTime, &str)>, ApiError> {
        let pod = self
            .store
            .pod(&key.namespace, &key.name)
            .ok_or_else(|| ApiError::not_found(Kind::Pod, &key.name))?;
        self.kubelet
            .log_lines(pod, container, previous, self.now)
            .map_err(ApiError::bad_request)
    }
}

/// Where the Event object `name` about `rec`'s object is stored: in that object's namespace
/// (`default` for a cluster-scoped one, as kubectl's events show node events).
fn event_key(rec: &EventRecord, name: String) -> ObjectKey {
    let namespace = if rec.involved.namespace.is_empty() {
        "default".to_string()
    } else {
        rec.involved.namespace.clone()
    };
    ObjectKey {
        kind: Kind::Event,
        namespace,
        name,
    }
}

/// An event object's name, `{name}.{nanos:x}` as client-go's recorders make it (`seq` keeps
/// names made in the same simulated instant apart), without the formatting machinery (this runs
/// for every event).
fn event_name(seq: &mut u64, involved_name: &str, now: SimTime) -> String {
    *seq += 1;
    let nanos = (clock::EPOCH_UNIX_SECONDS as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(now.millis().saturating_mul(1_000_000))
        .saturating_add(*seq);
    let mut name = String::with_capacity(involved_name.len() + 17);
    name.push_str(involved_name);
    name.push('.');
    push_hex(&mut name, nanos);
    name
}

/// Appends `v` in lower-case hex without leading zeros (`format!("{v:x}")`).
fn push_hex(s: &mut String, v: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [0u8; 16];
    let mut i = buf.len();
    let mut v = v;
    loop {
        i -= 1;
        if let Some(b) = buf.get_mut(i) {
            *b = DIGITS.get((v & 0xf) as usize).copied().unwrap_or(b'0');
        }
        v >>= 4;
        if v == 0 || i == 0 {
            break;
        }
    }
    for b in buf.get(i..).unwrap_or_default() {
        s.push(char::from(*b));
    }
}

/// The event source of the controller that creates objects on behalf of an owner of `kind`.
fn controller_source(kind: Kind) -> &'static str {
    match kind {
        Kind::DaemonSet => "daemonset-controller",
        Kind::Job => "job-controller",
        _ => "controller-manager",
    }
}

/// The name rule of each kind's registry strategy.
fn name_rule(kind: Kind) -> validation::NameRule {
    match kind {
        Kind::Namespace => validation::NameRule::DnsLabel,
        Kind::Service => validation::NameRule::Dns1035Label,
        _ => validation::NameRule::DnsSubdomain,
    }
}

fn has_generation(kind: Kind) -> bool {
    matches!(kind, Kind::DaemonSet | Kind::Job | Kind::Pod)
}

/// Defaulting for every kind (before validation).
fn default_object(obj: &mut Object) {
    match obj {
        Object::Pod(p) => {
            let spec = p.spec.get_or_insert_with(Default::default);
            api::defaults::admit_pod_spec(spec);
        }
        Object::DaemonSet(ds) => {
            if let Some(spec) = ds.spec.as_mut() {
                if let Some(ps) = spec.template.spec.as_mut() {
                    api::defaults::default_pod_spec(ps);
                }
            }
            api::daemonset::default(ds);
        }
        Object::Job(job) => {
            if let Some(spec) = job.spec.as_mut() {
                if let Some(ps) = spec.template.spec.as_mut() {
                    api::defaults::default_pod_spec(ps);
                }
            }
            api::job::default(job);
        }
        Object::Service(svc) => api::service::default(svc),
        Object::Namespace(ns) => api::defaults::default_namespace(ns),
        Object::EndpointSlice(slice) => api::defaults::default_endpoint_slice(slice),
        _ => {}
    }
}

fn validate_kind(obj: &Object, old: Option<&Object>) -> Vec<FieldError> {
    match (obj, old) {
        (Object::Pod(p), old) => {
            let mut errs = match &p.spec {
                Some(spec) => {
                    let mut errs =
                        validation::validate_pod_deletion_cost(&p.metadata, "metadata.annotations");
                    errs.extend(validation::validate_pod_spec(spec, "spec"));
                    errs.extend(validation::validate_pod_only(spec, "spec"));
                    if old.is_none() {
                        errs.extend(validation::validate_pod_create(spec, "spec"));
                    }
                    errs
                }
                None => vec![FieldError::required("spec", "")],
            };
            if let Some(Object::Pod(o)) = old {
                errs.extend(validate_pod_update(p, o));
            }
            errs
        }
        (Object::DaemonSet(ds), Some(Object::DaemonSet(o))) => {
            api::daemonset::validate_update(ds, o)
        }
        (Object::DaemonSet(ds), _) => api::daemonset::validate(ds),
        (Object::Job(j), Some(Object::Job(o))) => api::job::validate_update(j, o),
        (Object::Job(j), _) => api::job::validate(j),
        (Object::Service(s), Some(Object::Service(o))) => {
            let mut errs = api::service::validate_update(s, o);
            errs.extend(api::service::validate(s));
            errs
        }
        (Object::Service(s), _) => api::service::validate(s),
        (Object::Node(n), _) => api::node::validate(n),
        _ => Vec::new(),
    }
}

/// Pod updates may change only a few spec fields (`ValidatePodUpdate`): container lists keep
/// their length; `activeDeadlineSeconds` may only be set or lowered; tolerations may only be
/// added (`tolerationSeconds` may change); everything else but images must stay. Upstream
/// appends a `cmp.Diff` of the specs to the last message; that diff is not reproduced.
fn validate_pod_update(
    new: &k8s_openapi::api::core::v1::Pod,
    old: &k8s_openapi::api::core::v1::Pod,
) -> Vec<FieldError> {
    let (Some(ns), Some(os)) = (&new.spec, &old.spec) else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    // ValidateContainerUpdates (image Required is already reported by the spec validation).
    let init_len =
        |s: &k8s_openapi::api::core::v1::PodSpec| s.init_containers.as_ref().map_or(0, Vec::len);
    for (name, changed) in [
        ("containers", ns.containers.len() != os.containers.len()),
        ("initContainers", init_len(ns) != init_len(os)),
    ] {
        if changed {
            errs.push(FieldError::forbidden(
                format!("spec.{name}"),
                "pod updates may not add or remove containers",
            ));
            return errs;
        }
    }
    let ads_path = "spec.activeDeadlineSeconds";
    match (ns.active_deadline_seconds, os.active_deadline_seconds) {
        (Some(n), _) if !(0..=i64::from(i32::MAX)).contains(&n) => {
            errs.push(FieldError::invalid(
                ads_path,
                n,
                validation::inclusive_range_error(0, i64::from(i32::MAX)),
            ));
            return errs;
        }
        (Some(n), Some(o)) if o < n => {
            errs.push(FieldError::invalid(
                ads_path,
                n,
                "must be less than or equal to previous value",
            ));
            return errs;
        }
        (None, Some(_)) => errs.push(FieldError::invalid(
            ads_path,
            validation::ErrorValue::Str("null".into()),
            "must not update from a positive integer to nil value",
        )),
        _ => {}
    }
    // validateOnlyAddedTolerations: every old toleration must still be there (its
    // tolerationSeconds may change).
    let new_tols = ns.tolerations.as_deref().unwrap_or_default();
    let kept = |o: &k8s_openapi::api::core::v1::Toleration| {
        new_tols.iter().any(|n| {
            let mut o = o.clone();
            o.toleration_seconds = n.toleration_seconds;
            &o == n
        })
    };
    if !os.tolerations.iter().flatten().all(kept) {
        errs.push(FieldError::forbidden(
            "spec.tolerations",
            "existing toleration can not be modified except its tolerationSeconds",
        ));
    }
    let mut a = ns.clone();
    let mut b = os.clone();
    // Mutable: images, activeDeadlineSeconds, tolerations (checked above), a negative
    // terminationGracePeriodSeconds set to 1; nodeName is set by binding.
    for (ca, cb) in a.containers.iter_mut().zip(b.containers.iter_mut()) {
        ca.image = None;
        cb.image = None;
    }
    for (ca, cb) in a
        .init_containers
        .iter_mut()
        .flatten()
        .zip(b.init_containers.iter_mut().flatten())
    {
        ca.image = None;
        cb.image = None;
    }
    a.active_deadline_seconds = None;
    b.active_deadline_seconds = None;
    a.tolerations = None;
    b.tolerations = None;
    if b.termination_grace_period_seconds.is_some_and(|g| g < 0)
        && a.termination_grace_period_seconds == Some(1)
    {
        a.termination_grace_period_seconds = b.termination_grace_period_seconds;
    }
    if a.node_name.is_none() {
        a.node_name = b.node_name.clone();
    }
    if a != b {
        errs.push(FieldError::forbidden(
            "spec",
            "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
        ));
    }
    errs
}

/// Copies what only the server sets from the stored object into an update.
fn keep_server_fields(obj: &mut Object, old: &Object) {
    {
        let (m, o) = (obj.meta_mut(), old.meta());
        m.uid = o.uid.clone();
        m.creation_timestamp = o.creation_timestamp.clone();
        m.generation = o.generation;
        m.deletion_timestamp = o.deletion_timestamp.clone();
        m.deletion_grace_period_seconds = o.deletion_grace_period_seconds;
        if m.owner_references.is_none() {
            m.owner_references = o.owner_references.clone();
        }
        if m.finalizers.is_none() {
            m.finalizers = o.finalizers.clone();
        }
    }
    match (obj, old) {
        (Object::Pod(n), Object::Pod(o)) => {
            n.status = o.status.clone();
            if let (Some(ns), Some(os)) = (n.spec.as_mut(), o.spec.as_ref()) {
                if ns.node_name.is_none() {
                    ns.node_name = os.node_name.clone();
                }
            }
        }
        (Object::DaemonSet(n), Object::DaemonSet(o)) => n.status = o.status.clone(),
        (Object::Job(n), Object::Job(o)) => n.status = o.status.clone(),
        (Object::Node(n), Object::Node(o)) => {
            n.status = o.status.clone();
        }
        (Object::Namespace(n), Object::Namespace(o)) => n.status = o.status.clone(),
        (Object::Service(n), Object::Service(o)) => {
            n.status = o.status.clone();
            if let (Some(ns), Some(os)) = (n.spec.as_mut(), o.spec.as_ref()) {
                if ns.cluster_ip.is_none() {
                    ns.cluster_ip = os.cluster_ip.clone();
                    ns.cluster_ips = os.cluster_ips.clone();
                }
                if ns.ip_families.is_none() {
                    ns.ip_families = os.ip_families.clone();
                }
                if ns.ip_family_policy.is_none() {
                    ns.ip_family_policy = os.ip_family_policy.clone();
                }
            }
        }
        _ => {}
    }
}

/// What the registry strategies do on create after metadata is assigned.
fn prepare_for_create(obj: &mut Object, _now: SimTime) {
    match obj {
        Object::Pod(p) => {
            p.status = Some(kubelet::initial_pod_status(p));
        }
        Object::DaemonSet(ds) => {
            ds.status = None;
            api::daemonset::prepare_for_create(ds);
        }
        Object::Job(job) => {
            job.status = None;
            api::job::prepare_for_create(job);
        }
        Object::Namespace(ns) => {
            ns.spec
                .get_or_insert_with(|| k8s_openapi::api::core::v1::NamespaceSpec {
                    finalizers: Some(vec!["kubernetes".to_string()]),
                });
            ns.status = Some(NamespaceStatus {
                phase: Some("Active".to_string()),
                ..Default::default()
            });
        }
        _ => {}
    }
}

fn prepare_for_update(obj: &mut Object, old: &Object) {
    match (obj, old) {
        (Object::DaemonSet(n), Object::DaemonSet(o)) => api::daemonset::prepare_for_update(n, o),
        (Object::Job(n), Object::Job(o)) => api::job::prepare_for_update(n, o),
        (Object::Service(n), Object::Service(o)) => api::service::prepare_for_update(n, o),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn push_hex_writes_what_format_does() {
        for v in [
            0,
            1,
            15,
            16,
            255,
            0x1234_abcd,
            u64::MAX,
            1_700_000_000_000_000_123,
        ] {
            let mut s = String::from("x.");
            super::push_hex(&mut s, v);
            assert_eq!(s, format!("x.{v:x}"));
        }
    }
}
