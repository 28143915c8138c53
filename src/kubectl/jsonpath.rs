//! kubectl's JSONPath template language (`-o jsonpath=...`, `--sort-by`, `custom-columns`),
//! evaluated on `serde_json::Value`.
//!
//! Mirrors client-go `util/jsonpath/parser.go` (the parser: text outside `{}`, fields with `\.`
//! escapes, `..`, `[start:end:step]`, `[a,b]` unions, `['key']`, `[?(@.x op y)]` filters, quoted
//! strings with Go escapes, numbers, `true`/`false`, `range`/`end`) and `util/jsonpath/jsonpath.go`
//! (evaluation and `PrintResults`: the results of one `{}` are joined by single spaces, strings
//! print raw, maps and slices print as compact `encoding/json`, null prints `<nil>`), plus
//! kubectl's `RelaxedJSONPathExpression` (`kubectl/pkg/cmd/get/customcolumn.go`) as [`relaxed`].
//! Parse and execute error strings are client-go's (`unclosed action`, `unrecognized character
//! in action: U+0021 '!'`, `invalid array index x`, `foo is not found`, `array index out of
//! bounds: index 0, length 0`, ...); `Display` yields only that part, and the caller adds
//! kubectl's wrapper (`error parsing jsonpath {.a, unclosed action`, `error executing jsonpath
//! "{.foo}": Error executing template: foo is not found. ...`).
//!
//! Faithful quirks kept on purpose: `['a.b']` is parsed as the path `.a.b` (client-go does this;
//! write `['a\.b']` or `.a\.b` for a key containing dots), `$` and `@` are no-ops (so inside a
//! `range` they both mean the current item), literals such as `{1}` repeat once per input.
//!
//! Simplifications:
//!
//! - Values are `serde_json::Value`; JSON integers behave as Go `int64` and other numbers as
//!   `float64` (as in kubectl's unstructured objects). Maps iterate in key order (BTreeMap), so
//!   `.*` and `..` are deterministic where Go's map order is random.
//! - `range`/`end` are matched when parsing: an empty range skips to its `end` without
//!   evaluating the body, a missing `end` closes at the end of the template, a stray `end`
//!   fails with client-go's `not in range, nothing to end` when reached. Nesting deeper than
//!   64 (ranges, or filters/unions inside each other) is rejected with `template nested too
//!   deeply`, which client-go does not have.
//! - `{.}` (an empty field name) yields the current object; client-go looks up the key `""`.
//! - In an existence filter `[?(@.x)]` any evaluation error counts as "absent".
//! - The `=~` operator and JSON output mode (`jsonpath-as-json`) are not supported.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::{Number, Value};

/// A JSONPath parse or execution error. `Display` is client-go's message only (no kubectl
/// wrapper): e.g. `unclosed action`, `foo is not found`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonPathError {
    /// The template does not parse; kubectl prints `error parsing jsonpath TEMPLATE, MESSAGE`.
    #[error("{0}")]
    Parse(String),
    /// Evaluation failed; kubectl prints `error executing jsonpath "TEMPLATE": Error executing
    /// template: MESSAGE. Printing more information for debugging the template: ...`.
    #[error("{0}")]
    Execute(String),
    /// [`relaxed`] could not turn the expression into a template.
    #[error("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{{name1.name2}}' or '{{.name1.name2}}'")]
    UnexpectedPath,
}

fn perr<T>(msg: impl Into<String>) -> Result<T, JsonPathError> {
    Err(JsonPathError::Parse(msg.into()))
}

fn xerr<T>(msg: impl Into<String>) -> Result<T, JsonPathError> {
    Err(JsonPathError::Execute(msg.into()))
}

const MAX_DEPTH: usize = 64;

/// One `[start:end:step]` parameter (`ParamsEntry` upstream).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Field(String),
    Array([Param; 3]),
    Filter {
        left: Vec<Node>,
        right: Vec<Node>,
        op: String,
    },
    Int(i64),
    Float(f64),
    Bool(bool),
    Wildcard,
    Recursive,
    Union(Vec<Vec<Node>>),
    Identifier(String),
}

/// A top-level piece of the template: literal text or one `{...}` action.
#[derive(Debug, Clone, PartialEq)]
enum Top {
    Text(String),
    List(Vec<Node>),
}

/// The executable form: `range` blocks own their body.
#[derive(Debug, Clone, PartialEq)]
enum Block {
    Text(String),
    Action(Vec<Node>),
    Range { path: Vec<Node>, body: Vec<Block> },
    StrayEnd,
}

/// A parsed JSONPath template.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    blocks: Vec<Block>,
    allow_missing_keys: bool,
}

impl JsonPath {
    /// Parses a template such as `{range .items[*]}{.metadata.name}{"\n"}{end}`. Missing keys
    /// are allowed (print nothing), as with kubectl's default `--allow-missing-template-keys`.
    pub fn parse(template: &str) -> Result<JsonPath, JsonPathError> {
        let tops = parse_template(template, 0)?;
        let blocks = build_blocks(tops)?;
        Ok(JsonPath {
            blocks,
            allow_missing_keys: true,
        })
    }

    /// Sets whether a missing field prints nothing (`true`, kubectl's default) or fails with
    /// `NAME is not found` (`--allow-missing-template-keys=false`).
    pub fn allow_missing_keys(mut self, allow: bool) -> JsonPath {
        self.allow_missing_keys = allow;
        self
    }

    /// Evaluates the template against `data` and returns the printed text.
    pub fn execute(&self, data: &Value) -> Result<String, JsonPathError> {
        let mut out = String::new();
        self.exec_blocks(&self.blocks, data, &mut out)?;
        Ok(out)
    }

    /// The first value the template's first expression finds in `data` (upstream's
    /// `FindResults(...)[0][0]`, what `--sort-by` compares): None when it finds nothing.
    pub fn find_first(&self, data: &Value) -> Result<Option<Value>, JsonPathError> {
        for b in &self.blocks {
            if let Block::Action(nodes) = b {
                let results = self.eval_list(vec![Cow::Borrowed(data)], nodes)?;
                return Ok(results.into_iter().next().map(Cow::into_owned));
            }
        }
        Ok(None)
    }

    fn exec_blocks(
        &self,
        blocks: &[Block],
        data: &Value,
        out: &mut String,
    ) -> Result<(), JsonPathError> {
        for b in blocks {
            match b {
                Block::Text(t) => out.push_str(t),
                Block::Action(nodes) => {
                    let results = self.eval_list(vec![Cow::Borrowed(data)], nodes)?;
                    print_results(&results, out);
                }
                Block::Range { path, body } => {
                    let results = self.eval_list(vec![Cow::Borrowed(data)], path)?;
                    for r in &results {
                        self.exec_blocks(body, r, out)?;
                    }
                }
                Block::StrayEnd => return xerr("not in range, nothing to end"),
            }
        }
        Ok(())
    }

