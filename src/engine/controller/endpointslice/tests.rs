use super::*;
use crate::engine::Cluster;

fn obj(json: serde_json::Value) -> Object {
    let kind = Kind::from_type_meta(
        json["apiVersion"].as_str().unwrap(),
        json["kind"].as_str().unwrap(),
    )
    .unwrap();
    Object::from_json(kind, json).unwrap()
}

fn service(name: &str, selector: Option<(&str, &str)>, headless: bool) -> Object {
    let mut spec =
        serde_json::json!({"ports": [{"name": "metrics", "port": 80, "targetPort": "metrics"}]});
    if let Some((k, v)) = selector {
        spec["selector"] = serde_json::json!({ k: v });
    }
    if headless {
        spec["clusterIP"] = serde_json::json!("None");
    }
    obj(serde_json::json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": name, "namespace": "default"}, "spec": spec}))
}

/// A pod builder: labels app=`app`, bound to `node`, with `ip` and readiness.
struct PodB {
    name: &'static str,
    app: &'static str,
    node: &'static str,
    ip: Option<&'static str>,
    ready: bool,
    phase: &'static str,
    terminating: bool,
}

fn pod(
    name: &'static str,
    app: &'static str,
    node: &'static str,
    ip: Option<&'static str>,
) -> PodB {
    PodB {
        name,
        app,
        node,
        ip,
        ready: true,
        phase: "Running",
        terminating: false,
    }
}

impl PodB {
    fn not_ready(mut self) -> Self {
        self.ready = false;
        self
    }
    fn phase(mut self, p: &'static str) -> Self {
        self.phase = p;
        self
    }
    fn terminating(mut self) -> Self {
        self.terminating = true;
        self
    }
}

/// Creates the pod through the API server, then writes its status (and deletionTimestamp) as
/// the kubelet and a delete would.
fn add_pod(c: &mut Cluster, p: &PodB) {
    let created = c
        .create(obj(serde_json::json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": p.name, "namespace": "default", "labels": {"app": p.app}},
            "spec": {"nodeName": p.node, "containers": [{"name": "c", "image": "busybox",
                "ports": [{"name": "metrics", "containerPort": 9100}]}]}})))
        .unwrap();
    let Object::Pod(mut pod) = created else {
        panic!()
    };
    let status = pod.status.get_or_insert_with(Default::default);
    status.phase = Some(p.phase.to_string());
    status.pod_ip = p.ip.map(str::to_string);
    status.conditions = Some(vec![k8s_openapi::api::core::v1::PodCondition {
        type_: "Ready".to_string(),
        status: if p.ready { "True" } else { "False" }.to_string(),
        ..Default::default()
    }]);
    c.apply_action(Action::Update(Object::Pod(pod)));
    if p.terminating {
        // A bound, running pod deleted gracefully stays, terminating, for its grace period.
        let key = crate::engine::api::ObjectKey::new(Kind::Pod, "default", p.name);
        c.delete(&key, &DeleteOptions::default()).unwrap();
    }
}

/// (pod name, ready, serving, terminating, node)
type Want = (&'static str, bool, bool, bool, &'static str);

struct Case {
    name: &'static str,
    services: Vec<Object>,
    pods: Vec<PodB>,
    /// Slices wanted per Service name after the sync (None = no slice).
    want: Vec<(&'static str, Option<Vec<Want>>)>,
}

fn slices_of<'a>(c: &'a Cluster, svc: &str) -> Vec<&'a EndpointSlice> {
    c.store()
        .list_ns(Kind::EndpointSlice, "default")
        .filter_map(|o| match o {
            Object::EndpointSlice(es) => Some(es),
            _ => None,
        })
        .filter(|es| {
            es.metadata
                .labels
                .as_ref()
                .unwrap()
                .get(SERVICE_NAME_LABEL)
                .map(String::as_str)
                == Some(svc)
        })
        .collect()
}

fn check(case: Case) {
    let mut c = Cluster::new(1);
    for s in case.services {
        c.create(s).unwrap();
    }
    for p in &case.pods {
        add_pod(&mut c, p);
    }
    let out = sync(c.store(), c.now());
    for a in out.actions {
        c.apply_action(a);
    }
    for (svc, want) in case.want {
        let slices = slices_of(&c, svc);
        match want {
            None => assert!(slices.is_empty(), "{}: {svc} has a slice", case.name),
            Some(want) => {
                assert_eq!(slices.len(), 1, "{}: {svc}", case.name);
                let es = slices[0];
                assert!(
                    es.metadata
                        .name
                        .as_deref()
                        .unwrap()
                        .starts_with(&format!("{svc}-")),
                    "{}",
                    case.name
                );
                assert_eq!(es.address_type, "IPv4");
                let owner = &es.metadata.owner_references.as_ref().unwrap()[0];
                assert_eq!(
                    (owner.kind.as_str(), owner.name.as_str()),
                    ("Service", svc),
                    "{}",
                    case.name
                );
                assert_eq!(
                    es.metadata
                        .labels
                        .as_ref()
                        .unwrap()
                        .get(MANAGED_BY_LABEL)
                        .map(String::as_str),
                    Some(CONTROLLER_NAME)
                );
                let ports = es.ports.as_ref().unwrap();
                if want.is_empty() {
                    // A named targetPort resolves on no pod: the placeholder slice has no ports.
                    assert!(ports.is_empty(), "{}", case.name);
                } else {
                    assert_eq!(
                        ports[0].port,
                        Some(9100),
                        "{}: named targetPort resolved",
                        case.name
                    );
                    assert_eq!(ports[0].name.as_deref(), Some("metrics"));
                }
                let got: Vec<Want> = es
                    .endpoints
                    .iter()
                    .map(|e| {
                        let cond = e.conditions.as_ref().unwrap();
                        let name = e.target_ref.as_ref().unwrap().name.clone().unwrap();
                        let name: &'static str = case_str(&name);
                        let node: &'static str = case_str(e.node_name.as_deref().unwrap());
                        (
                            name,
                            cond.ready.unwrap(),
                            cond.serving.unwrap(),
                            cond.terminating.unwrap(),
                            node,
                        )
                    })
                    .collect();
                assert_eq!(got, want, "{}", case.name);
            }
        }
    }
    // A second sync of the unchanged cluster does nothing.
    let again = sync(c.store(), c.now());
    assert!(
        again.actions.is_empty(),
        "{}: second sync wrote {:?}",
        case.name,
        again.actions
    );
}

