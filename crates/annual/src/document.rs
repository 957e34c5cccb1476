//! The built report as a document laid out like the official format (国办公开办函〔2021〕30号): the
//! six section titles, the narrative facts computed from the records, and tables 二, 三 and 四 with
//! the official row labels and merged header cells. The same model becomes DOCX (typeset) and PDF
//! (pdf crate), and `gongkai audit` reads either back to the same tables.

use gongkai_report::{CellValue, Table2, Table3Column, Table3Row};
use gongkai_typeset::{Block, Cell, Document, Paragraph, Row, Table};

use crate::snapshot::ReportSnapshot;

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

/// The paragraphs of a narrative section: one per line, blank lines dropped.
fn section_paragraphs(text: &str) -> impl Iterator<Item = Block> + '_ {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(paragraph)
}

/// The report as a document in the official layout: the six sections with the narrative the
/// officer wrote (or the pre-filled one) and tables 二, 三, 四 in sections 二–四.
pub fn report_document(report: &ReportSnapshot) -> Document {
    let title = report.title();
    let mut blocks = vec![Block::Title {
        text: title.clone(),
    }];
    let tables = &report.tables;
    for (i, (heading_text, text)) in report.narrative.sections().into_iter().enumerate() {
        blocks.push(heading(heading_text));
        blocks.extend(section_paragraphs(text));
        match i {
            1 => {
                if let Some(t2) = &tables.table2 {
                    blocks.extend(table2_blocks(t2));
                }
            }
            2 => {
                if let Some(t3) = &tables.table3 {
                    blocks.push(table3_block(t3));
                }
            }
            3 => {
                if let Some(t4) = &tables.table4 {
                    blocks.push(table4_block(t4));
                }
            }
            _ => {}
        }
    }
    Document { title, blocks }
}
