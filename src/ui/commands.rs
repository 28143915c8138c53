//! The command lines the page's buttons run (the same ones a learner could type in the console),
//! and Tab completion for the console. Pure: tested natively.
//!
//! Completion is a static list of kubectl verbs and resource names plus object names read from
//! the store (kubectl's `__complete` asks the API server the same way). Simplification: flags
//! are not completed.

use crate::engine::api::{Kind, Object};
use crate::engine::clock::Millis;
use crate::engine::store::Store;

/// `sim advance` for a number of milliseconds, in the largest exact unit.
pub fn advance(ms: Millis) -> String {
    if ms.is_multiple_of(1000) {
        format!("sim advance {}s", ms / 1000)
    } else {
        format!("sim advance {ms}ms")
    }
}

/// What the "Add node" form collects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeForm {
    /// Node name.
    pub name: String,
    /// `k=v,k2=v2`.
    pub labels: String,
    /// `k=v:NoSchedule,k2:NoExecute`.
    pub taints: String,
    /// cpu capacity (`4`, `2500m`); empty for the default.
    pub cpu: String,
    /// memory capacity (`8Gi`); empty for the default.
    pub memory: String,
    /// pod capacity (`110`); empty for the default.
    pub pods: String,
}

fn no_space(field: &str, v: &str) -> Result<String, String> {
    let v = v.trim();
    if v.chars().any(char::is_whitespace) {
        Err(format!("{field} must not contain spaces"))
    } else {
        Ok(v.to_string())
    }
}

/// `sim node add NAME --labels .. --taints .. --cpu .. --memory .. --pods ..`, or what is wrong
/// with the form. The API server validates the values themselves.
pub fn add_node(form: &NodeForm) -> Result<String, String> {
    let name = no_space("name", &form.name)?;
    if name.is_empty() {
        return Err("name is required".into());
    }
    let mut line = format!("sim node add {name}");
    for (flag, field, value) in [
        ("--labels", "labels", &form.labels),
        ("--taints", "taints", &form.taints),
        ("--cpu", "cpu", &form.cpu),
        ("--memory", "memory", &form.memory),
        ("--pods", "pods", &form.pods),
    ] {
        let v = no_space(field, value)?;
        if !v.is_empty() {
            line.push_str(&format!(" {flag} {v}"));
        }
    }
    Ok(line)
}

/// `kubectl label node N k=v` / `k-`.
pub fn label_node(node: &str, key: &str, value: Option<&str>) -> String {
    match value {
        Some(v) => format!("kubectl label node {node} {key}={v}"),
        None => format!("kubectl label node {node} {key}-"),
    }
}

/// `kubectl taint node N key=value:Effect` (or the `key:Effect-` removal form).
pub fn taint_node(node: &str, taint: &str) -> String {
    format!("kubectl taint node {node} {taint}")
}

/// Splits `k=v` into its parts; a label chip's "add" input.
pub fn split_label(text: &str) -> Option<(String, String)> {
    let (k, v) = text.trim().split_once('=')?;
    let (k, v) = (k.trim(), v.trim());
    if k.is_empty() || k.contains(char::is_whitespace) || v.contains(char::is_whitespace) {
        return None;
    }
    Some((k.to_string(), v.to_string()))
}

/// The verbs the console completes: every command the kubectl layer runs (and `sim`,
/// kubeplay's own), sorted, so Tab never offers a command that would fail as unknown.
pub fn verbs() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = crate::kubectl::parse::VERBS
        .iter()
        .map(|v| v.as_str())
        .collect();
    crate::engine::sort::sort(&mut v);
    v
}

/// `sim` subcommands.
pub const SIM_SUBCOMMANDS: &[&str] = &[
    "advance", "curl", "dns", "image", "node", "pod", "seed", "time",
];

/// `sim node` subcommands.
pub const SIM_NODE_SUBCOMMANDS: &[&str] = &["add", "condition", "down", "up"];

/// The `kubectl create` subcommands kubeplay has.
const CREATE_SUBCOMMANDS: &[&str] = &["job", "namespace", "service"];

/// `kubectl create service` subcommands.
const CREATE_SERVICE_SUBCOMMANDS: &[&str] =
    &["clusterip", "externalname", "loadbalancer", "nodeport"];

