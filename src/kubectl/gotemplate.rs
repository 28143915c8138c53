//! `kubectl get -o go-template=…` (also `-o template`, `--template`): Go's `text/template` over
//! the object as `encoding/json` decodes it into `map[string]interface{}`, as kubectl's
//! `GoTemplatePrinter` does.
//!
//! What is here: text and actions with `{{-`/`-}}` trimming and `{{/* comments */}}`; fields
//! (`.a.b`, `$`, `$x.a`), string (`"…"`, raw) and number literals, `true`/`false`/`nil`,
//! parenthesised pipelines and `|`; `if`/`else if`/`else`, `range` (with `$i, $e :=` and
//! `else`), `with`, variables (`:=`, `=`); the builtins `index`, `len`, `printf`, `print`,
//! `println`, `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `and`, `or`, `not`, and kubectl's
//! `base64decode`. Values print as Go's `fmt` prints them (`%v`: JSON numbers are `float64`, so
//! `1e+06`; maps as `map[k:v]`; a missing key as `<no value>`). Go's error texts are kept for
//! the common mistakes (a field of a missing value, an unknown function, an unclosed action).
//! Not here: `define`/`template`/`block`, `break`/`continue`, `call`, `html`/`js`/`urlquery`.

use serde_json::Value;

/// Nesting and size bounds, so no template can exhaust the page.
const MAX_DEPTH: usize = 64;
const MAX_OUTPUT: usize = 4 * 1024 * 1024;
const MAX_STEPS: u64 = 2_000_000;
/// The widest `printf` field (and precision) honoured.
const MAX_WIDTH: usize = 1_000;

