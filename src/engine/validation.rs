//! Field-error machinery and object-metadata / Pod-spec validation with upstream wording.
//!
//! Mirrors:
//! - `k8s.io/apimachinery/pkg/util/validation/field` (`Error`, `ErrorType`, `ErrorBody`,
//!   `ErrorList.ToAggregate`) and `pkg/util/validation/validation.go` (`IsDNS1123Label`,
//!   `IsDNS1123Subdomain`, `IsQualifiedName`, `IsValidLabelValue`, `IsEnvVarName`,
//!   `IsValidPortNum`, `IsValidPortName`, `RegexError`, …);
//! - `k8s.io/apimachinery/pkg/api/validation/objectmeta.go` (`ValidateObjectMetaAccessor`,
//!   `ValidateAnnotations`) and `pkg/apis/meta/v1/validation` (`ValidateLabels`);
//! - `pkg/apis/core/validation/validation.go` (`ValidatePodSpec` and the container, port, env,
//!   volume-mount, resource, probe, lifecycle, toleration, DNS-policy and node-affinity helpers it
//!   calls);
//! - `k8s.io/apimachinery/pkg/api/errors.NewInvalid` (API status message) and kubectl's
//!   `cmd/util/helpers.go` (`The <Kind> "<name>" is invalid: …`, `MultilineError`).
//!
//! Simplifications:
//! - Validation runs on the external `k8s-openapi` types; values the API server would default
//!   before validating (`restartPolicy`, `dnsPolicy`, port `protocol`, `imagePullPolicy`) are
//!   treated as defaulted when absent or empty. An empty `metadata.namespace` is accepted (the
//!   server fills it from the request) and `metadata.namespace` on cluster-scoped objects is
//!   ignored (the server clears it). A missing `metadata.name` is accepted when `generateName`
//!   is set (the caller generates the name).
//! - Env var names use the classic `IsEnvVarName` rule (not the relaxed rule that newer API
//!   servers enable by default).
//! - Quantities that do not parse (upstream rejects them while decoding) are reported as
//!   `Invalid value` with the quantity parser's message.
//! - `terminationGracePeriodSeconds < 0` is accepted, as upstream (deletion then uses 1).
//! - Volume sources: exactly one per volume, with hostPath, emptyDir, secret, configMap and
//!   persistentVolumeClaim checked further; other sources are only counted.
//! - Security contexts: user/group IDs, procMount, seccomp profiles, fsGroupChangePolicy only.
//! - DNS config, host aliases, priorityClassName, runtimeClassName and preemptionPolicy follow
//!   `ValidatePodSpec`.
//! - Not covered: sysctls, SELinux, AppArmor, Windows options, matchLabelKeys (pod affinity and
//!   topology spread), owner references, managed fields.
//!   Go map iteration order is random upstream; here maps are visited in key order.
//! - Probes, lifecycle hooks, `env[].valueFrom`, `envFrom`, host-port conflicts and the
//!   `hostNetwork` port rule follow `validateContainers` / `validateInitContainers`; values the
//!   server defaults first (probe thresholds, `httpGet.path`/`scheme`) are read as defaulted.
//!
//! Case tables named after upstream's `validation_test.go` live in `validation/upstream_tests.rs`.

use crate::engine::quantity::Quantity;
use k8s_openapi::api::core::v1::{
    Container, EnvFromSource, EnvVar, ExecAction, GRPCAction, HTTPGetAction, KeyToPath, Lifecycle,
    LifecycleHandler, NodeSelectorRequirement, NodeSelectorTerm, ObjectFieldSelector,
    PodAffinityTerm, PodSpec, PodTemplateSpec, Probe, ResourceFieldSelector, ResourceRequirements,
    SeccompProfile, SecurityContext, SleepAction, TCPSocketAction, Toleration,
    TopologySpreadConstraint, Volume,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;
use std::fmt;

/// Upstream `field.ErrorType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorType {
    /// `Required value` (`FieldValueRequired`).
    Required,
    /// `Invalid value` (`FieldValueInvalid`).
    Invalid,
    /// `Unsupported value` (`FieldValueNotSupported`).
    NotSupported,
    /// `Forbidden` (`FieldValueForbidden`).
    Forbidden,
    /// `Duplicate value` (`FieldValueDuplicate`).
    Duplicate,
    /// `Too long` (`FieldValueTooLong`).
    TooLong,
    /// `Too many` (`FieldValueTooMany`).
    TooMany,
    /// `Not found` (`FieldValueNotFound`).
    NotFound,
}

impl ErrorType {
    /// The human string used in messages (`Required value`).
    pub fn as_str(&self) -> &'static str {
        match self {
            ErrorType::Required => "Required value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
            ErrorType::NotFound => "Not found",
        }
    }

    /// The `details.causes[].reason` of the API status (`FieldValueRequired`).
    pub fn reason(&self) -> &'static str {
        match self {
            ErrorType::Required => "FieldValueRequired",
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::NotSupported => "FieldValueNotSupported",
            ErrorType::Forbidden => "FieldValueForbidden",
            ErrorType::Duplicate => "FieldValueDuplicate",
            ErrorType::TooLong => "FieldValueTooLong",
            ErrorType::TooMany => "FieldValueTooMany",
            ErrorType::NotFound => "FieldValueNotFound",
        }
    }
}

impl fmt::Display for ErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The offending value of a field error, rendered the way Go's `ErrorBody` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorValue {
    /// A string, printed quoted like Go's `%q` (`"Never"`).
    Str(String),
    /// An integer, printed bare (`-1`).
    Int(i64),
    /// Printed verbatim: Go `%#v` dumps (`map[string]string{"app":"x"}`), quantities (`500m`),
    /// booleans.
    Raw(String),
}

impl fmt::Display for ErrorValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorValue::Str(s) => f.write_str(&go_quote(s)),
            ErrorValue::Int(i) => write!(f, "{i}"),
            ErrorValue::Raw(r) => f.write_str(r),
        }
    }
}

impl From<&str> for ErrorValue {
    fn from(s: &str) -> Self {
        ErrorValue::Str(s.to_string())
    }
}

impl From<String> for ErrorValue {
    fn from(s: String) -> Self {
        ErrorValue::Str(s)
    }
}

impl From<&String> for ErrorValue {
    fn from(s: &String) -> Self {
        ErrorValue::Str(s.clone())
    }
}

impl From<i64> for ErrorValue {
    fn from(i: i64) -> Self {
        ErrorValue::Int(i)
    }
}

impl From<i32> for ErrorValue {
    fn from(i: i32) -> Self {
        ErrorValue::Int(i64::from(i))
    }
}

/// One validation failure (upstream `field.Error`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Field path, e.g. `spec.template.spec.containers[0].name`.
    pub field: String,
    /// The error type.
    pub kind: ErrorType,
    /// The offending value, if shown.
    pub value: Option<ErrorValue>,
    /// Free-text detail (may be empty).
    pub detail: String,
}

impl FieldError {
    /// `field.Required(path, detail)`.
    pub fn required(path: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError {
            field: path.into(),
            kind: ErrorType::Required,
            value: None,
            detail: detail.into(),
        }
    }

    /// `field.Invalid(path, value, detail)`.
    pub fn invalid(
        path: impl Into<String>,
        value: impl Into<ErrorValue>,
        detail: impl Into<String>,
    ) -> FieldError {
        FieldError {
            field: path.into(),
            kind: ErrorType::Invalid,
            value: Some(value.into()),
            detail: detail.into(),
        }
    }

    /// `field.NotSupported(path, value, supported)`: detail `supported values: "a", "b"`.
    pub fn not_supported(
        path: impl Into<String>,
        value: impl Into<ErrorValue>,
        supported: &[&str],
    ) -> FieldError {
        let detail = if supported.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        FieldError {
            field: path.into(),
            kind: ErrorType::NotSupported,
            value: Some(value.into()),
            detail,
        }
    }

    /// `field.Forbidden(path, detail)`.
    pub fn forbidden(path: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError {
            field: path.into(),
            kind: ErrorType::Forbidden,
            value: None,
            detail: detail.into(),
        }
    }

    /// `field.Duplicate(path, value)`.
    pub fn duplicate(path: impl Into<String>, value: impl Into<ErrorValue>) -> FieldError {
        FieldError {
            field: path.into(),
            kind: ErrorType::Duplicate,
            value: Some(value.into()),
            detail: String::new(),
        }
    }

    /// `field.NotFound(path, value)`.
    pub fn not_found(path: impl Into<String>, value: impl Into<ErrorValue>) -> FieldError {
        FieldError {
            field: path.into(),
            kind: ErrorType::NotFound,
            value: Some(value.into()),
            detail: String::new(),
        }
    }

    /// `field.TooLong(path, value, max)`: detail `may not be more than <max> bytes`.
    pub fn too_long(path: impl Into<String>, max_bytes: usize) -> FieldError {
        let unit = if max_bytes == 1 { "byte" } else { "bytes" };
        FieldError {
            field: path.into(),
            kind: ErrorType::TooLong,
            value: None,
            detail: format!("may not be more than {max_bytes} {unit}"),
        }
    }

    /// `field.TooMany(path, actual, max)`: `Too many: 5: must have at most 3 items`.
    pub fn too_many(path: impl Into<String>, actual: i64, max: i64) -> FieldError {
        FieldError {
            field: path.into(),
            kind: ErrorType::TooMany,
            value: Some(ErrorValue::Int(actual)),
            detail: format!("must have at most {max} items"),
        }
    }

    /// The message without the field path (upstream `ErrorBody`, the `causes[].message`).
    pub fn body(&self) -> String {
        let mut s = self.kind.as_str().to_string();
        let shows_value = !matches!(
            self.kind,
            ErrorType::Required | ErrorType::Forbidden | ErrorType::TooLong
        );
        if shows_value {
            if let Some(v) = &self.value {
                s.push_str(&format!(": {v}"));
            }
        }
        if !self.detail.is_empty() {
            s.push_str(&format!(": {}", self.detail));
        }
        s
    }

    /// The API status cause reason (`FieldValueInvalid`, …).
    pub fn reason(&self) -> &'static str {
        self.kind.reason()
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

/// Go's `strconv.Quote` (what `%q` prints) for a string.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => {
                let n = c as u32;
                if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%#v` of a `map[string]string` (keys sorted): `map[string]string{"a":"1", "b":"2"}`.
pub fn go_string_map(map: &BTreeMap<String, String>) -> String {
    let entries: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{}:{}", go_quote(k), go_quote(v)))
        .collect();
    format!("map[string]string{{{}}}", entries.join(", "))
}

fn go_opt_string_map(map: Option<&BTreeMap<String, String>>) -> String {
    match map {
        Some(m) => go_string_map(m),
        None => "map[string]string(nil)".to_string(),
    }
}

/// Go's `%#v` of a `[]string`: `[]string{"a", "b"}`, `[]string(nil)` for nil.
pub fn go_string_slice(values: Option<&Vec<String>>) -> String {
    match values {
        Some(v) => {
            let q: Vec<String> = v.iter().map(|s| go_quote(s)).collect();
            format!("[]string{{{}}}", q.join(", "))
        }
        None => "[]string(nil)".to_string(),
    }
}

/// Go's `%#v` of a `metav1.LabelSelector`:
/// `v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`.
pub fn go_label_selector(sel: &LabelSelector) -> String {
    let exprs = match &sel.match_expressions {
        None => "[]v1.LabelSelectorRequirement(nil)".to_string(),
        Some(list) => {
            let items: Vec<String> = list
                .iter()
                .map(|r| {
                    format!(
                        "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{}}}",
                        go_quote(&r.key),
                        go_quote(&r.operator),
                        go_string_slice(r.values.as_ref())
                    )
                })
                .collect();
            format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
        }
    };
    format!(
        "v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{}}}",
        go_opt_string_map(sel.match_labels.as_ref()),
        exprs
    )
}

/// Each error's text, in order, once (`ToAggregate` and kubectl's `StatusCausesToAggrError`
/// skip a message they already have).
fn distinct_messages(errs: &[FieldError]) -> Vec<String> {
    let mut msgs: Vec<String> = Vec::new();
    for e in errs {
        let m = e.to_string();
        if !msgs.contains(&m) {
            msgs.push(m);
        }
    }
    msgs
}

/// kubectl create/replace message for a 422 Invalid: `The Pod "x" is invalid: <err>`, or with
/// several errors `The Pod "x" is invalid: ` followed by one `* <err>` line each (a repeated
/// error once).
pub fn invalid_message(kind: &str, name: &str, errs: &[FieldError]) -> String {
    let prefix = format!("The {kind} {} is invalid: ", go_quote(name));
    match distinct_messages(errs).as_slice() {
        [] => prefix.trim_end().trim_end_matches(':').to_string(),
        [one] => format!("{prefix}{one}"),
        many => {
            let lines: Vec<String> = many.iter().map(|e| format!("* {e}")).collect();
            format!("{prefix}\n{}", lines.join("\n"))
        }
    }
}

/// The API status message of `errors.NewInvalid`: `DaemonSet.apps "x" is invalid: <err>` or
/// `… is invalid: [<err1>, <err2>]` (identical messages are listed once, like `ToAggregate`).
pub fn api_invalid_message(kind_group: &str, name: &str, errs: &[FieldError]) -> String {
    let msgs = distinct_messages(errs);
    let agg = match msgs.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    };
    format!("{kind_group} {} is invalid: {agg}", go_quote(name))
}

