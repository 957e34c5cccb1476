//! The text convention that turns a rendered template into a typeset document.
//!
//! - Each non-blank line is one paragraph; blank lines are ignored (so `{% if %}` lines leave no
//!   trace). Leading and trailing spaces are dropped.
//! - The first line is the title (centred).
//! - `^ 文字`: a centred line; directly under the title it is the 文号 line.
//! - `< 文字`: a line without first-line indent (the salutation "张三：", "附件：").
//! - `> 文字`: a right-aligned line; the `>` lines at the end form the signature block (organ
//!   name, date).
//! - `# 文字` / `## 文字`: a heading of level 1 / 2.
//! - `---`: a page break.
//! - Any other line: a body paragraph with the usual two-character first-line indent.

use gongkai_typeset::{Align, Block, Document, Paragraph};

use crate::error::LetterError;

/// Builds the document from the rendered text (see the module documentation).
pub fn to_document(text: &str) -> Result<Document, LetterError> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let title = lines.next().ok_or(LetterError::NoTitle)?;
    let mut doc = Document::new(title);
    doc.push(Block::Title {
        text: title.to_string(),
    });
    let mut right: Vec<String> = Vec::new();
    let mut first = true;
    for line in lines {
        if let Some(rest) = marker(line, '>') {
            right.push(rest.to_string());
            first = false;
            continue;
        }
        // Right-aligned lines followed by more text were not the closing block after all.
        flush_right(&mut doc, &mut right, false);
        let block = if let Some(rest) = marker(line, '^') {
            if first {
                Block::DocNumber {
                    text: rest.to_string(),
                }
            } else {
                Block::Paragraph(Paragraph::aligned(rest, Align::Center))
            }
        } else if let Some(rest) = marker(line, '<') {
            Block::Paragraph(Paragraph::flush(rest))
        } else if let Some(rest) = line.strip_prefix("## ") {
            Block::Heading {
                level: 2,
                text: rest.trim().to_string(),
            }
        } else if let Some(rest) = line.strip_prefix("# ") {
            Block::Heading {
                level: 1,
                text: rest.trim().to_string(),
            }
        } else if line == "---" {
            Block::PageBreak
        } else {
            Block::Paragraph(Paragraph::body(line))
        };
        first = false;
        doc.push(block);
    }
    flush_right(&mut doc, &mut right, true);
    Ok(doc)
}

fn marker(line: &str, mark: char) -> Option<&str> {
    line.strip_prefix(mark).map(str::trim)
}

fn flush_right(doc: &mut Document, right: &mut Vec<String>, at_end: bool) {
    if right.is_empty() {
        return;
    }
    if at_end {
        doc.push(Block::Signature {
            lines: std::mem::take(right),
        });
    } else {
        for line in right.drain(..) {
            doc.push(Block::Paragraph(Paragraph::aligned(line, Align::Right)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_become_blocks_and_the_closing_right_lines_the_signature() {
        let text = "\n  答复告知书 \n^ 某公开〔2026〕1号\n\n< 张三：\n正文一。\n> 中间右对齐\n# 一、标题\n---\n正文二。\n> 某机关\n> 2026年11月20日\n";
        let doc = to_document(text).unwrap();
        assert_eq!(doc.title, "答复告知书");
        assert_eq!(
            doc.blocks,
            vec![
                Block::Title {
                    text: "答复告知书".into()
                },
                Block::DocNumber {
                    text: "某公开〔2026〕1号".into()
                },
                Block::Paragraph(Paragraph::flush("张三：")),
                Block::Paragraph(Paragraph::body("正文一。")),
                Block::Paragraph(Paragraph::aligned("中间右对齐", Align::Right)),
                Block::Heading {
                    level: 1,
                    text: "一、标题".into()
                },
                Block::PageBreak,
                Block::Paragraph(Paragraph::body("正文二。")),
                Block::Signature {
                    lines: vec!["某机关".into(), "2026年11月20日".into()]
                },
            ]
        );
    }

    #[test]
    fn a_text_without_any_line_has_no_title() {
        assert_eq!(to_document(" \n\n").unwrap_err(), LetterError::NoTitle);
    }
}
