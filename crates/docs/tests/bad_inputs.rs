//! Files that cannot be read fail with the right Chinese message, never with a panic.

// Helpers outside #[test] functions are test code too (clippy.toml only exempts the tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{XorShift, corpus, docx_part, zip_of};
use gongkai_docs::{ReadError, ReadOptions, read_document, read_document_with, read_path};

fn error_of(bytes: &[u8], name: Option<&str>) -> ReadError {
    match read_document(bytes, name) {
        Ok(doc) => panic!("expected an error, read {} blocks", doc.blocks.len()),
        Err(e) => e,
    }
}

#[test]
fn empty_file() {
    let err = error_of(b"", Some("报告.pdf"));
    assert!(matches!(err, ReadError::Empty));
    assert!(err.to_string().starts_with("文件是空的"));
    assert_eq!(err.code(), "empty");
    assert!(matches!(error_of(b"  \r\n\t\n", None), ReadError::Empty));
}

#[test]
fn random_bytes() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for len in [1usize, 7, 100, 4096, 100_000] {
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        match read_document(&bytes, Some("x.txt")) {
            // A single random byte may well be a printable character.
            Ok(doc) => assert!(len < 8, "read {len} random bytes as {:?}", doc.source),
            Err(e) => assert!(
                matches!(e, ReadError::UnknownFormat | ReadError::UnknownEncoding),
                "{len}: {e:?}"
            ),
        }
    }
    let err = error_of(&[0u8, 1, 2, 3, 0xFF, 0xFE, 0x80, 0x00, 0x10, 0x1F], None);
    assert_eq!(
        err.to_string(),
        "不是可识别的文档格式（支持 TXT、HTML、DOCX、PDF），请另存为其中一种格式后再试。"
    );
}

#[test]
fn truncated_docx() {
    let docx = corpus("pingtan-shiyanqu-2021-word.docx");
    for len in [1000, 4, 30, docx.len() / 2, docx.len() - 1] {
        let err = error_of(&docx[..len], Some("报告.docx"));
        assert!(
            matches!(
                err,
                ReadError::DocxDamaged { .. } | ReadError::UnknownFormat
            ),
            "{len}: {err:?}"
        );
        if len == 1000 {
            println!("truncated DOCX: {err}");
            assert!(err.to_string().contains("Word 文档已损坏"));
        }
    }
}

#[test]
fn zip_that_is_not_a_docx() {
    let zip = zip_of(&[
        ("readme.txt", b"hello"),
        ("xl/workbook.xml", b"<workbook/>"),
    ]);
    let err = error_of(&zip, Some("报告.docx"));
    assert!(matches!(err, ReadError::NotDocx), "{err:?}");
    assert!(err.to_string().starts_with("不是 Word 文档"));

    let ofd = zip_of(&[("OFD.xml", b"<ofd:OFD/>")]);
    let err = error_of(&ofd, None);
    assert!(err.to_string().contains("OFD"), "{err}");
}

#[test]
fn docx_with_broken_xml() {
    let xml = docx_part(
        &corpus("pingtan-shiyanqu-2021-word.docx"),
        "word/document.xml",
    );
    // Cut in the middle of a tag, and cut between two elements: both are damaged documents
    // (reading half a report would make the auditor miss tables that are merely cut off).
    let middle = xml.len() / 2;
    let between = xml[..middle].iter().rposition(|&b| b == b'>').unwrap() + 1;
    for cut in [middle, between] {
        let docx = zip_of(&[("word/document.xml", &xml[..cut])]);
        let err = error_of(&docx, None);
        assert!(
            matches!(err, ReadError::DocxDamaged { .. }),
            "{cut}: {err:?}"
        );
    }
    let mut broken = xml[..xml.len() / 2].to_vec();
    broken.extend_from_slice(b"</w:tc></w:body>");
    let err = error_of(&zip_of(&[("word/document.xml", &broken)]), None);
    assert!(matches!(err, ReadError::DocxDamaged { .. }), "{err:?}");
}

#[test]
fn docx_found_through_relationships() {
    let xml = br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>main part elsewhere</w:t></w:r></w:p></w:body></w:document>"#;
    let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>"#;
    let docx = zip_of(&[("_rels/.rels", rels), ("word/document2.xml", xml)]);
    let doc = read_document(&docx, None).unwrap();
    assert_eq!(doc.lines().next().unwrap().text, "main part elsewhere");
}

#[test]
fn legacy_and_unsupported_formats() {
    let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];
    let err = error_of(&ole, Some("报告.doc"));
    assert!(err.to_string().contains(".doc"), "{err}");
    assert!(matches!(
        error_of(b"{\\rtf1\\ansi hello}", None),
        ReadError::UnsupportedFormat { .. }
    ));
}

#[test]
fn size_limits() {
    let options = ReadOptions {
        max_bytes: 1024,
        ..ReadOptions::default()
    };
    let err = read_document_with(&[b'a'; 2048], None, &options).unwrap_err();
    assert!(matches!(err, ReadError::TooLarge { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "文件过大（超过 1 MB），请确认是否选错了文件，或拆分后再读取。"
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    std::fs::write(&path, vec![b'a'; 2048]).unwrap();
    let err = gongkai_docs::read_path_with(&path, &options).unwrap_err();
    assert!(matches!(err, ReadError::TooLarge { .. }), "{err:?}");

    let err = read_path(&dir.path().join("missing.pdf")).unwrap_err();
    assert!(matches!(err, ReadError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().starts_with("找不到文件"));
}

#[test]
fn every_message_is_chinese() {
    let errors = [
        ReadError::Empty,
        ReadError::TooLarge { limit_mb: 200 },
        ReadError::UnknownFormat,
        ReadError::UnsupportedFormat {
            format: "RTF 文件"
        },
        ReadError::UnknownEncoding,
        ReadError::NotDocx,
        ReadError::DocxDamaged { detail: "x".into() },
        ReadError::PdfEncrypted,
        ReadError::PdfNoText,
        ReadError::PdfDamaged { detail: "x".into() },
        ReadError::PdfTimeout { seconds: 60 },
        ReadError::PdfToolMissing,
        ReadError::NotFound {
            path: "a.pdf".into(),
        },
        ReadError::System(std::io::Error::other("x")),
        ReadError::Internal("x".into()),
    ];
    for err in errors {
        let message = err.to_string();
        assert!(
            message
                .chars()
                .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
            "{message}"
        );
        assert!(!err.code().is_empty());
    }
}
