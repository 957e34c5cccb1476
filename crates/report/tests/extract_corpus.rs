//! The table reader against every document of the corpus (../shared/corpus): each one read with
//! `gongkai_docs::read_document` and extracted, then compared with its hand-checked truth file cell
//! by cell. Cells listed in `ambiguous_cells` must not be guessed: an `S-AMBIGUOUS` finding must
//! name exactly those cells, with the true values among its candidates.
//!
//! The PDF needs poppler's `pdftotext` (CI installs poppler-utils); without it the PDF test fails
//! with a message, unless `GONGKAI_SKIP_PDF=1`.

// Test helpers outside #[test] functions panic on purpose: a failed test says why.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gongkai_report::extract::{Extraction, S_AMBIGUOUS, S_FORMAT, extract};
use gongkai_report::{ReportTables, Severity};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// Every document of the corpus, by file name. A new document must be added here.
const DOCUMENTS: [&str; 10] = [
    "xinhua-ximarket-2023.txt",
    "hongze-2023.pdf",
    "pingtan-shiyanqu-2021.html",
    "pingtan-shiyanqu-2022.html",
    "pingtan-junshanpianqu-2022.html",
    "pingtan-shiyanqu-2019.html",
    "pingtan-shiyanqu-2021-word.docx",
    "pingtan-shiyanqu-2021-flat.txt",
    "pingtan-shiyanqu-2022-flat.txt",
    "pingtan-junshanpianqu-2022-flat.txt",
];

fn pdftotext_installed() -> bool {
    std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok()
}

