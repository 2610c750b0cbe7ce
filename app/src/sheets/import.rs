//! Importing a matrix from a spreadsheet, as the web and the command line both do it: read the
//! file in an isolated reader, find the matrix and its ids, plan against the matrix it updates
//! (or a new one), and, unless only a preview is wanted, apply the plan in one transaction.

use super::isolate::SpreadsheetReader;
use super::read::ReadError;
use super::write::{LEARNING_SHEET, MATRIX_SHEET, METADATA_SHEET, NEEDS_SHEET};
use crate::model::framework_import::{FrameworkContext, local_framework_id, plan_framework, read_framework_sheet};
use crate::model::import::{KnownPerson, MatrixPlan, Metadata, plan_learning, plan_matrix, read_date, read_needs_sheet, read_priority};
use crate::model::learning::{AnalysisDetails, AnalysisLevel, default_scope, learning_matrix_frameworks};
use crate::model::matrix::{DEFAULT_THRESHOLD, Level, StoredCell};
use crate::model::org_map::{MapDetails, Provision, default_map_frameworks};
use crate::model::role_map::{Involvement, RoleMapDetails};
use crate::model::sheet::{FunctionMatcher, FuzzyMatch, ReadMatrix, SheetGrid, Unmatched, read_level, read_matrix};
use crate::model::{CalendarDate, Category, Framework, FrameworkId, function_label};
use crate::store::{FrameworkOwner, ImportTarget, Store, StoreError};
use serde::Serialize;

/// Which kind of matrix a file is imported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    OrgMap,
    RoleMap,
    /// A workspace's learning needs: a learning matrix, and its sheet of needs in full.
    Learning,
    /// A function framework, as a table of categories and functions.
    Framework,
}

impl ImportKind {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "org-map" => Some(ImportKind::OrgMap),
            "role-map" => Some(ImportKind::RoleMap),
            "learning" => Some(ImportKind::Learning),
            "framework" => Some(ImportKind::Framework),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::OrgMap => "org-map",
            ImportKind::RoleMap => "role-map",
            ImportKind::Learning => "learning",
            ImportKind::Framework => "framework",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            ImportKind::OrgMap => "an organisation map",
            ImportKind::RoleMap => "a role map",
            ImportKind::Learning => "a learning matrix",
            ImportKind::Framework => "a framework",
        }
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
    pub workspace_id: &'a str,
    pub actor_id: &'a str,
    pub kind: ImportKind,
    pub file_name: &'a str,
    pub bytes: Vec<u8>,
    /// The matrix to update; otherwise the one the file was exported from, if it is in the
    /// workspace, or a new one.
    pub target: Option<String>,
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

