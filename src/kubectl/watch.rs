//! `kubectl get -w` and `--watch-only` over simulated time, after `watch()` in
//! `staging/src/k8s.io/kubectl/pkg/cmd/get/get.go` and the printers it drives
//! (`cli-runtime/pkg/printers/{tableprinter,json,yaml,name}.go`).
//!
//! What upstream does, and kubeplay with it: list (unless `--watch-only`), print the list, then
//! print every watch event of a matching object (ADDED, MODIFIED, DELETED) through the same
//! printer: one table row per event, the header only once (with the first rows printed), the
//! columns never narrower than in any earlier flush (the tab writer's `RememberWidths`), an
//! EVENT column first with `--output-watch-events` (`ADDED   `, `MODIFIED`, `DELETED `, padded
//! as `formatEventType` does); `-o name` one `kind/name` per event; `-o yaml` one document per
//! object, `---` between them; `-o json` each object indented, or with `--output-watch-events`
//! each event on one line (`{"type":…,"object":…}`). `kubectl get pod NAME -w` watches that one
//! object; `--watch-only` on it prints from its next change. Only one resource type
//! (`you may only specify a single resource type`); `--sort-by` is ignored with a warning.
//! A label or field selector is applied to every event as the API server's watch filter does:
//! an object that stops matching is DELETED from the watch, one that starts matching ADDED.
//! `kubectl events -w` is the same watch over Events with `kubectl events`' own printer
//! ([`start_events`]).
//!
//! kubeplay's rule for when a watch ends (a console has one prompt, a script no Ctrl+C): it
//! stays open while later commands move simulated time (`sim advance`, `kubectl wait`,
//! `sleep`) or change the cluster (`apply`, `delete`, `label`, `sim node add`, …), and prints
//! what each causes: after the command's own output, or before it for the commands that wait
//! (their message comes when the wait is over). Any other command (`get`, `describe`, `logs`,
//! `sim time`, …) ends it first, as Ctrl+C would; so does the end of a script. In the page the
//! play clock feeds it too, and Ctrl+C or the Stop button end it.
//!
//! Simplification: a watch whose events pile up beyond the engine's buffer
//! ([`crate::engine::watch::WATCH_BUFFER`] between two reads) is closed, as the API server
//! closes a watcher that cannot keep up; kubeplay says so on stderr (kubectl just exits).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::engine::api::{Kind, Object, ObjectKey};
use crate::engine::clock::SimTime;
use crate::engine::selector::{self, FieldSelector, Selector as LabelSelector};
use crate::engine::watch::ChangeType;
use crate::engine::Cluster;

use super::exec::{self, Out};
use super::jsonpath::JsonPath;
use super::parse::{Command, EventsCmd, GetCmd, OutputFormat, ResourceArg, SimCmd};
use super::print::{self, table, yaml};
use super::{parse, shell, CommandOutput, FileSource};

/// What a watch inside a shell line (a pipe, a loop, `$(…)`) prints after its list: such a line
/// runs to its end at once, so the watch cannot stay open.
pub(super) const NESTED_NOTE: &str = "kubeplay: a watch inside a shell line (a pipe, a loop, $(…)) ends after its list: run `kubectl get … -w` on a line of its own to follow what changes";

/// An open `kubectl get -w`.
#[derive(Debug)]
pub struct Watch {
    /// The command line that opened it (for the page's status line).
    pub(super) line: String,
    cmd: GetCmd,
    kind: Kind,
    /// The namespace watched; `None` for every namespace (or a cluster-scoped kind).
    namespace: Option<String>,
    /// The objects named (`get pod NAME -w`); empty for a whole collection.
    names: Vec<String>,
    label: Option<LabelSelector>,
    field: Option<FieldSelector>,
    /// Objects the watcher has seen and not seen deleted (an update of one is MODIFIED; one that
    /// comes into the selector is ADDED, one that leaves it DELETED).
    visible: BTreeSet<ObjectKey>,
    printer: Printer,
    /// `kubectl events -w` (its own printer; deleted events are not printed).
    events: Option<EventsCmd>,
}

