//! The applications of an organ that a report year counts (table 三 of the annual report): those
//! received by 31 December and not closed before 1 January, each with its clock evaluated today
//! (an abandoned case closes on the lapse of the applicant's period even before the officer
//! files it, so the clock, not the cached column, says when it closed).

use std::collections::BTreeMap;

use futures_util::TryStreamExt;
use gongkai_calendar::Calendar;
use gongkai_law::{ApplicantType, ClockEvent, ClockState};
use sqlx::Row;

use super::{Applications, evaluate, from_key};
use crate::error::{Result, StoreError};
use crate::items::{ID_CHUNK, dyn_query, placeholders};

/// One case for the report: its id, applicant type and clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportCase {
    pub id: i64,
    pub applicant_type: ApplicantType,
    pub clock: ClockState,
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

    /// [`Applications::report_cases`] of several organs at once (a district aggregate): one
    /// query per [`ID_CHUNK`] organs, read row by row, so memory holds the evaluated cases and not
    /// every event row. Every organ asked for has an entry, empty if it has no case.
    pub async fn report_cases_for(
        &self,
        organ_ids: &[i64],
        year: i32,
        calendar: &Calendar,
    ) -> Result<BTreeMap<i64, Vec<ReportCase>>> {
        let (first, last) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
        let today = self.store.today();
        let mut out: BTreeMap<i64, Vec<ReportCase>> =
            organ_ids.iter().map(|id| (*id, Vec::new())).collect();
        let mut finish = |case: Pending| -> Result<()> {
            let clock = evaluate(&case.events, today, calendar)?;
            out.entry(case.organ_id).or_default().push(ReportCase {
                id: case.id,
                applicant_type: case.applicant_type,
                clock,
            });
            Ok(())
        };
        for chunk in organ_ids.chunks(ID_CHUNK) {
            // `closed_on` is cached for closing events only; an abandoned case without its
            // filing event has none and is kept here, then judged by its clock.
            let n = chunk.len();
            let mut query = dyn_query(format!(
                "SELECT a.id AS application_id, a.organ_id AS organ_id, \
                 a.applicant_type AS applicant_type, e.payload_json AS payload_json \
                 FROM applications a JOIN application_events e ON e.application_id = a.id \
                 WHERE a.organ_id IN ({}) AND a.received_on <= ${} \
                 AND (a.closed_on IS NULL OR a.closed_on >= ${}) ORDER BY a.id, e.seq",
                placeholders(1, n),
                n + 1,
                n + 2
            ));
            for id in chunk {
                query = query.bind(*id);
            }
            let mut rows = query
                .bind(last.clone())
                .bind(first.clone())
                .fetch(self.store.pool());
            // The rows come ordered by case, then by event: a case is complete when the next
            // one starts.
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
    ) -> Result<std::collections::BTreeMap<i64, Vec<FeeCollected>>> {
        let (first, last) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
        let mut out: std::collections::BTreeMap<i64, Vec<FeeCollected>> =
            organ_ids.iter().map(|id| (*id, Vec::new())).collect();
        for chunk in organ_ids.chunks(crate::items::ID_CHUNK) {
            let n = chunk.len();
            let mut query = crate::items::dyn_query(format!(
                "SELECT a.organ_id AS organ_id, p.application_id AS application_id, \
                 p.occurred_on AS paid_on, n.payload_json AS notice \
                 FROM application_events p \
                 JOIN applications a ON a.id = p.application_id \
                 JOIN application_events n ON n.application_id = p.application_id \
                      AND n.kind = 'fee_notice' \
                 WHERE a.organ_id IN ({}) AND p.kind = 'fee_paid' \
                 AND p.occurred_on >= ${} AND p.occurred_on <= ${} ORDER BY p.application_id",
                crate::items::placeholders(1, n),
                n + 1,
                n + 2
            ));
            for id in chunk {
                query = query.bind(*id);
            }
            let rows = query
                .bind(&first)
                .bind(&last)
                .fetch_all(self.store.pool())
                .await?;
            for row in &rows {
                let notice: String = row.try_get("notice")?;
                let event: gongkai_law::ClockEvent = serde_json::from_str(&notice)
                    .map_err(|e| crate::StoreError::Corrupt(format!("收费通知: {e}")))?;
                let gongkai_law::ClockEvent::FeeNotice { amount, .. } = event else {
                    continue;
                };
                let organ_id: i64 = row.try_get("organ_id")?;
                out.entry(organ_id).or_default().push(FeeCollected {
                    application_id: row.try_get("application_id")?,
                    paid_on: crate::items::get_date(row, "paid_on")?,
                    amount,
                });
            }
        }
        Ok(out)
    }
}
