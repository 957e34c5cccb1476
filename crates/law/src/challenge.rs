//! 行政复议 and 行政诉讼 against disclosure decisions (条例第五十一条: 公民、法人或者其他组织认为行政机关
//! 在政府信息公开工作中侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼) and their place in
//! table 四 of the annual report (国办公开办函〔2021〕30号; legal-rules.md §B.4).
//!
//! A *challenge* is one such case. Its [`ChallengeKind`] is the table-四 block and its
//! [`ChallengeResult`] the column; the keys are those of the report model (`reconsideration`,
//! `litigation_direct`, `litigation_after_reconsideration`; `upheld`, `corrected`, `other`,
//! `pending`).
//!
//! # Counting rule ([`table4_column`])
//!
//! - A case counts in the report of the year it was **filed** (申请复议 / 立案), once: it is not
//!   counted again the year it is decided (legal-rules.md §B.4 "Still open", \[P\] practice).
//! - Its column is its result **as of 31 December** of that year: a case decided after the year
//!   end counts as 尚未审结 (`pending`) in its filing year.
//! - Where the organ is in the case only as the 复议机关 sued as co-defendant (行政诉讼法第二十六条
//!   第二款), it does not count the case; the original acting organ does (国办公开办函〔2016〕201号,
//!   legal-rules.md §B.4 counting rule \[V\]).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::UnknownKeyError;

/// The table-四 block of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChallengeKind {
    /// 行政复议
    Reconsideration,
    /// 行政诉讼 — 未经复议直接起诉
    LitigationDirect,
    /// 行政诉讼 — 复议后起诉
    LitigationAfterReconsideration,
}

impl ChallengeKind {
    /// Printed order of the blocks.
    pub const ALL: [ChallengeKind; 3] = [
        ChallengeKind::Reconsideration,
        ChallengeKind::LitigationDirect,
        ChallengeKind::LitigationAfterReconsideration,
    ];

    /// The report-model key.
    pub fn key(self) -> &'static str {
        match self {
            ChallengeKind::Reconsideration => "reconsideration",
            ChallengeKind::LitigationDirect => "litigation_direct",
            ChallengeKind::LitigationAfterReconsideration => "litigation_after_reconsideration",
        }
    }

    /// The label of the table-四 block.
    pub fn label(self) -> &'static str {
        match self {
            ChallengeKind::Reconsideration => "行政复议",
            ChallengeKind::LitigationDirect => "行政诉讼（未经复议直接起诉）",
            ChallengeKind::LitigationAfterReconsideration => "行政诉讼（复议后起诉）",
        }
    }

    /// Who decides the case: the 复议机关 or the court.
    pub fn authority_label(self) -> &'static str {
        match self {
            ChallengeKind::Reconsideration => "复议机关",
            _ => "受理法院",
        }
    }

    /// What the date a case starts is called: 申请复议 or 立案.
    pub fn filed_label(self) -> &'static str {
        match self {
            ChallengeKind::Reconsideration => "申请复议日期",
            _ => "立案日期",
        }
    }

    pub fn is_litigation(self) -> bool {
        !matches!(self, ChallengeKind::Reconsideration)
    }

    pub fn from_key(key: &str) -> Result<Self, UnknownKeyError> {
        let key = key.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.key() == key)
            .ok_or_else(|| {
                UnknownKeyError::new(
                    "复议诉讼类别",
                    key,
                    Self::ALL.iter().map(|k| (k.key(), k.label())),
                )
            })
    }
}

/// The table-四 column of a case: its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChallengeResult {
    /// 结果维持
    Upheld,
    /// 结果纠正 (typically revoked, changed, confirmed illegal, ordered to perform — \[P\])
    Corrected,
    /// 其他结果 (typically rejected on procedure, terminated, withdrawn — \[P\])
    Other,
    /// 尚未审结
    Pending,
}

impl ChallengeResult {
    /// Printed order of the columns (before 总计).
    pub const ALL: [ChallengeResult; 4] = [
        ChallengeResult::Upheld,
        ChallengeResult::Corrected,
        ChallengeResult::Other,
        ChallengeResult::Pending,
    ];

