//! Page benchmark (`cargo bench --bench page`): what one play tick costs natively with
//! 200 nodes and 2,000 pods (ten DaemonSets), split into the reducer (the engine advancing
//! 2 s of simulated time, as at 20×) and the view models the page builds from the store
//! (cluster page, workloads, newest events) as the page caches them. The browser adds Yew's diff and the DOM on top;
//! the e2e test `budgets: frame time` measures the whole tick in Chromium.
// A benchmark measures wall time on purpose, and may stop at the first failure.
#![allow(clippy::disallowed_methods, clippy::expect_used)]

use std::time::Instant;

use kubeplay::ui::scenario;
use kubeplay::ui::state::{Playground, UiAction, SPEEDS};
use kubeplay::ui::view_model;

fn main() {
    let s = scenario::named("empty").expect("empty scenario");
    let mut p = Playground::from_scenario(&s, Vec::new(), None);
    for i in 0..200 {
        p.apply(UiAction::Run {
            line: format!("sim node add b{i:03}"),
            stdin: None,
        });
    }
    let yaml: Vec<String> = (0..10)
        .map(|i| {
            format!(
                "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ds{i}\nspec:\n  selector:\n    matchLabels: {{app: ds{i}}}\n  template:\n    metadata:\n      labels: {{app: ds{i}}}\n    spec:\n      containers:\n      - name: c\n        image: busybox\n        command: [\"sh\", \"-c\", \"sleep 100000\"]\n"
            )
        })
        .collect();
    p.apply(UiAction::Edit(yaml.join("---\n")));
    p.apply(UiAction::Apply);
    // The DaemonSet controller's client sends 20 requests a second (kube-controller-manager's
    // --kube-api-qps): 2,000 daemon pods take about two and a half simulated minutes.
    p.apply(UiAction::Run {
        line: "sim advance 3m".into(),
        stdin: None,
    });
    let pods = p
        .session
        .borrow()
        .cluster
        .store()
        .list(kubeplay::engine::api::Kind::Pod)
        .count();
    assert_eq!(pods, 2000, "2,000 pods");
    p.apply(UiAction::SetSpeed(SPEEDS.len() - 1));
    p.apply(UiAction::SetPlaying(true));

    let ticks = 50;
    let (mut reduce, mut cluster, mut work, mut events) = (0.0, 0.0, 0.0, 0.0);
    let mut cache = view_model::EventCache::default();
    let mut cluster_rev = None;
    let mut rebuilt = 0;
    for _ in 0..ticks {
        let t = Instant::now();
        p.apply(UiAction::Tick(100));
        reduce += t.elapsed().as_secs_f64();
        let session = p.session.borrow();
        let store = session.cluster.store();
        let now = session.cluster.now();
        // As the cluster pane: rebuilt only when the store changed.
        let t = Instant::now();
        if cluster_rev != Some(store.revision()) {
            cluster_rev = Some(store.revision());
            rebuilt += 1;
            let vm = view_model::cluster_vm(store, 0, &|_| false);
            assert_eq!(vm.nodes.len(), view_model::NODES_PER_PAGE);
        }
        cluster += t.elapsed().as_secs_f64();
        let t = Instant::now();
        cache.refresh(store);
        let rows = view_model::workloads_vm_cached(store, now, &cache);
        work += t.elapsed().as_secs_f64();
        assert_eq!(rows.len(), 10);
        let t = Instant::now();
        let ev = cache.newest(now, "", 200);
        events += t.elapsed().as_secs_f64();
        std::hint::black_box(ev);
    }
    let ms = |s: f64| s * 1000.0 / f64::from(ticks);
    println!("page tick, 200 nodes / 2,000 pods, 20x (2 s simulated per tick), mean of {ticks}:");
    println!("  reducer (engine advance)        {:8.3} ms", ms(reduce));
    println!(
        "  cluster view ({rebuilt} rebuilds)      {:8.3} ms",
        ms(cluster)
    );
    println!("  workload rows (+ event cache)   {:8.3} ms", ms(work));
    println!("  newest 200 events               {:8.3} ms", ms(events));
    // New events on a cluster with thousands: the cache takes in only what changed.
    p.apply(UiAction::Run {
        line: "kubectl run late --image=nginx".into(),
        stdin: None,
    });
    p.apply(UiAction::Tick(100));
    let t = Instant::now();
    cache.refresh(p.session.borrow().cluster.store());
    println!(
        "  (event cache update, new events {:8.3} ms)",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let t = Instant::now();
    let session = p.session.borrow();
    let vm = view_model::cluster_vm(session.cluster.store(), 0, &|_| false);
    std::hint::black_box(vm);
    println!(
        "  (one cluster view rebuild       {:8.3} ms)",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let t = Instant::now();
    let mut fresh = view_model::EventCache::default();
    fresh.refresh(session.cluster.store());
    std::hint::black_box(fresh);
    println!(
        "  (one event cache rebuild        {:8.3} ms)",
        t.elapsed().as_secs_f64() * 1000.0
    );
}
