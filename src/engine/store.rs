//! The object store: the objects in numbered slots found by key through a hash index, one
//! `BTreeMap` of every key in kind, namespace and name order (so iteration order is the same on
//! every run and platform), plus a uid index. Only [`crate::engine::Cluster`] writes to it;
//! controllers read it.
//!
//! A few secondary indices, kept up to date on every write, let components visit only the objects
//! that can need work instead of every object: pods that are not yet settled (see
//! [`is_settled_pod`]), dependents by owner uid, objects being deleted, and events by last
//! timestamp. All are `BTreeMap`/`BTreeSet`s of keys, so visiting them keeps key order; the
//! ordered ones map each key to the object's slot, so a walk reads the objects without hashing.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::ops::Bound;

use hashbrown::HashTable;
use k8s_openapi::api::core::v1::{Node, Pod};

use crate::engine::clock::SimTime;

use crate::engine::api::{Kind, Object, ObjectKey};

/// A fixed hasher, the same on every run and platform, that takes its input a word at a time
/// (the multiply-add step of rustc's `FxHasher`, then murmur3's finalizer). The keys it hashes
/// (object keys, uids, the event correlator's keys of 100+ bytes) are hashed on every lookup and
/// again whenever a table grows, and FNV-1a's byte-at-a-time loop made that a visible share of a
/// large run. Its values never reach output: a `LookupMap` is never iterated.
#[derive(Clone, Copy, Default)]
struct WordHasher(u64);

/// `FxHasher`'s 64-bit multiplier.
const WORD_HASH_K: u64 = 0xf135_7aea_2e62_a9c5;

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = self.0.wrapping_add(word).wrapping_mul(WORD_HASH_K);
    }
}

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        // The multiply-add steps carry a difference only towards the high bits (node names that
        // differ in their last byte differ only in the top byte of their word), while hashbrown
        // takes the bucket from the low bits: murmur3's `fmix64` spreads every bit over all.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.add(u64::from_le_bytes(
                <[u8; 8]>::try_from(w).unwrap_or_default(),
            ));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            // Shifted in byte by byte (a copy into a buffer compiles to a `memcpy` call).
            let mut last = 0u64;
            for (i, b) in rest.iter().enumerate() {
                last |= u64::from(*b) << (8 * i);
            }
            // The length keeps "ab" + "c" apart from "a" + "bc" within one key.
            self.add(last ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

// A hash map only behind `LookupMap`, which offers no iteration: its order cannot reach output.
#[allow(clippy::disallowed_types)]
type WordMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<WordHasher>>;

/// A hash map that can be looked up and written but never iterated (so it keeps the engine
/// deterministic), for the store's exact-key lookups; ordered walks use `BTreeSet`s of keys.
/// `retain` visits entries in hash order, so it takes only a pure test.
#[derive(Clone)]
pub(crate) struct LookupMap<K, V>(WordMap<K, V>);

impl<K, V> Default for LookupMap<K, V> {
    fn default() -> Self {
        LookupMap(WordMap::default())
    }
}

impl<K, V> std::fmt::Debug for LookupMap<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LookupMap({} entries)", self.0.len())
    }
}

impl<K: Hash + Eq, V> LookupMap<K, V> {
    pub(crate) fn get<Q: Hash + Eq + ?Sized>(&self, k: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.0.get(k)
    }

    pub(crate) fn get_mut<Q: Hash + Eq + ?Sized>(&mut self, k: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.0.get_mut(k)
    }

    pub(crate) fn insert(&mut self, k: K, v: V) -> Option<V> {
        self.0.insert(k, v)
    }

    pub(crate) fn contains_key<Q: Hash + Eq + ?Sized>(&self, k: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.0.contains_key(k)
    }

    /// Keeps the entries `keep` accepts. It sees them in no particular order, so it must be a
    /// pure test: its only effect is its answer.
    pub(crate) fn retain(&mut self, keep: impl FnMut(&K, &mut V) -> bool) {
        self.0.retain(keep);
    }

    fn remove<Q: Hash + Eq + ?Sized>(&mut self, k: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.0.remove(k)
    }
}

/// A slot number in [`Objects`]: stable while its object is stored.
type SlotId = u32;

