//! Each check of the catalogue on small hand-made tables and texts: passing, failing (with
//! expected/actual), not assessable (blank cell), and the special cases of each rule.

// Test helpers outside #[test] functions are not covered by clippy.toml's allow-*-in-tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use gongkai_report::checks::{
    CheckInput, OrganKind, cross_year, ids, narrative, run_checks, structure,
};
use gongkai_report::{
    CellValue, DocumentCounts, DocumentCounts2019, Finding, ReportFormat, ReportTables,
    ReviewBlock, Severity, Status, Table2, Table2v2019, Table2v2021, Table3Column, Table3Columns,
    Table3Row, Table4,
};

// ---------------------------------------------------------------------------------------------
// Builders

fn n(v: i64) -> CellValue {
    CellValue::Number(v)
}

fn text(t: &str) -> CellValue {
    CellValue::Text(t.to_string())
}

fn zero_counts() -> DocumentCounts {
    DocumentCounts {
        issued: n(0),
        repealed: n(0),
        in_force: n(0),
    }
}

fn zero_block() -> ReviewBlock {
    ReviewBlock::from_values([n(0), n(0), n(0), n(0), n(0)])
}

/// A 2021-format report for 2023 with every cell 0 and the 2021 rows (sub-rows, no group rows).
fn zeros() -> ReportTables {
    let row = Table3Columns::from_values(std::array::from_fn(|_| n(0)));
    let table3 = Table3Row::ALL
        .into_iter()
        .filter(|r| {
            !matches!(
                r,
                Table3Row::Denied
                    | Table3Row::Unable
                    | Table3Row::NotProcessed
                    | Table3Row::OtherProcessing
            )
        })
        .map(|r| (r, row.clone()))
        .collect();
    ReportTables {
        organ: Some("测试街道办事处".into()),
        year: Some(2023),
        format: ReportFormat::F2021,
        table2: Some(Table2::F2021(Table2v2021 {
            regulations: zero_counts(),
            normative_documents: zero_counts(),
            licensing: n(0),
            penalty: n(0),
            coercion: n(0),
            fees_wan_yuan: text("0"),
        })),
        table3: Some(table3),
        table4: Some(Table4 {
            reconsideration: zero_block(),
            litigation_direct: zero_block(),
            litigation_after_reconsideration: zero_block(),
        }),
    }
}

/// Sets one row of table 三 from its six applicant values; 总计 is their sum.
fn set_row(t: &mut ReportTables, row: Table3Row, six: [i64; 6]) {
    let total: i64 = six.iter().sum();
    let [a, b, c, d, e, f] = six;
    t.table3.as_mut().unwrap().insert(
        row,
        Table3Columns::from_values([n(a), n(b), n(c), n(d), n(e), n(f), n(total)]),
    );
}

fn set_cell(t: &mut ReportTables, row: Table3Row, column: Table3Column, value: CellValue) {
    *t.table3
        .as_mut()
        .unwrap()
        .get_mut(&row)
        .unwrap()
        .get_mut(column) = value;
}

/// A consistent report: 3 received from natural persons, 2 granted, 1 carried forward.
fn consistent() -> ReportTables {
    let mut t = zeros();
    set_row(&mut t, Table3Row::NewReceived, [3, 0, 0, 0, 0, 0]);
    set_row(&mut t, Table3Row::Granted, [2, 0, 0, 0, 0, 0]);
    set_row(&mut t, Table3Row::TotalProcessed, [2, 0, 0, 0, 0, 0]);
    set_row(&mut t, Table3Row::CarriedForward, [1, 0, 0, 0, 0, 0]);
    t
}

fn t2021(t: &mut ReportTables) -> &mut Table2v2021 {
    match t.table2.as_mut().unwrap() {
        Table2::F2021(x) => x,
        Table2::F2019(_) => unreachable!(),
    }
}

fn check(t: &ReportTables) -> Vec<Finding> {
    run_checks(&CheckInput::new(t), None)
}

fn with_id<'a>(findings: &'a [Finding], id: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.check == id).collect()
}

fn failed<'a>(findings: &'a [Finding], id: &str) -> Vec<&'a Finding> {
    findings
        .iter()
        .filter(|f| f.check == id && f.status == Status::Failed)
        .collect()
}

fn not_assessable<'a>(findings: &'a [Finding], id: &str) -> Vec<&'a Finding> {
    findings
        .iter()
        .filter(|f| f.check == id && f.status == Status::NotAssessable)
        .collect()
}

fn has_cell(f: &Finding, cell: &str) -> bool {
    f.cells.iter().any(|c| c.0 == cell)
}

const FULL_TEXT: &str = "某街道办事处2023年政府信息公开工作年度报告\n\
一、总体情况\n本年度，街道认真贯彻落实《政府信息公开条例》，主动公开政府信息120条，内容涵盖机构职能、民生保障、工作动态等方面。\n\
（一）主动公开：依托政府信息公开专栏发布信息。\n\
二、主动公开政府信息情况\n表格略\n\
三、收到和处理政府信息公开申请情况\n表格略\n\
四、政府信息公开行政复议、行政诉讼情况\n表格略\n\
五、存在的主要问题及改进情况\n一是信息更新不够及时，二是政策解读形式单一。下一步将加强培训，丰富解读形式，提升公开质量。\n\
六、其他需要报告的事项\n本年度未收取信息处理费。";

// ---------------------------------------------------------------------------------------------
// A consistent report

#[test]
fn a_consistent_report_fails_nothing() {
    let t = consistent();
    let findings = check(&t);
    assert!(
        findings.iter().all(|f| f.status != Status::Failed),
        "{findings:#?}"
    );
    // Without text and date those checks say they could not run.
    for id in [
        ids::S_SECTIONS,
        ids::N_NO_APPLICATIONS,
        ids::N_FIGURES,
        ids::D_PUBLISHED_LATE,
    ] {
        let na = not_assessable(&findings, id);
        assert_eq!(na.len(), 1, "{id}");
        assert_eq!(na[0].severity, Severity::Info);
    }
    // No cross-year findings when no previous report is given.
    assert!(findings.iter().all(|f| !f.check.starts_with("X-")));
}

