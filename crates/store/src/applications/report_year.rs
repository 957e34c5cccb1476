//! The applications of an organ that a report year counts (table 三 of the annual report): those
//! received by 31 December and not closed before 1 January, each with the two dates and the result
//! row that place it in the table.
//!
//! Two reads, so that a district of 1,000 organs builds in seconds (issue 7): a case closed by a
//! reply or a withdrawal has its closing date and table-三 row cached on its row when the closing
//! event was recorded (`closed_on`, `result_row`; rows closed before the column existed were filled
//! by its migration), and is read as that one index entry; every other case — still open, or
//! abandoned by the lapse of the applicant's period (Art 30, 109号) before the officer filed it —
//! has its timeline replayed and its clock evaluated today, because only the clock says whether and
//! when it closed.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use gongkai_calendar::Calendar;
use gongkai_law::{ApplicantType, ClockEvent, ResultRow};
use sqlx::Row;

use super::{Applications, evaluate, from_key};
use crate::error::{Result, StoreError};
use crate::items::{ID_CHUNK, dyn_query, get_date, get_opt_date, ids_query, placeholders};

/// One case for the report: what places it in table 三.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportCase {
    pub id: i64,
    pub applicant_type: ApplicantType,
    /// The Art 31 receipt date of the original application (a 补正 does not move it).
    pub received_on: NaiveDate,
    /// The reply or withdrawal date, or the day an abandoned case closed; `None` while open.
    pub closed_on: Option<NaiveDate>,
    /// The table-三 row of a closed case.
    pub result_row: Option<ResultRow>,
}

/// The case whose event rows are being read, before its clock is evaluated.
struct Pending {
    id: i64,
    organ_id: i64,
    applicant_type: ApplicantType,
    events: Vec<ClockEvent>,
}

