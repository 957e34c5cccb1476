//! Writes: create and edit drafts, the workflow steps, revisions, imports, attachments.

use chrono::{Datelike, NaiveDate};
use gongkai_calendar::Calendar;
use gongkai_law::{
    EditorialActor, ItemState, SecrecyCheck, Step, Validity, WithholdBasis, next_state,
    proactive_due_date,
};
use serde::Serialize;
use sqlx::Row;

use super::reference::{ReferenceKind, check_term};
use super::{
    BODY_MAX, DOC_NO_MAX, ITEM_COLUMNS, Item, ItemContent, KEYWORDS_MAX, REASON_MAX, SUMMARY_MAX,
    TITLE_MAX, channels_from_keys, date_text, dyn_query, item_from_row,
};
use crate::audit::AuditEntry;
use crate::db::{Backend, WriteTx, ts};
use crate::departments;
use crate::domain::{clean_optional, clean_required};
use crate::error::{Result, StoreError, ValidationError};
use crate::organs;

/// What the reviewer records when approving (审核通过并发布).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApproveInput {
    /// The 保密审查 points confirmed; all of [`SecrecyCheck::ALL`] are required.
    pub checks: Vec<SecrecyCheck>,
    pub note: Option<String>,
    /// 发布日期 (today, from the caller's clock).
    pub published_on: NaiveDate,
}

/// What the reviewer records when withholding (不予公开, Arts 14–16; re-review Art 18).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithholdInput {
    pub basis: WithholdBasis,
    pub reason: String,
    pub rereview_on: NaiveDate,
}

/// A change to a published item (a new version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionInput {
    pub content: ItemContent,
    pub reason: String,
}

/// An item from an existing ledger or the demo data: already published, on its own date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedItem {
    pub content: ItemContent,
    pub published_on: NaiveDate,
    /// The 索引号 it already has; `None` allocates one. An existing 索引号 is kept (it never
    /// changes, legal-rules.md §E.3).
    pub index_no: Option<String>,
}

/// An attachment's stored file and extracted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    pub file_name: String,
    pub media_type: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub text: String,
}

/// Checks and cleans an item's content; returns it with its Art 26 due date.
///
/// `existing` is the item's current content when it is edited or revised: a 主题分类 or domain it
/// already has stays acceptable after the term is retired (items keep the term they have).
async fn clean_content(
    tx: &mut WriteTx,
    organ_id: i64,
    content: &ItemContent,
    existing: Option<&ItemContent>,
    calendar: &Calendar,
) -> Result<(ItemContent, NaiveDate)> {
    let title = clean_required("名称", &content.title, TITLE_MAX)?;
    let summary =
        clean_optional("内容概述", Some(&content.summary), SUMMARY_MAX)?.unwrap_or_default();
    let doc_no = clean_optional("文号", content.doc_no.as_deref(), DOC_NO_MAX)?;
    let keywords =
        clean_optional("主题词", Some(&content.keywords), KEYWORDS_MAX)?.unwrap_or_default();
    if content.body_html.chars().count() > BODY_MAX {
        return Err(ValidationError::TooLong {
            field: "正文",
            max: BODY_MAX,
        }
        .into());
    }
    let topic = clean_required("主题分类", &content.topic, 100)?;
    if existing.is_none_or(|e| e.topic != topic) {
        check_term(tx, ReferenceKind::Topic, &topic).await?;
    }
    let domain = clean_optional("领域", content.domain.as_deref(), 100)?;
    if let Some(d) = &domain
        && existing.is_none_or(|e| e.domain.as_ref() != Some(d))
    {
        check_term(tx, ReferenceKind::Domain, d).await?;
    }
    if let Some(department_id) = content.department_id {
        let department = departments::get_in(tx, department_id)
            .await?
            .ok_or_else(|| StoreError::not_found("科室", department_id))?;
        if department.organ_id != organ_id {
            return Err(ValidationError::DepartmentOutsideOrgan {
                department_id,
                organ_id,
            }
            .into());
        }
    }
    if content.channels.is_empty() {
        return Err(StoreError::Rule(
            "请至少选择一个公开渠道（如政府信息公开专栏、官媒客户端、报纸）".into(),
        ));
    }
    if let Some(target) = content.interprets_item_id {
        let row = sqlx::query("SELECT genre FROM items WHERE id = $1")
            .bind(target)
            .fetch_optional(tx.conn())
            .await?;
        if row.is_none() {
            return Err(StoreError::not_found("被解读的政策文件", target));
        }
    }
    let due_on = proactive_due_date(content.formed_on, calendar)?;
    let mut channels = content.channels.clone();
    channels.sort();
    channels.dedup();
    Ok((
        ItemContent {
            title,
            summary,
            doc_no,
            keywords,
            topic,
            domain,
            channels,
            ..content.clone()
        },
        due_on,
    ))
}

