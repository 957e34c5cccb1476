//! Why a PDF could not be made.

use thiserror::Error;

/// What [`crate::render_pdf`] and [`crate::Fonts::discover`] report; every message is Chinese
/// and says what to do.
#[derive(Debug, Error)]
pub enum PdfError {
    #[error(
        "找不到含中文字形的字体（已查找：{searched}）。请安装中文字体（Debian/Ubuntu：apt-get install fonts-noto-cjk），\
         或把 .ttf/.otf/.ttc 字体文件放进环境变量 GONGKAI_FONTS_DIR 指定的目录后重启程序。"
    )]
    NoCjkFont { searched: String },
    #[error("文档内容有误：{0}")]
    Document(#[from] gongkai_typeset::TypesetError),
    #[error("排版 PDF 失败：{0}。这是程序内部错误，请联系系统管理员并附上本提示。")]
    Layout(String),
    #[error("导出 PDF 失败：{0}。这是程序内部错误，请联系系统管理员并附上本提示。")]
    Export(String),
}
