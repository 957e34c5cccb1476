//! The scoring (考核) weights a supervising organ sets for its dashboard: one whole number per
//! criterion, stored as a JSON object by criterion key. Which criteria exist and their defaults
//! are the web layer's (the page that computes the scores); the store keeps the numbers and
//! audits every change.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{Supervision, corrupt};
use crate::audit::AuditEntry;
use crate::db::{Actor, WriteTx, get_ts, ts};
use crate::error::{Result, StoreError};

/// Largest weight of one criterion.
pub const WEIGHT_MAX: u32 = 100;

/// The stored weights of a supervising organ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightsRecord {
    pub weights: BTreeMap<String, u32>,
    pub updated_by: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

impl Supervision<'_> {
    /// The weights `organ_id` saved, if it ever did.
    pub async fn weights(&self, organ_id: i64) -> Result<Option<WeightsRecord>> {
        let row = sqlx::query(
            "SELECT weights, updated_by, updated_at FROM supervision_weights WHERE organ_id = $1",
        )
        .bind(organ_id)
        .fetch_optional(self.store.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let text: String = row.try_get("weights")?;
        Ok(Some(WeightsRecord {
            weights: serde_json::from_str(&text).map_err(|e| corrupt("考核权重", e))?,
            updated_by: row.try_get("updated_by")?,
            updated_at: get_ts(&row, "updated_at")?,
        }))
    }

    /// Saves the weights of `organ_id` (one transaction, audited with the old and new values).
    pub async fn save_weights(
        &self,
        actor: &Actor,
        organ_id: i64,
        weights: &BTreeMap<String, u32>,
    ) -> Result<()> {
        self.store
            .write(actor, async |tx| save_weights(tx, organ_id, weights).await)
            .await
    }
}

/// [`Supervision::save_weights`] inside a caller's transaction.
pub async fn save_weights(
    tx: &mut WriteTx,
    organ_id: i64,
    weights: &BTreeMap<String, u32>,
) -> Result<()> {
    if let Some((key, w)) = weights.iter().find(|(_, w)| **w > WEIGHT_MAX) {
        return Err(StoreError::Rule(format!(
            "权重“{key}”为 {w}，超过上限 {WEIGHT_MAX}：请填写 0 到 {WEIGHT_MAX} 的整数"
        )));
    }
    if weights.values().all(|w| *w == 0) {
        return Err(StoreError::Rule(
            "权重不能全部为 0：至少给一项考核指标设定大于 0 的权重".to_owned(),
        ));
    }
    if crate::organs::get_in(tx, organ_id).await?.is_none() {
        return Err(StoreError::not_found("机关", organ_id));
    }
    let before: Option<String> =
        sqlx::query_scalar("SELECT weights FROM supervision_weights WHERE organ_id = $1")
            .bind(organ_id)
            .fetch_optional(tx.conn())
            .await?;
    let text = serde_json::to_string(weights).map_err(|e| corrupt("考核权重", e))?;
    sqlx::query(
        "INSERT INTO supervision_weights (organ_id, weights, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (organ_id) DO UPDATE SET \
         weights = excluded.weights, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at",
    )
    .bind(organ_id)
    .bind(&text)
    .bind(tx.actor().user_id)
    .bind(ts(tx.now()))
    .execute(tx.conn())
    .await?;
    let before: Option<serde_json::Value> = before
        .map(|t| serde_json::from_str(&t))
        .transpose()
        .map_err(|e| corrupt("考核权重", e))?;
    tx.audit(
        AuditEntry::new("supervision.weights", "organ", organ_id)
            .organ(Some(organ_id))
            .before(before)
            .after(serde_json::json!(weights)),
    )
    .await?;
    Ok(())
}
