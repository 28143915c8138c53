use super::*;
use crate::engine::api::ObjectKey;
use crate::engine::Cluster;

fn obj(json: serde_json::Value) -> Object {
    let kind = Kind::from_type_meta(
        json["apiVersion"].as_str().unwrap(),
        json["kind"].as_str().unwrap(),
    )
    .unwrap();
    Object::from_json(kind, json).unwrap()
}

fn node(name: &str) -> Object {
    obj(serde_json::json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}}))
}

/// A pod builder: one container `c` with `image` and `command`, bound to `n1`.
struct PodB(serde_json::Value);

fn pod(name: &str, image: &str, command: &[&str]) -> PodB {
    PodB(serde_json::json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"nodeName": "n1", "containers": [{"name": "c", "image": image,
            "command": command}]}}))
}

impl PodB {
    fn restart(mut self, policy: &str) -> Self {
        self.0["spec"]["restartPolicy"] = serde_json::json!(policy);
        self
    }
    fn readiness(mut self, probe: serde_json::Value) -> Self {
        self.0["spec"]["containers"][0]["readinessProbe"] = probe;
        self
    }
    fn tolerate_unreachable_forever(mut self) -> Self {
        self.0["spec"]["tolerations"] = serde_json::json!([{"key": "node.kubernetes.io/unreachable",
            "operator": "Exists", "effect": "NoExecute"}]);
        self
    }
    fn build(self) -> Object {
        obj(self.0)
    }
}

fn cluster_with(pods: Vec<Object>) -> Cluster {
    let mut c = Cluster::new(7);
    c.create(node("n1")).unwrap();
    for p in pods {
        c.create(p).unwrap();
    }
    c.settle();
    c
}

fn get_pod(c: &Cluster, name: &str) -> Option<Pod> {
    c.store().pod("default", name).cloned()
}

fn ctr_status(c: &Cluster, name: &str) -> ContainerStatus {
    get_pod(c, name)
        .unwrap()
        .status
        .unwrap()
        .container_statuses
        .unwrap()
        .remove(0)
}

fn waiting_reason(s: &ContainerStatus) -> Option<String> {
    s.state.as_ref()?.waiting.as_ref()?.reason.clone()
}

fn condition(c: &Cluster, name: &str, type_: &str) -> Option<String> {
    get_pod(c, name)?
        .status?
        .conditions?
        .into_iter()
        .find(|x| x.type_ == type_)
        .map(|x| x.status)
}

fn event_times(c: &Cluster, reason: &str) -> Vec<u64> {
    c.store()
        .list(Kind::Event)
        .filter_map(|o| match o {
            Object::Event(e) if e.reason.as_deref() == Some(reason) => e
                .first_timestamp
                .as_ref()
                .map(|t| SimTime::from_k8s(t).millis()),
            _ => None,
        })
        .collect()
}

struct TermCase {
    name: &'static str,
    argv: &'static [&'static str],
    shared_pid_namespace: bool,
    want: TermResponse,
}

#[test]
fn sigterm_response_follows_pid_1_rules() {
    let cases = [
        TermCase {
            name: "image entrypoint handles SIGTERM",
            argv: &[],
            shared_pid_namespace: false,
            want: TermResponse::Exits(0),
        },
        TermCase {
            name: "nginx exits at once",
            argv: &["nginx", "-g", "daemon off;"],
            shared_pid_namespace: false,
            want: TermResponse::Exits(0),
        },
        TermCase {
            name: "busybox sleep as PID 1 ignores it",
            argv: &["sleep", "3600"],
            shared_pid_namespace: false,
            want: TermResponse::Ignores,
        },
        TermCase {
            name: "sleep with a shared PID namespace dies of it",
            argv: &["sleep", "3600"],
            shared_pid_namespace: true,
            want: TermResponse::Exits(143),
        },
        TermCase {
            name: "sh -c without a trap ignores it",
            argv: &["sh", "-c", "while true; do echo hi; sleep 5; done"],
            shared_pid_namespace: false,
            want: TermResponse::Ignores,
        },
        TermCase {
            name: "sh -c with trap 'exit 0' TERM",
            argv: &["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"],
            shared_pid_namespace: false,
            want: TermResponse::Exits(0),
        },
        TermCase {
            name: "sh -c with a trap that does not exit: wait returns 143",
            argv: &[
                "/bin/sh",
                "-c",
                "trap \"echo bye\" SIGTERM\nsleep 3600 & wait",
            ],
            shared_pid_namespace: false,
            want: TermResponse::Exits(143),
        },
        TermCase {
            name: "a trap on INT only does not count",
            argv: &["sh", "-c", "trap 'exit 0' INT; sleep 3600"],
            shared_pid_namespace: false,
            want: TermResponse::Ignores,
        },
        TermCase {
            name: "python as PID 1 has no handler",
            argv: &["python3", "app.py"],
            shared_pid_namespace: false,
            want: TermResponse::Ignores,
        },
        TermCase {
            name: "java exits 143",
            argv: &["java", "-jar", "app.jar"],
            shared_pid_namespace: false,
            want: TermResponse::Exits(143),
        },
    ];
    for case in cases {
        let argv: Vec<String> = case.argv.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            sigterm_response(&argv, case.shared_pid_namespace),
            case.want,
            "{}",
            case.name
        );
    }
}

