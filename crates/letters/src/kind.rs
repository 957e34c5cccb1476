//! The letters sent to applicants and third parties, and which template serves which.

use gongkai_law::Outcome;
use serde::{Deserialize, Serialize};

/// A letter to write. Reply letters (答复告知书) are per [`Outcome`]; outcomes that read alike
/// share one template ([`Template`]), which branches on the outcome where the wording differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "outcome")]
pub enum LetterKind {
    /// 政府信息公开申请答复告知书 (条例第三十六条 and the articles of each outcome).
    Reply(Outcome),
    /// 补正告知书 (条例第三十条).
    Correction,
    /// 延期答复告知书 (条例第三十三条第二款).
    Extension,
    /// 收费通知书 (国办函〔2020〕109号).
    FeeNotice,
    /// 第三方意见征询函 (条例第三十二条).
    Consultation,
}

/// One editable template: the unit an administrator edits and the admin screen lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    /// 予以公开 / 已主动公开 (条例第三十六条第（一）（二）项).
    ReplyDisclosed,
    /// 部分公开 (条例第三十七条).
    ReplyPartial,
    /// 不予公开 for the seven reasons of 条例第十四、十五、十六条.
    ReplyWithheld,
    /// 无法提供 / 不属于本机关负责公开 (条例第三十六条第（四）（五）项、第三十八条、第三十条).
    ReplyUnable,
    /// 不予处理 and referrals (条例第三十五条、第三十六条第（六）（七）项、第三十九条).
    ReplyNotProcessed,
    /// 视为放弃 / 终止 (条例第三十条, 109号, other).
    ReplyClosed,
    Correction,
    Extension,
    FeeNotice,
    Consultation,
}

impl Template {
    pub const ALL: [Template; 10] = [
        Template::ReplyDisclosed,
        Template::ReplyPartial,
        Template::ReplyWithheld,
        Template::ReplyUnable,
        Template::ReplyNotProcessed,
        Template::ReplyClosed,
        Template::Correction,
        Template::Extension,
        Template::FeeNotice,
        Template::Consultation,
    ];

    /// The key under which an edited template is stored (also the serde name).
    pub const fn key(self) -> &'static str {
        match self {
            Template::ReplyDisclosed => "reply_disclosed",
            Template::ReplyPartial => "reply_partial",
            Template::ReplyWithheld => "reply_withheld",
            Template::ReplyUnable => "reply_unable",
            Template::ReplyNotProcessed => "reply_not_processed",
            Template::ReplyClosed => "reply_closed",
            Template::Correction => "correction",
            Template::Extension => "extension",
            Template::FeeNotice => "fee_notice",
            Template::Consultation => "consultation",
        }
    }

    /// The name shown on the admin screen.
    pub const fn label(self) -> &'static str {
        match self {
            Template::ReplyDisclosed => "答复告知书：予以公开、已主动公开",
            Template::ReplyPartial => "答复告知书：部分公开",
            Template::ReplyWithheld => "答复告知书：不予公开",
            Template::ReplyUnable => "答复告知书：无法提供、不属于本机关负责公开",
            Template::ReplyNotProcessed => "答复告知书：不予处理、告知其他途径",
            Template::ReplyClosed => "告知书：视为放弃申请、终止办理",
            Template::Correction => "补正告知书",
            Template::Extension => "延期答复告知书",
            Template::FeeNotice => "收费通知书",
            Template::Consultation => "第三方意见征询函",
        }
    }

    /// The default text shipped with the program (see `templates/`).
    pub const fn default_source(self) -> &'static str {
        match self {
            Template::ReplyDisclosed => include_str!("../templates/reply_disclosed.txt"),
            Template::ReplyPartial => include_str!("../templates/reply_partial.txt"),
            Template::ReplyWithheld => include_str!("../templates/reply_withheld.txt"),
            Template::ReplyUnable => include_str!("../templates/reply_unable.txt"),
            Template::ReplyNotProcessed => include_str!("../templates/reply_not_processed.txt"),
            Template::ReplyClosed => include_str!("../templates/reply_closed.txt"),
            Template::Correction => include_str!("../templates/correction.txt"),
            Template::Extension => include_str!("../templates/extension.txt"),
            Template::FeeNotice => include_str!("../templates/fee_notice.txt"),
            Template::Consultation => include_str!("../templates/consultation.txt"),
        }
    }

    /// A kind this template serves, for checking an edited template against sample data.
    pub fn sample_kinds(self) -> Vec<LetterKind> {
        match self {
            Template::Correction => vec![LetterKind::Correction],
            Template::Extension => vec![LetterKind::Extension],
            Template::FeeNotice => vec![LetterKind::FeeNotice],
            Template::Consultation => vec![LetterKind::Consultation],
            reply => Outcome::ALL
                .into_iter()
                .filter(|o| reply_template(*o) == reply)
                .map(LetterKind::Reply)
                .collect(),
        }
    }

    pub fn from_key(key: &str) -> Option<Template> {
        Template::ALL.into_iter().find(|t| t.key() == key.trim())
    }
}

