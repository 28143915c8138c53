//! The kubectl layer: parses kubectl-style command lines (plus kubeplay's `sim` verbs) and prints
//! what kubectl 1.3x prints, over the engine. The native CLI and the page both go through
//! [`Session::run`]; neither reimplements any of it.

pub mod jsonpath;

use crate::engine::Cluster;

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
    /// `stdin` feeds `-f -`.
    pub fn run(
        &mut self,
        line: &str,
        stdin: Option<&str>,
        files: &dyn FileSource,
    ) -> CommandOutput {
        self.log.push((line.to_string(), stdin.map(str::to_string)));
        let _ = files;
        CommandOutput {
            stdout: String::new(),
            stderr: format!("error: unknown command {line:?} for \"kubectl\""),
            ok: false,
        }
    }
}
