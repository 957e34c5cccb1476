//! The check catalogue against the corpus of real published reports (../shared/corpus): each
//! `*.truth.json` holds the tables as published and the error checks the report really fails.

// Test helpers outside #[test] functions are not covered by clippy.toml's allow-*-in-tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gongkai_report::checks::{CheckInput, OrganKind, ids, run_checks};
use gongkai_report::{Finding, ReportTables, Severity, Status};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

struct Case {
    stem: String,
    tables: ReportTables,
    expected_errors: BTreeSet<String>,
    expected_warnings: BTreeSet<String>,
    /// The document's text when the document itself is text (.txt, -flat.txt).
    text: Option<String>,
}

fn strings(v: &serde_json::Value, key: &str) -> BTreeSet<String> {
    v.get(key)
        .and_then(|a| a.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".truth.json"))
        .collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let stem = name.trim_end_matches(".truth.json").to_string();
        let json = std::fs::read_to_string(&path).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let tables: ReportTables = serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let txt = corpus_dir().join(format!("{stem}.txt"));
        let text = txt.exists().then(|| std::fs::read_to_string(&txt).unwrap());
        out.push(Case {
            stem,
            tables,
            expected_errors: strings(&value, "expected_errors"),
            expected_warnings: strings(&value, "expected_warnings"),
            text,
        });
    }
    assert!(
        out.len() >= 9,
        "expected the corpus truth files, found {}",
        out.len()
    );
    out
}

fn case(stem: &str) -> Case {
    cases().into_iter().find(|c| c.stem == stem).unwrap()
}

fn run(case: &Case) -> Vec<Finding> {
    let mut input = CheckInput::new(&case.tables);
    if let Some(text) = &case.text {
        input = input.with_text(text);
    }
    run_checks(&input, None)
}

fn failed<'a>(findings: &'a [Finding], id: &str) -> Vec<&'a Finding> {
    findings
        .iter()
        .filter(|f| f.check == id && f.status == Status::Failed)
        .collect()
}

#[test]
fn errors_are_exactly_the_expected_errors() {
    for case in cases() {
        let findings = run(&case);
        let errors: BTreeSet<String> = findings
            .iter()
            .filter(|f| f.is_error())
            .map(|f| f.check.clone())
            .collect();
        assert_eq!(
            errors, case.expected_errors,
            "{}: errors differ; findings: {findings:#?}",
            case.stem
        );
    }
}

#[test]
fn no_warning_beyond_the_expected_ones() {
    // The corpus reports have no blank cells, their sections are in order and their text agrees
    // with their tables: any warning of ours would be a false finding. (expected_warnings hold
    // the reader's S-AMBIGUOUS.)
    for case in cases() {
        let findings = run(&case);
        let warnings: BTreeSet<String> = findings
            .iter()
            .filter(|f| f.severity == Severity::Warning && f.status == Status::Failed)
            .map(|f| f.check.clone())
            .collect();
        assert!(
            warnings.is_subset(&case.expected_warnings),
            "{}: unexpected warnings {warnings:?}: {findings:#?}",
            case.stem
        );
    }
}

#[test]
fn text_documents_are_read_as_text() {
    let with_text: Vec<String> = cases()
        .into_iter()
        .filter(|c| c.text.is_some())
        .map(|c| c.stem)
        .collect();
    for stem in [
        "xinhua-ximarket-2023",
        "pingtan-shiyanqu-2021-flat",
        "pingtan-shiyanqu-2022-flat",
        "pingtan-junshanpianqu-2022-flat",
    ] {
        assert!(with_text.iter().any(|s| s == stem), "{stem} has no text");
    }
}