#[test]
fn findings_are_ordered_errors_warnings_info() {
    let mut t = consistent();
    t.table4.as_mut().unwrap().reconsideration.total = n(9); // T4-TOTAL error
    set_cell(
        &mut t,
        Table3Row::Granted,
        Table3Column::LegalServiceOrg,
        CellValue::Blank,
    ); // warning + n/a
    let findings = check(&t);
    let ranks: Vec<u8> = findings
        .iter()
        .map(|f| match f.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        })
        .collect();
    let mut sorted = ranks.clone();
    sorted.sort();
    assert_eq!(ranks, sorted);
    assert_eq!(findings.first().unwrap().check, ids::T4_TOTAL);
}

// ---------------------------------------------------------------------------------------------
// S-TABLE-MISSING

#[test]
fn a_missing_table_is_an_error() {
    let mut t = consistent();
    t.table4 = None;
    let findings = check(&t);
    let f = failed(&findings, ids::S_TABLE_MISSING);
    assert_eq!(f.len(), 1);
    assert!(f[0].is_error());
    assert!(f[0].message.contains("表四"), "{}", f[0].message);
    assert!(has_cell(f[0], "table4"));
    assert!(with_id(&findings, ids::T4_TOTAL).is_empty());
}

#[test]
fn a_pre2019_report_without_tables_is_not_assessed_rather_than_failed() {
    let t = ReportTables {
        organ: None,
        year: Some(2017),
        format: ReportFormat::Pre2019,
        table2: None,
        table3: None,
        table4: None,
    };
    let findings = check(&t);
    assert!(findings.iter().all(|f| !f.is_error()), "{findings:#?}");
    assert_eq!(not_assessable(&findings, ids::S_TABLE_MISSING).len(), 3);
}

// ---------------------------------------------------------------------------------------------
// S-CELL-BLANK and S-CELL-NUMBER

#[test]
fn blank_cells_give_one_warning_per_table_listing_them() {
    let mut t = consistent();
    set_cell(
        &mut t,
        Table3Row::CarriedOver,
        Table3Column::NaturalPerson,
        text("/"),
    );
    set_cell(
        &mut t,
        Table3Row::Granted,
        Table3Column::OtherOrg,
        CellValue::Blank,
    );
    set_cell(&mut t, Table3Row::Granted, Table3Column::Total, text("—"));
    t.table4.as_mut().unwrap().litigation_direct.pending = text("无");
    let findings = check(&t);
    let blank = failed(&findings, ids::S_CELL_BLANK);
    assert_eq!(blank.len(), 2, "{blank:#?}");
    let t3 = blank
        .iter()
        .find(|f| f.message.starts_with("表三"))
        .unwrap();
    assert_eq!(t3.severity, Severity::Warning);
    assert_eq!(t3.cells.len(), 3);
    assert!(has_cell(t3, "table3.carried_over.natural_person"));
    assert!(has_cell(t3, "table3.granted.other_org"));
    assert!(has_cell(t3, "table3.granted.total"));
    assert!(
        t3.message
            .contains("表三“二、上年结转政府信息公开申请数量”行“自然人”列为“/”"),
        "{}",
        t3.message
    );
    let t4 = blank
        .iter()
        .find(|f| f.message.starts_with("表四"))
        .unwrap();
    assert!(has_cell(t4, "table4.litigation_direct.pending"));
    assert!(t4.message.contains("未经复议直接起诉"), "{}", t4.message);
    // A blank is not a number problem.
    assert!(failed(&findings, ids::S_CELL_NUMBER).is_empty());
}

#[test]
fn text_where_a_count_belongs_is_blank_and_numeric_text_is_read() {
    let mut t = consistent();
    t2021(&mut t).licensing = text("若干");
    t2021(&mut t).penalty = text("0"); // plainly a number
    let findings = check(&t);
    let blank = failed(&findings, ids::S_CELL_BLANK);
    assert_eq!(blank.len(), 1);
    assert_eq!(blank[0].cells.len(), 1);
    assert!(has_cell(blank[0], "table2.licensing"));
    assert!(
        blank[0].message.contains("行政许可"),
        "{}",
        blank[0].message
    );
}

#[test]
fn negative_and_fractional_counts_are_errors() {
    let mut t = consistent();
    t2021(&mut t).coercion = n(-1);
    t2021(&mut t).normative_documents.in_force = text("2.5");
    t.table4.as_mut().unwrap().reconsideration.upheld = n(-2);
    t.table4.as_mut().unwrap().reconsideration.total = n(-2);
    let findings = check(&t);
    let bad = failed(&findings, ids::S_CELL_NUMBER);
    assert_eq!(bad.len(), 2, "{bad:#?}");
    assert!(bad.iter().all(|f| f.is_error()));
    let t2 = bad.iter().find(|f| f.message.starts_with("表二")).unwrap();
    assert!(has_cell(t2, "table2.coercion"));
    assert!(has_cell(t2, "table2.normative_documents.in_force"));
    assert!(t2.message.contains("不能为负数"), "{}", t2.message);
    assert!(t2.message.contains("应为整数"), "{}", t2.message);
    let t4 = bad.iter().find(|f| f.message.starts_with("表四")).unwrap();
    assert_eq!(t4.cells.len(), 2);
}

