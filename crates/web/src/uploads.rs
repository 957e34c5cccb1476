//! Uploaded files: limits, type checked from the content (never from the name or the browser's
//! MIME type), and storage under the SHA-256 of the content in the data directory's `uploads/`.
//!
//! The forms that accept files (attachments of items, ID copies of applications) call
//! [`UploadPolicy::check`] for each request and [`store_upload`] for each file; what a file is
//! called and what it belongs to is recorded in the database by the caller.

use sha2::{Digest, Sha256};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a file is, judged from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Docx,
    Xlsx,
    Ofd,
    Png,
    Jpeg,
    Gif,
}

impl FileKind {
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF 文档",
            FileKind::Docx => "Word 文档（.docx）",
            FileKind::Xlsx => "Excel 表格（.xlsx）",
            FileKind::Ofd => "OFD 版式文档",
            FileKind::Png => "PNG 图片",
            FileKind::Jpeg => "JPEG 图片",
            FileKind::Gif => "GIF 图片",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Ofd => "ofd",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpg",
            FileKind::Gif => "gif",
        }
    }

    /// The Content-Type to serve it with (with `nosniff`, the browser must believe it).
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Ofd => "application/ofd",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
        }
    }
}

/// Judges the kind from the content. Office files are ZIP containers: the part names inside tell
/// a Word document from a workbook (the names sit in the ZIP's local and central headers).
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"%PDF-") {
        return Some(FileKind::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(FileKind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileKind::Jpeg);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some(FileKind::Gif);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        if contains(bytes, b"word/document.xml") {
            return Some(FileKind::Docx);
        }
        if contains(bytes, b"xl/workbook.xml") {
            return Some(FileKind::Xlsx);
        }
        if contains(bytes, b"OFD.xml") {
            return Some(FileKind::Ofd);
        }
    }
    None
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Limits for one request.
#[derive(Debug, Clone)]
pub struct UploadPolicy {
    pub max_file_bytes: usize,
    pub max_files: usize,
    pub allowed: Vec<FileKind>,
}

impl Default for UploadPolicy {
    /// Attachments of published information: documents and images, 50 MB each, 10 per form.
    fn default() -> Self {
        UploadPolicy {
            max_file_bytes: 50 * 1024 * 1024,
            max_files: 10,
            allowed: vec![
                FileKind::Pdf,
                FileKind::Docx,
                FileKind::Xlsx,
                FileKind::Ofd,
                FileKind::Png,
                FileKind::Jpeg,
                FileKind::Gif,
            ],
        }
    }
}

impl UploadPolicy {
    /// Copies of an applicant's 身份证明 (条例 Art 29): a scan or photo, 10 MB, at most 3.
    pub fn id_copies() -> Self {
        UploadPolicy {
            max_file_bytes: 10 * 1024 * 1024,
            max_files: 3,
            allowed: vec![FileKind::Pdf, FileKind::Png, FileKind::Jpeg],
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UploadError {
    #[error("一次最多上传 {max} 个文件，本次有 {given} 个；请分批上传")]
    TooManyFiles { max: usize, given: usize },
    #[error("文件“{name}”超过 {max_mb} MB 的大小限制；请压缩或拆分后再上传")]
    TooLarge { name: String, max_mb: usize },
    #[error("文件“{name}”是空的")]
    Empty { name: String },
    #[error("文件“{name}”的类型不在允许之列（按文件内容判断，而非文件名）；允许：{allowed}")]
    KindNotAllowed { name: String, allowed: String },
    #[error("保存上传文件失败：{0}。请检查数据目录的磁盘空间和写入权限")]
    Io(String),
}

impl UploadPolicy {
    /// Checks one request's files (`(name, bytes)`) and returns each file's kind.
    pub fn check(&self, files: &[(&str, &[u8])]) -> Result<Vec<FileKind>, UploadError> {
        if files.len() > self.max_files {
            return Err(UploadError::TooManyFiles {
                max: self.max_files,
                given: files.len(),
            });
        }
        files
            .iter()
            .map(|(name, bytes)| {
                let name = (*name).to_string();
                if bytes.is_empty() {
                    return Err(UploadError::Empty { name });
                }
                if bytes.len() > self.max_file_bytes {
                    return Err(UploadError::TooLarge {
                        name,
                        max_mb: self.max_file_bytes / (1024 * 1024),
                    });
                }
                match sniff(bytes) {
                    Some(kind) if self.allowed.contains(&kind) => Ok(kind),
                    _ => Err(UploadError::KindNotAllowed {
                        name,
                        allowed: self
                            .allowed
                            .iter()
                            .map(|k| k.label())
                            .collect::<Vec<_>>()
                            .join("、"),
                    }),
                }
            })
            .collect()
    }
}

/// A file kept under its content hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// Lower-case hex SHA-256 of the content: the file's name on disk and its identity.
    pub sha256: String,
    pub kind: FileKind,
    pub size: usize,
    pub path: PathBuf,
}

/// Stores `bytes` under `uploads_dir/ab/abcdef….ext`. The same content is stored once. The file
/// is written to a temporary name, flushed to disk and renamed, so a crash never leaves a
/// half-written file under a content hash.
pub fn store_upload(
    uploads_dir: &Path,
    bytes: &[u8],
    kind: FileKind,
) -> Result<StoredFile, UploadError> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    let shard = sha256.get(..2).unwrap_or("00");
    let dir = uploads_dir.join(shard);
    let path = dir.join(format!("{sha256}.{}", kind.extension()));
    let stored = StoredFile {
        sha256: sha256.clone(),
        kind,
        size: bytes.len(),
        path: path.clone(),
    };
    if path.is_file() {
        return Ok(stored);
    }
    let io = |e: std::io::Error| UploadError::Io(e.to_string());
    fs::create_dir_all(&dir).map_err(io)?;
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|e| UploadError::Io(e.to_string()))?;
    let tmp = dir.join(format!(".{sha256}.{}.tmp", hex::encode(random)));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, &path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(stored)
}

/// Where [`store_upload`] keeps the file with this SHA-256 under `data_dir/uploads`, whatever its
/// kind, if it is there. Anything but 64 lower-case hex digits is refused, so a stored value can
/// never name a path outside the uploads directory.
pub fn path_for(data_dir: &Path, sha256: &str) -> Option<PathBuf> {
    let valid = sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !valid {
        return None;
    }
    let dir = data_dir.join("uploads").join(sha256.get(..2)?);
    [
        FileKind::Pdf,
        FileKind::Docx,
        FileKind::Xlsx,
        FileKind::Ofd,
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Gif,
    ]
    .iter()
    .map(|k| dir.join(format!("{sha256}.{}", k.extension())))
    .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_content_not_the_name() {
        assert_eq!(sniff(b"%PDF-1.7 ..."), Some(FileKind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(FileKind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileKind::Jpeg));
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"MZ\x90\x00 executable"), None);
        let docx = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/corpus/pingtan-shiyanqu-2021-word.docx"),
        )
        .unwrap();
        assert_eq!(sniff(&docx), Some(FileKind::Docx));
        assert_eq!(sniff(b"PK\x03\x04 some other zip"), None);
    }

    #[test]
    fn the_policy_limits_count_size_and_kind() {
        let policy = UploadPolicy {
            max_file_bytes: 10,
            max_files: 2,
            allowed: vec![FileKind::Pdf],
        };
        assert_eq!(
            policy.check(&[("a.pdf", b"%PDF-1.4")]).unwrap(),
            vec![FileKind::Pdf]
        );
        let three: [(&str, &[u8]); 3] = [("a", b"%PDF-"), ("b", b"%PDF-"), ("c", b"%PDF-")];
        assert!(matches!(
            policy.check(&three),
            Err(UploadError::TooManyFiles { max: 2, given: 3 })
        ));
        assert!(matches!(
            policy.check(&[("big.pdf", b"%PDF-1.4 and more")]),
            Err(UploadError::TooLarge { .. })
        ));
        assert!(matches!(
            policy.check(&[("e.pdf", b"")]),
            Err(UploadError::Empty { .. })
        ));
        // A PNG renamed to .pdf is judged by its content and refused here.
        let err = policy
            .check(&[("fake.pdf", b"\x89PNG\r\n\x1a\n")])
            .unwrap_err();
        assert!(err.to_string().contains("按文件内容判断"), "{err}");
    }

    #[test]
    fn files_are_stored_once_under_their_hash() {
        let dir = tempfile::tempdir().unwrap();
        let a = store_upload(dir.path(), b"%PDF-1.4 content", FileKind::Pdf).unwrap();
        let b = store_upload(dir.path(), b"%PDF-1.4 content", FileKind::Pdf).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.sha256.len(), 64);
        assert!(a.path.starts_with(dir.path().join(&a.sha256[..2])));
        assert_eq!(std::fs::read(&a.path).unwrap(), b"%PDF-1.4 content");
        // No temporary files are left behind.
        let leftovers = std::fs::read_dir(dir.path().join(&a.sha256[..2]))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".tmp")
            })
            .count();
        assert_eq!(leftovers, 0);
    }
}
