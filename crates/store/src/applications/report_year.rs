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
