//! A small POSIX-sh interpreter that decides what a simulated container "does".
//!
//! The kubelet hands [`run`] the container's `command` and `args`. Because a container
//! has no input, the whole process can be evaluated eagerly into a deterministic
//! timeline: every output line with the millisecond it was printed, and how the process
//! ends ([`End::Exit`] at a time with a code, or [`End::Forever`]). The only input is what
//! the [`Host`] answers (programs at a time, files): the kubelet remembers the network's
//! answers and, when the cluster changes so that a later answer differs, evaluates the run
//! again with the same answers up to now (the interpreter is deterministic, so the timeline
//! up to now is the same) and new ones after (`Kubelet::replay_network`).
//!
//! # Entry point
//! * `argv = command ++ args`, after the kubelet's `$(VAR)` expansion
//!   ([`expand_k8s_vars`]: `$(VAR)` from the env when defined, left as is otherwise,
//!   `$$` becomes `$`).
//! * An empty argv (the image's own entrypoint) behaves as an unknown program.
//! * `sh`, `bash`, `ash`, `dash`, `ksh`, `zsh` (any path, also behind `/usr/bin/env`
//!   or `busybox`) with `-c SCRIPT` interpret SCRIPT; extra arguments become `$0`, `$1`...
//!   Options `-e`, `-x`, `-o NAME` (ignored) may precede or be combined with `-c`.
//!   A shell given a script file asks [`Host::file`] for it and otherwise treats the whole
//!   argv as an unknown program; a shell with no arguments reads its empty stdin and exits 0.
//! * Any other argv is a program: the builtins below run directly, anything else goes to
//!   [`Host::external`] and, when the host does not know it, to [`UnknownProgram`].
//!   `python3 -c SCRIPT` runs a small Python subset first (`sh/python.rs`; outside it, too, an
//!   unknown program), as `perl -Mbignum=bpi` prints π (`sh/perl.rs`).
//!
//! # The shell subset
//! Simple commands, `;`, newlines, `&`, `&&`, `||`, `!`, pipelines, `{ ...; }`, `( ... )`
//! (no state leaks out), `if/elif/else`, `while`, `until`, `for` (with or without `in`),
//! `case` (patterns `*`, `?`, `[...]`, `a|b`), functions `name() { ...; }` with `return`,
//! `break`/`continue [n]`, comments, single and double quotes, backslashes, here-documents
//! (`<<`, `<<-`, quoted delimiters) and here-strings (`<<<`).
//! Expansions: `$VAR`, `${VAR}`, `${VAR:-w}` `${VAR-w}` `:=` `=` `:+` `+` `:?` `?`,
//! `${#VAR}`, `${VAR#p}` `##` `%` `%%`, `$?` `$$` (always 1: the shell is PID 1) `$#`
//! `$@` `$*` `$0`..`$9` `${10}` `$!` `$-`, `$(( ))` (C operators with 64-bit wrapping,
//! bash's `**`, assignments, variables without `$`), command substitution `$(...)` and backquotes, and
//! field splitting on `IFS`. Assignments, `export`, `local` (global), `readonly` (not
//! enforced), `unset`, `shift`, `set -e/-x/--`, `eval`, `exec`, `.`/`source` (via
//! [`Host::file`]), `read`, `wait`, `exit N` (N mod 256).
//!
//! Builtin programs: `echo` (`-n`, `-e`, `-E`), `printf` (`%s %b %c %d %i %u %x %X %o %%`
//! with flags, width and precision; the format is reused for extra arguments), `sleep`
//! (decimals, suffixes `s m h d`, `infinity`), `true`, `false`, `:`, `test`/`[`, `env`,
//! `printenv`, `hostname`, `date` (with `+FORMAT`), `cat`, `head`, `tail` (`-f` runs
//! forever), `wc`, `grep` (fixed strings), `tee`, `rev`, the filters `sort`, `uniq`, `cut`,
//! `tr` and `awk`'s `{ print … }` subset on standard input (`sh/text.rs`), `xargs`, `expr`,
//! `seq`, `basename`, `dirname`,
//! `pwd`, `cd`, `whoami`, `id`, `uname`, `nohup`, and no-op successes for `mkdir`, `touch`,
//! `rm`, `cp`, `mv`, `ln`, `chmod`, `chown`, `kill`, `trap`, `umask`, `ulimit`, `sync`.
//!
//! # Deliberate simplifications
//! * Time only passes in `sleep`, external programs (their `duration_ms`) and unknown
//!   programs; everything else takes no time. A line is stamped when its newline is
//!   written; an unfinished last line is flushed when the process ends.
//! * Files: what the process writes (`>`, `>>`, `&>`, `2>file`, `tee`, `cp`, `mv`, `touch`,
//!   `rm`; at most 64 files) it reads back; other reads (`cat`, `<`, `source`,
//!   `test -e/-f/-r/-s`) ask [`Host::file_at`] at the process's clock (a shared volume
//!   another container writes into changes over time); `/dev/null` is empty and discards;
//!   `>&2`, `2>&1`, `/dev/stdout`, `/dev/stderr` and `/proc/1/fd/1|2` go to the matching
//!   stream. [`Run::files`] is the final state and [`Run::file_log`] when each file changed,
//!   so the kubelet can show the files at any instant (an exec probe). Directories exist
//!   when made or when they hold a file; `test -x` is always false. A background job's
//!   writes are seen by the main shell as soon as the job is evaluated. Error messages use
//!   busybox's wording (`cat: can't open 'F': No such file or directory`).
//! * Pipelines run their stages one after the other, each starting at the pipeline's start
//!   time; a stage's stdin is the whole stdout of the stage before, only the last stage's
//!   stdout is printed, and the pipeline ends when its slowest stage does.
//! * `cmd &` runs the job to completion in a copy of the shell starting at the current
//!   time (its output keeps its own timestamps) and gets half of the remaining step budget;
//!   `wait` advances to the end of the jobs. When the main shell exits, later job output is
//!   dropped, as the container is gone. The output cap keeps the earliest lines in time, so
//!   a background loop that runs far ahead cannot crowd out the main shell's lines.
//! * `echo` does not interpret escapes without `-e` (bash and busybox behaviour, not dash).
//! * Globbing never matches files (there are none), so `*` stays literal in arguments.
//! * `date` prints `KUBEPLAY_DATE` verbatim when it is set and not a number; a number is
//!   taken as the epoch seconds at process start; without it the clock starts at
//!   2026-01-01T00:00:00Z. The date advances with the simulated clock. Always UTC.
//! * `grep` matches fixed strings (with optional `^`/`$` anchors), not regular expressions.
//! * Not supported: `[[ ]]`, arrays, `${VAR:off:len}`, `${VAR/a/b}`, `trap` actions,
//!   `set -u`, `pipefail`, tilde expansion, aliases, job control beyond `&`/`wait`.
//! * Bounds: every command, loop iteration and chunk of expanded text costs a step; past
//!   [`Limits::max_steps`] the process counts as a busy loop ([`End::Forever`]). Past
//!   [`Limits::horizon_ms`] it is also `Forever`. Past [`Limits::max_output_lines`] (or
//!   4 MiB) output is no longer recorded but time and the exit are still evaluated. Written
//!   text, copied variables and pattern matching are charged as steps too. Strings are
//!   capped at 32 KiB, nesting (subshells, functions, substitutions, compound commands) at
//!   64 levels, variables at 1024, here-documents at 1000 per script, and only the first 64
//!   characters of `IFS` count.
//! * A `while`/`until` loop whose whole state (variables, stdin, pending output, jobs...)
//!   is the same at two iterations, with no host program, host file or `date` and no kept
//!   output line in between, can only repeat: it ends as `Forever` right away instead of
//!   burning the step budget. The result is the same as running it out, only cheaper.
//! * Error messages follow dash: `sh: 1: Syntax error: ...` with exit 2.

mod perl;
mod python;
mod text;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

const DAY_MS: u64 = 86_400_000;
const MAX_STRING: usize = 32 * 1024;
/// Files (and directories) one process may create.
const MAX_FILES: usize = 64;
const MAX_OUTPUT_BYTES: usize = 4 * 1024 * 1024;
/// What one pipe or `$(…)` carries (`seq 1 100000 | wc -l` fits).
const MAX_CAPTURE: usize = 1024 * 1024;
const MAX_DEPTH: usize = 64;
const MAX_PARSE_DEPTH: usize = 64;
const MAX_VARS: usize = 1024;
const MAX_PRINTF_WIDTH: usize = 4096;
const MAX_ARITH_TOKENS: usize = 512;
/// 2026-01-01T00:00:00Z, the default wall clock of a container's start.
const DEFAULT_EPOCH_S: i64 = 1_767_225_600;
/// Bytes of expanded or written text that cost one step.
const BYTES_PER_STEP: usize = 256;
/// Pattern-matching iterations that cost one step.
const GLOB_WORK_PER_STEP: u64 = 64;
/// Only the first IFS characters count, so splitting stays linear.
const MAX_IFS: usize = 64;
/// Here-documents per script; each one edits the source, so many would be quadratic.
const MAX_HEREDOCS: usize = 1000;

// ---------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------

/// What happens when the container's process runs, relative to its start (milliseconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The lines the process printed, in time order (stable for equal times).
    pub output: Vec<OutputLine>,
    /// How the process ends.
    pub end: End,
    /// The files the process wrote (`Some(content)`) or removed (`None`), by absolute path,
    /// as they were when it ended. The kubelet keeps those under a shared volume's mount
    /// for the pod's other containers.
    pub files: BTreeMap<String, Option<String>>,
    /// When each file changed: the file's whole content after the change (`None`: removed),
    /// in time order. [`Run::files_at`] replays it, so an exec probe sees the files as they
    /// are at its instant. Bounded ([`MAX_FILE_LOG`] changes, [`MAX_FILE_LOG_BYTES`] copied):
    /// past that, a file's later changes collapse into one entry with its final content at its
    /// last write.
    pub file_log: Vec<FileChange>,
}

/// One change of a file a process made (see [`Run::file_log`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Milliseconds after the process start.
    pub at_ms: u64,
    /// The absolute path.
    pub path: String,
    /// The content after the change; `None` when the file was removed.
    pub content: Option<String>,
}

/// File changes one run logs (see [`Run::file_log`]).
pub const MAX_FILE_LOG: usize = 256;
/// Bytes of file content one run's log holds.
pub const MAX_FILE_LOG_BYTES: usize = 256 * 1024;

impl Run {
    /// The files the process had written (`Some`) or removed (`None`) by `at_ms` after its
    /// start, from [`Run::file_log`].
    pub fn files_at(&self, at_ms: u64) -> BTreeMap<String, Option<String>> {
        let mut files = BTreeMap::new();
        for change in self.file_log.iter().take_while(|c| c.at_ms <= at_ms) {
            files.insert(change.path.clone(), change.content.clone());
        }
        files
    }

    /// Cuts the run short at `at_ms` (the process is killed then): later output and file
    /// changes never happen. The exit itself is left to the caller.
    pub fn truncate(&mut self, at_ms: u64) {
        self.output.retain(|l| l.at_ms <= at_ms);
        self.file_log.retain(|c| c.at_ms <= at_ms);
        let mut files = BTreeMap::new();
        for c in &self.file_log {
            files.insert(c.path.clone(), c.content.clone());
        }
        self.files = files;
    }
}

/// One line of output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputLine {
    /// Milliseconds after the process start at which the line was completed.
    pub at_ms: u64,
    /// Which stream the line was written to.
    pub stream: Stream,
    /// The text of the line, without its trailing newline.
    pub text: String,
}

/// An output stream of the container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// How the process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The process exits at `at_ms` with `code`.
    Exit {
        /// Milliseconds after the start.
        at_ms: u64,
        /// The exit status (0..=255 for shell exits; hosts may report others).
        code: i32,
    },
    /// The process never exits on its own (a server, `sleep infinity`, a busy loop...).
    Forever,
}

/// What a program the interpreter does not know does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownProgram {
    /// It runs until it is killed (a server such as nginx).
    Forever,
    /// It runs for `ms` milliseconds, prints nothing and exits 0.
    RunFor {
        /// How long it runs.
        ms: u64,
    },
}

/// Bounds on the evaluation, so that no input can hang or exhaust memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Interpreter steps before the process is considered a busy loop (`End::Forever`).
    pub max_steps: u64,
    /// Output lines recorded; later lines are dropped but evaluation continues.
    pub max_output_lines: usize,
    /// Simulated time after which the process is considered to run forever.
    pub horizon_ms: u64,
    /// The container was started with `stdin: true` (`kubectl run -i`): a shell given no
    /// script blocks reading it instead of exiting at its end.
    pub stdin_open: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            stdin_open: false,
            max_steps: 200_000,
            max_output_lines: 2_000,
            horizon_ms: 30 * DAY_MS,
        }
    }
}

/// The world outside the interpreter: programs and files it cannot know by itself.
pub trait Host {
    /// Runs a program the interpreter does not know (curl, wget, nslookup, perl...).
    /// `None` means the host does not know it either.
    fn external(&mut self, argv: &[String], at_ms: u64) -> Option<ExternalResult>;

    /// The content of a file in the container (a mounted ConfigMap, a script...), if any.
    /// The default knows no files.
    fn file(&mut self, path: &str) -> Option<String> {
        let _ = path;
        None
    }

    /// The content of a file `at_ms` after the process started: files other containers write
    /// into a shared volume change while this one runs. The default is [`Host::file`].
    fn file_at(&mut self, path: &str, at_ms: u64) -> Option<String> {
        let _ = at_ms;
        self.file(path)
    }
}

/// What an external program did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalResult {
    /// Text written to stdout (stamped when the program ends).
    pub stdout: String,
    /// Text written to stderr (stamped when the program ends).
    pub stderr: String,
    /// Exit status.
    pub code: i32,
    /// How long the program ran.
    pub duration_ms: u64,
}

/// A host that knows no programs and no files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoHost;

impl Host for NoHost {
    fn external(&mut self, _argv: &[String], _at_ms: u64) -> Option<ExternalResult> {
        None
    }
}

/// A shell syntax error (dash wording, without the `sh: N: Syntax error: ` prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based line where the error was detected.
    pub line: usize,
    /// What went wrong, e.g. `end of file unexpected (expecting "fi")`.
    pub message: String,
}

/// Checks a script for syntax errors without running it.
pub fn check_syntax(script: &str) -> Result<(), SyntaxError> {
    match Parser::new(script, 1, 0).parse_program().error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Kubernetes' `$(VAR)` expansion of `command`/`args`: `$(VAR)` is replaced by the value
/// of VAR when it is defined and kept as is otherwise; `$$` becomes `$`, so `$$(VAR)`
/// yields a literal `$(VAR)`.
pub fn expand_k8s_vars(s: &str, env: &BTreeMap<String, String>) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        match chars.get(i + 1) {
            None => {
                out.push('$');
                i += 1;
            }
            Some('$') => {
                out.push('$');
                i += 2;
            }
            Some('(') => match chars.iter().skip(i + 2).position(|&ch| ch == ')') {
                Some(len) => {
                    let name: String = chars.iter().skip(i + 2).take(len).collect();
                    match env.get(&name) {
                        Some(v) => out.push_str(v),
                        None => {
                            out.push_str("$(");
                            out.push_str(&name);
                            out.push(')');
                        }
                    }
                    i += len + 3;
                }
                None => {
                    out.push_str("$(");
                    i += 2;
                }
            },
            Some(&other) => {
                out.push('$');
                out.push(other);
                i += 2;
            }
        }
    }
    out
}

/// Whether `name` is one of the programs the interpreter runs itself (`sleep`, `tail`, `cat`,
/// ...). None of them installs a SIGTERM handler, which matters when one is a container's PID 1.
pub fn is_builtin_program(name: &str) -> bool {
    matches!(
        name,
        "echo"
            | "printf"
            | "sleep"
            | "true"
            | "false"
            | ":"
            | "test"
            | "["
            | "env"
            | "printenv"
            | "hostname"
            | "date"
            | "cat"
            | "head"
            | "tail"
            | "wc"
            | "grep"
            | "egrep"
            | "fgrep"
            | "tee"
            | "rev"
            | "sort"
            | "uniq"
            | "cut"
            | "tr"
            | "awk"
            | "xargs"
            | "expr"
            | "seq"
            | "basename"
            | "dirname"
            | "pwd"
            | "whoami"
            | "id"
            | "uname"
            | "nohup"
            | "mkdir"
            | "touch"
            | "rm"
            | "cp"
            | "mv"
            | "ln"
            | "chmod"
            | "chown"
            | "kill"
            | "sync"
            | "busybox"
    )
}

/// Evaluates the container's process (`command ++ args`) into a timeline.
pub fn run(
    command: &[String],
    args: &[String],
    env: &BTreeMap<String, String>,
    unknown: UnknownProgram,
    host: &mut dyn Host,
    limits: &Limits,
) -> Run {
    let argv: Vec<String> = command
        .iter()
        .chain(args.iter())
        .map(|a| expand_k8s_vars(a, env))
        .collect();
    let mut shell = Shell::new(env, unknown, host, *limits);
    let result = if argv.is_empty() {
        shell.run_unknown()
    } else {
        shell.dispatch(&argv, false)
    };
    shell.finish(result)
}

// ---------------------------------------------------------------------------------------
// Syntax tree
// ---------------------------------------------------------------------------------------

/// A piece of a word, before expansion.
#[derive(Debug)]
enum Part {
    /// Unquoted literal text (subject to nothing, as there is no globbing of files).
    Lit(String),
    /// Quoted literal text: escapes glob characters in patterns and keeps empty fields.
    QLit(String),
    Param {
        name: String,
        op: ParamOp,
        quoted: bool,
    },
    Subst {
        list: Box<List>,
        quoted: bool,
    },
    Arith {
        expr: Word,
        quoted: bool,
    },
}

#[derive(Debug)]
enum ParamOp {
    Plain,
    Len,
    Default {
        colon: bool,
        word: Word,
    },
    Assign {
        colon: bool,
        word: Word,
    },
    Alt {
        colon: bool,
        word: Word,
    },
    Error {
        colon: bool,
        word: Word,
    },
    Trim {
        suffix: bool,
        longest: bool,
        pat: Word,
    },
}

type Word = Vec<Part>;

#[derive(Debug)]
enum Redir {
    Out { fd: u32, target: Word, append: bool },
    Both { target: Word, append: bool },
    Dup { fd: u32, target: Word },
    In { fd: u32, target: Word },
    Here { fd: u32, body: Word, newline: bool },
}

#[derive(Debug)]
struct Simple {
    assigns: Vec<(String, Word)>,
    /// bash array assignments `name=(word ...)`.
    arrays: Vec<(String, Vec<Word>)>,
    words: Vec<Word>,
}

#[derive(Debug)]
enum Cmd {
    Simple(Simple),
    Group(List),
    Subshell(List),
    If {
        arms: Vec<(List, List)>,
        otherwise: Option<List>,
    },
    Loop {
        until: bool,
        cond: List,
        body: List,
    },
    For {
        var: String,
        items: Option<Vec<Word>>,
        body: List,
    },
    Case {
        word: Word,
        arms: Vec<(Vec<Word>, List)>,
    },
    Func {
        name: String,
        body: Rc<Command>,
    },
}

#[derive(Debug)]
struct Command {
    cmd: Cmd,
    redirs: Vec<Redir>,
    line: usize,
}

#[derive(Debug)]
struct Pipeline {
    bang: bool,
    cmds: Vec<Command>,
}

#[derive(Debug)]
struct AndOr {
    first: Pipeline,
    /// `true` for `&&`, `false` for `||`.
    rest: Vec<(bool, Pipeline)>,
}

#[derive(Debug)]
struct Item {
    and_or: AndOr,
    background: bool,
}

#[derive(Debug, Default)]
struct List {
    items: Vec<Item>,
}

/// A whole script: dash parses and runs one line at a time, so the lines before a syntax
/// error still run.
struct Script {
    lines: Vec<List>,
    error: Option<SyntaxError>,
}

// ---------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------

enum Tok {
    Word(Word, String),
    Op(&'static str),
    Redir(Option<u32>, &'static str),
    Newline,
    Eof,
}

/// A cheap view of the next token, for decisions.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// `Some(text)` when the word is plain unquoted text (a possible keyword).
    Word(Option<String>),
    Op(&'static str),
    Redir,
    Newline,
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Normal,
    DQuote,
    Brace {
        quoted: bool,
    },
    /// Here-document bodies and arithmetic: runs to the end, `"` is literal.
    Text,
}

const OPS: [&str; 8] = ["&&", "||", ";;", ";", "&", "|", "(", ")"];
const REDIR_OPS: [&str; 10] = ["<<<", "<<-", "<<", "<&", "<>", "<", ">>", ">&", ">|", ">"];
const LIST_ENDS: [&str; 8] = ["then", "else", "elif", "fi", "do", "done", "esac", "}"];

struct Parser {
    src: Vec<char>,
    pos: usize,
    line: usize,
    /// Lines of here-document bodies cut out of `src`, keyed by the newline they followed.
    extra_lines: BTreeMap<usize, usize>,
    peeked: Option<(Tok, usize)>,
    depth: usize,
    heredocs: usize,
    /// bash (and ksh/zsh) syntax: indexed arrays `a=(x y)`, `a[i]=v`, `${a[i]}`, `${a[@]}`.
    bash: bool,
}

fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>'
    )
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

fn plain(parts: &[Part]) -> Option<&str> {
    match parts {
        [Part::Lit(s)] => Some(s),
        _ => None,
    }
}

/// Appends literal text, merging with the previous literal of the same kind.
fn push_lit(parts: &mut Word, s: &str, quoted: bool) {
    match (parts.last_mut(), quoted) {
        (Some(Part::Lit(p)), false) | (Some(Part::QLit(p)), true) => p.push_str(s),
        _ => parts.push(if quoted {
            Part::QLit(s.to_string())
        } else {
            Part::Lit(s.to_string())
        }),
    }
}

fn push_part(parts: &mut Word, part: Part) {
    match part {
        Part::Lit(s) => push_lit(parts, &s, false),
        Part::QLit(s) => push_lit(parts, &s, true),
        other => parts.push(other),
    }
}

/// The variable that holds element `i` of a bash array.
fn element_key(name: &str, i: usize) -> String {
    if i == 0 {
        name.to_string()
    } else {
        format!("{name}[{i}]")
    }
}

/// Splits `NAME=value` off the front of a word.
fn split_assignment(mut parts: Word, bash: bool) -> Result<(String, Word), Word> {
    let name = match parts.first() {
        Some(Part::Lit(s)) => match s.split_once('=') {
            Some((name, _)) if is_name(name) => name.to_string(),
            // bash's `name[SUBSCRIPT]=value`.
            Some((name, _))
                if bash
                    && name.ends_with(']')
                    && name.split_once('[').is_some_and(|(base, _)| is_name(base)) =>
            {
                name.to_string()
            }
            _ => return Err(parts),
        },
        _ => return Err(parts),
    };
    if let Some(Part::Lit(s)) = parts.first_mut() {
        let rest: String = s.chars().skip(name.chars().count() + 1).collect();
        *s = rest;
    }
    if matches!(parts.first(), Some(Part::Lit(s)) if s.is_empty()) {
        parts.remove(0);
    }
    Ok((name, parts))
}

fn heredoc_delim(parts: &[Part]) -> (String, bool) {
    let mut text = String::new();
    let mut quoted = false;
    for p in parts {
        match p {
            Part::Lit(s) => text.push_str(s),
            Part::QLit(s) => {
                quoted = true;
                text.push_str(s);
            }
            _ => {}
        }
    }
    (text, quoted)
}

impl Parser {
    fn new(text: &str, line: usize, depth: usize) -> Self {
        Parser {
            src: text.chars().collect(),
            pos: 0,
            line,
            extra_lines: BTreeMap::new(),
            peeked: None,
            depth,
            heredocs: 0,
            bash: false,
        }
    }

    fn dialect(mut self, bash: bool) -> Self {
        self.bash = bash;
        self
    }

    fn cur(&self) -> Option<char> {
        self.src.get(self.pos).copied()
    }

    fn at(&self, off: usize) -> Option<char> {
        self.src.get(self.pos + off).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.cur()?;
        if c == '\n' {
            let extra = self.extra_lines.get(&self.pos).copied().unwrap_or(0);
            self.line += 1 + extra;
        }
        self.pos += 1;
        Some(c)
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars().enumerate().all(|(i, c)| self.at(i) == Some(c))
    }

