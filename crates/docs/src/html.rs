//! HTML, including whole web pages around a report and Word's "save as web page" markup
//! (`MsoNormal`, `<o:p>`, conditional comments).
//!
//! What comes out is what walking html5ever's tree (the page parsed exactly as a browser would,
//! through `scraper`) in document order gives; that walk, without recursion (a hostile page may
//! nest elements a million deep), is below. Ordinary pages are read instead in one pass by
//! `html_stream.rs`, which models only as much of the tree construction as the output depends on
//! and hands the page to html5ever whenever it cannot be sure to agree (tests compare the two on
//! the corpus and on thousands of mutated pages):
//!
//! - every data `<table>` becomes a [`Table`]; cell text is the cell's paragraphs, each with
//!   whitespace collapsed, joined **without** a separator, because Word splits long labels across
//!   `<p>`s and lines inside one cell;
//! - everything else becomes one [`Line`] per block-level element or `<br>`-separated line, with
//!   whitespace collapsed; empty lines are dropped; `head`, `script`, `style`, forms' option lists
//!   and hidden elements are skipped.
//!
//! **Nested tables.** A table that contains another table, whose rows all have at most one cell, or
//! with a cell of prose (more than 10 paragraphs or 500 characters) is taken for page layout
//! (government CMS pages often wrap the whole article in such tables): it is not emitted; its cells
//! are read as ordinary text, one line per cell paragraph, and the tables inside it come out as
//! tables in reading order. A real data table is never nested in practice, so only innermost
//! tables with at least two cells in some row are emitted as [`Table`]s.

use ego_tree::NodeRef;
use ego_tree::iter::Edge;
use scraper::{Html, Node};

use crate::text::{collapse_whitespace, is_prose_cell};
use crate::{Block, Cell, Document, Line, ReadError, Row, SourceKind, Table, encoding};

/// Upper bound for `colspan`: no report table is wider, and it bounds [`Table::grid`].
pub(crate) const MAX_COL_SPAN: u32 = 100;
/// Upper bound for `rowspan`/`vMerge` runs. Larger than [`MAX_COL_SPAN`] because long lists
/// legitimately merge a label over many rows; [`Table::grid`] stops a span at the last row anyway.
pub(crate) const MAX_ROW_SPAN: u32 = 10_000;

/// Deeper nesting of block containers than this is refused (see [`block_nesting_depth`]).
pub(crate) const MAX_BLOCK_NESTING: usize = 512;

/// Reads an HTML file (any supported encoding).
pub(crate) fn read_html(bytes: &[u8]) -> Result<Document, ReadError> {
    read_html_text(encoding::decode_html(bytes)?.text)
}

/// Reads an HTML text already decoded as [`encoding::decode_html`] would.
pub(crate) fn read_html_text(text: String) -> Result<Document, ReadError> {
    if block_nesting_depth(&text) > MAX_BLOCK_NESTING {
        return Err(ReadError::HtmlTooDeep {
            limit: MAX_BLOCK_NESTING,
        });
    }
    Ok(Document {
        source: SourceKind::Html,
        blocks: html_blocks(&text),
    })
}

/// The blocks of an HTML text, lines numbered from 1.
///
/// The one-pass reader of `html_stream.rs` gives them for ordinary pages at a fraction of the cost
/// of building the tree; where it cannot be sure to match the tree exactly it declines, and the
/// page is parsed by html5ever.
pub(crate) fn html_blocks(text: &str) -> Vec<Block> {
    let blocks = crate::html_stream::stream_blocks(text).unwrap_or_else(|| tree_flow(text));
    number_lines(blocks)
}

/// The blocks as read from html5ever's tree (lines not yet numbered).
fn tree_flow(text: &str) -> Vec<Block> {
    let html = Html::parse_document(text);
    flow(html.tree.root(), true)
}

fn number_lines(mut blocks: Vec<Block>) -> Vec<Block> {
    let mut number: u32 = 0;
    for block in &mut blocks {
        if let Block::Line(line) = block {
            number = number.saturating_add(1);
            line.number = number;
        }
    }
    blocks
}

