//! [`Command`] → [`Cluster`]: what each kubectl verb does against the simulated API server and
//! what it prints, after `k8s.io/kubectl/pkg/cmd/{get,apply,create,replace,delete,label,
//! annotate,taint,drain,patch,logs,wait,rollout,set}`.
//!
//! Simplifications: client-side apply only; `delete`, `wait`, `drain` and `rollout status`
//! advance simulated time instead of watching (bounded, so a stuck object ends the command with
//! kubectl's timeout error instead of hanging).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, NodeSpec, NodeStatus, PodTemplateSpec, Taint};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::{json, Value};

use crate::engine::api::{Kind, Object, ObjectKey, KINDS};
use crate::engine::clock::{human_duration, Millis, SimTime, SECOND};
use crate::engine::controller::{DeleteOptions, Propagation};
use crate::engine::error::ApiError;
use crate::engine::{kubelet, Cluster, PatchType, LAST_APPLIED};

use super::gotemplate;
use super::help;
use super::jsonpath::{self, JsonPath};
use super::parse::*;
use super::print::{self, describe, table, yaml};
use super::{CommandOutput, FileSource};
use crate::engine::decode;
use crate::engine::network;
use crate::engine::selector::{self, FieldSelector, Selector as LabelSelector};
use crate::engine::sh;

/// Accumulates what a command prints.
#[derive(Debug, Default)]
pub(super) struct Out {
    pub(super) stdout: String,
    pub(super) stderr: String,
    pub(super) failed: bool,
}

impl Out {
    pub(super) fn out(&mut self, s: impl AsRef<str>) {
        self.stdout.push_str(s.as_ref());
        if !self.stdout.ends_with('\n') {
            self.stdout.push('\n');
        }
    }

    pub(super) fn raw(&mut self, s: impl AsRef<str>) {
        self.stdout.push_str(s.as_ref());
    }

    pub(super) fn warn(&mut self, s: impl AsRef<str>) {
        self.stderr.push_str(s.as_ref());
        if !self.stderr.ends_with('\n') {
            self.stderr.push('\n');
        }
    }

    pub(super) fn fail(&mut self, s: impl AsRef<str>) {
        self.warn(s);
        self.failed = true;
    }

    pub(super) fn api(&mut self, e: &ApiError) {
        self.fail(e.kubectl_message());
    }

    pub(super) fn done(self) -> CommandOutput {
        CommandOutput {
            stdout: self.stdout,
            stderr: self.stderr,
            ok: !self.failed,
        }
    }
}

/// The maximum simulated time `delete` waits for objects to disappear beyond their grace period.
const DELETE_WAIT_MS: Millis = 60 * SECOND;
/// The maximum simulated time `rollout status` and `drain` wait without `--timeout`.
const DEFAULT_WATCH_MS: Millis = 10 * 60 * SECOND;

/// Runs a parsed command. `sim seed` is handled by the session, not here.
pub fn execute(
    cluster: &mut Cluster,
    cmd: &Command,
    stdin: Option<&str>,
    files: &dyn FileSource,
) -> CommandOutput {
    let mut out = Out::default();
    match cmd {
        Command::Nothing => {}
        Command::Help => match help::root() {
            Ok(page) => out.raw(page),
            Err(e) => out.fail(e),
        },
        Command::VerbHelp(v, sub) => match help::verb_help(*v, sub.as_deref()) {
            Ok(page) => out.raw(page),
            Err(e) => out.fail(e),
        },
        // `cmdutil.DefaultSubCommandRun`: rollout prints to stdout, set and top to stderr;
        // all three exit 1.
        Command::SubcommandHelp(v) => match help::verb_help(*v, None) {
            Ok(page) => {
                if *v == Verb::Rollout {
                    out.raw(page);
                } else {
                    out.stderr.push_str(&page);
                }
                out.failed = true;
            }
            Err(e) => out.fail(e),
        },
        Command::UnknownHelpTopic(topic) => match help::root_usage() {
            Ok(usage) => out
                .stderr
                .push_str(&format!("Unknown help topic [`{topic}`]\n\n\n{usage}")),
            Err(e) => out.fail(e),
        },
        Command::Top => out.fail("error: Metrics API not available"),
        Command::ClusterInfo => out.raw(super::config::cluster_info()),
        Command::Exec(e) => exec_cmd(cluster, e, &mut out),
        // Handled by the session (it owns the kubeconfig).
        Command::Config(_) => {}
        Command::Version { client, output } => out.raw(version(*client, output)),
        Command::ApiResources { wide, namespaced } => api_resources(&mut out, *wide, *namespaced),
        Command::ApiVersions => {
            // `kubectl api-versions`: every served group/version, sorted.
            let mut versions: Vec<String> = KINDS.iter().map(|k| k.kind.api_version()).collect();
            crate::engine::sort::sort(&mut versions);
            versions.dedup();
            out.raw(
                versions
                    .iter()
                    .map(|v| format!("{v}\n"))
                    .collect::<String>(),
            );
        }
        Command::Explain { path, recursive } => explain(&mut out, path, *recursive),
        Command::Get(g) => get(cluster, g, stdin, files, &mut out),
        Command::Describe(d) => describe_cmd(cluster, d, &mut out),
        Command::File(f) => file_cmd(cluster, f, stdin, files, &mut out),
        Command::CreateJob(c) => create_job(cluster, c, &mut out),
        Command::CreateService(c) => create_service(cluster, c, &mut out),
        Command::Run(r) => run(cluster, r, &mut out),
        Command::Expose(e) => expose(cluster, e, &mut out),
        Command::Events(e) => events_cmd(cluster, e, &mut out),
        Command::Diff {
            files: paths,
            namespace,
        } => diff(cluster, paths, namespace.as_deref(), stdin, files, &mut out),
        Command::CreateNamespace {
            name,
            dry_run,
            output,
        } => {
            let ns = json!({
                "apiVersion": "v1",
                "kind": "Namespace",
                "metadata": { "creationTimestamp": null, "name": name },
                "spec": {},
                "status": {}
            });
            create_generated(
                cluster,
                Kind::Namespace,
                ns,
                *dry_run,
                Some(output),
                &mut out,
            );
        }
        Command::Delete(d) => delete(cluster, d, stdin, files, &mut out),
        Command::Label(l) => label(cluster, l, &mut out),
        Command::Taint(t) => taint(cluster, t, &mut out),
        Command::Cordon { nodes, cordon } => {
            for n in nodes {
                cordon_node(cluster, n, *cordon, &mut out);
            }
        }
        Command::Drain(d) => drain(cluster, d, &mut out),
        Command::Patch(p) => patch(cluster, p, &mut out),
        Command::Logs(l) => logs(cluster, l, &mut out),
        Command::Wait(w) => wait(cluster, w, &mut out),
        Command::Rollout(r) => rollout(cluster, r, &mut out),
        Command::SetImage(s) => set_image(cluster, s, &mut out),
        Command::Sim(s) => sim(cluster, s, &mut out),
    }
    out.done()
}

fn api_resources(out: &mut Out, wide: bool, namespaced: Option<bool>) {
    let mut header = vec!["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"];
    if wide {
        header.extend(["VERBS", "CATEGORIES"]);
    }
    let mut rows = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    for k in KINDS {
        if namespaced.is_some_and(|n| n != k.namespaced) {
            continue;
        }
        let mut row = vec![
            k.plural.to_string(),
            k.short_names.join(","),
            k.kind.api_version(),
            k.namespaced.to_string(),
            k.name.to_string(),
        ];
        if wide {
            row.push(format!("[{}]", k.verbs.replace(',', " ")));
            row.push(
                match k.kind {
                    Kind::Pod | Kind::Service | Kind::DaemonSet | Kind::Job => "all",
                    _ => "",
                }
                .to_string(),
            );
        }
        rows.push(row);
    }
    out.raw(print::tabwrite(&rows));
}

// -------------------------------------------------------------------------------------------
// Reading objects from files
// -------------------------------------------------------------------------------------------

/// One decoded manifest and where it came from (`f.yaml`, `STDIN`).
struct Manifest {
    object: Object,
    source: String,
}

fn read_sources(
    paths: &[String],
    stdin: Option<&str>,
    files: &dyn FileSource,
    out: &mut Out,
) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for p in paths {
        if p == "-" {
            texts.push(("STDIN".to_string(), stdin.unwrap_or_default().to_string()));
        } else if super::examples::is_url(p) {
            match super::examples::fetch(p) {
                Ok(t) => texts.push((p.clone(), t)),
                Err(e) => out.fail(e),
            }
        } else {
            match files.read(p) {
                Ok(t) => texts.push((p.clone(), t)),
                Err(e) => out.fail(e),
            }
        }
    }
    texts
}

fn decode_as(
    kind: Kind,
    doc: &decode::Document,
    text: &str,
) -> Result<Object, decode::StrictError> {
    decode::decode_strict_object(kind, doc, text)
}

fn decode_manifests(
    sources: &[(String, String)],
    namespace: Option<&str>,
    out: &mut Out,
) -> Vec<Manifest> {
    let mut manifests = Vec::new();
    for (source, text) in sources {
        let docs = match decode::parse_documents(text) {
            Ok(d) => d,
            Err(e) => {
                out.fail(format!("error: error parsing {source}: {e}"));
                continue;
            }
        };
        for doc in docs {
            let (av, kind_name) = match decode::type_meta(&doc) {
                Ok(tm) => tm,
                Err(e) => {
                    out.fail(format!(
                        "error: error validating \"{source}\": {e}; if you choose to ignore these errors, turn validation off with --validate=false"
                    ));
                    continue;
                }
            };
            let (av, kind_name) = (av.as_str(), kind_name.as_str());
            let name = doc
                .value
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let doc_ns = doc
                .value
                .pointer("/metadata/namespace")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let doc_ns = doc_ns.as_str();
            let Some(kind) = Kind::from_type_meta(av, kind_name) else {
                let note = super::elsewhere::by_kind(av, kind_name)
                    .map(|k| k.note())
                    .or_else(|| super::elsewhere::moved(av, kind_name))
                    .map(|n| format!("\n{n}"))
                    .unwrap_or_default();
                out.fail(format!(
                    "error: resource mapping not found for name: \"{name}\" namespace: \"{doc_ns}\" from \"{source}\": no matches for kind \"{kind_name}\" in version \"{av}\"\nensure CRDs are installed first{note}"
                ));
                continue;
            };
            if kind.namespaced() {
                if let Some(ns) = namespace {
                    if !doc_ns.is_empty() && doc_ns != ns {
                        out.fail(format!(
                            "error: the namespace from the provided object \"{doc_ns}\" does not match the namespace \"{ns}\". You must pass '--namespace={doc_ns}' to perform this operation."
                        ));
                        continue;
                    }
                }
            }
            let mut object = match decode_as(kind, &doc, text) {
                Ok(o) => o,
                Err(e) => {
                    out.fail(format!(
                        "Error from server (BadRequest): error when creating \"{source}\": {e}"
                    ));
                    continue;
                }
            };
            if kind.namespaced() && doc_ns.is_empty() {
                object.meta_mut().namespace = Some(match namespace {
                    Some(ns) => ns.to_string(),
                    None => ns_of(&None),
                });
            }
            manifests.push(Manifest {
                object,
                source: source.clone(),
            });
        }
    }
    manifests
}

pub(super) fn ref_name(obj: &Object) -> String {
    format!("{}/{}", obj.kind().singular_group(), obj.name())
}

fn key_ref(key: &ObjectKey) -> String {
    format!("{}/{}", key.kind.singular_group(), key.name)
}

fn file_cmd(
    cluster: &mut Cluster,
    f: &FileCmd,
    stdin: Option<&str>,
    files: &dyn FileSource,
    out: &mut Out,
) {
    let sources = read_sources(&f.files, stdin, files, out);
    let manifests = decode_manifests(&sources, f.namespace.as_deref(), out);
    if manifests.is_empty() && !out.failed {
        let verb = match f.verb {
            FileVerb::Apply => "apply",
            FileVerb::Create => "create",
            FileVerb::Replace => "replace",
        };
        out.fail(format!("error: no objects passed to {verb}"));
        return;
    }
    // kubectl collects the errors of every object and reports them at the end: one error alone
    // goes through CheckErr, which prints an Invalid error as `The Pod "x" is invalid: …`
    // (the "error when creating" source it was wrapped with is dropped); several print as an
    // aggregate, each `Error from server (Invalid): error when creating "f.yaml": …`.
    let decode_failed = out.failed;
    let mut errors: Vec<(String, Option<String>)> = Vec::new();
    // A dry run goes to a copy of the cluster: the server's defaulting, admission and
    // validation run (`server`), or only the outcome's word is kept (`client`: kubectl sends
    // nothing, so the server's errors cannot show).
    let mut scratch;
    let cluster: &mut Cluster = if f.dry_run == DryRun::None {
        cluster
    } else {
        scratch = cluster.clone();
        &mut scratch
    };
    let client = f.dry_run == DryRun::Client;
    for m in manifests {
        let obj = m.object;
        let key = obj.key();
        let src = m.source;
        match f.verb {
            FileVerb::Apply => {
                let existing = cluster.store().get(&key).cloned();
                match cluster.apply(obj.clone()) {
                    Ok((stored, res)) => {
                        let shown = if client {
                            // The object kubectl would send: the manifest with its
                            // last-applied annotation.
                            let mut v = obj.to_json();
                            let last = stored
                                .meta()
                                .annotations
                                .as_ref()
                                .and_then(|a| a.get(LAST_APPLIED))
                                .cloned();
                            if let (Some(last), Some(meta)) = (
                                last,
                                v.pointer_mut("/metadata").and_then(Value::as_object_mut),
                            ) {
                                let ann = meta.entry("annotations").or_insert_with(|| json!({}));
                                if let Some(ann) = ann.as_object_mut() {
                                    ann.insert(LAST_APPLIED.to_string(), json!(last));
                                }
                            }
                            v
                        } else {
                            dry_run_view(&stored, f.dry_run, res.as_str())
                        };
                        print_changed(&shown, key.kind, res.as_str(), f.dry_run, &f.output, out)
                    }
                    Err(_) if client => {
                        let word = if existing.is_some() {
                            "configured"
                        } else {
                            "created"
                        };
                        print_changed(&obj.to_json(), key.kind, word, f.dry_run, &f.output, out)
                    }
                    Err(e) => {
                        let long = match existing {
                            None => format!(
                                "Error from server ({}): error when creating \"{src}\": {}",
                                e.reason.as_str(),
                                e.message
                            ),
                            Some(live) => {
                                let patch = apply_patch_text(&live, &obj);
                                let kind = key.kind;
                                let info = kind.info();
                                format!(
                                    "Error from server ({}): error when applying patch:\n{patch}\nto:\nResource: \"{}/{}, Resource={}\", GroupVersionKind: \"{}, Kind={}\"\nName: \"{}\", Namespace: \"{}\"\nfor: \"{src}\": error when patching \"{src}\": {}",
                                    e.reason.as_str(),
                                    info.group,
                                    info.version,
                                    info.plural,
                                    kind.api_version(),
                                    info.name,
                                    key.name,
                                    key.namespace,
                                    e.message
                                )
                            }
                        };
                        errors.push((long, e.kubectl_invalid_message()));
                    }
                }
            }
            FileVerb::Create | FileVerb::Replace => {
                let sent = obj.to_json();
                let res = if f.verb == FileVerb::Create {
                    cluster.create(obj)
                } else {
                    cluster.replace(obj)
                };
                let (word, verb) = if f.verb == FileVerb::Create {
                    ("created", "creating")
                } else {
                    ("replaced", "replacing")
                };
                match res {
                    Ok(stored) => {
                        let shown = if client {
                            sent
                        } else {
                            dry_run_view(&stored, f.dry_run, word)
                        };
                        print_changed(&shown, key.kind, word, f.dry_run, &f.output, out)
                    }
                    Err(_) if client => {
                        print_changed(&sent, key.kind, word, f.dry_run, &f.output, out)
                    }
                    Err(e) => errors.push((
                        format!(
                            "Error from server ({}): error when {verb} \"{src}\": {}",
                            e.reason.as_str(),
                            e.message
                        ),
                        e.kubectl_invalid_message(),
                    )),
                }
            }
        }
    }
    match errors.as_slice() {
        [(_, Some(short))] if !decode_failed => out.fail(short.clone()),
        _ => {
            for (long, _) in errors {
                out.fail(long);
            }
        }
    }
}

