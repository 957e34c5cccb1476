//! Documents in: TXT, HTML, DOCX and PDF read into one simple representation, [`Document`], that the
//! annual-report auditor reads tables from. This crate knows nothing of the law or of reports.
//!
//! Entry points: [`read_document`] (bytes and an optional file name) and [`read_path`]. The format
//! is recognised from the content; every failure is a [`ReadError`] with a Chinese message saying
//! what to do, and no input makes the readers panic.
//!
//! | format | how | what comes out |
//! |---|---|---|
//! | TXT | BOM / UTF-8 / GB18030 ([`encoding`]) | one [`Line`] per physical line, spacing kept; form feeds are pages |
//! | HTML | one-pass reader, html5ever via `scraper` where it declines; `<meta charset>` honoured | [`Table`]s with spans, other text as collapsed lines |
//! | DOCX | `zip` + streaming `quick-xml` | [`Table`]s (`gridSpan`, `vMerge` → spans), paragraphs as lines |
//! | PDF | `pdftotext -layout` child process (fallback: `pdf-extract`) | one [`Line`] per layout line, with its page |
//!
//! Limits: inputs over [`MAX_FILE_BYTES`]; a DOCX part inflating past [`MAX_PART_BYTES`]; `colspan`
//! clamped to 1..=100 and row spans to 1..=10,000; HTML with `<div>`-like containers nested deeper
//! than 512; PDF extraction stopped after 60 s ([`ReadOptions`]). Layout tables (nested, one-column,
//! or holding prose) are read as text, their inner tables as tables: see `html.rs`.
//!
//! Separately, [`table::read_table`] reads spreadsheet ledgers (.xlsx, .xls, CSV/TSV) into numbered
//! rows of text for import; its [`table::Table`] is a plain row list, not the document [`Table`].

mod document;
mod docx;
pub mod encoding;
mod error;
mod html;
mod html_stream;
mod pdf;
mod read;
pub mod table;
mod text;
mod txt;

pub use document::*;
pub use docx::MAX_PART_BYTES;
pub use error::ReadError;
pub use read::{
    MAX_FILE_BYTES, PDFTOTEXT_ENV, ReadOptions, read_document, read_document_with, read_path,
    read_path_with,
};
pub use table::{TableError, read_table};
