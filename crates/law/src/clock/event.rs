//! What can happen to an application, as recorded by the officer.

use crate::money::Money;
use crate::outcome::Outcome;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How the application reached the organ. Art 31 fixes the receipt date per channel; the date the
/// officer records in [`ClockEvent::Received`] is the date that rule gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 当面提交 (including an oral application written down by the office, Art 29 ¶1).
    InPerson,
    /// 邮寄，行政机关签收.
    PostSigned,
    /// 平常信函等无需签收的邮寄方式.
    PostOrdinary,
    /// 互联网渠道 (online form of the portal).
    Online,
    /// 政府信息公开工作机构的传真.
    Fax,
    /// 电子邮件 — an internet channel under Art 31(3).
    Email,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::InPerson,
        Channel::PostSigned,
        Channel::PostOrdinary,
        Channel::Online,
        Channel::Fax,
        Channel::Email,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            Channel::InPerson => "当面提交",
            Channel::PostSigned => "邮寄（签收）",
            Channel::PostOrdinary => "平常信函",
            Channel::Online => "互联网渠道",
            Channel::Fax => "传真",
            Channel::Email => "电子邮件",
        }
    }

    /// The Art 31 rule that fixes the receipt date for this channel.
    pub const fn receipt_rule(self) -> &'static str {
        match self {
            Channel::InPerson => "以提交之日为收到申请之日",
            Channel::PostSigned => "以行政机关签收之日为收到申请之日",
            Channel::PostOrdinary => {
                "政府信息公开工作机构应当于收到申请的当日与申请人确认，确认之日为收到申请之日"
            }
            Channel::Online | Channel::Fax | Channel::Email => "以双方确认之日为收到申请之日",
        }
    }

    /// The item of Art 31 that states the rule.
    pub const fn article(self) -> &'static str {
        match self {
            Channel::InPerson => "条例第三十一条第（一）项",
            Channel::PostSigned | Channel::PostOrdinary => "条例第三十一条第（二）项",
            Channel::Online | Channel::Fax | Channel::Email => "条例第三十一条第（三）项",
        }
    }

    /// e.g. "平常信函：政府信息公开工作机构应当于收到申请的当日与申请人确认，确认之日为收到申请之日
    /// （条例第三十一条第（二）项）".
    pub fn description(self) -> String {
        format!(
            "{}：{}（{}）",
            self.label(),
            self.receipt_rule(),
            self.article()
        )
    }

    /// The 收到申请之日 under Art 31 from what the office knows: the day the application arrived
    /// (handed in, signed for, delivered, sent) and, where the channel needs one, the day it was
    /// confirmed with the applicant.
    pub fn receipt_date(
        self,
        arrived_on: NaiveDate,
        confirmed_on: Option<NaiveDate>,
    ) -> Result<NaiveDate, ReceiptDateError> {
        match self {
            // Art 31(1), (2) first half: the day of submission / signature.
            Channel::InPerson | Channel::PostSigned => Ok(arrived_on),
            // Art 31(2) second half, (3): the day of confirmation, which cannot precede arrival.
            Channel::PostOrdinary | Channel::Online | Channel::Fax | Channel::Email => {
                let confirmed = confirmed_on.ok_or(ReceiptDateError::ConfirmationMissing(self))?;
                if confirmed < arrived_on {
                    return Err(ReceiptDateError::ConfirmedBeforeArrival {
                        confirmed,
                        arrived: arrived_on,
                    });
                }
                Ok(confirmed)
            }
        }
    }
}

/// Why a receipt date cannot be fixed (Art 31).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptDateError {
    #[error("{}：请填写与申请人确认的日期（{}）", .0.description(), .0.article())]
    ConfirmationMissing(Channel),
    #[error("确认日期{confirmed}早于收到日期{arrived}，请核对")]
    ConfirmedBeforeArrival {
        confirmed: NaiveDate,
        arrived: NaiveDate,
    },
}

#[cfg(test)]
mod receipt_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn art_31_fixes_the_receipt_date_per_channel() {
        let (arrived, confirmed) = (d("2026-03-02"), Some(d("2026-03-04")));
        assert_eq!(
            Channel::InPerson.receipt_date(arrived, confirmed).unwrap(),
            arrived
        );
        assert_eq!(
            Channel::PostSigned.receipt_date(arrived, None).unwrap(),
            arrived
        );
        for c in [
            Channel::PostOrdinary,
            Channel::Online,
            Channel::Fax,
            Channel::Email,
        ] {
            assert_eq!(c.receipt_date(arrived, confirmed).unwrap(), d("2026-03-04"));
            assert!(matches!(
                c.receipt_date(arrived, None),
                Err(ReceiptDateError::ConfirmationMissing(_))
            ));
            assert!(c.receipt_date(arrived, Some(d("2026-03-01"))).is_err());
        }
    }
}

