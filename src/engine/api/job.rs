//! batch/v1 Job on the API-server side: defaulting (`pkg/apis/batch/v1/defaults.go`
//! `SetDefaults_Job`), the registry strategy (`pkg/registry/batch/job/strategy.go`:
//! `PrepareForCreate` with `generateSelector`, `PrepareForUpdate`) and validation
//! (`pkg/apis/batch/validation/validation.go`: `ValidateJob`, `ValidateJobUpdate`).
//!
//! Simplifications:
//! - Feature gates are at their 1.34 defaults (JobPodReplacementPolicy, JobBackoffLimitPerIndex,
//!   JobSuccessPolicy, JobManagedBy, ElasticIndexedJob, JobMutableNodeSchedulingDirectives on).
//! - Copying the template labels into empty Job labels happens in `prepare_for_create`, after the
//!   selector labels are generated: that is what a real cluster shows, because defaulting runs
//!   again when the stored Job is read back.
//! - The Cluster validates before it assigns the uid, so `validate` generates the selector on a
//!   copy with a placeholder uid to check a user-supplied selector as upstream does after
//!   `PrepareForCreate` (an error message that shows the selector shows the placeholder uid).
//! - Go `%#v` dumps of big structs (`core.PodTemplateSpec`, `batch.PodFailurePolicy`,
//!   `batch.SuccessPolicy`) in `field is immutable` / `requires indexed completion mode` errors
//!   are abbreviated to the fields a user sets; pointers print as `(*T)(…)`, not an address.

use std::collections::BTreeMap;

use k8s_openapi::api::batch::v1::{
    Job, JobSpec, PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement,
    PodFailurePolicyOnPodConditionsPattern, PodFailurePolicyRule, SuccessPolicy,
};
use k8s_openapi::api::core::v1::{PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use crate::engine::selector::Selector;
use crate::engine::validation::{
    go_label_selector, go_quote, go_string_map, is_dns1123_label, is_domain_prefixed_path,
    is_qualified_name, validate_label_selector, validate_nonnegative, validate_pod_template_spec,
    ErrorType, ErrorValue, FieldError,
};

/// Pod-template label with the Job's uid (`batch.kubernetes.io/controller-uid`).
pub const CONTROLLER_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";
/// Pod-template label with the Job's name (`batch.kubernetes.io/job-name`).
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";
/// Legacy unprefixed `controller-uid` label.
pub const LEGACY_CONTROLLER_UID_LABEL: &str = "controller-uid";
/// Legacy unprefixed `job-name` label.
pub const LEGACY_JOB_NAME_LABEL: &str = "job-name";
/// Finalizer on every Job pod until the controller has counted it.
pub const JOB_TRACKING_FINALIZER: &str = "batch.kubernetes.io/job-tracking";
/// Annotation (and label) with an Indexed Job pod's completion index.
pub const JOB_COMPLETION_INDEX_ANNOTATION: &str = "batch.kubernetes.io/job-completion-index";
/// Annotation: failures counted so far for the pod's index (`backoffLimitPerIndex`).
pub const JOB_INDEX_FAILURE_COUNT_ANNOTATION: &str = "batch.kubernetes.io/job-index-failure-count";
/// Annotation: failures ignored by the pod failure policy so far for the pod's index.
pub const JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION: &str =
    "batch.kubernetes.io/job-index-ignored-failure-count";
/// `spec.managedBy` value naming the built-in controller.
pub const JOB_CONTROLLER_NAME: &str = "kubernetes.io/job-controller";

/// `completionMode` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionMode {
    /// Pods are interchangeable; the Job needs `completions` successes.
    NonIndexed,
    /// Each index `0..completions` needs one success.
    Indexed,
}

impl CompletionMode {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CompletionMode::NonIndexed => "NonIndexed",
            CompletionMode::Indexed => "Indexed",
        }
    }
}

/// `podReplacementPolicy` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodReplacementPolicy {
    /// Replace a pod as soon as it is terminating or failed.
    TerminatingOrFailed,
    /// Replace a pod only once it has failed.
    Failed,
}

impl PodReplacementPolicy {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PodReplacementPolicy::TerminatingOrFailed => "TerminatingOrFailed",
            PodReplacementPolicy::Failed => "Failed",
        }
    }
}

/// Defaulting (`SetDefaults_Job`).
pub fn default(obj: &mut Job) {
    let Some(spec) = obj.spec.as_mut() else {
        return;
    };
    if spec.completions.is_none() && spec.parallelism.is_none() {
        spec.completions = Some(1);
        spec.parallelism = Some(1);
    }
    if spec.parallelism.is_none() {
        spec.parallelism = Some(1);
    }
    if spec.backoff_limit.is_none() {
        spec.backoff_limit = Some(if spec.backoff_limit_per_index.is_some() {
            i32::MAX
        } else {
            6
        });
    }
    if let Some(labels) = spec
        .template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.as_ref())
    {
        if obj.metadata.labels.as_ref().is_none_or(BTreeMap::is_empty) {
            obj.metadata.labels = Some(labels.clone());
        }
    }
    if spec.completion_mode.is_none() {
        spec.completion_mode = Some(CompletionMode::NonIndexed.as_str().to_string());
    }
    if spec.suspend.is_none() {
        spec.suspend = Some(false);
    }
    if let Some(policy) = spec.pod_failure_policy.as_mut() {
        for rule in policy.rules.iter_mut() {
            for pattern in rule.on_pod_conditions.iter_mut().flatten() {
                if pattern.status.is_empty() {
                    pattern.status = "True".to_string();
                }
            }
        }
    }
    if spec.pod_replacement_policy.is_none() {
        let policy = if spec.pod_failure_policy.is_some() {
            PodReplacementPolicy::Failed
        } else {
            PodReplacementPolicy::TerminatingOrFailed
        };
        spec.pod_replacement_policy = Some(policy.as_str().to_string());
    }
    if spec.manual_selector.is_none() {
        spec.manual_selector = Some(false);
    }
}

/// `generateSelector`: adds the job-name and controller-uid labels (prefixed and legacy) to the
/// pod template unless present, and `batch.kubernetes.io/controller-uid` to the selector.
fn generate_selector(obj: &mut Job, uid: &str) {
    let name = obj.metadata.name.clone().unwrap_or_default();
    let Some(spec) = obj.spec.as_mut() else {
        return;
    };
    let labels = spec
        .template
        .metadata
        .get_or_insert_with(Default::default)
        .labels
        .get_or_insert_with(BTreeMap::new);
    for key in [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL] {
        // A conflicting user label is kept; validation rejects it.
        labels
            .entry(key.to_string())
            .or_insert_with(|| name.clone());
    }
    for key in [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL] {
        labels
            .entry(key.to_string())
            .or_insert_with(|| uid.to_string());
    }
    spec.selector
        .get_or_insert_with(LabelSelector::default)
        .match_labels
        .get_or_insert_with(BTreeMap::new)
        .entry(CONTROLLER_UID_LABEL.to_string())
        .or_insert_with(|| uid.to_string());
}

fn manual_selector(obj: &Job) -> bool {
    obj.spec
        .as_ref()
        .and_then(|s| s.manual_selector)
        .unwrap_or(false)
}

/// What the registry strategy does on create, after the uid is assigned: selector generation
/// (unless `manualSelector`), then Job labels from the template labels when the Job has none.
pub fn prepare_for_create(obj: &mut Job) {
    if !manual_selector(obj) {
        let uid = obj.metadata.uid.clone().unwrap_or_default();
        generate_selector(obj, &uid);
    }
    let template_labels = obj
        .spec
        .as_ref()
        .and_then(|s| s.template.metadata.as_ref())
        .and_then(|m| m.labels.clone());
    if let Some(labels) = template_labels {
        if obj.metadata.labels.as_ref().is_none_or(BTreeMap::is_empty) {
            obj.metadata.labels = Some(labels);
        }
    }
}

/// What the registry strategy does on update (`old` is the stored object): status is kept by the
/// caller; nothing else is rewritten (an update without the generated selector fails validation,
/// as with a real API server).
pub fn prepare_for_update(_obj: &mut Job, _old: &Job) {}

/// The uid `validate` pretends a new Job has (the Cluster assigns the real one afterwards).
const PLACEHOLDER_UID: &str = "00000000-0000-0000-0000-000000000000";

const MAX_PARALLELISM_FOR_INDEXED_JOB: i32 = 100_000;
const MAX_FAILED_INDEXES_FOR_INDEXED_JOB: i32 = 100_000;
const COMPLETIONS_SOFT_LIMIT: i32 = 100_000;
const PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS: i32 = 10_000;
const MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS: i32 = 10_000;
const MAX_POD_FAILURE_POLICY_RULES: usize = 20;
const MAX_ON_EXIT_CODES_VALUES: usize = 255;
const MAX_ON_POD_CONDITIONS_PATTERNS: usize = 20;
const MAX_MANAGED_BY_LENGTH: usize = 63;
const MAX_SUCCEEDED_INDEXES_LENGTH: usize = 64 * 1024;
const MAX_SUCCESS_POLICY_RULES: usize = 20;
/// `sets.List(supportedPodFailurePolicyActions)`, sorted.
const POD_FAILURE_POLICY_ACTIONS: [&str; 4] = ["Count", "FailIndex", "FailJob", "Ignore"];
const ON_EXIT_CODES_OPERATORS: [&str; 2] = ["In", "NotIn"];
const ON_POD_CONDITIONS_STATUSES: [&str; 3] = ["False", "True", "Unknown"];

/// `field.Invalid(path, field.OmitValueType{}, detail)`: no value shown.
fn invalid_omit_value(path: &str, detail: &str) -> FieldError {
    FieldError {
        field: path.to_string(),
        kind: ErrorType::Invalid,
        value: None,
        detail: detail.to_string(),
    }
}

/// Go's `%q` of a `[]string` (`["In" "NotIn"]`).
fn go_quote_list(items: &[&str]) -> String {
    let q: Vec<String> = items.iter().map(|s| go_quote(s)).collect();
    format!("[{}]", q.join(" "))
}

/// Go's `%#v` of a `[]int32`.
fn go_int32_slice(values: &[i32]) -> ErrorValue {
    let items: Vec<String> = values.iter().map(ToString::to_string).collect();
    ErrorValue::Raw(format!("[]int32{{{}}}", items.join(", ")))
}

fn go_opt_str(v: Option<&str>) -> String {
    v.map_or_else(
        || "(*string)(nil)".to_string(),
        |_| "(*string)(…)".to_string(),
    )
}

fn go_opt_i32(v: Option<i32>) -> String {
    v.map_or_else(
        || "(*int32)(nil)".to_string(),
        |_| "(*int32)(…)".to_string(),
    )
}

/// Abbreviated `%#v` of a `batch.SuccessPolicy`.
fn go_success_policy(p: &SuccessPolicy) -> ErrorValue {
    let rules: Vec<String> = p
        .rules
        .iter()
        .map(|r| {
            format!(
                "batch.SuccessPolicyRule{{SucceededIndexes:{}, SucceededCount:{}}}",
                go_opt_str(r.succeeded_indexes.as_deref()),
                go_opt_i32(r.succeeded_count)
            )
        })
        .collect();
    ErrorValue::Raw(format!(
        "batch.SuccessPolicy{{Rules:[]batch.SuccessPolicyRule{{{}}}}}",
        rules.join(", ")
    ))
}

