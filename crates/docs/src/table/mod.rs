//! Tables in: an Excel workbook (.xlsx, old .xls) or a CSV/TSV file read into plain rows of trimmed
//! text, for importing the ledgers (台账) of published items that organs already keep in Excel.
//!
//! Unlike [`crate::read_document`], which reads reports for the auditor, this keeps each row's
//! number as the officer sees it (Excel's row number, or the CSV record's starting line), so an
//! importer can say "第 12 行：发布日期无法识别".
//!
//! The format is recognised from the content first, the name second: a zip is read as .xlsx and an
//! OLE compound file as .xls (or as a password-protected .xlsx, which Office also stores as OLE),
//! whatever the extension says, since a ledger renamed by hand is common. Anything else is CSV,
//! unless its name says Excel, in which case it is damaged and we say so rather than read bytes as
//! text.
//!
//! Cell text: dates as `YYYY-MM-DD` (with ` HH:MM:SS` only when there is a time), whole numbers
//! without `.0`, other numbers as Excel shows them (15 significant digits, so 0.1+0.2 stays 0.3),
//! booleans as `true`/`false`, formulas by their cached value, empty and merged-away cells as "".
//!
//! Limits: [`MAX_TABLE_BYTES`] of input, [`MAX_TABLE_ROWS`] non-empty rows, [`MAX_TABLE_COLUMNS`]
//! columns; an .xlsx may declare at most [`MAX_XLSX_INFLATED_BYTES`] once inflated (zip bombs).

mod delimited;
mod excel;

/// At most this many bytes of input (50 MB): a ledger of every item an organ ever published is a few
/// MB; more means a wrong file, and calamine holds a whole sheet in memory.
pub const MAX_TABLE_BYTES: usize = 50 * 1024 * 1024;

/// At most this many non-empty rows (200,000): far beyond any organ's ledger, small enough that an
/// import stays one transaction of bounded size.
pub const MAX_TABLE_ROWS: usize = 200_000;

/// At most this many columns (1,000): a ledger has a few dozen; a stray value in column ALM or
/// beyond would pad every row with empty cells.
pub const MAX_TABLE_COLUMNS: usize = 1_000;

/// The sum of the sizes an .xlsx's zip entries declare once inflated (500 MB). A 50 MB zip of
/// repeated XML can otherwise inflate to gigabytes inside calamine.
pub const MAX_XLSX_INFLATED_BYTES: u64 = 500 * 1024 * 1024;

/// The rows of one sheet or CSV file, fully empty rows left out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// The worksheet read, for Excel files; `None` for CSV.
    pub sheet: Option<String>,
    pub rows: Vec<TableRow>,
}

/// One non-empty row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// 1-based: the row number Excel shows, or the line on which the CSV record starts (a quoted
    /// field may span lines). Rows left out as empty keep their numbers, so numbers can skip.
    pub line: usize,
    /// Trimmed text; `cells[0]` is column A (or the first field). Trailing empty cells are
    /// dropped, so rows may differ in length: read missing cells as "".
    pub cells: Vec<String>,
}

impl TableRow {
    /// The cell at `column` (0 = A), "" when the row is shorter.
    pub fn cell(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

/// What can go wrong reading a table. Messages are in Chinese for the officer importing the file:
/// each one says what was wrong and what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TableError {
    #[error("文件 {file} 中没有任何数据行。请确认选对了文件，且台账内容在第一个有数据的工作表中。")]
    Empty { file: String },

    #[error(
        "文件 {file} 过大（超过 {limit_mb} MB）。请确认选对了文件，或把台账拆成几个文件分别导入。"
    )]
    TooLarge { file: String, limit_mb: usize },

    #[error("文件 {file} 的数据超过 {limit} 行，无法一次导入。请把台账拆成几个文件分别导入。")]
    TooManyRows { file: String, limit: usize },

    #[error(
        "文件 {file} 第 {line} 行超过 {limit} 列，不像是台账。请删除表格右侧多余的内容，或只保留需要导入的列后重试。"
    )]
    TooManyColumns {
        file: String,
        line: usize,
        limit: usize,
    },

    #[error(
        "无法读取 Excel 文件 {file}：文件已损坏或不是 .{format} 格式。请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）后重试。"
    )]
    ExcelDamaged {
        file: String,
        format: &'static str,
        /// calamine's own (English) words, for the log; not shown to the officer.
        detail: String,
    },

    #[error(
        "Excel 文件 {file} 设有打开密码，无法读取。请在 Excel 中打开后取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码），另存后重试。"
    )]
    Encrypted { file: String },

    #[error(
        "Excel 文件 {file} 解压后过大（超过 {limit_mb} MB），可能已损坏。请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）后重试。"
    )]
    ExcelTooLarge { file: String, limit_mb: u64 },

    #[error(
        "文件 {file} 既不是 Excel 文件，也不是文本格式的 CSV。请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）后重试。"
    )]
    NotATable { file: String },

    #[error(
        "无法识别 CSV 文件 {file} 的文字编码。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”，或另存为 .xlsx 后重试。"
    )]
    UnknownEncoding { file: String },

    #[error(
        "无法读取 CSV 文件 {file}（第 {line} 行附近：{detail}）。请在 Excel 中打开检查后另存为 CSV（UTF-8）或 .xlsx 再试。"
    )]
    CsvDamaged {
        file: String,
        line: u64,
        detail: String,
    },
}