fn case_str(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

#[test]
fn endpointslice_sync_table() {
    let cases = vec![
        Case {
            name: "TestSyncServiceWithSelector",
            services: vec![service("exporter", Some(("app", "exp")), false)],
            pods: vec![
                pod("exp-a", "exp", "n1", Some("10.244.1.2")),
                pod("exp-b", "exp", "n2", Some("10.244.2.2")),
                pod("other", "web", "n1", Some("10.244.1.3")),
            ],
            want: vec![(
                "exporter",
                Some(vec![
                    ("exp-a", true, true, false, "n1"),
                    ("exp-b", true, true, false, "n2"),
                ]),
            )],
        },
        Case {
            name: "TestSyncServiceMissingSelector",
            services: vec![service("no-selector", None, false)],
            pods: vec![pod("exp-a", "exp", "n1", Some("10.244.1.2"))],
            want: vec![("no-selector", None)],
        },
        Case {
            name: "TestSyncServiceNoPodsPlaceholderSlice",
            services: vec![service("lonely", Some(("app", "none")), true)],
            pods: vec![],
            want: vec![("lonely", Some(vec![]))],
        },
        Case {
            name: "TestPodToEndpointConditions",
            services: vec![service("exporter", Some(("app", "exp")), true)],
            pods: vec![
                pod("ready", "exp", "n1", Some("10.244.1.2")),
                pod("not-ready", "exp", "n2", Some("10.244.2.2")).not_ready(),
                pod("terminating", "exp", "n3", Some("10.244.3.2")).terminating(),
                pod("no-ip", "exp", "n1", None),
                pod("finished", "exp", "n1", Some("10.244.1.9")).phase("Succeeded"),
            ],
            want: vec![(
                "exporter",
                Some(vec![
                    ("not-ready", false, false, false, "n2"),
                    ("ready", true, true, false, "n1"),
                    ("terminating", false, true, true, "n3"),
                ]),
            )],
        },
        Case {
            // Upstream podToEndpoint: publishNotReadyAddresses makes every endpoint ready, but
            // serving stays the pod's readiness.
            name: "TestPodToEndpointConditions/publishNotReadyAddresses",
            services: vec![{
                let mut s = service("exporter", Some(("app", "exp")), true);
                if let Object::Service(svc) = &mut s {
                    svc.spec.as_mut().unwrap().publish_not_ready_addresses = Some(true);
                }
                s
            }],
            pods: vec![
                pod("ready", "exp", "n1", Some("10.244.1.2")),
                pod("not-ready", "exp", "n2", Some("10.244.2.2")).not_ready(),
                pod("terminating", "exp", "n3", Some("10.244.3.2")).terminating(),
            ],
            want: vec![(
                "exporter",
                Some(vec![
                    ("not-ready", true, false, false, "n2"),
                    ("ready", true, true, false, "n1"),
                    ("terminating", true, true, true, "n3"),
                ]),
            )],
        },
    ];
    for case in cases {
        check(case);
    }
}

#[test]
fn endpointslice_follows_pod_changes_and_gc_removes_it() {
    let mut c = Cluster::new(3);
    c.create(service("exporter", Some(("app", "exp")), false))
        .unwrap();
    add_pod(&mut c, &pod("exp-a", "exp", "n1", Some("10.244.1.2")));
    c.settle();
    assert_eq!(slices_of(&c, "exporter")[0].endpoints.len(), 1);
    add_pod(&mut c, &pod("exp-b", "exp", "n2", Some("10.244.2.2")));
    c.settle();
    assert_eq!(slices_of(&c, "exporter")[0].endpoints.len(), 2);
    assert!(sync(c.store(), c.now()).actions.is_empty());
    c.delete(
        &crate::engine::api::ObjectKey::new(Kind::Service, "default", "exporter"),
        &DeleteOptions::default(),
    )
    .unwrap();
    c.settle();
    assert!(slices_of(&c, "exporter").is_empty());
}

#[test]
fn pod_to_endpoint_sets_the_hostname_for_its_subdomain_service() {
    // Upstream `ShouldSetHostname`: the pod's hostname, when its subdomain is the Service in
    // the same namespace.
    let Object::Service(svc) = service("workers", Some(("app", "w")), true) else {
        panic!("a service");
    };
    let pod_with = |subdomain: &str, ns: &str| -> Pod {
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": "w-0", "namespace": ns},
            "spec": {"hostname": "w-0", "subdomain": subdomain, "containers": []},
            "status": {"podIP": "10.244.1.2", "phase": "Running"}
        }))
        .unwrap()
    };
    let cases = [
        ("workers", "default", Some("w-0")),
        ("other", "default", None),
        ("workers", "dev", None),
    ];
    for (subdomain, ns, want) in cases {
        let ep = pod_to_endpoint(&pod_with(subdomain, ns), &svc, false);
        assert_eq!(
            ep.hostname.as_deref(),
            want,
            "subdomain {subdomain} in {ns}"
        );
    }
}
