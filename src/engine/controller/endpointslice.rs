//! The EndpointSlice controller (`pkg/controller/endpointslice/endpointslice_controller.go`
//! `syncService` and `staging/src/k8s.io/endpointslice/reconciler.go` `reconcile`, with the
//! endpoint built as `utils.go` `podToEndpoint` builds it).
//!
//! For every Service with a selector it keeps one EndpointSlice (generateName `<svc>-`) labelled
//! `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by`, owned by the
//! Service (so the garbage collector removes it with the Service). Each selected pod that has an
//! IP and is not finished becomes an endpoint: `ready` = pod Ready and not terminating (always
//! true under `publishNotReadyAddresses`), `serving` = pod Ready, `terminating` = pod has a
//! deletionTimestamp; with `nodeName` and a `targetRef` to the pod. Ports come from the Service's
//! `targetPort` (a named targetPort is looked up in the pod's container ports).
//!
//! Simplifications: IPv4 only; one slice per Service (upstream splits at 100 endpoints and
//! groups pods by their resolved named ports; here a named port resolves on the first pod that
//! has it); no `last-change-trigger-time` annotation, no topology hints, no zone; slices for
//! Services without a selector are left alone (upstream's EndpointSlice mirroring is not
//! simulated). An empty selector counts as no selector.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ObjectReference, Pod, Service};
use k8s_openapi::api::discovery::v1::{Endpoint, EndpointConditions, EndpointPort, EndpointSlice};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::engine::api::service::is_headless;
use crate::engine::api::{Kind, Object};
use crate::engine::clock::SimTime;
use crate::engine::controller::daemonset::is_pod_ready;
use crate::engine::controller::{Action, DeleteOptions, Outcome};
use crate::engine::selector::Selector;
use crate::engine::store::Store;

/// Label naming the Service a slice belongs to.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
/// Label naming the controller managing a slice.
pub const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";
/// This controller's managed-by value.
pub const CONTROLLER_NAME: &str = "endpointslice-controller.k8s.io";
/// Label the controller puts on slices of headless Services.
pub const HEADLESS_LABEL: &str = "service.kubernetes.io/headless";

/// Keeps one EndpointSlice per Service in sync with the pods it selects. Writes only when a
/// slice differs from the desired one.
pub fn sync(store: &Store, _now: SimTime) -> Outcome {
    let mut out = Outcome::none();
    for obj in store.list(Kind::Service) {
        let Object::Service(svc) = obj else {
            continue;
        };
        if svc.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let Some(selector) = svc
            .spec
            .as_ref()
            .and_then(|s| s.selector.as_ref())
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        let ns = obj.namespace();
        let pods: Vec<&Pod> = store
            .list_ns(Kind::Pod, ns)
            .filter_map(Object::as_pod)
            .filter(|p| {
                Selector::from_map(selector).matches(&p.metadata.labels.clone().unwrap_or_default())
            })
            .collect();
        let desired = desired_slice(svc, &pods);
        let uid = obj.uid();
        let mut owned: Vec<&EndpointSlice> = store
            .list_ns(Kind::EndpointSlice, ns)
            .filter_map(|o| match o {
                Object::EndpointSlice(es) => Some(es),
                _ => None,
            })
            .filter(|es| {
                is_managed_slice_of(es, svc.metadata.name.as_deref().unwrap_or_default(), uid)
            })
            .collect();
        // Oldest first, then by name: keep the first, delete the rest.
        crate::engine::sort::sort_by(&mut owned, |a, b| {
            (
                &a.metadata.creation_timestamp.as_ref().map(|t| t.0),
                &a.metadata.name,
            )
                .cmp(&(
                    &b.metadata.creation_timestamp.as_ref().map(|t| t.0),
                    &b.metadata.name,
                ))
        });
        let mut owned = owned.into_iter();
        match owned.next() {
            None => out.push(Action::Create {
                object: Object::EndpointSlice(desired),
                on_behalf_of: None,
            }),
            Some(live) => {
                if live.endpoints != desired.endpoints
                    || live.ports != desired.ports
                    || live.address_type != desired.address_type
                    || live.metadata.labels != desired.metadata.labels
                {
                    let mut next = live.clone();
                    next.endpoints = desired.endpoints;
                    next.ports = desired.ports;
                    next.address_type = desired.address_type;
                    next.metadata.labels = desired.metadata.labels;
                    out.push(Action::Update(Object::EndpointSlice(next)));
                }
            }
        }
        for extra in owned {
            out.push(Action::Delete {
                key: Object::EndpointSlice(extra.clone()).key(),
                options: DeleteOptions::default(),
            });
        }
    }
    out
}

/// True if `es` is this controller's slice for the Service `name` with uid `uid`.
fn is_managed_slice_of(es: &EndpointSlice, name: &str, uid: &str) -> bool {
    let labels = es.metadata.labels.clone().unwrap_or_default();
    labels.get(SERVICE_NAME_LABEL).map(String::as_str) == Some(name)
        && labels.get(MANAGED_BY_LABEL).map(String::as_str) == Some(CONTROLLER_NAME)
        && es
            .metadata
            .owner_references
            .iter()
            .flatten()
            .any(|r| r.uid == uid)
}