/// Whose opinion is sought while the reply clock stands still (条例 Art 33 ¶3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationParty {
    /// 第三方 whose rights disclosure may harm (Art 32).
    ThirdParty,
    /// Another organ that made the information jointly (Art 34).
    OtherOrgan,
}

impl ConsultationParty {
    pub const fn label(self) -> &'static str {
        match self {
            ConsultationParty::ThirdParty => "第三方",
            ConsultationParty::OtherOrgan => "其他机关",
        }
    }

    /// "征求第三方意见" / "征求其他机关意见".
    pub const fn activity(self) -> &'static str {
        match self {
            ConsultationParty::ThirdParty => "征求第三方意见",
            ConsultationParty::OtherOrgan => "征求其他机关意见",
        }
    }

    pub const fn article(self) -> &'static str {
        match self {
            ConsultationParty::ThirdParty => "条例第三十二条",
            ConsultationParty::OtherOrgan => "条例第三十四条",
        }
    }

    /// What happens when the consulted party stays silent past its 15 working days.
    pub const fn silence_rule(self) -> &'static str {
        match self {
            // Art 32: 第三方逾期未提出意见的，由行政机关依照本条例的规定决定是否公开.
            ConsultationParty::ThirdParty => "逾期未提出意见的，由行政机关依照条例规定决定是否公开",
            // Art 34: 逾期未提出意见的视为同意公开.
            ConsultationParty::OtherOrgan => "逾期未提出意见的视为同意公开",
        }
    }
}

/// One recorded step of an application. Events are given in date order; several on one day keep
/// the order given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClockEvent {
    /// The application was received; `on` is the receipt date under Art 31 for `channel`.
    Received { on: NaiveDate, channel: Channel },
    /// 补正告知 (Art 30): sent once, with a correction period in working days.
    CorrectionNotice {
        on: NaiveDate,
        period_working_days: u32,
    },
    /// The corrected application was received; the reply period restarts (Art 30).
    CorrectedReceived { on: NaiveDate },
    /// 延期 approved by the head of the disclosure office (Art 33 ¶2).
    Extension {
        on: NaiveDate,
        working_days: u32,
        approver: String,
    },
    /// 征求意见 started (Arts 32, 34); the reply clock stands still (Art 33 ¶3).
    ConsultationStarted {
        on: NaiveDate,
        party: ConsultationParty,
    },
    /// 征求意见 ended (opinion received, or the organ decides after the party's period ran out).
    ConsultationEnded { on: NaiveDate },
    /// The applicant received the 收费通知 on `on` (109号).
    FeeNotice {
        on: NaiveDate,
        #[serde(rename = "amount_fen")]
        amount: Money,
    },
    /// The applicant paid the fee.
    FeePaid { on: NaiveDate },
    /// The reply was made; closes the case.
    Replied { on: NaiveDate, outcome: Outcome },
    /// The applicant withdrew the application; closes the case.
    Withdrawn { on: NaiveDate },
}

impl ClockEvent {
    /// The date of the event.
    pub fn on(&self) -> NaiveDate {
        match self {
            ClockEvent::Received { on, .. }
            | ClockEvent::CorrectionNotice { on, .. }
            | ClockEvent::CorrectedReceived { on }
            | ClockEvent::Extension { on, .. }
            | ClockEvent::ConsultationStarted { on, .. }
            | ClockEvent::ConsultationEnded { on }
            | ClockEvent::FeeNotice { on, .. }
            | ClockEvent::FeePaid { on }
            | ClockEvent::Replied { on, .. }
            | ClockEvent::Withdrawn { on } => *on,
        }
    }

    /// The Chinese name of the kind of event, as used in error messages.
    pub fn label(&self) -> &'static str {
        match self {
            ClockEvent::Received { .. } => "收到申请",
            ClockEvent::CorrectionNotice { .. } => "补正告知",
            ClockEvent::CorrectedReceived { .. } => "收到补正",
            ClockEvent::Extension { .. } => "延期",
            ClockEvent::ConsultationStarted { .. } => "开始征求意见",
            ClockEvent::ConsultationEnded { .. } => "结束征求意见",
            ClockEvent::FeeNotice { .. } => "收费通知",
            ClockEvent::FeePaid { .. } => "缴费",
            ClockEvent::Replied { .. } => "答复",
            ClockEvent::Withdrawn { .. } => "撤回申请",
        }
    }
}
