//! The console as a small shell, so the command lines of the kubernetes.io pages work as typed
//! in a terminal:
//!
//! ```text
//! pods=$(kubectl get pods --selector=batch.kubernetes.io/job-name=pi --output=jsonpath='{.items[*].metadata.name}')
//! echo $pods
//! kubectl logs $pods
//! kubectl get pods | grep Running | wc -l
//! for p in $(kubectl get pods -o name); do kubectl logs $p; done
//! ```
//!
//! A line with shell syntax outside quotes (`|`, `;`, `&&`, `$`, `` ` ``, redirections, a
//! leading `NAME=…` or a shell command such as `echo`) runs through the container shell
//! ([`crate::engine::sh`]) with `kubectl` and `sim` as its programs. The shell's clock is the
//! cluster's: `sleep 30; kubectl get pods` sees the cluster 30 simulated seconds later, and the
//! cluster ends the line at the shell's end. Variables assigned by a line that is only
//! assignments (`pods=$(…)`, `export NS=dev`) are kept for the session's later lines, as a
//! terminal keeps them. Any other program is "not found" (there is no file system or network
//! outside the cluster).

use crate::engine::clock::SimTime;
use crate::engine::sh::{self, ExternalResult, Host, Limits, Stream, UnknownProgram};

use super::{CommandOutput, FileSource, Session};

/// Shell commands that make a line a shell line even without shell syntax (`echo hi`); not
/// `set`, which is `kubectl set`.
const SHELL_WORDS: &[&str] = &[
    "echo", "printf", "for", "while", "until", "if", "case", "export", "unset", "sleep", "test",
    "[", "true", "false", "seq", "cat", "grep", "wc", "head", "tail", "date", "expr", "env",
    "printenv", "{", "(", "!",
];

/// Whether `line` needs the shell: shell syntax outside quotes, or a shell command first.
pub fn needs_shell(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    if SHELL_WORDS.contains(&first) || assignment(first).is_some() {
        return true;
    }
    scan(line, |c, double, _| {
        matches!(c, '$' | '`') || (!double && matches!(c, '|' | ';' | '&' | '<' | '>'))
    })
}

/// Calls `hit` with each character outside single quotes and escapes, whether it is inside
/// double quotes, and how deep in `$(…)` it is; true as soon as `hit` is.
fn scan(line: &str, mut hit: impl FnMut(char, bool, usize) -> bool) -> bool {
    let mut single = false;
    let mut double = false;
    let mut depth = 0usize;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' if !double => single = !single,
            _ if single => {}
            '"' => double = !double,
            '\\' => {
                chars.next();
            }
            c => {
                if hit(c, double, depth) {
                    return true;
                }
                if c == '$' && chars.peek() == Some(&'(') {
                    depth += 1;
                    chars.next();
                } else if c == ')' && depth > 0 {
                    depth -= 1;
                }
            }
        }
    }
    false
}

/// `NAME=…` at the start of a word: the name.
fn assignment(word: &str) -> Option<&str> {
    let (name, _) = word.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() || first == '_')
        .then_some(())
        .filter(|()| chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(|()| name)
}

/// The names a line assigns when it is nothing but assignments (`a=1 b=$(…)`, `export a=1`):
/// the values are kept for later lines. `None` for any other line.
fn only_assignments(line: &str) -> Option<Vec<String>> {
    let words = shell_words(line);
    let words: &[&str] = match words.split_first() {
        Some((&"export", rest)) => rest,
        _ => &words,
    };
    if words.is_empty() || needs_shell_beyond_assignment(line) {
        return None;
    }
    words
        .iter()
        .map(|w| assignment(w).map(str::to_string))
        .collect()
}

