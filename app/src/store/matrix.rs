//! What every matrix stores alike: its columns (organisations or roles), their order and
//! removal, and its cells, each written only from the version the editor saw.

use super::audit::record;
use super::codecs::parse;
use super::versioned::{Claim, Versioned, claim};
use super::{Store, StoreError, WriteTx, now};
use crate::model::import::MatrixPlan;
use crate::model::matrix::{Cell, Level, StaleCell, StoredCell};
use crate::model::{Change, Entity, FrameworkId, FunctionId, Refusal, check_column_editable};
use crate::model::{Id, PersonId, WorkspaceId};
use std::future::Future;

/// A kind of map of columns and functions: organisation maps (`OrgMaps`) and role maps
/// (`RoleMaps`). Everything done to a map's columns and cells is written once, for both.
pub trait MatrixKind: Sized + Send + Sync + 'static {
    /// The record a map is, to type its id.
    type Map: 'static;
    /// What a cell holds, and so the kind of column it sits in.
    type Level: Level + Send + Sync;
    /// What describes a column: an organisation, a role.
    type Column: Send + Sync;
    /// What describes a map as a whole.
    type Details: Send + Sync;
    #[doc(hidden)]
    const COLUMNS: Columns;
    /// The frameworks of the workspace's map `map_id`, or "not found".
    fn frameworks_of(tx: &mut WriteTx, workspace_id: &WorkspaceId, map_id: &MapId<Self>) -> impl Future<Output = Result<Vec<FrameworkId>, StoreError>> + Send;
    /// The name of a column of the workspace's map, and whether it is off the map; or "not found".
    fn column_in(
        tx: &mut WriteTx,
        workspace_id: &WorkspaceId,
        map_id: &MapId<Self>,
        column_id: &ColumnId<Self>,
    ) -> impl Future<Output = Result<(String, bool), StoreError>> + Send;
    /// Adds a column at the end of a map; answers its id.
    fn insert_column(tx: &mut WriteTx, map_id: &MapId<Self>, column: &Self::Column) -> impl Future<Output = Result<ColumnId<Self>, StoreError>> + Send;
    /// A column's name, as the audit log records a new one.
    fn name_of(column: &Self::Column) -> &str;
    /// A column an import adds, known only by its name.
    fn imported(name: &str) -> Self::Column;
    /// The map an import writes into, checked or made: the workspace's map `target` names, or
    /// a new one. `functions` are those the file lists.
    fn import_into(
        tx: &mut WriteTx,
        workspace_id: &WorkspaceId,
        actor_id: &PersonId,
        target: &ImportTarget<Self::Details, Self::Map>,
        functions: &[FunctionId],
    ) -> impl Future<Output = Result<MapId<Self>, StoreError>> + Send;
}

/// The id of a map of kind `K`, and of one of its columns.
pub type MapId<K> = Id<<K as MatrixKind>::Map>;
pub type ColumnId<K> = Id<<<K as MatrixKind>::Level as Level>::Column>;

/// Where an import goes: a matrix of the workspace, or a new one.
pub enum ImportTarget<D, M> {
    Existing(Id<M>),
    New { details: D, frameworks: Vec<FrameworkId> },
}

/// Organisation maps: organisations across, provision in the cells.
pub struct OrgMaps;
/// Role maps: roles across, involvement in the cells.
pub struct RoleMaps;

impl Store {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_column<K: MatrixKind>(
        &self,
        workspace_id: &WorkspaceId,
        map_id: &MapId<K>,
        actor_id: &PersonId,
        column: &K::Column,
    ) -> Result<ColumnId<K>, StoreError> {
        let mut tx = self.begin_write().await?;
        K::frameworks_of(&mut tx, workspace_id, map_id).await?;
        let id = K::insert_column(&mut tx, map_id, column).await?;
        record(&mut tx, workspace_id, actor_id, &[Change::new(K::COLUMNS.entity, &id, K::COLUMNS.name_field).to(K::name_of(column))]).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Moves a column one place left (`earlier`) or right among those on the map.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn move_column<K: MatrixKind>(
        &self,
        workspace_id: &WorkspaceId,
        map_id: &MapId<K>,
        column_id: &ColumnId<K>,
        earlier: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        K::frameworks_of(&mut tx, workspace_id, map_id).await?;
        K::COLUMNS.reorder(&mut tx, map_id, column_id, earlier).await?;
        tx.commit().await
    }

    /// Takes a column off the map (`removed`) or puts it back, cells and all.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_column_removed<K: MatrixKind>(
        &self,
        workspace_id: &WorkspaceId,
        map_id: &MapId<K>,
        column_id: &ColumnId<K>,
        actor_id: &PersonId,
        removed: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        K::column_in(&mut tx, workspace_id, map_id, column_id).await?;
        K::COLUMNS.set_removed(&mut tx, workspace_id, actor_id, column_id, removed).await?;
        tx.commit().await
    }

