//! Files to download, served beside the pages: each checks who is asking through the same
//! session rules as the server functions.

use app::api::AppError;
use app::store::Store;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;
use leptos::reactive::{computed::ScopedFuture, owner::Owner};

/// A role's job description as a Word file.
pub const JOB_DESCRIPTION_DOCX: &str = "/workspaces/{id}/role-maps/{map}/roles/{role}/job-description.docx";

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// Every download route, for `caremap endpoints`.
pub const ROUTES: [&str; 1] = [JOB_DESCRIPTION_DOCX];

pub async fn job_description(
    State(store): State<Store>,
    Path((workspace_id, map_id, role_id)): Path<(String, String, String)>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let owner = Owner::new();
    let result = owner
        .with(|| {
            ScopedFuture::new(async move {
                provide_context(parts);
                provide_context(store);
                app::api::role_maps::job_description_file(workspace_id, map_id, role_id).await
            })
        })
        .await;
    match result {
        Ok((name, bytes)) => (
            [(header::CONTENT_TYPE, DOCX.to_owned()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))],
            bytes,
        )
            .into_response(),
        Err(error) => refusal(error),
    }
}

fn refusal(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, error.to_string()).into_response()
}
