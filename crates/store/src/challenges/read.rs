//! Reads: a case, the register of an organ (by filing year and kind) with the claimant's name
//! masked, and the cases of one application.

use chrono::NaiveDate;
use gongkai_law::{ChallengeKind, ChallengeResult};
use serde::Serialize;

use super::{CHALLENGE_COLUMNS, Challenge, Challenges, challenge_from_row};
use crate::error::Result;
use crate::items::{date_text, dyn_query};

/// A name for lists: the first character kept, every other one hidden (`张**`), so a list shows
/// that there is a claimant without saying who. A name of one character is hidden completely.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    let n = name.trim().chars().count();
    match (chars.next(), n) {
        (Some(first), n) if n > 1 => {
            let mut out = String::from(first);
            out.push_str(&"*".repeat(n - 1));
            out
        }
        (Some(_), _) => "*".to_owned(),
        (None, _) => String::new(),
    }
}

/// A case for lists: the claimant's name masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChallengeSummary {
    pub id: i64,
    pub organ_id: i64,
    pub application_id: Option<i64>,
    pub follows_id: Option<i64>,
    pub kind: ChallengeKind,
    pub case_no: String,
    pub authority: String,
    pub claimant_masked: String,
    pub filed_on: NaiveDate,
    pub result: ChallengeResult,
    pub decided_on: Option<NaiveDate>,
    pub co_defendant_reviewer: bool,
    pub version: i64,
}

impl Challenge {
    /// The masked view for lists.
    pub fn summary(&self) -> ChallengeSummary {
        ChallengeSummary {
            id: self.id,
            organ_id: self.organ_id,
            application_id: self.application_id,
            follows_id: self.follows_id,
            kind: self.kind,
            case_no: self.case_no.clone(),
            authority: self.authority.clone(),
            claimant_masked: mask_name(&self.claimant_name),
            filed_on: self.filed_on,
            result: self.result,
            decided_on: self.decided_on,
            co_defendant_reviewer: self.co_defendant_reviewer,
            version: self.version,
        }
    }
}

/// Which part of an organ's register to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChallengeFilter {
    /// Filed in this calendar year.
    pub year: Option<i32>,
    pub kind: Option<ChallengeKind>,
}

impl Challenges<'_> {
    /// The case with the claimant's name in full.
    pub async fn get(&self, id: i64) -> Result<Option<Challenge>> {
        let row = dyn_query(format!(
            "SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.store.pool())
        .await?;
        row.as_ref().map(challenge_from_row).transpose()
    }

    /// The register of `organ_id`, latest filing first, names masked. A register holds a few
    /// cases a year, so a year's list is one page.
    pub async fn list(
        &self,
        organ_id: i64,
        filter: ChallengeFilter,
    ) -> Result<Vec<ChallengeSummary>> {
        let mut sql = format!("SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE organ_id = $1");
        let mut n = 1;
        let mut binds: Vec<String> = Vec::new();
        if let Some(year) = filter.year {
            sql.push_str(&format!(
                " AND filed_on >= ${} AND filed_on <= ${}",
                n + 1,
                n + 2
            ));
            n += 2;
            let (first, last) = year_bounds(year);
            binds.push(first);
            binds.push(last);
        }
        if let Some(kind) = filter.kind {
            sql.push_str(&format!(" AND kind = ${}", n + 1));
            binds.push(kind.key().to_owned());
        }
        sql.push_str(" ORDER BY filed_on DESC, id DESC");
        let mut q = dyn_query(sql).bind(organ_id);
        for b in binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(self.store.pool()).await?;
        rows.iter()
            .map(|r| challenge_from_row(r).map(|c| c.summary()))
            .collect()
    }

    /// The application with tracking number `tracking_no` (as staff type it from the file) and
    /// its organ: `(id, organ_id)`. Staff-only: no secret is asked, the route's permission is.
    pub async fn application_by_tracking_no(
        &self,
        tracking_no: &str,
    ) -> Result<Option<(i64, i64)>> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT id, organ_id FROM applications WHERE tracking_no = $1")
                .bind(tracking_no.trim().to_ascii_uppercase())
                .fetch_optional(self.store.pool())
                .await?;
        Ok(row)
    }

    /// The cases about one application, earliest filing first, names masked.
    pub async fn for_application(&self, application_id: i64) -> Result<Vec<ChallengeSummary>> {
        let rows = dyn_query(format!(
            "SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE application_id = $1 \
             ORDER BY filed_on, id"
        ))
        .bind(application_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter()
            .map(|r| challenge_from_row(r).map(|c| c.summary()))
            .collect()
    }
}

/// The first and last day of `year` as stored text (dates sort as text).
pub(crate) fn year_bounds(year: i32) -> (String, String) {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).map(date_text);
    let last = NaiveDate::from_ymd_opt(year, 12, 31).map(date_text);
    // A year outside chrono's range matches nothing: an empty range.
    match (first, last) {
        (Some(f), Some(l)) => (f, l),
        _ => ("9999-12-31".to_owned(), "0000-01-01".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::mask_name;

    #[test]
    fn names_keep_only_their_first_character() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name(" 欧阳娜娜 "), "欧***");
        assert_eq!(mask_name("王"), "*");
        assert_eq!(mask_name(""), "");
    }
}
