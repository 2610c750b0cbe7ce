//! Learning and development: each workspace's analyses and their scopes, the learning needs
//! recorded in them, and the catalogue of learning activities.

use super::audit::record;
use super::codecs::parse;
use super::codecs::{date_from, ids_from, ids_text};
use super::matrix::check_frameworks;
use super::versioned::{Claim, Versioned, claim};
use super::{Store, StoreError, WriteTx, new_id, now};
use crate::model::Category;
use crate::model::Current;
use crate::model::catalogue::{ActivityDetails, ActivityKind, CatalogueActivity, examples};
use crate::model::learning::{AnalysisDetails, AnalysisLevel, AnalysisSummary, LearningAnalysis, learning_matrix_frameworks};
use crate::model::programme::{Activity, CatalogueEntry, Learner, Need, NeedStatus, Priority, rescope};
use crate::model::role_map::{Role, RoleMap};
use crate::model::{ActivityId, AnalysisId, PersonId, RoleId, WorkspaceId};
use crate::model::{CalendarDate, Change, Entity, FrameworkId, FunctionId, InputError, Pence, check_in_scope};
use std::collections::HashMap;

/// An analysis as stored.
#[derive(sqlx::FromRow)]
struct AnalysisRow {
    id: AnalysisId,
    scope_level: String,
    organisation: String,
    name: String,
    team: String,
    analysis_date: String,
    frameworks: String,
    scope: String,
    role_id: Option<RoleId>,
    version: i64,
}

const ANALYSIS_COLUMNS: &str = "a.id, a.scope_level, a.organisation, a.name, a.team, a.analysis_date, a.frameworks, a.scope, a.role_id, a.version";

fn analysis_from(row: AnalysisRow) -> Result<AnalysisSummary, StoreError> {
    let AnalysisRow { id, scope_level, organisation, name, team, analysis_date: date, frameworks, scope, role_id, version } = row;
    let level = AnalysisLevel::parse(&scope_level).map_err(|e| StoreError::Inconsistent(e.message))?;
    Ok(AnalysisSummary {
        id,
        details: AnalysisDetails { level, organisation, name, team, date: date_from(&date)? },
        frameworks: ids_from(&frameworks)?,
        scope: ids_from(&scope)?,
        role_id,
        version,
    })
}

/// A need as stored.
#[derive(sqlx::FromRow)]
struct NeedRow {
    analysis_id: AnalysisId,
    function_id: String,
    priority: String,
    need: String,
    activity_id: Option<ActivityId>,
    activity_text: String,
    comment: String,
    target: Option<String>,
    status: String,
    archived: i64,
    version: i64,
}

const NEED_COLUMNS: &str =
    "n.analysis_id, n.function_id, n.priority, n.need, n.activity_id, n.activity_text, n.comment, n.target, n.status, n.archived, n.version";

/// Needs with their versions, by analysis id.
type NeedsByAnalysis = HashMap<AnalysisId, Vec<(Need, i64)>>;

/// Adds each need read to its analysis's list.
fn group_by_analysis(rows: Vec<NeedRow>, needs: &mut NeedsByAnalysis) -> Result<(), StoreError> {
    for row in rows {
        let (analysis_id, need, version) = need_from(row)?;
        needs.entry(analysis_id).or_default().push((need, version));
    }
    Ok(())
}

fn need_from(row: NeedRow) -> Result<(AnalysisId, Need, i64), StoreError> {
    let NeedRow { analysis_id, function_id, priority, need, activity_id, activity_text, comment, target, status, archived, version } = row;
    let inconsistent = |e: InputError| StoreError::Inconsistent(e.message);
    let activity = match (activity_id, activity_text) {
        (Some(id), _) => Some(Activity::Catalogue(id)),
        (None, text) if text.is_empty() => None,
        (None, text) => Some(Activity::Described(text)),
    };
    let need = Need {
        function_id: parse(function_id)?,
        priority: Priority::parse(&priority).map_err(inconsistent)?,
        need,
        activity,
        comment,
        target: target.map(|t| CalendarDate::parse("target", &t)).transpose().map_err(inconsistent)?,
        status: NeedStatus::parse(&status).map_err(inconsistent)?,
        archived: archived == 1,
    };
    Ok((analysis_id, need, version))
}

/// A learning activity as stored.
#[derive(sqlx::FromRow)]
struct ActivityRow {
    id: ActivityId,
    title: String,
    kind: String,
    provider: String,
    duration: String,
    cost_pence: i64,
    functions: String,
    example: i64,
    version: i64,
}

