//! Fonts and sizes of the DOCX output, after GB/T 9704《党政机关公文格式》.

use serde::{Deserialize, Serialize};

/// Font names and sizes for [`crate::to_docx`]. Sizes are in half-points (Word's unit):
/// 三号 = 16 pt = 32, 二号 = 22 pt = 44, 四号 = 14 pt = 28, 小四 = 12 pt = 24.
///
/// The names are written into the file; Word/WPS substitute a font that is not installed, so the
/// 公文 fonts (方正小标宋简体, 仿宋_GB2312, 黑体) are the defaults and a site without them still gets
/// a readable document (Word/WPS/LibreOffice substitute a missing font by its script, so the text
/// still shows in a 宋体/黑体-like face).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocxStyle {
    /// The title (公文标题: 二号方正小标宋简体).
    pub title_font: String,
    /// Body text (三号仿宋_GB2312).
    pub body_font: String,
    /// Level-1 headings (三号黑体).
    pub heading_font: String,
    /// Level-2 headings (三号楷体_GB2312).
    pub subheading_font: String,
    /// Latin text in all blocks.
    pub latin_font: String,
    pub title_size: usize,
    pub body_size: usize,
    /// Table text (四号 or smaller: report tables are wide).
    pub table_size: usize,
    /// Exact line pitch in twentieths of a point (GB/T 9704: 22 lines of 28 chars → about 28.9 pt).
    pub line_pitch: i32,
}

impl Default for DocxStyle {
    fn default() -> Self {
        DocxStyle {
            title_font: "方正小标宋简体".to_string(),
            body_font: "仿宋_GB2312".to_string(),
            heading_font: "黑体".to_string(),
            subheading_font: "楷体_GB2312".to_string(),
            latin_font: "Times New Roman".to_string(),
            title_size: 44,
            body_size: 32,
            table_size: 24,
            line_pitch: 578,
        }
    }
}
