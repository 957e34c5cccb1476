//! Cross-year checks (X-*): this year's report against last year's report of the same organ
//! (report-model.md §3; legal-rules.md §B.3 item 4, §B.1 "(四)明确责任").
//!
//! All three are warnings: last year's figures may have been re-stated, and an officer decides.

use super::cells::{self, t3_cell_label};
use super::structure::{SECTION_TITLES, body_of, find_sections};
use super::text::Text;
use super::{CheckInput, ids, not_assessable, year_label};
use crate::finding::{Finding, Severity};
use crate::model::{CellRef, CellValue, ReportTables, Table2, Table3Column, Table3Row};
use std::collections::BTreeSet;

/// Similarity (0–1) at or above which a section counts as copied from last year's report.
pub const COPY_THRESHOLD: f64 = 0.9;

/// Sections shorter than this (in characters kept for comparison) are not compared: a one-line
/// section says too little for 雷同 to mean anything.
const COPY_MIN_CHARS: usize = 20;

const CROSS_YEAR_IDS: [&str; 3] = [ids::X_CARRYOVER, ids::X_IN_FORCE, ids::X_COPY];

/// Runs X-CARRYOVER, X-IN-FORCE and X-COPY. `previous` must be the report for the year before
/// `current`'s; otherwise each check says it cannot run.
pub fn check(current: &CheckInput, previous: &CheckInput) -> Vec<Finding> {
    check_in(current, current.text.map(Text::new).as_ref(), previous)
}

/// [`check`] with the current report's text already normalised (by [`super::run_checks`]).
pub(crate) fn check_in(
    current: &CheckInput,
    current_text: Option<&Text>,
    previous: &CheckInput,
) -> Vec<Finding> {
    let (cur_year, prev_year) = (current.tables.year, previous.tables.year);
    let consecutive =
        matches!((cur_year, prev_year), (Some(c), Some(p)) if c.checked_sub(1) == Some(p));
    if !consecutive {
        let message = format!(
            "跨年度核对需要上一年度的报告：本报告为{}，所提供的对比报告为{}，不是相邻的上一年度，无法核对。",
            year_label(cur_year),
            year_label(prev_year)
        );
        return CROSS_YEAR_IDS
            .iter()
            .map(|id| not_assessable(id, message.clone()))
            .collect();
    }
    let prev_label = year_label(prev_year);
    let mut out = check_carryover(current.tables, previous.tables, &prev_label);
    out.extend(check_in_force(current.tables, previous.tables, &prev_label));
    let previous_text = previous.text.map(Text::new);
    out.extend(check_copy_in(
        current_text,
        previous_text.as_ref(),
        &prev_label,
    ));
    out
}

/// X-CARRYOVER (warning): per column, this year's 二、上年结转 equals last year's
/// 四、结转下年度继续办理 (legal-rules.md §B.3 item 4: follows from the definitions, not written
/// in 30号, so a warning — re-statements happen).
pub fn check_carryover(
    current: &ReportTables,
    previous: &ReportTables,
    prev_label: &str,
) -> Vec<Finding> {
    let cur_row = current
        .table3
        .as_ref()
        .and_then(|t| t.get(&Table3Row::CarriedOver));
    let prev_row = previous
        .table3
        .as_ref()
        .and_then(|t| t.get(&Table3Row::CarriedForward));
    let (Some(cur_row), Some(prev_row)) = (cur_row, prev_row) else {
        return vec![not_assessable(
            ids::X_CARRYOVER,
            format!(
                "本年度表三“二、上年结转政府信息公开申请数量”行或{prev_label}表三“四、结转下年度继续办理”行缺失，无法核对结转数是否衔接。"
            ),
        )];
    };
    let mut out = Vec::new();
    for column in Table3Column::ALL {
        let cur_cell = cur_row.get(column);
        let prev_cell = prev_row.get(column);
        let cells_read = [
            cells::t3_ref(Table3Row::CarriedOver, column),
            CellRef(format!(
                "previous.{}",
                cells::t3_ref(Table3Row::CarriedForward, column)
            )),
        ];
        match (cells::count(cur_cell), cells::count(prev_cell)) {
            (Some(now), Some(before)) => {
                if now != before {
                    out.push(
                        Finding::new(
                            ids::X_CARRYOVER,
                            Severity::Warning,
                            format!(
                                "表三“{}”列：本年度“二、上年结转政府信息公开申请数量”为{now}，但{prev_label}报告“四、结转下年度继续办理”为{before}，两者应当相等。请核对；如上年数据有更正，请在报告中说明。",
                                column.label()
                            ),
                        )
                        .with_cells(cells_read)
                        .with_values(before, now),
                    );
                }
            }
            _ => out.push(
                not_assessable(
                    ids::X_CARRYOVER,
                    format!(
                        "表三“{}”列无法核对结转数是否衔接：{}为{}，{prev_label}{}为{}。",
                        column.label(),
                        t3_cell_label(Table3Row::CarriedOver, column),
                        cells::describe(cur_cell),
                        t3_cell_label(Table3Row::CarriedForward, column),
                        cells::describe(prev_cell)
                    ),
                )
                .with_cells(cells_read),
            ),
        }
    }
    out
}

