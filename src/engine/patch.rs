//! JSON merge patch (RFC 7386), JSON patch (RFC 6902) and the three-way merge `kubectl apply`
//! computes, over `serde_json::Value`.
//!
//! Simplification: strategic merge patch is applied as a JSON merge patch, so lists are replaced
//! whole rather than merged by key (kubectl's `patch` default is strategic; most patches learners
//! write touch scalars and maps, where the two agree).

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
