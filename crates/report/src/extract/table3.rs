//! Table 三 — 收到和处理政府信息公开申请情况 (legal-rules.md §B.3).
//!
//! Rows are read in printed order (see [`super::rows`]); a group printed as one row ("（六）其他处理
//! 0 0 0 …", always so in the 2019 format) is read as its group key, never split into invented
//! sub-rows.
//!
//! When cells ran together, each row's candidate splits (those whose six applicant columns add up
//! to its 总计) are combined across rows under the table's own arithmetic, per column:
//! 一 + 二 = （七）总计 + 四 (the 勾稽关系 printed in the header) and the outcome rows add up to
//! （七）总计. Every combination that satisfies all of it is kept; a cell is read when all of them
//! agree on it, and reported `S-AMBIGUOUS` with the candidates otherwise. When the report's own
//! arithmetic is broken so that no combination fits, each row stands on its own row total (the
//! checks then report the broken sum).

use super::cells::{self, Column, RowOptions};
use super::normalize::{contains, match_chars};
use super::rows::{self, RowSpec};
use super::tokens::Segment;
use crate::finding::Finding;
use crate::model::{CellRef, CellValue, Table3, Table3Column, Table3Columns, Table3Row};
use std::ops::Range;
use std::sync::LazyLock;

/// Applications per row and column stay far below a million.
const MAX_DIGITS: usize = 6;
/// Search steps of the combination over rows: bounds the time on a hostile document.
const MAX_STEPS: usize = 300_000;
/// Combinations kept; more means the cells cannot be told apart anyway.
const MAX_SOLUTIONS: usize = 512;

const COLUMNS: [Column; 7] = [Column::Count; 7];

/// The canonical labels without punctuation; the numbering is given apart (legal-rules.md §B.3).
static SPECS: LazyLock<Vec<RowSpec<Table3Row>>> = LazyLock::new(|| {
    use Table3Row::*;
    let rows: [(Table3Row, &[&str], u8); 29] = [
        (NewReceived, &["本年新收政府信息公开申请数量"], 1),
        (CarriedOver, &["上年结转政府信息公开申请数量"], 2),
        (Granted, &["予以公开"], 1),
        (
            PartiallyGranted,
            &["部分公开区分处理的只计这一情形不计其他情形", "部分公开"],
            2,
        ),
        (Denied, &["不予公开"], 3),
        (DeniedStateSecret, &["属于国家秘密"], 1),
        (DeniedProhibitedByLaw, &["其他法律行政法规禁止公开"], 2),
        (DeniedEndangersSecurityStability, &["危及三安全一稳定"], 3),
        (DeniedThirdPartyRights, &["保护第三方合法权益"], 4),
        (DeniedInternalAffairs, &["属于三类内部事务信息"], 5),
        (DeniedProcessInformation, &["属于四类过程性信息"], 6),
        (DeniedEnforcementFile, &["属于行政执法案卷"], 7),
        (DeniedAdministrativeQuery, &["属于行政查询事项"], 8),
        (Unable, &["无法提供"], 4),
        (UnableNotHeld, &["本机关不掌握相关政府信息"], 1),
        (UnableNeedsCreation, &["没有现成信息需要另行制作"], 2),
        (UnableUnclearAfterCorrection, &["补正后申请内容仍不明确"], 3),
        (NotProcessed, &["不予处理"], 5),
        (NotProcessedPetitionComplaint, &["信访举报投诉类申请"], 1),
        (NotProcessedRepeated, &["重复申请"], 2),
        (NotProcessedPublication, &["要求提供公开出版物"], 3),
        (NotProcessedExcessive, &["无正当理由大量反复申请"], 4),
        (
            NotProcessedConfirmOrReissue,
            &["要求行政机关确认或重新出具已获取信息"],
            5,
        ),
        (OtherProcessing, &["其他处理"], 6),
        (
            OtherOverdueCorrection,
            &["申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请"],
            1,
        ),
        (
            OtherOverdueFee,
            &["申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请"],
            2,
        ),
        (OtherOther, &["其他"], 3),
        (TotalProcessed, &["总计"], 7),
        (CarriedForward, &["结转下年度继续办理"], 4),
    ];
    rows.iter()
        .map(|(row, variants, n)| RowSpec::new(*row, variants, Some(*n)))
        .collect()
});

