//! Changing one's own password: the store checks the policy and ends every session of the user,
//! this one included, so the user logs in again.

use askama::Template;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use super::{Layout, html};
use crate::cookies;
use crate::error::{AppError, AppResult};
use crate::session::CurrentUser;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    layout: Layout,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm: String,
}

pub async fn form(Extension(user): Extension<CurrentUser>) -> AppResult<Html<String>> {
    html(&PasswordPage {
        layout: Layout::admin("修改密码", &user),
        error: None,
    })
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let fail = |message: &str| -> AppResult<Response> {
        Ok((
            axum::http::StatusCode::BAD_REQUEST,
            html(&PasswordPage {
                layout: Layout::admin("修改密码", &user),
                error: Some(message.to_owned()),
            })?,
        )
            .into_response())
    };
    if form.new_password != form.confirm {
        return fail("两次输入的新密码不一致，请重新输入。");
    }
    if !state
        .store()
        .users()
        .check_password(user.user.id, &form.current)
        .await?
    {
        return fail("当前密码不正确，请重新输入。");
    }
    match state
        .store()
        .users()
        .set_password(&user.actor(), user.user.id, &form.new_password)
        .await
    {
        Ok(()) => {}
        Err(e) if !e.is_internal() => return fail(&e.to_string()),
        Err(e) => return Err(AppError::from(e)),
    }
    let mut response = Redirect::to("/admin/login?ok=password_changed").into_response();
    if let Ok(v) = cookies::clear(cookies::SESSION, state.config().cookies_secure()).parse() {
        response.headers_mut().append(SET_COOKIE, v);
    }
    Ok(response)
}
