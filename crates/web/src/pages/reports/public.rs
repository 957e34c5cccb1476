//! The 年度报告 pages of the public column (条例第五十条: the report is published to society):
//! the list of published years, one report laid out like the official format with its version
//! history (a revision shows its reason), and the downloads. Only published versions are ever
//! shown here; they are frozen snapshots. No JavaScript.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use gongkai_annual::document::report_document;
use gongkai_annual::workflow;
use gongkai_store::{Organ, ReportVersion};
use serde::Deserialize;

use super::files::{ReportFile, respond};
use super::{annual_messages, parse_year};
use crate::error::{AppError, AppResult};
use crate::pages::column::Frame;
use crate::pages::portal::column_links;
use crate::pages::{Layout, html};
use crate::state::AppState;

fn frame(organ: &Organ) -> Frame {
    Frame {
        organ_id: organ.id,
        organ_name: organ.name.clone(),
        column: column_links(organ.id),
        current: format!("/organs/{}/reports", organ.id),
    }
}

async fn organ(state: &AppState, id: i64) -> AppResult<Organ> {
    state
        .store()
        .organs()
        .get(id)
        .await?
        .ok_or(AppError::NotFound)
}

pub struct PublishedYear {
    pub year: i32,
    pub title: String,
    pub version: i64,
    pub published_on: String,
}

#[derive(Template)]
#[template(path = "report_public_list.html")]
struct ListPage {
    layout: Layout,
    frame: Frame,
    heading: String,
    years: Vec<PublishedYear>,
}

/// `GET /organs/{id}/reports`: the published reports, latest year first.
pub async fn index(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Html<String>> {
    let o = organ(&state, id).await?;
    let years = state
        .store()
        .annual_reports()
        .list(id)
        .await?
        .into_iter()
        .filter_map(|s| {
            let v = s.latest?;
            Some(PublishedYear {
                year: s.year,
                title: format!("{}{}年政府信息公开工作年度报告", o.name, s.year),
                version: v.number,
                published_on: v.published_on.to_string(),
            })
        })
        .collect();
    let heading = format!("{}政府信息公开工作年度报告", o.name);
    html(&ListPage {
        layout: Layout::public(heading.clone()),
        frame: frame(&o),
        heading,
        years,
    })
}

#[derive(Deserialize, Default)]
pub struct VersionQuery {
    version: Option<i64>,
}

#[derive(Template)]
#[template(path = "report_public.html")]
struct ReportPage {
    layout: Layout,
    frame: Frame,
    year: i32,
    number: i64,
    latest: i64,
    published_on: String,
    reason: String,
    body: String,
    history: Vec<ReportVersion>,
    query: String,
}

async fn published(
    state: &AppState,
    id: i64,
    year: i32,
    version: Option<i64>,
) -> AppResult<(ReportVersion, gongkai_annual::snapshot::ReportSnapshot)> {
    match workflow::published(state.store(), id, year, version).await {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(AppError::NotFound),
        Err(e) => Err(AppError::BadRequest(annual_messages(e)?.join("；"))),
    }
}

/// `GET /organs/{id}/reports/{year}[?version=N]`: the report (latest version unless one is
/// asked for), its history and downloads.
pub async fn report(
    State(state): State<AppState>,
    Path((id, year)): Path<(i64, String)>,
    Query(q): Query<VersionQuery>,
) -> AppResult<Response> {
    let year = parse_year(&year).map_err(|_| AppError::NotFound)?;
    let o = organ(&state, id).await?;
    let (version, snapshot) = published(&state, id, year, q.version).await?;
    let history = match state.store().annual_reports().get(id, year).await? {
        Some(r) => state.store().annual_reports().versions(r.id).await?,
        None => Vec::new(),
    };
    let body = gongkai_typeset::to_html(&report_document(&snapshot))
        .map_err(|e| AppError::Internal(format!("生成网页失败：{e}")))?;
    let page = ReportPage {
        layout: Layout::public(snapshot.title()),
        frame: frame(&o),
        year,
        number: version.number,
        latest: history.last().map_or(version.number, |v| v.number),
        published_on: version.published_on.to_string(),
        reason: version.reason.clone(),
        body,
        query: q
            .version
            .map_or_else(String::new, |n| format!("?version={n}")),
        history,
    };
    Ok(html(&page)?.into_response())
}

/// `GET /organs/{id}/reports/{year}/download/{format}[?version=N]`.
pub async fn download(
    State(state): State<AppState>,
    Path((id, year, format)): Path<(i64, String, String)>,
    Query(q): Query<VersionQuery>,
) -> AppResult<Response> {
    let year = parse_year(&year).map_err(|_| AppError::NotFound)?;
    let format = ReportFile::parse(&format)?;
    let (_, snapshot) = published(&state, id, year, q.version).await?;
    respond(&state, &snapshot, format).await
}
