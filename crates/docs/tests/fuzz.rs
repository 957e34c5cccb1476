//! Fuzz-style robustness: thousands of deterministic mutations of real files go through
//! `read_document`; none may panic. The readers run under `catch_unwind`, which turns a panic into
//! `ReadError::Internal`, so that is what is checked (a panic in the test harness itself would
//! fail the test anyway). The mutator is a seeded xorshift: the same inputs on every run.

// Helpers outside #[test] functions are test code too (clippy.toml only exempts the tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{XorShift, corpus, docx_part, minimal_pdf, zip_of};
use gongkai_docs::{ReadError, read_document};

fn mutate(rng: &mut XorShift, seed: &[u8], tokens: &[&[u8]]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..1 + rng.below(6) {
        let len = v.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                v[i] = rng.next() as u8;
            }
            1 => {
                let at = rng.below(len + 1);
                let n = 1 + rng.below(16);
                let junk: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                v.splice(at..at, junk);
            }
            2 if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(256)).min(len);
                v.drain(start..end);
            }
            3 => v.truncate(rng.below(len + 1)),
            4 if !tokens.is_empty() => {
                let token = tokens[rng.below(tokens.len())];
                let at = rng.below(len + 1);
                v.splice(at..at, token.iter().copied());
            }
            5 if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(512)).min(len);
                let chunk = v[start..end].to_vec();
                let at = rng.below(len + 1);
                v.splice(at..at, chunk);
            }
            6 if len > 0 => {
                let i = rng.below(len);
                v[i] = [0x00, 0xFF, b'<', b'>', b'"', 0x0C, b'\n', 0x80, b'&', b'/'][rng.below(10)];
            }
            _ => {}
        }
    }
    v
}

fn check(bytes: &[u8], name: Option<&str>, what: &str) {
    if let Err(ReadError::Internal(message)) = read_document(bytes, name) {
        // Keep the input for reproduction.
        let path = std::env::temp_dir().join(format!("gongkai-fuzz-{what}.bin"));
        let _ = std::fs::write(&path, bytes);
        panic!(
            "{what}: a reader panicked ({message}); input saved to {}",
            path.display()
        );
    }
}

#[test]
fn mutated_text() {
    let mut rng = XorShift(1);
    let seeds = [
        corpus("xinhua-ximarket-2023.txt"),
        corpus("pingtan-shiyanqu-2022-flat.txt"),
    ];
    let tokens: &[&[u8]] = &[
        b"\xEF\xBB\xBF",
        b"\xFF\xFE",
        b"<table>",
        b"<html>",
        b"\r",
        b"\x0C",
        b"\xD5\xFE",
    ];
    for i in 0..1500 {
        let seed = &seeds[i % seeds.len()];
        let m = mutate(&mut rng, seed, tokens);
        check(&m, Some("a.txt"), &format!("text-{i}"));
    }
}

#[test]
fn mutated_html() {
    let mut rng = XorShift(2);
    let page = corpus("pingtan-shiyanqu-2022.html");
    // The part of the page around the tables keeps each run fast in debug builds.
    let start = page
        .windows(6)
        .position(|w| w == b"<table")
        .unwrap()
        .saturating_sub(3000);
    let end = (start + 60_000).min(page.len());
    let mut seed = b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>".to_vec();
    seed.extend_from_slice(&page[start..end]);
    let tokens: &[&[u8]] = &[
        b"<table>",
        b"</table>",
        b"<tr>",
        b"</tr>",
        b"<td colspan=\"99999\">",
        b"<td rowspan=0>",
        b"<th rowspan=\"-1\">",
        b"</td>",
        b"<p>",
        b"</p>",
        b"<br>",
        b"<![if !supportLists]>",
        b"<![endif]>",
        b"<!--[if gte mso 9]>",
        b"<!--",
        b"-->",
        b"<meta charset=gb2312>",
        b"&nbsp;",
        b"&#0;",
        b"&#x110000;",
        b"<script>",
        b"<o:p>",
        b"\xE3\x80\x80",
        b"<table><tr><td>",
        b"<div style=\"display:none\">",
        b"<noscript>",
        b"<select><option>",
    ];
    for i in 0..500 {
        let m = mutate(&mut rng, &seed, tokens);
        check(
            &m,
            if i % 2 == 0 { Some("a.html") } else { None },
            &format!("html-{i}"),
        );
    }
}

