//! Manifest text → documents → strictly decoded `k8s-openapi` objects.
//!
//! Mirrors, in simplified form:
//! - kubectl's `k8s.io/apimachinery/pkg/util/yaml.YAMLOrJSONDecoder` and `YAMLReader`: a text whose
//!   first non-blank character is `{` is a stream of concatenated JSON values, anything else is YAML
//!   split into documents at lines starting with `---` (followed by nothing or a comment);
//!   empty documents are skipped.
//! - `sigs.k8s.io/yaml` (YAML → JSON): keys become strings, merge keys (`<<`) are applied, tags are
//!   dropped, non-finite floats are rejected like Go's `json.Marshal` does.
//! - kubectl's resource builder flattening `kind: List` (and any `…List` kind with `items`) into
//!   one document per item.
//! - kubectl's client-side schema check for `apiVersion`/`kind` (`error validating data: …`).
//! - The API server's strict field validation (`sigs.k8s.io/json` `UnmarshalStrict`):
//!   `strict decoding error: unknown field "…", duplicate field "…"`, and
//!   `encoding/json`'s `cannot unmarshal … into Go struct field …` type errors.
//!
//! Simplifications and kubeplay additions:
//! - YAML syntax errors report the line and column in the *whole* text (kubectl reports the line
//!   within the document and, for libyaml *parser* errors, one line too early); the column is a
//!   kubeplay addition.
//! - Unknown fields are found by round-tripping: the input is deserialized into the typed value
//!   (`k8s-openapi` ignores unknown keys), serialized back to JSON, and every non-null input key
//!   missing from the round-trip is an unknown field. Only key presence is compared, so value
//!   normalisations (numbers given for `Quantity`, which `k8s-openapi` accepts like the API server
//!   does, timestamps, int-or-string) never count as unknown.
//! - Every unknown/duplicate field also carries a best-effort source line and column. `serde_yaml`
//!   has no spans, so the key is located by walking the path through the source text: for YAML an
//!   indentation-aware scan of block mappings and `- ` sequence items (with a textual fallback for
//!   flow collections), for JSON a small tokenizer. When a segment cannot be found the position of
//!   the deepest located ancestor (at worst the document's first line) is used.
//! - Strict errors are listed in source order (the parsed `serde_json::Value` keeps keys sorted).
//! - Type errors name the path with list indices in [`StrictError::Type::path`]; the message mimics
//!   Go's (`Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64`) and is found
//!   by re-decoding with subtrees removed, so it is approximate for exotic types.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::Cell;
use std::fmt;

/// One object-bearing document of a manifest text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// The document converted to JSON (last value wins for duplicate keys).
    pub value: Value,
    /// 1-based line of the document's first content line in the source (for a `List` item, the
    /// line of the item).
    pub line: usize,
    /// Byte offset in the source where the text document containing this object starts.
    pub source_offset: usize,
    /// For objects expanded from a `List`, the index in its `items`.
    pub list_item: Option<usize>,
    /// Paths (`metadata.name`, `spec.containers[0].image`) of keys given more than once.
    pub duplicates: Vec<String>,
}

/// Which stage produced a [`DecodeError`]; selects the Display shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// YAML syntax error (`error converting YAML to JSON: yaml: …`).
    Yaml,
    /// JSON syntax error (`json: …`).
    Json,
    /// kubectl's client-side object check (`error validating data: …`).
    Validation,
}

/// A manifest that cannot be turned into documents, or lacks `apiVersion`/`kind`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct DecodeError {
    /// 1-based line in the whole source text.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// The upstream-like message without prefix or position
    /// (`mapping values are not allowed in this context`, `[apiVersion not set, kind not set]`).
    pub message: String,
    /// Which stage failed.
    pub kind: DecodeErrorKind,
}

impl DecodeError {
    fn render(&self) -> String {
        match self.kind {
            DecodeErrorKind::Yaml => format!(
                "error converting YAML to JSON: yaml: line {}, column {}: {}",
                self.line, self.column, self.message
            ),
            DecodeErrorKind::Json => format!(
                "json: line {}, column {}: {}",
                self.line, self.column, self.message
            ),
            DecodeErrorKind::Validation => format!("error validating data: {}", self.message),
        }
    }
}

/// Why a field is reported by strict decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldProblem {
    /// The key is not part of the type's schema.
    Unknown,
    /// The key was given more than once in the same object.
    Duplicate,
}

/// One strict-decoding finding with its source position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownField {
    /// Upstream-style path, list indices included: `spec.template.spec.containers[0].imagee`.
    pub path: String,
    /// 1-based source line of the key (best effort).
    pub line: usize,
    /// 1-based source column of the key (best effort).
    pub column: usize,
    /// Unknown or duplicate.
    pub problem: FieldProblem,
}

/// Errors of [`decode_strict`], shaped like the API server's BadRequest messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StrictError {
    /// Unknown and/or duplicate fields (strict field validation).
    #[error("{kind} in version \"{version}\" cannot be handled as a {kind}: strict decoding error: {}", list_fields(.fields))]
    UnknownFields {
        /// Object kind, e.g. `DaemonSet`.
        kind: String,
        /// Version part of apiVersion, e.g. `v1`.
        version: String,
        /// Findings in source order.
        fields: Vec<UnknownField>,
    },
    /// A value of the wrong JSON type (string where an integer is expected, …).
    #[error("{kind} in version \"{version}\" cannot be handled as a {kind}: {message}")]
    Type {
        /// Object kind.
        kind: String,
        /// Version part of apiVersion.
        version: String,
        /// Path of the offending value, list indices included.
        path: String,
        /// 1-based source line of the offending field (best effort).
        line: usize,
        /// 1-based source column of the offending field (best effort).
        column: usize,
        /// Go-like message: `json: cannot unmarshal string into Go struct field …`.
        message: String,
    },
}

