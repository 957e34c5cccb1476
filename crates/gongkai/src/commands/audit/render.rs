//! The human-readable output of `gongkai audit`: the three tables as read, and the findings.

use gongkai_report::{
    CellValue, Finding, ReportTables, Severity, Status, Table2, Table3Column, Table3Row,
};
use std::fmt::Write;

pub fn tables(t: &ReportTables) -> String {
    let mut out = String::new();
    let organ = t.organ.as_deref().unwrap_or("（未识别）");
    let year = t
        .year
        .map(|y| y.to_string())
        .unwrap_or_else(|| "（未识别）".into());
    let _ = writeln!(
        out,
        "机关：{organ}　年度：{year}　格式：{}",
        t.format.label()
    );
    match &t.table2 {
        None => out.push_str("表二 主动公开政府信息情况：未找到\n"),
        Some(Table2::F2021(t2)) => {
            out.push_str("表二 主动公开政府信息情况\n");
            for (label, c) in [
                ("规章", &t2.regulations),
                ("行政规范性文件", &t2.normative_documents),
            ] {
                let _ = writeln!(
                    out,
                    "  {label}：本年制发 {}，本年废止 {}，现行有效 {}",
                    c.issued, c.repealed, c.in_force
                );
            }
            let _ = writeln!(
                out,
                "  行政许可 {}；行政处罚 {}；行政强制 {}；行政事业性收费 {} 万元",
                t2.licensing, t2.penalty, t2.coercion, t2.fees_wan_yuan
            );
        }
        Some(Table2::F2019(t2)) => {
            out.push_str("表二 主动公开政府信息情况（2019年格式）\n");
            for (label, c) in [
                ("规章", &t2.regulations),
                ("规范性文件", &t2.normative_documents),
            ] {
                let _ = writeln!(
                    out,
                    "  {label}：本年新制作 {}，本年新公开 {}，对外公开总数 {}",
                    c.made, c.published, c.total_public
                );
            }
            for (label, c) in [
                ("行政许可", &t2.licensing),
                ("其他对外管理服务事项", &t2.other_external_services),
                ("行政处罚", &t2.penalty),
                ("行政强制", &t2.coercion),
            ] {
                let _ = writeln!(
                    out,
                    "  {label}：上一年项目数 {}，本年增/减 {}，处理决定数 {}",
                    c.previous_items, c.change, c.decisions
                );
            }
            let _ = writeln!(
                out,
                "  行政事业性收费：上一年项目数 {}，本年增/减 {}；政府集中采购：项目数 {}，总金额 {}",
                t2.fees.previous_items,
                t2.fees.change,
                t2.procurement.projects,
                t2.procurement.amount
            );
        }
    }
    match &t.table3 {
        None => out.push_str("表三 收到和处理政府信息公开申请情况：未找到\n"),
        Some(t3) => {
            out.push_str("表三 收到和处理政府信息公开申请情况\n");
            let header: Vec<&str> = Table3Column::ALL.iter().map(|c| c.label()).collect();
            let _ = writeln!(out, "  {:<32}{}", "", header.join("\t"));
            for (row, cols) in t3 {
                let values: Vec<String> = Table3Column::ALL
                    .iter()
                    .map(|c| cell(cols.get(*c)))
                    .collect();
                let _ = writeln!(out, "  {}\t{}", row_label(*row), values.join("\t"));
            }
        }
    }
    match &t.table4 {
        None => out.push_str("表四 政府信息公开行政复议、行政诉讼情况：未找到\n"),
        Some(t4) => {
            out.push_str(
                "表四 政府信息公开行政复议、行政诉讼情况（维持/纠正/其他/尚未审结/总计）\n",
            );
            for (_, label, block) in t4.blocks() {
                let values: Vec<String> = block.cells().iter().map(|(_, v)| cell(v)).collect();
                let _ = writeln!(out, "  {label}：{}", values.join(" / "));
            }
        }
    }
    out
}

fn row_label(row: Table3Row) -> String {
    // Sub-rows are printed with their group so that "1.属于国家秘密" is not ambiguous.
    match row.group() {
        Some(group) => format!("{}{}", group.label(), row.label()),
        None => row.label().to_string(),
    }
}

fn cell(value: &CellValue) -> String {
    match value {
        CellValue::Blank => "（空）".into(),
        other => other.to_string(),
    }
}

pub fn findings(findings: &[Finding]) -> String {
    let mut out = String::new();
    let errors = findings.iter().filter(|f| f.is_error()).count();
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning && f.status == Status::Failed)
        .count();
    let _ = writeln!(out, "发现：错误 {errors} 项，提示 {warnings} 项");
    for f in findings {
        let tag = match (f.severity, f.status) {
            (_, Status::NotAssessable) => "无法检查",
            (severity, Status::Failed) => severity.label(),
        };
        let _ = writeln!(out, "  [{tag}] {} {}", f.check, f.message);
        if let (Some(expected), Some(actual)) = (&f.expected, &f.actual) {
            let _ = writeln!(out, "      应为 {expected}，实际 {actual}");
        }
        if !f.cells.is_empty() {
            let cells: Vec<&str> = f.cells.iter().map(|c| c.0.as_str()).collect();
            let _ = writeln!(out, "      单元格：{}", cells.join("、"));
        }
        for (i, candidate) in f.candidates.iter().enumerate() {
            let _ = writeln!(out, "      可能的读法 {}：{}", i + 1, candidate.join(" | "));
        }
    }
    out
}
