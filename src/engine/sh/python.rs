//! The Python programs the Kubernetes docs run: a tiny, bounded, deterministic interpreter for
//! `python3 -c SCRIPT` (the Job examples `job-backoff-limit-per-index-example`,
//! `job-backoff-limit-per-index-failindex`, `job-success-policy`...).
//!
//! # Invocation
//! `python`, `python3` and `python3.N` (any path) with options `-u -B -E -I -s -S -O -q -b -d
//! -v -R`, `-W ARG`, `-X ARG` (bundled or not) and `-c SCRIPT [ARGS...]` (`sys.argv` is
//! `['-c', ARGS...]`). Anything else (a script file, `-m module`, `--version`, no `-c`) is not
//! recognised and stays an unknown program.
//!
//! # The subset
//! Statements: expressions, `=` (also chained) and `+= -= *= /= //= %= **=` to names, `if/elif/
//! else`, `while`, `for NAME in ...` (ranges, lists, strings, `os.environ`), `break`,
//! `continue`, `pass`, `import os, sys, time` (also `as`), `from os|sys|time import ...`,
//! `raise` (of `SystemExit` and the usual exception classes), `assert`, `;` and one-line
//! suites (`if x: y`). Values: `None`, `True`/`False`, 64-bit ints, floats (printed as Python
//! does), strings (`'...'`, `"..."`, triple quotes, `r''`, f-strings with `{expr}`, `!r`/`!s`
//! and simple format specs `[[fill]align][sign][0][width][.prec][d|f|s|x]`), lists
//! (literals, `sys.argv`, `str.split`), `range`. Operators `+ - * / // % **`, unary `- +`,
//! comparisons (chained), `in`, `not in`, `is` with `None`/bools, `and or not`, `x if c else y`,
//! indexing. Builtins `print` (`sep=`, `end=`, `file=sys.stderr|sys.stdout`, `flush=`), `int`,
//! `str`, `float`, `bool`, `len`, `range`, `abs`, `min`, `max`, `sum`, `repr`, `input`
//! (stdin is empty: `EOFError`), `exit`/`quit`; `os.environ[...]`, `os.environ.get`,
//! `os.getenv`, `k in os.environ`, `sys.argv`, `sys.exit`, `sys.stdout/stderr.write/flush`,
//! `time.sleep` (advances the simulated clock); string methods `upper lower strip lstrip rstrip
//! startswith endswith replace split join isdigit`; `__name__ == "__main__"`.
//!
//! # The rule for everything else
//! * What real Python rejects, this rejects the same way: syntax errors it can be sure of
//!   (unterminated strings, unbalanced brackets, indentation errors, a missing `:`, an
//!   expression cut short, `break` outside a loop) print CPython's `SyntaxError` /
//!   `IndentationError` report and exit 1 before anything runs; runtime errors of the subset
//!   (`NameError`, `ValueError` from `int('abc')`, `TypeError`, `KeyError`, `IndexError`,
//!   `ZeroDivisionError`, `AssertionError`, raised exceptions) print a traceback as CPython
//!   3.13+ does for `-c` (with the source line, without the `~~~^^^` markers and
//!   "Did you mean" hints) and exit 1.
//! * Valid Python outside the subset (`def`, `class`, `try`, comprehensions, slices, other
//!   modules such as `requests`, unknown attributes and methods, other builtins, integers
//!   beyond 64 bits, huge strings), met while parsing or while running, makes the whole
//!   program an unknown program: [`run`] returns `None` and the shell's unknown-program rule
//!   applies. A partial imitation would be worse than an honest "it runs for a while".
//!
//! # Time, buffering, bounds
//! * Only `time.sleep` takes time. Like CPython without a terminal, stdout is block-buffered:
//!   it is written when 8 KiB accumulate, on `flush=True` / `sys.stdout.flush()`, and at exit;
//!   `-u` or a non-empty `PYTHONUNBUFFERED` (unless `-E`/`-I`) write it at once. stderr is
//!   written at once. A process that never ends (busy loop, past the horizon) loses its
//!   buffered stdout, as a killed Python does.
//! * Every statement, expression node and loop iteration costs a step, and created text one
//!   step per 64 bytes; past the step budget the process is a busy loop (`exit: None`, the
//!   shell's `Forever`). Scripts are capped at 64 KiB, strings at 1 MiB, lists at 64 Ki items,
//!   variables at 1024, nesting (blocks and expressions) at 64/200 levels, recorded output at
//!   4 MiB; past these caps the program is outside the subset.

use std::collections::BTreeMap;
use std::rc::Rc;

const MAX_SCRIPT: usize = 64 * 1024;
const MAX_STR: usize = 1024 * 1024;
const MAX_LIST: usize = 64 * 1024;
const MAX_VARS: usize = 1024;
const MAX_BLOCK_DEPTH: usize = 64;
const MAX_EXPR_DEPTH: usize = 200;
const MAX_OUTPUT: usize = 4 * 1024 * 1024;
const MAX_WIDTH: usize = 4096;
const BYTES_PER_STEP: usize = 64;
const STDOUT_BUFFER: usize = 8192;
const HORIZON_MS: u64 = 30 * 86_400_000;
/// The line of `os.environ.__getitem__` CPython's traceback names (`<frozen os>`).
const FROZEN_OS_GETITEM_LINE: u32 = 716;

/// What the Python process does, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Text written to stdout.
    Out(String),
    /// Text written to stderr.
    Err(String),
    /// Time passing (`time.sleep`), in milliseconds.
    Sleep(u64),
}

/// A Python process evaluated to its end.
#[derive(Debug, Clone, PartialEq)]
pub struct Process {
    /// Output and sleeps, in order.
    pub actions: Vec<Action>,
    /// The exit status, or `None` when the process never ends (busy loop, past the horizon).
    pub exit: Option<i32>,
    /// Interpreter steps used (at most the budget given to [`run`]).
    pub steps: u64,
}

/// Runs `python3 -c SCRIPT` with the process environment (`env()`, asked only for a Python
/// command) and a step budget. `None` when argv is not such a command or the script is outside
/// the subset (see the module docs).
pub fn run(
    argv: &[String],
    env: &dyn Fn() -> Vec<(String, String)>,
    max_steps: u64,
) -> Option<Process> {
    let inv = parse_invocation(argv)?;
    let env = env();
    if inv.script.len() > MAX_SCRIPT {
        return None;
    }
    let lines: Vec<String> = inv
        .script
        .split('\n')
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect();
    let program = match tokenize(&inv.script).and_then(|t| Parser::new(&t).program()) {
        Ok(p) => p,
        Err(Fail::Unsupported) => return None,
        Err(Fail::Syntax(e)) => {
            return Some(Process {
                actions: vec![Action::Err(e.render(&lines))],
                exit: Some(1),
                steps: 1,
            });
        }
    };
    let unbuffered = inv.unbuffered
        || (!inv.ignore_env
            && env
                .iter()
                .any(|(k, v)| k == "PYTHONUNBUFFERED" && !v.is_empty()));
    let mut it = Interp {
        vars: BTreeMap::new(),
        env,
        argv: Rc::new(inv.argv.into_iter().map(|a| Value::Str(a.into())).collect()),
        lines: &lines,
        steps: 0,
        max_steps,
        clock: 0,
        actions: Vec::new(),
        out_buf: String::new(),
        unbuffered,
        recorded: 0,
        line: 1,
    };
    it.vars
        .insert("__name__".to_string(), Value::Str("__main__".into()));
    let result = it.exec_block(&program, 0);
    let exit = match result {
        Ok(()) => Some(0),
        Err(Flow::Unsupported) => return None,
        Err(Flow::Forever) => None,
        Err(Flow::Break | Flow::Continue) => Some(0),
        Err(Flow::Exit(v)) => Some(it.system_exit(&v)),
        Err(Flow::Exc(e)) => {
            let tb = it.traceback(&e);
            it.write_err(&tb);
            Some(1)
        }
    };
    if exit.is_some() {
        it.flush();
    }
    Some(Process {
        actions: it.actions,
        exit,
        steps: it.steps.min(max_steps),
    })
}

// ---------------------------------------------------------------------------------------
// Invocation
// ---------------------------------------------------------------------------------------

struct Invocation {
    script: String,
    argv: Vec<String>,
    unbuffered: bool,
    ignore_env: bool,
}

fn is_python(program: &str) -> bool {
    program == "python"
        || program == "python3"
        || program
            .strip_prefix("python3.")
            .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
}

