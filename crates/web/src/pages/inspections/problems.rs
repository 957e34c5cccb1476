//! Recording and editing the problems an inspection found (before its 通报 is issued).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use gongkai_store::StoreError;
use gongkai_store::inspections::{self, ProblemInput};
use serde::Deserialize;

use super::show::{ProblemDraft, render};
use super::{LinkFields, base, load_inspection};
use crate::error::{AppError, AppResult};
use crate::session::CurrentUser;
use crate::state::AppState;

#[derive(Deserialize, Clone)]
pub struct ProblemForm {
    problem_organ_id: i64,
    #[serde(default)]
    description: String,
    #[serde(default)]
    link_kind: String,
    #[serde(default)]
    link_id: String,
    #[serde(default)]
    link_year: String,
    #[serde(default)]
    link_cell: String,
}

impl ProblemForm {
    fn draft(&self) -> ProblemDraft {
        ProblemDraft {
            organ_id: self.problem_organ_id,
            description: self.description.clone(),
            link_kind: self.link_kind.clone(),
            link_id: self.link_id.clone(),
            link_year: self.link_year.clone(),
            link_cell: self.link_cell.clone(),
        }
    }

    async fn input(self, state: &AppState) -> AppResult<ProblemInput> {
        let link = LinkFields {
            link_kind: self.link_kind,
            link_id: self.link_id,
            link_year: self.link_year,
            link_cell: self.link_cell,
        }
        .resolve(state, self.problem_organ_id)
        .await?;
        Ok(ProblemInput {
            organ_id: self.problem_organ_id,
            description: self.description,
            link,
        })
    }
}

/// `POST …/inspections/{inspection_id}/problems`: records a problem. A problem the rules refuse
/// (no description, a record of another organ, an unknown 索引号 …) shows the page again with the
/// reason and everything typed kept.
pub async fn record(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, inspection_id)): Path<(i64, i64)>,
    Form(form): Form<ProblemForm>,
) -> AppResult<Response> {
    load_inspection(&state, organ_id, inspection_id).await?;
    let draft = form.draft();
    let recorded = async {
        let input = form.input(&state).await?;
        state
            .store()
            .write(&user.actor(), async |tx| {
                inspections::record_problem(tx, inspection_id, &input).await
            })
            .await
            .map_err(AppError::from)
    }
    .await;
    let refused = match recorded {
        Ok(_) => {
            return Ok(Redirect::to(&format!(
                "{}/{inspection_id}?ok=problem_recorded#problems",
                base(organ_id)
            ))
            .into_response());
        }
        Err(AppError::BadRequest(message)) => message,
        Err(AppError::Store(e))
            if !e.is_internal() && !matches!(e, StoreError::NotFound { .. }) =>
        {
            e.to_string()
        }
        Err(e) => return Err(e),
    };
    render(
        &state,
        &user,
        organ_id,
        inspection_id,
        None,
        draft,
        Some(refused),
    )
    .await
}

/// `POST …/inspections/{inspection_id}/problems/{problem_id}/edit`: changes a problem.
pub async fn edit(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, inspection_id, problem_id)): Path<(i64, i64, i64)>,
    Form(form): Form<ProblemForm>,
) -> AppResult<Response> {
    load_inspection(&state, organ_id, inspection_id).await?;
    let input = form.input(&state).await?;
    state
        .store()
        .write(&user.actor(), async |tx| {
            inspections::edit_problem(tx, inspection_id, problem_id, &input).await
        })
        .await?;
    Ok(Redirect::to(&format!(
        "{}/{inspection_id}?ok=problem_saved#problem-{problem_id}",
        base(organ_id)
    ))
    .into_response())
}
