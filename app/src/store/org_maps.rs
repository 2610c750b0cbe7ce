//! Organisation maps: their organisations, cells and implementation plans.

use super::audit::record;
use super::codecs::{date_from, ids_from, parse, to_u32};
use super::matrix::{Columns, ImportTarget, MatrixKind, OrgMaps, changed, check_frameworks};
use super::versioned::{Claim, Versioned, claim};
use super::{Store, StoreError, WriteTx, new_id, now};
use crate::model::Current;
use crate::model::org_map::{ActionDetails, ActionStatus, MapDetails, OrgMap, OrgMapSummary, Organisation, OrganisationDetails, PlanAction, Provision, Sector};
use crate::model::{ActionId, OrgMapId, OrganisationId, PersonId, WorkspaceId, record};
use crate::model::{CalendarDate, Category, Change, Entity, FrameworkId, FunctionId, Pence};

/// A map row: id, area, date, frameworks, threshold, copied from, version.
/// A map's own row.
#[derive(sqlx::FromRow)]
struct MapRow {
    id: OrgMapId,
    area: String,
    map_date: String,
    frameworks: String,
    threshold: i64,
    copied_from: Option<String>,
    version: i64,
}

const MAP_COLUMNS: &str = "id, area, map_date, frameworks, threshold, copied_from, version";

fn summary_from(row: MapRow, organisation_count: i64) -> Result<OrgMapSummary, StoreError> {
    let MapRow { id, area, map_date: date, frameworks, threshold, copied_from, version } = row;
    let date = date_from(&date)?;
    Ok(OrgMapSummary {
        id,
        details: MapDetails { area, date, threshold: to_u32(threshold)? },
        frameworks: ids_from(&frameworks)?,
        organisation_count: organisation_count as usize,
        copied_from,
        version,
    })
}

/// An organisation as stored.
#[derive(sqlx::FromRow)]
struct OrganisationRow {
    id: OrganisationId,
    name: String,
    sector: String,
    locality: String,
    website: String,
    contact: String,
    version: i64,
    removed_at: Option<String>,
}

const ORGANISATION_COLUMNS: &str = "o.id, o.name, o.sector, o.locality, o.website, o.contact, o.version, o.removed_at";

fn organisation_from(row: OrganisationRow) -> Result<Organisation, StoreError> {
    let OrganisationRow { id, name, sector, locality, website, contact, version, removed_at: _ } = row;
    let sector = Sector::parse(&sector).map_err(|e| StoreError::Inconsistent(e.message))?;
    Ok(Organisation { id, details: OrganisationDetails { name, sector, locality, website, contact }, version })
}

/// A plan action as stored.
#[derive(sqlx::FromRow)]
struct ActionRow {
    id: ActionId,
    function_id: String,
    what: String,
    with_whom: String,
    how: String,
    cost_pence: i64,
    due: Option<String>,
    communication: String,
    risks: String,
    status: String,
    version: i64,
}

const ACTION_COLUMNS: &str = "a.id, a.function_id, a.what, a.with_whom, a.how, a.cost_pence, a.due, a.communication, \
     a.risks, a.status, a.version";

fn action_from(row: ActionRow) -> Result<PlanAction, StoreError> {
    let ActionRow { id, function_id, what, with_whom, how, cost_pence: cost, due, communication, risks, status, version } = row;
    let inconsistent = |e: crate::model::InputError| StoreError::Inconsistent(e.message);
    Ok(PlanAction {
        id,
        details: ActionDetails {
            function_id: parse(function_id)?,
            what,
            with_whom,
            how,
            cost: Pence(cost),
            due: due.map(|d| CalendarDate::parse("due", &d)).transpose().map_err(inconsistent)?,
            communication,
            risks,
            status: ActionStatus::parse(&status).map_err(inconsistent)?,
        },
        version,
    })
}

