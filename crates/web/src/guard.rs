//! The one gate every back-office route passes: session → authorization → CSRF.
//!
//! Order matters: an anonymous visitor is sent to the login page; a logged-in user without the
//! route's permission gets 403 before anything else is looked at; only then is the CSRF token of
//! a POST checked. Nothing reaches a handler without all three.

use axum::body::{Body, to_bytes};
use axum::extract::{RawPathParams, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::authz::{self, Permission};
use crate::csrf;
use crate::error::AppError;
use crate::session::{self, CurrentUser};
use crate::state::AppState;

/// Largest url-encoded form accepted by the back office: an item's body (正文) is the largest
/// text a form carries.
pub const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// Largest multipart body (attachments, ledger imports): the upload policy's file limit plus room
/// for the form fields.
pub const MULTIPART_LIMIT: usize = 60 * 1024 * 1024;

/// The organ of the route and its ancestors (nearest first), for handlers.
#[derive(Debug, Clone)]
pub struct OrganChain(pub Vec<i64>);

/// State of one route's guard: the app and the permission the route declared.
#[derive(Clone)]
pub struct Guard {
    pub state: AppState,
    pub permission: Permission,
}

pub async fn guard(
    State(guard): State<Guard>,
    params: RawPathParams,
    req: Request,
    next: Next,
) -> Response {
    match check(&guard, &params, req).await {
        Ok(req) => next.run(req).await,
        Err(response) => response,
    }
}

async fn check(guard: &Guard, params: &RawPathParams, req: Request) -> Result<Request, Response> {
    if guard.permission == Permission::Public {
        return Ok(req);
    }
    let state = &guard.state;
    let ip = session::client_ip(req.extensions());
    let user = session::current_user(state, req.headers(), ip)
        .await
        .map_err(IntoResponse::into_response)?;
    let Some(user) = user else {
        return Err(login_redirect(req.method(), req.uri().path()));
    };

    let organ_param = params
        .iter()
        .find(|(name, _)| *name == "organ_id")
        .map(|(_, value)| value.to_owned());
    let chain = match organ_param {
        Some(raw) => {
            let id: i64 = raw
                .parse()
                .map_err(|_| AppError::NotFound.into_response())?;
            authz::organ_chain(state.store(), id)
                .await
                .map_err(|e| AppError::from(e).into_response())?
                .ok_or_else(|| AppError::NotFound.into_response())?
        }
        None => Vec::new(),
    };
    if !authz::allows(&user.roles, guard.permission, &chain) {
        return Err(AppError::Forbidden.into_response());
    }

    let mut req = if req.method() == Method::POST {
        check_csrf(&user, req).await?
    } else {
        req
    };
    req.extensions_mut().insert(user);
    req.extensions_mut().insert(OrganChain(chain));
    Ok(req)
}

/// Buffers the form, checks its token and the origin headers, and rebuilds the request.
async fn check_csrf(user: &CurrentUser, req: Request) -> Result<Request, Response> {
    if !csrf::same_origin(req.headers()) {
        return Err(AppError::Csrf.into_response());
    }
    let (parts, body) = req.into_parts();
    let boundary = csrf::multipart_boundary(&parts.headers);
    let limit = if boundary.is_some() {
        MULTIPART_LIMIT
    } else {
        FORM_LIMIT
    };
    let bytes = to_bytes(body, limit).await.map_err(|_| {
        AppError::BadRequest("提交的内容过大，请减少内容或拆分文件后重试".to_owned())
            .into_response()
    })?;
    let given = match &boundary {
        Some(b) => csrf::token_from_multipart(&bytes, b),
        None => csrf::token_from_form(&bytes),
    }
    .unwrap_or_default();
    if !csrf::tokens_match(&user.csrf_token, &given) {
        return Err(AppError::Csrf.into_response());
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Anonymous visitors go to the login form (and come back to `path` after a GET).
fn login_redirect(method: &Method, path: &str) -> Response {
    let target = if method == Method::GET && path.starts_with("/admin") && !path.contains("//") {
        format!(
            "/admin/login?next={}",
            serde_urlencoded::to_string([("", path)])
                .map(|s| s.trim_start_matches('=').to_owned())
                .unwrap_or_default()
        )
    } else {
        "/admin/login".to_owned()
    };
    Redirect::to(&target).into_response()
}
