//! Errors the simulated API server returns, shaped like `metav1.Status` so kubectl can print them
//! as the real one does (`Error from server (NotFound): pods "x" not found`).

use crate::engine::api::Kind;
use crate::engine::validation::FieldError;

/// `metav1.StatusReason`: why a request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusReason {
    /// 404: the object does not exist.
    NotFound,
    /// 409: the object already exists.
    AlreadyExists,
    /// 409: a write conflicted (e.g. a precondition failed).
    Conflict,
    /// 422: the object failed validation.
    Invalid,
    /// 400: the request could not be understood (decoding errors, unknown fields).
    BadRequest,
    /// 403: the request is not allowed (e.g. creating in a terminating namespace).
    Forbidden,
    /// 405: the verb is not supported on this resource.
    MethodNotAllowed,
    /// 500: something inside the simulation went wrong.
    InternalError,
}

impl StatusReason {
    /// The reason as kubectl prints it in `Error from server (<reason>)`.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusReason::NotFound => "NotFound",
            StatusReason::AlreadyExists => "AlreadyExists",
            StatusReason::Conflict => "Conflict",
            StatusReason::Invalid => "Invalid",
            StatusReason::BadRequest => "BadRequest",
            StatusReason::Forbidden => "Forbidden",
            StatusReason::MethodNotAllowed => "MethodNotAllowed",
            StatusReason::InternalError => "InternalError",
        }
    }

    /// The HTTP status code.
    pub fn code(self) -> u16 {
        match self {
            StatusReason::NotFound => 404,
            StatusReason::AlreadyExists | StatusReason::Conflict => 409,
            StatusReason::Invalid => 422,
            StatusReason::BadRequest => 400,
            StatusReason::Forbidden => 403,
            StatusReason::MethodNotAllowed => 405,
            StatusReason::InternalError => 500,
        }
    }
}

/// A failed API request.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// Why it failed.
    pub reason: StatusReason,
    /// The status message (`pods "x" not found`).
    pub message: String,
    /// For `Invalid`: the kind and name, and every field error, so kubectl can print
    /// `The Pod "x" is invalid: ...`.
    pub invalid: Option<InvalidDetails>,
}

/// The details of a validation failure.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidDetails {
    /// The kind (`Pod`, `DaemonSet`).
    pub kind: Kind,
    /// The object's name.
    pub name: String,
    /// Every field error, in the order validation found them.
    pub causes: Vec<FieldError>,
}

impl ApiError {
    /// `pods "x" not found`.
    pub fn not_found(kind: Kind, name: &str) -> Self {
        ApiError {
            reason: StatusReason::NotFound,
            message: format!("{} \"{}\" not found", kind.resource_group(), name),
            invalid: None,
        }
    }

    /// `pods "x" already exists`.
    pub fn already_exists(kind: Kind, name: &str) -> Self {
        ApiError {
            reason: StatusReason::AlreadyExists,
            message: format!("{} \"{}\" already exists", kind.resource_group(), name),
            invalid: None,
        }
    }

    /// A 400 with the given message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            reason: StatusReason::BadRequest,
            message: message.into(),
            invalid: None,
        }
    }

    /// A 403 with the given message.
    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError {
            reason: StatusReason::Forbidden,
            message: message.into(),
            invalid: None,
        }
    }

    /// A 409 conflict with the given message.
    pub fn conflict(message: impl Into<String>) -> Self {
        ApiError {
            reason: StatusReason::Conflict,
            message: message.into(),
            invalid: None,
        }
    }

    /// A 500 with the given message.
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError {
            reason: StatusReason::InternalError,
            message: message.into(),
            invalid: None,
        }
    }

    /// A 422: `DaemonSet.apps "x" is invalid: [a, b]`.
    pub fn invalid(kind: Kind, name: &str, causes: Vec<FieldError>) -> Self {
        ApiError {
            reason: StatusReason::Invalid,
            // `ErrorList.ToAggregate`: each distinct error once; the causes keep every one.
            message: crate::engine::validation::api_invalid_message(
                &kind.kind_group(),
                name,
                &causes,
            ),
            invalid: Some(InvalidDetails {
                kind,
                name: name.to_string(),
                causes,
            }),
        }
    }

    /// How kubectl prints this error for a plain request (`get`, `delete`, ...):
    /// `Error from server (NotFound): pods "x" not found`.
    pub fn kubectl_message(&self) -> String {
        format!(
            "Error from server ({}): {}",
            self.reason.as_str(),
            self.message
        )
    }

    /// How `kubectl create`/`replace` print a validation error: `The Pod "x" is invalid: ...`,
    /// one `* err` line per cause when there are several.
    pub fn kubectl_invalid_message(&self) -> Option<String> {
        let d = self.invalid.as_ref()?;
        Some(crate::engine::validation::invalid_message(
            d.kind.as_str(),
            &d.name,
            &d.causes,
        ))
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ErrorList.ToAggregate` and kubectl's `StatusCausesToAggrError` print a repeated cause once
    /// (a 64-character Job name makes both generated `job-name` labels too long: two identical
    /// causes); the causes themselves keep both.
    #[test]
    fn repeated_causes_print_once() {
        let label = "spec.template.labels";
        let causes = vec![
            FieldError::invalid(label, "x", "must be no more than 63 characters"),
            FieldError::invalid(label, "x", "must be no more than 63 characters"),
        ];
        let e = ApiError::invalid(Kind::Job, "x", causes.clone());
        assert_eq!(
            e.message,
            "Job.batch \"x\" is invalid: spec.template.labels: Invalid value: \"x\": must be no more than 63 characters"
        );
        assert_eq!(
            e.kubectl_invalid_message().as_deref(),
            Some("The Job \"x\" is invalid: spec.template.labels: Invalid value: \"x\": must be no more than 63 characters")
        );
        assert_eq!(e.invalid.map(|d| d.causes.len()), Some(2));
        let mut two = causes;
        two.push(FieldError::required("spec.template", ""));
        let e = ApiError::invalid(Kind::Job, "x", two);
        assert!(
            e.message.contains("[spec.template.labels: "),
            "{}",
            e.message
        );
        assert_eq!(
            e.kubectl_invalid_message()
                .map(|m| m.matches("\n* ").count()),
            Some(2)
        );
    }
}