fn parse_invocation(argv: &[String]) -> Option<Invocation> {
    let program = argv.first()?.rsplit('/').next()?;
    if !is_python(program) {
        return None;
    }
    let mut unbuffered = false;
    let mut ignore_env = false;
    let mut i = 1;
    loop {
        let arg = argv.get(i)?;
        let flags = arg.strip_prefix('-')?;
        if flags.is_empty() || flags.starts_with('-') {
            return None;
        }
        for (j, f) in flags.char_indices() {
            let rest = flags.get(j + 1..).unwrap_or_default();
            match f {
                'u' => unbuffered = true,
                'E' | 'I' => ignore_env = true,
                'B' | 's' | 'S' | 'O' | 'q' | 'b' | 'd' | 'v' | 'R' => {}
                'W' | 'X' => {
                    if rest.is_empty() {
                        i += 1;
                    }
                    break;
                }
                'c' => {
                    let (script, first_arg) = if rest.is_empty() {
                        (argv.get(i + 1)?.clone(), i + 2)
                    } else {
                        (rest.to_string(), i + 1)
                    };
                    let mut args = vec!["-c".to_string()];
                    args.extend(argv.iter().skip(first_arg).cloned());
                    return Some(Invocation {
                        script,
                        argv: args,
                        unbuffered,
                        ignore_env,
                    });
                }
                _ => return None,
            }
        }
        i += 1;
    }
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

#[derive(Debug)]
enum Fail {
    Syntax(SyntaxErr),
    /// Valid (or possibly valid) Python outside the subset.
    Unsupported,
}

#[derive(Debug)]
struct SyntaxErr {
    kind: &'static str,
    msg: String,
    line: usize,
    /// Column (in characters of the raw line) of the caret, if CPython shows one.
    caret: Option<usize>,
}

impl SyntaxErr {
    fn fail(kind: &'static str, msg: impl Into<String>, line: usize, caret: Option<usize>) -> Fail {
        Fail::Syntax(SyntaxErr {
            kind,
            msg: msg.into(),
            line,
            caret,
        })
    }

    fn render(&self, lines: &[String]) -> String {
        let mut s = format!("  File \"<string>\", line {}\n", self.line);
        let raw = lines
            .get(self.line.saturating_sub(1))
            .map(String::as_str)
            .unwrap_or_default();
        let stripped = raw.trim_start();
        let lead = raw.chars().count() - stripped.chars().count();
        if !stripped.trim_end().is_empty() {
            s.push_str("    ");
            s.push_str(stripped.trim_end());
            s.push('\n');
            if let Some(c) = self.caret {
                s.push_str(&" ".repeat(4 + c.saturating_sub(lead).min(MAX_WIDTH)));
                s.push_str("^\n");
            }
        }
        s.push_str(&format!("{}: {}\n", self.kind, self.msg));
        s
    }
}

fn syntax(msg: impl Into<String>, line: usize, col: usize) -> Fail {
    SyntaxErr::fail("SyntaxError", msg, line, Some(col))
}

// ---------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    Int(i64),
    Float(f64),
    Str(String),
    /// An f-string's body, escapes not yet processed; `true` when raw (`rf"..."`).
    FStr(String, bool),
    Op(&'static str),
    Newline,
    Indent,
    Dedent,
    Eof,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
    col: usize,
    end: usize,
}

const OPS: [&str; 47] = [
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "==", "!=", "<=", ">=", "<<", ">>",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "+", "-", "*", "/", "%", "@", "&", "|",
    "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "=",
];

struct Lexer {
    lines: Vec<Vec<char>>,
}

impl Lexer {
    /// The character at (line index, column); the end of a line that has a successor reads as
    /// `'\n'`.
    fn at(&self, li: usize, c: usize) -> Option<char> {
        let line = self.lines.get(li)?;
        match line.get(c) {
            Some(&ch) => Some(ch),
            None if c == line.len() && li + 1 < self.lines.len() => Some('\n'),
            None => None,
        }
    }
}

fn tokenize(src: &str) -> Result<Vec<Token>, Fail> {
    let lx = Lexer {
        lines: src
            .split('\n')
            .map(|l| l.trim_end_matches('\r').chars().collect())
            .collect(),
    };
    let mut toks: Vec<Token> = Vec::new();
    let mut indents = vec![0usize];
    let mut brackets: Vec<(char, usize, usize)> = Vec::new();
    let mut continuation = false;
    let mut pending = false; // tokens since the last NEWLINE
    let mut li = 0;
    while li < lx.lines.len() {
        let lineno = li + 1;
        let len = lx.lines.get(li).map_or(0, Vec::len);
        let mut c = 0;
        if brackets.is_empty() && !continuation {
            let mut width = 0usize;
            while let Some(ch) = lx.lines.get(li).and_then(|l| l.get(c)) {
                match ch {
                    ' ' => width += 1,
                    '\t' => width = (width / 8 + 1) * 8,
                    '\x0c' => width = 0,
                    _ => break,
                }
                c += 1;
            }
            match lx.lines.get(li).and_then(|l| l.get(c)) {
                None | Some('#') => {
                    li += 1;
                    continue;
                }
                Some(_) => {}
            }
            let cur = indents.last().copied().unwrap_or(0);
            if width > cur {
                if indents.len() > MAX_BLOCK_DEPTH {
                    return Err(Fail::Unsupported);
                }
                indents.push(width);
                toks.push(Token {
                    tok: Tok::Indent,
                    line: lineno,
                    col: c,
                    end: c,
                });
            } else if width < cur {
                while indents.last().is_some_and(|&w| width < w) {
                    indents.pop();
                    toks.push(Token {
                        tok: Tok::Dedent,
                        line: lineno,
                        col: c,
                        end: c,
                    });
                }
                if indents.last().copied().unwrap_or(0) != width {
                    return Err(SyntaxErr::fail(
                        "IndentationError",
                        "unindent does not match any outer indentation level",
                        lineno,
                        Some(len),
                    ));
                }
            }
        }
        continuation = false;
        loop {
            while matches!(lx.at(li, c), Some(' ' | '\t' | '\x0c')) {
                c += 1;
            }
            let Some(ch) = lx.lines.get(li).and_then(|l| l.get(c)).copied() else {
                break;
            };
            let start = c;
            let tok = if ch == '#' {
                break;
            } else if ch == '\\' {
                if c + 1 == len && li + 1 < lx.lines.len() {
                    continuation = true;
                    break;
                }
                return Err(Fail::Unsupported);
            } else if ch.is_alphabetic() || ch == '_' {
                while lx
                    .at(li, c)
                    .is_some_and(|x| x.is_alphanumeric() || x == '_')
                {
                    c += 1;
                }
                let word: String = lx
                    .lines
                    .get(li)
                    .and_then(|l| l.get(start..c))
                    .unwrap_or_default()
                    .iter()
                    .collect();
                if matches!(lx.at(li, c), Some('"' | '\'')) {
                    let prefix = word.to_ascii_lowercase();
                    if !matches!(prefix.as_str(), "r" | "u" | "f" | "rf" | "fr") {
                        // b'' bytes and anything else: outside the subset.
                        return Err(Fail::Unsupported);
                    }
                    let raw = prefix.contains('r');
                    let (body, nli, nc) = read_string(&lx, li, c, start)?;
                    li = nli;
                    c = nc;
                    if prefix.contains('f') {
                        Tok::FStr(body, raw)
                    } else if raw {
                        Tok::Str(body)
                    } else {
                        Tok::Str(unescape(&body))
                    }
                } else {
                    Tok::Name(word)
                }
            } else if ch.is_ascii_digit()
                || (ch == '.' && lx.at(li, c + 1).is_some_and(|x| x.is_ascii_digit()))
            {
                let (tok, nc) = read_number(&lx, li, c)?;
                c = nc;
                tok
            } else if ch == '"' || ch == '\'' {
                let (body, nli, nc) = read_string(&lx, li, c, start)?;
                li = nli;
                c = nc;
                Tok::Str(unescape(&body))
            } else {
                let rest: String = lx
                    .lines
                    .get(li)
                    .and_then(|l| l.get(c..))
                    .unwrap_or_default()
                    .iter()
                    .take(3)
                    .collect();
                let Some(op) = OPS.iter().find(|op| rest.starts_with(**op)) else {
                    return Err(Fail::Unsupported);
                };
                c += op.len();
                match *op {
                    "(" | "[" | "{" => {
                        if brackets.len() >= MAX_EXPR_DEPTH {
                            return Err(Fail::Unsupported);
                        }
                        brackets.push((ch, lineno, start));
                    }
                    ")" | "]" | "}" => match brackets.pop() {
                        None => return Err(syntax(format!("unmatched '{ch}'"), lineno, start)),
                        Some((open, oline, _)) => {
                            let want = match open {
                                '(' => ')',
                                '[' => ']',
                                _ => '}',
                            };
                            if want != ch {
                                let on = if oline == lineno {
                                    String::new()
                                } else {
                                    format!(" on line {oline}")
                                };
                                return Err(syntax(
                                    format!(
                                        "closing parenthesis '{ch}' does not match opening parenthesis '{open}'{on}"
                                    ),
                                    lineno,
                                    start,
                                ));
                            }
                        }
                    },
                    _ => {}
                }
                Tok::Op(op)
            };
            // A string token may have ended on a later line.
            let line = if matches!(tok, Tok::Str(_) | Tok::FStr(..)) {
                lineno
            } else {
                li + 1
            };
            toks.push(Token {
                tok,
                line,
                col: start,
                end: c,
            });
            pending = true;
        }
        if brackets.is_empty() && !continuation && pending {
            let end = lx.lines.get(li).map_or(0, Vec::len);
            toks.push(Token {
                tok: Tok::Newline,
                line: li + 1,
                col: end,
                end,
            });
            pending = false;
        }
        li += 1;
    }
    if let Some(&(open, line, col)) = brackets.last() {
        return Err(syntax(format!("'{open}' was never closed"), line, col));
    }
    if continuation {
        return Err(Fail::Unsupported);
    }
    let last = lx.lines.len();
    for _ in 1..indents.len() {
        toks.push(Token {
            tok: Tok::Dedent,
            line: last,
            col: 0,
            end: 0,
        });
    }
    toks.push(Token {
        tok: Tok::Eof,
        line: last,
        col: 0,
        end: 0,
    });
    Ok(toks)
}

/// Reads a string literal whose quote is at (li, c); returns its raw body and the position
/// after the closing quote. `start` is where the token (with its prefix) starts.
fn read_string(
    lx: &Lexer,
    mut li: usize,
    mut c: usize,
    start: usize,
) -> Result<(String, usize, usize), Fail> {
    let q = lx.at(li, c).unwrap_or('"');
    let triple = lx.at(li, c + 1) == Some(q) && lx.at(li, c + 2) == Some(q);
    let sline = li + 1;
    c += if triple { 3 } else { 1 };
    let mut body = String::new();
    loop {
        match lx.at(li, c) {
            None => {
                let msg = if triple {
                    format!(
                        "unterminated triple-quoted string literal (detected at line {})",
                        lx.lines.len()
                    )
                } else {
                    format!("unterminated string literal (detected at line {})", li + 1)
                };
                return Err(syntax(msg, sline, start));
            }
            Some('\n') => {
                if !triple {
                    return Err(syntax(
                        format!("unterminated string literal (detected at line {})", li + 1),
                        sline,
                        start,
                    ));
                }
                body.push('\n');
                li += 1;
                c = 0;
            }
            Some('\\') => {
                body.push('\\');
                match lx.at(li, c + 1) {
                    Some('\n') => {
                        body.push('\n');
                        li += 1;
                        c = 0;
                    }
                    Some(x) => {
                        body.push(x);
                        c += 2;
                    }
                    None => c += 1,
                }
            }
            Some(x) if x == q => {
                if !triple {
                    return Ok((body, li, c + 1));
                }
                if lx.at(li, c + 1) == Some(q) && lx.at(li, c + 2) == Some(q) {
                    return Ok((body, li, c + 3));
                }
                body.push(x);
                c += 1;
            }
            Some(x) => {
                body.push(x);
                c += 1;
            }
        }
    }
}

/// Python's escape sequences in a non-raw string body.
fn unescape(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut it = body.chars().peekable();
    while let Some(ch) = it.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        match it.next() {
            None => out.push('\\'),
            Some('\n') => {}
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('a') => out.push('\x07'),
            Some('b') => out.push('\x08'),
            Some('f') => out.push('\x0c'),
            Some('v') => out.push('\x0b'),
            Some(c @ ('\\' | '\'' | '"')) => out.push(c),
            Some(c @ ('x' | 'u' | 'U')) => {
                let n = match c {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut hex = String::new();
                while hex.len() < n {
                    match it.peek() {
                        Some(h) if h.is_ascii_hexdigit() => {
                            hex.push(*h);
                            it.next();
                        }
                        _ => break,
                    }
                }
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(x) if hex.len() == n => out.push(x),
                    _ => {
                        out.push('\\');
                        out.push(c);
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

fn read_number(lx: &Lexer, li: usize, mut c: usize) -> Result<(Tok, usize), Fail> {
    let mut text = String::new();
    let radix = match (lx.at(li, c), lx.at(li, c + 1)) {
        (Some('0'), Some('x' | 'X')) => 16,
        (Some('0'), Some('o' | 'O')) => 8,
        (Some('0'), Some('b' | 'B')) => 2,
        _ => 10,
    };
    if radix != 10 {
        c += 2;
        while let Some(x) = lx
            .at(li, c)
            .filter(|x| x.is_ascii_alphanumeric() || *x == '_')
        {
            if x != '_' {
                text.push(x);
            }
            c += 1;
        }
        let v = i64::from_str_radix(&text, radix).map_err(|_| Fail::Unsupported)?;
        return Ok((Tok::Int(v), c));
    }
    let mut float = false;
    while let Some(x) = lx.at(li, c) {
        match x {
            '0'..='9' => text.push(x),
            '_' => {}
            '.' if !float => {
                float = true;
                text.push('.');
            }
            'e' | 'E' => {
                float = true;
                text.push('e');
                if let Some(s @ ('+' | '-')) = lx.at(li, c + 1) {
                    text.push(s);
                    c += 1;
                }
            }
            _ => break,
        }
        c += 1;
    }
    if lx
        .at(li, c)
        .is_some_and(|x| x.is_alphanumeric() || x == '_')
    {
        // 1j, 1if..., 0777: outside the subset.
        return Err(Fail::Unsupported);
    }
    if float {
        let v: f64 = text.parse().map_err(|_| Fail::Unsupported)?;
        Ok((Tok::Float(v), c))
    } else {
        if text.len() > 1 && text.starts_with('0') && text.bytes().any(|b| b != b'0') {
            return Err(Fail::Unsupported);
        }
        let v: i64 = text.parse().map_err(|_| Fail::Unsupported)?;
        Ok((Tok::Int(v), c))
    }
}

// ---------------------------------------------------------------------------------------
// Syntax tree and parser
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
}

impl BinOp {
    fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "** or pow()",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Is,
    IsNot,
}

#[derive(Debug)]
enum FPart {
    Lit(String),
    Expr {
        expr: Expr,
        conv: Option<char>,
        spec: String,
    },
}

#[derive(Debug)]
enum Expr {
    Const(Value),
    Name(String),
    FStr(Vec<FPart>),
    List(Vec<Expr>),
    Neg(Box<Expr>),
    Pos(Box<Expr>),
    Not(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Cmp(Box<Expr>, Vec<(CmpOp, Expr)>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    IfExp(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(Box<Expr>, Vec<Expr>, Vec<(String, Expr)>),
    Attr(Box<Expr>, String),
    Index(Box<Expr>, Box<Expr>),
}

#[derive(Debug)]
enum StmtKind {
    Expr(Expr),
    Assign(Vec<String>, Expr),
    AugAssign(String, BinOp, Expr),
    If(Vec<(Expr, Vec<Stmt>)>, Vec<Stmt>),
    While(Expr, Vec<Stmt>),
    For(String, Expr, Vec<Stmt>),
    Break,
    Continue,
    Pass,
    Import(Vec<(Module, String)>),
    FromImport(Module, Vec<(String, String)>),
    Raise(Option<Expr>),
    Assert(Expr, Option<Expr>),
}

#[derive(Debug)]
struct Stmt {
    line: usize,
    kind: StmtKind,
}

const KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

struct Parser<'t> {
    toks: &'t [Token],
    pos: usize,
    depth: usize,
    loops: usize,
    blocks: usize,
}

type PResult<T> = Result<T, Fail>;
type KwArgs = Vec<(String, Expr)>;

static EOF: Token = Token {
    tok: Tok::Eof,
    line: 1,
    col: 0,
    end: 0,
};

impl<'t> Parser<'t> {
    fn new(toks: &'t [Token]) -> Self {
        Parser {
            toks,
            pos: 0,
            depth: 0,
            loops: 0,
            blocks: 0,
        }
    }

    fn tok(&self) -> &'t Token {
        self.toks
            .get(self.pos)
            .or_else(|| self.toks.last())
            .unwrap_or(&EOF)
    }

    fn peek(&self) -> &'t Tok {
        &self.tok().tok
    }

    fn prev(&self) -> &'t Token {
        self.pos
            .checked_sub(1)
            .and_then(|p| self.toks.get(p))
            .unwrap_or(&EOF)
    }

    fn bump(&mut self) -> &'t Token {
        let t = self.tok();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == kw)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        if self.is_op(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.is_kw(kw) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// An unexpected token: CPython's "invalid syntax" when the line ends where an operand
    /// was due (certainly invalid), outside the subset otherwise.
    fn unexpected<T>(&self) -> PResult<T> {
        let t = self.tok();
        match t.tok {
            Tok::Newline | Tok::Eof => Err(syntax("invalid syntax", t.line, t.col)),
            _ => Err(Fail::Unsupported),
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_EXPR_DEPTH {
            return Err(Fail::Unsupported);
        }
        Ok(())
    }

    fn program(mut self) -> PResult<Vec<Stmt>> {
        let mut out = Vec::new();
        loop {
            match self.peek() {
                Tok::Eof => return Ok(out),
                Tok::Newline => {
                    self.pos += 1;
                }
                Tok::Indent => {
                    let t = self.tok();
                    return Err(SyntaxErr::fail(
                        "IndentationError",
                        "unexpected indent",
                        t.line,
                        None,
                    ));
                }
                Tok::Dedent => return Err(Fail::Unsupported),
                _ => self.statement(&mut out)?,
            }
        }
    }

    fn statement(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        let t = self.tok();
        let line = t.line;
        let kw = match &t.tok {
            Tok::Name(n) => n.as_str(),
            Tok::Op("@") => return Err(Fail::Unsupported),
            _ => "",
        };
        match kw {
            "if" => {
                self.pos += 1;
                let mut arms = Vec::new();
                let cond = self.expr()?;
                let body = self.suite("if", line)?;
                arms.push((cond, body));
                let mut orelse = Vec::new();
                loop {
                    let l = self.tok().line;
                    if self.eat_kw("elif") {
                        let cond = self.expr()?;
                        let body = self.suite("elif", l)?;
                        arms.push((cond, body));
                    } else if self.eat_kw("else") {
                        orelse = self.suite("else", l)?;
                        break;
                    } else {
                        break;
                    }
                }
                out.push(Stmt {
                    line,
                    kind: StmtKind::If(arms, orelse),
                });
            }
            "while" => {
                self.pos += 1;
                let cond = self.expr()?;
                self.loops += 1;
                let body = self.suite("while", line);
                self.loops -= 1;
                if self.is_kw("else") {
                    return Err(Fail::Unsupported);
                }
                out.push(Stmt {
                    line,
                    kind: StmtKind::While(cond, body?),
                });
            }
            "for" => {
                self.pos += 1;
                let name = match &self.bump().tok {
                    Tok::Name(n) if !KEYWORDS.contains(&n.as_str()) => n.clone(),
                    _ => return Err(Fail::Unsupported),
                };
                if !self.eat_kw("in") {
                    return Err(Fail::Unsupported);
                }
                let iter = self.expr()?;
                self.loops += 1;
                let body = self.suite("for", line);
                self.loops -= 1;
                if self.is_kw("else") {
                    return Err(Fail::Unsupported);
                }
                out.push(Stmt {
                    line,
                    kind: StmtKind::For(name, iter, body?),
                });
            }
            "def" | "class" | "try" | "with" | "async" | "match" if !self.next_is_assign() => {
                return Err(Fail::Unsupported);
            }
            "elif" | "else" | "except" | "finally" => return Err(Fail::Unsupported),
            _ => self.simple_statements(out)?,
        }
        Ok(())
    }

    /// `match = 1` is an assignment (a soft keyword), as is any name followed by `=`.
    fn next_is_assign(&self) -> bool {
        matches!(
            self.toks.get(self.pos + 1).map(|t| &t.tok),
            Some(Tok::Op("="))
        )
    }

    /// `:` then a block, or simple statements on the same line.
    fn suite(&mut self, what: &str, header_line: usize) -> PResult<Vec<Stmt>> {
        if !self.eat_op(":") {
            let t = self.tok();
            if matches!(t.tok, Tok::Newline | Tok::Eof) {
                let p = self.prev();
                return Err(syntax("expected ':'", p.line, p.end));
            }
            return Err(Fail::Unsupported);
        }
        let mut body = Vec::new();
        if !matches!(self.peek(), Tok::Newline) {
            self.simple_statements(&mut body)?;
            return Ok(body);
        }
        let nl = self.bump();
        if !matches!(self.peek(), Tok::Indent) {
            let t = if matches!(self.peek(), Tok::Eof | Tok::Dedent) {
                nl
            } else {
                self.tok()
            };
            return Err(SyntaxErr::fail(
                "IndentationError",
                format!(
                    "expected an indented block after '{what}' statement on line {header_line}"
                ),
                t.line,
                Some(t.col),
            ));
        }
        self.pos += 1;
        self.blocks += 1;
        if self.blocks > MAX_BLOCK_DEPTH {
            return Err(Fail::Unsupported);
        }
        loop {
            match self.peek() {
                Tok::Dedent => {
                    self.pos += 1;
                    break;
                }
                Tok::Eof => break,
                Tok::Newline => self.pos += 1,
                Tok::Indent => {
                    let t = self.tok();
                    return Err(SyntaxErr::fail(
                        "IndentationError",
                        "unexpected indent",
                        t.line,
                        None,
                    ));
                }
                _ => self.statement(&mut body)?,
            }
        }
        self.blocks -= 1;
        Ok(body)
    }

    fn simple_statements(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        loop {
            let line = self.tok().line;
            let kind = self.small_statement()?;
            out.push(Stmt { line, kind });
            if self.eat_op(";") {
                if matches!(self.peek(), Tok::Newline | Tok::Eof) {
                    break;
                }
                continue;
            }
            break;
        }
        match self.peek() {
            Tok::Newline => {
                self.pos += 1;
                Ok(())
            }
            Tok::Eof | Tok::Dedent => Ok(()),
            _ => Err(Fail::Unsupported),
        }
    }

    fn small_statement(&mut self) -> PResult<StmtKind> {
        let t = self.tok();
        let kw = match &t.tok {
            Tok::Name(n) => n.as_str(),
            _ => "",
        };
        match kw {
            "pass" => {
                self.pos += 1;
                Ok(StmtKind::Pass)
            }
            "break" | "continue" => {
                self.pos += 1;
                if self.loops == 0 {
                    let msg = format!("'{kw}' outside loop");
                    return Err(syntax(msg, t.line, t.col));
                }
                Ok(if kw == "break" {
                    StmtKind::Break
                } else {
                    StmtKind::Continue
                })
            }
            "import" => {
                self.pos += 1;
                let mut mods = Vec::new();
                loop {
                    let m = self.module_name()?;
                    let alias = if self.eat_kw("as") {
                        self.plain_name()?
                    } else {
                        m.name().to_string()
                    };
                    mods.push((m, alias));
                    if !self.eat_op(",") {
                        break;
                    }
                }
                Ok(StmtKind::Import(mods))
            }
            "from" => {
                self.pos += 1;
                let m = self.module_name()?;
                if !self.eat_kw("import") {
                    return Err(Fail::Unsupported);
                }
                let mut names = Vec::new();
                loop {
                    let n = self.plain_name()?;
                    let alias = if self.eat_kw("as") {
                        self.plain_name()?
                    } else {
                        n.clone()
                    };
                    names.push((n, alias));
                    if !self.eat_op(",") {
                        break;
                    }
                }
                Ok(StmtKind::FromImport(m, names))
            }
            "raise" => {
                self.pos += 1;
                if matches!(self.peek(), Tok::Newline | Tok::Eof | Tok::Op(";")) {
                    return Ok(StmtKind::Raise(None));
                }
                let e = self.expr()?;
                if self.is_kw("from") {
                    return Err(Fail::Unsupported);
                }
                Ok(StmtKind::Raise(Some(e)))
            }
            "assert" => {
                self.pos += 1;
                let e = self.expr()?;
                let msg = if self.eat_op(",") {
                    Some(self.expr()?)
                } else {
                    None
                };
                Ok(StmtKind::Assert(e, msg))
            }
            "del" | "global" | "nonlocal" | "return" | "yield" | "await" => Err(Fail::Unsupported),
            _ => self.expr_statement(),
        }
    }

    fn module_name(&mut self) -> PResult<Module> {
        let m = match &self.bump().tok {
            Tok::Name(n) => Module::from_name(n).ok_or(Fail::Unsupported)?,
            _ => return Err(Fail::Unsupported),
        };
        if self.is_op(".") {
            return Err(Fail::Unsupported);
        }
        Ok(m)
    }

    fn plain_name(&mut self) -> PResult<String> {
        match &self.bump().tok {
            Tok::Name(n) if !KEYWORDS.contains(&n.as_str()) => Ok(n.clone()),
            _ => Err(Fail::Unsupported),
        }
    }

    fn expr_statement(&mut self) -> PResult<StmtKind> {
        let first = self.expr()?;
        if self.is_op("=") {
            let mut targets = vec![first];
            let mut value;
            loop {
                self.pos += 1;
                value = self.expr()?;
                if !self.is_op("=") {
                    break;
                }
                targets.push(value);
            }
            let mut names = Vec::new();
            for t in targets {
                match t {
                    Expr::Name(n) => names.push(n),
                    _ => return Err(Fail::Unsupported),
                }
            }
            return Ok(StmtKind::Assign(names, value));
        }
        let aug = match self.peek() {
            Tok::Op("+=") => Some(BinOp::Add),
            Tok::Op("-=") => Some(BinOp::Sub),
            Tok::Op("*=") => Some(BinOp::Mul),
            Tok::Op("/=") => Some(BinOp::Div),
            Tok::Op("//=") => Some(BinOp::FloorDiv),
            Tok::Op("%=") => Some(BinOp::Mod),
            Tok::Op("**=") => Some(BinOp::Pow),
            _ => None,
        };
        if let Some(op) = aug {
            self.pos += 1;
            let Expr::Name(n) = first else {
                return Err(Fail::Unsupported);
            };
            let value = self.expr()?;
            return Ok(StmtKind::AugAssign(n, op, value));
        }
        Ok(StmtKind::Expr(first))
    }

    // ----- expressions -----

    fn expr(&mut self) -> PResult<Expr> {
        self.enter()?;
        let r = self.ternary();
        self.depth -= 1;
        r
    }

    fn ternary(&mut self) -> PResult<Expr> {
        if self.is_kw("lambda") {
            return Err(Fail::Unsupported);
        }
        let body = self.or_expr()?;
        if self.eat_kw("if") {
            let cond = self.or_expr()?;
            if !self.eat_kw("else") {
                return self.unexpected();
            }
            let orelse = self.expr()?;
            return Ok(Expr::IfExp(
                Box::new(cond),
                Box::new(body),
                Box::new(orelse),
            ));
        }
        Ok(body)
    }

    fn or_expr(&mut self) -> PResult<Expr> {
        let saved = self.depth;
        let mut e = self.and_expr()?;
        while self.eat_kw("or") {
            self.enter()?;
            let r = self.and_expr()?;
            e = Expr::Or(Box::new(e), Box::new(r));
        }
        self.depth = saved;
        Ok(e)
    }

    fn and_expr(&mut self) -> PResult<Expr> {
        let saved = self.depth;
        let mut e = self.not_expr()?;
        while self.eat_kw("and") {
            self.enter()?;
            let r = self.not_expr()?;
            e = Expr::And(Box::new(e), Box::new(r));
        }
        self.depth = saved;
        Ok(e)
    }

    fn not_expr(&mut self) -> PResult<Expr> {
        if self.eat_kw("not") {
            self.enter()?;
            let e = self.not_expr();
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(e?)));
        }
        self.comparison()
    }

    fn cmp_op(&mut self) -> Option<CmpOp> {
        let op = match self.peek() {
            Tok::Op("==") => CmpOp::Eq,
            Tok::Op("!=") => CmpOp::Ne,
            Tok::Op("<") => CmpOp::Lt,
            Tok::Op("<=") => CmpOp::Le,
            Tok::Op(">") => CmpOp::Gt,
            Tok::Op(">=") => CmpOp::Ge,
            Tok::Name(n) if n == "in" => CmpOp::In,
            Tok::Name(n) if n == "is" => {
                self.pos += 1;
                return Some(if self.eat_kw("not") {
                    CmpOp::IsNot
                } else {
                    CmpOp::Is
                });
            }
            Tok::Name(n)
                if n == "not"
                    && matches!(self.toks.get(self.pos + 1).map(|t| &t.tok), Some(Tok::Name(m)) if m == "in") =>
            {
                self.pos += 2;
                return Some(CmpOp::NotIn);
            }
            _ => return None,
        };
        self.pos += 1;
        Some(op)
    }

    fn comparison(&mut self) -> PResult<Expr> {
        let saved = self.depth;
        let first = self.arith()?;
        let mut rest = Vec::new();
        while let Some(op) = self.cmp_op() {
            self.enter()?;
            rest.push((op, self.arith()?));
        }
        self.depth = saved;
        if rest.is_empty() {
            Ok(first)
        } else {
            Ok(Expr::Cmp(Box::new(first), rest))
        }
    }

    fn arith(&mut self) -> PResult<Expr> {
        self.binary_level(&[("+", BinOp::Add), ("-", BinOp::Sub)], Self::term)
    }

    fn term(&mut self) -> PResult<Expr> {
        self.binary_level(
            &[
                ("*", BinOp::Mul),
                ("/", BinOp::Div),
                ("//", BinOp::FloorDiv),
                ("%", BinOp::Mod),
            ],
            Self::factor,
        )
    }

    /// One left-associative precedence level: `next (op next)*` for the level's `ops`.
    fn binary_level(
        &mut self,
        ops: &[(&str, BinOp)],
        next: fn(&mut Self) -> PResult<Expr>,
    ) -> PResult<Expr> {
        let saved = self.depth;
        let mut e = next(self)?;
        while let Some(op) = match self.peek() {
            Tok::Op(o) => ops.iter().find(|(s, _)| s == o).map(|(_, op)| *op),
            _ => None,
        } {
            self.pos += 1;
            self.enter()?;
            let r = next(self)?;
            e = Expr::Bin(op, Box::new(e), Box::new(r));
        }
        self.depth = saved;
        Ok(e)
    }

    fn factor(&mut self) -> PResult<Expr> {
        let neg = if self.eat_op("-") {
            Some(true)
        } else if self.eat_op("+") {
            Some(false)
        } else {
            None
        };
        if let Some(neg) = neg {
            self.enter()?;
            let e = self.factor();
            self.depth -= 1;
            let e = Box::new(e?);
            return Ok(if neg { Expr::Neg(e) } else { Expr::Pos(e) });
        }
        if self.is_op("~") {
            return Err(Fail::Unsupported);
        }
        self.power()
    }

    fn power(&mut self) -> PResult<Expr> {
        let base = self.primary()?;
        if self.eat_op("**") {
            self.enter()?;
            let exp = self.factor();
            self.depth -= 1;
            return Ok(Expr::Bin(BinOp::Pow, Box::new(base), Box::new(exp?)));
        }
        Ok(base)
    }

    fn primary(&mut self) -> PResult<Expr> {
        let saved = self.depth;
        let mut e = self.atom()?;
        loop {
            if self.eat_op("(") {
                self.enter()?;
                let (args, kwargs) = self.call_args()?;
                e = Expr::Call(Box::new(e), args, kwargs);
            } else if self.eat_op("[") {
                self.enter()?;
                if self.is_op(":") {
                    return Err(Fail::Unsupported);
                }
                let idx = self.expr()?;
                if !self.eat_op("]") {
                    return Err(Fail::Unsupported);
                }
                e = Expr::Index(Box::new(e), Box::new(idx));
            } else if self.eat_op(".") {
                self.enter()?;
                let name = self.plain_name()?;
                e = Expr::Attr(Box::new(e), name);
            } else {
                break;
            }
        }
        self.depth = saved;
        Ok(e)
    }

    fn call_args(&mut self) -> PResult<(Vec<Expr>, KwArgs)> {
        let mut args = Vec::new();
        let mut kwargs: Vec<(String, Expr)> = Vec::new();
        loop {
            if self.eat_op(")") {
                return Ok((args, kwargs));
            }
            if self.is_op("*") || self.is_op("**") {
                return Err(Fail::Unsupported);
            }
            let kw = match (&self.tok().tok, self.toks.get(self.pos + 1).map(|t| &t.tok)) {
                (Tok::Name(n), Some(Tok::Op("="))) => Some(n.clone()),
                _ => None,
            };
            if let Some(k) = kw {
                self.pos += 2;
                let v = self.expr()?;
                if kwargs.iter().any(|(n, _)| *n == k) {
                    return Err(Fail::Unsupported);
                }
                kwargs.push((k, v));
            } else {
                if !kwargs.is_empty() {
                    return Err(Fail::Unsupported);
                }
                args.push(self.expr()?);
                if self.is_kw("for") {
                    return Err(Fail::Unsupported);
                }
            }
            if !self.eat_op(",") {
                if self.eat_op(")") {
                    return Ok((args, kwargs));
                }
                return Err(Fail::Unsupported);
            }
        }
    }

    fn atom(&mut self) -> PResult<Expr> {
        let t = self.tok();
        match &t.tok {
            Tok::Name(n) => {
                let e = match n.as_str() {
                    "True" => Expr::Const(Value::Bool(true)),
                    "False" => Expr::Const(Value::Bool(false)),
                    "None" => Expr::Const(Value::None),
                    k if KEYWORDS.contains(&k) => return Err(Fail::Unsupported),
                    _ => Expr::Name(n.clone()),
                };
                self.pos += 1;
                Ok(e)
            }
            Tok::Int(v) => {
                self.pos += 1;
                Ok(Expr::Const(Value::Int(*v)))
            }
            Tok::Float(v) => {
                self.pos += 1;
                Ok(Expr::Const(Value::Float(*v)))
            }
            Tok::Str(_) | Tok::FStr(..) => self.strings(),
            Tok::Op("(") => {
                self.pos += 1;
                if self.is_op(")") {
                    return Err(Fail::Unsupported);
                }
                let e = self.expr()?;
                if !self.eat_op(")") {
                    return Err(Fail::Unsupported);
                }
                Ok(e)
            }
            Tok::Op("[") => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    if self.eat_op("]") {
                        break;
                    }
                    if self.is_op("*") {
                        return Err(Fail::Unsupported);
                    }
                    items.push(self.expr()?);
                    if self.is_kw("for") {
                        return Err(Fail::Unsupported);
                    }
                    if !self.eat_op(",") {
                        if self.eat_op("]") {
                            break;
                        }
                        return Err(Fail::Unsupported);
                    }
                }
                Ok(Expr::List(items))
            }
            _ => self.unexpected(),
        }
    }

    /// Adjacent string literals concatenate; any f-string among them makes an f-string.
    fn strings(&mut self) -> PResult<Expr> {
        let mut parts: Vec<FPart> = Vec::new();
        let mut fstring = false;
        loop {
            let t = self.tok();
            match &t.tok {
                Tok::Str(s) => parts.push(FPart::Lit(s.clone())),
                Tok::FStr(body, raw) => {
                    fstring = true;
                    self.enter()?;
                    let r = self.fstring(body, *raw, &mut parts);
                    self.depth -= 1;
                    r?;
                }
                _ => break,
            }
            self.pos += 1;
        }
        if !fstring {
            let mut s = String::new();
            for p in parts {
                if let FPart::Lit(l) = p {
                    s.push_str(&l);
                }
            }
            return Ok(Expr::Const(Value::Str(s.into())));
        }
        Ok(Expr::FStr(parts))
    }

    fn fstring(&mut self, body: &str, raw: bool, parts: &mut Vec<FPart>) -> PResult<()> {
        let chars: Vec<char> = body.chars().collect();
        let mut lit = String::new();
        let mut i = 0;
        let flush = |lit: &mut String, parts: &mut Vec<FPart>| {
            if !lit.is_empty() {
                let text = if raw {
                    std::mem::take(lit)
                } else {
                    unescape(&std::mem::take(lit))
                };
                parts.push(FPart::Lit(text));
            }
        };
        while let Some(&c) = chars.get(i) {
            match c {
                '{' if chars.get(i + 1) == Some(&'{') => {
                    lit.push('{');
                    i += 2;
                }
                '}' if chars.get(i + 1) == Some(&'}') => {
                    lit.push('}');
                    i += 2;
                }
                '}' => return Err(Fail::Unsupported),
                '{' => {
                    flush(&mut lit, parts);
                    // The expression runs to the first top-level `!`, `:` or `}`.
                    let mut j = i + 1;
                    let mut nest = 0usize;
                    let mut quote: Option<char> = None;
                    while let Some(&d) = chars.get(j) {
                        match (quote, d) {
                            (Some(q), d) if d == q => quote = None,
                            (Some(_), _) => {}
                            (None, '\'' | '"') => quote = Some(d),
                            (None, '(' | '[' | '{') => nest += 1,
                            (None, ')' | ']') if nest > 0 => nest -= 1,
                            (None, '}') if nest > 0 => nest -= 1,
                            (None, '}' | ':') if nest == 0 => break,
                            (None, '!') if nest == 0 && chars.get(j + 1) != Some(&'=') => break,
                            (None, '\\') => return Err(Fail::Unsupported),
                            _ => {}
                        }
                        j += 1;
                    }
                    let src: String = chars.get(i + 1..j).unwrap_or_default().iter().collect();
                    if src.trim().is_empty() || src.trim_end().ends_with('=') {
                        return Err(Fail::Unsupported);
                    }
                    let mut conv = None;
                    if chars.get(j) == Some(&'!') {
                        match chars.get(j + 1) {
                            Some(&c @ ('r' | 's')) => conv = Some(c),
                            _ => return Err(Fail::Unsupported),
                        }
                        j += 2;
                    }
                    let mut spec = String::new();
                    if chars.get(j) == Some(&':') {
                        j += 1;
                        while let Some(&d) = chars.get(j) {
                            if d == '}' {
                                break;
                            }
                            if d == '{' {
                                return Err(Fail::Unsupported);
                            }
                            spec.push(d);
                            j += 1;
                        }
                    }
                    if chars.get(j) != Some(&'}') {
                        return Err(Fail::Unsupported);
                    }
                    let toks = match tokenize(src.trim()) {
                        Ok(t) => t,
                        Err(_) => return Err(Fail::Unsupported),
                    };
                    let mut sub = Parser::new(&toks);
                    sub.depth = self.depth;
                    let expr = sub.expr().map_err(|_| Fail::Unsupported)?;
                    if !matches!(sub.peek(), Tok::Newline | Tok::Eof) {
                        return Err(Fail::Unsupported);
                    }
                    parts.push(FPart::Expr { expr, conv, spec });
                    i = j + 1;
                }
                _ => {
                    lit.push(c);
                    i += 1;
                }
            }
        }
        flush(&mut lit, parts);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Module {
    Os,
    Sys,
    Time,
}

impl Module {
    fn from_name(n: &str) -> Option<Module> {
        match n {
            "os" => Some(Module::Os),
            "sys" => Some(Module::Sys),
            "time" => Some(Module::Time),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Module::Os => "os",
            Module::Sys => "sys",
            Module::Time => "time",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Builtin {
    Print,
    Int,
    Str,
    Float,
    Bool,
    Len,
    Range,
    Abs,
    Min,
    Max,
    Sum,
    Repr,
    Input,
    /// `exit`/`quit` (site) and `sys.exit`.
    Exit(&'static str),
    Getenv,
    Sleep,
}

impl Builtin {
    fn name(self) -> &'static str {
        match self {
            Builtin::Print => "print",
            Builtin::Int => "int",
            Builtin::Str => "str",
            Builtin::Float => "float",
            Builtin::Bool => "bool",
            Builtin::Len => "len",
            Builtin::Range => "range",
            Builtin::Abs => "abs",
            Builtin::Min => "min",
            Builtin::Max => "max",
            Builtin::Sum => "sum",
            Builtin::Repr => "repr",
            Builtin::Input => "input",
            Builtin::Exit(n) => n,
            Builtin::Getenv => "getenv",
            Builtin::Sleep => "sleep",
        }
    }
}

const EXCEPTIONS: [&str; 17] = [
    "BaseException",
    "Exception",
    "SystemExit",
    "KeyboardInterrupt",
    "ValueError",
    "TypeError",
    "KeyError",
    "IndexError",
    "NameError",
    "RuntimeError",
    "ZeroDivisionError",
    "AssertionError",
    "NotImplementedError",
    "OSError",
    "AttributeError",
    "LookupError",
    "ArithmeticError",
];

/// Builtins of real Python that the subset does not have: using one is outside the subset
/// (not a `NameError`).
const OTHER_BUILTINS: [&str; 52] = [
    "list",
    "dict",
    "set",
    "tuple",
    "frozenset",
    "bytes",
    "bytearray",
    "open",
    "sorted",
    "reversed",
    "enumerate",
    "zip",
    "map",
    "filter",
    "any",
    "all",
    "isinstance",
    "issubclass",
    "type",
    "hex",
    "oct",
    "bin",
    "ord",
    "chr",
    "round",
    "divmod",
    "pow",
    "getattr",
    "setattr",
    "hasattr",
    "delattr",
    "id",
    "hash",
    "iter",
    "next",
    "format",
    "vars",
    "globals",
    "locals",
    "dir",
    "help",
    "object",
    "super",
    "callable",
    "eval",
    "exec",
    "compile",
    "complex",
    "slice",
    "__import__",
    "ascii",
    "memoryview",
];

#[derive(Debug, Clone)]
enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    List(Rc<Vec<Value>>),
    Range(i64, i64, i64),
    Module(Module),
    Builtin(Builtin),
    Environ,
    /// `sys.stdout` (1) or `sys.stderr` (2).
    Stream(u8),
    ExcType(&'static str),
    Exc(&'static str, Rc<Vec<Value>>),
    Method(Rc<Value>, &'static str),
}

impl Value {
    fn type_name(&self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Range(..) => "range",
            Value::Module(_) => "module",
            Value::Builtin(_) | Value::Method(..) => "builtin_function_or_method",
            Value::Environ => "_Environ",
            Value::Stream(_) => "_io.TextIOWrapper",
            Value::ExcType(_) => "type",
            Value::Exc(n, _) => n,
        }
    }

    fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Range(a, b, s) => range_len(*a, *b, *s) > 0,
            _ => true,
        }
    }

    /// The value as a number, if it is one (bools are ints).
    fn num(&self) -> Option<Num> {
        match self {
            Value::Bool(b) => Some(Num::I(i64::from(*b))),
            Value::Int(i) => Some(Num::I(*i)),
            Value::Float(f) => Some(Num::F(*f)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Num {
    I(i64),
    F(f64),
}

impl Num {
    fn f(self) -> f64 {
        match self {
            Num::I(i) => i as f64,
            Num::F(f) => f,
        }
    }
}

fn range_len(start: i64, stop: i64, step: i64) -> u64 {
    let (lo, hi, st) = if step > 0 {
        (i128::from(start), i128::from(stop), i128::from(step))
    } else {
        (i128::from(stop), i128::from(start), -i128::from(step))
    };
    if hi <= lo || st == 0 {
        return 0;
    }
    u64::try_from((hi - lo + st - 1) / st).unwrap_or(u64::MAX)
}

/// Python's `repr(float)`: the shortest round-tripping digits, positional between 1e-4 and
/// 1e16, scientific (`1e+16`, `1.5e-05`) outside.
fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.to_string();
    }
    let e = format!("{x:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((e.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = usize::try_from(exp).unwrap_or(0) + 1;
            let mut int_part: String = digits.chars().take(int_len).collect();
            while int_part.len() < int_len {
                int_part.push('0');
            }
            let frac: String = digits.chars().skip(int_len).collect();
            out.push_str(&int_part);
            out.push('.');
            out.push_str(if frac.is_empty() { "0" } else { &frac });
        } else {
            out.push_str("0.");
            for _ in 0..(-exp - 1) {
                out.push('0');
            }
            out.push_str(&digits);
        }
    } else {
        let mut d = digits.chars();
        if let Some(first) = d.next() {
            out.push(first);
        }
        let rest: String = d.collect();
        if !rest.is_empty() {
            out.push('.');
            out.push_str(&rest);
        }
        out.push_str(&format!(
            "e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        ));
    }
    out
}

fn str_repr(s: &str) -> String {
    let q = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

// ---------------------------------------------------------------------------------------
// Interpreter
// ---------------------------------------------------------------------------------------

#[derive(Debug)]
struct Exc {
    kind: &'static str,
    /// The text after `Kind: `, empty for none.
    msg: String,
    line: usize,
    /// Raised inside `os.environ.__getitem__` (CPython shows that frame).
    in_environ: bool,
}

#[derive(Debug)]
enum Flow {
    Break,
    Continue,
    Exit(Value),
    Exc(Exc),
    Forever,
    Unsupported,
}

type R<T> = Result<T, Flow>;

struct Interp<'a> {
    vars: BTreeMap<String, Value>,
    env: Vec<(String, String)>,
    argv: Rc<Vec<Value>>,
    lines: &'a [String],
    steps: u64,
    max_steps: u64,
    clock: u64,
    actions: Vec<Action>,
    out_buf: String,
    unbuffered: bool,
    recorded: usize,
    line: usize,
}

impl Interp<'_> {
    // ----- bookkeeping -----

    fn charge(&mut self, n: u64) -> R<()> {
        self.steps = self.steps.saturating_add(n);
        if self.steps > self.max_steps {
            return Err(Flow::Forever);
        }
        Ok(())
    }

    fn step(&mut self) -> R<()> {
        self.charge(1)
    }

    /// A new string: charged by its size, bounded.
    fn text(&mut self, s: String) -> R<Value> {
        if s.len() > MAX_STR {
            return Err(Flow::Unsupported);
        }
        self.charge((s.len() / BYTES_PER_STEP) as u64)?;
        Ok(Value::Str(s.into()))
    }

    fn list(&mut self, items: Vec<Value>) -> R<Value> {
        if items.len() > MAX_LIST {
            return Err(Flow::Unsupported);
        }
        self.charge((items.len() / 8) as u64)?;
        Ok(Value::List(Rc::new(items)))
    }

    fn exc<T>(&self, kind: &'static str, msg: impl Into<String>) -> R<T> {
        Err(Flow::Exc(Exc {
            kind,
            msg: msg.into(),
            line: self.line,
            in_environ: false,
        }))
    }

    fn type_error<T>(&self, msg: impl Into<String>) -> R<T> {
        self.exc("TypeError", msg)
    }

    fn record(&mut self, action: Action) {
        let len = match &action {
            Action::Out(s) | Action::Err(s) => s.len(),
            Action::Sleep(_) => 0,
        };
        if self.recorded.saturating_add(len) > MAX_OUTPUT {
            return;
        }
        self.recorded += len;
        match (self.actions.last_mut(), action) {
            (Some(Action::Out(a)), Action::Out(b)) | (Some(Action::Err(a)), Action::Err(b)) => {
                a.push_str(&b);
            }
            (Some(Action::Sleep(a)), Action::Sleep(b)) => *a = a.saturating_add(b),
            (_, action) => self.actions.push(action),
        }
    }

    fn flush(&mut self) {
        let text = std::mem::take(&mut self.out_buf);
        if !text.is_empty() {
            self.record(Action::Out(text));
        }
    }

    fn write_out(&mut self, text: &str) -> R<()> {
        self.charge((text.len() / BYTES_PER_STEP) as u64)?;
        if self.unbuffered {
            self.record(Action::Out(text.to_string()));
        } else {
            if self.out_buf.len().saturating_add(text.len()) > MAX_STR {
                self.flush();
            }
            self.out_buf.push_str(text);
            if self.out_buf.len() >= STDOUT_BUFFER {
                self.flush();
            }
        }
        Ok(())
    }

    fn write_err(&mut self, text: &str) {
        self.record(Action::Err(text.to_string()));
    }

    fn write(&mut self, stream: u8, text: &str) -> R<()> {
        if stream == 2 {
            self.charge((text.len() / BYTES_PER_STEP) as u64)?;
            self.write_err(text);
            Ok(())
        } else {
            self.write_out(text)
        }
    }

    fn sleep(&mut self, ms: u64) -> R<()> {
        self.clock = self.clock.saturating_add(ms);
        if self.clock > HORIZON_MS {
            return Err(Flow::Forever);
        }
        if ms > 0 {
            self.record(Action::Sleep(ms));
        }
        Ok(())
    }

    /// The exit status for `SystemExit(v)`, printing a non-integer argument to stderr.
    fn system_exit(&mut self, v: &Value) -> i32 {
        match v {
            Value::None => 0,
            Value::Bool(b) => i32::from(*b),
            Value::Int(i) => i32::try_from(i.rem_euclid(256)).unwrap_or(1),
            other => {
                let s = self.to_str(other).unwrap_or_default();
                self.write_err(&format!("{s}\n"));
                1
            }
        }
    }

    fn traceback(&self, e: &Exc) -> String {
        let mut s = String::from("Traceback (most recent call last):\n");
        s.push_str(&format!(
            "  File \"<string>\", line {}, in <module>\n",
            e.line
        ));
        if let Some(src) = self.lines.get(e.line.saturating_sub(1)) {
            let src = src.trim();
            if !src.is_empty() {
                s.push_str(&format!("    {src}\n"));
            }
        }
        if e.in_environ {
            s.push_str(&format!(
                "  File \"<frozen os>\", line {FROZEN_OS_GETITEM_LINE}, in __getitem__\n"
            ));
        }
        if e.msg.is_empty() {
            s.push_str(&format!("{}\n", e.kind));
        } else {
            s.push_str(&format!("{}: {}\n", e.kind, e.msg));
        }
        s
    }

    // ----- conversions -----

    fn to_str(&self, v: &Value) -> Option<String> {
        match v {
            Value::Str(s) => Some(s.to_string()),
            Value::Exc(_, args) => match args.as_slice() {
                [] => Some(String::new()),
                [a] => self.to_str(a),
                _ => None,
            },
            other => self.repr(other),
        }
    }

    /// `repr(v)`; `None` when the text would be too long (outside the subset).
    fn repr(&self, v: &Value) -> Option<String> {
        let mut out = String::new();
        self.repr_into(v, &mut out, 0)?;
        Some(out)
    }

    fn repr_into(&self, v: &Value, out: &mut String, depth: usize) -> Option<()> {
        if out.len() > MAX_STR || depth > MAX_EXPR_DEPTH {
            return None;
        }
        match v {
            Value::None => out.push_str("None"),
            Value::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(f) => out.push_str(&float_repr(*f)),
            Value::Str(s) => out.push_str(&str_repr(s)),
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.repr_into(item, out, depth + 1)?;
                    if out.len() > MAX_STR {
                        return None;
                    }
                }
                out.push(']');
            }
            Value::Range(a, b, s) => {
                if *s == 1 {
                    out.push_str(&format!("range({a}, {b})"));
                } else {
                    out.push_str(&format!("range({a}, {b}, {s})"));
                }
            }
            Value::Module(m) => {
                let how = if *m == Module::Os {
                    "(frozen)"
                } else {
                    "(built-in)"
                };
                out.push_str(&format!("<module '{}' {how}>", m.name()));
            }
            Value::Builtin(b) => out.push_str(&format!("<built-in function {}>", b.name())),
            Value::Environ => {
                out.push_str("environ({");
                for (i, (k, v)) in self.env.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&str_repr(k));
                    out.push_str(": ");
                    out.push_str(&str_repr(v));
                    if out.len() > MAX_STR {
                        return None;
                    }
                }
                out.push_str("})");
            }
            Value::Stream(n) => out.push_str(&format!(
                "<_io.TextIOWrapper name='<{}>' mode='w' encoding='utf-8'>",
                if *n == 2 { "stderr" } else { "stdout" }
            )),
            Value::ExcType(n) => out.push_str(&format!("<class '{n}'>")),
            Value::Exc(n, args) => {
                out.push_str(n);
                out.push('(');
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.repr_into(a, out, depth + 1)?;
                }
                out.push(')');
            }
            // Bound methods print their address: not deterministic.
            Value::Method(..) => return None,
        }
        Some(())
    }

    fn str_value(&mut self, v: &Value) -> R<String> {
        let s = self.to_str(v).ok_or(Flow::Unsupported)?;
        self.charge((s.len() / BYTES_PER_STEP) as u64)?;
        Ok(s)
    }

    fn getenv(&self, key: &str) -> Option<&str> {
        self.env
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    // ----- statements -----

    fn exec_block(&mut self, body: &[Stmt], depth: usize) -> R<()> {
        if depth > MAX_BLOCK_DEPTH {
            return Err(Flow::Unsupported);
        }
        for s in body {
            self.exec(s, depth)?;
        }
        Ok(())
    }

    fn set(&mut self, name: &str, v: Value) -> R<()> {
        if self.vars.len() >= MAX_VARS && !self.vars.contains_key(name) {
            return Err(Flow::Unsupported);
        }
        self.vars.insert(name.to_string(), v);
        Ok(())
    }

    fn exec(&mut self, s: &Stmt, depth: usize) -> R<()> {
        self.step()?;
        self.line = s.line;
        match &s.kind {
            StmtKind::Expr(e) => {
                self.eval(e)?;
            }
            StmtKind::Assign(names, e) => {
                let v = self.eval(e)?;
                for n in names {
                    self.set(n, v.clone())?;
                }
            }
            StmtKind::AugAssign(name, op, e) => {
                let cur = self.lookup(name)?;
                let r = self.eval(e)?;
                self.line = s.line;
                let v = self.binop(*op, &cur, &r)?;
                self.set(name, v)?;
            }
            StmtKind::If(arms, orelse) => {
                for (cond, body) in arms {
                    let c = self.eval(cond)?;
                    if c.truthy() {
                        return self.exec_block(body, depth + 1);
                    }
                }
                return self.exec_block(orelse, depth + 1);
            }
            StmtKind::While(cond, body) => loop {
                self.step()?;
                self.line = s.line;
                if !self.eval(cond)?.truthy() {
                    break;
                }
                match self.exec_block(body, depth + 1) {
                    Ok(()) | Err(Flow::Continue) => {}
                    Err(Flow::Break) => break,
                    Err(other) => return Err(other),
                }
            },
            StmtKind::For(name, iter, body) => {
                let it = self.eval(iter)?;
                let mut i: u64 = 0;
                loop {
                    self.step()?;
                    self.line = s.line;
                    let Some(item) = self.nth(&it, i)? else {
                        break;
                    };
                    i += 1;
                    self.set(name, item)?;
                    match self.exec_block(body, depth + 1) {
                        Ok(()) | Err(Flow::Continue) => {}
                        Err(Flow::Break) => break,
                        Err(other) => return Err(other),
                    }
                }
            }
            StmtKind::Break => return Err(Flow::Break),
            StmtKind::Continue => return Err(Flow::Continue),
            StmtKind::Pass => {}
            StmtKind::Import(mods) => {
                for (m, alias) in mods {
                    self.set(alias, Value::Module(*m))?;
                }
            }
            StmtKind::FromImport(m, names) => {
                for (n, alias) in names {
                    let v = self.attr(&Value::Module(*m), n)?;
                    self.set(alias, v)?;
                }
            }
            StmtKind::Raise(None) => {
                return self.exc("RuntimeError", "No active exception to reraise");
            }
            StmtKind::Raise(Some(e)) => {
                let v = self.eval(e)?;
                self.line = s.line;
                return self.raise(v);
            }
            StmtKind::Assert(cond, msg) => {
                if !self.eval(cond)?.truthy() {
                    let m = match msg {
                        Some(m) => {
                            let v = self.eval(m)?;
                            self.str_value(&v)?
                        }
                        None => String::new(),
                    };
                    self.line = s.line;
                    return self.exc("AssertionError", m);
                }
            }
        }
        Ok(())
    }

    fn raise(&mut self, v: Value) -> R<()> {
        let (kind, args) = match v {
            Value::ExcType(k) => (k, Rc::new(Vec::new())),
            Value::Exc(k, args) => (k, args),
            _ => return self.type_error("exceptions must derive from BaseException"),
        };
        if kind == "SystemExit" {
            let code = match args.as_slice() {
                [] => Value::None,
                [a] => a.clone(),
                _ => return Err(Flow::Unsupported),
            };
            return Err(Flow::Exit(code));
        }
        let msg = match args.as_slice() {
            [] => String::new(),
            [a] if kind == "KeyError" => self.repr(a).ok_or(Flow::Unsupported)?,
            [a] => self.to_str(a).ok_or(Flow::Unsupported)?,
            _ => return Err(Flow::Unsupported),
        };
        self.exc(kind, msg)
    }

    /// The `i`th item of an iterable, `None` past its end.
    fn nth(&mut self, it: &Value, i: u64) -> R<Option<Value>> {
        let idx = usize::try_from(i).unwrap_or(usize::MAX);
        Ok(match it {
            Value::Range(a, b, s) => {
                if i >= range_len(*a, *b, *s) {
                    None
                } else {
                    let v = i128::from(*a) + i128::from(*s) * i128::from(i);
                    Some(Value::Int(i64::try_from(v).map_err(|_| Flow::Unsupported)?))
                }
            }
            Value::List(items) => items.get(idx).cloned(),
            Value::Str(s) => s.chars().nth(idx).map(|c| Value::Str(c.to_string().into())),
            Value::Environ => self
                .env
                .get(idx)
                .map(|(k, _)| Value::Str(k.as_str().into())),
            other => {
                return self.type_error(format!("'{}' object is not iterable", other.type_name()))
            }
        })
    }

    // ----- expressions -----

    fn lookup(&mut self, name: &str) -> R<Value> {
        if let Some(v) = self.vars.get(name) {
            return Ok(v.clone());
        }
        let b = match name {
            "print" => Builtin::Print,
            "int" => Builtin::Int,
            "str" => Builtin::Str,
            "float" => Builtin::Float,
            "bool" => Builtin::Bool,
            "len" => Builtin::Len,
            "range" => Builtin::Range,
            "abs" => Builtin::Abs,
            "min" => Builtin::Min,
            "max" => Builtin::Max,
            "sum" => Builtin::Sum,
            "repr" => Builtin::Repr,
            "input" => Builtin::Input,
            "exit" => Builtin::Exit("exit"),
            "quit" => Builtin::Exit("quit"),
            n => {
                if let Some(e) = EXCEPTIONS.iter().find(|e| **e == n) {
                    return Ok(Value::ExcType(e));
                }
                if OTHER_BUILTINS.contains(&n) || n.starts_with("__") {
                    return Err(Flow::Unsupported);
                }
                let hint = if Module::from_name(n).is_some() {
                    format!(". Did you forget to import '{n}'?")
                } else {
                    String::new()
                };
                return self.exc("NameError", format!("name '{n}' is not defined{hint}"));
            }
        };
        Ok(Value::Builtin(b))
    }

    fn eval(&mut self, e: &Expr) -> R<Value> {
        self.step()?;
        match e {
            Expr::Const(v) => Ok(v.clone()),
            Expr::Name(n) => self.lookup(n),
            Expr::FStr(parts) => {
                let mut s = String::new();
                for p in parts {
                    match p {
                        FPart::Lit(l) => s.push_str(l),
                        FPart::Expr { expr, conv, spec } => {
                            let v = self.eval(expr)?;
                            let piece = match conv {
                                Some('r') => {
                                    let r = self.repr(&v).ok_or(Flow::Unsupported)?;
                                    self.format_spec(&Value::Str(r.into()), spec)?
                                }
                                Some(_) => {
                                    let r = self.str_value(&v)?;
                                    self.format_spec(&Value::Str(r.into()), spec)?
                                }
                                None if spec.is_empty() => self.str_value(&v)?,
                                None => self.format_spec(&v, spec)?,
                            };
                            s.push_str(&piece);
                        }
                    }
                    if s.len() > MAX_STR {
                        return Err(Flow::Unsupported);
                    }
                }
                self.text(s)
            }
            Expr::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.eval(i)?);
                }
                self.list(out)
            }
            Expr::Neg(x) | Expr::Pos(x) => {
                let v = self.eval(x)?;
                let neg = matches!(e, Expr::Neg(_));
                match v.num() {
                    Some(Num::I(i)) if neg => {
                        Ok(Value::Int(i.checked_neg().ok_or(Flow::Unsupported)?))
                    }
                    Some(Num::I(i)) => Ok(Value::Int(i)),
                    Some(Num::F(f)) => Ok(Value::Float(if neg { -f } else { f })),
                    None => self.type_error(format!(
                        "bad operand type for unary {}: '{}'",
                        if neg { '-' } else { '+' },
                        v.type_name()
                    )),
                }
            }
            Expr::Not(x) => Ok(Value::Bool(!self.eval(x)?.truthy())),
            Expr::And(a, b) => {
                let l = self.eval(a)?;
                if l.truthy() {
                    self.eval(b)
                } else {
                    Ok(l)
                }
            }
            Expr::Or(a, b) => {
                let l = self.eval(a)?;
                if l.truthy() {
                    Ok(l)
                } else {
                    self.eval(b)
                }
            }
            Expr::IfExp(c, a, b) => {
                if self.eval(c)?.truthy() {
                    self.eval(a)
                } else {
                    self.eval(b)
                }
            }
            Expr::Bin(op, a, b) => {
                let l = self.eval(a)?;
                let r = self.eval(b)?;
                self.binop(*op, &l, &r)
            }
            Expr::Cmp(first, rest) => {
                let mut l = self.eval(first)?;
                for (op, x) in rest {
                    let r = self.eval(x)?;
                    if !self.compare(*op, &l, &r)? {
                        return Ok(Value::Bool(false));
                    }
                    l = r;
                }
                Ok(Value::Bool(true))
            }
            Expr::Attr(x, name) => {
                let v = self.eval(x)?;
                self.attr(&v, name)
            }
            Expr::Index(x, i) => {
                let v = self.eval(x)?;
                let idx = self.eval(i)?;
                self.index(&v, &idx)
            }
            Expr::Call(f, args, kwargs) => {
                let func = self.eval(f)?;
                let mut a = Vec::with_capacity(args.len());
                for x in args {
                    a.push(self.eval(x)?);
                }
                let mut k = Vec::with_capacity(kwargs.len());
                for (n, x) in kwargs {
                    k.push((n.as_str(), self.eval(x)?));
                }
                self.call(&func, a, k)
            }
        }
    }

    fn attr(&mut self, v: &Value, name: &str) -> R<Value> {
        const STR_METHODS: [&str; 11] = [
            "upper",
            "lower",
            "strip",
            "lstrip",
            "rstrip",
            "startswith",
            "endswith",
            "replace",
            "split",
            "join",
            "isdigit",
        ];
        let method = |names: &[&'static str]| {
            names
                .iter()
                .find(|m| **m == name)
                .map(|m| Value::Method(Rc::new(v.clone()), m))
                .ok_or(Flow::Unsupported)
        };
        match v {
            Value::Module(Module::Os) => match name {
                "environ" => Ok(Value::Environ),
                "getenv" => Ok(Value::Builtin(Builtin::Getenv)),
                _ => Err(Flow::Unsupported),
            },
            Value::Module(Module::Sys) => match name {
                "exit" => Ok(Value::Builtin(Builtin::Exit("exit"))),
                "argv" => Ok(Value::List(self.argv.clone())),
                "stdout" => Ok(Value::Stream(1)),
                "stderr" => Ok(Value::Stream(2)),
                _ => Err(Flow::Unsupported),
            },
            Value::Module(Module::Time) => match name {
                "sleep" => Ok(Value::Builtin(Builtin::Sleep)),
                _ => Err(Flow::Unsupported),
            },
            Value::Environ => method(&["get"]),
            Value::Stream(_) => method(&["write", "flush"]),
            Value::Str(_) => method(&STR_METHODS),
            _ => Err(Flow::Unsupported),
        }
    }

    fn index(&mut self, v: &Value, idx: &Value) -> R<Value> {
        match v {
            Value::Environ => {
                let Value::Str(k) = idx else {
                    return Err(Flow::Unsupported);
                };
                match self.getenv(k) {
                    Some(val) => Ok(Value::Str(val.into())),
                    None => Err(Flow::Exc(Exc {
                        kind: "KeyError",
                        msg: str_repr(k),
                        line: self.line,
                        in_environ: true,
                    })),
                }
            }
            Value::Str(_) | Value::List(_) => {
                let what = if matches!(v, Value::Str(_)) {
                    "string"
                } else {
                    "list"
                };
                let i = match idx {
                    Value::Int(i) => *i,
                    Value::Bool(b) => i64::from(*b),
                    other if what == "string" => {
                        return self.type_error(format!(
                            "string indices must be integers, not '{}'",
                            other.type_name()
                        ))
                    }
                    other => {
                        return self.type_error(format!(
                            "list indices must be integers or slices, not {}",
                            other.type_name()
                        ))
                    }
                };
                let item = match v {
                    Value::Str(s) => {
                        let n = s.chars().count();
                        norm_index(i, n)
                            .and_then(|k| s.chars().nth(k))
                            .map(|c| Value::Str(c.to_string().into()))
                    }
                    Value::List(l) => norm_index(i, l.len()).and_then(|k| l.get(k)).cloned(),
                    _ => None,
                };
                match item {
                    Some(x) => Ok(x),
                    None => self.exc("IndexError", format!("{what} index out of range")),
                }
            }
            other => self.type_error(format!(
                "'{}' object is not subscriptable",
                other.type_name()
            )),
        }
    }

    fn binop(&mut self, op: BinOp, l: &Value, r: &Value) -> R<Value> {
        if let (Some(a), Some(b)) = (l.num(), r.num()) {
            return self.arith(op, a, b);
        }
        match (op, l, r) {
            (BinOp::Add, Value::Str(a), Value::Str(b)) => {
                if a.len() + b.len() > MAX_STR {
                    return Err(Flow::Unsupported);
                }
                self.text(format!("{a}{b}"))
            }
            (BinOp::Add, Value::List(a), Value::List(b)) => {
                let mut v = Vec::with_capacity(a.len().saturating_add(b.len()).min(MAX_LIST));
                if a.len() + b.len() > MAX_LIST {
                    return Err(Flow::Unsupported);
                }
                v.extend(a.iter().cloned());
                v.extend(b.iter().cloned());
                self.list(v)
            }
            (BinOp::Add, Value::Str(_), other) => self.type_error(format!(
                "can only concatenate str (not \"{}\") to str",
                other.type_name()
            )),
            (BinOp::Add, Value::List(_), other) => self.type_error(format!(
                "can only concatenate list (not \"{}\") to list",
                other.type_name()
            )),
            (BinOp::Mul, Value::Str(s), n) | (BinOp::Mul, n, Value::Str(s))
                if matches!(n, Value::Int(_) | Value::Bool(_)) =>
            {
                let k = match n.num() {
                    Some(Num::I(k)) => usize::try_from(k.max(0)).unwrap_or(0),
                    _ => 0,
                };
                if s.len().saturating_mul(k) > MAX_STR {
                    return Err(Flow::Unsupported);
                }
                self.text(s.repeat(k))
            }
            (BinOp::Mul, Value::List(items), n) | (BinOp::Mul, n, Value::List(items))
                if matches!(n, Value::Int(_) | Value::Bool(_)) =>
            {
                let k = match n.num() {
                    Some(Num::I(k)) => usize::try_from(k.max(0)).unwrap_or(0),
                    _ => 0,
                };
                if items.len().saturating_mul(k) > MAX_LIST {
                    return Err(Flow::Unsupported);
                }
                let mut v = Vec::with_capacity(items.len() * k);
                for _ in 0..k {
                    v.extend(items.iter().cloned());
                }
                self.list(v)
            }
            // `"%s" % x` formatting: outside the subset.
            (BinOp::Mod, Value::Str(_), _) => Err(Flow::Unsupported),
            _ => self.type_error(format!(
                "unsupported operand type(s) for {}: '{}' and '{}'",
                op.symbol(),
                l.type_name(),
                r.type_name()
            )),
        }
    }

    fn arith(&mut self, op: BinOp, a: Num, b: Num) -> R<Value> {
        let big = Flow::Unsupported;
        if let (Num::I(x), Num::I(y)) = (a, b) {
            let v = match op {
                BinOp::Add => x.checked_add(y),
                BinOp::Sub => x.checked_sub(y),
                BinOp::Mul => x.checked_mul(y),
                BinOp::Div => {
                    if y == 0 {
                        return self.exc("ZeroDivisionError", "division by zero");
                    }
                    return Ok(Value::Float(x as f64 / y as f64));
                }
                BinOp::FloorDiv | BinOp::Mod => {
                    if y == 0 {
                        let msg = if op == BinOp::Mod {
                            "integer modulo by zero"
                        } else {
                            "integer division or modulo by zero"
                        };
                        return self.exc("ZeroDivisionError", msg);
                    }
                    let q = x.checked_div(y).ok_or(Flow::Unsupported)?;
                    let r = x.checked_rem(y).ok_or(Flow::Unsupported)?;
                    let adjust = r != 0 && ((r < 0) != (y < 0));
                    if op == BinOp::Mod {
                        Some(if adjust { r + y } else { r })
                    } else {
                        Some(if adjust { q - 1 } else { q })
                    }
                }
                BinOp::Pow => {
                    if y < 0 {
                        if x == 0 {
                            return self.exc(
                                "ZeroDivisionError",
                                "0.0 cannot be raised to a negative power",
                            );
                        }
                        return Ok(Value::Float((x as f64).powf(y as f64)));
                    }
                    u32::try_from(y).ok().and_then(|e| x.checked_pow(e))
                }
            };
            return v.map(Value::Int).ok_or(big);
        }
        let (x, y) = (a.f(), b.f());
        let v = match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            BinOp::Div => {
                if y == 0.0 {
                    return self.exc("ZeroDivisionError", "float division by zero");
                }
                x / y
            }
            BinOp::FloorDiv | BinOp::Mod => {
                if y == 0.0 {
                    let msg = if op == BinOp::Mod {
                        "float modulo by zero"
                    } else {
                        "float floor division by zero"
                    };
                    return self.exc("ZeroDivisionError", msg);
                }
                let r = x % y;
                let r = if r != 0.0 && ((r < 0.0) != (y < 0.0)) {
                    r + y
                } else {
                    r
                };
                if op == BinOp::Mod {
                    r
                } else {
                    ((x - r) / y).round()
                }
            }
            BinOp::Pow => {
                if x == 0.0 && y < 0.0 {
                    return self.exc(
                        "ZeroDivisionError",
                        "0.0 cannot be raised to a negative power",
                    );
                }
                x.powf(y)
            }
        };
        if !v.is_finite() && x.is_finite() && y.is_finite() {
            // CPython raises OverflowError here; rare enough to leave out.
            return Err(Flow::Unsupported);
        }
        Ok(Value::Float(v))
    }

    fn eq(&self, a: &Value, b: &Value) -> bool {
        if let (Some(x), Some(y)) = (a.num(), b.num()) {
            return match (x, y) {
                (Num::I(x), Num::I(y)) => x == y,
                (x, y) => x.f() == y.f(),
            };
        }
        match (a, b) {
            (Value::None, Value::None) | (Value::Environ, Value::Environ) => true,
            (Value::Str(x), Value::Str(y)) => x == y,
            (Value::List(x), Value::List(y)) => {
                x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| self.eq(p, q))
            }
            (Value::Range(a1, b1, s1), Value::Range(a2, b2, s2)) => (a1, b1, s1) == (a2, b2, s2),
            (Value::Module(x), Value::Module(y)) => x == y,
            (Value::Builtin(x), Value::Builtin(y)) => x == y,
            (Value::Stream(x), Value::Stream(y)) => x == y,
            (Value::ExcType(x), Value::ExcType(y)) => x == y,
            _ => false,
        }
    }

    /// `a < b` (`Less`), as Python orders numbers, strings and lists.
    fn order(&self, op: CmpOp, a: &Value, b: &Value) -> R<std::cmp::Ordering> {
        use std::cmp::Ordering;
        if let (Some(x), Some(y)) = (a.num(), b.num()) {
            return Ok(match (x, y) {
                (Num::I(x), Num::I(y)) => x.cmp(&y),
                (x, y) => x.f().partial_cmp(&y.f()).unwrap_or(Ordering::Equal),
            });
        }
        match (a, b) {
            (Value::Str(x), Value::Str(y)) => Ok(x.cmp(y)),
            (Value::List(x), Value::List(y)) => {
                for (p, q) in x.iter().zip(y.iter()) {
                    if !self.eq(p, q) {
                        return self.order(op, p, q);
                    }
                }
                Ok(x.len().cmp(&y.len()))
            }
            _ => {
                let sym = match op {
                    CmpOp::Lt => "<",
                    CmpOp::Le => "<=",
                    CmpOp::Gt => ">",
                    _ => ">=",
                };
                self.type_error(format!(
                    "'{sym}' not supported between instances of '{}' and '{}'",
                    a.type_name(),
                    b.type_name()
                ))
            }
        }
    }

    fn compare(&mut self, op: CmpOp, a: &Value, b: &Value) -> R<bool> {
        Ok(match op {
            CmpOp::Eq => self.eq(a, b),
            CmpOp::Ne => !self.eq(a, b),
            CmpOp::Lt => self.order(op, a, b)?.is_lt(),
            CmpOp::Le => self.order(op, a, b)?.is_le(),
            CmpOp::Gt => self.order(op, a, b)?.is_gt(),
            CmpOp::Ge => self.order(op, a, b)?.is_ge(),
            CmpOp::In | CmpOp::NotIn => {
                let found = match (b, a) {
                    (Value::Str(h), Value::Str(n)) => h.contains(n.as_ref()),
                    (Value::Str(_), other) => {
                        return self.type_error(format!(
                            "'in <string>' requires string as left operand, not {}",
                            other.type_name()
                        ))
                    }
                    (Value::List(items), x) => {
                        self.charge((items.len() / 8) as u64)?;
                        items.iter().any(|i| self.eq(i, x))
                    }
                    (Value::Environ, Value::Str(k)) => self.getenv(k).is_some(),
                    (Value::Environ, _) => return Err(Flow::Unsupported),
                    (Value::Range(s, e, st), x) => match x.num() {
                        Some(Num::I(v)) => {
                            let inside = if *st > 0 {
                                *s <= v && v < *e
                            } else {
                                *e < v && v <= *s
                            };
                            inside && (i128::from(v) - i128::from(*s)) % i128::from(*st) == 0
                        }
                        _ => return Err(Flow::Unsupported),
                    },
                    (other, _) => {
                        return self.type_error(format!(
                            "argument of type '{}' is not iterable",
                            other.type_name()
                        ))
                    }
                };
                found == (op == CmpOp::In)
            }
            CmpOp::Is | CmpOp::IsNot => {
                let same = match (a, b) {
                    (Value::None, Value::None) => true,
                    (Value::Bool(x), Value::Bool(y)) => x == y,
                    (Value::None | Value::Bool(_), _) | (_, Value::None | Value::Bool(_)) => false,
                    // Identity of other objects is CPython's business.
                    _ => return Err(Flow::Unsupported),
                };
                same == (op == CmpOp::Is)
            }
        })
    }

    // ----- calls -----

    fn call(&mut self, f: &Value, args: Vec<Value>, kwargs: Vec<(&str, Value)>) -> R<Value> {
        match f {
            Value::Builtin(Builtin::Print) => self.print(args, kwargs),
            Value::Builtin(b) => {
                if !kwargs.is_empty() {
                    return Err(Flow::Unsupported);
                }
                self.builtin(*b, args)
            }
            Value::ExcType(k) => {
                if !kwargs.is_empty() {
                    return Err(Flow::Unsupported);
                }
                Ok(Value::Exc(k, Rc::new(args)))
            }
            Value::Method(recv, name) => {
                if !kwargs.is_empty() {
                    return Err(Flow::Unsupported);
                }
                self.method(recv, name, args)
            }
            other => self.type_error(format!("'{}' object is not callable", other.type_name())),
        }
    }

    fn print(&mut self, args: Vec<Value>, kwargs: Vec<(&str, Value)>) -> R<Value> {
        let mut sep = " ".to_string();
        let mut end = "\n".to_string();
        let mut stream = 1u8;
        let mut flush = false;
        for (k, v) in kwargs {
            match (k, v) {
                ("sep" | "end", Value::None) => {}
                ("sep", Value::Str(s)) => sep = s.to_string(),
                ("end", Value::Str(s)) => end = s.to_string(),
                ("sep" | "end", other) => {
                    return self.type_error(format!(
                        "{k} must be None or a string, not {}",
                        other.type_name()
                    ))
                }
                ("file", Value::Stream(n)) => stream = n,
                ("file", Value::None) => {}
                ("file", _) => return Err(Flow::Unsupported),
                ("flush", v) => flush = v.truthy(),
                (other, _) => {
                    return self.type_error(format!(
                        "'{other}' is an invalid keyword argument for print()"
                    ))
                }
            }
        }
        let mut text = String::new();
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                text.push_str(&sep);
            }
            let s = self.str_value(a)?;
            text.push_str(&s);
            if text.len() > MAX_STR {
                return Err(Flow::Unsupported);
            }
        }
        text.push_str(&end);
        self.write(stream, &text)?;
        if flush && stream == 1 {
            self.flush();
        }
        Ok(Value::None)
    }

    fn arity(&self, name: &str, args: &[Value], min: usize, max: usize) -> R<()> {
        let n = args.len();
        if n >= min && n <= max {
            return Ok(());
        }
        let msg = if min == 1 && max == 1 {
            format!("{name}() takes exactly one argument ({n} given)")
        } else if min == max {
            format!("{name}() takes exactly {min} arguments ({n} given)")
        } else if n < min {
            format!(
                "{name} expected at least {min} argument{}, got {n}",
                if min == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "{name} expected at most {max} argument{}, got {n}",
                if max == 1 { "" } else { "s" }
            )
        };
        self.type_error(msg)
    }

    fn builtin(&mut self, b: Builtin, args: Vec<Value>) -> R<Value> {
        let first = args.first().cloned();
        match b {
            Builtin::Print => Ok(Value::None),
            Builtin::Int => {
                if args.len() > 1 {
                    return Err(Flow::Unsupported);
                }
                match first {
                    None => Ok(Value::Int(0)),
                    Some(Value::Int(i)) => Ok(Value::Int(i)),
                    Some(Value::Bool(x)) => Ok(Value::Int(i64::from(x))),
                    Some(Value::Float(f)) => {
                        if f.is_nan() {
                            return self.exc("ValueError", "cannot convert float NaN to integer");
                        }
                        if f.is_infinite() {
                            return self.exc(
                                "OverflowError",
                                "cannot convert float infinity to integer",
                            );
                        }
                        let t = f.trunc();
                        if t.abs() >= 9.2e18 {
                            return Err(Flow::Unsupported);
                        }
                        Ok(Value::Int(t as i64))
                    }
                    Some(Value::Str(s)) => match parse_int(&s) {
                        Some(Ok(i)) => Ok(Value::Int(i)),
                        Some(Err(())) => Err(Flow::Unsupported),
                        None => self.exc(
                            "ValueError",
                            format!("invalid literal for int() with base 10: {}", str_repr(&s)),
                        ),
                    },
                    Some(other) => self.type_error(format!(
                        "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                        other.type_name()
                    )),
                }
            }
            Builtin::Float => {
                self.arity("float", &args, 0, 1)?;
                match first {
                    None => Ok(Value::Float(0.0)),
                    Some(Value::Str(s)) => match parse_float(&s) {
                        Some(f) => Ok(Value::Float(f)),
                        None => self.exc(
                            "ValueError",
                            format!("could not convert string to float: {}", str_repr(&s)),
                        ),
                    },
                    Some(v) => match v.num() {
                        Some(n) => Ok(Value::Float(n.f())),
                        None => self.type_error(format!(
                            "float() argument must be a string or a real number, not '{}'",
                            v.type_name()
                        )),
                    },
                }
            }
            Builtin::Str => {
                if args.len() > 1 {
                    return Err(Flow::Unsupported);
                }
                match first {
                    None => Ok(Value::Str("".into())),
                    Some(v) => {
                        let s = self.str_value(&v)?;
                        self.text(s)
                    }
                }
            }
            Builtin::Repr => {
                self.arity("repr", &args, 1, 1)?;
                let v = first.unwrap_or(Value::None);
                let s = self.repr(&v).ok_or(Flow::Unsupported)?;
                self.text(s)
            }
            Builtin::Bool => {
                self.arity("bool", &args, 0, 1)?;
                Ok(Value::Bool(first.is_some_and(|v| v.truthy())))
            }
            Builtin::Len => {
                self.arity("len", &args, 1, 1)?;
                let n = match &first {
                    Some(Value::Str(s)) => s.chars().count() as u64,
                    Some(Value::List(l)) => l.len() as u64,
                    Some(Value::Range(a, b, s)) => range_len(*a, *b, *s),
                    Some(Value::Environ) => self.env.len() as u64,
                    Some(other) => {
                        return self.type_error(format!(
                            "object of type '{}' has no len()",
                            other.type_name()
                        ))
                    }
                    None => 0,
                };
                Ok(Value::Int(i64::try_from(n).map_err(|_| Flow::Unsupported)?))
            }
            Builtin::Range => {
                self.arity("range", &args, 1, 3)?;
                let mut ints = Vec::new();
                for a in &args {
                    match a {
                        Value::Int(i) => ints.push(*i),
                        Value::Bool(x) => ints.push(i64::from(*x)),
                        other => {
                            return self.type_error(format!(
                                "'{}' object cannot be interpreted as an integer",
                                other.type_name()
                            ))
                        }
                    }
                }
                let (s, e, st) = match ints.as_slice() {
                    [e] => (0, *e, 1),
                    [s, e] => (*s, *e, 1),
                    [s, e, st] => (*s, *e, *st),
                    _ => return Err(Flow::Unsupported),
                };
                if st == 0 {
                    return self.exc("ValueError", "range() arg 3 must not be zero");
                }
                Ok(Value::Range(s, e, st))
            }
            Builtin::Abs => {
                self.arity("abs", &args, 1, 1)?;
                match first.as_ref().and_then(Value::num) {
                    Some(Num::I(i)) => Ok(Value::Int(i.checked_abs().ok_or(Flow::Unsupported)?)),
                    Some(Num::F(f)) => Ok(Value::Float(f.abs())),
                    None => self.type_error(format!(
                        "bad operand type for abs(): '{}'",
                        first.as_ref().map_or("NoneType", Value::type_name)
                    )),
                }
            }
            Builtin::Min | Builtin::Max | Builtin::Sum => {
                let name = b.name();
                let items: Vec<Value> = match args.as_slice() {
                    [] => {
                        return self
                            .type_error(format!("{name} expected at least 1 argument, got 0"))
                    }
                    [one] => {
                        let mut v = Vec::new();
                        let mut i = 0;
                        while let Some(x) = self.nth(one, i)? {
                            self.step()?;
                            if v.len() >= MAX_LIST {
                                return Err(Flow::Unsupported);
                            }
                            v.push(x);
                            i += 1;
                        }
                        v
                    }
                    _ if b == Builtin::Sum => return Err(Flow::Unsupported),
                    many => many.to_vec(),
                };
                if b == Builtin::Sum {
                    let mut acc = Value::Int(0);
                    for x in &items {
                        if x.num().is_none() {
                            return self.type_error(format!(
                                "unsupported operand type(s) for +: '{}' and '{}'",
                                acc.type_name(),
                                x.type_name()
                            ));
                        }
                        acc = self.binop(BinOp::Add, &acc, x)?;
                    }
                    return Ok(acc);
                }
                let mut it = items.into_iter();
                let Some(mut best) = it.next() else {
                    return self.exc("ValueError", format!("{name}() iterable argument is empty"));
                };
                for x in it {
                    self.step()?;
                    let better = if b == Builtin::Min {
                        self.order(CmpOp::Lt, &x, &best)?.is_lt()
                    } else {
                        self.order(CmpOp::Gt, &x, &best)?.is_gt()
                    };
                    if better {
                        best = x;
                    }
                }
                Ok(best)
            }
            Builtin::Input => {
                self.arity("input", &args, 0, 1)?;
                if let Some(p) = first {
                    let s = self.str_value(&p)?;
                    self.write_out(&s)?;
                }
                self.flush();
                self.exc("EOFError", "EOF when reading a line")
            }
            Builtin::Exit(_) => {
                if args.len() > 1 {
                    return Err(Flow::Unsupported);
                }
                Err(Flow::Exit(first.unwrap_or(Value::None)))
            }
            Builtin::Getenv => {
                self.arity("getenv", &args, 1, 2)?;
                let Some(Value::Str(k)) = first else {
                    return Err(Flow::Unsupported);
                };
                Ok(match self.getenv(&k) {
                    Some(v) => Value::Str(v.into()),
                    None => args.get(1).cloned().unwrap_or(Value::None),
                })
            }
            Builtin::Sleep => {
                self.arity("sleep", &args, 1, 1)?;
                let secs = match first.as_ref().and_then(Value::num) {
                    Some(n) => n.f(),
                    None => {
                        return self.type_error(format!(
                            "'{}' object cannot be interpreted as an integer",
                            first.as_ref().map_or("NoneType", Value::type_name)
                        ))
                    }
                };
                if secs.is_nan() {
                    return self.exc("ValueError", "Invalid value NaN (not a number)");
                }
                if secs < 0.0 {
                    return self.exc("ValueError", "sleep length must be non-negative");
                }
                if secs * 1000.0 > HORIZON_MS as f64 {
                    return Err(Flow::Forever);
                }
                self.sleep((secs * 1000.0).round() as u64)?;
                Ok(Value::None)
            }
        }
    }

    fn method(&mut self, recv: &Value, name: &str, args: Vec<Value>) -> R<Value> {
        let str_arg = |i: usize| match args.get(i) {
            Some(Value::Str(s)) => Ok(Some(s.clone())),
            None => Ok(None),
            Some(_) => Err(Flow::Unsupported),
        };
        match (recv, name) {
            (Value::Environ, "get") => {
                self.arity("get", &args, 1, 2)?;
                let Some(k) = str_arg(0)? else {
                    return Err(Flow::Unsupported);
                };
                Ok(match self.getenv(&k) {
                    Some(v) => Value::Str(v.into()),
                    None => args.get(1).cloned().unwrap_or(Value::None),
                })
            }
            (Value::Stream(n), "write") => {
                self.arity("write", &args, 1, 1)?;
                match args.first() {
                    Some(Value::Str(s)) => {
                        let s = s.clone();
                        self.write(*n, &s)?;
                        Ok(Value::Int(s.chars().count() as i64))
                    }
                    Some(other) => self.type_error(format!(
                        "write() argument must be str, not {}",
                        other.type_name()
                    )),
                    None => Err(Flow::Unsupported),
                }
            }
            (Value::Stream(n), "flush") => {
                if *n == 1 {
                    self.flush();
                }
                Ok(Value::None)
            }
            (Value::Str(s), _) => {
                let s = s.clone();
                let out = match name {
                    "upper" if args.is_empty() => s.to_uppercase(),
                    "lower" if args.is_empty() => s.to_lowercase(),
                    "strip" | "lstrip" | "rstrip" if args.len() <= 1 => {
                        let chars: Option<Vec<char>> = str_arg(0)?.map(|c| c.chars().collect());
                        let pat = |c: char| match &chars {
                            Some(set) => set.contains(&c),
                            None => c.is_whitespace(),
                        };
                        match name {
                            "strip" => s.trim_matches(pat),
                            "lstrip" => s.trim_start_matches(pat),
                            _ => s.trim_end_matches(pat),
                        }
                        .to_string()
                    }
                    "startswith" | "endswith" if args.len() == 1 => {
                        let Some(p) = str_arg(0)? else {
                            return Err(Flow::Unsupported);
                        };
                        return Ok(Value::Bool(if name == "startswith" {
                            s.starts_with(p.as_ref())
                        } else {
                            s.ends_with(p.as_ref())
                        }));
                    }
                    "isdigit" if args.is_empty() => {
                        return Ok(Value::Bool(
                            !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()),
                        ));
                    }
                    "replace" if args.len() == 2 => {
                        let (Some(a), Some(b)) = (str_arg(0)?, str_arg(1)?) else {
                            return Err(Flow::Unsupported);
                        };
                        if a.is_empty() {
                            return Err(Flow::Unsupported);
                        }
                        let n = s.matches(a.as_ref()).count();
                        if s.len() + n.saturating_mul(b.len()) > MAX_STR {
                            return Err(Flow::Unsupported);
                        }
                        s.replace(a.as_ref(), &b)
                    }
                    "split" if args.len() <= 1 => {
                        let parts: Vec<Value> = match str_arg(0)? {
                            None => s.split_whitespace().map(|p| Value::Str(p.into())).collect(),
                            Some(sep) if sep.is_empty() => {
                                return self.exc("ValueError", "empty separator")
                            }
                            Some(sep) => s
                                .split(sep.as_ref())
                                .map(|p| Value::Str(p.into()))
                                .collect(),
                        };
                        self.charge((s.len() / BYTES_PER_STEP) as u64)?;
                        return self.list(parts);
                    }
                    "join" if args.len() == 1 => {
                        let Some(Value::List(items)) = args.first() else {
                            return Err(Flow::Unsupported);
                        };
                        let mut out = String::new();
                        for (i, item) in items.iter().enumerate() {
                            let Value::Str(p) = item else {
                                return self.type_error(format!(
                                    "sequence item {i}: expected str instance, {} found",
                                    item.type_name()
                                ));
                            };
                            if i > 0 {
                                out.push_str(&s);
                            }
                            out.push_str(p);
                            if out.len() > MAX_STR {
                                return Err(Flow::Unsupported);
                            }
                        }
                        out
                    }
                    _ => return Err(Flow::Unsupported),
                };
                self.text(out)
            }
            _ => Err(Flow::Unsupported),
        }
    }

    /// `format(v, spec)` for `[[fill]align][sign][0][width][.precision][type]`.
    fn format_spec(&mut self, v: &Value, spec: &str) -> R<String> {
        let chars: Vec<char> = spec.chars().collect();
        let mut i = 0;
        let mut fill = ' ';
        let mut align = None;
        let is_align = |c: Option<&char>| matches!(c, Some('<' | '>' | '^' | '='));
        if is_align(chars.get(1)) {
            fill = chars.first().copied().unwrap_or(' ');
            align = chars.get(1).copied();
            i = 2;
        } else if is_align(chars.first()) {
            align = chars.first().copied();
            i = 1;
        }
        let mut sign = '-';
        if let Some(&c @ ('+' | '-' | ' ')) = chars.get(i) {
            sign = c;
            i += 1;
        }
        if chars.get(i) == Some(&'0') {
            if align.is_none() {
                fill = '0';
                align = Some('=');
            }
            i += 1;
        }
        let mut width = 0usize;
        while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
            width = width * 10 + d as usize;
            if width > MAX_WIDTH {
                return Err(Flow::Unsupported);
            }
            i += 1;
        }
        let mut prec = None;
        if chars.get(i) == Some(&'.') {
            i += 1;
            let mut p = 0usize;
            let mut any = false;
            while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                p = p * 10 + d as usize;
                if p > MAX_WIDTH {
                    return Err(Flow::Unsupported);
                }
                any = true;
                i += 1;
            }
            if !any {
                return Err(Flow::Unsupported);
            }
            prec = Some(p);
        }
        let ty = chars.get(i).copied();
        if chars.len() > i + usize::from(ty.is_some()) {
            return Err(Flow::Unsupported);
        }
        let numeric = v.num().is_some();
        let body = match (v, ty) {
            (Value::Str(s), None | Some('s')) => {
                if sign != '-' || align == Some('=') {
                    return Err(Flow::Unsupported);
                }
                match prec {
                    Some(p) => s.chars().take(p).collect(),
                    None => s.to_string(),
                }
            }
            (Value::Str(_), Some(t)) => {
                return self.exc(
                    "ValueError",
                    format!("Unknown format code '{t}' for object of type 'str'"),
                )
            }
            (v, Some('d' | 'x'))
                if matches!(v, Value::Int(_) | Value::Bool(_)) && prec.is_none() =>
            {
                let Some(Num::I(n)) = v.num() else {
                    return Err(Flow::Unsupported);
                };
                let digits = if ty == Some('x') {
                    format!("{:x}", n.unsigned_abs())
                } else {
                    n.unsigned_abs().to_string()
                };
                signed(n < 0, sign, digits)
            }
            (v, Some('f' | 'F')) if numeric => {
                let f = v.num().map_or(0.0, Num::f);
                let p = prec.unwrap_or(6);
                signed(
                    f.is_sign_negative() && f != 0.0,
                    sign,
                    format!("{:.p$}", f.abs()),
                )
            }
            (Value::Int(_) | Value::Bool(_), None) if prec.is_none() => {
                let Some(Num::I(n)) = v.num() else {
                    return Err(Flow::Unsupported);
                };
                signed(n < 0, sign, n.unsigned_abs().to_string())
            }
            (Value::Float(f), None) if prec.is_none() => {
                let r = float_repr(f.abs());
                signed(f.is_sign_negative(), sign, r)
            }
            _ => return Err(Flow::Unsupported),
        };
        let len = body.chars().count();
        if len >= width {
            return Ok(body);
        }
        let pad = width - len;
        let align = align.unwrap_or(if numeric { '>' } else { '<' });
        let fills = |n: usize| fill.to_string().repeat(n);
        Ok(match align {
            '<' => format!("{body}{}", fills(pad)),
            '^' => format!("{}{body}{}", fills(pad / 2), fills(pad - pad / 2)),
            '=' if numeric => {
                let (s, rest) = match body.chars().next() {
                    Some(c @ ('-' | '+' | ' ')) => (c.to_string(), body.chars().skip(1).collect()),
                    _ => (String::new(), body.clone()),
                };
                format!("{s}{}{rest}", fills(pad))
            }
            '=' => return Err(Flow::Unsupported),
            _ => format!("{}{body}", fills(pad)),
        })
    }
}

