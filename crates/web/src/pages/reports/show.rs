//! The workspace of one year's report: where it stands, what blocks it, the checks (errors,
//! warnings with their explanations), the tables with a link behind every figure, the narrative,
//! the figures from other systems with their sources, last year's tables for the cross-year
//! checks, the published versions, and the actions the user may take now.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_annual::workflow::{self, Prepared, PreviousSource};
use gongkai_store::annual_reports::FigureKey;
use gongkai_store::{Narrative, ReportStatus, ReportVersion};

use super::grid::{Grid, grids};
use super::{LAW_LINE, OkQuery, annual_messages, deadline, parse_year, report_url};
use crate::authz::{self, Permission};
use crate::error::{AppError, AppResult};
use crate::guard::OrganChain;
use crate::pages::{Layout, html};
use crate::session::CurrentUser;
use crate::state::AppState;

pub struct WarningRow {
    pub check: String,
    pub message: String,
    pub key: String,
    pub explanation: String,
}

pub struct FigureRow {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    pub source: String,
}

pub struct SectionRow {
    pub field: &'static str,
    pub title: &'static str,
    pub text: String,
}

#[derive(Template)]
#[template(path = "report_show.html")]
struct ShowPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    year: i32,
    url: String,
    opened: bool,
    status: String,
    editable: bool,
    in_review: bool,
    published: bool,
    version: i64,
    deadline: String,
    review_note: String,
    revision_reason: String,
    blockers: Vec<String>,
    errors: Vec<String>,
    findings_errors: Vec<(String, String)>,
    warnings: Vec<WarningRow>,
    infos: usize,
    grids: Vec<Grid>,
    sections: Vec<SectionRow>,
    narrative_saved: bool,
    figures: Vec<FigureRow>,
    previous: String,
    previous_imported: bool,
    versions: Vec<ReportVersion>,
    can_write: bool,
    can_review: bool,
    has_children: bool,
}

fn sections(n: &Narrative) -> Vec<SectionRow> {
    let fields = [
        "overview",
        "proactive",
        "applications",
        "challenges",
        "problems",
        "other",
    ];
    n.sections()
        .into_iter()
        .zip(fields)
        .map(|((title, text), field)| SectionRow {
            field,
            title,
            text: text.to_owned(),
        })
        .collect()
}

/// Renders the workspace of `year`, with `errors` from a refused action (then status 422).
pub async fn render(
    state: &AppState,
    user: &CurrentUser,
    chain: &[i64],
    organ_id: i64,
    year: i32,
    notice: Option<&str>,
    errors: Vec<String>,
) -> AppResult<Response> {
    let organ = crate::pages::organs::load(state, organ_id).await?;
    let prepared: Prepared = match workflow::prepare(
        state.store(),
        state.calendar(),
        organ_id,
        year,
        super::timing(state),
    )
    .await
    {
        Ok(p) => p,
        Err(e) => {
            // A record that cannot be placed in the year stops the build: say which.
            let messages = annual_messages(e)?;
            return Err(AppError::BadRequest(messages.join("；")));
        }
    };
    let report = prepared.report.as_ref();
    let status = report.map(|r| r.status);
    let versions = match report {
        Some(r) => state.store().annual_reports().versions(r.id).await?,
        None => Vec::new(),
    };
    let snapshot = &prepared.snapshot;
    let url = report_url(organ_id, year);
    let cell_base = format!("{url}/cells/");
    let findings_errors = prepared
        .errors()
        .iter()
        .map(|f| (f.check.clone(), f.message.clone()))
        .collect();
    let warnings = prepared
        .warnings()
        .into_iter()
        .map(|(f, key, explanation)| WarningRow {
            check: f.check.clone(),
            message: f.message.clone(),
            key,
            explanation: explanation.cloned().unwrap_or_default(),
        })
        .collect();
    let infos = snapshot
        .findings
        .iter()
        .filter(|f| f.severity == gongkai_report::Severity::Info)
        .count();
    let figures = FigureKey::ALL
        .into_iter()
        .map(|k| {
            let e = snapshot.figures.get(k);
            FigureRow {
                key: k.key(),
                label: k.label(),
                value: e.value.clone(),
                source: e.source.clone(),
            }
        })
        .collect();
    let previous = match &prepared.previous {
        Some((PreviousSource::Published(n), _)) => {
            format!("本平台已发布的{}年度报告（第 {n} 版）", year - 1)
        }
        Some((PreviousSource::Imported(source), _)) => format!("导入的文件：{source}"),
        None => String::new(),
    };
    let status_code = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ShowPage {
        layout: Layout::admin(format!("{}{}年度报告", organ.name, year), user).with_notice(notice),
        law: LAW_LINE,
        organ_id,
        year,
        opened: report.is_some(),
        status: status.map_or("尚未建立", ReportStatus::label).to_owned(),
        editable: status == Some(ReportStatus::Draft),
        in_review: status == Some(ReportStatus::InReview),
        published: status == Some(ReportStatus::Published),
        version: report.map_or(0, |r| r.version),
        deadline: deadline(state, organ.kind, year).map_or_else(String::new, |d| d.to_string()),
        review_note: report.map(|r| r.review_note.clone()).unwrap_or_default(),
        revision_reason: report
            .map(|r| r.revision_reason.clone())
            .unwrap_or_default(),
        blockers: prepared.blockers.clone(),
        errors,
        findings_errors,
        warnings,
        infos,
        grids: grids(snapshot, &|address| format!("{cell_base}{address}")),
        sections: sections(&snapshot.narrative),
        narrative_saved: report.is_some_and(|r| !r.narrative.is_empty()),
        figures,
        previous_imported: matches!(prepared.previous, Some((PreviousSource::Imported(_), _))),
        previous,
        versions,
        can_write: authz::allows(&user.roles, Permission::ReportWrite, chain),
        can_review: authz::allows(&user.roles, Permission::ReportReview, chain),
        has_children: !state.store().organs().children(organ_id).await?.is_empty(),
        organ_name: organ.name,
        url,
    };
    Ok((status_code, html(&page)?).into_response())
}

/// `GET …/reports/{year}`.
pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, year)): Path<(i64, String)>,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    let year = parse_year(&year)?;
    render(
        &state,
        &user,
        &chain,
        organ_id,
        year,
        q.ok.as_deref(),
        Vec::new(),
    )
    .await
}
