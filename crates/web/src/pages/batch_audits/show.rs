//! The batch page (a table per report organ, a row per year) and one report's page (findings,
//! decisions, the extracted tables with the findings' cells marked, the cross-year pairing).

use std::collections::{BTreeMap, HashSet};

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use gongkai_report::batch::counts;
use gongkai_store::batch_audits::Decision;

use super::{LAW, Notice, decisions_of, load_batch, load_files, local_time};
use crate::batch_audit::cells_text;
use crate::error::{AppError, AppResult};
use crate::pages::organs::load;
use crate::pages::reports::grid::{Grid, table_grids};
use crate::pages::{Layout, html};
use crate::session::CurrentUser;
use crate::state::AppState;

struct ReportRow {
    file_id: i64,
    file_name: String,
    year: String,
    errors: usize,
    warnings: usize,
    confirmed: usize,
    dismissed: usize,
    previous: Option<(i64, String)>,
}

struct OrganGroup {
    organ: String,
    rows: Vec<ReportRow>,
}

struct Unreadable {
    file_name: String,
    reason: String,
}

#[derive(askama::Template)]
#[template(path = "batch_audit.html")]
struct BatchPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    batch_id: i64,
    batch_name: String,
    audited_at: String,
    groups: Vec<OrganGroup>,
    unreadable: Vec<Unreadable>,
}

/// `GET …/batch-audits/{batch_id}`: one table per report organ, a row per year.
pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, batch_id)): Path<(i64, i64)>,
    Query(q): Query<Notice>,
) -> AppResult<Response> {
    let organ = load(&state, organ_id).await?;
    let batch = load_batch(&state, organ_id, batch_id).await?;
    let files = load_files(&state, batch_id).await?;
    let decisions = decisions_of(&state, organ_id).await?;
    let mut groups: BTreeMap<String, Vec<(i32, ReportRow)>> = BTreeMap::new();
    let mut unreadable = Vec::new();
    for a in &files {
        if let Some(reason) = &a.result.error {
            unreadable.push(Unreadable {
                file_name: a.file.file_name.clone(),
                reason: reason.clone(),
            });
            continue;
        }
        let (errors, warnings) = counts(&a.result.findings);
        let decided: Vec<Decision> = a
            .result
            .findings
            .iter()
            .filter_map(|f| decisions.get(&a.result.key(&a.file.file_name, f)))
            .map(|d| d.decision)
            .collect();
        let previous = a
            .result
            .previous
            .and_then(|p| {
                files
                    .iter()
                    .find(|o| usize::try_from(o.file.position).ok() == Some(p))
            })
            .map(|o| (o.file.id, o.file.file_name.clone()));
        let organ_name = a
            .result
            .tables
            .as_ref()
            .and_then(|t| t.organ.clone())
            .unwrap_or_else(|| "（报告中未写明机关）".to_owned());
        let year = a.result.tables.as_ref().and_then(|t| t.year);
        groups.entry(organ_name).or_default().push((
            year.unwrap_or(0),
            ReportRow {
                file_id: a.file.id,
                file_name: a.file.file_name.clone(),
                year: year
                    .map(|y| y.to_string())
                    .unwrap_or_else(|| "未写明".to_owned()),
                errors,
                warnings,
                confirmed: decided
                    .iter()
                    .filter(|d| **d == Decision::Confirmed)
                    .count(),
                dismissed: decided
                    .iter()
                    .filter(|d| **d == Decision::Dismissed)
                    .count(),
                previous,
            },
        ));
    }
    let groups = groups
        .into_iter()
        .map(|(organ, mut rows)| {
            rows.sort_by_key(|(year, _)| *year);
            OrganGroup {
                organ,
                rows: rows.into_iter().map(|(_, r)| r).collect(),
            }
        })
        .collect();
    let page = BatchPage {
        layout: Layout::admin(format!("批量审核：{}", batch.name), &user)
            .with_notice(q.ok.as_deref()),
        law: LAW,
        organ_id,
        organ_name: organ.name,
        batch_id,
        batch_name: batch.name,
        audited_at: local_time(batch.audited_at),
        groups,
        unreadable,
    };
    Ok(html(&page)?.into_response())
}

