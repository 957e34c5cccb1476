//! Reference data the office edits (not code): 主题分类 and 基层政务公开 domains.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::Items;
use crate::audit::AuditEntry;
use crate::db::{Actor, WriteTx, get_bool};
use crate::domain::clean_required;
use crate::error::{Result, StoreError, is_unique_violation};

/// Which list a term belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceKind {
    /// 主题分类, "一级\二级".
    Topic,
    /// 基层政务公开 domain.
    Domain,
}

impl ReferenceKind {
    pub const fn key(self) -> &'static str {
        match self {
            ReferenceKind::Topic => "topic",
            ReferenceKind::Domain => "domain",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            ReferenceKind::Topic => "主题分类",
            ReferenceKind::Domain => "公开领域",
        }
    }

    pub fn from_key(key: &str) -> Option<ReferenceKind> {
        match key {
            "topic" => Some(ReferenceKind::Topic),
            "domain" => Some(ReferenceKind::Domain),
            _ => None,
        }
    }
}

/// One term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferenceTerm {
    pub id: i64,
    pub kind: ReferenceKind,
    pub name: String,
    pub sort: i64,
    pub active: bool,
}

fn term_from_row(row: &AnyRow, kind: ReferenceKind) -> Result<ReferenceTerm> {
    Ok(ReferenceTerm {
        id: row.try_get("id")?,
        kind,
        name: row.try_get("name")?,
        sort: row.try_get("sort")?,
        active: get_bool(row, "active")?,
    })
}

/// Accepts `name` for `kind` only if it is an active term.
pub(crate) async fn check_term(tx: &mut WriteTx, kind: ReferenceKind, name: &str) -> Result<()> {
    let found =
        sqlx::query("SELECT id FROM reference_terms WHERE kind = $1 AND name = $2 AND active = 1")
            .bind(kind.key())
            .bind(name)
            .fetch_optional(tx.conn())
            .await?;
    if found.is_none() {
        return Err(crate::error::ValidationError::UnknownReferenceTerm {
            field: kind.label(),
            value: name.to_owned(),
        }
        .into());
    }
    Ok(())
}

impl Items<'_> {
    /// The terms of `kind`, in order; inactive ones only when `include_inactive`.
    pub async fn reference_terms(
        &self,
        kind: ReferenceKind,
        include_inactive: bool,
    ) -> Result<Vec<ReferenceTerm>> {
        let rows = sqlx::query(
            "SELECT id, name, sort, active FROM reference_terms WHERE kind = $1 \
             AND (active = 1 OR $2 = 1) ORDER BY sort, name",
        )
        .bind(kind.key())
        .bind(i64::from(include_inactive))
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(|r| term_from_row(r, kind)).collect()
    }

    /// Adds a term at the end of its list (audit `reference.add`).
    pub async fn add_reference_term(
        &self,
        actor: &Actor,
        kind: ReferenceKind,
        name: &str,
    ) -> Result<ReferenceTerm> {
        let name = clean_required(kind.label(), name, 100)?;
        let mut tx = self.store.begin(actor).await?;
        let inserted = sqlx::query(
            "INSERT INTO reference_terms (kind, name, sort) VALUES ($1, $2, \
             (SELECT COALESCE(MAX(sort), 0) + 1 FROM reference_terms WHERE kind = $1)) \
             RETURNING id, name, sort, active",
        )
        .bind(kind.key())
        .bind(&name)
        .fetch_one(tx.conn())
        .await;
        let term = match inserted {
            Ok(row) => term_from_row(&row, kind)?,
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::Rule(format!("{}“{name}”已存在", kind.label())));
            }
            Err(e) => return Err(e.into()),
        };
        tx.audit(AuditEntry::new("reference.add", "reference_term", term.id).after(&term))
            .await?;
        tx.commit().await?;
        Ok(term)
    }

    /// Retires or restores a term (audit `reference.active`). Items keep the term they have.
    pub async fn set_reference_term_active(
        &self,
        actor: &Actor,
        id: i64,
        active: bool,
    ) -> Result<()> {
        let mut tx = self.store.begin(actor).await?;
        let done = sqlx::query("UPDATE reference_terms SET active = $1 WHERE id = $2")
            .bind(i64::from(active))
            .bind(id)
            .execute(tx.conn())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("参考数据", id));
        }
        tx.audit(
            AuditEntry::new("reference.active", "reference_term", id)
                .after(serde_json::json!({ "active": active })),
        )
        .await?;
        tx.commit().await
    }
}
