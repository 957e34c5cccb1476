//! The drill-down: the records one cell of the report counts, with links to them, so a reviewer
//! can check any number. For a published version the list is the frozen one of the snapshot
//! (`?version=N`); otherwise the report as built now. Applicants appear by tracking number and
//! type only (no personal data).

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use gongkai_annual::RecordRef;
use gongkai_annual::snapshot::ReportSnapshot;
use gongkai_annual::workflow;
use gongkai_report::CellRef;
use serde::Deserialize;

use super::grid::{table_grids, value_text};
use super::{annual_messages, parse_year, report_url};
use crate::error::{AppError, AppResult};
use crate::pages::{Layout, html};
use crate::session::CurrentUser;
use crate::state::AppState;

/// Most records listed on one page.
const SHOWN_MAX: usize = 1000;

pub struct RecordRow {
    pub kind: &'static str,
    pub href: String,
    pub name: String,
    pub date: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "report_cell.html")]
struct CellPage {
    layout: Layout,
    organ_id: i64,
    organ_name: String,
    year: i32,
    report_url: String,
    label: String,
    address: String,
    value: String,
    version: Option<i64>,
    source: Option<(String, String)>,
    records: Vec<RecordRow>,
    total: usize,
}

#[derive(Deserialize, Default)]
pub struct CellQuery {
    version: Option<i64>,
}

async fn record_row(state: &AppState, organ_id: i64, r: RecordRef) -> AppResult<RecordRow> {
    let store = state.store();
    Ok(match r {
        RecordRef::Application(id) => {
            let app = store.applications().get(id).await?;
            RecordRow {
                kind: "依申请公开",
                href: format!("/admin/organs/{organ_id}/applications/{id}"),
                name: app.as_ref().map_or_else(
                    || format!("申请（记录 {id}，已不存在）"),
                    |a| a.tracking_no.clone(),
                ),
                date: app
                    .as_ref()
                    .map_or_else(String::new, |a| format!("收到 {}", a.received_on)),
                detail: app
                    .as_ref()
                    .map_or_else(String::new, |a| a.applicant_type.label().to_owned()),
            }
        }
        RecordRef::Item(id) => {
            let item = store.items().get(id).await?;
            RecordRow {
                kind: "主动公开信息",
                href: format!("/admin/organs/{organ_id}/items/{id}"),
                name: item.as_ref().map_or_else(
                    || format!("信息（记录 {id}，已不存在）"),
                    |i| i.content.title.clone(),
                ),
                date: item
                    .as_ref()
                    .map_or_else(String::new, |i| format!("成文 {}", i.content.formed_on)),
                detail: item
                    .as_ref()
                    .and_then(|i| i.content.doc_no.clone())
                    .unwrap_or_default(),
            }
        }
        RecordRef::Challenge(id) => {
            let case = store.challenges().get(id).await?;
            RecordRow {
                kind: "行政复议、行政诉讼",
                href: format!("/admin/organs/{organ_id}/challenges/{id}"),
                name: case.as_ref().map_or_else(
                    || format!("案件（记录 {id}，已不存在）"),
                    |c| c.case_no.clone(),
                ),
                date: case
                    .as_ref()
                    .map_or_else(String::new, |c| format!("立案/申请 {}", c.filed_on)),
                detail: case
                    .as_ref()
                    .map_or_else(String::new, |c| c.result.label().to_owned()),
            }
        }
    })
}

/// The report the drill-down reads: a published version's snapshot, or the current build.
async fn load(
    state: &AppState,
    organ_id: i64,
    year: i32,
    version: Option<i64>,
) -> AppResult<ReportSnapshot> {
    match version {
        Some(n) => match workflow::published(state.store(), organ_id, year, Some(n)).await {
            Ok(Some((_, s))) => Ok(s),
            Ok(None) => Err(AppError::NotFound),
            Err(e) => Err(AppError::BadRequest(annual_messages(e)?.join("；"))),
        },
        None => match workflow::prepare(
            state.store(),
            state.calendar(),
            organ_id,
            year,
            super::timing(state),
        )
        .await
        {
            Ok(p) => Ok(p.snapshot),
            Err(e) => Err(AppError::BadRequest(annual_messages(e)?.join("；"))),
        },
    }
}

/// `GET …/reports/{year}/cells/{cell}`.
pub async fn cell(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, year, address)): Path<(i64, String, String)>,
    Query(q): Query<CellQuery>,
) -> AppResult<Response> {
    let year = parse_year(&year)?;
    let organ = crate::pages::organs::load(&state, organ_id).await?;
    let report = load(&state, organ_id, year, q.version).await?;
    // The label and value as the grid shows them; an unknown address is a 404.
    let mut found = None;
    for g in table_grids(&report.tables, &|_| None) {
        for row in g.rows {
            for (i, c) in row.cells.into_iter().enumerate() {
                if c.address == address {
                    let column = g.columns.get(i + 1).cloned().unwrap_or_default();
                    found = Some((format!("{} › {} › {column}", g.caption, row.label), c.text));
                }
            }
        }
    }
    let Some((label, value)) = found else {
        return Err(AppError::NotFound);
    };
    let source = gongkai_store::annual_reports::FigureKey::ALL
        .into_iter()
        .find(|k| {
            address
                == format!(
                    "table2.{}",
                    if k.key() == "fees" {
                        "fees_wan_yuan"
                    } else {
                        k.key()
                    }
                )
        })
        .map(|k| {
            let e = report.figures.get(k);
            (e.value.clone(), e.source.clone())
        });
    let refs = report
        .cells
        .get(&CellRef(address.clone()))
        .cloned()
        .unwrap_or_default();
    let mut records = Vec::new();
    for r in refs.iter().take(SHOWN_MAX) {
        records.push(record_row(&state, organ_id, *r).await?);
    }
    let page = CellPage {
        layout: Layout::admin(format!("{year}年度报告：{label}"), &user),
        organ_id,
        organ_name: organ.name,
        year,
        report_url: report_url(organ_id, year),
        label,
        address,
        value: if value.is_empty() {
            value_text(&gongkai_report::CellValue::Blank)
        } else {
            value
        },
        version: q.version,
        source,
        records,
        total: refs.len(),
    };
    Ok(html(&page)?.into_response())
}
