//! JSON merge patch (RFC 7386), JSON patch (RFC 6902), strategic merge patch and the three-way
//! merge `kubectl apply` computes, over `serde_json::Value`.
//!
//! Strategic merge patch (`k8s.io/apimachinery/pkg/util/strategicpatch`) merges the lists the API
//! types mark `patchStrategy:"merge"` element by element on their `patchMergeKey` (containers by
//! `name`, container ports by `containerPort`, volume mounts by `mountPath`, …; see
//! [`merge_key`]) and unions `metadata.finalizers`; every other list is replaced whole, as in a
//! JSON merge patch. The directives `$patch: delete|replace|merge`,
//! `$deleteFromPrimitiveList/FIELD` and `$retainKeys` are honoured; `$setElementOrder/FIELD` is
//! accepted and dropped (merged lists keep the live order, new elements at the end).

use serde_json::{Map, Value};

/// Applies an RFC 7386 merge patch in place.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(t) = target {
        for (k, v) in p {
            if v.is_null() {
                t.remove(k);
            } else {
                let entry = t.entry(k.clone()).or_insert(Value::Null);
                merge_patch(entry, v);
            }
        }
    }
}

/// The merge patch `kubectl apply` sends: everything in `new`, plus `null` for every field that
/// was in the last applied configuration but is no longer in `new`.
pub fn three_way(last: &Value, new: &Value) -> Value {
    match (last, new) {
        (Value::Object(l), Value::Object(n)) => {
            let mut out = Map::new();
            for (k, v) in n {
                let sub = match l.get(k) {
                    Some(lv) => three_way(lv, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), sub);
            }
            for k in l.keys() {
                if !n.contains_key(k) {
                    out.insert(k.clone(), Value::Null);
                }
            }
            Value::Object(out)
        }
        _ => new.clone(),
    }
}

/// The `patchMergeKey` of the list at `path` (the object keys leading to it, list positions
/// left out), for the lists the API types mark `patchStrategy:"merge"`. `None`: replaced whole.
fn merge_key(path: &[String]) -> Option<&'static str> {
    let field = path.last()?.as_str();
    let parent = path.len().checked_sub(2).and_then(|i| path.get(i));
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "imagePullSecrets"
        | "env"
        | "schedulingGates"
        | "resourceClaims" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "ownerReferences" => "uid",
        "topologySpreadConstraints" => "topologyKey",
        "conditions" | "addresses" => "type",
        // A Service's ports merge on `port`; a container's on `containerPort`; an EndpointSlice's
        // (top level) are atomic.
        "ports" if path.len() == 2 && parent.is_some_and(|p| p == "spec") => "port",
        "ports" if path.len() > 2 => "containerPort",
        _ => return None,
    })
}

/// Lists of scalars the API types merge as sets (`patchStrategy:"merge"`).
fn is_primitive_merge(path: &[String]) -> bool {
    matches!(path, [m, f] if m == "metadata" && f == "finalizers")
}

/// The element of `list` whose `key` equals `value`.
fn position_by_key(list: &[Value], key: &str, value: &Value) -> Option<usize> {
    list.iter().position(|e| e.get(key) == Some(value))
}

/// Whether every element of `list` is an object carrying `key`.
fn all_keyed(list: &[Value], key: &str) -> bool {
    list.iter().all(|e| e.get(key).is_some())
}

fn directive(v: &Value) -> Option<&str> {
    v.get("$patch").and_then(Value::as_str)
}

/// A copy of `v` without strategic-merge directives (`$patch`, `$setElementOrder/…`, …).
fn strip_directives(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with('$'))
                .map(|(k, v)| (k.clone(), strip_directives(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip_directives).collect()),
        other => other.clone(),
    }
}

/// Applies a strategic merge patch in place (`kubectl patch`'s default type). `path` is the
/// position of `target` in the object (empty at the top).
pub fn strategic_merge_patch(target: &mut Value, patch: &Value) {
    smp(target, patch, &mut Vec::new());
}

