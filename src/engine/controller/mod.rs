//! Controllers and the shape every one of them shares: read the store, return an [`Outcome`] of
//! [`Action`]s, let [`crate::engine::Cluster`] apply it. Nothing here mutates the store directly.
//!
//! Run order inside one step (see [`crate::engine::Cluster::step`]): node lifecycle → controllers
//! (DaemonSet, Job, TTL-after-finished, EndpointSlice) → scheduler → kubelets → garbage collector.

use crate::engine::api::{Object, ObjectKey};
use crate::engine::clock::SimTime;

pub mod daemonset;
pub mod endpointslice;
pub mod gc;
pub mod job;
pub mod node_lifecycle;
pub mod ratelimit;
pub mod taint_eviction;
pub mod ttl;

/// How a deletion treats the object's dependents (`metav1.DeletionPropagation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Propagation {
    /// Delete the owner now; the garbage collector deletes dependents afterwards (kubectl default).
    #[default]
    Background,
    /// Keep the owner (with the `foregroundDeletion` finalizer) until blocking dependents are gone.
    Foreground,
    /// Strip the owner reference from dependents, which keep running.
    Orphan,
}

impl Propagation {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Propagation::Background => "Background",
            Propagation::Foreground => "Foreground",
            Propagation::Orphan => "Orphan",
        }
    }
}

/// Options of a delete request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeleteOptions {
    /// Cascading policy.
    pub propagation: Propagation,
    /// Grace period override in seconds (pods); `Some(0)` deletes at once.
    pub grace_period_seconds: Option<i64>,
    /// Only delete if the stored object still has this uid.
    pub uid_precondition: Option<String>,
}

/// `Normal` or `Warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventType {
    /// Something expected happened.
    Normal,
    /// Something a user may need to look at.
    Warning,
}

impl EventType {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// An event to record against an object (aggregated into `v1.Event` objects by the cluster).
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    /// The object the event is about.
    pub involved: ObjectKey,
    /// Its uid (events outlive objects; the uid tells incarnations apart).
    pub involved_uid: String,
    /// Normal or Warning.
    pub type_: EventType,
    /// Upstream reason (`SuccessfulCreate`, `FailedScheduling`, ...).
    pub reason: String,
    /// Human message, upstream wording.
    pub message: String,
    /// Reporting component (`daemonset-controller`, `default-scheduler`, `kubelet`, ...).
    pub source: String,
    /// For kubelet events: the node.
    pub host: Option<String>,
    /// For container events: `spec.containers{name}`.
    pub field_path: Option<String>,
}

impl EventRecord {
    /// An event about `obj`.
    pub fn new(
        obj: &Object,
        type_: EventType,
        reason: &str,
        message: impl Into<String>,
        source: &str,
    ) -> Self {
        EventRecord::about(&obj.key(), obj.uid(), type_, reason, message, source)
    }

    /// An event about the object at `involved` with uid `uid` (no copy of the object needed).
    pub fn about(
        involved: &ObjectKey,
        uid: &str,
        type_: EventType,
        reason: &str,
        message: impl Into<String>,
        source: &str,
    ) -> Self {
        EventRecord {
            involved: involved.clone(),
            involved_uid: uid.to_string(),
            type_,
            reason: reason.to_string(),
            message: message.into(),
            source: source.to_string(),
            host: None,
            field_path: None,
        }
    }

    /// Sets the node a kubelet event comes from.
    pub fn on_host(mut self, host: &str) -> Self {
        self.host = Some(host.to_string());
        self
    }

    /// Sets the container field path (`spec.containers{nginx}`).
    pub fn field_path(mut self, path: impl Into<String>) -> Self {
        self.field_path = Some(path.into());
        self
    }
}

