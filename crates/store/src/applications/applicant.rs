//! One applicant's other applications to the same organ: the count in the natural month for
//! 按件计收 (国办函〔2020〕109号 Art 4) and the earlier answered ones that may make this one a
//! 重复申请 (条例 Art 36(6)).
//!
//! The applicant is identified by the validated, normalised identity document (`id_kind`,
//! `id_number`): the same person with the same 居民身份证 or the same organisation with the same
//! 统一社会信用代码, never by name.

use chrono::{Datelike, NaiveDate};
use gongkai_law::repeat::{self, AnsweredApplication, NewApplication};
use gongkai_law::{ApplicantKey, IdDocument, IdDocumentKind, Outcome};
use serde::Serialize;
use sqlx::Row;

use super::{Applications, CREDIT_CODE_KIND, from_key};
use crate::error::{Result, StoreError};
use crate::items::{date_text, get_date};

/// An earlier answered application that may be asking for the same information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepeatMatch {
    pub id: i64,
    pub tracking_no: String,
    pub replied_on: NaiveDate,
    pub outcome: Outcome,
    /// Similarity of the descriptions in whole percent.
    pub percent: u32,
    /// The law crate's note for the officer (what to compare, differing years or numbers).
    pub note: String,
}

fn first_of_month(d: NaiveDate) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1)
}

fn first_of_next_month(d: NaiveDate) -> Option<NaiveDate> {
    if d.month() == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
    }
}

/// The law crate's applicant key of a stored identity.
fn applicant_key(id_kind: &str, id_number: &str) -> Option<ApplicantKey> {
    if id_kind == CREDIT_CODE_KIND {
        return gongkai_law::CreditCode::parse(id_number)
            .ok()
            .map(|c| ApplicantKey::from(&c));
    }
    let kind = IdDocumentKind::from_key(id_kind).ok()?;
    IdDocument::parse_stored(kind, id_number)
        .ok()
        .map(|d| ApplicantKey::from(&d))
}

impl Applications<'_> {
    /// Which application of its applicant in its natural month (by receipt date, then
    /// registration order) this one is, 1-based: the `n` of 109号 Art 4's per-piece tiers.
    pub async fn nth_in_month(&self, id: i64) -> Result<u32> {
        let app = self
            .get(id)
            .await?
            .ok_or_else(|| StoreError::not_found("依申请公开申请", id))?;
        let (Some(from), Some(to)) = (
            first_of_month(app.received_on),
            first_of_next_month(app.received_on),
        ) else {
            return Err(StoreError::Corrupt(format!(
                "收到申请日期{}",
                app.received_on
            )));
        };
        let received = date_text(app.received_on);
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM applications WHERE organ_id = $1 AND id_kind = $2 \
             AND id_number = $3 AND received_on >= $4 AND received_on < $5 \
             AND (received_on < $6 OR (received_on = $6 AND id <= $7))",
        )
        .bind(app.organ_id)
        .bind(&app.id_kind)
        .bind(&app.id_number)
        .bind(date_text(from))
        .bind(date_text(to))
        .bind(&received)
        .bind(id)
        .fetch_one(self.store.pool())
        .await?;
        u32::try_from(count.max(1)).map_err(|_| StoreError::Corrupt("申请件数".to_owned()))
    }

    /// The applicant's earlier answered applications to the same organ whose descriptions are at
    /// least `threshold_percent` similar to this one's (law crate, Art 36(6)), most similar first.
    /// Only candidates: whether it is the same information is the officer's judgement.
    pub async fn repeat_matches(&self, id: i64, threshold_percent: u8) -> Result<Vec<RepeatMatch>> {
        let app = self
            .get(id)
            .await?
            .ok_or_else(|| StoreError::not_found("依申请公开申请", id))?;
        let Some(key) = applicant_key(&app.id_kind, &app.id_number) else {
            return Ok(Vec::new());
        };
        let rows = sqlx::query(
            "SELECT id, tracking_no, description, closed_on, outcome FROM applications \
             WHERE organ_id = $1 AND id_kind = $2 AND id_number = $3 AND id <> $4 \
             AND outcome IS NOT NULL AND closed_on IS NOT NULL AND closed_on <= $5 \
             ORDER BY closed_on DESC, id DESC LIMIT 200",
        )
        .bind(app.organ_id)
        .bind(&app.id_kind)
        .bind(&app.id_number)
        .bind(id)
        .bind(date_text(app.received_on))
        .fetch_all(self.store.pool())
        .await?;
        let mut earlier = Vec::with_capacity(rows.len());
        let mut tracking = std::collections::HashMap::new();
        for row in &rows {
            let outcome: String = row.try_get("outcome")?;
            let earlier_id: i64 = row.try_get("id")?;
            tracking.insert(earlier_id, row.try_get::<String, _>("tracking_no")?);
            earlier.push(AnsweredApplication {
                id: earlier_id,
                applicant: key.clone(),
                description: row.try_get("description")?,
                replied_on: get_date(row, "closed_on")?,
                outcome: from_key("办理结果", &outcome)?,
            });
        }
        let new = NewApplication {
            applicant: &key,
            description: &app.description,
            received_on: app.received_on,
        };
        Ok(repeat::repeat_candidates(&new, &earlier, threshold_percent)
            .into_iter()
            .map(|c| RepeatMatch {
                id: c.earlier.id,
                tracking_no: tracking.get(&c.earlier.id).cloned().unwrap_or_default(),
                replied_on: c.earlier.replied_on,
                outcome: c.earlier.outcome,
                percent: c.similarity.percent(),
                note: c.note(),
            })
            .collect())
    }
}
