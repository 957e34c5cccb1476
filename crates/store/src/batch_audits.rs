//! Batch audits of published annual reports (监督检查, issue 8): a supervising organ uploads many
//! reports, the web crate runs the auditor on them and stores one result document per file; the
//! supervisor confirms or dismisses each finding with a comment.
//!
//! The store keeps the files' names and content hashes (the bytes live under the data directory)
//! and the results as opaque JSON. Decisions are keyed by the supervising organ, the report's
//! organ and year, the check and its cells ([`FindingKey`]), never by batch or file, so they
//! survive re-running the audit and a second upload of the same report.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::AuditEntry;
use crate::db::{Store, WriteTx, get_ts, ts};
use crate::error::{Result, StoreError};
use crate::items::dyn_query;

/// Longest batch name.
pub const NAME_MAX: usize = 200;
/// Longest comment on a decision.
pub const COMMENT_MAX: usize = 2_000;

/// One batch of uploaded reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditBatch {
    pub id: i64,
    pub organ_id: i64,
    pub name: String,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub audited_at: DateTime<Utc>,
    pub file_count: i64,
}

/// A file to add to a new batch (its bytes already stored under the data directory).
#[derive(Debug, Clone)]
pub struct NewBatchFile {
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub result_json: String,
}

/// One file of a batch with its audit result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchFile {
    pub id: i64,
    pub batch_id: i64,
    pub position: i64,
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub result_json: String,
}

/// What a supervisor decided about a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// 确认: the report is wrong; it goes into the 通报.
    Confirmed,
    /// 排除: not a problem (e.g. explained in the report's text).
    Dismissed,
}

impl Decision {
    pub fn key(self) -> &'static str {
        match self {
            Decision::Confirmed => "confirmed",
            Decision::Dismissed => "dismissed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Decision::Confirmed => "已确认",
            Decision::Dismissed => "已排除",
        }
    }

    pub fn parse(key: &str) -> Option<Decision> {
        match key {
            "confirmed" => Some(Decision::Confirmed),
            "dismissed" => Some(Decision::Dismissed),
            _ => None,
        }
    }
}

/// What identifies a finding across re-runs and uploads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FindingKey {
    /// The report's organ as read from the report (spaces removed), or the file name when the
    /// report names none.
    pub report_organ: String,
    /// The report's year (0 when the report names none).
    pub year: i32,
    pub check_id: String,
    /// The finding's cells, comma-separated in the auditor's order.
    pub cells: String,
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingDecision {
    pub key: FindingKey,
    pub decision: Decision,
    pub comment: String,
    pub decided_by: Option<i64>,
    pub decided_at: DateTime<Utc>,
}

pub struct BatchAudits<'a> {
    pub(crate) store: &'a Store,
}

const BATCH_COLUMNS: &str = "b.id, b.organ_id, b.name, b.created_by, b.created_at, b.audited_at, \
     (SELECT COUNT(*) FROM audit_batch_files f WHERE f.batch_id = b.id) AS file_count";
const FILE_COLUMNS: &str = "id, batch_id, position, file_name, sha256, size_bytes, result_json";

fn batch_from_row(row: &AnyRow) -> Result<AuditBatch> {
    Ok(AuditBatch {
        id: row.try_get("id")?,
        organ_id: row.try_get("organ_id")?,
        name: row.try_get("name")?,
        created_by: row.try_get("created_by")?,
        created_at: get_ts(row, "created_at")?,
        audited_at: get_ts(row, "audited_at")?,
        file_count: row.try_get("file_count")?,
    })
}

fn file_from_row(row: &AnyRow) -> Result<BatchFile> {
    Ok(BatchFile {
        id: row.try_get("id")?,
        batch_id: row.try_get("batch_id")?,
        position: row.try_get("position")?,
        file_name: row.try_get("file_name")?,
        sha256: row.try_get("sha256")?,
        size_bytes: row.try_get("size_bytes")?,
        result_json: row.try_get("result_json")?,
    })
}

fn decision_from_row(row: &AnyRow) -> Result<FindingDecision> {
    let year: i64 = row.try_get("year")?;
    let decision: String = row.try_get("decision")?;
    Ok(FindingDecision {
        key: FindingKey {
            report_organ: row.try_get("report_organ")?,
            year: i32::try_from(year).map_err(|_| StoreError::Corrupt(format!("年度 {year}")))?,
            check_id: row.try_get("check_id")?,
            cells: row.try_get("cells")?,
        },
        decision: Decision::parse(&decision)
            .ok_or_else(|| StoreError::Corrupt(format!("审核结论“{decision}”")))?,
        comment: row.try_get("comment")?,
        decided_by: row.try_get("decided_by")?,
        decided_at: get_ts(row, "decided_at")?,
    })
}

