//! The document flattened into [`Segment`]s: a run of label text and the values printed after it.
//!
//! Every layout the auditor meets reduces to this shape. A table row of an HTML or DOCX table is
//! its label cells followed by its value cells; a line of `pdftotext -layout` output is a label and
//! the numbers separated by runs of spaces; the "flat" text of a web page is the label glued to its
//! digits ("一、本年新收政府信息公开申请数量640020470"). Label text that runs over several lines,
//! cells or pages is joined into one run, so a wrapped label ("（二）部分公开（区分处理的，只计这一情
//! 形，不" + "计其他情形）") reads as one; the row label is the one a run ends with (see
//! [`super::labels`]), so stray header words or a vertical header printed in front of it do not
//! matter.
//!
//! Values are kept as printed: digit strings (one cell, or several cells run together, which only
//! the table reader can split), signed and decimal numbers, placeholders ("/", "—", "无") and blank
//! table cells.

use super::labels::{CharSet, WINDOW};
use super::normalize::{fold, is_cjk, match_char};
use crate::model::CellValue;
use gongkai_docs::{Block, Document, Line};

/// How much of a run's text is kept: the longest canonical label has 34 match chars, and the
/// matcher looks at most about twice that far back; anchors (table 四's header) need a little more.
const RUN_TAIL: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueKind {
    /// Only ASCII digits, no sign: one cell, or several cells run together.
    Digits,
    /// A signed whole number ("-3", "+2") or one written with thousands separators ("1,234").
    Integer,
    /// A decimal ("7730.28") or a number with a money unit ("75394432.52元").
    Decimal,
    /// A printed placeholder: "/", "—", "无".
    Mark,
    /// An empty table cell.
    Blank,
}

/// One value as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Value {
    /// The value's text: folded to ASCII for numbers (so that the checks can parse it), the
    /// original text for placeholders.
    pub raw: String,
    pub kind: ValueKind,
}

impl Value {
    /// The cell of a count: a whole number where one is printed, else the text as printed, and
    /// blank for an empty cell (never 0).
    pub(crate) fn count_cell(&self) -> CellValue {
        match self.kind {
            ValueKind::Digits | ValueKind::Integer => {
                let digits: String = self.raw.chars().filter(|c| *c != ',').collect();
                digits
                    .parse::<i64>()
                    .map_or_else(|_| CellValue::Text(self.raw.clone()), CellValue::Number)
            }
            ValueKind::Decimal | ValueKind::Mark => CellValue::Text(self.raw.clone()),
            ValueKind::Blank => CellValue::Blank,
        }
    }

    /// The cell of an amount (fees in 万元, the procurement total): always the text as printed.
    pub(crate) fn text_cell(&self) -> CellValue {
        match self.kind {
            ValueKind::Blank => CellValue::Blank,
            _ => CellValue::Text(self.raw.clone()),
        }
    }
}

/// A run of label text (reduced to match chars, only its tail kept) and the values after it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Segment {
    pub run: Vec<char>,
    pub values: Vec<Value>,
    /// The characters at the end of the run, where labels are looked for.
    pub set: CharSet,
}

/// The flattened document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Flat {
    pub segments: Vec<Segment>,
    /// All match chars of the document in reading order, values included: for the format markers
    /// and the year found in the text.
    pub text: String,
}

/// Flattens a document (see the module documentation).
pub(crate) fn flatten(doc: &Document) -> Flat {
    let mut b = Builder::default();
    let lines: Vec<(usize, &Line)> = doc
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, block)| match block {
            Block::Line(line) => Some((i, line)),
            Block::Table(_) => None,
        })
        .collect();
    let page_ends = last_lines_of_pages(&lines);
    for (i, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Line(line) => {
                if is_page_marker(&line.text, page_ends.contains(&i)) {
                    continue;
                }
                for piece in line.text.split(char::is_whitespace) {
                    if !piece.is_empty() {
                        b.piece(piece);
                    }
                }
            }
            Block::Table(table) => {
                for row in &table.rows {
                    for cell in &row.cells {
                        if cell.text.trim().is_empty() {
                            b.value(Value {
                                raw: String::new(),
                                kind: ValueKind::Blank,
                            });
                            continue;
                        }
                        for piece in cell.text.split(char::is_whitespace) {
                            if !piece.is_empty() {
                                b.piece(piece);
                            }
                        }
                    }
                }
            }
        }
    }
    b.finish()
}

