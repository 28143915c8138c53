//! Scenarios: a seed plus the command log that built the cluster. The log + seed IS the scenario:
//! replaying it through [`Session::run`] rebuilds the same cluster (the engine is deterministic).
//! Also the built-in examples, the default first-visit scenario, and the Export/Import format.
//! Pure: tested natively.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::clock::parse_duration;
use crate::kubectl::{NoFiles, Session};

use super::commands;

/// A built-in manifest for the editor's example menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// Stable id (`?scenario=` value and `<option>` value).
    pub id: &'static str,
    /// Menu text.
    pub title: &'static str,
    /// The manifest.
    pub yaml: &'static str,
}

/// The example menu.
pub const EXAMPLES: &[Example] = &[
    Example {
        id: "fluentd-elasticsearch",
        title: "DaemonSet: fluentd-elasticsearch (kubernetes.io)",
        yaml: include_str!("examples/fluentd-elasticsearch.yaml"),
    },
    Example {
        id: "ssd-daemonset",
        title: "DaemonSet with a nodeSelector (disktype=ssd)",
        yaml: include_str!("examples/ssd-daemonset.yaml"),
    },
    Example {
        id: "pi-job",
        title: "Job: pi (kubernetes.io)",
        yaml: include_str!("examples/pi-job.yaml"),
    },
    Example {
        id: "indexed-job",
        title: "Indexed Job (completionMode: Indexed)",
        yaml: include_str!("examples/indexed-job.yaml"),
    },
    Example {
        id: "work-queue-job",
        title: "Work-queue Job (parallelism, no completions)",
        yaml: include_str!("examples/work-queue-job.yaml"),
    },
    Example {
        id: "pod-failure-policy-job",
        title: "Job with a podFailurePolicy (kubernetes.io)",
        yaml: include_str!("examples/pod-failure-policy-job.yaml"),
    },
    Example {
        id: "failing-job",
        title: "Job that always fails (back-off, backoffLimit)",
        yaml: include_str!("examples/failing-job.yaml"),
    },
];

/// The example with this id.
pub fn example(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

/// One command of a script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The command line.
    pub command: String,
    /// What `-f -` reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdin: Option<String>,
}

/// A replayable scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    /// The cluster's RNG seed.
    pub seed: u64,
    /// Commands to run in order.
    pub script: Vec<Entry>,
    /// Editor text to show with it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editor: Option<String>,
}

/// The seed of scenarios the page creates.
pub const DEFAULT_SEED: u64 = 1;

fn run(cmd: &str) -> Entry {
    Entry {
        command: cmd.into(),
        stdin: None,
    }
}

fn apply(yaml: &str) -> Entry {
    Entry {
        command: "kubectl apply -f -".into(),
        stdin: Some(yaml.into()),
    }
}

fn manifests(ids: &[&str]) -> String {
    ids.iter()
        .filter_map(|id| example(id))
        .map(|e| e.yaml.trim_end())
        .collect::<Vec<_>>()
        .join("\n---\n")
        + "\n"
}

fn three_nodes() -> Vec<Entry> {
    vec![
        run("sim node add n1 --labels disktype=ssd"),
        run("sim node add n2"),
        run("sim node add n3"),
    ]
}

/// A built-in scenario by name (`?scenario=`): `default`, `empty`, `nodes` or an example id
/// (three nodes plus that example applied).
pub fn named(name: &str) -> Option<Scenario> {
    let (script, editor) = match name {
        "default" => {
            let text = manifests(&["fluentd-elasticsearch", "pi-job"]);
            let mut s = three_nodes();
            s.push(apply(&text));
            (s, text)
        }
        "empty" => (Vec::new(), String::new()),
        "nodes" => (three_nodes(), String::new()),
        id => {
            let ex = example(id)?;
            let mut s = three_nodes();
            s.push(apply(ex.yaml));
            (s, ex.yaml.to_string())
        }
    };
    Some(Scenario {
        seed: DEFAULT_SEED,
        script,
        editor: Some(editor),
    })
}

/// The first-visit scenario: three nodes (n1 labeled `disktype=ssd`), the fluentd DaemonSet and
/// the pi Job.
pub fn default_scenario() -> Scenario {
    named("default").unwrap_or(Scenario {
        seed: DEFAULT_SEED,
        script: Vec::new(),
        editor: None,
    })
}

/// Replays a scenario into a fresh session.
pub fn replay(s: &Scenario) -> Session {
    let mut session = Session::new(s.seed);
    for e in &s.script {
        session.run(&e.command, e.stdin.as_deref(), &NoFiles);
    }
    session
}

fn advance_ms(cmd: &str) -> Option<u64> {
    let rest = cmd.trim().strip_prefix("sim advance ")?;
    if rest.trim().contains(char::is_whitespace) {
        return None;
    }
    parse_duration(rest).ok()
}

/// The session log as a script, with runs of `sim advance` merged into one (advancing by a then
/// b wakes the same timers as advancing by a + b), so playing for an hour stays a short script.
pub fn compact(log: &[(String, Option<String>)]) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let mut pending: Option<u64> = None;
    for (cmd, stdin) in log {
        match (advance_ms(cmd), stdin) {
            (Some(ms), None) => pending = Some(pending.unwrap_or(0).saturating_add(ms)),
            _ => {
                if let Some(ms) = pending.take() {
                    out.push(run(&commands::advance(ms)));
                }
                out.push(Entry {
                    command: cmd.clone(),
                    stdin: stdin.clone(),
                });
            }
        }
    }
    if let Some(ms) = pending {
        out.push(run(&commands::advance(ms)));
    }
    out
}