/// Where table 三 has certainly ended: table 四's header or section 五.
static STOPS: LazyLock<(Vec<char>, Vec<char>, Vec<char>)> = LazyLock::new(|| {
    (
        match_chars("行政复议"),
        match_chars("行政诉讼"),
        match_chars("存在的主要问题"),
    )
});

fn stop(segment: &Segment) -> bool {
    let (review, litigation, problems) = &*STOPS;
    (contains(&segment.run, review) && contains(&segment.run, litigation))
        || contains(&segment.run, problems)
}

/// Table 三 read and what could not be settled.
pub(crate) struct Found {
    pub table: Table3,
    pub findings: Vec<Finding>,
}

/// Reads table 三 from the segments in `range`; also returns the segments it covers.
pub(crate) fn read(segments: &[Segment], range: Range<usize>) -> Option<(Found, Range<usize>)> {
    let reading = rows::read_rows(segments, &SPECS, range, &stop)?;
    if reading.rows.len() < 3 {
        return None;
    }
    let rows: Vec<(Table3Row, RowOptions)> = reading
        .rows
        .iter()
        .map(|raw| {
            (
                raw.key,
                cells::row_options(raw.values(segments), &COLUMNS, MAX_DIGITS, Some(&[7])),
            )
        })
        .collect();
    let (table, findings) = settle(&rows);
    Some((Found { table, findings }, reading.span))
}

/// Chooses the cells of every row (see the module documentation).
fn settle(rows: &[(Table3Row, RowOptions)]) -> (Table3, Vec<Finding>) {
    let mut table = Table3::new();
    let mut findings = Vec::new();
    let undecided = rows.iter().any(|(_, o)| o.options.len() != 1);
    if !undecided {
        for (row, options) in rows {
            let cells = options.options.first().cloned().unwrap_or_default();
            table.insert(*row, columns(cells));
        }
        return (table, findings);
    }
    match Combination::new(rows).solve() {
        Solved::Solutions(solutions) => {
            // Per row, the readings some solution uses.
            let mut refs = Vec::new();
            let mut open_per_row = Vec::new();
            for (index, (row, options)) in rows.iter().enumerate() {
                let used: Vec<Vec<CellValue>> = solutions
                    .iter()
                    .filter_map(|s| s.get(index).and_then(|o| options.options.get(*o)).cloned())
                    .collect();
                let (cells, open) = cells::settle(&used, COLUMNS.len());
                for k in &open {
                    if let Some(col) = Table3Column::ALL.get(*k) {
                        refs.push(CellRef::table3(*row, *col));
                    }
                }
                open_per_row.push(open);
                table.insert(*row, columns(cells));
            }
            if !refs.is_empty() {
                let mut candidates: Vec<Vec<String>> = Vec::new();
                for solution in &solutions {
                    let mut candidate = Vec::new();
                    for (index, ((_, options), open)) in rows.iter().zip(&open_per_row).enumerate()
                    {
                        let chosen = solution.get(index).and_then(|o| options.options.get(*o));
                        for k in open {
                            candidate.push(
                                chosen
                                    .and_then(|c| c.get(*k))
                                    .map_or_else(String::new, ToString::to_string),
                            );
                        }
                    }
                    if !candidates.contains(&candidate) {
                        candidates.push(candidate);
                    }
                }
                let named: Vec<String> = rows
                    .iter()
                    .zip(&open_per_row)
                    .flat_map(|((row, _), open)| {
                        open.iter()
                            .filter_map(|k| Table3Column::ALL.get(*k))
                            .map(move |col| format!("“{}”行“{}”列", row.label(), col.label()))
                    })
                    .collect();
                let message = format!(
                    "表三有数字连在一起的行，按行合计和勾稽关系（第一项加第二项之和等于第三项加第四项之和，各办理结果之和等于总计）拆分后仍有{}种读法，以下{}个单元格无法确定，未采用任何一种：{}；请对照原件核实。",
                    candidates.len(),
                    refs.len(),
                    named.join("、")
                );
                let printed: Vec<String> = rows
                    .iter()
                    .zip(&open_per_row)
                    .filter(|(_, open)| !open.is_empty())
                    .filter_map(|((row, options), _)| {
                        options
                            .glued
                            .as_ref()
                            .map(|g| format!("{}：{g}", row.label()))
                    })
                    .collect();
                findings.push(cells::ambiguous(
                    refs,
                    candidates,
                    Some(printed.join("；")),
                    message,
                ));
            }
        }
        Solved::None | Solved::TooMany => {
            // The report's own sums are broken (or the search gave up): each row on its own.
            for (row, options) in rows {
                let (cells, open) = cells::settle(&options.options, COLUMNS.len());
                if !open.is_empty() {
                    let refs: Vec<CellRef> = open
                        .iter()
                        .filter_map(|k| Table3Column::ALL.get(*k))
                        .map(|col| CellRef::table3(*row, *col))
                        .collect();
                    let candidates = cells::project(&options.options, &open);
                    let printed = options.glued.clone().unwrap_or_default();
                    let message = if candidates.is_empty() {
                        format!(
                            "表三“{}”一行的数字连在一起（“{printed}”），拆分方式过多，无法读出，请对照原件核实。",
                            row.label()
                        )
                    } else {
                        format!(
                            "表三“{}”一行的数字连在一起（“{printed}”），按本行合计仍有{}种读法（{}），且全表的勾稽关系无法同时满足，无法确定，未采用任何一种；请对照原件核实。",
                            row.label(),
                            candidates.len(),
                            cells::describe(&candidates)
                        )
                    };
                    findings.push(cells::ambiguous(refs, candidates, Some(printed), message));
                }
                table.insert(*row, columns(cells));
            }
        }
    }
    (table, findings)
}