/// Abbreviated `%#v` of a `batch.PodFailurePolicy`.
fn go_pod_failure_policy(p: &PodFailurePolicy) -> ErrorValue {
    let rules: Vec<String> = p
        .rules
        .iter()
        .map(|r| {
            let codes = if r.on_exit_codes.is_some() {
                "(*batch.PodFailurePolicyOnExitCodesRequirement)(…)"
            } else {
                "(*batch.PodFailurePolicyOnExitCodesRequirement)(nil)"
            };
            let conds = match r.on_pod_conditions.as_deref() {
                Some(list) if !list.is_empty() => {
                    let items: Vec<String> = list
                        .iter()
                        .map(|c| {
                            format!(
                                "batch.PodFailurePolicyOnPodConditionsPattern{{Type:{}, Status:{}}}",
                                go_quote(&c.type_),
                                go_quote(&c.status)
                            )
                        })
                        .collect();
                    format!(
                        "[]batch.PodFailurePolicyOnPodConditionsPattern{{{}}}",
                        items.join(", ")
                    )
                }
                _ => "[]batch.PodFailurePolicyOnPodConditionsPattern(nil)".to_string(),
            };
            format!(
                "batch.PodFailurePolicyRule{{Action:{}, OnExitCodes:{codes}, OnPodConditions:{conds}}}",
                go_quote(&r.action)
            )
        })
        .collect();
    ErrorValue::Raw(format!(
        "batch.PodFailurePolicy{{Rules:[]batch.PodFailurePolicyRule{{{}}}}}",
        rules.join(", ")
    ))
}

/// Abbreviated `%#v` of a `core.PodTemplateSpec`: labels, annotations, containers (name and
/// image) and restart policy.
fn go_pod_template(t: &PodTemplateSpec) -> ErrorValue {
    let meta = t.metadata.clone().unwrap_or_default();
    let map = |m: Option<&BTreeMap<String, String>>| {
        m.map_or_else(|| "map[string]string(nil)".to_string(), go_string_map)
    };
    let spec = t.spec.clone().unwrap_or_default();
    let containers: Vec<String> = spec
        .containers
        .iter()
        .map(|c| {
            format!(
                "core.Container{{Name:{}, Image:{}, …}}",
                go_quote(&c.name),
                go_quote(c.image.as_deref().unwrap_or_default())
            )
        })
        .collect();
    ErrorValue::Raw(format!(
        "core.PodTemplateSpec{{ObjectMeta:v1.ObjectMeta{{Name:\"\", …, Labels:{}, Annotations:{}, …}}, Spec:core.PodSpec{{…, Containers:[]core.Container{{{}}}, …, RestartPolicy:{}, …}}}}",
        map(meta.labels.as_ref()),
        map(meta.annotations.as_ref()),
        containers.join(", "),
        go_quote(spec.restart_policy.as_deref().unwrap_or_default())
    ))
}

/// Whether `sel` (parsed as the API server does) matches `labels`; an unparsable selector
/// matches nothing.
fn selector_matches(sel: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    Selector::from_label_selector(sel).is_ok_and(|s| s.matches(labels))
}

fn template_labels(spec: &JobSpec) -> BTreeMap<String, String> {
    spec.template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.clone())
        .unwrap_or_default()
}

/// `ValidateHasLabel`.
fn validate_has_label(labels: &BTreeMap<String, String>, key: &str, want: &str) -> Vec<FieldError> {
    let path = format!("spec.template.metadata.labels[{key}]");
    match labels.get(key) {
        None => vec![FieldError::required(path, want)],
        Some(v) if v != want => vec![FieldError::invalid(
            path,
            ErrorValue::Raw(go_string_map(labels)),
            format!("must be '{want}'"),
        )],
        Some(_) => Vec::new(),
    }
}

/// `validateGeneratedSelector` (with `RequirePrefixedLabels`).
fn validate_generated_selector(obj: &Job) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(spec) = obj.spec.as_ref() else {
        return errs;
    };
    if spec.manual_selector == Some(true) {
        return errs;
    }
    let Some(selector) = spec.selector.as_ref() else {
        return errs;
    };
    let uid = obj.metadata.uid.as_deref().unwrap_or_default();
    let name = obj.metadata.name.as_deref().unwrap_or_default();
    if uid.is_empty() {
        errs.push(FieldError::required("metadata.uid", ""));
    }
    let labels = template_labels(spec);
    errs.extend(validate_has_label(
        &labels,
        LEGACY_CONTROLLER_UID_LABEL,
        uid,
    ));
    errs.extend(validate_has_label(&labels, LEGACY_JOB_NAME_LABEL, name));
    errs.extend(validate_has_label(&labels, CONTROLLER_UID_LABEL, uid));
    errs.extend(validate_has_label(&labels, JOB_NAME_LABEL, name));
    let expected: BTreeMap<String, String> = [
        (CONTROLLER_UID_LABEL, uid),
        (JOB_NAME_LABEL, name),
        (LEGACY_CONTROLLER_UID_LABEL, uid),
        (LEGACY_JOB_NAME_LABEL, name),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    if Selector::from_label_selector(selector).is_ok_and(|s| !s.matches(&expected)) {
        errs.push(FieldError::invalid(
            "spec.selector",
            ErrorValue::Raw(go_label_selector(selector)),
            "`selector` not auto-generated",
        ));
    }
    errs
}

fn nonneg(value: Option<impl Into<i64>>, path: &str) -> Vec<FieldError> {
    value.map_or_else(Vec::new, |v| validate_nonnegative(v.into(), path))
}

/// `ValidateJobSpec`: `validateJobSpec`, then the selector checks.
fn validate_job_spec(spec: &JobSpec) -> Vec<FieldError> {
    let mut errs = validate_job_spec_fields(spec);
    match spec.selector.as_ref() {
        None => errs.push(FieldError::required("spec.selector", "")),
        Some(sel) => errs.extend(validate_label_selector(sel, "spec.selector")),
    }
    if let Some(sel) = spec.selector.as_ref() {
        let labels = template_labels(spec);
        if Selector::from_label_selector(sel).is_ok() && !selector_matches(sel, &labels) {
            let shown = spec
                .template
                .metadata
                .as_ref()
                .and_then(|m| m.labels.as_ref())
                .map_or_else(|| "map[string]string(nil)".to_string(), go_string_map);
            errs.push(FieldError::invalid(
                "spec.template.metadata.labels",
                ErrorValue::Raw(shown),
                "`selector` does not match template `labels`",
            ));
        }
    }
    errs
}

/// `validateJobSpec`.
fn validate_job_spec_fields(spec: &JobSpec) -> Vec<FieldError> {
    let mut errs = Vec::new();
    errs.extend(nonneg(spec.parallelism, "spec.parallelism"));
    errs.extend(nonneg(spec.completions, "spec.completions"));
    errs.extend(nonneg(
        spec.active_deadline_seconds,
        "spec.activeDeadlineSeconds",
    ));
    errs.extend(nonneg(spec.backoff_limit, "spec.backoffLimit"));
    errs.extend(nonneg(
        spec.ttl_seconds_after_finished,
        "spec.ttlSecondsAfterFinished",
    ));
    errs.extend(nonneg(
        spec.backoff_limit_per_index,
        "spec.backoffLimitPerIndex",
    ));
    if let Some(m) = spec.max_failed_indexes {
        errs.extend(validate_nonnegative(m.into(), "spec.maxFailedIndexes"));
        if spec.backoff_limit_per_index.is_none() {
            errs.push(FieldError::required(
                "spec.backoffLimitPerIndex",
                "when maxFailedIndexes is specified",
            ));
        }
    }
    if let Some(m) = spec.managed_by.as_deref() {
        errs.extend(is_domain_prefixed_path("spec.managedBy", m));
        if m.len() > MAX_MANAGED_BY_LENGTH {
            errs.push(FieldError::too_long(
                "spec.managedBy",
                MAX_MANAGED_BY_LENGTH,
            ));
        }
    }
    let mode = spec.completion_mode.as_deref();
    let indexed = mode == Some(CompletionMode::Indexed.as_str());
    if let Some(m) = mode {
        if m != CompletionMode::NonIndexed.as_str() && !indexed {
            errs.push(FieldError::not_supported(
                "spec.completionMode",
                m,
                &[
                    CompletionMode::NonIndexed.as_str(),
                    CompletionMode::Indexed.as_str(),
                ],
            ));
        }
        if indexed {
            if spec.completions.is_none() {
                errs.push(FieldError::required(
                    "spec.completions",
                    "when completion mode is Indexed",
                ));
            }
            if let Some(p) = spec
                .parallelism
                .filter(|p| *p > MAX_PARALLELISM_FOR_INDEXED_JOB)
            {
                errs.push(FieldError::invalid(
                    "spec.parallelism",
                    p,
                    format!(
                        "must be less than or equal to {MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed"
                    ),
                ));
            }
            if let (Some(c), Some(m)) = (spec.completions, spec.max_failed_indexes) {
                if m > c {
                    errs.push(FieldError::invalid(
                        "spec.maxFailedIndexes",
                        m,
                        "must be less than or equal to completions",
                    ));
                }
            }
            if let Some(m) = spec
                .max_failed_indexes
                .filter(|m| *m > MAX_FAILED_INDEXES_FOR_INDEXED_JOB)
            {
                errs.push(FieldError::invalid(
                    "spec.maxFailedIndexes",
                    m,
                    format!("must be less than or equal to {MAX_FAILED_INDEXES_FOR_INDEXED_JOB}"),
                ));
            }
            let high = spec.completions.is_some_and(|c| c > COMPLETIONS_SOFT_LIMIT);
            if high && spec.backoff_limit_per_index.is_some() {
                if spec.max_failed_indexes.is_none() {
                    errs.push(FieldError::required(
                        "spec.maxFailedIndexes",
                        format!(
                            "must be specified when completions is above {COMPLETIONS_SOFT_LIMIT}"
                        ),
                    ));
                }
                if let Some(p) = spec
                    .parallelism
                    .filter(|p| *p > PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS)
                {
                    errs.push(FieldError::invalid(
                        "spec.parallelism",
                        p,
                        format!("must be less than or equal to {PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS} when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"),
                    ));
                }
                if let Some(m) = spec
                    .max_failed_indexes
                    .filter(|m| *m > MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS)
                {
                    errs.push(FieldError::invalid(
                        "spec.maxFailedIndexes",
                        m,
                        format!("must be less than or equal to {MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS} when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"),
                    ));
                }
            }
        }
    }
    if mode.is_none() || mode == Some(CompletionMode::NonIndexed.as_str()) {
        if let Some(b) = spec.backoff_limit_per_index {
            errs.push(FieldError::invalid(
                "spec.backoffLimitPerIndex",
                b,
                "requires indexed completion mode",
            ));
        }
        if let Some(m) = spec.max_failed_indexes {
            errs.push(FieldError::invalid(
                "spec.maxFailedIndexes",
                m,
                "requires indexed completion mode",
            ));
        }
    }
    if let Some(policy) = spec.pod_failure_policy.as_ref() {
        errs.extend(validate_pod_failure_policy(spec, policy));
    }
    if let Some(policy) = spec.success_policy.as_ref() {
        if !indexed {
            errs.push(FieldError::invalid(
                "spec.successPolicy",
                go_success_policy(policy),
                "requires indexed completion mode",
            ));
        } else {
            errs.extend(validate_success_policy(spec, policy));
        }
    }
    errs.extend(validate_pod_replacement_policy(spec));
    errs.extend(validate_pod_template_spec(&spec.template, "spec.template"));
    let pod_spec = spec.template.spec.clone().unwrap_or_default();
    // The template's restartPolicy is defaulted to Always when omitted, so both read alike.
    let rp = pod_spec.restart_policy.as_deref().unwrap_or_default();
    if rp == "Always" || rp.is_empty() {
        errs.push(FieldError::required(
            "spec.template.spec.restartPolicy",
            "valid values: \"OnFailure\", \"Never\"",
        ));
    } else if rp != "OnFailure" && rp != "Never" {
        errs.push(FieldError::not_supported(
            "spec.template.spec.restartPolicy",
            rp,
            &["OnFailure", "Never"],
        ));
    } else if spec.pod_failure_policy.is_some() && rp != "Never" {
        errs.push(FieldError::invalid(
            "spec.template.spec.restartPolicy",
            rp,
            "only \"Never\" is supported when podFailurePolicy is specified",
        ));
    }
    errs
}