#[test]
fn hongze_fails_t4_total_twice_and_nothing_else() {
    let case = case("hongze-2023");
    let findings = run(&case);
    let errors: Vec<&Finding> = findings.iter().filter(|f| f.is_error()).collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors.iter().all(|f| f.check == ids::T4_TOTAL));
    let recon = errors
        .iter()
        .find(|f| {
            f.cells
                .iter()
                .any(|c| c.0 == "table4.reconsideration.total")
        })
        .unwrap();
    assert_eq!(recon.expected.as_deref(), Some("11"));
    assert_eq!(recon.actual.as_deref(), Some("0"));
    assert!(recon.message.contains("行政复议"), "{}", recon.message);
    let after = errors
        .iter()
        .find(|f| {
            f.cells
                .iter()
                .any(|c| c.0 == "table4.litigation_after_reconsideration.total")
        })
        .unwrap();
    assert_eq!(after.expected.as_deref(), Some("5"));
    assert_eq!(after.actual.as_deref(), Some("0"));
    assert!(after.message.contains("复议后起诉"), "{}", after.message);
    // 行政事业性收费 "7730.28" is a valid fee.
    assert!(failed(&findings, ids::S_CELL_NUMBER).is_empty());
}

#[test]
fn junshanpianqu_fails_t3_outcomes_in_three_columns_and_nothing_else() {
    for stem in [
        "pingtan-junshanpianqu-2022",
        "pingtan-junshanpianqu-2022-flat",
    ] {
        let case = case(stem);
        let findings = run(&case);
        let errors: Vec<&Finding> = findings.iter().filter(|f| f.is_error()).collect();
        assert!(
            errors.iter().all(|f| f.check == ids::T3_OUTCOMES),
            "{errors:#?}"
        );
        let mut columns: Vec<String> = errors
            .iter()
            .map(|f| {
                let total_cell = f
                    .cells
                    .iter()
                    .find(|c| c.0.starts_with("table3.total_processed."))
                    .unwrap();
                total_cell
                    .0
                    .trim_start_matches("table3.total_processed.")
                    .to_string()
            })
            .collect();
        columns.sort();
        assert_eq!(columns, ["natural_person", "other_org", "total"], "{stem}");
        let total = errors
            .iter()
            .find(|f| {
                f.cells
                    .iter()
                    .any(|c| c.0 == "table3.total_processed.total")
            })
            .unwrap();
        assert_eq!(total.expected.as_deref(), Some("5"));
        assert_eq!(total.actual.as_deref(), Some("0"));
        assert!(
            total.message.contains("本机关不掌握相关政府信息"),
            "{}",
            total.message
        );
    }
}

#[test]
fn no_narrative_finding_on_the_text_documents() {
    for stem in [
        "xinhua-ximarket-2023",
        "pingtan-shiyanqu-2021-flat",
        "pingtan-shiyanqu-2022-flat",
        "pingtan-junshanpianqu-2022-flat",
    ] {
        let case = case(stem);
        let findings = run(&case);
        let narrative: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.check.starts_with("N-"))
            .collect();
        assert!(narrative.is_empty(), "{stem}: {narrative:#?}");
        // The sections are all found, too.
        assert!(
            findings.iter().all(|f| f.check != ids::S_SECTIONS),
            "{stem}: {findings:#?}"
        );
    }
}

#[test]
fn the_texts_state_figures_that_agree_with_the_tables() {
    use gongkai_report::checks::narrative::{
        FigureKind, no_application_statements, stated_figures,
    };
    // pingtan-shiyanqu-2022: "收到政府信息公开申请75件" = 新收74 + 结转1; 行政诉讼1件, 行政复议2件.
    let c = case("pingtan-shiyanqu-2022-flat");
    let figures = stated_figures(c.text.as_deref().unwrap(), c.tables.year);
    let of = |k: FigureKind| -> Vec<i64> {
        figures
            .iter()
            .filter(|f| f.kind == k)
            .map(|f| f.value)
            .collect()
    };
    assert_eq!(of(FigureKind::Received), [75]);
    assert_eq!(of(FigureKind::Litigation), [1]);
    assert_eq!(of(FigureKind::Reconsideration), [2]);
    // pingtan-shiyanqu-2021: "共收到70件申请，……办结69件，1件结转下年度继续办理".
    let c = case("pingtan-shiyanqu-2021-flat");
    let figures = stated_figures(c.text.as_deref().unwrap(), c.tables.year);
    let of = |k: FigureKind| -> Vec<i64> {
        figures
            .iter()
            .filter(|f| f.kind == k)
            .map(|f| f.value)
            .collect()
    };
    assert_eq!(of(FigureKind::Received), [70]);
    assert_eq!(of(FigureKind::CarriedOver), [1]);
    // The two "no application" statements.
    let c = case("xinhua-ximarket-2023");
    let s = no_application_statements(c.text.as_deref().unwrap(), c.tables.year);
    assert_eq!(s.len(), 1, "{s:?}");
    assert!(s[0].contains("未收到依申请公开"));
    let c = case("pingtan-junshanpianqu-2022-flat");
    let s = no_application_statements(c.text.as_deref().unwrap(), c.tables.year);
    assert_eq!(s.len(), 1, "{s:?}");
    assert!(s[0].contains("2022年未收到依申请公开事宜"));
}