/// The current session as a scenario.
pub fn from_session(session: &Session, editor: &str) -> Scenario {
    Scenario {
        seed: session.cluster.seed(),
        script: compact(&session.log),
        editor: Some(editor.to_string()),
    }
}

/// A node as the export lists it (for people reading the file; import replays the script).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct NodeSummary {
    name: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    taints: Vec<String>,
    #[serde(default)]
    capacity: BTreeMap<String, String>,
}

/// The Export file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExportFile {
    kind: String,
    seed: u64,
    #[serde(default)]
    nodes: Vec<NodeSummary>,
    #[serde(default)]
    manifests: String,
    script: Vec<Entry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    editor: Option<String>,
}

const EXPORT_KIND: &str = "KubeplayScenario";

/// Export: the nodes, the manifests applied, and the replayable script, as YAML.
pub fn export_yaml(session: &Session, editor: &str) -> String {
    let sc = from_session(session, editor);
    let nodes = session
        .cluster
        .store()
        .nodes()
        .map(|n| NodeSummary {
            name: n.metadata.name.clone().unwrap_or_default(),
            labels: n
                .metadata
                .labels
                .iter()
                .flatten()
                .filter(|(k, _)| !k.contains("kubernetes.io/"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            taints: n
                .spec
                .as_ref()
                .and_then(|s| s.taints.as_ref())
                .map(|ts| {
                    ts.iter()
                        .map(crate::engine::api::taints::format_taint)
                        .collect()
                })
                .unwrap_or_default(),
            capacity: n
                .status
                .as_ref()
                .and_then(|s| s.capacity.as_ref())
                .map(|c| {
                    c.iter()
                        .filter(|(k, _)| ["cpu", "memory", "pods"].contains(&k.as_str()))
                        .map(|(k, q)| (k.clone(), q.0.clone()))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    let manifests = sc
        .script
        .iter()
        .filter_map(|e| e.stdin.as_deref())
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n---\n");
    let file = ExportFile {
        kind: EXPORT_KIND.into(),
        seed: sc.seed,
        nodes,
        manifests,
        script: sc.script,
        editor: sc.editor,
    };
    let body = serde_yaml::to_string(&file).unwrap_or_default();
    format!("# kubeplay scenario: replay `script` on a cluster seeded with `seed`.\n# `nodes` and `manifests` are for reading; Import runs the script.\n{body}")
}

/// Import: reads an exported file (or a bare `{seed, script}` document).
pub fn import_yaml(text: &str) -> Result<Scenario, String> {
    let file: ExportFile =
        serde_yaml::from_str(text).map_err(|e| format!("not a kubeplay scenario: {e}"))?;
    if file.kind != EXPORT_KIND {
        return Err(format!(
            "not a kubeplay scenario: kind is {:?}, expected {EXPORT_KIND:?}",
            file.kind
        ));
    }
    Ok(Scenario {
        seed: file.seed,
        script: file.script,
        editor: file.editor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(lines: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
        lines
            .iter()
            .map(|(c, s)| (c.to_string(), s.map(str::to_string)))
            .collect()
    }

    #[test]
    fn compact_merges_runs_of_advance() {
        let l = log(&[
            ("sim node add n1", None),
            ("sim advance 100ms", None),
            ("sim advance 100ms", None),
            ("sim advance 800ms", None),
            ("apply -f -", Some("x")),
            ("sim advance 2s", None),
            ("sim advance 250ms", None),
        ]);
        let got: Vec<String> = compact(&l).into_iter().map(|e| e.command).collect();
        assert_eq!(
            got,
            vec![
                "sim node add n1",
                "sim advance 1s",
                "apply -f -",
                "sim advance 2250ms"
            ]
        );
    }

    #[test]
    fn compact_keeps_advance_with_other_words() {
        let l = log(&[("sim advance 1s --quiet", None), ("sim advance 1s", None)]);
        assert_eq!(compact(&l).len(), 2);
    }

    #[test]
    fn named_scenarios() {
        let d = default_scenario();
        assert_eq!(d.seed, DEFAULT_SEED);
        assert_eq!(d.script.len(), 4);
        let applied = d
            .script
            .get(3)
            .and_then(|e| e.stdin.clone())
            .unwrap_or_default();
        assert!(applied.contains("kind: DaemonSet") && applied.contains("name: pi"));
        assert_eq!(d.editor.as_deref(), Some(applied.as_str()));
        assert_eq!(named("empty").map(|s| s.script.len()), Some(0));
        assert!(named("indexed-job").is_some());
        assert!(named("nope").is_none());
    }

    #[test]
    fn every_example_is_yaml_of_a_known_kind() {
        for e in EXAMPLES {
            let v: serde_yaml::Value = serde_yaml::from_str(e.yaml).expect(e.id);
            let kind = v.get("kind").and_then(|k| k.as_str()).unwrap_or_default();
            assert!(["DaemonSet", "Job"].contains(&kind), "{}: {kind}", e.id);
        }
    }

    #[test]
    fn export_then_import_round_trips_the_script() {
        let sc = Scenario {
            seed: 7,
            script: vec![run("sim node add n1"), apply("kind: Job\n")],
            editor: Some("hello".into()),
        };
        let session = replay(&sc);
        let text = export_yaml(&session, "hello");
        let back = import_yaml(&text).expect("import");
        assert_eq!(back, sc);
    }

    #[test]
    fn import_rejects_other_files() {
        assert!(import_yaml("kind: Job\nseed: 1\nscript: []\n").is_err());
        assert!(import_yaml(": : :").is_err());
        assert!(import_yaml("").is_err());
    }
}
