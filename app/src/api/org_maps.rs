//! Organisation maps: the matrix, its organisations and cells, the implementation plan, the
//! review of one map against another, and the sample area.

use super::AppError;
use crate::model::org_map::{CellValue, OrgMap, OrgMapSummary, PlanAction};
use crate::model::review::Review;
use crate::model::{ActionId, OrgMapId, OrganisationId, WorkspaceId};
use crate::model::{CalendarDate, FrameworkSummary, WorkspaceSummary};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::matrix,
    super::{answer, session, store, today},
    crate::model::WorkspaceRole,
    crate::model::org_map::{ActionDetails, ActionFields, MapDetails, OrganisationDetails, parse_framework_list},
    crate::model::review::{Side, compare},
    crate::store::{OrgMaps, Visible},
};

/// A workspace's maps, and the frameworks a new one can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapList {
    pub workspace: WorkspaceSummary,
    pub maps: Vec<OrgMapSummary>,
    pub frameworks: Vec<FrameworkSummary>,
    /// The server's date, for the date of a new map.
    pub today: CalendarDate,
}

/// One map with its plan, and the reader's role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapView {
    pub workspace: WorkspaceSummary,
    pub map: OrgMap,
    pub actions: Vec<PlanAction>,
    /// For "printed on".
    pub today: CalendarDate,
}

/// Two maps compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapReview {
    pub workspace: WorkspaceSummary,
    pub baseline: OrgMapSummary,
    pub current: OrgMapSummary,
    pub review: Review,
}

#[server(endpoint = "list_org_maps")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_org_maps(workspace_id: WorkspaceId) -> Result<MapList, AppError> {
    answer(
        async {
            let (_, workspace) = session::member(&workspace_id, WorkspaceRole::Viewer).await?;
            let store = store()?;
            let (maps, frameworks) = (store.org_maps(&workspace_id).await?, store.list_frameworks(Visible::InWorkspace(&workspace_id)).await?);
            Ok(MapList { workspace, maps, frameworks, today: today() })
        }
        .await,
    )
}

#[server(endpoint = "get_org_map")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_org_map(workspace_id: WorkspaceId, map_id: OrgMapId) -> Result<MapView, AppError> {
    answer(
        async {
            let (_, workspace) = session::member(&workspace_id, WorkspaceRole::Viewer).await?;
            let store = store()?;
            let map = store.org_map(&workspace_id, &map_id).await?;
            let actions = store.actions(&workspace_id, &map_id).await?;
            Ok(MapView { workspace, map, actions, today: today() })
        }
        .await,
    )
}

/// Creates a map and opens it.
#[server(endpoint = "create_org_map")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_org_map(workspace_id: WorkspaceId, area: String, date: String, threshold: String, frameworks: String) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let details = MapDetails::parse(&area, &date, &threshold)?;
            let frameworks = parse_framework_list(&frameworks)?;
            let id = store()?.create_org_map(&workspace_id, &user.id, &details, &frameworks).await?;
            leptos_axum::redirect(&crate::paths::org_map(&workspace_id, &id));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "update_org_map")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn update_org_map(workspace_id: WorkspaceId, map_id: OrgMapId, version: i64, area: String, date: String, threshold: String) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let details = MapDetails::parse(&area, &date, &threshold)?;
            Ok(store()?.update_org_map(&workspace_id, &map_id, &user.id, version, &details).await?)
        }
        .await,
    )
}

/// Starts a new dated map from an existing one, and opens it.
#[server(endpoint = "copy_org_map")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn copy_org_map(workspace_id: WorkspaceId, map_id: OrgMapId, area: String, date: String, threshold: String) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let details = MapDetails::parse(&area, &date, &threshold)?;
            let id = store()?.copy_org_map(&workspace_id, &map_id, &user.id, &details).await?;
            leptos_axum::redirect(&crate::paths::org_map(&workspace_id, &id));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "add_organisation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn add_organisation(
    workspace_id: WorkspaceId,
    map_id: OrgMapId,
    name: String,
    sector: String,
    locality: String,
    website: String,
    contact: String,
) -> Result<OrganisationId, AppError> {
    matrix::add_column::<OrgMaps>(&workspace_id, &map_id, OrganisationDetails::parse(&name, &sector, &locality, &website, &contact)).await
}

#[server(endpoint = "update_organisation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
#[allow(clippy::too_many_arguments)]
pub async fn update_organisation(
    workspace_id: WorkspaceId,
    map_id: OrgMapId,
    organisation_id: OrganisationId,
    version: i64,
    name: String,
    sector: String,
    locality: String,
    website: String,
    contact: String,
) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let details = OrganisationDetails::parse(&name, &sector, &locality, &website, &contact)?;
            let store = store()?;
            Ok(store.update_organisation(&workspace_id, &map_id, &organisation_id, &user.id, version, &details).await?)
        }
        .await,
    )
}

/// Moves an organisation one column `left` or `right`.
#[server(endpoint = "move_organisation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn move_organisation(workspace_id: WorkspaceId, map_id: OrgMapId, organisation_id: OrganisationId, direction: String) -> Result<(), AppError> {
    matrix::move_column::<OrgMaps>(&workspace_id, &map_id, &organisation_id, &direction).await
}

/// Takes an organisation off the map; `restore_organisation` puts it back.
#[server(endpoint = "remove_organisation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn remove_organisation(workspace_id: WorkspaceId, map_id: OrgMapId, organisation_id: OrganisationId) -> Result<(), AppError> {
    matrix::set_removed::<OrgMaps>(&workspace_id, &map_id, &organisation_id, true).await
}