    fn eval_list<'a>(
        &self,
        input: Vec<Cow<'a, Value>>,
        nodes: &[Node],
    ) -> Result<Vec<Cow<'a, Value>>, JsonPathError> {
        let mut cur = input;
        for n in nodes {
            cur = self.walk(cur, n)?;
        }
        Ok(cur)
    }

    fn walk<'a>(
        &self,
        input: Vec<Cow<'a, Value>>,
        node: &Node,
    ) -> Result<Vec<Cow<'a, Value>>, JsonPathError> {
        match node {
            Node::Text(t) => Ok(vec![Cow::Owned(Value::String(t.clone()))]),
            Node::Int(i) => Ok(input.iter().map(|_| Cow::Owned(Value::from(*i))).collect()),
            Node::Float(f) => Ok(input
                .iter()
                .map(|_| Cow::Owned(Number::from_f64(*f).map_or(Value::Null, Value::Number)))
                .collect()),
            Node::Bool(b) => Ok(input.iter().map(|_| Cow::Owned(Value::Bool(*b))).collect()),
            Node::Identifier(name) => match name.as_str() {
                "range" => Ok(input),
                "end" => Ok(Vec::new()),
                _ => xerr(format!("unrecognized identifier {name}")),
            },
            Node::Field(name) => self.eval_field(input, name),
            Node::Array(params) => eval_array(input, params),
            Node::Filter { left, right, op } => self.eval_filter(input, left, right, op),
            Node::Wildcard => {
                let mut out = Vec::new();
                for v in &input {
                    out.extend(children(v));
                }
                Ok(out)
            }
            Node::Recursive => Ok(eval_recursive(input)),
            Node::Union(lists) => {
                let mut out = Vec::new();
                for l in lists {
                    out.extend(self.eval_list(input.clone(), l)?);
                }
                Ok(out)
            }
        }
    }

    fn eval_field<'a>(
        &self,
        input: Vec<Cow<'a, Value>>,
        name: &str,
    ) -> Result<Vec<Cow<'a, Value>>, JsonPathError> {
        if input.is_empty() || name.is_empty() {
            return Ok(input);
        }
        let mut out = Vec::new();
        for v in input {
            match v {
                Cow::Borrowed(Value::Object(m)) => {
                    if let Some(x) = m.get(name) {
                        out.push(Cow::Borrowed(x));
                    }
                }
                Cow::Owned(Value::Object(mut m)) => {
                    if let Some(x) = m.remove(name) {
                        out.push(Cow::Owned(x));
                    }
                }
                _ => {}
            }
        }
        if out.is_empty() && !self.allow_missing_keys {
            return xerr(format!("{name} is not found"));
        }
        Ok(out)
    }

    fn eval_filter<'a>(
        &self,
        input: Vec<Cow<'a, Value>>,
        left: &[Node],
        right: &[Node],
        op: &str,
    ) -> Result<Vec<Cow<'a, Value>>, JsonPathError> {
        let mut out = Vec::new();
        for v in input {
            let items: Vec<Cow<'a, Value>> = match v {
                Cow::Borrowed(Value::Array(a)) => a.iter().map(Cow::Borrowed).collect(),
                Cow::Owned(Value::Array(a)) => a.into_iter().map(Cow::Owned).collect(),
                other => {
                    return xerr(format!(
                        "{} is not array or slice and cannot be filtered",
                        go_v(&other)
                    ))
                }
            };
            for item in items {
                let lefts = self.eval_list(vec![item.clone()], left);
                if op == "exists" {
                    if lefts.is_ok_and(|l| !l.is_empty()) {
                        out.push(item);
                    }
                    continue;
                }
                let lefts = lefts?;
                let l = match lefts.as_slice() {
                    [] => continue,
                    [one] => one.clone(),
                    _ => return xerr("can only compare one element at a time"),
                };
                let rights = self.eval_list(vec![item.clone()], right)?;
                let r = match rights.as_slice() {
                    [] => continue,
                    [one] => one.clone(),
                    _ => return xerr("can only compare one element at a time"),
                };
                let pass = match op {
                    "<" => less(&l, &r)?,
                    ">" => !(less(&l, &r)? || equal(&l, &r)?),
                    "==" => equal(&l, &r)?,
                    "!=" => !equal(&l, &r)?,
                    "<=" => less(&l, &r)? || equal(&l, &r)?,
                    ">=" => !less(&l, &r)?,
                    _ => return xerr(format!("unrecognized filter operator {op}")),
                };
                if pass {
                    out.push(item);
                }
            }
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation helpers

/// Children for `.*` / `..`: map values in key order, array elements, string bytes (as Go's
/// `reflect.Value.Index` on a string gives bytes).
fn children<'a>(v: &Cow<'a, Value>) -> Vec<Cow<'a, Value>> {
    match v {
        Cow::Borrowed(Value::Object(m)) => m.values().map(Cow::Borrowed).collect(),
        Cow::Borrowed(Value::Array(a)) => a.iter().map(Cow::Borrowed).collect(),
        Cow::Owned(Value::Object(m)) => m.values().cloned().map(Cow::Owned).collect(),
        Cow::Owned(Value::Array(a)) => a.iter().cloned().map(Cow::Owned).collect(),
        Cow::Borrowed(Value::String(s)) | Cow::Owned(Value::String(s)) => {
            s.bytes().map(|b| Cow::Owned(Value::from(b))).collect()
        }
        _ => Vec::new(),
    }
}

/// `..`: every value that has children, in pre-order (client-go `evalRecursive`).
fn eval_recursive(input: Vec<Cow<'_, Value>>) -> Vec<Cow<'_, Value>> {
    let mut out = Vec::new();
    let mut stack: Vec<Cow<'_, Value>> = input.into_iter().rev().collect();
    while let Some(v) = stack.pop() {
        let kids = children(&v);
        if !kids.is_empty() {
            out.push(v);
            stack.extend(kids.into_iter().rev());
        }
    }
    out
}

fn go_type_name(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "map[string]interface {}",
        Value::Array(_) => "[]interface {}",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::Null => "<nil>",
    }
}

