//! The layering rule of style.md, enforced: the engine and the kubectl layer never import a
//! browser crate (they must build and behave the same natively and in wasm), and nothing ships a
//! `todo!()` or `unimplemented!()` (each one is a panic waiting for a user; in wasm a panic kills
//! the page).

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn engine_and_kubectl_do_not_import_browser_crates() {
    let forbidden = ["yew", "gloo", "web_sys", "js_sys", "wasm_bindgen"];
    let mut offenders = Vec::new();
    for layer in ["src/engine", "src/kubectl"] {
        let mut files = Vec::new();
        rust_files(&root().join(layer), &mut files);
        assert!(!files.is_empty(), "{layer} has no Rust files");
        for file in files {
            let text = fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                for krate in forbidden {
                    if code.contains(&format!("{krate}::"))
                        || code.contains(&format!("use {krate}"))
                    {
                        offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "browser crates in the pure layers:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn no_todo_or_unimplemented_in_src() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut offenders = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.contains(concat!("todo", "!(")) || line.contains(concat!("unimplemented", "!("))
            {
                offenders.push(format!("{}:{}", file.display(), n + 1));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "panicking placeholders left: {offenders:?}"
    );
}
