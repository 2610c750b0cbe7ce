//! Importing a spreadsheet, as the web and the command line both do it: read the file in an
//! isolated reader, find the matrix and its ids, plan against the matrix it updates (or a new
//! one), and, unless only a preview is wanted, apply the plan in one transaction. One function
//! for each kind of file; the readers and writers of files are in `sheets`, the rules for what
//! a sheet means in `model::sheet` and `model::import`.

mod framework;
mod learning;
mod maps;

use crate::model::choices::choices;
use crate::model::import::Metadata;
use crate::model::import::read_date;
use crate::model::sheet::{FuzzyMatch, ReadMatrix, SheetGrid, Unmatched, read_matrix};
use crate::model::{CalendarDate, Category, PersonId, WorkspaceId, function_label};
use crate::sheets::isolate::SpreadsheetReader;
use crate::sheets::read::ReadError;
use crate::store::{OrgMaps, RoleMaps, Store, StoreError};
use serde::Serialize;

choices! {
    /// Which kind of matrix a file is imported as; its label names one such matrix.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum ImportKind in "kind", "Choose an organisation map, a role map, a learning matrix or a framework." {
        OrgMap = "org-map", "an organisation map";
        RoleMap = "role-map", "a role map";
        /// A workspace's learning needs: a learning matrix, and its sheet of needs in full.
        Learning = "learning", "a learning matrix";
        /// A function framework, as a table of categories and functions.
        Framework = "framework", "a framework";
    }
}

/// Why nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be opened at all.
    #[error("{0}")]
    Unreadable(String),
    #[error("{0}")]
    Read(#[from] ReadError),
    #[error("{0}")]
    NoMatrix(String),
    #[error("The matrix changed since the preview, so nothing was imported: look at the new preview before importing.")]
    ChangedSincePreview,
    #[error("This file is caremap's export of {found}, not {wanted}.")]
    WrongKind { found: &'static str, wanted: &'static str },
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// A file to import.
pub struct ImportRequest<'a> {
    pub workspace_id: &'a WorkspaceId,
    pub actor_id: &'a PersonId,
    pub kind: ImportKind,
    pub file_name: &'a str,
    pub bytes: Vec<u8>,
    /// The matrix to update; otherwise the one the file was exported from, if it is in the
    /// workspace, or a new one.
    pub target: Option<String>,
    /// The date a new matrix takes when the file gives none.
    pub today: CalendarDate,
}

/// What an import did, or would do: the shape `caremap import --json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    /// The matrix updated or created; none for a preview of a new one.
    pub id: Option<String>,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub unmatched: Vec<Unmatched>,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    /// Whether this was only a preview.
    pub dry_run: bool,
    /// What a preview page lists; not part of the command line's JSON.
    #[serde(skip)]
    pub details: PreviewDetails,
}

/// The parts of a plan a person checks before confirming.
#[derive(Debug, Clone, Default)]
pub struct PreviewDetails {
    /// Names this exact plan, so that confirming a preview applies what it showed.
    pub fingerprint: String,
    /// What the import goes into, in words; none for a new matrix.
    pub target: Option<String>,
    pub new_columns: Vec<String>,
    /// Column (or category), function ("id label"), from, to: each cell or function that
    /// changes, in words.
    pub changes: Vec<(String, String, String, String)>,
    /// Each label read as a function by similarity, in words.
    pub fuzzy: Vec<String>,
}

impl ImportOutcome {
    /// The outcome of a refused file: nothing done, and why.
    pub fn refused(error: &ImportError, dry_run: bool) -> Self {
        ImportOutcome {
            id: None,
            added: 0,
            changed: 0,
            unchanged: 0,
            unmatched: vec![],
            errors: vec![error.to_string()],
            warnings: vec![],
            dry_run,
            details: PreviewDetails::default(),
        }
    }
}

/// Whether an import is only previewed or applied, and on what condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode<'a> {
    Preview,
    Apply,
    /// Applies only the plan a preview showed, named by its fingerprint.
    ApplyIfUnchanged(&'a str),
}

