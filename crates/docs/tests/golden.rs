//! Golden output: every corpus HTML and DOCX file reads into exactly the `Document` saved under
//! `tests/golden/` (serde_json, pretty). Guards rewrites of the readers for speed: a faster reader
//! must give byte-identical output. After a deliberate change of output, regenerate with
//! `GONGKAI_UPDATE_GOLDEN=1 cargo test -p gongkai-docs --test golden` and review the diff.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;

use common::corpus_dir;
use gongkai_docs::read_document;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

#[test]
fn corpus_documents_match_golden_output() {
    let update = std::env::var_os("GONGKAI_UPDATE_GOLDEN").is_some();
    let mut names: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".html") || n.ends_with(".docx"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "corpus files missing: {names:?}");
    let mut mismatches = Vec::new();
    for name in &names {
        let bytes = std::fs::read(corpus_dir().join(name)).unwrap();
        let doc = read_document(&bytes, Some(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut json = serde_json::to_string_pretty(&doc).unwrap();
        json.push('\n');
        let path = golden_dir().join(format!("{name}.json"));
        if update {
            std::fs::create_dir_all(golden_dir()).unwrap();
            std::fs::write(&path, &json).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (GONGKAI_UPDATE_GOLDEN=1 writes it)",
                path.display()
            )
        });
        if expected != json {
            let line = expected
                .lines()
                .zip(json.lines())
                .position(|(a, b)| a != b)
                .map_or(expected.lines().count().min(json.lines().count()), |i| i);
            mismatches.push(format!(
                "{name}: first difference at line {}:\n  golden: {:?}\n  now:    {:?}",
                line + 1,
                expected.lines().nth(line),
                json.lines().nth(line)
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
