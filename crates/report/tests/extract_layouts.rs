//! The table reader on layouts the corpus files do not all show: numbering styles, half-width
//! brackets, blank and "/" cells, labels wrapped around their numbers, page furniture inside a
//! table, a group printed as one row, table 四 printed in three rows, structured tables with blank
//! cells, run-together cells that stay ambiguous, and the pre-2019 format.

// Test helpers outside #[test] functions panic on purpose: a failed test says why.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gongkai_docs::{Block, Cell, Document, Line, Row, SourceKind, Table};
use gongkai_report::extract::{S_AMBIGUOUS, S_FORMAT, extract};
use gongkai_report::{CellValue, ReportFormat, Severity, Table2, Table3Column, Table3Row, Table4};

/// A text document: one line per line, `\x0C` starts a new page.
fn text_doc(text: &str) -> Document {
    let mut blocks = Vec::new();
    for (p, page) in text.split('\x0C').enumerate() {
        for line in page.lines() {
            let number = u32::try_from(blocks.len() + 1).unwrap();
            blocks.push(Block::Line(Line {
                text: line.to_string(),
                page: Some(u32::try_from(p + 1).unwrap()),
                number,
            }));
        }
    }
    Document {
        source: SourceKind::Txt,
        blocks,
    }
}

fn n(v: i64) -> CellValue {
    CellValue::Number(v)
}

fn t(s: &str) -> CellValue {
    CellValue::Text(s.to_string())
}

fn row(table: &gongkai_report::Table3, key: Table3Row) -> Vec<CellValue> {
    let columns = table
        .get(&key)
        .unwrap_or_else(|| panic!("row {} not read", key.key()));
    Table3Column::ALL
        .iter()
        .map(|c| columns.get(*c).clone())
        .collect()
}

fn nums(values: [i64; 7]) -> Vec<CellValue> {
    values.iter().map(|v| n(*v)).collect()
}

const LAYOUT_REPORT: &str = "\
某某县人民政府办公室
2022年度政府信息公开工作年度报告
  本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。
二、主动公开政府信息情况
              第二十条第（一）项
   信息内容     本年制发件数   本年废止件数   现行有效件数
规章                 /            /             /
行政规范性文件       3            1             20
              第二十条第（五）项
   信息内容            本年处理决定数量
行政许可                 1,234
              第二十条第（六）项
   信息内容            本年处理决定数量
行政处罚                 56
行政强制                 —
              第二十条第（八）项
   信息内容            本年收费金额（单位：万元）
行政事业性收费           12.50
三、收到和处理政府信息公开申请情况
(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)    申请人情况
           自然人   商业企业 科研机构 社会公益组织 法律服务机构 其他   总计
一、本年新收政府信息公开申请数量     10   2   0   0   1   0   13
二、上年结转政府信息公开申请数量      1   0   0   0   0   0    1
三 (一)予以公开                     5   1   0   0   0   0    6
本 (二)部分公开(区分处理的,只计这一情形,不计其他     2   0   0   0   0   0    2
年 情形)
度 (三)不予公开  (1)属于国家秘密     0   0   0   0   0   0    0
办     (2)其他法律行政法规禁止公开   0   0   0   0   0   0    0
理     (3)危及\"三安全一稳定\"        0   0   0   0   0   0    0
结     (4)保护第三方合法权益         0   0   0   0   0   0    0
果     (5)属于三类内部事务信息       0   0   0   0   0   0    0
       (6)属于四类过程性信息         0   0   0   0   0   0    0
       (7)属于行政执法案卷           0   0   0   0   0   0    0
       (8)属于行政查询事项           0   0   0   0   0   0    0
   (四)无法提供  1、本机关不掌握相关政府信息   2   0   0   0   1   0   3
                 2、没有现成信息需要另行制作   0   0   0   0   0   0   0
                                    - 3 -
