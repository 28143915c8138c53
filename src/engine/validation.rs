//! TEMPORARY stub: replaced by the full validation module.
use k8s_openapi::api::core::v1::PodSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// Error type.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorType {
    Required,
    Invalid,
}
/// Value.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorValue {
    Str(String),
    Int(i64),
    Raw(String),
}
/// A field error.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub kind: ErrorType,
    pub value: Option<ErrorValue>,
    pub detail: String,
}
impl FieldError {
    /// Forbidden.
    pub fn forbidden(field: &str, detail: &str) -> Self {
        FieldError {
            field: field.into(),
            kind: ErrorType::Invalid,
            value: None,
            detail: detail.into(),
        }
    }
    /// Required.
    pub fn required(field: &str, detail: &str) -> Self {
        FieldError {
            field: field.into(),
            kind: ErrorType::Required,
            value: None,
            detail: detail.into(),
        }
    }
}
impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: Required value", self.field)
    }
}
/// Meta.
pub fn validate_object_meta(_m: &ObjectMeta, _namespaced: bool) -> Vec<FieldError> {
    Vec::new()
}
/// Pod spec.
pub fn validate_pod_spec(spec: &PodSpec, path: &str) -> Vec<FieldError> {
    if spec.containers.is_empty() {
        vec![FieldError::required(&format!("{path}.containers"), "")]
    } else {
        Vec::new()
    }
}
