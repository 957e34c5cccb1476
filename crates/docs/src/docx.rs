//! Word 2007+ documents (`.docx`): the main document part is streamed into a small tree of
//! paragraphs and tables, which is then turned into [`Block`]s. The streaming is a one-pass reader
//! for the markup office suites write, with quick-xml reading anything else (and deciding what is
//! damaged); namespaces are resolved as quick-xml's `NsReader` does, more cheaply.
//!
//! - A paragraph (`w:p`) outside tables gives one [`Line`] per `w:br`/`w:cr`-separated piece; `w:t`
//!   is text, `w:tab` a tab (kept: tab-aligned pseudo-tables use it as the cell separator),
//!   `w:noBreakHyphen` a hyphen. Field codes, deleted text and the VML fallback copy of text boxes
//!   are not text. Spaces at both ends are trimmed; empty lines are dropped.
//! - A table (`w:tbl`) gives a [`Table`]: `w:gridSpan` is the `col_span`; a vertical merge
//!   (`w:vMerge val="restart"` then `w:vMerge` continuation cells in the same grid column) becomes
//!   the `row_span` of the origin cell and the continuation cells are omitted, as in HTML
//!   (continuation text, which Word does not show but a converter may leave, is appended to the
//!   origin so nothing is lost); a legacy `w:hMerge` likewise widens its origin. `w:gridBefore`
//!   becomes an empty leading cell so the grid columns stay aligned. Cell text is the cell's
//!   paragraphs, each with whitespace collapsed, joined without separator.
//! - Nested tables, one-column tables and tables with a cell of prose are layout, as for HTML (see
//!   `html.rs`): their cells are read as ordinary paragraphs and the inner tables come out in
//!   reading order.
//!
//! Limits: the document part may inflate to at most [`MAX_PART_BYTES`] (zip bombs), and tables
//! nested deeper than [`MAX_TABLE_DEPTH`] are read as text (the tree is walked recursively).

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::PrefixDeclaration;
use quick_xml::{Reader, XmlVersion};

use crate::encoding::{find_byte, find_byte2, find_byte3};
use crate::html::{MAX_COL_SPAN, MAX_ROW_SPAN};
use crate::text::{collapse_whitespace, is_prose_cell};
use crate::{Block, Cell, Document, Line, ReadError, Row, SourceKind, Table};

/// The largest inflated `word/document.xml` we accept. A 300-page report is a few MB.
pub const MAX_PART_BYTES: u64 = 100 * 1024 * 1024;
/// Tables nested deeper than this are read as text of their enclosing cell.
const MAX_TABLE_DEPTH: usize = 32;

const W_NS: &[&str] = &[
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MC_NS: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// What a zip archive holds, for format detection.
pub(crate) enum ZipKind {
    Docx,
    Ofd,
    Other,
}

/// Reads a `.docx` file.
pub(crate) fn read_docx(bytes: &[u8]) -> Result<Document, ReadError> {
    let mut archive = open_zip(bytes)?;
    let part = main_part_name(&mut archive).ok_or(ReadError::NotDocx)?;
    let xml = read_part(&mut archive, &part)?;
    let body = parse_document_xml(&xml)?;
    let mut blocks = Vec::new();
    emit_nodes(body, &mut blocks);
    let mut number: u32 = 0;
    for block in &mut blocks {
        if let Block::Line(line) = block {
            number = number.saturating_add(1);
            line.number = number;
        }
    }
    Ok(Document {
        source: SourceKind::Docx,
        blocks,
    })
}

/// Classifies a zip archive by the parts it holds; a damaged zip is an error.
pub(crate) fn zip_kind(bytes: &[u8]) -> Result<ZipKind, ReadError> {
    let mut archive = open_zip(bytes)?;
    if main_part_name(&mut archive).is_some() {
        return Ok(ZipKind::Docx);
    }
    if archive
        .file_names()
        .flatten()
        .any(|n| n.eq_ignore_ascii_case("OFD.xml"))
    {
        return Ok(ZipKind::Ofd);
    }
    Ok(ZipKind::Other)
}

fn open_zip(bytes: &[u8]) -> Result<zip::ZipArchive<Cursor<&[u8]>>, ReadError> {
    zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::DocxDamaged {
        detail: format!("ZIP 结构无法解析：{e}"),
    })
}

