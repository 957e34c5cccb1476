//! Turning the bytes of a text file (TXT, HTML, later CSV) into a `String`.
//!
//! Chinese government files come in UTF-8 (with or without BOM), in GBK/GB2312 (Windows Notepad and
//! older CMSs, Excel's CSV export), and now and then in UTF-16 with a BOM (Notepad's "Unicode"). The
//! order of trust: a BOM; then valid UTF-8 (a GBK text of any length is practically never valid
//! UTF-8, while a page that *declares* gb2312 but was re-saved as UTF-8 is common), also with a
//! few damaged bytes; then, for HTML,
//! the declared `<meta charset>`; then GB18030, the superset of GBK and GB2312. If every candidate
//! leaves many replacement characters the file is not text we can read, and we say so instead of
//! handing mojibake to the auditor.

use encoding_rs::{Encoding, GB18030, UTF_8};

use crate::ReadError;

/// A decoded text and the encoding it was read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedText {
    pub text: String,
    /// The WHATWG name of the encoding used, e.g. "UTF-8", "gb18030", "UTF-16LE".
    pub encoding: &'static str,
}

/// Decodes a text file: BOM, else UTF-8, else GB18030.
pub fn decode_text(bytes: &[u8]) -> Result<DecodedText, ReadError> {
    decode_with_declared(bytes, None)
}

/// Decodes an HTML file, honouring a `<meta charset=…>` or `http-equiv` declaration when the bytes
/// are not valid UTF-8.
pub fn decode_html(bytes: &[u8]) -> Result<DecodedText, ReadError> {
    decode_with_declared(bytes, declared_html_encoding(bytes))
}

/// Decodes with an optional declared encoding (see the module notes for the order of trust).
pub(crate) fn decode_with_declared(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
) -> Result<DecodedText, ReadError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        let (text, _) = encoding.decode_without_bom_handling(body);
        if too_many_replacements(&text) {
            return Err(ReadError::UnknownEncoding);
        }
        return Ok(DecodedText {
            text: text.into_owned(),
            encoding: encoding.name(),
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(DecodedText {
            text: text.to_owned(),
            encoding: UTF_8.name(),
        });
    }
    // UTF-8 with a few damaged bytes (a truncated last character, a bad copy) is still UTF-8: its
    // replacement characters are rare among its other non-ASCII characters, whereas GBK read as
    // UTF-8 turns nearly every Chinese character into one. GB18030 must not win here just because
    // it can decode almost any byte pair (into mojibake).
    let (lossy, _) = UTF_8.decode_without_bom_handling(bytes);
    let bad = count_replacements(&lossy);
    let good = lossy
        .chars()
        .filter(|&c| !c.is_ascii() && c != char::REPLACEMENT_CHARACTER)
        .count();
    if bad.saturating_mul(20) <= good {
        return Ok(DecodedText {
            text: lossy.into_owned(),
            encoding: UTF_8.name(),
        });
    }
    let mut candidates: Vec<&'static Encoding> = Vec::with_capacity(2);
    if let Some(declared) = declared {
        // A UTF-16 declaration in a file without BOM is a lie the HTML standard also ignores.
        if declared != UTF_8 && declared.is_ascii_compatible() {
            candidates.push(declared);
        }
    }
    candidates.push(GB18030);
    for encoding in candidates {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        if !too_many_replacements(&text) {
            return Ok(DecodedText {
                text: text.into_owned(),
                encoding: encoding.name(),
            });
        }
    }
    Err(ReadError::UnknownEncoding)
}

fn count_replacements(text: &str) -> usize {
    text.chars()
        .filter(|&c| c == char::REPLACEMENT_CHARACTER)
        .count()
}

/// More than one replacement character and more than 1 % of all: the text is not in this encoding
/// (a real file has at most a damaged character or two, e.g. a truncated last one).
fn too_many_replacements(text: &str) -> bool {
    let bad = count_replacements(text);
    bad > 1 && bad.saturating_mul(100) > text.chars().count()
}

/// `true` when the bytes look like a binary file rather than text: more than 1 % C0 control bytes
/// other than tab, line feed, carriage return, form feed and escape. Random bytes have about 12 %;
/// text has none (a stray control character from copy and paste stays under the limit). Call it
/// only on files without a UTF-16 BOM, whose NUL bytes are normal.
pub fn looks_binary(bytes: &[u8]) -> bool {
    // Branch-free per byte, counted in u8 lanes over chunks of at most 255 bytes (no overflow),
    // so the compiler vectorises it: this runs over every text and HTML file read.
    let mut controls = 0usize;
    for chunk in bytes.chunks(255) {
        let mut n: u8 = 0;
        for &b in chunk {
            let control = u8::from(b < 0x20)
                & u8::from(b != b'\t')
                & u8::from(b != b'\n')
                & u8::from(b != b'\r')
                & u8::from(b != 0x0C)
                & u8::from(b != 0x1B);
            n = n.wrapping_add(control | u8::from(b == 0x7F));
        }
        controls += usize::from(n);
    }
    controls > 0 && controls.saturating_mul(100) > bytes.len()
}

