//! `/admin/login` and `/admin/logout`.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, Request, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, RequestExt};
use gongkai_store::StoreError;
use serde::Deserialize;

use super::{Layout, html};
use crate::cookies;
use crate::csrf;
use crate::error::{AppError, AppResult};
use crate::session::{self, CurrentUser};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    csrf: String,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    ok: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    next: String,
}

/// Only a path inside the back office is a safe place to return to (no open redirect).
fn safe_next(next: &str) -> &str {
    if next.starts_with("/admin")
        && !next.starts_with("/admin/login")
        && !next.contains("//")
        && !next.contains('\\')
    {
        next
    } else {
        "/admin"
    }
}

/// The login token to use: the one in the cookie if it is still valid, else a fresh one.
fn login_token(state: &AppState, headers: &HeaderMap) -> AppResult<String> {
    match cookies::get(headers, cookies::LOGIN_CSRF) {
        Some(t) if csrf::login_token_valid(state.secret(), &t) => Ok(t),
        _ => csrf::new_login_token(state.secret())
            .ok_or_else(|| AppError::Internal("无法取得随机数".to_owned())),
    }
}

fn login_page(
    state: &AppState,
    token: String,
    next: &str,
    username: &str,
    error: Option<String>,
    notice: Option<&str>,
    status: StatusCode,
) -> AppResult<Response> {
    let page = LoginPage {
        layout: Layout::public("工作人员登录").with_notice(notice),
        csrf: token.clone(),
        next: safe_next(next).to_owned(),
        username: username.to_owned(),
        error,
    };
    let cookie = cookies::set(
        cookies::LOGIN_CSRF,
        &token,
        state.config().cookies_secure(),
        Some(3600),
    );
    Ok((status, [(SET_COOKIE, cookie)], html(&page)?).into_response())
}

pub async fn form(
    State(state): State<AppState>,
    Query(q): Query<LoginQuery>,
    req: Request,
) -> AppResult<Response> {
    let ip = session::client_ip(req.extensions());
    if session::current_user(&state, req.headers(), ip)
        .await?
        .is_some()
    {
        return Ok(Redirect::to("/admin").into_response());
    }
    let token = login_token(&state, req.headers())?;
    login_page(
        &state,
        token,
        q.next.as_deref().unwrap_or("/admin"),
        "",
        None,
        q.ok.as_deref(),
        StatusCode::OK,
    )
}

pub async fn submit(State(state): State<AppState>, req: Request) -> AppResult<Response> {
    let ip = session::client_ip(req.extensions());
    let headers = req.headers().clone();
    let user_agent = headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(200).collect::<String>());
    let Form(form) = req
        .extract::<Form<LoginForm>, _>()
        .await
        .map_err(|_| AppError::BadRequest("登录表单内容无效，请刷新页面后重试".to_owned()))?;

    // Login CSRF: same-site request, cookie token == form token, signed by us.
    let cookie = cookies::get(&headers, cookies::LOGIN_CSRF).unwrap_or_default();
    if !csrf::same_origin(&headers)
        || !csrf::tokens_match(&cookie, &form.csrf_token)
        || !csrf::login_token_valid(state.secret(), &cookie)
    {
        return Err(AppError::Csrf);
    }

    let token = login_token(&state, &headers)?;
    let retry = |message: String, status| {
        login_page(
            &state,
            token.clone(),
            &form.next,
            &form.username,
            Some(message),
            None,
            status,
        )
    };
    match state
        .store()
        .users()
        .authenticate(&form.username, &form.password, ip)
        .await
    {
        Ok(user) => {
            let (session_token, _) = state
                .store()
                .sessions()
                .create(user.id, ip, user_agent.as_deref())
                .await?;
            let secure = state.config().cookies_secure();
            let mut response = Redirect::to(safe_next(&form.next)).into_response();
            let h = response.headers_mut();
            for c in [
                cookies::set(cookies::SESSION, session_token.expose(), secure, None),
                cookies::clear(cookies::LOGIN_CSRF, secure),
            ] {
                if let Ok(v) = c.parse() {
                    h.append(SET_COOKIE, v);
                }
            }
            Ok(response)
        }
        Err(StoreError::InvalidCredentials) => retry(
            format!(
                "用户名或密码错误，请重新输入。同一账号连续输错 {} 次将被锁定 {} 分钟。",
                gongkai_store::ACCOUNT_MAX_FAILURES,
                gongkai_store::LOCK_DURATION.num_minutes()
            ),
            StatusCode::UNAUTHORIZED,
        ),
        Err(StoreError::LoginLocked { minutes, .. }) => retry(
            format!(
                "登录失败次数过多，已暂时锁定，请于 {minutes} 分钟后再试；如急需登录，请联系系统管理员解锁。"
            ),
            StatusCode::TOO_MANY_REQUESTS,
        ),
        Err(StoreError::AccountDisabled) => retry(
            "该账号已停用，请联系本机关的系统管理员。".to_owned(),
            StatusCode::FORBIDDEN,
        ),
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    Extension(_user): Extension<CurrentUser>,
    headers: HeaderMap,
) -> AppResult<Response> {
    if let Some(token) = cookies::get(&headers, cookies::SESSION) {
        state.store().sessions().delete(&token).await?;
    }
    let mut response = Redirect::to("/admin/login?ok=logged_out").into_response();
    if let Ok(v) = cookies::clear(cookies::SESSION, state.config().cookies_secure()).parse() {
        response.headers_mut().append(SET_COOKIE, v);
    }
    Ok(response)
}
