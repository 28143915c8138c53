//! TEMPORARY stub of kubectl's JSONPath (another helper owns this file; main's version wins on
//! merge). Supports literal text and `{.a.b[0].c}` / `{.a[*].b}` paths only.

use serde_json::Value;

/// A parse error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPathError(pub String);

impl std::fmt::Display for JsonPathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Path(Vec<Step>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Field(String),
    Index(usize),
    All,
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    parts: Vec<Part>,
}

fn parse_path(p: &str) -> Result<Vec<Step>, JsonPathError> {
    let mut steps = Vec::new();
    let p = p.trim();
    let p = p.strip_prefix('$').unwrap_or(p);
    for seg in p.split('.').filter(|s| !s.is_empty()) {
        let (name, rest) = match seg.find('[') {
            Some(i) => seg.split_at(i),
            None => (seg, ""),
        };
        if !name.is_empty() {
            steps.push(Step::Field(name.to_string()));
        }
        let mut rest = rest;
        while let Some(r) = rest.strip_prefix('[') {
            let Some(end) = r.find(']') else {
                return Err(JsonPathError(format!("unterminated array index in {p}")));
            };
            let (idx, tail) = r.split_at(end);
            rest = tail.get(1..).unwrap_or_default();
            if idx == "*" {
                steps.push(Step::All);
            } else {
                let n = idx
                    .parse()
                    .map_err(|_| JsonPathError(format!("invalid array index {idx}")))?;
                steps.push(Step::Index(n));
            }
        }
    }
    Ok(steps)
}

impl JsonPath {
    /// Parses a template like `{.metadata.name}` or `names: {.items[*].metadata.name}`.
    pub fn parse(template: &str) -> Result<JsonPath, JsonPathError> {
        let mut parts = Vec::new();
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            let (text, tail) = rest.split_at(start);
            if !text.is_empty() {
                parts.push(Part::Text(text.to_string()));
            }
            let Some(end) = tail.find('}') else {
                return Err(JsonPathError(format!("unclosed action")));
            };
            let inner = tail.get(1..end).unwrap_or_default();
            parts.push(Part::Path(parse_path(inner)?));
            rest = tail.get(end + 1..).unwrap_or_default();
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(JsonPath { parts })
    }

    /// Runs the template over `data`.
    pub fn execute(&self, data: &Value) -> Result<String, JsonPathError> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Path(steps) => {
                    let mut cur = vec![data.clone()];
                    for s in steps {
                        let mut next = Vec::new();
                        for v in cur {
                            match s {
                                Step::Field(f) => {
                                    if let Some(x) = v.get(f) {
                                        next.push(x.clone())
                                    }
                                }
                                Step::Index(i) => {
                                    if let Some(x) = v.get(*i) {
                                        next.push(x.clone())
                                    }
                                }
                                Step::All => match v {
                                    Value::Array(a) => next.extend(a),
                                    Value::Object(m) => next.extend(m.into_iter().map(|(_, v)| v)),
                                    _ => {}
                                },
                            }
                        }
                        cur = next;
                    }
                    if cur.is_empty() && !steps.iter().any(|s| *s == Step::All) {
                        if let Some(Step::Field(f)) = steps.last() {
                            return Err(JsonPathError(format!("{f} is not found")));
                        }
                    }
                    let strs: Vec<String> = cur
                        .iter()
                        .map(|v| match v {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect();
                    out.push_str(&strs.join(" "));
                }
            }
        }
        Ok(out)
    }
}

/// kubectl's `RelaxedJSONPathExpression`: `.a.b` and `a.b` become `{.a.b}`.
pub fn relaxed(path: &str) -> String {
    let p = path.trim();
    if p.starts_with('{') {
        return p.to_string();
    }
    if p.starts_with('.') {
        format!("{{{p}}}")
    } else {
        format!("{{.{p}}}")
    }
}