\x0C                 3、补正后申请内容仍不明确     0   0   0   0   0   0   0
   (五)不予处理  1、信访举报投诉类申请         0   0   0   0   0   0   0
                 2、重 复申请                  0   0   0   0   0   0   0
                 3、要求提供公开出版物         0   0   0   0   0   0   0
                 4、无正当理由大量反复 申请    0   0   0   0   0   0   0
                 5、要求行政机关确认或重新出具   /   /   /   /   /   /   /
                 已获取信息
   (六)其他处理  1、申请人无正当理由逾期不补正、行政机关不再处理其   1   0   0   0   0   0   1
                 政府信息公开申请
                 2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请   0   0   0   0   0   0   0
                 3、其他                       2   1   0   0   0   0   3
   (七)总计                                   10   2   0   0   1   0   13
四、结转下年度继续办理                         1   0   0   0   0   0    1
四、政府信息公开行政复议、行政诉讼情况
        行政复议                        行政诉讼
                              未经复议直接起诉            复议后起诉
结果维持 结果纠正 其他结果 尚未审结 总计
  1        0        0        0       1
  0        0        0        1       1
  0        0        0        0       0
五、存在的主要问题及改进情况
  略。
";

#[test]
fn text_layout_with_numbering_styles_marks_wraps_and_page_breaks() {
    let e = extract(&text_doc(LAYOUT_REPORT));
    let tables = &e.tables;
    assert_eq!(tables.organ.as_deref(), Some("某某县人民政府办公室"));
    assert_eq!(tables.year, Some(2022));
    assert_eq!(tables.format, ReportFormat::F2021);

    let Some(Table2::F2021(t2)) = &tables.table2 else {
        panic!("table 二 not read: {:?}", tables.table2)
    };
    assert_eq!(t2.regulations.issued, t("/"));
    assert_eq!(t2.regulations.in_force, t("/"));
    assert_eq!(t2.normative_documents.issued, n(3));
    assert_eq!(t2.normative_documents.in_force, n(20));
    assert_eq!(t2.licensing, n(1234));
    assert_eq!(t2.penalty, n(56));
    assert_eq!(t2.coercion, t("—"));
    assert_eq!(t2.fees_wan_yuan, t("12.50"));

    let t3 = tables.table3.as_ref().expect("table 三");
    assert_eq!(t3.len(), 25, "rows: {:?}", t3.keys().collect::<Vec<_>>());
    assert_eq!(
        row(t3, Table3Row::NewReceived),
        nums([10, 2, 0, 0, 1, 0, 13])
    );
    assert_eq!(row(t3, Table3Row::Granted), nums([5, 1, 0, 0, 0, 0, 6]));
    assert_eq!(
        row(t3, Table3Row::PartiallyGranted),
        nums([2, 0, 0, 0, 0, 0, 2])
    );
    assert_eq!(row(t3, Table3Row::DeniedStateSecret), nums([0; 7]));
    assert_eq!(
        row(t3, Table3Row::UnableNotHeld),
        nums([2, 0, 0, 0, 1, 0, 3])
    );
    assert_eq!(
        row(t3, Table3Row::UnableUnclearAfterCorrection),
        nums([0; 7])
    );
    assert_eq!(row(t3, Table3Row::NotProcessedRepeated), nums([0; 7]));
    assert_eq!(
        row(t3, Table3Row::NotProcessedConfirmOrReissue),
        vec![t("/"); 7],
        "a \"/\" cell is kept, never read as 0"
    );
    assert_eq!(
        row(t3, Table3Row::OtherOverdueCorrection),
        nums([1, 0, 0, 0, 0, 0, 1])
    );
    assert_eq!(row(t3, Table3Row::OtherOther), nums([2, 1, 0, 0, 0, 0, 3]));
    assert_eq!(
        row(t3, Table3Row::TotalProcessed),
        nums([10, 2, 0, 0, 1, 0, 13])
    );
    assert_eq!(
        row(t3, Table3Row::CarriedForward),
        nums([1, 0, 0, 0, 0, 0, 1])
    );
    assert!(!t3.contains_key(&Table3Row::OtherProcessing));

    let t4 = tables.table4.as_ref().expect("table 四");
    assert_eq!(t4.reconsideration.upheld, n(1));
    assert_eq!(t4.reconsideration.total, n(1));
    assert_eq!(t4.litigation_direct.pending, n(1));
    assert_eq!(t4.litigation_after_reconsideration.total, n(0));

    assert!(
        e.findings.iter().all(|f| f.check != S_AMBIGUOUS),
        "{:?}",
        e.findings
    );
    let format: Vec<_> = e.findings.iter().filter(|f| f.check == S_FORMAT).collect();
    assert_eq!(format.len(), 1);
    assert_eq!(format[0].severity, Severity::Info);
}