#[test]
fn the_fee_must_be_a_non_negative_decimal() {
    for (fee, ok) in [
        (text("7730.28"), true),
        (text("0"), true),
        (text("24252.311082"), true),
        (text("1,234.5"), true),
        (text("12.5万元"), true),
        (n(3), true),
        (text("-5"), false),
        (n(-5), false),
        (text("约三千"), false),
        (text("7730.28.1"), false),
    ] {
        let mut t = consistent();
        t2021(&mut t).fees_wan_yuan = fee.clone();
        let findings = check(&t);
        let bad = failed(&findings, ids::S_CELL_NUMBER);
        assert_eq!(bad.is_empty(), ok, "{fee:?}: {bad:#?}");
        if !ok {
            assert!(has_cell(bad[0], "table2.fees_wan_yuan"));
            assert!(bad[0].message.contains("行政事业性收费"));
        }
        assert!(failed(&findings, ids::S_CELL_BLANK).is_empty(), "{fee:?}");
    }
    // "/" as a fee is blank, not a bad number.
    let mut t = consistent();
    t2021(&mut t).fees_wan_yuan = text("/");
    let findings = check(&t);
    assert!(failed(&findings, ids::S_CELL_NUMBER).is_empty());
    assert_eq!(failed(&findings, ids::S_CELL_BLANK).len(), 1);
}

#[test]
fn the_2019_change_column_may_be_negative() {
    let mut t = consistent();
    t.format = ReportFormat::F2019;
    t.year = Some(2020);
    let counts = || DocumentCounts2019 {
        made: n(0),
        published: n(0),
        total_public: n(0),
    };
    let items = |change: i64| gongkai_report::ItemCounts2019 {
        previous_items: n(10),
        change: n(change),
        decisions: n(3),
    };
    t.table2 = Some(Table2::F2019(Table2v2019 {
        regulations: counts(),
        normative_documents: counts(),
        licensing: items(-3),
        other_external_services: items(0),
        penalty: items(2),
        coercion: items(0),
        fees: gongkai_report::FeeItems2019 {
            previous_items: n(5),
            change: n(-1),
        },
        procurement: gongkai_report::Procurement2019 {
            projects: n(4),
            amount: text("73802895.90元"),
        },
    }));
    let findings = check(&t);
    assert!(
        failed(&findings, ids::S_CELL_NUMBER).is_empty(),
        "{findings:#?}"
    );
    assert!(
        failed(&findings, ids::S_CELL_BLANK).is_empty(),
        "{findings:#?}"
    );
    // But a negative 处理决定数量 is wrong.
    if let Some(Table2::F2019(x)) = t.table2.as_mut() {
        x.penalty.decisions = n(-1);
    }
    let findings = check(&t);
    let bad = failed(&findings, ids::S_CELL_NUMBER);
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].cells.len(), 1);
    assert!(has_cell(bad[0], "table2.penalty.decisions"));
}

// ---------------------------------------------------------------------------------------------
// T3-IDENTITY

#[test]
fn identity_fails_per_column_with_expected_and_actual() {
    let mut t = consistent();
    // 自然人: 3 + 0 ≠ 2 + 0.
    set_row(&mut t, Table3Row::CarriedForward, [0, 0, 0, 0, 0, 0]);
    let findings = check(&t);
    let f = failed(&findings, ids::T3_IDENTITY);
    assert_eq!(f.len(), 2, "自然人 and 总计: {f:#?}");
    let person = f
        .iter()
        .find(|f| has_cell(f, "table3.new_received.natural_person"))
        .unwrap();
    assert!(person.is_error());
    assert_eq!(person.expected.as_deref(), Some("3"));
    assert_eq!(person.actual.as_deref(), Some("2"));
    assert!(
        person.message.contains(
            "表三“自然人”列：本年新收（3）+上年结转（0）=3，但办理结果总计（2）+结转下年度（0）=2"
        ),
        "{}",
        person.message
    );
    assert_eq!(person.cells.len(), 4);
    assert!(has_cell(person, "table3.carried_forward.natural_person"));
    assert!(
        f.iter()
            .any(|f| has_cell(f, "table3.total_processed.total"))
    );
}

#[test]
fn identity_is_not_assessable_in_a_column_with_a_blank_cell() {
    let mut t = consistent();
    set_cell(
        &mut t,
        Table3Row::CarriedOver,
        Table3Column::NaturalPerson,
        text("/"),
    );
    let findings = check(&t);
    assert!(failed(&findings, ids::T3_IDENTITY).is_empty());
    let na = not_assessable(&findings, ids::T3_IDENTITY);
    assert_eq!(na.len(), 1, "only the 自然人 column: {na:#?}");
    assert!(na[0].message.contains("“自然人”列"), "{}", na[0].message);
    assert!(
        na[0].message.contains("二、上年结转政府信息公开申请数量"),
        "{}",
        na[0].message
    );
    assert!(na[0].message.contains("“/”"), "{}", na[0].message);
    assert_eq!(na[0].severity, Severity::Info);
    // The row total of that row cannot be checked either; the blank is reported once.
    assert_eq!(not_assessable(&findings, ids::T3_ROW_TOTAL).len(), 1);
    assert_eq!(failed(&findings, ids::S_CELL_BLANK).len(), 1);
}

#[test]
fn identity_without_its_rows_is_not_assessable() {
    let mut t = consistent();
    t.table3
        .as_mut()
        .unwrap()
        .remove(&Table3Row::CarriedForward);
    let findings = check(&t);
    let na = not_assessable(&findings, ids::T3_IDENTITY);
    assert_eq!(na.len(), 1);
    assert!(na[0].message.contains("四、结转下年度继续办理"));
}

// ---------------------------------------------------------------------------------------------
// T3-OUTCOMES

#[test]
fn outcomes_must_add_up_to_the_total() {
    // The junshanpianqu error: a row of 5 under （四）1 while （七）总计 is 0.
    let mut t = zeros();
    set_row(&mut t, Table3Row::UnableNotHeld, [3, 0, 0, 0, 0, 2]);
    let findings = check(&t);
    let f = failed(&findings, ids::T3_OUTCOMES);
    assert_eq!(f.len(), 3, "{f:#?}");
    let total = f
        .iter()
        .find(|f| has_cell(f, "table3.total_processed.total"))
        .unwrap();
    assert_eq!(total.expected.as_deref(), Some("5"));
    assert_eq!(total.actual.as_deref(), Some("0"));
    assert!(total.message.contains("表三“总计”列"), "{}", total.message);
    assert!(
        total
            .message
            .contains("（四）无法提供 1.本机关不掌握相关政府信息"),
        "{}",
        total.message
    );
    assert!(has_cell(total, "table3.unable_not_held.total"));
    assert!(failed(&findings, ids::T3_IDENTITY).is_empty());
    assert!(failed(&findings, ids::T3_ROW_TOTAL).is_empty());
}

