//! YAML editor support: a line tokenizer for syntax colouring (the overlaid `<pre>`) and the
//! error position parsed out of an API server or decoder message. Pure: tested natively.
//!
//! Simplification: the tokenizer is line-based (block scalars and multi-line flow collections
//! colour as plain text); it only colours and never decides anything.

/// A token class; its `as_str` is the CSS class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// Anything uncoloured (indentation, punctuation, plain scalars).
    Plain,
    /// A mapping key.
    Key,
    /// A quoted string.
    Str,
    /// A number, boolean or null.
    Lit,
    /// A `# comment`.
    Comment,
    /// `---` / `...` document markers.
    Doc,
    /// A sequence dash.
    Dash,
}

impl Tok {
    /// CSS class.
    pub fn as_str(self) -> &'static str {
        match self {
            Tok::Plain => "t-plain",
            Tok::Key => "t-key",
            Tok::Str => "t-str",
            Tok::Lit => "t-lit",
            Tok::Comment => "t-comment",
            Tok::Doc => "t-doc",
            Tok::Dash => "t-dash",
        }
    }
}

/// Splits one line into coloured spans whose texts concatenate to the line.
pub fn highlight_line(line: &str) -> Vec<(Tok, String)> {
    let mut out = Vec::new();
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    if indent > 0 {
        out.push((
            Tok::Plain,
            line.get(..indent).unwrap_or_default().to_string(),
        ));
    }
    if indent == 0 && (trimmed.starts_with("---") || trimmed.starts_with("...")) {
        out.push((Tok::Doc, trimmed.to_string()));
        return out;
    }
    let mut rest = trimmed;
    while let Some(after) = rest
        .strip_prefix("- ")
        .or(if rest == "-" { Some("") } else { None })
    {
        out.push((Tok::Dash, "-".into()));
        let spaces = after.len() - after.trim_start().len();
        out.push((Tok::Plain, " ".repeat(spaces + usize::from(rest != "-"))));
        rest = after.trim_start();
    }
    if let Some(stripped) = rest.strip_prefix('#') {
        out.push((Tok::Comment, format!("#{stripped}")));
        return tidy(out);
    }
    if let Some(colon) = key_colon(rest) {
        let (key, value) = rest.split_at(colon);
        out.push((Tok::Key, key.to_string()));
        out.push((Tok::Plain, ":".into()));
        scalar(value.get(1..).unwrap_or_default(), &mut out);
    } else {
        scalar(rest, &mut out);
    }
    tidy(out)
}

/// The byte index of the `:` that ends a mapping key (followed by space or end of line), outside
/// quotes and before any comment.
fn key_colon(s: &str) -> Option<usize> {
    if s.starts_with(['"', '\'', '[', '{', '#']) {
        return None;
    }
    let bytes = s.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'#' if i > 0 && bytes.get(i - 1) == Some(&b' ') => return None,
            b':' if matches!(bytes.get(i + 1), None | Some(b' ')) => return Some(i),
            _ => {}
        }
    }
    None
}

fn scalar(s: &str, out: &mut Vec<(Tok, String)>) {
    let body = s.trim_start();
    let lead = s.len() - body.len();
    if lead > 0 {
        out.push((Tok::Plain, " ".repeat(lead)));
    }
    let (value, comment) = match body.find(" #") {
        Some(i) if !body.starts_with(['"', '\'']) => (body.get(..i).unwrap_or(body), body.get(i..)),
        _ => (body, None),
    };
    if body.starts_with('#') {
        out.push((Tok::Comment, body.to_string()));
        return;
    }
    let v = value.trim_end();
    let tok = if v.starts_with(['"', '\'']) {
        Tok::Str
    } else if is_literal(v) {
        Tok::Lit
    } else {
        Tok::Plain
    };
    out.push((tok, value.to_string()));
    if let Some(c) = comment {
        out.push((Tok::Comment, c.to_string()));
    }
}

