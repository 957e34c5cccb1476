//! The audit log: one entry per business write, appended inside the write's own transaction,
//! chained by SHA-256 so that an edited, deleted or truncated entry is detected.
//!
//! `hash(n) = SHA-256 hex( hash(n−1) ‖ canonical JSON of entry n )`, where the canonical JSON is
//! the object `{action, actor_ip, actor_user_id, after_json, at, before_json, entity, entity_id,
//! organ_id, seq}` with keys sorted, no spaces, and `before_json`/`after_json` as the exact text
//! stored (itself canonical JSON). The chain starts from 64 zeros. The single `audit_head` row
//! holds the last `seq` and `hash`: every append updates it first, which serialises appends across
//! processes (PostgreSQL row lock until commit; SQLite's single writer), makes `seq` gap-free and
//! lets the verifier detect a deleted tail.
//!
//! What it does not do: someone who can write to the database can recompute the whole chain.
//! Publishing the head hash elsewhere now and then (a log line, a printed report) closes that.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use crate::db::{Store, WriteTx, get_opt_ip, get_ts, ts};
use crate::error::{Result, StoreError};

/// `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a business write appends to the audit log (the actor and the time come from the
/// [`WriteTx`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// What happened, `entity.verb`: `organ.create`, `user.set_password`, …
    pub action: String,
    /// The kind of thing changed: `organ`, `user`, …
    pub entity: String,
    /// Its id.
    pub entity_id: String,
    /// The organ it belongs to (for per-organ views of the log).
    pub organ_id: Option<i64>,
    /// The state before (updates, deletes).
    pub before: Option<Value>,
    /// The state after (creates, updates).
    pub after: Option<Value>,
}

impl AuditEntry {
    pub fn new(action: &str, entity: &str, entity_id: impl ToString) -> Self {
        AuditEntry {
            action: action.to_owned(),
            entity: entity.to_owned(),
            entity_id: entity_id.to_string(),
            organ_id: None,
            before: None,
            after: None,
        }
    }

    pub fn organ(mut self, organ_id: Option<i64>) -> Self {
        self.organ_id = organ_id;
        self
    }

    pub fn before(mut self, state: impl Serialize) -> Self {
        self.before = Some(to_json(&state));
        self
    }

    pub fn after(mut self, state: impl Serialize) -> Self {
        self.after = Some(to_json(&state));
        self
    }
}

pub(crate) fn to_json(state: &impl Serialize) -> Value {
    serde_json::to_value(state).unwrap_or(Value::Null)
}

/// One stored entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor_ip: Option<std::net::IpAddr>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub organ_id: Option<i64>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub prev_hash: String,
    pub hash: String,
}

/// The stored fields that the hash covers, exactly as stored.
struct Hashed<'a> {
    seq: i64,
    at: &'a str,
    actor_user_id: Option<i64>,
    actor_ip: Option<&'a str>,
    action: &'a str,
    entity: &'a str,
    entity_id: &'a str,
    organ_id: Option<i64>,
    before_json: Option<&'a str>,
    after_json: Option<&'a str>,
}

impl Hashed<'_> {
    fn hash(&self, prev_hash: &str) -> String {
        let fields = json!({
            "seq": self.seq,
            "at": self.at,
            "actor_user_id": self.actor_user_id,
            "actor_ip": self.actor_ip,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "organ_id": self.organ_id,
            "before_json": self.before_json,
            "after_json": self.after_json,
        });
        let mut hasher = Sha256::new();
        hasher.update(prev_hash.as_bytes());
        hasher.update(canonical_json(&fields).as_bytes());
        hex::encode(hasher.finalize())
    }
}

