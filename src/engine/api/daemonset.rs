//! apps/v1 DaemonSet on the API server: defaulting (`pkg/apis/apps/v1/defaults.go`
//! `SetDefaults_DaemonSet`), the registry strategy (`pkg/registry/apps/daemonset/strategy.go`)
//! and validation (`pkg/apis/apps/validation/validation.go` `ValidateDaemonSet*`).
//!
//! The internal `spec.templateGeneration` field lives, as on apps/v1, only in the annotation
//! `deprecated.daemonset.template.generation`.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetUpdateStrategy, RollingUpdateDaemonSet};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::engine::selector::Selector;
use crate::engine::validation::{self, go_label_selector, go_string_map, ErrorValue, FieldError};

/// The apps/v1 annotation carrying the template generation.
pub const TEMPLATE_GENERATION_ANNOTATION: &str = "deprecated.daemonset.template.generation";

/// Defaulting (`SetDefaults_DaemonSet`): updateStrategy RollingUpdate with maxUnavailable 1 and
/// maxSurge 0, revisionHistoryLimit 10. (minReadySeconds defaults to 0, which apps/v1 omits.)
pub fn default(obj: &mut DaemonSet) {
    let Some(spec) = obj.spec.as_mut() else {
        return;
    };
    let strategy = spec.update_strategy.get_or_insert_with(Default::default);
    let type_ = strategy
        .type_
        .get_or_insert_with(|| "RollingUpdate".to_string());
    if type_ == "RollingUpdate" {
        let ru = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDaemonSet::default);
        ru.max_unavailable.get_or_insert(IntOrString::Int(1));
        ru.max_surge.get_or_insert(IntOrString::Int(0));
    }
    spec.revision_history_limit.get_or_insert(10);
}

/// The template generation stored in the annotation (0 if missing or not a number).
pub fn template_generation(obj: &DaemonSet) -> i64 {
    obj.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(TEMPLATE_GENERATION_ANNOTATION))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn set_template_generation(obj: &mut DaemonSet, generation: i64) {
    obj.metadata
        .annotations
        .get_or_insert_with(Default::default)
        .insert(
            TEMPLATE_GENERATION_ANNOTATION.to_string(),
            generation.to_string(),
        );
}

/// `PrepareForCreate`: status cleared (by the caller), template generation at least 1.
pub fn prepare_for_create(obj: &mut DaemonSet) {
    obj.status = None;
    let g = template_generation(obj).max(1);
    set_template_generation(obj, g);
}

/// `PrepareForUpdate`: status kept (by the caller); the template generation is the stored one,
/// plus one if the template changed. (The caller bumps `metadata.generation` on spec changes.)
pub fn prepare_for_update(obj: &mut DaemonSet, old: &DaemonSet) {
    let mut g = template_generation(old);
    let template = |d: &DaemonSet| d.spec.as_ref().map(|s| s.template.clone());
    if template(obj) != template(old) {
        g += 1;
    }
    set_template_generation(obj, g);
}

