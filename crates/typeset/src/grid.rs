//! Lays a [`Table`] out on its grid of slots, checking the spans, so that every writer places
//! merged cells the same way (DOCX needs explicit continuation cells for `vMerge`; typst places
//! cells itself but must be given a table that fits its grid).

use crate::error::TypesetError;
use crate::model::Table;

/// Word refuses tables wider than 63 columns; no report table comes near it.
pub const MAX_COLUMNS: usize = 63;

/// More rows than any report table has; a row span beyond this is surely a bug.
pub const MAX_ROWS: usize = 10_000;

/// What occupies the slot at the start of a run of grid columns in one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The cell `rows[row].cells[cell]` starts here.
    Origin {
        cell: usize,
        col_span: usize,
        row_span: usize,
    },
    /// Covered by a cell that starts in an earlier row (a vertical merge continues).
    Covered { col_span: usize },
    /// No cell: the row is shorter than the table.
    Empty,
}

/// The grid of a table: `rows[r]` lists the slots of row `r` left to right; the `col_span`s of
/// each row add up to `width`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub width: usize,
    pub rows: Vec<Vec<Slot>>,
}

type Origin = (usize, usize, usize, usize);

/// Places the cells (HTML table model, see [`Table`]) and checks that spans are at least 1, stay
/// inside the table and do not overlap.
pub fn layout(table: &Table) -> Result<Grid, TypesetError> {
    let row_count = table.rows.len();
    if row_count > MAX_ROWS {
        return Err(TypesetError::TooManyRows {
            rows: row_count,
            max: MAX_ROWS,
        });
    }
    if table.header_rows > row_count {
        return Err(TypesetError::HeaderRows {
            header_rows: table.header_rows,
            rows: row_count,
        });
    }
    // occupied[r][c]: the row of the cell that covers slot (r, c), once placed.
    let mut occupied: Vec<Vec<Option<usize>>> = vec![Vec::new(); row_count];
    // origins[r]: (first column, cell index, col span, row span) of the cells starting in row r.
    let mut origins: Vec<Vec<Origin>> = vec![Vec::new(); row_count];
    for (r, row) in table.rows.iter().enumerate() {
        let mut col = 0usize;
        for (i, cell) in row.cells.iter().enumerate() {
            let at = |what: &'static str| TypesetError::Span {
                row: r + 1,
                cell: i + 1,
                what,
            };
            if cell.col_span == 0 || cell.row_span == 0 {
                return Err(at("跨行数和跨列数至少为 1"));
            }
            while occupied
                .get(r)
                .and_then(|o| o.get(col))
                .is_some_and(Option::is_some)
            {
                col += 1;
            }
            let col_span = usize::try_from(cell.col_span).unwrap_or(usize::MAX);
            let row_span = usize::try_from(cell.row_span).unwrap_or(usize::MAX);
            let end_col = col.saturating_add(col_span);
            if end_col > MAX_COLUMNS {
                return Err(TypesetError::TooWide {
                    row: r + 1,
                    max: MAX_COLUMNS,
                });
            }
            let end_row = r.saturating_add(row_span);
            if end_row > row_count {
                return Err(at("跨行超出了表格的最后一行"));
            }
            if r < table.header_rows && end_row > table.header_rows {
                return Err(at("表头单元格的跨行不能延伸到表体"));
            }
            for occ in occupied.iter_mut().take(end_row).skip(r) {
                if occ.len() < end_col {
                    occ.resize(end_col, None);
                }
                for slot in occ.iter_mut().take(end_col).skip(col) {
                    if slot.is_some() {
                        return Err(at("与上方跨行的单元格重叠"));
                    }
                    *slot = Some(r);
                }
            }
            if let Some(list) = origins.get_mut(r) {
                list.push((col, i, col_span, row_span));
            }
            col = end_col;
        }
    }
    let width = occupied.iter().map(Vec::len).max().unwrap_or(0);
    let mut rows = Vec::with_capacity(row_count);
    for (r, occ) in occupied.iter().enumerate() {
        let mut slots = Vec::new();
        let mut col = 0usize;
        while col < width {
            let here = occ.get(col).copied().flatten();
            match here {
                None => {
                    slots.push(Slot::Empty);
                    col += 1;
                }
                Some(origin_row) => {
                    // The origin cell's span tells how many columns this run covers.
                    let origin = origins
                        .get(origin_row)
                        .and_then(|list| list.iter().find(|o| o.0 <= col && col < o.0 + o.2));
                    let Some(&(start, cell, col_span, row_span)) = origin else {
                        slots.push(Slot::Empty);
                        col += 1;
                        continue;
                    };
                    let remaining = start + col_span - col;
                    if origin_row == r {
                        slots.push(Slot::Origin {
                            cell,
                            col_span,
                            row_span,
                        });
                    } else {
                        slots.push(Slot::Covered {
                            col_span: remaining,
                        });
                    }
                    col += remaining;
                }
            }
        }
        rows.push(slots);
    }
    Ok(Grid { width, rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, Row};

    fn table(rows: Vec<Vec<Cell>>, header_rows: usize) -> Table {
        Table {
            column_widths: Vec::new(),
            header_rows,
            rows: rows.into_iter().map(Row::new).collect(),
        }
    }

    #[test]
    fn row_spans_become_covered_slots_and_short_rows_are_padded() {
        // ┌───┬───────┐
        // │ a │   b   │
        // │   ├───┬───┤
        // │   │ c │ d │
        // ├───┼───┴───┤
        // │ e │ (empty)
        let t = table(
            vec![
                vec![Cell::new("a").span(1, 2), Cell::new("b").span(2, 1)],
                vec![Cell::new("c"), Cell::new("d")],
                vec![Cell::new("e")],
            ],
            0,
        );
        let grid = layout(&t).unwrap();
        assert_eq!(grid.width, 3);
        assert_eq!(
            grid.rows[0],
            vec![
                Slot::Origin {
                    cell: 0,
                    col_span: 1,
                    row_span: 2
                },
                Slot::Origin {
                    cell: 1,
                    col_span: 2,
                    row_span: 1
                }
            ]
        );
        assert_eq!(
            grid.rows[1],
            vec![
                Slot::Covered { col_span: 1 },
                Slot::Origin {
                    cell: 0,
                    col_span: 1,
                    row_span: 1
                },
                Slot::Origin {
                    cell: 1,
                    col_span: 1,
                    row_span: 1
                }
            ]
        );
        assert_eq!(grid.rows[2][1], Slot::Empty);
        assert_eq!(grid.rows[2].len(), 3);
    }

    #[test]
    fn a_block_spanning_rows_and_columns_is_covered_with_its_full_width() {
        let t = table(
            vec![
                vec![Cell::new("x").span(2, 2), Cell::new("y")],
                vec![Cell::new("z")],
            ],
            0,
        );
        let grid = layout(&t).unwrap();
        assert_eq!(
            grid.rows[1],
            vec![
                Slot::Covered { col_span: 2 },
                Slot::Origin {
                    cell: 0,
                    col_span: 1,
                    row_span: 1
                }
            ]
        );
    }

    #[test]
    fn bad_spans_are_refused_with_the_position() {
        let zero = table(vec![vec![Cell::new("a").span(0, 1)]], 0);
        let msg = layout(&zero).unwrap_err().to_string();
        assert!(msg.contains("第1行第1个单元格"), "{msg}");

        let past_end = table(vec![vec![Cell::new("a").span(1, 3)], vec![]], 0);
        assert!(
            layout(&past_end)
                .unwrap_err()
                .to_string()
                .contains("最后一行")
        );

        // Row 2's wide cell runs into the column row 1's cell still covers.
        let overlap = table(
            vec![
                vec![Cell::new("a"), Cell::new("b").span(1, 2)],
                vec![Cell::new("c").span(2, 1)],
            ],
            0,
        );
        assert!(layout(&overlap).unwrap_err().to_string().contains("重叠"));

        let header_into_body = table(
            vec![vec![Cell::new("h").span(1, 2)], vec![Cell::new("b")]],
            1,
        );
        assert!(
            layout(&header_into_body)
                .unwrap_err()
                .to_string()
                .contains("表头")
        );

        let wide = table(vec![vec![Cell::new("w").span(64, 1)]], 0);
        assert!(matches!(layout(&wide), Err(TypesetError::TooWide { .. })));
    }
}