/// The line's words, split at unquoted blanks outside `$(…)` (quotes kept).
fn shell_words(line: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut single = false;
    let mut double = false;
    let mut depth = 0usize;
    let mut start: Option<usize> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if !single => escaped = true,
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '(' if !single => depth += 1,
            ')' if !single && depth > 0 => depth -= 1,
            c if c.is_whitespace() && !single && !double && depth == 0 => {
                if let Some(s) = start.take() {
                    words.extend(line.get(s..i));
                }
                continue;
            }
            _ => {}
        }
        start.get_or_insert(i);
    }
    if let Some(s) = start {
        words.extend(line.get(s..));
    }
    words
}

/// Whether the line chains or pipes commands (so it is not a plain assignment).
fn needs_shell_beyond_assignment(line: &str) -> bool {
    scan(line, |c, double, depth| {
        !double && depth == 0 && matches!(c, '|' | ';' | '&' | '<' | '>')
    })
}

/// kubectl and sim runs one line may make (`while true; do kubectl get pods; done` must not
/// hang the page).
const MAX_CALLS: usize = 1_000;

/// `kubectl` and `sim` for the shell, on the session's cluster.
struct ConsoleHost<'a> {
    session: &'a mut Session,
    files: &'a dyn FileSource,
    start: SimTime,
    calls: usize,
}

impl ConsoleHost<'_> {
    /// Brings the cluster to the shell's instant `start + at_ms`.
    fn catch_up(&mut self, at_ms: u64) {
        let target = self.start.plus(at_ms);
        if target > self.session.cluster.now() {
            self.session.cluster.advance_to(target);
        }
    }
}

impl Host for ConsoleHost<'_> {
    fn external(&mut self, argv: &[String], at_ms: u64) -> Option<ExternalResult> {
        let name = argv.first()?;
        let base = name.rsplit('/').next().unwrap_or(name);
        // The console takes kubectl's verbs without `kubectl` too (`describe node n1 | grep …`).
        let known = base == "kubectl" || super::parse::VERBS.iter().any(|v| v.as_str() == base);
        if !known {
            return Some(ExternalResult {
                stdout: String::new(),
                stderr: format!(
                    "sh: 1: {name}: not found (the kubeplay console runs kubectl, sim and shell commands)\n"
                ),
                code: 127,
                duration_ms: 0,
            });
        }
        self.calls += 1;
        if self.calls > MAX_CALLS {
            return Some(ExternalResult {
                stdout: String::new(),
                stderr: if self.calls == MAX_CALLS + 1 {
                    format!("kubeplay: one console line runs kubectl or sim at most {MAX_CALLS} times\n")
                } else {
                    String::new()
                },
                code: 1,
                duration_ms: 0,
            });
        }
        self.catch_up(at_ms);
        let before = self.session.cluster.now();
        let out = self.session.run_words(argv, None, self.files);
        Some(ExternalResult {
            stdout: out.stdout,
            stderr: out.stderr,
            code: if out.ok { 0 } else { 1 },
            duration_ms: self.session.cluster.now().since(before),
        })
    }
}

