//! What a letter may say: the typed context the caller fills, and its view as the template
//! sees it (strings ready to print: Chinese dates, money with 元, full citations).

use chrono::{Datelike, NaiveDate};
use gongkai_law::{FeeDecision, FeeStandard, Outcome, ProvisionForm};
use serde::Serialize;

use crate::kind::{FEE_MEASURES, LetterKind, legal_basis, reply_template};

/// The organ that writes the letter, and where the applicant may seek redress.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrganInfo {
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub phone: String,
    pub contact: String,
    /// The 行政复议机关 named in the remedies paragraph (after the 2023 行政复议法: usually the
    /// 本级人民政府). Empty: the letter names none.
    pub reconsideration_organ: String,
    /// The court named in the remedies paragraph. Empty: "人民法院".
    pub court: String,
}

/// One part withheld from a partial disclosure (条例第三十七条: reasons must be given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithheldPart {
    pub part: String,
    pub reason: String,
    /// The legal basis, e.g. "《中华人民共和国政府信息公开条例》第十五条".
    pub basis: String,
}

/// 补正 (条例第三十条): what to correct, all at once, and by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionRequest {
    pub items: Vec<String>,
    /// The period given, in working days.
    pub period_working_days: u32,
    pub due_on: NaiveDate,
}

/// 延期答复 (条例第三十三条第二款): at most 20 more working days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionNotice {
    pub working_days: u32,
    pub new_due_on: NaiveDate,
    pub reason: String,
}

/// 收费 (国办函〔2020〕109号): the computed fee and how to pay it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeNotice {
    pub decision: FeeDecision,
    /// 缴纳方式: account, payee, reference to quote, non-tax payment code, …
    pub payment_method: String,
    /// The last day to pay: 20 working days from the day after receipt of the notice.
    pub pay_by: Option<NaiveDate>,
}

/// 征求第三方意见 (条例第三十二条).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationRequest {
    pub third_party: String,
    /// The information that may affect the third party.
    pub information: String,
    /// The answer is due within 15 working days of receipt of the letter.
    pub reply_by: Option<NaiveDate>,
}

/// Everything a letter may use. Fields a kind needs are checked by [`crate::render`]
/// (e.g. a 收费通知书 without `fee` is refused with a message saying what is missing).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LetterContext {
    pub organ: OrganInfo,
    /// The organ's 文号 of this letter, if it numbers them.
    pub letter_no: String,
    /// The application's tracking number (受理编号).
    pub tracking_no: String,
    pub applicant_name: String,
    pub applicant_address: String,
    /// 收到申请之日 (条例第三十一条).
    pub received_on: Option<NaiveDate>,
    /// What the applicant asked for, in their words or summarised.
    pub request: String,
    /// The form asked for (条例第二十九条第二款第三项).
    pub provision_form: Option<ProvisionForm>,
    /// The date of the letter.
    pub reply_on: Option<NaiveDate>,
    /// 予以公开/已主动公开/告知途径: how, where and when to obtain the information (条例第三十六条).
    pub access: String,
    /// The officer's reasons (不予公开、无法提供、不予处理 must state reasons: 条例第三十六条第（三）项).
    pub reason: String,
    /// 条例第三十六条第（五）项: the organ responsible, with its contact, where it can be identified.
    pub responsible_organ: String,
    pub withheld: Vec<WithheldPart>,
    pub fee: Option<FeeNotice>,
    pub correction: Option<CorrectionRequest>,
    pub extension: Option<ExtensionNotice>,
    pub consultation: Option<ConsultationRequest>,
}

/// "2026年11月2日", as dates are written in 公文.
pub fn chinese_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

fn opt_date(date: Option<NaiveDate>) -> String {
    date.map(chinese_date).unwrap_or_default()
}

// ---- The view: what templates see. Every field is a string, a number or a list, so that a
// template never prints "none"; names are documented in docs/guide/letters.md. ----

#[derive(Debug, Serialize)]
pub(crate) struct View {
    organ: OrganView,
    letter_no: String,
    tracking_no: String,
    applicant: ApplicantView,
    received_on: String,
    request: String,
    provision_form: String,
    reply_on: String,
    access: String,
    reason: String,
    responsible_organ: String,
    regulation: &'static str,
    remedy: RemedyView,
    outcome: OutcomeView,
    withheld: Vec<WithheldView>,
    fee: FeeView,
    correction: CorrectionView,
    extension: ExtensionView,
    consultation: ConsultationView,
}

#[derive(Debug, Serialize)]
struct OrganView {
    name: String,
    address: String,
    postcode: String,
    phone: String,
    contact: String,
}

#[derive(Debug, Serialize)]
struct ApplicantView {
    name: String,
    address: String,
}

#[derive(Debug, Serialize)]
struct RemedyView {
    reconsideration_organ: String,
    court: String,
}

#[derive(Debug, Serialize, Default)]
struct OutcomeView {
    key: &'static str,
    label: &'static str,
    article: &'static str,
    basis: String,
    template: &'static str,
}

