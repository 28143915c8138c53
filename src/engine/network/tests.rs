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

fn node(name: &str, taint: bool) -> Object {
    let mut spec = serde_json::json!({});
    if taint {
        spec["taints"] =
            serde_json::json!([{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]);
    }
    obj(
        serde_json::json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}, "spec": spec}),
    )
}

fn service(name: &str, headless: bool, port: i32) -> Object {
    let mut spec = serde_json::json!({"selector": {"app": "exp"}, "ports": [{"port": port, "targetPort": 9100}]});
    if headless {
        spec["clusterIP"] = serde_json::json!("None");
    }
    obj(serde_json::json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": name, "namespace": "default"}, "spec": spec}))
}

/// Three nodes, the third tainted; a hostPort DaemonSet `exp` on the other two; a headless
/// Service `exp-dns` and a ClusterIP Service `exp-vip` (port 80 → 9100).
fn cluster() -> Cluster {
    let mut c = Cluster::new(11);
    c.create(node("n1", false)).unwrap();
    c.create(node("n2", false)).unwrap();
    c.create(node("n3", true)).unwrap();
    c.create(obj(
        serde_json::json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "exp", "namespace": "default"},
        "spec": {"selector": {"matchLabels": {"app": "exp"}},
            "template": {"metadata": {"labels": {"app": "exp"}},
                "spec": {"containers": [{"name": "exp", "image": "prom/node-exporter",
                    "ports": [{"containerPort": 9100, "hostPort": 9100}]}]}}}}),
    ))
    .unwrap();
    c.create(service("exp-dns", true, 9100)).unwrap();
    c.create(service("exp-vip", false, 80)).unwrap();
    c.run_until_idle(60_000);
    c
}

fn pod_on(c: &Cluster, node: &str) -> (String, String) {
    let p = c
        .store()
        .pods()
        .find(|p| p.spec.as_ref().unwrap().node_name.as_deref() == Some(node))
        .unwrap();
    (p.metadata.name.clone().unwrap(), pod_ip(p))
}

#[test]
fn dns_table() {
    let c = cluster();
    let (_, ip1) = pod_on(&c, "n1");
    let (_, ip2) = pod_on(&c, "n2");
    let mut pod_ips = vec![ip1, ip2];
    pod_ips.sort();
    struct Case {
        name: &'static str,
        query: &'static str,
        client_ns: &'static str,
        want: DnsAnswer,
    }
    let headless = DnsAnswer::Records {
        fqdn: "exp-dns.default.svc.cluster.local".to_string(),
        addresses: pod_ips.clone(),
    };
    let vip = DnsAnswer::Records {
        fqdn: "exp-vip.default.svc.cluster.local".to_string(),
        addresses: vec!["10.96.0.11".to_string()],
    };
    let cases = vec![
        Case {
            name: "HeadlessShortName",
            query: "exp-dns",
            client_ns: "default",
            want: headless.clone(),
        },
        Case {
            name: "HeadlessNameNs",
            query: "exp-dns.default",
            client_ns: "kube-system",
            want: headless.clone(),
        },
        Case {
            name: "HeadlessNameNsSvc",
            query: "exp-dns.default.svc",
            client_ns: "kube-system",
            want: headless.clone(),
        },
        Case {
            name: "HeadlessFqdn",
            query: "exp-dns.default.svc.cluster.local.",
            client_ns: "kube-system",
            want: headless,
        },
        Case {
            name: "ClusterIPService",
            query: "exp-vip",
            client_ns: "default",
            want: vip,
        },
        Case {
            name: "KubernetesService",
            query: "kubernetes.default",
            client_ns: "kube-system",
            want: DnsAnswer::Records {
                fqdn: "kubernetes.default.svc.cluster.local".to_string(),
                addresses: vec!["10.96.0.1".to_string()],
            },
        },
        Case {
            name: "ShortNameOtherNamespace",
            query: "exp-dns",
            client_ns: "kube-system",
            want: DnsAnswer::NxDomain {
                fqdn: "exp-dns.kube-system.svc.cluster.local".to_string(),
            },
        },
        Case {
            name: "Unknown",
            query: "nope",
            client_ns: "default",
            want: DnsAnswer::NxDomain {
                fqdn: "nope.default.svc.cluster.local".to_string(),
            },
        },
    ];
    for case in cases {
        assert_eq!(
            dns(c.store(), case.query, case.client_ns),
            case.want,
            "{}",
            case.name
        );
    }
    let (text, ok) = format_nslookup(&dns(c.store(), "nope", "default"));
    assert!(!ok);
    assert!(text.ends_with("** server can't find nope.default.svc.cluster.local: NXDOMAIN\n"));
}

