//! Outcomes of an application (办理结果) and the table-三 row each one is counted in.
//!
//! The 条例 lists the reply types in Art 36 and the grounds in Arts 14–16, 30, 35, 37–39; the annual
//! report format (国办公开办函〔2021〕30号) counts every closed application in exactly one result row
//! of table 三. The mapping is legal-rules.md §B.3; row keys are report-model.md "Table 三 row keys".

use crate::error::UnknownKeyError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A result row of table 三 (三、本年度办理结果). Each closed application is counted in exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultRow {
    Granted,
    PartiallyGranted,
    DeniedStateSecret,
    DeniedProhibitedByLaw,
    DeniedEndangersSecurityStability,
    DeniedThirdPartyRights,
    DeniedInternalAffairs,
    DeniedProcessInformation,
    DeniedEnforcementFile,
    DeniedAdministrativeQuery,
    UnableNotHeld,
    UnableNeedsCreation,
    UnableUnclearAfterCorrection,
    NotProcessedPetitionComplaint,
    NotProcessedRepeated,
    NotProcessedPublication,
    NotProcessedExcessive,
    NotProcessedConfirmOrReissue,
    OtherOverdueCorrection,
    OtherOverdueFee,
    OtherOther,
}

impl ResultRow {
    /// The 21 result rows in printed order.
    pub const ALL: [ResultRow; 21] = [
        ResultRow::Granted,
        ResultRow::PartiallyGranted,
        ResultRow::DeniedStateSecret,
        ResultRow::DeniedProhibitedByLaw,
        ResultRow::DeniedEndangersSecurityStability,
        ResultRow::DeniedThirdPartyRights,
        ResultRow::DeniedInternalAffairs,
        ResultRow::DeniedProcessInformation,
        ResultRow::DeniedEnforcementFile,
        ResultRow::DeniedAdministrativeQuery,
        ResultRow::UnableNotHeld,
        ResultRow::UnableNeedsCreation,
        ResultRow::UnableUnclearAfterCorrection,
        ResultRow::NotProcessedPetitionComplaint,
        ResultRow::NotProcessedRepeated,
        ResultRow::NotProcessedPublication,
        ResultRow::NotProcessedExcessive,
        ResultRow::NotProcessedConfirmOrReissue,
        ResultRow::OtherOverdueCorrection,
        ResultRow::OtherOverdueFee,
        ResultRow::OtherOther,
    ];