fn cells(texts: &[&str]) -> Row {
    Row {
        cells: texts.iter().map(|t| Cell::new(*t)).collect(),
    }
}

fn spanned(text: &str, col_span: u32, row_span: u32) -> Cell {
    Cell {
        text: text.to_string(),
        col_span,
        row_span,
    }
}

#[test]
fn structured_table_with_group_rows_blank_cells_and_spans() {
    // A 2021 report printing （三） and （四） as single rows, one blank cell, merged label cells.
    let mut rows = vec![
        Row {
            cells: vec![
                spanned(
                    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                    3,
                    3,
                ),
                spanned("申请人情况", 7, 1),
            ],
        },
        Row {
            cells: vec![
                spanned("自然人", 1, 2),
                spanned("法人或其他组织", 5, 1),
                spanned("总计", 1, 2),
            ],
        },
        cells(&[
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
        ]),
        cells(&[
            "一、本年新收政府信息公开申请数量",
            "3",
            "0",
            "0",
            "0",
            "0",
            "0",
            "3",
        ]),
        cells(&[
            "二、上年结转政府信息公开申请数量",
            "0",
            "0",
            "0",
            "0",
            "0",
            "",
            "0",
        ]),
    ];
    rows.push(Row {
        cells: vec![
            spanned("三、本年度办理结果", 1, 8),
            spanned("（一）予以公开", 2, 1),
            Cell::new("1"),
            Cell::new("0"),
            Cell::new("0"),
            Cell::new("0"),
            Cell::new("0"),
            Cell::new("0"),
            Cell::new("1"),
        ],
    });
    for (label, values) in [
        (
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            ["0"; 7],
        ),
        ("（三）不予公开", ["1", "0", "0", "0", "0", "0", "1"]),
        ("（四）无法提供", ["1", "0", "0", "0", "0", "0", "1"]),
        ("（五）不予处理", ["0"; 7]),
        ("（六）其他处理", ["0"; 7]),
        ("（七）总计", ["3", "0", "0", "0", "0", "0", "3"]),
    ] {
        let mut r = vec![spanned(label, 2, 1)];
        r.extend(values.iter().map(|v| Cell::new(*v)));
        rows.push(Row { cells: r });
    }
    rows.push(cells(&[
        "四、结转下年度继续办理",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
    ]));
    let table3 = Table { rows };
    let table4 = Table {
        rows: vec![
            Row {
                cells: vec![spanned("行政复议", 5, 1), spanned("行政诉讼", 10, 1)],
            },
            Row {
                cells: vec![
                    spanned("结果维持", 1, 2),
                    spanned("结果纠正", 1, 2),
                    spanned("其他结果", 1, 2),
                    spanned("尚未审结", 1, 2),
                    spanned("总计", 1, 2),
                    spanned("未经复议直接起诉", 5, 1),
                    spanned("复议后起诉", 5, 1),
                ],
            },
            cells(&[
                "结果维持",
                "结果纠正",
                "其他结果",
                "尚未审结",
                "总计",
                "结果维持",
                "结果纠正",
                "其他结果",
                "尚未审结",
                "总计",
            ]),
            cells(&[
                "0", "0", "0", "0", "0", "", "", "", "", "", "0", "0", "0", "0", "0",
            ]),
        ],
    };
    let line = |text: &str, number: u32| {
        Block::Line(Line {
            text: text.to_string(),
            page: None,
            number,
        })
    };
    let doc = Document {
        source: SourceKind::Html,
        blocks: vec![
            line("某某街道办事处2023年政府信息公开工作年度报告", 1),
            line("三、收到和处理政府信息公开申请情况", 2),
            Block::Table(table3),
            line("四、政府信息公开行政复议、行政诉讼情况", 3),
            Block::Table(table4),
        ],
    };
    let e = extract(&doc);
    assert_eq!(e.tables.organ.as_deref(), Some("某某街道办事处"));
    assert_eq!(e.tables.format, ReportFormat::F2021);
    assert!(e.tables.table2.is_none(), "no table 二 in this document");
    let t3 = e.tables.table3.as_ref().expect("table 三");
    let keys: Vec<&str> = t3.keys().map(|k| k.key()).collect();
    assert_eq!(
        keys,
        vec![
            "new_received",
            "carried_over",
            "granted",
            "partially_granted",
            "denied",
            "unable",
            "not_processed",
            "other_processing",
            "total_processed",
            "carried_forward"
        ],
        "group rows printed as one row are read as their group keys, no sub-row is invented"
    );
    assert_eq!(row(t3, Table3Row::Denied), nums([1, 0, 0, 0, 0, 0, 1]));
    let carried = row(t3, Table3Row::CarriedOver);
    assert_eq!(carried[5], CellValue::Blank, "a blank cell stays blank");
    assert_eq!(carried[6], n(0));
    let t4: &Table4 = e.tables.table4.as_ref().expect("table 四");
    assert_eq!(t4.litigation_direct.upheld, CellValue::Blank);
    assert_eq!(t4.litigation_after_reconsideration.total, n(0));
}