/// The encoding declared by `<meta charset="…">` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=…">` in the first 16 KiB, found by
/// a simple ASCII scan (the declaration itself is ASCII in every encoding we accept).
pub fn declared_html_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..bytes.len().min(16 * 1024)).unwrap_or(bytes);
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0usize;
    while let Some(pos) = find(lower.get(from..)?, b"<meta") {
        let start = from + pos;
        let end = lower
            .get(start..)
            .and_then(|rest| rest.iter().position(|&b| b == b'>'))
            .map_or(lower.len(), |p| start + p);
        let tag = lower.get(start..end).unwrap_or_default();
        if let Some(label) = charset_in(tag)
            && let Some(encoding) = Encoding::for_label(label)
        {
            return Some(encoding);
        }
        from = start + 5;
    }
    None
}

/// The value after `charset=` in a meta tag, without quotes.
fn charset_in(tag: &[u8]) -> Option<&[u8]> {
    let pos = find(tag, b"charset")?;
    let rest = tag.get(pos + b"charset".len()..)?;
    let rest = trim_ascii_start(rest);
    let rest = trim_ascii_start(rest.strip_prefix(b"=")?);
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let len = rest
        .iter()
        .position(|&b| matches!(b, b'"' | b'\'' | b';' | b'/' | b' ' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(rest.len());
    let label = rest.get(..len)?;
    (!label.is_empty()).then_some(label)
}

fn trim_ascii_start(bytes: &[u8]) -> &[u8] {
    let skip = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes.get(skip..).unwrap_or_default()
}

/// Bytes searched with a plain loop before handing over to SIMD `memchr`: most searches of the
/// markup readers end within a few bytes (the next `<` after `>`, the end of a short attribute
/// value), where setting up a SIMD search costs more than it saves.
const SHORT_SCAN: usize = 32;

/// The first position of `a` in `hay` (see [`SHORT_SCAN`]).
#[inline]
pub(crate) fn find_byte(hay: &[u8], a: u8) -> Option<usize> {
    let head = hay.get(..hay.len().min(SHORT_SCAN)).unwrap_or(hay);
    if let Some(i) = head.iter().position(|&c| c == a) {
        return Some(i);
    }
    let tail = hay.get(SHORT_SCAN..).filter(|t| !t.is_empty())?;
    memchr::memchr(a, tail).map(|i| i + SHORT_SCAN)
}

/// The first position of `a` or `b` in `hay` (see [`SHORT_SCAN`]).
#[inline]
pub(crate) fn find_byte2(hay: &[u8], a: u8, b: u8) -> Option<usize> {
    let head = hay.get(..hay.len().min(SHORT_SCAN)).unwrap_or(hay);
    if let Some(i) = head.iter().position(|&c| c == a || c == b) {
        return Some(i);
    }
    let tail = hay.get(SHORT_SCAN..).filter(|t| !t.is_empty())?;
    memchr::memchr2(a, b, tail).map(|i| i + SHORT_SCAN)
}

/// The first position of `a`, `b` or `c` in `hay` (see [`SHORT_SCAN`]).
#[inline]
pub(crate) fn find_byte3(hay: &[u8], a: u8, b: u8, c: u8) -> Option<usize> {
    let head = hay.get(..hay.len().min(SHORT_SCAN)).unwrap_or(hay);
    if let Some(i) = head.iter().position(|&x| x == a || x == b || x == c) {
        return Some(i);
    }
    let tail = hay.get(SHORT_SCAN..).filter(|t| !t.is_empty())?;
    memchr::memchr3(a, b, c, tail).map(|i| i + SHORT_SCAN)
}

/// The position of `needle` in `haystack`.
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gbk_utf8_and_boms() {
        let text = "政府信息公开工作年度报告\t348";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let decoded = decode_text(&gbk).unwrap();
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding, "gb18030");

        assert_eq!(decode_text(text.as_bytes()).unwrap().encoding, "UTF-8");

        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode_text(&bom).unwrap().text, text);

        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode_text(&utf16).unwrap();
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding, "UTF-16LE");
    }

    #[test]
    fn damaged_utf8_stays_utf8() {
        let mut bytes = "政府信息公开工作年度报告政府信息公开工作年度报告"
            .as_bytes()
            .to_vec();
        bytes.pop(); // a truncated last character
        let decoded = decode_text(&bytes).unwrap();
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.text.starts_with("政府信息公开"));
    }

    #[test]
    fn finds_meta_declarations() {
        let html = br#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>"#;
        assert_eq!(declared_html_encoding(html).map(|e| e.name()), Some("GBK"));
        let html = br#"<meta charset='UTF-8' name=viewport>"#;
        assert_eq!(
            declared_html_encoding(html).map(|e| e.name()),
            Some("UTF-8")
        );
        assert_eq!(declared_html_encoding(b"<meta charset=>"), None);
        assert_eq!(declared_html_encoding(b"<p>no meta</p>"), None);
    }

    #[test]
    fn declared_big5_wins_over_gb18030_for_invalid_utf8() {
        let text = "政府資訊公開";
        let (big5, _, _) = encoding_rs::BIG5.encode(text);
        let mut html = b"<meta charset=big5><p>".to_vec();
        html.extend_from_slice(&big5);
        assert!(decode_html(&html).unwrap().text.contains(text));
    }

    #[test]
    fn binary_is_recognised() {
        assert!(looks_binary(&[0, 1, 2, 3, b'a']));
        assert!(!looks_binary("第一行\r\n第二行\t0\x0c".as_bytes()));
    }
}
