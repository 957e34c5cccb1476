//! The supervisor's decision on an answered problem: closed (整改到位，销号) or sent back
//! (退回重新整改) with the reason.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use gongkai_store::inspections;
use serde::Deserialize;

use super::{base, load_inspection};
use crate::error::AppResult;
use crate::session::CurrentUser;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    comment: String,
}

fn back(organ_id: i64, inspection_id: i64, problem_id: i64, ok: &str) -> Response {
    Redirect::to(&format!(
        "{}/{inspection_id}?ok={ok}#problem-{problem_id}",
        base(organ_id)
    ))
    .into_response()
}

/// `POST …/inspections/{inspection_id}/problems/{problem_id}/close`.
pub async fn close(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, inspection_id, problem_id)): Path<(i64, i64, i64)>,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    load_inspection(&state, organ_id, inspection_id).await?;
    state
        .store()
        .write(&user.actor(), async |tx| {
            inspections::close(tx, inspection_id, problem_id, &form.comment).await
        })
        .await?;
    Ok(back(organ_id, inspection_id, problem_id, "problem_closed"))
}

/// `POST …/inspections/{inspection_id}/problems/{problem_id}/reopen`.
pub async fn reopen(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, inspection_id, problem_id)): Path<(i64, i64, i64)>,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    load_inspection(&state, organ_id, inspection_id).await?;
    state
        .store()
        .write(&user.actor(), async |tx| {
            inspections::reopen(tx, inspection_id, problem_id, &form.comment).await
        })
        .await?;
    Ok(back(
        organ_id,
        inspection_id,
        problem_id,
        "problem_reopened",
    ))
}
