//! Writes: intake, clock events, assignment. Each appends its audit entry in the same
//! transaction.

use chrono::{Datelike, NaiveDate};
use gongkai_calendar::Calendar;
use gongkai_law::{
    ApplicantType, Channel, ClockEvent, ClockState, CreditCode, IdDocument, IdDocumentKind,
    ProvisionForm,
};
use sha2::{Digest, Sha256};

use super::{
    ADDRESS_MAX, APPLICATION_COLUMNS, Application, CREDIT_CODE_KIND, DELIVERY_MAX, DESCRIPTION_MAX,
    EMAIL_MAX, NAME_MAX, PHONE_MAX, TRACKING_PREFIX, application_from_row, evaluate, key_of,
    load_locked,
};
use crate::audit::AuditEntry;
use crate::db::{WriteTx, ts};
use crate::error::{Result, StoreError, ValidationError};
use crate::items::{date_text, dyn_query};

/// Base32 without 0/O/1/I: read aloud or typed from a letter, nothing is ambiguous. 32 symbols,
/// so `byte & 31` picks one without bias.
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Random part of a tracking number: 32^6 ≈ 10^9 per year, collisions retried.
const TRACKING_RANDOM_CHARS: usize = 6;
/// The applicant's secret: 16 symbols = 80 bits; guessing is rate-limited by the web layer.
const SECRET_CHARS: usize = 16;
/// Tracking-number collisions are rare (10^9 space); a few retries make failure impossible in
/// practice without looping forever on a broken random source.
const TRACKING_ATTEMPTS: usize = 8;

/// What the applicant (or the officer registering a letter) gives: the content of 条例 Art 29 ¶2
/// and the Art 31 receipt channel and date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
    pub applicant_type: ApplicantType,
    /// 姓名或者名称.
    pub applicant_name: String,
    /// A [`IdDocumentKind`] key for a 自然人, [`CREDIT_CODE_KIND`] (or empty) for a 法人或其他组织.
    pub id_kind: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    /// Art 29 ¶2(2): the information wanted.
    pub description: String,
    /// Art 29 ¶2(3): 形式要求.
    pub provision_form: ProvisionForm,
    /// Art 29 ¶2(3): 获取信息的方式、途径.
    pub delivery: String,
    /// Art 31: how the application came in…
    pub channel: Channel,
    /// …and the receipt date that channel's rule gives (the caller applies the rule: e.g. for
    /// an ordinary letter, the day of confirmation with the applicant).
    pub received_on: NaiveDate,
}

/// The validated, normalised fields.
struct Clean {
    name: String,
    id_kind: String,
    id_number: String,
    phone: String,
    email: String,
    address: String,
    description: String,
    delivery: String,
}

fn text(
    field: &'static str,
    value: &str,
    max: usize,
    required: bool,
    multiline: bool,
) -> Result<String> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(ValidationError::Empty { field }.into());
    }
    if value.chars().count() > max {
        return Err(ValidationError::TooLong { field, max }.into());
    }
    if value
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
    {
        return Err(ValidationError::ControlChars { field }.into());
    }
    Ok(value.to_owned())
}