fn is_literal(v: &str) -> bool {
    matches!(
        v,
        "true" | "false" | "True" | "False" | "null" | "~" | "yes" | "no"
    ) || (!v.is_empty() && v.parse::<f64>().is_ok())
}

fn tidy(spans: Vec<(Tok, String)>) -> Vec<(Tok, String)> {
    spans.into_iter().filter(|(_, t)| !t.is_empty()).collect()
}

/// Where an error points, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line.
    pub line: u32,
    /// Column, if the message has one.
    pub column: Option<u32>,
}

fn number_after(s: &str) -> Option<(u32, &str)> {
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n = s.get(..digits)?.parse().ok()?;
    Some((n, s.get(digits..).unwrap_or_default()))
}

/// The position in an error message: `line 3 column 5`, `line 3:`, `at line 3, column 5`, or a
/// bare `3:5`.
pub fn error_position(msg: &str) -> Option<Position> {
    let lower = msg.to_ascii_lowercase();
    if let Some(i) = lower.find("line ") {
        let (line, rest) = number_after(lower.get(i + 5..)?)?;
        let rest = rest.trim_start_matches([',', ' ']);
        let column = rest
            .strip_prefix("column ")
            .and_then(number_after)
            .map(|(c, _)| c);
        return Some(Position { line, column });
    }
    let bytes = lower.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        let starts_number =
            b.is_ascii_digit() && (i == 0 || !bytes.get(i - 1).is_some_and(u8::is_ascii_digit));
        if !starts_number {
            continue;
        }
        if let Some((line, rest)) = number_after(lower.get(i..)?) {
            if let Some((column, _)) = rest.strip_prefix(':').and_then(number_after) {
                return Some(Position {
                    line,
                    column: Some(column),
                });
            }
        }
    }
    None
}

/// The field path an API server message is about: `kind` for an unknown kind, the path of
/// strict decoding's `unknown field "spec.paralelism"`, or the first `* spec.x: Invalid value` /
/// `The Job "j" is invalid: spec.x: ...` line of a validation error.
fn field_path(msg: &str) -> Option<&str> {
    // A misspelt kind (`no matches for kind "Jobb"`): the `kind:` line.
    if msg.contains("no matches for kind") {
        return Some("kind");
    }
    if let Some(i) = msg.find("unknown field \"") {
        let rest = msg.get(i + 15..)?;
        return rest.get(..rest.find('"')?);
    }
    let after = msg.find(" is invalid: ").map(|i| i + 13)?;
    let rest = msg.get(after..)?.trim_start_matches(['\n', '*', ' ']);
    let path = rest.get(..rest.find(": ")?)?;
    let well_formed = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '[' | ']' | '_' | '-' | '/'));
    well_formed.then_some(path)
}

/// A block-style line's indentation, whether it starts a `- ` item, and its key (after any
/// `- `); `None` for a blank or comment line.
fn line_key(line: &str) -> Option<(usize, bool, Option<&str>)> {
    let body = line.trim_start_matches(' ');
    if body.trim().is_empty() || body.starts_with('#') {
        return None;
    }
    let (dash, rest) = match body.strip_prefix('-') {
        Some(rest) if rest.is_empty() || rest.starts_with(' ') => (true, rest.trim_start()),
        _ => (false, body),
    };
    let key = rest.split_once(':').map(|(k, _)| k.trim());
    Some((line.len() - body.len(), dash, key))
}