/// Reads (with `reader`), plans and (unless only previewing) applies an import.
pub async fn import(store: &Store, reader: &SpreadsheetReader, request: ImportRequest<'_>, mode: ImportMode<'_>) -> Result<ImportOutcome, ImportError> {
    let dry_run = mode == ImportMode::Preview;
    let grids = reader.read(request.file_name, request.bytes).await?;
    let metadata = grids.iter().find_map(Metadata::read);
    if let Some(found) = metadata.as_ref().and_then(|m| ImportKind::parse(&m.kind)).filter(|k| *k != request.kind) {
        return Err(ImportError::WrongKind { found: found.noun(), wanted: request.kind.noun() });
    }
    let target = request.target.clone().or_else(|| metadata.as_ref().map(|m| m.id.clone()));
    let stem = request.file_name.rsplit_once('.').map_or(request.file_name, |(stem, _)| stem).to_owned();
    let (workspace_id, actor_id) = (request.workspace_id, request.actor_id);
    match request.kind {
        ImportKind::OrgMap => {
            let existing = match &target {
                Some(id) => store.org_map(workspace_id, id).await.map(Some).or_else(|e| missing_is_new(e, request.target.is_some()))?,
                None => None,
            };
            let existing = existing.map(|map| ExistingMatrix {
                title: format!("{}, {}", map.summary.details.area, map.summary.details.date.long()),
                id: map.summary.id,
                categories: map.categories,
                columns: map.organisations.into_iter().map(|o| (o.id, o.details.name)).collect(),
                cells: map.cells,
            });
            let (read, mut plan, categories) = plan_map::<Provision>(store, &grids, metadata.as_ref(), existing.as_ref()).await?;
            if plan.columns.iter().any(|c| c.existing.is_none()) {
                plan.warnings.push("New organisations are recorded as statutory, with no locality: correct them on the map.".into());
            }
            let target = match &existing {
                Some(map) => ImportTarget::Existing(map.id.clone()),
                None => {
                    let (date, warning) = field_date(&read, "Date");
                    plan.warnings.extend(warning);
                    let area = read.field("Area").map_or(stem.clone(), str::to_owned);
                    let details = MapDetails { area, date, threshold: DEFAULT_THRESHOLD };
                    ImportTarget::New { details, frameworks: default_map_frameworks() }
                }
            };
            let fingerprint = check_unchanged(&plan, mode)?;
            let id = if dry_run { preview_id(&target) } else { Some(store.apply_org_map_import(workspace_id, actor_id, &target, &plan).await?) };
            Ok(outcome(plan, &read, &categories, existing.map(|m| m.title), fingerprint, id, dry_run))
        }
        ImportKind::RoleMap => {
            let existing = match &target {
                Some(id) => store.role_map(workspace_id, id).await.map(Some).or_else(|e| missing_is_new(e, request.target.is_some()))?,
                None => None,
            };
            let existing = existing.map(|map| ExistingMatrix {
                title: format!("{}, {}", map.summary.details.organisation, map.summary.details.date.long()),
                id: map.summary.id,
                categories: map.categories,
                columns: map.roles.into_iter().map(|r| (r.id, r.details.title)).collect(),
                cells: map.cells,
            });
            let (read, mut plan, categories) = plan_map::<Involvement>(store, &grids, metadata.as_ref(), existing.as_ref()).await?;
            let target = match &existing {
                Some(map) => ImportTarget::Existing(map.id.clone()),
                None => {
                    let (date, warning) = field_date(&read, "Date");
                    plan.warnings.extend(warning);
                    let organisation = read.field("Organisation").map_or(stem.clone(), str::to_owned);
                    ImportTarget::New { details: RoleMapDetails { organisation, date }, frameworks: default_map_frameworks() }
                }
            };
            let fingerprint = check_unchanged(&plan, mode)?;
            let id =
                if dry_run { preview_id(&target) } else { Some(store.apply_role_map_import(workspace_id, actor_id, &target, &read.functions, &plan).await?) };
            Ok(outcome(plan, &read, &categories, existing.map(|m| m.title), fingerprint, id, dry_run))
        }
        ImportKind::Learning => {
            let analyses = store.analyses(workspace_id).await?;
            let stored = store.needs_by_analysis(workspace_id).await?;
            let frameworks = learning_matrix_frameworks(&analyses);
            let categories = store.categories_of(&frameworks).await?;
            let sheet = metadata.as_ref().map(|_| LEARNING_SHEET);
            let read = find_matrix(&grids, &categories, read_priority, "High, Medium, Low, None or blank", sheet)?;
            let matcher = FunctionMatcher::new(&categories);
            let catalogue: Vec<(String, String)> = store.catalogue(workspace_id).await?.into_iter().map(|a| (a.id, a.details.title)).collect();
            let (details, unread) = grids.iter().find(|g| g.name == NEEDS_SHEET).map(|g| read_needs_sheet(g, &matcher, &catalogue)).unwrap_or_default();
            let none = Vec::new();
            let known: Vec<KnownPerson<'_>> =
                analyses.iter().map(|a| KnownPerson { id: &a.id, name: &a.details.name, scope: &a.scope, needs: stored.get(&a.id).unwrap_or(&none) }).collect();
            let mut plan = plan_learning(&read, &details, &known, metadata.as_ref());
            let (unread, more) = unread.finish();
            plan.unmatched.extend(unread);
            plan.warnings.extend(more);
            let fingerprint = check_fingerprint(fingerprint_of(&(&plan.people, &plan.needs)), mode)?;
            let new_people: Vec<String> = plan.people.iter().filter(|p| p.existing.is_none()).map(|p| p.name.clone()).collect();
            if !new_people.is_empty() {
                plan.warnings
                    .push(format!("{} new people get an analysis each, covering the core functions and the functions their needs are for.", new_people.len()));
            }
            let label = |need: Option<&(crate::model::programme::Need, i64)>| need.map_or("Not assessed", |(n, _)| n.priority.label());
            let changes = plan
                .needs
                .iter()
                .map(|planned| {
                    let person = &plan.people[planned.person];
                    let current = known
                        .iter()
                        .find(|k| Some(k.id) == person.existing.as_deref())
                        .and_then(|k| k.needs.iter().find(|(n, _)| n.function_id == planned.need.function_id));
                    (
                        person.name.clone(),
                        function_label(&categories, &planned.need.function_id),
                        label(current).to_owned(),
                        planned.need.priority.label().to_owned(),
                    )
                })
                .collect();
            if !dry_run {
                let organisation = analyses.first().map_or(stem.clone(), |a| a.details.organisation.clone());
                let details = AnalysisDetails {
                    level: AnalysisLevel::Person,
                    organisation,
                    name: String::new(),
                    team: String::new(),
                    date: crate::api::org_maps::today(),
                };
                store.apply_learning_import(workspace_id, actor_id, &details, &frameworks, &default_scope(&categories), &plan).await?;
            }
            Ok(ImportOutcome {
                id: Some(workspace_id.to_owned()),
                added: plan.added,
                changed: plan.changed,
                unchanged: plan.unchanged,
                unmatched: plan.unmatched,
                errors: vec![],
                warnings: plan.warnings,
                dry_run,
                details: PreviewDetails {
                    fingerprint,
                    target: Some("the workspace's learning needs".into()),
                    new_columns: new_people,
                    changes,
                    fuzzy: describe_fuzzy(&read.fuzzy, &categories),
                },
            })
        }
        ImportKind::Framework => {
            let read = grids
                .iter()
                .filter(|g| g.name != METADATA_SHEET)
                .find_map(read_framework_sheet)
                .ok_or_else(|| ImportError::NoMatrix("No sheet has a header row with “Category” and “Function” headings: list each function on its own row under them (“Id” and “Statement” columns are optional).".into()))?;
            // A new framework's id comes from its name and the workspace, so importing a file of
            // the same name again updates the framework it made.
            let name = read.name.clone().unwrap_or_else(|| stem.clone());
            let new_id = local_framework_id(&name, &sha256_hex(workspace_id.as_bytes())[..8]);
            // The framework asked for, else the one the file was exported from, else the one
            // made from a file of this name.
            let asked = request.target.is_some();
            let mut existing = match &target {
                Some(id) => local_framework(store, workspace_id, id, asked).await?,
                None => None,
            };
            if existing.is_none() && !asked {
                existing = local_framework(store, workspace_id, new_id.as_str(), false).await?;
            }
            let taken = store.function_ids_outside(existing.as_ref().map_or(&new_id, Framework::id)).await?;
            let context = FrameworkContext { existing: existing.as_ref(), new_id, taken: &taken, fallback_name: &stem };
            let plan = plan_framework(&read, &context).map_err(ImportError::NoMatrix)?;
            let fingerprint = check_fingerprint(fingerprint_of(&plan), mode)?;
            let id = plan.framework.id().to_string();
            if !dry_run {
                store.save_local_framework(workspace_id, actor_id, &plan.framework, plan.replaces).await?;
            }
            let old_ids: Vec<_> = existing.iter().flat_map(|f| f.functions().map(|x| x.id.clone())).collect();
            let new_functions = plan.framework.functions().filter(|f| !old_ids.contains(&f.id)).map(|f| format!("{} {}", f.id, f.label)).collect();
            Ok(ImportOutcome {
                id: (existing.is_some() || !dry_run).then_some(id),
                added: plan.added,
                changed: plan.changed,
                unchanged: plan.unchanged,
                unmatched: read.unmatched,
                errors: vec![],
                warnings: [read.warnings, plan.warnings].concat(),
                dry_run,
                details: PreviewDetails {
                    fingerprint,
                    target: existing.map(|f| format!("{} (version {})", f.name(), f.version())),
                    new_columns: new_functions,
                    changes: plan.changes.into_iter().map(|c| (c.category, c.function, c.from, c.to)).collect(),
                    fuzzy: vec![],
                },
            })
        }
    }
}