/// The stored objects, each in a numbered slot that keeps its number until the object is
/// removed, and a hash index from key to slot (`HashTable` holds only the key's hash and the
/// slot number; a lookup compares the key with the object's own kind, namespace and name). The ordered indices of [`Store`] map
/// keys to slot numbers, so an ordered walk reaches each object without hashing or comparing
/// its key again. Never iterated in slot order, so slot numbers cannot reach output.
#[derive(Clone, Default)]
struct Objects {
    slots: Vec<Option<Box<Object>>>,
    /// Empty slots, reused last-freed first.
    free: Vec<SlotId>,
    table: HashTable<(u64, SlotId)>,
}

impl std::fmt::Debug for Objects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Objects({} stored)", self.table.len())
    }
}

/// The object in the slot numbered `id`, if any.
fn slot_at(slots: &[Option<Box<Object>>], id: SlotId) -> Option<&Object> {
    slots.get(id as usize).and_then(|s| s.as_deref())
}

/// Whether `obj` is stored under the key `kind`/`namespace`/`name` (see [`ObjectKey::new`]: a
/// cluster-scoped kind's key has no namespace).
fn has_key(obj: &Object, kind: Kind, namespace: &str, name: &str) -> bool {
    obj.kind() == kind && obj.name() == name && (!kind.namespaced() || obj.namespace() == namespace)
}

impl Objects {
    /// The hash of the key `kind`/`namespace`/`name`, computed from borrowed parts so a lookup
    /// needs no owned key.
    fn hash(kind: Kind, namespace: &str, name: &str) -> u64 {
        let mut h = WordHasher::default();
        kind.hash(&mut h);
        h.write(namespace.as_bytes());
        // Keeps ("ab", "c") apart from ("a", "bc").
        h.write_u64(namespace.len() as u64);
        h.write(name.as_bytes());
        h.finish()
    }

    fn len(&self) -> usize {
        self.table.len()
    }

    /// The slot holding `key`.
    fn find(&self, key: &ObjectKey) -> Option<SlotId> {
        self.find_parts(key.kind, &key.namespace, &key.name)
    }

    /// The slot holding the key `kind`/`namespace`/`name` (`namespace` already "" for a
    /// cluster-scoped kind, as in [`ObjectKey::new`]).
    fn find_parts(&self, kind: Kind, namespace: &str, name: &str) -> Option<SlotId> {
        let h = Self::hash(kind, namespace, name);
        let slots = &self.slots;
        self.table
            .find(h, |&(hh, id)| {
                hh == h && slot_at(slots, id).is_some_and(|o| has_key(o, kind, namespace, name))
            })
            .map(|&(_, id)| id)
    }

    fn get(&self, id: SlotId) -> Option<&Object> {
        slot_at(&self.slots, id)
    }

    fn get_mut(&mut self, id: SlotId) -> Option<&mut Object> {
        self.slots
            .get_mut(id as usize)
            .and_then(|s| s.as_deref_mut())
    }

    /// Stores `obj` under its key, which is not stored yet; returns its slot.
    fn insert_new(&mut self, key: &ObjectKey, obj: Object) -> SlotId {
        let h = Self::hash(key.kind, &key.namespace, &key.name);
        let slot = Some(Box::new(obj));
        let id = match self.free.pop() {
            Some(id) => {
                if let Some(s) = self.slots.get_mut(id as usize) {
                    *s = slot;
                }
                id
            }
            None => {
                self.slots.push(slot);
                SlotId::try_from(self.slots.len() - 1).unwrap_or(SlotId::MAX)
            }
        };
        self.table.insert_unique(h, (h, id), |&(hh, _)| hh);
        id
    }

    /// Replaces the object in slot `id`, returning the old one.
    fn replace(&mut self, id: SlotId, obj: Object) -> Option<Object> {
        self.get_mut(id).map(|o| std::mem::replace(o, obj))
    }

