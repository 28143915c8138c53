//! batch/v1 Job: API-server defaulting, create/update preparation and validation (stub until its
//! issue lands).

use k8s_openapi::api::batch::v1::Job;

use crate::engine::validation::FieldError;

/// Defaulting (`pkg/apis/batch/v1/defaults.go`).
pub fn default(_obj: &mut Job) {}

/// What the registry strategy does on create, after the uid is assigned.
pub fn prepare_for_create(_obj: &mut Job) {}

/// What the registry strategy does on update (`old` is the stored object).
pub fn prepare_for_update(_obj: &mut Job, _old: &Job) {}

/// Validation of a new object (metadata is validated by the caller).
pub fn validate(_obj: &Job) -> Vec<FieldError> {
    Vec::new()
}

/// Validation of an update, including immutable fields.
pub fn validate_update(obj: &Job, _old: &Job) -> Vec<FieldError> {
    validate(obj)
}