fn list_fields(fields: &[UnknownField]) -> String {
    fields
        .iter()
        .map(|f| match f.problem {
            FieldProblem::Unknown => format!("unknown field \"{}\"", f.path),
            FieldProblem::Duplicate => format!("duplicate field \"{}\"", f.path),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------------------------
// Paths

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn path_string(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn join_key(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// Parses `a.b[0].c` back into segments (keys containing `.` or `[` are split; only used for
/// paths this module produced, where that is harmless for locating).
fn parse_path(path: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(pos) = rest.find('[') {
            let (key, idx) = rest.split_at(pos);
            if !key.is_empty() {
                segs.push(Seg::Key(key.to_string()));
            }
            rest = idx;
            for piece in rest.split('[').filter(|p| !p.is_empty()) {
                let num = piece.trim_end_matches(']');
                match num.parse::<usize>() {
                    Ok(n) => segs.push(Seg::Index(n)),
                    Err(_) => segs.push(Seg::Key(piece.to_string())),
                }
            }
        } else if !rest.is_empty() {
            segs.push(Seg::Key(rest.to_string()));
        }
    }
    segs
}

// ---------------------------------------------------------------------------------------------
// YAML/JSON → serde_json::Value with duplicate tracking and merge keys

struct ValueSeed<'a> {
    path: String,
    dups: &'a Cell<Vec<String>>,
    yaml: bool,
}

impl<'a> ValueSeed<'a> {
    fn child(&self, path: String) -> ValueSeed<'a> {
        ValueSeed {
            path,
            dups: self.dups,
            yaml: self.yaml,
        }
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

fn float_value<E: de::Error>(v: f64) -> Result<Value, E> {
    if v.is_nan() {
        return Err(E::custom("json: unsupported value: NaN"));
    }
    if v.is_infinite() {
        let sign = if v > 0.0 { "+" } else { "-" };
        return Err(E::custom(format!("json: unsupported value: {sign}Inf")));
    }
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        // Integral floats (`1e3`, `2.0`) become JSON integers, as Go's yaml → json does.
        #[allow(clippy::cast_possible_truncation)]
        return Ok(Value::Number(Number::from(v as i64)));
    }
    Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML/JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        #[allow(clippy::cast_precision_loss)]
        float_value(v as f64)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        #[allow(clippy::cast_precision_loss)]
        float_value(v as f64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        float_value(v)
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::String(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) =
            seq.next_element_seed(self.child(format!("{}[{}]", self.path, out.len())))?
        {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut merges: Vec<Value> = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let child = self.child(join_key(&self.path, &key));
            let value = map.next_value_seed(child)?;
            if self.yaml && key == "<<" {
                match value {
                    Value::Array(items) => merges.extend(items),
                    other => merges.push(other),
                }
                continue;
            }
            if out.contains_key(&key) {
                let mut d = self.dups.take();
                d.push(join_key(&self.path, &key));
                self.dups.set(d);
            }
            out.insert(key, value);
        }
        for merge in merges {
            match merge {
                Value::Object(m) => {
                    for (k, v) in m {
                        out.entry(k).or_insert(v);
                    }
                }
                Value::Null => {}
                _ => {
                    return Err(de::Error::custom(
                        "map merge requires map or sequence of maps as the value",
                    ))
                }
            }
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A YAML value with a custom tag (`!foo bar`): the tag is dropped.
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        de::VariantAccess::newtype_variant_seed(variant, self)
    }
}

/// Map keys: scalars are converted to strings like `sigs.k8s.io/yaml` does.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scalar map key")
    }
    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i128<E>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u128<E>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_string())
    }
    fn visit_none<E>(self) -> Result<String, E> {
        Ok("null".to_string())
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<String, A::Error> {
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        de::VariantAccess::newtype_variant_seed(variant, self)
    }
}

// ---------------------------------------------------------------------------------------------
// Splitting and parsing

/// Byte offset → (1-based line, 1-based char column).
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = match before.rfind('\n') {
        Some(nl) => before.get(nl + 1..).map_or(0, |s| s.chars().count()),
        None => before.chars().count(),
    };
    (line, col + 1)
}

/// kubectl's YAMLReader separator: a line starting with `---` followed by blanks or a comment.
fn is_separator(line: &str) -> bool {
    match line.strip_prefix("---") {
        Some(rest) => {
            let t = rest.trim();
            t.is_empty() || t.starts_with('#')
        }
        None => false,
    }
}

fn is_content_line(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// Lines with their byte offsets (line terminators removed).
fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches('\n').trim_end_matches('\r');
        out.push((offset, line));
        offset += raw.len();
    }
    out
}

/// Strips serde_yaml's / serde_json's ` at line L column C` (and anything after) from a message.
fn strip_position(msg: &str) -> String {
    let cut = [" at line ", " at position ", ", while "]
        .iter()
        .filter_map(|p| msg.find(p))
        .min();
    match cut.and_then(|c| msg.get(..c)) {
        Some(s) => s.to_string(),
        None => msg.to_string(),
    }
}

fn invalid_object(line: usize) -> DecodeError {
    DecodeError {
        line,
        column: 1,
        message: "invalid object to validate".to_string(),
        kind: DecodeErrorKind::Validation,
    }
}

/// Parses a manifest text into documents: YAML (with `---` separators) or a stream of JSON
/// objects; `kind: List` (or any `…List` with `items`) is expanded into its items. Empty input
/// yields no documents.
pub fn parse_documents(text: &str) -> Result<Vec<Document>, DecodeError> {
    let trimmed = text.trim_start_matches('\u{feff}');
    let bom = text.len() - trimmed.len();
    let raw = if trimmed.trim_start().starts_with('{') {
        parse_json_stream(text, bom)?
    } else {
        parse_yaml_stream(text, bom)?
    };
    let mut docs = Vec::new();
    for doc in raw {
        expand_list(text, doc, &mut docs)?;
    }
    Ok(docs)
}

