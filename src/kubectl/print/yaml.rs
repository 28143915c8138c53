//! `-o yaml` and `-o json` (kubectl's `printers.YAMLPrinter` / `JSONPrinter`). Keys come out
//! sorted (objects go through `serde_json::Value`, whose maps are ordered). YAML is emitted the
//! way `sigs.k8s.io/yaml` (go-yaml v2) does: sequences not indented under their key, strings
//! plain when they read back as strings, double-quoted when they would read as another type
//! (`"7"`, `"true"`, timestamps), single-quoted when they contain YAML syntax (`': '`), literal
//! blocks (`|`, `|-`) for multi-line text. Simplification: no line folding of long strings.

use serde::Serialize;
use serde_json::Value;

/// The value as YAML, as kubectl prints it.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(m) if !m.is_empty() => emit_map(m, 0, &mut out),
        Value::Array(a) if !a.is_empty() => emit_seq(a, 0, &mut out),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn indent(n: usize, out: &mut String) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn emit_map(m: &serde_json::Map<String, Value>, ind: usize, out: &mut String) {
    let mut first = true;
    for (k, v) in m {
        if !first {
            indent(ind, out);
        }
        first = false;
        out.push_str(&string_scalar(k, ind));
        out.push(':');
        emit_value_after_key(v, ind, out);
    }
}

fn emit_value_after_key(v: &Value, ind: usize, out: &mut String) {
    match v {
        Value::Object(c) if !c.is_empty() => {
            out.push('\n');
            indent(ind + 2, out);
            emit_map(c, ind + 2, out);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            indent(ind, out);
            emit_seq(a, ind, out);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, ind + 2));
            out.push('\n');
        }
    }
}

fn emit_seq(a: &[Value], ind: usize, out: &mut String) {
    let mut first = true;
    for v in a {
        if !first {
            indent(ind, out);
        }
        first = false;
        out.push_str("- ");
        match v {
            Value::Object(c) if !c.is_empty() => emit_map(c, ind + 2, out),
            Value::Array(inner) if !inner.is_empty() => emit_seq(inner, ind + 2, out),
            other => {
                out.push_str(&scalar(other, ind + 2));
                out.push('\n');
            }
        }
    }
}

fn scalar(v: &Value, block_indent: usize) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string_scalar(s, block_indent),
        Value::Array(_) => "[]".to_string(),
        Value::Object(_) => "{}".to_string(),
    }
}

/// Whether go-yaml's resolver would read `s` as something other than a string.
fn resolves_to_non_string(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        s,
        "~" | "null"
            | "Null"
            | "NULL"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "y"
            | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
            | "<<"
    ) {
        return true;
    }
    if matches!(lower.as_str(), ".inf" | "-.inf" | "+.inf" | ".nan") {
        return true;
    }
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let plain = body.replace('_', "");
    if !plain.is_empty() && plain.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    if let Some(hex) = plain.strip_prefix("0x") {
        if !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return true;
        }
    }
    if let Some(bin) = plain.strip_prefix("0b") {
        if !bin.is_empty() && bin.chars().all(|c| c == '0' || c == '1') {
            return true;
        }
    }
    if is_float(&plain) {
        return true;
    }
    is_timestamp(s)
}

/// go-yaml's `parseTimestamp`: four digits, `-`, then a date Go's `time.Parse` accepts with the
/// layout `2006-1-2` (month 1–12, day 1–31, one or two digits each), alone or followed by a time
/// after `T`, `t` or a space. `5678-8080` (a port pair) is not one and stays plain.
fn is_timestamp(s: &str) -> bool {
    let Some((year, rest)) = s.split_at_checked(4) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix('-') else {
        return false;
    };
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let number = |t: &str| -> Option<(u32, usize)> {
        let n = t.bytes().take(2).take_while(u8::is_ascii_digit).count();
        Some((t.get(..n)?.parse().ok()?, n))
    };
    let Some((month, n)) = number(rest) else {
        return false;
    };
    let Some(rest) = rest.get(n..).and_then(|r| r.strip_prefix('-')) else {
        return false;
    };
    let Some((day, n)) = number(rest) else {
        return false;
    };
    let tail = rest.get(n..).unwrap_or_default();
    (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && (tail.is_empty() || tail.starts_with(['T', 't', ' ']))
}

fn is_float(s: &str) -> bool {
    let (mant, exp) = match s.find(['e', 'E']) {
        Some(i) => (s.get(..i).unwrap_or(""), Some(s.get(i + 1..).unwrap_or(""))),
        None => (s, None),
    };
    let mant_ok = (mant.contains('.') || exp.is_some()) && {
        let digits: String = mant.chars().filter(|c| *c != '.').collect();
        !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit())
            && mant.matches('.').count() <= 1
    };
    let exp_ok = match exp {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
        }
    };
    mant_ok && exp_ok
}

