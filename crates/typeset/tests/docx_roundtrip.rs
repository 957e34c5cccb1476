#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The DOCX writer's output, read back with the project's own reader (gongkai_docs): every text
//! and every table cell, with its spans, comes back.

use std::io::Read;

use gongkai_docs::{Block as ReadBlock, read_document};
use gongkai_typeset::{Align, Block, Cell, Document, DocxStyle, Paragraph, Row, Table, to_docx};

/// A cut of table 三 of the annual report: the two-row header with 法人或其他组织 spanning five
/// columns and 申请人情况/自然人/总计 spanning two rows (legal-rules.md §B.3).
fn table_three_header() -> Table {
    Table {
        column_widths: vec![4, 1, 1, 1, 1, 1, 1, 1],
        header_rows: 2,
        rows: vec![
            Row::new(vec![
                Cell::new("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
                    .span(1, 2),
                Cell::new("自然人").span(1, 2),
                Cell::new("法人或其他组织").span(5, 1),
                Cell::new("总计").span(1, 2),
            ]),
            Row::new(vec![
                Cell::new("商业企业"),
                Cell::new("科研机构"),
                Cell::new("社会公益组织"),
                Cell::new("法律服务机构"),
                Cell::new("其他"),
            ]),
            Row::new(vec![
                Cell::new("一、本年新收政府信息公开申请数量").align(Align::Left),
                Cell::new("12"),
                Cell::new("3"),
                Cell::new("0"),
                Cell::new("1"),
                Cell::new("0"),
                Cell::new("2"),
                Cell::new("18"),
            ]),
        ],
    }
}

fn letter() -> Document {
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
        text: "一、申请内容".into(),
    })
    .push(Block::Paragraph(Paragraph::body(
        "本机关于2026年11月2日收到您提出的政府信息公开申请，现答复如下。",
    )))
    .push(Block::Table(table_three_header()))
    .push(Block::PageBreak)
    .push(Block::Paragraph(Paragraph::aligned(
        "第二页的居中文字",
        Align::Center,
    )))
    .push(Block::Signature {
        lines: vec!["新华区人民政府办公室".into(), "2026年11月20日".into()],
    });
    doc
}

fn document_xml(docx: &[u8]) -> String {
    let mut zip = zip_archive(docx);
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

fn zip_archive(bytes: &[u8]) -> zip::ZipArchive<std::io::Cursor<&[u8]>> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap()
}

#[test]
fn every_text_and_table_cell_reads_back_from_the_docx() {
    let doc = letter();
    let bytes = to_docx(&doc, &DocxStyle::default()).unwrap();
    let read = read_document(&bytes, Some("letter.docx")).unwrap();
    let text = read.plain_text();
    for piece in doc.texts() {
        assert!(text.contains(piece), "“{piece}” missing from:\n{text}");
    }
    let tables: Vec<_> = read.tables().collect();
    assert_eq!(tables.len(), 1);
    let grid = tables[0].text_grid();
    assert_eq!(grid.len(), 3);
    assert_eq!(grid[0].len(), 8, "8 grid columns");
    assert_eq!(grid[0][2], Some("法人或其他组织"));
    assert_eq!(grid[0][3], None, "covered by the 5-column span");
    assert_eq!(grid[1][0], None, "covered by the 2-row span");
    assert_eq!(grid[1][2], Some("商业企业"));
    assert_eq!(grid[1][7], None, "总计 spans both header rows");
    assert_eq!(grid[2][7], Some("18"));
    let first = &tables[0].rows[0].cells;
    assert_eq!((first[0].row_span, first[2].col_span), (2, 5));
    assert!(
        read.blocks
            .iter()
            .any(|b| matches!(b, ReadBlock::Line(l) if l.text == "张三："))
    );
}

#[test]
fn docx_is_a4_with_page_numbers_repeated_headers_and_the_configured_fonts() {
    let style = DocxStyle {
        body_font: "仿宋".into(),
        ..DocxStyle::default()
    };
    let bytes = to_docx(&letter(), &style).unwrap();
    let xml = document_xml(&bytes);
    assert!(
        xml.contains(r#"w:w="11906""#) && xml.contains(r#"w:h="16838""#),
        "A4"
    );
    assert!(xml.contains(r#"w:top="2098""#), "37 mm top margin");
    assert_eq!(xml.matches("<w:tblHeader />").count(), 2, "two header rows");
    assert!(xml.contains(r#"w:eastAsia="仿宋""#));
    assert!(xml.contains(r#"w:eastAsia="方正小标宋简体""#));
    assert!(xml.contains(r#"<w:gridSpan w:val="5" />"#));
    assert!(xml.contains(r#"<w:vMerge w:val="restart" />"#));
    assert!(xml.contains(r#"<w:vMerge w:val="continue" />"#));
    assert!(xml.contains(r#"w:type="page""#), "page break");
    let mut footer = String::new();
    let mut zip = zip_archive(&bytes);
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    let footer_name = names
        .iter()
        .find(|n| n.starts_with("word/footer"))
        .expect("a footer part");
    zip.by_name(footer_name)
        .unwrap()
        .read_to_string(&mut footer)
        .unwrap();
    assert!(footer.contains("PAGE"), "{footer}");
    assert!(footer.contains("— "));
}

#[test]
fn a_table_with_bad_spans_is_refused_not_written() {
    let mut doc = Document::new("x");
    doc.push(Block::Table(Table {
        column_widths: vec![],
        header_rows: 0,
        rows: vec![Row::new(vec![Cell::new("a").span(1, 5)])],
    }));
    let err = to_docx(&doc, &DocxStyle::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("第1行第1个单元格"), "{err}");

    let mut doc = Document::new("x");
    doc.push(Block::Heading {
        level: 4,
        text: "四级".into(),
    });
    assert!(
        to_docx(&doc, &DocxStyle::default())
            .unwrap_err()
            .to_string()
            .contains("1–3")
    );
}
