//! Reading many reports, pairing consecutive years of one organ, and running the checks.

use anyhow::{Context, Result};
use gongkai_report::audit::{AuditOptions, audit, organ_year, pair_previous_years};
use gongkai_report::extract::{Extraction, extract};
use gongkai_report::{Finding, Severity, Status};
use std::path::{Path, PathBuf};

const EXTENSIONS: [&str; 5] = ["txt", "html", "htm", "docx", "pdf"];

/// Files named on the command line, and the report files inside named folders (sorted).
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(input)
                .with_context(|| format!("无法读取目录 {}", input.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && has_report_extension(p))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            // A named file is audited whatever its extension: the reader sniffs the content.
            files.push(input.clone());
        }
    }
    Ok(files)
}

fn has_report_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| EXTENSIONS.iter().any(|e| x.eq_ignore_ascii_case(e)))
}

/// One report after reading: its extraction, or why it could not be read.
pub struct Checked {
    pub path: PathBuf,
    pub extraction: Result<Extraction, String>,
    pub findings: Vec<Finding>,
    /// The file used as last year's report for the cross-year checks.
    pub previous: Option<PathBuf>,
}

pub fn read(path: &Path) -> Result<Extraction, String> {
    let document = gongkai_docs::read_path(path).map_err(|e| e.to_string())?;
    Ok(extract(&document))
}

/// Runs the catalogue on every report. Last year's report is `explicit_previous` when given (one
/// report audited against a named file), otherwise the report of the same organ for the year
/// before, if it is among the files.
pub fn check_all(
    paths: &[PathBuf],
    extractions: Vec<Result<Extraction, String>>,
    explicit_previous: Option<(&Path, &Extraction)>,
    options: &AuditOptions,
) -> Vec<Checked> {
    let keys: Vec<Option<(String, i32)>> = extractions
        .iter()
        .map(|e| e.as_ref().ok().and_then(organ_year))
        .collect();
    let pairs = pair_previous_years(&keys);
    // Findings first (they borrow the extractions), then move the extractions into the result.
    let results: Vec<(Vec<Finding>, Option<PathBuf>)> = extractions
        .iter()
        .zip(&pairs)
        .map(|(extraction, pair)| {
            let Ok(current) = extraction else {
                return (Vec::new(), None);
            };
            let previous = explicit_previous.or_else(|| {
                let j = (*pair)?;
                Some((paths.get(j)?.as_path(), extractions.get(j)?.as_ref().ok()?))
            });
            let findings = audit(current, previous.map(|(_, p)| p), options);
            (findings, previous.map(|(p, _)| p.to_path_buf()))
        })
        .collect();
    paths
        .iter()
        .zip(extractions)
        .zip(results)
        .map(|((path, extraction), (findings, previous))| Checked {
            path: path.clone(),
            extraction,
            findings,
            previous,
        })
        .collect()
}

pub fn counts(findings: &[Finding]) -> (usize, usize) {
    let errors = findings.iter().filter(|f| f.is_error()).count();
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning && f.status == Status::Failed)
        .count();
    (errors, warnings)
}

pub fn to_json(report: &Checked) -> serde_json::Value {
    let file = report.path.display().to_string();
    match &report.extraction {
        Ok(extraction) => serde_json::json!({
            "file": file,
            "previous": report.previous.as_ref().map(|p| p.display().to_string()),
            "tables": extraction.tables,
            "findings": report.findings,
        }),
        Err(message) => serde_json::json!({ "file": file, "error": message }),
    }
}

pub fn text(report: &Checked) -> String {
    let mut out = format!("══ {} ══\n", report.path.display());
    match &report.extraction {
        Err(message) => {
            out.push_str(&format!("无法读取：{message}\n"));
        }
        Ok(extraction) => {
            out.push_str(&super::render::tables(&extraction.tables));
            if let Some(previous) = &report.previous {
                out.push_str(&format!("上一年度报告：{}\n", previous.display()));
            }
            out.push_str(&super::render::findings(&report.findings));
        }
    }
    out
}

struct SummaryRow {
    file: String,
    organ: String,
    year: String,
    format: String,
    errors: String,
    warnings: String,
    verdict: String,
}

fn summary_rows(reports: &[Checked]) -> Vec<SummaryRow> {
    reports
        .iter()
        .map(|r| {
            let file = r
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match &r.extraction {
                Err(message) => SummaryRow {
                    file,
                    organ: String::new(),
                    year: String::new(),
                    format: String::new(),
                    errors: String::new(),
                    warnings: String::new(),
                    verdict: format!("无法读取：{message}"),
                },
                Ok(x) => {
                    let (errors, warnings) = counts(&r.findings);
                    SummaryRow {
                        file,
                        organ: x.tables.organ.clone().unwrap_or_default(),
                        year: x.tables.year.map(|y| y.to_string()).unwrap_or_default(),
                        format: serde_json::to_value(x.tables.format)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default(),
                        errors: errors.to_string(),
                        warnings: warnings.to_string(),
                        verdict: if errors > 0 {
                            "有错误".into()
                        } else {
                            "未发现错误".into()
                        },
                    }
                }
            }
        })
        .collect()
}

pub fn summary_text(reports: &[Checked]) -> String {
    let mut out = String::from("══ 汇总 ══\n文件\t机关\t年度\t格式\t错误\t提示\t结论\n");
    for r in summary_rows(reports) {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            r.file, r.organ, r.year, r.format, r.errors, r.warnings, r.verdict
        ));
    }
    out
}

pub fn summary_csv(reports: &[Checked]) -> String {
    let mut out = String::from("文件,机关,年度,格式,错误,提示,结论\r\n");
    for r in summary_rows(reports) {
        let fields = [
            r.file, r.organ, r.year, r.format, r.errors, r.warnings, r.verdict,
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a
/// formula (CSV injection from text read out of an untrusted report).
fn csv_field(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}
