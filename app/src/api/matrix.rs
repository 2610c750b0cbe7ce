//! What the server functions of organisation maps and role maps do alike, written once for any
//! kind of map (`MatrixKind`); each endpoint names its kind and its fields.

use super::{AppError, answer, session, store};
use crate::model::WorkspaceId;
use crate::model::matrix::{Cell, Level};
use crate::model::org_map::parse_note;
use crate::model::{FunctionId, WorkspaceRole};
use crate::store::{ColumnId, MapId, MatrixKind};

pub(super) async fn add_column<K: MatrixKind>(
    workspace_id: &WorkspaceId,
    map_id: &MapId<K>,
    column: Result<K::Column, crate::model::InputError>,
) -> Result<ColumnId<K>, AppError> {
    answer(
        async {
            let (user, _) = session::member(workspace_id, WorkspaceRole::Editor).await?;
            Ok(store()?.add_column::<K>(workspace_id, map_id, &user.id, &column?).await?)
        }
        .await,
    )
}

/// Moves a column one place `left` or `right`.
pub(super) async fn move_column<K: MatrixKind>(
    workspace_id: &WorkspaceId,
    map_id: &MapId<K>,
    column_id: &ColumnId<K>,
    direction: &str,
) -> Result<(), AppError> {
    answer(
        async {
            session::member(workspace_id, WorkspaceRole::Editor).await?;
            let earlier = parse_direction(direction)?;
            Ok(store()?.move_column::<K>(workspace_id, map_id, column_id, earlier).await?)
        }
        .await,
    )
}

/// Takes a column off its map, or puts it back.
pub(super) async fn set_removed<K: MatrixKind>(workspace_id: &WorkspaceId, map_id: &MapId<K>, column_id: &ColumnId<K>, removed: bool) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(workspace_id, WorkspaceRole::Editor).await?;
            Ok(store()?.set_column_removed::<K>(workspace_id, map_id, column_id, &user.id, removed).await?)
        }
        .await,
    )
}

/// Sets one cell, given the version the editor saw; answers the cell as now stored.
pub(super) async fn set_cell<K: MatrixKind>(
    workspace_id: &WorkspaceId,
    map_id: &MapId<K>,
    column_id: &ColumnId<K>,
    function_id: &str,
    version: i64,
    level: &str,
    note: &str,
) -> Result<Cell<K::Level>, AppError> {
    answer(
        async {
            let (user, _) = session::member(workspace_id, WorkspaceRole::Editor).await?;
            let function_id: FunctionId = function_id.parse().map_err(|_| AppError::NotFound("The function".into()))?;
            let (level, note) = (K::Level::parse(level)?, parse_note(note)?);
            Ok(store()?.set_matrix_cell::<K>(workspace_id, map_id, column_id, &function_id, &user.id, version, level, &note).await?)
        }
        .await,
    )
}

/// Whether a move is one place `left` (earlier) or `right`.
fn parse_direction(direction: &str) -> Result<bool, AppError> {
    match direction {
        "left" => Ok(true),
        "right" => Ok(false),
        _ => Err(AppError::Invalid { field: "direction".into(), message: "Move left or right.".into() }),
    }
}