    fn err<T>(&self, message: impl Into<String>) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            line: self.line,
            message: message.into(),
        })
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return self.err("nesting too deep");
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // ----- tokens -----

    fn lex(&mut self) -> Result<Tok, SyntaxError> {
        loop {
            match self.cur() {
                Some(' ' | '\t' | '\r') => self.pos += 1,
                Some('\\') if self.at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                Some('#') => {
                    while self.cur().is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let Some(c) = self.cur() else {
            return Ok(Tok::Eof);
        };
        if c == '\n' {
            self.bump();
            return Ok(Tok::Newline);
        }
        if c.is_ascii_digit() {
            let mut n = 0;
            while self.at(n).is_some_and(|d| d.is_ascii_digit()) {
                n += 1;
            }
            if n <= 4 && matches!(self.at(n), Some('<' | '>')) {
                let digits: String = (0..n).filter_map(|k| self.at(k)).collect();
                if let Ok(fd) = digits.parse::<u32>() {
                    self.pos += n;
                    let op = self.lex_redir_op();
                    return Ok(Tok::Redir(Some(fd), op));
                }
            }
        }
        if c == '<' || c == '>' {
            let op = self.lex_redir_op();
            return Ok(Tok::Redir(None, op));
        }
        for op in ["&>>", "&>"] {
            if self.starts_with(op) {
                self.pos += op.len();
                return Ok(Tok::Redir(None, op));
            }
        }
        for op in OPS {
            if self.starts_with(op) {
                self.pos += op.len();
                return Ok(Tok::Op(op));
            }
        }
        let start = self.pos;
        let parts = self.lex_word(Mode::Normal)?;
        let raw: String = self
            .src
            .get(start..self.pos)
            .map(|s| s.iter().collect())
            .unwrap_or_default();
        Ok(Tok::Word(parts, raw))
    }

    fn lex_redir_op(&mut self) -> &'static str {
        for op in REDIR_OPS {
            if self.starts_with(op) {
                self.pos += op.len();
                return op;
            }
        }
        self.pos += 1;
        ">"
    }

    fn lex_word(&mut self, mode: Mode) -> Result<Word, SyntaxError> {
        self.enter()?;
        let r = self.lex_word_inner(mode);
        self.leave();
        r
    }

    fn lex_word_inner(&mut self, mode: Mode) -> Result<Word, SyntaxError> {
        let quoted = matches!(
            mode,
            Mode::DQuote | Mode::Text | Mode::Brace { quoted: true }
        );
        let mut parts: Word = Vec::new();
        loop {
            let Some(c) = self.cur() else {
                return match mode {
                    Mode::DQuote => self.err("Unterminated quoted string"),
                    Mode::Brace { .. } => self.err("Missing '}'"),
                    Mode::Normal | Mode::Text => Ok(parts),
                };
            };
            match mode {
                Mode::Normal if is_meta(c) => return Ok(parts),
                Mode::DQuote if c == '"' => {
                    self.bump();
                    if parts.is_empty() {
                        parts.push(Part::QLit(String::new()));
                    }
                    return Ok(parts);
                }
                Mode::Brace { .. } if c == '}' => {
                    self.bump();
                    return Ok(parts);
                }
                _ => {}
            }
            match c {
                '\\' => {
                    self.bump();
                    match self.cur() {
                        None => push_lit(&mut parts, "\\", quoted),
                        Some('\n') => {
                            self.bump();
                        }
                        Some(n) => {
                            let escapable = match mode {
                                Mode::Normal | Mode::Brace { quoted: false } => true,
                                Mode::DQuote => matches!(n, '$' | '`' | '"' | '\\'),
                                Mode::Brace { quoted: true } => {
                                    matches!(n, '$' | '`' | '"' | '\\' | '}')
                                }
                                Mode::Text => matches!(n, '$' | '`' | '\\'),
                            };
                            if escapable {
                                self.bump();
                                push_lit(&mut parts, n.encode_utf8(&mut [0; 4]), true);
                            } else {
                                push_lit(&mut parts, "\\", quoted);
                            }
                        }
                    }
                }
                '\'' if !quoted => {
                    self.bump();
                    let mut s = String::new();
                    loop {
                        match self.bump() {
                            None => return self.err("Unterminated quoted string"),
                            Some('\'') => break,
                            Some(ch) => s.push(ch),
                        }
                    }
                    push_lit(&mut parts, &s, true);
                }
                '"' if !matches!(mode, Mode::DQuote | Mode::Text) => {
                    self.bump();
                    for p in self.lex_word(Mode::DQuote)? {
                        push_part(&mut parts, p);
                    }
                }
                '$' => self.lex_dollar(quoted, &mut parts)?,
                '`' => self.lex_backquote(quoted, &mut parts)?,
                _ => {
                    self.bump();
                    push_lit(&mut parts, c.encode_utf8(&mut [0; 4]), quoted);
                }
            }
        }
    }

    fn lex_dollar(&mut self, quoted: bool, parts: &mut Word) -> Result<(), SyntaxError> {
        self.bump();
        match self.cur() {
            Some('(') if self.at(1) == Some('(') => {
                self.pos += 2;
                let mut text = String::new();
                let mut depth = 0usize;
                loop {
                    match self.bump() {
                        None => return self.err("Missing '))'"),
                        Some('(') => {
                            depth += 1;
                            text.push('(');
                        }
                        Some(')') if depth == 0 => {
                            if self.cur() == Some(')') {
                                self.bump();
                                break;
                            }
                            return self.err("Missing '))'");
                        }
                        Some(')') => {
                            depth -= 1;
                            text.push(')');
                        }
                        Some(ch) => text.push(ch),
                    }
                }
                let mut sub = Parser::new(&text, self.line, self.depth).dialect(self.bash);
                let expr = sub.lex_word(Mode::Text)?;
                parts.push(Part::Arith { expr, quoted });
            }
            Some('(') => {
                self.bump();
                self.enter()?;
                let list = self.parse_list(false);
                self.leave();
                let list = list?;
                if self.peek()? != Kind::Op(")") {
                    return self.unexpected(Some(")"));
                }
                self.take_tok()?;
                parts.push(Part::Subst {
                    list: Box::new(list),
                    quoted,
                });
            }
            Some('{') => {
                self.bump();
                self.lex_brace_param(quoted, parts)?;
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let mut name = String::new();
                while let Some(ch) = self.cur() {
                    if ch == '_' || ch.is_ascii_alphanumeric() {
                        name.push(ch);
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                parts.push(Part::Param {
                    name,
                    op: ParamOp::Plain,
                    quoted,
                });
            }
            Some(c) if c.is_ascii_digit() || "@*#?$!-".contains(c) => {
                self.bump();
                parts.push(Part::Param {
                    name: c.to_string(),
                    op: ParamOp::Plain,
                    quoted,
                });
            }
            _ => push_lit(parts, "$", quoted),
        }
        Ok(())
    }

    fn read_param_name(&mut self) -> Option<String> {
        let c = self.cur()?;
        let mut name = String::new();
        if c == '_' || c.is_ascii_alphabetic() {
            while let Some(ch) = self
                .cur()
                .filter(|ch| *ch == '_' || ch.is_ascii_alphanumeric())
            {
                name.push(ch);
                self.pos += 1;
            }
        } else if c.is_ascii_digit() {
            while let Some(ch) = self.cur().filter(char::is_ascii_digit) {
                name.push(ch);
                self.pos += 1;
            }
        } else if "@*#?$!-".contains(c) {
            name.push(c);
            self.pos += 1;
        } else {
            return None;
        }
        Some(name)
    }

    fn lex_brace_param(&mut self, quoted: bool, parts: &mut Word) -> Result<(), SyntaxError> {
        let len_op = self.cur() == Some('#') && self.at(1).is_some_and(|c| c != '}');
        if len_op {
            self.bump();
        }
        // bash's `${!name}` (indirection) and `${!a[@]}` (the indices of an array).
        let bang = !len_op
            && self.bash
            && self.cur() == Some('!')
            && self
                .at(1)
                .is_some_and(|c| c == '_' || c.is_ascii_alphabetic());
        if bang {
            self.bump();
        }
        let Some(mut name) = self.read_param_name() else {
            return if self.cur().is_none() {
                self.err("Missing '}'")
            } else {
                self.err("Bad substitution")
            };
        };
        if self.bash && self.cur() == Some('[') && is_name(&name) {
            // `${a[SUBSCRIPT]}`: kept in the name, evaluated when expanded.
            let mut depth = 0usize;
            name.push('[');
            self.bump();
            loop {
                match self.bump() {
                    None => return self.err("Missing '}'"),
                    Some('[') => {
                        depth += 1;
                        name.push('[');
                    }
                    Some(']') if depth == 0 => break,
                    Some(']') => {
                        depth -= 1;
                        name.push(']');
                    }
                    Some(c) => name.push(c),
                }
                if name.len() > MAX_STRING {
                    return self.err("Bad substitution");
                }
            }
            name.push(']');
        }
        if bang {
            name.insert(0, '!');
        }
        if len_op {
            return match self.cur() {
                Some('}') => {
                    self.bump();
                    parts.push(Part::Param {
                        name,
                        op: ParamOp::Len,
                        quoted,
                    });
                    Ok(())
                }
                None => self.err("Missing '}'"),
                Some(_) => self.err("Bad substitution"),
            };
        }
        let brace = Mode::Brace { quoted };
        let op = match self.cur() {
            None => return self.err("Missing '}'"),
            Some('}') => {
                self.bump();
                ParamOp::Plain
            }
            Some(c @ (':' | '-' | '=' | '+' | '?')) => {
                let colon = c == ':';
                if colon {
                    self.bump();
                }
                let Some(kind) = self.cur().filter(|k| "-=+?".contains(*k)) else {
                    return self.err("Bad substitution");
                };
                self.bump();
                let word = self.lex_word(brace)?;
                match kind {
                    '-' => ParamOp::Default { colon, word },
                    '=' => ParamOp::Assign { colon, word },
                    '+' => ParamOp::Alt { colon, word },
                    _ => ParamOp::Error { colon, word },
                }
            }
            Some(c @ ('#' | '%')) => {
                self.bump();
                let longest = self.cur() == Some(c);
                if longest {
                    self.bump();
                }
                let pat = self.lex_word(brace)?;
                ParamOp::Trim {
                    suffix: c == '%',
                    longest,
                    pat,
                }
            }
            Some(_) => return self.err("Bad substitution"),
        };
        parts.push(Part::Param { name, op, quoted });
        Ok(())
    }

    fn lex_backquote(&mut self, quoted: bool, parts: &mut Word) -> Result<(), SyntaxError> {
        self.bump();
        let line = self.line;
        let mut text = String::new();
        loop {
            match self.bump() {
                None => return self.err("EOF in backquote substitution"),
                Some('`') => break,
                Some('\\') => match self.cur() {
                    Some(n @ ('$' | '`' | '\\')) => {
                        self.bump();
                        text.push(n);
                    }
                    Some('"') if quoted => {
                        self.bump();
                        text.push('"');
                    }
                    _ => text.push('\\'),
                },
                Some(ch) => text.push(ch),
            }
        }
        let mut sub = Parser::new(&text, line, self.depth).dialect(self.bash);
        sub.enter()?;
        let list = sub.parse_list(false)?;
        if sub.peek()? != Kind::Eof {
            return sub.unexpected(None);
        }
        parts.push(Part::Subst {
            list: Box::new(list),
            quoted,
        });
        Ok(())
    }

    fn fill(&mut self) -> Result<(), SyntaxError> {
        if self.peeked.is_none() {
            let line = self.line;
            let tok = self.lex()?;
            self.peeked = Some((tok, line));
        }
        Ok(())
    }

    fn peek(&mut self) -> Result<Kind, SyntaxError> {
        self.fill()?;
        Ok(match self.peeked.as_ref().map(|(t, _)| t) {
            Some(Tok::Word(parts, _)) => Kind::Word(plain(parts).map(str::to_string)),
            Some(Tok::Op(o)) => Kind::Op(o),
            Some(Tok::Redir(..)) => Kind::Redir,
            Some(Tok::Newline) => Kind::Newline,
            Some(Tok::Eof) | None => Kind::Eof,
        })
    }

    fn take_tok(&mut self) -> Result<Tok, SyntaxError> {
        self.fill()?;
        Ok(self.peeked.take().map_or(Tok::Eof, |(t, _)| t))
    }

    fn peek_line(&mut self) -> Result<usize, SyntaxError> {
        self.fill()?;
        Ok(self.peeked.as_ref().map_or(self.line, |(_, l)| *l))
    }

    fn is_kw(&mut self, kw: &str) -> Result<bool, SyntaxError> {
        Ok(matches!(self.peek()?, Kind::Word(Some(w)) if w == kw))
    }

    fn expect_kw(&mut self, kw: &str) -> Result<(), SyntaxError> {
        if self.is_kw(kw)? {
            self.take_tok()?;
            Ok(())
        } else {
            self.unexpected(Some(kw))
        }
    }

    fn expect_op(&mut self, op: &'static str) -> Result<(), SyntaxError> {
        if self.peek()? == Kind::Op(op) {
            self.take_tok()?;
            Ok(())
        } else {
            self.unexpected(Some(op))
        }
    }

    fn skip_newlines(&mut self) -> Result<(), SyntaxError> {
        while self.peek()? == Kind::Newline {
            self.take_tok()?;
        }
        Ok(())
    }

    fn unexpected<T>(&mut self, expecting: Option<&str>) -> Result<T, SyntaxError> {
        self.fill()?;
        let what = match self.peeked.as_ref().map(|(t, _)| t) {
            Some(Tok::Word(_, raw)) => format!("\"{raw}\""),
            Some(Tok::Op(o) | Tok::Redir(_, o)) => format!("\"{o}\""),
            Some(Tok::Newline) => "newline".to_string(),
            Some(Tok::Eof) | None => "end of file".to_string(),
        };
        match expecting {
            Some(e) => self.err(format!("{what} unexpected (expecting \"{e}\")")),
            None => self.err(format!("{what} unexpected")),
        }
    }

    // ----- grammar -----

    fn parse_program(&mut self) -> Script {
        let mut lines = Vec::new();
        loop {
            match self.parse_line() {
                Ok(Some(list)) => lines.push(list),
                Ok(None) => return Script { lines, error: None },
                Err(e) => {
                    return Script {
                        lines,
                        error: Some(e),
                    }
                }
            }
        }
    }

    fn parse_line(&mut self) -> Result<Option<List>, SyntaxError> {
        self.skip_newlines()?;
        if self.peek()? == Kind::Eof {
            return Ok(None);
        }
        let list = self.parse_list(true)?;
        match self.peek()? {
            Kind::Newline => {
                self.take_tok()?;
            }
            Kind::Eof => {}
            _ => return self.unexpected(None),
        }
        Ok(Some(list))
    }

    /// A list of and-or items. At the top level it stops at a newline, so that each line
    /// is parsed (and run) on its own, as dash does.
    fn parse_list(&mut self, top: bool) -> Result<List, SyntaxError> {
        let mut items = Vec::new();
        loop {
            if !top {
                self.skip_newlines()?;
            }
            match self.peek()? {
                Kind::Eof | Kind::Newline | Kind::Op(")" | ";;") => break,
                Kind::Word(Some(w)) if LIST_ENDS.contains(&w.as_str()) => break,
                _ => {}
            }
            let and_or = self.parse_and_or()?;
            match self.peek()? {
                Kind::Op(op @ (";" | "&")) => {
                    self.take_tok()?;
                    items.push(Item {
                        and_or,
                        background: op == "&",
                    });
                }
                Kind::Newline if !top => {
                    self.take_tok()?;
                    items.push(Item {
                        and_or,
                        background: false,
                    });
                }
                _ => {
                    items.push(Item {
                        and_or,
                        background: false,
                    });
                    break;
                }
            }
        }
        Ok(List { items })
    }

    fn parse_body(&mut self, expecting: &str) -> Result<List, SyntaxError> {
        let list = self.parse_list(false)?;
        if list.items.is_empty() {
            let hint = (self.peek()? == Kind::Eof).then_some(expecting);
            return self.unexpected(hint);
        }
        Ok(list)
    }

    fn parse_and_or(&mut self) -> Result<AndOr, SyntaxError> {
        let first = self.parse_pipeline()?;
        let mut rest = Vec::new();
        loop {
            let and = match self.peek()? {
                Kind::Op("&&") => true,
                Kind::Op("||") => false,
                _ => break,
            };
            self.take_tok()?;
            self.skip_newlines()?;
            rest.push((and, self.parse_pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn parse_pipeline(&mut self) -> Result<Pipeline, SyntaxError> {
        let bang = self.is_kw("!")?;
        if bang {
            self.take_tok()?;
        }
        let mut cmds = vec![self.parse_command()?];
        while self.peek()? == Kind::Op("|") {
            self.take_tok()?;
            self.skip_newlines()?;
            cmds.push(self.parse_command()?);
        }
        Ok(Pipeline { bang, cmds })
    }

    fn parse_command(&mut self) -> Result<Command, SyntaxError> {
        self.enter()?;
        let r = self.parse_command_inner();
        self.leave();
        r
    }

    fn parse_command_inner(&mut self) -> Result<Command, SyntaxError> {
        let line = self.peek_line()?;
        let cmd = match self.peek()? {
            Kind::Word(Some(w)) => match w.as_str() {
                "if" => self.parse_if()?,
                "while" => self.parse_loop(false)?,
                "until" => self.parse_loop(true)?,
                "for" => self.parse_for()?,
                "case" => self.parse_case()?,
                "{" => {
                    self.take_tok()?;
                    let list = self.parse_body("}")?;
                    self.expect_kw("}")?;
                    Cmd::Group(list)
                }
                kw if LIST_ENDS.contains(&kw) => return self.unexpected(None),
                _ => return self.parse_simple(line),
            },
            Kind::Word(None) | Kind::Redir => return self.parse_simple(line),
            Kind::Op("(") => {
                self.take_tok()?;
                let list = self.parse_body(")")?;
                self.expect_op(")")?;
                Cmd::Subshell(list)
            }
            _ => return self.unexpected(None),
        };
        let mut redirs = Vec::new();
        while self.peek()? == Kind::Redir {
            redirs.push(self.parse_redir()?);
        }
        Ok(Command { cmd, redirs, line })
    }

    fn parse_simple(&mut self, line: usize) -> Result<Command, SyntaxError> {
        let mut assigns = Vec::new();
        let mut arrays = Vec::new();
        let mut words = Vec::new();
        let mut redirs = Vec::new();
        loop {
            match self.peek()? {
                Kind::Word(_) => {
                    let Tok::Word(parts, _) = self.take_tok()? else {
                        break;
                    };
                    if words.is_empty() {
                        match split_assignment(parts, self.bash) {
                            Ok((name, value))
                                if self.bash
                                    && value.is_empty()
                                    && self.peek()? == Kind::Op("(") =>
                            {
                                // bash's `name=(word ...)`: an indexed array.
                                self.take_tok()?;
                                let mut items = Vec::new();
                                loop {
                                    self.skip_newlines()?;
                                    match self.peek()? {
                                        Kind::Op(")") => {
                                            self.take_tok()?;
                                            break;
                                        }
                                        Kind::Word(_) => {
                                            if let Tok::Word(w, _) = self.take_tok()? {
                                                items.push(w);
                                            }
                                        }
                                        _ => return self.unexpected(None),
                                    }
                                }
                                arrays.push((name, items));
                            }
                            Ok(a) => assigns.push(a),
                            Err(parts) => words.push(parts),
                        }
                    } else {
                        words.push(parts);
                    }
                }
                Kind::Redir => redirs.push(self.parse_redir()?),
                _ => break,
            }
        }
        if words.len() == 1
            && assigns.is_empty()
            && arrays.is_empty()
            && redirs.is_empty()
            && self.peek()? == Kind::Op("(")
        {
            let name = words
                .first()
                .and_then(|w| plain(w))
                .filter(|n| !n.contains('/'))
                .map(str::to_string);
            let Some(name) = name else {
                return self.unexpected(None);
            };
            self.take_tok()?;
            self.expect_op(")")?;
            self.skip_newlines()?;
            let body = self.parse_command()?;
            return Ok(Command {
                cmd: Cmd::Func {
                    name,
                    body: Rc::new(body),
                },
                redirs: Vec::new(),
                line,
            });
        }
        if words.is_empty() && assigns.is_empty() && arrays.is_empty() && redirs.is_empty() {
            return self.unexpected(None);
        }
        Ok(Command {
            cmd: Cmd::Simple(Simple {
                assigns,
                arrays,
                words,
            }),
            redirs,
            line,
        })
    }

    fn parse_redir(&mut self) -> Result<Redir, SyntaxError> {
        let Tok::Redir(fd, op) = self.take_tok()? else {
            return self.unexpected(None);
        };
        let Kind::Word(_) = self.peek()? else {
            return self.unexpected(None);
        };
        let Tok::Word(target, _) = self.take_tok()? else {
            return self.unexpected(None);
        };
        Ok(match op {
            "<<" | "<<-" => {
                self.heredocs += 1;
                if self.heredocs > MAX_HEREDOCS {
                    return self.err("too many here-documents");
                }
                let (delim, quoted_delim) = heredoc_delim(&target);
                let body = self.read_heredoc(&delim, op == "<<-");
                let body = if quoted_delim {
                    vec![Part::QLit(body)]
                } else {
                    Parser::new(&body, self.line, self.depth)
                        .dialect(self.bash)
                        .lex_word(Mode::Text)?
                };
                Redir::Here {
                    fd: fd.unwrap_or(0),
                    body,
                    newline: false,
                }
            }
            "<<<" => Redir::Here {
                fd: fd.unwrap_or(0),
                body: target,
                newline: true,
            },
            "<" | "<>" => Redir::In {
                fd: fd.unwrap_or(0),
                target,
            },
            "<&" => Redir::Dup {
                fd: fd.unwrap_or(0),
                target,
            },
            ">&" => Redir::Dup {
                fd: fd.unwrap_or(1),
                target,
            },
            "&>" | "&>>" => Redir::Both {
                target,
                append: op == "&>>",
            },
            _ => Redir::Out {
                fd: fd.unwrap_or(1),
                target,
                append: op == ">>",
            },
        })
    }

    /// Cuts the body of a here-document out of the source: it starts after the next
    /// newline and ends at the delimiter line.
    fn read_heredoc(&mut self, delim: &str, strip_tabs: bool) -> String {
        let len = self.src.len();
        let Some(nl) = (self.pos..len).find(|&i| self.src.get(i) == Some(&'\n')) else {
            return String::new();
        };
        let mut body = String::new();
        let mut i = nl + 1;
        let mut removed = 0;
        while i < len {
            let end = (i..len)
                .find(|&j| self.src.get(j) == Some(&'\n'))
                .unwrap_or(len);
            let text: String = self
                .src
                .get(i..end)
                .map(|s| s.iter().collect())
                .unwrap_or_default();
            let text = if strip_tabs {
                text.trim_start_matches('\t').to_string()
            } else {
                text
            };
            i = (end + 1).min(len);
            removed += 1;
            if text == delim {
                break;
            }
            body.push_str(&text);
            body.push('\n');
        }
        let start = (nl + 1).min(len);
        let stop = i.clamp(start, len);
        self.src.drain(start..stop);
        *self.extra_lines.entry(nl).or_insert(0) += removed;
        body
    }

    fn parse_if(&mut self) -> Result<Cmd, SyntaxError> {
        self.take_tok()?;
        let mut arms = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.parse_body("then")?;
            self.expect_kw("then")?;
            let body = self.parse_body("fi")?;
            arms.push((cond, body));
            if self.is_kw("elif")? {
                self.take_tok()?;
                continue;
            }
            if self.is_kw("else")? {
                self.take_tok()?;
                otherwise = Some(self.parse_body("fi")?);
            }
            break;
        }
        self.expect_kw("fi")?;
        Ok(Cmd::If { arms, otherwise })
    }

    fn parse_loop(&mut self, until: bool) -> Result<Cmd, SyntaxError> {
        self.take_tok()?;
        let cond = self.parse_body("do")?;
        self.expect_kw("do")?;
        let body = self.parse_body("done")?;
        self.expect_kw("done")?;
        Ok(Cmd::Loop { until, cond, body })
    }

    fn parse_for(&mut self) -> Result<Cmd, SyntaxError> {
        self.take_tok()?;
        let var = match self.take_tok()? {
            Tok::Word(parts, _) => plain(&parts).filter(|n| is_name(n)).map(str::to_string),
            _ => None,
        };
        let Some(var) = var else {
            return self.err("Bad for loop variable");
        };
        self.skip_newlines()?;
        let mut items = None;
        if self.is_kw("in")? {
            self.take_tok()?;
            let mut words = Vec::new();
            while let Kind::Word(_) = self.peek()? {
                if let Tok::Word(parts, _) = self.take_tok()? {
                    words.push(parts);
                }
            }
            match self.peek()? {
                Kind::Op(";") | Kind::Newline => {
                    self.take_tok()?;
                }
                _ => return self.unexpected(Some("do")),
            }
            items = Some(words);
        } else if self.peek()? == Kind::Op(";") {
            self.take_tok()?;
        }
        self.skip_newlines()?;
        self.expect_kw("do")?;
        let body = self.parse_body("done")?;
        self.expect_kw("done")?;
        Ok(Cmd::For { var, items, body })
    }

    fn parse_case(&mut self) -> Result<Cmd, SyntaxError> {
        self.take_tok()?;
        let Kind::Word(_) = self.peek()? else {
            return self.unexpected(None);
        };
        let Tok::Word(word, _) = self.take_tok()? else {
            return self.unexpected(None);
        };
        self.skip_newlines()?;
        self.expect_kw("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.is_kw("esac")? {
                self.take_tok()?;
                break;
            }
            if self.peek()? == Kind::Op("(") {
                self.take_tok()?;
            }
            let mut pats = Vec::new();
            loop {
                let kind = self.peek()?;
                if !matches!(kind, Kind::Word(_)) {
                    return self.unexpected((kind == Kind::Eof).then_some("esac"));
                }
                if let Tok::Word(p, _) = self.take_tok()? {
                    pats.push(p);
                }
                if self.peek()? == Kind::Op("|") {
                    self.take_tok()?;
                } else {
                    break;
                }
            }
            self.expect_op(")")?;
            let body = self.parse_list(false)?;
            arms.push((pats, body));
            match self.peek()? {
                Kind::Op(";;") => {
                    self.take_tok()?;
                }
                Kind::Word(Some(w)) if w == "esac" => {
                    self.take_tok()?;
                    break;
                }
                _ => return self.unexpected(Some("esac")),
            }
        }
        Ok(Cmd::Case { word, arms })
    }
}

// ---------------------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
enum ArithError {
    DivZero,
    Syntax(&'static str),
    Illegal(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ATok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const ARITH_OPS: &[&str] = &[
    "<<=", ">>=", "**", "<=", ">=", "==", "!=", "&&", "||", "<<", ">>", "+=", "-=", "*=", "/=",
    "%=", "&=", "^=", "|=", "+", "-", "*", "/", "%", "<", ">", "=", "!", "~", "&", "^", "|", "?",
    ":", "(", ")",
];

#[derive(Debug)]
enum AExpr {
    Num(i64),
    Var(String),
    Unary(&'static str, Box<AExpr>),
    Binary(&'static str, Box<AExpr>, Box<AExpr>),
    Cond(Box<AExpr>, Box<AExpr>, Box<AExpr>),
    Assign(String, &'static str, Box<AExpr>),
}

/// Parses an integer the way the shell does: decimal, `0x` hex or leading-zero octal,
/// with an optional sign. Overflow wraps.
fn parse_int_literal(s: &str) -> Option<i64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (radix, digits) =
        if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, h)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, body.get(1..).unwrap_or(""))
        } else {
            (10, body)
        };
    if digits.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix)?;
        v = v.wrapping_mul(u64::from(radix)).wrapping_add(u64::from(d));
    }
    let v = v as i64;
    Some(if neg { v.wrapping_neg() } else { v })
}

fn arith_tokens(s: &str) -> Result<Vec<ATok>, ArithError> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    'outer: while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
            {
                i += 1;
            }
            let word: String = chars
                .get(start..i)
                .map(|w| w.iter().collect())
                .unwrap_or_default();
            if c.is_ascii_digit() {
                match parse_int_literal(&word) {
                    Some(n) => out.push(ATok::Num(n)),
                    None => return Err(ArithError::Illegal(word)),
                }
            } else {
                out.push(ATok::Name(word));
            }
            continue;
        }
        for op in ARITH_OPS {
            if op
                .chars()
                .enumerate()
                .all(|(k, oc)| chars.get(i + k) == Some(&oc))
            {
                out.push(ATok::Op(op));
                i += op.len();
                continue 'outer;
            }
        }
        return Err(ArithError::Syntax("expecting EOF"));
    }
    Ok(out)
}

fn binop_prec(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "|" => 3,
        "^" => 4,
        "&" => 5,
        "==" | "!=" => 6,
        "<" | "<=" | ">" | ">=" => 7,
        "<<" | ">>" => 8,
        "+" | "-" => 9,
        "*" | "/" | "%" => 10,
        "**" => 11,
        _ => return None,
    })
}