/// The printer's state across events.
#[derive(Debug, Default)]
struct Printer {
    /// The tab writer's remembered column widths.
    widths: Vec<usize>,
    /// `HumanReadablePrinter.printedHeaders` (and the custom-columns printer's `lastType`).
    printed_headers: bool,
    /// Objects printed (`YAMLPrinter.printCount`: `---` goes before every one but the first).
    printed: usize,
    /// `-o custom-columns`.
    custom: Vec<(String, JsonPath)>,
    /// `-o jsonpath`.
    jsonpath: Option<JsonPath>,
}

impl Printer {
    /// Table rows through the tab writer that remembers its widths: the header (if any) with the
    /// first rows ever printed, then one flush per row, or for the initial list (`list`) one
    /// flush for all. Nothing for no rows.
    fn table(
        &mut self,
        header: Option<Vec<String>>,
        rows: impl Iterator<Item = Vec<String>>,
        list: bool,
        out: &mut Out,
    ) {
        let mut pending = Vec::new();
        for row in rows {
            if !self.printed_headers {
                self.printed_headers = true;
                pending.extend(header.clone());
            }
            pending.push(row);
            if !list {
                out.raw(print::tabwrite_remembering(&pending, &mut self.widths));
                pending.clear();
            }
        }
        if !pending.is_empty() {
            out.raw(print::tabwrite_remembering(&pending, &mut self.widths));
        }
    }
}

/// What a watch printed since it was last asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchOutput {
    /// Lines for standard output.
    pub stdout: String,
    /// A note on standard error (the watch was closed).
    pub stderr: String,
}

/// Where a command leaves an open watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The command waits in simulated time: the watch's lines come before its output.
    Before,
    /// The command changes the cluster: the watch's lines follow its output.
    After,
    /// Any other command ends the watch before it runs.
    End,
}

/// Whether `line` keeps an open watch (see the module docs).
pub(super) fn keep(line: &str) -> Keep {
    if shell::needs_shell(line) {
        // `sleep 30` waits; any other shell line may print what it likes.
        return match line.split_whitespace().next() {
            Some("sleep") if !line.contains([';', '|', '&', '$', '`']) => Keep::Before,
            _ => Keep::End,
        };
    }
    let Ok(words) = parse::tokenize(line) else {
        return Keep::End;
    };
    match parse::parse_words(&words) {
        Ok(Command::Sim(SimCmd::Advance(_)) | Command::Wait(_)) => Keep::Before,
        Ok(Command::Sim(SimCmd::Time | SimCmd::Dns { .. } | SimCmd::Curl { .. })) => Keep::End,
        Ok(Command::Nothing) => Keep::After,
        Ok(c) if c.mutates() => Keep::After,
        _ => Keep::End,
    }
}

/// `get -w`: lists and prints (unless `--watch-only`), then opens the watch.
pub(super) fn start(
    cluster: &mut Cluster,
    g: &GetCmd,
    stdin: Option<&str>,
    files: &dyn FileSource,
) -> (CommandOutput, Option<Watch>) {
    let mut out = Out::default();
    let watch = open(cluster, g, stdin, files, &mut out);
    (out.done(), watch)
}

