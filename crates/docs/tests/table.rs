#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The table reader for ledger import: real .xlsx files written with rust_xlsxwriter, CSV in the
//! encodings Excel and WPS actually save, and the errors an officer sees.

use gongkai_docs::table::{MAX_TABLE_BYTES, Table, TableError, TableRow, read_table};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

fn row(line: usize, cells: &[&str]) -> TableRow {
    TableRow {
        line,
        cells: cells.iter().map(|c| (*c).to_owned()).collect(),
    }
}

/// A ledger as an organ keeps it: a title row, a header, items with dates, a gap, and a second
/// sheet (a lookup list) that must not be read.
fn ledger_xlsx() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let sheet = workbook.add_worksheet();
    sheet.set_name("主动公开台账").unwrap();
    sheet
        .merge_range(0, 0, 0, 3, "2024年主动公开信息台账", &Format::new())
        .unwrap();
    for (col, header) in ["序号", "标题", "发布日期", "文号", "页数"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, col as u16, *header).unwrap();
    }
    sheet.write_number(2, 0, 1).unwrap();
    sheet
        .write_string(2, 1, "  关于做好2024年春节假期安全工作的通知 ")
        .unwrap();
    sheet
        .write_datetime_with_format(2, 2, ExcelDateTime::from_ymd(2024, 2, 5).unwrap(), &date)
        .unwrap();
    sheet.write_string(2, 3, "某政办发〔2024〕3号").unwrap();
    sheet.write_number(2, 4, 12.0).unwrap();
    // Rows 4 and 5 (0-based 3 and 4) stay empty: the next item is Excel row 6.
    sheet.write_number(5, 0, 2).unwrap();
    sheet
        .write_string(5, 1, "区政府2023年政府信息公开工作年度报告")
        .unwrap();
    sheet
        .write_datetime_with_format(
            5,
            2,
            ExcelDateTime::from_ymd(2024, 1, 31).unwrap(),
            &datetime,
        )
        .unwrap();
    sheet.write_number(5, 4, 2.5).unwrap();
    // A formula is read by its cached value, as Excel last computed it.
    sheet
        .write_formula(6, 4, Formula::new("=E3+E6").set_result("14.5"))
        .unwrap();
    sheet.write_boolean(6, 1, true).unwrap();
    let lookup = workbook.add_worksheet();
    lookup.set_name("字典").unwrap();
    lookup.write_string(0, 0, "不应读到").unwrap();
    workbook.save_to_buffer().unwrap()
}

#[test]
fn xlsx_first_sheet_is_read_with_chinese_text_dates_integers_and_true_line_numbers() {
    let table = read_table(&ledger_xlsx(), "ledger.xlsx").unwrap();
    assert_eq!(table.sheet.as_deref(), Some("主动公开台账"));
    assert_eq!(
        table.rows,
        vec![
            // Merged title: its value in the first cell; the merged-away cells are empty (and
            // dropped as trailing).
            row(1, &["2024年主动公开信息台账"]),
            row(2, &["序号", "标题", "发布日期", "文号", "页数"]),
            row(
                3,
                &[
                    "1",
                    "关于做好2024年春节假期安全工作的通知",
                    "2024-02-05",
                    "某政办发〔2024〕3号",
                    "12",
                ],
            ),
            // A datetime cell at midnight is a date; the empty D cell stays "".
            row(
                6,
                &[
                    "2",
                    "区政府2023年政府信息公开工作年度报告",
                    "2024-01-31",
                    "",
                    "2.5"
                ],
            ),
            row(7, &["", "true", "", "", "14.5"]),
        ]
    );
}

#[test]
fn xlsx_second_sheet_is_ignored() {
    let table = read_table(&ledger_xlsx(), "ledger.xlsx").unwrap();
    assert!(
        table
            .rows
            .iter()
            .all(|r| r.cells.iter().all(|c| c != "不应读到"))
    );
}

