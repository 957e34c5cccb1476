//! Table 三 arithmetic (T3-*): the 勾稽关系 of 收到和处理政府信息公开申请情况
//! (legal-rules.md §B.3 "Arithmetic"; all three are errors per §B.5).
//!
//! Sums are taken in `i128` so that no printed number can overflow them.

use super::cells::{self, t3_row_label};
use super::{ids, not_assessable};
use crate::finding::{Finding, Severity};
use crate::model::{CellRef, Table3, Table3Column, Table3Row};

/// The numbers of some cells of one column, or the cells that are not numbers.
fn column_values(
    table: &Table3,
    rows: &[Table3Row],
    column: Table3Column,
) -> Result<Vec<i64>, Vec<String>> {
    let mut values = Vec::with_capacity(rows.len());
    let mut blanks = Vec::new();
    for &row in rows {
        match table.get(&row) {
            Some(cols) => match cells::count(cols.get(column)) {
                Some(n) => values.push(n),
                None => blanks.push(format!(
                    "“{}”为{}",
                    t3_row_label(row),
                    cells::describe(cols.get(column))
                )),
            },
            None => blanks.push(format!("缺少“{}”行", t3_row_label(row))),
        }
    }
    if blanks.is_empty() {
        Ok(values)
    } else {
        Err(blanks)
    }
}

fn sum(values: &[i64]) -> i128 {
    values.iter().map(|&v| i128::from(v)).sum()
}

const BLANK_ADVICE: &str = "空白或“/”不能当作0，请在单元格中填写数字（没有发生的填“0”）后再核对。";

/// T3-IDENTITY (error): per column, 一 + 二 = 三（七）总计 + 四 — the 勾稽关系 printed in the
/// table's own header (legal-rules.md §B.3 item 1, [V]).
pub fn check_identity(table: &Table3) -> Vec<Finding> {
    use Table3Row::*;
    let rows = [NewReceived, CarriedOver, TotalProcessed, CarriedForward];
    let absent: Vec<String> = rows
        .iter()
        .filter(|r| !table.contains_key(r))
        .map(|r| format!("“{}”", r.label()))
        .collect();
    if !absent.is_empty() {
        return vec![not_assessable(
            ids::T3_IDENTITY,
            format!(
                "表三缺少{}行，无法核对“第一项加第二项之和，等于第三项加第四项之和”的勾稽关系。",
                absent.join("、")
            ),
        )];
    }
    let mut out = Vec::new();
    for column in Table3Column::ALL {
        // Built only for a finding: most columns pass.
        let cells_read =
            || -> Vec<CellRef> { rows.iter().map(|&r| cells::t3_ref(r, column)).collect() };
        match column_values(table, &rows, column) {
            Err(blanks) => out.push(
                not_assessable(
                    ids::T3_IDENTITY,
                    format!(
                        "表三“{}”列无法核对“第一项加第二项之和，等于第三项加第四项之和”：{}。{BLANK_ADVICE}",
                        column.label(),
                        blanks.join("，")
                    ),
                )
                .with_cells(cells_read()),
            ),
            Ok(v) => {
                let (new, over, processed, forward) = (
                    v.first().copied().unwrap_or(0),
                    v.get(1).copied().unwrap_or(0),
                    v.get(2).copied().unwrap_or(0),
                    v.get(3).copied().unwrap_or(0),
                );
                let lhs = i128::from(new) + i128::from(over);
                let rhs = i128::from(processed) + i128::from(forward);
                if lhs != rhs {
                    out.push(
                        Finding::new(
                            ids::T3_IDENTITY,
                            Severity::Error,
                            format!(
                                "表三“{}”列：本年新收（{new}）+上年结转（{over}）={lhs}，但办理结果总计（{processed}）+结转下年度（{forward}）={rhs}。按表三的勾稽关系，第一项加第二项之和应等于第三项加第四项之和，请核对该列数字。",
                                column.label()
                            ),
                        )
                        .with_cells(cells_read())
                        .with_values(lhs, rhs),
                    );
                }
            }
        }
    }
    out
}

/// The outcome rows to add up for （七）总计: every outcome row present, except that a group
/// printed as one row (（三）不予公开, （六）其他处理, …) stands for its sub-rows, which are then
/// not counted again (report-model.md §2: the extractor emits the group key when a report prints
/// the group as one row).
pub fn outcome_rows(table: &Table3) -> Vec<Table3Row> {
    table
        .keys()
        .copied()
        .filter(|r| r.is_outcome())
        .filter(|r| r.group().is_none_or(|g| !table.contains_key(&g)))
        .collect()
}

/// Outcome rows the 2021 layout prints that this table has neither as a row nor through its
/// group row.
fn missing_outcome_rows(table: &Table3) -> Vec<Table3Row> {
    Table3Row::ALL
        .into_iter()
        .filter(|r| r.is_outcome() && !table.contains_key(r))
        .filter(|r| match r.group() {
            // A sub-row is covered by its printed group row.
            Some(g) => !table.contains_key(&g),
            // A group row is covered when it is printed as sub-rows; 予以公开/部分公开 have no
            // stand-in.
            None => {
                let subs: Vec<Table3Row> = Table3Row::ALL
                    .into_iter()
                    .filter(|s| s.group() == Some(*r))
                    .collect();
                subs.is_empty()
            }
        })
        .collect()
}

