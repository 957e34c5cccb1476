//! The form in which information is provided to an applicant (条例 Art 40).

use crate::error::UnknownKeyError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How the information is provided. It matters for the fee: the per-page standard applies only to
/// paper copies, e-mail and copied electronic data (国办函〔2020〕109号 Art 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionForm {
    /// 提供纸质件
    Paper,
    /// 发送电子邮件
    Email,
    /// 复制电子数据（光盘、U盘等）
    Electronic,
    /// 安排查阅、抄录（条例第四十条）
    Inspect,
}

impl ProvisionForm {
    pub const ALL: [ProvisionForm; 4] = [
        ProvisionForm::Paper,
        ProvisionForm::Email,
        ProvisionForm::Electronic,
        ProvisionForm::Inspect,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            ProvisionForm::Paper => "纸质",
            ProvisionForm::Email => "电子邮件",
            ProvisionForm::Electronic => "电子数据",
            ProvisionForm::Inspect => "查阅抄录",
        }
    }

    /// The key used in JSON and on the command line.
    pub const fn key(self) -> &'static str {
        match self {
            ProvisionForm::Paper => "paper",
            ProvisionForm::Email => "email",
            ProvisionForm::Electronic => "electronic",
            ProvisionForm::Inspect => "inspect",
        }
    }

    /// Whether the per-page fee (按量计收) may be charged for this form: 109号 Art 5 names 提供纸质件、
    /// 发送电子邮件 and 复制电子数据 only, so inspection and copying by hand (查阅抄录) is outside it.
    pub const fn per_page_fee_applies(self) -> bool {
        !matches!(self, ProvisionForm::Inspect)
    }

    pub fn from_key(key: &str) -> Result<Self, UnknownKeyError> {
        let key = key.trim();
        Self::ALL
            .into_iter()
            .find(|f| f.key() == key)
            .ok_or_else(|| {
                UnknownKeyError::new(
                    "提供形式",
                    key,
                    Self::ALL.iter().map(|f| (f.key(), f.label())),
                )
            })
    }
}

impl FromStr for ProvisionForm {
    type Err = UnknownKeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_key(s)
    }
}

impl fmt::Display for ProvisionForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_page_scope_follows_art_5() {
        assert!(ProvisionForm::Paper.per_page_fee_applies());
        assert!(ProvisionForm::Email.per_page_fee_applies());
        assert!(ProvisionForm::Electronic.per_page_fee_applies());
        assert!(!ProvisionForm::Inspect.per_page_fee_applies());
    }

    #[test]
    fn keys_round_trip() {
        for f in ProvisionForm::ALL {
            assert_eq!(f.key().parse::<ProvisionForm>().unwrap(), f);
            assert_eq!(
                serde_json::to_string(&f).unwrap(),
                format!("\"{}\"", f.key())
            );
        }
        assert!("fax".parse::<ProvisionForm>().is_err());
    }
}