fn parse_yaml_stream(text: &str, bom: usize) -> Result<Vec<Document>, DecodeError> {
    let lines = lines_with_offsets(text);
    // Chunks: (first line number (1-based), start offset, end offset).
    let mut chunks: Vec<(usize, usize, usize)> = Vec::new();
    let mut start_line = 1;
    let mut start_off = bom;
    for (i, (off, line)) in lines.iter().enumerate() {
        if is_separator(line) {
            chunks.push((start_line, start_off, *off));
            start_line = i + 2;
            start_off = off + line.len();
            // Skip the line terminator too.
            start_off = text
                .get(start_off..)
                .and_then(|r| r.find('\n'))
                .map_or(text.len(), |p| start_off + p + 1);
        }
    }
    chunks.push((start_line, start_off, text.len()));

    let mut docs = Vec::new();
    for (first_line, from, to) in chunks {
        let chunk = text.get(from..to).unwrap_or("");
        let content_line = chunk
            .lines()
            .position(is_content_line)
            .map(|p| first_line + p);
        let Some(content_line) = content_line else {
            continue;
        };
        for de in serde_yaml::Deserializer::from_str(chunk) {
            let dups = Cell::new(Vec::new());
            let seed = ValueSeed {
                path: String::new(),
                dups: &dups,
                yaml: true,
            };
            let value = seed.deserialize(de).map_err(|e| {
                let (line, column) = e.location().map_or((content_line, 1), |l| {
                    (first_line + l.line() - 1, l.column())
                });
                let full = strip_position(&e.to_string());
                // serde_yaml prefixes custom errors with the path (`spec.x: json: …`).
                let message = ["json: unsupported", "map merge requires"]
                    .iter()
                    .find_map(|m| full.find(m).and_then(|p| full.get(p..)))
                    .unwrap_or(&full)
                    .to_string();
                DecodeError {
                    line,
                    column,
                    message,
                    kind: DecodeErrorKind::Yaml,
                }
            })?;
            match value {
                Value::Null => continue,
                Value::Object(_) => docs.push(Document {
                    value,
                    line: content_line,
                    source_offset: from,
                    list_item: None,
                    duplicates: dups.take(),
                }),
                _ => return Err(invalid_object(content_line)),
            }
        }
    }
    Ok(docs)
}

fn parse_json_stream(text: &str, start: usize) -> Result<Vec<Document>, DecodeError> {
    let mut docs = Vec::new();
    let body = text.get(start..).unwrap_or("");
    let mut stream = serde_json::Deserializer::from_str(body).into_iter::<de::IgnoredAny>();
    let mut prev_end = 0;
    loop {
        let item = stream.next();
        let end = stream.byte_offset();
        let Some(item) = item else { break };
        let rest = body.get(prev_end..).unwrap_or("");
        let ws = rest.len() - rest.trim_start().len();
        let value_start = prev_end + ws;
        if let Err(e) = item {
            return Err(json_error(text, start + value_start, &e));
        }
        let slice = body.get(value_start..end).unwrap_or("");
        let dups = Cell::new(Vec::new());
        let seed = ValueSeed {
            path: String::new(),
            dups: &dups,
            yaml: false,
        };
        let mut de = serde_json::Deserializer::from_str(slice);
        let value = seed
            .deserialize(&mut de)
            .map_err(|e| json_error(text, start + value_start, &e))?;
        let (line, _) = line_col(text, start + value_start);
        match value {
            Value::Object(_) => docs.push(Document {
                value,
                line,
                source_offset: start + value_start,
                list_item: None,
                duplicates: dups.take(),
            }),
            _ => return Err(invalid_object(line)),
        }
        prev_end = end;
    }
    Ok(docs)
}

fn json_error(text: &str, base: usize, e: &serde_json::Error) -> DecodeError {
    let (base_line, base_col) = line_col(text, base);
    let (line, column) = if e.line() <= 1 {
        (base_line, base_col + e.column().saturating_sub(1))
    } else {
        (base_line + e.line() - 1, e.column())
    };
    let column = column.max(1);
    DecodeError {
        line,
        column,
        message: go_json_message(&strip_position(&e.to_string()), char_at(text, line, column)),
        kind: DecodeErrorKind::Json,
    }
}

fn char_at(text: &str, line: usize, column: usize) -> Option<char> {
    text.lines()
        .nth(line.saturating_sub(1))
        .and_then(|l| l.chars().nth(column.saturating_sub(1)))
}

/// Rewords serde_json's syntax messages as Go's `encoding/json` words them.
fn go_json_message(msg: &str, at: Option<char>) -> String {
    let Some(c) = at else {
        return if msg.starts_with("EOF while parsing") {
            "unexpected end of JSON input".to_string()
        } else {
            msg.to_string()
        };
    };
    let context = match msg {
        "key must be a string" => "looking for beginning of object key string",
        "expected value" => "looking for beginning of value",
        "expected `,` or `}`" => "after object key:value pair",
        "expected `,` or `]`" => "after array element",
        "expected `:`" => "after object key",
        "trailing characters" => "after top-level value",
        _ if msg.starts_with("EOF while parsing") => return "unexpected end of JSON input".into(),
        _ => return msg.to_string(),
    };
    format!("invalid character {c:?} {context}")
}

