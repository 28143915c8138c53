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
        Case { name: "unknown_command", line: "kubectl gett pods", stdin: None, stderr: "Error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n\n" },
        Case { name: "unknown_flag", line: "get pods --foo", stdin: None, stderr: "Error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n" },
        Case { name: "unknown_type", line: "get foos", stdin: None, stderr: "error: the server doesn't have a resource type \"foos\"\n" },
        Case { name: "not_found", line: "get pod nope", stdin: None, stderr: "Error from server (NotFound): pods \"nope\" not found\n" },
        Case { name: "delete_not_found", line: "delete ds nope", stdin: None, stderr: "Error from server (NotFound): daemonsets.apps \"nope\" not found\n" },
        Case { name: "unknown_kind_in_manifest", line: "apply -f -", stdin: Some("apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n"), stderr: "error: resource mapping not found for name: \"x\" namespace: \"\" from \"STDIN\": no matches for kind \"Foo\" in version \"v1\"\nensure CRDs are installed first\n" },
        Case { name: "missing_kind", line: "apply -f -", stdin: Some("apiVersion: v1\nmetadata:\n  name: x\n"), stderr: "error: error validating \"STDIN\": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false\n" },
        Case { name: "apply_one_invalid_object", line: "apply -f -", stdin: Some("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: []\n"), stderr: "The Pod \"x\" is invalid: spec.containers: Required value\n" },
        Case { name: "apply_changed_selector", line: "apply -f -", stdin: Some("apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels:\n      app: other\n  template:\n    metadata:\n      labels:\n        app: other\n    spec:\n      containers:\n      - name: agent\n        image: busybox\n"), stderr: "The DaemonSet \"agent\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"other\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n" },
        Case { name: "create_two_invalid_objects", line: "create -f -", stdin: Some("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: []\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: y\nspec:\n  containers: []\n"), stderr: "Error from server (Invalid): error when creating \"STDIN\": Pod \"x\" is invalid: spec.containers: Required value\nError from server (Invalid): error when creating \"STDIN\": Pod \"y\" is invalid: spec.containers: Required value\n" },
        Case { name: "label_without_overwrite", line: "label node n2 disk=hdd", stdin: None, stderr: "error: 'disk' already has a value (ssd), and --overwrite is false\n" },
        Case { name: "taint_bad_effect", line: "taint nodes n1 a=b:Sometimes", stdin: None, stderr: "error: invalid taint effect: Sometimes, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n" },
        Case { name: "taint_remove_missing", line: "taint nodes n1 gone:NoSchedule-", stdin: None, stderr: "error: taint \"gone:NoSchedule\" not found\n" },
        Case { name: "bad_cascade", line: "delete ds agent --cascade=sideways", stdin: None, stderr: "error: invalid cascade value (sideways). Must be \"background\", \"foreground\", or \"orphan\"\n" },
        Case { name: "bad_output", line: "get pods -o xml", stdin: None, stderr: "error: unable to match a printer suitable for the output format \"xml\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n" },
        Case { name: "bad_duration", line: "sim advance 5x", stdin: None, stderr: "error: unknown unit \"x\" in duration \"5x\"\n" },
        Case { name: "seed_too_late", line: "sim seed 3", stdin: None, stderr: "error: sim seed must come before any command that changes the cluster\n" },
        Case { name: "patch_not_json", line: "patch ds agent -p '{bad'", stdin: None, stderr: "" },
        Case { name: "unterminated_quote", line: "get pods -l 'app", stdin: None, stderr: "error: unterminated quoted string\n" },
        Case { name: "real_command_kubeplay_lacks", line: "scale ds agent --replicas=2", stdin: None, stderr: "error: \"kubectl scale\" is not available in kubeplay; run \"kubectl --help\" for the commands it simulates\n" },
        Case { name: "rollout_status_unsupported_kind", line: "rollout status node/n1", stdin: None, stderr: "error: no status viewer has been implemented for Node\n" },
        Case { name: "rollout_history_unsupported_kind", line: "rollout history node/n1", stdin: None, stderr: "error: no history viewer has been implemented for \"Node\"\n" },
        Case { name: "rollout_undo_unsupported_kind", line: "rollout undo node/n1", stdin: None, stderr: "error: no rollbacker has been implemented for \"Node\"\n" },
        Case { name: "rollout_restart_unsupported_kind", line: "rollout restart node/n1", stdin: None, stderr: "error: nodes \"n1\" restarting is not supported\n" },
        Case { name: "drain_looks_up_every_node_first", line: "drain n1 nope", stdin: None, stderr: "Error from server (NotFound): nodes \"nope\" not found\n" },
        Case { name: "delete_force_with_grace", line: "delete ds agent --force --grace-period=5", stdin: None, stderr: "error: --force and --grace-period greater than 0 cannot be specified together\n" },
        Case { name: "delete_all_with_selector", line: "delete pods --all -l app=agent", stdin: None, stderr: "error: setting 'all' parameter but found a non empty selector. \n" },
        Case { name: "taint_type_slash_name", line: "taint node/n1 a=b:NoSchedule", stdin: None, stderr: "the server doesn't have a resource type \"node/n1\"\n" },
        Case { name: "logs_not_found", line: "logs nope", stdin: None, stderr: "error: error from server (NotFound): pods \"nope\" not found in namespace \"default\"\n" },
        Case { name: "set_image_without_images", line: "set image ds/agent", stdin: None, stderr: "error: at least one image update is required\n" },
        Case { name: "explain_unknown_type", line: "explain foos", stdin: None, stderr: "the server doesn't have a resource type \"foos\"\n" },
        Case { name: "rollout_unsupported_kind", line: "rollout status job/x", stdin: None, stderr: "Error from server (NotFound): jobs.batch \"x\" not found\n" },
        Case { name: "expose_daemonset", line: "expose ds agent --port=80", stdin: None, stderr: "error: cannot expose a DaemonSet.apps\n" },
        Case { name: "expose_node", line: "expose node n1 --port=80", stdin: None, stderr: "error: cannot expose a Node\n" },
        Case { name: "expose_missing_pod", line: "expose pod nope --port=80", stdin: None, stderr: "Error from server (NotFound): pods \"nope\" not found\n" },
        Case { name: "expose_bad_selector", line: "expose svc kubernetes --port=80 --selector=a", stdin: None, stderr: "error: unexpected label spec: a\n" },
        Case { name: "expose_without_name", line: "expose pods", stdin: None, stderr: "error: resource(s) were provided, but no name was specified\n" },
        Case { name: "events_bad_type", line: "events --types=Foo", stdin: None, stderr: "error: valid --types are Normal or Warning\n" },
        Case { name: "events_unknown_kind", line: "events --for widgets/x", stdin: None, stderr: "error: the server doesn't have a resource type \"widgets\"\n" },
        Case { name: "rollout_pause_daemonset", line: "rollout pause ds/agent", stdin: None, stderr: "error: daemonsets.apps \"agent\" pausing is not supported\n" },
        Case { name: "rollout_resume_daemonset", line: "rollout resume ds/agent", stdin: None, stderr: "error: daemonsets.apps \"agent\" resuming is not supported\n" },
        Case { name: "run_without_image", line: "run x", stdin: None, stderr: "error: required flag(s) \"image\" not set\n" },
        Case { name: "run_without_name", line: "run --image=busybox", stdin: None, stderr: "error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n" },
        Case { name: "run_empty_image", line: "run x --image=", stdin: None, stderr: "error: --image is required\n" },
        Case { name: "run_bad_image", line: "run x --image=busy:box::", stdin: None, stderr: "error: Invalid image name \"busy:box::\": invalid reference format\n" },
        Case { name: "run_short_digest", line: "run x --image=a@sha256:abc", stdin: None, stderr: "error: Invalid image name \"a@sha256:abc\": invalid reference format\n" },
        Case { name: "run_tty_without_stdin", line: "run x --image=busybox -t", stdin: None, stderr: "error: -i/--stdin is required for containers with -t/--tty=true\nSee 'kubectl run -h' for help and examples\n" },
        Case { name: "run_bad_restart", line: "run x --image=busybox --restart=Foo", stdin: None, stderr: "error: invalid restart policy: Foo\nSee 'kubectl run -h' for help and examples\n" },
        Case { name: "run_rm_without_attach", line: "run x --image=busybox --rm", stdin: None, stderr: "error: --rm should only be used for attached containers\nSee 'kubectl run -h' for help and examples\n" },
        Case { name: "run_attach_dry_run", line: "run x --image=busybox -i --dry-run=client", stdin: None, stderr: "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\nSee 'kubectl run -h' for help and examples\n" },
        Case { name: "run_bad_pull_policy", line: "run x --image=busybox --image-pull-policy=Foo", stdin: None, stderr: "error: invalid image pull policy: Foo\nSee 'kubectl run -h' for help and examples\n" },
        Case { name: "run_bad_env", line: "run x --image=busybox --env=FOO", stdin: None, stderr: "error: invalid env: FOO\n" },
        Case { name: "run_bad_label", line: "run x --image=busybox -l a=b=c", stdin: None, stderr: "error: unexpected label spec: a=b=c\n" },
        Case { name: "run_empty_label_key", line: "run x --image=busybox -l =v", stdin: None, stderr: "error: unexpected empty label key\n" },
        Case { name: "run_bad_annotation", line: "run x --image=busybox --annotations=foo", stdin: None, stderr: "error: invalid annotations format: foo\n" },
        Case { name: "run_bad_port", line: "run x --image=busybox --port=abc", stdin: None, stderr: "error: strconv.Atoi: parsing \"abc\": invalid syntax\n" },
        Case { name: "run_bad_output", line: "run x --image=busybox -o wide", stdin: None, stderr: "Error: unable to match a printer suitable for the output format \"wide\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n" },
        Case { name: "run_bad_dry_run", line: "run x --image=busybox --dry-run=bogus", stdin: None, stderr: "error: Invalid dry-run value (bogus). Must be \"none\", \"server\", or \"client\".\n" },
        Case { name: "run_invalid_port_rejected_by_server", line: "run x --image=busybox --port=-1", stdin: None, stderr: "The Pod \"x\" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: -1: must be between 1 and 65535, inclusive\n" },
        Case { name: "run_server_dry_run_still_validates", line: "run X --image=busybox --dry-run=server", stdin: None, stderr: "" },
        Case { name: "create_job_bad_dry_run", line: "create job j --image=busybox --dry-run=maybe", stdin: None, stderr: "error: Invalid dry-run value (maybe). Must be \"none\", \"server\", or \"client\".\n" },
        Case { name: "apply_server_dry_run_invalid", line: "apply --dry-run=server -f -", stdin: Some("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: []\n"), stderr: "The Pod \"x\" is invalid: spec.containers: Required value\n" },
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

/// `--dry-run`, client or server, prints what would happen and changes nothing.
#[test]
fn dry_runs_change_nothing() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n";
    let cases: &[(&str, Option<&str>, &str)] = &[
        (
            "run x --image=busybox --dry-run=client",
            None,
            "pod/x created (dry run)\n",
        ),
        (
            "run x --image=busybox --dry-run=server",
            None,
            "pod/x created (server dry run)\n",
        ),
        (
            "run x --image=busybox --dry-run=client -o name",
            None,
            "pod/x\n",
        ),
        (
            "create job j --image=busybox --dry-run=client",
            None,
            "job.batch/j created (dry run)\n",
        ),
        (
            "create job j --image=busybox --dry-run=server -o name",
            None,
            "job.batch/j\n",
        ),
        (
            "apply --dry-run=server -f -",
            Some(pod),
            "pod/p created (server dry run)\n",
        ),
        (
            "apply --dry-run=client -f -",
            Some(pod),
            "pod/p created (dry run)\n",
        ),
        (
            "create --dry-run=server -f -",
            Some(pod),
            "pod/p created (server dry run)\n",
        ),
        ("apply --dry-run=server -f - -o name", Some(pod), "pod/p\n"),
    ];
    for (line, stdin, want) in cases {
        let mut s = setup();
        let before = snapshot(&mut s);
        let out = s.run(line, *stdin, &NoFiles);
        assert!(out.ok, "{line}: {out:?}");
        assert_eq!(out.stdout, *want, "{line}");
        assert_eq!(before, snapshot(&mut s), "{line}: cluster changed");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn malformed_commands_never_panic(
        verb in prop::sample::select(vec!["get", "delete", "apply", "describe", "label", "taint", "drain", "patch", "logs", "wait", "rollout", "set", "sim", "create", "explain", "cordon", "run", "expose", "events", "x"]),
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

/// Usage and flag errors, byte for byte as real kubectl 1.32 prints them (each captured from the
/// real binary, which fails the same way without a server): cobra's `Error:` lines, pflag's
/// value checks, and each verb's own `error:` for missing or extra arguments.
#[test]
fn error_shapes_match_real_kubectl() {
    let cases: &[(&str, &str)] = &[
            ("foo", "Error: unknown command \"foo\" for \"kubectl\"\n\nDid you mean this?\n\ttop\n"),
            ("tpo", "Error: unknown command \"tpo\" for \"kubectl\"\n\nDid you mean this?\n\ttop\n\tcp\n"),
            ("gett pods", "Error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n"),
            ("foobarbaz", "Error: unknown command \"foobarbaz\" for \"kubectl\""),
            ("--bogus", "Error: unknown flag: --bogus\nSee 'kubectl --help' for usage."),
            ("-z", "Error: unknown shorthand flag: 'z' in -z\nSee 'kubectl --help' for usage."),
            ("get pods --bogus", "Error: unknown flag: --bogus\nSee 'kubectl get --help' for usage."),
            ("get pods -z", "Error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage."),
            ("get pods -n", "Error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage."),
            ("get pods --namespace", "Error: flag needs an argument: --namespace\nSee 'kubectl get --help' for usage."),
            ("get pods -A=foo", "Error: invalid argument \"foo\" for \"-A, --all-namespaces\" flag: strconv.ParseBool: parsing \"foo\": invalid syntax\nSee 'kubectl get --help' for usage."),
            ("version -o bogus", "error: --output must be 'yaml' or 'json'"),
            ("version extra", "error: extra arguments: [extra]"),
            ("get pods --show-labels -o yaml", "error: --show-labels option cannot be used with yaml printer"),
            ("get pods --show-labels -o jsonpath={.items}", "error: --show-labels option cannot be used with jsonpath={.items} printer"),
            ("get pods --show-labels=maybe", "Error: invalid argument \"maybe\" for \"--show-labels\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\nSee 'kubectl get --help' for usage."),
            ("get", "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples"),
            ("describe", "error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources."),
            ("delete", "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"),
            ("delete pod x --grace-period=abc", "Error: invalid argument \"abc\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\nSee 'kubectl delete --help' for usage."),
            ("delete pod x --wait=abc", "Error: invalid argument \"abc\" for \"--wait\" flag: strconv.ParseBool: parsing \"abc\": invalid syntax\nSee 'kubectl delete --help' for usage."),
            ("delete pod x --cascade=foo", "error: invalid cascade value (foo). Must be \"background\", \"foreground\", or \"orphan\""),
            ("delete pod x --now --grace-period=3", "error: --now and --grace-period cannot be specified together"),
            ("logs", "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples"),
            ("logs x --tail=abc", "Error: invalid argument \"abc\" for \"--tail\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\nSee 'kubectl logs --help' for usage."),
            ("logs a b c", "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples"),
            ("logs -l app=x pod", "error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples"),
            ("wait", "error: unrecognized condition: \"\""),
            ("wait pod/x", "error: unrecognized condition: \"\""),
            ("wait --for=bogus pod/x", "error: unrecognized condition: \"bogus\""),
            ("wait --for=delete", "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"),
            ("wait pod/x --for=delete --timeout=abc", "Error: invalid argument \"abc\" for \"--timeout\" flag: time: invalid duration \"abc\"\nSee 'kubectl wait --help' for usage."),
            ("wait pod/x --for=delete --timeout=10", "Error: invalid argument \"10\" for \"--timeout\" flag: time: missing unit in duration \"10\"\nSee 'kubectl wait --help' for usage."),
            ("wait pod/x --for=delete --timeout=1d", "Error: invalid argument \"1d\" for \"--timeout\" flag: time: unknown unit \"d\" in duration \"1d\"\nSee 'kubectl wait --help' for usage."),
            ("apply", "error: must specify one of -f and -k"),
            ("apply x", "error: Unexpected args: [x]\nSee 'kubectl apply -h' for help and examples"),
            ("apply -f x.yaml extra", "error: Unexpected args: [extra]\nSee 'kubectl apply -h' for help and examples"),
            ("create", "error: must specify one of -f and -k"),
            ("create foo", "error: Unexpected args: [foo]\nSee 'kubectl create -h' for help and examples"),
            ("create job", "error: exactly one NAME is required, got 0\nSee 'kubectl create job -h' for help and examples"),
            ("create job pi", "error: either --image or --from must be specified"),
            ("create job a b", "error: exactly one NAME is required, got 2\nSee 'kubectl create job -h' for help and examples"),
            ("create job pi --image=x --bogus", "Error: unknown flag: --bogus\nSee 'kubectl create job --help' for usage."),
            ("create job -z", "Error: unknown shorthand flag: 'z' in -z\nSee 'kubectl create job --help' for usage."),
            ("replace", "error: must specify one of -f and -k"),
            ("replace x", "error: must specify one of -f and -k"),
            ("patch", "error: must specify --patch or --patch-file containing the contents of the patch"),
            ("patch pod", "error: must specify --patch or --patch-file containing the contents of the patch"),
            ("patch pod x", "error: must specify --patch or --patch-file containing the contents of the patch"),
            ("patch pod x --type=foo", "error: must specify --patch or --patch-file containing the contents of the patch"),
            ("patch pod x -p '{}' --type=foo", "error: --type must be one of [json merge strategic], not \"foo\""),
            ("patch -p '{}'", "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"),
            ("label", "error: one or more resources must be specified as <resource> <name> or <resource>/<name>"),
            ("label pods", "error: at least one label update is required"),
            ("label pod x", "error: at least one label update is required"),
            ("label a=b", "error: one or more resources must be specified as <resource> <name> or <resource>/<name>"),
            ("label pods a=b c", "error: all resources must be specified before label changes: c"),
            ("annotate", "error: one or more resources must be specified as <resource> <name> or <resource>/<name>"),
            ("annotate pod x", "error: at least one annotation update is required"),
            ("taint", "error: one or more resources must be specified as <resource> <name>"),
            ("taint nodes", "error: at least one taint update is required"),
            ("taint nodes n1", "error: at least one taint update is required"),
            ("taint nodes n1 a=b:Bad", "error: invalid taint effect: Bad, unsupported taint effect\nSee 'kubectl taint -h' for help and examples"),
            ("taint nodes n1 a=b", "error: invalid taint spec: a=b, name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\nSee 'kubectl taint -h' for help and examples"),
            ("taint nodes n1 a", "error: at least one taint update is required"),
            ("taint nodes n1 a=b_:NoSchedule", "error: invalid taint spec: a=b_:NoSchedule, a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')\nSee 'kubectl taint -h' for help and examples"),
            ("taint nodes n1 /x:NoSchedule", "error: invalid taint spec: /x:NoSchedule, prefix part must be non-empty\nSee 'kubectl taint -h' for help and examples"),
            ("taint nodes n1 a:b:c", "error: invalid taint spec: a:b:c\nSee 'kubectl taint -h' for help and examples"),
            ("taint nodes n1 a=b=c:NoSchedule", "error: invalid taint spec: a=b=c:NoSchedule\nSee 'kubectl taint -h' for help and examples"),
            ("taint nodes n1 a=b:NoSchedule c", "error: all resources must be specified before taint changes: c"),
            ("cordon", "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples"),
            ("uncordon", "error: USAGE: uncordon NODE [flags]\nSee 'kubectl uncordon -h' for help and examples"),
            ("cordon -z", "Error: unknown shorthand flag: 'z' in -z\nSee 'kubectl cordon --help' for usage."),
            ("drain", "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples"),
            ("drain n1 --grace-period=x", "Error: invalid argument \"x\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\nSee 'kubectl drain --help' for usage."),
            ("rollout status", "error: required resource not specified"),
            ("rollout history", "error: required resource not specified"),
            ("rollout undo", "error: required resource not specified"),
            ("rollout restart", "error: required resource not specified"),
            ("rollout foo", "error: unknown command \"foo\"\nSee 'kubectl rollout -h' for help and examples"),
            ("rollout undo ds/x --to-revision=x", "Error: invalid argument \"x\" for \"--to-revision\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\nSee 'kubectl rollout undo --help' for usage."),
            ("rollout history ds/x --revision=x", "Error: invalid argument \"x\" for \"--revision\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\nSee 'kubectl rollout history --help' for usage."),
            ("rollout status ds/x --timeout=x", "Error: invalid argument \"x\" for \"--timeout\" flag: time: invalid duration \"x\"\nSee 'kubectl rollout status --help' for usage."),
            ("rollout status -z", "Error: unknown shorthand flag: 'z' in -z\nSee 'kubectl rollout status --help' for usage."),
            ("rollout status ds/x --bogus", "Error: unknown flag: --bogus\nSee 'kubectl rollout status --help' for usage."),
            ("set image", "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"),
            ("set foo", "error: unknown command \"foo\"\nSee 'kubectl set -h' for help and examples"),
            ("set image a=b", "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"),
            ("explain", "error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources."),
            ("explain a b", "error: We accept only this format: explain RESOURCE"),
            ("explain pods --bogus", "Error: unknown flag: --bogus\nSee 'kubectl explain --help' for usage."),
            ("api-resources extra", "Error: unexpected arguments: [extra]\nSee 'kubectl api-resources -h' for help and examples"),
            ("api-resources -o yaml", "error: --output yaml is not available"),
            ("api-resources --namespaced=x", "Error: invalid argument \"x\" for \"--namespaced\" flag: strconv.ParseBool: parsing \"x\": invalid syntax\nSee 'kubectl api-resources --help' for usage."),
            ("version extra", "error: extra arguments: [extra]"),
            ("version --bogus", "Error: unknown flag: --bogus\nSee 'kubectl version --help' for usage."),
            ("version -z", "Error: unknown shorthand flag: 'z' in -z\nSee 'kubectl version --help' for usage."),
            ("top", "Display resource (CPU/memory) usage.\n\n The top command allows you to see the resource consumption for nodes or pods.\n\n This command requires Metrics Server to be correctly configured and working on the server.\n\nAvailable Commands:\n  node          Display resource (CPU/memory) usage of nodes\n  pod           Display resource (CPU/memory) usage of pods\n\nUsage:\n  kubectl top [flags] [options]\n\nUse \"kubectl top <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands)."),
            ("top foo", "error: unknown command \"foo\"\nSee 'kubectl top -h' for help and examples"),
            ("top pod -z", "Error: unknown shorthand flag: 'z' in -z\nSee 'kubectl top pod --help' for usage."),
            ("-n", "Error: flag needs an argument: 'n' in -n\nSee 'kubectl --help' for usage."),
            ("-n kube-system get pods --bogus", "Error: unknown flag: --bogus\nSee 'kubectl get --help' for usage."),
            ("-nfoo top pod -z", "Error: unknown shorthand flag: 'z' in -z\nSee 'kubectl top pod --help' for usage."),
            ("--namespace=x logs", "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples"),
        ];
    for (line, want) in cases {
        let mut s = Session::new(0);
        let out = s.run(line, None, &NoFiles);
        assert!(!out.ok, "{line}: expected failure, got {out:?}");
        assert_eq!(out.stdout, "", "{line}");
        assert_eq!(out.stderr, format!("{want}\n"), "{line}");
    }
}

/// Help pages are real kubectl's text; group commands without a subcommand print theirs and fail.
#[test]
fn help_pages_are_kubectl_text() {
    let mut s = Session::new(0);
    let out = s.run("kubectl logs --help", None, &NoFiles);
    assert!(out.ok);
    assert!(out.stdout.starts_with("Print the logs for a container in a pod or specified resource. If the pod has only one container, the container name is optional.\n\nExamples:\n"));
    assert!(out
        .stdout
        .contains("\nOptions:\n    -c, --container='':\n\tPrint the logs of this container\n\n"));
    assert!(out.stdout.ends_with("Usage:\n  kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]\n\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n"));
    assert_eq!(s.run("help logs", None, &NoFiles).stdout, out.stdout);
    let root = s.run("kubectl --help", None, &NoFiles);
    assert!(root.stdout.starts_with("kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\nBasic Commands (Beginner):\n  create          Create a resource from a file or from stdin\n  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service\n  run             Run a particular image on the cluster\n  set             Set specific features on objects\n\n"));
    assert_eq!(s.run("help", None, &NoFiles).stdout, root.stdout);
    // A bare `kubectl` prints the same usage, exit 0 (kubectl 1.32).
    let bare = s.run("kubectl", None, &NoFiles);
    assert!(bare.ok);
    assert_eq!(bare.stdout, root.stdout);
    let rollout = s.run("rollout", None, &NoFiles);
    assert!(
        !rollout.ok
            && rollout
                .stdout
                .starts_with("Manage the rollout of one or many resources.")
    );
    let set = s.run("set", None, &NoFiles);
    assert!(
        !set.ok
            && set.stdout.is_empty()
            && set.stderr.starts_with("Configure application resources.\n")
    );
    let topic = s.run("help foo", None, &NoFiles);
    assert!(
        topic.ok
            && topic
                .stderr
                .starts_with("Unknown help topic [`foo`]\n\n\nBasic Commands (Beginner):\n")
    );
}

/// `--cascade=false|true` still work, with kubectl's deprecation warning (captured from
/// kubectl 1.32); `--cascade` alone means background and warns nothing.
#[test]
fn boolean_cascade_values_warn_like_kubectl() {
    for (flag, warning, orphaned) in [
        ("--cascade=false", "warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n", true),
        ("--cascade=true", "warning: --cascade=true is deprecated (boolean value) and can be replaced with --cascade=background.\n", false),
        ("--cascade", "", false),
    ] {
        let mut s = setup();
        s.run("sim advance 5s", None, &NoFiles);
        let out = s.run(&format!("delete ds agent {flag}"), None, &NoFiles);
        assert!(out.ok, "{flag}: {out:?}");
        assert_eq!(out.stderr, warning, "{flag}");
        s.run("sim advance 60s", None, &NoFiles);
        let pods = s.run("get pods --no-headers", None, &NoFiles).stdout;
        assert_eq!(!pods.is_empty(), orphaned, "{flag}: {pods}");
    }
}
