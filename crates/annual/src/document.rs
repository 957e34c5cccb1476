//! The built report as a document laid out like the official format (国办公开办函〔2021〕30号): the
//! six section titles, the narrative facts computed from the records, and tables 二, 三 and 四 with
//! the official row labels and merged header cells. The same model becomes DOCX (typeset) and PDF
//! (pdf crate), and `gongkai audit` reads either back to the same tables.

use gongkai_report::{CellValue, Table2, Table3Column, Table3Row};
use gongkai_typeset::{Block, Cell, Document, Paragraph, Row, Table};

use crate::BuiltReport;

fn text_cell(text: &str) -> Cell {
    Cell::new(text)
}

fn value(v: &CellValue) -> Cell {
    Cell::new(match v {
        CellValue::Number(n) => n.to_string(),
        CellValue::Text(t) => t.clone(),
        CellValue::Blank => String::new(),
    })
}

fn row(cells: Vec<Cell>) -> Row {
    Row { cells }
}

fn table(header_rows: usize, rows: Vec<Row>) -> Block {
    Block::Table(Table {
        column_widths: Vec::new(),
        header_rows,
        rows,
    })
}

fn paragraph(text: impl Into<String>) -> Block {
    Block::Paragraph(Paragraph::body(text))
}

fn heading(text: &str) -> Block {
    Block::Heading {
        level: 1,
        text: text.to_owned(),
    }
}

/// Table 二 in its four official blocks.
fn table2_blocks(t: &Table2) -> Vec<Block> {
    let Table2::F2021(t) = t else {
        return Vec::new();
    };
    let wide = |label: &str| text_cell(label).span(4, 1);
    let mut rows = vec![
        row(vec![wide("第二十条第（一）项")]),
        row(vec![
            text_cell("信息内容"),
            text_cell("本年制发件数"),
            text_cell("本年废止件数"),
            text_cell("现行有效件数"),
        ]),
    ];
    for (label, c) in [
        ("规章", &t.regulations),
        ("行政规范性文件", &t.normative_documents),
    ] {
        rows.push(row(vec![
            text_cell(label),
            value(&c.issued),
            value(&c.repealed),
            value(&c.in_force),
        ]));
    }
    let single = |rows: &mut Vec<Row>, item: &str, column: &str, lines: &[(&str, &CellValue)]| {
        rows.push(row(vec![wide(item)]));
        rows.push(row(vec![
            text_cell("信息内容"),
            text_cell(column).span(3, 1),
        ]));
        for (label, v) in lines {
            rows.push(row(vec![text_cell(label), value(v).span(3, 1)]));
        }
    };
    single(
        &mut rows,
        "第二十条第（五）项",
        "本年处理决定数量",
        &[("行政许可", &t.licensing)],
    );
    single(
        &mut rows,
        "第二十条第（六）项",
        "本年处理决定数量",
        &[("行政处罚", &t.penalty), ("行政强制", &t.coercion)],
    );
    single(
        &mut rows,
        "第二十条第（八）项",
        "本年收费金额（单位：万元）",
        &[("行政事业性收费", &t.fees_wan_yuan)],
    );
    vec![table(0, rows)]
}

/// The result rows of table 三 grouped as printed: (group label, its detailed rows).
const GROUPS: [(&str, &[Table3Row]); 4] = [
    (
        "（三）不予公开",
        &[
            Table3Row::DeniedStateSecret,
            Table3Row::DeniedProhibitedByLaw,
            Table3Row::DeniedEndangersSecurityStability,
            Table3Row::DeniedThirdPartyRights,
            Table3Row::DeniedInternalAffairs,
            Table3Row::DeniedProcessInformation,
            Table3Row::DeniedEnforcementFile,
            Table3Row::DeniedAdministrativeQuery,
        ],
    ),
    (
        "（四）无法提供",
        &[
            Table3Row::UnableNotHeld,
            Table3Row::UnableNeedsCreation,
            Table3Row::UnableUnclearAfterCorrection,
        ],
    ),
    (
        "（五）不予处理",
        &[
            Table3Row::NotProcessedPetitionComplaint,
            Table3Row::NotProcessedRepeated,
            Table3Row::NotProcessedPublication,
            Table3Row::NotProcessedExcessive,
            Table3Row::NotProcessedConfirmOrReissue,
        ],
    ),
    (
        "（六）其他处理",
        &[
            Table3Row::OtherOverdueCorrection,
            Table3Row::OtherOverdueFee,
            Table3Row::OtherOther,
        ],
    ),
];

fn figures(t3: &gongkai_report::Table3, r: Table3Row) -> Vec<Cell> {
    Table3Column::ALL
        .iter()
        .map(|c| {
            t3.get(&r)
                .map_or_else(|| Cell::new(""), |cols| value(cols.get(*c)))
        })
        .collect()
}