impl Store {
    /// The maps of a workspace, newest date first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn org_maps(&self, workspace_id: &WorkspaceId) -> Result<Vec<OrgMapSummary>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Listed {
            #[sqlx(flatten)]
            map: MapRow,
            organisation_count: i64,
        }
        let rows: Vec<Listed> = sqlx::query_as(
            "SELECT m.id, m.area, m.map_date, m.frameworks, m.threshold, m.copied_from, m.version,
                    (SELECT COUNT(*) FROM org_map_organisations o WHERE o.map_id = m.id AND o.removed_at IS NULL) AS organisation_count
             FROM org_maps m WHERE m.workspace_id = $1 ORDER BY m.map_date DESC, m.created_at DESC",
        )
        .bind(workspace_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|row| summary_from(row.map, row.organisation_count)).collect()
    }

    /// Creates an empty map over the given frameworks, which must exist.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_org_map(
        &self,
        workspace_id: &WorkspaceId,
        actor_id: &PersonId,
        details: &MapDetails,
        frameworks: &[FrameworkId],
    ) -> Result<OrgMapId, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = insert_map(&mut tx, workspace_id, actor_id, details, frameworks, None).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A whole map of the workspace: its functions, organisations and cells.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn org_map(&self, workspace_id: &WorkspaceId, map_id: &OrgMapId) -> Result<OrgMap, StoreError> {
        let mut summary = map_in(&self.pool, workspace_id, map_id).await?;
        let categories = self.categories_of(&summary.frameworks).await?;
        let rows: Vec<OrganisationRow> =
            sqlx::query_as(&format!("SELECT {ORGANISATION_COLUMNS} FROM org_map_organisations o WHERE o.map_id = $1 ORDER BY o.position, o.id"))
                .bind(map_id)
                .fetch_all(&self.pool)
                .await?;
        let (mut organisations, mut removed) = (Vec::new(), Vec::new());
        for row in rows {
            match row.removed_at.clone() {
                None => organisations.push(organisation_from(row)?),
                Some(at) => removed.push((at, organisation_from(row)?)),
            }
        }
        // Newest removal first, so "undo" is at the top.
        removed.sort_by(|(a, _), (b, _)| b.cmp(a));
        let removed = removed.into_iter().map(|(_, organisation)| organisation).collect();
        let cells = OrgMaps::COLUMNS.cells(&self.pool, map_id).await?;
        summary.organisation_count = organisations.len();
        Ok(OrgMap { summary, categories, organisations, removed, cells })
    }

    /// The functions of a map of the workspace, in order.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn org_map_functions(&self, workspace_id: &WorkspaceId, map_id: &OrgMapId) -> Result<Vec<FunctionId>, StoreError> {
        let frameworks = map_in(&self.pool, workspace_id, map_id).await?.frameworks;
        self.functions_of(&frameworks).await
    }

    /// The function ids of the given frameworks, in order.
    pub(super) async fn functions_of(&self, frameworks: &[FrameworkId]) -> Result<Vec<FunctionId>, StoreError> {
        Ok(self.categories_of(frameworks).await?.into_iter().flat_map(|c| c.functions).map(|f| f.id).collect())
    }

    /// The categories of the given frameworks, one after another.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn categories_of(&self, frameworks: &[FrameworkId]) -> Result<Vec<Category>, StoreError> {
        let mut categories = Vec::new();
        for framework_id in frameworks {
            let framework =
                self.framework(framework_id).await?.ok_or_else(|| StoreError::Inconsistent(format!("a map uses the missing framework {framework_id}")))?;
            categories.extend(framework.categories().iter().cloned());
        }
        Ok(categories)
    }

    /// Changes a map's area, date or threshold, unless someone changed the map since the
    /// version the editor saw.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_org_map(
        &self,
        workspace_id: &WorkspaceId,
        map_id: &OrgMapId,
        actor_id: &PersonId,
        expected_version: i64,
        details: &MapDetails,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let claim = claim(&mut tx, Versioned::OrgMap, &[map_id], expected_version).await?;
        let current = map_in(&mut *tx.tx, workspace_id, map_id).await?;
        if claim == Claim::Lost {
            return Err(Current::OrgMap(current.details).into());
        }
        sqlx::query("UPDATE org_maps SET area = $1, map_date = $2, threshold = $3 WHERE id = $4")
            .bind(&details.area)
            .bind(details.date.to_string())
            .bind(i64::from(details.threshold))
            .bind(map_id)
            .execute(&mut *tx.tx)
            .await?;
        let old = current.details;
        let fields: [(&'static str, String, String); 3] = [
            ("area", old.area, details.area.clone()),
            ("date", old.date.to_string(), details.date.to_string()),
            ("threshold", old.threshold.to_string(), details.threshold.to_string()),
        ];
        record(&mut tx, workspace_id, actor_id, &changed(Entity::OrgMap, map_id, fields)).await?;
        tx.commit().await
    }

    /// Starts a new map from an existing one: the same frameworks, organisations and cells,
    /// with new details. The plan stays with the original.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn copy_org_map(&self, workspace_id: &WorkspaceId, map_id: &OrgMapId, actor_id: &PersonId, details: &MapDetails) -> Result<OrgMapId, StoreError> {
        let mut tx = self.begin_write().await?;
        let frameworks = map_in(&mut *tx.tx, workspace_id, map_id).await?.frameworks;
        let new_map = insert_map(&mut tx, workspace_id, actor_id, details, &frameworks, Some(map_id)).await?;
        let organisations: Vec<(String,)> = sqlx::query_as("SELECT id FROM org_map_organisations WHERE map_id = $1 AND removed_at IS NULL ORDER BY position")
            .bind(map_id)
            .fetch_all(&mut *tx.tx)
            .await?;
        for (position, (old_id,)) in organisations.into_iter().enumerate() {
            let new_id: OrganisationId = new_id();
            sqlx::query(
                "INSERT INTO org_map_organisations (id, map_id, name, sector, locality, website, contact, position, version)
                 SELECT $1, $2, name, sector, locality, website, contact, $3, 1 FROM org_map_organisations WHERE id = $4",
            )
            .bind(&new_id)
            .bind(&new_map)
            .bind(position as i64)
            .bind(&old_id)
            .execute(&mut *tx.tx)
            .await?;
            sqlx::query(
                "INSERT INTO org_map_cells (map_id, organisation_id, function_id, level, note, version)
                 SELECT $1, $2, function_id, level, note, 1 FROM org_map_cells WHERE organisation_id = $3",
            )
            .bind(&new_map)
            .bind(&new_id)
            .bind(&old_id)
            .execute(&mut *tx.tx)
            .await?;
        }
        tx.commit().await?;
        Ok(new_map)
    }

    /// Changes an organisation's details, unless someone changed them since the version the
    /// editor saw.
    #[allow(clippy::too_many_arguments)]
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_organisation(
        &self,
        workspace_id: &WorkspaceId,
        map_id: &OrgMapId,
        organisation_id: &OrganisationId,
        actor_id: &PersonId,
        expected_version: i64,
        details: &OrganisationDetails,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let claim = claim(&mut tx, Versioned::Organisation, &[organisation_id], expected_version).await?;
        let (current, _) = organisation_in(&mut tx, workspace_id, map_id, organisation_id).await?;
        if claim == Claim::Lost {
            return Err(Current::Organisation(current.details).into());
        }
        sqlx::query(
            "UPDATE org_map_organisations SET name = $1, sector = $2, locality = $3, website = $4, contact = $5
             WHERE id = $6",
        )
        .bind(&details.name)
        .bind(details.sector.as_str())
        .bind(&details.locality)
        .bind(&details.website)
        .bind(&details.contact)
        .bind(organisation_id)
        .execute(&mut *tx.tx)
        .await?;
        let old = current.details;
        let fields: [(&'static str, String, String); 5] = [
            ("name", old.name, details.name.clone()),
            ("sector", old.sector.as_str().to_owned(), details.sector.as_str().to_owned()),
            ("locality", old.locality, details.locality.clone()),
            ("website", old.website, details.website.clone()),
            ("contact", old.contact, details.contact.clone()),
        ];
        record(&mut tx, workspace_id, actor_id, &changed(Entity::Organisation, organisation_id, fields)).await?;
        tx.commit().await
    }

    /// A map's implementation plan, in the order the actions were added.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn actions(&self, workspace_id: &WorkspaceId, map_id: &OrgMapId) -> Result<Vec<PlanAction>, StoreError> {
        let rows: Vec<ActionRow> = sqlx::query_as(&format!(
            "SELECT {ACTION_COLUMNS} FROM org_map_actions a JOIN org_maps m ON m.id = a.map_id
             WHERE a.map_id = $1 AND m.workspace_id = $2 ORDER BY a.created_at, a.id"
        ))
        .bind(map_id)
        .bind(workspace_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(action_from).collect()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_action(
        &self,
        workspace_id: &WorkspaceId,
        map_id: &OrgMapId,
        actor_id: &PersonId,
        details: &ActionDetails,
    ) -> Result<ActionId, StoreError> {
        let mut tx = self.begin_write().await?;
        map_in(&mut *tx.tx, workspace_id, map_id).await?;
        let id = insert_action(&mut tx, map_id, details).await?;
        record(&mut tx, workspace_id, actor_id, &[Change::new(Entity::Action, &id, "what").to(&details.what)]).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes an action, unless it changed since `expected_version` was read.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_action(
        &self,
        workspace_id: &WorkspaceId,
        map_id: &OrgMapId,
        action_id: &ActionId,
        actor_id: &PersonId,
        expected_version: i64,
        details: &ActionDetails,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let claim = claim(&mut tx, Versioned::PlanAction, &[action_id], expected_version).await?;
        let current = action_in(&mut tx, workspace_id, map_id, action_id).await?;
        if claim == Claim::Lost {
            return Err(Current::Action(current.details).into());
        }
        sqlx::query(
            "UPDATE org_map_actions SET function_id = $1, what = $2, with_whom = $3, how = $4, cost_pence = $5, due = $6,
                    communication = $7, risks = $8, status = $9
             WHERE id = $10",
        )
        .bind(details.function_id.as_str())
        .bind(&details.what)
        .bind(&details.with_whom)
        .bind(&details.how)
        .bind(details.cost.0)
        .bind(details.due.map(|d| d.to_string()))
        .bind(&details.communication)
        .bind(&details.risks)
        .bind(details.status.as_str())
        .bind(action_id)
        .execute(&mut *tx.tx)
        .await?;
        let old = current.details;
        let fields: [(&'static str, String, String); 9] = [
            ("function", old.function_id.to_string(), details.function_id.to_string()),
            ("what", old.what, details.what.clone()),
            ("with whom", old.with_whom, details.with_whom.clone()),
            ("how", old.how, details.how.clone()),
            ("cost", old.cost.to_string(), details.cost.to_string()),
            ("due", old.due.map(|d| d.to_string()).unwrap_or_default(), details.due.map(|d| d.to_string()).unwrap_or_default()),
            ("communication", old.communication, details.communication.clone()),
            ("risks", old.risks, details.risks.clone()),
            ("status", old.status.as_str().to_owned(), details.status.as_str().to_owned()),
        ];
        record(&mut tx, workspace_id, actor_id, &changed(Entity::Action, action_id, fields)).await?;
        tx.commit().await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn delete_action(&self, workspace_id: &WorkspaceId, map_id: &OrgMapId, action_id: &ActionId, actor_id: &PersonId) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let current = action_in(&mut tx, workspace_id, map_id, action_id).await?;
        sqlx::query("DELETE FROM org_map_actions WHERE id = $1").bind(action_id).execute(&mut *tx.tx).await?;
        record(&mut tx, workspace_id, actor_id, &[Change::new(Entity::Action, action_id, "what").from(current.details.what)]).await?;
        tx.commit().await
    }
}

pub(super) async fn insert_map(
    tx: &mut WriteTx,
    workspace_id: &WorkspaceId,
    actor_id: &PersonId,
    details: &MapDetails,
    frameworks: &[FrameworkId],
    copied_from: Option<&str>,
) -> Result<OrgMapId, StoreError> {
    check_frameworks(tx, workspace_id, frameworks).await?;
    let id = new_id();
    let list: Vec<&str> = frameworks.iter().map(FrameworkId::as_str).collect();
    sqlx::query(
        "INSERT INTO org_maps (id, workspace_id, area, map_date, frameworks, threshold, copied_from, created_by, created_at,
                              version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1)",
    )
    .bind(&id)
    .bind(workspace_id)
    .bind(&details.area)
    .bind(details.date.to_string())
    .bind(list.join(" "))
    .bind(i64::from(details.threshold))
    .bind(copied_from)
    .bind(actor_id)
    .bind(now())
    .execute(&mut *tx.tx)
    .await?;
    let mut change = Change::new(Entity::OrgMap, &id, "area").to(format!("{} ({})", details.area, details.date));
    if let Some(source) = copied_from {
        change.old_value = Some(format!("copied from {source}"));
    }
    record(tx, workspace_id, actor_id, &[change]).await?;
    Ok(id)
}

pub(super) async fn insert_organisation(tx: &mut WriteTx, map_id: &OrgMapId, details: &OrganisationDetails) -> Result<OrganisationId, StoreError> {
    let next = OrgMaps::COLUMNS.next_position(tx, map_id).await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO org_map_organisations (id, map_id, name, sector, locality, website, contact, position, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)",
    )
    .bind(&id)
    .bind(map_id)
    .bind(&details.name)
    .bind(details.sector.as_str())
    .bind(&details.locality)
    .bind(&details.website)
    .bind(&details.contact)
    .bind(next)
    .execute(&mut *tx.tx)
    .await?;
    Ok(id)
}

pub(super) async fn insert_action(tx: &mut WriteTx, map_id: &OrgMapId, details: &ActionDetails) -> Result<ActionId, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO org_map_actions (id, map_id, function_id, what, with_whom, how, cost_pence, due, communication,
                                      risks, status, version, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12)",
    )
    .bind(&id)
    .bind(map_id)
    .bind(details.function_id.as_str())
    .bind(&details.what)
    .bind(&details.with_whom)
    .bind(&details.how)
    .bind(details.cost.0)
    .bind(details.due.map(|d| d.to_string()))
    .bind(&details.communication)
    .bind(&details.risks)
    .bind(details.status.as_str())
    .bind(now())
    .execute(&mut *tx.tx)
    .await?;
    Ok(id)
}

