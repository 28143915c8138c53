//! `kubectl --help` and `kubectl VERB [SUB] --help`: real kubectl 1.32's help texts, kept in
//! `help/*.txt` as the real binary prints them, with the `Options:` entries (and subcommands)
//! kubeplay does not implement left out. Global flags such as `-n` are not listed there, as in
//! kubectl. kubeplay's own `sim` appears where kubectl lists plugins.
//!
//! The help pages and `explain`'s OpenAPI descriptions (~90 KB of text) travel in one bundle,
//! `help/kubectl-docs.json`, generated from `help/*.txt` and `explain/schema.rs` (the test
//! `docs_bundle_is_current` checks it, `UPDATE_DOCS=1 cargo test --lib docs_bundle` rewrites it).
//! The native program compiles the bundle in; the page fetches it after its first draw (it is
//! not part of the first load) and hands it to [`install`]: until then, or if the fetch fails,
//! `--help` and `explain` say so instead of printing a page.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

use super::explain::{FieldDoc, TypeDoc};
use super::parse::Verb;

/// The bundle's file name: the page fetches it relative to its own URL, next to the wasm.
pub const BUNDLE_FILE: &str = "kubectl-docs.json";

/// FNV-1a of the bundle this program was built with, computed at compile time (the bytes are
/// not kept): the page asks for `kubectl-docs.json?v=HASH`, so a browser cache never pairs a
/// new page with an old bundle.
pub const BUNDLE_HASH: u64 = fnv1a_const(include_bytes!("help/kubectl-docs.json"));

const fn fnv1a_const(mut bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    while let [b, rest @ ..] = bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        bytes = rest;
    }
    h
}

/// The help pages (by `help/*.txt` file stem) and `explain`'s types.
#[derive(Debug, Default)]
pub(super) struct Docs {
    pages: BTreeMap<String, String>,
    pub(super) types: Vec<TypeDoc>,
}

/// The installed bundle, or why it could not be read. Unset while the page is still fetching it.
static DOCS: OnceLock<Result<Docs, String>> = OnceLock::new();

/// Parses and installs a fetched bundle (`Err` with the reason if the fetch failed). The first
/// call wins; returns whether the help pages are now available.
pub fn install(fetched: Result<String, String>) -> bool {
    let docs = fetched.and_then(|text| parse_bundle(&text));
    DOCS.get_or_init(|| docs).is_ok()
}

/// The bundle, or the message `--help` and `explain` print instead.
pub(super) fn docs() -> Result<&'static Docs, String> {
    #[cfg(not(target_arch = "wasm32"))]
    install(Ok(include_str!("help/kubectl-docs.json").to_string()));
    match DOCS.get() {
        Some(Ok(d)) => Ok(d),
        Some(Err(e)) => Err(format!(
            "error: kubeplay could not load its help pages ({BUNDLE_FILE}: {e}); reload the page to try again"
        )),
        None => Err(
            "error: kubeplay is still loading its help pages; try again in a moment".to_string(),
        ),
    }
}

fn page(stem: &str) -> Result<&'static str, String> {
    let docs = docs()?;
    docs.pages
        .get(stem)
        .map(String::as_str)
        .ok_or_else(|| format!("error: no help page {stem:?} in {BUNDLE_FILE}"))
}

/// The root help (`kubectl`, `kubectl --help`, `kubectl help`).
pub fn root() -> Result<&'static str, String> {
    page("root")
}

/// Root help without its two header paragraphs: what cobra prints after `Unknown help topic`.
pub fn root_usage() -> Result<&'static str, String> {
    let root = root()?;
    Ok(root
        .find("Basic Commands")
        .and_then(|i| root.get(i..))
        .unwrap_or(root))
}