#[test]
fn a_printed_group_row_stands_for_its_sub_rows() {
    // （六）其他处理 printed as one row (2019 format, hongze-2023): its sub-rows are absent.
    let mut t = zeros();
    for r in [
        Table3Row::OtherOverdueCorrection,
        Table3Row::OtherOverdueFee,
        Table3Row::OtherOther,
    ] {
        t.table3.as_mut().unwrap().remove(&r);
    }
    set_row(&mut t, Table3Row::NewReceived, [4, 0, 0, 0, 0, 0]);
    set_row(&mut t, Table3Row::Granted, [1, 0, 0, 0, 0, 0]);
    set_row(&mut t, Table3Row::OtherProcessing, [3, 0, 0, 0, 0, 0]);
    set_row(&mut t, Table3Row::TotalProcessed, [4, 0, 0, 0, 0, 0]);
    let findings = check(&t);
    assert!(
        with_id(&findings, ids::T3_OUTCOMES).is_empty(),
        "{findings:#?}"
    );

    // Group row and sub-rows both printed: the group is counted, the sub-rows not again.
    set_row(&mut t, Table3Row::OtherOther, [3, 0, 0, 0, 0, 0]);
    let findings = check(&t);
    assert!(
        with_id(&findings, ids::T3_OUTCOMES).is_empty(),
        "{findings:#?}"
    );

    // Sub-rows only (the 2021 layout): the sub-rows are counted.
    t.table3
        .as_mut()
        .unwrap()
        .remove(&Table3Row::OtherProcessing);
    set_row(
        &mut t,
        Table3Row::OtherOverdueCorrection,
        [0, 0, 0, 0, 0, 0],
    );
    set_row(&mut t, Table3Row::OtherOverdueFee, [0, 0, 0, 0, 0, 0]);
    let findings = check(&t);
    assert!(
        with_id(&findings, ids::T3_OUTCOMES).is_empty(),
        "{findings:#?}"
    );

    // And a wrong group row fails.
    t.table3.as_mut().unwrap().remove(&Table3Row::OtherOther);
    set_row(&mut t, Table3Row::OtherProcessing, [2, 0, 0, 0, 0, 0]);
    let findings = check(&t);
    let f = failed(&findings, ids::T3_OUTCOMES);
    assert_eq!(f.len(), 2, "{f:#?}");
    assert!(
        f.iter()
            .all(|f| has_cell(f, "table3.other_processing.total")
                || has_cell(f, "table3.other_processing.natural_person"))
    );
    let total = f
        .iter()
        .find(|f| has_cell(f, "table3.total_processed.total"))
        .unwrap();
    assert_eq!(total.expected.as_deref(), Some("3"));
    assert_eq!(total.actual.as_deref(), Some("4"));
}

#[test]
fn outcomes_with_a_blank_cell_are_not_assessable() {
    let mut t = consistent();
    set_cell(
        &mut t,
        Table3Row::DeniedStateSecret,
        Table3Column::NaturalPerson,
        CellValue::Blank,
    );
    let findings = check(&t);
    assert!(failed(&findings, ids::T3_OUTCOMES).is_empty());
    let na = not_assessable(&findings, ids::T3_OUTCOMES);
    assert_eq!(na.len(), 1);
    assert!(
        na[0].message.contains("（三）不予公开 1.属于国家秘密"),
        "{}",
        na[0].message
    );
    assert!(na[0].message.contains("（空白）"), "{}", na[0].message);
}

#[test]
fn outcomes_with_missing_rows_are_not_blamed_on_the_report() {
    let mut t = consistent();
    // The reader lost the 予以公开 row: the 2 granted are missing from the sum.
    t.table3.as_mut().unwrap().remove(&Table3Row::Granted);
    let findings = check(&t);
    assert!(failed(&findings, ids::T3_OUTCOMES).is_empty());
    let na = not_assessable(&findings, ids::T3_OUTCOMES);
    assert_eq!(na.len(), 2);
    assert!(
        na[0].message.contains("（一）予以公开"),
        "{}",
        na[0].message
    );
}

// ---------------------------------------------------------------------------------------------
// T3-ROW-TOTAL

#[test]
fn row_total_fails_per_row() {
    let mut t = zeros();
    // Like pingtan-shiyanqu-2021's 新收 row, with a wrong 总计.
    t.table3.as_mut().unwrap().insert(
        Table3Row::NewReceived,
        Table3Columns::from_values([n(64), n(0), n(0), n(2), n(0), n(4), n(71)]),
    );
    let findings = check(&t);
    let f = failed(&findings, ids::T3_ROW_TOTAL);
    assert_eq!(f.len(), 1);
    assert!(f[0].is_error());
    assert_eq!(f[0].expected.as_deref(), Some("70"));
    assert_eq!(f[0].actual.as_deref(), Some("71"));
    assert_eq!(f[0].cells.len(), 7);
    assert!(
        f[0].message.contains("表三“一、本年新收政府信息公开申请数量”行：自然人64+商业企业0+科研机构0+社会公益组织2+法律服务机构0+其他4=70，但“总计”列为71"),
        "{}",
        f[0].message
    );
}

#[test]
fn row_total_with_a_blank_cell_is_not_assessable() {
    let mut t = consistent();
    set_cell(&mut t, Table3Row::Granted, Table3Column::Total, text("/"));
    let findings = check(&t);
    assert!(failed(&findings, ids::T3_ROW_TOTAL).is_empty());
    let na = not_assessable(&findings, ids::T3_ROW_TOTAL);
    assert_eq!(na.len(), 1);
    assert!(
        na[0].message.contains("（一）予以公开"),
        "{}",
        na[0].message
    );
    assert!(na[0].message.contains("“总计”列为“/”"), "{}", na[0].message);
}

