//! Reads: a case, the applicant's tracking lookup, the timeline, the clock for today and the
//! open-cases list with masked personal data.

use super::timelines_from_rows;

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_calendar::Calendar;
use gongkai_law::{
    ApplicantType, Channel, ClockEvent, ClockState, ClockStatus, IdDocument, IdDocumentKind,
    mask_email, mask_phone,
};
use serde::Serialize;
use sqlx::Row;

use super::write::secret_hash;
use super::{
    APPLICATION_COLUMNS, Application, Applications, CREDIT_CODE_KIND, application_from_row,
    evaluate,
};
use crate::db::get_ts;
use crate::error::{Result, StoreError};
use crate::items::{date_text, dyn_query, get_date};

/// Largest page of the open-cases list.
pub const PER_PAGE_MAX: u32 = 200;

/// One recorded step of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationEvent {
    /// 1 for the receipt, then in recording order.
    pub seq: i64,
    pub event: ClockEvent,
    pub occurred_on: NaiveDate,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTime<Utc>,
    /// What the step carries besides its clock event (see `record_event_with`); `{}` if nothing.
    pub details: serde_json::Value,
}

/// A case for lists and exports: ID number and contacts masked by the law crate's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationSummary {
    pub id: i64,
    pub organ_id: i64,
    pub tracking_no: String,
    pub applicant_type: ApplicantType,
    pub applicant_name: String,
    pub id_kind: String,
    pub id_number_masked: String,
    pub phone_masked: String,
    pub email_masked: String,
    pub description: String,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub state: ClockStatus,
    pub due_on: Option<NaiveDate>,
    pub department_id: Option<i64>,
    pub internal_due_on: Option<NaiveDate>,
    pub version: i64,
}

impl Application {
    /// The masked view. A 统一社会信用代码 identifies an organisation, not a person, and is
    /// public (GB 32100-2015): it stays readable.
    pub fn summary(&self) -> ApplicationSummary {
        let id_number_masked = if self.id_kind == CREDIT_CODE_KIND {
            self.id_number.clone()
        } else {
            IdDocumentKind::from_key(&self.id_kind)
                .ok()
                .and_then(|k| IdDocument::parse_stored(k, &self.id_number).ok())
                .map(|d| d.masked())
                // Unreadable stored value: still never shown in full.
                .unwrap_or_else(|| mask_phone(&self.id_number))
        };
        let opt = |s: &str, f: fn(&str) -> String| if s.is_empty() { String::new() } else { f(s) };
        ApplicationSummary {
            id: self.id,
            organ_id: self.organ_id,
            tracking_no: self.tracking_no.clone(),
            applicant_type: self.applicant_type,
            applicant_name: self.applicant_name.clone(),
            id_kind: self.id_kind.clone(),
            id_number_masked,
            phone_masked: opt(&self.phone, mask_phone),
            email_masked: opt(&self.email, mask_email),
            description: self.description.clone(),
            channel: self.channel,
            received_on: self.received_on,
            state: self.state,
            due_on: self.due_on,
            department_id: self.department_id,
            internal_due_on: self.internal_due_on,
            version: self.version,
        }
    }
}

/// A line of the open-cases list: the masked case and its clock for today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenCase {
    pub case: ApplicationSummary,
    pub clock: ClockState,
}

/// A page of open cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenPage {
    pub cases: Vec<OpenCase>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

/// Narrows the open-cases list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenFilter {
    /// Only the cases assigned to this 科室 (its 承办人's tasks).
    pub department_id: Option<i64>,
    /// Only the cases whose reply due date is on or before this day (overdue and due soon).
    pub due_by: Option<NaiveDate>,
}

/// Compares in time independent of where the first difference is, so response timing does not
/// reveal how much of a guessed secret was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

fn event_from_row(row: &sqlx::any::AnyRow) -> Result<ApplicationEvent> {
    let payload: String = row.try_get("payload_json")?;
    let details: String = row.try_get("details_json")?;
    Ok(ApplicationEvent {
        seq: row.try_get("seq")?,
        event: serde_json::from_str(&payload)
            .map_err(|e| StoreError::Corrupt(format!("办理记录: {e}")))?,
        occurred_on: get_date(row, "occurred_on")?,
        recorded_by: row.try_get("recorded_by")?,
        recorded_at: get_ts(row, "recorded_at")?,
        details: serde_json::from_str(&details)
            .map_err(|e| StoreError::Corrupt(format!("办理记录详情: {e}")))?,
    })
}

