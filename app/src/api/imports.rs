//! Importing a spreadsheet on the web: the upload is kept (by `start_import`, which the upload
//! route calls), previewed without saving anything, then applied in one transaction when its
//! uploader confirms, or cancelled.

use super::AppError;
use crate::model::WorkspaceSummary;
use crate::model::sheet::Unmatched;
use crate::model::{ImportId, WorkspaceId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::{answer, session, store},
    crate::imports::{ImportError, ImportKind, ImportMode, ImportOutcome, ImportRequest, import},
    crate::model::{PersonId, WorkspaceRole},
    crate::sheets::isolate::SpreadsheetReader,
    crate::sheets::read::MAX_FILE_BYTES,
    crate::sheets::read::ReadError,
    crate::store::{PendingImport, Store, StoreError},
};

/// One cell an import changes, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellChange {
    pub column: String,
    pub function: String,
    pub from: String,
    pub to: String,
}

/// What an uploaded file would do, shown before anything is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub workspace: WorkspaceSummary,
    pub import_id: ImportId,
    pub file_name: String,
    /// e.g. "organisation map".
    pub kind: String,
    /// The matrix it would update, as (address, title); none for a new one.
    pub target: Option<(String, String)>,
    /// Why the file cannot be imported, if it cannot; then nothing else is filled in.
    pub errors: Vec<String>,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub new_columns: Vec<String>,
    pub changes: Vec<CellChange>,
    /// Labels read as a function by similarity, e.g. "Row 7: “Build relationships” read as comm-01 (90%)".
    pub fuzzy: Vec<String>,
    pub unmatched: Vec<Unmatched>,
    pub warnings: Vec<String>,
    /// Names the plan shown, so that importing applies exactly it.
    pub fingerprint: String,
}

#[cfg(feature = "ssr")]
fn noun(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::OrgMap => "organisation map",
        ImportKind::RoleMap => "role map",
        ImportKind::Learning => "learning matrix",
        ImportKind::Framework => "framework",
    }
}

/// The page of the matrix (or, for learning, the analyses) an import went into.
#[cfg(feature = "ssr")]
fn page_of(kind: ImportKind, workspace_id: &WorkspaceId, id: &str) -> String {
    match kind {
        ImportKind::OrgMap => crate::paths::org_map(workspace_id, &id.into()),
        ImportKind::RoleMap => crate::paths::role_map(workspace_id, &id.into()),
        ImportKind::Learning => crate::paths::analyses(workspace_id),
        ImportKind::Framework => crate::paths::framework(id),
    }
}

/// Refuses an upload from someone who may not import into the workspace, before its body is
/// read. Called by the upload route with the request in context.
#[cfg(feature = "ssr")]
pub async fn may_upload(workspace_id: WorkspaceId) -> Result<(), AppError> {
    session::member(&workspace_id, WorkspaceRole::Editor).await.map(|_| ())
}

/// Keeps an uploaded file for its preview and answers where the preview is. Called by the
/// upload route with the request in context.
#[cfg(feature = "ssr")]
pub async fn start_import(workspace_id: WorkspaceId, kind: String, target: String, file_name: String, content: Vec<u8>) -> Result<String, AppError> {
    let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
    ImportKind::parse(&kind)?;
    if file_name.trim().is_empty() || content.is_empty() {
        return Err(AppError::Invalid { field: "file".into(), message: "Choose a spreadsheet file to import.".into() });
    }
    if content.len() > MAX_FILE_BYTES {
        return Err(AppError::TooLarge);
    }
    let target = (!target.trim().is_empty()).then(|| target.trim().to_owned());
    let pending = PendingImport { kind, target, file_name, content, refusal: None, preview: None };
    let id = store()?.add_pending_import(&workspace_id, &user.id, &pending).await?;
    Ok(crate::paths::import(&workspace_id, &id))
}

/// Runs an upload's import, as a preview or for real. A file that could not be read is never
/// read again: its refusal is kept with it and answered on every later visit.
#[cfg(feature = "ssr")]
async fn run(
    store: &Store,
    workspace_id: &WorkspaceId,
    user_id: &PersonId,
    pending: PendingImport,
    import_id: &ImportId,
    mode: ImportMode<'_>,
) -> Result<(PendingImport, Result<ImportOutcome, ImportError>), AppError> {
    if let Some(refusal) = &pending.refusal {
        let refusal = serde_json::from_str::<ReadError>(refusal).unwrap_or_else(|_| ReadError::ReaderStopped { name: pending.file_name.clone() });
        return Ok((pending, Err(ImportError::Read(refusal))));
    }
    let reader = use_context::<SpreadsheetReader>().ok_or_else(|| {
        tracing::error!("no spreadsheet reader in context");
        AppError::Internal
    })?;
    let request = ImportRequest {
        workspace_id,
        actor_id: user_id,
        kind: ImportKind::parse(&pending.kind)?,
        file_name: &pending.file_name,
        bytes: pending.content.clone(),
        target: pending.target.clone(),
        today: super::today(),
    };
    let outcome = import(store, &reader, request, mode).await;
    if let Err(ImportError::Read(refusal)) = &outcome {
        store.refuse_pending_import(workspace_id, import_id, &serde_json::to_string(refusal).expect("a refusal is plain data")).await?;
    }
    Ok((pending, outcome))
}