/// JSON with object keys sorted and no insignificant whitespace, independent of serde_json's
/// `preserve_order` feature (which another crate in the build could switch on).
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(key) {
                    write_canonical(v, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

impl WriteTx {
    /// Appends `entry` to the audit log inside this transaction; returns its `seq`. Call it
    /// after the business statements (the chain head stays locked from here until commit).
    pub async fn audit(&mut self, entry: AuditEntry) -> Result<i64> {
        let at = ts(self.now());
        let actor_user_id = self.actor().user_id;
        let actor_ip = self.actor().ip.map(|ip| ip.to_string());
        let head =
            sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
                .fetch_one(self.conn())
                .await?;
        let seq: i64 = head.try_get("seq")?;
        let prev_hash: String = head.try_get("hash")?;
        let before_json = entry.before.as_ref().map(canonical_json);
        let after_json = entry.after.as_ref().map(canonical_json);
        let hash = Hashed {
            seq,
            at: &at,
            actor_user_id,
            actor_ip: actor_ip.as_deref(),
            action: &entry.action,
            entity: &entry.entity,
            entity_id: &entry.entity_id,
            organ_id: entry.organ_id,
            before_json: before_json.as_deref(),
            after_json: after_json.as_deref(),
        }
        .hash(&prev_hash);
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor_user_id, actor_ip, action, entity, entity_id, \
             organ_id, before_json, after_json, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(seq)
        .bind(&at)
        .bind(actor_user_id)
        .bind(actor_ip.as_deref())
        .bind(&entry.action)
        .bind(&entry.entity)
        .bind(&entry.entity_id)
        .bind(entry.organ_id)
        .bind(before_json.as_deref())
        .bind(after_json.as_deref())
        .bind(&prev_hash)
        .bind(&hash)
        .execute(self.conn())
        .await?;
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(&hash)
            .execute(self.conn())
            .await?;
        self.audited += 1;
        Ok(seq)
    }
}

/// Filters for [`AuditLog::list`]. All set filters must match.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Entries of this organ…
    pub organ_id: Option<i64>,
    /// …and of all organs below it (a supervisor's view).
    pub include_suborgans: bool,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor_user_id: Option<i64>,
    pub action: Option<String>,
    /// `at >= from`.
    pub from: Option<DateTime<Utc>>,
    /// `at < until`.
    pub until: Option<DateTime<Utc>>,
    /// Page size: default 50, at most [`AuditFilter::MAX_LIMIT`].
    pub limit: Option<u32>,
    pub offset: u64,
}

impl AuditFilter {
    pub const MAX_LIMIT: u32 = 500;
}

/// A page of audit entries, newest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditPage {
    pub entries: Vec<AuditRecord>,
    /// How many entries match the filter in all.
    pub total: i64,
}

/// What [`AuditLog::verify_chain`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    /// Entries checked.
    pub checked: u64,
    /// `seq` of the chain head (the last entry written).
    pub head_seq: i64,
    /// The first problem found, if any.
    pub problem: Option<ChainProblem>,
}

impl ChainReport {
    pub fn is_ok(&self) -> bool {
        self.problem.is_none()
    }
}

/// The first inconsistency in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainProblem {
    /// The `seq` at which the chain breaks.
    pub seq: i64,
    pub kind: ChainProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChainProblemKind {
    /// Entry `seq` is missing; the next one present is `found` (None: the tail is missing).
    Missing { found: Option<i64> },
    /// The entry's content does not match its hash (edited).
    HashMismatch,
    /// The entry's `prev_hash` is not the previous entry's hash.
    PrevHashMismatch,
    /// The last entry's hash is not the one recorded in the chain head.
    HeadMismatch,
}

impl fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seq = self.seq;
        match &self.kind {
            ChainProblemKind::Missing { found: Some(found) } => write!(
                f,
                "审计日志第 {seq} 条缺失（其后的记录从第 {found} 条开始），日志可能被删除"
            ),
            ChainProblemKind::Missing { found: None } => write!(
                f,
                "审计日志从第 {seq} 条起缺失（链头记录显示应更长），日志末尾可能被删除"
            ),
            ChainProblemKind::HashMismatch => {
                write!(f, "审计日志第 {seq} 条的内容与其校验值不符，记录可能被篡改")
            }
            ChainProblemKind::PrevHashMismatch => write!(
                f,
                "审计日志第 {seq} 条与前一条的链接校验值不符，日志可能被篡改"
            ),
            ChainProblemKind::HeadMismatch => write!(
                f,
                "审计日志最后一条（第 {seq} 条）与链头记录不符，日志可能被篡改"
            ),
        }
    }
}

