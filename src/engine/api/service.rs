//! v1 Service on the API server: defaulting (`pkg/apis/core/v1/defaults.go`
//! `SetDefaults_Service`), the IP-family and ClusterIP allocation the Service REST storage does on
//! create (`pkg/registry/core/service/storage/alloc.go` `initIPFamilyFields`, `allocClusterIPs`)
//! and the basics of `ValidateService` (`pkg/apis/core/validation/validation.go`).
//!
//! Simplifications: the cluster is single-stack IPv4 with the service CIDR `10.96.0.0/12`; the
//! allocator hands out the next free address in order (upstream picks at random) starting at
//! `10.96.0.11`: `10.96.0.1` is the `kubernetes` Service and `10.96.0.10` is the cluster DNS
//! server (the kube-dns Service itself is not simulated). Node ports are allocated from
//! `30000-32767` (`allocate_node_ports`: a random start from the seeded RNG, then the next free
//! port); LoadBalancer status (no cloud: EXTERNAL-IP stays `<pending>`), `healthCheckNodePort`
//! allocation and the `externalIPs` checks are not done. On update, `spec.clusterIP` is immutable as
//! upstream words it (`spec.clusterIPs[0]: Invalid value: []string{"…"}: may not change once
//! set`, after `normalizeClusterIPs` synced the list with the changed field).
//!
//! `internalTrafficPolicy` is stored, defaulted and validated, but `sim curl SERVICE:PORT` has no
//! client node (it models a client outside any pod, like `kubectl run` would not), so `Local`
//! does not narrow its endpoint pick; see `engine/network.rs`.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::engine::validation::{self, ErrorValue, FieldError};

/// The first address of the service CIDR `10.96.0.0/12`, as a number.
const SERVICE_CIDR_BASE: u32 = (10 << 24) | (96 << 16);
/// The node port range (`--service-node-port-range`, default `30000-32767`).
pub const NODE_PORT_RANGE: std::ops::RangeInclusive<i32> = 30000..=32767;
/// Addresses in `10.96.0.0/12`.
const SERVICE_CIDR_SIZE: u32 = 1 << 20;
/// The first offset the allocator hands out (see the module header).
pub const FIRST_DYNAMIC_OFFSET: u32 = 11;
/// The `kubernetes` Service's ClusterIP.
pub const KUBERNETES_SERVICE_IP: &str = "10.96.0.1";
/// The cluster DNS server (kube-dns) address pods use as their nameserver.
pub const DNS_SERVER_IP: &str = "10.96.0.10";
/// `spec.clusterIP` of a headless Service.
pub const HEADLESS: &str = "None";

/// Service types (`spec.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServiceType {
    /// A virtual IP inside the cluster.
    ClusterIP,
    /// ClusterIP plus a port on every node.
    NodePort,
    /// NodePort plus a cloud load balancer.
    LoadBalancer,
    /// A DNS CNAME, no proxying.
    ExternalName,
}

impl ServiceType {
    /// Every type, in upstream's order of the NotSupported message.
    pub const ALL: [ServiceType; 4] = [
        ServiceType::ClusterIP,
        ServiceType::ExternalName,
        ServiceType::LoadBalancer,
        ServiceType::NodePort,
    ];

    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceType::ClusterIP => "ClusterIP",
            ServiceType::NodePort => "NodePort",
            ServiceType::LoadBalancer => "LoadBalancer",
            ServiceType::ExternalName => "ExternalName",
        }
    }

    /// Parses the API spelling.
    pub fn parse(s: &str) -> Option<ServiceType> {
        ServiceType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Parses a dotted IPv4 address.
pub fn parse_ipv4(s: &str) -> Option<u32> {
    let mut n: u32 = 0;
    let mut parts = 0;
    for part in s.split('.') {
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: u32 = part.parse().ok()?;
        if v > 255 {
            return None;
        }
        n = (n << 8) | v;
        parts += 1;
    }
    (parts == 4).then_some(n)
}

/// Formats an IPv4 address.
pub fn format_ipv4(n: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        n >> 24,
        (n >> 16) & 255,
        (n >> 8) & 255,
        n & 255
    )
}

/// The spec's ClusterIP if it is a real address (not empty, not `None`).
pub fn cluster_ip(svc: &Service) -> Option<&str> {
    svc.spec
        .as_ref()
        .and_then(|s| s.cluster_ip.as_deref())
        .filter(|ip| !ip.is_empty() && *ip != HEADLESS)
}

/// True for `clusterIP: None`.
pub fn is_headless(svc: &Service) -> bool {
    svc.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some(HEADLESS)
}

/// Defaulting (`SetDefaults_Service`): type ClusterIP, sessionAffinity None (and then no
/// `sessionAffinityConfig`; ClientIP gets a 10800 s timeout when it has none), port protocol TCP,
/// an unset, `0` or `""` targetPort = port, externalTrafficPolicy Cluster for an externally
/// accessible Service (NodePort, LoadBalancer, or ClusterIP with externalIPs),
/// internalTrafficPolicy Cluster (not for ExternalName), and `allocateLoadBalancerNodePorts: true`
/// for LoadBalancer.
pub fn default(svc: &mut Service) {
    use k8s_openapi::api::core::v1::{ClientIPConfig, SessionAffinityConfig};
    let spec = svc.spec.get_or_insert_with(ServiceSpec::default);
    let type_ = spec
        .type_
        .get_or_insert_with(|| ServiceType::ClusterIP.as_str().to_string())
        .clone();
    let affinity = spec
        .session_affinity
        .get_or_insert_with(|| "None".to_string())
        .clone();
    match affinity.as_str() {
        "None" => spec.session_affinity_config = None,
        "ClientIP" => {
            let has_timeout = spec
                .session_affinity_config
                .as_ref()
                .and_then(|c| c.client_ip.as_ref())
                .is_some_and(|c| c.timeout_seconds.is_some());
            if !has_timeout {
                spec.session_affinity_config = Some(SessionAffinityConfig {
                    client_ip: Some(ClientIPConfig {
                        timeout_seconds: Some(DEFAULT_CLIENT_IP_AFFINITY_SECONDS),
                    }),
                });
            }
        }
        _ => {}
    }
    for p in spec.ports.iter_mut().flatten() {
        p.protocol.get_or_insert_with(|| "TCP".to_string());
        let unset = match &p.target_port {
            None | Some(IntOrString::Int(0)) => true,
            Some(IntOrString::String(s)) => s.is_empty(),
            Some(IntOrString::Int(_)) => false,
        };
        if unset {
            p.target_port = Some(IntOrString::Int(p.port));
        }
    }
    if externally_accessible(spec)
        && spec
            .external_traffic_policy
            .as_deref()
            .unwrap_or("")
            .is_empty()
    {
        spec.external_traffic_policy = Some("Cluster".to_string());
    }
    if type_ != ServiceType::ExternalName.as_str() {
        spec.internal_traffic_policy
            .get_or_insert_with(|| "Cluster".to_string());
    }
    if type_ == ServiceType::LoadBalancer.as_str() {
        spec.allocate_load_balancer_node_ports.get_or_insert(true);
    }
}

