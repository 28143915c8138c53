//! The cluster network, answered from the store: what CoreDNS (`plugin/kubernetes`) answers for a
//! Service name, and where a connection lands (kube-proxy's Service rules, a `hostPort` on a
//! node, a pod IP). This is how the DaemonSet docs' "Communicating with Daemon Pods" ways are
//! shown: push (a daemon's own `curl`/`wget`), NodeIP + hostPort, DNS of a headless Service, and
//! a ClusterIP Service that picks any ready endpoint.
//!
//! [`NetHost`] is the [`sh::Host`] the kubelet gives a container: `curl`, `wget`, `nslookup`,
//! `ping` and `nc` inside a container use the functions here. The interpreter evaluates a
//! container's whole run when it starts, through a [`MemoHost`] that records every answer
//! (when, what, and the random endpoint picks it took). When Services, EndpointSlices, nodes
//! or pods change, the kubelet asks the questions a running container has not reached yet
//! again ([`answers_changed`]); if one answer differs it evaluates the run again with the
//! remembered answers up to now and live ones after. So a query sees the store as it is at
//! the last change before it, as far as the kubelet has seen it (a loop that pushes every ten
//! seconds reports the same target until the cluster changes).
//!
//! Simplifications: every server is a simulated one that answers any request with one line
//! naming itself (`Hello from POD on NODE (IP:PORT)`); a pod listens on the `containerPort`s it
//! declares and on the ports a few well-known images serve ([`image_ports`]: nginx on 80,
//! agnhost's `liveness` on 8080, ...; with `hostNetwork`, on the node's IP); a connection that
//! would time out (an unknown address, a port a Service does not expose) is refused at once;
//! DNS knows Services and the `hostname.subdomain` records of pods behind a headless Service
//! (from its EndpointSlices, for ready endpoints, see [`dns`]), no ExternalName CNAMEs; the search path is
//! `NS.svc.cluster.local svc.cluster.local cluster.local`. `ping` answers from pods and nodes.
//! `localhost` (and `127.0.0.1`) inside a container reaches its own pod's servers.

use std::collections::BTreeMap;
use std::rc::Rc;

use k8s_openapi::api::core::v1::{Pod, Service};

use crate::engine::api::service::{cluster_ip, is_headless, DNS_SERVER_IP};
use crate::engine::api::{Kind, Object};
use crate::engine::controller::endpointslice::SERVICE_NAME_LABEL;
use crate::engine::rng::SimRng;
use crate::engine::sh;
use crate::engine::store::Store;

/// The cluster domain.
pub const CLUSTER_DOMAIN: &str = "cluster.local";

/// What the DNS server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsAnswer {
    /// A records for the fully qualified name.
    Records {
        /// The fully qualified name that matched.
        fqdn: String,
        /// The addresses, sorted.
        addresses: Vec<String>,
    },
    /// No such name.
    NxDomain {
        /// The fully qualified name asked for (the first search-path expansion).
        fqdn: String,
    },
}

/// Resolves `name` as a pod in `client_namespace` would (`NAME`, `NAME.NS`, `NAME.NS.svc`,
/// `NAME.NS.svc.cluster.local`): a headless Service gives the A records of its ready endpoints
/// (NXDOMAIN when there are none, as CoreDNS answers), another Service its ClusterIP.
pub fn dns(store: &Store, name: &str, client_namespace: &str) -> DnsAnswer {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let suffix = format!(".svc.{CLUSTER_DOMAIN}");
    let labels: Vec<&str> = name.split('.').collect();
    // A pod's own record, `HOSTNAME.SUBDOMAIN.NS.svc.cluster.local` (its `hostname` and
    // `subdomain` naming a headless Service), tried first as the search path does.
    let pod_record = match labels.as_slice() {
        [host, svc] => Some((*host, *svc, client_namespace)),
        [host, svc, ns] | [host, svc, ns, "svc"] => Some((*host, *svc, *ns)),
        [host, svc, ns, "svc", rest @ ..] if rest.join(".") == CLUSTER_DOMAIN => {
            Some((*host, *svc, *ns))
        }
        _ => None,
    };
    if let Some((host, svc, ns)) = pod_record {
        if let Some(answer) = pod_hostname_record(store, host, svc, ns) {
            return answer;
        }
    }
    let (svc, ns) = match labels.as_slice() {
        [svc] => (*svc, client_namespace),
        [svc, ns] | [svc, ns, "svc"] => (*svc, *ns),
        _ if name.ends_with(&suffix) => {
            let head = name.trim_end_matches(&suffix);
            match head.split('.').collect::<Vec<_>>().as_slice() {
                [svc, ns] => (*svc, *ns),
                _ => return nx(&name),
            }
        }
        _ => return nx(&name),
    };
    let fqdn = format!("{svc}.{ns}{suffix}");
    let Some(service) = service(store, ns, svc) else {
        let asked = if labels.len() == 1 { fqdn } else { name };
        return nx(&asked);
    };
    let addresses = if is_headless(service) {
        let mut ips: Vec<String> = ready_endpoints(store, ns, svc)
            .into_iter()
            .map(|e| e.ip)
            .collect();
        crate::engine::sort::sort_by_key(&mut ips, |ip| {
            crate::engine::api::service::parse_ipv4(ip)
        });
        ips.dedup();
        ips
    } else {
        cluster_ip(service)
            .map(str::to_string)
            .into_iter()
            .collect()
    };
    if addresses.is_empty() {
        return nx(&fqdn);
    }
    DnsAnswer::Records { fqdn, addresses }
}

