//! Rolling update and revision history, mirroring `pkg/controller/daemon/update.go`
//! (`rollingUpdate`, `findUpdatedPodsOnNode`, `updatedDesiredNodeCounts`, `constructHistory`,
//! `dedupCurHistories`, `cleanupHistory`, `snapshot`, `getPatch`, `Match`) and
//! `util.SurgeCount` / `util.UnavailableCount`.
//!
//! Simplifications: the template hash is FNV-32a over the template's JSON (upstream's
//! `hashutil.DeepHashObject` hashes a `spew` dump of the internal Go struct, every field of the
//! Kubernetes version's PodTemplateSpec in declaration order, which cannot be reproduced without
//! that exact struct), so hash values differ from a real cluster's but are stable and
//! deterministic. Everything around it is upstream's: the collision count appended as a `uint32`
//! in an 8-byte little-endian buffer, the decimal `Sum32` encoded with `rand.SafeEncodeString`
//! (alphabet `bcdfghjklmnpqrstvwxz2456789`), names `<ds>-<up to 10 characters>`. Nodes are
//! visited in name order (upstream: map order).

use std::collections::BTreeSet;

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::core::v1::{Pod, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::runtime::RawExtension;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::{
    adopted_meta, claim, ds_selector, new_controller_ref, pod_label, released_meta, Claim,
    DaemonPod, DaemonSetView, NodePlan, UpdateStrategy, CONTROLLER_REVISION_HASH_LABEL,
};
use crate::engine::api::{Kind, Object, ObjectKey};
use crate::engine::controller::{Action, DeleteOptions, Outcome};
use crate::engine::rng::NAME_ALPHABET;
use crate::engine::store::Store;

/// A ControllerRevision named `<ds>-<hash>` exists with another template: `collisionCount` must
/// be bumped and the sync retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashCollision;

/// The revisions of one DaemonSet after `constructHistory`.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// The current revision's hash (`controller-revision-hash`).
    pub hash: String,
    /// Name of the current revision.
    pub current: String,
    /// The other revisions this DaemonSet controls: (name, revision, hash label).
    pub old: Vec<(String, i64, Option<String>)>,
}

/// `rand.SafeEncodeString`: each byte mapped onto the consonant-and-digit alphabet.
pub fn safe_encode_string(s: &str) -> String {
    s.bytes()
        .map(|b| {
            let idx = usize::from(b) % NAME_ALPHABET.len();
            char::from(NAME_ALPHABET.get(idx).copied().unwrap_or(b'x'))
        })
        .collect()
}

/// FNV-1a, 32 bit (`hash/fnv.New32a`).
pub fn fnv32a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

/// `controller.ComputeHash`: FNV-32a of the template (JSON here) and, if set, the collision count
/// (as upstream: a `uint32` little-endian in an 8-byte buffer, so four zero bytes follow), the
/// decimal sum encoded with [`safe_encode_string`] (at most 10 characters).
pub fn compute_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    // Through `to_value` (sorted keys, the serializer every object already uses) rather than
    // `to_vec`, which would compile a second copy of every pod-spec serializer into the page.
    let mut bytes = serde_json::to_value(template)
        .map(|v| v.to_string().into_bytes())
        .unwrap_or_default();
    if let Some(c) = collision_count {
        let mut buf = [0u8; 8];
        for (dst, src) in buf.iter_mut().zip(c.to_le_bytes()) {
            *dst = src;
        }
        bytes.extend_from_slice(&buf);
    }
    safe_encode_string(&fnv32a(&bytes).to_string())
}

/// `getPatch`: `{"spec":{"template":{…,"$patch":"replace"}}}`, the revision's data.
pub fn get_patch(ds: &DaemonSet) -> serde_json::Value {
    let template = ds
        .spec
        .as_ref()
        .map(|s| s.template.clone())
        .unwrap_or_default();
    let mut t = serde_json::to_value(template).unwrap_or(serde_json::Value::Null);
    if let Some(map) = t.as_object_mut() {
        map.insert(
            "$patch".to_string(),
            serde_json::Value::String("replace".to_string()),
        );
    }
    serde_json::json!({ "spec": { "template": t } })
}

/// `Match`: the revision stores exactly this DaemonSet's template.
pub fn revision_matches(patch: &serde_json::Value, cr: &ControllerRevision) -> bool {
    cr.data.as_ref().is_some_and(|d| &d.0 == patch)
}

fn hash_label(meta: &ObjectMeta) -> Option<&String> {
    meta.labels
        .as_ref()
        .and_then(|l| l.get(CONTROLLER_REVISION_HASH_LABEL))
}

