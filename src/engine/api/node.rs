//! core/v1 Node validation (`pkg/apis/core/validation/validation.go` `ValidateNode`,
//! `validateNodeTaints`, `validateTaintEffect`, `ValidateNodeResources`).
//!
//! Upstream quirk kept on purpose: taint errors are reported under `metadata.taints[i]`, not
//! `spec.taints[i]` (the path is built from the `metadata` path). Simplifications: podCIDRs,
//! providerID and configSource are not checked; metadata is validated by the caller.

use k8s_openapi::api::core::v1::{Node, Taint};

use crate::engine::quantity::Quantity;
use crate::engine::validation::{self, go_quote, ErrorValue, FieldError};

const TAINT_EFFECTS: [&str; 3] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/// Go's `%#v` of an internal `core.Taint` (the value of the duplicate-taint error). A set
/// `timeAdded` is a pointer, printed as a fixed address.
fn go_taint(t: &Taint) -> String {
    let time = if t.time_added.is_some() {
        "(*v1.Time)(0xc000a1e300)"
    } else {
        "(*v1.Time)(nil)"
    };
    format!(
        "core.Taint{{Key:{}, Value:{}, Effect:{}, TimeAdded:{time}}}",
        go_quote(&t.key),
        go_quote(t.value.as_deref().unwrap_or("")),
        go_quote(&t.effect),
    )
}

/// Upstream `validateTaintEffect`: `allow_empty` is false for node taints.
pub fn validate_taint_effect(effect: &str, allow_empty: bool, path: &str) -> Vec<FieldError> {
    if !allow_empty && effect.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    if TAINT_EFFECTS.contains(&effect) {
        Vec::new()
    } else {
        vec![FieldError::not_supported(path, effect, &TAINT_EFFECTS)]
    }
}

/// Upstream `validateNodeTaints`: key, value and effect of each taint, unique by key and effect.
pub fn validate_node_taints(taints: &[Taint], path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (i, t) in taints.iter().enumerate() {
        let ip = format!("{path}[{i}]");
        for m in validation::is_qualified_name(&t.key) {
            errs.push(FieldError::invalid(format!("{ip}.key"), &t.key, m));
        }
        let value = t.value.as_deref().unwrap_or("");
        let msgs = validation::is_valid_label_value(value);
        if !msgs.is_empty() {
            errs.push(FieldError::invalid(
                format!("{ip}.value"),
                value,
                msgs.join(";"),
            ));
        }
        errs.extend(validate_taint_effect(
            &t.effect,
            false,
            &format!("{ip}.effect"),
        ));
        if seen.contains(&(t.effect.as_str(), t.key.as_str())) {
            let mut dup = FieldError::duplicate(&ip, ErrorValue::Raw(go_taint(t)));
            dup.detail = "taints must be unique by key and effect pair".to_string();
            errs.push(dup);
            continue;
        }
        seen.push((t.effect.as_str(), t.key.as_str()));
    }
    errs
}

/// `ValidateNode` / `ValidateNodeUpdate` (taints and resource quantities; see the module doc).
pub fn validate(node: &Node) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(taints) = node.spec.as_ref().and_then(|s| s.taints.as_ref()) {
        errs.extend(validate_node_taints(taints, "metadata.taints"));
    }
    let status = node.status.as_ref();
    for (field, list) in [
        ("capacity", status.and_then(|s| s.capacity.as_ref())),
        ("allocatable", status.and_then(|s| s.allocatable.as_ref())),
    ] {
        for (name, q) in list.into_iter().flatten() {
            let p = format!("status.{field}.{name}");
            match Quantity::parse(&q.0) {
                Err(e) => errs.push(FieldError::invalid(&p, q.0.as_str(), e.to_string())),
                Ok(v) if v.milli_value() < 0 => errs.push(FieldError::invalid(
                    &p,
                    v.to_string(),
                    validation::IS_NEGATIVE_ERROR_MSG,
                )),
                Ok(v) if name == "pods" && v.milli_value() % 1000 != 0 => errs.push(
                    FieldError::invalid(&p, ErrorValue::Raw(v.to_string()), "must be an integer"),
                ),
                Ok(_) => {}
            }
        }
    }
    errs
}
