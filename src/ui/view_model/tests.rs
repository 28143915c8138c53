//! View-model tables. Fixtures are built through the engine's API server (`Cluster::create`), so
//! nodes carry what a kubelet registers.

use k8s_openapi::api::batch::v1::{Job, JobCondition, JobSpec, JobStatus};
use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateTerminated, ContainerStateWaiting, ContainerStatus,
    Node, NodeSpec, Pod, PodCondition, PodSpec, PodStatus, ResourceRequirements, Taint,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference, Time};

use super::*;
use crate::engine::Cluster;

struct PodB(Pod);

fn pod(name: &str) -> PodB {
    PodB(Pod {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            ..Default::default()
        },
        spec: Some(PodSpec {
            containers: vec![Container {
                name: "main".into(),
                image: Some("busybox".into()),
                ..Default::default()
            }],
            ..Default::default()
        }),
        status: Some(PodStatus::default()),
    })
}

impl PodB {
    fn phase(mut self, p: &str) -> Self {
        self.status_mut().phase = Some(p.into());
        self
    }
    fn status_mut(&mut self) -> &mut PodStatus {
        self.0.status.get_or_insert_with(Default::default)
    }
    fn container(mut self, state: ContainerState, ready: bool, restarts: i32) -> Self {
        let st = self.status_mut();
        st.container_statuses
            .get_or_insert_with(Vec::new)
            .push(ContainerStatus {
                name: "main".into(),
                state: Some(state),
                ready,
                restart_count: restarts,
                ..Default::default()
            });
        self
    }
    fn deleting(mut self) -> Self {
        self.0.metadata.deletion_timestamp = Some(SimTime(5).to_k8s());
        self
    }
    fn requests(mut self, cpu: &str, mem: &str) -> Self {
        if let Some(c) = self.0.spec.as_mut().and_then(|s| s.containers.first_mut()) {
            c.resources = Some(ResourceRequirements {
                requests: Some(
                    [
                        ("cpu".to_string(), Quantity(cpu.into())),
                        ("memory".to_string(), Quantity(mem.into())),
                    ]
                    .into_iter()
                    .collect(),
                ),
                ..Default::default()
            });
        }
        self
    }
    fn on(mut self, node: &str) -> Self {
        if let Some(s) = self.0.spec.as_mut() {
            s.node_name = Some(node.into());
        }
        self
    }
    fn owned_by(mut self, kind: &str, name: &str) -> Self {
        self.0.metadata.owner_references = Some(vec![OwnerReference {
            api_version: "apps/v1".into(),
            kind: kind.into(),
            name: name.into(),
            uid: "u".into(),
            controller: Some(true),
            ..Default::default()
        }]);
        self
    }
    fn unschedulable(mut self, msg: &str) -> Self {
        self.status_mut().conditions = Some(vec![PodCondition {
            type_: "PodScheduled".into(),
            status: "False".into(),
            reason: Some("Unschedulable".into()),
            message: Some(msg.into()),
            ..Default::default()
        }]);
        self
    }
}