/// Where the field an API server error names is in the editor text: the line of its key (or of
/// the deepest parent written, for a missing required field). Block-style YAML, first
/// document only.
pub fn field_position(text: &str, msg: &str) -> Option<Position> {
    let path = field_path(msg)?;
    let lines: Vec<_> = text
        .split('\n')
        .enumerate()
        .take_while(|(i, l)| *i == 0 || !l.starts_with("---"))
        .map(|(_, l)| line_key(l))
        .collect();
    // The lines from `from` on, while they are inside the block (indented past `parent`, or
    // the `- ` item line `item` itself).
    let block = |from: usize, parent: Option<usize>, item: Option<usize>| {
        lines
            .iter()
            .enumerate()
            .skip(from)
            .filter_map(|(i, l)| l.map(|l| (i, l)))
            .take_while(move |(i, (ind, _, _))| item == Some(*i) || parent.is_none_or(|p| *ind > p))
    };
    let mut found = None;
    let (mut from, mut parent, mut item) = (0, None, None);
    for seg in path.split('.') {
        let (key, index) = match seg.split_once('[') {
            Some((k, n)) => (k, n.trim_end_matches(']').parse::<usize>().ok()),
            None => (seg, None),
        };
        let Some((line, (indent, _, _))) =
            block(from, parent, item).find(|(_, l)| l.2 == Some(key))
        else {
            break;
        };
        found = Some((line, indent));
        (from, parent, item) = (line + 1, Some(indent), None);
        if let Some(n) = index {
            // The n-th `- ` item under the key (a list may sit at the key's own indentation).
            let items = || {
                lines
                    .iter()
                    .enumerate()
                    .skip(line + 1)
                    .filter_map(|(i, l)| l.map(|l| (i, l)))
                    .take_while(|(_, (ind, dash, _))| *ind > indent || (*dash && *ind == indent))
                    .filter(|(_, (_, dash, _))| *dash)
            };
            let first = items().next().map(|(_, l)| l.0);
            let Some((i, (ind, _, _))) = items().filter(|(_, l)| Some(l.0) == first).nth(n) else {
                break;
            };
            found = Some((i, ind));
            (from, parent, item) = (i, Some(ind), Some(i));
        }
    }
    let (line, indent) = found?;
    Some(Position {
        line: u32::try_from(line + 1).ok()?,
        column: u32::try_from(indent + 1).ok(),
    })
}