struct AParser {
    toks: Vec<ATok>,
    p: usize,
    depth: usize,
}

impl AParser {
    fn peek_op(&self) -> Option<&'static str> {
        match self.toks.get(self.p) {
            Some(ATok::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn deeper(&mut self) -> Result<(), ArithError> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return Err(ArithError::Syntax("expression too deeply nested"));
        }
        Ok(())
    }

    fn assign(&mut self) -> Result<AExpr, ArithError> {
        self.deeper()?;
        let r = self.assign_inner();
        self.depth -= 1;
        r
    }

    fn assign_inner(&mut self) -> Result<AExpr, ArithError> {
        if let (Some(ATok::Name(n)), Some(ATok::Op(op))) =
            (self.toks.get(self.p), self.toks.get(self.p + 1))
        {
            if op.ends_with('=') && !matches!(*op, "==" | "!=" | "<=" | ">=") {
                let (n, op) = (n.clone(), *op);
                self.p += 2;
                let rhs = self.assign()?;
                return Ok(AExpr::Assign(n, op, Box::new(rhs)));
            }
        }
        let cond = self.binary(1)?;
        if self.peek_op() != Some("?") {
            return Ok(cond);
        }
        self.p += 1;
        let yes = self.assign()?;
        if self.peek_op() != Some(":") {
            return Err(ArithError::Syntax("expecting ':'"));
        }
        self.p += 1;
        let no = self.assign()?;
        Ok(AExpr::Cond(Box::new(cond), Box::new(yes), Box::new(no)))
    }

    fn binary(&mut self, min: u8) -> Result<AExpr, ArithError> {
        let mut lhs = self.unary()?;
        while let Some(op) = self.peek_op() {
            let Some(prec) = binop_prec(op) else { break };
            if prec < min {
                break;
            }
            self.p += 1;
            // `**` is right-associative; everything else binds to the left.
            let next = if op == "**" { prec } else { prec + 1 };
            let rhs = self.binary(next)?;
            lhs = AExpr::Binary(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<AExpr, ArithError> {
        self.deeper()?;
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> Result<AExpr, ArithError> {
        match self.toks.get(self.p) {
            Some(ATok::Op(op @ ("!" | "~" | "-" | "+"))) => {
                let op = *op;
                self.p += 1;
                Ok(AExpr::Unary(op, Box::new(self.unary()?)))
            }
            Some(ATok::Num(n)) => {
                let n = *n;
                self.p += 1;
                Ok(AExpr::Num(n))
            }
            Some(ATok::Name(n)) => {
                let n = n.clone();
                self.p += 1;
                Ok(AExpr::Var(n))
            }
            Some(ATok::Op("(")) => {
                self.p += 1;
                let e = self.assign()?;
                if self.peek_op() != Some(")") {
                    return Err(ArithError::Syntax("expecting ')'"));
                }
                self.p += 1;
                Ok(e)
            }
            _ => Err(ArithError::Syntax("expecting primary")),
        }
    }
}

fn var_num(vars: &BTreeMap<String, String>, name: &str) -> Result<i64, ArithError> {
    match vars.get(name).map(|s| s.trim()) {
        None | Some("") => Ok(0),
        Some(s) => parse_int_literal(s).ok_or_else(|| ArithError::Illegal(s.to_string())),
    }
}

fn apply_binop(op: &str, x: i64, y: i64) -> Result<i64, ArithError> {
    Ok(match op {
        "+" => x.wrapping_add(y),
        "-" => x.wrapping_sub(y),
        "*" => x.wrapping_mul(y),
        "/" | "%" if y == 0 => return Err(ArithError::DivZero),
        "**" if y < 0 => return Err(ArithError::Syntax("exponent less than 0")),
        "**" => x.wrapping_pow(u32::try_from(y).unwrap_or(u32::MAX)),
        "/" => x.wrapping_div(y),
        "%" => x.wrapping_rem(y),
        "<<" => x.wrapping_shl((y & 63) as u32),
        ">>" => x.wrapping_shr((y & 63) as u32),
        "<" => i64::from(x < y),
        "<=" => i64::from(x <= y),
        ">" => i64::from(x > y),
        ">=" => i64::from(x >= y),
        "==" => i64::from(x == y),
        "!=" => i64::from(x != y),
        "&" => x & y,
        "|" => x | y,
        "^" => x ^ y,
        "&&" => i64::from(x != 0 && y != 0),
        "||" => i64::from(x != 0 || y != 0),
        _ => return Err(ArithError::Syntax("expecting EOF")),
    })
}

fn aeval(e: &AExpr, vars: &mut BTreeMap<String, String>) -> Result<i64, ArithError> {
    Ok(match e {
        AExpr::Num(n) => *n,
        AExpr::Var(n) => var_num(vars, n)?,
        AExpr::Unary(op, x) => {
            let v = aeval(x, vars)?;
            match *op {
                "!" => i64::from(v == 0),
                "~" => !v,
                "-" => v.wrapping_neg(),
                _ => v,
            }
        }
        AExpr::Binary("&&", a, b) => i64::from(aeval(a, vars)? != 0 && aeval(b, vars)? != 0),
        AExpr::Binary("||", a, b) => i64::from(aeval(a, vars)? != 0 || aeval(b, vars)? != 0),
        AExpr::Binary(op, a, b) => {
            let x = aeval(a, vars)?;
            let y = aeval(b, vars)?;
            apply_binop(op, x, y)?
        }
        AExpr::Cond(c, yes, no) => {
            if aeval(c, vars)? != 0 {
                aeval(yes, vars)?
            } else {
                aeval(no, vars)?
            }
        }
        AExpr::Assign(name, op, rhs) => {
            let r = aeval(rhs, vars)?;
            let v = if *op == "=" {
                r
            } else {
                apply_binop(op.trim_end_matches('='), var_num(vars, name)?, r)?
            };
            vars.insert(name.clone(), v.to_string());
            v
        }
    })
}

/// Evaluates `$(( text ))` (already expanded) against the shell variables.
fn arith_eval(text: &str, vars: &mut BTreeMap<String, String>) -> Result<i64, ArithError> {
    let toks = arith_tokens(text)?;
    if toks.is_empty() {
        return Ok(0);
    }
    // Left-associative chains build deep trees; a token cap keeps evaluation shallow.
    if toks.len() > MAX_ARITH_TOKENS {
        return Err(ArithError::Syntax("expression too long"));
    }
    let mut p = AParser {
        toks,
        p: 0,
        depth: 0,
    };
    let e = p.assign()?;
    if p.p < p.toks.len() {
        return Err(ArithError::Syntax("expecting EOF"));
    }
    aeval(&e, vars)
}

// ---------------------------------------------------------------------------------------
// Patterns
// ---------------------------------------------------------------------------------------

#[derive(Debug)]
enum Glob {
    Ch(char),
    Any,
    Star,
    Class {
        negate: bool,
        ranges: Vec<(char, char)>,
    },
}

fn named_class(name: &str) -> Vec<(char, char)> {
    match name {
        "digit" => vec![('0', '9')],
        "alpha" => vec![('a', 'z'), ('A', 'Z')],
        "alnum" => vec![('a', 'z'), ('A', 'Z'), ('0', '9')],
        "upper" => vec![('A', 'Z')],
        "lower" => vec![('a', 'z')],
        "xdigit" => vec![('0', '9'), ('a', 'f'), ('A', 'F')],
        "space" => vec![(' ', ' '), ('\t', '\r')],
        "blank" => vec![(' ', ' '), ('\t', '\t')],
        _ => Vec::new(),
    }
}

fn parse_class(chars: &[char], start: usize) -> Option<(Glob, usize)> {
    let mut i = start;
    let mut negate = false;
    if matches!(chars.get(i), Some('!' | '^')) {
        negate = true;
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let c = *chars.get(i)?;
        if c == ']' && !first {
            return Some((Glob::Class { negate, ranges }, i + 1));
        }
        first = false;
        if c == '[' && chars.get(i + 1) == Some(&':') {
            let rest = chars.get(i + 2..)?;
            let len = rest.windows(2).position(|w| matches!(w, [':', ']']))?;
            let name: String = rest.iter().take(len).collect();
            ranges.extend(named_class(&name));
            i += len + 4;
            continue;
        }
        let lo = if c == '\\' {
            i += 1;
            *chars.get(i)?
        } else {
            c
        };
        i += 1;
        match (chars.get(i), chars.get(i + 1)) {
            (Some('-'), Some(&hi)) if hi != ']' => {
                ranges.push((lo, hi));
                i += 2;
            }
            _ => ranges.push((lo, lo)),
        }
    }
}

fn compile_glob(p: &str) -> Vec<Glob> {
    let chars: Vec<char> = p.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        match c {
            '\\' => match chars.get(i) {
                Some(&n) => {
                    out.push(Glob::Ch(n));
                    i += 1;
                }
                None => out.push(Glob::Ch('\\')),
            },
            '*' => {
                if !matches!(out.last(), Some(Glob::Star)) {
                    out.push(Glob::Star);
                }
            }
            '?' => out.push(Glob::Any),
            '[' => match parse_class(&chars, i) {
                Some((g, next)) => {
                    out.push(g);
                    i = next;
                }
                None => out.push(Glob::Ch('[')),
            },
            _ => out.push(Glob::Ch(c)),
        }
    }
    out
}

fn glob_one(g: &Glob, c: char) -> bool {
    match g {
        Glob::Ch(x) => *x == c,
        Glob::Any => true,
        Glob::Star => false,
        Glob::Class { negate, ranges } => {
            ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negate
        }
    }
}

/// Matches iteratively (backtracking to the last `*` only), so the cost is at most
/// `pattern × text`. Each iteration burns one unit of `fuel`; `None` means the fuel ran
/// out before an answer, which the caller treats as a busy loop.
fn glob_match(pat: &[Glob], s: &[char], fuel: &mut u64) -> Option<bool> {
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        *fuel = fuel.checked_sub(1)?;
        match (pat.get(p), s.get(t)) {
            (Some(Glob::Star), _) => {
                star = Some((p, t));
                p += 1;
                continue;
            }
            (Some(g), Some(&c)) if glob_one(g, c) => {
                p += 1;
                t += 1;
                continue;
            }
            (None, None) => return Some(true),
            _ => {}
        }
        match star {
            Some((sp, st)) if st < s.len() => {
                star = Some((sp, st + 1));
                p = sp + 1;
                t = st + 1;
            }
            _ => return Some(false),
        }
    }
}

fn escape_glob(s: &str, out: &mut String) {
    for c in s.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
}

// ---------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------

/// Appends as much of `s` as fits in `cap` bytes, cutting at a character boundary.
fn push_capped(buf: &mut String, s: &str, cap: usize) {
    if buf.len() + s.len() <= cap {
        buf.push_str(s);
        return;
    }
    for c in s.chars() {
        if buf.len() + c.len_utf8() > cap {
            break;
        }
        buf.push(c);
    }
}

fn capped(s: String) -> String {
    if s.len() <= MAX_STRING {
        return s;
    }
    let mut out = String::new();
    push_capped(&mut out, &s, MAX_STRING);
    out
}

/// Decodes one backslash escape whose backslash sits just before `i`.
/// Returns the text, the index after the escape, and whether output must stop (`\c`).
fn unescape_one(chars: &[char], i: usize, echo_style: bool) -> (String, usize, bool) {
    let Some(&c) = chars.get(i) else {
        return ("\\".to_string(), i, false);
    };
    let simple = match c {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        'f' => Some('\x0c'),
        'v' => Some('\x0b'),
        'e' => Some('\x1b'),
        '\\' => Some('\\'),
        '"' if !echo_style => Some('"'),
        _ => None,
    };
    if let Some(ch) = simple {
        return (ch.to_string(), i + 1, false);
    }
    match c {
        'c' => (String::new(), i + 1, true),
        '0'..='7' => {
            // echo and %b want `\0NNN`; printf formats take `\NNN`.
            let start = if echo_style {
                if c != '0' {
                    return (format!("\\{c}"), i + 1, false);
                }
                i + 1
            } else {
                i
            };
            let mut v: u32 = 0;
            let mut j = start;
            while j < start + 3 {
                match chars.get(j).and_then(|d| d.to_digit(8)) {
                    Some(d) => {
                        v = v * 8 + d;
                        j += 1;
                    }
                    None => break,
                }
            }
            let ch = char::from_u32(v & 0xff)
                .map(String::from)
                .unwrap_or_default();
            (ch, j, false)
        }
        'x' => {
            let mut v: u32 = 0;
            let mut j = i + 1;
            while j < i + 3 {
                match chars.get(j).and_then(|d| d.to_digit(16)) {
                    Some(d) => {
                        v = v * 16 + d;
                        j += 1;
                    }
                    None => break,
                }
            }
            if j == i + 1 {
                return ("\\x".to_string(), i + 1, false);
            }
            let ch = char::from_u32(v).map(String::from).unwrap_or_default();
            (ch, j, false)
        }
        _ => (format!("\\{c}"), i + 1, false),
    }
}

/// Interprets backslash escapes (`echo -e`, `printf %b`). Returns the text and whether
/// `\c` asked to stop all further output.
fn unescape(s: &str) -> (String, bool) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c != '\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let (text, next, stop) = unescape_one(&chars, i + 1, true);
        out.push_str(&text);
        i = next;
        if stop {
            return (out, true);
        }
    }
    (out, false)
}

fn pad(s: &str, width: usize, left: bool) -> String {
    let len = s.chars().count();
    if len >= width {
        return s.to_string();
    }
    let fill = " ".repeat(width - len);
    if left {
        format!("{s}{fill}")
    } else {
        format!("{fill}{s}")
    }
}

fn pad_number(sign: &str, digits: &str, width: usize, flags: &str, has_precision: bool) -> String {
    let len = sign.len() + digits.len();
    if width <= len {
        return format!("{sign}{digits}");
    }
    if flags.contains('-') {
        format!("{sign}{digits}{}", " ".repeat(width - len))
    } else if flags.contains('0') && !has_precision {
        format!("{sign}{}{digits}", "0".repeat(width - len))
    } else {
        format!("{}{sign}{digits}", " ".repeat(width - len))
    }
}

/// A number argument of printf: decimal/hex/octal, or `'c` for a character code.
fn printf_number(s: &str) -> Option<i64> {
    let t = s.trim_start();
    if t.is_empty() {
        return Some(0);
    }
    if let Some(rest) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
        return Some(rest.chars().next().map_or(0, |c| i64::from(u32::from(c))));
    }
    parse_int_literal(t)
}

fn sleep_ms(arg: &str) -> Option<Option<u64>> {
    let lower = arg.to_ascii_lowercase();
    if lower == "infinity" || lower == "inf" {
        return Some(None);
    }
    let (num, mult): (&str, u128) = match arg.chars().last() {
        Some('s') => (arg.get(..arg.len() - 1)?, 1_000),
        Some('m') => (arg.get(..arg.len() - 1)?, 60_000),
        Some('h') => (arg.get(..arg.len() - 1)?, 3_600_000),
        Some('d') => (arg.get(..arg.len() - 1)?, 86_400_000),
        _ => (arg, 1_000),
    };
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let mut whole: u128 = 0;
    for d in int.chars().filter_map(|c| c.to_digit(10)) {
        whole = whole.saturating_mul(10).saturating_add(u128::from(d));
    }
    let mut frac_v: u128 = 0;
    let mut scale: u128 = 1;
    for d in frac.chars().take(9).filter_map(|c| c.to_digit(10)) {
        frac_v = frac_v * 10 + u128::from(d);
        scale *= 10;
    }
    // Fractions of a millisecond round up, like sleep(1) which never sleeps too short.
    let ms = whole
        .saturating_mul(mult)
        .saturating_add((frac_v * mult).div_ceil(scale));
    Some(Some(u64::try_from(ms).unwrap_or(u64::MAX)))
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn format_date(epoch: i64, fmt: &str) -> String {
    const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    // About ±100,000 years keeps the calendar arithmetic far from overflow.
    let epoch = epoch.clamp(-3_000_000_000_000, 3_000_000_000_000);
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (secs / 3_600, secs / 60 % 60, secs % 60);
    let weekday = usize::try_from((days + 4).rem_euclid(7)).unwrap_or(0);
    let wname = WEEKDAYS.get(weekday).copied().unwrap_or("Sun");
    let mname = MONTHS
        .get(usize::try_from(m).unwrap_or(1).saturating_sub(1))
        .copied()
        .unwrap_or("Jan");
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let piece = match chars.next() {
            Some('Y') => y.to_string(),
            Some('y') => format!("{:02}", y.rem_euclid(100)),
            Some('m') => format!("{m:02}"),
            Some('d') => format!("{d:02}"),
            Some('e') => format!("{d:2}"),
            Some('H') => format!("{hh:02}"),
            Some('M') => format!("{mm:02}"),
            Some('S') => format!("{ss:02}"),
            Some('s') => epoch.to_string(),
            Some('F') => format!("{y}-{m:02}-{d:02}"),
            Some('T') => format!("{hh:02}:{mm:02}:{ss:02}"),
            Some('R') => format!("{hh:02}:{mm:02}"),
            Some('D') => format!("{m:02}/{d:02}/{:02}", y.rem_euclid(100)),
            Some('Z') => "UTC".to_string(),
            Some('z') => "+0000".to_string(),
            Some('a') => wname.to_string(),
            Some('b' | 'h') => mname.to_string(),
            Some('n') => "\n".to_string(),
            Some('t') => "\t".to_string(),
            Some('%') => "%".to_string(),
            Some(o) => format!("%{o}"),
            None => "%".to_string(),
        };
        out.push_str(&piece);
    }
    out
}

const TEST_UNARY: [&str; 21] = [
    "-z", "-n", "-e", "-f", "-d", "-r", "-w", "-x", "-s", "-L", "-h", "-p", "-S", "-b", "-c", "-t",
    "-g", "-u", "-k", "-O", "-G",
];
const TEST_BINARY: [&str; 16] = [
    "=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", "-a",
    "-o",
];

fn test_int(s: &str) -> Result<i64, String> {
    s.trim()
        .parse::<i64>()
        .map_err(|_| format!("Illegal number: {s}"))
}

/// `expr`'s little grammar, evaluated while parsing.
struct ExprParser<'a> {
    a: &'a [String],
    p: usize,
    depth: usize,
}

fn expr_truthy(s: &str) -> bool {
    !(s.is_empty() || s.parse::<i64>() == Ok(0))
}

impl ExprParser<'_> {
    fn peek(&self) -> Option<&str> {
        self.a.get(self.p).map(String::as_str)
    }

    fn or(&mut self) -> Result<String, String> {
        let mut l = self.and()?;
        while self.peek() == Some("|") {
            self.p += 1;
            let r = self.and()?;
            l = if expr_truthy(&l) {
                l
            } else if expr_truthy(&r) {
                r
            } else {
                "0".to_string()
            };
        }
        Ok(l)
    }

    fn and(&mut self) -> Result<String, String> {
        let mut l = self.cmp()?;
        while self.peek() == Some("&") {
            self.p += 1;
            let r = self.cmp()?;
            if !(expr_truthy(&l) && expr_truthy(&r)) {
                l = "0".to_string();
            }
        }
        Ok(l)
    }

    fn cmp(&mut self) -> Result<String, String> {
        let mut l = self.add()?;
        while let Some(op) = self
            .peek()
            .filter(|o| matches!(*o, "=" | "==" | "!=" | "<" | "<=" | ">" | ">="))
            .map(str::to_string)
        {
            self.p += 1;
            let r = self.add()?;
            let ord = match (l.parse::<i64>(), r.parse::<i64>()) {
                (Ok(a), Ok(b)) => a.cmp(&b),
                _ => l.cmp(&r),
            };
            let v = match op.as_str() {
                "=" | "==" => ord.is_eq(),
                "!=" => ord.is_ne(),
                "<" => ord.is_lt(),
                "<=" => ord.is_le(),
                ">" => ord.is_gt(),
                _ => ord.is_ge(),
            };
            l = if v { "1" } else { "0" }.to_string();
        }
        Ok(l)
    }

    fn int(s: &str) -> Result<i64, String> {
        s.parse::<i64>()
            .map_err(|_| "non-integer argument".to_string())
    }

    fn add(&mut self) -> Result<String, String> {
        let mut l = self.mul()?;
        while let Some(op) = self
            .peek()
            .filter(|o| matches!(*o, "+" | "-"))
            .map(str::to_string)
        {
            self.p += 1;
            let r = self.mul()?;
            let (a, b) = (Self::int(&l)?, Self::int(&r)?);
            l = if op == "+" {
                a.wrapping_add(b)
            } else {
                a.wrapping_sub(b)
            }
            .to_string();
        }
        Ok(l)
    }

    fn mul(&mut self) -> Result<String, String> {
        let mut l = self.primary()?;
        while let Some(op) = self
            .peek()
            .filter(|o| matches!(*o, "*" | "/" | "%"))
            .map(str::to_string)
        {
            self.p += 1;
            let r = self.primary()?;
            let (a, b) = (Self::int(&l)?, Self::int(&r)?);
            l = match op.as_str() {
                "*" => a.wrapping_mul(b),
                _ if b == 0 => return Err("division by zero".to_string()),
                "/" => a.wrapping_div(b),
                _ => a.wrapping_rem(b),
            }
            .to_string();
        }
        Ok(l)
    }

    fn primary(&mut self) -> Result<String, String> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return Err("expression too deeply nested".to_string());
        }
        let r = match self.peek().map(str::to_string) {
            None => Err("syntax error: missing argument".to_string()),
            Some(t) if t == "(" => {
                self.p += 1;
                let v = self.or()?;
                if self.peek() != Some(")") {
                    return Err("syntax error: expecting ')'".to_string());
                }
                self.p += 1;
                Ok(v)
            }
            Some(t) if t == "length" && self.a.get(self.p + 1).is_some() => {
                self.p += 1;
                let v = self.primary()?;
                Ok(v.chars().count().to_string())
            }
            Some(t) => {
                self.p += 1;
                Ok(t)
            }
        };
        self.depth -= 1;
        r
    }
}

// ---------------------------------------------------------------------------------------
// Interpreter
// ---------------------------------------------------------------------------------------

/// Why evaluation stopped going forward normally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Exit(i32),
    Break(usize),
    Continue(usize),
    Return(i32),
    /// The process never ends: a server, `sleep infinity`, a busy loop, past the horizon.
    Forever,
}

type Res = Result<i32, Flow>;

/// Where a file descriptor writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sink {
    Out,
    Err,
    Discard,
    Capture(usize),
    /// A file the process writes, by index into `Shell::file_slots`.
    File(usize),
}

/// Everything a subshell copies and throws away.
#[derive(Debug, Clone)]
struct Scope {
    vars: BTreeMap<String, String>,
    exported: BTreeSet<String>,
    positional: Vec<String>,
    arg0: String,
    errexit: bool,
    xtrace: bool,
    funcs: BTreeMap<String, Rc<Command>>,
    last_status: i32,
    last_bg: Option<u32>,
    /// Inside a shell script (as opposed to running argv as a program).
    in_script: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Job {
    pid: u32,
    /// `None` when the job never ends.
    end: Option<(u64, i32)>,
}

impl Scope {
    /// Equality for loop detection; functions compare by identity of their definition.
    fn same_as(&self, other: &Scope) -> bool {
        self.vars == other.vars
            && self.exported == other.exported
            && self.positional == other.positional
            && self.arg0 == other.arg0
            && self.errexit == other.errexit
            && self.xtrace == other.xtrace
            && self.last_status == other.last_status
            && self.last_bg == other.last_bg
            && self.in_script == other.in_script
            && self.funcs.len() == other.funcs.len()
            && self
                .funcs
                .iter()
                .zip(other.funcs.iter())
                .all(|((ka, va), (kb, vb))| ka == kb && Rc::ptr_eq(va, vb))
    }
}

/// What decides the future of a `while` loop at the top of an iteration. Two equal
/// snapshots with nothing clock-dependent (`taint`) and no kept output (`kept`) in between
/// mean the loop repeats forever: the clock is the only thing that moved, and only
/// clock-dependent work could observe it.
struct Snapshot {
    scope: Scope,
    stdin: String,
    fds: (Sink, Sink),
    captures: Vec<String>,
    partial: (String, String),
    jobs: Vec<Job>,
    next_pid: u32,
    taint: u64,
    kept: u64,
}

impl Snapshot {
    fn same_as(&self, o: &Snapshot) -> bool {
        self.taint == o.taint
            && self.kept == o.kept
            && self.fds == o.fds
            && self.next_pid == o.next_pid
            && self.stdin == o.stdin
            && self.partial == o.partial
            && self.captures == o.captures
            && self.jobs == o.jobs
            && self.scope.same_as(&o.scope)
    }
}

/// One segment of an expanded word.
enum Seg {
    Text {
        s: String,
        quoted: bool,
        split: bool,
    },
    /// Between the fields of `"$@"`.
    Break,
}

/// Builds fields from segments, splitting unquoted expansions on IFS.
#[derive(Default)]
struct Fields {
    out: Vec<String>,
    cur: String,
    active: bool,
    after_ws: bool,
}

impl Fields {
    fn literal(&mut self, s: &str, quoted: bool) {
        self.cur.push_str(s);
        if quoted || !s.is_empty() {
            self.active = true;
            self.after_ws = false;
        }
    }

    fn split(&mut self, s: &str, ifs: &str) {
        for c in s.chars() {
            if !ifs.contains(c) {
                self.cur.push(c);
                self.active = true;
                self.after_ws = false;
            } else if matches!(c, ' ' | '\t' | '\n') {
                if self.active {
                    self.out.push(std::mem::take(&mut self.cur));
                    self.active = false;
                    self.after_ws = true;
                }
            } else {
                if self.active || !self.after_ws {
                    self.out.push(std::mem::take(&mut self.cur));
                }
                self.active = false;
                self.after_ws = false;
            }
        }
    }

    fn field_break(&mut self) {
        if self.active {
            self.out.push(std::mem::take(&mut self.cur));
            self.active = false;
        }
    }