/// The block indices of the last non-empty line of each page (paged documents only): a bare
/// number there is the page number, not a cell.
fn last_lines_of_pages(lines: &[(usize, &Line)]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut iter = lines
        .iter()
        .filter(|(_, l)| !l.text.trim().is_empty())
        .peekable();
    while let Some((i, line)) = iter.next() {
        let Some(page) = line.page else { continue };
        let next_page = iter.peek().and_then(|(_, l)| l.page);
        if next_page != Some(page) {
            out.push(*i);
        }
    }
    out
}

/// Whether a line is a page number: "-3-", "— 3 —", "第3页", "第 3 页 共 5 页", "3/5"; a bare
/// number only when it ends its page.
fn is_page_marker(text: &str, ends_page: bool) -> bool {
    // Page numbers are short; most lines are not, and need no closer look.
    if text.len() > 48 {
        return false;
    }
    let folded: String = text
        .chars()
        .map(fold)
        .filter(|c| !c.is_whitespace())
        .collect();
    if folded.is_empty() {
        return false;
    }
    let dashes = |c: char| matches!(c, '-' | '—' | '–' | '―' | '~' | '·' | '－');
    let core = folded.trim_matches(dashes);
    let had_dashes = core.len() != folded.len();
    if core.is_empty() || core.chars().count() > 16 {
        return false;
    }
    let digits_only = core.chars().all(|c| c.is_ascii_digit());
    if digits_only {
        // "0 0 0" is a row of cells, not a page number.
        let digit_chunks = text
            .split_whitespace()
            .filter(|w| w.chars().any(|c| fold(c).is_ascii_digit()))
            .count();
        return core.len() <= 4 && digit_chunks == 1 && (had_dashes || ends_page);
    }
    // 第3页 / 第3页共5页 / 3/5 / 共5页第3页
    let stripped: String = core
        .chars()
        .filter(|c| !matches!(c, '第' | '页' | '共' | '/'))
        .collect();
    let has_page_word = core.contains('页');
    let is_fraction = core.contains('/') && !core.starts_with('/') && !core.ends_with('/');
    !stripped.is_empty()
        && stripped.chars().all(|c| c.is_ascii_digit())
        && (has_page_word || (is_fraction && (had_dashes || ends_page)))
}

#[derive(Default)]
struct Builder {
    segments: Vec<Segment>,
    /// The run being read; reused from segment to segment (only its tail is kept in the segment).
    run: Vec<char>,
    values: Vec<Value>,
    text: String,
    /// The folded characters of the piece being read; reused from piece to piece.
    piece: Vec<char>,
}

impl Builder {
    fn finish(mut self) -> Flat {
        if !self.run.is_empty() || !self.values.is_empty() {
            self.flush();
        }
        Flat {
            segments: self.segments,
            text: self.text,
        }
    }

    fn flush(&mut self) {
        let run = self
            .run
            .get(self.run.len().saturating_sub(RUN_TAIL)..)
            .unwrap_or_default()
            .to_vec();
        self.run.clear();
        let set = CharSet::of(
            run.get(run.len().saturating_sub(WINDOW)..)
                .unwrap_or_default(),
        );
        self.segments.push(Segment {
            run,
            values: std::mem::take(&mut self.values),
            set,
        });
    }

    /// Adds a character (already folded) to the run.
    fn text_char(&mut self, c: char) {
        if let Some(m) = match_char(c) {
            if !self.values.is_empty() {
                self.flush();
            }
            self.run.push(m);
            if self.run.len() > 2 * RUN_TAIL {
                let cut = self.run.len() - RUN_TAIL;
                self.run.drain(..cut);
            }
            self.text.push(m);
        }
    }

