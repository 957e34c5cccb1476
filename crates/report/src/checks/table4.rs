//! Table 四 arithmetic (T4-*): 政府信息公开行政复议、行政诉讼情况 (legal-rules.md §B.4).

use super::cells::{self, t4_column_label};
use super::{ids, not_assessable};
use crate::finding::{Finding, Severity};
use crate::model::{CellRef, Table4};

/// T4-TOTAL (error): per block, 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计
/// (legal-rules.md §B.4 "Arithmetic"; an error per §B.5).
pub fn check_totals(table: &Table4) -> Vec<Finding> {
    let mut out = Vec::new();
    for (key, label, block) in table.blocks() {
        let block_cells = block.cells();
        let cells_read: Vec<CellRef> = block_cells
            .iter()
            .map(|(k, _)| CellRef::new(&["table4", key, k]))
            .collect();
        let mut values = Vec::new();
        let mut blanks = Vec::new();
        for (k, v) in block_cells {
            match cells::count(v) {
                Some(n) => values.push((k, n)),
                None => blanks.push(format!("“{}”为{}", t4_column_label(k), cells::describe(v))),
            }
        }
        if !blanks.is_empty() {
            out.push(
                not_assessable(
                    ids::T4_TOTAL,
                    format!(
                        "表四“{label}”无法核对各项结果之和是否等于总计：{}。空白或“/”不能当作0，请填写数字（没有发生的填“0”）后再核对。",
                        blanks.join("，")
                    ),
                )
                .with_cells(cells_read),
            );
            continue;
        }
        let Some(&(_, total)) = values.iter().find(|(k, _)| *k == "total") else {
            continue;
        };
        let parts: Vec<(&str, i64)> = values
            .iter()
            .copied()
            .filter(|(k, _)| *k != "total")
            .collect();
        let parts_sum: i128 = parts.iter().map(|(_, v)| i128::from(*v)).sum();
        if parts_sum != i128::from(total) {
            let terms: Vec<String> = parts
                .iter()
                .map(|(k, v)| format!("{}（{v}）", t4_column_label(k)))
                .collect();
            out.push(
                Finding::new(
                    ids::T4_TOTAL,
                    Severity::Error,
                    format!(
                        "表四“{label}”：{}={parts_sum}，但“总计”为{total}。结果维持、结果纠正、其他结果、尚未审结之和应等于总计，请核对。",
                        terms.join("+")
                    ),
                )
                .with_cells(cells_read)
                .with_values(parts_sum, total),
            );
        }
    }
    out
}
