//! Items of proactive disclosure (主动公开, 条例 Arts 19–26): the 政府信息公开目录 metadata, the
//! editorial workflow (采编 → 审核/保密审查 → 发布, law crate [`gongkai_law::editorial`]), the
//! 索引号, versions, channels and attachments.
//!
//! Every workflow step loads the item inside the write transaction, asks
//! [`gongkai_law::next_state`] whether the step is allowed for this actor in this state, and
//! writes the new state with its audit entry — so two reviewers clicking at once cannot both
//! publish, and no step bypasses the workflow.

mod index_feed;
pub(crate) mod read;
mod reference;
mod write;

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_law::{
    Art20Item, Genre, ItemState, PublicationChannel, SecrecyCheck, Validity, WithholdBasis,
};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Store, get_opt_ts, get_ts};
use crate::error::{Result, StoreError};

pub use index_feed::{INDEX_BATCH_MAX, IndexChange, IndexDocument};
pub use read::{
    ItemForIndex, ItemPage, ItemSummary, PublicFilter, ReportDocument, TimelinessTally, WorkFilter,
    WorkItem,
};
pub use reference::{ReferenceKind, ReferenceTerm};
pub use write::{ApproveInput, ImportedItem, NewAttachment, RevisionInput, WithholdInput};

/// Longest 名称 accepted.
pub const TITLE_MAX: usize = 200;
/// Longest 内容概述.
pub const SUMMARY_MAX: usize = 500;
/// Longest 文号.
pub const DOC_NO_MAX: usize = 100;
/// Longest 主题词 line.
pub const KEYWORDS_MAX: usize = 200;
/// Longest reason (退回, 撤回, 不予公开, 修订说明).
pub const REASON_MAX: usize = 1000;
/// Largest body (sanitised HTML), in characters.
pub const BODY_MAX: usize = 500_000;

/// The content an author writes: everything but the workflow fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemContent {
    pub department_id: Option<i64>,
    /// 名称.
    pub title: String,
    /// 内容概述.
    pub summary: String,
    /// The body as sanitised HTML (the web layer sanitises; the store stores).
    pub body_html: String,
    /// The body as plain text, for search, feeds and the list snippets.
    pub body_text: String,
    /// 体裁分类.
    pub genre: Genre,
    /// 主题分类 (a `topic` reference term).
    pub topic: String,
    /// 基层政务公开 domain (a `domain` reference term).
    pub domain: Option<String>,
    /// The 条例 Art 20 item it falls under.
    pub art20_item: Option<Art20Item>,
    /// 文号.
    pub doc_no: Option<String>,
    /// 主题词, separated by spaces or 、.
    pub keywords: String,
    /// 成文日期: the Art 26 clock starts here.
    pub formed_on: NaiveDate,
    /// 有效性 (documents).
    pub validity: Option<Validity>,
    /// For a 政策解读: the policy document it interprets.
    pub interprets_item_id: Option<i64>,
    /// Where the item goes out (at least one).
    pub channels: Vec<PublicationChannel>,
}

/// A stored item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub id: i64,
    pub organ_id: i64,
    pub state: ItemState,
    /// 索引号, from publication on.
    pub index_no: Option<String>,
    pub content: ItemContent,
    /// Art 26: the last day to publish (20 working days after 成文日期).
    pub due_on: NaiveDate,
    /// 发布日期.
    pub published_on: Option<NaiveDate>,
    pub published_at: Option<DateTime<Utc>>,
    pub validity_changed_on: Option<NaiveDate>,
    pub validity_reason: Option<String>,
    pub author_id: Option<i64>,
    pub reviewer_id: Option<i64>,
    /// The 保密审查 points the reviewer confirmed at the last approval.
    pub secrecy_checks: Vec<SecrecyCheck>,
    /// The reviewer's last word: the reason for 退回 / 不予公开, or the approval note.
    pub review_note: Option<String>,
    pub withhold_basis: Option<WithholdBasis>,
    /// Art 18: when a withheld item is due for re-review.
    pub rereview_on: Option<NaiveDate>,
    pub withdrawn_on: Option<NaiveDate>,
    /// 1 until the first revision after publication.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Item {
    /// The Art 26 timeliness of a published item.
    pub fn published_late(&self) -> Option<bool> {
        self.published_on.map(|p| p > self.due_on)
    }
}

/// One past published state of an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemVersion {
    pub version: i64,
    pub snapshot: serde_json::Value,
    pub reason: String,
    pub changed_by: Option<i64>,
    pub changed_at: DateTime<Utc>,
}

/// A file attached to an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub item_id: i64,
    pub file_name: String,
    pub media_type: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub created_at: DateTime<Utc>,
}

pub(crate) const ITEM_COLUMNS: &str = "id, organ_id, department_id, state, index_no, title, \
     summary, body_html, body_text, genre, topic, domain, art20_item, doc_no, keywords, \
     formed_on, due_on, published_on, published_at, validity, validity_changed_on, \
     validity_reason, interprets_item_id, author_id, reviewer_id, secrecy_checks, review_note, \
     withhold_basis, rereview_on, withdrawn_on, version, created_at, updated_at";