/// T3-OUTCOMES (error): per column, the outcome rows （一）–（六） add up to （七）总计
/// (legal-rules.md §B.3 item 2).
pub fn check_outcomes(table: &Table3) -> Vec<Finding> {
    let rows = outcome_rows(table);
    if !table.contains_key(&Table3Row::TotalProcessed) || rows.is_empty() {
        return vec![not_assessable(
            ids::T3_OUTCOMES,
            "表三缺少“（七）总计”行或各项办理结果行，无法核对办理结果之和。",
        )];
    }
    let missing = missing_outcome_rows(table);
    let mut all_rows = rows.clone();
    all_rows.push(Table3Row::TotalProcessed);
    let mut out = Vec::new();
    for column in Table3Column::ALL {
        // Built only for a finding: most columns pass.
        let cells_read = || -> Vec<CellRef> {
            rows.iter()
                .chain([Table3Row::TotalProcessed].iter())
                .map(|&r| cells::t3_ref(r, column))
                .collect()
        };
        let values = match column_values(table, &all_rows, column) {
            Ok(v) => v,
            Err(blanks) => {
                out.push(
                    not_assessable(
                        ids::T3_OUTCOMES,
                        format!(
                            "表三“{}”列无法核对各项办理结果之和是否等于“（七）总计”：{}。{BLANK_ADVICE}",
                            column.label(),
                            blanks.join("，")
                        ),
                    )
                    .with_cells(cells_read()),
                );
                continue;
            }
        };
        let (parts, total) = match values.split_last() {
            Some((total, parts)) => (parts, *total),
            None => continue,
        };
        let parts_sum = sum(parts);
        if parts_sum == i128::from(total) {
            continue;
        }
        if !missing.is_empty() {
            // With rows missing, a difference may be the missing rows', not the report's.
            let names: Vec<String> = missing
                .iter()
                .map(|&r| format!("“{}”", t3_row_label(r)))
                .collect();
            out.push(
                not_assessable(
                    ids::T3_OUTCOMES,
                    format!(
                        "表三“{}”列：现有各项办理结果之和为{parts_sum}，“（七）总计”为{total}；但表中缺少{}行，无法判断差额是否来自缺少的行。请补齐表三各行后再核对。",
                        column.label(),
                        names.join("、")
                    ),
                )
                .with_cells(cells_read())
                .with_values(parts_sum, total),
            );
            continue;
        }
        let nonzero: Vec<String> = rows
            .iter()
            .zip(parts.iter())
            .filter(|(_, v)| **v != 0)
            .map(|(r, v)| format!("“{}”{v}", t3_row_label(*r)))
            .collect();
        let detail = if nonzero.is_empty() {
            "各项均为0".to_string()
        } else {
            format!("其中{}", cells::list_names(&nonzero, 6))
        };
        out.push(
            Finding::new(
                ids::T3_OUTCOMES,
                Severity::Error,
                format!(
                    "表三“{}”列：（一）至（六）各项办理结果之和为{parts_sum}（{detail}），但“（七）总计”为{total}。各项办理结果之和应等于总计，请核对该列的办理结果和总计。",
                    column.label()
                ),
            )
            .with_cells(cells_read())
            .with_values(parts_sum, total),
        );
    }
    out
}

/// T3-ROW-TOTAL (error): per row, the six applicant columns add up to 总计
/// (legal-rules.md §B.3 item 3).
pub fn check_row_totals(table: &Table3) -> Vec<Finding> {
    let mut out = Vec::new();
    for (&row, cols) in table {
        // Built only for a finding: most rows pass.
        let cells_read = || -> Vec<CellRef> {
            Table3Column::ALL
                .iter()
                .map(|&c| cells::t3_ref(row, c))
                .collect()
        };
        // The counts read once into an array: no allocation for a row that adds up.
        let counts = Table3Column::ALL.map(|column| (column, cells::count(cols.get(column))));
        if counts.iter().any(|(_, n)| n.is_none()) {
            let blanks: Vec<String> = counts
                .iter()
                .filter(|(_, n)| n.is_none())
                .map(|&(column, _)| {
                    format!(
                        "“{}”列为{}",
                        column.label(),
                        cells::describe(cols.get(column))
                    )
                })
                .collect();
            out.push(
                not_assessable(
                    ids::T3_ROW_TOTAL,
                    format!(
                        "表三“{}”行无法核对六类申请人之和是否等于总计：{}。{BLANK_ADVICE}",
                        t3_row_label(row),
                        blanks.join("，")
                    ),
                )
                .with_cells(cells_read()),
            );
            continue;
        }
        let Some(total) = counts
            .iter()
            .find(|(c, _)| *c == Table3Column::Total)
            .and_then(|(_, n)| *n)
        else {
            continue;
        };
        let total = &total;
        let parts = || {
            counts
                .iter()
                .filter(|(c, _)| *c != Table3Column::Total)
                .filter_map(|&(c, n)| n.map(|n| (c, n)))
        };
        let parts_sum: i128 = parts().map(|(_, v)| i128::from(v)).sum();
        if parts_sum != i128::from(*total) {
            let terms: Vec<String> = parts().map(|(c, v)| format!("{}{v}", c.label())).collect();
            out.push(
                Finding::new(
                    ids::T3_ROW_TOTAL,
                    Severity::Error,
                    format!(
                        "表三“{}”行：{}={parts_sum}，但“总计”列为{total}。自然人与五类法人或其他组织之和应等于总计，请核对该行。",
                        t3_row_label(row),
                        terms.join("+")
                    ),
                )
                .with_cells(cells_read())
                .with_values(parts_sum, total),
            );
        }
    }
    out
}