#[test]
fn xlsx_empty_first_sheet_is_skipped_for_the_first_sheet_with_data() {
    let mut workbook = Workbook::new();
    workbook.add_worksheet().set_name("说明").unwrap();
    let data = workbook.add_worksheet();
    data.set_name("台账").unwrap();
    // Data starting at C4: cells keep their columns and rows.
    data.write_string(3, 2, "标题").unwrap();
    let table = read_table(&workbook.save_to_buffer().unwrap(), "t.xlsx").unwrap();
    assert_eq!(table.sheet.as_deref(), Some("台账"));
    assert_eq!(table.rows, vec![row(4, &["", "", "标题"])]);
}

#[test]
fn xlsx_datetime_with_a_time_keeps_the_time() {
    let mut workbook = Workbook::new();
    let format = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let when = ExcelDateTime::from_ymd(2024, 3, 1)
        .unwrap()
        .and_hms(9, 30, 0)
        .unwrap();
    workbook
        .add_worksheet()
        .write_datetime_with_format(0, 0, &when, &format)
        .unwrap();
    let table = read_table(&workbook.save_to_buffer().unwrap(), "t.xlsx").unwrap();
    assert_eq!(table.rows, vec![row(1, &["2024-03-01 09:30:00"])]);
}

#[test]
fn xlsx_is_recognised_by_content_under_a_csv_name() {
    let table = read_table(&ledger_xlsx(), "导出.csv").unwrap();
    assert_eq!(table.sheet.as_deref(), Some("主动公开台账"));
}

#[test]
fn xlsx_with_only_empty_sheets_is_an_empty_table_error() {
    let mut workbook = Workbook::new();
    workbook.add_worksheet();
    let err = read_table(&workbook.save_to_buffer().unwrap(), "空.xlsx").unwrap_err();
    assert!(matches!(err, TableError::Empty { .. }), "{err:?}");
    assert!(err.to_string().contains("没有任何数据行"), "{err}");
}

#[test]
fn garbage_named_xlsx_is_a_chinese_error_that_says_what_to_do() {
    let err = read_table(b"\x01\x02this is not a workbook\xff\xfe", "ledger.xlsx").unwrap_err();
    assert_eq!(err.code(), "excel_damaged");
    assert_eq!(
        err.to_string(),
        "无法读取 Excel 文件 ledger.xlsx：文件已损坏或不是 .xlsx 格式。请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）后重试。"
    );
}

#[test]
fn truncated_xlsx_is_a_chinese_error() {
    let bytes = ledger_xlsx();
    let err = read_table(&bytes[..bytes.len() / 2], "/tmp/台账.xlsx").unwrap_err();
    assert_eq!(err.code(), "excel_damaged");
    assert!(
        err.to_string().contains("无法读取 Excel 文件 台账.xlsx"),
        "{err}"
    );
}

#[test]
fn ole_file_that_is_not_a_workbook_is_a_chinese_error() {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(4096, 0);
    let err = read_table(&bytes, "old.xls").unwrap_err();
    assert!(
        matches!(
            err,
            TableError::ExcelDamaged { .. } | TableError::Encrypted { .. }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("old.xls"), "{err}");
}

#[test]
fn empty_file_is_an_error_saying_there_are_no_rows() {
    for name in ["a.csv", "a.xlsx", "a"] {
        let err = read_table(b"", name).unwrap_err();
        assert_eq!(err.code(), "table_empty", "{name}");
        assert!(err.to_string().contains("没有任何数据行"), "{err}");
    }
}

#[test]
fn csv_of_only_blank_lines_and_empty_fields_is_empty() {
    let err = read_table(b"\r\n,,,\r\n \r\n", "a.csv").unwrap_err();
    assert_eq!(err.code(), "table_empty");
}

#[test]
fn input_over_the_size_limit_is_refused() {
    let bytes = vec![b'a'; MAX_TABLE_BYTES + 1];
    let err = read_table(&bytes, "big.csv").unwrap_err();
    assert_eq!(err.code(), "table_too_large");
    assert!(err.to_string().contains("50 MB"), "{err}");
}

const LEDGER_CSV: &str = "序号,标题,发布日期,备注\r\n\
1,\"关于印发《2024年政务公开工作要点》的通知\",2024-03-01,\r\n\
\r\n\
2,\"多行\r\n备注的标题\",2024-03-02,\"含,逗号\"\r\n\
3, 前后有空格 ,2024-03-03,\"引号\"\"内\"\"\"\r\n";

fn expected_ledger() -> Vec<TableRow> {
    vec![
        row(1, &["序号", "标题", "发布日期", "备注"]),
        row(
            2,
            &[
                "1",
                "关于印发《2024年政务公开工作要点》的通知",
                "2024-03-01",
            ],
        ),
        // Line 3 is blank; the record on line 4 spans two lines, so the next starts on line 6.
        row(4, &["2", "多行\r\n备注的标题", "2024-03-02", "含,逗号"]),
        row(6, &["3", "前后有空格", "2024-03-03", "引号\"内\""]),
    ]
}

#[test]
fn csv_utf8_with_quoted_multiline_fields_keeps_record_start_lines() {
    let table = read_table(LEDGER_CSV.as_bytes(), "台账.csv").unwrap();
    assert_eq!(
        table,
        Table {
            sheet: None,
            rows: expected_ledger()
        }
    );
}

#[test]
fn csv_utf8_with_bom_reads_the_same_and_the_bom_is_not_in_the_first_cell() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(LEDGER_CSV.as_bytes());
    let table = read_table(&bytes, "台账.csv").unwrap();
    assert_eq!(table.rows, expected_ledger());
}