pub(crate) fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(crate) fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| StoreError::Corrupt(format!("日期“{s}”: {e}")))
}

pub(crate) fn get_date(row: &AnyRow, col: &str) -> Result<NaiveDate> {
    let s: String = row.try_get(col)?;
    parse_date(&s)
}

pub(crate) fn get_opt_date(row: &AnyRow, col: &str) -> Result<Option<NaiveDate>> {
    let s: Option<String> = row.try_get(col)?;
    s.as_deref().map(parse_date).transpose()
}

/// A query whose text is assembled from constant column lists and numbered placeholders only —
/// never from input (every value is bound), which is what `AssertSqlSafe` asserts.
pub(crate) fn dyn_query(
    sql: String,
) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(sqlx::AssertSqlSafe(sql))
}

/// Most ids bound in one `IN (…)` list: far below the bind limits of SQLite (32,766) and
/// PostgreSQL (65,535), and small enough that one chunk's rows stay a modest batch.
pub(crate) const ID_CHUNK: usize = 200;

/// `$first, $first+1, …` for `count` values.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The query `sql` makes of one chunk of ids (at most [`ID_CHUNK`]), with the ids bound as
/// `$1 … $n`: `sql` gets that list to put in its `IN (…)`; the caller binds its own parameters
/// after them, numbered from `$n+1`.
pub(crate) fn ids_query(
    ids: &[i64],
    sql: impl FnOnce(&str) -> String,
) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    let mut query = dyn_query(sql(&placeholders(1, ids.len())));
    for id in ids {
        query = query.bind(*id);
    }
    query
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