/// The help page of `verb`, or of its subcommand `sub` (`create job`, `rollout status`,
/// `top node`); an unknown subcommand falls back to the verb's page. `Err` is the message to
/// print while the pages are not available.
pub fn verb_help(verb: Verb, sub: Option<&str>) -> Result<String, String> {
    let stem = match (verb, sub) {
        (Verb::Create, Some("job")) => "create-job",
        (Verb::Create, Some("namespace" | "ns")) => "create-namespace",
        (Verb::Create, Some("service" | "svc")) => "create-service",
        (Verb::Create, Some("service clusterip")) => "create-service-clusterip",
        (Verb::Create, Some("service nodeport")) => "create-service-nodeport",
        (Verb::Create, Some("service loadbalancer")) => "create-service-loadbalancer",
        (Verb::Create, Some("service externalname")) => "create-service-externalname",
        (Verb::Create, _) => "create",
        (Verb::Config, Some("set-context")) => "config-set-context",
        (Verb::Config, _) => "config",
        (Verb::ClusterInfo, _) => "cluster-info",
        (Verb::ApiVersions, _) => "api-versions",
        (Verb::Exec, _) => "exec",
        (Verb::Run, _) => "run",
        (Verb::Expose, _) => "expose",
        (Verb::Set, Some("image")) => "set-image",
        (Verb::Set, _) => "set",
        (Verb::Explain, _) => "explain",
        (Verb::Get, _) => "get",
        (Verb::Delete, _) => "delete",
        (Verb::Rollout, Some("status")) => "rollout-status",
        (Verb::Rollout, Some("history")) => "rollout-history",
        (Verb::Rollout, Some("undo")) => "rollout-undo",
        (Verb::Rollout, Some("restart")) => "rollout-restart",
        (Verb::Rollout, Some("pause")) => "rollout-pause",
        (Verb::Rollout, Some("resume")) => "rollout-resume",
        (Verb::Rollout, _) => "rollout",
        (Verb::Cordon, _) => "cordon",
        (Verb::Uncordon, _) => "uncordon",
        (Verb::Drain, _) => "drain",
        (Verb::Taint, _) => "taint",
        (Verb::Describe, _) => "describe",
        (Verb::Logs, _) => "logs",
        (Verb::Events, _) => "events",
        (Verb::Diff, _) => "diff",
        (Verb::Apply, _) => "apply",
        (Verb::Patch, _) => "patch",
        (Verb::Replace, _) => "replace",
        (Verb::Wait, _) => "wait",
        (Verb::Label, _) => "label",
        (Verb::Annotate, _) => "annotate",
        (Verb::ApiResources, _) => "api-resources",
        (Verb::Version, _) => "version",
        (Verb::Top, Some("node" | "nodes" | "no")) => "top-node",
        (Verb::Top, Some("pod" | "pods" | "po")) => "top-pod",
        (Verb::Top, _) => "top",
        (Verb::Help, _) => "root",
        (Verb::Sim, _) => return Ok(sim_help()),
    };
    page(stem).map(str::to_string)
}

/// Reads the bundle: `{"help": {stem: text}, "types": [[name, description, fields|null]]}` with
/// each field `[name, typeGuess, required, description, ofType|null]`, followed by its enum
/// values (`[value, ...]`) when it has some.
fn parse_bundle(text: &str) -> Result<Docs, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let bad = || "not a kubeplay docs bundle".to_string();
    let str_of = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let mut pages = BTreeMap::new();
    for (stem, text) in v.get("help").and_then(Value::as_object).ok_or_else(bad)? {
        pages.insert(stem.clone(), str_of(Some(text)).ok_or_else(bad)?);
    }
    let mut types = Vec::new();
    for t in v.get("types").and_then(Value::as_array).ok_or_else(bad)? {
        let t = t.as_array().ok_or_else(bad)?;
        let fields = match t.get(2) {
            Some(Value::Array(fs)) => {
                let mut out = Vec::with_capacity(fs.len());
                for f in fs {
                    let f = f.as_array().ok_or_else(bad)?;
                    out.push(FieldDoc {
                        name: str_of(f.first()).ok_or_else(bad)?,
                        type_guess: str_of(f.get(1)).ok_or_else(bad)?,
                        required: f.get(2).and_then(Value::as_bool).ok_or_else(bad)?,
                        description: str_of(f.get(3)).ok_or_else(bad)?,
                        of_type: str_of(f.get(4)),
                        enum_values: match f.get(5) {
                            Some(Value::Array(vs)) => vs
                                .iter()
                                .map(|v| str_of(Some(v)).ok_or_else(bad))
                                .collect::<Result<_, _>>()?,
                            _ => Vec::new(),
                        },
                    });
                }
                Some(out)
            }
            _ => None,
        };
        types.push(TypeDoc {
            name: str_of(t.first()).ok_or_else(bad)?,
            description: str_of(t.get(1)).ok_or_else(bad)?,
            fields,
        });
    }
    Ok(Docs { pages, types })
}