/// What the file is, once read: its sheets, caremap's own description of it if it is an export,
/// and the matrix it goes into.
struct Workbook<'a> {
    request: &'a ImportRequest<'a>,
    grids: Vec<SheetGrid>,
    metadata: Option<Metadata>,
    /// The matrix asked for, else the one the file was exported from.
    target: Option<String>,
    /// The file's name without its extension: the name of a new matrix the file does not name.
    stem: String,
}

/// Reads (with `reader`), plans and (unless only previewing) applies an import.
pub async fn import(store: &Store, reader: &SpreadsheetReader, mut request: ImportRequest<'_>, mode: ImportMode<'_>) -> Result<ImportOutcome, ImportError> {
    // The file's bytes go to the reader; only what it read is kept.
    let grids = reader.read(request.file_name, std::mem::take(&mut request.bytes)).await?;
    let metadata = grids.iter().find_map(Metadata::read);
    if let Some(found) = metadata.as_ref().and_then(|m| ImportKind::parse(&m.kind).ok()).filter(|k| *k != request.kind) {
        return Err(ImportError::WrongKind { found: found.label(), wanted: request.kind.label() });
    }
    let target = request.target.clone().or_else(|| metadata.as_ref().map(|m| m.id.clone()));
    let stem = request.file_name.rsplit_once('.').map_or(request.file_name, |(stem, _)| stem).to_owned();
    let file = Workbook { request: &request, grids, metadata, target, stem };
    match request.kind {
        ImportKind::OrgMap => maps::import_map::<OrgMaps>(store, &file, mode).await,
        ImportKind::RoleMap => maps::import_map::<RoleMaps>(store, &file, mode).await,
        ImportKind::Learning => learning::import_learning(store, &file, mode).await,
        ImportKind::Framework => framework::import_framework(store, &file, mode).await,
    }
}

/// A matrix the file names by id that is not in the workspace: with an id given on purpose it
/// is an error; from an export's own ids, the file starts a new matrix.
fn missing_is_new<T>(error: StoreError, asked_for: bool) -> Result<Option<T>, StoreError> {
    match error {
        StoreError::NotFound(_) if !asked_for => Ok(None),
        other => Err(other),
    }
}

/// A header field's date, or today with a warning.
fn field_date<M>(read: &ReadMatrix<M>, label: &str, today: CalendarDate) -> (CalendarDate, Option<String>) {
    match read.field(label).map(|text| (text, read_date(text))) {
        Some((_, Some(date))) => (date, None),
        Some((text, None)) => (today, Some(format!("The date “{text}” was not understood: today's date is used."))),
        None => (today, None),
    }
}

/// The matrix in a workbook: the export's own sheet, or the first sheet that reads as one.
fn find_matrix<M>(
    grids: &[SheetGrid],
    categories: &[Category],
    read: fn(&str) -> Option<M>,
    expected: &str,
    exported_sheet: Option<&str>,
) -> Result<ReadMatrix<M>, ImportError> {
    let mut problems = Vec::new();
    for grid in grids.iter().filter(|g| exported_sheet.is_none_or(|name| g.name == name)) {
        match read_matrix(grid, categories, read, expected) {
            Ok(matrix) => return Ok(matrix),
            Err(problem) => problems.push(problem),
        }
    }
    Err(ImportError::NoMatrix(if problems.is_empty() { "The file has no sheets to read.".into() } else { problems.join(" ") }))
}

/// A plan's fingerprint: the same while the plan (its columns, and every cell with the version it
/// was read at and the state it gets) is the same.
fn fingerprint_of(plan: &impl Serialize) -> String {
    sha256_hex(&serde_json::to_vec(plan).expect("a plan is plain data"))
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// `fingerprint`, or a refusal if it is not the one a preview showed.
fn check_fingerprint(fingerprint: String, mode: ImportMode<'_>) -> Result<String, ImportError> {
    match mode {
        ImportMode::ApplyIfUnchanged(expected) if expected != fingerprint => Err(ImportError::ChangedSincePreview),
        _ => Ok(fingerprint),
    }
}

/// Each label read as a function by similarity, in words.
fn describe_fuzzy(fuzzy: &[FuzzyMatch], categories: &[Category]) -> Vec<String> {
    fuzzy.iter().map(|f| format!("Row {}: “{}” read as {} ({}%)", f.row, f.text, function_label(categories, &f.function_id), f.percent)).collect()
}
