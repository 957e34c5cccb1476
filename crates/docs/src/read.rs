//! The entry points: recognise the format from the content and hand the bytes to its reader.

use std::ffi::OsString;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::docx::{ZipKind, read_docx, zip_kind};
use crate::encoding::{self, find};
use crate::{Document, ReadError, html, pdf, txt};

/// Files larger than this are refused before reading: the largest real report is a few MB (a PDF
/// with scanned seals perhaps 50 MB); this keeps one upload from exhausting memory.
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;

/// The environment variable naming the `pdftotext` program (a path, or a name looked up in
/// `PATH`). Lets a deployment use a poppler outside `PATH`, and tests simulate its absence.
pub const PDFTOTEXT_ENV: &str = "GONGKAI_PDFTOTEXT";

/// Knobs of the readers; [`ReadOptions::default`] is what [`read_document`] uses.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Larger inputs are refused with [`ReadError::TooLarge`].
    pub max_bytes: u64,
    /// The `pdftotext` program; `None`: the [`PDFTOTEXT_ENV`] variable, else `pdftotext`.
    pub pdftotext: Option<PathBuf>,
    /// How long PDF text extraction may run before it is stopped.
    pub pdf_timeout: Duration,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_bytes: MAX_FILE_BYTES,
            pdftotext: None,
            pdf_timeout: Duration::from_secs(60),
        }
    }
}

impl ReadOptions {
    pub(crate) fn pdftotext_program(&self) -> OsString {
        match &self.pdftotext {
            Some(path) => path.clone().into_os_string(),
            None => std::env::var_os(PDFTOTEXT_ENV)
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| OsString::from("pdftotext")),
        }
    }

    fn limit_mb(&self) -> u64 {
        self.max_bytes.div_ceil(1024 * 1024)
    }
}

/// Reads a document from its bytes. The format is recognised from the content (PDF and ZIP
/// signatures, HTML markup after decoding); `file_name`'s extension only settles the doubtful case
/// of a text with a little markup in it.
pub fn read_document(bytes: &[u8], file_name: Option<&str>) -> Result<Document, ReadError> {
    read_document_with(bytes, file_name, &ReadOptions::default())
}

/// [`read_document`] with explicit options.
pub fn read_document_with(
    bytes: &[u8],
    file_name: Option<&str>,
    options: &ReadOptions,
) -> Result<Document, ReadError> {
    // The parsers below (html5ever, zip, quick-xml, pdf-extract) are not ours. Should one of them
    // panic on a file nobody foresaw, that file fails with an error instead of taking down a
    // batch audit or a server worker.
    catch_unwind(AssertUnwindSafe(|| dispatch(bytes, file_name, options))).unwrap_or_else(
        |payload| {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "未知原因".to_string());
            Err(ReadError::Internal(what))
        },
    )
}

/// Reads a document from a file, refusing files over [`MAX_FILE_BYTES`] before reading them.
pub fn read_path(path: &Path) -> Result<Document, ReadError> {
    read_path_with(path, &ReadOptions::default())
}

/// [`read_path`] with explicit options.
pub fn read_path_with(path: &Path, options: &ReadOptions) -> Result<Document, ReadError> {
    let io_error = |source: std::io::Error| {
        if source.kind() == std::io::ErrorKind::NotFound {
            ReadError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            ReadError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    };
    let metadata = std::fs::metadata(path).map_err(io_error)?;
    if metadata.is_dir() {
        return Err(ReadError::UnknownFormat);
    }
    if metadata.len() > options.max_bytes {
        return Err(ReadError::TooLarge {
            limit_mb: options.limit_mb(),
        });
    }
    let bytes = std::fs::read(path).map_err(io_error)?;
    let name = path.file_name().and_then(|n| n.to_str());
    read_document_with(&bytes, name, options)
}

/// What the content says a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Pdf,
    Zip,
    Ole,
    Rtf,
    Mht,
    Text,
}

fn sniff(bytes: &[u8]) -> Format {
    // Readers accept `%PDF-` anywhere in the first KiB (some generators put junk before it).
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or(bytes);
    if find(head, b"%PDF-").is_some() {
        return Format::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Format::Zip;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Format::Ole;
    }
    if bytes.starts_with(b"{\\rtf") {
        return Format::Rtf;
    }
    // IE/Word "web archive" (.mht): MIME headers, then the page in quoted-printable. Read as HTML
    // it would come out with `=3D` and soft line breaks everywhere.
    let head = bytes
        .get(..bytes.len().min(4096))
        .unwrap_or(bytes)
        .to_ascii_lowercase();
    let starts_with_header = head.starts_with(b"mime-version:") || head.starts_with(b"from:");
    if starts_with_header && find(&head, b"multipart/related").is_some() {
        return Format::Mht;
    }
    Format::Text
}

