//! TEMPORARY stub: replaced by the interpreter.
use std::collections::BTreeMap;
/// Run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub output: Vec<OutputLine>,
    pub end: End,
}
/// Line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputLine {
    pub at_ms: u64,
    pub stream: Stream,
    pub text: String,
}
/// Stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}
/// End.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    Exit { at_ms: u64, code: i32 },
    Forever,
}
/// Unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnknownProgram {
    Forever,
    RunFor { ms: u64 },
}
/// Limits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Limits {
    pub max_steps: u64,
    pub max_output_lines: usize,
    pub horizon_ms: u64,
}
/// Ext.
pub struct ExternalResult {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
    pub duration_ms: u64,
}
/// Host.
pub trait Host {
    /// x
    fn external(&mut self, argv: &[String], at_ms: u64) -> Option<ExternalResult>;
}
/// No host.
pub struct NoHost;
impl Host for NoHost {
    fn external(&mut self, _a: &[String], _t: u64) -> Option<ExternalResult> {
        None
    }
}
/// Run.
pub fn run(
    _c: &[String],
    _a: &[String],
    _e: &BTreeMap<String, String>,
    u: UnknownProgram,
    _h: &mut dyn Host,
    _l: &Limits,
) -> Run {
    match u {
        UnknownProgram::Forever => Run {
            output: vec![],
            end: End::Forever,
        },
        UnknownProgram::RunFor { ms } => Run {
            output: vec![],
            end: End::Exit { at_ms: ms, code: 0 },
        },
    }
}
/// Expand.
pub fn expand_k8s_vars(s: &str, _e: &BTreeMap<String, String>) -> String {
    s.to_string()
}
