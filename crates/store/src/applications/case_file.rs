//! The case file around the clock: deliveries of documents to the applicant (送达), the files
//! the applicant attached (a copy of the 身份证明, Art 29 ¶2(1)), and the assigned 科室's answers
//! (承办意见). None of these move the clock; each write is audited.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_law::Outcome;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Applications, from_key, key_of, load_locked};
use crate::audit::AuditEntry;
use crate::db::{WriteTx, get_ts, ts};
use crate::error::{Result, StoreError};
use crate::items::{date_text, get_date};

/// Longest note of a delivery.
pub const DELIVERY_NOTE_MAX: usize = 500;
/// Longest 承办意见.
pub const OPINION_MAX: usize = 5000;

/// Which document reached the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveredDocument {
    /// 政府信息公开申请答复告知书 (Art 36).
    ReplyLetter,
    /// 补正告知书 (Art 30).
    CorrectionNotice,
    /// 延期答复告知书 (Art 33 ¶2).
    ExtensionNotice,
    /// 收费通知书 (国办函〔2020〕109号).
    FeeNotice,
    /// Any other document (e.g. the information itself, sent after the reply).
    Other,
}

impl DeliveredDocument {
    pub const ALL: [DeliveredDocument; 5] = [
        DeliveredDocument::ReplyLetter,
        DeliveredDocument::CorrectionNotice,
        DeliveredDocument::ExtensionNotice,
        DeliveredDocument::FeeNotice,
        DeliveredDocument::Other,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            DeliveredDocument::ReplyLetter => "reply_letter",
            DeliveredDocument::CorrectionNotice => "correction_notice",
            DeliveredDocument::ExtensionNotice => "extension_notice",
            DeliveredDocument::FeeNotice => "fee_notice",
            DeliveredDocument::Other => "other",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            DeliveredDocument::ReplyLetter => "答复告知书",
            DeliveredDocument::CorrectionNotice => "补正告知书",
            DeliveredDocument::ExtensionNotice => "延期答复告知书",
            DeliveredDocument::FeeNotice => "收费通知书",
            DeliveredDocument::Other => "其他材料",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.key() == key)
    }
}

/// How it reached the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMethod {
    InPerson,
    Post,
    Email,
    Online,
    Fax,
}

impl DeliveryMethod {
    pub const ALL: [DeliveryMethod; 5] = [
        DeliveryMethod::InPerson,
        DeliveryMethod::Post,
        DeliveryMethod::Email,
        DeliveryMethod::Online,
        DeliveryMethod::Fax,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            DeliveryMethod::InPerson => "in_person",
            DeliveryMethod::Post => "post",
            DeliveryMethod::Email => "email",
            DeliveryMethod::Online => "online",
            DeliveryMethod::Fax => "fax",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            DeliveryMethod::InPerson => "当面送达",
            DeliveryMethod::Post => "邮寄送达",
            DeliveryMethod::Email => "电子邮件送达",
            DeliveryMethod::Online => "网上送达（查询页面下载）",
            DeliveryMethod::Fax => "传真送达",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.key() == key)
    }
}

/// A recorded delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub id: i64,
    pub application_id: i64,
    pub document: DeliveredDocument,
    pub method: DeliveryMethod,
    pub delivered_on: NaiveDate,
    pub note: String,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTime<Utc>,
}

/// A file the applicant attached; the content is stored by its SHA-256 in the data directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationAttachment {
    pub id: i64,
    pub application_id: i64,
    pub file_name: String,
    pub media_type: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub created_at: DateTime<Utc>,
}

/// The metadata of an attachment to record (the caller stored the bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    pub file_name: String,
    pub media_type: String,
    pub sha256: String,
    pub size_bytes: i64,
}

/// A 科室's answer to an assigned case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Opinion {
    pub id: i64,
    pub application_id: i64,
    pub department_id: Option<i64>,
    pub body: String,
    pub proposed_outcome: Option<Outcome>,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTime<Utc>,
}