/// The A record `HOSTNAME.SUBDOMAIN.NS.svc` of a pod whose `hostname` and `subdomain` are `host`
/// and `svc`, when `svc` is a headless Service in `ns`: as CoreDNS (`plugin/kubernetes`) answers
/// it, from the Service's EndpointSlices, for a ready endpoint with that `hostname` (the
/// EndpointSlice controller sets it for a pod whose `subdomain` names the Service). So a pod
/// that is not ready yet (or not selected by the Service) has no record.
fn pod_hostname_record(store: &Store, host: &str, svc: &str, ns: &str) -> Option<DnsAnswer> {
    let service = service(store, ns, svc)?;
    if !is_headless(service) {
        return None;
    }
    let mut ips: Vec<String> = slice_endpoints(store, ns, svc)
        .filter(|e| {
            // CoreDNS (`object/endpoint.go`) skips an endpoint only when `ready` is false.
            e.hostname.as_deref() == Some(host) && endpoint_ready(e)
        })
        .flat_map(|e| e.addresses.iter().cloned())
        .collect();
    crate::engine::sort::sort(&mut ips);
    ips.dedup();
    if ips.is_empty() {
        return None;
    }
    Some(DnsAnswer::Records {
        fqdn: format!("{host}.{svc}.{ns}.svc.{CLUSTER_DOMAIN}"),
        addresses: ips,
    })
}

fn nx(fqdn: &str) -> DnsAnswer {
    DnsAnswer::NxDomain {
        fqdn: fqdn.to_string(),
    }
}

/// Prints an answer as busybox `nslookup` does; the bool is false for NXDOMAIN (exit status 1).
pub fn format_nslookup(answer: &DnsAnswer) -> (String, bool) {
    let mut out = format!("Server:\t\t{DNS_SERVER_IP}\nAddress:\t{DNS_SERVER_IP}:53\n\n");
    match answer {
        DnsAnswer::Records { fqdn, addresses } => {
            for a in addresses {
                out.push_str(&format!("Name:\t{fqdn}\nAddress: {a}\n"));
            }
            (out, true)
        }
        DnsAnswer::NxDomain { fqdn } => {
            out.push_str(&format!("** server can't find {fqdn}: NXDOMAIN\n"));
            (out, false)
        }
    }
}

/// One endpoint a connection can land on.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Backend {
    pod: String,
    node: String,
    ip: String,
}

fn service<'a>(store: &'a Store, ns: &str, name: &str) -> Option<&'a Service> {
    match store.get(&crate::engine::api::ObjectKey::new(Kind::Service, ns, name)) {
        Some(Object::Service(s)) => Some(s),
        _ => None,
    }
}

/// The EndpointSlices of the Service `svc` in `ns` (those labelled
/// `kubernetes.io/service-name`), as kube-proxy, CoreDNS and `kubectl describe service` find them.
pub fn service_slices<'a>(
    store: &'a Store,
    ns: &str,
    svc: &'a str,
) -> impl Iterator<Item = &'a k8s_openapi::api::discovery::v1::EndpointSlice> {
    store
        .list_ns(Kind::EndpointSlice, ns)
        .filter_map(|o| match o {
            Object::EndpointSlice(es) => Some(es),
            _ => None,
        })
        .filter(move |es| {
            es.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(SERVICE_NAME_LABEL))
                .map(String::as_str)
                == Some(svc)
        })
}

/// Whether an endpoint serves traffic: kube-proxy (`endpointslicecache.go`), CoreDNS and kubectl
/// read a missing `ready` condition as ready (only a hand-written slice leaves it out).
pub fn endpoint_ready(e: &k8s_openapi::api::discovery::v1::Endpoint) -> bool {
    e.conditions.as_ref().and_then(|c| c.ready) != Some(false)
}

/// The endpoints of the Service's EndpointSlices.
fn slice_endpoints<'a>(
    store: &'a Store,
    ns: &str,
    svc: &'a str,
) -> impl Iterator<Item = &'a k8s_openapi::api::discovery::v1::Endpoint> {
    service_slices(store, ns, svc).flat_map(|es| es.endpoints.iter())
}

/// The ready endpoints of the Service's EndpointSlices ([`endpoint_ready`]), by pod name.
fn ready_endpoints(store: &Store, ns: &str, svc: &str) -> Vec<Backend> {
    let mut out: Vec<Backend> = slice_endpoints(store, ns, svc)
        .filter(|e| endpoint_ready(e))
        .flat_map(|e| {
            e.addresses.iter().map(|ip| Backend {
                pod: e
                    .target_ref
                    .as_ref()
                    .and_then(|r| r.name.clone())
                    .unwrap_or_default(),
                node: e.node_name.clone().unwrap_or_default(),
                ip: ip.clone(),
            })
        })
        .collect();
    crate::engine::sort::sort_by(&mut out, |a, b| (&a.pod, &a.ip).cmp(&(&b.pod, &b.ip)));
    out.dedup();
    out
}

