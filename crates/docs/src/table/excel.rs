//! Excel workbooks through calamine: .xlsx streamed cell by cell (calamine's dense `Range` would
//! allocate rows × columns, which one stray cell at XFD1048576 turns into gigabytes), old .xls
//! through its range reader (at most 65,536 × 256 cells by the format).

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{
    Data, ExcelDateTime, Reader, SheetType, SheetVisible, Xls, XlsError, Xlsx, XlsxError,
};

use super::{
    MAX_TABLE_COLUMNS, MAX_TABLE_ROWS, MAX_XLSX_INFLATED_BYTES, RowSink, Table, TableError,
};

pub(super) fn read_xlsx(bytes: &[u8], file: &str) -> Result<Table, TableError> {
    check_inflated_size(bytes, file)?;
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e| xlsx_error(e, file))?;
    for name in worksheet_order(workbook.sheets_metadata()) {
        let rows = read_xlsx_sheet(&mut workbook, &name, file)?;
        if !rows.is_empty() {
            return Ok(Table {
                sheet: Some(name),
                rows,
            });
        }
    }
    Ok(Table::default())
}

/// An OLE file is either an old .xls or an encrypted .xlsx (Office wraps the encrypted zip in OLE);
/// calamine's .xlsx opener recognises the latter by its `EncryptedPackage` stream.
pub(super) fn read_ole(bytes: &[u8], file: &str) -> Result<Table, TableError> {
    if let Err(XlsxError::Password) = Xlsx::new(Cursor::new(bytes)) {
        return Err(encrypted(file));
    }
    let mut workbook = Xls::new(Cursor::new(bytes)).map_err(|e| xls_error(e, file))?;
    for name in worksheet_order(workbook.sheets_metadata()) {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| xls_error(e, file))?;
        let Some((first_row, first_col)) = range.start() else {
            continue;
        };
        let first_col = usize::try_from(first_col).unwrap_or(usize::MAX);
        let mut sink = RowSink::new(file);
        for (offset, row) in range.rows().enumerate() {
            let line = usize::try_from(first_row)
                .unwrap_or(usize::MAX)
                .saturating_add(offset)
                .saturating_add(1);
            // Columns before the range's first are empty: pad so that cells[0] stays column A.
            let mut cells = vec![String::new(); first_col.min(MAX_TABLE_COLUMNS + 1)];
            cells.extend(row.iter().map(cell_text));
            sink.push(line, cells)?;
        }
        if !sink.rows.is_empty() {
            return Ok(Table {
                sheet: Some(name),
                rows: sink.rows,
            });
        }
    }
    Ok(Table::default())
}

/// Worksheets only (not chart or macro sheets), visible ones first: a ledger's hidden sheet is
/// usually a lookup list, read only when nothing visible has data.
fn worksheet_order(sheets: &[calamine::Sheet]) -> Vec<String> {
    let worksheets = sheets.iter().filter(|s| s.typ == SheetType::WorkSheet);
    let visible = worksheets
        .clone()
        .filter(|s| s.visible == SheetVisible::Visible);
    let hidden = worksheets.filter(|s| s.visible != SheetVisible::Visible);
    visible.chain(hidden).map(|s| s.name.clone()).collect()
}

fn read_xlsx_sheet(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    file: &str,
) -> Result<Vec<super::TableRow>, TableError> {
    let mut reader = workbook
        .worksheet_cells_reader(name)
        .map_err(|e| xlsx_error(e, file))?;
    // Cells arrive in sheet order in files Excel writes, but the format does not promise it.
    let mut grid: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
    while let Some(cell) = reader.next_cell().map_err(|e| xlsx_error(e, file))? {
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        let (row, col) = cell.get_position();
        let line = usize::try_from(row).unwrap_or(usize::MAX).saturating_add(1);
        if usize::try_from(col).map_or(true, |c| c >= MAX_TABLE_COLUMNS) {
            return Err(TableError::TooManyColumns {
                file: file.to_owned(),
                line,
                limit: MAX_TABLE_COLUMNS,
            });
        }
        if !grid.contains_key(&row) && grid.len() >= MAX_TABLE_ROWS {
            return Err(TableError::TooManyRows {
                file: file.to_owned(),
                limit: MAX_TABLE_ROWS,
            });
        }
        grid.entry(row).or_default().insert(col, text);
    }
    let mut sink = RowSink::new(file);
    for (row, cols) in grid {
        let width = cols
            .last_key_value()
            .map_or(0, |(&c, _)| usize::try_from(c).unwrap_or(0) + 1);
        let mut cells = vec![String::new(); width];
        for (col, text) in cols {
            if let Some(slot) = usize::try_from(col).ok().and_then(|c| cells.get_mut(c)) {
                *slot = text;
            }
        }
        let line = usize::try_from(row).unwrap_or(usize::MAX).saturating_add(1);
        sink.push(line, cells)?;
    }
    Ok(sink.rows)
}