fn dispatch(
    bytes: &[u8],
    file_name: Option<&str>,
    options: &ReadOptions,
) -> Result<Document, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > options.max_bytes {
        return Err(ReadError::TooLarge {
            limit_mb: options.limit_mb(),
        });
    }
    match sniff(bytes) {
        Format::Pdf => pdf::read_pdf(bytes, options),
        Format::Zip => match zip_kind(bytes)? {
            ZipKind::Docx => read_docx(bytes),
            ZipKind::Ofd => Err(ReadError::UnsupportedFormat {
                format: "OFD 版式文件",
            }),
            ZipKind::Other => Err(ReadError::NotDocx),
        },
        Format::Ole => Err(ReadError::UnsupportedFormat {
            format: "旧版 Word/WPS/Excel 文件（.doc、.wps、.xls）",
        }),
        Format::Rtf => Err(ReadError::UnsupportedFormat {
            format: "RTF 文件"
        }),
        Format::Mht => Err(ReadError::UnsupportedFormat {
            format: "MHT 网页存档（.mht）",
        }),
        Format::Text => read_text(bytes, file_name),
    }
}

fn read_text(bytes: &[u8], file_name: Option<&str>) -> Result<Document, ReadError> {
    let has_bom = encoding_rs::Encoding::for_bom(bytes).is_some();
    if !has_bom && encoding::looks_binary(bytes) {
        return Err(ReadError::UnknownFormat);
    }
    // Decode once to look for markup; HTML is then decoded again honouring its <meta charset>.
    let decoded = encoding::decode_text(bytes);
    let looks_html = match &decoded {
        Ok(d) => is_html(&d.text, html_hint(file_name)),
        // Not decodable as plain text: a declared charset may still make it readable HTML.
        Err(_) => encoding::declared_html_encoding(bytes).is_some(),
    };
    if looks_html {
        // The text decoded above is what `decode_html` would give unless the declared charset
        // can matter: only when neither a BOM nor UTF-8 decoded the bytes. Saves a second pass.
        return match decoded {
            Ok(d) if d.encoding == "UTF-8" || has_bom => html::read_html_text(d.text),
            _ => html::read_html(bytes),
        };
    }
    let decoded = decoded?;
    if decoded.text.chars().all(char::is_whitespace) {
        return Err(ReadError::Empty);
    }
    Ok(Document {
        source: crate::SourceKind::Txt,
        blocks: txt::text_lines(&decoded.text),
    })
}

fn html_hint(file_name: Option<&str>) -> bool {
    file_name
        .and_then(|n| Path::new(n).extension())
        .and_then(|e| e.to_str())
        .is_some_and(|e| {
            ["htm", "html", "xhtml", "shtml"]
                .iter()
                .any(|x| e.eq_ignore_ascii_case(x))
        })
}

/// HTML if the text starts like a page, or carries `<html`, `<body` or `<table` markup in its
/// first 64 KiB; with an `.html` file name, any tag will do.
fn is_html(text: &str, hinted: bool) -> bool {
    let mut end = text.len().min(64 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // The usual page starts with its doctype: decided before lowercasing 64 KiB.
    let start = text
        .get(..end)
        .unwrap_or_default()
        .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    let starts_with = |prefix: &str| {
        start
            .get(..prefix.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(prefix))
    };
    if starts_with("<!doctype html") || starts_with("<html") {
        return true;
    }
    let head = text.get(..end).unwrap_or_default().to_ascii_lowercase();
    let marked = ["<html", "<body", "<table"].iter().any(|marker| {
        head.match_indices(marker).any(|(i, m)| {
            head.get(i + m.len()..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(|c| c == '>' || c.is_ascii_whitespace())
        })
    });
    if marked {
        return true;
    }
    hinted
        && head.match_indices('<').any(|(i, _)| {
            head.get(i + 1..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '!' || c == '/')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_sniffing() {
        assert!(is_html("<!DOCTYPE html><p>x", false));
        assert!(is_html("  \n<HTML lang=zh>", false));
        assert!(is_html(
            "标题\n<table border=1><tr><td>1</td></tr></table>",
            false
        ));
        assert!(!is_html("一、总体情况\n2023 年度 <说明>", false));
        assert!(!is_html("数量 < 5 且 > 3", true));
        assert!(is_html("<p>正文</p>", true));
        assert!(!is_html("<p>正文</p>", false));
    }

    #[test]
    fn format_sniffing() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Format::Pdf);
        assert_eq!(sniff(b"\n\n%PDF-1.4"), Format::Pdf);
        assert_eq!(sniff(b"PK\x03\x04rest"), Format::Zip);
        assert_eq!(sniff(b"{\\rtf1\\ansi"), Format::Rtf);
        assert_eq!(sniff("一、总体情况".as_bytes()), Format::Text);
        assert_eq!(
            sniff(b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n"),
            Format::Mht
        );
    }

    #[test]
    fn hints_come_from_extensions() {
        assert!(html_hint(Some("报告.HTM")));
        assert!(!html_hint(Some("报告.txt")));
        assert!(!html_hint(None));
    }
}
