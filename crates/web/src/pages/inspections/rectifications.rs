//! The organ's rectification page (整改反馈): its own problems of every issued 通报, with the
//! deadline, the supervisor's comments and the history, and the form to answer each problem.
//! An organ sees only its own problems: the store lists them by the route's organ, and an answer
//! to another organ's problem is a 404.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use chrono::NaiveDate;
use gongkai_store::inspections::{self, is_overdue};
use serde::Deserialize;

use super::show::{EventView, event_views};
use super::{LAW_RECTIFY, Notice, chinese_date, link_line};
use crate::error::{AppError, AppResult};
use crate::pages::organs::load;
use crate::pages::{Layout, html};
use crate::session::CurrentUser;
use crate::state::AppState;

struct Line {
    id: i64,
    inspection_title: String,
    supervising_organ: String,
    doc_no: String,
    issued_on: String,
    deadline_on: String,
    description: String,
    link: Option<(String, String)>,
    state_key: &'static str,
    state_label: &'static str,
    overdue: bool,
    awaits_answer: bool,
    rectification: String,
    comment: String,
    events: Vec<EventView>,
}

#[derive(askama::Template)]
#[template(path = "rectifications.html")]
struct RectificationsPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    lines: Vec<Line>,
    today: String,
    today_iso: String,
}

/// `GET /admin/organs/{organ_id}/rectifications`.
pub async fn rectifications(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    Query(q): Query<Notice>,
) -> AppResult<Response> {
    let organ = load(&state, organ_id).await?;
    let problems = state.store().inspections().for_organ(organ_id).await?;
    let ids: Vec<i64> = problems.iter().map(|p| p.problem.id).collect();
    let events = state.store().inspections().events(&ids).await?;
    let today = state.today();
    let lines = problems
        .into_iter()
        .map(|p| Line {
            id: p.problem.id,
            inspection_title: p.inspection_title,
            supervising_organ: p.supervising_organ_name,
            doc_no: p.doc_no,
            issued_on: chinese_date(p.issued_on),
            deadline_on: chinese_date(p.deadline_on),
            link: p.problem.link.as_ref().map(|l| link_line(l, organ_id)),
            state_key: p.problem.state.key(),
            state_label: p.problem.state.label(),
            overdue: is_overdue(p.problem.state, Some(p.deadline_on), today),
            awaits_answer: p.problem.state.awaits_organ(),
            events: event_views(&events, p.problem.id),
            description: p.problem.description,
            rectification: p.problem.rectification,
            comment: p.problem.comment,
        })
        .collect();
    let page = RectificationsPage {
        layout: Layout::admin(format!("整改反馈：{}", organ.name), &user)
            .with_notice(q.ok.as_deref()),
        law: LAW_RECTIFY,
        organ_id,
        organ_name: organ.name,
        lines,
        today: chinese_date(today),
        today_iso: today.to_string(),
    };
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    rectification: String,
    #[serde(default)]
    done_on: String,
}

/// `POST /admin/organs/{organ_id}/rectifications/{problem_id}/answer`: the organ's answer.
pub async fn answer(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, problem_id)): Path<(i64, i64)>,
    Form(form): Form<AnswerForm>,
) -> AppResult<Response> {
    let done_on = match form.done_on.trim() {
        "" => None,
        s => Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            AppError::BadRequest(format!(
                "整改完成日期“{s}”无法识别：请按 2026-10-09 的格式填写，尚未完成的请不填"
            ))
        })?),
    };
    state
        .store()
        .write(&user.actor(), async |tx| {
            inspections::answer(tx, organ_id, problem_id, &form.rectification, done_on).await
        })
        .await?;
    Ok(Redirect::to(&format!(
        "/admin/organs/{organ_id}/rectifications?ok=problem_answered#problem-{problem_id}"
    ))
    .into_response())
}