    /// The report-model key.
    pub fn key(self) -> &'static str {
        match self {
            ChallengeResult::Upheld => "upheld",
            ChallengeResult::Corrected => "corrected",
            ChallengeResult::Other => "other",
            ChallengeResult::Pending => "pending",
        }
    }

    /// The column label of table 四.
    pub fn label(self) -> &'static str {
        match self {
            ChallengeResult::Upheld => "结果维持",
            ChallengeResult::Corrected => "结果纠正",
            ChallengeResult::Other => "其他结果",
            ChallengeResult::Pending => "尚未审结",
        }
    }

    /// What the column covers, for the form.
    pub fn hint(self) -> &'static str {
        match self {
            ChallengeResult::Upheld => "维持原行为、驳回诉讼请求",
            ChallengeResult::Corrected => "撤销、变更、确认违法、责令履行等",
            ChallengeResult::Other => "驳回复议申请或起诉、终止、撤回等",
            ChallengeResult::Pending => "尚未作出复议决定或裁判",
        }
    }

    pub fn is_decided(self) -> bool {
        !matches!(self, ChallengeResult::Pending)
    }

    pub fn from_key(key: &str) -> Result<Self, UnknownKeyError> {
        let key = key.trim();
        Self::ALL
            .into_iter()
            .find(|r| r.key() == key)
            .ok_or_else(|| {
                UnknownKeyError::new(
                    "复议诉讼结果",
                    key,
                    Self::ALL.iter().map(|r| (r.key(), r.label())),
                )
            })
    }
}

/// What decides a case's place in table 四.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeFacts {
    pub kind: ChallengeKind,
    pub filed_on: NaiveDate,
    pub result: ChallengeResult,
    /// Set exactly when `result` is decided.
    pub decided_on: Option<NaiveDate>,
    /// The organ is in the case only as the 复议机关 sued as co-defendant.
    pub co_defendant_reviewer: bool,
}

/// Why the facts of a case are impossible; each message says what to correct.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChallengeError {
    #[error("{filed_label}{filed_on}晚于今天（{today}），请核对")]
    FiledInFuture {
        filed_label: &'static str,
        filed_on: NaiveDate,
        today: NaiveDate,
    },
    #[error("结果为“{result}”时须填写审结日期（复议决定或裁判的作出日期）")]
    DecisionDateMissing { result: &'static str },
    #[error("尚未审结的案件不应填写审结日期：请清空审结日期，或选择审结结果")]
    DecisionDateWhilePending,
    #[error("审结日期{decided_on}早于{filed_label}{filed_on}，请核对")]
    DecidedBeforeFiled {
        decided_on: NaiveDate,
        filed_label: &'static str,
        filed_on: NaiveDate,
    },
    #[error("审结日期{decided_on}晚于今天（{today}），请核对")]
    DecidedInFuture {
        decided_on: NaiveDate,
        today: NaiveDate,
    },
    #[error(
        "只有“复议后起诉”的行政诉讼中，本机关才可能作为复议机关成为共同被告（行政诉讼法第二十六条第二款）：请取消该选项或改选类别"
    )]
    CoDefendantOutsideLitigationAfterReconsideration,
}

impl ChallengeFacts {
    /// Checks the dates and the co-defendant flag against each other and `today`.
    pub fn check(&self, today: NaiveDate) -> Result<(), ChallengeError> {
        let filed_label = self.kind.filed_label();
        if self.filed_on > today {
            return Err(ChallengeError::FiledInFuture {
                filed_label,
                filed_on: self.filed_on,
                today,
            });
        }
        match (self.result.is_decided(), self.decided_on) {
            (true, None) => {
                return Err(ChallengeError::DecisionDateMissing {
                    result: self.result.label(),
                });
            }
            (false, Some(_)) => return Err(ChallengeError::DecisionDateWhilePending),
            (true, Some(decided_on)) => {
                if decided_on < self.filed_on {
                    return Err(ChallengeError::DecidedBeforeFiled {
                        decided_on,
                        filed_label,
                        filed_on: self.filed_on,
                    });
                }
                if decided_on > today {
                    return Err(ChallengeError::DecidedInFuture { decided_on, today });
                }
            }
            (false, None) => {}
        }
        if self.co_defendant_reviewer && self.kind != ChallengeKind::LitigationAfterReconsideration
        {
            return Err(ChallengeError::CoDefendantOutsideLitigationAfterReconsideration);
        }
        Ok(())
    }
}

