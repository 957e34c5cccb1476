//! `/healthz` (the database answers) and `/metrics` (Prometheus text).

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store().ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "数据库不可用，请检查数据库服务和连接设置\n",
            )
                .into_response()
        }
    }
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.metrics().render(),
    )
        .into_response()
}