/// What a connection attempt did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurlResult {
    /// A server answered.
    Answer {
        /// The pod that answered.
        pod: String,
        /// Its node.
        node: String,
        /// The response body (one line, no newline).
        body: String,
    },
    /// The host name did not resolve (curl exit 6).
    CouldNotResolve {
        /// The name.
        host: String,
    },
    /// Nothing listens there (curl exit 7).
    Refused {
        /// The address dialled.
        ip: String,
        /// The port dialled.
        port: i32,
    },
}

impl CurlResult {
    /// curl's exit status.
    pub fn exit_code(&self) -> i32 {
        match self {
            CurlResult::Answer { .. } => 0,
            CurlResult::CouldNotResolve { .. } => 6,
            CurlResult::Refused { .. } => 7,
        }
    }

    /// curl's error line (empty on success).
    pub fn curl_error(&self) -> String {
        match self {
            CurlResult::Answer { .. } => String::new(),
            CurlResult::CouldNotResolve { host } => {
                format!("curl: (6) Could not resolve host: {host}")
            }
            CurlResult::Refused { ip, port } => format!(
                "curl: (7) Failed to connect to {ip} port {port} after 0 ms: Couldn't connect to server"
            ),
        }
    }

    /// busybox wget's error line (empty on success).
    pub fn wget_error(&self) -> String {
        match self {
            CurlResult::Answer { .. } => String::new(),
            CurlResult::CouldNotResolve { host } => format!("wget: bad address '{host}'"),
            CurlResult::Refused { ip, .. } => {
                format!("wget: can't connect to remote host ({ip}): Connection refused")
            }
        }
    }
}

/// Connects to `target:port` from a pod in `client_namespace`. `target` is an IP or a name. A
/// node's InternalIP reaches the pod on that node with that `hostPort`; a ClusterIP (or a
/// Service name) reaches one ready endpoint picked with `rng`, on whatever node it runs; a pod
/// IP reaches that pod on a `containerPort` it declares. From a pod (`client_node` is its
/// node), a Service with `internalTrafficPolicy: Local` only reaches endpoints on that node —
/// the way to reach "the daemon on my node" through a Service; with none there the connection
/// fails.
pub fn curl(
    store: &Store,
    rng: &mut SimRng,
    target: &str,
    port: i32,
    client_namespace: &str,
    client_node: Option<&str>,
) -> CurlResult {
    curl_picking(
        store,
        &mut |n| rng.below(n),
        target,
        port,
        client_namespace,
        client_node,
    )
}

/// [`curl`], with `pick(n)` choosing among `n` addresses or endpoints (`0..n`).
fn curl_picking(
    store: &Store,
    rng: &mut dyn FnMut(u64) -> u64,
    target: &str,
    port: i32,
    client_namespace: &str,
    client_node: Option<&str>,
) -> CurlResult {
    let ip = if crate::engine::api::service::parse_ipv4(target).is_some() {
        target.to_string()
    } else {
        match dns(store, target, client_namespace) {
            DnsAnswer::Records { addresses, .. } => {
                let idx = rng(addresses.len() as u64) as usize;
                addresses.get(idx).cloned().unwrap_or_default()
            }
            DnsAnswer::NxDomain { .. } => {
                return CurlResult::CouldNotResolve {
                    host: target.to_string(),
                }
            }
        }
    };
    let refused = CurlResult::Refused {
        ip: ip.clone(),
        port,
    };
    // A Service's virtual IP: kube-proxy picks a ready endpoint at random.
    if let Some((svc, ns, name)) = store.list(Kind::Service).find_map(|o| match o {
        Object::Service(s) if cluster_ip(s) == Some(ip.as_str()) => {
            Some((s, o.namespace().to_string(), o.name().to_string()))
        }
        _ => None,
    }) {
        let Some(sp) = svc
            .spec
            .as_ref()
            .and_then(|s| s.ports.as_ref())
            .and_then(|ports| ports.iter().find(|p| p.port == port))
        else {
            return refused;
        };
        let local = svc
            .spec
            .as_ref()
            .and_then(|s| s.internal_traffic_policy.as_deref())
            == Some("Local");
        let only_node = if local { client_node } else { None };
        return through_service(store, rng, (&ns, &name), sp, only_node).unwrap_or(refused);
    }
    // A node's InternalIP: a hostPort (or a hostNetwork pod's port) on that node.
    if let Some(node) = store
        .nodes()
        .find(|n| node_ip(n).as_deref() == Some(ip.as_str()))
    {
        let node_name = node.metadata.name.clone().unwrap_or_default();
        // A NodePort (or LoadBalancer) Service's node port: kube-proxy on every node forwards
        // it to an endpoint, on this node only with `externalTrafficPolicy: Local`.
        if let Some((svc, sp)) = store.list(Kind::Service).find_map(|o| match o {
            Object::Service(s) => s
                .spec
                .as_ref()
                .filter(|spec| crate::engine::api::service::needs_node_ports(spec))
                .and_then(|spec| spec.ports.as_ref())
                .and_then(|ports| ports.iter().find(|p| p.node_port == Some(port)))
                .map(|sp| (o, sp)),
            _ => None,
        }) {
            let local = match svc {
                Object::Service(s) => {
                    s.spec
                        .as_ref()
                        .and_then(|s| s.external_traffic_policy.as_deref())
                        == Some("Local")
                }
                _ => false,
            };
            let only_node = local.then_some(node_name.as_str());
            return through_service(store, rng, (svc.namespace(), svc.name()), sp, only_node)
                .unwrap_or(refused);
        }
        let listener = running_pods(store)
            .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(&node_name))
            .find_map(|p| {
                let host_network = p.spec.as_ref().and_then(|s| s.host_network) == Some(true);
                ports(p)
                    .find(|cp| {
                        cp.host_port == Some(port) || (host_network && cp.container_port == port)
                    })
                    .map(|cp| (p, cp.container_port))
            });
        return match listener {
            Some((pod, container_port)) => {
                answer_from(pod, &pod_ip(pod), container_port).unwrap_or(refused)
            }
            None => refused,
        };
    }
    // A pod IP.
    running_pods(store)
        .find(|p| pod_ip(p) == ip)
        .and_then(|p| answer_from(p, &ip, port))
        .unwrap_or(refused)
}