fn activity_from(row: ActivityRow) -> Result<CatalogueActivity, StoreError> {
    let ActivityRow { id, title, kind, provider, duration, cost_pence: cost, functions, example, version } = row;
    let kind = ActivityKind::parse(&kind).map_err(|e| StoreError::Inconsistent(e.message))?;
    let functions = functions.split_whitespace().map(|id| parse(id.to_owned())).collect::<Result<Vec<FunctionId>, _>>()?;
    Ok(CatalogueActivity { id, details: ActivityDetails { title, kind, provider, duration, cost: Pence(cost), functions }, example: example == 1, version })
}

/// A workspace's learning matrix: the workspace's name, every analysis with its needs, the
/// default functions and the catalogue.
pub struct LearningMatrix {
    pub title: String,
    pub learners: Vec<Learner>,
    pub categories: Vec<Category>,
    pub catalogue: Vec<CatalogueEntry>,
}

impl Store {
    /// The workspace's analyses, in the order they were made.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn analyses(&self, workspace_id: &WorkspaceId) -> Result<Vec<AnalysisSummary>, StoreError> {
        let rows: Vec<AnalysisRow> =
            sqlx::query_as(&format!("SELECT {ANALYSIS_COLUMNS} FROM learning_analyses a WHERE a.workspace_id = $1 ORDER BY a.created_at, a.id"))
                .bind(workspace_id)
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(analysis_from).collect()
    }

    /// A learning analysis of the workspace, with every function of its frameworks.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn learning_analysis(&self, workspace_id: &WorkspaceId, analysis_id: &AnalysisId) -> Result<LearningAnalysis, StoreError> {
        let row: Option<AnalysisRow> = sqlx::query_as(&format!("SELECT {ANALYSIS_COLUMNS} FROM learning_analyses a WHERE a.id = $1 AND a.workspace_id = $2"))
            .bind(analysis_id)
            .bind(workspace_id)
            .fetch_optional(&self.pool)
            .await?;
        let summary = analysis_from(row.ok_or_else(|| StoreError::NotFound("The learning analysis"))?)?;
        let categories = self.categories_of(&summary.frameworks).await?;
        Ok(LearningAnalysis { summary, categories })
    }

    /// Starts a learning and development analysis covering `scope`, following `role` (a role
    /// of a role map of the workspace) if given.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_analysis(
        &self,
        workspace_id: &WorkspaceId,
        actor_id: &PersonId,
        details: &AnalysisDetails,
        frameworks: &[FrameworkId],
        scope: &[FunctionId],
        role: Option<(&RoleMap, &Role)>,
    ) -> Result<AnalysisId, StoreError> {
        let mut tx = self.begin_write().await?;
        if let Some((map, role)) = role {
            super::role_maps::role_in(&mut tx, workspace_id, &map.summary.id, &role.id).await?;
        }
        let id = insert_analysis(&mut tx, workspace_id, actor_id, details, frameworks, scope, role.map(|(_, role)| &role.id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes what an analysis covers, unless it changed since `expected_version`: needs
    /// outside the new scope are archived, and archived needs back inside it return. Answers
    /// how many needs were archived.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_analysis_scope(
        &self,
        workspace_id: &WorkspaceId,
        analysis_id: &AnalysisId,
        actor_id: &PersonId,
        expected_version: i64,
        scope: &[FunctionId],
    ) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        let claim = claim(&mut tx, Versioned::LearningAnalysis, &[analysis_id], expected_version).await?;
        let current: Option<String> = sqlx::query_scalar("SELECT scope FROM learning_analyses WHERE id = $1 AND workspace_id = $2")
            .bind(analysis_id)
            .bind(workspace_id)
            .fetch_optional(&mut *tx.tx)
            .await?;
        let old_scope = current.ok_or_else(|| StoreError::NotFound("The learning analysis"))?;
        if claim == Claim::Lost {
            return Err(Current::Scope { functions: old_scope.split_whitespace().count() }.into());
        }
        let archived = move_scope(&mut tx, analysis_id, scope).await?;
        let change = Change::new(Entity::LearningAnalysis, analysis_id, "scope").from(old_scope).to(ids_text(scope));
        record(&mut tx, workspace_id, actor_id, &[change]).await?;
        tx.commit().await?;
        Ok(archived)
    }

    /// A workspace's catalogue, in the order the activities were added.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn catalogue(&self, workspace_id: &WorkspaceId) -> Result<Vec<CatalogueActivity>, StoreError> {
        let rows: Vec<ActivityRow> = sqlx::query_as(
            "SELECT id, title, kind, provider, duration, cost_pence, functions, example, version
             FROM learning_activities WHERE workspace_id = $1 ORDER BY created_at, id",
        )
        .bind(workspace_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(activity_from).collect()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_activity(&self, workspace_id: &WorkspaceId, actor_id: &PersonId, details: &ActivityDetails) -> Result<ActivityId, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = insert_activity(&mut tx, workspace_id, details, false).await?;
        record(&mut tx, workspace_id, actor_id, &[Change::new(Entity::LearningActivity, &id, "title").to(&details.title)]).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds to the catalogue the examples it lacks (by title), as for a workspace made before
    /// there were examples; answers how many were added.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_example_activities(&self, workspace_id: &WorkspaceId, actor_id: &PersonId) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        let titles: Vec<String> =
            sqlx::query_scalar("SELECT title FROM learning_activities WHERE workspace_id = $1").bind(workspace_id).fetch_all(&mut *tx.tx).await?;
        let added = insert_example_activities(&mut tx, workspace_id, &titles).await?;
        if added > 0 {
            record(&mut tx, workspace_id, actor_id, &[Change::new(Entity::LearningActivity, "examples", "count").to(added.to_string())]).await?;
        }
        tx.commit().await?;
        Ok(added)
    }
}

