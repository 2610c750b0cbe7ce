//! Role maps: the service's menu of functions, its roles and cells, each role's job description
//! edits.

use super::audit::record;
use super::codecs::{date_from, ids_from, ids_text};
use super::matrix::{Columns, ImportTarget, MatrixKind, RoleMaps, changed, check_frameworks};
use super::versioned::{Claim, Versioned, bump, claim};
use super::{Store, StoreError, WriteTx, new_id, now};
use crate::model::Current;
use crate::model::job_description::JobDescriptionEdits;
use crate::model::learning::RoleChoice;
use crate::model::role_map::{Involvement, Role, RoleDetails, RoleMap, RoleMapDetails, RoleMapSummary, default_menu};
use crate::model::{Change, Entity, FrameworkId, FunctionId};
use crate::model::{PersonId, RoleId, RoleMapId, WorkspaceId, record};

/// A role map row: id, organisation, date, frameworks, needed, version.
/// A role map's own row.
#[derive(sqlx::FromRow)]
struct MapRow {
    id: RoleMapId,
    organisation: String,
    map_date: String,
    frameworks: String,
    needed: String,
    version: i64,
}

const MAP_COLUMNS: &str = "id, organisation, map_date, frameworks, needed, version";

fn summary_from(row: MapRow, role_count: i64) -> Result<RoleMapSummary, StoreError> {
    let MapRow { id, organisation, map_date: date, frameworks, needed, version } = row;
    Ok(RoleMapSummary {
        id,
        details: RoleMapDetails { organisation, date: date_from(&date)? },
        frameworks: ids_from(&frameworks)?,
        needed: ids_from(&needed)?,
        role_count: role_count as usize,
        version,
    })
}

/// A role row: id, title, team, grade, hours, version, removed at.
/// A role as stored.
#[derive(sqlx::FromRow)]
struct RoleRow {
    id: RoleId,
    title: String,
    team: String,
    grade: String,
    hours: String,
    version: i64,
    removed_at: Option<String>,
}

const ROLE_COLUMNS: &str = "r.id, r.title, r.team, r.grade, r.hours, r.version, r.removed_at";

fn role_from(row: RoleRow) -> Role {
    let RoleRow { id, title, team, grade, hours, version, removed_at: _ } = row;
    Role { id, details: RoleDetails { title, team, grade, hours }, version }
}

