//! Importing a function framework, as a table of categories and functions.

use super::{ImportError, ImportMode, ImportOutcome, PreviewDetails, Workbook, check_fingerprint, fingerprint_of, sha256_hex};
use crate::model::framework_import::{FrameworkContext, local_framework_id, plan_framework, read_framework_sheet};
use crate::model::{Framework, FrameworkId, WorkspaceId};
use crate::sheets::write::METADATA_SHEET;
use crate::store::{FrameworkOwner, Store};

pub(super) async fn import_framework(store: &Store, file: &Workbook<'_>, mode: ImportMode<'_>) -> Result<ImportOutcome, ImportError> {
    let dry_run = mode == ImportMode::Preview;
    let workspace_id = file.request.workspace_id;
    let read = file.grids.iter().filter(|g| g.name != METADATA_SHEET).find_map(read_framework_sheet).ok_or_else(|| {
        ImportError::NoMatrix("No sheet has a header row with “Category” and “Function” headings: list each function on its own row under them (“Id” and “Statement” columns are optional).".into())
    })?;
    // A new framework's id comes from its name and the workspace, so importing a file of
    // the same name again updates the framework it made.
    let name = read.name.clone().unwrap_or_else(|| file.stem.clone());
    let new_id = local_framework_id(&name, &sha256_hex(workspace_id.as_bytes())[..8]);
    // The framework asked for, else the one the file was exported from, else the one
    // made from a file of this name.
    let asked = file.request.target.is_some();
    let mut existing = match &file.target {
        Some(id) => local_framework(store, workspace_id, id, asked).await?,
        None => None,
    };
    if existing.is_none() && !asked {
        existing = local_framework(store, workspace_id, new_id.as_str(), false).await?;
    }
    let taken = store.function_ids_outside(existing.as_ref().map_or(&new_id, Framework::id)).await?;
    let context = FrameworkContext { existing: existing.as_ref(), new_id, taken: &taken, fallback_name: &file.stem };
    let plan = plan_framework(&read, &context).map_err(ImportError::NoMatrix)?;
    let fingerprint = check_fingerprint(fingerprint_of(&plan), mode)?;
    let id = plan.framework.id().to_string();
    if !dry_run {
        store.save_local_framework(workspace_id, file.request.actor_id, &plan.framework, plan.replaces).await?;
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

/// The workspace's own framework `id`; none if there is no such framework, or (unless it was
/// asked for by id) it is not the workspace's to change.
async fn local_framework(store: &Store, workspace_id: &WorkspaceId, id: &str, asked_for: bool) -> Result<Option<Framework>, ImportError> {
    let refused = |why: String| if asked_for { Err(ImportError::NoMatrix(why)) } else { Ok(None) };
    let Ok(framework_id) = id.parse::<FrameworkId>() else {
        return refused(format!("There is no framework “{id}”."));
    };
    match store.framework_and_owner(&framework_id).await? {
        Some((framework, FrameworkOwner::Workspace(owner))) if &owner == workspace_id => Ok(Some(framework)),
        Some((_, FrameworkOwner::BuiltIn)) => {
            refused(format!("The built-in framework “{id}” cannot be changed: import the file without an id to make a local copy."))
        }
        _ => refused(format!("This workspace has no framework “{id}”.")),
    }
}
