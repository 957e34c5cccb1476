//! The Chinese lines of a clock's explanation. Kept apart from the rules so that the wording can
//! be reviewed in one place.

use super::event::{Channel, ConsultationParty};
use super::{CONSULTATION_REPLY_WORKING_DAYS, FEE_PAYMENT_WORKING_DAYS, REPLY_PERIOD_WORKING_DAYS};
use crate::money::Money;
use crate::outcome::{Outcome, ResultRow};
use chrono::NaiveDate;

pub(super) fn received(on: NaiveDate, channel: Channel, due: NaiveDate) -> String {
    format!(
        "{on} 收到申请（{}：{}，{}）；答复期限为收到申请之日起{REPLY_PERIOD_WORKING_DAYS}个工作日\
         （条例第三十三条第二款），第{REPLY_PERIOD_WORKING_DAYS}个工作日为{due}。",
        channel.label(),
        channel.receipt_rule(),
        channel.article()
    )
}

pub(super) fn late_correction_notice(latest: NaiveDate) -> String {
    format!("补正告知晚于收到申请后第7个工作日（{latest}），不符合条例第三十条。")
}

pub(super) fn correction_notice(on: NaiveDate, period: u32, due: NaiveDate) -> String {
    format!(
        "{on} 一次性告知申请人补正（条例第三十条），补正期限{period}个工作日，至{due}；\
         等待补正期间答复期限停止计算，收到补正的申请后重新计算。"
    )
}

pub(super) fn late_correction(on: NaiveDate, due: NaiveDate) -> String {
    format!(
        "收到补正的申请（{on}）晚于补正期限（{due}）：申请人无正当理由逾期不补正的，视为放弃申请\
         （条例第三十条）；继续办理须确认申请人有正当理由，并在案卷中记明。"
    )
}

pub(super) fn corrected(on: NaiveDate, due: NaiveDate, lapsed_extension: u32) -> String {
    let lapsed = if lapsed_extension > 0 {
        format!("此前延期的{lapsed_extension}个工作日随原期限一并失效。")
    } else {
        String::new()
    };
    format!(
        "{on} 收到补正的申请，答复期限自该日起重新计算（条例第三十条），\
         第{REPLY_PERIOD_WORKING_DAYS}个工作日为{due}。{lapsed}"
    )
}

pub(super) fn extension(on: NaiveDate, days: u32, approver: &str, due: NaiveDate) -> String {
    format!(
        "{on} 延期{days}个工作日（经 {approver} 同意，条例第三十三条第二款），答复期限延至{due}。"
    )
}

pub(super) fn consultation_after_due(on: NaiveDate, due: NaiveDate) -> String {
    format!(
        "开始征求意见（{on}）时答复期限（{due}）已经届满：征求意见的时间不能使已届满的答复期限顺延。"
    )
}

pub(super) fn consultation_started(
    on: NaiveDate,
    party: ConsultationParty,
    party_due: NaiveDate,
) -> String {
    format!(
        "{on} 开始{}（{}），{}应自收到征求意见书之日起{CONSULTATION_REPLY_WORKING_DAYS}个工作日内\
         提出意见（自{on}起算，至{party_due}），{}；征求意见期间答复期限暂停计算（条例第三十三条第三款）。",
        party.activity(),
        party.article(),
        party.label(),
        party.silence_rule()
    )
}

/// The due date after a pause ended: moved, or unchanged when the pause began after it.
fn shifted(before: NaiveDate, after: NaiveDate) -> String {
    if after > before {
        format!("答复期限顺延至{after}")
    } else {
        format!("答复期限仍为{after}")
    }
}

pub(super) fn consultation_ended(
    party: ConsultationParty,
    since: NaiveDate,
    on: NaiveDate,
    days: u32,
    before: NaiveDate,
    after: NaiveDate,
) -> String {
    format!(
        "{} {since} 至 {on}，期间{days}个工作日不计入答复期限（条例第三十三条第三款），{}。",
        party.activity(),
        shifted(before, after)
    )
}

pub(super) fn consultation_overran(
    party: ConsultationParty,
    on: NaiveDate,
    party_due: NaiveDate,
) -> String {
    format!(
        "{}至{on}才结束，已超过{}提出意见的期限（{party_due}，{}）：{}，期限届满后应及时恢复办理。",
        party.activity(),
        party.label(),
        party.article(),
        party.silence_rule()
    )
}

pub(super) fn consultation_overdue_today(party: ConsultationParty, party_due: NaiveDate) -> String {
    format!(
        "{}提出意见的期限已于{party_due}届满（{}）：{}，请及时登记结束征求意见并恢复办理。",
        party.label(),
        party.article(),
        party.silence_rule()
    )
}

pub(super) fn late_fee_notice(on: NaiveDate, due: NaiveDate) -> String {
    format!(
        "收费通知（{on}）晚于答复期限（{due}）：收费通知应当在申请的办理期限内发出（国办函〔2020〕109号）。"
    )
}

