//! `kubectl config` and `kubectl cluster-info` over kubeplay's kubeconfig: one cluster, one
//! user and one context, all named `kubeplay`, whose namespace the learner may set
//! (`kubectl config set-context --current --namespace=kube-system`), as on a fresh kind or
//! minikube cluster. The namespace lives in the [`super::Session`]; commands without `-n` use
//! it, exactly as kubectl uses the current context's namespace.

use serde_json::{json, Value};

use super::jsonpath::JsonPath;
use super::parse::{ConfigCmd, OutputFormat};
use super::print::{tabwrite, yaml};
use super::CommandOutput;

/// The one context (and cluster, and user).
pub const CONTEXT: &str = "kubeplay";
/// Where the kubeconfig says the API server is.
pub const SERVER: &str = "https://127.0.0.1:6443";

/// The kubeconfig as `kubectl config view` shows it (secrets as kubectl redacts them).
pub fn kubeconfig(namespace: Option<&str>) -> Value {
    let mut context = json!({ "cluster": CONTEXT, "user": CONTEXT });
    if let (Some(ns), Some(map)) = (namespace, context.as_object_mut()) {
        map.insert("namespace".to_string(), json!(ns));
    }
    json!({
        "apiVersion": "v1",
        "kind": "Config",
        "preferences": {},
        "clusters": [{
            "name": CONTEXT,
            "cluster": { "certificate-authority-data": "DATA+OMITTED", "server": SERVER }
        }],
        "users": [{
            "name": CONTEXT,
            "user": {
                "client-certificate-data": "DATA+OMITTED",
                "client-key-data": "DATA+OMITTED"
            }
        }],
        "contexts": [{ "name": CONTEXT, "context": context }],
        "current-context": CONTEXT
    })
}

/// `kubectl config view -o json` keeps the Go struct's field order, not the alphabetical one.
fn kubeconfig_json(namespace: Option<&str>) -> String {
    let ns = namespace
        .map(|n| format!(",\n                \"namespace\": {}", json!(n)))
        .unwrap_or_default();
    format!(
        r#"{{
    "kind": "Config",
    "apiVersion": "v1",
    "preferences": {{}},
    "clusters": [
        {{
            "name": "{CONTEXT}",
            "cluster": {{
                "server": "{SERVER}",
                "certificate-authority-data": "DATA+OMITTED"
            }}
        }}
    ],
    "users": [
        {{
            "name": "{CONTEXT}",
            "user": {{
                "client-certificate-data": "DATA+OMITTED",
                "client-key-data": "DATA+OMITTED"
            }}
        }}
    ],
    "contexts": [
        {{
            "name": "{CONTEXT}",
            "context": {{
                "cluster": "{CONTEXT}",
                "user": "{CONTEXT}"{ns}
            }}
        }}
    ],
    "current-context": "{CONTEXT}"
}}
"#
    )
}

fn ok(stdout: String) -> CommandOutput {
    CommandOutput {
        stdout,
        stderr: String::new(),
        ok: true,
    }
}

fn fail(stdout: String, stderr: String) -> CommandOutput {
    CommandOutput {
        stdout,
        stderr,
        ok: false,
    }
}