/// An over-estimate of how deep `<div>`-like containers nest, from a scan of the tags.
///
/// Why: for every such start tag html5ever looks for an open `<p>` through the stack of open
/// elements, so parsing time grows with depth × number of tags; 40,000 nested `<div>`s (200 KB)
/// take seconds. Real pages nest a few dozen deep. Only containers whose end tag is never implied
/// are counted (not `p`, `li`, `td`, …), so sloppy markup does not inflate the count.
fn block_nesting_depth(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut max = 0usize;
    // Every '<' is looked at: a tag name holds no '<', so this is also every tag start.
    for lt in memchr::memchr_iter(b'<', bytes) {
        let start = lt + 1;
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = if closing { start + 1 } else { start };
        let name_len = bytes.get(name_start..).map_or(0, |rest| {
            rest.iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count()
        });
        let name = bytes
            .get(name_start..name_start + name_len)
            .unwrap_or_default();
        if is_container(name) {
            if closing {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
                max = max.max(depth);
            }
        }
    }
    max
}

/// A `<div>`-like container for [`block_nesting_depth`] (any case). Matched on a lowercased copy:
/// this runs for every tag of every page.
fn is_container(name: &[u8]) -> bool {
    let mut lower = [0u8; 10];
    let Some(buf) = lower.get_mut(..name.len()) else {
        return false;
    };
    for (d, s) in buf.iter_mut().zip(name) {
        *d = s.to_ascii_lowercase();
    }
    matches!(
        &*buf,
        b"div"
            | b"section"
            | b"article"
            | b"aside"
            | b"nav"
            | b"header"
            | b"footer"
            | b"main"
            | b"blockquote"
            | b"center"
            | b"fieldset"
            | b"figure"
            | b"form"
            | b"ol"
            | b"ul"
            | b"dl"
            | b"details"
            | b"dialog"
            | b"menu"
            | b"dir"
            | b"address"
            | b"hgroup"
            | b"figcaption"
    )
}

/// Collects the lines (and, with `tables`, the data tables) under `root` in document order.
fn flow(root: NodeRef<'_, Node>, tables: bool) -> Vec<Block> {
    let mut out = LineBuffer::default();
    // While `Some`, the subtree of this node is being skipped (hidden content or an emitted table).
    let mut skip: Option<ego_tree::NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skip.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(text) => out.raw.push_str(text),
                    Node::Element(element) => {
                        let name = element.name();
                        if is_skipped(element) {
                            skip = Some(node.id());
                        } else if name == "br" {
                            out.flush();
                        } else if name == "table" && node.id() != root.id() {
                            out.flush();
                            if tables && let Some(table) = data_table(node) {
                                // The caption ("表一 …") is skipped with the table: keep it as a
                                // line before it.
                                for caption in node
                                    .children()
                                    .filter(|c| element_name(*c) == Some("caption"))
                                {
                                    out.raw.push_str(&cell_paragraphs(caption).concat());
                                    out.flush();
                                }
                                out.blocks.push(Block::Table(table));
                                skip = Some(node.id());
                            }
                        } else if is_block(name) {
                            out.flush();
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skip {
                    if id == node.id() {
                        skip = None;
                    }
                    continue;
                }
                if let Node::Element(element) = node.value()
                    && (is_block(element.name()) || element.name() == "table")
                {
                    out.flush();
                }
            }
        }
    }
    out.flush();
    out.blocks
}

#[derive(Default)]
struct LineBuffer {
    raw: String,
    blocks: Vec<Block>,
}