// ---------------------------------------------------------------------------------------------
// T4-TOTAL

#[test]
fn t4_total_fails_per_block() {
    let mut t = consistent();
    let t4 = t.table4.as_mut().unwrap();
    t4.reconsideration = ReviewBlock::from_values([n(10), n(1), n(0), n(0), n(0)]);
    t4.litigation_direct = ReviewBlock::from_values([n(1), n(0), n(1), n(1), n(3)]);
    let findings = check(&t);
    let f = failed(&findings, ids::T4_TOTAL);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].expected.as_deref(), Some("11"));
    assert_eq!(f[0].actual.as_deref(), Some("0"));
    assert_eq!(f[0].cells.len(), 5);
    assert!(has_cell(f[0], "table4.reconsideration.upheld"));
    assert!(
        f[0].message.contains("表四“行政复议”：结果维持（10）+结果纠正（1）+其他结果（0）+尚未审结（0）=11，但“总计”为0"),
        "{}",
        f[0].message
    );
}

#[test]
fn t4_total_with_a_blank_cell_is_not_assessable() {
    let mut t = consistent();
    t.table4
        .as_mut()
        .unwrap()
        .litigation_after_reconsideration
        .other = text("—");
    let findings = check(&t);
    assert!(failed(&findings, ids::T4_TOTAL).is_empty());
    let na = not_assessable(&findings, ids::T4_TOTAL);
    assert_eq!(na.len(), 1);
    assert!(na[0].message.contains("复议后起诉"), "{}", na[0].message);
    assert!(
        na[0].message.contains("“其他结果”为“—”"),
        "{}",
        na[0].message
    );
}

// ---------------------------------------------------------------------------------------------
// S-SECTIONS

fn sections(text: &str) -> Vec<Finding> {
    structure::check_sections(Some(text))
}

#[test]
fn six_sections_in_order_pass() {
    assert!(sections(FULL_TEXT).is_empty(), "{:#?}", sections(FULL_TEXT));
    let bodies = structure::section_bodies(FULL_TEXT);
    assert!(bodies.iter().all(Option::is_some));
    assert!(bodies[0].as_deref().unwrap().starts_with("本年度，街道"));
    assert!(
        bodies[4]
            .as_deref()
            .unwrap()
            .starts_with("一是信息更新不够及时")
    );
}

#[test]
fn section_titles_are_matched_tolerantly() {
    let text = "一 、 总 体 情 况 本年度……\n二.主动公开政府信息情况 ……\
                三、收到和处理政府信息公开申请情况……\
                四、因政府信息公开申请行政复议、提起行政诉讼的情况……\
                五、政府信息公开工作存在的主要问题及改进情况……\
                六、其他需要报告的事项 无。";
    assert!(sections(text).is_empty(), "{:#?}", sections(text));
    // Glued to the surrounding text, as in flattened web pages, with a typo.
    let glued = "联系电话。一、总体情况2022年，我区……二、主动公开政府信息情况第二十条……\
                 三、收到和处理政府信息公开申请情况（本列数据……）一、本年新收政府信息公开申请数量000\
                 四、政府信息公开行政法复议、行政诉讼情况行政复议……五、存在的主要问题及改进情况2022年……\
                 六、其他需要报告的事项2022年，无收取信息处理费情况。";
    assert!(sections(glued).is_empty(), "{:#?}", sections(glued));
}

#[test]
fn a_missing_section_is_a_warning() {
    let text = FULL_TEXT.replace("五、存在的主要问题及改进情况", "（五）下一步打算");
    let f = sections(&text);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Warning);
    assert_eq!(f[0].status, Status::Failed);
    assert!(
        f[0].message
            .contains("未找到“五、存在的主要问题及改进情况”"),
        "{}",
        f[0].message
    );
}

#[test]
fn table_rows_and_sub_headings_are_not_sections() {
    // Only table-三 rows and （一） sub-headings carry the numerals here.
    let text = "（一）总体情况\n一、本年新收政府信息公开申请数量 0\n二、上年结转政府信息公开申请数量 0\n\
                三、本年度办理结果\n四、结转下年度继续办理 0\n二是主动公开政府信息情况良好";
    let f = sections(text);
    assert_eq!(f.len(), 1);
    for k in [
        "一、总体情况",
        "二、主动公开",
        "三、收到和处理",
        "四、政府信息公开行政复议",
        "五、",
        "六、",
    ] {
        assert!(
            f[0].message.contains(&format!("“{k}")),
            "{k}: {}",
            f[0].message
        );
    }
}

#[test]
fn sections_out_of_order_are_reported() {
    let text = FULL_TEXT
        .replace("五、存在的主要问题及改进情况", "@@")
        .replace("一、总体情况", "五、存在的主要问题及改进情况\n一、总体情况")
        .replace("@@", "");
    let f = sections(&text);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(
        f[0].message.contains("位置与规定顺序不符"),
        "{}",
        f[0].message
    );
    assert!(
        f[0].message.contains("五、存在的主要问题及改进情况"),
        "{}",
        f[0].message
    );
}

#[test]
fn sections_without_text_are_not_assessable() {
    let f = structure::check_sections(None);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].status, Status::NotAssessable);
}

// ---------------------------------------------------------------------------------------------
// X-CARRYOVER, X-IN-FORCE, X-COPY

fn previous_of(t: &ReportTables) -> ReportTables {
    let mut p = t.clone();
    p.year = t.year.map(|y| y - 1);
    p
}