fn smp(target: &mut Value, patch: &Value, path: &mut Vec<String>) {
    match patch {
        Value::Object(p) => {
            if directive(patch) == Some("replace") {
                *target = strip_directives(patch);
                return;
            }
            if !target.is_object() {
                *target = Value::Object(Map::new());
            }
            let Value::Object(t) = target else {
                return;
            };
            for (k, v) in p {
                if let Some(field) = k.strip_prefix("$deleteFromPrimitiveList/") {
                    if let (Some(Value::Array(list)), Value::Array(gone)) = (t.get_mut(field), v) {
                        list.retain(|e| !gone.contains(e));
                    }
                    continue;
                }
                if k.starts_with('$') {
                    continue;
                }
                if v.is_null() || directive(v) == Some("delete") {
                    t.remove(k);
                    continue;
                }
                path.push(k.clone());
                let entry = t.entry(k.clone()).or_insert(Value::Null);
                smp(entry, v, path);
                path.pop();
            }
            if let Some(Value::Array(keep)) = p.get("$retainKeys") {
                t.retain(|k, _| keep.iter().any(|x| x.as_str() == Some(k)));
            }
        }
        Value::Array(items) => {
            let Value::Array(live) = target else {
                *target = strip_directives(patch);
                return;
            };
            if is_primitive_merge(path) {
                for v in items {
                    if !live.contains(v) {
                        live.push(v.clone());
                    }
                }
                return;
            }
            let key = merge_key(path).filter(|k| all_keyed(live, k));
            let replace = items.iter().any(|e| directive(e) == Some("replace"));
            let Some(key) = key.filter(|k| !replace && all_keyed(items, k)) else {
                *target = Value::Array(
                    items
                        .iter()
                        .filter(|e| directive(e).is_none())
                        .map(strip_directives)
                        .collect(),
                );
                return;
            };
            for item in items {
                let Some(id) = item.get(key) else {
                    continue;
                };
                match (position_by_key(live, key, id), directive(item)) {
                    (Some(i), Some("delete")) => {
                        live.remove(i);
                    }
                    (None, Some("delete")) => {}
                    (Some(i), _) => {
                        if let Some(el) = live.get_mut(i) {
                            smp(el, item, path);
                        }
                    }
                    (None, _) => live.push(strip_directives(item)),
                }
            }
        }
        other => *target = other.clone(),
    }
}

/// `kubectl apply` on a live object: sets every field of `new` (the manifest), removes the fields
/// the last applied configuration `last` had and `new` no longer has, and leaves every other
/// field of `live` (defaults, fields other clients set) alone. Lists with a merge key are merged
/// element by element as kubectl's three-way strategic merge patch does; other lists are replaced.
pub fn apply_three_way(live: &mut Value, last: &Value, new: &Value) {
    apply3(live, last, new, &mut Vec::new());
}

fn apply3(live: &mut Value, last: &Value, new: &Value, path: &mut Vec<String>) {
    match new {
        Value::Object(n) => {
            if !live.is_object() {
                *live = Value::Object(Map::new());
            }
            let Value::Object(l) = live else {
                return;
            };
            for (k, nv) in n {
                if nv.is_null() {
                    l.remove(k);
                    continue;
                }
                path.push(k.clone());
                let entry = l.entry(k.clone()).or_insert(Value::Null);
                apply3(entry, last.get(k).unwrap_or(&Value::Null), nv, path);
                path.pop();
            }
            if let Value::Object(old) = last {
                for k in old.keys() {
                    if !n.contains_key(k) {
                        l.remove(k);
                    }
                }
            }
        }
        Value::Array(items) => {
            let empty = Vec::new();
            let old = last.as_array().unwrap_or(&empty);
            let key = merge_key(path).filter(|k| all_keyed(items, k) && all_keyed(old, k));
            match (live, key) {
                (Value::Array(current), Some(key)) if all_keyed(current, key) => {
                    let mut merged = Vec::with_capacity(items.len());
                    for item in items {
                        let id = item.get(key).unwrap_or(&Value::Null);
                        let mut el = match position_by_key(current, key, id) {
                            Some(i) => current.remove(i),
                            None => Value::Null,
                        };
                        let before = position_by_key(old, key, id)
                            .and_then(|i| old.get(i))
                            .unwrap_or(&Value::Null);
                        apply3(&mut el, before, item, path);
                        merged.push(el);
                    }
                    // Elements another client added stay; those the last manifest had go.
                    merged.extend(current.drain(..).filter(|e| {
                        e.get(key)
                            .is_none_or(|id| position_by_key(old, key, id).is_none())
                    }));
                    *current = merged;
                }
                (Value::Array(current), None) if is_primitive_merge(path) => {
                    let mut merged = items.clone();
                    merged.extend(
                        current
                            .drain(..)
                            .filter(|e| !items.contains(e) && !old.contains(e)),
                    );
                    *current = merged;
                }
                (live, _) => *live = new.clone(),
            }
        }
        other => *live = other.clone(),
    }
}

