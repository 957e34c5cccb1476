//! Why a document could not be laid out or written.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum TypesetError {
    #[error("表格第{row}行第{cell}个单元格：{what}。请检查该单元格的跨行、跨列设置。")]
    Span {
        row: usize,
        cell: usize,
        what: &'static str,
    },
    #[error("表格第{row}行超过 {max} 列（Word 的上限）。请把表格拆成几张。")]
    TooWide { row: usize, max: usize },
    #[error("表格有 {rows} 行，超过上限 {max} 行。请把表格拆成几张。")]
    TooManyRows { rows: usize, max: usize },
    #[error("表格标明前 {header_rows} 行是表头，但表格只有 {rows} 行。请改正表头行数。")]
    HeaderRows { header_rows: usize, rows: usize },
    #[error("标题级别 {level} 无效：只支持 1–3 级标题。")]
    HeadingLevel { level: u8 },
    #[error("生成 DOCX 文件失败：{0}。这是程序内部错误，请联系系统管理员。")]
    Docx(String),
}