#[test]
fn carryover_must_match_last_years_carried_forward() {
    let cur = consistent(); // 上年结转 0
    let mut prev = previous_of(&cur);
    set_row(&mut prev, Table3Row::CarriedForward, [1, 2, 0, 0, 0, 0]);
    let findings = run_checks(&CheckInput::new(&cur), Some(&CheckInput::new(&prev)));
    let f = failed(&findings, ids::X_CARRYOVER);
    assert_eq!(f.len(), 3, "自然人, 商业企业, 总计: {f:#?}");
    assert!(f.iter().all(|f| f.severity == Severity::Warning));
    let total = f
        .iter()
        .find(|f| has_cell(f, "table3.carried_over.total"))
        .unwrap();
    assert!(has_cell(total, "previous.table3.carried_forward.total"));
    assert_eq!(total.expected.as_deref(), Some("3"));
    assert_eq!(total.actual.as_deref(), Some("0"));
    assert!(total.message.contains("2022年度"), "{}", total.message);

    // Matching carry-over passes.
    let mut cur2 = cur.clone();
    set_row(&mut cur2, Table3Row::CarriedOver, [1, 2, 0, 0, 0, 0]);
    set_row(&mut cur2, Table3Row::NewReceived, [2, 0, 0, 0, 0, 0]);
    set_row(&mut cur2, Table3Row::Granted, [2, 2, 0, 0, 0, 0]);
    set_row(&mut cur2, Table3Row::TotalProcessed, [2, 2, 0, 0, 0, 0]);
    let findings = run_checks(&CheckInput::new(&cur2), Some(&CheckInput::new(&prev)));
    assert!(
        findings.iter().all(|f| f.status != Status::Failed),
        "{findings:#?}"
    );

    // A blank cell last year: not assessable for that column.
    let mut prev2 = prev.clone();
    set_cell(
        &mut prev2,
        Table3Row::CarriedForward,
        Table3Column::OtherOrg,
        text("/"),
    );
    let findings = run_checks(&CheckInput::new(&cur2), Some(&CheckInput::new(&prev2)));
    assert_eq!(not_assessable(&findings, ids::X_CARRYOVER).len(), 1);
}

#[test]
fn cross_year_needs_the_year_before() {
    let cur = consistent();
    let mut other = cur.clone();
    other.year = Some(2020);
    let findings = run_checks(&CheckInput::new(&cur), Some(&CheckInput::new(&other)));
    for id in [ids::X_CARRYOVER, ids::X_IN_FORCE, ids::X_COPY] {
        let na = not_assessable(&findings, id);
        assert_eq!(na.len(), 1, "{id}");
        assert_eq!(na[0].severity, Severity::Info);
        assert!(na[0].message.contains("2020年度"), "{}", na[0].message);
        assert!(failed(&findings, id).is_empty());
    }
}

#[test]
fn documents_in_force_carry_over_from_last_year() {
    let mut cur = consistent();
    let mut prev = previous_of(&cur);
    t2021(&mut prev).normative_documents.in_force = n(665);
    t2021(&mut cur).normative_documents = DocumentCounts {
        issued: n(88),
        repealed: n(55),
        in_force: n(698),
    };
    let findings = run_checks(&CheckInput::new(&cur), Some(&CheckInput::new(&prev)));
    assert!(
        with_id(&findings, ids::X_IN_FORCE).is_empty(),
        "{findings:#?}"
    );

    t2021(&mut cur).normative_documents.in_force = n(700);
    let findings = run_checks(&CheckInput::new(&cur), Some(&CheckInput::new(&prev)));
    let f = failed(&findings, ids::X_IN_FORCE);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Warning);
    assert_eq!(f[0].expected.as_deref(), Some("698"));
    assert_eq!(f[0].actual.as_deref(), Some("700"));
    assert!(has_cell(
        f[0],
        "previous.table2.normative_documents.in_force"
    ));
    assert!(
        f[0].message.contains("表二“行政规范性文件”行：2022年度现行有效件数（665）+本年制发件数（88）−本年废止件数（55）=698"),
        "{}",
        f[0].message
    );

    // Blank: not assessable.
    t2021(&mut cur).regulations.issued = CellValue::Blank;
    let findings = run_checks(&CheckInput::new(&cur), Some(&CheckInput::new(&prev)));
    let na = not_assessable(&findings, ids::X_IN_FORCE);
    assert_eq!(na.len(), 1);
    assert!(na[0].message.contains("规章"), "{}", na[0].message);

    // Last year in the 2019 format: no 现行有效件数 to start from.
    let mut prev2019 = prev.clone();
    prev2019.format = ReportFormat::F2019;
    prev2019.table2 = Some(Table2::F2019(Table2v2019::default()));
    let findings = run_checks(&CheckInput::new(&cur), Some(&CheckInput::new(&prev2019)));
    assert!(failed(&findings, ids::X_IN_FORCE).is_empty());
    assert_eq!(not_assessable(&findings, ids::X_IN_FORCE).len(), 1);
}

#[test]
fn copied_sections_are_flagged() {
    let cur = consistent();
    let prev = previous_of(&cur);
    // Last year's text with the years and figures changed: still a copy.
    let last_year = FULL_TEXT.replace("2023", "2022").replace("120", "98");
    let findings = run_checks(
        &CheckInput::new(&cur).with_text(FULL_TEXT),
        Some(&CheckInput::new(&prev).with_text(&last_year)),
    );
    let f = failed(&findings, ids::X_COPY);
    assert_eq!(f.len(), 2, "一 and 五: {f:#?}");
    assert!(f.iter().all(|f| f.severity == Severity::Warning));
    assert!(f[0].message.contains("一、总体情况"), "{}", f[0].message);
    assert!(
        f[1].message.contains("五、存在的主要问题及改进情况"),
        "{}",
        f[1].message
    );
    assert_eq!(f[0].actual.as_deref(), Some("1.00"));

    // A rewritten section 五 is not flagged; section 一 still is.
    let rewritten = last_year.replace(
        "一是信息更新不够及时，二是政策解读形式单一。下一步将加强培训，丰富解读形式，提升公开质量。",
        "部分科室报送信息积极性不高，依申请公开答复文书格式不统一。计划建立信息报送考核机制，制定答复文书范本并组织专题培训。",
    );
    let findings = run_checks(
        &CheckInput::new(&cur).with_text(FULL_TEXT),
        Some(&CheckInput::new(&prev).with_text(&rewritten)),
    );
    let f = failed(&findings, ids::X_COPY);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].message.contains("一、总体情况"));

    // No text for last year: not assessable.
    let findings = run_checks(
        &CheckInput::new(&cur).with_text(FULL_TEXT),
        Some(&CheckInput::new(&prev)),
    );
    assert_eq!(not_assessable(&findings, ids::X_COPY).len(), 1);
}