/// `ExternallyAccessible` (`pkg/api/v1/service`): NodePort, LoadBalancer, or ClusterIP with
/// externalIPs.
fn externally_accessible(spec: &ServiceSpec) -> bool {
    match ServiceType::parse(spec.type_.as_deref().unwrap_or_default()) {
        Some(ServiceType::NodePort | ServiceType::LoadBalancer) => true,
        Some(ServiceType::ClusterIP) => spec
            .external_ips
            .as_ref()
            .is_some_and(|ips| !ips.is_empty()),
        _ => false,
    }
}

/// `DefaultClientIPServiceAffinitySeconds`: three hours.
pub const DEFAULT_CLIENT_IP_AFFINITY_SECONDS: i32 = 10_800;

/// `ValidateService` (spec part), in upstream's order: ports required (unless headless or
/// ExternalName); `None` refused for NodePort and LoadBalancer; ExternalName's `externalName`;
/// each port; selector labels; sessionAffinity; the ClusterIP fields
/// (`ValidateServiceClusterIPsRelatedFields`, single-stack IPv4); type; nodePort refused for
/// ClusterIP; duplicate (protocol, port) pairs; externalTrafficPolicy; internalTrafficPolicy.
/// Not checked: externalIPs, load-balancer source ranges and class, session-affinity config,
/// healthCheckNodePort, trafficDistribution.
pub fn validate(svc: &Service) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(spec) = svc.spec.as_ref() else {
        return vec![FieldError::required("spec", "")];
    };
    let type_ = spec.type_.as_deref().unwrap_or_default();
    let ports = spec.ports.as_deref().unwrap_or_default();
    let cluster_ips = spec.cluster_ips.clone().unwrap_or_default();
    // isHeadlessService looks at clusterIPs; before allocation only clusterIP may be set.
    let headless = if cluster_ips.is_empty() {
        spec.cluster_ip.as_deref() == Some(HEADLESS)
    } else {
        cluster_ips.len() == 1 && cluster_ips.first().map(String::as_str) == Some(HEADLESS)
    };
    let external_name = type_ == ServiceType::ExternalName.as_str();
    if ports.is_empty() && !headless && !external_name {
        errs.push(FieldError::required("spec.ports", ""));
    }
    match ServiceType::parse(type_) {
        Some(t @ (ServiceType::NodePort | ServiceType::LoadBalancer)) if headless => {
            errs.push(FieldError::invalid(
                "spec.clusterIPs[0]",
                HEADLESS,
                format!("may not be set to 'None' for {} services", t.as_str()),
            ));
        }
        Some(ServiceType::ExternalName) => {
            if !cluster_ips.is_empty() {
                errs.push(FieldError::forbidden(
                    "spec.clusterIPs",
                    "may not be set for ExternalName services",
                ));
            }
            if spec.ip_families.as_ref().is_some_and(|f| !f.is_empty()) {
                errs.push(FieldError::forbidden(
                    "spec.ipFamilies",
                    "may not be set for ExternalName services",
                ));
            }
            if spec.ip_family_policy.is_some() {
                errs.push(FieldError::forbidden(
                    "spec.ipFamilyPolicy",
                    "may not be set for ExternalName services",
                ));
            }
            let name = spec.external_name.as_deref().unwrap_or_default();
            let cname = name.strip_suffix('.').unwrap_or(name);
            if cname.is_empty() {
                errs.push(FieldError::required("spec.externalName", ""));
            } else {
                for msg in validation::is_dns1123_subdomain(cname) {
                    errs.push(FieldError::invalid("spec.externalName", cname, msg));
                }
            }
        }
        _ => {}
    }
    let mut names = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        errs.extend(validate_port(p, i, ports.len() > 1, &mut names));
    }
    if let Some(selector) = spec.selector.as_ref() {
        errs.extend(validation::validate_labels(selector, "spec.selector"));
    }
    match spec.session_affinity.as_deref().unwrap_or_default() {
        "" => errs.push(FieldError::required("spec.sessionAffinity", "")),
        "ClientIP" | "None" => {}
        other => errs.push(FieldError::not_supported(
            "spec.sessionAffinity",
            other,
            &["ClientIP", "None"],
        )),
    }
    if !external_name {
        errs.extend(validate_cluster_ips(spec));
    }
    match type_ {
        "" => errs.push(FieldError::required("spec.type", "")),
        t if ServiceType::parse(t).is_none() => {
            let mut supported: Vec<&str> = ServiceType::ALL.iter().map(|t| t.as_str()).collect();
            crate::engine::sort::sort(&mut supported);
            errs.push(FieldError::not_supported("spec.type", t, &supported));
        }
        _ => {}
    }
    if type_ == ServiceType::ClusterIP.as_str() {
        for (i, p) in ports.iter().enumerate() {
            if p.node_port.is_some_and(|n| n != 0) {
                errs.push(FieldError::forbidden(
                    format!("spec.ports[{i}].nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    let mut node_ports = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let Some(n) = p.node_port.filter(|n| *n != 0) else {
            continue;
        };
        if !node_ports.insert((p.protocol.clone().unwrap_or_default(), n)) {
            errs.push(FieldError::duplicate(
                format!("spec.ports[{i}].nodePort"),
                ErrorValue::Int(i64::from(n)),
            ));
        }
    }
    let mut seen = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let protocol = p.protocol.clone().unwrap_or_default();
        if !seen.insert((protocol.clone(), p.port)) {
            // Go's %#v of the core.ServicePort key {Protocol, Port}.
            errs.push(FieldError::duplicate(
                format!("spec.ports[{i}]"),
                ErrorValue::Raw(format!(
                    "core.ServicePort{{Name:\"\", Protocol:{}, AppProtocol:(*string)(nil), Port:{}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
                    validation::go_quote(&protocol),
                    p.port
                )),
            ));
        }
    }
    let externally_accessible = externally_accessible(spec);
    let etp = spec.external_traffic_policy.as_deref().unwrap_or_default();
    if !externally_accessible {
        if !etp.is_empty() {
            errs.push(FieldError::invalid(
                "spec.externalTrafficPolicy",
                etp,
                "may only be set for externally-accessible services",
            ));
        }
    } else if etp.is_empty() {
        errs.push(FieldError::required("spec.externalTrafficPolicy", ""));
    } else if !["Cluster", "Local"].contains(&etp) {
        errs.push(FieldError::not_supported(
            "spec.externalTrafficPolicy",
            etp,
            &["Cluster", "Local"],
        ));
    }
    match spec.internal_traffic_policy.as_deref() {
        None if matches!(
            ServiceType::parse(type_),
            Some(ServiceType::ClusterIP | ServiceType::NodePort | ServiceType::LoadBalancer)
        ) =>
        {
            errs.push(FieldError::required("spec.internalTrafficPolicy", ""));
        }
        Some(itp) if !["Cluster", "Local"].contains(&itp) => {
            errs.push(FieldError::not_supported(
                "spec.internalTrafficPolicy",
                itp,
                &["Cluster", "Local"],
            ));
        }
        _ => {}
    }
    errs
}

/// `ValidateServiceClusterIPsRelatedFields` for a single-stack IPv4 cluster: `clusterIPs`
/// agrees with `clusterIP`, each entry is an IP (or a lone `None`), at most two, IPv4 only.
fn validate_cluster_ips(spec: &ServiceSpec) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let ip = spec.cluster_ip.as_deref().unwrap_or_default();
    let ips = spec.cluster_ips.clone().unwrap_or_default();
    let shown = || ErrorValue::Raw(validation::go_string_slice(spec.cluster_ips.as_ref()));
    // Before allocation (this engine validates a created Service before the allocator runs, so
    // `clusterIPs` is still empty) the list mirrors `clusterIP`.
    let ips = if ips.is_empty() && !ip.is_empty() && spec.cluster_ips.is_none() {
        vec![ip.to_string()]
    } else {
        if !ip.is_empty() {
            if ips.is_empty() {
                errs.push(FieldError::required("spec.clusterIPs", ""));
            } else if ips.first().map(String::as_str) != Some(ip) {
                errs.push(FieldError::invalid(
                    "spec.clusterIPs",
                    shown(),
                    "first value must match `clusterIP`",
                ));
            }
        } else if !ips.is_empty() {
            errs.push(FieldError::invalid(
                "spec.clusterIPs",
                shown(),
                "must be empty when `clusterIP` is not specified",
            ));
        }
        ips
    };
    for (i, family) in spec.ip_families.iter().flatten().enumerate() {
        if family != "IPv4" && family != "IPv6" {
            errs.push(FieldError::not_supported(
                format!("spec.ipFamilies[{i}]"),
                family.as_str(),
                &["IPv4", "IPv6"],
            ));
        }
    }
    if let Some(policy) = spec.ip_family_policy.as_deref() {
        if !["PreferDualStack", "RequireDualStack", "SingleStack"].contains(&policy) {
            errs.push(FieldError::not_supported(
                "spec.ipFamilyPolicy",
                policy,
                &["PreferDualStack", "RequireDualStack", "SingleStack"],
            ));
        }
    }
    for (i, value) in ips.iter().enumerate() {
        if i == 0 && value == HEADLESS {
            if ips.len() > 1 {
                errs.push(FieldError::invalid(
                    "spec.clusterIPs",
                    shown(),
                    "'None' must be the first and only value",
                ));
            }
            continue;
        }
        if parse_ipv4(value).is_none() {
            errs.push(FieldError::invalid(
                format!("spec.clusterIPs[{i}]"),
                value.as_str(),
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ));
        }
    }
    if ips.len() > 2 {
        errs.push(FieldError::invalid(
            "spec.clusterIPs",
            shown(),
            "may only hold up to 2 values",
        ));
    }
    errs
}

fn validate_port(
    p: &ServicePort,
    i: usize,
    require_name: bool,
    names: &mut BTreeSet<String>,
) -> Vec<FieldError> {
    let path = format!("spec.ports[{i}]");
    let mut errs = Vec::new();
    match p.name.as_deref().filter(|n| !n.is_empty()) {
        None if require_name => errs.push(FieldError::required(format!("{path}.name"), "")),
        None => {}
        Some(name) => {
            for msg in validation::is_dns1123_label(name) {
                errs.push(FieldError::invalid(format!("{path}.name"), name, msg));
            }
            if !names.insert(name.to_string()) {
                errs.push(FieldError::duplicate(format!("{path}.name"), name));
            }
        }
    }
    for msg in validation::is_valid_port_num(i64::from(p.port)) {
        errs.push(FieldError::invalid(
            format!("{path}.port"),
            ErrorValue::Int(i64::from(p.port)),
            msg,
        ));
    }
    let protocol = p.protocol.as_deref().unwrap_or("TCP");
    if !["TCP", "UDP", "SCTP"].contains(&protocol) {
        errs.push(FieldError::not_supported(
            format!("{path}.protocol"),
            protocol,
            &["SCTP", "TCP", "UDP"],
        ));
    }
    match &p.target_port {
        Some(IntOrString::Int(n)) => {
            for msg in validation::is_valid_port_num(i64::from(*n)) {
                errs.push(FieldError::invalid(
                    format!("{path}.targetPort"),
                    ErrorValue::Int(i64::from(*n)),
                    msg,
                ));
            }
        }
        Some(IntOrString::String(s)) => {
            for msg in validation::is_valid_port_name(s) {
                errs.push(FieldError::invalid(format!("{path}.targetPort"), s, msg));
            }
        }
        None => {}
    }
    errs
}

/// What the Service REST storage does to an update before validation (`beginUpdate` in
/// `pkg/registry/core/service/storage/storage.go`): `patchAllocatedValues` keeps the allocated
/// ClusterIPs when the new object leaves them out (the caller already copies both when
/// `spec.clusterIP` is omitted), then `normalizeClusterIPs` syncs `spec.clusterIPs` with a
/// changed `spec.clusterIP` when the client sent the old `clusterIPs` (or none).
pub fn prepare_for_update(new: &mut Service, old: &Service) {
    let (Some(ns), Some(os)) = (new.spec.as_mut(), old.spec.as_ref()) else {
        return;
    };
    patch_node_ports(ns, os);
    let external = |t: Option<&str>| t == Some(ServiceType::ExternalName.as_str());
    // patchAllocatedValues
    if !external(ns.type_.as_deref()) && !external(os.type_.as_deref()) {
        if ns.cluster_ip.as_deref().unwrap_or_default().is_empty() {
            ns.cluster_ip = os.cluster_ip.clone();
        }
        if ns.cluster_ips.as_ref().is_none_or(Vec::is_empty)
            && os.cluster_ips.as_ref().is_some_and(|v| !v.is_empty())
        {
            // Only when the new clusterIP agrees; otherwise normalizeClusterIPs decides.
            if ns.cluster_ip == os.cluster_ip {
                ns.cluster_ips = os.cluster_ips.clone();
            }
        }
    }
    // normalizeClusterIPs, update branch
    let old_ip = os.cluster_ip.clone().unwrap_or_default();
    let new_ip = ns.cluster_ip.clone().unwrap_or_default();
    let old_ips = os.cluster_ips.clone().unwrap_or_default();
    let new_ips = ns.cluster_ips.clone().unwrap_or_default();
    if !old_ips.is_empty() && new_ips.is_empty() && old_ip == new_ip {
        ns.cluster_ips = os.cluster_ips.clone();
    }
    if old_ip != new_ip {
        // sameClusterIPs: the client sent the old list, or none at all.
        let same = new_ips.is_empty() || new_ips == old_ips;
        if !old_ip.is_empty() && new_ip.is_empty() {
            if same {
                ns.cluster_ips = None;
            }
        } else if same {
            ns.cluster_ips = Some(vec![new_ip]);
        }
    }
}

/// `ValidateServiceUpdate`'s own checks (then [`validate`] runs): `validateUpgradeDowngradeClusterIPs`
/// on a single-stack cluster — a set primary ClusterIP may not change or be unset (both
/// ExternalName, or both headless, are exempt).
pub fn validate_update(new: &Service, old: &Service) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let spec_type = |s: &Service| s.spec.as_ref().and_then(|s| s.type_.clone());
    let external = Some(ServiceType::ExternalName.as_str().to_string());
    if spec_type(new) == external || spec_type(old) == external {
        return errs;
    }
    let ips = |s: &Service| {
        s.spec
            .as_ref()
            .and_then(|s| s.cluster_ips.clone())
            .unwrap_or_default()
    };
    let headless = |v: &[String]| v.len() == 1 && v.first().map(String::as_str) == Some(HEADLESS);
    let (new_ips, old_ips) = (ips(new), ips(old));
    if headless(&new_ips) && headless(&old_ips) {
        return errs;
    }
    let shown = || {
        ErrorValue::Raw(validation::go_string_slice(
            new.spec.as_ref().and_then(|s| s.cluster_ips.as_ref()),
        ))
    };
    if new_ips.len() == old_ips.len() {
        for (i, (o, n)) in old_ips.iter().zip(&new_ips).enumerate() {
            if o != n {
                errs.push(FieldError::invalid(
                    format!("spec.clusterIPs[{i}]"),
                    shown(),
                    "may not change once set",
                ));
            }
        }
    } else if old_ips.len() > new_ips.len() {
        if new_ips.is_empty() {
            errs.push(FieldError::invalid(
                "spec.clusterIPs[0]",
                shown(),
                "primary clusterIP can not be unset",
            ));
        }
        if new_ips.first().is_some_and(|n| Some(n) != old_ips.first()) {
            errs.push(FieldError::invalid(
                "spec.clusterIPs[0]",
                shown(),
                "may not change once set",
            ));
        }
    } else if old_ips.first().is_some_and(|o| Some(o) != new_ips.first()) {
        errs.push(FieldError::invalid(
            "spec.clusterIPs[0]",
            shown(),
            "may not change once set",
        ));
    }
    errs
}