/// The slice the controller wants for `svc` given the pods its selector matches.
pub fn desired_slice(svc: &Service, pods: &[&Pod]) -> EndpointSlice {
    let name = svc.metadata.name.clone().unwrap_or_default();
    let publish_not_ready = svc
        .spec
        .as_ref()
        .and_then(|s| s.publish_not_ready_addresses)
        .unwrap_or(false);
    let mut labels: BTreeMap<String, String> = svc.metadata.labels.clone().unwrap_or_default();
    labels.insert(SERVICE_NAME_LABEL.to_string(), name.clone());
    labels.insert(MANAGED_BY_LABEL.to_string(), CONTROLLER_NAME.to_string());
    if is_headless(svc) {
        labels.insert(HEADLESS_LABEL.to_string(), String::new());
    }
    let mut sorted: Vec<&&Pod> = pods.iter().collect();
    crate::engine::sort::sort_by(&mut sorted, |a, b| {
        (&a.metadata.name, &a.metadata.uid).cmp(&(&b.metadata.name, &b.metadata.uid))
    });
    let endpoints: Vec<Endpoint> = sorted
        .iter()
        .filter(|p| should_pod_be_in_endpoints(p))
        .map(|p| pod_to_endpoint(p, svc, publish_not_ready))
        .collect();
    let ports: Vec<EndpointPort> = svc
        .spec
        .as_ref()
        .and_then(|s| s.ports.as_ref())
        .into_iter()
        .flatten()
        .filter_map(|sp| {
            let port = match sp.target_port.as_ref() {
                Some(IntOrString::Int(n)) => Some(*n),
                Some(IntOrString::String(pname)) => {
                    sorted.iter().find_map(|p| find_named_port(p, pname))
                }
                None => Some(sp.port),
            }?;
            Some(EndpointPort {
                name: Some(sp.name.clone().unwrap_or_default()),
                port: Some(port),
                protocol: Some(sp.protocol.clone().unwrap_or_else(|| "TCP".to_string())),
                app_protocol: sp.app_protocol.clone(),
            })
        })
        .collect();
    EndpointSlice {
        metadata: ObjectMeta {
            generate_name: Some(format!("{name}-")),
            namespace: svc.metadata.namespace.clone(),
            labels: Some(labels),
            owner_references: Some(vec![OwnerReference {
                api_version: "v1".to_string(),
                kind: "Service".to_string(),
                name,
                uid: svc.metadata.uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        address_type: "IPv4".to_string(),
        endpoints,
        ports: Some(ports),
    }
}

/// `ShouldPodBeInEndpoints` with terminating pods included (as EndpointSlices do): the pod
/// has an IP and has not finished.
fn should_pod_be_in_endpoints(pod: &Pod) -> bool {
    let status = pod.status.as_ref();
    let has_ip = status
        .and_then(|s| s.pod_ip.as_deref())
        .is_some_and(|ip| !ip.is_empty());
    let phase = status.and_then(|s| s.phase.as_deref()).unwrap_or_default();
    has_ip && phase != "Succeeded" && phase != "Failed"
}

/// `podToEndpoint`: serving is the pod's readiness; ready is serving and not terminating,
/// unless the Service publishes not-ready addresses. The hostname is set when the pod names
/// the Service as its subdomain (`ShouldSetHostname`): cluster DNS answers
/// `HOSTNAME.SERVICE.NS.svc` from it.
fn pod_to_endpoint(pod: &Pod, svc: &Service, publish_not_ready: bool) -> Endpoint {
    let spec = pod.spec.as_ref();
    let hostname = spec
        .and_then(|s| s.hostname.clone())
        .filter(|h| !h.is_empty())
        .filter(|_| {
            spec.and_then(|s| s.subdomain.as_deref()) == svc.metadata.name.as_deref()
                && pod.metadata.namespace == svc.metadata.namespace
        });
    let ready = is_pod_ready(pod);
    let terminating = pod.metadata.deletion_timestamp.is_some();
    Endpoint {
        addresses: vec![pod
            .status
            .as_ref()
            .and_then(|s| s.pod_ip.clone())
            .unwrap_or_default()],
        conditions: Some(EndpointConditions {
            ready: Some(publish_not_ready || (ready && !terminating)),
            serving: Some(ready),
            terminating: Some(terminating),
        }),
        hostname,
        node_name: pod.spec.as_ref().and_then(|s| s.node_name.clone()),
        target_ref: Some(ObjectReference {
            kind: Some("Pod".to_string()),
            name: pod.metadata.name.clone(),
            namespace: pod.metadata.namespace.clone(),
            uid: pod.metadata.uid.clone(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// `podutil.FindPort` for a named port.
fn find_named_port(pod: &Pod, name: &str) -> Option<i32> {
    pod.spec
        .as_ref()?
        .containers
        .iter()
        .flat_map(|c| c.ports.iter().flatten())
        .find(|p| p.name.as_deref() == Some(name))
        .map(|p| p.container_port)
}

#[cfg(test)]
mod tests;