/// A parsed template.
#[derive(Debug)]
pub struct Template {
    nodes: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    Text(String),
    Action(Pipe),
    If {
        arms: Vec<(Pipe, Vec<Node>)>,
        otherwise: Vec<Node>,
    },
    Range {
        pipe: Pipe,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
    With {
        pipe: Pipe,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
}

/// `$a, $b := cmd | cmd`.
#[derive(Debug, Clone)]
struct Pipe {
    decl: Vec<String>,
    /// `=` rather than `:=`.
    assign: bool,
    cmds: Vec<Vec<Arg>>,
    /// Line and column of the action, for error messages.
    pos: (usize, usize),
    /// The action's text, for `executing "output" at <…>`.
    text: String,
}

#[derive(Debug, Clone)]
enum Arg {
    /// `.a.b` (empty: `.`).
    Field(Vec<String>),
    /// `$x.a.b` (`$` alone is the root).
    Var(String, Vec<String>),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Nil,
    Func(String),
    Sub(Box<Pipe>, Vec<String>),
}

/// A template value: `None` is Go's invalid value (`<no value>`).
type Val = Option<Value>;

// ---------------------------------------------------------------------------------------
// Lexing
// ---------------------------------------------------------------------------------------

enum Item {
    Text(String),
    Action {
        body: String,
        line: usize,
        col: usize,
    },
}

fn split_items(src: &str) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    let mut rest = src;
    let mut offset = 0usize;
    let mut trim_next = false;
    while let Some(start) = rest.find("{{") {
        let mut text = rest.get(..start).unwrap_or_default().to_string();
        if trim_next {
            text = text.trim_start().to_string();
        }
        let after = rest.get(start + 2..).unwrap_or_default();
        let trim_left = after.starts_with("- ") || after.starts_with("-\t") || after == "-}}";
        if trim_left {
            text = text.trim_end().to_string();
        }
        if !text.is_empty() {
            items.push(Item::Text(text));
        }
        let body_start = if trim_left { 3 } else { 2 };
        let action_off = offset + start;
        let line = src
            .get(..action_off)
            .unwrap_or_default()
            .matches('\n')
            .count()
            + 1;
        let line_start = src
            .get(..action_off)
            .unwrap_or_default()
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let col = action_off - line_start + body_start;
        let inner = rest.get(start + body_start..).unwrap_or_default();
        let Some(end) = find_close(inner) else {
            return Err(format!("template: output:{line}: unclosed action"));
        };
        let mut body = inner.get(..end).unwrap_or_default().to_string();
        trim_next = body.ends_with(" -") || body.ends_with("\t-");
        if trim_next {
            body.truncate(body.len() - 2);
        }
        let trimmed = body.trim();
        if !(trimmed.starts_with("/*") && trimmed.ends_with("*/")) {
            items.push(Item::Action { body, line, col });
        }
        let consumed = start + body_start + end + 2;
        offset += consumed;
        rest = rest.get(consumed..).unwrap_or_default();
    }
    let mut text = rest.to_string();
    if trim_next {
        text = text.trim_start().to_string();
    }
    if !text.is_empty() {
        items.push(Item::Text(text));
    }
    Ok(items)
}

/// The end of an action (`}}` outside string literals).
fn find_close(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = *b.get(i)?;
        match quote {
            Some(q) => {
                if c == b'\\' && q == b'"' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => {
                if c == b'"' || c == b'`' {
                    quote = Some(c);
                } else if c == b'}' && b.get(i + 1) == Some(&b'}') {
                    return Some(i);
                }
            }
        }
        i += 1;
    }
    None
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Pipe,
    Open,
    Close,
    Declare,
    Assign,
    Comma,
}

fn tokens(body: &str, line: usize) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = body.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '|' => {
                out.push(Tok::Pipe);
                i += 1;
            }
            '(' => {
                out.push(Tok::Open);
                i += 1;
            }
            ')' => {
                out.push(Tok::Close);
                i += 1;
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            ':' if chars.get(i + 1) == Some(&'=') => {
                out.push(Tok::Declare);
                i += 2;
            }
            '=' => {
                out.push(Tok::Assign);
                i += 1;
            }
            '"' => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None | Some('\n') => {
                            return Err(format!(
                                "template: output:{line}: unterminated quoted string"
                            ))
                        }
                        Some('"') => {
                            i += 1;
                            break;
                        }
                        Some('\\') => {
                            let e = chars.get(i + 1).copied().unwrap_or('\\');
                            s.push(match e {
                                'n' => '\n',
                                't' => '\t',
                                'r' => '\r',
                                '0' => '\0',
                                other => other,
                            });
                            i += 2;
                        }
                        Some(&ch) => {
                            s.push(ch);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Str(s));
            }
            '`' => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => {
                            return Err(format!(
                                "template: output:{line}: unterminated raw quoted string"
                            ))
                        }
                        Some('`') => {
                            i += 1;
                            break;
                        }
                        Some(&ch) => {
                            s.push(ch);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Str(s));
            }
            _ => {
                let mut w = String::new();
                while let Some(&ch) = chars.get(i) {
                    if ch.is_whitespace() || "|(),=\"`".contains(ch) {
                        break;
                    }
                    if ch == ':' && chars.get(i + 1) == Some(&'=') {
                        break;
                    }
                    w.push(ch);
                    i += 1;
                }
                if w.is_empty() {
                    return Err(format!(
                        "template: output:{line}: unexpected bad character U+{:04X} '{c}' in command",
                        c as u32
                    ));
                }
                out.push(Tok::Word(w));
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------

impl Template {
    /// Parses a template; the error is Go's (`template: output:1: unclosed action`).
    pub fn parse(src: &str) -> Result<Template, String> {
        let items = split_items(src)?;
        let mut p = TParser {
            items,
            pos: 0,
            depth: 0,
        };
        let (nodes, end) = p.list()?;
        match end {
            End::Eof => Ok(Template { nodes }),
            End::Close(line) => Err(format!("template: output:{line}: unexpected {{{{end}}}}")),
            End::Else(line, _) => Err(format!("template: output:{line}: unexpected {{{{else}}}}")),
        }
    }

    /// Runs the template over `data`.
    pub fn execute(&self, data: &Value) -> Result<String, String> {
        match self.execute_partial(data) {
            (out, None) => Ok(out),
            (_, Some(e)) => Err(e),
        }
    }

    /// Runs the template; on an error, also what was written before it (Go's `Execute`
    /// writes as it goes).
    pub fn execute_partial(&self, data: &Value) -> (String, Option<String>) {
        let data = &as_go_json(data);
        let mut ex = Exec {
            root: data.clone(),
            vars: vec![("$".to_string(), Some(data.clone()))],
            out: String::new(),
            steps: 0,
            depth: 0,
        };
        let r = ex.nodes(&self.nodes, &Some(data.clone()));
        (ex.out, r.err())
    }
}

/// The value as `json.Unmarshal` into `interface{}` leaves it: every number a `float64`.
fn as_go_json(v: &Value) -> Value {
    match v {
        Value::Number(n) => serde_json::Number::from_f64(n.as_f64().unwrap_or(0.0))
            .map_or(Value::Null, Value::Number),
        Value::Array(a) => Value::Array(a.iter().map(as_go_json).collect()),
        Value::Object(o) => {
            // Inserted one by one rather than collected: the keys are already unique and
            // sorted, and collecting would compile another copy of the standard sort.
            let mut m = serde_json::Map::new();
            for (k, x) in o {
                m.insert(k.clone(), as_go_json(x));
            }
            Value::Object(m)
        }
        other => other.clone(),
    }
}

enum End {
    Eof,
    Close(usize),
    /// `{{else}}` or `{{else if …}}` (the rest of the action after `else`).
    Else(usize, Option<(String, usize, usize)>),
}

struct TParser {
    items: Vec<Item>,
    pos: usize,
    depth: usize,
}

impl TParser {
    fn list(&mut self) -> Result<(Vec<Node>, End), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("template: output: too deeply nested".to_string());
        }
        let r = self.list_inner();
        self.depth -= 1;
        r
    }

    fn list_inner(&mut self) -> Result<(Vec<Node>, End), String> {
        let mut nodes = Vec::new();
        while let Some(item) = self.items.get(self.pos) {
            self.pos += 1;
            let (body, line, col) = match item {
                Item::Text(t) => {
                    nodes.push(Node::Text(t.clone()));
                    continue;
                }
                Item::Action { body, line, col } => (body.clone(), *line, *col),
            };
            let trimmed = body.trim();
            let (keyword, rest) = match trimmed.split_once(char::is_whitespace) {
                Some((k, r)) => (k, r.trim()),
                None => (trimmed, ""),
            };
            // Go reports the column of the pipeline, after the keyword.
            let rest_col = col + body.find(rest).unwrap_or(0);
            match keyword {
                "end" => return Ok((nodes, End::Close(line))),
                "else" => {
                    let rest = if rest.is_empty() {
                        None
                    } else {
                        Some((rest.to_string(), line, rest_col))
                    };
                    return Ok((nodes, End::Else(line, rest)));
                }
                "if" => nodes.push(self.parse_if(rest, line, rest_col)?),
                "range" | "with" => {
                    let pipe = parse_pipe(rest, line, rest_col, true)?;
                    let (body, end) = self.list()?;
                    let otherwise = match end {
                        End::Close(_) => Vec::new(),
                        End::Else(_, None) => self.expect_end()?,
                        End::Else(l, Some(_)) => {
                            return Err(format!(
                                "template: output:{l}: expected end; found {{{{else if}}}}"
                            ))
                        }
                        End::Eof => return Err(format!("template: output:{line}: unexpected EOF")),
                    };
                    nodes.push(if keyword == "range" {
                        Node::Range {
                            pipe,
                            body,
                            otherwise,
                        }
                    } else {
                        Node::With {
                            pipe,
                            body,
                            otherwise,
                        }
                    });
                }
                "define" | "template" | "block" | "break" | "continue" => {
                    return Err(format!(
                        "template: output:{line}: kubeplay does not support {{{{{keyword}}}}}"
                    ))
                }
                _ => nodes.push(Node::Action(parse_pipe(trimmed, line, col, true)?)),
            }
        }
        Ok((nodes, End::Eof))
    }

    fn expect_end(&mut self) -> Result<Vec<Node>, String> {
        let (nodes, end) = self.list()?;
        match end {
            End::Close(_) => Ok(nodes),
            End::Else(l, _) => Err(format!(
                "template: output:{l}: expected end; found {{{{else}}}}"
            )),
            End::Eof => Err("template: output: unexpected EOF".to_string()),
        }
    }

    fn parse_if(&mut self, cond: &str, line: usize, col: usize) -> Result<Node, String> {
        let mut arms = vec![(parse_pipe(cond, line, col, true)?, Vec::new())];
        loop {
            let (body, end) = self.list()?;
            if let Some(last) = arms.last_mut() {
                last.1 = body;
            }
            match end {
                End::Close(_) => {
                    return Ok(Node::If {
                        arms,
                        otherwise: Vec::new(),
                    })
                }
                End::Else(_, None) => {
                    let otherwise = self.expect_end()?;
                    return Ok(Node::If { arms, otherwise });
                }
                End::Else(l, Some((rest, _, c))) => {
                    let Some(cond) = rest.strip_prefix("if").filter(|r| r.starts_with(' ')) else {
                        return Err(format!(
                            "template: output:{l}: unexpected \"{rest}\" in else"
                        ));
                    };
                    let at = c + rest.find(cond.trim()).unwrap_or(0);
                    arms.push((parse_pipe(cond.trim(), l, at, true)?, Vec::new()));
                }
                End::Eof => return Err(format!("template: output:{line}: unexpected EOF")),
            }
        }
    }
}

