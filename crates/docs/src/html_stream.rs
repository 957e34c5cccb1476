//! The fast path of the HTML reader: one pass over the text with a tolerant tokenizer and a small
//! model of html5ever's tree construction, producing exactly the blocks that walking html5ever's
//! tree produces (see `html.rs` for what comes out and why).
//!
//! Why: building the whole DOM of a 300 KB government page costs milliseconds, and the auditor
//! must read a thousand pages a second. The model keeps only what the output depends on: the stack
//! of open elements (for end-tag matching, scopes and implied ends), which elements are hidden or
//! skipped, where block boundaries fall, and the rows and cells of the innermost open table.
//!
//! Whenever the page does something whose effect on the tree is not modelled exactly (foster
//! parenting of text or elements inside tables, the adoption agency for misnested formatting
//! elements, foreign content, templates, framesets, entities outside a small known set, very deep
//! nesting, …) [`stream_blocks`] returns `None` and the caller parses with html5ever instead, so
//! the output is always the html5ever one; the fast path only covers pages where it is exact.

use crate::encoding::{find_byte, find_byte2};
use crate::html::{MAX_COL_SPAN, MAX_ROW_SPAN, parse_span};
use crate::text::{collapse_whitespace, is_prose_cell};
use crate::{Block, Cell, Line, Row, Table};

/// Deeper stacks of open elements are left to html5ever: scope searches walk the stack, and a
/// bound keeps them linear overall.
const MAX_DEPTH: usize = 2048;

/// Gives up on the fast path (the caller falls back to html5ever).
struct Bail;

type Step<T = ()> = Result<T, Bail>;

/// Declines the page; in test builds, says where (to see which constructs send pages to the tree).
#[track_caller]
fn bail() -> Bail {
    #[cfg(test)]
    if std::env::var_os("GONGKAI_HTML_BAIL").is_some() {
        eprintln!("declined at {}", std::panic::Location::caller());
    }
    Bail
}

/// A tag name: lowercased copy of short names (all the names the model knows are short), plus
/// the source for comparing long unknown names.
#[derive(Clone, Copy)]
struct Name<'a> {
    /// The lowercased copy, filled only for names written with capitals.
    low: [u8; 16],
    /// `src` has capitals (and is short): the name is `low`.
    lowered: bool,
    src: &'a [u8],
    /// The categories of the name (`F_*`), classified once: the stack is searched by them.
    flags: u16,
}

const F_BLOCK: u16 = 1;
const F_SKIPPED: u16 = 1 << 1;
const F_SPECIAL: u16 = 1 << 2;
const F_FORMATTING: u16 = 1 << 3;
const F_IMPLIED_END: u16 = 1 << 4;
const F_HEADING: u16 = 1 << 5;
const F_CLOSES_P: u16 = 1 << 6;
/// A boundary of the default scope (and so of the list item and button scopes).
const F_SCOPE: u16 = 1 << 7;

impl<'a> Name<'a> {
    fn new(src: &'a [u8]) -> Self {
        // Most pages write tags in lower case: then the source is the name, and nothing is
        // copied (filling the array byte by byte and reading it back whole stalls the CPU).
        let mut low = [0u8; 16];
        let lowered = src.len() <= 16 && src.iter().any(u8::is_ascii_uppercase);
        if lowered {
            for (d, s) in low.iter_mut().zip(src) {
                *d = s.to_ascii_lowercase();
            }
        }
        let mut name = Name {
            low,
            lowered,
            src,
            flags: 0,
        };
        let n = name.get();
        let flags = [
            (is_block(n), F_BLOCK),
            (is_skipped(n), F_SKIPPED),
            (is_special(n), F_SPECIAL),
            (is_formatting(n), F_FORMATTING),
            (implied_end(n), F_IMPLIED_END),
            (is_heading(n), F_HEADING),
            (closes_p(n), F_CLOSES_P),
            (scope_boundary(n, Scope::Default), F_SCOPE),
        ]
        .iter()
        .filter(|(yes, _)| *yes)
        .fold(0, |acc, (_, flag)| acc | flag);
        name.flags = flags;
        name
    }

    fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }

    /// A boundary of `scope` (see [`scope_boundary`]).
    fn bounds(&self, scope: Scope) -> bool {
        match scope {
            Scope::Default => self.has(F_SCOPE),
            Scope::ListItem | Scope::Button | Scope::Table => scope_boundary(self.get(), scope),
        }
    }

    /// The lowercased name; long names give a value no known name matches.
    fn get(&self) -> &[u8] {
        if self.src.len() > 16 {
            b"\xFF"
        } else if self.lowered {
            self.low.get(..self.src.len()).unwrap_or_default()
        } else {
            self.src
        }
    }

    fn same(&self, other: &Name<'_>) -> bool {
        self.src.eq_ignore_ascii_case(other.src)
    }

    fn is(&self, name: &[u8]) -> bool {
        self.get() == name
    }
}

/// One open element.
struct Entry<'a> {
    name: Name<'a>,
    /// 1 if the element is hidden or skipped (its content is not text), else 0.
    hide: u32,
    /// A `<form>` removed from the stack while this element (its child) stayed open: the form's
    /// hide weight, and its end (a block boundary) comes when this element closes.
    ghost: Option<u32>,
    /// Identity, for the form element pointer.
    id: u32,
    /// A hidden formatting element (`<em style="display:none">`): html5ever recreates a formatting
    /// element that a block end closes at the next text, hiding that text too; only its own end
    /// tag, the end of its cell or the end of input close it here.
    hidden_formatting: bool,
}

/// The innermost open tables' rows and cells, to decide at `</table>` whether it is data.
struct TableRec {
    /// The table's walk reached it (it is not inside hidden content): it is decided and emitted.
    walked: bool,
    /// Index in the output where the table's own lines begin.
    start_block: usize,
    nested: bool,
    prose: bool,
    rows: Vec<Row>,
    /// The current `<tr>` is a row of the table (not hidden).
    in_row: bool,
    cell: Option<CellRec>,
    captions: Vec<String>,
    caption_start: Option<usize>,
}

struct CellRec {
    col_span: u32,
    row_span: u32,
    /// The hidden count outside the cell: text is cell text while the count equals it.
    hidden_base: u32,
    raw: String,
    paragraphs: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Body,
    Table,
    TableBody,
    Row,
    Cell,
    Caption,
    ColGroup,
}

/// The attributes the output depends on.
#[derive(Default)]
struct Attrs<'a> {
    hidden: bool,
    /// The first `style` attribute as written; whether it hides is decided by
    /// [`Builder::style_hides`].
    style: Option<&'a str>,
    /// `colspan` and `rowspan` as written (decoded for cells only).
    colspan: Option<&'a str>,
    rowspan: Option<&'a str>,
    input_hidden: bool,
    seen_style: bool,
    seen_type: bool,
}

struct Tag<'a> {
    name: Name<'a>,
    attrs: Attrs<'a>,
}

struct Builder<'a> {
    stack: Vec<Entry<'a>>,
    /// Stack indices of the elements that set the insertion mode (table parts, cells, captions).
    modes: Vec<(usize, Mode)>,
    hidden: u32,
    raw: String,
    blocks: Vec<Block>,
    tables: Vec<TableRec>,
    form: Option<u32>,
    next_id: u32,
    in_body: bool,
    standard_doctype: bool,
    /// Hidden formatting elements may be popped now (see [`Entry::hidden_formatting`]).
    formatting_pop_ok: bool,
    /// Style values already looked at, and whether they hide (see [`Builder::style_hides`]).
    styles: Vec<(&'a str, bool)>,
}