    fn done(mut self) -> Vec<String> {
        if self.active {
            self.out.push(self.cur);
        }
        self.out
    }
}

struct Shell<'h> {
    scope: Scope,
    host: &'h mut dyn Host,
    limits: Limits,
    unknown: UnknownProgram,
    clock: u64,
    steps: u64,
    budget: u64,
    /// The earliest lines in time, keyed by (time, sequence) so ties keep write order.
    output: BTreeMap<(u64, u64), OutputLine>,
    output_seq: u64,
    output_bytes: usize,
    partial_out: String,
    partial_err: String,
    captures: Vec<String>,
    /// Some text was cut at a bound (a pipe or `$(…)` past [`MAX_CAPTURE`], a string past
    /// [`MAX_STRING`]): the run says so on stderr rather than give a silently short answer.
    clipped: bool,
    fd1: Sink,
    fd2: Sink,
    stdin: String,
    line: usize,
    no_errexit: u32,
    depth: usize,
    loop_depth: usize,
    jobs: Vec<Job>,
    next_pid: u32,
    subst_status: Option<i32>,
    /// Bytes written since the last charge.
    pending_bytes: usize,
    /// Counts work whose result depends on the clock or on the host (for loop detection).
    taint: u64,
    /// Counts output lines that were kept when recorded (for loop detection).
    kept: u64,
    /// The running shell is bash (or ksh/zsh): its scripts may use indexed arrays.
    bash: bool,
    /// Files written or removed by the process (see [`Run::files`]).
    files: BTreeMap<String, Option<String>>,
    /// When they changed (see [`Run::file_log`]), and the content bytes copied into it.
    file_log: Vec<FileChange>,
    file_log_bytes: usize,
    /// Files whose changes no longer fit the log: the last time each was written.
    file_log_overflow: BTreeMap<String, u64>,
    /// Paths of the files redirections write to (`Sink::File` indexes this).
    file_slots: Vec<String>,
    /// Directories the process made.
    dirs: BTreeSet<String>,
}

fn is_shell(name: &str) -> bool {
    matches!(
        name,
        "sh" | "bash" | "ash" | "dash" | "ksh" | "zsh" | "mksh"
    )
}

impl<'h> Shell<'h> {
    fn new(
        env: &BTreeMap<String, String>,
        unknown: UnknownProgram,
        host: &'h mut dyn Host,
        limits: Limits,
    ) -> Self {
        let vars: BTreeMap<String, String> = env
            .iter()
            .take(MAX_VARS)
            .map(|(k, v)| (k.clone(), capped(v.clone())))
            .collect();
        let exported = vars.keys().cloned().collect();
        Shell {
            scope: Scope {
                vars,
                exported,
                positional: Vec::new(),
                arg0: "sh".to_string(),
                errexit: false,
                xtrace: false,
                funcs: BTreeMap::new(),
                last_status: 0,
                last_bg: None,
                in_script: false,
            },
            host,
            limits,
            unknown,
            clock: 0,
            steps: 0,
            budget: limits.max_steps,
            output: BTreeMap::new(),
            output_seq: 0,
            output_bytes: 0,
            partial_out: String::new(),
            partial_err: String::new(),
            captures: Vec::new(),
            clipped: false,
            fd1: Sink::Out,
            fd2: Sink::Err,
            stdin: String::new(),
            line: 1,
            no_errexit: 0,
            depth: 0,
            loop_depth: 0,
            jobs: Vec::new(),
            next_pid: 100,
            subst_status: None,
            pending_bytes: 0,
            taint: 0,
            bash: false,
            files: BTreeMap::new(),
            file_log: Vec::new(),
            file_log_bytes: 0,
            file_log_overflow: BTreeMap::new(),
            file_slots: Vec::new(),
            dirs: BTreeSet::new(),
            kept: 0,
        }
    }

    fn finish(mut self, result: Res) -> Run {
        let end = match result {
            Ok(code) | Err(Flow::Exit(code) | Flow::Return(code)) => End::Exit {
                at_ms: self.clock,
                code,
            },
            Err(Flow::Break(_) | Flow::Continue(_)) => End::Exit {
                at_ms: self.clock,
                code: self.scope.last_status,
            },
            Err(Flow::Forever) => End::Forever,
        };
        let out = std::mem::take(&mut self.partial_out);
        if !out.is_empty() {
            self.record(Stream::Stdout, out);
        }
        let err = std::mem::take(&mut self.partial_err);
        if !err.is_empty() {
            self.record(Stream::Stderr, err);
        }
        if self.clipped {
            self.record(
                Stream::Stderr,
                "sh: kubeplay: text past the simulated shell's bounds was cut (1 MiB through a pipe or $(…), 32 KiB in one word)".to_string(),
            );
        }
        let mut output: Vec<OutputLine> = std::mem::take(&mut self.output).into_values().collect();
        // Background jobs die with the container's main process.
        let mut file_log = std::mem::take(&mut self.file_log);
        // Files past the log's budget jump to their final content at their last write.
        for (path, at_ms) in std::mem::take(&mut self.file_log_overflow) {
            let content = self.files.get(&path).cloned().flatten();
            file_log.push(FileChange {
                at_ms,
                path,
                content,
            });
        }
        // A background job's changes were logged when it ran, ahead of the main shell's.
        crate::engine::sort::sort_by_key(&mut file_log, |c| c.at_ms);
        if let End::Exit { at_ms, .. } = end {
            file_log.retain(|c| c.at_ms <= at_ms);
        }
        if let End::Exit { at_ms, .. } = end {
            output.retain(|l| l.at_ms <= at_ms);
        }
        Run {
            output,
            end,
            files: std::mem::take(&mut self.files),
            file_log,
        }
    }

    // ----- bookkeeping -----

    fn charge(&mut self, n: u64) -> Result<(), Flow> {
        // Written text is paid for here, as writing itself cannot fail.
        let written = u64::try_from(self.pending_bytes / BYTES_PER_STEP).unwrap_or(u64::MAX);
        self.pending_bytes %= BYTES_PER_STEP;
        self.steps = self.steps.saturating_add(n).saturating_add(written);
        if self.steps > self.budget {
            return Err(Flow::Forever);
        }
        Ok(())
    }

    fn step(&mut self) -> Result<(), Flow> {
        self.charge(1)
    }

    fn charge_bytes(&mut self, n: usize) -> Result<(), Flow> {
        self.charge(u64::try_from(n / BYTES_PER_STEP).unwrap_or(u64::MAX))
    }

    fn advance(&mut self, ms: u64) -> Result<(), Flow> {
        let t = self.clock.saturating_add(ms);
        if t > self.limits.horizon_ms {
            return Err(Flow::Forever);
        }
        self.clock = t;
        Ok(())
    }