#[test]
fn a_cached_image_still_takes_sandbox_and_start_time() {
    let mut c = cluster_with(vec![pod("a", "nginx:1.27", &[]).build()]);
    c.run_until_idle(60_000);
    // Second pod on the same node: the image is cached (a tag, so IfNotPresent).
    c.create(pod("b", "nginx:1.27", &[]).build()).unwrap();
    c.settle();
    let t0 = c.now().millis();
    assert_eq!(
        waiting_reason(&ctr_status(&c, "b")).as_deref(),
        Some("ContainerCreating")
    );
    c.advance(SANDBOX_CREATE_MS);
    // Created, not yet started.
    assert_eq!(
        waiting_reason(&ctr_status(&c, "b")).as_deref(),
        Some("ContainerCreating")
    );
    assert_eq!(condition(&c, "b", "Ready").as_deref(), Some("False"));
    c.advance(CONTAINER_START_MS);
    let s = ctr_status(&c, "b");
    assert!(s.state.clone().unwrap().running.is_some(), "{s:?}");
    assert!(s.ready);
    let started = event_times(&c, "Started");
    assert!(
        started.contains(&(t0 + SANDBOX_CREATE_MS + CONTAINER_START_MS)),
        "{started:?}"
    );
    let created = event_times(&c, "Created");
    assert!(created.contains(&(t0 + SANDBOX_CREATE_MS)), "{created:?}");
}

#[test]
fn readiness_probe_gates_ready() {
    let mut c = cluster_with(vec![pod("web", "nginx", &[])
        .readiness(serde_json::json!({"httpGet": {"path": "/", "port": 80},
            "initialDelaySeconds": 5, "periodSeconds": 10}))
        .build()]);
    // Pull 1 s after sandbox, 2 s pull, start 0.5 s: running at 3.5 s, first probe tick at 10 s.
    c.advance(9_000);
    assert!(ctr_status(&c, "web").state.unwrap().running.is_some());
    assert!(!ctr_status(&c, "web").ready);
    assert_eq!(condition(&c, "web", "Ready").as_deref(), Some("False"));
    c.advance(1_000);
    assert!(ctr_status(&c, "web").ready);
    assert_eq!(condition(&c, "web", "Ready").as_deref(), Some("True"));
}

struct StopCase {
    name: &'static str,
    image: &'static str,
    command: &'static [&'static str],
    /// Seconds after the delete at which the pod object is gone.
    gone_after_s: u64,
}

#[test]
fn deletion_honours_pid_1_signal_handling() {
    let cases = [
        StopCase {
            name: "sleep 3600 is SIGKILLed at the end of the grace period",
            image: "busybox",
            command: &["sleep", "3600"],
            gone_after_s: 30,
        },
        StopCase {
            name: "a shell loop without trap is SIGKILLed too",
            image: "busybox",
            command: &["sh", "-c", "while true; do sleep 1; done"],
            gone_after_s: 30,
        },
        StopCase {
            name: "a shell that traps TERM exits at once",
            image: "busybox",
            command: &["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"],
            gone_after_s: 0,
        },
        StopCase {
            name: "nginx's entrypoint exits at once",
            image: "nginx",
            command: &[],
            gone_after_s: 0,
        },
        StopCase {
            name: "a script that ends within the grace period ends naturally",
            image: "busybox",
            command: &["sh", "-c", "sleep 16.5"],
            gone_after_s: 15,
        },
    ];
    for case in cases {
        let mut c = cluster_with(vec![pod("p", case.image, case.command).build()]);
        c.advance(5_000);
        let key = ObjectKey::new(Kind::Pod, "default", "p");
        c.delete(&key, &Default::default()).unwrap();
        c.settle();
        if case.gone_after_s > 0 {
            c.advance(case.gone_after_s * SECOND - 1);
            assert!(get_pod(&c, "p").is_some(), "{}: gone too early", case.name);
            c.advance(1);
        }
        assert!(get_pod(&c, "p").is_none(), "{}: still there", case.name);
    }
}

#[test]
fn oom_killed_container_restarts_with_reason() {
    let mut c = cluster_with(vec![pod("m", "busybox", &["sleep", "3600"]).build()]);
    c.advance(5_000);
    let key = ObjectKey::new(Kind::Pod, "default", "m");
    c.inject(&key, Fault::PodFailed(OOM_KILLED.to_string()))
        .unwrap();
    c.advance(1_000);
    let s = ctr_status(&c, "m");
    assert_eq!(s.restart_count, 1);
    let last = s.last_state.unwrap().terminated.unwrap();
    assert_eq!(last.reason.as_deref(), Some("OOMKilled"));
    assert_eq!(last.exit_code, 137);
    assert_eq!(
        get_pod(&c, "m").unwrap().status.unwrap().phase.as_deref(),
        Some("Running")
    );
}

struct CrashCase {
    name: &'static str,
    command: &'static [&'static str],
    policy: &'static str,
    want_reason: &'static str,
    want_code: i32,
}

#[test]
fn terminated_reason_follows_exit_code() {
    let cases = [
        CrashCase {
            name: "exit 0 under Never: Completed",
            command: &["sh", "-c", "exit 0"],
            policy: "Never",
            want_reason: "Completed",
            want_code: 0,
        },
        CrashCase {
            name: "exit 3 under Never: Error",
            command: &["sh", "-c", "exit 3"],
            policy: "Never",
            want_reason: "Error",
            want_code: 3,
        },
    ];
    for case in cases {
        let mut c = cluster_with(vec![pod("j", "busybox", case.command)
            .restart(case.policy)
            .build()]);
        c.run_until_idle(60_000);
        let t = ctr_status(&c, "j").state.unwrap().terminated.unwrap();
        assert_eq!(t.reason.as_deref(), Some(case.want_reason), "{}", case.name);
        assert_eq!(t.exit_code, case.want_code, "{}", case.name);
    }
}

