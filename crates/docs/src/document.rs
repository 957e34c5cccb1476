//! The representation every reader produces.

use serde::Serialize;

/// What kind of file a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Txt,
    Html,
    Docx,
    Pdf,
}

/// A document as a sequence of blocks in reading order.
///
/// Readers of structured formats (HTML, DOCX) emit real [`Table`]s; readers of text (TXT, the text
/// layer of a PDF) emit [`Line`]s only, keeping the spacing that separates cells (tabs in TXT, runs
/// of spaces in `pdftotext -layout` output), so the table finder works from positions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub source: SourceKind,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    Line(Line),
    Table(Table),
}

/// One line of running text: a paragraph of HTML/DOCX, or one physical line of TXT/PDF text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub text: String,
    /// 1-based page number where the format has pages (PDF); `None` otherwise.
    pub page: Option<u32>,
    /// 1-based line number within the document (TXT/PDF) or paragraph number (HTML/DOCX).
    pub number: u32,
}

/// A table as marked up in the source (HTML `<table>`, DOCX `w:tbl`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Table {
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Row {
    pub cells: Vec<Cell>,
}

/// One cell as marked up: its text (paragraphs inside the cell joined without separator, whitespace
/// normalised) and its spans. A DOCX `vMerge` continuation cell is not emitted: its origin cell gets
/// the `row_span` instead, as in HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub text: String,
    pub col_span: u32,
    pub row_span: u32,
}

impl Document {
    /// All text of the document in reading order, one line per [`Line`] and one line per table row
    /// (cells separated by a tab). Used for narrative checks and for finding the organ and year.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            match block {
                Block::Line(line) => {
                    out.push_str(&line.text);
                    out.push('\n');
                }
                Block::Table(table) => {
                    for row in &table.rows {
                        let cells: Vec<&str> = row.cells.iter().map(|c| c.text.as_str()).collect();
                        out.push_str(&cells.join("\t"));
                        out.push('\n');
                    }
                }
            }
        }
        out
    }
}