/// A map of the workspace, or "not found".
pub(super) async fn map_in<'e, E>(executor: E, workspace_id: &WorkspaceId, map_id: &OrgMapId) -> Result<OrgMapSummary, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row: MapRow = sqlx::query_as(&format!("SELECT {MAP_COLUMNS} FROM org_maps WHERE id = $1 AND workspace_id = $2"))
        .bind(map_id)
        .bind(workspace_id)
        .fetch_optional(executor)
        .await?
        .ok_or_else(|| StoreError::NotFound("The map"))?;
    summary_from(row, 0)
}

/// An organisation of the map, and whether it has been removed; or "not found".
async fn organisation_in(
    tx: &mut WriteTx,
    workspace_id: &WorkspaceId,
    map_id: &OrgMapId,
    organisation_id: &OrganisationId,
) -> Result<(Organisation, bool), StoreError> {
    let row: OrganisationRow = sqlx::query_as(&format!(
        "SELECT {ORGANISATION_COLUMNS} FROM org_map_organisations o JOIN org_maps m ON m.id = o.map_id
         WHERE o.id = $1 AND o.map_id = $2 AND m.workspace_id = $3"
    ))
    .bind(organisation_id)
    .bind(map_id)
    .bind(workspace_id)
    .fetch_optional(&mut *tx.tx)
    .await?
    .ok_or_else(|| StoreError::NotFound("The organisation"))?;
    let removed = row.removed_at.is_some();
    Ok((organisation_from(row)?, removed))
}