fn parse_pointer(path: &str) -> Result<Vec<String>, String> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(format!("JSON pointer must start with '/': {path:?}"));
    };
    Ok(rest
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn parent_and_last<'a>(doc: &'a mut Value, path: &str) -> Result<(&'a mut Value, String), String> {
    let mut parts = parse_pointer(path)?;
    let last = parts
        .pop()
        .ok_or_else(|| "cannot operate on the document root".to_string())?;
    let mut cur = doc;
    for p in parts {
        cur = match cur {
            Value::Object(m) => m
                .get_mut(&p)
                .ok_or_else(|| format!("doc is missing path: {path:?}: missing value"))?,
            Value::Array(a) => {
                let idx: usize = p
                    .parse()
                    .map_err(|_| format!("invalid array index {p:?} in {path:?}"))?;
                a.get_mut(idx)
                    .ok_or_else(|| format!("doc is missing path: {path:?}: missing value"))?
            }
            _ => return Err(format!("doc is missing path: {path:?}: missing value")),
        };
    }
    Ok((cur, last))
}

fn get_path(doc: &Value, path: &str) -> Result<Value, String> {
    let ptr = parse_pointer(path)?;
    let mut cur = doc;
    for p in ptr {
        cur = match cur {
            Value::Object(m) => m.get(&p),
            Value::Array(a) => p.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        }
        .ok_or_else(|| format!("doc is missing path: {path:?}: missing value"))?;
    }
    Ok(cur.clone())
}

fn remove_path(doc: &mut Value, path: &str) -> Result<Value, String> {
    let (parent, last) = parent_and_last(doc, path)?;
    match parent {
        Value::Object(m) => m
            .remove(&last)
            .ok_or_else(|| format!("unable to remove nonexistent key: {last}: missing value")),
        Value::Array(a) => {
            let idx: usize = last
                .parse()
                .map_err(|_| format!("invalid array index {last:?}"))?;
            if idx < a.len() {
                Ok(a.remove(idx))
            } else {
                Err(format!(
                    "Unable to access invalid index: {idx}: invalid index referenced"
                ))
            }
        }
        _ => Err(format!("doc is missing path: {path:?}: missing value")),
    }
}

fn add_path(doc: &mut Value, path: &str, value: Value, replace: bool) -> Result<(), String> {
    let (parent, last) = parent_and_last(doc, path)?;
    match parent {
        Value::Object(m) => {
            if replace && !m.contains_key(&last) {
                return Err(format!(
                    "replace operation does not apply: doc is missing key: {path}: missing value"
                ));
            }
            m.insert(last, value);
            Ok(())
        }
        Value::Array(a) => {
            if last == "-" && !replace {
                a.push(value);
                return Ok(());
            }
            let idx: usize = last
                .parse()
                .map_err(|_| format!("invalid array index {last:?}"))?;
            if replace {
                let slot = a.get_mut(idx).ok_or_else(|| {
                    format!("Unable to access invalid index: {idx}: invalid index referenced")
                })?;
                *slot = value;
            } else if idx <= a.len() {
                a.insert(idx, value);
            } else {
                return Err(format!(
                    "Unable to access invalid index: {idx}: invalid index referenced"
                ));
            }
            Ok(())
        }
        _ => Err(format!("doc is missing path: {path:?}: missing value")),
    }
}