/// `validatePodReplacementPolicy`.
fn validate_pod_replacement_policy(spec: &JobSpec) -> Vec<FieldError> {
    let Some(p) = spec.pod_replacement_policy.as_deref() else {
        return Vec::new();
    };
    let failed = PodReplacementPolicy::Failed.as_str();
    if spec.pod_failure_policy.is_some() {
        if p != failed {
            return vec![FieldError::not_supported(
                "spec.podReplacementPolicy",
                p,
                &[failed],
            )];
        }
    } else if p != failed && p != PodReplacementPolicy::TerminatingOrFailed.as_str() {
        return vec![FieldError::not_supported(
            "spec.podReplacementPolicy",
            p,
            &[failed, PodReplacementPolicy::TerminatingOrFailed.as_str()],
        )];
    }
    Vec::new()
}

/// `validatePodFailurePolicy`.
fn validate_pod_failure_policy(spec: &JobSpec, policy: &PodFailurePolicy) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let rules_path = "spec.podFailurePolicy.rules";
    if policy.rules.len() > MAX_POD_FAILURE_POLICY_RULES {
        errs.push(FieldError::too_many(
            rules_path,
            i64::try_from(policy.rules.len()).unwrap_or(i64::MAX),
            i64::try_from(MAX_POD_FAILURE_POLICY_RULES).unwrap_or(i64::MAX),
        ));
    }
    let mut containers: Vec<String> = Vec::new();
    if let Some(ps) = spec.template.spec.as_ref() {
        containers.extend(ps.containers.iter().map(|c| c.name.clone()));
        containers.extend(ps.init_containers.iter().flatten().map(|c| c.name.clone()));
    }
    for (i, rule) in policy.rules.iter().enumerate() {
        errs.extend(validate_pod_failure_policy_rule(
            spec,
            rule,
            &format!("{rules_path}[{i}]"),
            &containers,
        ));
    }
    errs
}

fn validate_pod_failure_policy_rule(
    spec: &JobSpec,
    rule: &PodFailurePolicyRule,
    path: &str,
    containers: &[String],
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let action_path = format!("{path}.action");
    if rule.action.is_empty() {
        errs.push(FieldError::required(
            action_path,
            format!(
                "valid values: {}",
                go_quote_list(&POD_FAILURE_POLICY_ACTIONS)
            ),
        ));
    } else if rule.action == "FailIndex" {
        if spec.backoff_limit_per_index.is_none() {
            errs.push(FieldError::invalid(
                action_path,
                rule.action.as_str(),
                "requires the backoffLimitPerIndex to be set",
            ));
        }
    } else if !POD_FAILURE_POLICY_ACTIONS.contains(&rule.action.as_str()) {
        errs.push(FieldError::not_supported(
            action_path,
            rule.action.as_str(),
            &POD_FAILURE_POLICY_ACTIONS,
        ));
    }
    let conditions = rule.on_pod_conditions.as_deref().unwrap_or_default();
    if let Some(req) = rule.on_exit_codes.as_ref() {
        errs.extend(validate_on_exit_codes(
            req,
            &format!("{path}.onExitCodes"),
            containers,
        ));
    }
    if !conditions.is_empty() {
        errs.extend(validate_on_pod_conditions(
            conditions,
            &format!("{path}.onPodConditions"),
        ));
    }
    if rule.on_exit_codes.is_some() && !conditions.is_empty() {
        errs.push(invalid_omit_value(
            path,
            "specifying both OnExitCodes and OnPodConditions is not supported",
        ));
    }
    if rule.on_exit_codes.is_none() && conditions.is_empty() {
        errs.push(invalid_omit_value(
            path,
            "specifying one of OnExitCodes and OnPodConditions is required",
        ));
    }
    errs
}

fn validate_on_pod_conditions(
    patterns: &[PodFailurePolicyOnPodConditionsPattern],
    path: &str,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if patterns.len() > MAX_ON_POD_CONDITIONS_PATTERNS {
        errs.push(FieldError::too_many(
            path,
            i64::try_from(patterns.len()).unwrap_or(i64::MAX),
            i64::try_from(MAX_ON_POD_CONDITIONS_PATTERNS).unwrap_or(i64::MAX),
        ));
    }
    for (j, p) in patterns.iter().enumerate() {
        let pattern_path = format!("{path}[{j}]");
        for msg in is_qualified_name(&p.type_) {
            errs.push(FieldError::invalid(
                format!("{pattern_path}.type"),
                p.type_.as_str(),
                msg,
            ));
        }
        let status_path = format!("{pattern_path}.status");
        if p.status.is_empty() {
            errs.push(FieldError::required(
                status_path,
                format!(
                    "valid values: {}",
                    go_quote_list(&ON_POD_CONDITIONS_STATUSES)
                ),
            ));
        } else if !ON_POD_CONDITIONS_STATUSES.contains(&p.status.as_str()) {
            errs.push(FieldError::not_supported(
                status_path,
                p.status.as_str(),
                &ON_POD_CONDITIONS_STATUSES,
            ));
        }
    }
    errs
}

fn validate_on_exit_codes(
    req: &PodFailurePolicyOnExitCodesRequirement,
    path: &str,
    containers: &[String],
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let op_path = format!("{path}.operator");
    if req.operator.is_empty() {
        errs.push(FieldError::required(
            op_path,
            format!("valid values: {}", go_quote_list(&ON_EXIT_CODES_OPERATORS)),
        ));
    } else if !ON_EXIT_CODES_OPERATORS.contains(&req.operator.as_str()) {
        errs.push(FieldError::not_supported(
            op_path,
            req.operator.as_str(),
            &ON_EXIT_CODES_OPERATORS,
        ));
    }
    if let Some(name) = req.container_name.as_deref() {
        if !containers.iter().any(|c| c == name) {
            errs.push(FieldError::invalid(
                format!("{path}.containerName"),
                name,
                "must be one of the container or initContainer names in the pod template",
            ));
        }
    }
    let values_path = format!("{path}.values");
    if req.values.is_empty() {
        errs.push(FieldError::invalid(
            values_path.as_str(),
            go_int32_slice(&req.values),
            "at least one value is required",
        ));
    } else if req.values.len() > MAX_ON_EXIT_CODES_VALUES {
        errs.push(FieldError::too_many(
            values_path.as_str(),
            i64::try_from(req.values.len()).unwrap_or(i64::MAX),
            i64::try_from(MAX_ON_EXIT_CODES_VALUES).unwrap_or(i64::MAX),
        ));
    }
    let mut ordered = true;
    let mut seen: Vec<i32> = Vec::new();
    let mut prev: Option<i32> = None;
    for (j, v) in req.values.iter().enumerate() {
        let value_path = format!("{values_path}[{j}]");
        if req.operator == "In" && *v == 0 {
            errs.push(FieldError::invalid(
                value_path.as_str(),
                *v,
                "must not be 0 for the In operator",
            ));
        }
        if seen.contains(v) {
            errs.push(FieldError::duplicate(value_path.as_str(), *v));
        } else {
            seen.push(*v);
        }
        if prev.is_some_and(|p| p > *v) {
            ordered = false;
        }
        prev = Some(*v);
    }
    if !ordered {
        errs.push(FieldError::invalid(
            values_path,
            go_int32_slice(&req.values),
            "must be ordered",
        ));
    }
    errs
}

/// `validateIndexesFormat`: the number of indexes in `"0,2-4"` below `completions`, or why the
/// string is malformed.
pub fn validate_indexes_format(s: &str, completions: i32) -> Result<i32, String> {
    if s.is_empty() {
        return Ok(0);
    }
    let mut last: Option<i64> = None;
    let mut total: i64 = 0;
    for interval in s.split(',') {
        let limits: Vec<&str> = interval.split('-').collect();
        if limits.len() > 2 {
            return Err(format!(
                "the fragment {} violates the requirement that an index interval can have at most two parts separated by '-'",
                go_quote(interval)
            ));
        }
        let first_str = limits.first().copied().unwrap_or_default();
        let x = parse_index(first_str)?;
        if x >= i64::from(completions) {
            return Err(format!("too large index: {}", go_quote(first_str)));
        }
        if let Some(l) = last.filter(|l| *l >= x) {
            return Err(format!("non-increasing order, previous: {l}, current: {x}"));
        }
        total += 1;
        last = Some(x);
        if let Some(second) = limits.get(1) {
            let y = parse_index(second)?;
            if y >= i64::from(completions) {
                return Err(format!("too large index: {}", go_quote(second)));
            }
            if x >= y {
                return Err(format!("non-increasing order, previous: {x}, current: {y}"));
            }
            total += y - x;
            last = Some(y);
        }
    }
    Ok(i32::try_from(total).unwrap_or(i32::MAX))
}

fn parse_index(s: &str) -> Result<i64, String> {
    s.parse::<i32>().map(i64::from).map_err(|_| {
        format!(
            "cannot convert string to integer for index: {}",
            go_quote(s)
        )
    })
}

/// `validateSuccessPolicy`.
fn validate_success_policy(spec: &JobSpec, policy: &SuccessPolicy) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let rules_path = "spec.successPolicy.rules";
    if policy.rules.is_empty() {
        errs.push(FieldError::required(
            rules_path,
            "at least one rules must be specified when the successPolicy is specified",
        ));
    }
    if policy.rules.len() > MAX_SUCCESS_POLICY_RULES {
        errs.push(FieldError::too_many(
            rules_path,
            i64::try_from(policy.rules.len()).unwrap_or(i64::MAX),
            i64::try_from(MAX_SUCCESS_POLICY_RULES).unwrap_or(i64::MAX),
        ));
    }
    let completions = spec.completions.unwrap_or(0);
    for (i, rule) in policy.rules.iter().enumerate() {
        let rule_path = format!("{rules_path}[{i}]");
        if rule.succeeded_count.is_none() && rule.succeeded_indexes.is_none() {
            errs.push(FieldError::required(
                rule_path.as_str(),
                "at least one of succeededCount or succeededIndexes must be specified",
            ));
        }
        let mut total = 0;
        if let Some(indexes) = rule.succeeded_indexes.as_deref() {
            let p = format!("{rule_path}.succeededIndexes");
            if indexes.len() > MAX_SUCCEEDED_INDEXES_LENGTH {
                errs.push(FieldError::too_long(
                    p.as_str(),
                    MAX_SUCCEEDED_INDEXES_LENGTH,
                ));
            }
            match validate_indexes_format(indexes, completions) {
                Ok(n) => total = n,
                Err(e) => errs.push(FieldError::invalid(
                    p,
                    indexes,
                    format!("error parsing succeededIndexes: {e}"),
                )),
            }
        }
        if let Some(count) = rule.succeeded_count {
            let p = format!("{rule_path}.succeededCount");
            errs.extend(validate_nonnegative(count.into(), &p));
            if count > completions {
                errs.push(FieldError::invalid(
                    p.as_str(),
                    count,
                    format!(
                        "must be less than or equal to {completions} (the number of specified completions)"
                    ),
                ));
            }
            if rule.succeeded_indexes.is_some() && count > total {
                errs.push(FieldError::invalid(
                    p,
                    count,
                    format!("must be less than or equal to {total} (the number of indexes in the specified succeededIndexes field)"),
                ));
            }
        }
    }
    errs
}