/// kubeplay's own `sim --help`, in kubectl's layout.
fn sim_help() -> String {
    let rows: Vec<Vec<String>> = [
        (
            "advance DURATION",
            "Move simulated time forward (90s, 5m, 1h30m)",
        ),
        ("time", "Print the simulated time"),
        ("seed N", "Reseed the simulation (only before anything ran)"),
        (
            "node add NAME",
            "Add a node (--labels k=v,… --taints k=v:Effect,… --cpu N --memory Q --pods N)",
        ),
        ("node down|up NAME", "Stop or start a node's kubelet"),
        (
            "node condition NAME TYPE=True|False",
            "Set a condition the node reports (Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable)",
        ),
        (
            "pod fail NAME|-l SEL",
            "Make a pod's containers fail (--exit-code N, --reason R)",
        ),
        ("pod succeed NAME|-l SEL", "Make a pod succeed"),
        (
            "image remove|add IMAGE",
            "Make an image unpullable or pullable again",
        ),
        (
            "dns NAME",
            "Resolve a name as nslookup in a pod of the namespace would",
        ),
        (
            "curl TARGET[:PORT]",
            "Connect as curl in a pod would (node IP + hostPort or nodePort, Service, pod IP)",
        ),
    ]
    .iter()
    .map(|(a, b)| vec![format!("  {a}"), b.to_string()])
    .collect();
    format!(
        "Control the simulation (kubeplay's own command; the kubectl prefix is optional).\n\nAvailable Commands:\n{}\nUsage:\n  kubectl sim SUBCOMMAND [options]\n",
        super::print::tabwrite_with(&rows, 0, 2)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::parse::VERBS;

    /// Every page is real kubectl's shape: a description, a Usage section, the options line.
    #[test]
    fn every_page_ends_like_kubectl() {
        for v in VERBS.iter().copied().filter(|v| *v != Verb::Sim) {
            let page = verb_help(v, None).unwrap();
            assert!(page.contains("\nUsage:\n  kubectl"), "{v:?}");
            assert!(
                page.ends_with("Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n"),
                "{v:?}"
            );
        }
    }

    #[test]
    fn bundle_hash_is_fnv1a_of_the_bundle() {
        let bytes = include_bytes!("help/kubectl-docs.json");
        let want = crate::engine::rng::fnv1a(crate::engine::rng::FNV_OFFSET, bytes);
        assert_eq!(BUNDLE_HASH, want);
    }

    /// The committed bundle is what `help/*.txt` and `explain/schema.rs` say.
    #[test]
    fn docs_bundle_is_current() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/kubectl/help/kubectl-docs.json"
        );
        let want = bundle_from_sources();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "src/kubectl/help/kubectl-docs.json is stale: run UPDATE_DOCS=1 cargo test --lib docs_bundle"
        );
        let docs = parse_bundle(&have).unwrap();
        assert_eq!(docs.pages.len(), SOURCES.len());
        assert_eq!(
            docs.types.len(),
            super::super::explain::source_types().len()
        );
    }

    #[test]
    fn a_bad_or_missing_bundle_is_an_error_not_a_panic() {
        assert!(parse_bundle("").is_err());
        assert!(parse_bundle("{\"help\": 1}").is_err());
        assert!(parse_bundle("{\"help\": {}, \"types\": [[1]]}").is_err());
    }

    const SOURCES: &[(&str, &str)] = &[
        ("annotate", include_str!("help/annotate.txt")),
        ("api-resources", include_str!("help/api-resources.txt")),
        ("api-versions", include_str!("help/api-versions.txt")),
        ("apply", include_str!("help/apply.txt")),
        ("cluster-info", include_str!("help/cluster-info.txt")),
        ("config", include_str!("help/config.txt")),
        (
            "config-set-context",
            include_str!("help/config-set-context.txt"),
        ),
        ("cordon", include_str!("help/cordon.txt")),
        ("create", include_str!("help/create.txt")),
        ("create-job", include_str!("help/create-job.txt")),
        (
            "create-namespace",
            include_str!("help/create-namespace.txt"),
        ),
        ("create-service", include_str!("help/create-service.txt")),
        (
            "create-service-clusterip",
            include_str!("help/create-service-clusterip.txt"),
        ),
        (
            "create-service-nodeport",
            include_str!("help/create-service-nodeport.txt"),
        ),
        (
            "create-service-loadbalancer",
            include_str!("help/create-service-loadbalancer.txt"),
        ),
        (
            "create-service-externalname",
            include_str!("help/create-service-externalname.txt"),
        ),
        ("delete", include_str!("help/delete.txt")),
        ("describe", include_str!("help/describe.txt")),
        ("diff", include_str!("help/diff.txt")),
        ("drain", include_str!("help/drain.txt")),
        ("events", include_str!("help/events.txt")),
        ("exec", include_str!("help/exec.txt")),
        ("explain", include_str!("help/explain.txt")),
        ("expose", include_str!("help/expose.txt")),
        ("get", include_str!("help/get.txt")),
        ("label", include_str!("help/label.txt")),
        ("logs", include_str!("help/logs.txt")),
        ("patch", include_str!("help/patch.txt")),
        ("replace", include_str!("help/replace.txt")),
        ("rollout", include_str!("help/rollout.txt")),
        ("rollout-history", include_str!("help/rollout-history.txt")),
        ("rollout-pause", include_str!("help/rollout-pause.txt")),
        ("rollout-restart", include_str!("help/rollout-restart.txt")),
        ("rollout-resume", include_str!("help/rollout-resume.txt")),
        ("rollout-status", include_str!("help/rollout-status.txt")),
        ("rollout-undo", include_str!("help/rollout-undo.txt")),
        ("root", include_str!("help/root.txt")),
        ("run", include_str!("help/run.txt")),
        ("set", include_str!("help/set.txt")),
        ("set-image", include_str!("help/set-image.txt")),
        ("taint", include_str!("help/taint.txt")),
        ("top", include_str!("help/top.txt")),
        ("top-node", include_str!("help/top-node.txt")),
        ("top-pod", include_str!("help/top-pod.txt")),
        ("uncordon", include_str!("help/uncordon.txt")),
        ("version", include_str!("help/version.txt")),
        ("wait", include_str!("help/wait.txt")),
    ];

    fn bundle_from_sources() -> String {
        let help: serde_json::Map<String, Value> = SOURCES
            .iter()
            .map(|(stem, text)| (stem.to_string(), Value::from(*text)))
            .collect();
        let types: Vec<Value> = super::super::explain::source_types()
            .iter()
            .map(|t| {
                let fields = t.fields.map(|fs| {
                    fs.iter()
                        .map(|f| {
                            let mut v = serde_json::json!([
                                f.name,
                                f.type_guess,
                                f.required,
                                f.description,
                                f.of_type
                            ]);
                            // The enum values, only for the fields that have some.
                            if let (false, Some(a)) = (f.enum_values.is_empty(), v.as_array_mut()) {
                                a.push(serde_json::json!(f.enum_values));
                            }
                            v
                        })
                        .collect::<Vec<_>>()
                });
                serde_json::json!([t.name, t.description, fields])
            })
            .collect();
        let mut text =
            serde_json::to_string_pretty(&serde_json::json!({ "help": help, "types": types }))
                .unwrap();
        text.push('\n');
        text
    }
}
