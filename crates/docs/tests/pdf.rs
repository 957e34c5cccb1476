//! PDF reading through pdftotext, its failures, and the pure-Rust fallback.

// Helpers outside #[test] functions are test code too (clippy.toml only exempts the tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{corpus, fixture, minimal_pdf};
use gongkai_docs::{
    PDFTOTEXT_ENV, ReadError, ReadOptions, SourceKind, read_document, read_document_with,
};

fn without_pdftotext() -> ReadOptions {
    ReadOptions {
        pdftotext: Some(PathBuf::from("/nonexistent/pdftotext")),
        ..ReadOptions::default()
    }
}

#[test]
fn minimal_pdf_with_text() {
    let pdf = minimal_pdf("BT /F1 24 Tf 72 700 Td (Annual report 2023) Tj ET");
    let doc = read_document(&pdf, None).unwrap();
    assert_eq!(doc.source, SourceKind::Pdf);
    let line = doc.lines().find(|l| !l.text.is_empty()).unwrap();
    assert_eq!(line.text.trim(), "Annual report 2023");
    assert_eq!(line.page, Some(1));
}

#[test]
fn pdf_without_text_layer() {
    let pdf = minimal_pdf("0 0 1 rg 72 72 200 200 re f");
    let err = read_document(&pdf, Some("扫描件.pdf")).unwrap_err();
    assert!(matches!(err, ReadError::PdfNoText), "{err:?}");
    assert_eq!(
        err.to_string(),
        "PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）或提供 Word/网页版本。"
    );
}

#[test]
fn encrypted_pdf() {
    // tests/data/encrypted.pdf: user password "secret", made by tests/data/make_encrypted_pdf.py.
    let err = read_document(&fixture("encrypted.pdf"), None).unwrap_err();
    assert!(matches!(err, ReadError::PdfEncrypted), "{err:?}");
    assert!(err.to_string().starts_with("PDF 已加密，无法读取"));
}

#[test]
fn damaged_pdf() {
    let err = read_document(b"%PDF-1.7\nthis is not a PDF body", None).unwrap_err();
    assert!(
        matches!(err, ReadError::PdfDamaged { .. } | ReadError::PdfNoText),
        "{err:?}"
    );
    println!("{err}");
}

#[test]
fn fallback_without_pdftotext_never_panics() {
    let options = without_pdftotext();
    // A simple PDF the pure-Rust extractor can read.
    let pdf = minimal_pdf("BT /F1 24 Tf 72 700 Td (Annual report 2023) Tj ET");
    match read_document_with(&pdf, None, &options) {
        Ok(doc) => assert!(doc.plain_text().contains("Annual report 2023")),
        Err(e) => assert!(matches!(e, ReadError::PdfToolMissing), "{e:?}"),
    }
    // The Chinese corpus PDF: the fallback may read it or fail with the install hint.
    match read_document_with(&corpus("hongze-2023.pdf"), None, &options) {
        Ok(doc) => println!("fallback read hongze: {} lines", doc.lines().count()),
        Err(e) => {
            println!("fallback failed on hongze: {e}");
            assert!(
                matches!(e, ReadError::PdfToolMissing | ReadError::PdfTimeout { .. }),
                "{e:?}"
            );
            assert!(e.to_string().contains("poppler-utils"));
        }
    }
    // No text at all, and encrypted: errors, whichever.
    assert!(read_document_with(&minimal_pdf(""), None, &options).is_err());
    let err = read_document_with(&fixture("encrypted.pdf"), None, &options).unwrap_err();
    assert!(
        matches!(err, ReadError::PdfEncrypted | ReadError::PdfToolMissing),
        "{err:?}"
    );
}

/// Run in a child process by [`pdftotext_env_variable_is_honoured`], with the variable set (tests
/// cannot set environment variables in-process: `set_var` is unsafe and this crate forbids unsafe).
#[test]
fn env_child_reads_hongze() {
    if std::env::var_os(PDFTOTEXT_ENV).is_none() {
        return;
    }
    match read_document(&corpus("hongze-2023.pdf"), None) {
        Ok(doc) => println!("CHILD-OK {}", doc.lines().count()),
        Err(e) => println!("CHILD-ERR {}", e.code()),
    }
}

#[test]
fn pdftotext_env_variable_is_honoured() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "env_child_reads_hongze",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(PDFTOTEXT_ENV, "/nonexistent")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Without pdftotext the layout text of the corpus PDF cannot come out the same: either the
    // fallback read something or it failed with the install hint.
    assert!(
        stdout.contains("CHILD-OK") || stdout.contains("CHILD-ERR pdf_tool_missing"),
        "{stdout}"
    );
}

#[cfg(unix)]
fn fake_pdftotext(dir: &std::path::Path, script: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("pdftotext");
    std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[cfg(unix)]
#[test]
fn pdftotext_that_hangs_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let options = ReadOptions {
        pdftotext: Some(fake_pdftotext(dir.path(), "exec sleep 30")),
        pdf_timeout: Duration::from_millis(500),
        ..ReadOptions::default()
    };
    let start = Instant::now();
    let err = read_document_with(&minimal_pdf(""), None, &options).unwrap_err();
    assert!(matches!(err, ReadError::PdfTimeout { .. }), "{err:?}");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "not killed: {:?}",
        start.elapsed()
    );
}

#[cfg(unix)]
#[test]
fn pdftotext_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let run = |script: &str| {
        let sub = dir.path().join(format!("{}", script.len()));
        std::fs::create_dir_all(&sub).unwrap();
        let options = ReadOptions {
            pdftotext: Some(fake_pdftotext(&sub, script)),
            ..ReadOptions::default()
        };
        read_document_with(&minimal_pdf(""), None, &options)
    };
    assert!(matches!(
        run("echo 'Command Line Error: Incorrect password' >&2; exit 1"),
        Err(ReadError::PdfEncrypted)
    ));
    assert!(matches!(run("exit 3"), Err(ReadError::PdfEncrypted)));
    let err = run("echo 'Syntax Error: Couldn'\"'\"'t read xref table' >&2; exit 1").unwrap_err();
    assert!(matches!(err, ReadError::PdfDamaged { .. }), "{err:?}");
    assert!(err.to_string().contains("xref"), "{err}");
    // Pages come from form feeds; a lot of output does not block the pipe.
    let doc =
        run("printf 'p1\\n\\014p2 a    b\\n\\014'; yes 'filler line' | head -n 200000 >/dev/null")
            .unwrap();
    let lines: Vec<_> = doc
        .lines()
        .map(|l| (l.text.as_str(), l.page, l.number))
        .collect();
    assert_eq!(lines, vec![("p1", Some(1), 1), ("p2 a    b", Some(2), 2)]);
    let big = run("yes '行政复议    10    1' | head -n 100000").unwrap();
    assert_eq!(big.lines().count(), 100_000);
}