impl Store {
    /// The needs recorded for an analysis of the workspace, each with its version.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn needs(&self, workspace_id: &WorkspaceId, analysis_id: &AnalysisId) -> Result<Vec<(Need, i64)>, StoreError> {
        let rows: Vec<NeedRow> = sqlx::query_as(&format!(
            "SELECT {NEED_COLUMNS} FROM learning_needs n JOIN learning_analyses a ON a.id = n.analysis_id
             WHERE n.analysis_id = $1 AND a.workspace_id = $2 ORDER BY n.function_id"
        ))
        .bind(analysis_id)
        .bind(workspace_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|row| need_from(row).map(|(_, need, version)| (need, version))).collect()
    }

    /// Records one function's need, unless it changed since `expected_version` (0 for none
    /// yet). The function must be in the analysis's scope. Answers the new version.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_need(
        &self,
        workspace_id: &WorkspaceId,
        analysis_id: &AnalysisId,
        actor_id: &PersonId,
        expected_version: i64,
        need: &Need,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let version = write_need(&mut tx, workspace_id, analysis_id, actor_id, expected_version, need).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Moves an analysis to another role, as when a person's role changes: its scope becomes
    /// `scope` (the new role's), needs outside it are archived (kept, not counted) and archived
    /// needs back inside it return. Answers how many needs were archived.
    #[allow(clippy::too_many_arguments)]
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn change_analysis_role(
        &self,
        workspace_id: &WorkspaceId,
        analysis_id: &AnalysisId,
        actor_id: &PersonId,
        expected_version: i64,
        map: &RoleMap,
        role: &Role,
        scope: &[FunctionId],
    ) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        super::role_maps::role_in(&mut tx, workspace_id, &map.summary.id, &role.id).await?;
        let claim = claim(&mut tx, Versioned::LearningAnalysis, &[analysis_id], expected_version).await?;
        let current: Option<(Option<String>,)> = sqlx::query_as(
            "SELECT r.title FROM learning_analyses a LEFT JOIN role_map_roles r ON r.id = a.role_id
             WHERE a.id = $1 AND a.workspace_id = $2",
        )
        .bind(analysis_id)
        .bind(workspace_id)
        .fetch_optional(&mut *tx.tx)
        .await?;
        let (old_role,) = current.ok_or(StoreError::NotFound("The learning analysis"))?;
        let old_role = old_role.unwrap_or_default();
        if claim == Claim::Lost {
            return Err(Current::FollowedRole(old_role).into());
        }
        let archived = move_scope(&mut tx, analysis_id, scope).await?;
        // The new role's map may list other frameworks: the analysis takes them, so that its
        // scope stays within its own functions.
        let frameworks: Vec<&str> = map.summary.frameworks.iter().map(FrameworkId::as_str).collect();
        sqlx::query("UPDATE learning_analyses SET role_id = $1, frameworks = $2 WHERE id = $3")
            .bind(&role.id)
            .bind(frameworks.join(" "))
            .bind(analysis_id)
            .execute(&mut *tx.tx)
            .await?;
        let change = Change::new(Entity::LearningAnalysis, analysis_id, "role").from(old_role).to(&role.details.title);
        record(&mut tx, workspace_id, actor_id, &[change]).await?;
        tx.commit().await?;
        Ok(archived)
    }

    /// The needs of the given analyses of the workspace, by analysis, read in a few queries
    /// however many analyses there are.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn needs_of(&self, workspace_id: &WorkspaceId, analysis_ids: &[&str]) -> Result<NeedsByAnalysis, StoreError> {
        let mut needs = NeedsByAnalysis::new();
        // Both databases take this many parameters in one statement with room to spare.
        for ids in analysis_ids.chunks(500) {
            let placeholders: Vec<String> = (2..ids.len() + 2).map(|n| format!("${n}")).collect();
            let sql = format!(
                "SELECT {NEED_COLUMNS} FROM learning_needs n JOIN learning_analyses a ON a.id = n.analysis_id
                 WHERE a.workspace_id = $1 AND n.analysis_id IN ({}) ORDER BY n.function_id",
                placeholders.join(", ")
            );
            let rows: Vec<NeedRow> = ids.iter().fold(sqlx::query_as(&sql).bind(workspace_id), |query, id| query.bind(*id)).fetch_all(&self.pool).await?;
            group_by_analysis(rows, &mut needs)?;
        }
        Ok(needs)
    }

    /// Every need of the workspace's analyses with its version, by analysis.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn needs_by_analysis(&self, workspace_id: &WorkspaceId) -> Result<NeedsByAnalysis, StoreError> {
        let rows: Vec<NeedRow> =
            sqlx::query_as(&format!("SELECT {NEED_COLUMNS} FROM learning_needs n JOIN learning_analyses a ON a.id = n.analysis_id WHERE a.workspace_id = $1"))
                .bind(workspace_id)
                .fetch_all(&self.pool)
                .await?;
        let mut needs = NeedsByAnalysis::new();
        group_by_analysis(rows, &mut needs)?;
        Ok(needs)
    }

    /// What a workspace's learning matrix shows.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn learning_matrix(&self, workspace_id: &WorkspaceId) -> Result<LearningMatrix, StoreError> {
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM workspaces WHERE id = $1").bind(workspace_id).fetch_optional(&self.pool).await?;
        let name = name.ok_or(StoreError::NotFound("The workspace"))?;
        let categories = self.categories_of(&learning_matrix_frameworks(&self.analyses(workspace_id).await?)).await?;
        let catalogue =
            self.catalogue(workspace_id).await?.into_iter().map(|a| CatalogueEntry { id: a.id, title: a.details.title, cost: a.details.cost }).collect();
        Ok(LearningMatrix { title: name, learners: self.learners(workspace_id).await?, categories, catalogue })
    }

    /// Every analysis of the workspace with its needs, as the learning programme reads them.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn learners(&self, workspace_id: &WorkspaceId) -> Result<Vec<Learner>, StoreError> {
        let analyses: Vec<(AnalysisId, String, String, Option<String>)> = sqlx::query_as(
            "SELECT a.id, a.name, a.team, r.title FROM learning_analyses a LEFT JOIN role_map_roles r ON r.id = a.role_id
             WHERE a.workspace_id = $1 ORDER BY a.created_at, a.id",
        )
        .bind(workspace_id)
        .fetch_all(&self.pool)
        .await?;
        let rows: Vec<NeedRow> = sqlx::query_as(&format!(
            "SELECT {NEED_COLUMNS} FROM learning_needs n JOIN learning_analyses a ON a.id = n.analysis_id
             WHERE a.workspace_id = $1"
        ))
        .bind(workspace_id)
        .fetch_all(&self.pool)
        .await?;
        let mut learners: Vec<Learner> = Vec::with_capacity(analyses.len());
        let mut index = HashMap::new();
        for (id, name, team, role) in analyses {
            index.insert(id.clone(), learners.len());
            learners.push(Learner { id, name, team, role: role.unwrap_or_default(), needs: Vec::new() });
        }
        for row in rows {
            let (analysis_id, need, _) = need_from(row)?;
            if let Some(&position) = index.get(&analysis_id) {
                learners[position].needs.push(need);
            }
        }
        Ok(learners)
    }
}