#[test]
fn run_together_cells_with_two_readings_are_reported_not_guessed() {
    // "101000011" is 1|0|10|0|0|0|11 or 10|1|0|0|0|0|11; every sum holds either way, and the
    // rows agree with each other in both readings: the first three columns stay open.
    let text = "某某局2023年政府信息公开工作年度报告\n\
        三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\
        申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他\
        一、本年新收政府信息公开申请数量101000011二、上年结转政府信息公开申请数量0000000\
        三、本年度办理结果（一）予以公开101000011（二）部分公开（区分处理的，只计这一情形，不计其他情形）0000000\
        （七）总计101000011四、结转下年度继续办理0000000 五、存在的主要问题及改进情况";
    let e = extract(&text_doc(text));
    let t3 = e.tables.table3.as_ref().expect("table 三");
    let nr = row(t3, Table3Row::NewReceived);
    assert_eq!(
        &nr[..3],
        &[CellValue::Blank, CellValue::Blank, CellValue::Blank]
    );
    assert_eq!(&nr[3..], &[n(0), n(0), n(0), n(11)]);
    let ambiguous: Vec<_> = e
        .findings
        .iter()
        .filter(|f| f.check == S_AMBIGUOUS)
        .collect();
    assert_eq!(ambiguous.len(), 1, "{:?}", e.findings);
    let f = ambiguous[0];
    assert_eq!(f.severity, Severity::Warning);
    let named: Vec<String> = f.cells.iter().map(|c| c.0.clone()).collect();
    let mut expected = Vec::new();
    for r in ["new_received", "granted", "total_processed"] {
        for c in [
            "natural_person",
            "commercial_enterprise",
            "research_institution",
        ] {
            expected.push(format!("table3.{r}.{c}"));
        }
    }
    assert_eq!(named, expected);
    assert_eq!(f.candidates.len(), 2);
    assert!(
        f.candidates.contains(
            &["1", "0", "10"]
                .repeat(3)
                .iter()
                .map(|s| s.to_string())
                .collect()
        )
    );
    assert!(
        f.candidates.contains(
            &["10", "1", "0"]
                .repeat(3)
                .iter()
                .map(|s| s.to_string())
                .collect()
        )
    );
}