/// The ClusterIPs in use by `services`, as offsets into the service CIDR.
/// `needsNodePort`: a NodePort Service, or a LoadBalancer that allocates node ports.
pub fn needs_node_ports(spec: &ServiceSpec) -> bool {
    match spec.type_.as_deref() {
        Some("NodePort") => true,
        Some("LoadBalancer") => spec.allocate_load_balancer_node_ports != Some(false),
        _ => false,
    }
}

fn node_ports_of(spec: &ServiceSpec) -> impl Iterator<Item = i32> + '_ {
    spec.ports
        .iter()
        .flatten()
        .filter_map(|p| p.node_port.filter(|n| *n != 0))
}

/// The update half of `patchAllocatedValues` for node ports, then `dropTypeDependentFields`:
/// while both old and new need node ports, a port sent without one keeps the node port the old
/// port of the same name had (unless another new port uses it); a Service changing to a type
/// that needs none drops the node ports it did not change, and one no longer externally
/// accessible (or no longer a LoadBalancer) its unchanged `externalTrafficPolicy`
/// (`allocateLoadBalancerNodePorts`, `healthCheckNodePort`).
fn patch_node_ports(ns: &mut ServiceSpec, os: &ServiceSpec) {
    if needs_node_ports(ns) && needs_node_ports(os) {
        let used: BTreeSet<i32> = node_ports_of(ns).collect();
        let by_name: Vec<(String, i32)> = os
            .ports
            .iter()
            .flatten()
            .map(|p| (p.name.clone().unwrap_or_default(), p.node_port.unwrap_or(0)))
            .collect();
        for p in ns.ports.iter_mut().flatten() {
            if p.node_port.unwrap_or(0) != 0 {
                continue;
            }
            let name = p.name.clone().unwrap_or_default();
            if let Some((_, old)) = by_name.iter().find(|(n, _)| *n == name) {
                if *old != 0 && !used.contains(old) {
                    p.node_port = Some(*old);
                }
            }
        }
    }
    // The rest of dropTypeDependentFields: fields the new type has no use for, left as they
    // were, are dropped.
    if externally_accessible(os)
        && !externally_accessible(ns)
        && ns.external_traffic_policy == os.external_traffic_policy
    {
        ns.external_traffic_policy = None;
    }
    let lb = |s: &ServiceSpec| s.type_.as_deref() == Some("LoadBalancer");
    if lb(os) && !lb(ns) {
        if ns.allocate_load_balancer_node_ports == os.allocate_load_balancer_node_ports {
            ns.allocate_load_balancer_node_ports = None;
        }
        if ns.health_check_node_port == os.health_check_node_port {
            ns.health_check_node_port = None;
        }
    }
    if !needs_node_ports(ns) && needs_node_ports(os) {
        let unchanged = ns.ports.iter().flatten().all(|p| {
            p.node_port.is_none_or(|n| n == 0)
                || os
                    .ports
                    .iter()
                    .flatten()
                    .any(|o| o.port == p.port && o.node_port == p.node_port)
        });
        if unchanged {
            for p in ns.ports.iter_mut().flatten() {
                p.node_port = None;
            }
        }
    }
}