/// `ValidateDaemonSetSpec` (metadata is validated by the caller), every error collected.
///
/// k8s-openapi cannot tell a missing `spec.selector` from `selector: {}`: both are treated as
/// missing (Go `nil`), which matches nothing, so the error is upstream's
/// ``spec.template.metadata.labels: Invalid value: …: `selector` does not match template
/// `labels` ``. `selector: {matchLabels: {}}` is the empty selector.
pub fn validate(obj: &DaemonSet) -> Vec<FieldError> {
    let Some(spec) = obj.spec.as_ref() else {
        return vec![FieldError::required("spec", "")];
    };
    let mut errs = validation::validate_label_selector(&spec.selector, "spec.selector");
    let missing = spec.selector.match_labels.is_none() && spec.selector.match_expressions.is_none();
    let template_labels = spec
        .template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    let matches = if missing {
        Some(false)
    } else {
        Selector::from_label_selector(&spec.selector)
            .ok()
            .map(|s| s.matches(&template_labels))
    };
    if matches == Some(false) {
        let shown = match spec
            .template
            .metadata
            .as_ref()
            .and_then(|m| m.labels.as_ref())
        {
            Some(l) => go_string_map(l),
            None => "map[string]string(nil)".to_string(),
        };
        errs.push(FieldError::invalid(
            "spec.template.metadata.labels",
            ErrorValue::Raw(shown),
            "`selector` does not match template `labels`",
        ));
    }
    if !missing && selector_is_empty(&spec.selector) {
        errs.push(FieldError::invalid(
            "spec.selector",
            ErrorValue::Raw(go_label_selector(&spec.selector)),
            "empty selector is invalid for daemonset",
        ));
    }
    errs.extend(validation::validate_pod_template_spec(
        &spec.template,
        "spec.template",
    ));
    let pod_spec = spec.template.spec.clone().unwrap_or_default();
    let restart = pod_spec.restart_policy.as_deref().unwrap_or("Always");
    if restart != "Always" {
        errs.push(FieldError::not_supported(
            "spec.template.spec.restartPolicy",
            restart,
            &["Always"],
        ));
    }
    if pod_spec.active_deadline_seconds.is_some() {
        errs.push(FieldError::forbidden(
            "spec.template.spec.activeDeadlineSeconds",
            "activeDeadlineSeconds in DaemonSet is not Supported",
        ));
    }
    errs.extend(validation::validate_nonnegative(
        i64::from(spec.min_ready_seconds.unwrap_or(0)),
        "spec.minReadySeconds",
    ));
    errs.extend(validation::validate_nonnegative(
        template_generation(obj),
        "spec.templateGeneration",
    ));
    errs.extend(validate_update_strategy(spec.update_strategy.as_ref()));
    if let Some(limit) = spec.revision_history_limit {
        errs.extend(validation::validate_nonnegative(
            i64::from(limit),
            "spec.revisionHistoryLimit",
        ));
    }
    errs
}

/// `ValidateDaemonSetUpdate` plus the registry's selector immutability (apps/v1).
pub fn validate_update(obj: &DaemonSet, old: &DaemonSet) -> Vec<FieldError> {
    let mut errs = validate(obj);
    let sel = |d: &DaemonSet| d.spec.as_ref().map(|s| normalized(&s.selector));
    if sel(obj) != sel(old) {
        let shown = obj
            .spec
            .as_ref()
            .map(|s| go_label_selector(&s.selector))
            .unwrap_or_else(|| "(*v1.LabelSelector)(nil)".to_string());
        errs.push(FieldError::invalid(
            "spec.selector",
            ErrorValue::Raw(shown),
            "field is immutable",
        ));
    }
    errs
}

/// One `matchExpressions` entry as (key, operator, values).
type Expression = (String, String, Vec<String>);

/// `apiequality.Semantic` treats nil and empty maps and slices alike.
fn normalized(sel: &LabelSelector) -> (BTreeMap<String, String>, Vec<Expression>) {
    (
        sel.match_labels.clone().unwrap_or_default(),
        sel.match_expressions
            .iter()
            .flatten()
            .map(|e| {
                (
                    e.key.clone(),
                    e.operator.clone(),
                    e.values.clone().unwrap_or_default(),
                )
            })
            .collect(),
    )
}

fn selector_is_empty(sel: &LabelSelector) -> bool {
    sel.match_labels.as_ref().is_none_or(BTreeMap::is_empty)
        && sel.match_expressions.as_ref().is_none_or(Vec::is_empty)
}

/// An `intstr.IntOrString` value as a field error prints it: its `String` method has a pointer
/// receiver, so the value falls back to Go's `%#v`
/// (`intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}`).
fn int_or_string_value(v: &IntOrString) -> ErrorValue {
    ErrorValue::Raw(match v {
        IntOrString::Int(i) => format!("intstr.IntOrString{{Type:0, IntVal:{i}, StrVal:\"\"}}"),
        IntOrString::String(s) => format!(
            "intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}",
            validation::go_quote(s)
        ),
    })
}

/// `getPercentValue`: the number of a valid `N%` string.
fn percent_value(v: &IntOrString) -> Option<i64> {
    match v {
        IntOrString::String(s) if is_valid_percent(s) => s.strip_suffix('%')?.parse().ok(),
        _ => None,
    }
}

