//! `kubectl explain`: the OpenAPI v3 plaintext renderer of kubectl 1.32
//! (`k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl` as the 1.32 binary embeds it, with
//! the `wrap`/`indent` helpers of `explain/v2/funcs.go`) over the descriptions in `explain/schema.rs`,
//! which are the OpenAPI descriptions as k8s-openapi (Kubernetes 1.34) carries them.
//!
//! `--recursive` is the template's `fieldList` with `Recursive`: every field's `fieldDetail` in
//! its short form (name indented two spaces a level, a tab, `<type>`, `-required-`, the `enum:`
//! line), each followed by the fields of the type it refers to one level deeper, a type already
//! on the way down not expanded again (the template's `history` of refs, copied per branch).
//!
//! Simplifications: only the types kubeplay's kinds reach through their fields are known (a path
//! into any other type says so instead of guessing). k8s-openapi drops the `enum` lists and their
//! `Possible enum values:` paragraphs (the spec it is built from was generated without them); the
//! schema generator puts them back from the `+enum` types' constants for the fields kubeplay's
//! manifests use (its `ENUMS` table), as a real API server serves them; the other enum fields of
//! the deeper types (volume sources, security contexts, …) print without them.

use crate::engine::api::Kind;

/// One API type: its description and, for objects, its fields sorted by name (read from the
/// docs bundle, see [`super::help`]).
#[derive(Debug)]
pub(super) struct TypeDoc {
    pub(super) name: String,
    pub(super) description: String,
    pub(super) fields: Option<Vec<FieldDoc>>,
}

/// One property of an object type.
#[derive(Debug)]
pub(super) struct FieldDoc {
    pub(super) name: String,
    /// The template's `typeGuess`: `string`, `[]Container`, `map[string]string`, `IntOrString`.
    pub(super) type_guess: String,
    pub(super) required: bool,
    pub(super) description: String,
    /// The named type the field refers to (through `allOf`, `items` or `additionalProperties`).
    pub(super) of_type: Option<String>,
    /// The OpenAPI `enum` values (sorted), empty for a field that is not an enum.
    pub(super) enum_values: Vec<String>,
}

/// The generated `explain/schema.rs`: the source of the docs bundle's types, compiled only for
/// the test that checks the bundle.
#[cfg(test)]
mod source;

#[cfg(test)]
pub(super) fn source_types() -> &'static [source::TypeDoc] {
    source::types()
}