/// Number of lines in the editor text (at least 1), for the gutter.
pub fn line_count(text: &str) -> usize {
    text.split('\n').count().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct PosCase {
        name: &'static str,
        msg: &'static str,
        want: Option<Position>,
    }

    #[test]
    fn error_position_table() {
        let p = |line, column| Some(Position { line, column });
        let cases = [
            PosCase {
                name: "serde_yaml",
                msg: "error: error parsing STDIN: mapping values are not allowed in this context at line 4 column 9",
                want: p(4, Some(9)),
            },
            PosCase {
                name: "go-yaml line only",
                msg: "error: error converting YAML to JSON: yaml: line 7: did not find expected key",
                want: p(7, None),
            },
            PosCase {
                name: "comma form",
                msg: "error at line 2, column 3",
                want: p(2, Some(3)),
            },
            PosCase {
                name: "bare line:col",
                msg: "error: yaml: 12:4: unexpected end",
                want: p(12, Some(4)),
            },
            PosCase {
                name: "none",
                msg: "Error from server (NotFound): jobs.batch \"pi\" not found",
                want: None,
            },
        ];
        for case in cases {
            assert_eq!(error_position(case.msg), case.want, "{}", case.name);
        }
    }

    const JOB: &str = "apiVersion: batch/v1
kind: Job
metadata:
  name: j
spec:
  paralelism: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: a
        image: busybox
      - name: b
        imag: busybox
";

    #[test]
    fn field_position_table() {
        let p = |line, column| Some(Position { line, column });
        let cases = [
            PosCase {
                name: "strict decoding: unknown field",
                msg: "Error from server (BadRequest): error when creating \"STDIN\": Job in version \"v1\" cannot be handled as a Job: strict decoding error: unknown field \"spec.paralelism\"",
                want: p(6, Some(3)),
            },
            PosCase {
                name: "unknown field in the second list item",
                msg: "Job in version \"v1\" cannot be handled as a Job: strict decoding error: unknown field \"spec.template.spec.containers[1].imag\"",
                want: p(14, Some(9)),
            },
            PosCase {
                name: "validation: a missing required field marks its item",
                msg: "The Job \"j\" is invalid: \n* spec.template.spec.containers[1].image: Required value",
                want: p(13, Some(7)),
            },
            PosCase {
                name: "validation: metadata.name",
                msg: "The Job \"Bad_Name\" is invalid: \n* metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain",
                want: p(4, Some(3)),
            },
            PosCase {
                name: "unknown kind",
                msg: "error: resource mapping not found for name: \"j\" namespace: \"\" from \"STDIN\": no matches for kind \"Jobb\" in version \"batch/v1\"",
                want: p(2, Some(1)),
            },
            PosCase {
                name: "no field named",
                msg: "Error from server (NotFound): jobs.batch \"pi\" not found",
                want: None,
            },
        ];
        for case in cases {
            assert_eq!(field_position(JOB, case.msg), case.want, "{}", case.name);
        }
        // Only the first document is searched.
        let two = "kind: Service\nmetadata:\n  name: s\n---\nkind: Job\nspec:\n  paralelism: 2\n";
        assert_eq!(
            field_position(two, "unknown field \"spec.paralelism\""),
            None
        );
        // Nothing to find, or flow style: no position, no panic.
        assert_eq!(field_position("", "unknown field \"spec.x\""), None);
        assert_eq!(
            field_position("spec: {x: 1}", "unknown field \"spec.x\""),
            p(1, Some(1))
        );
        assert_eq!(
            field_position("a:\n- b", "unknown field \"a[7].c\""),
            p(1, Some(1))
        );
    }

    fn kinds(line: &str) -> Vec<(Tok, &str)> {
        let spans = highlight_line(line);
        let joined: String = spans.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(joined, line, "spans must reassemble the line");
        // Leak-free borrow: map back onto the original line by lengths.
        let mut at = 0;
        spans
            .iter()
            .map(|(k, t)| {
                let s = line.get(at..at + t.len()).unwrap_or_default();
                at += t.len();
                (*k, s)
            })
            .collect()
    }

    #[test]
    fn highlight_table() {
        assert_eq!(
            kinds("  name: pi"),
            vec![
                (Tok::Plain, "  "),
                (Tok::Key, "name"),
                (Tok::Plain, ":"),
                (Tok::Plain, " "),
                (Tok::Plain, "pi")
            ]
        );
        assert_eq!(
            kinds("- name: main # c"),
            vec![
                (Tok::Dash, "-"),
                (Tok::Plain, " "),
                (Tok::Key, "name"),
                (Tok::Plain, ":"),
                (Tok::Plain, " "),
                (Tok::Plain, "main"),
                (Tok::Comment, " # c")
            ]
        );
        assert_eq!(kinds("---"), vec![(Tok::Doc, "---")]);
        assert_eq!(kinds("# hi"), vec![(Tok::Comment, "# hi")]);
        assert_eq!(
            kinds("  backoffLimit: 4"),
            vec![
                (Tok::Plain, "  "),
                (Tok::Key, "backoffLimit"),
                (Tok::Plain, ":"),
                (Tok::Plain, " "),
                (Tok::Lit, "4")
            ]
        );
        assert_eq!(
            kinds("command: [\"sh\", \"-c\"]"),
            vec![
                (Tok::Key, "command"),
                (Tok::Plain, ":"),
                (Tok::Plain, " "),
                (Tok::Plain, "[\"sh\", \"-c\"]")
            ]
        );
        assert_eq!(
            kinds("- -c"),
            vec![(Tok::Dash, "-"), (Tok::Plain, " "), (Tok::Plain, "-c")]
        );
        assert_eq!(
            kinds("image: \"a:b\""),
            vec![
                (Tok::Key, "image"),
                (Tok::Plain, ":"),
                (Tok::Plain, " "),
                (Tok::Str, "\"a:b\"")
            ]
        );
        assert_eq!(kinds(""), vec![]);
    }
}