    /// Takes `key`'s object out; its slot becomes free.
    fn remove(&mut self, key: &ObjectKey) -> Option<(SlotId, Object)> {
        let h = Self::hash(key.kind, &key.namespace, &key.name);
        let Objects { slots, free, table } = self;
        let entry = table
            .find_entry(h, |&(hh, id)| {
                hh == h
                    && slot_at(slots, id)
                        .is_some_and(|o| has_key(o, key.kind, &key.namespace, &key.name))
            })
            .ok()?;
        let ((_, id), _) = entry.remove();
        let slot = slots.get_mut(id as usize).and_then(Option::take)?;
        free.push(id);
        Some((id, *slot))
    }
}

/// The secondary indices: ordered, keyed by object key, with the object's slot where a walk
/// reads the objects.
#[derive(Debug, Clone, Default)]
struct Indices {
    /// Pods that are not settled ([`is_settled_pod`]).
    unsettled_pods: BTreeMap<ObjectKey, SlotId>,
    /// Pods without a controller reference.
    uncontrolled_pods: BTreeMap<ObjectKey, SlotId>,
    /// Objects with owner references, by owner uid.
    dependents: BTreeMap<String, BTreeSet<ObjectKey>>,
    /// Objects with a deletionTimestamp.
    deleting: BTreeMap<ObjectKey, SlotId>,
    /// Events by last timestamp (ms), for the event TTL.
    events_by_time: BTreeSet<(u64, ObjectKey)>,
}

/// All stored objects.
#[derive(Debug, Clone, Default)]
pub struct Store {
    /// Every object, in its slot, found by key through a hash index.
    objects: Objects,
    /// Every key, in order, with its slot: the walks in key order go through it.
    order: BTreeMap<ObjectKey, SlotId>,
    by_uid: LookupMap<String, SlotId>,
    /// The last resourceVersion handed out; bumps on every write.
    revision: u64,
    /// The revision of the last write to each kind, so components can skip work when nothing
    /// they watch changed.
    kind_revision: BTreeMap<Kind, u64>,
    /// The revision of the last write to a pod, by namespace (a Job's sync reads only its
    /// namespace's pods: it can skip when none of them changed).
    pod_revision_by_ns: BTreeMap<String, u64>,
    /// Number of objects of each kind.
    kind_count: BTreeMap<Kind, usize>,
    /// How many pods were ever removed (components that keep per-pod state prune it only then).
    pod_removals: u64,
    idx: Indices,
    /// The open watch's change log (`engine::watch`); `None`, and free, when nobody watches.
    pub(super) watch: Option<Box<crate::engine::watch::ChangeLog>>,
}

/// A pod that has finished (`Succeeded` or `Failed`), carries no finalizer and is not being
/// deleted: only its deletion, a finalizer or an owner going away can make it need work again.
pub fn is_settled_pod(p: &Pod) -> bool {
    matches!(
        p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    ) && p
        .metadata
        .finalizers
        .as_deref()
        .unwrap_or_default()
        .is_empty()
        && p.metadata.deletion_timestamp.is_none()
}

/// Puts `key` (in slot `id`) in `set` or takes it out.
fn set_member(set: &mut BTreeMap<ObjectKey, SlotId>, key: &ObjectKey, id: SlotId, member: bool) {
    if !member {
        set.remove(key);
    } else if !set.contains_key(key) {
        set.insert(key.clone(), id);
    }
}

/// When an event was last written, for its TTL ([`crate::engine::events::last_seen`]).
fn event_time(obj: &Object) -> Option<u64> {
    match obj {
        Object::Event(e) => Some(crate::engine::events::last_seen(e).millis()),
        _ => None,
    }
}

/// The first key after every key of `kind` in `namespace`: `namespace + "\0"` sorts after
/// `namespace` and before every other namespace that sorts after it.
fn namespace_end(kind: Kind, namespace: &str) -> ObjectKey {
    ObjectKey {
        kind,
        namespace: format!("{namespace}\0"),
        name: String::new(),
    }
}

