//! The sample workspace: a made-up area with its maps, plan and a service's role map, written in
//! one transaction from the model's sample data.

use super::accounts::insert_workspace;
use super::matrix::{MatrixKind, OrgMaps, RoleMaps};
use super::org_maps::{insert_action, insert_map, insert_organisation};
use super::role_maps::{insert_role, insert_role_map};
use super::{Store, StoreError, WriteTx};
use crate::model::matrix::DEFAULT_THRESHOLD;
use crate::model::org_map::{ActionDetails, MapDetails};
use crate::model::role_map::RoleMapDetails;
use crate::model::sample::{SampleArea, SampleRoleMap};
use crate::model::{CalendarDate, WorkspaceName};
use crate::model::{PersonId, RoleMapId, WorkspaceId};

impl Store {
    /// Creates a workspace owned by `owner_id` holding the sample area: a baseline map dated a
    /// year before `today`, the current map, its plan, and a service's role map; all in one
    /// transaction.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_sample(&self, owner_id: &PersonId, sample: &SampleArea, today: CalendarDate) -> Result<WorkspaceId, StoreError> {
        let frameworks = crate::model::org_map::default_map_frameworks();
        let functions = self.functions_of(&frameworks).await?;
        let mut tx = self.begin_write().await?;
        let name = WorkspaceName::parse(sample.workspace_name).map_err(|e| StoreError::Inconsistent(e.message))?;
        let workspace_id = insert_workspace(&mut tx, &name, owner_id).await?;
        let baseline_details = MapDetails { area: sample.area.to_owned(), date: today.years_earlier(1), threshold: DEFAULT_THRESHOLD };
        let baseline = insert_map(&mut tx, &workspace_id, owner_id, &baseline_details, &frameworks, None).await?;
        let current_details = MapDetails { date: today, ..baseline_details.clone() };
        let current = insert_map(&mut tx, &workspace_id, owner_id, &current_details, &frameworks, Some(&baseline)).await?;
        for (map_id, is_baseline) in [(&baseline, true), (&current, false)] {
            for (index, organisation) in sample.organisations.iter().enumerate() {
                let organisation_id = insert_organisation(&mut tx, map_id, &organisation.details).await?;
                let cells = if is_baseline { organisation.baseline_cells() } else { organisation.cells() };
                for (function_id, level) in cells {
                    let note = sample.notes.iter().find(|(i, f, _)| *i == index && *f == function_id.as_str()).map_or("", |(_, _, note)| note);
                    OrgMaps::COLUMNS.insert_cell(&mut tx, map_id, &organisation_id, &function_id, level, note).await?;
                }
            }
        }
        for fields in &sample.actions {
            let details = ActionDetails::parse(fields, &functions).map_err(|e| StoreError::Inconsistent(e.message))?;
            insert_action(&mut tx, &current, &details).await?;
        }
        insert_sample_role_map(&mut tx, &workspace_id, owner_id, &sample.role_map, today).await?;
        tx.commit().await?;
        Ok(workspace_id)
    }
}

/// Adds the sample service's role map: its menu, roles and cells.
async fn insert_sample_role_map(
    tx: &mut WriteTx,
    workspace_id: &WorkspaceId,
    actor_id: &PersonId,
    sample: &SampleRoleMap,
    date: CalendarDate,
) -> Result<RoleMapId, StoreError> {
    let details = RoleMapDetails { organisation: sample.organisation.to_owned(), date };
    let frameworks = crate::model::org_map::default_map_frameworks();
    let map_id = insert_role_map(tx, workspace_id, actor_id, &details, &frameworks, &sample.needed()).await?;
    for (index, (role, _, _)) in sample.roles.iter().enumerate() {
        let role_id = insert_role(tx, &map_id, role).await?;
        for (function_id, level) in sample.cells(index) {
            RoleMaps::COLUMNS.insert_cell(tx, &map_id, &role_id, &function_id, level, "").await?;
        }
    }
    Ok(map_id)
}