fn expand_list(source: &str, doc: Document, out: &mut Vec<Document>) -> Result<(), DecodeError> {
    let is_list = doc
        .value
        .get("kind")
        .and_then(Value::as_str)
        .is_some_and(|k| k.ends_with("List"))
        && doc.value.get("items").is_some_and(Value::is_array);
    if !is_list {
        out.push(doc);
        return Ok(());
    }
    let Document {
        value,
        source_offset,
        duplicates,
        ..
    } = doc;
    let items = match value {
        Value::Object(mut m) => match m.remove("items") {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    for (i, item) in items.into_iter().enumerate() {
        let prefix = format!("items[{i}].");
        let probe = Document {
            value: Value::Null,
            line: 1,
            source_offset,
            list_item: None,
            duplicates: Vec::new(),
        };
        let (line, _) = locate(source, &probe, &[Seg::Key("items".into()), Seg::Index(i)]);
        if !item.is_object() {
            return Err(invalid_object(line));
        }
        out.push(Document {
            value: item,
            line,
            source_offset,
            list_item: Some(i),
            duplicates: duplicates
                .iter()
                .filter_map(|d| d.strip_prefix(&prefix).map(str::to_string))
                .collect(),
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// apiVersion / kind

/// Returns `(apiVersion, kind)` of a document, or kubectl's client-side validation error
/// (`error validating data: [apiVersion not set, kind not set]`). Empty strings count as not set.
pub fn type_meta(doc: &Document) -> Result<(String, String), DecodeError> {
    let Value::Object(map) = &doc.value else {
        return Err(invalid_object(doc.line));
    };
    let mut errs = Vec::new();
    let mut get = |name: &str| -> String {
        match map.get(name) {
            None | Some(Value::Null) => {
                errs.push(format!("{name} not set"));
                String::new()
            }
            Some(Value::String(s)) if s.is_empty() => {
                errs.push(format!("{name} not set"));
                String::new()
            }
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                errs.push(format!("{name} isn't string type"));
                String::new()
            }
        }
    };
    let api_version = get("apiVersion");
    let kind = get("kind");
    match errs.len() {
        0 => Ok((api_version, kind)),
        1 => Err(DecodeError {
            line: doc.line,
            column: 1,
            message: errs.concat(),
            kind: DecodeErrorKind::Validation,
        }),
        _ => Err(DecodeError {
            line: doc.line,
            column: 1,
            message: format!("[{}]", errs.join(", ")),
            kind: DecodeErrorKind::Validation,
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// Strict decoding

/// Deserializes a document into a `k8s-openapi` type, rejecting unknown and duplicate fields and
/// wrongly typed values with the API server's messages. `source` is the full manifest text the
/// document came from (used only to find line/column of findings).
pub fn decode_strict<T: serde::de::DeserializeOwned + serde::Serialize>(
    doc: &Document,
    source: &str,
) -> Result<T, StrictError> {
    strict(doc, source, &|v| T::deserialize(v), &|t| {
        serde_json::to_value(t).unwrap_or(Value::Null)
    })
}

/// [`decode_strict`] into an [`Object`](crate::engine::api::Object) of a known kind. Every kind
/// shares one copy of the strict-decoding machinery (the generic version is compiled once per
/// type, which the page pays for in bytes).
pub fn decode_strict_object(
    kind: crate::engine::api::Kind,
    doc: &Document,
    source: &str,
) -> Result<crate::engine::api::Object, StrictError> {
    strict(
        doc,
        source,
        &|v| crate::engine::api::Object::from_json(kind, v),
        &crate::engine::api::Object::to_json,
    )
}

/// Decodes a JSON value into `T` (owned, the one deserializer every object goes through).
type Decode<'a, T> = &'a dyn Fn(Value) -> Result<T, serde_json::Error>;

/// The body of [`decode_strict`]: `decode` turns a value into `T`, `encode` turns it back.
fn strict<T>(
    doc: &Document,
    source: &str,
    decode: Decode<'_, T>,
    encode: &dyn Fn(&T) -> Value,
) -> Result<T, StrictError> {
    let kind = doc
        .value
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("Object")
        .to_string();
    let version = doc
        .value
        .get("apiVersion")
        .and_then(Value::as_str)
        .map(|v| v.rsplit('/').next().unwrap_or(v).to_string())
        .unwrap_or_default();

    // Deserialize from an owned Value, as `Object::from_json` does: one instantiation of every
    // k8s-openapi visitor instead of two (by-reference and by-value), which halves that code in wasm.
    let typed = match decode(doc.value.clone()) {
        Ok(t) => t,
        Err(e) => {
            let message = |v: &Value| decode(v.clone()).err().map(|e| e.to_string());
            return Err(type_error(doc, source, kind, version, &e, &message));
        }
    };
    let round = encode(&typed);
    let mut unknown = Vec::new();
    diff_unknown(&doc.value, &round, &mut Vec::new(), &mut unknown);

    let mut fields: Vec<UnknownField> = Vec::new();
    for path in unknown {
        let (line, column) = locate(source, doc, &path);
        fields.push(UnknownField {
            path: path_string(&path),
            line,
            column,
            problem: FieldProblem::Unknown,
        });
    }
    for dup in &doc.duplicates {
        let (line, column) = locate(source, doc, &parse_path(dup));
        fields.push(UnknownField {
            path: dup.clone(),
            line,
            column,
            problem: FieldProblem::Duplicate,
        });
    }
    if fields.is_empty() {
        return Ok(typed);
    }
    crate::engine::sort::sort_by_key(&mut fields, |f| (f.line, f.column));
    Err(StrictError::UnknownFields {
        kind,
        version,
        fields,
    })
}

/// Collects paths of non-null input keys that are absent from the round-tripped value.
fn diff_unknown(input: &Value, round: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    match (input, round) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                if v.is_null() {
                    continue;
                }
                path.push(Seg::Key(k.clone()));
                match b.get(k) {
                    Some(rv) => diff_unknown(v, rv, path, out),
                    None => out.push(path.clone()),
                }
                path.pop();
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (v, rv)) in a.iter().zip(b.iter()).enumerate() {
                path.push(Seg::Index(i));
                diff_unknown(v, rv, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn value_at<'v>(v: &'v Value, path: &[Seg]) -> Option<&'v Value> {
    let mut cur = v;
    for seg in path {
        cur = match seg {
            Seg::Key(k) => cur.get(k.as_str())?,
            Seg::Index(i) => cur.get(*i)?,
        };
    }
    Some(cur)
}

fn value_at_mut<'v>(v: &'v mut Value, path: &[Seg]) -> Option<&'v mut Value> {
    let mut cur = v;
    for seg in path {
        cur = match seg {
            Seg::Key(k) => cur.get_mut(k.as_str())?,
            Seg::Index(i) => cur.get_mut(*i)?,
        };
    }
    Some(cur)
}

/// The decoding error message for a value, if decoding it fails.
type Message<'a> = &'a dyn Fn(&Value) -> Option<String>;

/// Finds the path of the value that makes decoding fail: descend into the child whose removal
/// changes the error (serde stops at the first error, so removing an innocent sibling does not).
fn find_culprit(root: &Value, msg: &str, message: Message<'_>) -> Vec<Seg> {
    let mut path: Vec<Seg> = Vec::new();
    // Depth is bounded by the parsers' recursion limits (128).
    for _ in 0..256 {
        let Some(node) = value_at(root, &path) else {
            break;
        };
        let children: Vec<Seg> = match node {
            Value::Object(m) => m.keys().map(|k| Seg::Key(k.clone())).collect(),
            Value::Array(a) => (0..a.len()).map(Seg::Index).collect(),
            _ => Vec::new(),
        };
        let mut next = None;
        for child in children {
            let mut copy = root.clone();
            if let Some(parent) = value_at_mut(&mut copy, &path) {
                match (&child, parent) {
                    (Seg::Key(k), Value::Object(m)) => {
                        m.remove(k);
                    }
                    (Seg::Index(i), Value::Array(a)) if *i < a.len() => {
                        a.remove(*i);
                    }
                    _ => {}
                }
            }
            if message(&copy).as_deref() != Some(msg) {
                next = Some(child);
                break;
            }
        }
        match next {
            Some(seg) => path.push(seg),
            None => break,
        }
    }
    path
}

/// What serde says is expected at `path` when given a value it cannot take (`PodSpec`, `i64`).
fn expected_at(root: &Value, path: &[Seg], message: Message<'_>) -> Option<String> {
    let mut copy = root.clone();
    let slot = value_at_mut(&mut copy, path)?;
    *slot = Value::Bool(true);
    let msg = message(&copy)?;
    let exp = msg.split(", expected ").nth(1)?;
    Some(strip_position(exp))
}

fn go_type(expected: &str) -> String {
    match expected {
        "i64" => "int64".into(),
        "i32" => "int32".into(),
        "u64" => "uint64".into(),
        "u32" => "uint32".into(),
        "f64" => "float64".into(),
        "a string" | "string" => "string".into(),
        "a boolean" => "bool".into(),
        "a map" => "map[string]string".into(),
        "a sequence" => "[]interface {}".into(),
        other => {
            let name: String = other
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            if name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                format!("v1.{name}")
            } else {
                other.to_string()
            }
        }
    }
}

fn json_kind(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(_)) => "string".into(),
        Some(Value::Number(n)) => format!("number {n}"),
        Some(Value::Bool(_)) => "bool".into(),
        Some(Value::Array(_)) => "array".into(),
        Some(Value::Object(_)) => "object".into(),
        Some(Value::Null) | None => "null".into(),
    }
}

fn type_error(
    doc: &Document,
    source: &str,
    kind: String,
    version: String,
    err: &serde_json::Error,
    message_of: Message<'_>,
) -> StrictError {
    let msg = err.to_string();
    let path = find_culprit(&doc.value, &msg, message_of);
    let (line, column) = locate(source, doc, &path);
    let serde_expected = msg
        .split(", expected ")
        .nth(1)
        .map(strip_position)
        .unwrap_or_default();
    let input = json_kind(value_at(&doc.value, &path));
    let into_int = go_type(&serde_expected).contains("int");
    let input = if input.starts_with("number") && !into_int {
        "number".to_string()
    } else {
        input
    };
    let message = if path.is_empty() {
        format!("json: cannot unmarshal {input} into Go value of type v1.{kind}")
    } else if msg.starts_with("invalid type") || msg.starts_with("invalid value") {
        // Go's field path: struct field names only (no list indices, no map keys).
        let mut field_path: Vec<&str> = Vec::new();
        let mut struct_name = kind.clone();
        for (i, seg) in path.iter().enumerate() {
            if let Seg::Key(k) = seg {
                let parent = path.get(..i).unwrap_or(&[]);
                let parent_exp = expected_at(&doc.value, parent, message_of).unwrap_or_default();
                if parent_exp == "a map" {
                    continue;
                }
                if !parent_exp.is_empty() {
                    struct_name = go_type(&parent_exp).trim_start_matches("v1.").to_string();
                }
                field_path.push(k);
            }
        }
        format!(
            "json: cannot unmarshal {input} into Go struct field {struct_name}.{} of type {}",
            field_path.join("."),
            go_type(&serde_expected)
        )
    } else {
        format!(
            "json: {} (field \"{}\")",
            strip_position(&msg),
            path_string(&path)
        )
    };
    StrictError::Type {
        kind,
        version,
        path: path_string(&path),
        line,
        column,
        message,
    }
}

// ---------------------------------------------------------------------------------------------
// Source locator

/// Best-effort 1-based (line, column) of `path` inside the document `doc` of `source`.
fn locate(source: &str, doc: &Document, path: &[Seg]) -> (usize, usize) {
    let mut full: Vec<Seg> = Vec::new();
    if let Some(i) = doc.list_item {
        full.push(Seg::Key("items".into()));
        full.push(Seg::Index(i));
    }
    full.extend(path.iter().cloned());
    let rest = source.get(doc.source_offset..).unwrap_or("");
    let skip = rest.len() - rest.trim_start().len();
    if rest.trim_start().starts_with('{') {
        if let Some(off) = json_locate(source, doc.source_offset + skip, &full) {
            return line_col(source, off);
        }
    }
    let fallback = if doc.line > 0 { (doc.line, 1) } else { (1, 1) };
    yaml_locate(source, doc.source_offset, &full).unwrap_or(fallback)
}

/// A YAML line split into leading `- ` indicators and the remaining content.
struct Tok<'a> {
    line: usize,
    text: &'a str,
    dashes: Vec<usize>,
    content: Option<(usize, &'a str)>,
}

impl Tok<'_> {
    fn positions(&self) -> Vec<(usize, bool)> {
        let mut p: Vec<(usize, bool)> = self.dashes.iter().map(|d| (*d, true)).collect();
        if let Some((c, _)) = self.content {
            p.push((c, false));
        }
        p
    }
    fn first(&self) -> Option<(usize, bool)> {
        self.positions().into_iter().next()
    }
}

fn tokenize(line: usize, text: &str) -> Option<Tok<'_>> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    while bytes.get(pos) == Some(&b' ') {
        pos += 1;
    }
    let mut dashes = Vec::new();
    loop {
        let rest = text.get(pos..).unwrap_or("");
        if rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t") {
            dashes.push(pos);
            pos += 1;
            while matches!(bytes.get(pos), Some(b' ') | Some(b'\t')) {
                pos += 1;
            }
        } else {
            break;
        }
    }
    let rest = text.get(pos..).unwrap_or("").trim_end();
    let content = if rest.is_empty() || rest.starts_with('#') {
        None
    } else {
        Some((pos, rest))
    };
    if dashes.is_empty() && content.is_none() {
        return None;
    }
    Some(Tok {
        line,
        text,
        dashes,
        content,
    })
}

