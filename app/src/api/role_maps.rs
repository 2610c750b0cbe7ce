//! Role maps: the service's menu, its roles and cells, job descriptions, and planning learning
//! for a role.

use super::AppError;
use crate::model::FrameworkSummary;
use crate::model::job_description::{JobDescription, JobDescriptionText};
use crate::model::role_map::{Role, RoleCellValue, RoleMap, RoleMapSummary};
use crate::model::{CalendarDate, WorkspaceSummary};
use crate::model::{RoleId, RoleMapId, WorkspaceId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::matrix,
    super::today,
    super::{answer, session, store},
    crate::model::job_description::JobDescriptionEdits,
    crate::model::learning::{AnalysisDetails, FollowedRole},
    crate::model::org_map::parse_framework_list,
    crate::model::role_map::{RoleDetails, RoleMapDetails, parse_menu},
    crate::model::{User, WorkspaceRole},
    crate::store::{RoleMaps, Visible},
};

/// A workspace's role maps, and the frameworks a new one can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleMapList {
    pub workspace: WorkspaceSummary,
    pub maps: Vec<RoleMapSummary>,
    pub frameworks: Vec<FrameworkSummary>,
    pub today: CalendarDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleMapView {
    pub workspace: WorkspaceSummary,
    pub map: RoleMap,
    /// For "printed on".
    pub today: CalendarDate,
}

/// A role's job description: as composed with its edits, and its editable text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobDescriptionView {
    pub workspace: WorkspaceSummary,
    pub map: RoleMapSummary,
    pub role: Role,
    pub description: JobDescription,
    pub text: JobDescriptionText,
    /// Which parts hold people's edits rather than generated text.
    pub edited: Vec<String>,
}

#[server(endpoint = "list_role_maps")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_role_maps(workspace_id: WorkspaceId) -> Result<RoleMapList, AppError> {
    answer(
        async {
            let (_, workspace) = session::member(&workspace_id, WorkspaceRole::Viewer).await?;
            let store = store()?;
            let (maps, frameworks) = (store.role_maps(&workspace_id).await?, store.list_frameworks(Visible::InWorkspace(&workspace_id)).await?);
            Ok(RoleMapList { workspace, maps, frameworks, today: today() })
        }
        .await,
    )
}

/// Creates a role map and opens it.
#[server(endpoint = "create_role_map")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_role_map(workspace_id: WorkspaceId, organisation: String, date: String, frameworks: String) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let details = RoleMapDetails::parse(&organisation, &date)?;
            let frameworks = parse_framework_list(&frameworks)?;
            let id = store()?.create_role_map(&workspace_id, &user.id, &details, &frameworks).await?;
            leptos_axum::redirect(&crate::paths::role_map(&workspace_id, &id));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "get_role_map")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_role_map(workspace_id: WorkspaceId, map_id: RoleMapId) -> Result<RoleMapView, AppError> {
    answer(
        async {
            let (_, workspace) = session::member(&workspace_id, WorkspaceRole::Viewer).await?;
            Ok(RoleMapView { workspace, map: store()?.role_map(&workspace_id, &map_id).await?, today: today() })
        }
        .await,
    )
}

#[server(endpoint = "update_role_map")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn update_role_map(workspace_id: WorkspaceId, map_id: RoleMapId, version: i64, organisation: String, date: String) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let details = RoleMapDetails::parse(&organisation, &date)?;
            Ok(store()?.update_role_map(&workspace_id, &map_id, &user.id, version, &details).await?)
        }
        .await,
    )
}

/// Sets the functions the service needs: `needed` is their ids, separated by spaces.
#[server(endpoint = "set_role_menu")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn set_role_menu(workspace_id: WorkspaceId, map_id: RoleMapId, version: i64, needed: String) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let store = store()?;
            let map = store.role_map(&workspace_id, &map_id).await?;
            let needed = parse_menu(&needed, &map.categories)?;
            Ok(store.set_menu(&workspace_id, &map_id, &user.id, version, &needed).await?)
        }
        .await,
    )
}

#[server(endpoint = "add_role")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn add_role(workspace_id: WorkspaceId, map_id: RoleMapId, title: String, team: String, grade: String, hours: String) -> Result<RoleId, AppError> {
    matrix::add_column::<RoleMaps>(&workspace_id, &map_id, RoleDetails::parse(&title, &team, &grade, &hours)).await
}

#[server(endpoint = "update_role")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
#[allow(clippy::too_many_arguments)]
pub async fn update_role(
    workspace_id: WorkspaceId,
    map_id: RoleMapId,
    role_id: RoleId,
    version: i64,
    title: String,
    team: String,
    grade: String,
    hours: String,
) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let details = RoleDetails::parse(&title, &team, &grade, &hours)?;
            Ok(store()?.update_role(&workspace_id, &map_id, &role_id, &user.id, version, &details).await?)
        }
        .await,
    )
}

/// Moves a role one column `left` or `right`.
#[server(endpoint = "move_role")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn move_role(workspace_id: WorkspaceId, map_id: RoleMapId, role_id: RoleId, direction: String) -> Result<(), AppError> {
    matrix::move_column::<RoleMaps>(&workspace_id, &map_id, &role_id, &direction).await
}

/// Takes a role off the map; `restore_role` puts it back.
#[server(endpoint = "remove_role")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn remove_role(workspace_id: WorkspaceId, map_id: RoleMapId, role_id: RoleId) -> Result<(), AppError> {
    matrix::set_removed::<RoleMaps>(&workspace_id, &map_id, &role_id, true).await
}