    fn enter(&mut self) -> Result<(), Flow> {
        if self.depth >= MAX_DEPTH {
            self.err_line("maximum nesting depth exceeded");
            return Err(Flow::Exit(2));
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Keeps a line if it is among the earliest `max_output_lines` (and 4 MiB) in time.
    fn record(&mut self, stream: Stream, text: String) {
        self.output_bytes += text.len();
        let key = (self.clock, self.output_seq);
        self.output.insert(
            key,
            OutputLine {
                at_ms: self.clock,
                stream,
                text,
            },
        );
        self.output_seq += 1;
        while self.output.len() > self.limits.max_output_lines
            || self.output_bytes > MAX_OUTPUT_BYTES
        {
            match self.output.pop_last() {
                Some((_, line)) => self.output_bytes -= line.text.len(),
                None => break,
            }
        }
        if self.output.contains_key(&key) {
            self.kept += 1;
        }
    }

    fn emit(&mut self, stream: Stream, text: &str) {
        for (i, piece) in text.split('\n').enumerate() {
            if i > 0 {
                let line = match stream {
                    Stream::Stdout => std::mem::take(&mut self.partial_out),
                    Stream::Stderr => std::mem::take(&mut self.partial_err),
                };
                self.record(stream, line);
            }
            let partial = match stream {
                Stream::Stdout => &mut self.partial_out,
                Stream::Stderr => &mut self.partial_err,
            };
            push_capped(partial, piece, MAX_STRING);
        }
    }

    fn write(&mut self, fd: u8, text: &str) {
        if text.is_empty() {
            return;
        }
        self.pending_bytes = self.pending_bytes.saturating_add(text.len());
        let sink = if fd == 2 { self.fd2 } else { self.fd1 };
        match sink {
            Sink::Discard => {}
            Sink::Capture(i) => {
                if let Some(buf) = self.captures.get_mut(i) {
                    self.clipped |= buf.len() + text.len() > MAX_CAPTURE;
                    push_capped(buf, text, MAX_CAPTURE);
                }
            }
            Sink::Out => self.emit(Stream::Stdout, text),
            Sink::Err => self.emit(Stream::Stderr, text),
            Sink::File(i) => self.append_file(i, text),
        }
    }

    /// Appends to the file behind a `Sink::File` slot.
    fn append_file(&mut self, slot: usize, text: &str) {
        // A loop that writes a file changes state the loop detector cannot see.
        self.taint += 1;
        if let Some(path) = self.file_slots.get(slot).cloned() {
            if let Some(Some(content)) = self.files.get_mut(&path) {
                push_capped(content, text, MAX_STRING);
            }
            self.log_file(&path);
        }
    }

    /// Logs the current state of `path` at the current time (see [`Run::file_log`]); a
    /// change at the same instant as the last logged one of the same file replaces it. Every
    /// byte copied into the log counts against [`MAX_FILE_LOG_BYTES`], so a loop that appends
    /// to a big file cannot copy it over and over; past the budget a file's changes are no
    /// longer logged, only its last write time, and [`Shell::finish`] logs its final content
    /// then.
    fn log_file(&mut self, path: &str) {
        let size = self
            .files
            .get(path)
            .and_then(|c| c.as_ref())
            .map_or(0, String::len);
        let coalesce = self
            .file_log
            .last()
            .is_some_and(|l| l.at_ms == self.clock && l.path == path);
        let full = self.file_log_overflow.contains_key(path)
            || self.file_log_bytes.saturating_add(size) > MAX_FILE_LOG_BYTES
            || !coalesce && self.file_log.len() >= MAX_FILE_LOG;
        if full {
            let last = self
                .file_log_overflow
                .entry(path.to_string())
                .or_insert(self.clock);
            *last = (*last).max(self.clock);
            return;
        }
        self.file_log_bytes += size;
        let content = self.files.get(path).cloned().flatten();
        match self.file_log.last_mut() {
            Some(last) if coalesce => last.content = content,
            _ => self.file_log.push(FileChange {
                at_ms: self.clock,
                path: path.to_string(),
                content,
            }),
        }
    }

    /// Writes `text` to `path` (`>`, or `>>` with `append`), as `tee` and `cp` do.
    fn write_file(&mut self, path: &str, text: &str, append: bool) {
        if let Sink::File(slot) = self.open_write(path, append) {
            self.append_file(slot, text);
        }
    }

    fn out(&mut self, text: &str) {
        self.write(1, text);
    }

    fn err(&mut self, text: &str) {
        self.write(2, text);
    }

    /// An error message with the shell's `$0: LINE: ` prefix inside scripts.
    fn err_line(&mut self, msg: &str) {
        let text = if self.scope.in_script {
            format!("{}: {}: {msg}\n", self.scope.arg0, self.line)
        } else {
            format!("{msg}\n")
        };
        self.err(&text);
    }

    fn set_var(&mut self, name: &str, value: String) {
        if self.scope.vars.len() >= MAX_VARS && !self.scope.vars.contains_key(name) {
            return;
        }
        self.scope.vars.insert(name.to_string(), capped(value));
    }

    /// bash's `name=(values...)`: element 0 is the plain variable, element i the variable
    /// `name[i]` (a key no script can name otherwise).
    fn set_array(&mut self, name: &str, values: Vec<String>) -> Result<(), Flow> {
        self.charge(u64::try_from(values.len()).unwrap_or(u64::MAX))?;
        let prefix = format!("{name}[");
        self.scope
            .vars
            .retain(|k, _| k != name && !k.starts_with(&prefix));
        for (i, v) in values.into_iter().enumerate() {
            self.set_var(&element_key(name, i), v);
        }
        Ok(())
    }

    /// The set elements of array `name`, by index.
    fn array(&self, name: &str) -> Vec<(usize, String)> {
        let prefix = format!("{name}[");
        let mut out: Vec<(usize, String)> = self
            .scope
            .vars
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter_map(|(k, v)| {
                let i = k.strip_prefix(&prefix)?.strip_suffix(']')?.parse().ok()?;
                Some((i, v.clone()))
            })
            .collect();
        if let Some(v) = self.scope.vars.get(name) {
            out.push((0, v.clone()));
        }
        crate::engine::sort::sort_by_key(&mut out, |(i, _)| *i);
        out
    }

    /// An arithmetic subscript of array `base`; negative ones count from the end.
    fn subscript(&mut self, base: &str, sub: &str) -> Result<usize, Flow> {
        let word = match Parser::new(sub, self.line, 0)
            .dialect(true)
            .lex_word(Mode::Text)
        {
            Ok(w) => w,
            Err(_) => {
                self.err_line(&format!("{base}[{sub}]: bad array subscript"));
                return Err(Flow::Exit(1));
            }
        };
        // A subscript may hold another subscripted expansion: bound the nesting.
        self.enter()?;
        let text = self.expand_string(&word);
        self.leave();
        let n = self.arith(&text?)?;
        if n >= 0 {
            return Ok(usize::try_from(n).unwrap_or(usize::MAX));
        }
        let last = self.array(base).last().map_or(0, |(i, _)| i + 1);
        let i = i64::try_from(last).unwrap_or(i64::MAX).saturating_add(n);
        if i < 0 {
            self.err_line(&format!("{base}: bad array subscript"));
            return Err(Flow::Exit(1));
        }
        Ok(usize::try_from(i).unwrap_or(0))
    }

    fn ifs(&self) -> String {
        match self.scope.vars.get("IFS") {
            Some(v) => v.chars().take(MAX_IFS).collect(),
            None => " \t\n".to_string(),
        }
    }

    fn exported_vars(&self) -> Vec<(String, String)> {
        self.scope
            .vars
            .iter()
            .filter(|(k, _)| self.scope.exported.contains(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    fn run_unknown(&mut self) -> Res {
        match self.unknown {
            UnknownProgram::Forever => Err(Flow::Forever),
            UnknownProgram::RunFor { ms } => {
                self.advance(ms)?;
                Ok(0)
            }
        }
    }

    fn read_input(&mut self, path: &str) -> Option<String> {
        match path {
            "-" => Some(std::mem::take(&mut self.stdin)),
            "/dev/null" => Some(String::new()),
            _ => self.host_file(path),
        }
    }

    /// A file's content: what the process wrote itself, else the host's (a mounted volume),
    /// which may change over time.
    fn host_file(&mut self, path: &str) -> Option<String> {
        let path = self.absolute(path);
        if let Some(written) = self.files.get(&path) {
            return written.clone();
        }
        self.taint += 1;
        self.host.file_at(&path, self.clock).map(capped)
    }

    /// `path` made absolute against `$PWD`, with `.`, `..` and repeated slashes resolved.
    fn absolute(&self, path: &str) -> String {
        let mut parts: Vec<&str> = Vec::new();
        let cwd = self.scope.vars.get("PWD").map_or("/", String::as_str);
        let full = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("{cwd}/{path}")
        };
        for p in full.split('/') {
            match p {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                _ => parts.push(p),
            }
        }
        format!("/{}", parts.join("/"))
    }

    /// Opens `path` for writing (`>` truncates, `>>` appends) and returns its sink.
    fn open_write(&mut self, path: &str, append: bool) -> Sink {
        let path = self.absolute(path);
        if !self.files.contains_key(&path) && self.files.len() >= MAX_FILES {
            return Sink::Discard;
        }
        let existing = if append {
            self.host_file(&path).unwrap_or_default()
        } else {
            String::new()
        };
        self.taint += 1;
        self.files.insert(path.clone(), Some(existing));
        self.log_file(&path);
        let slot = match self.file_slots.iter().position(|p| *p == path) {
            Some(i) => i,
            None => {
                self.file_slots.push(path);
                self.file_slots.len() - 1
            }
        };
        Sink::File(slot)
    }

    /// `rm`, `touch`, `cp`, `mv` on the process's files.
    fn file_tool(&mut self, tool: &str, args: &[String]) -> Res {
        let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let force = args
            .iter()
            .any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('f'));
        match tool {
            "rm" => {
                let mut status = 0;
                for f in operands {
                    if self.host_file(f).is_some() {
                        self.taint += 1;
                        let path = self.absolute(f);
                        if self.files.contains_key(&path) || self.files.len() < MAX_FILES {
                            self.files.insert(path.clone(), None);
                            self.log_file(&path);
                        }
                    } else if !force {
                        self.err(&format!(
                            "rm: can't remove '{f}': No such file or directory
"
                        ));
                        status = 1;
                    }
                }
                Ok(status)
            }
            "touch" => {
                for f in operands {
                    if self.host_file(f).is_none() {
                        self.open_write(f, false);
                    }
                }
                Ok(0)
            }
            _ => {
                let (Some(src), Some(dst)) = (operands.first(), operands.last()) else {
                    self.err(&format!(
                        "{tool}: missing file operand
"
                    ));
                    return Ok(1);
                };
                if operands.len() != 2 {
                    return Ok(0);
                }
                let Some(text) = self.host_file(src) else {
                    self.err(&format!(
                        "{tool}: can't stat '{src}': No such file or directory
"
                    ));
                    return Ok(1);
                };
                let dst_path = if self.is_dir(dst) {
                    let name = src.rsplit('/').next().unwrap_or_default();
                    format!("{}/{name}", self.absolute(dst))
                } else {
                    dst.to_string()
                };
                self.write_file(&dst_path, &text, false);
                if tool == "mv" {
                    let path = self.absolute(src);
                    self.files.insert(path.clone(), None);
                    self.log_file(&path);
                }
                Ok(0)
            }
        }
    }

    /// A directory: the root, one the process made, or one that holds a known file.
    fn is_dir(&mut self, path: &str) -> bool {
        let path = self.absolute(path);
        if path == "/" || self.dirs.contains(&path) {
            return true;
        }
        let prefix = format!("{path}/");
        self.files
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    fn snapshot(&mut self) -> Result<Snapshot, Flow> {
        let extra: usize = self.captures.iter().map(String::len).sum::<usize>() + self.stdin.len();
        self.charge_bytes(extra)?;
        self.charge_scope()?;
        Ok(Snapshot {
            scope: self.scope.clone(),
            stdin: self.stdin.clone(),
            fds: (self.fd1, self.fd2),
            captures: self.captures.clone(),
            partial: (self.partial_out.clone(), self.partial_err.clone()),
            jobs: self.jobs.clone(),
            next_pid: self.next_pid,
            taint: self.taint,
            kept: self.kept,
        })
    }

    /// Copying the variables costs in proportion to their size.
    fn charge_scope(&mut self) -> Result<(), Flow> {
        let size: usize = self.scope.vars.values().map(String::len).sum();
        self.charge_bytes(size)
    }

    /// Runs `f` in a copy of the shell state: nothing but time and output leaks out.
    fn subshell(&mut self, f: impl FnOnce(&mut Self) -> Res) -> Res {
        self.enter()?;
        if let Err(e) = self.charge_scope() {
            self.leave();
            return Err(e);
        }
        let saved = self.scope.clone();
        let saved_no_errexit = self.no_errexit;
        let saved_loop = self.loop_depth;
        let r = f(self);
        self.scope = saved;
        self.no_errexit = saved_no_errexit;
        self.loop_depth = saved_loop;
        self.leave();
        match r {
            Err(Flow::Exit(n) | Flow::Return(n)) => Ok(n),
            Err(Flow::Break(_) | Flow::Continue(_)) => Ok(0),
            other => other,
        }
    }

    // ----- scripts -----

    fn invoke_shell(&mut self, argv: &[String]) -> Res {
        let mut errexit = false;
        let mut xtrace = false;
        let mut command_mode = false;
        let mut i = 1;
        while let Some(a) = argv.get(i) {
            if a == "--" || a == "-" {
                i += 1;
                break;
            }
            if a.starts_with("--") {
                i += 1;
                continue;
            }
            let (on, flags) = match (a.strip_prefix('-'), a.strip_prefix('+')) {
                (Some(f), _) if !f.is_empty() => (true, f),
                (_, Some(f)) if !f.is_empty() => (false, f),
                _ => break,
            };
            i += 1;
            for f in flags.chars() {
                match f {
                    'c' => command_mode = true,
                    'e' => errexit = on,
                    'x' => xtrace = on,
                    'o' | 'O' => i += 1,
                    _ => {}
                }
            }
        }
        let rest = argv.get(i..).unwrap_or(&[]);
        let shell_name = argv.first().cloned().unwrap_or_else(|| "sh".to_string());
        let base = shell_name.rsplit('/').next().unwrap_or_default();
        let saved_bash = self.bash;
        self.bash = matches!(base, "bash" | "ksh" | "zsh" | "mksh");
        let r = self.invoke_shell_as(argv, shell_name, rest, (command_mode, errexit, xtrace));
        self.bash = saved_bash;
        r
    }

    fn invoke_shell_as(
        &mut self,
        argv: &[String],
        shell_name: String,
        rest: &[String],
        (command_mode, errexit, xtrace): (bool, bool, bool),
    ) -> Res {
        if command_mode {
            let Some((script, params)) = rest.split_first() else {
                self.err(&format!("{shell_name}: -c requires an argument\n"));
                return Ok(2);
            };
            let arg0 = params.first().cloned().unwrap_or(shell_name);
            let positional = params.get(1..).unwrap_or(&[]).to_vec();
            return self.run_script(script, arg0, positional, errexit, xtrace);
        }
        if let Some((file, params)) = rest.split_first() {
            return match self.host_file(file) {
                Some(text) => {
                    self.run_script(&text, file.clone(), params.to_vec(), errexit, xtrace)
                }
                None => self.external(argv),
            };
        }
        // A shell without a script reads its stdin: a container has none unless it was started
        // with `stdin: true`, and then nothing ever types into it here.
        if self.limits.stdin_open {
            return Err(Flow::Forever);
        }
        Ok(0)
    }

    fn run_script(
        &mut self,
        text: &str,
        arg0: String,
        positional: Vec<String>,
        errexit: bool,
        xtrace: bool,
    ) -> Res {
        self.charge_bytes(text.len())?;
        self.charge_scope()?;
        self.enter()?;
        let vars: BTreeMap<String, String> = self.exported_vars().into_iter().collect();
        let fresh = Scope {
            vars,
            exported: self.scope.exported.clone(),
            positional,
            arg0,
            errexit,
            xtrace,
            funcs: BTreeMap::new(),
            last_status: 0,
            last_bg: None,
            in_script: true,
        };
        let saved = std::mem::replace(&mut self.scope, fresh);
        let saved_loop = std::mem::take(&mut self.loop_depth);
        let saved_no_errexit = std::mem::take(&mut self.no_errexit);
        let saved_line = self.line;
        let script = Parser::new(text, 1, 0).dialect(self.bash).parse_program();
        let r = self.exec_script(&script);
        let last = self.scope.last_status;
        self.scope = saved;
        self.loop_depth = saved_loop;
        self.no_errexit = saved_no_errexit;
        self.line = saved_line;
        self.leave();
        match r {
            Ok(code) | Err(Flow::Exit(code) | Flow::Return(code)) => Ok(code),
            Err(Flow::Break(_) | Flow::Continue(_)) => Ok(last),
            Err(Flow::Forever) => Err(Flow::Forever),
        }
    }

    fn exec_script(&mut self, script: &Script) -> Res {
        for list in &script.lines {
            self.exec_list(list)?;
        }
        if let Some(e) = &script.error {
            self.line = e.line;
            let msg = format!(
                "{}: {}: Syntax error: {}\n",
                self.scope.arg0, e.line, e.message
            );
            self.err(&msg);
            return Err(Flow::Exit(2));
        }
        Ok(self.scope.last_status)
    }

    // ----- lists and commands -----

    fn exec_list(&mut self, list: &List) -> Res {
        let mut status = 0;
        for item in &list.items {
            if item.background {
                self.spawn(&item.and_or)?;
                status = 0;
                self.scope.last_status = 0;
            } else {
                status = self.exec_and_or(&item.and_or)?;
            }
        }
        Ok(status)
    }

    fn exec_and_or(&mut self, ao: &AndOr) -> Res {
        let n = ao.rest.len();
        let mut status = self.exec_pipeline(&ao.first, n > 0)?;
        for (i, (and, p)) in ao.rest.iter().enumerate() {
            if (status == 0) == *and {
                status = self.exec_pipeline(p, i + 1 < n)?;
            }
        }
        Ok(status)
    }

    fn exec_pipeline(&mut self, p: &Pipeline, suppress: bool) -> Res {
        // `set -e` ignores failures of `!` pipelines and of all but the last in `&&`/`||`.
        let guard = suppress || p.bang;
        if guard {
            self.no_errexit += 1;
        }
        let r = match p.cmds.as_slice() {
            [only] => self.exec_command(only),
            cmds => self.exec_stages(cmds),
        };
        if guard {
            self.no_errexit = self.no_errexit.saturating_sub(1);
        }
        let mut status = r?;
        if p.bang {
            status = i32::from(status == 0);
        }
        self.scope.last_status = status;
        if !guard && status != 0 && self.scope.errexit && self.no_errexit == 0 {
            return Err(Flow::Exit(status));
        }
        Ok(status)
    }

    fn exec_stages(&mut self, cmds: &[Command]) -> Res {
        let start = self.clock;
        let mut end = start;
        let mut input = std::mem::take(&mut self.stdin);
        let mut status = 0;
        let n = cmds.len();
        for (i, cmd) in cmds.iter().enumerate() {
            self.clock = start;
            self.stdin = std::mem::take(&mut input);
            if i + 1 == n {
                status = self.subshell(|sh| sh.exec_command(cmd))?;
            } else {
                let idx = self.captures.len();
                self.captures.push(String::new());
                let saved = self.fd1;
                self.fd1 = Sink::Capture(idx);
                let r = self.subshell(|sh| sh.exec_command(cmd));
                self.fd1 = saved;
                input = self.captures.pop().unwrap_or_default();
                r?;
            }
            end = end.max(self.clock);
        }
        self.stdin = String::new();
        self.clock = end;
        Ok(status)
    }

    fn spawn(&mut self, ao: &AndOr) -> Result<(), Flow> {
        self.step()?;
        let start = self.clock;
        let saved_budget = self.budget;
        // A job gets half of what is left, so jobs spawning jobs still terminate.
        self.budget = self.steps + self.budget.saturating_sub(self.steps) / 2;
        let saved_stdin = std::mem::take(&mut self.stdin);
        let r = self.subshell(|sh| sh.exec_and_or(ao));
        self.stdin = saved_stdin;
        self.budget = saved_budget;
        let end = r.ok().map(|code| (self.clock, code));
        self.clock = start;
        let pid = self.next_pid;
        self.next_pid = self.next_pid.saturating_add(1);
        self.jobs.push(Job { pid, end });
        self.scope.last_bg = Some(pid);
        Ok(())
    }

    fn exec_command(&mut self, c: &Command) -> Res {
        self.line = c.line;
        if let Cmd::Simple(s) = &c.cmd {
            return self.exec_simple(s, &c.redirs);
        }
        self.enter()?;
        let r = self.with_redirs(&c.redirs, |sh| sh.exec_compound(&c.cmd));
        self.leave();
        r
    }

    fn cond(&mut self, list: &List) -> Res {
        self.no_errexit += 1;
        let r = self.exec_list(list);
        self.no_errexit = self.no_errexit.saturating_sub(1);
        r
    }

    fn exec_compound(&mut self, cmd: &Cmd) -> Res {
        match cmd {
            Cmd::Simple(_) => Ok(0),
            Cmd::Group(list) => self.exec_list(list),
            Cmd::Subshell(list) => self.subshell(|sh| sh.exec_list(list)),
            Cmd::If { arms, otherwise } => {
                for (cond, body) in arms {
                    if self.cond(cond)? == 0 {
                        return self.exec_list(body);
                    }
                }
                match otherwise {
                    Some(list) => self.exec_list(list),
                    None => Ok(0),
                }
            }
            Cmd::Loop { until, cond, body } => {
                self.loop_depth += 1;
                let r = self.run_loop(*until, cond, body);
                self.loop_depth = self.loop_depth.saturating_sub(1);
                r
            }
            Cmd::For { var, items, body } => {
                let values = match items {
                    Some(words) => {
                        let mut v = Vec::new();
                        for w in words {
                            v.extend(self.expand_fields(w)?);
                        }
                        v
                    }
                    None => self.scope.positional.clone(),
                };
                self.loop_depth += 1;
                let r = self.run_for(var, values, body);
                self.loop_depth = self.loop_depth.saturating_sub(1);
                r
            }
            Cmd::Case { word, arms } => {
                let subject = self.expand_string(word)?;
                for (pats, body) in arms {
                    for p in pats {
                        let pat = self.expand_pattern(p)?;
                        if self.glob(&pat, &subject)? {
                            return self.exec_list(body);
                        }
                    }
                }
                Ok(0)
            }
            Cmd::Func { name, body } => {
                self.scope.funcs.insert(name.clone(), Rc::clone(body));
                Ok(0)
            }
        }
    }

    fn run_loop(&mut self, until: bool, cond: &List, body: &List) -> Res {
        let mut status = 0;
        // Snapshots at iterations 1, 2, 4, 8...: cheap, and they catch every loop whose
        // state stops changing (the usual `while true; do ...; sleep N; done`).
        let mut iteration: u64 = 0;
        let mut checkpoint: u64 = 1;
        let mut previous: Option<Snapshot> = None;
        loop {
            self.step()?;
            iteration += 1;
            if iteration == checkpoint {
                let now = self.snapshot()?;
                if previous.as_ref().is_some_and(|p| p.same_as(&now)) {
                    return Err(Flow::Forever);
                }
                previous = Some(now);
                checkpoint = checkpoint.saturating_mul(2);
            }
            if (self.cond(cond)? == 0) == until {
                break;
            }
            match self.exec_list(body) {
                Ok(s) => status = s,
                Err(Flow::Break(n)) if n > 1 => return Err(Flow::Break(n - 1)),
                Err(Flow::Break(_)) => break,
                Err(Flow::Continue(n)) if n > 1 => return Err(Flow::Continue(n - 1)),
                Err(Flow::Continue(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(status)
    }

    fn run_for(&mut self, var: &str, values: Vec<String>, body: &List) -> Res {
        let mut status = 0;
        for v in values {
            self.step()?;
            self.set_var(var, v);
            match self.exec_list(body) {
                Ok(s) => status = s,
                Err(Flow::Break(n)) if n > 1 => return Err(Flow::Break(n - 1)),
                Err(Flow::Break(_)) => break,
                Err(Flow::Continue(n)) if n > 1 => return Err(Flow::Continue(n - 1)),
                Err(Flow::Continue(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(status)
    }

    fn exec_simple(&mut self, s: &Simple, redirs: &[Redir]) -> Res {
        self.step()?;
        self.subst_status = None;
        let mut argv = Vec::new();
        for w in &s.words {
            argv.extend(self.expand_fields(w)?);
        }
        let mut assigns = Vec::new();
        for (name, w) in &s.assigns {
            assigns.push((name.clone(), self.expand_string(w)?));
        }
        for (name, items) in &s.arrays {
            let mut values = Vec::new();
            for w in items {
                values.extend(self.expand_fields(w)?);
            }
            self.set_array(name, values)?;
        }
        if self.scope.xtrace {
            let mut trace: Vec<String> = assigns.iter().map(|(k, v)| format!("{k}={v}")).collect();
            trace.extend(argv.iter().cloned());
            let text = format!("+ {}\n", trace.join(" "));
            self.err(&text);
        }
        if argv.is_empty() {
            for (name, value) in assigns {
                match name.split_once('[') {
                    Some((base, sub)) => {
                        let sub = sub.strip_suffix(']').unwrap_or(sub);
                        let i = self.subscript(base, sub)?;
                        self.set_var(&element_key(base, i), value);
                    }
                    None => self.set_var(&name, value),
                }
            }
            let status = self.subst_status.unwrap_or(0);
            return self.with_redirs(redirs, |_| Ok(status));
        }
        // Assignments before a command only hold (exported) for that command.
        let mut saved = Vec::new();
        for (name, value) in assigns {
            saved.push((
                name.clone(),
                self.scope.vars.get(&name).cloned(),
                self.scope.exported.contains(&name),
            ));
            self.set_var(&name, value);
            self.scope.exported.insert(name);
        }
        let r = self.with_redirs(redirs, |sh| sh.dispatch(&argv, true));
        for (name, value, exported) in saved.into_iter().rev() {
            match value {
                Some(v) => {
                    self.scope.vars.insert(name.clone(), v);
                }
                None => {
                    self.scope.vars.remove(&name);
                }
            }
            if !exported {
                self.scope.exported.remove(&name);
            }
        }
        r
    }

    fn file_sink(&mut self, path: &str, append: bool) -> Sink {
        match path {
            "/dev/stdout" | "/proc/self/fd/1" | "/dev/fd/1" => self.fd1,
            "/dev/stderr" | "/proc/self/fd/2" | "/dev/fd/2" => self.fd2,
            "/proc/1/fd/1" => Sink::Out,
            "/proc/1/fd/2" => Sink::Err,
            "" => Sink::Discard,
            _ if path.starts_with("/dev/") || path.starts_with("/proc/") => Sink::Discard,
            _ => self.open_write(path, append),
        }
    }

    fn set_fd(&mut self, fd: u32, sink: Sink) {
        match fd {
            1 => self.fd1 = sink,
            2 => self.fd2 = sink,
            _ => {}
        }
    }

    /// Applies one redirection. `Ok(false)` means it failed (the command does not run).
    fn apply_redir(&mut self, r: &Redir, saved_stdin: &mut Option<String>) -> Result<bool, Flow> {
        match r {
            Redir::Out { fd, target, append } => {
                let path = self.expand_string(target)?;
                let sink = self.file_sink(&path, *append);
                self.set_fd(*fd, sink);
            }
            Redir::Both { target, append } => {
                let path = self.expand_string(target)?;
                let sink = self.file_sink(&path, *append);
                self.fd1 = sink;
                self.fd2 = sink;
            }
            Redir::Dup { fd, target } => {
                let t = self.expand_string(target)?;
                let sink = match t.as_str() {
                    "-" => Sink::Discard,
                    "1" => self.fd1,
                    "2" => self.fd2,
                    _ if t.chars().all(|c| c.is_ascii_digit()) => return Ok(true),
                    _ => self.file_sink(&t, false),
                };
                self.set_fd(*fd, sink);
            }
            Redir::In { fd, target } => {
                let path = self.expand_string(target)?;
                if *fd == 0 {
                    match self.read_input(&path) {
                        Some(text) => {
                            if saved_stdin.is_none() {
                                *saved_stdin = Some(std::mem::take(&mut self.stdin));
                            }
                            self.stdin = capped(text);
                        }
                        None => {
                            self.err_line(&format!("cannot open {path}: No such file"));
                            return Ok(false);
                        }
                    }
                }
            }
            Redir::Here { fd, body, newline } => {
                let mut text = self.expand_string(body)?;
                if *newline {
                    text.push('\n');
                }
                if *fd == 0 {
                    if saved_stdin.is_none() {
                        *saved_stdin = Some(std::mem::take(&mut self.stdin));
                    }
                    self.stdin = text;
                }
            }
        }
        Ok(true)
    }

    fn with_redirs(&mut self, redirs: &[Redir], f: impl FnOnce(&mut Self) -> Res) -> Res {
        if redirs.is_empty() {
            return f(self);
        }
        let (fd1, fd2) = (self.fd1, self.fd2);
        let mut saved_stdin = None;
        let mut result = None;
        for r in redirs {
            match self.apply_redir(r, &mut saved_stdin) {
                Ok(true) => {}
                Ok(false) => {
                    result = Some(Ok(2));
                    break;
                }
                Err(e) => {
                    result = Some(Err(e));
                    break;
                }
            }
        }
        let r = match result {
            Some(r) => r,
            None => f(self),
        };
        self.fd1 = fd1;
        self.fd2 = fd2;
        if let Some(s) = saved_stdin {
            self.stdin = s;
        }
        r
    }

    // ----- expansion -----

    fn expand_segs(&mut self, word: &[Part], segs: &mut Vec<Seg>) -> Result<(), Flow> {
        for part in word {
            match part {
                Part::Lit(s) => segs.push(Seg::Text {
                    s: s.clone(),
                    quoted: false,
                    split: false,
                }),
                Part::QLit(s) => segs.push(Seg::Text {
                    s: s.clone(),
                    quoted: true,
                    split: false,
                }),
                Part::Param { name, op, quoted } => self.expand_param(name, op, *quoted, segs)?,
                Part::Subst { list, quoted } => {
                    let s = self.command_subst(list)?;
                    segs.push(Seg::Text {
                        s,
                        quoted: *quoted,
                        split: !quoted,
                    });
                }
                Part::Arith { expr, quoted } => {
                    let text = self.expand_string(expr)?;
                    let v = self.arith(&text)?;
                    segs.push(Seg::Text {
                        s: v.to_string(),
                        quoted: *quoted,
                        split: !quoted,
                    });
                }
            }
        }
        Ok(())
    }

    fn expand_fields(&mut self, word: &[Part]) -> Result<Vec<String>, Flow> {
        let mut segs = Vec::new();
        self.expand_segs(word, &mut segs)?;
        let mut ifs: Option<String> = None;
        let mut fields = Fields::default();
        let mut bytes = 0;
        for seg in segs {
            match seg {
                Seg::Break => fields.field_break(),
                Seg::Text { s, quoted, split } => {
                    bytes += s.len();
                    if split {
                        let ifs = ifs.get_or_insert_with(|| self.ifs());
                        fields.split(&s, ifs);
                    } else {
                        fields.literal(&s, quoted);
                    }
                }
            }
        }
        self.charge_bytes(bytes)?;
        Ok(fields.done().into_iter().map(capped).collect())
    }

    fn expand_string(&mut self, word: &[Part]) -> Result<String, Flow> {
        let mut segs = Vec::new();
        self.expand_segs(word, &mut segs)?;
        let mut out = String::new();
        for seg in segs {
            match seg {
                Seg::Break => out.push(' '),
                Seg::Text { s, .. } => {
                    self.clipped |= out.len() + s.len() > MAX_STRING;
                    push_capped(&mut out, &s, MAX_STRING);
                }
            }
        }
        self.charge_bytes(out.len())?;
        Ok(out)
    }

    /// Expands a pattern: quoted text matches literally, unquoted text keeps glob meaning.
    fn expand_pattern(&mut self, word: &[Part]) -> Result<String, Flow> {
        let mut segs = Vec::new();
        self.expand_segs(word, &mut segs)?;
        let mut out = String::new();
        for seg in segs {
            match seg {
                Seg::Break => out.push(' '),
                Seg::Text {
                    s, quoted: true, ..
                } => escape_glob(&s, &mut out),
                Seg::Text { s, .. } => out.push_str(&s),
            }
        }
        self.charge_bytes(out.len())?;
        Ok(capped(out))
    }

    /// Pattern-matching work allowed by the remaining step budget.
    fn fuel(&self) -> u64 {
        self.budget
            .saturating_sub(self.steps)
            .saturating_mul(GLOB_WORK_PER_STEP)
    }

    fn burn(&mut self, start: u64, left: u64) -> Result<(), Flow> {
        self.charge((start - left.min(start)) / GLOB_WORK_PER_STEP)
    }

    fn glob(&mut self, pattern: &str, text: &str) -> Result<bool, Flow> {
        let pat = compile_glob(pattern);
        let chars: Vec<char> = text.chars().collect();
        let start = self.fuel();
        let mut fuel = start;
        let hit = glob_match(&pat, &chars, &mut fuel);
        self.burn(start, fuel)?;
        hit.ok_or(Flow::Forever)
    }

    fn trim(
        &mut self,
        value: &str,
        pattern: &str,
        suffix: bool,
        longest: bool,
    ) -> Result<String, Flow> {
        let pat = compile_glob(pattern);
        let chars: Vec<char> = value.chars().collect();
        let n = chars.len();
        // Prefixes are tried short to long for `#`, suffixes long-start first for `%`.
        let shortest_first = suffix == longest;
        let order: Vec<usize> = if shortest_first {
            (0..=n).collect()
        } else {
            (0..=n).rev().collect()
        };
        let start = self.fuel();
        let mut fuel = start;
        let mut result = Some(None);
        for i in order {
            let (head, tail) = (chars.get(..i).unwrap_or(&[]), chars.get(i..).unwrap_or(&[]));
            let candidate = if suffix { tail } else { head };
            match glob_match(&pat, candidate, &mut fuel) {
                Some(true) => {
                    let kept = if suffix { head } else { tail };
                    result = Some(Some(kept.iter().collect()));
                    break;
                }
                Some(false) => {}
                None => {
                    result = None;
                    break;
                }
            }
        }
        self.burn(start, fuel)?;
        match result {
            Some(kept) => Ok(kept.unwrap_or_else(|| value.to_string())),
            None => Err(Flow::Forever),
        }
    }

    fn lookup(&self, name: &str) -> Option<String> {
        let s = &self.scope;
        match name {
            "?" => Some(s.last_status.to_string()),
            "$" => Some("1".to_string()),
            "#" => Some(s.positional.len().to_string()),
            "0" => Some(s.arg0.clone()),
            "!" => s.last_bg.map(|p| p.to_string()),
            "-" => {
                let mut f = String::new();
                if s.errexit {
                    f.push('e');
                }
                if s.xtrace {
                    f.push('x');
                }
                Some(f)
            }
            "@" | "*" => Some(s.positional.join(" ")),
            _ if name.chars().all(|c| c.is_ascii_digit()) => name
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|n| s.positional.get(n).cloned()),
            _ => s.vars.get(name).cloned(),
        }
    }

    fn expand_param(
        &mut self,
        name: &str,
        op: &ParamOp,
        quoted: bool,
        segs: &mut Vec<Seg>,
    ) -> Result<(), Flow> {
        let value_seg = |s: String| Seg::Text {
            s,
            quoted,
            split: !quoted,
        };
        // bash arrays: `${a[@]}` and `${a[*]}` are every element, `${a[i]}` one of them.
        let mut element = None;
        let mut all = None;
        let indirect;
        let name = match name.strip_prefix('!') {
            Some(rest) if rest.ends_with("[@]") || rest.ends_with("[*]") => {
                let base = rest.get(..rest.len() - 3).unwrap_or_default();
                let at = rest.ends_with("[@]");
                let indices = self
                    .array(base)
                    .into_iter()
                    .map(|(i, _)| (i, i.to_string()))
                    .collect();
                all = Some((indices, at));
                rest
            }
            Some(rest) => {
                indirect = self.lookup(rest).unwrap_or_default();
                if !is_name(&indirect) && !indirect.contains('[') {
                    self.err_line(&format!("{rest}: invalid variable name"));
                    return Err(Flow::Exit(1));
                }
                &indirect
            }
            None => name,
        };
        let subscripted = if all.is_none() {
            name.split_once('[')
        } else {
            None
        };
        if let Some((base, sub)) = subscripted {
            let sub = sub.strip_suffix(']').unwrap_or(sub);
            if matches!(sub, "@" | "*") {
                all = Some((self.array(base), sub == "@"));
            } else {
                let i = self.subscript(base, sub)?;
                element = Some(self.scope.vars.get(&element_key(base, i)).cloned());
            }
        }
        if let Some((elements, at)) = all {
            if matches!(op, ParamOp::Len) {
                segs.push(value_seg(elements.len().to_string()));
                return Ok(());
            }
            if matches!(op, ParamOp::Plain) {
                let values: Vec<String> = elements.into_iter().map(|(_, v)| v).collect();
                self.push_all(values, quoted, at, segs);
                return Ok(());
            }
            let joined = elements
                .into_iter()
                .map(|(_, v)| v)
                .collect::<Vec<_>>()
                .join(" ");
            element = Some(Some(joined));
        }
        if matches!(name, "@" | "*") && matches!(op, ParamOp::Plain) {
            let params = self.scope.positional.clone();
            self.push_all(params, quoted, name == "@", segs);
            return Ok(());
        }
        let value = match element {
            Some(v) => v,
            None => self.lookup(name),
        };
        let missing = |colon: bool| match &value {
            None => true,
            Some(v) => colon && v.is_empty(),
        };
        match op {
            ParamOp::Plain => segs.push(value_seg(value.unwrap_or_default())),
            ParamOp::Len => {
                let n = if matches!(name, "@" | "*") {
                    self.scope.positional.len()
                } else {
                    value.unwrap_or_default().chars().count()
                };
                segs.push(value_seg(n.to_string()));
            }
            ParamOp::Default { colon, word } => {
                if missing(*colon) {
                    self.expand_segs(word, segs)?;
                } else {
                    segs.push(value_seg(value.unwrap_or_default()));
                }
            }
            ParamOp::Assign { colon, word } => {
                if missing(*colon) {
                    let s = self.expand_string(word)?;
                    if is_name(name) {
                        self.set_var(name, s.clone());
                    }
                    segs.push(value_seg(s));
                } else {
                    segs.push(value_seg(value.unwrap_or_default()));
                }
            }
            ParamOp::Alt { colon, word } => {
                if missing(*colon) {
                    segs.push(value_seg(String::new()));
                } else {
                    self.expand_segs(word, segs)?;
                }
            }
            ParamOp::Error { colon, word } => {
                if missing(*colon) {
                    let msg = self.expand_string(word)?;
                    let msg = if !msg.is_empty() {
                        msg
                    } else if *colon {
                        "parameter null or not set".to_string()
                    } else {
                        "parameter not set".to_string()
                    };
                    self.err_line(&format!("{name}: {msg}"));
                    return Err(Flow::Exit(2));
                }
                segs.push(value_seg(value.unwrap_or_default()));
            }
            ParamOp::Trim {
                suffix,
                longest,
                pat,
            } => {
                let pattern = self.expand_pattern(pat)?;
                let v = value.unwrap_or_default();
                let s = self.trim(&v, &pattern, *suffix, *longest)?;
                segs.push(value_seg(s));
            }
        }
        Ok(())
    }

    /// `$@`/`$*` (and bash's `${a[@]}`/`${a[*]}`): quoted `@` keeps one field per value.
    fn push_all(&self, params: Vec<String>, quoted: bool, at: bool, segs: &mut Vec<Seg>) {
        if quoted && at {
            for (i, p) in params.into_iter().enumerate() {
                if i > 0 {
                    segs.push(Seg::Break);
                }
                segs.push(Seg::Text {
                    s: p,
                    quoted: true,
                    split: false,
                });
            }
        } else {
            let sep = if quoted {
                self.ifs()
                    .chars()
                    .next()
                    .map(String::from)
                    .unwrap_or_default()
            } else {
                " ".to_string()
            };
            segs.push(Seg::Text {
                s: params.join(&sep),
                quoted,
                split: !quoted,
            });
        }
    }

    fn command_subst(&mut self, list: &List) -> Result<String, Flow> {
        self.step()?;
        let idx = self.captures.len();
        self.captures.push(String::new());
        let saved_fd1 = self.fd1;
        self.fd1 = Sink::Capture(idx);
        let saved_stdin = std::mem::take(&mut self.stdin);
        let saved_line = self.line;
        let r = self.subshell(|sh| sh.exec_list(list));
        self.line = saved_line;
        self.stdin = saved_stdin;
        self.fd1 = saved_fd1;
        let mut out = self.captures.pop().unwrap_or_default();
        let status = r?;
        self.subst_status = Some(status);
        self.scope.last_status = status;
        let trimmed = out.trim_end_matches('\n').len();
        out.truncate(trimmed);
        Ok(out)
    }

    fn arith(&mut self, text: &str) -> Result<i64, Flow> {
        match arith_eval(text, &mut self.scope.vars) {
            Ok(v) => Ok(v),
            Err(e) => {
                let msg = match e {
                    ArithError::DivZero => {
                        format!("arithmetic expression: division by zero: \"{text}\"")
                    }
                    ArithError::Syntax(m) => format!("arithmetic expression: {m}: \"{text}\""),
                    ArithError::Illegal(s) => format!("Illegal number: {s}"),
                };
                self.err_line(&msg);
                Err(Flow::Exit(2))
            }
        }
    }

    // ----- commands -----

    fn dispatch(&mut self, argv: &[String], allow_funcs: bool) -> Res {
        let Some((name, args)) = argv.split_first() else {
            return Ok(0);
        };
        if name.is_empty() {
            self.err_line(": not found");
            return Ok(127);
        }
        if self.scope.in_script {
            if allow_funcs {
                if let Some(body) = self.scope.funcs.get(name).cloned() {
                    return self.call_function(&body, args);
                }
            }
            if let Some(r) = self.special_builtin(name, args) {
                return r;
            }
        }
        let base = name.rsplit('/').next().unwrap_or(name);
        if let Some(r) = self.utility(base, args, argv) {
            return r;
        }
        self.external(argv)
    }

    /// Runs argv as a separate program: no functions or shell builtins, like `env` does.
    fn dispatch_program(&mut self, argv: &[String]) -> Res {
        let saved = self.scope.in_script;
        self.scope.in_script = false;
        let r = self.dispatch(argv, false);
        self.scope.in_script = saved;
        r
    }

    fn external(&mut self, argv: &[String]) -> Res {
        self.step()?;
        self.taint += 1;
        let budget = self.budget.saturating_sub(self.steps);
        if let Some(py) = python::run(argv, &|| self.exported_vars(), budget) {
            return self.replay_python(py);
        }
        match self.host.external(argv, self.clock) {
            Some(res) => {
                self.advance(res.duration_ms)?;
                self.out(&res.stdout);
                self.err(&res.stderr);
                Ok(res.code)
            }
            None => match perl::run(argv) {
                // A known program: it ends even where unknown ones run forever.
                Some(stdout) => {
                    let ms = match self.unknown {
                        UnknownProgram::RunFor { ms } => ms,
                        UnknownProgram::Forever => perl::RUN_MS,
                    };
                    self.advance(ms)?;
                    self.out(&stdout);
                    Ok(0)
                }
                None => self.run_unknown(),
            },
        }
    }

    /// Plays a Python process (`python3 -c`, see `sh/python.rs`) into the shell's timeline.
    fn replay_python(&mut self, py: python::Process) -> Res {
        for action in py.actions {
            match action {
                python::Action::Out(text) => self.out(&text),
                python::Action::Err(text) => self.err(&text),
                python::Action::Sleep(ms) => self.advance(ms)?,
            }
        }
        self.charge(py.steps)?;
        py.exit.ok_or(Flow::Forever)
    }

    fn call_function(&mut self, body: &Command, args: &[String]) -> Res {
        self.enter()?;
        let saved = std::mem::replace(&mut self.scope.positional, args.to_vec());
        let saved_loop = std::mem::take(&mut self.loop_depth);
        let r = self.exec_command(body);
        self.scope.positional = saved;
        self.loop_depth = saved_loop;
        self.leave();
        match r {
            Err(Flow::Return(n)) => Ok(n),
            Err(Flow::Break(_) | Flow::Continue(_)) => Ok(self.scope.last_status),
            other => other,
        }
    }

    fn special_builtin(&mut self, name: &str, args: &[String]) -> Option<Res> {
        Some(match name {
            "exit" => self.b_exit(args),
            "return" => match args.first() {
                None => Err(Flow::Return(self.scope.last_status)),
                Some(a) => match test_int(a) {
                    Ok(n) => Err(Flow::Return(n.rem_euclid(256) as i32)),
                    Err(msg) => {
                        self.err_line(&format!("return: {msg}"));
                        Err(Flow::Return(2))
                    }
                },
            },
            "break" | "continue" => {
                let n = args
                    .first()
                    .and_then(|a| a.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, self.loop_depth.max(1));
                if self.loop_depth == 0 {
                    Ok(0)
                } else if name == "break" {
                    Err(Flow::Break(n))
                } else {
                    Err(Flow::Continue(n))
                }
            }
            "export" | "readonly" | "local" | "typeset" | "declare" => self.b_export(name, args),
            "set" => self.b_set(args),
            "unset" => {
                let funcs = args.first().is_some_and(|a| a == "-f");
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    if funcs {
                        self.scope.funcs.remove(a);
                    } else {
                        self.scope.vars.remove(a);
                        self.scope.exported.remove(a);
                    }
                }
                Ok(0)
            }
            "shift" => {
                let n = match args.first().map(|a| test_int(a)) {
                    None => 1,
                    Some(Ok(n)) => usize::try_from(n).unwrap_or(usize::MAX),
                    Some(Err(msg)) => {
                        self.err_line(&format!("shift: {msg}"));
                        return Some(Err(Flow::Exit(2)));
                    }
                };
                if n > self.scope.positional.len() {
                    self.err_line("shift: can't shift that many");
                    return Some(Err(Flow::Exit(2)));
                }
                self.scope.positional.drain(..n);
                Ok(0)
            }
            "eval" => self.b_eval(args),
            "." | "source" => self.b_source(args),
            "exec" => {
                if args.is_empty() {
                    Ok(0)
                } else {
                    match self.dispatch_program(args) {
                        Ok(code) => Err(Flow::Exit(code)),
                        Err(e) => Err(e),
                    }
                }
            }
            "command" => {
                if matches!(args.first().map(String::as_str), Some("-v" | "-V")) {
                    let names = args.get(1..).unwrap_or(&[]).join("\n");
                    if names.is_empty() {
                        Ok(1)
                    } else {
                        self.out(&format!("{names}\n"));
                        Ok(0)
                    }
                } else {
                    self.dispatch(args, false)
                }
            }
            "read" => self.b_read(args),
            "wait" => self.b_wait(args),
            "cd" => {
                let dir = args.iter().find(|a| !a.starts_with('-')).cloned();
                let pwd = self
                    .scope
                    .vars
                    .get("PWD")
                    .cloned()
                    .unwrap_or_else(|| "/".to_string());
                let next = match dir {
                    None => "/".to_string(),
                    Some(d) if d.starts_with('/') => d,
                    Some(d) => format!("{}/{d}", pwd.trim_end_matches('/')),
                };
                self.set_var("PWD", next);
                Ok(0)
            }
            "trap" | "umask" | "ulimit" | "alias" | "unalias" | "hash" | "times" => Ok(0),
            _ => return None,
        })
    }

    fn utility(&mut self, base: &str, args: &[String], argv: &[String]) -> Option<Res> {
        Some(match base {
            "echo" => self.b_echo(args),
            "printf" => self.b_printf(args),
            "sleep" => self.b_sleep(args),
            "true" | ":" => Ok(0),
            "false" => Ok(1),
            "test" => self.b_test(args, false),
            "[" => self.b_test(args, true),
            "env" => self.b_env(args),
            "printenv" => self.b_printenv(args),
            "hostname" => {
                let h = self.hostname();
                self.out(&format!("{h}\n"));
                Ok(0)
            }
            "date" => self.b_date(args),
            "cat" => self.b_cat(args),
            "head" => self.b_head_tail(args, false),
            "tail" => self.b_head_tail(args, true),
            "wc" => self.b_wc(args),
            "grep" | "egrep" | "fgrep" => self.b_grep(args),
            "tee" => {
                let text = std::mem::take(&mut self.stdin);
                let append = args.iter().any(|a| a == "-a");
                for f in args.iter().filter(|a| !a.starts_with('-')) {
                    self.write_file(f, &text, append);
                }
                self.out(&text);
                Ok(0)
            }
            "sort" | "uniq" | "cut" | "tr" | "awk" => {
                // Filters of standard input (what a pipeline feeds them).
                let input = std::mem::take(&mut self.stdin);
                let result = match base {
                    "sort" => text::sort(args, &input),
                    "uniq" => text::uniq(args, &input),
                    "cut" => text::cut(args, &input),
                    "tr" => text::tr(args, &input),
                    _ => text::awk(args, &input),
                };
                match result {
                    Ok(out) => {
                        self.out(&out);
                        Ok(0)
                    }
                    Err(e) => {
                        self.err(&format!("{e}\n"));
                        Ok(1)
                    }
                }
            }
            "xargs" => self.b_xargs(args),
            "rev" => {
                let files: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
                let (text, status) = self.gather_input(&files, "rev");
                let mut out = String::with_capacity(text.len());
                for line in text.split_inclusive('\n') {
                    let (body, nl) = match line.strip_suffix('\n') {
                        Some(b) => (b, "\n"),
                        None => (line, ""),
                    };
                    out.extend(body.chars().rev());
                    out.push_str(nl);
                }
                self.out(&out);
                Ok(status)
            }
            "expr" => self.b_expr(args),
            "seq" => self.b_seq(args),
            "basename" => {
                let Some(path) = args.first() else {
                    self.err("basename: missing operand\n");
                    return Some(Ok(1));
                };
                let trimmed = path.trim_end_matches('/');
                let mut base_name = if trimmed.is_empty() && !path.is_empty() {
                    "/".to_string()
                } else {
                    trimmed.rsplit('/').next().unwrap_or("").to_string()
                };
                if let Some(sfx) = args.get(1) {
                    if base_name.len() > sfx.len() && base_name.ends_with(sfx.as_str()) {
                        base_name.truncate(base_name.len() - sfx.len());
                    }
                }
                self.out(&format!("{base_name}\n"));
                Ok(0)
            }
            "dirname" => {
                let Some(path) = args.first() else {
                    self.err("dirname: missing operand\n");
                    return Some(Ok(1));
                };
                let trimmed = path.trim_end_matches('/');
                let dir = match trimmed.rsplit_once('/') {
                    None if path.starts_with('/') => "/".to_string(),
                    None => ".".to_string(),
                    Some((d, _)) => {
                        let d = d.trim_end_matches('/');
                        if d.is_empty() { "/" } else { d }.to_string()
                    }
                };
                self.out(&format!("{dir}\n"));
                Ok(0)
            }
            "pwd" => {
                let p = self
                    .scope
                    .vars
                    .get("PWD")
                    .cloned()
                    .unwrap_or_else(|| "/".to_string());
                self.out(&format!("{p}\n"));
                Ok(0)
            }
            "whoami" => {
                self.out("root\n");
                Ok(0)
            }
            "id" => {
                self.out("uid=0(root) gid=0(root) groups=0(root)\n");
                Ok(0)
            }
            "uname" => {
                let text = if args.iter().any(|a| a == "-a") {
                    format!("Linux {} 6.1.0 #1 SMP x86_64 GNU/Linux", self.hostname())
                } else if args.iter().any(|a| a == "-m") {
                    "x86_64".to_string()
                } else if args.iter().any(|a| a == "-r") {
                    "6.1.0".to_string()
                } else {
                    "Linux".to_string()
                };
                self.out(&format!("{text}\n"));
                Ok(0)
            }
            "touch" | "rm" | "cp" | "mv" => self.file_tool(base, args),
            "mkdir" => {
                for d in args.iter().filter(|a| !a.starts_with('-')) {
                    let path = self.absolute(d);
                    if self.dirs.len() < MAX_FILES {
                        self.dirs.insert(path);
                    }
                }
                Ok(0)
            }
            "rmdir" | "ln" | "chmod" | "chown" | "kill" | "sync" => Ok(0),
            "nohup" | "busybox" => self.dispatch_program(args),
            _ if is_shell(base) => self.invoke_shell(argv),
            _ => return None,
        })
    }

    fn hostname(&self) -> String {
        self.scope
            .vars
            .get("HOSTNAME")
            .cloned()
            .unwrap_or_else(|| "localhost".to_string())
    }

    // ----- builtins -----

    fn b_exit(&mut self, args: &[String]) -> Res {
        match args.first() {
            None => Err(Flow::Exit(self.scope.last_status)),
            Some(a) => match test_int(a) {
                Ok(n) => Err(Flow::Exit(n.rem_euclid(256) as i32)),
                Err(msg) => {
                    self.err_line(&format!("exit: {msg}"));
                    Err(Flow::Exit(2))
                }
            },
        }
    }

    fn b_export(&mut self, name: &str, args: &[String]) -> Res {
        let export = name == "export";
        let mut status = 0;
        for a in args {
            if a.starts_with('-') {
                if a == "-p" {
                    for (k, v) in self.exported_vars() {
                        self.out(&format!("export {k}='{v}'\n"));
                    }
                }
                continue;
            }
            let (var, value) = match a.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (a.as_str(), None),
            };
            if !is_name(var) {
                self.err_line(&format!("{name}: {var}: bad variable name"));
                status = 2;
                continue;
            }
            if let Some(v) = value {
                self.set_var(var, v.to_string());
            }
            if export {
                self.scope.exported.insert(var.to_string());
            }
        }
        Ok(status)
    }

    fn b_set(&mut self, args: &[String]) -> Res {
        if args.is_empty() {
            let all: Vec<String> = self
                .scope
                .vars
                .iter()
                .map(|(k, v)| format!("{k}='{v}'\n"))
                .collect();
            self.out(&all.concat());
            return Ok(0);
        }
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a == "--" {
                self.scope.positional = args.get(i + 1..).unwrap_or(&[]).to_vec();
                return Ok(0);
            }
            let (on, flags) = match (a.strip_prefix('-'), a.strip_prefix('+')) {
                (Some(f), _) => (true, f),
                (_, Some(f)) => (false, f),
                _ => {
                    self.scope.positional = args.get(i..).unwrap_or(&[]).to_vec();
                    return Ok(0);
                }
            };
            i += 1;
            for f in flags.chars() {
                match f {
                    'e' => self.scope.errexit = on,
                    'x' => self.scope.xtrace = on,
                    'o' => {
                        match args.get(i).map(String::as_str) {
                            Some("errexit") => self.scope.errexit = on,
                            Some("xtrace") => self.scope.xtrace = on,
                            _ => {}
                        }
                        i += 1;
                    }
                    _ => {}
                }
            }
        }
        Ok(0)
    }

    fn b_eval(&mut self, args: &[String]) -> Res {
        let text = args.join(" ");
        self.charge_bytes(text.len())?;
        self.enter()?;
        let script = Parser::new(&text, self.line, 0)
            .dialect(self.bash)
            .parse_program();
        let r = self.exec_script(&script);
        self.leave();
        r
    }

    fn b_source(&mut self, args: &[String]) -> Res {
        let Some(path) = args.first() else {
            return Ok(0);
        };
        let Some(text) = self.host_file(path) else {
            self.err_line(&format!(".: cannot open {path}: No such file"));
            return Err(Flow::Exit(2));
        };
        self.charge_bytes(text.len())?;
        self.enter()?;
        let script = Parser::new(&text, 1, 0).dialect(self.bash).parse_program();
        let r = self.exec_script(&script);
        self.leave();
        match r {
            Err(Flow::Return(n)) => Ok(n),
            other => other,
        }
    }

    fn b_read(&mut self, args: &[String]) -> Res {
        let mut raw = false;
        let mut names = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            i += 1;
            match a.as_str() {
                "-r" => raw = true,
                "-p" | "-t" | "-n" | "-d" | "-u" => i += 1,
                s if s.starts_with('-') && names.is_empty() => {}
                _ => names.push(a.clone()),
            }
        }
        if names.is_empty() {
            names.push("REPLY".to_string());
        }
        if self.stdin.is_empty() {
            for n in &names {
                self.set_var(n, String::new());
            }
            return Ok(1);
        }
        let (line, complete) = match self.stdin.split_once('\n') {
            Some((l, rest)) => {
                let l = l.to_string();
                self.stdin = rest.to_string();
                (l, true)
            }
            None => (std::mem::take(&mut self.stdin), false),
        };
        let line = if raw {
            line
        } else {
            let mut out = String::new();
            let mut chars = line.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                } else {
                    out.push(c);
                }
            }
            out
        };
        let ifs = self.ifs();
        let is_ws = |c: char| ifs.contains(c) && matches!(c, ' ' | '\t' | '\n');
        let mut rest = line.trim_start_matches(is_ws).to_string();
        let count = names.len();
        for (k, n) in names.iter().enumerate() {
            if k + 1 == count {
                let value = rest.trim_end_matches(is_ws).to_string();
                self.set_var(n, value);
                break;
            }
            let (field, after) = match rest.find(|c: char| ifs.contains(c)) {
                Some(p) => (
                    rest.get(..p).unwrap_or("").to_string(),
                    rest.get(p..).unwrap_or("").to_string(),
                ),
                None => (rest.clone(), String::new()),
            };
            self.set_var(n, field);
            let mut after = after.trim_start_matches(is_ws);
            if let Some(c) = after
                .chars()
                .next()
                .filter(|c| ifs.contains(*c) && !is_ws(*c))
            {
                after = after
                    .get(c.len_utf8()..)
                    .unwrap_or("")
                    .trim_start_matches(is_ws);
            }
            rest = after.to_string();
        }
        Ok(if complete { 0 } else { 1 })
    }

    fn b_wait(&mut self, args: &[String]) -> Res {
        let pids: Vec<u32> = args.iter().filter_map(|a| a.parse().ok()).collect();
        let mut status = 0;
        let mut keep = Vec::new();
        for job in std::mem::take(&mut self.jobs) {
            if pids.is_empty() || pids.contains(&job.pid) {
                match job.end {
                    None => return Err(Flow::Forever),
                    Some((t, code)) => {
                        self.clock = self.clock.max(t);
                        status = code;
                    }
                }
            } else {
                keep.push(job);
            }
        }
        self.jobs = keep;
        Ok(if pids.is_empty() { 0 } else { status })
    }

    fn b_echo(&mut self, args: &[String]) -> Res {
        let mut newline = true;
        let mut escapes = false;
        let mut start = 0;
        for a in args {
            let Some(flags) = a.strip_prefix('-') else {
                break;
            };
            if flags.is_empty() || !flags.chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
                break;
            }
            for c in flags.chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            start += 1;
        }
        let text = args.get(start..).unwrap_or(&[]).join(" ");
        let (text, stopped) = if escapes {
            unescape(&text)
        } else {
            (text, false)
        };
        self.out(&text);
        if newline && !stopped {
            self.out("\n");
        }
        Ok(0)
    }

    fn b_printf(&mut self, args: &[String]) -> Res {
        let Some((fmt, rest)) = args.split_first() else {
            self.err_line("printf: usage: printf format [arg ...]");
            return Ok(2);
        };
        let fmt: Vec<char> = fmt.chars().collect();
        let mut out = String::new();
        let mut idx = 0;
        let mut errors = Vec::new();
        loop {
            let before = idx;
            let stop = printf_once(&fmt, rest, &mut idx, &mut out, &mut errors);
            self.step()?;
            if stop || idx >= rest.len() || idx == before || out.len() > MAX_STRING {
                break;
            }
        }
        for e in &errors {
            self.err_line(&format!("printf: {e}"));
        }
        self.out(&out);
        Ok(i32::from(!errors.is_empty()))
    }

    fn b_sleep(&mut self, args: &[String]) -> Res {
        if args.is_empty() {
            self.err("sleep: missing operand\n");
            return Ok(1);
        }
        let mut total: u64 = 0;
        for a in args {
            match sleep_ms(a) {
                Some(None) => return Err(Flow::Forever),
                Some(Some(ms)) => total = total.saturating_add(ms),
                None => {
                    self.err(&format!("sleep: invalid time interval '{a}'\n"));
                    return Ok(1);
                }
            }
        }
        self.advance(total)?;
        Ok(0)
    }

    fn b_test(&mut self, args: &[String], bracket: bool) -> Res {
        let name = if bracket { "[" } else { "test" };
        let args = if bracket {
            match args.split_last() {
                Some((last, rest)) if last == "]" => rest,
                _ => {
                    self.err_line("[: missing ]");
                    return Ok(2);
                }
            }
        } else {
            args
        };
        match self.test_expr(args, 0) {
            Ok(b) => Ok(i32::from(!b)),
            Err(msg) => {
                self.err_line(&format!("{name}: {msg}"));
                Ok(2)
            }
        }
    }

    fn test_expr(&mut self, a: &[String], depth: usize) -> Result<bool, String> {
        if depth > MAX_PARSE_DEPTH {
            return Err("expression too complex".to_string());
        }
        let s = |k: usize| a.get(k).map_or("", String::as_str);
        let tail = |k: usize| a.get(k..).unwrap_or(&[]);
        match a.len() {
            0 => Ok(false),
            1 => Ok(!s(0).is_empty()),
            2 => {
                if s(0) == "!" {
                    Ok(!self.test_expr(tail(1), depth + 1)?)
                } else if TEST_UNARY.contains(&s(0)) {
                    self.test_unary(s(0), s(1))
                } else {
                    Err(format!("{}: unexpected operator", s(0)))
                }
            }
            3 => {
                if TEST_BINARY.contains(&s(1)) {
                    self.test_binary(s(0), s(1), s(2))
                } else if s(0) == "!" {
                    Ok(!self.test_expr(tail(1), depth + 1)?)
                } else if s(0) == "(" && s(2) == ")" {
                    Ok(!s(1).is_empty())
                } else {
                    Err(format!("{}: unexpected operator", s(1)))
                }
            }
            4 if s(0) == "!" => Ok(!self.test_expr(tail(1), depth + 1)?),
            4 if s(0) == "(" && s(3) == ")" => {
                self.test_expr(a.get(1..3).unwrap_or(&[]), depth + 1)
            }
            _ => {
                let mut p = 0;
                let v = self.test_or(a, &mut p, depth)?;
                match a.get(p) {
                    Some(extra) => Err(format!("{extra}: unexpected operator")),
                    None => Ok(v),
                }
            }
        }
    }

    fn test_or(&mut self, a: &[String], p: &mut usize, depth: usize) -> Result<bool, String> {
        let mut v = self.test_and(a, p, depth)?;
        while a.get(*p).is_some_and(|x| x == "-o") {
            *p += 1;
            let r = self.test_and(a, p, depth)?;
            v = v || r;
        }
        Ok(v)
    }

    fn test_and(&mut self, a: &[String], p: &mut usize, depth: usize) -> Result<bool, String> {
        let mut v = self.test_not(a, p, depth)?;
        while a.get(*p).is_some_and(|x| x == "-a") {
            *p += 1;
            let r = self.test_not(a, p, depth)?;
            v = v && r;
        }
        Ok(v)
    }

    fn test_not(&mut self, a: &[String], p: &mut usize, depth: usize) -> Result<bool, String> {
        if depth > MAX_PARSE_DEPTH {
            return Err("expression too complex".to_string());
        }
        let Some(x) = a.get(*p) else {
            return Err("argument expected".to_string());
        };
        match x.as_str() {
            "!" => {
                *p += 1;
                Ok(!self.test_not(a, p, depth + 1)?)
            }
            "(" => {
                *p += 1;
                let v = self.test_or(a, p, depth + 1)?;
                if a.get(*p).is_none_or(|c| c != ")") {
                    return Err("closing paren expected".to_string());
                }
                *p += 1;
                Ok(v)
            }
            _ => {
                if let (Some(op), Some(y)) = (a.get(*p + 1), a.get(*p + 2)) {
                    if TEST_BINARY.contains(&op.as_str()) && op != "-a" && op != "-o" {
                        *p += 3;
                        return self.test_binary(x, op, y);
                    }
                }
                if TEST_UNARY.contains(&x.as_str()) {
                    if let Some(y) = a.get(*p + 1) {
                        *p += 2;
                        return self.test_unary(x, y);
                    }
                }
                *p += 1;
                Ok(!x.is_empty())
            }
        }
    }

    fn test_unary(&mut self, op: &str, y: &str) -> Result<bool, String> {
        Ok(match op {
            "-z" => y.is_empty(),
            "-n" => !y.is_empty(),
            "-e" | "-r" | "-w" => y == "/dev/null" || self.host_file(y).is_some() || self.is_dir(y),
            "-f" => self.host_file(y).is_some(),
            "-d" => self.is_dir(y),
            "-s" => self.host_file(y).is_some_and(|c| !c.is_empty()),
            "-t" => {
                test_int(y)?;
                false
            }
            _ => false,
        })
    }

    fn test_binary(&mut self, x: &str, op: &str, y: &str) -> Result<bool, String> {
        Ok(match op {
            "=" | "==" => x == y,
            "!=" => x != y,
            "<" => x < y,
            ">" => x > y,
            "-eq" => test_int(x)? == test_int(y)?,
            "-ne" => test_int(x)? != test_int(y)?,
            "-lt" => test_int(x)? < test_int(y)?,
            "-le" => test_int(x)? <= test_int(y)?,
            "-gt" => test_int(x)? > test_int(y)?,
            "-ge" => test_int(x)? >= test_int(y)?,
            "-a" => !x.is_empty() && !y.is_empty(),
            "-o" => !x.is_empty() || !y.is_empty(),
            _ => false,
        })
    }

    fn b_env(&mut self, args: &[String]) -> Res {
        let mut i = 0;
        let mut clear = false;
        let mut temp = Vec::new();
        while let Some(a) = args.get(i) {
            if a == "-i" || a == "-" {
                clear = true;
            } else if a == "-u" {
                i += 1;
            } else if a.starts_with('-') {
            } else if let Some((k, v)) = a.split_once('=') {
                temp.push((k.to_string(), v.to_string()));
            } else {
                break;
            }
            i += 1;
        }
        let rest = args.get(i..).unwrap_or(&[]);
        self.subshell(|sh| {
            if clear {
                sh.scope.exported.clear();
            }
            for (k, v) in temp {
                sh.set_var(&k, v);
                sh.scope.exported.insert(k);
            }
            if rest.is_empty() {
                let text: String = sh
                    .exported_vars()
                    .into_iter()
                    .map(|(k, v)| format!("{k}={v}\n"))
                    .collect();
                sh.out(&text);
                Ok(0)
            } else {
                sh.dispatch_program(rest)
            }
        })
    }

    fn b_printenv(&mut self, args: &[String]) -> Res {
        let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if names.is_empty() {
            let text: String = self
                .exported_vars()
                .into_iter()
                .map(|(k, v)| format!("{k}={v}\n"))
                .collect();
            self.out(&text);
            return Ok(0);
        }
        let mut status = 0;
        for n in names {
            let value = self
                .scope
                .vars
                .get(n.as_str())
                .filter(|_| self.scope.exported.contains(n.as_str()))
                .cloned();
            match value {
                Some(v) => self.out(&format!("{v}\n")),
                None => status = 1,
            }
        }
        Ok(status)
    }

    fn b_date(&mut self, args: &[String]) -> Res {
        self.taint += 1;
        let fixed = self.scope.vars.get("KUBEPLAY_DATE").cloned();
        let base = match fixed.as_deref().map(str::trim) {
            None | Some("") => DEFAULT_EPOCH_S,
            Some(v) => match v.parse::<i64>() {
                Ok(n) => n,
                Err(_) => {
                    let text = format!("{}\n", fixed.unwrap_or_default());
                    self.out(&text);
                    return Ok(0);
                }
            },
        };
        let now = base.saturating_add(i64::try_from(self.clock / 1000).unwrap_or(i64::MAX));
        let fmt = args
            .iter()
            .find_map(|a| a.strip_prefix('+'))
            .unwrap_or("%a %b %e %H:%M:%S %Z %Y");
        let text = format!("{}\n", format_date(now, fmt));
        self.out(&text);
        Ok(0)
    }

    fn gather_input(&mut self, files: &[&String], tool: &str) -> (String, i32) {
        if files.is_empty() {
            return (std::mem::take(&mut self.stdin), 0);
        }
        let mut text = String::new();
        let mut status = 0;
        for f in files {
            match self.read_input(f) {
                Some(t) => push_capped(&mut text, &t, MAX_STRING),
                None => {
                    // busybox's wording (the images kubeplay runs are busybox-based).
                    let msg = if tool == "grep" {
                        format!("{tool}: {f}: No such file or directory\n")
                    } else {
                        format!("{tool}: can't open '{f}': No such file or directory\n")
                    };
                    self.err(&msg);
                    status = 1;
                }
            }
        }
        (text, status)
    }

    fn b_cat(&mut self, args: &[String]) -> Res {
        let files: Vec<&String> = args
            .iter()
            .filter(|a| a.as_str() == "-" || !a.starts_with('-'))
            .collect();
        let (text, status) = self.gather_input(&files, "cat");
        self.out(&text);
        Ok(status)
    }

    fn b_head_tail(&mut self, args: &[String], tail: bool) -> Res {
        let tool = if tail { "tail" } else { "head" };
        let mut count: Option<String> = None;
        let mut follow = false;
        let mut files = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            i += 1;
            if a == "-n" {
                count = args.get(i).cloned();
                i += 1;
            } else if let Some(v) = a.strip_prefix("-n") {
                count = Some(v.to_string());
            } else if matches!(a.as_str(), "-f" | "-F" | "--follow") {
                follow = true;
            } else if let Some(v) = a.strip_prefix('-').filter(|v| !v.is_empty()) {
                if v.chars().all(|c| c.is_ascii_digit()) {
                    count = Some(v.to_string());
                }
            } else {
                files.push(a);
            }
        }
        let count = count.unwrap_or_else(|| "10".to_string());
        let from_start = tail && count.starts_with('+');
        let Ok(n) = count.trim_start_matches('+').parse::<usize>() else {
            self.err(&format!("{tool}: invalid number of lines: '{count}'\n"));
            return Ok(1);
        };
        let (text, status) = self.gather_input(&files, tool);
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let picked: String = if !tail {
            lines.iter().take(n).copied().collect()
        } else if from_start {
            lines.iter().skip(n.saturating_sub(1)).copied().collect()
        } else {
            lines
                .iter()
                .skip(lines.len().saturating_sub(n))
                .copied()
                .collect()
        };
        self.out(&picked);
        if tail && follow {
            return Err(Flow::Forever);
        }
        Ok(status)
    }

    /// `xargs [-n N] [-I R] [COMMAND [ARGS…]]`: runs COMMAND (default `echo`) with the words
    /// of standard input appended, N at a time, or once per line with R replaced.
    fn b_xargs(&mut self, args: &[String]) -> Res {
        let mut per: Option<usize> = None;
        let mut replace: Option<String> = None;
        let mut i = 0;
        while let Some(a) = args.get(i) {
            match a.as_str() {
                "-n" => {
                    per = args.get(i + 1).and_then(|n| n.parse().ok());
                    i += 2;
                }
                "-I" => {
                    replace = args.get(i + 1).cloned();
                    i += 2;
                }
                f if f.starts_with("-n") => {
                    per = f.get(2..).and_then(|n| n.parse().ok());
                    i += 1;
                }
                f if f.starts_with('-') && f.len() > 1 => i += 1,
                _ => break,
            }
        }
        let mut command: Vec<String> = args.get(i..).unwrap_or_default().to_vec();
        if command.is_empty() {
            command.push("echo".to_string());
        }
        let input = std::mem::take(&mut self.stdin);
        let batches: Vec<Vec<String>> = match &replace {
            Some(r) => input
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| {
                    command
                        .iter()
                        .map(|w| w.replace(r.as_str(), l.trim()))
                        .collect()
                })
                .collect(),
            None => {
                let words: Vec<String> = input.split_whitespace().map(str::to_string).collect();
                if words.is_empty() {
                    vec![command.clone()]
                } else {
                    words
                        .chunks(per.unwrap_or(usize::MAX).max(1))
                        .map(|chunk| {
                            command
                                .iter()
                                .cloned()
                                .chain(chunk.iter().cloned())
                                .collect()
                        })
                        .collect()
                }
            }
        };
        let mut status = 0;
        for argv in batches {
            self.step()?;
            if self.dispatch_program(&argv)? != 0 {
                status = 123;
            }
        }
        Ok(status)
    }

    fn b_wc(&mut self, args: &[String]) -> Res {
        let mut flags = String::new();
        let mut files = Vec::new();
        for a in args {
            match a.strip_prefix('-').filter(|f| !f.is_empty()) {
                Some(f) => flags.push_str(f),
                None => files.push(a),
            }
        }
        let (text, status) = self.gather_input(&files, "wc");
        let mut counts = Vec::new();
        let all = flags.is_empty();
        if all || flags.contains('l') {
            counts.push(text.matches('\n').count());
        }
        if all || flags.contains('w') {
            counts.push(text.split_whitespace().count());
        }
        if flags.contains('m') {
            counts.push(text.chars().count());
        }
        if all || flags.contains('c') {
            counts.push(text.len());
        }
        let mut line: Vec<String> = counts.iter().map(usize::to_string).collect();
        if let [only] = files.as_slice() {
            line.push((*only).clone());
        }
        self.out(&format!("{}\n", line.join(" ")));
        Ok(status)
    }

    fn b_grep(&mut self, args: &[String]) -> Res {
        let (mut invert, mut icase, mut count, mut quiet) = (false, false, false, false);
        let mut pattern: Option<String> = None;
        let mut files = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            i += 1;
            if a == "-e" {
                pattern = args.get(i).cloned();
                i += 1;
            } else if let Some(f) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
                for c in f.chars() {
                    match c {
                        'v' => invert = true,
                        'i' => icase = true,
                        'c' => count = true,
                        'q' | 's' => quiet = quiet || c == 'q',
                        _ => {}
                    }
                }
            } else if pattern.is_none() {
                pattern = Some(a.clone());
            } else {
                files.push(a);
            }
        }
        let Some(pattern) = pattern else {
            self.err("usage: grep [OPTION]... PATTERNS [FILE]...\n");
            return Ok(2);
        };
        let (text, status) = self.gather_input(&files, "grep");
        let fold = |s: &str| {
            if icase {
                s.to_lowercase()
            } else {
                s.to_string()
            }
        };
        let pat = fold(&pattern);
        let (anchor_start, pat) = match pat.strip_prefix('^') {
            Some(p) => (true, p.to_string()),
            None => (false, pat.clone()),
        };
        let (anchor_end, pat) = match pat.strip_suffix('$') {
            Some(p) => (true, p.to_string()),
            None => (false, pat),
        };
        let mut hits = Vec::new();
        for line in text.lines() {
            let l = fold(line);
            let m = match (anchor_start, anchor_end) {
                (true, true) => l == pat,
                (true, false) => l.starts_with(&pat),
                (false, true) => l.ends_with(&pat),
                (false, false) => l.contains(&pat),
            };
            if m != invert {
                hits.push(line.to_string());
            }
        }
        if !quiet {
            if count {
                self.out(&format!("{}\n", hits.len()));
            } else {
                let text: String = hits.iter().map(|h| format!("{h}\n")).collect();
                self.out(&text);
            }
        }
        Ok(if !hits.is_empty() && (quiet || status == 0) {
            0
        } else if status != 0 {
            2
        } else {
            1
        })
    }

