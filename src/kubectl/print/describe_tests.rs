//! Upstream's describer tests (`k8s.io/kubectl/pkg/describe/describe_test.go`), mirrored
//! against the describers in [`super`] with the same objects and expected text.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetSpec};
use k8s_openapi::api::batch::v1::{Job, JobSpec, JobStatus};
use k8s_openapi::api::core::v1::{
    ConfigMapEnvSource, Container, ContainerPort, ContainerState, ContainerStateRunning,
    ContainerStateTerminated, ContainerStateWaiting, ContainerStatus, EnvFromSource, Event,
    EventSource, LoadBalancerIngress, LoadBalancerStatus, ObjectReference, Pod, PodSpec, PodStatus,
    PodTemplateSpec, Service, ServicePort, ServiceSpec, ServiceStatus, Taint, VolumeMount,
};
use k8s_openapi::api::discovery::v1::{Endpoint, EndpointConditions, EndpointPort, EndpointSlice};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::*;

const NOW: SimTime = SimTime(10 * 365 * 86_400_000);

fn at(ms: u64) -> Time {
    SimTime(NOW.0 - ms).to_k8s()
}

fn run(f: impl FnOnce(&mut W)) -> String {
    let mut w = W::default();
    f(&mut w);
    tabwriter(&w.text, 0, 2)
}

fn meta(ns: &str, name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        namespace: (!ns.is_empty()).then(|| ns.to_string()),
        ..Default::default()
    }
}

/// `TestDescribeService` "test-AppProtocol": every optional line of a LoadBalancer service.
#[test]
fn describe_service_app_protocol() {
    let svc = Service {
        metadata: meta("foo", "bar"),
        spec: Some(ServiceSpec {
            type_: Some("LoadBalancer".into()),
            ports: Some(vec![ServicePort {
                name: Some("port-tcp".into()),
                port: 8080,
                protocol: Some("TCP".into()),
                app_protocol: Some("example.com/custom-protocol".into()),
                target_port: Some(IntOrString::Int(9527)),
                node_port: Some(31111),
            }]),
            selector: Some(BTreeMap::from([("blah".into(), "heh".into())])),
            cluster_ip: Some("1.2.3.4".into()),
            ip_families: Some(vec!["IPv4".into()]),
            load_balancer_ip: Some("5.6.7.8".into()),
            session_affinity: Some("None".into()),
            external_traffic_policy: Some("Local".into()),
            internal_traffic_policy: Some("Cluster".into()),
            health_check_node_port: Some(32222),
            ..Default::default()
        }),
        status: Some(ServiceStatus {
            load_balancer: Some(LoadBalancerStatus {
                ingress: Some(vec![LoadBalancerIngress {
                    ip: Some("5.6.7.8".into()),
                    ip_mode: Some("VIP".into()),
                    ..Default::default()
                }]),
            }),
            ..Default::default()
        }),
    };
    let ep = |ip: &str| Endpoint {
        addresses: vec![ip.into()],
        conditions: Some(EndpointConditions {
            ready: Some(true),
            ..Default::default()
        }),
        ..Default::default()
    };
    let slice = EndpointSlice {
        metadata: meta("foo", "bar-abcde"),
        address_type: "IPv4".into(),
        endpoints: vec![ep("10.244.0.1"), ep("10.244.0.2"), ep("10.244.0.3")],
        ports: Some(vec![EndpointPort {
            name: Some("port-tcp".into()),
            port: Some(9527),
            protocol: Some("TCP".into()),
            ..Default::default()
        }]),
    };
    let out = run(|w| {
        service(w, &svc, &[&slice]);
        describe_events(w, &[], NOW);
    });
    let want = "\
Name:                     bar
Namespace:                foo
Labels:                   <none>
Annotations:              <none>
Selector:                 blah=heh
Type:                     LoadBalancer
IP Families:              IPv4
IP:                       1.2.3.4
IPs:                      <none>
Desired LoadBalancer IP:  5.6.7.8
LoadBalancer Ingress:     5.6.7.8 (VIP)
Port:                     port-tcp  8080/TCP
TargetPort:               9527/TCP
AppProtocol:              example.com/custom-protocol
NodePort:                 port-tcp  31111/TCP
Endpoints:                10.244.0.1:9527,10.244.0.2:9527,10.244.0.3:9527
Session Affinity:         None
External Traffic Policy:  Local
Internal Traffic Policy:  Cluster
HealthCheck NodePort:     32222
Events:                   <none>
";
    assert_eq!(out, want);
    // formatEndpointSlices: no slices, a fourth endpoint, a not-ready one.
    assert_eq!(format_endpoint_slices(&[], "port-tcp"), "<none>");
    let mut more = slice.clone();
    more.endpoints.push(ep("10.244.0.4"));
    let mut not_ready = ep("10.244.0.5");
    not_ready.conditions = Some(EndpointConditions {
        ready: Some(false),
        ..Default::default()
    });
    more.endpoints.push(not_ready);
    assert_eq!(
        format_endpoint_slices(&[&more], "port-tcp"),
        "10.244.0.1:9527,10.244.0.2:9527,10.244.0.3:9527 + 1 more..."
    );
    assert_eq!(format_endpoint_slices(&[&more], "other"), "");
    // A slice without ports lists bare addresses; an IPv6 address with a port is bracketed.
    let mut bare = slice.clone();
    bare.ports = None;
    assert_eq!(
        format_endpoint_slices(&[&bare], "port-tcp"),
        "10.244.0.1,10.244.0.2,10.244.0.3"
    );
    let mut v6 = slice.clone();
    v6.endpoints = vec![ep("fd00::1")];
    assert_eq!(format_endpoint_slices(&[&v6], "port-tcp"), "[fd00::1]:9527");
}

