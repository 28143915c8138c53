//! Label selectors and field selectors, as `kubectl -l` / `--field-selector` and the API server
//! understand them.
//!
//! Mirrors upstream Kubernetes code:
//!
//! - apimachinery `pkg/labels/selector.go`: the label selector lexer (`Lexer.Lex`, tokens such as
//!   `in`, `notin`, `!=`, `==`), the recursive-descent parser (`Parser.parse`,
//!   `parseRequirement`, `parseValues`, ...), `NewRequirement` validation, `Requirement.Matches`
//!   and the canonical `String()` form. Error strings are upstream's, word for word (including
//!   its `found 'b' expected: '('` without a comma in `parseValues`).
//! - apimachinery `pkg/util/validation/validation.go`: `IsQualifiedName`, `IsValidLabelValue`,
//!   `IsDNS1123Subdomain`, and the `field.Error` / aggregate formatting
//!   (`<nil>: Invalid value: "": name part must be non-empty; ...`).
//! - apimachinery `pkg/apis/meta/v1/helpers.go`: `LabelSelectorAsSelector` and
//!   `FormatLabelSelector`; `pkg/labels/labels.go`: `FormatLabels`.
//! - apimachinery `pkg/fields/selector.go`: field selector parsing (`splitTerms`, `splitTerm`,
//!   `UnescapeValue`, `EscapeValue`), `hasTerm` / `notHasTerm` matching and `String()`.
//! - kubernetes `pkg/apis/core/v1/conversion.go` (and the apps / batch equivalents) for the field
//!   labels each kind supports, and `pkg/registry/core/pod/strategy.go` `PodToSelectableFields`
//!   (and the node / event equivalents) for the values those fields take.
//!
//! Simplifications:
//!
//! - Regular expressions used by upstream validation are hand-written matchers with the same
//!   language; the messages still quote upstream's regexes.
//! - `Selector` is one concrete type instead of the `Selector` interface; `Selector::nothing()`
//!   stands in for `labels.Nothing()` (a nil `*LabelSelector`).
//! - Requirements are sorted with a stable sort (Go's `sort.Sort` is unstable above 12 elements;
//!   for equal keys we keep input order, as Go's insertion sort does for small inputs).
//! - Field selectors match against a `BTreeMap<String, String>` of field values (a missing field
//!   reads as `""`, like `fields.Set.Get`); [`object_fields`] builds that map from an object's
//!   JSON for the kinds listed in [`supported_field_labels`]. Which kinds reject unknown fields
//!   with `field label not supported: X` and which with the default meta conversion message
//!   follows upstream's registrations as of v1.34 (core Pod, Node, ReplicationController, Event,
//!   Namespace, Secret, Service; apps ReplicaSet, StatefulSet; batch Job).
//! - `status.podIPs` is exposed as the comma-joined list of pod IPs.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde_json::Value;

/// Errors from parsing or building a label selector. `Display` is exactly what kubectl prints
/// after its `error: ` prefix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectorError {
    /// A requirement could not be parsed or failed validation (`unable to parse requirement: ...`).
    #[error("unable to parse requirement: {0}")]
    Requirement(String),
    /// A syntax error between requirements (e.g. `found ',', expected: identifier after ','`).
    #[error("{0}")]
    Syntax(String),
    /// A requirement built from a `LabelSelector` failed `NewRequirement` validation.
    #[error("{0}")]
    Invalid(String),
    /// A `matchExpressions` operator that is not In, NotIn, Exists or DoesNotExist.
    #[error("{} is not a valid label selector operator", go_quote(.0))]
    InvalidOperator(String),
}

/// The operator of one label requirement (`selection.Operator` upstream).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Operator {
    /// `key=value`
    Equals,
    /// `key==value`
    DoubleEquals,
    /// `key!=value` (also matches when the key is absent)
    NotEquals,
    /// `key in (a,b)`
    In,
    /// `key notin (a,b)` (also matches when the key is absent)
    NotIn,
    /// `key`
    Exists,
    /// `!key`
    DoesNotExist,
    /// `key>1` (integer comparison)
    GreaterThan,
    /// `key<1` (integer comparison)
    LessThan,
}

impl Operator {
    /// Upstream's string value of the operator (`selection.Operator`), used in error messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Equals => "=",
            Operator::DoubleEquals => "==",
            Operator::NotEquals => "!=",
            Operator::In => "in",
            Operator::NotIn => "notin",
            Operator::Exists => "exists",
            Operator::DoesNotExist => "!",
            Operator::GreaterThan => "gt",
            Operator::LessThan => "lt",
        }
    }
}

/// One validated requirement: a key, an operator and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    key: String,
    operator: Operator,
    values: Vec<String>,
}

impl Requirement {
    /// `labels.NewRequirement`: validates the key, the number of values for the operator, integer
    /// values for Gt/Lt and every value as a label value. Errors are upstream's aggregated
    /// `field.ErrorList` text (e.g. `values: Invalid value: []string(nil): for 'in', 'notin'
    /// operators, values set can't be empty`).
    pub fn new(key: &str, operator: Operator, values: Vec<String>) -> Result<Self, SelectorError> {
        Self::new_inner(key, operator, values, false).map_err(SelectorError::Invalid)
    }

    /// `values_nil` chooses how an empty values list prints (`[]string(nil)` vs `[]string{}`).
    fn new_inner(
        key: &str,
        operator: Operator,
        values: Vec<String>,
        values_nil: bool,
    ) -> Result<Self, String> {
        let mut errs: Vec<String> = Vec::new();
        if let Some(e) = validate_label_key(key, "key") {
            errs.push(e);
        }
        let show_values = || go_string_slice(&values, values_nil);
        match operator {
            Operator::In | Operator::NotIn => {
                if values.is_empty() {
                    errs.push(format!(
                        "values: Invalid value: {}: for 'in', 'notin' operators, values set can't be empty",
                        show_values()
                    ));
                }
            }
            Operator::Equals | Operator::DoubleEquals | Operator::NotEquals => {
                if values.len() != 1 {
                    errs.push(format!(
                        "values: Invalid value: {}: exact-match compatibility requires one single value",
                        show_values()
                    ));
                }
            }
            Operator::Exists | Operator::DoesNotExist => {
                if !values.is_empty() {
                    errs.push(format!(
                        "values: Invalid value: {}: values set must be empty for exists and does not exist",
                        show_values()
                    ));
                }
            }
            Operator::GreaterThan | Operator::LessThan => {
                if values.len() != 1 {
                    errs.push(format!(
                        "values: Invalid value: {}: for 'Gt', 'Lt' operators, exactly one value is required",
                        show_values()
                    ));
                }
                for (i, v) in values.iter().enumerate() {
                    if v.parse::<i64>().is_err() {
                        errs.push(format!(
                            "values[{i}]: Invalid value: {}: for 'Gt', 'Lt' operators, the value must be an integer",
                            go_quote(v)
                        ));
                    }
                }
            }
        }
        for (i, v) in values.iter().enumerate() {
            let msgs = label_value_errors(v);
            if !msgs.is_empty() {
                errs.push(format!(
                    "values[{i}][{key}]: Invalid value: {}: {}",
                    go_quote(v),
                    msgs.join("; ")
                ));
            }
        }
        if errs.is_empty() {
            Ok(Requirement {
                key: key.to_string(),
                operator,
                values,
            })
        } else {
            Err(aggregate(errs))
        }
    }

    /// The label key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The operator.
    pub fn operator(&self) -> Operator {
        self.operator
    }