/// The blocks of an HTML text (lines not yet numbered), or `None` where only html5ever knows.
pub(crate) fn stream_blocks(text: &str) -> Option<Vec<Block>> {
    if memchr::memchr(0, text.as_bytes()).is_some() {
        return None;
    }
    let mut b = Builder {
        stack: Vec::new(),
        modes: Vec::new(),
        hidden: 0,
        raw: String::new(),
        blocks: Vec::new(),
        tables: Vec::new(),
        form: None,
        next_id: 0,
        in_body: false,
        standard_doctype: false,
        formatting_pop_ok: false,
        styles: Vec::new(),
    };
    b.run(text).ok()?;
    Some(b.blocks)
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C')
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| {
        hay.get(i..i + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn is_block(n: &[u8]) -> bool {
    matches!(
        n,
        b"html"
            | b"body"
            | b"address"
            | b"article"
            | b"aside"
            | b"blockquote"
            | b"caption"
            | b"center"
            | b"dd"
            | b"details"
            | b"dialog"
            | b"dir"
            | b"div"
            | b"dl"
            | b"dt"
            | b"fieldset"
            | b"figcaption"
            | b"figure"
            | b"footer"
            | b"form"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"header"
            | b"hgroup"
            | b"hr"
            | b"legend"
            | b"li"
            | b"main"
            | b"menu"
            | b"nav"
            | b"ol"
            | b"p"
            | b"pre"
            | b"section"
            | b"summary"
            | b"table"
            | b"tbody"
            | b"td"
            | b"tfoot"
            | b"th"
            | b"thead"
            | b"tr"
            | b"ul"
    )
}

/// Skipped whatever their attributes (as `is_skipped` in `html.rs`).
fn is_skipped(n: &[u8]) -> bool {
    matches!(
        n,
        b"head"
            | b"title"
            | b"script"
            | b"style"
            | b"noscript"
            | b"template"
            | b"select"
            | b"textarea"
            | b"iframe"
            | b"object"
            | b"embed"
            | b"svg"
            | b"math"
            | b"canvas"
            | b"audio"
            | b"video"
            | b"xml"
    )
}

/// The HTML standard's "special" category (HTML namespace).
fn is_special(n: &[u8]) -> bool {
    matches!(
        n,
        b"address"
            | b"applet"
            | b"area"
            | b"article"
            | b"aside"
            | b"base"
            | b"basefont"
            | b"bgsound"
            | b"blockquote"
            | b"body"
            | b"br"
            | b"button"
            | b"caption"
            | b"center"
            | b"col"
            | b"colgroup"
            | b"dd"
            | b"details"
            | b"dir"
            | b"div"
            | b"dl"
            | b"dt"
            | b"embed"
            | b"fieldset"
            | b"figcaption"
            | b"figure"
            | b"footer"
            | b"form"
            | b"frame"
            | b"frameset"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"head"
            | b"header"
            | b"hgroup"
            | b"hr"
            | b"html"
            | b"iframe"
            | b"img"
            | b"input"
            | b"keygen"
            | b"li"
            | b"link"
            | b"listing"
            | b"main"
            | b"marquee"
            | b"menu"
            | b"meta"
            | b"nav"
            | b"noembed"
            | b"noframes"
            | b"noscript"
            | b"object"
            | b"ol"
            | b"p"
            | b"param"
            | b"plaintext"
            | b"pre"
            | b"script"
            | b"search"
            | b"section"
            | b"select"
            | b"source"
            | b"style"
            | b"summary"
            | b"table"
            | b"tbody"
            | b"td"
            | b"template"
            | b"textarea"
            | b"tfoot"
            | b"th"
            | b"thead"
            | b"title"
            | b"tr"
            | b"track"
            | b"ul"
            | b"wbr"
            | b"xmp"
    )
}

fn is_formatting(n: &[u8]) -> bool {
    matches!(
        n,
        b"a" | b"b"
            | b"big"
            | b"code"
            | b"em"
            | b"font"
            | b"i"
            | b"nobr"
            | b"s"
            | b"small"
            | b"strike"
            | b"strong"
            | b"tt"
            | b"u"
    )
}

/// Start tags that close an open `<p>` (in button scope) before they are inserted.
fn closes_p(n: &[u8]) -> bool {
    matches!(
        n,
        b"address"
            | b"article"
            | b"aside"
            | b"blockquote"
            | b"center"
            | b"details"
            | b"dialog"
            | b"dir"
            | b"div"
            | b"dl"
            | b"fieldset"
            | b"figcaption"
            | b"figure"
            | b"footer"
            | b"header"
            | b"hgroup"
            | b"main"
            | b"menu"
            | b"nav"
            | b"ol"
            | b"p"
            | b"search"
            | b"section"
            | b"summary"
            | b"ul"
            | b"pre"
            | b"listing"
    )
}

fn is_heading(n: &[u8]) -> bool {
    matches!(n, b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6")
}

fn implied_end(n: &[u8]) -> bool {
    matches!(
        n,
        b"dd" | b"dt" | b"li" | b"optgroup" | b"option" | b"p" | b"rb" | b"rp" | b"rt" | b"rtc"
    )
}

fn mode_of(n: &[u8]) -> Option<Mode> {
    Some(match n {
        b"table" => Mode::Table,
        b"tbody" | b"thead" | b"tfoot" => Mode::TableBody,
        b"tr" => Mode::Row,
        b"td" | b"th" => Mode::Cell,
        b"caption" => Mode::Caption,
        b"colgroup" => Mode::ColGroup,
        _ => return None,
    })
}

#[derive(Clone, Copy)]
enum Scope {
    Default,
    ListItem,
    Button,
    Table,
}

fn scope_boundary(n: &[u8], scope: Scope) -> bool {
    match scope {
        Scope::Table => matches!(n, b"html" | b"table" | b"template"),
        Scope::Default | Scope::ListItem | Scope::Button => {
            matches!(
                n,
                b"applet"
                    | b"caption"
                    | b"html"
                    | b"table"
                    | b"td"
                    | b"th"
                    | b"marquee"
                    | b"object"
                    | b"template"
            ) || (matches!(scope, Scope::ListItem) && matches!(n, b"ol" | b"ul"))
                || (matches!(scope, Scope::Button) && n == b"button")
        }
    }
}

/// Named character references decoded here (with `;`); any other name leaves it to html5ever.
fn named_entity(name: &[u8]) -> Option<char> {
    Some(match name {
        b"nbsp" => '\u{A0}',
        b"amp" => '&',
        b"lt" => '<',
        b"gt" => '>',
        b"quot" => '"',
        b"apos" => '\'',
        b"ensp" => '\u{2002}',
        b"emsp" => '\u{2003}',
        b"thinsp" => '\u{2009}',
        b"zwnj" => '\u{200C}',
        b"zwj" => '\u{200D}',
        b"ldquo" => '\u{201C}',
        b"rdquo" => '\u{201D}',
        b"lsquo" => '\u{2018}',
        b"rsquo" => '\u{2019}',
        b"mdash" => '\u{2014}',
        b"ndash" => '\u{2013}',
        b"hellip" => '\u{2026}',
        b"middot" => '\u{B7}',
        b"times" => '\u{D7}',
        b"divide" => '\u{F7}',
        b"copy" => '\u{A9}',
        b"reg" => '\u{AE}',
        b"deg" => '\u{B0}',
        b"plusmn" => '\u{B1}',
        b"bull" => '\u{2022}',
        b"yen" => '\u{A5}',
        b"sect" => '\u{A7}',
        b"laquo" => '\u{AB}',
        b"raquo" => '\u{BB}',
        b"trade" => '\u{2122}',
        _ => return None,
    })
}

/// Names html5ever also decodes without `;` (the legacy ones) that are in [`named_entity`].
fn legacy_known(name: &[u8]) -> bool {
    matches!(
        name,
        b"nbsp"
            | b"amp"
            | b"lt"
            | b"gt"
            | b"quot"
            | b"middot"
            | b"times"
            | b"divide"
            | b"copy"
            | b"reg"
            | b"deg"
            | b"plusmn"
            | b"yen"
            | b"sect"
            | b"laquo"
            | b"raquo"
    )
}

/// Decodes a character reference starting at `s[0] == b'&'`: the text it stands for is pushed to
/// `out`, and the number of bytes consumed returned.
fn char_ref(s: &[u8], out: &mut String) -> Step<usize> {
    let rest = s.get(1..).unwrap_or_default();
    match rest.first() {
        Some(b'#') => {
            let after = rest.get(1..).unwrap_or_default();
            let (hex, digits_at) = match after.first() {
                Some(b'x' | b'X') => (true, 2),
                _ => (false, 1),
            };
            let digits = rest.get(digits_at..).unwrap_or_default();
            let n = digits
                .iter()
                .take_while(|c| {
                    if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    }
                })
                .count();
            if n == 0 {
                out.push('&');
                return Ok(1);
            }
            if n > 8 {
                return Err(bail());
            }
            let text =
                std::str::from_utf8(digits.get(..n).unwrap_or_default()).map_err(|_| bail())?;
            let value = u32::from_str_radix(text, if hex { 16 } else { 10 }).map_err(|_| bail())?;
            // NUL, C1 controls (remapped from windows-1252), surrogates and out-of-range values
            // have special rules: left to html5ever.
            if value == 0 || (0x80..=0x9F).contains(&value) {
                return Err(bail());
            }
            let c = char::from_u32(value).ok_or_else(bail)?;
            out.push(c);
            let semi = usize::from(digits.get(n) == Some(&b';'));
            Ok(1 + digits_at + n + semi)
        }
        Some(c) if c.is_ascii_alphanumeric() => {
            let n = rest
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric())
                .count();
            let name = rest.get(..n).unwrap_or_default();
            if rest.get(n) == Some(&b';') {
                let c = named_entity(name).ok_or_else(bail)?;
                out.push(c);
                return Ok(n + 2);
            }
            if legacy_known(name) {
                out.push(named_entity(name).ok_or_else(bail)?);
                return Ok(n + 1);
            }
            // Without `;` html5ever decodes the longest legacy entity name that prefixes the
            // run ("&notit" is "¬it"); only a run no entity name starts can be taken literally.
            if LEGACY_PREFIXES.iter().any(|p| name.starts_with(p)) {
                return Err(bail());
            }
            out.push('&');
            Ok(1)
        }
        _ => {
            out.push('&');
            Ok(1)
        }
    }
}

/// The named character references HTML decodes even without `;`.
const LEGACY_PREFIXES: &[&[u8]] = &[
    b"AElig", b"AMP", b"Aacute", b"Acirc", b"Agrave", b"Aring", b"Atilde", b"Auml", b"COPY",
    b"Ccedil", b"ETH", b"Eacute", b"Ecirc", b"Egrave", b"Euml", b"GT", b"Iacute", b"Icirc",
    b"Igrave", b"Iuml", b"LT", b"Ntilde", b"Oacute", b"Ocirc", b"Ograve", b"Oslash", b"Otilde",
    b"Ouml", b"QUOT", b"REG", b"THORN", b"Uacute", b"Ucirc", b"Ugrave", b"Uuml", b"Yacute",
    b"aacute", b"acirc", b"acute", b"aelig", b"agrave", b"amp", b"aring", b"atilde", b"auml",
    b"brvbar", b"ccedil", b"cedil", b"cent", b"copy", b"curren", b"deg", b"divide", b"eacute",
    b"ecirc", b"egrave", b"eth", b"euml", b"frac12", b"frac14", b"frac34", b"gt", b"iacute",
    b"icirc", b"iexcl", b"igrave", b"iquest", b"iuml", b"laquo", b"lt", b"macr", b"micro",
    b"middot", b"nbsp", b"not", b"ntilde", b"oacute", b"ocirc", b"ograve", b"ordf", b"ordm",
    b"oslash", b"otilde", b"ouml", b"para", b"plusmn", b"pound", b"quot", b"raquo", b"reg",
    b"sect", b"shy", b"sup1", b"sup2", b"sup3", b"szlig", b"thorn", b"times", b"uacute", b"ucirc",
    b"ugrave", b"uml", b"uuml", b"yacute", b"yen", b"yuml",
];

/// An attribute value as the tree holds it (character references decoded).
fn attr_value(raw: &str) -> Step<std::borrow::Cow<'_, str>> {
    if memchr::memchr(b'&', raw.as_bytes()).is_none() {
        return Ok(std::borrow::Cow::Borrowed(raw));
    }
    let mut out = String::new();
    let mut i = 0;
    while let Some(rest) = raw.get(i..) {
        let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) else {
            out.push_str(rest);
            break;
        };
        out.push_str(rest.get(..amp).unwrap_or_default());
        let at = rest.as_bytes().get(amp..).unwrap_or_default();
        // In attribute values a legacy reference followed by `=` or an alphanumeric stays literal;
        // rather than model it, any reference but `&name;` and numeric ones is html5ever's.
        let next = at.get(1).copied();
        if next.is_some_and(|c| c.is_ascii_alphanumeric()) {
            let n = at
                .iter()
                .skip(1)
                .take_while(|c| c.is_ascii_alphanumeric())
                .count();
            if at.get(n + 1) != Some(&b';') {
                return Err(bail());
            }
        }
        i += amp + char_ref(at, &mut out)?;
    }
    Ok(std::borrow::Cow::Owned(out))
}