fn state_running(started: u64) -> ContainerState {
    ContainerState {
        running: Some(ContainerStateRunning {
            started_at: Some(at(started)),
        }),
        ..Default::default()
    }
}

/// `TestDescribeContainers`: the state lines, the last state only for a termination, ports
/// with names, env from a config map, mounts sorted by path.
#[test]
fn describe_containers() {
    let c = Container {
        name: "test".into(),
        image: Some("image".into()),
        ports: Some(vec![ContainerPort {
            container_port: 8080,
            name: Some("web".into()),
            protocol: Some("TCP".into()),
            ..Default::default()
        }]),
        env_from: Some(vec![EnvFromSource {
            config_map_ref: Some(ConfigMapEnvSource {
                name: "a123".into(),
                optional: None,
            }),
            prefix: Some("p_".into()),
            ..Default::default()
        }]),
        volume_mounts: Some(vec![
            VolumeMount {
                name: "b".into(),
                mount_path: "/z".into(),
                sub_path: Some("sub".into()),
                ..Default::default()
            },
            VolumeMount {
                name: "a".into(),
                mount_path: "/a".into(),
                read_only: Some(true),
                ..Default::default()
            },
        ]),
        ..Default::default()
    };
    let status = |state: ContainerState, last: ContainerState| ContainerStatus {
        name: "test".into(),
        state: Some(state),
        last_state: Some(last),
        ready: true,
        restart_count: 7,
        image_id: "sha".into(),
        ..Default::default()
    };
    let describe = |st: ContainerStatus| {
        run(|w| {
            containers(
                w,
                "Containers",
                std::slice::from_ref(&c),
                Some(&vec![st]),
                false,
                None,
            )
        })
    };
    let waiting = ContainerState {
        waiting: Some(ContainerStateWaiting {
            reason: Some("potato".into()),
            message: Some("not shown".into()),
        }),
        ..Default::default()
    };
    let out = describe(status(waiting, state_running(0)));
    let want = "\
Containers:
  test:
    Container ID:   
    Image:          image
    Image ID:       sha
    Port:           8080/TCP (web)
    Host Port:      0/TCP (web)
    State:          Waiting
      Reason:       potato
    Ready:          True
    Restart Count:  7
    Environment Variables from:
      a123        ConfigMap with prefix 'p_'  Optional: false
    Environment:  <none>
    Mounts:
      /a from a (ro)
      /z from b (rw,path=\"sub\")
";
    assert_eq!(out, want);
    let terminated = ContainerState {
        terminated: Some(ContainerStateTerminated {
            reason: Some("potato".into()),
            exit_code: 2,
            started_at: Some(at(20_000)),
            ..Default::default()
        }),
        ..Default::default()
    };
    let out = describe(status(state_running(5000), terminated));
    assert!(
        out.contains("    State:          Running\n      Started:      "),
        "{out}"
    );
    assert!(
        out.contains(
            "    Last State:     Terminated\n      Reason:       potato\n      Exit Code:    2\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("      Finished:     Mon, 01 Jan 0001 00:00:00 +0000\n"),
        "{out}"
    );
}

/// `TestDescribeDaemonSet`: selector, node selector and the pod counts.
#[test]
fn describe_daemon_set() {
    let ds = DaemonSet {
        metadata: meta("foo", "bar"),
        spec: Some(DaemonSetSpec {
            selector: LabelSelector {
                match_labels: Some(BTreeMap::from([("node".into(), "foo".into())])),
                ..Default::default()
            },
            template: PodTemplateSpec {
                spec: Some(PodSpec {
                    containers: vec![Container {
                        name: "c".into(),
                        image: Some("mytest-image:latest".into()),
                        ..Default::default()
                    }],
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        }),
        status: None,
    };
    let out = run(|w| daemon_set(w, &ds, (1, 2, 3, 4)));
    for want in [
        "Name:           bar\n",
        "Selector:       node=foo\n",
        "Node-Selector:  <none>\n",
        "Desired Number of Nodes Scheduled: 0\n",
        "Number of Nodes Misscheduled: 0\n",
        "Pods Status:  1 Running / 2 Waiting / 3 Succeeded / 4 Failed\n",
        "  Containers:\n   c:\n    Image:         mytest-image:latest\n",
        "  Volumes:         <none>\n",
    ] {
        assert!(out.contains(want), "{want:?} in\n{out}");
    }
}

/// `describeJob`: defaulted fields only when set, duration only once complete, completed
/// indexes for an indexed job (`capIndexesListOrNone`).
#[test]
fn describe_job() {
    let mut j = Job {
        metadata: meta("foo", "bar"),
        spec: Some(JobSpec {
            completion_mode: Some("Indexed".into()),
            completions: None,
            ..Default::default()
        }),
        status: Some(JobStatus {
            start_time: Some(at(90_000)),
            ..Default::default()
        }),
    };
    let out = run(|w| job(w, &j));
    assert!(out.contains("Completions:        <unset>\n"), "{out}");
    assert!(
        !out.contains("Parallelism") && !out.contains("Duration"),
        "{out}"
    );
    assert!(
        out.contains("Pods Statuses:      0 Active / 0 Succeeded / 0 Failed\n"),
        "{out}"
    );
    assert!(out.contains("Completed Indexes:  <none>\n"), "{out}");
    if let Some(st) = j.status.as_mut() {
        st.completion_time = Some(at(0));
        st.ready = Some(0);
        st.completed_indexes = Some("1-3,5".into());
    }
    let out = run(|w| job(w, &j));
    assert!(out.contains("Duration:           90s\n"), "{out}");
    assert!(out.contains("0 Active (0 Ready) / 0 Succeeded"), "{out}");
    assert!(out.contains("Completed Indexes:  1-3,5\n"), "{out}");
    let long = (0..40)
        .map(|i| (i * 2).to_string())
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(
        cap_indexes(&long, 50),
        "0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,...",
    );
    assert_eq!(cap_indexes("", 50), "<none>");
}

fn event(name: &str, reason: &str, last: u64) -> Event {
    Event {
        metadata: meta("foo", name),
        involved_object: ObjectReference::default(),
        reason: Some(reason.into()),
        message: Some(format!(" {reason} message ")),
        source: Some(EventSource {
            component: Some("kubelet".into()),
            host: None,
        }),
        first_timestamp: Some(at(last)),
        last_timestamp: Some(at(last)),
        count: Some(1),
        type_: Some("Normal".into()),
        ..Default::default()
    }
}

/// `TestPodDescribeResultsSorted` / `DescribeEvents`: by last timestamp, ties in list order,
/// messages trimmed.
#[test]
fn describe_events_sorted() {
    let a = event("a", "Late", 1000);
    let b = event("b", "Early", 60_000);
    let c = event("c", "Tie", 1000);
    let out = run(|w| describe_events(w, &[&a, &b, &c], NOW));
    let want = "\
Events:
  Type    Reason  Age   From     Message
  ----    ------  ----  ----     -------
  Normal  Early   60s   kubelet  Early message
  Normal  Late    1s    kubelet  Late message
  Normal  Tie     1s    kubelet  Tie message
";
    assert_eq!(out, want);
}

/// `TestDescribeNode`'s shape: taints sorted by effect then key, the empty column after the
/// pod name, requests as `PodRequests` sums them (an init container's larger request wins).
#[test]
fn describe_node_taints_and_pods() {
    let taint = |key: &str, effect: &str| Taint {
        key: key.into(),
        effect: effect.into(),
        ..Default::default()
    };
    let n = Node {
        metadata: ObjectMeta {
            name: Some("n1".into()),
            creation_timestamp: Some(at(0)),
            ..Default::default()
        },
        spec: Some(k8s_openapi::api::core::v1::NodeSpec {
            taints: Some(vec![
                taint("b", "NoSchedule"),
                taint("a", "NoSchedule"),
                taint("z", "NoExecute"),
            ]),
            ..Default::default()
        }),
        status: Some(k8s_openapi::api::core::v1::NodeStatus {
            allocatable: Some(BTreeMap::from([
                (
                    "cpu".into(),
                    k8s_openapi::apimachinery::pkg::api::resource::Quantity("4".into()),
                ),
                (
                    "memory".into(),
                    k8s_openapi::apimachinery::pkg::api::resource::Quantity("1Gi".into()),
                ),
            ])),
            ..Default::default()
        }),
    };
    let req = |cpu: &str| k8s_openapi::api::core::v1::ResourceRequirements {
        requests: Some(BTreeMap::from([(
            "cpu".into(),
            k8s_openapi::apimachinery::pkg::api::resource::Quantity(cpu.into()),
        )])),
        ..Default::default()
    };
    let p = Pod {
        metadata: ObjectMeta {
            name: Some("web".into()),
            namespace: Some("default".into()),
            creation_timestamp: Some(at(120_000)),
            ..Default::default()
        },
        spec: Some(PodSpec {
            containers: vec![Container {
                name: "c".into(),
                resources: Some(req("100m")),
                ..Default::default()
            }],
            init_containers: Some(vec![Container {
                name: "i".into(),
                resources: Some(req("1")),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        status: Some(PodStatus::default()),
    };
    let out = run(|w| node(w, &n, None, &[&p], NOW));
    assert!(
        out.contains("Taints:             z:NoExecute\n                    a:NoSchedule\n                    b:NoSchedule\n"),
        "{out}"
    );
    assert!(
        out.contains("  Namespace                   Name    CPU Requests  CPU Limits"),
        "{out}"
    );
    assert!(
        out.contains("  default                     web     1 (25%)       0 (0%)"),
        "{out}"
    );
    assert!(
        out.contains("  cpu                1 (25%)   0 (0%)\n"),
        "{out}"
    );
}

/// `printAnnotationsMultiline`: a value past 140 characters goes under its key, cut at 138.
#[test]
fn describe_long_annotation() {
    let long = "x".repeat(150);
    let a = BTreeMap::from([("k".to_string(), long), ("s".to_string(), "v".to_string())]);
    let out = run(|w| annotations(w, 0, Some(&a)));
    let want = format!(
        "Annotations:  k:\n                {}...\n              s: v\n",
        "x".repeat(138)
    );
    assert_eq!(out, want);
}

/// `describePod`: a terminating pod whose grace period still runs shows `<invalid>`; a
/// finished one its phase.
#[test]
fn describe_pod_terminating() {
    let mut p = Pod {
        metadata: ObjectMeta {
            name: Some("bar".into()),
            namespace: Some("foo".into()),
            deletion_timestamp: Some(SimTime(NOW.0 + 30_000).to_k8s()),
            deletion_grace_period_seconds: Some(30),
            ..Default::default()
        },
        spec: Some(PodSpec::default()),
        status: Some(PodStatus {
            phase: Some("Running".into()),
            ..Default::default()
        }),
    };
    let out = run(|w| pod(w, &p, NOW));
    assert!(out.contains("Status:                    Terminating (lasts <invalid>)\nTermination Grace Period:  30s\n"), "{out}");
    assert!(
        !out.contains("Priority") && !out.contains("Service Account"),
        "{out}"
    );
    if let Some(st) = p.status.as_mut() {
        st.phase = Some("Succeeded".into());
    }
    let out = run(|w| pod(w, &p, NOW));
    assert!(out.contains("Status:       Succeeded\n"), "{out}");
}