/// Validation of a new object (`ValidateJob`; metadata is validated by the caller). The selector
/// is generated first, on a copy, as the registry strategy would have done.
pub fn validate(obj: &Job) -> Vec<FieldError> {
    let mut job = obj.clone();
    if !manual_selector(&job) {
        let uid = job
            .metadata
            .uid
            .clone()
            .unwrap_or_else(|| PLACEHOLDER_UID.to_string());
        job.metadata.uid = Some(uid.clone());
        generate_selector(&mut job, &uid);
    }
    validate_job(&job)
}

/// `ValidateJob` after the metadata: the generated selector, the spec, and the pod hostnames of
/// an Indexed Job.
fn validate_job(job: &Job) -> Vec<FieldError> {
    let mut errs = validate_generated_selector(job);
    let spec = job.spec.clone().unwrap_or_default();
    errs.extend(validate_job_spec(&spec));
    if spec.completion_mode.as_deref() == Some(CompletionMode::Indexed.as_str()) {
        if let Some(c) = spec.completions.filter(|c| *c > 0) {
            let name = job.metadata.name.clone().unwrap_or_default();
            let hostname = format!("{name}-{}", c - 1);
            if !is_dns1123_label(&hostname).is_empty() {
                errs.push(FieldError::invalid(
                    "metadata.name",
                    name.as_str(),
                    format!("will not able to create pod with invalid DNS label: {hostname}"),
                ));
            }
        }
    }
    errs
}

fn immutable(path: &str, value: ErrorValue) -> FieldError {
    FieldError::invalid(path, value, "field is immutable")
}

fn opt_int(v: Option<i32>) -> ErrorValue {
    v.map_or_else(|| ErrorValue::Raw("null".to_string()), ErrorValue::from)
}

fn opt_str(v: Option<&str>) -> ErrorValue {
    v.map_or_else(|| ErrorValue::Raw("null".to_string()), ErrorValue::from)
}

/// `validatePodTemplateUpdate`: the template is immutable, except the scheduling directives
/// (node affinity, nodeSelector, tolerations, labels, annotations, schedulingGates) of a Job
/// that is suspended and has never started.
fn template_changed(
    new: &PodTemplateSpec,
    old: &PodTemplateSpec,
    mutable_scheduling: bool,
) -> bool {
    let mut old = old.clone();
    if mutable_scheduling {
        let new_spec = new.spec.clone().unwrap_or_default();
        let old_spec = old.spec.get_or_insert_with(PodSpec::default);
        match (new_spec.affinity.as_ref(), old_spec.affinity.as_mut()) {
            (None, Some(oa)) => {
                oa.node_affinity = None;
                if *oa == Default::default() {
                    old_spec.affinity = None;
                }
            }
            (Some(na), None) => {
                old_spec.affinity = Some(k8s_openapi::api::core::v1::Affinity {
                    node_affinity: na.node_affinity.clone(),
                    ..Default::default()
                });
            }
            (Some(na), Some(oa)) => oa.node_affinity = na.node_affinity.clone(),
            (None, None) => {}
        }
        old_spec.node_selector = new_spec.node_selector.clone();
        old_spec.tolerations = new_spec.tolerations.clone();
        old_spec.scheduling_gates = new_spec.scheduling_gates.clone();
        let new_meta = new.metadata.clone().unwrap_or_default();
        let old_meta = old.metadata.get_or_insert_with(Default::default);
        old_meta.annotations = new_meta.annotations;
        old_meta.labels = new_meta.labels;
    }
    normalized(new) != normalized(&old)
}

/// A template with empty optional containers folded, so `{}` and absent compare equal.
fn normalized(t: &PodTemplateSpec) -> PodTemplateSpec {
    let mut t = t.clone();
    if t.metadata
        .as_ref()
        .is_some_and(|m| *m == Default::default())
    {
        t.metadata = None;
    }
    t
}

/// Validation of an update as the registry strategy does it: `ValidateJob` on the new object
/// (generated selector, spec, Indexed pod hostnames), then `ValidateJobSpecUpdate`'s immutable
/// fields.
pub fn validate_update(obj: &Job, old: &Job) -> Vec<FieldError> {
    let spec = obj.spec.clone().unwrap_or_default();
    let old_spec = old.spec.clone().unwrap_or_default();
    let mut errs = validate_job(obj);
    // `validateCompletions`: immutable, except Indexed Jobs scaled with parallelism in tandem.
    if spec.completions != old_spec.completions {
        let indexed = spec.completion_mode.as_deref() == Some(CompletionMode::Indexed.as_str());
        if !indexed {
            errs.push(immutable("spec.completions", opt_int(spec.completions)));
        } else if let Some(c) = spec.completions {
            if Some(c) != spec.parallelism {
                errs.push(FieldError::invalid(
                    "spec.completions",
                    c,
                    "can only be modified in tandem with spec.parallelism",
                ));
            }
        }
    }
    if spec.selector != old_spec.selector {
        let shown = spec.selector.as_ref().map_or_else(
            || ErrorValue::Raw("null".to_string()),
            |s| ErrorValue::Raw(go_label_selector(s)),
        );
        errs.push(immutable("spec.selector", shown));
    }
    let mutable_scheduling = old_spec.suspend == Some(true)
        && old
            .status
            .as_ref()
            .and_then(|s| s.start_time.as_ref())
            .is_none();
    if template_changed(&spec.template, &old_spec.template, mutable_scheduling) {
        errs.push(immutable("spec.template", go_pod_template(&spec.template)));
    }
    if spec.completion_mode != old_spec.completion_mode {
        errs.push(immutable(
            "spec.completionMode",
            opt_str(spec.completion_mode.as_deref()),
        ));
    }
    if spec.pod_failure_policy != old_spec.pod_failure_policy {
        let shown = spec.pod_failure_policy.as_ref().map_or_else(
            || ErrorValue::Raw("null".to_string()),
            go_pod_failure_policy,
        );
        errs.push(immutable("spec.podFailurePolicy", shown));
    }
    if spec.backoff_limit_per_index != old_spec.backoff_limit_per_index {
        errs.push(immutable(
            "spec.backoffLimitPerIndex",
            opt_int(spec.backoff_limit_per_index),
        ));
    }
    if spec.managed_by != old_spec.managed_by {
        errs.push(immutable(
            "spec.managedBy",
            opt_str(spec.managed_by.as_deref()),
        ));
    }
    if spec.success_policy != old_spec.success_policy {
        let shown = spec
            .success_policy
            .as_ref()
            .map_or_else(|| ErrorValue::Raw("null".to_string()), go_success_policy);
        errs.push(immutable("spec.successPolicy", shown));
    }
    errs
}