#[test]
fn pingtan_2022_against_2021_passes_the_cross_year_checks() {
    let cur = case("pingtan-shiyanqu-2022-flat");
    let prev = case("pingtan-shiyanqu-2021-flat");
    let cur_in = CheckInput::new(&cur.tables).with_text(cur.text.as_deref().unwrap());
    let prev_in = CheckInput::new(&prev.tables).with_text(prev.text.as_deref().unwrap());
    let findings = run_checks(&cur_in, Some(&prev_in));
    let cross: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.check.starts_with("X-"))
        .collect();
    // 2021 结转下年度 1 = 2022 上年结转 1; 665 + 88 − 55 = 698; the two texts are different.
    assert!(cross.is_empty(), "{cross:#?}");

    // The HTML renderings (no text): the table checks run, X-COPY says it cannot.
    let cur = case("pingtan-shiyanqu-2022");
    let prev = case("pingtan-shiyanqu-2021");
    let findings = run_checks(
        &CheckInput::new(&cur.tables),
        Some(&CheckInput::new(&prev.tables)),
    );
    assert!(failed(&findings, ids::X_CARRYOVER).is_empty());
    assert!(failed(&findings, ids::X_IN_FORCE).is_empty());
    assert!(
        findings
            .iter()
            .any(|f| f.check == ids::X_COPY && f.status == Status::NotAssessable)
    );
}

#[test]
fn the_2019_format_report_is_checked_with_its_single_other_processing_row() {
    let c = case("pingtan-shiyanqu-2019");
    let findings = run(&c);
    assert!(
        findings.iter().all(|f| f.status != Status::Failed),
        "{findings:#?}"
    );
    // Its T3 checks did run (no not-assessable for T3-OUTCOMES).
    assert!(findings.iter().all(|f| f.check != ids::T3_OUTCOMES));
}

#[test]
fn publication_dates_of_the_corpus_pages() {
    // The page-text files carry "发布时间: 2023-02-20 15:07".
    for (stem, kind, late) in [
        ("pingtan-shiyanqu-2022-flat", OrganKind::Government, false),
        ("pingtan-shiyanqu-2022-flat", OrganKind::Department, true),
        ("pingtan-shiyanqu-2021-flat", OrganKind::Government, false),
        (
            "pingtan-junshanpianqu-2022-flat",
            OrganKind::Grassroots,
            false,
        ),
    ] {
        let c = case(stem);
        let text = c.text.as_deref().unwrap();
        let line = text.lines().find(|l| l.starts_with("发布时间:")).unwrap();
        let date = chrono::NaiveDate::parse_from_str(
            line.trim_start_matches("发布时间:")
                .trim()
                .get(..10)
                .unwrap(),
            "%Y-%m-%d",
        )
        .unwrap();
        let input = CheckInput::new(&c.tables)
            .with_text(text)
            .with_published_on(date)
            .with_organ_kind(kind);
        let findings = run_checks(&input, None);
        assert_eq!(
            !failed(&findings, ids::D_PUBLISHED_LATE).is_empty(),
            late,
            "{stem} {kind:?}: {findings:#?}"
        );
    }
}
