//! Writes: register a case, edit it (e.g. to record the decision). Each checks the whole case
//! again and appends its audit entry in the same transaction.

use chrono::NaiveDate;
use gongkai_law::{ChallengeFacts, ChallengeKind, ChallengeResult};

use super::{
    AUTHORITY_MAX, CASE_NO_MAX, CHALLENGE_COLUMNS, CLAIMANT_MAX, Challenge, NOTES_MAX,
    challenge_from_row,
};
use crate::audit::AuditEntry;
use crate::db::{WriteTx, ts};
use crate::error::{Result, StoreError, ValidationError};
use crate::items::{date_text, dyn_query};

/// What the officer enters, for a new case and for an edit alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeInput {
    pub application_id: Option<i64>,
    pub follows_id: Option<i64>,
    pub kind: ChallengeKind,
    pub case_no: String,
    pub authority: String,
    pub claimant_name: String,
    pub filed_on: NaiveDate,
    /// [`ChallengeResult::Pending`] until decided.
    pub result: ChallengeResult,
    /// Required exactly when `result` is decided.
    pub decided_on: Option<NaiveDate>,
    pub co_defendant_reviewer: bool,
    pub notes: String,
}

struct Clean {
    case_no: String,
    authority: String,
    claimant_name: String,
    notes: String,
}

fn text(field: &'static str, value: &str, max: usize, required: bool) -> Result<String> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(ValidationError::Empty { field }.into());
    }
    if value.chars().count() > max {
        return Err(ValidationError::TooLong { field, max }.into());
    }
    let multiline = field == "备注";
    if value
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
    {
        return Err(ValidationError::ControlChars { field }.into());
    }
    Ok(value.to_owned())
}

impl ChallengeInput {
    fn facts(&self) -> ChallengeFacts {
        ChallengeFacts {
            kind: self.kind,
            filed_on: self.filed_on,
            result: self.result,
            decided_on: self.decided_on,
            co_defendant_reviewer: self.co_defendant_reviewer,
        }
    }

    /// The fields, then the dates and the co-defendant rule of the law crate, then the links:
    /// everything that makes the case one that can exist, checked for `organ_id` (and, on an
    /// edit, for the case `own_id` itself).
    async fn clean(&self, tx: &mut WriteTx, organ_id: i64, own_id: Option<i64>) -> Result<Clean> {
        let clean = Clean {
            case_no: text("案号", &self.case_no, CASE_NO_MAX, true)?,
            authority: text(
                self.kind.authority_label(),
                &self.authority,
                AUTHORITY_MAX,
                true,
            )?,
            claimant_name: text("申请人或原告", &self.claimant_name, CLAIMANT_MAX, true)?,
            notes: text("备注", &self.notes, NOTES_MAX, false)?,
        };
        self.facts()
            .check(tx.today())
            .map_err(|e| StoreError::Rule(e.to_string()))?;
        if let Some(application_id) = self.application_id {
            let owner: Option<i64> =
                sqlx::query_scalar("SELECT organ_id FROM applications WHERE id = $1")
                    .bind(application_id)
                    .fetch_optional(tx.conn())
                    .await?;
            // 条例第五十一条: the case is against THIS organ's handling, so only its own
            // applications can be the subject (another organ counts its own cases).
            if owner != Some(organ_id) {
                return Err(StoreError::Rule(format!(
                    "关联的申请（编号 {application_id}）不是本机关的申请：只能关联本机关办理的依申请公开申请，请核对编号或不关联"
                )));
            }
        }
        if let Some(follows_id) = self.follows_id {
            if self.kind != ChallengeKind::LitigationAfterReconsideration {
                return Err(StoreError::Rule(
                    "只有“复议后起诉”的行政诉讼才关联此前的行政复议案件：请取消关联或改选类别"
                        .to_owned(),
                ));
            }
            let row = dyn_query(format!(
                "SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE id = $1"
            ))
            .bind(follows_id)
            .fetch_optional(tx.conn())
            .await?;
            let followed = row.as_ref().map(challenge_from_row).transpose()?;
            match followed {
                Some(f)
                    if f.organ_id == organ_id
                        && f.kind == ChallengeKind::Reconsideration
                        && Some(f.id) != own_id => {}
                _ => {
                    return Err(StoreError::Rule(format!(
                        "关联的行政复议案件（编号 {follows_id}）不是本机关登记的行政复议案件：请从本机关的行政复议案件中选择"
                    )));
                }
            }
        }
        let duplicate: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM challenges WHERE organ_id = $1 AND kind = $2 AND case_no = $3 \
             AND id <> $4",
        )
        .bind(organ_id)
        .bind(self.kind.key())
        .bind(&clean.case_no)
        .bind(own_id.unwrap_or(0))
        .fetch_optional(tx.conn())
        .await?;
        if duplicate.is_some() {
            return Err(StoreError::Rule(format!(
                "本机关已登记案号为“{}”的{}案件：请核对案号，或打开已登记的案件修改",
                clean.case_no,
                self.kind.label()
            )));
        }
        Ok(clean)
    }
}

