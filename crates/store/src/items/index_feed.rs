//! The feed of the full-text search index: what changed since a watermark, and the published
//! items in the shape the indexer needs (with the organ's name and the attachments' text).
//!
//! Every app server keeps its own index directory and FOLLOWS THE DATABASE: it polls
//! [`Items::index_changes`] with the `(updated_at, id)` of the last change it applied, upserts the
//! items that are published and deletes every other one (withdrawn, back in draft, withheld).
//! Every write of an item sets `updated_at` (see `write.rs`), so no change is missed by a server
//! that did not make it.
//!
//! `updated_at` comes from the writing server's clock and is read before the transaction
//! commits, so a change can become visible with an `updated_at` slightly behind one already
//! seen; the indexer therefore re-reads a short look-back window (its own concern, see the web
//! crate's `indexer.rs`).

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_law::{Genre, ItemState, Validity};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Items, dyn_query, get_date, get_opt_date, placeholders};
use crate::db::{get_opt_ts, get_ts, ts};
use crate::error::{Result, StoreError};

/// Largest batch the feed returns (bounds the `IN (…)` list and the memory of one batch).
pub const INDEX_BATCH_MAX: u32 = 1000;

/// One change of an item, as the incremental indexer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexChange {
    pub id: i64,
    pub state: ItemState,
    pub updated_at: DateTime<Utc>,
}

impl IndexChange {
    /// Whether the item belongs in the public index (otherwise it is deleted from it).
    pub fn is_public(&self) -> bool {
        self.state == ItemState::Published
    }
}

/// A published item with everything the search index stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDocument {
    pub id: i64,
    pub organ_id: i64,
    /// 发布机构.
    pub organ_name: String,
    pub title: String,
    /// 内容概述.
    pub summary: String,
    pub body_text: String,
    /// 主题词.
    pub keywords: String,
    /// The attachments' extracted text, in upload order, separated by line breaks.
    pub attachments_text: String,
    pub genre: Genre,
    pub validity: Option<Validity>,
    /// 成文日期.
    pub formed_on: NaiveDate,
    /// 发布日期.
    pub published_on: NaiveDate,
    pub published_at: Option<DateTime<Utc>>,
    pub index_no: Option<String>,
    pub doc_no: Option<String>,
    pub updated_at: DateTime<Utc>,
}

