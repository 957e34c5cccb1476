//! PDF: the text layer, read by poppler's `pdftotext -layout` in a child process.
//!
//! Why a child process: Chinese 公文 PDFs use Type0 fonts with Adobe-GB1 predefined CMaps
//! (GBK-EUC-H, UniGB-UCS2-H) that poppler (with poppler-data) decodes and pure-Rust extractors do
//! not; `-layout` keeps each table row on one line with its cells separated by runs of spaces, which
//! is what the table finder works from. A separate process also contains crashes and lets us kill a
//! run that hangs. poppler is GPL; calling it as a program does not affect this crate's licence.
//!
//! If `pdftotext` is not installed, the pure-Rust `pdf-extract` crate is tried (feature
//! `pdf-extract`, on by default) in a thread under `catch_unwind`, because it panics on the CMaps
//! above. Its output has no layout, so the message asks for poppler when it fails.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

use crate::{Document, ReadError, SourceKind, read::ReadOptions, txt::text_lines};

/// Reads the text layer of a PDF.
pub(crate) fn read_pdf(bytes: &[u8], options: &ReadOptions) -> Result<Document, ReadError> {
    let text = match run_pdftotext(bytes, options)? {
        Some(text) => text,
        None => fallback(bytes, options.pdf_timeout)?,
    };
    if text.chars().all(|c| c.is_whitespace() || c == '\x0C') {
        return Err(ReadError::PdfNoText);
    }
    Ok(Document {
        source: SourceKind::Pdf,
        blocks: text_lines(&text),
    })
}

/// Runs `pdftotext -layout -enc UTF-8 FILE -`. `Ok(None)` when the program cannot be started (not
/// installed), so that the caller falls back.
fn run_pdftotext(bytes: &[u8], options: &ReadOptions) -> Result<Option<String>, ReadError> {
    let program = options.pdftotext_program();
    // poppler needs to seek in the file, so it gets a temporary file rather than a pipe; the file
    // is removed when `input` is dropped, on every path.
    let mut input = tempfile::Builder::new()
        .prefix("gongkai-")
        .suffix(".pdf")
        .tempfile()
        .map_err(ReadError::System)?;
    input.write_all(bytes).map_err(ReadError::System)?;
    input.flush().map_err(ReadError::System)?;

    let spawned = Command::new(&program)
        .arg("-layout")
        .arg("-enc")
        .arg("UTF-8")
        .arg(input.path())
        .arg("-")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        // Not installed, not executable, not a program: all mean "no pdftotext here".
        Err(_) => return Ok(None),
    };

    // Drain both pipes in threads while waiting, or a large output would fill the pipe and block
    // the child until the timeout.
    let stdout = child.stdout.take().map(|mut out| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = out.read_to_end(&mut buf);
            buf
        })
    });
    let stderr = child.stderr.take().map(|mut err| {
        std::thread::spawn(move || {
            // Read to the end (a damaged file makes poppler write thousands of warnings, and a
            // reader that stopped early would block it), keep only the beginning.
            let mut kept = Vec::new();
            let mut chunk = [0u8; 8192];
            while let Ok(n) = err.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                if kept.len() < 64 * 1024 {
                    kept.extend_from_slice(chunk.get(..n).unwrap_or_default());
                }
            }
            kept
        })
    });

    let status = match child.wait_timeout(options.pdf_timeout) {
        Ok(Some(status)) => status,
        Ok(None) => {
            // Killing closes the pipes, so the reader threads end too.
            let _ = child.kill();
            let _ = child.wait();
            return Err(ReadError::PdfTimeout {
                seconds: options.pdf_timeout.as_secs(),
            });
        }
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ReadError::System(e));
        }
    };
    let stdout = stdout.and_then(|h| h.join().ok()).unwrap_or_default();
    let stderr = stderr.and_then(|h| h.join().ok()).unwrap_or_default();
    let stderr = String::from_utf8_lossy(&stderr);

    if status.success() {
        return Ok(Some(String::from_utf8_lossy(&stdout).into_owned()));
    }
    // pdftotext's exit codes: 1 cannot open the PDF (bad password included), 3 permissions.
    if status.code() == Some(3) || stderr.contains("Incorrect password") {
        return Err(ReadError::PdfEncrypted);
    }
    let detail = stderr
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map_or_else(
            || format!("pdftotext 退出码 {:?}", status.code()),
            |l| format!("pdftotext：{}", l.chars().take(200).collect::<String>()),
        );
    Err(ReadError::PdfDamaged { detail })
}

#[cfg(feature = "pdf-extract")]
fn fallback(bytes: &[u8], timeout: Duration) -> Result<String, ReadError> {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::sync::mpsc;

    let owned = bytes.to_vec();
    let (tx, rx) = mpsc::channel();
    // A thread, so that a run that never ends can be abandoned after the timeout (a thread cannot
    // be killed; it finishes or dies with the process). catch_unwind, because pdf-extract panics
    // on fonts it does not know.
    let spawned = std::thread::Builder::new()
        .name("pdf-extract".into())
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| {
                pdf_extract::extract_text_from_mem_by_pages(&owned)
            }));
            let _ = tx.send(result);
        });
    if spawned.is_err() {
        return Err(ReadError::PdfToolMissing);
    }
    match rx.recv_timeout(timeout) {
        Ok(Ok(Ok(pages))) => {
            let mut text = String::new();
            for page in pages {
                text.push_str(&page);
                text.push('\x0C');
            }
            if text.chars().all(|c| c.is_whitespace() || c == '\x0C') {
                // pdf-extract reads nothing from many Chinese fonts: it is not proof of a scan.
                return Err(ReadError::PdfToolMissing);
            }
            Ok(text)
        }
        Ok(Ok(Err(_))) if is_encrypted(bytes) => Err(ReadError::PdfEncrypted),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(ReadError::PdfTimeout {
            seconds: timeout.as_secs(),
        }),
        _ => Err(ReadError::PdfToolMissing),
    }
}

#[cfg(not(feature = "pdf-extract"))]
fn fallback(_bytes: &[u8], _timeout: Duration) -> Result<String, ReadError> {
    Err(ReadError::PdfToolMissing)
}

/// The trailer of an encrypted PDF names an `/Encrypt` dictionary.
#[cfg_attr(not(feature = "pdf-extract"), allow(dead_code))]
fn is_encrypted(bytes: &[u8]) -> bool {
    crate::encoding::find(bytes, b"/Encrypt").is_some()
}