fn running() -> ContainerState {
    ContainerState {
        running: Some(Default::default()),
        ..Default::default()
    }
}
fn waiting(reason: &str) -> ContainerState {
    ContainerState {
        waiting: Some(ContainerStateWaiting {
            reason: Some(reason.into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}
fn terminated(code: i32, reason: Option<&str>) -> ContainerState {
    ContainerState {
        terminated: Some(ContainerStateTerminated {
            exit_code: code,
            reason: reason.map(str::to_string),
            ..Default::default()
        }),
        ..Default::default()
    }
}

struct StatusCase {
    name: &'static str,
    pod: Pod,
    want: &'static str,
    health: Health,
}

/// Mirrors the cases of `TestPrintPod` (pkg/printers/internalversion/printers_test.go).
#[test]
fn test_print_pod_status() {
    let cases = [
        StatusCase {
            name: "pending with no statuses",
            pod: pod("a").phase("Pending").0,
            want: "Pending",
            health: Health::Progress,
        },
        StatusCase {
            name: "running and ready",
            pod: pod("a").phase("Running").container(running(), true, 0).0,
            want: "Running",
            health: Health::Good,
        },
        StatusCase {
            name: "waiting reason wins",
            pod: pod("a")
                .phase("Pending")
                .container(waiting("ContainerCreating"), false, 0)
                .0,
            want: "ContainerCreating",
            health: Health::Progress,
        },
        StatusCase {
            name: "crash loop",
            pod: pod("a")
                .phase("Running")
                .container(waiting("CrashLoopBackOff"), false, 3)
                .0,
            want: "CrashLoopBackOff",
            health: Health::Bad,
        },
        StatusCase {
            name: "terminated with reason",
            pod: pod("a")
                .phase("Succeeded")
                .container(terminated(0, Some("Completed")), false, 0)
                .0,
            want: "Completed",
            health: Health::Done,
        },
        StatusCase {
            name: "terminated without reason prints the exit code",
            pod: pod("a")
                .phase("Failed")
                .container(terminated(2, None), false, 0)
                .0,
            want: "ExitCode:2",
            health: Health::Bad,
        },
        StatusCase {
            name: "deleting a running pod",
            pod: pod("a")
                .phase("Running")
                .container(running(), true, 0)
                .deleting()
                .0,
            want: "Terminating",
            health: Health::Terminating,
        },
        StatusCase {
            name: "deleting a finished pod keeps its status",
            pod: pod("a")
                .phase("Failed")
                .container(terminated(1, Some("Error")), false, 0)
                .deleting()
                .0,
            want: "Error",
            health: Health::Bad,
        },
    ];
    for c in cases {
        assert_eq!(pod_status(&c.pod), c.want, "{}", c.name);
        assert_eq!(pod_chip(&c.pod).health, c.health, "{}", c.name);
    }
}

#[test]
fn pod_chip_says_not_ready_when_the_ready_condition_is_false() {
    // MarkPodsNotReady (node lifecycle, node unreachable) turns only the pod's Ready condition
    // False: kubectl's STATUS stays Running, the chip must not look healthy.
    let mut p = pod("fluentd-x")
        .phase("Running")
        .container(running(), true, 0)
        .0;
    let ready = |status: &str| PodCondition {
        type_: "Ready".into(),
        status: status.into(),
        ..Default::default()
    };
    p.status.get_or_insert_with(Default::default).conditions = Some(vec![ready("True")]);
    let chip = pod_chip(&p);
    assert_eq!(
        (chip.status.as_str(), chip.health, chip.not_ready),
        ("Running", Health::Good, false)
    );
    p.status.get_or_insert_with(Default::default).conditions = Some(vec![ready("False")]);
    let chip = pod_chip(&p);
    assert_eq!(
        (chip.status.as_str(), chip.health, chip.not_ready),
        ("Running", Health::Progress, true)
    );
}

#[test]
fn pod_chip_has_restarts_and_owner() {
    let p = pod("fluentd-x")
        .phase("Running")
        .container(running(), true, 2)
        .owned_by("DaemonSet", "fluentd")
        .0;
    let chip = pod_chip(&p);
    assert_eq!(chip.restarts, 2);
    assert_eq!(chip.owner.as_deref(), Some("DaemonSet/fluentd"));
}

#[test]
fn quantities() {
    struct Q {
        s: &'static str,
        want: Option<f64>,
    }
    for q in [
        Q {
            s: "500m",
            want: Some(0.5),
        },
        Q {
            s: "4",
            want: Some(4.0),
        },
        Q {
            s: "1Gi",
            want: Some(1073741824.0),
        },
        Q {
            s: "200Mi",
            want: Some(209715200.0),
        },
        Q {
            s: "1e3",
            want: Some(1000.0),
        },
        Q {
            s: "1.5k",
            want: Some(1500.0),
        },
        Q {
            s: "abc",
            want: None,
        },
        Q {
            s: "1Zi",
            want: None,
        },
    ] {
        assert_eq!(parse_quantity(q.s), q.want, "{}", q.s);
    }
    assert_eq!(format_cpu(0.25), "250m");
    assert_eq!(format_cpu(4.0), "4");
    assert_eq!(format_bytes(200.0 * 1024.0 * 1024.0), "200Mi");
    assert_eq!(format_bytes(8.0 * 1024.0 * 1024.0 * 1024.0), "8Gi");
    assert_eq!(format_bytes(1.5 * 1024.0 * 1024.0 * 1024.0), "1.5Gi");
}

fn node(name: &str) -> Node {
    Node {
        metadata: ObjectMeta {
            name: Some(name.into()),
            labels: Some(
                [("disktype".to_string(), "ssd".to_string())]
                    .into_iter()
                    .collect(),
            ),
            ..Default::default()
        },
        spec: Some(NodeSpec {
            taints: Some(vec![Taint {
                key: "gpu".into(),
                value: Some("true".into()),
                effect: "NoSchedule".into(),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[test]
fn node_card_counts_requests_of_active_pods_only() {
    let mut c = Cluster::new(1);
    c.create(Object::Node(node("n1"))).expect("node");
    let n = c.store().node("n1").cloned().expect("stored node");
    let a = pod("a")
        .phase("Running")
        .requests("250m", "512Mi")
        .on("n1")
        .0;
    let b = pod("b").phase("Running").requests("500m", "1Gi").on("n1").0;
    let done = pod("c").phase("Succeeded").requests("1", "1Gi").on("n1").0;
    let card = node_card(&n, &[&a, &b, &done], false);
    assert_eq!(card.name, "n1");
    assert_eq!(card.readiness, Readiness::Ready);
    assert_eq!(
        card.labels.first().map(|l| l.key.as_str()),
        Some("disktype")
    );
    assert!(card.labels.iter().skip(1).all(|l| l.well_known));
    assert_eq!(
        card.taints,
        vec![TaintChip {
            text: "gpu=true:NoSchedule".into(),
            remove_arg: "gpu:NoSchedule-".into()
        }]
    );
    let texts: Vec<&str> = card.bars.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(texts, vec!["750m / 4", "1.5Gi / 8Gi", "2 / 110"]);
    assert_eq!(card.pods.len(), 3);
    let empty = node_card(&n, &[], false);
    let texts: Vec<&str> = empty.bars.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(texts, vec!["0 / 4", "0 / 8Gi", "0 / 110"]);
    assert_eq!(card.more_pods, 0);
}

#[test]
fn cluster_vm_groups_pods_pages_nodes_and_lists_pending_with_reason() {
    let mut c = Cluster::new(1);
    for i in 0..(NODES_PER_PAGE + 2) {
        c.create(Object::Node(node(&format!("n{i:02}"))))
            .expect("node");
    }
    let msg = "0/26 nodes are available: 26 node(s) had untolerated taint {gpu: true}.";
    let pending = pod("p").phase("Pending").unschedulable(msg).0;
    assert_eq!(scheduled_message(&pending), msg);
    // The API server drops status on create: the tray then says it waits for the scheduler.
    c.create(Object::Pod(pending)).expect("pod");
    let vm = cluster_vm(c.store(), 0, &|_| false);
    assert_eq!(vm.n_nodes, NODES_PER_PAGE + 2);
    assert_eq!(vm.pages, 2);
    assert_eq!(vm.nodes.len(), NODES_PER_PAGE);
    assert_eq!(vm.pending.len(), 1);
    assert_eq!(
        vm.pending.first().map(|p| p.reason.as_str()),
        Some("waiting for the scheduler")
    );
    // A Job with a huge parallelism must not draw every pending pod: the tray lists the first
    // few and counts the rest.
    for i in 0..PENDING_SHOWN + 5 {
        c.create(Object::Pod(pod(&format!("q{i:03}")).0))
            .expect("pod");
    }
    let many = cluster_vm(c.store(), 0, &|_| false);
    assert_eq!(many.pending.len(), PENDING_SHOWN);
    assert_eq!(many.n_pending, PENDING_SHOWN + 6);
    let last = cluster_vm(c.store(), 99, &|n| n == "n25");
    assert_eq!(last.page, 1);
    assert_eq!(last.nodes.len(), 2);
    assert!(last.nodes.iter().any(|n| n.down && n.name == "n25"));
}

/// Pods whose node was deleted are not "unscheduled": they keep their nodeName (the scheduler
/// never looks at them again) until PodGC's quarantine ends, so the pane lists them under the
/// missing node's name (upstream `pkg/controller/podgc` `gcOrphaned`).
#[test]
fn cluster_vm_shows_pods_of_a_deleted_node_under_its_name_not_as_unscheduled() {
    let mut c = Cluster::new(1);
    c.create(Object::Node(node("n1"))).expect("node");
    for (name, on) in [
        ("a", Some("n1")),
        ("b", Some("gone")),
        ("c", Some("gone")),
        ("d", None),
    ] {
        let p = pod(name).phase("Pending");
        let p = match on {
            Some(n) => p.on(n),
            None => p,
        };
        c.create(Object::Pod(p.0)).expect("pod");
    }
    let vm = cluster_vm(c.store(), 0, &|_| false);
    assert_eq!(vm.n_pods, 4);
    let pending: Vec<&str> = vm.pending.iter().map(|p| p.pod.name.as_str()).collect();
    assert_eq!(pending, vec!["d"]);
    let gone: Vec<(&str, Vec<&str>)> = vm
        .gone
        .iter()
        .map(|g| {
            (
                g.name.as_str(),
                g.pods.iter().map(|p| p.name.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(gone, vec![("gone", vec!["b", "c"])]);
    assert_eq!(vm.gone.first().map(|g| g.n_pods), Some(2));
    assert_eq!(vm.n_pending, 1);
    let on_n1: Vec<&str> = vm
        .nodes
        .iter()
        .flat_map(|n| n.pods.iter().map(|p| p.name.as_str()))
        .collect();
    assert_eq!(on_n1, vec!["a"]);
}

fn job(spec: JobSpec, status: JobStatus) -> Job {
    Job {
        metadata: ObjectMeta {
            name: Some("pi".into()),
            namespace: Some("default".into()),
            creation_timestamp: Some(SimTime(0).to_k8s()),
            ..Default::default()
        },
        spec: Some(spec),
        status: Some(status),
    }
}

fn cond(type_: &str) -> JobCondition {
    JobCondition {
        type_: type_.into(),
        status: "True".into(),
        reason: Some("BackoffLimitExceeded".into()),
        message: Some("Job has reached the specified backoff limit".into()),
        ..Default::default()
    }
}

struct JobCase {
    name: &'static str,
    job: Job,
    status: &'static str,
    completions: &'static str,
    target: i32,
    target_label: &'static str,
}

/// Mirrors `TestPrintJob` (printers_test.go) for STATUS and COMPLETIONS.
#[test]
fn test_print_job() {
    let store = Store::new();
    let t = |s: u64| Some(Time(SimTime(s * 1000).to_k8s().0));
    let cases = [
        JobCase {
            name: "running, no completions set",
            job: job(
                JobSpec::default(),
                JobStatus {
                    active: Some(1),
                    start_time: t(0),
                    ..Default::default()
                },
            ),
            status: "Running",
            completions: "0/1",
            target: 1,
            target_label: "1",
        },
        JobCase {
            name: "parallel work queue",
            job: job(
                JobSpec {
                    parallelism: Some(3),
                    ..Default::default()
                },
                JobStatus::default(),
            ),
            status: "Running",
            completions: "0/1 of 3",
            target: 1,
            target_label: "1 of 3",
        },
        JobCase {
            name: "complete",
            job: job(
                JobSpec {
                    completions: Some(5),
                    ..Default::default()
                },
                JobStatus {
                    succeeded: Some(5),
                    conditions: Some(vec![cond("Complete")]),
                    start_time: t(0),
                    completion_time: t(30),
                    ..Default::default()
                },
            ),
            status: "Complete",
            completions: "5/5",
            target: 5,
            target_label: "5",
        },
        JobCase {
            name: "failed",
            job: job(
                JobSpec {
                    completions: Some(1),
                    ..Default::default()
                },
                JobStatus {
                    failed: Some(3),
                    conditions: Some(vec![cond("FailureTarget"), cond("Failed")]),
                    ..Default::default()
                },
            ),
            status: "Failed",
            completions: "0/1",
            target: 1,
            target_label: "1",
        },
    ];
    for c in cases {
        let row = job_row(&c.job, &store, SimTime(60_000));
        assert_eq!(row.status, c.status, "{}", c.name);
        let col = |h: &str| {
            row.columns
                .iter()
                .find(|(k, _)| *k == h)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(col("STATUS").as_deref(), Some(c.status), "{}", c.name);
        assert_eq!(
            col("COMPLETIONS").as_deref(),
            Some(c.completions),
            "{}",
            c.name
        );
        assert_eq!(row.target, c.target, "{}", c.name);
        assert_eq!(row.target_label, c.target_label, "{}", c.name);
        assert_eq!(col("AGE").as_deref(), Some("60s"), "{}", c.name);
    }
    let done = job(
        JobSpec::default(),
        JobStatus {
            start_time: t(0),
            completion_time: t(30),
            ..Default::default()
        },
    );
    let row = job_row(&done, &store, SimTime(60_000));
    assert_eq!(
        row.columns
            .iter()
            .find(|(k, _)| *k == "DURATION")
            .map(|(_, v)| v.as_str()),
        Some("30s")
    );
}

#[test]
fn clock_text_formats() {
    assert_eq!(clock_text(SimTime(0)), "00:00.000");
    assert_eq!(clock_text(SimTime(65_250)), "01:05.250");
    assert_eq!(clock_text(SimTime(3_661_001)), "1:01:01.001");
}

/// A cluster with events about two DaemonSets, their pods and the nodes.
fn session_with_events() -> crate::kubectl::Session {
    let mut s = crate::kubectl::Session::new(1);
    let ds = include_str!("../examples/ssd-daemonset.yaml");
    let other = ds.replace("ssd-monitor", "ssd-monitor-b");
    for (line, stdin) in [
        ("sim node add n1 --labels disktype=ssd", None),
        ("sim node add n2 --labels disktype=ssd", None),
        ("kubectl apply -f -", Some(ds)),
        ("kubectl apply -f -", Some(other.as_str())),
        ("sim advance 30s", None),
    ] {
        let out = s.run(line, stdin, &crate::kubectl::NoFiles);
        assert!(out.ok, "{line}: {}", out.stderr);
    }
    s
}

#[test]
fn events_newest_is_the_tail_of_events_vm() {
    let s = session_with_events();
    let (store, now) = (s.cluster.store(), s.cluster.now());
    let all = events_vm(store, now, "");
    assert!(all.len() > 10, "enough events to cut: {}", all.len());
    for (filter, limit) in [("", 5), ("", usize::MAX), ("pod/", 3), ("DaemonSet/ssd", 1)] {
        let want: Vec<EventRow> = {
            let rows = events_vm(store, now, filter);
            let skip = rows.len().saturating_sub(limit);
            rows.into_iter().skip(skip).collect()
        };
        assert!(!want.is_empty(), "{filter}");
        assert_eq!(
            events_newest(store, now, filter, limit),
            want,
            "{filter} {limit}"
        );
    }
}

#[test]
fn workload_rows_carry_exactly_their_own_events() {
    let s = session_with_events();
    let (store, now) = (s.cluster.store(), s.cluster.now());
    let rows = workloads_vm(store, now);
    assert_eq!(rows.len(), 2);
    for r in &rows {
        let object = format!("daemonset/{}", r.name);
        let want: Vec<EventRow> = events_vm(store, now, &object)
            .into_iter()
            .filter(|e| e.object == object)
            .collect();
        assert_eq!(want.len(), 2, "one SuccessfulCreate per node for {object}");
        assert_eq!(r.events, want, "{object}");
        assert_eq!(r.older_events, 0);
    }
}

#[test]
fn event_cache_rebuilds_only_when_events_change_and_ages_follow_the_clock() {
    let mut s = session_with_events();
    let mut cache = EventCache::default();
    cache.refresh(s.cluster.store());
    let built = cache.revision;
    assert!(built.is_some());
    // Time passes with nothing written: same build, older ages.
    s.run("sim advance 1m", None, &crate::kubectl::NoFiles);
    let (store, now) = (s.cluster.store(), s.cluster.now());
    cache.refresh(store);
    assert_eq!(cache.revision, built);
    assert_eq!(cache.newest(now, "", 7), events_newest(store, now, "", 7));
    assert_eq!(cache.newest(now, "", usize::MAX), events_vm(store, now, ""));
    // A new event: rebuilt, and it is the newest row.
    let out = s.run(
        "kubectl apply -f -",
        Some("apiVersion: v1\nkind: Pod\nmetadata: {name: late}\nspec: {containers: [{name: c, image: nginx}]}\n"),
        &crate::kubectl::NoFiles,
    );
    assert!(out.ok, "{}", out.stderr);
    s.run("sim advance 5s", None, &crate::kubectl::NoFiles);
    let (store, now) = (s.cluster.store(), s.cluster.now());
    cache.refresh(store);
    assert_ne!(cache.revision, built);
    assert_eq!(cache.newest(now, "", usize::MAX), events_vm(store, now, ""));
}

/// The cache updated step by step equals one built from scratch and the reference
/// `events_vm`, through new events, repeated ones (count and lastTimestamp bumped: the event
/// moves to the end) and deleted ones.
#[test]
fn event_cache_updates_incrementally_like_a_fresh_build() {
    let mut s = session_with_events();
    let mut cache = EventCache::default();
    let check = |cache: &mut EventCache, s: &crate::kubectl::Session, what: &str| {
        let (store, now) = (s.cluster.store(), s.cluster.now());
        cache.refresh(store);
        let mut fresh = EventCache::default();
        fresh.refresh(store);
        assert_eq!(
            cache.newest(now, "", usize::MAX),
            events_vm(store, now, ""),
            "{what}"
        );
        assert_eq!(
            cache.newest(now, "", usize::MAX),
            fresh.newest(now, "", usize::MAX),
            "{what}"
        );
        for ds in ["ssd-monitor", "ssd-monitor-b"] {
            assert_eq!(
                cache.about(now, Kind::DaemonSet, ds, 3),
                fresh.about(now, Kind::DaemonSet, ds, 3),
                "{what} {ds}"
            );
        }
    };
    check(&mut cache, &s, "first build");
    // A crash-looping pod repeats BackOff events: the same Event objects, counts bumped.
    let out = s.run(
        "kubectl run crash --image=busybox --restart=Always -- sh -c 'exit 1'",
        None,
        &crate::kubectl::NoFiles,
    );
    assert!(out.ok, "{}", out.stderr);
    for step in ["10s", "30s", "2m"] {
        s.run(
            &format!("sim advance {step}"),
            None,
            &crate::kubectl::NoFiles,
        );
        check(&mut cache, &s, step);
    }
    let counts = s.run(
        "kubectl get events --field-selector involvedObject.name=crash -o jsonpath={.items[*].count}",
        None,
        &crate::kubectl::NoFiles,
    );
    assert!(
        counts
            .stdout
            .split(' ')
            .any(|c| c.parse::<u32>().is_ok_and(|n| n > 1)),
        "some event repeated: {counts:?}"
    );
    // Events expire after an hour: the cache notices they are gone.
    s.run("sim advance 2h", None, &crate::kubectl::NoFiles);
    check(&mut cache, &s, "after the event TTL");
}

#[test]
fn workload_rows_list_the_newest_events_and_count_the_older() {
    let mut s = crate::kubectl::Session::new(7);
    s.run(
        "kubectl apply -f -",
        Some(
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: everywhere}\nspec:\n  selector: {matchLabels: {app: e}}\n  template:\n    metadata: {labels: {app: e}}\n    spec: {containers: [{name: c, image: nginx}]}\n",
        ),
        &crate::kubectl::NoFiles,
    );
    // Nine nodes at a time, 11 minutes apart: the event recorder combines similar events
    // only from the tenth within 10 minutes, so each pod gets its own SuccessfulCreate.
    for i in 0..(EVENTS_PER_WORKLOAD + 5) {
        if i % 9 == 0 {
            s.run("sim advance 11m", None, &crate::kubectl::NoFiles);
        }
        s.run(
            &format!("sim node add n{i:02}"),
            None,
            &crate::kubectl::NoFiles,
        );
    }
    s.run("sim advance 10s", None, &crate::kubectl::NoFiles);
    let (store, now) = (s.cluster.store(), s.cluster.now());
    let all: Vec<EventRow> = events_vm(store, now, "daemonset/everywhere")
        .into_iter()
        .filter(|e| e.object == "daemonset/everywhere")
        .collect();
    assert!(all.len() > EVENTS_PER_WORKLOAD, "{}", all.len());
    let rows = workloads_vm(store, now);
    assert_eq!(
        rows[0].events,
        all[all.len() - EVENTS_PER_WORKLOAD..].to_vec()
    );
    assert_eq!(rows[0].older_events, all.len() - EVENTS_PER_WORKLOAD);
}

#[test]
fn why_panel_says_what_the_daemonset_controller_decides_for_each_node() {
    let mut session = crate::kubectl::Session::new(1);
    for cmd in [
        "sim node add ssd --labels disktype=ssd",
        "sim node add hdd",
        "sim node add gpu --taints dedicated=gpu:NoExecute",
    ] {
        assert!(session.run(cmd, None, &crate::kubectl::NoFiles).ok, "{cmd}");
    }
    let ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: mon\nspec:\n  selector:\n    matchLabels: {app: mon}\n  template:\n    metadata:\n      labels: {app: mon}\n    spec:\n      nodeSelector: {disktype: ssd}\n      containers:\n      - name: c\n        image: busybox\n";
    assert!(
        session
            .run("apply -f -", Some(ds), &crate::kubectl::NoFiles)
            .ok
    );
    let vm = cluster_vm(session.cluster.store(), 0, &|_| false);
    let why = |node: &str| -> Vec<(String, DaemonVerdict, String)> {
        vm.nodes
            .iter()
            .find(|n| n.name == node)
            .map(|n| {
                n.daemons
                    .iter()
                    .map(|d| (d.daemonset.clone(), d.verdict, d.reason.clone()))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        why("ssd"),
        [(
            "default/mon".to_string(),
            DaemonVerdict::Runs,
            "node matches the pod template's nodeSelector, node affinity and tolerations"
                .to_string()
        )]
    );
    assert_eq!(
        why("hdd"),
        [(
            "default/mon".to_string(),
            DaemonVerdict::NotHere,
            "nodeSelector disktype=ssd does not match: node has no disktype label".to_string()
        )]
    );
    // The nodeSelector is checked before taints.
    assert_eq!(
        why("gpu").first().map(|w| w.1),
        Some(DaemonVerdict::NotHere)
    );
    assert_eq!(
        DaemonVerdict::KeepsRunning.as_str(),
        "keeps a running pod, creates none"
    );
}

#[test]
fn an_empty_event_list_says_whether_the_filter_hid_the_events() {
    assert_eq!(events_empty_text(""), "No events yet.");
    assert_eq!(events_empty_text("  "), "No events yet.");
    let filtered = events_empty_text(" Warning ");
    assert!(
        filtered.starts_with("No events about an object matching \"Warning\"."),
        "{filtered}"
    );
    assert!(filtered.contains("OBJECT column"), "{filtered}");
}

/// A DaemonSet's badge: the words say what the icon shows (kubectl's READY and UP-TO-DATE
/// columns, `printDaemonSet`).
#[test]
fn daemonset_row_status_names_pods_not_on_the_current_template() {
    use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetStatus};
    struct Case {
        name: &'static str,
        desired: i32,
        ready: i32,
        available: i32,
        updated: i32,
        want_status: &'static str,
        want_health: Health,
    }
    let cases = [
        Case {
            name: "rolled out",
            desired: 3,
            ready: 3,
            available: 3,
            updated: 3,
            want_status: "3/3 ready",
            want_health: Health::Good,
        },
        Case {
            name: "starting",
            desired: 3,
            ready: 1,
            available: 1,
            updated: 3,
            want_status: "1/3 ready",
            want_health: Health::Progress,
        },
        Case {
            name: "OnDelete: ready on the old template",
            desired: 2,
            ready: 2,
            available: 2,
            updated: 0,
            want_status: "2/2 ready, 0 up-to-date",
            want_health: Health::Progress,
        },
        Case {
            name: "no eligible node",
            desired: 0,
            ready: 0,
            available: 0,
            updated: 0,
            want_status: "0/0 ready",
            want_health: Health::Good,
        },
    ];
    let c = Cluster::new(1);
    for case in cases {
        let ds = DaemonSet {
            metadata: ObjectMeta {
                name: Some("agent".into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            spec: None,
            status: Some(DaemonSetStatus {
                desired_number_scheduled: case.desired,
                current_number_scheduled: case.desired,
                number_ready: case.ready,
                number_available: Some(case.available),
                updated_number_scheduled: Some(case.updated),
                ..Default::default()
            }),
        };
        let row = daemonset_row(&ds, c.store(), SimTime(0));
        assert_eq!(row.status, case.want_status, "{}", case.name);
        assert_eq!(row.health, case.want_health, "{}", case.name);
    }
}

/// The node card says what `kubectl get nodes` says: NotReady for a Ready condition that is
/// False or Unknown (its icon tells the two apart), Unknown only without one.
#[test]
fn node_readiness_words_follow_kubectl() {
    for (status, want, word) in [
        (Some("True"), Readiness::Ready, "Ready"),
        (Some("False"), Readiness::NotReady, "NotReady"),
        (Some("Unknown"), Readiness::Unknown, "NotReady"),
        (None, Readiness::Missing, "Unknown"),
    ] {
        let mut n = node("n1");
        let st = n.status.get_or_insert_with(Default::default);
        st.conditions = status.map(|s| {
            vec![k8s_openapi::api::core::v1::NodeCondition {
                type_: "Ready".to_string(),
                status: s.to_string(),
                ..Default::default()
            }]
        });
        let card = node_card(&n, &[], false);
        assert_eq!(card.readiness, want, "{status:?}");
        assert_eq!(card.readiness.as_str(), word, "{status:?}");
    }
}

#[test]
fn error_summary_keeps_the_field_errors_of_an_invalid_object() {
    for (stderr, want) in [
        ("", "failed"),
        ("\n  \n", "failed"),
        (
            "error: invalid taint spec: x\n",
            "error: invalid taint spec: x",
        ),
        (
            "The Node \"neg\" is invalid: \n* status.capacity.cpu: Invalid value: \"-4\": must be greater than or equal to 0\n* status.capacity.pods: Invalid value: \"-1\": must be greater than or equal to 0\n",
            "The Node \"neg\" is invalid: status.capacity.cpu: Invalid value: \"-4\": must be greater than or equal to 0; status.capacity.pods: Invalid value: \"-1\": must be greater than or equal to 0",
        ),
        ("Something went wrong:\n", "Something went wrong"),
        (
            "Error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tget\n",
            "Error: unknown command \"gett\" for \"kubectl\"",
        ),
    ] {
        assert_eq!(error_summary(stderr), want, "{stderr:?}");
    }
}