/// `constructHistory`: claims ControllerRevisions, finds (or creates) the current one, dedups
/// and bumps its revision number, and returns the current hash and the old revisions.
pub fn construct_history(
    store: &Store,
    ds: &DaemonSet,
    pods: &[&Pod],
    out: &mut Outcome,
) -> Result<History, HashCollision> {
    let ns = ds.metadata.namespace.as_deref().unwrap_or_default();
    let uid = ds.metadata.uid.as_deref().unwrap_or_default();
    let patch = get_patch(ds);
    let selector = ds_selector(ds);
    let mut current: Vec<ControllerRevision> = Vec::new();
    let mut old: Vec<ControllerRevision> = Vec::new();
    for obj in store.list_ns(Kind::ControllerRevision, ns) {
        let Object::ControllerRevision(cr) = obj else {
            continue;
        };
        let mut cr = cr.clone();
        match claim(&cr.metadata, &selector, uid) {
            Claim::Ignore => continue,
            Claim::Release => {
                cr.metadata = released_meta(&cr.metadata, uid);
                out.push(Action::Update(Object::ControllerRevision(cr)));
                continue;
            }
            Claim::Adopt => {
                cr.metadata = adopted_meta(&cr.metadata, ds);
                out.push(Action::Update(Object::ControllerRevision(cr.clone())));
            }
            Claim::Owned => {}
        }
        // Older revisions may lack the hash label: upstream uses the revision's name.
        if hash_label(&cr.metadata).is_none() {
            let name = cr.metadata.name.clone().unwrap_or_default();
            cr.metadata
                .labels
                .get_or_insert_with(Default::default)
                .insert(CONTROLLER_REVISION_HASH_LABEL.to_string(), name);
            out.push(Action::Update(Object::ControllerRevision(cr.clone())));
        }
        if revision_matches(&patch, &cr) {
            current.push(cr);
        } else {
            old.push(cr);
        }
    }
    let curr_revision = old.iter().map(|c| c.revision).max().unwrap_or(0) + 1;
    let old_list = old
        .iter()
        .map(|c| {
            (
                c.metadata.name.clone().unwrap_or_default(),
                c.revision,
                hash_label(&c.metadata).cloned(),
            )
        })
        .collect();
    // Dedup: keep the highest revision (the last one on ties), delete the rest.
    let keep = current
        .iter()
        .fold(None::<&ControllerRevision>, |best, c| match best {
            Some(b) if b.revision > c.revision => Some(b),
            _ => Some(c),
        })
        .cloned();
    let Some(mut cur) = keep else {
        let cr = snapshot(store, ds, &patch, curr_revision)?;
        let hash = hash_label(&cr.metadata).cloned().unwrap_or_default();
        let name = cr.metadata.name.clone().unwrap_or_default();
        if store
            .get_named(Kind::ControllerRevision, ns, &name)
            .is_none()
        {
            out.push(Action::Create {
                object: Object::ControllerRevision(cr),
                on_behalf_of: None,
            });
        }
        return Ok(History {
            hash,
            current: name,
            old: old_list,
        });
    };
    let hash = hash_label(&cur.metadata).cloned().unwrap_or_default();
    if current.len() > 1 {
        for &pod in pods {
            if pod_label(pod, CONTROLLER_REVISION_HASH_LABEL) != Some(&hash) {
                let mut p = pod.clone();
                p.metadata
                    .labels
                    .get_or_insert_with(Default::default)
                    .insert(CONTROLLER_REVISION_HASH_LABEL.to_string(), hash.clone());
                out.push(Action::Update(Object::Pod(p)));
            }
        }
        for dup in &current {
            if dup.metadata.name != cur.metadata.name {
                out.push(Action::Delete {
                    key: ObjectKey::new(
                        Kind::ControllerRevision,
                        ns,
                        dup.metadata.name.as_deref().unwrap_or_default(),
                    ),
                    options: DeleteOptions::default(),
                });
            }
        }
    }
    if cur.revision < curr_revision {
        cur.revision = curr_revision;
        out.push(Action::Update(Object::ControllerRevision(cur.clone())));
    }
    Ok(History {
        hash,
        current: cur.metadata.name.clone().unwrap_or_default(),
        old: old_list,
    })
}