fn is_valid_percent(s: &str) -> bool {
    s.strip_suffix('%')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `getIntOrPercentValue`: the percent number, else `IntValue()` (a non-numeric string is 0).
fn int_or_percent_value(v: &IntOrString) -> i64 {
    if let Some(p) = percent_value(v) {
        return p;
    }
    match v {
        IntOrString::Int(i) => i64::from(*i),
        IntOrString::String(s) => s.parse().unwrap_or(0),
    }
}

/// `ValidatePositiveIntOrPercent` + `IsNotMoreThan100Percent` for one field.
fn validate_int_or_percent(v: &IntOrString, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match v {
        IntOrString::String(s) if !is_valid_percent(s) => errs.push(FieldError::invalid(
            path,
            int_or_string_value(v),
            validation::regex_error(
                "a valid percent string must be a numeric string followed by an ending '%'",
                "[0-9]+%",
                &["1%", "93%"],
            ),
        )),
        IntOrString::String(_) => {}
        IntOrString::Int(i) => errs.extend(validation::validate_nonnegative(i64::from(*i), path)),
    }
    errs
}

fn not_more_than_100_percent(v: &IntOrString, path: &str) -> Vec<FieldError> {
    match percent_value(v) {
        Some(p) if p > 100 => vec![FieldError::invalid(
            path,
            int_or_string_value(v),
            "must not be greater than 100%",
        )],
        _ => Vec::new(),
    }
}

/// `ValidateDaemonSetUpdateStrategy` and `ValidateRollingUpdateDaemonSet`.
fn validate_update_strategy(strategy: Option<&DaemonSetUpdateStrategy>) -> Vec<FieldError> {
    let default = DaemonSetUpdateStrategy::default();
    let strategy = strategy.unwrap_or(&default);
    let path = "spec.updateStrategy";
    match strategy.type_.as_deref().unwrap_or_default() {
        "OnDelete" => Vec::new(),
        "RollingUpdate" => {
            let Some(ru) = strategy.rolling_update.as_ref() else {
                return vec![FieldError::required(format!("{path}.rollingUpdate"), "")];
            };
            let zero = IntOrString::Int(0);
            let mu = ru.max_unavailable.as_ref().unwrap_or(&zero);
            let ms = ru.max_surge.as_ref().unwrap_or(&zero);
            let mu_path = format!("{path}.rollingUpdate.maxUnavailable");
            let ms_path = format!("{path}.rollingUpdate.maxSurge");
            let mut errs = validate_int_or_percent(mu, &mu_path);
            errs.extend(validate_int_or_percent(ms, &ms_path));
            errs.extend(not_more_than_100_percent(mu, &mu_path));
            errs.extend(not_more_than_100_percent(ms, &ms_path));
            let has_unavailable = int_or_percent_value(mu) != 0;
            let has_surge = int_or_percent_value(ms) != 0;
            if has_unavailable && has_surge {
                errs.push(FieldError::invalid(
                    ms_path,
                    int_or_string_value(ms),
                    "may not be set when maxUnavailable is non-zero",
                ));
            } else if !has_unavailable && !has_surge {
                errs.push(FieldError::required(
                    mu_path,
                    "cannot be 0 when maxSurge is 0",
                ));
            }
            errs
        }
        other => {
            // Go prints the whole internal struct; a non-nil pointer prints as an address,
            // here a fixed one.
            let ru = if strategy.rolling_update.is_some() {
                "(*apps.RollingUpdateDaemonSet)(0xc000a1e2f0)"
            } else {
                "(*apps.RollingUpdateDaemonSet)(nil)"
            };
            vec![FieldError::not_supported(
                path,
                ErrorValue::Raw(format!(
                    "apps.DaemonSetUpdateStrategy{{Type:{}, RollingUpdate:{ru}}}",
                    validation::go_quote(other)
                )),
                &["RollingUpdate", "OnDelete"],
            )]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::api::defaults::default_pod_spec;
    use k8s_openapi::api::apps::v1::DaemonSetSpec;
    use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// A valid, defaulted DaemonSet `x` selecting `app=x`.
    fn valid() -> DaemonSet {
        let mut spec = PodSpec {
            containers: vec![Container {
                name: "app".into(),
                image: Some("nginx:1.27".into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        default_pod_spec(&mut spec);
        let mut ds = DaemonSet {
            metadata: ObjectMeta {
                name: Some("x".into()),
                ..Default::default()
            },
            spec: Some(DaemonSetSpec {
                selector: LabelSelector {
                    match_labels: Some(labels(&[("app", "x")])),
                    match_expressions: None,
                },
                template: PodTemplateSpec {
                    metadata: Some(ObjectMeta {
                        labels: Some(labels(&[("app", "x")])),
                        ..Default::default()
                    }),
                    spec: Some(spec),
                },
                ..Default::default()
            }),
            status: None,
        };
        default(&mut ds);
        prepare_for_create(&mut ds);
        ds
    }

    fn spec(ds: &mut DaemonSet) -> &mut DaemonSetSpec {
        ds.spec.get_or_insert_with(Default::default)
    }

    fn pod(ds: &mut DaemonSet) -> &mut PodSpec {
        spec(ds).template.spec.get_or_insert_with(Default::default)
    }

    fn rolling(ds: &mut DaemonSet, mu: IntOrString, ms: IntOrString) {
        spec(ds).update_strategy = Some(DaemonSetUpdateStrategy {
            type_: Some("RollingUpdate".into()),
            rolling_update: Some(RollingUpdateDaemonSet {
                max_unavailable: Some(mu),
                max_surge: Some(ms),
            }),
        });
    }

    struct Case {
        name: &'static str,
        mutate: fn(&mut DaemonSet),
        want: &'static [&'static str],
    }

    #[test]
    fn validate_daemon_set_spec() {
        let percent_msg = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";
        let cases = [
            Case { name: "valid", mutate: |_| {}, want: &[] },
            Case {
                name: "selector does not match template labels",
                mutate: |d| spec(d).selector.match_labels = Some(labels(&[("app", "y")])),
                want: &["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"x\"}: `selector` does not match template `labels`"],
            },
            Case {
                name: "missing selector (nil) matches nothing",
                mutate: |d| spec(d).selector = LabelSelector::default(),
                want: &["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"x\"}: `selector` does not match template `labels`"],
            },
            Case {
                name: "empty selector",
                mutate: |d| spec(d).selector.match_labels = Some(BTreeMap::new()),
                want: &["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset"],
            },
            Case {
                name: "restartPolicy Never",
                mutate: |d| pod(d).restart_policy = Some("Never".into()),
                want: &["spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""],
            },
            Case {
                name: "activeDeadlineSeconds",
                mutate: |d| pod(d).active_deadline_seconds = Some(10),
                want: &["spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported"],
            },
            Case {
                name: "negative minReadySeconds",
                mutate: |d| spec(d).min_ready_seconds = Some(-1),
                want: &["spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0"],
            },
            Case {
                name: "negative revisionHistoryLimit",
                mutate: |d| spec(d).revision_history_limit = Some(-2),
                want: &["spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0"],
            },
            Case {
                name: "maxSurge and maxUnavailable both set",
                mutate: |d| rolling(d, IntOrString::Int(1), IntOrString::Int(1)),
                want: &["spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: may not be set when maxUnavailable is non-zero"],
            },
            Case {
                name: "both zero",
                mutate: |d| rolling(d, IntOrString::String("0%".into()), IntOrString::Int(0)),
                want: &["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"],
            },
            Case {
                name: "negative maxUnavailable",
                mutate: |d| rolling(d, IntOrString::Int(-1), IntOrString::Int(0)),
                want: &["spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"],
            },
            Case {
                name: "percent over 100",
                mutate: |d| rolling(d, IntOrString::String("150%".into()), IntOrString::Int(0)),
                want: &["spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%"],
            },
            Case {
                name: "surge only is fine",
                mutate: |d| rolling(d, IntOrString::Int(0), IntOrString::String("25%".into())),
                want: &[],
            },
            Case {
                name: "strategy type",
                mutate: |d| {
                    spec(d).update_strategy = Some(DaemonSetUpdateStrategy {
                        type_: Some("Foo".into()),
                        rolling_update: None,
                    })
                },
                want: &["spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:\"Foo\", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: \"RollingUpdate\", \"OnDelete\""],
            },
            Case {
                name: "invalid selector operator",
                mutate: |d| {
                    spec(d).selector.match_expressions = Some(vec![
                        k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement {
                            key: "app".into(),
                            operator: "Is".into(),
                            values: Some(vec!["x".into()]),
                        },
                    ])
                },
                want: &["spec.selector.matchExpressions[0].operator: Invalid value: \"Is\": not a valid selector operator"],
            },
        ];
        for c in &cases {
            let mut d = valid();
            (c.mutate)(&mut d);
            let got: Vec<String> = validate(&d).iter().map(ToString::to_string).collect();
            assert_eq!(got, c.want, "{}", c.name);
        }
        // A bad percent also counts as 0 for the "one of them non-zero" rule.
        let mut d = valid();
        rolling(
            &mut d,
            IntOrString::String("abc".into()),
            IntOrString::Int(0),
        );
        let got: Vec<String> = validate(&d).iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                format!("spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{{Type:1, IntVal:0, StrVal:\"abc\"}}: {percent_msg}"),
                "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0".to_string(),
            ]
        );
    }

    #[test]
    fn selector_is_immutable() {
        let old = valid();
        let mut new = valid();
        spec(&mut new).selector.match_labels = Some(labels(&[("app", "y")]));
        spec(&mut new)
            .template
            .metadata
            .get_or_insert_with(Default::default)
            .labels = Some(labels(&[("app", "y")]));
        let got: Vec<String> = validate_update(&new, &old)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            got,
            ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"y\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"]
        );
        // nil and empty expressions are the same selector.
        let mut same = valid();
        spec(&mut same).selector.match_expressions = Some(Vec::new());
        assert!(validate_update(&same, &old).is_empty());
    }

    #[test]
    fn defaults_and_template_generation() {
        let d = valid();
        let s = d.spec.clone().unwrap();
        let strategy = s.update_strategy.unwrap();
        assert_eq!(strategy.type_.as_deref(), Some("RollingUpdate"));
        let ru = strategy.rolling_update.unwrap();
        assert_eq!(
            (ru.max_unavailable, ru.max_surge),
            (Some(IntOrString::Int(1)), Some(IntOrString::Int(0)))
        );
        assert_eq!(s.revision_history_limit, Some(10));
        assert_eq!(s.min_ready_seconds, None);
        assert_eq!(template_generation(&d), 1);
        // OnDelete gets no rollingUpdate.
        let mut od = valid();
        spec(&mut od).update_strategy = Some(DaemonSetUpdateStrategy {
            type_: Some("OnDelete".into()),
            rolling_update: None,
        });
        default(&mut od);
        assert!(od
            .spec
            .unwrap()
            .update_strategy
            .unwrap()
            .rolling_update
            .is_none());
        // Only a template change bumps the template generation; a user cannot set it.
        let mut upd = d.clone();
        spec(&mut upd).min_ready_seconds = Some(5);
        upd.metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert(TEMPLATE_GENERATION_ANNOTATION.into(), "9".into());
        prepare_for_update(&mut upd, &d);
        assert_eq!(template_generation(&upd), 1);
        let mut upd2 = upd.clone();
        pod(&mut upd2).containers[0].image = Some("nginx:1.28".into());
        prepare_for_update(&mut upd2, &upd);
        assert_eq!(template_generation(&upd2), 2);
    }

    #[test]
    fn api_server_rejects_with_upstream_message() {
        let mut c = crate::engine::Cluster::new(1);
        let mut d = valid();
        pod(&mut d).restart_policy = Some("Never".into());
        let err = c
            .create(crate::engine::api::Object::DaemonSet(d))
            .unwrap_err();
        assert!(
            err.message.contains("spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""),
            "{}",
            err.message
        );
    }
}
