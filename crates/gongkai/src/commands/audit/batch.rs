//! Reading many reports, pairing consecutive years of one organ, and running the checks.

use anyhow::{Context, Result};
use gongkai_report::Finding;
use gongkai_report::audit::{
    AuditOptions, Audited, all_findings, audit_alone, organ_year, pair_previous_years,
};
use gongkai_report::extract::extract;
use std::io::{Read, Seek, SeekFrom, Write};
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

/// Where a read report waits on disk until every report has been read and paired.
enum Spooled {
    Read { offset: u64, len: u64 },
    Unreadable(String),
}

/// An anonymous temporary file holding each read report, so that a batch of any size keeps only
/// a few numbers per report in memory (and the file disappears when the process ends).
struct Spool {
    file: std::fs::File,
    end: u64,
}

impl Spool {
    fn new() -> Result<Spool> {
        let file = tempfile::tempfile().context("无法创建临时文件（批量审核需要临时目录可写）")?;
        Ok(Spool { file, end: 0 })
    }

    fn put(&mut self, audited: &Audited) -> Result<Spooled> {
        let bytes = serde_json::to_vec(audited)?;
        self.file.seek(SeekFrom::Start(self.end))?;
        self.file.write_all(&bytes)?;
        let spooled = Spooled::Read {
            offset: self.end,
            len: bytes.len() as u64,
        };
        self.end += bytes.len() as u64;
        Ok(spooled)
    }

    fn get(&mut self, offset: u64, len: u64) -> Result<Audited> {
        let mut bytes = vec![0u8; usize::try_from(len)?];
        self.file.seek(SeekFrom::Start(offset))?;
        self.file.read_exact(&mut bytes)?;
        Ok(serde_json::from_slice(&bytes)?)
    }
}

/// Audits every file: reads each once (single-report checks), pairs each with last year's report
/// of the same organ — `explicit_previous` when given (one report audited against a named file),
/// otherwise one among the files — and hands each report, with all its findings, to `emit` in
/// file order. Memory stays flat in the number of files: reports wait in a temporary file.
pub fn audit_all(
    paths: &[PathBuf],
    options: &AuditOptions,
    explicit_previous: Option<(&Path, &Audited)>,
    mut emit: impl FnMut(&Checked<'_>) -> Result<()>,
) -> Result<Summary> {
    let mut spool = Spool::new()?;
    let mut spooled = Vec::with_capacity(paths.len());
    let mut keys = Vec::with_capacity(paths.len());
    for path in paths {
        match read(path, options) {
            Ok(audited) => {
                keys.push(organ_year(&audited.tables));
                spooled.push(spool.put(&audited)?);
            }
            Err(message) => {
                keys.push(None);
                spooled.push(Spooled::Unreadable(message));
            }
        }
    }
    let pairs = pair_previous_years(&keys);
    drop(keys);
    let mut summary = Summary::default();
    for (i, path) in paths.iter().enumerate() {
        let current = match spooled.get(i) {
            Some(Spooled::Read { offset, len }) => Ok(spool.get(*offset, *len)?),
            Some(Spooled::Unreadable(message)) => Err(message.as_str()),
            None => continue,
        };
        let paired = match pairs.get(i).copied().flatten() {
            Some(j) => match spooled.get(j) {
                Some(Spooled::Read { offset, len }) => Some((
                    paths.get(j).map(PathBuf::as_path),
                    spool.get(*offset, *len)?,
                )),
                _ => None,
            },
            None => None,
        };
        let previous: Option<(&Path, &Audited)> = explicit_previous.or_else(|| {
            let (path, audited) = paired.as_ref()?;
            Some(((*path)?, audited))
        });
        let findings = match &current {
            Ok(current) => all_findings(current, previous.map(|(_, p)| p)),
            Err(_) => Vec::new(),
        };
        let checked = Checked {
            path,
            audited: current.as_ref().map_err(|m| *m),
            findings,
            previous: previous.map(|(p, _)| p.to_path_buf()),
        };
        emit(&checked)?;
        summary.push(&checked);
    }
    Ok(summary)
}

/// The counts are the report crate's, so the CLI and the back office count alike.
pub use gongkai_report::batch::counts;

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
