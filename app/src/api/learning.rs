//! Learning and development: analyses at every level and their scopes, the needs recorded in
//! them (one analysis at a time, or a whole team at once), the activity catalogue, and the
//! programme they roll up into.

use super::AppError;
use crate::model::catalogue::CatalogueActivity;
use crate::model::learning::{AnalysisSummary, LearningAnalysis, RoleChoice};
use crate::model::programme::{Programme, ProgrammeFilter, Progress, StoredNeed};
use crate::model::team_grid::TeamMember;
use crate::model::{ActivityId, AnalysisId, WorkspaceId};
use crate::model::{CalendarDate, Category, FrameworkSummary, WorkspaceSummary};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::today,
    super::{answer, session, store},
    crate::model::catalogue::ActivityDetails,
    crate::model::learning::{AnalysisDetails, FollowedRole, default_scope, frameworks_used, parse_scope},
    crate::model::org_map::parse_framework_list,
    crate::model::programme::{CatalogueEntry, Need, NeedStatus, Priority, roll_up},
    crate::model::role_map::{Role, RoleMap},
    crate::model::team_grid::{needs_in_scope, team_grid, team_members, teams_of},
    crate::model::{FrameworkId, FunctionId, WorkspaceRole},
    crate::store::{LearningMatrix, Store, Visible},
};

/// An analysis in the workspace's list, with how far its open needs are met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalysisItem {
    pub summary: AnalysisSummary,
    /// The title of the role it follows, if any.
    pub role: String,
    pub progress: Progress,
}

/// The workspace's analyses, and what a new one can follow or cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearningList {
    pub workspace: WorkspaceSummary,
    pub analyses: Vec<AnalysisItem>,
    pub roles: Vec<RoleChoice>,
    pub frameworks: Vec<FrameworkSummary>,
    /// The teams people's analyses belong to, for the team grids.
    pub teams: Vec<String>,
    pub today: CalendarDate,
}

/// One analysis with its needs: one per function in scope (blank where nothing is recorded),
/// then the archived ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearningView {
    pub workspace: WorkspaceSummary,
    pub analysis: LearningAnalysis,
    pub needs: Vec<StoredNeed>,
    pub archived: Vec<StoredNeed>,
    pub catalogue: Vec<CatalogueActivity>,
    pub roles: Vec<RoleChoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueView {
    pub workspace: WorkspaceSummary,
    pub activities: Vec<CatalogueActivity>,
    /// Every function an activity can address.
    pub categories: Vec<Category>,
}

/// The programme under a filter, with what the filter can choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeView {
    pub workspace: WorkspaceSummary,
    pub programme: Programme,
    /// The analysis behind each of the programme's learners, in the same order.
    pub learner_ids: Vec<AnalysisId>,
    pub categories: Vec<Category>,
    pub filter: ProgrammeFilter,
    pub teams: Vec<String>,
    pub roles: Vec<String>,
}

/// The people of one team across, the functions any of them covers down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamNeedsView {
    pub workspace: WorkspaceSummary,
    pub team: String,
    pub teams: Vec<String>,
    pub people: Vec<TeamMember>,
    pub categories: Vec<Category>,
    pub catalogue: Vec<CatalogueActivity>,
    /// For the printed grid's "printed on".
    pub today: CalendarDate,
}

/// The categories of every framework the analyses use, each framework once.
#[cfg(feature = "ssr")]
async fn categories_of_analyses(store: &Store, analyses: &[AnalysisSummary]) -> Result<Vec<Category>, AppError> {
    Ok(store.categories_of(&frameworks_used(analyses)).await?)
}

/// The categories of every framework the workspace can use: what a catalogue activity can
/// address.
#[cfg(feature = "ssr")]
async fn every_category(store: &Store, workspace_id: &WorkspaceId) -> Result<Vec<Category>, AppError> {
    let frameworks: Vec<FrameworkId> = store.list_frameworks(Visible::InWorkspace(workspace_id)).await?.into_iter().map(|f| f.id).collect();
    Ok(store.categories_of(&frameworks).await?)
}

