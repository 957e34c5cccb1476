//! PDF output of a [`gongkai_typeset::Document`] through typst, the only crate that depends on
//! it (a heavy dependency: STACK.md §4).
//!
//! One fixed template (`templates/document.typ`, compiled in) lays out every document: A4 with
//! 公文 margins, the page number "— 1 —" at the bottom, CJK line breaking, tables with merged
//! cells and header rows repeated on each page. The document reaches the template as JSON through
//! `sys.inputs`, never as markup, so no text in it can inject typst code; the typst World has no
//! files, no packages and no network.
//!
//! ```no_run
//! # use gongkai_pdf::{Fonts, render_pdf};
//! # use gongkai_typeset::Document;
//! let fonts = Fonts::discover(&[])?; // once, at start-up: slow
//! let pdf: Vec<u8> = render_pdf(&Document::new("告知书"), &fonts)?;
//! # Ok::<(), gongkai_pdf::PdfError>(())
//! ```

mod error;
mod fonts;
mod style;
mod world;

use gongkai_typeset::{Block, Document, Slot, layout, validate};
use serde_json::{Value, json};
use typst_layout::PagedDocument;

pub use error::PdfError;
pub use fonts::{FONTS_DIR_ENV, Fonts, SYSTEM_FONTS_DIR};
pub use style::PdfStyle;

/// Renders `document` as PDF with the default [`PdfStyle`].
pub fn render_pdf(document: &Document, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    render_pdf_with(document, fonts, &PdfStyle::default())
}

/// Renders `document` as PDF with the given fonts and style.
pub fn render_pdf_with(
    document: &Document,
    fonts: &Fonts,
    style: &PdfStyle,
) -> Result<Vec<u8>, PdfError> {
    Ok(render(document, fonts, style)?.0)
}

/// Renders and also returns the number of pages (for callers that show it, and the tests).
pub fn render_pdf_counting_pages(
    document: &Document,
    fonts: &Fonts,
    style: &PdfStyle,
) -> Result<(Vec<u8>, usize), PdfError> {
    render(document, fonts, style)
}

fn render(
    document: &Document,
    fonts: &Fonts,
    style: &PdfStyle,
) -> Result<(Vec<u8>, usize), PdfError> {
    validate(document)?;
    let doc = template_input(document)?;
    let doc = serde_json::to_vec(&doc).map_err(|e| PdfError::Layout(e.to_string()))?;
    let style = serde_json::to_vec(style).map_err(|e| PdfError::Layout(e.to_string()))?;
    let world = world::DocumentWorld::new(fonts, doc, style)?;
    let paged: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| PdfError::Layout(diagnostics(&errors)))?;
    let pages = paged.pages().len();
    let bytes = typst_pdf::pdf(&paged, &typst_pdf::PdfOptions::default())
        .map_err(|errors| PdfError::Export(diagnostics(&errors)))?;
    Ok((bytes, pages))
}

fn diagnostics(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("；")
}

/// The document as the template reads it: the model's JSON, with each table's grid width as
/// `columns` (relative widths) and its short rows padded with empty cells, so that typst's cell
/// placement cannot pull the next row's cells up into the gap.
fn template_input(document: &Document) -> Result<Value, PdfError> {
    let mut blocks = Vec::with_capacity(document.blocks.len());
    for block in &document.blocks {
        let mut value = serde_json::to_value(block).map_err(|e| PdfError::Layout(e.to_string()))?;
        if let Block::Table(table) = block {
            let grid = layout(table)?;
            let columns: Vec<u32> = if table.column_widths.len() == grid.width
                && table.column_widths.iter().any(|w| *w > 0)
            {
                table.column_widths.iter().map(|w| (*w).max(1)).collect()
            } else {
                vec![1; grid.width]
            };
            let mut rows = Vec::with_capacity(table.rows.len());
            for (row, slots) in table.rows.iter().zip(&grid.rows) {
                let mut cells: Vec<Value> = row
                    .cells
                    .iter()
                    .map(serde_json::to_value)
                    .collect::<Result<_, _>>()
                    .map_err(|e| PdfError::Layout(e.to_string()))?;
                let empty = slots.iter().filter(|s| matches!(s, Slot::Empty)).count();
                cells.extend(
                    (0..empty).map(
                        |_| json!({"text": "", "col_span": 1, "row_span": 1, "align": "center"}),
                    ),
                );
                rows.push(json!({ "cells": cells }));
            }
            if let Some(obj) = value.as_object_mut() {
                obj.insert("columns".into(), json!(columns));
                obj.insert("rows".into(), Value::Array(rows));
            }
        }
        blocks.push(value);
    }
    Ok(json!({ "title": document.title, "blocks": blocks }))
}