fn delivery_from_row(row: &AnyRow) -> Result<Delivery> {
    let document: String = row.try_get("document")?;
    let method: String = row.try_get("method")?;
    Ok(Delivery {
        id: row.try_get("id")?,
        application_id: row.try_get("application_id")?,
        document: from_key("送达文书", &document)?,
        method: from_key("送达方式", &method)?,
        delivered_on: get_date(row, "delivered_on")?,
        note: row.try_get("note")?,
        recorded_by: row.try_get("recorded_by")?,
        recorded_at: get_ts(row, "recorded_at")?,
    })
}

fn attachment_from_row(row: &AnyRow) -> Result<ApplicationAttachment> {
    Ok(ApplicationAttachment {
        id: row.try_get("id")?,
        application_id: row.try_get("application_id")?,
        file_name: row.try_get("file_name")?,
        media_type: row.try_get("media_type")?,
        sha256: row.try_get("sha256")?,
        size_bytes: row.try_get("size_bytes")?,
        created_at: get_ts(row, "created_at")?,
    })
}

fn opinion_from_row(row: &AnyRow) -> Result<Opinion> {
    let outcome: Option<String> = row.try_get("proposed_outcome")?;
    Ok(Opinion {
        id: row.try_get("id")?,
        application_id: row.try_get("application_id")?,
        department_id: row.try_get("department_id")?,
        body: row.try_get("body")?,
        proposed_outcome: outcome
            .as_deref()
            .map(|k| from_key("拟办理结果", k))
            .transpose()?,
        recorded_by: row.try_get("recorded_by")?,
        recorded_at: get_ts(row, "recorded_at")?,
    })
}