    fn b_expr(&mut self, args: &[String]) -> Res {
        if args.is_empty() {
            self.err("expr: missing operand\n");
            return Ok(2);
        }
        let mut p = ExprParser {
            a: args,
            p: 0,
            depth: 0,
        };
        let r = p.or().and_then(|v| match p.peek() {
            Some(extra) => Err(format!("syntax error: unexpected argument '{extra}'")),
            None => Ok(v),
        });
        match r {
            Ok(v) => {
                self.out(&format!("{v}\n"));
                Ok(if expr_truthy(&v) { 0 } else { 1 })
            }
            Err(msg) => {
                self.err(&format!("expr: {msg}\n"));
                Ok(2)
            }
        }
    }

    fn b_seq(&mut self, args: &[String]) -> Res {
        let mut sep = "\n".to_string();
        let mut nums = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            i += 1;
            if a == "-s" {
                sep = args.get(i).cloned().unwrap_or_default();
                i += 1;
            } else if let Some(s) = a.strip_prefix("-s") {
                sep = s.to_string();
            } else if a == "-w" {
            } else {
                match a.parse::<i64>() {
                    Ok(n) => nums.push(n),
                    Err(_) => {
                        self.err(&format!("seq: invalid floating point argument: '{a}'\n"));
                        return Ok(1);
                    }
                }
            }
        }
        let (first, inc, last) = match nums.as_slice() {
            [l] => (1, 1, *l),
            [f, l] => (*f, 1, *l),
            [f, s, l] => (*f, *s, *l),
            _ => {
                self.err("seq: missing operand\n");
                return Ok(1);
            }
        };
        if inc == 0 {
            self.err("seq: invalid Zero increment value: '0'\n");
            return Ok(1);
        }
        let mut out = String::new();
        let mut n = first;
        let mut produced: u64 = 0;
        let mut since_step = 0u8;
        while (inc > 0 && n <= last) || (inc < 0 && n >= last) {
            if produced > 0 {
                out.push_str(&sep);
            }
            out.push_str(&n.to_string());
            produced += 1;
            // Numbers are cheap: one step per eight keeps long sequences bounded.
            since_step += 1;
            if since_step == 8 {
                since_step = 0;
                self.step()?;
            }
            if out.len() > 4096 {
                self.out(&out);
                out.clear();
            }
            match n.checked_add(inc) {
                Some(v) => n = v,
                None => break,
            }
        }
        if produced > 0 {
            out.push('\n');
        }
        self.out(&out);
        Ok(0)
    }
}