/// Reads and extracts a corpus document; `None` when a PDF is skipped on purpose.
fn extract_file(name: &str) -> Option<Extraction> {
    if name.ends_with(".pdf") && !pdftotext_installed() {
        if std::env::var("GONGKAI_SKIP_PDF").as_deref() == Ok("1") {
            eprintln!("{name}: skipped (GONGKAI_SKIP_PDF=1, pdftotext not installed)");
            return None;
        }
        panic!(
            "{name}: pdftotext is not installed. Install poppler-utils (apt-get install \
             poppler-utils), or set GONGKAI_SKIP_PDF=1 to skip the PDF test."
        );
    }
    let bytes = std::fs::read(corpus().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let doc = gongkai_docs::read_document(&bytes, Some(name))
        .unwrap_or_else(|e| panic!("{name}: read_document failed: {e}"));
    Some(extract(&doc))
}

fn truth(name: &str) -> Value {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let path = corpus().join(format!("{stem}.truth.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The leaves of a table object, addressed `table3.new_received.total`.
fn leaves(prefix: &str, value: &Value, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                leaves(&format!("{prefix}.{k}"), v, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}

fn check(name: &str) {
    let Some(extraction) = extract_file(name) else {
        return;
    };
    let truth = truth(name);
    let mut errors: Vec<String> = Vec::new();
    let got: Value = serde_json::to_value(&extraction.tables).expect("tables serialise");
    // The truth file itself must be a valid model.
    let _: ReportTables = serde_json::from_value(truth.clone())
        .unwrap_or_else(|e| panic!("{name}: truth file does not parse: {e}"));

    for key in ["organ", "year", "format"] {
        if got.get(key) != truth.get(key) {
            errors.push(format!(
                "{key}: expected {}, got {}",
                truth.get(key).unwrap_or(&Value::Null),
                got.get(key).unwrap_or(&Value::Null)
            ));
        }
    }

    let ambiguous: BTreeSet<String> = truth
        .get("ambiguous_cells")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();

    let mut expected_cells = BTreeMap::new();
    let mut got_cells = BTreeMap::new();
    for table in ["table2", "table3", "table4"] {
        match (truth.get(table), got.get(table)) {
            (Some(t), Some(g)) => {
                leaves(table, t, &mut expected_cells);
                leaves(table, g, &mut got_cells);
            }
            (Some(_), None) => errors.push(format!("{table}: not found")),
            (None, Some(_)) => errors.push(format!("{table}: found, but the truth has none")),
            (None, None) => {}
        }
    }
    // A full report has over 180 cells (table 三 alone 161): the comparison must not be vacuous.
    assert!(
        expected_cells.len() > 150,
        "{name}: only {} truth cells",
        expected_cells.len()
    );
    for (cell, expected) in &expected_cells {
        if ambiguous.contains(cell) {
            continue;
        }
        match got_cells.get(cell) {
            None => errors.push(format!("{cell}: missing (expected {expected})")),
            Some(actual) if actual != expected => {
                errors.push(format!("{cell}: expected {expected}, got {actual}"));
            }
            Some(_) => {}
        }
    }
    for cell in got_cells.keys() {
        if !expected_cells.contains_key(cell) {
            errors.push(format!(
                "{cell}: read, but not in the truth file (row invented?)"
            ));
        }
    }

    // S-AMBIGUOUS: exactly the ambiguous cells, with the true values among the candidates.
    let mut named: BTreeSet<String> = BTreeSet::new();
    for finding in extraction
        .findings
        .iter()
        .filter(|f| f.check == S_AMBIGUOUS)
    {
        assert_eq!(
            finding.severity,
            Severity::Warning,
            "{name}: S-AMBIGUOUS severity"
        );
        for (i, cell) in finding.cells.iter().enumerate() {
            named.insert(cell.0.clone());
            let Some(expected) = expected_cells.get(&cell.0) else {
                errors.push(format!("{}: named ambiguous but not a truth cell", cell.0));
                continue;
            };
            let expected = match expected {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if !finding
                .candidates
                .iter()
                .any(|c| c.get(i).is_some_and(|v| *v == expected))
            {
                errors.push(format!(
                    "{}: the true value {expected} is not among the candidates {:?}",
                    cell.0, finding.candidates
                ));
            }
        }
    }
    if named != ambiguous {
        errors.push(format!(
            "S-AMBIGUOUS names {named:?}, the truth file lists {ambiguous:?}"
        ));
    }

    let formats: Vec<_> = extraction
        .findings
        .iter()
        .filter(|f| f.check == S_FORMAT)
        .collect();
    if formats.len() != 1 || formats.iter().any(|f| f.severity != Severity::Info) {
        errors.push(format!(
            "expected one S-FORMAT info finding, got {formats:?}"
        ));
    }
    if extraction.text.trim().is_empty() {
        errors.push("the running text is empty".to_string());
    }

    assert!(
        errors.is_empty(),
        "{name}: {} mismatch(es):\n  {}",
        errors.len(),
        errors.join("\n  ")
    );
}

#[test]
fn every_corpus_document_is_tested() {
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus())
        .expect("corpus directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".json") && !n.ends_with(".md") && !n.starts_with('.'))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = DOCUMENTS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "add the new corpus document to DOCUMENTS");
}

#[test]
fn xinhua_ximarket_2023_txt() {
    check("xinhua-ximarket-2023.txt");
}

#[test]
fn hongze_2023_pdf() {
    check("hongze-2023.pdf");
}

#[test]
fn pingtan_shiyanqu_2021_html() {
    check("pingtan-shiyanqu-2021.html");
}

#[test]
fn pingtan_shiyanqu_2022_html() {
    check("pingtan-shiyanqu-2022.html");
}

#[test]
fn pingtan_junshanpianqu_2022_html() {
    check("pingtan-junshanpianqu-2022.html");
}

#[test]
fn pingtan_shiyanqu_2019_html() {
    check("pingtan-shiyanqu-2019.html");
}

#[test]
fn pingtan_shiyanqu_2021_word_docx() {
    check("pingtan-shiyanqu-2021-word.docx");
}

#[test]
fn pingtan_shiyanqu_2021_flat_txt() {
    check("pingtan-shiyanqu-2021-flat.txt");
}

#[test]
fn pingtan_shiyanqu_2022_flat_txt() {
    check("pingtan-shiyanqu-2022-flat.txt");
}

#[test]
fn pingtan_junshanpianqu_2022_flat_txt() {
    check("pingtan-junshanpianqu-2022-flat.txt");
}