/// Runs a `kubectl config` subcommand on the session's context namespace.
pub fn run(namespace: &mut Option<String>, cmd: &ConfigCmd) -> CommandOutput {
    match cmd {
        ConfigCmd::View { output, .. } => {
            let ns = namespace.as_deref();
            match output {
                OutputFormat::Json => ok(kubeconfig_json(ns)),
                OutputFormat::JsonPath(t) => match JsonPath::parse(t) {
                    Ok(p) => match p.execute(&kubeconfig(ns)) {
                        Ok(text) => ok(text),
                        Err(e) => fail(
                            String::new(),
                            format!("error: error executing jsonpath {t:?}: Error executing template: {e}\n"),
                        ),
                    },
                    Err(e) => fail(
                        String::new(),
                        format!("error: error parsing jsonpath {t}, {e}\n"),
                    ),
                },
                OutputFormat::Yaml => ok(yaml::to_yaml(&kubeconfig(ns))),
                _ => fail(
                    String::new(),
                    "error: kubeplay's kubectl config view prints -o yaml, json or jsonpath=…\n"
                        .to_string(),
                ),
            }
        }
        ConfigCmd::CurrentContext => ok(format!("{CONTEXT}\n")),
        ConfigCmd::GetContexts { name, names_only } => {
            let found = name.as_deref().is_none_or(|n| n == CONTEXT);
            let mut stdout = String::new();
            if *names_only {
                if found {
                    stdout = format!("{CONTEXT}\n");
                }
            } else {
                let mut rows = vec![["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()];
                if found {
                    rows.push(vec![
                        "*".to_string(),
                        CONTEXT.to_string(),
                        CONTEXT.to_string(),
                        CONTEXT.to_string(),
                        namespace.clone().unwrap_or_default(),
                    ]);
                }
                stdout = tabwrite(&rows);
            }
            match name {
                Some(n) if !found => fail(stdout, format!("error: context {n} not found\n")),
                _ => ok(stdout),
            }
        }
        ConfigCmd::GetClusters => ok(format!("NAME\n{CONTEXT}\n")),
        ConfigCmd::GetUsers => ok(format!("NAME\n{CONTEXT}\n")),
        ConfigCmd::SetContext { name, namespace: ns } => {
            if let Some(n) = name.as_deref().filter(|n| *n != CONTEXT) {
                return fail(
                    String::new(),
                    format!(
                        "error: kubeplay has one context, \"{CONTEXT}\", so it cannot create \"{n}\": use kubectl config set-context --current --namespace=NAMESPACE\n"
                    ),
                );
            }
            if let Some(ns) = ns {
                *namespace = Some(ns.clone()).filter(|n| !n.is_empty());
            }
            ok(format!("Context \"{CONTEXT}\" modified.\n"))
        }
        ConfigCmd::UseContext(n) if n == CONTEXT => {
            ok(format!("Switched to context \"{CONTEXT}\".\n"))
        }
        ConfigCmd::UseContext(n) => fail(
            String::new(),
            format!("error: no context exists with the name: \"{n}\"\n"),
        ),
        ConfigCmd::Unsupported(sub) => fail(
            String::new(),
            format!(
                "error: \"kubectl config {sub}\" is not available in kubeplay: its kubeconfig has one cluster, one user and one context, all named \"{CONTEXT}\" (kubectl config set-context --current --namespace=NAMESPACE changes the namespace)\n"
            ),
        ),
    }
}

/// `kubectl cluster-info`: the control plane (and, like kubectl, every Service in kube-system
/// labelled `kubernetes.io/cluster-service=true`; kubeplay runs none).
pub fn cluster_info() -> String {
    format!(
        "Kubernetes control plane is running at {SERVER}\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_context_sets_and_clears_the_namespace() {
        let mut ns = None;
        let set = |n: &str| ConfigCmd::SetContext {
            name: None,
            namespace: Some(n.to_string()),
        };
        assert!(run(&mut ns, &set("kube-system")).ok);
        assert_eq!(ns.as_deref(), Some("kube-system"));
        let out = run(
            &mut ns,
            &ConfigCmd::GetContexts {
                name: None,
                names_only: false,
            },
        );
        assert_eq!(
            out.stdout,
            "CURRENT   NAME       CLUSTER    AUTHINFO   NAMESPACE\n*         kubeplay   kubeplay   kubeplay   kube-system\n"
        );
        assert!(run(&mut ns, &set("")).ok);
        assert_eq!(ns, None);
        let other = ConfigCmd::SetContext {
            name: Some("prod".to_string()),
            namespace: Some("x".to_string()),
        };
        assert!(!run(&mut ns, &other).ok);
        assert_eq!(ns, None);
    }

    #[test]
    fn view_json_parses_and_matches_the_yaml() {
        let text = kubeconfig_json(Some("dev"));
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, kubeconfig(Some("dev")));
    }
}