/// Adds an analysis within `tx`; answers its id.
pub(super) async fn insert_analysis(
    tx: &mut WriteTx,
    workspace_id: &WorkspaceId,
    actor_id: &PersonId,
    details: &AnalysisDetails,
    frameworks: &[FrameworkId],
    scope: &[FunctionId],
    role_id: Option<&RoleId>,
) -> Result<AnalysisId, StoreError> {
    check_frameworks(tx, workspace_id, frameworks).await?;
    let id = new_id();
    let frameworks: Vec<&str> = frameworks.iter().map(FrameworkId::as_str).collect();
    sqlx::query(
        "INSERT INTO learning_analyses (id, workspace_id, scope_level, organisation, name, team, analysis_date, frameworks,
                                        scope, role_id, version, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12)",
    )
    .bind(&id)
    .bind(workspace_id)
    .bind(details.level.as_str())
    .bind(&details.organisation)
    .bind(&details.name)
    .bind(&details.team)
    .bind(details.date.to_string())
    .bind(frameworks.join(" "))
    .bind(ids_text(scope))
    .bind(role_id)
    .bind(actor_id)
    .bind(now())
    .execute(&mut *tx.tx)
    .await?;
    let name = format!("{}: {}", details.level.label(), details.name);
    record(tx, workspace_id, actor_id, &[Change::new(Entity::LearningAnalysis, &id, "name").to(name)]).await?;
    Ok(id)
}

