//! The kubectl layer: parses kubectl-style command lines (plus kubeplay's `sim` verbs) and prints
//! what kubectl 1.3x prints, over the engine. The native CLI and the page both go through
//! [`Session::run`]; neither reimplements any of it.
//!
//! Layout: [`parse`] (text → [`parse::Command`]), `exec` (command → cluster → output),
//! [`print`] (tables, YAML/JSON, describe), [`script`] (multi-line scripts with heredocs).

use crate::engine::Cluster;

mod examples;
mod exec;
mod explain;
pub mod gotemplate;
pub mod help;
pub mod jsonpath;
pub mod parse;
pub mod print;
pub mod script;

pub use exec::time_line;
use parse::{Command, SimCmd};

/// Where `-f PATH` reads files from: the file system for the CLI, nothing (or an in-memory map)
/// for the page.
pub trait FileSource {
    /// The contents of `path`, or an error message like kubectl's
    /// (`the path "x.yaml" does not exist`).
    fn read(&self, path: &str) -> Result<String, String>;
}

/// A source with no files at all.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFiles;

impl FileSource for NoFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        Err(format!("error: the path \"{path}\" does not exist"))
    }
}

/// What one command printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandOutput {
    /// Standard output.
    pub stdout: String,
    /// Standard error (kubectl's `error: ...` and `Error from server ...` lines).
    pub stderr: String,
    /// False when the command failed (kubectl would exit non-zero).
    pub ok: bool,
}

/// A cluster plus the commands run against it: the unit the CLI and the page share.
#[derive(Debug, Clone)]
pub struct Session {
    /// The simulated cluster.
    pub cluster: Cluster,
    /// Every command line run so far (with its stdin), so the session can be replayed.
    pub log: Vec<(String, Option<String>)>,
}

impl Session {
    /// A session over an empty cluster seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Session {
            cluster: Cluster::new(seed),
            log: Vec::new(),
        }
    }

    /// Runs one command line (`kubectl get pods`, `get pods`, `sim advance 10s`, `help`);
    /// `stdin` feeds `-f -`. After a command that may change the cluster, the cluster settles
    /// at the current instant (a real cluster reacts within milliseconds); simulated time only
    /// moves with `sim advance`, `wait`, `rollout status`, `drain` and `delete`'s wait.
    /// `get -w` does not block: it prints the current state and a note on stderr.
    pub fn run(
        &mut self,
        line: &str,
        stdin: Option<&str>,
        files: &dyn FileSource,
    ) -> CommandOutput {
        let earlier_mutations = self.log.iter().any(|(l, _)| {
            parse::parse(l)
                .is_ok_and(|c| c.mutates() && !matches!(c, Command::Sim(SimCmd::Seed(_))))
        });
        self.log.push((line.to_string(), stdin.map(str::to_string)));
        let cmd = match parse::parse(line) {
            Ok(c) => c,
            Err(e) => {
                return CommandOutput {
                    stdout: String::new(),
                    stderr: format!("{e}\n"),
                    ok: false,
                }
            }
        };
        if let Command::Sim(SimCmd::Seed(seed)) = cmd {
            if earlier_mutations {
                return CommandOutput {
                    stdout: String::new(),
                    stderr:
                        "error: sim seed must come before any command that changes the cluster\n"
                            .to_string(),
                    ok: false,
                };
            }
            self.cluster = Cluster::new(seed);
            return CommandOutput {
                stdout: format!("seed set to {seed}\n"),
                stderr: String::new(),
                ok: true,
            };
        }
        let mut out = exec::execute(&mut self.cluster, &cmd, stdin, files);
        // `cmdutil.GetDryRunStrategyFromFlag`: a bare `--dry-run` still means client, with a
        // deprecation warning (klog's prefix left out).
        if parse::tokenize(line).is_ok_and(|w| {
            w.iter()
                .take_while(|w| w.as_str() != "--")
                .any(|w| w == "--dry-run")
        }) {
            out.stderr.insert_str(
                0,
                "--dry-run is deprecated and can be replaced with --dry-run=client.\n",
            );
        }
        if cmd.mutates() {
            self.cluster.settle();
        }
        out
    }

    /// Tab completion: the lines `partial` can be completed to (its last word replaced by each
    /// candidate), sorted. Completes verbs, resource types and object names.
    pub fn complete(&self, partial: &str) -> Vec<String> {
        let ends_with_space = partial.ends_with(' ') || partial.is_empty();
        let Ok(mut words) = parse::tokenize(partial) else {
            return Vec::new();
        };
        let prefix_word = if ends_with_space {
            String::new()
        } else {
            words.pop().unwrap_or_default()
        };
        let head = partial
            .get(..partial.len().saturating_sub(prefix_word.len()))
            .unwrap_or(partial);
        let skip = usize::from(words.first().map(String::as_str) == Some("kubectl"));
        let args: Vec<&str> = words.iter().skip(skip).map(String::as_str).collect();
        let mut candidates: Vec<String> = match args.as_slice() {
            [] => parse::VERBS
                .iter()
                .map(|v| v.as_str().to_string())
                .collect(),
            ["get" | "describe" | "delete" | "label" | "annotate" | "explain"] => {
                crate::engine::api::KINDS
                    .iter()
                    .flat_map(|k| std::iter::once(k.plural).chain(k.short_names.iter().copied()))
                    .map(str::to_string)
                    .collect()
            }
            ["get" | "describe" | "delete" | "label" | "annotate", kind, ..] => {
                match crate::engine::api::Kind::from_resource(kind) {
                    Some(k) => self
                        .cluster
                        .store()
                        .list(k)
                        .filter(|o| !k.namespaced() || o.namespace() == "default")
                        .map(|o| o.name().to_string())
                        .collect(),
                    None => Vec::new(),
                }
            }
            ["logs"] => self
                .cluster
                .store()
                .list_ns(crate::engine::api::Kind::Pod, "default")
                .map(|o| o.name().to_string())
                .collect(),
            ["cordon" | "uncordon" | "drain"] | ["taint", "nodes" | "node" | "no"] => self
                .cluster
                .store()
                .nodes()
                .filter_map(|n| n.metadata.name.clone())
                .collect(),
            ["sim"] => ["advance", "time", "seed", "node", "pod", "image"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            _ => Vec::new(),
        };
        candidates.retain(|c| c.starts_with(&prefix_word));
        print::sort(&mut candidates);
        candidates.dedup();
        candidates
            .into_iter()
            .map(|c| format!("{head}{c}"))
            .collect()
    }
}