/// The name of the main document part: the target of the package's `officeDocument`
/// relationship, else the conventional `word/document.xml`; `None` if neither exists.
fn main_part_name(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<String> {
    let from_rels =
        read_small_part(archive, "_rels/.rels").and_then(|rels| office_document_target(&rels));
    from_rels
        .into_iter()
        .chain(["word/document.xml".to_string()])
        .find(|name| archive.index_for_name(name).is_some())
}

/// Reads a small part (relationships), at most 1 MB; `None` if absent or unreadable.
fn read_small_part(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    let file = archive.by_name(name).ok()?;
    let mut text = String::new();
    file.take(1024 * 1024).read_to_string(&mut text).ok()?;
    Some(text)
}

fn office_document_target(rels: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(rels);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let kind = attr(&e, "Type").unwrap_or_default();
                if kind.ends_with("/officeDocument") {
                    let target = attr(&e, "Target")?;
                    return Some(target.trim_start_matches('/').to_string());
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// Inflates a part, refusing more than [`MAX_PART_BYTES`] whatever the zip header claims.
fn read_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<String, ReadError> {
    let file = archive.by_name(name).map_err(|e| ReadError::DocxDamaged {
        detail: format!("无法打开 {name}：{e}"),
    })?;
    if file.size() > MAX_PART_BYTES {
        return Err(ReadError::TooLarge {
            limit_mb: MAX_PART_BYTES / (1024 * 1024),
        });
    }
    let mut bytes = Vec::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::DocxDamaged {
            detail: format!("{name} 解压失败：{e}"),
        })?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_PART_BYTES {
        return Err(ReadError::TooLarge {
            limit_mb: MAX_PART_BYTES / (1024 * 1024),
        });
    }
    // The part is UTF-8 in every Word and WPS file; a UTF-16 part would carry a BOM.
    crate::encoding::decode_text(&bytes)
        .map(|d| d.text)
        .map_err(|_| ReadError::DocxDamaged {
            detail: format!("{name} 的文字编码无法识别"),
        })
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

// ---------------------------------------------------------------------------------------------
// The intermediate tree

#[derive(Debug)]
enum Node {
    /// A paragraph: its `w:br`-separated pieces.
    Para(Vec<String>),
    Table(DTable),
}

#[derive(Debug, Default)]
struct DTable {
    rows: Vec<DRow>,
}

#[derive(Debug, Default)]
struct DRow {
    grid_before: u32,
    cells: Vec<DCell>,
}

#[derive(Debug)]
struct DCell {
    content: Vec<Node>,
    grid_span: u32,
    v_merge: Merge,
    h_merge: Merge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Merge {
    None,
    Restart,
    Continue,
}

/// A container open while streaming.
enum Frame {
    Body(Vec<Node>),
    Table(DTable),
    Row(DRow),
    Cell(DCell),
}

/// What an open element did when it started, undone when it ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    Frame,
    Para,
    Run,
    Text,
    Skip,
    Ignore,
}

struct Builder {
    frames: Vec<Frame>,
    /// Open paragraphs with the frame depth they were opened at (text boxes nest paragraphs).
    paras: Vec<(Vec<String>, usize)>,
    runs: usize,
    texts: usize,
    /// Inside elements whose text is not document text (properties, field codes, deletions).
    skips: usize,
    /// Inside `mc:Fallback`: nothing there counts, not even its tables.
    ignore: usize,
    table_depth: usize,
}

impl Builder {
    /// Text would be kept now (what [`Builder::push_text`] checks).
    fn wants_text(&self) -> bool {
        self.texts > 0
            && self.runs > 0
            && self.skips == 0
            && self.ignore == 0
            && !self.paras.is_empty()
    }

    fn push_text(&mut self, text: &str) {
        if self.texts == 0 || self.runs == 0 || self.skips > 0 || self.ignore > 0 {
            return;
        }
        if let Some((pieces, _)) = self.paras.last_mut() {
            match pieces.last_mut() {
                Some(piece) => piece.push_str(text),
                None => pieces.push(text.to_string()),
            }
        }
    }

    fn push_break(&mut self) {
        if self.runs == 0 || self.skips > 0 || self.ignore > 0 {
            return;
        }
        if let Some((pieces, _)) = self.paras.last_mut() {
            if pieces.is_empty() {
                pieces.push(String::new());
            }
            pieces.push(String::new());
        }
    }

    fn push_char(&mut self, c: char) {
        if self.runs == 0 || self.skips > 0 || self.ignore > 0 {
            return;
        }
        if let Some((pieces, _)) = self.paras.last_mut() {
            match pieces.last_mut() {
                Some(piece) => piece.push(c),
                None => pieces.push(c.to_string()),
            }
        }
    }

    fn container(&mut self) -> Option<&mut Vec<Node>> {
        match self.frames.last_mut()? {
            Frame::Body(nodes) => Some(nodes),
            Frame::Cell(cell) => Some(&mut cell.content),
            Frame::Table(_) | Frame::Row(_) => None,
        }
    }

    fn end_para(&mut self) {
        let Some((pieces, depth)) = self.paras.pop() else {
            return;
        };
        // A paragraph of a text box inside another paragraph of the same container: its pieces
        // continue the outer paragraph as separate lines.
        if let Some((outer, outer_depth)) = self.paras.last_mut()
            && *outer_depth == depth
        {
            outer.push(String::new());
            outer.extend(pieces);
            outer.push(String::new());
            return;
        }
        if let Some(nodes) = self.container() {
            nodes.push(Node::Para(pieces));
        }
    }

    fn end_frame(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        match frame {
            Frame::Body(nodes) => self.frames.push(Frame::Body(nodes)),
            Frame::Table(table) => {
                self.table_depth = self.table_depth.saturating_sub(1);
                if let Some(nodes) = self.container() {
                    nodes.push(Node::Table(table));
                }
            }
            Frame::Row(row) => {
                if let Some(Frame::Table(table)) = self.frames.last_mut() {
                    table.rows.push(row);
                }
            }
            Frame::Cell(cell) => {
                if let Some(Frame::Row(row)) = self.frames.last_mut() {
                    row.cells.push(cell);
                }
            }
        }
    }
}

fn val(e: &BytesStart<'_>) -> Option<String> {
    attr(e, "val")
}

fn span_val(e: &BytesStart<'_>, max: u32) -> u32 {
    crate::html::parse_span(val(e).as_deref(), max)
}

/// A count that may be 0 (`w:gridBefore`): leading digits, clamped to `0..=max`.
fn count_val(e: &BytesStart<'_>, max: u32) -> u32 {
    let value = val(e).unwrap_or_default();
    let digits: String = value
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .take(10)
        .collect();
    digits
        .parse::<u64>()
        .map_or(0, |n| u32::try_from(n.min(u64::from(max))).unwrap_or(0))
}

fn merge_val(e: &BytesStart<'_>) -> Merge {
    match val(e).as_deref() {
        Some("restart") => Merge::Restart,
        _ => Merge::Continue,
    }
}

/// The namespace of an element name, as far as the reader cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    W,
    Mc,
    Other,
}

/// Namespace scopes, resolved as quick-xml's `NsReader` does (same bindings, same errors), but
/// only looking at the attributes of elements that declare namespaces and caching the resolution
/// of prefixes. Why: `NsReader` scans every element's attributes and searches all bindings for
/// every name — LibreOffice declares some 30 namespaces on the root — which took most of the
/// time of reading a DOCX.
struct Scopes {
    /// (prefix, "" for the default namespace; namespace; nesting level that declared it).
    bindings: Vec<(String, String, u16)>,
    level: u16,
    /// Resolved prefixes while the bindings do not change.
    cache: Vec<(String, Ns)>,
    /// The last prefix resolved (packed by [`pack_prefix`]), likewise.
    last: Option<(u64, Ns)>,
}

/// A prefix of at most 7 bytes as one number (its length in the top byte); `None` if longer.
fn pack_prefix(prefix: &str) -> Option<u64> {
    let bytes = prefix.as_bytes();
    if bytes.len() > 7 {
        return None;
    }
    let mut packed = (bytes.len() as u64) << 56;
    for (i, &b) in bytes.iter().enumerate() {
        packed |= u64::from(b) << (8 * i);
    }
    Some(packed)
}

/// quick-xml's limit of simultaneous namespace bindings.
const MAX_NAMESPACE_BINDINGS: usize = 128;
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

impl Scopes {
    fn push(&mut self, e: &BytesStart<'_>) -> Result<(), String> {
        // A namespace declaration is an attribute named `xmlns` or `xmlns:…`.
        let raw = e.attributes_raw().as_bytes();
        let mut from = 0;
        let declares = loop {
            let Some(x) = raw.get(from..).and_then(|r| find_byte(r, b'x')) else {
                break false;
            };
            if raw.get(from + x..).is_some_and(|r| r.starts_with(b"xmlns")) {
                break true;
            }
            from += x + 1;
        };
        self.push_declaring(e, declares)
    }

    /// [`Scopes::push`] when the caller knows whether the tag may declare namespaces
    /// (`declares` must be `true` if the attribute names outside quoted values hold an `x`).
    fn push_declaring(&mut self, e: &BytesStart<'_>, declares: bool) -> Result<(), String> {
        self.level = self
            .level
            .checked_add(1)
            .ok_or_else(|| "元素嵌套过深".to_string())?;
        if !declares {
            return Ok(());
        }
        for a in e.attributes().with_checks(false) {
            let Ok(a) = a else { break };
            let Some(declaration) = a.key.as_namespace_binding() else {
                continue;
            };
            let value = a.value.to_string();
            let prefix = match declaration {
                PrefixDeclaration::Default => String::new(),
                PrefixDeclaration::Named("xml") => {
                    if value != XML_NS {
                        return Err(format!("xml 前缀被绑定到 {value}"));
                    }
                    continue;
                }
                PrefixDeclaration::Named("xmlns") => {
                    return Err("xmlns 前缀被重新绑定".to_string());
                }
                PrefixDeclaration::Named(p) => {
                    if value == XML_NS || value == XMLNS_NS {
                        return Err(format!("前缀 {p} 被绑定到保留的命名空间"));
                    }
                    p.to_string()
                }
            };
            if self.bindings.len() >= MAX_NAMESPACE_BINDINGS {
                return Err("命名空间声明过多".to_string());
            }
            self.bindings.push((prefix, value, self.level));
            self.cache.clear();
            self.last = None;
        }
        Ok(())
    }

    fn pop(&mut self) {
        self.level = self.level.saturating_sub(1);
        // Bindings are in order of level: the scope's own ones are at the end.
        while self
            .bindings
            .last()
            .is_some_and(|&(_, _, l)| l > self.level)
        {
            self.bindings.pop();
            self.cache.clear();
            self.last = None;
        }
    }

    fn resolve(&mut self, name: &str) -> Ns {
        let prefix = name
            .bytes()
            .position(|c| c == b':')
            .and_then(|i| name.get(..i))
            .unwrap_or_default();
        // Nearly every name has the prefix of the one before ("w"): compared as a number.
        let packed = pack_prefix(prefix);
        if let Some((last, ns)) = self.last
            && packed == Some(last)
        {
            return ns;
        }
        if let Some(&(_, ns)) = self.cache.iter().find(|(p, _)| p == prefix) {
            if let Some(p) = packed {
                self.last = Some((p, ns));
            }
            return ns;
        }
        // The nearest binding of the prefix; an empty namespace (`xmlns:p=""`) unbinds it.
        let uri = self
            .bindings
            .iter()
            .rev()
            .find(|(p, _, _)| p == prefix)
            .map(|(_, uri, _)| uri.as_str())
            .unwrap_or_default();
        let ns = if W_NS.contains(&uri) {
            Ns::W
        } else if uri == MC_NS {
            Ns::Mc
        } else {
            Ns::Other
        };
        self.cache.push((prefix.to_string(), ns));
        if let Some(p) = packed {
            self.last = Some((p, ns));
        }
        ns
    }
}

/// A character or entity reference in text: the five predefined entities and numeric references;
/// others (and invalid numbers) are dropped.
fn general_ref(b: &mut Builder, r: &quick_xml::events::BytesRef<'_>) {
    let c = match r.resolve_char_ref() {
        Ok(Some(c)) => Some(c),
        Ok(None) => match &**r {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => None,
        },
        Err(_) => None,
    };
    if let Some(c) = c {
        b.push_text(c.encode_utf8(&mut [0u8; 4]));
    }
}

fn new_builder() -> Builder {
    Builder {
        frames: vec![Frame::Body(Vec::new())],
        paras: Vec::new(),
        runs: 0,
        texts: 0,
        skips: 0,
        ignore: 0,
        table_depth: 0,
    }
}

/// Streams `word/document.xml` into the intermediate tree (the body's nodes).
///
/// A well-formed part in the usual shape is read by [`fast_document_xml`]; anything else (and
/// every error) goes through quick-xml, whose checks decide what is damaged.
fn parse_document_xml(xml: &str) -> Result<Vec<Node>, ReadError> {
    if let Some(nodes) = fast_document_xml(xml) {
        return Ok(nodes);
    }
    quick_xml_document(xml)
}

fn body_nodes(mut b: Builder) -> Vec<Node> {
    match b.frames.pop() {
        Some(Frame::Body(nodes)) => nodes,
        _ => Vec::new(),
    }
}

/// XML white space, as quick-xml splits names from attributes.
fn is_xml_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// A one-pass reading of the document part that feeds [`Builder`] exactly the events quick-xml
/// would, for the markup Word, WPS and LibreOffice write: elements, attributes, text, character
/// references, comments, CDATA, the XML declaration. Text outside `w:t` runs is skipped
/// without being looked at. Why: quick-xml validates and slices every event, and document.xml
/// is mostly properties, some 20 bytes of markup per byte of text. `None` (read it with
/// quick-xml) on anything unusual or ill-formed.
fn fast_document_xml(xml: &str) -> Option<Vec<Node>> {
    let s = xml.as_bytes();
    let mut b = new_builder();
    let mut scopes = Scopes {
        bindings: Vec::new(),
        level: 0,
        cache: Vec::new(),
        last: None,
    };
    // Open elements: what to undo at the end tag, and the name the end tag must repeat.
    let mut open: Vec<(Open, &str)> = Vec::new();
    let mut i = 0usize;
    loop {
        let rest = s.get(i..)?;
        let Some(at) = find_byte2(rest, b'<', b'&') else {
            if !rest.is_empty() && b.wants_text() {
                let text = quick_xml::events::BytesText::from_escaped(xml.get(i..)?);
                b.push_text(&text.xml10_content());
            }
            break;
        };
        if at > 0 && b.wants_text() {
            let text = quick_xml::events::BytesText::from_escaped(xml.get(i..i + at)?);
            b.push_text(&text.xml10_content());
        }
        i += at;
        let rest = s.get(i..)?;
        if rest.first() == Some(&b'&') {
            // Up to ';', unless another reference or markup comes first (an error for quick-xml).
            let end = find_byte3(rest.get(1..)?, b';', b'&', b'<')? + 1;
            if rest.get(end) != Some(&b';') {
                return None;
            }
            if b.wants_text() {
                let r = quick_xml::events::BytesRef::new(xml.get(i + 1..i + end)?);
                general_ref(&mut b, &r);
            }
            i += end + 1;
            continue;
        }
        match rest.get(1)? {
            b'/' => {
                let end = find_byte(rest, b'>')?;
                let name = xml
                    .get(i + 2..i + end)?
                    .trim_end_matches([' ', '\t', '\r', '\n']);
                let (action, open_name) = open.pop()?;
                if name != open_name {
                    return None;
                }
                end_element(&mut b, action);
                scopes.pop();
                i += end + 1;
            }
            b'!' => {
                if rest.starts_with(b"<!-->") || rest.starts_with(b"<!--->") {
                    // Degenerate comments: left to quick-xml's rules.
                    return None;
                } else if rest.starts_with(b"<!--") {
                    let end = memchr::memmem::find(rest.get(4..)?, b"-->")? + 4;
                    i += end + 3;
                } else if rest.starts_with(b"<![CDATA[") {
                    let end = memchr::memmem::find(rest.get(9..)?, b"]]>")? + 9;
                    b.push_text(xml.get(i + 9..i + end)?);
                    i += end + 3;
                } else {
                    return None;
                }
            }
            b'?' => {
                let end = memchr::memmem::find(rest, b"?>")?;
                if end < 2 {
                    return None;
                }
                i += end + 2;
            }
            _ => {
                // The tag ends at the first '>' outside quoted attribute values. Namespace
                // declarations are attribute names, outside the values too: an `x` there
                // means the attributes must be looked at (see `Scopes::push_declaring`).
                let mut j = 1;
                let mut maybe_declares = false;
                loop {
                    let k = j + find_byte3(rest.get(j..)?, b'>', b'"', b'\'')?;
                    maybe_declares |= find_byte(rest.get(j..k)?, b'x').is_some();
                    match rest.get(k)? {
                        b'>' => {
                            j = k;
                            break;
                        }
                        &q => j = k + 1 + find_byte(rest.get(k + 1..)?, q)? + 1,
                    }
                }
                let mut content = xml.get(i + 1..i + j)?;
                let empty = content.ends_with('/');
                if empty {
                    content = content.get(..content.len() - 1)?;
                }
                let name_len = content
                    .bytes()
                    .position(is_xml_space)
                    .unwrap_or(content.len());
                if name_len == 0 {
                    return None;
                }
                let e = BytesStart::from_content(content, name_len);
                scopes.push_declaring(&e, maybe_declares).ok()?;
                let ns = scopes.resolve(content.get(..name_len)?);
                let action = start_element(&mut b, &e, ns == Ns::W, ns == Ns::Mc);
                if empty {
                    end_element(&mut b, action);
                    scopes.pop();
                } else {
                    open.push((action, content.get(..name_len)?));
                }
                i += j + 1;
            }
        }
    }
    if !open.is_empty() {
        return None;
    }
    Some(body_nodes(b))
}

/// [`parse_document_xml`] with quick-xml's reader.
fn quick_xml_document(xml: &str) -> Result<Vec<Node>, ReadError> {
    let mut reader = Reader::from_str(xml);
    let mut scopes = Scopes {
        bindings: Vec::new(),
        level: 0,
        cache: Vec::new(),
        last: None,
    };
    // As NsReader: the scope of an empty element or an end tag ends before the next event.
    let mut pending_pop = false;
    let mut b = new_builder();
    // One entry per open element: what to undo at its end tag. Well-formedness is checked by
    // quick-xml, so every end tag matches the last start.
    let mut open: Vec<Open> = Vec::new();
    loop {
        if pending_pop {
            scopes.pop();
            pending_pop = false;
        }
        let damaged = |e: &dyn std::fmt::Display| ReadError::DocxDamaged {
            detail: format!("document.xml 不是完整的 XML：{e}"),
        };
        let event = reader.read_event().map_err(|e| damaged(&e))?;
        match event {
            Event::Start(e) => {
                scopes.push(&e).map_err(|e| damaged(&e))?;
                let ns = scopes.resolve(e.name().as_ref());
                let action = start_element(&mut b, &e, ns == Ns::W, ns == Ns::Mc);
                open.push(action);
            }
            Event::Empty(e) => {
                scopes.push(&e).map_err(|e| damaged(&e))?;
                pending_pop = true;
                let ns = scopes.resolve(e.name().as_ref());
                let action = start_element(&mut b, &e, ns == Ns::W, ns == Ns::Mc);
                end_element(&mut b, action);
            }
            Event::End(_) => {
                pending_pop = true;
                if let Some(action) = open.pop() {
                    end_element(&mut b, action);
                }
            }
            Event::Text(t) => b.push_text(&t.xml10_content()),
            Event::CData(t) => b.push_text(&t.into_inner()),
            Event::GeneralRef(r) => general_ref(&mut b, &r),
            Event::Eof => {
                // Word refuses a part that ends inside the body; reading half a report would
                // make the auditor report missing tables that are in fact cut off.
                if !open.is_empty() {
                    return Err(ReadError::DocxDamaged {
                        detail: "document.xml 在文档结束前中断".to_string(),
                    });
                }
                break;
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    Ok(body_nodes(b))
}

/// The local part of an element name (after the first ':'), as `QName::local_name` gives it,
/// by a byte loop: quick-xml's `str::find` costs more than the rest of handling the element.
fn local_part(name: &str) -> &str {
    match name.bytes().position(|c| c == b':') {
        Some(i) => name.get(i + 1..).unwrap_or_default(),
        None => name,
    }
}

fn start_element(b: &mut Builder, e: &BytesStart<'_>, is_w: bool, is_mc: bool) -> Open {
    let name = e.name();
    let local = local_part(name.as_ref());
    if is_mc && local == "Fallback" {
        // The fallback copy of what mc:Choice already holds (VML text boxes): read once only.
        b.ignore += 1;
        return Open::Ignore;
    }
    if !is_w || b.ignore > 0 {
        return Open::Nothing;
    }
    match local {
        "p" => {
            b.paras.push((Vec::new(), b.frames.len()));
            Open::Para
        }
        "r" => {
            b.runs += 1;
            Open::Run
        }
        "t" => {
            b.texts += 1;
            Open::Text
        }
        "tab" | "ptab" => {
            // In a run a tab character; in paragraph properties (skipped) a tab stop.
            b.push_char('\t');
            Open::Nothing
        }
        "br" | "cr" => {
            b.push_break();
            Open::Nothing
        }
        "noBreakHyphen" => {
            b.push_char('-');
            Open::Nothing
        }
        "delText" | "instrText" | "delInstrText" | "pPr" | "rPr" => {
            b.skips += 1;
            Open::Skip
        }
        // Self-closing elements come here too and are ended right away, so an empty `<w:tc/>`
        // still counts as a grid column.
        "tbl" if b.table_depth < MAX_TABLE_DEPTH => {
            b.table_depth += 1;
            b.frames.push(Frame::Table(DTable::default()));
            Open::Frame
        }
        "tr" if matches!(b.frames.last(), Some(Frame::Table(_))) => {
            b.frames.push(Frame::Row(DRow::default()));
            Open::Frame
        }
        "tc" if matches!(b.frames.last(), Some(Frame::Row(_))) => {
            b.frames.push(Frame::Cell(DCell {
                content: Vec::new(),
                grid_span: 1,
                v_merge: Merge::None,
                h_merge: Merge::None,
            }));
            Open::Frame
        }
        "gridSpan" => {
            if let Some(Frame::Cell(cell)) = b.frames.last_mut() {
                cell.grid_span = span_val(e, MAX_COL_SPAN);
            }
            Open::Nothing
        }
        "vMerge" => {
            if let Some(Frame::Cell(cell)) = b.frames.last_mut() {
                cell.v_merge = merge_val(e);
            }
            Open::Nothing
        }
        "hMerge" => {
            if let Some(Frame::Cell(cell)) = b.frames.last_mut() {
                cell.h_merge = merge_val(e);
            }
            Open::Nothing
        }
        "gridBefore" => {
            if let Some(Frame::Row(row)) = b.frames.last_mut() {
                row.grid_before = count_val(e, MAX_COL_SPAN);
            }
            Open::Nothing
        }
        _ => Open::Nothing,
    }
}

fn end_element(b: &mut Builder, action: Open) {
    match action {
        Open::Nothing => {}
        Open::Frame => {
            // Paragraphs still open inside a cell that ends (malformed nesting) end with it.
            while b
                .paras
                .last()
                .is_some_and(|(_, depth)| *depth >= b.frames.len())
            {
                b.end_para();
            }
            b.end_frame();
        }
        Open::Para => b.end_para(),
        Open::Run => b.runs = b.runs.saturating_sub(1),
        Open::Text => b.texts = b.texts.saturating_sub(1),
        Open::Skip => b.skips = b.skips.saturating_sub(1),
        Open::Ignore => b.ignore = b.ignore.saturating_sub(1),
    }
}

// ---------------------------------------------------------------------------------------------
// From the tree to blocks

fn emit_nodes(nodes: Vec<Node>, blocks: &mut Vec<Block>) {
    for node in nodes {
        match node {
            Node::Para(pieces) => {
                for piece in pieces {
                    let text = piece.trim_matches(|c: char| c != '\t' && crate::text::is_space(c));
                    if !text.trim().is_empty() {
                        blocks.push(Block::Line(Line {
                            text: text.to_string(),
                            page: None,
                            number: 0,
                        }));
                    }
                }
            }
            Node::Table(table) => emit_table(table, blocks),
        }
    }
}

fn emit_table(table: DTable, blocks: &mut Vec<Block>) {
    let nested = table.rows.iter().any(|r| {
        r.cells
            .iter()
            .any(|c| c.content.iter().any(|n| matches!(n, Node::Table(_))))
    });
    let one_column = table.rows.iter().all(|r| r.cells.len() <= 1);
    let prose = table
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .any(|c| is_prose_cell(&cell_paragraphs(&c.content)));
    if nested || one_column || prose {
        for row in table.rows {
            for cell in row.cells {
                emit_nodes(cell.content, blocks);
            }
        }
        return;
    }
    blocks.push(Block::Table(data_table(table)));
}

/// A cell's paragraph pieces, each collapsed; the cell text is their concatenation without
/// separator.
fn cell_paragraphs(content: &[Node]) -> Vec<String> {
    content
        .iter()
        .filter_map(|node| match node {
            Node::Para(pieces) => Some(pieces),
            Node::Table(_) => None,
        })
        .flatten()
        .map(|piece| collapse_whitespace(piece))
        .collect()
}

fn cell_text(content: &[Node]) -> String {
    cell_paragraphs(content).concat()
}

fn data_table(table: DTable) -> Table {
    let mut rows: Vec<Row> = Vec::with_capacity(table.rows.len());
    // Vertical merges still open: grid column → (row index, cell index) of the origin cell.
    let mut open: Vec<(u32, usize, usize)> = Vec::new();
    for drow in table.rows {
        let row_index = rows.len();
        let mut row = Row::default();
        let mut col: u32 = 0;
        let mut still_open: Vec<(u32, usize, usize)> = Vec::new();
        if drow.grid_before > 0 {
            row.cells.push(Cell {
                text: String::new(),
                col_span: drow.grid_before,
                row_span: 1,
            });
            col = drow.grid_before;
        }
        for dcell in drow.cells {
            let start = col;
            let span = dcell.grid_span.max(1);
            col = col.saturating_add(span);
            let text = cell_text(&dcell.content);

            if dcell.h_merge == Merge::Continue
                && let Some(prev) = row.cells.last_mut()
            {
                prev.col_span = prev.col_span.saturating_add(span).min(MAX_COL_SPAN);
                prev.text.push_str(&text);
                continue;
            }
            if dcell.v_merge == Merge::Continue
                && let Some(&(_, r, c)) = open.iter().find(|(s, _, _)| *s == start)
                && let Some(origin) = rows.get_mut(r).and_then(|row| row.cells.get_mut(c))
                && origin.row_span < MAX_ROW_SPAN
            {
                origin.row_span += 1;
                origin.text.push_str(&text);
                still_open.push((start, r, c));
                continue;
            }
            if dcell.v_merge == Merge::Restart {
                still_open.push((start, row_index, row.cells.len()));
            }
            row.cells.push(Cell {
                text,
                col_span: span,
                row_span: 1,
            });
        }
        // A merge not continued in this row is over.
        open = still_open;
        rows.push(row);
    }
    Table { rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn blocks(body: &str) -> Vec<Block> {
        let xml = format!("<w:document {NS}><w:body>{body}</w:body></w:document>");
        let nodes = parse_document_xml(&xml).unwrap();
        let mut out = Vec::new();
        emit_nodes(nodes, &mut out);
        out
    }

    fn tc(props: &str, text: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
    }

    #[test]
    fn paragraphs_tabs_and_breaks() {
        let b = blocks(
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>\
             <w:r><w:t xml:space=\"preserve\"> 规章 </w:t><w:tab/><w:t>0</w:t><w:br/><w:t>A&amp;B</w:t></w:r>\
             <w:r><w:instrText> PAGE </w:instrText><w:delText>删掉的</w:delText></w:r></w:p>\
             <w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p>",
        );
        let texts: Vec<&str> = b
            .iter()
            .filter_map(|b| match b {
                Block::Line(l) => Some(l.text.as_str()),
                Block::Table(_) => None,
            })
            .collect();
        assert_eq!(texts, vec!["规章 \t0", "A&B"]);
    }

    #[test]
    fn merges_become_spans() {
        let body = format!(
            "<w:tbl><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            tc("<w:vMerge w:val=\"restart\"/>", "三、本年度办理结果"),
            tc("", "（一）予以公开"),
            tc("", "1"),
            tc("<w:vMerge/>", ""),
            tc("", "（二）部分公开"),
            tc("", "2"),
            tc("<w:gridSpan w:val=\"2\"/>", "四、结转"),
            tc("", "0"),
        );
        let b = blocks(&body);
        let [Block::Table(table)] = b.as_slice() else {
            panic!("one table expected: {b:?}");
        };
        assert_eq!(table.rows[0].cells[0].row_span, 2);
        assert_eq!(table.rows[1].cells.len(), 2);
        assert_eq!(table.rows[2].cells[0].col_span, 2);
        assert_eq!(
            table.text_grid(),
            vec![
                vec![
                    Some("三、本年度办理结果"),
                    Some("（一）予以公开"),
                    Some("1")
                ],
                vec![None, Some("（二）部分公开"), Some("2")],
                vec![Some("四、结转"), None, Some("0")],
            ]
        );
    }

    #[test]
    fn cell_paragraphs_join_without_separator() {
        let body = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>（二）部分公开（区分处理的，</w:t></w:r></w:p>\
                    <w:p><w:r><w:t>只计这一情形，不计其他情形）</w:t></w:r></w:p></w:tc>\
                    <w:tc><w:p><w:r><w:t>0</w:t></w:r></w:p></w:tc></w:tr></w:tbl>";
        let b = blocks(body);
        let [Block::Table(table)] = b.as_slice() else {
            panic!("one table expected: {b:?}");
        };
        assert_eq!(
            table.rows[0].cells[0].text,
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
        );
    }

    #[test]
    fn fallback_text_is_read_once() {
        let b = blocks(
            "<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p>\
             </w:txbxContent></mc:Choice><mc:Fallback><w:p><w:r><w:t>框</w:t></w:r></w:p></mc:Fallback>\
             </mc:AlternateContent></w:r><w:r><w:t>正文</w:t></w:r></w:p>",
        );
        let texts: Vec<&str> = b
            .iter()
            .filter_map(|b| match b {
                Block::Line(l) => Some(l.text.as_str()),
                Block::Table(_) => None,
            })
            .collect();
        assert_eq!(texts, vec!["框", "正文"]);
    }

    #[test]
    fn fallback_tables_and_property_tabs_are_ignored() {
        let b = blocks(
            "<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent>\
             <w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr><w:r><w:t>框</w:t></w:r></w:p>\
             </w:txbxContent></mc:Choice><mc:Fallback><w:tbl><w:tr><w:tc><w:p><w:r><w:t>副本</w:t></w:r></w:p></w:tc><w:tc/></w:tr></w:tbl></mc:Fallback>\
             </mc:AlternateContent></w:r></w:p>\
             <w:tbl><w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr><w:tc><w:p/></w:tc><w:tc/></w:tr>\
             <w:tr><w:tc/><w:tc/><w:tc/></w:tr></w:tbl>",
        );
        assert_eq!(b.len(), 2, "{b:?}");
        assert!(matches!(&b[0], Block::Line(l) if l.text == "框"));
        let Block::Table(table) = &b[1] else {
            panic!("a table expected: {b:?}");
        };
        assert_eq!(table.rows[0].cells.len(), 3);
        assert_eq!(table.rows[0].cells[0].col_span, 1);
        assert_eq!(table.width(), 3);
    }

    #[test]
    fn malformed_xml_is_an_error() {
        assert!(parse_document_xml("<w:document><w:body><w:p></w:body>").is_err());
    }

    /// Namespace classification of every element (and whether reading fails), the way
    /// quick-xml's `NsReader` resolves them and the way [`Scopes`] does.
    fn classify_both(xml: &str) -> (Result<Vec<Ns>, ()>, Result<Vec<Ns>, ()>) {
        use quick_xml::NsReader;
        use quick_xml::name::ResolveResult;
        let kind = |ns: ResolveResult<'_>| match ns {
            ResolveResult::Bound(n) if W_NS.contains(&n.as_ref()) => Ns::W,
            ResolveResult::Bound(n) if n.as_ref() == MC_NS => Ns::Mc,
            _ => Ns::Other,
        };
        let mut reference = Vec::new();
        let mut reader = NsReader::from_str(xml);
        let reference = loop {
            match reader.read_resolved_event() {
                Ok((ns, Event::Start(_) | Event::Empty(_))) => reference.push(kind(ns)),
                Ok((_, Event::Eof)) => break Ok(reference),
                Ok(_) => {}
                Err(_) => break Err(()),
            }
        };
        let mut ours = Vec::new();
        let mut reader = Reader::from_str(xml);
        let mut scopes = Scopes {
            bindings: Vec::new(),
            level: 0,
            cache: Vec::new(),
            last: None,
        };
        let mut pending_pop = false;
        let ours = loop {
            if pending_pop {
                scopes.pop();
                pending_pop = false;
            }
            match reader.read_event() {
                Ok(Event::Start(e)) => {
                    if scopes.push(&e).is_err() {
                        break Err(());
                    }
                    ours.push(scopes.resolve(e.name().as_ref()));
                }
                Ok(Event::Empty(e)) => {
                    if scopes.push(&e).is_err() {
                        break Err(());
                    }
                    pending_pop = true;
                    ours.push(scopes.resolve(e.name().as_ref()));
                }
                Ok(Event::End(_)) => pending_pop = true,
                Ok(Event::Eof) => break Ok(ours),
                Ok(_) => {}
                Err(_) => break Err(()),
            }
        };
        (reference, ours)
    }

    #[test]
    fn namespaces_resolve_as_ns_reader_does() {
        let w = W_NS[0];
        let cases = [
            format!("<w:document {NS}><w:body><w:p/></w:body></w:document>"),
            format!("<document xmlns=\"{w}\"><body><p xmlns=\"\"/><w:p/></body></document>"),
            format!("<a:x xmlns:a=\"{w}\"><a:y xmlns:a=\"{MC_NS}\"/><a:z/></a:x>"),
            format!("<a:x xmlns:a=\"{w}\"><a:y xmlns:a=\"\"><a:q/></a:y><a:z/></a:x>"),
            "<x xmlns:xml=\"http://www.w3.org/XML/1998/namespace\"/>".to_string(),
            "<x xmlns:xml=\"urn:other\"/>".to_string(),
            "<x xmlns:xmlns=\"urn:other\"/>".to_string(),
            "<x xmlns:p=\"http://www.w3.org/2000/xmlns/\"/>".to_string(),
            format!("<x xmlns:w='{w}' w:a='1' xmlns:w2=\"{w}\"><w2:p/><w:p/></x>"),
            format!("<x xmlnsfoo='1' xmlns:w=\"{w}\"><w:p/></x>"),
            format!("<x a=1 xmlns:w=\"{w}\"><w:p/></x>"),
            (0..130)
                .map(|i| format!("<x xmlns:p{i}=\"urn:{i}\">"))
                .collect::<String>(),
        ];
        for xml in &cases {
            let (reference, ours) = classify_both(xml);
            assert_eq!(reference, ours, "{xml}");
        }
        // Mutations of the corpus part.
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus/pingtan-shiyanqu-2021-word.docx");
        let Ok(bytes) = std::fs::read(path) else {
            return;
        };
        let mut archive = open_zip(&bytes).unwrap();
        let xml = read_part(&mut archive, "word/document.xml").unwrap();
        let tokens = [
            format!(" xmlns:w=\"{w}\""),
            format!(" xmlns=\"{w}\""),
            " xmlns:w=\"\"".to_string(),
            format!(" xmlns:mc=\"{MC_NS}\""),
            " xmlns:mc=\"urn:x\"".to_string(),
            " xmlns=\"\"".to_string(),
            "<p>".to_string(),
            "</p>".to_string(),
            "<w:p/>".to_string(),
        ];
        let mut rng = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..300 {
            let mut doc = xml.clone();
            for _ in 0..4 {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let token = &tokens[(rng % tokens.len() as u64) as usize];
                // Attributes go right after an element name, elements anywhere between tags.
                let spots: Vec<usize> = if token.starts_with(' ') {
                    doc.match_indices("<w:").map(|(i, _)| i + 3).collect()
                } else {
                    doc.match_indices('>').map(|(i, _)| i + 1).collect()
                };
                if spots.is_empty() {
                    continue;
                }
                let mut at = spots[((rng >> 8) % spots.len() as u64) as usize];
                if token.starts_with(' ') {
                    at += doc[at..].find([' ', '>', '/']).unwrap_or(0);
                }
                doc.insert_str(at, token);
            }
            let (reference, ours) = classify_both(&doc);
            assert_eq!(reference, ours);
        }
    }

    fn blocks_of(nodes: Vec<Node>) -> Vec<Block> {
        let mut out = Vec::new();
        emit_nodes(nodes, &mut out);
        out
    }

    /// Whenever the one-pass reader reads a part, quick-xml reads the same blocks from it.
    #[test]
    fn fast_reader_matches_quick_xml() {
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus/pingtan-shiyanqu-2021-word.docx");
        let Ok(bytes) = std::fs::read(path) else {
            return;
        };
        let mut archive = open_zip(&bytes).unwrap();
        let xml = read_part(&mut archive, "word/document.xml").unwrap();
        let fast = fast_document_xml(&xml).expect("the corpus part takes the fast path");
        assert_eq!(
            blocks_of(fast),
            blocks_of(quick_xml_document(&xml).unwrap())
        );
        let tokens = [
            "<w:tbl>",
            "</w:tbl>",
            "<w:tr>",
            "</w:tr>",
            "<w:tc>",
            "</w:tc>",
            "<w:tc/>",
            "<w:vMerge/>",
            "<w:vMerge w:val=\"restart\"/>",
            "<w:gridSpan w:val=\"3\"/>",
            "<w:br/>",
            "<w:tab/>",
            "&amp;",
            "&#0;",
            "&#x4e2d;",
            "&bogus;",
            "&",
            "&#;",
            "<![CDATA[x]]>",
            "<w:p>",
            "</w:p>",
            "<w:r><w:t>",
            "</w:t></w:r>",
            "<w:t>a\r\nb</w:t>",
            "<mc:Fallback>",
            "</mc:Fallback>",
            "<w:txbxContent>",
            "<!-- c -->",
            "<!-->",
            "<?pi x?>",
            "<?>",
            "<!DOCTYPE x>",
            "< w:p>",
            "<>",
            "</>",
            "<w:p a='>'>",
            "</w:p >",
            "\r",
            "<",
            "<w:t xml:space=\"preserve\"> x </w:t>",
            "<w:delText>d</w:delText>",
        ];
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let (mut same, mut declined) = (0, 0);
        for _ in 0..400 {
            let mut doc = xml.clone();
            for _ in 0..1 + next() % 6 {
                let mut at = (next() % (doc.len() as u64 + 1)) as usize;
                while !doc.is_char_boundary(at) {
                    at -= 1;
                }
                match next() % 3 {
                    0 | 1 => doc.insert_str(at, tokens[(next() % tokens.len() as u64) as usize]),
                    _ => {
                        let mut end = (at + (next() % 200) as usize).min(doc.len());
                        while !doc.is_char_boundary(end) {
                            end -= 1;
                        }
                        doc.replace_range(at..end, "");
                    }
                }
            }
            match fast_document_xml(&doc) {
                Some(fast) => {
                    let reference = quick_xml_document(&doc).unwrap_or_else(|e| {
                        panic!("quick-xml fails where the fast path reads: {e}")
                    });
                    assert_eq!(blocks_of(fast), blocks_of(reference));
                    same += 1;
                }
                None => declined += 1,
            }
        }
        assert!(same > 20, "{same} same, {declined} declined");
    }
}
