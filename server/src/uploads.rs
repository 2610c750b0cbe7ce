//! Files sent to caremap: a spreadsheet to import arrives as a form upload, is kept for its
//! preview, and the browser is sent to the preview page. Nothing is imported here.

use crate::downloads::{in_context, refusal};
use app::api::AppError;
use app::model::WorkspaceId;
use app::store::Store;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

/// A spreadsheet uploaded for import into a workspace.
pub const IMPORT_UPLOAD: &str = "/workspaces/{id}/imports";

/// Every upload route, for `caremap endpoints`.
pub const ROUTES: [&str; 1] = [IMPORT_UPLOAD];

/// The largest request body taken: the largest file, and room for the form around it.
pub const MAX_BODY_BYTES: usize = app::sheets::read::MAX_FILE_BYTES + 64 * 1024;

pub async fn import(State(store): State<Store>, Path(workspace_id): Path<WorkspaceId>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    // Who may upload is settled before a byte of the body is read.
    if let Err(error) = in_context(store.clone(), parts.clone(), app::api::imports::may_upload(workspace_id.clone())).await {
        return refusal(&error);
    }
    // So is a body that says it is over the limit: answered before any of it is read.
    if crate::security::declares_more_than(&parts.headers, MAX_BODY_BYTES as u64) {
        return refusal(&AppError::TooLarge);
    }
    let form = match read_form(Request::from_parts(parts.clone(), body)).await {
        Ok(form) => form,
        Err(error) => return refusal(&error),
    };
    // A page that sends the file itself (to show its progress) asks for the preview's address
    // as text, and opens it; a plain form is sent there.
    let wants_address = parts.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/plain"));
    let started = in_context(store, parts, app::api::imports::start_import(workspace_id, form.kind, form.target, form.file_name, form.content)).await;
    match started {
        Ok(preview) if wants_address => preview.into_response(),
        Ok(preview) => Redirect::to(&preview).into_response(),
        Err(error) => refusal(&error),
    }
}

#[derive(Default)]
struct UploadForm {
    kind: String,
    target: String,
    file_name: String,
    content: Vec<u8>,
}

async fn read_form(request: Request) -> Result<UploadForm, AppError> {
    let invalid = |message: &str| AppError::Invalid { field: "file".into(), message: message.into() };
    let mut multipart = Multipart::from_request(request, &()).await.map_err(|_| invalid("Send the file from the import form."))?;
    let mut form = UploadForm::default();
    let broken = |error: axum::extract::multipart::MultipartError| {
        if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            tracing::warn!(%error, "an upload could not be read");
            invalid("The upload did not arrive whole. Try again.")
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => {
                form.file_name = field.file_name().unwrap_or_default().to_owned();
                form.content = field.bytes().await.map_err(broken)?.to_vec();
            }
            "kind" => form.kind = field.text().await.unwrap_or_default(),
            "target" => form.target = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    Ok(form)
}
