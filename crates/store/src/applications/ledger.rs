//! The case ledger (台账): every application received in a date range with its clock, for the
//! XLSX export and the year-end count (本年新收 / 上年结转 / 结转下年度 come from the dates, via
//! the law crate's `CaseDates`, never typed).

use super::timelines_from_rows;

use chrono::NaiveDate;
use gongkai_calendar::Calendar;
use gongkai_law::ClockState;
use serde::Serialize;

use super::{APPLICATION_COLUMNS, Application, Applications, application_from_row, evaluate};
use crate::error::{Result, StoreError};
use crate::items::{date_text, dyn_query};

/// Longest range of one ledger export, in days (about ten years): keeps one request bounded.
pub const LEDGER_MAX_DAYS: i64 = 3700;

/// One case of the ledger, with full personal data: the caller masks it for roles that may not
/// see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerRow {
    pub case: Application,
    pub clock: ClockState,
}

impl Applications<'_> {
    /// The applications of `organ_id` received from `from` to `to` (both included), by receipt
    /// date, each with its clock for today.
    pub async fn ledger(
        &self,
        organ_id: i64,
        from: NaiveDate,
        to: NaiveDate,
        calendar: &Calendar,
    ) -> Result<Vec<LedgerRow>> {
        if to < from {
            return Err(StoreError::Rule(format!(
                "截止日期{to}早于起始日期{from}，请核对"
            )));
        }
        if (to - from).num_days() > LEDGER_MAX_DAYS {
            return Err(StoreError::Rule(
                "一次导出的日期范围不能超过十年，请缩小范围".to_owned(),
            ));
        }
        let rows = dyn_query(format!(
            "SELECT {APPLICATION_COLUMNS} FROM applications \
             WHERE organ_id = $1 AND received_on >= $2 AND received_on <= $3 \
             ORDER BY received_on, id"
        ))
        .bind(organ_id)
        .bind(date_text(from))
        .bind(date_text(to))
        .fetch_all(self.store.pool())
        .await?;
        let apps: Vec<Application> = rows
            .iter()
            .map(application_from_row)
            .collect::<Result<_>>()?;
        let events = sqlx::query(
            "SELECT e.application_id, e.payload_json FROM application_events e \
             JOIN applications a ON a.id = e.application_id \
             WHERE a.organ_id = $1 AND a.received_on >= $2 AND a.received_on <= $3 \
             ORDER BY e.application_id, e.seq",
        )
        .bind(organ_id)
        .bind(date_text(from))
        .bind(date_text(to))
        .fetch_all(self.store.pool())
        .await?;
        let mut timelines = timelines_from_rows(&events, |_| true)?;
        let today = self.store.today();
        apps.into_iter()
            .map(|case| {
                let events = timelines.remove(&case.id).unwrap_or_default();
                let clock = evaluate(&events, today, calendar)?;
                Ok(LedgerRow { case, clock })
            })
            .collect()
    }
}
