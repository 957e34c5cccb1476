//! Reads: the public column lists, the staff work lists, the Art 26 figures, the search feed.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_law::{Art20Item, Genre, ItemState, PublicationChannel, Validity};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{
    Attachment, ID_CHUNK, ITEM_COLUMNS, Item, ItemVersion, Items, channels_from_keys, date_text,
    dyn_query, get_date, get_opt_date, ids_query, item_from_row,
};
use crate::db::{get_opt_ts, get_ts};
use crate::error::{Result, StoreError};

/// Filters of the public lists (法定主动公开内容 by Art 20 item, 主题分类, domain, 体裁, year).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicFilter {
    pub organ_id: Option<i64>,
    pub art20_item: Option<Art20Item>,
    pub topic: Option<String>,
    pub domain: Option<String>,
    pub genre: Option<Genre>,
    pub year: Option<i32>,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

/// A line of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemSummary {
    pub id: i64,
    pub organ_id: i64,
    pub state: ItemState,
    pub index_no: Option<String>,
    pub title: String,
    pub genre: Genre,
    pub topic: String,
    pub doc_no: Option<String>,
    pub validity: Option<Validity>,
    pub formed_on: NaiveDate,
    pub due_on: NaiveDate,
    pub published_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemPage {
    pub items: Vec<ItemSummary>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

impl ItemPage {
    pub fn pages(&self) -> u32 {
        let per = i64::from(self.per_page.max(1));
        u32::try_from((self.total + per - 1) / per).unwrap_or(u32::MAX)
    }
}

/// Filters of the staff lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkFilter {
    pub organ_id: i64,
    pub state: Option<ItemState>,
    pub department_id: Option<i64>,
    /// Title contains.
    pub title: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

/// A line of a staff list (work item: draft, in review, withheld…).
pub type WorkItem = ItemSummary;

/// Art 26 figures of an organ's year: how many items were published, and how many within 20
/// working days of their 成文日期.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TimelinessTally {
    pub published: i64,
    pub on_time: i64,
}

impl TimelinessTally {
    pub fn late(&self) -> i64 {
        self.published - self.on_time
    }

    /// The share published on time, in per mille (None when nothing was published).
    pub fn on_time_per_mille(&self) -> Option<i64> {
        (self.published > 0).then(|| self.on_time * 1000 / self.published)
    }
}

/// What the search index needs of a published item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemForIndex {
    pub id: i64,
    pub organ_id: i64,
    pub title: String,
    pub body_text: String,
    pub attachments_text: String,
    pub genre: Genre,
    pub validity: Option<Validity>,
    pub published_on: NaiveDate,
    pub index_no: Option<String>,
    pub doc_no: Option<String>,
}

pub(crate) const SUMMARY_COLUMNS: &str = "id, organ_id, state, index_no, title, genre, topic, doc_no, \
     validity, formed_on, due_on, published_on, updated_at";