#[derive(Debug, Serialize)]
struct WithheldView {
    part: String,
    reason: String,
    basis: String,
}

#[derive(Debug, Serialize, Default)]
struct FeeView {
    standard: &'static str,
    standard_article: &'static str,
    /// The article of the 办法 attached to 109号 that sets the standard.
    standard_clause: &'static str,
    measures: &'static str,
    quantity: u32,
    unit: &'static str,
    amount: String,
    summary: String,
    lines: Vec<String>,
    payment_method: String,
    pay_by: String,
    period_working_days: u32,
}

#[derive(Debug, Serialize, Default)]
struct CorrectionView {
    items: Vec<String>,
    period_working_days: u32,
    due_on: String,
}

#[derive(Debug, Serialize, Default)]
struct ExtensionView {
    working_days: u32,
    new_due_on: String,
    reason: String,
}

#[derive(Debug, Serialize, Default)]
struct ConsultationView {
    third_party: String,
    information: String,
    reply_by: String,
    period_working_days: u32,
}

/// 109号: the applicant pays within 20 working days from the day after receiving the notice
/// (legal-rules.md §C.4).
pub const FEE_PAYMENT_WORKING_DAYS: u32 = 20;

/// 条例第三十二条: the third party answers within 15 working days.
pub const CONSULTATION_WORKING_DAYS: u32 = 15;

impl View {
    pub(crate) fn new(kind: LetterKind, ctx: &LetterContext) -> View {
        let outcome = match kind {
            LetterKind::Reply(o) => outcome_view(o),
            _ => OutcomeView::default(),
        };
        let fee = ctx.fee.as_ref().map_or_else(FeeView::default, |f| FeeView {
            standard: f.decision.standard.label(),
            standard_article: f.decision.standard.article(),
            standard_clause: match f.decision.standard {
                FeeStandard::PerPiece => "《政府信息公开信息处理费管理办法》第四条",
                FeeStandard::PerPage => "《政府信息公开信息处理费管理办法》第五条",
            },
            measures: FEE_MEASURES,
            quantity: f.decision.quantity,
            unit: f.decision.standard.unit(),
            amount: f.decision.amount.to_string(),
            summary: f.decision.summary(),
            lines: f.decision.breakdown.lines(),
            payment_method: f.payment_method.clone(),
            pay_by: opt_date(f.pay_by),
            period_working_days: FEE_PAYMENT_WORKING_DAYS,
        });
        View {
            organ: OrganView {
                name: ctx.organ.name.clone(),
                address: ctx.organ.address.clone(),
                postcode: ctx.organ.postcode.clone(),
                phone: ctx.organ.phone.clone(),
                contact: ctx.organ.contact.clone(),
            },
            letter_no: ctx.letter_no.clone(),
            tracking_no: ctx.tracking_no.clone(),
            applicant: ApplicantView {
                name: ctx.applicant_name.clone(),
                address: ctx.applicant_address.clone(),
            },
            received_on: opt_date(ctx.received_on),
            request: ctx.request.clone(),
            provision_form: ctx
                .provision_form
                .map(|f| f.label().to_string())
                .unwrap_or_default(),
            reply_on: opt_date(ctx.reply_on),
            access: ctx.access.clone(),
            reason: ctx.reason.clone(),
            responsible_organ: ctx.responsible_organ.clone(),
            regulation: "《中华人民共和国政府信息公开条例》",
            remedy: RemedyView {
                reconsideration_organ: ctx.organ.reconsideration_organ.clone(),
                court: if ctx.organ.court.is_empty() {
                    "人民法院".to_string()
                } else {
                    ctx.organ.court.clone()
                },
            },
            outcome,
            withheld: ctx
                .withheld
                .iter()
                .map(|w| WithheldView {
                    part: w.part.clone(),
                    reason: w.reason.clone(),
                    basis: w.basis.clone(),
                })
                .collect(),
            fee,
            correction: ctx
                .correction
                .as_ref()
                .map_or_else(CorrectionView::default, |c| CorrectionView {
                    items: c.items.clone(),
                    period_working_days: c.period_working_days,
                    due_on: chinese_date(c.due_on),
                }),
            extension: ctx
                .extension
                .as_ref()
                .map_or_else(ExtensionView::default, |e| ExtensionView {
                    working_days: e.working_days,
                    new_due_on: chinese_date(e.new_due_on),
                    reason: e.reason.clone(),
                }),
            consultation: ctx
                .consultation
                .as_ref()
                .map_or_else(ConsultationView::default, |c| ConsultationView {
                    third_party: c.third_party.clone(),
                    information: c.information.clone(),
                    reply_by: opt_date(c.reply_by),
                    period_working_days: CONSULTATION_WORKING_DAYS,
                }),
        }
    }
}

fn outcome_view(outcome: Outcome) -> OutcomeView {
    OutcomeView {
        key: outcome.key(),
        label: outcome.label(),
        article: outcome.article(),
        basis: legal_basis(outcome),
        template: reply_template(outcome).key(),
    }
}
