//! The report's three tables as an Excel workbook (one sheet each, laid out like the official
//! format with merged cells), for offices that keep their figures in Excel.

use gongkai_typeset::{Block, Slot, Table, layout};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::document::report_document;
use crate::snapshot::ReportSnapshot;

/// Why the workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum XlsxReportError {
    #[error("生成 Excel 文件失败：{0}")]
    Xlsx(#[from] XlsxError),
    #[error("表格排版有误：{0}")]
    Layout(#[from] gongkai_typeset::TypesetError),
}

fn write_table(sheet: &mut Worksheet, table: &Table) -> Result<(), XlsxReportError> {
    let grid = layout(table)?;
    let format = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    for (r, slots) in grid.rows.iter().enumerate() {
        let mut col = 0usize;
        for slot in slots {
            match *slot {
                Slot::Origin {
                    cell,
                    col_span,
                    row_span,
                } => {
                    let text = table
                        .rows
                        .get(r)
                        .and_then(|row| row.cells.get(cell))
                        .map_or("", |c| c.text.as_str());
                    let (r0, c0) = (
                        u32::try_from(r).unwrap_or(u32::MAX),
                        u16::try_from(col).unwrap_or(u16::MAX),
                    );
                    let (r1, c1) = (
                        u32::try_from(r + row_span - 1).unwrap_or(u32::MAX),
                        u16::try_from(col + col_span - 1).unwrap_or(u16::MAX),
                    );
                    // Figures as numbers, so the sheet adds up in Excel too.
                    let number = text.parse::<f64>().ok().filter(|_| !text.is_empty());
                    if r0 == r1 && c0 == c1 {
                        match number {
                            Some(n) => sheet.write_number_with_format(r0, c0, n, &format)?,
                            None => sheet.write_string_with_format(r0, c0, text, &format)?,
                        };
                    } else {
                        sheet.merge_range(r0, c0, r1, c1, text, &format)?;
                    }
                    col += col_span;
                }
                Slot::Covered { col_span } => col += col_span,
                Slot::Empty => col += 1,
            }
        }
    }
    Ok(())
}

/// The workbook: sheets 表二, 表三, 表四.
pub fn report_xlsx(report: &ReportSnapshot) -> Result<Vec<u8>, XlsxReportError> {
    let document = report_document(report);
    let tables: Vec<&Table> = document
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    let mut book = Workbook::new();
    for (name, table) in ["表二", "表三", "表四"].iter().zip(tables) {
        let sheet = book.add_worksheet();
        sheet.set_name(*name)?;
        write_table(sheet, table)?;
        sheet.set_column_width(0, 24)?;
    }
    Ok(book.save_to_buffer()?)
}
