//! The pieces of the table reader on their own: the run-together digit splitter, the fuzzy label
//! matcher, and the reader's robustness on documents that are not reports at all.

// Test helpers outside #[test] functions panic on purpose: a failed test says why.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gongkai_docs::{Block, Cell, Document, Line, Row, SourceKind, Table};
use gongkai_report::extract::labels::Label;
use gongkai_report::extract::split::{Rules, TooMany, splits};
use gongkai_report::extract::{S_AMBIGUOUS, S_FORMAT, extract};
use gongkai_report::{CellValue, Severity};

fn rules(cells: usize, sum_blocks: Option<&[usize]>) -> Rules<'_> {
    Rules {
        cells,
        max_len: 6,
        sum_blocks,
        max_splits: 10_000,
    }
}

// ---------------------------------------------------------------- splitter

#[test]
fn split_unique_under_the_row_total() {
    // Two printed pieces ("500000 5"): the space is a cell border.
    assert_eq!(
        splits(&["500000", "5"], rules(7, Some(&[7]))).unwrap(),
        vec![vec![5, 0, 0, 0, 0, 0, 5]]
    );
    // All cells single digits: only one way.
    assert_eq!(
        splits(&["3000025"], rules(7, Some(&[7]))).unwrap(),
        vec![vec![3, 0, 0, 0, 0, 2, 5]]
    );
    // Table 四's fifteen cells under three block totals (pingtan-shiyanqu-2021-flat).
    assert_eq!(
        splits(&["10203120001200000"], rules(15, Some(&[5, 5, 5]))).unwrap(),
        vec![vec![1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]]
    );
}

#[test]
fn split_ambiguous_lists_every_candidate() {
    // Table 二's 行政规范性文件 row has no sum: "693665" into three cells.
    let all = splits(&["693665"], rules(3, None)).unwrap();
    assert_eq!(all.len(), 10);
    assert!(all.contains(&vec![69, 3, 665]));
    assert!(all.contains(&vec![6, 93, 665]));
    // A row total does not always settle a row: "101000011" is 1|0|10|0|0|0|11 or
    // 10|1|0|0|0|0|11 (the other rows of table 三 may settle it).
    let all = splits(&["101000011"], rules(7, Some(&[7]))).unwrap();
    assert_eq!(
        all,
        vec![vec![1, 0, 10, 0, 0, 0, 11], vec![10, 1, 0, 0, 0, 0, 11]]
    );
    let all = splits(&["640020470"], rules(7, Some(&[7]))).unwrap();
    assert!(all.contains(&vec![64, 0, 0, 2, 0, 4, 70]));
    assert!(all.iter().all(|s| s[..6].iter().sum::<u64>() == s[6]));
}

#[test]
fn split_none_when_no_cut_is_well_formed() {
    // Too few digits for the cells.
    assert!(splits(&["12"], rules(3, None)).unwrap().is_empty());
    // Leading zeros are not numbers: "00" cannot be one cell, so "0011" has one reading only.
    assert_eq!(
        splits(&["0011"], rules(3, None)).unwrap(),
        vec![vec![0, 0, 11]]
    );
    // A row total that no cut satisfies.
    assert!(
        splits(&["1111111"], rules(7, Some(&[7])))
            .unwrap()
            .is_empty()
    );
    // Not digits at all.
    assert!(splits(&["12a"], rules(2, None)).unwrap().is_empty());
    assert!(splits(&[], rules(2, None)).unwrap().is_empty());
}

#[test]
fn split_gives_up_instead_of_exploding() {
    let long = "1".repeat(60);
    let limited = Rules {
        max_splits: 100,
        ..rules(15, None)
    };
    assert_eq!(splits(&[long.as_str()], limited), Err(TooMany));
}

// ---------------------------------------------------------------- label matcher

#[test]
fn labels_tolerate_typos_spaces_and_cut_ends() {
    let prohibited = Label::new(&["其他法律行政法规禁止公开"], Some(2));
    assert!(
        prohibited.score_text("2.其他法律行政止公开").is_some(),
        "hongze's typo"
    );
    let excessive = Label::new(&["无正当理由大量反复申请"], Some(4));
    assert!(excessive.score_text("4.无正当理由大量反复 申请").is_some());
    assert!(
        excessive
            .score_text("４．无 正 当 理 由 大 量 反 复 申 请")
            .is_some()
    );
    let confirm = Label::new(&["要求行政机关确认或重新出具已获取信息"], Some(5));
    assert!(
        confirm.score_text("5.要求行政机关确认或重新出具").is_some(),
        "numbers printed beside the first line of a wrapped label"
    );
    let granted = Label::new(&["予以公开"], Some(1));
    assert!(
        granted
            .score_text("三 、本 年 度办 理 结果（一）予以公开")
            .is_some()
    );
}

