//! Departments (科室) of an organ: list, create, rename.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use gongkai_store::Department;
use serde::Deserialize;

use super::organs::{NoticeQuery, load};
use super::{Layout, html};
use crate::authz::{self, Permission};
use crate::error::{AppError, AppResult};
use crate::guard::OrganChain;
use crate::session::CurrentUser;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "departments.html")]
struct DepartmentsPage {
    layout: Layout,
    organ_id: i64,
    organ_name: String,
    departments: Vec<Department>,
    can_manage: bool,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    chain: &[i64],
    organ_id: i64,
    notice: Option<&str>,
    error: Option<String>,
) -> AppResult<Response> {
    let organ = load(state, organ_id).await?;
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = DepartmentsPage {
        layout: Layout::admin(format!("科室：{}", organ.name), user).with_notice(notice),
        organ_id,
        organ_name: organ.name,
        departments: state.store().departments().list(organ_id).await?,
        can_manage: authz::allows(&user.roles, Permission::DepartmentManage, chain),
        error,
    };
    Ok((status, html(&page)?).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(organ_id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    page(&state, &user, &chain, organ_id, q.ok.as_deref(), None).await
}

/// Turns a user-fixable store error into the page with the message; passes others on.
async fn or_page(
    result: Result<Response, AppError>,
    state: &AppState,
    user: &CurrentUser,
    chain: &[i64],
    organ_id: i64,
) -> AppResult<Response> {
    match result {
        Err(AppError::Store(e))
            if !e.is_internal() && !matches!(e, gongkai_store::StoreError::NotFound { .. }) =>
        {
            page(state, user, chain, organ_id, None, Some(e.to_string())).await
        }
        other => other,
    }
}

pub async fn create(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(organ_id): Path<i64>,
    Form(form): Form<NameForm>,
) -> AppResult<Response> {
    let result = async {
        state
            .store()
            .departments()
            .create(&user.actor(), organ_id, &form.name)
            .await?;
        Ok(
            Redirect::to(&format!("/admin/organs/{organ_id}/departments?ok=created"))
                .into_response(),
        )
    }
    .await;
    or_page(result, &state, &user, &chain, organ_id).await
}

pub async fn rename(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, department_id)): Path<(i64, i64)>,
    Form(form): Form<NameForm>,
) -> AppResult<Response> {
    let result = async {
        // The department must belong to the organ the permission was checked on.
        let dept = state
            .store()
            .departments()
            .get(department_id)
            .await?
            .filter(|d| d.organ_id == organ_id)
            .ok_or(AppError::NotFound)?;
        state
            .store()
            .departments()
            .rename(&user.actor(), dept.id, &form.name)
            .await?;
        Ok(
            Redirect::to(&format!("/admin/organs/{organ_id}/departments?ok=renamed"))
                .into_response(),
        )
    }
    .await;
    or_page(result, &state, &user, &chain, organ_id).await
}