const DOCUMENT_COLUMNS: &str = "i.id, i.organ_id, o.name AS organ_name, i.title, i.summary, \
     i.body_text, i.keywords, i.genre, i.validity, i.formed_on, i.published_on, i.published_at, \
     i.index_no, i.doc_no, i.updated_at";

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn document_from_row(row: &AnyRow) -> Result<IndexDocument> {
    let genre: String = row.try_get("genre")?;
    let validity: Option<String> = row.try_get("validity")?;
    let id: i64 = row.try_get("id")?;
    Ok(IndexDocument {
        id,
        organ_id: row.try_get("organ_id")?,
        organ_name: row.try_get("organ_name")?,
        title: row.try_get("title")?,
        summary: row.try_get("summary")?,
        body_text: row.try_get("body_text")?,
        keywords: row.try_get("keywords")?,
        attachments_text: String::new(),
        genre: Genre::parse(&genre).map_err(|e| corrupt("体裁分类", e))?,
        validity: validity
            .as_deref()
            .map(|v| Validity::parse(v).map_err(|e| corrupt("有效性", e)))
            .transpose()?,
        formed_on: get_date(row, "formed_on")?,
        published_on: get_opt_date(row, "published_on")?
            .ok_or_else(|| corrupt("发布日期", format!("已发布的信息 {id} 没有发布日期")))?,
        published_at: get_opt_ts(row, "published_at")?,
        index_no: row.try_get("index_no")?,
        doc_no: row.try_get("doc_no")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

impl Items<'_> {
    /// Changes after the watermark `(since, after_id)`: items whose `(updated_at, id)` is
    /// greater, in that order, at most `limit` (capped at [`INDEX_BATCH_MAX`]). Pass the last
    /// returned change as the next watermark to read the following batch. Every state is
    /// returned; [`IndexChange::is_public`] tells upsert from delete.
    pub async fn index_changes(
        &self,
        since: DateTime<Utc>,
        after_id: i64,
        limit: u32,
    ) -> Result<Vec<IndexChange>> {
        let since = ts(since);
        let rows = sqlx::query(
            "SELECT id, state, updated_at FROM items \
             WHERE updated_at > $1 OR (updated_at = $2 AND id > $3) \
             ORDER BY updated_at, id LIMIT $4",
        )
        .bind(since.as_str())
        .bind(since.as_str())
        .bind(after_id)
        .bind(i64::from(limit.clamp(1, INDEX_BATCH_MAX)))
        .fetch_all(self.store.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let state: String = r.try_get("state")?;
                Ok(IndexChange {
                    id: r.try_get("id")?,
                    state: ItemState::from_key(&state).ok_or_else(|| corrupt("状态", &state))?,
                    updated_at: get_ts(r, "updated_at")?,
                })
            })
            .collect()
    }

    /// The latest `updated_at` of any item (`None` when there are none): the watermark to
    /// start following changes from after a full rebuild.
    pub async fn last_change(&self) -> Result<Option<DateTime<Utc>>> {
        let row = sqlx::query("SELECT MAX(updated_at) AS t FROM items")
            .fetch_one(self.store.pool())
            .await?;
        get_opt_ts(&row, "t")
    }

    /// Published items with id > `after_id`, by id, at most `limit` (capped at
    /// [`INDEX_BATCH_MAX`]) — the batches of a full rebuild.
    pub async fn index_documents_after(
        &self,
        after_id: i64,
        limit: u32,
    ) -> Result<Vec<IndexDocument>> {
        let rows = dyn_query(format!(
            "SELECT {DOCUMENT_COLUMNS} FROM items i JOIN organs o ON o.id = i.organ_id \
             WHERE i.state = 'published' AND i.id > $1 ORDER BY i.id LIMIT $2"
        ))
        .bind(after_id)
        .bind(i64::from(limit.clamp(1, INDEX_BATCH_MAX)))
        .fetch_all(self.store.pool())
        .await?;
        let mut docs = rows
            .iter()
            .map(document_from_row)
            .collect::<Result<Vec<_>>>()?;
        if let (Some(first), Some(last)) = (docs.first().map(|d| d.id), docs.last().map(|d| d.id)) {
            let rows = sqlx::query(
                "SELECT item_id, text FROM item_attachments \
                 WHERE item_id >= $1 AND item_id <= $2 ORDER BY item_id, id",
            )
            .bind(first)
            .bind(last)
            .fetch_all(self.store.pool())
            .await?;
            attach_texts(&mut docs, &rows)?;
        }
        Ok(docs)
    }

    /// The published items among `ids` (others are left out: the caller deletes them from the
    /// index), by id. At most [`INDEX_BATCH_MAX`] ids are read; pass more in several calls.
    pub async fn index_documents(&self, ids: &[i64]) -> Result<Vec<IndexDocument>> {
        let ids = &ids[..ids.len().min(INDEX_BATCH_MAX as usize)];
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = placeholders(1, ids.len());
        let mut q = dyn_query(format!(
            "SELECT {DOCUMENT_COLUMNS} FROM items i JOIN organs o ON o.id = i.organ_id \
             WHERE i.state = 'published' AND i.id IN ({list}) ORDER BY i.id"
        ));
        for id in ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(self.store.pool()).await?;
        let mut docs = rows
            .iter()
            .map(document_from_row)
            .collect::<Result<Vec<_>>>()?;
        if !docs.is_empty() {
            let found: Vec<i64> = docs.iter().map(|d| d.id).collect();
            let list = placeholders(1, found.len());
            let mut q = dyn_query(format!(
                "SELECT item_id, text FROM item_attachments WHERE item_id IN ({list}) \
                 ORDER BY item_id, id"
            ));
            for id in &found {
                q = q.bind(*id);
            }
            let rows = q.fetch_all(self.store.pool()).await?;
            attach_texts(&mut docs, &rows)?;
        }
        Ok(docs)
    }
}

/// Appends attachment texts (rows ordered by item id) to the documents (ordered by id).
fn attach_texts(docs: &mut [IndexDocument], rows: &[AnyRow]) -> Result<()> {
    for r in rows {
        let item_id: i64 = r.try_get("item_id")?;
        let text: String = r.try_get("text")?;
        if let Ok(pos) = docs.binary_search_by_key(&item_id, |d| d.id)
            && let Some(doc) = docs.get_mut(pos)
        {
            if !doc.attachments_text.is_empty() {
                doc.attachments_text.push('\n');
            }
            doc.attachments_text.push_str(&text);
        }
    }
    Ok(())
}