/// What kube-proxy does with a connection to a Service port: one ready endpoint picked with
/// `rng` (on `only_node` when a traffic policy is Local), its target port resolved (a named
/// port looked up in the picked pod). `None`: no endpoint, or nothing listening there.
fn through_service(
    store: &Store,
    rng: &mut dyn FnMut(u64) -> u64,
    (ns, name): (&str, &str),
    sp: &k8s_openapi::api::core::v1::ServicePort,
    only_node: Option<&str>,
) -> Option<CurlResult> {
    let mut backends = ready_endpoints(store, ns, name);
    if let Some(node) = only_node {
        backends.retain(|b| b.node == node);
    }
    let idx = rng(backends.len() as u64) as usize;
    let b = backends.get(idx)?;
    let pod = store.pod(ns, &b.pod)?;
    let target_port = match &sp.target_port {
        Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(n)) => *n,
        Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s)) => {
            named_port(pod, s)?
        }
        None => sp.port,
    };
    answer_from(pod, &b.ip, target_port)
}

fn answer_from(pod: &Pod, ip: &str, port: i32) -> Option<CurlResult> {
    let listens = pod
        .spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .any(|c| container_listens(c, port).is_some());
    if !listens {
        return None;
    }
    let name = pod.metadata.name.clone().unwrap_or_default();
    let node = pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.clone())
        .unwrap_or_default();
    Some(CurlResult::Answer {
        body: format!("Hello from {name} on {node} ({ip}:{port})"),
        pod: name,
        node,
    })
}

/// How a simulated server answers an HTTP request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// Any server: every request gets 200.
    Ok,
    /// The `liveness` server of the kubernetes.io HTTP liveness example (agnhost `liveness`,
    /// the old `registry.k8s.io/liveness` image): `/healthz` answers 200 for the first 10 s
    /// after the process started, then 500 (`test/images/agnhost/liveness/server.go`).
    Liveness,
}

impl Server {
    /// The HTTP status of a GET of `path`, `running_ms` after the server process started.
    pub fn status(self, path: &str, running_ms: u64) -> u16 {
        match self {
            Server::Liveness if path == "/healthz" && running_ms > 10_000 => 500,
            Server::Ok | Server::Liveness => 200,
        }
    }
}

/// Whether a container listens on `port`, and which server answers there: the
/// `containerPort`s it declares, and the ports well-known images listen on without declaring
/// them ([`image_ports`]).
pub fn container_listens(c: &k8s_openapi::api::core::v1::Container, port: i32) -> Option<Server> {
    let from_image = image_ports(c)
        .into_iter()
        .find(|(p, _)| *p == port)
        .map(|(_, s)| s);
    let declared =
        c.ports.iter().flatten().any(|cp| {
            cp.container_port == port && cp.protocol.as_deref().unwrap_or("TCP") == "TCP"
        });
    from_image.or(declared.then_some(Server::Ok))
}

