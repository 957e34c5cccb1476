//! The supervising organ's inspections and the form that opens one.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use gongkai_store::inspections::{self, InspectionKind, NewInspection};
use serde::Deserialize;

use super::{LAW, Notice, base, chinese_date};
use crate::error::{AppError, AppResult};
use crate::pages::organs::load;
use crate::pages::{Layout, html};
use crate::session::CurrentUser;
use crate::state::AppState;

struct Row {
    id: i64,
    title: String,
    kind: &'static str,
    scope: String,
    notice: String,
    problems: i64,
    open_problems: i64,
}

#[derive(askama::Template)]
#[template(path = "inspections.html")]
struct ListPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    rows: Vec<Row>,
    /// (organ id, indented name) of the organs that can be inspected.
    organs: Vec<(i64, String)>,
    kinds: Vec<(&'static str, &'static str)>,
}

/// `GET …/inspections`: the inspections and the form to open one.
pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    Query(q): Query<Notice>,
) -> AppResult<Response> {
    let organ = load(&state, organ_id).await?;
    let rows = state
        .store()
        .inspections()
        .list(organ_id)
        .await?
        .into_iter()
        .map(|s| Row {
            id: s.inspection.id,
            title: s.inspection.title,
            kind: s.inspection.kind.label(),
            scope: if s.inspection.include_below {
                format!("{}及其下级机关", s.scope_organ_name)
            } else {
                s.scope_organ_name
            },
            notice: s.inspection.notice.map_or_else(
                || "未印发".to_owned(),
                |n| {
                    format!(
                        "{}，{}印发，整改截止{}",
                        n.doc_no,
                        chinese_date(n.issued_on),
                        chinese_date(n.deadline_on)
                    )
                },
            ),
            problems: s.problems,
            open_problems: s.open_problems,
        })
        .collect();
    let subtree = state.store().organs().subtree(organ_id).await?;
    let organs = crate::pages::organs::tree(&subtree)
        .into_iter()
        .map(|row| (row.id, format!("{}{}", "　".repeat(row.depth), row.name)))
        .collect();
    let page = ListPage {
        layout: Layout::admin(format!("检查、通报与整改：{}", organ.name), &user)
            .with_notice(q.ok.as_deref()),
        law: LAW,
        organ_id,
        organ_name: organ.name,
        rows,
        organs,
        kinds: InspectionKind::ALL
            .iter()
            .map(|k| (k.key(), k.label()))
            .collect(),
    };
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct OpenForm {
    scope_organ_id: i64,
    #[serde(default)]
    include_below: Option<String>,
    title: String,
    kind: String,
    #[serde(default)]
    subject: String,
}

/// `POST …/inspections`: opens an inspection and shows it.
pub async fn open(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    Form(form): Form<OpenForm>,
) -> AppResult<Response> {
    let Some(kind) = InspectionKind::parse(&form.kind) else {
        return Err(AppError::BadRequest(
            "请从列表中选择检查类别（发布时效、发布渠道、信息准确性等）".to_owned(),
        ));
    };
    let new = NewInspection {
        scope_organ_id: form.scope_organ_id,
        include_below: form.include_below.is_some(),
        title: form.title,
        kind,
        subject: form.subject,
    };
    let id = state
        .store()
        .write(&user.actor(), async |tx| {
            inspections::open(tx, organ_id, &new).await
        })
        .await?;
    Ok(Redirect::to(&format!("{}/{id}?ok=inspection_opened", base(organ_id))).into_response())
}
