//! The learning activity catalogue of each workspace.

use super::accounts::record;
use super::frameworks::parse;
use super::{Store, StoreError, WriteTx, new_id, now};
use crate::model::catalogue::{ActivityDetails, ActivityKind, CatalogueActivity, examples};
use crate::model::{Change, FunctionId, Pence};

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
