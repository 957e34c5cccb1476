//! What can go wrong when reading a document. Messages are in Chinese: they reach the officer who
//! uploaded the file, so each one says what was wrong and what to do about it.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    #[error("文件是空的，请检查是否选错了文件，或文件是否完整上传。")]
    Empty,

    #[error("文件过大（超过 {limit_mb} MB），请确认是否选错了文件，或拆分后再读取。")]
    TooLarge { limit_mb: u64 },

    #[error("不是可识别的文档格式（支持 TXT、HTML、DOCX、PDF），请另存为其中一种格式后再试。")]
    UnknownFormat,

    #[error("暂不支持 {format}，请另存为 DOCX、PDF 或网页（HTML）后再试。")]
    UnsupportedFormat { format: &'static str },

    #[error("无法识别文字编码，请将文件另存为 UTF-8 或 GB18030（GBK）编码的文本后再试。")]
    UnknownEncoding,

    #[error(
        "网页结构异常：元素嵌套超过 {limit} 层，无法读取。请提供 Word 或 PDF 版本，或将网页另存为简单格式后再试。"
    )]
    HtmlTooDeep { limit: usize },

    #[error("不是 Word 文档：压缩包中没有 word/document.xml，请提供 .docx 格式的 Word 文档。")]
    NotDocx,

    #[error("Word 文档已损坏或不完整（{detail}），请用 Word 或 WPS 打开后重新保存，或重新下载。")]
    DocxDamaged { detail: String },

    #[error("PDF 已加密，无法读取，请提供未加密（无打开密码、允许复制文字）的版本。")]
    PdfEncrypted,

    #[error("PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）或提供 Word/网页版本。")]
    PdfNoText,

    #[error("PDF 文件已损坏，无法读取（{detail}），请重新下载或从原文件重新导出 PDF。")]
    PdfDamaged { detail: String },

    #[error(
        "读取 PDF 文字超时（超过 {seconds} 秒），文件可能过于复杂或已损坏，请提供 Word/网页版本。"
    )]
    PdfTimeout { seconds: u64 },

    #[error(
        "无法读取 PDF 文字：请安装 poppler-utils 和 poppler-data（Debian: apt-get install poppler-utils poppler-data）"
    )]
    PdfToolMissing,

    #[error("找不到文件 {}，请检查路径。", path.display())]
    NotFound { path: PathBuf },

    #[error("读取文件 {} 失败：{source}。请检查文件权限和磁盘。", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("读取时出现系统错误：{0}。请检查临时目录是否可写、磁盘是否已满。")]
    System(#[source] std::io::Error),

    #[error("读取文档时发生内部错误（{0}），请把这个文件提供给系统维护人员。")]
    Internal(String),
}

impl ReadError {
    /// A stable, language-independent code for the API and for logs.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Empty => "empty",
            ReadError::TooLarge { .. } => "too_large",
            ReadError::UnknownFormat => "unknown_format",
            ReadError::UnsupportedFormat { .. } => "unsupported_format",
            ReadError::UnknownEncoding => "unknown_encoding",
            ReadError::HtmlTooDeep { .. } => "html_too_deep",
            ReadError::NotDocx => "not_docx",
            ReadError::DocxDamaged { .. } => "docx_damaged",
            ReadError::PdfEncrypted => "pdf_encrypted",
            ReadError::PdfNoText => "pdf_no_text",
            ReadError::PdfDamaged { .. } => "pdf_damaged",
            ReadError::PdfTimeout { .. } => "pdf_timeout",
            ReadError::PdfToolMissing => "pdf_tool_missing",
            ReadError::NotFound { .. } => "not_found",
            ReadError::Io { .. } => "io",
            ReadError::System(_) => "system",
            ReadError::Internal(_) => "internal",
        }
    }
}
