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

/// Where a grid slot of a [`Table`] comes from: the cell `table.rows[row].cells[cell]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Slot {
    /// Index into [`Table::rows`] of the row where the covering cell is written.
    pub row: usize,
    /// Index into that row's [`Row::cells`].
    pub cell: usize,
    /// `true` for the top-left slot of the cell, `false` for slots it covers through its spans.
    pub origin: bool,
}

/// Grids wider than this are cut: no real report table comes near it, and a hostile file with
/// thousands of `colspan="100"` cells must not make [`Table::grid`] allocate gigabytes.
pub const MAX_GRID_WIDTH: usize = 1000;

impl Table {
    /// The table laid out on a rectangular grid, one entry per (row, column) slot, following the
    /// HTML table model: each cell takes the first free slot of its row (slots already covered by a
    /// `row_span` from above are skipped) and covers `col_span` × `row_span` slots. A row span that
    /// runs past the last row stops there. Slots no cell covers (short rows) are `None`; where cells
    /// overlap (a malformed table) the earlier cell keeps the slot. All rows have the same length.
    pub fn grid(&self) -> Vec<Vec<Option<Slot>>> {
        let row_count = self.rows.len();
        let mut grid: Vec<Vec<Option<Slot>>> = vec![Vec::new(); row_count];
        for (r, row) in self.rows.iter().enumerate() {
            let mut col = 0usize;
            for (i, cell) in row.cells.iter().enumerate() {
                // Skip slots already covered by row spans from the rows above.
                while grid
                    .get(r)
                    .and_then(|g| g.get(col))
                    .is_some_and(Option::is_some)
                {
                    col += 1;
                }
                if col >= MAX_GRID_WIDTH {
                    break;
                }
                let col_span = usize::try_from(cell.col_span.max(1)).unwrap_or(1);
                let row_span = usize::try_from(cell.row_span.max(1)).unwrap_or(1);
                let last_row = r.saturating_add(row_span).min(row_count);
                let last_col = col.saturating_add(col_span).min(MAX_GRID_WIDTH);
                for (rr, grid_row) in grid.iter_mut().enumerate().take(last_row).skip(r) {
                    if grid_row.len() < last_col {
                        grid_row.resize(last_col, None);
                    }
                    for (cc, slot) in grid_row.iter_mut().enumerate().take(last_col).skip(col) {
                        if slot.is_none() {
                            *slot = Some(Slot {
                                row: r,
                                cell: i,
                                origin: rr == r && cc == col,
                            });
                        }
                    }
                }
                col = last_col;
            }
        }
        let width = grid.iter().map(Vec::len).max().unwrap_or(0);
        for grid_row in &mut grid {
            grid_row.resize(width, None);
        }
        grid
    }

    /// The number of grid columns (see [`Table::grid`]).
    pub fn width(&self) -> usize {
        self.grid().first().map_or(0, Vec::len)
    }

    /// The cell a grid slot refers to.
    pub fn cell(&self, slot: Slot) -> Option<&Cell> {
        self.rows.get(slot.row)?.cells.get(slot.cell)
    }

    /// The grid with the cells' texts: the text of a spanning cell appears in its origin slot only,
    /// covered slots and empty slots are `None`. Handy for printing and for tests.
    pub fn text_grid(&self) -> Vec<Vec<Option<&str>>> {
        self.grid()
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|slot| {
                        let slot = slot.filter(|s| s.origin)?;
                        self.cell(slot).map(|c| c.text.as_str())
                    })
                    .collect()
            })
            .collect()
    }
}

impl Cell {
    /// A cell spanning one slot.
    pub fn new(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            col_span: 1,
            row_span: 1,
        }
    }
}

impl Document {
    /// The tables of the document, in reading order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Line(_) => None,
        })
    }

    /// The lines of the document (outside tables), in reading order.
    pub fn lines(&self) -> impl Iterator<Item = &Line> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Line(l) => Some(l),
            Block::Table(_) => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, col_span: u32, row_span: u32) -> Cell {
        Cell {
            text: text.to_string(),
            col_span,
            row_span,
        }
    }

    #[test]
    fn grid_expands_spans() {
        // ┌───┬───────┐
        // │ a │   b   │
        // │   ├───┬───┤
        // │   │ c │ d │
        // ├───┼───┴───┤
        // │ e │       │   (short row)
        let table = Table {
            rows: vec![
                Row {
                    cells: vec![cell("a", 1, 2), cell("b", 2, 1)],
                },
                Row {
                    cells: vec![cell("c", 1, 1), cell("d", 1, 1)],
                },
                Row {
                    cells: vec![cell("e", 1, 1)],
                },
            ],
        };
        assert_eq!(
            table.text_grid(),
            vec![
                vec![Some("a"), Some("b"), None],
                vec![None, Some("c"), Some("d")],
                vec![Some("e"), None, None],
            ]
        );
        let grid = table.grid();
        assert_eq!(
            grid[1][0],
            Some(Slot {
                row: 0,
                cell: 0,
                origin: false
            })
        );
        assert_eq!(
            grid[0][2],
            Some(Slot {
                row: 0,
                cell: 1,
                origin: false
            })
        );
        assert_eq!(grid[2][1], None);
        assert_eq!(table.width(), 3);
    }

    #[test]
    fn grid_survives_absurd_spans() {
        let table = Table {
            rows: vec![Row {
                cells: vec![cell("x", u32::MAX, u32::MAX), cell("y", 0, 0)],
            }],
        };
        let grid = table.grid();
        assert_eq!(grid.len(), 1);
        assert_eq!(grid[0].len(), MAX_GRID_WIDTH);
        assert_eq!(Table::default().grid(), Vec::<Vec<Option<Slot>>>::new());
    }
}