fn open(
    cluster: &mut Cluster,
    g: &GetCmd,
    stdin: Option<&str>,
    files: &dyn FileSource,
    out: &mut Out,
) -> Option<Watch> {
    if g.sort_by.is_some() {
        out.warn("warning: --watch or --watch-only requested, --sort-by will be ignored");
    }
    // Checked on the arguments before listing, and again on what `-f` named.
    kinds_of(&g.resources, out)?;
    let listed = exec::list_for_get(cluster, g, stdin, files, out)?;
    let kinds = kinds_of(&listed.resources, out)?;
    // `r.Infos()`: a named object that does not exist fails the command before anything prints.
    if let Some(e) = listed.errors.first() {
        out.api(e);
        return None;
    }
    let kind = *kinds.first()?;
    let names: Vec<String> = listed
        .resources
        .iter()
        .filter_map(|r| match r {
            ResourceArg::Named(_, n) => Some(n.clone()),
            ResourceArg::Kind(_) => None,
        })
        .collect();
    // Inserted one by one: collecting into a set would sort (code the page need not carry).
    let mut visible = BTreeSet::new();
    for o in &listed.objs {
        visible.insert(o.key());
    }
    let mut printer = Printer::default();
    match &g.output {
        OutputFormat::CustomColumns(spec) => match exec::custom_column_spec(spec) {
            Ok(cols) => printer.custom = cols,
            Err(e) => {
                out.fail(e);
                return None;
            }
        },
        OutputFormat::JsonPath(t) => match JsonPath::parse(t) {
            Ok(p) => printer.jsonpath = Some(p),
            Err(e) => {
                out.fail(format!("error: error parsing jsonpath {t}, {e}"));
                return None;
            }
        },
        _ => {}
    }
    let mut watch = Watch {
        line: String::new(),
        cmd: g.clone(),
        kind,
        namespace: (kind.namespaced() && !g.all_namespaces).then(|| listed.namespace.clone()),
        names,
        label: g
            .selector
            .as_deref()
            .and_then(|s| LabelSelector::parse(s).ok()),
        field: g
            .field_selector
            .as_deref()
            .and_then(|s| FieldSelector::parse(s).ok()),
        visible,
        printer,
        events: None,
    };
    if !g.watch_only {
        let items: Vec<(ChangeType, &Object)> =
            listed.objs.iter().map(|o| (ChangeType::Added, o)).collect();
        watch.print(&items, cluster.now(), true, out);
    }
    cluster.open_watch(&[kind]);
    Some(watch)
}

/// `kubectl events -w` (`runWatch` in `kubectl/pkg/cmd/events/events.go`): a watch without a
/// list first, so the API server sends every current event as a synthetic ADDED (in its key
/// order, not sorted by time), then each new or updated one; deletions (the 1 h TTL) are not
/// printed. The table is `EventPrinter`'s, its header once.
pub(super) fn start_events(cluster: &mut Cluster, e: &EventsCmd) -> (CommandOutput, Watch) {
    let namespace = exec::ns_of(&e.namespace);
    let cmd = GetCmd {
        resources: vec![ResourceArg::Kind(Kind::Event)],
        namespace: e.namespace.clone(),
        all_namespaces: e.all_namespaces,
        selector: None,
        field_selector: None,
        output: e.output.clone(),
        show_labels: false,
        label_columns: Vec::new(),
        watch: true,
        watch_only: false,
        output_watch_events: false,
        no_headers: e.no_headers,
        sort_by: None,
        files: Vec::new(),
    };
    let mut watch = Watch {
        line: String::new(),
        cmd,
        kind: Kind::Event,
        namespace: (!e.all_namespaces).then(|| namespace.clone()),
        names: Vec::new(),
        label: None,
        field: None,
        visible: BTreeSet::new(),
        printer: Printer::default(),
        events: Some(e.clone()),
    };
    let mut out = Out::default();
    if let OutputFormat::JsonPath(t) = &e.output {
        match JsonPath::parse(t) {
            Ok(p) => watch.printer.jsonpath = Some(p),
            Err(err) => out.fail(format!("error: error parsing jsonpath {t}, {err}")),
        }
    }
    let current: Vec<Object> = cluster
        .store()
        .list(Kind::Event)
        .filter(|o| watch.matches(o))
        .cloned()
        .collect();
    let now = cluster.now();
    for o in &current {
        watch.visible.insert(o.key());
        watch.print(&[(ChangeType::Added, o)], now, false, &mut out);
    }
    cluster.open_watch(&[Kind::Event]);
    (out.done(), watch)
}

impl Watch {
    /// The command line that opened the watch.
    pub fn line(&self) -> &str {
        &self.line
    }

    /// Whether `o` is one of the objects watched.
    fn matches(&self, o: &Object) -> bool {
        if o.kind() != self.kind {
            return false;
        }
        if let (Some(e), Object::Event(ev)) = (&self.events, o) {
            let ns = self.namespace.as_deref().unwrap_or_default();
            return exec::event_selected(ev, e, ns);
        }
        if let Some(ns) = &self.namespace {
            if o.namespace() != ns {
                return false;
            }
        }
        if !self.names.is_empty() && !self.names.iter().any(|n| n == o.name()) {
            return false;
        }
        if let Some(sel) = &self.label {
            let none = std::collections::BTreeMap::new();
            if !sel.matches(o.meta().labels.as_ref().unwrap_or(&none)) {
                return false;
            }
        }
        if let Some(fs) = &self.field {
            if !fs.matches(&selector::object_fields(self.kind.as_str(), &o.to_json())) {
                return false;
            }
        }
        true
    }