fn columns(cells: Vec<CellValue>) -> Table3Columns {
    let mut it = cells.into_iter();
    Table3Columns::from_values(std::array::from_fn(|_| it.next().unwrap_or_default()))
}

enum Solved {
    /// Every combination satisfying the sums: one option index per row.
    Solutions(Vec<Vec<usize>>),
    None,
    TooMany,
}

/// The search over the rows' candidate readings under the table's arithmetic.
struct Combination<'a> {
    rows: &'a [(Table3Row, RowOptions)],
    /// Row indices in search order: （七）总计 and the identity rows first, so that sums prune early.
    order: Vec<usize>,
    /// Search position after which the identity can be checked (all four rows assigned).
    identity_at: Option<usize>,
    identity: Option<[usize; 4]>,
    total: Option<usize>,
    /// Whether the row (by index) is one of the outcome rows that add up to （七）总计.
    leaf: Vec<bool>,
    /// Numbers of each option (None where a cell is not a number).
    numbers: Vec<Vec<[Option<i64>; 7]>>,
    /// No candidate holds a negative count, so partial sums may prune.
    nonnegative: bool,
    choice: Vec<usize>,
    /// Running sums of the outcome rows per column (wide: printed counts may be absurd).
    sums: [i128; 7],
    unknown: [u32; 7],
    solutions: Vec<Vec<usize>>,
    steps: usize,
    too_many: bool,
}

impl<'a> Combination<'a> {
    fn new(rows: &'a [(Table3Row, RowOptions)]) -> Self {
        let find = |key: Table3Row| rows.iter().position(|(r, _)| *r == key);
        let present = |key: Table3Row| rows.iter().any(|(r, _)| *r == key);
        let total = find(Table3Row::TotalProcessed);
        let identity = match (
            find(Table3Row::NewReceived),
            find(Table3Row::CarriedOver),
            total,
            find(Table3Row::CarriedForward),
        ) {
            (Some(a), Some(b), Some(c), Some(d)) => Some([a, b, c, d]),
            _ => None,
        };
        // A group row counts as an outcome only where its sub-rows are not printed.
        let leaf: Vec<bool> = rows
            .iter()
            .map(|(row, _)| {
                row.is_outcome()
                    && !matches!(*row, Table3Row::TotalProcessed)
                    && !Table3Row::ALL
                        .iter()
                        .any(|sub| sub.group() == Some(*row) && present(*sub))
            })
            .collect();
        let mut order: Vec<usize> = Vec::with_capacity(rows.len());
        if let Some(t) = total {
            order.push(t);
        }
        for i in identity.into_iter().flatten() {
            if !order.contains(&i) {
                order.push(i);
            }
        }
        let identity_at = identity.map(|_| order.len().saturating_sub(1));
        for (i, is_leaf) in leaf.iter().enumerate() {
            if *is_leaf && !order.contains(&i) {
                order.push(i);
            }
        }
        for i in 0..rows.len() {
            if !order.contains(&i) {
                order.push(i);
            }
        }
        let numbers: Vec<Vec<[Option<i64>; 7]>> = rows
            .iter()
            .map(|(_, o)| {
                o.options
                    .iter()
                    .map(|cells| std::array::from_fn(|k| cells.get(k).and_then(CellValue::number)))
                    .collect()
            })
            .collect();
        let nonnegative = numbers
            .iter()
            .flatten()
            .flatten()
            .all(|v| v.is_none_or(|n| n >= 0));
        Combination {
            rows,
            order,
            identity_at,
            identity,
            total,
            leaf,
            numbers,
            nonnegative,
            choice: vec![0; rows.len()],
            sums: [0; 7],
            unknown: [0; 7],
            solutions: Vec::new(),
            steps: 0,
            too_many: false,
        }
    }