/// Node ports in use by `services`.
pub fn allocated_node_ports<'a>(services: impl Iterator<Item = &'a Service>) -> BTreeSet<i32> {
    services
        .filter_map(|s| s.spec.as_ref())
        .flat_map(node_ports_of)
        .collect()
}

/// The node port allocator (`pkg/registry/core/service/portallocator`) on create and update:
/// for a Service that needs node ports, a requested port must be inside
/// [`NODE_PORT_RANGE`] and free (`in_use`: other Services' ports; `old`: the Service before the
/// update, whose own ports stay its own); a port without one gets a free one picked by `pick`
/// (`pick(n)` returns a number below `n`; upstream picks at random too).
pub fn allocate_node_ports(
    svc: &mut Service,
    old: Option<&Service>,
    in_use: &BTreeSet<i32>,
    pick: &mut dyn FnMut(u64) -> u64,
) -> Result<(), FieldError> {
    let Some(spec) = svc.spec.as_mut() else {
        return Ok(());
    };
    if !needs_node_ports(spec) {
        return Ok(());
    }
    let own: BTreeSet<i32> = old
        .and_then(|o| o.spec.as_ref())
        .map(|o| node_ports_of(o).collect())
        .unwrap_or_default();
    let mut taken = in_use.clone();
    for (i, p) in spec.ports.iter().flatten().enumerate() {
        let Some(n) = p.node_port.filter(|n| *n != 0) else {
            continue;
        };
        let path = format!("spec.ports[{i}].nodePort");
        if !NODE_PORT_RANGE.contains(&n) {
            return Err(FieldError::invalid(
                path,
                ErrorValue::Int(i64::from(n)),
                format!(
                    "provided port is not in the valid range. The range of valid ports is {}-{}",
                    NODE_PORT_RANGE.start(),
                    NODE_PORT_RANGE.end()
                ),
            ));
        }
        if in_use.contains(&n) && !own.contains(&n) {
            return Err(FieldError::invalid(
                path,
                ErrorValue::Int(i64::from(n)),
                "provided port is already allocated",
            ));
        }
        taken.insert(n);
    }
    let size = NODE_PORT_RANGE.end() - NODE_PORT_RANGE.start() + 1;
    for p in spec.ports.iter_mut().flatten() {
        if p.node_port.unwrap_or(0) != 0 {
            continue;
        }
        // A random start, then the next free port (wrapping), as the bitmap allocator does.
        let start = i32::try_from(pick(u64::try_from(size).unwrap_or(1))).unwrap_or(0);
        let free = (0..size)
            .map(|k| NODE_PORT_RANGE.start() + (start + k) % size)
            .find(|n| !taken.contains(n));
        let Some(n) = free else {
            return Err(FieldError::invalid(
                "spec.ports[0].nodePort",
                ErrorValue::Int(0),
                "range is full",
            ));
        };
        taken.insert(n);
        p.node_port = Some(n);
    }
    Ok(())
}