#[test]
fn labels_accept_every_numbering_style() {
    let secret = Label::new(&["属于国家秘密"], Some(1));
    let dotted = secret.score_text("1.属于国家秘密").unwrap();
    for text in [
        "1、属于国家秘密",
        "(1)属于国家秘密",
        "（1）属于国家秘密",
        "①属于国家秘密",
        "1．属于国家秘密",
    ] {
        assert_eq!(secret.score_text(text), Some(dotted), "{text}");
    }
    let unnumbered = secret.score_text("属于国家秘密").unwrap();
    let misnumbered = secret.score_text("3.属于国家秘密").unwrap();
    assert!(dotted > unnumbered && unnumbered > misnumbered);
    let group = Label::new(&["不予公开"], Some(3));
    assert!(group.score_text("（三）不予公开").is_some());
    assert!(group.score_text("(三)不予公开").is_some());
}

#[test]
fn labels_reject_other_rows_and_header_words() {
    assert!(
        Label::new(&["予以公开"], Some(1))
            .score_text("（三）不予公开")
            .is_none()
    );
    assert!(
        Label::new(&["不予处理"], Some(5))
            .score_text("（六）其他处理")
            .is_none()
    );
    let other = Label::new(&["其他"], Some(3));
    assert!(other.score_text("3.其他").is_some());
    assert!(
        other.score_text("社会公益组织法律服务机构其他").is_none(),
        "a column header"
    );
    let total = Label::new(&["总计"], Some(7));
    assert!(total.score_text("（七）总计").is_some());
    assert!(total.score_text("法人或其他组织总计").is_none());
    // The label must end the text: values follow it.
    assert!(
        Label::new(&["属于国家秘密"], Some(1))
            .score_text("1.属于国家秘密2.其他法律行政法规禁止公开")
            .is_none()
    );
}

// ---------------------------------------------------------------- robustness

/// A small deterministic generator (no dependency, same sequence on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn char(&mut self) -> char {
        match self.below(6) {
            0 => char::from_digit(u32::try_from(self.below(10)).unwrap(), 10).unwrap(),
            1 => [
                ' ', '\t', '.', '、', '（', '）', '(', ')', '/', '-', '—', ',', '元', '年',
            ][usize::try_from(self.below(14)).unwrap()],
            _ => char::from_u32(0x4E00 + u32::try_from(self.below(0x5000)).unwrap()).unwrap(),
        }
    }
    fn text(&mut self, len: u64) -> String {
        (0..len).map(|_| self.char()).collect()
    }
}

fn assert_nothing_found(doc: &Document, what: &str) {
    let e = extract(doc);
    assert!(
        e.tables.table2.is_none(),
        "{what}: table 二 {:?}",
        e.tables.table2
    );
    assert!(
        e.tables.table3.is_none(),
        "{what}: table 三 {:?}",
        e.tables.table3
    );
    assert!(
        e.tables.table4.is_none(),
        "{what}: table 四 {:?}",
        e.tables.table4
    );
    assert!(e.findings.iter().all(|f| f.check != S_AMBIGUOUS), "{what}");
    assert_eq!(
        e.findings.iter().filter(|f| f.check == S_FORMAT).count(),
        1,
        "{what}"
    );
}

#[test]
fn empty_documents_give_no_tables_and_a_format_error() {
    for source in [
        SourceKind::Txt,
        SourceKind::Html,
        SourceKind::Docx,
        SourceKind::Pdf,
    ] {
        let doc = Document {
            source,
            blocks: Vec::new(),
        };
        assert_nothing_found(&doc, "empty");
        let e = extract(&doc);
        let format = e.findings.iter().find(|f| f.check == S_FORMAT).unwrap();
        assert_eq!(format.severity, Severity::Error);
        assert!(e.tables.organ.is_none() && e.tables.year.is_none());
    }
    let blank = Document {
        source: SourceKind::Html,
        blocks: vec![
            Block::Line(Line {
                text: String::new(),
                page: None,
                number: 1,
            }),
            Block::Table(Table::default()),
            Block::Table(Table {
                rows: vec![Row { cells: Vec::new() }, Row::default()],
            }),
        ],
    };
    assert_nothing_found(&blank, "blank blocks");
}

#[test]
fn random_documents_give_no_tables_and_never_panic() {
    let mut rng = Lcg(20_240_101);
    for round in 0..40 {
        let mut blocks = Vec::new();
        let lines = rng.below(300);
        for i in 0..lines {
            let len = rng.below(200);
            blocks.push(Block::Line(Line {
                text: rng.text(len),
                page: Some(u32::try_from(i / 40 + 1).unwrap()),
                number: u32::try_from(i + 1).unwrap(),
            }));
            if rng.below(20) == 0 {
                let rows = (0..rng.below(30))
                    .map(|_| Row {
                        cells: (0..rng.below(20))
                            .map(|_| {
                                let len = rng.below(12);
                                Cell {
                                    text: rng.text(len),
                                    col_span: u32::try_from(rng.below(5)).unwrap(),
                                    row_span: if rng.below(10) == 0 { u32::MAX } else { 1 },
                                }
                            })
                            .collect(),
                    })
                    .collect();
                blocks.push(Block::Table(Table { rows }));
            }
        }
        let doc = Document {
            source: SourceKind::Html,
            blocks,
        };
        assert_nothing_found(&doc, &format!("random document {round}"));
    }
}

