//! Every file of the shared corpus reads, and what comes out is what the report says.

// Helpers outside #[test] functions are test code too (clippy.toml only exempts the tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{corpus, corpus_dir};
use gongkai_docs::{Block, Document, SourceKind, read_document, read_path};

fn read(name: &str) -> Document {
    read_document(&corpus(name), Some(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn lines(doc: &Document) -> Vec<&str> {
    doc.lines().map(|l| l.text.as_str()).collect()
}

fn all_cells(doc: &Document) -> Vec<&str> {
    doc.tables()
        .flat_map(|t| t.rows.iter())
        .flat_map(|r| r.cells.iter())
        .map(|c| c.text.as_str())
        .collect()
}

#[test]
fn every_corpus_document_reads() {
    let mut read_count = 0;
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".json") || name.ends_with(".md") {
            continue;
        }
        let doc = read_path(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!doc.blocks.is_empty(), "{name}: no blocks");
        let expected = match path.extension().and_then(|e| e.to_str()) {
            Some("txt") => SourceKind::Txt,
            Some("html") => SourceKind::Html,
            Some("docx") => SourceKind::Docx,
            Some("pdf") => SourceKind::Pdf,
            other => panic!("{name}: unexpected extension {other:?}"),
        };
        assert_eq!(doc.source, expected, "{name}");
        // The extension is only a hint: the same bytes without a name read the same.
        let unnamed = read_document(&std::fs::read(&path).unwrap(), None).unwrap();
        assert_eq!(unnamed, doc, "{name}: reading without a file name differs");
        read_count += 1;
    }
    assert!(
        read_count >= 9,
        "expected the corpus documents, read {read_count}"
    );
}

#[test]
fn xinhua_txt_keeps_lines_and_tabs() {
    let doc = read("xinhua-ximarket-2023.txt");
    assert_eq!(doc.source, SourceKind::Txt);
    assert!(doc.tables().next().is_none());
    let all = lines(&doc);
    assert!(all.iter().any(|l| l.contains("348")), "no line with 348");
    // Tab-separated cells are kept as they are.
    assert!(
        all.contains(&"规章\t0\t0\t0"),
        "table 二 row not found with its tabs"
    );
    // Line numbers are physical line numbers: the title is on line 3 after two empty lines.
    let title = doc.lines().find(|l| l.text.contains("年度报告")).unwrap();
    assert_eq!(title.number, 3);
    assert_eq!(title.page, None);
    let numbers: Vec<u32> = doc.lines().map(|l| l.number).collect();
    assert_eq!(numbers, (1..=numbers.len() as u32).collect::<Vec<_>>());
}

#[test]
fn hongze_pdf_text_layer_with_pages() {
    let doc = read("hongze-2023.pdf");
    assert_eq!(doc.source, SourceKind::Pdf);
    let text = doc.plain_text();
    assert!(text.contains("洪泽区"));
    assert!(text.contains("行政复议"));
    let pages: std::collections::BTreeSet<u32> = doc.lines().filter_map(|l| l.page).collect();
    assert_eq!(pages.len(), 5, "pages: {pages:?}");
    assert!(doc.lines().all(|l| l.page.is_some()));
    // Table 四's data row, with the layout spacing kept between cells: "10    1      0 …".
    let data_row = doc
        .lines()
        .find(|l| l.text.starts_with("10 ") && l.text.split_whitespace().count() == 15)
        .unwrap_or_else(|| panic!("table 四 data row not found in:\n{text}"));
    println!(
        "table 四 data row (page {:?}): {:?}",
        data_row.page, data_row.text
    );
    let values: Vec<&str> = data_row.text.split_whitespace().collect();
    assert_eq!(values[..2], ["10", "1"]);
    assert!(data_row.text.contains("10    1"), "layout spacing lost");
    // Table 三 continues across the page break (pages 3 and 4).
    let total = doc.lines().find(|l| l.text.contains("（七）总计")).unwrap();
    assert_eq!(total.page, Some(4));
    assert!(total.text.contains("21"));
}

#[test]
fn pingtan_html_tables() {
    for name in [
        "pingtan-shiyanqu-2021.html",
        "pingtan-shiyanqu-2022.html",
        "pingtan-junshanpianqu-2022.html",
        "pingtan-shiyanqu-2019.html",
    ] {
        let doc = read(name);
        assert_eq!(doc.source, SourceKind::Html, "{name}");
        let tables: Vec<_> = doc.tables().collect();
        assert!(tables.len() >= 3, "{name}: {} tables", tables.len());
        // Table 三 is the one with the outcome rows; its label split by Word's markup reads whole.
        let table3 = tables
            .iter()
            .find(|t| {
                t.rows
                    .iter()
                    .any(|r| r.cells.iter().any(|c| c.text.contains("部分公开")))
            })
            .unwrap_or_else(|| panic!("{name}: no table 三"));
        let label = table3
            .rows
            .iter()
            .flat_map(|r| r.cells.iter())
            .find(|c| c.text.contains("部分公开"))
            .unwrap();
        println!("{name}: table 三 label {:?}", label.text);
        assert_eq!(
            label.text, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "{name}"
        );
        // Merged cells survive as spans.
        assert!(
            table3
                .rows
                .iter()
                .flat_map(|r| &r.cells)
                .any(|c| c.row_span > 1),
            "{name}: no row span in table 三"
        );
        assert!(
            tables
                .iter()
                .flat_map(|t| t.rows.iter())
                .flat_map(|r| &r.cells)
                .any(|c| c.col_span > 1),
            "{name}: no col span"
        );
        // The report's prose is there as lines, the page's scripts and styles are not.
        let text = doc.plain_text();
        assert!(text.contains("一、总体情况"), "{name}");
        assert!(!text.contains("function("), "{name}: script text leaked");
        assert!(!text.contains("mso-"), "{name}: style text leaked");
        // Lines are numbered 1, 2, 3, … and nothing is empty.
        let numbers: Vec<u32> = doc.lines().map(|l| l.number).collect();
        assert_eq!(
            numbers,
            (1..=numbers.len() as u32).collect::<Vec<_>>(),
            "{name}"
        );
        assert!(doc.lines().all(|l| !l.text.trim().is_empty()), "{name}");
    }
}

#[test]
fn pingtan_2021_table_values() {
    let doc = read("pingtan-shiyanqu-2021.html");
    let tables: Vec<_> = doc.tables().collect();
    // Table 二, first block: 行政规范性文件 69 / 3 / 665.
    let row = tables[0]
        .rows
        .iter()
        .find(|r| r.cells.first().is_some_and(|c| c.text == "行政规范性文件"))
        .unwrap();
    let texts: Vec<&str> = row.cells.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["行政规范性文件", "69", "3", "665"]);
    // Table 四: 15 columns on the grid; its data row reads 1 0 2 0 3 12 0 0 0 12 0 0 0 0 0.
    let table4 = tables[2];
    assert_eq!(table4.width(), 15);
    let last = table4.rows.last().unwrap();
    let values: Vec<&str> = last.cells.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        values,
        [
            "1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0"
        ]
    );
    // The 总计 column header of table 三 spans two rows.
    let grid = tables[1].text_grid();
    assert_eq!(grid[1].iter().flatten().last(), Some(&"总计"));
}