    fn solve(mut self) -> Solved {
        // A row that could not be split at all has no reading: it takes no part in the sums.
        if self.rows.iter().any(|(_, o)| o.options.is_empty()) {
            return Solved::TooMany;
        }
        self.go(0);
        if self.too_many {
            Solved::TooMany
        } else if self.solutions.is_empty() {
            Solved::None
        } else {
            Solved::Solutions(self.solutions)
        }
    }

    fn value(&self, row: usize, col: usize) -> Option<i64> {
        let option = *self.choice.get(row)?;
        *self.numbers.get(row)?.get(option)?.get(col)?
    }

    fn go(&mut self, position: usize) {
        if self.too_many {
            return;
        }
        self.steps += 1;
        if self.steps > MAX_STEPS {
            self.too_many = true;
            return;
        }
        let Some(&row) = self.order.get(position) else {
            if self.outcomes_add_up() {
                if self.solutions.len() >= MAX_SOLUTIONS {
                    self.too_many = true;
                } else {
                    self.solutions.push(self.choice.clone());
                }
            }
            return;
        };
        let count = self.numbers.get(row).map_or(0, Vec::len);
        let is_leaf = self.leaf.get(row).copied().unwrap_or(false);
        for option in 0..count {
            if let Some(slot) = self.choice.get_mut(row) {
                *slot = option;
            }
            if is_leaf {
                self.add(row, option, 1);
            }
            if self.consistent(position) {
                self.go(position + 1);
            }
            if is_leaf {
                self.add(row, option, -1);
            }
        }
    }

    fn add(&mut self, row: usize, option: usize, sign: i64) {
        let Some(values) = self.numbers.get(row).and_then(|o| o.get(option)).copied() else {
            return;
        };
        for (k, v) in values.iter().enumerate() {
            match v {
                Some(n) => {
                    if let Some(s) = self.sums.get_mut(k) {
                        *s += i128::from(sign) * i128::from(*n);
                    }
                }
                None => {
                    if let Some(u) = self.unknown.get_mut(k) {
                        *u = if sign > 0 {
                            u.saturating_add(1)
                        } else {
                            u.saturating_sub(1)
                        };
                    }
                }
            }
        }
    }

    /// The checks that can already be made after assigning `position`.
    fn consistent(&self, position: usize) -> bool {
        if Some(position) == self.identity_at
            && let Some([a, b, c, d]) = self.identity
        {
            for k in 0..7 {
                if let (Some(a), Some(b), Some(c), Some(d)) = (
                    self.value(a, k),
                    self.value(b, k),
                    self.value(c, k),
                    self.value(d, k),
                ) && i128::from(a) + i128::from(b) != i128::from(c) + i128::from(d)
                {
                    return false;
                }
            }
        }
        // The outcome rows cannot already exceed （七）总计 (counts are not negative).
        if let Some(t) = self.total
            && position > 0
            && self.nonnegative
        {
            for k in 0..7 {
                if let (Some(total), Some(sum), Some(0)) =
                    (self.value(t, k), self.sums.get(k), self.unknown.get(k))
                    && *sum > i128::from(total)
                {
                    return false;
                }
            }
        }
        true
    }

    fn outcomes_add_up(&self) -> bool {
        let Some(t) = self.total else { return true };
        (0..7).all(
            |k| match (self.value(t, k), self.sums.get(k), self.unknown.get(k)) {
                (Some(total), Some(sum), Some(0)) => *sum == i128::from(total),
                _ => true,
            },
        )
    }
}
