//! Where each organ's annual report of a year stands (条例第四十九条): its state and the date its
//! first version was published. Whether that was on time is judged by the caller with the one
//! deadline rule (`gongkai_annual::workflow::deadline`), which this crate cannot see.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use super::Supervision;
use crate::annual_reports::ReportStatus;
use crate::error::Result;
use crate::items::{ID_CHUNK, get_opt_date, ids_query};

/// An organ's report of one year, as far as supervision needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReportProgress {
    pub report_id: i64,
    pub status: ReportStatus,
    /// The publication date of version 1 (a later 更正 does not change when it was first
    /// published); `None` until published.
    pub first_published_on: Option<NaiveDate>,
}

impl Supervision<'_> {
    /// The report of `year` of each of `organ_ids` that has one (organs that never opened it are
    /// absent): one grouped query per [`ID_CHUNK`] organs.
    pub async fn report_progress(
        &self,
        organ_ids: &[i64],
        year: i32,
    ) -> Result<BTreeMap<i64, ReportProgress>> {
        let mut out = BTreeMap::new();
        for chunk in organ_ids.chunks(ID_CHUNK) {
            let n = chunk.len();
            let query = ids_query(chunk, |list| {
                format!(
                    "SELECT r.organ_id AS organ_id, r.id AS report_id, r.status AS status, \
                     MIN(v.published_on) AS first_published_on \
                     FROM annual_reports r LEFT JOIN annual_report_versions v ON v.report_id = r.id \
                     WHERE r.organ_id IN ({}) AND r.year = ${} \
                     GROUP BY r.organ_id, r.id, r.status",
                    list,
                    n + 1
                )
            });
            let rows = query
                .bind(i64::from(year))
                .fetch_all(self.store.pool())
                .await?;
            for row in &rows {
                let status: String = row.try_get("status")?;
                out.insert(
                    row.try_get("organ_id")?,
                    ReportProgress {
                        report_id: row.try_get("report_id")?,
                        status: ReportStatus::parse(&status)?,
                        first_published_on: get_opt_date(row, "first_published_on")?,
                    },
                );
            }
        }
        Ok(out)
    }
}