/// What a command prints of the object the server answered: a dry-run create is never stored,
/// so it has no resourceVersion.
fn dry_run_view(stored: &Object, dry_run: DryRun, word: &str) -> Value {
    let mut v = stored.to_json();
    if dry_run == DryRun::Server && word == "created" {
        if let Some(m) = v.pointer_mut("/metadata").and_then(Value::as_object_mut) {
            m.remove("resourceVersion");
        }
    }
    v
}

/// The patch client-side apply sends: the three-way diff plus the new last-applied annotation.
fn apply_patch_text(live: &Object, new: &Object) -> String {
    let mut manifest = new.to_json();
    if let Some(a) = manifest
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    {
        a.remove(LAST_APPLIED);
    }
    let text = serde_json::to_string(&manifest).unwrap_or_default();
    let last: Value = live
        .meta()
        .annotations
        .as_ref()
        .and_then(|a| a.get(LAST_APPLIED))
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or(Value::Null);
    let mut p = crate::engine::patch::three_way(&last, &manifest);
    if let Some(m) = p.as_object_mut() {
        let meta = m.entry("metadata").or_insert_with(|| json!({}));
        if let Some(meta) = meta.as_object_mut() {
            let ann = meta.entry("annotations").or_insert_with(|| json!({}));
            if let Some(ann) = ann.as_object_mut() {
                ann.insert(LAST_APPLIED.to_string(), Value::String(format!("{text}\n")));
            }
        }
    }
    serde_json::to_string(&p).unwrap_or_default()
}

fn create_job(cluster: &mut Cluster, c: &CreateJobCmd, out: &mut Out) {
    // `kubectl create job`'s client object, as Go encodes it.
    let mut container = obj_map(json!({ "image": c.image, "name": c.name, "resources": {} }));
    if !c.command.is_empty() {
        container.insert("command".to_string(), json!(c.command));
    }
    let mut meta = obj_map(json!({ "creationTimestamp": null, "name": c.name }));
    if let Some(ns) = &c.namespace {
        meta.insert("namespace".to_string(), json!(ns));
    }
    let job = json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": meta,
        "spec": {
            "template": {
                "metadata": { "creationTimestamp": null },
                "spec": { "containers": [container], "restartPolicy": "Never" }
            }
        },
        "status": {}
    });
    create_generated(cluster, Kind::Job, job, c.dry_run, Some(&c.output), out);
}

/// `kubectl create service`'s client object (`createService` in `create_service.go`): label and
/// selector `app=NAME`, one TCP port per `--tcp` spec named after it (`80:8080` → `80-8080`).
fn create_service(cluster: &mut Cluster, c: &CreateServiceCmd, out: &mut Out) {
    let mut ports = Vec::new();
    for spec in &c.tcp {
        let (port, target) = match parse_service_port(spec) {
            Ok(p) => p,
            Err(e) => {
                out.fail(format!("error: {e}"));
                return;
            }
        };
        let mut p = obj_map(json!({
            "name": spec.replace(':', "-"),
            "port": port,
            "protocol": "TCP",
            "targetPort": target
        }));
        if c.node_port != 0 {
            p.insert("nodePort".to_string(), json!(c.node_port));
        }
        ports.push(Value::Object(p));
    }
    let mut meta = obj_map(json!({
        "creationTimestamp": null,
        "labels": { "app": c.name },
        "name": c.name
    }));
    if let Some(ns) = &c.namespace {
        meta.insert("namespace".to_string(), json!(ns));
    }
    let mut spec = obj_map(json!({ "selector": { "app": c.name }, "type": c.type_ }));
    if !ports.is_empty() {
        spec.insert("ports".to_string(), Value::Array(ports));
    }
    if let Some(n) = &c.external_name {
        spec.insert("externalName".to_string(), json!(n));
    }
    if let Some(ip) = c.cluster_ip.as_ref().filter(|ip| !ip.is_empty()) {
        spec.insert("clusterIP".to_string(), json!(ip));
    }
    let svc = service_client_object(meta, spec);
    let wrap = format!("failed to create {} service", c.type_);
    create_generated_as(
        cluster,
        Kind::Service,
        svc,
        c.dry_run,
        Some(&c.output),
        ("created", Some(&wrap)),
        out,
    );
}

/// The Service `kubectl expose` and `kubectl create service` build, as Go encodes it (an empty
/// `status.loadBalancer`).
fn service_client_object(
    meta: serde_json::Map<String, Value>,
    spec: serde_json::Map<String, Value>,
) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta,
        "spec": spec,
        "status": { "loadBalancer": {} }
    })
}

/// `parsePorts` of `kubectl create service`: `PORT` (0–65535, as `strconv.ParseUint`) and an
/// optional `:TARGET`, a port number (1–65535) or an IANA port name.
fn parse_service_port(spec: &str) -> Result<(i32, Value), String> {
    let mut parts = spec.split(':');
    let port_text = parts.next().unwrap_or_default();
    let port = match port_text.parse::<u64>() {
        Ok(n) if n <= 65535 => i32::try_from(n).unwrap_or(0),
        Ok(_) => {
            return Err(format!(
                "strconv.ParseUint: parsing {port_text:?}: value out of range"
            ))
        }
        Err(_) => {
            return Err(format!(
                "strconv.ParseUint: parsing {port_text:?}: invalid syntax"
            ))
        }
    };
    let Some(target) = parts.next() else {
        return Ok((port, json!(port)));
    };
    match target.parse::<i64>() {
        Ok(n) if (1..=65535).contains(&n) => Ok((port, json!(n))),
        Ok(_) => Err("must be between 1 and 65535, inclusive".to_string()),
        Err(_) => {
            let errs = crate::engine::validation::is_valid_port_name(target);
            if errs.is_empty() {
                Ok((port, json!(target)))
            } else {
                Err(errs.join(","))
            }
        }
    }
}

/// The map of a JSON object literal (empty for anything else, which `json!({…})` never is).
fn obj_map(v: Value) -> serde_json::Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

/// Sends an object a generator built (`run`, `create job`) and prints the result as kubectl's
/// `PrintFlags` would: the client object for `--dry-run=client`, the server's otherwise.
/// Returns the stored object (nothing for a dry run or a failure).
fn create_generated(
    cluster: &mut Cluster,
    kind: Kind,
    client: Value,
    dry_run: DryRun,
    output: Option<&OutputFormat>,
    out: &mut Out,
) -> Option<Object> {
    create_generated_as(
        cluster,
        kind,
        client,
        dry_run,
        output,
        ("created", None),
        out,
    )
}

/// [`create_generated`], printing `operation` (`exposed`) instead of `created`, and with `wrap`
/// wrapping the server's refusal in the command's words (`kubectl create service`: `error:
/// failed to create NodePort service: Service "x" is invalid: …`).
fn create_generated_as(
    cluster: &mut Cluster,
    kind: Kind,
    client: Value,
    dry_run: DryRun,
    output: Option<&OutputFormat>,
    (operation, wrap): (&str, Option<&str>),
    out: &mut Out,
) -> Option<Object> {
    let (shown, stored) = send_generated(cluster, kind, client, dry_run, wrap, out)?;
    if let Some(output) = output {
        print_generated(&shown, kind, operation, dry_run, output, out);
    }
    stored
}

/// [`print_changed`] for what a generator built: with `--dry-run=client` the object kubectl
/// prints is the Go struct itself, so `-o json` writes its fields in struct order.
fn print_generated(
    obj: &Value,
    kind: Kind,
    operation: &str,
    dry_run: DryRun,
    output: &OutputFormat,
    out: &mut Out,
) {
    if dry_run == DryRun::Client && *output == OutputFormat::Json {
        out.raw(crate::kubectl::print::gojson::to_json_typed(
            obj,
            crate::kubectl::print::gojson::root_type(kind.as_str()),
        ));
    } else {
        print_changed(obj, kind, operation, dry_run, output, out);
    }
}

/// Sends a generated object (or, for `--dry-run=client`, only builds it): what kubectl would
/// print (the client object, or the server's) and the stored object (nothing for a dry run).
/// A refusal is printed, and gives None.
fn send_generated(
    cluster: &mut Cluster,
    kind: Kind,
    client: Value,
    dry_run: DryRun,
    wrap: Option<&str>,
    out: &mut Out,
) -> Option<(Value, Option<Object>)> {
    let mut obj = match Object::from_json(kind, client.clone()) {
        Ok(o) => o,
        Err(e) => {
            out.fail(format!("error: {e}"));
            return None;
        }
    };
    // Without `-n` the request goes to the context's namespace (the printed client object
    // stays without one, as kubectl's `--dry-run=client` shows it).
    if kind.namespaced() && obj.meta().namespace.is_none() {
        obj.meta_mut().namespace = Some(ns_of(&None));
    }
    let (shown, stored) = match dry_run {
        DryRun::Client => (client, None),
        DryRun::Server | DryRun::None => {
            let mut scratch;
            let target = if dry_run == DryRun::Server {
                scratch = cluster.clone();
                &mut scratch
            } else {
                &mut *cluster
            };
            match target.create(obj) {
                Ok(o) => {
                    let v = dry_run_view(&o, dry_run, "created");
                    let stored = (dry_run == DryRun::None).then_some(o);
                    (v, stored)
                }
                Err(e) => {
                    match (wrap, e.kubectl_invalid_message()) {
                        (Some(w), _) => out.fail(format!("error: {w}: {}", e.message)),
                        (None, Some(m)) => out.fail(m),
                        (None, None) => out.api(&e),
                    }
                    return None;
                }
            }
        }
    };
    Some((shown, stored))
}

/// kubectl's `PrintFlags` for a command that changed an object: `pod/x created (dry run)`, or
/// the object as `-o name|yaml|json|jsonpath=` asks.
fn print_changed(
    obj: &Value,
    kind: Kind,
    operation: &str,
    dry_run: DryRun,
    output: &OutputFormat,
    out: &mut Out,
) {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let reference = format!("{}/{name}", kind.singular_group());
    match output {
        OutputFormat::Name => out.out(reference),
        OutputFormat::Yaml => out.raw(yaml::to_yaml(obj)),
        OutputFormat::Json => out.raw(yaml::to_json(obj)),
        OutputFormat::JsonPath(t) => match JsonPath::parse(t) {
            Ok(p) => match p.execute(obj) {
                Ok(text) => out.raw(text),
                Err(e) => out.fail(format!(
                    "error: error executing jsonpath {t:?}: Error executing template: {e}"
                )),
            },
            Err(e) => out.fail(format!("error: error parsing jsonpath {t}, {e}")),
        },
        OutputFormat::GoTemplate(t) => go_template(t, obj, out),
        _ => out.out(format!("{reference} {operation}{}", dry_run.suffix())),
    }
}

/// kubectl's `GoTemplatePrinter`: the output, or Go's error with kubectl's debugging dump.
pub(super) fn go_template(t: &str, v: &Value, out: &mut Out) {
    let template = match gotemplate::Template::parse(t) {
        Ok(template) => template,
        Err(e) => {
            out.fail(format!("error: error parsing template {t}, {e}"));
            return;
        }
    };
    match template.execute_partial(v) {
        (text, None) => out.raw(text),
        (text, Some(e)) => {
            out.raw(text);
            out.raw(format!(
                "Error executing template: {e}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{t}\n\traw data was:\n\t\t{}\n\tobject given to template engine was:\n\t\t{}\n\n",
                serde_json::to_string(v).unwrap_or_default(),
                gotemplate::go_print(v)
            ));
            out.fail(format!("error: error executing template {t:?}: {e}"));
        }
    }
}

// -------------------------------------------------------------------------------------------
// diff
// -------------------------------------------------------------------------------------------

/// `kubectl diff -f`: each object as it is live and as it would be after `apply` (the API
/// server's dry run, here a copy of the cluster), as `diff -u -N` prints the two YAML files
/// kubectl writes. Exit status 1 when something differs, as kubectl's. The temporary
/// directory names are derived from the simulated clock, so a script's output is stable.
fn diff(
    cluster: &Cluster,
    paths: &[String],
    namespace: Option<&str>,
    stdin: Option<&str>,
    files: &dyn FileSource,
    out: &mut Out,
) {
    let sources = read_sources(paths, stdin, files, out);
    let manifests = decode_manifests(&sources, namespace, out);
    let mut scratch = cluster.clone();
    let stamp = cluster.now().millis();
    let live_dir = format!("/tmp/LIVE-{}", 1_000_000_000 + stamp % 3_000_000_000);
    let merged_dir = format!(
        "/tmp/MERGED-{}",
        1_000_000_000 + (stamp * 7 + 12_345) % 3_000_000_000
    );
    let date = {
        let t = cluster.now().to_k8s();
        format!("{}.000000000 +0000", t.0.strftime("%Y-%m-%d %H:%M:%S"))
    };
    let mut differs = false;
    for m in manifests {
        let key = m.object.key();
        let live = cluster.store().get(&key).map(Object::to_json);
        let merged = match scratch.apply(m.object) {
            Ok((stored, _)) => {
                let mut v = stored.to_json();
                if let Some(meta) = v.pointer_mut("/metadata").and_then(Value::as_object_mut) {
                    // A dry run is not stored: the resourceVersion stays the live one.
                    match live
                        .as_ref()
                        .and_then(|l| l.pointer("/metadata/resourceVersion"))
                    {
                        Some(rv) => {
                            meta.insert("resourceVersion".to_string(), rv.clone());
                        }
                        None => {
                            meta.remove("resourceVersion");
                        }
                    }
                }
                v
            }
            Err(e) => {
                out.fail(format!(
                    "Error from server ({}): {}",
                    e.reason.as_str(),
                    e.message
                ));
                continue;
            }
        };
        let live_text = live.as_ref().map(yaml::to_yaml).unwrap_or_default();
        let merged_text = yaml::to_yaml(&merged);
        if live_text == merged_text {
            continue;
        }
        differs = true;
        let info = key.kind.info();
        let group = if info.group.is_empty() {
            String::new()
        } else {
            format!("{}.", info.group)
        };
        let file = format!(
            "{group}{}.{}.{}.{}",
            info.version, info.name, key.namespace, key.name
        );
        out.out(format!("diff -u -N {live_dir}/{file} {merged_dir}/{file}"));
        out.out(format!("--- {live_dir}/{file}\t{date}"));
        out.out(format!("+++ {merged_dir}/{file}\t{date}"));
        out.raw(unified_diff(&live_text, &merged_text, 3));
    }
    if differs {
        // diff's exit status 1: not an error message, only the status.
        out.failed = true;
    }
}