/// One pass of a printf format. Returns true when output must stop (`\c` or a bad
/// directive).
fn printf_once(
    fmt: &[char],
    args: &[String],
    idx: &mut usize,
    out: &mut String,
    errors: &mut Vec<String>,
) -> bool {
    let next_arg = |idx: &mut usize| {
        let a = args.get(*idx).cloned();
        if a.is_some() {
            *idx += 1;
        }
        a.unwrap_or_default()
    };
    let number = |s: &str, errors: &mut Vec<String>| match printf_number(s) {
        Some(n) => n,
        None => {
            errors.push(format!("{s}: expected numeric value"));
            0
        }
    };
    let mut i = 0;
    while let Some(&c) = fmt.get(i) {
        if out.len() > MAX_STRING {
            return true;
        }
        if c == '\\' {
            let (text, next, stop) = unescape_one(fmt, i + 1, false);
            out.push_str(&text);
            i = next;
            if stop {
                return true;
            }
            continue;
        }
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        if fmt.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = fmt.get(i).filter(|f| "-+ 0#".contains(**f)) {
            flags.push(f);
            i += 1;
        }
        let mut width = 0usize;
        if fmt.get(i) == Some(&'*') {
            i += 1;
            let w = number(&next_arg(idx), errors);
            if w < 0 {
                flags.push('-');
            }
            width = usize::try_from(w.unsigned_abs()).unwrap_or(usize::MAX);
        } else {
            while let Some(d) = fmt.get(i).and_then(|d| d.to_digit(10)) {
                width = width.saturating_mul(10).saturating_add(d as usize);
                i += 1;
            }
        }
        let width = width.min(MAX_PRINTF_WIDTH);
        let mut precision = None;
        if fmt.get(i) == Some(&'.') {
            i += 1;
            let mut p = 0usize;
            if fmt.get(i) == Some(&'*') {
                i += 1;
                p = usize::try_from(number(&next_arg(idx), errors).max(0)).unwrap_or(0);
            } else {
                while let Some(d) = fmt.get(i).and_then(|d| d.to_digit(10)) {
                    p = p.saturating_mul(10).saturating_add(d as usize);
                    i += 1;
                }
            }
            precision = Some(p.min(MAX_PRINTF_WIDTH));
        }
        let Some(&conv) = fmt.get(i) else {
            errors.push("%: invalid directive".to_string());
            return true;
        };
        i += 1;
        let left = flags.contains('-');
        match conv {
            's' => {
                let a = next_arg(idx);
                let a: String = match precision {
                    Some(p) => a.chars().take(p).collect(),
                    None => a,
                };
                out.push_str(&pad(&a, width, left));
            }
            'b' => {
                let (text, stop) = unescape(&next_arg(idx));
                out.push_str(&pad(&text, width, left));
                if stop {
                    return true;
                }
            }
            'c' => {
                let a: String = next_arg(idx).chars().take(1).collect();
                out.push_str(&pad(&a, width, left));
            }
            'd' | 'i' => {
                let n = number(&next_arg(idx), errors);
                let mut digits = n.unsigned_abs().to_string();
                if let Some(p) = precision {
                    while digits.len() < p {
                        digits.insert(0, '0');
                    }
                }
                let sign = if n < 0 {
                    "-"
                } else if flags.contains('+') {
                    "+"
                } else if flags.contains(' ') {
                    " "
                } else {
                    ""
                };
                out.push_str(&pad_number(
                    sign,
                    &digits,
                    width,
                    &flags,
                    precision.is_some(),
                ));
            }
            'u' | 'x' | 'X' | 'o' => {
                let n = number(&next_arg(idx), errors) as u64;
                let mut digits = match conv {
                    'u' => n.to_string(),
                    'x' => format!("{n:x}"),
                    'X' => format!("{n:X}"),
                    _ => format!("{n:o}"),
                };
                if let Some(p) = precision {
                    while digits.len() < p {
                        digits.insert(0, '0');
                    }
                }
                out.push_str(&pad_number("", &digits, width, &flags, precision.is_some()));
            }
            other => {
                errors.push(format!("%{other}: invalid directive"));
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const O: Stream = Stream::Stdout;
    const E: Stream = Stream::Stderr;

    fn exit(at_ms: u64, code: i32) -> End {
        End::Exit { at_ms, code }
    }

    /// One run of the interpreter and exactly what it must produce.
    #[derive(Clone, Copy)]
    struct Case {
        name: &'static str,
        command: &'static [&'static str],
        args: &'static [&'static str],
        env: &'static [(&'static str, &'static str)],
        unknown: UnknownProgram,
        limits: Limits,
        out: &'static [(u64, Stream, &'static str)],
        end: End,
    }

    const BASE: Case = Case {
        name: "",
        command: &[],
        args: &[],
        env: &[],
        unknown: UnknownProgram::RunFor { ms: 0 },
        limits: Limits {
            stdin_open: false,
            max_steps: 200_000,
            max_output_lines: 2_000,
            horizon_ms: 30 * DAY_MS,
        },
        out: &[],
        end: End::Exit { at_ms: 0, code: 0 },
    };

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn run_case(case: &Case, host: &mut dyn Host) -> Run {
        let env = case
            .env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        run(
            &strings(case.command),
            &strings(case.args),
            &env,
            case.unknown,
            host,
            &case.limits,
        )
    }

    fn check(case: &Case, host: &mut dyn Host) {
        let got = run_case(case, host);
        let want: Vec<OutputLine> = case
            .out
            .iter()
            .map(|(at_ms, stream, text)| OutputLine {
                at_ms: *at_ms,
                stream: *stream,
                text: text.to_string(),
            })
            .collect();
        assert_eq!(got.output, want, "{}: output", case.name);
        assert_eq!(got.end, case.end, "{}: end", case.name);
    }

    #[test]
    fn kubernetes_examples() {
        let cases = [
            Case {
                name: "pi job (20 digits): prints pi when the configured time is up",
                command: &["perl", "-Mbignum=bpi", "-wle", "print bpi(20)"],
                unknown: UnknownProgram::RunFor { ms: 8_000 },
                out: &[(8_000, O, "3.1415926535897932385")],
                end: exit(8_000, 0),
                ..BASE
            },
            Case {
                name: "pi job under restartPolicy Always: still ends (a known program)",
                command: &["perl", "-Mbignum=bpi", "-wle", "print bpi(3)"],
                unknown: UnknownProgram::Forever,
                out: &[(8_000, O, "3.14")],
                end: exit(8_000, 0),
                ..BASE
            },
            Case {
                name: "docs: hello then sleep an hour",
                command: &["sh", "-c", "echo \"Hello, Kubernetes!\" && sleep 3600"],
                out: &[(0, O, "Hello, Kubernetes!")],
                end: exit(3_600_000, 0),
                ..BASE
            },
            Case {
                name: "indexed job: arithmetic on the completion index",
                command: &["bash", "-c", "echo $(( JOB_COMPLETION_INDEX + 1 ))"],
                env: &[("JOB_COMPLETION_INDEX", "4")],
                out: &[(0, O, "5")],
                ..BASE
            },
            Case {
                name: "podFailurePolicy example: command bash, script in args",
                command: &["bash"],
                args: &["-c", "echo \"Hello world!\" && sleep 5 && exit 42"],
                out: &[(0, O, "Hello world!")],
                end: exit(5_000, 42),
                ..BASE
            },
            Case {
                name: "index 2 fails",
                command: &[
                    "sh",
                    "-c",
                    "if [ \"$JOB_COMPLETION_INDEX\" -eq 2 ]; then exit 1; fi; echo ok",
                ],
                env: &[("JOB_COMPLETION_INDEX", "2")],
                end: exit(0, 1),
                ..BASE
            },
            Case {
                name: "index 1 succeeds",
                command: &[
                    "sh",
                    "-c",
                    "if [ \"$JOB_COMPLETION_INDEX\" -eq 2 ]; then exit 1; fi; echo ok",
                ],
                env: &[("JOB_COMPLETION_INDEX", "1")],
                out: &[(0, O, "ok")],
                ..BASE
            },
            Case {
                name: "index times ten",
                command: &["sh", "-c", "echo $((JOB_COMPLETION_INDEX * 10))"],
                env: &[("JOB_COMPLETION_INDEX", "3")],
                out: &[(0, O, "30")],
                ..BASE
            },
            Case {
                name: "kubelet $(VAR) expansion, $$ escape, undefined kept",
                command: &["echo", "$(GREETING)", "$$(GREETING)", "$(MISSING)"],
                env: &[("GREETING", "hi")],
                out: &[(0, O, "hi $(GREETING) $(MISSING)")],
                ..BASE
            },
            Case {
                name: "kubelet expansion happens before the shell",
                command: &["sh", "-c"],
                args: &["echo $(MSG) | $(MSG)"],
                env: &[("MSG", "hey")],
                out: &[],
                ..BASE
            },
            Case {
                name: "plain sleep infinity",
                command: &["sleep", "infinity"],
                end: End::Forever,
                ..BASE
            },
            Case {
                name: "image entrypoint is an unknown program",
                unknown: UnknownProgram::Forever,
                end: End::Forever,
                ..BASE
            },
            Case {
                name: "unknown server runs forever",
                command: &["nginx", "-g", "daemon off;"],
                unknown: UnknownProgram::Forever,
                end: End::Forever,
                ..BASE
            },
            Case {
                name: "bare shell reads empty stdin and exits",
                command: &["/bin/bash"],
                ..BASE
            },
            Case {
                name: "env in front of the shell",
                command: &["/usr/bin/env", "bash", "-c", "echo via env"],
                out: &[(0, O, "via env")],
                ..BASE
            },
            Case {
                name: "tail -f /dev/null keeps the container up",
                command: &["tail", "-f", "/dev/null"],
                end: End::Forever,
                ..BASE
            },
            Case {
                name: "plain echo program",
                command: &["/bin/echo", "hi", "there"],
                out: &[(0, O, "hi there")],
                ..BASE
            },
        ];
        for case in &cases {
            check(case, &mut NoHost);
        }
    }

    #[test]
    fn shell_language() {
        let cases = [
            Case {
                name: "echo, sleep, exit",
                command: &["sh", "-c", "echo hello; sleep 5; exit 3"],
                out: &[(0, O, "hello")],
                end: exit(5_000, 3),
                ..BASE
            },
            Case {
                name: "default values",
                command: &["sh", "-c", "X=; echo ${U:-def} ${Y:-def} \"${X:-empty}\" \"[${X-unset}]\" ${U-unset}"],
                env: &[("Y", "set")],
                out: &[(0, O, "def set empty [] unset")],
                ..BASE
            },
            Case {
                name: "alternative, assign and length",
                command: &["sh", "-c", "echo ${Y:+alt} ${N:=given} $N ${#Y}"],
                env: &[("Y", "abc")],
                out: &[(0, O, "alt given given 3")],
                ..BASE
            },
            Case {
                name: "prefix and suffix trimming",
                command: &["sh", "-c", "X=archive.tar.gz; echo ${X%.*} ${X%%.*} ${X#*.} ${X##*.}"],
                out: &[(0, O, "archive.tar archive tar.gz gz")],
                ..BASE
            },
            Case {
                name: "&& and || short-circuit",
                command: &["sh", "-c", "true && echo a; false && echo b; false || echo c; true || echo d"],
                out: &[(0, O, "a"), (0, O, "c")],
                ..BASE
            },
            Case {
                name: "! negates",
                command: &["sh", "-c", "! false && echo negated; ! true; echo $?"],
                out: &[(0, O, "negated"), (0, O, "1")],
                ..BASE
            },
            Case {
                name: "set -e stops at the first failure",
                command: &["sh", "-c", "set -e; echo a; false; echo b"],
                out: &[(0, O, "a")],
                end: exit(0, 1),
                ..BASE
            },
            Case {
                name: "set -e ignores conditions and && lists",
                command: &["sh", "-c", "set -e; false || true; false && true; if false; then :; fi; ! true; echo ok"],
                out: &[(0, O, "ok")],
                ..BASE
            },
            Case {
                name: "sh -ec",
                command: &["sh", "-ec", "false; echo no"],
                end: exit(0, 1),
                ..BASE
            },
            Case {
                name: "for loop",
                command: &["sh", "-c", "for i in 1 2 3; do echo \"item $i\"; done"],
                out: &[(0, O, "item 1"), (0, O, "item 2"), (0, O, "item 3")],
                ..BASE
            },
            Case {
                name: "while with a counter and sleeps",
                command: &["sh", "-c", "i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); sleep 1; done; echo done"],
                out: &[(0, O, "0"), (1_000, O, "1"), (2_000, O, "2"), (3_000, O, "done")],
                end: exit(3_000, 0),
                ..BASE
            },
            Case {
                name: "until loop",
                command: &["sh", "-c", "n=3\nuntil [ $n -eq 0 ]\ndo\n  echo $n\n  n=$((n-1))\ndone"],
                out: &[(0, O, "3"), (0, O, "2"), (0, O, "1")],
                ..BASE
            },
            Case {
                name: "break and continue",
                command: &["sh", "-c", "for i in 1 2 3 4; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done"],
                out: &[(0, O, "1"), (0, O, "3")],
                ..BASE
            },
            Case {
                name: "if elif else",
                command: &["sh", "-c", "x=5; if [ $x -lt 3 ]; then echo small; elif [ $x -lt 10 ]; then echo medium; else echo large; fi"],
                out: &[(0, O, "medium")],
                ..BASE
            },
            Case {
                name: "case with globs and alternatives",
                command: &["sh", "-c", "for f in app.log x.txt B; do case $f in *.log) echo log;; a|B) echo letter;; *) echo other;; esac; done"],
                out: &[(0, O, "log"), (0, O, "other"), (0, O, "letter")],
                ..BASE
            },
            Case {
                name: "command substitution, backquotes, hostname and date",
                command: &["sh", "-c", "X=$(echo hi there); echo \"[$X]\" $(hostname) `date`"],
                env: &[("HOSTNAME", "pod-1")],
                out: &[(0, O, "[hi there] pod-1 Thu Jan 1 00:00:00 UTC 2026")],
                ..BASE
            },
            Case {
                name: "date follows the simulated clock",
                command: &["sh", "-c", "sleep 61; date +%F_%T"],
                out: &[(61_000, O, "2026-01-01_00:01:01")],
                end: exit(61_000, 0),
                ..BASE
            },
            Case {
                name: "date from KUBEPLAY_DATE epoch seconds",
                command: &["date", "+%Y-%m-%d %H:%M"],
                env: &[("KUBEPLAY_DATE", "1709251200")],
                out: &[(0, O, "2024-03-01 00:00")],
                ..BASE
            },
            Case {
                name: "subshells do not leak",
                command: &["sh", "-c", "X=1; (X=2; echo $X; exit 5); echo $? $X"],
                out: &[(0, O, "2"), (0, O, "5 1")],
                ..BASE
            },
            Case {
                name: "groups share state",
                command: &["sh", "-c", "{ X=2; echo in; }; echo $X"],
                out: &[(0, O, "in"), (0, O, "2")],
                ..BASE
            },
            Case {
                name: "redirections",
                command: &["sh", "-c", "echo oops >&2; echo hidden >/dev/null; echo file > /tmp/x; echo app >> log 2>&1; echo both 2>/dev/null; ls-fake 2>/dev/null; echo shown"],
                out: &[(0, E, "oops"), (0, O, "both"), (0, O, "shown")],
                ..BASE
            },
            Case {
                name: "2>&1 order matters",
                command: &["sh", "-c", "echo hidden >/dev/null 2>&1; echo a 2>/dev/null >&2; echo b 2>&1 >/dev/null >&2; { echo c >&2; } 2>/dev/null; echo d >/dev/stderr"],
                out: &[(0, O, "b"), (0, E, "d")],
                ..BASE
            },
            Case {
                name: "unknown program inside a script runs for a while",
                command: &["sh", "-c", "echo start; nginx -g 'daemon off;'; echo after $?"],
                unknown: UnknownProgram::RunFor { ms: 100 },
                out: &[(0, O, "start"), (100, O, "after 0")],
                end: exit(100, 0),
                ..BASE
            },
            Case {
                name: "unknown server inside a script never returns",
                command: &["sh", "-c", "echo start; exec nginx; echo never"],
                unknown: UnknownProgram::Forever,
                out: &[(0, O, "start")],
                end: End::Forever,
                ..BASE
            },
            Case {
                name: "positional parameters",
                command: &["sh", "-c", "echo $0 $1 $#; for a in \"$@\"; do echo \"<$a>\"; done", "me", "a b", "c"],
                out: &[(0, O, "me a b 2"), (0, O, "<a b>"), (0, O, "<c>")],
                ..BASE
            },
            Case {
                name: "exit status is taken mod 256",
                command: &["sh", "-c", "exit 300"],
                end: exit(0, 44),
                ..BASE
            },
            Case {
                name: "negative exit",
                command: &["sh", "-c", "(exit -1); echo $?; exit"],
                out: &[(0, O, "255")],
                end: exit(0, 0),
                ..BASE
            },
            Case {
                name: "arithmetic operators and wrapping",
                command: &["sh", "-c", "echo $((9223372036854775807 + 1)) $((7 % 3)) $(( (2+3)*4 )) $((1 < 2 && 3 > 2)) $((x=5)) $((x+=2)) $((-7 / 2)) $((0x10 + 010)) $((1 ? 2 : 3)) $((2 ** 3 ** 2))"],
                out: &[(0, O, "-9223372036854775808 1 20 1 5 7 -3 24 2 512")],
                ..BASE
            },
            Case {
                name: "division by zero",
                command: &["sh", "-c", "echo before; echo $((1/0)); echo after"],
                out: &[(0, O, "before"), (0, E, "sh: 1: arithmetic expression: division by zero: \"1/0\"")],
                end: exit(0, 2),
                ..BASE
            },
            Case {
                name: "syntax error: missing fi",
                command: &["sh", "-c", "if true; then echo x"],
                out: &[(0, E, "sh: 1: Syntax error: end of file unexpected (expecting \"fi\")")],
                end: exit(0, 2),
                ..BASE
            },
            Case {
                name: "syntax error on line 2 after line 1 ran",
                command: &["sh", "-c", "echo before\nfi"],
                out: &[(0, O, "before"), (0, E, "sh: 2: Syntax error: \"fi\" unexpected")],
                end: exit(0, 2),
                ..BASE
            },
            Case {
                name: "syntax error: unterminated quote",
                command: &["sh", "-c", "echo \"abc"],
                out: &[(0, E, "sh: 1: Syntax error: Unterminated quoted string")],
                end: exit(0, 2),
                ..BASE
            },
            Case {
                name: "syntax error: stray paren",
                command: &["bash", "-c", "echo )"],
                out: &[(0, E, "bash: 1: Syntax error: \")\" unexpected")],
                end: exit(0, 2),
                ..BASE
            },
            Case {
                name: "printf reuses its format",
                command: &["sh", "-c", "printf '%s=%d\\n' a 1 b 2 c"],
                out: &[(0, O, "a=1"), (0, O, "b=2"), (0, O, "c=0")],
                ..BASE
            },
            Case {
                name: "printf widths and conversions",
                command: &["sh", "-c", "printf '[%5s][%-5s][%05d][%x][%c][%.2s][%%]\\n' ab cd 42 255 xyz hello"],
                out: &[(0, O, "[   ab][cd   ][00042][ff][x][he][%]")],
                ..BASE
            },
            Case {
                name: "printf with a bad number",
                command: &["sh", "-c", "printf '%d\\n' abc"],
                out: &[(0, E, "sh: 1: printf: abc: expected numeric value"), (0, O, "0")],
                end: exit(0, 1),
                ..BASE
            },
            Case {
                name: "echo flags",
                command: &["sh", "-c", "echo -n a; echo b; echo -e 'x\\ty'; echo 'raw\\n'"],
                out: &[(0, O, "ab"), (0, O, "x\ty"), (0, O, "raw\\n")],
                ..BASE
            },
            Case {
                name: "test operators",
                command: &["sh", "-c", "[ -z \"\" ] && [ -n x ] && [ a != b ] && [ ! 1 -gt 2 ] && test 3 -le 3 && [ a = a -a 1 -eq 1 ] && [ -f /etc/passwd -o x = x ] && echo yes"],
                out: &[(0, O, "yes")],
                ..BASE
            },
            Case {
                name: "test with a bad number",
                command: &["sh", "-c", "[ abc -eq 1 ]; echo $?"],
                out: &[(0, E, "sh: 1: [: Illegal number: abc"), (0, O, "2")],
                ..BASE
            },
            Case {
                name: "expr and seq",
                command: &["sh", "-c", "expr 6 \\* 7; expr 5 - 5; echo $?; for i in $(seq 3); do printf '%s,' $i; done; echo; seq -s ' ' 10 -3 1"],
                out: &[(0, O, "42"), (0, O, "0"), (0, O, "1"), (0, O, "1,2,3,"), (0, O, "10 7 4 1")],
                ..BASE
            },
            Case {
                name: "functions and return",
                command: &["sh", "-c", "greet() { echo \"hi $1\"; return 3; }\ngreet bob; echo $?"],
                out: &[(0, O, "hi bob"), (0, O, "3")],
                ..BASE
            },
            Case {
                name: "here-document with expansion, quoted one without",
                command: &["sh", "-c", "cat <<EOF\nhello $NAME\nEOF\ncat <<'X'\n$NAME\nX\necho next"],
                env: &[("NAME", "k8s")],
                out: &[(0, O, "hello k8s"), (0, O, "$NAME"), (0, O, "next")],
                ..BASE
            },
            Case {
                name: "pipes feed stdin",
                command: &["sh", "-c", "printf 'a\\nb\\nc\\n' | wc -l; echo one two | { read a b; echo \"$b-$a\"; }; printf 'x\\ny\\n' | while read l; do echo \"got $l\"; done; echo abc | grep -q b && echo found"],
                out: &[(0, O, "3"), (0, O, "two-one"), (0, O, "got x"), (0, O, "got y"), (0, O, "found")],
                ..BASE
            },
            Case {
                name: "pipeline lasts as long as its slowest stage",
                command: &["sh", "-c", "sleep 2 | echo quick; echo after"],
                out: &[(0, O, "quick"), (2_000, O, "after")],
                end: exit(2_000, 0),
                ..BASE
            },
            Case {
                name: "background job and wait",
                command: &["sh", "-c", "(sleep 2; echo bg) & echo fg; wait; echo done"],
                out: &[(0, O, "fg"), (2_000, O, "bg"), (2_000, O, "done")],
                end: exit(2_000, 0),
                ..BASE
            },
            Case {
                name: "a background loop does not crowd out the main shell's output",
                command: &["sh", "-c", "while true; do echo tick; sleep 30; done &\nsleep 95; echo main"],
                out: &[(0, O, "tick"), (30_000, O, "tick"), (60_000, O, "tick"), (90_000, O, "tick"), (95_000, O, "main")],
                end: exit(95_000, 0),
                ..BASE
            },
            Case {
                name: "background output after the main process exits is lost",
                command: &["sh", "-c", "(sleep 5; echo late) & sleep 1; echo bye"],
                out: &[(1_000, O, "bye")],
                end: exit(1_000, 0),
                ..BASE
            },
            Case {
                name: "set -x traces to stderr",
                command: &["sh", "-c", "set -x; X=1 echo hi"],
                out: &[(0, E, "+ X=1 echo hi"), (0, O, "hi")],
                ..BASE
            },
            Case {
                name: "sleep units",
                command: &["sh", "-c", "sleep 1.5; sleep 2m; sleep 0.0001; echo t"],
                out: &[(121_501, O, "t")],
                end: exit(121_501, 0),
                ..BASE
            },
            Case {
                name: "bad sleep argument",
                command: &["sleep", "soon"],
                out: &[(0, E, "sleep: invalid time interval 'soon'")],
                end: exit(0, 1),
                ..BASE
            },
            Case {
                name: "exec replaces the shell",
                command: &["sh", "-c", "exec echo replaced; echo never"],
                out: &[(0, O, "replaced")],
                ..BASE
            },
            Case {
                name: "env and printenv",
                command: &["sh", "-c", "printenv B; LOCAL=x; export E=5; env; printenv LOCAL || echo not-exported"],
                env: &[("A", "1"), ("B", "2")],
                out: &[(0, O, "2"), (0, O, "A=1"), (0, O, "B=2"), (0, O, "E=5"), (0, O, "not-exported")],
                ..BASE
            },
            Case {
                name: "cat of a missing file",
                command: &["sh", "-c", "cat /etc/missing; echo $?; cat"],
                out: &[(0, E, "cat: can't open '/etc/missing': No such file or directory"), (0, O, "1")],
                ..BASE
            },
            Case {
                name: "field splitting on IFS",
                command: &["sh", "-c", "L='a  b c'; for w in $L; do echo \"$w\"; done; IFS=,; V='x,,y'; for w in $V; do echo \"[$w]\"; done"],
                out: &[(0, O, "a"), (0, O, "b"), (0, O, "c"), (0, O, "[x]"), (0, O, "[]"), (0, O, "[y]")],
                ..BASE
            },
            Case {
                name: "quotes and escapes",
                command: &["sh", "-c", "echo 'single $X' \"double $X\" \\$X a\\ b \"q\\\"q\" # comment"],
                env: &[("X", "v")],
                out: &[(0, O, "single $X double v $X a b q\"q")],
                ..BASE
            },
            Case {
                name: "eval and nested sh",
                command: &["sh", "-c", "eval 'Y=7; echo eval $Y'; export Z=9; sh -c 'echo nested $Z $Y; exit 4'; echo $?"],
                out: &[(0, O, "eval 7"), (0, O, "nested 9"), (0, O, "4")],
                ..BASE
            },
            Case {
                name: "parameter error",
                command: &["sh", "-c", "echo ${MISSING:?is required}; echo no"],
                out: &[(0, E, "sh: 1: MISSING: is required")],
                end: exit(0, 2),
                ..BASE
            },
            Case {
                name: "busy loop is forever without output",
                command: &["sh", "-c", "echo start; while true; do :; done"],
                out: &[(0, O, "start")],
                end: End::Forever,
                ..BASE
            },
            Case {
                name: "sleep past the horizon is forever",
                command: &["sh", "-c", "echo up; sleep 2592001; echo never"],
                out: &[(0, O, "up")],
                end: End::Forever,
                ..BASE
            },
            Case {
                name: "sleep infinity inside a script",
                command: &["sh", "-c", "echo ready && sleep infinity"],
                out: &[(0, O, "ready")],
                end: End::Forever,
                ..BASE
            },
            Case {
                name: "unfinished line is flushed at exit",
                command: &["sh", "-c", "printf 'no newline'; sleep 1"],
                out: &[(1_000, O, "no newline")],
                end: exit(1_000, 0),
                ..BASE
            },
            Case {
                name: "runaway recursion is stopped",
                command: &["sh", "-c", "f() { f; }; f; echo unreachable"],
                out: &[(0, E, "sh: 1: maximum nesting depth exceeded")],
                end: exit(0, 2),
                ..BASE
            },
        ];
        for case in &cases {
            check(case, &mut NoHost);
        }
    }

    #[test]
    fn bash_arrays() {
        const NESTED: &str = concat!(
            "a=(0); echo ",
            "${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[",
            "${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[",
            "${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[",
            "${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[${a[0]}",
            "]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}",
            "]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}",
        );
        const SCRIPT: &str = "items=(foo bar baz qux xyz)\necho ${items[$JOB_COMPLETION_INDEX]} ${items[1]} ${#items[@]} ${items[-1]} ${#items[2]}\nfor x in \"${items[@]}\"; do printf '[%s]' \"$x\"; done; echo\nitems[7]=seven; echo ${!items[@]}; echo \"${items[*]}\"; echo $items ${items[5]:-unset}\nn=items; echo ${!n}";
        let cases = [
            Case {
                name: "the kubernetes.io Indexed Job's bash array",
                command: &["bash", "-c", SCRIPT],
                env: &[("JOB_COMPLETION_INDEX", "2")],
                out: &[
                    (0, O, "baz bar 5 xyz 3"),
                    (0, O, "[foo][bar][baz][qux][xyz]"),
                    (0, O, "0 1 2 3 4 7"),
                    (0, O, "foo bar baz qux xyz seven"),
                    (0, O, "foo unset"),
                    (0, O, "foo"),
                ],
                ..BASE
            },
            Case {
                name: "arrays are bash syntax: dash rejects them",
                command: &["sh", "-c", "a=(1 2); echo no"],
                out: &[(0, E, "sh: 1: Syntax error: \"(\" unexpected")],
                end: exit(0, 2),
                ..BASE
            },
            Case {
                name: "deeply nested subscripts hit the nesting bound instead of the stack",
                command: &["bash", "-c", NESTED],
                out: &[(0, E, "bash: 1: maximum nesting depth exceeded")],
                end: exit(0, 2),
                ..BASE
            },
            Case {
                name: "a bad subscript ends the shell with an error",
                command: &["bash", "-c", "a=(1); echo ${a[1/0]}; echo after"],
                out: &[(
                    0,
                    E,
                    "bash: 1: arithmetic expression: division by zero: \"1/0\"",
                )],
                end: exit(0, 2),
                ..BASE
            },
        ];
        for case in &cases {
            check(case, &mut NoHost);
        }
    }

    #[test]
    fn files_written_by_the_process() {
        let cases = [
            Case {
                name: "write, append, read back, rev, relative paths, rm",
                command: &[
                    "sh",
                    "-c",
                    "echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f; cd /tmp; rev f; wc -l < ./f; rm f; cat /tmp/f; test -e /tmp/f || echo gone",
                ],
                out: &[
                    (0, O, "one"),
                    (0, O, "two"),
                    (0, O, "eno"),
                    (0, O, "owt"),
                    (0, O, "2"),
                    (0, E, "cat: can't open '/tmp/f': No such file or directory"),
                    (0, O, "gone"),
                ],
                ..BASE
            },
            Case {
                name: "here-document into a file, tee, cp, mv, mkdir and test -d",
                command: &[
                    "sh",
                    "-c",
                    "mkdir -p /work; cat > /work/a <<EOF\nhello\nEOF\necho x | tee /work/b >/dev/null; cp /work/a /work/c; mv /work/b /work/d; cat /work/c /work/d; test -f /work/b || echo moved; test -d /work && echo dir",
                ],
                out: &[
                    (0, O, "hello"),
                    (0, O, "x"),
                    (0, O, "moved"),
                    (0, O, "dir"),
                ],
                ..BASE
            },
            Case {
                name: "a loop that appends to a file is not taken for a repeating loop",
                command: &[
                    "sh",
                    "-c",
                    "touch /tmp/n; while [ $(wc -l < /tmp/n) -lt 3 ]; do echo . >> /tmp/n; done; wc -l < /tmp/n",
                ],
                out: &[(0, O, "3")],
                ..BASE
            },
        ];
        for case in &cases {
            check(case, &mut NoHost);
        }
        let got = run_case(
            &Case {
                command: &[
                    "sh",
                    "-c",
                    "echo data > /input/data.txt; echo gone > /x; rm /x",
                ],
                ..BASE
            },
            &mut NoHost,
        );
        let want: BTreeMap<String, Option<String>> = [
            ("/input/data.txt".to_string(), Some("data\n".to_string())),
            ("/x".to_string(), None),
        ]
        .into_iter()
        .collect();
        assert_eq!(got.files, want);
    }

    /// The files at an instant: the exec-liveness example's `touch; sleep 30; rm -f; sleep`.
    #[test]
    fn files_have_a_timeline() {
        let got = run_case(
            &Case {
                command: &[
                    "sh",
                    "-c",
                    "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600",
                ],
                ..BASE
            },
            &mut NoHost,
        );
        let healthy = |t: u64| got.files_at(t).get("/tmp/healthy").cloned();
        assert_eq!(healthy(0), Some(Some(String::new())));
        assert_eq!(healthy(29_999), Some(Some(String::new())));
        assert_eq!(healthy(30_000), Some(None));
        let mut cut = got.clone();
        cut.truncate(10_000);
        assert_eq!(
            cut.files_at(u64::MAX).get("/tmp/healthy"),
            Some(&Some(String::new()))
        );
        assert_eq!(cut.files.get("/tmp/healthy"), Some(&Some(String::new())));
        // Appends at one instant are one change; a background job's changes are in time order.
        let got = run_case(
            &Case {
                command: &[
                    "sh",
                    "-c",
                    "(sleep 5; echo late > /b) & echo a > /a; echo b >> /a; sleep 1; echo c >> /a; wait",
                ],
                ..BASE
            },
            &mut NoHost,
        );
        let log: Vec<(u64, &str, Option<&str>)> = got
            .file_log
            .iter()
            .map(|c| (c.at_ms, c.path.as_str(), c.content.as_deref()))
            .collect();
        assert_eq!(
            log,
            [
                (0, "/a", Some("a\nb\n")),
                (1_000, "/a", Some("a\nb\nc\n")),
                (5_000, "/b", Some("late\n")),
            ]
        );
        // A loop that appends for ever stops logging at the cap.
        let got = run_case(
            &Case {
                command: &["sh", "-c", "while true; do date >> /log; sleep 1; done"],
                ..BASE
            },
            &mut NoHost,
        );
        let bytes: usize = got
            .file_log
            .iter()
            .map(|c| c.content.as_ref().map_or(0, String::len))
            .sum();
        let n = got.file_log.len();
        assert!(n > 50 && n <= MAX_FILE_LOG + 1, "{n}");
        assert!(bytes <= MAX_FILE_LOG_BYTES + MAX_STRING, "{bytes}");
        // Many appends at one instant: past the budget the file still ends up whole then.
        let got = run_case(
            &Case {
                command: &[
                    "sh",
                    "-c",
                    "for i in $(seq 3000); do echo $i >> /f; done; sleep 100",
                ],
                ..BASE
            },
            &mut NoHost,
        );
        let at_1s = got.files_at(1_000).get("/f").cloned().flatten().unwrap();
        assert!(at_1s.ends_with("\n2999\n3000\n"), "{}", at_1s.len());
        // The last entry is the file as the run left it.
        assert_eq!(
            got.files_at(u64::MAX).get("/log"),
            got.files.get("/log"),
            "final content"
        );
    }

    #[test]
    fn infinite_loop_with_sleep_fills_the_output_cap_then_runs_forever() {
        let case = Case {
            command: &["sh", "-c", "while true; do echo hi; sleep 1; done"],
            limits: Limits {
                stdin_open: false,
                max_output_lines: 5,
                ..Limits::default()
            },
            ..BASE
        };
        let got = run_case(&case, &mut NoHost);
        let times: Vec<u64> = got.output.iter().map(|l| l.at_ms).collect();
        assert_eq!(times, vec![0, 1_000, 2_000, 3_000, 4_000]);
        assert!(got.output.iter().all(|l| l.text == "hi" && l.stream == O));
        assert_eq!(got.end, End::Forever);
    }

    #[test]
    fn default_limits_cap_output_at_two_thousand_lines() {
        let case = Case {
            command: &["sh", "-c", "while true; do echo hi; sleep 1; done"],
            ..BASE
        };
        let got = run_case(&case, &mut NoHost);
        assert_eq!(got.output.len(), 2_000);
        assert_eq!(got.output.last().map(|l| l.at_ms), Some(1_999_000));
        assert_eq!(got.end, End::Forever);
    }

    #[test]
    fn pipes_carry_a_megabyte_and_cut_text_is_reported() {
        let case = Case {
            command: &[
                "sh",
                "-c",
                "seq 1 100000 | wc -l; x=$(seq 1 5000); echo ${#x}",
            ],
            ..BASE
        };
        let got = run_case(&case, &mut NoHost);
        let text: Vec<&str> = got.output.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(text, ["100000", "23892"]);
        let case = Case {
            command: &["sh", "-c", "x=$(seq 1 100000); echo ${#x}"],
            ..BASE
        };
        let got = run_case(&case, &mut NoHost);
        let text: Vec<(Stream, &str)> = got
            .output
            .iter()
            .map(|l| (l.stream, l.text.as_str()))
            .collect();
        assert_eq!(
            text,
            [
                (Stream::Stdout, "32768"),
                (
                    Stream::Stderr,
                    "sh: kubeplay: text past the simulated shell's bounds was cut (1 MiB through a pipe or $(…), 32 KiB in one word)"
                )
            ]
        );
    }

    #[test]
    fn output_cap_does_not_change_the_exit() {
        let case = Case {
            command: &[
                "sh",
                "-c",
                "for i in $(seq 10); do echo $i; sleep 1; done; exit 7",
            ],
            limits: Limits {
                stdin_open: false,
                max_output_lines: 3,
                ..Limits::default()
            },
            out: &[(0, O, "1"), (1_000, O, "2"), (2_000, O, "3")],
            end: exit(10_000, 7),
            ..BASE
        };
        check(&case, &mut NoHost);
    }

    /// Knows `curl` and one mounted file, and records what it was asked.
    #[derive(Default)]
    struct FakeHost {
        calls: Vec<(Vec<String>, u64)>,
    }

    impl Host for FakeHost {
        fn external(&mut self, argv: &[String], at_ms: u64) -> Option<ExternalResult> {
            self.calls.push((argv.to_vec(), at_ms));
            match argv.first().map(String::as_str) {
                Some("curl") => Some(ExternalResult {
                    stdout: "<html>ok</html>\n".to_string(),
                    stderr: String::new(),
                    code: 0,
                    duration_ms: 250,
                }),
                Some("false-server") => Some(ExternalResult {
                    stdout: String::new(),
                    stderr: "connection refused\n".to_string(),
                    code: 7,
                    duration_ms: 10,
                }),
                _ => None,
            }
        }

        fn file(&mut self, path: &str) -> Option<String> {
            (path == "/etc/config/app.conf").then(|| "key=value\n".to_string())
        }
    }

    #[test]
    fn host_programs_and_files() {
        let cases = [
            Case {
                name: "curl answered by the host, wget unknown",
                command: &["sh", "-c", "curl -s http://web; echo \"rc=$?\"; X=$(curl -s http://web); echo \"got $X\"; wget x || echo fallback"],
                unknown: UnknownProgram::RunFor { ms: 5 },
                out: &[(250, O, "<html>ok</html>"), (250, O, "rc=0"), (500, O, "got <html>ok</html>")],
                end: exit(505, 0),
                ..BASE
            },
            Case {
                name: "failing external program",
                command: &["false-server"],
                out: &[(10, E, "connection refused")],
                end: exit(10, 7),
                ..BASE
            },
            Case {
                name: "mounted files",
                command: &["sh", "-c", "cat /etc/config/app.conf; [ -f /etc/config/app.conf ] && echo exists; [ -e /nope ] || echo missing; while read l; do echo \"line $l\"; done < /etc/config/app.conf"],
                out: &[(0, O, "key=value"), (0, O, "exists"), (0, O, "missing"), (0, O, "line key=value")],
                ..BASE
            },
        ];
        for case in &cases {
            check(case, &mut FakeHost::default());
        }
        let mut host = FakeHost::default();
        let case = Case {
            command: &["sh", "-c", "sleep 1; curl -s http://web"],
            ..BASE
        };
        run_case(&case, &mut host);
        assert_eq!(
            host.calls,
            vec![(strings(&["curl", "-s", "http://web"]), 1_000)]
        );
    }

    /// DNS that starts answering 4 seconds after the pod starts.
    struct SlowDns;

    impl Host for SlowDns {
        fn external(&mut self, argv: &[String], at_ms: u64) -> Option<ExternalResult> {
            let name = argv.get(1).cloned().unwrap_or_default();
            match argv.first().map(String::as_str) {
                Some("nslookup") if at_ms >= 4_000 => Some(ExternalResult {
                    stdout: format!("Name: {name}\n"),
                    stderr: String::new(),
                    code: 0,
                    duration_ms: 100,
                }),
                Some("nslookup") => Some(ExternalResult {
                    stdout: String::new(),
                    stderr: format!("** server can't find {name}: NXDOMAIN\n"),
                    code: 1,
                    duration_ms: 100,
                }),
                _ => None,
            }
        }

        fn file(&mut self, path: &str) -> Option<String> {
            (path == "/var/run/secrets/kubernetes.io/serviceaccount/namespace")
                .then(|| "default".to_string())
        }
    }

    #[test]
    fn init_container_waits_for_a_service() {
        const NX: &str = "** server can't find myservice.default.svc.cluster.local: NXDOMAIN";
        let case = Case {
            command: &["sh", "-c", "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"],
            out: &[
                (100, E, NX),
                (100, O, "waiting for myservice"),
                (2_200, E, NX),
                (2_200, O, "waiting for myservice"),
                (4_300, O, "Name: myservice.default.svc.cluster.local"),
            ],
            end: exit(4_300, 0),
            ..BASE
        };
        check(&case, &mut SlowDns);
    }

    #[test]
    fn pathological_pattern_matching_is_a_busy_loop() {
        let case = Case {
            command: &[
                "sh",
                "-c",
                "X=$(printf '%4096s' ''); X=$X$X$X$X$X$X$X$X; echo start; Y=${X%%*a}; echo never",
            ],
            limits: Limits {
                stdin_open: false,
                max_steps: 20_000,
                ..Limits::default()
            },
            out: &[(0, O, "start")],
            end: End::Forever,
            ..BASE
        };
        check(&case, &mut NoHost);
    }

    #[test]
    fn loops_that_only_move_the_clock_are_detected_early() {
        struct L {
            script: &'static str,
            max_steps_used: u64,
        }
        let cases = [
            L {
                script: "while true; do sleep 30; done",
                max_steps_used: 20,
            },
            L {
                script: "while :; do :; done",
                max_steps_used: 20,
            },
            L {
                script: "x=a; while true; do if [ $x = a ]; then x=b; else x=a; fi; done",
                max_steps_used: 60,
            },
            L {
                script: "while true; do echo hi; sleep 1; done",
                max_steps_used: 100,
            },
        ];
        for c in &cases {
            let limits = Limits {
                stdin_open: false,
                max_output_lines: 5,
                ..Limits::default()
            };
            let mut host = NoHost;
            let mut shell =
                Shell::new(&BTreeMap::new(), UnknownProgram::Forever, &mut host, limits);
            let r = shell.dispatch(&strings(&["sh", "-c", c.script]), false);
            assert_eq!(r, Err(Flow::Forever), "{}", c.script);
            assert!(
                shell.steps <= c.max_steps_used,
                "{}: {} steps",
                c.script,
                shell.steps
            );
        }
    }

    #[test]
    fn clock_dependent_loops_are_not_mistaken_for_cycles() {
        let cases = [
            Case {
                name: "waiting for a time read with date",
                command: &[
                    "sh",
                    "-c",
                    "while [ $(date +%s) -lt 1767225605 ]; do sleep 1; done; echo out",
                ],
                out: &[(5_000, O, "out")],
                end: exit(5_000, 0),
                ..BASE
            },
            Case {
                name: "a counter changes the state",
                command: &[
                    "sh",
                    "-c",
                    "i=0; while true; do i=$((i+1)); [ $i -ge 100 ] && break; done; echo $i",
                ],
                out: &[(0, O, "100")],
                ..BASE
            },
        ];
        for case in &cases {
            check(case, &mut NoHost);
        }
    }

    #[test]
    fn expand_k8s_vars_table() {
        struct K {
            input: &'static str,
            want: &'static str,
        }
        let env: BTreeMap<String, String> = [("A", "x"), ("B", "")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let cases = [
            K {
                input: "$(A)",
                want: "x",
            },
            K {
                input: "pre-$(A)-$(B)-post",
                want: "pre-x--post",
            },
            K {
                input: "$$(A)",
                want: "$(A)",
            },
            K {
                input: "$(C)",
                want: "$(C)",
            },
            K {
                input: "$$",
                want: "$",
            },
            K {
                input: "$A $",
                want: "$A $",
            },
            K {
                input: "$(A",
                want: "$(A",
            },
            K {
                input: "$((1+2))",
                want: "$((1+2))",
            },
            K {
                input: "ünï$(A)",
                want: "ünïx",
            },
        ];
        for k in &cases {
            assert_eq!(expand_k8s_vars(k.input, &env), k.want, "{}", k.input);
        }
    }

    #[test]
    fn check_syntax_reports_dash_messages() {
        assert_eq!(
            check_syntax("echo ok; for i in 1; do echo $i; done"),
            Ok(())
        );
        let e = check_syntax("while true\ndo echo").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(e.message, "end of file unexpected (expecting \"done\")");
        assert_eq!(check_syntax("echo ${x").unwrap_err().message, "Missing '}'");
        assert_eq!(
            check_syntax("case x in a) echo;; ").unwrap_err().message,
            "end of file unexpected (expecting \"esac\")"
        );
    }

    #[test]
    fn deep_nesting_is_rejected_not_crashed() {
        let deep_parens = format!("{}echo x{}", "(".repeat(500), ")".repeat(500));
        let deep_subst = format!("echo {}x{}", "$(echo ".repeat(300), ")".repeat(300));
        let deep_braces = format!("echo {}x{}", "${A:-".repeat(300), "}".repeat(300));
        let deep_arith = format!("echo $(({}1{}))", "(".repeat(300), ")".repeat(300));
        let long_arith = format!("echo $((1{}))", "+1".repeat(5_000));
        let many_bang = format!("[ {} x ]", "! ".repeat(5_000));
        for script in [
            deep_parens,
            deep_subst,
            deep_braces,
            deep_arith,
            long_arith,
            many_bang,
        ] {
            let argv = vec!["sh".to_string(), "-c".to_string(), script];
            let got = run(
                &argv,
                &[],
                &BTreeMap::new(),
                UnknownProgram::RunFor { ms: 0 },
                &mut NoHost,
                &Limits::default(),
            );
            assert!(
                matches!(
                    got.end,
                    End::Exit { code: 2, .. } | End::Exit { code: 0, .. }
                ),
                "{:?}",
                got.end
            );
        }
    }

    const JUNK: &[&str] = &[
        "echo", "x", "$", "$(", ")", "(", "((", "))", "`", "'", "\"", "\\", "{", "}", ";", ";;",
        "&", "&&", "|", "||", "<", ">", ">&2", "<<", "EOF", "\n", " ", "if", "then", "fi", "while",
        "do", "done", "for", "in", "case", "esac", "${", ":-", "#", "%", "*", "?", "[", "]", "=",
        "X", "1", "0", "/", "sleep", "exit", "$((", "$?", "$@", "!", "f()", "break", "set -e",
        "eval", "printf", "%d", "read", "wait", "seq 9", "-", "+",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_token_soup_never_panics(toks in prop::collection::vec(prop::sample::select(JUNK), 0..60)) {
            let script: String = toks.concat();
            let limits = Limits { stdin_open: false, max_steps: 5_000, max_output_lines: 50, horizon_ms: DAY_MS };
            let argv = vec!["sh".to_string(), "-c".to_string(), script.clone()];
            let r = run(&argv, &[], &BTreeMap::new(), UnknownProgram::RunFor { ms: 1 }, &mut NoHost, &limits);
            prop_assert!(r.output.len() <= 50);
            let _ = check_syntax(&script);
        }

        #[test]
        fn arbitrary_strings_never_panic(script in any::<String>(), arg in any::<String>()) {
            let limits = Limits { stdin_open: false, max_steps: 5_000, max_output_lines: 50, horizon_ms: DAY_MS };
            let argv = vec!["sh".to_string(), "-c".to_string(), script.clone()];
            let _ = run(&argv, std::slice::from_ref(&arg), &BTreeMap::new(), UnknownProgram::Forever, &mut NoHost, &limits);
            let _ = run(&[script.clone(), arg], &[], &BTreeMap::new(), UnknownProgram::Forever, &mut NoHost, &limits);
            let _ = expand_k8s_vars(&script, &BTreeMap::new());
        }
    }
}