    /// The canonical row key of report-model.md (also the serde name).
    pub const fn key(self) -> &'static str {
        match self {
            ResultRow::Granted => "granted",
            ResultRow::PartiallyGranted => "partially_granted",
            ResultRow::DeniedStateSecret => "denied_state_secret",
            ResultRow::DeniedProhibitedByLaw => "denied_prohibited_by_law",
            ResultRow::DeniedEndangersSecurityStability => "denied_endangers_security_stability",
            ResultRow::DeniedThirdPartyRights => "denied_third_party_rights",
            ResultRow::DeniedInternalAffairs => "denied_internal_affairs",
            ResultRow::DeniedProcessInformation => "denied_process_information",
            ResultRow::DeniedEnforcementFile => "denied_enforcement_file",
            ResultRow::DeniedAdministrativeQuery => "denied_administrative_query",
            ResultRow::UnableNotHeld => "unable_not_held",
            ResultRow::UnableNeedsCreation => "unable_needs_creation",
            ResultRow::UnableUnclearAfterCorrection => "unable_unclear_after_correction",
            ResultRow::NotProcessedPetitionComplaint => "not_processed_petition_complaint",
            ResultRow::NotProcessedRepeated => "not_processed_repeated",
            ResultRow::NotProcessedPublication => "not_processed_publication",
            ResultRow::NotProcessedExcessive => "not_processed_excessive",
            ResultRow::NotProcessedConfirmOrReissue => "not_processed_confirm_or_reissue",
            ResultRow::OtherOverdueCorrection => "other_overdue_correction",
            ResultRow::OtherOverdueFee => "other_overdue_fee",
            ResultRow::OtherOther => "other_other",
        }
    }

    /// The row label of the 2021 format, with its group heading so that it reads on its own.
    pub const fn label(self) -> &'static str {
        match self {
            ResultRow::Granted => "（一）予以公开",
            ResultRow::PartiallyGranted => {
                "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
            }
            ResultRow::DeniedStateSecret => "（三）不予公开 1.属于国家秘密",
            ResultRow::DeniedProhibitedByLaw => "（三）不予公开 2.其他法律行政法规禁止公开",
            ResultRow::DeniedEndangersSecurityStability => "（三）不予公开 3.危及“三安全一稳定”",
            ResultRow::DeniedThirdPartyRights => "（三）不予公开 4.保护第三方合法权益",
            ResultRow::DeniedInternalAffairs => "（三）不予公开 5.属于三类内部事务信息",
            ResultRow::DeniedProcessInformation => "（三）不予公开 6.属于四类过程性信息",
            ResultRow::DeniedEnforcementFile => "（三）不予公开 7.属于行政执法案卷",
            ResultRow::DeniedAdministrativeQuery => "（三）不予公开 8.属于行政查询事项",
            ResultRow::UnableNotHeld => "（四）无法提供 1.本机关不掌握相关政府信息",
            ResultRow::UnableNeedsCreation => "（四）无法提供 2.没有现成信息需要另行制作",
            ResultRow::UnableUnclearAfterCorrection => "（四）无法提供 3.补正后申请内容仍不明确",
            ResultRow::NotProcessedPetitionComplaint => "（五）不予处理 1.信访举报投诉类申请",
            ResultRow::NotProcessedRepeated => "（五）不予处理 2.重复申请",
            ResultRow::NotProcessedPublication => "（五）不予处理 3.要求提供公开出版物",
            ResultRow::NotProcessedExcessive => "（五）不予处理 4.无正当理由大量反复申请",
            ResultRow::NotProcessedConfirmOrReissue => {
                "（五）不予处理 5.要求行政机关确认或重新出具已获取信息"
            }
            ResultRow::OtherOverdueCorrection => {
                "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
            }
            ResultRow::OtherOverdueFee => {
                "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
            }
            ResultRow::OtherOther => "（六）其他处理 3.其他",
        }
    }

    pub fn from_key(key: &str) -> Result<Self, UnknownKeyError> {
        let key = key.trim();
        Self::ALL
            .into_iter()
            .find(|r| r.key() == key)
            .ok_or_else(|| {
                UnknownKeyError::new(
                    "表三办理结果行",
                    key,
                    Self::ALL.iter().map(|r| (r.key(), r.label())),
                )
            })
    }
}

impl FromStr for ResultRow {
    type Err = UnknownKeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_key(s)
    }
}

impl fmt::Display for ResultRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The legal result of an application, as the officer records it in the reply.
///
/// There are more outcomes than rows: 36(1) (already public) is counted as 予以公开 and 36(5) (not
/// this organ's) as 本机关不掌握 — both common practice but UNCONFIRMED (legal-rules.md §B.3, §F.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 36(2): the information is provided, or how, where and when to get it.
    Granted,
    /// 36(1): already proactively disclosed; the applicant is told how and where to get it.
    AlreadyPublic,
    /// Art 37: the disclosable part is provided, reasons given for the rest.
    PartiallyGranted,
    /// Arts 14 and 36(3): 国家秘密.
    DeniedStateSecret,
    /// Arts 14 and 36(3): other 法律、行政法规 forbid disclosure.
    DeniedProhibitedByLaw,
    /// Arts 14 and 36(3): may endanger 国家安全、公共安全、经济安全、社会稳定.
    DeniedEndangersSecurityStability,
    /// Arts 15 and 36(3): 商业秘密, 个人隐私 and other third-party rights.
    DeniedThirdPartyRights,
    /// Arts 16 ¶1 and 36(3): 人事管理、后勤管理、内部工作流程.
    DeniedInternalAffairs,
    /// Arts 16 ¶2 and 36(3): 讨论记录、过程稿、磋商信函、请示报告.
    DeniedProcessInformation,
    /// Arts 16 ¶2 and 36(3): 行政执法案卷.
    DeniedEnforcementFile,
    /// 36(7): 工商、不动产登记资料 etc., obtained under their own laws.
    DeniedAdministrativeQuery,
    /// 36(4): not found after search.
    UnableNotHeld,
    /// 36(5): not this organ's to disclose.
    NotThisOrgan,
    /// Art 38: would need 加工、分析 of existing information.
    UnableNeedsCreation,
    /// Art 30: still unclear after the one correction.
    UnableUnclearAfterCorrection,
    /// Art 39 ¶1: 信访、投诉、举报 in the form of an application.
    NotProcessedPetitionComplaint,
    /// 36(6): the same request again after a reply.
    NotProcessedRepeated,
    /// Art 39 ¶2: asks for 政府公报、报刊、书籍 and other publications.
    NotProcessedPublication,
    /// Art 35: unreasonable quantity or frequency.
    NotProcessedExcessive,
    /// Asks the organ to confirm or re-issue information already obtained (a table-三 row with no
    /// article of its own).
    NotProcessedConfirmOrReissue,
    /// Art 30: no correction in time without good reason — deemed abandoned.
    OtherOverdueCorrection,
    /// 109号: the fee was not paid in time — deemed abandoned.
    OtherOverdueFee,
    /// Any other result, e.g. a withdrawal.
    OtherOther,
}