/// The hunks of `diff -u` between two texts (line-based, longest common subsequence).
fn unified_diff(a: &str, b: &str, context: usize) -> String {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the LCS length of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let v = if a.get(i) == b.get(j) {
                lcs.get(i + 1)
                    .and_then(|r| r.get(j + 1))
                    .copied()
                    .unwrap_or(0)
                    + 1
            } else {
                let down = lcs.get(i + 1).and_then(|r| r.get(j)).copied().unwrap_or(0);
                let right = lcs.get(i).and_then(|r| r.get(j + 1)).copied().unwrap_or(0);
                down.max(right)
            };
            if let Some(cell) = lcs.get_mut(i).and_then(|r| r.get_mut(j)) {
                *cell = v;
            }
        }
    }
    // The edit script: (' ' | '-' | '+', line, index in a, index in b).
    let at = |i: usize, j: usize| lcs.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0);
    let mut ops: Vec<(char, &str, usize, usize)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                ops.push((' ', x, i, j));
                i += 1;
                j += 1;
            }
            (Some(x), _) if j >= m || at(i + 1, j) >= at(i, j + 1) => {
                ops.push(('-', x, i, j));
                i += 1;
            }
            (_, Some(y)) => {
                ops.push(('+', y, i, j));
                j += 1;
            }
            _ => break,
        }
    }
    // Hunks: changes with up to `context` unchanged lines around them, merged when close.
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| o.0 != ' ')
        .map(|(k, _)| k)
        .collect();
    let mut text = String::new();
    let mut k = 0;
    while let Some(&first) = changed.get(k) {
        let start = first.saturating_sub(context);
        let mut last = first;
        while let Some(&next) = changed.get(k + 1) {
            if next - last > 2 * context {
                break;
            }
            last = next;
            k += 1;
        }
        k += 1;
        let end = (last + context + 1).min(ops.len());
        let hunk = ops.get(start..end).unwrap_or_default();
        let a_len = hunk.iter().filter(|o| o.0 != '+').count();
        let b_len = hunk.iter().filter(|o| o.0 != '-').count();
        let a_start = hunk.first().map_or(0, |o| o.2);
        let b_start = hunk.first().map_or(0, |o| o.3);
        let range = |s: usize, len: usize| match len {
            0 => format!("{s},0"),
            1 => format!("{}", s + 1),
            _ => format!("{},{len}", s + 1),
        };
        text.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(a_start, a_len),
            range(b_start, b_len)
        ));
        for (op, line, _, _) in hunk {
            text.push(*op);
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

// -------------------------------------------------------------------------------------------
// events
// -------------------------------------------------------------------------------------------

/// `kubectl events`: oldest first by last timestamp (`SortableEvents`), OBJECT as `Kind/name`,
/// LAST SEEN as `5s (x3 over 40s)` for a repeated event (`getInterval`).
fn events_cmd(cluster: &Cluster, e: &EventsCmd, out: &mut Out) {
    let namespace = ns_of(&e.namespace);
    let now = cluster.now();
    let mut evs: Vec<&k8s_openapi::api::core::v1::Event> = cluster
        .store()
        .list(Kind::Event)
        .filter_map(|o| match o {
            Object::Event(ev) => Some(ev),
            _ => None,
        })
        .filter(|ev| event_selected(ev, e, &namespace))
        .collect();
    // `eventTime` (kubectl/pkg/cmd/events).
    let last_seen = crate::engine::events::last_seen;
    crate::kubectl::print::sort_by(&mut evs, |a, b| last_seen(a).cmp(&last_seen(b)));
    if evs.is_empty() {
        if e.all_namespaces {
            out.warn("No events found.");
        } else {
            out.warn(format!("No events found in {namespace} namespace."));
        }
    } else {
        match &e.output {
            OutputFormat::Table => {
                let mut rows: Vec<Vec<String>> = Vec::new();
                if !e.no_headers {
                    rows.push(event_header(e.all_namespaces));
                }
                for ev in &evs {
                    rows.push(event_row(ev, e.all_namespaces, now));
                }
                out.raw(print::tabwrite(&rows));
            }
            OutputFormat::Name => {
                for ev in &evs {
                    out.out(format!(
                        "event/{}",
                        ev.metadata.name.clone().unwrap_or_default()
                    ));
                }
            }
            other => {
                let list = yaml::list(
                    evs.iter()
                        .map(|ev| Object::Event((*ev).clone()).to_json())
                        .collect(),
                );
                print_changed(&list, Kind::Event, "", DryRun::None, other, out);
            }
        }
    }
    if e.watch {
        out.warn(super::watch::NESTED_NOTE);
    }
}

/// Whether `kubectl events` shows `ev`: its namespace (or `-A`), `--types`, `--for`.
pub(super) fn event_selected(
    ev: &k8s_openapi::api::core::v1::Event,
    e: &EventsCmd,
    namespace: &str,
) -> bool {
    (e.all_namespaces || ev.metadata.namespace.as_deref() == Some(namespace))
        && (e.types.is_empty()
            || e.types
                .contains(&ev.type_.clone().unwrap_or_default().to_ascii_lowercase()))
        && match &e.for_object {
            None => true,
            Some((kind, name)) => {
                ev.involved_object.kind.as_deref() == Some(kind.as_str())
                    && ev.involved_object.name.as_deref() == Some(name.as_str())
            }
        }
}

/// `EventPrinter.printHeadings`.
pub(super) fn event_header(all_namespaces: bool) -> Vec<String> {
    let mut h = Vec::new();
    if all_namespaces {
        h.push("NAMESPACE".to_string());
    }
    h.extend(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"].map(String::from));
    h
}

/// `EventPrinter.printOneEvent`.
pub(super) fn event_row(
    ev: &k8s_openapi::api::core::v1::Event,
    all_namespaces: bool,
    now: SimTime,
) -> Vec<String> {
    let mut row = Vec::new();
    if all_namespaces {
        row.push(ev.metadata.namespace.clone().unwrap_or_default());
    }
    row.push(print::table::event_interval(ev, now));
    row.push(ev.type_.clone().unwrap_or_default());
    row.push(ev.reason.clone().unwrap_or_default());
    row.push(format!(
        "{}/{}",
        ev.involved_object.kind.clone().unwrap_or_default(),
        ev.involved_object.name.clone().unwrap_or_default()
    ));
    row.push(ev.message.clone().unwrap_or_default().trim().to_string());
    row
}

// -------------------------------------------------------------------------------------------
// expose
// -------------------------------------------------------------------------------------------

/// `generate.ParseLabels`: `k=v,k2=v2` into a map.
fn parse_label_map(spec: &str) -> Result<serde_json::Map<String, Value>, String> {
    let mut m = serde_json::Map::new();
    for item in spec.split(',') {
        let parts: Vec<&str> = item.split('=').collect();
        let [k, v] = parts.as_slice() else {
            return Err(format!("error: unexpected label spec: {item}"));
        };
        if k.is_empty() {
            return Err("error: unexpected empty label key".to_string());
        }
        m.insert(k.to_string(), json!(v));
    }
    Ok(m)
}

/// `kubectl expose` (`RunExpose` and the `service/v2` generator): only pods and Services can
/// be exposed here (kubectl also takes Deployments, ReplicaSets and ReplicationControllers,
/// which kubeplay does not serve) — a DaemonSet cannot, so a Service for daemons is written
/// by hand. Selector, ports and labels come from the object unless given.
fn expose(cluster: &mut Cluster, e: &ExposeCmd, out: &mut Out) {
    let namespace = ns_of(&e.namespace);
    let ResourceArg::Named(kind, name) = &e.target else {
        return;
    };
    let key = ObjectKey::new(*kind, &namespace, name);
    let obj = match cluster.get(&key) {
        Ok(o) => o.clone(),
        Err(err) => {
            out.api(&err);
            return;
        }
    };
    if !matches!(kind, Kind::Pod | Kind::Service) {
        out.fail(format!("error: cannot expose a {}", kind.kind_group()));
        return;
    }
    let selector = match &e.selector {
        Some(s) => match parse_label_map(s) {
            Ok(m) => m,
            Err(msg) => {
                out.fail(msg);
                return;
            }
        },
        None => {
            let m: serde_json::Map<String, Value> = match &obj {
                Object::Pod(p) => p.metadata.labels.clone().unwrap_or_default(),
                Object::Service(s) => s
                    .spec
                    .as_ref()
                    .and_then(|s| s.selector.clone())
                    .unwrap_or_default(),
                _ => Default::default(),
            }
            .into_iter()
            .map(|(k, v)| (k, json!(v)))
            .collect();
            if m.is_empty() {
                let what = if *kind == Kind::Pod {
                    "the pod has no labels and cannot be exposed"
                } else {
                    "the service has no pod selector set"
                };
                out.fail(format!(
                    "error: couldn't retrieve selectors via --selector flag or introspection: {what}"
                ));
                return;
            }
            m
        }
    };
    let headless = e.cluster_ip.as_deref() == Some("None");
    // Ports: --port, else the object's (pod container ports, Service ports) with protocols.
    let mut protocols: BTreeMap<String, String> = BTreeMap::new();
    let ports: Vec<String> = match &e.port {
        Some(p) => p.split(',').map(str::to_string).collect(),
        None => {
            let mut found = Vec::new();
            match &obj {
                Object::Pod(p) => {
                    for c in p.spec.iter().flat_map(|s| s.containers.iter()) {
                        for cp in c.ports.iter().flatten() {
                            let n = cp.container_port.to_string();
                            protocols.insert(
                                n.clone(),
                                cp.protocol.clone().unwrap_or_else(|| "TCP".to_string()),
                            );
                            found.push(n);
                        }
                    }
                }
                Object::Service(s) => {
                    for sp in s.spec.iter().flat_map(|s| s.ports.iter().flatten()) {
                        let n = sp.port.to_string();
                        protocols.insert(
                            n.clone(),
                            sp.protocol.clone().unwrap_or_else(|| "TCP".to_string()),
                        );
                        found.push(n);
                    }
                }
                _ => {}
            }
            if found.is_empty() && !headless {
                out.fail("error: couldn't find port via --port flag or introspection");
                return;
            }
            found
        }
    };
    let mut service_ports = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let Ok(number) = p.trim().parse::<i64>() else {
            out.fail(format!(
                "error: strconv.Atoi: parsing {p:?}: invalid syntax"
            ));
            return;
        };
        let protocol = e
            .protocol
            .clone()
            .or_else(|| protocols.get(p).cloned())
            .unwrap_or_else(|| "TCP".to_string());
        let target = match &e.target_port {
            Some(t) => match t.parse::<i64>() {
                Ok(n) => json!(n as i32),
                Err(_) => json!(t),
            },
            None => json!(number as i32),
        };
        let mut sp = obj_map(json!({
            "port": number as i32,
            "protocol": protocol,
            "targetPort": target
        }));
        if ports.len() > 1 {
            sp.insert("name".to_string(), json!(format!("port-{}", i + 1)));
        }
        service_ports.push(Value::Object(sp));
    }
    let labels: serde_json::Map<String, Value> = match &e.labels {
        Some(l) => match parse_label_map(l) {
            Ok(m) => m,
            Err(msg) => {
                out.fail(msg);
                return;
            }
        },
        None => obj
            .meta()
            .labels
            .clone()
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, json!(v)))
            .collect(),
    };
    let service_name = e.name.clone().unwrap_or_else(|| name.clone());
    let mut meta = obj_map(json!({ "creationTimestamp": null, "name": service_name }));
    if !labels.is_empty() {
        meta.insert("labels".to_string(), Value::Object(labels));
    }
    if let Some(ns) = &e.namespace {
        meta.insert("namespace".to_string(), json!(ns));
    }
    let mut spec = obj_map(json!({ "selector": selector }));
    if !service_ports.is_empty() {
        spec.insert("ports".to_string(), Value::Array(service_ports));
    }
    if let Some(t) = &e.service_type {
        spec.insert("type".to_string(), json!(t));
    }
    if let Some(ip) = &e.cluster_ip {
        spec.insert("clusterIP".to_string(), json!(ip));
    }
    let svc = service_client_object(meta, spec);
    create_generated_as(
        cluster,
        Kind::Service,
        svc,
        e.dry_run,
        Some(&e.output),
        ("exposed", None),
        out,
    );
}

// -------------------------------------------------------------------------------------------
// version
// -------------------------------------------------------------------------------------------

/// The release kubeplay's kubectl and API server stand for.
const GIT_VERSION: &str = "v1.34.1";
/// kubectl v1.34.1's embedded Kustomize.
const KUSTOMIZE_VERSION: &str = "v5.7.1";

/// A `version.Info` of the v1.34.1 release build, in Go's field order: the server's also says
/// which version it emulates and the oldest it stays compatible with (since 1.33).
fn version_info(server: bool) -> Vec<(&'static str, &'static str)> {
    let mut info = vec![("major", "1"), ("minor", "34")];
    if server {
        info.extend([
            ("emulationMajor", "1"),
            ("emulationMinor", "34"),
            ("minCompatibilityMajor", "1"),
            ("minCompatibilityMinor", "33"),
        ]);
    }
    info.extend([
        ("gitVersion", GIT_VERSION),
        ("gitCommit", "93248f9ae092f571eb870b7664c534bfc7d00f03"),
        ("gitTreeState", "clean"),
        // The release's kube-apiserver was built minutes before its kubectl.
        (
            "buildDate",
            if server {
                "2025-09-09T19:37:20Z"
            } else {
                "2025-09-09T19:44:50Z"
            },
        ),
        ("goVersion", "go1.24.6"),
        ("compiler", "gc"),
        ("platform", "linux/amd64"),
    ]);
    info
}

/// `kubectl version`: the text lines, or `-o json` (`json.MarshalIndent` with two spaces, Go's
/// field order) or `-o yaml` (sorted keys); `--client` leaves the server out.
fn version(client_only: bool, output: &str) -> String {
    let mut parts = vec![("clientVersion", Some(version_info(false)), "")];
    parts.push(("kustomizeVersion", None, KUSTOMIZE_VERSION));
    if !client_only {
        parts.push(("serverVersion", Some(version_info(true)), ""));
    }
    match output {
        "json" => {
            let mut s = String::from("{\n");
            for (i, (key, info, value)) in parts.iter().enumerate() {
                s.push_str(&format!("  \"{key}\": "));
                match info {
                    Some(fields) => {
                        s.push_str("{\n");
                        for (j, (k, v)) in fields.iter().enumerate() {
                            let comma = if j + 1 < fields.len() { "," } else { "" };
                            s.push_str(&format!("    \"{k}\": \"{v}\"{comma}\n"));
                        }
                        s.push_str("  }");
                    }
                    None => s.push_str(&format!("\"{value}\"")),
                }
                s.push_str(if i + 1 < parts.len() { ",\n" } else { "\n" });
            }
            s.push_str("}\n");
            s
        }
        "yaml" => {
            let mut doc = serde_json::Map::new();
            for (key, info, value) in parts {
                let v = match info {
                    Some(fields) => Value::Object(
                        fields
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), json!(v)))
                            .collect(),
                    ),
                    None => json!(value),
                };
                doc.insert(key.to_string(), v);
            }
            yaml::to_yaml(&Value::Object(doc))
        }
        _ => {
            let mut s =
                format!("Client Version: {GIT_VERSION}\nKustomize Version: {KUSTOMIZE_VERSION}\n");
            if !client_only {
                s.push_str(&format!("Server Version: {GIT_VERSION}\n"));
            }
            s
        }
    }
}

