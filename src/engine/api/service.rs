//! v1 Service on the API server: defaulting (`pkg/apis/core/v1/defaults.go`
//! `SetDefaults_Service`), the IP-family and ClusterIP allocation the Service REST storage does on
//! create (`pkg/registry/core/service/storage/alloc.go` `initIPFamilyFields`, `allocClusterIPs`)
//! and the basics of `ValidateService` (`pkg/apis/core/validation/validation.go`).
//!
//! Simplifications: the cluster is single-stack IPv4 with the service CIDR `10.96.0.0/12`; the
//! allocator hands out the next free address in order (upstream picks at random) starting at
//! `10.96.0.11`: `10.96.0.1` is the `kubernetes` Service and `10.96.0.10` is the cluster DNS
//! server (the kube-dns Service itself is not simulated). NodePort allocation, LoadBalancer
//! status and the `externalIPs`/`externalName` checks are not done.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::engine::validation::{self, ErrorValue, FieldError};

/// The first address of the service CIDR `10.96.0.0/12`, as a number.
const SERVICE_CIDR_BASE: u32 = (10 << 24) | (96 << 16);
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

/// Defaulting (`SetDefaults_Service`): type ClusterIP, sessionAffinity None, port protocol TCP,
/// targetPort = port, internalTrafficPolicy Cluster (and externalTrafficPolicy Cluster for
/// NodePort and LoadBalancer).
pub fn default(svc: &mut Service) {
    let spec = svc.spec.get_or_insert_with(ServiceSpec::default);
    let type_ = spec
        .type_
        .get_or_insert_with(|| ServiceType::ClusterIP.as_str().to_string())
        .clone();
    spec.session_affinity
        .get_or_insert_with(|| "None".to_string());
    for p in spec.ports.iter_mut().flatten() {
        p.protocol.get_or_insert_with(|| "TCP".to_string());
        if p.target_port.is_none() {
            p.target_port = Some(IntOrString::Int(p.port));
        }
    }
    if type_ != ServiceType::ExternalName.as_str() {
        spec.internal_traffic_policy
            .get_or_insert_with(|| "Cluster".to_string());
    }
    if type_ == ServiceType::NodePort.as_str() || type_ == ServiceType::LoadBalancer.as_str() {
        spec.external_traffic_policy
            .get_or_insert_with(|| "Cluster".to_string());
    }
}

/// Validation basics of `ValidateService`: type, ports (required unless headless, range, unique
/// names, names required when there are several, protocol) and the ClusterIP's syntax.
pub fn validate(svc: &Service) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(spec) = svc.spec.as_ref() else {
        return vec![FieldError::required("spec", "")];
    };
    let type_ = spec.type_.as_deref().unwrap_or("ClusterIP");
    if ServiceType::parse(type_).is_none() {
        let supported: Vec<&str> = ServiceType::ALL.iter().map(|t| t.as_str()).collect();
        errs.push(FieldError::not_supported("spec.type", type_, &supported));
    }
    let ports = spec.ports.as_deref().unwrap_or_default();
    let headless = spec.cluster_ip.as_deref() == Some(HEADLESS);
    if ports.is_empty() && !headless && type_ != ServiceType::ExternalName.as_str() {
        errs.push(FieldError::required("spec.ports", ""));
    }
    let mut names = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        errs.extend(validate_port(p, i, ports.len() > 1, &mut names));
    }
    if let Some(ip) = spec.cluster_ip.as_deref() {
        if !ip.is_empty() && ip != HEADLESS && parse_ipv4(ip).is_none() {
            errs.push(FieldError::invalid(
                "spec.clusterIPs[0]",
                ip,
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ));
        }
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

/// The ClusterIPs in use by `services`, as offsets into the service CIDR.
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

    fn svc(json: serde_json::Value) -> Service {
        serde_json::from_value(json).unwrap()
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

    #[test]
    fn validate_service_basics() {
        let cases: Vec<(&str, serde_json::Value, Vec<&str>)> = vec![
            ("TestValidateServiceOK", serde_json::json!({"spec": {"ports": [{"port": 80}]}}), vec![]),
            ("TestValidateHeadlessNoPorts", serde_json::json!({"spec": {"clusterIP": "None"}}), vec![]),
            ("TestValidateMissingPorts", serde_json::json!({"spec": {}}), vec!["spec.ports: Required value"]),
            (
                "TestValidateBadPortAndType",
                serde_json::json!({"spec": {"type": "Foo", "ports": [{"port": 0}]}}),
                vec![
                    "spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
                    "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                ],
            ),
            (
                "TestValidateMultiPortNeedsNames",
                serde_json::json!({"spec": {"ports": [{"port": 80}, {"name": "b", "port": 81}]}}),
                vec!["spec.ports[0].name: Required value"],
            ),
        ];
        for (name, json, want) in cases {
            let got: Vec<String> = validate(&svc(json)).iter().map(|e| e.to_string()).collect();
            assert_eq!(got, want, "{name}");
        }
    }
}
