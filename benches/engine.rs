//! Engine benchmarks (`cargo bench --bench engine`): a plain timing binary (no criterion, to keep
//! the build lean). Figures go in the README.
//!
//! - 5,000 nodes and 5,000 bare pods, from apply to all Running;
//! - one step of the settled cluster with nothing to do;
//! - a Job with 100,000 completions and parallelism 1,000 whose pods exit after one second, from
//!   create to `Complete` (`job_100k`).
// A benchmark measures wall time on purpose, and may stop at the first failure.
#![allow(clippy::disallowed_methods, clippy::expect_used)]

use std::time::Instant;

use std::collections::BTreeMap;

use k8s_openapi::api::batch::v1::{Job, JobSpec};
use k8s_openapi::api::core::v1::{Container, Node, Pod, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kubeplay::engine::api::{Kind, Object, ObjectKey};
use kubeplay::engine::kubelet::{EXIT_CODE_ANNOTATION, RUN_SECONDS_ANNOTATION};
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

/// What the Job benchmark measured.
struct JobRun {
    wall: f64,
    sim_secs: u64,
    peak_pods: usize,
    peak_objects: usize,
    succeeded: i32,
    conditions: Vec<String>,
}

/// A Job with `completions` completions and `parallelism` parallelism whose pods exit 0 after one
/// second, on enough nodes to run them all at once; steps one simulated second at a time until the
/// Job is finished, recording the peak number of pods and of objects.
fn job_100k(completions: i32, parallelism: i32) -> JobRun {
    let mut c = Cluster::new(1);
    let n_nodes = usize::try_from(parallelism).unwrap_or(0) / 100 + 1;
    for i in 0..n_nodes {
        let node = Node {
            metadata: meta(&format!("node-{i:03}")),
            ..Default::default()
        };
        c.create(Object::Node(node)).expect("node");
    }
    let annotations = BTreeMap::from([
        (RUN_SECONDS_ANNOTATION.to_string(), "1".to_string()),
        (EXIT_CODE_ANNOTATION.to_string(), "0".to_string()),
    ]);
    let job = Job {
        metadata: meta("big"),
        spec: Some(JobSpec {
            completions: Some(completions),
            parallelism: Some(parallelism),
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    annotations: Some(annotations),
                    ..Default::default()
                }),
                spec: Some(PodSpec {
                    restart_policy: Some("Never".into()),
                    containers: vec![Container {
                        name: "work".into(),
                        image: Some("busybox:1.36".into()),
                        ..Default::default()
                    }],
                    ..Default::default()
                }),
            },
            ..Default::default()
        }),
        ..Default::default()
    };
    let start = Instant::now();
    c.create(Object::Job(job)).expect("job");
    let key = ObjectKey::new(Kind::Job, "default", "big");
    let (mut peak_pods, mut peak_objects, mut sim_secs) = (0, 0, 0);
    let finished = |c: &Cluster| match c.store().get(&key) {
        Some(Object::Job(j)) => j
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| (c.type_ == "Complete" || c.type_ == "Failed") && c.status == "True")
            }),
        _ => true,
    };
    while !finished(&c) && sim_secs < 24 * 3600 {
        c.advance(1000);
        sim_secs += 1;
        peak_pods = peak_pods.max(c.store().count(Kind::Pod));
        peak_objects = peak_objects.max(c.store().iter().count());
    }
    let wall = start.elapsed().as_secs_f64();
    let (succeeded, conditions) = match c.store().get(&key) {
        Some(Object::Job(j)) => {
            let st = j.status.clone().unwrap_or_default();
            let conds = st
                .conditions
                .unwrap_or_default()
                .into_iter()
                .map(|c| c.type_)
                .collect();
            (st.succeeded.unwrap_or(0), conds)
        }
        _ => (0, Vec::new()),
    };
    JobRun {
        wall,
        sim_secs,
        peak_pods,
        peak_objects,
        succeeded,
        conditions,
    }
}

fn main() {
    if std::env::args().any(|a| a == "job") {
        let completions = std::env::args()
            .skip(1)
            .find_map(|a| a.parse::<i32>().ok())
            .unwrap_or(100_000);
        let r = job_100k(completions, 1_000);
        println!(
            "Job {completions} completions × parallelism 1000 → {:?}: {:.3} s wall, {} s simulated, \
             {} succeeded, peak {} pods / {} objects",
            r.conditions, r.wall, r.sim_secs, r.succeeded, r.peak_pods, r.peak_objects
        );
        return;
    }
    let n = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(5_000);
    let (total, running, idle) = nodes_and_pods(n);
    println!("{n} nodes + {n} pods, apply → all Running: {total:.3} s ({running} Running)");
    println!("idle step (nothing to do): {:.2} µs", idle * 1e6);
}