// -------------------------------------------------------------------------------------------
// run
// -------------------------------------------------------------------------------------------

/// The pod `kubectl run` builds (`generateversioned.BasicPod`), as Go encodes it.
fn run_pod_json(r: &RunCmd) -> Value {
    let mut container = obj_map(json!({ "image": r.image, "name": r.name, "resources": {} }));
    if !r.args.is_empty() {
        container.insert(
            (if r.command { "command" } else { "args" }).to_string(),
            json!(r.args),
        );
    }
    if !r.env.is_empty() {
        container.insert(
            "env".to_string(),
            Value::Array(
                r.env
                    .iter()
                    .map(|(k, v)| {
                        if v.is_empty() {
                            json!({ "name": k })
                        } else {
                            json!({ "name": k, "value": v })
                        }
                    })
                    .collect(),
            ),
        );
    }
    if let Some(p) = r.port {
        // Go's `int32(port)`.
        container.insert("ports".to_string(), json!([{ "containerPort": p as i32 }]));
    }
    if let Some(policy) = &r.image_pull_policy {
        container.insert("imagePullPolicy".to_string(), json!(policy));
    }
    if r.stdin {
        container.insert("stdin".to_string(), json!(true));
        container.insert("stdinOnce".to_string(), json!(true));
    }
    if r.tty {
        container.insert("tty".to_string(), json!(true));
    }
    if r.privileged {
        container.insert("securityContext".to_string(), json!({ "privileged": true }));
    }
    let labels: serde_json::Map<String, Value> = r
        .labels
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let mut meta = obj_map(json!({ "creationTimestamp": null, "labels": labels, "name": r.name }));
    if !r.annotations.is_empty() {
        let ann: serde_json::Map<String, Value> = r
            .annotations
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        meta.insert("annotations".to_string(), Value::Object(ann));
    }
    if let Some(ns) = &r.namespace {
        meta.insert("namespace".to_string(), json!(ns));
    }
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {
            "containers": [container],
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": r.restart
        },
        "status": {}
    })
}

/// The Service `kubectl run --expose` builds: the `expose` command's `ServiceGeneratorV2` with
/// the run's string parameters — selector and labels from `--labels` (else selector
/// `run=NAME` and no labels), one TCP port `--port` targeting the same port.
fn run_service_json(r: &RunCmd) -> Value {
    let labels: serde_json::Map<String, Value> = r
        .labels
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let mut meta = obj_map(json!({ "creationTimestamp": null, "name": r.name }));
    if r.labels_given {
        meta.insert("labels".to_string(), Value::Object(labels.clone()));
    }
    if let Some(ns) = &r.namespace {
        meta.insert("namespace".to_string(), json!(ns));
    }
    let port = r.port.unwrap_or_default() as i32;
    let spec = obj_map(json!({
        "ports": [{ "port": port, "protocol": "TCP", "targetPort": port }],
        "selector": labels
    }));
    service_client_object(meta, spec)
}

fn pod_phase(cluster: &Cluster, key: &ObjectKey, uid: &str) -> Option<String> {
    let p = cluster.store().pod(&key.namespace, &key.name)?;
    if p.metadata.uid.as_deref() != Some(uid) {
        return None;
    }
    Some(
        p.status
            .as_ref()
            .and_then(|s| s.phase.clone())
            .unwrap_or_default(),
    )
}

fn pod_ready(cluster: &Cluster, key: &ObjectKey) -> bool {
    cluster
        .store()
        .pod(&key.namespace, &key.name)
        .and_then(|p| p.status.as_ref())
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

/// Whether the pod's first container has stopped (terminated now, or restarted since).
fn container_exited(cluster: &Cluster, key: &ObjectKey) -> bool {
    cluster
        .store()
        .pod(&key.namespace, &key.name)
        .and_then(|p| p.status.as_ref())
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|cs| cs.first())
        .is_some_and(|c| {
            c.restart_count > 0 || c.state.as_ref().is_some_and(|s| s.terminated.is_some())
        })
}

/// `kubectl run`. Attaching (`-i`, `--attach`) waits in simulated time: for the pod to run
/// (`--pod-running-timeout`), then for its process to exit, printing what it wrote — kubeplay's
/// console has no terminal, so a process still running after a minute (a shell waiting for
/// input) gets kubectl's fall-back to its logs. `--rm` then deletes the pod; with
/// `--restart=Never` a failed container ends the command with its exit code's error.
fn run(cluster: &mut Cluster, r: &RunCmd, out: &mut Out) {
    let output = (!r.attach).then_some(&r.output);
    let mut pod = run_pod_json(r);
    // `--overrides`: patched into the generated pod before it is sent (kubectl's Overrider).
    if let Some((kind, patch)) = &r.overrides {
        if kind == "json" {
            if let Err(e) = crate::engine::patch::json_patch(&mut pod, patch) {
                out.fail(format!("error: {e}"));
                return;
            }
        } else if kind == "strategic" {
            crate::engine::patch::strategic_merge_patch(&mut pod, patch);
        } else {
            crate::engine::patch::merge_patch(&mut pod, patch);
        }
    }
    let Some((shown, created)) = send_generated(cluster, Kind::Pod, pod, r.dry_run, None, out)
    else {
        return;
    };
    // `--expose`: the Service is created after the pod but printed first (`generateService`
    // prints it at once, the pod is printed last); `-o yaml` separates them with its own `---`
    // and the YAML printer's.
    let service = match r.expose {
        true => send_generated(
            cluster,
            Kind::Service,
            run_service_json(r),
            r.dry_run,
            None,
            out,
        ),
        false => None,
    };
    if let Some((svc, _)) = &service {
        print_generated(svc, Kind::Service, "created", r.dry_run, &r.output, out);
        if r.output == OutputFormat::Yaml {
            out.raw("---\n---\n");
        }
    }
    if let Some(output) = output {
        print_generated(&shown, Kind::Pod, "created", r.dry_run, output, out);
    }
    let Some(created) = created.filter(|_| r.attach) else {
        return;
    };
    let key = created.key();
    let uid = created.uid().to_string();
    let result = attach(cluster, r, &key, &uid, out);
    if r.rm {
        // `removeCreatedObjects`: the pod, then the Service `--expose` made.
        let options = DeleteOptions {
            propagation: Propagation::Background,
            grace_period_seconds: None,
            uid_precondition: None,
        };
        let mut created_objects = vec![key.clone()];
        if let Some((_, Some(svc))) = &service {
            created_objects.push(svc.key());
        }
        for k in created_objects {
            if cluster.delete(&k, &options).is_ok() {
                out.out(format!(
                    "{} \"{}\" deleted",
                    k.kind.singular_group(),
                    k.name
                ));
            }
        }
    }
    if let Err(msg) = result {
        out.fail(msg);
    }
}

/// How long an attached console waits for a running process to exit before falling back to
/// its logs.
const ATTACH_MS: Millis = 60 * SECOND;

/// `handleAttachPod` and the exit-code wait of `kubectl run`, in simulated time. The error is
/// what kubectl prints last.
fn attach(
    cluster: &mut Cluster,
    r: &RunCmd,
    key: &ObjectKey,
    uid: &str,
    out: &mut Out,
) -> Result<(), String> {
    const TIMED_OUT: &str = "error: timed out waiting for the condition";
    let terminal = |p: Option<&str>| matches!(p, Some("Succeeded" | "Failed"));
    let deadline = cluster.now().plus(r.pod_running_timeout);
    let started = advance_until(cluster, deadline, |c| {
        let phase = pod_phase(c, key, uid);
        match phase.as_deref() {
            None => true,
            Some("Running") => pod_ready(c, key),
            p => terminal(p),
        }
    });
    if !started {
        return Err(TIMED_OUT.to_string());
    }
    if pod_phase(cluster, key, uid).is_none() {
        return Err(format!(
            "Error from server (NotFound): pods \"{}\" not found",
            key.name
        ));
    }
    if !terminal(pod_phase(cluster, key, uid).as_deref()) {
        let deadline = cluster.now().plus(ATTACH_MS);
        let exited = advance_until(cluster, deadline, |c| {
            container_exited(c, key) || terminal(pod_phase(c, key, uid).as_deref())
        });
        if !exited {
            out.warn(format!(
                "warning: couldn't attach to pod/{}, falling back to streaming logs: kubeplay's console has no terminal to attach to",
                key.name
            ));
        }
    }
    // What the attached process wrote: its first run, if it has restarted since.
    let restarted = cluster
        .store()
        .pod(&key.namespace, &key.name)
        .and_then(|p| p.status.as_ref())
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|cs| cs.first())
        .is_some_and(|c| {
            c.restart_count > 0 && c.state.as_ref().is_none_or(|s| s.terminated.is_none())
        });
    if let Ok(text) = cluster.logs(key, None, restarted) {
        out.raw(text);
    }
    let wanted: &[&str] = match r.restart.as_str() {
        "Never" => &["Succeeded", "Failed"],
        "OnFailure" => &["Succeeded"],
        _ => return Ok(()),
    };
    let deadline = cluster.now().plus(r.pod_running_timeout);
    let done = advance_until(cluster, deadline, |c| {
        pod_phase(c, key, uid).is_none_or(|p| wanted.contains(&p.as_str()))
    });
    if !done {
        return Err(TIMED_OUT.to_string());
    }
    let Some(pod) = cluster.store().pod(&key.namespace, &key.name) else {
        return Err(format!(
            "Error from server (NotFound): pods \"{}\" not found",
            key.name
        ));
    };
    let phase = pod
        .status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_default();
    match phase.as_str() {
        "Succeeded" => Ok(()),
        "Failed" => {
            let term = pod
                .status
                .as_ref()
                .and_then(|s| s.container_statuses.as_ref())
                .and_then(|cs| cs.first())
                .and_then(|c| c.state.as_ref())
                .and_then(|s| s.terminated.clone());
            match term {
                Some(t) if t.exit_code != 0 => Err(format!(
                    "pod {}/{} terminated ({})\n{}",
                    key.namespace,
                    key.name,
                    t.reason.unwrap_or_default(),
                    t.message.unwrap_or_default()
                )),
                _ => Err(format!(
                    "error: pod {}/{} failed with unknown exit code",
                    key.namespace, key.name
                )),
            }
        }
        p => Err(format!(
            "error: pod {}/{} left in phase {p}",
            key.namespace, key.name
        )),
    }
}

// -------------------------------------------------------------------------------------------
// Resolving resource arguments
// -------------------------------------------------------------------------------------------

thread_local! {
    /// The kubeconfig context's namespace while [`super::Session::run`] runs a command.
    static CONTEXT_NAMESPACE: std::cell::RefCell<String> =
        std::cell::RefCell::new("default".to_string());
}

/// Runs `f` with `ns` as the namespace of commands without `-n`.
pub(super) fn with_context_namespace<R>(ns: &str, f: impl FnOnce() -> R) -> R {
    let before = CONTEXT_NAMESPACE.with(|c| c.replace(ns.to_string()));
    let r = f();
    CONTEXT_NAMESPACE.with(|c| *c.borrow_mut() = before);
    r
}

/// `sim pod fail|succeed`: the fault on the named pod, or on every pod the selector matches.
fn inject_pods(
    cluster: &mut Cluster,
    target: &PodTarget,
    namespace: &str,
    fault: &kubelet::Fault,
    done: &str,
    out: &mut Out,
) {
    let names: Vec<String> = match target {
        PodTarget::Name(n) => vec![n.clone()],
        PodTarget::Selector(sel) => {
            let sel = match LabelSelector::parse(sel) {
                Ok(s) => s,
                Err(e) => {
                    out.fail(format!("error: {e}"));
                    return;
                }
            };
            let names: Vec<String> = cluster
                .store()
                .list_ns(Kind::Pod, namespace)
                .filter(|o| sel.matches(&o.meta().labels.clone().unwrap_or_default()))
                .map(|o| o.name().to_string())
                .collect();
            if names.is_empty() {
                out.warn(format!("No resources found in {namespace} namespace."));
            }
            names
        }
    };
    for name in names {
        let key = ObjectKey::new(Kind::Pod, namespace, &name);
        match cluster.inject(&key, fault.clone()) {
            Ok(()) => out.out(format!("pod/{name} {done}")),
            Err(e) => out.api(&e),
        }
    }
}

/// The namespace a command works in: `-n`, else the context's.
pub(super) fn ns_of(ns: &Option<String>) -> String {
    ns.clone()
        .unwrap_or_else(|| CONTEXT_NAMESPACE.with(|c| c.borrow().clone()))
}

struct Resolve<'a> {
    namespace: String,
    all_namespaces: bool,
    selector: Option<&'a str>,
    field_selector: Option<&'a str>,
}

/// Objects named by `args`, in argument order; missing named objects become errors (printed
/// in the order kubectl prints them: after the objects found).
fn resolve(
    cluster: &Cluster,
    args: &[ResourceArg],
    r: &Resolve,
    out: &mut Out,
) -> Result<(Vec<Object>, Vec<ApiError>), ()> {
    let label_sel = match r.selector.map(LabelSelector::parse) {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => {
            out.fail(format!("error: {e}"));
            return Err(());
        }
        None => None,
    };
    let field_sel = match r.field_selector.map(FieldSelector::parse) {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => {
            out.fail(format!("error: {e}"));
            return Err(());
        }
        None => None,
    };
    let mut objs = Vec::new();
    let mut errors = Vec::new();
    for a in args {
        match a {
            ResourceArg::Named(kind, name) => {
                if r.all_namespaces && kind.namespaced() {
                    out.fail("error: a resource cannot be retrieved by name across all namespaces");
                    return Err(());
                }
                let key = ObjectKey::new(*kind, &r.namespace, name);
                match cluster.get(&key) {
                    Ok(o) => objs.push(o.clone()),
                    Err(e) => errors.push(e),
                }
            }
            ResourceArg::Kind(kind) => {
                if let Some(fs) = &field_sel {
                    if let Err(e) = fs.check_supported(kind.as_str()) {
                        let info = kind.info();
                        out.fail(format!(
                            "Error from server (BadRequest): Unable to find {{\"{}\", \"{}\", \"{}\"}} that match label selector \"{}\", field selector \"{}\": {e}",
                            info.group,
                            info.version,
                            info.plural,
                            r.selector.unwrap_or(""),
                            r.field_selector.unwrap_or("")
                        ));
                        return Err(());
                    }
                }
                let list: Vec<&Object> = if !kind.namespaced() || r.all_namespaces {
                    cluster.store().list(*kind).collect()
                } else {
                    cluster.store().list_ns(*kind, &r.namespace).collect()
                };
                for o in list {
                    if let Some(ls) = &label_sel {
                        if !ls.matches(&o.meta().labels.clone().unwrap_or_default()) {
                            continue;
                        }
                    }
                    if let Some(fs) = &field_sel {
                        if !fs.matches(&selector::object_fields(kind.as_str(), &o.to_json())) {
                            continue;
                        }
                    }
                    objs.push(o.clone());
                }
            }
        }
    }
    Ok((objs, errors))
}

// -------------------------------------------------------------------------------------------
// get
// -------------------------------------------------------------------------------------------

/// What `get` found: the objects, the errors of named objects that do not exist, and the
/// resource arguments (the `-f` files' objects included).
pub(super) struct Listed {
    pub(super) objs: Vec<Object>,
    pub(super) errors: Vec<ApiError>,
    pub(super) resources: Vec<ResourceArg>,
    pub(super) namespace: String,
}

