//! Importing a workspace's learning needs: a learning matrix, and its sheet of needs in full.

use super::{ImportError, ImportMode, ImportOutcome, PreviewDetails, Workbook, check_fingerprint, describe_fuzzy, find_matrix, fingerprint_of};
use crate::model::import::{KnownPerson, plan_learning, read_needs_sheet, read_priority};
use crate::model::learning::{AnalysisDetails, default_scope, learning_matrix_frameworks};
use crate::model::programme::Need;
use crate::model::sheet::FunctionMatcher;
use crate::model::{ActivityId, function_label};
use crate::sheets::write::{LEARNING_SHEET, NEEDS_SHEET};
use crate::store::Store;

pub(super) async fn import_learning(store: &Store, file: &Workbook<'_>, mode: ImportMode<'_>) -> Result<ImportOutcome, ImportError> {
    let dry_run = mode == ImportMode::Preview;
    let workspace_id = file.request.workspace_id;
    let analyses = store.analyses(workspace_id).await?;
    let stored = store.needs_by_analysis(workspace_id).await?;
    let frameworks = learning_matrix_frameworks(&analyses);
    let categories = store.categories_of(&frameworks).await?;
    let sheet = file.metadata.as_ref().map(|_| LEARNING_SHEET);
    let read = find_matrix(&file.grids, &categories, read_priority, "High, Medium, Low, None or blank", sheet)?;
    let matcher = FunctionMatcher::new(&categories);
    let catalogue: Vec<(ActivityId, String)> = store.catalogue(workspace_id).await?.into_iter().map(|a| (a.id, a.details.title)).collect();
    let (details, unread) = file.grids.iter().find(|g| g.name == NEEDS_SHEET).map(|g| read_needs_sheet(g, &matcher, &catalogue)).unwrap_or_default();
    let none = Vec::new();
    let known: Vec<KnownPerson<'_>> =
        analyses.iter().map(|a| KnownPerson { id: &a.id, name: &a.details.name, scope: &a.scope, needs: stored.get(&a.id).unwrap_or(&none) }).collect();
    let mut plan = plan_learning(&read, &details, &known, file.metadata.as_ref());
    let (unread, more) = unread.finish();
    plan.unmatched.extend(unread);
    plan.warnings.extend(more);
    let fingerprint = check_fingerprint(fingerprint_of(&(&plan.people, &plan.needs)), mode)?;
    let new_people: Vec<String> = plan.people.iter().filter(|p| p.existing.is_none()).map(|p| p.name.clone()).collect();
    if !new_people.is_empty() {
        plan.warnings.push(format!("{} new people get an analysis each, covering the core functions and the functions their needs are for.", new_people.len()));
    }
    let label = |need: Option<&(Need, i64)>| need.map_or("Not assessed", |(n, _)| n.priority.label());
    let changes = plan
        .needs
        .iter()
        .map(|planned| {
            let person = &plan.people[planned.person];
            let current = known
                .iter()
                .find(|k| Some(k.id) == person.existing.as_ref())
                .and_then(|k| k.needs.iter().find(|(n, _)| n.function_id == planned.need.function_id));
            (person.name.clone(), function_label(&categories, &planned.need.function_id), label(current).to_owned(), planned.need.priority.label().to_owned())
        })
        .collect();
    if !dry_run {
        let organisation = analyses.first().map_or(file.stem.as_str(), |a| a.details.organisation.as_str());
        let details = AnalysisDetails::imported_person(organisation, file.request.today);
        store.apply_learning_import(workspace_id, file.request.actor_id, &details, &frameworks, &default_scope(&categories), &plan).await?;
    }
    Ok(ImportOutcome {
        id: Some(workspace_id.to_string()),
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
