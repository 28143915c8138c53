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

/// `ValidateDaemonSetUpdate` plus the registry's selector immutability (apps/v1). (Upstream's
/// strategy also validates the spec a second time; the API error's message lists each error
/// once, so it is validated once here.)
pub fn validate_update(obj: &DaemonSet, old: &DaemonSet) -> Vec<FieldError> {
    let mut errs = validate(obj);
    errs.extend(validate_spec_update(obj, old));
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

/// `ValidateDaemonSetSpecUpdate`: the template generation never decreases, and grows exactly when
/// the template changes. (`PrepareForUpdate` sets it that way before validation, so through the
/// API server this never fails.)
pub fn validate_spec_update(obj: &DaemonSet, old: &DaemonSet) -> Vec<FieldError> {
    let path = "spec.templateGeneration";
    let (new_gen, old_gen) = (template_generation(obj), template_generation(old));
    let mut errs = Vec::new();
    if new_gen < old_gen {
        errs.push(FieldError::invalid(
            path,
            new_gen,
            "must not be decremented",
        ));
    }
    let template = |d: &DaemonSet| d.spec.as_ref().map(|s| s.template.clone());
    let template_updated = template(obj) != template(old);
    if new_gen == old_gen && template_updated {
        errs.push(FieldError::invalid(
            path,
            new_gen,
            "must be incremented upon template update",
        ));
    } else if new_gen > old_gen && !template_updated {
        errs.push(FieldError::invalid(
            path,
            new_gen,
            "must not be incremented without template update",
        ));
    }
    errs
}

/// `ValidateDaemonSetStatusUpdate` (status part; metadata is validated by the caller): every
/// counter non-negative, and `collisionCount` never decremented.
pub fn validate_status_update(obj: &DaemonSet, old: &DaemonSet) -> Vec<FieldError> {
    let status = obj.status.clone().unwrap_or_default();
    let mut errs = Vec::new();
    for (value, field) in [
        (status.current_number_scheduled, "currentNumberScheduled"),
        (status.number_misscheduled, "numberMisscheduled"),
        (status.desired_number_scheduled, "desiredNumberScheduled"),
        (status.number_ready, "numberReady"),
    ] {
        errs.extend(validation::validate_nonnegative(
            i64::from(value),
            &format!("status.{field}"),
        ));
    }
    errs.extend(validation::validate_nonnegative(
        status.observed_generation.unwrap_or(0),
        "status.observedGeneration",
    ));
    for (value, field) in [
        (status.updated_number_scheduled, "updatedNumberScheduled"),
        (status.number_available, "numberAvailable"),
        (status.number_unavailable, "numberUnavailable"),
    ] {
        errs.extend(validation::validate_nonnegative(
            i64::from(value.unwrap_or(0)),
            &format!("status.{field}"),
        ));
    }
    if let Some(c) = status.collision_count {
        errs.extend(validation::validate_nonnegative(
            i64::from(c),
            "status.collisionCount",
        ));
    }
    let old_count = old.status.as_ref().and_then(|s| s.collision_count);
    // `IsDecremented`: unset after set, or smaller.
    let decremented = match (status.collision_count, old_count) {
        (None, Some(_)) => true,
        (Some(new), Some(old)) => new < old,
        _ => false,
    };
    if decremented {
        errs.push(FieldError::invalid(
            "status.collisionCount",
            i64::from(status.collision_count.unwrap_or(0)),
            "cannot be decremented",
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

    fn render(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    /// The templateGeneration cases of upstream `TestValidateDaemonSetUpdate`
    /// (`ValidateDaemonSetSpecUpdate`), called directly: through the API server
    /// `PrepareForUpdate` always sets the generation right.
    #[test]
    fn validate_daemon_set_spec_update_template_generation() {
        let with_gen = |g: i64, image: &str| {
            let mut d = valid();
            set_template_generation(&mut d, g);
            pod(&mut d).containers[0].image = Some(image.into());
            d
        };
        let cases = [
            ("no change", with_gen(1, "a"), with_gen(1, "a"), vec![]),
            ("change template", with_gen(3, "a"), with_gen(4, "b"), vec![]),
            (
                "decreased templateGeneration",
                with_gen(2, "a"),
                with_gen(1, "a"),
                vec!["spec.templateGeneration: Invalid value: 1: must not be decremented"],
            ),
            (
                "unchanged templateGeneration upon template update",
                with_gen(2, "a"),
                with_gen(2, "b"),
                vec!["spec.templateGeneration: Invalid value: 2: must be incremented upon template update"],
            ),
            (
                "incremented templateGeneration without template update",
                with_gen(2, "a"),
                with_gen(3, "a"),
                vec!["spec.templateGeneration: Invalid value: 3: must not be incremented without template update"],
            ),
            (
                "negative templateGeneration",
                with_gen(-1, "a"),
                with_gen(-1, "a"),
                vec!["spec.templateGeneration: Invalid value: -1: must be greater than or equal to 0"],
            ),
        ];
        for (name, old, new, want) in cases {
            assert_eq!(render(&validate_update(&new, &old)), want, "{name}");
        }
    }

    /// Upstream `TestValidateDaemonSetStatusUpdate`.
    #[test]
    fn validate_daemon_set_status_update() {
        use k8s_openapi::api::apps::v1::DaemonSetStatus;
        let status = |c: [i32; 8], collision: Option<i32>| {
            let mut d = valid();
            d.status = Some(DaemonSetStatus {
                current_number_scheduled: c[0],
                number_misscheduled: c[1],
                desired_number_scheduled: c[2],
                number_ready: c[3],
                observed_generation: Some(i64::from(c[4])),
                updated_number_scheduled: Some(c[5]),
                number_available: Some(c[6]),
                number_unavailable: Some(c[7]),
                collision_count: collision,
                conditions: None,
            });
            d
        };
        let old = status([1, 2, 3, 1, 3, 1, 1, 2], None);
        assert!(validate_status_update(&status([1, 1, 3, 1, 3, 1, 1, 2], None), &old).is_empty());
        let fields = [
            "currentNumberScheduled",
            "numberMisscheduled",
            "desiredNumberScheduled",
            "numberReady",
            "observedGeneration",
            "updatedNumberScheduled",
            "numberAvailable",
            "numberUnavailable",
        ];
        // "negative values": every counter negative, every one reported in order.
        let got = render(&validate_status_update(
            &status([-1, -1, -3, -1, -3, -1, -1, -2], None),
            &old,
        ));
        let want: Vec<String> = fields
            .iter()
            .zip([-1, -1, -3, -1, -3, -1, -1, -2])
            .map(|(f, v)| {
                format!("status.{f}: Invalid value: {v}: must be greater than or equal to 0")
            })
            .collect();
        assert_eq!(got, want);
        // "negative <Field>": one at a time.
        for (i, f) in fields.iter().enumerate() {
            let mut c = [1, 1, 3, 1, 3, 1, 1, 2];
            c[i] = -1;
            assert_eq!(
                render(&validate_status_update(&status(c, None), &old)),
                [format!(
                    "status.{f}: Invalid value: -1: must be greater than or equal to 0"
                )],
                "negative {f}"
            );
        }
        // collisionCount: non-negative, and never decremented.
        let old = status([1, 2, 3, 1, 3, 1, 1, 2], Some(2));
        assert_eq!(
            render(&validate_status_update(
                &status([1, 2, 3, 1, 3, 1, 1, 2], Some(1)),
                &old
            )),
            ["status.collisionCount: Invalid value: 1: cannot be decremented"]
        );
        assert_eq!(
            render(&validate_status_update(
                &status([1, 2, 3, 1, 3, 1, 1, 2], None),
                &old
            )),
            ["status.collisionCount: Invalid value: 0: cannot be decremented"]
        );
        assert!(
            validate_status_update(&status([1, 2, 3, 1, 3, 1, 1, 2], Some(3)), &old).is_empty()
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
        // The template changed: its generation goes up (as PrepareForUpdate does).
        set_template_generation(&mut new, template_generation(&old) + 1);
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