pub(crate) fn summary_from_row(row: &AnyRow) -> Result<ItemSummary> {
    let state: String = row.try_get("state")?;
    let genre: String = row.try_get("genre")?;
    let validity: Option<String> = row.try_get("validity")?;
    Ok(ItemSummary {
        id: row.try_get("id")?,
        organ_id: row.try_get("organ_id")?,
        state: ItemState::from_key(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("状态“{state}”")))?,
        index_no: row.try_get("index_no")?,
        title: row.try_get("title")?,
        genre: Genre::parse(&genre).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        topic: row.try_get("topic")?,
        doc_no: row.try_get("doc_no")?,
        validity: validity.as_deref().and_then(|v| Validity::parse(v).ok()),
        formed_on: get_date(row, "formed_on")?,
        due_on: get_date(row, "due_on")?,
        published_on: get_opt_date(row, "published_on")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

enum Param {
    Text(String),
    Int(i64),
}

/// Parameters in number order (the Any driver binds positionally).
struct Params(Vec<Param>);

impl Params {
    fn bind<'q>(
        &'q self,
        mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
        for p in &self.0 {
            q = match p {
                Param::Text(t) => q.bind(t.as_str()),
                Param::Int(i) => q.bind(*i),
            };
        }
        q
    }
}

fn public_where(f: &PublicFilter) -> (String, Params) {
    let mut clauses = vec!["state = 'published'".to_owned()];
    let mut params = Vec::new();
    let mut add = |clause: &str, p: Param, params: &mut Vec<Param>| {
        params.push(p);
        clauses.push(clause.replace("{}", &format!("${}", params.len())));
    };
    if let Some(id) = f.organ_id {
        add("organ_id = {}", Param::Int(id), &mut params);
    }
    if let Some(a) = f.art20_item {
        add(
            "art20_item = {}",
            Param::Int(i64::from(a.number())),
            &mut params,
        );
    }
    if let Some(t) = &f.topic {
        add("topic = {}", Param::Text(t.clone()), &mut params);
    }
    if let Some(d) = &f.domain {
        add("domain = {}", Param::Text(d.clone()), &mut params);
    }
    if let Some(g) = f.genre {
        add("genre = {}", Param::Text(g.key().to_owned()), &mut params);
    }
    if let Some(y) = f.year {
        add(
            "published_on >= {}",
            Param::Text(format!("{y:04}-01-01")),
            &mut params,
        );
        add(
            "published_on <= {}",
            Param::Text(format!("{y:04}-12-31")),
            &mut params,
        );
    }
    (format!(" WHERE {}", clauses.join(" AND ")), Params(params))
}

fn page_bounds(page: u32, per_page: u32) -> (u32, u32, i64) {
    let per = per_page.clamp(1, 100);
    let page = page.max(1);
    (page, per, i64::from(page - 1) * i64::from(per))
}

impl Items<'_> {
    /// The item with this id, whatever its state.
    pub async fn get(&self, id: i64) -> Result<Option<Item>> {
        let row = dyn_query(format!("SELECT {ITEM_COLUMNS} FROM items WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.store.pool())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let channels = self.channels(id).await?;
        Ok(Some(item_from_row(&row, channels)?))
    }

    async fn channels(&self, id: i64) -> Result<Vec<PublicationChannel>> {
        let keys: Vec<String> =
            sqlx::query("SELECT channel FROM item_channels WHERE item_id = $1 ORDER BY channel")
                .bind(id)
                .fetch_all(self.store.pool())
                .await?
                .iter()
                .map(|r| r.try_get("channel"))
                .collect::<std::result::Result<_, _>>()?;
        channels_from_keys(&keys)
    }

    /// A page of published items, newest first.
    pub async fn list_public(&self, filter: &PublicFilter) -> Result<ItemPage> {
        let (page, per_page, offset) = page_bounds(filter.page, filter.per_page);
        let (where_sql, params) = public_where(filter);
        let total: i64 = params
            .bind(dyn_query(format!(
                "SELECT COUNT(*) AS n FROM items{where_sql}"
            )))
            .fetch_one(self.store.pool())
            .await?
            .try_get("n")?;
        let n = params.0.len();
        // The page's ids first, from the index alone (organ_id, state, published_on, id): a deep
        // page then skips index entries, not whole rows.
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM items WHERE id IN (SELECT id FROM items{where_sql} \
             ORDER BY published_on DESC, id DESC LIMIT ${} OFFSET ${}) \
             ORDER BY published_on DESC, id DESC",
            n + 1,
            n + 2
        );
        let rows = params
            .bind(dyn_query(sql.clone()))
            .bind(i64::from(per_page))
            .bind(offset)
            .fetch_all(self.store.pool())
            .await?;
        Ok(ItemPage {
            items: rows.iter().map(summary_from_row).collect::<Result<_>>()?,
            total,
            page,
            per_page,
        })
    }

    /// A page of an organ's items for staff, by state and 科室, most recently changed first.
    pub async fn list_work(&self, filter: &WorkFilter) -> Result<ItemPage> {
        let (page, per_page, offset) = page_bounds(filter.page, filter.per_page);
        let mut clauses = vec!["organ_id = $1".to_owned()];
        let mut params = vec![Param::Int(filter.organ_id)];
        if let Some(s) = filter.state {
            params.push(Param::Text(s.key().to_owned()));
            clauses.push(format!("state = ${}", params.len()));
        }
        if let Some(d) = filter.department_id {
            params.push(Param::Int(d));
            clauses.push(format!("department_id = ${}", params.len()));
        }
        if let Some(t) = filter
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            params.push(Param::Text(format!("%{}%", t.replace(['%', '_'], ""))));
            clauses.push(format!("title LIKE ${}", params.len()));
        }
        let params = Params(params);
        let where_sql = format!(" WHERE {}", clauses.join(" AND "));
        let total: i64 = params
            .bind(dyn_query(format!(
                "SELECT COUNT(*) AS n FROM items{where_sql}"
            )))
            .fetch_one(self.store.pool())
            .await?
            .try_get("n")?;
        let n = params.0.len();
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM items{where_sql} ORDER BY updated_at DESC, id DESC \
             LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let rows = params
            .bind(dyn_query(sql.clone()))
            .bind(i64::from(per_page))
            .bind(offset)
            .fetch_all(self.store.pool())
            .await?;
        Ok(ItemPage {
            items: rows.iter().map(summary_from_row).collect::<Result<_>>()?,
            total,
            page,
            per_page,
        })
    }

    /// Unpublished items (采编中, 待审核) of an organ whose Art 26 due date is on or before
    /// `until`, earliest first — the overdue ones are those due before today.
    pub async fn due_by(&self, organ_id: i64, until: NaiveDate) -> Result<Vec<WorkItem>> {
        let rows = dyn_query(format!(
            "SELECT {SUMMARY_COLUMNS} FROM items WHERE organ_id = $1 \
             AND state IN ('draft', 'in_review') AND due_on <= $2 ORDER BY due_on, id LIMIT 500"
        ))
        .bind(organ_id)
        .bind(date_text(until))
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(summary_from_row).collect()
    }

    /// Withheld items whose Art 18 re-review date has come.
    pub async fn rereview_due(&self, organ_id: i64, today: NaiveDate) -> Result<Vec<WorkItem>> {
        let rows = dyn_query(format!(
            "SELECT {SUMMARY_COLUMNS} FROM items WHERE organ_id = $1 AND state = 'withheld' \
             AND rereview_on <= $2 ORDER BY rereview_on, id LIMIT 500"
        ))
        .bind(organ_id)
        .bind(date_text(today))
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(summary_from_row).collect()
    }

    /// Art 26 figures for items published in `year` by `organ_id`.
    pub async fn timeliness(&self, organ_id: i64, year: i32) -> Result<TimelinessTally> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS published, \
             COALESCE(SUM(CASE WHEN published_on <= due_on THEN 1 ELSE 0 END), 0) AS on_time \
             FROM items WHERE organ_id = $1 AND state IN ('published', 'withdrawn') \
             AND published_on >= $2 AND published_on <= $3",
        )
        .bind(organ_id)
        .bind(format!("{year:04}-01-01"))
        .bind(format!("{year:04}-12-31"))
        .fetch_one(self.store.pool())
        .await?;
        Ok(TimelinessTally {
            published: row.try_get("published")?,
            on_time: row.try_get("on_time")?,
        })
    }

    /// How many items published in `year` went out on each channel (an item on two channels
    /// counts on both).
    pub async fn channel_counts(
        &self,
        organ_id: i64,
        year: i32,
    ) -> Result<Vec<(PublicationChannel, i64)>> {
        let mut by_organ = self.channel_counts_for(&[organ_id], year).await?;
        Ok(by_organ.remove(&organ_id).unwrap_or_default())
    }

    /// [`Items::channel_counts`] of several organs at once, one query per [`ID_CHUNK`] organs;
    /// every organ asked for has an entry.
    pub async fn channel_counts_for(
        &self,
        organ_ids: &[i64],
        year: i32,
    ) -> Result<BTreeMap<i64, Vec<(PublicationChannel, i64)>>> {
        let mut out: BTreeMap<i64, Vec<(PublicationChannel, i64)>> =
            organ_ids.iter().map(|id| (*id, Vec::new())).collect();
        for chunk in organ_ids.chunks(ID_CHUNK) {
            let n = chunk.len();
            let query = ids_query(chunk, |list| {
                format!(
                    "SELECT i.organ_id AS organ_id, c.channel AS channel, COUNT(*) AS n \
                     FROM item_channels c JOIN items i ON i.id = c.item_id \
                     WHERE i.organ_id IN ({}) AND i.state IN ('published', 'withdrawn') \
                     AND i.published_on >= ${} AND i.published_on <= ${} \
                     GROUP BY i.organ_id, c.channel",
                    list,
                    n + 1,
                    n + 2
                )
            });
            let rows = query
                .bind(format!("{year:04}-01-01"))
                .bind(format!("{year:04}-12-31"))
                .fetch_all(self.store.pool())
                .await?;
            for row in &rows {
                let key: String = row.try_get("channel")?;
                if let Ok(c) = PublicationChannel::parse(&key) {
                    let organ_id: i64 = row.try_get("organ_id")?;
                    out.entry(organ_id)
                        .or_default()
                        .push((c, row.try_get("n")?));
                }
            }
        }
        for counts in out.values_mut() {
            counts.sort();
        }
        Ok(out)
    }

    /// Items published in `year` on the organ's own site (the column or the portal), and those
    /// published only elsewhere (官媒客户端, 报纸, 公开栏 …): the split annual reports state in
    /// section 一 ("依托政府信息公开专栏公开20条，通过官媒客户端、报纸等媒介公开328条").
    pub async fn site_split(&self, organ_id: i64, year: i32) -> Result<(i64, i64)> {
        Ok(self
            .site_split_for(&[organ_id], year)
            .await?
            .remove(&organ_id)
            .unwrap_or_default())
    }

    /// [`Items::site_split`] of many organs, one query per chunk of organs and side.
    pub async fn site_split_for(
        &self,
        organ_ids: &[i64],
        year: i32,
    ) -> Result<BTreeMap<i64, (i64, i64)>> {
        let mut out: BTreeMap<i64, (i64, i64)> = organ_ids.iter().map(|id| (*id, (0, 0))).collect();
        for chunk in organ_ids.chunks(ID_CHUNK) {
            let n = chunk.len();
            for on_site in [true, false] {
                let exists = if on_site { "EXISTS" } else { "NOT EXISTS" };
                let elsewhere = if on_site {
                    ""
                } else {
                    " AND EXISTS (SELECT 1 FROM item_channels e WHERE e.item_id = i.id)"
                };
                let query = ids_query(chunk, |list| {
                    format!(
                        "SELECT i.organ_id AS organ_id, COUNT(*) AS n FROM items i \
                         WHERE i.organ_id IN ({}) AND i.state IN ('published', 'withdrawn') \
                         AND i.published_on >= ${} AND i.published_on <= ${} \
                         AND {exists} (SELECT 1 FROM item_channels c WHERE c.item_id = i.id \
                         AND c.channel IN ('column', 'portal')){elsewhere} GROUP BY i.organ_id",
                        list,
                        n + 1,
                        n + 2
                    )
                });
                let rows = query
                    .bind(format!("{year:04}-01-01"))
                    .bind(format!("{year:04}-12-31"))
                    .fetch_all(self.store.pool())
                    .await?;
                for row in &rows {
                    let id: i64 = row.try_get("organ_id")?;
                    let count: i64 = row.try_get("n")?;
                    let entry = out.entry(id).or_default();
                    if on_site {
                        entry.0 = count;
                    } else {
                        entry.1 = count;
                    }
                }
            }
        }
        Ok(out)
    }

    /// Published counts per Art 20 item of an organ (for the column's navigation).
    pub async fn art20_counts(&self, organ_id: i64) -> Result<Vec<(Art20Item, i64)>> {
        let rows = sqlx::query(
            "SELECT art20_item, COUNT(*) AS n FROM items WHERE organ_id = $1 \
             AND state = 'published' AND art20_item IS NOT NULL GROUP BY art20_item \
             ORDER BY art20_item",
        )
        .bind(organ_id)
        .fetch_all(self.store.pool())
        .await?;
        let mut out = Vec::new();
        for row in &rows {
            let n: i64 = row.try_get("art20_item")?;
            if let Some(a) = u8::try_from(n).ok().and_then(Art20Item::new) {
                out.push((a, row.try_get("n")?));
            }
        }
        Ok(out)
    }

    /// Published counts per value of `column` ("topic" or "domain") of an organ.
    pub async fn term_counts(&self, organ_id: i64, domain: bool) -> Result<Vec<(String, i64)>> {
        let column = if domain { "domain" } else { "topic" };
        let rows = dyn_query(format!(
            "SELECT {column} AS term, COUNT(*) AS n FROM items WHERE organ_id = $1 \
             AND state = 'published' AND {column} IS NOT NULL GROUP BY {column} ORDER BY {column}"
        ))
        .bind(organ_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("term")?, r.try_get("n")?)))
            .collect()
    }

    /// Published 规章 and 行政规范性文件 of an organ with no published 政策解读 linked to them.
    pub async fn missing_interpretations(&self, organ_id: i64) -> Result<Vec<ItemSummary>> {
        let rows = dyn_query(format!(
            "SELECT {SUMMARY_COLUMNS} FROM items d WHERE d.organ_id = $1 \
             AND d.state = 'published' AND d.genre IN ('regulation', 'normative_document') \
             AND NOT EXISTS (SELECT 1 FROM items i WHERE i.interprets_item_id = d.id \
             AND i.state = 'published') ORDER BY d.published_on DESC, d.id DESC LIMIT 500"
        ))
        .bind(organ_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(summary_from_row).collect()
    }

    /// The published interpretations of a document.
    pub async fn interpretations_of(&self, item_id: i64) -> Result<Vec<ItemSummary>> {
        let rows = dyn_query(format!(
            "SELECT {SUMMARY_COLUMNS} FROM items WHERE interprets_item_id = $1 \
             AND state = 'published' ORDER BY published_on, id"
        ))
        .bind(item_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(summary_from_row).collect()
    }

    /// Published documents an interpretation can point to (the organ's and its parents'
    /// 规章/规范性文件/其他文件), newest first, for the editor's drop-down.
    pub async fn interpretable_documents(&self, organ_id: i64) -> Result<Vec<ItemSummary>> {
        let rows = dyn_query(format!(
            "SELECT {SUMMARY_COLUMNS} FROM items WHERE organ_id = $1 AND state = 'published' \
             AND genre IN ('regulation', 'normative_document', 'other_document') \
             ORDER BY published_on DESC, id DESC LIMIT 200"
        ))
        .bind(organ_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(summary_from_row).collect()
    }

    /// The published versions of an item, newest first.
    pub async fn versions(&self, item_id: i64) -> Result<Vec<ItemVersion>> {
        let rows = sqlx::query(
            "SELECT version, snapshot_json, reason, changed_by, changed_at FROM item_versions \
             WHERE item_id = $1 ORDER BY version DESC",
        )
        .bind(item_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let json: String = r.try_get("snapshot_json")?;
                Ok(ItemVersion {
                    version: r.try_get("version")?,
                    snapshot: serde_json::from_str(&json)
                        .map_err(|e| StoreError::Corrupt(format!("版本快照: {e}")))?,
                    reason: r.try_get("reason")?,
                    changed_by: r.try_get("changed_by")?,
                    changed_at: get_ts(r, "changed_at")?,
                })
            })
            .collect()
    }

    /// The attachments of an item.
    pub async fn attachments(&self, item_id: i64) -> Result<Vec<Attachment>> {
        let rows = sqlx::query(
            "SELECT id, item_id, file_name, media_type, sha256, size_bytes, created_at \
             FROM item_attachments WHERE item_id = $1 ORDER BY id",
        )
        .bind(item_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(attachment_from_row).collect()
    }

    /// One attachment.
    pub async fn attachment(&self, id: i64) -> Result<Option<Attachment>> {
        let row = sqlx::query(
            "SELECT id, item_id, file_name, media_type, sha256, size_bytes, created_at \
             FROM item_attachments WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.store.pool())
        .await?;
        row.as_ref().map(attachment_from_row).transpose()
    }

    /// Published items with id > `after_id`, by id, at most `limit` — the feed for (re)building
    /// the search index in batches.
    pub async fn for_index(&self, after_id: i64, limit: u32) -> Result<Vec<ItemForIndex>> {
        let rows = sqlx::query(
            "SELECT i.id, i.organ_id, i.title, i.body_text, i.genre, i.validity, i.published_on, \
             i.index_no, i.doc_no \
             FROM items i WHERE i.state = 'published' AND i.id > $1 ORDER BY i.id LIMIT $2",
        )
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(self.store.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let genre: String = r.try_get("genre")?;
            let validity: Option<String> = r.try_get("validity")?;
            let id: i64 = r.try_get("id")?;
            out.push(ItemForIndex {
                id,
                organ_id: r.try_get("organ_id")?,
                title: r.try_get("title")?,
                body_text: r.try_get("body_text")?,
                attachments_text: String::new(),
                genre: Genre::parse(&genre).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                validity: validity.as_deref().and_then(|v| Validity::parse(v).ok()),
                published_on: get_date(r, "published_on")?,
                index_no: r.try_get("index_no")?,
                doc_no: r.try_get("doc_no")?,
            });
        }
        // Attachment text, one query per batch.
        if let (Some(first), Some(last)) = (out.first().map(|i| i.id), out.last().map(|i| i.id)) {
            let rows = sqlx::query(
                "SELECT item_id, text FROM item_attachments WHERE item_id >= $1 AND item_id <= $2 \
                 ORDER BY item_id, id",
            )
            .bind(first)
            .bind(last)
            .fetch_all(self.store.pool())
            .await?;
            for r in &rows {
                let item_id: i64 = r.try_get("item_id")?;
                let text: String = r.try_get("text")?;
                if let Some(item) = out.iter_mut().find(|i| i.id == item_id) {
                    if !item.attachments_text.is_empty() {
                        item.attachments_text.push('\n');
                    }
                    item.attachments_text.push_str(&text);
                }
            }
        }
        Ok(out)
    }

    /// (id, organ_id, updated_at) of published items with id > `after_id` — the sitemap.
    pub async fn published_stamps(
        &self,
        after_id: i64,
        limit: u32,
    ) -> Result<Vec<(i64, i64, DateTime<Utc>)>> {
        let rows = sqlx::query(
            "SELECT id, organ_id, updated_at FROM items WHERE state = 'published' AND id > $1 \
             ORDER BY id LIMIT $2",
        )
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(self.store.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("id")?,
                    r.try_get("organ_id")?,
                    get_ts(r, "updated_at")?,
                ))
            })
            .collect()
    }

    /// When the item was last changed (for feeds), or `None`.
    pub async fn last_published_at(&self, organ_id: i64) -> Result<Option<DateTime<Utc>>> {
        let row = sqlx::query(
            "SELECT MAX(updated_at) AS t FROM items WHERE organ_id = $1 AND state = 'published'",
        )
        .bind(organ_id)
        .fetch_one(self.store.pool())
        .await?;
        get_opt_ts(&row, "t")
    }
}