pub fn allocated_offsets<'a>(services: impl Iterator<Item = &'a Service>) -> BTreeSet<u32> {
    services
        .filter_map(cluster_ip)
        .filter_map(parse_ipv4)
        .filter(|ip| ip & !(SERVICE_CIDR_SIZE - 1) == SERVICE_CIDR_BASE)
        .map(|ip| ip - SERVICE_CIDR_BASE)
        .collect()
}

/// What the REST storage does on create (`initIPFamilyFields` + `allocClusterIPs`): sets
/// `ipFamilies: [IPv4]` and `ipFamilyPolicy` (SingleStack; RequireDualStack for a headless
/// Service without a selector, as upstream), and gives a non-headless Service a ClusterIP: the
/// requested one if it is free and inside the range, otherwise the next free one from `*next`.
/// `allocated` holds the offsets in use; `*next` moves past what is handed out.
pub fn allocate(
    svc: &mut Service,
    allocated: &BTreeSet<u32>,
    next: &mut u32,
) -> Result<(), FieldError> {
    let spec = svc.spec.get_or_insert_with(ServiceSpec::default);
    if spec.type_.as_deref() == Some(ServiceType::ExternalName.as_str()) {
        return Ok(());
    }
    let headless = spec.cluster_ip.as_deref() == Some(HEADLESS);
    let has_selector = spec.selector.as_ref().is_some_and(|s| !s.is_empty());
    spec.ip_families
        .get_or_insert_with(|| vec!["IPv4".to_string()]);
    spec.ip_family_policy.get_or_insert_with(|| {
        if headless && !has_selector {
            "RequireDualStack".to_string()
        } else {
            "SingleStack".to_string()
        }
    });
    if headless {
        spec.cluster_ips = Some(vec![HEADLESS.to_string()]);
        return Ok(());
    }
    let requested = spec.cluster_ip.clone().filter(|ip| !ip.is_empty());
    let ip = match requested {
        Some(ip) => {
            let offset = parse_ipv4(&ip)
                .filter(|n| n & !(SERVICE_CIDR_SIZE - 1) == SERVICE_CIDR_BASE)
                .map(|n| n - SERVICE_CIDR_BASE)
                .filter(|o| *o != 0 && *o != SERVICE_CIDR_SIZE - 1);
            let Some(offset) = offset else {
                return Err(FieldError::invalid(
                    "spec.clusterIPs",
                    ErrorValue::Raw(format!("[]string{{\"{ip}\"}}")),
                    format!("failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs is 10.96.0.0/12"),
                ));
            };
            if allocated.contains(&offset) {
                return Err(FieldError::invalid(
                    "spec.clusterIPs",
                    ErrorValue::Raw(format!("[]string{{\"{ip}\"}}")),
                    format!("failed to allocate IP {ip}: provided IP is already allocated"),
                ));
            }
            ip
        }
        None => {
            let span = SERVICE_CIDR_SIZE - FIRST_DYNAMIC_OFFSET - 1;
            let start = (*next).clamp(FIRST_DYNAMIC_OFFSET, SERVICE_CIDR_SIZE - 2);
            let found = (0..span)
                .map(|i| FIRST_DYNAMIC_OFFSET + (start - FIRST_DYNAMIC_OFFSET + i) % span)
                .find(|o| !allocated.contains(o));
            let Some(offset) = found else {
                return Err(FieldError::invalid(
                    "spec.clusterIPs",
                    ErrorValue::Raw("[]string{}".to_string()),
                    "failed to allocate a serviceIP: range is full",
                ));
            };
            *next = offset + 1;
            format_ipv4(SERVICE_CIDR_BASE + offset)
        }
    };
    spec.cluster_ip = Some(ip.clone());
    spec.cluster_ips = Some(vec![ip]);
    Ok(())
}

