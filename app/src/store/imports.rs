//! Applying an import plan: a matrix's new columns and changed cells, written in one
//! transaction (or not at all) and audited like edits made on the page. A cell that changed
//! since the plan was made refuses the whole import.

use super::learning::{insert_analysis, insert_new_needs, write_need};
use super::matrix::MapId;
use super::matrix::{ImportTarget, MatrixKind, write_plan};
use super::{AdvisoryLock, Store, StoreError};
use crate::model::import::{LearningPlan, MatrixPlan, PlannedNeed};
use crate::model::learning::AnalysisDetails;
use crate::model::programme::Need;
use crate::model::{FrameworkId, FunctionId};
use crate::model::{ImportId, PersonId, WorkspaceId};

impl Store {
    /// Imports into a map of kind `K`: the one `target` names, or a new one; answers its id.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn apply_map_import<K: MatrixKind>(
        &self,
        workspace_id: &WorkspaceId,
        actor_id: &PersonId,
        target: &ImportTarget<K::Details, K::Map>,
        functions: &[FunctionId],
        plan: &MatrixPlan<K::Level>,
    ) -> Result<MapId<K>, StoreError> {
        let mut tx = self.begin_write().await?;
        let map_id = K::import_into(&mut tx, workspace_id, actor_id, target, functions).await?;
        write_plan::<K>(&mut tx, workspace_id, actor_id, &map_id, plan).await?;
        tx.commit().await?;
        Ok(map_id)
    }
}

/// Uploads a workspace may keep waiting for their import at once, and their bytes in all;
/// uploads are kept for a day at most.
pub const MAX_PENDING_UPLOADS: i64 = 10;
pub const MAX_PENDING_BYTES: i64 = 100 * 1024 * 1024;

/// A spreadsheet uploaded for import and not yet confirmed.
#[derive(sqlx::FromRow)]
pub struct PendingImport {
    pub kind: String,
    pub target: Option<String>,
    pub file_name: String,
    pub content: Vec<u8>,
    /// Why the file could not be read, once reading it has failed, as the reader said it.
    pub refusal: Option<String>,
    /// What its preview showed, once shown, so that it is not read again for every visit.
    pub preview: Option<String>,
}

impl Store {
    /// Keeps an uploaded file for its preview; answers its id. Files older than a day, left
    /// unconfirmed, are cleared away.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_pending_import(&self, workspace_id: &WorkspaceId, user_id: &PersonId, pending: &PendingImport) -> Result<ImportId, StoreError> {
        let mut tx = self.begin_write().await?;
        // Counted and added one at a time, so uploads made at once cannot pass the quota together.
        self.serialise(&mut tx, AdvisoryLock::Uploads).await?;
        let yesterday = super::timestamp(time::OffsetDateTime::now_utc() - time::Duration::days(1));
        sqlx::query("DELETE FROM pending_imports WHERE created_at < $1").bind(yesterday).execute(&mut *tx.tx).await?;
        let (count, bytes): (i64, i64) = sqlx::query_as("SELECT COUNT(*), COALESCE(SUM(LENGTH(content)), 0) FROM pending_imports WHERE workspace_id = $1")
            .bind(workspace_id)
            .fetch_one(&mut *tx.tx)
            .await?;
        if count >= MAX_PENDING_UPLOADS || bytes + pending.content.len() as i64 > MAX_PENDING_BYTES {
            return Err(StoreError::PendingUploadsFull);
        }
        let id = super::new_id();
        sqlx::query(
            "INSERT INTO pending_imports (id, workspace_id, user_id, kind, target, file_name, content, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(workspace_id)
        .bind(user_id)
        .bind(&pending.kind)
        .bind(pending.target.as_deref())
        .bind(&pending.file_name)
        .bind(&pending.content)
        .bind(super::now())
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// An upload of this person's in this workspace.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn pending_import(&self, workspace_id: &WorkspaceId, user_id: &PersonId, import_id: &ImportId) -> Result<PendingImport, StoreError> {
        let row: Option<PendingImport> = sqlx::query_as(
            "SELECT kind, target, file_name, content, refusal, preview FROM pending_imports WHERE id = $1 AND workspace_id = $2 AND user_id = $3",
        )
        .bind(import_id)
        .bind(workspace_id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        row.ok_or(StoreError::NotFound("The uploaded file"))
    }

    /// Records why an upload could not be read, so that it is never read again.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn refuse_pending_import(&self, workspace_id: &WorkspaceId, import_id: &ImportId, refusal: &str) -> Result<(), StoreError> {
        self.note_on_pending_import(workspace_id, import_id, "refusal", Some(refusal)).await
    }

    /// Keeps what an upload's preview showed (`None` forgets it, so the next visit reads the
    /// file again: the data it was planned against has changed).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn keep_import_preview(&self, workspace_id: &WorkspaceId, import_id: &ImportId, preview: Option<&str>) -> Result<(), StoreError> {
        self.note_on_pending_import(workspace_id, import_id, "preview", preview).await
    }

    /// Sets what is kept about an upload besides the file: its `refusal` or its `preview`.
    async fn note_on_pending_import(
        &self,
        workspace_id: &WorkspaceId,
        import_id: &ImportId,
        column: &'static str,
        value: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(&format!("UPDATE pending_imports SET {column} = $1 WHERE id = $2 AND workspace_id = $3"))
            .bind(value)
            .bind(import_id)
            .bind(workspace_id)
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn remove_pending_import(&self, workspace_id: &WorkspaceId, user_id: &PersonId, import_id: &ImportId) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM pending_imports WHERE id = $1 AND workspace_id = $2 AND user_id = $3")
            .bind(import_id)
            .bind(workspace_id)
            .bind(user_id)
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await
    }
}

impl Store {
    /// Imports a learning matrix into the workspace's analyses, in one transaction: a person
    /// new to the workspace gets an analysis of `details_for_new` (named for them) covering
    /// `core` and the functions their needs are for; each need is written only if it is still
    /// at the version the plan read.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn apply_learning_import(
        &self,
        workspace_id: &WorkspaceId,
        actor_id: &PersonId,
        details_for_new: &AnalysisDetails,
        frameworks: &[FrameworkId],
        core: &[FunctionId],
        plan: &LearningPlan,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let mut needs_of: Vec<Vec<&PlannedNeed>> = vec![Vec::new(); plan.people.len()];
        for planned in &plan.needs {
            needs_of[planned.person].push(planned);
        }
        for (person, needs) in plan.people.iter().zip(needs_of) {
            match &person.existing {
                Some(analysis_id) => {
                    for planned in needs {
                        write_need(&mut tx, workspace_id, analysis_id, actor_id, planned.version, &planned.need).await?;
                    }
                }
                None => {
                    let details = AnalysisDetails { name: person.name.clone(), ..details_for_new.clone() };
                    let mut scope = core.to_vec();
                    scope.extend(needs.iter().map(|n| n.need.function_id.clone()).filter(|f| !core.contains(f)));
                    let analysis_id = insert_analysis(&mut tx, workspace_id, actor_id, &details, frameworks, &scope, None).await?;
                    let new_needs: Vec<&Need> = needs.iter().map(|n| &n.need).collect();
                    insert_new_needs(&mut tx, workspace_id, &analysis_id, actor_id, &new_needs).await?;
                }
            }
        }
        tx.commit().await
    }
}