/// What `put_at` returns if the slot it just wrote were empty (it never is).
fn no_object() -> &'static Object {
    static EMPTY: std::sync::OnceLock<Object> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Object::Namespace(Default::default()))
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

    /// The revision of the last write to a pod in `namespace` (0 if never written).
    pub fn pod_revision_in(&self, namespace: &str) -> u64 {
        self.pod_revision_by_ns.get(namespace).copied().unwrap_or(0)
    }

    /// Records the current revision as the last write to `key`'s kind (and, for a pod, to its
    /// namespace's pods).
    fn stamp(&mut self, key: &ObjectKey) {
        self.kind_revision.insert(key.kind, self.revision);
        if key.kind == Kind::Pod {
            match self.pod_revision_by_ns.get_mut(key.namespace.as_str()) {
                Some(r) => *r = self.revision,
                None => {
                    self.pod_revision_by_ns
                        .insert(key.namespace.clone(), self.revision);
                }
            }
        }
    }

    /// The object at `key`.
    pub fn get(&self, key: &ObjectKey) -> Option<&Object> {
        self.objects.find(key).and_then(|id| self.objects.get(id))
    }

    /// The object of `kind` named `name` in `namespace` (ignored for a cluster-scoped kind):
    /// [`Store::get`] without building a key.
    pub fn get_named(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Object> {
        let namespace = if kind.namespaced() { namespace } else { "" };
        self.objects
            .find_parts(kind, namespace, name)
            .and_then(|id| self.objects.get(id))
    }

    /// The object with this uid.
    pub fn get_by_uid(&self, uid: &str) -> Option<&Object> {
        self.by_uid.get(uid).and_then(|&id| self.objects.get(id))
    }

    /// The objects in `walk`'s slots, in its order.
    fn at_slots<'a>(
        &'a self,
        walk: impl Iterator<Item = (&'a ObjectKey, &'a SlotId)> + 'a,
    ) -> impl Iterator<Item = &'a Object> + 'a {
        walk.filter_map(|(_, &id)| self.objects.get(id))
    }

    /// Objects of one kind, in key order (namespace, then name).
    pub fn list(&self, kind: Kind) -> impl Iterator<Item = &Object> {
        let lo = ObjectKey {
            kind,
            namespace: String::new(),
            name: String::new(),
        };
        self.at_slots(
            self.order
                .range((Bound::Included(lo), Bound::Unbounded))
                .take_while(move |(k, _)| k.kind == kind),
        )
    }

    /// Objects of one kind in one namespace, in name order.
    pub fn list_ns<'a>(&'a self, kind: Kind, namespace: &str) -> impl Iterator<Item = &'a Object> {
        let lo = ObjectKey {
            kind,
            namespace: namespace.to_string(),
            name: String::new(),
        };
        let hi = namespace_end(kind, namespace);
        self.at_slots(self.order.range((Bound::Included(lo), Bound::Excluded(hi))))
    }

    /// The events the recorder wrote about the object named `name` (namespace `namespace`, or
    /// `default` for a cluster-scoped one), found by their names (`{name}.{hex}`) in key order
    /// without visiting any other event. Callers still check the involved object's uid.
    pub fn events_named_for<'a>(
        &'a self,
        namespace: &str,
        name: &str,
    ) -> impl Iterator<Item = &'a Object> {
        let namespace = if namespace.is_empty() {
            "default"
        } else {
            namespace
        };
        let prefix = format!("{name}.");
        let lo = ObjectKey {
            kind: Kind::Event,
            namespace: namespace.to_string(),
            name: prefix.clone(),
        };
        let hi = namespace_end(Kind::Event, namespace);
        self.at_slots(
            self.order
                .range((Bound::Included(lo), Bound::Excluded(hi)))
                .take_while(move |(k, _)| k.name.starts_with(&prefix)),
        )
    }

    /// Number of objects of one kind.
    pub fn count(&self, kind: Kind) -> usize {
        self.kind_count.get(&kind).copied().unwrap_or(0)
    }

    /// Number of objects of every kind.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// True if the store holds no object.
    pub fn is_empty(&self) -> bool {
        self.objects.len() == 0
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
        self.get_named(Kind::Node, "", name)
            .and_then(Object::as_node)
    }

    /// The pod `namespace/name`.
    pub fn pod(&self, namespace: &str, name: &str) -> Option<&Pod> {
        self.get_named(Kind::Pod, namespace, name)
            .and_then(Object::as_pod)
    }

    /// Every object, in key order.
    pub fn iter(&self) -> impl Iterator<Item = &Object> {
        self.at_slots(self.order.iter())
    }

    /// Writes an object, stamping the next resourceVersion. Returns the stored copy.
    pub(crate) fn put(&mut self, obj: Object) -> &Object {
        let key = obj.key();
        self.put_at(key, obj)
    }

    /// [`Store::put`] given the object's key (`obj.key()`, which the caller already has).
    pub(crate) fn put_at(&mut self, key: ObjectKey, mut obj: Object) -> &Object {
        debug_assert!(key == obj.key(), "put_at: the key is not the object's");
        self.revision += 1;
        obj.meta_mut().resource_version = Some(self.revision.to_string());
        self.stamp(&key);
        let existing = self.objects.find(&key);
        if let Some(w) = self.watch.as_deref_mut() {
            w.record(&obj, existing.is_some());
        }
        let (id, old) = match existing {
            Some(id) => (id, self.objects.replace(id, obj)),
            None => {
                *self.kind_count.entry(key.kind).or_insert(0) += 1;
                let id = self.objects.insert_new(&key, obj);
                self.order.insert(key.clone(), id);
                (id, None)
            }
        };
        let Some(new) = self.objects.get(id) else {
            return no_object();
        };
        if let Some(uid) = new.meta().uid.as_deref() {
            if self.by_uid.get(uid) != Some(&id) {
                self.by_uid.insert(uid.to_string(), id);
            }
        }
        self.idx.index(&key, id, new);
        if let Some(old) = old {
            self.idx.unindex_old(&key, &old, Some(new));
        }
        new
    }

    /// Changes the pod at `key` in place and stamps the next resourceVersion: the same as a
    /// `put` of the changed copy, without copying. `f` must not change the pod's name,
    /// namespace, uid or owner references, and returns whether it changed anything (when not,
    /// it must have left the pod as it was, and nothing is written). Returns whether it wrote
    /// (false also if there is no pod at `key`).
    pub(crate) fn modify_pod(&mut self, key: &ObjectKey, f: impl FnOnce(&mut Pod) -> bool) -> bool {
        let Some(id) = self.objects.find(key) else {
            return false;
        };
        let Some(Object::Pod(p)) = self.objects.get_mut(id) else {
            return false;
        };
        let flags = |p: &Pod| {
            (
                is_settled_pod(p),
                crate::engine::api::controller_ref(&p.metadata).is_some(),
                p.metadata.deletion_timestamp.is_some(),
            )
        };
        let before = flags(p);
        if !f(p) {
            return false;
        }
        self.revision += 1;
        p.metadata.resource_version = Some(self.revision.to_string());
        if let Some(w) = self.watch.as_deref_mut() {
            w.record_pod(p);
        }
        let (settled, controlled, deleting) = flags(p);
        self.stamp(key);
        // The indices already agree with the pod as it was: touch only what changed.
        if settled != before.0 {
            set_member(&mut self.idx.unsettled_pods, key, id, !settled);
        }
        if controlled != before.1 {
            set_member(&mut self.idx.uncontrolled_pods, key, id, !controlled);
        }
        if deleting != before.2 {
            set_member(&mut self.idx.deleting, key, id, deleting);
        }
        true
    }

    /// Removes an object for good.
    pub(crate) fn remove(&mut self, key: &ObjectKey) -> Option<Object> {
        let (_, obj) = self.objects.remove(key)?;
        self.order.remove(key);
        self.revision += 1;
        self.stamp(key);
        if let Some(w) = self.watch.as_deref_mut() {
            w.record_removal(&obj, self.revision);
        }
        if let Some(uid) = obj.meta().uid.as_deref() {
            self.by_uid.remove(uid);
        }
        if key.kind == Kind::Pod {
            self.pod_removals += 1;
        }
        if let Some(n) = self.kind_count.get_mut(&key.kind) {
            *n = n.saturating_sub(1);
        }
        self.idx.unindex_old(key, &obj, None);
        self.idx.unindex_rest(key, &obj);
        Some(obj)
    }

    /// Pods that are not settled ([`is_settled_pod`]), in key order.
    pub fn unsettled_pods(&self) -> impl Iterator<Item = &Pod> {
        self.at_slots(self.idx.unsettled_pods.iter())
            .filter_map(Object::as_pod)
    }

    /// Pods in `namespace` that are not settled or have no controller reference, in name order:
    /// every pod a Job can have work with, other than the ones its status names.
    pub fn claimable_pods<'a>(&'a self, namespace: &str) -> impl Iterator<Item = &'a Pod> {
        let lo = ObjectKey {
            kind: Kind::Pod,
            namespace: namespace.to_string(),
            name: String::new(),
        };
        let hi = namespace_end(Kind::Pod, namespace);
        let range = (Bound::Included(&lo), Bound::Excluded(&hi));
        let mut a = self
            .idx
            .unsettled_pods
            .range::<ObjectKey, _>(range)
            .peekable();
        let mut b = self
            .idx
            .uncontrolled_pods
            .range::<ObjectKey, _>(range)
            .peekable();
        // Both are in key order: merge them, once each.
        let mut ids: Vec<SlotId> = Vec::new();
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) => match x.0.cmp(y.0) {
                    std::cmp::Ordering::Less => a.next(),
                    std::cmp::Ordering::Greater => b.next(),
                    std::cmp::Ordering::Equal => {
                        b.next();
                        a.next()
                    }
                },
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            ids.extend(next.map(|(_, &id)| id));
        }
        ids.into_iter()
            .filter_map(|id| self.objects.get(id))
            .filter_map(Object::as_pod)
    }

    /// Number of pods ever removed from the store.
    pub fn pod_removals(&self) -> u64 {
        self.pod_removals
    }

    /// Keys of the objects whose owner references name `uid`, in key order.
    pub fn dependents_of(&self, uid: &str) -> impl Iterator<Item = &ObjectKey> {
        self.idx.dependents.get(uid).into_iter().flatten()
    }

    /// Owner uids that some object references, in order.
    pub fn owner_uids(&self) -> impl Iterator<Item = &str> {
        self.idx.dependents.keys().map(String::as_str)
    }

    /// Objects with a deletionTimestamp, in key order.
    pub fn deleting(&self) -> impl Iterator<Item = &Object> {
        self.at_slots(self.idx.deleting.iter())
    }

    /// Events whose last timestamp is before `t`, oldest first.
    pub fn events_before(&self, t: SimTime) -> impl Iterator<Item = &ObjectKey> {
        self.idx
            .events_by_time
            .iter()
            .take_while(move |(at, _)| *at < t.millis())
            .map(|(_, k)| k)
    }
}