    /// Prints what changed since the last call; `None` once the watch was closed.
    pub(super) fn poll(&mut self, cluster: &mut Cluster) -> (WatchOutput, bool) {
        let read = cluster.take_changes();
        let mut out = Out::default();
        for change in &read.changes {
            let key = change.object.key();
            let was = self.visible.contains(&key);
            let event = match change.change {
                ChangeType::Deleted => was.then_some(ChangeType::Deleted),
                ChangeType::Added | ChangeType::Modified => {
                    if self.matches(&change.object) {
                        Some(if was && change.change == ChangeType::Modified {
                            ChangeType::Modified
                        } else {
                            ChangeType::Added
                        })
                    } else {
                        was.then_some(ChangeType::Deleted)
                    }
                }
            };
            let Some(event) = event else {
                continue;
            };
            // `runWatch`: "events are deleted after 1 hour; don't print that".
            if self.events.is_some() && event == ChangeType::Deleted {
                self.visible.remove(&key);
                continue;
            }
            if event == ChangeType::Deleted {
                self.visible.remove(&key);
            } else {
                self.visible.insert(key);
            }
            self.print(&[(event, &change.object)], change.at, false, &mut out);
        }
        let open = cluster.watching();
        if !open {
            out.warn("kubeplay: the watch was closed: more changes came at once than a watch may fall behind by (the API server closes such a watcher); run the get again");
        }
        (
            WatchOutput {
                stdout: out.stdout,
                stderr: out.stderr,
            },
            open,
        )
    }

    /// Prints objects through the watch's printer at `now`; `list` prints them as one flush
    /// (the initial list), else each is its own.
    fn print(&mut self, items: &[(ChangeType, &Object)], now: SimTime, list: bool, out: &mut Out) {
        let g = &self.cmd;
        let events = g.output_watch_events;
        let p = &mut self.printer;
        if let (Some(e), OutputFormat::Table | OutputFormat::Wide) = (&self.events, &g.output) {
            let rows = items.iter().filter_map(|(_, o)| match o {
                Object::Event(ev) => Some(exec::event_row(ev, e.all_namespaces, now)),
                _ => None,
            });
            let header = (!e.no_headers).then(|| exec::event_header(e.all_namespaces));
            p.table(header, rows, false, out);
            return;
        }
        match &g.output {
            OutputFormat::Table | OutputFormat::Wide => {
                let show_ns = g.all_namespaces && self.kind.namespaced();
                let ctx = table::RowCtx {
                    now,
                    wide: g.output == OutputFormat::Wide,
                };
                let header = (!g.no_headers).then(|| {
                    let mut header = exec::table_header(self.kind, g, show_ns);
                    if events {
                        header.insert(0, "EVENT".to_string());
                    }
                    header
                });
                let rows = items.iter().map(|(t, o)| {
                    let mut cells = exec::table_cells(o, g, ctx, show_ns, false);
                    if events {
                        cells.insert(0, event_column(*t).to_string());
                    }
                    cells
                });
                p.table(header, rows, list, out);
            }
            OutputFormat::CustomColumns(_) => {
                let header =
                    (!g.no_headers).then(|| p.custom.iter().map(|(n, _)| n.clone()).collect());
                let rows: Vec<Vec<String>> = items
                    .iter()
                    .map(|(_, o)| exec::custom_column_cells(o, &p.custom))
                    .collect();
                p.table(header, rows.into_iter(), list, out);
            }
            OutputFormat::Name => {
                for (_, o) in items {
                    out.out(exec::ref_name(o));
                }
            }
            OutputFormat::Yaml => {
                for (t, o) in items {
                    if p.printed > 0 {
                        out.raw("---\n");
                    }
                    p.printed += 1;
                    out.raw(yaml::to_yaml(&event_value(*t, o, events)));
                }
            }
            OutputFormat::Json => {
                for (t, o) in items {
                    if events {
                        // `JSONPrinter` marshals a WatchEvent with `json.Marshal`: one line.
                        out.out(go_compact_json(&serde_json::json!({
                            "type": t.as_str(),
                            "object": o.to_json(),
                        })));
                    } else {
                        out.raw(yaml::to_json(&o.to_json()));
                    }
                }
            }
            OutputFormat::JsonPath(t) => {
                let Some(jp) = &p.jsonpath else { return };
                for (ty, o) in items {
                    let v = event_value(*ty, o, events);
                    match jp.execute(&v) {
                        Ok(s) => out.raw(s),
                        Err(e) => out.fail(format!(
                            "error: error executing jsonpath {t:?}: Error executing template: {e}"
                        )),
                    }
                }
            }
            OutputFormat::GoTemplate(t) => {
                for (ty, o) in items {
                    exec::go_template(t, &event_value(*ty, o, events), out);
                }
            }
        }
    }
}

