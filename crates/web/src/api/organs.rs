//! `GET /api/v1/organs`: where applications can be sent.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::state::AppState;

#[derive(Serialize)]
struct OrganOut {
    id: i64,
    name: String,
    credit_code: Option<String>,
    parent_id: Option<i64>,
}

pub async fn list(State(state): State<AppState>) -> Response {
    match state.store().organs().list().await {
        Ok(organs) => Json(
            organs
                .into_iter()
                .map(|o| OrganOut {
                    id: o.id,
                    name: o.name,
                    credit_code: o.credit_code.map(|c| c.as_str().to_owned()),
                    parent_id: o.parent_id,
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => super::internal(&e),
    }
}