fn parse_pipe(text: &str, line: usize, col: usize, top: bool) -> Result<Pipe, String> {
    let toks = tokens(text, line)?;
    let mut pos = 0;
    let pipe = pipe_from(&toks, &mut pos, line, col, text, 0)?;
    if pos < toks.len() {
        return Err(format!(
            "template: output:{line}: unexpected {:?} in operand",
            toks.get(pos)
        ));
    }
    if top && pipe.cmds.is_empty() && pipe.decl.is_empty() {
        return Err(format!(
            "template: output:{line}: missing value for command"
        ));
    }
    Ok(pipe)
}

fn pipe_from(
    toks: &[Tok],
    pos: &mut usize,
    line: usize,
    col: usize,
    text: &str,
    depth: usize,
) -> Result<Pipe, String> {
    if depth > MAX_DEPTH {
        return Err(format!("template: output:{line}: too deeply nested"));
    }
    let mut decl = Vec::new();
    let mut assign = false;
    // `$a, $b :=` / `$a =`.
    let mut look = *pos;
    let mut names = Vec::new();
    while let Some(Tok::Word(w)) = toks.get(look) {
        if !w.starts_with('$') || w.contains('.') {
            break;
        }
        names.push(w.clone());
        look += 1;
        match toks.get(look) {
            Some(Tok::Comma) => look += 1,
            Some(Tok::Declare) | Some(Tok::Assign) => break,
            _ => {
                names.clear();
                break;
            }
        }
    }
    if !names.is_empty() {
        if let Some(t @ (Tok::Declare | Tok::Assign)) = toks.get(look) {
            assign = *t == Tok::Assign;
            decl = names;
            *pos = look + 1;
        }
    }
    let mut cmds = Vec::new();
    let mut cmd = Vec::new();
    while let Some(t) = toks.get(*pos) {
        match t {
            Tok::Close => break,
            Tok::Pipe => {
                if cmd.is_empty() {
                    return Err(format!("template: output:{line}: missing command"));
                }
                cmds.push(std::mem::take(&mut cmd));
                *pos += 1;
            }
            Tok::Open => {
                *pos += 1;
                let sub = pipe_from(toks, pos, line, col, text, depth + 1)?;
                if toks.get(*pos) != Some(&Tok::Close) {
                    return Err(format!("template: output:{line}: unclosed left paren"));
                }
                *pos += 1;
                // `(pipeline).field`.
                let mut fields = Vec::new();
                if let Some(Tok::Word(w)) = toks.get(*pos) {
                    if let Some(f) = w.strip_prefix('.') {
                        fields = f.split('.').map(str::to_string).collect();
                        *pos += 1;
                    }
                }
                cmd.push(Arg::Sub(Box::new(sub), fields));
            }
            Tok::Str(s) => {
                cmd.push(Arg::Str(s.clone()));
                *pos += 1;
            }
            Tok::Word(w) => {
                cmd.push(word_arg(w, line)?);
                *pos += 1;
            }
            Tok::Comma | Tok::Declare | Tok::Assign => {
                return Err(format!(
                    "template: output:{line}: unexpected {t:?} in command"
                ))
            }
        }
    }
    if !cmd.is_empty() {
        cmds.push(cmd);
    }
    Ok(Pipe {
        decl,
        assign,
        cmds,
        pos: (line, col),
        text: text.trim().to_string(),
    })
}

