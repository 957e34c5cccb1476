//! Open cases with their whole timelines, for work that runs across every organ (the deadline
//! reminder sweep): the caller evaluates each clock for its own `today`.

use super::timelines_from_rows;

use gongkai_law::ClockEvent;

use super::{APPLICATION_COLUMNS, Application, Applications, application_from_row};
use crate::error::Result;
use crate::items::dyn_query;

/// Largest batch of [`Applications::open_timelines`].
pub const TIMELINE_BATCH_MAX: u32 = 500;

/// An open case (no closing event) and its recorded events, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenTimeline {
    pub application: Application,
    pub events: Vec<ClockEvent>,
}

impl Applications<'_> {
    /// The open cases of every organ with `id > after_id`, by id, at most `limit` (≤
    /// [`TIMELINE_BATCH_MAX`]): page through all of them by passing the last id back.
    pub async fn open_timelines(&self, after_id: i64, limit: u32) -> Result<Vec<OpenTimeline>> {
        let limit = limit.clamp(1, TIMELINE_BATCH_MAX);
        let rows = dyn_query(format!(
            "SELECT {APPLICATION_COLUMNS} FROM applications \
             WHERE closed_on IS NULL AND id > $1 ORDER BY id LIMIT $2"
        ))
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(self.store.pool())
        .await?;
        let apps: Vec<Application> = rows
            .iter()
            .map(application_from_row)
            .collect::<Result<_>>()?;
        let (Some(first), Some(last)) = (apps.first(), apps.last()) else {
            return Ok(Vec::new());
        };
        // One range query for the batch's events; events of cases outside the batch (closed
        // ones) are skipped below. A case closed between the two queries keeps its closing
        // event, so its clock says closed.
        let rows = sqlx::query(
            "SELECT application_id, payload_json FROM application_events \
             WHERE application_id >= $1 AND application_id <= $2 \
             ORDER BY application_id, seq",
        )
        .bind(first.id)
        .bind(last.id)
        .fetch_all(self.store.pool())
        .await?;
        let wanted: std::collections::HashSet<i64> = apps.iter().map(|a| a.id).collect();
        let mut timelines = timelines_from_rows(&rows, |id| wanted.contains(&id))?;
        Ok(apps
            .into_iter()
            .map(|application| OpenTimeline {
                events: timelines.remove(&application.id).unwrap_or_default(),
                application,
            })
            .collect())
    }
}