/// The objects `get` prints, in the order it prints them (after `--sort-by`); `None` once an
/// error is printed.
pub(super) fn list_for_get(
    cluster: &Cluster,
    g: &GetCmd,
    stdin: Option<&str>,
    files: &dyn FileSource,
    out: &mut Out,
) -> Option<Listed> {
    let namespace = ns_of(&g.namespace);
    let mut resources = g.resources.clone();
    if !g.files.is_empty() {
        let sources = read_sources(&g.files, stdin, files, out);
        for m in decode_manifests(&sources, g.namespace.as_deref(), out) {
            resources.push(ResourceArg::Named(
                m.object.kind(),
                m.object.name().to_string(),
            ));
        }
    }
    if g.selector.is_some()
        && resources
            .iter()
            .any(|r| matches!(r, ResourceArg::Named(..)))
    {
        out.fail("error: name cannot be provided when a selector is specified");
        return None;
    }
    let r = Resolve {
        namespace: namespace.clone(),
        all_namespaces: g.all_namespaces,
        selector: g.selector.as_deref(),
        field_selector: g.field_selector.as_deref(),
    };
    let (mut objs, errors) = resolve(cluster, &resources, &r, out).ok()?;
    if let Some(sort) = g.sort_by.as_ref().filter(|_| !(g.watch || g.watch_only)) {
        if let Err(e) = sort_objects(&mut objs, sort) {
            out.fail(e);
            return None;
        }
    }
    Some(Listed {
        objs,
        errors,
        resources,
        namespace,
    })
}

fn get(cluster: &Cluster, g: &GetCmd, stdin: Option<&str>, files: &dyn FileSource, out: &mut Out) {
    let Some(Listed {
        objs,
        errors,
        resources,
        namespace,
    }) = list_for_get(cluster, g, stdin, files, out)
    else {
        return;
    };
    let single = resources.len() == 1
        && matches!(resources.first(), Some(ResourceArg::Named(..)))
        && g.files.is_empty();
    let now = cluster.now();
    match &g.output {
        OutputFormat::Table | OutputFormat::Wide => {
            print_tables(&objs, g, now, out);
            if objs.is_empty() && errors.is_empty() {
                let all_cluster = resources.iter().all(|r| !r.kind().namespaced());
                if g.all_namespaces || all_cluster {
                    out.warn("No resources found");
                } else {
                    out.warn(format!("No resources found in {namespace} namespace."));
                }
            }
        }
        OutputFormat::Yaml | OutputFormat::Json => {
            if !(single && objs.is_empty()) {
                let v = if single && objs.len() == 1 {
                    objs.first().map(Object::to_json).unwrap_or(Value::Null)
                } else {
                    yaml::list(objs.iter().map(Object::to_json).collect())
                };
                out.raw(if g.output == OutputFormat::Yaml {
                    yaml::to_yaml(&v)
                } else {
                    yaml::to_json(&v)
                });
            }
        }
        OutputFormat::Name => {
            for o in &objs {
                out.out(ref_name(o));
            }
        }
        OutputFormat::JsonPath(t) => {
            let parsed = match JsonPath::parse(t) {
                Ok(p) => p,
                Err(e) => {
                    out.fail(format!("error: error parsing jsonpath {t}, {e}"));
                    return;
                }
            };
            if !(single && objs.is_empty()) {
                let v = if single && objs.len() == 1 {
                    objs.first().map(Object::to_json).unwrap_or(Value::Null)
                } else {
                    yaml::list(objs.iter().map(Object::to_json).collect())
                };
                match parsed.execute(&v) {
                    Ok(s) => out.raw(s),
                    Err(e) => out.fail(format!("error: error executing jsonpath {t:?}: Error executing template: {e}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{t}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n", serde_json::to_string(&v).unwrap_or_default())),
                }
            }
        }
        OutputFormat::GoTemplate(t) => {
            if !(single && objs.is_empty()) {
                let v = if single && objs.len() == 1 {
                    objs.first().map(Object::to_json).unwrap_or(Value::Null)
                } else {
                    yaml::list(objs.iter().map(Object::to_json).collect())
                };
                go_template(t, &v, out);
            }
        }
        OutputFormat::CustomColumns(spec) => {
            if let Err(e) = custom_columns(&objs, spec, g.no_headers, out) {
                out.fail(e);
                return;
            }
            if objs.is_empty() && errors.is_empty() {
                out.warn(format!("No resources found in {namespace} namespace."));
            }
        }
    }
    for e in errors {
        out.api(&e);
    }
    if g.watch || g.watch_only {
        out.warn(super::watch::NESTED_NOTE);
    }
}

fn sort_objects(objs: &mut [Object], field: &str) -> Result<(), String> {
    let path = jsonpath::relaxed(field)
        .and_then(|t| JsonPath::parse(&t))
        .map_err(|e| format!("error: couldn't parse --sort-by {field}: {e}"))?;
    // `RuntimeSort.Less`: a field that is null (an events.k8s.io/v1 event's lastTimestamp) or
    // missing sorts before any value.
    let mut keyed: Vec<(Value, usize, Object)> = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        let json = o.to_json();
        let v = match path.find_first(&json) {
            Ok(Some(Value::Null)) | Ok(None) | Err(_) => Value::Null,
            Ok(Some(_)) => {
                let s = path.execute(&json).unwrap_or_default();
                match s.parse::<f64>() {
                    Ok(n) => json!(n),
                    Err(_) => Value::String(s),
                }
            }
        };
        keyed.push((v, i, o.clone()));
    }
    crate::kubectl::print::sort_by(&mut keyed, |a, b| {
        let ord = match (&a.0, &b.0) {
            (Value::Null, Value::Null) => std::cmp::Ordering::Equal,
            (Value::Null, _) => std::cmp::Ordering::Less,
            (_, Value::Null) => std::cmp::Ordering::Greater,
            (Value::Number(x), Value::Number(y)) => x
                .as_f64()
                .unwrap_or(0.0)
                .total_cmp(&y.as_f64().unwrap_or(0.0)),
            (Value::Number(_), _) => std::cmp::Ordering::Less,
            (_, Value::Number(_)) => std::cmp::Ordering::Greater,
            (x, y) => x.as_str().unwrap_or("").cmp(y.as_str().unwrap_or("")),
        };
        ord.then(a.1.cmp(&b.1))
    });
    for (slot, (_, _, o)) in objs.iter_mut().zip(keyed) {
        *slot = o;
    }
    Ok(())
}