/// A role chosen on a form as "MAP/ROLE", with its map.
#[cfg(feature = "ssr")]
async fn chosen_role(store: &Store, workspace_id: &WorkspaceId, key: &str) -> Result<(RoleMap, Role), AppError> {
    let invalid = || AppError::Invalid { field: "role".into(), message: "Choose a role from one of the role maps.".into() };
    let (map_id, role_id) = key.split_once('/').ok_or_else(invalid)?;
    let map = store.role_map(workspace_id, &map_id.into()).await?;
    let role = map.role(&role_id.into()).cloned().ok_or_else(invalid)?;
    Ok((map, role))
}

#[server(endpoint = "list_learning")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_learning(workspace_id: WorkspaceId) -> Result<LearningList, AppError> {
    answer(
        async {
            let (_, workspace) = session::member(&workspace_id, WorkspaceRole::Viewer).await?;
            let store = store()?;
            let summaries = store.analyses(&workspace_id).await?;
            let learners = store.learners(&workspace_id).await?;
            let categories = categories_of_analyses(&store, &summaries).await?;
            let programme = roll_up(&learners, &[], &categories, &ProgrammeFilter::default());
            let roles = store.role_choices(&workspace_id).await?;
            let teams = teams_of(&summaries);
            let analyses = summaries
                .into_iter()
                .map(|summary| {
                    let progress = learners.iter().position(|l| l.id == summary.id).map(|index| programme.per_person[index].clone()).unwrap_or(Progress {
                        name: summary.details.name.clone(),
                        done: 0,
                        total: 0,
                    });
                    let role = learners.iter().find(|l| l.id == summary.id).map(|l| l.role.clone()).unwrap_or_default();
                    AnalysisItem { summary, role, progress }
                })
                .collect();
            Ok(LearningList {
                workspace,
                analyses,
                roles,
                frameworks: store.list_frameworks(Visible::InWorkspace(&workspace_id)).await?,
                teams,
                today: today(),
            })
        }
        .await,
    )
}

/// Starts an analysis and opens it. Following a role (`role` is "MAP/ROLE"), it covers the
/// role's functions and the core functions, over the role map's frameworks, and takes the
/// map's organisation and the role's team where those are left blank; otherwise it covers the
/// core functions of the chosen frameworks, ready for its scope to be edited.
#[server(endpoint = "create_analysis")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
#[allow(clippy::too_many_arguments)]
pub async fn create_analysis(
    workspace_id: WorkspaceId,
    level: String,
    organisation: String,
    name: String,
    team: String,
    date: String,
    role: String,
    frameworks: String,
) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let store = store()?;
            let id = if role.trim().is_empty() {
                let details = AnalysisDetails::parse(&level, &organisation, &name, &team, &date)?;
                let frameworks = parse_framework_list(&frameworks)?;
                let scope = default_scope(&store.categories_of(&frameworks).await?);
                store.create_analysis(&workspace_id, &user.id, &details, &frameworks, &scope, None).await?
            } else {
                let (map, role) = chosen_role(&store, &workspace_id, role.trim()).await?;
                let followed = FollowedRole::on(&map, &role);
                let details = AnalysisDetails::following_role(&level, &organisation, &name, &team, &date, &followed)?;
                let scope = map.learning_scope(&role.id);
                store.create_analysis(&workspace_id, &user.id, &details, &map.summary.frameworks, &scope, Some((&map, &role))).await?
            };
            leptos_axum::redirect(&crate::paths::analysis(&workspace_id, &id));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "get_learning_analysis")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_learning_analysis(workspace_id: WorkspaceId, analysis_id: AnalysisId) -> Result<LearningView, AppError> {
    answer(
        async {
            let (_, workspace) = session::member(&workspace_id, WorkspaceRole::Viewer).await?;
            let store = store()?;
            let analysis = store.learning_analysis(&workspace_id, &analysis_id).await?;
            let (needs, archived) = needs_in_scope(&analysis.summary.scope, store.needs(&workspace_id, &analysis_id).await?);
            let (catalogue, roles) = (store.catalogue(&workspace_id).await?, store.role_choices(&workspace_id).await?);
            Ok(LearningView { workspace, analysis, needs, archived, catalogue, roles })
        }
        .await,
    )
}