#[server(endpoint = "restore_organisation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn restore_organisation(workspace_id: WorkspaceId, map_id: OrgMapId, organisation_id: OrganisationId) -> Result<(), AppError> {
    matrix::set_removed::<OrgMaps>(&workspace_id, &map_id, &organisation_id, false).await
}

/// Sets one cell, given the version the editor saw; answers the cell as now stored.
#[server(endpoint = "set_cell")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
#[allow(clippy::too_many_arguments)]
pub async fn set_cell(
    workspace_id: WorkspaceId,
    map_id: OrgMapId,
    organisation_id: OrganisationId,
    function_id: String,
    version: i64,
    level: String,
    note: String,
) -> Result<CellValue, AppError> {
    matrix::set_cell::<OrgMaps>(&workspace_id, &map_id, &organisation_id, &function_id, version, &level, &note).await
}

/// Parses an action's fields against the functions of the map.
#[cfg(feature = "ssr")]
async fn action_details(workspace_id: &WorkspaceId, map_id: &OrgMapId, fields: ActionFields) -> Result<ActionDetails, AppError> {
    let functions = store()?.org_map_functions(workspace_id, map_id).await?;
    Ok(ActionDetails::parse(&fields, &functions)?)
}

#[server(endpoint = "add_action")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
#[allow(clippy::too_many_arguments)]
pub async fn add_action(
    workspace_id: WorkspaceId,
    map_id: OrgMapId,
    function_id: String,
    what: String,
    with_whom: String,
    how: String,
    cost: String,
    due: String,
    communication: String,
    risks: String,
    status: String,
) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let fields = ActionFields { function_id, what, with_whom, how, cost, due, communication, risks, status };
            let details = action_details(&workspace_id, &map_id, fields).await?;
            store()?.add_action(&workspace_id, &map_id, &user.id, &details).await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "update_action")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
#[allow(clippy::too_many_arguments)]
pub async fn update_action(
    workspace_id: WorkspaceId,
    map_id: OrgMapId,
    action_id: ActionId,
    version: i64,
    function_id: String,
    what: String,
    with_whom: String,
    how: String,
    cost: String,
    due: String,
    communication: String,
    risks: String,
    status: String,
) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let fields = ActionFields { function_id, what, with_whom, how, cost, due, communication, risks, status };
            let details = action_details(&workspace_id, &map_id, fields).await?;
            Ok(store()?.update_action(&workspace_id, &map_id, &action_id, &user.id, version, &details).await?)
        }
        .await,
    )
}

#[server(endpoint = "delete_action")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn delete_action(workspace_id: WorkspaceId, map_id: OrgMapId, action_id: ActionId) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            Ok(store()?.delete_action(&workspace_id, &map_id, &action_id, &user.id).await?)
        }
        .await,
    )
}

/// Compares `current` with its `baseline`: functions gained, lost and changed, and coverage per
/// category.
#[server(endpoint = "compare_org_maps")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn compare_org_maps(workspace_id: WorkspaceId, baseline: OrgMapId, current: OrgMapId) -> Result<MapReview, AppError> {
    answer(
        async {
            let (_, workspace) = session::member(&workspace_id, WorkspaceRole::Viewer).await?;
            let store = store()?;
            let (before, after) = (store.org_map(&workspace_id, &baseline).await?, store.org_map(&workspace_id, &current).await?);
            let (before_analysis, after_analysis) = (before.analysis(), after.analysis());
            let review =
                compare(Side { categories: &before.categories, analysis: &before_analysis }, Side { categories: &after.categories, analysis: &after_analysis });
            Ok(MapReview { workspace, baseline: before.summary, current: after.summary, review })
        }
        .await,
    )
}

/// Creates a workspace holding the sample area, owned by the caller, and opens its map.
#[server(endpoint = "create_sample_workspace")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_sample_workspace() -> Result<(), AppError> {
    answer(
        async {
            let user = session::caller().await?;
            let store = store()?;
            let workspace_id = store.create_sample(&user.id, &crate::model::sample::sample_area(), today()).await?;
            let latest = store.org_maps(&workspace_id).await?.into_iter().next().ok_or(AppError::Internal)?;
            leptos_axum::redirect(&crate::paths::org_map(&workspace_id, &latest.id));
            Ok(())
        }
        .await,
    )
}

/// The organisation map as a spreadsheet: its name and bytes.
#[cfg(feature = "ssr")]
pub async fn org_map_file(workspace_id: WorkspaceId, map_id: OrgMapId) -> Result<(String, Vec<u8>), AppError> {
    session::member(&workspace_id, WorkspaceRole::Viewer).await?;
    let map = store()?.org_map(&workspace_id, &map_id).await?;
    let bytes = super::written("an organisation map", crate::sheets::write::org_map_workbook(&map))?;
    let title = format!("Organisation map - {} - {}", map.summary.details.area, map.summary.details.date);
    Ok((super::download_name(&title, "xlsx"), bytes))
}

/// The organisation map's implementation plan as a spreadsheet: its name and bytes.
#[cfg(feature = "ssr")]
pub async fn plan_file(workspace_id: WorkspaceId, map_id: OrgMapId) -> Result<(String, Vec<u8>), AppError> {
    session::member(&workspace_id, WorkspaceRole::Viewer).await?;
    let store = store()?;
    let (map, actions) = (store.org_map(&workspace_id, &map_id).await?, store.actions(&workspace_id, &map_id).await?);
    let bytes = super::written("a plan", crate::sheets::write::plan_workbook(&map, &actions))?;
    let title = format!("Implementation plan - {} - {}", map.summary.details.area, map.summary.details.date);
    Ok((super::download_name(&title, "xlsx"), bytes))
}
