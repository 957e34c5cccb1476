//! From the values after a row label to the row's cells: as printed when the cells are separate,
//! through [`super::split`] when they ran together.

use super::split::{self, Rules};
use super::tokens::{Value, ValueKind};
use crate::finding::{Finding, Severity};
use crate::model::{CellRef, CellValue};

pub(crate) const S_AMBIGUOUS: &str = "S-AMBIGUOUS";

/// Most candidate splits kept for one row; beyond that the row is reported as unreadable.
const MAX_SPLITS: usize = 5_000;

/// How a column's cell is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    /// A count: a whole number where one is printed.
    Count,
    /// An amount (万元, 元): the text as printed.
    Amount,
}

impl Column {
    fn cell(self, value: &Value) -> CellValue {
        match self {
            Column::Count => value.count_cell(),
            Column::Amount => value.text_cell(),
        }
    }

    fn split_cell(self, n: u64) -> CellValue {
        match self {
            Column::Count => {
                i64::try_from(n).map_or_else(|_| CellValue::Text(n.to_string()), CellValue::Number)
            }
            Column::Amount => CellValue::Text(n.to_string()),
        }
    }
}

/// The possible readings of one row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RowOptions {
    /// Candidate readings; exactly one when the cells were printed apart. Empty when the digits ran
    /// together in more ways than could be enumerated.
    pub options: Vec<Vec<CellValue>>,
    /// The digits as printed, when they ran together.
    pub glued: Option<String>,
}

impl RowOptions {
    pub(crate) fn fixed(cells: Vec<CellValue>) -> Self {
        RowOptions {
            options: vec![cells],
            glued: None,
        }
    }
}

/// The readings of a row of `columns.len()` cells printed as `values`.
///
/// - At least as many values as cells: the first ones, as printed, after dropping surplus blank
///   cells at either end (a value past the last column is stray text of the layout, not a cell).
/// - Fewer, all of them digit strings with enough digits: the cells ran together; every split
///   under `max_len` and the row sums `sum_blocks` (or, when the row's own sums are broken so that
///   none fits, every split at all: the checks will report the sum). No option at all when the
///   digits cannot be cut into well-formed cells, or in too many ways to list.
/// - Fewer otherwise: the values printed, then blank cells (a layout that drops empty cells cannot
///   say which ones were empty; blank is what the auditor can honestly say).
pub(crate) fn row_options(
    values: &[Value],
    columns: &[Column],
    max_len: usize,
    sum_blocks: Option<&[usize]>,
) -> RowOptions {
    let n = columns.len();
    if values.len() >= n {
        // More values than columns: empty cells of the layout (a spacer cell, an empty header
        // cell, the next row's empty first cell) are the likely extras, first at the front, then
        // at the end; what remains is read from the front.
        let mut start = 0usize;
        let mut end = values.len();
        while end - start > n
            && values
                .get(start)
                .is_some_and(|v| v.kind == ValueKind::Blank)
        {
            start += 1;
        }
        while end - start > n
            && values
                .get(end - 1)
                .is_some_and(|v| v.kind == ValueKind::Blank)
        {
            end -= 1;
        }
        return RowOptions::fixed(
            columns
                .iter()
                .zip(values.get(start..end).unwrap_or_default())
                .map(|(col, v)| col.cell(v))
                .collect(),
        );
    }
    let digits: usize = values.iter().map(|v| v.raw.len()).sum();
    let glued =
        !values.is_empty() && values.iter().all(|v| v.kind == ValueKind::Digits) && digits >= n;
    if glued {
        let pieces: Vec<&str> = values.iter().map(|v| v.raw.as_str()).collect();
        let rules = Rules {
            cells: n,
            max_len,
            sum_blocks,
            max_splits: MAX_SPLITS,
        };
        let mut found = split::splits(&pieces, rules);
        if sum_blocks.is_some() && matches!(&found, Ok(v) if v.is_empty()) {
            found = split::splits(
                &pieces,
                Rules {
                    sum_blocks: None,
                    ..rules
                },
            );
        }
        let printed = pieces.join(" ");
        return match found {
            Ok(splits) if !splits.is_empty() => RowOptions {
                options: splits
                    .into_iter()
                    .map(|s| {
                        columns
                            .iter()
                            .zip(s)
                            .map(|(col, n)| col.split_cell(n))
                            .collect()
                    })
                    .collect(),
                glued: Some(printed),
            },
            // No well-formed split (a digit string far too long for the cells) or too many:
            // the cells cannot be read.
            Ok(_) | Err(split::TooMany) => RowOptions {
                options: Vec::new(),
                glued: Some(printed),
            },
        };
    }
    let mut cells: Vec<CellValue> = columns
        .iter()
        .zip(values)
        .map(|(col, v)| col.cell(v))
        .collect();
    cells.resize(n, CellValue::Blank);
    RowOptions::fixed(cells)
}

/// The cells all `options` agree on, blank where they differ, and the positions that differ. No
/// option at all: every cell blank and undetermined.
pub(crate) fn settle(options: &[Vec<CellValue>], n: usize) -> (Vec<CellValue>, Vec<usize>) {
    let mut cells = Vec::with_capacity(n);
    let mut open = Vec::new();
    for k in 0..n {
        let mut values = options
            .iter()
            .map(|o| o.get(k).cloned().unwrap_or_default());
        let first = values.next();
        match first {
            Some(v) if options.iter().all(|o| o.get(k) == Some(&v)) => cells.push(v),
            _ => {
                cells.push(CellValue::Blank);
                open.push(k);
            }
        }
    }
    (cells, open)
}

/// The `S-AMBIGUOUS` finding for `cells` with the candidate readings (same order as `cells`);
/// `printed` is the digits as printed (the finding's `actual`), when known.
pub(crate) fn ambiguous(
    cells: Vec<CellRef>,
    candidates: Vec<Vec<String>>,
    printed: Option<String>,
    message: String,
) -> Finding {
    let mut finding = Finding::new(S_AMBIGUOUS, Severity::Warning, message).with_cells(cells);
    finding.candidates = candidates;
    finding.actual = printed.filter(|p| !p.is_empty());
    finding
}

/// The candidates projected on the undetermined positions, without repeats, in order.
pub(crate) fn project(options: &[Vec<CellValue>], open: &[usize]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for option in options {
        let candidate: Vec<String> = open
            .iter()
            .map(|k| option.get(*k).map_or_else(String::new, ToString::to_string))
            .collect();
        if !out.contains(&candidate) {
            out.push(candidate);
        }
    }
    out
}

/// The readable list of candidates for a message ("69|3|665；6|93|665；…"), cut after a few.
pub(crate) fn describe(candidates: &[Vec<String>]) -> String {
    const SHOWN: usize = 6;
    let mut parts: Vec<String> = candidates.iter().take(SHOWN).map(|c| c.join("|")).collect();
    if candidates.len() > SHOWN {
        parts.push(format!("等共{}种", candidates.len()));
    }
    parts.join("；")
}
