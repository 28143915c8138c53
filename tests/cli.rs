//! Bad input never panics and never changes the cluster; the native CLI runs scripts.

use kubeplay::kubectl::{NoFiles, Session};
use proptest::prelude::*;

const EVERYTHING: &str =
    "get namespaces,nodes,pods,ds,jobs,controllerrevisions,services,endpointslices,events -A -o yaml";

fn setup() -> Session {
    let mut s = Session::new(7);
    for line in ["sim node add n1", "sim node add n2 --labels disk=ssd"] {
        assert!(s.run(line, None, &NoFiles).ok, "{line}");
    }
    let ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels:\n      app: agent\n  template:\n    metadata:\n      labels:\n        app: agent\n    spec:\n      containers:\n      - name: agent\n        image: busybox\n        command: [\"sleep\", \"3600\"]\n";
    let out = s.run("apply -f -", Some(ds), &NoFiles);
    assert!(out.ok, "{out:?}");
    s
}

fn snapshot(s: &mut Session) -> (String, u64) {
    let out = s.run(EVERYTHING, None, &NoFiles);
    (out.stdout, s.cluster.now().millis())
}

struct Case {
    name: &'static str,
    line: &'static str,
    stdin: Option<&'static str>,
    stderr: &'static str,
}

#[test]
fn bad_input_prints_the_exact_error_and_changes_nothing() {
    let cases = [
        Case { name: "unknown_command", line: "kubectl gett pods", stdin: None, stderr: "error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n\nRun 'kubectl --help' for usage.\n" },
        Case { name: "unknown_flag", line: "get pods --foo", stdin: None, stderr: "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n" },
        Case { name: "unknown_type", line: "get foos", stdin: None, stderr: "error: the server doesn't have a resource type \"foos\"\n" },
        Case { name: "not_found", line: "get pod nope", stdin: None, stderr: "Error from server (NotFound): pods \"nope\" not found\n" },
        Case { name: "delete_not_found", line: "delete ds nope", stdin: None, stderr: "Error from server (NotFound): daemonsets.apps \"nope\" not found\n" },
        Case { name: "unknown_kind_in_manifest", line: "apply -f -", stdin: Some("apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n"), stderr: "error: resource mapping not found for name: \"x\" namespace: \"\" from \"STDIN\": no matches for kind \"Foo\" in version \"v1\"\nensure CRDs are installed first\n" },
        Case { name: "missing_kind", line: "apply -f -", stdin: Some("apiVersion: v1\nmetadata:\n  name: x\n"), stderr: "error: error validating \"STDIN\": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false\n" },
        Case { name: "label_without_overwrite", line: "label node n2 disk=hdd", stdin: None, stderr: "error: 'disk' already has a value (ssd), and --overwrite is false\n" },
        Case { name: "taint_bad_effect", line: "taint nodes n1 a=b:Sometimes", stdin: None, stderr: "error: invalid taint effect: Sometimes, unsupported taint effect\n" },
        Case { name: "taint_remove_missing", line: "taint nodes n1 gone:NoSchedule-", stdin: None, stderr: "error: taint \"gone:NoSchedule\" not found\n" },
        Case { name: "bad_cascade", line: "delete ds agent --cascade=sideways", stdin: None, stderr: "error: invalid cascade value (sideways). Must be \"background\", \"foreground\", or \"orphan\"\n" },
        Case { name: "bad_output", line: "get pods -o xml", stdin: None, stderr: "error: unable to match a printer suitable for the output format \"xml\", allowed formats are: custom-columns,json,jsonpath,name,wide,yaml\n" },
        Case { name: "bad_duration", line: "sim advance 5x", stdin: None, stderr: "error: unknown unit \"x\" in duration \"5x\"\n" },
        Case { name: "seed_too_late", line: "sim seed 3", stdin: None, stderr: "error: sim seed must come before any command that changes the cluster\n" },
        Case { name: "patch_not_json", line: "patch ds agent -p '{bad'", stdin: None, stderr: "" },
        Case { name: "unterminated_quote", line: "get pods -l 'app", stdin: None, stderr: "error: unterminated quoted string\n" },
        Case { name: "rollout_unsupported_kind", line: "rollout status job/x", stdin: None, stderr: "error: no status viewer found for jobs.batch\n" },
    ];
    for c in cases {
        let mut s = setup();
        let before = snapshot(&mut s);
        let out = s.run(c.line, c.stdin, &NoFiles);
        assert!(
            !out.ok || c.name == "label_without_overwrite",
            "{}: expected failure, got {out:?}",
            c.name
        );
        if !c.stderr.is_empty() {
            assert_eq!(out.stderr, c.stderr, "{}", c.name);
        } else {
            assert!(!out.stderr.is_empty(), "{}: no error printed", c.name);
        }
        let after = snapshot(&mut s);
        assert_eq!(before, after, "{}: cluster changed", c.name);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn malformed_commands_never_panic(
        verb in prop::sample::select(vec!["get", "delete", "apply", "describe", "label", "taint", "drain", "patch", "logs", "wait", "rollout", "set", "sim", "create", "explain", "cordon", "x"]),
        words in prop::collection::vec("[-a-z=:/,.'\"{}\\[\\]*0-9 ]{0,12}", 0..5),
    ) {
        let mut s = setup();
        let line = format!("{verb} {}", words.join(" "));
        let _ = s.run(&line, Some("kind: [\n"), &NoFiles);
    }
}

#[test]
fn cli_runs_a_script_with_echo_and_exit_status() {
    let dir = std::env::temp_dir().join(format!("kubeplay-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("s.txt");
    std::fs::write(
        &script,
        "# a comment\nsim node add n1\nget nodes\nget pod nope\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .args(["run", "--seed", "1", "--echo"])
        .arg(&script)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        "$ sim node add n1\nnode/n1 created\n$ get nodes\nNAME   STATUS   ROLES    AGE   VERSION\nn1     Ready    <none>   0s    v1.34.1\n$ get pod nope\nError from server (NotFound): pods \"nope\" not found\n"
    );
    std::fs::write(&script, "apply -f - <<EOF\nkind: Pod\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .arg("run")
        .arg(&script)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("line 1: unterminated heredoc"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn interactive_prompt_reads_until_eof() {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"sim node add n1\nget nodes -o name\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        "kubeplay> node/n1 created\nkubeplay> node/n1\nkubeplay> "
    );
}
