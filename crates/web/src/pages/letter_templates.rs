//! The administrator's screen for the texts of the letters to applicants (告知书): each template
//! shows the organ's edited text or the default shipped with the program; an edit is checked by
//! the letters crate (renders against sample data, sandboxed, bounded) before it is saved, and a
//! refused edit is shown again with the reason and nothing saved.

use askama::Template as Askama;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_letters::Template;

use super::items::form::Fields;
use super::organs::NoticeQuery;
use super::{Layout, html};
use crate::error::{AppError, AppResult};
use crate::session::CurrentUser;
use crate::state::AppState;

const LAW_LINE: &str = "《政府信息公开条例》第三十六条：对政府信息公开申请，行政机关根据下列情况分别作出答复……不予公开、无法提供、不予处理的，应当告知申请人并说明理由。告知书须写明办理结果、法律依据和申请人的救济途径。";

pub struct TemplateLine {
    pub key: &'static str,
    pub label: &'static str,
    pub edited: bool,
}

#[derive(Askama)]
#[template(path = "letter_templates.html")]
struct ListPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    lines: Vec<TemplateLine>,
}

#[derive(Askama)]
#[template(path = "letter_template_edit.html")]
struct EditPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    key: &'static str,
    label: &'static str,
    source: String,
    edited: bool,
    error: Option<String>,
}

fn template_of(key: &str) -> AppResult<Template> {
    Template::from_key(key).ok_or(AppError::NotFound)
}

/// `GET /admin/organs/{organ_id}/letter-templates`.
pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let organ = super::organs::load(&state, organ_id).await?;
    let edited = state.store().letters().templates(organ_id).await?;
    let lines = Template::ALL
        .iter()
        .map(|t| TemplateLine {
            key: t.key(),
            label: t.label(),
            edited: edited.iter().any(|e| e.template == t.key()),
        })
        .collect();
    let page = ListPage {
        layout: Layout::admin(format!("告知书模板：{}", organ.name), &user)
            .with_notice(q.ok.as_deref()),
        law: LAW_LINE,
        organ_id,
        organ_name: organ.name,
        lines,
    };
    Ok(html(&page)?.into_response())
}

async fn edit_page(
    state: &AppState,
    user: &CurrentUser,
    organ_id: i64,
    template: Template,
    source: Option<String>,
    error: Option<String>,
) -> AppResult<Response> {
    let organ = super::organs::load(state, organ_id).await?;
    let stored = state
        .store()
        .letters()
        .template(organ_id, template.key())
        .await?;
    let edited = stored.is_some();
    let source = source.unwrap_or_else(|| {
        stored.map_or_else(|| template.default_source().to_owned(), |s| s.source)
    });
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = EditPage {
        layout: Layout::admin(format!("告知书模板：{}", template.label()), user),
        law: LAW_LINE,
        organ_id,
        organ_name: organ.name,
        key: template.key(),
        label: template.label(),
        source,
        edited,
        error,
    };
    Ok((status, html(&page)?).into_response())
}

/// `GET /admin/organs/{organ_id}/letter-templates/{template}`.
pub async fn edit_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, key)): Path<(i64, String)>,
) -> AppResult<Response> {
    let template = template_of(&key)?;
    edit_page(&state, &user, organ_id, template, None, None).await
}

/// `POST /admin/organs/{organ_id}/letter-templates/{template}`: `action=save` with `source`, or
/// `action=reset`.
pub async fn save(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, key)): Path<(i64, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let template = template_of(&key)?;
    super::organs::load(&state, organ_id).await?;
    let f = Fields::parse(&body);
    let back = |notice: &str| {
        Redirect::to(&format!(
            "/admin/organs/{organ_id}/letter-templates?ok={notice}"
        ))
        .into_response()
    };
    if f.get("action") == "reset" {
        state
            .store()
            .write(&user.actor(), async |tx| {
                gongkai_store::letters::reset_template(tx, organ_id, template.key()).await
            })
            .await?;
        return Ok(back("template_reset"));
    }
    // Browsers send CRLF from a textarea; the templates are LF.
    let source = f.get("source").replace("\r\n", "\n");
    if let Err(e) = gongkai_letters::check(template, &source) {
        return edit_page(
            &state,
            &user,
            organ_id,
            template,
            Some(source),
            Some(format!("模板未保存：{e}")),
        )
        .await;
    }
    state
        .store()
        .write(&user.actor(), async |tx| {
            gongkai_store::letters::save_template(tx, organ_id, template.key(), &source).await
        })
        .await?;
    Ok(back("template_saved"))
}