impl Outcome {
    pub const ALL: [Outcome; 23] = [
        Outcome::Granted,
        Outcome::AlreadyPublic,
        Outcome::PartiallyGranted,
        Outcome::DeniedStateSecret,
        Outcome::DeniedProhibitedByLaw,
        Outcome::DeniedEndangersSecurityStability,
        Outcome::DeniedThirdPartyRights,
        Outcome::DeniedInternalAffairs,
        Outcome::DeniedProcessInformation,
        Outcome::DeniedEnforcementFile,
        Outcome::DeniedAdministrativeQuery,
        Outcome::UnableNotHeld,
        Outcome::NotThisOrgan,
        Outcome::UnableNeedsCreation,
        Outcome::UnableUnclearAfterCorrection,
        Outcome::NotProcessedPetitionComplaint,
        Outcome::NotProcessedRepeated,
        Outcome::NotProcessedPublication,
        Outcome::NotProcessedExcessive,
        Outcome::NotProcessedConfirmOrReissue,
        Outcome::OtherOverdueCorrection,
        Outcome::OtherOverdueFee,
        Outcome::OtherOther,
    ];

    /// The key used in JSON and on the command line (also the serde name).
    pub const fn key(self) -> &'static str {
        match self {
            Outcome::AlreadyPublic => "already_public",
            Outcome::NotThisOrgan => "not_this_organ",
            other => other.table3_row().key(),
        }
    }

    /// What the reply says, in the officer's words.
    pub const fn label(self) -> &'static str {
        match self {
            Outcome::Granted => "予以公开",
            Outcome::AlreadyPublic => "已主动公开，告知获取的方式和途径",
            Outcome::PartiallyGranted => "部分公开（区分处理）",
            Outcome::DeniedStateSecret => "不予公开：属于国家秘密",
            Outcome::DeniedProhibitedByLaw => "不予公开：其他法律、行政法规禁止公开",
            Outcome::DeniedEndangersSecurityStability => {
                "不予公开：公开后可能危及国家安全、公共安全、经济安全、社会稳定"
            }
            Outcome::DeniedThirdPartyRights => "不予公开：会对第三方合法权益造成损害",
            Outcome::DeniedInternalAffairs => {
                "不予公开：属于内部事务信息（人事管理、后勤管理、内部工作流程）"
            }
            Outcome::DeniedProcessInformation => {
                "不予公开：属于过程性信息（讨论记录、过程稿、磋商信函、请示报告）"
            }
            Outcome::DeniedEnforcementFile => "不予公开：属于行政执法案卷信息",
            Outcome::DeniedAdministrativeQuery => {
                "告知依照有关法律、行政法规的规定办理（行政查询事项）"
            }
            Outcome::UnableNotHeld => "无法提供：经检索没有所申请公开的信息",
            Outcome::NotThisOrgan => "告知不属于本机关负责公开",
            Outcome::UnableNeedsCreation => "无法提供：没有现成信息，需要另行制作",
            Outcome::UnableUnclearAfterCorrection => "无法提供：补正后申请内容仍不明确",
            Outcome::NotProcessedPetitionComplaint => {
                "不作为政府信息公开申请处理：属于信访、投诉、举报"
            }
            Outcome::NotProcessedRepeated => "不予重复处理：重复申请",
            Outcome::NotProcessedPublication => "告知获取公开出版物的途径",
            Outcome::NotProcessedExcessive => {
                "不予处理：申请数量、频次明显超过合理范围且理由不合理"
            }
            Outcome::NotProcessedConfirmOrReissue => {
                "不予处理：要求行政机关确认或重新出具已获取信息"
            }
            Outcome::OtherOverdueCorrection => "申请人无正当理由逾期不补正，视为放弃申请",
            Outcome::OtherOverdueFee => "申请人逾期未缴纳信息处理费，视为放弃申请",
            Outcome::OtherOther => "其他处理",
        }
    }

    /// The legal basis, as cited in a reply letter.
    pub const fn article(self) -> &'static str {
        match self {
            Outcome::Granted => "条例第三十六条第（二）项",
            Outcome::AlreadyPublic => "条例第三十六条第（一）项",
            Outcome::PartiallyGranted => "条例第三十七条",
            Outcome::DeniedStateSecret
            | Outcome::DeniedProhibitedByLaw
            | Outcome::DeniedEndangersSecurityStability => "条例第十四条、第三十六条第（三）项",
            Outcome::DeniedThirdPartyRights => "条例第十五条、第三十六条第（三）项",
            Outcome::DeniedInternalAffairs => "条例第十六条第一款、第三十六条第（三）项",
            Outcome::DeniedProcessInformation | Outcome::DeniedEnforcementFile => {
                "条例第十六条第二款、第三十六条第（三）项"
            }
            Outcome::DeniedAdministrativeQuery => "条例第三十六条第（七）项",
            Outcome::UnableNotHeld => "条例第三十六条第（四）项",
            Outcome::NotThisOrgan => "条例第三十六条第（五）项",
            Outcome::UnableNeedsCreation => "条例第三十八条",
            Outcome::UnableUnclearAfterCorrection | Outcome::OtherOverdueCorrection => {
                "条例第三十条"
            }
            Outcome::NotProcessedPetitionComplaint => "条例第三十九条第一款",
            Outcome::NotProcessedRepeated => "条例第三十六条第（六）项",
            Outcome::NotProcessedPublication => "条例第三十九条第二款",
            Outcome::NotProcessedExcessive => "条例第三十五条",
            // No article of its own: the category exists only as a row of the report format.
            Outcome::NotProcessedConfirmOrReissue => "国办公开办函〔2021〕30号表三（五）5",
            Outcome::OtherOverdueFee => "国办函〔2020〕109号",
            Outcome::OtherOther => "国办公开办函〔2021〕30号表三（六）3",
        }
    }

    /// The one table-三 row this outcome is counted in (legal-rules.md §B.3 mapping).
    pub const fn table3_row(self) -> ResultRow {
        match self {
            // 36(1) counts as 予以公开: common practice, UNCONFIRMED (legal-rules.md §F.4).
            Outcome::Granted | Outcome::AlreadyPublic => ResultRow::Granted,
            // Art 37: counted only here, never also under a denial row (label of row （二）).
            Outcome::PartiallyGranted => ResultRow::PartiallyGranted,
            Outcome::DeniedStateSecret => ResultRow::DeniedStateSecret,
            Outcome::DeniedProhibitedByLaw => ResultRow::DeniedProhibitedByLaw,
            Outcome::DeniedEndangersSecurityStability => {
                ResultRow::DeniedEndangersSecurityStability
            }
            Outcome::DeniedThirdPartyRights => ResultRow::DeniedThirdPartyRights,
            Outcome::DeniedInternalAffairs => ResultRow::DeniedInternalAffairs,
            Outcome::DeniedProcessInformation => ResultRow::DeniedProcessInformation,
            Outcome::DeniedEnforcementFile => ResultRow::DeniedEnforcementFile,
            // 36(7) as 行政查询事项: UNCONFIRMED (legal-rules.md §B.3).
            Outcome::DeniedAdministrativeQuery => ResultRow::DeniedAdministrativeQuery,
            // 36(5) as 本机关不掌握: UNCONFIRMED (legal-rules.md §B.3).
            Outcome::UnableNotHeld | Outcome::NotThisOrgan => ResultRow::UnableNotHeld,
            Outcome::UnableNeedsCreation => ResultRow::UnableNeedsCreation,
            Outcome::UnableUnclearAfterCorrection => ResultRow::UnableUnclearAfterCorrection,
            Outcome::NotProcessedPetitionComplaint => ResultRow::NotProcessedPetitionComplaint,
            Outcome::NotProcessedRepeated => ResultRow::NotProcessedRepeated,
            Outcome::NotProcessedPublication => ResultRow::NotProcessedPublication,
            Outcome::NotProcessedExcessive => ResultRow::NotProcessedExcessive,
            Outcome::NotProcessedConfirmOrReissue => ResultRow::NotProcessedConfirmOrReissue,
            Outcome::OtherOverdueCorrection => ResultRow::OtherOverdueCorrection,
            Outcome::OtherOverdueFee => ResultRow::OtherOverdueFee,
            Outcome::OtherOther => ResultRow::OtherOther,
        }
    }

    /// A refusal counted under （三）不予公开 of table 三 (Arts 14–16, 36(3), 36(7)): the grounds a
    /// withheld part of a partial disclosure can cite.
    pub const fn is_denial(self) -> bool {
        matches!(
            self,
            Outcome::DeniedStateSecret
                | Outcome::DeniedProhibitedByLaw
                | Outcome::DeniedEndangersSecurityStability
                | Outcome::DeniedThirdPartyRights
                | Outcome::DeniedInternalAffairs
                | Outcome::DeniedProcessInformation
                | Outcome::DeniedEnforcementFile
                | Outcome::DeniedAdministrativeQuery
        )
    }

    /// What a reply with this outcome must contain besides the outcome (Art 36(3): 告知申请人不予
    /// 公开并说明理由; Art 37: the withheld parts, each with its ground), given the reason written
    /// and the grounds of the withheld parts listed. The Chinese message says what is missing.
    pub fn check_reply(self, reason: &str, withheld_grounds: &[Outcome]) -> Result<(), String> {
        if let Some(g) = withheld_grounds.iter().find(|g| !g.is_denial()) {
            return Err(format!(
                "“{}”不是不予公开的依据：不予公开的部分只能依据条例第十四条至第十六条",
                g.label()
            ));
        }
        if self == Outcome::PartiallyGranted && withheld_grounds.is_empty() {
            return Err(
                "部分公开须写明不予公开的部分及其依据（条例第三十七条：对不予公开的部分作出区分处理并说明理由）"
                    .to_owned(),
            );
        }
        if (self.is_denial() || self == Outcome::PartiallyGranted) && reason.trim().is_empty() {
            return Err(
                "不予公开须说明理由（条例第三十六条第（三）项：告知申请人不予公开并说明理由）"
                    .to_owned(),
            );
        }
        Ok(())
    }

    /// The canonical report-model.md row key of [`Outcome::table3_row`].
    pub const fn table3_row_key(self) -> &'static str {
        self.table3_row().key()
    }

    /// The outcome with this key (see [`Outcome::key`]).
    pub fn from_key(key: &str) -> Result<Self, UnknownKeyError> {
        let key = key.trim();
        Self::ALL
            .into_iter()
            .find(|o| o.key() == key)
            .ok_or_else(|| {
                UnknownKeyError::new(
                    "办理结果",
                    key,
                    Self::ALL.iter().map(|o| (o.key(), o.label())),
                )
            })
    }
}

