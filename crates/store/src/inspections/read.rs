//! Reads: a supervising organ's inspections, an inspection's problems and their history, and an
//! organ's own problems after the 通报.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{
    INSPECTION_COLUMNS, Inspection, Inspections, PROBLEM_COLUMNS, Problem, ProblemEvent,
    event_from_row, inspection_from_row, problem_from_row,
};
use crate::error::Result;
use crate::items::{ID_CHUNK, dyn_query, get_date, ids_query};

/// A line of the supervising organ's list of inspections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InspectionSummary {
    pub inspection: Inspection,
    pub scope_organ_name: String,
    pub problems: i64,
    /// Problems not closed (已销号) yet.
    pub open_problems: i64,
}

/// A problem as its organ (or the dashboard's drill-down) sees it: with the inspection and the
/// 通报 it came with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganProblem {
    pub problem: Problem,
    pub organ_name: String,
    pub inspection_id: i64,
    pub inspection_title: String,
    /// The supervising organ.
    pub supervising_organ_id: i64,
    pub supervising_organ_name: String,
    pub doc_no: String,
    pub issued_on: NaiveDate,
    pub deadline_on: NaiveDate,
}

/// The columns of [`OrganProblem`] (problems of issued 通报 only: `i.issued_on IS NOT NULL`).
pub(crate) const ORGAN_PROBLEM_FROM: &str = "FROM inspection_problems p \
     JOIN inspections i ON i.id = p.inspection_id \
     JOIN organs o ON o.id = p.organ_id \
     JOIN organs s ON s.id = i.organ_id \
     WHERE i.issued_on IS NOT NULL";

pub(crate) fn organ_problem_columns() -> String {
    format!(
        "{PROBLEM_COLUMNS}, o.name AS organ_name, i.title AS inspection_title, \
         i.organ_id AS supervising_organ_id, s.name AS supervising_organ_name, \
         i.notice_doc_no AS doc_no, i.issued_on AS issued_on, i.deadline_on AS deadline_on"
    )
}

pub(crate) fn organ_problem_from_row(row: &AnyRow) -> Result<OrganProblem> {
    let problem = problem_from_row(row)?;
    Ok(OrganProblem {
        organ_name: row.try_get("organ_name")?,
        inspection_id: problem.inspection_id,
        inspection_title: row.try_get("inspection_title")?,
        supervising_organ_id: row.try_get("supervising_organ_id")?,
        supervising_organ_name: row.try_get("supervising_organ_name")?,
        doc_no: row
            .try_get::<Option<String>, _>("doc_no")?
            .unwrap_or_default(),
        issued_on: get_date(row, "issued_on")?,
        deadline_on: get_date(row, "deadline_on")?,
        problem,
    })
}