    /// The values, in the order given (the parser gives them sorted and de-duplicated).
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// `Requirement.Matches`: does this requirement hold for `labels`?
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let got = labels.get(&self.key);
        match self.operator {
            Operator::In | Operator::Equals | Operator::DoubleEquals => {
                got.is_some_and(|v| self.values.contains(v))
            }
            Operator::NotIn | Operator::NotEquals => got.is_none_or(|v| !self.values.contains(v)),
            Operator::Exists => got.is_some(),
            Operator::DoesNotExist => got.is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                let Some(Ok(have)) = got.map(|v| v.parse::<i64>()) else {
                    return false;
                };
                let [want] = self.values.as_slice() else {
                    return false;
                };
                let Ok(want) = want.parse::<i64>() else {
                    return false;
                };
                if self.operator == Operator::GreaterThan {
                    have > want
                } else {
                    have < want
                }
            }
        }
    }
}

impl fmt::Display for Requirement {
    /// Upstream `Requirement.String()`: `!key`, `key`, `key=v`, `key in (a,b)` (values sorted).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.operator == Operator::DoesNotExist {
            f.write_str("!")?;
        }
        f.write_str(&self.key)?;
        let op = match self.operator {
            Operator::Equals => "=",
            Operator::DoubleEquals => "==",
            Operator::NotEquals => "!=",
            Operator::In => " in ",
            Operator::NotIn => " notin ",
            Operator::GreaterThan => ">",
            Operator::LessThan => "<",
            Operator::Exists | Operator::DoesNotExist => return Ok(()),
        };
        f.write_str(op)?;
        let set = matches!(self.operator, Operator::In | Operator::NotIn);
        if set {
            f.write_str("(")?;
        }
        let mut vals: Vec<&str> = self.values.iter().map(String::as_str).collect();
        crate::engine::sort::sort(&mut vals);
        f.write_str(&vals.join(","))?;
        if set {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// A label selector: the AND of its requirements, kept sorted by key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    requirements: Vec<Requirement>,
    nothing: bool,
}

impl Selector {
    /// `labels.Everything()`: matches every label set; `is_empty()` is true.
    pub fn everything() -> Self {
        Selector {
            requirements: Vec::new(),
            nothing: false,
        }
    }

    /// `labels.Nothing()`: matches no label set (what a nil `*LabelSelector` selects).
    pub fn nothing() -> Self {
        Selector {
            requirements: Vec::new(),
            nothing: true,
        }
    }

    /// `labels.Parse`: parses kubectl `-l` syntax (`a=b,c!=d,e in (x,y),f notin (z),g,!h,i>1`).
    /// The empty string selects everything.
    pub fn parse(input: &str) -> Result<Self, SelectorError> {
        let mut reqs = Parser::new(input).parse()?;
        crate::engine::sort::sort_by(&mut reqs, |a, b| a.key.cmp(&b.key));
        Ok(Selector {
            requirements: reqs,
            nothing: false,
        })
    }

    /// `labels.SelectorFromSet`: `k=v` for every entry (no validation, like upstream); an empty
    /// map selects everything. This is how a Service or ReplicationController selector matches.
    pub fn from_map(set: &BTreeMap<String, String>) -> Self {
        Selector {
            requirements: set
                .iter()
                .map(|(k, v)| Requirement {
                    key: k.clone(),
                    operator: Operator::Equals,
                    values: vec![v.clone()],
                })
                .collect(),
            nothing: false,
        }
    }

    /// `metav1.LabelSelectorAsSelector`: `matchLabels` as `k=v`, `matchExpressions` as
    /// In / NotIn / Exists / DoesNotExist; an empty selector (`{}`) selects everything.
    pub fn from_label_selector(ls: &LabelSelector) -> Result<Self, SelectorError> {
        let labels = ls.match_labels.as_ref();
        let exprs = ls.match_expressions.as_ref();
        if labels.map_or(0, BTreeMap::len) + exprs.map_or(0, Vec::len) == 0 {
            return Ok(Self::everything());
        }
        let mut reqs = Vec::new();
        for (k, v) in labels.into_iter().flatten() {
            reqs.push(
                Requirement::new_inner(k, Operator::Equals, vec![v.clone()], true)
                    .map_err(SelectorError::Invalid)?,
            );
        }
        for e in exprs.into_iter().flatten() {
            let op = match e.operator.as_str() {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                other => return Err(SelectorError::InvalidOperator(other.to_string())),
            };
            let values = e.values.clone().unwrap_or_default();
            reqs.push(
                Requirement::new_inner(&e.key, op, values, true).map_err(SelectorError::Invalid)?,
            );
        }
        crate::engine::sort::sort_by(&mut reqs, |a, b| a.key.cmp(&b.key));
        Ok(Selector {
            requirements: reqs,
            nothing: false,
        })
    }

    /// Does the selector match this label set? (`Selector.Matches`)
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        !self.nothing && self.requirements.iter().all(|r| r.matches(labels))
    }

    /// True when the selector does not restrict anything (`Selector.Empty`); false for
    /// [`Selector::nothing`].
    pub fn is_empty(&self) -> bool {
        !self.nothing && self.requirements.is_empty()
    }

    /// The requirements, sorted by key.
    pub fn requirements(&self) -> &[Requirement] {
        &self.requirements
    }
}