/// X-IN-FORCE (warning): 现行有效件数(Y) = 现行有效件数(Y−1) + 本年制发件数(Y) − 本年废止件数(Y),
/// for 规章 and 行政规范性文件; both reports in the 2021 format (the 2019 table 二 has no
/// 现行有效件数). A warning: documents also lapse (失效) without being 废止.
pub fn check_in_force(
    current: &ReportTables,
    previous: &ReportTables,
    prev_label: &str,
) -> Vec<Finding> {
    let (Some(Table2::F2021(cur)), Some(Table2::F2021(prev))) = (&current.table2, &previous.table2)
    else {
        return vec![not_assessable(
            ids::X_IN_FORCE,
            format!(
                "本年度或{prev_label}报告缺少2021年格式的表二（含“现行有效件数”），无法核对现行有效件数是否衔接。"
            ),
        )];
    };
    let mut out = Vec::new();
    for (key, name, now, before) in [
        ("regulations", "规章", &cur.regulations, &prev.regulations),
        (
            "normative_documents",
            "行政规范性文件",
            &cur.normative_documents,
            &prev.normative_documents,
        ),
    ] {
        let cells_read = vec![
            CellRef(format!("previous.table2.{key}.in_force")),
            CellRef::new(&["table2", key, "issued"]),
            CellRef::new(&["table2", key, "repealed"]),
            CellRef::new(&["table2", key, "in_force"]),
        ];
        let named: [(&str, &CellValue); 4] = [
            ("上一年度“现行有效件数”", &before.in_force),
            ("本年“本年制发件数”", &now.issued),
            ("本年“本年废止件数”", &now.repealed),
            ("本年“现行有效件数”", &now.in_force),
        ];
        let values: Vec<Option<i64>> = named.iter().map(|(_, v)| cells::count(v)).collect();
        let &[
            Some(prev_in_force),
            Some(issued),
            Some(repealed),
            Some(in_force),
        ] = values.as_slice()
        else {
            let blanks: Vec<String> = named
                .iter()
                .filter(|(_, v)| cells::count(v).is_none())
                .map(|(n, v)| format!("{n}为{}", cells::describe(v)))
                .collect();
            out.push(
                not_assessable(
                    ids::X_IN_FORCE,
                    format!(
                        "表二“{name}”行无法核对现行有效件数是否衔接：{}。",
                        blanks.join("，")
                    ),
                )
                .with_cells(cells_read),
            );
            continue;
        };
        let expected = i128::from(prev_in_force) + i128::from(issued) - i128::from(repealed);
        if expected != i128::from(in_force) {
            out.push(
                Finding::new(
                    ids::X_IN_FORCE,
                    Severity::Warning,
                    format!(
                        "表二“{name}”行：{prev_label}现行有效件数（{prev_in_force}）+本年制发件数（{issued}）−本年废止件数（{repealed}）={expected}，但本年“现行有效件数”为{in_force}。请核对；如有文件失效、上年数字更正等其他变动，请在报告中说明。"
                    ),
                )
                .with_cells(cells_read)
                .with_values(expected, in_force),
            );
        }
    }
    out
}

