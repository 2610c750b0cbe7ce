//! The audit log, written inside the transaction of every change it records.

use super::{StoreError, WriteTx, new_id, now};
use crate::model::Change;
use crate::model::{PersonId, WorkspaceId};

/// Writes changes to the audit log inside the transaction that makes them.
pub(super) async fn record(tx: &mut WriteTx, workspace_id: &WorkspaceId, actor_id: &PersonId, changes: &[Change]) -> Result<(), StoreError> {
    let at = now();
    // Many rows per statement: an import can record hundreds of thousands of changes.
    for chunk in changes.chunks(super::ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO audit_log (id, workspace_id, at, actor_id, entity, entity_id, field, old_value, new_value) VALUES {}",
            super::value_rows(chunk.len(), 9, "")
        );
        let mut query = sqlx::query(&sql);
        for change in chunk {
            query = query
                .bind(new_id::<Change>())
                .bind(workspace_id)
                .bind(&at)
                .bind(actor_id)
                .bind(change.entity.as_str())
                .bind(&change.entity_id)
                .bind(change.field)
                .bind(change.old_value.clone())
                .bind(change.new_value.clone());
        }
        query.execute(&mut *tx.tx).await?;
    }
    Ok(())
}
