//! The computed state of an application's clock.

use super::event::Channel;
use crate::outcome::{Outcome, ResultRow};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    /// The reply period is running.
    Running,
    /// A 补正告知 was sent; the reply clock is stopped until the corrected application arrives.
    AwaitingCorrection,
    /// A third party or another organ is being consulted; the reply clock is paused.
    PausedConsultation,
    /// A 收费通知 was received by the applicant; the reply clock is paused until payment.
    AwaitingPayment,
    /// Closed by a reply.
    Replied,
    /// Closed by withdrawal (table 三 row other_other).
    Withdrawn,
    /// Closed: the correction period ran out (条例 Art 30, row other_overdue_correction).
    ClosedOverdueCorrection,
    /// Closed: the fee was not paid in time (109号, row other_overdue_fee).
    ClosedOverdueFee,
}

impl ClockStatus {
    pub const fn label(self) -> &'static str {
        match self {
            ClockStatus::Running => "办理中",
            ClockStatus::AwaitingCorrection => "等待补正",
            ClockStatus::PausedConsultation => "征求意见中",
            ClockStatus::AwaitingPayment => "等待缴费",
            ClockStatus::Replied => "已答复",
            ClockStatus::Withdrawn => "已撤回",
            ClockStatus::ClosedOverdueCorrection => "逾期不补正，视为放弃申请",
            ClockStatus::ClosedOverdueFee => "逾期未缴费，视为放弃申请",
        }
    }

    /// Whether the application is finished (it then counts in a table-三 result row).
    pub const fn is_closed(self) -> bool {
        matches!(
            self,
            ClockStatus::Replied
                | ClockStatus::Withdrawn
                | ClockStatus::ClosedOverdueCorrection
                | ClockStatus::ClosedOverdueFee
        )
    }
}

/// Everything the back office needs to know about an application's deadlines on a given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockState {
    pub status: ClockStatus,
    /// The receipt date under 条例 Art 31.
    pub first_received_on: NaiveDate,
    pub channel: Channel,
    /// The day the reply period runs from: the receipt date, or the day the corrected application
    /// was received (Art 30: 答复期限自行政机关收到补正的申请之日起计算).
    pub received_on: NaiveDate,
    /// The reply due date (Art 33). While a consultation or a fee wait is open it is the due date
    /// if the pause ended today (it moves later each working day the pause lasts). `None` while
    /// waiting for a correction (the period has not restarted yet), after a withdrawal, and for
    /// cases closed as abandoned.
    pub due_date: Option<NaiveDate>,
    /// The applicant's own deadline: the end of the correction period (awaiting / closed overdue
    /// correction) or of the payment period (awaiting payment / closed overdue fee).
    pub applicant_due_date: Option<NaiveDate>,
    /// While a consultation is open: the end of the consulted party's 15 working days (Arts 32, 34).
    pub consultation_due_date: Option<NaiveDate>,
    /// Working days of extension granted for the current reply period (≤ 20, Art 33 ¶2).
    pub extension_working_days: u32,
    /// Working days of the finished pauses of the current reply period that were not counted.
    pub paused_working_days: u32,
    /// `working_days_between(today, due_date)`: working days left, negative when overdue. `None`
    /// when there is no due date or the case is closed.
    pub working_days_left: Option<i64>,
    /// Today is after the reply due date and the case is still open.
    pub overdue: bool,
    /// The reply was made after the reply due date.
    pub replied_late: bool,
    /// The day the case closed: the reply or withdrawal date, or for an abandoned case the day
    /// after the applicant's deadline ran out.
    pub closed_on: Option<NaiveDate>,
    /// The outcome of the reply, for a replied case.
    pub outcome: Option<Outcome>,
    /// The table-三 row a closed case is counted in.
    pub result_row: Option<ResultRow>,
    /// Irregularities that do not stop the computation, in Chinese.
    pub warnings: Vec<String>,
    /// The timeline in Chinese, one line per step, ending with where things stand today.
    pub explanation: Vec<String>,
}

impl ClockState {
    /// The report-model.md row key of a closed case.
    pub fn table3_row_key(&self) -> Option<&'static str> {
        self.result_row.map(ResultRow::key)
    }
}