#[test]
fn csv_in_gbk_as_excel_saves_it_on_chinese_windows_is_decoded() {
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(LEDGER_CSV);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the test needs real GBK bytes"
    );
    let table = read_table(&gbk, "台账.csv").unwrap();
    assert_eq!(table.rows, expected_ledger());
}

#[test]
fn tab_separated_text_is_detected_by_name_and_by_header() {
    let text = "序号\t标题\n1\t通知，含中文逗号, 和英文逗号\n";
    for name in ["a.tsv", "a.txt"] {
        let table = read_table(text.as_bytes(), name).unwrap();
        assert_eq!(
            table.rows,
            vec![
                row(1, &["序号", "标题"]),
                row(2, &["1", "通知，含中文逗号, 和英文逗号"])
            ],
            "{name}"
        );
    }
}

#[test]
fn ragged_csv_rows_are_accepted() {
    let table = read_table("a,b,c\n1\n2,x,y,z\n".as_bytes(), "a.csv").unwrap();
    assert_eq!(
        table.rows,
        vec![
            row(1, &["a", "b", "c"]),
            row(2, &["1"]),
            row(3, &["2", "x", "y", "z"])
        ]
    );
    assert_eq!(table.rows[1].cell(2), "");
}

#[test]
fn binary_bytes_under_a_csv_name_are_refused() {
    let bytes: Vec<u8> = (0u8..=255).cycle().take(4096).collect();
    let err = read_table(&bytes, "a.csv").unwrap_err();
    assert!(
        matches!(
            err,
            TableError::NotATable { .. } | TableError::UnknownEncoding { .. }
        ),
        "{err:?}"
    );
}

/// Office stores a password-protected .xlsx as an OLE file holding `EncryptionInfo` and
/// `EncryptedPackage` streams; the content does not matter to the reader.
fn encrypted_xlsx() -> Vec<u8> {
    use std::io::Write;
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    file.create_stream("/EncryptionInfo")
        .unwrap()
        .write_all(&[4, 0, 4, 0, 0x40, 0, 0, 0])
        .unwrap();
    file.create_stream("/EncryptedPackage")
        .unwrap()
        .write_all(&[0x5A; 8192])
        .unwrap();
    file.flush().unwrap();
    file.into_inner().into_inner()
}

#[test]
fn password_protected_xlsx_says_it_has_a_password() {
    let err = read_table(&encrypted_xlsx(), "加密台账.xlsx").unwrap_err();
    assert_eq!(err.code(), "excel_encrypted", "{err:?}");
    assert!(err.to_string().contains("加密台账.xlsx"), "{err}");
    assert!(err.to_string().contains("密码"), "{err}");
}