impl Applications<'_> {
    /// The cases `year` may count for `organ_id`, by id.
    pub async fn report_cases(
        &self,
        organ_id: i64,
        year: i32,
        calendar: &Calendar,
    ) -> Result<Vec<ReportCase>> {
        let mut by_organ = self.report_cases_for(&[organ_id], year, calendar).await?;
        Ok(by_organ.remove(&organ_id).unwrap_or_default())
    }

    /// [`Applications::report_cases`] of several organs at once (a district aggregate): per
    /// [`ID_CHUNK`] organs, one query for the cached closed cases and one for the timelines of the
    /// others, read row by row, so memory holds the cases and not every event row. Every organ
    /// asked for has an entry, empty if it has no case; each organ's cases are in id order.
    pub async fn report_cases_for(
        &self,
        organ_ids: &[i64],
        year: i32,
        calendar: &Calendar,
    ) -> Result<BTreeMap<i64, Vec<ReportCase>>> {
        let (first, last) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
        let mut out: BTreeMap<i64, Vec<ReportCase>> =
            organ_ids.iter().map(|id| (*id, Vec::new())).collect();
        for chunk in organ_ids.chunks(ID_CHUNK) {
            self.closed_cases(chunk, &first, &last, &mut out).await?;
            self.evaluated_cases(chunk, &last, calendar, &mut out)
                .await?;
        }
        for cases in out.values_mut() {
            cases.sort_unstable_by_key(|c| c.id);
        }
        Ok(out)
    }

    /// The cases closed on or after `first` by a recorded reply or withdrawal, from their cached
    /// columns.
    async fn closed_cases(
        &self,
        organs: &[i64],
        first: &str,
        last: &str,
        out: &mut BTreeMap<i64, Vec<ReportCase>>,
    ) -> Result<()> {
        let n = organs.len();
        let mut query = dyn_query(format!(
            "SELECT id, organ_id, applicant_type, received_on, closed_on, result_row \
             FROM applications WHERE organ_id IN ({}) AND closed_on >= ${} \
             AND received_on <= ${} AND result_row IS NOT NULL",
            placeholders(1, n),
            n + 1,
            n + 2
        ));
        for id in organs {
            query = query.bind(*id);
        }
        let mut rows = query.bind(first).bind(last).fetch(self.store.pool());
        while let Some(row) = rows.try_next().await? {
            let kind: String = row.try_get("applicant_type")?;
            let result_row: String = row.try_get("result_row")?;
            let organ_id: i64 = row.try_get("organ_id")?;
            out.entry(organ_id).or_default().push(ReportCase {
                id: row.try_get("id")?,
                applicant_type: from_key("申请人类型", &kind)?,
                received_on: get_date(&row, "received_on")?,
                closed_on: get_opt_date(&row, "closed_on")?,
                result_row: Some(from_key("办理结果", &result_row)?),
            });
        }
        Ok(())
    }

    /// The cases received by `last` without a closing event: their timelines replayed and
    /// evaluated today.
    async fn evaluated_cases(
        &self,
        organs: &[i64],
        last: &str,
        calendar: &Calendar,
        out: &mut BTreeMap<i64, Vec<ReportCase>>,
    ) -> Result<()> {
        let today = self.store.today();
        let mut finish = |case: Pending| -> Result<()> {
            let clock = evaluate(&case.events, today, calendar)?;
            out.entry(case.organ_id).or_default().push(ReportCase {
                id: case.id,
                applicant_type: case.applicant_type,
                received_on: clock.first_received_on,
                closed_on: clock.closed_on,
                result_row: clock.result_row,
            });
            Ok(())
        };
        let n = organs.len();
        let mut query = dyn_query(format!(
            "SELECT a.id AS application_id, a.organ_id AS organ_id, \
             a.applicant_type AS applicant_type, e.payload_json AS payload_json \
             FROM applications a JOIN application_events e ON e.application_id = a.id \
             WHERE a.organ_id IN ({}) AND a.received_on <= ${} AND a.closed_on IS NULL \
             ORDER BY a.organ_id, a.id, e.seq",
            placeholders(1, n),
            n + 1
        ));
        for id in organs {
            query = query.bind(*id);
        }
        let mut rows = query.bind(last).fetch(self.store.pool());
        // The rows come ordered by case, then by event: a case is complete when the next one
        // starts.
        let mut pending: Option<Pending> = None;
        while let Some(row) = rows.try_next().await? {
            let id: i64 = row.try_get("application_id")?;
            if pending.as_ref().is_none_or(|p| p.id != id) {
                if let Some(done) = pending.take() {
                    finish(done)?;
                }
                let kind: String = row.try_get("applicant_type")?;
                pending = Some(Pending {
                    id,
                    organ_id: row.try_get("organ_id")?,
                    applicant_type: from_key("申请人类型", &kind)?,
                    events: Vec::new(),
                });
            }
            let payload: String = row.try_get("payload_json")?;
            let event: ClockEvent = serde_json::from_str(&payload)
                .map_err(|e| StoreError::Corrupt(format!("办理记录: {e}")))?;
            if let Some(p) = pending.as_mut() {
                p.events.push(event);
            }
        }
        if let Some(done) = pending.take() {
            finish(done)?;
        }
        Ok(())
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
        Ok(self
            .fees_collected_for(&[organ_id], year)
            .await?
            .remove(&organ_id)
            .unwrap_or_default())
    }

    /// [`Applications::fees_collected`] of many organs, one query per chunk of organs.
    pub async fn fees_collected_for(
        &self,
        organ_ids: &[i64],
        year: i32,
    ) -> Result<BTreeMap<i64, Vec<FeeCollected>>> {
        let (first, last) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
        let mut out: BTreeMap<i64, Vec<FeeCollected>> =
            organ_ids.iter().map(|id| (*id, Vec::new())).collect();
        for chunk in organ_ids.chunks(ID_CHUNK) {
            let n = chunk.len();
            // Driven by the year's 缴费 events (index `application_events_fee_paid`): CROSS JOIN
            // keeps SQLite from starting at the organs' cases and walking every event of each;
            // no ORDER BY for the same reason (sorted below).
            let query = ids_query(chunk, |list| {
                format!(
                    "SELECT a.organ_id AS organ_id, p.application_id AS application_id, \
                     p.occurred_on AS paid_on, n.payload_json AS notice \
                     FROM application_events p CROSS JOIN applications a \
                     JOIN application_events n ON n.application_id = p.application_id \
                          AND n.kind = 'fee_notice' \
                     WHERE a.id = p.application_id AND a.organ_id IN ({}) \
                     AND p.kind = 'fee_paid' AND p.occurred_on >= ${} AND p.occurred_on <= ${}",
                    list,
                    n + 1,
                    n + 2
                )
            });
            let rows = query
                .bind(&first)
                .bind(&last)
                .fetch_all(self.store.pool())
                .await?;
            for row in &rows {
                let notice: String = row.try_get("notice")?;
                let event: ClockEvent = serde_json::from_str(&notice)
                    .map_err(|e| StoreError::Corrupt(format!("收费通知: {e}")))?;
                let ClockEvent::FeeNotice { amount, .. } = event else {
                    continue;
                };
                let organ_id: i64 = row.try_get("organ_id")?;
                out.entry(organ_id).or_default().push(FeeCollected {
                    application_id: row.try_get("application_id")?,
                    paid_on: get_date(row, "paid_on")?,
                    amount,
                });
            }
        }
        for fees in out.values_mut() {
            fees.sort_unstable_by_key(|f| (f.application_id, f.paid_on));
        }
        Ok(out)
    }
}
