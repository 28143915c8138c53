//! Engine benchmarks (`cargo bench --bench engine`): a plain timing binary (no criterion, to keep
//! the build lean). Figures go in the README.
//!
//! - 5,000 nodes and 5,000 bare pods, from apply to all Running;
//! - one step of the settled cluster with nothing to do.
// A benchmark measures wall time on purpose, and may stop at the first failure.
#![allow(clippy::disallowed_methods, clippy::expect_used)]

use std::time::Instant;

use k8s_openapi::api::core::v1::{Container, Node, Pod, PodSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kubeplay::engine::api::{Kind, Object};
use kubeplay::engine::Cluster;

fn meta(name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_string()),
        ..Default::default()
    }
}

fn nodes_and_pods(n: usize) -> (f64, usize, f64) {
    let mut c = Cluster::new(1);
    let start = Instant::now();
    for i in 0..n {
        let node = Node {
            metadata: meta(&format!("node-{i:05}")),
            ..Default::default()
        };
        c.create(Object::Node(node)).expect("node");
    }
    for i in 0..n {
        let pod = Pod {
            metadata: meta(&format!("pod-{i:05}")),
            spec: Some(PodSpec {
                containers: vec![Container {
                    name: "app".into(),
                    image: Some("nginx:1.27".into()),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            ..Default::default()
        };
        c.create(Object::Pod(pod)).expect("pod");
    }
    c.run_until_idle(10 * 60 * 1000);
    let total = start.elapsed().as_secs_f64();
    let running = c
        .store()
        .pods()
        .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"))
        .count();
    let idle_start = Instant::now();
    let rounds = 1000;
    for _ in 0..rounds {
        c.settle();
    }
    let idle = idle_start.elapsed().as_secs_f64() / f64::from(rounds);
    let _ = c.store().count(Kind::Pod);
    (total, running, idle)
}

fn main() {
    let n = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(5_000);
    let (total, running, idle) = nodes_and_pods(n);
    println!("{n} nodes + {n} pods, apply → all Running: {total:.3} s ({running} Running)");
    println!("idle step (nothing to do): {:.2} µs", idle * 1e6);
}