fn type_doc(types: &'static [TypeDoc], name: &str) -> Option<&'static TypeDoc> {
    types.iter().find(|t| t.name == name)
}

/// What `kubectl explain PATH` prints: standard output, and the error line if it fails (kubectl
/// prints the resource header before finding out that a field does not exist).
pub fn explain(path: &str, recursive: bool) -> (String, Option<String>) {
    let mut out = String::new();
    match render(path, recursive, &mut out) {
        Ok(()) => (out, None),
        Err(e) => (out, Some(e)),
    }
}

fn render(path: &str, recursive: bool, out: &mut String) -> Result<(), String> {
    let mut parts = path.split('.');
    let res = parts.next().unwrap_or_default();
    let field_path: Vec<&str> = parts.collect();
    let Some(kind) = Kind::from_resource(res) else {
        // explain prints the RESTMapper's error without kubectl's `error: ` prefix.
        let note = super::elsewhere::by_resource(res)
            .map(|k| format!("\n{}", k.note()))
            .unwrap_or_default();
        return Err(format!(
            "the server doesn't have a resource type \"{res}\"{note}"
        ));
    };
    let types: &'static [TypeDoc] = &super::help::docs()?.types;
    let info = kind.info();
    let Some(root) = type_doc(types, kind.as_str()) else {
        return Err(format!(
            "error: kubeplay has no OpenAPI schema for {}",
            info.plural
        ));
    };
    if !info.group.is_empty() {
        out.push_str(&format!("GROUP:      {}\n", info.group));
    }
    out.push_str(&format!(
        "KIND:       {}\nVERSION:    {}\n\n",
        kind.as_str(),
        info.version
    ));
    let not_found = || {
        format!(
            "error: field \"{}\" does not exist",
            field_path.last().copied().unwrap_or_default()
        )
    };
    let unknown_type = |t: &str| format!("error: kubeplay has no OpenAPI schema for {t} ({path})");
    // The object whose fields the next path element names, and the field reached last.
    let mut object: &TypeDoc = root;
    let mut field: Option<&FieldDoc> = None;
    for (i, name) in field_path.iter().enumerate() {
        if let Some(f) = field {
            let Some(t) = f.of_type.as_deref() else {
                return Err(not_found());
            };
            object = type_doc(types, t).ok_or_else(|| unknown_type(t))?;
        }
        let f = object
            .fields
            .as_deref()
            .and_then(|fs| fs.iter().find(|f| f.name == *name))
            .ok_or_else(not_found)?;
        if i + 1 == field_path.len() {
            out.push_str(&format!("FIELD: {name} <{}>\n", f.type_guess));
            out.push_str(&extract_enum(&f.enum_values, true, None, 0));
            out.push_str("\n\n");
        }
        field = Some(f);
    }
    // The `description` template: the field's own text, then that of the type it refers to.
    let (description, fields) = match field {
        None => (format!("{}\n", root.description), root.fields.as_deref()),
        Some(f) => {
            let mut d = String::new();
            if !f.description.is_empty() {
                d.push_str(&f.description);
                d.push('\n');
            }
            let referred = match f.of_type.as_deref() {
                Some(t) => Some(type_doc(types, t).ok_or_else(|| unknown_type(t))?),
                None => None,
            };
            if let Some(t) = referred.filter(|t| !t.description.is_empty()) {
                d.push_str(&t.description);
                d.push('\n');
            }
            (d, referred.and_then(|t| t.fields.as_deref()))
        }
    };
    let description = if description.is_empty() {
        "<empty>".to_string()
    } else {
        description
    };
    out.push_str("DESCRIPTION:\n");
    out.push_str(&indent(&wrap(&description, 76), 4));
    out.push('\n');
    if let Some(fields) = fields.filter(|f| !f.is_empty()) {
        out.push_str("FIELDS:\n");
        if recursive {
            // A field's own type is the first ref on the way down; the resource's is not.
            let mut history: Vec<&str> = field
                .and_then(|f| f.of_type.as_deref())
                .into_iter()
                .collect();
            field_tree(types, fields, 1, &mut history, out).map_err(|t| unknown_type(&t))?;
            out.push('\n');
            return Ok(());
        }
        for f in fields {
            out.push_str(&format!("  {}\t<{}>", f.name, f.type_guess));
            if f.required {
                out.push_str(" -required-");
            }
            out.push_str(&extract_enum(&f.enum_values, false, Some(4), 2));
            out.push('\n');
            let d = if f.description.is_empty() {
                "<no description>"
            } else {
                &f.description
            };
            out.push_str(&indent(&wrap(d, 76), 4));
            out.push_str("\n\n");
        }
    }
    out.push('\n');
    Ok(())
}

/// The template's `fieldList` with `Recursive`: each field's short `fieldDetail` at `level`, then
/// the fields of the type it refers to at `level + 1`, unless that type is already in `history`
/// (the refs on the way down). The error names a type the docs bundle does not have.
fn field_tree(
    types: &'static [TypeDoc],
    fields: &'static [FieldDoc],
    level: usize,
    history: &mut Vec<&'static str>,
    out: &mut String,
) -> Result<(), String> {
    let indent_amount = level * 2;
    for f in fields {
        out.push_str(&" ".repeat(indent_amount));
        out.push_str(&format!("{}\t<{}>", f.name, f.type_guess));
        if f.required {
            out.push_str(" -required-");
        }
        out.push_str(&extract_enum(&f.enum_values, false, Some(4), indent_amount));
        out.push('\n');
        let Some(t) = f.of_type.as_deref() else {
            continue;
        };
        if history.contains(&t) {
            continue;
        }
        let doc = type_doc(types, t).ok_or_else(|| t.to_string())?;
        if let Some(sub) = doc.fields.as_deref() {
            history.push(t);
            field_tree(types, sub, level + 1, history, out)?;
            history.pop();
        }
    }
    Ok(())
}

/// The template's `wrap`, `go-wordwrap`'s `WrapString` (v1.0.1): keeps line breaks, breaks
/// only at white space, counts runes, never splits a word longer than the limit.
fn wrap(s: &str, lim: usize) -> String {
    let mut buf = String::with_capacity(s.len() + s.len() / lim.max(1));
    let mut current = 0usize;
    let mut word = String::new();
    let mut word_len = 0usize;
    let mut space = String::new();
    let mut space_len = 0usize;
    for c in s.chars() {
        if c == '\n' {
            buf.push_str(&space);
            space.clear();
            space_len = 0;
            buf.push_str(&word);
            word.clear();
            word_len = 0;
            buf.push(c);
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if space_len == 0 || word_len > 0 {
                current += space_len + word_len;
                buf.push_str(&space);
                space.clear();
                space_len = 0;
                buf.push_str(&word);
                word.clear();
                word_len = 0;
            }
            space.push(c);
            space_len += 1;
        } else {
            word.push(c);
            word_len += 1;
            if current + space_len + word_len > lim && word_len < lim {
                buf.push('\n');
                current = 0;
                space.clear();
                space_len = 0;
            }
        }
    }
    if word_len == 0 {
        if current + space_len <= lim {
            buf.push_str(&space);
        }
    } else {
        buf.push_str(&space);
        buf.push_str(&word);
    }
    buf
}

/// The template's `extractEnum`: nothing without values; in the long view (one field's page)
/// `ENUM:` and each value on its own line; in the short view (a line of the FIELDS list) a new
/// line, `indent_amount` spaces, `enum: ` and the values joined by `, `. Past `limit` values it
/// stops with `, ....`; the empty string prints as `""`.
fn extract_enum(
    values: &[String],
    is_long_view: bool,
    limit: Option<usize>,
    indent_amount: usize,
) -> String {
    let mut out = String::new();
    if values.is_empty() {
        return out;
    }
    if is_long_view {
        out.push_str("ENUM:");
    } else {
        out.push('\n');
        out.push_str(&" ".repeat(indent_amount));
        out.push_str("enum: ");
    }
    for (i, v) in values.iter().enumerate() {
        if limit.is_some_and(|l| i >= l) {
            out.push_str(", ....");
            break;
        }
        if is_long_view {
            out.push_str("\n    ");
        } else if i > 0 {
            out.push_str(", ");
        }
        out.push_str(if v.is_empty() { "\"\"" } else { v });
    }
    out
}

/// The template's `indent`: every line (the first and each after a `\n`) gets `n` spaces.
fn indent(s: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    format!("{pad}{}", s.replace('\n', &format!("\n{pad}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_line_breaks_and_breaks_at_spaces() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(wrap("aaa\nbbb ccc", 7), "aaa\nbbb ccc");
        assert_eq!(
            wrap("https://example.com/a/very/long/url x", 10),
            "https://example.com/a/very/long/url\nx"
        );
    }

    #[test]
    fn every_field_type_is_known_or_a_leaf() {
        for t in source_types() {
            for f in t.fields.unwrap_or_default() {
                assert!(!f.type_guess.is_empty(), "{}.{}", t.name, f.name);
            }
        }
    }

    /// `TestPlaintext`'s `extractEnum` cases (kubectl `pkg/explain/v2/templates/template_test.go`).
    #[test]
    fn extract_enum_cases() {
        let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let digits = v(&["0", "1", "2", "3"]);
        #[allow(clippy::type_complexity)]
        let cases: Vec<(&str, Vec<String>, bool, Option<usize>, usize, &str)> = vec![
            ("extractEmptyEnum", vec![], true, None, 0, ""),
            (
                "extractEnumSimpleForm",
                digits.clone(),
                true,
                None,
                0,
                "ENUM:\n    0\n    1\n    2\n    3",
            ),
            (
                "extractEnumLongFormWithIndent",
                digits.clone(),
                false,
                None,
                2,
                "\n  enum: 0, 1, 2, 3",
            ),
            (
                "extractEnumLongFormWithLimitAndIndent",
                digits.clone(),
                false,
                Some(2),
                2,
                "\n  enum: 0, 1, ....",
            ),
            (
                "extractEnumSimpleFormWithLimitAndIndent",
                digits,
                true,
                Some(2),
                2,
                "ENUM:\n    0\n    1, ....",
            ),
            (
                "extractEnumSimpleFormEmptyString",
                v(&["Block", "File", ""]),
                true,
                None,
                0,
                "ENUM:\n    Block\n    File\n    \"\"",
            ),
        ];
        for (name, values, long, limit, indent, want) in cases {
            assert_eq!(extract_enum(&values, long, limit, indent), want, "{name}");
        }
    }

    /// A field page of an enum field puts `ENUM:` between the FIELD line and DESCRIPTION, and
    /// the description ends with the generated `Possible enum values:` paragraph; in a FIELDS
    /// list the field gets an `enum:` line. Non-enum fields are unchanged.
    #[test]
    fn enum_fields_in_both_views() {
        let (text, err) = explain("pod.spec.restartPolicy", false);
        assert_eq!(err, None);
        assert!(text.starts_with(
            "KIND:       Pod\nVERSION:    v1\n\nFIELD: restartPolicy <string>\nENUM:\n    Always\n    Never\n    OnFailure\n\nDESCRIPTION:\n"
        ));
        assert!(text.ends_with(
            "    Possible enum values:\n     - `\"Always\"`\n     - `\"Never\"`\n     - `\"OnFailure\"`\n    \n\n"
        ));
        let (list, _) = explain("pod.spec", false);
        assert!(list.contains(
            "  dnsPolicy\t<string>\n  enum: ClusterFirst, ClusterFirstWithHostNet, Default, None\n    Set DNS policy"
        ));
        assert!(list.contains("  hostname\t<string>\n    Specifies the hostname"));
        for (path, values) in [
            ("job.spec.completionMode", "Indexed\n    NonIndexed"),
            ("ds.spec.updateStrategy.type", "OnDelete\n    RollingUpdate"),
            (
                "pod.spec.containers.imagePullPolicy",
                "Always\n    IfNotPresent\n    Never",
            ),
            (
                "pod.spec.tolerations.effect",
                "NoExecute\n    NoSchedule\n    PreferNoSchedule",
            ),
            ("pod.spec.tolerations.operator", "Equal\n    Exists"),
            (
                "job.spec.podFailurePolicy.rules.action",
                "Count\n    FailIndex\n    FailJob\n    Ignore",
            ),
            (
                "job.spec.podFailurePolicy.rules.onExitCodes.operator",
                "In\n    NotIn",
            ),
            (
                "job.spec.podReplacementPolicy",
                "Failed\n    TerminatingOrFailed",
            ),
            (
                "node.spec.taints.effect",
                "NoExecute\n    NoSchedule\n    PreferNoSchedule",
            ),
        ] {
            let (text, err) = explain(path, false);
            assert_eq!(err, None, "{path}");
            assert!(
                text.contains(&format!(">\nENUM:\n    {values}\n\nDESCRIPTION:\n")),
                "{path}:\n{text}"
            );
        }
        let (text, _) = explain("pod.spec.hostname", false);
        assert!(text.contains("FIELD: hostname <string>\n\n\nDESCRIPTION:"));
    }

    /// `fieldList` with `Recursive` (checked against kubectl 1.32 over the same schema with
    /// `scripts/kubectl-oracle.py`): names indented two spaces a level, a tab, the type,
    /// `-required-`, the short `enum:` line at the field's indentation, no descriptions.
    #[test]
    fn recursive_field_tree() {
        let (text, err) = explain("job.spec.podFailurePolicy", true);
        assert_eq!(err, None);
        let fields = text.split("FIELDS:\n").nth(1).unwrap();
        assert_eq!(
            fields,
            "  rules\t<[]PodFailurePolicyRule> -required-\n    action\t<string> -required-\n    enum: Count, FailIndex, FailJob, Ignore\n    onExitCodes\t<PodFailurePolicyOnExitCodesRequirement>\n      containerName\t<string>\n      operator\t<string> -required-\n      enum: In, NotIn\n      values\t<[]integer> -required-\n    onPodConditions\t<[]PodFailurePolicyOnPodConditionsPattern>\n      status\t<string> -required-\n      type\t<string> -required-\n\n"
        );
        // The description is the one the field's page shows.
        let (plain, _) = explain("job.spec.podFailurePolicy", false);
        assert_eq!(text.split("FIELDS:").next(), plain.split("FIELDS:").next());
        // Every type a kind reaches is in the bundle: a whole resource recurses to its leaves.
        for res in ["pods", "ds", "jobs", "nodes"] {
            let (text, err) = explain(res, true);
            assert_eq!(err, None, "{res}");
            assert!(
                res == "nodes"
                    || text.contains(" nodeSelectorTerms\t<[]NodeSelectorTerm> -required-\n"),
                "{res}"
            );
        }
    }

    #[test]
    fn field_view_shape() {
        let (text, err) = explain("ds.spec.updateStrategy.rollingUpdate.maxSurge", false);
        assert_eq!(err, None);
        assert!(text.starts_with("GROUP:      apps\nKIND:       DaemonSet\nVERSION:    v1\n\nFIELD: maxSurge <IntOrString>\n\n\nDESCRIPTION:\n    The maximum number of nodes with an existing available DaemonSet pod that\n"));
        assert!(text.contains("during disruption.\n    IntOrString is a type that can hold an int32 or a string.  When used in JSON\n"));
        assert_eq!(
            explain("jobs.spec.nope", false),
            (
                "GROUP:      batch\nKIND:       Job\nVERSION:    v1\n\n".to_string(),
                Some("error: field \"nope\" does not exist".to_string())
            )
        );
    }
}
