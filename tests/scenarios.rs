//! Golden scenarios: every `tests/scenarios/*.txt` is a script (first line `# seed: N`), replayed
//! twice through `kubeplay::kubectl::script::run_script` with `--echo` semantics; both runs must be
//! byte-identical and equal the sibling `.out` file. `UPDATE_EXPECT=1 cargo test --test scenarios`
//! rewrites the `.out` files.

use std::path::{Path, PathBuf};

use kubeplay::kubectl::script::{run_script, split};
use kubeplay::kubectl::{FileSource, Session};

struct DirFiles {
    base: PathBuf,
}

impl FileSource for DirFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(self.base.join(path))
            .map_err(|_| format!("error: the path \"{path}\" does not exist"))
    }
}

fn seed_of(script: &str) -> u64 {
    script
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# seed:"))
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

fn replay(path: &Path, script: &str, seed: u64) -> String {
    let files = DirFiles {
        base: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
    };
    let mut session = Session::new(seed);
    match run_script(&mut session, script, true, &files) {
        Ok(out) => {
            let mut s = out.stdout;
            s.push_str(&format!("# exit: {}\n", if out.ok { 0 } else { 1 }));
            s
        }
        Err(e) => format!("{e}\n"),
    }
}

#[test]
fn scenarios_replay_byte_identical() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no scenarios in {}", dir.display());
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for path in &paths {
        let script = std::fs::read_to_string(path).unwrap();
        let seed = seed_of(&script);
        let first = replay(path, &script, seed);
        let second = replay(path, &script, seed);
        assert_eq!(
            first,
            second,
            "{}: two runs with seed {seed} diverged",
            path.display()
        );
        let out_path = path.with_extension("out");
        if update {
            std::fs::write(&out_path, &first).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&out_path).unwrap_or_default();
        if want != first {
            failures.push(format!(
                "{} (seed {seed}) differs from {}; rerun with UPDATE_EXPECT=1 to rebless\n--- got ---\n{first}",
                path.display(),
                out_path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A transcript must not rot: pod names come from the seeded RNG, so a script that names a pod
/// (`logs queue-2swg5`) silently stops showing what it was written for when the names shift.
/// Every command answered with NotFound must therefore be announced by the comment line right
/// above it ("# … not found …"), except in `errors.txt`, which is all about errors.
#[test]
fn scenarios_do_not_name_objects_that_do_not_exist() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .filter(|p| p.file_name().is_some_and(|n| n != "errors.txt"))
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    for path in &paths {
        let script = std::fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = script.lines().collect();
        let files = DirFiles { base: dir.clone() };
        let mut session = Session::new(seed_of(&script));
        for c in split(&script).unwrap() {
            let res = session.run(&c.command, c.stdin.as_deref(), &files);
            let text = format!("{}{}", res.stdout, res.stderr);
            if !text.contains("NotFound") {
                continue;
            }
            let above = c
                .line_no
                .checked_sub(2)
                .and_then(|i| lines.get(i))
                .map(|l| l.trim_start())
                .unwrap_or("");
            if !(above.starts_with('#') && above.to_lowercase().contains("not found")) {
                failures.push(format!(
                    "{}:{}: `{}` answered NotFound without a \"# … not found\" comment above it:\n{text}",
                    path.display(),
                    c.line_no,
                    c.command
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
