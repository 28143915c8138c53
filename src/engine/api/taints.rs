//! Taints and tolerations (`k8s.io/api/core/v1/toleration.go`, `taint.go`): the one place that
//! decides whether a toleration tolerates a taint, used by the scheduler, the DaemonSet
//! controller and taint-based eviction.

use k8s_openapi::api::core::v1::{Taint, Toleration};

/// Taint added while a node's Ready condition is Unknown.
pub const TAINT_UNREACHABLE: &str = "node.kubernetes.io/unreachable";
/// Taint added while a node's Ready condition is False.
pub const TAINT_NOT_READY: &str = "node.kubernetes.io/not-ready";
/// Taint an administrator puts on a node that is shut down for good
/// (`v1.TaintNodeOutOfService`): PodGC then force-deletes its terminating pods.
pub const TAINT_OUT_OF_SERVICE: &str = "node.kubernetes.io/out-of-service";
/// Taint mirroring `spec.unschedulable`.
pub const TAINT_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

/// Whether `t` tolerates `taint` (`Toleration.ToleratesTaint`): effects match (an empty effect
/// matches all), keys match (an empty key with `Exists` matches all), and with `Equal` (the
/// default operator) the values match.
pub fn tolerates(t: &Toleration, taint: &Taint) -> bool {
    if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty()) {
        if e != taint.effect {
            return false;
        }
    }
    let key = t.key.as_deref().unwrap_or_default();
    if !key.is_empty() && key != taint.key {
        return false;
    }
    match t.operator.as_deref().unwrap_or("Equal") {
        "Exists" => true,
        "Equal" | "" => {
            !key.is_empty()
                && t.value.as_deref().unwrap_or_default()
                    == taint.value.as_deref().unwrap_or_default()
        }
        _ => false,
    }
}

/// The first taint, among those whose effect passes `effects`, that no toleration tolerates.
pub fn find_untolerated<'a>(
    taints: &'a [Taint],
    tolerations: &[Toleration],
    effects: &[&str],
) -> Option<&'a Taint> {
    taints
        .iter()
        .filter(|t| effects.contains(&t.effect.as_str()))
        .find(|taint| !tolerations.iter().any(|t| tolerates(t, taint)))
}

/// How a taint prints in messages and `kubectl describe`: `key=value:Effect` (`key:Effect` with
/// no value).
pub fn format_taint(t: &Taint) -> String {
    match t.value.as_deref().filter(|v| !v.is_empty()) {
        Some(v) => format!("{}={}:{}", t.key, v, t.effect),
        None => format!("{}:{}", t.key, t.effect),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str, value: &str, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            value: if value.is_empty() {
                None
            } else {
                Some(value.into())
            },
            effect: effect.into(),
            time_added: None,
        }
    }

    fn tol(key: &str, op: &str, value: &str, effect: &str) -> Toleration {
        Toleration {
            key: if key.is_empty() {
                None
            } else {
                Some(key.into())
            },
            operator: if op.is_empty() { None } else { Some(op.into()) },
            value: if value.is_empty() {
                None
            } else {
                Some(value.into())
            },
            effect: if effect.is_empty() {
                None
            } else {
                Some(effect.into())
            },
            toleration_seconds: None,
        }
    }

    #[test]
    fn toleration_matching_mirrors_upstream() {
        struct Case {
            name: &'static str,
            toleration: Toleration,
            taint: Taint,
            want: bool,
        }
        let cases = [
            Case {
                name: "equal key value effect",
                toleration: tol("k", "Equal", "v", "NoSchedule"),
                taint: taint("k", "v", "NoSchedule"),
                want: true,
            },
            Case {
                name: "default operator is Equal",
                toleration: tol("k", "", "v", ""),
                taint: taint("k", "v", "NoExecute"),
                want: true,
            },
            Case {
                name: "value mismatch",
                toleration: tol("k", "Equal", "w", ""),
                taint: taint("k", "v", "NoSchedule"),
                want: false,
            },
            Case {
                name: "effect mismatch",
                toleration: tol("k", "Exists", "", "NoSchedule"),
                taint: taint("k", "", "NoExecute"),
                want: false,
            },
            Case {
                name: "exists ignores value",
                toleration: tol("k", "Exists", "", ""),
                taint: taint("k", "v", "NoSchedule"),
                want: true,
            },
            Case {
                name: "empty key exists tolerates everything",
                toleration: tol("", "Exists", "", ""),
                taint: taint("any", "x", "NoExecute"),
                want: true,
            },
            Case {
                name: "key mismatch",
                toleration: tol("a", "Exists", "", ""),
                taint: taint("b", "", "NoSchedule"),
                want: false,
            },
        ];
        for c in cases {
            assert_eq!(tolerates(&c.toleration, &c.taint), c.want, "{}", c.name);
        }
    }

    #[test]
    fn formats_like_kubectl() {
        assert_eq!(
            format_taint(&taint("dedicated", "gpu", "NoSchedule")),
            "dedicated=gpu:NoSchedule"
        );
        assert_eq!(format_taint(&taint("k", "", "NoExecute")), "k:NoExecute");
    }
}