/// The ports a well-known image's server listens on, whether or not the pod declares them
/// (a `containerPort` is informational): nginx and httpd on 80, agnhost `liveness` and
/// `netexec` (`--http-port`) on 8080, goproxy on 8080, etcd on its `--listen-client-urls`
/// port (2379), redis on 6379. A `command` other than the image's own server replaces it.
pub fn image_ports(c: &k8s_openapi::api::core::v1::Container) -> Vec<(i32, Server)> {
    let image = c.image.as_deref().unwrap_or_default();
    let last = image.rsplit('/').next().unwrap_or_default();
    let repo = last.split([':', '@']).next().unwrap_or_default();
    let command: Vec<&str> = c.command.iter().flatten().map(String::as_str).collect();
    let args: Vec<&str> = c.args.iter().flatten().map(String::as_str).collect();
    let argv: Vec<&str> = command.iter().chain(args.iter()).copied().collect();
    let program = |name: &str| {
        command.is_empty()
            || command
                .first()
                .is_some_and(|p| p.rsplit('/').next() == Some(name))
    };
    // `--flag=V` or `--flag V`.
    let flag = |name: &str| -> Option<String> {
        argv.iter().enumerate().find_map(|(i, a)| {
            a.strip_prefix(name)
                .and_then(|rest| match rest.strip_prefix('=') {
                    Some(v) => Some(v.to_string()),
                    None if rest.is_empty() => argv.get(i + 1).map(|v| v.to_string()),
                    None => None,
                })
        })
    };
    let port_of = |url: &str| -> Option<i32> {
        let first = url.split(',').next()?;
        parse_target(first).map(|(_, p)| p)
    };
    match repo {
        "nginx" | "nginx-unprivileged" if program("nginx") => vec![(80, Server::Ok)],
        "httpd" if program("httpd-foreground") || program("httpd") => vec![(80, Server::Ok)],
        "agnhost" => {
            let sub = if command.is_empty() {
                args.first().copied()
            } else {
                argv.iter()
                    .skip_while(|a| !a.ends_with("agnhost"))
                    .nth(1)
                    .copied()
            };
            match sub {
                Some("liveness") => vec![(8080, Server::Liveness)],
                Some("netexec") => {
                    let port = flag("--http-port").and_then(|p| p.parse().ok());
                    vec![(port.unwrap_or(8080), Server::Ok)]
                }
                Some("serve-hostname") => {
                    let port = flag("--port").and_then(|p| p.parse().ok());
                    vec![(port.unwrap_or(9376), Server::Ok)]
                }
                _ => Vec::new(),
            }
        }
        "liveness" if argv.first().is_some_and(|a| a.ends_with("server")) => {
            vec![(8080, Server::Liveness)]
        }
        "goproxy" if command.is_empty() => vec![(8080, Server::Ok)],
        "etcd" if program("etcd") => {
            let port = flag("--listen-client-urls").and_then(|u| port_of(&u));
            vec![(port.unwrap_or(2379), Server::Ok)]
        }
        "redis" if program("redis-server") => vec![(6379, Server::Ok)],
        _ => Vec::new(),
    }
}

fn running_pods(store: &Store) -> impl Iterator<Item = &Pod> {
    store.pods().filter(|p| {
        p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running")
            && !pod_ip(p).is_empty()
    })
}

fn pod_ip(pod: &Pod) -> String {
    pod.status
        .as_ref()
        .and_then(|s| s.pod_ip.clone())
        .unwrap_or_default()
}

fn ports(pod: &Pod) -> impl Iterator<Item = &k8s_openapi::api::core::v1::ContainerPort> {
    pod.spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .flat_map(|c| c.ports.iter().flatten())
}

fn named_port(pod: &Pod, name: &str) -> Option<i32> {
    ports(pod)
        .find(|p| p.name.as_deref() == Some(name))
        .map(|p| p.container_port)
}

/// A node's InternalIP.
pub fn node_ip(node: &k8s_openapi::api::core::v1::Node) -> Option<String> {
    node.status
        .as_ref()?
        .addresses
        .as_ref()?
        .iter()
        .find(|a| a.type_ == "InternalIP")
        .map(|a| a.address.clone())
}

/// Splits `HOST[:PORT]`, `http://HOST[:PORT]/path` into host and port (default 80).
pub fn parse_target(target: &str) -> Option<(String, i32)> {
    let rest = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))
        .unwrap_or(target);
    let hostport = rest.split('/').next().unwrap_or_default();
    if hostport.is_empty() {
        return None;
    }
    match hostport.rsplit_once(':') {
        Some((host, port)) => {
            let port: i32 = port.parse().ok().filter(|p| (1..=65535).contains(p))?;
            (!host.is_empty()).then(|| (host.to_string(), port))
        }
        None => Some((
            hostport.to_string(),
            if target.starts_with("https://") {
                443
            } else {
                80
            },
        )),
    }
}

/// The [`sh::Host`] of a container: network programs answered from the store as it is (see the
/// module header), with its own RNG so the kubelet's choices stay deterministic.
pub struct NetHost<'a> {
    store: &'a Store,
    namespace: String,
    /// The node the container runs on.
    node: Option<String>,
    rng: SimRng,
    /// The files the container sees through its volume mounts, by absolute path.
    files: BTreeMap<String, String>,
    /// Later changes to them (another container writing into a shared volume): milliseconds
    /// after the process start, path, content (`None`: removed), in time order.
    changes: Vec<(u64, String, Option<String>)>,
    /// The container's own pod and its IP: `localhost` and `127.0.0.1` reach the pod itself.
    own: Option<(&'a Pod, String)>,
    /// The `n` of each random pick since [`NetHost::take_draws`] (see [`Query::draws`]).
    draws: Vec<u64>,
}