/// `pkg/kubelet/kuberuntime` `doBackOff` with `flowcontrol.NewBackOff(10s, 300s)`: the first
/// restart is immediate, then 10 s doubling up to 5 min.
#[test]
fn crash_loop_back_off_doubles_to_five_minutes() {
    let mut c = cluster_with(vec![
        pod("crash", "busybox", &["sh", "-c", "exit 1"]).build()
    ]);
    let mut restarts_at = Vec::new();
    let mut last = 0;
    let mut saw_crash_loop = false;
    for _ in 0..(20 * 60) {
        c.advance(SECOND);
        let s = ctr_status(&c, "crash");
        if waiting_reason(&s).as_deref() == Some("CrashLoopBackOff") {
            saw_crash_loop = true;
        }
        if s.restart_count != last {
            last = s.restart_count;
            restarts_at.push(c.now().millis() / 1000);
        }
    }
    assert!(saw_crash_loop);
    let gaps: Vec<u64> = restarts_at.windows(2).map(|w| w[1] - w[0]).collect();
    // Each cycle also takes the 0.5 s container start, so gaps are the delay + 1 s of ticks.
    let delays: Vec<u64> = gaps.iter().map(|g| g.saturating_sub(1)).collect();
    assert_eq!(&delays[..6], &[10, 20, 40, 80, 160, 300], "{gaps:?}");
}

#[test]
fn unreachable_node_marks_pods_not_ready_and_evicts_after_300s() {
    let mut c = cluster_with(vec![
        pod("web", "nginx", &[]).build(),
        pod("daemon", "nginx", &[])
            .tolerate_unreachable_forever()
            .build(),
    ]);
    // A second, healthy node: with every node down the node controller would stop tainting
    // (master disruption mode).
    c.create(node("n2")).unwrap();
    c.advance(5_000);
    assert_eq!(condition(&c, "web", "Ready").as_deref(), Some("True"));
    c.set_node_up("n1", false).unwrap();
    c.advance(49_000);
    assert_eq!(condition(&c, "web", "Ready").as_deref(), Some("True"));
    c.advance(1_000);
    // MarkPodsNotReady: the Ready condition only; the container statuses keep `ready`.
    assert_eq!(condition(&c, "web", "Ready").as_deref(), Some("False"));
    assert!(ctr_status(&c, "web").ready);
    assert!(!event_times(&c, "NodeNotReady").is_empty());
    let n1 = c.store().node("n1").unwrap().clone();
    let taints = n1.spec.unwrap().taints.unwrap();
    assert!(taints
        .iter()
        .any(|t| t.key == "node.kubernetes.io/unreachable" && t.effect == "NoExecute"));
    assert!(taints
        .iter()
        .any(|t| t.key == "node.kubernetes.io/unreachable" && t.effect == "NoSchedule"));
    c.advance(300 * SECOND - 1);
    assert!(get_pod(&c, "web")
        .unwrap()
        .metadata
        .deletion_timestamp
        .is_none());
    c.advance(1);
    // Evicted, but it stays Terminating while its kubelet is unreachable.
    assert!(get_pod(&c, "web")
        .unwrap()
        .metadata
        .deletion_timestamp
        .is_some());
    c.advance(3_600 * SECOND);
    assert!(get_pod(&c, "daemon")
        .unwrap()
        .metadata
        .deletion_timestamp
        .is_none());
}

#[test]
fn a_terminating_container_stays_ready_until_it_stops() {
    let mut c = cluster_with(vec![pod("t", "busybox", &["sleep", "3600"]).build()]);
    c.advance(5_000);
    let key = ObjectKey::new(Kind::Pod, "default", "t");
    c.delete(&key, &Default::default()).unwrap();
    c.advance(10_000);
    assert!(ctr_status(&c, "t").ready);
    assert_eq!(condition(&c, "t", "Ready").as_deref(), Some("True"));
}

#[test]
fn a_restarting_container_shows_its_last_termination_until_it_runs() {
    let mut c = cluster_with(vec![pod("r", "busybox:1.36", &["sleep", "3600"]).build()]);
    c.advance(5_000);
    let key = ObjectKey::new(Kind::Pod, "default", "r");
    c.inject(&key, Fault::PodFailed(OOM_KILLED.to_string()))
        .unwrap();
    let s = ctr_status(&c, "r");
    let t = s.state.unwrap().terminated.unwrap();
    assert_eq!(t.reason.as_deref(), Some("OOMKilled"));
    c.advance(CONTAINER_START_MS);
    assert!(ctr_status(&c, "r").state.unwrap().running.is_some());
}

/// No command and no args: the image's CMD runs. A shell image's shell has no stdin and exits 0
/// at once (Completed, then CrashLoopBackOff under restartPolicy Always, as `kubectl run
/// bb --image=busybox` does on a real cluster); `stdin: true` keeps it waiting; an image whose
/// CMD kubeplay does not know runs as a server; args alone replace the CMD.
#[test]
fn an_image_without_a_command_runs_its_default_cmd() {
    let mut stdin = pod("bb-stdin", "busybox", &[]);
    stdin.0["spec"]["containers"][0]["stdin"] = serde_json::json!(true);
    let mut with_args = pod("bb-args", "busybox:1.36", &[]);
    with_args.0["spec"]["containers"][0]["args"] = serde_json::json!(["sleep", "3600"]);
    let cases = [
        ("bb", pod("bb", "busybox", &[]).build()),
        (
            "alpine",
            pod("alpine", "docker.io/library/alpine:3.20", &[]).build(),
        ),
        ("ubuntu", pod("ubuntu", "ubuntu", &[]).build()),
        ("bb-stdin", stdin.build()),
        ("bb-args", with_args.build()),
        ("nginx", pod("nginx", "nginx", &[]).build()),
    ];
    let mut c = cluster_with(cases.iter().map(|(_, p)| p.clone()).collect());
    c.advance(120_000);
    for (name, crashing) in [
        ("bb", true),
        ("alpine", true),
        ("ubuntu", true),
        ("bb-stdin", false),
        ("bb-args", false),
        ("nginx", false),
    ] {
        let s = ctr_status(&c, name);
        if crashing {
            assert_eq!(
                waiting_reason(&s).as_deref(),
                Some("CrashLoopBackOff"),
                "{name}"
            );
            assert!(s.restart_count >= 3, "{name}: {}", s.restart_count);
            let last = s.last_state.and_then(|l| l.terminated).expect(name);
            assert_eq!(
                (last.exit_code, last.reason.as_deref()),
                (0, Some("Completed"))
            );
        } else {
            assert!(
                s.state
                    .as_ref()
                    .and_then(|st| st.running.as_ref())
                    .is_some(),
                "{name}: {s:?}"
            );
            assert_eq!(s.restart_count, 0, "{name}");
        }
    }
}

