//! The figures of table 二 that live in other systems (行政许可, 行政处罚, 行政强制 decisions;
//! 行政事业性收费 in 万元): entered by hand or imported from a spreadsheet, each with the source it
//! came from, because a reviewer must be able to trace it like every other cell.

use serde::{Deserialize, Serialize};

use crate::error::{Result, StoreError, ValidationError};

/// Longest source description.
pub const SOURCE_MAX: usize = 200;
/// The largest count accepted (a typo guard, far above any organ's yearly decisions).
pub const COUNT_MAX: i64 = 100_000_000;

/// One figure as entered: its value as written and where it came from. An empty value means
/// "not entered yet".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FigureEntry {
    pub value: String,
    /// e.g. "区政务服务平台导出，2026-01-08".
    pub source: String,
}

impl FigureEntry {
    pub fn new(value: impl Into<String>, source: impl Into<String>) -> Self {
        FigureEntry {
            value: value.into(),
            source: source.into(),
        }
    }

    pub fn is_entered(&self) -> bool {
        !self.value.trim().is_empty()
    }
}

/// The four figures of table 二 from other systems.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportFigures {
    /// 行政许可 decisions (处理决定数量).
    pub licensing: FigureEntry,
    /// 行政处罚 decisions.
    pub penalty: FigureEntry,
    /// 行政强制 decisions.
    pub coercion: FigureEntry,
    /// 行政事业性收费 collected, in 万元.
    pub fees: FigureEntry,
}

/// Which figure, for messages and imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureKey {
    Licensing,
    Penalty,
    Coercion,
    Fees,
}

impl FigureKey {
    pub const ALL: [FigureKey; 4] = [
        FigureKey::Licensing,
        FigureKey::Penalty,
        FigureKey::Coercion,
        FigureKey::Fees,
    ];

    /// The name printed in table 二.
    pub fn label(self) -> &'static str {
        match self {
            FigureKey::Licensing => "行政许可",
            FigureKey::Penalty => "行政处罚",
            FigureKey::Coercion => "行政强制",
            FigureKey::Fees => "行政事业性收费（万元）",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            FigureKey::Licensing => "licensing",
            FigureKey::Penalty => "penalty",
            FigureKey::Coercion => "coercion",
            FigureKey::Fees => "fees",
        }
    }

    /// Finds the figure a spreadsheet row names: its key or its printed name, loosely (with or
    /// without "（万元）", "处理决定", "数量").
    pub fn from_name(name: &str) -> Option<FigureKey> {
        let n: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        FigureKey::ALL.into_iter().find(|k| {
            n == k.key()
                || n.starts_with(match k {
                    FigureKey::Licensing => "行政许可",
                    FigureKey::Penalty => "行政处罚",
                    FigureKey::Coercion => "行政强制",
                    FigureKey::Fees => "行政事业性收费",
                })
        })
    }
}

impl ReportFigures {
    pub fn get(&self, key: FigureKey) -> &FigureEntry {
        match key {
            FigureKey::Licensing => &self.licensing,
            FigureKey::Penalty => &self.penalty,
            FigureKey::Coercion => &self.coercion,
            FigureKey::Fees => &self.fees,
        }
    }

    pub fn get_mut(&mut self, key: FigureKey) -> &mut FigureEntry {
        match key {
            FigureKey::Licensing => &mut self.licensing,
            FigureKey::Penalty => &mut self.penalty,
            FigureKey::Coercion => &mut self.coercion,
            FigureKey::Fees => &mut self.fees,
        }
    }

    /// The figures not entered yet.
    pub fn missing(&self) -> Vec<FigureKey> {
        FigureKey::ALL
            .into_iter()
            .filter(|k| !self.get(*k).is_entered())
            .collect()
    }

    /// The counts as numbers (0 when not entered) and the fees as written ("0" when not
    /// entered), for the table.
    pub fn count(&self, key: FigureKey) -> i64 {
        self.get(key).value.trim().parse().unwrap_or(0)
    }

    pub fn fees_wan_yuan(&self) -> String {
        match self.fees.value.trim() {
            "" => "0".to_owned(),
            v => v.to_owned(),
        }
    }

