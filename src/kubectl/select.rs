//! Label and field selectors as kubectl's `-l` and `--field-selector` take them
//! (`apimachinery/pkg/labels/selector.go` `Parse`, `fields/selector.go`).
//!
//! TODO(merge): use engine::selector once it lands; this is the smallest private version.
//! Simplifications: no `<`/`>` operators; field selectors support `=`, `==` and `!=` on
//! `metadata.name`, `metadata.namespace`, `spec.nodeName`, `status.phase` and event
//! `involvedObject.*`, `reason`, `type` fields.

use std::collections::BTreeMap;

use crate::engine::api::Object;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Req {
    Eq(String, String),
    NotEq(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

/// A parsed label selector.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelSelector {
    reqs: Vec<Req>,
}

fn split_top(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' => {
                depth += 1;
                cur.push(c)
            }
            ')' => {
                depth -= 1;
                cur.push(c)
            }
            ',' if depth == 0 => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn valid_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

fn valid_value(v: &str) -> bool {
    v.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

impl LabelSelector {
    /// Parses `a=b,c!=d,e in (f,g),!h,i`.
    pub fn parse(s: &str) -> Result<LabelSelector, String> {
        let mut reqs = Vec::new();
        let s = s.trim();
        if s.is_empty() {
            return Ok(LabelSelector { reqs });
        }
        for part in split_top(s) {
            let p = part.trim();
            let bad = || format!("unable to parse requirement: found '{p}', expected: identifier");
            let req = if let Some(k) = p.strip_prefix('!') {
                Req::NotExists(k.trim().to_string())
            } else if let Some((k, v)) = p.split_once("!=") {
                Req::NotEq(k.trim().to_string(), v.trim().to_string())
            } else if let Some((k, v)) = p.split_once("==") {
                Req::Eq(k.trim().to_string(), v.trim().to_string())
            } else if let Some((k, v)) = p.split_once('=') {
                Req::Eq(k.trim().to_string(), v.trim().to_string())
            } else if let Some((k, rest)) = p.split_once(" notin ") {
                Req::NotIn(k.trim().to_string(), set_values(rest).ok_or_else(bad)?)
            } else if let Some((k, rest)) = p.split_once(" in ") {
                Req::In(k.trim().to_string(), set_values(rest).ok_or_else(bad)?)
            } else {
                Req::Exists(p.to_string())
            };
            let (key, vals): (&str, Vec<&String>) = match &req {
                Req::Eq(k, v) | Req::NotEq(k, v) => (k, vec![v]),
                Req::In(k, vs) | Req::NotIn(k, vs) => (k, vs.iter().collect()),
                Req::Exists(k) | Req::NotExists(k) => (k, Vec::new()),
            };
            if !valid_key(key) {
                return Err(bad());
            }
            if let Some(v) = vals.iter().find(|v| !valid_value(v)) {
                return Err(format!(
                    "invalid label value: \"{v}\": at key: \"{key}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
                ));
            }
            reqs.push(req);
        }
        Ok(LabelSelector { reqs })
    }

    /// Whether `labels` satisfy every requirement.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.reqs.iter().all(|r| match r {
            Req::Eq(k, v) => labels.get(k) == Some(v),
            Req::NotEq(k, v) => labels.get(k) != Some(v),
            Req::In(k, vs) => labels.get(k).is_some_and(|x| vs.contains(x)),
            Req::NotIn(k, vs) => labels.get(k).is_none_or(|x| !vs.contains(x)),
            Req::Exists(k) => labels.contains_key(k),
            Req::NotExists(k) => !labels.contains_key(k),
        })
    }
}

fn set_values(rest: &str) -> Option<Vec<String>> {
    let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some(
        inner
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect(),
    )
}

/// A parsed field selector.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldSelector {
    reqs: Vec<(String, bool, String)>,
}

impl FieldSelector {
    /// Parses `metadata.name=x,status.phase!=Running`.
    pub fn parse(s: &str) -> Result<FieldSelector, String> {
        let mut reqs = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, eq, v) = if let Some((k, v)) = part.split_once("!=") {
                (k, false, v)
            } else if let Some((k, v)) = part.split_once("==") {
                (k, true, v)
            } else if let Some((k, v)) = part.split_once('=') {
                (k, true, v)
            } else {
                return Err(format!("invalid selector: '{s}'; can't understand '{part}'"));
            };
            reqs.push((k.trim().to_string(), eq, v.trim().to_string()));
        }
        Ok(FieldSelector { reqs })
    }

    /// The first field this kind does not support, if any (kubectl's
    /// `field label not supported: x`).
    pub fn unsupported(&self, obj_kind: crate::engine::api::Kind) -> Option<String> {
        self.reqs
            .iter()
            .find(|(k, _, _)| field_value_path(obj_kind, k).is_none())
            .map(|(k, _, _)| k.clone())
    }

    /// Whether the object's fields satisfy every requirement.
    pub fn matches(&self, obj: &Object) -> bool {
        let json = obj.to_json();
        self.reqs.iter().all(|(k, eq, v)| {
            let Some(path) = field_value_path(obj.kind(), k) else {
                return false;
            };
            let actual = json
                .pointer(&path)
                .map(|x| match x {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .unwrap_or_default();
            (actual == *v) == *eq
        })
    }
}

fn field_value_path(kind: crate::engine::api::Kind, field: &str) -> Option<String> {
    use crate::engine::api::Kind;
    let common = matches!(field, "metadata.name" | "metadata.namespace");
    let ok = common
        || match kind {
            Kind::Pod => matches!(
                field,
                "spec.nodeName"
                    | "spec.restartPolicy"
                    | "spec.schedulerName"
                    | "spec.serviceAccountName"
                    | "status.phase"
                    | "status.podIP"
                    | "status.nominatedNodeName"
            ),
            Kind::Node => field == "spec.unschedulable",
            Kind::Event => matches!(
                field,
                "involvedObject.kind"
                    | "involvedObject.namespace"
                    | "involvedObject.name"
                    | "involvedObject.uid"
                    | "involvedObject.apiVersion"
                    | "involvedObject.resourceVersion"
                    | "involvedObject.fieldPath"
                    | "reason"
                    | "reportingComponent"
                    | "source"
                    | "type"
            ),
            Kind::Namespace => field == "status.phase",
            Kind::Job => field == "status.successful",
            _ => false,
        };
    if !ok {
        return None;
    }
    Some(format!("/{}", field.replace('.', "/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_selector_table() {
        struct Case {
            name: &'static str,
            selector: &'static str,
            labels: &'static [(&'static str, &'static str)],
            want: bool,
        }
        let cases = [
            Case { name: "equality", selector: "app=web", labels: &[("app", "web")], want: true },
            Case { name: "inequality", selector: "app!=web", labels: &[("app", "web")], want: false },
            Case { name: "set_in", selector: "tier in (a, b),app", labels: &[("tier", "b"), ("app", "x")], want: true },
            Case { name: "set_notin_missing", selector: "tier notin (a)", labels: &[], want: true },
            Case { name: "not_exists", selector: "!app", labels: &[("app", "x")], want: false },
        ];
        for c in cases {
            let labels: BTreeMap<String, String> =
                c.labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            let sel = LabelSelector::parse(c.selector).unwrap();
            assert_eq!(sel.matches(&labels), c.want, "{}", c.name);
        }
        assert!(LabelSelector::parse("a=b c").is_err());
    }
}
