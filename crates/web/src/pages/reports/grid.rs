//! Tables 二, 三 and 四 of a report as grids for the back office: every figure is a link to the
//! list of records it counts (the drill-down), so a reviewer can check any number.

use gongkai_annual::snapshot::ReportSnapshot;
use gongkai_report::build::TABLE3_ROWS_2021;
use gongkai_report::{CellRef, CellValue, ReportTables, Table2, Table3Column};

/// One cell: its text and, when records stand behind it, where to list them.
pub struct GridCell {
    pub text: String,
    pub href: Option<String>,
    /// The canonical address (`table3.new_received.total`), for tests and screen readers.
    pub address: String,
    /// Highlighted: a finding concerns this cell (batch audit).
    pub marked: bool,
}

pub struct GridRow {
    pub label: String,
    pub cells: Vec<GridCell>,
}

pub struct Grid {
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<GridRow>,
}

pub fn value_text(v: &CellValue) -> String {
    match v {
        CellValue::Number(n) => n.to_string(),
        CellValue::Text(t) => t.clone(),
        CellValue::Blank => String::new(),
    }
}

/// Builds the grids of a built report; `cell_href` gives the drill-down link of a cell address.
pub fn grids(report: &ReportSnapshot, cell_href: &dyn Fn(&str) -> String) -> Vec<Grid> {
    table_grids(&report.tables, &|address: &str| {
        // The figures from other systems (two-part addresses of table 二) have a source
        // instead of records; they open the same page.
        let from_other_system = address.starts_with("table2.") && address.split('.').count() == 2;
        (report.cells.contains_key(&CellRef(address.to_owned())) || from_other_system)
            .then(|| cell_href(address))
    })
}

/// The grids of any report's tables (also of reports read from a file, e.g. in a batch audit);
/// `href` gives a cell's link, if any.
pub fn table_grids(tables: &ReportTables, href: &dyn Fn(&str) -> Option<String>) -> Vec<Grid> {
    let cell = |address: String, v: &CellValue| GridCell {
        text: value_text(v),
        href: href(&address),
        address,
        marked: false,
    };
    let mut out = Vec::new();
    if let Some(Table2::F2021(t)) = &tables.table2 {
        let mut rows = Vec::new();
        for (key, label, c) in [
            ("regulations", "规章", &t.regulations),
            (
                "normative_documents",
                "行政规范性文件",
                &t.normative_documents,
            ),
        ] {
            rows.push(GridRow {
                label: label.to_owned(),
                cells: vec![
                    cell(format!("table2.{key}.issued"), &c.issued),
                    cell(format!("table2.{key}.repealed"), &c.repealed),
                    cell(format!("table2.{key}.in_force"), &c.in_force),
                ],
            });
        }
        out.push(Grid {
            caption: "表二（一）第二十条第（一）项：规章、行政规范性文件".to_owned(),
            columns: vec![
                "信息内容".into(),
                "本年制发件数".into(),
                "本年废止件数".into(),
                "现行有效件数".into(),
            ],
            rows,
        });
        let mut rows = Vec::new();
        for (key, label, v) in [
            ("licensing", "行政许可（本年处理决定数量）", &t.licensing),
            ("penalty", "行政处罚（本年处理决定数量）", &t.penalty),
            ("coercion", "行政强制（本年处理决定数量）", &t.coercion),
            (
                "fees_wan_yuan",
                "行政事业性收费（本年收费金额，万元）",
                &t.fees_wan_yuan,
            ),
        ] {
            rows.push(GridRow {
                label: label.to_owned(),
                cells: vec![cell(format!("table2.{key}"), v)],
            });
        }
        out.push(Grid {
            caption: "表二（二）第二十条第（五）（六）（八）项：来自其他业务系统的数字".to_owned(),
            columns: vec!["信息内容".into(), "数量".into()],
            rows,
        });
    }
    if let Some(t3) = &tables.table3 {
        let mut columns = vec!["项目".to_owned()];
        columns.extend(Table3Column::ALL.iter().map(|c| c.label().to_owned()));
        let rows = TABLE3_ROWS_2021
            .iter()
            .filter_map(|row| {
                let values = t3.get(row)?;
                Some(GridRow {
                    label: row.label().to_owned(),
                    cells: Table3Column::ALL
                        .iter()
                        .map(|c| cell(format!("table3.{}.{}", row.key(), c.key()), values.get(*c)))
                        .collect(),
                })
            })
            .collect();
        out.push(Grid {
            caption: "表三 收到和处理政府信息公开申请情况（按申请人类型）".to_owned(),
            columns,
            rows,
        });
    }
    if let Some(t4) = &tables.table4 {
        let rows = t4
            .blocks()
            .into_iter()
            .map(|(key, label, block)| GridRow {
                label: label.to_owned(),
                cells: block
                    .cells()
                    .into_iter()
                    .map(|(column, v)| cell(format!("table4.{key}.{column}"), v))
                    .collect(),
            })
            .collect();
        out.push(Grid {
            caption: "表四 政府信息公开行政复议、行政诉讼情况".to_owned(),
            columns: vec![
                "类别".into(),
                "结果维持".into(),
                "结果纠正".into(),
                "其他结果".into(),
                "尚未审结".into(),
                "总计".into(),
            ],
            rows,
        });
    }
    out
}