impl PodB {
    /// Adds a native sidecar: an init container with `restartPolicy: Always`.
    fn sidecar(mut self, name: &str, command: &[&str]) -> Self {
        self.0["spec"]["initContainers"] = serde_json::json!([{"name": name, "image": "busybox",
            "restartPolicy": "Always", "command": command}]);
        self
    }
}

fn phase(c: &Cluster, name: &str) -> String {
    get_pod(c, name)
        .and_then(|p| p.status)
        .and_then(|s| s.phase)
        .unwrap_or_default()
}

fn init_status(c: &Cluster, name: &str) -> ContainerStatus {
    get_pod(c, name)
        .unwrap()
        .status
        .unwrap()
        .init_container_statuses
        .unwrap()
        .remove(0)
}

/// Native sidecars (KEP-753, the kubernetes.io "Sidecar Containers" Job example): the sidecar
/// starts first and does not block the main container once started; it counts towards
/// readiness; it restarts even under `restartPolicy: Never`; when the main container exits
/// the kubelet stops it (SIGTERM, then SIGKILL at the end of the grace period for a `sleep`
/// that ignores SIGTERM as PID 1), and only then is the pod Succeeded — its exit code 137
/// does not fail the pod.
#[test]
fn native_sidecars_start_first_run_alongside_and_stop_after_the_main_container() {
    let mut c = cluster_with(vec![
        pod("job", "busybox", &["sh", "-c", "sleep 5; echo done"])
            .restart("Never")
            .sidecar("shipper", &["sleep", "3600"])
            .build(),
        pod("crashy", "busybox", &["sleep", "3600"])
            .restart("Never")
            .sidecar("flaky", &["sh", "-c", "sleep 2; exit 1"])
            .build(),
    ]);
    // Sandbox 1 s, busybox pulled 2 s, sidecar started 0.5 s later, then the main container.
    c.advance(6_000);
    // The sidecar runs and the main container has started after it.
    assert!(init_status(&c, "job").state.unwrap().running.is_some());
    assert_eq!(init_status(&c, "job").started, Some(true));
    assert!(ctr_status(&c, "job").state.unwrap().running.is_some());
    assert_eq!(condition(&c, "job", "Initialized").as_deref(), Some("True"));
    assert_eq!(condition(&c, "job", "Ready").as_deref(), Some("True"));
    assert_eq!(phase(&c, "job"), "Running");
    // The main container exits: the sidecar gets SIGTERM, ignores it, and is killed 30 s on.
    c.advance(6_000);
    assert!(ctr_status(&c, "job").state.unwrap().terminated.is_some());
    assert_eq!(phase(&c, "job"), "Running", "the sidecar is still stopping");
    assert!(!event_times(&c, "Killing").is_empty());
    c.advance(31_000);
    assert_eq!(phase(&c, "job"), "Succeeded");
    let shipper = init_status(&c, "job").state.unwrap().terminated.unwrap();
    assert_eq!(shipper.exit_code, 137);
    // A crashing sidecar is restarted although the pod's policy is Never.
    assert!(init_status(&c, "crashy").restart_count >= 1);
    assert_eq!(phase(&c, "crashy"), "Running");
}

/// A busybox pod on `n1` running `sh -c script`, with `probes` merged into its container and
/// a 5 s grace period. Its container runs from 3.5 s (sandbox 1 s, pull 2 s, start 0.5 s).
fn probe_pod(script: &str, probes: serde_json::Value) -> Object {
    let mut c = serde_json::json!({"name": "c", "image": "busybox:1.36",
        "command": ["sh", "-c", script]});
    if let (Some(c), Some(p)) = (c.as_object_mut(), probes.as_object()) {
        for (k, v) in p {
            c.insert(k.clone(), v.clone());
        }
    }
    obj(serde_json::json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "namespace": "default"},
        "spec": {"nodeName": "n1", "terminationGracePeriodSeconds": 5, "containers": [c]}}))
}

fn exec_probe(path: &str, period: i32, failure: i32) -> serde_json::Value {
    serde_json::json!({"exec": {"command": ["cat", path]}, "periodSeconds": period,
        "failureThreshold": failure})
}

struct ProbeCase {
    name: &'static str,
    pod: Object,
    /// (seconds after creation, ready, started, restart count).
    want: &'static [(u64, bool, bool, i32)],
    /// Events expected by the end: (reason, message, count).
    events: &'static [(&'static str, &'static str, i32)],
}

fn event_count(c: &Cluster, reason: &str, message: &str) -> i32 {
    c.store()
        .list(Kind::Event)
        .filter_map(|o| match o {
            Object::Event(e)
                if e.reason.as_deref() == Some(reason) && e.message.as_deref() == Some(message) =>
            {
                e.count
            }
            _ => None,
        })
        .sum()
}