/// Writes one function's need within `tx`, as `Store::set_need` describes.
pub(super) async fn write_need(
    tx: &mut WriteTx,
    workspace_id: &WorkspaceId,
    analysis_id: &AnalysisId,
    actor_id: &PersonId,
    expected_version: i64,
    need: &Need,
) -> Result<i64, StoreError> {
    let scope: Option<String> = sqlx::query_scalar("SELECT scope FROM learning_analyses WHERE id = $1 AND workspace_id = $2")
        .bind(analysis_id)
        .bind(workspace_id)
        .fetch_optional(&mut *tx.tx)
        .await?;
    let scope = scope.ok_or(StoreError::NotFound("The learning analysis"))?;
    check_in_scope(&ids_from(&scope)?, &need.function_id)?;
    // A first need is a conditional insert and a later one a claimed update: either way, of
    // several editors who saw the same version exactly one writes.
    let function_id = need.function_id.as_str();
    let taken = if expected_version == 0 {
        let sql = format!(
            "INSERT INTO learning_needs (analysis_id, function_id, priority, need, activity_id, activity_text, comment, target,
                                         status, archived, version) VALUES {} ON CONFLICT (analysis_id, function_id) DO NOTHING",
            super::value_rows(1, 9, ", 0, 1")
        );
        bind_need(sqlx::query(&sql), analysis_id, need).execute(&mut *tx.tx).await?.rows_affected() == 1
    } else {
        claim(tx, Versioned::Need, &[analysis_id, function_id], expected_version).await? == Claim::Taken
    };
    let current: Option<(String, String)> = sqlx::query_as("SELECT priority, status FROM learning_needs WHERE analysis_id = $1 AND function_id = $2")
        .bind(analysis_id)
        .bind(function_id)
        .fetch_optional(&mut *tx.tx)
        .await?;
    if !taken {
        let (priority, status) = current.unwrap_or_default();
        return Err(Current::Need { priority, status }.into());
    }
    let mut change = need_change(analysis_id, need);
    if expected_version > 0 {
        let (priority, status) = current.unwrap_or_default();
        change = change.from(need_summary(&priority, &status));
        bind_need(
            sqlx::query(
                "UPDATE learning_needs SET priority = $3, need = $4, activity_id = $5, activity_text = $6, comment = $7,
                        target = $8, status = $9
                 WHERE analysis_id = $1 AND function_id = $2",
            ),
            analysis_id,
            need,
        )
        .execute(&mut *tx.tx)
        .await?;
    }
    record(tx, workspace_id, actor_id, &[change]).await?;
    Ok(expected_version + 1)
}

