//! Table 四 — 政府信息公开行政复议、行政诉讼情况 (legal-rules.md §B.4).
//!
//! Fifteen cells under a three-level header: 行政复议 / 行政诉讼（未经复议直接起诉 / 复议后起诉）,
//! each 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计. The header is recognised by its words (it
//! mentions both 复议 and 诉讼, and the result columns — as words, or as the characters of words
//! stacked in narrow columns, see [`mentions_columns`]), then the next fifteen values are read,
//! across header fragments if the layout prints the three blocks apart. Cells that ran together
//! are split under the three block totals.

use super::cells::{self, Column};
use super::normalize::{contains, match_chars};
use super::tokens::{Segment, Value, ValueKind};
use crate::finding::Finding;
use crate::model::{CellRef, CellValue, ReviewBlock, Table4};
use std::ops::Range;
use std::sync::LazyLock;

/// Cases per cell stay far below 100,000.
const MAX_DIGITS: usize = 5;
const CELLS: usize = 15;
const COLUMNS: [Column; CELLS] = [Column::Count; CELLS];
const BLOCKS: [&str; 3] = [
    "reconsideration",
    "litigation_direct",
    "litigation_after_reconsideration",
];
const CELL_KEYS: [&str; 5] = ["upheld", "corrected", "other", "pending", "total"];
/// How many segments table 四 (header and values) may take.
const MAX_SEGMENTS: usize = 64;
/// Header text between value groups longer than this is not table 四's header any more.
const MAX_HEADER_RUN: usize = 80;

struct Words {
    review: Vec<char>,
    litigation: Vec<char>,
    columns: Vec<Vec<char>>,
    /// The characters the result columns' words are made of.
    column_chars: Vec<char>,
    header: Vec<Vec<char>>,
}

static WORDS: LazyLock<Words> = LazyLock::new(|| Words {
    // "复议" rather than "行政复议": a report prints "行政法复议" in its title.
    review: match_chars("复议"),
    litigation: match_chars("诉讼"),
    columns: ["维持", "纠正", "审结", "其他结果"]
        .iter()
        .map(|s| match_chars(s))
        .collect(),
    column_chars: match_chars("维持纠正审结"),
    header: [
        "复议", "诉讼", "起诉", "结果", "维持", "纠正", "审结", "尚未", "总计", "其他",
    ]
    .iter()
    .map(|s| match_chars(s))
    .collect(),
});

/// Whether `run` names the result columns: as words, or as the characters of 维持, 纠正 and 审结
/// all present. The second is how a PDF's text layer reads when the fifteen result columns are
/// too narrow for their words: each word is stacked one or two characters a line, and
/// pdftotext prints the lines of all fifteen columns side by side ("结 结 其 尚 总 …", "果 果 他
/// 未 计 …", "维 纠 结 审 …"), so that no word is left in one piece.
fn mentions_columns(run: &[char]) -> bool {
    WORDS.columns.iter().any(|w| contains(run, w))
        || WORDS.column_chars.iter().all(|c| run.contains(c))
}

fn is_header_fragment(run: &[char]) -> bool {
    run.len() <= MAX_HEADER_RUN && WORDS.header.iter().any(|w| contains(run, w))
}

/// Table 四 read and what could not be settled.
pub(crate) struct Found {
    pub table: Table4,
    pub findings: Vec<Finding>,
}

/// Reads table 四 from the segments in `range`: the first header followed by fifteen cells.
pub(crate) fn read(segments: &[Segment], range: Range<usize>) -> Option<(Found, Range<usize>)> {
    for start in range.clone() {
        let Some(segment) = segments.get(start) else {
            break;
        };
        if !(contains(&segment.run, &WORDS.review) && contains(&segment.run, &WORDS.litigation)) {
            continue;
        }
        if let Some((values, end)) = gather(segments, start, range.end) {
            let (table, findings) = settle(&values);
            return Some((Found { table, findings }, start..end));
        }
    }
    None
}

/// The values of the table whose header run is `segments[start]`, and the end of its segments.
fn gather(segments: &[Segment], start: usize, end: usize) -> Option<(Vec<Value>, usize)> {
    let mut values: Vec<Value> = Vec::new();
    let mut columns_named = false;
    // The header and the three blocks take a handful of segments; the bound keeps a page of
    // repeated header words from costing quadratic time.
    for (index, segment) in segments
        .iter()
        .enumerate()
        .take(end.min(start + MAX_SEGMENTS))
        .skip(start)
    {
        if index > start && !is_header_fragment(&segment.run) && !segment.run.is_empty() {
            break;
        }
        columns_named |= mentions_columns(&segment.run);
        if !columns_named {
            // The title of the section (or the narrative) mentions 复议 and 诉讼 too: its numbers
            // are not cells until the header's column words have been seen. Empty header cells
            // are no numbers.
            if segment.values.iter().any(|v| v.kind != ValueKind::Blank) {
                return None;
            }
            continue;
        }
        values.extend(segment.values.iter().cloned());
        let cells = values.len();
        let digits: usize = values
            .iter()
            .filter(|v| v.kind == ValueKind::Digits)
            .map(|v| v.raw.len())
            .sum();
        if cells >= CELLS {
            return Some((values, index + 1));
        }
        // Run-together cells: stop at the first group of values that may hold all fifteen.
        let all_digits = values.iter().all(|v| v.kind == ValueKind::Digits);
        if all_digits && digits >= CELLS {
            let next_has_values = segments
                .get(index + 1)
                .is_some_and(|s| is_header_fragment(&s.run) && !s.values.is_empty());
            if !next_has_values {
                return Some((values, index + 1));
            }
        }
    }
    None
}

fn settle(values: &[Value]) -> (Table4, Vec<Finding>) {
    let options = cells::row_options(values, &COLUMNS, MAX_DIGITS, Some(&[5, 5, 5]));
    let (cells, open) = cells::settle(&options.options, CELLS);
    let mut findings = Vec::new();
    if !open.is_empty() {
        let refs: Vec<CellRef> = open.iter().filter_map(|k| cell_ref(*k)).collect();
        let candidates = cells::project(&options.options, &open);
        let printed = options.glued.unwrap_or_default();
        let message = if candidates.is_empty() {
            format!("表四的数字连在一起（“{printed}”），拆分方式过多，无法读出，请对照原件核实。")
        } else {
            format!(
                "表四的数字连在一起（“{printed}”），按三个“总计”拆分后仍有{}种读法（{}），无法确定，未采用任何一种；请对照原件核实。",
                candidates.len(),
                cells::describe(&candidates)
            )
        };
        findings.push(cells::ambiguous(refs, candidates, Some(printed), message));
    }
    let mut it = cells.into_iter();
    let mut block = || {
        ReviewBlock::from_values(std::array::from_fn(|_| {
            it.next().unwrap_or(CellValue::Blank)
        }))
    };
    let table = Table4 {
        reconsideration: block(),
        litigation_direct: block(),
        litigation_after_reconsideration: block(),
    };
    (table, findings)
}

fn cell_ref(k: usize) -> Option<CellRef> {
    let block = BLOCKS.get(k / 5)?;
    let cell = CELL_KEYS.get(k % 5)?;
    Some(CellRef::new(&["table4", block, cell]))
}
