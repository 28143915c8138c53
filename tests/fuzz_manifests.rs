//! Mutated kubernetes.io manifests never panic: every scalar of each built-in example is
//! replaced, a few at a time, by absurd values (negative, huge, wrong type, empty), applied to a
//! running cluster, and the cluster is run for simulated minutes and printed every way.

use kubeplay::kubectl::{NoFiles, Session};
use proptest::prelude::*;

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
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

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
