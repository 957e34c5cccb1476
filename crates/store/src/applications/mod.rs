//! Disclosure applications (依申请公开, 条例 Arts 27–35): the case with the applicant's Art 29
//! content and its timeline of clock events.
//!
//! The event list is the truth. Every step appends one event and replays the WHOLE list with
//! [`gongkai_law::evaluate`] before anything is written: an order the law does not allow (a reply
//! before the receipt, a second extension past Art 33 ¶2's 20 working days, …) is refused with
//! the law crate's Chinese message and nothing is stored. The columns `state`, `due_on`,
//! `closed_on` and `outcome` are caches of that evaluation for lists; pages that show the clock
//! evaluate again for today ([`Applications::clock`]).
//!
//! Steps load the case with a row lock (PostgreSQL `SELECT … FOR UPDATE`; SQLite write
//! transactions are serialised by `BEGIN IMMEDIATE`) and check the version the officer saw, so
//! two officers acting at once cannot build an impossible timeline: the second is told to
//! reload ([`StoreError::StaleVersion`]).

mod applicant;
mod case_file;
mod deadlines;
mod ledger;
mod read;
mod report_year;
mod write;

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_calendar::Calendar;
use gongkai_law::{
    ApplicantType, Channel, ClockError, ClockEvent, ClockState, ClockStatus, Outcome, ProvisionForm,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Actor, Store, WriteTx, get_ts};
use crate::error::{Result, StoreError};
use crate::items::{get_date, get_opt_date};

pub use applicant::RepeatMatch;
pub use case_file::{
    ApplicationAttachment, DeliveredDocument, Delivery, DeliveryMethod, NewAttachment, Opinion,
    add_attachment, record_delivery, record_opinion,
};
pub use deadlines::{OpenTimeline, TIMELINE_BATCH_MAX};
pub use ledger::LedgerRow;
pub use read::{ApplicationEvent, ApplicationSummary, OpenCase, OpenFilter, OpenPage};
pub use report_year::{FeeCollected, ReportCase};
pub use write::{NewApplication, assign, create, record_event, record_event_with};

/// Longest 姓名或者名称.
pub const NAME_MAX: usize = 100;
/// Longest telephone number.
pub const PHONE_MAX: usize = 30;
/// Longest e-mail address.
pub const EMAIL_MAX: usize = 100;
/// Longest 通信地址.
pub const ADDRESS_MAX: usize = 200;
/// Longest description of the information wanted (Art 29 ¶2(2)).
pub const DESCRIPTION_MAX: usize = 2000;
/// Longest 获取信息的方式、途径 (Art 29 ¶2(3)).
pub const DELIVERY_MAX: usize = 200;
/// The `id_kind` of a 法人或其他组织: its 统一社会信用代码 (the person kinds are the
/// [`gongkai_law::IdDocumentKind`] keys).
pub const CREDIT_CODE_KIND: &str = "credit_code";
/// The prefix of tracking numbers (依申请).
pub const TRACKING_PREFIX: &str = "YSQ";

/// A stored application, with full personal data: show it only to roles that need it; lists use
/// [`ApplicationSummary`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Application {
    pub id: i64,
    pub organ_id: i64,
    /// What the applicant quotes, e.g. `YSQ2025K7M2QX`.
    pub tracking_no: String,
    pub applicant_type: ApplicantType,
    pub applicant_name: String,
    /// A [`gongkai_law::IdDocumentKind`] key, or [`CREDIT_CODE_KIND`].
    pub id_kind: String,
    /// Normalised by the law crate's validator.
    pub id_number: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub description: String,
    pub provision_form: ProvisionForm,
    pub delivery: String,
    /// Art 31 receipt channel.
    pub channel: Channel,
    /// Art 31 receipt date.
    pub received_on: NaiveDate,
    /// Cached [`ClockStatus`] as of the last step.
    pub state: ClockStatus,
    /// Cached reply due date (Art 33) as of the last step.
    pub due_on: Option<NaiveDate>,
    /// Set once a closing event (reply, withdrawal) is recorded.
    pub closed_on: Option<NaiveDate>,
    pub department_id: Option<i64>,
    /// The 科室's own deadline, set on assignment.
    pub internal_due_on: Option<NaiveDate>,
    pub outcome: Option<Outcome>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) const APPLICATION_COLUMNS: &str = "id, organ_id, tracking_no, applicant_type, \
     applicant_name, id_kind, id_number, phone, email, address, description, provision_form, \
     delivery, channel, received_on, state, due_on, closed_on, department_id, internal_due_on, \
     outcome, version, created_at, updated_at";

/// The serde key of a law-crate enum (they all serialise as snake_case strings, the same keys
/// as the report model and the API).
pub(crate) fn key_of<T: Serialize>(value: &T) -> Result<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        Ok(other) => Err(StoreError::Corrupt(format!("键值“{other}”"))),
        Err(e) => Err(StoreError::Corrupt(e.to_string())),
    }
}

pub(crate) fn from_key<T: DeserializeOwned>(what: &str, key: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(key.to_owned()))
        .map_err(|e| StoreError::Corrupt(format!("{what}“{key}”: {e}")))
}