/// Refuses an .xlsx whose entries declare more than [`MAX_XLSX_INFLATED_BYTES`] in all. Declared
/// sizes can lie, but calamine trusts them for its buffers, so this is the bound that matters.
fn check_inflated_size(bytes: &[u8], file: &str) -> Result<(), TableError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| TableError::ExcelDamaged {
            file: file.to_owned(),
            format: "xlsx",
            detail: e.to_string(),
        })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let size = archive.by_index_raw(i).map_or(0, |entry| entry.size());
        total = total.saturating_add(size);
    }
    if total > MAX_XLSX_INFLATED_BYTES {
        return Err(TableError::ExcelTooLarge {
            file: file.to_owned(),
            limit_mb: MAX_XLSX_INFLATED_BYTES / (1024 * 1024),
        });
    }
    Ok(())
}

fn encrypted(file: &str) -> TableError {
    TableError::Encrypted {
        file: file.to_owned(),
    }
}

fn xlsx_error(e: XlsxError, file: &str) -> TableError {
    match e {
        XlsxError::Password => encrypted(file),
        other => TableError::ExcelDamaged {
            file: file.to_owned(),
            format: "xlsx",
            detail: other.to_string(),
        },
    }
}

fn xls_error(e: XlsError, file: &str) -> TableError {
    match e {
        XlsError::Password => encrypted(file),
        other => TableError::ExcelDamaged {
            file: file.to_owned(),
            format: "xls",
            detail: other.to_string(),
        },
    }
}

/// The text of one cell as the importer should see it (see the module notes of `table`).
pub(super) fn cell_text(value: &Data) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => datetime_text(dt),
        // A duration ([h]:mm) has no calendar meaning in a ledger: its number is all we can say.
        Data::DateTime(dt) => number_text(dt.as_f64()),
        Data::DateTimeIso(s) => iso_datetime_text(s.trim()),
        Data::DurationIso(s) => s.trim().to_owned(),
        // "#N/A", "#REF!": kept so the importer can point at the broken formula.
        Data::Error(e) => e.to_string(),
    }
}

/// Numbers as Excel displays them: 15 significant digits (what Excel keeps and shows, so a
/// stored 0.30000000000000004 reads 0.3), whole numbers without ".0", never an exponent.
fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    // Below 2^53 every whole f64 is an exact i64; this also prints -0.0 as "0".
    if rounded.fract() == 0.0 && rounded.abs() < 9_007_199_254_740_992.0 {
        #[allow(clippy::cast_possible_truncation)]
        let whole = rounded as i64;
        return whole.to_string();
    }
    rounded.to_string()
}

/// `YYYY-MM-DD`, plus ` HH:MM:SS` when the time is not midnight; a time alone (serial below 1)
/// is `HH:MM:SS`. Serials Excel cannot show (negative) stay numbers.
fn datetime_text(dt: &ExcelDateTime) -> String {
    let serial = dt.as_f64();
    if !serial.is_finite() || serial < 0.0 {
        return number_text(serial);
    }
    let (year, month, day, hour, minute, second, milli) = dt.to_ymd_hms_milli();
    let time = format!("{hour:02}:{minute:02}:{second:02}");
    if serial < 1.0 {
        return time;
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    if hour == 0 && minute == 0 && second == 0 && milli == 0 {
        date
    } else {
        format!("{date} {time}")
    }
}

/// ODS-style ISO text ("2024-03-01T00:00:00"): the date alone when the time is midnight.
fn iso_datetime_text(s: &str) -> String {
    match s.split_once('T') {
        Some((date, time)) if time.trim_start_matches(['0', ':', '.']).is_empty() => {
            date.to_owned()
        }
        Some((date, time)) => format!("{date} {time}"),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(number_text(42.0), "42");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(3.25), "3.25");
        assert_eq!(number_text(1e20), "100000000000000000000");
        assert_eq!(number_text(123_456_789_012.0), "123456789012");
    }

    #[test]
    fn dates_read_as_iso_and_keep_a_time_only_when_there_is_one() {
        let date = ExcelDateTime::new(45_658.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&date), "2025-01-01");
        let with_time = ExcelDateTime::new(45_658.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&with_time), "2025-01-01 12:00:00");
        let time_only = ExcelDateTime::new(0.75, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&time_only), "18:00:00");
        let epoch_1904 = ExcelDateTime::new(0.0 + 44_196.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(datetime_text(&epoch_1904), "2025-01-01");
    }

    #[test]
    fn iso_datetimes_drop_a_midnight_time() {
        assert_eq!(iso_datetime_text("2024-03-01T00:00:00"), "2024-03-01");
        assert_eq!(
            iso_datetime_text("2024-03-01T08:30:00"),
            "2024-03-01 08:30:00"
        );
        assert_eq!(iso_datetime_text("2024-03-01"), "2024-03-01");
    }
}