    /// Sets one cell, unless it changed since the version the editor saw (0 for a cell never
    /// set): then nothing is written and the current cell comes back in the error.
    #[allow(clippy::too_many_arguments)]
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_matrix_cell<K: MatrixKind>(
        &self,
        workspace_id: &WorkspaceId,
        map_id: &MapId<K>,
        column_id: &ColumnId<K>,
        function_id: &FunctionId,
        actor_id: &PersonId,
        expected_version: i64,
        level: K::Level,
        note: &str,
    ) -> Result<Cell<K::Level>, StoreError> {
        let mut tx = self.begin_write().await?;
        let frameworks = K::frameworks_of(&mut tx, workspace_id, map_id).await?;
        check_function(&mut tx, &frameworks, function_id).await?;
        let (name, removed) = K::column_in(&mut tx, workspace_id, map_id, column_id).await?;
        check_column_editable(&name, removed)?;
        let cell = K::COLUMNS.write_cell(&mut tx, workspace_id, actor_id, map_id, column_id, function_id, expected_version, level, note).await?;
        tx.commit().await?;
        Ok(cell)
    }
}

/// Writes an import's new columns and changed cells into map `map_id`, inside the import's
/// transaction.
pub(super) async fn write_plan<K: MatrixKind>(
    tx: &mut WriteTx,
    workspace_id: &WorkspaceId,
    actor_id: &PersonId,
    map_id: &MapId<K>,
    plan: &MatrixPlan<K::Level>,
) -> Result<(), StoreError> {
    let mut columns = Vec::with_capacity(plan.columns.len());
    for column in &plan.columns {
        columns.push(match &column.existing {
            Some(id) => id.clone(),
            None => K::insert_column(tx, map_id, &K::imported(&column.name)).await?,
        });
    }
    for cell in &plan.cells {
        K::COLUMNS.write_cell(tx, workspace_id, actor_id, map_id, &columns[cell.column], &cell.function_id, cell.version, cell.to, &cell.note).await?;
    }
    Ok(())
}

/// Where one kind of matrix keeps its columns and cells.
pub struct Columns {
    /// The table of columns, each with `id`, `map_id`, `position` and `removed_at`.
    pub(super) table: &'static str,
    /// The table of cells, keyed by (`key`, `function_id`).
    pub(super) cells: &'static str,
    pub(super) key: &'static str,
    /// What a column is called in messages, e.g. "The organisation".
    pub(super) noun: &'static str,
    /// What a column is called in the audit log, and the field that names it there.
    pub(super) entity: Entity,
    pub(super) name_field: &'static str,
    /// How its cells are claimed for an edit.
    pub(super) versioned: Versioned,
}

fn level_from<L: Level>(text: &str) -> Result<L, StoreError> {
    L::from_code(text).ok_or_else(|| StoreError::Inconsistent(format!("a cell holds the unknown level “{text}”")))
}

impl Columns {
    /// Every cell of a map.
    pub(super) async fn cells<'e, E, L: Level>(&self, executor: E, map_id: &str) -> Result<Vec<StoredCell<L>>, StoreError>
    where
        E: sqlx::Executor<'e, Database = sqlx::Any>,
    {
        let rows: Vec<(String, String, String, String, i64)> =
            sqlx::query_as(&format!("SELECT {key}, function_id, level, note, version FROM {cells} WHERE map_id = $1", key = self.key, cells = self.cells))
                .bind(map_id)
                .fetch_all(executor)
                .await?;
        rows.into_iter()
            .map(|(column_id, function_id, level, note, version)| {
                Ok(StoredCell { column_id: Id::from(column_id), function_id: parse(function_id)?, value: Cell { level: level_from(&level)?, note, version } })
            })
            .collect()
    }