/// `snapshot`: the ControllerRevision for the current template. An existing revision of that
/// name with the same data is reused; with other data it is a hash collision.
fn snapshot(
    store: &Store,
    ds: &DaemonSet,
    patch: &serde_json::Value,
    revision: i64,
) -> Result<ControllerRevision, HashCollision> {
    let spec = ds.spec.clone().unwrap_or_default();
    let collision_count = ds.status.as_ref().and_then(|s| s.collision_count);
    let hash = compute_hash(&spec.template, collision_count);
    let ds_name = ds.metadata.name.as_deref().unwrap_or_default();
    let name = format!("{ds_name}-{hash}");
    let ns = ds.metadata.namespace.clone().unwrap_or_default();
    if let Some(Object::ControllerRevision(existing)) =
        store.get_named(Kind::ControllerRevision, &ns, &name)
    {
        if revision_matches(patch, existing) {
            return Ok(existing.clone());
        }
        return Err(HashCollision);
    }
    let mut labels = spec
        .template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    labels.insert(CONTROLLER_REVISION_HASH_LABEL.to_string(), hash);
    Ok(ControllerRevision {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: Some(ns),
            labels: Some(labels),
            annotations: ds.metadata.annotations.clone(),
            owner_references: Some(vec![new_controller_ref(ds)]),
            ..Default::default()
        },
        data: Some(RawExtension(patch.clone())),
        revision,
    })
}

/// `cleanupHistory`: deletes the oldest old revisions beyond `revisionHistoryLimit`, except
/// those whose hash a live (claimed) pod still carries.
pub fn cleanup_history(view: &DaemonSetView<'_>, history: &History, out: &mut Outcome) {
    let limit = view
        .ds
        .spec
        .as_ref()
        .and_then(|s| s.revision_history_limit)
        .unwrap_or(10);
    let limit = usize::try_from(limit).unwrap_or(0);
    let mut to_kill = history.old.len().saturating_sub(limit);
    if to_kill == 0 {
        return;
    }
    let live: BTreeSet<&String> = view
        .all_pods
        .iter()
        .filter_map(|p| pod_label(p, CONTROLLER_REVISION_HASH_LABEL))
        .filter(|h| !h.is_empty())
        .collect();
    let mut old: Vec<&(String, i64, Option<String>)> = history.old.iter().collect();
    crate::engine::sort::sort_by(&mut old, |a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    for (name, _, hash) in old {
        if to_kill == 0 {
            break;
        }
        if hash.as_ref().is_some_and(|h| live.contains(h)) {
            continue;
        }
        out.push(Action::Delete {
            key: ObjectKey::new(Kind::ControllerRevision, &view.namespace, name),
            options: DeleteOptions::default(),
        });
        to_kill -= 1;
    }
}

/// `intstr.GetScaledValueFromIntOrPercent(v, total, roundUp)`; `None` if it is not an int or a
/// valid percent.
pub fn scaled_value(v: &IntOrString, total: usize, round_up: bool) -> Option<usize> {
    match v {
        IntOrString::Int(i) => usize::try_from(*i).ok(),
        IntOrString::String(s) => {
            let pct: usize = s.strip_suffix('%')?.parse().ok()?;
            let n = pct.checked_mul(total)?;
            Some(if round_up { n.div_ceil(100) } else { n / 100 })
        }
    }
}

fn rolling_update_params(
    ds: &DaemonSet,
) -> Option<&k8s_openapi::api::apps::v1::RollingUpdateDaemonSet> {
    let strategy = ds.spec.as_ref()?.update_strategy.as_ref()?;
    if strategy.type_.as_deref().unwrap_or("RollingUpdate")
        != UpdateStrategy::RollingUpdate.as_str()
    {
        return None;
    }
    strategy.rolling_update.as_ref()
}

/// `util.SurgeCount`: maxSurge scaled to `n` (rounded up); 0 unless RollingUpdate.
pub fn surge_count(ds: &DaemonSet, n: usize) -> usize {
    rolling_update_params(ds)
        .and_then(|r| r.max_surge.as_ref())
        .and_then(|v| scaled_value(v, n, true))
        .unwrap_or(0)
}

/// `util.UnavailableCount`: maxUnavailable scaled to `n` (rounded up); 0 unless RollingUpdate.
pub fn unavailable_count(ds: &DaemonSet, n: usize) -> usize {
    rolling_update_params(ds)
        .and_then(|r| r.max_unavailable.as_ref())
        .and_then(|v| scaled_value(v, n, true))
        .unwrap_or(0)
}

/// `findUpdatedPodsOnNode`: the node's non-deleted new and old pod; `None` if it has more than
/// one of either (the manage loop prunes those first).
fn find_updated_pods_on_node<'p, 'a>(
    view: &DaemonSetView<'a>,
    pods: &'p [DaemonPod<'a>],
) -> Option<(Option<&'p DaemonPod<'a>>, Option<&'p DaemonPod<'a>>)> {
    let mut new_pod = None;
    let mut old_pod = None;
    for pod in pods {
        if view.is_gone(pod) {
            continue;
        }
        let slot = if pod.updated {
            &mut new_pod
        } else {
            &mut old_pod
        };
        if slot.is_some() {
            return None;
        }
        *slot = Some(pod);
    }
    Some((new_pod, old_pod))
}