/// `-o custom-columns=SPEC`'s columns: each header with its JSONPath.
pub(super) fn custom_column_spec(spec: &str) -> Result<Vec<(String, JsonPath)>, String> {
    let mut cols = Vec::new();
    for part in spec.split(',') {
        let Some((name, path)) = part.split_once(':') else {
            return Err(format!(
                "error: unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            ));
        };
        let jp = jsonpath::relaxed(path)
            .and_then(|t| JsonPath::parse(&t))
            .map_err(|e| format!("error: {e}"))?;
        cols.push((name.to_string(), jp));
    }
    Ok(cols)
}

/// One object's row of custom columns (`<none>` where a path finds nothing).
pub(super) fn custom_column_cells(o: &Object, cols: &[(String, JsonPath)]) -> Vec<String> {
    let v = o.to_json();
    cols.iter()
        .map(|(_, jp)| match jp.execute(&v) {
            Ok(s) if !s.is_empty() => s,
            _ => "<none>".to_string(),
        })
        .collect()
}

fn custom_columns(
    objs: &[Object],
    spec: &str,
    no_headers: bool,
    out: &mut Out,
) -> Result<(), String> {
    let cols = custom_column_spec(spec)?;
    let mut rows = Vec::new();
    if !no_headers {
        rows.push(cols.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>());
    }
    for o in objs {
        rows.push(custom_column_cells(o, &cols));
    }
    out.raw(print::tabwrite(&rows));
    Ok(())
}

/// A `-L` column's header: the key's last path segment, upper-cased, as
/// `printers.HumanReadablePrinter` prints label columns.
fn label_column_header(key: &str) -> String {
    key.rsplit('/').next().unwrap_or(key).to_uppercase()
}

fn print_tables(objs: &[Object], g: &GetCmd, now: SimTime, out: &mut Out) {
    let mut kinds: Vec<Kind> = Vec::new();
    for o in objs {
        if !kinds.contains(&o.kind()) {
            kinds.push(o.kind());
        }
    }
    // `resource.MultipleTypesRequested`: naming several types (or `all`) prints `kind/name`
    // even when only one of them has objects.
    let mut requested: Vec<Kind> = g.resources.iter().map(ResourceArg::kind).collect();
    crate::engine::sort::sort(&mut requested);
    requested.dedup();
    let with_kind = kinds.len() > 1 || requested.len() > 1;
    let ctx = table::RowCtx {
        now,
        wide: g.output == OutputFormat::Wide,
    };
    let mut first = true;
    let mut i = 0;
    while let Some(o) = objs.get(i) {
        let kind = o.kind();
        let group: Vec<&Object> = objs
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take_while(|x| x.kind() == kind)
            .collect();
        i += group.len();
        if !first && !g.no_headers {
            out.raw("\n");
        }
        first = false;
        let show_ns = g.all_namespaces && kind.namespaced();
        let mut rows = Vec::new();
        if !g.no_headers {
            rows.push(table_header(kind, g, show_ns));
        }
        for o in group {
            rows.push(table_cells(o, g, ctx, show_ns, with_kind));
        }
        out.raw(print::tabwrite(&rows));
    }
}

/// `get`'s table header for `kind`: NAMESPACE (with `-A`), the kind's columns, `-L` labels,
/// LABELS (`--show-labels`).
pub(super) fn table_header(kind: Kind, g: &GetCmd, show_ns: bool) -> Vec<String> {
    let mut header: Vec<String> = Vec::new();
    if show_ns {
        header.push("NAMESPACE".to_string());
    }
    header.extend(
        table::headers(kind, g.output == OutputFormat::Wide)
            .iter()
            .map(|s| s.to_string()),
    );
    header.extend(g.label_columns.iter().map(|k| label_column_header(k)));
    if g.show_labels {
        header.push("LABELS".to_string());
    }
    header
}

/// One object's row under [`table_header`]; `with_kind` prefixes the name with `kind/`.
pub(super) fn table_cells(
    o: &Object,
    g: &GetCmd,
    ctx: table::RowCtx,
    show_ns: bool,
    with_kind: bool,
) -> Vec<String> {
    let kind = o.kind();
    let mut cells = Vec::new();
    if show_ns {
        cells.push(o.namespace().to_string());
    }
    let mut r = table::row(o, ctx);
    if with_kind && table::has_name_column(kind) {
        if let Some(name) = r.first_mut() {
            *name = format!("{}/{}", kind.singular_group(), name);
        }
    }
    cells.append(&mut r);
    for k in &g.label_columns {
        cells.push(
            o.meta()
                .labels
                .as_ref()
                .and_then(|l| l.get(k))
                .cloned()
                .unwrap_or_default(),
        );
    }
    if g.show_labels {
        cells.push(table::format_labels(o.meta().labels.as_ref()));
    }
    cells
}

// -------------------------------------------------------------------------------------------
// describe
// -------------------------------------------------------------------------------------------

fn describe_cmd(cluster: &Cluster, d: &DescribeCmd, out: &mut Out) {
    let namespace = ns_of(&d.namespace);
    let mut objs = Vec::new();
    let mut errors = Vec::new();
    for a in &d.resources {
        match a {
            ResourceArg::Named(kind, name) => {
                let key = ObjectKey::new(*kind, &namespace, name);
                match cluster.get(&key) {
                    Ok(o) => objs.push(o.clone()),
                    Err(e) => {
                        // A bare name is also a name prefix.
                        let prefixed: Vec<Object> =
                            list_kind(cluster, *kind, &namespace, d.all_namespaces)
                                .into_iter()
                                .filter(|o| o.name().starts_with(name.as_str()))
                                .collect();
                        if prefixed.is_empty() {
                            errors.push(e);
                        } else {
                            objs.extend(prefixed);
                        }
                    }
                }
            }
            ResourceArg::Kind(kind) => {
                let sel = match d.selector.as_deref().map(LabelSelector::parse) {
                    Some(Ok(s)) => Some(s),
                    Some(Err(e)) => {
                        out.fail(format!("error: {e}"));
                        return;
                    }
                    None => None,
                };
                objs.extend(
                    list_kind(cluster, *kind, &namespace, d.all_namespaces)
                        .into_iter()
                        .filter(|o| {
                            sel.as_ref().is_none_or(|s| {
                                s.matches(&o.meta().labels.clone().unwrap_or_default())
                            })
                        }),
                );
            }
        }
    }
    let texts: Vec<String> = objs
        .iter()
        .map(|o| describe::describe(cluster, o))
        .collect();
    out.raw(texts.join("\n\n"));
    if objs.is_empty() && errors.is_empty() {
        out.warn(format!("No resources found in {namespace} namespace."));
    }
    for e in errors {
        out.api(&e);
    }
}

fn list_kind(cluster: &Cluster, kind: Kind, namespace: &str, all: bool) -> Vec<Object> {
    if !kind.namespaced() || all {
        cluster.store().list(kind).cloned().collect()
    } else {
        cluster.store().list_ns(kind, namespace).cloned().collect()
    }
}

// -------------------------------------------------------------------------------------------
// delete
// -------------------------------------------------------------------------------------------

fn delete(
    cluster: &mut Cluster,
    d: &DeleteCmd,
    stdin: Option<&str>,
    files: &dyn FileSource,
    out: &mut Out,
) {
    let namespace = ns_of(&d.namespace);
    let mut targets: Vec<(ObjectKey, Option<String>)> = Vec::new();
    if !d.files.is_empty() {
        let sources = read_sources(&d.files, stdin, files, out);
        for m in decode_manifests(&sources, d.namespace.as_deref(), out) {
            targets.push((m.object.key(), Some(m.source)));
        }
    } else {
        let r = Resolve {
            namespace: namespace.clone(),
            all_namespaces: d.all_namespaces,
            selector: d.selector.as_deref(),
            field_selector: d.field_selector.as_deref(),
        };
        let Ok((objs, errors)) = resolve(cluster, &d.resources, &r, out) else {
            return;
        };
        for o in objs {
            targets.push((o.key(), None));
        }
        for e in errors {
            out.api(&e);
        }
        if targets.is_empty()
            && !out.failed
            && d.resources
                .iter()
                .all(|r| matches!(r, ResourceArg::Kind(_)))
        {
            out.out("No resources found");
            return;
        }
    }
    if d.force && d.grace_period == Some(0) {
        out.warn("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
    }
    let options = DeleteOptions {
        propagation: d.cascade,
        grace_period_seconds: d.grace_period,
        uid_precondition: None,
    };
    let mut waiting: Vec<(ObjectKey, String)> = Vec::new();
    let mut max_grace: Millis = 0;
    for (key, source) in targets {
        match cluster.delete(&key, &options) {
            Ok(obj) => {
                let verb = if d.force && d.grace_period == Some(0) {
                    "force deleted"
                } else {
                    "deleted"
                };
                out.out(format!(
                    "{} \"{}\" {verb}",
                    key.kind.singular_group(),
                    key.name
                ));
                if let Some(g) = obj.meta().deletion_grace_period_seconds {
                    max_grace = max_grace.max(u64::try_from(g).unwrap_or(0) * SECOND);
                }
                if let Object::Pod(p) = &obj {
                    let g = d
                        .grace_period
                        .or(p
                            .spec
                            .as_ref()
                            .and_then(|s| s.termination_grace_period_seconds))
                        .unwrap_or(30);
                    max_grace = max_grace.max(u64::try_from(g).unwrap_or(0) * SECOND);
                }
                waiting.push((key, obj.uid().to_string()));
            }
            Err(e) => match source {
                Some(src) => out.fail(format!(
                    "Error from server ({}): error when deleting \"{src}\": {}",
                    e.reason.as_str(),
                    e.message
                )),
                None => out.api(&e),
            },
        }
    }
    if !d.wait || waiting.is_empty() {
        return;
    }
    cluster.settle();
    let gone = |c: &Cluster, (key, uid): &(ObjectKey, String)| {
        c.store().get(key).is_none_or(|o| o.uid() != uid)
    };
    let deadline = cluster.now().plus(max_grace + DELETE_WAIT_MS);
    advance_until(cluster, deadline, |c| waiting.iter().all(|w| gone(c, w)));
    for w in &waiting {
        if !gone(cluster, w) {
            out.fail(format!(
                "error: timed out waiting for the condition on {}/{}",
                w.0.kind.info().plural,
                w.0.name
            ));
        }
    }
}

/// Advances simulated time timer by timer until `done` holds or `deadline` passes. Returns
/// whether `done` held.
fn advance_until(
    cluster: &mut Cluster,
    deadline: SimTime,
    mut done: impl FnMut(&Cluster) -> bool,
) -> bool {
    cluster.settle();
    // Bounded: every iteration moves the clock forward or returns.
    for _ in 0..100_000 {
        if done(cluster) {
            return true;
        }
        let now = cluster.now();
        if now >= deadline {
            return false;
        }
        // Poll at least once a second, as kubectl's watches would see changes.
        let step_to = match cluster.next_wake() {
            Some(t) if t > now => t.min(deadline),
            _ => now.plus(SECOND).min(deadline),
        };
        cluster.advance_to(step_to);
    }
    done(cluster)
}

// -------------------------------------------------------------------------------------------
// label / annotate
// -------------------------------------------------------------------------------------------

fn label(cluster: &mut Cluster, l: &LabelCmd, out: &mut Out) {
    let r = Resolve {
        namespace: ns_of(&l.namespace),
        all_namespaces: false,
        selector: l.selector.as_deref(),
        field_selector: None,
    };
    let has_kind_only = l
        .resources
        .iter()
        .any(|r| matches!(r, ResourceArg::Kind(_)));
    if has_kind_only && !l.all && l.selector.is_none() {
        out.fail("error: resource(s) were provided, but no name was specified");
        return;
    }
    let Ok((objs, errors)) = resolve(cluster, &l.resources, &r, out) else {
        return;
    };
    for e in &errors {
        out.api(e);
    }
    let (word, past, not) = match l.field {
        MetaField::Labels => ("label", "labeled", "not labeled"),
        MetaField::Annotations => ("annotation", "annotated", "annotated"),
    };
    for o in objs {
        let current = match l.field {
            MetaField::Labels => o.meta().labels.clone(),
            MetaField::Annotations => o.meta().annotations.clone(),
        }
        .unwrap_or_default();
        if !l.overwrite {
            if let Some((k, _)) = l
                .set
                .iter()
                .find(|(k, v)| current.get(k).is_some_and(|cur| cur != v))
            {
                let cur = current.get(k).cloned().unwrap_or_default();
                out.fail(format!(
                    "error: '{k}' already has a value ({cur}), and --overwrite is false"
                ));
                continue;
            }
        }
        let mut new = current.clone();
        let mut changes = serde_json::Map::new();
        for k in &l.remove {
            if !new.contains_key(k) {
                out.out(format!("{word} {k:?} not found."));
            } else {
                changes.insert(k.clone(), Value::Null);
            }
            new.remove(k);
        }
        for (k, v) in &l.set {
            new.insert(k.clone(), v.clone());
            changes.insert(k.clone(), Value::String(v.clone()));
        }
        let field = match l.field {
            MetaField::Labels => "labels",
            MetaField::Annotations => "annotations",
        };
        let msg = if new == current {
            not
        } else if l.field == MetaField::Labels && !l.overwrite && new.len() < current.len() {
            "unlabeled"
        } else {
            past
        };
        if new != current {
            let p = json!({ "metadata": { field: Value::Object(changes) } });
            if let Err(e) = cluster.patch(&o.key(), PatchType::Merge, &p) {
                match e.kubectl_invalid_message() {
                    Some(m) => out.fail(m),
                    None => out.api(&e),
                }
                continue;
            }
        }
        out.out(format!("{} {msg}", ref_name(&o)));
    }
}

// -------------------------------------------------------------------------------------------
// taint / cordon / drain
// -------------------------------------------------------------------------------------------

fn taint_string(t: &TaintArg) -> String {
    let mut s = t.key.clone();
    if !t.value.is_empty() {
        s.push('=');
        s.push_str(&t.value);
    }
    if !t.effect.is_empty() {
        s.push(':');
        s.push_str(&t.effect);
    }
    s
}

fn taint(cluster: &mut Cluster, t: &TaintCmd, out: &mut Out) {
    for name in &t.nodes {
        let key = ObjectKey::new(Kind::Node, "", name);
        let node = match cluster.get(&key) {
            Ok(Object::Node(n)) => n.clone(),
            Ok(_) => continue,
            Err(e) => {
                out.api(&e);
                continue;
            }
        };
        let old: Vec<Taint> = node
            .spec
            .as_ref()
            .and_then(|s| s.taints.clone())
            .unwrap_or_default();
        let to_add: Vec<Taint> = t
            .taints
            .iter()
            .filter(|x| !x.remove)
            .map(|x| Taint {
                key: x.key.clone(),
                value: if x.value.is_empty() {
                    None
                } else {
                    Some(x.value.clone())
                },
                effect: x.effect.clone(),
                time_added: None,
            })
            .collect();
        if !t.overwrite {
            if let Some(a) = to_add
                .iter()
                .find(|a| old.iter().any(|o| o.key == a.key && o.effect == a.effect))
            {
                out.fail(format!(
                    "error: node {name} already has {} taint(s) with same effect(s) and --overwrite is false",
                    a.key
                ));
                continue;
            }
        }
        // reorganizeTaints: new taints first, then the old ones they do not replace.
        let mut new = to_add.clone();
        for o in &old {
            if !new.iter().any(|n| n.key == o.key && n.effect == o.effect) {
                new.push(o.clone());
            }
        }
        let added = old.len() != new.len();
        let mut deleted = false;
        let mut errs = Vec::new();
        for r in t.taints.iter().filter(|x| x.remove) {
            let before = new.len();
            new.retain(|n| !(n.key == r.key && (r.effect.is_empty() || n.effect == r.effect)));
            let removed = new.len() != before;
            deleted = removed;
            if !removed {
                errs.push(format!("taint {:?} not found", taint_string(r)));
            }
        }
        let op = if (added && deleted) || t.overwrite {
            "modified"
        } else if added {
            "tainted"
        } else {
            "untainted"
        };
        if !errs.is_empty() {
            out.fail(format!("error: {}", errs.join(", ")));
            continue;
        }
        let p = json!({ "spec": { "taints": if new.is_empty() { Value::Null } else { serde_json::to_value(&new).unwrap_or(Value::Null) } } });
        match cluster.patch(&key, PatchType::Merge, &p) {
            Ok(_) => out.out(format!("node/{name} {op}")),
            Err(e) => out.api(&e),
        }
    }
}

fn cordon_node(cluster: &mut Cluster, name: &str, cordon: bool, out: &mut Out) {
    let key = ObjectKey::new(Kind::Node, "", name);
    let node = match cluster.get(&key) {
        Ok(Object::Node(n)) => n.clone(),
        Ok(_) => return,
        Err(e) => {
            out.api(&e);
            return;
        }
    };
    let word = if cordon { "cordoned" } else { "uncordoned" };
    let is = node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true);
    if is == cordon {
        out.out(format!("node/{name} already {word}"));
        return;
    }
    let p = json!({ "spec": { "unschedulable": if cordon { Value::Bool(true) } else { Value::Null } } });
    match cluster.patch(&key, PatchType::Merge, &p) {
        Ok(_) => out.out(format!("node/{name} {word}")),
        Err(e) => out.api(&e),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum DrainProblem {
    DaemonSet,
    LocalStorage,
    Unreplicated,
}

impl DrainProblem {
    fn error(self) -> &'static str {
        match self {
            DrainProblem::DaemonSet => "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)",
            DrainProblem::LocalStorage => {
                "Pods with local storage (use --delete-emptydir-data to override)"
            }
            DrainProblem::Unreplicated => {
                "Pods that declare no controller (use --force to override)"
            }
        }
    }
}

/// `kubectl drain NODE...`: every node is looked up first (the first missing one ends the
/// command), all are cordoned, then each is drained in turn.
fn drain(cluster: &mut Cluster, d: &DrainCmd, out: &mut Out) {
    for node in &d.nodes {
        if let Err(e) = cluster.get(&ObjectKey::new(Kind::Node, "", node)) {
            out.api(&e);
            return;
        }
    }
    for node in &d.nodes {
        cordon_node(cluster, node, true, out);
    }
    cluster.settle();
    for node in &d.nodes {
        drain_node(cluster, d, node, out);
    }
}

fn drain_node(cluster: &mut Cluster, d: &DrainCmd, node: &str, out: &mut Out) {
    let pods: Vec<k8s_openapi::api::core::v1::Pod> = cluster
        .store()
        .pods()
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
        .cloned()
        .collect();
    let mut errors: BTreeMap<DrainProblem, Vec<String>> = BTreeMap::new();
    let mut ignored_ds = Vec::new();
    let mut unreplicated_forced = Vec::new();
    let mut to_evict = Vec::new();
    for p in &pods {
        let id = format!(
            "{}/{}",
            p.metadata.namespace.clone().unwrap_or_default(),
            p.metadata.name.clone().unwrap_or_default()
        );
        if p.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let terminal = matches!(
            p.status.as_ref().and_then(|s| s.phase.as_deref()),
            Some("Succeeded" | "Failed")
        );
        let cref = crate::engine::api::controller_ref(&p.metadata);
        if cref.is_some_and(|r| r.kind == "DaemonSet") {
            if d.ignore_daemonsets {
                ignored_ds.push(id);
            } else {
                errors.entry(DrainProblem::DaemonSet).or_default().push(id);
            }
            continue;
        }
        if p.metadata
            .annotations
            .as_ref()
            .is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"))
        {
            continue;
        }
        let local = p
            .spec
            .as_ref()
            .and_then(|s| s.volumes.as_ref())
            .is_some_and(|vs| vs.iter().any(|v| v.empty_dir.is_some()));
        if local && !terminal && !d.delete_emptydir_data {
            errors
                .entry(DrainProblem::LocalStorage)
                .or_default()
                .push(id);
            continue;
        }
        if cref.is_none() && !terminal {
            if d.force {
                unreplicated_forced.push(id.clone());
            } else {
                errors
                    .entry(DrainProblem::Unreplicated)
                    .or_default()
                    .push(id);
                continue;
            }
        }
        to_evict.push(p.clone());
    }
    if !errors.is_empty() {
        let msgs: Vec<String> = errors
            .iter()
            .map(|(k, pods)| format!("cannot delete {}: {}", k.error(), pods.join(", ")))
            .collect();
        let agg = if msgs.len() == 1 {
            msgs.join("")
        } else {
            format!("[{}]", msgs.join(", "))
        };
        out.fail(format!(
            "error: unable to drain node {:?} due to error: {agg}, continuing command...\nThere are pending nodes to be drained:\n {}\n{}",
            node,
            node,
            msgs.join("\n")
        ));
        return;
    }
    let mut warnings = Vec::new();
    if !ignored_ds.is_empty() {
        warnings.push(format!(
            "ignoring DaemonSet-managed Pods: {}",
            ignored_ds.join(", ")
        ));
    }
    if !unreplicated_forced.is_empty() {
        warnings.push(format!(
            "deleting Pods that declare no controller: {}",
            unreplicated_forced.join(", ")
        ));
    }
    if !warnings.is_empty() {
        out.warn(format!("Warning: {}", warnings.join("; ")));
    }
    let options = DeleteOptions {
        grace_period_seconds: d.grace_period,
        ..Default::default()
    };
    let mut waiting = Vec::new();
    for p in &to_evict {
        let ns = p.metadata.namespace.clone().unwrap_or_default();
        let name = p.metadata.name.clone().unwrap_or_default();
        out.out(format!("evicting pod {ns}/{name}"));
        let key = ObjectKey::new(Kind::Pod, &ns, &name);
        match cluster.delete(&key, &options) {
            Ok(_) => waiting.push((key, p.metadata.uid.clone().unwrap_or_default())),
            Err(e) => out.api(&e),
        }
    }
    let deadline = cluster.now().plus(DEFAULT_WATCH_MS);
    let gone = |c: &Cluster, (key, uid): &(ObjectKey, String)| {
        c.store().get(key).is_none_or(|o| o.uid() != uid)
    };
    advance_until(cluster, deadline, |c| waiting.iter().all(|w| gone(c, w)));
    let mut all_gone = true;
    for w in &waiting {
        if gone(cluster, w) {
            out.out(format!("pod/{} evicted", w.0.name));
        } else {
            all_gone = false;
        }
    }
    if all_gone {
        out.out(format!("node/{} drained", node));
    } else {
        out.fail(format!(
            "error: unable to drain node {:?} due to error: [error when waiting for pod eviction: global timeout reached: 10m0s], continuing command...\nThere are pending nodes to be drained:\n {}",
            node, node
        ));
    }
}

// -------------------------------------------------------------------------------------------
// patch / set image / rollout
// -------------------------------------------------------------------------------------------

fn patch(cluster: &mut Cluster, p: &PatchCmd, out: &mut Out) {
    let value: Value = match serde_yaml::from_str::<Value>(&p.patch) {
        Ok(v) => v,
        Err(e) => {
            out.fail(format!(
                "error: unable to parse {:?}: yaml: {}",
                p.patch,
                e.to_string().split(" at line").next().unwrap_or_default()
            ));
            return;
        }
    };
    let (kind, name) = &p.target;
    let key = ObjectKey::new(*kind, &ns_of(&p.namespace), name);
    let before = match cluster.get(&key) {
        Ok(o) => o.meta().resource_version.clone(),
        Err(e) => {
            out.api(&e);
            return;
        }
    };
    match cluster.patch(&key, p.patch_type, &value) {
        Ok(o) => {
            let same = o.meta().resource_version == before;
            out.out(format!(
                "{} patched{}",
                ref_name(&o),
                if same { " (no change)" } else { "" }
            ))
        }
        Err(e) => match e.kubectl_invalid_message() {
            Some(m) => out.fail(m),
            None => out.api(&e),
        },
    }
}

fn set_image(cluster: &mut Cluster, s: &SetImageCmd, out: &mut Out) {
    let r = Resolve {
        namespace: ns_of(&s.namespace),
        all_namespaces: false,
        selector: None,
        field_selector: None,
    };
    let Ok((objs, errors)) = resolve(cluster, &s.resources, &r, out) else {
        return;
    };
    for e in &errors {
        out.api(e);
    }
    if s.images.is_empty() {
        // Checked once the objects are found, as `set image`'s Validate runs after Complete.
        if errors.is_empty() {
            out.fail("error: at least one image update is required");
        }
        return;
    }
    for o in objs {
        let mut v = o.to_json();
        let pointer = match o.kind() {
            Kind::Pod => "/spec/containers",
            Kind::DaemonSet | Kind::Job => "/spec/template/spec/containers",
            _ => {
                out.fail(format!(
                    "error: {} is not supported by set image",
                    ref_name(&o)
                ));
                continue;
            }
        };
        let Some(containers) = v.pointer_mut(pointer).and_then(Value::as_array_mut) else {
            continue;
        };
        let mut missing = Vec::new();
        for (cname, image) in &s.images {
            let mut found = false;
            for c in containers.iter_mut() {
                if cname == "*" || c.get("name").and_then(Value::as_str) == Some(cname.as_str()) {
                    if let Some(m) = c.as_object_mut() {
                        m.insert("image".to_string(), Value::String(image.clone()));
                    }
                    found = true;
                }
            }
            if !found {
                missing.push(cname.clone());
            }
        }
        if let Some(c) = missing.first() {
            out.fail(format!("error: unable to find container named \"{c}\""));
            continue;
        }
        let Ok(mut new) = Object::from_json(o.kind(), v) else {
            continue;
        };
        new.meta_mut().resource_version = None;
        match cluster.replace(new) {
            Ok(stored) => out.out(format!("{} image updated", ref_name(&stored))),
            Err(e) => match e.kubectl_invalid_message() {
                Some(m) => out.fail(m),
                None => out.api(&e),
            },
        }
    }
}

fn owned_revisions(
    cluster: &Cluster,
    ds: &Object,
) -> Vec<k8s_openapi::api::apps::v1::ControllerRevision> {
    let mut revs: Vec<_> = cluster
        .store()
        .list_ns(Kind::ControllerRevision, ds.namespace())
        .filter_map(|o| match o {
            Object::ControllerRevision(cr) => Some(cr.clone()),
            _ => None,
        })
        .filter(|cr| {
            crate::engine::api::controller_ref(&cr.metadata).is_some_and(|r| r.uid == ds.uid())
        })
        .collect();
    crate::kubectl::print::sort_by(&mut revs, |a, b| {
        a.revision
            .cmp(&b.revision)
            .then(a.metadata.name.cmp(&b.metadata.name))
    });
    revs
}

fn daemonset_rollout_status(
    ds: &k8s_openapi::api::apps::v1::DaemonSet,
) -> Result<(String, bool), String> {
    let spec = ds.spec.clone().unwrap_or_default();
    let strategy = spec
        .update_strategy
        .and_then(|s| s.type_)
        .unwrap_or_else(|| "RollingUpdate".to_string());
    if strategy != "RollingUpdate" {
        return Err(
            "error: rollout status is only available for RollingUpdate strategy type".to_string(),
        );
    }
    let name = ds.metadata.name.clone().unwrap_or_default();
    let st = ds.status.clone().unwrap_or_default();
    let generation = ds.metadata.generation.unwrap_or(0);
    if generation <= st.observed_generation.unwrap_or(0) {
        let updated = st.updated_number_scheduled.unwrap_or(0);
        let available = st.number_available.unwrap_or(0);
        if updated < st.desired_number_scheduled {
            return Ok((format!("Waiting for daemon set {name:?} rollout to finish: {updated} out of {} new pods have been updated...", st.desired_number_scheduled), false));
        }
        if available < st.desired_number_scheduled {
            return Ok((format!("Waiting for daemon set {name:?} rollout to finish: {available} of {} updated pods are available...", st.desired_number_scheduled), false));
        }
        return Ok((format!("daemon set {name:?} successfully rolled out"), true));
    }
    Ok((
        "Waiting for daemon set spec update to be observed...".to_string(),
        false,
    ))
}

fn rollout(cluster: &mut Cluster, r: &RolloutCmd, out: &mut Out) {
    let res = Resolve {
        namespace: ns_of(&r.namespace),
        all_namespaces: false,
        selector: None,
        field_selector: None,
    };
    let Ok((objs, errors)) = resolve(cluster, &r.resources, &res, out) else {
        return;
    };
    for e in &errors {
        out.api(e);
    }
    for o in objs {
        let key = o.key();
        // `ObjectPauserFn` / `ObjectResumerFn` only take Deployments: a DaemonSet's rollout
        // cannot be paused.
        if matches!(r.action, RolloutAction::Pause | RolloutAction::Resume) {
            let verb = if r.action == RolloutAction::Pause {
                "pausing"
            } else {
                "resuming"
            };
            out.fail(format!(
                "error: {} \"{}\" {verb} is not supported",
                o.kind().resource_group(),
                o.name()
            ));
            continue;
        }
        // The polymorphic helpers only know DaemonSets here (Deployments and StatefulSets are
        // not simulated); each subcommand words the refusal its own way.
        if o.kind() != Kind::DaemonSet {
            let gk = o.kind().kind_group();
            out.fail(match r.action {
                RolloutAction::Status => {
                    format!("error: no status viewer has been implemented for {gk}")
                }
                RolloutAction::History => {
                    format!("error: no history viewer has been implemented for \"{gk}\"")
                }
                RolloutAction::Undo => {
                    format!("error: no rollbacker has been implemented for \"{gk}\"")
                }
                RolloutAction::Restart | RolloutAction::Pause | RolloutAction::Resume => {
                    format!(
                        "error: {} \"{}\" restarting is not supported",
                        o.kind().resource_group(),
                        o.name()
                    )
                }
            });
            continue;
        }
        match r.action {
            RolloutAction::Pause | RolloutAction::Resume => {}
            RolloutAction::Status => {
                let deadline = cluster
                    .now()
                    .plus(r.timeout.filter(|t| *t > 0).unwrap_or(DEFAULT_WATCH_MS));
                rollout_status_transcript(cluster, &key, deadline, out);
            }
            RolloutAction::History => {
                let revs = owned_revisions(cluster, &o);
                if r.revision > 0 {
                    let Some(cr) = revs.iter().find(|c| c.revision == r.revision) else {
                        out.fail("error: unable to find the specified revision");
                        continue;
                    };
                    let tmpl = cr
                        .data
                        .as_ref()
                        .and_then(|d| d.0.pointer("/spec/template").cloned())
                        .unwrap_or(Value::Null);
                    let tmpl: PodTemplateSpec = serde_json::from_value(tmpl).unwrap_or_default();
                    out.out(format!(
                        "{} with revision #{}\n{}",
                        ref_name(&o),
                        r.revision,
                        describe::pod_template(&tmpl)
                    ));
                    continue;
                }
                if revs.is_empty() {
                    out.raw(format!("{} \nNo rollout history found.\n", ref_name(&o)));
                    continue;
                }
                let mut rows = vec![vec!["REVISION".to_string(), "CHANGE-CAUSE".to_string()]];
                for cr in &revs {
                    let cause = cr
                        .metadata
                        .annotations
                        .as_ref()
                        .and_then(|a| a.get("kubernetes.io/change-cause"))
                        .cloned()
                        .unwrap_or_else(|| "<none>".to_string());
                    rows.push(vec![cr.revision.to_string(), cause]);
                }
                // NamePrinter adds a newline after the tabbed history, hence the blank line.
                out.raw(format!(
                    "{} \n{}\n",
                    ref_name(&o),
                    print::tabwrite_with(&rows, 0, 2)
                ));
            }
            RolloutAction::Undo => {
                let revs = owned_revisions(cluster, &o);
                let target = if r.revision > 0 {
                    match revs.iter().find(|c| c.revision == r.revision) {
                        Some(c) => c.clone(),
                        None => {
                            out.fail(format!(
                                "error: unable to find specified revision {} in history",
                                r.revision
                            ));
                            continue;
                        }
                    }
                } else {
                    match revs.iter().rev().nth(1) {
                        Some(c) => c.clone(),
                        None => {
                            out.fail("error: no last revision to roll back to");
                            continue;
                        }
                    }
                };
                let Some(tmpl) = target
                    .data
                    .as_ref()
                    .and_then(|d| d.0.pointer("/spec/template").cloned())
                else {
                    out.fail("error: unable to find the revision's pod template");
                    continue;
                };
                let mut tmpl = tmpl;
                if let Some(m) = tmpl.as_object_mut() {
                    m.remove("$patch");
                }
                let mut v = o.to_json();
                let current = v.pointer("/spec/template").cloned().unwrap_or(Value::Null);
                let mut cur_cmp = current.clone();
                strip_revision_hash(&mut cur_cmp);
                let mut tmpl_cmp = tmpl.clone();
                strip_revision_hash(&mut tmpl_cmp);
                if cur_cmp == tmpl_cmp {
                    out.out(format!(
                        "{} skipped rollback (current template already matches revision {})",
                        ref_name(&o),
                        target.revision
                    ));
                    continue;
                }
                if let Some(spec) = v.get_mut("spec").and_then(Value::as_object_mut) {
                    spec.insert("template".to_string(), tmpl);
                }
                let Ok(mut new) = Object::from_json(o.kind(), v) else {
                    continue;
                };
                new.meta_mut().resource_version = None;
                match cluster.replace(new) {
                    Ok(_) => out.out(format!("{} rolled back", ref_name(&o))),
                    Err(e) => out.api(&e),
                }
            }
            RolloutAction::Restart => {
                let p = json!({ "spec": { "template": { "metadata": { "annotations": {
                    "kubectl.kubernetes.io/restartedAt": cluster.now().rfc3339()
                } } } } });
                match cluster.patch(&key, PatchType::Strategic, &p) {
                    Ok(_) => out.out(format!("{} restarted", ref_name(&o))),
                    Err(e) => out.api(&e),
                }
            }
        }
    }
}

fn strip_revision_hash(tmpl: &mut Value) {
    if let Some(l) = tmpl
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        l.remove("controller-revision-hash");
    }
}

/// Re-runs the status viewer while time advances, printing each new message once, as
/// `kubectl rollout status` does while it watches.
fn rollout_status_transcript(
    cluster: &mut Cluster,
    key: &ObjectKey,
    deadline: SimTime,
    out: &mut Out,
) {
    let mut last = String::new();
    let mut error: Option<String> = None;
    let done = advance_until(cluster, deadline, |c| {
        let Some(Object::DaemonSet(ds)) = c.store().get(key) else {
            error = Some(ApiError::not_found(key.kind, &key.name).kubectl_message());
            return true;
        };
        match daemonset_rollout_status(ds) {
            Ok((msg, done)) => {
                if msg != last {
                    out.stdout.push_str(&msg);
                    out.stdout.push('\n');
                    last = msg;
                }
                done
            }
            Err(e) => {
                error = Some(e);
                true
            }
        }
    });
    if let Some(e) = error {
        out.fail(e);
    } else if !done {
        out.fail("error: timed out waiting for the condition");
    }
}

// -------------------------------------------------------------------------------------------
// logs / wait
// -------------------------------------------------------------------------------------------

fn pods_selected_by(cluster: &Cluster, obj: &Object) -> Vec<k8s_openapi::api::core::v1::Pod> {
    let mut pods: Vec<_> = cluster
        .store()
        .list_ns(Kind::Pod, obj.namespace())
        .filter_map(Object::as_pod)
        .filter(|p| {
            crate::engine::api::controller_ref(&p.metadata).is_some_and(|r| r.uid == obj.uid())
        })
        .cloned()
        .collect();
    // kubectl's `GetFirstPod` prefers running pods, then the oldest.
    crate::kubectl::print::sort_by(&mut pods, |a, b| {
        let running = |p: &k8s_openapi::api::core::v1::Pod| {
            p.status.as_ref().and_then(|s| s.phase.as_deref()) != Some("Running")
        };
        running(a)
            .cmp(&running(b))
            .then(
                a.metadata
                    .creation_timestamp
                    .as_ref()
                    .map(SimTime::from_k8s)
                    .cmp(
                        &b.metadata
                            .creation_timestamp
                            .as_ref()
                            .map(SimTime::from_k8s),
                    ),
            )
            .then(a.metadata.name.cmp(&b.metadata.name))
    });
    pods
}

/// `kubectl logs -l SEL`: the logs of every matching pod in name order, one after another
/// (kubectl's `--max-log-requests` limit of 5 concurrent streams does not apply here).
fn logs_by_selector(cluster: &Cluster, l: &LogsCmd, namespace: &str, out: &mut Out) {
    let sel = match l.selector.as_deref().map(LabelSelector::parse) {
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            out.fail(format!("error: {e}"));
            return;
        }
        None => return,
    };
    let pods: Vec<ObjectKey> = cluster
        .store()
        .list_ns(Kind::Pod, namespace)
        .filter(|o| sel.matches(&o.meta().labels.clone().unwrap_or_default()))
        .map(Object::key)
        .collect();
    if pods.is_empty() {
        out.warn(format!("No resources found in {namespace} namespace."));
        return;
    }
    if l.follow && i64::try_from(pods.len()).unwrap_or(i64::MAX) > l.opts.max_log_requests {
        out.fail(format!(
            "error: you are attempting to follow {} log streams, but maximum allowed concurrency is {}, use --max-log-requests to increase the limit",
            pods.len(),
            l.opts.max_log_requests
        ));
        return;
    }
    for key in pods {
        let one = LogsCmd {
            target: ResourceArg::Named(Kind::Pod, key.name.clone()),
            selector: None,
            container: l.container.clone(),
            previous: l.previous,
            tail: l.tail,
            follow: false,
            namespace: Some(namespace.to_string()),
            opts: l.opts.clone(),
        };
        logs(cluster, &one, out);
    }
}

/// How long `kubectl exec` waits, in simulated time, for its command to end.
const EXEC_MS: Millis = 10 * 60 * SECOND;

/// `kubectl exec POD|TYPE/NAME [-c C] -- COMMAND…`: runs the command in the running container
/// (the container shell, with its environment, files and network) and prints its output;
/// simulated time moves on by the command's run. What it writes stays in the container until it
/// restarts (a probe or a later exec sees it; the container's own script, evaluated when it
/// started, does not).
fn exec_cmd(cluster: &mut Cluster, e: &ExecCmd, out: &mut Out) {
    let namespace = ns_of(&e.namespace);
    let ResourceArg::Named(kind, name) = &e.target else {
        return;
    };
    let pod_name = if *kind == Kind::Pod {
        name.clone()
    } else {
        // `attachablePodForObject`: the first pod the object selects.
        let obj = match cluster.get(&ObjectKey::new(*kind, &namespace, name)) {
            Ok(o) => o.clone(),
            Err(err) => {
                out.api(&err);
                return;
            }
        };
        match pods_selected_by(cluster, &obj).first() {
            Some(p) => p.metadata.name.clone().unwrap_or_default(),
            None => {
                out.fail("error: timed out waiting for the condition");
                return;
            }
        }
    };
    let key = ObjectKey::new(Kind::Pod, &namespace, &pod_name);
    let pod = match cluster.get(&key) {
        Ok(Object::Pod(p)) => p.clone(),
        Ok(_) => return,
        Err(err) => {
            out.api(&err);
            return;
        }
    };
    let phase = pod
        .status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_default();
    if phase == "Succeeded" || phase == "Failed" {
        out.fail(format!(
            "error: cannot exec into a container in a completed pod; current phase is {phase}"
        ));
        return;
    }
    let container = match &e.container {
        Some(c) => {
            if !crate::engine::api::container_names(&pod).contains(c) {
                out.fail(format!("error: container {c} not found in pod {pod_name}"));
                return;
            }
            c.clone()
        }
        None => {
            let (first, note) = default_container(&pod);
            if let Some(note) = note.filter(|_| !e.quiet) {
                out.warn(note);
            }
            first.unwrap_or_default()
        }
    };
    let shells = [
        "sh",
        "bash",
        "ash",
        "zsh",
        "/bin/sh",
        "/bin/bash",
        "/bin/ash",
        "/bin/zsh",
    ];
    let interactive_shell = e.interactive
        && e.command
            .first()
            .is_some_and(|c| shells.contains(&c.as_str()))
        && e.command
            .iter()
            .skip(1)
            .all(|a| a.starts_with('-') && a != "-c");
    if interactive_shell {
        out.fail(format!(
            "kubeplay: kubectl exec -it has no terminal to attach a shell to here; run one command at a time instead, e.g. kubectl exec {pod_name} -- cat /etc/resolv.conf, or kubectl exec {pod_name} -- sh -c 'hostname; env'"
        ));
        return;
    }
    let limits = sh::Limits {
        max_steps: 200_000,
        max_output_lines: 2_000,
        horizon_ms: EXEC_MS,
        stdin_open: false,
    };
    let run = match cluster.exec(&key, &container, &e.command, &limits) {
        Ok(run) => run,
        Err(kubelet::ExecError::NoSuchContainer | kubelet::ExecError::NotRunning) => {
            out.fail(format!(
                "error: unable to upgrade connection: container not found ({container:?})"
            ));
            return;
        }
    };
    let ended = match run.end {
        sh::End::Exit { at_ms, code } => Some((at_ms, code)),
        sh::End::Forever => None,
    };
    cluster.advance(ended.map_or(EXEC_MS, |(at, _)| at));
    for line in &run.output {
        match line.stream {
            sh::Stream::Stdout => out.out(line.text.clone()),
            sh::Stream::Stderr => out.warn(line.text.clone()),
        }
    }
    match ended {
        Some((_, 0)) => {}
        Some((_, code)) => out.fail(format!("command terminated with exit code {code}")),
        None => out.fail(format!(
            "kubeplay: the command was still running after {} of simulated time; kubectl exec stopped waiting",
            human_duration(EXEC_MS)
        )),
    }
}

/// `podcmd.FindOrDefaultContainerByName` without a name: the first container, and the note
/// kubectl prints when the pod has others (init containers count).
fn default_container(pod: &k8s_openapi::api::core::v1::Pod) -> (Option<String>, Option<String>) {
    let spec = pod.spec.clone().unwrap_or_default();
    let inits = spec.init_containers.unwrap_or_default();
    let first = spec.containers.first().map(|c| c.name.clone());
    let note = (spec.containers.len() > 1 || !inits.is_empty()).then(|| {
        let names: Vec<String> = spec
            .containers
            .iter()
            .map(|c| c.name.clone())
            .chain(inits.iter().map(|c| format!("{} (init)", c.name)))
            .collect();
        format!(
            "Defaulted container {:?} out of: {}",
            first.clone().unwrap_or_default(),
            names.join(", ")
        )
    });
    (first, note)
}

/// What `logs -f` adds, as `get -w` does: a command here cannot block following a stream.
const FOLLOW_NOTE: &str = "kubeplay: --follow printed the logs written so far: simulated time moves with `sim advance DURATION` or `kubectl wait`; run logs again to see what came next";

fn logs(cluster: &Cluster, l: &LogsCmd, out: &mut Out) {
    logs_once(cluster, l, out);
    if l.follow && !out.failed {
        out.warn(FOLLOW_NOTE);
    }
}

fn logs_once(cluster: &Cluster, l: &LogsCmd, out: &mut Out) {
    let namespace = ns_of(&l.namespace);
    let ResourceArg::Named(kind, name) = &l.target else {
        logs_by_selector(cluster, l, &namespace, out);
        return;
    };
    // `logs` looks the object up itself and words a failure its own way.
    if let Err(e) = cluster.get(&ObjectKey::new(*kind, &namespace, name)) {
        out.fail(format!(
            "error: error from server ({}): {} in namespace \"{namespace}\"",
            e.reason.as_str(),
            e.message
        ));
        return;
    }
    let pod_name = if *kind == Kind::Pod {
        name.clone()
    } else {
        let key = ObjectKey::new(*kind, &namespace, name);
        let obj = match cluster.get(&key) {
            Ok(o) => o.clone(),
            Err(e) => {
                out.api(&e);
                return;
            }
        };
        let pods = pods_selected_by(cluster, &obj);
        let Some(first) = pods.first() else {
            out.fail("error: timed out waiting for the condition");
            return;
        };
        if pods.len() > 1 {
            out.warn(format!(
                "Found {} pods, using pod/{}",
                pods.len(),
                first.metadata.name.clone().unwrap_or_default()
            ));
        }
        first.metadata.name.clone().unwrap_or_default()
    };
    let key = ObjectKey::new(Kind::Pod, &namespace, &pod_name);
    if l.opts.all_containers {
        // `--all-containers`: init containers, then containers, each in turn.
        let names = cluster
            .store()
            .pod(&namespace, &pod_name)
            .map(crate::engine::api::container_names)
            .unwrap_or_default();
        for c in names {
            if !container_logs(cluster, l, &key, Some(&c), &c, out) {
                return;
            }
        }
        return;
    }
    let container = match &l.container {
        Some(c) => Some(c.clone()),
        None => match cluster.store().pod(&namespace, &pod_name) {
            Some(p) => {
                let (first, note) = default_container(p);
                if let Some(note) = note {
                    out.warn(note);
                }
                first
            }
            None => None,
        },
    };
    let shown = container.clone().unwrap_or_default();
    container_logs(cluster, l, &key, container.as_deref(), &shown, out);
}

/// One container's log as `kubectl logs` prints it: `--since`, then `--tail`, then
/// `--limit-bytes`; with `--timestamps` each line starts with the kubelet's RFC3339NanoFixed
/// time, with `--prefix` with `[pod/NAME/CONTAINER]`. False when the request failed.
fn container_logs(
    cluster: &Cluster,
    l: &LogsCmd,
    key: &ObjectKey,
    container: Option<&str>,
    shown: &str,
    out: &mut Out,
) -> bool {
    let lines = match cluster.log_lines(key, container, l.previous) {
        Ok(lines) => lines,
        Err(e) => {
            out.api(&e);
            return false;
        }
    };
    let from = match l.opts.since_ms {
        0 => SimTime::ZERO,
        ms => SimTime(cluster.now().millis().saturating_sub(ms)),
    };
    let lines: Vec<&(SimTime, &str)> = lines.iter().filter(|(t, _)| *t >= from).collect();
    let start = match usize::try_from(l.tail) {
        Ok(n) => lines.len().saturating_sub(n),
        Err(_) => 0,
    };
    let mut text = String::new();
    for (t, line) in lines.get(start..).unwrap_or_default() {
        if l.opts.prefix {
            text.push_str(&format!("[pod/{}/{shown}] ", key.name));
        }
        if l.opts.timestamps {
            text.push_str(&t.rfc3339_nano_fixed());
            text.push(' ');
        }
        text.push_str(line);
        text.push('\n');
    }
    if l.opts.limit_bytes > 0 {
        let limit = usize::try_from(l.opts.limit_bytes).unwrap_or(usize::MAX);
        if text.len() > limit {
            let mut cut = limit;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
    }
    out.raw(text);
    true
}

fn condition_met(obj: &Object, name: &str, value: &str) -> bool {
    let v = obj.to_json();
    v.pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter().any(|c| {
                c.get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.eq_ignore_ascii_case(name))
                    && c.get("status")
                        .and_then(Value::as_str)
                        .is_some_and(|s| s.eq_ignore_ascii_case(value))
            })
        })
}