impl Indices {
    /// Adds `obj` (stored at `key`, in slot `id`) to the indices.
    fn index(&mut self, key: &ObjectKey, id: SlotId, obj: &Object) {
        let m = obj.meta();
        if let Object::Pod(p) = obj {
            set_member(&mut self.unsettled_pods, key, id, !is_settled_pod(p));
            set_member(
                &mut self.uncontrolled_pods,
                key,
                id,
                crate::engine::api::controller_ref(&p.metadata).is_none(),
            );
        }
        set_member(&mut self.deleting, key, id, m.deletion_timestamp.is_some());
        for r in m.owner_references.as_deref().unwrap_or_default() {
            match self.dependents.get_mut(&r.uid) {
                Some(set) => {
                    if !set.contains(key) {
                        set.insert(key.clone());
                    }
                }
                None => {
                    self.dependents
                        .insert(r.uid.clone(), BTreeSet::from([key.clone()]));
                }
            }
        }
        if let Some(t) = event_time(obj) {
            self.events_by_time.insert((t, key.clone()));
        }
    }

    /// Drops what the replaced or removed version `old` put in the owner and event indices and
    /// the version now stored (`new`, none after a removal) does not repeat.
    fn unindex_old(&mut self, key: &ObjectKey, old: &Object, new: Option<&Object>) {
        let new_owners = new.and_then(|o| o.meta().owner_references.as_deref());
        for r in old.meta().owner_references.as_deref().unwrap_or_default() {
            if new_owners.is_some_and(|rs| rs.iter().any(|n| n.uid == r.uid)) {
                continue;
            }
            if let Some(set) = self.dependents.get_mut(&r.uid) {
                set.remove(key);
                if set.is_empty() {
                    self.dependents.remove(&r.uid);
                }
            }
        }
        if let Some(t) = event_time(old) {
            if new.and_then(event_time) != Some(t) {
                self.events_by_time.remove(&(t, key.clone()));
            }
        }
    }