async fn action_in(tx: &mut WriteTx, workspace_id: &WorkspaceId, map_id: &OrgMapId, action_id: &ActionId) -> Result<PlanAction, StoreError> {
    let row: ActionRow = sqlx::query_as(&format!(
        "SELECT {ACTION_COLUMNS} FROM org_map_actions a JOIN org_maps m ON m.id = a.map_id
         WHERE a.id = $1 AND a.map_id = $2 AND m.workspace_id = $3"
    ))
    .bind(action_id)
    .bind(map_id)
    .bind(workspace_id)
    .fetch_optional(&mut *tx.tx)
    .await?
    .ok_or_else(|| StoreError::NotFound("The action"))?;
    action_from(row)
}

impl MatrixKind for OrgMaps {
    type Map = record::OrgMap;
    type Level = Provision;
    type Column = OrganisationDetails;
    type Details = MapDetails;
    const COLUMNS: Columns = Columns {
        table: "org_map_organisations",
        cells: "org_map_cells",
        key: "organisation_id",
        noun: "The organisation",
        entity: Entity::Organisation,
        name_field: "name",
        versioned: Versioned::OrgCell,
    };

    async fn frameworks_of(tx: &mut WriteTx, workspace_id: &WorkspaceId, map_id: &OrgMapId) -> Result<Vec<FrameworkId>, StoreError> {
        Ok(map_in(&mut *tx.tx, workspace_id, map_id).await?.frameworks)
    }