/// The workspace's own framework `id`; none if there is no such framework, or (unless it was
/// asked for by id) it is not the workspace's to change.
async fn local_framework(store: &Store, workspace_id: &str, id: &str, asked_for: bool) -> Result<Option<Framework>, ImportError> {
    let refused = |why: String| if asked_for { Err(ImportError::NoMatrix(why)) } else { Ok(None) };
    let Ok(framework_id) = id.parse::<FrameworkId>() else {
        return refused(format!("There is no framework “{id}”."));
    };
    match store.framework_and_owner(&framework_id).await? {
        Some((framework, FrameworkOwner::Workspace(owner))) if owner == workspace_id => Ok(Some(framework)),
        Some((_, FrameworkOwner::BuiltIn)) => {
            refused(format!("The built-in framework “{id}” cannot be changed: import the file without an id to make a local copy."))
        }
        _ => refused(format!("This workspace has no framework “{id}”.")),
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
fn field_date<M>(read: &ReadMatrix<M>, label: &str) -> (CalendarDate, Option<String>) {
    match read.field(label).map(|text| (text, read_date(text))) {
        Some((_, Some(date))) => (date, None),
        Some((text, None)) => (crate::api::org_maps::today(), Some(format!("The date “{text}” was not understood: today's date is used."))),
        None => (crate::api::org_maps::today(), None),
    }
}

/// The marks a matrix of levels `L` takes, in words.
fn expected<L: Level>() -> String {
    let labels: Vec<&str> = L::ALL.iter().skip(1).map(|l| l.label()).collect();
    format!("{}, ✓, partly or blank", labels.join(", "))
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

/// The matrix a preview would update; none when it would make a new one.
fn preview_id<D>(target: &ImportTarget<D>) -> Option<String> {
    match target {
        ImportTarget::Existing(id) => Some(id.clone()),
        ImportTarget::New { .. } => None,
    }
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

/// A matrix plan's fingerprint, or a refusal if it is not the one a preview showed.
fn check_unchanged<L: Level + Serialize>(plan: &MatrixPlan<L>, mode: ImportMode<'_>) -> Result<String, ImportError> {
    check_fingerprint(fingerprint_of(&(&plan.columns, &plan.cells)), mode)
}

/// `fingerprint`, or a refusal if it is not the one a preview showed.
fn check_fingerprint(fingerprint: String, mode: ImportMode<'_>) -> Result<String, ImportError> {
    match mode {
        ImportMode::ApplyIfUnchanged(expected) if expected != fingerprint => Err(ImportError::ChangedSincePreview),
        _ => Ok(fingerprint),
    }
}

/// An organisation or role map an import updates, as the plan needs it.
struct ExistingMatrix<L> {
    id: String,
    /// The map in words, for the preview.
    title: String,
    categories: Vec<Category>,
    /// (id, name) of each column.
    columns: Vec<(String, String)>,
    cells: Vec<StoredCell<L>>,
}

/// Reads a map of levels `L` from the workbook and plans it against `existing` (or a new map
/// over the default functions); answers what was read, the plan, and the functions read
/// against.
async fn plan_map<L: Level>(
    store: &Store,
    grids: &[SheetGrid],
    metadata: Option<&Metadata>,
    existing: Option<&ExistingMatrix<L>>,
) -> Result<(ReadMatrix<L>, MatrixPlan<L>, Vec<Category>), ImportError> {
    let categories = match existing {
        Some(map) => map.categories.clone(),
        None => store.categories_of(&default_map_frameworks()).await?,
    };
    let read = find_matrix(grids, &categories, read_level::<L>, &expected::<L>(), metadata.map(|_| MATRIX_SHEET))?;
    // The file's own ids count only when it was exported from this very map.
    let own = metadata.filter(|m| existing.is_some_and(|map| map.id == m.id));
    let (columns, cells) = existing.map_or((&[][..], &[][..]), |map| (&map.columns[..], &map.cells[..]));
    let plan = plan_matrix(&read, columns, cells, own);
    Ok((read, plan, categories))
}

/// Each label read as a function by similarity, in words.
fn describe_fuzzy(fuzzy: &[FuzzyMatch], categories: &[Category]) -> Vec<String> {
    fuzzy.iter().map(|f| format!("Row {}: “{}” read as {} ({}%)", f.row, f.text, function_label(categories, &f.function_id), f.percent)).collect()
}

fn outcome<L: Level, M>(
    plan: MatrixPlan<L>,
    read: &ReadMatrix<M>,
    categories: &[Category],
    target: Option<String>,
    fingerprint: String,
    id: Option<String>,
    dry_run: bool,
) -> ImportOutcome {
    let details = PreviewDetails {
        fingerprint,
        target,
        new_columns: plan.columns.iter().filter(|c| c.existing.is_none()).map(|c| c.name.clone()).collect(),
        changes: plan
            .cells
            .iter()
            .map(|c| (plan.columns[c.column].name.clone(), function_label(categories, &c.function_id), c.from.label().to_owned(), c.to.label().to_owned()))
            .collect(),
        fuzzy: describe_fuzzy(&read.fuzzy, categories),
    };
    ImportOutcome {
        details,
        id,
        added: plan.added,
        changed: plan.changed,
        unchanged: plan.unchanged,
        unmatched: plan.unmatched,
        errors: vec![],
        warnings: plan.warnings,
        dry_run,
    }
}