    fn value(&mut self, value: Value) {
        self.text.extend(value.raw.chars().filter_map(match_char));
        self.values.push(value);
    }

    /// Reads one whitespace-free piece of text (a whole cell or a part of a line).
    fn piece(&mut self, piece: &str) {
        let mut chars = std::mem::take(&mut self.piece);
        chars.clear();
        chars.extend(piece.chars().map(fold));
        self.read_piece(piece, &chars);
        self.piece = chars;
    }

    fn read_piece(&mut self, piece: &str, chars: &[char]) {
        if is_mark(chars) {
            self.value(Value {
                raw: piece.to_string(),
                kind: ValueKind::Mark,
            });
            return;
        }
        let mut i = 0usize;
        while let Some(&c) = chars.get(i) {
            let signed =
                i == 0 && matches!(c, '-' | '+') && chars.get(1).is_some_and(char::is_ascii_digit);
            if c.is_ascii_digit() || signed {
                i = self.number(chars, i, signed);
                continue;
            }
            if c == '('
                && let Some(len) = paren_numbering(chars.get(i..).unwrap_or_default())
            {
                for &ch in chars.get(i..i + len).unwrap_or_default() {
                    self.text_char(ch);
                }
                i += len;
                continue;
            }
            self.text_char(c);
            i += 1;
        }
    }

    /// Reads the number starting at `start`; returns the index after it.
    fn number(&mut self, chars: &[char], start: usize, signed: bool) -> usize {
        let digits_from = if signed { start + 1 } else { start };
        let mut j = digits_from;
        while chars.get(j).is_some_and(char::is_ascii_digit) {
            j += 1;
        }
        let mut kind = if signed {
            ValueKind::Integer
        } else {
            ValueKind::Digits
        };
        // Thousands separators: "1,234" (never between cells: run-together cells have none).
        while chars.get(j) == Some(&',')
            && (1..=3).all(|k| chars.get(j + k).is_some_and(char::is_ascii_digit))
            && !chars.get(j + 4).is_some_and(char::is_ascii_digit)
        {
            j += 4;
            kind = ValueKind::Integer;
        }
        let after = chars.get(j).copied();
        if after == Some('.') && chars.get(j + 1).is_some_and(char::is_ascii_digit) {
            j += 1;
            while chars.get(j).is_some_and(char::is_ascii_digit) {
                j += 1;
            }
            kind = ValueKind::Decimal;
        } else if kind == ValueKind::Digits
            && (matches!(after, Some('.' | '、')) || (after == Some(')') && j - digits_from == 1))
            && !chars.get(j + 1).is_some_and(char::is_ascii_digit)
            && (chars.get(j + 1).is_some() || j - digits_from == 1)
        {
            // A row numbering "6." / "6、" / "6)". In run-together text the numbering is glued to the
            // previous row's cells ("10000016.属于四类过程性信息"): numberings of table rows are
            // single digits, so the last digit opens the label and the rest are cells.
            if j - digits_from > 1 {
                self.value(Value {
                    raw: chars.get(start..j - 1).unwrap_or_default().iter().collect(),
                    kind: ValueKind::Digits,
                });
            }
            if let Some(&d) = chars.get(j - 1) {
                self.text_char(d);
            }
            return j + 1;
        }
        // A money unit stays with its amount ("75394432.52元").
        let unit_len = match (chars.get(j), chars.get(j + 1)) {
            (Some('万'), Some('元')) => 2,
            (Some('元'), _) => 1,
            _ => 0,
        };
        if unit_len > 0 {
            j += unit_len;
            kind = ValueKind::Decimal;
        }
        let end = j;
        // A count unit ("5件") is dropped: as text it would start a new run and cut the row in two.
        // Only when nothing follows it in the piece but punctuation, so "2个政务新媒体" stays text.
        if kind == ValueKind::Digits
            && matches!(chars.get(j), Some('件' | '条' | '个' | '项' | '次' | '人'))
            && !chars
                .get(j + 1)
                .is_some_and(|c| is_cjk(*c) || c.is_ascii_alphanumeric())
        {
            j += 1;
        }
        self.value(Value {
            raw: chars.get(start..end).unwrap_or_default().iter().collect(),
            kind,
        });
        j
    }
}

