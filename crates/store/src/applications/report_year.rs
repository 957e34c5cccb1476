//! The applications of an organ that a report year counts (table 三 of the annual report): those
//! received by 31 December and not closed before 1 January, each with its clock evaluated today
//! (an abandoned case closes on the lapse of the applicant's period even before the officer
//! files it, so the clock, not the cached column, says when it closed).

use super::timelines_from_rows;

use gongkai_calendar::Calendar;
use gongkai_law::{ApplicantType, ClockState};
use sqlx::Row;

use super::{Applications, evaluate, from_key};
use crate::error::Result;

/// One case for the report: its id, applicant type and clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportCase {
    pub id: i64,
    pub applicant_type: ApplicantType,
    pub clock: ClockState,
}

impl Applications<'_> {
    /// The cases `year` may count for `organ_id`, by id.
    pub async fn report_cases(
        &self,
        organ_id: i64,
        year: i32,
        calendar: &Calendar,
    ) -> Result<Vec<ReportCase>> {
        let (first, last) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
        // `closed_on` is cached for closing events only; an abandoned case without its filing
        // event has none and is kept here, then judged by its clock.
        let rows = sqlx::query(
            "SELECT a.id AS application_id, a.applicant_type AS applicant_type, \
             e.payload_json AS payload_json \
             FROM applications a JOIN application_events e ON e.application_id = a.id \
             WHERE a.organ_id = $1 AND a.received_on <= $2 \
             AND (a.closed_on IS NULL OR a.closed_on >= $3) ORDER BY a.id, e.seq",
        )
        .bind(organ_id)
        .bind(&last)
        .bind(&first)
        .fetch_all(self.store.pool())
        .await?;
        let mut timelines = timelines_from_rows(&rows, |_| true)?;
        // The applicant type of each case, in id order (the rows come ordered by case).
        let mut order: Vec<(i64, ApplicantType)> = Vec::new();
        for row in &rows {
            let id: i64 = row.try_get("application_id")?;
            if order.last().is_none_or(|(last, _)| *last != id) {
                let kind: String = row.try_get("applicant_type")?;
                order.push((id, from_key("申请人类型", &kind)?));
            }
        }
        let today = self.store.today();
        let mut out = Vec::with_capacity(order.len());
        for (id, applicant_type) in order {
            let events = timelines.remove(&id).unwrap_or_default();
            out.push(ReportCase {
                id,
                applicant_type,
                clock: evaluate(&events, today, calendar)?,
            });
        }
        Ok(out)
    }
}

/// A processing fee (信息处理费, 国办函〔2020〕109号) paid in the report year: for section 六 of
/// the report, which states the fees collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeeCollected {
    pub application_id: i64,
    pub paid_on: chrono::NaiveDate,
    pub amount: gongkai_law::Money,
}

impl Applications<'_> {
    /// The fees of `organ_id` paid in `year`: each 缴费 event dated in the year with the amount
    /// of the case's 收费通知 (a case has at most one, the clock engine refuses a second).
    pub async fn fees_collected(&self, organ_id: i64, year: i32) -> Result<Vec<FeeCollected>> {
        let (first, last) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
        let rows = sqlx::query(
            "SELECT p.application_id AS application_id, p.occurred_on AS paid_on, \
             n.payload_json AS notice \
             FROM application_events p \
             JOIN applications a ON a.id = p.application_id \
             JOIN application_events n ON n.application_id = p.application_id \
                  AND n.kind = 'fee_notice' \
             WHERE a.organ_id = $1 AND p.kind = 'fee_paid' \
             AND p.occurred_on >= $2 AND p.occurred_on <= $3 ORDER BY p.application_id",
        )
        .bind(organ_id)
        .bind(&first)
        .bind(&last)
        .fetch_all(self.store.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let notice: String = row.try_get("notice")?;
            let event: gongkai_law::ClockEvent = serde_json::from_str(&notice)
                .map_err(|e| crate::StoreError::Corrupt(format!("收费通知: {e}")))?;
            let gongkai_law::ClockEvent::FeeNotice { amount, .. } = event else {
                continue;
            };
            out.push(FeeCollected {
                application_id: row.try_get("application_id")?,
                paid_on: crate::items::get_date(row, "paid_on")?,
                amount,
            });
        }
        Ok(out)
    }
}