/// The status part of `ValidateJobUpdateStatus` (`ValidateJobStatus`; metadata is validated by
/// the caller): the counters are non-negative and every uncounted terminated pod uid is set and
/// listed once across `succeeded` and `failed`. The checks upstream gates behind
/// `JobStatusValidationOptions` (conditions, indexes, start and completion times) are not
/// mirrored. Users cannot write a Job's status here (no status subresource), so only tests call it.
pub fn validate_status_update(obj: &Job, _old: &Job) -> Vec<FieldError> {
    let status = obj.status.clone().unwrap_or_default();
    let mut errs = Vec::new();
    for (value, field) in [
        (Some(status.active.unwrap_or(0)), "active"),
        (Some(status.succeeded.unwrap_or(0)), "succeeded"),
        (Some(status.failed.unwrap_or(0)), "failed"),
        (status.ready, "ready"),
        (status.terminating, "terminating"),
    ] {
        errs.extend(nonneg(value, &format!("status.{field}")));
    }
    if let Some(uncounted) = status.uncounted_terminated_pods.as_ref() {
        let mut seen: Vec<&str> = Vec::new();
        for (list, field) in [
            (uncounted.succeeded.as_deref(), "succeeded"),
            (uncounted.failed.as_deref(), "failed"),
        ] {
            for (i, uid) in list.unwrap_or_default().iter().enumerate() {
                let path = format!("status.uncountedTerminatedPods.{field}[{i}]");
                if uid.is_empty() {
                    errs.push(FieldError::invalid(path, uid.as_str(), "must not be empty"));
                } else if seen.contains(&uid.as_str()) {
                    errs.push(FieldError::duplicate(path, uid.as_str()));
                } else {
                    seen.push(uid.as_str());
                }
            }
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::api::{Kind, Object, ObjectKey};
    use crate::engine::Cluster;
    use k8s_openapi::api::batch::v1::SuccessPolicyRule;
    use k8s_openapi::api::core::v1::{
        Affinity, Container, ContainerPort, NodeAffinity, NodeSelector, NodeSelectorRequirement,
        NodeSelectorTerm, PodSchedulingGate, Toleration,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelectorRequirement, ObjectMeta};

    /// A minimal valid Job manifest (`kubectl create job pi --image=perl` shape).
    fn manifest(name: &str) -> Job {
        Job {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            spec: Some(JobSpec {
                template: PodTemplateSpec {
                    metadata: None,
                    spec: Some(PodSpec {
                        restart_policy: Some("Never".into()),
                        containers: vec![Container {
                            name: "pi".into(),
                            image: Some("perl".into()),
                            ..Default::default()
                        }],
                        ..Default::default()
                    }),
                },
                ..Default::default()
            }),
            status: None,
        }
    }

    fn spec(j: &mut Job) -> &mut JobSpec {
        j.spec.get_or_insert_with(JobSpec::default)
    }

    fn pod_spec(j: &mut Job) -> &mut PodSpec {
        spec(j).template.spec.get_or_insert_with(PodSpec::default)
    }

    /// Creates through the API server and returns the error lines (empty when it succeeded).
    fn create_errors(j: Job) -> Vec<String> {
        let mut c = Cluster::new(1);
        match c.create(Object::Job(j)) {
            Ok(_) => Vec::new(),
            Err(e) => e
                .invalid
                .map(|d| d.causes.iter().map(ToString::to_string).collect())
                .unwrap_or_else(|| vec![e.message]),
        }
    }

    fn exit_rule(action: &str, op: &str, values: &[i32]) -> PodFailurePolicyRule {
        PodFailurePolicyRule {
            action: action.into(),
            on_exit_codes: Some(PodFailurePolicyOnExitCodesRequirement {
                container_name: None,
                operator: op.into(),
                values: values.to_vec(),
            }),
            on_pod_conditions: None,
        }
    }

    struct Case {
        name: &'static str,
        edit: fn(&mut Job),
        want: &'static [&'static str],
    }

    fn indexed(j: &mut Job, completions: i32) {
        spec(j).completion_mode = Some("Indexed".into());
        spec(j).completions = Some(completions);
    }

    fn success_rule(indexes: Option<&str>, count: Option<i32>) -> SuccessPolicyRule {
        SuccessPolicyRule {
            succeeded_indexes: indexes.map(Into::into),
            succeeded_count: count,
        }
    }

    /// Mirrors `TestValidateJob` (`pkg/apis/batch/validation/validation_test.go`): the error
    /// strings are the API server's.
    #[test]
    fn test_validate_job() {
        let cases = [
            Case { name: "valid", edit: |_| {}, want: &[] },
            Case {
                name: "restartPolicy Always",
                edit: |j| pod_spec(j).restart_policy = Some("Always".into()),
                want: &["spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""],
            },
            Case {
                name: "restartPolicy omitted is defaulted to Always first",
                edit: |j| pod_spec(j).restart_policy = None,
                want: &["spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""],
            },
            Case {
                name: "podFailurePolicy with OnFailure",
                edit: |j| {
                    pod_spec(j).restart_policy = Some("OnFailure".into());
                    spec(j).pod_failure_policy =
                        Some(PodFailurePolicy { rules: vec![exit_rule("FailJob", "In", &[1])] });
                },
                want: &["spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified"],
            },
            Case {
                name: "negative counts",
                edit: |j| {
                    spec(j).completions = Some(-1);
                    spec(j).parallelism = Some(-1);
                    spec(j).backoff_limit = Some(-1);
                    spec(j).active_deadline_seconds = Some(-1);
                    spec(j).ttl_seconds_after_finished = Some(-1);
                },
                want: &[
                    "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
                    "spec.completions: Invalid value: -1: must be greater than or equal to 0",
                    "spec.activeDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0",
                    "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0",
                    "spec.ttlSecondsAfterFinished: Invalid value: -1: must be greater than or equal to 0",
                ],
            },
            Case {
                name: "user selector without manualSelector",
                edit: |j| {
                    let labels: BTreeMap<String, String> =
                        [("app".to_string(), "pi".to_string())].into();
                    spec(j).selector = Some(LabelSelector {
                        match_labels: Some(labels.clone()),
                        match_expressions: None,
                    });
                    spec(j).template.metadata = Some(ObjectMeta {
                        labels: Some(labels),
                        ..Default::default()
                    });
                },
                want: &["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"pi\", \"batch.kubernetes.io/controller-uid\":\"00000000-0000-0000-0000-000000000000\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` not auto-generated"],
            },
            Case {
                name: "manualSelector and non-matching labels",
                edit: |j| {
                    spec(j).manual_selector = Some(true);
                    spec(j).selector = Some(LabelSelector {
                        match_labels: Some([("app".to_string(), "pi".to_string())].into()),
                        match_expressions: None,
                    });
                },
                want: &["spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`"],
            },
            Case {
                name: "Indexed without completions",
                edit: |j| {
                    spec(j).completion_mode = Some("Indexed".into());
                    spec(j).parallelism = Some(2);
                },
                want: &["spec.completions: Required value: when completion mode is Indexed"],
            },
            Case {
                name: "Indexed name too long for hostnames",
                edit: |j| {
                    j.metadata.name = Some("a".repeat(62));
                    spec(j).completion_mode = Some("Indexed".into());
                    spec(j).completions = Some(10);
                },
                want: &["metadata.name: Invalid value: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": will not able to create pod with invalid DNS label: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-9"],
            },
            Case {
                name: "backoffLimitPerIndex on NonIndexed",
                edit: |j| spec(j).backoff_limit_per_index = Some(1),
                want: &["spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"],
            },
            Case {
                name: "maxFailedIndexes without backoffLimitPerIndex",
                edit: |j| {
                    spec(j).completion_mode = Some("Indexed".into());
                    spec(j).completions = Some(3);
                    spec(j).max_failed_indexes = Some(1);
                },
                want: &["spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified"],
            },
            Case {
                name: "FailIndex without backoffLimitPerIndex",
                edit: |j| {
                    spec(j).pod_failure_policy =
                        Some(PodFailurePolicy { rules: vec![exit_rule("FailIndex", "In", &[1])] });
                },
                want: &["spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set"],
            },
            Case {
                name: "onExitCodes values: zero with In, duplicate, unordered",
                edit: |j| {
                    spec(j).pod_failure_policy = Some(PodFailurePolicy {
                        rules: vec![exit_rule("FailJob", "In", &[0, 2, 2, 1])],
                    });
                },
                want: &[
                    "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator",
                    "spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 2",
                    "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{0, 2, 2, 1}: must be ordered",
                ],
            },
            Case {
                name: "rule with neither onExitCodes nor onPodConditions",
                edit: |j| {
                    spec(j).pod_failure_policy = Some(PodFailurePolicy {
                        rules: vec![PodFailurePolicyRule {
                            action: "Ignore".into(),
                            on_exit_codes: None,
                            on_pod_conditions: None,
                        }],
                    });
                },
                want: &["spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required"],
            },
            Case {
                name: "unknown action",
                edit: |j| {
                    spec(j).pod_failure_policy =
                        Some(PodFailurePolicy { rules: vec![exit_rule("Retry", "In", &[1])] });
                },
                want: &["spec.podFailurePolicy.rules[0].action: Unsupported value: \"Retry\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\""],
            },
            Case {
                name: "podReplacementPolicy with podFailurePolicy",
                edit: |j| {
                    spec(j).pod_replacement_policy = Some("TerminatingOrFailed".into());
                    spec(j).pod_failure_policy =
                        Some(PodFailurePolicy { rules: vec![exit_rule("FailJob", "In", &[1])] });
                },
                want: &["spec.podReplacementPolicy: Unsupported value: \"TerminatingOrFailed\": supported values: \"Failed\""],
            },
            Case {
                name: "successPolicy on NonIndexed",
                edit: |j| {
                    spec(j).success_policy = Some(SuccessPolicy {
                        rules: vec![SuccessPolicyRule {
                            succeeded_count: Some(1),
                            succeeded_indexes: None,
                        }],
                    });
                },
                want: &["spec.successPolicy: Invalid value: batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{batch.SuccessPolicyRule{SucceededIndexes:(*string)(nil), SucceededCount:(*int32)(…)}}}: requires indexed completion mode"],
            },
            Case {
                name: "successPolicy rule empty",
                edit: |j| {
                    spec(j).completion_mode = Some("Indexed".into());
                    spec(j).completions = Some(3);
                    spec(j).success_policy = Some(SuccessPolicy {
                        rules: vec![SuccessPolicyRule {
                            succeeded_count: None,
                            succeeded_indexes: None,
                        }],
                    });
                },
                want: &["spec.successPolicy.rules[0]: Required value: at least one of succeededCount or succeededIndexes must be specified"],
            },
            Case {
                name: "successPolicy succeededIndexes out of range",
                edit: |j| {
                    spec(j).completion_mode = Some("Indexed".into());
                    spec(j).completions = Some(3);
                    spec(j).success_policy = Some(SuccessPolicy {
                        rules: vec![SuccessPolicyRule {
                            succeeded_count: None,
                            succeeded_indexes: Some("0,5".into()),
                        }],
                    });
                },
                want: &["spec.successPolicy.rules[0].succeededIndexes: Invalid value: \"0,5\": error parsing succeededIndexes: too large index: \"5\""],
            },
            Case {
                // The generated job-name labels carry the name: both are too long for a label
                // value (the causes list both; the API message lists the text once).
                name: "name longer than a label value",
                edit: |j| j.metadata.name = Some("a".repeat(64)),
                want: &[
                    "spec.template.labels: Invalid value: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": must be no more than 63 characters",
                    "spec.template.labels: Invalid value: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": must be no more than 63 characters",
                ],
            },
            Case {
                name: "Indexed: name with a dot is no pod hostname",
                edit: |j| {
                    j.metadata.name = Some("my.job".into());
                    indexed(j, 3);
                },
                want: &["metadata.name: Invalid value: \"my.job\": will not able to create pod with invalid DNS label: my.job-2"],
            },
            Case {
                name: "manual selector: invalid operator (ValidateLabelSelector)",
                edit: |j| {
                    spec(j).manual_selector = Some(true);
                    spec(j).selector = Some(LabelSelector {
                        match_labels: None,
                        match_expressions: Some(vec![LabelSelectorRequirement {
                            key: "app".into(),
                            operator: "Is".into(),
                            values: Some(vec!["pi".into()]),
                        }]),
                    });
                },
                want: &["spec.selector.matchExpressions[0].operator: Invalid value: \"Is\": not a valid selector operator"],
            },
            Case {
                name: "manual selector: invalid label value",
                edit: |j| {
                    spec(j).manual_selector = Some(true);
                    spec(j).selector = Some(LabelSelector {
                        match_labels: Some([("app".to_string(), "not valid".to_string())].into()),
                        match_expressions: None,
                    });
                },
                want: &[
                    "spec.selector.matchLabels: Invalid value: \"not valid\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
                ],
            },
            Case {
                name: "valid Indexed completion mode",
                edit: |j| {
                    indexed(j, 2);
                    spec(j).parallelism = Some(100_000);
                },
                want: &[],
            },
            Case {
                name: "valid parallelism and maxFailedIndexes for high completions when backoffLimitPerIndex is used",
                edit: |j| {
                    indexed(j, 100_000_000);
                    spec(j).parallelism = Some(10_000);
                    spec(j).backoff_limit_per_index = Some(1);
                    spec(j).max_failed_indexes = Some(10_000);
                },
                want: &[],
            },
            Case {
                name: "valid: empty pod failure policy rules",
                edit: |j| spec(j).pod_failure_policy = Some(PodFailurePolicy { rules: vec![] }),
                want: &[],
            },
            Case {
                name: "valid hostnet",
                edit: |j| {
                    pod_spec(j).host_network = Some(true);
                    if let Some(c) = pod_spec(j).containers.first_mut() {
                        c.ports = Some(vec![ContainerPort {
                            container_port: 12345,
                            protocol: Some("TCP".into()),
                            ..Default::default()
                        }]);
                    }
                },
                want: &[],
            },
            Case {
                name: "valid managedBy field",
                edit: |j| spec(j).managed_by = Some("example.com/foo".into()),
                want: &[],
            },
            Case {
                name: "spec.managedBy: Invalid value: must be a domain-prefixed path",
                edit: |j| spec(j).managed_by = Some("invalid custom controller name".into()),
                want: &["spec.managedBy: Invalid value: \"invalid custom controller name\": must be a domain-prefixed path (such as \"acme.io/foo\")"],
            },
            Case {
                name: "spec.managedBy: Too long: may not be more than 63 bytes",
                edit: |j| spec(j).managed_by = Some(format!("example.com/{}", "x".repeat(60))),
                want: &["spec.managedBy: Too long: may not be more than 63 bytes"],
            },
            Case {
                name: "managedBy host is not a DNS subdomain",
                edit: |j| spec(j).managed_by = Some("Example.com/foo".into()),
                want: &["spec.managedBy: Invalid value: \"Example.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
            },
            Case {
                name: "managedBy path with a space",
                edit: |j| spec(j).managed_by = Some("example.com/my controller".into()),
                want: &["spec.managedBy: Invalid value: \"my controller\": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"],
            },
            Case {
                name: "spec.template.spec.restartPolicy: Unsupported value",
                edit: |j| pod_spec(j).restart_policy = Some("Invalid".into()),
                want: &[
                    "spec.template.spec.restartPolicy: Unsupported value: \"Invalid\": supported values: \"Always\", \"OnFailure\", \"Never\"",
                    "spec.template.spec.restartPolicy: Unsupported value: \"Invalid\": supported values: \"OnFailure\", \"Never\"",
                ],
            },
            Case {
                name: "generated selector: template job-name label set by the user to another name",
                edit: |j| {
                    spec(j).template.metadata = Some(ObjectMeta {
                        labels: Some([("job-name".to_string(), "other".to_string())].into()),
                        ..Default::default()
                    });
                },
                want: &["spec.template.metadata.labels[job-name]: Invalid value: map[string]string{\"batch.kubernetes.io/controller-uid\":\"00000000-0000-0000-0000-000000000000\", \"batch.kubernetes.io/job-name\":\"pi\", \"controller-uid\":\"00000000-0000-0000-0000-000000000000\", \"job-name\":\"other\"}: must be 'pi'"],
            },
            Case {
                name: "valid pod failure policy with FailIndex",
                edit: |j| {
                    spec(j).completion_mode = Some("Indexed".into());
                    spec(j).completions = Some(3);
                    spec(j).backoff_limit_per_index = Some(1);
                    spec(j).pod_failure_policy =
                        Some(PodFailurePolicy { rules: vec![exit_rule("FailIndex", "In", &[1])] });
                },
                want: &[],
            },
            Case {
                name: "spec.maxFailedIndexes: requires indexed completion mode",
                edit: |j| {
                    spec(j).backoff_limit_per_index = Some(1);
                    spec(j).max_failed_indexes = Some(1);
                },
                want: &[
                    "spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode",
                    "spec.maxFailedIndexes: Invalid value: 1: requires indexed completion mode",
                ],
            },
            Case {
                name: "spec.successPolicy.rules: Required value",
                edit: |j| {
                    indexed(j, 5);
                    spec(j).success_policy = Some(SuccessPolicy { rules: vec![] });
                },
                want: &["spec.successPolicy.rules: Required value: at least one rules must be specified when the successPolicy is specified"],
            },
            Case {
                name: "spec.successPolicy.rules: Too many",
                edit: |j| {
                    indexed(j, 5);
                    spec(j).success_policy = Some(SuccessPolicy {
                        rules: vec![success_rule(None, Some(1)); 21],
                    });
                },
                want: &["spec.successPolicy.rules: Too many: 21: must have at most 20 items"],
            },
            Case {
                name: "spec.successPolicy.rules[0].succeededIndexes: invalid format",
                edit: |j| {
                    indexed(j, 5);
                    spec(j).success_policy = Some(SuccessPolicy {
                        rules: vec![success_rule(Some("invalid-format"), None)],
                    });
                },
                want: &["spec.successPolicy.rules[0].succeededIndexes: Invalid value: \"invalid-format\": error parsing succeededIndexes: cannot convert string to integer for index: \"invalid\""],
            },
            Case {
                name: "spec.successPolicy.rules[0].succeededCount: must be greater than or equal to 0",
                edit: |j| {
                    indexed(j, 5);
                    spec(j).success_policy =
                        Some(SuccessPolicy { rules: vec![success_rule(None, Some(-1))] });
                },
                want: &["spec.successPolicy.rules[0].succeededCount: Invalid value: -1: must be greater than or equal to 0"],
            },
            Case {
                name: "spec.successPolicy.rules[0].succeededCount: more than completions",
                edit: |j| {
                    indexed(j, 5);
                    spec(j).success_policy =
                        Some(SuccessPolicy { rules: vec![success_rule(None, Some(6))] });
                },
                want: &["spec.successPolicy.rules[0].succeededCount: Invalid value: 6: must be less than or equal to 5 (the number of specified completions)"],
            },
            Case {
                name: "spec.successPolicy.rules[0].succeededCount: more than succeededIndexes",
                edit: |j| {
                    indexed(j, 5);
                    spec(j).success_policy = Some(SuccessPolicy {
                        rules: vec![success_rule(Some("0-2"), Some(4))],
                    });
                },
                want: &["spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 3 (the number of indexes in the specified succeededIndexes field)"],
            },
            Case {
                name: "valid success policy: succeededIndexes and succeededCount",
                edit: |j| {
                    indexed(j, 5);
                    spec(j).success_policy = Some(SuccessPolicy {
                        rules: vec![success_rule(Some("0,2-4"), Some(4))],
                    });
                },
                want: &[],
            },
        ];
        for c in cases {
            let mut j = manifest("pi");
            (c.edit)(&mut j);
            let got = create_errors(j);
            let want: Vec<String> = c.want.iter().map(ToString::to_string).collect();
            assert_eq!(got, want, "{}", c.name);
        }
    }

    #[test]
    fn whole_message_for_several_errors() {
        let mut j = manifest("pi");
        pod_spec(&mut j).restart_policy = Some("Always".into());
        spec(&mut j).completions = Some(-1);
        let mut c = Cluster::new(1);
        let Err(e) = c.create(Object::Job(j)) else {
            panic!("created");
        };
        assert_eq!(
            e.message,
            "Job.batch \"pi\" is invalid: [spec.completions: Invalid value: -1: must be greater than or equal to 0, spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"]"
        );
    }

    /// Mirrors `TestSetDefaultJob` (`pkg/apis/batch/v1/defaults_test.go`).
    #[test]
    fn test_set_default_job() {
        struct D {
            name: &'static str,
            completions: Option<i32>,
            parallelism: Option<i32>,
            per_index: Option<i32>,
            pfp: bool,
            want: (Option<i32>, Option<i32>, Option<i32>, &'static str),
        }
        let cases = [
            D {
                name: "both unset",
                completions: None,
                parallelism: None,
                per_index: None,
                pfp: false,
                want: (Some(1), Some(1), Some(6), "TerminatingOrFailed"),
            },
            D {
                name: "work queue",
                completions: None,
                parallelism: Some(3),
                per_index: None,
                pfp: false,
                want: (None, Some(3), Some(6), "TerminatingOrFailed"),
            },
            D {
                name: "completions only",
                completions: Some(5),
                parallelism: None,
                per_index: None,
                pfp: false,
                want: (Some(5), Some(1), Some(6), "TerminatingOrFailed"),
            },
            D {
                name: "backoffLimitPerIndex",
                completions: Some(5),
                parallelism: None,
                per_index: Some(1),
                pfp: false,
                want: (Some(5), Some(1), Some(i32::MAX), "TerminatingOrFailed"),
            },
            D {
                name: "podFailurePolicy",
                completions: None,
                parallelism: None,
                per_index: None,
                pfp: true,
                want: (Some(1), Some(1), Some(6), "Failed"),
            },
        ];
        for d in cases {
            let mut j = manifest("pi");
            let s = spec(&mut j);
            s.completions = d.completions;
            s.parallelism = d.parallelism;
            s.backoff_limit_per_index = d.per_index;
            if d.pfp {
                s.pod_failure_policy = Some(PodFailurePolicy {
                    rules: vec![PodFailurePolicyRule {
                        action: "Ignore".into(),
                        on_exit_codes: None,
                        on_pod_conditions: Some(vec![PodFailurePolicyOnPodConditionsPattern {
                            type_: "DisruptionTarget".into(),
                            status: String::new(),
                        }]),
                    }],
                });
            }
            default(&mut j);
            let s = j.spec.clone().unwrap_or_default();
            assert_eq!(
                (
                    s.completions,
                    s.parallelism,
                    s.backoff_limit,
                    s.pod_replacement_policy.as_deref().unwrap_or_default()
                ),
                d.want,
                "{}",
                d.name
            );
            assert_eq!(s.completion_mode.as_deref(), Some("NonIndexed"));
            assert_eq!(s.suspend, Some(false));
            assert_eq!(s.manual_selector, Some(false));
            if d.pfp {
                let status = s
                    .pod_failure_policy
                    .and_then(|p| p.rules.first().cloned())
                    .and_then(|r| r.on_pod_conditions)
                    .and_then(|c| c.first().map(|p| p.status.clone()));
                assert_eq!(status.as_deref(), Some("True"));
            }
        }
    }

    #[test]
    fn create_generates_selector_and_labels() {
        let mut c = Cluster::new(1);
        let Ok(Object::Job(j)) = c.create(Object::Job(manifest("pi"))) else {
            panic!("create failed");
        };
        let uid = j.metadata.uid.clone().unwrap_or_default();
        let s = j.spec.clone().unwrap_or_default();
        let want: BTreeMap<String, String> = [
            (CONTROLLER_UID_LABEL, uid.as_str()),
            (JOB_NAME_LABEL, "pi"),
            (LEGACY_CONTROLLER_UID_LABEL, uid.as_str()),
            (LEGACY_JOB_NAME_LABEL, "pi"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(template_labels(&s), want);
        assert_eq!(j.metadata.labels, Some(want));
        assert_eq!(
            s.selector.and_then(|s| s.match_labels),
            Some([(CONTROLLER_UID_LABEL.to_string(), uid)].into())
        );
        assert_eq!(j.metadata.generation, Some(1));
    }

    #[test]
    fn user_template_labels_become_job_labels() {
        let mut m = manifest("pi");
        spec(&mut m).template.metadata = Some(ObjectMeta {
            labels: Some([("app".to_string(), "pi".to_string())].into()),
            ..Default::default()
        });
        let mut c = Cluster::new(1);
        let Ok(Object::Job(j)) = c.create(Object::Job(m)) else {
            panic!("create failed");
        };
        assert_eq!(
            j.metadata.labels,
            Some([("app".to_string(), "pi".to_string())].into())
        );
    }

    /// Mirrors `TestValidateJobUpdate`.
    #[test]
    fn test_validate_job_update() {
        struct U {
            name: &'static str,
            old: fn(&mut Job),
            edit: fn(&mut Job),
            want: &'static [&'static str],
        }
        let cases = [
            U {
                name: "mutable fields",
                old: |_| {},
                edit: |j| {
                    spec(j).parallelism = Some(3);
                    spec(j).backoff_limit = Some(2);
                    spec(j).active_deadline_seconds = Some(60);
                    spec(j).ttl_seconds_after_finished = Some(5);
                },
                want: &[],
            },
            U {
                name: "completions NonIndexed",
                old: |_| {},
                edit: |j| spec(j).completions = Some(5),
                want: &["spec.completions: Invalid value: 5: field is immutable"],
            },
            U {
                name: "completions Indexed without parallelism",
                old: |j| {
                    spec(j).completion_mode = Some("Indexed".into());
                    spec(j).completions = Some(2);
                    spec(j).parallelism = Some(2);
                },
                edit: |j| spec(j).completions = Some(5),
                want: &["spec.completions: Invalid value: 5: can only be modified in tandem with spec.parallelism"],
            },
            U {
                name: "completions Indexed in tandem",
                old: |j| {
                    spec(j).completion_mode = Some("Indexed".into());
                    spec(j).completions = Some(2);
                    spec(j).parallelism = Some(2);
                },
                edit: |j| {
                    spec(j).completions = Some(5);
                    spec(j).parallelism = Some(5);
                },
                want: &[],
            },
            U {
                name: "completionMode",
                old: |j| spec(j).completions = Some(2),
                edit: |j| spec(j).completion_mode = Some("Indexed".into()),
                want: &["spec.completionMode: Invalid value: \"Indexed\": field is immutable"],
            },
            U {
                name: "template image",
                old: |_| {},
                edit: |j| {
                    if let Some(c) = pod_spec(j).containers.first_mut() {
                        c.image = Some("perl:5.34".into());
                    }
                },
                want: &["spec.template: Invalid value: core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{Name:\"\", …, Labels:map[string]string{\"batch.kubernetes.io/controller-uid\":\"UID\", \"batch.kubernetes.io/job-name\":\"pi\", \"controller-uid\":\"UID\", \"job-name\":\"pi\"}, Annotations:map[string]string(nil), …}, Spec:core.PodSpec{…, Containers:[]core.Container{core.Container{Name:\"pi\", Image:\"perl:5.34\", …}}, …, RestartPolicy:\"Never\", …}}: field is immutable"],
            },
            U {
                name: "nodeSelector while running",
                old: |_| {},
                edit: |j| pod_spec(j).node_selector = Some([("disk".to_string(), "ssd".to_string())].into()),
                want: &["spec.template: Invalid value: core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{Name:\"\", …, Labels:map[string]string{\"batch.kubernetes.io/controller-uid\":\"UID\", \"batch.kubernetes.io/job-name\":\"pi\", \"controller-uid\":\"UID\", \"job-name\":\"pi\"}, Annotations:map[string]string(nil), …}, Spec:core.PodSpec{…, Containers:[]core.Container{core.Container{Name:\"pi\", Image:\"perl\", …}}, …, RestartPolicy:\"Never\", …}}: field is immutable"],
            },
            U {
                name: "scheduling directives while suspended and never started",
                old: |j| spec(j).suspend = Some(true),
                edit: |j| {
                    pod_spec(j).node_selector = Some([("disk".to_string(), "ssd".to_string())].into());
                    pod_spec(j).tolerations = Some(vec![Toleration {
                        key: Some("k".into()),
                        operator: Some("Exists".into()),
                        ..Default::default()
                    }]);
                },
                want: &[],
            },
            U {
                name: "suspended: template job-name label changed (generated labels checked on update)",
                old: |j| spec(j).suspend = Some(true),
                edit: |j| {
                    if let Some(l) = spec(j).template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
                        l.insert("job-name".into(), "other".into());
                    }
                },
                want: &["spec.template.metadata.labels[job-name]: Invalid value: map[string]string{\"batch.kubernetes.io/controller-uid\":\"UID\", \"batch.kubernetes.io/job-name\":\"pi\", \"controller-uid\":\"UID\", \"job-name\":\"other\"}: must be 'pi'"],
            },
            U {
                name: "mutable fields: manualSelector",
                old: |_| {},
                edit: |j| spec(j).manual_selector = Some(true),
                want: &[],
            },
            U {
                name: "selector edited away from the template labels",
                old: |_| {},
                edit: |j| {
                    if let Some(m) = spec(j).selector.as_mut().and_then(|s| s.match_labels.as_mut()) {
                        m.insert("foo".into(), "bar".into());
                    }
                },
                // ValidateJob (the strategy runs it on updates too) sees a selector that is no
                // longer the generated one, then ValidateJobSpec a template it does not match.
                want: &[
                    "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"batch.kubernetes.io/controller-uid\":\"UID\", \"foo\":\"bar\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` not auto-generated",
                    "spec.template.metadata.labels: Invalid value: map[string]string{\"batch.kubernetes.io/controller-uid\":\"UID\", \"batch.kubernetes.io/job-name\":\"pi\", \"controller-uid\":\"UID\", \"job-name\":\"pi\"}: `selector` does not match template `labels`",
                    "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"batch.kubernetes.io/controller-uid\":\"UID\", \"foo\":\"bar\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
                ],
            },
            U {
                name: "immutable pod failure policy",
                old: |_| {},
                edit: |j| {
                    spec(j).pod_failure_policy =
                        Some(PodFailurePolicy { rules: vec![exit_rule("FailJob", "In", &[1])] });
                },
                // The stored Job was defaulted to podReplacementPolicy TerminatingOrFailed,
                // which a podFailurePolicy does not allow either.
                want: &[
                    "spec.podReplacementPolicy: Unsupported value: \"TerminatingOrFailed\": supported values: \"Failed\"",
                    "spec.podFailurePolicy: Invalid value: batch.PodFailurePolicy{Rules:[]batch.PodFailurePolicyRule{batch.PodFailurePolicyRule{Action:\"FailJob\", OnExitCodes:(*batch.PodFailurePolicyOnExitCodesRequirement)(…), OnPodConditions:[]batch.PodFailurePolicyOnPodConditionsPattern(nil)}}}: field is immutable",
                ],
            },
            U {
                name: "immutable backoffLimitPerIndex",
                old: |j| {
                    indexed(j, 3);
                    spec(j).backoff_limit_per_index = Some(1);
                },
                edit: |j| spec(j).backoff_limit_per_index = Some(2),
                want: &["spec.backoffLimitPerIndex: Invalid value: 2: field is immutable"],
            },
            U {
                name: "mutable maxFailedIndexes",
                old: |j| {
                    indexed(j, 3);
                    spec(j).backoff_limit_per_index = Some(1);
                    spec(j).max_failed_indexes = Some(1);
                },
                edit: |j| spec(j).max_failed_indexes = Some(2),
                want: &[],
            },
            U {
                name: "immutable managedBy",
                old: |_| {},
                edit: |j| spec(j).managed_by = Some("example.com/foo".into()),
                want: &["spec.managedBy: Invalid value: \"example.com/foo\": field is immutable"],
            },
            U {
                name: "immutable success policy",
                old: |j| indexed(j, 3),
                edit: |j| {
                    spec(j).success_policy =
                        Some(SuccessPolicy { rules: vec![success_rule(None, Some(1))] });
                },
                want: &["spec.successPolicy: Invalid value: batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{batch.SuccessPolicyRule{SucceededIndexes:(*string)(nil), SucceededCount:(*int32)(…)}}}: field is immutable"],
            },
            U {
                name: "mutable suspend",
                old: |_| {},
                edit: |j| spec(j).suspend = Some(true),
                want: &[],
            },
        ];
        for u in cases {
            let mut c = Cluster::new(1);
            let mut old = manifest("pi");
            (u.old)(&mut old);
            let created = match c.create(Object::Job(old)) {
                Ok(o) => o,
                Err(e) => panic!("{}: {e:?}", u.name),
            };
            let Object::Job(mut j) = created else {
                panic!("not a job");
            };
            let uid = j.metadata.uid.clone().unwrap_or_default();
            (u.edit)(&mut j);
            let got: Vec<String> = match c.replace(Object::Job(j)) {
                Ok(_) => Vec::new(),
                Err(e) => e
                    .invalid
                    .map(|d| {
                        d.causes
                            .iter()
                            .map(|c| c.to_string().replace(&uid, "UID"))
                            .collect()
                    })
                    .unwrap_or_else(|| vec![e.message]),
            };
            let want: Vec<String> = u.want.iter().map(ToString::to_string).collect();
            assert_eq!(got, want, "{}", u.name);
            // The stored Job is unchanged on failure.
            if !u.want.is_empty() {
                assert!(c.get(&ObjectKey::new(Kind::Job, "default", "pi")).is_ok());
            }
        }
    }

    #[test]
    fn test_validate_indexes_format() {
        let cases = [
            ("", 3, Ok(0)),
            ("0,2", 3, Ok(2)),
            ("0-2", 3, Ok(3)),
            ("1-2-3", 5, Err("the fragment \"1-2-3\" violates the requirement that an index interval can have at most two parts separated by '-'")),
            ("a", 5, Err("cannot convert string to integer for index: \"a\"")),
            ("3", 3, Err("too large index: \"3\"")),
            ("2,1", 3, Err("non-increasing order, previous: 2, current: 1")),
        ];
        for (input, completions, want) in cases {
            assert_eq!(
                validate_indexes_format(input, completions),
                want.map_err(ToString::to_string),
                "{input}"
            );
        }
    }

    /// The rows of upstream `TestValidateJobUpdate`, through the API server (create, then
    /// replace). Upstream compares field and type only; here each error is asserted whole except
    /// the Go dump of a whole pod template (checked by `test_validate_job_update`), shown as
    /// `<template>`. A row's `suspend` marks upstream's `AllowMutableSchedulingDirectives`
    /// (the old Job suspended and never started).
    #[test]
    fn test_validate_job_update_upstream_rows() {
        struct R {
            name: &'static str,
            suspend: bool,
            old: fn(&mut Job),
            edit: fn(&mut Job),
            want: &'static [&'static str],
        }
        fn node_affinity(value: &str) -> Affinity {
            Affinity {
                node_affinity: Some(NodeAffinity {
                    required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                        node_selector_terms: vec![NodeSelectorTerm {
                            match_expressions: Some(vec![NodeSelectorRequirement {
                                key: "foo".into(),
                                operator: "In".into(),
                                values: Some(vec!["bar".into(), value.into()]),
                            }]),
                            match_fields: None,
                        }],
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            }
        }
        fn labels(j: &mut Job) -> &mut BTreeMap<String, String> {
            spec(j)
                .template
                .metadata
                .get_or_insert_with(Default::default)
                .labels
                .get_or_insert_with(Default::default)
        }
        fn pfp(j: &mut Job) {
            spec(j).pod_failure_policy = Some(PodFailurePolicy {
                rules: vec![PodFailurePolicyRule {
                    action: "Ignore".into(),
                    on_exit_codes: None,
                    on_pod_conditions: Some(vec![PodFailurePolicyOnPodConditionsPattern {
                        type_: "DisruptionTarget".into(),
                        status: "True".into(),
                    }]),
                }],
            });
        }
        fn per_index(j: &mut Job) {
            indexed(j, 3);
            spec(j).backoff_limit_per_index = Some(1);
        }
        fn indexed_1_1(j: &mut Job) {
            indexed(j, 1);
            spec(j).parallelism = Some(1);
        }
        fn indexed_2_2(j: &mut Job) {
            indexed(j, 2);
            spec(j).parallelism = Some(2);
        }
        let rows = [
            R { name: "mutable fields", suspend: false, old: |j| { spec(j).parallelism = Some(5); spec(j).active_deadline_seconds = Some(2); spec(j).ttl_seconds_after_finished = Some(1); }, edit: |j| { spec(j).parallelism = Some(2); spec(j).active_deadline_seconds = Some(3); spec(j).ttl_seconds_after_finished = Some(2); spec(j).manual_selector = Some(true); }, want: &[] },
            R { name: "invalid attempt to set managedBy field", suspend: false, old: |_| {}, edit: |j| spec(j).managed_by = Some("example.com/custom-controller".into()), want: &["spec.managedBy: Invalid value: \"example.com/custom-controller\": field is immutable"] },
            R { name: "invalid update of the managedBy field", suspend: false, old: |j| spec(j).managed_by = Some("example.com/custom-controller1".into()), edit: |j| spec(j).managed_by = Some("example.com/custom-controller2".into()), want: &["spec.managedBy: Invalid value: \"example.com/custom-controller2\": field is immutable"] },
            R { name: "immutable completions for non-indexed jobs", suspend: false, old: |_| {}, edit: |j| spec(j).completions = Some(2), want: &["spec.completions: Invalid value: 2: field is immutable"] },
            // The old template already carries foo=bar, so the new selector still matches it;
            // through the API server ValidateJob also sees a selector that is not the generated one.
            R { name: "immutable selector", suspend: false, old: |j| { labels(j).insert("foo".into(), "bar".into()); }, edit: |j| { if let Some(m) = spec(j).selector.as_mut().and_then(|s| s.match_labels.as_mut()) { m.insert("foo".into(), "bar".into()); } }, want: &[
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"batch.kubernetes.io/controller-uid\":\"UID\", \"foo\":\"bar\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` not auto-generated",
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"batch.kubernetes.io/controller-uid\":\"UID\", \"foo\":\"bar\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
            ] },
            R { name: "add success policy", suspend: false, old: |j| indexed(j, 5), edit: |j| spec(j).success_policy = Some(SuccessPolicy { rules: vec![success_rule(None, Some(2))] }), want: &["spec.successPolicy: Invalid value: batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{batch.SuccessPolicyRule{SucceededIndexes:(*string)(nil), SucceededCount:(*int32)(…)}}}: field is immutable"] },
            R { name: "update success policy", suspend: false, old: |j| { indexed(j, 5); spec(j).success_policy = Some(SuccessPolicy { rules: vec![success_rule(Some("1-3"), None)] }); }, edit: |j| { if let Some(p) = spec(j).success_policy.as_mut() { p.rules.push(success_rule(None, Some(3))); } }, want: &["spec.successPolicy: Invalid value: batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{batch.SuccessPolicyRule{SucceededIndexes:(*string)(…), SucceededCount:(*int32)(nil)}, batch.SuccessPolicyRule{SucceededIndexes:(*string)(nil), SucceededCount:(*int32)(…)}}}: field is immutable"] },
            R { name: "remove success policy", suspend: false, old: |j| { indexed(j, 5); spec(j).success_policy = Some(SuccessPolicy { rules: vec![success_rule(Some("1-3"), None)] }); }, edit: |j| spec(j).success_policy = None, want: &["spec.successPolicy: Invalid value: null: field is immutable"] },
            R { name: "update pod failure policy", suspend: false, old: pfp, edit: |j| { if let Some(p) = spec(j).pod_failure_policy.as_mut() { p.rules.push(PodFailurePolicyRule { action: "Count".into(), on_exit_codes: None, on_pod_conditions: Some(vec![PodFailurePolicyOnPodConditionsPattern { type_: "DisruptionTarget".into(), status: "True".into() }]) }); } }, want: &["spec.podFailurePolicy: Invalid value: <policy>: field is immutable"] },
            R { name: "remove pod failure policy", suspend: false, old: pfp, edit: |j| spec(j).pod_failure_policy = None, want: &["spec.podFailurePolicy: Invalid value: null: field is immutable"] },
            R { name: "set backoff limit per index", suspend: false, old: |j| indexed(j, 3), edit: |j| spec(j).backoff_limit_per_index = Some(1), want: &["spec.backoffLimitPerIndex: Invalid value: 1: field is immutable"] },
            R { name: "unset backoff limit per index", suspend: false, old: per_index, edit: |j| spec(j).backoff_limit_per_index = None, want: &["spec.backoffLimitPerIndex: Invalid value: null: field is immutable"] },
            R { name: "update backoff limit per index", suspend: false, old: per_index, edit: |j| spec(j).backoff_limit_per_index = Some(2), want: &["spec.backoffLimitPerIndex: Invalid value: 2: field is immutable"] },
            R { name: "set max failed indexes", suspend: false, old: per_index, edit: |j| spec(j).max_failed_indexes = Some(1), want: &[] },
            R { name: "unset max failed indexes", suspend: false, old: |j| { per_index(j); spec(j).max_failed_indexes = Some(1); }, edit: |j| spec(j).max_failed_indexes = None, want: &[] },
            R { name: "update max failed indexes", suspend: false, old: |j| { per_index(j); spec(j).max_failed_indexes = Some(1); }, edit: |j| spec(j).max_failed_indexes = Some(2), want: &[] },
            R { name: "immutable pod template", suspend: false, old: |j| indexed(j, 3), edit: |j| pod_spec(j).dns_policy = Some("ClusterFirstWithHostNet".into()), want: &["spec.template: Invalid value: <template>: field is immutable"] },
            R { name: "immutable completion mode", suspend: false, old: |j| indexed(j, 2), edit: |j| spec(j).completion_mode = Some("NonIndexed".into()), want: &["spec.completionMode: Invalid value: \"NonIndexed\": field is immutable"] },
            R { name: "immutable completions for non-indexed job when AllowElasticIndexedJobs is true", suspend: false, old: |j| spec(j).completions = Some(2), edit: |j| spec(j).completions = Some(4), want: &["spec.completions: Invalid value: 4: field is immutable"] },
            R { name: "immutable node affinity", suspend: false, old: |_| {}, edit: |j| pod_spec(j).affinity = Some(node_affinity("value2")), want: &["spec.template: Invalid value: <template>: field is immutable"] },
            R { name: "add node affinity", suspend: true, old: |_| {}, edit: |j| pod_spec(j).affinity = Some(node_affinity("value2")), want: &[] },
            R { name: "update node affinity", suspend: true, old: |j| pod_spec(j).affinity = Some(node_affinity("value")), edit: |j| pod_spec(j).affinity = Some(node_affinity("value2")), want: &[] },
            R { name: "remove node affinity", suspend: true, old: |j| pod_spec(j).affinity = Some(node_affinity("value")), edit: |j| { if let Some(a) = pod_spec(j).affinity.as_mut() { a.node_affinity = None; } }, want: &[] },
            R { name: "remove affinity", suspend: true, old: |j| pod_spec(j).affinity = Some(node_affinity("value")), edit: |j| pod_spec(j).affinity = None, want: &[] },
            R { name: "immutable tolerations", suspend: false, old: |_| {}, edit: |j| pod_spec(j).tolerations = Some(vec![Toleration { key: Some("foo".into()), operator: Some("Equal".into()), value: Some("bar".into()), effect: Some("PreferNoSchedule".into()), ..Default::default() }]), want: &["spec.template: Invalid value: <template>: field is immutable"] },
            R { name: "mutable tolerations", suspend: true, old: |_| {}, edit: |j| pod_spec(j).tolerations = Some(vec![Toleration { key: Some("foo".into()), operator: Some("Equal".into()), value: Some("bar".into()), effect: Some("PreferNoSchedule".into()), ..Default::default() }]), want: &[] },
            R { name: "immutable node selector", suspend: false, old: |_| {}, edit: |j| pod_spec(j).node_selector = Some([("foo".to_string(), "bar".to_string())].into()), want: &["spec.template: Invalid value: <template>: field is immutable"] },
            R { name: "mutable node selector", suspend: true, old: |_| {}, edit: |j| pod_spec(j).node_selector = Some([("foo".to_string(), "bar".to_string())].into()), want: &[] },
            R { name: "immutable annotations", suspend: false, old: |_| {}, edit: |j| spec(j).template.metadata.get_or_insert_with(Default::default).annotations = Some([("foo".to_string(), "baz".to_string())].into()), want: &["spec.template: Invalid value: <template>: field is immutable"] },
            R { name: "mutable annotations", suspend: true, old: |_| {}, edit: |j| spec(j).template.metadata.get_or_insert_with(Default::default).annotations = Some([("foo".to_string(), "baz".to_string())].into()), want: &[] },
            R { name: "immutable labels", suspend: false, old: |_| {}, edit: |j| { labels(j).insert("bar".into(), "baz".into()); }, want: &["spec.template: Invalid value: <template>: field is immutable"] },
            R { name: "mutable labels", suspend: true, old: |_| {}, edit: |j| { labels(j).insert("bar".into(), "baz".into()); }, want: &[] },
            R { name: "immutable schedulingGates", suspend: false, old: |_| {}, edit: |j| pod_spec(j).scheduling_gates = Some(vec![PodSchedulingGate { name: "gate".into() }]), want: &["spec.template: Invalid value: <template>: field is immutable"] },
            R { name: "mutable schedulingGates", suspend: true, old: |_| {}, edit: |j| pod_spec(j).scheduling_gates = Some(vec![PodSchedulingGate { name: "gate".into() }]), want: &[] },
            R { name: "update completions and parallelism to same value is valid", suspend: false, old: indexed_1_1, edit: |j| { spec(j).completions = Some(2); spec(j).parallelism = Some(2); }, want: &[] },
            R { name: "previous parallelism != previous completions, new parallelism == new completions", suspend: false, old: |j| { indexed(j, 1); spec(j).parallelism = Some(2); }, edit: |j| { spec(j).completions = Some(3); spec(j).parallelism = Some(3); }, want: &[] },
            R { name: "indexed job updating completions and parallelism to different values is invalid", suspend: false, old: indexed_1_1, edit: |j| { spec(j).completions = Some(2); spec(j).parallelism = Some(3); }, want: &["spec.completions: Invalid value: 2: can only be modified in tandem with spec.parallelism"] },
            R { name: "indexed job with completions set updated to nil does not panic", suspend: false, old: indexed_1_1, edit: |j| { spec(j).completions = None; spec(j).parallelism = Some(3); }, want: &["spec.completions: Required value: when completion mode is Indexed"] },
            R { name: "indexed job with completions unchanged, parallelism reduced to less than completions", suspend: false, old: indexed_2_2, edit: |j| spec(j).parallelism = Some(1), want: &[] },
            R { name: "indexed job with completions unchanged, parallelism increased higher than completions", suspend: false, old: indexed_2_2, edit: |j| spec(j).parallelism = Some(3), want: &[] },
        ];
        let mut failures = Vec::new();
        for r in rows {
            let mut c = Cluster::new(1);
            let mut old = manifest("pi");
            if r.suspend {
                spec(&mut old).suspend = Some(true);
            }
            (r.old)(&mut old);
            let Ok(Object::Job(mut j)) = c.create(Object::Job(old)) else {
                failures.push(format!("{}: create failed", r.name));
                continue;
            };
            let uid = j.metadata.uid.clone().unwrap_or_default();
            (r.edit)(&mut j);
            let got: Vec<String> = match c.replace(Object::Job(j)) {
                Ok(_) => Vec::new(),
                Err(e) => e
                    .invalid
                    .map(|d| {
                        d.causes
                            .iter()
                            .map(|c| abbreviate(&c.to_string().replace(&uid, "UID")))
                            .collect()
                    })
                    .unwrap_or_else(|| vec![e.message]),
            };
            if got != r.want {
                failures.push(format!(
                    "case {:?}\n  want: {:#?}\n  got:  {got:#?}",
                    r.name, r.want
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// Replaces the Go dump of a whole pod template or pod failure policy in an immutability
    /// error with a placeholder.
    fn abbreviate(err: &str) -> String {
        for (prefix, placeholder) in [
            (
                "spec.template: Invalid value: core.PodTemplateSpec{",
                "<template>",
            ),
            (
                "spec.podFailurePolicy: Invalid value: batch.PodFailurePolicy{",
                "<policy>",
            ),
        ] {
            if err.starts_with(prefix) && err.ends_with(": field is immutable") {
                let path = prefix.split(':').next().unwrap_or_default();
                return format!("{path}: Invalid value: {placeholder}: field is immutable");
            }
        }
        err.to_string()
    }

    /// Mirrors `TestValidateJobUpdateStatus` (the rows without `JobStatusValidationOptions`).
    #[test]
    fn test_validate_job_update_status() {
        use k8s_openapi::api::batch::v1::{JobStatus, UncountedTerminatedPods};
        let with = |status: JobStatus| {
            let mut j = manifest("abc");
            j.status = Some(status);
            j
        };
        let old = with(JobStatus {
            active: Some(1),
            succeeded: Some(2),
            failed: Some(3),
            terminating: Some(4),
            ..Default::default()
        });
        let uids = |v: &[&str]| Some(v.iter().map(ToString::to_string).collect::<Vec<_>>());
        let cases: [(&str, JobStatus, &[&str]); 4] = [
            (
                "valid",
                JobStatus { active: Some(2), succeeded: Some(3), failed: Some(4), ready: Some(1), terminating: Some(4), ..Default::default() },
                &[],
            ),
            (
                "nil ready and terminating",
                JobStatus { active: Some(2), succeeded: Some(3), failed: Some(4), ..Default::default() },
                &[],
            ),
            (
                "negative counts",
                JobStatus { active: Some(-1), succeeded: Some(-2), failed: Some(-3), ready: Some(-1), terminating: Some(-2), ..Default::default() },
                &[
                    "status.active: Invalid value: -1: must be greater than or equal to 0",
                    "status.succeeded: Invalid value: -2: must be greater than or equal to 0",
                    "status.failed: Invalid value: -3: must be greater than or equal to 0",
                    "status.ready: Invalid value: -1: must be greater than or equal to 0",
                    "status.terminating: Invalid value: -2: must be greater than or equal to 0",
                ],
            ),
            (
                "empty and duplicated uncounted pods",
                JobStatus {
                    uncounted_terminated_pods: Some(UncountedTerminatedPods {
                        succeeded: uids(&["a", "b", "c", "a", ""]),
                        failed: uids(&["c", "d", "e", "d", ""]),
                    }),
                    ..Default::default()
                },
                &[
                    "status.uncountedTerminatedPods.succeeded[3]: Duplicate value: \"a\"",
                    "status.uncountedTerminatedPods.succeeded[4]: Invalid value: \"\": must not be empty",
                    "status.uncountedTerminatedPods.failed[0]: Duplicate value: \"c\"",
                    "status.uncountedTerminatedPods.failed[3]: Duplicate value: \"d\"",
                    "status.uncountedTerminatedPods.failed[4]: Invalid value: \"\": must not be empty",
                ],
            ),
        ];
        for (name, status, want) in cases {
            let got: Vec<String> = validate_status_update(&with(status), &old)
                .iter()
                .map(ToString::to_string)
                .collect();
            assert_eq!(got, want, "{name}");
        }
    }
}