#[server(endpoint = "get_import_preview")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_import_preview(workspace_id: WorkspaceId, import_id: ImportId) -> Result<ImportPreview, AppError> {
    answer(
        async {
            let (user, workspace) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let store = store()?;
            let pending = store.pending_import(&workspace_id, &user.id, &import_id).await?;
            // Shown once, kept: a later visit answers what was shown, without reading the file again.
            if let Some(kept) = pending.preview.as_deref().and_then(|kept| serde_json::from_str::<ImportPreview>(kept).ok()) {
                return Ok(ImportPreview { workspace, ..kept });
            }
            let (pending, outcome) = run(&store, &workspace_id, &user.id, pending, &import_id, ImportMode::Preview).await?;
            let preview = preview_of(workspace, import_id, &pending, outcome)?;
            let kept = serde_json::to_string(&preview).map_err(|error| {
                tracing::error!(%error, "a preview could not be kept");
                AppError::Internal
            })?;
            store.keep_import_preview(&workspace_id, &preview.import_id, Some(&kept)).await?;
            Ok(preview)
        }
        .await,
    )
}

/// What an upload would do, in words, from the outcome of its preview run.
#[cfg(feature = "ssr")]
fn preview_of(
    workspace: WorkspaceSummary,
    import_id: ImportId,
    pending: &PendingImport,
    outcome: Result<ImportOutcome, ImportError>,
) -> Result<ImportPreview, AppError> {
    let workspace_id = workspace.id.clone();
    let kind = ImportKind::parse(&pending.kind)?;
    let mut preview = ImportPreview {
        workspace,
        import_id,
        file_name: pending.file_name.clone(),
        kind: noun(kind).into(),
        target: None,
        errors: vec![],
        added: 0,
        changed: 0,
        unchanged: 0,
        new_columns: vec![],
        changes: vec![],
        fuzzy: vec![],
        unmatched: vec![],
        warnings: vec![],
        fingerprint: String::new(),
    };
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(ImportError::Store(error)) => return Err(error.into()),
        Err(error) => {
            preview.errors.push(error.to_string());
            return Ok(preview);
        }
    };
    let details = outcome.details;
    preview.target = outcome.id.as_ref().zip(details.target).map(|(id, title)| (page_of(kind, &workspace_id, id), title));
    preview.fingerprint = details.fingerprint;
    preview.changes = details.changes.into_iter().map(|(column, function, from, to)| CellChange { column, function, from, to }).collect();
    preview.fuzzy = details.fuzzy;
    preview.new_columns = details.new_columns;
    preview.added = outcome.added;
    preview.changed = outcome.changed;
    preview.unchanged = outcome.unchanged;
    preview.unmatched = outcome.unmatched;
    preview.warnings = outcome.warnings;
    Ok(preview)
}

/// Applies a previewed upload in one transaction, if its plan is still the one the preview
/// showed, and opens the matrix it went into.
#[server(endpoint = "apply_import")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn apply_import(workspace_id: WorkspaceId, import_id: ImportId, fingerprint: String) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let store = store()?;
            let pending = store.pending_import(&workspace_id, &user.id, &import_id).await?;
            let (pending, outcome) = run(&store, &workspace_id, &user.id, pending, &import_id, ImportMode::ApplyIfUnchanged(&fingerprint)).await?;
            if let Err(ImportError::Store(StoreError::StaleCell(_) | StoreError::Stale(_)) | ImportError::ChangedSincePreview) = &outcome {
                // The kept preview no longer says what the file would do: the next visit plans again.
                store.keep_import_preview(&workspace_id, &import_id, None).await?;
            }
            let outcome = outcome.map_err(|error| match error {
                ImportError::Store(StoreError::StaleCell(_) | StoreError::Stale(_)) | ImportError::ChangedSincePreview => AppError::Conflict(
                    "Someone changed this matrix since the preview, so nothing was imported. Reload this page to see what the file would do now.".into(),
                ),
                ImportError::Store(error) => error.into(),
                other => AppError::Invalid { field: String::new(), message: other.to_string() },
            })?;
            store.remove_pending_import(&workspace_id, &user.id, &import_id).await?;
            let id = outcome.id.ok_or(AppError::Internal)?;
            leptos_axum::redirect(&page_of(ImportKind::parse(&pending.kind)?, &workspace_id, &id));
            Ok(())
        }
        .await,
    )
}

/// Forgets an upload without importing it.
#[server(endpoint = "cancel_import")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn cancel_import(workspace_id: WorkspaceId, import_id: ImportId) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            store()?.remove_pending_import(&workspace_id, &user.id, &import_id).await?;
            leptos_axum::redirect(&crate::paths::workspace(&workspace_id));
            Ok(())
        }
        .await,
    )
}

/// How many uploaded files are waiting for their turn to be read, so that an upload's progress
/// line can say why it waits.
#[server(endpoint = "files_waiting")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn files_waiting() -> Result<usize, AppError> {
    answer(
        async {
            session::caller().await?;
            Ok(use_context::<SpreadsheetReader>().map_or(0, |reader| reader.waiting()))
        }
        .await,
    )
}