#[test]
fn huge_random_document_gives_no_tables() {
    let mut rng = Lcg(7);
    // About 2 MB of text in one line (a flat page) and in short lines.
    let one_line = rng.text(400_000);
    let doc = Document {
        source: SourceKind::Txt,
        blocks: vec![Block::Line(Line {
            text: one_line,
            page: None,
            number: 1,
        })],
    };
    assert_nothing_found(&doc, "one huge line");
    let blocks = (0..20_000)
        .map(|i| {
            Block::Line(Line {
                text: rng.text(20),
                page: None,
                number: i + 1,
            })
        })
        .collect();
    assert_nothing_found(
        &Document {
            source: SourceKind::Txt,
            blocks,
        },
        "many short lines",
    );
}

#[test]
fn hostile_digit_runs_and_repeated_labels_stay_bounded() {
    // A label followed by thousands of digits, and a label repeated many times.
    let mut text = String::from("某某局2023年政府信息公开工作年度报告\n");
    text.push_str("一、本年新收政府信息公开申请数量");
    text.push_str(&"1234567890".repeat(500));
    text.push('\n');
    for _ in 0..2_000 {
        text.push_str("一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1 二、上年结转政府信息公开申请数量 12345678901234567890\n");
    }
    text.push_str(
        "四、政府信息公开行政复议、行政诉讼情况 结果维持 结果纠正 其他结果 尚未审结 总计 ",
    );
    text.push_str(&"9".repeat(3_000));
    let blocks = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            Block::Line(Line {
                text: l.to_string(),
                page: None,
                number: u32::try_from(i + 1).unwrap(),
            })
        })
        .collect();
    let e = extract(&Document {
        source: SourceKind::Txt,
        blocks,
    });
    // Whatever was read, cells that could not be split are blank and reported, never invented.
    if let Some(t4) = &e.tables.table4 {
        assert_eq!(t4.reconsideration.upheld, CellValue::Blank);
        assert!(e.findings.iter().any(|f| f.check == S_AMBIGUOUS));
    }
}

#[test]
fn table_four_ambiguous_split_is_reported_with_candidates() {
    // "1100011" is 1|10|0|0|11 or 11|0|0|0|11 under its block total.
    let text = "某某局2023年政府信息公开工作年度报告\n\
        四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计\
        未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计\
        11000110000000000 五、存在的主要问题及改进情况";
    let doc = Document {
        source: SourceKind::Txt,
        blocks: vec![Block::Line(Line {
            text: text.to_string(),
            page: None,
            number: 1,
        })],
    };
    let e = extract(&doc);
    let t4 = e.tables.table4.as_ref().expect("table 四");
    assert_eq!(t4.reconsideration.upheld, CellValue::Blank);
    assert_eq!(t4.reconsideration.corrected, CellValue::Blank);
    assert_eq!(t4.reconsideration.other, CellValue::Number(0));
    assert_eq!(t4.reconsideration.total, CellValue::Number(11));
    let f = e
        .findings
        .iter()
        .find(|f| f.check == S_AMBIGUOUS)
        .expect("S-AMBIGUOUS");
    let cells: Vec<&str> = f.cells.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(
        cells,
        [
            "table4.reconsideration.upheld",
            "table4.reconsideration.corrected"
        ]
    );
    assert_eq!(f.candidates, vec![vec!["1", "10"], vec!["11", "0"]]);
}

#[test]
fn absurd_numbers_do_not_overflow() {
    // Counts near i64::MAX next to a run-together row: the sums must not overflow.
    let big = i64::MAX.to_string();
    let text = format!(
        "某某局2023年政府信息公开工作年度报告\n\
         一、本年新收政府信息公开申请数量 {big} {big} {big} {big} {big} {big} {big}\n\
         二、上年结转政府信息公开申请数量 101000011\n\
         （一）予以公开 {big} {big} {big} {big} {big} {big} {big}\n\
         （七）总计 {big} {big} {big} {big} {big} {big} {big}\n\
         四、结转下年度继续办理 {big} {big} {big} {big} {big} {big} {big}\n"
    );
    let blocks = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            Block::Line(Line {
                text: l.to_string(),
                page: None,
                number: u32::try_from(i + 1).unwrap(),
            })
        })
        .collect();
    let e = extract(&Document {
        source: SourceKind::Txt,
        blocks,
    });
    let t3 = e.tables.table3.expect("table 三");
    assert_eq!(
        t3[&gongkai_report::Table3Row::NewReceived].total,
        CellValue::Number(i64::MAX)
    );
}