// ---------------------------------------------------------------------------------------------
// Primitive checks (apimachinery pkg/util/validation)

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_ERR: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_ERR: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_ERR: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_ERR: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_ERR: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const ENV_VAR_FMT: &str = "[-._a-zA-Z][-._a-zA-Z0-9]*";
const ENV_VAR_ERR: &str = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
/// Upstream `TotalAnnotationSizeLimitB` (256 KiB).
pub const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;
/// Upstream `validation.IsNegativeErrorMsg`.
pub const IS_NEGATIVE_ERROR_MSG: &str = "must be greater than or equal to 0";

/// Upstream `RegexError`: `<msg> (e.g. 'a',  or 'b', regex used for validation is '<fmt>')`.
pub fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut out = format!("{msg} (e.g. ");
    for (i, ex) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push_str(&format!("'{ex}', "));
    }
    out.push_str(&format!("regex used for validation is '{fmt}')"));
    out
}

/// Upstream `MaxLenError`.
pub fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

/// Upstream `InclusiveRangeError`.
pub fn inclusive_range_error(lo: i64, hi: i64) -> String {
    format!("must be between {lo} and {hi}, inclusive")
}

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn matches_dns_label(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => {
            is_lower_alnum(*f)
                && is_lower_alnum(*l)
                && b.iter().all(|c| is_lower_alnum(*c) || *c == b'-')
        }
        _ => false,
    }
}

fn matches_dns_subdomain(s: &str) -> bool {
    s.split('.').all(matches_dns_label)
}