fn word_arg(w: &str, line: usize) -> Result<Arg, String> {
    if w == "." {
        return Ok(Arg::Field(Vec::new()));
    }
    if let Some(f) = w.strip_prefix('.') {
        if f.split('.').any(str::is_empty) {
            return Err(format!("template: output:{line}: bad character U+002E '.'"));
        }
        return Ok(Arg::Field(f.split('.').map(str::to_string).collect()));
    }
    if w.starts_with('$') {
        let mut parts = w.split('.');
        let name = parts.next().unwrap_or("$").to_string();
        return Ok(Arg::Var(name, parts.map(str::to_string).collect()));
    }
    match w {
        "true" => return Ok(Arg::Bool(true)),
        "false" => return Ok(Arg::Bool(false)),
        "nil" => return Ok(Arg::Nil),
        _ => {}
    }
    if w.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') {
        if let Ok(n) = w.parse::<i64>() {
            return Ok(Arg::Int(n));
        }
        if let Ok(f) = w.parse::<f64>() {
            return Ok(Arg::Float(f));
        }
        return Err(format!(
            "template: output:{line}: bad number syntax: \"{w}\""
        ));
    }
    if w.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Ok(Arg::Func(w.to_string()));
    }
    Err(format!(
        "template: output:{line}: unexpected \"{w}\" in command"
    ))
}

// ---------------------------------------------------------------------------------------
// Execution
// ---------------------------------------------------------------------------------------

struct Exec {
    root: Value,
    vars: Vec<(String, Val)>,
    out: String,
    steps: u64,
    depth: usize,
}

const FUNCS: [&str; 15] = [
    "and",
    "or",
    "not",
    "len",
    "index",
    "print",
    "printf",
    "println",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "base64decode",
];

fn truthy(v: &Val) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

/// Go's `%v` of a value decoded by `encoding/json`.
fn go_format(v: &Val) -> String {
    match v {
        None => "<no value>".to_string(),
        Some(v) => go_value(v),
    }
}

