//! Files to download, served beside the pages: each checks who is asking through the same
//! session rules as the server functions.

use app::api::AppError;
use app::model::{OrgMapId, RoleId, RoleMapId, WorkspaceId};
use app::store::Store;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;
use leptos::reactive::{computed::ScopedFuture, owner::Owner};
use std::future::Future;

/// A role's job description as a Word file.
pub const JOB_DESCRIPTION_DOCX: &str = "/workspaces/{id}/role-maps/{map}/roles/{role}/job-description.docx";
/// An organisation map as a spreadsheet.
pub const ORG_MAP_XLSX: &str = "/workspaces/{id}/maps/{map}/matrix.xlsx";
/// A role map as a spreadsheet.
pub const ROLE_MAP_XLSX: &str = "/workspaces/{id}/role-maps/{map}/matrix.xlsx";
/// A workspace's learning needs as a spreadsheet.
pub const LEARNING_XLSX: &str = "/workspaces/{id}/learning-matrix.xlsx";
/// A workspace's learning programme as a spreadsheet.
pub const PROGRAMME_XLSX: &str = "/workspaces/{id}/programme.xlsx";
/// An organisation map's implementation plan as a spreadsheet.
pub const PLAN_XLSX: &str = "/workspaces/{id}/maps/{map}/plan.xlsx";
/// A framework as a spreadsheet, for anyone.
pub const FRAMEWORK_XLSX: &str = "/frameworks/{id}/framework.xlsx";

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Every download route, for `caremap endpoints`.
pub const ROUTES: [&str; 7] = [JOB_DESCRIPTION_DOCX, ORG_MAP_XLSX, ROLE_MAP_XLSX, LEARNING_XLSX, PROGRAMME_XLSX, PLAN_XLSX, FRAMEWORK_XLSX];

pub async fn job_description(
    State(store): State<Store>,
    Path((workspace_id, map_id, role_id)): Path<(WorkspaceId, RoleMapId, RoleId)>,
    request: Request,
) -> Response {
    let file = in_request(store, request, app::api::role_maps::job_description_file(workspace_id, map_id, role_id)).await;
    respond(DOCX, file)
}

pub async fn org_map(State(store): State<Store>, Path((workspace_id, map_id)): Path<(WorkspaceId, OrgMapId)>, request: Request) -> Response {
    respond(XLSX, in_request(store, request, app::api::org_maps::org_map_file(workspace_id, map_id)).await)
}

pub async fn role_map(State(store): State<Store>, Path((workspace_id, map_id)): Path<(WorkspaceId, RoleMapId)>, request: Request) -> Response {
    respond(XLSX, in_request(store, request, app::api::role_maps::role_map_file(workspace_id, map_id)).await)
}

pub async fn learning(State(store): State<Store>, Path(workspace_id): Path<WorkspaceId>, request: Request) -> Response {
    respond(XLSX, in_request(store, request, app::api::learning::learning_matrix_file(workspace_id)).await)
}

pub async fn programme(State(store): State<Store>, Path(workspace_id): Path<WorkspaceId>, request: Request) -> Response {
    respond(XLSX, in_request(store, request, app::api::learning::programme_file(workspace_id)).await)
}

pub async fn plan(State(store): State<Store>, Path((workspace_id, map_id)): Path<(WorkspaceId, OrgMapId)>, request: Request) -> Response {
    respond(XLSX, in_request(store, request, app::api::org_maps::plan_file(workspace_id, map_id)).await)
}

pub async fn framework(State(store): State<Store>, Path(id): Path<String>, request: Request) -> Response {
    respond(XLSX, in_request(store, request, app::api::frameworks::framework_file(id)).await)
}

/// Runs `work` with the request and the store in its context, as a server function runs.
async fn in_request<T, F>(store: Store, request: Request, work: F) -> Result<T, AppError>
where
    F: Future<Output = Result<T, AppError>>,
{
    let (parts, _) = request.into_parts();
    in_context(store, parts, work).await
}

/// Runs `work` with the request's parts and the store in its context.
pub async fn in_context<T, F>(store: Store, parts: axum::http::request::Parts, work: F) -> Result<T, AppError>
where
    F: Future<Output = Result<T, AppError>>,
{
    let owner = Owner::new();
    owner
        .with(|| {
            ScopedFuture::new(async move {
                provide_context(parts);
                provide_context(store);
                work.await
            })
        })
        .await
}

fn respond(content_type: &str, file: Result<(String, Vec<u8>), AppError>) -> Response {
    match file {
        Ok((name, bytes)) => {
            ([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))], bytes)
                .into_response()
        }
        Err(error) => refusal(&error),
    }
}

/// An error's status, with its message for the person.
pub fn refusal(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, error.to_string()).into_response()
}
