//! The JSON API (`/api/v1`): the organ list, the online application (条例 Art 29, the same
//! intake as the portal form) and the applicant's tracking lookup, described by the OpenAPI
//! document served at `/api/v1/openapi.json`.
//!
//! These routes sit outside the portal's Chinese HTML error pages: an API client gets JSON
//! errors (`{"errors": {field: "中文说明"}}`), never an HTML page.

pub mod applications;
pub mod organs;

use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use crate::state::AppState;

/// The OpenAPI 3.1 description of exactly these endpoints.
pub const OPENAPI: &str = include_str!("openapi.json");

/// The API routes (merged into the application router by `routes.rs`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/organs", get(organs::list))
        .route(
            "/api/v1/organs/{id}/applications",
            post(applications::create),
        )
        .route(
            "/api/v1/applications/{tracking_no}",
            get(applications::show),
        )
        .route("/api/v1/openapi.json", get(openapi))
}

async fn openapi() -> Response {
    (
        [
            (CONTENT_TYPE, "application/json"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        OPENAPI,
    )
        .into_response()
}

/// A JSON error: `{"errors": {key: message}}`.
pub fn error(status: StatusCode, key: &str, message: &str) -> Response {
    (status, Json(json!({ "errors": { key: message } }))).into_response()
}

/// A system error: logged, and a generic message (internal detail stays in the log).
pub fn internal(e: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %e, "api error");
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "server",
        "系统暂时无法完成此操作，请稍后再试",
    )
}
