//! Plain text: one [`Line`] per physical line, spacing kept exactly (tabs and runs of spaces are the
//! only cell separators a text rendering of a table has).

use crate::{Block, Line};

/// Splits text into lines numbered from 1. Line ends are `\n`, `\r\n` or a lone `\r` (old Mac
/// files); only the line end itself is removed.
///
/// A form feed (`\x0C`) is a page break, as in `pdftotext` output (such output is often saved as a
/// `.txt`): if the text has any, lines carry 1-based page numbers, otherwise `page` is `None`. A
/// form feed at the very end (pdftotext ends every page with one) does not open an empty page.
pub(crate) fn text_lines(text: &str) -> Vec<Block> {
    let paged = text.contains('\x0C');
    let mut blocks = Vec::new();
    let mut number: u32 = 0;
    let mut pages: Vec<&str> = text.split('\x0C').collect();
    if paged && pages.len() > 1 && pages.last().is_some_and(|p| p.is_empty()) {
        pages.pop();
    }
    for (page_index, page_text) in pages.iter().enumerate() {
        let page = paged.then(|| u32::try_from(page_index + 1).unwrap_or(u32::MAX));
        let mut lines: Vec<&str> = split_lines(page_text);
        // The text after the last line end is a line only if it is not empty.
        if lines.len() > 1 && lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        for line in lines {
            number = number.saturating_add(1);
            blocks.push(Block::Line(Line {
                text: line.to_string(),
                page,
                number,
            }));
        }
    }
    // An empty file or one form feed: no lines at all rather than one empty line.
    if blocks.len() == 1 && matches!(blocks.first(), Some(Block::Line(l)) if l.text.is_empty()) {
        blocks.clear();
    }
    blocks
}

fn split_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => {
                lines.push(text.get(start..i).unwrap_or_default());
                start = i + 1;
            }
            b'\r' => {
                lines.push(text.get(start..i).unwrap_or_default());
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    lines.push(text.get(start..).unwrap_or_default());
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(blocks: &[Block]) -> Vec<(String, Option<u32>, u32)> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Line(l) => Some((l.text.clone(), l.page, l.number)),
                Block::Table(_) => None,
            })
            .collect()
    }

    #[test]
    fn keeps_spacing_and_numbers_lines() {
        let blocks = text_lines("a\t0\t 1 \r\n\r\nb\rc\n");
        assert_eq!(
            texts(&blocks),
            vec![
                ("a\t0\t 1 ".to_string(), None, 1),
                (String::new(), None, 2),
                ("b".to_string(), None, 3),
                ("c".to_string(), None, 4),
            ]
        );
    }

    #[test]
    fn form_feeds_are_pages() {
        let blocks = text_lines("p1 a\np1 b\n\x0cp2 a\n\x0c");
        assert_eq!(
            texts(&blocks),
            vec![
                ("p1 a".to_string(), Some(1), 1),
                ("p1 b".to_string(), Some(1), 2),
                ("p2 a".to_string(), Some(2), 3),
            ]
        );
    }

    #[test]
    fn empty_text_has_no_lines() {
        assert!(text_lines("").is_empty());
        assert!(text_lines("\x0c").is_empty());
    }
}