/// The kubelet with its probe workers, end to end: `worker_test.go`'s timing cases against
/// real containers whose files change over time.
#[test]
fn probes_drive_readiness_and_restarts() {
    let cases = [
        ProbeCase {
            name: "TestInitialDelay: the first tick past initialDelaySeconds",
            pod: probe_pod(
                "touch /tmp/r; sleep 3600",
                serde_json::json!({"readinessProbe": {"exec": {"command": ["cat", "/tmp/r"]},
                    "initialDelaySeconds": 5, "periodSeconds": 10}}),
            ),
            // Running at 3.5 s; the start-triggered probe and the tick at 5 s are inside the
            // delay; the tick at 10 s (6 s after the start) passes.
            want: &[(4, false, true, 0), (9, false, true, 0), (10, true, true, 0)],
            events: &[],
        },
        ProbeCase {
            name: "readiness flips with the file, after failureThreshold failures",
            pod: probe_pod(
                "sleep 10; touch /tmp/r; sleep 20; rm /tmp/r; sleep 3600",
                serde_json::json!({"readinessProbe": exec_probe("/tmp/r", 5, 2)}),
            ),
            // touch at 13.5 s, rm at 33.5 s: ready from the tick at 15 s, not ready after the
            // failures at 35 s and 40 s. Never restarted.
            want: &[
                (14, false, true, 0),
                (15, true, true, 0),
                (39, true, true, 0),
                (40, false, true, 0),
                (90, false, true, 0),
            ],
            events: &[],
        },
        ProbeCase {
            name: "TestFailureThreshold: liveness kills, the container restarts",
            pod: probe_pod(
                "touch /tmp/h; sleep 10; rm /tmp/h; sleep 3600",
                serde_json::json!({"livenessProbe": exec_probe("/tmp/h", 5, 2)}),
            ),
            // rm at 13.5 s; failures at 15 and 20 s kill it; the shell ignores SIGTERM, so it
            // dies of the SIGKILL at 25 s and restarts at once (running at 25.5 s). The second
            // instance fails at 40 and 45 s, dies at 50 s and waits out a 10 s back-off. (The
            // restart count goes up when the next instance is being created.)
            want: &[
                (20, true, true, 0),
                (24, true, true, 0),
                (25, false, false, 1),
                (26, true, true, 1),
                (50, false, false, 1),
                (59, false, false, 1),
                (61, true, true, 2),
            ],
            events: &[
                (
                    "Unhealthy",
                    "Liveness probe failed: cat: can't open '/tmp/h': No such file or directory",
                    4,
                ),
                (
                    "Killing",
                    "Container c failed liveness probe, will be restarted",
                    2,
                ),
            ],
        },
        ProbeCase {
            name: "TestStartupProbe: liveness and readiness wait until it passes once",
            pod: probe_pod(
                "sleep 12; touch /tmp/s; sleep 3600",
                serde_json::json!({
                    "startupProbe": exec_probe("/tmp/s", 5, 10),
                    "livenessProbe": exec_probe("/tmp/s", 5, 1),
                    "readinessProbe": exec_probe("/tmp/s", 5, 1)}),
            ),
            // touch at 15.5 s; the startup ticks at 5, 10 and 15 s fail, 20 s passes, and the
            // readiness probe it triggers passes at once. Liveness never fails.
            want: &[(19, false, false, 0), (20, true, true, 0), (120, true, true, 0)],
            events: &[(
                "Unhealthy",
                "Startup probe failed: cat: can't open '/tmp/s': No such file or directory",
                3,
            )],
        },
        ProbeCase {
            name: "a startup probe that never passes kills the container",
            pod: probe_pod(
                "sleep 3600",
                serde_json::json!({"startupProbe": {"tcpSocket": {"port": 8080},
                    "periodSeconds": 5, "failureThreshold": 3}}),
            ),
            // Failures at 5, 10 and 15 s; SIGKILL at 20 s; the next instance runs at 20.5 s.
            want: &[(19, false, false, 0), (21, false, false, 1)],
            events: &[(
                "Killing",
                "Container c failed startup probe, will be restarted",
                1,
            )],
        },
        ProbeCase {
            name: "an exec probe that outlives timeoutSeconds fails",
            pod: probe_pod(
                "sleep 3600",
                serde_json::json!({"readinessProbe": {"exec": {"command": ["sleep", "2"]},
                    "periodSeconds": 5}}),
            ),
            want: &[(30, false, true, 0)],
            events: &[(
                "Unhealthy",
                "Readiness probe failed: command \"sleep 2\" timed out",
                7,
            )],
        },
        ProbeCase {
            name: "exec probes reach the pod's own servers on localhost",
            pod: obj(serde_json::json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "p", "namespace": "default"},
                "spec": {"nodeName": "n1", "containers": [
                    {"name": "c", "image": "nginx:1.27",
                     "readinessProbe": {"exec": {"command":
                        ["wget", "-q", "-O-", "http://localhost/"]}, "periodSeconds": 5},
                     "livenessProbe": {"exec": {"command":
                        ["curl", "-f", "http://127.0.0.1:8080/healthz"]}, "periodSeconds": 5,
                        "failureThreshold": 1}}]}})),
            // Ready at its start (3.5 s); nothing on 8080, so liveness kills it at the 5 s tick
            // and nginx exits at once on SIGTERM.
            want: &[(4, true, true, 0), (6, true, true, 1)],
            events: &[(
                "Unhealthy",
                "Liveness probe failed: curl: (7) Failed to connect to 127.0.0.1 port 8080 after 0 ms: Couldn't connect to server",
                1,
            )],
        },
        ProbeCase {
            name: "httpGet: nginx listens on 80, nothing on 81",
            pod: obj(serde_json::json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "p", "namespace": "default"},
                "spec": {"nodeName": "n1", "containers": [
                    {"name": "c", "image": "nginx:1.27",
                     "readinessProbe": {"httpGet": {"port": 80}, "periodSeconds": 5}},
                    {"name": "d", "image": "nginx:1.27", "command": ["sh", "-c", "sleep 3600"],
                     "readinessProbe": {"httpGet": {"port": 81}, "periodSeconds": 5}}]}})),
            // Container c is ready at its start; the pod never is (d fails at its start, 5 s
            // and 10 s).
            want: &[(10, true, true, 0)],
            events: &[(
                "Unhealthy",
                "Readiness probe failed: Get \"http://10.244.1.2:81/\": dial tcp 10.244.1.2:81: connect: connection refused",
                3,
            )],
        },
    ];
    for case in cases {
        let mut c = cluster_with(vec![case.pod.clone()]);
        for &(at_s, ready, started, restarts) in case.want {
            c.advance_to(SimTime::ZERO.plus(at_s * 1000));
            let s = ctr_status(&c, "p");
            assert_eq!(
                (s.ready, s.started.unwrap_or(false), s.restart_count),
                (ready, started, restarts),
                "{}: at {at_s}s",
                case.name
            );
        }
        for &(reason, message, count) in case.events {
            assert_eq!(
                event_count(&c, reason, message),
                count,
                "{}: {reason} {message}",
                case.name
            );
        }
        if case.name.starts_with("httpGet") {
            assert_eq!(condition(&c, "p", "Ready").as_deref(), Some("False"));
        }
    }
}

