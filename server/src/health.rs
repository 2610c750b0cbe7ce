//! `GET /healthz`: whether this instance can serve, for load balancers and monitors.

use app::store::Store;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

#[derive(Serialize)]
pub struct Health {
    status: &'static str,
    version: &'static str,
    database: &'static str,
}

pub async fn healthz(State(store): State<Store>) -> (StatusCode, Json<Health>) {
    let (code, status) = match store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::warn!(%error, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    };
    let health = Health { status, version: env!("CARGO_PKG_VERSION"), database: store.backend().name() };
    (code, Json(health))
}
