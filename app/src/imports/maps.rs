//! Importing an organisation map or a role map: one matrix of columns and functions, read and
//! planned alike; what differs between the two is in `MapKind`.

use super::{
    ImportError, ImportMode, ImportOutcome, PreviewDetails, Workbook, check_fingerprint, describe_fuzzy, field_date, find_matrix, fingerprint_of,
    missing_is_new,
};
use crate::model::import::{MatrixPlan, Metadata, plan_matrix};
use crate::model::matrix::{DEFAULT_THRESHOLD, Level, StoredCell};
use crate::model::org_map::{MapDetails, OrganisationDetails, Provision, default_map_frameworks};
use crate::model::role_map::{Involvement, RoleMapDetails};
use crate::model::sheet::{ReadMatrix, SheetGrid, read_level};
use crate::model::{CalendarDate, Category, Id, OrgMapId, RoleMapId, WorkspaceId, function_label};
use crate::sheets::write::MATRIX_SHEET;
use crate::store::{ColumnId, ImportTarget, MapId, MatrixKind, OrgMaps, RoleMaps, Store, StoreError};
use serde::Serialize;

/// An organisation or role map an import updates, as the plan needs it.
pub(super) struct ExistingMatrix<K: MatrixKind> {
    id: MapId<K>,
    /// The map in words, for the preview.
    title: String,
    categories: Vec<Category>,
    /// (id, name) of each column.
    columns: Vec<(ColumnId<K>, String)>,
    cells: Vec<StoredCell<K::Level>>,
}

/// What differs between importing the two kinds of map.
pub(super) trait MapKind: MatrixKind<Level: Serialize> {
    /// The stored map `map_id`, as the plan needs it.
    async fn existing(store: &Store, workspace_id: &WorkspaceId, map_id: &MapId<Self>) -> Result<ExistingMatrix<Self>, StoreError>;
    /// A new map's details, from the file's header fields, else the file's name and `today`.
    fn new_details(read: &ReadMatrix<Self::Level>, stem: &str, date: CalendarDate) -> Self::Details;
    /// What a preview says when the file adds columns.
    const NEW_COLUMNS_WARNING: Option<&'static str>;
}

impl MapKind for OrgMaps {
    const NEW_COLUMNS_WARNING: Option<&'static str> = Some(OrganisationDetails::IMPORTED_WARNING);

    async fn existing(store: &Store, workspace_id: &WorkspaceId, map_id: &OrgMapId) -> Result<ExistingMatrix<Self>, StoreError> {
        let map = store.org_map(workspace_id, map_id).await?;
        Ok(ExistingMatrix {
            title: format!("{}, {}", map.summary.details.area, map.summary.details.date.long()),
            id: map.summary.id,
            categories: map.categories,
            columns: map.organisations.into_iter().map(|o| (o.id, o.details.name)).collect(),
            cells: map.cells,
        })
    }

    fn new_details(read: &ReadMatrix<Provision>, stem: &str, date: CalendarDate) -> MapDetails {
        MapDetails { area: read.field("Area").unwrap_or(stem).to_owned(), date, threshold: DEFAULT_THRESHOLD }
    }
}

impl MapKind for RoleMaps {
    const NEW_COLUMNS_WARNING: Option<&'static str> = None;

    async fn existing(store: &Store, workspace_id: &WorkspaceId, map_id: &RoleMapId) -> Result<ExistingMatrix<Self>, StoreError> {
        let map = store.role_map(workspace_id, map_id).await?;
        Ok(ExistingMatrix {
            title: format!("{}, {}", map.summary.details.organisation, map.summary.details.date.long()),
            id: map.summary.id,
            categories: map.categories,
            columns: map.roles.into_iter().map(|r| (r.id, r.details.title)).collect(),
            cells: map.cells,
        })
    }

    fn new_details(read: &ReadMatrix<Involvement>, stem: &str, date: CalendarDate) -> RoleMapDetails {
        RoleMapDetails { organisation: read.field("Organisation").unwrap_or(stem).to_owned(), date }
    }
}

/// Imports a map of kind `K`.
pub(super) async fn import_map<K: MapKind>(store: &Store, file: &Workbook<'_>, mode: ImportMode<'_>) -> Result<ImportOutcome, ImportError> {
    let dry_run = mode == ImportMode::Preview;
    let existing = match &file.target {
        Some(id) => K::existing(store, file.request.workspace_id, &Id::from(id.as_str()))
            .await
            .map(Some)
            .or_else(|e| missing_is_new(e, file.request.target.is_some()))?,
        None => None,
    };
    let (read, mut plan, categories) = plan_map::<K>(store, &file.grids, file.metadata.as_ref(), existing.as_ref()).await?;
    if plan.columns.iter().any(|c| c.existing.is_none()) {
        plan.warnings.extend(K::NEW_COLUMNS_WARNING.map(str::to_owned));
    }
    let target = match &existing {
        Some(map) => ImportTarget::Existing(map.id.clone()),
        None => {
            let (date, warning) = field_date(&read, "Date", file.request.today);
            plan.warnings.extend(warning);
            ImportTarget::New { details: K::new_details(&read, &file.stem, date), frameworks: default_map_frameworks() }
        }
    };
    let fingerprint = check_fingerprint(fingerprint_of(&(&plan.columns, &plan.cells)), mode)?;
    let id = match (&target, dry_run) {
        (_, false) => Some(store.apply_map_import::<K>(file.request.workspace_id, file.request.actor_id, &target, &read.functions, &plan).await?),
        (ImportTarget::Existing(id), true) => Some(id.clone()),
        (ImportTarget::New { .. }, true) => None,
    };
    Ok(outcome(plan, &read, &categories, existing.map(|m| m.title), fingerprint, id.map(String::from), dry_run))
}

/// The marks a matrix of levels `L` takes, in words.
fn expected<L: Level>() -> String {
    let labels: Vec<&str> = L::ALL.iter().skip(1).map(|l| l.label()).collect();
    format!("{}, ✓, partly or blank", labels.join(", "))
}

/// Reads a map of levels `L` from the workbook and plans it against `existing` (or a new map
/// over the default functions); answers what was read, the plan, and the functions read
/// against.
async fn plan_map<K: MatrixKind>(
    store: &Store,
    grids: &[SheetGrid],
    metadata: Option<&Metadata>,
    existing: Option<&ExistingMatrix<K>>,
) -> Result<(ReadMatrix<K::Level>, MatrixPlan<K::Level>, Vec<Category>), ImportError> {
    let categories = match existing {
        Some(map) => map.categories.clone(),
        None => store.categories_of(&default_map_frameworks()).await?,
    };
    let read = find_matrix(grids, &categories, read_level::<K::Level>, &expected::<K::Level>(), metadata.map(|_| MATRIX_SHEET))?;
    // The file's own ids count only when it was exported from this very map.
    let own = metadata.filter(|m| existing.is_some_and(|map| map.id.as_str() == m.id));
    let (columns, cells) = existing.map_or((&[][..], &[][..]), |map| (&map.columns[..], &map.cells[..]));
    let plan = plan_matrix(&read, columns, cells, own);
    Ok((read, plan, categories))
}

fn outcome<L: Level>(
    plan: MatrixPlan<L>,
    read: &ReadMatrix<L>,
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