/// Applies an RFC 6902 JSON patch (add, remove, replace, move, copy, test) in place. On error
/// the document may be partly patched; callers patch a copy.
pub fn json_patch(doc: &mut Value, patch: &Value) -> Result<(), String> {
    let Value::Array(ops) = patch else {
        return Err(
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch".to_string(),
        );
    };
    for op in ops {
        let name = op.get("op").and_then(Value::as_str).unwrap_or_default();
        let path = op.get("path").and_then(Value::as_str).unwrap_or_default();
        let value = op.get("value").cloned();
        match name {
            "add" => add_path(doc, path, value.ok_or("missing value")?, false)?,
            "replace" => add_path(doc, path, value.ok_or("missing value")?, true)?,
            "remove" => {
                remove_path(doc, path)?;
            }
            "move" | "copy" => {
                let from = op.get("from").and_then(Value::as_str).unwrap_or_default();
                let v = if name == "move" {
                    remove_path(doc, from)?
                } else {
                    get_path(doc, from)?
                };
                add_path(doc, path, v, false)?;
            }
            "test" => {
                let got = get_path(doc, path)?;
                if Some(&got) != value.as_ref() {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc7386() {
        let mut doc = json!({"a": {"b": 1, "c": 2}, "d": [1, 2]});
        merge_patch(&mut doc, &json!({"a": {"b": null, "e": 3}, "d": [3]}));
        assert_eq!(doc, json!({"a": {"c": 2, "e": 3}, "d": [3]}));
    }

    #[test]
    fn three_way_deletes_fields_removed_from_the_manifest() {
        let last = json!({"spec": {"a": 1, "b": 2}});
        let new = json!({"spec": {"a": 5}});
        assert_eq!(three_way(&last, &new), json!({"spec": {"a": 5, "b": null}}));
    }

    /// Cases after `TestStrategicMergePatch`'s merging-list tests
    /// (`k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go`), on pod-shaped documents.
    #[test]
    fn strategic_merge_patch_merges_keyed_lists() {
        let pod = json!({"metadata": {"finalizers": ["a"]}, "spec": {"containers": [
            {"name": "c", "image": "busybox:1.36", "command": ["sleep", "3600"],
             "env": [{"name": "A", "value": "1"}],
             "ports": [{"containerPort": 80, "protocol": "TCP"}]}
        ], "tolerations": [{"key": "k", "operator": "Exists"}]}});
        let cases: &[(&str, Value, Value)] = &[
            (
                "a container patched by name keeps its other fields",
                json!({"spec": {"containers": [{"name": "c", "image": "busybox:1.37"}]}}),
                json!({"metadata": {"finalizers": ["a"]}, "spec": {"containers": [
                    {"name": "c", "image": "busybox:1.37", "command": ["sleep", "3600"],
                     "env": [{"name": "A", "value": "1"}],
                     "ports": [{"containerPort": 80, "protocol": "TCP"}]}
                ], "tolerations": [{"key": "k", "operator": "Exists"}]}}),
            ),
            (
                "a new name is appended",
                json!({"spec": {"containers": [{"name": "side", "image": "nginx"}]}}),
                json!({"metadata": {"finalizers": ["a"]}, "spec": {"containers": [
                    {"name": "c", "image": "busybox:1.36", "command": ["sleep", "3600"],
                     "env": [{"name": "A", "value": "1"}],
                     "ports": [{"containerPort": 80, "protocol": "TCP"}]},
                    {"name": "side", "image": "nginx"}
                ], "tolerations": [{"key": "k", "operator": "Exists"}]}}),
            ),
            (
                "$patch: delete removes the element; nested env merges by name",
                json!({"spec": {"containers": [
                    {"name": "c", "env": [{"name": "A", "$patch": "delete"}, {"name": "B", "value": "2"}]}
                ]}}),
                json!({"metadata": {"finalizers": ["a"]}, "spec": {"containers": [
                    {"name": "c", "image": "busybox:1.36", "command": ["sleep", "3600"],
                     "env": [{"name": "B", "value": "2"}],
                     "ports": [{"containerPort": 80, "protocol": "TCP"}]}
                ], "tolerations": [{"key": "k", "operator": "Exists"}]}}),
            ),
            (
                "lists without a merge key (tolerations, command) are replaced; finalizers union",
                json!({"metadata": {"finalizers": ["b", "a"]}, "spec": {
                    "tolerations": [{"key": "x", "operator": "Exists"}],
                    "containers": [{"name": "c", "command": ["true"], "$setElementOrder/env": [{"name": "A"}]}]}}),
                json!({"metadata": {"finalizers": ["a", "b"]}, "spec": {"containers": [
                    {"name": "c", "image": "busybox:1.36", "command": ["true"],
                     "env": [{"name": "A", "value": "1"}],
                     "ports": [{"containerPort": 80, "protocol": "TCP"}]}
                ], "tolerations": [{"key": "x", "operator": "Exists"}]}}),
            ),
            (
                "$patch: replace on a list element replaces the list; null deletes a field",
                json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}, "spec": {
                    "containers": [{"$patch": "replace"}, {"name": "d", "image": "nginx"}],
                    "tolerations": null}}),
                json!({"metadata": {"finalizers": []}, "spec": {"containers": [
                    {"name": "d", "image": "nginx"}]}}),
            ),
        ];
        for (name, patch, want) in cases {
            let mut doc = pod.clone();
            strategic_merge_patch(&mut doc, patch);
            assert_eq!(&doc, want, "{name}");
        }
    }

    #[test]
    fn strategic_merge_patch_service_ports_merge_on_port() {
        let mut svc = json!({"spec": {"ports": [
            {"name": "http", "port": 80, "targetPort": 8080},
            {"name": "https", "port": 443}]}});
        strategic_merge_patch(
            &mut svc,
            &json!({"spec": {"ports": [{"port": 80, "targetPort": 9090}]}}),
        );
        assert_eq!(
            svc,
            json!({"spec": {"ports": [
            {"name": "http", "port": 80, "targetPort": 9090},
            {"name": "https", "port": 443}]}})
        );
        // An EndpointSlice's ports (top level) are atomic.
        let mut slice = json!({"ports": [{"name": "a", "port": 1}, {"name": "b", "port": 2}]});
        strategic_merge_patch(&mut slice, &json!({"ports": [{"port": 1}]}));
        assert_eq!(slice, json!({"ports": [{"port": 1}]}));
    }

    /// `kubectl apply`'s three-way merge: the manifest's fields are set, fields the last applied
    /// configuration had and the manifest dropped are removed, everything else in the live object
    /// (defaults, other clients' fields, elements they added to merged lists) stays.
    #[test]
    fn apply_three_way_keeps_defaults_and_removes_what_the_manifest_dropped() {
        let last = json!({"metadata": {"labels": {"a": "1", "b": "2"}}, "spec": {"containers": [
            {"name": "c", "image": "nginx:1.27", "env": [{"name": "X", "value": "1"}]},
            {"name": "gone", "image": "busybox"}]}});
        let live = json!({"metadata": {"labels": {"a": "1", "b": "2", "other": "x"}}, "spec": {
            "containers": [
                {"name": "c", "image": "nginx:1.27", "imagePullPolicy": "IfNotPresent",
                 "env": [{"name": "X", "value": "1"}],
                 "volumeMounts": [{"name": "kube-api-access", "mountPath": "/var/run/secrets"}]},
                {"name": "gone", "image": "busybox"},
                {"name": "injected", "image": "proxy"}],
            "restartPolicy": "Always"}});
        let cases: &[(&str, Value, Value)] = &[
            (
                "the same manifest changes nothing",
                last.clone(),
                live.clone(),
            ),
            (
                "a dropped label and container go; an added env var is merged in; defaults stay",
                json!({"metadata": {"labels": {"a": "1"}}, "spec": {"containers": [
                    {"name": "c", "image": "nginx:1.28",
                     "env": [{"name": "X", "value": "1"}, {"name": "Y", "value": "2"}]}]}}),
                json!({"metadata": {"labels": {"a": "1", "other": "x"}}, "spec": {
                    "containers": [
                        {"name": "c", "image": "nginx:1.28", "imagePullPolicy": "IfNotPresent",
                         "env": [{"name": "X", "value": "1"}, {"name": "Y", "value": "2"}],
                         "volumeMounts": [{"name": "kube-api-access", "mountPath": "/var/run/secrets"}]},
                        {"name": "injected", "image": "proxy"}],
                    "restartPolicy": "Always"}}),
            ),
        ];
        for (name, manifest, want) in cases {
            let mut doc = live.clone();
            apply_three_way(&mut doc, &last, manifest);
            assert_eq!(&doc, want, "{name}");
        }
        // No last-applied configuration (an object created with `kubectl create`): nothing is
        // removed, the manifest's fields are set.
        let mut doc = live.clone();
        apply_three_way(
            &mut doc,
            &Value::Null,
            &json!({"spec": {"restartPolicy": "Never"}}),
        );
        assert_eq!(doc.pointer("/spec/restartPolicy"), Some(&json!("Never")));
        assert_eq!(
            doc.pointer("/spec/containers/2/name"),
            Some(&json!("injected"))
        );
    }

    #[test]
    fn json_patch_ops() {
        let mut doc = json!({"spec": {"parallelism": 1, "list": [1, 2]}});
        json_patch(
            &mut doc,
            &json!([
                {"op": "replace", "path": "/spec/parallelism", "value": 3},
                {"op": "add", "path": "/spec/list/-", "value": 9},
                {"op": "remove", "path": "/spec/list/0"},
                {"op": "test", "path": "/spec/parallelism", "value": 3}
            ]),
        )
        .unwrap();
        assert_eq!(doc, json!({"spec": {"parallelism": 3, "list": [2, 9]}}));
        assert!(json_patch(
            &mut doc,
            &json!([{"op": "replace", "path": "/nope", "value": 1}])
        )
        .is_err());
        assert!(json_patch(&mut doc, &json!({"op": "x"})).is_err());
    }
}