async fn write_channels(tx: &mut WriteTx, item_id: i64, content: &ItemContent) -> Result<()> {
    sqlx::query("DELETE FROM item_channels WHERE item_id = $1")
        .bind(item_id)
        .execute(tx.conn())
        .await?;
    for channel in &content.channels {
        sqlx::query("INSERT INTO item_channels (item_id, channel) VALUES ($1, $2)")
            .bind(item_id)
            .bind(channel.key())
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// The item, read inside the transaction (the workflow decides on what this sees).
pub(crate) async fn get_in(tx: &mut WriteTx, id: i64) -> Result<Option<Item>> {
    let row = dyn_query(format!("SELECT {ITEM_COLUMNS} FROM items WHERE id = $1"))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?;
    let Some(row) = row else { return Ok(None) };
    let keys: Vec<String> =
        sqlx::query("SELECT channel FROM item_channels WHERE item_id = $1 ORDER BY channel")
            .bind(id)
            .fetch_all(tx.conn())
            .await?
            .iter()
            .map(|r| r.try_get("channel"))
            .collect::<std::result::Result<_, _>>()?;
    Ok(Some(item_from_row(&row, channels_from_keys(&keys)?)?))
}

/// The item a step decides on. On PostgreSQL (READ COMMITTED) its row is locked until commit
/// first: otherwise two reviewers approving at once both see 待审核 and both publish (SQLite
/// write transactions are serialised by `BEGIN IMMEDIATE` already).
async fn load(tx: &mut WriteTx, id: i64) -> Result<Item> {
    if tx.backend() == Backend::Postgres {
        sqlx::query("SELECT id FROM items WHERE id = $1 FOR UPDATE")
            .bind(id)
            .execute(tx.conn())
            .await?;
    }
    get_in(tx, id)
        .await?
        .ok_or_else(|| StoreError::not_found("信息", id))
}

/// Who may do what, from the caller's authorization table; whether the actor is the author is
/// decided here from the stored item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditorialRights {
    pub can_write: bool,
    pub can_review: bool,
}

fn actor_for(tx: &WriteTx, item: &Item, rights: EditorialRights) -> EditorialActor {
    EditorialActor {
        can_write: rights.can_write,
        can_review: rights.can_review,
        is_author: tx.actor().user_id.is_some() && tx.actor().user_id == item.author_id,
    }
}

fn check_step(tx: &WriteTx, item: &Item, step: Step, rights: EditorialRights) -> Result<ItemState> {
    Ok(next_state(item.state, step, actor_for(tx, item, rights))?)
}

fn required_reason(field: &'static str, reason: &str) -> Result<String> {
    Ok(clean_required(field, reason, REASON_MAX)?)
}

/// Creates a draft in `organ_id` (audit `item.create`); the acting user is its author.
pub async fn create(
    tx: &mut WriteTx,
    organ_id: i64,
    content: &ItemContent,
    calendar: &Calendar,
) -> Result<Item> {
    if organs::get_in(tx, organ_id).await?.is_none() {
        return Err(StoreError::not_found("机关", organ_id));
    }
    let (content, due_on) = clean_content(tx, organ_id, content, None, calendar).await?;
    let id = insert(tx, organ_id, &content, due_on, ItemState::Draft).await?;
    let item = load(tx, id).await?;
    tx.audit(
        AuditEntry::new("item.create", "item", id)
            .organ(Some(organ_id))
            .after(&item),
    )
    .await?;
    Ok(item)
}

async fn insert(
    tx: &mut WriteTx,
    organ_id: i64,
    content: &ItemContent,
    due_on: NaiveDate,
    state: ItemState,
) -> Result<i64> {
    let now = ts(tx.now());
    let author = tx.actor().user_id;
    let row = sqlx::query(
        "INSERT INTO items (organ_id, department_id, state, title, summary, body_html, body_text, \
         genre, topic, domain, art20_item, doc_no, keywords, formed_on, due_on, validity, \
         interprets_item_id, author_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19, $19) RETURNING id",
    )
    .bind(organ_id)
    .bind(content.department_id)
    .bind(state.key())
    .bind(&content.title)
    .bind(&content.summary)
    .bind(&content.body_html)
    .bind(&content.body_text)
    .bind(content.genre.key())
    .bind(&content.topic)
    .bind(&content.domain)
    .bind(content.art20_item.map(|a| i64::from(a.number())))
    .bind(&content.doc_no)
    .bind(&content.keywords)
    .bind(date_text(content.formed_on))
    .bind(date_text(due_on))
    .bind(content.validity.map(|v| v.key()))
    .bind(content.interprets_item_id)
    .bind(author)
    .bind(&now)
    .fetch_one(tx.conn())
    .await?;
    let id: i64 = row.try_get("id")?;
    write_channels(tx, id, content).await?;
    Ok(id)
}

async fn update_content(
    tx: &mut WriteTx,
    id: i64,
    content: &ItemContent,
    due_on: NaiveDate,
) -> Result<()> {
    sqlx::query(
        "UPDATE items SET department_id = $1, title = $2, summary = $3, body_html = $4, \
         body_text = $5, genre = $6, topic = $7, domain = $8, art20_item = $9, doc_no = $10, \
         keywords = $11, formed_on = $12, due_on = $13, validity = $14, interprets_item_id = $15, \
         updated_at = $16 WHERE id = $17",
    )
    .bind(content.department_id)
    .bind(&content.title)
    .bind(&content.summary)
    .bind(&content.body_html)
    .bind(&content.body_text)
    .bind(content.genre.key())
    .bind(&content.topic)
    .bind(&content.domain)
    .bind(content.art20_item.map(|a| i64::from(a.number())))
    .bind(&content.doc_no)
    .bind(&content.keywords)
    .bind(date_text(content.formed_on))
    .bind(date_text(due_on))
    .bind(content.validity.map(|v| v.key()))
    .bind(content.interprets_item_id)
    .bind(ts(tx.now()))
    .bind(id)
    .execute(tx.conn())
    .await?;
    write_channels(tx, id, content).await
}

/// Edits a draft (audit `item.edit`).
pub async fn edit(
    tx: &mut WriteTx,
    id: i64,
    rights: EditorialRights,
    content: &ItemContent,
    calendar: &Calendar,
) -> Result<Item> {
    let before = load(tx, id).await?;
    check_step(tx, &before, Step::Edit, rights)?;
    let (content, due_on) = clean_content(
        tx,
        before.organ_id,
        content,
        Some(&before.content),
        calendar,
    )
    .await?;
    update_content(tx, id, &content, due_on).await?;
    finish(tx, "item.edit", &before).await
}

async fn finish(tx: &mut WriteTx, action: &str, before: &Item) -> Result<Item> {
    let after = load(tx, before.id).await?;
    tx.audit(
        AuditEntry::new(action, "item", before.id)
            .organ(Some(before.organ_id))
            .before(AuditView::of(before))
            .after(AuditView::of(&after)),
    )
    .await?;
    Ok(after)
}

/// What the audit trail keeps of an item on each step: the workflow fields and the metadata, not
/// the body (versions keep bodies).
#[derive(Serialize)]
struct AuditView<'a> {
    state: &'static str,
    index_no: &'a Option<String>,
    title: &'a str,
    genre: &'static str,
    topic: &'a str,
    doc_no: &'a Option<String>,
    formed_on: NaiveDate,
    published_on: Option<NaiveDate>,
    validity: Option<&'static str>,
    review_note: &'a Option<String>,
    version: i64,
}