/// Resource words Tab offers: the plural name of every served kind, as kubectl's completion
/// offers `kubectl api-resources -o name` (`compGetResourceList` in
/// `staging/src/k8s.io/kubectl/pkg/cmd/get/get.go`). Simplification: kubectl suffixes non-core
/// kinds with their group (`daemonsets.apps`); the plain plural is offered, which kubectl accepts
/// just the same. Singular and short names are accepted when typed, not offered.
pub fn resource_words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = Kind::all().map(|k| k.info().plural).collect();
    crate::engine::sort::sort(&mut words);
    words.dedup();
    words
}

/// `config` subcommands kubeplay runs.
pub const CONFIG_SUBCOMMANDS: &[&str] = &[
    "current-context",
    "get-clusters",
    "get-contexts",
    "get-users",
    "set-context",
    "use-context",
    "view",
];

/// Names of `kind` in `namespace` (every namespace with `None`; cluster-scoped kinds ignore it).
fn names_of(store: &Store, kind: Kind, namespace: Option<&str>) -> Vec<String> {
    let mut names: Vec<String> = store
        .list(kind)
        .filter(|o: &&Object| !kind.namespaced() || namespace.is_none_or(|ns| o.namespace() == ns))
        .map(|o: &Object| o.name().to_string())
        .collect();
    crate::engine::sort::sort(&mut names);
    names.dedup();
    names
}

/// Flags whose value is the next word (`-n kube-system`), so it is no positional word.
const VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "-l",
    "--selector",
    "--field-selector",
    "-o",
    "--output",
    "-c",
    "--container",
    "-f",
    "--filename",
    "--for",
    "--timeout",
    "--image",
];

/// Candidates for the word being typed at the end of `line`; object names come from
/// `namespace` (the context's) unless the line says `-n NS` or `-A`.
pub fn candidates(line: &str, store: &Store, namespace: &str) -> Vec<String> {
    let mut words: Vec<&str> = line.split_whitespace().collect();
    if words.first() == Some(&"kubectl") {
        words.remove(0);
    }
    let current = if line.ends_with(char::is_whitespace) || line.is_empty() {
        ""
    } else {
        words.pop().unwrap_or("")
    };
    if current.starts_with('-') {
        return Vec::new();
    }
    // Positional words typed so far (flags and their values left out).
    let mut ns: Option<&str> = Some(namespace);
    let mut args: Vec<&str> = Vec::new();
    let mut it = words.iter().copied();
    while let Some(w) = it.next() {
        if w == "-A" || w == "--all-namespaces" {
            ns = None;
        } else if w == "-n" || w == "--namespace" {
            ns = it.next();
        } else if let Some(v) = w.strip_prefix("--namespace=") {
            ns = Some(v);
        } else if VALUE_FLAGS.contains(&w) {
            it.next();
        } else if !w.starts_with('-') {
            args.push(w);
        }
    }
    let pool: Vec<String> = match args.as_slice() {
        [] => verbs().into_iter().map(str::to_string).collect(),
        ["sim"] => SIM_SUBCOMMANDS.iter().map(|s| s.to_string()).collect(),
        ["config"] => CONFIG_SUBCOMMANDS.iter().map(|s| s.to_string()).collect(),
        ["sim", "node"] => SIM_NODE_SUBCOMMANDS.iter().map(|s| s.to_string()).collect(),
        ["sim", "node", "down" | "up" | "condition"] => names_of(store, Kind::Node, None),
        ["create"] => CREATE_SUBCOMMANDS.iter().map(|s| s.to_string()).collect(),
        ["create", "service" | "svc"] => CREATE_SERVICE_SUBCOMMANDS
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ["cordon" | "uncordon" | "drain"] => names_of(store, Kind::Node, None),
        ["logs" | "exec"] => names_of(store, Kind::Pod, ns),
        ["taint" | "label" | "annotate" | "get" | "describe" | "delete" | "explain" | "patch"] => {
            if let Some((res, _)) = current.split_once('/') {
                return match Kind::from_resource(res) {
                    Some(kind) => names_of(store, kind, ns)
                        .into_iter()
                        .map(|n| format!("{res}/{n}"))
                        .filter(|c| c.starts_with(current))
                        .collect(),
                    None => Vec::new(),
                };
            }
            resource_words().into_iter().map(str::to_string).collect()
        }
        ["taint" | "label" | "annotate" | "get" | "describe" | "delete" | "patch", res, ..] => {
            match Kind::from_resource(res) {
                Some(kind) => names_of(store, kind, ns),
                None => Vec::new(),
            }
        }
        ["rollout", "status" | "history" | "undo" | "restart" | "pause" | "resume"] => {
            // `rollout status ds/x`: kubeplay's rollouts are DaemonSets'.
            names_of(store, Kind::DaemonSet, ns)
                .into_iter()
                .map(|n| format!("ds/{n}"))
                .collect()
        }
        ["rollout"] => ["history", "pause", "restart", "resume", "status", "undo"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        _ => Vec::new(),
    };
    pool.into_iter()
        .filter(|c| c.starts_with(current))
        .collect()
}

/// What Tab does: the new line and, when several words fit, the list to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The line after completing as far as the candidates agree.
    pub line: String,
    /// All candidates when more than one fits (shown under the prompt).
    pub choices: Vec<String>,
}