impl FromStr for Outcome {
    type Err = UnknownKeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_key(s)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn keys_are_the_serde_names_and_parse_back() {
        for o in Outcome::ALL {
            assert_eq!(
                serde_json::to_string(&o).unwrap(),
                format!("\"{}\"", o.key())
            );
            assert_eq!(o.key().parse::<Outcome>().unwrap(), o);
        }
        for r in ResultRow::ALL {
            assert_eq!(
                serde_json::to_string(&r).unwrap(),
                format!("\"{}\"", r.key())
            );
            assert_eq!(ResultRow::from_key(r.key()).unwrap(), r);
        }
        let keys: BTreeSet<&str> = Outcome::ALL.iter().map(|o| o.key()).collect();
        assert_eq!(
            keys.len(),
            Outcome::ALL.len(),
            "outcome keys must be unique"
        );
    }

    #[test]
    fn every_result_row_is_reached_by_some_outcome() {
        let reached: BTreeSet<ResultRow> = Outcome::ALL.iter().map(|o| o.table3_row()).collect();
        let all: BTreeSet<ResultRow> = ResultRow::ALL.into_iter().collect();
        assert_eq!(reached, all);
    }

    #[test]
    fn merged_outcomes_follow_the_spec_mapping() {
        assert_eq!(Outcome::AlreadyPublic.table3_row_key(), "granted");
        assert_eq!(Outcome::NotThisOrgan.table3_row_key(), "unable_not_held");
        assert_eq!(
            Outcome::PartiallyGranted.table3_row_key(),
            "partially_granted"
        );
        assert_eq!(
            Outcome::OtherOverdueFee.table3_row_key(),
            "other_overdue_fee"
        );
        assert_eq!(Outcome::Granted.article(), "条例第三十六条第（二）项");
    }