impl ChainProblem {
    /// The Chinese description shown to the administrator.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

macro_rules! audit_cols {
    () => {
        "seq, at, actor_user_id, actor_ip, action, entity, entity_id, organ_id, before_json, \
         after_json, prev_hash, hash"
    };
}

fn parse_json(col: &str, text: Option<String>) -> Result<Option<Value>> {
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("审计日志 {col}: {e}")))
    })
    .transpose()
}

fn record_from_row(row: &AnyRow) -> Result<AuditRecord> {
    Ok(AuditRecord {
        seq: row.try_get("seq")?,
        at: get_ts(row, "at")?,
        actor_user_id: row.try_get("actor_user_id")?,
        actor_ip: get_opt_ip(row, "actor_ip")?,
        action: row.try_get("action")?,
        entity: row.try_get("entity")?,
        entity_id: row.try_get("entity_id")?,
        organ_id: row.try_get("organ_id")?,
        before: parse_json("before_json", row.try_get("before_json")?)?,
        after: parse_json("after_json", row.try_get("after_json")?)?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

enum Bind {
    I64(i64),
    Text(String),
}

/// Reading and verifying the audit log: `store.audit()`.
#[derive(Debug, Clone, Copy)]
pub struct AuditLog<'a> {
    pub(crate) store: &'a Store,
}

impl AuditLog<'_> {
    /// Entries matching `filter`, newest first, with the total count.
    pub async fn list(&self, filter: &AuditFilter) -> Result<AuditPage> {
        let mut binds: Vec<Bind> = Vec::new();
        let mut cte = String::new();
        let mut conds: Vec<String> = Vec::new();
        let mut n = 0usize;
        let mut next = |binds: &mut Vec<Bind>, b: Bind| {
            binds.push(b);
            n += 1;
            format!("${n}")
        };
        if let Some(organ_id) = filter.organ_id {
            let p = next(&mut binds, Bind::I64(organ_id));
            if filter.include_suborgans {
                cte = format!(
                    "WITH RECURSIVE sub(id) AS (SELECT id FROM organs WHERE id = {p} \
                     UNION SELECT o.id FROM organs o JOIN sub ON o.parent_id = sub.id) "
                );
                conds.push("organ_id IN (SELECT id FROM sub)".to_owned());
            } else {
                conds.push(format!("organ_id = {p}"));
            }
        }
        if let Some(entity) = &filter.entity {
            let p = next(&mut binds, Bind::Text(entity.clone()));
            conds.push(format!("entity = {p}"));
        }
        if let Some(entity_id) = &filter.entity_id {
            let p = next(&mut binds, Bind::Text(entity_id.clone()));
            conds.push(format!("entity_id = {p}"));
        }
        if let Some(actor) = filter.actor_user_id {
            let p = next(&mut binds, Bind::I64(actor));
            conds.push(format!("actor_user_id = {p}"));
        }
        if let Some(action) = &filter.action {
            let p = next(&mut binds, Bind::Text(action.clone()));
            conds.push(format!("action = {p}"));
        }
        if let Some(from) = filter.from {
            let p = next(&mut binds, Bind::Text(ts(from)));
            conds.push(format!("at >= {p}"));
        }
        if let Some(until) = filter.until {
            let p = next(&mut binds, Bind::Text(ts(until)));
            conds.push(format!("at < {p}"));
        }
        let where_clause = if conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conds.join(" AND "))
        };
        let limit = i64::from(filter.limit.unwrap_or(50).clamp(1, AuditFilter::MAX_LIMIT));
        let offset = i64::try_from(filter.offset).unwrap_or(i64::MAX);

        // Only placeholders and fixed SQL are spliced; every value is bound.
        let count_sql = format!("{cte}SELECT COUNT(*) AS n FROM audit_log{where_clause}");
        let mut count_q = sqlx::query(AssertSqlSafe(count_sql));
        for b in &binds {
            count_q = match b {
                Bind::I64(v) => count_q.bind(*v),
                Bind::Text(v) => count_q.bind(v.clone()),
            };
        }
        let total: i64 = count_q.fetch_one(self.store.pool()).await?.try_get("n")?;

        let list_sql = format!(
            "{cte}SELECT {} FROM audit_log{where_clause} ORDER BY seq DESC LIMIT ${} OFFSET ${}",
            audit_cols!(),
            n + 1,
            n + 2
        );
        let mut list_q = sqlx::query(AssertSqlSafe(list_sql));
        for b in binds {
            list_q = match b {
                Bind::I64(v) => list_q.bind(v),
                Bind::Text(v) => list_q.bind(v),
            };
        }
        let rows = list_q
            .bind(limit)
            .bind(offset)
            .fetch_all(self.store.pool())
            .await?;
        let entries = rows
            .iter()
            .map(record_from_row)
            .collect::<Result<Vec<_>>>()?;
        Ok(AuditPage { entries, total })
    }

    /// One entry by `seq`.
    pub async fn get(&self, seq: i64) -> Result<Option<AuditRecord>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            audit_cols!(),
            " FROM audit_log WHERE seq = $1"
        ))
        .bind(seq)
        .fetch_optional(self.store.pool())
        .await?;
        row.as_ref().map(record_from_row).transpose()
    }

    /// Walks the whole chain (in pages of 1000) and reports the first entry that is missing,
    /// edited or out of chain.
    pub async fn verify_chain(&self) -> Result<ChainReport> {
        const PAGE: i64 = 1000;
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(self.store.pool())
            .await?;
        let head_seq: i64 = head.try_get("seq")?;
        let head_hash: String = head.try_get("hash")?;
        let mut report = ChainReport {
            checked: 0,
            head_seq,
            problem: None,
        };
        let mut expected_seq = 1i64;
        let mut prev_hash = GENESIS_HASH.to_owned();
        loop {
            let rows = sqlx::query(concat!(
                "SELECT ",
                audit_cols!(),
                " FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3"
            ))
            .bind(expected_seq)
            .bind(head_seq)
            .bind(PAGE)
            .fetch_all(self.store.pool())
            .await?;
            let page_len = rows.len();
            for row in rows {
                let seq: i64 = row.try_get("seq")?;
                if seq != expected_seq {
                    report.problem = Some(ChainProblem {
                        seq: expected_seq,
                        kind: ChainProblemKind::Missing { found: Some(seq) },
                    });
                    return Ok(report);
                }
                let at: String = row.try_get("at")?;
                let actor_ip: Option<String> = row.try_get("actor_ip")?;
                let action: String = row.try_get("action")?;
                let entity: String = row.try_get("entity")?;
                let entity_id: String = row.try_get("entity_id")?;
                let before_json: Option<String> = row.try_get("before_json")?;
                let after_json: Option<String> = row.try_get("after_json")?;
                let stored_prev: String = row.try_get("prev_hash")?;
                let stored_hash: String = row.try_get("hash")?;
                let computed = Hashed {
                    seq,
                    at: &at,
                    actor_user_id: row.try_get("actor_user_id")?,
                    actor_ip: actor_ip.as_deref(),
                    action: &action,
                    entity: &entity,
                    entity_id: &entity_id,
                    organ_id: row.try_get("organ_id")?,
                    before_json: before_json.as_deref(),
                    after_json: after_json.as_deref(),
                }
                .hash(&stored_prev);
                if stored_prev != prev_hash {
                    report.problem = Some(ChainProblem {
                        seq,
                        kind: ChainProblemKind::PrevHashMismatch,
                    });
                    return Ok(report);
                }
                if computed != stored_hash {
                    report.problem = Some(ChainProblem {
                        seq,
                        kind: ChainProblemKind::HashMismatch,
                    });
                    return Ok(report);
                }
                report.checked += 1;
                prev_hash = stored_hash;
                expected_seq += 1;
            }
            if i64::try_from(page_len).unwrap_or(0) < PAGE {
                break;
            }
        }
        if expected_seq <= head_seq {
            report.problem = Some(ChainProblem {
                seq: expected_seq,
                kind: ChainProblemKind::Missing { found: None },
            });
        } else if prev_hash != head_hash {
            report.problem = Some(ChainProblem {
                seq: head_seq,
                kind: ChainProblemKind::HeadMismatch,
            });
        }
        Ok(report)
    }
}