#[test]
fn mutated_docx() {
    let mut rng = XorShift(3);
    let docx = corpus("pingtan-shiyanqu-2021-word.docx");
    // Mutations of the zip container itself.
    for i in 0..200 {
        let m = mutate(
            &mut rng,
            &docx,
            &[b"PK\x03\x04", b"PK\x05\x06", b"word/document.xml"],
        );
        check(&m, Some("a.docx"), &format!("docx-zip-{i}"));
    }
    // Mutations of the document part, re-zipped, so the XML reader sees them.
    let xml = docx_part(&docx, "word/document.xml");
    let tokens: &[&[u8]] = &[
        b"<w:tbl>",
        b"</w:tbl>",
        b"<w:tr>",
        b"</w:tr>",
        b"<w:tc>",
        b"</w:tc>",
        b"<w:tc/>",
        b"<w:tbl/>",
        b"<w:vMerge/>",
        b"<w:vMerge w:val=\"restart\"/>",
        b"<w:hMerge/>",
        b"<w:gridSpan w:val=\"4294967295\"/>",
        b"<w:gridBefore w:val=\"99\"/>",
        b"<w:br/>",
        b"<w:tab/>",
        b"&amp;",
        b"&#0;",
        b"&#x110000;",
        b"&bogus;",
        b"<![CDATA[x]]>",
        b"<w:p>",
        b"</w:p>",
        b"<w:r><w:t>",
        b"</w:t></w:r>",
        b"<mc:Fallback>",
        b"<w:txbxContent>",
    ];
    for i in 0..350 {
        let m = mutate(&mut rng, &xml, tokens);
        let zipped = zip_of(&[("word/document.xml", &m)]);
        check(&zipped, None, &format!("docx-xml-{i}"));
    }
}

#[test]
fn mutated_pdf() {
    let mut rng = XorShift(4);
    let small = minimal_pdf("BT /F1 24 Tf 72 700 Td (Annual report 2023) Tj ET");
    let tokens: &[&[u8]] = &[
        b"/Encrypt 1 0 R",
        b"obj",
        b"endobj",
        b"stream",
        b"xref",
        b"%%EOF",
        b"<<",
        b">>",
    ];
    for i in 0..80 {
        let m = mutate(&mut rng, &small, tokens);
        check(&m, Some("a.pdf"), &format!("pdf-{i}"));
    }
    // The pure-Rust fallback (pdftotext "missing") on damaged input: it panics on much of it,
    // which must be caught inside the PDF reader, not escape.
    let fallback = gongkai_docs::ReadOptions {
        pdftotext: Some("/nonexistent/pdftotext".into()),
        pdf_timeout: std::time::Duration::from_secs(5),
        ..gongkai_docs::ReadOptions::default()
    };
    for i in 0..40 {
        let m = mutate(&mut rng, &small, tokens);
        let result = gongkai_docs::read_document_with(&m, None, &fallback);
        assert!(
            !matches!(result, Err(ReadError::Internal(_))),
            "fallback-{i}: {result:?}"
        );
    }
    // The real Chinese PDF, damaged: pdftotext runs per input, so only a few.
    let hongze = corpus("hongze-2023.pdf");
    for i in 0..8 {
        let m = mutate(&mut rng, &hongze, tokens);
        check(&m, None, &format!("hongze-{i}"));
    }
    for cut in [10, 1000, hongze.len() / 3, hongze.len() - 100] {
        check(&hongze[..cut], None, &format!("hongze-cut-{cut}"));
    }
}
