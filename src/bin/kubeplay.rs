//! The native `kubeplay` CLI: `kubeplay run [--seed N] [--echo] FILE|-` replays a script;
//! `kubeplay` alone is an interactive prompt. Both go through [`kubeplay::kubectl::Session`].

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kubeplay::kubectl::script::run_script;
use kubeplay::kubectl::{FileSource, Session};

/// Reads `-f` paths relative to a directory (the script's).
struct DirFiles {
    base: PathBuf,
}

impl FileSource for DirFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let p = Path::new(path);
        let full = if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base.join(p)
        };
        std::fs::read_to_string(&full)
            .map_err(|_| format!("error: the path \"{path}\" does not exist"))
    }
}

const USAGE: &str = "usage: kubeplay [run [--seed N] [--echo] FILE|-]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => interactive(0),
        Some("run") => run(args.get(1..).unwrap_or_default()),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("--seed") => match args.get(1).and_then(|s| s.parse().ok()) {
            Some(seed) => interactive(seed),
            None => {
                eprintln!("{USAGE}");
                ExitCode::from(2)
            }
        },
        Some(_) => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> ExitCode {
    let mut seed = 0u64;
    let mut echo = false;
    let mut file: Option<String> = None;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        match a.as_str() {
            "--echo" => echo = true,
            "--seed" => match args.get(i).and_then(|s| s.parse().ok()) {
                Some(s) => {
                    seed = s;
                    i += 1;
                }
                None => {
                    eprintln!("error: --seed needs a number\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            s if s.starts_with("--seed=") => match s.trim_start_matches("--seed=").parse() {
                Ok(v) => seed = v,
                Err(_) => {
                    eprintln!("error: --seed needs a number\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            other if file.is_none() => file = Some(other.to_string()),
            other => {
                eprintln!("error: unexpected argument {other:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(file) = file else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let (text, base) = if file == "-" {
        let mut s = String::new();
        if std::io::stdin().read_to_string(&mut s).is_err() {
            eprintln!("error: cannot read stdin");
            return ExitCode::from(2);
        }
        (s, PathBuf::from("."))
    } else {
        match std::fs::read_to_string(&file) {
            Ok(t) => (
                t,
                Path::new(&file)
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| PathBuf::from(".")),
            ),
            Err(e) => {
                eprintln!("error: cannot read {file}: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let files = DirFiles { base };
    let mut session = Session::new(seed);
    match run_script(&mut session, &text, echo, &files) {
        Ok(out) => {
            print!("{}", out.stdout);
            eprint!("{}", out.stderr);
            if out.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn interactive(seed: u64) -> ExitCode {
    let files = DirFiles {
        base: PathBuf::from("."),
    };
    let mut session = Session::new(seed);
    let stdin = std::io::stdin();
    let tty = stdin.is_terminal();
    let mut lines = stdin.lock().lines();
    loop {
        print!("kubeplay> ");
        let _ = std::io::stdout().flush();
        let Some(Ok(line)) = lines.next() else {
            if tty {
                println!();
            }
            return ExitCode::SUCCESS;
        };
        let mut line = line;
        // `\` continues the command on the next line.
        while line.ends_with('\\') {
            line.pop();
            match lines.next() {
                Some(Ok(next)) => line.push_str(&next),
                _ => break,
            }
        }
        let trimmed = line.trim();
        if trimmed == "exit" || trimmed == "quit" {
            return ExitCode::SUCCESS;
        }
        // A heredoc: read its body up to the terminator.
        let mut stdin_text = None;
        let mut command = line.clone();
        if let Some(idx) = line.find("<<") {
            let marker = line
                .get(idx + 2..)
                .unwrap_or_default()
                .trim()
                .trim_start_matches('-')
                .trim_matches(|c| c == '\'' || c == '"')
                .to_string();
            if !marker.is_empty() {
                let mut body = String::new();
                for l in lines.by_ref() {
                    let Ok(l) = l else { break };
                    if l == marker {
                        break;
                    }
                    body.push_str(&l);
                    body.push('\n');
                }
                command = line.get(..idx).unwrap_or_default().to_string();
                stdin_text = Some(body);
            }
        }
        let out = session.run(&command, stdin_text.as_deref(), &files);
        print!("{}", out.stdout);
        eprint!("{}", out.stderr);
    }
}