impl LineBuffer {
    fn flush(&mut self) {
        if self.raw.is_empty() {
            return;
        }
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
}

/// The table under `node` if it is a data table, `None` if it is a layout table (see the module
/// notes).
fn data_table(node: NodeRef<'_, Node>) -> Option<Table> {
    let nested = node
        .descendants()
        .skip(1)
        .any(|d| element_name(d) == Some("table"));
    if nested {
        return None;
    }
    let mut rows = Vec::new();
    for tr in node
        .descendants()
        .filter(|d| element_name(*d) == Some("tr") && !is_hidden(*d))
    {
        let mut cells = Vec::new();
        for td in tr
            .children()
            .filter(|c| matches!(element_name(*c), Some("td" | "th")))
        {
            let paragraphs = cell_paragraphs(td);
            if is_prose_cell(&paragraphs) {
                return None;
            }
            let element = td.value().as_element();
            let attr = |name: &str| element.and_then(|e| e.attr(name));
            cells.push(Cell {
                text: paragraphs.concat(),
                col_span: parse_span(attr("colspan"), MAX_COL_SPAN),
                row_span: parse_span(attr("rowspan"), MAX_ROW_SPAN),
            });
        }
        rows.push(Row { cells });
    }
    if rows.iter().all(|r| r.cells.len() <= 1) {
        return None;
    }
    Some(Table { rows })
}

/// A cell's paragraphs and `<br>`-separated lines, each collapsed; the cell text is their
/// concatenation without separator.
fn cell_paragraphs(cell: NodeRef<'_, Node>) -> Vec<String> {
    flow(cell, false)
        .into_iter()
        .filter_map(|b| match b {
            Block::Line(line) => Some(line.text),
            Block::Table(_) => None,
        })
        .collect()
}

/// A `colspan`/`rowspan` value as browsers read it: leading digits ("2px" is 2), missing, zero or
/// garbage is 1, absurd values are clamped.
pub(crate) fn parse_span(value: Option<&str>, max: u32) -> u32 {
    let Some(value) = value else { return 1 };
    let digits: String = value
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .take(10)
        .collect();
    digits.parse::<u64>().map_or(1, |n| {
        u32::try_from(n.clamp(1, u64::from(max))).unwrap_or(1)
    })
}

fn element_name<'a>(node: NodeRef<'a, Node>) -> Option<&'a str> {
    node.value().as_element().map(|e| e.name())
}

fn is_hidden(node: NodeRef<'_, Node>) -> bool {
    node.value().as_element().is_some_and(hidden_element)
}

fn is_skipped(element: &scraper::node::Element) -> bool {
    matches!(
        element.name(),
        "head"
            | "title"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "select"
            | "textarea"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "canvas"
            | "audio"
            | "video"
            | "xml"
    ) || hidden_element(element)
}