/// Placeholders printed in a cell instead of a number.
fn is_mark(chars: &[char]) -> bool {
    let dash = |c: &char| matches!(c, '/' | '-' | '—' | '–' | '―' | '\\' | '_' | '－' | '×');
    (!chars.is_empty() && chars.len() <= 3 && chars.iter().all(dash))
        || matches!(chars, ['无'] | ['空'] | ['空', '白'])
}

/// The length of a parenthesised numbering at the start of `chars` ("(1)", "(12)"), whose digits
/// belong to the label, not to the cells.
fn paren_numbering(chars: &[char]) -> Option<usize> {
    if chars.first() != Some(&'(') {
        return None;
    }
    let digits = chars
        .iter()
        .skip(1)
        .take_while(|c| c.is_ascii_digit())
        .count();
    ((1..=2).contains(&digits) && chars.get(digits + 1) == Some(&')')).then_some(digits + 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_docs::SourceKind;

    fn doc(lines: &[&str]) -> Document {
        Document {
            source: SourceKind::Txt,
            blocks: lines
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    Block::Line(Line {
                        text: (*t).to_string(),
                        page: None,
                        number: u32::try_from(i + 1).unwrap(),
                    })
                })
                .collect(),
        }
    }

    fn raws(seg: &Segment) -> Vec<&str> {
        seg.values.iter().map(|v| v.raw.as_str()).collect()
    }

    #[test]
    fn glued_numbering_opens_the_next_label() {
        let flat = flatten(&doc(&[
            "5.属于三类内部事务信息10000016.属于四类过程性信息0000000",
        ]));
        let segs = &flat.segments;
        assert_eq!(segs.len(), 2);
        assert_eq!(raws(&segs[0]), vec!["1000001"]);
        assert_eq!(
            segs[1].run.iter().collect::<String>(),
            "6属于四类过程性信息"
        );
        assert_eq!(segs[0].run.first(), Some(&'5'));
    }

    #[test]
    fn decimals_units_signs_and_marks() {
        let flat = flatten(&doc(&[
            "行政事业性收费24252.311082三、",
            "采购 75394432.52元 -3 / —",
        ]));
        let all: Vec<(String, ValueKind)> = flat
            .segments
            .iter()
            .flat_map(|s| s.values.iter().map(|v| (v.raw.clone(), v.kind)))
            .collect();
        assert_eq!(
            all,
            vec![
                ("24252.311082".to_string(), ValueKind::Decimal),
                ("75394432.52元".to_string(), ValueKind::Decimal),
                ("-3".to_string(), ValueKind::Integer),
                ("/".to_string(), ValueKind::Mark),
                ("—".to_string(), ValueKind::Mark),
            ]
        );
    }

    #[test]
    fn count_units_stay_with_their_cell() {
        let flat = flatten(&doc(&["行政许可 5件 3件", "新媒体2个政务号"]));
        assert_eq!(raws(&flat.segments[0]), vec!["5", "3"]);
        assert_eq!(flat.segments.len(), 3);
    }

    #[test]
    fn page_markers_are_dropped() {
        assert!(is_page_marker("   -3-  ", false));
        assert!(is_page_marker("— 12 —", false));
        assert!(is_page_marker("第 3 页 共 5 页", false));
        assert!(is_page_marker("7", true));
        assert!(!is_page_marker("7", false));
        assert!(!is_page_marker("0 0 0", true));
        assert!(!is_page_marker("规章", true));
    }

    #[test]
    fn parenthesised_numbering_stays_with_its_label() {
        let flat = flatten(&doc(&["0 0 (1)属于国家秘密 5"]));
        assert_eq!(flat.segments.len(), 2);
        assert_eq!(
            flat.segments[1].run.iter().collect::<String>(),
            "1属于国家秘密"
        );
        assert_eq!(raws(&flat.segments[1]), vec!["5"]);
    }
}
