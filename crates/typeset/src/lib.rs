//! A small typesetting model for the documents gongkai produces — reply letters (告知书) and the
//! annual report — and its DOCX writer. Pure: bytes out, no file or network access.
//!
//! Build a [`Document`] of [`Block`]s (title, 文号, headings, paragraphs, signature, tables with
//! merged cells, page breaks), then write it with [`to_docx`]; the PDF writer is the separate
//! `gongkai-pdf` crate (it carries the heavy typst dependency). Tables follow the HTML table model
//! ([`Table`]); [`layout`] checks their spans and is shared by the writers.

mod docx;
mod error;
mod grid;
mod html;
mod model;
mod style;

pub use docx::to_docx;
pub use error::TypesetError;
pub use grid::{Grid, MAX_COLUMNS, MAX_ROWS, Slot, layout};
pub use html::{escape_html, to_html, to_html_page};
pub use model::{Align, Block, Cell, Document, Paragraph, Row, Table};
pub use style::DocxStyle;

/// Checks what both writers need of a document: tables lay out on their grid, heading levels
/// are 1–3. Writers call it first, so a bad document fails the same way in DOCX and PDF.
pub fn validate(document: &Document) -> Result<(), TypesetError> {
    for block in &document.blocks {
        match block {
            Block::Heading { level, .. } if !(1..=3).contains(level) => {
                return Err(TypesetError::HeadingLevel { level: *level });
            }
            Block::Table(table) => {
                layout(table)?;
            }
            _ => {}
        }
    }
    Ok(())
}