/// Sets the functions an analysis covers (`scope`: ids separated by spaces). Needs outside it
/// are archived; answers how many.
#[server(endpoint = "set_learning_scope")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn set_learning_scope(workspace_id: WorkspaceId, analysis_id: AnalysisId, version: i64, scope: String) -> Result<usize, AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let store = store()?;
            let analysis = store.learning_analysis(&workspace_id, &analysis_id).await?;
            let scope = parse_scope(&scope, &analysis.categories)?;
            Ok(store.set_analysis_scope(&workspace_id, &analysis_id, &user.id, version, &scope).await?)
        }
        .await,
    )
}

/// Moves an analysis to another role (`role`: "MAP/ROLE"), as when a person's role changes:
/// its scope becomes the new role's, and needs outside it are archived. Answers how many.
#[server(endpoint = "change_learning_role")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn change_learning_role(workspace_id: WorkspaceId, analysis_id: AnalysisId, version: i64, role: String) -> Result<usize, AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let store = store()?;
            let (map, role) = chosen_role(&store, &workspace_id, role.trim()).await?;
            let scope = map.learning_scope(&role.id);
            Ok(store.change_analysis_role(&workspace_id, &analysis_id, &user.id, version, &map, &role, &scope).await?)
        }
        .await,
    )
}

/// Records one function's need; `activity` is a catalogue activity's id or blank, `described`
/// an activity in words. Answers the need as stored.
#[server(endpoint = "set_need")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
#[allow(clippy::too_many_arguments)]
pub async fn set_need(
    workspace_id: WorkspaceId,
    analysis_id: AnalysisId,
    function_id: String,
    version: i64,
    priority: String,
    need: String,
    activity: String,
    described: String,
    comment: String,
    target: String,
    status: String,
) -> Result<StoredNeed, AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let store = store()?;
            let function_id: FunctionId =
                function_id.parse().map_err(|_| AppError::Invalid { field: "function_id".into(), message: "That is not a function's id.".into() })?;
            let catalogue: Vec<ActivityId> = store.catalogue(&workspace_id).await?.into_iter().map(|a| a.id).collect();
            let need = Need::parse(function_id, &priority, &need, &activity, &described, &comment, &target, &status, &catalogue)?;
            let version = store.set_need(&workspace_id, &analysis_id, &user.id, version, &need).await?;
            Ok(StoredNeed { need, version })
        }
        .await,
    )
}

#[server(endpoint = "get_catalogue")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_catalogue(workspace_id: WorkspaceId) -> Result<CatalogueView, AppError> {
    answer(
        async {
            let (_, workspace) = session::member(&workspace_id, WorkspaceRole::Viewer).await?;
            let store = store()?;
            let categories = every_category(&store, &workspace_id).await?;
            Ok(CatalogueView { workspace, activities: store.catalogue(&workspace_id).await?, categories })
        }
        .await,
    )
}

/// Adds an activity to the catalogue; `functions` is the ids it addresses, separated by spaces.
#[server(endpoint = "add_catalogue_activity")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
#[allow(clippy::too_many_arguments)]
pub async fn add_catalogue_activity(
    workspace_id: WorkspaceId,
    title: String,
    kind: String,
    provider: String,
    duration: String,
    cost: String,
    functions: String,
) -> Result<ActivityId, AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            let store = store()?;
            let known: Vec<FunctionId> = every_category(&store, &workspace_id).await?.into_iter().flat_map(|c| c.functions).map(|f| f.id).collect();
            let details = ActivityDetails::parse(&title, &kind, &provider, &duration, &cost, &functions, &known)?;
            Ok(store.add_activity(&workspace_id, &user.id, &details).await?)
        }
        .await,
    )
}

/// Adds the guide's example activities the catalogue lacks; answers how many.
#[server(endpoint = "add_example_activities")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn add_example_activities(workspace_id: WorkspaceId) -> Result<usize, AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Editor).await?;
            Ok(store()?.add_example_activities(&workspace_id, &user.id).await?)
        }
        .await,
    )
}