impl Applications<'_> {
    /// The case with full personal data (log the view where the role needs it).
    pub async fn get(&self, id: i64) -> Result<Option<Application>> {
        let row = dyn_query(format!(
            "SELECT {APPLICATION_COLUMNS} FROM applications WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.store.pool())
        .await?;
        row.as_ref().map(application_from_row).transpose()
    }

    /// The applicant's lookup: `None` unless the tracking number exists AND the secret matches,
    /// so a wrong secret and an unknown number look the same.
    pub async fn by_tracking(
        &self,
        tracking_no: &str,
        secret: &str,
    ) -> Result<Option<Application>> {
        let tracking_no = tracking_no.trim().to_ascii_uppercase();
        let row = dyn_query(format!(
            "SELECT {APPLICATION_COLUMNS}, secret_hash FROM applications WHERE tracking_no = $1"
        ))
        .bind(&tracking_no)
        .fetch_optional(self.store.pool())
        .await?;
        let given = secret_hash(secret);
        let Some(row) = row else {
            // Same work as a hit, to keep timing flat.
            let _ = constant_time_eq(given.as_bytes(), given.as_bytes());
            return Ok(None);
        };
        let stored: String = row.try_get("secret_hash")?;
        if constant_time_eq(stored.as_bytes(), given.as_bytes()) {
            Ok(Some(application_from_row(&row)?))
        } else {
            Ok(None)
        }
    }

    /// The timeline, in order.
    pub async fn events(&self, id: i64) -> Result<Vec<ApplicationEvent>> {
        let rows = sqlx::query(
            "SELECT seq, payload_json, occurred_on, recorded_by, recorded_at, details_json \
             FROM application_events WHERE application_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    /// The clock of a case for today (Beijing date of the store's clock), with the explanation.
    pub async fn clock(&self, id: i64, calendar: &Calendar) -> Result<Option<ClockState>> {
        let events: Vec<ClockEvent> = self
            .events(id)
            .await?
            .into_iter()
            .map(|e| e.event)
            .collect();
        if events.is_empty() {
            return Ok(None);
        }
        evaluate(&events, self.store.today(), calendar).map(Some)
    }

    /// The cases of `organ_id` without a closing event, earliest reply due date first (cases
    /// awaiting a correction, whose period has not restarted, last), each with its clock for
    /// today. `page` is 1-based.
    pub async fn list_open(
        &self,
        organ_id: i64,
        page: u32,
        per_page: u32,
        calendar: &Calendar,
    ) -> Result<OpenPage> {
        self.list_open_filtered(organ_id, &OpenFilter::default(), page, per_page, calendar)
            .await
    }

    /// [`Applications::list_open`] narrowed by `filter` (one 科室's tasks, cases due by a day).
    pub async fn list_open_filtered(
        &self,
        organ_id: i64,
        filter: &OpenFilter,
        page: u32,
        per_page: u32,
        calendar: &Calendar,
    ) -> Result<OpenPage> {
        let page = page.max(1);
        let per_page = per_page.clamp(1, PER_PAGE_MAX);
        // The filter's conditions with their placeholders from $2 on ($1 is the organ).
        let mut conditions = String::new();
        let mut next = 2;
        if filter.department_id.is_some() {
            conditions.push_str(&format!(" AND department_id = ${next}"));
            next += 1;
        }
        if filter.due_by.is_some() {
            conditions.push_str(&format!(" AND due_on IS NOT NULL AND due_on <= ${next}"));
            next += 1;
        }
        let bind_filter = |q: sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments>| {
            let mut q = q.bind(organ_id);
            if let Some(d) = filter.department_id {
                q = q.bind(d);
            }
            if let Some(due) = filter.due_by {
                q = q.bind(date_text(due));
            }
            q
        };
        let total: i64 = bind_filter(dyn_query(format!(
            "SELECT COUNT(*) AS n FROM applications WHERE organ_id = $1 AND closed_on IS NULL{conditions}"
        )))
        .fetch_one(self.store.pool())
        .await?
        .try_get("n")?;
        let rows = bind_filter(dyn_query(format!(
            "SELECT {APPLICATION_COLUMNS} FROM applications \
             WHERE organ_id = $1 AND closed_on IS NULL{conditions} \
             ORDER BY CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, id \
             LIMIT ${next} OFFSET ${}",
            next + 1
        )))
        .bind(i64::from(per_page))
        .bind(i64::from(page - 1) * i64::from(per_page))
        .fetch_all(self.store.pool())
        .await?;
        let apps: Vec<Application> = rows
            .iter()
            .map(application_from_row)
            .collect::<Result<_>>()?;

        // One query for the timelines of the whole page.
        let mut timelines = std::collections::HashMap::new();
        if !apps.is_empty() {
            let placeholders: Vec<String> = (1..=apps.len()).map(|i| format!("${i}")).collect();
            let mut q = dyn_query(format!(
                "SELECT application_id, payload_json FROM application_events \
                 WHERE application_id IN ({}) ORDER BY application_id, seq",
                placeholders.join(", ")
            ));
            for app in &apps {
                q = q.bind(app.id);
            }
            let rows = q.fetch_all(self.store.pool()).await?;
            timelines = timelines_from_rows(&rows, |_| true)?;
        }
        let today = self.store.today();
        let mut cases = Vec::with_capacity(apps.len());
        for app in apps {
            let events = timelines.remove(&app.id).unwrap_or_default();
            let clock = evaluate(&events, today, calendar)?;
            cases.push(OpenCase {
                case: app.summary(),
                clock,
            });
        }
        Ok(OpenPage {
            cases,
            total,
            page,
            per_page,
        })
    }
}