impl fmt::Display for Selector {
    /// Upstream `String()`: requirements sorted by key, comma-joined; `""` for everything/nothing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.requirements.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

/// `metav1.FormatLabelSelector`: what `kubectl get -o wide` prints in SELECTOR for a workload:
/// `<none>` when the selector selects everything, `<error>` when it is invalid.
pub fn format_label_selector(ls: &LabelSelector) -> String {
    match Selector::from_label_selector(ls) {
        Err(_) => "<error>".to_string(),
        Ok(s) => {
            let out = s.to_string();
            if out.is_empty() {
                "<none>".to_string()
            } else {
                out
            }
        }
    }
}

/// `labels.FormatLabels`: `k=v` comma-joined in key order, `<none>` when empty (a Service's
/// SELECTOR column, `kubectl get --show-labels`).
pub fn format_labels(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".to_string();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

// ---------------------------------------------------------------------------------------------
// Lexer and parser (labels/selector.go)

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Error,
    EndOfString,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

fn string_to_token(s: &[u8]) -> Option<Token> {
    Some(match s {
        b")" => Token::ClosedPar,
        b"," => Token::Comma,
        b"!" => Token::DoesNotExist,
        b"==" => Token::DoubleEquals,
        b"=" => Token::Equals,
        b">" => Token::GreaterThan,
        b"in" => Token::In,
        b"<" => Token::LessThan,
        b"!=" => Token::NotEquals,
        b"notin" => Token::NotIn,
        b"(" => Token::OpenPar,
        _ => return None,
    })
}

fn is_whitespace(ch: u8) -> bool {
    matches!(ch, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special_symbol(ch: u8) -> bool {
    matches!(ch, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

struct Lexer<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Lexer<'_> {
    /// Next byte, or 0 at the end (a NUL byte also ends the input, as upstream).
    fn read(&mut self) -> u8 {
        match self.s.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                b
            }
            None => 0,
        }
    }

    fn unread(&mut self) {
        self.pos = self.pos.saturating_sub(1);
    }

    fn scan_id_or_keyword(&mut self) -> (Token, String) {
        let mut buf = Vec::new();
        loop {
            let ch = self.read();
            if ch == 0 {
                break;
            }
            if is_special_symbol(ch) || is_whitespace(ch) {
                self.unread();
                break;
            }
            buf.push(ch);
        }
        let lit = String::from_utf8_lossy(&buf).into_owned();
        match string_to_token(&buf) {
            Some(t) => (t, lit),
            None => (Token::Identifier, lit),
        }
    }

    fn scan_special_symbol(&mut self) -> (Token, String) {
        let mut last: Option<(Token, String)> = None;
        let mut buf = Vec::new();
        loop {
            let ch = self.read();
            if ch == 0 {
                break;
            }
            if !is_special_symbol(ch) {
                self.unread();
                break;
            }
            buf.push(ch);
            if let Some(t) = string_to_token(&buf) {
                last = Some((t, String::from_utf8_lossy(&buf).into_owned()));
            } else if last.is_some() {
                self.unread();
                break;
            }
        }
        match last {
            Some(item) => item,
            None => (
                Token::Error,
                format!(
                    "error expected: keyword found '{}'",
                    String::from_utf8_lossy(&buf)
                ),
            ),
        }
    }

    fn lex(&mut self) -> (Token, String) {
        let mut ch = self.read();
        while is_whitespace(ch) {
            ch = self.read();
        }
        if ch == 0 {
            return (Token::EndOfString, String::new());
        }
        self.unread();
        if is_special_symbol(ch) {
            self.scan_special_symbol()
        } else {
            self.scan_id_or_keyword()
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    KeyAndOperator,
    Values,
}

struct Parser {
    items: Vec<(Token, String)>,
    position: usize,
}

const BINARY_OPERATORS: &str = "in, notin, =, ==, !=, gt, lt";

impl Parser {
    fn new(input: &str) -> Self {
        let mut lexer = Lexer {
            s: input.as_bytes(),
            pos: 0,
        };
        let mut items = Vec::new();
        loop {
            let (tok, lit) = lexer.lex();
            items.push((tok, lit));
            if tok == Token::EndOfString {
                break;
            }
        }
        Parser { items, position: 0 }
    }

    fn item(&self, idx: usize, ctx: Context) -> (Token, String) {
        let (tok, lit) = self
            .items
            .get(idx)
            .cloned()
            .unwrap_or((Token::EndOfString, String::new()));
        let tok = match (ctx, tok) {
            (Context::Values, Token::In | Token::NotIn) => Token::Identifier,
            _ => tok,
        };
        (tok, lit)
    }

    fn lookahead(&self, ctx: Context) -> (Token, String) {
        self.item(self.position, ctx)
    }

    fn consume(&mut self, ctx: Context) -> (Token, String) {
        let it = self.item(self.position, ctx);
        if self.position < self.items.len() {
            self.position += 1;
        }
        it
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, SelectorError> {
        let mut reqs = Vec::new();
        loop {
            let (tok, lit) = self.lookahead(Context::Values);
            match tok {
                Token::Identifier | Token::DoesNotExist => {
                    let r = self
                        .parse_requirement()
                        .map_err(SelectorError::Requirement)?;
                    reqs.push(r);
                    let (t, l) = self.consume(Context::Values);
                    match t {
                        Token::EndOfString => return Ok(reqs),
                        Token::Comma => {
                            let (t2, l2) = self.lookahead(Context::Values);
                            if t2 != Token::Identifier && t2 != Token::DoesNotExist {
                                return Err(SelectorError::Syntax(format!(
                                    "found '{l2}', expected: identifier after ','"
                                )));
                            }
                        }
                        _ => {
                            return Err(SelectorError::Syntax(format!(
                                "found '{l}', expected: ',' or 'end of string'"
                            )))
                        }
                    }
                }
                Token::EndOfString => return Ok(reqs),
                _ => {
                    return Err(SelectorError::Syntax(format!(
                        "found '{lit}', expected: !, identifier, or 'end of string'"
                    )))
                }
            }
        }
    }

    fn parse_requirement(&mut self) -> Result<Requirement, String> {
        let (key, op) = self.parse_key_and_infer_operator()?;
        if let Some(op @ (Operator::Exists | Operator::DoesNotExist)) = op {
            return Requirement::new_inner(&key, op, Vec::new(), false);
        }
        let op = self.parse_operator()?;
        let values = match op {
            Operator::In | Operator::NotIn => self.parse_values()?,
            _ => self.parse_exact_value()?,
        };
        Requirement::new_inner(&key, op, values.into_iter().collect(), false)
    }

    fn parse_key_and_infer_operator(&mut self) -> Result<(String, Option<Operator>), String> {
        let mut op = None;
        let (mut tok, mut lit) = self.consume(Context::Values);
        if tok == Token::DoesNotExist {
            op = Some(Operator::DoesNotExist);
            (tok, lit) = self.consume(Context::Values);
        }
        if tok != Token::Identifier {
            return Err(format!("found '{lit}', expected: identifier"));
        }
        if let Some(e) = validate_label_key(&lit, "<nil>") {
            return Err(e);
        }
        let (t, _) = self.lookahead(Context::Values);
        if (t == Token::EndOfString || t == Token::Comma) && op.is_none() {
            op = Some(Operator::Exists);
        }
        Ok((lit, op))
    }

    fn parse_operator(&mut self) -> Result<Operator, String> {
        let (tok, lit) = self.consume(Context::KeyAndOperator);
        Ok(match tok {
            Token::In => Operator::In,
            Token::Equals => Operator::Equals,
            Token::DoubleEquals => Operator::DoubleEquals,
            Token::GreaterThan => Operator::GreaterThan,
            Token::LessThan => Operator::LessThan,
            Token::NotIn => Operator::NotIn,
            Token::NotEquals => Operator::NotEquals,
            _ => return Err(format!("found '{lit}', expected: {BINARY_OPERATORS}")),
        })
    }

    fn parse_values(&mut self) -> Result<BTreeSet<String>, String> {
        let (tok, lit) = self.consume(Context::Values);
        if tok != Token::OpenPar {
            return Err(format!("found '{lit}' expected: '('"));
        }
        let (tok, lit) = self.lookahead(Context::Values);
        match tok {
            Token::Identifier | Token::Comma => {
                let s = self.parse_identifiers_list()?;
                let (tok, _) = self.consume(Context::Values);
                if tok != Token::ClosedPar {
                    return Err(format!("found '{lit}', expected: ')'"));
                }
                Ok(s)
            }
            Token::ClosedPar => {
                self.consume(Context::Values);
                Ok(BTreeSet::from([String::new()]))
            }
            _ => Err(format!("found '{lit}', expected: ',', ')' or identifier")),
        }
    }

    fn parse_identifiers_list(&mut self) -> Result<BTreeSet<String>, String> {
        let mut s = BTreeSet::new();
        loop {
            let (tok, lit) = self.consume(Context::Values);
            match tok {
                Token::Identifier => {
                    s.insert(lit);
                    let (tok2, lit2) = self.lookahead(Context::Values);
                    match tok2 {
                        Token::Comma => continue,
                        Token::ClosedPar => return Ok(s),
                        _ => return Err(format!("found '{lit2}', expected: ',' or ')'")),
                    }
                }
                Token::Comma => {
                    if s.is_empty() {
                        s.insert(String::new());
                    }
                    let (tok2, _) = self.lookahead(Context::Values);
                    if tok2 == Token::ClosedPar {
                        s.insert(String::new());
                        return Ok(s);
                    }
                    if tok2 == Token::Comma {
                        s.insert(String::new());
                    }
                }
                _ => return Err(format!("found '{lit}', expected: ',', or identifier")),
            }
        }
    }

    fn parse_exact_value(&mut self) -> Result<BTreeSet<String>, String> {
        let (tok, _) = self.lookahead(Context::Values);
        if tok == Token::EndOfString || tok == Token::Comma {
            return Ok(BTreeSet::from([String::new()]));
        }
        let (tok, lit) = self.consume(Context::Values);
        if tok == Token::Identifier {
            return Ok(BTreeSet::from([lit]));
        }
        Err(format!("found '{lit}', expected: identifier"))
    }
}

// ---------------------------------------------------------------------------------------------
// Validation (util/validation/validation.go) and Go-style formatting helpers

const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_ERR: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_ERR: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_ERR: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

/// `validation.RegexError`.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut out = format!("{msg} (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push('\'');
        out.push_str(e);
        out.push_str("', ");
    }
    out.push_str("regex used for validation is '");
    out.push_str(fmt);
    out.push_str("')");
    out
}

/// `^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`
fn is_qualified_name_part(s: &str) -> bool {
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

/// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
fn is_dns1123_subdomain(s: &str) -> bool {
    let lower_alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    s.split('.').all(|label| {
        let b = label.as_bytes();
        match (b.first(), b.last()) {
            (Some(f), Some(l)) => {
                lower_alnum(f) && lower_alnum(l) && b.iter().all(|c| lower_alnum(c) || *c == b'-')
            }
            _ => false,
        }
    })
}

/// `validation.IsQualifiedName`.
fn qualified_name_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                if prefix.len() > 253 {
                    errs.push("prefix part must be no more than 253 characters".to_string());
                }
                if !is_dns1123_subdomain(prefix) {
                    errs.push(format!(
                        "prefix part {}",
                        regex_error(
                            DNS1123_SUBDOMAIN_ERR,
                            DNS1123_SUBDOMAIN_FMT,
                            &["example.com"]
                        )
                    ));
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
        errs.push("name part must be no more than 63 characters".to_string());
    }
    if !is_qualified_name_part(name) {
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

/// `validation.IsValidLabelValue`.
fn label_value_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !value.is_empty() && !is_qualified_name_part(value) {
        errs.push(regex_error(
            LABEL_VALUE_ERR,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// `validateLabelKey`: a `field.Invalid` at `path` (`<nil>` for the parser's nil path).
fn validate_label_key(key: &str, path: &str) -> Option<String> {
    let errs = qualified_name_errors(key);
    if errs.is_empty() {
        None
    } else {
        Some(format!(
            "{path}: Invalid value: {}: {}",
            go_quote(key),
            errs.join("; ")
        ))
    }
}

/// `utilerrors.NewAggregate(...).Error()`: one message as is, several de-duplicated in `[a, b]`.
fn aggregate(errs: Vec<String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for e in errs {
        if !seen.contains(&e) {
            seen.push(e);
        }
    }
    if seen.len() == 1 {
        seen.join("")
    } else {
        format!("[{}]", seen.join(", "))
    }
}

/// Go's `%q` for a string (`strconv.Quote`).
fn go_quote(s: &str) -> String {
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
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%#v` for a `[]string`.
fn go_string_slice(values: &[String], nil: bool) -> String {
    if values.is_empty() && nil {
        return "[]string(nil)".to_string();
    }
    let inner: Vec<String> = values.iter().map(|v| go_quote(v)).collect();
    format!("[]string{{{}}}", inner.join(", "))
}

// ---------------------------------------------------------------------------------------------
// Field selectors (fields/selector.go)

/// Errors from parsing or checking a field selector. `Display` is exactly what kubectl prints
/// after its `error: ` prefix (server-side errors also get kubectl's `Error from server
/// (BadRequest): ...` wrapper from the caller).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldSelectorError {
    /// A term with no `=`, `==` or `!=`.
    #[error("invalid selector: '{selector}'; can't understand '{term}'")]
    CantUnderstand {
        /// The whole selector as given.
        selector: String,
        /// The offending term.
        term: String,
    },
    /// A backslash escape other than `\\`, `\,`, `\=` (or a trailing backslash).
    #[error("invalid field selector: invalid escape sequence: {0}")]
    InvalidEscape(String),
    /// An unescaped `,` or `=` in a value; upstream prints the rune as a number (`%v`).
    #[error("invalid field selector: unescaped character in value: {}", *.0 as u32)]
    UnescapedRune(char),
    /// A field the kind's field-label conversion rejects.
    #[error("field label not supported: {0}")]
    NotSupported(String),
    /// A field rejected by the default conversion (kinds with no registered field labels).
    #[error("{} is not a known field selector: only \"metadata.name\", \"metadata.namespace\"", go_quote(.0))]
    NotKnown(String),
}

/// `=`/`==` or `!=` in a field selector term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldOp {
    /// `field=value` or `field==value`
    Equals,
    /// `field!=value`
    NotEquals,
}

/// One `field=value` / `field!=value` term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldTerm {
    /// The field path, e.g. `spec.nodeName`.
    pub field: String,
    /// The comparison.
    pub op: FieldOp,
    /// The unescaped value.
    pub value: String,
}

/// A field selector (`--field-selector`): the AND of its terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSelector {
    terms: Vec<FieldTerm>,
}

impl FieldSelector {
    /// `fields.Everything()`.
    pub fn everything() -> Self {
        FieldSelector::default()
    }

    /// `fields.ParseSelector`: comma-separated `a=b`, `a==b`, `a!=b` terms (terms sorted as
    /// strings, as upstream); `\,`, `\=` and `\\` escape those characters in values. No
    /// whitespace trimming (upstream does none either).
    pub fn parse(selector: &str) -> Result<Self, FieldSelectorError> {
        let mut parts = split_terms(selector);
        crate::engine::sort::sort(&mut parts);
        let mut terms = Vec::new();
        for part in parts {
            if part.is_empty() {
                continue;
            }
            let Some((lhs, op, rhs)) = split_term(part) else {
                return Err(FieldSelectorError::CantUnderstand {
                    selector: selector.to_string(),
                    term: part.to_string(),
                });
            };
            terms.push(FieldTerm {
                field: lhs.to_string(),
                op,
                value: unescape_value(rhs)?,
            });
        }
        Ok(FieldSelector { terms })
    }

    /// The terms, in upstream's (sorted) order.
    pub fn terms(&self) -> &[FieldTerm] {
        &self.terms
    }

    /// True when the selector has no terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Matches against an object's selectable fields (see [`object_fields`]); a missing field
    /// reads as `""`, as `fields.Set.Get` does.
    pub fn matches(&self, fields: &BTreeMap<String, String>) -> bool {
        self.terms.iter().all(|t| {
            let have = fields.get(&t.field).map_or("", String::as_str);
            match t.op {
                FieldOp::Equals => have == t.value,
                FieldOp::NotEquals => have != t.value,
            }
        })
    }

    /// The API server's field-label conversion for `kind` (e.g. `Pod`): the first unsupported
    /// field is an error, worded as upstream's conversion function for that kind words it.
    pub fn check_supported(&self, kind: &str) -> Result<(), FieldSelectorError> {
        let supported = supported_field_labels(kind);
        for t in &self.terms {
            if !supported.contains(&t.field.as_str()) {
                return Err(if has_registered_field_labels(kind) {
                    FieldSelectorError::NotSupported(t.field.clone())
                } else {
                    FieldSelectorError::NotKnown(t.field.clone())
                });
            }
        }
        Ok(())
    }
}

impl fmt::Display for FieldSelector {
    /// Upstream `String()`: `field=value` / `field!=value` with `\`, `,`, `=` escaped, comma-joined.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, t) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            let op = match t.op {
                FieldOp::Equals => "=",
                FieldOp::NotEquals => "!=",
            };
            write!(f, "{}{op}{}", t.field, escape_value(&t.value))?;
        }
        Ok(())
    }
}

fn split_terms(s: &str) -> Vec<&str> {
    if s.is_empty() {
        return Vec::new();
    }
    let mut terms = Vec::new();
    let mut start = 0;
    let mut in_slash = false;
    for (i, c) in s.char_indices() {
        if in_slash {
            in_slash = false;
        } else if c == '\\' {
            in_slash = true;
        } else if c == ',' {
            terms.push(s.get(start..i).unwrap_or(""));
            start = i + 1;
        }
    }
    terms.push(s.get(start..).unwrap_or(""));
    terms
}

fn split_term(term: &str) -> Option<(&str, FieldOp, &str)> {
    for (i, _) in term.char_indices() {
        let rest = term.get(i..).unwrap_or("");
        for (op_str, op) in [
            ("!=", FieldOp::NotEquals),
            ("==", FieldOp::Equals),
            ("=", FieldOp::Equals),
        ] {
            if let Some(rhs) = rest.strip_prefix(op_str) {
                return Some((term.get(..i).unwrap_or(""), op, rhs));
            }
        }
    }
    None
}

fn unescape_value(s: &str) -> Result<String, FieldSelectorError> {
    let mut out = String::with_capacity(s.len());
    let mut in_slash = false;
    for c in s.chars() {
        if in_slash {
            match c {
                '\\' | ',' | '=' => out.push(c),
                _ => return Err(FieldSelectorError::InvalidEscape(format!("\\{c}"))),
            }
            in_slash = false;
            continue;
        }
        match c {
            '\\' => in_slash = true,
            ',' | '=' => return Err(FieldSelectorError::UnescapedRune(c)),
            _ => out.push(c),
        }
    }
    if in_slash {
        return Err(FieldSelectorError::InvalidEscape("\\".to_string()));
    }
    Ok(out)
}

fn escape_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | ',' | '=') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Kinds whose field-label conversion is registered upstream (and so say `field label not
/// supported: X`); every other kind goes through the default metadata-only conversion.
fn has_registered_field_labels(kind: &str) -> bool {
    matches!(
        kind,
        "Pod"
            | "Node"
            | "ReplicationController"
            | "Event"
            | "Namespace"
            | "Secret"
            | "Service"
            | "ReplicaSet"
            | "StatefulSet"
            | "Job"
    )
}

/// The field labels `--field-selector` accepts for `kind` (upstream's conversion functions).
/// Kinds without their own list accept `metadata.name` and `metadata.namespace`.
pub fn supported_field_labels(kind: &str) -> &'static [&'static str] {
    match kind {
        "Pod" => &[
            "metadata.name",
            "metadata.namespace",
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.podIPs",
            "status.nominatedNodeName",
        ],
        "Node" => &["metadata.name", "spec.unschedulable"],
        "ReplicationController" | "ReplicaSet" => {
            &["metadata.name", "metadata.namespace", "status.replicas"]
        }
        "StatefulSet" | "Job" => &["metadata.name", "metadata.namespace", "status.successful"],
        "Event" => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
            "metadata.namespace",
            "metadata.name",
        ],
        "Namespace" => &["status.phase", "metadata.name"],
        "Secret" => &["type", "metadata.namespace", "metadata.name"],
        "Service" => &[
            "metadata.namespace",
            "metadata.name",
            "spec.clusterIP",
            "spec.type",
        ],
        _ => &["metadata.name", "metadata.namespace"],
    }
}

