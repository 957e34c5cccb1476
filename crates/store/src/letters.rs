//! Letters to applicants (告知书): the templates an organ's administrator edited, and the letters
//! issued for a case. The store keeps text only; rendering and checking a template belong to the
//! letters crate, which the caller runs BEFORE saving (a template that does not render is never
//! stored).

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::AuditEntry;
use crate::db::{Store, WriteTx, get_ts, ts};
use crate::error::{Result, StoreError};

/// An organ's edited template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredTemplate {
    pub organ_id: i64,
    /// The letters crate's template key.
    pub template: String,
    pub source: String,
    pub updated_by: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

/// A letter issued for a case, as rendered when it was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedLetter {
    pub id: i64,
    pub application_id: i64,
    /// The letters crate's `LetterKind` as JSON.
    pub kind: serde_json::Value,
    pub title: String,
    pub body_text: String,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

fn template_from_row(row: &AnyRow) -> Result<StoredTemplate> {
    Ok(StoredTemplate {
        organ_id: row.try_get("organ_id")?,
        template: row.try_get("template")?,
        source: row.try_get("source")?,
        updated_by: row.try_get("updated_by")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

fn letter_from_row(row: &AnyRow) -> Result<IssuedLetter> {
    let kind: String = row.try_get("kind_json")?;
    Ok(IssuedLetter {
        id: row.try_get("id")?,
        application_id: row.try_get("application_id")?,
        kind: serde_json::from_str(&kind)
            .map_err(|e| StoreError::Corrupt(format!("告知书种类: {e}")))?,
        title: row.try_get("title")?,
        body_text: row.try_get("body_text")?,
        created_by: row.try_get("created_by")?,
        created_at: get_ts(row, "created_at")?,
    })
}

const LETTER_COLUMNS: &str =
    "id, application_id, kind_json, title, body_text, created_by, created_at";

/// Saves an organ's edited template (replacing an earlier edit). The caller checked it renders.
pub async fn save_template(
    tx: &mut WriteTx,
    organ_id: i64,
    template: &str,
    source: &str,
) -> Result<()> {
    let before: Option<String> = sqlx::query_scalar(
        "SELECT source FROM letter_templates WHERE organ_id = $1 AND template = $2",
    )
    .bind(organ_id)
    .bind(template)
    .fetch_optional(tx.conn())
    .await?;
    let by = tx.actor().user_id;
    let now = ts(tx.now());
    sqlx::query(
        "INSERT INTO letter_templates (organ_id, template, source, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organ_id, template) DO UPDATE SET \
         source = excluded.source, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at",
    )
    .bind(organ_id)
    .bind(template)
    .bind(source)
    .bind(by)
    .bind(now)
    .execute(tx.conn())
    .await?;
    tx.audit(
        AuditEntry::new("letter_template.save", "organ", organ_id)
            .organ(Some(organ_id))
            .before(serde_json::json!({ "template": template, "source": before }))
            .after(serde_json::json!({ "template": template, "source": source })),
    )
    .await?;
    Ok(())
}

/// Goes back to the template shipped with the program.
pub async fn reset_template(tx: &mut WriteTx, organ_id: i64, template: &str) -> Result<()> {
    let before: Option<String> = sqlx::query_scalar(
        "SELECT source FROM letter_templates WHERE organ_id = $1 AND template = $2",
    )
    .bind(organ_id)
    .bind(template)
    .fetch_optional(tx.conn())
    .await?;
    sqlx::query("DELETE FROM letter_templates WHERE organ_id = $1 AND template = $2")
        .bind(organ_id)
        .bind(template)
        .execute(tx.conn())
        .await?;
    tx.audit(
        AuditEntry::new("letter_template.reset", "organ", organ_id)
            .organ(Some(organ_id))
            .before(serde_json::json!({ "template": template, "source": before })),
    )
    .await?;
    Ok(())
}

/// Records a letter issued for a case.
pub async fn issue_letter(
    tx: &mut WriteTx,
    application_id: i64,
    kind: &serde_json::Value,
    title: &str,
    body_text: &str,
) -> Result<IssuedLetter> {
    let organ_id: Option<i64> =
        sqlx::query_scalar("SELECT organ_id FROM applications WHERE id = $1")
            .bind(application_id)
            .fetch_optional(tx.conn())
            .await?;
    let Some(organ_id) = organ_id else {
        return Err(StoreError::not_found("依申请公开申请", application_id));
    };
    let by = tx.actor().user_id;
    let now = ts(tx.now());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO application_letters (application_id, kind_json, title, body_text, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(application_id)
    .bind(kind.to_string())
    .bind(title)
    .bind(body_text)
    .bind(by)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    tx.audit(
        AuditEntry::new("application.letter", "application", application_id)
            .organ(Some(organ_id))
            .after(serde_json::json!({ "letter_id": id, "kind": kind, "title": title })),
    )
    .await?;
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {LETTER_COLUMNS} FROM application_letters WHERE id = $1"
    )))
    .bind(id)
    .fetch_one(tx.conn())
    .await?;
    letter_from_row(&row)
}

/// Letters: `store.letters()`.
#[derive(Debug, Clone, Copy)]
pub struct Letters<'a> {
    pub(crate) store: &'a Store,
}

impl Letters<'_> {
    /// The organ's edited template, if any (otherwise the default applies).
    pub async fn template(&self, organ_id: i64, template: &str) -> Result<Option<StoredTemplate>> {
        let row = sqlx::query(
            "SELECT organ_id, template, source, updated_by, updated_at FROM letter_templates \
             WHERE organ_id = $1 AND template = $2",
        )
        .bind(organ_id)
        .bind(template)
        .fetch_optional(self.store.pool())
        .await?;
        row.as_ref().map(template_from_row).transpose()
    }

    /// All the organ's edited templates.
    pub async fn templates(&self, organ_id: i64) -> Result<Vec<StoredTemplate>> {
        let rows = sqlx::query(
            "SELECT organ_id, template, source, updated_by, updated_at FROM letter_templates \
             WHERE organ_id = $1 ORDER BY template",
        )
        .bind(organ_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(template_from_row).collect()
    }

    /// The letters issued for a case, oldest first.
    pub async fn issued(&self, application_id: i64) -> Result<Vec<IssuedLetter>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {LETTER_COLUMNS} FROM application_letters WHERE application_id = $1 \
             ORDER BY id"
        )))
        .bind(application_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(letter_from_row).collect()
    }

    /// One letter of one case.
    pub async fn letter(
        &self,
        application_id: i64,
        letter_id: i64,
    ) -> Result<Option<IssuedLetter>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {LETTER_COLUMNS} FROM application_letters \
             WHERE application_id = $1 AND id = $2"
        )))
        .bind(application_id)
        .bind(letter_id)
        .fetch_optional(self.store.pool())
        .await?;
        row.as_ref().map(letter_from_row).transpose()
    }
}
