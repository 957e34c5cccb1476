//! Reading the rows of one table: which segment carries which row's values.
//!
//! The rows of a table are printed in a known order, which is the strongest evidence there is:
//! after row k, the next values belong to one of the next few rows, never to an earlier one. So a
//! table is read from a start segment (one that ends with one of its first rows' labels), matching
//! each following segment against the next [`LOOKAHEAD`] rows only and taking the best-scoring
//! label. Every place where the table could start is tried, and the reading with the most rows
//! wins (the earliest on a tie): a row label quoted in the narrative ("本年新收政府信息公开申请数量
//! 为5件") starts a reading that soon dies.
//!
//! A label may go on after its values, at the beginning of the next segment's run (a PDF table
//! whose numbers sit beside a middle line of a wrapped label): see [`Label::score_continued`].
//! That is tried for a segment only when no label ends its run in full, and never for the start
//! of a table, so that the reader of documents without wrapped labels does not pay for it.

use super::labels::Label;
use super::tokens::{Segment, Value};
use std::ops::Range;

/// How many rows ahead of the last one read a segment may be matched against: lets a reading skip
/// a row whose label is unreadable without jumping into another part of the table.
const LOOKAHEAD: usize = 12;
/// Segments with values that match no row before a reading is given up.
const MAX_MISSES: usize = 4;
/// Start segments tried: bounds the cost on a document that quotes a label many times.
const MAX_STARTS: usize = 32;
/// How many of a table's first rows may start a reading.
const START_ROWS: usize = 3;

/// A row of a table: its key and its label.
#[derive(Debug, Clone)]
pub(crate) struct RowSpec<K> {
    pub key: K,
    pub label: Label,
}

impl<K> RowSpec<K> {
    pub(crate) fn new(key: K, variants: &[&str], numbering: Option<u8>) -> Self {
        RowSpec {
            key,
            label: Label::new(variants, numbering),
        }
    }
}

impl<K> RowSpec<K> {
    /// How well the label of this row ends the run of `segments[index]`; with `continued`, the
    /// label may go on into the next segment's run.
    fn score(&self, segments: &[Segment], index: usize, continued: bool) -> Option<f32> {
        let segment = segments.get(index)?;
        let continuation = match segments.get(index + 1) {
            Some(next) if continued => next.run.as_slice(),
            _ => &[],
        };
        self.label
            .score_continued(&segment.run, &segment.set, continuation)
    }
}

/// A row found: its key and the segment whose values were printed after its label (not yet
/// cut into cells).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawRow<K> {
    pub key: K,
    pub segment: usize,
}

impl<K> RawRow<K> {
    /// The values printed after the row's label.
    pub(crate) fn values<'a>(&self, segments: &'a [Segment]) -> &'a [Value] {
        segments
            .get(self.segment)
            .map_or(&[], |s| s.values.as_slice())
    }
}

/// One reading of a table.
#[derive(Debug, Clone)]
pub(crate) struct Reading<K> {
    pub rows: Vec<RawRow<K>>,
    /// The segments the reading covers.
    pub span: Range<usize>,
    /// Segments with values inside the span that matched no row.
    misses: usize,
}

/// Reads the table with rows `specs` from the segments in `range`. `stop` says where the table has
/// certainly ended (the next table's header). `None` when no segment ends with one of the first
/// rows' labels.
pub(crate) fn read_rows<K: Copy>(
    segments: &[Segment],
    specs: &[RowSpec<K>],
    range: Range<usize>,
    stop: &dyn Fn(&Segment) -> bool,
) -> Option<Reading<K>> {
    let mut best: Option<Reading<K>> = None;
    let mut starts = 0usize;
    for start in range.clone() {
        let Some(segment) = segments.get(start) else {
            break;
        };
        if segment.values.is_empty()
            || !specs
                .iter()
                .take(START_ROWS)
                .any(|s| s.score(segments, start, false).is_some())
        {
            continue;
        }
        starts += 1;
        if starts > MAX_STARTS {
            break;
        }
        let reading = read_from(segments, specs, start, range.end, stop);
        // More rows first; then fewer segments skipped (a label quoted in the text just before
        // the table starts a reading that has to skip the table's own first row); then earlier.
        let better = best.as_ref().is_none_or(|b| {
            (reading.rows.len(), std::cmp::Reverse(reading.misses))
                > (b.rows.len(), std::cmp::Reverse(b.misses))
        });
        if better {
            best = Some(reading);
        }
    }
    best
}

fn read_from<K: Copy>(
    segments: &[Segment],
    specs: &[RowSpec<K>],
    start: usize,
    end: usize,
    stop: &dyn Fn(&Segment) -> bool,
) -> Reading<K> {
    let mut rows = Vec::new();
    let mut next = 0usize;
    let mut misses = 0usize;
    let mut missed = 0usize;
    let mut last = start;
    for (index, segment) in segments.iter().enumerate().take(end).skip(start) {
        if index > start && stop(segment) {
            break;
        }
        if segment.values.is_empty() {
            continue;
        }
        // The best score; on a tie the earlier row (so the first perfect match ends the search).
        // The labels as they end the run first; only when none is printed in full, the labels
        // continued after the values (the rarer case, and dearer to compute).
        let mut found: Option<(usize, f32)> = None;
        for continued in [false, true] {
            if found.is_some_and(|(k, s)| {
                specs
                    .get(k)
                    .is_some_and(|spec| s >= spec.label.best_possible())
            }) {
                break;
            }
            for (k, spec) in specs.iter().enumerate().skip(next).take(LOOKAHEAD) {
                if let Some(s) = spec.score(segments, index, continued)
                    && found.is_none_or(|(_, b)| s > b)
                {
                    found = Some((k, s));
                    if s >= spec.label.best_possible() {
                        break;
                    }
                }
            }
        }
        if found.is_none() {
            // A table that leaves out many rows (only group rows, or only the rows it uses):
            // further ahead, only an exact label with its numbering is taken.
            found = specs
                .iter()
                .enumerate()
                .skip(next + LOOKAHEAD)
                .find_map(|(k, spec)| {
                    spec.score(segments, index, true)
                        .filter(|s| *s >= spec.label.best_possible())
                        .map(|s| (k, s))
                });
        }
        match found.and_then(|(k, _)| specs.get(k).map(|spec| (k, spec))) {
            Some((k, spec)) => {
                rows.push(RawRow {
                    key: spec.key,
                    segment: index,
                });
                last = index;
                next = k + 1;
                missed += misses;
                misses = 0;
                if next >= specs.len() {
                    break;
                }
            }
            None => {
                misses += 1;
                if misses > MAX_MISSES {
                    break;
                }
            }
        }
    }
    Reading {
        rows,
        span: start..last + 1,
        misses: missed,
    }
}
