//! Engine benchmarks (`cargo bench --bench engine`): a plain timing binary (no criterion, to keep
//! the build lean). Figures go in the README.
//!
//! - 5,000 nodes and 5,000 bare pods, from apply to all Running;
//! - one step of the settled cluster with nothing to do;
//! - a DaemonSet over 5,000 nodes from apply to all daemon pods Running, one DaemonSet sync
//!   with nothing to do, then a rolling update (new image) across all nodes;
//! - `engine job [N]`: a Job with N (default 100,000) completions and parallelism 1,000 whose pods
//!   exit after one second, from create to `Complete`.
// A benchmark measures wall time on purpose, and may stop at the first failure.
#![allow(clippy::disallowed_methods, clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::Instant;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::batch::v1::{Job, JobSpec};
use k8s_openapi::api::core::v1::{Container, Node, Pod, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kubeplay::engine::api::{Kind, Object, ObjectKey};
use kubeplay::engine::controller::daemonset::DaemonSetController;
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

/// Timings of the DaemonSet benchmark, in seconds.
struct DaemonSetTimes {
    placement: f64,
    running: usize,
    idle_sync: f64,
    rollout: f64,
    updated: usize,
}

fn running_with_image(c: &Cluster, image: &str) -> usize {
    c.store()
        .pods()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"))
        .filter(|p| {
            p.spec
                .as_ref()
                .and_then(|s| s.containers.first())
                .and_then(|c| c.image.as_deref())
                == Some(image)
        })
        .count()
}

fn daemon_set(n: usize) -> DaemonSetTimes {
    let mut c = Cluster::new(1);
    // As the Job benchmark: a controller manager without a client rate limit, so the run
    // measures the engine (at the default 20 requests a second, 5,000 daemon pods take over
    // four simulated minutes, during which 5,000 kubelets keep posting node status).
    c.config_mut().controller_qps = 0;
    for i in 0..n {
        let node = Node {
            metadata: meta(&format!("node-{i:05}")),
            ..Default::default()
        };
        c.create(Object::Node(node)).expect("node");
    }
    c.run_until_idle(60 * 1000);
    let ds: DaemonSet = serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "default"},
        "spec": {
            "selector": {"matchLabels": {"app": "agent"}},
            "updateStrategy": {"rollingUpdate": {"maxUnavailable": "10%"}},
            "template": {
                "metadata": {"labels": {"app": "agent"}},
                "spec": {"containers": [{"name": "agent", "image": "agent:1"}]}
            }
        }
    }))
    .expect("daemonset");
    let start = Instant::now();
    c.apply(Object::DaemonSet(ds)).expect("apply");
    c.run_until_idle(60 * 60 * 1000);
    let placement = start.elapsed().as_secs_f64();
    let running = running_with_image(&c, "agent:1");

    // A fresh controller each round, so every round is a full reconcile (a controller that
    // already synced skips until a watched kind changes).
    // `IDLE_ROUNDS=300` makes the idle syncs dominate a profile.
    let rounds: u32 = std::env::var("IDLE_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let idle_start = Instant::now();
    for _ in 0..rounds {
        let out = DaemonSetController::default().sync(c.store(), c.now());
        assert!(
            out.actions.is_empty(),
            "idle sync wrote {:?}",
            out.actions.first()
        );
    }
    let idle_sync = idle_start.elapsed().as_secs_f64() / f64::from(rounds);

    let key = ObjectKey::new(Kind::DaemonSet, "default", "agent");
    let mut next = match c.get(&key).cloned() {
        Ok(Object::DaemonSet(ds)) => Some(ds),
        _ => None,
    }
    .expect("daemonset");
    if let Some(container) = next
        .spec
        .as_mut()
        .and_then(|s| s.template.spec.as_mut())
        .and_then(|s| s.containers.first_mut())
    {
        container.image = Some("agent:2".into());
    }
    let start = Instant::now();
    c.replace(Object::DaemonSet(next)).expect("replace");
    c.run_until_idle(24 * 60 * 60 * 1000);
    let rollout = start.elapsed().as_secs_f64();
    let updated = running_with_image(&c, "agent:2");
    DaemonSetTimes {
        placement,
        running,
        idle_sync,
        rollout,
        updated,
    }
}

/// What the Job benchmark measured.
struct JobRun {
    wall: f64,
    sim_secs: u64,
    peak_pods: usize,
    peak_objects: usize,
    succeeded: i32,
    conditions: Vec<String>,
    /// Dropping the cluster at the end (not part of `wall`).
    drop_secs: f64,
}

/// A Job with `completions` completions and `parallelism` parallelism whose pods exit 0 after one
/// second, on enough nodes to run them all at once; steps one simulated second at a time until the
/// Job is finished, recording the peak number of pods and of objects.
fn job_100k(completions: i32, parallelism: i32) -> JobRun {
    let mut c = Cluster::new(1);
    // A controller manager tuned for batch work (`--kube-api-qps` without limit): at the default
    // 20 requests a second the Job controller could keep only ≈ 40 pods running, not 1,000, and
    // the run would measure the client's rate rather than the engine.
    c.config_mut().controller_qps = 0;
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
        peak_objects = peak_objects.max(c.store().len());
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
    let drop_start = Instant::now();
    drop(c);
    let drop_secs = drop_start.elapsed().as_secs_f64();
    JobRun {
        wall,
        sim_secs,
        peak_pods,
        peak_objects,
        succeeded,
        conditions,
        drop_secs,
    }
}

fn main() {
    if std::env::args().any(|a| a == "job") {
        let completions = std::env::args()
            .skip(1)
            .find_map(|a| a.parse::<i32>().ok())
            .unwrap_or(100_000);
        let r = job_100k(completions, 1_000);
        assert!(
            r.conditions.iter().any(|c| c == "Complete") && r.succeeded == completions,
            "the Job did not complete: {:?}, {} succeeded",
            r.conditions,
            r.succeeded
        );
        println!(
            "Job {completions} completions × parallelism 1000 → {:?}: {:.3} s wall, {} s simulated, \
             {} succeeded, peak {} pods / {} objects; dropping the cluster afterwards {:.3} s",
            r.conditions,
            r.wall,
            r.sim_secs,
            r.succeeded,
            r.peak_pods,
            r.peak_objects,
            r.drop_secs
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
    let t = daemon_set(n);
    println!(
        "DaemonSet over {n} nodes, apply → all daemon pods Running: {:.3} s ({} Running)",
        t.placement, t.running
    );
    println!(
        "DaemonSet sync with nothing to do: {:.2} ms",
        t.idle_sync * 1e3
    );
    println!(
        "DaemonSet rolling update (maxUnavailable 10%) across {n} nodes: {:.3} s ({} updated and Running)",
        t.rollout, t.updated
    );
}