impl NewApplication {
    /// Art 29 ¶2: 姓名或者名称、身份证明、联系方式 (1), the description (2), the form (3).
    fn clean(&self, today: NaiveDate) -> Result<Clean> {
        let name = text("姓名或者名称", &self.applicant_name, NAME_MAX, true, false)?;
        let (id_kind, id_number) = if self.applicant_type.is_organisation() {
            let kind = self.id_kind.trim();
            if !kind.is_empty() && kind != CREDIT_CODE_KIND {
                return Err(StoreError::Rule(
                    "法人或者其他组织申请的，身份证明请填写统一社会信用代码".to_owned(),
                ));
            }
            let code = CreditCode::parse(&self.id_number)?;
            (CREDIT_CODE_KIND.to_owned(), code.as_str().to_owned())
        } else {
            let kind = IdDocumentKind::from_key(&self.id_kind)?;
            // The law crate validates (居民身份证: GB 11643-1999 check digit, birth date not
            // after today) and normalises (full-width digits, lower-case x).
            let doc = IdDocument::parse(kind, &self.id_number, today)
                .map_err(|e| StoreError::Rule(e.to_string()))?;
            (kind.key().to_owned(), doc.number().to_owned())
        };
        let phone = text("联系电话", &self.phone, PHONE_MAX, false, false)?;
        let email = text("电子邮箱", &self.email, EMAIL_MAX, false, false)?;
        if !email.is_empty() && !email.contains('@') {
            return Err(StoreError::Rule(format!(
                "电子邮箱“{email}”格式不正确，请核对"
            )));
        }
        let address = text("通信地址", &self.address, ADDRESS_MAX, false, true)?;
        if phone.is_empty() && email.is_empty() && address.is_empty() {
            return Err(StoreError::Rule(
                "请至少填写一种联系方式（电话、电子邮箱或通信地址）（条例第二十九条第二款第（一）项）"
                    .to_owned(),
            ));
        }
        let description = text(
            "所需政府信息的名称、文号或者特征性描述",
            &self.description,
            DESCRIPTION_MAX,
            true,
            true,
        )?;
        let delivery = text(
            "获取信息的方式、途径",
            &self.delivery,
            DELIVERY_MAX,
            false,
            false,
        )?;
        Ok(Clean {
            name,
            id_kind,
            id_number,
            phone,
            email,
            address,
            description,
            delivery,
        })
    }
}

fn random_symbols(n: usize) -> Result<String> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|_| StoreError::Randomness)?;
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect())
}

/// SHA-256 hex of the secret: a random 80-bit secret needs no slow hash (nothing to brute-force
/// offline from a dictionary), and a leaked table does not reveal it.
pub(crate) fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(
        secret.trim().to_ascii_uppercase().as_bytes(),
    ))
}

async fn event_rows(tx: &mut WriteTx, id: i64) -> Result<Vec<ClockEvent>> {
    let payloads: Vec<String> = sqlx::query_scalar(
        "SELECT payload_json FROM application_events WHERE application_id = $1 ORDER BY seq",
    )
    .bind(id)
    .fetch_all(tx.conn())
    .await?;
    payloads
        .iter()
        .map(|p| serde_json::from_str(p).map_err(|e| StoreError::Corrupt(format!("办理记录: {e}"))))
        .collect()
}