impl<'a> AuditView<'a> {
    fn of(item: &'a Item) -> Self {
        AuditView {
            state: item.state.key(),
            index_no: &item.index_no,
            title: &item.content.title,
            genre: item.content.genre.key(),
            topic: &item.content.topic,
            doc_no: &item.content.doc_no,
            formed_on: item.content.formed_on,
            published_on: item.published_on,
            validity: item.content.validity.map(|v| v.key()),
            review_note: &item.review_note,
            version: item.version,
        }
    }
}

async fn set_state(tx: &mut WriteTx, id: i64, state: ItemState) -> Result<()> {
    sqlx::query("UPDATE items SET state = $1, updated_at = $2 WHERE id = $3")
        .bind(state.key())
        .bind(ts(tx.now()))
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// 提交审核 (audit `item.submit`). The submitter becomes the author: the one who may not approve.
pub async fn submit(tx: &mut WriteTx, id: i64, rights: EditorialRights) -> Result<Item> {
    let before = load(tx, id).await?;
    let next = check_step(tx, &before, Step::Submit, rights)?;
    set_state(tx, id, next).await?;
    if let Some(user) = tx.actor().user_id
        && before.author_id.is_none()
    {
        sqlx::query("UPDATE items SET author_id = $1 WHERE id = $2")
            .bind(user)
            .bind(id)
            .execute(tx.conn())
            .await?;
    }
    finish(tx, "item.submit", &before).await
}

/// 退回修改 with a reason (audit `item.reject`).
pub async fn reject(
    tx: &mut WriteTx,
    id: i64,
    rights: EditorialRights,
    reason: &str,
) -> Result<Item> {
    let reason = required_reason("退回理由", reason)?;
    let before = load(tx, id).await?;
    let next = check_step(tx, &before, Step::Reject, rights)?;
    sqlx::query("UPDATE items SET state = $1, review_note = $2, reviewer_id = $3, updated_at = $4 WHERE id = $5")
        .bind(next.key())
        .bind(&reason)
        .bind(tx.actor().user_id)
        .bind(ts(tx.now()))
        .bind(id)
        .execute(tx.conn())
        .await?;
    finish(tx, "item.reject", &before).await
}

/// Takes the next serial of the 索引号 for `organ_id` in `year` — an atomic upsert, so two
/// publishers in parallel never get the same number (SQLite serialises write transactions;
/// PostgreSQL locks the counter row) — and returns `credit_code/YYYY-NNNNN`.
async fn allocate_index_no(tx: &mut WriteTx, organ_id: i64, year: i32) -> Result<String> {
    let organ = organs::get_in(tx, organ_id)
        .await?
        .ok_or_else(|| StoreError::not_found("机关", organ_id))?;
    let Some(code) = organ.credit_code else {
        return Err(StoreError::NoCreditCode(organ.name));
    };
    let row = sqlx::query(
        "INSERT INTO index_no_counters (organ_id, year, last_serial) VALUES ($1, $2, 1) \
         ON CONFLICT (organ_id, year) DO UPDATE SET last_serial = index_no_counters.last_serial + 1 \
         RETURNING last_serial",
    )
    .bind(organ_id)
    .bind(i64::from(year))
    .fetch_one(tx.conn())
    .await?;
    let serial: i64 = row.try_get("last_serial")?;
    if serial > 99_999 {
        return Err(StoreError::IndexNoExhausted);
    }
    Ok(format!("{}/{year:04}-{serial:05}", code.as_str()))
}

/// Keeps an existing 索引号 from a ledger: checks its form and moves the counter of the organ it
/// belongs to past it, so new numbers never collide with imported ones.
async fn adopt_index_no(tx: &mut WriteTx, index_no: &str) -> Result<String> {
    let index_no = index_no.trim();
    let bad = || {
        StoreError::Rule(format!(
            "索引号“{index_no}”格式不对：应为“前段码/年份-5位流水号”，如 11130105MB0000000X/2023-00012"
        ))
    };
    let (prefix, suffix) = index_no.split_once('/').ok_or_else(bad)?;
    let (year, serial) = suffix.split_once('-').ok_or_else(bad)?;
    let (Ok(year), Ok(serial)) = (year.parse::<i64>(), serial.parse::<i64>()) else {
        return Err(bad());
    };
    if prefix.is_empty() || index_no.chars().count() > 40 || !(1..=99_999).contains(&serial) {
        return Err(bad());
    }
    // The counter to move is that of the organ whose code the prefix is — usually the importing
    // organ, but a ledger may carry numbers of a predecessor or another organ, which must not
    // collide with that organ's later numbers either.
    let owner = sqlx::query("SELECT id FROM organs WHERE credit_code = $1")
        .bind(prefix)
        .fetch_optional(tx.conn())
        .await?;
    if let Some(row) = owner {
        let owner_id: i64 = row.try_get("id")?;
        sqlx::query(
            "INSERT INTO index_no_counters (organ_id, year, last_serial) VALUES ($1, $2, $3) \
             ON CONFLICT (organ_id, year) DO UPDATE SET last_serial = \
             CASE WHEN index_no_counters.last_serial < $3 THEN $3 \
             ELSE index_no_counters.last_serial END",
        )
        .bind(owner_id)
        .bind(year)
        .bind(serial)
        .execute(tx.conn())
        .await?;
    }
    Ok(index_no.to_owned())
}

async fn mark_published(
    tx: &mut WriteTx,
    id: i64,
    index_no: &str,
    published_on: NaiveDate,
) -> Result<()> {
    let updated = sqlx::query(
        "UPDATE items SET state = 'published', index_no = $1, published_on = $2, \
         published_at = $3, updated_at = $3 WHERE id = $4",
    )
    .bind(index_no)
    .bind(date_text(published_on))
    .bind(ts(tx.now()))
    .bind(id)
    .execute(tx.conn())
    .await;
    match updated {
        Ok(_) => Ok(()),
        Err(e) if crate::error::is_unique_violation(&e) => Err(StoreError::Rule(format!(
            "索引号“{index_no}”已被另一条信息使用：索引号唯一且不可更改，请核对"
        ))),
        Err(e) => Err(e.into()),
    }
}

async fn record_version(tx: &mut WriteTx, item: &Item, reason: &str) -> Result<()> {
    let mut value =
        serde_json::to_value(item).map_err(|e| StoreError::Corrupt(format!("版本快照: {e}")))?;
    // The plain text is derived from body_html (search, feeds): the snapshot need not keep it
    // twice, which would double the size of the history.
    if let Some(content) = value.get_mut("content").and_then(|c| c.as_object_mut()) {
        content.remove("body_text");
    }
    let snapshot = value.to_string();
    sqlx::query(
        "INSERT INTO item_versions (item_id, version, snapshot_json, reason, changed_by, changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(item.id)
    .bind(item.version)
    .bind(snapshot)
    .bind(reason)
    .bind(tx.actor().user_id)
    .bind(ts(tx.now()))
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// 审核通过并发布 (audit `item.publish`): checks the whole 保密审查 checklist (Art 17), assigns
/// the 索引号 (kept if the item already had one), sets 发布日期 and records version 1.
pub async fn approve(
    tx: &mut WriteTx,
    id: i64,
    rights: EditorialRights,
    input: &ApproveInput,
) -> Result<Item> {
    let before = load(tx, id).await?;
    check_step(tx, &before, Step::Approve, rights)?;
    let missing = SecrecyCheck::missing(&input.checks);
    if !missing.is_empty() {
        let list: Vec<&str> = missing.iter().map(|c| c.label()).collect();
        return Err(StoreError::Rule(format!(
            "保密审查未完成（条例第十七条）：请逐项确认后再发布。尚未确认：{}",
            list.join("；")
        )));
    }
    if input.published_on < before.content.formed_on {
        return Err(StoreError::Rule(format!(
            "发布日期 {} 早于成文日期 {}：请核对成文日期",
            input.published_on, before.content.formed_on
        )));
    }
    let note = clean_optional("审核意见", input.note.as_deref(), REASON_MAX)?;
    let index_no = match &before.index_no {
        Some(existing) => existing.clone(),
        None => allocate_index_no(tx, before.organ_id, input.published_on.year()).await?,
    };
    mark_published(tx, id, &index_no, input.published_on).await?;
    let checks: Vec<&str> = input.checks.iter().map(|c| c.key()).collect();
    sqlx::query(
        "UPDATE items SET reviewer_id = $1, secrecy_checks = $2, review_note = $3 WHERE id = $4",
    )
    .bind(tx.actor().user_id)
    .bind(checks.join(","))
    .bind(&note)
    .bind(id)
    .execute(tx.conn())
    .await?;
    let after = load(tx, id).await?;
    record_version(tx, &after, "首次发布").await?;
    finish(tx, "item.publish", &before).await
}

/// 不予公开 for now (audit `item.withhold`): the basis, the reason and the Art 18 re-review date.
pub async fn withhold(
    tx: &mut WriteTx,
    id: i64,
    rights: EditorialRights,
    input: &WithholdInput,
) -> Result<Item> {
    let reason = required_reason("不予公开理由", &input.reason)?;
    let before = load(tx, id).await?;
    let next = check_step(tx, &before, Step::Withhold, rights)?;
    if input.rereview_on <= tx.today() {
        return Err(StoreError::Rule(
            "复查日期应晚于今天（条例第十八条：定期评估审查）".into(),
        ));
    }
    sqlx::query(
        "UPDATE items SET state = $1, withhold_basis = $2, review_note = $3, rereview_on = $4, \
         reviewer_id = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(next.key())
    .bind(input.basis.key())
    .bind(&reason)
    .bind(date_text(input.rereview_on))
    .bind(tx.actor().user_id)
    .bind(ts(tx.now()))
    .bind(id)
    .execute(tx.conn())
    .await?;
    finish(tx, "item.withhold", &before).await
}

/// Art 18 re-review: the item can now be disclosed and goes back to review (audit `item.release`).
pub async fn release(
    tx: &mut WriteTx,
    id: i64,
    rights: EditorialRights,
    note: &str,
) -> Result<Item> {
    let note = required_reason("复查意见", note)?;
    let before = load(tx, id).await?;
    let next = check_step(tx, &before, Step::Release, rights)?;
    sqlx::query(
        "UPDATE items SET state = $1, review_note = $2, rereview_on = NULL, author_id = $3, \
         updated_at = $4 WHERE id = $5",
    )
    .bind(next.key())
    .bind(&note)
    // The releasing reviewer sends it to review: another reviewer must approve it.
    .bind(tx.actor().user_id.or(before.author_id))
    .bind(ts(tx.now()))
    .bind(id)
    .execute(tx.conn())
    .await?;
    finish(tx, "item.release", &before).await
}

/// Art 18 re-review: still withheld, next re-review on `next_on` (audit `item.keep_withheld`).
pub async fn keep_withheld(
    tx: &mut WriteTx,
    id: i64,
    rights: EditorialRights,
    next_on: NaiveDate,
    note: &str,
) -> Result<Item> {
    let note = required_reason("复查意见", note)?;
    let before = load(tx, id).await?;
    check_step(tx, &before, Step::KeepWithheld, rights)?;
    if next_on <= tx.today() {
        return Err(StoreError::Rule("下次复查日期应晚于今天".into()));
    }
    sqlx::query(
        "UPDATE items SET review_note = $1, rereview_on = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(&note)
    .bind(date_text(next_on))
    .bind(ts(tx.now()))
    .bind(id)
    .execute(tx.conn())
    .await?;
    finish(tx, "item.keep_withheld", &before).await
}

/// Changes a published item: a new version with its reason (audit `item.revise`). The 索引号 and
/// 发布日期 stay; the history keeps every published version.
pub async fn revise(
    tx: &mut WriteTx,
    id: i64,
    rights: EditorialRights,
    input: &RevisionInput,
    calendar: &Calendar,
) -> Result<Item> {
    let reason = required_reason("修订说明", &input.reason)?;
    let before = load(tx, id).await?;
    check_step(tx, &before, Step::Revise, rights)?;
    let (content, due_on) = clean_content(
        tx,
        before.organ_id,
        &input.content,
        Some(&before.content),
        calendar,
    )
    .await?;
    update_content(tx, id, &content, due_on).await?;
    sqlx::query("UPDATE items SET version = version + 1 WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    let after = load(tx, id).await?;
    record_version(tx, &after, &reason).await?;
    finish(tx, "item.revise", &before).await
}

/// 撤回 a published item with a reason (audit `item.withdraw`).
pub async fn withdraw(
    tx: &mut WriteTx,
    id: i64,
    rights: EditorialRights,
    reason: &str,
    on: NaiveDate,
) -> Result<Item> {
    let reason = required_reason("撤回理由", reason)?;
    let before = load(tx, id).await?;
    let next = check_step(tx, &before, Step::Withdraw, rights)?;
    sqlx::query(
        "UPDATE items SET state = $1, review_note = $2, withdrawn_on = $3, updated_at = $4 \
         WHERE id = $5",
    )
    .bind(next.key())
    .bind(&reason)
    .bind(date_text(on))
    .bind(ts(tx.now()))
    .bind(id)
    .execute(tx.conn())
    .await?;
    finish(tx, "item.withdraw", &before).await
}

/// Marks a published document 有效 / 失效 / 废止 from `on`, with a reason (audit
/// `item.validity`). The item stays public, marked, as government sites keep repealed documents.
pub async fn change_validity(
    tx: &mut WriteTx,
    id: i64,
    rights: EditorialRights,
    validity: Validity,
    on: NaiveDate,
    reason: &str,
) -> Result<Item> {
    let reason = required_reason("变更理由", reason)?;
    let before = load(tx, id).await?;
    check_step(tx, &before, Step::ChangeValidity, rights)?;
    sqlx::query(
        "UPDATE items SET validity = $1, validity_changed_on = $2, validity_reason = $3, \
         updated_at = $4 WHERE id = $5",
    )
    .bind(validity.key())
    .bind(date_text(on))
    .bind(&reason)
    .bind(ts(tx.now()))
    .bind(id)
    .execute(tx.conn())
    .await?;
    finish(tx, "item.validity", &before).await
}

/// Inserts already-published items (a ledger import, the demo data) in the caller's
/// transaction, without an audit entry each: the caller writes ONE entry for the whole batch
/// (see [`super::Items::import`]). Returns the new ids in order.
pub async fn insert_published(
    tx: &mut WriteTx,
    organ_id: i64,
    items: &[ImportedItem],
    calendar: &Calendar,
) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(items.len());
    for imported in items {
        let (content, due_on) =
            clean_content(tx, organ_id, &imported.content, None, calendar).await?;
        if imported.published_on < content.formed_on {
            return Err(StoreError::Rule(format!(
                "发布日期 {} 早于成文日期 {}",
                imported.published_on, content.formed_on
            )));
        }
        let id = insert(tx, organ_id, &content, due_on, ItemState::Draft).await?;
        let index_no = match &imported.index_no {
            Some(given) => adopt_index_no(tx, given).await?,
            None => allocate_index_no(tx, organ_id, imported.published_on.year()).await?,
        };
        mark_published(tx, id, &index_no, imported.published_on).await?;
        let item = load(tx, id).await?;
        record_version(tx, &item, "导入").await?;
        ids.push(id);
    }
    Ok(ids)
}

/// Attaches a stored file to an item (audit `item.attach`).
pub async fn add_attachment(
    tx: &mut WriteTx,
    item_id: i64,
    rights: EditorialRights,
    file: &NewAttachment,
) -> Result<i64> {
    let item = load(tx, item_id).await?;
    let step = if item.state == ItemState::Published {
        Step::Revise
    } else {
        Step::Edit
    };
    check_step(tx, &item, step, rights)?;
    let file_name = clean_required("附件名称", &file.file_name, 200)?;
    let row = sqlx::query(
        "INSERT INTO item_attachments (item_id, file_name, media_type, sha256, size_bytes, text, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(item_id)
    .bind(&file_name)
    .bind(&file.media_type)
    .bind(&file.sha256)
    .bind(file.size_bytes)
    .bind(&file.text)
    .bind(ts(tx.now()))
    .fetch_one(tx.conn())
    .await?;
    let id: i64 = row.try_get("id")?;
    // The item changed for its readers (and for the search indexer, which follows updated_at).
    sqlx::query("UPDATE items SET updated_at = $1 WHERE id = $2")
        .bind(ts(tx.now()))
        .bind(item_id)
        .execute(tx.conn())
        .await?;
    tx.audit(
        AuditEntry::new("item.attach", "item", item_id)
            .organ(Some(item.organ_id))
            .after(serde_json::json!({ "attachment_id": id, "file_name": file_name, "sha256": file.sha256 })),
    )
    .await?;
    Ok(id)
}
