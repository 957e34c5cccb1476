//! Font families and sizes of the PDF output.

use serde::Serialize;

/// Font families (each a list: the first one installed wins, then typst falls back to any font
/// with the glyphs) and sizes in points. The defaults name the 公文 fonts first, for sites that
/// put licensed fonts into `GONGKAI_FONTS_DIR`, then the free Noto CJK fonts of Debian.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PdfStyle {
    pub title: Vec<String>,
    pub body: Vec<String>,
    pub heading: Vec<String>,
    pub subheading: Vec<String>,
    /// 二号 = 22 pt.
    pub title_size: f64,
    /// 三号 = 16 pt.
    pub body_size: f64,
    /// Table text: 小四 = 12 pt.
    pub table_size: f64,
    /// Space between lines, in points (GB/T 9704: 22 lines on 225 mm ≈ 28.9 pt pitch).
    pub leading: f64,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

impl Default for PdfStyle {
    fn default() -> Self {
        PdfStyle {
            title: names(&[
                "FZXiaoBiaoSong-B05S",
                "方正小标宋简体",
                "Noto Serif CJK SC",
                "Noto Sans CJK SC",
            ]),
            body: names(&[
                "FangSong_GB2312",
                "仿宋_GB2312",
                "FangSong",
                "仿宋",
                "Noto Serif CJK SC",
                "AR PL SungtiL GB",
                "Noto Sans CJK SC",
                "WenQuanYi Micro Hei",
            ]),
            heading: names(&[
                "SimHei",
                "黑体",
                "Noto Sans CJK SC",
                "WenQuanYi Micro Hei",
                "Noto Serif CJK SC",
            ]),
            subheading: names(&[
                "KaiTi_GB2312",
                "楷体_GB2312",
                "KaiTi",
                "楷体",
                "AR PL KaitiM GB",
                "LXGW WenKai",
                "Noto Serif CJK SC",
                "Noto Sans CJK SC",
            ]),
            title_size: 22.0,
            body_size: 16.0,
            table_size: 12.0,
            leading: 12.0,
        }
    }
}