/// The kinds `resources` name, sorted, once each; a watch follows one resource type, so more
/// than one fails with upstream's error (and `None`).
fn kinds_of(resources: &[ResourceArg], out: &mut Out) -> Option<Vec<Kind>> {
    let mut kinds: Vec<Kind> = resources.iter().map(ResourceArg::kind).collect();
    print::sort(&mut kinds);
    kinds.dedup();
    if kinds.len() > 1 {
        out.fail("error: you may only specify a single resource type");
        return None;
    }
    Some(kinds)
}

/// `formatEventType`: the event types padded to one width.
fn event_column(t: ChangeType) -> &'static str {
    match t {
        ChangeType::Added => "ADDED   ",
        ChangeType::Modified => "MODIFIED",
        ChangeType::Deleted => "DELETED ",
    }
}

/// The object, or with `--output-watch-events` the `metav1.WatchEvent` around it.
fn event_value(t: ChangeType, o: &Object, events: bool) -> Value {
    if events {
        serde_json::json!({ "type": t.as_str(), "object": o.to_json() })
    } else {
        o.to_json()
    }
}

/// Go's `json.Marshal`: compact, keys as given (`serde_json`'s maps are sorted, as Go sorts an
/// unstructured object's), and `<`, `>`, `&` escaped (they can only occur inside strings).
fn go_compact_json(v: &Value) -> String {
    let mut text = String::new();
    let type_first = v.get("type").zip(v.get("object"));
    match type_first {
        // `metav1.WatchEvent`'s fields come in struct order: type, then object.
        Some((t, o)) => {
            text.push_str("{\"type\":");
            text.push_str(&serde_json::to_string(t).unwrap_or_default());
            text.push_str(",\"object\":");
            text.push_str(&serde_json::to_string(o).unwrap_or_default());
            text.push('}');
        }
        None => text.push_str(&serde_json::to_string(v).unwrap_or_default()),
    }
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_that_wait_or_change_the_cluster_keep_the_watch() {
        let cases = [
            ("sim advance 30s", Keep::Before),
            ("kubectl wait --for=condition=complete job/pi", Keep::Before),
            ("sleep 10", Keep::Before),
            ("sleep 5; kubectl get pods", Keep::End),
            ("kubectl apply -f job.yaml", Keep::After),
            ("delete pod web", Keep::After),
            ("label node n1 disktype=ssd", Keep::After),
            ("sim node add n2", Keep::After),
            ("sim time", Keep::End),
            ("get pods", Keep::End),
            ("kubectl get pods -w", Keep::End),
            ("describe pod web", Keep::End),
            ("logs web", Keep::End),
            ("gett pods", Keep::End),
        ];
        for (line, want) in cases {
            assert_eq!(keep(line), want, "{line}");
        }
    }

    #[test]
    fn event_types_are_padded_as_format_event_type_does() {
        assert_eq!(event_column(ChangeType::Added), "ADDED   ");
        assert_eq!(event_column(ChangeType::Modified), "MODIFIED");
        assert_eq!(event_column(ChangeType::Deleted), "DELETED ");
    }

    #[test]
    fn a_watch_event_marshals_type_first_on_one_line() {
        let v = serde_json::json!({"type": "ADDED", "object": {"b": "<x>", "a": 1}});
        assert_eq!(
            go_compact_json(&v),
            r#"{"type":"ADDED","object":{"a":1,"b":"\u003cx\u003e"}}"#
        );
    }
}