fn attachment_from_row(r: &AnyRow) -> Result<Attachment> {
    Ok(Attachment {
        id: r.try_get("id")?,
        item_id: r.try_get("item_id")?,
        file_name: r.try_get("file_name")?,
        media_type: r.try_get("media_type")?,
        sha256: r.try_get("sha256")?,
        size_bytes: r.try_get("size_bytes")?,
        created_at: get_ts(r, "created_at")?,
    })
}

/// A 规章 or 行政规范性文件 as table 二 of the annual report counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDocument {
    pub id: i64,
    pub genre: Genre,
    /// 成文日期.
    pub formed_on: NaiveDate,
    pub validity: Option<Validity>,
    /// When it became 失效 or 废止.
    pub validity_changed_on: Option<NaiveDate>,
}

impl Items<'_> {
    /// The organ's published (or later withdrawn) 规章 and 行政规范性文件, for table 二.
    pub async fn report_documents(&self, organ_id: i64) -> Result<Vec<ReportDocument>> {
        let mut by_organ = self.report_documents_for(&[organ_id]).await?;
        Ok(by_organ.remove(&organ_id).unwrap_or_default())
    }

    /// [`Items::report_documents`] of several organs at once, by organ and id, one query per
    /// [`ID_CHUNK`] organs; every organ asked for has an entry.
    pub async fn report_documents_for(
        &self,
        organ_ids: &[i64],
    ) -> Result<BTreeMap<i64, Vec<ReportDocument>>> {
        let mut out: BTreeMap<i64, Vec<ReportDocument>> =
            organ_ids.iter().map(|id| (*id, Vec::new())).collect();
        for chunk in organ_ids.chunks(ID_CHUNK) {
            let query = ids_query(chunk, |list| {
                format!(
                    "SELECT id, organ_id, genre, formed_on, validity, validity_changed_on FROM items \
                     WHERE organ_id IN ({}) AND state IN ('published', 'withdrawn') \
                     AND genre IN ('regulation', 'normative_document') ORDER BY id",
                    list
                )
            });
            let rows = query.fetch_all(self.store.pool()).await?;
            for row in &rows {
                let genre: String = row.try_get("genre")?;
                let validity: Option<String> = row.try_get("validity")?;
                let organ_id: i64 = row.try_get("organ_id")?;
                out.entry(organ_id).or_default().push(ReportDocument {
                    id: row.try_get("id")?,
                    genre: Genre::parse(&genre).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    formed_on: get_date(row, "formed_on")?,
                    validity: validity
                        .as_deref()
                        .map(Validity::parse)
                        .transpose()
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    validity_changed_on: get_opt_date(row, "validity_changed_on")?,
                });
            }
        }
        Ok(out)
    }

    /// How many items `organ_id` published in `year` (withdrawn later included: they were
    /// published), for the report's narrative.
    pub async fn published_count(&self, organ_id: i64, year: i32) -> Result<i64> {
        let by_organ = self.published_counts_for(&[organ_id], year).await?;
        Ok(by_organ.get(&organ_id).copied().unwrap_or(0))
    }

    /// [`Items::published_count`] of several organs at once, one query per [`ID_CHUNK`] organs;
    /// every organ asked for has an entry (0 if it published nothing).
    pub async fn published_counts_for(
        &self,
        organ_ids: &[i64],
        year: i32,
    ) -> Result<BTreeMap<i64, i64>> {
        let mut out: BTreeMap<i64, i64> = organ_ids.iter().map(|id| (*id, 0)).collect();
        for chunk in organ_ids.chunks(ID_CHUNK) {
            let n = chunk.len();
            let query = ids_query(chunk, |list| {
                format!(
                    "SELECT organ_id, COUNT(*) AS n FROM items WHERE organ_id IN ({}) \
                     AND state IN ('published', 'withdrawn') \
                     AND published_on >= ${} AND published_on <= ${} GROUP BY organ_id",
                    list,
                    n + 1,
                    n + 2
                )
            });
            let rows = query
                .bind(format!("{year:04}-01-01"))
                .bind(format!("{year:04}-12-31"))
                .fetch_all(self.store.pool())
                .await?;
            for row in &rows {
                out.insert(row.try_get("organ_id")?, row.try_get("n")?);
            }
        }
        Ok(out)
    }
}