/// A file a running container writes into a shared `emptyDir` appears for the other
/// containers (their processes and their exec probes) when it is written, not before.
#[test]
fn shared_volume_files_appear_when_written() {
    let pod = obj(serde_json::json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "namespace": "default"},
        "spec": {"nodeName": "n1",
            "volumes": [{"name": "data", "emptyDir": {}}],
            "containers": [
                {"name": "writer", "image": "busybox:1.36",
                 "command": ["sh", "-c", "sleep 10; echo hi > /data/f; sleep 3600"],
                 "volumeMounts": [{"name": "data", "mountPath": "/data"}]},
                {"name": "reader", "image": "busybox:1.36",
                 "command": ["sh", "-c",
                    "while true; do cat /shared/f 2>/dev/null || echo none; sleep 5; done"],
                 "volumeMounts": [{"name": "data", "mountPath": "/shared"}],
                 "readinessProbe": {"exec": {"command": ["cat", "/shared/f"]},
                    "periodSeconds": 5}}]}}));
    let mut c = cluster_with(vec![pod]);
    // Both run from 3.5 s; the file appears at 13.5 s.
    c.advance_to(SimTime::ZERO.plus(12_000));
    let reader = |c: &Cluster| {
        get_pod(c, "p")
            .unwrap()
            .status
            .unwrap()
            .container_statuses
            .unwrap()
            .into_iter()
            .find(|s| s.name == "reader")
            .unwrap()
    };
    assert!(!reader(&c).ready);
    c.advance_to(SimTime::ZERO.plus(25_000));
    assert!(reader(&c).ready, "the probe at 15 s sees the file");
    let key = ObjectKey::new(Kind::Pod, "default", "p");
    let logs = c.logs(&key, Some("reader"), false).unwrap();
    assert_eq!(
        logs, "none\nnone\nhi\nhi\nhi\n",
        "reads at 3.5, 8.5, 13.5, 18.5, 23.5 s"
    );
}

/// A native sidecar with a startup probe holds the next container back until the probe passes
/// (`init_done`), as upstream starts regular containers only after a sidecar has started.
#[test]
fn a_sidecar_startup_probe_holds_the_main_container() {
    let mut p = pod("p", "busybox", &["sh", "-c", "sleep 3600"])
        .sidecar("proxy", &["sh", "-c", "sleep 8; touch /tmp/up; sleep 3600"]);
    p.0["spec"]["initContainers"][0]["startupProbe"] =
        serde_json::json!({"exec": {"command": ["cat", "/tmp/up"]}, "periodSeconds": 5});
    let mut c = cluster_with(vec![p.build()]);
    // The sidecar runs from 3.5 s (pull 2 s); /tmp/up appears at 11.5 s; the startup probe
    // fails at 5 and 10 s, passes at 15 s, and only then is the main container created.
    c.advance_to(SimTime::ZERO.plus(14_000));
    assert_eq!(init_status(&c, "p").started, Some(false));
    assert_eq!(
        waiting_reason(&ctr_status(&c, "p")).as_deref(),
        Some("PodInitializing")
    );
    c.advance_to(SimTime::ZERO.plus(17_000));
    assert_eq!(init_status(&c, "p").started, Some(true));
    assert!(ctr_status(&c, "p").state.unwrap().running.is_some());
}

#[test]
fn go_test_images_exit_2_on_sigterm_as_pid_1() {
    let spec = |image: &str, command: Option<Vec<&str>>| -> PodSpec {
        let mut c = serde_json::json!({"name": "c", "image": image});
        if let Some(cmd) = command {
            c["command"] = serde_json::json!(cmd);
        }
        serde_json::from_value(serde_json::json!({"containers": [c]})).unwrap()
    };
    let cases = [
        ("registry.k8s.io/e2e-test-images/agnhost:2.40", None, true),
        ("registry.k8s.io/goproxy:0.1", None, true),
        (
            "agnhost@sha256:abc",
            Some(vec!["/agnhost", "liveness"]),
            true,
        ),
        // A shell in the image runs the script, not the Go server.
        (
            "registry.k8s.io/e2e-test-images/agnhost:2.40",
            Some(vec!["sh", "-c", "sleep 1"]),
            false,
        ),
        ("nginx:1.27", None, false),
    ];
    for (image, command, want) in cases {
        assert_eq!(
            go_test_image(&spec(image, command.clone()), "c"),
            want,
            "{image} {command:?}"
        );
    }
}