impl Inspections<'_> {
    /// The inspections opened by the supervising organ `organ_id`, newest first.
    pub async fn list(&self, organ_id: i64) -> Result<Vec<InspectionSummary>> {
        let rows = dyn_query(format!(
            "SELECT {INSPECTION_COLUMNS}, o.name AS scope_organ_name, \
             (SELECT COUNT(*) FROM inspection_problems p WHERE p.inspection_id = i.id) AS problems, \
             (SELECT COUNT(*) FROM inspection_problems p WHERE p.inspection_id = i.id \
              AND p.state <> 'closed') AS open_problems \
             FROM inspections i JOIN organs o ON o.id = i.scope_organ_id \
             WHERE i.organ_id = $1 ORDER BY i.id DESC"
        ))
        .bind(organ_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(InspectionSummary {
                    inspection: inspection_from_row(row)?,
                    scope_organ_name: row.try_get("scope_organ_name")?,
                    problems: row.try_get("problems")?,
                    open_problems: row.try_get("open_problems")?,
                })
            })
            .collect()
    }

    pub async fn get(&self, id: i64) -> Result<Option<Inspection>> {
        let row = dyn_query(format!(
            "SELECT {INSPECTION_COLUMNS} FROM inspections i WHERE i.id = $1"
        ))
        .bind(id)
        .fetch_optional(self.store.pool())
        .await?;
        row.as_ref().map(inspection_from_row).transpose()
    }

    /// The problems of an inspection, by organ and in recording order.
    pub async fn problems(&self, inspection_id: i64) -> Result<Vec<Problem>> {
        let rows = dyn_query(format!(
            "SELECT {PROBLEM_COLUMNS} FROM inspection_problems p WHERE p.inspection_id = $1 \
             ORDER BY p.organ_id, p.id"
        ))
        .bind(inspection_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(problem_from_row).collect()
    }

    pub async fn problem(&self, id: i64) -> Result<Option<Problem>> {
        let row = dyn_query(format!(
            "SELECT {PROBLEM_COLUMNS} FROM inspection_problems p WHERE p.id = $1"
        ))
        .bind(id)
        .fetch_optional(self.store.pool())
        .await?;
        row.as_ref().map(problem_from_row).transpose()
    }

    /// The history (answers, closings, reopenings) of the problems `problem_ids`, oldest first.
    pub async fn events(&self, problem_ids: &[i64]) -> Result<Vec<ProblemEvent>> {
        let mut out = Vec::new();
        for chunk in problem_ids.chunks(ID_CHUNK) {
            let query = ids_query(chunk, |list| {
                format!(
                    "SELECT id, problem_id, kind, text, done_on, by_user, at \
                     FROM inspection_problem_events WHERE problem_id IN ({}) ORDER BY id",
                    list
                )
            });
            for row in query.fetch_all(self.store.pool()).await? {
                out.push(event_from_row(&row)?);
            }
        }
        out.sort_by_key(|e| e.id);
        Ok(out)
    }

    /// The problems of organ `organ_id` that a 通报 was issued for, newest 通报 first: what the
    /// organ sees on its rectification page. Problems of inspections not yet notified are the
    /// supervisor's working notes and are not listed.
    pub async fn for_organ(&self, organ_id: i64) -> Result<Vec<OrganProblem>> {
        let rows = dyn_query(format!(
            "SELECT {} {ORGAN_PROBLEM_FROM} AND p.organ_id = $1 ORDER BY i.issued_on DESC, i.id DESC, p.id",
            organ_problem_columns()
        ))
        .bind(organ_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(organ_problem_from_row).collect()
    }

    /// True when organ `organ_id` has problems of an issued 通报 (links its rectification page).
    pub async fn has_notified_problems(&self, organ_id: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM inspection_problems p JOIN inspections i \
             ON i.id = p.inspection_id WHERE p.organ_id = $1 AND i.issued_on IS NOT NULL",
        )
        .bind(organ_id)
        .fetch_one(self.store.pool())
        .await?;
        Ok(n > 0)
    }
}

impl Inspections<'_> {
    /// The id of the record of `organ_id` that people quote by `reference` — an item's 索引号, an
    /// application's 申请编号 (tracking number, any case), a 复议/诉讼 case's 案号 — for linking a
    /// problem without knowing the internal number. `kind` is a [`super::RecordLink`] kind key
    /// (`item`, `application`, `challenge`); `None` when nothing matches, or when a 案号 is shared
    /// by a 复议 and a 诉讼 case of the organ (the internal number then tells them apart).
    pub async fn find_record(
        &self,
        kind: &str,
        organ_id: i64,
        reference: &str,
    ) -> Result<Option<i64>> {
        let reference = reference.trim();
        let (sql, value) = match kind {
            "item" => (
                "SELECT id FROM items WHERE organ_id = $1 AND index_no = $2",
                reference.to_owned(),
            ),
            "application" => (
                "SELECT id FROM applications WHERE organ_id = $1 AND tracking_no = $2",
                reference.to_uppercase(),
            ),
            "challenge" => (
                "SELECT id FROM challenges WHERE organ_id = $1 AND case_no = $2",
                reference.to_owned(),
            ),
            _ => return Ok(None),
        };
        let ids: Vec<i64> = sqlx::query_scalar(sql)
            .bind(organ_id)
            .bind(value)
            .fetch_all(self.store.pool())
            .await?;
        Ok(match ids.as_slice() {
            [id] => Some(*id),
            _ => None,
        })
    }
}