/// Hidden by the `hidden` attribute or an inline `display:none` / Word's `mso-hide:all`: a
/// browser shows nothing of it, and pages hide duplicate or template text this way.
fn hidden_element(element: &scraper::node::Element) -> bool {
    if element.attr("hidden").is_some() {
        return true;
    }
    element.attr("style").is_some_and(|style| {
        let compact: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        compact.contains("display:none") || compact.contains("mso-hide:all")
    })
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "html"
            | "body"
            | "address"
            | "article"
            | "aside"
            | "blockquote"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "legend"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(blocks: &[Block]) -> Vec<&str> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Line(l) => Some(l.text.as_str()),
                Block::Table(_) => None,
            })
            .collect()
    }

    #[test]
    fn lines_and_tables_in_order() {
        let blocks = html_blocks(
            "<html><head><title>T</title><style>p{}</style></head><body>\
             <div>导航<script>var x;</script></div><p>一、总体情况</p>\
             <p>第一行<br>第二行&nbsp;&nbsp;尾</p>\
             <table><tr><td colspan=2 rowspan='3px'>信息内容</td><th>x</th></tr>\
             <tr><td><p>（二）部分公开（区分处理的，</p><p>只计这一情形，不计其他情形）</p></td><td>0</td></tr>\
             <caption>表三</caption></table>\
             <p style='display: none'>隐藏</p><p>  </p><p>后文</p></body></html>",
        );
        assert_eq!(
            lines(&blocks),
            vec![
                "导航",
                "一、总体情况",
                "第一行",
                "第二行 尾",
                "表三",
                "后文"
            ]
        );
        let Some(Block::Table(table)) = blocks.get(5) else {
            panic!("expected a table after four lines: {blocks:?}");
        };
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].cells[0].col_span, 2);
        assert_eq!(table.rows[0].cells[0].row_span, 3);
        assert_eq!(
            table.rows[1].cells[0].text,
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
        );
        let numbers: Vec<u32> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Line(l) => Some(l.number),
                Block::Table(_) => None,
            })
            .collect();
        assert_eq!(numbers, vec![1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn layout_tables_are_flattened() {
        let blocks = html_blocks(
            "<table><tr><td><p>标题</p>\
             <table><tr><td>a</td><td>1</td></tr></table>\
             <p>落款</p></td></tr></table>\
             <table><tr><td>只有一列</td></tr><tr><td>第二行</td></tr></table>",
        );
        assert_eq!(lines(&blocks), vec!["标题", "落款", "只有一列", "第二行"]);
        assert!(matches!(blocks.get(1), Some(Block::Table(t)) if t.rows[0].cells[1].text == "1"));
    }

    #[test]
    fn two_column_page_layout_is_text() {
        let article: String = (1..=12).map(|i| format!("<p>第{i}段。</p>")).collect();
        let blocks = html_blocks(&format!(
            "<table><tr><td>栏目导航</td><td>{article}</td></tr></table>"
        ));
        assert!(blocks.iter().all(|b| matches!(b, Block::Line(_))));
        assert_eq!(lines(&blocks).len(), 13);
    }

    #[test]
    fn spans_are_clamped() {
        assert_eq!(parse_span(None, 100), 1);
        assert_eq!(parse_span(Some("0"), 100), 1);
        assert_eq!(parse_span(Some(" 3 "), 100), 3);
        assert_eq!(parse_span(Some("99999999999999999999"), 100), 100);
        assert_eq!(parse_span(Some("x"), 100), 1);
        assert_eq!(parse_span(Some("-2"), 100), 1);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        // Inline elements do not slow the parser down; the walk has no recursion to overflow.
        let depth = 20_000;
        let mut s = "<span>".repeat(depth);
        s.push_str("深处");
        s.push_str(&"</span>".repeat(depth));
        assert_eq!(lines(&html_blocks(&s)), vec!["深处"]);
    }

    #[test]
    fn deep_block_nesting_is_refused() {
        let nested =
            |n: usize| format!("<html>{}x{}", "<DIV class=a>".repeat(n), "</div>".repeat(n));
        assert_eq!(block_nesting_depth(&nested(600)), 600);
        assert_eq!(
            block_nesting_depth("<div></div><div><p><ul></ul></div></ div>"),
            2
        );
        assert_eq!(block_nesting_depth("</div></div><div>"), 1);
        assert!(matches!(
            read_html(nested(MAX_BLOCK_NESTING + 1).as_bytes()),
            Err(ReadError::HtmlTooDeep { .. })
        ));
        assert!(read_html(nested(MAX_BLOCK_NESTING).as_bytes()).is_ok());
    }

    /// The corpus pages: the one-pass reader must read them (not decline) and agree with the tree.
    fn corpus_pages() -> Vec<(String, String)> {
        let dir =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
        let mut pages: Vec<(String, String)> = std::fs::read_dir(&dir)
            .map(|d| d.flatten().map(|e| e.path()).collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap();
                let text = encoding::decode_html(&bytes).unwrap().text;
                (p.file_name().unwrap().to_string_lossy().into_owned(), text)
            })
            .collect();
        pages.sort();
        pages
    }

    #[test]
    fn stream_reader_matches_the_tree_on_the_corpus() {
        let pages = corpus_pages();
        for (name, text) in &pages {
            let fast = crate::html_stream::stream_blocks(text)
                .unwrap_or_else(|| panic!("{name}: the one-pass reader declined"));
            assert_eq!(fast, tree_flow(text), "{name}");
        }
    }

    /// Differential fuzzing: mutated pages and markup soups read the same both ways whenever the
    /// one-pass reader does not decline.
    #[test]
    fn stream_reader_matches_the_tree_on_mutations() {
        let mut rng = std::env::var("GONGKAI_DIFF_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0x9E37_79B9_7F4A_7C15u64);
        let mut next = move || {
            rng ^= rng >> 12;
            rng ^= rng << 25;
            rng ^= rng >> 27;
            rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
        };
        let tokens: &[&str] = &[
            "<table>",
            "</table>",
            "<tr>",
            "</tr>",
            "<td colspan=\"3\">",
            "<td rowspan=2>",
            "<th>",
            "</td>",
            "</th>",
            "<p>",
            "</p>",
            "<br>",
            "</br>",
            "<![if !supportLists]>",
            "<![endif]>",
            "<!--[if gte mso 9]>",
            "<!--",
            "-->",
            "&nbsp;",
            "&amp;",
            "&#20013;",
            "<script>",
            "</script>",
            "<o:p>",
            "</o:p>",
            "\u{3000}",
            "<table><tr><td>",
            "<div style=\"display:none\">",
            "<div>",
            "</div>",
            "<span>",
            "</span>",
            "<span hidden>",
            "<b>",
            "</b>",
            "<font>",
            "</font>",
            "<a href=x>",
            "</a>",
            "<form>",
            "</form>",
            "<form style=\"display: none\">",
            "<li>",
            "</li>",
            "<ul>",
            "</ul>",
            "<h3>",
            "</h3>",
            "<caption>",
            "</caption>",
            "<tbody>",
            "</tbody>",
            "<colgroup><col>",
            "<input type=hidden>",
            "<input>",
            "<button>",
            "</button>",
            "<hr>",
            "<img src=x>",
            "<style>p{}</style>",
            "<title>t</title>",
            "</body>",
            "<body>",
            "</html>",
            "<head>",
            "</head>",
            "<select><option>a</select>",
            "<tr style=\"display:none\">",
            "<td style='display:none'>",
            "<dd>",
            "<dt>",
            "<iframe>",
            "</iframe>",
            "<noscript>",
            "</noscript>",
            "x",
            "中",
            "\n",
            " ",
            "<pre>",
            "</pre>",
            "<center>",
            "<table border=1><tr><td>a<td>1</table>",
            "<p style=\"display:none\">",
            "<em style=\"display:none\">",
            "<b hidden>",
            "<table><caption>",
            "&lt;",
            "&#x4e2d;",
            "&copy",
            "&notin;",
            "a&b",
            "<textarea>",
            "<tr><td>",
            "<td>",
            "<th colspan=2>",
            "<thead>",
            "<h1>",
            "</h2>",
            "<object>",
            "</object>",
            "<marquee>",
            "<dl>",
            "<option>",
            "<hr style=display:none>",
            "<br hidden>",
            "<!DOCTYPE html>",
            "<tfoot>",
            "</tfoot>",
            "<col>",
            "</caption>",
            "<td><table><tr><td>x</td><td>y</td></tr></table>",
            "<div hidden>",
            "</form>",
            "<i>",
            "</i>",
            "<nobr>",
            "<u>",
            "</u>",
            "<sup>",
            "<ol>",
            "</ol>",
            "<address>",
        ];
        let mut seeds: Vec<String> = corpus_pages()
            .into_iter()
            .map(|(_, text)| {
                let start = text.find("<table").unwrap_or(0).saturating_sub(2000);
                let mut start = start;
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                let mut end = (start + 30_000).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                format!("<!DOCTYPE html><html><body>{}", &text[start..end])
            })
            .collect();
        // Markup soups built from the tokens alone exercise the tree construction rules densely.
        for _ in 0..4 {
            seeds.push(String::new());
        }
        let (mut same, mut declined) = (0, 0);
        let rounds: usize = std::env::var("GONGKAI_DIFF_ROUNDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(3000);
        for round in 0..rounds {
            let seed = &seeds[round % seeds.len()];
            let mut pieces: Vec<String> = vec![seed.clone()];
            let mutations = if seed.is_empty() {
                1 + next() % 40
            } else {
                1 + next() % 12
            };
            for _ in 0..mutations {
                let doc = pieces.concat();
                let mut at = (next() as usize) % (doc.len() + 1);
                while !doc.is_char_boundary(at) {
                    at -= 1;
                }
                let token = tokens[(next() as usize) % tokens.len()];
                let mutated = match next() % 3 {
                    0 => format!("{}{}{}", &doc[..at], token, &doc[at..]),
                    1 => {
                        let mut end = (at + (next() as usize) % 300).min(doc.len());
                        while !doc.is_char_boundary(end) {
                            end -= 1;
                        }
                        format!("{}{}", &doc[..at], &doc[end..])
                    }
                    _ => format!("{}{}", &doc[..at], token),
                };
                pieces = vec![mutated];
            }
            let doc = pieces.concat();
            match crate::html_stream::stream_blocks(&doc) {
                Some(fast) => {
                    let tree = tree_flow(&doc);
                    if fast != tree {
                        let path = std::env::temp_dir().join(format!("html-diff-{round}.html"));
                        std::fs::write(&path, &doc).unwrap();
                        panic!(
                            "round {round}: differs from the tree; input in {}",
                            path.display()
                        );
                    }
                    same += 1;
                }
                None => declined += 1,
            }
        }
        eprintln!("{same} same, {declined} declined");
        assert!(
            same > declined,
            "declined too often: {same} same, {declined} declined"
        );
    }
}