/// `updatedDesiredNodeCounts` on the number of nodes that should run the pod: (maxSurge,
/// maxUnavailable) scaled to it, and maxUnavailable 1 when both come out 0 on a non-empty
/// DaemonSet (an impossible configuration the API server could still return).
pub fn updated_desired_node_counts(ds: &DaemonSet, desired: usize) -> (usize, usize) {
    let mut max_unavailable = unavailable_count(ds, desired);
    let max_surge = surge_count(ds, desired);
    if desired > 0 && max_unavailable == 0 && max_surge == 0 {
        max_unavailable = 1;
    }
    (max_surge, max_unavailable)
}

/// `rollingUpdate`: which old pods to delete (maxSurge = 0) or which nodes get a new pod next
/// to the old one (maxSurge > 0), within the strategy's budget.
pub fn rolling_update(view: &DaemonSetView<'_>) -> NodePlan {
    let now = view.now;
    let mrs = view.min_ready_seconds;
    // updatedDesiredNodeCounts: desired nodes without pods count too.
    let desired = view.nodes.iter().filter(|n| n.placement.should_run).count();
    let (max_surge, max_unavailable) = updated_desired_node_counts(view.ds, desired);
    let mut plan = NodePlan::default();

    if max_surge == 0 {
        let mut num_unavailable = 0;
        let mut allowed: Vec<String> = Vec::new();
        let mut candidates: Vec<String> = Vec::new();
        for (_, pods, _) in view.nodes_with_pods_or_desired() {
            let Some((new_pod, old_pod)) = find_updated_pods_on_node(view, pods) else {
                num_unavailable += 1;
                continue;
            };
            match (new_pod, old_pod) {
                (None, None) | (Some(_), Some(_)) => num_unavailable += 1,
                (Some(new), None) => {
                    if !new.is_available(mrs, now) {
                        num_unavailable += 1;
                    }
                }
                (None, Some(old)) => {
                    if !old.is_available(mrs, now) {
                        allowed.push(old.name.to_string());
                        num_unavailable += 1;
                    } else if num_unavailable < max_unavailable {
                        candidates.push(old.name.to_string());
                    }
                }
            }
        }
        let remaining = max_unavailable
            .saturating_sub(num_unavailable)
            .min(candidates.len());
        plan.delete = allowed;
        plan.delete.extend(candidates.into_iter().take(remaining));
        return plan;
    }

    let mut old_to_delete: Vec<String> = Vec::new();
    let mut should_not_run_to_delete: Vec<String> = Vec::new();
    let mut candidate_new_nodes: Vec<String> = Vec::new();
    let mut allowed_new_nodes: Vec<String> = Vec::new();
    let mut num_surge = 0;
    let mut num_available: usize = 0;
    for (node, pods, should_run) in view.nodes_with_pods_or_desired() {
        let Some((new_pod, old_pod)) = find_updated_pods_on_node(view, pods) else {
            num_surge += 1;
            continue;
        };
        match (old_pod, new_pod) {
            (Some(old), _) if old.is_available(mrs, now) => num_available += 1,
            (None, Some(new)) if new.is_available(mrs, now) => num_available += 1,
            _ => {}
        }
        match (old_pod, new_pod) {
            (None, _) => {}
            (Some(old), None) => {
                if !old.is_available(mrs, now) {
                    if !should_run {
                        old_to_delete.push(old.name.to_string());
                        continue;
                    }
                    allowed_new_nodes.push(node.to_string());
                } else {
                    if !should_run {
                        should_not_run_to_delete.push(old.name.to_string());
                        continue;
                    }
                    if num_surge >= max_surge {
                        continue;
                    }
                    candidate_new_nodes.push(node.to_string());
                }
            }
            (Some(old), Some(new)) => {
                if !new.is_available(mrs, now) {
                    num_surge += 1;
                    continue;
                }
                old_to_delete.push(old.name.to_string());
            }
        }
    }
    let remaining_surge = max_surge.saturating_sub(num_surge);
    // With surge the owner expects full availability: pods on nodes that no longer qualify go
    // only while more pods are available than desired.
    let deletable = num_available.saturating_sub(desired);
    old_to_delete.extend(should_not_run_to_delete.into_iter().take(deletable));
    let remaining_surge = remaining_surge.min(candidate_new_nodes.len());
    plan.create = allowed_new_nodes;
    plan.create
        .extend(candidate_new_nodes.into_iter().take(remaining_surge));
    plan.delete = old_to_delete;
    plan
}