async fn insert_event(
    tx: &mut WriteTx,
    id: i64,
    seq: i64,
    event: &ClockEvent,
    details: &serde_json::Value,
) -> Result<()> {
    let payload =
        serde_json::to_value(event).map_err(|e| StoreError::Corrupt(format!("办理记录: {e}")))?;
    let kind = payload
        .get("kind")
        .and_then(|k| k.as_str())
        .unwrap_or_default()
        .to_owned();
    let recorded_by = tx.actor().user_id;
    let now = ts(tx.now());
    sqlx::query(
        "INSERT INTO application_events (application_id, seq, kind, payload_json, occurred_on, \
         recorded_by, recorded_at, details_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(seq)
    .bind(kind)
    .bind(payload.to_string())
    .bind(date_text(event.on()))
    .bind(recorded_by)
    .bind(now)
    .bind(details.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The cached columns from an evaluation.
struct Cache {
    state: String,
    due_on: Option<String>,
    closed_on: Option<String>,
    outcome: Option<String>,
    /// The table-三 row, cached with `closed_on` (and only then) for the annual report.
    result_row: Option<String>,
}

/// `closed_on` is cached only for closing EVENTS (reply, withdrawal): a case abandoned by the
/// lapse of the applicant's period (Art 30, 109号) has no event yet and stays on the open list,
/// where its live clock shows it as closed for the officer to file.
fn cache(state: &ClockState, last: &ClockEvent) -> Result<Cache> {
    let closing = matches!(
        last,
        ClockEvent::Replied { .. } | ClockEvent::Withdrawn { .. }
    );
    let closed_on = if closing {
        state.closed_on.map(date_text)
    } else {
        None
    };
    Ok(Cache {
        state: key_of(&state.status)?,
        due_on: state.due_date.map(date_text),
        result_row: match closed_on {
            Some(_) => state.result_row.as_ref().map(key_of).transpose()?,
            None => None,
        },
        closed_on,
        outcome: state.outcome.as_ref().map(key_of).transpose()?,
    })
}

async fn get_in(tx: &mut WriteTx, id: i64) -> Result<Application> {
    let row = dyn_query(format!(
        "SELECT {APPLICATION_COLUMNS} FROM applications WHERE id = $1"
    ))
    .bind(id)
    .fetch_one(tx.conn())
    .await?;
    application_from_row(&row)
}

/// Registers an application: validates the Art 29 content, opens its timeline with the Art 31
/// receipt, computes the Art 33 due date, and issues a tracking number and secret.
pub async fn create(
    tx: &mut WriteTx,
    organ_id: i64,
    new: &NewApplication,
    calendar: &Calendar,
) -> Result<(Application, String)> {
    if crate::organs::get_in(tx, organ_id).await?.is_none() {
        return Err(StoreError::not_found("机关", organ_id));
    }
    let today = tx.today();
    let clean = new.clean(today)?;
    let first = ClockEvent::Received {
        on: new.received_on,
        channel: new.channel,
    };
    // Refuses a receipt date after today or outside the calendar before anything is written.
    let state = evaluate(std::slice::from_ref(&first), today, calendar)?;
    let cached = cache(&state, &first)?;

    let secret = random_symbols(SECRET_CHARS)?;
    let now = ts(tx.now());
    let mut inserted = None;
    for _ in 0..TRACKING_ATTEMPTS {
        let tracking_no = format!(
            "{TRACKING_PREFIX}{}{}",
            new.received_on.year(),
            random_symbols(TRACKING_RANDOM_CHARS)?
        );
        // ON CONFLICT DO NOTHING rather than catching the violation: on PostgreSQL a failed
        // statement aborts the whole transaction.
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO applications (organ_id, tracking_no, secret_hash, applicant_type, \
             applicant_name, id_kind, id_number, phone, email, address, description, \
             provision_form, delivery, channel, received_on, state, due_on, closed_on, \
             outcome, created_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
             $17, $18, $19, $20, $20, 1) \
             ON CONFLICT (tracking_no) DO NOTHING RETURNING id",
        )
        .bind(organ_id)
        .bind(&tracking_no)
        .bind(secret_hash(&secret))
        .bind(key_of(&new.applicant_type)?)
        .bind(&clean.name)
        .bind(&clean.id_kind)
        .bind(&clean.id_number)
        .bind(&clean.phone)
        .bind(&clean.email)
        .bind(&clean.address)
        .bind(&clean.description)
        .bind(key_of(&new.provision_form)?)
        .bind(&clean.delivery)
        .bind(key_of(&new.channel)?)
        .bind(date_text(new.received_on))
        .bind(&cached.state)
        .bind(&cached.due_on)
        .bind(&cached.closed_on)
        .bind(&cached.outcome)
        .bind(&now)
        .fetch_optional(tx.conn())
        .await?;
        if let Some(id) = id {
            inserted = Some(id);
            break;
        }
    }
    let Some(id) = inserted else {
        return Err(StoreError::Rule(
            "暂时无法生成申请编号，请稍后重试".to_owned(),
        ));
    };
    insert_event(tx, id, 1, &first, &serde_json::json!({})).await?;
    let app = get_in(tx, id).await?;
    // No personal data in the audit log: it is kept for ever and read by auditors.
    tx.audit(
        AuditEntry::new("application.create", "application", id)
            .organ(Some(organ_id))
            .after(serde_json::json!({
                "tracking_no": app.tracking_no,
                "applicant_type": app.applicant_type,
                "channel": app.channel,
                "received_on": app.received_on,
                "due_on": app.due_on,
            })),
    )
    .await?;
    Ok((app, secret))
}

/// Appends `event` to the case's timeline. Refused, with nothing written, when the case moved
/// since the officer loaded version `expected_version`, or when the whole timeline with the new
/// event is one the law does not allow (the law crate's message says which record and why).
pub async fn record_event(
    tx: &mut WriteTx,
    id: i64,
    event: ClockEvent,
    expected_version: i64,
    calendar: &Calendar,
) -> Result<(Application, ClockState)> {
    record_event_with(
        tx,
        id,
        event,
        &serde_json::json!({}),
        expected_version,
        calendar,
    )
    .await
}

/// [`record_event`] with the step's details (a JSON object the clock does not read: what to
/// correct, the fee decision, what was withheld and why…), kept with the event for the case
/// file and the letters.
pub async fn record_event_with(
    tx: &mut WriteTx,
    id: i64,
    event: ClockEvent,
    details: &serde_json::Value,
    expected_version: i64,
    calendar: &Calendar,
) -> Result<(Application, ClockState)> {
    if !details.is_object() {
        return Err(StoreError::Corrupt(
            "办理记录的详情须为 JSON 对象".to_owned(),
        ));
    }
    let before = load_locked(tx, id).await?;
    if before.version != expected_version {
        return Err(StoreError::StaleVersion {
            current: before.version,
        });
    }
    let mut events = event_rows(tx, id).await?;
    events.push(event.clone());
    let today = tx.today();
    let state = evaluate(&events, today, calendar)?;
    let cached = cache(&state, &event)?;
    let seq =
        i64::try_from(events.len()).map_err(|_| StoreError::Corrupt("办理记录过多".to_owned()))?;
    insert_event(tx, id, seq, &event, details).await?;
    let now = ts(tx.now());
    // The version guard repeats the check in SQL: harmless under the row lock, and it keeps
    // the optimistic check even for a caller that skipped `load_locked`.
    let done = sqlx::query(
        "UPDATE applications SET state = $1, due_on = $2, closed_on = $3, outcome = $4, \
         result_row = $8, updated_at = $5, version = version + 1 WHERE id = $6 AND version = $7",
    )
    .bind(&cached.state)
    .bind(&cached.due_on)
    .bind(&cached.closed_on)
    .bind(&cached.outcome)
    .bind(now)
    .bind(id)
    .bind(expected_version)
    .bind(&cached.result_row)
    .execute(tx.conn())
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::StaleVersion {
            current: before.version,
        });
    }
    let after = get_in(tx, id).await?;
    tx.audit(
        AuditEntry::new("application.event", "application", id)
            .organ(Some(after.organ_id))
            .before(serde_json::json!({
                "version": before.version,
                "state": before.state,
                "due_on": before.due_on,
            }))
            .after(serde_json::json!({
                "seq": seq,
                "event": event,
                "details": details,
                "version": after.version,
                "state": after.state,
                "due_on": after.due_on,
                "outcome": after.outcome,
            })),
    )
    .await?;
    Ok((after, state))
}