    /// The position after the last column of a map.
    pub(super) async fn next_position(&self, tx: &mut WriteTx, map_id: &str) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(&format!("SELECT COALESCE(MAX(position), -1) + 1 FROM {} WHERE map_id = $1", self.table))
            .bind(map_id)
            .fetch_one(&mut *tx.tx)
            .await?)
    }

    /// Moves a column one place left (`earlier`) or right among those on the map.
    pub(super) async fn reorder(&self, tx: &mut WriteTx, map_id: &str, column_id: &str, earlier: bool) -> Result<(), StoreError> {
        let order: Vec<(String,)> = sqlx::query_as(&format!("SELECT id FROM {} WHERE map_id = $1 AND removed_at IS NULL ORDER BY position, id", self.table))
            .bind(map_id)
            .fetch_all(&mut *tx.tx)
            .await?;
        let index = order.iter().position(|(id,)| id == column_id).ok_or(StoreError::NotFound(self.noun))?;
        let other = if earlier { index.checked_sub(1) } else { Some(index + 1).filter(|i| *i < order.len()) };
        let Some(other) = other else { return Ok(()) };
        // Positions are renumbered densely so earlier gaps or ties cannot stop the swap.
        let mut ids: Vec<&str> = order.iter().map(|(id,)| id.as_str()).collect();
        ids.swap(index, other);
        for (position, id) in ids.into_iter().enumerate() {
            sqlx::query(&format!("UPDATE {} SET position = $1 WHERE id = $2", self.table)).bind(position as i64).bind(id).execute(&mut *tx.tx).await?;
        }
        Ok(())
    }

    /// Takes a column off its map (`removed`) or puts it back, cells and all, and records it;
    /// asking for what already holds changes and records nothing.
    pub(super) async fn set_removed(
        &self,
        tx: &mut WriteTx,
        workspace_id: &WorkspaceId,
        actor_id: &PersonId,
        column_id: &str,
        removed: bool,
    ) -> Result<(), StoreError> {
        let already: Option<(Option<String>,)> =
            sqlx::query_as(&format!("SELECT removed_at FROM {} WHERE id = $1", self.table)).bind(column_id).fetch_optional(&mut *tx.tx).await?;
        let (already,) = already.ok_or(StoreError::NotFound(self.noun))?;
        if already.is_some() == removed {
            return Ok(());
        }
        sqlx::query(&format!("UPDATE {} SET removed_at = $1 WHERE id = $2", self.table)).bind(removed.then(now)).bind(column_id).execute(&mut *tx.tx).await?;
        let (old, new) = if removed { ("yes", "no") } else { ("no", "yes") };
        record(tx, workspace_id, actor_id, &[Change::new(self.entity, column_id, "on the map").from(old).to(new)]).await
    }

    /// Writes a cell never set before, at version 1; answers false, writing nothing, if the
    /// cell has been set meanwhile.
    pub(super) async fn insert_cell<L: Level>(
        &self,
        tx: &mut WriteTx,
        map_id: &str,
        column_id: &str,
        function_id: &FunctionId,
        level: L,
        note: &str,
    ) -> Result<bool, StoreError> {
        let (cells, key) = (self.cells, self.key);
        let inserted = sqlx::query(&format!(
            "INSERT INTO {cells} (map_id, {key}, function_id, level, note, version)
             VALUES ($1, $2, $3, $4, $5, 1) ON CONFLICT ({key}, function_id) DO NOTHING"
        ))
        .bind(map_id)
        .bind(column_id)
        .bind(function_id.as_str())
        .bind(level.as_str())
        .bind(note)
        .execute(&mut *tx.tx)
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    /// Sets one cell of a column the caller has checked is on the map, unless the cell changed
    /// since the version the editor saw (0 for a cell never set): then nothing is written and
    /// the current cell comes back in the error.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn write_cell<L: Level>(
        &self,
        tx: &mut WriteTx,
        workspace_id: &WorkspaceId,
        actor_id: &PersonId,
        map_id: &str,
        column_id: &str,
        function_id: &FunctionId,
        expected_version: i64,
        level: L,
        note: &str,
    ) -> Result<Cell<L>, StoreError> {
        // Saving what is already there changes nothing, not even the version.
        let seen = self.cell_in::<L>(tx, column_id, function_id).await?;
        if seen.version == expected_version && seen.level == level && seen.note == note {
            return Ok(seen);
        }
        // A first value is a conditional insert and a later one a claimed update: either way,
        // of several editors who saw the same version exactly one writes.
        let taken = if expected_version == 0 {
            self.insert_cell(tx, map_id, column_id, function_id, level, note).await?
        } else {
            claim(tx, self.versioned, &[column_id, function_id.as_str()], expected_version).await? == Claim::Taken
        };
        if !taken {
            // What the other writer committed, for the editor.
            let current = self.cell_in::<L>(tx, column_id, function_id).await?;
            return Err(StoreError::StaleCell(StaleCell::of(&current)));
        }
        let before = if expected_version == 0 {
            Cell::default()
        } else {
            // A cell read at the version claimed still holds what was read (every change moves
            // the version); one read at another version is read again, for the audit.
            let before = if seen.version == expected_version { seen } else { self.cell_in::<L>(tx, column_id, function_id).await? };
            sqlx::query(&format!("UPDATE {} SET level = $1, note = $2 WHERE {} = $3 AND function_id = $4", self.cells, self.key))
                .bind(level.as_str())
                .bind(note)
                .bind(column_id)
                .bind(function_id.as_str())
                .execute(&mut *tx.tx)
                .await?;
            before
        };
        let entity_id = format!("{column_id}/{function_id}");
        let mut changes = Vec::new();
        if before.level != level {
            changes.push(Change::new(Entity::Cell, &entity_id, "level").from(before.level.as_str()).to(level.as_str()));
        }
        if before.note != note {
            changes.push(Change::new(Entity::Cell, &entity_id, "note").from(before.note.clone()).to(note));
        }
        record(tx, workspace_id, actor_id, &changes).await?;
        Ok(Cell { level, note: note.to_owned(), version: expected_version + 1 })
    }

    async fn cell_in<L: Level>(&self, tx: &mut WriteTx, column_id: &str, function_id: &FunctionId) -> Result<Cell<L>, StoreError> {
        let row: Option<(String, String, i64)> =
            sqlx::query_as(&format!("SELECT level, note, version FROM {} WHERE {} = $1 AND function_id = $2", self.cells, self.key))
                .bind(column_id)
                .bind(function_id.as_str())
                .fetch_optional(&mut *tx.tx)
                .await?;
        match row {
            Some((level, note, version)) => Ok(Cell { level: level_from(&level)?, note, version }),
            None => Ok(Cell::default()),
        }
    }
}