/// One write a component asks the cluster to make.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Create through the API (defaulting, validation, `generateName`), as a controller does.
    /// `on_behalf_of` is the owner for the `FailedCreate` event if creation fails.
    Create {
        /// The object to create.
        object: Object,
        /// The owner to blame in a `FailedCreate` event.
        on_behalf_of: Option<ObjectKey>,
    },
    /// Overwrite an object (metadata, spec and status) if it still exists with the same uid.
    /// Removing the last finalizer of a deleted object removes it.
    Update(Object),
    /// Delete through the API.
    Delete {
        /// What to delete.
        key: ObjectKey,
        /// How.
        options: DeleteOptions,
    },
    /// Remove an object from the store at once (the kubelet confirming termination, PodGC's force
    /// delete); finalizers still hold it.
    Remove {
        /// What to remove.
        key: ObjectKey,
        /// Only if it still has this uid.
        uid: String,
    },
    /// Record an event.
    Event(EventRecord),
    /// Replace a pod's status if it still exists with the same uid (the kubelet's status
    /// update): the same as an `Update` with a copy of the pod whose status is replaced, without
    /// the copy.
    PodStatus {
        /// The pod.
        key: ObjectKey,
        /// Only if it still has this uid.
        uid: String,
        /// The new status.
        status: Box<k8s_openapi::api::core::v1::PodStatus>,
    },
    /// Remove a finalizer from a pod if it still exists with the same uid and carries it (the
    /// Job controller's finalizer removal): the same as an `Update` with a copy of the pod
    /// without the finalizer, without the copy. Removing the last finalizer of a deleted pod
    /// removes it.
    RemoveFinalizer {
        /// The pod.
        key: ObjectKey,
        /// Only if it still has this uid.
        uid: String,
        /// The finalizer to remove.
        finalizer: &'static str,
    },
    /// Bind a pod to a node if it still exists with the same uid (the scheduler's binding):
    /// `spec.nodeName` and `PodScheduled=True` set at `at`, the same as an `Update` with a bound
    /// copy of the pod, without the copy.
    Bind {
        /// The pod.
        key: ObjectKey,
        /// Only if it still has this uid.
        uid: String,
        /// The node.
        node: String,
        /// When (the condition's transition time).
        at: SimTime,
    },
}

/// Removes `finalizer` from `meta` (the list becomes `None` when emptied). Returns whether it
/// was there; if not, `meta` is left as it was.
pub(crate) fn remove_finalizer(
    meta: &mut k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    finalizer: &str,
) -> bool {
    let Some(list) = meta.finalizers.as_mut() else {
        return false;
    };
    if !list.iter().any(|f| f == finalizer) {
        return false;
    }
    list.retain(|f| f != finalizer);
    if list.is_empty() {
        meta.finalizers = None;
    }
    true
}

/// What one component run decided.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Writes, in order.
    pub actions: Vec<Action>,
    /// When to run again even if nothing changes (back-off, deadlines).
    pub requeue_at: Option<SimTime>,
}

impl Outcome {
    /// Nothing to do.
    pub fn none() -> Self {
        Outcome::default()
    }

    /// Adds an action.
    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
    }

    /// Records an event.
    pub fn event(&mut self, event: EventRecord) {
        self.actions.push(Action::Event(event));
    }

    /// Asks to run again at `t` (keeps the earliest request).
    pub fn requeue_at(&mut self, t: SimTime) {
        self.requeue_at = Some(match self.requeue_at {
            Some(old) if old <= t => old,
            _ => t,
        });
    }

    /// Merges another outcome into this one.
    pub fn merge(&mut self, other: Outcome) {
        // Actions are large: take the other list whole rather than moving them one by one.
        if self.actions.is_empty() {
            self.actions = other.actions;
        } else {
            self.actions.extend(other.actions);
        }
        if let Some(t) = other.requeue_at {
            self.requeue_at(t);
        }
    }

    /// True if there are no writes (a requeue alone is not a write).
    pub fn is_noop(&self) -> bool {
        self.actions.is_empty()
    }
}