/// The characters compared for 雷同: letters only (Chinese characters included) — digits,
/// spaces and punctuation are dropped so that changed years and figures do not hide a copy.
fn comparable(s: &str) -> Vec<char> {
    s.chars().filter(|c| c.is_alphabetic()).collect()
}

/// Jaccard similarity of the sets of character bigrams of two texts (0–1).
pub fn similarity(a: &str, b: &str) -> f64 {
    let bigrams = |s: &str| -> BTreeSet<(char, char)> {
        let chars = comparable(s);
        chars
            .windows(2)
            .filter_map(|w| match w {
                [x, y] => Some((*x, *y)),
                _ => None,
            })
            .collect()
    };
    let (x, y) = (bigrams(a), bigrams(b));
    let union = x.union(&y).count();
    if union == 0 {
        return 0.0;
    }
    x.intersection(&y).count() as f64 / union as f64
}

/// X-COPY (warning): sections 一 (总体情况) and 五 (存在的主要问题及改进情况) nearly identical
/// to last year's — 内容雷同 is pursued under 条例 Art 47 per 国办公开办函〔2021〕30号
/// "(四)明确责任" (legal-rules.md §B.1).
pub fn check_copy(current: Option<&str>, previous: Option<&str>, prev_label: &str) -> Vec<Finding> {
    check_copy_in(
        current.map(Text::new).as_ref(),
        previous.map(Text::new).as_ref(),
        prev_label,
    )
}

/// [`check_copy`] on normalised texts.
fn check_copy_in(
    current: Option<&Text>,
    previous: Option<&Text>,
    prev_label: &str,
) -> Vec<Finding> {
    let (Some(cur), Some(prev)) = (current, previous) else {
        return vec![not_assessable(
            ids::X_COPY,
            format!("未提供本年度或{prev_label}报告的正文，无法核对内容是否与上一年度雷同。"),
        )];
    };
    // The headings of each text found once, for both sections compared.
    let (cur_found, prev_found) = (find_sections(cur), find_sections(prev));
    let mut out = Vec::new();
    for section in [0usize, 4] {
        let name = SECTION_TITLES
            .get(section)
            .map(|(n, t)| format!("“{n}、{t}”"))
            .unwrap_or_default();
        let (Some(a), Some(b)) = (
            body_of(cur, &cur_found, section),
            body_of(prev, &prev_found, section),
        ) else {
            out.push(not_assessable(
                ids::X_COPY,
                format!("本年度或{prev_label}报告中未找到{name}部分，无法比较两年内容是否雷同。"),
            ));
            continue;
        };
        if comparable(&a).len() < COPY_MIN_CHARS || comparable(&b).len() < COPY_MIN_CHARS {
            out.push(not_assessable(
                ids::X_COPY,
                format!("{name}部分文字过短，不比较两年内容是否雷同。"),
            ));
            continue;
        }
        let sim = similarity(&a, &b);
        if sim >= COPY_THRESHOLD {
            out.push(
                Finding::new(
                    ids::X_COPY,
                    Severity::Warning,
                    format!(
                        "{name}部分与{prev_label}报告的相应部分高度雷同（相似度{:.0}%）。国办公开办函〔2021〕30号要求年度报告如实反映本年度工作，内容雷同的依照条例第四十七条追究责任；请按本年度实际情况重新撰写该部分。",
                        sim * 100.0
                    ),
                )
                .with_values(format!("低于{COPY_THRESHOLD:.2}"), format!("{sim:.2}")),
            );
        }
    }
    out
}