fn signed(negative: bool, sign: char, digits: String) -> String {
    match (negative, sign) {
        (true, _) => format!("-{digits}"),
        (false, '+') => format!("+{digits}"),
        (false, ' ') => format!(" {digits}"),
        _ => digits,
    }
}

fn norm_index(i: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let k = if i < 0 { i + len } else { i };
    if (0..len).contains(&k) {
        usize::try_from(k).ok()
    } else {
        None
    }
}

/// `int(str)`: optional whitespace and sign, digits with single underscores between them.
/// `None` for an invalid literal, `Some(Err)` for a valid one beyond 64 bits.
fn parse_int(s: &str) -> Option<Result<i64, ()>> {
    let t = s.trim();
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
        || !digits.chars().all(|c| c.is_ascii_digit() || c == '_')
    {
        return None;
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    let v: i128 = match clean.parse::<i128>() {
        Ok(v) => v,
        Err(_) => return Some(Err(())),
    };
    let v = if neg { -v } else { v };
    Some(i64::try_from(v).map_err(|_| ()))
}

fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if matches!(body, "inf" | "infinity" | "nan") {
        return lower.replace("infinity", "inf").parse().ok();
    }
    if t.is_empty()
        || t.contains("__")
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-' | '_'))
    {
        return None;
    }
    t.replace('_', "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::super::{run as sh_run, End, Limits, NoHost, OutputLine, Stream, UnknownProgram};
    use super::*;

    const BACKOFF_PER_INDEX: &str = "import os, sys\nprint(\"Hello world\")\nif int(os.environ.get(\"JOB_COMPLETION_INDEX\")) % 2 == 0:\n  sys.exit(1)\n";
    const FAIL_INDEX: &str = "import os, sys\nindex = int(os.environ.get(\"JOB_COMPLETION_INDEX\"))\nif index == 0:\n  sys.exit(1)\nelif index == 1:\n  sys.exit(42)\nelse:\n  sys.exit(0)\n";
    const SUCCESS_POLICY: &str = "import os, sys\nif os.environ.get(\"JOB_COMPLETION_INDEX\") == \"2\":\n  sys.exit(0)\nelse:\n  sys.exit(1)\n";

    /// (stdout, stderr, exit) of `python3 -c script` with `env`; `None` when unsupported.
    fn py_env(script: &str, env: &[(&str, &str)]) -> Option<(String, String, Option<i32>)> {
        let argv = vec!["python3".to_string(), "-c".to_string(), script.to_string()];
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let p = run(&argv, &|| env.clone(), 200_000)?;
        let (mut out, mut err) = (String::new(), String::new());
        for a in p.actions {
            match a {
                Action::Out(s) => out.push_str(&s),
                Action::Err(s) => err.push_str(&s),
                Action::Sleep(_) => {}
            }
        }
        Some((out, err, p.exit))
    }

    fn py(script: &str) -> (String, String, Option<i32>) {
        py_env(script, &[]).unwrap_or_else(|| panic!("unsupported: {script}"))
    }

    fn ok(script: &str) -> String {
        let (out, err, code) = py(script);
        assert_eq!((err.as_str(), code), ("", Some(0)), "{script}");
        out
    }

    fn shell(command: &[&str], env: &[(&str, &str)]) -> crate::engine::sh::Run {
        let command: Vec<String> = command.iter().map(|s| s.to_string()).collect();
        let env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        sh_run(
            &command,
            &[],
            &env,
            UnknownProgram::RunFor { ms: 10_000 },
            &mut NoHost,
            &Limits::default(),
        )
    }

    fn line(at_ms: u64, stream: Stream, text: &str) -> OutputLine {
        OutputLine {
            at_ms,
            stream,
            text: text.to_string(),
        }
    }

    #[test]
    fn docs_backoff_limit_per_index_example() {
        for i in 0..10 {
            let idx = i.to_string();
            let r = py_env(BACKOFF_PER_INDEX, &[("JOB_COMPLETION_INDEX", &idx)]);
            let want = if i % 2 == 0 { 1 } else { 0 };
            assert_eq!(
                r,
                Some(("Hello world\n".to_string(), String::new(), Some(want))),
                "index {i}"
            );
        }
    }

    #[test]
    fn docs_backoff_limit_per_index_failindex() {
        for (i, want) in [(0, 1), (1, 42), (2, 0), (3, 0)] {
            let idx = i.to_string();
            let r = py_env(FAIL_INDEX, &[("JOB_COMPLETION_INDEX", &idx)]);
            assert_eq!(
                r,
                Some((String::new(), String::new(), Some(want))),
                "index {i}"
            );
        }
    }

    #[test]
    fn docs_success_policy() {
        for i in 0..10 {
            let idx = i.to_string();
            let r = py_env(SUCCESS_POLICY, &[("JOB_COMPLETION_INDEX", &idx)]);
            let want = if i == 2 { 0 } else { 1 };
            assert_eq!(
                r,
                Some((String::new(), String::new(), Some(want))),
                "index {i}"
            );
        }
    }

    #[test]
    fn docs_programs_through_the_shell() {
        let r = shell(
            &["python3", "-c", BACKOFF_PER_INDEX],
            &[("JOB_COMPLETION_INDEX", "4")],
        );
        assert_eq!(r.output, vec![line(0, Stream::Stdout, "Hello world")]);
        assert_eq!(r.end, End::Exit { at_ms: 0, code: 1 });
        // Without the variable the docs program fails as CPython does.
        let r = shell(&["python3", "-c", BACKOFF_PER_INDEX], &[]);
        let err: Vec<&str> = r
            .output
            .iter()
            .filter(|l| l.stream == Stream::Stderr)
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(
            err,
            [
                "Traceback (most recent call last):",
                "  File \"<string>\", line 3, in <module>",
                "    if int(os.environ.get(\"JOB_COMPLETION_INDEX\")) % 2 == 0:",
                "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'",
            ]
        );
        assert_eq!(r.end, End::Exit { at_ms: 0, code: 1 });
        // Via env, a path, -u, and from a shell script with exported variables.
        let r = shell(
            &[
                "/usr/bin/env",
                "/usr/local/bin/python3.12",
                "-u",
                "-c",
                SUCCESS_POLICY,
            ],
            &[("JOB_COMPLETION_INDEX", "2")],
        );
        assert_eq!(r.end, End::Exit { at_ms: 0, code: 0 });
        let r = shell(
            &[
                "sh",
                "-c",
                "export JOB_COMPLETION_INDEX=1; python -c \"$S\"; echo \"rc=$?\"",
            ],
            &[("S", FAIL_INDEX)],
        );
        assert_eq!(r.output, vec![line(0, Stream::Stdout, "rc=42")]);
    }

    #[test]
    fn sleep_advances_the_clock_and_stdout_is_buffered() {
        let script = "import time\nfor i in range(3):\n    print('tick', i, flush=True)\n    time.sleep(1.5)\nprint('done')\nimport sys\nprint('oops', file=sys.stderr)\ntime.sleep(2)";
        let r = shell(&["python3", "-c", script], &[]);
        assert_eq!(
            r.output,
            vec![
                line(0, Stream::Stdout, "tick 0"),
                line(1500, Stream::Stdout, "tick 1"),
                line(3000, Stream::Stdout, "tick 2"),
                line(4500, Stream::Stderr, "oops"),
                line(6500, Stream::Stdout, "done"),
            ]
        );
        assert_eq!(
            r.end,
            End::Exit {
                at_ms: 6500,
                code: 0
            }
        );
        // -u and PYTHONUNBUFFERED write stdout at once.
        let script = "import time\nprint('a')\ntime.sleep(1)\nprint('b')";
        let want = vec![
            line(0, Stream::Stdout, "a"),
            line(1000, Stream::Stdout, "b"),
        ];
        assert_eq!(shell(&["python3", "-u", "-c", script], &[]).output, want);
        assert_eq!(shell(&["python3", "-uc", script], &[]).output, want);
        let r = shell(&["python3", "-c", script], &[("PYTHONUNBUFFERED", "1")]);
        assert_eq!(r.output, want);
        let r = shell(&["python3", "-c", script], &[]);
        assert_eq!(
            r.output,
            vec![
                line(1000, Stream::Stdout, "a"),
                line(1000, Stream::Stdout, "b")
            ]
        );
    }

    #[test]
    fn printing_and_values() {
        assert_eq!(
            ok("print('a', 1, 2.5, None, True, sep='-', end='!\\n')"),
            "a-1-2.5-None-True!\n"
        );
        assert_eq!(ok("print()"), "\n");
        assert_eq!(
            ok("print(-7//2, -7%2, 7/2, 1e16, 1e-5, 0.1+0.2, 2.0, 10/5, 2**10, 2**-1)"),
            "-4 1 3.5 1e+16 1e-05 0.30000000000000004 2.0 2.0 1024 0.5\n"
        );
        assert_eq!(
            ok("print([1, 'a', None, [2.0]], repr(\"it's\"), str(5) + 'x')"),
            "[1, 'a', None, [2.0]] \"it's\" 5x\n"
        );
        assert_eq!(ok("x = 3\nname = 'pod'\nprint(f'{name}-{x + 1}: {x!r:>4}|{name:<5}|{2.5:.3f}|{7:03d}|{{}}')"), "pod-4:    3|pod  |2.500|007|{}\n");
        assert_eq!(ok("a = b = 2\na += 3\nb *= 4\nprint(a, b, a if a > b else b, not a, a and b, 0 or 'z')"), "5 8 8 False 8 z\n");
        assert_eq!(ok("print(1 < 2 < 3, 3 < 2 < 4, 'b' in 'abc', 4 not in [1, 2], None is None, 1 == 1.0)"), "True False True True True True\n");
        assert_eq!(ok("s = '  Hi There '\nprint(s.strip().upper(), s.split(), ','.join(['a', 'b']), len(s), s[2], 'x'.startswith('x'))"), "HI THERE ['Hi', 'There'] a,b 11 H True\n");
        assert_eq!(ok("print(int(' 42 '), int('-4_2'), int(3.9), int(-3.9), float('1.5'), str(1.5), abs(-3), min(3, 1, 2), max([4, 9]), sum(range(5)))"), "42 -42 3 -3 1.5 1.5 3 1 9 10\n");
        assert_eq!(ok("if __name__ == '__main__': print('main')"), "main\n");
        assert_eq!(
            ok("import sys\nsys.stdout.write('w\\n')\nprint(len(sys.argv), sys.argv[0])"),
            "w\n1 -c\n"
        );
        assert_eq!(ok("\"\"\"doc\nstring\"\"\"\n# comment\nx = (1 +\n     2)\nprint(x); print(\\\n 'cont')"), "3\ncont\n");
    }

    #[test]
    fn argv_and_environment() {
        let argv: Vec<String> = ["python3", "-c", "import sys; print(sys.argv)", "a", "b"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let p = run(&argv, &Vec::new, 1000).map(|p| p.actions);
        assert_eq!(p, Some(vec![Action::Out("['-c', 'a', 'b']\n".to_string())]));
        let env = [("A", "1"), ("B", "two")];
        let r = py_env(
            "import os\nfrom os import getenv\nprint(os.environ['A'], os.environ.get('X', 'dflt'), getenv('B'), os.getenv('X'), 'A' in os.environ)\nfor k in os.environ: print(k)",
            &env,
        );
        assert_eq!(
            r,
            Some((
                "1 dflt two None True\nA\nB\n".to_string(),
                String::new(),
                Some(0)
            ))
        );
    }

    #[test]
    fn control_flow() {
        assert_eq!(ok("n = 0\nwhile True:\n    n += 1\n    if n % 2:\n        continue\n    if n > 6:\n        break\n    print(n)\n"), "2\n4\n6\n");
        assert_eq!(
            ok("for i in range(10, 0, -3):\n  for c in 'ab':\n    pass\n  print(i, c)"),
            "10 b\n7 b\n4 b\n1 b\n"
        );
        assert_eq!(ok("x = 5\nif x > 10:\n  print('big')\nelif x > 3:\n  print('mid')\nelse:\n  print('small')"), "mid\n");
    }

    #[test]
    fn exits() {
        assert_eq!(
            py("import sys\nprint('out')\nsys.exit('bye')"),
            ("out\n".into(), "bye\n".into(), Some(1))
        );
        assert_eq!(py("import sys; sys.exit(256)").2, Some(0));
        assert_eq!(py("import sys; sys.exit(-1)").2, Some(255));
        assert_eq!(py("import sys; sys.exit(None)").2, Some(0));
        assert_eq!(py("import sys; sys.exit(True)").2, Some(1));
        assert_eq!(py("exit(3)").2, Some(3));
        assert_eq!(py("quit()").2, Some(0));
        assert_eq!(py("raise SystemExit(7)").2, Some(7));
        assert_eq!(py("raise SystemExit").2, Some(0));
        assert_eq!(py("from sys import exit as bye\nbye(9)").2, Some(9));
        assert_eq!(
            py("for i in range(3):\n  if i == 1:\n    raise SystemExit(i + 4)").2,
            Some(5)
        );
    }

    fn traceback(line: usize, src: &str, last: &str) -> String {
        format!("Traceback (most recent call last):\n  File \"<string>\", line {line}, in <module>\n    {src}\n{last}\n")
    }

    #[test]
    fn runtime_errors_print_tracebacks() {
        let cases: &[(&str, usize, &str, &str)] = &[
            ("x = 1\nint('abc')", 2, "int('abc')", "ValueError: invalid literal for int() with base 10: 'abc'"),
            ("int(None)", 1, "int(None)", "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'"),
            ("print(x)", 1, "print(x)", "NameError: name 'x' is not defined"),
            ("sys.exit(1)", 1, "sys.exit(1)", "NameError: name 'sys' is not defined. Did you forget to import 'sys'?"),
            ("1/0", 1, "1/0", "ZeroDivisionError: division by zero"),
            ("1//0", 1, "1//0", "ZeroDivisionError: integer division or modulo by zero"),
            ("'a' + 1", 1, "'a' + 1", "TypeError: can only concatenate str (not \"int\") to str"),
            ("1 + 'a'", 1, "1 + 'a'", "TypeError: unsupported operand type(s) for +: 'int' and 'str'"),
            ("'a' < 1", 1, "'a' < 1", "TypeError: '<' not supported between instances of 'str' and 'int'"),
            ("len(5)", 1, "len(5)", "TypeError: object of type 'int' has no len()"),
            ("[1][3]", 1, "[1][3]", "IndexError: list index out of range"),
            ("float('x')", 1, "float('x')", "ValueError: could not convert string to float: 'x'"),
            ("raise ValueError('v')", 1, "raise ValueError('v')", "ValueError: v"),
            ("raise RuntimeError", 1, "raise RuntimeError", "RuntimeError"),
            ("assert 1 == 2, 'm'", 1, "assert 1 == 2, 'm'", "AssertionError: m"),
            ("if True:\n    input()", 2, "input()", "EOFError: EOF when reading a line"),
        ];
        for (script, line, src, last) in cases {
            let (out, err, code) = py(script);
            assert_eq!((out.as_str(), code), ("", Some(1)), "{script}");
            assert_eq!(err, traceback(*line, src, last), "{script}");
        }
        // os.environ[...] fails inside os.py, which CPython shows as a frozen frame.
        let (_, err, code) = py("import os\nprint('x')\nos.environ['NOPE']");
        assert_eq!(code, Some(1));
        assert_eq!(err, "Traceback (most recent call last):\n  File \"<string>\", line 3, in <module>\n    os.environ['NOPE']\n  File \"<frozen os>\", line 716, in __getitem__\nKeyError: 'NOPE'\n");
        // The traceback is written before buffered stdout is flushed at exit.
        let r = shell(&["python3", "-c", "print('before')\nx"], &[]);
        let streams: Vec<Stream> = r.output.iter().map(|l| l.stream).collect();
        assert_eq!(streams.first(), Some(&Stream::Stderr));
        assert_eq!(r.output.last().map(|l| l.text.as_str()), Some("before"));
    }

    #[test]
    fn syntax_errors_are_reported_before_running() {
        let cases: &[(&str, &str)] = &[
            ("print('hi')\nif x", "  File \"<string>\", line 2\n    if x\n        ^\nSyntaxError: expected ':'\n"),
            ("print(\"abc)", "  File \"<string>\", line 1\n    print(\"abc)\n          ^\nSyntaxError: unterminated string literal (detected at line 1)\n"),
            ("print((1)", "  File \"<string>\", line 1\n    print((1)\n         ^\nSyntaxError: '(' was never closed\n"),
            ("print(1))", "  File \"<string>\", line 1\n    print(1))\n            ^\nSyntaxError: unmatched ')'\n"),
            ("  print(1)", "  File \"<string>\", line 1\n    print(1)\nIndentationError: unexpected indent\n"),
            ("if 1:\nprint(2)", "  File \"<string>\", line 2\n    print(2)\n    ^\nIndentationError: expected an indented block after 'if' statement on line 1\n"),
            ("if 1:", "  File \"<string>\", line 1\n    if 1:\n         ^\nIndentationError: expected an indented block after 'if' statement on line 1\n"),
            ("if 1:\n    a=1\n  b=2", "  File \"<string>\", line 3\n    b=2\n       ^\nIndentationError: unindent does not match any outer indentation level\n"),
            ("x = 1 +", "  File \"<string>\", line 1\n    x = 1 +\n           ^\nSyntaxError: invalid syntax\n"),
            ("break", "  File \"<string>\", line 1\n    break\n    ^\nSyntaxError: 'break' outside loop\n"),
        ];
        for (script, want) in cases {
            assert_eq!(
                py(script),
                (String::new(), want.to_string(), Some(1)),
                "{script}"
            );
        }
    }

    #[test]
    fn outside_the_subset_is_an_unknown_program() {
        for script in [
            "import requests",
            "import os.path",
            "def f():\n  pass",
            "class A: pass",
            "try:\n  pass\nexcept: pass",
            "print([x for x in range(3)])",
            "import sys; print(sys.argv[1:])",
            "import os; print(os.listdir('/'))",
            "print(sorted([2, 1]))",
            "print('%d' % 3)",
            "print(2 ** 100)",
            "x = {}",
            "print('a'.zfill(3))",
            "with open('f') as f: pass",
            "lambda: 0",
            "print(1) if True else None; import json",
            "print('x' * 10_000_000)",
        ] {
            assert_eq!(py_env(script, &[]), None, "{script}");
        }
        // Through the shell: the unknown-program rule (here: runs 10 s, exits 0).
        let r = shell(&["python3", "-c", "import requests"], &[]);
        assert_eq!(
            (r.output.len(), r.end),
            (
                0,
                End::Exit {
                    at_ms: 10_000,
                    code: 0
                }
            )
        );
        // Other invocations are not recognised at all.
        for argv in [
            vec!["python3", "app.py"],
            vec!["python3", "-m", "http.server"],
            vec!["python3"],
            vec!["python2", "-c", "print 1"],
            vec!["pythonista", "-c", "print(1)"],
            vec!["python3", "--version"],
        ] {
            let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
            assert!(run(&argv, &Vec::new, 1000).is_none(), "{argv:?}");
        }
    }

    #[test]
    fn bounds() {
        // A busy loop runs out of steps: it never ends, and its buffered stdout is lost.
        let (out, _, code) = py("print('start')\nwhile True:\n  pass");
        assert_eq!((out.as_str(), code), ("", None));
        let r = shell(&["python3", "-c", "while True: pass"], &[]);
        assert_eq!(r.end, End::Forever);
        // A sleeping loop runs until the step budget too, keeping the earliest output.
        let r = shell(
            &[
                "python3",
                "-u",
                "-c",
                "import time\nwhile True:\n  print('x')\n  time.sleep(1)",
            ],
            &[],
        );
        assert_eq!(r.end, End::Forever);
        assert_eq!(r.output.len(), Limits::default().max_output_lines);
        // Sleeping past the horizon never ends.
        assert_eq!(py("import time; time.sleep(10**9)").2, None);
        // Huge output is capped.
        let p = run(
            &[
                "python3".into(),
                "-c".into(),
                "s = 'y' * 60000\nwhile True: print(s)".into(),
            ],
            &Vec::new,
            10_000_000,
        );
        let p = p.unwrap_or_else(|| panic!("unsupported"));
        let total: usize = p
            .actions
            .iter()
            .map(|a| match a {
                Action::Out(s) | Action::Err(s) => s.len(),
                Action::Sleep(_) => 0,
            })
            .sum();
        assert!(total <= MAX_OUTPUT, "{total}");
        assert_eq!(p.exit, None);
        // Deep nesting and long chains are refused, not overflowing the stack.
        let deep = format!("print({}1{})", "(".repeat(5000), ")".repeat(5000));
        assert_eq!(py_env(&deep, &[]), None);
        let long = format!("print({})", vec!["1"; 5000].join(" + "));
        assert_eq!(py_env(&long, &[]), None);
        let minus = format!("print({}1)", "-".repeat(5000));
        assert_eq!(py_env(&minus, &[]), None);
        let mut nested = String::new();
        for i in 0..100 {
            nested.push_str(&format!("{}if True:\n", " ".repeat(i)));
        }
        nested.push_str(&format!("{}pass\n", " ".repeat(100)));
        assert_eq!(py_env(&nested, &[]), None);
    }

    #[test]
    fn never_panics_on_odd_input() {
        let samples = [
            "",
            "\n\n",
            "#",
            "'",
            "\"\"\"",
            "f'{'",
            "f'}'",
            "f'{x!z}'",
            "f'{1:{2}}'",
            "(",
            ")",
            "]",
            "[1,",
            "x =",
            "= 1",
            "if",
            "else:",
            "elif x:",
            "for",
            "for x in",
            "while:",
            "\\",
            "print(1,,2)",
            "print(sep=1)",
            "x[",
            "1 if",
            "not",
            "a.b.c",
            "0x",
            "1e",
            "1_",
            "09",
            "\t\tprint(1)",
            "if 1:\n\tprint(1)\n        print(2)",
            "print('\\x4')",
            "'\\N{DASH}'",
            "raise",
            "assert",
            "import",
            "from os import",
            "x = y = ",
            "print(f'{1!r:>5}')",
            "range(1, 2, 0)",
            "int('9' * 30)",
            "float('1e999')",
            "print(-(2**63))",
            "print((-2**63) // -1)",
            "print(1e308 * 10)",
            "import time; time.sleep(-1)",
            "print(float('nan'))",
            "print(int(float('inf')))",
            "'é'[0]",
            "print('\\u00e9')",
            "print(range(3), [range(1, 5, 2)])",
            "print(print)",
            "print(ValueError('x'))",
            "print(sys)",
            "import sys; print(sys)",
            "import sys; print(sys.stderr)",
            "import os; print(os.environ)",
            "print(f'{\"a\"}')",
            "x = 1; x()",
            "None()",
            "print(len(range(-5)))",
            "print(min([]))",
            "print(' '.join([1]))",
        ];
        for s in samples {
            let argv = vec!["python3".to_string(), "-c".to_string(), s.to_string()];
            let _ = run(&argv, &Vec::new, 10_000);
        }
    }

    #[test]
    fn float_repr_matches_python() {
        for (x, want) in [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (123456789.125, "123456789.125"),
            (1e-4, "0.0001"),
            (-2.5e20, "-2.5e+20"),
            (9999999999999998.0, "9999999999999998.0"),
        ] {
            assert_eq!(float_repr(x), want);
        }
    }
}