#[test]
fn pre_2019_report_is_recognised_and_not_forced_into_the_tables() {
    let text = "某某县人民政府2017年政府信息公开工作年度报告\n\
        一、概述\n本年度共主动公开政府信息356条。\n\
        附件：2017年政府信息公开情况统计表\n\
        统计指标 单位 统计数\n一、主动公开情况 — —\n（一）主动公开政府信息数 条 356\n\
        二、回应解读情况 — —\n三、依申请公开情况 — —\n（一）收到申请数 件 12\n";
    let e = extract(&text_doc(text));
    assert_eq!(e.tables.format, ReportFormat::Pre2019);
    assert_eq!(e.tables.year, Some(2017));
    assert!(e.tables.table2.is_none() && e.tables.table3.is_none() && e.tables.table4.is_none());
    let format: Vec<_> = e.findings.iter().filter(|f| f.check == S_FORMAT).collect();
    assert_eq!(format.len(), 1);
    assert_eq!(format[0].severity, Severity::Info);
    assert!(
        format[0].message.contains("2019年以前"),
        "{}",
        format[0].message
    );
}

#[test]
fn a_label_quoted_in_the_text_does_not_steal_the_tables_first_row() {
    let text = "某某局2023年政府信息公开工作年度报告\n\
        本年新收政府信息公开申请数量为5件。\n\
        三、收到和处理政府信息公开申请情况\n\
        一、本年新收政府信息公开申请数量  4 1 0 0 0 0 5\n\
        二、上年结转政府信息公开申请数量  0 0 0 0 0 0 0\n\
        （一）予以公开  4 1 0 0 0 0 5\n\
        （七）总计  4 1 0 0 0 0 5\n\
        四、结转下年度继续办理  0 0 0 0 0 0 0\n";
    let e = extract(&text_doc(text));
    let t3 = e.tables.table3.as_ref().expect("table 三");
    assert_eq!(row(t3, Table3Row::NewReceived), nums([4, 1, 0, 0, 0, 0, 5]));
}

#[test]
fn narrative_figures_are_not_table_two() {
    let text = "某某局2023年政府信息公开工作年度报告\n本年度制定规章0件，行政规范性文件5件，行政许可3件。\n";
    let e = extract(&text_doc(text));
    assert!(e.tables.table2.is_none(), "{:?}", e.tables.table2);
}

#[test]
fn surplus_empty_cells_of_the_layout_are_not_read_as_cells() {
    // Table 四 with empty cells in its header rows and an empty spacer cell before the data.
    let table4 = Table {
        rows: vec![
            cells(&["", "行政复议", "行政诉讼"]),
            cells(&[
                "",
                "结果维持",
                "结果纠正",
                "其他结果",
                "尚未审结",
                "总计",
                "未经复议直接起诉",
                "复议后起诉",
            ]),
            cells(&[
                "",
                "",
                "",
                "",
                "",
                "",
                "结果维持",
                "结果纠正",
                "其他结果",
                "尚未审结",
                "总计",
                "结果维持",
                "结果纠正",
                "其他结果",
                "尚未审结",
                "总计",
            ]),
            cells(&[
                "", "2", "0", "0", "0", "2", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0",
            ]),
        ],
    };
    let doc = Document {
        source: SourceKind::Html,
        blocks: vec![
            Block::Line(Line {
                text: "某某局2023年政府信息公开工作年度报告".to_string(),
                page: None,
                number: 1,
            }),
            Block::Line(Line {
                text: "四、政府信息公开行政复议、行政诉讼情况".to_string(),
                page: None,
                number: 2,
            }),
            Block::Table(table4),
        ],
    };
    let e = extract(&doc);
    let t4 = e.tables.table4.as_ref().expect("table 四");
    assert_eq!(t4.reconsideration.upheld, n(2));
    assert_eq!(t4.reconsideration.total, n(2));
    assert_eq!(t4.litigation_direct.upheld, n(1));
    assert_eq!(t4.litigation_after_reconsideration.total, n(0));
}