fn from_opt_key<T: DeserializeOwned>(what: &str, key: Option<&str>) -> Result<Option<T>> {
    key.map(|k| from_key(what, k)).transpose()
}

pub(crate) fn application_from_row(row: &AnyRow) -> Result<Application> {
    let applicant_type: String = row.try_get("applicant_type")?;
    let provision_form: String = row.try_get("provision_form")?;
    let channel: String = row.try_get("channel")?;
    let state: String = row.try_get("state")?;
    let outcome: Option<String> = row.try_get("outcome")?;
    Ok(Application {
        id: row.try_get("id")?,
        organ_id: row.try_get("organ_id")?,
        tracking_no: row.try_get("tracking_no")?,
        applicant_type: from_key("申请人类型", &applicant_type)?,
        applicant_name: row.try_get("applicant_name")?,
        id_kind: row.try_get("id_kind")?,
        id_number: row.try_get("id_number")?,
        phone: row.try_get("phone")?,
        email: row.try_get("email")?,
        address: row.try_get("address")?,
        description: row.try_get("description")?,
        provision_form: from_key("提供形式", &provision_form)?,
        delivery: row.try_get("delivery")?,
        channel: from_key("收到申请渠道", &channel)?,
        received_on: get_date(row, "received_on")?,
        state: from_key("办理状态", &state)?,
        due_on: get_opt_date(row, "due_on")?,
        closed_on: get_opt_date(row, "closed_on")?,
        department_id: row.try_get("department_id")?,
        internal_due_on: get_opt_date(row, "internal_due_on")?,
        outcome: from_opt_key("办理结果", outcome.as_deref())?,
        version: row.try_get("version")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

/// A timeline the law refuses: the law crate's Chinese message is the one the officer needs.
pub(crate) fn clock_refused(err: ClockError) -> StoreError {
    StoreError::Rule(err.to_string())
}

/// The timelines in rows of `application_id`, `payload_json` ordered by case and `seq` (one query
/// for many cases), keeping only the cases `wanted` accepts.
pub(crate) fn timelines_from_rows(
    rows: &[AnyRow],
    wanted: impl Fn(i64) -> bool,
) -> Result<std::collections::HashMap<i64, Vec<ClockEvent>>> {
    let mut timelines: std::collections::HashMap<i64, Vec<ClockEvent>> =
        std::collections::HashMap::new();
    for row in rows {
        let id: i64 = row.try_get("application_id")?;
        if !wanted(id) {
            continue;
        }
        let payload: String = row.try_get("payload_json")?;
        let event: ClockEvent = serde_json::from_str(&payload)
            .map_err(|e| StoreError::Corrupt(format!("办理记录: {e}")))?;
        timelines.entry(id).or_default().push(event);
    }
    Ok(timelines)
}

/// Replays a timeline for `today`.
pub(crate) fn evaluate(
    events: &[ClockEvent],
    today: NaiveDate,
    calendar: &Calendar,
) -> Result<ClockState> {
    gongkai_law::evaluate(events, today, calendar).map_err(clock_refused)
}

/// Applications: `store.applications()`.
#[derive(Debug, Clone, Copy)]
pub struct Applications<'a> {
    pub(crate) store: &'a Store,
}

/// The one-transaction forms of the steps (the `pub async fn …(tx, …)` forms in this module let
/// a caller combine several writes).
impl Applications<'_> {
    /// Registers an application (public form or staff intake). Returns it with the secret the
    /// applicant needs for the tracking page — shown once, stored only as a hash.
    pub async fn create(
        &self,
        actor: &Actor,
        organ_id: i64,
        new: &NewApplication,
        calendar: &Calendar,
    ) -> Result<(Application, String)> {
        self.store
            .write(actor, async |tx| {
                write::create(tx, organ_id, new, calendar).await
            })
            .await
    }

    /// Appends one event to the timeline, if the officer saw version `expected_version` and the
    /// whole timeline stays possible. Returns the case and its clock for today.
    pub async fn record_event(
        &self,
        actor: &Actor,
        id: i64,
        event: ClockEvent,
        expected_version: i64,
        calendar: &Calendar,
    ) -> Result<(Application, ClockState)> {
        self.store
            .write(actor, async |tx| {
                write::record_event(tx, id, event, expected_version, calendar).await
            })
            .await
    }

    /// Assigns the case to a 科室 with an internal deadline (or clears the assignment).
    pub async fn assign(
        &self,
        actor: &Actor,
        id: i64,
        department_id: Option<i64>,
        internal_due_on: Option<NaiveDate>,
    ) -> Result<Application> {
        self.store
            .write(actor, async |tx| {
                write::assign(tx, id, department_id, internal_due_on).await
            })
            .await
    }
}

/// Loads a case inside a write transaction, locked until commit on PostgreSQL (READ COMMITTED
/// would otherwise let two officers both read version n and both append).
pub(crate) async fn load_locked(tx: &mut WriteTx, id: i64) -> Result<Application> {
    let lock = tx.row_lock();
    let row = crate::items::dyn_query(format!(
        "SELECT {APPLICATION_COLUMNS} FROM applications WHERE id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?;
    match row {
        Some(row) => application_from_row(&row),
        None => Err(StoreError::not_found("申请", id)),
    }
}