fn hidden_style(style: &str) -> bool {
    // As `html.rs` does (whitespace removed, lowercased, then searched for the two needles),
    // without building the compacted copy: Word puts a long style attribute on nearly every
    // element. Both needles have one ':', so look around each ':' only.
    let lower = |c: char| c.to_ascii_lowercase();
    let solid = |c: &char| !c.is_whitespace();
    let colons = style.bytes().enumerate().filter(|&(_, c)| c == b':');
    for (at, _) in colons {
        let (before, after) = (
            style.get(..at).unwrap_or_default(),
            style.get(at + 1..).unwrap_or_default(),
        );
        let back = || before.chars().rev().filter(solid).map(lower);
        let ahead = || after.chars().filter(solid).map(lower);
        // Quick rejection on the nearest non-blank characters around the ':'.
        if !matches!(back().next(), Some('y' | 'e')) || !matches!(ahead().next(), Some('n' | 'a')) {
            continue;
        }
        if (back().take(7).eq("yalpsid".chars()) && ahead().take(4).eq("none".chars()))
            || (back().take(8).eq("edih-osm".chars()) && ahead().take(3).eq("all".chars()))
        {
            return true;
        }
    }
    false
}

/// Parses a tag from `s[0] == b'<'` (start or end); `None` if the input ends inside it (html5ever
/// then drops it). Returns the tag and the bytes consumed.
fn parse_tag(text: &str) -> Step<Option<(Tag<'_>, usize)>> {
    let s = text.as_bytes();
    let end = s.get(1) == Some(&b'/');
    let mut i = if end { 2 } else { 1 };
    let name_start = i;
    while let Some(&c) = s.get(i) {
        if is_ws(c) || c == b'/' || c == b'>' {
            break;
        }
        i += 1;
    }
    let name = Name::new(s.get(name_start..i).unwrap_or_default());
    if !name.src.is_ascii() {
        // Non-ASCII tag names are kept as written by html5ever; not worth modelling.
        return Err(bail());
    }
    let mut attrs = Attrs::default();
    loop {
        // Before attribute name.
        while s.get(i).is_some_and(|&c| is_ws(c) || c == b'/') {
            i += 1;
        }
        match s.get(i) {
            None => return Ok(None),
            Some(b'>') => return Ok(Some((Tag { name, attrs }, i + 1))),
            Some(_) => {}
        }
        // Attribute name: the first character may be '='.
        let an_start = i;
        i += 1;
        while let Some(&c) = s.get(i) {
            if is_ws(c) || c == b'/' || c == b'>' || c == b'=' {
                break;
            }
            i += 1;
        }
        let attr_name = s.get(an_start..i).unwrap_or_default();
        while s.get(i).is_some_and(|&c| is_ws(c)) {
            i += 1;
        }
        let mut value: Option<&str> = None;
        if s.get(i) == Some(&b'=') {
            i += 1;
            while s.get(i).is_some_and(|&c| is_ws(c)) {
                i += 1;
            }
            match s.get(i) {
                None => return Ok(None),
                Some(&q @ (b'"' | b'\'')) => {
                    let v_start = i + 1;
                    let len = s.get(v_start..).and_then(|rest| find_byte(rest, q));
                    let Some(len) = len else { return Ok(None) };
                    value = text.get(v_start..v_start + len);
                    i = v_start + len + 1;
                }
                Some(b'>') => {}
                Some(_) => {
                    let v_start = i;
                    while s.get(i).is_some_and(|&c| !is_ws(c) && c != b'>') {
                        i += 1;
                    }
                    value = text.get(v_start..i);
                }
            }
        }
        if !end {
            note_attr(&mut attrs, attr_name, value)?;
        }
    }
}