impl Store {
    /// The role maps of a workspace, newest date first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn role_maps(&self, workspace_id: &WorkspaceId) -> Result<Vec<RoleMapSummary>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Listed {
            #[sqlx(flatten)]
            map: MapRow,
            role_count: i64,
        }
        let rows: Vec<Listed> = sqlx::query_as(
            "SELECT m.id, m.organisation, m.map_date, m.frameworks, m.needed, m.version,
                    (SELECT COUNT(*) FROM role_map_roles r WHERE r.map_id = m.id AND r.removed_at IS NULL) AS role_count
             FROM role_maps m WHERE m.workspace_id = $1 ORDER BY m.map_date DESC, m.created_at DESC",
        )
        .bind(workspace_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|row| summary_from(row.map, row.role_count)).collect()
    }

    /// Every role in use on the workspace's role maps, for an analysis to follow: by map, then
    /// in the map's order.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn role_choices(&self, workspace_id: &WorkspaceId) -> Result<Vec<RoleChoice>, StoreError> {
        let rows: Vec<(RoleMapId, RoleId, String, String, String)> = sqlx::query_as(
            "SELECT m.id, r.id, m.organisation, r.title, r.team FROM role_map_roles r JOIN role_maps m ON m.id = r.map_id
             WHERE m.workspace_id = $1 AND r.removed_at IS NULL ORDER BY m.organisation, m.created_at, r.position",
        )
        .bind(workspace_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(map_id, role_id, organisation, title, team)| RoleChoice { map_id, role_id, organisation, title, team }).collect())
    }

    /// Creates a role map over the given frameworks; its menu starts with the core functions.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_role_map(
        &self,
        workspace_id: &WorkspaceId,
        actor_id: &PersonId,
        details: &RoleMapDetails,
        frameworks: &[FrameworkId],
    ) -> Result<RoleMapId, StoreError> {
        let menu = default_menu(&self.categories_of(frameworks).await?);
        let mut tx = self.begin_write().await?;
        let id = insert_role_map(&mut tx, workspace_id, actor_id, details, frameworks, &menu).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A whole role map of the workspace: every function of its frameworks, the menu, the
    /// roles and the cells.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn role_map(&self, workspace_id: &WorkspaceId, map_id: &RoleMapId) -> Result<RoleMap, StoreError> {
        let mut summary = role_map_in(&self.pool, workspace_id, map_id).await?;
        let categories = self.categories_of(&summary.frameworks).await?;
        let rows: Vec<RoleRow> = sqlx::query_as(&format!("SELECT {ROLE_COLUMNS} FROM role_map_roles r WHERE r.map_id = $1 ORDER BY r.position, r.id"))
            .bind(map_id)
            .fetch_all(&self.pool)
            .await?;
        let (mut roles, mut removed) = (Vec::new(), Vec::new());
        for row in rows {
            match row.removed_at.clone() {
                None => roles.push(role_from(row)),
                Some(at) => removed.push((at, role_from(row))),
            }
        }
        // Newest removal first, so "undo" is at the top.
        removed.sort_by(|(a, _), (b, _)| b.cmp(a));
        let removed = removed.into_iter().map(|(_, role)| role).collect();
        let cells = RoleMaps::COLUMNS.cells(&self.pool, map_id).await?;
        summary.role_count = roles.len();
        Ok(RoleMap { summary, categories, roles, removed, cells })
    }

    /// Changes a role map's organisation or date, unless it changed since `expected_version`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_role_map(
        &self,
        workspace_id: &WorkspaceId,
        map_id: &RoleMapId,
        actor_id: &PersonId,
        expected_version: i64,
        details: &RoleMapDetails,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let current = stale_checked(&mut tx, workspace_id, map_id, expected_version).await?;
        sqlx::query("UPDATE role_maps SET organisation = $1, map_date = $2 WHERE id = $3")
            .bind(&details.organisation)
            .bind(details.date.to_string())
            .bind(map_id)
            .execute(&mut *tx.tx)
            .await?;
        let old = current.details;
        let fields: [(&'static str, String, String); 2] =
            [("organisation", old.organisation, details.organisation.clone()), ("date", old.date.to_string(), details.date.to_string())];
        record(&mut tx, workspace_id, actor_id, &changed(Entity::RoleMap, map_id, fields)).await?;
        tx.commit().await
    }

    /// Sets the functions the service needs, unless the map changed since `expected_version`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_menu(
        &self,
        workspace_id: &WorkspaceId,
        map_id: &RoleMapId,
        actor_id: &PersonId,
        expected_version: i64,
        needed: &[FunctionId],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let current = stale_checked(&mut tx, workspace_id, map_id, expected_version).await?;
        sqlx::query("UPDATE role_maps SET needed = $1 WHERE id = $2").bind(ids_text(needed)).bind(map_id).execute(&mut *tx.tx).await?;
        let fields = [("needed", ids_text(&current.needed), ids_text(needed))];
        record(&mut tx, workspace_id, actor_id, &changed(Entity::RoleMap, map_id, fields)).await?;
        tx.commit().await
    }

    /// Changes a role's details, unless someone changed the role since `expected_version`.
    #[allow(clippy::too_many_arguments)]
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_role(
        &self,
        workspace_id: &WorkspaceId,
        map_id: &RoleMapId,
        role_id: &RoleId,
        actor_id: &PersonId,
        expected_version: i64,
        details: &RoleDetails,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let current = role_at(&mut tx, workspace_id, map_id, role_id, expected_version).await?;
        sqlx::query("UPDATE role_map_roles SET title = $1, team = $2, grade = $3, hours = $4 WHERE id = $5")
            .bind(&details.title)
            .bind(&details.team)
            .bind(&details.grade)
            .bind(&details.hours)
            .bind(role_id)
            .execute(&mut *tx.tx)
            .await?;
        let old = current.details;
        let fields: [(&'static str, String, String); 4] = [
            ("title", old.title, details.title.clone()),
            ("team", old.team, details.team.clone()),
            ("grade", old.grade, details.grade.clone()),
            ("hours", old.hours, details.hours.clone()),
        ];
        record(&mut tx, workspace_id, actor_id, &changed(Entity::Role, role_id, fields)).await?;
        tx.commit().await
    }

    /// A role of a map, with the edits made to its job description.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn role_job_edits(&self, workspace_id: &WorkspaceId, map_id: &RoleMapId, role_id: &RoleId) -> Result<(Role, JobDescriptionEdits), StoreError> {
        #[derive(sqlx::FromRow)]
        struct WithEdits {
            #[sqlx(flatten)]
            role: RoleRow,
            job_edits: String,
        }
        let row: Option<WithEdits> = sqlx::query_as(&format!(
            "SELECT {ROLE_COLUMNS}, r.job_edits FROM role_map_roles r JOIN role_maps m ON m.id = r.map_id
             WHERE r.id = $1 AND r.map_id = $2 AND m.workspace_id = $3 AND r.removed_at IS NULL"
        ))
        .bind(role_id)
        .bind(map_id)
        .bind(workspace_id)
        .fetch_optional(&self.pool)
        .await?;
        let WithEdits { role, job_edits } = row.ok_or_else(|| StoreError::NotFound("The role"))?;
        let edits = serde_json::from_str(&job_edits).map_err(|e| StoreError::Inconsistent(format!("job description edits: {e}")))?;
        Ok((role_from(role), edits))
    }

    /// Keeps the edits made to a role's job description, unless the role changed since
    /// `expected_version`.
    #[allow(clippy::too_many_arguments)]
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn save_job_edits(
        &self,
        workspace_id: &WorkspaceId,
        map_id: &RoleMapId,
        role_id: &RoleId,
        actor_id: &PersonId,
        expected_version: i64,
        edits: &JobDescriptionEdits,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        role_at(&mut tx, workspace_id, map_id, role_id, expected_version).await?;
        let old: String = sqlx::query_scalar("SELECT job_edits FROM role_map_roles WHERE id = $1").bind(role_id).fetch_one(&mut *tx.tx).await?;
        let new = serde_json::to_string(edits).map_err(|e| StoreError::Inconsistent(e.to_string()))?;
        sqlx::query("UPDATE role_map_roles SET job_edits = $1 WHERE id = $2").bind(&new).bind(role_id).execute(&mut *tx.tx).await?;
        record(&mut tx, workspace_id, actor_id, &changed(Entity::Role, role_id, [("job description", old, new)])).await?;
        tx.commit().await
    }
}