/// libyaml's `yaml_emitter_analyze_scalar`: may the string be written plain in block context?
fn plain_allowed(s: &str) -> bool {
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    let chars: Vec<char> = s.chars().collect();
    let Some(&first) = chars.first() else {
        return false;
    };
    if first.is_whitespace() || chars.last().is_some_and(|c| c.is_whitespace()) {
        return false;
    }
    let second = chars.get(1).copied();
    if matches!(
        first,
        '#' | ','
            | '['
            | ']'
            | '{'
            | '}'
            | '&'
            | '*'
            | '!'
            | '|'
            | '>'
            | '\''
            | '"'
            | '%'
            | '@'
            | '`'
    ) {
        return false;
    }
    if matches!(first, '?' | ':' | '-') && second.is_none_or(|c| c == ' ') {
        return false;
    }
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let prev = if i == 0 {
            None
        } else {
            chars.get(i - 1).copied()
        };
        if c == ':' && next.is_none_or(|n| n == ' ') {
            return false;
        }
        if c == '#' && prev == Some(' ') {
            return false;
        }
        if c.is_control() || c == '\u{feff}' {
            return false;
        }
    }
    true
}

fn string_scalar(s: &str, block_indent: usize) -> String {
    if s.contains('\n') {
        let chomp = if !s.ends_with('\n') {
            "-"
        } else if s.ends_with("\n\n") {
            "+"
        } else {
            ""
        };
        let lead = if s.starts_with(' ') { "2" } else { "" };
        let mut out = format!("|{lead}{chomp}");
        let body = s.strip_suffix('\n').unwrap_or(s);
        for line in body.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                for _ in 0..block_indent {
                    out.push(' ');
                }
                out.push_str(line);
            }
        }
        return out;
    }
    if resolves_to_non_string(s) {
        return double_quoted(s);
    }
    if plain_allowed(s) {
        return s.to_string();
    }
    if s.chars().any(|c| c.is_control()) {
        return double_quoted(s);
    }
    format!("'{}'", s.replace('\'', "''"))
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The value as JSON with four-space indentation and a trailing newline.
pub fn to_json(value: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if value.serialize(&mut ser).is_err() {
        return String::new();
    }
    let s = String::from_utf8(buf).unwrap_or_default();
    // Go's encoder escapes HTML-significant characters (and the JavaScript line separators);
    // outside strings JSON has none of them, so the whole text can be rewritten.
    let mut escaped = String::with_capacity(s.len() + 1);
    for c in s.chars() {
        match c {
            '<' => escaped.push_str("\\u003c"),
            '>' => escaped.push_str("\\u003e"),
            '&' => escaped.push_str("\\u0026"),
            '\u{2028}' => escaped.push_str("\\u2028"),
            '\u{2029}' => escaped.push_str("\\u2029"),
            c => escaped.push(c),
        }
    }
    escaped.push('\n');
    escaped
}

/// A `v1 List` wrapping `items`, as kubectl prints several objects.
pub fn list(items: Vec<Value>) -> Value {
    serde_json::json!({
        "apiVersion": "v1",
        "items": items,
        "kind": "List",
        "metadata": { "resourceVersion": "" }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// kubectl's JSON printer goes through Go's `json.MarshalIndent`, which escapes `<`, `>`,
    /// `&`, U+2028 and U+2029 in strings (as kubectl 1.32 prints `sh -c 'a && b < c'`).
    #[test]
    fn json_escapes_html_as_go_does() {
        assert_eq!(
            to_json(&json!({"x": "a && b < c > d \u{2028}"})),
            "{\n    \"x\": \"a \\u0026\\u0026 b \\u003c c \\u003e d \\u2028\"\n}\n"
        );
    }

    #[test]
    fn timestamps_are_quoted_port_pairs_are_not() {
        for (s, want) in [
            ("2026-03-02", true),
            ("2026-3-2", true),
            ("2026-03-02T09:00:00Z", true),
            ("2001-12-14 21:59:43.10", true),
            ("5678-8080", false),
            ("2026-13-01", false),
            ("2026-03-02x", false),
            ("80-http", false),
        ] {
            assert_eq!(is_timestamp(s), want, "{s}");
        }
        assert_eq!(to_yaml(&json!({"name": "5678-8080"})), "name: 5678-8080\n");
    }

    #[test]
    fn yaml_matches_go_yaml_v2() {
        let v = json!({
            "a": "7",
            "b": "2026-03-02T09:00:00Z",
            "c": ["sleep", "3600", "-c", "echo hi"],
            "d": {"e": true, "f": [], "g": {}},
            "h": [{"name": "x", "ports": [{"containerPort": 80}]}],
            "i": "key: value",
            "j": "line1\nline2\n",
            "k": "",
            "l": "busybox",
            "m": "y",
            "n": null,
            "o": [["a"]],
        });
        let want = "a: \"7\"\nb: \"2026-03-02T09:00:00Z\"\nc:\n- sleep\n- \"3600\"\n- -c\n- echo hi\nd:\n  e: true\n  f: []\n  g: {}\nh:\n- name: x\n  ports:\n  - containerPort: 80\ni: 'key: value'\nj: |\n  line1\n  line2\nk: \"\"\nl: busybox\nm: \"y\"\n\"n\": null\no:\n- - a\n";
        assert_eq!(to_yaml(&v), want);
    }
}