async fn get_in(tx: &mut WriteTx, id: i64) -> Result<Challenge> {
    let row = dyn_query(format!(
        "SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE id = $1"
    ))
    .bind(id)
    .fetch_one(tx.conn())
    .await?;
    challenge_from_row(&row)
}

/// The audited view of a case: no claimant name (personal data; the audit log is kept for ever).
fn audited(c: &Challenge) -> serde_json::Value {
    serde_json::json!({
        "application_id": c.application_id,
        "follows_id": c.follows_id,
        "kind": c.kind,
        "case_no": c.case_no,
        "authority": c.authority,
        "filed_on": c.filed_on,
        "result": c.result,
        "decided_on": c.decided_on,
        "co_defendant_reviewer": c.co_defendant_reviewer,
        "version": c.version,
    })
}

/// Registers a case of `organ_id`.
pub async fn create(tx: &mut WriteTx, organ_id: i64, input: &ChallengeInput) -> Result<Challenge> {
    if crate::organs::get_in(tx, organ_id).await?.is_none() {
        return Err(StoreError::not_found("机关", organ_id));
    }
    let clean = input.clean(tx, organ_id, None).await?;
    let now = ts(tx.now());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO challenges (organ_id, application_id, follows_id, kind, case_no, authority, \
         claimant_name, filed_on, result, decided_on, co_defendant_reviewer, notes, created_at, \
         updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, 1) RETURNING id",
    )
    .bind(organ_id)
    .bind(input.application_id)
    .bind(input.follows_id)
    .bind(input.kind.key())
    .bind(&clean.case_no)
    .bind(&clean.authority)
    .bind(&clean.claimant_name)
    .bind(date_text(input.filed_on))
    .bind(input.result.key())
    .bind(input.decided_on.map(date_text))
    .bind(i64::from(input.co_defendant_reviewer))
    .bind(&clean.notes)
    .bind(&now)
    .fetch_one(tx.conn())
    .await?;
    let after = get_in(tx, id).await?;
    tx.audit(
        AuditEntry::new("challenge.create", "challenge", id)
            .organ(Some(organ_id))
            .after(audited(&after)),
    )
    .await?;
    Ok(after)
}

/// Replaces the fields of case `id`. Refused, with nothing written, when the case changed since
/// the officer loaded version `expected_version`.
pub async fn update(
    tx: &mut WriteTx,
    id: i64,
    input: &ChallengeInput,
    expected_version: i64,
) -> Result<Challenge> {
    let lock = tx.row_lock();
    let row = dyn_query(format!(
        "SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?;
    let Some(before) = row.as_ref().map(challenge_from_row).transpose()? else {
        return Err(StoreError::not_found("复议诉讼案件", id));
    };
    if before.version != expected_version {
        return Err(StoreError::StaleVersion {
            current: before.version,
        });
    }
    let clean = input.clean(tx, before.organ_id, Some(id)).await?;
    if before.kind == ChallengeKind::Reconsideration && input.kind != before.kind {
        // A 复议后起诉 litigation names this case as the reconsideration it follows: changing
        // the kind would leave that link pointing at something that is no reconsideration.
        let followers: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM challenges WHERE follows_id = $1")
                .bind(id)
                .fetch_one(tx.conn())
                .await?;
        if followers > 0 {
            return Err(StoreError::Rule(format!(
                "已有 {followers} 件复议后起诉的行政诉讼关联本行政复议案件，不能改为其他类别：请先取消那些案件的关联"
            )));
        }
    }
    let now = ts(tx.now());
    let done = sqlx::query(
        "UPDATE challenges SET application_id = $1, follows_id = $2, kind = $3, case_no = $4, \
         authority = $5, claimant_name = $6, filed_on = $7, result = $8, decided_on = $9, \
         co_defendant_reviewer = $10, notes = $11, updated_at = $12, version = version + 1 \
         WHERE id = $13 AND version = $14",
    )
    .bind(input.application_id)
    .bind(input.follows_id)
    .bind(input.kind.key())
    .bind(&clean.case_no)
    .bind(&clean.authority)
    .bind(&clean.claimant_name)
    .bind(date_text(input.filed_on))
    .bind(input.result.key())
    .bind(input.decided_on.map(date_text))
    .bind(i64::from(input.co_defendant_reviewer))
    .bind(&clean.notes)
    .bind(now)
    .bind(id)
    .bind(expected_version)
    .execute(tx.conn())
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::StaleVersion {
            current: before.version,
        });
    }
    let after = get_in(tx, id).await?;
    tx.audit(
        AuditEntry::new("challenge.update", "challenge", id)
            .organ(Some(after.organ_id))
            .before(audited(&before))
            .after(audited(&after)),
    )
    .await?;
    Ok(after)
}