/// Refuses frameworks that do not exist, or belong to another workspace.
pub(super) async fn check_frameworks(tx: &mut WriteTx, workspace_id: &WorkspaceId, frameworks: &[FrameworkId]) -> Result<(), StoreError> {
    for framework in frameworks {
        let known: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM frameworks WHERE id = $1 AND (workspace_id IS NULL OR workspace_id = $2)")
            .bind(framework.as_str())
            .bind(workspace_id)
            .fetch_one(&mut *tx.tx)
            .await?;
        if known == 0 {
            return Err(Refusal::NoSuchFramework(framework.clone()).into());
        }
    }
    Ok(())
}

/// Refuses a function that none of the map's frameworks holds.
pub(super) async fn check_function(tx: &mut WriteTx, frameworks: &[FrameworkId], function_id: &FunctionId) -> Result<(), StoreError> {
    let owners: Vec<String> =
        sqlx::query_scalar("SELECT framework_id FROM framework_functions WHERE id = $1").bind(function_id.as_str()).fetch_all(&mut *tx.tx).await?;
    if owners.iter().any(|framework| frameworks.iter().any(|id| id.as_str() == framework)) { Ok(()) } else { Err(StoreError::NotFound("The function")) }
}

/// The audit entries for the fields whose value changed.
pub(super) fn changed<const N: usize>(entity: Entity, id: &str, fields: [(&'static str, String, String); N]) -> Vec<Change> {
    fields.into_iter().filter(|(_, old, new)| old != new).map(|(field, old, new)| Change::new(entity, id, field).from(old).to(new)).collect()
}
