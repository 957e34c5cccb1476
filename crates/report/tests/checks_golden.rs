//! Golden findings of the check catalogue on every corpus document (../shared/corpus): each
//! document is read, extracted and checked, and the findings (as JSON) must equal the file saved
//! under `tests/golden/`. This pins the catalogue's output byte for byte, so that work on its speed
//! cannot change what it reports.
//!
//! Besides the whole text, each document is also checked with its text cut to the last two thirds
//! and to the last third (sections missing, headings out of order), and without text; the 2022
//! pingtan reports are also checked with each rendering of the 2021 report as last year's
//! (X-CARRYOVER, X-IN-FORCE, X-COPY). The section bodies (`section_bodies`) are pinned too, and so are the
//! figures and statements the narrative checks read (`stated_figures`,
//! `no_application_statements`), which the corpus mostly confirms without a finding.
//!
//! Regenerate after an intended change of the findings: `GONGKAI_UPDATE_GOLDEN=1 cargo test -p
//! gongkai-report --test checks_golden`, and review the diff.
//!
//! The PDF needs poppler's `pdftotext`, as in extract_corpus.rs.

// Test helpers outside #[test] functions panic on purpose: a failed test says why.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gongkai_report::checks::narrative::{no_application_statements, stated_figures};
use gongkai_report::checks::structure::section_bodies;
use gongkai_report::checks::{CheckInput, run_checks};
use gongkai_report::extract::{Extraction, S_AMBIGUOUS, extract};
use gongkai_report::model::CellRef;
use serde_json::{Value, json};
use std::path::PathBuf;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn documents() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| {
            [".txt", ".html", ".docx", ".pdf"]
                .iter()
                .any(|x| n.ends_with(x))
        })
        .collect();
    names.sort();
    assert!(names.len() >= 10, "corpus documents: {names:?}");
    names
}

fn read(name: &str) -> Extraction {
    let doc = gongkai_docs::read_path(&corpus().join(name))
        .unwrap_or_else(|e| panic!("{name}: {e} (the PDF needs pdftotext)"));
    extract(&doc)
}

fn unreadable(e: &Extraction) -> Vec<CellRef> {
    e.findings
        .iter()
        .filter(|f| f.check == S_AMBIGUOUS)
        .flat_map(|f| f.cells.iter().cloned())
        .collect()
}

/// The text from char `num/den` of its length on.
fn tail(text: &str, num: usize, den: usize) -> &str {
    let n = text.chars().count() * num / den;
    text.char_indices()
        .nth(n)
        .map_or("", |(b, _)| text.get(b..).unwrap())
}

fn findings(e: &Extraction, text: Option<&str>, previous: Option<&CheckInput>) -> Value {
    let cells = unreadable(e);
    let mut input = CheckInput::new(&e.tables).with_unreadable_cells(&cells);
    if let Some(text) = text {
        input = input.with_text(text);
    }
    serde_json::to_value(run_checks(&input, previous)).unwrap()
}

fn actual(name: &str) -> Value {
    let e = read(name);
    let mut out = serde_json::Map::new();
    out.insert("text".into(), findings(&e, Some(&e.text), None));
    out.insert(
        "text_from_1_3".into(),
        findings(&e, Some(tail(&e.text, 1, 3)), None),
    );
    out.insert(
        "text_from_2_3".into(),
        findings(&e, Some(tail(&e.text, 2, 3)), None),
    );
    out.insert("no_text".into(), findings(&e, None, None));
    out.insert("section_bodies".into(), json!(section_bodies(&e.text)));
    // What the narrative checks read, even where it agrees with the tables (no finding).
    let figures: Vec<String> = stated_figures(&e.text, e.tables.year)
        .iter()
        .map(|f| format!("{f:?}"))
        .collect();
    out.insert("stated_figures".into(), json!(figures));
    out.insert(
        "no_application_statements".into(),
        json!(no_application_statements(&e.text, e.tables.year)),
    );
    if name.starts_with("pingtan-") && name.contains("-2022") {
        for prev_name in [
            "pingtan-shiyanqu-2021.html",
            "pingtan-shiyanqu-2021-flat.txt",
            "pingtan-shiyanqu-2021-word.docx",
        ] {
            let p = read(prev_name);
            let prev = CheckInput::new(&p.tables).with_text(&p.text);
            out.insert(
                format!("previous {prev_name}"),
                findings(&e, Some(&e.text), Some(&prev)),
            );
        }
    }
    Value::Object(out)
}

#[test]
fn findings_match_golden_files() {
    let update = std::env::var_os("GONGKAI_UPDATE_GOLDEN").is_some();
    let mut failed = Vec::new();
    for name in documents() {
        let got = serde_json::to_string_pretty(&actual(&name)).unwrap() + "\n";
        let path = golden_dir().join(format!("{name}.json"));
        if update {
            std::fs::create_dir_all(golden_dir()).unwrap();
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (GONGKAI_UPDATE_GOLDEN=1)", path.display()));
        if got != want {
            failed.push(name);
        }
    }
    assert!(
        failed.is_empty(),
        "findings differ from tests/golden for {failed:?}"
    );
}