#[test]
fn docx_tables_with_merges() {
    let doc = read("pingtan-shiyanqu-2021-word.docx");
    assert_eq!(doc.source, SourceKind::Docx);
    let tables: Vec<_> = doc.tables().collect();
    assert!(tables.len() >= 3, "{} tables", tables.len());
    let cells: Vec<_> = tables
        .iter()
        .flat_map(|t| t.rows.iter())
        .flat_map(|r| &r.cells)
        .collect();
    assert!(cells.iter().any(|c| c.col_span > 1), "no gridSpan");
    assert!(cells.iter().any(|c| c.row_span > 1), "no vMerge");
    // vMerge: 三、本年度办理结果 spans the 22 outcome rows, and its continuation cells are gone.
    let outcome = cells
        .iter()
        .find(|c| c.text == "三、本年度办理结果")
        .unwrap();
    assert_eq!(outcome.row_span, 22);
    assert!(all_cells(&doc).contains(&"（二）部分公开（区分处理的，只计这一情形，不计其他情形）"));
    // The DOCX was made from the 2021 web page: the tables read the same from both.
    let html = read("pingtan-shiyanqu-2021.html");
    let html_tables: Vec<_> = html.tables().collect();
    for (i, (d, h)) in tables.iter().zip(&html_tables).enumerate() {
        assert_eq!(
            d.text_grid(),
            h.text_grid(),
            "table {i} differs between DOCX and HTML"
        );
    }
    // Paragraphs outside tables are lines; the title comes first.
    let first = doc.lines().next().unwrap();
    assert_eq!(first.text, "平潭综合实验区2021年度政府信息公开工作年度报告");
    assert_eq!(first.number, 1);
}

#[test]
fn flat_txt_reads_as_text() {
    let doc = read("pingtan-shiyanqu-2021-flat.txt");
    assert_eq!(doc.source, SourceKind::Txt);
    assert!(doc.blocks.iter().all(|b| matches!(b, Block::Line(_))));
}