/// Assigns the case to a 科室 of its organ with an internal due date, or clears both. The
/// internal date may not lie after the statutory Art 33 due date: the 科室 must answer in time
/// for the office to reply.
pub async fn assign(
    tx: &mut WriteTx,
    id: i64,
    department_id: Option<i64>,
    internal_due_on: Option<NaiveDate>,
) -> Result<Application> {
    let before = load_locked(tx, id).await?;
    if let Some(department_id) = department_id {
        let dept = crate::departments::get_in(tx, department_id)
            .await?
            .ok_or_else(|| StoreError::not_found("科室", department_id))?;
        if dept.organ_id != before.organ_id {
            return Err(ValidationError::DepartmentOutsideOrgan {
                department_id,
                organ_id: before.organ_id,
            }
            .into());
        }
    }
    if let Some(internal) = internal_due_on {
        if internal < before.received_on {
            return Err(StoreError::Rule(format!(
                "内部办理期限{internal}早于收到申请之日{}，请核对",
                before.received_on
            )));
        }
        if let Some(due) = before.due_on
            && internal > due
        {
            return Err(StoreError::Rule(format!(
                "内部办理期限{internal}晚于答复期限{due}（条例第三十三条）：请提前到答复期限之前"
            )));
        }
    }
    let now = ts(tx.now());
    sqlx::query(
        "UPDATE applications SET department_id = $1, internal_due_on = $2, updated_at = $3, \
         version = version + 1 WHERE id = $4",
    )
    .bind(department_id)
    .bind(internal_due_on.map(date_text))
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    let after = get_in(tx, id).await?;
    tx.audit(
        AuditEntry::new("application.assign", "application", id)
            .organ(Some(after.organ_id))
            .before(serde_json::json!({
                "department_id": before.department_id,
                "internal_due_on": before.internal_due_on,
            }))
            .after(serde_json::json!({
                "department_id": after.department_id,
                "internal_due_on": after.internal_due_on,
                "version": after.version,
            })),
    )
    .await?;
    Ok(after)
}
