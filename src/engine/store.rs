//! The object store: one `BTreeMap` keyed by kind, namespace and name (so iteration order is the
//! same on every run and platform), plus a uid index. Only [`crate::engine::Cluster`] writes to it;
//! controllers read it.

use std::collections::BTreeMap;
use std::ops::Bound;

use k8s_openapi::api::core::v1::{Node, Pod};

use crate::engine::api::{Kind, Object, ObjectKey};

/// All stored objects.
#[derive(Debug, Clone, Default)]
pub struct Store {
    objects: BTreeMap<ObjectKey, Object>,
    by_uid: BTreeMap<String, ObjectKey>,
    /// The last resourceVersion handed out; bumps on every write.
    revision: u64,
    /// The revision of the last write to each kind, so components can skip work when nothing
    /// they watch changed.
    kind_revision: BTreeMap<Kind, u64>,
}

impl Store {
    /// An empty store.
    pub fn new() -> Self {
        Store::default()
    }

    /// The last resourceVersion handed out.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The revision of the last write to objects of `kind` (0 if never written).
    pub fn kind_revision(&self, kind: Kind) -> u64 {
        self.kind_revision.get(&kind).copied().unwrap_or(0)
    }

    /// The object at `key`.
    pub fn get(&self, key: &ObjectKey) -> Option<&Object> {
        self.objects.get(key)
    }

    /// The object with this uid.
    pub fn get_by_uid(&self, uid: &str) -> Option<&Object> {
        self.by_uid.get(uid).and_then(|k| self.objects.get(k))
    }

    /// Objects of one kind, in key order (namespace, then name).
    pub fn list(&self, kind: Kind) -> impl Iterator<Item = &Object> {
        let lo = ObjectKey {
            kind,
            namespace: String::new(),
            name: String::new(),
        };
        self.objects
            .range((Bound::Included(lo), Bound::Unbounded))
            .take_while(move |(k, _)| k.kind == kind)
            .map(|(_, o)| o)
    }

    /// Objects of one kind in one namespace, in name order.
    pub fn list_ns<'a>(
        &'a self,
        kind: Kind,
        namespace: &'a str,
    ) -> impl Iterator<Item = &'a Object> {
        let lo = ObjectKey {
            kind,
            namespace: namespace.to_string(),
            name: String::new(),
        };
        self.objects
            .range((Bound::Included(lo), Bound::Unbounded))
            .take_while(move |(k, _)| k.kind == kind && k.namespace == namespace)
            .map(|(_, o)| o)
    }

    /// Number of objects of one kind.
    pub fn count(&self, kind: Kind) -> usize {
        self.list(kind).count()
    }

    /// All pods.
    pub fn pods(&self) -> impl Iterator<Item = &Pod> {
        self.list(Kind::Pod).filter_map(Object::as_pod)
    }

    /// All nodes.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.list(Kind::Node).filter_map(Object::as_node)
    }

    /// The node named `name`.
    pub fn node(&self, name: &str) -> Option<&Node> {
        self.get(&ObjectKey::new(Kind::Node, "", name))
            .and_then(Object::as_node)
    }

    /// The pod `namespace/name`.
    pub fn pod(&self, namespace: &str, name: &str) -> Option<&Pod> {
        self.get(&ObjectKey::new(Kind::Pod, namespace, name))
            .and_then(Object::as_pod)
    }

    /// Every object, in key order.
    pub fn iter(&self) -> impl Iterator<Item = &Object> {
        self.objects.values()
    }

    /// Writes an object, stamping the next resourceVersion. Returns the stored copy.
    pub(crate) fn put(&mut self, mut obj: Object) -> &Object {
        self.revision += 1;
        obj.meta_mut().resource_version = Some(self.revision.to_string());
        let key = obj.key();
        self.kind_revision.insert(key.kind, self.revision);
        if let Some(uid) = obj.meta().uid.clone() {
            self.by_uid.insert(uid, key.clone());
        }
        self.objects.insert(key.clone(), obj);
        // The entry was inserted just above; the fallback only keeps this total.
        self.objects
            .entry(key)
            .or_insert_with(|| Object::Namespace(Default::default()))
    }

    /// Removes an object for good.
    pub(crate) fn remove(&mut self, key: &ObjectKey) -> Option<Object> {
        let obj = self.objects.remove(key)?;
        self.revision += 1;
        self.kind_revision.insert(key.kind, self.revision);
        if let Some(uid) = obj.meta().uid.as_deref() {
            self.by_uid.remove(uid);
        }
        Some(obj)
    }
}