impl<'a> NetHost<'a> {
    /// A host for a container of a pod in `namespace`; `seed` drives Service endpoint picks.
    pub fn new(store: &'a Store, namespace: &str, seed: u64) -> Self {
        NetHost {
            store,
            namespace: namespace.to_string(),
            node: None,
            rng: SimRng::new(seed),
            files: BTreeMap::new(),
            changes: Vec::new(),
            own: None,
            draws: Vec::new(),
        }
    }

    /// The same host, for a container on `node`.
    pub fn on_node(mut self, node: &str) -> Self {
        self.node = Some(node.to_string());
        self
    }

    /// The same host, with the files of the container's volume mounts.
    pub fn with_files(mut self, files: BTreeMap<String, String>) -> Self {
        self.files = files;
        self
    }

    /// The same host, with changes the files see while the process runs (milliseconds after
    /// its start, path, content or `None` when removed; in time order).
    pub fn with_file_changes(mut self, changes: Vec<(u64, String, Option<String>)>) -> Self {
        self.changes = changes;
        self
    }

    /// The same host, for a container of `pod`, whose IP is `ip`: `localhost` reaches the
    /// pod's own servers (whatever the pod's status in the store says yet).
    pub fn with_own_pod(mut self, pod: &'a Pod, ip: &str) -> Self {
        self.own = Some((pod, ip.to_string()));
        self
    }

    fn connect(&mut self, url: &str) -> Option<CurlResult> {
        let (host, port) = parse_target(url)?;
        Some(self.dial(&host, port))
    }

    /// [`curl`] from this container: `localhost` is the pod's own network namespace (an error
    /// still names the address as dialled).
    fn dial(&mut self, host: &str, port: i32) -> CurlResult {
        if let (Some((pod, ip)), "localhost" | "127.0.0.1") = (&self.own, host) {
            return answer_from(pod, ip, port).unwrap_or(CurlResult::Refused {
                ip: host.to_string(),
                port,
            });
        }
        let (rng, draws) = (&mut self.rng, &mut self.draws);
        curl_picking(
            self.store,
            &mut |n| {
                draws.push(n);
                rng.below(n)
            },
            host,
            port,
            &self.namespace,
            self.node.as_deref(),
        )
    }

    /// The picks the programs made since the last call (the `n` of each), emptied.
    fn take_draws(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.draws)
    }

    /// Moves the random source as these picks did, without running anything.
    fn skip_draws(&mut self, draws: &[u64]) {
        for n in draws {
            self.rng.below(*n);
        }
    }
}

impl NetHost<'_> {
    /// busybox `ping [-c N] [-W S] HOST`: pods and nodes answer; a ClusterIP is virtual (kube-proxy
    /// forwards TCP and UDP, not ICMP), so it loses every packet. Without `-c` it runs for ever.
    fn ping(&self, args: &[&str]) -> sh::ExternalResult {
        let mut count: Option<u64> = None;
        let mut host = None;
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match *a {
                "-c" => count = it.next().and_then(|n| n.parse().ok()),
                "-W" | "-w" | "-i" | "-s" | "-t" | "-I" => {
                    it.next();
                }
                a if a.starts_with("-c") => count = a.get(2..).and_then(|n| n.parse().ok()),
                a if a.starts_with('-') => {}
                a => host = Some(a),
            }
        }
        let Some(host) = host else {
            return result(
                String::new(),
                "BusyBox v1.36.1 multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n".to_string(),
                1,
            );
        };
        let ip = if parse_target(host).is_some_and(|(h, _)| h.parse::<std::net::Ipv4Addr>().is_ok())
        {
            Some(host.to_string())
        } else {
            match dns(self.store, host, &self.namespace) {
                DnsAnswer::Records { addresses, .. } => addresses.first().cloned(),
                DnsAnswer::NxDomain { .. } => None,
            }
        };
        let Some(ip) = ip else {
            return result(String::new(), format!("ping: bad address '{host}'\n"), 1);
        };
        let reachable = running_or_starting_pod_ips(self.store).any(|p| p == ip)
            || self
                .store
                .nodes()
                .any(|n| node_ip(n).as_deref() == Some(ip.as_str()));
        let n = count.unwrap_or(u64::MAX).max(1);
        let shown = n.min(5_000);
        let mut out = format!("PING {host} ({ip}): 56 data bytes\n");
        if reachable {
            for seq in 0..shown {
                out.push_str(&format!(
                    "64 bytes from {ip}: seq={seq} ttl=64 time=0.080 ms\n"
                ));
            }
        }
        let received = if reachable { n } else { 0 };
        out.push_str(&format!(
            "\n--- {host} ping statistics ---\n{n} packets transmitted, {received} packets received, {}% packet loss\n",
            if reachable { 0 } else { 100 }
        ));
        if reachable {
            out.push_str("round-trip min/avg/max = 0.080/0.080/0.080 ms\n");
        }
        let mut res = result(out, String::new(), if reachable { 0 } else { 1 });
        // One packet a second; the last reply (or its 10 s wait) ends the run.
        res.duration_ms = (n - 1).saturating_mul(1_000) + if reachable { 1 } else { 10_000 };
        res
    }
}