/// The text layer (`pdftotext -layout`) of a report PDF that gongkai built (crates/pdf, typst:
/// cells centred vertically, narrow label and figure columns), kept in
/// tests/layouts/built-report-2025.pdf.txt. Two things in it that real PDFs show as well:
/// - row labels wrapped over two or three lines with their numbers beside a middle line, the
///   group label and the vertical "三、本年度办理结果" printed in between ("（六） 1.申请人无正当理由逾期
///   不" / "其他 补正、行政机关不再处理其   1 0 0 0 0 0 1" / "处理 政府信息公开申请"): the label
///   goes on after its numbers;
/// - table 四's result columns too narrow for their words, so that each is stacked one character
///   a line ("结 结 其 尚 …" / "果 果 他 未 总 …" / "维 纠 结 审 计 …").
#[test]
fn pdf_labels_wrapped_around_their_numbers_and_table_4_headers_stacked_in_narrow_columns() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/layouts/built-report-2025.pdf.txt"
    ))
    .unwrap();
    let e = extract(&text_doc(&text));
    // The title is centred over two lines: "新华区西市场街道办事处 2025 年政府信息公开" / "工作年度报告".
    assert_eq!(e.tables.year, Some(2025));
    assert_eq!(e.tables.organ.as_deref(), Some("新华区西市场街道办事处"));
    let t3 = e.tables.table3.as_ref().expect("table 三");
    assert_eq!(t3.len(), 25, "rows: {:?}", t3.keys().collect::<Vec<_>>());
    // Numbers beside the first of two lines, the second line in front of the next label.
    assert_eq!(
        row(t3, Table3Row::PartiallyGranted),
        nums([0, 1, 0, 0, 0, 0, 1])
    );
    assert_eq!(row(t3, Table3Row::DeniedProhibitedByLaw), nums([0; 7]));
    assert_eq!(
        row(t3, Table3Row::UnableNotHeld),
        nums([1, 0, 0, 0, 0, 0, 1])
    );
    assert_eq!(row(t3, Table3Row::UnableNeedsCreation), nums([0; 7]));
    assert_eq!(
        row(t3, Table3Row::NotProcessedConfirmOrReissue),
        nums([0; 7])
    );
    // Three lines, numbers beside the middle one, the group label interleaved.
    assert_eq!(
        row(t3, Table3Row::OtherOverdueCorrection),
        nums([1, 0, 0, 0, 0, 0, 1])
    );
    assert_eq!(
        row(t3, Table3Row::OtherOverdueFee),
        nums([0, 0, 1, 0, 0, 0, 1])
    );
    assert_eq!(row(t3, Table3Row::OtherOther), nums([0; 7]));
    assert_eq!(
        row(t3, Table3Row::TotalProcessed),
        nums([5, 1, 1, 0, 1, 0, 8])
    );
    assert_eq!(
        row(t3, Table3Row::CarriedForward),
        nums([1, 0, 0, 0, 0, 0, 1])
    );

    let t4 = e.tables.table4.as_ref().expect("table 四");
    assert_eq!(
        t4,
        &Table4 {
            reconsideration: gongkai_report::ReviewBlock::from_values([
                n(1),
                n(1),
                n(0),
                n(1),
                n(3)
            ]),
            litigation_direct: gongkai_report::ReviewBlock::from_values([
                n(0),
                n(0),
                n(1),
                n(0),
                n(1)
            ]),
            litigation_after_reconsideration: gongkai_report::ReviewBlock::from_values([
                n(1),
                n(0),
                n(0),
                n(0),
                n(1)
            ]),
        }
    );
    assert!(
        e.findings.iter().all(|f| f.check != S_AMBIGUOUS),
        "{:?}",
        e.findings
    );
}