fn eval_array<'a>(
    input: Vec<Cow<'a, Value>>,
    params: &[Param; 3],
) -> Result<Vec<Cow<'a, Value>>, JsonPathError> {
    let mut out = Vec::new();
    let [p0, p1, p2] = params;
    for v in input {
        let items: Vec<Cow<'a, Value>> = match v {
            Cow::Borrowed(Value::Null) | Cow::Owned(Value::Null) => continue,
            Cow::Borrowed(Value::Array(a)) => a.iter().map(Cow::Borrowed).collect(),
            Cow::Owned(Value::Array(a)) => a.into_iter().map(Cow::Owned).collect(),
            other => return xerr(format!("{} is not array or slice", go_type_name(&other))),
        };
        let len = items.len() as i128;
        let mut start = if p0.known { i128::from(p0.value) } else { 0 };
        if start < 0 {
            start += len;
        }
        let mut end = if p1.known { i128::from(p1.value) } else { len };
        if end < 0 || (end == 0 && p1.derived) {
            end += len;
        }
        if start == end {
            return Ok(out);
        }
        if start >= len || start < 0 {
            return xerr(format!(
                "array index out of bounds: index {start}, length {len}"
            ));
        }
        if end > len || end < 0 {
            return xerr(format!(
                "array index out of bounds: index {}, length {len}",
                end - 1
            ));
        }
        if start > end {
            return xerr(format!(
                "starting index {start} is greater than ending index {end}"
            ));
        }
        let step = if p2.known {
            if p2.value <= 0 {
                return xerr("step must be > 0");
            }
            usize::try_from(p2.value).unwrap_or(usize::MAX)
        } else {
            1
        };
        let (s, e) = (
            usize::try_from(start).unwrap_or(0),
            usize::try_from(end).unwrap_or(0),
        );
        out.extend(items.into_iter().take(e).skip(s).step_by(step));
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Int,
    Float,
    Str,
}

fn basic_kind(v: &Value) -> Result<Kind, JsonPathError> {
    match v {
        Value::Bool(_) => Ok(Kind::Bool),
        Value::Number(n) if n.is_f64() => Ok(Kind::Float),
        Value::Number(_) => Ok(Kind::Int),
        Value::String(_) => Ok(Kind::Str),
        _ => xerr("invalid type for comparison"),
    }
}

fn int_of(v: &Value) -> i128 {
    v.as_i64()
        .map(i128::from)
        .or_else(|| v.as_u64().map(i128::from))
        .unwrap_or(0)
}

/// Go template `eq` for two basic values.
fn equal(a: &Value, b: &Value) -> Result<bool, JsonPathError> {
    let (ka, kb) = (basic_kind(a)?, basic_kind(b)?);
    if ka != kb {
        return xerr("incompatible types for comparison");
    }
    Ok(match ka {
        Kind::Bool => a.as_bool() == b.as_bool(),
        Kind::Int => int_of(a) == int_of(b),
        Kind::Float => a.as_f64() == b.as_f64(),
        Kind::Str => a.as_str() == b.as_str(),
    })
}

/// Go template `lt` for two basic values.
fn less(a: &Value, b: &Value) -> Result<bool, JsonPathError> {
    let (ka, kb) = (basic_kind(a)?, basic_kind(b)?);
    if ka != kb {
        return xerr("incompatible types for comparison");
    }
    match ka {
        Kind::Bool => xerr("invalid type for comparison"),
        Kind::Int => Ok(int_of(a) < int_of(b)),
        Kind::Float => Ok(a.as_f64().unwrap_or(0.0) < b.as_f64().unwrap_or(0.0)),
        Kind::Str => Ok(a.as_str() < b.as_str()),
    }
}

// ---------------------------------------------------------------------------------------------
// Printing (PrintResults, encoding/json, fmt %v)

fn print_results(results: &[Cow<'_, Value>], out: &mut String) {
    for (i, r) in results.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match r.as_ref() {
            v @ (Value::Object(_) | Value::Array(_)) => go_json(v, out),
            Value::String(s) => out.push_str(s),
            Value::Null => out.push_str("<nil>"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(&go_number(n, false)),
        }
    }
}

/// `encoding/json.Marshal` (compact, HTML-escaped, sorted keys).
fn go_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&go_number(n, true)),
        Value::String(s) => go_json_string(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json_string(k, out);
                out.push(':');
                go_json(x, out);
            }
            out.push('}');
        }
    }
}

fn go_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A number as Go prints it: integers plainly; floats as `encoding/json` (`json == true`) or
/// `fmt` `%v` (shortest digits; exponent form outside 1e-6..1e21 resp. 1e-4..1e6).
fn go_number(n: &Number, json: bool) -> String {
    if !n.is_f64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let sci = format!("{f:e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let use_exp = if json {
        !(1e-6..1e21).contains(&f.abs())
    } else {
        // strconv 'g' with shortest precision decides with precision 6.
        !(-4..6).contains(&exp)
    };
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    if use_exp {
        let mut ch = digits.chars();
        if let Some(first) = ch.next() {
            s.push(first);
        }
        let rest: String = ch.collect();
        if !rest.is_empty() {
            s.push('.');
            s.push_str(&rest);
        }
        let sign = if exp < 0 { '-' } else { '+' };
        let a = exp.unsigned_abs();
        if json && exp < 0 && a < 10 {
            let _ = write!(s, "e{sign}{a}");
        } else {
            let _ = write!(s, "e{sign}{a:02}");
        }
    } else {
        let nd = digits.len() as i64;
        if exp >= nd - 1 {
            s.push_str(&digits);
            for _ in 0..(exp - (nd - 1)) {
                s.push('0');
            }
        } else if exp >= 0 {
            let cut = usize::try_from(exp + 1).unwrap_or(0);
            s.push_str(digits.get(..cut).unwrap_or(""));
            s.push('.');
            s.push_str(digits.get(cut..).unwrap_or(""));
        } else {
            s.push_str("0.");
            for _ in 0..(-exp - 1) {
                s.push('0');
            }
            s.push_str(&digits);
        }
    }
    s
}

