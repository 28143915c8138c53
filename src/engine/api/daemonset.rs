//! apps/v1 DaemonSet: API-server defaulting, create/update preparation and validation (stub until its
//! issue lands).

use k8s_openapi::api::apps::v1::DaemonSet;

use crate::engine::validation::FieldError;

/// Defaulting (`pkg/apis/apps/v1/defaults.go`).
pub fn default(_obj: &mut DaemonSet) {}

/// What the registry strategy does on create, after the uid is assigned.
pub fn prepare_for_create(_obj: &mut DaemonSet) {}

/// What the registry strategy does on update (`old` is the stored object).
pub fn prepare_for_update(_obj: &mut DaemonSet, _old: &DaemonSet) {}

/// Validation of a new object (metadata is validated by the caller).
pub fn validate(_obj: &DaemonSet) -> Vec<FieldError> {
    Vec::new()
}

/// Validation of an update, including immutable fields.
pub fn validate_update(obj: &DaemonSet, _old: &DaemonSet) -> Vec<FieldError> {
    validate(obj)
}
