//! Text and web pages in the encodings Chinese offices actually produce.

// Helpers outside #[test] functions are test code too (clippy.toml only exempts the tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::corpus_text;
use gongkai_docs::{ReadError, SourceKind, read_document};

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "corpus text not representable in GBK");
    bytes.into_owned()
}

#[test]
fn gbk_txt_reads_like_utf8() {
    let text = corpus_text("xinhua-ximarket-2023.txt");
    let utf8 = read_document(text.as_bytes(), Some("报告.txt")).unwrap();
    let from_gbk = read_document(&gbk(&text), Some("报告.txt")).unwrap();
    assert_eq!(from_gbk, utf8);
    assert!(from_gbk.plain_text().contains("主动公开政府信息 348 条"));
}

#[test]
fn gbk_html_with_and_without_meta() {
    let html = corpus_text("pingtan-junshanpianqu-2022.html");
    let utf8 = read_document(html.as_bytes(), None).unwrap();
    // The page declares utf-8 but is re-encoded to GBK, as a careless re-save would: the bytes win.
    let from_gbk = read_document(&gbk(&html), None).unwrap();
    assert_eq!(from_gbk.source, SourceKind::Html);
    assert_eq!(from_gbk, utf8);
    // With a correct gb2312 declaration.
    let declared = html.replacen("charset=\"utf-8\"", "charset=\"gb2312\"", 1);
    assert_ne!(declared, html, "the corpus page should declare its charset");
    let from_declared = read_document(&gbk(&declared), Some("nb.htm")).unwrap();
    assert_eq!(from_declared.tables().count(), 3);
    assert_eq!(from_declared.blocks, utf8.blocks);
}

#[test]
fn http_equiv_declaration_is_honoured() {
    let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">\
                </head><body><p>收到申请75件</p><table><tr><td>总计</td><td>75</td></tr></table></body></html>";
    let doc = read_document(&gbk(page), None).unwrap();
    assert_eq!(doc.lines().next().unwrap().text, "收到申请75件");
    assert_eq!(doc.tables().next().unwrap().rows[0].cells[0].text, "总计");
}

#[test]
fn utf8_bom_and_utf16le_bom() {
    let text = corpus_text("xinhua-ximarket-2023.txt");
    let plain = read_document(text.as_bytes(), None).unwrap();

    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend_from_slice(text.as_bytes());
    let doc = read_document(&with_bom, None).unwrap();
    assert_eq!(doc, plain, "the BOM must not end up in the first line");

    let mut utf16 = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    assert_eq!(read_document(&utf16, Some("报告.txt")).unwrap(), plain);

    let mut utf16be = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        utf16be.extend_from_slice(&unit.to_be_bytes());
    }
    assert_eq!(read_document(&utf16be, None).unwrap(), plain);
}

#[test]
fn utf16_html_with_bom() {
    let html = "<!DOCTYPE html><html><body><p>政府信息公开</p></body></html>";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in html.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let doc = read_document(&bytes, None).unwrap();
    assert_eq!(doc.source, SourceKind::Html);
    assert_eq!(doc.lines().next().unwrap().text, "政府信息公开");
}

#[test]
fn mostly_ascii_gbk_is_not_taken_for_utf8() {
    // A CSV-like text with few Chinese characters among many digits.
    let mut text = String::from("名称,数量\n");
    for i in 0..200 {
        text.push_str(&format!("{i},{}\n", i * 7));
    }
    let doc = read_document(&gbk(&text), None).unwrap();
    assert_eq!(doc.lines().next().unwrap().text, "名称,数量");
}

#[test]
fn undecodable_text_is_refused() {
    // Bytes that are neither UTF-8 nor GB18030 (0x80 and 0xFF are not GB18030 lead bytes) and
    // have no control characters, so they pass the binary check.
    let bytes: Vec<u8> = b"\x80\xff".iter().copied().cycle().take(400).collect();
    let err = read_document(&bytes, None).unwrap_err();
    assert!(matches!(err, ReadError::UnknownEncoding), "{err:?}");
    assert!(err.to_string().contains("无法识别文字编码"));
}