/// Go's `%v` for a value (used in the filter error message).
fn go_v(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => go_number(n, false),
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_v).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => format!(
            "map[{}]",
            m.iter()
                .map(|(k, x)| format!("{k}:{}", go_v(x)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Parser (parser.go)

fn build_blocks(tops: Vec<Top>) -> Result<Vec<Block>, JsonPathError> {
    // Stack of open ranges: (path, body so far).
    let mut stack: Vec<(Vec<Node>, Vec<Block>)> = Vec::new();
    let mut root: Vec<Block> = Vec::new();
    for t in tops {
        let block = match t {
            Top::Text(s) => Block::Text(s),
            Top::List(nodes) => {
                let first_ident = nodes.iter().find_map(|n| match n {
                    Node::Identifier(s) if s == "range" || s == "end" => Some(s.as_str()),
                    _ => None,
                });
                match first_ident {
                    Some("range") => {
                        if stack.len() >= MAX_DEPTH {
                            return perr("template nested too deeply");
                        }
                        stack.push((nodes, Vec::new()));
                        continue;
                    }
                    Some(_) => match stack.pop() {
                        Some((path, body)) => Block::Range { path, body },
                        None => Block::StrayEnd,
                    },
                    None => Block::Action(nodes),
                }
            }
        };
        match stack.last_mut() {
            Some((_, body)) => body.push(block),
            None => root.push(block),
        }
    }
    // Unclosed ranges run to the end of the template.
    while let Some((path, body)) = stack.pop() {
        let block = Block::Range { path, body };
        match stack.last_mut() {
            Some((_, outer)) => outer.push(block),
            None => root.push(block),
        }
    }
    Ok(root)
}

struct Parser<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    width: usize,
    depth: usize,
}

fn parse_template(text: &str, depth: usize) -> Result<Vec<Top>, JsonPathError> {
    if depth > MAX_DEPTH {
        return perr("template nested too deeply");
    }
    let mut p = Parser {
        input: text,
        pos: 0,
        start: 0,
        width: 0,
        depth,
    };
    p.parse_text()
}

/// `parseAction`: parse `{text}` and return the nodes of its action.
fn parse_action(text: &str, depth: usize) -> Result<Vec<Node>, JsonPathError> {
    let tops = parse_template(&format!("{{{text}}}"), depth + 1)?;
    Ok(tops
        .into_iter()
        .find_map(|t| match t {
            Top::List(l) => Some(l),
            Top::Text(_) => None,
        })
        .unwrap_or_default())
}

fn is_terminator(r: Option<char>) -> bool {
    match r {
        None => true,
        Some(c) => matches!(
            c,
            ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'
        ),
    }
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

/// `%#U` of a rune: `U+0021 '!'`.
fn go_rune_u(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        self.input.get(self.pos..).unwrap_or("")
    }

    fn next(&mut self) -> Option<char> {
        match self.rest().chars().next() {
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                Some(c)
            }
            None => {
                self.width = 0;
                None
            }
        }
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn backup(&mut self) {
        self.pos -= self.width.min(self.pos);
    }

    fn consume_text(&mut self) -> String {
        let s = self
            .input
            .get(self.start..self.pos)
            .unwrap_or("")
            .to_string();
        self.start = self.pos;
        s
    }

    fn byte_at(&self, idx: usize) -> Option<u8> {
        self.input.as_bytes().get(idx).copied()
    }

    fn parse_text(&mut self) -> Result<Vec<Top>, JsonPathError> {
        let mut tops = Vec::new();
        loop {
            if self.rest().starts_with('{') {
                if self.pos > self.start {
                    tops.push(Top::Text(self.consume_text()));
                }
                self.pos += 1;
                self.consume_text();
                let mut list = Vec::new();
                self.parse_inside_action(&mut list)?;
                tops.push(Top::List(list));
                continue;
            }
            if self.next().is_none() {
                break;
            }
        }
        if self.pos > self.start {
            tops.push(Top::Text(self.consume_text()));
        }
        Ok(tops)
    }

    fn parse_inside_action(&mut self, cur: &mut Vec<Node>) -> Result<(), JsonPathError> {
        loop {
            let rest = self.rest();
            if rest.starts_with('}') {
                self.pos += 1;
                self.consume_text();
                return Ok(());
            }
            if rest.starts_with("[?(") {
                self.parse_filter(cur)?;
                continue;
            }
            if rest.starts_with("..") {
                self.parse_recursive(cur)?;
                continue;
            }
            match self.next() {
                None | Some('\r' | '\n') => return perr("unclosed action"),
                Some(' ' | '@' | '$') => {
                    self.consume_text();
                }
                Some('[') => self.parse_array(cur)?,
                Some(q @ ('"' | '\'')) => self.parse_quote(cur, q)?,
                Some('.') => self.parse_field(cur),
                Some(c) if c == '+' || c == '-' || c.is_numeric() => {
                    self.backup();
                    self.parse_number(cur)?;
                }
                Some(c) if is_alphanumeric(c) => {
                    self.backup();
                    self.parse_identifier(cur);
                }
                Some(c) => {
                    return perr(format!(
                        "unrecognized character in action: {}",
                        go_rune_u(c)
                    ))
                }
            }
        }
    }

    fn parse_identifier(&mut self, cur: &mut Vec<Node>) {
        loop {
            let r = self.next();
            if is_terminator(r) {
                if r.is_some() {
                    self.backup();
                }
                break;
            }
        }
        let value = self.consume_text();
        match value.as_str() {
            "true" => cur.push(Node::Bool(true)),
            "false" => cur.push(Node::Bool(false)),
            _ => cur.push(Node::Identifier(value)),
        }
    }

    fn parse_recursive(&mut self, cur: &mut Vec<Node>) -> Result<(), JsonPathError> {
        if matches!(cur.last(), Some(Node::Recursive)) {
            return perr("invalid multiple recursive descent");
        }
        self.pos += 2;
        self.consume_text();
        cur.push(Node::Recursive);
        if self.peek().is_some_and(is_alphanumeric) {
            self.parse_field(cur);
        }
        Ok(())
    }

    fn parse_number(&mut self, cur: &mut Vec<Node>) -> Result<(), JsonPathError> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.next();
        }
        loop {
            match self.next() {
                Some(c) if c == '.' || c.is_numeric() => {}
                Some(_) => {
                    self.backup();
                    break;
                }
                None => break,
            }
        }
        let value = self.consume_text();
        if let Ok(i) = value.parse::<i64>() {
            cur.push(Node::Int(i));
            return Ok(());
        }
        match value.parse::<f64>() {
            Ok(f) if !value.is_empty() => {
                cur.push(Node::Float(f));
                Ok(())
            }
            _ => perr(format!("cannot parse number {value}")),
        }
    }

    fn parse_array(&mut self, cur: &mut Vec<Node>) -> Result<(), JsonPathError> {
        loop {
            match self.next() {
                None | Some('\n') => return perr("unterminated array"),
                Some(']') => break,
                Some(_) => {}
            }
        }
        let raw = self.consume_text();
        let mut text = raw
            .get(1..raw.len().saturating_sub(1))
            .unwrap_or("")
            .to_string();
        if text == "*" {
            text = ":".to_string();
        }
        // union operator
        let strs: Vec<&str> = text.split(',').collect();
        if strs.len() > 1 {
            let mut union = Vec::new();
            for s in strs {
                union.push(parse_action(
                    &format!("[{}]", s.trim_matches(' ')),
                    self.depth,
                )?);
            }
            cur.push(Node::Union(union));
            return Ok(());
        }
        // dict key
        if let Some(inner) = text
            .strip_prefix('\'')
            .and_then(|t| t.strip_suffix('\''))
            .filter(|inner| text.len() >= 2 && !inner.contains('\''))
        {
            cur.extend(parse_action(&format!(".{inner}"), self.depth)?);
            return Ok(());
        }
        // slice operator: ^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$
        let parts: Vec<&str> = text.split(':').collect();
        let part_ok = |s: &str| {
            let d = s.strip_prefix('-').unwrap_or(s);
            d.bytes().all(|b| b.is_ascii_digit())
        };
        if parts.len() > 3 || !parts.iter().all(|p| part_ok(p)) {
            return perr(format!("invalid array index {text}"));
        }
        let atoi = |s: &str| {
            s.parse::<i64>()
                .map_err(|_| JsonPathError::Parse(format!("array index {s} is not a number")))
        };
        let mut params = [Param::default(); 3];
        for (param, s) in params.iter_mut().zip(&parts) {
            if !s.is_empty() {
                *param = Param {
                    value: atoi(s)?,
                    known: true,
                    derived: false,
                };
            }
        }
        if parts.len() < 2 {
            let first = params.first().map_or(0, |p| p.value);
            if let Some(p1) = params.get_mut(1) {
                *p1 = Param {
                    value: first.wrapping_add(1),
                    known: true,
                    derived: true,
                };
            }
        }
        cur.push(Node::Array(params));
        Ok(())
    }

    fn parse_filter(&mut self, cur: &mut Vec<Node>) -> Result<(), JsonPathError> {
        self.pos += 3;
        self.consume_text();
        let mut begin = false;
        let mut end = false;
        let mut pair = '\0';
        loop {
            match self.next() {
                None | Some('\n') => return perr("unterminated filter"),
                Some(r @ ('"' | '\'')) => {
                    if !begin {
                        begin = true;
                        pair = r;
                        continue;
                    }
                    if self.byte_at(self.pos.wrapping_sub(2)) != Some(b'\\') && r == pair {
                        end = true;
                    }
                }
                Some(')') => {
                    if begin == end {
                        break;
                    }
                }
                Some(_) => {}
            }
        }
        if self.next() != Some(']') {
            return perr("unclosed array expect ]");
        }
        let raw = self.consume_text();
        let text = raw.get(..raw.len().saturating_sub(2)).unwrap_or("");
        match split_filter(text) {
            None => {
                let left = parse_action(text, self.depth)?;
                cur.push(Node::Filter {
                    left,
                    right: Vec::new(),
                    op: "exists".to_string(),
                });
            }
            Some((l, op, r)) => {
                let left = parse_action(l, self.depth)?;
                let right = parse_action(r, self.depth)?;
                cur.push(Node::Filter {
                    left,
                    right,
                    op: op.to_string(),
                });
            }
        }
        Ok(())
    }

    fn parse_quote(&mut self, cur: &mut Vec<Node>, end: char) -> Result<(), JsonPathError> {
        loop {
            match self.next() {
                None | Some('\n') => return perr("unterminated quoted string"),
                Some(c) if c == end => {
                    if self.byte_at(self.pos.wrapping_sub(2)) != Some(b'\\') {
                        break;
                    }
                }
                Some(_) => {}
            }
        }
        let value = self.consume_text();
        match unquote_extend(&value) {
            Ok(s) => {
                cur.push(Node::Text(s));
                Ok(())
            }
            Err(e) => perr(format!("unquote string {value} error {e}")),
        }
    }

    fn parse_field(&mut self, cur: &mut Vec<Node>) {
        self.consume_text();
        loop {
            let r = self.next();
            if r == Some('\\') {
                self.next();
            } else if is_terminator(r) {
                if r.is_some() {
                    self.backup();
                }
                break;
            }
        }
        let value = self.consume_text();
        if value == "*" {
            cur.push(Node::Wildcard);
        } else {
            cur.push(Node::Field(value.replace('\\', "")));
        }
    }
}