/// Records an attribute the output depends on; the first of duplicates wins, as in html5ever.
fn note_attr<'a>(attrs: &mut Attrs<'a>, name: &[u8], value: Option<&'a str>) -> Step {
    let value = value.unwrap_or_default();
    if name.eq_ignore_ascii_case(b"hidden") {
        attrs.hidden = true;
    } else if name.eq_ignore_ascii_case(b"style") {
        if !attrs.seen_style {
            attrs.seen_style = true;
            attrs.style = Some(value);
        }
    } else if name.eq_ignore_ascii_case(b"colspan") {
        if attrs.colspan.is_none() {
            attrs.colspan = Some(value);
        }
    } else if name.eq_ignore_ascii_case(b"rowspan") {
        if attrs.rowspan.is_none() {
            attrs.rowspan = Some(value);
        }
    } else if name.eq_ignore_ascii_case(b"type") && !attrs.seen_type {
        attrs.seen_type = true;
        attrs.input_hidden = attr_value(value)?.eq_ignore_ascii_case("hidden");
    }
    Ok(())
}

/// Where the raw text of `<name>` ends: the offset of its end tag `</name` followed by a tag
/// boundary, or the end of the input.
fn raw_text_end(s: &[u8], name: &[u8]) -> usize {
    let mut i = 0;
    while let Some(off) = s.get(i..).and_then(|r| find(r, b"</")) {
        let at = i + off;
        let after = at + 2 + name.len();
        if s.get(at + 2..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && s.get(after)
                .is_some_and(|&c| is_ws(c) || c == b'/' || c == b'>')
        {
            return at;
        }
        i = at + 2;
    }
    s.len()
}

impl<'a> Builder<'a> {
    fn run(&mut self, text: &'a str) -> Step {
        let s = text.as_bytes();
        self.push_entry(Name::new(b"html"), 0);
        let mut i = 0;
        while i < s.len() {
            let rest = s.get(i..).unwrap_or_default();
            let lt = find_byte2(rest, b'<', b'&').unwrap_or(rest.len());
            if lt > 0 {
                let chunk = text.get(i..i + lt).ok_or_else(bail)?;
                self.text(chunk)?;
                i += lt;
                continue;
            }
            if rest.first() == Some(&b'&') {
                let mut decoded = String::new();
                i += char_ref(rest, &mut decoded)?;
                self.text(&decoded)?;
                continue;
            }
            // At '<'.
            // `i` is at an ASCII byte, so at a character boundary.
            let rest_text = text.get(i..).unwrap_or_default();
            match rest.get(1) {
                Some(c) if c.is_ascii_alphabetic() => {
                    let Some((mut tag, used)) = parse_tag(rest_text)? else {
                        break;
                    };
                    if let Some(style) = tag.attrs.style
                        && self.style_hides(style)?
                    {
                        tag.attrs.hidden = true;
                    }
                    i += used;
                    i += self.start_tag(tag, text.get(i..).unwrap_or_default())?;
                }
                Some(b'/') => match rest.get(2) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        let Some((tag, used)) = parse_tag(rest_text)? else {
                            break;
                        };
                        i += used;
                        self.end_tag(&tag)?;
                    }
                    Some(b'>') => i += 3,
                    None => {
                        self.text("</")?;
                        i += 2;
                    }
                    Some(_) => i += bogus_comment(rest, 2),
                },
                Some(b'!') => {
                    if rest.starts_with(b"<!--") {
                        i += comment(rest);
                    } else if rest
                        .get(2..9)
                        .is_some_and(|d| d.eq_ignore_ascii_case(b"DOCTYPE"))
                    {
                        let used = bogus_comment(rest, 2);
                        let body = rest.get(9..used.saturating_sub(1)).unwrap_or_default();
                        if !self.in_body && self.stack.len() == 1 {
                            self.standard_doctype = body.trim_ascii().eq_ignore_ascii_case(b"html");
                        }
                        i += used;
                    } else {
                        i += bogus_comment(rest, 2);
                    }
                }
                Some(b'?') => i += bogus_comment(rest, 1),
                _ => {
                    self.text("<")?;
                    i += 1;
                }
            }
        }
        // End of input: every open element ends.
        self.formatting_pop_ok = true;
        while !self.stack.is_empty() {
            self.pop()?;
        }
        self.flush();
        Ok(())
    }

    /// Whether a `style` attribute value hides its element. Word repeats a few dozen long
    /// style values a thousand times a page: the answers are remembered.
    fn style_hides(&mut self, style: &'a str) -> Step<bool> {
        if let Some(at) = self.styles.iter().position(|(s, _)| *s == style) {
            let hides = self.styles.get(at).is_some_and(|&(_, h)| h);
            // Most recently used first: consecutive spans mostly share their style.
            if at > 0 {
                self.styles.swap(at, at - 1);
            }
            return Ok(hides);
        }
        let hides = hidden_style(&attr_value(style)?);
        if self.styles.len() >= 64 {
            self.styles.remove(0);
        }
        self.styles.push((style, hides));
        Ok(hides)
    }

    // ------------------------------------------------------------------ output

    fn visible(&self) -> bool {
        self.hidden == 0
    }

    /// A block boundary: the pending line (and the pending cell paragraph) ends.
    fn flush(&mut self) {
        if self.hidden == 0 && !self.raw.is_empty() {
            let text = collapse_whitespace(&self.raw);
            self.raw.clear();
            if !text.is_empty() {
                self.blocks.push(Block::Line(Line {
                    text,
                    page: None,
                    number: 0,
                }));
            }
        }
        let hidden = self.hidden;
        if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut())
            && cell.hidden_base == hidden
            && !cell.raw.is_empty()
        {
            let text = collapse_whitespace(&cell.raw);
            cell.raw.clear();
            if !text.is_empty() {
                cell.paragraphs.push(text);
            }
        }
    }

    fn text(&mut self, chunk: &str) -> Step {
        if !self.in_body {
            if chunk.bytes().all(is_ws) {
                return Ok(());
            }
            self.enter_body()?;
        }
        if matches!(
            self.mode(),
            Mode::Table | Mode::TableBody | Mode::Row | Mode::ColGroup
        ) {
            // Whitespace stays in place; other text is moved before the table (foster
            // parenting), which only the tree can do.
            if chunk.bytes().all(is_ws) {
                if self.visible() {
                    self.raw.push_str(chunk);
                }
                return Ok(());
            }
            return Err(bail());
        }
        if self.visible() {
            self.raw.push_str(chunk);
        }
        let hidden = self.hidden;
        if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut())
            && cell.hidden_base == hidden
        {
            cell.raw.push_str(chunk);
        }
        Ok(())
    }

    // ------------------------------------------------------------------ the stack

    fn mode(&self) -> Mode {
        self.modes.last().map_or(Mode::Body, |&(_, m)| m)
    }

    fn current(&self) -> Option<&Entry<'a>> {
        self.stack.last()
    }

    fn current_is(&self, name: &[u8]) -> bool {
        self.current().is_some_and(|e| e.name.is(name))
    }

    fn push_entry(&mut self, name: Name<'a>, hide: u32) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        self.stack.push(Entry {
            name,
            hide,
            ghost: None,
            id,
            hidden_formatting: hide > 0 && name.has(F_FORMATTING),
        });
        self.hidden += hide;
        id
    }

    /// Inserts an element: block boundary, hidden state, table bookkeeping.
    fn insert(&mut self, name: Name<'a>, attrs: &Attrs<'_>) -> Step<u32> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(bail());
        }
        let n = name.get();
        let hide = u32::from(attrs.hidden || name.has(F_SKIPPED));
        if hide == 0 && name.has(F_BLOCK) {
            self.flush();
        }
        let visible_before = self.visible();
        let hidden_before = self.hidden;
        let id = self.push_entry(name, hide);
        if let Some(mode) = mode_of(n) {
            self.modes.push((self.stack.len() - 1, mode));
        }
        match n {
            b"table" => {
                if let Some(parent) = self.tables.last_mut() {
                    parent.nested = true;
                }
                self.tables.push(TableRec {
                    walked: visible_before && hide == 0,
                    start_block: self.blocks.len(),
                    nested: false,
                    prose: false,
                    rows: Vec::new(),
                    in_row: false,
                    cell: None,
                    captions: Vec::new(),
                    caption_start: None,
                });
            }
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.in_row = !attrs.hidden;
                    if t.in_row {
                        t.rows.push(Row { cells: Vec::new() });
                    }
                }
            }
            b"td" | b"th" => {
                if let Some(t) = self.tables.last_mut()
                    && t.in_row
                {
                    t.cell = Some(CellRec {
                        col_span: parse_span(
                            attrs.colspan.map(attr_value).transpose()?.as_deref(),
                            MAX_COL_SPAN,
                        ),
                        row_span: parse_span(
                            attrs.rowspan.map(attr_value).transpose()?.as_deref(),
                            MAX_ROW_SPAN,
                        ),
                        hidden_base: hidden_before,
                        raw: String::new(),
                        paragraphs: Vec::new(),
                    });
                }
            }
            b"caption" => {
                let start = self.blocks.len();
                if let Some(t) = self.tables.last_mut() {
                    t.caption_start = Some(start);
                }
            }
            _ => {}
        }
        Ok(id)
    }

    /// Pops the current element: its end is a block boundary, tables are decided.
    fn pop(&mut self) -> Step {
        let Some(entry) = self.stack.last() else {
            return Ok(());
        };
        if entry.hidden_formatting && !self.formatting_pop_ok {
            return Err(bail());
        }
        let name = entry.name;
        let n = name.get();
        let (hide, ghost) = (entry.hide, entry.ghost);
        if name.has(F_BLOCK) {
            self.flush();
        }
        match n {
            b"td" | b"th" => {
                if let Some(t) = self.tables.last_mut()
                    && let Some(cell) = t.cell.take()
                {
                    if is_prose_cell(&cell.paragraphs) {
                        t.prose = true;
                    }
                    if let Some(row) = t.rows.last_mut() {
                        row.cells.push(Cell {
                            text: cell.paragraphs.concat(),
                            col_span: cell.col_span,
                            row_span: cell.row_span,
                        });
                    }
                }
            }
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.in_row = false;
                }
            }
            b"caption" => {
                let end = self.blocks.len();
                if let Some(t) = self.tables.last_mut()
                    && let Some(start) = t.caption_start.take()
                {
                    let text: String = self
                        .blocks
                        .get(start..end)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|b| match b {
                            Block::Line(l) => Some(l.text.as_str()),
                            Block::Table(_) => None,
                        })
                        .collect();
                    t.captions.push(text);
                }
            }
            b"table" => {
                if let Some(t) = self.tables.pop() {
                    self.finish_table(t);
                }
            }
            _ => {}
        }
        self.hidden -= hide;
        if let Some(weight) = ghost {
            // The end of a `<form>` removed earlier: it ends together with this, its child.
            self.flush();
            self.hidden -= weight;
        }
        let index = self.stack.len() - 1;
        if self.modes.last().is_some_and(|&(i, _)| i == index) {
            self.modes.pop();
        }
        self.stack.pop();
        Ok(())
    }

    fn finish_table(&mut self, t: TableRec) {
        if !t.walked || t.nested || t.prose || t.rows.iter().all(|r| r.cells.len() <= 1) {
            return;
        }
        self.blocks.truncate(t.start_block);
        for caption in t.captions {
            let text = collapse_whitespace(&caption);
            if !text.is_empty() {
                self.blocks.push(Block::Line(Line {
                    text,
                    page: None,
                    number: 0,
                }));
            }
        }
        self.blocks.push(Block::Table(Table { rows: t.rows }));
    }

    /// Pops up to and including the topmost element named `name`.
    fn pop_until(&mut self, name: &[u8]) -> Step {
        while let Some(e) = self.stack.last() {
            let found = e.name.is(name);
            self.pop()?;
            if found {
                break;
            }
        }
        Ok(())
    }

    fn pop_until_heading(&mut self) -> Step {
        while let Some(e) = self.stack.last() {
            let found = e.name.has(F_HEADING);
            self.pop()?;
            if found {
                break;
            }
        }
        Ok(())
    }

    fn in_scope(&self, name: &[u8], scope: Scope) -> bool {
        for e in self.stack.iter().rev() {
            let n = e.name.get();
            if n == name {
                return true;
            }
            if e.name.bounds(scope) {
                return false;
            }
        }
        false
    }

    fn generate_implied(&mut self, except: &[u8]) -> Step {
        while let Some(e) = self.stack.last() {
            let n = e.name.get();
            if !e.name.has(F_IMPLIED_END) || n == except {
                break;
            }
            self.pop()?;
        }
        Ok(())
    }

    fn close_p(&mut self) -> Step {
        if self.in_scope(b"p", Scope::Button) {
            self.generate_implied(b"p")?;
            self.pop_until(b"p")?;
        }
        Ok(())
    }

    fn enter_body(&mut self) -> Step {
        self.in_body = true;
        self.insert(Name::new(b"body"), &Attrs::default())?;
        Ok(())
    }

    // ------------------------------------------------------------------ start tags

    /// Handles a start tag; returns how many bytes of `after` (the input after the tag) it
    /// consumed as raw text.
    fn start_tag(&mut self, tag: Tag<'a>, after: &'a str) -> Step<usize> {
        let n = tag.name.get();
        if matches!(n, b"html" | b"body") {
            // The first of each is the element itself; later ones merge their attributes into
            // it. Either way a hiding attribute would hide the whole page: html5ever's case.
            if tag.attrs.hidden {
                return Err(bail());
            }
            if n == b"body" && !self.in_body {
                self.enter_body()?;
            }
            return Ok(0);
        }
        if matches!(
            n,
            b"frameset"
                | b"template"
                | b"plaintext"
                | b"svg"
                | b"math"
                | b"xmp"
                | b"noembed"
                | b"noframes"
                | b"rb"
                | b"rp"
                | b"rt"
                | b"rtc"
                | b"frame"
                | b"isindex"
                | b"search"
                | b"image"
                | b"menuitem"
        ) {
            return Err(bail());
        }
        if !self.in_body {
            match n {
                b"head" => return Ok(0),
                b"base" | b"basefont" | b"bgsound" | b"link" | b"meta" => return Ok(0),
                b"title" | b"style" | b"script" | b"noscript" => {
                    // In the head: skipped, whatever it holds.
                    return raw_text(n, after);
                }
                _ => self.enter_body()?,
            }
        }
        match self.mode() {
            Mode::Body => self.start_in_body(tag, after),
            Mode::Cell => {
                if matches!(
                    n,
                    b"caption"
                        | b"col"
                        | b"colgroup"
                        | b"tbody"
                        | b"td"
                        | b"tfoot"
                        | b"th"
                        | b"thead"
                        | b"tr"
                ) {
                    self.close_cell()?;
                    return self.start_tag(tag, after);
                }
                self.start_in_body(tag, after)
            }
            Mode::Caption => {
                if matches!(
                    n,
                    b"caption"
                        | b"col"
                        | b"colgroup"
                        | b"tbody"
                        | b"td"
                        | b"tfoot"
                        | b"th"
                        | b"thead"
                        | b"tr"
                ) {
                    self.close_caption()?;
                    return self.start_tag(tag, after);
                }
                self.start_in_body(tag, after)
            }
            Mode::Row => match n {
                b"td" | b"th" => {
                    self.insert(tag.name, &tag.attrs)?;
                    Ok(0)
                }
                b"caption" | b"col" | b"colgroup" | b"tbody" | b"tfoot" | b"thead" | b"tr" => {
                    self.pop_until(b"tr")?;
                    self.start_tag(tag, after)
                }
                _ => self.start_in_table(tag, after),
            },
            Mode::TableBody => match n {
                b"tr" => {
                    self.insert(tag.name, &tag.attrs)?;
                    Ok(0)
                }
                b"td" | b"th" => {
                    self.insert(Name::new(b"tr"), &Attrs::default())?;
                    self.start_tag(tag, after)
                }
                b"caption" | b"col" | b"colgroup" | b"tbody" | b"tfoot" | b"thead" => {
                    self.pop()?;
                    self.start_tag(tag, after)
                }
                _ => self.start_in_table(tag, after),
            },
            Mode::ColGroup => match n {
                b"col" => Ok(0),
                _ => {
                    self.pop()?;
                    self.start_tag(tag, after)
                }
            },
            Mode::Table => self.start_in_table(tag, after),
        }
    }

    fn start_in_table(&mut self, tag: Tag<'a>, after: &'a str) -> Step<usize> {
        let n = tag.name.get();
        match n {
            b"caption" | b"colgroup" | b"tbody" | b"tfoot" | b"thead" => {
                self.insert(tag.name, &tag.attrs)?;
                Ok(0)
            }
            b"col" => {
                self.insert(Name::new(b"colgroup"), &Attrs::default())?;
                self.start_tag(tag, after)
            }
            b"td" | b"th" | b"tr" => {
                self.insert(Name::new(b"tbody"), &Attrs::default())?;
                self.start_tag(tag, after)
            }
            b"table" => {
                if self.in_scope(b"table", Scope::Table) {
                    self.pop_until(b"table")?;
                    return self.start_tag(tag, after);
                }
                Ok(0)
            }
            b"style" | b"script" => raw_text(n, after),
            b"input" if tag.attrs.input_hidden => Ok(0),
            b"form" => {
                if self.form.is_none() {
                    let id = self.insert(tag.name, &tag.attrs)?;
                    self.form = Some(id);
                    self.pop()?;
                }
                Ok(0)
            }
            // Anything else is moved before the table (foster parenting).
            _ => Err(bail()),
        }
    }

    fn start_in_body(&mut self, tag: Tag<'a>, after: &'a str) -> Step<usize> {
        let n = tag.name.get();
        if tag.name.has(F_FORMATTING) {
            if matches!(n, b"a" | b"nobr") && self.stack.iter().any(|e| e.name.is(n)) {
                return Err(bail());
            }
            self.insert(tag.name, &tag.attrs)?;
            return Ok(0);
        }
        match n {
            b"base" | b"basefont" | b"bgsound" | b"link" | b"meta" | b"area" | b"embed"
            | b"img" | b"keygen" | b"wbr" | b"input" | b"param" | b"source" | b"track" => Ok(0),
            b"br" => {
                // A hidden `<br>` is skipped like any hidden element: no line break.
                if !tag.attrs.hidden {
                    self.flush();
                }
                Ok(0)
            }
            b"hr" => {
                self.close_p()?;
                let hide = tag.attrs.hidden;
                if !hide {
                    // Its start and end are block boundaries.
                    self.flush();
                }
                Ok(0)
            }
            b"title" | b"style" | b"script" | b"noscript" | b"textarea" | b"iframe" => {
                raw_text(n, after)
            }
            b"select" => select(after),
            b"caption" | b"col" | b"colgroup" | b"frame" | b"head" | b"tbody" | b"td"
            | b"tfoot" | b"th" | b"thead" | b"tr" => Ok(0),
            b"table" => {
                if self.in_scope(b"p", Scope::Button) {
                    if !self.standard_doctype {
                        // Quirks mode keeps the paragraph open around the table.
                        return Err(bail());
                    }
                    self.close_p()?;
                }
                self.insert(tag.name, &tag.attrs)?;
                Ok(0)
            }
            b"form" => {
                if self.form.is_some() {
                    return Ok(0);
                }
                self.close_p()?;
                let id = self.insert(tag.name, &tag.attrs)?;
                self.form = Some(id);
                Ok(0)
            }
            b"li" | b"dd" | b"dt" => {
                let same: &[&[u8]] = if n == b"li" {
                    &[b"li"]
                } else {
                    &[b"dd", b"dt"]
                };
                let mut target: Option<&[u8]> = None;
                for e in self.stack.iter().rev() {
                    let en = e.name.get();
                    if same.contains(&en) {
                        target = Some(if en == b"li" {
                            b"li"
                        } else if en == b"dd" {
                            b"dd"
                        } else {
                            b"dt"
                        });
                        break;
                    }
                    if e.name.has(F_SPECIAL) && !matches!(en, b"address" | b"div" | b"p") {
                        break;
                    }
                }
                if let Some(t) = target {
                    self.generate_implied(t)?;
                    self.pop_until(t)?;
                }
                self.close_p()?;
                self.insert(tag.name, &tag.attrs)?;
                Ok(0)
            }
            b"button" => {
                if self.in_scope(b"button", Scope::Default) {
                    self.generate_implied(b"")?;
                    self.pop_until(b"button")?;
                }
                self.insert(tag.name, &tag.attrs)?;
                Ok(0)
            }
            b"option" | b"optgroup" => {
                if self.current_is(b"option") {
                    self.pop()?;
                }
                self.insert(tag.name, &tag.attrs)?;
                Ok(0)
            }
            _ if tag.name.has(F_HEADING) => {
                self.close_p()?;
                if self.current().is_some_and(|e| e.name.has(F_HEADING)) {
                    self.pop()?;
                }
                self.insert(tag.name, &tag.attrs)?;
                Ok(0)
            }
            _ if tag.name.has(F_CLOSES_P) => {
                self.close_p()?;
                // (The newline html5ever drops after `<pre>` is leading whitespace of a line,
                // trimmed anyway.)
                self.insert(tag.name, &tag.attrs)?;
                Ok(0)
            }
            _ => {
                self.insert(tag.name, &tag.attrs)?;
                Ok(0)
            }
        }
    }

    /// Runs `f` with hidden formatting elements allowed to close: the end of a cell or caption
    /// clears them from html5ever's list of active formatting elements, so none is recreated.
    fn clearing_formatting<T>(&mut self, f: impl FnOnce(&mut Self) -> Step<T>) -> Step<T> {
        let old = self.formatting_pop_ok;
        self.formatting_pop_ok = true;
        let result = f(self);
        self.formatting_pop_ok = old;
        result
    }

    fn close_cell(&mut self) -> Step {
        self.clearing_formatting(|b| {
            b.generate_implied(b"")?;
            while let Some(e) = b.stack.last() {
                let found = matches!(e.name.get(), b"td" | b"th");
                b.pop()?;
                if found {
                    break;
                }
            }
            Ok(())
        })
    }

    fn close_caption(&mut self) -> Step {
        self.clearing_formatting(|b| {
            b.generate_implied(b"")?;
            b.pop_until(b"caption")
        })
    }

    // ------------------------------------------------------------------ end tags

    fn end_tag(&mut self, tag: &Tag<'a>) -> Step {
        let n = tag.name.get();
        if !self.in_body {
            match n {
                b"body" | b"html" => {
                    self.enter_body()?;
                    return Ok(());
                }
                b"br" => self.enter_body()?,
                _ => return Ok(()),
            }
        }
        match self.mode() {
            Mode::Body => self.end_in_body(tag),
            Mode::Cell => match n {
                b"td" | b"th" => {
                    if self.in_scope(n, Scope::Table) {
                        self.clearing_formatting(|b| {
                            b.generate_implied(b"")?;
                            b.pop_until(n)
                        })?;
                    }
                    Ok(())
                }
                b"body" | b"caption" | b"col" | b"colgroup" | b"html" => Ok(()),
                b"table" | b"tbody" | b"tfoot" | b"thead" | b"tr" => {
                    if self.in_scope(n, Scope::Table) {
                        self.close_cell()?;
                        return self.end_tag(tag);
                    }
                    Ok(())
                }
                _ => self.end_in_body(tag),
            },
            Mode::Caption => match n {
                b"caption" => self.close_caption(),
                b"table" => {
                    self.close_caption()?;
                    self.end_tag(tag)
                }
                b"body" | b"col" | b"colgroup" | b"html" | b"tbody" | b"td" | b"tfoot" | b"th"
                | b"thead" | b"tr" => Ok(()),
                _ => self.end_in_body(tag),
            },
            Mode::Row => match n {
                b"tr" => self.pop(),
                b"table" => {
                    self.pop()?;
                    self.end_tag(tag)
                }
                b"tbody" | b"tfoot" | b"thead" => {
                    if self.in_scope(n, Scope::Table) {
                        self.pop()?;
                        return self.end_tag(tag);
                    }
                    Ok(())
                }
                b"body" | b"caption" | b"col" | b"colgroup" | b"html" | b"td" | b"th" => Ok(()),
                _ => self.end_in_table(tag),
            },
            Mode::TableBody => match n {
                b"tbody" | b"tfoot" | b"thead" => {
                    if self.current_is(n) {
                        self.pop()?;
                    }
                    Ok(())
                }
                b"table" => {
                    self.pop()?;
                    self.end_tag(tag)
                }
                b"body" | b"caption" | b"col" | b"colgroup" | b"html" | b"td" | b"th" | b"tr" => {
                    Ok(())
                }
                _ => self.end_in_table(tag),
            },
            Mode::ColGroup => match n {
                b"colgroup" => self.pop(),
                b"col" => Ok(()),
                _ => {
                    self.pop()?;
                    self.end_tag(tag)
                }
            },
            Mode::Table => self.end_in_table(tag),
        }
    }

    fn end_in_table(&mut self, tag: &Tag<'a>) -> Step {
        match tag.name.get() {
            b"table" => self.pop_until(b"table"),
            b"body" | b"caption" | b"col" | b"colgroup" | b"html" | b"tbody" | b"td" | b"tfoot"
            | b"th" | b"thead" | b"tr" => Ok(()),
            // These insert an element, which would be moved before the table.
            b"p" | b"br" => Err(bail()),
            // Any other end tag finds the table (special, a scope boundary) first: ignored.
            _ => Ok(()),
        }
    }

    fn end_in_body(&mut self, tag: &Tag<'a>) -> Step {
        let n = tag.name.get();
        match n {
            b"body" | b"html" => Ok(()),
            b"p" => {
                if !self.in_scope(b"p", Scope::Button) {
                    // An end tag without start makes an empty paragraph: a block boundary.
                    self.flush();
                    return Ok(());
                }
                self.generate_implied(b"p")?;
                self.pop_until(b"p")
            }
            b"br" => {
                self.flush();
                Ok(())
            }
            b"li" => {
                if self.in_scope(b"li", Scope::ListItem) {
                    self.generate_implied(b"li")?;
                    self.pop_until(b"li")?;
                }
                Ok(())
            }
            b"dd" | b"dt" => {
                if self.in_scope(n, Scope::Default) {
                    self.generate_implied(n)?;
                    self.pop_until(n)?;
                }
                Ok(())
            }
            b"form" => {
                let Some(id) = self.form.take() else {
                    return Ok(());
                };
                let mut found = None;
                for (i, e) in self.stack.iter().enumerate().rev() {
                    if e.id == id {
                        found = Some(i);
                        break;
                    }
                    if e.name.bounds(Scope::Default) {
                        break;
                    }
                }
                let Some(index) = found else {
                    return Ok(());
                };
                self.generate_implied(b"")?;
                if self.stack.len() == index + 1 {
                    return self.pop();
                }
                // The form leaves the stack while its open descendants stay: its hidden weight
                // and its end (a block boundary) go with its child.
                let weight = self.stack.get(index).map_or(0, |e| e.hide);
                if self.stack.get(index).is_some_and(|e| e.ghost.is_some()) {
                    return Err(bail());
                }
                match self.stack.get_mut(index + 1) {
                    Some(child) if child.ghost.is_none() => child.ghost = Some(weight),
                    _ => return Err(bail()),
                }
                if self.modes.iter().any(|&(i, _)| i > index) {
                    return Err(bail());
                }
                self.stack.remove(index);
                Ok(())
            }
            _ if tag.name.has(F_HEADING) => {
                let in_scope = self.stack.iter().rev().find_map(|e| {
                    if e.name.has(F_HEADING) {
                        Some(true)
                    } else if e.name.bounds(Scope::Default) {
                        Some(false)
                    } else {
                        None
                    }
                });
                if in_scope == Some(true) {
                    self.generate_implied(b"")?;
                    self.pop_until_heading()?;
                }
                Ok(())
            }
            _ if tag.name.has(F_FORMATTING) => {
                // The adoption agency: simple when the element is current or nothing special is
                // open above it; otherwise the tree is restructured.
                let mut found = None;
                for (i, e) in self.stack.iter().enumerate().rev() {
                    let en = e.name.get();
                    if en == n {
                        found = Some(i);
                        break;
                    }
                    if e.name.bounds(Scope::Default) {
                        // Not in scope: ignored.
                        return Ok(());
                    }
                }
                let Some(pos) = found else {
                    return Ok(());
                };
                let above = self.stack.get(pos + 1..).unwrap_or_default();
                if above.iter().any(|e| e.name.has(F_SPECIAL)) {
                    return Err(bail());
                }
                // Elements above it close (a hidden formatting one would be recreated: declined
                // in `pop`), then the element itself.
                while self.stack.len() > pos + 1 {
                    self.pop()?;
                }
                self.clearing_formatting(Self::pop)
            }
            _ if tag.name.has(F_SPECIAL) && !matches!(n, b"br") => {
                // Block-like end tags: pop to the element when it is in scope, else ignore.
                if matches!(
                    n,
                    b"address"
                        | b"article"
                        | b"aside"
                        | b"blockquote"
                        | b"button"
                        | b"center"
                        | b"details"
                        | b"dialog"
                        | b"dir"
                        | b"div"
                        | b"dl"
                        | b"fieldset"
                        | b"figcaption"
                        | b"figure"
                        | b"footer"
                        | b"header"
                        | b"hgroup"
                        | b"listing"
                        | b"main"
                        | b"menu"
                        | b"nav"
                        | b"ol"
                        | b"pre"
                        | b"search"
                        | b"section"
                        | b"summary"
                        | b"ul"
                        | b"applet"
                        | b"marquee"
                        | b"object"
                ) {
                    if self.in_scope(n, Scope::Default) {
                        self.generate_implied(b"")?;
                        self.pop_until(n)?;
                    }
                    return Ok(());
                }
                self.any_other_end(tag)
            }
            _ => self.any_other_end(tag),
        }
    }

    fn any_other_end(&mut self, tag: &Tag<'a>) -> Step {
        let mut target = None;
        for (i, e) in self.stack.iter().enumerate().rev() {
            if e.name.same(&tag.name) {
                target = Some(i);
                break;
            }
            if e.name.has(F_SPECIAL) {
                return Ok(());
            }
        }
        let Some(index) = target else { return Ok(()) };
        // Implied ends other than the element itself.
        while self.stack.len() > index + 1 {
            match self.stack.last() {
                Some(e) if e.name.has(F_IMPLIED_END) && !e.name.same(&tag.name) => self.pop()?,
                _ => break,
            }
        }
        while self.stack.len() > index {
            self.pop()?;
        }
        Ok(())
    }
}