pub(super) fn fee_notice(on: NaiveDate, amount: Money, pay_due: NaiveDate) -> String {
    format!(
        "{on} 申请人收到收费通知，信息处理费{amount}（国办函〔2020〕109号），\
         应自收到通知次日起{FEE_PAYMENT_WORKING_DAYS}个工作日内缴纳，缴费期限至{pay_due}；\
         等待缴费期间答复期限暂停计算。"
    )
}

pub(super) fn fee_paid(
    notice_on: NaiveDate,
    on: NaiveDate,
    days: u32,
    before: NaiveDate,
    after: NaiveDate,
) -> String {
    format!(
        "{on} 申请人缴纳信息处理费；等待缴费 {notice_on} 至 {on}，期间{days}个工作日不计入答复期限，{}。",
        shifted(before, after)
    )
}

fn row(row: ResultRow) -> String {
    format!("计入年度报告表三“{}”", row.label())
}

pub(super) fn replied(on: NaiveDate, outcome: Outcome, due: NaiveDate, late_by: i64) -> String {
    let timing = if on <= due {
        format!("在答复期限（{due}）内")
    } else if late_by > 0 {
        format!("晚于答复期限（{due}）{late_by}个工作日")
    } else {
        format!("晚于答复期限（{due}）")
    };
    format!(
        "{on} 答复：{}（{}），{timing}；{}。",
        outcome.label(),
        outcome.article(),
        row(outcome.table3_row())
    )
}

/// The formal notice of a case already deemed abandoned: no reply period applies any more.
pub(super) fn abandonment_notice(on: NaiveDate, outcome: Outcome) -> String {
    format!(
        "{on} 告知申请人：{}（{}）；{}。",
        outcome.label(),
        outcome.article(),
        row(outcome.table3_row())
    )
}

pub(super) fn withdrawn(on: NaiveDate) -> String {
    format!(
        "{on} 申请人撤回申请，办理终结；{}。",
        row(ResultRow::OtherOther)
    )
}

pub(super) fn correction_lapsed(due: NaiveDate) -> String {
    format!(
        "补正期限（{due}）届满，申请人未补正，视为放弃申请，行政机关不再处理该申请（条例第三十条）；{}。",
        row(ResultRow::OtherOverdueCorrection)
    )
}

pub(super) fn payment_lapsed(due: NaiveDate) -> String {
    format!(
        "缴费期限（{due}）届满，申请人未缴纳信息处理费，视为放弃申请，行政机关不再处理该申请\
         （国办函〔2020〕109号）；{}。",
        row(ResultRow::OtherOverdueFee)
    )
}

/// Where a running clock stands today.
pub(super) fn running_today(today: NaiveDate, due: NaiveDate, left: i64) -> String {
    if left > 0 {
        format!("截至{today}，距答复期限（{due}）还有{left}个工作日。")
    } else if today == due {
        format!("截至{today}，今天是答复期限的最后一日。")
    } else if today > due && left < 0 {
        format!("截至{today}，已逾期{}个工作日（答复期限为{due}）。", -left)
    } else if today > due {
        format!("截至{today}，已超过答复期限（{due}）。")
    } else {
        format!("截至{today}，答复期限为{due}。")
    }
}

/// What is left of a paused clock.
fn remaining(today: NaiveDate, due: NaiveDate, left: i64) -> String {
    if left > 0 {
        format!("尚余{left}个工作日，如今日结束暂停，答复期限为{due}")
    } else if today > due {
        format!("答复期限（{due}）在暂停前已经届满")
    } else {
        format!("今天是答复期限的最后一日（{due}）")
    }
}

pub(super) fn consulting_today(
    today: NaiveDate,
    party: ConsultationParty,
    since: NaiveDate,
    party_due: NaiveDate,
    due: NaiveDate,
    left: i64,
) -> String {
    format!(
        "截至{today}，正在{}（自{since}起，{}提出意见的期限至{party_due}），答复期限暂停计算；{}。",
        party.activity(),
        party.label(),
        remaining(today, due, left)
    )
}

pub(super) fn awaiting_payment_today(
    today: NaiveDate,
    pay_due: NaiveDate,
    due: NaiveDate,
    left: i64,
) -> String {
    format!(
        "截至{today}，正在等待申请人缴纳信息处理费（缴费期限至{pay_due}），答复期限暂停计算；{}。",
        remaining(today, due, left)
    )
}

pub(super) fn awaiting_correction_today(today: NaiveDate, due: NaiveDate) -> String {
    format!(
        "截至{today}，正在等待申请人补正（补正期限至{due}）；收到补正的申请后，\
         答复期限重新计算{REPLY_PERIOD_WORKING_DAYS}个工作日。"
    )
}