#[test]
fn hex_id_writes_what_the_formatted_hashes_give() {
    for v in [0u64, 1, 9, 10, 99, 100, 12345, u64::MAX] {
        assert_eq!(decimal(v, &mut [0u8; 20]), v.to_string().as_bytes());
    }
    for (parts, len) in [
        (vec!["node-1", "boot"], 32),
        (vec!["uid", "app", "0"], 64),
        (vec!["busybox"], 64),
        (vec!["x"], 40),
    ] {
        let joined = parts.join("/");
        let mut want = String::new();
        let mut i = 0u64;
        while want.len() < len {
            want.push_str(&format!("{:016x}", hash64(&[&joined, &i.to_string()])));
            i += 1;
        }
        want.truncate(len);
        assert_eq!(hex_id(&parts, len), want);
    }
}

// ---------------------------------------------------------------------------------------
// Network replay: containers see the cluster change while they run
// ---------------------------------------------------------------------------------------

fn svc(name: &str, selector: &str, port: i32) -> Object {
    obj(serde_json::json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"selector": {"app": selector}, "ports": [{"port": port}]}}))
}

fn argv(s: &str) -> Vec<String> {
    s.split(' ').map(str::to_string).collect()
}

/// What one query answered: exit code and stdout.
fn ask(host: &mut dyn sh::Host, q: &str, at_ms: u64) -> (i32, String) {
    let r = host.external(&argv(q), at_ms).unwrap();
    (r.code, r.stdout)
}

struct MemoCase {
    name: &'static str,
    /// When the replay happens (ms after the process start; `None`: before it started).
    answered_until: Option<u64>,
    /// Whether the questions after it get other answers now.
    changed: bool,
    /// Which of the three `nslookup`s (at 0, 10 s, 20 s) find the Service in the replay.
    found: [bool; 3],
}

/// Queries before the change keep their old answers, later ones see the new state; the check
/// only reports a change when a later answer differs.
#[test]
fn memo_host_keeps_past_answers_and_asks_later_ones_live() {
    let cases = [
        MemoCase {
            name: "before the process started everything is asked again",
            answered_until: None,
            changed: true,
            found: [true, true, true],
        },
        MemoCase {
            name: "the first query happened already",
            answered_until: Some(0),
            changed: true,
            found: [false, true, true],
        },
        MemoCase {
            name: "a query at the current instant keeps its answer",
            answered_until: Some(10_000),
            changed: true,
            found: [false, false, true],
        },
        MemoCase {
            name: "all queries happened: nothing to replay",
            answered_until: Some(20_000),
            changed: false,
            found: [false, false, false],
        },
    ];
    let times = [0, 10_000, 20_000];
    for case in cases {
        let mut c = cluster_with(vec![]);
        let mut rec = crate::engine::network::MemoHost::recording(
            crate::engine::network::NetHost::new(c.store(), "default", 1),
        );
        for t in times {
            assert_eq!(ask(&mut rec, "nslookup myservice", t).0, 1, "{}", case.name);
        }
        let (queries, _, _) = rec.into_parts();
        assert_eq!(queries.len(), 3, "{}", case.name);
        // Unchanged cluster: the same answers.
        let mut net = crate::engine::network::NetHost::new(c.store(), "default", 1);
        assert!(
            !crate::engine::network::answers_changed(&mut net, &queries, case.answered_until),
            "{}",
            case.name
        );
        c.create(svc("myservice", "none", 80)).unwrap();
        c.settle();
        let mut net = crate::engine::network::NetHost::new(c.store(), "default", 1);
        assert_eq!(
            crate::engine::network::answers_changed(&mut net, &queries, case.answered_until),
            case.changed,
            "{}",
            case.name
        );
        let mut replay = crate::engine::network::MemoHost::replaying(
            crate::engine::network::NetHost::new(c.store(), "default", 1),
            queries,
            case.answered_until,
        );
        let found: Vec<bool> = times
            .iter()
            .map(|t| ask(&mut replay, "nslookup myservice", *t).0 == 0)
            .collect();
        let want = if case.changed {
            case.found.to_vec()
        } else {
            vec![true; 3]
        };
        if case.changed {
            assert_eq!(found, want, "{}", case.name);
        }
        // The replay records every answer it gave, in call order.
        let (queries, _, _) = replay.into_parts();
        assert_eq!(
            queries
                .iter()
                .map(|q| q.answer.code == 0)
                .collect::<Vec<_>>(),
            found,
            "{}",
            case.name
        );
    }
}

/// A Service with two endpoints: each `wget` picks one at random. Asked again on an unchanged
/// cluster, the picks are the same (the check restores the random source), so nothing is
/// replayed; a replay answers the rest as the first evaluation did.
#[test]
fn memo_host_replays_random_endpoint_picks() {
    let web = |name: &str, node: &str| {
        obj(serde_json::json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "labels": {"app": "web"}},
            "spec": {"nodeName": node, "containers": [{"name": "c", "image": "nginx",
                "ports": [{"containerPort": 80}]}]}}))
    };
    let mut c = Cluster::new(7);
    c.create(node("n1")).unwrap();
    c.create(node("n2")).unwrap();
    c.create(web("web-a", "n1")).unwrap();
    c.create(web("web-b", "n2")).unwrap();
    c.create(svc("web", "web", 80)).unwrap();
    c.run_until_idle(60_000);
    let mut rec = crate::engine::network::MemoHost::recording(
        crate::engine::network::NetHost::new(c.store(), "default", 5),
    );
    let first: Vec<String> = (0..12)
        .map(|i| ask(&mut rec, "wget -qO- http://web", i * 1_000).1)
        .collect();
    assert!(first.iter().any(|l| l.contains("web-a")), "{first:?}");
    assert!(first.iter().any(|l| l.contains("web-b")), "{first:?}");
    let (queries, _, _) = rec.into_parts();
    for until in [None, Some(0), Some(5_000)] {
        let mut net = crate::engine::network::NetHost::new(c.store(), "default", 5);
        assert!(
            !crate::engine::network::answers_changed(&mut net, &queries, until),
            "{until:?}"
        );
        let mut replay = crate::engine::network::MemoHost::replaying(
            crate::engine::network::NetHost::new(c.store(), "default", 5),
            queries.clone(),
            until,
        );
        let again: Vec<String> = (0..12)
            .map(|i| ask(&mut replay, "wget -qO- http://web", i * 1_000).1)
            .collect();
        assert_eq!(again, first, "{until:?}");
    }
}

