//! The API server's watch, read side: every write to an object of a watched kind, in order, as
//! the `ADDED` / `MODIFIED` / `DELETED` events a `?watch=true` request streams
//! (`k8s.io/apimachinery/pkg/watch` `EventType`, served by the apiserver's watch cache).
//!
//! A watch sees every resourceVersion, not one summary per tick: a pod bound, given its sandbox
//! and started within one simulated instant produces one event per write, as etcd's watch would
//! deliver them. The store keeps a [`ChangeLog`] only while a watch is open ([`Cluster::open_watch`]),
//! and records only the kinds asked for, so a cluster nobody watches pays one branch per write.
//!
//! The reader (the kubectl layer) drains the log with [`Cluster::take_changes`] and filters by
//! namespace, name, labels and fields itself, as the watch cache's per-watcher filter does.
//!
//! Simplification: the log holds at most [`WATCH_BUFFER`] changes between two reads. Past that
//! the watch is closed, as the API server closes a watcher that falls too far behind (the watch
//! cache's `cacheWatcher` gives up on an unresponsive client); `kubectl get -w` then ends.

use super::api::{Kind, Object};
use super::clock::SimTime;
use super::store::Store;
use super::Cluster;

/// How many changes a watch may have waiting between two reads before it is closed.
pub const WATCH_BUFFER: usize = 2_000;

/// A watch event's type (`watch.EventType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeType {
    /// The object was created.
    Added,
    /// The object was written again (a new resourceVersion).
    Modified,
    /// The object was removed from the store (its finalizers gone).
    Deleted,
}

impl ChangeType {
    /// `ADDED`, `MODIFIED` or `DELETED`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Added => "ADDED",
            ChangeType::Modified => "MODIFIED",
            ChangeType::Deleted => "DELETED",
        }
    }
}

/// One write to a watched object.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// What happened.
    pub change: ChangeType,
    /// The simulated time of the write.
    pub at: SimTime,
    /// The object as written (for a deletion: as it was last stored, with the deletion's
    /// resourceVersion, as the API server sends it).
    pub object: Object,
}

/// The changes recorded since the last read, kept by the store while a watch is open.
#[derive(Debug, Default)]
pub struct ChangeLog {
    kinds: Vec<Kind>,
    now: SimTime,
    changes: Vec<Change>,
    closed: bool,
}

/// A copy of a cluster (a snapshot, a lesson's probe) is not watched: its log records nothing
/// and reads as closed.
impl Clone for ChangeLog {
    fn clone(&self) -> Self {
        ChangeLog {
            closed: true,
            ..ChangeLog::default()
        }
    }
}

impl ChangeLog {
    /// Records one write; `existed` tells a creation from an update. Called by the store.
    pub(crate) fn record(&mut self, obj: &Object, existed: bool) {
        let change = if existed {
            ChangeType::Modified
        } else {
            ChangeType::Added
        };
        self.push(change, obj);
    }

    /// Records an in-place change of a pod (`Store::modify_pod`): one copy, made only if pods
    /// are watched.
    pub(crate) fn record_pod(&mut self, pod: &k8s_openapi::api::core::v1::Pod) {
        if self.wants(Kind::Pod) {
            self.push_owned(ChangeType::Modified, Object::Pod(pod.clone()));
        }
    }

    /// Records a removal. Called by the store with the removed object and the revision the
    /// removal took.
    pub(crate) fn record_removal(&mut self, obj: &Object, revision: u64) {
        if !self.wants(obj.kind()) {
            return;
        }
        let mut obj = obj.clone();
        obj.meta_mut().resource_version = Some(revision.to_string());
        self.push_owned(ChangeType::Deleted, obj);
    }

    /// Whether writes to `kind` are recorded.
    pub(crate) fn wants(&self, kind: Kind) -> bool {
        !self.closed && self.kinds.contains(&kind)
    }

    /// The simulated time from now on (the cluster moves its clock through this).
    pub(crate) fn set_now(&mut self, now: SimTime) {
        self.now = now;
    }

    fn push(&mut self, change: ChangeType, obj: &Object) {
        if self.wants(obj.kind()) {
            self.push_owned(change, obj.clone());
        }
    }

    fn push_owned(&mut self, change: ChangeType, object: Object) {
        if self.changes.len() >= WATCH_BUFFER {
            // Too far behind: the server closes the watch; what was sent stays readable.
            self.closed = true;
            return;
        }
        self.changes.push(Change {
            change,
            at: self.now,
            object,
        });
    }
}

/// What a read of the log found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    /// The changes since the last read, oldest first.
    pub changes: Vec<Change>,
    /// The server closed the watch: more than [`WATCH_BUFFER`] changes came between reads.
    pub closed: bool,
}

impl Store {
    /// Tells an open watch the simulated time: the changes recorded from now on carry it.
    pub(crate) fn watch_clock(&mut self, now: SimTime) {
        if let Some(w) = self.watch.as_deref_mut() {
            w.set_now(now);
        }
    }
}

impl Cluster {
    /// Opens a watch on `kinds`: from now on every write to such an object is kept until
    /// [`Cluster::take_changes`] reads it. Replaces any watch already open.
    pub fn open_watch(&mut self, kinds: &[Kind]) {
        self.store.watch = Some(Box::new(ChangeLog {
            kinds: kinds.to_vec(),
            now: self.now,
            changes: Vec::new(),
            closed: false,
        }));
    }

