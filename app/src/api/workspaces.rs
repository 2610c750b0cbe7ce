//! Workspaces, their members and invitations, and the audit log.

use super::AppError;
use crate::model::{AuditEntry, FrameworkSummary, Member, PendingInvitation, WorkspaceSummary};
use crate::model::{InvitationId, PersonId, WorkspaceId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::{answer, session, store},
    crate::auth,
    crate::model::{AuditFilter, MembershipChange, WorkspaceName, WorkspaceRole},
    crate::store::Visible,
};

/// Everything the workspace page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceDetails {
    pub workspace: WorkspaceSummary,
    pub my_user_id: PersonId,
    pub members: Vec<Member>,
    /// Open invitations; only owners see them.
    pub invitations: Vec<PendingInvitation>,
    /// The frameworks the workspace imported.
    pub frameworks: Vec<FrameworkSummary>,
}

/// A page of the audit log, and the choices for its filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub workspace: WorkspaceSummary,
    pub entries: Vec<AuditEntry>,
    pub people: Vec<Member>,
}

/// How many audit entries one page shows.
pub const AUDIT_PAGE_SIZE: i64 = 500;

#[server(endpoint = "my_workspaces")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn my_workspaces() -> Result<Vec<WorkspaceSummary>, AppError> {
    answer(
        async {
            let user = session::caller().await?;
            Ok(store()?.workspaces_of(&user.id).await?)
        }
        .await,
    )
}

#[server(endpoint = "create_workspace")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_workspace(name: String) -> Result<(), AppError> {
    answer(
        async {
            let user = session::caller().await?;
            let name = WorkspaceName::parse(&name)?;
            let id = store()?.create_workspace(&name, &user.id).await?;
            leptos_axum::redirect(&crate::paths::workspace(&id));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "workspace_overview")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn workspace_overview(workspace_id: WorkspaceId) -> Result<WorkspaceDetails, AppError> {
    answer(
        async {
            let (user, workspace) = session::member(&workspace_id, WorkspaceRole::Viewer).await?;
            let store = store()?;
            let members = store.members(&workspace_id).await?;
            let invitations = if workspace.role == WorkspaceRole::Owner { store.pending_invitations(&workspace_id).await? } else { Vec::new() };
            let frameworks = store.list_frameworks(Visible::InWorkspace(&workspace_id)).await?.into_iter().filter(|f| f.local).collect();
            Ok(WorkspaceDetails { workspace, my_user_id: user.id, members, invitations, frameworks })
        }
        .await,
    )
}

/// Renames the workspace, unless someone renamed it since `expected_name` was read.
#[server(endpoint = "rename_workspace")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn rename_workspace(workspace_id: WorkspaceId, expected_name: String, name: String) -> Result<(), AppError> {
    answer(
        async {
            let (user, _) = session::member(&workspace_id, WorkspaceRole::Owner).await?;
            let name = WorkspaceName::parse(&name)?;
            store()?.rename_workspace(&workspace_id, &user.id, &expected_name, &name).await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "change_member_role")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn change_member_role(workspace_id: WorkspaceId, user_id: PersonId, role: String) -> Result<(), AppError> {
    answer(
        async {
            let (actor, _) = session::member(&workspace_id, WorkspaceRole::Owner).await?;
            let role = WorkspaceRole::parse(&role)?;
            let change = MembershipChange::ChangeRole { user_id: &user_id, role };
            Ok(store()?.change_membership(&workspace_id, &actor.id, change).await?)
        }
        .await,
    )
}

#[server(endpoint = "remove_member")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn remove_member(workspace_id: WorkspaceId, user_id: PersonId) -> Result<(), AppError> {
    answer(
        async {
            let (actor, _) = session::member(&workspace_id, WorkspaceRole::Owner).await?;
            let change = MembershipChange::Remove { user_id: &user_id };
            Ok(store()?.change_membership(&workspace_id, &actor.id, change).await?)
        }
        .await,
    )
}

/// Creates a single-use invitation, good for 7 days; answers its path, e.g.
/// `/invitations/3f…`, for the owner to copy and send.
#[server(endpoint = "create_invitation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_invitation(workspace_id: WorkspaceId, role: String) -> Result<String, AppError> {
    answer(
        async {
            let (actor, _) = session::member(&workspace_id, WorkspaceRole::Owner).await?;
            let role = WorkspaceRole::parse(&role)?;
            let token = auth::new_token()?;
            let expires = auth::expires_in(auth::INVITATION_LIFETIME);
            store()?.create_invitation(&workspace_id, &actor.id, role, &auth::token_hash(&token), expires).await?;
            Ok(format!("/invitations/{token}"))
        }
        .await,
    )
}

/// Withdraws an open invitation, so its link no longer works.
#[server(endpoint = "revoke_invitation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn revoke_invitation(workspace_id: WorkspaceId, invitation_id: InvitationId) -> Result<(), AppError> {
    answer(
        async {
            let (actor, _) = session::member(&workspace_id, WorkspaceRole::Owner).await?;
            Ok(store()?.revoke_invitation(&workspace_id, &actor.id, &invitation_id).await?)
        }
        .await,
    )
}

#[server(endpoint = "audit_log")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn audit_log(workspace_id: WorkspaceId, entity: Option<String>, actor_id: Option<PersonId>) -> Result<AuditPage, AppError> {
    answer(
        async {
            let (_, workspace) = session::member(&workspace_id, WorkspaceRole::Viewer).await?;
            let store = store()?;
            let filter = AuditFilter { entity: entity.filter(|e| !e.is_empty()), actor_id: actor_id.filter(|a| !a.is_empty()) };
            let entries = store.audit_log(&workspace_id, &filter, AUDIT_PAGE_SIZE).await?;
            let people = store.members(&workspace_id).await?;
            Ok(AuditPage { workspace, entries, people })
        }
        .await,
    )
}
