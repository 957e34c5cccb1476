#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! PDF output read back with the project's own reader (gongkai_docs::read_document, which runs
//! pdftotext): the Chinese text and the cells come back, pages are counted right, header rows
//! repeat, and document text is never evaluated as typst markup.

mod common;

use common::fonts_or_skip;
use gongkai_docs::read_document;
use gongkai_pdf::{Fonts, PdfError, PdfStyle, render_pdf, render_pdf_counting_pages};
use gongkai_typeset::{Align, Block, Cell, Document, Paragraph, Row, Table};

/// The text without any whitespace: pdftotext -layout spaces out justified CJK lines and wraps
/// paragraphs, neither of which is what the tests are about.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn read_back(pdf: &[u8]) -> gongkai_docs::Document {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    read_document(pdf, Some("out.pdf")).unwrap()
}

fn merged_table() -> Table {
    Table {
        column_widths: vec![3, 1, 1, 1, 1],
        header_rows: 2,
        rows: vec![
            Row::new(vec![
                Cell::new("项目").span(1, 2),
                Cell::new("行政复议").span(3, 1),
                Cell::new("总计").span(1, 2),
            ]),
            Row::new(vec![
                Cell::new("维持"),
                Cell::new("纠正"),
                Cell::new("其他"),
            ]),
            Row::new(vec![
                Cell::new("政府信息公开").align(Align::Left),
                Cell::new("17"),
                Cell::new("4"),
                Cell::new("9"),
                Cell::new("30"),
            ]),
        ],
    }
}

#[test]
fn chinese_text_and_merged_table_cells_come_back_from_the_pdf() {
    let Some(fonts) = fonts_or_skip("chinese_text_and_merged_table_cells_come_back_from_the_pdf")
    else {
        return;
    };
    let mut doc = Document::new("政府信息公开申请答复告知书");
    doc.push(Block::Title {
        text: "政府信息公开申请答复告知书".into(),
    })
    .push(Block::DocNumber {
        text: "新华公开〔2026〕第12号".into(),
    })
    .push(Block::Paragraph(Paragraph::flush("张三：")))
    .push(Block::Heading {
        level: 1,
        text: "一、答复内容".into(),
    })
    .push(Block::Paragraph(Paragraph::body(
        "本机关于2026年11月2日收到您提出的政府信息公开申请。根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定，现将有关情况告知如下。",
    )))
    .push(Block::Table(merged_table()))
    .push(Block::Signature {
        lines: vec!["新华区人民政府办公室".into(), "2026年11月20日".into()],
    });
    let (pdf, pages) = render_pdf_counting_pages(&doc, fonts, &PdfStyle::default()).unwrap();
    assert_eq!(pages, 1);
    let read = read_back(&pdf);
    let text = squeeze(&read.plain_text());
    for piece in doc.texts() {
        assert!(
            text.contains(&squeeze(piece)),
            "“{piece}” missing from:\n{}",
            read.plain_text()
        );
    }
    // The figures of the body row come back on one line, in column order.
    let plain = read.plain_text();
    let row = plain
        .lines()
        .find(|l| l.contains("政府信息公开") && l.contains("17"))
        .unwrap_or_else(|| panic!("no body row in:\n{plain}"));
    let figures: Vec<&str> = row.split_whitespace().skip(1).collect();
    assert_eq!(figures, ["17", "4", "9", "30"]);
    // The page number "— 1 —" is printed at the bottom.
    assert!(text.contains("—1—"), "{plain}");
}

#[test]
fn page_count_follows_page_breaks_and_long_tables_repeat_their_header() {
    let Some(fonts) =
        fonts_or_skip("page_count_follows_page_breaks_and_long_tables_repeat_their_header")
    else {
        return;
    };
    let mut doc = Document::new("五页文档");
    for page in 1..=4 {
        doc.push(Block::Paragraph(Paragraph::body(format!(
            "第{page}页的正文。"
        ))))
        .push(Block::PageBreak);
    }
    let mut table = merged_table();
    table.rows.truncate(2);
    for i in 1..=40 {
        table.rows.push(Row::new(vec![
            Cell::new(format!("第{i}项")).align(Align::Left),
            Cell::new(i.to_string()),
            Cell::new("0"),
            Cell::new("0"),
            Cell::new(i.to_string()),
        ]));
    }
    doc.push(Block::Table(table));
    let (pdf, pages) = render_pdf_counting_pages(&doc, fonts, &PdfStyle::default()).unwrap();
    let read = read_back(&pdf);
    let pages_read = read.lines().filter_map(|l| l.page).max().unwrap();
    assert_eq!(pages_read as usize, pages, "reader and typst agree");
    assert!(
        pages >= 6,
        "4 text pages and a 42-row table over ≥ 2 pages: {pages}"
    );
    for page in 1..=4u32 {
        let on_page: String = read
            .lines()
            .filter(|l| l.page == Some(page))
            .map(|l| l.text.as_str())
            .collect();
        assert!(squeeze(&on_page).contains(&format!("第{page}页的正文。")));
        assert!(
            squeeze(&on_page).contains(&format!("—{page}—")),
            "page number {page}"
        );
    }
    // Every page of the table starts with its header again.
    for page in 5..=pages as u32 {
        let header_on_page = read
            .lines()
            .any(|l| l.page == Some(page) && l.text.contains("行政复议"));
        assert!(header_on_page, "header row missing on page {page}");
    }
}

#[test]
fn document_text_is_printed_literally_never_run_as_typst_code() {
    let Some(fonts) = fonts_or_skip("document_text_is_printed_literally_never_run_as_typst_code")
    else {
        return;
    };
    let hostile = r#"#read("/etc/passwd") #panic("x") ] $x$ *粗* \ #import "@preview/x:0.1.0""#;
    let mut doc = Document::new(hostile);
    doc.push(Block::Title {
        text: hostile.into(),
    })
    .push(Block::Paragraph(Paragraph::body(hostile)));
    let pdf = render_pdf(&doc, fonts).unwrap();
    let text = read_back(&pdf).plain_text();
    assert!(text.contains("#read(\"/etc/passwd\")"), "{text}");
    assert!(text.contains("#panic(\"x\")"), "{text}");
    assert!(!text.contains("root:"), "file content must never appear");
}

#[test]
fn without_a_chinese_font_the_error_says_what_to_install() {
    let nowhere = std::env::temp_dir().join("gongkai-pdf-test-no-fonts-here");
    let err = Fonts::load_dirs(std::slice::from_ref(&nowhere)).unwrap_err();
    assert!(matches!(err, PdfError::NoCjkFont { .. }));
    let msg = err.to_string();
    assert!(msg.contains("apt-get install fonts-noto-cjk"), "{msg}");
    assert!(msg.contains("GONGKAI_FONTS_DIR"), "{msg}");
    assert!(msg.contains(&nowhere.display().to_string()), "{msg}");
}

#[test]
fn a_table_with_bad_spans_is_refused_before_typst_sees_it() {
    // Needs no font: validation runs first.
    let fonts = Fonts::from_data(Vec::new());
    let mut doc = Document::new("x");
    doc.push(Block::Table(Table {
        column_widths: vec![],
        header_rows: 3,
        rows: vec![Row::new(vec![Cell::new("a")])],
    }));
    let err = render_pdf(&doc, &fonts).unwrap_err().to_string();
    assert!(err.contains("表头"), "{err}");
}
