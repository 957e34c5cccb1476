//! Measures font loading and rendering (numbers for docs/performance.md):
//! `cargo run -p gongkai-pdf --example measure [--release] [-- out_dir]`.
//! Writes letter.pdf, five_pages.pdf and letter.docx into `out_dir` when given.

use std::time::Instant;

use gongkai_pdf::{Fonts, PdfStyle, render_pdf_counting_pages};
use gongkai_typeset::{Align, Block, Cell, Document, DocxStyle, Paragraph, Row, Table, to_docx};

fn letter() -> Document {
    let mut doc = Document::new("政府信息公开申请答复告知书");
    doc.push(Block::Title {
        text: "政府信息公开申请答复告知书".into(),
    })
    .push(Block::DocNumber {
        text: "某政办公开〔2026〕12号".into(),
    })
    .push(Block::Paragraph(Paragraph::flush("张三：")));
    for _ in 0..4 {
        doc.push(Block::Paragraph(Paragraph::body(
            "本机关于2026年11月2日收到您提出的政府信息公开申请（受理编号：YSQ-2026-0012），您申请获取的信息为：2025年某区老旧小区改造项目的资金使用情况。根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定，本机关决定予以公开。",
        )));
    }
    doc.push(Block::Signature {
        lines: vec!["某区人民政府办公室".into(), "2026年11月20日".into()],
    });
    doc
}

fn five_pages() -> Document {
    let mut doc = letter();
    for page in 2..=5 {
        doc.push(Block::PageBreak);
        doc.push(Block::Heading {
            level: 1,
            text: format!("{page}、统计表"),
        });
        let mut rows = vec![Row::new(vec![
            Cell::new("项目").span(1, 2),
            Cell::new("法人或其他组织").span(3, 1),
            Cell::new("总计").span(1, 2),
        ])];
        rows.push(Row::new(vec![
            Cell::new("商业企业"),
            Cell::new("科研机构"),
            Cell::new("其他"),
        ]));
        for i in 0..10 {
            rows.push(Row::new(vec![
                Cell::new(format!("第{i}项")).align(Align::Left),
                Cell::new("1"),
                Cell::new("2"),
                Cell::new("3"),
                Cell::new("6"),
            ]));
        }
        doc.push(Block::Table(Table {
            column_widths: vec![3, 1, 1, 1, 1],
            header_rows: 2,
            rows,
        }));
    }
    doc
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args().nth(1).map(std::path::PathBuf::from);
    let t = Instant::now();
    let fonts = Fonts::discover(&[])?;
    println!(
        "fonts: {} faces, {} families, loaded in {:?}",
        fonts.len(),
        fonts.families().len(),
        t.elapsed()
    );
    let style = PdfStyle::default();
    for (name, doc) in [("letter", letter()), ("five_pages", five_pages())] {
        // The first render also warms typst's caches; the next five each change the text so that
        // typst's memoisation cannot replay a previous layout.
        let t = Instant::now();
        let (pdf, pages) = render_pdf_counting_pages(&doc, &fonts, &style)?;
        let first = t.elapsed();
        let mut best = first;
        for i in 0..5 {
            let mut doc = doc.clone();
            doc.blocks.push(Block::Paragraph(Paragraph::body(format!(
                "第{i}次测量：本段文字每次不同。"
            ))));
            let t = Instant::now();
            render_pdf_counting_pages(&doc, &fonts, &style)?;
            best = best.min(t.elapsed());
        }
        println!(
            "{name}: {pages} page(s), {} bytes, first render {first:?}, best of 5 varied {best:?}",
            pdf.len()
        );
        if let Some(dir) = &out {
            std::fs::write(dir.join(format!("{name}.pdf")), &pdf)?;
        }
    }
    let t = Instant::now();
    let docx = to_docx(&five_pages(), &DocxStyle::default())?;
    println!(
        "docx (five_pages): {} bytes in {:?}",
        docx.len(),
        t.elapsed()
    );
    if let Some(dir) = &out {
        std::fs::write(dir.join("five_pages.docx"), &docx)?;
        std::fs::write(
            dir.join("letter.docx"),
            to_docx(&letter(), &DocxStyle::default())?,
        )?;
    }
    Ok(())
}
