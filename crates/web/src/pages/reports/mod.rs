//! The annual report in the back office (条例第四十九、五十条; format 国办公开办函〔2021〕30号):
//! the organ's reports by year (`list`), the workspace of one year (`show.rs`: status, checks,
//! tables with drill-down, narrative, figures from other systems, last year's tables, actions),
//! the form actions (`actions.rs`), the records behind a cell (`cells.rs`), the downloads
//! (`files.rs`), the aggregate of subordinate organs (`aggregate.rs`) and the public pages of
//! the column (`public.rs`). Permissions are the route table's (ReportView / ReportWrite /
//! ReportReview).

mod actions;
mod aggregate;
mod cells;
mod files;
pub mod grid;
pub mod public;
mod show;

pub use actions::{
    explanations, figures, figures_import, narrative, open, previous, publish, revise, send_back,
    submit,
};
pub use aggregate::aggregate;
pub use cells::cell;
pub use files::draft_file;
pub use show::show;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use gongkai_store::{OrganKind, ReportSummary, StoreError};
use serde::Deserialize;

use super::{Layout, html};
use crate::authz::{self, Permission};
use crate::error::{AppError, AppResult};
use crate::guard::OrganChain;
use crate::session::CurrentUser;
use crate::state::AppState;

/// What the law requires on these screens, in one line.
pub const LAW_LINE: &str = "《政府信息公开条例》第四十九、五十条：每年1月31日前（县级以上人民政府为3月31日前）公布上一年度政府信息公开工作年度报告，格式按国办公开办函〔2021〕30号；表格中的数字须与办理记录一致、前后相符。";

pub fn report_url(organ_id: i64, year: i32) -> String {
    format!("/admin/organs/{organ_id}/reports/{year}")
}

/// The year in a path, checked.
pub fn parse_year(text: &str) -> Result<i32, AppError> {
    text.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2008..=2100).contains(y))
        .ok_or_else(|| {
            AppError::BadRequest(format!(
                "年度“{}”无效：请写作四位数字，如 2025（2008 年以后）",
                text.trim()
            ))
        })
}

/// The last day for publishing `year`'s report (Art 49; 街道/乡镇 by the configured local rule).
pub fn deadline(state: &AppState, kind: OrganKind, year: i32) -> Option<NaiveDate> {
    gongkai_annual::workflow::deadline(kind, year, state.config().report_deadline_grassroots)
}

/// The report judged as published today, under the configured local rule.
pub fn timing(state: &AppState) -> gongkai_annual::workflow::Timing {
    gongkai_annual::workflow::Timing {
        published_on: Some(state.today()),
        grassroots_deadline: state.config().report_deadline_grassroots,
    }
}

/// A user-fixable store error as its Chinese message; others pass on as errors.
pub fn user_message(e: StoreError) -> Result<String, AppError> {
    match e {
        StoreError::StaleVersion { current } => Ok(format!(
            "年度报告已被他人修改（当前为第 {current} 版），本次操作未保存：请刷新页面，核对最新内容后再操作"
        )),
        e if e.is_internal() => Err(AppError::Store(e)),
        e => Ok(e.to_string()),
    }
}

/// An annual-crate error as user messages, or an error to pass on.
pub fn annual_messages(e: gongkai_annual::AnnualError) -> Result<Vec<String>, AppError> {
    use gongkai_annual::AnnualError as E;
    match e {
        E::Store(e) => user_message(e).map(|m| vec![m]),
        E::Blocked(list) => Ok(list),
        e @ (E::CaseDates { .. } | E::NotOpened(_) | E::Table(_)) => Ok(vec![e.to_string()]),
        E::UnknownOrgan(_) => Err(AppError::NotFound),
    }
}

/// One year in the list.
pub struct YearRow {
    pub year: i32,
    pub status: &'static str,
    pub latest: String,
    pub deadline: String,
}

#[derive(Template)]
#[template(path = "reports_list.html")]
struct ListPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    years: Vec<YearRow>,
    suggested_year: i32,
    can_write: bool,
    has_children: bool,
}

#[derive(Deserialize, Default)]
pub struct OkQuery {
    pub ok: Option<String>,
}

fn summary_row(state: &AppState, kind: OrganKind, s: &ReportSummary) -> YearRow {
    YearRow {
        year: s.year,
        status: s.status.label(),
        latest: s.latest.as_ref().map_or_else(
            || "尚未发布".to_owned(),
            |v| format!("第 {} 版，{} 发布", v.number, v.published_on),
        ),
        deadline: deadline(state, kind, s.year).map_or_else(String::new, |d| d.to_string()),
    }
}

/// `GET …/reports`: the organ's reports by year, and a form to open a year.
pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(organ_id): Path<i64>,
    Query(q): Query<OkQuery>,
) -> AppResult<Response> {
    let organ = super::organs::load(&state, organ_id).await?;
    let summaries = state.store().annual_reports().list(organ_id).await?;
    let has_children = !state.store().organs().children(organ_id).await?.is_empty();
    let page = ListPage {
        layout: Layout::admin(format!("年度报告：{}", organ.name), &user)
            .with_notice(q.ok.as_deref()),
        law: LAW_LINE,
        organ_id,
        years: summaries
            .iter()
            .map(|s| summary_row(&state, organ.kind, s))
            .collect(),
        organ_name: organ.name,
        suggested_year: state.today().year() - 1,
        can_write: authz::allows(&user.roles, Permission::ReportWrite, &chain),
        has_children,
    };
    Ok(html(&page)?.into_response())
}