fn key_matches(content: &str, key: &str) -> bool {
    for quote in ["", "\"", "'"] {
        let candidate = format!("{quote}{key}{quote}");
        if let Some(rest) = content.strip_prefix(candidate.as_str()) {
            let rest = rest.trim_start_matches([' ', '\t']);
            if let Some(after) = rest.strip_prefix(':') {
                if after.is_empty() || after.starts_with([' ', '\t']) {
                    return true;
                }
            }
        }
    }
    false
}

/// A region of tokens `[start, end)`; on the first token only positions `>= min_col` count.
struct Scope {
    start: usize,
    end: usize,
    min_col: usize,
}

fn scope_top(toks: &[Tok<'_>], scope: &Scope) -> Option<usize> {
    for (i, tok) in toks.iter().enumerate().take(scope.end).skip(scope.start) {
        let found = if i == scope.start {
            tok.positions()
                .into_iter()
                .find(|(c, _)| *c >= scope.min_col)
        } else {
            tok.first()
        };
        if let Some((c, _)) = found {
            return Some(c);
        }
    }
    None
}

/// The entry at column `top` on token `i` of the scope: Some(is_dash).
fn entry_at(toks: &[Tok<'_>], scope: &Scope, i: usize, top: usize) -> Option<bool> {
    let tok = toks.get(i)?;
    if i == scope.start {
        tok.positions()
            .into_iter()
            .find(|(c, _)| *c >= scope.min_col)
            .filter(|(c, _)| *c == top)
            .map(|(_, d)| d)
    } else {
        tok.first().filter(|(c, _)| *c == top).map(|(_, d)| d)
    }
}

fn scope_end(
    toks: &[Tok<'_>],
    from: usize,
    limit: usize,
    col: usize,
    dash_continues: bool,
) -> usize {
    for (i, tok) in toks.iter().enumerate().take(limit).skip(from + 1) {
        if let Some((c, is_dash)) = tok.first() {
            if c < col || (c == col && !(dash_continues && is_dash)) {
                return i;
            }
        }
    }
    limit
}

fn char_col(text: &str, byte_col: usize) -> usize {
    text.get(..byte_col).map_or(byte_col, |s| s.chars().count()) + 1
}

fn yaml_locate(source: &str, start: usize, path: &[Seg]) -> Option<(usize, usize)> {
    let (first_line, _) = line_col(source, start);
    let body = source.get(start..).unwrap_or("");
    let mut toks = Vec::new();
    for (i, line) in body.lines().enumerate() {
        if i > 0 && is_separator(line) {
            break;
        }
        if let Some(t) = tokenize(first_line + i, line) {
            toks.push(t);
        }
    }
    let mut scope = Scope {
        start: 0,
        end: toks.len(),
        min_col: 0,
    };
    let mut best = toks
        .first()
        .map(|t| (t.line, t.first().map_or(1, |(c, _)| char_col(t.text, c))));
    for (depth, seg) in path.iter().enumerate() {
        let top = scope_top(&toks, &scope);
        let mut found = None;
        if let Some(top) = top {
            match seg {
                Seg::Key(k) => {
                    for i in scope.start..scope.end {
                        if entry_at(&toks, &scope, i, top) == Some(false) {
                            let tok = toks.get(i)?;
                            let content = tok.content.map_or("", |(_, c)| c);
                            if key_matches(content, k) {
                                found = Some((i, top, true));
                                break;
                            }
                        }
                    }
                }
                Seg::Index(n) => {
                    let mut count = 0;
                    for i in scope.start..scope.end {
                        if entry_at(&toks, &scope, i, top) == Some(true) {
                            if count == *n {
                                found = Some((i, top, false));
                                break;
                            }
                            count += 1;
                        }
                    }
                }
            }
        }
        match found {
            Some((i, col, is_key)) => {
                let tok = toks.get(i)?;
                best = Some((tok.line, char_col(tok.text, col)));
                scope = Scope {
                    start: i,
                    end: scope_end(&toks, i, scope.end, col, is_key),
                    min_col: col + 1,
                };
            }
            None => {
                // Flow collections / odd layouts: textual search for the last key of the rest
                // of the path inside the scope.
                let last_key = path.get(depth..).and_then(|rest| {
                    rest.iter().rev().find_map(|s| match s {
                        Seg::Key(k) => Some(k),
                        Seg::Index(_) => None,
                    })
                });
                if let Some(k) = last_key {
                    if let Some(pos) = text_search(&toks, &scope, k) {
                        return Some(pos);
                    }
                }
                return best;
            }
        }
    }
    best
}

fn text_search(toks: &[Tok<'_>], scope: &Scope, key: &str) -> Option<(usize, usize)> {
    for (i, tok) in toks.iter().enumerate().take(scope.end).skip(scope.start) {
        let from = if i == scope.start { scope.min_col } else { 0 };
        let hay = tok.text.get(from..).unwrap_or("");
        let mut search = 0;
        while let Some(p) = hay.get(search..).and_then(|h| h.find(key)) {
            let at = search + p;
            let before = hay.get(..at).and_then(|b| b.chars().last());
            let ok_before = before.is_none_or(|c| matches!(c, '{' | ',' | ' ' | '"' | '\'' | '\t'));
            let after = hay.get(at + key.len()..).unwrap_or("");
            let after = after.trim_start_matches(['"', '\'']).trim_start();
            if ok_before && after.starts_with(':') {
                let quote = usize::from(matches!(before, Some('"') | Some('\'')));
                let byte = from + at - quote;
                return Some((tok.line, char_col(tok.text, byte)));
            }
            search = at + key.len().max(1);
        }
    }
    None
}

/// Byte offset of the key (or list element) at `path` in JSON text starting at `start`.
fn json_locate(src: &str, start: usize, path: &[Seg]) -> Option<usize> {
    let b = src.as_bytes();
    let mut pos = skip_ws(b, start);
    let mut last = pos;
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if b.get(pos) != Some(&b'{') {
                    return None;
                }
                pos += 1;
                loop {
                    pos = skip_ws(b, pos);
                    if b.get(pos) != Some(&b'"') {
                        return None;
                    }
                    let key_start = pos;
                    let (key, after) = read_string(src, pos)?;
                    pos = skip_ws(b, after);
                    if b.get(pos) != Some(&b':') {
                        return None;
                    }
                    pos = skip_ws(b, pos + 1);
                    if key == *k {
                        last = key_start;
                        break;
                    }
                    pos = skip_ws(b, skip_value(src, pos)?);
                    match b.get(pos) {
                        Some(b',') => pos += 1,
                        _ => return None,
                    }
                }
            }
            Seg::Index(n) => {
                if b.get(pos) != Some(&b'[') {
                    return None;
                }
                pos = skip_ws(b, pos + 1);
                for _ in 0..*n {
                    pos = skip_ws(b, skip_value(src, pos)?);
                    match b.get(pos) {
                        Some(b',') => pos = skip_ws(b, pos + 1),
                        _ => return None,
                    }
                }
                last = pos;
            }
        }
    }
    Some(last)
}

fn skip_ws(b: &[u8], mut pos: usize) -> usize {
    while matches!(b.get(pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        pos += 1;
    }
    pos
}

/// Reads a JSON string at `pos` (which holds `"`), returning its decoded text and the offset
/// after the closing quote.
fn read_string(src: &str, pos: usize) -> Option<(String, usize)> {
    let b = src.as_bytes();
    let mut end = pos + 1;
    loop {
        match b.get(end)? {
            b'\\' => end += 2,
            b'"' => break,
            _ => end += 1,
        }
    }
    let raw = src.get(pos..=end)?;
    let text = serde_json::from_str::<String>(raw).unwrap_or_default();
    Some((text, end + 1))
}

fn skip_value(src: &str, pos: usize) -> Option<usize> {
    let b = src.as_bytes();
    match b.get(pos)? {
        b'"' => read_string(src, pos).map(|(_, e)| e),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut p = pos;
            loop {
                match b.get(p)? {
                    b'"' => {
                        p = read_string(src, p)?.1;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return Some(p + 1);
                        }
                    }
                    _ => {}
                }
                p += 1;
            }
        }
        _ => {
            let mut p = pos;
            while !matches!(
                b.get(p),
                None | Some(b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
            ) {
                p += 1;
            }
            Some(p)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::DaemonSet;
    use k8s_openapi::api::batch::v1::Job;
    use k8s_openapi::api::core::v1::{ConfigMap, Pod};

    struct Case {
        name: &'static str,
        input: &'static str,
        expect: &'static str,
    }

    fn strict<T: serde::de::DeserializeOwned + serde::Serialize>(
        d: &Document,
        src: &str,
    ) -> String {
        match decode_strict::<T>(d, src) {
            Ok(_) => "ok".to_string(),
            Err(e @ StrictError::UnknownFields { .. }) => {
                let StrictError::UnknownFields { fields, .. } = &e else {
                    unreachable!()
                };
                let pos: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}@{}:{}", f.path, f.line, f.column))
                    .collect();
                format!("{e} [{}]", pos.join(" "))
            }
            Err(e @ StrictError::Type { .. }) => {
                let StrictError::Type {
                    path, line, column, ..
                } = &e
                else {
                    unreachable!()
                };
                format!("{e} [{path}@{line}:{column}]")
            }
        }
    }

    /// Renders everything the pipeline produces for a text, one line per document.
    fn outcome(text: &str) -> String {
        let docs = match parse_documents(text) {
            Ok(d) => d,
            Err(e) => return format!("{}:{} {e}", e.line, e.column),
        };
        if docs.is_empty() {
            return "no documents".to_string();
        }
        docs.iter()
            .map(|d| {
                let (api, kind) = match type_meta(d) {
                    Ok(tm) => tm,
                    Err(e) => return format!("L{} {e}", d.line),
                };
                let res = match kind.as_str() {
                    "Pod" => strict::<Pod>(d, text),
                    "DaemonSet" => strict::<DaemonSet>(d, text),
                    "Job" => strict::<Job>(d, text),
                    "ConfigMap" => strict::<ConfigMap>(d, text),
                    _ => "unhandled kind".to_string(),
                };
                format!("L{} {api} {kind}: {res}", d.line)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn check(case: &Case) {
        assert_eq!(outcome(case.input), case.expect, "case {}", case.name);
    }

    const FLUENTD: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd-elasticsearch
  namespace: kube-system
  labels:
    k8s-app: fluentd-logging
spec:
  selector:
    matchLabels:
      name: fluentd-elasticsearch
  template:
    metadata:
      labels:
        name: fluentd-elasticsearch
    spec:
      tolerations:
      # these tolerations are to have the daemonset runnable on control plane nodes
      # remove them if your control plane nodes should not run pods
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
      - key: node-role.kubernetes.io/master
        operator: Exists
        effect: NoSchedule
      containers:
      - name: fluentd-elasticsearch
        image: quay.io/fluentd_elasticsearch/fluentd:v5.0.1
        resources:
          limits:
            memory: 200Mi
          requests:
            cpu: 100m
            memory: 200Mi
        volumeMounts:
        - name: varlog
          mountPath: /var/log
      # it may be desirable to set a high priority class to ensure that a DaemonSet Pod
      # preempts running Pods
      # priorityClassName: important
      terminationGracePeriodSeconds: 30
      volumes:
      - name: varlog
        hostPath:
          path: /var/log
";

    const PI_JOB: &str = r#"apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: Never
  backoffLimit: 4
"#;

    #[test]
    fn fixtures_decode_cleanly() {
        check(&Case {
            name: "fluentd",
            input: FLUENTD,
            expect: "L1 apps/v1 DaemonSet: ok",
        });
        check(&Case {
            name: "pi",
            input: PI_JOB,
            expect: "L1 batch/v1 Job: ok",
        });
    }

    #[test]
    fn pipeline_table() {
        let cases = [
            Case {
                name: "empty input",
                input: "",
                expect: "no documents",
            },
            Case {
                name: "only comments and separators",
                input: "# nothing\n---\n\n---\n# more\n",
                expect: "no documents",
            },
            Case {
                name: "unknown field in a pod container",
                input: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: nginx\n  - name: b\n    imagee: nginx\n",
                expect: "L1 v1 Pod: Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[1].imagee\" [spec.containers[1].imagee@10:5]",
            },
            Case {
                name: "daemonset with two unknown fields, source order",
                input: "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ds\nspec:\n  selector:\n    matchLabels: {app: x}\n  template:\n    metadata:\n      labels: {app: x}\n    spec:\n      nodeSelecter:\n        disk: ssd\n      containers:\n        - name: a\n          image: nginx\n          zport: 80\n  replicas: 3\n",
                expect: "L1 apps/v1 DaemonSet: DaemonSet in version \"v1\" cannot be handled as a DaemonSet: strict decoding error: unknown field \"spec.template.spec.nodeSelecter\", unknown field \"spec.template.spec.containers[0].zport\", unknown field \"spec.replicas\" [spec.template.spec.nodeSelecter@12:7 spec.template.spec.containers[0].zport@17:11 spec.replicas@18:3]",
            },
            Case {
                name: "job with unknown field after a comment and document separator",
                input: "# a job\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  backofLimit: 2\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox, commnd: [sh]}]\n",
                expect: "L3 batch/v1 Job: Job in version \"v1\" cannot be handled as a Job: strict decoding error: unknown field \"spec.backofLimit\", unknown field \"spec.template.spec.containers[0].commnd\" [spec.backofLimit@8:3 spec.template.spec.containers[0].commnd@12:46]",
            },
            Case {
                name: "numeric quantities accepted",
                input: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x\n    resources:\n      limits: {cpu: 1, memory: 512}\n      requests:\n        cpu: 0.5\n",
                expect: "L1 v1 Pod: ok",
            },
            Case {
                name: "multi-doc with comments",
                input: "# first\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a # trailing\ndata:\n  k: v\n---\n# second\n\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  containers: []\n--- # third\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
                expect: "L2 v1 ConfigMap: ok\nL11 v1 Pod: ok\nL18 v1 ConfigMap: ok",
            },
            Case {
                name: "kind List expanded",
                input: "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: b\n  spec:\n    containers:\n    - name: c\n      image: x\n      bogus: 1\n",
                expect: "L4 v1 ConfigMap: ok\nL7 v1 Pod: Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].bogus\" [spec.containers[0].bogus@15:7]",
            },
            Case {
                name: "PodList item missing kind",
                input: "apiVersion: v1\nkind: PodList\nitems:\n- apiVersion: v1\n  metadata: {name: a}\n",
                expect: "L4 error validating data: kind not set",
            },
            Case {
                name: "json stream",
                input: "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}\n{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"b\"},\n  \"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"x\", \"imagee\": \"y\"}]}\n}\n",
                expect: "L1 v1 ConfigMap: ok\nL2 v1 Pod: Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].imagee\" [spec.containers[0].imagee@6:55]",
            },
            Case {
                name: "json syntax error",
                input: "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"x\",}}\n",
                expect: "1:62 json: line 1, column 62: invalid character '}' looking for beginning of object key string",
            },
            Case {
                name: "yaml mapping values error in second document",
                input: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    a: b: c\n",
                expect: "9:9 error converting YAML to JSON: yaml: line 9, column 9: mapping values are not allowed in this context",
            },
            Case {
                name: "tab indentation",
                input: "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n",
                expect: "4:1 error converting YAML to JSON: yaml: line 4, column 1: found character that cannot start any token",
            },
            Case {
                name: "unclosed quote",
                input: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"x\n",
                expect: "5:1 error converting YAML to JSON: yaml: line 5, column 1: found unexpected end of stream",
            },
            Case {
                name: "bare string document",
                input: "just a string\n",
                expect: "1:1 error validating data: invalid object to validate",
            },
            Case {
                name: "top-level list",
                input: "- a\n- b\n",
                expect: "1:1 error validating data: invalid object to validate",
            },
            Case {
                name: "missing apiVersion and kind",
                input: "metadata:\n  name: x\n",
                expect: "L1 error validating data: [apiVersion not set, kind not set]",
            },
            Case {
                name: "non-string apiVersion",
                input: "apiVersion: 1\nkind: Pod\n",
                expect: "L1 error validating data: apiVersion isn't string type",
            },
            Case {
                name: "duplicate key",
                input: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\nspec:\n  containers: []\n",
                expect: "L1 v1 Pod: Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: duplicate field \"metadata.name\" [metadata.name@4:3]",
            },
            Case {
                name: "type error",
                input: "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  terminationGracePeriodSeconds: thirty\n  containers: []\n",
                expect: "L1 v1 Pod: Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64 [spec.terminationGracePeriodSeconds@5:3]",
            },
            Case {
                name: "type error in list item",
                input: "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    ports:\n    - containerPort: eighty\n",
                expect: "L1 v1 Pod: Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32 [spec.containers[0].ports[0].containerPort@8:7]",
            },
            Case {
                name: "label value of wrong type",
                input: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    n: 1\n",
                expect: "L1 v1 Pod: Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string [metadata.labels.n@6:5]",
            },
            Case {
                name: "anchors, merge keys, tags, big ints",
                input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: &l {x: y}\n  annotations:\n    <<: *l\n    big: !custom \"99999999999999999999999\"\ndata: {k: v}\n",
                expect: "L1 v1 ConfigMap: ok",
            },
            Case {
                name: "integer too large for int32",
                input: "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  priority: 99999999999999999999999\n",
                expect: "L1 v1 Pod: Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal number 1e+23 into Go struct field PodSpec.spec.priority of type int32 [spec.priority@5:3]",
            },
            Case {
                name: "infinity",
                input: "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  priority: .inf\n",
                expect: "5:13 error converting YAML to JSON: yaml: line 5, column 13: json: unsupported value: +Inf",
            },
            Case {
                name: "binary junk",
                input: "\u{0}\u{1}\u{ff}garbage: [\n",
                expect: "1:1 error converting YAML to JSON: yaml: line 1, column 1: control characters are not allowed",
            },
        ];
        for case in &cases {
            check(case);
        }
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let deep_yaml = "a: ".to_string() + &"[".repeat(5000);
        let deep_json = "{\"a\": ".to_string() + &"[".repeat(5000);
        let deep_flow = "a: ".to_string() + &"{b: ".repeat(300) + &"}".repeat(300);
        let big_json =
            "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"spec\": {\"priority\": 1e999999}}";
        let aliases = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
        let inputs: [&str; 8] = [
            &deep_yaml,
            &deep_json,
            &deep_flow,
            big_json,
            aliases,
            "---\n---\n...\n",
            "{",
            "? [a, b]\n: c\n",
        ];
        for input in inputs {
            // Only the absence of a panic matters here.
            let _ = outcome(input);
        }
        check(&Case {
            name: "byte order mark",
            input: "\u{feff}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
            expect: "L1 v1 ConfigMap: ok",
        });
        check(&Case {
            name: "parser error reports real line",
            input: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n labels: 2\n",
            expect: "5:2 error converting YAML to JSON: yaml: line 5, column 2: did not find expected key",
        });
    }
}