pub(super) async fn insert_role_map(
    tx: &mut WriteTx,
    workspace_id: &WorkspaceId,
    actor_id: &PersonId,
    details: &RoleMapDetails,
    frameworks: &[FrameworkId],
    menu: &[FunctionId],
) -> Result<RoleMapId, StoreError> {
    check_frameworks(tx, workspace_id, frameworks).await?;
    let id = new_id();
    let list: Vec<&str> = frameworks.iter().map(FrameworkId::as_str).collect();
    sqlx::query(
        "INSERT INTO role_maps (id, workspace_id, organisation, map_date, frameworks, needed, version, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)",
    )
    .bind(&id)
    .bind(workspace_id)
    .bind(&details.organisation)
    .bind(details.date.to_string())
    .bind(list.join(" "))
    .bind(ids_text(menu))
    .bind(actor_id)
    .bind(now())
    .execute(&mut *tx.tx)
    .await?;
    let change = Change::new(Entity::RoleMap, &id, "organisation").to(format!("{} ({})", details.organisation, details.date));
    record(tx, workspace_id, actor_id, &[change]).await?;
    Ok(id)
}

/// A role of the map, claimed at `expected_version` for a change; unless it changed since:
/// then what it is now.
async fn role_at(tx: &mut WriteTx, workspace_id: &WorkspaceId, map_id: &RoleMapId, role_id: &RoleId, expected_version: i64) -> Result<Role, StoreError> {
    let claim = claim(tx, Versioned::Role, &[role_id], expected_version).await?;
    let (role, _) = role_in(tx, workspace_id, map_id, role_id).await?;
    if claim == Claim::Lost {
        return Err(Current::Role(role.details).into());
    }
    Ok(role)
}

pub(super) async fn insert_role(tx: &mut WriteTx, map_id: &RoleMapId, details: &RoleDetails) -> Result<RoleId, StoreError> {
    let position = RoleMaps::COLUMNS.next_position(tx, map_id).await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO role_map_roles (id, map_id, title, team, grade, hours, job_edits, position, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)",
    )
    .bind(&id)
    .bind(map_id)
    .bind(&details.title)
    .bind(&details.team)
    .bind(&details.grade)
    .bind(&details.hours)
    .bind(serde_json::to_string(&JobDescriptionEdits::default()).map_err(|e| StoreError::Inconsistent(e.to_string()))?)
    .bind(position)
    .execute(&mut *tx.tx)
    .await?;
    Ok(id)
}