    /// Trims and checks every entered figure: counts are whole numbers, the fees a decimal
    /// number of 万元 with at most four decimals (一元 = 0.0001 万元), and each entered figure
    /// names its source.
    pub fn cleaned(&self) -> Result<ReportFigures> {
        let mut out = ReportFigures::default();
        for key in FigureKey::ALL {
            let entry = self.get(key);
            let value = entry.value.trim().to_owned();
            let source = entry.source.trim().to_owned();
            if source.chars().count() > SOURCE_MAX {
                return Err(ValidationError::TooLong {
                    field: "数据来源",
                    max: SOURCE_MAX,
                }
                .into());
            }
            if source.chars().any(char::is_control) {
                return Err(ValidationError::ControlChars {
                    field: "数据来源"
                }
                .into());
            }
            if !value.is_empty() {
                check_value(key, &value)?;
                if source.is_empty() {
                    return Err(StoreError::Rule(format!(
                        "请写明“{}”数字的来源（如“区政务服务平台导出，2026年1月8日”），以便审核人核对",
                        key.label()
                    )));
                }
            }
            *out.get_mut(key) = FigureEntry { value, source };
        }
        Ok(out)
    }
}

fn check_value(key: FigureKey, value: &str) -> Result<()> {
    let bad =
        |what: &str| StoreError::Rule(format!("“{}”的数字“{value}”无效：{what}", key.label()));
    if key == FigureKey::Fees {
        let (whole, decimals) = value.split_once('.').unwrap_or((value, ""));
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !digits(whole) || (value.contains('.') && !digits(decimals)) {
            return Err(bad("请填写以万元为单位的数字，如 0 或 12.35"));
        }
        if decimals.len() > 4 || whole.len() > 9 {
            return Err(bad(
                "万元最多保留四位小数（即精确到元），整数部分不超过九位",
            ));
        }
        return Ok(());
    }
    match value.parse::<i64>() {
        Ok(n) if (0..=COUNT_MAX).contains(&n) => Ok(()),
        Ok(_) => Err(bad("件数应为 0 或正整数")),
        Err(_) => Err(bad("件数应为整数，如 0 或 125")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(l: &str, fees: &str) -> ReportFigures {
        ReportFigures {
            licensing: FigureEntry::new(l, "审批系统"),
            fees: FigureEntry::new(fees, "财政系统"),
            ..ReportFigures::default()
        }
    }

    #[test]
    fn counts_are_whole_numbers_and_fees_have_at_most_four_decimals() {
        assert!(figures("12", "0.3500").cleaned().is_ok());
        assert!(figures(" 0 ", "7730.28").cleaned().is_ok());
        for (l, f) in [
            ("-1", "0"),
            ("1.5", "0"),
            ("一", "0"),
            ("1", "0.12345"),
            ("1", "1,2"),
            ("1", ".5"),
        ] {
            assert!(figures(l, f).cleaned().is_err(), "{l} {f}");
        }
    }

    #[test]
    fn an_entered_figure_must_name_its_source() {
        let mut f = figures("3", "");
        f.licensing.source = "  ".into();
        let e = f.cleaned().unwrap_err().to_string();
        assert!(e.contains("来源") && e.contains("行政许可"), "{e}");
        // Not entered: no source needed, and it is reported missing.
        let f = ReportFigures::default().cleaned().unwrap();
        assert_eq!(f.missing().len(), 4);
        assert_eq!(f.fees_wan_yuan(), "0");
    }

    #[test]
    fn spreadsheet_rows_name_figures_by_their_printed_names() {
        assert_eq!(FigureKey::from_name("行政许可"), Some(FigureKey::Licensing));
        assert_eq!(
            FigureKey::from_name("行政处罚 处理决定数量"),
            Some(FigureKey::Penalty)
        );
        assert_eq!(
            FigureKey::from_name("行政事业性收费（万元）"),
            Some(FigureKey::Fees)
        );
        assert_eq!(FigureKey::from_name("coercion"), Some(FigureKey::Coercion));
        assert_eq!(FigureKey::from_name("行政复议"), None);
    }
}