/// Tab completion: a single candidate completes with a trailing space; several complete to
/// their common prefix and are listed.
pub fn complete(line: &str, store: &Store, namespace: &str) -> Completion {
    let cands = candidates(line, store, namespace);
    let current_len = if line.ends_with(char::is_whitespace) {
        0
    } else {
        line.split_whitespace().last().map_or(0, str::len)
    };
    let stem = line.get(..line.len() - current_len).unwrap_or(line);
    match cands.as_slice() {
        [] => Completion {
            line: line.to_string(),
            choices: Vec::new(),
        },
        [one] => Completion {
            line: format!("{stem}{one} "),
            choices: Vec::new(),
        },
        many => {
            let prefix = common_prefix(many);
            Completion {
                line: format!("{stem}{prefix}"),
                choices: many.to_vec(),
            }
        }
    }
}

fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut len = first.len();
    for w in words {
        len = len.min(
            first
                .char_indices()
                .zip(w.chars())
                .take_while(|((_, a), b)| a == b)
                .map(|((i, a), _)| i + a.len_utf8())
                .last()
                .unwrap_or(0),
        );
    }
    first.get(..len).unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Cluster;
    use k8s_openapi::api::core::v1::Node;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn cluster_with_nodes(names: &[&str]) -> Cluster {
        let mut c = Cluster::new(1);
        for n in names {
            let node = Node {
                metadata: ObjectMeta {
                    name: Some(n.to_string()),
                    ..Default::default()
                },
                ..Default::default()
            };
            c.create(Object::Node(node)).expect("create node");
        }
        c
    }

    struct Case {
        name: &'static str,
        line: &'static str,
        want_line: &'static str,
        want_choices: &'static [&'static str],
    }

    #[test]
    fn complete_table() {
        let c = cluster_with_nodes(&["n1", "n2", "worker"]);
        let cases = [
            Case {
                name: "unique verb",
                line: "cor",
                want_line: "cordon ",
                want_choices: &[],
            },
            Case {
                name: "kubectl prefix kept",
                line: "kubectl desc",
                want_line: "kubectl describe ",
                want_choices: &[],
            },
            Case {
                name: "ambiguous verbs list choices",
                line: "d",
                want_line: "d",
                want_choices: &["delete", "describe", "diff", "drain"],
            },
            Case {
                name: "common prefix",
                line: "de",
                want_line: "de",
                want_choices: &["delete", "describe"],
            },
            Case {
                name: "kind after get: the plural, as kubectl api-resources names it",
                line: "get daemons",
                want_line: "get daemonsets ",
                want_choices: &[],
            },
            Case {
                name: "a short name typed is not a candidate: no completes to nodes",
                line: "kubectl describe no",
                want_line: "kubectl describe nodes ",
                want_choices: &[],
            },
            Case {
                name: "node names for cordon",
                line: "cordon ",
                want_line: "cordon ",
                want_choices: &["n1", "n2", "worker"],
            },
            Case {
                name: "node name after kind",
                line: "label node w",
                want_line: "label node worker ",
                want_choices: &[],
            },
            Case {
                name: "kind/name form",
                line: "describe nodes/n",
                want_line: "describe nodes/n",
                want_choices: &["nodes/n1", "nodes/n2"],
            },
            Case {
                name: "create subcommands",
                line: "kubectl create s",
                want_line: "kubectl create service ",
                want_choices: &[],
            },
            Case {
                name: "create service types",
                line: "kubectl create service n",
                want_line: "kubectl create service nodeport ",
                want_choices: &[],
            },
            Case {
                name: "sim node condition takes a node",
                line: "sim node condition w",
                want_line: "sim node condition worker ",
                want_choices: &[],
            },
            Case {
                name: "sim subcommands",
                line: "sim node d",
                want_line: "sim node down ",
                want_choices: &[],
            },
            Case {
                name: "every verb the kubectl layer runs, and only those",
                line: "r",
                want_line: "r",
                want_choices: &["replace", "rollout", "run"],
            },
            Case {
                name: "rollout subcommands",
                line: "rollout st",
                want_line: "rollout status ",
                want_choices: &[],
            },
            Case {
                name: "sim network probes",
                line: "sim c",
                want_line: "sim curl ",
                want_choices: &[],
            },
            Case {
                name: "flags are not completed",
                line: "get pods -",
                want_line: "get pods -",
                want_choices: &[],
            },
            Case {
                name: "unknown kind gives nothing",
                line: "get widgets ",
                want_line: "get widgets ",
                want_choices: &[],
            },
        ];
        for case in cases {
            let got = complete(case.line, c.store(), "default");
            assert_eq!(got.line, case.want_line, "{}", case.name);
            assert_eq!(got.choices, case.want_choices, "{}", case.name);
        }
    }

    #[test]
    fn names_come_from_the_namespace_the_line_or_the_context_names() {
        let mut session = crate::kubectl::Session::new(1);
        for cmd in [
            "sim node add n1",
            "run web --image=nginx",
            "run fluentd --image=fluentd -n kube-system",
        ] {
            assert!(session.run(cmd, None, &crate::kubectl::NoFiles).ok, "{cmd}");
        }
        let c = &session.cluster;
        let cases: &[(&str, &str, &[&str])] = &[
            ("logs ", "default", &["web"]),
            ("logs ", "kube-system", &["fluentd"]),
            ("exec ", "default", &["web"]),
            ("get pods -n kube-system ", "default", &["fluentd"]),
            ("get -n kube-system pods ", "default", &["fluentd"]),
            (
                "describe pods --namespace=kube-system ",
                "default",
                &["fluentd"],
            ),
            ("get pods -A ", "default", &["fluentd", "web"]),
            ("get pods -o wide ", "default", &["web"]),
            // Nodes have no namespace.
            ("describe nodes ", "kube-system", &["n1"]),
            ("config ", "default", CONFIG_SUBCOMMANDS),
        ];
        for (line, ns, want) in cases {
            assert_eq!(candidates(line, c.store(), ns), *want, "{line:?} in {ns}");
        }
    }

    #[test]
    fn add_node_builds_the_sim_command() {
        let form = NodeForm {
            name: "n4".into(),
            labels: "a=b".into(),
            taints: "gpu=true:NoSchedule".into(),
            cpu: "2".into(),
            memory: String::new(),
            pods: " 10 ".into(),
        };
        assert_eq!(
            add_node(&form),
            Ok(
                "sim node add n4 --labels a=b --taints gpu=true:NoSchedule --cpu 2 --pods 10"
                    .into()
            )
        );
        let bad = NodeForm {
            name: "n 4".into(),
            ..Default::default()
        };
        assert_eq!(add_node(&bad), Err("name must not contain spaces".into()));
        assert_eq!(
            add_node(&NodeForm::default()),
            Err("name is required".into())
        );
    }

    #[test]
    fn small_builders() {
        assert_eq!(advance(1000), "sim advance 1s");
        assert_eq!(advance(50), "sim advance 50ms");
        assert_eq!(advance(2500), "sim advance 2500ms");
        assert_eq!(label_node("n1", "a", None), "kubectl label node n1 a-");
        assert_eq!(
            label_node("n1", "a", Some("b")),
            "kubectl label node n1 a=b"
        );
        assert_eq!(split_label(" a = b "), Some(("a".into(), "b".into())));
        assert_eq!(split_label("novalue"), None);
        assert_eq!(
            taint_node("n1", "k:NoSchedule-"),
            "kubectl taint node n1 k:NoSchedule-"
        );
    }
}