/// IPs of pods that have one and have not ended.
fn running_or_starting_pod_ips(store: &Store) -> impl Iterator<Item = String> + '_ {
    store
        .pods()
        .filter(|p| {
            !matches!(
                p.status.as_ref().and_then(|s| s.phase.as_deref()),
                Some("Succeeded" | "Failed")
            )
        })
        .map(pod_ip)
        .filter(|ip| !ip.is_empty())
}

fn result(stdout: String, stderr: String, code: i32) -> sh::ExternalResult {
    sh::ExternalResult {
        stdout,
        stderr,
        code,
        duration_ms: if code == 0 { 3 } else { 1 },
    }
}

impl sh::Host for NetHost<'_> {
    fn file(&mut self, path: &str) -> Option<String> {
        self.files.get(path).cloned()
    }

    fn file_at(&mut self, path: &str, at_ms: u64) -> Option<String> {
        // The last change to the path by then, else the file as it was at the start.
        match self
            .changes
            .iter()
            .rev()
            .find(|(t, p, _)| *t <= at_ms && p == path)
        {
            Some((_, _, content)) => content.clone(),
            None => self.file(path),
        }
    }

    fn external(&mut self, argv: &[String], _at_ms: u64) -> Option<sh::ExternalResult> {
        let program = argv.first()?.rsplit('/').next().unwrap_or_default();
        let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
        // Options that take a value, so their value is not taken for the URL.
        let takes_value = ["-o", "-O", "-m", "--max-time", "-H", "-X", "-d", "-w", "-T"];
        let mut operands = Vec::new();
        let mut flags = String::new();
        let mut skip = false;
        for a in &args {
            if skip {
                skip = false;
                continue;
            }
            if takes_value.contains(a) {
                skip = true;
            } else if let Some(f) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
                flags.push_str(f);
            } else {
                operands.push(*a);
            }
        }
        match program {
            "curl" => {
                let url = operands.first()?;
                let Some(res) = self.connect(url) else {
                    return Some(result(
                        String::new(),
                        "curl: (3) URL rejected: Bad hostname\n".to_string(),
                        3,
                    ));
                };
                let silent = flags.contains('s') && !flags.contains('S');
                Some(match &res {
                    CurlResult::Answer { body, .. } => {
                        result(format!("{body}\n"), String::new(), 0)
                    }
                    _ => result(
                        String::new(),
                        if silent {
                            String::new()
                        } else {
                            format!("{}\n", res.curl_error())
                        },
                        res.exit_code(),
                    ),
                })
            }
            "wget" => {
                let url = operands.first()?;
                let Some(res) = self.connect(url) else {
                    return Some(result(
                        String::new(),
                        format!("wget: bad address '{url}'\n"),
                        1,
                    ));
                };
                Some(match &res {
                    CurlResult::Answer { body, .. } => {
                        result(format!("{body}\n"), String::new(), 0)
                    }
                    _ => result(String::new(), format!("{}\n", res.wget_error()), 1),
                })
            }
            "ping" => Some(self.ping(&args)),
            "nslookup" => {
                let name = operands.first()?;
                let (text, ok) = format_nslookup(&dns(self.store, name, &self.namespace));
                Some(result(text, String::new(), if ok { 0 } else { 1 }))
            }
            "nc" => {
                let (host, port) = match operands.as_slice() {
                    [host, port] => (*host, port.parse::<i32>().ok()?),
                    _ => return None,
                };
                let res = self.dial(host, port);
                let verbose = flags.contains('v');
                Some(match (&res, flags.contains('z')) {
                    (CurlResult::Answer { .. }, true) => result(
                        String::new(),
                        if verbose {
                            format!("{host} ({port}) open\n")
                        } else {
                            String::new()
                        },
                        0,
                    ),
                    (CurlResult::Answer { body, .. }, false) => {
                        result(format!("{body}\n"), String::new(), 0)
                    }
                    (CurlResult::CouldNotResolve { .. }, _) => {
                        result(String::new(), format!("nc: bad address '{host}'\n"), 1)
                    }
                    (CurlResult::Refused { .. }, _) => result(
                        String::new(),
                        if verbose {
                            format!("nc: {host} ({port}): Connection refused\n")
                        } else {
                            String::new()
                        },
                        1,
                    ),
                })
            }
            _ => None,
        }
    }
}

/// One answer a container's process got from the network: when it asked (milliseconds after the
/// process started), what it ran, and what came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// When the program ran, in milliseconds after the process started.
    pub at_ms: u64,
    /// The program and its arguments.
    pub argv: Rc<[String]>,
    /// What it answered.
    pub answer: Rc<sh::ExternalResult>,
    /// The `n` of each random pick the answer took (a Service endpoint, one of several A
    /// records), so a replay puts the host's random source where the first evaluation had it.
    pub draws: Vec<u64>,
}

/// A [`NetHost`] that remembers what it answered, so a container's run can be evaluated again
/// when the cluster changes while it runs (the kubelet's network replay): queries made up to
/// `answered_until` (they happened already) get the answers remembered from the previous
/// evaluation, later ones are answered live; all are recorded in call order.
pub struct MemoHost<'a> {
    net: NetHost<'a>,
    old: Vec<Query>,
    /// The next remembered answer to look at (the replay asks in the same order).
    cursor: usize,
    answered_until: Option<u64>,
    queries: Vec<Query>,
    /// Programs and answers seen, shared between queries (a polling loop asks the same thing
    /// thousands of times).
    interned: BTreeMap<Rc<[String]>, Rc<sh::ExternalResult>>,
}

