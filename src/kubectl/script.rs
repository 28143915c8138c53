//! Scripts: one command a line, `#` comments, `\` line continuation and `<<EOF … EOF` heredocs
//! that feed `-f -`. Used by `kubeplay run`, the golden scenarios and the page's script box.

use super::{FileSource, Session};

/// One command of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptCommand {
    /// 1-based line the command starts on.
    pub line_no: usize,
    /// The command exactly as written (continuation lines, heredoc body and terminator too).
    pub text: String,
    /// The command line to run (continuations joined, the `<<EOF` word removed).
    pub command: String,
    /// The heredoc body, if any.
    pub stdin: Option<String>,
}

/// A script that cannot be split into commands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScriptError {
    /// A heredoc whose terminator never came.
    #[error("error: line {line}: unterminated heredoc: expected a line \"{marker}\" before the end of the script")]
    UnterminatedHeredoc {
        /// The line the heredoc starts on.
        line: usize,
        /// The terminator it waits for.
        marker: String,
    },
    /// A `\` on the last line.
    #[error("error: line {line}: the script ends in a line continuation")]
    DanglingContinuation {
        /// The line with the trailing backslash.
        line: usize,
    },
}

/// Finds a `<<WORD`, `<<'WORD'`, `<<"WORD"` or `<<-WORD` in a command line; returns the line
/// without it, the terminator and whether leading tabs are stripped.
fn heredoc_marker(line: &str) -> Option<(String, String, bool)> {
    let idx = line.find("<<")?;
    let before = line.get(..idx)?;
    let mut rest = line.get(idx + 2..)?;
    let dash = rest.starts_with('-');
    if dash {
        rest = rest.get(1..)?;
    }
    let rest = rest.trim_start();
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let (word, after) = rest.split_at(end);
    let marker = word.trim_matches(|c| c == '\'' || c == '"').to_string();
    if marker.is_empty() {
        return None;
    }
    let cmd = format!("{}{}", before.trim_end(), after);
    Some((cmd.trim_end().to_string(), marker, dash))
}

/// Splits a script into commands.
pub fn split(script: &str) -> Result<Vec<ScriptCommand>, ScriptError> {
    let lines: Vec<&str> = script.lines().collect();
    let mut cmds = Vec::new();
    let mut i = 0;
    while let Some(&first) = lines.get(i) {
        let line_no = i + 1;
        i += 1;
        let trimmed = first.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut text = first.to_string();
        let mut command = String::new();
        let mut cur = first;
        loop {
            match cur.strip_suffix('\\') {
                Some(head) => {
                    command.push_str(head);
                    let Some(&next) = lines.get(i) else {
                        return Err(ScriptError::DanglingContinuation { line: i });
                    };
                    i += 1;
                    text.push('\n');
                    text.push_str(next);
                    cur = next;
                }
                None => {
                    command.push_str(cur);
                    break;
                }
            }
        }
        let mut stdin = None;
        if let Some((cmd, marker, dash)) = heredoc_marker(&command) {
            let mut body = String::new();
            let mut closed = false;
            while let Some(&l) = lines.get(i) {
                i += 1;
                text.push('\n');
                text.push_str(l);
                let cmp = if dash { l.trim_start_matches('\t') } else { l };
                if cmp == marker {
                    closed = true;
                    break;
                }
                body.push_str(cmp);
                body.push('\n');
            }
            if !closed {
                return Err(ScriptError::UnterminatedHeredoc {
                    line: line_no,
                    marker,
                });
            }
            command = cmd;
            stdin = Some(body);
        }
        cmds.push(ScriptCommand {
            line_no,
            text,
            command: command.trim().to_string(),
            stdin,
        });
    }
    Ok(cmds)
}

/// What a script printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScriptOutput {
    /// Standard output (with `echo`, error messages too, in order).
    pub stdout: String,
    /// Standard error (empty with `echo`).
    pub stderr: String,
    /// False if any command failed.
    pub ok: bool,
}

/// Runs every command of a script. With `echo`, each command is printed as `$ ` plus its text
/// before its output, and error messages go to stdout in order.
pub fn run_script(
    session: &mut Session,
    script: &str,
    echo: bool,
    files: &dyn FileSource,
) -> Result<ScriptOutput, ScriptError> {
    let cmds = split(script)?;
    let mut out = ScriptOutput {
        ok: true,
        ..Default::default()
    };
    for c in cmds {
        let res = session.run(&c.command, c.stdin.as_deref(), files);
        if echo {
            out.stdout.push_str("$ ");
            out.stdout.push_str(&c.text);
            out.stdout.push('\n');
            out.stdout.push_str(&res.stdout);
            out.stdout.push_str(&res.stderr);
        } else {
            out.stdout.push_str(&res.stdout);
            out.stderr.push_str(&res.stderr);
        }
        out.ok &= res.ok;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_continuations_heredocs_and_comments() {
        let script = "# c\nget pods \\\n  -A\napply -f - <<EOF\nkind: X\nEOF\n\nsim time\n";
        let cmds = split(script).unwrap();
        assert_eq!(cmds.len(), 3);
        assert_eq!(cmds[0].command, "get pods   -A");
        assert_eq!(cmds[0].text, "get pods \\\n  -A");
        assert_eq!(cmds[1].command, "apply -f -");
        assert_eq!(cmds[1].stdin.as_deref(), Some("kind: X\n"));
        assert_eq!(cmds[1].text, "apply -f - <<EOF\nkind: X\nEOF");
        assert_eq!(cmds[1].line_no, 4);
        assert_eq!(cmds[2].command, "sim time");
    }

    #[test]
    fn unterminated_heredoc_names_the_line() {
        let err = split("sim time\napply -f - <<EOF\nkind: X\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "error: line 2: unterminated heredoc: expected a line \"EOF\" before the end of the script"
        );
    }
}
