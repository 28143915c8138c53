//! Upstream's printer tests (`pkg/printers/internalversion/printers_test.go`), case for case,
//! against [`super::row`]: the same objects, the same expected cells. Times are relative to
//! [`NOW`] as upstream's are to `time.Now()`; a creation time 1.9 s ahead prints `0s` as there.

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet, DaemonSetSpec, DaemonSetStatus};
use k8s_openapi::api::batch::v1::{Job, JobCondition, JobSpec, JobStatus};
use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, Event, EventSeries, EventSource, LoadBalancerIngress,
    LoadBalancerStatus, Namespace, NamespaceStatus, Node, NodeAddress, NodeCondition, NodeSpec,
    NodeStatus, NodeSystemInfo, ObjectReference, Pod, PodCondition, PodIP, PodReadinessGate,
    PodSpec, PodStatus, PodTemplateSpec, Service, ServicePort, ServiceSpec, ServiceStatus,
};
use k8s_openapi::api::discovery::v1::{Endpoint, EndpointPort, EndpointSlice};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
    LabelSelector, MicroTime, ObjectMeta, OwnerReference, Time,
};

use super::{format_labels, row, RowCtx};
use crate::engine::api::Object;
use crate::engine::clock::SimTime;

const SEC: i64 = 1000;
const MIN: i64 = 60 * SEC;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

/// "time.Now()": eleven years into the simulation, so that ten-year-old objects fit.
const NOW: SimTime = SimTime(11 * 365 * 86_400_000);

/// `time.Now().Add(ms)`.
fn at(ms: i64) -> Time {
    let t = i64::try_from(NOW.0).unwrap_or(0) + ms;
    SimTime(u64::try_from(t).unwrap_or(0)).to_k8s()
}

fn micro(ms: i64) -> MicroTime {
    MicroTime(at(ms).0)
}

/// `CreationTimestamp: time.Now().Add(1.9e9)`, which prints `0s`.
fn soon() -> Option<Time> {
    Some(at(1900))
}

fn meta(name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        ..Default::default()
    }
}

fn cells(obj: Object, wide: bool) -> Vec<String> {
    row(&obj, RowCtx { now: NOW, wide })
}

fn check(name: &str, obj: Object, wide: bool, want: &[&str]) {
    assert_eq!(cells(obj, wide), want, "{name}");
}

// ---------------------------------------------------------------------------------------------
// Pods

fn running() -> ContainerState {
    ContainerState {
        running: Some(ContainerStateRunning::default()),
        ..Default::default()
    }
}