fn wait(cluster: &mut Cluster, w: &WaitCmd, out: &mut Out) {
    let namespace = ns_of(&w.namespace);
    let r = Resolve {
        namespace: namespace.clone(),
        all_namespaces: false,
        selector: w.selector.as_deref(),
        field_selector: None,
    };
    let kind_only = w
        .resources
        .iter()
        .any(|r| matches!(r, ResourceArg::Kind(_)));
    if kind_only && !w.all && w.selector.is_none() {
        out.fail("error: resource(s) were provided, but no name was specified");
        return;
    }
    let Ok((objs, errors)) = resolve(cluster, &w.resources, &r, out) else {
        return;
    };
    if w.for_ != WaitFor::Delete {
        for e in &errors {
            out.api(e);
        }
        if !errors.is_empty() {
            return;
        }
    }
    if objs.is_empty() && errors.is_empty() {
        // Waiting for the deletion of nothing succeeds at once (`ErrNoMatchingResources` is
        // ignored for --for=delete).
        if w.for_ != WaitFor::Delete {
            out.fail("error: no matching resources found");
        }
        return;
    }
    let jp = match &w.for_ {
        WaitFor::JsonPath { path, .. } => {
            match jsonpath::relaxed(path).and_then(|t| JsonPath::parse(&t)) {
                Ok(p) => Some(p),
                Err(e) => {
                    out.fail(format!("error: {e}"));
                    return;
                }
            }
        }
        _ => None,
    };
    let deadline = cluster.now().plus(w.timeout);
    for o in objs {
        let key = o.key();
        let uid = o.uid().to_string();
        let met = advance_until(cluster, deadline, |c| {
            let cur = c.store().get(&key).filter(|x| x.uid() == uid);
            match (&w.for_, cur) {
                (WaitFor::Delete, None) => true,
                (WaitFor::Delete, Some(_)) => false,
                (_, None) => false,
                (WaitFor::Condition { name, value }, Some(x)) => condition_met(x, name, value),
                (WaitFor::JsonPath { value, .. }, Some(x)) => match &jp {
                    Some(p) => match p.execute(&x.to_json()) {
                        Ok(s) => value.as_ref().is_none_or(|v| *v == s),
                        Err(_) => false,
                    },
                    None => false,
                },
            }
        });
        if met {
            out.out(format!("{} condition met", key_ref(&key)));
        } else {
            out.fail(format!(
                "error: timed out waiting for the condition on {}/{}",
                key.kind.info().plural,
                key.name
            ));
        }
    }
}