#[server(endpoint = "restore_role")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn restore_role(workspace_id: WorkspaceId, map_id: RoleMapId, role_id: RoleId) -> Result<(), AppError> {
    matrix::set_removed::<RoleMaps>(&workspace_id, &map_id, &role_id, false).await
}

/// Sets one role's involvement in one function, given the version the editor saw.
#[server(endpoint = "set_role_cell")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
#[allow(clippy::too_many_arguments)]
pub async fn set_role_cell(
    workspace_id: WorkspaceId,
    map_id: RoleMapId,
    role_id: RoleId,
    function_id: String,
    version: i64,
    level: String,
    note: String,
) -> Result<RoleCellValue, AppError> {
    matrix::set_cell::<RoleMaps>(&workspace_id, &map_id, &role_id, &function_id, version, &level, &note).await
}

/// The role map, the role and its job description as generated (no edits) and as edited.
#[cfg(feature = "ssr")]
async fn job_description_parts(
    workspace_id: &WorkspaceId,
    map_id: &RoleMapId,
    role_id: &RoleId,
    needed: WorkspaceRole,
) -> Result<(User, WorkspaceSummary, RoleMap, Role, JobDescriptionEdits), AppError> {
    let (user, workspace) = session::member(workspace_id, needed).await?;
    let store = store()?;
    let map = store.role_map(workspace_id, map_id).await?;
    let (role, edits) = store.role_job_edits(workspace_id, map_id, role_id).await?;
    Ok((user, workspace, map, role, edits))
}

#[server(endpoint = "get_job_description")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_job_description(workspace_id: WorkspaceId, map_id: RoleMapId, role_id: RoleId) -> Result<JobDescriptionView, AppError> {
    answer(
        async {
            let (_, workspace, map, role, edits) = job_description_parts(&workspace_id, &map_id, &role_id, WorkspaceRole::Viewer).await?;
            let description = map.job_description(&role, &edits);
            let edited = [
                ("purpose", edits.purpose.is_some()),
                ("person specification", edits.person_specification.is_some()),
                ("interview questions", !edits.interview_questions.is_empty()),
                ("advert", edits.advert.is_some()),
            ]
            .into_iter()
            .filter(|(_, edited)| *edited)
            .map(|(part, _)| part.to_owned())
            .collect();
            let text = JobDescriptionText::of(&description);
            Ok(JobDescriptionView { workspace, map: map.summary, role, description, text, edited })
        }
        .await,
    )
}

/// Keeps what differs from the generated text as the role's edits. Blank fields go back to the
/// generated text.
#[server(endpoint = "save_job_description")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
#[allow(clippy::too_many_arguments)]
pub async fn save_job_description(
    workspace_id: WorkspaceId,
    map_id: RoleMapId,
    role_id: RoleId,
    version: i64,
    purpose: String,
    person_specification: String,
    questions: String,
    advert: String,
) -> Result<(), AppError> {
    answer(
        async {
            let (user, _, map, role, _) = job_description_parts(&workspace_id, &map_id, &role_id, WorkspaceRole::Editor).await?;
            let generated = map.job_description(&role, &JobDescriptionEdits::default());
            let text = JobDescriptionText { purpose, person_specification, questions, advert };
            let edits = JobDescriptionEdits::from_text(&generated, &text)?;
            Ok(store()?.save_job_edits(&workspace_id, &map_id, &role_id, &user.id, version, &edits).await?)
        }
        .await,
    )
}

/// The job description as a Word file: its name and bytes.
#[cfg(feature = "ssr")]
pub async fn job_description_file(workspace_id: WorkspaceId, map_id: RoleMapId, role_id: RoleId) -> Result<(String, Vec<u8>), AppError> {
    let (_, _, map, role, edits) = job_description_parts(&workspace_id, &map_id, &role_id, WorkspaceRole::Viewer).await?;
    let description = map.job_description(&role, &edits);
    let title = format!("Job description - {}", role.details.title);
    let bytes = super::written("a job description", crate::export::docx::write(&title, &description.document()))?;
    Ok((super::download_name(&title, "docx"), bytes))
}

/// The role map as a spreadsheet: its name and bytes.
#[cfg(feature = "ssr")]
pub async fn role_map_file(workspace_id: WorkspaceId, map_id: RoleMapId) -> Result<(String, Vec<u8>), AppError> {
    session::member(&workspace_id, WorkspaceRole::Viewer).await?;
    let map = store()?.role_map(&workspace_id, &map_id).await?;
    let bytes = super::written("a role map", crate::sheets::write::role_map_workbook(&map))?;
    let title = format!("Role map - {} - {}", map.summary.details.organisation, map.summary.details.date);
    Ok((super::download_name(&title, "xlsx"), bytes))
}

/// Starts a learning and development analysis for a role, scoped to the functions it leads or
/// supports and the core functions, and opens it.
#[server(endpoint = "plan_role_learning")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn plan_role_learning(workspace_id: WorkspaceId, map_id: RoleMapId, role_id: RoleId) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let store = store()?;
            let map = store.role_map(&workspace_id, &map_id).await?;
            let role = map.role(&role_id).ok_or_else(|| AppError::NotFound("The role".into()))?;
            let scope = map.learning_scope(&role.id);
            let followed = FollowedRole::on(&map, role);
            let details = AnalysisDetails::of_role(&followed, today())?;
            let id = store.create_analysis(&workspace_id, &user.id, &details, &map.summary.frameworks, &scope, Some((&map, role))).await?;
            leptos_axum::redirect(&crate::paths::analysis(&workspace_id, &id));
            Ok(())
        }
        .await,
    )
}