impl BatchAudits<'_> {
    /// The organ's batches, newest first.
    pub async fn list(&self, organ_id: i64) -> Result<Vec<AuditBatch>> {
        let rows = dyn_query(format!(
            "SELECT {BATCH_COLUMNS} FROM audit_batches b WHERE b.organ_id = $1 ORDER BY b.id DESC"
        ))
        .bind(organ_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(batch_from_row).collect()
    }

    pub async fn get(&self, batch_id: i64) -> Result<Option<AuditBatch>> {
        let row = dyn_query(format!(
            "SELECT {BATCH_COLUMNS} FROM audit_batches b WHERE b.id = $1"
        ))
        .bind(batch_id)
        .fetch_optional(self.store.pool())
        .await?;
        row.as_ref().map(batch_from_row).transpose()
    }

    /// The batch's files in upload order.
    pub async fn files(&self, batch_id: i64) -> Result<Vec<BatchFile>> {
        let rows = dyn_query(format!(
            "SELECT {FILE_COLUMNS} FROM audit_batch_files WHERE batch_id = $1 ORDER BY position"
        ))
        .bind(batch_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(file_from_row).collect()
    }

    /// Every decision the supervising organ recorded.
    pub async fn decisions(&self, organ_id: i64) -> Result<Vec<FindingDecision>> {
        let rows = sqlx::query(
            "SELECT report_organ, year, check_id, cells, decision, comment, decided_by, \
             decided_at FROM audit_finding_decisions WHERE organ_id = $1",
        )
        .bind(organ_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(decision_from_row).collect()
    }
}

/// Creates a batch with its files (in the given order) and their results.
pub async fn create_batch(
    tx: &mut WriteTx,
    organ_id: i64,
    name: &str,
    files: &[NewBatchFile],
) -> Result<i64> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX {
        return Err(StoreError::Rule(format!(
            "批次名称不能为空，也不能超过 {NAME_MAX} 个字"
        )));
    }
    let by = tx.actor().user_id;
    let now = ts(tx.now());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO audit_batches (organ_id, name, created_by, created_at, audited_at) \
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(organ_id)
    .bind(name)
    .bind(by)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    for (position, file) in files.iter().enumerate() {
        sqlx::query(
            "INSERT INTO audit_batch_files (batch_id, position, file_name, sha256, size_bytes, \
             result_json) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(&file.file_name)
        .bind(&file.sha256)
        .bind(file.size_bytes)
        .bind(&file.result_json)
        .execute(tx.conn())
        .await?;
    }
    let names: Vec<&str> = files.iter().map(|f| f.file_name.as_str()).collect();
    tx.audit(
        AuditEntry::new("batch_audit.create", "audit_batch", id)
            .organ(Some(organ_id))
            .after(serde_json::json!({ "name": name, "files": names })),
    )
    .await?;
    Ok(id)
}

/// Replaces the results of a batch's files after a re-run (`(file id, result)`).
pub async fn store_rerun(tx: &mut WriteTx, batch_id: i64, results: &[(i64, String)]) -> Result<()> {
    let organ_id: Option<i64> =
        sqlx::query_scalar("SELECT organ_id FROM audit_batches WHERE id = $1")
            .bind(batch_id)
            .fetch_optional(tx.conn())
            .await?;
    let Some(organ_id) = organ_id else {
        return Err(StoreError::not_found("批量审核批次", batch_id));
    };
    for (file_id, result) in results {
        sqlx::query(
            "UPDATE audit_batch_files SET result_json = $1 WHERE id = $2 AND batch_id = $3",
        )
        .bind(result)
        .bind(file_id)
        .bind(batch_id)
        .execute(tx.conn())
        .await?;
    }
    sqlx::query("UPDATE audit_batches SET audited_at = $1 WHERE id = $2")
        .bind(ts(tx.now()))
        .bind(batch_id)
        .execute(tx.conn())
        .await?;
    tx.audit(
        AuditEntry::new("batch_audit.rerun", "audit_batch", batch_id)
            .organ(Some(organ_id))
            .after(serde_json::json!({ "files": results.len() })),
    )
    .await?;
    Ok(())
}

/// Records (or changes) the supervising organ's decision on a finding.
pub async fn decide(
    tx: &mut WriteTx,
    organ_id: i64,
    key: &FindingKey,
    decision: Decision,
    comment: &str,
) -> Result<()> {
    let comment = comment.trim();
    if comment.chars().count() > COMMENT_MAX {
        return Err(StoreError::Rule(format!(
            "意见不能超过 {COMMENT_MAX} 个字，请精简后再保存"
        )));
    }
    let before: Option<(String, String)> = sqlx::query_as(
        "SELECT decision, comment FROM audit_finding_decisions WHERE organ_id = $1 \
         AND report_organ = $2 AND year = $3 AND check_id = $4 AND cells = $5",
    )
    .bind(organ_id)
    .bind(&key.report_organ)
    .bind(i64::from(key.year))
    .bind(&key.check_id)
    .bind(&key.cells)
    .fetch_optional(tx.conn())
    .await?;
    sqlx::query(
        "INSERT INTO audit_finding_decisions (organ_id, report_organ, year, check_id, cells, \
         decision, comment, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (organ_id, report_organ, year, check_id, cells) DO UPDATE SET \
         decision = excluded.decision, comment = excluded.comment, \
         decided_by = excluded.decided_by, decided_at = excluded.decided_at",
    )
    .bind(organ_id)
    .bind(&key.report_organ)
    .bind(i64::from(key.year))
    .bind(&key.check_id)
    .bind(&key.cells)
    .bind(decision.key())
    .bind(comment)
    .bind(tx.actor().user_id)
    .bind(ts(tx.now()))
    .execute(tx.conn())
    .await?;
    tx.audit(
        AuditEntry::new("batch_audit.decide", "organ", organ_id)
            .organ(Some(organ_id))
            .before(before.map(|(d, c)| serde_json::json!({ "decision": d, "comment": c })))
            .after(serde_json::json!({ "finding": key, "decision": decision, "comment": comment })),
    )
    .await?;
    Ok(())
}