/// The `kubernetes` Service the API server keeps in `default`.
pub fn kubernetes_service() -> Service {
    serde_json::from_value(serde_json::json!({
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"component": "apiserver", "provider": "kubernetes"}
        },
        "spec": {
            "clusterIP": KUBERNETES_SERVICE_IP,
            "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]
        }
    }))
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn svc(json: serde_json::Value) -> Service {
        serde_json::from_value(json).unwrap()
    }

    fn node_ports(s: &Service) -> Vec<Option<i32>> {
        s.spec
            .iter()
            .flat_map(|s| s.ports.iter().flatten())
            .map(|p| p.node_port)
            .collect()
    }

    /// The node port allocator on create: requested ports checked against the range and the
    /// ports in use, missing ones picked from a random start (here: the `pick` stub's answer).
    #[test]
    fn allocate_node_ports_cases() {
        let in_use = BTreeSet::from([30000, 30001, 30080]);
        type Want = Result<Vec<Option<i32>>, &'static str>;
        let cases: &[(&str, serde_json::Value, Want)] = &[
            (
                "ClusterIP needs none",
                json!({"spec": {"type": "ClusterIP", "ports": [{"port": 80}]}}),
                Ok(vec![None]),
            ),
            (
                "NodePort: a random start, then the next free port",
                json!({"spec": {"type": "NodePort", "ports": [{"port": 80}, {"port": 81, "nodePort": 30002}]}}),
                Ok(vec![Some(30003), Some(30002)]),
            ),
            (
                "LoadBalancer allocates unless allocateLoadBalancerNodePorts is false",
                json!({"spec": {"type": "LoadBalancer", "ports": [{"port": 80}]}}),
                Ok(vec![Some(30002)]),
            ),
            (
                "LoadBalancer without node ports",
                json!({"spec": {"type": "LoadBalancer", "allocateLoadBalancerNodePorts": false, "ports": [{"port": 80}]}}),
                Ok(vec![None]),
            ),
            (
                "out of range",
                json!({"spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 80}]}}),
                Err("spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767"),
            ),
            (
                "taken by another Service",
                json!({"spec": {"type": "NodePort", "ports": [{"port": 80}, {"port": 81, "nodePort": 30080}]}}),
                Err("spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated"),
            ),
        ];
        for (name, input, want) in cases {
            let mut s = svc(input.clone());
            // The stub's random start is offset 0 (30000), which is in use.
            let got = allocate_node_ports(&mut s, None, &in_use, &mut |_| 0)
                .map(|()| node_ports(&s))
                .map_err(|e| e.to_string());
            assert_eq!(got, want.clone().map_err(str::to_string), "{name}");
        }
        // Updating: the Service's own ports stay its own.
        let old =
            svc(json!({"spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]}}));
        let mut s = old.clone();
        assert!(allocate_node_ports(&mut s, Some(&old), &in_use, &mut |_| 0).is_ok());
    }

    /// After `TestPatchAllocatedValues` and `TestDropTypeDependentFields`
    /// (`pkg/registry/core/service/storage/storage_test.go`, `strategy_test.go`).
    #[test]
    fn update_keeps_or_drops_node_ports() {
        let old = svc(
            json!({"spec": {"type": "NodePort", "externalTrafficPolicy": "Cluster",
            "ports": [{"name": "a", "port": 80, "nodePort": 30080}, {"name": "b", "port": 81, "nodePort": 30081}]}}),
        );
        type Case = (
            &'static str,
            serde_json::Value,
            Vec<Option<i32>>,
            Option<&'static str>,
        );
        let cases: &[Case] = &[
            (
                "ports sent without node ports keep them, matched by name",
                json!({"spec": {"type": "NodePort", "externalTrafficPolicy": "Cluster",
                    "ports": [{"name": "b", "port": 90}, {"name": "a", "port": 80}]}}),
                vec![Some(30081), Some(30080)],
                Some("Cluster"),
            ),
            (
                "a node port another new port took is not patched in",
                json!({"spec": {"type": "NodePort", "externalTrafficPolicy": "Cluster",
                    "ports": [{"name": "a", "port": 80}, {"name": "c", "port": 82, "nodePort": 30080}]}}),
                vec![None, Some(30080)],
                Some("Cluster"),
            ),
            (
                "to ClusterIP with unchanged node ports and policy: both dropped",
                json!({"spec": {"type": "ClusterIP", "externalTrafficPolicy": "Cluster",
                    "ports": [{"name": "a", "port": 80, "nodePort": 30080}]}}),
                vec![None],
                None,
            ),
            (
                "to ClusterIP with a changed node port: kept (validation refuses it)",
                json!({"spec": {"type": "ClusterIP",
                    "ports": [{"name": "a", "port": 80, "nodePort": 30099}]}}),
                vec![Some(30099)],
                None,
            ),
        ];
        for (name, input, want_ports, want_policy) in cases {
            let mut s = svc(input.clone());
            prepare_for_update(&mut s, &old);
            assert_eq!(&node_ports(&s), want_ports, "{name}");
            let policy = s
                .spec
                .as_ref()
                .and_then(|s| s.external_traffic_policy.as_deref());
            assert_eq!(policy, *want_policy, "{name}");
        }
    }

    struct Case {
        name: &'static str,
        input: Service,
        allocated: Vec<u32>,
        next: u32,
        want_ip: Option<&'static str>,
        want_policy: Option<&'static str>,
        want_err: Option<&'static str>,
    }

    #[test]
    fn allocate_cluster_ips() {
        let cases = vec![
            Case {
                name: "TestAllocateNext",
                input: svc(serde_json::json!({"spec": {"selector": {"a": "b"}, "ports": [{"port": 80}]}})),
                allocated: vec![],
                next: 0,
                want_ip: Some("10.96.0.11"),
                want_policy: Some("SingleStack"),
                want_err: None,
            },
            Case {
                name: "TestAllocateSkipsUsed",
                input: svc(serde_json::json!({"spec": {"ports": [{"port": 80}]}})),
                allocated: vec![11, 12],
                next: 11,
                want_ip: Some("10.96.0.13"),
                want_policy: Some("SingleStack"),
                want_err: None,
            },
            Case {
                name: "TestHeadlessWithSelector",
                input: svc(serde_json::json!({"spec": {"clusterIP": "None", "selector": {"a": "b"}}})),
                allocated: vec![],
                next: 0,
                want_ip: Some("None"),
                want_policy: Some("SingleStack"),
                want_err: None,
            },
            Case {
                name: "TestHeadlessWithoutSelector",
                input: svc(serde_json::json!({"spec": {"clusterIP": "None"}})),
                allocated: vec![],
                next: 0,
                want_ip: Some("None"),
                want_policy: Some("RequireDualStack"),
                want_err: None,
            },
            Case {
                name: "TestRequestedIPAlreadyAllocated",
                input: svc(serde_json::json!({"spec": {"clusterIP": "10.96.0.20", "ports": [{"port": 80}]}})),
                allocated: vec![20],
                next: 0,
                want_ip: None,
                want_policy: None,
                want_err: Some("spec.clusterIPs: Invalid value: []string{\"10.96.0.20\"}: failed to allocate IP 10.96.0.20: provided IP is already allocated"),
            },
            Case {
                name: "TestRequestedIPOutOfRange",
                input: svc(serde_json::json!({"spec": {"clusterIP": "192.168.0.1", "ports": [{"port": 80}]}})),
                allocated: vec![],
                next: 0,
                want_ip: None,
                want_policy: None,
                want_err: Some("spec.clusterIPs: Invalid value: []string{\"192.168.0.1\"}: failed to allocate IP 192.168.0.1: the provided IP (192.168.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12"),
            },
        ];
        for case in cases {
            let mut s = case.input.clone();
            let allocated: BTreeSet<u32> = case.allocated.iter().copied().collect();
            let mut next = case.next;
            let res = allocate(&mut s, &allocated, &mut next);
            match case.want_err {
                Some(want) => {
                    assert_eq!(
                        res.map_err(|e| e.to_string()),
                        Err(want.to_string()),
                        "{}",
                        case.name
                    )
                }
                None => {
                    assert!(res.is_ok(), "{}", case.name);
                    let spec = s.spec.unwrap();
                    assert_eq!(spec.cluster_ip.as_deref(), case.want_ip, "{}", case.name);
                    assert_eq!(
                        spec.cluster_ips,
                        case.want_ip.map(|ip| vec![ip.to_string()]),
                        "{}",
                        case.name
                    );
                    assert_eq!(
                        spec.ip_family_policy.as_deref(),
                        case.want_policy,
                        "{}",
                        case.name
                    );
                    assert_eq!(
                        spec.ip_families,
                        Some(vec!["IPv4".to_string()]),
                        "{}",
                        case.name
                    );
                }
            }
        }
    }

    #[test]
    fn set_defaults_service() {
        let mut s = svc(
            serde_json::json!({"spec": {"ports": [{"port": 8080}, {"port": 53, "protocol": "UDP", "targetPort": "dns"}]}}),
        );
        default(&mut s);
        let spec = s.spec.unwrap();
        assert_eq!(spec.type_.as_deref(), Some("ClusterIP"));
        assert_eq!(spec.session_affinity.as_deref(), Some("None"));
        assert_eq!(spec.internal_traffic_policy.as_deref(), Some("Cluster"));
        let ports = spec.ports.unwrap();
        assert_eq!(ports[0].protocol.as_deref(), Some("TCP"));
        assert_eq!(ports[0].target_port, Some(IntOrString::Int(8080)));
        assert_eq!(ports[1].protocol.as_deref(), Some("UDP"));
        assert_eq!(
            ports[1].target_port,
            Some(IntOrString::String("dns".to_string()))
        );
    }

    /// Cases from upstream `pkg/apis/core/v1/defaults_test.go`, named after its tests: the JSON
    /// pointers into the defaulted spec and their values (`Null` for absent).
    #[test]
    fn set_defaults_service_table() {
        use serde_json::{json, Value};
        struct Case {
            name: &'static str,
            spec: Value,
            want: Vec<(&'static str, Value)>,
        }
        let cases = [
            Case {
                name: "TestSetDefaultServiceSessionAffinity",
                spec: json!({"ports": [{"port": 80}]}),
                want: vec![
                    ("/sessionAffinity", json!("None")),
                    ("/sessionAffinityConfig", Value::Null),
                ],
            },
            Case {
                name: "TestSetDefaultServiceSessionAffinity (None drops a config)",
                spec: json!({"ports": [{"port": 80}], "sessionAffinity": "None", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}}),
                want: vec![("/sessionAffinityConfig", Value::Null)],
            },
            Case {
                name: "TestSetDefaultServiceSessionAffinity (ClientIP gets 10800 s)",
                spec: json!({"ports": [{"port": 80}], "sessionAffinity": "ClientIP"}),
                want: vec![(
                    "/sessionAffinityConfig/clientIP/timeoutSeconds",
                    json!(10800),
                )],
            },
            Case {
                name: "TestSetDefaultServiceSessionAffinity (ClientIP keeps its timeout)",
                spec: json!({"ports": [{"port": 80}], "sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}}),
                want: vec![("/sessionAffinityConfig/clientIP/timeoutSeconds", json!(60))],
            },
            Case {
                name: "TestSetDefaultServiceTargetPort",
                spec: json!({"ports": [{"port": 1234}, {"port": 1235, "targetPort": 0}, {"port": 1236, "targetPort": ""}, {"port": 1237, "targetPort": "http"}]}),
                want: vec![
                    ("/ports/0/targetPort", json!(1234)),
                    ("/ports/1/targetPort", json!(1235)),
                    ("/ports/2/targetPort", json!(1236)),
                    ("/ports/3/targetPort", json!("http")),
                ],
            },
            Case {
                name: "TestSetDefaultNodeExternalTrafficPolicyForNodePort",
                spec: json!({"type": "NodePort", "ports": [{"port": 80}]}),
                want: vec![
                    ("/externalTrafficPolicy", json!("Cluster")),
                    ("/allocateLoadBalancerNodePorts", Value::Null),
                ],
            },
            Case {
                name: "TestSetDefaultExternalTrafficPolicyForClusterIPWithExternalIPs",
                spec: json!({"ports": [{"port": 80}], "externalIPs": ["192.0.2.10"]}),
                want: vec![("/externalTrafficPolicy", json!("Cluster"))],
            },
            Case {
                name: "TestSetDefaultExternalTrafficPolicy (ClusterIP without externalIPs)",
                spec: json!({"ports": [{"port": 80}]}),
                want: vec![
                    ("/externalTrafficPolicy", Value::Null),
                    ("/internalTrafficPolicy", json!("Cluster")),
                ],
            },
            Case {
                name: "TestSetDefaultServiceLoadbalancerAllocateNodePorts",
                spec: json!({"type": "LoadBalancer", "ports": [{"port": 80}]}),
                want: vec![
                    ("/allocateLoadBalancerNodePorts", json!(true)),
                    ("/externalTrafficPolicy", json!("Cluster")),
                ],
            },
            Case {
                name: "TestSetDefaultServiceLoadbalancerAllocateNodePorts (false kept)",
                spec: json!({"type": "LoadBalancer", "allocateLoadBalancerNodePorts": false, "ports": [{"port": 80}]}),
                want: vec![("/allocateLoadBalancerNodePorts", json!(false))],
            },
            Case {
                name: "TestSetDefaultServiceInternalTrafficPolicy (ExternalName)",
                spec: json!({"type": "ExternalName", "externalName": "example.com"}),
                want: vec![
                    ("/internalTrafficPolicy", Value::Null),
                    ("/externalTrafficPolicy", Value::Null),
                ],
            },
        ];
        for case in &cases {
            let s = defaulted(json!({ "spec": case.spec }));
            let got = serde_json::to_value(&s.spec).unwrap_or_default();
            for (pointer, want) in &case.want {
                let value = got.pointer(pointer).cloned().unwrap_or(Value::Null);
                assert_eq!(&value, want, "case {}: {pointer} in {got}", case.name);
            }
            let mut again = s.clone();
            default(&mut again);
            assert_eq!(again, s, "case {}: not idempotent", case.name);
        }
    }

    fn defaulted(json: serde_json::Value) -> Service {
        let mut s = svc(json);
        default(&mut s);
        s
    }

    struct ValidateCase {
        name: &'static str,
        input: serde_json::Value,
        want: Vec<&'static str>,
    }

    /// Cases from upstream `TestValidateServiceCreate` (pkg/apis/core/validation), after
    /// defaulting as the API server does.
    #[test]
    fn validate_service_create() {
        let cases = vec![
            ValidateCase { name: "TestValidateServiceOK", input: serde_json::json!({"spec": {"ports": [{"port": 80}]}}), want: vec![] },
            ValidateCase { name: "valid headless, no ports", input: serde_json::json!({"spec": {"clusterIP": "None"}}), want: vec![] },
            ValidateCase { name: "missing ports", input: serde_json::json!({"spec": {}}), want: vec!["spec.ports: Required value"] },
            ValidateCase {
                name: "invalid port and type (ports before type)",
                input: serde_json::json!({"spec": {"type": "Foo", "ports": [{"port": 0}]}}),
                want: vec![
                    "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                    // Defaulting copied the port into targetPort.
                    "spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
                    "spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
                ],
            },
            ValidateCase {
                name: "missing port name (multi-port)",
                input: serde_json::json!({"spec": {"ports": [{"port": 80}, {"name": "b", "port": 81}]}}),
                want: vec!["spec.ports[0].name: Required value"],
            },
            ValidateCase {
                name: "dup port name",
                input: serde_json::json!({"spec": {"ports": [{"name": "p", "port": 80}, {"name": "p", "port": 81}]}}),
                want: vec!["spec.ports[1].name: Duplicate value: \"p\""],
            },
            ValidateCase {
                name: "invalid port name",
                input: serde_json::json!({"spec": {"ports": [{"name": "INVALID", "port": 80}]}}),
                want: vec!["spec.ports[0].name: Invalid value: \"INVALID\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"],
            },
            ValidateCase {
                name: "invalid protocol",
                input: serde_json::json!({"spec": {"ports": [{"port": 80, "protocol": "INVALID"}]}}),
                want: vec!["spec.ports[0].protocol: Unsupported value: \"INVALID\": supported values: \"SCTP\", \"TCP\", \"UDP\""],
            },
            ValidateCase {
                name: "invalid cluster ip",
                input: serde_json::json!({"spec": {"clusterIP": "invalid", "ports": [{"port": 80}]}}),
                want: vec!["spec.clusterIPs[0]: Invalid value: \"invalid\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"],
            },
            ValidateCase {
                name: "dup port",
                input: serde_json::json!({"spec": {"ports": [{"name": "a", "port": 80}, {"name": "b", "port": 80}]}}),
                want: vec!["spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"],
            },
            ValidateCase {
                name: "valid dup port, different protocols",
                input: serde_json::json!({"spec": {"ports": [{"name": "a", "port": 53}, {"name": "b", "port": 53, "protocol": "UDP"}]}}),
                want: vec![],
            },
            ValidateCase {
                name: "invalid nodePort with ClusterIP",
                input: serde_json::json!({"spec": {"ports": [{"port": 80, "nodePort": 30080}]}}),
                want: vec!["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
            },
            ValidateCase {
                name: "invalid headless NodePort",
                input: serde_json::json!({"spec": {"type": "NodePort", "clusterIP": "None", "ports": [{"port": 80}]}}),
                want: vec!["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"],
            },
            ValidateCase {
                name: "invalid session affinity",
                input: serde_json::json!({"spec": {"sessionAffinity": "Foo", "ports": [{"port": 80}]}}),
                want: vec!["spec.sessionAffinity: Unsupported value: \"Foo\": supported values: \"ClientIP\", \"None\""],
            },
            ValidateCase {
                name: "invalid internalTrafficPolicy",
                input: serde_json::json!({"spec": {"internalTrafficPolicy": "Foo", "ports": [{"port": 80}]}}),
                want: vec!["spec.internalTrafficPolicy: Unsupported value: \"Foo\": supported values: \"Cluster\", \"Local\""],
            },
            ValidateCase {
                name: "externalTrafficPolicy on ClusterIP",
                input: serde_json::json!({"spec": {"externalTrafficPolicy": "Local", "ports": [{"port": 80}]}}),
                want: vec!["spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services"],
            },
            ValidateCase {
                name: "invalid selector label value",
                input: serde_json::json!({"spec": {"selector": {"app": "-bad"}, "ports": [{"port": 80}]}}),
                want: vec!["spec.selector: Invalid value: \"-bad\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"],
            },
            ValidateCase {
                name: "valid ExternalName",
                input: serde_json::json!({"spec": {"type": "ExternalName", "externalName": "foo.bar.example.com."}}),
                want: vec![],
            },
            ValidateCase {
                name: "missing externalName",
                input: serde_json::json!({"spec": {"type": "ExternalName"}}),
                want: vec!["spec.externalName: Required value"],
            },
        ];
        for c in cases {
            let got: Vec<String> = validate(&defaulted(c.input))
                .iter()
                .map(|e| e.to_string())
                .collect();
            assert_eq!(got, c.want, "{}", c.name);
        }
    }

    struct UpdateCase {
        name: &'static str,
        old: serde_json::Value,
        new: serde_json::Value,
        want_ips: Option<Vec<&'static str>>,
        want: Vec<&'static str>,
    }

    fn allocated(json: serde_json::Value) -> Service {
        let mut s = defaulted(json);
        let mut next = FIRST_DYNAMIC_OFFSET;
        allocate(&mut s, &BTreeSet::new(), &mut next).unwrap();
        s
    }

    /// Cases from upstream `TestValidateServiceUpdate` (clusterIP/clusterIPs) and
    /// `TestNormalizeClusterIPs` (pkg/registry/core/service/storage).
    #[test]
    fn validate_service_update() {
        let base =
            serde_json::json!({"spec": {"clusterIP": "10.96.0.20", "ports": [{"port": 80}]}});
        let cases = vec![
            UpdateCase {
                name: "no change",
                old: base.clone(),
                new: serde_json::json!({"spec": {"clusterIP": "10.96.0.20", "clusterIPs": ["10.96.0.20"], "ports": [{"port": 80}]}}),
                want_ips: Some(vec!["10.96.0.20"]),
                want: vec![],
            },
            UpdateCase {
                name: "change ClusterIP (old client: only clusterIP)",
                old: base.clone(),
                new: serde_json::json!({"spec": {"clusterIP": "10.96.0.50", "ports": [{"port": 80}]}}),
                want_ips: Some(vec!["10.96.0.50"]),
                want: vec!["spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.50\"}: may not change once set"],
            },
            UpdateCase {
                name: "change ClusterIP, same ClusterIPs (synced from clusterIP)",
                old: base.clone(),
                new: serde_json::json!({"spec": {"clusterIP": "10.96.0.50", "clusterIPs": ["10.96.0.20"], "ports": [{"port": 80}]}}),
                want_ips: Some(vec!["10.96.0.50"]),
                want: vec!["spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.50\"}: may not change once set"],
            },
            UpdateCase {
                name: "change to headless",
                old: base.clone(),
                new: serde_json::json!({"spec": {"clusterIP": "None", "ports": [{"port": 80}]}}),
                want_ips: Some(vec!["None"]),
                want: vec!["spec.clusterIPs[0]: Invalid value: []string{\"None\"}: may not change once set"],
            },
            UpdateCase {
                name: "clusterIP omitted keeps the allocated one",
                old: base.clone(),
                new: serde_json::json!({"spec": {"ports": [{"port": 81}]}}),
                want_ips: Some(vec!["10.96.0.20"]),
                want: vec![],
            },
            UpdateCase {
                name: "headless stays headless",
                old: serde_json::json!({"spec": {"clusterIP": "None"}}),
                new: serde_json::json!({"spec": {"clusterIP": "None", "ports": [{"port": 80}]}}),
                want_ips: Some(vec!["None"]),
                want: vec![],
            },
            UpdateCase {
                name: "change ClusterIPs only",
                old: base.clone(),
                new: serde_json::json!({"spec": {"clusterIP": "10.96.0.20", "clusterIPs": ["10.96.0.21"], "ports": [{"port": 80}]}}),
                want_ips: Some(vec!["10.96.0.21"]),
                want: vec![
                    "spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.21\"}: may not change once set",
                    "spec.clusterIPs: Invalid value: []string{\"10.96.0.21\"}: first value must match `clusterIP`",
                ],
            },
        ];
        for c in cases {
            let old = allocated(c.old);
            let mut new = defaulted(c.new);
            // What the cluster keeps from the live object when the client leaves fields out.
            if let (Some(ns), Some(os)) = (new.spec.as_mut(), old.spec.as_ref()) {
                if ns.cluster_ip.is_none() {
                    ns.cluster_ip = os.cluster_ip.clone();
                    ns.cluster_ips = os.cluster_ips.clone();
                }
                ns.ip_families = os.ip_families.clone();
                ns.ip_family_policy = os.ip_family_policy.clone();
            }
            prepare_for_update(&mut new, &old);
            let ips: Option<Vec<String>> = new.spec.as_ref().and_then(|s| s.cluster_ips.clone());
            let want_ips = c
                .want_ips
                .map(|v| v.iter().map(|s| s.to_string()).collect());
            assert_eq!(ips, want_ips, "{}: clusterIPs", c.name);
            let mut errs = validate_update(&new, &old);
            errs.extend(validate(&new));
            let got: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
            assert_eq!(got, c.want, "{}", c.name);
        }
    }

    /// Through the API server: `kubectl apply` of a changed clusterIP is refused with upstream's
    /// message; leaving it out keeps the allocated one.
    #[test]
    fn api_server_refuses_cluster_ip_change() {
        use crate::engine::api::Object;
        let mut c = crate::engine::Cluster::new(1);
        let created = c
            .create(Object::Service(svc(serde_json::json!({
                "metadata": {"name": "web", "namespace": "default"},
                "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}
            }))))
            .unwrap();
        let Object::Service(created) = created else {
            panic!("not a Service")
        };
        let ip = created.spec.as_ref().unwrap().cluster_ip.clone().unwrap();
        let err = c
            .replace(Object::Service(svc(serde_json::json!({
                "metadata": {"name": "web", "namespace": "default"},
                "spec": {"clusterIP": "10.96.0.99", "selector": {"app": "web"}, "ports": [{"port": 80}]}
            }))))
            .unwrap_err();
        assert_eq!(
            err.message,
            "Service \"web\" is invalid: spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.99\"}: may not change once set"
        );
        let kept = c
            .replace(Object::Service(svc(serde_json::json!({
                "metadata": {"name": "web", "namespace": "default"},
                "spec": {"selector": {"app": "web"}, "ports": [{"port": 8080}]}
            }))))
            .unwrap();
        let Object::Service(kept) = kept else {
            panic!("not a Service")
        };
        assert_eq!(kept.spec.unwrap().cluster_ips, Some(vec![ip]));
    }
}