pub(crate) fn item_from_row(row: &AnyRow, channels: Vec<PublicationChannel>) -> Result<Item> {
    let state: String = row.try_get("state")?;
    let genre: String = row.try_get("genre")?;
    let art20: Option<i64> = row.try_get("art20_item")?;
    let validity: Option<String> = row.try_get("validity")?;
    let checks: String = row.try_get("secrecy_checks")?;
    let basis: Option<String> = row.try_get("withhold_basis")?;
    let doc_no: Option<String> = row.try_get("doc_no")?;
    Ok(Item {
        id: row.try_get("id")?,
        organ_id: row.try_get("organ_id")?,
        state: ItemState::from_key(&state).ok_or_else(|| corrupt("状态", &state))?,
        index_no: row.try_get("index_no")?,
        content: ItemContent {
            department_id: row.try_get("department_id")?,
            title: row.try_get("title")?,
            summary: row.try_get("summary")?,
            body_html: row.try_get("body_html")?,
            body_text: row.try_get("body_text")?,
            genre: Genre::parse(&genre).map_err(|e| corrupt("体裁分类", e))?,
            topic: row.try_get("topic")?,
            domain: row.try_get("domain")?,
            art20_item: art20
                .map(|n| {
                    u8::try_from(n)
                        .ok()
                        .and_then(Art20Item::new)
                        .ok_or_else(|| corrupt("第二十条事项", n))
                })
                .transpose()?,
            doc_no,
            keywords: row.try_get("keywords")?,
            formed_on: get_date(row, "formed_on")?,
            validity: validity
                .as_deref()
                .map(|v| Validity::parse(v).map_err(|e| corrupt("有效性", e)))
                .transpose()?,
            interprets_item_id: row.try_get("interprets_item_id")?,
            channels,
        },
        due_on: get_date(row, "due_on")?,
        published_on: get_opt_date(row, "published_on")?,
        published_at: get_opt_ts(row, "published_at")?,
        validity_changed_on: get_opt_date(row, "validity_changed_on")?,
        validity_reason: row.try_get("validity_reason")?,
        author_id: row.try_get("author_id")?,
        reviewer_id: row.try_get("reviewer_id")?,
        secrecy_checks: checks
            .split(',')
            .filter(|k| !k.is_empty())
            .filter_map(SecrecyCheck::from_key)
            .collect(),
        review_note: row.try_get("review_note")?,
        withhold_basis: basis.as_deref().and_then(WithholdBasis::from_key),
        rereview_on: get_opt_date(row, "rereview_on")?,
        withdrawn_on: get_opt_date(row, "withdrawn_on")?,
        version: row.try_get("version")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

pub(crate) fn channels_from_keys(keys: &[String]) -> Result<Vec<PublicationChannel>> {
    let mut out: Vec<PublicationChannel> = keys
        .iter()
        .map(|k| PublicationChannel::parse(k).map_err(|e| corrupt("公开渠道", e)))
        .collect::<Result<_>>()?;
    out.sort();
    Ok(out)
}

/// Items: `store.items()`.
#[derive(Debug, Clone, Copy)]
pub struct Items<'a> {
    pub(crate) store: &'a Store,
}

pub use write::EditorialRights;

use crate::audit::AuditEntry;
use crate::db::Actor;
use gongkai_calendar::Calendar;

/// The one-transaction forms of the workflow steps (the `pub async fn …(tx, …)` forms in this
/// module's `write` part let a caller combine several steps).
impl Items<'_> {
    pub async fn create(
        &self,
        actor: &Actor,
        organ_id: i64,
        content: &ItemContent,
        calendar: &Calendar,
    ) -> Result<Item> {
        self.store
            .write(actor, async |tx| {
                write::create(tx, organ_id, content, calendar).await
            })
            .await
    }

    pub async fn edit(
        &self,
        actor: &Actor,
        id: i64,
        rights: EditorialRights,
        content: &ItemContent,
        calendar: &Calendar,
    ) -> Result<Item> {
        self.store
            .write(actor, async |tx| {
                write::edit(tx, id, rights, content, calendar).await
            })
            .await
    }

    pub async fn submit(&self, actor: &Actor, id: i64, rights: EditorialRights) -> Result<Item> {
        self.store
            .write(actor, async |tx| write::submit(tx, id, rights).await)
            .await
    }

    pub async fn approve(
        &self,
        actor: &Actor,
        id: i64,
        rights: EditorialRights,
        input: &ApproveInput,
    ) -> Result<Item> {
        self.store
            .write(actor, async |tx| {
                write::approve(tx, id, rights, input).await
            })
            .await
    }

    pub async fn reject(
        &self,
        actor: &Actor,
        id: i64,
        rights: EditorialRights,
        reason: &str,
    ) -> Result<Item> {
        self.store
            .write(actor, async |tx| {
                write::reject(tx, id, rights, reason).await
            })
            .await
    }

    pub async fn withhold(
        &self,
        actor: &Actor,
        id: i64,
        rights: EditorialRights,
        input: &WithholdInput,
    ) -> Result<Item> {
        self.store
            .write(actor, async |tx| {
                write::withhold(tx, id, rights, input).await
            })
            .await
    }

    pub async fn release(
        &self,
        actor: &Actor,
        id: i64,
        rights: EditorialRights,
        note: &str,
    ) -> Result<Item> {
        self.store
            .write(actor, async |tx| write::release(tx, id, rights, note).await)
            .await
    }

    pub async fn keep_withheld(
        &self,
        actor: &Actor,
        id: i64,
        rights: EditorialRights,
        next_on: NaiveDate,
        note: &str,
    ) -> Result<Item> {
        self.store
            .write(actor, async |tx| {
                write::keep_withheld(tx, id, rights, next_on, note).await
            })
            .await
    }

    pub async fn revise(
        &self,
        actor: &Actor,
        id: i64,
        rights: EditorialRights,
        input: &RevisionInput,
        calendar: &Calendar,
    ) -> Result<Item> {
        self.store
            .write(actor, async |tx| {
                write::revise(tx, id, rights, input, calendar).await
            })
            .await
    }

    pub async fn withdraw(
        &self,
        actor: &Actor,
        id: i64,
        rights: EditorialRights,
        reason: &str,
        on: NaiveDate,
    ) -> Result<Item> {
        self.store
            .write(actor, async |tx| {
                write::withdraw(tx, id, rights, reason, on).await
            })
            .await
    }

    pub async fn change_validity(
        &self,
        actor: &Actor,
        id: i64,
        rights: EditorialRights,
        validity: Validity,
        on: NaiveDate,
        reason: &str,
    ) -> Result<Item> {
        self.store
            .write(actor, async |tx| {
                write::change_validity(tx, id, rights, validity, on, reason).await
            })
            .await
    }

    pub async fn add_attachment(
        &self,
        actor: &Actor,
        item_id: i64,
        rights: EditorialRights,
        file: &NewAttachment,
    ) -> Result<i64> {
        self.store
            .write(actor, async |tx| {
                write::add_attachment(tx, item_id, rights, file).await
            })
            .await
    }

    /// Imports already-published items into `organ_id` in ONE transaction with one audit entry
    /// (`item.import`, naming `source`): all of them go in or none does.
    pub async fn import(
        &self,
        actor: &Actor,
        organ_id: i64,
        items: &[ImportedItem],
        source: &str,
        calendar: &Calendar,
    ) -> Result<Vec<i64>> {
        let mut tx = self.store.begin(actor).await?;
        if crate::organs::get_in(&mut tx, organ_id).await?.is_none() {
            return Err(StoreError::not_found("机关", organ_id));
        }
        let ids = write::insert_published(&mut tx, organ_id, items, calendar).await?;
        tx.audit(
            AuditEntry::new("item.import", "organ", organ_id)
                .organ(Some(organ_id))
                .after(serde_json::json!({
                    "source": source,
                    "count": ids.len(),
                    "first_id": ids.first(),
                    "last_id": ids.last(),
                })),
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }
}
