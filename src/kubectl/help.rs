//! `kubectl --help` and `kubectl VERB [SUB] --help`: real kubectl 1.32's help texts, kept in
//! `help/*.txt` as the real binary prints them, with the `Options:` entries (and subcommands)
//! kubeplay does not implement left out. Global flags such as `-n` are not listed there, as in
//! kubectl. kubeplay's own `sim` appears where kubectl lists plugins.

use super::parse::Verb;

/// The root help (`kubectl`, `kubectl --help`, `kubectl help`).
pub const ROOT: &str = include_str!("help/root.txt");

/// Root help without its two header paragraphs: what cobra prints after `Unknown help topic`.
pub fn root_usage() -> &'static str {
    ROOT.find("Basic Commands")
        .and_then(|i| ROOT.get(i..))
        .unwrap_or(ROOT)
}

/// The help page of `verb`, or of its subcommand `sub` (`create job`, `rollout status`,
/// `top node`); an unknown subcommand falls back to the verb's page.
pub fn verb_help(verb: Verb, sub: Option<&str>) -> String {
    let text = match (verb, sub) {
        (Verb::Create, Some("job")) => include_str!("help/create-job.txt"),
        (Verb::Create, Some("namespace" | "ns")) => include_str!("help/create-namespace.txt"),
        (Verb::Create, _) => include_str!("help/create.txt"),
        (Verb::Config, Some("set-context")) => include_str!("help/config-set-context.txt"),
        (Verb::Config, _) => include_str!("help/config.txt"),
        (Verb::ClusterInfo, _) => include_str!("help/cluster-info.txt"),
        (Verb::ApiVersions, _) => include_str!("help/api-versions.txt"),
        (Verb::Exec, _) => include_str!("help/exec.txt"),
        (Verb::Run, _) => include_str!("help/run.txt"),
        (Verb::Expose, _) => include_str!("help/expose.txt"),
        (Verb::Set, Some("image")) => include_str!("help/set-image.txt"),
        (Verb::Set, _) => include_str!("help/set.txt"),
        (Verb::Explain, _) => include_str!("help/explain.txt"),
        (Verb::Get, _) => include_str!("help/get.txt"),
        (Verb::Delete, _) => include_str!("help/delete.txt"),
        (Verb::Rollout, Some("status")) => include_str!("help/rollout-status.txt"),
        (Verb::Rollout, Some("history")) => include_str!("help/rollout-history.txt"),
        (Verb::Rollout, Some("undo")) => include_str!("help/rollout-undo.txt"),
        (Verb::Rollout, Some("restart")) => include_str!("help/rollout-restart.txt"),
        (Verb::Rollout, Some("pause")) => include_str!("help/rollout-pause.txt"),
        (Verb::Rollout, Some("resume")) => include_str!("help/rollout-resume.txt"),
        (Verb::Rollout, _) => include_str!("help/rollout.txt"),
        (Verb::Cordon, _) => include_str!("help/cordon.txt"),
        (Verb::Uncordon, _) => include_str!("help/uncordon.txt"),
        (Verb::Drain, _) => include_str!("help/drain.txt"),
        (Verb::Taint, _) => include_str!("help/taint.txt"),
        (Verb::Describe, _) => include_str!("help/describe.txt"),
        (Verb::Logs, _) => include_str!("help/logs.txt"),
        (Verb::Events, _) => include_str!("help/events.txt"),
        (Verb::Diff, _) => include_str!("help/diff.txt"),
        (Verb::Apply, _) => include_str!("help/apply.txt"),
        (Verb::Patch, _) => include_str!("help/patch.txt"),
        (Verb::Replace, _) => include_str!("help/replace.txt"),
        (Verb::Wait, _) => include_str!("help/wait.txt"),
        (Verb::Label, _) => include_str!("help/label.txt"),
        (Verb::Annotate, _) => include_str!("help/annotate.txt"),
        (Verb::ApiResources, _) => include_str!("help/api-resources.txt"),
        (Verb::Version, _) => include_str!("help/version.txt"),
        (Verb::Top, Some("node" | "nodes" | "no")) => include_str!("help/top-node.txt"),
        (Verb::Top, Some("pod" | "pods" | "po")) => include_str!("help/top-pod.txt"),
        (Verb::Top, _) => include_str!("help/top.txt"),
        (Verb::Help, _) => ROOT,
        (Verb::Sim, _) => return sim_help(),
    };
    text.to_string()
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
            "Connect as curl in a pod would (node IP + hostPort, Service, pod IP)",
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
            let page = verb_help(v, None);
            assert!(page.contains("\nUsage:\n  kubectl"), "{v:?}");
            assert!(
                page.ends_with("Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n"),
                "{v:?}"
            );
        }
    }
}