/// Runs a shell line on the session (already logged by [`Session::run`]).
pub fn run(session: &mut Session, line: &str, files: &dyn FileSource) -> CommandOutput {
    let assigned = only_assignments(line);
    // A line of assignments prints the values it computed after a marker, so they can be kept.
    let script = match &assigned {
        Some(names) => {
            let dump: String = names.iter().map(|n| format!(" \"${{{n}}}\"")).collect();
            format!(
                "{line}\n__kubeplay_status=$?\nprintf '\\036%s' {dump}\nexit $__kubeplay_status"
            )
        }
        None => line.to_string(),
    };
    let env = session.shell_vars.clone();
    let start = session.cluster.now();
    let mut host = ConsoleHost {
        session,
        files,
        start,
        calls: 0,
    };
    let limits = Limits {
        max_output_lines: 10_000,
        ..Limits::default()
    };
    // `sh::run` does the kubelet's `$(VAR)` expansion of a container command; a console line
    // is typed at a shell, not in a manifest, so every `$` goes to the shell as written.
    let result = sh::run(
        &[
            "sh".to_string(),
            "-c".to_string(),
            script.replace('$', "$$"),
        ],
        &[],
        &env,
        UnknownProgram::RunFor { ms: 0 },
        &mut host,
        &limits,
    );
    let mut stdout = String::new();
    let mut stderr = String::new();
    for l in &result.output {
        let target = match l.stream {
            Stream::Stdout => &mut stdout,
            Stream::Stderr => &mut stderr,
        };
        target.push_str(&l.text);
        target.push('\n');
    }
    let code = match result.end {
        sh::End::Exit { at_ms, code } => {
            host.catch_up(at_ms);
            code
        }
        sh::End::Forever => {
            stderr.push_str(
                "kubeplay: this command line would never end (the console cannot wait on it); nothing after it ran\n",
            );
            1
        }
    };
    if let Some(names) = assigned {
        // `printf '\036%s' "$a" "$b"` wrote a marker before each value; output lines were
        // joined with a newline each, so the last value lost none of its own.
        if let Some((visible, values)) = stdout.split_once('\u{1e}') {
            let values = values.strip_suffix('\n').unwrap_or(values);
            for (n, v) in names.iter().zip(values.split('\u{1e}')) {
                host.session.shell_vars.insert(n.clone(), v.to_string());
            }
            stdout = visible.to_string();
        }
    }
    CommandOutput {
        stdout,
        stderr,
        ok: code == 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_lines_are_told_apart_from_kubectl_lines() {
        for line in [
            "kubectl get pods | grep pi",
            "pods=$(kubectl get pods -o name)",
            "echo $pods",
            "kubectl logs $pods",
            "kubectl apply -f x.yaml && kubectl get pods",
            "sleep 5; get pods",
            "export NS=dev",
            "for p in a b; do echo $p; done",
        ] {
            assert!(needs_shell(line), "{line}");
        }
        for line in [
            "kubectl get pods -o jsonpath='{.items[*].metadata.name}'",
            "get pods -o jsonpath='{range .items[*]}{.metadata.name}{\"\\n\"}{end}'",
            "get pods -l 'app in (a,b)'",
            "get pods --field-selector status.phase!=Running",
            "sim node add n1 --labels disktype=ssd",
            "set image ds/fluentd fluentd=fluentd:v2",
            "run x --image=busybox -- sh -c \"echo hi; exit 1\"",
            "get job x -o jsonpath='{.status.conditions[?(@.type==\"Complete\")].status}'",
        ] {
            assert!(!needs_shell(line), "{line}");
        }
    }

    #[test]
    fn an_endless_loop_ends() {
        let mut session = Session::new(1);
        let out = session.run(
            "while true; do kubectl get pods; done",
            None,
            &crate::kubectl::NoFiles,
        );
        assert!(!out.ok);
        assert!(out.stderr.contains("at most 1000 times"), "{}", out.stderr);
        let out = session.run("sleep infinity", None, &crate::kubectl::NoFiles);
        assert!(!out.ok);
        assert!(out.stderr.contains("never end"), "{}", out.stderr);
    }

    #[test]
    fn dollar_paren_is_command_substitution_not_the_kubelets_var_expansion() {
        let mut session = Session::new(1);
        assert!(session.run("x=1", None, &crate::kubectl::NoFiles).ok);
        let out = session.run("echo $(x)", None, &crate::kubectl::NoFiles);
        assert!(out.stderr.contains("x: not found"), "{out:?}");
    }

    #[test]
    fn only_plain_assignments_are_kept() {
        assert_eq!(
            only_assignments("pods=$(kubectl get pods -o name | head -1)"),
            Some(vec!["pods".to_string()])
        );
        assert_eq!(
            only_assignments("export A=1 B=2"),
            Some(vec!["A".to_string(), "B".to_string()])
        );
        assert_eq!(only_assignments("A=1; echo $A"), None);
        assert_eq!(only_assignments("A=1 kubectl get pods"), None);
        assert_eq!(
            only_assignments(
                "pods=$(kubectl get pods --output=jsonpath='{.items[*].metadata.name}')"
            ),
            Some(vec!["pods".to_string()])
        );
    }
}
