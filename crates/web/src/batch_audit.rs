//! Batch audit of published annual reports (监督检查): what the upload accepts, where the files are
//! kept, and the audit of a whole batch — the same pairing and checks as `gongkai audit` on a folder
//! (`gongkai_report::batch`), so the back office and the CLI agree on every finding.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use gongkai_report::audit::{AuditOptions, organ_year};
use gongkai_report::batch::{audit_batch, read_report};
use gongkai_report::{Finding, ReportTables};
use gongkai_store::batch_audits::FindingKey;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The formats the reader understands (条例第五十条 reports are published as web pages, Word or PDF).
pub const EXTENSIONS: [&str; 5] = ["txt", "html", "htm", "docx", "pdf"];
/// Largest single report (a scanned PDF report is rarely above a few MB).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// Most reports in one batch (a city's districts and their departments, several years).
pub const MAX_FILES: usize = 300;
/// Most bytes a batch may hold once its ZIP files are unpacked (a guard against ZIP bombs).
pub const MAX_TOTAL_BYTES: usize = 200 * 1024 * 1024;

/// How many columns the findings export has (file, organ, year, last year's report, check,
/// severity, status, cells, expected, actual, message, decision, comment).
pub const EXPORT_HEADERS_LEN: usize = 13;

/// One uploaded report, ZIPs already unpacked.
#[derive(Debug, Clone)]
pub struct UploadedReport {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The audit result of one file, stored as JSON with the file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FileResult {
    /// Why the file could not be read; the other fields are then empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tables: Option<ReportTables>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// The position in the batch of the report used as last year's report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<usize>,
}

impl FileResult {
    /// Reads a stored result; a result that cannot be read shows as an unreadable file.
    pub fn parse(json: &str) -> FileResult {
        serde_json::from_str(json).unwrap_or_else(|e| FileResult {
            error: Some(format!("保存的审核结果无法读取（{e}），请重新审核本批次")),
            ..FileResult::default()
        })
    }

    /// The report's organ (spaces removed) and year, as the pairing sees them.
    pub fn organ_year(&self) -> Option<(String, i32)> {
        self.tables.as_ref().and_then(organ_year)
    }