/// The column of table 四 in which the case counts in the report for `year`, or `None` when it
/// does not count there (see the module documentation for the rule).
pub fn table4_column(facts: &ChallengeFacts, year: i32) -> Option<ChallengeResult> {
    if facts.co_defendant_reviewer || facts.filed_on.year() != year {
        return None;
    }
    match facts.decided_on {
        Some(decided_on) if facts.result.is_decided() && decided_on.year() <= year => {
            Some(facts.result)
        }
        _ => Some(ChallengeResult::Pending),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    fn facts(filed: &str, result: ChallengeResult, decided: Option<&str>) -> ChallengeFacts {
        ChallengeFacts {
            kind: ChallengeKind::Reconsideration,
            filed_on: d(filed),
            result,
            decided_on: decided.map(d),
            co_defendant_reviewer: false,
        }
    }

    #[test]
    fn a_case_counts_only_in_its_filing_year() {
        let f = facts("2025-03-01", ChallengeResult::Upheld, Some("2025-05-01"));
        assert_eq!(table4_column(&f, 2025), Some(ChallengeResult::Upheld));
        assert_eq!(table4_column(&f, 2024), None);
        assert_eq!(table4_column(&f, 2026), None);
    }

    #[test]
    fn a_case_decided_after_the_year_end_is_pending_in_its_filing_year() {
        let f = facts("2025-12-01", ChallengeResult::Corrected, Some("2026-01-10"));
        assert_eq!(table4_column(&f, 2025), Some(ChallengeResult::Pending));
        assert_eq!(table4_column(&f, 2026), None);
        let on_the_last_day = facts("2025-12-01", ChallengeResult::Corrected, Some("2025-12-31"));
        assert_eq!(
            table4_column(&on_the_last_day, 2025),
            Some(ChallengeResult::Corrected)
        );
    }

    #[test]
    fn the_reviewing_organ_as_co_defendant_does_not_count_the_case() {
        let mut f = facts("2025-03-01", ChallengeResult::Upheld, Some("2025-05-01"));
        f.kind = ChallengeKind::LitigationAfterReconsideration;
        f.co_defendant_reviewer = true;
        assert_eq!(table4_column(&f, 2025), None);
        assert_eq!(f.check(d("2025-06-01")), Ok(()));
    }

    #[test]
    fn co_defendant_is_refused_outside_litigation_after_reconsideration() {
        let mut f = facts("2025-03-01", ChallengeResult::Pending, None);
        f.co_defendant_reviewer = true;
        assert_eq!(
            f.check(d("2025-06-01")),
            Err(ChallengeError::CoDefendantOutsideLitigationAfterReconsideration)
        );
    }

    #[test]
    fn dates_are_checked_against_each_other_and_today() {
        let today = d("2025-06-01");
        assert!(matches!(
            facts("2025-03-01", ChallengeResult::Upheld, Some("2025-02-28")).check(today),
            Err(ChallengeError::DecidedBeforeFiled { .. })
        ));
        assert!(matches!(
            facts("2025-03-01", ChallengeResult::Other, None).check(today),
            Err(ChallengeError::DecisionDateMissing { .. })
        ));
        assert_eq!(
            facts("2025-03-01", ChallengeResult::Pending, Some("2025-04-01")).check(today),
            Err(ChallengeError::DecisionDateWhilePending)
        );
        assert!(matches!(
            facts("2025-06-02", ChallengeResult::Pending, None).check(today),
            Err(ChallengeError::FiledInFuture { .. })
        ));
        assert!(matches!(
            facts("2025-03-01", ChallengeResult::Upheld, Some("2025-06-02")).check(today),
            Err(ChallengeError::DecidedInFuture { .. })
        ));
        assert_eq!(
            facts("2025-03-01", ChallengeResult::Upheld, Some("2025-03-01")).check(today),
            Ok(())
        );
    }

    #[test]
    fn keys_round_trip_and_match_serde() {
        for k in ChallengeKind::ALL {
            assert_eq!(ChallengeKind::from_key(k.key()), Ok(k));
            assert_eq!(
                serde_json::to_value(k).ok(),
                Some(serde_json::Value::String(k.key().to_owned()))
            );
        }
        for r in ChallengeResult::ALL {
            assert_eq!(ChallengeResult::from_key(r.key()), Ok(r));
            assert_eq!(
                serde_json::to_value(r).ok(),
                Some(serde_json::Value::String(r.key().to_owned()))
            );
        }
        assert!(ChallengeKind::from_key("appeal").is_err());
    }
}
