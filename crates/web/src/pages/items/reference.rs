//! Reference data (主题分类, 公开领域): editable lists shared by all organs, managed from the root
//! organ by a 系统管理员.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_store::{ReferenceKind, ReferenceTerm};

use super::form::Fields;
use super::user_message;
use crate::error::{AppError, AppResult};
use crate::pages::organs::NoticeQuery;
use crate::pages::{Layout, html};
use crate::session::CurrentUser;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "reference.html")]
struct ReferencePage {
    layout: Layout,
    organ_id: i64,
    topics: Vec<ReferenceTerm>,
    domains: Vec<ReferenceTerm>,
    /// Only on the root organ: elsewhere the page shows the lists and says where to edit them.
    editable: bool,
    error: Option<String>,
}

/// The lists are shared by every organ, so only the root organ's administrators change them.
async fn require_root(state: &AppState, organ_id: i64) -> AppResult<()> {
    let organ = crate::pages::organs::load(state, organ_id).await?;
    if organ.parent_id.is_some() {
        return Err(AppError::BadRequest(
            "主题分类和公开领域为全平台共用，请在最上级机关的“参考数据”中维护".to_owned(),
        ));
    }
    Ok(())
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    organ_id: i64,
    notice: Option<&str>,
    error: Option<String>,
) -> AppResult<Response> {
    let editable = require_root(state, organ_id).await.is_ok();
    let items = state.store().items();
    let status = if error.is_some() {
        axum::http::StatusCode::BAD_REQUEST
    } else {
        axum::http::StatusCode::OK
    };
    let page = ReferencePage {
        layout: Layout::admin("参考数据：主题分类与公开领域", user).with_notice(notice),
        organ_id,
        topics: items.reference_terms(ReferenceKind::Topic, true).await?,
        domains: items.reference_terms(ReferenceKind::Domain, true).await?,
        editable,
        error,
    };
    Ok((status, html(&page)?).into_response())
}

pub async fn reference_list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    page(&state, &user, organ_id, q.ok.as_deref(), None).await
}

pub async fn reference_add(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    body: Bytes,
) -> AppResult<Response> {
    require_root(&state, organ_id).await?;
    let f = Fields::parse(&body);
    let Some(kind) = ReferenceKind::from_key(f.get("kind")) else {
        return page(
            &state,
            &user,
            organ_id,
            None,
            Some("请选择要添加到哪个列表".to_owned()),
        )
        .await;
    };
    match state
        .store()
        .items()
        .add_reference_term(&user.actor(), kind, f.get("name"))
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/admin/organs/{organ_id}/reference?ok=created")).into_response(),
        ),
        Err(e) => {
            let message = user_message(e)?;
            page(&state, &user, organ_id, None, Some(message)).await
        }
    }
}

pub async fn reference_toggle(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, term_id)): Path<(i64, i64)>,
    body: Bytes,
) -> AppResult<Response> {
    require_root(&state, organ_id).await?;
    let f = Fields::parse(&body);
    let active = f.get("active") == "1";
    match state
        .store()
        .items()
        .set_reference_term_active(&user.actor(), term_id, active)
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/admin/organs/{organ_id}/reference?ok=saved")).into_response(),
        ),
        Err(e) => {
            let message = user_message(e)?;
            page(&state, &user, organ_id, None, Some(message)).await
        }
    }
}