/// A role map of the workspace, or "not found".
pub(super) async fn role_map_in<'e, E>(executor: E, workspace_id: &WorkspaceId, map_id: &RoleMapId) -> Result<RoleMapSummary, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row: MapRow = sqlx::query_as(&format!("SELECT {MAP_COLUMNS} FROM role_maps WHERE id = $1 AND workspace_id = $2"))
        .bind(map_id)
        .bind(workspace_id)
        .fetch_optional(executor)
        .await?
        .ok_or_else(|| StoreError::NotFound("The role map"))?;
    summary_from(row, 0)
}

/// The role map, claimed at `expected_version` for a change; unless it changed since.
async fn stale_checked(tx: &mut WriteTx, workspace_id: &WorkspaceId, map_id: &RoleMapId, expected_version: i64) -> Result<RoleMapSummary, StoreError> {
    let claim = claim(tx, Versioned::RoleMap, &[map_id], expected_version).await?;
    let current = role_map_in(&mut *tx.tx, workspace_id, map_id).await?;
    if claim == Claim::Lost {
        return Err(Current::RoleMap { needed: current.needed.len(), details: current.details }.into());
    }
    Ok(current)
}

/// A role of the map, and whether it has been removed; or "not found".
pub(super) async fn role_in(tx: &mut WriteTx, workspace_id: &WorkspaceId, map_id: &RoleMapId, role_id: &RoleId) -> Result<(Role, bool), StoreError> {
    let row: RoleRow = sqlx::query_as(&format!(
        "SELECT {ROLE_COLUMNS} FROM role_map_roles r JOIN role_maps m ON m.id = r.map_id
         WHERE r.id = $1 AND r.map_id = $2 AND m.workspace_id = $3"
    ))
    .bind(role_id)
    .bind(map_id)
    .bind(workspace_id)
    .fetch_optional(&mut *tx.tx)
    .await?
    .ok_or_else(|| StoreError::NotFound("The role"))?;
    let removed = row.removed_at.is_some();
    Ok((role_from(row), removed))
}

impl MatrixKind for RoleMaps {
    type Map = record::RoleMap;
    type Level = Involvement;
    type Column = RoleDetails;
    type Details = RoleMapDetails;
    const COLUMNS: Columns = Columns {
        table: "role_map_roles",
        cells: "role_map_cells",
        key: "role_id",
        noun: "The role",
        entity: Entity::Role,
        name_field: "title",
        versioned: Versioned::RoleCell,
    };

    async fn frameworks_of(tx: &mut WriteTx, workspace_id: &WorkspaceId, map_id: &RoleMapId) -> Result<Vec<FrameworkId>, StoreError> {
        Ok(role_map_in(&mut *tx.tx, workspace_id, map_id).await?.frameworks)
    }

    async fn column_in(tx: &mut WriteTx, workspace_id: &WorkspaceId, map_id: &RoleMapId, column_id: &RoleId) -> Result<(String, bool), StoreError> {
        let (role, removed) = role_in(tx, workspace_id, map_id, column_id).await?;
        Ok((role.details.title, removed))
    }

    async fn insert_column(tx: &mut WriteTx, map_id: &RoleMapId, column: &RoleDetails) -> Result<RoleId, StoreError> {
        insert_role(tx, map_id, column).await
    }

    fn name_of(column: &RoleDetails) -> &str {
        &column.title
    }

    fn imported(title: &str) -> RoleDetails {
        RoleDetails::imported(title)
    }

    /// The functions the file lists join the menu.
    async fn import_into(
        tx: &mut WriteTx,
        workspace_id: &WorkspaceId,
        actor_id: &PersonId,
        target: &ImportTarget<RoleMapDetails, record::RoleMap>,
        functions: &[FunctionId],
    ) -> Result<RoleMapId, StoreError> {
        let map_id = match target {
            ImportTarget::Existing(map_id) => map_id,
            ImportTarget::New { details, frameworks } => return insert_role_map(tx, workspace_id, actor_id, details, frameworks, functions).await,
        };
        let summary = role_map_in(&mut *tx.tx, workspace_id, map_id).await?;
        let mut needed = summary.needed.clone();
        needed.extend(functions.iter().filter(|f| !summary.needed.contains(f)).cloned());
        if needed.len() != summary.needed.len() {
            sqlx::query("UPDATE role_maps SET needed = $1 WHERE id = $2").bind(ids_text(&needed)).bind(map_id).execute(&mut *tx.tx).await?;
            bump(tx, Versioned::RoleMap, &[map_id]).await?;
            let change = Change::new(Entity::RoleMap, map_id, "menu").from(ids_text(&summary.needed)).to(ids_text(&needed));
            record(tx, workspace_id, actor_id, &[change]).await?;
        }
        Ok(summary.id)
    }
}