/// Writes the needs of an analysis made in this same transaction, many rows at a time: none
/// can be there already, or be stale. Each is audited as `write_need` audits it.
pub(super) async fn insert_new_needs(
    tx: &mut WriteTx,
    workspace_id: &WorkspaceId,
    analysis_id: &AnalysisId,
    actor_id: &PersonId,
    needs: &[&Need],
) -> Result<(), StoreError> {
    for chunk in needs.chunks(super::ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO learning_needs (analysis_id, function_id, priority, need, activity_id, activity_text, comment, target,
                                         status, archived, version) VALUES {}",
            super::value_rows(chunk.len(), 9, ", 0, 1")
        );
        let mut query = sqlx::query(&sql);
        for need in chunk {
            query = bind_need(query, analysis_id, need);
        }
        query.execute(&mut *tx.tx).await?;
    }
    let changes: Vec<Change> = needs.iter().map(|need| need_change(analysis_id, need)).collect();
    record(tx, workspace_id, actor_id, &changes).await
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds a need's nine stored columns, in the order the INSERTs name them. Its activity is a
/// catalogue activity's id, or words.
fn bind_need<'q>(query: AnyQuery<'q>, analysis_id: &'q str, need: &'q Need) -> AnyQuery<'q> {
    let (activity_id, activity_text) = match &need.activity {
        Some(Activity::Catalogue(id)) => (Some(id.as_str()), ""),
        Some(Activity::Described(text)) => (None, text.as_str()),
        None => (None, ""),
    };
    query
        .bind(analysis_id)
        .bind(need.function_id.as_str())
        .bind(need.priority.as_str())
        .bind(&need.need)
        .bind(activity_id)
        .bind(activity_text)
        .bind(&need.comment)
        .bind(need.target.map(|t| t.to_string()))
        .bind(need.status.as_str())
}

/// The audit entry of a need written as `need`.
fn need_change(analysis_id: &AnalysisId, need: &Need) -> Change {
    Change::new(Entity::LearningNeed, format!("{analysis_id}/{}", need.function_id), "need").to(need_summary(need.priority.as_str(), need.status.as_str()))
}

fn need_summary(priority: &str, status: &str) -> String {
    format!("priority {priority}, {status}")
}

/// Moves an analysis to `scope`, archiving the needs outside it and bringing back archived ones
/// inside it; answers how many were archived.
async fn move_scope(tx: &mut WriteTx, analysis_id: &AnalysisId, scope: &[FunctionId]) -> Result<usize, StoreError> {
    let rows: Vec<NeedRow> =
        sqlx::query_as(&format!("SELECT {NEED_COLUMNS} FROM learning_needs n WHERE n.analysis_id = $1")).bind(analysis_id).fetch_all(&mut *tx.tx).await?;
    let mut needs = rows.into_iter().map(|row| need_from(row).map(|(_, need, _)| need)).collect::<Result<Vec<_>, _>>()?;
    let before: Vec<bool> = needs.iter().map(|need| need.archived).collect();
    let archived = rescope(&mut needs, scope);
    for (need, _) in needs.iter().zip(before).filter(|(need, was)| need.archived != *was) {
        sqlx::query("UPDATE learning_needs SET archived = $1 WHERE analysis_id = $2 AND function_id = $3")
            .bind(i64::from(need.archived))
            .bind(analysis_id)
            .bind(need.function_id.as_str())
            .execute(&mut *tx.tx)
            .await?;
    }
    sqlx::query("UPDATE learning_analyses SET scope = $1 WHERE id = $2").bind(ids_text(scope)).bind(analysis_id).execute(&mut *tx.tx).await?;
    Ok(archived)
}

async fn insert_activity(tx: &mut WriteTx, workspace_id: &WorkspaceId, details: &ActivityDetails, example: bool) -> Result<ActivityId, StoreError> {
    let id = new_id();
    let functions: Vec<&str> = details.functions.iter().map(FunctionId::as_str).collect();
    sqlx::query(
        "INSERT INTO learning_activities (id, workspace_id, title, kind, provider, duration, cost_pence, functions, example,
                                          version, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10)",
    )
    .bind(&id)
    .bind(workspace_id)
    .bind(&details.title)
    .bind(details.kind.as_str())
    .bind(&details.provider)
    .bind(&details.duration)
    .bind(details.cost.0)
    .bind(functions.join(" "))
    .bind(i64::from(example))
    .bind(now())
    .execute(&mut *tx.tx)
    .await?;
    Ok(id)
}

/// Adds the example activities whose titles are not in `present` to a workspace's catalogue,
/// against the functions stored now; answers how many were added.
pub(super) async fn insert_example_activities(tx: &mut WriteTx, workspace_id: &WorkspaceId, present: &[String]) -> Result<usize, StoreError> {
    let known: Vec<String> = sqlx::query_scalar("SELECT id FROM framework_functions").fetch_all(&mut *tx.tx).await?;
    let known = known.into_iter().map(parse).collect::<Result<Vec<FunctionId>, _>>()?;
    let mut added = 0;
    for details in examples(&known).into_iter().filter(|details| !present.contains(&details.title)) {
        insert_activity(tx, workspace_id, &details, true).await?;
        added += 1;
    }
    Ok(added)
}