// -------------------------------------------------------------------------------------------
// explain
// -------------------------------------------------------------------------------------------

fn explain(out: &mut Out, path: &str, recursive: bool) {
    let (text, err) = super::explain::explain(path, recursive);
    out.raw(text);
    if let Some(e) = err {
        out.fail(e);
    }
}

// -------------------------------------------------------------------------------------------
// sim
// -------------------------------------------------------------------------------------------

/// `sim time` output.
pub fn time_line(cluster: &Cluster) -> String {
    let now = cluster.now();
    format!(
        "simulated time: {} (+{} since start)",
        now.rfc3339(),
        human_duration(now.millis())
    )
}

fn sim(cluster: &mut Cluster, s: &SimCmd, out: &mut Out) {
    match s {
        SimCmd::Advance(ms) => {
            cluster.advance(*ms);
            out.out(time_line(cluster));
        }
        SimCmd::Time => out.out(time_line(cluster)),
        SimCmd::Seed(_) => {}
        SimCmd::NodeAdd(n) => {
            let mut capacity = BTreeMap::new();
            capacity.insert(
                "cpu".to_string(),
                Quantity(
                    n.cpu
                        .clone()
                        .unwrap_or_else(|| kubelet::DEFAULT_NODE_CPU.to_string()),
                ),
            );
            capacity.insert(
                "memory".to_string(),
                Quantity(
                    n.memory
                        .clone()
                        .unwrap_or_else(|| kubelet::DEFAULT_NODE_MEMORY.to_string()),
                ),
            );
            capacity.insert(
                "pods".to_string(),
                Quantity(
                    n.pods
                        .clone()
                        .unwrap_or_else(|| kubelet::DEFAULT_NODE_PODS.to_string()),
                ),
            );
            let taints: Vec<Taint> = n
                .taints
                .iter()
                .map(|t| Taint {
                    key: t.key.clone(),
                    value: if t.value.is_empty() {
                        None
                    } else {
                        Some(t.value.clone())
                    },
                    effect: t.effect.clone(),
                    time_added: None,
                })
                .collect();
            let node = Node {
                metadata: ObjectMeta {
                    name: Some(n.name.clone()),
                    labels: if n.labels.is_empty() {
                        None
                    } else {
                        Some(n.labels.iter().cloned().collect())
                    },
                    ..Default::default()
                },
                spec: Some(NodeSpec {
                    taints: if taints.is_empty() {
                        None
                    } else {
                        Some(taints)
                    },
                    ..Default::default()
                }),
                status: Some(NodeStatus {
                    capacity: Some(capacity),
                    ..Default::default()
                }),
            };
            match cluster.create(Object::Node(node)) {
                Ok(o) => out.out(format!("{} created", ref_name(&o))),
                Err(e) => match e.kubectl_invalid_message() {
                    Some(m) => out.fail(m),
                    None => out.api(&e),
                },
            }
        }
        SimCmd::NodeUp { name, up } => match cluster.set_node_up(name, *up) {
            Ok(()) => out.out(format!(
                "node/{name} kubelet {}",
                if *up { "started" } else { "stopped" }
            )),
            Err(e) => out.api(&e),
        },
        SimCmd::NodeCondition { name, conditions } => {
            if cluster.node_agent(name).is_none() {
                out.api(&ApiError::not_found(Kind::Node, name));
                return;
            }
            for (ty, status) in conditions {
                if let Err(e) = cluster.set_node_condition(name, *ty, status) {
                    out.fail(format!("error: {e}"));
                    return;
                }
                out.out(format!("node/{name} condition {}={status}", ty.as_str()));
            }
        }
        SimCmd::PodFail {
            name,
            exit_code,
            reason,
            namespace,
        } => {
            let fault = match reason {
                Some(r) => kubelet::Fault::PodFailed(r.clone()),
                None => kubelet::Fault::Exit(*exit_code),
            };
            inject_pods(cluster, name, &ns_of(namespace), &fault, "failed", out);
        }
        SimCmd::PodSucceed { name, namespace } => {
            let fault = kubelet::Fault::PodSucceeded;
            inject_pods(cluster, name, &ns_of(namespace), &fault, "succeeded", out);
        }
        SimCmd::Image { image, available } => {
            cluster.set_image_available(image, *available);
            out.out(format!(
                "image {image:?} {}",
                if *available {
                    "is pullable"
                } else {
                    "removed from the registry"
                }
            ));
        }
        SimCmd::Dns { name, namespace } => {
            let answer = network::dns(cluster.store(), name, &ns_of(namespace));
            let (text, ok) = network::format_nslookup(&answer);
            out.raw(text);
            if !ok {
                out.failed = true;
            }
        }
        SimCmd::Curl { target, namespace } => {
            let Some((host, port)) = network::parse_target(target) else {
                out.fail("curl: (3) URL rejected: Bad hostname");
                return;
            };
            let ns = ns_of(namespace);
            // The store is borrowed while the rng is used: draw from a copy, then store it back.
            let mut rng = cluster.rng().clone();
            let res = network::curl(cluster.store(), &mut rng, &host, port, &ns, None);
            *cluster.rng() = rng;
            match res {
                network::CurlResult::Answer { body, .. } => out.out(body),
                res => out.fail(res.curl_error()),
            }
        }
    }
}