#[test]
fn similarity_ignores_digits_spaces_and_punctuation() {
    assert!(
        (cross_year::similarity("2022年共公开120条。", "2023 年共公开 98 条") - 1.0).abs() < 1e-9
    );
    assert!(cross_year::similarity("主动公开政府信息", "依申请公开答复") < 0.5);
    assert_eq!(cross_year::similarity("", ""), 0.0);
}

// ---------------------------------------------------------------------------------------------
// N-NO-APPLICATIONS and N-FIGURES

fn narrative_findings(t: &ReportTables, text: &str) -> Vec<Finding> {
    narrative::check(t, Some(text))
}

#[test]
fn no_applications_in_the_text_but_some_in_the_table_is_an_error() {
    let t = consistent(); // 3 new
    for text in [
        "（二）依申请公开：2023 年度本街道未收到依申请公开。",
        "本年度没有收到公民、法人或其他组织提出的政府信息公开申请。",
        "2023年无依申请公开事项。",
    ] {
        let f = narrative_findings(&t, text);
        let e = failed(&f, ids::N_NO_APPLICATIONS);
        assert_eq!(e.len(), 1, "{text}: {f:#?}");
        assert!(e[0].is_error());
        assert_eq!(e[0].expected.as_deref(), Some("0"));
        assert_eq!(e[0].actual.as_deref(), Some("3"));
        assert!(has_cell(e[0], "table3.new_received.total"));
        assert!(e[0].message.contains("总计为3件"), "{}", e[0].message);
    }
    // With nothing received in the table, the statement agrees.
    let z = zeros();
    assert!(narrative_findings(&z, "2023年未收到依申请公开事宜。").is_empty());
}

#[test]
fn applications_in_the_text_but_none_in_the_table_is_an_error() {
    let z = zeros();
    let f = narrative_findings(&z, "2023年，全区共收到政府信息公开申请5件，均按时答复。");
    let e = failed(&f, ids::N_NO_APPLICATIONS);
    assert_eq!(e.len(), 1, "{f:#?}");
    assert_eq!(e[0].expected.as_deref(), Some("5"));
    assert_eq!(e[0].actual.as_deref(), Some("0"));
    // Not reported a second time as N-FIGURES.
    assert!(with_id(&f, ids::N_FIGURES).is_empty());
}

#[test]
fn no_application_patterns_do_not_catch_other_things() {
    let t = consistent();
    for text in [
        // A table-三 row label.
        "4.无正当理由大量反复申请 0 0 0 0 0 0 0",
        // About reconsideration, not applications.
        "本年度未收到因政府信息公开申请提起的行政复议。",
        // Part of the organs, or another year, or a condition.
        "部分单位未收到政府信息公开申请。",
        "2022年未收到依申请公开，2023年有所增加。",
        "如未收到申请人的补正材料，视为放弃申请。",
        "未收到申请人缴纳的信息处理费。",
        "未收到有关申请公开工作的意见建议。",
    ] {
        let f = narrative_findings(&t, text);
        assert!(
            failed(&f, ids::N_NO_APPLICATIONS).is_empty(),
            "{text}: {f:#?}"
        );
    }
}

#[test]
fn received_figures_may_include_the_carried_over_cases() {
    // pingtan-shiyanqu-2022: 新收 74 + 结转 1, the text says 收到申请75件.
    let mut t = zeros();
    set_row(&mut t, Table3Row::NewReceived, [71, 3, 0, 0, 0, 0]);
    set_row(&mut t, Table3Row::CarriedOver, [1, 0, 0, 0, 0, 0]);
    set_row(&mut t, Table3Row::Granted, [72, 3, 0, 0, 0, 0]);
    set_row(&mut t, Table3Row::TotalProcessed, [72, 3, 0, 0, 0, 0]);
    for ok in [
        "2023年，全区收到政府信息公开申请75件，涉及自然人72件、商业企业3件。",
        "本年度共收到74件申请，上年结转1件。",
        "受理政府信息公开申请 74 件。",
    ] {
        let f = narrative_findings(&t, ok);
        assert!(f.is_empty(), "{ok}: {f:#?}");
    }
    let f = narrative_findings(&t, "2023年，全区收到政府信息公开申请80件。");
    let w = failed(&f, ids::N_FIGURES);
    assert_eq!(w.len(), 1, "{f:#?}");
    assert_eq!(w[0].severity, Severity::Warning);
    assert_eq!(w[0].actual.as_deref(), Some("80"));
    assert_eq!(w[0].expected.as_deref(), Some("74或75"));
    assert!(
        w[0].message.contains("收到政府信息公开申请80件"),
        "{}",
        w[0].message
    );
    assert!(w[0].message.contains("总计为74件"), "{}", w[0].message);
}

#[test]
fn carried_reconsideration_and_litigation_figures_are_compared() {
    let mut t = consistent(); // 1 carried forward
    let t4 = t.table4.as_mut().unwrap();
    t4.reconsideration = ReviewBlock::from_values([n(1), n(1), n(0), n(0), n(2)]);
    t4.litigation_direct = ReviewBlock::from_values([n(1), n(0), n(0), n(0), n(1)]);
    // pingtan-shiyanqu-2021/2022 forms, agreeing.
    let ok = "本年度全区共收到3件申请，办结2件，1件结转下年度继续办理。\
              共有行政诉讼案件1件、行政复议案件2件，均已结案。";
    assert!(
        narrative_findings(&t, ok).is_empty(),
        "{:#?}",
        narrative_findings(&t, ok)
    );
    // Disagreeing.
    let bad = "本年度全区共收到3件申请，2件结转下年度继续办理。发生行政复议案件4件，行政诉讼3起。";
    let f = narrative_findings(&t, bad);
    let w = failed(&f, ids::N_FIGURES);
    assert_eq!(w.len(), 3, "{w:#?}");
    assert!(
        w.iter()
            .any(|f| f.message.contains("结转的申请") && f.actual.as_deref() == Some("2"))
    );
    assert!(
        w.iter()
            .any(|f| f.message.contains("行政复议") && f.actual.as_deref() == Some("4"))
    );
    assert!(
        w.iter()
            .any(|f| f.message.contains("行政诉讼") && f.actual.as_deref() == Some("3"))
    );
}

