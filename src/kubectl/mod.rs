//! The kubectl layer: parses kubectl-style command lines (plus kubeplay's `sim` verbs) and prints
//! what kubectl 1.3x prints, over the engine. The native CLI and the page both go through
//! [`Session::run`]; neither reimplements any of it.
//!
//! Layout: [`parse`] (text → [`parse::Command`]), `exec` (command → cluster → output),
//! [`print`] (tables, YAML/JSON, describe), [`script`] (multi-line scripts with heredocs).

use crate::engine::Cluster;

mod config;
mod elsewhere;
mod examples;
mod exec;
mod explain;
pub mod gotemplate;
pub mod help;
pub mod jsonpath;
pub mod parse;
pub mod print;
pub mod script;
mod shell;

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
    /// The kubeconfig context's namespace (`kubectl config set-context --current
    /// --namespace=NS`): where commands without `-n` work. `None` means `default`.
    pub context_namespace: Option<String>,
    /// Shell variables the console's lines assigned (`pods=$(kubectl get pods -o name)`).
    pub shell_vars: std::collections::BTreeMap<String, String>,
    /// A command that may change the cluster has run (so `sim seed` may no longer).
    mutated: bool,
}

impl Session {
    /// A session over an empty cluster seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Session {
            cluster: Cluster::new(seed),
            log: Vec::new(),
            context_namespace: None,
            shell_vars: std::collections::BTreeMap::new(),
            mutated: false,
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
        self.log.push((line.to_string(), stdin.map(str::to_string)));
        if stdin.is_none() && shell::needs_shell(line) {
            return shell::run(self, line, files);
        }
        match parse::tokenize(line) {
            Ok(words) => {
                let seed_allowed = !self.mutated;
                self.run_parsed(&words, stdin, files, seed_allowed)
            }
            Err(e) => CommandOutput {
                stdout: String::new(),
                stderr: format!("{e}\n"),
                ok: false,
            },
        }
    }

    /// Runs one command given as words (`kubectl` and `sim` inside a console shell line),
    /// without logging it: the line that ran it is logged.
    pub(crate) fn run_words(
        &mut self,
        words: &[String],
        stdin: Option<&str>,
        files: &dyn FileSource,
    ) -> CommandOutput {
        self.run_parsed(words, stdin, files, false)
    }

    fn run_parsed(
        &mut self,
        words: &[String],
        stdin: Option<&str>,
        files: &dyn FileSource,
        seed_allowed: bool,
    ) -> CommandOutput {
        let cmd = match parse::parse_words(words) {
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
            if !seed_allowed {
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
        if cmd.mutates() {
            self.mutated = true;
        }
        if let Command::Config(c) = &cmd {
            return config::run(&mut self.context_namespace, c);
        }
        let ns = self.namespace().to_string();
        let cluster = &mut self.cluster;
        let mut out =
            exec::with_context_namespace(&ns, || exec::execute(cluster, &cmd, stdin, files));
        // `cmdutil.GetDryRunStrategyFromFlag`: a bare `--dry-run` still means client, with a
        // deprecation warning (klog's prefix left out).
        if words
            .iter()
            .take_while(|w| w.as_str() != "--")
            .any(|w| w == "--dry-run")
        {
            out.stderr.insert_str(
                0,
                "--dry-run is deprecated and can be replaced with --dry-run=client.\n",
            );
        }
        // `GetCascadingStrategy`: the old boolean values still work, with a warning.
        if matches!(cmd, Command::Delete(_)) {
            let last = words
                .iter()
                .take_while(|w| w.as_str() != "--")
                .filter_map(|w| w.strip_prefix("--cascade="))
                .last();
            let replacement = match last {
                Some("false") => Some(("false", "orphan")),
                Some("true") => Some(("true", "background")),
                _ => None,
            };
            if let Some((old, new)) = replacement {
                out.stderr.insert_str(
                    0,
                    &format!(
                        "warning: --cascade={old} is deprecated (boolean value) and can be replaced with --cascade={new}.\n"
                    ),
                );
            }
        }
        if cmd.mutates() {
            self.cluster.settle();
        }
        out
    }

    /// The namespace commands without `-n` work in.
    pub fn namespace(&self) -> &str {
        self.context_namespace.as_deref().unwrap_or("default")
    }
}