/// Skips the raw text of a `<script>`, `<style>`, `<title>`, … (always skipped content) up to its
/// end tag; returns the bytes consumed, the end tag included.
fn raw_text(name: &[u8], after: &str) -> Step<usize> {
    let text = after;
    let after = after.as_bytes();
    let end = raw_text_end(after, name);
    if name == b"script" {
        // `<!--` followed by `<script` makes the first `</script>` part of the script
        // ("double escaped"): html5ever's case.
        let body = after.get(..end).unwrap_or_default();
        if let Some(k) = find(body, b"<!--")
            && find_ci(body.get(k..).unwrap_or_default(), b"<script").is_some()
        {
            return Err(bail());
        }
    }
    let Some(rest) = text.get(end..).filter(|r| !r.is_empty()) else {
        return Ok(after.len());
    };
    match parse_tag(rest)? {
        Some((_, used)) => Ok(end + used),
        None => Ok(after.len()),
    }
}

/// Skips a `<select>` (skipped content) to its end tag, when it holds only options and text.
fn select(after: &str) -> Step<usize> {
    let text = after;
    let after = after.as_bytes();
    let mut i = 0;
    while let Some(off) = after
        .get(i..)
        .and_then(|r| r.iter().position(|&c| c == b'<'))
    {
        let at = i + off;
        let rest = after.get(at..).unwrap_or_default();
        if rest.starts_with(b"<!--") {
            i = at + comment(rest);
            continue;
        }
        let end = rest.get(1) == Some(&b'/');
        let name_at = if end { 2 } else { 1 };
        if !rest.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            // Anything else here would need the tokenizer's exact states.
            return Err(bail());
        }
        let Some((tag, used)) = parse_tag(text.get(at..).unwrap_or_default())? else {
            return Ok(after.len());
        };
        let n = tag.name.get();
        match (end, n) {
            (true, b"select") => return Ok(at + used),
            (_, b"option" | b"optgroup") => i = at + used,
            _ => return Err(bail()),
        }
    }
    Err(bail())
}

/// The length of a comment starting with `<!--`.
fn comment(s: &[u8]) -> usize {
    let body = 4;
    if s.get(body) == Some(&b'>') {
        return body + 1;
    }
    if s.get(body..body + 2) == Some(b"->") {
        return body + 2;
    }
    let mut i = body;
    while let Some(off) = s.get(i..).and_then(|r| find(r, b"--")) {
        let mut j = i + off + 2;
        while s.get(j) == Some(&b'-') {
            j += 1;
        }
        if s.get(j) == Some(&b'>') {
            return j + 1;
        }
        if s.get(j..j + 2) == Some(b"!>") {
            return j + 2;
        }
        i = i + off + 1;
    }
    s.len()
}

/// The length of a bogus comment (or doctype) starting at `s[0] == b'<'`: up to the next `>`.
fn bogus_comment(s: &[u8], from: usize) -> usize {
    s.get(from..)
        .and_then(|r| r.iter().position(|&c| c == b'>'))
        .map_or(s.len(), |p| from + p + 1)
}
