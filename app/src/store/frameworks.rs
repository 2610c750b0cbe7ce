//! Frameworks, their categories and functions.

use super::audit::record;
use super::codecs::{parse, to_u32};
use super::versioned::{Claim, Versioned, claim};
use super::{AdvisoryLock, Store, StoreError, WriteTx};
use crate::model::Current;
use crate::model::{CareFunction, Category, Change, Entity, Framework, FrameworkId, FrameworkSummary, FunctionId, Refusal};
use crate::model::{PersonId, WorkspaceId};
use std::collections::HashSet;

/// Which frameworks a list shows besides the built-in ones, which everyone sees.
#[derive(Debug, Clone, Copy)]
pub enum Visible<'a> {
    BuiltInOnly,
    /// And the local frameworks of every workspace this user belongs to.
    ToUser(&'a str),
    /// And this workspace's local frameworks.
    InWorkspace(&'a str),
}

/// Where a framework comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameworkOwner {
    BuiltIn,
    /// A local framework, imported by this workspace.
    Workspace(WorkspaceId),
}

/// What loading the built-in frameworks changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FrameworkSync {
    pub installed: Vec<FrameworkId>,
    pub upgraded: Vec<FrameworkId>,
    pub unchanged: Vec<FrameworkId>,
}

impl Store {
    /// Stores each built-in framework that is missing or older than the given one, in one
    /// transaction. Safe to run from several instances at once: exactly one does the work.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn sync_builtin_frameworks(&self, frameworks: &[Framework]) -> Result<FrameworkSync, StoreError> {
        let mut tx = self.begin_write().await?;
        self.serialise(&mut tx, AdvisoryLock::Frameworks).await?;
        let mut report = FrameworkSync::default();
        for (sort_order, framework) in frameworks.iter().enumerate() {
            let stored: Option<i64> =
                sqlx::query_scalar("SELECT version FROM frameworks WHERE id = $1").bind(framework.id().as_str()).fetch_optional(&mut *tx.tx).await?;
            let id = framework.id().clone();
            match stored {
                Some(version) if version >= i64::from(framework.version()) => {
                    report.unchanged.push(id);
                    continue;
                }
                Some(_) => report.upgraded.push(id),
                None => report.installed.push(id),
            }
            replace_framework(&mut tx, framework, sort_order as i64, None).await?;
        }
        tx.commit().await?;
        Ok(report)
    }

    /// The frameworks `visible` allows, in display order (built-in first), with their counts.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn list_frameworks(&self, visible: Visible<'_>) -> Result<Vec<FrameworkSummary>, StoreError> {
        let (workspace, user) = match visible {
            Visible::BuiltInOnly => ("", ""),
            Visible::ToUser(user) => ("", user),
            Visible::InWorkspace(workspace) => (workspace, ""),
        };
        #[derive(sqlx::FromRow)]
        struct Listed {
            id: String,
            name: String,
            version: i64,
            description: String,
            category_count: i64,
            function_count: i64,
            workspace_id: Option<String>,
        }
        let rows: Vec<Listed> = sqlx::query_as(
            "SELECT f.id, f.name, f.version, f.description,
                    (SELECT COUNT(*) FROM framework_categories c WHERE c.framework_id = f.id) AS category_count,
                    (SELECT COUNT(*) FROM framework_functions x WHERE x.framework_id = f.id) AS function_count,
                    f.workspace_id
             FROM frameworks f
             WHERE f.workspace_id IS NULL OR f.workspace_id = $1
                OR f.workspace_id IN (SELECT m.workspace_id FROM memberships m WHERE m.user_id = $2)
             ORDER BY f.sort_order, f.name",
        )
        .bind(workspace)
        .bind(user)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|Listed { id, name, version, description, category_count: categories, function_count: functions, workspace_id: workspace }| {
                Ok(FrameworkSummary {
                    id: parse(id)?,
                    name,
                    version: to_u32(version)?,
                    description,
                    category_count: categories as usize,
                    function_count: functions as usize,
                    local: workspace.is_some(),
                })
            })
            .collect()
    }

    /// One framework with its categories and functions in order, or `None` if there is none
    /// with that id.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn framework(&self, id: &FrameworkId) -> Result<Option<Framework>, StoreError> {
        Ok(self.framework_and_owner(id).await?.map(|(framework, _)| framework))
    }

    /// One framework, as `framework` gives it, and who it belongs to.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn framework_and_owner(&self, id: &FrameworkId) -> Result<Option<(Framework, FrameworkOwner)>, StoreError> {
        let Some((name, version, description, workspace)): Option<(String, i64, String, Option<String>)> =
            sqlx::query_as("SELECT name, version, description, workspace_id FROM frameworks WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await?
        else {
            return Ok(None);
        };
        let category_rows: Vec<(String, String)> = sqlx::query_as("SELECT id, name FROM framework_categories WHERE framework_id = $1 ORDER BY position")
            .bind(id.as_str())
            .fetch_all(&self.pool)
            .await?;
        let function_rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT category_id, id, label, statement FROM framework_functions
             WHERE framework_id = $1 ORDER BY position",
        )
        .bind(id.as_str())
        .fetch_all(&self.pool)
        .await?;

        let mut categories = Vec::with_capacity(category_rows.len());
        for (category_id, category_name) in category_rows {
            let functions = function_rows
                .iter()
                .filter(|(owner, ..)| *owner == category_id)
                .map(|(_, function_id, label, statement)| {
                    Ok(CareFunction { id: parse(function_id.clone())?, label: label.clone(), statement: statement.clone() })
                })
                .collect::<Result<_, StoreError>>()?;
            categories.push(Category { id: parse(category_id)?, name: category_name, functions });
        }
        let framework =
            Framework::new(id.clone(), name, to_u32(version)?, description, categories).map_err(|error| StoreError::Inconsistent(error.to_string()))?;
        Ok(Some((framework, workspace.map_or(FrameworkOwner::BuiltIn, |id: String| FrameworkOwner::Workspace(id.into())))))
    }

    /// The function ids every framework but `except` uses.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn function_ids_outside(&self, except: &FrameworkId) -> Result<HashSet<FunctionId>, StoreError> {
        let ids: Vec<String> =
            sqlx::query_scalar("SELECT id FROM framework_functions WHERE framework_id <> $1").bind(except.as_str()).fetch_all(&self.pool).await?;
        ids.into_iter().map(parse).collect()
    }

    /// Stores a workspace's local framework: a new one (`replaces` none), or a new version of
    /// one it has, which must still be at version `replaces`. Audited.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn save_local_framework(
        &self,
        workspace_id: &WorkspaceId,
        actor_id: &PersonId,
        framework: &Framework,
        replaces: Option<u32>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let id = framework.id().as_str();
        let stored: Option<(i64, Option<String>, i64)> =
            sqlx::query_as("SELECT version, workspace_id, sort_order FROM frameworks WHERE id = $1").bind(id).fetch_optional(&mut *tx.tx).await?;
        let sort_order = match (stored, replaces) {
            (None, None) => {
                let last: Option<i64> = sqlx::query_scalar("SELECT MAX(sort_order) FROM frameworks").fetch_one(&mut *tx.tx).await?;
                last.unwrap_or(0) + 1
            }
            (Some((version, Some(owner), sort_order)), Some(expected)) if owner == workspace_id.as_str() => {
                if version != i64::from(expected) {
                    return Err(Current::Framework { version: u32::try_from(version).ok() }.into());
                }
                sort_order
            }
            (Some(_), None) => return Err(Refusal::FrameworkExists(framework.id().clone()).into()),
            _ => return Err(StoreError::NotFound("The framework")),
        };
        if replaces != Some(framework.version()) {
            if let Some(expected) = replaces
                && claim(&mut tx, Versioned::Framework, &[id], i64::from(expected)).await? == Claim::Lost
            {
                return Err(Current::Framework { version: None }.into());
            }
            replace_framework(&mut tx, framework, sort_order, Some(workspace_id)).await?;
            let from = replaces.map(|version| format!("version {version}"));
            let change = Change::new(Entity::Framework, id, "version").to(format!("version {}: {}", framework.version(), framework.name()));
            let change = match from {
                Some(from) => change.from(from),
                None => change,
            };
            record(&mut tx, workspace_id, actor_id, &[change]).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

async fn replace_framework(tx: &mut WriteTx, framework: &Framework, sort_order: i64, workspace_id: Option<&str>) -> Result<(), StoreError> {
    let id = framework.id().as_str();
    // Categories and functions go with the framework row (ON DELETE CASCADE).
    sqlx::query("DELETE FROM frameworks WHERE id = $1").bind(id).execute(&mut *tx.tx).await?;
    sqlx::query(
        "INSERT INTO frameworks (id, name, version, description, origin, sort_order, workspace_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(framework.name())
    .bind(i64::from(framework.version()))
    .bind(framework.description())
    .bind(if workspace_id.is_some() { "local" } else { "builtin" })
    .bind(sort_order)
    .bind(workspace_id)
    .execute(&mut *tx.tx)
    .await?;
    let mut function_position = 0_i64;
    for (category_position, category) in framework.categories().iter().enumerate() {
        sqlx::query("INSERT INTO framework_categories (framework_id, id, position, name) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(category.id.as_str())
            .bind(category_position as i64)
            .bind(&category.name)
            .execute(&mut *tx.tx)
            .await?;
        for function in &category.functions {
            sqlx::query(
                "INSERT INTO framework_functions (framework_id, id, category_id, position, label, statement)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(function.id.as_str())
            .bind(category.id.as_str())
            .bind(function_position)
            .bind(&function.label)
            .bind(&function.statement)
            .execute(&mut *tx.tx)
            .await?;
            function_position += 1;
        }
    }
    Ok(())
}