    /// Closes the watch (nothing is recorded any more).
    pub fn close_watch(&mut self) {
        self.store.watch = None;
    }

    /// Whether a watch is open (a copy of a watched cluster is not).
    pub fn watching(&self) -> bool {
        self.store.watch.as_ref().is_some_and(|w| !w.closed)
    }

    /// The changes recorded since the last read (none when no watch is open). A watch the
    /// server closed is closed here too, once its changes are read.
    pub fn take_changes(&mut self) -> Changes {
        let Some(log) = self.store.watch.as_deref_mut() else {
            return Changes::default();
        };
        let out = Changes {
            changes: std::mem::take(&mut log.changes),
            closed: log.closed,
        };
        if out.closed {
            self.store.watch = None;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::api::ObjectKey;
    use crate::engine::controller::{DeleteOptions, Propagation};

    fn add_node(c: &mut Cluster) {
        let node = Object::from_json(
            Kind::Node,
            serde_json::json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}}),
        )
        .unwrap();
        c.create(node).unwrap();
    }

    fn create_pod(c: &mut Cluster, name: &str) {
        let pod = Object::from_json(
            Kind::Pod,
            serde_json::json!({
                "apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                "spec": {"restartPolicy": "Never", "containers": [
                    {"name": "c", "image": "busybox", "command": ["sh", "-c", "sleep 5"]}
                ]}
            }),
        )
        .unwrap();
        c.create(pod).unwrap();
    }

    fn summary(ch: &Changes) -> Vec<(ChangeType, String)> {
        ch.changes
            .iter()
            .map(|c| (c.change, c.object.name().to_string()))
            .collect()
    }

    #[test]
    fn nothing_is_recorded_without_a_watch() {
        let mut c = Cluster::new(1);
        create_pod(&mut c, "a");
        assert!(!c.watching());
        assert_eq!(c.take_changes(), Changes::default());
    }

    #[test]
    fn every_write_of_a_watched_kind_is_an_event_with_its_resource_version() {
        let mut c = Cluster::new(1);
        add_node(&mut c);
        c.settle();
        c.open_watch(&[Kind::Pod]);
        create_pod(&mut c, "a");
        c.settle();
        c.advance(20_000);
        let ch = c.take_changes();
        let kinds: Vec<ChangeType> = ch.changes.iter().map(|c| c.change).collect();
        assert_eq!(kinds.first(), Some(&ChangeType::Added));
        assert!(
            kinds.len() >= 4,
            "bound, creating, running, completed: {kinds:?}"
        );
        assert!(kinds.iter().skip(1).all(|k| *k == ChangeType::Modified));
        // resourceVersions strictly increase: one event per write.
        let rvs: Vec<u64> = ch
            .changes
            .iter()
            .filter_map(|c| c.object.meta().resource_version.as_deref()?.parse().ok())
            .collect();
        assert!(rvs.windows(2).all(|w| w[0] < w[1]), "{rvs:?}");
        // Times follow the clock: the pod completes 5 s after it started.
        let first = ch.changes.first().map(|c| c.at).unwrap();
        let last = ch.changes.last().map(|c| c.at).unwrap();
        assert!(last.since(first) >= 5_000, "{first:?} .. {last:?}");
        // No node or event writes were recorded.
        assert!(ch.changes.iter().all(|c| c.object.kind() == Kind::Pod));
        // A second read finds nothing new.
        assert!(c.take_changes().changes.is_empty());
    }

    #[test]
    fn a_removal_is_a_deleted_event_and_closing_stops_recording() {
        let mut c = Cluster::new(1);
        create_pod(&mut c, "a");
        c.open_watch(&[Kind::Pod]);
        let key = ObjectKey::new(Kind::Pod, "default", "a");
        let opts = DeleteOptions {
            propagation: Propagation::Background,
            grace_period_seconds: Some(0),
            uid_precondition: None,
        };
        c.delete(&key, &opts).unwrap();
        c.settle();
        let ch = c.take_changes();
        assert_eq!(
            summary(&ch).last(),
            Some(&(ChangeType::Deleted, "a".to_string()))
        );
        c.close_watch();
        create_pod(&mut c, "b");
        assert!(c.take_changes().changes.is_empty());
    }

    #[test]
    fn a_copy_of_a_watched_cluster_is_not_watched() {
        let mut c = Cluster::new(1);
        c.open_watch(&[Kind::Pod]);
        let mut copy = c.clone();
        assert!(!copy.watching());
        create_pod(&mut copy, "a");
        assert!(copy.take_changes().changes.is_empty());
        assert!(c.watching(), "the original still is");
    }

    #[test]
    fn a_watch_that_falls_too_far_behind_is_closed() {
        let mut c = Cluster::new(1);
        c.open_watch(&[Kind::Namespace]);
        for i in 0..=WATCH_BUFFER {
            let ns = Object::from_json(
                Kind::Namespace,
                serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": format!("ns-{i}")}}),
            )
            .unwrap();
            c.create(ns).unwrap();
        }
        let ch = c.take_changes();
        assert_eq!(ch.changes.len(), WATCH_BUFFER);
        assert!(ch.closed);
        assert!(!c.watching());
    }
}
