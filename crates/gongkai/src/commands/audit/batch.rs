//! Reading many reports, pairing consecutive years of one organ, and running the checks.

use anyhow::{Context, Result};
use gongkai_report::audit::{
    AuditOptions, Audited, all_findings, audit_alone, organ_year, pair_previous_years,
};
use gongkai_report::extract::extract;
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

/// One report: its checked content, or why it could not be read.
pub struct Checked<'a> {
    pub path: &'a Path,
    pub audited: Result<&'a Audited, &'a str>,
    pub findings: Vec<Finding>,
    /// The file used as last year's report for the cross-year checks.
    pub previous: Option<PathBuf>,
}

/// Reads one report and runs every check that needs no other report. Only the compact
/// [`Audited`] is kept: the document and its text are dropped here.
pub fn read(path: &Path, options: &AuditOptions) -> Result<Audited, String> {
    let document = gongkai_docs::read_path(path).map_err(|e| e.to_string())?;
    Ok(audit_alone(extract(&document), options))
}

/// Pairs each report with last year's report of the same organ — `explicit_previous` when given
/// (one report audited against a named file), otherwise one among the files — and hands each
/// report, with all its findings, to `emit` in file order.
pub fn check_all(
    paths: &[PathBuf],
    audited: Vec<Result<Audited, String>>,
    explicit_previous: Option<(&Path, &Audited)>,
    mut emit: impl FnMut(&Checked<'_>) -> Result<()>,
) -> Result<Summary> {
    let keys: Vec<Option<(String, i32)>> = audited
        .iter()
        .map(|a| a.as_ref().ok().and_then(|a| organ_year(&a.tables)))
        .collect();
    let pairs = pair_previous_years(&keys);
    let mut summary = Summary::default();
    for (i, path) in paths.iter().enumerate() {
        let Some(current) = audited.get(i) else {
            continue;
        };
        let (findings, previous) = match current {
            Err(_) => (Vec::new(), None),
            Ok(current) => {
                let previous = explicit_previous.or_else(|| {
                    let j = pairs.get(i).copied().flatten()?;
                    Some((paths.get(j)?.as_path(), audited.get(j)?.as_ref().ok()?))
                });
                let findings = all_findings(current, previous.map(|(_, p)| p));
                (findings, previous.map(|(p, _)| p.to_path_buf()))
            }
        };
        // Only the summary row of the report stays after `emit`.
        let checked = Checked {
            path,
            audited: current.as_ref().map_err(String::as_str),
            findings,
            previous,
        };
        emit(&checked)?;
        summary.push(&checked);
    }
    Ok(summary)
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
    match &report.audited {
        Ok(audited) => serde_json::json!({
            "file": file,
            "previous": report.previous.as_ref().map(|p| p.display().to_string()),
            "tables": audited.tables,
            "findings": report.findings,
        }),
        Err(message) => serde_json::json!({ "file": file, "error": message }),
    }
}

pub fn text(report: &Checked) -> String {
    let mut out = format!("══ {} ══\n", report.path.display());
    match &report.audited {
        Err(message) => {
            out.push_str(&format!("无法读取：{message}\n"));
        }
        Ok(audited) => {
            out.push_str(&super::render::tables(&audited.tables));
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

/// One row per report, kept for the closing summary table and the CSV.
#[derive(Default)]
pub struct Summary {
    rows: Vec<SummaryRow>,
    pub unreadable: usize,
    pub with_errors: usize,
}

impl Summary {
    fn push(&mut self, r: &Checked) {
        let file = r
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let row = match &r.audited {
            Err(message) => {
                self.unreadable += 1;
                SummaryRow {
                    file,
                    organ: String::new(),
                    year: String::new(),
                    format: String::new(),
                    errors: String::new(),
                    warnings: String::new(),
                    verdict: format!("无法读取：{message}"),
                }
            }
            Ok(a) => {
                let (errors, warnings) = counts(&r.findings);
                if errors > 0 {
                    self.with_errors += 1;
                }
                SummaryRow {
                    file,
                    organ: a.tables.organ.clone().unwrap_or_default(),
                    year: a.tables.year.map(|y| y.to_string()).unwrap_or_default(),
                    format: serde_json::to_value(a.tables.format)
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
        };
        self.rows.push(row);
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn text(&self) -> String {
        let mut out = String::from("══ 汇总 ══\n文件\t机关\t年度\t格式\t错误\t提示\t结论\n");
        for r in &self.rows {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                r.file, r.organ, r.year, r.format, r.errors, r.warnings, r.verdict
            ));
        }
        out
    }

    pub fn csv(&self) -> String {
        let mut out = String::from("文件,机关,年度,格式,错误,提示,结论\r\n");
        for r in &self.rows {
            let fields = [
                &r.file,
                &r.organ,
                &r.year,
                &r.format,
                &r.errors,
                &r.warnings,
                &r.verdict,
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
        out
    }
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
