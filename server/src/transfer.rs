//! `caremap import` and `caremap export`: matrices in and out as spreadsheets from the command
//! line, for bulk work, doing what the web does. Changes are recorded in the audit log as the
//! workspace's first owner's.

use crate::cli::{ExportArgs, ImportArgs, MatrixKind};
use app::imports::{ImportError, ImportKind, ImportMode, ImportOutcome, ImportRequest, import as run_import};
use app::model::{Framework, FrameworkId};
use app::sheets::isolate::SpreadsheetReader;
use app::sheets::read::MAX_FILE_BYTES;
use app::store::{FrameworkOwner, LearningMatrix, Store, StoreError};
use std::process::ExitCode;

#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot write {path}: {error}")]
    WriteFile { path: String, error: std::io::Error },
    #[error("could not write the spreadsheet: {0}")]
    Write(String),
    #[error("--id is needed: the id of the map or framework to export")]
    NoId,
    #[error("the workspace has no framework “{0}”")]
    NoFramework(String),
}

fn kind(kind: MatrixKind) -> ImportKind {
    match kind {
        MatrixKind::OrgMap => ImportKind::OrgMap,
        MatrixKind::RoleMap => ImportKind::RoleMap,
        MatrixKind::Learning => ImportKind::Learning,
        MatrixKind::Framework => ImportKind::Framework,
    }
}

/// Imports a file; prints what was done (or would be), or why nothing was. Exits non-zero on
/// a refusal.
pub async fn import(database_url: &str, args: ImportArgs) -> ExitCode {
    let outcome = import_file(database_url, &args).await;
    let (printed, success) = match &outcome {
        Ok(done) => (done.clone(), true),
        Err(error) => (ImportOutcome::refused(error, args.dry_run), false),
    };
    if args.json {
        println!("{}", serde_json::to_string(&printed).expect("an outcome is plain data"));
    } else {
        print_outcome(&printed, &args);
    }
    if success { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

async fn import_file(database_url: &str, args: &ImportArgs) -> Result<ImportOutcome, ImportError> {
    let path = args.file.display().to_string();
    let size = std::fs::metadata(&args.file).map_err(|e| ImportError::Unreadable(format!("Cannot read {path}: {e}.")))?.len();
    if size > MAX_FILE_BYTES as u64 {
        // Refused before it is read into memory at all.
        return Err(app::sheets::read::ReadError::TooLarge { megabytes: size.div_ceil(1024 * 1024) as usize }.into());
    }
    let bytes = std::fs::read(&args.file).map_err(|e| ImportError::Unreadable(format!("Cannot read {path}: {e}.")))?;
    let reader =
        SpreadsheetReader::this_program().map_err(|e| ImportError::Unreadable(format!("Cannot find caremap's own program to read {path} with: {e}.")))?;
    let store = Store::connect(database_url).await?;
    let result = async {
        let (workspace_id, owner_id) = store.workspace_for_command(&args.workspace).await?;
        let file_name = args.file.file_name().map_or(path.clone(), |n| n.to_string_lossy().into_owned());
        let request = ImportRequest {
            workspace_id: &workspace_id,
            actor_id: &owner_id,
            kind: kind(args.kind),
            file_name: &file_name,
            bytes,
            target: args.id.clone(),
            today: app::api::today(),
        };
        let mode = if args.dry_run { ImportMode::Preview } else { ImportMode::Apply };
        run_import(&store, &reader, request, mode).await
    }
    .await;
    store.close().await;
    result
}

/// A framework the workspace may use: a built-in one or its own.
async fn workspace_framework(store: &Store, workspace_id: &str, id: &str) -> Result<Framework, TransferError> {
    let missing = || TransferError::NoFramework(id.to_owned());
    let framework_id: FrameworkId = id.parse().map_err(|_| missing())?;
    match store.framework_and_owner(&framework_id).await? {
        Some((framework, FrameworkOwner::BuiltIn)) => Ok(framework),
        Some((framework, FrameworkOwner::Workspace(owner))) if owner.as_str() == workspace_id => Ok(framework),
        _ => Err(missing()),
    }
}

fn print_outcome(outcome: &ImportOutcome, args: &ImportArgs) {
    for error in &outcome.errors {
        eprintln!("caremap: {error}");
    }
    if !outcome.errors.is_empty() {
        eprintln!("Nothing was imported.");
        return;
    }
    let verb = if args.dry_run { "Would import" } else { "Imported" };
    let noun = if args.kind == MatrixKind::Framework { "framework" } else { "matrix" };
    let into = outcome.id.as_deref().map_or(format!("a new {noun}"), |id| format!("{noun} {id}"));
    println!("{verb} into {into}: {} added, {} changed, {} unchanged.", outcome.added, outcome.changed, outcome.unchanged);
    for warning in &outcome.warnings {
        println!("Note: {warning}");
    }
    for place in &outcome.unmatched {
        println!("Not understood: sheet “{}”, row {}, column {}: “{}” ({}).", place.sheet, place.row, place.column, place.text, place.reason);
    }
}

/// Writes a matrix to a file.
pub async fn export(database_url: &str, args: ExportArgs) -> Result<(), TransferError> {
    let store = Store::connect(database_url).await?;
    let result = async {
        let (workspace_id, _) = store.workspace_for_command(&args.workspace).await?;
        let id = || args.id.as_deref().ok_or(TransferError::NoId);
        let bytes = match args.kind {
            MatrixKind::OrgMap => app::sheets::write::org_map_workbook(&store.org_map(&workspace_id, &id()?.into()).await?),
            MatrixKind::RoleMap => app::sheets::write::role_map_workbook(&store.role_map(&workspace_id, &id()?.into()).await?),
            MatrixKind::Learning => {
                let LearningMatrix { title, learners, categories, catalogue } = store.learning_matrix(&workspace_id).await?;
                app::sheets::write::learning_workbook(&title, &learners, &categories, &catalogue)
            }
            MatrixKind::Framework => app::sheets::write::framework_workbook(&workspace_framework(&store, &workspace_id, id()?).await?),
        }
        .map_err(|e| TransferError::Write(e.to_string()))?;
        let path = args.out.display().to_string();
        std::fs::write(&args.out, &bytes).map_err(|error| TransferError::WriteFile { path: path.clone(), error })?;
        println!("Wrote {path} ({} bytes).", bytes.len());
        Ok(())
    }
    .await;
    store.close().await;
    result
}