#[test]
fn figures_in_comparisons_and_combined_counts_are_not_read() {
    let t = consistent(); // 3 new, no reconsideration, no litigation
    for text in [
        "较上年收到的10件申请有所减少。",
        "2022年收到申请10件。",
        "其中，区公安局收到申请2件。",
        "行政复议、行政诉讼共3件。",
        "行政复议和行政诉讼案件共3件。",
        "收到申请100余件。",
        "区政府作为复议机关收到行政复议申请2件。",
        "在收到申请后3个工作日内登记。",
        "行政复议纠错2件。",
        "收到自然人申请2件。",
        "收到网上申请1件。",
        "收到2件法人或其他组织申请。",
    ] {
        let f = narrative_findings(&t, text);
        assert!(
            f.iter().all(|f| f.status != Status::Failed),
            "{text}: {f:#?}"
        );
    }
}

#[test]
fn a_reconsideration_application_is_not_a_disclosure_application() {
    let s = narrative::stated_figures("收到政府信息公开行政复议申请2件。", Some(2023));
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0].kind, narrative::FigureKind::Reconsideration);
}

#[test]
fn figures_against_blank_cells_are_not_assessable() {
    let mut t = consistent();
    set_cell(
        &mut t,
        Table3Row::NewReceived,
        Table3Column::Total,
        text("/"),
    );
    let f = narrative_findings(&t, "本年度共收到政府信息公开申请3件。");
    assert!(f.iter().all(|f| f.status != Status::Failed), "{f:#?}");
    assert_eq!(not_assessable(&f, ids::N_FIGURES).len(), 1);
    let f = narrative_findings(&t, "本年度未收到政府信息公开申请。");
    assert_eq!(not_assessable(&f, ids::N_NO_APPLICATIONS).len(), 1);
}

// ---------------------------------------------------------------------------------------------
// D-PUBLISHED-LATE

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn late(
    t: &ReportTables,
    published: NaiveDate,
    kind: Option<OrganKind>,
    deadline: Option<NaiveDate>,
) -> Vec<Finding> {
    let mut input = CheckInput::new(t).with_published_on(published);
    if let Some(k) = kind {
        input = input.with_organ_kind(k);
    }
    if let Some(d) = deadline {
        input = input.with_deadline(d);
    }
    with_id(&run_checks(&input, None), ids::D_PUBLISHED_LATE)
        .into_iter()
        .cloned()
        .collect()
}

#[test]
fn publication_deadlines_follow_the_organ_kind() {
    let t = consistent(); // 2023 report
    use OrganKind::*;
    for (published, kind, is_late) in [
        (date(2024, 1, 31), Department, false),
        (date(2024, 2, 1), Department, true),
        (date(2024, 3, 31), Government, false),
        (date(2024, 4, 1), Government, true),
        (date(2024, 1, 31), Grassroots, false),
        (date(2024, 2, 20), Grassroots, true),
    ] {
        let f = late(&t, published, Some(kind), None);
        if is_late {
            assert_eq!(f.len(), 1, "{published} {kind:?}");
            assert_eq!(f[0].status, Status::Failed);
            assert_eq!(f[0].severity, Severity::Warning);
            assert!(
                f[0].message.contains("第四十九条") || kind == Grassroots,
                "{}",
                f[0].message
            );
        } else {
            assert!(f.is_empty(), "{published} {kind:?}: {f:#?}");
        }
    }
    let f = late(&t, date(2024, 2, 1), Some(Department), None);
    assert_eq!(f[0].expected.as_deref(), Some("2024-01-31"));
    assert_eq!(f[0].actual.as_deref(), Some("2024-02-01"));
    assert!(
        f[0].message
            .contains("2024年2月1日发布，晚于公布期限2024年1月31日（逾期1天）"),
        "{}",
        f[0].message
    );
}

#[test]
fn a_configured_deadline_overrides_the_default() {
    let t = consistent();
    // A local rule: 街道 reports by 20 February.
    let local = Some(date(2024, 2, 20));
    assert!(late(&t, date(2024, 2, 20), Some(OrganKind::Grassroots), local).is_empty());
    let f = late(&t, date(2024, 2, 21), Some(OrganKind::Grassroots), local);
    assert_eq!(f.len(), 1);
    assert!(f[0].message.contains("所配置"), "{}", f[0].message);
}

#[test]
fn publication_date_or_kind_unknown() {
    let t = consistent();
    let f = with_id(
        &run_checks(&CheckInput::new(&t), None),
        ids::D_PUBLISHED_LATE,
    )
    .into_iter()
    .cloned()
    .collect::<Vec<_>>();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].status, Status::NotAssessable);
    // Kind unknown: in time for everyone by 31 Jan, late for everyone after 31 Mar, undecided between.
    assert!(late(&t, date(2024, 1, 15), None, None).is_empty());
    let f = late(&t, date(2024, 4, 2), None, None);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].status, Status::Failed);
    let f = late(&t, date(2024, 2, 15), None, None);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].status, Status::NotAssessable);
}

#[test]
fn a_breakdown_after_the_total_is_not_read_as_the_total() {
    let t = consistent(); // 3 new
    let f = narrative_findings(
        &t,
        "2023年共收到政府信息公开申请3件，其中，区公安局收到申请2件，区教育局收到申请1件。",
    );
    assert!(f.is_empty(), "{f:#?}");
    let s = narrative::stated_figures("共收到申请3件，其中，区公安局收到申请2件。", Some(2023));
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0].value, 3);
}
