//! The back office of the 行政复议/行政诉讼 register (条例第五十一条; table 四 of the annual report,
//! 第五十条): the organ's register by year and kind with names masked and the year's table 四,
//! the form to register or edit a case (`form.rs`), and the case page (`show.rs`). Permissions
//! are the route table's: reading needs `ApplicationView`, writing `ApplicationHandle`.

mod form;
mod show;

pub use form::{edit_form, edit_submit, new_form, new_submit};
pub use show::show;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use gongkai_law::{ChallengeKind, ChallengeResult};
use gongkai_store::{Challenge, ChallengeFilter, ChallengeSummary, StoreError, Table4Tally};
use serde::Deserialize;

use super::{Layout, html};
use crate::authz::{self, Permission};
use crate::error::{AppError, AppResult};
use crate::guard::OrganChain;
use crate::session::CurrentUser;
use crate::state::AppState;

/// What the law requires on these screens, in one line.
pub const LAW_LINE: &str = "《政府信息公开条例》第五十一条：认为行政机关在政府信息公开工作中侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼；本机关被申请复议、被起诉的情况列入年度报告表四（第五十条）。";

pub fn register_url(organ_id: i64) -> String {
    format!("/admin/organs/{organ_id}/challenges")
}

pub fn case_url(organ_id: i64, challenge_id: i64) -> String {
    format!("/admin/organs/{organ_id}/challenges/{challenge_id}")
}

/// The case, if it belongs to `organ_id` (the route's organ decides the permission).
pub async fn load_case(state: &AppState, organ_id: i64, challenge_id: i64) -> AppResult<Challenge> {
    match state.store().challenges().get(challenge_id).await? {
        Some(c) if c.organ_id == organ_id => Ok(c),
        _ => Err(AppError::NotFound),
    }
}

/// A user-fixable store error as its Chinese message; others pass on as errors.
pub fn user_message(e: StoreError) -> Result<String, AppError> {
    match e {
        StoreError::StaleVersion { current } => Ok(format!(
            "该案件已被他人修改（当前为第 {current} 版），本次修改未保存：请刷新页面，核对最新内容后再修改"
        )),
        e if e.is_internal() => Err(AppError::Store(e)),
        e => Ok(e.to_string()),
    }
}

/// One row of table 四 on the list page: a block with its five cells.
pub struct TallyRow {
    pub label: &'static str,
    pub kind: &'static str,
    /// (column key, count) in printed order, 总计 last.
    pub cells: Vec<(&'static str, u32)>,
}

fn tally_rows(tally: &Table4Tally) -> Vec<TallyRow> {
    ChallengeKind::ALL
        .iter()
        .map(|kind| {
            let block = tally.block(*kind);
            let mut cells: Vec<(&'static str, u32)> = ChallengeResult::ALL
                .iter()
                .map(|r| (r.key(), block.column(*r).count))
                .collect();
            cells.push(("total", block.total.count));
            TallyRow {
                label: kind.label(),
                kind: kind.key(),
                cells,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "challenges_list.html")]
struct ListPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    cases: Vec<ChallengeSummary>,
    year: String,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    results: Vec<&'static str>,
    tally_year: i32,
    tally: Vec<TallyRow>,
    can_handle: bool,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    kind: String,
    ok: Option<String>,
}

fn parse_year(text: &str) -> Result<Option<i32>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => t
            .parse::<i32>()
            .ok()
            .filter(|y| (1990..=9999).contains(y))
            .map(Some)
            .ok_or_else(|| AppError::BadRequest(format!("年份“{t}”无效，请写作四位数字，如 2025"))),
    }
}

fn parse_kind(text: &str) -> Result<Option<ChallengeKind>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => ChallengeKind::from_key(t)
            .map(Some)
            .map_err(|e| AppError::BadRequest(e.to_string())),
    }
}

/// `GET …/challenges`: the register, latest filing first, claimant names masked; with the table
/// 四 of the chosen year (this year when none is chosen).
pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(organ_id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let organ = super::organs::load(&state, organ_id).await?;
    let year = parse_year(&q.year)?;
    let kind = parse_kind(&q.kind)?;
    let challenges = state.store().challenges();
    let cases = challenges
        .list(organ_id, ChallengeFilter { year, kind })
        .await?;
    let tally_year = year.unwrap_or_else(|| state.today().year());
    let tally = challenges.tally(organ_id, tally_year).await?;
    let page = ListPage {
        layout: Layout::admin(format!("行政复议、行政诉讼：{}", organ.name), &user)
            .with_notice(q.ok.as_deref()),
        law: LAW_LINE,
        organ_id,
        organ_name: organ.name,
        cases,
        year: year.map(|y| y.to_string()).unwrap_or_default(),
        kind: kind.map(|k| k.key().to_owned()).unwrap_or_default(),
        kinds: ChallengeKind::ALL
            .iter()
            .map(|k| (k.key(), k.label()))
            .collect(),
        results: ChallengeResult::ALL.iter().map(|r| r.label()).collect(),
        tally_year,
        tally: tally_rows(&tally),
        can_handle: authz::allows(&user.roles, Permission::ApplicationHandle, &chain),
    };
    Ok(html(&page)?.into_response())
}
