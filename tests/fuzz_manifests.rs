//! Mutated kubernetes.io manifests never panic: every scalar of each built-in example is
//! replaced, a few at a time, by absurd values (negative, huge, wrong type, empty), applied to a
//! running cluster, and the cluster is run for simulated minutes and printed every way.

use kubeplay::kubectl::{NoFiles, Session};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// The cases are the same on every run (CI stays reproducible); `FUZZ_SEED=N` explores others.
fn fuzz_seed() -> u64 {
    std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261129)
}

const EXAMPLES: &[&str] = &[
    include_str!("../src/ui/examples/fluentd-elasticsearch.yaml"),
    include_str!("../src/ui/examples/pi-job.yaml"),
    include_str!("../src/ui/examples/pod-failure-policy-job.yaml"),
    include_str!("../src/ui/examples/indexed-job.yaml"),
    include_str!("../src/ui/examples/work-queue-job.yaml"),
    include_str!("../src/ui/examples/failing-job.yaml"),
    include_str!("../src/ui/examples/ssd-daemonset.yaml"),
    include_str!("../src/kubectl/examples/exec-liveness.yaml"),
    include_str!("../src/kubectl/examples/tcp-liveness-readiness.yaml"),
];

/// Absurd values for a numeric field.
const NUMBERS: &[&str] = &[
    "-1",
    "0",
    "1",
    "2",
    "5",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "1e308",
    "0.5",
    "100000",
    "100001",
    "\"10\"",
    "\"50%\"",
];
/// Odd values for a string field.
const STRINGS: &[&str] = &[
    "\"\"",
    "abc",
    "\"100%\"",
    "\"-5%\"",
    "\"101%\"",
    "\"0%\"",
    "999999999999Gi",
    "\"-1\"",
    "Always",
    "Never",
    "OnFailure",
    "Indexed",
    "NonIndexed",
    "FailJob",
    "Ignore",
    "Count",
    "FailIndex",
    "In",
    "NotIn",
    "DisruptionTarget",
    "x-y.z/w",
    "\"a\\nb\"",
    "$(FOO)",
    "main",
    "OnDelete",
    "RollingUpdate",
    "NoExecute",
    "Exists",
    "Equal",
    "\"sh -c 'exit 3'\"",
    "busybox:1.28",
    "perl",
    "0.001m",
    "1Ei",
    "null",
    "true",
    "[]",
    "{}",
];

/// Replaces the value of the `picks`' lines (`key: value` lines, counted modulo their number)
/// by junk, in the text, so the junk reaches kubeplay's own YAML decoder as typed.
fn mutate(doc: &str, picks: &[(usize, usize)]) -> String {
    let mut lines: Vec<String> = doc.lines().map(str::to_string).collect();
    let scalar: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start().trim_start_matches("- ");
            // Identity fields only produce decoding errors; the spec is where the behaviour is.
            !t.starts_with('#')
                && t.split_once(": ").is_some_and(|(k, v)| {
                    !v.trim().is_empty() && !matches!(k, "apiVersion" | "kind" | "name" | "image")
                })
        })
        .map(|(i, _)| i)
        .collect();
    if scalar.is_empty() {
        return doc.to_string();
    }
    for (leaf, junk) in picks {
        let Some(&i) = scalar.get(leaf % scalar.len()) else {
            continue;
        };
        let Some(line) = lines.get_mut(i) else {
            continue;
        };
        let Some(cut) = line.find(": ").map(|c| c + 2) else {
            continue;
        };
        let old = line.get(cut..).unwrap_or_default().trim();
        let pool = if old.parse::<f64>().is_ok() {
            NUMBERS
        } else {
            STRINGS
        };
        let value = pool.get(junk % pool.len()).copied().unwrap_or_default();
        line.truncate(cut);
        line.push_str(value);
    }
    lines.join("\n") + "\n"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, rng_seed: RngSeed::Fixed(fuzz_seed()), ..ProptestConfig::default() })]

    #[test]
    fn mutated_examples_never_panic(
        ex in 0..EXAMPLES.len(),
        picks in prop::collection::vec((0usize..500, 0usize..100), 1..4),
    ) {
        let yaml = mutate(EXAMPLES[ex], &picks);
        let mut s = Session::new(3);
        for line in ["sim node add n1 --labels ssd=true", "sim node add n2", "sim node add n3 --taints k=v:NoSchedule"] {
            s.run(line, None, &NoFiles);
        }
        s.cluster.config_mut().max_pods = 2_000;
        s.run("apply -f -", Some(&yaml), &NoFiles);
        for line in [
            "sim advance 30s", "get all -A -o wide", "describe pods", "describe ds -A", "describe jobs",
            "sim node remove n1", "sim advance 5m", "get events -A", "get jobs,ds,pods -A -o yaml",
            "rollout status ds -n kube-system --timeout=1s", "logs -l app=x", "sim advance 1h",
        ] {
            s.run(line, None, &NoFiles);
        }
    }
}