impl TableError {
    /// A stable, language-independent code for the API and for logs.
    pub fn code(&self) -> &'static str {
        match self {
            TableError::Empty { .. } => "table_empty",
            TableError::TooLarge { .. } => "table_too_large",
            TableError::TooManyRows { .. } => "table_too_many_rows",
            TableError::TooManyColumns { .. } => "table_too_many_columns",
            TableError::ExcelDamaged { .. } => "excel_damaged",
            TableError::Encrypted { .. } => "excel_encrypted",
            TableError::ExcelTooLarge { .. } => "excel_too_large",
            TableError::NotATable { .. } => "not_a_table",
            TableError::UnknownEncoding { .. } => "csv_unknown_encoding",
            TableError::CsvDamaged { .. } => "csv_damaged",
        }
    }
}

/// Zip local-file-header magic: every .xlsx starts with it.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// OLE compound-file magic: old .xls, and also a password-protected .xlsx/.xls.
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads the table in `bytes`; `file_name` (a bare name or a path) chooses between CSV and TSV and
/// names the file in error messages. See the module notes for formats, cell text and limits.
pub fn read_table(bytes: &[u8], file_name: &str) -> Result<Table, TableError> {
    let display = display_name(file_name);
    if bytes.len() > MAX_TABLE_BYTES {
        return Err(TableError::TooLarge {
            file: display,
            limit_mb: MAX_TABLE_BYTES / (1024 * 1024),
        });
    }
    let extension = extension(file_name);
    let table = if bytes.starts_with(ZIP_MAGIC) {
        excel::read_xlsx(bytes, &display)?
    } else if bytes.starts_with(OLE_MAGIC) {
        excel::read_ole(bytes, &display)?
    } else if matches!(extension.as_str(), "xlsx" | "xlsm" | "xls" | "et") {
        // An empty file keeps its own message; other bytes under an Excel name are not a sheet.
        if bytes.is_empty() {
            return Err(TableError::Empty { file: display });
        }
        let format = if extension == "xlsx" || extension == "xlsm" {
            "xlsx"
        } else {
            "xls"
        };
        return Err(TableError::ExcelDamaged {
            file: display,
            format,
            detail: "no zip or OLE signature".to_owned(),
        });
    } else {
        let tab_by_name = matches!(extension.as_str(), "tsv" | "tab");
        delimited::read_delimited(bytes, &display, tab_by_name)?
    };
    if table.rows.is_empty() {
        return Err(TableError::Empty { file: display });
    }
    Ok(table)
}

/// The last path component, for messages: officers know their file by its name.
fn display_name(file_name: &str) -> String {
    let name = file_name
        .rsplit(['/', '\\'])
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or(file_name);
    name.to_owned()
}

fn extension(file_name: &str) -> String {
    let name = display_name(file_name);
    match name.rsplit_once('.') {
        Some((_, ext)) => ext.to_ascii_lowercase(),
        None => String::new(),
    }
}

/// Collects rows while enforcing the row and column limits and the "trimmed, no trailing empties,
/// no empty rows" shape shared by both readers.
struct RowSink<'a> {
    file: &'a str,
    rows: Vec<TableRow>,
}

impl<'a> RowSink<'a> {
    fn new(file: &'a str) -> Self {
        RowSink {
            file,
            rows: Vec::new(),
        }
    }

    /// Adds a row of already trimmed cells; a row of only empty cells is dropped.
    fn push(&mut self, line: usize, mut cells: Vec<String>) -> Result<(), TableError> {
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        if cells.is_empty() {
            return Ok(());
        }
        if cells.len() > MAX_TABLE_COLUMNS {
            return Err(TableError::TooManyColumns {
                file: self.file.to_owned(),
                line,
                limit: MAX_TABLE_COLUMNS,
            });
        }
        if self.rows.len() >= MAX_TABLE_ROWS {
            return Err(TableError::TooManyRows {
                file: self.file.to_owned(),
                limit: MAX_TABLE_ROWS,
            });
        }
        self.rows.push(TableRow { line, cells });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_name_keeps_only_the_last_component() {
        assert_eq!(display_name("/tmp/台账/2024.xlsx"), "2024.xlsx");
        assert_eq!(display_name(r"C:\Users\a\台账.csv"), "台账.csv");
        assert_eq!(display_name("plain"), "plain");
        assert_eq!(extension("A.XLSX"), "xlsx");
        assert_eq!(extension("noext"), "");
    }

    #[test]
    fn trailing_empty_cells_are_dropped_and_empty_rows_skipped() {
        let mut sink = RowSink::new("f");
        sink.push(1, vec!["a".into(), String::new(), String::new()])
            .unwrap();
        sink.push(2, vec![String::new(), String::new()]).unwrap();
        assert_eq!(
            sink.rows,
            vec![TableRow {
                line: 1,
                cells: vec!["a".into()]
            }]
        );
    }

    #[test]
    fn too_many_columns_is_refused_with_the_line() {
        let mut sink = RowSink::new("f.csv");
        let err = sink
            .push(7, vec!["x".to_owned(); MAX_TABLE_COLUMNS + 1])
            .unwrap_err();
        assert!(err.to_string().contains("第 7 行"), "{err}");
    }
}
