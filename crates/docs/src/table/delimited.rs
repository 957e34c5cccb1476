//! CSV and TSV: decoded by [`crate::encoding`] (Excel's "CSV" export is GBK on Chinese Windows,
//! "CSV UTF-8" has a BOM), then split by the `csv` crate, which handles quoted fields spanning
//! lines and reports where each record starts.

use super::{RowSink, Table, TableError};
use crate::ReadError;
use crate::encoding::{decode_text, looks_binary};

pub(super) fn read_delimited(
    bytes: &[u8],
    file: &str,
    tab_by_name: bool,
) -> Result<Table, TableError> {
    // UTF-16 text is full of NUL bytes, so only BOM-less input is checked for binary content.
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if !utf16 && looks_binary(bytes) {
        return Err(TableError::NotATable {
            file: file.to_owned(),
        });
    }
    let text = match decode_text(bytes) {
        Ok(decoded) => decoded.text,
        Err(ReadError::UnknownEncoding) => {
            return Err(TableError::UnknownEncoding {
                file: file.to_owned(),
            });
        }
        Err(other) => {
            return Err(TableError::CsvDamaged {
                file: file.to_owned(),
                line: 1,
                detail: other.to_string(),
            });
        }
    };
    let delimiter = if tab_by_name || header_is_tab_separated(&text) {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        // Ledgers have ragged rows (a trailing note column filled in on some rows only).
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut sink = RowSink::new(file);
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(&text);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                return Err(TableError::CsvDamaged {
                    file: file.to_owned(),
                    line,
                    detail: e.to_string(),
                });
            }
        }
        let start = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        let line = lines.line_at(start);
        let cells = record.iter().map(|c| c.trim().to_owned()).collect();
        sink.push(line, cells)?;
    }
    Ok(Table {
        sheet: None,
        rows: sink.rows,
    })
}

/// Line numbers from byte offsets. The `csv` crate's own `Position::line` is taken before the
/// previous record's `\n` (after its `\r`) and before skipped blank lines, so it lags behind on
/// CRLF files, which is what Excel writes; its byte offset is exact up to those same terminators.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of the first character at or after `start` that is not a line break.
    /// Offsets must not decrease (records come in order). `\r\n`, `\n` and a lone `\r` (old Mac
    /// exports) each end one line.
    fn line_at(&mut self, start: usize) -> usize {
        let mut start = start.min(self.text.len());
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start < self.offset {
            return self.line;
        }
        let slice = self.text.get(self.offset..start).unwrap_or_default();
        let mut previous_cr = self.offset > 0 && self.text.get(self.offset - 1) == Some(&b'\r');
        for &b in slice {
            match b {
                b'\n' if previous_cr => {}
                b'\n' | b'\r' => self.line += 1,
                _ => {}
            }
            previous_cr = b == b'\r';
        }
        self.offset = start;
        self.line
    }
}

/// A .csv whose first non-blank line has tabs and no comma is really tab-separated: Excel's "Unicode
/// text" export and copy-paste from a sheet both produce that under any name.
fn header_is_tab_separated(text: &str) -> bool {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.contains('\t') && !l.contains(','))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_separated_header_is_detected_only_without_commas() {
        assert!(header_is_tab_separated("\n序号\t标题\n"));
        assert!(!header_is_tab_separated("序号,标题\t备注\n"));
        assert!(!header_is_tab_separated("序号,标题\n"));
    }

    #[test]
    fn line_counter_counts_crlf_lf_and_lone_cr_once_each() {
        let text = "a\r\nb\nc\rd\r\n\r\ne";
        let mut lines = LineCounter::new(text);
        assert_eq!(lines.line_at(0), 1);
        assert_eq!(lines.line_at(2), 2); // at the "\n" of "\r\n": still the start of line 2
        assert_eq!(lines.line_at(5), 3);
        assert_eq!(lines.line_at(7), 4);
        assert_eq!(lines.line_at(9), 6); // blank line 5 skipped
    }

    #[test]
    fn utf16_with_bom_is_read() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "序号\t标题\r\n1\t通知\r\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let table = read_delimited(&bytes, "a.txt", false).unwrap();
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[1].cells, vec!["1", "通知"]);
        assert_eq!(table.rows[1].line, 2);
    }
}