/// kubernetes.io "Init Containers": a container polling DNS finishes once the Service it waits
/// for is created, and its log up to then is what it was.
#[test]
fn a_polling_container_sees_a_service_created_later() {
    let mut c = cluster_with(vec![pod(
        "p",
        "busybox",
        &[
            "sh",
            "-c",
            "until nslookup myservice; do echo waiting; sleep 2; done; echo found",
        ],
    )
    .restart("Never")
    .build()]);
    c.advance(10 * SECOND);
    let key = ObjectKey::new(Kind::Pod, "default", "p");
    let before = c.logs(&key, None, false).unwrap();
    assert!(before.contains("waiting\n"), "{before}");
    assert_eq!(phase(&c, "p"), "Running");
    c.create(svc("myservice", "none", 80)).unwrap();
    c.advance(5 * SECOND);
    assert_eq!(phase(&c, "p"), "Succeeded");
    let after = c.logs(&key, None, false).unwrap();
    assert!(after.starts_with(&before), "{before}\n---\n{after}");
    assert!(after.ends_with("\nfound\n"), "{after}");
    assert!(
        after.contains("Name:\tmyservice.default.svc.cluster.local\n"),
        "{after}"
    );
    // Deleting the Service again changes nothing for a container that is done.
    c.delete(
        &ObjectKey::new(Kind::Service, "default", "myservice"),
        &Default::default(),
    )
    .unwrap();
    c.advance(5 * SECOND);
    assert_eq!(c.logs(&key, None, false).unwrap(), after);
}

/// `sim pod fail` ends a polling container now: a Service created in the same instant does not
/// bring its run back.
#[test]
fn an_injected_exit_is_not_replayed_away() {
    let mut c = cluster_with(vec![pod(
        "p",
        "busybox",
        &[
            "sh",
            "-c",
            "until nslookup myservice; do sleep 2; done; echo found",
        ],
    )
    .restart("Never")
    .build()]);
    c.advance(10 * SECOND);
    let key = ObjectKey::new(Kind::Pod, "default", "p");
    c.create(svc("myservice", "none", 80)).unwrap();
    c.inject(&key, Fault::Exit(3)).unwrap();
    c.advance(5 * SECOND);
    assert_eq!(phase(&c, "p"), "Failed");
    assert_eq!(
        ctr_status(&c, "p")
            .state
            .and_then(|s| s.terminated)
            .map(|t| t.exit_code),
        Some(3)
    );
    assert!(!c.logs(&key, None, false).unwrap().contains("found"));
}

/// CoreDNS answers `HOSTNAME.SUBDOMAIN` from the headless Service's EndpointSlices: only for a
/// ready endpoint, so a pod whose readiness probe fails has no record yet.
#[test]
fn pod_hostname_records_follow_endpoint_readiness() {
    let member = |name: &str, ready: bool| {
        let probe = if ready { "true" } else { "false" };
        obj(serde_json::json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "labels": {"app": "hs"}},
            "spec": {"nodeName": "n1", "hostname": name, "subdomain": "hs",
                "containers": [{"name": "c", "image": "busybox",
                    "command": ["sleep", "infinity"],
                    "readinessProbe": {"exec": {"command": [probe]}, "periodSeconds": 1}}]}}))
    };
    let headless = obj(serde_json::json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "hs", "namespace": "default"},
        "spec": {"clusterIP": "None", "selector": {"app": "hs"}}}));
    let mut c = cluster_with(vec![headless, member("up", true), member("down", false)]);
    c.advance(10 * SECOND);
    for (name, want) in [
        ("up.hs", true),
        ("up.hs.default.svc.cluster.local", true),
        ("down.hs", false),
        ("nobody.hs", false),
    ] {
        let got = matches!(
            crate::engine::network::dns(c.store(), name, "default"),
            crate::engine::network::DnsAnswer::Records { ref fqdn, .. } if fqdn.starts_with(name.split('.').next().unwrap_or_default())
        );
        assert_eq!(got, want, "{name}");
    }
}

/// A hand-written EndpointSlice (a Service without a selector): an endpoint that leaves out
/// `conditions.ready` is ready for kube-proxy and CoreDNS; `ready: false` is not.
#[test]
fn endpoints_without_a_ready_condition_count_as_ready() {
    let svc = obj(serde_json::json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "ext", "namespace": "default"},
        "spec": {"clusterIP": "None", "ports": [{"port": 80}]}}));
    let slice = obj(
        serde_json::json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": "ext-1", "namespace": "default",
            "labels": {"kubernetes.io/service-name": "ext"}},
        "addressType": "IPv4",
        "ports": [{"port": 80}],
        "endpoints": [
            {"addresses": ["10.1.0.1"]},
            {"addresses": ["10.1.0.2"], "conditions": {"ready": true}},
            {"addresses": ["10.1.0.3"], "conditions": {"ready": false}}
        ]}),
    );
    let c = cluster_with(vec![svc, slice]);
    match crate::engine::network::dns(c.store(), "ext", "default") {
        crate::engine::network::DnsAnswer::Records { addresses, .. } => {
            assert_eq!(addresses, vec!["10.1.0.1", "10.1.0.2"]);
        }
        other => panic!("want records, got {other:?}"),
    }
}
