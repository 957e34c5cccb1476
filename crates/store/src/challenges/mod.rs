//! The register of 行政复议 and 行政诉讼 cases (条例第五十一条) — *challenges* of an organ's
//! disclosure decisions — and their tally for table 四 of the annual report.
//!
//! A challenge belongs to one organ, may name the application whose handling is challenged (of
//! the same organ) and, for a 复议后起诉 litigation, the reconsideration case it follows. Its
//! kind and result are the law crate's [`ChallengeKind`] and [`ChallengeResult`], stored by their
//! report-model keys; the date rules and the counting rule are the law crate's
//! ([`ChallengeFacts::check`], [`gongkai_law::table4_column`]). Edits carry the version the
//! officer saw ([`StoreError::StaleVersion`] otherwise) and every write is audited — without
//! the claimant's name: the audit log is kept for ever.

mod read;
mod tally;
mod write;

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_law::{ChallengeFacts, ChallengeKind, ChallengeResult};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Actor, Store, get_bool, get_ts};
use crate::error::Result;
use crate::items::{get_date, get_opt_date};

pub use read::{ChallengeFilter, ChallengeSummary, mask_name};
pub use tally::{Table4Block, Table4Cell, Table4Tally};
pub use write::{ChallengeInput, create, update};

/// Longest 案号.
pub const CASE_NO_MAX: usize = 100;
/// Longest name of the 复议机关 or court.
pub const AUTHORITY_MAX: usize = 100;
/// Longest name of the 申请人 / 原告.
pub const CLAIMANT_MAX: usize = 100;
/// Longest note.
pub const NOTES_MAX: usize = 2000;

/// A registered case, with the claimant's name in full: lists use [`ChallengeSummary`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Challenge {
    pub id: i64,
    pub organ_id: i64,
    pub application_id: Option<i64>,
    /// The reconsideration case a 复议后起诉 litigation follows.
    pub follows_id: Option<i64>,
    pub kind: ChallengeKind,
    /// 案号.
    pub case_no: String,
    /// The 复议机关 or the court.
    pub authority: String,
    /// 申请人 / 原告.
    pub claimant_name: String,
    /// 申请复议 / 立案 date.
    pub filed_on: NaiveDate,
    pub result: ChallengeResult,
    pub decided_on: Option<NaiveDate>,
    /// The organ is in the case only as the 复议机关 sued as co-defendant (not counted).
    pub co_defendant_reviewer: bool,
    pub notes: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Challenge {
    /// What the law crate needs to place the case in table 四.
    pub fn facts(&self) -> ChallengeFacts {
        ChallengeFacts {
            kind: self.kind,
            filed_on: self.filed_on,
            result: self.result,
            decided_on: self.decided_on,
            co_defendant_reviewer: self.co_defendant_reviewer,
        }
    }
}

pub(crate) const CHALLENGE_COLUMNS: &str = "id, organ_id, application_id, follows_id, kind, \
     case_no, authority, claimant_name, filed_on, result, decided_on, co_defendant_reviewer, \
     notes, version, created_at, updated_at";

pub(crate) fn challenge_from_row(row: &AnyRow) -> Result<Challenge> {
    let kind: String = row.try_get("kind")?;
    let result: String = row.try_get("result")?;
    Ok(Challenge {
        id: row.try_get("id")?,
        organ_id: row.try_get("organ_id")?,
        application_id: row.try_get("application_id")?,
        follows_id: row.try_get("follows_id")?,
        kind: crate::applications::from_key("复议诉讼类别", &kind)?,
        case_no: row.try_get("case_no")?,
        authority: row.try_get("authority")?,
        claimant_name: row.try_get("claimant_name")?,
        filed_on: get_date(row, "filed_on")?,
        result: crate::applications::from_key("复议诉讼结果", &result)?,
        decided_on: get_opt_date(row, "decided_on")?,
        co_defendant_reviewer: get_bool(row, "co_defendant_reviewer")?,
        notes: row.try_get("notes")?,
        version: row.try_get("version")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

/// The register: `store.challenges()`.
#[derive(Debug, Clone, Copy)]
pub struct Challenges<'a> {
    pub(crate) store: &'a Store,
}

impl Challenges<'_> {
    /// Registers a case of `organ_id`.
    pub async fn create(
        &self,
        actor: &Actor,
        organ_id: i64,
        input: &ChallengeInput,
    ) -> Result<Challenge> {
        self.store
            .write(actor, async |tx| write::create(tx, organ_id, input).await)
            .await
    }

    /// Replaces the fields of case `id`, if the officer saw version `expected_version`.
    pub async fn update(
        &self,
        actor: &Actor,
        id: i64,
        input: &ChallengeInput,
        expected_version: i64,
    ) -> Result<Challenge> {
        self.store
            .write(actor, async |tx| {
                write::update(tx, id, input, expected_version).await
            })
            .await
    }
}