    /// Drops a removed object from the indices that hold it by key alone.
    fn unindex_rest(&mut self, key: &ObjectKey, obj: &Object) {
        if obj.kind() == Kind::Pod {
            self.unsettled_pods.remove(key);
            self.uncontrolled_pods.remove(key);
        }
        self.deleting.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn pod(ns: &str, name: &str) -> Object {
        Object::Pod(Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some(ns.into()),
                uid: Some(format!("{ns}-{name}")),
                ..Default::default()
            },
            ..Default::default()
        })
    }

    #[test]
    fn pod_revision_in_follows_writes_to_that_namespaces_pods_only() {
        let mut s = Store::new();
        assert_eq!(s.pod_revision_in("a"), 0);
        s.put(pod("a", "p1"));
        let a1 = s.pod_revision_in("a");
        assert_eq!(a1, s.revision());
        s.put(pod("b", "p1"));
        assert_eq!(s.pod_revision_in("a"), a1, "a write in b leaves a alone");
        let key = ObjectKey::new(Kind::Pod, "a", "p1");
        assert!(s.modify_pod(&key, |p| {
            p.metadata.labels = Some([("x".to_string(), "y".to_string())].into());
            true
        }));
        let a2 = s.pod_revision_in("a");
        assert!(a2 > a1, "an in-place change counts");
        s.remove(&key);
        assert!(s.pod_revision_in("a") > a2, "a removal counts");
        let before = s.pod_revision_in("a");
        s.put(Object::Namespace(Default::default()));
        assert_eq!(s.pod_revision_in("a"), before, "other kinds do not count");
    }

    fn names<'a>(it: impl Iterator<Item = &'a Object>) -> Vec<String> {
        it.map(|o| {
            format!(
                "{}/{}",
                o.meta().namespace.as_deref().unwrap_or_default(),
                o.meta().name.as_deref().unwrap_or_default()
            )
        })
        .collect()
    }

    #[test]
    fn namespace_walks_stop_at_their_namespace() {
        let mut s = Store::new();
        for (ns, name) in [
            ("b", "x"),
            ("a-b", "x"),
            ("a", "z"),
            ("ab", "x"),
            ("a", "y"),
        ] {
            s.put(pod(ns, name));
        }
        assert_eq!(names(s.list_ns(Kind::Pod, "a")), ["a/y", "a/z"]);
        assert_eq!(names(s.list_ns(Kind::Pod, "a-b")), ["a-b/x"]);
        let claimable: Vec<_> = s
            .claimable_pods("a")
            .filter_map(|p| p.metadata.name.clone())
            .collect();
        assert_eq!(claimable, ["y", "z"]);
        assert!(s.list_ns(Kind::Pod, "c").next().is_none());
        assert_eq!(names(s.list(Kind::Pod)).len(), 5);
    }

    #[test]
    fn removed_objects_free_their_slot_for_the_next_one() {
        let mut s = Store::new();
        s.put(pod("a", "p1"));
        s.put(pod("a", "p2"));
        let k1 = ObjectKey::new(Kind::Pod, "a", "p1");
        assert!(s.remove(&k1).is_some());
        assert!(s.remove(&k1).is_none(), "removed once");
        s.put(pod("a", "p0"));
        assert_eq!(s.len(), 2);
        assert!(s.get(&k1).is_none());
        assert!(s.get_by_uid("a-p1").is_none());
        let p0 = s.get_by_uid("a-p0").and_then(|o| o.meta().name.clone());
        assert_eq!(p0.as_deref(), Some("p0"));
        let order: Vec<_> = s.iter().filter_map(|o| o.meta().name.clone()).collect();
        assert_eq!(order, ["p0", "p2"]);
        // A rewrite stays in its slot and keeps every lookup.
        let mut p2 = pod("a", "p2");
        p2.meta_mut().labels = Some([("k".to_string(), "v".to_string())].into());
        s.put(p2);
        assert_eq!(s.len(), 2);
        let labels = s.get_by_uid("a-p2").and_then(|o| o.meta().labels.clone());
        assert_eq!(labels.map(|l| l.len()), Some(1));
        assert_eq!(s.unsettled_pods().count(), 2);
    }
}