    async fn column_in(tx: &mut WriteTx, workspace_id: &WorkspaceId, map_id: &OrgMapId, column_id: &OrganisationId) -> Result<(String, bool), StoreError> {
        let (organisation, removed) = organisation_in(tx, workspace_id, map_id, column_id).await?;
        Ok((organisation.details.name, removed))
    }

    async fn insert_column(tx: &mut WriteTx, map_id: &OrgMapId, column: &OrganisationDetails) -> Result<OrganisationId, StoreError> {
        insert_organisation(tx, map_id, column).await
    }

    fn name_of(column: &OrganisationDetails) -> &str {
        &column.name
    }

    fn imported(name: &str) -> OrganisationDetails {
        OrganisationDetails::imported(name)
    }

    async fn import_into(
        tx: &mut WriteTx,
        workspace_id: &WorkspaceId,
        actor_id: &PersonId,
        target: &ImportTarget<MapDetails, record::OrgMap>,
        _: &[FunctionId],
    ) -> Result<OrgMapId, StoreError> {
        match target {
            ImportTarget::Existing(map_id) => Ok(map_in(&mut *tx.tx, workspace_id, map_id).await?.id),
            ImportTarget::New { details, frameworks } => insert_map(tx, workspace_id, actor_id, details, frameworks, None).await,
        }
    }
}
