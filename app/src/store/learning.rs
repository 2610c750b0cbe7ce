//! The learning activity catalogue of each workspace, and the learning needs of its analyses.

use super::accounts::record;
use super::frameworks::parse;
use super::{Store, StoreError, WriteTx, new_id, now};
use crate::model::catalogue::{ActivityDetails, ActivityKind, CatalogueActivity, examples};
use crate::model::programme::{Activity, Learner, Need, NeedStatus, Priority, rescope};
use crate::model::role_map::{Role, RoleMap};
use crate::model::{CalendarDate, Change, FunctionId, InputError, Pence};

/// A need row: analysis, function, priority, need, activity id, activity text, comment, target,
/// status, archived, version.
type NeedRow = (String, String, String, String, Option<String>, String, String, Option<String>, String, i64, i64);

const NEED_COLUMNS: &str =
    "n.analysis_id, n.function_id, n.priority, n.need, n.activity_id, n.activity_text, n.comment, n.target, n.status, n.archived, n.version";

fn need_from(row: NeedRow) -> Result<(String, Need, i64), StoreError> {
    let (analysis_id, function_id, priority, need, activity_id, activity_text, comment, target, status, archived, version) = row;
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

/// An activity row: id, title, kind, provider, duration, cost, functions, example, version.
type ActivityRow = (String, String, String, String, String, i64, String, i64, i64);

fn activity_from((id, title, kind, provider, duration, cost, functions, example, version): ActivityRow) -> Result<CatalogueActivity, StoreError> {
    let kind = ActivityKind::parse(&kind).map_err(|e| StoreError::Inconsistent(e.message))?;
    let functions = functions.split_whitespace().map(|id| parse(id.to_owned())).collect::<Result<Vec<FunctionId>, _>>()?;
    Ok(CatalogueActivity {
        id,
        details: ActivityDetails { title, kind, provider, duration, cost: Pence(cost), functions },
        example: example == 1,
        version,
    })
}

impl Store {
    /// A workspace's catalogue, in the order the activities were added.
    pub async fn catalogue(&self, workspace_id: &str) -> Result<Vec<CatalogueActivity>, StoreError> {
        let rows: Vec<ActivityRow> = sqlx::query_as(
            "SELECT id, title, kind, provider, duration, cost_pence, functions, example, version
             FROM learning_activities WHERE workspace_id = $1 ORDER BY created_at, id",
        )
        .bind(workspace_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(activity_from).collect()
    }

    pub async fn add_activity(&self, workspace_id: &str, actor_id: &str, details: &ActivityDetails) -> Result<String, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = insert_activity(&mut tx, workspace_id, details, false).await?;
        record(&mut tx, workspace_id, actor_id, &[Change::new("learning activity", &id, "title").to(&details.title)]).await?;
        tx.commit().await?;
        Ok(id)
    }
}

impl Store {
    /// The needs recorded for an analysis of the workspace, each with its version.
    pub async fn needs(&self, workspace_id: &str, analysis_id: &str) -> Result<Vec<(Need, i64)>, StoreError> {
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
    pub async fn set_need(
        &self,
        workspace_id: &str,
        analysis_id: &str,
        actor_id: &str,
        expected_version: i64,
        need: &Need,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let scope: Option<String> = sqlx::query_scalar("SELECT scope FROM learning_analyses WHERE id = $1 AND workspace_id = $2")
            .bind(analysis_id)
            .bind(workspace_id)
            .fetch_optional(&mut *tx.tx)
            .await?;
        let scope = scope.ok_or(StoreError::NotFound("The learning analysis"))?;
        if !scope.split_whitespace().any(|id| id == need.function_id.as_str()) {
            return Err(StoreError::Rule(format!("{} is not in this analysis's scope.", need.function_id)));
        }
        let current: Option<(String, String, i64)> = sqlx::query_as(
            "SELECT priority, status, version FROM learning_needs WHERE analysis_id = $1 AND function_id = $2",
        )
        .bind(analysis_id)
        .bind(need.function_id.as_str())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let version = current.as_ref().map_or(0, |(_, _, version)| *version);
        if version != expected_version {
            let (priority, status, _) = current.unwrap_or_default();
            return Err(StoreError::Stale { current: format!("priority {priority}, {status}") });
        }
        let (activity_id, activity_text) = match &need.activity {
            Some(Activity::Catalogue(id)) => (Some(id.as_str()), ""),
            Some(Activity::Described(text)) => (None, text.as_str()),
            None => (None, ""),
        };
        // Written only from the version read, so a concurrent edit on another instance makes
        // this one stale rather than lost. One upsert serves a first need and a later edit: the
        // update applies only while the stored version is the one read.
        let written = sqlx::query(
            "INSERT INTO learning_needs (analysis_id, function_id, priority, need, activity_id, activity_text, comment, target,
                                         status, archived, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10 + 1)
             ON CONFLICT (analysis_id, function_id) DO UPDATE SET
                 priority = excluded.priority, need = excluded.need, activity_id = excluded.activity_id,
                 activity_text = excluded.activity_text, comment = excluded.comment, target = excluded.target,
                 status = excluded.status, version = excluded.version
             WHERE learning_needs.version = $10",
        )
        .bind(analysis_id)
        .bind(need.function_id.as_str())
        .bind(need.priority.as_str())
        .bind(&need.need)
        .bind(activity_id)
        .bind(activity_text)
        .bind(&need.comment)
        .bind(need.target.map(|t| t.to_string()))
        .bind(need.status.as_str())
        .bind(version)
        .execute(&mut *tx.tx)
        .await?;
        if written.rows_affected() == 0 {
            return Err(StoreError::Stale { current: "changed by someone else just now".into() });
        }
        let entity = format!("{analysis_id}/{}", need.function_id);
        let summary = format!("priority {}, {}", need.priority.as_str(), need.status.as_str());
        let mut change = Change::new("learning need", &entity, "need").to(summary);
        if let Some((priority, status, _)) = current {
            change = change.from(format!("priority {priority}, {status}"));
        }
        record(&mut tx, workspace_id, actor_id, &[change]).await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// Moves an analysis to another role, as when a person's role changes: its scope becomes
    /// `scope` (the new role's), needs outside it are archived (kept, not counted) and archived
    /// needs back inside it return. Answers how many needs were archived.
    pub async fn change_analysis_role(
        &self,
        workspace_id: &str,
        analysis_id: &str,
        actor_id: &str,
        map: &RoleMap,
        role: &Role,
        scope: &[FunctionId],
    ) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        super::role_maps::role_in(&mut tx, workspace_id, &map.summary.id, &role.id).await?;
        let old_role: Option<(Option<String>,)> = sqlx::query_as(
            "SELECT r.title FROM learning_analyses a LEFT JOIN role_map_roles r ON r.id = a.role_id WHERE a.id = $1 AND a.workspace_id = $2",
        )
        .bind(analysis_id)
        .bind(workspace_id)
        .fetch_optional(&mut *tx.tx)
        .await?;
        let (old_role,) = old_role.ok_or(StoreError::NotFound("The learning analysis"))?;
        let rows: Vec<NeedRow> = sqlx::query_as(&format!("SELECT {NEED_COLUMNS} FROM learning_needs n WHERE n.analysis_id = $1"))
            .bind(analysis_id)
            .fetch_all(&mut *tx.tx)
            .await?;
        let mut needs = rows.into_iter().map(|row| need_from(row).map(|(_, need, _)| need)).collect::<Result<Vec<_>, _>>()?;
        let archived = rescope(&mut needs, scope);
        for need in &needs {
            sqlx::query("UPDATE learning_needs SET archived = $1 WHERE analysis_id = $2 AND function_id = $3")
                .bind(i64::from(need.archived))
                .bind(analysis_id)
                .bind(need.function_id.as_str())
                .execute(&mut *tx.tx)
                .await?;
        }
        let scope_text: Vec<&str> = scope.iter().map(FunctionId::as_str).collect();
        sqlx::query("UPDATE learning_analyses SET role_id = $1, scope = $2, version = version + 1 WHERE id = $3")
            .bind(&role.id)
            .bind(scope_text.join(" "))
            .bind(analysis_id)
            .execute(&mut *tx.tx)
            .await?;
        let change = Change::new("learning analysis", analysis_id, "role").from(old_role.unwrap_or_default()).to(&role.details.title);
        record(&mut tx, workspace_id, actor_id, &[change]).await?;
        tx.commit().await?;
        Ok(archived)
    }

    /// Every analysis of the workspace with its needs, as the learning programme reads them.
    pub async fn learners(&self, workspace_id: &str) -> Result<Vec<Learner>, StoreError> {
        let analyses: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
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
        let mut index = std::collections::HashMap::new();
        for (id, name, team, role) in analyses {
            index.insert(id, learners.len());
            learners.push(Learner { name, team, role: role.unwrap_or_default(), needs: Vec::new() });
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

async fn insert_activity(tx: &mut WriteTx, workspace_id: &str, details: &ActivityDetails, example: bool) -> Result<String, StoreError> {
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

/// Starts a new workspace's catalogue with the examples, against the functions stored now.
pub(super) async fn insert_example_activities(tx: &mut WriteTx, workspace_id: &str) -> Result<(), StoreError> {
    let known: Vec<String> = sqlx::query_scalar("SELECT id FROM framework_functions").fetch_all(&mut *tx.tx).await?;
    let known = known.into_iter().map(parse).collect::<Result<Vec<FunctionId>, _>>()?;
    for details in examples(&known) {
        insert_activity(tx, workspace_id, &details, true).await?;
    }
    Ok(())
}