struct FindingRow {
    check: String,
    severity: &'static str,
    failed: bool,
    message: String,
    cells: Vec<String>,
    cells_joined: String,
    expected: String,
    actual: String,
    decision: String,
    comment: String,
}

#[derive(askama::Template)]
#[template(path = "batch_audit_file.html")]
struct FilePage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    batch_id: i64,
    batch_name: String,
    file_id: i64,
    file_name: String,
    report_organ: String,
    year: String,
    error: Option<String>,
    previous: Option<(i64, String)>,
    next: Vec<(i64, String)>,
    findings: Vec<FindingRow>,
    grids: Vec<Grid>,
}

/// `GET …/batch-audits/{batch_id}/files/{file_id}`: one report's findings, its tables with the
/// cells the findings concern marked, and its pairing with the other years.
pub async fn file(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, batch_id, file_id)): Path<(i64, i64, i64)>,
    Query(q): Query<Notice>,
) -> AppResult<Response> {
    let organ = load(&state, organ_id).await?;
    let batch = load_batch(&state, organ_id, batch_id).await?;
    let files = load_files(&state, batch_id).await?;
    let a = files
        .iter()
        .find(|a| a.file.id == file_id)
        .ok_or(AppError::NotFound)?;
    let decisions = decisions_of(&state, organ_id).await?;
    let position = usize::try_from(a.file.position).ok();
    let by_position = |p: usize| {
        files
            .iter()
            .find(|o| usize::try_from(o.file.position).ok() == Some(p))
            .map(|o| (o.file.id, o.file.file_name.clone()))
    };
    let findings: Vec<FindingRow> = a
        .result
        .findings
        .iter()
        .map(|f| {
            let decided = decisions.get(&a.result.key(&a.file.file_name, f));
            FindingRow {
                check: f.check.clone(),
                severity: f.severity.label(),
                failed: f.status == gongkai_report::Status::Failed,
                message: f.message.clone(),
                cells: f.cells.iter().map(|c| c.0.clone()).collect(),
                cells_joined: cells_text(f),
                expected: f.expected.clone().unwrap_or_default(),
                actual: f.actual.clone().unwrap_or_default(),
                decision: decided
                    .map(|d| d.decision.key().to_owned())
                    .unwrap_or_default(),
                comment: decided.map(|d| d.comment.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let marked: HashSet<&str> = a
        .result
        .findings
        .iter()
        .flat_map(|f| f.cells.iter().map(|c| c.0.as_str()))
        .collect();
    let mut grids = a
        .result
        .tables
        .as_ref()
        .map(|t| table_grids(t, &|_| None))
        .unwrap_or_default();
    for g in &mut grids {
        for r in &mut g.rows {
            for c in &mut r.cells {
                c.marked = marked.contains(c.address.as_str());
            }
        }
    }
    let tables = a.result.tables.as_ref();
    let page = FilePage {
        layout: Layout::admin(format!("批量审核：{}", a.file.file_name), &user)
            .with_notice(q.ok.as_deref()),
        law: LAW,
        organ_id,
        organ_name: organ.name,
        batch_id,
        batch_name: batch.name,
        file_id,
        file_name: a.file.file_name.clone(),
        report_organ: tables.and_then(|t| t.organ.clone()).unwrap_or_default(),
        year: tables
            .and_then(|t| t.year)
            .map(|y| y.to_string())
            .unwrap_or_default(),
        error: a.result.error.clone(),
        previous: a.result.previous.and_then(by_position),
        next: files
            .iter()
            .filter(|o| o.result.previous.is_some() && o.result.previous == position)
            .map(|o| (o.file.id, o.file.file_name.clone()))
            .collect(),
        findings,
        grids,
    };
    Ok(html(&page)?.into_response())
}
