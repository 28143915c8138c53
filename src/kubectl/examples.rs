//! `kubectl apply -f https://k8s.io/examples/…`: kubeplay runs offline, so a URL is answered
//! from the kubernetes.io examples it carries (the same manifests as the page's example menu);
//! any other URL gets an error that says why and what to do instead.

/// The kubernetes.io example paths kubeplay knows (under `https://k8s.io/examples/`,
/// `https://kubernetes.io/examples/` and the website repository's `content/en/examples/`).
const KNOWN: [(&str, &str); 7] = [
    (
        "controllers/daemonset.yaml",
        include_str!("../ui/examples/fluentd-elasticsearch.yaml"),
    ),
    (
        "controllers/job.yaml",
        include_str!("../ui/examples/pi-job.yaml"),
    ),
    (
        "controllers/job-pod-failure-policy-example.yaml",
        include_str!("../ui/examples/pod-failure-policy-job.yaml"),
    ),
    // "Configure Liveness, Readiness and Startup Probes".
    (
        "pods/probe/exec-liveness.yaml",
        include_str!("examples/exec-liveness.yaml"),
    ),
    (
        "pods/probe/http-liveness.yaml",
        include_str!("examples/http-liveness.yaml"),
    ),
    (
        "pods/probe/tcp-liveness-readiness.yaml",
        include_str!("examples/tcp-liveness-readiness.yaml"),
    ),
    (
        "pods/probe/grpc-liveness.yaml",
        include_str!("examples/grpc-liveness.yaml"),
    ),
];

const PREFIXES: [&str; 4] = [
    "https://k8s.io/examples/",
    "https://kubernetes.io/examples/",
    "https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/",
    "https://github.com/kubernetes/website/raw/main/content/en/examples/",
];

/// Whether `path` is a URL (`kubectl -f` accepts http and https).
pub fn is_url(path: &str) -> bool {
    path.starts_with("http://") || path.starts_with("https://")
}

/// The manifest behind a URL, or the error to print.
pub fn fetch(url: &str) -> Result<String, String> {
    let known = PREFIXES
        .iter()
        .find_map(|p| url.strip_prefix(p))
        .and_then(|path| KNOWN.iter().find(|(k, _)| *k == path))
        .map(|(_, text)| (*text).to_string());
    known.ok_or_else(|| {
        let list: Vec<String> = KNOWN
            .iter()
            .map(|(k, _)| format!("https://k8s.io/examples/{k}"))
            .collect();
        format!(
            "error: unable to read URL \"{url}\": kubeplay runs offline and knows only these URLs: {}. Paste the manifest into the YAML editor, or use: kubectl apply -f - <<EOF",
            list.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_examples_by_any_of_their_urls() {
        for url in [
            "https://k8s.io/examples/controllers/daemonset.yaml",
            "https://kubernetes.io/examples/controllers/daemonset.yaml",
            "https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/controllers/daemonset.yaml",
        ] {
            let text = fetch(url).expect("known");
            assert!(text.contains("name: fluentd-elasticsearch"), "{url}");
        }
        assert!(fetch("https://k8s.io/examples/controllers/job.yaml")
            .expect("pi")
            .contains("bpi(2000)"));
        let err = fetch("https://example.com/x.yaml").expect_err("unknown");
        assert!(err.starts_with("error: unable to read URL \"https://example.com/x.yaml\""));
        assert!(is_url("http://x") && !is_url("x.yaml"));
    }
}