/// Records that `document` reached the applicant by `method` on `delivered_on`. A delivery
/// cannot precede the receipt of the application nor lie in the future.
pub async fn record_delivery(
    tx: &mut WriteTx,
    id: i64,
    document: DeliveredDocument,
    method: DeliveryMethod,
    delivered_on: NaiveDate,
    note: &str,
) -> Result<Delivery> {
    let app = load_locked(tx, id).await?;
    if delivered_on < app.received_on {
        return Err(StoreError::Rule(format!(
            "送达日期{delivered_on}早于收到申请之日{}，请核对",
            app.received_on
        )));
    }
    let today = tx.today();
    if delivered_on > today {
        return Err(StoreError::Rule(format!(
            "送达日期{delivered_on}晚于今天（{today}）：请在送达后登记"
        )));
    }
    let note = note.trim();
    if note.chars().count() > DELIVERY_NOTE_MAX {
        return Err(StoreError::Rule(format!(
            "送达备注不能超过 {DELIVERY_NOTE_MAX} 个字符，请删减"
        )));
    }
    let recorded_by = tx.actor().user_id;
    let now = ts(tx.now());
    let new_id: i64 = sqlx::query_scalar(
        "INSERT INTO application_deliveries (application_id, document, method, delivered_on, \
         note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(id)
    .bind(document.key())
    .bind(method.key())
    .bind(date_text(delivered_on))
    .bind(note)
    .bind(recorded_by)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    tx.audit(
        AuditEntry::new("application.delivery", "application", id)
            .organ(Some(app.organ_id))
            .after(serde_json::json!({
                "delivery_id": new_id,
                "document": document,
                "method": method,
                "delivered_on": delivered_on,
            })),
    )
    .await?;
    let row = sqlx::query(
        "SELECT id, application_id, document, method, delivered_on, note, recorded_by, \
         recorded_at FROM application_deliveries WHERE id = $1",
    )
    .bind(new_id)
    .fetch_one(tx.conn())
    .await?;
    delivery_from_row(&row)
}

/// Records a file attached to the application (the bytes are already stored).
pub async fn add_attachment(
    tx: &mut WriteTx,
    id: i64,
    file: &NewAttachment,
) -> Result<ApplicationAttachment> {
    let app = load_locked(tx, id).await?;
    let now = ts(tx.now());
    let new_id: i64 = sqlx::query_scalar(
        "INSERT INTO application_attachments (application_id, file_name, media_type, sha256, \
         size_bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(id)
    .bind(&file.file_name)
    .bind(&file.media_type)
    .bind(&file.sha256)
    .bind(file.size_bytes)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    // The file name may carry personal data: the audit log keeps only the hash and size.
    tx.audit(
        AuditEntry::new("application.attachment", "application", id)
            .organ(Some(app.organ_id))
            .after(serde_json::json!({
                "attachment_id": new_id,
                "sha256": file.sha256,
                "size_bytes": file.size_bytes,
            })),
    )
    .await?;
    let row = sqlx::query(
        "SELECT id, application_id, file_name, media_type, sha256, size_bytes, created_at \
         FROM application_attachments WHERE id = $1",
    )
    .bind(new_id)
    .fetch_one(tx.conn())
    .await?;
    attachment_from_row(&row)
}

/// Records the assigned 科室's answer. Only for an open case assigned to a 科室: the answer is
/// that 科室's.
pub async fn record_opinion(
    tx: &mut WriteTx,
    id: i64,
    body: &str,
    proposed_outcome: Option<Outcome>,
) -> Result<Opinion> {
    let app = load_locked(tx, id).await?;
    let Some(department_id) = app.department_id else {
        return Err(StoreError::Rule(
            "该申请尚未分办到科室：请先由信息公开专员分办，再由承办科室填写办理意见".to_owned(),
        ));
    };
    if app.closed_on.is_some() {
        return Err(StoreError::Rule(
            "该申请已办结，不能再填写承办意见".to_owned(),
        ));
    }
    let body = body.trim();
    if body.is_empty() {
        return Err(StoreError::Rule(
            "请填写承办意见：查找的结果、信息是否存在、能否公开及理由".to_owned(),
        ));
    }
    if body.chars().count() > OPINION_MAX {
        return Err(StoreError::Rule(format!(
            "承办意见不能超过 {OPINION_MAX} 个字符，请删减"
        )));
    }
    let recorded_by = tx.actor().user_id;
    let now = ts(tx.now());
    let outcome_key = proposed_outcome.as_ref().map(key_of).transpose()?;
    let new_id: i64 = sqlx::query_scalar(
        "INSERT INTO application_opinions (application_id, department_id, body, \
         proposed_outcome, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) \
         RETURNING id",
    )
    .bind(id)
    .bind(department_id)
    .bind(body)
    .bind(&outcome_key)
    .bind(recorded_by)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    tx.audit(
        AuditEntry::new("application.opinion", "application", id)
            .organ(Some(app.organ_id))
            .after(serde_json::json!({
                "opinion_id": new_id,
                "department_id": department_id,
                "proposed_outcome": outcome_key,
            })),
    )
    .await?;
    let row = sqlx::query(
        "SELECT id, application_id, department_id, body, proposed_outcome, recorded_by, \
         recorded_at FROM application_opinions WHERE id = $1",
    )
    .bind(new_id)
    .fetch_one(tx.conn())
    .await?;
    opinion_from_row(&row)
}

impl Applications<'_> {
    /// The deliveries of a case, in the order recorded.
    pub async fn deliveries(&self, id: i64) -> Result<Vec<Delivery>> {
        let rows = sqlx::query(
            "SELECT id, application_id, document, method, delivered_on, note, recorded_by, \
             recorded_at FROM application_deliveries WHERE application_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(delivery_from_row).collect()
    }

    /// The files attached to a case.
    pub async fn attachments(&self, id: i64) -> Result<Vec<ApplicationAttachment>> {
        let rows = sqlx::query(
            "SELECT id, application_id, file_name, media_type, sha256, size_bytes, created_at \
             FROM application_attachments WHERE application_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(attachment_from_row).collect()
    }

    /// One attachment of one case.
    pub async fn attachment(
        &self,
        id: i64,
        attachment_id: i64,
    ) -> Result<Option<ApplicationAttachment>> {
        let row = sqlx::query(
            "SELECT id, application_id, file_name, media_type, sha256, size_bytes, created_at \
             FROM application_attachments WHERE application_id = $1 AND id = $2",
        )
        .bind(id)
        .bind(attachment_id)
        .fetch_optional(self.store.pool())
        .await?;
        row.as_ref().map(attachment_from_row).transpose()
    }

    /// The 科室's answers to a case, oldest first.
    pub async fn opinions(&self, id: i64) -> Result<Vec<Opinion>> {
        let rows = sqlx::query(
            "SELECT id, application_id, department_id, body, proposed_outcome, recorded_by, \
             recorded_at FROM application_opinions WHERE application_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(opinion_from_row).collect()
    }
}