/// `^([^!<>=]+)([!<>=]+)(.+?)$` with RE2 leftmost-first semantics.
fn split_filter(text: &str) -> Option<(&str, &str, &str)> {
    let is_op = |c: char| matches!(c, '!' | '<' | '>' | '=');
    if text.contains('\n') {
        return None;
    }
    let op_start = text.find(is_op)?;
    if op_start == 0 {
        return None;
    }
    let after = text.get(op_start..)?;
    let op_len = after.find(|c: char| !is_op(c)).unwrap_or(after.len());
    let (mut op, mut right) = (after.get(..op_len)?, after.get(op_len..)?);
    if right.is_empty() {
        // Backtrack: give the last operator character to the right-hand side.
        if op_len < 2 {
            return None;
        }
        op = after.get(..op_len - 1)?;
        right = after.get(op_len - 1..)?;
    }
    Some((text.get(..op_start)?, op, right))
}

/// client-go `UnquoteExtend`: `strconv.Unquote` that also accepts single quotes.
fn unquote_extend(s: &str) -> Result<String, &'static str> {
    const SYNTAX: &str = "invalid syntax";
    let quote = s.chars().next().ok_or(SYNTAX)?;
    if s.len() < 2 || !s.ends_with(quote) || (quote != '"' && quote != '\'') {
        return Err(SYNTAX);
    }
    let inner = s.get(1..s.len() - 1).ok_or(SYNTAX)?;
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == quote {
            return Err(SYNTAX);
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = chars.next().ok_or(SYNTAX)?;
        match e {
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '\'' | '"' => {
                if e != quote {
                    return Err(SYNTAX);
                }
                out.push(e);
            }
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut v: u32 = 0;
                for _ in 0..n {
                    let d = chars.next().and_then(|c| c.to_digit(16)).ok_or(SYNTAX)?;
                    v = v * 16 + d;
                }
                if e == 'x' {
                    // A single byte: only ASCII keeps the string valid UTF-8 here.
                    out.push(char::from_u32(v).filter(|_| v < 0x80).unwrap_or('\u{fffd}'));
                } else {
                    out.push(char::from_u32(v).ok_or(SYNTAX)?);
                }
            }
            '0'..='7' => {
                let mut v = e.to_digit(8).ok_or(SYNTAX)?;
                for _ in 0..2 {
                    let d = chars.next().and_then(|c| c.to_digit(8)).ok_or(SYNTAX)?;
                    v = v * 8 + d;
                }
                if v > 255 {
                    return Err(SYNTAX);
                }
                out.push(char::from_u32(v).filter(|_| v < 0x80).unwrap_or('\u{fffd}'));
            }
            _ => return Err(SYNTAX),
        }
    }
    Ok(out)
}