fn matches_qualified_part(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => {
            f.is_ascii_alphanumeric()
                && l.is_ascii_alphanumeric()
                && b.iter()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// Upstream `IsDNS1123Label` (max 63, `must not contain dots` for valid subdomains).
pub fn is_dns1123_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !matches_dns_label(value) {
        if matches_dns_subdomain(value) {
            errs.push("must not contain dots".to_string());
        } else {
            errs.push(regex_error(
                DNS1123_LABEL_ERR,
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

/// Upstream `IsDNS1035Label` (max 63, must start with a letter): Service names.
pub fn is_dns1035_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !(matches_dns_label(value) && value.starts_with(|c: char| c.is_ascii_lowercase())) {
        errs.push(regex_error(
            DNS1035_LABEL_ERR,
            DNS1035_LABEL_FMT,
            &["my-name", "abc-123"],
        ));
    }
    errs
}

/// Upstream `IsDNS1123SubdomainWithUnderscore` (DNS search domains): labels may start with
/// `_` and contain `_`.
pub fn is_dns1123_subdomain_with_underscore(value: &str) -> Vec<String> {
    let label_ok = |l: &str| {
        let l = l.strip_prefix('_').unwrap_or(l);
        let b = l.as_bytes();
        match (b.first(), b.last()) {
            (Some(f), Some(e)) => {
                is_lower_alnum(*f)
                    && is_lower_alnum(*e)
                    && b.iter()
                        .all(|c| is_lower_alnum(*c) || matches!(c, b'-' | b'_'))
            }
            _ => false,
        }
    };
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !value.split('.').all(label_ok) {
        errs.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character",
            "_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*",
            &["example.com"],
        ));
    }
    errs
}

/// Upstream `IsDNS1123Subdomain` (max 253).
pub fn is_dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !matches_dns_subdomain(value) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_ERR,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// Upstream `httpPathFmt`: the characters RFC 3986 allows in an HTTP path.
const HTTP_PATH_FMT: &str = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";

/// Upstream `IsDomainPrefixedPath` (`apimachinery/pkg/api/validation`): `acme.io/foo`, a
/// DNS-1123 subdomain, `/`, then a non-empty HTTP path.
pub fn is_domain_prefixed_path(path: &str, value: &str) -> Vec<FieldError> {
    if value.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    let Some((host, rest)) = value
        .split_once('/')
        .filter(|(h, r)| !h.is_empty() && !r.is_empty())
    else {
        return vec![FieldError::invalid(
            path,
            value,
            "must be a domain-prefixed path (such as \"acme.io/foo\")",
        )];
    };
    let mut errs: Vec<FieldError> = is_dns1123_subdomain(host)
        .into_iter()
        .map(|m| FieldError::invalid(path, host, m))
        .collect();
    let http_path_char = |c: char| c.is_ascii_alphanumeric() || "/-._~%!$&'()*+,;=:".contains(c);
    if !rest.chars().all(http_path_char) {
        errs.push(FieldError::invalid(
            path,
            rest,
            regex_error("Invalid path", HTTP_PATH_FMT, &[]),
        ));
    }
    errs
}

/// Upstream `IsQualifiedName` (label and annotation keys: optional DNS-subdomain prefix and `/`,
/// then a name part of at most 63 characters).
pub fn is_qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                for m in is_dns1123_subdomain(prefix) {
                    errs.push(format!("prefix part {m}"));
                }
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len_error(63)));
    }
    if !matches_qualified_part(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                QUALIFIED_NAME_ERR,
                QUALIFIED_NAME_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// Upstream `IsValidLabelValue` (empty allowed, max 63).
pub fn is_valid_label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !value.is_empty() && !matches_qualified_part(value) {
        errs.push(regex_error(
            LABEL_VALUE_ERR,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// Upstream `IsEnvVarName` (classic rule) including the `.`/`..` checks.
pub fn is_env_var_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let b = value.as_bytes();
    let ok = match b.first() {
        Some(f) => {
            (f.is_ascii_alphabetic() || matches!(f, b'-' | b'.' | b'_'))
                && b.iter()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'))
        }
        None => false,
    };
    if !ok {
        errs.push(regex_error(
            ENV_VAR_ERR,
            ENV_VAR_FMT,
            &["my.env-name", "MY_ENV.NAME", "MyEnvName1"],
        ));
    }
    if value == "." {
        errs.push("must not be '.'".to_string());
    } else if value == ".." {
        errs.push("must not be '..'".to_string());
    } else if value.starts_with("..") {
        errs.push("must not start with '..'".to_string());
    }
    errs
}

/// Upstream `IsValidPortNum`: 1–65535.
pub fn is_valid_port_num(port: i64) -> Vec<String> {
    if (1..=65535).contains(&port) {
        Vec::new()
    } else {
        vec![inclusive_range_error(1, 65535)]
    }
}

/// Upstream `IsValidPortName` (IANA service name).
pub fn is_valid_port_name(port: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if port.len() > 15 {
        errs.push(max_len_error(15));
    }
    if port.is_empty()
        || !port
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
    {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".into());
    }
    if !port.bytes().any(|c| c.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".into());
    }
    if port.contains("--") {
        errs.push("must not contain consecutive hyphens".into());
    }
    if port.starts_with('-') || port.ends_with('-') {
        errs.push("must not begin or end with a hyphen".into());
    }
    errs
}

// ---------------------------------------------------------------------------------------------
// Object metadata

/// Which name rule an object kind uses (upstream `ValidateNameFunc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// `NameIsDNSSubdomain` (Pods, DaemonSets, Jobs, ConfigMaps, Nodes, …).
    DnsSubdomain,
    /// `NameIsDNSLabel` (Namespaces, …).
    DnsLabel,
    /// `NameIsDNS1035Label` (Services).
    Dns1035Label,
}

impl NameRule {
    /// Messages for `name`; with `prefix` (generateName) a trailing `-` is masked like upstream.
    pub fn check(&self, name: &str, prefix: bool) -> Vec<String> {
        let masked;
        let name = if prefix && name.len() > 1 && name.ends_with('-') {
            masked = format!("{}a", name.get(..name.len() - 2).unwrap_or(""));
            masked.as_str()
        } else {
            name
        };
        match self {
            NameRule::DnsSubdomain => is_dns1123_subdomain(name),
            NameRule::DnsLabel => is_dns1123_label(name),
            NameRule::Dns1035Label => is_dns1035_label(name),
        }
    }
}

/// Upstream `ValidateLabels`: key and value errors on `path` itself (no key in the path).
pub fn validate_labels(labels: &BTreeMap<String, String>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (k, v) in labels {
        for m in is_qualified_name(k) {
            errs.push(FieldError::invalid(path, k, m));
        }
        for m in is_valid_label_value(v) {
            errs.push(FieldError::invalid(path, v, m));
        }
    }
    errs
}

/// Upstream `ValidateAnnotations`: keys are qualified names (case-insensitive), total size of
/// keys and values at most 256 KiB.
pub fn validate_annotations(annotations: &BTreeMap<String, String>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut total = 0usize;
    for (k, v) in annotations {
        for m in is_qualified_name(&k.to_lowercase()) {
            errs.push(FieldError::invalid(path, k, m));
        }
        total = total.saturating_add(k.len()).saturating_add(v.len());
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errs.push(FieldError::too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT));
    }
    errs
}

/// Upstream `ValidateObjectMetaAccessor` for `metadata` (see the module doc for the defaulting
/// assumptions around name and namespace).
pub fn validate_object_meta(
    meta: &ObjectMeta,
    namespaced: bool,
    name_fn: NameRule,
) -> Vec<FieldError> {
    validate_object_meta_parts(meta, namespaced, name_fn, true)
}

/// [`validate_object_meta`], leaving out the labels and annotations when `labels_and_annotations`
/// is false (the caller knows they pass: they equal ones that did).
pub(crate) fn validate_object_meta_parts(
    meta: &ObjectMeta,
    namespaced: bool,
    name_fn: NameRule,
    labels_and_annotations: bool,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let generate = meta.generate_name.as_deref().unwrap_or("");
    let name = meta.name.as_deref().unwrap_or("");
    if !generate.is_empty() {
        for m in name_fn.check(generate, true) {
            errs.push(FieldError::invalid("metadata.generateName", generate, m));
        }
    }
    if name.is_empty() {
        if generate.is_empty() {
            errs.push(FieldError::required(
                "metadata.name",
                "name or generateName is required",
            ));
        }
    } else {
        for m in name_fn.check(name, false) {
            errs.push(FieldError::invalid("metadata.name", name, m));
        }
    }
    if namespaced {
        if let Some(ns) = meta.namespace.as_deref().filter(|n| !n.is_empty()) {
            for m in is_dns1123_label(ns) {
                errs.push(FieldError::invalid("metadata.namespace", ns, m));
            }
        }
    }
    if let Some(g) = meta.generation {
        if g < 0 {
            errs.push(FieldError::invalid(
                "metadata.generation",
                g,
                IS_NEGATIVE_ERROR_MSG,
            ));
        }
    }
    if labels_and_annotations {
        errs.extend(validate_template_meta(meta, "metadata"));
    }
    let finalizers = meta.finalizers.as_deref().unwrap_or_default();
    errs.extend(validate_finalizers(finalizers, "metadata.finalizers"));
    // core's ValidateObjectMeta adds the kube-specific finalizer check last.
    for f in finalizers {
        if !f.contains('/') && !STANDARD_FINALIZERS.contains(&f.as_str()) {
            errs.push(FieldError::invalid(
                "metadata.finalizers",
                f,
                "name is neither a standard finalizer name nor is it fully qualified",
            ));
        }
    }
    errs
}

/// `kubernetes`, `orphan`, `foregroundDeletion` (`helper.IsStandardFinalizerName`).
const STANDARD_FINALIZERS: [&str; 3] = ["kubernetes", "orphan", "foregroundDeletion"];

/// Upstream apimachinery `ValidateFinalizers`: qualified names; `orphan` and
/// `foregroundDeletion` exclude each other.
pub fn validate_finalizers(finalizers: &[String], path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for f in finalizers {
        for m in is_qualified_name(f) {
            errs.push(FieldError::invalid(path, f, m));
        }
    }
    let has = |name: &str| finalizers.iter().any(|f| f == name);
    if has("orphan") && has("foregroundDeletion") {
        errs.push(FieldError::invalid(
            path,
            ErrorValue::Raw(go_string_slice(Some(&finalizers.to_vec()))),
            "finalizer orphan and foregroundDeletion cannot be both set",
        ));
    }
    errs
}

/// Labels and annotations of an embedded object meta such as `spec.template.metadata`
/// (upstream `ValidateTemplateObjectMeta` / the label and annotation part of object-meta checks).
pub fn validate_template_meta(meta: &ObjectMeta, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(labels) = &meta.labels {
        errs.extend(validate_labels(labels, &format!("{path}.labels")));
    }
    if let Some(ann) = &meta.annotations {
        errs.extend(validate_annotations(ann, &format!("{path}.annotations")));
    }
    errs
}

/// Upstream `ValidatePodTemplateSpec` at `path` (`spec.template`): labels and annotations are
/// reported as upstream does, at `spec.template.labels` / `spec.template.annotations` (not under
/// `metadata`); then the pod spec; ephemeral containers are forbidden.
pub fn validate_pod_template_spec(t: &PodTemplateSpec, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(meta) = t.metadata.as_ref() {
        errs.extend(validate_template_meta(meta, path));
        errs.extend(validate_pod_deletion_cost(
            meta,
            &format!("{path}.annotations"),
        ));
    }
    let spec_path = format!("{path}.spec");
    let default = PodSpec::default();
    let spec = t.spec.as_ref().unwrap_or(&default);
    errs.extend(validate_pod_spec(spec, &spec_path));
    if spec
        .ephemeral_containers
        .as_ref()
        .is_some_and(|e| !e.is_empty())
    {
        errs.push(FieldError::forbidden(
            format!("{spec_path}.ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        ));
    }
    errs
}

/// The pod-deletion-cost part of upstream `ValidatePodSpecificAnnotations`: the annotation
/// must be a 32-bit integer.
pub fn validate_pod_deletion_cost(meta: &ObjectMeta, path: &str) -> Vec<FieldError> {
    const KEY: &str = "controller.kubernetes.io/pod-deletion-cost";
    match meta.annotations.as_ref().and_then(|a| a.get(KEY)) {
        // validFirstDigit: no "+" sign and no leading zeros.
        Some(v)
            if v.parse::<i32>().is_err()
                || !(v.starts_with('-')
                    || v == "0"
                    || v.starts_with(|c: char| ('1'..='9').contains(&c))) =>
        {
            vec![FieldError::invalid(
                format!("{path}[{KEY}]"),
                v,
                "must be a 32bit integer",
            )]
        }
        _ => Vec::new(),
    }
}

/// Checks `ValidatePodCreate` adds for a new Pod: no ephemeral containers, no `nodeName`
/// while scheduling gates remain.
pub fn validate_pod_create(spec: &PodSpec, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if spec
        .ephemeral_containers
        .as_ref()
        .is_some_and(|e| !e.is_empty())
    {
        errs.push(FieldError::forbidden(
            format!("{path}.ephemeralContainers"),
            "cannot be set on create",
        ));
    }
    let gated = spec
        .scheduling_gates
        .as_ref()
        .is_some_and(|g| !g.is_empty());
    if gated && spec.node_name.as_deref().is_some_and(|n| !n.is_empty()) {
        errs.push(FieldError::forbidden(
            format!("{path}.nodeName"),
            "cannot be set until all schedulingGates have been cleared",
        ));
    }
    errs
}

/// Upstream `ValidateNonnegativeField`.
pub fn validate_nonnegative(value: i64, path: &str) -> Vec<FieldError> {
    if value < 0 {
        vec![FieldError::invalid(path, value, IS_NEGATIVE_ERROR_MSG)]
    } else {
        Vec::new()
    }
}

// ---------------------------------------------------------------------------------------------
// Pod spec

const RESTART_POLICIES: [&str; 3] = ["Always", "OnFailure", "Never"];
const DNS_POLICIES: [&str; 4] = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];
const PULL_POLICIES: [&str; 3] = ["Always", "IfNotPresent", "Never"];
const PROTOCOLS: [&str; 3] = ["SCTP", "TCP", "UDP"];
const TAINT_EFFECTS: [&str; 3] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/// Upstream `ValidatePodSpec` (subset, see the module doc), every error collected.
/// `path` is the spec's path, e.g. `spec` or `spec.template.spec`.
pub fn validate_pod_spec(spec: &PodSpec, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let (volumes, volume_errs) = validate_volumes(
        spec.volumes.as_deref().unwrap_or(&[]),
        &format!("{path}.volumes"),
    );
    errs.extend(volume_errs);
    let volumes = volumes.as_slice();

    let containers_path = format!("{path}.containers");
    let mut names: Vec<&str> = Vec::new();
    if spec.containers.is_empty() {
        errs.push(FieldError::required(&containers_path, ""));
    }
    let grace_period = spec.termination_grace_period_seconds;
    for (i, c) in spec.containers.iter().enumerate() {
        let p = format!("{containers_path}[{i}]");
        errs.extend(validate_container(c, volumes, &p));
        if names.contains(&c.name.as_str()) {
            errs.push(FieldError::duplicate(format!("{p}.name"), &c.name));
        } else {
            names.push(&c.name);
        }
        errs.extend(validate_container_probes(c, grace_period, &p));
        if c.restart_policy.is_some() {
            errs.push(FieldError::forbidden(
                format!("{p}.restartPolicy"),
                "may not be set for non-init containers",
            ));
        }
    }
    let all: Vec<(usize, &Container)> = spec.containers.iter().enumerate().collect();
    errs.extend(accumulate_unique_host_ports(
        &all,
        &mut Vec::new(),
        &containers_path,
    ));
    let init_path = format!("{path}.initContainers");
    for (i, c) in spec.init_containers.iter().flatten().enumerate() {
        let p = format!("{init_path}[{i}]");
        errs.extend(validate_container(c, volumes, &p));
        let restart_always = c.restart_policy.as_deref() == Some("Always");
        if let Some(rp) = c.restart_policy.as_deref().filter(|rp| *rp != "Always") {
            errs.push(FieldError::not_supported(
                format!("{p}.restartPolicy"),
                rp,
                &["Always"],
            ));
        }
        if names.contains(&c.name.as_str()) {
            errs.push(FieldError::duplicate(format!("{p}.name"), &c.name));
        } else if !c.name.is_empty() {
            names.push(&c.name);
        }
        // Init containers run one by one, so host ports are checked per container.
        errs.extend(accumulate_unique_host_ports(
            &[(i, c)],
            &mut Vec::new(),
            &init_path,
        ));
        if restart_always {
            errs.extend(validate_container_probes(c, grace_period, &p));
        } else {
            let set = [
                ("lifecycle", c.lifecycle.is_some()),
                ("livenessProbe", c.liveness_probe.is_some()),
                ("readinessProbe", c.readiness_probe.is_some()),
                ("startupProbe", c.startup_probe.is_some()),
            ];
            for (name, _) in set.iter().filter(|(_, present)| *present) {
                errs.push(FieldError::forbidden(
                    format!("{p}.{name}"),
                    "may not be set for init containers without restartPolicy=Always",
                ));
            }
        }
    }
    // validatePodHostNetworkDeps: with hostNetwork a host port must equal the container port
    // (a zero host port is defaulted to the container port first).
    if spec.host_network == Some(true) {
        for (i, c) in spec.containers.iter().enumerate() {
            for (j, port) in c.ports.iter().flatten().enumerate() {
                if let Some(hp) = port
                    .host_port
                    .filter(|hp| *hp != 0 && *hp != port.container_port)
                {
                    errs.push(FieldError::invalid(
                        format!("{containers_path}[{i}].ports[{j}].hostPort"),
                        hp,
                        "must match `containerPort` when `hostNetwork` is true",
                    ));
                }
            }
        }
    }

    if let Some(rp) = spec.restart_policy.as_deref().filter(|s| !s.is_empty()) {
        if !RESTART_POLICIES.contains(&rp) {
            errs.push(FieldError::not_supported(
                format!("{path}.restartPolicy"),
                rp,
                &RESTART_POLICIES,
            ));
        }
    }
    if let Some(dp) = spec.dns_policy.as_deref().filter(|s| !s.is_empty()) {
        if !DNS_POLICIES.contains(&dp) {
            errs.push(FieldError::not_supported(
                format!("{path}.dnsPolicy"),
                dp,
                &DNS_POLICIES,
            ));
        }
    }
    if let Some(ns) = &spec.node_selector {
        errs.extend(validate_labels(ns, &format!("{path}.nodeSelector")));
    }
    errs.extend(validate_pod_security_context(spec, path));
    if let Some(na) = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
    {
        let ap = format!("{path}.affinity.nodeAffinity");
        if let Some(req) = &na.required_during_scheduling_ignored_during_execution {
            let tp =
                format!("{ap}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms");
            if req.node_selector_terms.is_empty() {
                errs.push(FieldError::required(
                    &tp,
                    "must have at least one node selector term",
                ));
            }
            for (i, term) in req.node_selector_terms.iter().enumerate() {
                errs.extend(validate_node_selector_term(
                    term,
                    true,
                    &format!("{tp}[{i}]"),
                ));
            }
        }
        for (i, pref) in na
            .preferred_during_scheduling_ignored_during_execution
            .iter()
            .flatten()
            .enumerate()
        {
            let pp = format!("{ap}.preferredDuringSchedulingIgnoredDuringExecution[{i}]");
            if pref.weight <= 0 || pref.weight > 100 {
                errs.push(FieldError::invalid(
                    format!("{pp}.weight"),
                    pref.weight,
                    "must be in the range 1-100",
                ));
            }
            errs.extend(validate_node_selector_term(
                &pref.preference,
                false,
                &format!("{pp}.preference"),
            ));
        }
    }
    if let Some(aff) = spec.affinity.as_ref() {
        let ap = format!("{path}.affinity");
        let kinds = [
            (
                "podAffinity",
                aff.pod_affinity.as_ref().map(|a| {
                    (
                        &a.required_during_scheduling_ignored_during_execution,
                        &a.preferred_during_scheduling_ignored_during_execution,
                    )
                }),
            ),
            (
                "podAntiAffinity",
                aff.pod_anti_affinity.as_ref().map(|a| {
                    (
                        &a.required_during_scheduling_ignored_during_execution,
                        &a.preferred_during_scheduling_ignored_during_execution,
                    )
                }),
            ),
        ];
        for (name, terms) in kinds {
            let Some((required, preferred)) = terms else {
                continue;
            };
            let kp = format!("{ap}.{name}");
            for (i, term) in required.iter().flatten().enumerate() {
                errs.extend(validate_pod_affinity_term(
                    term,
                    &format!("{kp}.requiredDuringSchedulingIgnoredDuringExecution[{i}]"),
                ));
            }
            for (i, w) in preferred.iter().flatten().enumerate() {
                let wp = format!("{kp}.preferredDuringSchedulingIgnoredDuringExecution[{i}]");
                if w.weight <= 0 || w.weight > 100 {
                    errs.push(FieldError::invalid(
                        format!("{wp}.weight"),
                        w.weight,
                        "must be in the range 1-100",
                    ));
                }
                errs.extend(validate_pod_affinity_term(
                    &w.pod_affinity_term,
                    &format!("{wp}.podAffinityTerm"),
                ));
            }
        }
    }
    errs.extend(validate_pod_dns_config(spec, path));
    for (i, g) in spec.readiness_gates.iter().flatten().enumerate() {
        for m in is_qualified_name(&g.condition_type) {
            errs.push(FieldError::invalid(
                format!("{path}.readinessGates[{i}].conditionType"),
                &g.condition_type,
                m,
            ));
        }
    }
    let mut gates: Vec<&str> = Vec::new();
    for (i, g) in spec.scheduling_gates.iter().flatten().enumerate() {
        let gp = format!("{path}.schedulingGates[{i}]");
        for m in is_qualified_name(&g.name) {
            errs.push(FieldError::invalid(&gp, &g.name, m));
        }
        if gates.contains(&g.name.as_str()) {
            errs.push(FieldError::duplicate(&gp, &g.name));
        }
        gates.push(&g.name);
    }
    errs.extend(validate_topology_spread_constraints(
        spec.topology_spread_constraints
            .as_deref()
            .unwrap_or_default(),
        &format!("{path}.topologySpreadConstraints"),
    ));
    if let Some(sa) = spec
        .service_account_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        for m in is_dns1123_subdomain(sa) {
            errs.push(FieldError::invalid(
                format!("{path}.serviceAccountName"),
                sa,
                m,
            ));
        }
    }
    if let Some(node) = spec.node_name.as_deref().filter(|s| !s.is_empty()) {
        for m in is_dns1123_subdomain(node) {
            errs.push(FieldError::invalid(format!("{path}.nodeName"), node, m));
        }
    }
    if let Some(ads) = spec.active_deadline_seconds {
        if !(1..=i64::from(i32::MAX)).contains(&ads) {
            errs.push(FieldError::invalid(
                format!("{path}.activeDeadlineSeconds"),
                ads,
                inclusive_range_error(1, i64::from(i32::MAX)),
            ));
        }
    }
    if let Some(h) = spec.hostname.as_deref().filter(|s| !s.is_empty()) {
        for m in is_dns1123_label(h) {
            errs.push(FieldError::invalid(format!("{path}.hostname"), h, m));
        }
    }
    if let Some(s) = spec.subdomain.as_deref().filter(|s| !s.is_empty()) {
        for m in is_dns1123_label(s) {
            errs.push(FieldError::invalid(format!("{path}.subdomain"), s, m));
        }
    }
    if let Some(tols) = &spec.tolerations {
        errs.extend(validate_tolerations(tols, &format!("{path}.tolerations")));
    }
    for (i, alias) in spec.host_aliases.iter().flatten().enumerate() {
        let ap = format!("{path}.hostAliases[{i}]");
        errs.extend(validate_ip(&alias.ip, &format!("{ap}.ip")));
        for (j, h) in alias.hostnames.iter().flatten().enumerate() {
            for m in is_dns1123_subdomain(h) {
                errs.push(FieldError::invalid(format!("{ap}.hostnames[{j}]"), h, m));
            }
        }
    }
    if let Some(pc) = spec
        .priority_class_name
        .as_deref()
        .filter(|p| !p.is_empty())
    {
        for m in is_dns1123_subdomain(pc) {
            errs.push(FieldError::invalid(
                format!("{path}.priorityClassName"),
                pc,
                m,
            ));
        }
    }
    if let Some(rc) = spec.runtime_class_name.as_deref() {
        for m in is_dns1123_subdomain(rc) {
            errs.push(FieldError::invalid(
                format!("{path}.runtimeClassName"),
                rc,
                m,
            ));
        }
    }
    if let Some(pp) = spec.preemption_policy.as_deref() {
        let fp = format!("{path}.preemptionPolicy");
        match pp {
            "PreemptLowerPriority" | "Never" => {}
            "" => errs.push(FieldError::required(fp, "")),
            other => errs.push(FieldError::not_supported(
                fp,
                other,
                &["PreemptLowerPriority", "Never"],
            )),
        }
    }
    errs
}

/// Upstream `validateTopologySpreadConstraints` (matchLabelKeys not checked).
fn validate_topology_spread_constraints(
    constraints: &[TopologySpreadConstraint],
    path: &str,
) -> Vec<FieldError> {
    const NOT_POSITIVE: &str = "must be greater than zero";
    let mut errs = Vec::new();
    for (i, c) in constraints.iter().enumerate() {
        let cp = format!("{path}[{i}]");
        if c.max_skew <= 0 {
            errs.push(FieldError::invalid(
                format!("{cp}.maxSkew"),
                c.max_skew,
                NOT_POSITIVE,
            ));
        }
        if c.topology_key.is_empty() {
            errs.push(FieldError::required(
                format!("{cp}.topologyKey"),
                "can not be empty",
            ));
        }
        let wu = c.when_unsatisfiable.as_str();
        if !matches!(wu, "DoNotSchedule" | "ScheduleAnyway") {
            errs.push(FieldError::not_supported(
                format!("{cp}.whenUnsatisfiable"),
                wu,
                &["DoNotSchedule", "ScheduleAnyway"],
            ));
        }
        let repeated = constraints
            .get(i + 1..)
            .unwrap_or_default()
            .iter()
            .any(|r| {
                r.topology_key == c.topology_key && r.when_unsatisfiable == c.when_unsatisfiable
            });
        if repeated {
            errs.push(FieldError::duplicate(
                format!("{cp}.{{topologyKey, whenUnsatisfiable}}"),
                format!("{{{}, {}}}", c.topology_key, wu),
            ));
        }
        if let Some(md) = c.min_domains {
            let mp = format!("{cp}.minDomains");
            if md <= 0 {
                errs.push(FieldError::invalid(&mp, md, NOT_POSITIVE));
            }
            if wu != "DoNotSchedule" {
                errs.push(FieldError::invalid(
                    &mp,
                    md,
                    format!("can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {wu}"),
                ));
            }
        }
        for (name, policy) in [
            ("nodeAffinityPolicy", c.node_affinity_policy.as_deref()),
            ("nodeTaintsPolicy", c.node_taints_policy.as_deref()),
        ] {
            if let Some(p) = policy.filter(|p| !matches!(*p, "Honor" | "Ignore")) {
                errs.push(FieldError::not_supported(
                    format!("{cp}.{name}"),
                    p,
                    &["Honor", "Ignore"],
                ));
            }
        }
        if let Some(sel) = &c.label_selector {
            errs.extend(validate_label_selector(sel, &format!("{cp}.labelSelector")));
        }
    }
    errs
}

/// Upstream `IsValidIP` (the error text of `validation.IsValidIP(fldPath, value)`).
fn validate_ip(value: &str, path: &str) -> Vec<FieldError> {
    if value.parse::<std::net::IpAddr>().is_ok() {
        Vec::new()
    } else {
        vec![FieldError::invalid(
            path,
            value,
            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        )]
    }
}

/// Upstream `validatePodDNSConfig`: `dnsPolicy: None` needs a config with a nameserver; at
/// most 3 nameservers (IPs), 32 search domains (subdomains, 2048 characters), named options.
fn validate_pod_dns_config(spec: &PodSpec, path: &str) -> Vec<FieldError> {
    let fp = format!("{path}.dnsConfig");
    let config = spec.dns_config.as_ref();
    let nameservers = config.and_then(|c| c.nameservers.as_ref());
    if spec.dns_policy.as_deref() == Some("None") {
        if config.is_none() {
            return vec![FieldError::required(
                fp,
                "must provide `dnsConfig` when `dnsPolicy` is None",
            )];
        }
        if nameservers.is_none_or(Vec::is_empty) {
            return vec![FieldError::required(
                format!("{fp}.nameservers"),
                "must provide at least one DNS nameserver when `dnsPolicy` is None",
            )];
        }
    }
    let Some(config) = config else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    let np = format!("{fp}.nameservers");
    if let Some(ns) = nameservers.filter(|ns| ns.len() > 3) {
        errs.push(FieldError::invalid(
            &np,
            ErrorValue::Raw(go_string_slice(Some(ns))),
            "must not have more than 3 nameservers",
        ));
    }
    for (i, ns) in nameservers.into_iter().flatten().enumerate() {
        errs.extend(validate_ip(ns, &format!("{np}[{i}]")));
    }
    let sp = format!("{fp}.searches");
    let searches = config.searches.as_ref();
    if let Some(s) = searches.filter(|s| s.len() > 32) {
        errs.push(FieldError::invalid(
            &sp,
            ErrorValue::Raw(go_string_slice(Some(s))),
            "must not have more than 32 search paths",
        ));
    }
    if let Some(s) = searches.filter(|s| s.join(" ").len() > 2048) {
        errs.push(FieldError::invalid(
            &sp,
            ErrorValue::Raw(go_string_slice(Some(s))),
            "must not have more than 2048 characters (including spaces) in the search list",
        ));
    }
    for (i, search) in searches.into_iter().flatten().enumerate() {
        // The relaxed rule (on by default) allows "." and underscores; a trailing dot is dropped.
        if search == "." {
            continue;
        }
        let trimmed = search.strip_suffix('.').unwrap_or(search);
        for m in is_dns1123_subdomain_with_underscore(trimmed) {
            errs.push(FieldError::invalid(format!("{sp}[{i}]"), trimmed, m));
        }
    }
    for (i, opt) in config.options.iter().flatten().enumerate() {
        if opt.name.as_deref().unwrap_or("").is_empty() {
            errs.push(FieldError::required(
                format!("{fp}.options[{i}]"),
                "must not be empty",
            ));
        }
    }
    errs
}

/// The volume sources set on `v`, by their JSON names, in the order upstream's
/// `validateVolumeSource` visits them.
pub fn volume_sources(v: &Volume) -> Vec<&'static str> {
    [
        ("hostPath", v.host_path.is_some()),
        ("emptyDir", v.empty_dir.is_some()),
        ("gitRepo", v.git_repo.is_some()),
        ("gcePersistentDisk", v.gce_persistent_disk.is_some()),
        ("awsElasticBlockStore", v.aws_elastic_block_store.is_some()),
        ("secret", v.secret.is_some()),
        ("nfs", v.nfs.is_some()),
        ("iscsi", v.iscsi.is_some()),
        ("glusterfs", v.glusterfs.is_some()),
        ("flocker", v.flocker.is_some()),
        ("persistentVolumeClaim", v.persistent_volume_claim.is_some()),
        ("rbd", v.rbd.is_some()),
        ("flexVolume", v.flex_volume.is_some()),
        ("cinder", v.cinder.is_some()),
        ("cephfs", v.cephfs.is_some()),
        ("quobyte", v.quobyte.is_some()),
        ("downwardAPI", v.downward_api.is_some()),
        ("fc", v.fc.is_some()),
        ("azureFile", v.azure_file.is_some()),
        ("vsphereVolume", v.vsphere_volume.is_some()),
        ("photonPersistentDisk", v.photon_persistent_disk.is_some()),
        ("portworxVolume", v.portworx_volume.is_some()),
        ("azureDisk", v.azure_disk.is_some()),
        ("storageos", v.storageos.is_some()),
        ("configMap", v.config_map.is_some()),
        ("scaleIO", v.scale_io.is_some()),
        ("projected", v.projected.is_some()),
        ("csi", v.csi.is_some()),
        ("ephemeral", v.ephemeral.is_some()),
        ("image", v.image.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
    .collect()
}

/// Upstream `fileModeErrorMsg`.
const FILE_MODE_ERR: &str = "must be a number between 0 and 0777 (octal), both inclusive";
/// `supportedHostPathTypes`, sorted like `sets.List` (the unset type first).
const HOST_PATH_TYPES: [&str; 8] = [
    "",
    "BlockDevice",
    "CharDevice",
    "Directory",
    "DirectoryOrCreate",
    "File",
    "FileOrCreate",
    "Socket",
];

/// Upstream `validatePathNoBacksteps`.
fn validate_path_no_backsteps(target: &str, path: &str) -> Vec<FieldError> {
    if target.split('/').any(|p| p == "..") {
        vec![FieldError::invalid(path, target, "must not contain '..'")]
    } else {
        Vec::new()
    }
}

fn validate_file_mode(mode: Option<i32>, path: &str) -> Vec<FieldError> {
    match mode {
        Some(m) if !(0..=0o777).contains(&m) => vec![FieldError::invalid(path, m, FILE_MODE_ERR)],
        _ => Vec::new(),
    }
}

/// Upstream `validateKeyToPath` (configMap and secret `items`).
fn validate_key_to_path(kp: &KeyToPath, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if kp.key.is_empty() {
        errs.push(FieldError::required(format!("{path}.key"), ""));
    }
    let pp = format!("{path}.path");
    if kp.path.is_empty() {
        errs.push(FieldError::required(&pp, ""));
    }
    // validateLocalNonReservedPath
    if kp.path.starts_with('/') {
        errs.push(FieldError::invalid(
            &pp,
            &kp.path,
            "must be a relative path",
        ));
    }
    errs.extend(validate_path_no_backsteps(&kp.path, &pp));
    if kp.path.starts_with("..") && !kp.path.starts_with("../") {
        errs.push(FieldError::invalid(
            &pp,
            &kp.path,
            "must not start with '..'",
        ));
    }
    errs.extend(validate_file_mode(kp.mode, &format!("{path}.mode")));
    errs
}

/// Upstream `validateVolumeSource` for one volume at `path` (`spec.volumes[i]`): exactly one
/// source; hostPath, emptyDir, secret, persistentVolumeClaim and configMap are checked further.
fn validate_volume_source(v: &Volume, path: &str) -> Vec<FieldError> {
    let sources = volume_sources(v);
    let mut errs: Vec<FieldError> = sources
        .iter()
        .skip(1)
        .map(|s| {
            FieldError::forbidden(
                format!("{path}.{s}"),
                "may not specify more than 1 volume type",
            )
        })
        .collect();
    match sources.first().copied() {
        None => errs.push(FieldError::required(path, "must specify a volume type")),
        Some("hostPath") => {
            if let Some(hp) = &v.host_path {
                let pp = format!("{path}.hostPath.path");
                if hp.path.is_empty() {
                    errs.push(FieldError::required(pp, ""));
                } else {
                    errs.extend(validate_path_no_backsteps(&hp.path, &pp));
                    if let Some(t) = hp.type_.as_deref().filter(|t| !HOST_PATH_TYPES.contains(t)) {
                        errs.push(FieldError::not_supported(
                            format!("{path}.hostPath.type"),
                            t,
                            &HOST_PATH_TYPES,
                        ));
                    }
                }
            }
        }
        Some("emptyDir") => {
            let limit = v.empty_dir.as_ref().and_then(|e| e.size_limit.as_ref());
            if limit
                .and_then(|q| Quantity::parse(&q.0).ok())
                .is_some_and(|q| q.milli_value() < 0)
            {
                errs.push(FieldError::forbidden(
                    format!("{path}.emptyDir.sizeLimit"),
                    "SizeLimit field must be a valid resource quantity",
                ));
            }
        }
        Some("secret") => {
            if let Some(sec) = &v.secret {
                let sp = format!("{path}.secret");
                if sec.secret_name.as_deref().unwrap_or("").is_empty() {
                    errs.push(FieldError::required(format!("{sp}.secretName"), ""));
                }
                errs.extend(validate_file_mode(
                    sec.default_mode,
                    &format!("{sp}.defaultMode"),
                ));
                for (i, kp) in sec.items.iter().flatten().enumerate() {
                    errs.extend(validate_key_to_path(kp, &format!("{sp}.items[{i}]")));
                }
            }
        }
        Some("persistentVolumeClaim") => {
            if v.persistent_volume_claim
                .as_ref()
                .is_some_and(|c| c.claim_name.is_empty())
            {
                errs.push(FieldError::required(
                    format!("{path}.persistentVolumeClaim.claimName"),
                    "",
                ));
            }
        }
        Some("configMap") => {
            if let Some(cm) = &v.config_map {
                let cp = format!("{path}.configMap");
                if cm.name.is_empty() {
                    errs.push(FieldError::required(format!("{cp}.name"), ""));
                }
                errs.extend(validate_file_mode(
                    cm.default_mode,
                    &format!("{cp}.defaultMode"),
                ));
                for (i, kp) in cm.items.iter().flatten().enumerate() {
                    errs.extend(validate_key_to_path(kp, &format!("{cp}.items[{i}]")));
                }
            }
        }
        Some(_) => {}
    }
    errs
}

/// Checks upstream applies to a Pod but not to a pod template (`validateContainersOnlyForPod`):
/// container images may not have leading or trailing whitespace.
pub fn validate_pod_only(spec: &PodSpec, path: &str) -> Vec<FieldError> {
    let lists = [
        ("containers", Some(&spec.containers)),
        ("initContainers", spec.init_containers.as_ref()),
    ];
    let mut errs = Vec::new();
    for (name, list) in lists {
        for (i, c) in list.into_iter().flatten().enumerate() {
            let image = c.image.as_deref().unwrap_or("");
            if image.len() != image.trim().len() {
                errs.push(FieldError::invalid(
                    format!("{path}.{name}[{i}].image"),
                    image,
                    "must not have leading or trailing whitespace",
                ));
            }
        }
    }
    errs
}

/// Upstream `ValidateVolumes`: the source, then the name; only volumes without errors can be
/// mounted (their names are returned).
fn validate_volumes<'a>(volumes: &'a [Volume], path: &str) -> (Vec<&'a str>, Vec<FieldError>) {
    let mut errs = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for (i, v) in volumes.iter().enumerate() {
        let np = format!("{path}[{i}].name");
        let mut el = validate_volume_source(v, &format!("{path}[{i}]"));
        if v.name.is_empty() {
            el.push(FieldError::required(&np, ""));
        } else {
            for m in is_dns1123_label(&v.name) {
                el.push(FieldError::invalid(&np, &v.name, m));
            }
        }
        if names.contains(&v.name.as_str()) {
            el.push(FieldError::duplicate(&np, &v.name));
        }
        if el.is_empty() {
            names.push(&v.name);
        } else {
            errs.extend(el);
        }
    }
    (names, errs)
}

/// Checks shared by all containers (upstream `validateContainerCommon`, subset).
fn validate_container(c: &Container, volumes: &[&str], path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let np = format!("{path}.name");
    if c.name.is_empty() {
        errs.push(FieldError::required(&np, ""));
    } else {
        for m in is_dns1123_label(&c.name) {
            errs.push(FieldError::invalid(&np, &c.name, m));
        }
    }
    if c.image.as_deref().unwrap_or("").is_empty() {
        errs.push(FieldError::required(format!("{path}.image"), ""));
    }
    if let Some(tmp) = c
        .termination_message_policy
        .as_deref()
        .filter(|p| !p.is_empty())
    {
        if !TERMINATION_MESSAGE_POLICIES.contains(&tmp) {
            errs.push(FieldError::not_supported(
                format!("{path}.terminationMessagePolicy"),
                tmp,
                &TERMINATION_MESSAGE_POLICIES,
            ));
        }
    }

    let mut port_names: Vec<&str> = Vec::new();
    for (i, port) in c.ports.iter().flatten().enumerate() {
        let pp = format!("{path}.ports[{i}]");
        if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty()) {
            let msgs = is_valid_port_name(name);
            if !msgs.is_empty() {
                for m in msgs {
                    errs.push(FieldError::invalid(format!("{pp}.name"), name, m));
                }
            } else if port_names.contains(&name) {
                errs.push(FieldError::duplicate(format!("{pp}.name"), name));
            } else {
                port_names.push(name);
            }
        }
        if port.container_port == 0 {
            errs.push(FieldError::required(format!("{pp}.containerPort"), ""));
        } else {
            for m in is_valid_port_num(i64::from(port.container_port)) {
                errs.push(FieldError::invalid(
                    format!("{pp}.containerPort"),
                    port.container_port,
                    m,
                ));
            }
        }
        if let Some(hp) = port.host_port.filter(|p| *p != 0) {
            for m in is_valid_port_num(i64::from(hp)) {
                errs.push(FieldError::invalid(format!("{pp}.hostPort"), hp, m));
            }
        }
        if let Some(proto) = port.protocol.as_deref().filter(|p| !p.is_empty()) {
            if !PROTOCOLS.contains(&proto) {
                errs.push(FieldError::not_supported(
                    format!("{pp}.protocol"),
                    proto,
                    &PROTOCOLS,
                ));
            }
        }
    }

    errs.extend(validate_env(
        c.env.as_deref().unwrap_or(&[]),
        &format!("{path}.env"),
    ));
    errs.extend(validate_env_from(
        c.env_from.as_deref().unwrap_or(&[]),
        &format!("{path}.envFrom"),
    ));

    let mut mount_paths: Vec<&str> = Vec::new();
    for (i, m) in c.volume_mounts.iter().flatten().enumerate() {
        let mp = format!("{path}.volumeMounts[{i}]");
        if m.name.is_empty() {
            errs.push(FieldError::required(format!("{mp}.name"), ""));
        }
        if !volumes.contains(&m.name.as_str()) {
            errs.push(FieldError::not_found(format!("{mp}.name"), &m.name));
        }
        if m.mount_path.is_empty() {
            errs.push(FieldError::required(format!("{mp}.mountPath"), ""));
        }
        if mount_paths.contains(&m.mount_path.as_str()) {
            errs.push(FieldError::invalid(
                format!("{mp}.mountPath"),
                &m.mount_path,
                "must be unique",
            ));
        } else {
            mount_paths.push(&m.mount_path);
        }
    }

    if let Some(pp) = c.image_pull_policy.as_deref().filter(|p| !p.is_empty()) {
        if !PULL_POLICIES.contains(&pp) {
            errs.push(FieldError::not_supported(
                format!("{path}.imagePullPolicy"),
                pp,
                &PULL_POLICIES,
            ));
        }
    }
    if let Some(res) = &c.resources {
        errs.extend(validate_resource_requirements(
            res,
            &format!("{path}.resources"),
        ));
    }
    if let Some(sc) = &c.security_context {
        errs.extend(validate_security_context(
            sc,
            &format!("{path}.securityContext"),
        ));
    }
    errs
}

fn validate_resource_name(name: &str, path: &str) -> Vec<FieldError> {
    let mut errs: Vec<FieldError> = is_qualified_name(name)
        .into_iter()
        .map(|m| FieldError::invalid(path, name, m))
        .collect();
    if !name.contains('/') {
        let standard = matches!(name, "cpu" | "memory" | "ephemeral-storage")
            || name.starts_with("hugepages-");
        if !standard {
            errs.push(FieldError::invalid(
                path,
                name,
                "must be a standard resource for containers",
            ));
        }
    }
    errs
}

/// Parses and checks one quantity entry; returns the parsed value when valid.
fn check_quantity(
    name: &str,
    raw: &str,
    path: &str,
    errs: &mut Vec<FieldError>,
) -> Option<Quantity> {
    let q = match Quantity::parse(raw) {
        Ok(q) => q,
        Err(e) => {
            errs.push(FieldError::invalid(path, raw, e.to_string()));
            return None;
        }
    };
    if q.milli_value() < 0 {
        errs.push(FieldError::invalid(
            path,
            q.to_string(),
            IS_NEGATIVE_ERROR_MSG,
        ));
    }
    let integer_resource = name.starts_with("hugepages-") || name.contains('/');
    if integer_resource && q.milli_value() % 1000 != 0 {
        errs.push(FieldError::invalid(
            path,
            ErrorValue::Raw(q.to_string()),
            "must be an integer",
        ));
    }
    Some(q)
}

/// Upstream `ValidateResourceRequirements` (names, non-negative quantities, requests ≤ limits).
pub fn validate_resource_requirements(res: &ResourceRequirements, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let lim_path = format!("{path}.limits");
    let req_path = format!("{path}.requests");
    let mut limits: BTreeMap<&str, Quantity> = BTreeMap::new();
    for (name, q) in res.limits.iter().flatten() {
        let fp = format!("{lim_path}[{name}]");
        errs.extend(validate_resource_name(name, &fp));
        if let Some(parsed) = check_quantity(name, &q.0, &fp, &mut errs) {
            limits.insert(name.as_str(), parsed);
        }
    }
    for (name, q) in res.requests.iter().flatten() {
        let fp = format!("{req_path}[{name}]");
        errs.extend(validate_resource_name(name, &fp));
        let Some(req) = check_quantity(name, &q.0, &fp, &mut errs) else {
            continue;
        };
        let overcommit = !name.starts_with("hugepages-") && !name.contains('/');
        match limits.get(name.as_str()) {
            Some(lim) => {
                if !overcommit && req != *lim {
                    errs.push(FieldError::invalid(
                        &req_path,
                        req.to_string(),
                        format!("must be equal to {name} limit of {lim}"),
                    ));
                } else if req > *lim {
                    errs.push(FieldError::invalid(
                        &req_path,
                        req.to_string(),
                        format!("must be less than or equal to {name} limit of {lim}"),
                    ));
                }
            }
            None if !overcommit => errs.push(FieldError::required(
                &lim_path,
                "Limit must be set for non overcommitable resources",
            )),
            None => {}
        }
    }
    errs
}

/// Upstream `ValidateTolerations`.
pub fn validate_tolerations(tolerations: &[Toleration], path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, t) in tolerations.iter().enumerate() {
        let ip = format!("{path}[{i}]");
        let key = t.key.as_deref().unwrap_or("");
        let op = t.operator.as_deref().unwrap_or("");
        let value = t.value.as_deref().unwrap_or("");
        let effect = t.effect.as_deref().unwrap_or("");
        if !key.is_empty() {
            for m in is_qualified_name(key) {
                errs.push(FieldError::invalid(format!("{ip}.key"), key, m));
            }
        }
        if key.is_empty() && op != "Exists" {
            errs.push(FieldError::invalid(
                format!("{ip}.operator"),
                op,
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        if t.toleration_seconds.is_some() && effect != "NoExecute" {
            errs.push(FieldError::invalid(
                format!("{ip}.effect"),
                effect,
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        match op {
            "" | "Equal" => {
                let msgs = is_valid_label_value(value);
                if !msgs.is_empty() {
                    errs.push(FieldError::invalid(
                        format!("{ip}.operator"),
                        value,
                        msgs.join(";"),
                    ));
                }
            }
            "Exists" => {
                if !value.is_empty() {
                    errs.push(FieldError::invalid(
                        format!("{ip}.operator"),
                        value,
                        "value must be empty when `operator` is 'Exists'",
                    ));
                }
            }
            other => errs.push(FieldError::not_supported(
                format!("{ip}.operator"),
                other,
                &["Equal", "Exists"],
            )),
        }
        if !effect.is_empty() && !TAINT_EFFECTS.contains(&effect) {
            errs.push(FieldError::not_supported(
                format!("{ip}.effect"),
                effect,
                &TAINT_EFFECTS,
            ));
        }
    }
    errs
}

/// Upstream `validatePodAffinityTerm` (matchLabelKeys / mismatchLabelKeys are not checked).
/// Upstream reports bad `namespaces` entries under `namespace` (singular); kept.
fn validate_pod_affinity_term(term: &PodAffinityTerm, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(sel) = &term.label_selector {
        errs.extend(validate_label_selector(
            sel,
            &format!("{path}.labelSelector"),
        ));
    }
    if let Some(sel) = &term.namespace_selector {
        errs.extend(validate_label_selector(
            sel,
            &format!("{path}.namespaceSelector"),
        ));
    }
    for ns in term.namespaces.iter().flatten() {
        for m in is_dns1123_label(ns) {
            errs.push(FieldError::invalid(format!("{path}.namespace"), ns, m));
        }
    }
    let tp = format!("{path}.topologyKey");
    if term.topology_key.is_empty() {
        errs.push(FieldError::required(&tp, "can not be empty"));
    }
    for m in is_qualified_name(&term.topology_key) {
        errs.push(FieldError::invalid(&tp, &term.topology_key, m));
    }
    errs
}

/// Upstream `unversionedvalidation.ValidateLabelSelector` (label values checked strictly, as on
/// create).
pub fn validate_label_selector(sel: &LabelSelector, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(labels) = &sel.match_labels {
        errs.extend(validate_labels(labels, &format!("{path}.matchLabels")));
    }
    for (i, e) in sel.match_expressions.iter().flatten().enumerate() {
        let p = format!("{path}.matchExpressions[{i}]");
        let values = e.values.as_deref().unwrap_or_default();
        match e.operator.as_str() {
            "In" | "NotIn" if values.is_empty() => errs.push(FieldError::required(
                format!("{p}.values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
            )),
            "Exists" | "DoesNotExist" if !values.is_empty() => errs.push(FieldError::forbidden(
                format!("{p}.values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => errs.push(FieldError::invalid(
                format!("{p}.operator"),
                other,
                "not a valid selector operator",
            )),
        }
        for m in is_qualified_name(&e.key) {
            errs.push(FieldError::invalid(format!("{p}.key"), e.key.as_str(), m));
        }
        for (j, v) in values.iter().enumerate() {
            for m in is_valid_label_value(v) {
                errs.push(FieldError::invalid(
                    format!("{p}.values[{j}]"),
                    v.as_str(),
                    m,
                ));
            }
        }
    }
    errs
}

fn validate_node_selector_term(
    term: &NodeSelectorTerm,
    check_values: bool,
    path: &str,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (j, req) in term.match_expressions.iter().flatten().enumerate() {
        errs.extend(validate_node_selector_requirement(
            req,
            check_values,
            &format!("{path}.matchExpressions[{j}]"),
        ));
    }
    for (j, req) in term.match_fields.iter().flatten().enumerate() {
        let fp = format!("{path}.matchFields[{j}]");
        let values = req.values.as_deref().unwrap_or(&[]);
        match req.operator.as_str() {
            "In" | "NotIn" => {
                if values.len() != 1 {
                    errs.push(FieldError::required(
                        format!("{fp}.values"),
                        "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                    ));
                }
            }
            other => errs.push(FieldError::invalid(
                format!("{fp}.operator"),
                other,
                "not a valid selector operator",
            )),
        }
        if req.key == "metadata.name" {
            for (k, v) in values.iter().enumerate() {
                for m in is_dns1123_subdomain(v) {
                    errs.push(FieldError::invalid(format!("{fp}.values[{k}]"), v, m));
                }
            }
        } else {
            errs.push(FieldError::invalid(
                format!("{fp}.key"),
                &req.key,
                "not a valid field selector key",
            ));
        }
    }
    errs
}

fn validate_node_selector_requirement(
    req: &NodeSelectorRequirement,
    check_values: bool,
    path: &str,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let values = req.values.as_deref().unwrap_or(&[]);
    let vp = format!("{path}.values");
    match req.operator.as_str() {
        "In" | "NotIn" => {
            if values.is_empty() {
                errs.push(FieldError::required(
                    &vp,
                    "must be specified when `operator` is 'In' or 'NotIn'",
                ));
            }
        }
        "Exists" | "DoesNotExist" => {
            if !values.is_empty() {
                errs.push(FieldError::forbidden(
                    &vp,
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                ));
            }
        }
        "Gt" | "Lt" => {
            if values.len() != 1 {
                errs.push(FieldError::required(
                    &vp,
                    "must be specified single value when `operator` is 'Lt' or 'Gt'",
                ));
            }
        }
        other => errs.push(FieldError::invalid(
            format!("{path}.operator"),
            other,
            "not a valid selector operator",
        )),
    }
    for m in is_qualified_name(&req.key) {
        errs.push(FieldError::invalid(format!("{path}.key"), &req.key, m));
    }
    if check_values {
        for (k, v) in values.iter().enumerate() {
            for m in is_valid_label_value(v) {
                errs.push(FieldError::invalid(format!("{vp}[{k}]"), v, m));
            }
        }
    }
    errs
}

// ---------------------------------------------------------------------------------------------
// Env, probes, lifecycle handlers and host ports (pkg/apis/core/validation/validation.go)

const CONFIG_KEY_FMT: &str = "[-._a-zA-Z0-9]+";
const CONFIG_KEY_ERR: &str =
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const HTTP_HEADER_NAME_FMT: &str = "[-A-Za-z0-9]+";
const HTTP_HEADER_NAME_ERR: &str =
    "a valid HTTP header must consist of alphanumeric characters or '-'";
/// `validEnvDownwardAPIFieldPathExpressions`, sorted like `sets.List`.
const ENV_FIELD_PATHS: [&str; 9] = [
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];
/// `validContainerResourceFieldPathExpressions`, sorted.
const ENV_RESOURCE_FIELDS: [&str; 6] = [
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
];
/// Every field label `ConvertDownwardAPIFieldLabel` accepts for pods (v1).
const DOWNWARD_API_LABELS: [&str; 14] = [
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.serviceAccountName",
    "spec.schedulerName",
    "status.phase",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];
const TERMINATION_MESSAGE_POLICIES: [&str; 2] = ["File", "FallbackToLogsOnError"];
const HTTP_SCHEMES: [&str; 2] = ["HTTP", "HTTPS"];

/// Upstream `IsConfigMapKey` (ConfigMap and Secret keys).
pub fn is_config_map_key(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(max_len_error(253));
    }
    let ok = !value.is_empty()
        && value
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'));
    if !ok {
        errs.push(regex_error(
            CONFIG_KEY_ERR,
            CONFIG_KEY_FMT,
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    if value == "." {
        errs.push("must not be '.'".to_string());
    } else if value == ".." {
        errs.push("must not be '..'".to_string());
    } else if value.starts_with("..") {
        errs.push("must not start with '..'".to_string());
    }
    errs
}

/// Upstream `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['app']` → (`metadata.labels`, `app`).
fn split_subscripted_path(path: &str) -> Option<(&str, &str)> {
    let inner = path.strip_suffix("']")?;
    let (head, sub) = inner.split_once("['")?;
    (!head.is_empty()).then_some((head, sub))
}

/// Upstream `podshelper.ConvertDownwardAPIFieldLabel` (the error text only).
fn convert_downward_api_field_label(version: &str, label: &str) -> Result<(), String> {
    if version != "v1" {
        return Err(format!("unsupported pod version: {version}"));
    }
    if let Some((head, _)) = split_subscripted_path(label) {
        return match head {
            "metadata.annotations" | "metadata.labels" => Ok(()),
            _ => Err(format!("field label does not support subscript: {label}")),
        };
    }
    if DOWNWARD_API_LABELS.contains(&label) || label == "spec.host" {
        Ok(())
    } else {
        Err(format!("field label not supported: {label}"))
    }
}

/// Upstream `validateObjectFieldSelector` with the env-var field paths.
fn validate_object_field_selector(fs: &ObjectFieldSelector, path: &str) -> Vec<FieldError> {
    // The API server defaults an empty apiVersion to "v1" before validating.
    let version = fs.api_version.as_deref().unwrap_or("");
    if version.is_empty() {
        return vec![FieldError::required(format!("{path}.apiVersion"), "")];
    }
    if fs.field_path.is_empty() {
        return vec![FieldError::required(format!("{path}.fieldPath"), "")];
    }
    if let Err(e) = convert_downward_api_field_label(version, &fs.field_path) {
        return vec![FieldError::invalid(
            format!("{path}.fieldPath"),
            &fs.field_path,
            format!("error converting fieldPath: {e}"),
        )];
    }
    let label = if fs.field_path == "spec.host" {
        "spec.nodeName"
    } else {
        fs.field_path.as_str()
    };
    let mut errs = Vec::new();
    if let Some((head, sub)) = split_subscripted_path(label) {
        let key = if head == "metadata.annotations" {
            sub.to_lowercase()
        } else {
            sub.to_string()
        };
        for m in is_qualified_name(&key) {
            errs.push(FieldError::invalid(path, key.as_str(), m));
        }
    } else if !ENV_FIELD_PATHS.contains(&label) {
        errs.push(FieldError::not_supported(
            format!("{path}.fieldPath"),
            label,
            &ENV_FIELD_PATHS,
        ));
    }
    errs
}

/// Upstream `validateContainerResourceFieldSelector` (env form) and `validateContainerResourceDivisor`.
fn validate_resource_field_selector(fs: &ResourceFieldSelector, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let r = fs.resource.as_str();
    if r.is_empty() {
        errs.push(FieldError::required(format!("{path}.resource"), ""));
    } else if !ENV_RESOURCE_FIELDS.contains(&r)
        && !r.starts_with("requests.hugepages-")
        && !r.starts_with("limits.hugepages-")
    {
        errs.push(FieldError::not_supported(
            format!("{path}.resource"),
            r,
            &ENV_RESOURCE_FIELDS,
        ));
    }
    let Some(divisor) = fs.divisor.as_ref() else {
        return errs;
    };
    let Ok(d) = Quantity::parse(&divisor.0) else {
        return errs;
    };
    if d.milli_value() == 0 {
        return errs;
    }
    let shown = d.to_string();
    const BYTES: [&str; 13] = [
        "1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei",
    ];
    const BYTES_LIST: &str = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei";
    let detail = match r {
        "limits.cpu" | "requests.cpu" if !matches!(shown.as_str(), "1m" | "1") => {
            Some("only divisor's values 1m and 1 are supported with the cpu resource".to_string())
        }
        "limits.memory" | "requests.memory" if !BYTES.contains(&shown.as_str()) => Some(format!(
            "only divisor's values {BYTES_LIST} are supported with the memory resource"
        )),
        "limits.ephemeral-storage" | "requests.ephemeral-storage"
            if !BYTES.contains(&shown.as_str()) =>
        {
            Some(format!("only divisor's values {BYTES_LIST} are supported with the local ephemeral storage resource"))
        }
        _ => None,
    };
    if let Some(detail) = detail {
        errs.push(FieldError::invalid(format!("{path}.divisor"), r, detail));
    }
    errs
}

/// Upstream `validateConfigMapKeySelector` / `validateSecretKeySelector` (same rules).
fn validate_key_selector(name: &str, key: &str, path: &str) -> Vec<FieldError> {
    let mut errs: Vec<FieldError> = is_dns1123_subdomain(name)
        .into_iter()
        .map(|m| FieldError::invalid(format!("{path}.name"), name, m))
        .collect();
    if key.is_empty() {
        errs.push(FieldError::required(format!("{path}.key"), ""));
    } else {
        for m in is_config_map_key(key) {
            errs.push(FieldError::invalid(format!("{path}.key"), key, m));
        }
    }
    errs
}

/// Upstream `validateEnvVarValueFrom`.
fn validate_env_var_value_from(env: &EnvVar, path: &str) -> Vec<FieldError> {
    let Some(from) = env.value_from.as_ref() else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    let mut n_sources = 0;
    if let Some(fs) = &from.field_ref {
        n_sources += 1;
        errs.extend(validate_object_field_selector(
            fs,
            &format!("{path}.fieldRef"),
        ));
    }
    if let Some(rs) = &from.resource_field_ref {
        n_sources += 1;
        errs.extend(validate_resource_field_selector(
            rs,
            &format!("{path}.resourceFieldRef"),
        ));
    }
    if let Some(cm) = &from.config_map_key_ref {
        n_sources += 1;
        errs.extend(validate_key_selector(
            &cm.name,
            &cm.key,
            &format!("{path}.configMapKeyRef"),
        ));
    }
    if let Some(s) = &from.secret_key_ref {
        n_sources += 1;
        errs.extend(validate_key_selector(
            &s.name,
            &s.key,
            &format!("{path}.secretKeyRef"),
        ));
    }
    if n_sources == 0 {
        errs.push(FieldError::invalid(
            path,
            "",
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        ));
    } else if !env.value.as_deref().unwrap_or("").is_empty() {
        errs.push(FieldError::invalid(
            path,
            "",
            "may not be specified when `value` is not empty",
        ));
    } else if n_sources > 1 {
        errs.push(FieldError::invalid(
            path,
            "",
            "may not have more than one field specified at a time",
        ));
    }
    errs
}

/// Upstream `ValidateEnv` (classic env-var names) including `valueFrom`.
pub fn validate_env(vars: &[EnvVar], path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, env) in vars.iter().enumerate() {
        let ip = format!("{path}[{i}]");
        if env.name.is_empty() {
            errs.push(FieldError::required(format!("{ip}.name"), ""));
        } else {
            for m in is_env_var_name(&env.name) {
                errs.push(FieldError::invalid(format!("{ip}.name"), &env.name, m));
            }
        }
        errs.extend(validate_env_var_value_from(env, &format!("{ip}.valueFrom")));
    }
    errs
}

/// Upstream `ValidateEnvFrom`.
pub fn validate_env_from(sources: &[EnvFromSource], path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, ev) in sources.iter().enumerate() {
        let ip = format!("{path}[{i}]");
        if let Some(prefix) = ev.prefix.as_deref().filter(|p| !p.is_empty()) {
            for m in is_env_var_name(prefix) {
                errs.push(FieldError::invalid(format!("{ip}.prefix"), prefix, m));
            }
        }
        let mut n_sources = 0;
        let refs = [
            ev.config_map_ref
                .as_ref()
                .map(|c| (c.name.as_str(), "configMapRef")),
            ev.secret_ref
                .as_ref()
                .map(|s| (s.name.as_str(), "secretRef")),
        ];
        for (name, child) in refs.into_iter().flatten() {
            n_sources += 1;
            let np = format!("{ip}.{child}.name");
            if name.is_empty() {
                errs.push(FieldError::required(np, ""));
            } else {
                for m in NameRule::DnsSubdomain.check(name, true) {
                    errs.push(FieldError::invalid(&np, name, m));
                }
            }
        }
        if n_sources == 0 {
            errs.push(FieldError::invalid(
                path,
                "",
                "must specify one of: `configMapRef` or `secretRef`",
            ));
        } else if n_sources > 1 {
            errs.push(FieldError::invalid(
                path,
                "",
                "may not have more than one field specified at a time",
            ));
        }
    }
    errs
}

/// Upstream `ValidatePortNumOrName`.
pub fn validate_port_num_or_name(port: &IntOrString, path: &str) -> Vec<FieldError> {
    match port {
        IntOrString::Int(n) => is_valid_port_num(i64::from(*n))
            .into_iter()
            .map(|m| FieldError::invalid(path, *n, m))
            .collect(),
        IntOrString::String(s) => is_valid_port_name(s)
            .into_iter()
            .map(|m| FieldError::invalid(path, s, m))
            .collect(),
    }
}

fn validate_http_get(http: &HTTPGetAction, path: &str) -> Vec<FieldError> {
    // v1 defaulting sets an empty path to "/" and an empty scheme to HTTP, so upstream's
    // `path: Required value` cannot happen on a served object.
    let mut errs = validate_port_num_or_name(&http.port, &format!("{path}.port"));
    let scheme = http
        .scheme
        .as_deref()
        .filter(|s| !s.is_empty())
        .unwrap_or("HTTP");
    if !HTTP_SCHEMES.contains(&scheme) {
        errs.push(FieldError::not_supported(
            format!("{path}.scheme"),
            scheme,
            &HTTP_SCHEMES,
        ));
    }
    for h in http.http_headers.iter().flatten() {
        let ok = !h.name.is_empty()
            && h.name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-');
        if !ok {
            errs.push(FieldError::invalid(
                format!("{path}.httpHeaders"),
                &h.name,
                regex_error(
                    HTTP_HEADER_NAME_ERR,
                    HTTP_HEADER_NAME_FMT,
                    &["X-Header-Name"],
                ),
            ));
        }
    }
    errs
}

/// One probe or lifecycle handler, by kind (upstream `commonHandler`).
struct Handler<'a> {
    exec: Option<&'a ExecAction>,
    http_get: Option<&'a HTTPGetAction>,
    tcp_socket: Option<&'a TCPSocketAction>,
    grpc: Option<&'a GRPCAction>,
    sleep: Option<&'a SleepAction>,
}

/// Upstream `validateHandler`: exactly one handler, each checked.
fn validate_handler(h: &Handler<'_>, grace_period: Option<i64>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut n = 0;
    let mut one = |name: &str, errs: &mut Vec<FieldError>| -> bool {
        if n > 0 {
            errs.push(FieldError::forbidden(
                format!("{path}.{name}"),
                "may not specify more than 1 handler type",
            ));
            false
        } else {
            n += 1;
            true
        }
    };
    if let Some(exec) = h.exec {
        if one("exec", &mut errs) && exec.command.as_ref().is_none_or(Vec::is_empty) {
            errs.push(FieldError::required(format!("{path}.exec.command"), ""));
        }
    }
    if let Some(http) = h.http_get {
        if one("httpGet", &mut errs) {
            errs.extend(validate_http_get(http, &format!("{path}.httpGet")));
        }
    }
    if let Some(tcp) = h.tcp_socket {
        if one("tcpSocket", &mut errs) {
            errs.extend(validate_port_num_or_name(
                &tcp.port,
                &format!("{path}.tcpSocket.port"),
            ));
        }
    }
    if let Some(grpc) = h.grpc {
        if one("grpc", &mut errs) {
            errs.extend(validate_port_num_or_name(
                &IntOrString::Int(grpc.port),
                &format!("{path}.grpc.port"),
            ));
        }
    }
    if let Some(sleep) = h.sleep {
        if one("sleep", &mut errs) {
            if let Some(gp) = grace_period {
                if sleep.seconds < 0 || sleep.seconds > gp {
                    errs.push(FieldError::invalid(
                        format!("{path}.sleep"),
                        sleep.seconds,
                        format!("must be non-negative and less than terminationGracePeriodSeconds ({gp})"),
                    ));
                }
            }
        }
    }
    if n == 0 {
        errs.push(FieldError::required(path, "must specify a handler type"));
    }
    errs
}

fn lifecycle_handler(h: &LifecycleHandler) -> Handler<'_> {
    Handler {
        exec: h.exec.as_ref(),
        http_get: h.http_get.as_ref(),
        tcp_socket: h.tcp_socket.as_ref(),
        grpc: None,
        sleep: h.sleep.as_ref(),
    }
}

/// Upstream `validateLifecycle`.
fn validate_lifecycle(l: &Lifecycle, grace_period: Option<i64>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(h) = &l.post_start {
        errs.extend(validate_handler(
            &lifecycle_handler(h),
            grace_period,
            &format!("{path}.postStart"),
        ));
    }
    if let Some(h) = &l.pre_stop {
        errs.extend(validate_handler(
            &lifecycle_handler(h),
            grace_period,
            &format!("{path}.preStop"),
        ));
    }
    errs
}

/// Which probe is validated (the extra rule each kind adds to `validateProbe`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeKind {
    /// `livenessProbe`: successThreshold must be 1.
    Liveness,
    /// `readinessProbe`: no terminationGracePeriodSeconds.
    Readiness,
    /// `startupProbe`: successThreshold must be 1.
    Startup,
}

/// Upstream `validateProbe` plus the per-kind rule (`validateLivenessProbe`, …). Unset numbers
/// are read as their v1 defaults (initialDelaySeconds 0, successThreshold 1).
pub fn validate_probe(
    probe: &Probe,
    kind: ProbeKind,
    grace_period: Option<i64>,
    path: &str,
) -> Vec<FieldError> {
    let handler = Handler {
        exec: probe.exec.as_ref(),
        http_get: probe.http_get.as_ref(),
        tcp_socket: probe.tcp_socket.as_ref(),
        grpc: probe.grpc.as_ref(),
        sleep: None,
    };
    let mut errs = validate_handler(&handler, grace_period, path);
    // v1 defaulting replaces zero (or unset) timeout, period and thresholds.
    let defaulted = |v: Option<i32>, d: i32| v.filter(|n| *n != 0).unwrap_or(d);
    let success = defaulted(probe.success_threshold, 1);
    for (name, v) in [
        (
            "initialDelaySeconds",
            probe.initial_delay_seconds.unwrap_or(0),
        ),
        ("timeoutSeconds", defaulted(probe.timeout_seconds, 1)),
        ("periodSeconds", defaulted(probe.period_seconds, 10)),
        ("successThreshold", success),
        ("failureThreshold", defaulted(probe.failure_threshold, 3)),
    ] {
        errs.extend(validate_nonnegative(
            i64::from(v),
            &format!("{path}.{name}"),
        ));
    }
    if let Some(t) = probe.termination_grace_period_seconds.filter(|t| *t <= 0) {
        errs.push(FieldError::invalid(
            format!("{path}.terminationGracePeriodSeconds"),
            t,
            "must be greater than 0",
        ));
    }
    match kind {
        ProbeKind::Liveness | ProbeKind::Startup if success != 1 => errs.push(FieldError::invalid(
            format!("{path}.successThreshold"),
            success,
            "must be 1",
        )),
        ProbeKind::Readiness => {
            if let Some(t) = probe.termination_grace_period_seconds {
                errs.push(FieldError::invalid(
                    format!("{path}.terminationGracePeriodSeconds"),
                    t,
                    "must not be set for readinessProbes",
                ));
            }
        }
        _ => {}
    }
    errs
}

/// Lifecycle and probes of a regular (or restartable init) container.
fn validate_container_probes(
    c: &Container,
    grace_period: Option<i64>,
    path: &str,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(l) = &c.lifecycle {
        errs.extend(validate_lifecycle(
            l,
            grace_period,
            &format!("{path}.lifecycle"),
        ));
    }
    for (probe, kind, name) in [
        (&c.liveness_probe, ProbeKind::Liveness, "livenessProbe"),
        (&c.readiness_probe, ProbeKind::Readiness, "readinessProbe"),
        (&c.startup_probe, ProbeKind::Startup, "startupProbe"),
    ] {
        if let Some(p) = probe {
            errs.extend(validate_probe(
                p,
                kind,
                grace_period,
                &format!("{path}.{name}"),
            ));
        }
    }
    errs
}

/// Upstream `IsValidUserID` / `IsValidGroupID`: 0–2147483647.
fn validate_id(id: i64, path: &str) -> Vec<FieldError> {
    if (0..=i64::from(i32::MAX)).contains(&id) {
        Vec::new()
    } else {
        vec![FieldError::invalid(
            path,
            id,
            inclusive_range_error(0, i64::from(i32::MAX)),
        )]
    }
}

/// Upstream `validateSeccompProfileField` (the `localhostProfile` set with a non-Localhost type
/// case is not reported: upstream prints the whole struct with a pointer address).
fn validate_seccomp_profile(sp: Option<&SeccompProfile>, path: &str) -> Vec<FieldError> {
    let Some(sp) = sp else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    let tp = format!("{path}.type");
    match sp.type_.as_str() {
        "Localhost" | "RuntimeDefault" | "Unconfined" => {}
        "" => errs.push(FieldError::required(
            tp,
            "type is required when seccompProfile is set",
        )),
        other => errs.push(FieldError::not_supported(
            tp,
            other,
            &["Localhost", "RuntimeDefault", "Unconfined"],
        )),
    }
    if sp.type_ == "Localhost" {
        match sp.localhost_profile.as_deref() {
            None => errs.push(FieldError::required(
                format!("{path}.localhostProfile"),
                "must be set when seccomp type is Localhost",
            )),
            Some(p) => {
                let lp = format!("{path}.localhostProfile");
                if p.starts_with('/') {
                    errs.push(FieldError::invalid(&lp, p, "must be a relative path"));
                }
                errs.extend(validate_path_no_backsteps(p, &lp));
            }
        }
    }
    errs
}

/// Upstream `ValidateSecurityContext` for a container (user and group IDs, procMount, seccomp).
fn validate_security_context(sc: &SecurityContext, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(u) = sc.run_as_user {
        errs.extend(validate_id(u, &format!("{path}.runAsUser")));
    }
    if let Some(g) = sc.run_as_group {
        errs.extend(validate_id(g, &format!("{path}.runAsGroup")));
    }
    if let Some(pm) = sc.proc_mount.as_deref() {
        let pp = format!("{path}.procMount");
        if !matches!(pm, "Default" | "Unmasked") {
            errs.push(FieldError::not_supported(&pp, pm, &["Default", "Unmasked"]));
        }
        // hostUsers defaults to true.
        if pm == "Unmasked" {
            errs.push(FieldError::invalid(
                &pp,
                pm,
                "`hostUsers` must be false to use `Unmasked`",
            ));
        }
    }
    errs.extend(validate_seccomp_profile(
        sc.seccomp_profile.as_ref(),
        &format!("{path}.seccompProfile"),
    ));
    errs
}

/// Upstream `validatePodSpecSecurityContext` (IDs, shareProcessNamespace with hostPID,
/// fsGroupChangePolicy, seccomp). `path` is the pod spec's path; `shareProcessNamespace` is
/// reported under `securityContext`, as upstream (it lives there in the internal type).
fn validate_pod_security_context(spec: &PodSpec, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let fp = format!("{path}.securityContext");
    if let Some(sc) = spec.security_context.as_ref() {
        if let Some(g) = sc.fs_group {
            errs.extend(validate_id(g, &format!("{fp}.fsGroup")));
        }
        if let Some(u) = sc.run_as_user {
            errs.extend(validate_id(u, &format!("{fp}.runAsUser")));
        }
        if let Some(g) = sc.run_as_group {
            errs.extend(validate_id(g, &format!("{fp}.runAsGroup")));
        }
        for (i, g) in sc.supplemental_groups.iter().flatten().enumerate() {
            errs.extend(validate_id(*g, &format!("{fp}.supplementalGroups[{i}]")));
        }
    }
    if spec.share_process_namespace == Some(true) && spec.host_pid == Some(true) {
        errs.push(FieldError::invalid(
            format!("{fp}.shareProcessNamespace"),
            ErrorValue::Raw("true".into()),
            "ShareProcessNamespace and HostPID cannot both be enabled",
        ));
    }
    if let Some(sc) = spec.security_context.as_ref() {
        if let Some(p) = sc.fs_group_change_policy.as_deref() {
            if !matches!(p, "Always" | "OnRootMismatch") {
                errs.push(FieldError::not_supported(
                    format!("{fp}.fsGroupChangePolicy"),
                    p,
                    &["Always", "OnRootMismatch"],
                ));
            }
        }
        errs.extend(validate_seccomp_profile(
            sc.seccomp_profile.as_ref(),
            &format!("{fp}.seccompProfile"),
        ));
    }
    errs
}

/// Upstream `AccumulateUniqueHostPorts`: `<protocol>/<hostIP>/<hostPort>` must be unique.
fn accumulate_unique_host_ports(
    containers: &[(usize, &Container)],
    seen: &mut Vec<String>,
    path: &str,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (ci, c) in containers {
        for (pi, p) in c.ports.iter().flatten().enumerate() {
            let Some(hp) = p.host_port.filter(|hp| *hp != 0) else {
                continue;
            };
            let key = format!(
                "{}/{}/{hp}",
                p.protocol.as_deref().unwrap_or("TCP"),
                p.host_ip.as_deref().unwrap_or("")
            );
            if seen.contains(&key) {
                errs.push(FieldError::duplicate(
                    format!("{path}[{ci}].ports[{pi}].hostPort"),
                    key,
                ));
            } else {
                seen.push(key);
            }
        }
    }
    errs
}

#[cfg(test)]
mod upstream_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    struct Case {
        name: &'static str,
        /// YAML of the object under test (a PodSpec or an ObjectMeta, depending on the table).
        input: &'static str,
        expect: &'static [&'static str],
    }

    fn render(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    /// Runs one case: `meta:` cases validate ObjectMeta (namespaced, DNS subdomain names),
    /// everything else validates a PodSpec at path `spec`.
    fn check(case: &Case) {
        let errs = if let Some(meta) = case.input.strip_prefix("meta:\n") {
            match serde_yaml::from_str::<ObjectMeta>(meta) {
                Ok(m) => validate_object_meta(&m, true, NameRule::DnsSubdomain),
                Err(e) => panic!("case {}: bad fixture: {e}", case.name),
            }
        } else {
            match serde_yaml::from_str::<PodSpec>(case.input) {
                Ok(spec) => validate_pod_spec(&spec, "spec"),
                Err(e) => panic!("case {}: bad fixture: {e}", case.name),
            }
        };
        assert_eq!(render(&errs), case.expect, "case {}", case.name);
    }

    const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    const NAME_PART_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    #[test]
    fn reference_examples_verbatim() {
        assert_eq!(
            FieldError::invalid("metadata.labels", "bad value", LABEL_VALUE_MSG).to_string(),
            "metadata.labels: Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        );
        assert_eq!(
            is_valid_label_value("bad value"),
            vec![LABEL_VALUE_MSG.to_string()]
        );
        assert_eq!(
            is_qualified_name("bad key"),
            vec![NAME_PART_MSG.to_string()]
        );
        let meta = ObjectMeta {
            name: Some("My_DS".into()),
            ..Default::default()
        };
        assert_eq!(
            render(&validate_object_meta(&meta, true, NameRule::DnsSubdomain)),
            vec!["metadata.name: Invalid value: \"My_DS\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]
        );
        assert_eq!(
            FieldError::not_supported("spec.template.spec.restartPolicy", "Never", &["Always"]).to_string(),
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""
        );
        assert_eq!(
            FieldError::invalid("spec.minReadySeconds", -1i64, IS_NEGATIVE_ERROR_MSG).to_string(),
            "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0"
        );
        assert_eq!(
            FieldError::required("spec.template.spec.restartPolicy", "valid values: \"OnFailure\", \"Never\"").to_string(),
            "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
        );
        assert_eq!(
            FieldError::forbidden("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in DaemonSet is not Supported").to_string(),
            "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported"
        );
    }

    #[test]
    fn primitives() {
        struct Prim {
            f: fn(&str) -> Vec<String>,
            input: &'static str,
            expect: Vec<String>,
        }
        let long = "a".repeat(64);
        let prims = [
            Prim { f: is_dns1123_label, input: "ok-name", expect: vec![] },
            Prim { f: is_dns1123_label, input: "a.b", expect: vec!["must not contain dots".into()] },
            Prim { f: is_dns1123_label, input: "Bad", expect: vec![LABEL_MSG.into()] },
            Prim { f: is_dns1123_label, input: "", expect: vec![LABEL_MSG.into()] },
            Prim { f: is_dns1123_subdomain, input: "a.b-c.d", expect: vec![] },
            Prim { f: is_dns1123_subdomain, input: "a..b", expect: vec![SUBDOMAIN_MSG.into()] },
            Prim { f: is_qualified_name, input: "example.com/My.Name_1", expect: vec![] },
            Prim { f: is_qualified_name, input: "/x", expect: vec!["prefix part must be non-empty".into()] },
            Prim { f: is_qualified_name, input: "Example.com/x", expect: vec![format!("prefix part {SUBDOMAIN_MSG}")] },
            Prim { f: is_qualified_name, input: "x/", expect: vec!["name part must be non-empty".into(), NAME_PART_MSG.into()] },
            Prim {
                f: is_qualified_name,
                input: "a/b/c",
                expect: vec!["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')".into()],
            },
            Prim { f: is_valid_label_value, input: "", expect: vec![] },
            Prim { f: is_valid_label_value, input: "-x", expect: vec![LABEL_VALUE_MSG.into()] },
            Prim { f: is_env_var_name, input: "MY_VAR.x-1", expect: vec![] },
            Prim {
                f: is_env_var_name,
                input: "1VAR",
                expect: vec!["a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')".into()],
            },
            Prim { f: is_env_var_name, input: "..", expect: vec!["must not be '..'".into()] },
            Prim { f: is_valid_port_name, input: "http", expect: vec![] },
            Prim {
                f: is_valid_port_name,
                input: "-80",
                expect: vec!["must contain at least one letter (a-z)".into(), "must not begin or end with a hyphen".into()],
            },
        ];
        for p in &prims {
            assert_eq!((p.f)(p.input), p.expect, "input {:?}", p.input);
        }
        assert_eq!(is_valid_label_value(&long), vec![max_len_error(63)]);
        assert_eq!(
            is_qualified_name(&long),
            vec!["name part must be no more than 63 characters".to_string()]
        );
        assert_eq!(
            is_valid_port_num(0),
            vec!["must be between 1 and 65535, inclusive".to_string()]
        );
        assert_eq!(go_quote("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\x01é\"");
    }

    #[test]
    fn go_renderings() {
        let mut m = BTreeMap::new();
        m.insert("tier".to_string(), "web".to_string());
        m.insert("app".to_string(), "x".to_string());
        assert_eq!(
            go_string_map(&m),
            "map[string]string{\"app\":\"x\", \"tier\":\"web\"}"
        );
        assert_eq!(go_string_map(&BTreeMap::new()), "map[string]string{}");
        let sel = LabelSelector {
            match_labels: Some(BTreeMap::from([("app".to_string(), "x".to_string())])),
            match_expressions: None,
        };
        assert_eq!(
            go_label_selector(&sel),
            "v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"x\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"
        );
        let sel = LabelSelector {
            match_labels: None,
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "k".into(),
                operator: "In".into(),
                values: Some(vec!["a".into(), "b".into()]),
            }]),
        };
        assert_eq!(
            go_label_selector(&sel),
            "v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"k\", Operator:\"In\", Values:[]string{\"a\", \"b\"}}}}"
        );
        let e = FieldError::invalid(
            "spec.template.metadata.labels",
            ErrorValue::Raw(go_string_map(&m)),
            "`selector` does not match template `labels`",
        );
        assert_eq!(
            e.to_string(),
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"x\", \"tier\":\"web\"}: `selector` does not match template `labels`"
        );
        assert_eq!(e.reason(), "FieldValueInvalid");
        assert_eq!(
            FieldError::too_many("spec.x", 5, 3).to_string(),
            "spec.x: Too many: 5: must have at most 3 items"
        );
        assert_eq!(
            FieldError::not_found("spec.x", "v").to_string(),
            "spec.x: Not found: \"v\""
        );
        assert_eq!(
            FieldError::too_long("metadata.annotations", 262144).body(),
            "Too long: may not be more than 262144 bytes"
        );
    }

    #[test]
    fn aggregate_messages() {
        let one = [FieldError::required("spec.containers", "")];
        let two = [
            FieldError::required("spec.containers", ""),
            FieldError::not_supported("spec.restartPolicy", "Sometimes", &RESTART_POLICIES),
        ];
        assert_eq!(
            invalid_message("Pod", "x", &one),
            "The Pod \"x\" is invalid: spec.containers: Required value"
        );
        assert_eq!(
            invalid_message("Pod", "x", &two),
            "The Pod \"x\" is invalid: \n* spec.containers: Required value\n* spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""
        );
        assert_eq!(
            api_invalid_message("Pod", "x", &one),
            "Pod \"x\" is invalid: spec.containers: Required value"
        );
        let dup = [two[0].clone(), two[0].clone(), two[1].clone()];
        assert_eq!(
            api_invalid_message("DaemonSet.apps", "ds", &dup),
            "DaemonSet.apps \"ds\" is invalid: [spec.containers: Required value, spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"]"
        );
    }

    #[test]
    fn object_meta_table() {
        let big = Box::leak(
            format!(
                "meta:\nname: a\nannotations:\n  k: {}\n",
                "v".repeat(262_144)
            )
            .into_boxed_str(),
        );
        let cases = [
            Case { name: "valid", input: "meta:\nname: web-1\nnamespace: default\nlabels: {app: web}\n", expect: &[] },
            Case { name: "no name", input: "meta:\nlabels: {app: web}\n", expect: &["metadata.name: Required value: name or generateName is required"] },
            Case { name: "generateName only", input: "meta:\ngenerateName: web-\n", expect: &[] },
            Case {
                name: "bad generateName",
                input: "meta:\ngenerateName: Web-\n",
                expect: &["metadata.generateName: Invalid value: \"Web-\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
            },
            Case {
                name: "bad namespace",
                input: "meta:\nname: a\nnamespace: a.b\n",
                expect: &["metadata.namespace: Invalid value: \"a.b\": must not contain dots"],
            },
            Case {
                name: "several label errors collected",
                input: "meta:\nname: a\nlabels:\n  \"bad key\": ok\n  good: \"bad value\"\n",
                expect: &[
                    "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                    "metadata.labels: Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
                ],
            },
            Case { name: "annotation keys are case-insensitive", input: "meta:\nname: a\nannotations: {Example.com/Note: x}\n", expect: &[] },
            Case { name: "annotations too big", input: big, expect: &["metadata.annotations: Too long: may not be more than 262144 bytes"] },
        ];
        for case in &cases {
            check(case);
        }
    }

    #[test]
    fn pod_spec_table() {
        let cases = [
            Case { name: "valid", input: "containers: [{name: app, image: nginx, ports: [{containerPort: 80, name: http}]}]\nrestartPolicy: Always\n", expect: &[] },
            Case { name: "no containers", input: "containers: []\n", expect: &["spec.containers: Required value"] },
            Case {
                name: "name and image required, duplicate names, all collected",
                input: "containers:\n- {}\n- {name: app, image: x}\n- {name: app, image: y}\n- {name: Bad_Name, image: z}\n",
                expect: &[
                    "spec.containers[0].name: Required value",
                    "spec.containers[0].image: Required value",
                    "spec.containers[2].name: Duplicate value: \"app\"",
                    "spec.containers[3].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                ],
            },
            Case {
                name: "restart and dns policy",
                input: "containers: [{name: a, image: x}]\nrestartPolicy: Sometimes\ndnsPolicy: Google\n",
                expect: &[
                    "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
                    "spec.dnsPolicy: Unsupported value: \"Google\": supported values: \"ClusterFirst\", \"ClusterFirstWithHostNet\", \"Default\", \"None\"",
                ],
            },
            Case {
                name: "ports",
                input: "containers:\n- name: a\n  image: x\n  ports:\n  - containerPort: 0\n  - containerPort: 70000\n    hostPort: -1\n    protocol: HTTP\n",
                expect: &[
                    "spec.containers[0].ports[0].containerPort: Required value",
                    "spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                    "spec.containers[0].ports[1].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive",
                    "spec.containers[0].ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                ],
            },
            Case {
                name: "resources: request above limit, negative, bad name, bad quantity",
                input: "containers:\n- name: a\n  image: x\n  resources:\n    limits: {cpu: 500m, memory: 1Gi, gpu: 1}\n    requests: {cpu: 1, memory: -1, storage: abc}\n",
                expect: &[
                    "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
                    "spec.containers[0].resources.requests: Invalid value: \"1\": must be less than or equal to cpu limit of 500m",
                    "spec.containers[0].resources.requests[memory]: Invalid value: \"-1\": must be greater than or equal to 0",
                    "spec.containers[0].resources.requests[storage]: Invalid value: \"storage\": must be a standard resource for containers",
                    "spec.containers[0].resources.requests[storage]: Invalid value: \"abc\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                ],
            },
            Case { name: "resources within limits", input: "containers:\n- name: a\n  image: x\n  resources:\n    limits: {cpu: '1', memory: 1Gi}\n    requests: {cpu: 1000m, memory: 512Mi}\n", expect: &[] },
            Case {
                name: "env names",
                input: "containers:\n- name: a\n  image: x\n  env:\n  - {name: GOOD, value: x}\n  - {name: '', value: y}\n  - {name: 1BAD}\n",
                expect: &[
                    "spec.containers[0].env[1].name: Required value",
                    "spec.containers[0].env[2].name: Invalid value: \"1BAD\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
                ],
            },
            Case {
                name: "volume mounts",
                input: "volumes: [{name: data, emptyDir: {}}]\ncontainers:\n- name: a\n  image: x\n  volumeMounts:\n  - {name: data, mountPath: /d}\n  - {name: logs, mountPath: /d}\n",
                expect: &[
                    "spec.containers[0].volumeMounts[1].name: Not found: \"logs\"",
                    "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/d\": must be unique",
                ],
            },
            Case {
                name: "node selector",
                input: "containers: [{name: a, image: x}]\nnodeSelector: {disktype: \"s s d\"}\n",
                expect: &["spec.nodeSelector: Invalid value: \"s s d\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"],
            },
            Case {
                name: "tolerations",
                input: "containers: [{name: a, image: x}]\ntolerations:\n- {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}\n- {key: k, operator: Exists, value: v, effect: NoSchedule}\n- {key: k, operator: Equal, value: v, effect: Sometimes}\n- {key: k, operator: Equal, value: v, effect: NoSchedule, tolerationSeconds: 30}\n- {operator: Equal, value: v}\n- {key: k, operator: Maybe}\n",
                expect: &[
                    "spec.tolerations[1].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
                    "spec.tolerations[2].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
                    "spec.tolerations[3].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
                    "spec.tolerations[4].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
                    "spec.tolerations[5].operator: Unsupported value: \"Maybe\": supported values: \"Equal\", \"Exists\"",
                ],
            },
            Case {
                name: "deadlines and grace period",
                input: "containers: [{name: a, image: x}]\nactiveDeadlineSeconds: 0\nterminationGracePeriodSeconds: -5\n",
                expect: &[
                    "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive",
                ],
            },
            Case {
                name: "node affinity operators",
                input: "containers: [{name: a, image: x}]\naffinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - {key: zone, operator: In}\n        - {key: zone, operator: Exists, values: [a]}\n        - {key: cores, operator: Gt, values: ['1', '2']}\n        - {key: zone, operator: Near, values: [a]}\n        matchFields:\n        - {key: metadata.name, operator: In, values: [node-1]}\n        - {key: metadata.uid, operator: Exists}\n    preferredDuringSchedulingIgnoredDuringExecution:\n    - weight: 0\n      preference:\n        matchExpressions: [{key: zone, operator: NotIn, values: [b]}]\n",
                expect: &[
                    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
                    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
                    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[3].operator: Invalid value: \"Near\": not a valid selector operator",
                    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[1].operator: Invalid value: \"Exists\": not a valid selector operator",
                    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[1].key: Invalid value: \"metadata.uid\": not a valid field selector key",
                    "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100",
                ],
            },
            Case {
                name: "empty node selector terms",
                input: "containers: [{name: a, image: x}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: []}}}\n",
                expect: &["spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term"],
            },
            Case {
                name: "init container name clash and pull policy",
                input: "containers: [{name: a, image: x, imagePullPolicy: Sometimes}]\ninitContainers: [{name: a, image: y}]\n",
                expect: &[
                    "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"",
                    "spec.initContainers[0].name: Duplicate value: \"a\"",
                ],
            },
        ];
        for case in &cases {
            check(case);
        }
    }
}
