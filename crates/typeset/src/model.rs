//! The document model: what a letter or a report says and how its parts are laid out, without
//! any output format in it. Writers: [`crate::to_docx`] here, `gongkai_pdf::render_pdf` for PDF.

use serde::{Deserialize, Serialize};

/// A document: a sequence of blocks on A4 pages. `title` is the document's name (file metadata,
/// the PDF title); the visible title is a [`Block::Title`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// Horizontal alignment of a paragraph or a table cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// One block of a document, in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// The centred document title (公文 标题, 二号小标宋).
    Title { text: String },
    /// The 文号 line under the title, centred (e.g. "某政公开〔2026〕12号").
    DocNumber { text: String },
    /// A heading, level 1–3 (一、 / （一） / 1. in 公文 practice; the numbering is part of the text).
    Heading { level: u8, text: String },
    /// Running text.
    Paragraph(Paragraph),
    /// The closing block: organ name, date, … each on its own right-aligned line.
    Signature { lines: Vec<String> },
    /// A table whose cells may span rows and columns.
    Table(Table),
    /// Start a new page.
    PageBreak,
}

/// A paragraph of running text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub text: String,
    pub align: Align,
    /// 首行缩进 in characters (2 for body text, 0 for salutations and centred lines).
    pub first_line_indent_chars: u8,
}

impl Paragraph {
    /// A body paragraph: left-aligned with the usual two-character first-line indent.
    pub fn body(text: impl Into<String>) -> Self {
        Paragraph {
            text: text.into(),
            align: Align::Left,
            first_line_indent_chars: 2,
        }
    }

    /// A left-aligned paragraph without indent (the salutation "某某：").
    pub fn flush(text: impl Into<String>) -> Self {
        Paragraph {
            text: text.into(),
            align: Align::Left,
            first_line_indent_chars: 0,
        }
    }

    /// A paragraph with the given alignment and no indent.
    pub fn aligned(text: impl Into<String>, align: Align) -> Self {
        Paragraph {
            text: text.into(),
            align,
            first_line_indent_chars: 0,
        }
    }
}

/// A table in the HTML table model: each row lists the cells that START in it, left to right;
/// a cell covers `col_span` × `row_span` grid slots, and a row leaves out the slots that a
/// row-spanning cell from above already covers. The first `header_rows` rows are the header
/// (bold, repeated on every page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Table {
    /// Relative column widths (any unit); empty: equal columns.
    pub column_widths: Vec<u32>,
    pub header_rows: usize,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Row {
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub text: String,
    pub col_span: u32,
    pub row_span: u32,
    pub align: Align,
}

impl Cell {
    /// A one-slot, centred cell (the usual figure cell of a report table).
    pub fn new(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            col_span: 1,
            row_span: 1,
            align: Align::Center,
        }
    }

    /// The same cell spanning `cols` columns and `rows` rows.
    pub fn span(mut self, cols: u32, rows: u32) -> Self {
        self.col_span = cols;
        self.row_span = rows;
        self
    }

    /// The same cell with another alignment (row labels are left-aligned).
    pub fn align(mut self, align: Align) -> Self {
        self.align = align;
        self
    }
}

impl Row {
    pub fn new(cells: Vec<Cell>) -> Self {
        Row { cells }
    }
}

impl Document {
    pub fn new(title: impl Into<String>) -> Self {
        Document {
            title: title.into(),
            blocks: Vec::new(),
        }
    }

    /// Appends a block (builder style).
    pub fn push(&mut self, block: Block) -> &mut Self {
        self.blocks.push(block);
        self
    }

    /// Every piece of text in the document in reading order, table cells row by row: what a
    /// reader of the output must find again (used by the round-trip tests of both writers).
    pub fn texts(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for block in &self.blocks {
            match block {
                Block::Title { text } | Block::DocNumber { text } | Block::Heading { text, .. } => {
                    out.push(text.as_str());
                }
                Block::Paragraph(p) => out.push(p.text.as_str()),
                Block::Signature { lines } => out.extend(lines.iter().map(String::as_str)),
                Block::Table(t) => {
                    for row in &t.rows {
                        out.extend(row.cells.iter().map(|c| c.text.as_str()));
                    }
                }
                Block::PageBreak => {}
            }
        }
        out
    }
}