#[test]
fn curl_table() {
    let c = cluster();
    let (pod1, ip1) = pod_on(&c, "n1");
    let (pod2, _) = pod_on(&c, "n2");
    let node_ip_of = |n: &str| node_ip(c.store().node(n).unwrap()).unwrap();
    struct Case {
        name: &'static str,
        target: String,
        port: i32,
        /// The pod that must answer, or the curl exit code of the failure.
        want: Result<String, i32>,
    }
    let cases = vec![
        Case {
            name: "HostPortOnNodeWithDaemon",
            target: node_ip_of("n1"),
            port: 9100,
            want: Ok(pod1.clone()),
        },
        Case {
            name: "HostPortOnOtherNode",
            target: node_ip_of("n2"),
            port: 9100,
            want: Ok(pod2.clone()),
        },
        Case {
            name: "HostPortOnNodeWithoutDaemon",
            target: node_ip_of("n3"),
            port: 9100,
            want: Err(7),
        },
        Case {
            name: "HostPortWrongPort",
            target: node_ip_of("n1"),
            port: 8080,
            want: Err(7),
        },
        Case {
            name: "PodIPContainerPort",
            target: ip1.clone(),
            port: 9100,
            want: Ok(pod1.clone()),
        },
        Case {
            name: "PodIPUndeclaredPort",
            target: ip1,
            port: 80,
            want: Err(7),
        },
        Case {
            name: "ServicePortNotExposed",
            target: "exp-vip".to_string(),
            port: 9100,
            want: Err(7),
        },
        Case {
            name: "UnknownHost",
            target: "nope".to_string(),
            port: 80,
            want: Err(6),
        },
    ];
    for case in cases {
        let mut rng = SimRng::new(1);
        let got = curl(
            c.store(),
            &mut rng,
            &case.target,
            case.port,
            "default",
            None,
        );
        match (&got, &case.want) {
            (CurlResult::Answer { pod, .. }, Ok(want)) => assert_eq!(pod, want, "{}", case.name),
            (_, Err(code)) => assert_eq!(got.exit_code(), *code, "{}: {got:?}", case.name),
            _ => panic!("{}: got {got:?}", case.name),
        }
    }
    // A ClusterIP Service spreads connections over the daemons on every node.
    let mut rng = SimRng::new(5);
    let mut seen = BTreeMap::new();
    for _ in 0..20 {
        if let CurlResult::Answer { node, .. } =
            curl(c.store(), &mut rng, "10.96.0.11", 80, "default", None)
        {
            *seen.entry(node).or_insert(0) += 1;
        }
    }
    assert_eq!(
        seen.keys().cloned().collect::<Vec<_>>(),
        vec!["n1".to_string(), "n2".to_string()]
    );
    assert_eq!(seen.values().sum::<i32>(), 20);
}