    #[test]
    fn row_keys_are_the_report_model_keys_in_printed_order() {
        let keys: Vec<&str> = ResultRow::ALL.iter().map(|r| r.key()).collect();
        assert_eq!(
            keys,
            [
                "granted",
                "partially_granted",
                "denied_state_secret",
                "denied_prohibited_by_law",
                "denied_endangers_security_stability",
                "denied_third_party_rights",
                "denied_internal_affairs",
                "denied_process_information",
                "denied_enforcement_file",
                "denied_administrative_query",
                "unable_not_held",
                "unable_needs_creation",
                "unable_unclear_after_correction",
                "not_processed_petition_complaint",
                "not_processed_repeated",
                "not_processed_publication",
                "not_processed_excessive",
                "not_processed_confirm_or_reissue",
                "other_overdue_correction",
                "other_overdue_fee",
                "other_other",
            ]
        );
    }

    #[test]
    fn unknown_outcome_error_lists_valid_keys() {
        let msg = Outcome::from_key("approve").unwrap_err().to_string();
        assert!(msg.contains("“approve”不是有效的办理结果"), "{msg}");
        assert!(msg.contains("granted（予以公开）"), "{msg}");
        assert!(msg.contains("other_other"), "{msg}");
    }

    #[test]
    fn refusals_must_say_why_and_partial_disclosures_what_was_withheld() {
        assert!(Outcome::Granted.check_reply("", &[]).is_ok());
        let e = Outcome::DeniedStateSecret
            .check_reply(" ", &[])
            .unwrap_err();
        assert!(e.contains("第三十六条第（三）项"), "{e}");
        let e = Outcome::PartiallyGranted
            .check_reply("部分涉及隐私", &[])
            .unwrap_err();
        assert!(e.contains("第三十七条"), "{e}");
        let e = Outcome::PartiallyGranted
            .check_reply("部分涉及隐私", &[Outcome::Granted])
            .unwrap_err();
        assert!(e.contains("不是不予公开的依据"), "{e}");
        assert!(
            Outcome::PartiallyGranted
                .check_reply("部分涉及隐私", &[Outcome::DeniedThirdPartyRights])
                .is_ok()
        );
        let denials: Vec<_> = Outcome::ALL.iter().filter(|o| o.is_denial()).collect();
        assert_eq!(denials.len(), 8, "rows （三）1–8");
        assert!(
            denials
                .iter()
                .all(|o| o.table3_row_key().starts_with("denied"))
        );
    }
}