/// The learning programme across the workspace's analyses; blank filters count everything.
#[server(endpoint = "get_programme")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_programme(workspace_id: WorkspaceId, team: String, role: String, priority: String, status: String) -> Result<ProgrammeView, AppError> {
    answer(
        async {
            let (_, workspace) = session::member(&workspace_id, WorkspaceRole::Viewer).await?;
            let given = |text: String| (!text.trim().is_empty()).then(|| text.trim().to_owned());
            let filter = ProgrammeFilter {
                team: given(team),
                role: given(role),
                priority: given(priority).map(|p| Priority::parse(&p)).transpose()?,
                status: given(status).map(|s| NeedStatus::parse(&s)).transpose()?,
            };
            let (programme, learners, categories) = programme_of(&store()?, &workspace_id, &filter).await?;
            let mut teams: Vec<String> = Vec::new();
            let mut roles: Vec<String> = Vec::new();
            for learner in &learners {
                for (list, value) in [(&mut teams, &learner.team), (&mut roles, &learner.role)] {
                    if !value.is_empty() && !list.contains(value) {
                        list.push(value.clone());
                    }
                }
            }
            let learner_ids = learners.into_iter().map(|l| l.id).collect();
            Ok(ProgrammeView { workspace, programme, learner_ids, categories, filter, teams, roles })
        }
        .await,
    )
}

/// The workspace's programme under `filter`, with the learners and categories behind it.
#[cfg(feature = "ssr")]
async fn programme_of(
    store: &Store,
    workspace_id: &WorkspaceId,
    filter: &ProgrammeFilter,
) -> Result<(Programme, Vec<crate::model::programme::Learner>, Vec<Category>), AppError> {
    let analyses = store.analyses(workspace_id).await?;
    let categories = categories_of_analyses(store, &analyses).await?;
    let learners = store.learners(workspace_id).await?;
    let catalogue: Vec<CatalogueEntry> =
        store.catalogue(workspace_id).await?.into_iter().map(|a| CatalogueEntry { id: a.id, title: a.details.title, cost: a.details.cost }).collect();
    let programme = roll_up(&learners, &catalogue, &categories, filter);
    Ok((programme, learners, categories))
}

/// The whole learning programme as a spreadsheet: its name and bytes.
#[cfg(feature = "ssr")]
pub async fn programme_file(workspace_id: WorkspaceId) -> Result<(String, Vec<u8>), AppError> {
    let (_, workspace) = session::member(&workspace_id, WorkspaceRole::Viewer).await?;
    let (programme, _, categories) = programme_of(&store()?, &workspace_id, &ProgrammeFilter::default()).await?;
    let bytes = super::written("a programme", crate::sheets::write::programme_workbook(&workspace.name, &programme, &categories))?;
    Ok((super::download_name(&format!("Learning programme - {}", workspace.name), "xlsx"), bytes))
}

/// A team's named people and their needs, for entering them as a grid; a blank team is the
/// first team there is.
#[server(endpoint = "get_team_needs")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_team_needs(workspace_id: WorkspaceId, team: String) -> Result<TeamNeedsView, AppError> {
    answer(
        async {
            let (_, workspace) = session::member(&workspace_id, WorkspaceRole::Viewer).await?;
            let store = store()?;
            let analyses = store.analyses(&workspace_id).await?;
            let teams = teams_of(&analyses);
            let (team, members) = team_members(analyses, &team, &teams);
            let all = categories_of_analyses(&store, &members).await?;
            let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
            let needs = store.needs_of(&workspace_id, &ids).await?;
            let (people, categories) = team_grid(members, needs, &all);
            Ok(TeamNeedsView { workspace, team, teams, people, categories, catalogue: store.catalogue(&workspace_id).await?, today: today() })
        }
        .await,
    )
}

/// The workspace's learning needs as a spreadsheet: its name and bytes. Writing it streams, off
/// the async runtime, however many people there are.
#[cfg(feature = "ssr")]
pub async fn learning_matrix_file(workspace_id: WorkspaceId) -> Result<(String, Vec<u8>), AppError> {
    session::member(&workspace_id, WorkspaceRole::Viewer).await?;
    let LearningMatrix { title, learners, categories, catalogue } = store()?.learning_matrix(&workspace_id).await?;
    let name = super::download_name(&format!("Learning matrix - {title}"), "xlsx");
    let written =
        tokio::task::spawn_blocking(move || crate::sheets::write::learning_workbook(&title, &learners, &categories, &catalogue)).await.map_err(|error| {
            tracing::error!(%error, "writing a learning matrix stopped");
            AppError::Internal
        })?;
    Ok((name, super::written("a learning matrix", written)?))
}