#[test]
fn container_host_programs() {
    use crate::engine::sh::Host;
    let c = cluster();
    let mut host = NetHost::new(c.store(), "default", 3);
    let argv = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
    let r = host
        .external(&argv("wget -qO- http://exp-vip:80/"), 0)
        .unwrap();
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("Hello from exp-"), "{r:?}");
    let r = host.external(&argv("curl -sS http://nope:80/"), 0).unwrap();
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (6, "curl: (6) Could not resolve host: nope\n")
    );
    let r = host.external(&argv("curl -s nope"), 0).unwrap();
    assert_eq!((r.code, r.stderr.as_str()), (6, ""));
    let r = host
        .external(&argv("wget -O- http://exp-vip:81"), 0)
        .unwrap();
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "wget: can't connect to remote host (10.96.0.11): Connection refused\n"
        )
    );
    let r = host.external(&argv("nslookup exp-vip"), 0).unwrap();
    assert!(r.stdout.contains("Address: 10.96.0.11\n"), "{r:?}");
    let r = host.external(&argv("nc -z exp-vip 80"), 0).unwrap();
    assert_eq!(r.code, 0);
    assert!(host.external(&argv("perl -e 1"), 0).is_none());
    // The kubelet runs a pushing daemon's loop through this host: its logs name the receiver.
    let key = ObjectKey::new(Kind::Pod, "default", &pod_on(&c, "n1").0);
    assert!(c.logs(&key, None, false).is_ok());
}

struct ListenCase {
    name: &'static str,
    container: serde_json::Value,
    port: i32,
    want: Option<Server>,
}

#[test]
fn what_a_container_listens_on() {
    let cases = [
        ListenCase {
            name: "a declared containerPort",
            container: serde_json::json!({"name": "c", "image": "busybox",
                "ports": [{"containerPort": 9100}]}),
            port: 9100,
            want: Some(Server::Ok),
        },
        ListenCase {
            name: "a declared UDP port takes no TCP connection",
            container: serde_json::json!({"name": "c", "image": "busybox",
                "ports": [{"containerPort": 53, "protocol": "UDP"}]}),
            port: 53,
            want: None,
        },
        ListenCase {
            name: "nginx serves on 80 without declaring it",
            container: serde_json::json!({"name": "c", "image": "nginx:1.27"}),
            port: 80,
            want: Some(Server::Ok),
        },
        ListenCase {
            name: "nginx replaced by a shell command serves nothing",
            container: serde_json::json!({"name": "c", "image": "nginx:1.27",
                "command": ["sh", "-c", "sleep 3600"]}),
            port: 80,
            want: None,
        },
        ListenCase {
            name: "agnhost liveness (the kubernetes.io HTTP liveness example)",
            container: serde_json::json!({"name": "c",
                "image": "registry.k8s.io/e2e-test-images/agnhost:2.40", "args": ["liveness"]}),
            port: 8080,
            want: Some(Server::Liveness),
        },
        ListenCase {
            name: "agnhost netexec --http-port",
            container: serde_json::json!({"name": "c",
                "image": "registry.k8s.io/e2e-test-images/agnhost:2.40",
                "args": ["netexec", "--http-port=8081"]}),
            port: 8081,
            want: Some(Server::Ok),
        },
        ListenCase {
            name: "etcd on its --listen-client-urls port",
            container: serde_json::json!({"name": "c", "image": "registry.k8s.io/etcd:3.5.1-0",
                "command": ["/usr/local/bin/etcd", "--listen-client-urls", "http://0.0.0.0:2379"]}),
            port: 2379,
            want: Some(Server::Ok),
        },
        ListenCase {
            name: "nothing on another port",
            container: serde_json::json!({"name": "c", "image": "nginx:1.27"}),
            port: 8080,
            want: None,
        },
    ];
    for case in cases {
        let c: k8s_openapi::api::core::v1::Container =
            serde_json::from_value(case.container).unwrap();
        assert_eq!(container_listens(&c, case.port), case.want, "{}", case.name);
    }
    assert_eq!(Server::Liveness.status("/healthz", 10_000), 200);
    assert_eq!(Server::Liveness.status("/healthz", 10_001), 500);
    assert_eq!(Server::Ok.status("/healthz", 60_000), 200);
}