/// The reply template of an outcome.
pub const fn reply_template(outcome: Outcome) -> Template {
    match outcome {
        Outcome::Granted | Outcome::AlreadyPublic => Template::ReplyDisclosed,
        Outcome::PartiallyGranted => Template::ReplyPartial,
        Outcome::DeniedStateSecret
        | Outcome::DeniedProhibitedByLaw
        | Outcome::DeniedEndangersSecurityStability
        | Outcome::DeniedThirdPartyRights
        | Outcome::DeniedInternalAffairs
        | Outcome::DeniedProcessInformation
        | Outcome::DeniedEnforcementFile => Template::ReplyWithheld,
        Outcome::UnableNotHeld
        | Outcome::NotThisOrgan
        | Outcome::UnableNeedsCreation
        | Outcome::UnableUnclearAfterCorrection => Template::ReplyUnable,
        Outcome::DeniedAdministrativeQuery
        | Outcome::NotProcessedPetitionComplaint
        | Outcome::NotProcessedRepeated
        | Outcome::NotProcessedPublication
        | Outcome::NotProcessedExcessive
        | Outcome::NotProcessedConfirmOrReissue => Template::ReplyNotProcessed,
        Outcome::OtherOverdueCorrection | Outcome::OtherOverdueFee | Outcome::OtherOther => {
            Template::ReplyClosed
        }
    }
}

impl LetterKind {
    /// The template that writes this letter.
    pub const fn template(self) -> Template {
        match self {
            LetterKind::Reply(outcome) => reply_template(outcome),
            LetterKind::Correction => Template::Correction,
            LetterKind::Extension => Template::Extension,
            LetterKind::FeeNotice => Template::FeeNotice,
            LetterKind::Consultation => Template::Consultation,
        }
    }

    /// Every letter kind: one reply per outcome, then the four notices.
    pub fn all() -> Vec<LetterKind> {
        Outcome::ALL
            .into_iter()
            .map(LetterKind::Reply)
            .chain([
                LetterKind::Correction,
                LetterKind::Extension,
                LetterKind::FeeNotice,
                LetterKind::Consultation,
            ])
            .collect()
    }
}

/// The full citation of an outcome's legal basis for a letter: 条例 written out as
/// 《中华人民共和国政府信息公开条例》, 109号 with its title. Two outcomes have no article of their
/// own (they exist only as rows of the annual-report table, see `Outcome::article`); their
/// letters cite the 条例 as a whole rather than a report table.
pub fn legal_basis(outcome: Outcome) -> String {
    const REGULATION: &str = "《中华人民共和国政府信息公开条例》";
    let article = outcome.article();
    if let Some(rest) = article.strip_prefix("条例") {
        format!("{REGULATION}{rest}")
    } else if article.starts_with("国办函〔2020〕109号") {
        FEE_MEASURES.to_string()
    } else {
        format!("{REGULATION}的有关规定")
    }
}

/// 国办函〔2020〕109号, cited in full.
pub const FEE_MEASURES: &str =
    "《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）";
