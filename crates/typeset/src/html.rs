//! The document as an HTML fragment (for the public 年报 page and the `html` export): headings,
//! paragraphs and tables with `colspan`/`rowspan`, every text escaped. No styles beyond alignment
//! classes and no script: the page that embeds it brings its own stylesheet.

use crate::error::TypesetError;
use crate::model::{Align, Block, Document};

/// Escapes text for HTML (and SVG/XML) element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn align_class(align: Align) -> &'static str {
    match align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    }
}

/// The body of the document (no `<html>`/`<head>`): wrap it in a page.
pub fn to_html(document: &Document) -> Result<String, TypesetError> {
    crate::validate(document)?;
    let mut out = String::new();
    for block in &document.blocks {
        match block {
            Block::Title { text } => out.push_str(&format!("<h1>{}</h1>\n", escape_html(text))),
            Block::DocNumber { text } => {
                out.push_str(&format!("<p class=\"center\">{}</p>\n", escape_html(text)));
            }
            Block::Heading { level, text } => {
                let h = level.saturating_add(1).min(6);
                out.push_str(&format!("<h{h}>{}</h{h}>\n", escape_html(text)));
            }
            Block::Paragraph(p) => out.push_str(&format!(
                "<p class=\"{}\">{}</p>\n",
                align_class(p.align),
                escape_html(&p.text)
            )),
            Block::Signature { lines } => {
                for line in lines {
                    out.push_str(&format!("<p class=\"right\">{}</p>\n", escape_html(line)));
                }
            }
            Block::Table(table) => {
                out.push_str("<table>\n");
                for (i, row) in table.rows.iter().enumerate() {
                    let tag = if i < table.header_rows { "th" } else { "td" };
                    out.push_str("<tr>");
                    for cell in &row.cells {
                        out.push_str(&format!("<{tag}"));
                        if cell.col_span > 1 {
                            out.push_str(&format!(" colspan=\"{}\"", cell.col_span));
                        }
                        if cell.row_span > 1 {
                            out.push_str(&format!(" rowspan=\"{}\"", cell.row_span));
                        }
                        out.push_str(&format!(">{}</{tag}>", escape_html(&cell.text)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</table>\n");
            }
            Block::PageBreak => {}
        }
    }
    Ok(out)
}

/// A whole HTML page around [`to_html`], for a file download.
pub fn to_html_page(document: &Document) -> Result<String, TypesetError> {
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
         <style>body{{font-family:serif;max-width:60em;margin:2em auto;line-height:1.6}}\
         table{{border-collapse:collapse;margin:1em 0}}th,td{{border:1px solid #000;padding:.2em .4em;text-align:center}}\
         .right{{text-align:right}}.center{{text-align:center}}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        escape_html(&document.title),
        to_html(document)?
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::{Cell, Paragraph, Row, Table};

    #[test]
    fn text_is_escaped_and_spans_are_kept() {
        let doc = Document {
            title: "<标题>".to_owned(),
            blocks: vec![
                Block::Paragraph(Paragraph::body("a < b & \"c\"")),
                Block::Table(Table {
                    column_widths: Vec::new(),
                    header_rows: 1,
                    rows: vec![
                        Row {
                            cells: vec![Cell::new("合并").span(2, 1)],
                        },
                        Row {
                            cells: vec![Cell::new("1"), Cell::new("<script>")],
                        },
                    ],
                }),
            ],
        };
        let html = to_html_page(&doc).unwrap();
        assert!(html.contains("<title>&lt;标题&gt;</title>"));
        assert!(html.contains("a &lt; b &amp; &quot;c&quot;"));
        assert!(html.contains("<th colspan=\"2\">合并</th>"));
        assert!(html.contains("<td>&lt;script&gt;</td>"));
        assert!(!html.contains("<script>"));
    }
}