impl<'a> MemoHost<'a> {
    /// A first evaluation: every query is answered live and recorded.
    pub fn recording(net: NetHost<'a>) -> Self {
        Self::replaying(net, Vec::new(), None)
    }

    /// A replay: the queries of `old` at or before `answered_until` are answered as they were
    /// (and move the random source as they did), the others live.
    pub fn replaying(net: NetHost<'a>, old: Vec<Query>, answered_until: Option<u64>) -> Self {
        MemoHost {
            net,
            old,
            cursor: 0,
            answered_until,
            queries: Vec::new(),
            interned: BTreeMap::new(),
        }
    }

    /// The queries of this evaluation, in call order, and the files the container saw
    /// ([`NetHost::with_files`], [`NetHost::with_file_changes`]) for a later replay.
    #[allow(clippy::type_complexity)]
    pub fn into_parts(
        self,
    ) -> (
        Vec<Query>,
        BTreeMap<String, String>,
        Vec<(u64, String, Option<String>)>,
    ) {
        (self.queries, self.net.files, self.net.changes)
    }

    fn remembered(&mut self, argv: &[String], at_ms: u64) -> Option<Query> {
        if self.answered_until.is_none_or(|u| at_ms > u) {
            return None;
        }
        let i = self
            .old
            .iter()
            .skip(self.cursor)
            .position(|q| q.at_ms == at_ms && *q.argv == *argv)?
            + self.cursor;
        self.cursor = i + 1;
        self.old.get(i).cloned()
    }

    fn record(&mut self, argv: &[String], at_ms: u64, answer: sh::ExternalResult) {
        let draws = self.net.take_draws();
        let (argv, answer) = match self.interned.get_key_value(argv) {
            Some((a, r)) if **r == answer => (a.clone(), r.clone()),
            _ => {
                let (a, r): (Rc<[String]>, _) = (argv.into(), Rc::new(answer));
                self.interned.insert(a.clone(), r.clone());
                (a, r)
            }
        };
        self.queries.push(Query {
            at_ms,
            argv,
            answer,
            draws,
        });
    }
}

impl sh::Host for MemoHost<'_> {
    fn external(&mut self, argv: &[String], at_ms: u64) -> Option<sh::ExternalResult> {
        if let Some(q) = self.remembered(argv, at_ms) {
            self.net.skip_draws(&q.draws);
            let answer = (*q.answer).clone();
            self.queries.push(q);
            return Some(answer);
        }
        let answer = self.net.external(argv, at_ms)?;
        self.record(argv, at_ms, answer.clone());
        Some(answer)
    }

    fn file(&mut self, path: &str) -> Option<String> {
        self.net.file(path)
    }

    fn file_at(&mut self, path: &str, at_ms: u64) -> Option<String> {
        self.net.file_at(path, at_ms)
    }
}

/// Whether the network would now answer one of the `queries` made after `answered_until`
/// differently (`net` is a fresh host with the seed of the first evaluation): the queries run
/// in call order as a [`MemoHost`] replay would run them, stopping at the first difference.
pub fn answers_changed(
    net: &mut NetHost<'_>,
    queries: &[Query],
    answered_until: Option<u64>,
) -> bool {
    // An answer whose picks had no choice (among at most one) depends only on the program and
    // the store: asked again, it is the same and takes the same picks.
    type Fixed = (Option<sh::ExternalResult>, Vec<u64>);
    let mut fixed: BTreeMap<&[String], Fixed> = BTreeMap::new();
    let mut last: Option<(&Rc<[String]>, &Fixed)> = None;
    for q in queries {
        if answered_until.is_some_and(|u| q.at_ms <= u) {
            net.skip_draws(&q.draws);
            continue;
        }
        let known = match last {
            Some((argv, f)) if Rc::ptr_eq(argv, &q.argv) => Some(f),
            _ => fixed.get(&*q.argv),
        };
        let same = match known {
            Some(f @ (answer, draws)) => {
                net.skip_draws(draws);
                last = Some((&q.argv, f));
                answer.as_ref() == Some(&*q.answer)
            }
            None => {
                let answer = sh::Host::external(net, &q.argv, q.at_ms);
                let same = answer.as_ref() == Some(&*q.answer);
                let draws = net.take_draws();
                if draws.iter().all(|n| *n <= 1) {
                    fixed.insert(&q.argv, (answer, draws));
                }
                last = None;
                same
            }
        };
        if !same {
            return true;
        }
    }
    false
}

/// Pods behind each ready endpoint of a Service, by name (for tests and the UI).
pub fn service_backends(store: &Store, namespace: &str, service: &str) -> BTreeMap<String, String> {
    ready_endpoints(store, namespace, service)
        .into_iter()
        .map(|b| (b.pod, b.node))
        .collect()
}

#[cfg(test)]
mod tests;
