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
pub mod watch;

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

/// A cluster plus the commands run against it: the unit the CLI and the page share. A clone (a
/// lesson's probe) is not watched: an open `get -w` stays with the original.
#[derive(Debug)]
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
    /// The open `kubectl get -w`, if any (see [`watch`] for when it ends).
    watch: Option<watch::Watch>,
}

impl Clone for Session {
    fn clone(&self) -> Self {
        Session {
            cluster: self.cluster.clone(),
            log: self.log.clone(),
            context_namespace: self.context_namespace.clone(),
            shell_vars: self.shell_vars.clone(),
            mutated: self.mutated,
            watch: None,
        }
    }
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
            watch: None,
        }
    }

    /// Runs one command line (`kubectl get pods`, `get pods`, `sim advance 10s`, `help`);
    /// `stdin` feeds `-f -`. After a command that may change the cluster, the cluster settles
    /// at the current instant (a real cluster reacts within milliseconds); simulated time only
    /// moves with `sim advance`, `wait`, `rollout status`, `drain` and `delete`'s wait.
    /// `get -w` lists and stays open: what later commands cause is printed with their output
    /// (before it for the commands that wait, after it for the ones that change the cluster),
    /// until a command of another kind ends it ([`watch`]).
    pub fn run(
        &mut self,
        line: &str,
        stdin: Option<&str>,
        files: &dyn FileSource,
    ) -> CommandOutput {
        let (mut out, keep) = self.run_leaving_watch(line, stdin, files);
        let w = self.poll_watch();
        if keep == watch::Keep::Before {
            out.stdout.insert_str(0, &w.stdout);
        } else {
            out.stdout.push_str(&w.stdout);
        }
        out.stderr.push_str(&w.stderr);
        out
    }

    /// [`Session::run`] without reading the open watch: its lines wait for
    /// [`Session::poll_watch`] (the page prints them where a tick's output is not shown). A
    /// command that does not keep the watch ends it first.
    pub fn run_leaving_watch(
        &mut self,
        line: &str,
        stdin: Option<&str>,
        files: &dyn FileSource,
    ) -> (CommandOutput, watch::Keep) {
        let keep = if self.watch.is_some() {
            watch::keep(line)
        } else {
            watch::Keep::End
        };
        if keep == watch::Keep::End {
            self.stop_watch();
        }
        self.log.push((line.to_string(), stdin.map(str::to_string)));
        if stdin.is_none() && shell::needs_shell(line) {
            return (shell::run(self, line, files), keep);
        }
        let out = match parse::tokenize(line) {
            Ok(words) => {
                let seed_allowed = !self.mutated;
                self.run_top(&words, line, stdin, files, seed_allowed)
            }
            Err(e) => CommandOutput {
                stdout: String::new(),
                stderr: format!("{e}\n"),
                ok: false,
            },
        };
        (out, keep)
    }

    /// A command line of its own: `get -w` opens a watch here (inside a shell line it cannot).
    fn run_top(
        &mut self,
        words: &[String],
        line: &str,
        stdin: Option<&str>,
        files: &dyn FileSource,
        seed_allowed: bool,
    ) -> CommandOutput {
        let ns = self.namespace().to_string();
        let cluster = &mut self.cluster;
        let opened = match parse::parse_words(words) {
            Ok(Command::Get(g)) if g.watch || g.watch_only => {
                Some(exec::with_context_namespace(&ns, || {
                    watch::start(cluster, &g, stdin, files)
                }))
            }
            Ok(Command::Events(e)) if e.watch => Some(exec::with_context_namespace(&ns, || {
                let (out, w) = watch::start_events(cluster, &e);
                (out, Some(w))
            })),
            _ => None,
        };
        if let Some((out, opened)) = opened {
            self.watch = opened.map(|mut w| {
                w.line = line.to_string();
                w
            });
            return out;
        }
        self.run_parsed(words, stdin, files, seed_allowed)
    }

    /// What the open watch saw since it was last read (nothing when none is open).
    pub fn poll_watch(&mut self) -> watch::WatchOutput {
        let Some(w) = self.watch.as_mut() else {
            return watch::WatchOutput::default();
        };
        let (out, open) = w.poll(&mut self.cluster);
        if !open {
            self.watch = None;
        }
        out
    }

    /// Ends the open watch (Ctrl+C), if any.
    pub fn stop_watch(&mut self) {
        if self.watch.take().is_some() {
            self.cluster.close_watch();
        }
    }

    /// The open watch's command line, if a watch is open.
    pub fn watching(&self) -> Option<&str> {
        self.watch.as_ref().map(watch::Watch::line)
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