fn go_value(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        // Template literals are Go ints; JSON numbers are float64 (see `as_go_json`).
        Value::Number(n) if n.is_f64() => go_float(n.as_f64().unwrap_or(0.0)),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_value).collect::<Vec<_>>().join(" ")),
        Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            crate::kubectl::print::sort(&mut keys);
            format!(
                "map[{}]",
                keys.iter()
                    .map(|k| format!("{k}:{}", o.get(*k).map_or(String::new(), go_value)))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` (`%v`): the shortest digits, in exponent form when
/// the exponent is below -4 or at least 6 — so a JSON 1000000 prints as `1e+06`, the Go
/// template gotcha Helm users know.
fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    if f == 0.0 {
        return "0".to_string();
    }
    // Rust's `{:e}` gives the shortest round-trip digits, like Go's shortest formatting.
    let e = format!("{f:e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    let s = format!("{f}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

impl Exec {
    fn step(&mut self) -> Result<(), String> {
        self.steps += 1;
        if self.steps > MAX_STEPS || self.out.len() > MAX_OUTPUT {
            return Err("template: output: execution too long".to_string());
        }
        Ok(())
    }

    fn nodes(&mut self, nodes: &[Node], dot: &Val) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("template: output: too deeply nested".to_string());
        }
        let mark = self.vars.len();
        let r = nodes.iter().try_for_each(|n| self.node(n, dot));
        self.vars.truncate(mark);
        self.depth -= 1;
        r
    }

    fn node(&mut self, n: &Node, dot: &Val) -> Result<(), String> {
        self.step()?;
        match n {
            Node::Text(t) => self.out.push_str(t),
            Node::Action(p) => {
                let v = self.pipe(p, dot)?;
                if p.decl.is_empty() {
                    self.out.push_str(&go_format(&v));
                }
            }
            Node::If { arms, otherwise } => {
                for (cond, body) in arms {
                    let mark = self.vars.len();
                    let v = self.pipe(cond, dot)?;
                    if truthy(&v) {
                        let r = self.nodes(body, dot);
                        self.vars.truncate(mark);
                        return r;
                    }
                    self.vars.truncate(mark);
                }
                self.nodes(otherwise, dot)?;
            }
            Node::With {
                pipe,
                body,
                otherwise,
            } => {
                let mark = self.vars.len();
                let v = self.pipe(pipe, dot)?;
                let r = if truthy(&v) {
                    self.nodes(body, &v)
                } else {
                    self.nodes(otherwise, dot)
                };
                self.vars.truncate(mark);
                r?;
            }
            Node::Range {
                pipe,
                body,
                otherwise,
            } => {
                // `range $i, $e := …` binds per element, not the whole value.
                let decl = &pipe.decl;
                let v = self.pipe_value(pipe, dot)?;
                let entries: Vec<(Value, Value)> = match &v {
                    Some(Value::Array(a)) => a
                        .iter()
                        .enumerate()
                        .map(|(i, x)| (Value::from(i), x.clone()))
                        .collect(),
                    Some(Value::Object(o)) => {
                        let mut keys: Vec<&String> = o.keys().collect();
                        crate::kubectl::print::sort(&mut keys);
                        keys.into_iter()
                            .map(|k| {
                                (
                                    Value::String(k.clone()),
                                    o.get(k).cloned().unwrap_or(Value::Null),
                                )
                            })
                            .collect()
                    }
                    None | Some(Value::Null) => Vec::new(),
                    Some(other) => {
                        return Err(self.at(
                            pipe,
                            &format!("range can't iterate over {}", go_value(other)),
                        ))
                    }
                };
                if entries.is_empty() {
                    return self.nodes(otherwise, dot);
                }
                for (k, x) in entries {
                    let mark = self.vars.len();
                    match decl.as_slice() {
                        [e] => self.vars.push((e.clone(), Some(x.clone()))),
                        [i, e] => {
                            self.vars.push((i.clone(), Some(k)));
                            self.vars.push((e.clone(), Some(x.clone())));
                        }
                        _ => {}
                    }
                    let r = self.nodes(body, &Some(x));
                    self.vars.truncate(mark);
                    r?;
                }
            }
        }
        Ok(())
    }

    fn at(&self, p: &Pipe, msg: &str) -> String {
        format!(
            "template: output:{}:{}: executing \"output\" at <{}>: {msg}",
            p.pos.0, p.pos.1, p.text
        )
    }

    /// The pipeline's commands, each fed the one before.
    fn pipe_value(&mut self, p: &Pipe, dot: &Val) -> Result<Val, String> {
        let mut prev: Option<Val> = None;
        for cmd in &p.cmds {
            prev = Some(self.command(p, cmd, dot, prev)?);
        }
        Ok(prev.unwrap_or(None))
    }

    /// The pipeline's value, bound to its declared (`:=`) or assigned (`=`) variables.
    fn pipe(&mut self, p: &Pipe, dot: &Val) -> Result<Val, String> {
        let v = self.pipe_value(p, dot)?;
        if p.assign {
            for name in &p.decl {
                match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = v.clone(),
                    None => {
                        return Err(format!(
                            "template: output:{}: undefined variable: {name}",
                            p.pos.0
                        ))
                    }
                }
            }
        } else {
            for name in &p.decl {
                self.vars.push((name.clone(), v.clone()));
            }
        }
        Ok(v)
    }

    fn command(
        &mut self,
        p: &Pipe,
        cmd: &[Arg],
        dot: &Val,
        piped: Option<Val>,
    ) -> Result<Val, String> {
        self.step()?;
        let Some(first) = cmd.first() else {
            return Ok(None);
        };
        if let Arg::Func(name) = first {
            if !FUNCS.contains(&name.as_str()) {
                return Err(format!(
                    "template: output:{}: function \"{name}\" not defined",
                    p.pos.0
                ));
            }
            let mut args = Vec::new();
            for a in cmd.get(1..).unwrap_or_default() {
                args.push(self.arg(p, a, dot)?);
            }
            if let Some(v) = piped {
                args.push(v);
            }
            return self.call(p, name, args);
        }
        if cmd.len() > 1 || piped.is_some() {
            return Err(self.at(p, "can't give argument to non-function"));
        }
        self.arg(p, first, dot)
    }

    fn arg(&mut self, p: &Pipe, a: &Arg, dot: &Val) -> Result<Val, String> {
        Ok(match a {
            Arg::Field(path) => self.fields(p, dot.clone(), path)?,
            Arg::Var(name, path) => {
                let v = if name == "$" {
                    Some(self.root.clone())
                } else {
                    match self.vars.iter().rev().find(|(n, _)| n == name) {
                        Some((_, v)) => v.clone(),
                        None => {
                            return Err(format!(
                                "template: output:{}: undefined variable: {name}",
                                p.pos.0
                            ))
                        }
                    }
                };
                self.fields(p, v, path)?
            }
            Arg::Str(s) => Some(Value::String(s.clone())),
            Arg::Int(i) => Some(Value::from(*i)),
            Arg::Float(f) => {
                Some(serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number))
            }
            Arg::Bool(b) => Some(Value::Bool(*b)),
            Arg::Nil => Some(Value::Null),
            Arg::Func(name) => {
                if !FUNCS.contains(&name.as_str()) {
                    return Err(format!(
                        "template: output:{}: function \"{name}\" not defined",
                        p.pos.0
                    ));
                }
                self.call(p, name, Vec::new())?
            }
            Arg::Sub(sub, path) => {
                let v = self.pipe(sub, dot)?;
                self.fields(p, v, path)?
            }
        })
    }

    /// `.a.b` on a value: a missing key is `<no value>`; a field of nothing is Go's nil
    /// pointer error.
    fn fields(&self, p: &Pipe, mut v: Val, path: &[String]) -> Result<Val, String> {
        for f in path {
            v = match v {
                Some(Value::Object(o)) => o.get(f).cloned(),
                None | Some(Value::Null) => {
                    return Err(self.at(p, &format!("nil pointer evaluating interface {{}}.{f}")))
                }
                Some(other) => {
                    let ty = match other {
                        Value::String(_) => "string",
                        Value::Bool(_) => "bool",
                        Value::Number(_) => "float64",
                        Value::Array(_) => "[]interface {}",
                        _ => "interface {}",
                    };
                    return Err(self.at(p, &format!("can't evaluate field {f} in type {ty}")));
                }
            };
        }
        Ok(v)
    }

    fn call(&mut self, p: &Pipe, name: &str, args: Vec<Val>) -> Result<Val, String> {
        let fail = |msg: String| self.at(p, &format!("error calling {name}: {msg}"));
        let want = |n: usize| -> Result<(), String> {
            if args.len() == n {
                Ok(())
            } else {
                Err(format!(
                    "template: output:{}: wrong number of args for {name}: want {n} got {}",
                    p.pos.0,
                    args.len()
                ))
            }
        };
        match name {
            "and" | "or" => {
                if args.is_empty() {
                    return Err(format!(
                        "template: output:{}: wrong number of args for {name}: want at least 1 got 0",
                        p.pos.0
                    ));
                }
                let stop = name == "or";
                for a in &args {
                    if truthy(a) == stop {
                        return Ok(a.clone());
                    }
                }
                Ok(args.last().cloned().unwrap_or(None))
            }
            "not" => {
                want(1)?;
                Ok(Some(Value::Bool(!truthy(
                    &args.first().cloned().unwrap_or(None),
                ))))
            }
            "len" => {
                want(1)?;
                let n = match args.first().cloned().unwrap_or(None) {
                    Some(Value::String(s)) => s.len(),
                    Some(Value::Array(a)) => a.len(),
                    Some(Value::Object(o)) => o.len(),
                    Some(other) => return Err(fail(format!("len of type {}", go_type(&other)))),
                    None => return Err(fail("len of nil pointer".to_string())),
                };
                Ok(Some(Value::from(n)))
            }
            "index" => {
                let mut it = args.into_iter();
                let mut v = it.next().unwrap_or(None);
                for k in it {
                    v = match (v, k) {
                        (Some(Value::Object(o)), Some(Value::String(k))) => o.get(&k).cloned(),
                        (Some(Value::Array(a)), Some(Value::Number(n))) => {
                            let i = n.as_i64().unwrap_or(-1);
                            match usize::try_from(i).ok().and_then(|i| a.get(i)) {
                                Some(x) => Some(x.clone()),
                                None => return Err(fail(format!("index out of range: {i}"))),
                            }
                        }
                        (None | Some(Value::Null), _) => {
                            return Err(fail("index of untyped nil".to_string()))
                        }
                        (Some(other), _) => {
                            return Err(fail(format!(
                                "can't index item of type {}",
                                go_type(&other)
                            )))
                        }
                    };
                }
                Ok(v)
            }
            "print" | "println" => {
                let mut s = String::new();
                let mut prev_string = true;
                for (i, a) in args.iter().enumerate() {
                    let is_string = matches!(a, Some(Value::String(_)));
                    if i > 0 && (name == "println" || (!is_string && !prev_string)) {
                        s.push(' ');
                    }
                    s.push_str(&go_format(a));
                    prev_string = is_string;
                }
                if name == "println" {
                    s.push('\n');
                }
                Ok(Some(Value::String(s)))
            }
            "printf" => {
                let mut it = args.into_iter();
                let fmt = match it.next() {
                    Some(Some(Value::String(f))) => f,
                    _ => return Err(fail("wrong type for value; expected string".to_string())),
                };
                Ok(Some(Value::String(sprintf(&fmt, &it.collect::<Vec<_>>()))))
            }
            "eq" | "ne" | "lt" | "le" | "gt" | "ge" => {
                if args.len() < 2 {
                    return Err(fail("missing argument for comparison".to_string()));
                }
                let first = args.first().cloned().unwrap_or(None);
                if name == "eq" {
                    for other in args.iter().skip(1) {
                        if compare(&first, other).map_err(&fail)? == std::cmp::Ordering::Equal {
                            return Ok(Some(Value::Bool(true)));
                        }
                    }
                    return Ok(Some(Value::Bool(false)));
                }
                want(2)?;
                let ord = compare(&first, &args.get(1).cloned().unwrap_or(None)).map_err(&fail)?;
                use std::cmp::Ordering::*;
                let r = match name {
                    "ne" => ord != Equal,
                    "lt" => ord == Less,
                    "le" => ord != Greater,
                    "gt" => ord == Greater,
                    _ => ord != Less,
                };
                Ok(Some(Value::Bool(r)))
            }
            "base64decode" => {
                want(1)?;
                match args.first().cloned().unwrap_or(None) {
                    Some(Value::String(s)) => base64_decode(&s)
                        .map(|t| Some(Value::String(t)))
                        .ok_or_else(|| fail(format!("base64 decode failed: {s}"))),
                    _ => Err(fail("wrong type for value; expected string".to_string())),
                }
            }
            _ => Err(format!(
                "template: output:{}: function \"{name}\" not defined",
                p.pos.0
            )),
        }
    }
}

/// Go's `%+v` of the object as the template engine saw it (for kubectl's debugging output).
pub fn go_print(v: &Value) -> String {
    go_value(&as_go_json(v))
}

fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

/// Go's `eq`/`lt` rules: same basic kind only (a JSON number is a float, a literal `1` an
/// int: comparing the two is Go's "incompatible types for comparison").
fn compare(a: &Val, b: &Val) -> Result<std::cmp::Ordering, String> {
    let kind = |v: &Value| -> u8 {
        match v {
            Value::Number(n) if n.is_f64() => 1,
            Value::Number(_) => 2,
            Value::String(_) => 3,
            Value::Bool(_) => 4,
            _ => 0,
        }
    };
    match (a, b) {
        (Some(x), Some(y)) if kind(x) != 0 && kind(x) == kind(y) => match (x, y) {
            (Value::String(p), Value::String(q)) => Ok(p.cmp(q)),
            (Value::Bool(p), Value::Bool(q)) => Ok(p.cmp(q)),
            (Value::Number(p), Value::Number(q)) => Ok(p
                .as_f64()
                .unwrap_or(0.0)
                .partial_cmp(&q.as_f64().unwrap_or(0.0))
                .unwrap_or(std::cmp::Ordering::Equal)),
            _ => Ok(std::cmp::Ordering::Equal),
        },
        (Some(x), Some(y)) if kind(x) != 0 && kind(y) != 0 => {
            Err("incompatible types for comparison".to_string())
        }
        _ => Err("invalid type for comparison".to_string()),
    }
}

/// `fmt.Sprintf` for `%s %d %v %q %t %f %%` (with width and `-`).
fn sprintf(fmt: &str, args: &[Val]) -> String {
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    let mut next = 0usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut left = false;
        let mut width = String::new();
        let mut prec: Option<String> = None;
        while let Some(&f) = chars.peek() {
            if f == '-' {
                left = true;
                chars.next();
            } else if f.is_ascii_digit() {
                match &mut prec {
                    Some(p) => p.push(f),
                    None => width.push(f),
                }
                chars.next();
            } else if f == '.' {
                prec = Some(String::new());
                chars.next();
            } else {
                break;
            }
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        next += 1;
        let text = match (verb, arg) {
            ('d', Some(Value::Number(n))) => match n.as_i64() {
                Some(i) if !n.is_f64() => i.to_string(),
                _ => format!("%!d(float64={})", go_float(n.as_f64().unwrap_or(0.0))),
            },
            ('f', Some(Value::Number(n))) => {
                let p: usize = prec
                    .as_deref()
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(6)
                    .min(MAX_WIDTH);
                format!("{:.*}", p, n.as_f64().unwrap_or(0.0))
            }
            ('q', Some(Value::String(s))) => format!("{s:?}"),
            ('t', Some(Value::Bool(b))) => b.to_string(),
            ('s' | 'v', v) => {
                go_format(&Some(v.clone().unwrap_or(Value::Null))).replace("<no value>", "<nil>")
            }
            (_, None) => format!("%!{verb}(<nil>)"),
            (_, Some(v)) => format!("%!{verb}({}={})", go_type(v), go_value(v)),
        };
        let w: usize = width.parse().unwrap_or(0).min(MAX_WIDTH);
        let pad = w.saturating_sub(text.chars().count());
        if left {
            out.push_str(&text);
            out.push_str(&" ".repeat(pad));
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&text);
        }
    }
    if next < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args
            .iter()
            .skip(next)
            .map(|a| match a {
                Some(v) => format!("{}={}", go_type(v), go_value(v)),
                None => "<nil>".to_string(),
            })
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

/// Standard base64 (with or without padding) to UTF-8 text.
fn base64_decode(s: &str) -> Option<String> {
    let mut bits = 0u32;
    let mut n = 0;
    let mut bytes = Vec::new();
    for c in s.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        n += 6;
        if n >= 8 {
            n -= 8;
            bytes.push(u8::try_from((bits >> n) & 0xff).unwrap_or(0));
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(t: &str, data: &Value) -> Result<String, String> {
        Template::parse(t)?.execute(data)
    }

    #[test]
    fn kubernetes_io_examples() {
        let ds = json!({"spec": {"updateStrategy": {"type": "RollingUpdate"}}});
        assert_eq!(
            run("{{.spec.updateStrategy.type}}{{\"\\n\"}}", &ds).as_deref(),
            Ok("RollingUpdate\n")
        );
        let list = json!({"items": [
            {"metadata": {"name": "a", "labels": {"app": "x"}}, "spec": {"nodeName": "n1"}},
            {"metadata": {"name": "b"}, "spec": {}}
        ]});
        assert_eq!(
            run(
                "{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}",
                &list
            )
            .as_deref(),
            Ok("a\nb\n")
        );
        assert_eq!(
            run(
                "{{range .items}}{{.metadata.name}} {{.spec.nodeName}}\n{{end}}",
                &list
            )
            .as_deref(),
            Ok("a n1\nb <no value>\n")
        );
        assert_eq!(
            run(
                "{{range $i, $p := .items}}{{$i}}={{index $p.metadata \"name\"}};{{end}}",
                &list
            )
            .as_deref(),
            Ok("0=a;1=b;")
        );
    }

    #[test]
    fn control_flow_trimming_and_functions() {
        let v = json!({"n": 3, "big": 1000000, "s": "hi", "list": [1, 2], "m": {"b": 2, "a": 1}, "f": false});
        let cases = [
            (
                "{{if .f}}yes{{else if .s}}s={{.s}}{{else}}no{{end}}",
                "s=hi",
            ),
            (
                "{{with .m}}{{.a}}{{end}}|{{with .missing}}x{{else}}none{{end}}",
                "1|none",
            ),
            ("a  {{- .s -}}  b", "ahib"),
            ("{{/* a comment */}}x", "x"),
            (
                "{{.n}} {{.big}} {{.m}} {{.list}}",
                "3 1e+06 map[a:1 b:2] [1 2]",
            ),
            (
                "{{len .list}} {{len .s}} {{not .f}} {{and .s .n}} {{or .f .s}}",
                "2 2 true 3 hi",
            ),
            ("{{printf \"%s-%5s|%-3s|\" .s .s .s}}", "hi-   hi|hi |"),
            ("{{print .s .s 1 2}} {{println .s}}", "hihi1 2 hi\n"),
            ("{{$x := .s}}{{$x}}{{$x = \"yo\"}}{{$x}}", "hiyo"),
            (
                "{{eq .s \"hi\" \"ho\"}} {{ne .s \"hi\"}} {{lt .s \"z\"}}",
                "true false true",
            ),
            ("{{range .m}}{{.}}{{end}}", "12"),
            ("{{range .missing}}x{{else}}empty{{end}}", "empty"),
            ("{{.s | printf \"%q\"}}", "\"hi\""),
            ("{{(index .list 1)}}", "2"),
            ("{{base64decode \"aGVsbG8=\"}}", "hello"),
        ];
        for (t, want) in cases {
            assert_eq!(run(t, &v).as_deref(), Ok(want), "{t}");
        }
    }

    #[test]
    fn go_errors() {
        let v = json!({"status": {"succeeded": 1}, "s": "x"});
        assert_eq!(
            run("{{.spec.foo}}", &v),
            Err("template: output:1:2: executing \"output\" at <.spec.foo>: nil pointer evaluating interface {}.foo".to_string())
        );
        assert_eq!(
            run("{{.s.x}}", &v),
            Err("template: output:1:2: executing \"output\" at <.s.x>: can't evaluate field x in type string".to_string())
        );
        assert_eq!(
            run("{{if eq .status.succeeded 1}}y{{end}}", &v),
            Err("template: output:1:5: executing \"output\" at <eq .status.succeeded 1>: error calling eq: incompatible types for comparison".to_string())
        );
        assert_eq!(
            run("{{.s", &v),
            Err("template: output:1: unclosed action".to_string())
        );
        assert_eq!(
            run("{{foo .s}}", &v),
            Err("template: output:1: function \"foo\" not defined".to_string())
        );
        assert!(run("{{if .s}}x", &v).is_err());
        assert!(run("{{end}}", &v).is_err());
        let deep = "{{(".repeat(200);
        assert!(run(&deep, &v).is_err());
        let nested = "{{if .s}}".repeat(500);
        assert!(run(&nested, &v).is_err());
        // Absurd widths are capped rather than allocated.
        let wide = run("{{printf \"%99999999999999s|%.99999999f\" .s 1.5}}", &v).expect("runs");
        assert!(wide.len() < 3_000);
    }

    #[test]
    fn floats_print_as_go_does() {
        for (f, want) in [
            (2.0, "2"),
            (0.5, "0.5"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
            (1e21, "1e+21"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
        ] {
            assert_eq!(go_float(f), want);
        }
    }
}