/// kubectl's `RelaxedJSONPathExpression`: accepts `name1.name2`, `.name1.name2`,
/// `{name1.name2}` or `{.name1.name2}` and returns the template `{.name1.name2}`; the empty
/// string stays empty. Used by `--sort-by` and `custom-columns`.
pub fn relaxed(expr: &str) -> Result<String, JsonPathError> {
    if expr.is_empty() {
        return Ok(String::new());
    }
    // ^\{\.?([^{}]+)\}$|^\.?([^{}]+)$
    let no_braces = |s: &str| !s.is_empty() && !s.contains(['{', '}']);
    let pick = |inner: &str| -> Option<String> {
        if !no_braces(inner) {
            return None;
        }
        match inner.strip_prefix('.') {
            Some(rest) if !rest.is_empty() => Some(rest.to_string()),
            _ => Some(inner.to_string()),
        }
    };
    let spec = match expr.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        Some(inner) => pick(inner),
        None => pick(expr),
    };
    spec.map(|s| format!("{{.{s}}}"))
        .ok_or(JsonPathError::UnexpectedPath)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `kubectl get pods -o json`-shaped list.
    const PODS: &str = r#"{"kind":"List","apiVersion":"v1","items":[
        {"metadata":{"name":"a","labels":{"app.kubernetes.io/name":"web","app":"x"}},
         "spec":{"nodeName":"n1","containers":[{"name":"c1","image":"nginx"}]},
         "status":{"phase":"Running","conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"False"}]}},
        {"metadata":{"name":"b"},"spec":{"nodeName":"n2"},"status":{"phase":"Pending"}}]}"#;

    /// client-go's `TestKubernetes` input.
    const NODES: &str = r#"{"kind":"List","items":[
        {"kind":"None","metadata":{"name":"127.0.0.1","labels":{"kubernetes.io/hostname":"127.0.0.1"}},
         "status":{"capacity":{"cpu":"4"},"ready":true,"addresses":[{"type":"LegacyHostIP","address":"127.0.0.1"}]}},
        {"kind":"None","metadata":{"name":"127.0.0.2","labels":{"kubernetes.io/hostname":"127.0.0.2"}},
         "status":{"capacity":{"cpu":"8"},"ready":false,"addresses":[{"type":"LegacyHostIP","address":"127.0.0.2"},{"type":"another","address":"127.0.0.3"}]}}],
        "users":[{"name":"myself","user":{}},{"name":"e2e","user":{"username":"admin","password":"secret"}}]}"#;

    const NUMS: &str =
        r#"{"n":[1,2,3],"f":1e21,"g":1000000.5,"h":0.5,"b":true,"s":"<x>&","z":null,"m":{}}"#;

    enum Mode {
        /// Parse and execute on this JSON with missing keys allowed (kubectl's default).
        Run(&'static str),
        /// Same, with `--allow-missing-template-keys=false`.
        Strict(&'static str),
        /// `relaxed(template)`.
        Relaxed,
    }

    struct Case {
        template: &'static str,
        mode: Mode,
        /// The output, or `error: ` + the error's `Display`.
        want: &'static str,
    }

    fn check(cases: &[Case]) {
        for c in cases {
            let got = match c.mode {
                Mode::Relaxed => relaxed(c.template),
                Mode::Run(doc) | Mode::Strict(doc) => {
                    let data: Value = serde_json::from_str(doc).unwrap();
                    let strict = matches!(c.mode, Mode::Strict(_));
                    JsonPath::parse(c.template)
                        .and_then(|j| j.allow_missing_keys(!strict).execute(&data))
                }
            };
            let got = got.unwrap_or_else(|e| format!("error: {e}"));
            assert_eq!(got, c.want, "template {:?}", c.template);
        }
    }

    fn run(template: &'static str, doc: &'static str, want: &'static str) -> Case {
        Case {
            template,
            mode: Mode::Run(doc),
            want,
        }
    }

    #[test]
    fn kubectl_cheat_sheet() {
        check(&[
            run("{.items[*].metadata.name}", PODS, "a b"),
            run(
                r#"{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}"#,
                PODS,
                "a\tRunning\nb\tPending\n",
            ),
            run(
                r#"{.items[?(@.metadata.name=="b")].spec.nodeName}"#,
                PODS,
                "n2",
            ),
            run(
                r#"{.items[0].status.conditions[?(@.type=="Ready")].status}"#,
                PODS,
                "False",
            ),
            run(
                r#"{.items[*].status.conditions[?(@.type=="Ready")].status}"#,
                PODS,
                "False",
            ),
            run(
                r#"{.items[?(@.status.phase!="Running")].metadata.name}"#,
                PODS,
                "b",
            ),
            run("{.items[?(@.spec.containers)].metadata.name}", PODS, "a"),
            run("{.items[*].spec.containers[*].image}", PODS, "nginx"),
            run("{.kind}", PODS, "List"),
            run("{$.kind} {@.kind}", PODS, "List List"),
            run("kind is {.kind}", PODS, "kind is List"),
            run(
                "{.items[0].metadata.name} {.items[1].metadata.name}",
                PODS,
                "a b",
            ),
            run("{.items[-1].metadata.name}", PODS, "b"),
            run("{.items[0:2].metadata.name}", PODS, "a b"),
            run("{.items[-1:].metadata.name}", PODS, "b"),
            run("{..name}", PODS, "a c1 b"),
            run("{...name}", PODS, "a c1 b"),
            run(
                "{.items[0].metadata.labels}",
                PODS,
                r#"{"app":"x","app.kubernetes.io/name":"web"}"#,
            ),
            run(
                "{.items[*]['metadata.name', 'status.phase']}",
                PODS,
                "a b Running Pending",
            ),
            run(
                "{range .items[*]}[{.metadata.name}, {.status.phase}] {end}",
                PODS,
                "[a, Running] [b, Pending] ",
            ),
            run(
                "{range .items[*]}{.metadata.name}:{range .spec.containers[*]}{.name},{end};{end}",
                PODS,
                "a:c1,;b:;",
            ),
            run(
                "{range .items[*]}{@.metadata.name}{$.metadata.name}{end}",
                PODS,
                "aabb",
            ),
            run(r#"{range .missing[*]}{.x}{"\n"}{end}done"#, PODS, "done"),
        ]);
    }

    #[test]
    fn labels_with_dots_and_missing_keys() {
        check(&[
            run(
                r"{.items[0].metadata.labels.app\.kubernetes\.io/name}",
                PODS,
                "web",
            ),
            run(
                r"{.items[0].metadata.labels['app\.kubernetes\.io/name']}",
                PODS,
                "web",
            ),
            run("{.items[0].metadata.labels['app']}", PODS, "x"),
            // client-go splits a bracketed key on dots: this looks up .app.kubernetes.io/name.
            run(
                "{.items[0].metadata.labels['app.kubernetes.io/name']}",
                PODS,
                "",
            ),
            run("{.foo}", PODS, ""),
            run("before-{.hello}after", PODS, "before-after"),
            run("{.items[*].metadata.labels.app}", PODS, "x"),
            Case {
                template: "{.foo}",
                mode: Mode::Strict(PODS),
                want: "error: foo is not found",
            },
            Case {
                template: "{.items[*].metadata.labels.app}",
                mode: Mode::Strict(PODS),
                want: "x",
            },
            Case {
                template: "{.items[1].metadata.labels}",
                mode: Mode::Strict(PODS),
                want: "error: labels is not found",
            },
            Case {
                template: r#"{.items[?(@.metadata.labels.app=="x")].metadata.name}"#,
                mode: Mode::Strict(PODS),
                want: "error: labels is not found",
            },
            run(
                r#"{.items[?(@.metadata.labels.app=="x")].metadata.name}"#,
                PODS,
                "a",
            ),
            run(
                r#"{.items[?(.status.phase=="Running")].metadata.name}"#,
                PODS,
                "a",
            ),
        ]);
    }

    #[test]
    fn client_go_kubernetes_cases() {
        check(&[
            run(
                "{range .items[*]}{.metadata.name}, {end}{.kind}",
                NODES,
                "127.0.0.1, 127.0.0.2, List",
            ),
            run(
                r#"{range .items[*]}{.metadata.name}{"\t"}{end}"#,
                NODES,
                "127.0.0.1\t127.0.0.2\t",
            ),
            run(
                "{.items[*].status.addresses[*].address}",
                NODES,
                "127.0.0.1 127.0.0.2 127.0.0.3",
            ),
            run(
                "{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}",
                NODES,
                "127.0.0.1, 127.0.0.2, 127.0.0.3, ",
            ),
            run(
                "{.items[*]['metadata.name', 'status.capacity']}",
                NODES,
                r#"127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}"#,
            ),
            run(
                r#"{.users[?(@.name=="e2e")].user.password}"#,
                NODES,
                "secret",
            ),
            run(
                r"{.items[0].metadata.labels.kubernetes\.io/hostname}",
                NODES,
                "127.0.0.1",
            ),
            run(
                r#"{.items[?(@.metadata.labels.kubernetes\.io/hostname=="127.0.0.1")].kind}"#,
                NODES,
                "None",
            ),
            run(
                "{.items[?(@..ready==true)].metadata.name}",
                NODES,
                "127.0.0.1",
            ),
            run("{..name}", NODES, "127.0.0.1 127.0.0.2 myself e2e"),
            run(
                "{[?(@.z)].id}",
                r#"[{"id":"i1"},{"id":"i2","z":1},{"id":"i5","z":1}]"#,
                "i2 i5",
            ),
            run("{[0]['id']}", r#"[{"id":"i1"}]"#, "i1"),
            run("{..}", "[1,2,3]", "[1,2,3]"),
            run("{[?(@<5)]}", "[2,6,3,7]", "2 3"),
            run(r#"{"{"}"#, "null", "{"),
            run("{[1,3,4]}", "[0,1,2,3,4]", "1 3 4"),
            run("hello jsonpath", "null", "hello jsonpath"),
        ]);
    }

    #[test]
    fn values_indexes_and_literals() {
        check(&[
            run("{.n}", NUMS, "[1,2,3]"),
            run("{.n[1]}", NUMS, "2"),
            run("{.n[*]}", NUMS, "1 2 3"),
            run("{.n[1,2]}", NUMS, "2 3"),
            run("{.n[::2]}", NUMS, "1 3"),
            run("{.n[3:3]}", NUMS, ""),
            run("{.n[0:-1]}", NUMS, "1 2"),
            run("{.n[?(@<3)]}", NUMS, "1 2"),
            run("{.n[?(@>=2)]}", NUMS, "2 3"),
            run("{.n[?(@<=2)]}", NUMS, "1 2"),
            run("{.n[?(@>2)]}", NUMS, "3"),
            run("{.n[?(@!=2)]}", NUMS, "1 3"),
            run("{.f} {.g} {.h}", NUMS, "1e+21 1.0000005e+06 0.5"),
            run("{.b}", NUMS, "true"),
            run("{.s}", NUMS, "<x>&"),
            run("{.z}", NUMS, "<nil>"),
            run("{.z.y}", NUMS, ""),
            run("{.m}", NUMS, "{}"),
            run(
                "{@}",
                NUMS,
                r#"{"b":true,"f":1e+21,"g":1000000.5,"h":0.5,"m":{},"n":[1,2,3],"s":"\u003cx\u003e\u0026","z":null}"#,
            ),
            run("{.}", r#"{"a":1}"#, r#"{"a":1}"#),
            run("{$}", r#"{"a":1}"#, r#"{"a":1}"#),
            run("{}", r#"{"a":1}"#, r#"{"a":1}"#),
            run("{.*}", r#"{"b":2,"a":1}"#, "1 2"),
            run(
                r#"{"a\"b"}{'single'}{1}{true}{"\u00e9"}{1.5}"#,
                r#"{}"#,
                "a\"bsingle1trueé1.5",
            ),
            run(r#"{"x"} {"y"}"#, "{}", "x y"),
            run(r#"{.s}{"\n"}"#, r#"{"s":"line"}"#, "line\n"),
            run(
                "{.a[?(@.v=='q')].k}",
                r#"{"a":[{"v":"q","k":1},{"v":"r","k":2}]}"#,
                "1",
            ),
            run(
                r#"{.a[?(@.v=="x)")].k}"#,
                r#"{"a":[{"v":"x)","k":1}]}"#,
                "1",
            ),
        ]);
    }

    #[test]
    fn execution_errors() {
        check(&[
            run("{.items[5].metadata.name}", PODS, "error: array index out of bounds: index 5, length 2"),
            run("{.items[0].metadata.name}", r#"{"items":[]}"#, "error: array index out of bounds: index 0, length 0"),
            run("{.n[-4]}", NUMS, "error: array index out of bounds: index -1, length 3"),
            run("{.n[0:4]}", NUMS, "error: array index out of bounds: index 3, length 3"),
            run("{.n[2:1]}", NUMS, "error: starting index 2 is greater than ending index 1"),
            run("{.n[0:3:0]}", NUMS, "error: step must be > 0"),
            run("{.n[0:3:-1]}", NUMS, "error: step must be > 0"),
            run("{range .items[*]}{.metadata.name}{end}{end}", PODS, "error: not in range, nothing to end"),
            run("{hello}", PODS, "error: unrecognized identifier hello"),
            run("{.items[0].metadata[0]}", PODS, "error: map[string]interface {} is not array or slice"),
            run("{.items[0].metadata.name[0]}", PODS, "error: string is not array or slice"),
            run("{.items[?(@.status.phase<>1)]}", PODS, "error: unrecognized filter operator <>"),
            run("{.items[0].metadata.name[?(@.x)]}", PODS, "error: a is not array or slice and cannot be filtered"),
            run("{.items[0].metadata[?(@.x)]}", PODS, "error: map[labels:map[app:x app.kubernetes.io/name:web] name:a] is not array or slice and cannot be filtered"),
            run("{.n[?(@==\"1\")]}", NUMS, "error: incompatible types for comparison"),
            run("{.n[?(@==1.0)]}", NUMS, "error: incompatible types for comparison"),
            run("{[?(@<true)]}", "[true]", "error: invalid type for comparison"),
            run("{[?(@.a==1)]}", r#"[{"a":{}}]"#, "error: invalid type for comparison"),
            run("{[?(@.a[*]==1)]}", r#"[{"a":[1,2]}]"#, "error: can only compare one element at a time"),
        ]);
    }

    #[test]
    fn parse_errors() {
        let e = |template: &'static str, want: &'static str| run(template, "{}", want);
        check(&[
            e("{.a", "error: unclosed action"),
            e("{.a\n}", "error: unclosed action"),
            e("{!}", "error: unrecognized character in action: U+0021 '!'"),
            e("{\t}", "error: unrecognized character in action: U+0009"),
            e("{.a[x]}", "error: invalid array index x"),
            e("{.a[1:2:3:4]}", "error: invalid array index 1:2:3:4"),
            e("{.a[-]}", "error: array index - is not a number"),
            e("{.a[}", "error: unterminated array"),
            e("{.a[?(@.x==1}", "error: unterminated filter"),
            e("{.a[?(@.x==1)x}", "error: unclosed array expect ]"),
            e(r#"{"abc}"#, "error: unterminated quoted string"),
            e(
                r#"{"\q"}"#,
                r#"error: unquote string "\q" error invalid syntax"#,
            ),
            e("{....a}", "error: invalid multiple recursive descent"),
            e("{-x}", "error: cannot parse number -"),
            e("{1.2.3}", "error: cannot parse number 1.2.3"),
            e("{.a[?(@.b[x])]}", "error: invalid array index x"),
            e("{.a['b','c[']}", "error: unterminated array"),
        ]);
    }

    #[test]
    fn relaxed_expressions() {
        let r = |template: &'static str, want: &'static str| Case {
            template,
            mode: Mode::Relaxed,
            want,
        };
        check(&[
            r(".metadata.name", "{.metadata.name}"),
            r("metadata.name", "{.metadata.name}"),
            r("{.metadata.name}", "{.metadata.name}"),
            r("{metadata.name}", "{.metadata.name}"),
            r(".status.conditions[0].type", "{.status.conditions[0].type}"),
            r("", ""),
            r(".", "{..}"),
            r("{.a}{.b}", "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"),
            r("{}", "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"),
        ]);
    }

    #[test]
    fn nested_ranges_like_client_go() {
        let data = r#"{"items":[
            {"metadata":{"name":"pod1"},"spec":{"containers":[
                {"name":"foo","another":[{"name":"value1"},{"name":"value2"}]},
                {"name":"bar","another":[{"name":"value1"},{"name":"value2"}]}]}},
            {"metadata":{"name":"pod2"},"spec":{"containers":[
                {"name":"baz","another":[{"name":"value1"},{"name":"value2"}]}]}}]}"#;
        check(&[
            Case {
                template: r#"{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}"#,
                mode: Mode::Strict(data),
                want: "pod1:foo,bar,+pod2:baz,+",
            },
            Case {
                template: r##"{range .items[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}{range @.another[*]}{.name}{","}{end}{"+"}{end}{"#"}{end}"##,
                mode: Mode::Strict(data),
                want: "pod1~foo:value1,value2,+bar:value1,value2,+#pod2~baz:value1,value2,+#",
            },
            Case {
                template: r#"{range .items[*]}{.metadata.name}{"\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\n"}{end}"#,
                mode: Mode::Strict(data),
                want: "pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n",
            },
            Case {
                template: "{range .items[*]}{.metadata.name}",
                mode: Mode::Strict(data),
                want: "pod1pod2",
            },
        ]);
    }

    /// Deterministic junk templates: parsing and executing never panics or hangs.
    #[test]
    fn junk_templates_never_panic() {
        const ALPHABET: &[&str] = &[
            "{",
            "}",
            "[",
            "]",
            "(",
            ")",
            ".",
            "..",
            ",",
            "@",
            "$",
            "*",
            "?",
            "'",
            "\"",
            "\\",
            "=",
            "==",
            "!",
            "<",
            ">",
            ":",
            "-",
            "0",
            "1",
            "2",
            " ",
            "a",
            "items",
            "name",
            "range ",
            "end",
            "[?(",
            "\n",
            "\t",
            "é",
            "true",
            "1.5",
            "[*]",
            "{range .items[*]}",
            "{end}",
            "[-1]",
        ];
        let data: Value = serde_json::from_str(PODS).unwrap();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        let mut parsed = 0;
        for _ in 0..30_000 {
            let len = next() % 14;
            let t: String = (0..len)
                .map(|_| ALPHABET[next() % ALPHABET.len()])
                .collect();
            if let Ok(j) = JsonPath::parse(&t) {
                parsed += 1;
                let _ = j.clone().execute(&data);
                let _ = j.allow_missing_keys(false).execute(&data);
            }
            let _ = relaxed(&t);
        }
        assert!(parsed > 1000, "only {parsed} junk templates parsed");
        // Deep nesting is refused rather than overflowing the stack.
        let deep = "{range .items[*]}".repeat(1000);
        assert_eq!(
            JsonPath::parse(&deep).map(|_| ()),
            Err(JsonPathError::Parse("template nested too deeply".into()))
        );
        let deep_filter = format!("{{.a{}}}", "[?(@.b".repeat(500));
        assert!(JsonPath::parse(&deep_filter).is_err());
    }
}
