//! The same commands with the same seed give byte-identical transcripts; different seeds may
//! differ only in generated names and uids.

use kubeplay::kubectl::{NoFiles, Session};

const SCRIPT: &[&str] = &[
    "sim node add n1",
    "sim node add n2",
    "create job pi --image=busybox -- sh -c 'echo hi'",
    "sim advance 30s",
    "get pods -o wide",
    "get jobs",
    "get events",
    "get pods,jobs -A -o yaml",
];

fn transcript(seed: u64) -> String {
    let mut s = Session::new(seed);
    let mut out = String::new();
    for line in SCRIPT {
        let o = s.run(line, None, &NoFiles);
        out.push_str(&o.stdout);
        out.push_str(&o.stderr);
    }
    out
}

#[test]
fn same_seed_same_transcript() {
    for seed in [0, 1, 42] {
        assert_eq!(transcript(seed), transcript(seed), "seed {seed} diverged");
    }
}