fn str_at(obj: &Value, path: &[&str]) -> String {
    let mut cur = obj;
    for p in path {
        match cur.get(p) {
            Some(v) => cur = v,
            None => return String::new(),
        }
    }
    match cur {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

fn bool_at(obj: &Value, path: &[&str]) -> String {
    let mut cur = obj;
    for p in path {
        match cur.get(p) {
            Some(v) => cur = v,
            None => return "false".to_string(),
        }
    }
    cur.as_bool().unwrap_or(false).to_string()
}

/// The selectable fields of an object of `kind`, from its upstream JSON: `metadata.name`, plus
/// `metadata.namespace` for namespaced objects (when the JSON has one), plus the kind's own
/// fields as `PodToSelectableFields`, `NodeToSelectableFields`, ... compute them.
pub fn object_fields(kind: &str, obj: &Value) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        m.insert(k.to_string(), v);
    };
    put("metadata.name", str_at(obj, &["metadata", "name"]));
    if obj
        .get("metadata")
        .and_then(|md| md.get("namespace"))
        .is_some()
    {
        put(
            "metadata.namespace",
            str_at(obj, &["metadata", "namespace"]),
        );
    }
    match kind {
        "Pod" => {
            put("spec.nodeName", str_at(obj, &["spec", "nodeName"]));
            put(
                "spec.restartPolicy",
                str_at(obj, &["spec", "restartPolicy"]),
            );
            put(
                "spec.schedulerName",
                str_at(obj, &["spec", "schedulerName"]),
            );
            put(
                "spec.serviceAccountName",
                str_at(obj, &["spec", "serviceAccountName"]),
            );
            put("spec.hostNetwork", bool_at(obj, &["spec", "hostNetwork"]));
            put("status.phase", str_at(obj, &["status", "phase"]));
            let ips: Vec<String> = obj
                .get("status")
                .and_then(|s| s.get("podIPs"))
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|ip| str_at(ip, &["ip"])).collect())
                .unwrap_or_default();
            let first = ips
                .first()
                .cloned()
                .unwrap_or_else(|| str_at(obj, &["status", "podIP"]));
            put("status.podIP", first);
            put("status.podIPs", ips.join(","));
            put(
                "status.nominatedNodeName",
                str_at(obj, &["status", "nominatedNodeName"]),
            );
        }
        "Node" => put(
            "spec.unschedulable",
            bool_at(obj, &["spec", "unschedulable"]),
        ),
        "ReplicationController" | "ReplicaSet" => {
            let r = obj
                .get("status")
                .and_then(|s| s.get("replicas"))
                .and_then(Value::as_i64)
                .unwrap_or(0);
            put("status.replicas", r.to_string());
        }
        "Job" => {
            let r = obj
                .get("status")
                .and_then(|s| s.get("succeeded"))
                .and_then(Value::as_i64)
                .unwrap_or(0);
            put("status.successful", r.to_string());
        }
        "Event" => {
            for f in [
                "kind",
                "namespace",
                "name",
                "uid",
                "apiVersion",
                "resourceVersion",
                "fieldPath",
            ] {
                put(
                    &format!("involvedObject.{f}"),
                    str_at(obj, &["involvedObject", f]),
                );
            }
            put("reason", str_at(obj, &["reason"]));
            put("reportingComponent", str_at(obj, &["reportingComponent"]));
            // `EventToSelectableFields`: an events.k8s.io/v1 event (the scheduler's) has no
            // source component; its reporting controller stands in.
            let component = str_at(obj, &["source", "component"]);
            let source = if component.is_empty() {
                str_at(obj, &["reportingComponent"])
            } else {
                component
            };
            put("source", source);
            put("type", str_at(obj, &["type"]));
        }
        "Namespace" => put("status.phase", str_at(obj, &["status", "phase"])),
        "Secret" => put("type", str_at(obj, &["type"])),
        "Service" => {
            put("spec.clusterIP", str_at(obj, &["spec", "clusterIP"]));
            put("spec.type", str_at(obj, &["spec", "type"]));
        }
        _ => {}
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a case exercises.
    enum Sel {
        /// `Lexer::lex` on the input: want is `"{token:?} {literal}"`.
        Lex(&'static str),
        /// `Selector::parse`: want is the canonical `Display`.
        Label(&'static str),
        /// `Requirement::new`: want is the requirement's `Display`.
        Req(&'static str, Operator, &'static [&'static str]),
        /// `Selector::from_label_selector` on a LabelSelector JSON.
        FromLs(&'static str),
        /// `format_label_selector` on a LabelSelector JSON.
        FormatLs(&'static str),
        /// `FieldSelector::parse`.
        Field(&'static str),
        /// `FieldSelector::parse` then `check_supported(kind)`: want is `ok` on success.
        FieldFor(&'static str, &'static str),
    }

    type Labels = &'static [(&'static str, &'static str)];
    type Matcher = Box<dyn Fn(&BTreeMap<String, String>) -> bool>;

    struct Case {
        sel: Sel,
        /// The result's `Display`, or `error: ` + the error's `Display`.
        want: &'static str,
        /// Label (or field) sets and whether the parsed selector must match them.
        matches: &'static [(Labels, bool)],
    }

    fn map(l: Labels) -> BTreeMap<String, String> {
        l.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn ls(json: &str) -> LabelSelector {
        serde_json::from_str(json).unwrap()
    }

    fn check(cases: &[Case]) {
        for c in cases {
            let (got, matcher): (Result<String, String>, Option<Matcher>) = match &c.sel {
                Sel::Lex(input) => {
                    let mut l = Lexer {
                        s: input.as_bytes(),
                        pos: 0,
                    };
                    let (t, lit) = l.lex();
                    (Ok(format!("{t:?} {lit}")), None)
                }
                Sel::Label(input) => match Selector::parse(input) {
                    Ok(s) => (Ok(s.to_string()), Some(Box::new(move |m| s.matches(m)))),
                    Err(e) => (Err(e.to_string()), None),
                },
                Sel::Req(key, op, vals) => {
                    match Requirement::new(key, *op, vals.iter().map(|v| v.to_string()).collect()) {
                        Ok(r) => (Ok(r.to_string()), Some(Box::new(move |m| r.matches(m)))),
                        Err(e) => (Err(e.to_string()), None),
                    }
                }
                Sel::FromLs(json) => match Selector::from_label_selector(&ls(json)) {
                    Ok(s) => (Ok(s.to_string()), Some(Box::new(move |m| s.matches(m)))),
                    Err(e) => (Err(e.to_string()), None),
                },
                Sel::FormatLs(json) => (Ok(format_label_selector(&ls(json))), None),
                Sel::Field(input) => match FieldSelector::parse(input) {
                    Ok(s) => (Ok(s.to_string()), Some(Box::new(move |m| s.matches(m)))),
                    Err(e) => (Err(e.to_string()), None),
                },
                Sel::FieldFor(kind, input) => {
                    let r = FieldSelector::parse(input).and_then(|s| s.check_supported(kind));
                    (
                        r.map(|()| "ok".to_string()).map_err(|e| e.to_string()),
                        None,
                    )
                }
            };
            let got = got.unwrap_or_else(|e| format!("error: {e}"));
            assert_eq!(got, c.want, "case {:?}", c.want);
            for (labels, want) in c.matches {
                let m = matcher.as_ref().expect("matches given for a failing case");
                assert_eq!(m(&map(labels)), *want, "{} against {labels:?}", c.want);
            }
        }
    }

    const NAME_PART_REGEX: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    #[test]
    fn lexer() {
        use Sel::Lex;
        let c = |input, want| Case {
            sel: Lex(input),
            want,
            matches: &[],
        };
        check(&[
            c("", "EndOfString "),
            c(",", "Comma ,"),
            c("notin", "NotIn notin"),
            c("in", "In in"),
            c("=", "Equals ="),
            c("==", "DoubleEquals =="),
            c(">", "GreaterThan >"),
            c("<", "LessThan <"),
            c("!", "DoesNotExist !"),
            c("!=", "NotEquals !="),
            c("(", "OpenPar ("),
            c(")", "ClosedPar )"),
            c("~", "Identifier ~"),
            c("||", "Identifier ||"),
            c("  \t key ", "Identifier key"),
            c("!!", "DoesNotExist !"),
            c("=!", "Equals ="),
            c("inx", "Identifier inx"),
        ]);
    }

    #[test]
    fn label_selector_parse_and_match() {
        check(&[
            Case { sel: Sel::Label("x=a,y=b,z=c"), want: "x=a,y=b,z=c", matches: &[
                (&[("x", "a"), ("y", "b"), ("z", "c")], true),
                (&[("x", "a"), ("y", "b")], false),
            ] },
            Case { sel: Sel::Label(""), want: "", matches: &[(&[], true), (&[("a", "b")], true)] },
            Case { sel: Sel::Label("x!=a,y=b"), want: "x!=a,y=b", matches: &[
                (&[("y", "b")], true),
                (&[("x", "a"), ("y", "b")], false),
                (&[("x", "c"), ("y", "b")], true),
            ] },
            Case { sel: Sel::Label("x="), want: "x=", matches: &[(&[("x", "")], true), (&[], false)] },
            Case { sel: Sel::Label("x= "), want: "x=", matches: &[] },
            Case { sel: Sel::Label("x=,z= "), want: "x=,z=", matches: &[] },
            Case { sel: Sel::Label("x= ,z= "), want: "x=,z=", matches: &[] },
            Case { sel: Sel::Label("!x"), want: "!x", matches: &[(&[], true), (&[("x", "")], false)] },
            Case { sel: Sel::Label("x"), want: "x", matches: &[(&[("x", "")], true), (&[("y", "")], false)] },
            Case { sel: Sel::Label("x>1"), want: "x>1", matches: &[
                (&[("x", "2")], true),
                (&[("x", "1")], false),
                (&[("x", "a")], false),
                (&[], false),
            ] },
            Case { sel: Sel::Label("x>1,z<5"), want: "x>1,z<5", matches: &[
                (&[("x", "2"), ("z", "-3")], true),
                (&[("x", "2"), ("z", "5")], false),
            ] },
            Case { sel: Sel::Label("x==a"), want: "x==a", matches: &[(&[("x", "a")], true)] },
            Case { sel: Sel::Label("tier in (b,a),app=fluentd"), want: "app=fluentd,tier in (a,b)", matches: &[
                (&[("app", "fluentd"), ("tier", "b")], true),
                (&[("app", "fluentd"), ("tier", "c")], false),
                (&[("app", "fluentd")], false),
            ] },
            Case { sel: Sel::Label("x notin (a)"), want: "x notin (a)", matches: &[
                (&[], true),
                (&[("x", "a")], false),
                (&[("x", "b")], true),
            ] },
            Case { sel: Sel::Label("x in (foo,,baz),y,z notin ()"), want: "x in (,baz,foo),y,z notin ()", matches: &[
                (&[("x", ""), ("y", "1")], true),
                (&[("x", "foo"), ("y", "1"), ("z", "")], false),
            ] },
            Case { sel: Sel::Label("  a  =  b  ,  c  "), want: "a=b,c", matches: &[] },
            Case { sel: Sel::Label("in in (in,notin)"), want: "in in (in,notin)", matches: &[(&[("in", "notin")], true)] },
            Case { sel: Sel::Label("example.com/app=x,b=c,a=d"), want: "a=d,b=c,example.com/app=x", matches: &[] },
            Case { sel: Sel::Label("a=b,a=c"), want: "a=b,a=c", matches: &[(&[("a", "b")], false)] },
            // Errors, worded as upstream's parser words them.
            Case { sel: Sel::Label("a in b"), want: "error: unable to parse requirement: found 'b' expected: '('", matches: &[] },
            Case { sel: Sel::Label("=x"), want: "error: found '=', expected: !, identifier, or 'end of string'", matches: &[] },
            Case { sel: Sel::Label("x==a==b"), want: "error: found '==', expected: ',' or 'end of string'", matches: &[] },
            Case { sel: Sel::Label("!x=a"), want: "error: found '=', expected: ',' or 'end of string'", matches: &[] },
            Case { sel: Sel::Label("a,"), want: "error: found '', expected: identifier after ','", matches: &[] },
            Case { sel: Sel::Label("a,,b"), want: "error: found ',', expected: identifier after ','", matches: &[] },
            Case { sel: Sel::Label("a b"), want: "error: unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt", matches: &[] },
            Case { sel: Sel::Label("!"), want: "error: unable to parse requirement: found '', expected: identifier", matches: &[] },
            Case { sel: Sel::Label("a=("), want: "error: unable to parse requirement: found '(', expected: identifier", matches: &[] },
            Case { sel: Sel::Label("a in (b"), want: "error: unable to parse requirement: found '', expected: ',' or ')'", matches: &[] },
            Case { sel: Sel::Label("a in (="), want: "error: unable to parse requirement: found '=', expected: ',', ')' or identifier", matches: &[] },
            Case { sel: Sel::Label("a in (b,="), want: "error: unable to parse requirement: found '=', expected: ',', or identifier", matches: &[] },
            Case { sel: Sel::Label("x<a"), want: "error: unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer", matches: &[] },
            Case { sel: Sel::Label("x=a||y=b"), want: "error: unable to parse requirement: values[0][x]: Invalid value: \"a||y\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')", matches: &[] },
            Case { sel: Sel::Label("x/=a"), want: "error: unable to parse requirement: <nil>: Invalid value: \"x/\": name part must be non-empty; name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')", matches: &[] },
            Case { sel: Sel::Label("-a=b"), want: "error: unable to parse requirement: <nil>: Invalid value: \"-a\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')", matches: &[] },
            Case { sel: Sel::Label("a/b/c"), want: "error: unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')", matches: &[] },
            Case { sel: Sel::Label("Example.com/a"), want: "error: unable to parse requirement: <nil>: Invalid value: \"Example.com/a\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')", matches: &[] },
            Case { sel: Sel::Label("/a"), want: "error: unable to parse requirement: <nil>: Invalid value: \"/a\": prefix part must be non-empty", matches: &[] },
            Case { sel: Sel::Label("a=\"b\""), want: "error: unable to parse requirement: values[0][a]: Invalid value: \"\\\"b\\\"\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')", matches: &[] },
        ]);
    }

    #[test]
    fn requirement_constructor() {
        let key_empty: &'static str = Box::leak(
            format!(
                "error: key: Invalid value: \"\": name part must be non-empty; {NAME_PART_REGEX}"
            )
            .into_boxed_str(),
        );
        check(&[
            Case { sel: Sel::Req("x1", Operator::In, &[]), want: "error: values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty", matches: &[] },
            Case { sel: Sel::Req("x2", Operator::In, &["b", "a"]), want: "x2 in (a,b)", matches: &[(&[("x2", "a")], true)] },
            Case { sel: Sel::Req("x3", Operator::NotIn, &["a"]), want: "x3 notin (a)", matches: &[] },
            Case { sel: Sel::Req("x5", Operator::Equals, &["a", "b"]), want: "error: values: Invalid value: []string{\"a\", \"b\"}: exact-match compatibility requires one single value", matches: &[] },
            Case { sel: Sel::Req("x6", Operator::Exists, &["a"]), want: "error: values: Invalid value: []string{\"a\"}: values set must be empty for exists and does not exist", matches: &[] },
            Case { sel: Sel::Req("x7", Operator::DoesNotExist, &[]), want: "!x7", matches: &[] },
            Case { sel: Sel::Req("x8", Operator::GreaterThan, &["1"]), want: "x8>1", matches: &[] },
            Case { sel: Sel::Req("x9", Operator::GreaterThan, &["bar"]), want: "error: values[0]: Invalid value: \"bar\": for 'Gt', 'Lt' operators, the value must be an integer", matches: &[] },
            Case { sel: Sel::Req("x10", Operator::LessThan, &[]), want: "error: values: Invalid value: []string{}: for 'Gt', 'Lt' operators, exactly one value is required", matches: &[] },
            Case { sel: Sel::Req("", Operator::Exists, &[]), want: key_empty, matches: &[] },
            Case { sel: Sel::Req("x11", Operator::In, &["a b", "c"]), want: "error: values[0][x11]: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')", matches: &[] },
            Case { sel: Sel::Req("x12", Operator::GreaterThan, &["1", "2"]), want: "error: values: Invalid value: []string{\"1\", \"2\"}: for 'Gt', 'Lt' operators, exactly one value is required", matches: &[] },
            Case { sel: Sel::Req("x13", Operator::Equals, &["a"]), want: "x13=a", matches: &[] },
            Case { sel: Sel::Req("x14", Operator::Equals, &["0123456789012345678901234567890123456789012345678901234567890123"]), want: "error: values[0][x14]: Invalid value: \"0123456789012345678901234567890123456789012345678901234567890123\": must be no more than 63 characters", matches: &[] },
        ]);
    }

    #[test]
    fn label_selector_objects() {
        check(&[
            Case { sel: Sel::FromLs("{}"), want: "", matches: &[(&[], true), (&[("a", "b")], true)] },
            Case { sel: Sel::FormatLs("{}"), want: "<none>", matches: &[] },
            Case { sel: Sel::FormatLs(r#"{"matchLabels":{},"matchExpressions":[]}"#), want: "<none>", matches: &[] },
            Case { sel: Sel::FromLs(r#"{"matchLabels":{"tier":"x","app":"fluentd"}}"#), want: "app=fluentd,tier=x", matches: &[
                (&[("app", "fluentd"), ("tier", "x"), ("other", "1")], true),
                (&[("app", "fluentd")], false),
            ] },
            Case { sel: Sel::FormatLs(r#"{"matchLabels":{"name":"fluentd-elasticsearch"}}"#), want: "name=fluentd-elasticsearch", matches: &[] },
            Case {
                sel: Sel::FromLs(r#"{"matchLabels":{"z":"1"},"matchExpressions":[
                    {"key":"tier","operator":"In","values":["b","a"]},
                    {"key":"env","operator":"Exists"},
                    {"key":"old","operator":"DoesNotExist"},
                    {"key":"a","operator":"NotIn","values":["x"]}]}"#),
                want: "a notin (x),env,!old,tier in (a,b),z=1",
                matches: &[
                    (&[("z", "1"), ("tier", "a"), ("env", "")], true),
                    (&[("z", "1"), ("tier", "a"), ("env", ""), ("old", "y")], false),
                    (&[("z", "1"), ("tier", "a"), ("env", ""), ("a", "x")], false),
                    (&[("z", "1"), ("tier", "c"), ("env", "")], false),
                ],
            },
            Case { sel: Sel::FromLs(r#"{"matchExpressions":[{"key":"a","operator":"Foo"}]}"#), want: "error: \"Foo\" is not a valid label selector operator", matches: &[] },
            Case { sel: Sel::FormatLs(r#"{"matchExpressions":[{"key":"a","operator":"Foo"}]}"#), want: "<error>", matches: &[] },
            Case { sel: Sel::FromLs(r#"{"matchExpressions":[{"key":"a","operator":"In"}]}"#), want: "error: values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty", matches: &[] },
            Case { sel: Sel::FromLs(r#"{"matchExpressions":[{"key":"a","operator":"NotIn","values":[]}]}"#), want: "error: values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty", matches: &[] },
            Case { sel: Sel::FromLs(r#"{"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]}"#), want: "error: values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist", matches: &[] },
            Case { sel: Sel::FromLs(r#"{"matchLabels":{"app":"bad value"}}"#), want: "error: values[0][app]: Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')", matches: &[] },
        ]);
    }

    #[test]
    fn field_selectors() {
        check(&[
            Case { sel: Sel::Field("spec.nodeName=node-1"), want: "spec.nodeName=node-1", matches: &[
                (&[("spec.nodeName", "node-1")], true),
                (&[("spec.nodeName", "node-2")], false),
                (&[], false),
            ] },
            Case { sel: Sel::Field("status.phase!=Running,metadata.name==a"), want: "metadata.name=a,status.phase!=Running", matches: &[
                (&[("metadata.name", "a"), ("status.phase", "Pending")], true),
                (&[("metadata.name", "a"), ("status.phase", "Running")], false),
                (&[("metadata.name", "a")], true),
            ] },
            Case { sel: Sel::Field(""), want: "", matches: &[(&[], true)] },
            Case { sel: Sel::Field("a=b,"), want: "a=b", matches: &[] },
            Case { sel: Sel::Field("spec.nodeName="), want: "spec.nodeName=", matches: &[(&[], true), (&[("spec.nodeName", "n")], false)] },
            Case { sel: Sel::Field("a=b\\,c"), want: "a=b\\,c", matches: &[(&[("a", "b,c")], true)] },
            Case { sel: Sel::Field("a=b\\\\"), want: "a=b\\\\", matches: &[(&[("a", "b\\")], true)] },
            Case { sel: Sel::Field("spec.nodeName"), want: "error: invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'", matches: &[] },
            Case { sel: Sel::Field("a=b,c"), want: "error: invalid selector: 'a=b,c'; can't understand 'c'", matches: &[] },
            Case { sel: Sel::Field("a=b=c"), want: "error: invalid field selector: unescaped character in value: 61", matches: &[] },
            Case { sel: Sel::Field("a=b\\x"), want: "error: invalid field selector: invalid escape sequence: \\x", matches: &[] },
            Case { sel: Sel::Field("a=b\\"), want: "error: invalid field selector: invalid escape sequence: \\", matches: &[] },
            Case { sel: Sel::Field("a != b"), want: "a != b", matches: &[(&[("a ", " b")], false), (&[("a ", "b")], true)] },
            Case { sel: Sel::FieldFor("Pod", "spec.nodeName=x,status.phase=Running"), want: "ok", matches: &[] },
            Case { sel: Sel::FieldFor("Pod", "spec.foo=x"), want: "error: field label not supported: spec.foo", matches: &[] },
            Case { sel: Sel::FieldFor("Node", "spec.unschedulable=true,metadata.name=n1"), want: "ok", matches: &[] },
            Case { sel: Sel::FieldFor("Node", "metadata.namespace=x"), want: "error: field label not supported: metadata.namespace", matches: &[] },
            Case { sel: Sel::FieldFor("Event", "involvedObject.name=x,reason=Started,type=Normal"), want: "ok", matches: &[] },
            Case { sel: Sel::FieldFor("Deployment", "spec.replicas=1"), want: "error: \"spec.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"", matches: &[] },
            Case { sel: Sel::FieldFor("DaemonSet", "metadata.name=ds"), want: "ok", matches: &[] },
            Case { sel: Sel::FieldFor("Pod", "spec.nodeName"), want: "error: invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'", matches: &[] },
        ]);
    }

    #[test]
    fn object_fields_for_pods_nodes_events() {
        let pod = serde_json::json!({
            "metadata": {"name": "web-1", "namespace": "default"},
            "spec": {"nodeName": "node-1", "restartPolicy": "Always", "schedulerName": "default-scheduler", "serviceAccountName": "default"},
            "status": {"phase": "Running", "podIP": "10.0.0.5", "podIPs": [{"ip": "10.0.0.5"}, {"ip": "fd00::5"}]}
        });
        let want: BTreeMap<String, String> = [
            ("metadata.name", "web-1"),
            ("metadata.namespace", "default"),
            ("spec.hostNetwork", "false"),
            ("spec.nodeName", "node-1"),
            ("spec.restartPolicy", "Always"),
            ("spec.schedulerName", "default-scheduler"),
            ("spec.serviceAccountName", "default"),
            ("status.nominatedNodeName", ""),
            ("status.phase", "Running"),
            ("status.podIP", "10.0.0.5"),
            ("status.podIPs", "10.0.0.5,fd00::5"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(object_fields("Pod", &pod), want);
        let sel = FieldSelector::parse("spec.nodeName=node-1,status.phase=Running").unwrap();
        assert!(sel.matches(&object_fields("Pod", &pod)));

        let node = serde_json::json!({"metadata": {"name": "n1"}, "spec": {"unschedulable": true}});
        let want: BTreeMap<String, String> =
            [("metadata.name", "n1"), ("spec.unschedulable", "true")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        assert_eq!(object_fields("Node", &node), want);

        let ev = serde_json::json!({
            "metadata": {"name": "e1", "namespace": "default"},
            "involvedObject": {"kind": "Pod", "name": "web-1", "namespace": "default"},
            "reason": "Scheduled", "type": "Normal", "source": {"component": "default-scheduler"}
        });
        let f = object_fields("Event", &ev);
        assert_eq!(
            f.get("involvedObject.name").map(String::as_str),
            Some("web-1")
        );
        assert_eq!(
            f.get("source").map(String::as_str),
            Some("default-scheduler")
        );
        assert_eq!(f.get("involvedObject.uid").map(String::as_str), Some(""));
        assert_eq!(f.len(), 13);
        let v1 = serde_json::json!({
            "metadata": {"name": "e2", "namespace": "default"},
            "reason": "Scheduled", "source": {}, "reportingComponent": "default-scheduler"
        });
        assert_eq!(
            object_fields("Event", &v1)
                .get("source")
                .map(String::as_str),
            Some("default-scheduler")
        );
    }

    #[test]
    fn helpers_and_constructors() {
        let m = map(&[("b", "2"), ("a", "1")]);
        assert_eq!(format_labels(&m), "a=1,b=2");
        assert_eq!(format_labels(&BTreeMap::new()), "<none>");
        let s = Selector::from_map(&m);
        assert_eq!(s.to_string(), "a=1,b=2");
        assert!(s.matches(&map(&[("a", "1"), ("b", "2"), ("c", "3")])));
        assert!(Selector::from_map(&BTreeMap::new()).is_empty());
        assert!(Selector::everything().is_empty());
        assert!(Selector::everything().matches(&m));
        assert!(!Selector::nothing().is_empty());
        assert!(!Selector::nothing().matches(&m));
        assert_eq!(Selector::nothing().to_string(), "");
        let p = Selector::parse("b in (y,x),a").unwrap();
        let keys: Vec<(&str, Operator, Vec<String>)> = p
            .requirements()
            .iter()
            .map(|r| (r.key(), r.operator(), r.values().to_vec()))
            .collect();
        assert_eq!(
            keys,
            vec![
                ("a", Operator::Exists, vec![]),
                ("b", Operator::In, vec!["x".to_string(), "y".to_string()])
            ]
        );
        assert_eq!(Operator::GreaterThan.as_str(), "gt");
        assert!(FieldSelector::everything().is_empty());
        let f = FieldSelector::parse("a==b").unwrap();
        assert_eq!(
            f.terms(),
            &[FieldTerm {
                field: "a".into(),
                op: FieldOp::Equals,
                value: "b".into()
            }]
        );
    }

    /// Deterministic junk: no input may panic, and every accepted label selector round-trips
    /// through its canonical string.
    #[test]
    fn junk_inputs_never_panic() {
        const ALPHABET: &[&str] = &[
            "a",
            "b",
            "x",
            "1",
            "-",
            "_",
            ".",
            "/",
            "=",
            "==",
            "!",
            "!=",
            "(",
            ")",
            ",",
            " ",
            "\t",
            "in",
            "notin",
            ">",
            "<",
            "\\",
            "é",
            "\0",
            "A",
            "in (",
            "example.com/",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        for _ in 0..20_000 {
            let len = next() % 12;
            let input: String = (0..len)
                .map(|_| ALPHABET[next() % ALPHABET.len()])
                .collect();
            if let Ok(s) = Selector::parse(&input) {
                let canon = s.to_string();
                let again = Selector::parse(&canon)
                    .unwrap_or_else(|e| panic!("{input:?} -> {canon:?}: {e}"));
                assert_eq!(again.to_string(), canon, "input {input:?}");
                let _ = s.matches(&map(&[("a", "1"), ("x", "")]));
            }
            if let Ok(f) = FieldSelector::parse(&input) {
                assert!(
                    FieldSelector::parse(&f.to_string()).is_ok(),
                    "input {input:?}"
                );
                let _ = f.check_supported("Pod");
            }
        }
    }
}