    /// The key of a finding of this report for the decisions: the report's organ and year (the
    /// file name when the report names no organ, so decisions still attach to something stable).
    pub fn key(&self, file_name: &str, finding: &Finding) -> FindingKey {
        let (report_organ, year) = self
            .organ_year()
            .unwrap_or_else(|| (file_name.to_owned(), 0));
        FindingKey {
            report_organ,
            year,
            check_id: finding.check.clone(),
            cells: cells_text(finding),
        }
    }
}

/// A finding's cells as one comma-separated string.
pub fn cells_text(finding: &Finding) -> String {
    finding
        .cells
        .iter()
        .map(|c| c.0.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The last path component of an uploaded name (browsers and ZIPs may send folders).
pub fn base_name(name: &str) -> String {
    name.rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .trim()
        .to_owned()
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, x)| x.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Adds one uploaded file to `out`: a report as it is, a ZIP unpacked (its report files; folders
/// and the `__MACOSX` metadata of a Mac are skipped). Anything else is refused with a message
/// that names the file.
pub fn accept_upload(
    name: &str,
    bytes: Vec<u8>,
    out: &mut Vec<UploadedReport>,
) -> Result<(), String> {
    let name = base_name(name);
    let ext = extension(&name);
    if ext == "zip" {
        return unzip(&name, &bytes, out);
    }
    if !EXTENSIONS.contains(&ext.as_str()) {
        return Err(format!(
            "文件“{name}”不是可审核的年度报告：只接受 .txt、.html、.htm、.docx、.pdf 文件或装有这些文件的 .zip 压缩包。请去掉该文件后重新上传"
        ));
    }
    push(out, name, bytes)
}

fn push(out: &mut Vec<UploadedReport>, name: String, bytes: Vec<u8>) -> Result<(), String> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "文件“{name}”超过 {} MB 的大小限制；请上传较小的文件（扫描件可先转为文字版）",
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    if out.len() >= MAX_FILES {
        return Err(format!("一批最多审核 {MAX_FILES} 份报告；请分成几批上传"));
    }
    let total: usize = out.iter().map(|r| r.bytes.len()).sum::<usize>() + bytes.len();
    if total > MAX_TOTAL_BYTES {
        return Err(format!(
            "本批文件合计超过 {} MB（压缩包按解压后计算）；请分成几批上传",
            MAX_TOTAL_BYTES / (1024 * 1024)
        ));
    }
    out.push(UploadedReport { name, bytes });
    Ok(())
}

fn unzip(zip_name: &str, bytes: &[u8], out: &mut Vec<UploadedReport>) -> Result<(), String> {
    let bad = |e: zip::result::ZipError| {
        format!("压缩包“{zip_name}”无法打开（{e}）；请重新压缩（ZIP 格式）后上传")
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(bad)?;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(bad)?;
        if entry.is_dir() {
            continue;
        }
        let full = entry.name().map_err(bad)?.into_owned();
        let name = base_name(&full);
        if full.starts_with("__MACOSX/") || name.starts_with('.') || name.is_empty() {
            continue;
        }
        if !EXTENSIONS.contains(&extension(&name).as_str()) {
            return Err(format!(
                "压缩包“{zip_name}”中的文件“{full}”不是可审核的年度报告：只接受 .txt、.html、.htm、.docx、.pdf 文件。请从压缩包中去掉该文件后重新上传"
            ));
        }
        // Read at most one byte over the limit: the declared size of an entry can lie.
        let mut content = Vec::new();
        (&mut entry)
            .take(u64::try_from(MAX_FILE_BYTES).unwrap_or(u64::MAX) + 1)
            .read_to_end(&mut content)
            .map_err(|e| format!("压缩包“{zip_name}”中的文件“{full}”无法解压（{e}）"))?;
        push(out, name, content)?;
    }
    Ok(())
}

/// The folder under the data directory that holds the uploaded reports.
pub fn files_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("batch-audits")
}

/// Stores a report's bytes under its SHA-256 (once per content), written to a temporary name and
/// renamed so a crash never leaves half a file under a hash. Returns the hash.
pub fn store_file(dir: &Path, bytes: &[u8]) -> std::io::Result<String> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    let path = stored_path(dir, &sha256).ok_or_else(|| std::io::Error::other("invalid hash"))?;
    if path.is_file() {
        return Ok(sha256);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|e| std::io::Error::other(e.to_string()))?;
    let tmp = path.with_extension(format!("{}.tmp", hex::encode(random)));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, &path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map(|()| sha256)
}

/// Where [`store_file`] keeps the content with this hash; `None` for anything but 64 hex digits,
/// so a stored value can never name a path outside the folder.
pub fn stored_path(dir: &Path, sha256: &str) -> Option<PathBuf> {
    let valid = sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    valid.then(|| dir.join(&sha256[..2]).join(format!("{sha256}.report")))
}

/// Audits a whole batch (blocking: call it in `spawn_blocking`). A file that cannot be read gets
/// its reason and does not stop the others.
pub fn audit_files(files: &[UploadedReport]) -> Vec<FileResult> {
    let options = AuditOptions::default();
    let read: Vec<_> = files
        .iter()
        .map(|f| read_report(&f.bytes, &f.name, &options))
        .collect();
    let entries = audit_batch(&read);
    read.into_iter()
        .zip(entries)
        .map(|(report, entry)| match report {
            Ok(audited) => FileResult {
                error: None,
                tables: Some(audited.tables),
                findings: entry.findings,
                previous: entry.previous,
            },
            Err(reason) => FileResult {
                error: Some(reason),
                ..FileResult::default()
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        for (name, bytes) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_zip_gives_its_reports_by_base_name_and_skips_mac_metadata() {
        let zip = zip_of(&[
            ("年报/甲区2022.html", b"<p>x</p>"),
            ("__MACOSX/年报/._甲区2022.html", b"junk"),
            ("年报/.DS_Store", b"junk"),
        ]);
        let mut out = Vec::new();
        accept_upload("C:\\下载\\年报.zip", zip, &mut out).unwrap();
        let names: Vec<&str> = out.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["甲区2022.html"]);
        assert_eq!(out[0].bytes, b"<p>x</p>");
    }

    #[test]
    fn other_types_and_oversized_reports_are_refused_by_name() {
        let mut out = Vec::new();
        let e = accept_upload("台账.xlsx", b"PK".to_vec(), &mut out).unwrap_err();
        assert!(e.contains("台账.xlsx"), "{e}");
        let e = accept_upload("大.pdf", vec![0; MAX_FILE_BYTES + 1], &mut out).unwrap_err();
        assert!(e.contains("大.pdf") && e.contains("MB"), "{e}");
        let big = zip_of(&[("内/大.txt", &vec![b'a'; MAX_FILE_BYTES + 1])]);
        let e = accept_upload("包.zip", big, &mut out).unwrap_err();
        assert!(e.contains("大.txt"), "{e}");
        assert!(out.is_empty());
    }

    #[test]
    fn stored_files_are_found_by_hash_and_nothing_else_names_a_path() {
        let dir = tempfile::tempdir().unwrap();
        let sha = store_file(dir.path(), b"report").unwrap();
        assert_eq!(store_file(dir.path(), b"report").unwrap(), sha);
        let path = stored_path(dir.path(), &sha).unwrap();
        assert_eq!(std::fs::read(path).unwrap(), b"report");
        assert!(stored_path(dir.path(), "../../etc/passwd").is_none());
        assert!(stored_path(dir.path(), &"A".repeat(64)).is_none());
    }
}
