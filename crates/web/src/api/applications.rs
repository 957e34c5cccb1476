//! `POST /api/v1/organs/{id}/applications` (the online application, 条例 Art 29; public,
//! rate-limited per IP) and `GET /api/v1/applications/{tracking_no}?secret=…` (the applicant's
//! lookup; 404 without the right secret).
//!
//! No CSRF token: the POST accepts `application/json` only (415 otherwise), which a cross-site
//! HTML form cannot send without a CORS preflight this server never grants.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{error, internal};
use crate::intake::{FieldErrors, GENERAL, RawApplication, SubmitError};
use crate::pages::apply::{Lookup, lookup};
use crate::rate_limit::RateLimiter;
use crate::state::AppState;

/// The request fields, all strings.
const FIELDS: [&str; 10] = [
    "applicant_type",
    "name",
    "id_type",
    "id_number",
    "phone",
    "email",
    "address",
    "description",
    "provision_form",
    "delivery",
];

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .is_some_and(|m| m == "application/json" || m.ends_with("+json"))
}

fn invalid(errors: FieldErrors) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "errors": errors })),
    )
        .into_response()
}

/// Reads the body field by field, so a wrong type is reported on its field like any other
/// problem.
fn raw_from(body: &Value) -> Result<RawApplication, FieldErrors> {
    let mut errors = FieldErrors::new();
    let Some(obj) = body.as_object() else {
        errors.insert(GENERAL, "请求体应为 JSON 对象".to_owned());
        return Err(errors);
    };
    let mut get = |field: &'static str| -> String {
        match obj.get(field) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                errors.insert(field, "应为字符串".to_owned());
                String::new()
            }
        }
    };
    let raw = RawApplication {
        applicant_type: get(FIELDS[0]),
        name: get(FIELDS[1]),
        id_type: get(FIELDS[2]),
        id_number: get(FIELDS[3]),
        phone: get(FIELDS[4]),
        email: get(FIELDS[5]),
        address: get(FIELDS[6]),
        description: get(FIELDS[7]),
        provision_form: get(FIELDS[8]),
        delivery: get(FIELDS[9]),
    };
    if errors.is_empty() {
        Ok(raw)
    } else {
        Err(errors)
    }
}

pub async fn create(
    State(state): State<AppState>,
    Extension(limiter): Extension<RateLimiter>,
    Path(id): Path<String>,
    extensions: Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !is_json(&headers) {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content_type",
            "请求体须为 JSON，并设置 Content-Type: application/json",
        );
    }
    let Ok(organ_id) = id.parse::<i64>() else {
        return error(StatusCode::NOT_FOUND, "organ", "机关不存在");
    };
    let body: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                GENERAL,
                &format!("请求体不是有效的 JSON：{e}"),
            );
        }
    };
    let raw = match raw_from(&body) {
        Ok(raw) => raw,
        Err(errors) => return invalid(errors),
    };
    let ip = crate::session::client_ip(&extensions);
    match crate::intake::submit(&state, &limiter, ip, organ_id, &raw, &[]).await {
        Ok((app, secret)) => (
            StatusCode::CREATED,
            [(CACHE_CONTROL, "no-store")],
            Json(json!({
                "tracking_no": app.tracking_no,
                "secret": secret,
                "received_on": app.received_on.to_string(),
                "due_date": app.due_on.map(|d| d.to_string()),
            })),
        )
            .into_response(),
        Err(SubmitError::Invalid(errors)) => invalid(errors),
        Err(SubmitError::NoOrgan) => error(StatusCode::NOT_FOUND, "organ", "机关不存在"),
        Err(SubmitError::RateLimited) => error(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limit",
            "同一网络地址在短时间内提交的申请过多，请 10 分钟后再试",
        ),
        Err(SubmitError::Store(e)) => internal(&e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SecretQuery {
    secret: String,
}

pub async fn show(
    State(state): State<AppState>,
    Extension(limiter): Extension<RateLimiter>,
    Path(tracking_no): Path<String>,
    extensions: Extensions,
    Query(q): Query<SecretQuery>,
) -> Response {
    let ip = crate::session::client_ip(&extensions);
    let not_found = || {
        error(
            StatusCode::NOT_FOUND,
            "application",
            "未找到该申请：申请编号或查询码不正确",
        )
    };
    match lookup(&state, &limiter, ip, &tracking_no, &q.secret).await {
        Ok(Lookup::Found(v)) => (
            [(CACHE_CONTROL, "no-store")],
            Json(json!({
                "tracking_no": v.tracking_no,
                "organ_name": v.organ_name,
                "state": v.state_key,
                "state_label": v.state,
                "received_on": v.received_on.to_string(),
                "due_date": if v.closed { None } else { v.due_date.map(|d| d.to_string()) },
                "working_days_left": v.working_days_left,
                "applicant_due_date": v.applicant_due_date.map(|d| d.to_string()),
                "timeline": v.timeline.iter().map(|l| json!({
                    "on": l.on.to_string(),
                    "kind": l.kind,
                    "label": l.label,
                })).collect::<Vec<_>>(),
            })),
        )
            .into_response(),
        Ok(Lookup::NotFound) => not_found(),
        Ok(Lookup::RateLimited) => error(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limit",
            "查询失败次数过多，请 10 分钟后再试",
        ),
        Err(e) => internal(&e),
    }
}