/// Commands a learner types, with the names the setup below creates.
const COMMANDS: &[&str] = &[
    "sim advance 5s",
    "sim advance 2m",
    "sim node add n9 --labels ssd=true",
    "sim node remove n2",
    "sim node down n1",
    "sim node up n1",
    "cordon n3",
    "uncordon n3",
    "drain n3 --ignore-daemonsets --delete-emptydir-data --force",
    "label node n2 ssd=true --overwrite",
    "label node n1 ssd-",
    "taint node n1 k=v:NoExecute",
    "taint node n1 k:NoExecute-",
    "delete pods -l app=agent --wait=false",
    "delete pods --all --grace-period=0 --force",
    "rollout restart ds/agent",
    "rollout undo ds/agent",
    "rollout status ds/agent --timeout=5s",
    "set image ds/agent agent=busybox:1.37",
    "patch ds agent --type merge -p '{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"maxSurge\":1,\"maxUnavailable\":0}}}}'",
    "patch job work --type merge -p '{\"spec\":{\"suspend\":true}}'",
    "patch job work --type merge -p '{\"spec\":{\"suspend\":false}}'",
    "patch job work --type merge -p '{\"spec\":{\"parallelism\":0}}'",
    "patch job work --type merge -p '{\"spec\":{\"parallelism\":5}}'",
    "sim pod fail -l job-name=work",
    "sim pod succeed -l job-name=work",
    "delete job work --cascade=orphan",
    "delete ds agent --cascade=foreground --wait=false",
    "wait --for=condition=complete job/work --timeout=20s",
    "logs job/work",
    "describe nodes",
    "describe ds agent",
    "describe job work",
    "get all -A -o wide",
    "get events -A",
    "get pods -A -o yaml",
    "top nodes",
    "exec ds/agent -- sh -c 'echo hi > /tmp/x; cat /tmp/x'",
    "for i in 1 2 3; do kubectl get pods -o name | head -1; done",
];

const SETUP: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      containers: [{name: agent, image: busybox, command: [sleep, '3600']}]\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: work}\nspec:\n  completions: 6\n  parallelism: 2\n  backoffLimit: 3\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: w, image: busybox, command: [sh, -c, 'sleep 3; exit $((RANDOM % 2))']}]\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, rng_seed: RngSeed::Fixed(fuzz_seed()), ..ProptestConfig::default() })]

    /// Random sequences of a learner's commands over a DaemonSet and a Job never panic, and
    /// replaying the session's log rebuilds the same cluster.
    #[test]
    fn command_sequences_never_panic(ops in prop::collection::vec(0..COMMANDS.len(), 1..25)) {
        let mut s = Session::new(5);
        for line in ["sim node add n1 --labels ssd=true", "sim node add n2", "sim node add n3"] {
            s.run(line, None, &NoFiles);
        }
        s.run("apply -f -", Some(SETUP), &NoFiles);
        for op in ops {
            s.run(COMMANDS[op], None, &NoFiles);
        }
        let everything = "get nodes,pods,ds,jobs,events -A -o yaml";
        let here = s.run(everything, None, &NoFiles).stdout;
        let mut again = Session::new(5);
        for (line, stdin) in s.log.clone() {
            again.run(&line, stdin.as_deref(), &NoFiles);
        }
        prop_assert_eq!(here, again.run(everything, None, &NoFiles).stdout);
    }
}