/// Table 三: three label columns, then 自然人, the five 法人或其他组织 columns and 总计.
fn table3_block(t3: &gongkai_report::Table3) -> Block {
    let mut rows = vec![
        row(vec![
            text_cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
                .span(3, 3),
            text_cell("申请人情况").span(7, 1),
        ]),
        row(vec![
            text_cell("自然人").span(1, 2),
            text_cell("法人或其他组织").span(5, 1),
            text_cell("总计").span(1, 2),
        ]),
        row([
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
        ]
        .iter()
        .map(|l| text_cell(l))
        .collect()),
    ];
    for r in [Table3Row::NewReceived, Table3Row::CarriedOver] {
        let mut cells = vec![text_cell(r.label()).span(3, 1)];
        cells.extend(figures(t3, r));
        rows.push(row(cells));
    }
    let result_rows: usize = 2 + GROUPS.iter().map(|(_, rs)| rs.len()).sum::<usize>() + 1;
    let mut first = true;
    let mut lead = |cells: &mut Vec<Cell>| {
        if first {
            cells.push(
                text_cell("三、本年度办理结果").span(1, u32::try_from(result_rows).unwrap_or(1)),
            );
            first = false;
        }
    };
    for r in [Table3Row::Granted, Table3Row::PartiallyGranted] {
        let mut cells = Vec::new();
        lead(&mut cells);
        cells.push(text_cell(r.label()).span(2, 1));
        cells.extend(figures(t3, r));
        rows.push(row(cells));
    }
    for (group, members) in GROUPS {
        for (i, r) in members.iter().enumerate() {
            let mut cells = Vec::new();
            lead(&mut cells);
            if i == 0 {
                cells.push(text_cell(group).span(1, u32::try_from(members.len()).unwrap_or(1)));
            }
            cells.push(text_cell(r.label()));
            cells.extend(figures(t3, *r));
            rows.push(row(cells));
        }
    }
    let mut cells = Vec::new();
    lead(&mut cells);
    cells.push(text_cell(Table3Row::TotalProcessed.label()).span(2, 1));
    cells.extend(figures(t3, Table3Row::TotalProcessed));
    rows.push(row(cells));
    let mut cells = vec![text_cell(Table3Row::CarriedForward.label()).span(3, 1)];
    cells.extend(figures(t3, Table3Row::CarriedForward));
    rows.push(row(cells));
    // Wide label columns, narrow figure columns: the long row labels (e.g. （六）1) wrap less,
    // which keeps each row on one line of text for readers (and the auditor) of the PDF.
    Block::Table(Table {
        column_widths: vec![3, 4, 16, 3, 3, 3, 3, 3, 3, 3],
        header_rows: 3,
        rows,
    })
}

/// Table 四: 行政复议 (5) | 行政诉讼: 未经复议直接起诉 (5), 复议后起诉 (5).
fn table4_block(t4: &gongkai_report::Table4) -> Block {
    let labels = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
    let mut rows = vec![
        row(vec![
            text_cell("行政复议").span(5, 2),
            text_cell("行政诉讼").span(10, 1),
        ]),
        row(vec![
            text_cell("未经复议直接起诉").span(5, 1),
            text_cell("复议后起诉").span(5, 1),
        ]),
    ];
    // The 行政复议 labels sit under its two-row title, beside the 诉讼 labels.
    let mut label_row: Vec<Cell> = Vec::new();
    for _ in 0..3 {
        label_row.extend(labels.iter().map(|l| text_cell(l)));
    }
    rows.push(row(label_row));
    let mut values = Vec::new();
    for (_, _, block) in t4.blocks() {
        values.extend(block.cells().iter().map(|(_, v)| value(v)));
    }
    rows.push(row(values));
    table(3, rows)
}

/// The report as a document in the official layout.
pub fn report_document(built: &BuiltReport) -> Document {
    let organ = built.tables.organ.clone().unwrap_or_default();
    let year = built
        .tables
        .year
        .map_or_else(String::new, |y| y.to_string());
    let title = format!("{organ}{year}年政府信息公开工作年度报告");
    let mut blocks = vec![
        Block::Title {
            text: title.clone(),
        },
        heading("一、总体情况"),
    ];
    let channels: Vec<String> = built
        .facts
        .channels
        .iter()
        .map(|(_, label, n)| format!("通过{label}公开{n}条"))
        .collect();
    blocks.push(paragraph(format!(
        "（一）主动公开：{year}年度，{organ}主动公开政府信息{}条{}。",
        built.facts.published_items,
        if channels.is_empty() {
            String::new()
        } else {
            format!("，其中{}", channels.join("，"))
        }
    )));
    let received = built
        .tables
        .table3
        .as_ref()
        .and_then(|t| t.get(&Table3Row::NewReceived))
        .and_then(|c| c.total.number())
        .unwrap_or(0);
    blocks.push(paragraph(if received == 0 {
        format!("（二）依申请公开：{year}年度未收到政府信息公开申请。")
    } else {
        format!("（二）依申请公开：{year}年度收到政府信息公开申请{received}件。")
    }));
    blocks.push(heading("二、主动公开政府信息情况"));
    if let Some(t2) = &built.tables.table2 {
        blocks.extend(table2_blocks(t2));
    }
    blocks.push(heading("三、收到和处理政府信息公开申请情况"));
    if let Some(t3) = &built.tables.table3 {
        blocks.push(table3_block(t3));
    }
    blocks.push(heading("四、政府信息公开行政复议、行政诉讼情况"));
    if let Some(t4) = &built.tables.table4 {
        blocks.push(table4_block(t4));
    }
    blocks.push(heading("五、存在的主要问题及改进情况"));
    blocks.push(paragraph("（由本机关填写。）"));
    blocks.push(heading("六、其他需要报告的事项"));
    blocks.push(paragraph(
        "按照《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）规定的按件、按量收费标准，本年度收取信息处理费情况见办理记录。",
    ));
    Document { title, blocks }
}
