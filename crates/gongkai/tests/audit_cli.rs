//! `gongkai audit` as a supervisor runs it: the real binary on the real corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn audit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("audit")
        .args(args)
        .output()
        .expect("run")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gongkai-audit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn error_ids(report: &Value) -> Vec<String> {
    let mut ids: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error" && f["status"] == "failed")
        .map(|f| f["check"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn json_output_is_the_canonical_model_of_each_corpus_report() {
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".truth.json") else {
            continue;
        };
        let document = std::fs::read_dir(corpus())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                let n = p.file_name().unwrap().to_string_lossy();
                !n.ends_with(".json") && p.file_stem().unwrap().to_string_lossy() == stem
            })
            .unwrap_or_else(|| panic!("no document for {name}"));
        let out = audit(&[document.to_str().unwrap(), "--format", "json"]);
        let report = json(&out);
        let truth: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let ambiguous: Vec<String> = truth["ambiguous_cells"]
            .as_array()
            .map(|a| a.iter().map(|c| c.as_str().unwrap().to_string()).collect())
            .unwrap_or_default();
        for key in ["organ", "year", "format"] {
            assert_eq!(report["tables"][key], truth[key], "{stem}: {key}");
        }
        let row_keys = |v: &Value| -> Vec<String> {
            v.as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default()
        };
        assert_eq!(
            row_keys(&report["tables"]["table3"]),
            row_keys(&truth["table3"]),
            "{stem}: table 三 must have exactly the printed rows"
        );
        for table in ["table2", "table3", "table4"] {
            let ours = &report["tables"][table];
            let theirs = &truth[table];
            for (row, cells) in theirs.as_object().unwrap() {
                let expected = cells.as_object().cloned().unwrap_or_default();
                if expected.is_empty() {
                    let cell = format!("{table}.{row}");
                    if !ambiguous.contains(&cell) {
                        assert_eq!(&ours[row], cells, "{stem}: {cell}");
                    }
                }
                for (column, value) in expected {
                    let cell = format!("{table}.{row}.{column}");
                    if ambiguous.contains(&cell) {
                        assert!(
                            ours[row][&column].is_null(),
                            "{stem}: {cell} must stay blank"
                        );
                    } else {
                        assert_eq!(ours[row][&column], value, "{stem}: {cell}");
                    }
                }
            }
        }
        let mut expected_errors: Vec<String> = truth["expected_errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap().to_string())
            .collect();
        expected_errors.sort();
        assert_eq!(error_ids(&report), expected_errors, "{stem}");
        // Exit code 1 exactly when there are error findings.
        let code = if expected_errors.is_empty() { 0 } else { 1 };
        assert_eq!(out.status.code(), Some(code), "{stem}");
    }
}

#[test]
fn text_output_shows_tables_and_findings_with_cells() {
    let out = audit(&[corpus().join("hongze-2023.pdf").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("机关：洪泽区人民政府"), "{text}");
    assert!(text.contains("行政复议：10 / 1 / 0 / 0 / 0"), "{text}");
    assert!(text.contains("[错误] T4-TOTAL"), "{text}");
    assert!(text.contains("table4.reconsideration.total"), "{text}");
}

#[test]
fn a_folder_is_audited_with_a_summary_and_csv_and_years_are_paired() {
    let dir = temp_dir("dir");
    for name in [
        "pingtan-shiyanqu-2021.html",
        "pingtan-shiyanqu-2022.html",
        "hongze-2023.pdf",
    ] {
        std::fs::copy(corpus().join(name), dir.join(name)).unwrap();
    }
    let csv = dir.join("summary.csv");
    let out = audit(&[dir.to_str().unwrap(), "--csv", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "hongze has errors");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("══ 汇总 ══"), "{text}");
    assert!(
        text.contains("上一年度报告：") && text.contains("pingtan-shiyanqu-2021.html"),
        "{text}"
    );
    let csv = std::fs::read_to_string(csv).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(
        csv.contains("hongze-2023.pdf,洪泽区人民政府,2023,2021,2,"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 4);

    let out = audit(&[dir.to_str().unwrap(), "--format", "json"]);
    let reports = json(&out);
    let reports = reports.as_array().unwrap();
    assert_eq!(reports.len(), 3);
    let y2022 = reports
        .iter()
        .find(|r| r["file"].as_str().unwrap().ends_with("2022.html"))
        .unwrap();
    assert!(y2022["previous"].as_str().unwrap().ends_with("2021.html"));
}

#[test]
fn cross_year_checks_run_with_previous() {
    let out = audit(&[
        corpus()
            .join("pingtan-shiyanqu-2022.html")
            .to_str()
            .unwrap(),
        "--previous",
        corpus()
            .join("pingtan-shiyanqu-2021.html")
            .to_str()
            .unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    // Carry-over agrees (1 = 1): no X-CARRYOVER finding, and no "not assessable" for it either.
    let checks: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["check"].as_str().unwrap())
        .collect();
    assert!(!checks.contains(&"X-CARRYOVER"), "{checks:?}");
}

#[test]
fn unreadable_files_get_a_message_and_exit_2_while_others_are_audited() {
    let dir = temp_dir("bad");
    std::fs::write(dir.join("empty.txt"), b"").unwrap();
    std::fs::write(
        dir.join("junk.pdf"),
        [0x25, 0x50, 0x44, 0x46, 0xff, 0x00, 0x13],
    )
    .unwrap();
    std::fs::copy(
        corpus().join("xinhua-ximarket-2023.txt"),
        dir.join("xinhua.txt"),
    )
    .unwrap();
    let out = audit(&[dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("empty.txt") && err.contains("junk.pdf"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("新华区西市场街道办事处"), "{text}");
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let out = audit(&["/nonexistent/report.pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("report.pdf"));
}