fn waiting(reason: &str) -> ContainerState {
    ContainerState {
        waiting: Some(ContainerStateWaiting {
            reason: (!reason.is_empty()).then(|| reason.to_string()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn terminated(reason: &str, exit_code: i32) -> ContainerState {
    ContainerState {
        terminated: Some(ContainerStateTerminated {
            reason: (!reason.is_empty()).then(|| reason.to_string()),
            exit_code,
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A container status: `state` `None` is the zero `ContainerState`.
fn cs(ready: bool, restarts: i32, state: Option<ContainerState>) -> ContainerStatus {
    ContainerStatus {
        ready,
        restart_count: restarts,
        state,
        ..Default::default()
    }
}

/// `LastTerminationState: Terminated{FinishedAt: time.Now().Add(ms)}`.
fn finished(mut c: ContainerStatus, ms: i64) -> ContainerStatus {
    c.last_state = Some(ContainerState {
        terminated: Some(ContainerStateTerminated {
            finished_at: Some(at(ms)),
            ..Default::default()
        }),
        ..Default::default()
    });
    c
}

fn named(mut c: ContainerStatus, name: &str, started: Option<bool>) -> ContainerStatus {
    c.name = name.into();
    c.started = started;
    c
}

fn cond(type_: &str, status: &str) -> PodCondition {
    PodCondition {
        type_: type_.into(),
        status: status.into(),
        ..Default::default()
    }
}

/// `api.Pod{ObjectMeta{Name}, Spec{Containers: make([]api.Container, n)}, Status{...}}`.
struct P(Pod);

impl P {
    fn new(name: &str, containers: usize) -> P {
        P(Pod {
            metadata: meta(name),
            spec: Some(PodSpec {
                containers: vec![Container::default(); containers],
                ..Default::default()
            }),
            status: Some(PodStatus::default()),
        })
    }
    fn spec(&mut self) -> &mut PodSpec {
        self.0.spec.get_or_insert_with(Default::default)
    }
    fn st(&mut self) -> &mut PodStatus {
        self.0.status.get_or_insert_with(Default::default)
    }
    fn init(mut self, n: usize) -> P {
        self.spec().init_containers = Some(vec![Container::default(); n]);
        self
    }
    fn sidecars(mut self, names: &[&str]) -> P {
        self.spec().init_containers = Some(
            names
                .iter()
                .map(|n| Container {
                    name: (*n).into(),
                    restart_policy: Some("Always".into()),
                    ..Default::default()
                })
                .collect(),
        );
        self
    }
    fn phase(mut self, phase: &str) -> P {
        self.st().phase = Some(phase.into());
        self
    }
    fn reason(mut self, reason: &str) -> P {
        self.st().reason = Some(reason.into());
        self
    }
    fn statuses(mut self, s: Vec<ContainerStatus>) -> P {
        self.st().container_statuses = Some(s);
        self
    }
    fn init_statuses(mut self, s: Vec<ContainerStatus>) -> P {
        self.st().init_container_statuses = Some(s);
        self
    }
    fn conditions(mut self, c: Vec<PodCondition>) -> P {
        self.st().conditions = Some(c);
        self
    }
    fn deleting(mut self) -> P {
        self.0.metadata.deletion_timestamp = Some(at(-10 * SEC));
        self
    }
    fn obj(self) -> Object {
        Object::Pod(self.0)
    }
}

/// `TestPrintPod`.
#[test]
fn test_print_pod() {
    let cases: Vec<(&str, P, [&str; 5])> = vec![
        (
            "test1: name, num of containers, restarts, container ready status",
            P::new("test1", 2)
                .phase("podPhase")
                .statuses(vec![cs(true, 3, Some(running())), cs(false, 3, None)]),
            ["test1", "1/2", "podPhase", "6", "<unknown>"],
        ),
        (
            "test2: container error overwrites pod phase",
            P::new("test2", 2).phase("podPhase").statuses(vec![
                cs(true, 3, Some(running())),
                cs(false, 3, Some(waiting("ContainerWaitingReason"))),
            ]),
            ["test2", "1/2", "ContainerWaitingReason", "6", "<unknown>"],
        ),
        (
            "test3: the first container overwrites the rest",
            P::new("test3", 2).phase("podPhase").statuses(vec![
                cs(false, 3, Some(waiting("ContainerWaitingReason"))),
                cs(false, 3, Some(terminated("ContainerTerminatedReason", 0))),
            ]),
            ["test3", "0/2", "ContainerWaitingReason", "6", "<unknown>"],
        ),
        (
            "test4: ready is not enough for reporting running",
            P::new("test4", 2)
                .phase("podPhase")
                .statuses(vec![cs(true, 3, Some(running())), cs(true, 3, None)]),
            ["test4", "1/2", "podPhase", "6", "<unknown>"],
        ),
        (
            "test5: pod reason wins over phase",
            P::new("test5", 2)
                .phase("podPhase")
                .reason("podReason")
                .statuses(vec![cs(true, 3, Some(running())), cs(true, 3, None)]),
            ["test5", "1/2", "podReason", "6", "<unknown>"],
        ),
        (
            "test6: one running, one completed, no ready condition",
            P::new("test6", 2).phase("Running").statuses(vec![
                cs(true, 3, Some(terminated("Completed", 0))),
                cs(true, 3, Some(running())),
            ]),
            ["test6", "1/2", "NotReady", "6", "<unknown>"],
        ),
        (
            "test6: one running, one completed, ready condition",
            P::new("test6", 2)
                .phase("Running")
                .statuses(vec![
                    cs(true, 3, Some(terminated("Completed", 0))),
                    cs(true, 3, Some(running())),
                ])
                .conditions(vec![cond("Ready", "True")]),
            ["test6", "1/2", "Running", "6", "<unknown>"],
        ),
        (
            "test7: 1 init container restarting and 1 container not running",
            P::new("test7", 1)
                .init(1)
                .phase("podPhase")
                .init_statuses(vec![finished(cs(false, 3, Some(running())), -10 * SEC)])
                .statuses(vec![cs(false, 0, Some(waiting("")))]),
            ["test7", "0/1", "Init:0/1", "3 (10s ago)", "<unknown>"],
        ),
        (
            "test8: 2 init containers, one restarting and the other not running",
            P::new("test8", 1)
                .init(2)
                .phase("podPhase")
                .init_statuses(vec![
                    finished(cs(false, 3, Some(running())), -10 * SEC),
                    cs(false, 0, Some(waiting(""))),
                ])
                .statuses(vec![cs(false, 0, Some(waiting("")))]),
            ["test8", "0/1", "Init:0/2", "3 (10s ago)", "<unknown>"],
        ),
        (
            "test9: 2 init containers, one completed without restarts, the other restarting",
            P::new("test9", 1)
                .init(2)
                .phase("podPhase")
                .init_statuses(vec![
                    cs(false, 0, Some(terminated("", 0))),
                    finished(cs(false, 3, Some(running())), -10 * SEC),
                ])
                .statuses(vec![cs(false, 0, Some(waiting("")))]),
            ["test9", "0/1", "Init:1/2", "3 (10s ago)", "<unknown>"],
        ),
        (
            "test10: 2 init containers, one completed with restarts, the other restarting",
            P::new("test10", 1)
                .init(2)
                .phase("podPhase")
                .init_statuses(vec![
                    finished(cs(false, 2, Some(terminated("", 0))), -2 * MIN),
                    finished(cs(false, 3, Some(running())), -10 * SEC),
                ])
                .statuses(vec![cs(false, 0, Some(waiting("")))]),
            ["test10", "0/1", "Init:1/2", "5 (10s ago)", "<unknown>"],
        ),
        (
            "test11: 1 init container completed with restarts, one container restarting",
            P::new("test11", 1)
                .init(1)
                .phase("Running")
                .init_statuses(vec![finished(
                    cs(false, 2, Some(terminated("", 0))),
                    -2 * MIN,
                )])
                .statuses(vec![finished(cs(false, 4, Some(running())), -20 * SEC)]),
            ["test11", "0/1", "Running", "4 (20s ago)", "<unknown>"],
        ),
        (
            "test12: 1 container that restarted 5d ago",
            P::new("test12", 1)
                .phase("Running")
                .statuses(vec![finished(cs(true, 3, Some(running())), -5 * DAY)]),
            ["test12", "1/1", "Running", "3 (5d ago)", "<unknown>"],
        ),
        (
            "test13: one never restarted, the other restarted 10d ago",
            P::new("test13", 2).phase("Running").statuses(vec![
                cs(true, 0, Some(running())),
                finished(cs(true, 3, Some(running())), -10 * DAY),
            ]),
            ["test13", "2/2", "Running", "3 (10d ago)", "<unknown>"],
        ),
        (
            "test14: one restarted 5d ago, the other 20d ago",
            P::new("test14", 2).phase("Running").statuses(vec![
                finished(cs(true, 6, Some(running())), -5 * DAY),
                finished(cs(true, 3, Some(running())), -20 * DAY),
            ]),
            ["test14", "2/2", "Running", "9 (5d ago)", "<unknown>"],
        ),
        (
            "test15: PodScheduled condition with reason SchedulingGated",
            P::new("test15", 2)
                .phase("podPhase")
                .conditions(vec![PodCondition {
                    reason: Some("SchedulingGated".into()),
                    ..cond("PodScheduled", "False")
                }]),
            ["test15", "0/2", "SchedulingGated", "0", "<unknown>"],
        ),
        (
            "test16: succeeded",
            P::new("test16", 1).phase("Succeeded").statuses(vec![cs(
                false,
                0,
                Some(terminated("Completed", 0)),
            )]),
            ["test16", "0/1", "Completed", "0", "<unknown>"],
        ),
        (
            "test17: failed",
            P::new("test17", 1).phase("Failed").statuses(vec![cs(
                false,
                0,
                Some(terminated("Error", 1)),
            )]),
            ["test17", "0/1", "Error", "0", "<unknown>"],
        ),
        (
            "test18: succeeded with deletion",
            P::new("test18", 1)
                .phase("Succeeded")
                .statuses(vec![cs(false, 0, Some(terminated("Completed", 0)))])
                .deleting(),
            ["test18", "0/1", "Completed", "0", "<unknown>"],
        ),
        (
            "test19: running with deletion",
            P::new("test19", 1)
                .phase("Running")
                .statuses(vec![cs(false, 0, Some(running()))])
                .deleting(),
            ["test19", "0/1", "Terminating", "0", "<unknown>"],
        ),
        (
            "test20: pending with deletion",
            P::new("test20", 1).phase("Pending").deleting(),
            ["test20", "0/1", "Terminating", "0", "<unknown>"],
        ),
    ];
    for (name, pod, want) in cases {
        check(name, pod.obj(), false, &want);
    }
}

/// `TestPrintPodWithRestartableInitContainer`.
#[test]
fn test_print_pod_with_restartable_init_container() {
    let sidecars = ["restartable-init-1", "restartable-init-2"];
    let cases: Vec<(&str, P, [&str; 5])> = vec![
        (
            "2 restartable init containers, the first running but not started",
            P::new("test1", 1)
                .sidecars(&sidecars)
                .phase("Pending")
                .init_statuses(vec![
                    named(
                        finished(cs(false, 3, Some(running())), -10 * SEC),
                        "restartable-init-1",
                        Some(false),
                    ),
                    named(
                        cs(false, 0, Some(waiting(""))),
                        "restartable-init-2",
                        Some(false),
                    ),
                ])
                .statuses(vec![cs(false, 0, Some(waiting("")))])
                .conditions(vec![cond("Initialized", "False")]),
            ["test1", "0/3", "Init:0/2", "3 (10s ago)", "<unknown>"],
        ),
        (
            "the first started, the second running but not started",
            P::new("test1", 1)
                .sidecars(&sidecars)
                .phase("Pending")
                .init_statuses(vec![
                    named(
                        finished(cs(false, 3, Some(running())), -10 * SEC),
                        "restartable-init-1",
                        Some(true),
                    ),
                    named(
                        cs(false, 0, Some(running())),
                        "restartable-init-2",
                        Some(false),
                    ),
                ])
                .statuses(vec![cs(false, 0, Some(waiting("")))])
                .conditions(vec![cond("Initialized", "False")]),
            ["test1", "0/3", "Init:1/2", "3 (10s ago)", "<unknown>"],
        ),
        (
            "2 restartable init containers started and 1 container running",
            P::new("test2", 1)
                .sidecars(&sidecars)
                .phase("Running")
                .init_statuses(vec![
                    named(
                        finished(cs(false, 3, Some(running())), -10 * SEC),
                        "restartable-init-1",
                        Some(true),
                    ),
                    named(
                        cs(false, 0, Some(running())),
                        "restartable-init-2",
                        Some(true),
                    ),
                ])
                .statuses(vec![finished(cs(true, 4, Some(running())), -20 * SEC)])
                .conditions(vec![cond("Initialized", "True")]),
            ["test2", "1/3", "Running", "7 (10s ago)", "<unknown>"],
        ),
        (
            "2 restartable init containers completed with non-zero and 1 container completed",
            P::new("test3", 1)
                .sidecars(&sidecars)
                .phase("Succeeded")
                .init_statuses(vec![
                    named(
                        finished(cs(false, 3, Some(terminated("Error", 137))), -10 * SEC),
                        "restartable-init-1",
                        Some(false),
                    ),
                    named(
                        cs(false, 0, Some(terminated("Error", 137))),
                        "restartable-init-2",
                        Some(false),
                    ),
                ])
                .statuses(vec![finished(
                    cs(false, 4, Some(terminated("Completed", 0))),
                    -20 * SEC,
                )])
                .conditions(vec![cond("Initialized", "True")]),
            ["test3", "0/3", "Completed", "7 (10s ago)", "<unknown>"],
        ),
        (
            "statuses for non-existent init containers and containers",
            {
                let mut p = P::new("test4", 0).phase("Running");
                p.spec().init_containers = Some(vec![
                    Container {
                        name: "init1".into(),
                        image: Some("initimage".into()),
                        ..Default::default()
                    },
                    Container {
                        name: "sidecar1".into(),
                        image: Some("sidecarimage".into()),
                        restart_policy: Some("Always".into()),
                        ..Default::default()
                    },
                ]);
                p.spec().containers = vec![Container {
                    name: "container1".into(),
                    image: Some("containerimage".into()),
                    ..Default::default()
                }];
                p.init_statuses(vec![
                    named(cs(false, 0, None), "initinvalid", None),
                    named(cs(false, 0, None), "init1", None),
                    named(cs(false, 0, None), "sidecar1", None),
                ])
                .statuses(vec![
                    named(cs(false, 0, None), "containerinvalid", None),
                    named(cs(false, 0, None), "container1", None),
                ])
            },
            ["test4", "0/2", "Init:0/2", "0", "<unknown>"],
        ),
    ];
    for (name, pod, want) in cases {
        check(name, pod.obj(), false, &want);
    }
}

/// `TestPrintPodwide`.
#[test]
fn test_print_pod_wide() {
    let gated = |ips: &[&str]| {
        let mut p = P::new("test1", 2)
            .phase("podPhase")
            .statuses(vec![cs(true, 3, Some(running())), cs(false, 3, None)])
            .conditions(vec![
                cond("condition1", "False"),
                cond("condition2", "True"),
            ]);
        p.spec().node_name = Some("test1".into());
        p.spec().readiness_gates = Some(
            ["condition1", "condition2", "condition3"]
                .iter()
                .map(|c| PodReadinessGate {
                    condition_type: (*c).into(),
                })
                .collect(),
        );
        p.st().pod_ips = Some(ips.iter().map(|ip| PodIP { ip: (*ip).into() }).collect());
        p.st().nominated_node_name = Some("node1".into());
        p
    };
    let want = [
        "test1",
        "1/2",
        "podPhase",
        "6",
        "<unknown>",
        "1.1.1.1",
        "test1",
        "node1",
        "1/3",
    ];
    check(
        "node name and pod IP set",
        gated(&["1.1.1.1"]).obj(),
        true,
        &want,
    );
    check(
        "dual-stack: the first IP",
        gated(&["1.1.1.1", "2001:db8::"]).obj(),
        true,
        &want,
    );
    let none = P::new("test2", 2).phase("podPhase").statuses(vec![
        cs(true, 3, Some(running())),
        cs(false, 3, Some(waiting("ContainerWaitingReason"))),
    ]);
    check(
        "node name and pod IP unset",
        none.obj(),
        true,
        &[
            "test2",
            "1/2",
            "ContainerWaitingReason",
            "6",
            "<unknown>",
            "<none>",
            "<none>",
            "<none>",
            "<none>",
        ],
    );
}

/// `TestPrintPodConditions`, `TestPrintNonTerminatedPod` and `TestPrintPodList` (the row cells;
/// kubeplay has no row conditions, and `kubectl get` shows every phase).
#[test]
fn test_print_pod_conditions_and_phases() {
    let two = |name: &str, phase: &str, second_ready: bool| {
        P::new(name, 2).phase(phase).statuses(vec![
            cs(true, 3, Some(running())),
            cs(second_ready, 3, None),
        ])
    };
    for (name, phase, second_ready, want) in [
        ("test1", "Running", false, "Running"),
        ("test1", "Succeeded", false, "Succeeded"),
        ("test2", "Failed", false, "Failed"),
        ("test2", "Pending", false, "Pending"),
        ("test3", "Unknown", false, "Unknown"),
        ("test4", "Succeeded", false, "Succeeded"),
        ("test5", "Failed", true, "Failed"),
    ] {
        check(
            phase,
            two(name, phase, second_ready).obj(),
            false,
            &[name, "1/2", want, "6", "<unknown>"],
        );
    }
    // TestPrintPodList
    let list = [
        P::new("test1", 2).phase("podPhase").statuses(vec![
            cs(true, 3, Some(running())),
            cs(true, 3, Some(running())),
        ]),
        P::new("test2", 1)
            .phase("podPhase")
            .statuses(vec![cs(true, 1, Some(running()))]),
    ];
    let rows: Vec<Vec<String>> = list.into_iter().map(|p| cells(p.obj(), false)).collect();
    assert_eq!(
        rows,
        vec![
            vec!["test1", "2/2", "podPhase", "6", "<unknown>"],
            vec!["test2", "1/1", "podPhase", "1", "<unknown>"],
        ]
    );
}

/// `TestPrintPodShowLabels` (older printers_test.go): `--show-labels` prints `labels.FormatLabels`.
#[test]
fn test_print_pod_show_labels() {
    let labels = [("col1", "asd"), ("COL2", "zxc")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(format_labels(Some(&labels)), "COL2=zxc,col1=asd");
    assert_eq!(format_labels(None), "<none>");
}

// ---------------------------------------------------------------------------------------------
// Ages

/// `TestTranslateTimestampSince`.
#[test]
fn test_translate_timestamp_since() {
    let since = |ms: Option<i64>| super::age(ms.map(at).as_ref(), NOW);
    for (name, ms, want) in [
        ("a while from now", Some(2100), "<invalid>"),
        ("almost now", Some(1900), "0s"),
        ("now", Some(0), "0s"),
        ("unknown", None, "<unknown>"),
        ("30 seconds ago", Some(-30 * SEC), "30s"),
        ("5 minutes ago", Some(-5 * MIN), "5m"),
        ("an hour ago", Some(-6000 * SEC), "100m"),
        ("2 days ago", Some(-2 * DAY), "2d"),
        ("months ago", Some(-90 * DAY), "90d"),
        ("10 years ago", Some(-10 * 365 * DAY), "10y"),
    ] {
        assert_eq!(since(ms), want, "{name}");
    }
    // duration_test.go (HumanDuration), the shapes between the thresholds.
    for (ms, want) in [
        (119 * SEC, "119s"),
        (3 * MIN + 2 * SEC, "3m2s"),
        (10 * MIN, "10m"),
        (3 * HOUR + 5 * MIN, "3h5m"),
        (5 * HOUR, "5h"),
        (47 * HOUR, "47h"),
        (2 * DAY + 5 * HOUR, "2d5h"),
        (8 * DAY, "8d"),
        (2 * 365 * DAY + 30 * DAY, "2y30d"),
    ] {
        assert_eq!(since(Some(-ms)), want, "{ms} ms ago");
    }
}

// ---------------------------------------------------------------------------------------------
// Nodes

fn node(name: &str, spec: Option<NodeSpec>, status: NodeStatus) -> Object {
    Object::Node(Node {
        metadata: meta(name),
        spec,
        status: Some(status),
    })
}

fn ready(status: &str) -> NodeCondition {
    NodeCondition {
        type_: "Ready".into(),
        status: status.into(),
        ..Default::default()
    }
}

fn conditions(c: Vec<NodeCondition>) -> NodeStatus {
    NodeStatus {
        conditions: Some(c),
        ..Default::default()
    }
}

fn unschedulable() -> Option<NodeSpec> {
    Some(NodeSpec {
        unschedulable: Some(true),
        ..Default::default()
    })
}

/// `TestPrintNodeStatus`.
#[test]
fn test_print_node_status() {
    let invalid = NodeCondition {
        type_: "InvalidValue".into(),
        status: "True".into(),
        ..Default::default()
    };
    let cases = [
        ("foo1", None, conditions(vec![ready("True")]), "Ready"),
        (
            "foo2",
            unschedulable(),
            conditions(vec![ready("True")]),
            "Ready,SchedulingDisabled",
        ),
        (
            "foo3",
            None,
            conditions(vec![ready("True"), ready("True")]),
            "Ready",
        ),
        ("foo4", None, conditions(vec![ready("False")]), "NotReady"),
        (
            "foo5",
            unschedulable(),
            conditions(vec![ready("False")]),
            "NotReady,SchedulingDisabled",
        ),
        ("foo6", None, conditions(vec![invalid.clone()]), "Unknown"),
        (
            "foo7",
            None,
            conditions(vec![NodeCondition::default()]),
            "Unknown",
        ),
        (
            "foo8",
            unschedulable(),
            conditions(vec![invalid]),
            "Unknown,SchedulingDisabled",
        ),
        (
            "foo9",
            unschedulable(),
            conditions(vec![NodeCondition::default()]),
            "Unknown,SchedulingDisabled",
        ),
    ];
    for (name, spec, status, want) in cases {
        check(
            name,
            node(name, spec, status),
            false,
            &[name, want, "<none>", "<unknown>", ""],
        );
    }
}

/// `TestPrintNodeRole`.
#[test]
fn test_print_node_role() {
    let labelled = |name: &str, labels: &[(&str, &str)]| {
        let mut n = Node {
            metadata: meta(name),
            ..Default::default()
        };
        n.metadata.labels = Some(
            labels
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
        );
        Object::Node(n)
    };
    for (name, labels, want) in [
        ("foo9", vec![], "<none>"),
        (
            "foo10",
            vec![
                ("node-role.kubernetes.io/master", ""),
                ("node-role.kubernetes.io/control-plane", ""),
                ("node-role.kubernetes.io/proxy", ""),
                ("kubernetes.io/role", "node"),
            ],
            "control-plane,master,node,proxy",
        ),
        ("foo11", vec![("kubernetes.io/role", "node")], "node"),
    ] {
        check(
            name,
            labelled(name, &labels),
            false,
            &[name, "Unknown", want, "<unknown>", ""],
        );
    }
}

fn addr(type_: &str, a: &str) -> NodeAddress {
    NodeAddress {
        type_: type_.into(),
        address: a.into(),
    }
}

/// `TestPrintNodeOSImage`, `TestPrintNodeKernelVersion`, `TestPrintNodeContainerRuntimeVersion`,
/// `TestPrintNodeExternalIP`, `TestPrintNodeInternalIP` (wide) and `TestPrintNodeName`.
#[test]
fn test_print_node_wide_columns() {
    let info = |os: &str, kernel: &str, cr: &str| NodeSystemInfo {
        os_image: os.into(),
        kernel_version: kernel.into(),
        container_runtime_version: cr.into(),
        ..Default::default()
    };
    let ext = vec![addr("ExternalIP", "1.1.1.1")];
    let cases: Vec<(&str, NodeSystemInfo, Vec<NodeAddress>, [&str; 5])> = vec![
        (
            "os image",
            info("fake-os-image", "", ""),
            ext.clone(),
            [
                "<none>",
                "1.1.1.1",
                "fake-os-image",
                "<unknown>",
                "<unknown>",
            ],
        ),
        (
            "kernel version",
            info("", "fake-kernel-version", ""),
            ext.clone(),
            [
                "<none>",
                "1.1.1.1",
                "<unknown>",
                "fake-kernel-version",
                "<unknown>",
            ],
        ),
        (
            "container runtime",
            info("", "", "foo://1.2.3"),
            ext.clone(),
            ["<none>", "1.1.1.1", "<unknown>", "<unknown>", "foo://1.2.3"],
        ),
        (
            "nothing known",
            info("", "", ""),
            ext,
            ["<none>", "1.1.1.1", "<unknown>", "<unknown>", "<unknown>"],
        ),
        (
            "internal IP only",
            info("", "", ""),
            vec![addr("InternalIP", "1.1.1.1")],
            ["1.1.1.1", "<none>", "<unknown>", "<unknown>", "<unknown>"],
        ),
        (
            "the first external IP",
            info("", "", ""),
            vec![
                addr("ExternalIP", "2.2.2.2"),
                addr("InternalIP", "3.3.3.3"),
                addr("ExternalIP", "4.4.4.4"),
            ],
            ["3.3.3.3", "2.2.2.2", "<unknown>", "<unknown>", "<unknown>"],
        ),
        (
            "the first internal IP",
            info("", "", ""),
            vec![
                addr("InternalIP", "2.2.2.2"),
                addr("ExternalIP", "3.3.3.3"),
                addr("InternalIP", "4.4.4.4"),
            ],
            ["2.2.2.2", "3.3.3.3", "<unknown>", "<unknown>", "<unknown>"],
        ),
    ];
    for (name, info, addresses, wide) in cases {
        let status = NodeStatus {
            node_info: Some(info),
            addresses: Some(addresses),
            ..Default::default()
        };
        let mut want = vec!["foo1", "Unknown", "<none>", "<unknown>", ""];
        want.extend(wide);
        check(name, node("foo1", None, status), true, &want);
    }
    // TestPrintNodeName
    for name in ["127.0.0.1", ""] {
        check(
            name,
            node(name, None, NodeStatus::default()),
            false,
            &[name, "Unknown", "<none>", "<unknown>", ""],
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Events

fn event(name: &str, type_: &str, kind: &str, obj_name: &str) -> Event {
    Event {
        metadata: meta(name),
        involved_object: ObjectReference {
            kind: Some(kind.into()),
            name: Some(obj_name.into()),
            field_path: Some("spec.containers{foo}".into()),
            ..Default::default()
        },
        reason: Some("Event Reason".into()),
        message: Some("Message Data".into()),
        type_: Some(type_.into()),
        source: Some(EventSource {
            component: Some("kubelet".into()),
            host: Some("Node1".into()),
        }),
        ..Default::default()
    }
}

/// `TestPrintEvent`.
#[test]
fn test_print_event() {
    let mut basic = event("event1", "Normal", "Pod", "Pod Name");
    basic.source = Some(EventSource {
        component: Some("kubelet".into()),
        host: None,
    });
    basic.first_timestamp = Some(at(-3 * DAY));
    basic.last_timestamp = Some(at(-2 * DAY));
    basic.count = Some(6);
    check(
        "basic event",
        Object::Event(basic),
        false,
        &[
            "2d",
            "Normal",
            "Event Reason",
            "pod/Pod Name",
            "Message Data",
        ],
    );

    let deployment = |name: &str| event(name, "Warning", "Deployment", "Deployment Name");
    let wide = |last: &str, count: &str, name: &str, source: &str| {
        vec![
            last.to_string(),
            "Warning".into(),
            "Event Reason".into(),
            "deployment/Deployment Name".into(),
            "spec.containers{foo}".into(),
            source.into(),
            "Message Data".into(),
            "3d".into(),
            count.into(),
            name.into(),
        ]
    };

    let mut e2 = deployment("event2");
    e2.first_timestamp = Some(at(-3 * DAY));
    e2.last_timestamp = Some(at(-2 * DAY));
    e2.count = Some(6);
    assert_eq!(
        cells(Object::Event(e2), true),
        wide("2d", "6", "event2", "kubelet, Node1"),
        "wide"
    );

    let mut e3 = deployment("event3");
    e3.event_time = Some(micro(-3 * DAY));
    e3.last_timestamp = Some(at(-3 * DAY));
    e3.count = Some(1);
    assert_eq!(
        cells(Object::Event(e3), true),
        wide("3d", "1", "event3", "kubelet, Node1"),
        "without firstTimestamp"
    );

    let mut e4 = deployment("event4");
    e4.event_time = Some(micro(-3 * DAY));
    e4.first_timestamp = Some(at(-3 * DAY));
    e4.count = Some(1);
    assert_eq!(
        cells(Object::Event(e4), true),
        wide("3d", "1", "event4", "kubelet, Node1"),
        "without lastTimestamp"
    );

    let mut e5 = deployment("event5");
    e5.event_time = Some(micro(-3 * DAY));
    e5.count = Some(1);
    assert_eq!(
        cells(Object::Event(e5), true),
        wide("3d", "1", "event5", "kubelet, Node1"),
        "without either timestamp"
    );

    let mut e6 = deployment("event6");
    e6.event_time = Some(micro(-3 * DAY));
    e6.series = Some(EventSeries {
        count: Some(2),
        last_observed_time: Some(micro(-2 * DAY)),
    });
    assert_eq!(
        cells(Object::Event(e6), true),
        wide("2d", "2", "event6", "kubelet, Node1"),
        "series"
    );

    let mut e7 = deployment("event7");
    e7.event_time = Some(micro(-3 * DAY));
    assert_eq!(
        cells(Object::Event(e7), true),
        wide("3d", "1", "event7", "kubelet, Node1"),
        "singleton without count"
    );

    let mut e8 = deployment("event2");
    e8.source = None;
    e8.reporting_component = Some("kubelet".into());
    e8.reporting_instance = Some("test".into());
    e8.first_timestamp = Some(at(-3 * DAY));
    e8.last_timestamp = Some(at(-2 * DAY));
    e8.count = Some(6);
    assert_eq!(
        cells(Object::Event(e8), true),
        wide("2d", "6", "event2", "kubelet, test"),
        "empty source"
    );

    // printEvent: an involved object without a name prints its kind alone.
    let mut nameless = event("e", "Normal", "Node", "");
    nameless.count = Some(1);
    assert_eq!(
        cells(Object::Event(nameless), false)
            .get(3)
            .map(String::as_str),
        Some("node")
    );
}

/// The wide event header interleaves the priority-1 columns as `eventColumnDefinitions` does.
#[test]
fn event_wide_headers_follow_column_definitions() {
    use crate::engine::api::Kind;
    assert_eq!(
        super::headers(Kind::Event, true),
        [
            "LAST SEEN",
            "TYPE",
            "REASON",
            "OBJECT",
            "SUBOBJECT",
            "SOURCE",
            "MESSAGE",
            "FIRST SEEN",
            "COUNT",
            "NAME"
        ]
    );
    assert_eq!(
        super::headers(Kind::Event, false),
        ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    );
}

// ---------------------------------------------------------------------------------------------
// Namespaces, controller revisions

/// `TestPrintNamespace`.
#[test]
fn test_print_namespace() {
    let mut ns1 = Namespace {
        metadata: meta("namespace1"),
        status: Some(NamespaceStatus {
            phase: Some("FooStatus".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    ns1.metadata.creation_timestamp = soon();
    check(
        "status and age",
        Object::Namespace(ns1),
        false,
        &["namespace1", "FooStatus", "0s"],
    );
    let ns2 = Namespace {
        metadata: meta("namespace2"),
        ..Default::default()
    };
    check(
        "no status or age",
        Object::Namespace(ns2),
        false,
        &["namespace2", "", "<unknown>"],
    );
}

/// `TestPrintControllerRevision`.
#[test]
fn test_print_controller_revision() {
    let revision = |name: &str, owners: Option<Vec<OwnerReference>>, rev: i64| {
        let mut m = meta(name);
        m.creation_timestamp = soon();
        m.owner_references = owners;
        Object::ControllerRevision(ControllerRevision {
            metadata: m,
            revision: rev,
            data: None,
        })
    };
    let owner = |controller: bool, api_version: &str, kind: &str| OwnerReference {
        controller: Some(controller),
        api_version: api_version.into(),
        kind: kind.into(),
        name: "foo".into(),
        ..Default::default()
    };
    check(
        "controlled by a DaemonSet",
        revision("test1", Some(vec![owner(true, "apps/v1", "DaemonSet")]), 1),
        false,
        &["test1", "daemonset.apps/foo", "1", "0s"],
    );
    check(
        "owner that is not the controller",
        revision("test2", Some(vec![owner(false, "", "ABC")]), 2),
        false,
        &["test2", "<none>", "2", "0s"],
    );
    check(
        "no owners",
        revision("test3", Some(vec![]), 3),
        false,
        &["test3", "<none>", "3", "0s"],
    );
    check(
        "nil owners",
        revision("test4", None, 4),
        false,
        &["test4", "<none>", "4", "0s"],
    );
}

// ---------------------------------------------------------------------------------------------
// DaemonSets, Jobs

fn two_containers(prefix: &str) -> PodTemplateSpec {
    PodTemplateSpec {
        metadata: None,
        spec: Some(PodSpec {
            containers: (1..=2)
                .map(|i| Container {
                    name: format!("fake-{prefix}container{i}"),
                    image: Some(format!("fake-{prefix}image{i}")),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }),
    }
}

fn selector(k: &str, v: &str) -> LabelSelector {
    LabelSelector {
        match_labels: Some([(k.to_string(), v.to_string())].into_iter().collect()),
        ..Default::default()
    }
}

fn daemonset(
    name: &str,
    template: PodTemplateSpec,
    sel: LabelSelector,
    status: [i32; 5],
) -> Object {
    let [current, desired, ready, updated, available] = status;
    let mut m = meta(name);
    m.creation_timestamp = soon();
    Object::DaemonSet(DaemonSet {
        metadata: m,
        spec: Some(DaemonSetSpec {
            template,
            selector: sel,
            ..Default::default()
        }),
        status: Some(DaemonSetStatus {
            current_number_scheduled: current,
            desired_number_scheduled: desired,
            number_ready: ready,
            updated_number_scheduled: Some(updated),
            number_available: Some(available),
            ..Default::default()
        }),
    })
}

/// `TestPrintDaemonSet` and `TestPrintDaemonSetList`.
#[test]
fn test_print_daemon_set() {
    let ds = || {
        daemonset(
            "test1",
            two_containers(""),
            selector("foo", "bar"),
            [2, 3, 1, 2, 0],
        )
    };
    check(
        "no options",
        ds(),
        false,
        &["test1", "3", "2", "1", "2", "0", "<none>", "0s"],
    );
    check(
        "wide",
        ds(),
        true,
        &[
            "test1",
            "3",
            "2",
            "1",
            "2",
            "0",
            "<none>",
            "0s",
            "fake-container1,fake-container2",
            "fake-image1,fake-image2",
            "foo=bar",
        ],
    );
    // TestPrintDaemonSetList
    let list = [
        daemonset(
            "daemonset1",
            two_containers(""),
            LabelSelector::default(),
            [2, 3, 1, 2, 0],
        ),
        daemonset(
            "daemonset2",
            PodTemplateSpec::default(),
            selector("foo", "bar"),
            [4, 2, 9, 3, 3],
        ),
    ];
    let rows: Vec<Vec<String>> = list.into_iter().map(|o| cells(o, false)).collect();
    assert_eq!(
        rows,
        vec![
            vec!["daemonset1", "3", "2", "1", "2", "0", "<none>", "0s"],
            vec!["daemonset2", "2", "4", "9", "3", "3", "<none>", "0s"],
        ]
    );
}

fn job_cond(type_: &str) -> JobCondition {
    JobCondition {
        type_: type_.into(),
        status: "True".into(),
        ..Default::default()
    }
}

fn job(
    name: &str,
    created: Option<Time>,
    completions: Option<i32>,
    status: JobStatus,
    with_template: bool,
) -> Job {
    let mut m = meta(name);
    m.creation_timestamp = created;
    Job {
        metadata: m,
        spec: Some(JobSpec {
            completions,
            template: if with_template {
                two_containers("job-")
            } else {
                PodTemplateSpec::default()
            },
            selector: with_template.then(|| selector("job-label", "job-label-value")),
            ..Default::default()
        }),
        status: Some(status),
    }
}

/// `TestPrintJob` and `TestPrintJobList`.
#[test]
fn test_print_job() {
    let ten_years = Some(at(-10 * 365 * DAY));
    let succeeded = |n: i32| JobStatus {
        succeeded: Some(n),
        ..Default::default()
    };
    let with = |conditions: Vec<JobCondition>| JobStatus {
        succeeded: Some(0),
        conditions: Some(conditions),
        ..Default::default()
    };
    check(
        "job1, no options",
        Object::Job(job("job1", soon(), Some(2), succeeded(1), true)),
        false,
        &["job1", "Running", "1/2", "", "0s"],
    );
    check(
        "job1, wide",
        Object::Job(job("job1", soon(), Some(2), succeeded(1), true)),
        true,
        &[
            "job1",
            "Running",
            "1/2",
            "",
            "0s",
            "fake-job-container1,fake-job-container2",
            "fake-job-image1,fake-job-image2",
            "job-label=job-label-value",
        ],
    );
    check(
        "job2, ten years old",
        Object::Job(job("job2", ten_years.clone(), None, succeeded(0), false)),
        false,
        &["job2", "Running", "0/1", "", "10y"],
    );
    check(
        "job3, with duration",
        Object::Job(job(
            "job3",
            ten_years.clone(),
            None,
            JobStatus {
                succeeded: Some(0),
                start_time: Some(at(MIN)),
                completion_time: Some(at(31 * MIN)),
                ..Default::default()
            },
            false,
        )),
        false,
        &["job3", "Running", "0/1", "30m", "10y"],
    );
    check(
        "job4, running for 20m",
        Object::Job(job(
            "job4",
            ten_years,
            None,
            JobStatus {
                succeeded: Some(0),
                start_time: Some(at(-20 * MIN)),
                ..Default::default()
            },
            false,
        )),
        false,
        &["job4", "Running", "0/1", "20m", "10y"],
    );
    for (name, conditions, want) in [
        ("job5", vec![job_cond("Complete")], "Complete"),
        ("job6", vec![job_cond("Failed")], "Failed"),
        ("job7", vec![job_cond("Suspended")], "Suspended"),
        ("job8", vec![job_cond("FailureTarget")], "FailureTarget"),
    ] {
        check(
            name,
            Object::Job(job(name, soon(), None, with(conditions), false)),
            false,
            &[name, want, "0/1", "", "0s"],
        );
    }
    let mut job9 = job("job9", soon(), None, JobStatus::default(), false);
    job9.metadata.deletion_timestamp = soon();
    check(
        "job9, deleting",
        Object::Job(job9),
        false,
        &["job9", "Terminating", "0/1", "", "0s"],
    );
    // hasJobCondition: the first condition of a type decides.
    let mut not_done = job_cond("Complete");
    not_done.status = "False".into();
    check(
        "a False condition before a True one of the same type",
        Object::Job(job(
            "job10",
            soon(),
            None,
            with(vec![not_done, job_cond("Complete")]),
            false,
        )),
        false,
        &["job10", "Running", "0/1", "", "0s"],
    );
    // TestPrintJobList
    let list = [
        job("job1", soon(), Some(2), succeeded(1), true),
        job(
            "job2",
            soon(),
            Some(2),
            JobStatus {
                succeeded: Some(2),
                start_time: Some(at(-20 * MIN)),
                ..Default::default()
            },
            true,
        ),
    ];
    let rows: Vec<Vec<String>> = list
        .into_iter()
        .map(|j| cells(Object::Job(j), false))
        .collect();
    assert_eq!(
        rows,
        vec![
            vec!["job1", "Running", "1/2", "", "0s"],
            vec!["job2", "Running", "2/2", "20m", "0s"],
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Services, EndpointSlices

fn port(port: i32, protocol: &str, node_port: Option<i32>) -> ServicePort {
    ServicePort {
        port,
        protocol: Some(protocol.into()),
        node_port,
        ..Default::default()
    }
}

fn service(
    name: &str,
    type_: &str,
    cluster_ip: Option<&str>,
    ports: Vec<ServicePort>,
    ingress: &[(&str, &str)],
) -> Service {
    Service {
        metadata: meta(name),
        spec: Some(ServiceSpec {
            type_: Some(type_.into()),
            cluster_ips: cluster_ip.map(|ip| vec![ip.to_string()]),
            ports: (!ports.is_empty()).then_some(ports),
            ..Default::default()
        }),
        status: (!ingress.is_empty()).then(|| ServiceStatus {
            load_balancer: Some(LoadBalancerStatus {
                ingress: Some(
                    ingress
                        .iter()
                        .map(|(ip, host)| LoadBalancerIngress {
                            ip: (!ip.is_empty()).then(|| ip.to_string()),
                            hostname: (!host.is_empty()).then(|| host.to_string()),
                            ..Default::default()
                        })
                        .collect(),
                ),
            }),
            ..Default::default()
        }),
    }
}

/// `TestPrintServiceLoadBalancer`.
#[test]
fn test_print_service_load_balancer() {
    let three = || {
        vec![
            port(80, "TCP", None),
            port(8090, "UDP", None),
            port(8000, "TCP", None),
        ]
    };
    let lb3 = [("2.3.4.5", ""), ("3.4.5.6", ""), ("5.6.7.8", "host5678")];
    let cases: Vec<(&str, Service, bool, Vec<&str>)> = vec![
        (
            "multiple external IPs",
            service(
                "service1",
                "LoadBalancer",
                Some("1.2.3.4"),
                vec![port(80, "TCP", None)],
                &[("2.3.4.5", ""), ("3.4.5.6", "")],
            ),
            false,
            vec![
                "service1",
                "LoadBalancer",
                "1.2.3.4",
                "2.3.4.5,3.4.5.6",
                "80/TCP",
                "<unknown>",
            ],
        ),
        (
            "pending external IP",
            service(
                "service2",
                "LoadBalancer",
                Some("1.3.4.5"),
                vec![
                    port(80, "TCP", None),
                    port(8090, "UDP", None),
                    port(8000, "TCP", None),
                    port(7777, "SCTP", None),
                ],
                &[],
            ),
            false,
            vec![
                "service2",
                "LoadBalancer",
                "1.3.4.5",
                "<pending>",
                "80/TCP,8090/UDP,8000/TCP,7777/SCTP",
                "<unknown>",
            ],
        ),
        (
            "multiple ports",
            service(
                "service3",
                "LoadBalancer",
                Some("1.4.5.6"),
                three(),
                &[("2.3.4.5", "")],
            ),
            false,
            vec![
                "service3",
                "LoadBalancer",
                "1.4.5.6",
                "2.3.4.5",
                "80/TCP,8090/UDP,8000/TCP",
                "<unknown>",
            ],
        ),
        (
            "long external IP list gets elided",
            service("service4", "LoadBalancer", Some("1.5.6.7"), three(), &lb3),
            false,
            vec![
                "service4",
                "LoadBalancer",
                "1.5.6.7",
                "2.3.4.5,3.4.5...",
                "80/TCP,8090/UDP,8000/TCP",
                "<unknown>",
            ],
        ),
        (
            "wide: no elision, selector",
            {
                let mut s = service("service4", "LoadBalancer", Some("1.5.6.7"), three(), &lb3);
                if let Some(spec) = s.spec.as_mut() {
                    spec.selector = Some([("foo".into(), "bar".into())].into_iter().collect());
                }
                s
            },
            true,
            vec![
                "service4",
                "LoadBalancer",
                "1.5.6.7",
                "2.3.4.5,3.4.5.6,5.6.7.8",
                "80/TCP,8090/UDP,8000/TCP",
                "<unknown>",
                "foo=bar",
            ],
        ),
    ];
    for (name, svc, wide, want) in cases {
        check(name, Object::Service(svc), wide, &want);
    }
}

/// `TestPrintService` and `TestPrintServiceList`.
#[test]
fn test_print_service() {
    let with_selector = |mut s: Service| {
        if let Some(spec) = s.spec.as_mut() {
            spec.selector = Some([("foo".into(), "bar".into())].into_iter().collect());
        }
        s
    };
    let with_external = |mut s: Service, ips: &[&str]| {
        if let Some(spec) = s.spec.as_mut() {
            spec.external_ips = Some(ips.iter().map(|s| (*s).to_string()).collect());
        }
        s
    };
    let test1 = || {
        with_selector(service(
            "test1",
            "ClusterIP",
            Some("10.9.8.7"),
            vec![port(2233, "tcp", None)],
            &[],
        ))
    };
    let lb = |name: &str, ingress: &[(&str, &str)]| {
        service(
            name,
            "LoadBalancer",
            Some("10.9.8.7"),
            vec![port(8888, "tcp", None)],
            ingress,
        )
    };
    let cases: Vec<(&str, Service, bool, Vec<&str>)> = vec![
        (
            "cluster IP, port with protocol; selector not printed",
            test1(),
            false,
            vec![
                "test1",
                "ClusterIP",
                "10.9.8.7",
                "<none>",
                "2233/tcp",
                "<unknown>",
            ],
        ),
        (
            "wide includes selectors",
            test1(),
            true,
            vec![
                "test1",
                "ClusterIP",
                "10.9.8.7",
                "<none>",
                "2233/tcp",
                "<unknown>",
                "foo=bar",
            ],
        ),
        (
            "NodePort",
            service(
                "test2",
                "NodePort",
                Some("10.9.8.7"),
                vec![port(8888, "tcp", Some(9999))],
                &[],
            ),
            false,
            vec![
                "test2",
                "NodePort",
                "10.9.8.7",
                "<none>",
                "8888:9999/tcp",
                "<unknown>",
            ],
        ),
        (
            "LoadBalancer",
            lb("test3", &[]),
            false,
            vec![
                "test3",
                "LoadBalancer",
                "10.9.8.7",
                "<pending>",
                "8888/tcp",
                "<unknown>",
            ],
        ),
        (
            "LoadBalancer with an external IP and no status",
            with_external(lb("test4", &[]), &["80.11.12.10"]),
            false,
            vec![
                "test4",
                "LoadBalancer",
                "10.9.8.7",
                "80.11.12.10",
                "8888/tcp",
                "<unknown>",
            ],
        ),
        (
            "LoadBalancer with an external IP",
            with_external(
                lb("test5", &[("3.4.5.6", "test.cluster.com")]),
                &["80.11.12.10"],
            ),
            false,
            vec![
                "test5",
                "LoadBalancer",
                "10.9.8.7",
                "3.4.5.6,80.11.12.10",
                "8888/tcp",
                "<unknown>",
            ],
        ),
        (
            "LoadBalancer with external IPs",
            with_external(
                lb(
                    "test6",
                    &[
                        ("2.3.4.5", "test.cluster.local"),
                        ("3.4.5.6", "test.cluster.com"),
                    ],
                ),
                &["80.11.12.10", "80.11.12.11"],
            ),
            false,
            vec![
                "test6",
                "LoadBalancer",
                "10.9.8.7",
                "2.3.4.5,3.4.5.6,80.11.12.10,80.11.12.11",
                "8888/tcp",
                "<unknown>",
            ],
        ),
        (
            "ExternalName",
            {
                let mut s = service("test7", "ExternalName", None, vec![], &[]);
                if let Some(spec) = s.spec.as_mut() {
                    spec.external_name = Some("my.database.example.com".into());
                }
                s
            },
            false,
            vec![
                "test7",
                "ExternalName",
                "<none>",
                "my.database.example.com",
                "<none>",
                "<unknown>",
            ],
        ),
        (
            "TestPrintServiceList service2",
            service(
                "service2",
                "NodePort",
                Some("1.2.3.4"),
                vec![port(5566, "udp", None)],
                &[],
            ),
            false,
            vec![
                "service2",
                "NodePort",
                "1.2.3.4",
                "<none>",
                "5566/udp",
                "<unknown>",
            ],
        ),
    ];
    for (name, svc, wide, want) in cases {
        check(name, Object::Service(svc), wide, &want);
    }
}

/// `TestPrintEndpointSlice`.
#[test]
fn test_print_endpoint_slice() {
    let slice = |name: &str, age_ms: i64, family: &str, ports: &[(&str, i32)], eps: &[&[&str]]| {
        let mut m = meta(name);
        m.creation_timestamp = Some(at(age_ms));
        Object::EndpointSlice(EndpointSlice {
            metadata: m,
            address_type: family.into(),
            ports: Some(
                ports
                    .iter()
                    .map(|(n, p)| EndpointPort {
                        name: Some((*n).into()),
                        port: Some(*p),
                        protocol: Some("TCP".into()),
                        ..Default::default()
                    })
                    .collect(),
            ),
            endpoints: eps
                .iter()
                .map(|a| Endpoint {
                    addresses: a.iter().map(|s| (*s).to_string()).collect(),
                    ..Default::default()
                })
                .collect(),
        })
    };
    let two: &[&[&str]] = &[
        &["10.1.2.3", "2001:db8::1234:5678"],
        &["10.2.3.4", "2001:db8::2345:6789"],
    ];
    check(
        "abcslice.123",
        slice(
            "abcslice.123",
            1900,
            "IPv4",
            &[("http", 80)],
            &[&["10.1.2.3", "2001:db8::1234:5678"]],
        ),
        false,
        &[
            "abcslice.123",
            "IPv4",
            "80",
            "10.1.2.3,2001:db8::1234:5678",
            "0s",
        ],
    );
    check(
        "longerslicename.123",
        slice(
            "longerslicename.123",
            -5 * MIN,
            "IPv6",
            &[("http", 80), ("https", 443)],
            two,
        ),
        false,
        &[
            "longerslicename.123",
            "IPv6",
            "80,443",
            "10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...",
            "5m",
        ],
    );
    check(
        "multiportslice.123",
        slice(
            "multiportslice.123",
            -5 * MIN,
            "IPv4",
            &[
                ("http", 80),
                ("https", 443),
                ("extra1", 3000),
                ("extra2", 3001),
            ],
            two,
        ),
        false,
        &[
            "multiportslice.123",
            "IPv4",
            "80,443,3000 + 1 more...",
            "10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...",
            "5m",
        ],
    );
    // formatDiscoveryPorts: a port without a number prints its name, or `*`; none at all
    // `<unset>`.
    let Object::EndpointSlice(mut es) = slice("x", 0, "IPv4", &[], &[]) else {
        unreachable!()
    };
    es.ports = Some(vec![
        EndpointPort {
            name: Some("http".into()),
            ..Default::default()
        },
        EndpointPort::default(),
    ]);
    assert_eq!(
        cells(Object::EndpointSlice(es), false),
        ["x", "IPv4", "http,*", "<unset>", "0s"]
    );
}

/// `DescribeEvents` (describe.go) and `getInterval` (kubectl events): the AGE / LAST SEEN cell.
#[test]
fn test_describe_events_interval() {
    let interval = |e: &Event| super::event_interval(e, NOW);
    let mut single = event("e1", "Normal", "Pod", "p");
    single.first_timestamp = Some(at(-3 * DAY));
    single.last_timestamp = Some(at(-2 * DAY));
    single.count = Some(1);
    assert_eq!(
        interval(&single),
        "3d",
        "a single event shows its first time"
    );
    let mut repeated = single.clone();
    repeated.count = Some(6);
    assert_eq!(interval(&repeated), "2d (x6 over 3d)");
    let mut micro_first = repeated.clone();
    micro_first.event_time = Some(micro(-4 * DAY));
    assert_eq!(
        interval(&micro_first),
        "2d (x6 over 4d)",
        "eventTime wins over firstTimestamp"
    );
    let mut series = event("e2", "Warning", "Pod", "p");
    series.event_time = Some(micro(-3 * DAY));
    series.series = Some(EventSeries {
        count: Some(2),
        last_observed_time: Some(micro(-2 * DAY)),
    });
    assert_eq!(interval(&series), "2d (x2 over 3d)");
    let mut no_last = repeated;
    no_last.last_timestamp = None;
    assert_eq!(interval(&no_last), "<unknown> (x6 over 3d)");
}
